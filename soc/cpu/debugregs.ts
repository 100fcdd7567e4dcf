// The self-hosted debug registers (ARM ARM D2, D17.3; Cortex-A53 TRM 11.4) as
// storage: a kernel resets and saves them (Linux's hw_breakpoint and KVM do), but
// breakpoints and watchpoints never trigger here (the GDB stub has its own).
//
//   DBGBVR<n>_EL1 2,0,0,n,4   DBGBCR<n>_EL1 2,0,0,n,5   n < 6 (ID_AA64DFR0.BRPs + 1)
//   DBGWVR<n>_EL1 2,0,0,n,6   DBGWCR<n>_EL1 2,0,0,n,7   n < 4 (ID_AA64DFR0.WRPs + 1)
//   MDCCINT_EL1   2,0,0,2,0   MDCCSR_EL0 2,3,0,1,0 (RO 0: no debug comms traffic)
//   MDRAR_EL1     2,0,1,0,0   RO 0: no memory-mapped debug ROM table
//   OSLSR_EL1     2,0,1,1,4   RO: OSLM = 0b10 (OS Lock implemented), OSLK from OSLAR_EL1 bit 0
//   DBGPRCR_EL1   2,0,1,4,4   DBGCLAIMSET_EL1 2,0,7,8,6  DBGCLAIMCLR_EL1 2,0,7,9,6 (8 claim bits)
//   DBGAUTHSTATUS_EL1 2,0,7,14,6  RO: every kind of debug "implemented, disabled" (0xAA)
// MDSCR_EL1, OSLAR_EL1 and OSDLR_EL1 are plain storage in sysreg.ts.

import { coreId } from "./state";
import { NUM_BREAKPOINTS, NUM_WATCHPOINTS } from "./idregs";

// @ts-ignore: decorator
@inline function key(op0: u32, op1: u32, crn: u32, crm: u32, op2: u32): u32 {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

const MDCCINT_EL1: u32 = key(2, 0, 0, 2, 0);
const MDCCSR_EL0: u32 = key(2, 3, 0, 1, 0);
const MDRAR_EL1: u32 = key(2, 0, 1, 0, 0);
const OSLSR_EL1: u32 = key(2, 0, 1, 1, 4);
const DBGPRCR_EL1: u32 = key(2, 0, 1, 4, 4);
const DBGCLAIMSET_EL1: u32 = key(2, 0, 7, 8, 6);
const DBGCLAIMCLR_EL1: u32 = key(2, 0, 7, 9, 6);
const DBGAUTHSTATUS_EL1: u32 = key(2, 0, 7, 14, 6);
export const OSLAR_EL1: u32 = key(2, 0, 1, 0, 4);

const OSLSR_OSLM_IMPLEMENTED: u64 = 1 << 3; // OSLM = 0b10: bit 3 set, bit 0 clear
const DBGAUTHSTATUS_ALL_DISABLED: u64 = 0xAA;

// Per core: 6 BVR, 6 BCR, 4 WVR, 4 WCR, then MDCCINT, DBGPRCR, claim tags, OS lock.
const PER_CORE: i32 = 24;
const S_BVR: i32 = 0;
const S_BCR: i32 = 6;
const S_WVR: i32 = 12;
const S_WCR: i32 = 16;
const S_MDCCINT: i32 = 20;
const S_DBGPRCR: i32 = 21;
const S_CLAIM: i32 = 22;
const S_OSLK: i32 = 23;
const store_ = new StaticArray<u64>(4 * PER_CORE);

/** Storage slot of a breakpoint/watchpoint register, or -1. */
function pointSlot(k: u32): i32 {
  if ((k >> 7) != (key(2, 0, 0, 0, 0) >> 7)) return -1; // op0=2, op1=0, CRn=0
  const n = (k >> 3) & 15;
  switch (k & 7) {
    case 4: return n < NUM_BREAKPOINTS ? S_BVR + (n as i32) : -1;
    case 5: return n < NUM_BREAKPOINTS ? S_BCR + (n as i32) : -1;
    case 6: return n < NUM_WATCHPOINTS ? S_WVR + (n as i32) : -1;
    case 7: return n < NUM_WATCHPOINTS ? S_WCR + (n as i32) : -1;
    default: return -1;
  }
}

// @ts-ignore: decorator
@inline function at(slot: i32): i32 { return coreId * PER_CORE + slot; }

/** Set by debugRegRead/debugRegWrite: whether `k` was a debug register they handle. */
export let debugRegHandled: bool = false;

export function debugRegRead(k: u32): u64 {
  debugRegHandled = true;
  const s = pointSlot(k);
  if (s >= 0) return unchecked(store_[at(s)]);
  switch (k) {
    case MDCCINT_EL1: return unchecked(store_[at(S_MDCCINT)]);
    case MDCCSR_EL0: return 0;
    case MDRAR_EL1: return 0;
    case OSLSR_EL1: return OSLSR_OSLM_IMPLEMENTED | (unchecked(store_[at(S_OSLK)]) << 1);
    case DBGPRCR_EL1: return unchecked(store_[at(S_DBGPRCR)]);
    case DBGCLAIMSET_EL1: return 0xFF; // reads as the claim bits implemented
    case DBGCLAIMCLR_EL1: return unchecked(store_[at(S_CLAIM)]);
    case DBGAUTHSTATUS_EL1: return DBGAUTHSTATUS_ALL_DISABLED;
    default: break;
  }
  debugRegHandled = false;
  return 0;
}

/** Writes a debug register; false if `k` is not one written here (read-only ones are not). */
export function debugRegWrite(k: u32, v: u64): bool {
  const s = pointSlot(k);
  if (s >= 0) { unchecked(store_[at(s)] = v); return true; }
  switch (k) {
    case MDCCINT_EL1: unchecked(store_[at(S_MDCCINT)] = v); return true;
    case DBGPRCR_EL1: unchecked(store_[at(S_DBGPRCR)] = v & 1); return true;
    case DBGCLAIMSET_EL1: unchecked(store_[at(S_CLAIM)] = store_[at(S_CLAIM)] | (v & 0xFF)); return true;
    case DBGCLAIMCLR_EL1: unchecked(store_[at(S_CLAIM)] = store_[at(S_CLAIM)] & ~(v & 0xFF)); return true;
    // OSLAR_EL1 bit 0 (OSLK) locks the OS Lock; the value also stays in its storage slot (sysreg.ts).
    case OSLAR_EL1: unchecked(store_[at(S_OSLK)] = v & 1); return false;
    default: return false;
  }
}
