// BCM2836 ARM local peripherals ("QA7_rev3.4", base 0x40000000): per-core
// interrupt routing, the local timer, core mailboxes and the core timer.
//
// Inputs: the GPU IRQ/FIQ from the BCM2835 controller, each core's generic
// timer outputs, the local timer, the mailboxes. Output: each core's IRQ and
// FIQ input, rebuilt by computeCoreLines() on every change (as QEMU's
// bcm2836_control does). Not implemented: PMU and AXI-outstanding interrupts.

import { now, ticksAt, cycleOfTick, NEVER } from "../machine/time";
import { counterNow } from "./generic_timer";

export const LOCAL_CONTROL: u32 = 0x00;
export const LOCAL_PRESCALER: u32 = 0x08;
export const GPU_INT_ROUTING: u32 = 0x0C;
export const PMU_INT_ROUTING_SET: u32 = 0x10;
export const PMU_INT_ROUTING_CLR: u32 = 0x14;
export const CORE_TIMER_LS: u32 = 0x1C;
export const CORE_TIMER_MS: u32 = 0x20;
export const LOCAL_INT_ROUTING: u32 = 0x24;
export const AXI_OUTSTANDING_COUNTERS: u32 = 0x2C;
export const AXI_OUTSTANDING_IRQ: u32 = 0x30;
export const LOCAL_TIMER_CONTROL: u32 = 0x34;
export const LOCAL_TIMER_WRITE: u32 = 0x38;
export const CORE0_TIMER_IRQCNTL: u32 = 0x40;  // core n at + 4n
export const CORE0_MBOX_IRQCNTL: u32 = 0x50;   // core n at + 4n
export const CORE0_IRQ_SOURCE: u32 = 0x60;     // core n at + 4n
export const CORE0_FIQ_SOURCE: u32 = 0x70;     // core n at + 4n
export const CORE0_MBOX0_SET: u32 = 0x80;      // core n mailbox m at + 16n + 4m
export const CORE0_MBOX0_RDCLR: u32 = 0xC0;    // core n mailbox m at + 16n + 4m

// Interrupt source bits of COREn_IRQ_SOURCE / COREn_FIQ_SOURCE.
export const SRC_CNTPSIRQ: u32 = 1 << 0;
export const SRC_CNTPNSIRQ: u32 = 1 << 1;
export const SRC_CNTHPIRQ: u32 = 1 << 2;
export const SRC_CNTVIRQ: u32 = 1 << 3;
export const SRC_MAILBOX0: u32 = 1 << 4;
export const SRC_GPU: u32 = 1 << 8;
export const SRC_PMU: u32 = 1 << 9;
export const SRC_LOCAL_TIMER: u32 = 1 << 11;

// LOCAL_TIMER_CONTROL / LOCAL_TIMER_WRITE bits.
const LT_RELOAD_MASK: u32 = 0x0FFFFFFF;
const LT_ENABLE: u32 = 1 << 28;
const LT_INT_ENABLE: u32 = 1 << 29;
const LT_INT_FLAG: u32 = 1 << 31;
const LT_WRITE_CLEAR: u32 = 1 << 31;
const LT_WRITE_RELOAD: u32 = 1 << 30;

/** The local timer is clocked by the 38.4 MHz crystal. */
export const LOCAL_TIMER_HZ: u64 = 38400000;

let control: u32 = 0;
let prescaler: u32 = 0x80000000;
let gpuRouting: u32 = 0;
let localRouting: u32 = 0;
let localTimerControl: u32 = 0;
let localTimerFlag: bool = false;
/** Cycle at which the local timer next reaches zero (NEVER when stopped). */
let localTimerDue: u64 = NEVER;
const timerIrqCntl = new StaticArray<u32>(4);
const mboxIrqCntl = new StaticArray<u32>(4);
const mailbox = new StaticArray<u32>(16);
const irqSource = new StaticArray<u32>(4);
const fiqSource = new StaticArray<u32>(4);

export function localReset(): void {
  control = 0; prescaler = 0x80000000; gpuRouting = 0; localRouting = 0;
  localTimerControl = 0; localTimerFlag = false; localTimerDue = NEVER;
  for (let i = 0; i < 4; i++) {
    unchecked(timerIrqCntl[i] = 0); unchecked(mboxIrqCntl[i] = 0);
    unchecked(irqSource[i] = 0); unchecked(fiqSource[i] = 0);
  }
  for (let i = 0; i < 16; i++) unchecked(mailbox[i] = 0);
}

function armLocalTimer(): void {
  const reload = localTimerControl & LT_RELOAD_MASK;
  if ((localTimerControl & LT_ENABLE) == 0 || reload == 0) { localTimerDue = NEVER; return; }
  localTimerDue = cycleOfTick(ticksAt(now, LOCAL_TIMER_HZ) + (reload as u64), LOCAL_TIMER_HZ);
}

export function localNextEvent(): u64 { return localTimerDue; }

/** Services the local timer at the current time. */
export function localService(): void {
  if (now >= localTimerDue) {
    localTimerFlag = true;
    armLocalTimer(); // reloads and keeps counting
  }
}

/**
 * Rebuilds IRQ/FIQ sources of every core from the inputs (gpu: bit 0 IRQ, bit 1 FIQ;
 * timers: four 4-bit groups, one a core). Returns the cores' inputs, 2 bits a core.
 */
export function computeCoreLines(gpu: u32, timers: u32): u32 {
  let out: u32 = 0;
  for (let core = 0; core < 4; core++) {
    let irq: u32 = 0, fiq: u32 = 0;
    const t = (timers >> ((core as u32) * 4)) & 15;
    const tc = unchecked(timerIrqCntl[core]);
    fiq |= t & (tc >> 4);               // FIQ enable wins over IRQ enable
    irq |= t & tc & ~(tc >> 4);
    const mc = unchecked(mboxIrqCntl[core]);
    for (let m = 0; m < 4; m++) {
      if (unchecked(mailbox[core * 4 + m]) == 0) continue;
      if (mc & (16 << m)) fiq |= SRC_MAILBOX0 << m;
      else if (mc & (1 << m)) irq |= SRC_MAILBOX0 << m;
    }
    if ((gpu & 1) && (gpuRouting & 3) == (core as u32)) irq |= SRC_GPU;
    if ((gpu & 2) && ((gpuRouting >> 2) & 3) == (core as u32)) fiq |= SRC_GPU;
    if (localTimerFlag && (localTimerControl & LT_INT_ENABLE)) {
      const r = localRouting & 7;
      if ((r & 3) == (core as u32)) { if (r & 4) fiq |= SRC_LOCAL_TIMER; else irq |= SRC_LOCAL_TIMER; }
    }
    unchecked(irqSource[core] = irq);
    unchecked(fiqSource[core] = fiq);
    out |= ((irq != 0 ? 1 : 0) | (fiq != 0 ? 2 : 0)) << ((core as u32) * 2);
  }
  return out;
}

/** Returns 0xFFFFFFFF for an offset that is not a register (the bus reports it). */
export function localRead(off: u32): u32 {
  if (off >= CORE0_MBOX0_RDCLR && off < 0x100) return unchecked(mailbox[(off - CORE0_MBOX0_RDCLR) >> 2]);
  if (off >= CORE0_MBOX0_SET && off < CORE0_MBOX0_RDCLR) return 0; // write-only
  if (off >= CORE0_TIMER_IRQCNTL && off < CORE0_MBOX_IRQCNTL) return unchecked(timerIrqCntl[(off - CORE0_TIMER_IRQCNTL) >> 2]);
  if (off >= CORE0_MBOX_IRQCNTL && off < CORE0_IRQ_SOURCE) return unchecked(mboxIrqCntl[(off - CORE0_MBOX_IRQCNTL) >> 2]);
  if (off >= CORE0_IRQ_SOURCE && off < CORE0_FIQ_SOURCE) return unchecked(irqSource[(off - CORE0_IRQ_SOURCE) >> 2]);
  if (off >= CORE0_FIQ_SOURCE && off < CORE0_MBOX0_SET) return unchecked(fiqSource[(off - CORE0_FIQ_SOURCE) >> 2]);
  switch (off) {
    case LOCAL_CONTROL: return control;
    case LOCAL_PRESCALER: return prescaler;
    case GPU_INT_ROUTING: return gpuRouting;
    case CORE_TIMER_LS: return counterNow() as u32;
    case CORE_TIMER_MS: return (counterNow() >> 32) as u32;
    case LOCAL_INT_ROUTING: return localRouting;
    case LOCAL_TIMER_CONTROL: return localTimerControl | (localTimerFlag ? LT_INT_FLAG : 0);
    case LOCAL_TIMER_WRITE: return 0;
    case PMU_INT_ROUTING_SET: case PMU_INT_ROUTING_CLR: case AXI_OUTSTANDING_COUNTERS: case AXI_OUTSTANDING_IRQ: return 0;
    default: return 0xFFFFFFFF;
  }
}

export function localIsRegister(off: u32): bool {
  if ((off & 3) != 0 || off >= 0x100) return false;
  return off != 0x04 && off != 0x18 && off != 0x28 && off != 0x3C;
}

export function localWrite(off: u32, v: u32): void {
  if (off >= CORE0_MBOX0_RDCLR && off < 0x100) { unchecked(mailbox[(off - CORE0_MBOX0_RDCLR) >> 2] &= ~v); return; }
  if (off >= CORE0_MBOX0_SET) { unchecked(mailbox[(off - CORE0_MBOX0_SET) >> 2] |= v); return; }
  if (off >= CORE0_TIMER_IRQCNTL && off < CORE0_MBOX_IRQCNTL) { unchecked(timerIrqCntl[(off - CORE0_TIMER_IRQCNTL) >> 2] = v & 0xFF); return; }
  if (off >= CORE0_MBOX_IRQCNTL && off < CORE0_IRQ_SOURCE) { unchecked(mboxIrqCntl[(off - CORE0_MBOX_IRQCNTL) >> 2] = v & 0xFF); return; }
  switch (off) {
    case LOCAL_CONTROL: control = v; return;
    case LOCAL_PRESCALER: prescaler = v; return;
    case GPU_INT_ROUTING: gpuRouting = v & 0xF; return;
    case LOCAL_INT_ROUTING: localRouting = v & 7; return;
    case LOCAL_TIMER_CONTROL: localTimerControl = v & (LT_RELOAD_MASK | LT_ENABLE | LT_INT_ENABLE); armLocalTimer(); return;
    case LOCAL_TIMER_WRITE:
      if (v & LT_WRITE_CLEAR) localTimerFlag = false;
      if (v & LT_WRITE_RELOAD) armLocalTimer();
      return;
    default: return;
  }
}
