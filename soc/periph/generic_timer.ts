// ARMv8 generic timer of each core (ARM ARM D11, "The Generic Timer in AArch64 state"):
// the system counter CNTPCT_EL0 and the EL1 physical (CNTP_*) and virtual (CNTV_*)
// timers. Their outputs are wired to the BCM2836 local controller as CNTPNSIRQ
// and CNTVIRQ. Not implemented: CNTHP_* (EL2) and CNTPS_* (secure) timers, the
// event stream.

import { now, ticksAt, cycleOfTick, NEVER } from "../machine/time";
import { coreId } from "../cpu/state";
import {
  slotGetCore, slotSetCore, SLOT_CNTP_CTL, SLOT_CNTP_CVAL, SLOT_CNTV_CTL, SLOT_CNTV_CVAL, SLOT_CNTVOFF_EL2,
} from "../cpu/sysreg";

/** Pi 3 firmware programs CNTFRQ_EL0 with the 19.2 MHz crystal. */
export const CNTFRQ_HZ: u64 = 19200000;

const CNTP_TVAL_EL0: u32 = (3 << 14) | (3 << 11) | (14 << 7) | (2 << 3) | 0;
const CNTP_CTL_EL0: u32 = (3 << 14) | (3 << 11) | (14 << 7) | (2 << 3) | 1;
const CNTP_CVAL_EL0: u32 = (3 << 14) | (3 << 11) | (14 << 7) | (2 << 3) | 2;
const CNTV_TVAL_EL0: u32 = (3 << 14) | (3 << 11) | (14 << 7) | (3 << 3) | 0;
const CNTV_CTL_EL0: u32 = (3 << 14) | (3 << 11) | (14 << 7) | (3 << 3) | 1;
const CNTV_CVAL_EL0: u32 = (3 << 14) | (3 << 11) | (14 << 7) | (3 << 3) | 2;

const CTL_ENABLE: u64 = 1;
const CTL_IMASK: u64 = 2;
const CTL_ISTATUS: u64 = 4;

export function counterNow(): u64 { return ticksAt(now, CNTFRQ_HZ); }

function counterFor(core: i32, virt: bool): u64 {
  const c = counterNow();
  return virt ? c - slotGetCore(core, SLOT_CNTVOFF_EL2) : c;
}

function istatus(core: i32, virt: bool): bool {
  const ctl = slotGetCore(core, virt ? SLOT_CNTV_CTL : SLOT_CNTP_CTL);
  if ((ctl & CTL_ENABLE) == 0) return false;
  return counterFor(core, virt) >= slotGetCore(core, virt ? SLOT_CNTV_CVAL : SLOT_CNTP_CVAL);
}

/** Interrupt outputs of a core's timers: bit 1 CNTPNSIRQ, bit 3 CNTVIRQ (local controller numbering). */
export function timerLines(core: i32): u32 {
  let r: u32 = 0;
  if (istatus(core, false) && (slotGetCore(core, SLOT_CNTP_CTL) & CTL_IMASK) == 0) r |= 2;
  if (istatus(core, true) && (slotGetCore(core, SLOT_CNTV_CTL) & CTL_IMASK) == 0) r |= 8;
  return r;
}

/** Cycle at which the next enabled, not yet fired timer of any core fires. */
export function timerNextEvent(): u64 {
  let best = NEVER;
  for (let core = 0; core < 4; core++) {
    for (let v = 0; v < 2; v++) {
      const virt = v == 1;
      const ctl = slotGetCore(core, virt ? SLOT_CNTV_CTL : SLOT_CNTP_CTL);
      if ((ctl & CTL_ENABLE) == 0 || (ctl & CTL_IMASK) != 0 || istatus(core, virt)) continue;
      let cval = slotGetCore(core, virt ? SLOT_CNTV_CVAL : SLOT_CNTP_CVAL);
      if (virt) cval += slotGetCore(core, SLOT_CNTVOFF_EL2);
      const t = cycleOfTick(cval, CNTFRQ_HZ);
      if (t < best) best = t;
    }
  }
  return best;
}

/** MRS of a timer register; -1 if `k` is not one. */
export function readTimerReg(k: u32): i64 {
  const core = coreId;
  switch (k) {
    case CNTP_CTL_EL0: return (slotGetCore(core, SLOT_CNTP_CTL) & 3 | (istatus(core, false) ? CTL_ISTATUS : 0)) as i64;
    case CNTV_CTL_EL0: return (slotGetCore(core, SLOT_CNTV_CTL) & 3 | (istatus(core, true) ? CTL_ISTATUS : 0)) as i64;
    case CNTP_CVAL_EL0: return slotGetCore(core, SLOT_CNTP_CVAL) as i64;
    case CNTV_CVAL_EL0: return slotGetCore(core, SLOT_CNTV_CVAL) as i64;
    // TVAL reads as the signed 32-bit distance CVAL - count (ARM ARM D11.2.4).
    case CNTP_TVAL_EL0: return ((slotGetCore(core, SLOT_CNTP_CVAL) - counterFor(core, false)) & 0xFFFFFFFF) as i64;
    case CNTV_TVAL_EL0: return ((slotGetCore(core, SLOT_CNTV_CVAL) - counterFor(core, true)) & 0xFFFFFFFF) as i64;
    default: return -1;
  }
}

/** MSR of a timer register; false if `k` is not one. k = 0 only refreshes the schedule. */
export function writeTimerReg(k: u32, v: u64): bool {
  const core = coreId;
  switch (k) {
    case 0: break;
    case CNTP_CTL_EL0: slotSetCore(core, SLOT_CNTP_CTL, v & 3); break;
    case CNTV_CTL_EL0: slotSetCore(core, SLOT_CNTV_CTL, v & 3); break;
    case CNTP_CVAL_EL0: slotSetCore(core, SLOT_CNTP_CVAL, v); break;
    case CNTV_CVAL_EL0: slotSetCore(core, SLOT_CNTV_CVAL, v); break;
    case CNTP_TVAL_EL0: slotSetCore(core, SLOT_CNTP_CVAL, counterFor(core, false) + (((v as i32) as i64) as u64)); break;
    case CNTV_TVAL_EL0: slotSetCore(core, SLOT_CNTV_CVAL, counterFor(core, true) + (((v as i32) as i64) as u64)); break;
    default: return false;
  }
  timersChanged = true;
  return true;
}

/** Set when a timer register changed; the run loop then recomputes lines and schedule. */
export let timersChanged: bool = false;
export function clearTimersChanged(): void { timersChanged = false; }
