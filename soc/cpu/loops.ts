// Countdown loops run in one step: `subs Xn, Xn, #1; b.ne .-4` (the delay()
// of every bare-metal tutorial) retires two instructions an iteration and
// touches nothing but Xn and NZCV, so k iterations are computed at once. Only
// as many iterations are taken as fit before the horizon (the next device
// event, the time limit, the end of the core's slice — or, for a core running
// alone, the run's budget; 0 while breakpoints or attention are set), so
// interrupts, slices and every observable state are those of the
// instruction-by-instruction run, cycle for cycle.

import { getX, setX, setPC, insnAddr, setNZCV } from "./state";
import { now, horizon, setNow, nextEvent, timeLimit, soloUntil } from "../machine/time";
import { RAM_BASE } from "../machine/layout";

/** Off only to check the shortcut against the plain run (Machine option `loopSkip: false`). */
export let loopSkipEnabled: bool = true;
export function setLoopSkip(on: bool): void { loopSkipEnabled = on; }
/** Iterations run by the shortcut since power-on (a figure for tests and the bench). */
export let loopIterationsSkipped: u64 = 0;

/** `b.ne .-4`: B.cond with imm19 = -1 and cond NE. */
export const BNE_BACK_ONE: u32 = 0x54FFFFE1;

/**
 * Called for a taken `b.ne .-4` at physical address `pa`: if the instruction
 * before it is `subs Xn, Xn, #1` (or the W form), runs as many further
 * iterations as fit before the horizon, leaving PC on the `subs`, and
 * returns true; false leaves the branch to the caller.
 */
export function countdownLoop(pa: u64): bool {
  if (!loopSkipEnabled) return false;
  // The SUBS must be in the same 4 KiB page (so pa - 4 is its physical address too).
  if ((pa & 0xFFF) == 0) return false;
  const prev = load<u32>(RAM_BASE + ((pa - 4) as usize));
  // SUBS (immediate), sh = 0, imm12 = 1 (ARM ARM C6.2.314), Rd = Rn, not SP/XZR.
  if ((prev & 0x7FFFFC00) != 0x71000400) return false;
  const rd = prev & 31;
  if (rd == 31 || ((prev >> 5) & 31) != rd) return false;
  const sf = prev >> 31;
  const v = sf ? getX(rd) : getX(rd) & 0xFFFFFFFF;
  if (v == 0) return false; // reached the b.ne by a jump, flags from elsewhere
  // The branch itself retires at `now`; iteration i's two instructions at now + 2i - 1 and now + 2i,
  // each only if it is before the horizon, as in the run loop.
  if (horizon <= now + 2) return false; // also while attention or breakpoints zero the horizon
  // A core running alone may count past its slice end (time.ts soloUntil).
  let h = horizon;
  if (soloUntil > h) {
    const e = nextEvent < timeLimit ? nextEvent : timeLimit;
    h = soloUntil < e ? soloUntil : e;
    if (h < horizon) h = horizon;
  }
  let k = (h - now - 1) >> 1;
  if (k > v - 1) k = v - 1; // stop one iteration short: the last one runs as usual
  if (k == 0) return false;
  const r = v - k;
  setX(rd, r);
  // Flags of the last SUBS (r + 1) - 1 = r: N = msb, Z = 0 (r != 0), C = 1 (no borrow),
  // V = 1 only when r + 1 was the most negative value (ARM ARM C6.2.314, AddWithCarry).
  const msb: u64 = sf ? r >> 63 : (r >> 31) & 1;
  const vflag: u32 = (sf ? r == 0x7FFFFFFFFFFFFFFF : r == 0x7FFFFFFF) ? 1 : 0;
  setNZCV(((msb as u32) << 31) | (1 << 29) | (vflag << 28));
  setNow(now + (k << 1));
  loopIterationsSkipped += k;
  setPC(insnAddr - 4);
  return true;
}
