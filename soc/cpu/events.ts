// WFE wake-up events that come from time (ARM ARM D1.16.2 "Wait for Event";
// D11.1.4 / D11.2.3 "Event streams"): the generic timer's event streams.
//
// CNTKCTL_EL1 (virtual count) and CNTHCTL_EL2 (physical count) each have
// EVNTEN (bit 2), EVNTDIR (bit 3) and EVNTI (bits 7:4): while EVNTEN is set, an
// event is generated each time bit EVNTI of the count goes 0 -> 1 (EVNTDIR = 0)
// or 1 -> 0 (EVNTDIR = 1), i.e. once every 2^(EVNTI+1) counts. Linux turns on
// the virtual stream at about 10 kHz so that no WFE waits forever.
//
// The other sources live with their causes: SEV/SEVL (branch_sys.ts), the
// global exclusive monitor cleared by another core's store (monitor.ts),
// exception return (exception.ts); interrupts wake a WFE core in run.ts.

import { slotGetCore, SLOT_CNTKCTL_STORED, SLOT_CNTHCTL_STORED, SLOT_CNTVOFF_EL2 } from "./sysreg";
import { cycleOfTick, ticksAt, NEVER } from "../machine/time";
import { CNTFRQ_HZ } from "../periph/generic_timer";

const EVNTEN: u64 = 1 << 2;
const EVNTDIR: u64 = 1 << 3;

/** Count value of the first event of a stream after count `c` (exclusive), for control `ctl`. */
function nextStreamCount(ctl: u64, c: u64): u64 {
  const bit = (ctl >> 4) & 15;
  const period: u64 = (2 as u64) << bit;      // 2^(EVNTI+1)
  const phase: u64 = (ctl & EVNTDIR) != 0 ? 0 : (1 as u64) << bit; // where in the period the edge is
  // Smallest v > c with v % period == phase.
  const base = c - (c % period) + phase;
  return base > c ? base : base + period;
}

/** Cycle of the first event of core `core`'s streams strictly after cycle `after`; NEVER if both are off. */
export function nextStreamEventCycle(core: i32, after: u64): u64 {
  let best = NEVER;
  const pcnt = ticksAt(after, CNTFRQ_HZ);
  const hctl = slotGetCore(core, SLOT_CNTHCTL_STORED);
  if ((hctl & EVNTEN) != 0) {
    const t = cycleOfTick(nextStreamCount(hctl, pcnt), CNTFRQ_HZ);
    if (t < best) best = t;
  }
  const kctl = slotGetCore(core, SLOT_CNTKCTL_STORED);
  if ((kctl & EVNTEN) != 0) {
    const off = slotGetCore(core, SLOT_CNTVOFF_EL2);
    const t = cycleOfTick(nextStreamCount(kctl, pcnt - off) + off, CNTFRQ_HZ);
    if (t < best) best = t;
  }
  return best;
}

/** Last cycle at which each core's event register was consumed by a WFE. */
const consumedAt = new StaticArray<u64>(4);

/** Did one of core `core`'s streams produce an event after its last WFE, up to cycle `t`? */
export function streamEventSince(core: i32, t: u64): bool {
  return nextStreamEventCycle(core, unchecked(consumedAt[core])) <= t;
}

/** A WFE on `core` consumed the event register at cycle `t`. */
export function eventConsumed(core: i32, t: u64): void {
  unchecked(consumedAt[core] = t);
}

export function resetEvents(): void {
  for (let i = 0; i < 4; i++) unchecked(consumedAt[i] = 0);
}
