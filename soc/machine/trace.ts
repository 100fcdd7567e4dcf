// Trace channels the host drains: interrupt line changes, and "reported once"
// notes about guest errors (unimplemented registers, UART used without its pins).

import { MMU_LOG_BASE, MMU_LOG_ENTRIES, INFO_MMU_WRITE, INFO_MMU_READ } from "./info";
import { insnAddr } from "../cpu/state";
import { IRQ_LOG_BASE, IRQ_LOG_ENTRIES, INFO_IRQ_WRITE, NOTE_LOG_BASE, NOTE_LOG_ENTRIES, INFO_NOTE_WRITE, MMIO_LOG_BASE, MMIO_LOG_ENTRIES, INFO_MMIO_WRITE, INFO_IRQ_READ, INFO_MMIO_READ, stopIfRingFull } from "./info";
import { coreId } from "../cpu/state";
import { now, microsNow } from "./time";

// Note kinds (the host turns them into messages).
export const NOTE_UNIMPLEMENTED_READ: u32 = 1;
export const NOTE_UNIMPLEMENTED_WRITE: u32 = 2;
export const NOTE_UART_PINS: u32 = 3;       // mini UART written while GPIO14 is not ALT5
export const NOTE_UART_DISABLED: u32 = 4;   // AUX_MU_IO written while AUX_ENABLES bit 0 is clear
export const NOTE_MAILBOX_TAG: u32 = 5;     // unknown property tag
export const NOTE_BAD_ACCESS_SIZE: u32 = 6;

const reportedKind = new StaticArray<u32>(512);
const reportedAddr = new StaticArray<u32>(512);
let reportedCount: i32 = 0;

/** Records a note once per (kind, address); later repeats are dropped. */
export function noteOnce(kind: u32, addr: u32): void {
  for (let i = 0; i < reportedCount; i++) {
    if (unchecked(reportedAddr[i]) == addr && unchecked(reportedKind[i]) == kind) return;
  }
  if (reportedCount < 512) {
    unchecked(reportedKind[reportedCount] = kind);
    unchecked(reportedAddr[reportedCount] = addr);
    reportedCount++;
  }
  const w = load<u32>(INFO_NOTE_WRITE);
  const e = NOTE_LOG_BASE + (((w & (NOTE_LOG_ENTRIES - 1)) as usize) << 4);
  store<u32>(e, kind);
  store<u32>(e, addr, 4);
  store<u64>(e, now, 8);
  store<u32>(INFO_NOTE_WRITE, w + 1);
}

export let traceIrqLines: bool = false;
export function setTraceIrqLines(on: bool): void { traceIrqLines = on; }

/** Records a change of a core's IRQ/FIQ inputs (`lines`: bit 0 IRQ, bit 1 FIQ). */
export function logLines(core: i32, lines: u32, source: u32): void {
  if (!traceIrqLines) return;
  const w = load<u32>(INFO_IRQ_WRITE);
  const e = IRQ_LOG_BASE + (((w & (IRQ_LOG_ENTRIES - 1)) as usize) << 4);
  store<u32>(e, (core as u32) | (lines << 8));
  store<u32>(e, source, 4);
  store<u64>(e, now, 8);
  store<u32>(INFO_IRQ_WRITE, w + 1);
  stopIfRingFull(w + 1, INFO_IRQ_READ, IRQ_LOG_ENTRIES);
}

export let traceMmio: bool = false;
export function setTraceMmio(on: bool): void { traceMmio = on; }

/** Records a device register access (the host drains the ring after each run). */
export function logMmio(addr: u32, value: u32, isWrite: bool): void {
  const w = load<u32>(INFO_MMIO_WRITE);
  const e = MMIO_LOG_BASE + (((w & (MMIO_LOG_ENTRIES - 1)) as usize) << 4);
  store<u32>(e, addr);
  store<u32>(e, value, 4);
  store<u32>(e, (coreId as u32) | (isWrite ? 0x100 : 0), 8);
  store<u32>(e, microsNow() as u32, 12);
  store<u32>(INFO_MMIO_WRITE, w + 1);
  stopIfRingFull(w + 1, INFO_MMIO_READ, MMIO_LOG_ENTRIES);
}

// MMU events (`--trace mmu`): faults with their status code, TLBI, SCTLR_ELx.M changes.
export const MMU_EV_FAULT: u32 = 1;  // info: FSC | access << 8 | EL << 12; value: the VA
export const MMU_EV_TLBI: u32 = 2;   // info: op1 << 8 | CRm << 4 | op2; value: Xt
export const MMU_EV_SCTLR: u32 = 3;  // info: the EL of SCTLR_ELx; value: the new SCTLR
export let traceMmu: bool = false;
export function setTraceMmu(on: bool): void { traceMmu = on; }

export function logMmu(kind: u32, info: u32, value: u64): void {
  if (!traceMmu) return;
  const w = load<u32>(INFO_MMU_WRITE);
  const e = MMU_LOG_BASE + (((w & (MMU_LOG_ENTRIES - 1)) as usize) << 5);
  store<u32>(e, (coreId as u32) | (kind << 8));
  store<u32>(e, info, 4);
  store<u64>(e, value, 8);
  store<u64>(e, now, 16);
  store<u64>(e, insnAddr, 24);
  store<u32>(INFO_MMU_WRITE, w + 1);
  stopIfRingFull(w + 1, INFO_MMU_READ, MMU_LOG_ENTRIES);
}
