// Virtual time (design note 3): one retired instruction is one cycle of a core
// clocked at `cpuHz`; every device clock is derived from the cycle count, so a
// run is deterministic. Devices tell `schedule` when they next need service.

import { attention } from "../cpu/control";

export let now: u64 = 0;
export let cpuHz: u64 = 1200000000;
/** Earliest cycle at which some device must be serviced (u64 max: none). */
export let nextEvent: u64 = 0xFFFFFFFFFFFFFFFF;

export const NEVER: u64 = 0xFFFFFFFFFFFFFFFF;

export function setCpuHz(hz: u64): void { cpuHz = hz; }
export function setNow(t: u64): void { now = t; }
/** Cycle at which the current run() must stop (the host's time limit). */
export let timeLimit: u64 = 0xFFFFFFFFFFFFFFFF;
/** min(nextEvent, timeLimit): the one comparison the interpreter loop makes. */
export let horizon: u64 = 0xFFFFFFFFFFFFFFFF;

/**
 * While `attention` is set the horizon is 0, so the interpreter's single
 * `now >= horizon` test also catches requests from executed instructions.
 */
export function recomputeHorizon(): void {
  let h = nextEvent < timeLimit ? nextEvent : timeLimit;
  if (sliceEnd < h) h = sliceEnd;
  horizon = attention || stepChecks ? 0 : h;
}
/** Set while breakpoints exist: every instruction then takes the loop's slow path, which checks them. */
let stepChecks: bool = false;
export function setStepChecks(on: bool): void { stepChecks = on; recomputeHorizon(); }
/** End of the current core's slice in the run loop (NEVER outside one). */
export let sliceEnd: u64 = 0xFFFFFFFFFFFFFFFF;
export function setSliceEnd(t: u64): void { sliceEnd = t; recomputeHorizon(); }
/** Where the current slice began, and the quantum its round-robin boundaries are counted in. */
let sliceStart: u64 = 0;
let sliceQuantum: u64 = 0xFFFFFFFFFFFFFFFF;
export function setSlice(start: u64, end: u64, quantum: u64): void { sliceStart = start; sliceQuantum = quantum; setSliceEnd(end); }
/**
 * A core running alone (every other core off) runs one long slice where the round robin would
 * have run many (machine/run.ts): something the run loop does between rounds became due (a target
 * queued for compilation), so the slice ends where the round it is in would have ended.
 */
export function endSliceAtRound(): void {
  if (sliceEnd == NEVER) return;
  const end = sliceStart + ((now - sliceStart) / sliceQuantum + 1) * sliceQuantum;
  if (end < sliceEnd) setSliceEnd(end);
}
/**
 * While the current core runs alone (every other core off, or asleep until an interrupt or a
 * device event), the cycle up to which nothing but the next event, the time limit or the run's
 * budget can change what it does; 0 otherwise. Code that retires many instructions in one step
 * without touching anything (cpu/loops.ts) may go past the slice end up to here: the other
 * cores would have found nothing new at the slice boundaries it skips.
 */
export let soloUntil: u64 = 0;
export function setSoloUntil(t: u64): void { soloUntil = t; }
export function setNextEvent(t: u64): void { nextEvent = t; recomputeHorizon(); }
export function setTimeLimit(t: u64): void { timeLimit = t; recomputeHorizon(); }

/** Ticks of a clock of `hz` elapsed at cycle `t`, without 64-bit overflow. */
export function ticksAt(t: u64, hz: u64): u64 {
  return (t / cpuHz) * hz + ((t % cpuHz) * hz) / cpuHz;
}

/** First cycle at which a clock of `hz` has counted `ticks`. */
export function cycleOfTick(ticks: u64, hz: u64): u64 {
  const whole = ticks / hz;
  const rest = ticks % hz;
  if (whole >= NEVER / cpuHz) return NEVER;
  return whole * cpuHz + (rest * cpuHz + hz - 1) / hz;
}

/** Microseconds since reset: the BCM2835 system timer's 1 MHz counter. */
export function microsNow(): u64 { return ticksAt(now, 1000000); }
