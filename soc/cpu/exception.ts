// Exception entry and return for AArch64 (ARM ARM D1.10 "Exception entry", D1.11 "Exception return").
//
// Every exception the core takes goes through takeException: synchronous ones
// with a syndrome (ESR_ELx.EC/IL/ISS), asynchronous ones (IRQ, FIQ, SError)
// without. Each entry and each ERET is written to the exception log, a ring the
// host drains for `--trace exc` and the API's exception events.

import {
  coreId, pc, insnAddr, daif, currentEL, spSel,
  packPSTATE, setEL, setSpSel, setDAIF, setNZCV, setIllegalState, setPC,
  DAIF_D, DAIF_A, DAIF_I, DAIF_F,
} from "./state";
import {
  slotGet, slotSet, spsrSlot, elrSlot, esrSlot, farSlot, vbarSlot, SLOT_HCR_EL2, SLOT_SCR_EL3,
} from "./sysreg";
import { EXC_LOG_BASE, EXC_LOG_ENTRIES, INFO_EXC_WRITE, INFO_EXC_READ, stopIfRingFull } from "../machine/info";
import { clearExclusive } from "./monitor";
import { now } from "../machine/time";
import { requestStop } from "./control";
import { instructionSyndrome } from "./ldst";
import { currentInsnWord } from "./mmu";
import { STOP_TICKS } from "../machine/info";

// ESR_ELx.EC values (ARM ARM D17.2.37, Table D17-6).
export const ESR_EC_UNKNOWN: u32 = 0x00;
export const ESR_EC_WFX: u32 = 0x01;
export const ESR_EC_FP_ACCESS: u32 = 0x07;
export const ESR_EC_ILLEGAL_STATE: u32 = 0x0E;
export const ESR_EC_SVC64: u32 = 0x15;
export const ESR_EC_HVC64: u32 = 0x16;
export const ESR_EC_SMC64: u32 = 0x17;
export const ESR_EC_SYS64: u32 = 0x18;
export const ESR_EC_IABT_LOW: u32 = 0x20;
export const ESR_EC_IABT_CUR: u32 = 0x21;
export const ESR_EC_PC_ALIGN: u32 = 0x22;
export const ESR_EC_DABT_LOW: u32 = 0x24;
export const ESR_EC_DABT_CUR: u32 = 0x25;
export const ESR_EC_SP_ALIGN: u32 = 0x26;
export const ESR_EC_BRK64: u32 = 0x3C;

/** ESR_ELx.IL: the trapped instruction was 32 bits wide (always, in A64). */
export const ESR_IL: u32 = 1 << 25;
/** Fault status code "synchronous external abort, not on a table walk" (ISS.DFSC/IFSC). */
export const FSC_SYNC_EXTERNAL: u32 = 0x10;
/** Data abort ISS.WnR: the abort came from a write. */
export const ISS_WNR: u32 = 1 << 6;

// Exception kinds = vector slot within a group of four (offset kind * 0x80).
export const EXC_SYNC: u32 = 0;
export const EXC_IRQ: u32 = 1;
export const EXC_FIQ: u32 = 2;
export const EXC_SERROR: u32 = 3;
/** Log-only kind for an exception return. */
export const EXC_ERET: u32 = 4;

const HCR_IMO: u64 = 1 << 4;
const HCR_FMO: u64 = 1 << 3;
const HCR_TGE: u64 = 1 << 27;
const HCR_RW: u64 = 1 << 31;
const SCR_FIQ: u64 = 1 << 2;
const SCR_IRQ: u64 = 1 << 1;
const SCR_RW: u64 = 1 << 10;
export const SCR_HCE: u64 = 1 << 8;
export const SCR_SMD: u64 = 1 << 7;

// Completed interrupt handlers of core 0 (an ERET from an EL entered by an IRQ),
// so a run can stop right after the Nth one (`rpi-os run --ticks N`).
let irqOpen: u32 = 0;           // bit n: EL n was entered by an IRQ on core 0
export let irqReturns: u32 = 0;
export let irqReturnLimit: u32 = 0;
export function setIrqReturnLimit(n: u32): void { irqReturnLimit = n; }
export function resetIrqReturns(): void { irqReturns = 0; irqOpen = 0; }

function logEvent(kind: u32, fromEL: u32, fromSp: u32, target: u32, vector: u64, esr: u32, elr: u64, spsr: u32): void {
  const w = load<u32>(INFO_EXC_WRITE);
  const e = EXC_LOG_BASE + (((w & (EXC_LOG_ENTRIES - 1)) as usize) << 6);
  store<u32>(e, (coreId as u32) | (kind << 8) | (fromEL << 16) | (fromSp << 20) | (target << 24));
  store<u32>(e, esr, 4);
  store<u64>(e, vector, 8);
  store<u64>(e, elr, 16);
  store<u32>(e, spsr, 24);
  store<u32>(e, 0, 28);
  store<u64>(e, now, 32);
  store<u32>(INFO_EXC_WRITE, w + 1);
  stopIfRingFull(w + 1, INFO_EXC_READ, EXC_LOG_ENTRIES);
}

/**
 * Enters `targetEL` through vector `kind` (ARM ARM D1.10.2). `returnAddr` is the
 * preferred return address for ELR; `esr` is written for synchronous
 * exceptions only; `far` too when `hasFar`.
 */
export function takeException(targetEL: u32, kind: u32, esr: u32, returnAddr: u64, far: u64, hasFar: bool): void {
  const fromEL = currentEL;
  const fromSp = spSel;
  const spsr = packPSTATE();
  let offset: u32;
  if (targetEL == fromEL) offset = fromSp ? 0x200 : 0x000;
  else offset = 0x400; // from a lower EL that uses AArch64
  offset += kind << 7;

  slotSet(spsrSlot(targetEL), spsr as u64);
  slotSet(elrSlot(targetEL), returnAddr);
  if (kind == EXC_SYNC) {
    slotSet(esrSlot(targetEL), esr as u64);
    if (hasFar) slotSet(farSlot(targetEL), far);
  }
  setIllegalState(0);
  setEL(targetEL);
  setSpSel(1);
  setDAIF(DAIF_D | DAIF_A | DAIF_I | DAIF_F);
  const vector = slotGet(vbarSlot(targetEL)) + offset;
  setPC(vector);
  if (coreId == 0) {
    if (kind == EXC_IRQ) irqOpen |= 1 << targetEL;
    else irqOpen &= ~(1 << targetEL);
  }
  logEvent(kind, fromEL, fromSp, targetEL, vector, kind == EXC_SYNC ? esr : 0, returnAddr, spsr);
}

/** The EL a synchronous exception from the current EL is taken to (ARM ARM D1.10.1). */
export function syncTargetEL(): u32 {
  if (currentEL != 0) return currentEL;
  return (slotGet(SLOT_HCR_EL2) & HCR_TGE) != 0 ? 2 : 1;
}

/** Synchronous exception at the current instruction with syndrome EC/ISS. */
export function syncException(ec: u32, iss: u32): void {
  takeException(syncTargetEL(), EXC_SYNC, (ec << 26) | ESR_IL | (iss & 0x1FFFFFF), insnAddr, 0, false);
}

export function undefinedInstruction(): void {
  syncException(ESR_EC_UNKNOWN, 0);
}

// A fault the MMU found (cpu/mmu.ts: translation, access flag, permission, address size,
// alignment, external abort on the walk): the next data or instruction abort reports its
// status code and address. Cleared by every access that leaves the inline RAM path.
let pendingFault: bool = false;
let pendingFsc: u32 = 0;
let pendingFar: u64 = 0;
export function setPendingFault(fsc: u32, far: u64): void { pendingFault = true; pendingFsc = fsc; pendingFar = far; }
// @ts-ignore: decorator
@inline export function clearPendingFault(): void { pendingFault = false; }

/**
 * Data abort on an access to `addr`: the MMU's pending fault, else a synchronous external
 * abort (no bus region answers, as QEMU reports it).
 */
export function dataAbort(addr: u64, isWrite: bool): void {
  const target = syncTargetEL();
  const ec = target == currentEL ? ESR_EC_DABT_CUR : ESR_EC_DABT_LOW;
  let fsc = FSC_SYNC_EXTERNAL, far = addr;
  if (pendingFault) { fsc = pendingFsc; far = pendingFar; pendingFault = false; }
  let iss = fsc | (isWrite ? ISS_WNR : 0);
  // An abort taken to EL2 describes a single-register load or store (ISV, SAS, SSE, SRT, SF, AR),
  // as QEMU reports it; aborts taken to EL1 or EL3 carry no instruction syndrome.
  if (target == 2) iss |= instructionSyndrome(currentInsnWord());
  takeException(target, EXC_SYNC, (ec << 26) | ESR_IL | iss, insnAddr, far, true);
}

/** Data abort of a cache maintenance or AT instruction (ISS.CM = 1, WnR = 1) with the pending fault. */
export function dataAbortCM(addr: u64): void {
  const target = syncTargetEL();
  const ec = target == currentEL ? ESR_EC_DABT_CUR : ESR_EC_DABT_LOW;
  const fsc = pendingFault ? pendingFsc : FSC_SYNC_EXTERNAL;
  pendingFault = false;
  takeException(target, EXC_SYNC, (ec << 26) | ESR_IL | (1 << 8) | ISS_WNR | fsc, insnAddr, addr, true);
}

export function instructionAbort(addr: u64): void {
  const target = syncTargetEL();
  const ec = target == currentEL ? ESR_EC_IABT_CUR : ESR_EC_IABT_LOW;
  takeException(target, EXC_SYNC, (ec << 26) | ESR_IL | FSC_SYNC_EXTERNAL, addr, addr, true);
}

/** Instruction abort at `addr` with the MMU's pending fault. */
export function instructionAbortFsc(addr: u64): void {
  const target = syncTargetEL();
  const ec = target == currentEL ? ESR_EC_IABT_CUR : ESR_EC_IABT_LOW;
  const fsc = pendingFault ? pendingFsc : FSC_SYNC_EXTERNAL;
  pendingFault = false;
  takeException(target, EXC_SYNC, (ec << 26) | ESR_IL | fsc, addr, addr, true);
}

export function pcAlignmentFault(addr: u64): void {
  takeException(syncTargetEL(), EXC_SYNC, (ESR_EC_PC_ALIGN << 26) | ESR_IL, addr, addr, true);
}

export function spAlignmentFault(): void {
  takeException(syncTargetEL(), EXC_SYNC, (ESR_EC_SP_ALIGN << 26) | ESR_IL, insnAddr, 0, false);
}

/**
 * The EL an IRQ (fiq=false) or FIQ would be taken to, or -1 if it stays pending
 * (ARM ARM D1.13.2, routing by SCR_EL3.IRQ/FIQ and HCR_EL2.IMO/FMO, masking by PSTATE.I/F).
 */
export function asyncTarget(fiq: bool): i32 {
  const scr = slotGet(SLOT_SCR_EL3);
  const hcr = slotGet(SLOT_HCR_EL2);
  const masked = (daif & (fiq ? DAIF_F : DAIF_I)) != 0;
  let target: u32 = 1;
  if ((scr & (fiq ? SCR_FIQ : SCR_IRQ)) != 0) target = 3;
  else if ((hcr & (fiq ? HCR_FMO : HCR_IMO)) != 0 || (hcr & HCR_TGE) != 0) target = 2;
  if (target < currentEL) return -1;
  // Routed to a higher EL: taken whatever PSTATE says (D1.13.3); same EL: only when unmasked.
  if (target == currentEL && masked) return -1;
  return target as i32;
}

/** Takes an IRQ or FIQ if the core's input and routing allow; returns true if taken. */
export function takeInterrupt(lines: u32): bool {
  if ((lines & 2) != 0) {
    const t = asyncTarget(true);
    if (t >= 0) { takeException(t as u32, EXC_FIQ, 0, pc, 0, false); return true; }
  }
  if ((lines & 1) != 0) {
    const t = asyncTarget(false);
    if (t >= 0) { takeException(t as u32, EXC_IRQ, 0, pc, 0, false); return true; }
  }
  return false;
}

/**
 * ERET (ARM ARM D1.11, "Illegal return events"): restores PSTATE from SPSR_ELx
 * and PC from ELR_ELx. A return to a higher EL, to AArch32, or to an EL whose
 * register width control says AArch32 is illegal: PSTATE.IL is set and the next
 * instruction takes an Illegal Execution state exception.
 */
export function exceptionReturn(): void {
  const el = currentEL;
  const spsr = slotGet(spsrSlot(el)) as u32;
  const elr = slotGet(elrSlot(el));
  const fromSp = spSel;
  const m = spsr & 0x1F;
  const targetEL = (m >> 2) & 3;
  let illegal = (m & 0x10) != 0 || (m & 2) != 0 || targetEL > el;
  if (targetEL == 0 && (m & 1) != 0) illegal = true;
  // A lower EL runs AArch32 when SCR_EL3.RW / HCR_EL2.RW say so; we model AArch64 only.
  if (!illegal && el == 3 && targetEL < 3 && (slotGet(SLOT_SCR_EL3) & SCR_RW) == 0) illegal = true;
  if (!illegal && targetEL == 1 && el >= 2 && (slotGet(SLOT_HCR_EL2) & HCR_RW) == 0) illegal = true;
  clearExclusive();
  if (illegal) {
    setNZCV(spsr);
    setDAIF(spsr);
    setIllegalState(1);
  } else {
    setNZCV(spsr);
    setDAIF(spsr);
    setIllegalState((spsr >> 20) & 1);
    setEL(targetEL);
    setSpSel(m & 1);
  }
  setPC(elr);
  if (coreId == 0 && (irqOpen & (1 << el)) != 0) {
    irqOpen &= ~(1 << el);
    irqReturns++;
    if (irqReturnLimit != 0 && irqReturns >= irqReturnLimit) requestStop(STOP_TICKS, irqReturns as u64);
  }
  logEvent(EXC_ERET, el, fromSp, illegal ? el : targetEL, elr, illegal ? 1 : 0, elr, spsr);
}
