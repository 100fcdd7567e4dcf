// The SIMD&FP register file V0-V31 (128 bits each, ARM ARM B1.2.1) of the running core,
// and the access check every SIMD&FP instruction makes first (CheckFPAdvSIMDEnabled64,
// ARM ARM D1.11.x / the CPACR_EL1.FPEN, CPTR_EL2.TFP, CPTR_EL3.TFP descriptions).
//
// Vn lives at regBase + OFF_V + 16n, little-endian: element i of size e bytes is at
// byte offset i*e, so B/H/S/D scalar views are the low bytes of the register.

import { regBase, currentEL, insnAddr } from "./state";
import { OFF_V } from "../machine/layout";
import { slotGet, SLOT_HCR_EL2, SLOT_SCR_EL3, SLOT_CPACR_EL1, SLOT_CPTR_EL2, SLOT_CPTR_EL3 } from "./sysreg";
import { takeException, EXC_SYNC, ESR_EC_FP_ACCESS, ESR_IL } from "./exception";

// @ts-ignore: decorator
@inline export function vAddr(n: u32): usize { return regBase + OFF_V + ((n as usize) << 4); }

// @ts-ignore: decorator
@inline export function vLo(n: u32): u64 { return load<u64>(vAddr(n)); }
// @ts-ignore: decorator
@inline export function vHi(n: u32): u64 { return load<u64>(vAddr(n), 8); }
/** Writes all 128 bits. */
// @ts-ignore: decorator
@inline export function setV(n: u32, lo: u64, hi: u64): void {
  const a = vAddr(n);
  store<u64>(a, lo);
  store<u64>(a, hi, 8);
}
/** Scalar write of `bytes` (1..8) bytes: the rest of the register becomes zero. */
// @ts-ignore: decorator
@inline export function setVScalar(n: u32, v: u64, bytes: u32): void {
  const masked = bytes >= 8 ? v : v & ((((1 as u64) << ((bytes as u64) << 3))) - 1);
  setV(n, masked, 0);
}

/** Element `i` of `esize` (0 = 8 bits .. 3 = 64 bits), zero-extended. */
export function getElem(n: u32, i: u32, esize: u32): u64 {
  const a = vAddr(n) + ((i << esize) as usize);
  switch (esize) {
    case 0: return load<u8>(a) as u64;
    case 1: return load<u16>(a) as u64;
    case 2: return load<u32>(a) as u64;
    default: return load<u64>(a);
  }
}
/** Element `i` sign-extended to 64 bits. */
export function getElemS(n: u32, i: u32, esize: u32): i64 {
  const a = vAddr(n) + ((i << esize) as usize);
  switch (esize) {
    case 0: return load<i8>(a) as i64;
    case 1: return load<i16>(a) as i64;
    case 2: return load<i32>(a) as i64;
    default: return load<i64>(a);
  }
}
export function setElem(n: u32, i: u32, esize: u32, v: u64): void {
  const a = vAddr(n) + ((i << esize) as usize);
  switch (esize) {
    case 0: store<u8>(a, v as u8); break;
    case 1: store<u16>(a, v as u16); break;
    case 2: store<u32>(a, v as u32); break;
    default: store<u64>(a, v); break;
  }
}

// A 128-bit scratch register so a result can be built while its sources are still read
// (Vd may be Vn or Vm). Written back by commitScratch.
const SCRATCH: usize = memory.data(64, 16);
export function scratchSet(i: u32, esize: u32, v: u64): void {
  const a = SCRATCH + ((i << esize) as usize);
  switch (esize) {
    case 0: store<u8>(a, v as u8); break;
    case 1: store<u16>(a, v as u16); break;
    case 2: store<u32>(a, v as u32); break;
    default: store<u64>(a, v); break;
  }
}
export function scratchClear(): void { store<u64>(SCRATCH, 0); store<u64>(SCRATCH, 0, 8); }
/** The narrowing "2" forms keep the lower half of Vd. */
export function scratchKeepLo(n: u32): void { store<u64>(SCRATCH, load<u64>(vAddr(n))); }
/** Vd = scratch; with `q` false the upper 64 bits become zero. */
export function commitScratch(d: u32, q: bool): void {
  setV(d, load<u64>(SCRATCH), q ? load<u64>(SCRATCH, 8) : 0);
}

// ---- the access check ----

const CPACR_FPEN_SHIFT: u64 = 20;
const CPTR_TFP: u64 = 1 << 10;
const HCR_TGE: u64 = 1 << 27;
const SCR_NS: u64 = 1;
/** ESR ISS of a trapped A64 SIMD&FP access: CV = 1, COND = 0b1110 (ARM ARM D17.2.37, as QEMU reports it). */
const ISS_FP_ACCESS: u32 = (1 << 24) | (0xE << 20);

/**
 * True (and the exception taken) when SIMD&FP is disabled for the current EL:
 * CPACR_EL1.FPEN traps EL0/EL1 to EL1 (EL2 from EL0 with HCR_EL2.TGE), CPTR_EL2.TFP
 * traps EL0-EL2 to EL2 in Non-secure state, CPTR_EL3.TFP traps everything to EL3.
 */
export function fpTrapped(): bool {
  const target = fpTrapTarget();
  if (target == 0) return false;
  fpTrap(target);
  return true;
}

/** The EL a SIMD&FP instruction would trap to now, 0 if none; nothing is taken. */
export function fpTrapTarget(): u32 {
  const el = currentEL;
  if (el <= 1) {
    const tge = (slotGet(SLOT_HCR_EL2) & HCR_TGE) != 0 && el == 0;
    const fpen = (slotGet(SLOT_CPACR_EL1) >> CPACR_FPEN_SHIFT) & 3;
    // With HCR_EL2.TGE set, CPACR_EL1 has no effect on EL0.
    if (!tge && (fpen == 0 || fpen == 2 || (fpen == 1 && el == 0))) return tge ? 2 : 1;
  }
  if (el <= 2 && (el == 2 || (slotGet(SLOT_SCR_EL3) & SCR_NS) != 0) && (slotGet(SLOT_CPTR_EL2) & CPTR_TFP) != 0) return 2;
  if ((slotGet(SLOT_CPTR_EL3) & CPTR_TFP) != 0) return 3;
  return 0;
}

function fpTrap(target: u32): void {
  takeException(target, EXC_SYNC, (ESR_EC_FP_ACCESS << 26) | ESR_IL | ISS_FP_ACCESS, insnAddr, 0, false);
}
