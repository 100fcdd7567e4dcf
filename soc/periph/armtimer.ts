// BCM2835 ARM timer, an SP804 derivative ("BCM2835 ARM Peripherals", chapter 14, at 0x3F00B400).
// Counts down from LOAD at the APB clock / (PRE_DIVIDER + 1) / prescale; at zero
// it raises basic IRQ 0 (when enabled) and reloads from RELOAD. QEMU does not
// model it. Not implemented: 16-bit mode, halt-in-debug.

import { now, ticksAt, cycleOfTick, NEVER } from "../machine/time";

export const ARM_TIMER_LOAD: u32 = 0x00;
export const ARM_TIMER_VALUE: u32 = 0x04;
export const ARM_TIMER_CONTROL: u32 = 0x08;
export const ARM_TIMER_IRQ_CLR_ACK: u32 = 0x0C;
export const ARM_TIMER_RAW_IRQ: u32 = 0x10;
export const ARM_TIMER_MASKED_IRQ: u32 = 0x14;
export const ARM_TIMER_RELOAD: u32 = 0x18;
export const ARM_TIMER_PRE_DIVIDER: u32 = 0x1C;
export const ARM_TIMER_FREE_RUNNING: u32 = 0x20;

const CTRL_32BIT: u32 = 1 << 1;
const CTRL_INT_ENABLE: u32 = 1 << 5;
const CTRL_ENABLE: u32 = 1 << 7;
const CTRL_FREE_ENABLE: u32 = 1 << 9;
/** APB clock of a Pi 3 (core clock 250 MHz). */
const APB_HZ: u64 = 250000000;

let load_: u32 = 0;
let reload: u32 = 0;
let control: u32 = 0x3E0020;
let preDivider: u32 = 0x7D;
let raw: bool = false;
/** Value at `startTick` (in timer ticks) and the cycle of the next zero. */
let startValue: u32 = 0;
let startTick: u64 = 0;
let due: u64 = NEVER;

export function armTimerReset(): void {
  load_ = 0; reload = 0; control = 0x3E0020; preDivider = 0x7D; raw = false; startValue = 0; startTick = 0; due = NEVER;
}

function timerHz(): u64 {
  const sel = (control >> 2) & 3;
  const prescaleShift: u64 = sel == 1 ? 4 : sel == 2 ? 8 : 0;
  return (APB_HZ / ((preDivider as u64) + 1)) >> prescaleShift;
}

function currentValue(): u32 {
  if ((control & CTRL_ENABLE) == 0) return startValue;
  const elapsed = ticksAt(now, timerHz()) - startTick;
  const period = (reload as u64) + 1;
  if (elapsed <= (startValue as u64)) return startValue - (elapsed as u32);
  return (reload - (((elapsed - startValue - 1) % period) as u32));
}

function restart(value: u32): void {
  startValue = value;
  startTick = ticksAt(now, timerHz());
  due = (control & CTRL_ENABLE) ? cycleOfTick(startTick + (value as u64) + 1, timerHz()) : NEVER;
}

export function armTimerNextEvent(): u64 { return due; }

export function armTimerService(): void {
  if (now >= due) { raw = true; restart(reload); }
}

export function armTimerIrqLevel(): bool { return raw && (control & CTRL_INT_ENABLE) != 0; }

export function armTimerIsRegister(off: u32): bool { return off <= ARM_TIMER_FREE_RUNNING && (off & 3) == 0; }

export function armTimerRead(off: u32): u32 {
  switch (off) {
    case ARM_TIMER_LOAD: return load_;
    case ARM_TIMER_VALUE: return currentValue();
    case ARM_TIMER_CONTROL: return control;
    case ARM_TIMER_RAW_IRQ: return raw ? 1 : 0;
    case ARM_TIMER_MASKED_IRQ: return armTimerIrqLevel() ? 1 : 0;
    case ARM_TIMER_RELOAD: return reload;
    case ARM_TIMER_PRE_DIVIDER: return preDivider;
    case ARM_TIMER_FREE_RUNNING: {
      if ((control & CTRL_FREE_ENABLE) == 0) return 0;
      return ticksAt(now, APB_HZ / (((control >> 16) & 0xFF) as u64 + 1)) as u32;
    }
    default: return 0;
  }
}

export function armTimerWrite(off: u32, v: u32): void {
  switch (off) {
    case ARM_TIMER_LOAD: load_ = v; reload = v; restart(v); return;
    case ARM_TIMER_CONTROL: {
      const value = currentValue();
      control = v & 0xFF03FF | CTRL_32BIT;
      restart(value);
      return;
    }
    case ARM_TIMER_IRQ_CLR_ACK: raw = false; return;
    case ARM_TIMER_RELOAD: reload = v; return;
    case ARM_TIMER_PRE_DIVIDER: { const value = currentValue(); preDivider = v & 0x3FF; restart(value); return; }
    default: return;
  }
}
