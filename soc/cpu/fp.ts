// ARM floating-point arithmetic (ARM ARM A1.5 and the shared pseudocode library,
// "shared/functions/float": FPUnpack, FPRound, FPProcessNaNs, FPAdd, FPMul, FPDiv,
// FPMulAdd, FPSqrt, FPToFixed, FixedToFP, FPRoundInt, FPConvert, FPCompare, FPMax/FPMin
// and the ...Num forms, FPRecipEstimate, FPRSqrtEstimate).
//
// Values travel as raw bit patterns (u64) with the format given by its fraction width
// F: 10 (half), 23 (single), 52 (double). Every operation is computed exactly in
// integers and rounded once by fpRound, so each rounding mode, flush-to-zero,
// default NaN and every FPSR cumulative flag come out as the pseudocode says; wasm's
// f32/f64 are not used because their NaN results and the absent flags differ from
// ARM's (design note 8).

import { regBase } from "./state";
import { OFF_FPCR, OFF_FPSR } from "../machine/layout";

// FPSR cumulative exception bits (ARM ARM C5.2.8).
export const FPSR_IOC: u32 = 1 << 0;
export const FPSR_DZC: u32 = 1 << 1;
export const FPSR_OFC: u32 = 1 << 2;
export const FPSR_UFC: u32 = 1 << 3;
export const FPSR_IXC: u32 = 1 << 4;
export const FPSR_IDC: u32 = 1 << 7;
export const FPSR_QC: u32 = 1 << 27;
// FPCR fields (ARM ARM C5.2.7).
export const FPCR_AHP: u32 = 1 << 26;
export const FPCR_DN: u32 = 1 << 25;
export const FPCR_FZ: u32 = 1 << 24;
/** FPCR bits a Cortex-A53 keeps: AHP, DN, FZ, RMode, and Stride/Len, which do nothing in AArch64 but are stored for AArch32 context switches (ARM ARM C5.2.7); no trap enables, no FZ16. */
export const FPCR_MASK: u32 = 0x07F70000;
export const FPSR_MASK: u32 = 0xF800009F;

// Rounding modes (FPCR.RMode encoding) plus ties-away, which only instructions select.
export const RM_RN: u32 = 0;
export const RM_RP: u32 = 1;
export const RM_RM: u32 = 2;
export const RM_RZ: u32 = 3;
export const RM_RA: u32 = 4;

// @ts-ignore: decorator
@inline export function getFPCR(): u32 { return load<u32>(regBase + OFF_FPCR); }
// @ts-ignore: decorator
@inline export function getFPSR(): u32 { return load<u32>(regBase + OFF_FPSR); }
export function setFPCR(v: u32): void { store<u32>(regBase + OFF_FPCR, v & FPCR_MASK); }
export function setFPSR(v: u32): void { store<u32>(regBase + OFF_FPSR, v & FPSR_MASK); }
/** FPProcessException with every trap disabled (the A53 has no trapped FP exceptions): set the cumulative bit. */
// @ts-ignore: decorator
@inline export function fpRaise(bits: u32): void {
  store<u32>(regBase + OFF_FPSR, load<u32>(regBase + OFF_FPSR) | bits);
}

/** Rounding mode from FPCR.RMode. */
// @ts-ignore: decorator
@inline export function fpcrRounding(): u32 { return (getFPCR() >> 22) & 3; }

// ---- formats ----

// @ts-ignore: decorator
@inline function expBits(F: i32): i32 { return F == 52 ? 11 : (F == 23 ? 8 : 5); }
// @ts-ignore: decorator
@inline function signShift(F: i32): u64 { return (F + expBits(F)) as u64; }
export function fpDefaultNaN(F: i32): u64 {
  const E = expBits(F);
  return ((((1 as u64) << (E as u64)) - 1) << (F as u64)) | ((1 as u64) << ((F - 1) as u64));
}
export function fpInfinity(sign: u32, F: i32): u64 {
  const E = expBits(F);
  return ((sign as u64) << signShift(F)) | ((((1 as u64) << (E as u64)) - 1) << (F as u64));
}
export function fpZero(sign: u32, F: i32): u64 { return (sign as u64) << signShift(F); }
function fpMaxNormal(sign: u32, F: i32): u64 {
  const E = expBits(F);
  return ((sign as u64) << signShift(F)) | ((((1 as u64) << (E as u64)) - 2) << (F as u64)) | (((1 as u64) << (F as u64)) - 1);
}
function fpOne(sign: u32, F: i32): u64 {
  const E = expBits(F);
  return ((sign as u64) << signShift(F)) | ((((1 as u64) << ((E - 1) as u64)) - 1) << (F as u64));
}
function fpTwo(sign: u32, F: i32): u64 {
  const E = expBits(F);
  return ((sign as u64) << signShift(F)) | (((1 as u64) << ((E - 1) as u64)) << (F as u64));
}
function fpThreeHalves(sign: u32, F: i32): u64 { return fpOne(sign, F) | ((1 as u64) << ((F - 1) as u64)); }

// ---- FPUnpack ----

export const T_ZERO: u32 = 0;
export const T_NONZERO: u32 = 1;
export const T_INF: u32 = 2;
export const T_QNAN: u32 = 3;
export const T_SNAN: u32 = 4;

// Results of unpack(): value = uMant * 2^uExp for T_NONZERO.
let uType: u32 = 0;
let uSign: u32 = 0;
let uExp: i32 = 0;
let uMant: u64 = 0;

/**
 * FPUnpack: classifies `x`. With FPCR.FZ a single or double denormal is a zero and
 * raises IDC (half precision is never flushed in ARMv8.0); with FPCR.AHP a half
 * with exponent 31 is an ordinary number.
 */
function unpack(x: u64, F: i32, fpcr: u32): void {
  const E = expBits(F);
  const emax: u64 = ((1 as u64) << (E as u64)) - 1;
  const bias = (1 << (E - 1)) - 1;
  uSign = ((x >> signShift(F)) & 1) as u32;
  const e = (x >> (F as u64)) & emax;
  const frac = x & (((1 as u64) << (F as u64)) - 1);
  if (e == 0) {
    if (frac == 0) { uType = T_ZERO; return; }
    if (F != 10 && (fpcr & FPCR_FZ) != 0) { uType = T_ZERO; fpRaise(FPSR_IDC); return; }
    uType = T_NONZERO; uMant = frac; uExp = 1 - bias - F;
    return;
  }
  if (e == emax && !(F == 10 && (fpcr & FPCR_AHP) != 0)) {
    if (frac == 0) uType = T_INF;
    else uType = (frac >> ((F - 1) as u64)) & 1 ? T_QNAN : T_SNAN;
    return;
  }
  uType = T_NONZERO; uMant = frac | ((1 as u64) << (F as u64)); uExp = (e as i32) - bias - F;
}

/** The type of `x` without side effects (no IDC), FZ applied. */
export function fpType(x: u64, F: i32, fpcr: u32): u32 {
  const E = expBits(F);
  const emax: u64 = ((1 as u64) << (E as u64)) - 1;
  const e = (x >> (F as u64)) & emax;
  const frac = x & (((1 as u64) << (F as u64)) - 1);
  if (e == 0) return frac == 0 || (F != 10 && (fpcr & FPCR_FZ) != 0) ? T_ZERO : T_NONZERO;
  if (e == emax) return frac == 0 ? T_INF : ((frac >> ((F - 1) as u64)) & 1 ? T_QNAN : T_SNAN);
  return T_NONZERO;
}

// ---- NaNs ----

/** FPProcessNaN: quiet a signalling NaN (IOC), then the default NaN if FPCR.DN. */
export function processNaN(type: u32, x: u64, F: i32, fpcr: u32): u64 {
  let r = x;
  if (type == T_SNAN) { r = x | ((1 as u64) << ((F - 1) as u64)); fpRaise(FPSR_IOC); }
  if ((fpcr & FPCR_DN) != 0) r = fpDefaultNaN(F);
  return r;
}

let nanResult: u64 = 0;
/** FPProcessNaNs: a signalling NaN first (op1 before op2), then a quiet one. Result in nanResult. */
function processNaNs(t1: u32, t2: u32, a: u64, b: u64, F: i32, fpcr: u32): bool {
  if (t1 == T_SNAN) { nanResult = processNaN(t1, a, F, fpcr); return true; }
  if (t2 == T_SNAN) { nanResult = processNaN(t2, b, F, fpcr); return true; }
  if (t1 == T_QNAN) { nanResult = processNaN(t1, a, F, fpcr); return true; }
  if (t2 == T_QNAN) { nanResult = processNaN(t2, b, F, fpcr); return true; }
  return false;
}
/** FPProcessNaNs3 (operand order: addend, op1, op2 for FPMulAdd). */
function processNaNs3(t1: u32, t2: u32, t3: u32, a: u64, b: u64, c: u64, F: i32, fpcr: u32): bool {
  if (t1 == T_SNAN) { nanResult = processNaN(t1, a, F, fpcr); return true; }
  if (t2 == T_SNAN) { nanResult = processNaN(t2, b, F, fpcr); return true; }
  if (t3 == T_SNAN) { nanResult = processNaN(t3, c, F, fpcr); return true; }
  if (t1 == T_QNAN) { nanResult = processNaN(t1, a, F, fpcr); return true; }
  if (t2 == T_QNAN) { nanResult = processNaN(t2, b, F, fpcr); return true; }
  if (t3 == T_QNAN) { nanResult = processNaN(t3, c, F, fpcr); return true; }
  return false;
}

// @ts-ignore: decorator
@inline function isNaNType(t: u32): bool { return t >= T_QNAN; }

// ---- FPRound ----

/** Whether rounding a magnitude goes up to the next value (ARM ARM FPRound, round_up): `above`
 *  and `tie` compare the discarded bits with half an ulp, `inexact` says some are set. */
// @ts-ignore: decorator
@inline function roundsUp(mode: u32, negative: bool, odd: bool, inexact: bool, above: bool, tie: bool): bool {
  switch (mode) {
    case RM_RN: return above || (tie && odd);
    case RM_RA: return above || tie;
    case RM_RP: return inexact && !negative;
    case RM_RM: return inexact && negative;
    default: return false;
  }
}

/**
 * FPRound (ARM ARM shared pseudocode): rounds sign * mant * 2^exp (mant != 0; its
 * lowest bit may be a sticky bit standing for discarded non-zero bits, which needs
 * at least two bits below the rounding point) to format F in rounding mode `mode`.
 * Tininess is detected before rounding; FZ flushes a tiny result to zero with UFC only.
 */
export function fpRound(sign: u32, exp: i32, mant: u64, F: i32, mode: u32, fpcr: u32): u64 {
  const E = expBits(F);
  const bias = (1 << (E - 1)) - 1;
  const minExp = 1 - bias;
  const lz = <i32>clz(mant);
  mant <<= lz as u64;
  const e = exp - lz + 63; // value = 1.xxx * 2^e
  if (F != 10 && (fpcr & FPCR_FZ) != 0 && e < minExp) {
    fpRaise(FPSR_UFC);
    return fpZero(sign, F);
  }
  let biased = e - minExp + 1;
  let shift = 63 - F;
  if (biased <= 0) { shift += 1 - biased; biased = 0; }
  let intMant: u64, rem: u64, half: u64;
  let above: bool, tie: bool, errNZ: bool;
  if (shift >= 65) { intMant = 0; errNZ = true; above = false; tie = false; }
  else if (shift == 64) { intMant = 0; errNZ = true; above = mant > 0x8000000000000000; tie = mant == 0x8000000000000000; }
  else {
    intMant = mant >> (shift as u64);
    rem = mant & (((1 as u64) << (shift as u64)) - 1);
    half = (1 as u64) << ((shift - 1) as u64);
    errNZ = rem != 0; above = rem > half; tie = rem == half;
  }
  if (biased == 0 && errNZ) fpRaise(FPSR_UFC);
  const roundUp = roundsUp(mode, sign != 0, (intMant & 1) != 0, errNZ, above, tie);
  const overflowToInf = mode == RM_RN || mode == RM_RA || (mode == RM_RP && sign == 0) || (mode == RM_RM && sign != 0);
  if (roundUp) {
    intMant++;
    if (intMant == ((1 as u64) << (F as u64))) biased = 1;
    if (intMant == ((1 as u64) << ((F + 1) as u64))) { biased++; intMant >>= 1; }
  }
  let result: u64;
  if (F == 10 && (fpcr & FPCR_AHP) != 0) {
    if (biased >= (1 << E)) {
      fpRaise(FPSR_IOC);
      return ((sign as u64) << 15) | 0x7FFF;
    }
    result = ((sign as u64) << 15) | ((biased as u64) << 10) | (intMant & 0x3FF);
  } else if (biased >= (1 << E) - 1) {
    result = overflowToInf ? fpInfinity(sign, F) : fpMaxNormal(sign, F);
    fpRaise(FPSR_OFC | FPSR_IXC);
    return result;
  } else {
    result = ((sign as u64) << signShift(F)) | ((biased as u64) << (F as u64)) | (intMant & (((1 as u64) << (F as u64)) - 1));
  }
  if (errNZ) fpRaise(FPSR_IXC);
  return result;
}

// ---- exact integer arithmetic helpers ----

/** Shift right with jamming: any bit shifted out sets bit 0. */
// @ts-ignore: decorator
@inline function shrJam(x: u64, n: i32): u64 {
  if (n <= 0) return x;
  if (n >= 64) return x != 0 ? 1 : 0;
  return (x >> (n as u64)) | ((x & (((1 as u64) << (n as u64)) - 1)) != 0 ? 1 : 0);
}

let mulHi: u64 = 0;
/** 64x64 -> 128-bit product: returns the low half, high half in mulHi. */
export function mul128(a: u64, b: u64): u64 {
  const a0 = a & 0xFFFFFFFF, a1 = a >> 32, b0 = b & 0xFFFFFFFF, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xFFFFFFFF) + (p10 & 0xFFFFFFFF);
  mulHi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  return (mid << 32) | (p00 & 0xFFFFFFFF);
}

// Exact sum of two values hi:lo * 2^exp (128-bit magnitudes, top bit at most 125):
// results in sumSign/sumExp/sumMant (64-bit with jam), sumZero when exactly zero.
let sumSign: u32 = 0;
let sumExp: i32 = 0;
let sumMant: u64 = 0;
let sumZero: bool = false;

function normalize128(hi: u64, lo: u64, exp: i32): void {
  // Shift left so the top bit is bit 125 of hi:lo; results in nHi/nLo/nExp.
  let n: i32;
  if (hi != 0) n = <i32>clz(hi) - 2;
  else n = 64 + <i32>clz(lo) - 2;
  if (n > 0) {
    if (n >= 64) { nHi = lo << ((n - 64) as u64); nLo = 0; }
    else { nHi = (hi << (n as u64)) | (lo >> ((64 - n) as u64)); nLo = lo << (n as u64); }
  } else if (n < 0) {
    const m = -n;
    nLo = (lo >> (m as u64)) | (hi << ((64 - m) as u64)) | ((lo & (((1 as u64) << (m as u64)) - 1)) != 0 ? 1 : 0);
    nHi = hi >> (m as u64);
  } else { nHi = hi; nLo = lo; }
  nExp = exp - n;
}
let nHi: u64 = 0;
let nLo: u64 = 0;
let nExp: i32 = 0;

function addExact(sa: u32, ahi: u64, alo: u64, ea: i32, sb: u32, bhi: u64, blo: u64, eb: i32): void {
  normalize128(ahi, alo, ea);
  let xh = nHi, xl = nLo, xe = nExp;
  normalize128(bhi, blo, eb);
  let yh = nHi, yl = nLo, ye = nExp;
  let xs = sa, ys = sb;
  // x gets the larger exponent.
  if (ye > xe || (ye == xe && (yh > xh || (yh == xh && yl > xl)))) {
    let t = xh; xh = yh; yh = t; t = xl; xl = yl; yl = t;
    const te = xe; xe = ye; ye = te; const ts = xs; xs = ys; ys = ts;
  }
  const d = xe - ye;
  if (d >= 128) { yl = (yh | yl) != 0 ? 1 : 0; yh = 0; }
  else if (d >= 64) {
    const m = d - 64;
    yl = shrJam(yh, m) | (yl != 0 ? 1 : 0);
    yh = 0;
  } else if (d > 0) {
    const lost = (yl & (((1 as u64) << (d as u64)) - 1)) != 0;
    yl = (yl >> (d as u64)) | (yh << ((64 - d) as u64)) | (lost ? 1 : 0);
    yh = yh >> (d as u64);
  }
  let rh: u64, rl: u64;
  if (xs == ys) {
    rl = xl + yl;
    rh = xh + yh + (rl < xl ? 1 : 0);
  } else {
    rl = xl - yl;
    rh = xh - yh - (xl < yl ? 1 : 0);
  }
  sumSign = xs;
  if (rh == 0 && rl == 0) { sumZero = true; return; }
  sumZero = false;
  // Collapse to 64 bits with jam.
  if (rh != 0) {
    const s = 64 - <i32>clz(rh); // bits to move from hi into lo position
    sumMant = s == 64 ? (rh | (rl != 0 ? 1 : 0)) : ((rh << ((64 - s) as u64)) | (rl >> (s as u64)) | ((rl & (((1 as u64) << (s as u64)) - 1)) != 0 ? 1 : 0));
    sumExp = xe + s;
  } else {
    sumMant = rl;
    sumExp = xe;
  }
}

// ---- arithmetic ----

export function fpAdd(a: u64, b: u64, F: i32, fpcr: u32): u64 {
  return addSub(a, b, F, fpcr, false);
}
export function fpSub(a: u64, b: u64, F: i32, fpcr: u32): u64 {
  return addSub(a, b, F, fpcr, true);
}
function addSub(a: u64, b: u64, F: i32, fpcr: u32, sub: bool): u64 {
  unpack(a, F, fpcr);
  const t1 = uType, s1 = uSign, e1 = uExp, m1 = uMant;
  unpack(b, F, fpcr);
  const t2 = uType, e2 = uExp, m2 = uMant;
  let s2 = uSign;
  if (processNaNs(t1, t2, a, b, F, fpcr)) return nanResult;
  if (sub) s2 ^= 1;
  if (t1 == T_INF && t2 == T_INF && s1 != s2) { fpRaise(FPSR_IOC); return fpDefaultNaN(F); }
  if (t1 == T_INF) return fpInfinity(s1, F);
  if (t2 == T_INF) return fpInfinity(s2, F);
  if (t1 == T_ZERO && t2 == T_ZERO && s1 == s2) return fpZero(s1, F);
  if (t1 == T_ZERO && t2 == T_ZERO) return fpZero(fpcrRoundingOf(fpcr) == RM_RM ? 1 : 0, F);
  if (t1 == T_ZERO) return fpRound(s2, e2, m2, F, fpcrRoundingOf(fpcr), fpcr);
  if (t2 == T_ZERO) return fpRound(s1, e1, m1, F, fpcrRoundingOf(fpcr), fpcr);
  addExact(s1, 0, m1, e1, s2, 0, m2, e2);
  if (sumZero) return fpZero(fpcrRoundingOf(fpcr) == RM_RM ? 1 : 0, F);
  return fpRound(sumSign, sumExp, sumMant, F, fpcrRoundingOf(fpcr), fpcr);
}

// @ts-ignore: decorator
@inline function fpcrRoundingOf(fpcr: u32): u32 { return (fpcr >> 22) & 3; }

export function fpMul(a: u64, b: u64, F: i32, fpcr: u32): u64 {
  return mulCommon(a, b, F, fpcr, false);
}
/** FMULX: like FMUL but infinity times zero is 2.0 (with the product's sign). */
export function fpMulX(a: u64, b: u64, F: i32, fpcr: u32): u64 {
  return mulCommon(a, b, F, fpcr, true);
}
function mulCommon(a: u64, b: u64, F: i32, fpcr: u32, x: bool): u64 {
  unpack(a, F, fpcr);
  const t1 = uType, s1 = uSign, e1 = uExp, m1 = uMant;
  unpack(b, F, fpcr);
  const t2 = uType, s2 = uSign, e2 = uExp, m2 = uMant;
  if (processNaNs(t1, t2, a, b, F, fpcr)) return nanResult;
  const s = s1 ^ s2;
  if ((t1 == T_INF && t2 == T_ZERO) || (t1 == T_ZERO && t2 == T_INF)) {
    if (x) return fpTwo(s, F);
    fpRaise(FPSR_IOC); return fpDefaultNaN(F);
  }
  if (t1 == T_INF || t2 == T_INF) return fpInfinity(s, F);
  if (t1 == T_ZERO || t2 == T_ZERO) return fpZero(s, F);
  // Both significands are at most 53 bits: the product fits 106 bits.
  const lo = mul128(m1, m2);
  const hi = mulHi;
  let mant: u64, exp = e1 + e2;
  if (hi == 0) mant = lo;
  else {
    const sh = 64 - <i32>clz(hi);
    mant = (hi << ((64 - sh) as u64)) | (lo >> (sh as u64)) | ((lo & (((1 as u64) << (sh as u64)) - 1)) != 0 ? 1 : 0);
    exp += sh;
  }
  return fpRound(s, exp, mant, F, fpcrRoundingOf(fpcr), fpcr);
}

export function fpDiv(a: u64, b: u64, F: i32, fpcr: u32): u64 {
  unpack(a, F, fpcr);
  const t1 = uType, s1 = uSign, e1 = uExp, m1 = uMant;
  unpack(b, F, fpcr);
  const t2 = uType, s2 = uSign, e2 = uExp, m2 = uMant;
  if (processNaNs(t1, t2, a, b, F, fpcr)) return nanResult;
  const s = s1 ^ s2;
  if ((t1 == T_INF && t2 == T_INF) || (t1 == T_ZERO && t2 == T_ZERO)) { fpRaise(FPSR_IOC); return fpDefaultNaN(F); }
  if (t1 == T_INF || t2 == T_ZERO) {
    if (t1 != T_INF) fpRaise(FPSR_DZC);
    return fpInfinity(s, F);
  }
  if (t1 == T_ZERO || t2 == T_INF) return fpZero(s, F);
  // Both significands normalized to bit 62; quotient bits by long division.
  const l1 = <i32>clz(m1) - 1, l2 = <i32>clz(m2) - 1;
  let rem = m1 << (l1 as u64);
  const d = m2 << (l2 as u64);
  let q: u64 = 0;
  for (let i = 0; i < 64; i++) {
    q <<= 1;
    if (rem >= d) { rem -= d; q |= 1; }
    rem <<= 1;
  }
  if (rem != 0) q |= 1;
  // m1*2^l1 / (m2*2^l2) = q / 2^63
  return fpRound(s, e1 - l1 - e2 + l2 - 63, q, F, fpcrRoundingOf(fpcr), fpcr);
}

export function fpSqrt(a: u64, F: i32, fpcr: u32): u64 {
  unpack(a, F, fpcr);
  const t = uType, s = uSign;
  if (isNaNType(t)) return processNaN(t, a, F, fpcr);
  if (t == T_ZERO) return fpZero(s, F);
  if (t == T_INF && s == 0) return fpInfinity(0, F);
  if (s != 0) { fpRaise(FPSR_IOC); return fpDefaultNaN(F); }
  // m with its top bit at 54 or 55 so that the exponent is even; root of m * 2^64.
  let m = uMant, e = uExp;
  const l = <i32>clz(m) - 9; // top bit at 54
  m <<= l as u64; e -= l;
  if ((e & 1) != 0) { m <<= 1; e -= 1; }
  let root: u64 = 0, rem: u64 = 0;
  for (let i = 59; i >= 0; i--) {
    const pos = 2 * i - 64;
    const two: u64 = pos >= 0 ? (m >> (pos as u64)) & 3 : 0;
    rem = (rem << 2) | two;
    root <<= 1;
    const trial = (root << 1) | 1;
    if (rem >= trial) { rem -= trial; root |= 1; }
  }
  if (rem != 0) root = (root << 1) | 1; else root <<= 1;
  // sqrt(m * 2^64) = root/2 ; value = sqrt(m * 2^e) = sqrt(m*2^64) * 2^((e-64)/2)
  return fpRound(0, ((e - 64) >> 1) - 1, root, F, fpcrRoundingOf(fpcr), fpcr);
}

/**
 * FPMulAdd: addend + op1*op2 with one rounding. FMSUB/FNMADD/FNMSUB/FMLS negate their
 * operands with fpNeg before the call, as the pseudocode's FPNeg does (a NaN's sign too).
 */
export function fpMulAdd(addend: u64, op1: u64, op2: u64, F: i32, fpcr: u32): u64 {
  return mulAddRounded(addend, op1, op2, F, fpcr, fpcrRoundingOf(fpcr), 0);
}
function mulAddRounded(addend: u64, op1: u64, op2: u64, F: i32, fpcr: u32, mode: u32, recipStep: u32): u64 {
  unpack(addend, F, fpcr);
  const tA = uType, sA = uSign, eA = uExp, mA = uMant;
  unpack(op1, F, fpcr);
  const t1 = uType, s1 = uSign, e1 = uExp, m1 = uMant;
  unpack(op2, F, fpcr);
  const t2 = uType, s2 = uSign, e2 = uExp, m2 = uMant;
  const inf1 = t1 == T_INF, zero1 = t1 == T_ZERO, inf2 = t2 == T_INF, zero2 = t2 == T_ZERO;
  let done = processNaNs3(tA, t1, t2, addend, op1, op2, F, fpcr);
  let result = nanResult;
  if (tA == T_QNAN && ((inf1 && zero2) || (zero1 && inf2))) {
    result = fpDefaultNaN(F); fpRaise(FPSR_IOC);
  }
  if (done) return result;
  const infA = tA == T_INF, zeroA = tA == T_ZERO;
  const sP = s1 ^ s2;
  const infP = inf1 || inf2, zeroP = zero1 || zero2;
  if ((inf1 && zero2) || (zero1 && inf2)) {
    // FPRecipStepFused / FPRSqrtStepFused: infinity times zero gives 2.0 / 1.5.
    if (recipStep == 1) return fpTwo(0, F);
    if (recipStep == 2) return fpThreeHalves(0, F);
    fpRaise(FPSR_IOC); return fpDefaultNaN(F);
  }
  if (infA && infP && sA != sP) { fpRaise(FPSR_IOC); return fpDefaultNaN(F); }
  if ((infA && sA == 0) || (infP && sP == 0)) return fpInfinity(0, F);
  if ((infA && sA == 1) || (infP && sP == 1)) return fpInfinity(1, F);
  if (zeroA && zeroP && sA == sP) return fpZero(sA, F);
  const zeroSign: u32 = mode == RM_RM ? 1 : 0;
  if (zeroP) {
    if (zeroA) return fpZero(zeroSign, F);
    return fpRound(sA, eA, mA, F, mode, fpcr);
  }
  const lo = mul128(m1, m2);
  const hi = mulHi;
  if (zeroA) {
    addExact(sP, hi, lo, e1 + e2, 0, 0, 0, -100000);
  } else {
    addExact(sP, hi, lo, e1 + e2, sA, 0, mA, eA);
  }
  if (sumZero) return fpZero(zeroSign, F);
  return fpRound(sumSign, sumExp, sumMant, F, mode, fpcr);
}

/** FRECPS: 2.0 - op1*op2, fused (FPRecipStepFused). */
export function fpRecipStep(op1: u64, op2: u64, F: i32, fpcr: u32): u64 {
  return mulAddRounded(fpTwo(0, F), op1 ^ ((1 as u64) << signShift(F)), op2, F, fpcr, fpcrRoundingOf(fpcr), 1);
}
/** FRSQRTS: (3.0 - op1*op2) / 2, fused (FPRSqrtStepFused). */
export function fpRSqrtStep(op1: u64, op2: u64, F: i32, fpcr: u32): u64 {
  const n1 = fpNeg(op1, F);
  unpack(n1, F, fpcr);
  const t1 = uType, s1 = uSign, e1 = uExp, m1 = uMant;
  unpack(op2, F, fpcr);
  const t2 = uType, s2 = uSign, e2 = uExp, m2 = uMant;
  if (processNaNs(t1, t2, n1, op2, F, fpcr)) return nanResult;
  if ((t1 == T_INF && t2 == T_ZERO) || (t1 == T_ZERO && t2 == T_INF)) return fpThreeHalves(0, F);
  if (t1 == T_INF || t2 == T_INF) return fpInfinity(s1 ^ s2, F);
  if (t1 == T_ZERO || t2 == T_ZERO) return fpThreeHalves(0, F);
  // (3 + p) / 2 = p * 2^-1 + 3 * 2^-1, exactly, then one rounding.
  const lo = mul128(m1, m2);
  addExact(s1 ^ s2, mulHi, lo, e1 + e2 - 1, 0, 0, 3, -1);
  if (sumZero) return fpZero(fpcrRoundingOf(fpcr) == RM_RM ? 1 : 0, F);
  return fpRound(sumSign, sumExp, sumMant, F, fpcrRoundingOf(fpcr), fpcr);
}

/** FNEG / FABS: sign bit only, NaNs included (no exception). */
export function fpNeg(a: u64, F: i32): u64 { return a ^ ((1 as u64) << signShift(F)); }
export function fpAbs(a: u64, F: i32): u64 { return a & ~((1 as u64) << signShift(F)); }

// ---- max / min ----

/** FPMax (isMax) or FPMin; with `num`, FPMaxNum/FPMinNum: a single quiet NaN loses. */
export function fpMaxMin(a: u64, b: u64, F: i32, fpcr: u32, isMax: bool, num: bool): u64 {
  if (num) {
    const ta = fpType(a, F, fpcr), tb = fpType(b, F, fpcr);
    if (ta == T_QNAN && tb != T_QNAN) a = fpInfinity(isMax ? 1 : 0, F);
    else if (ta != T_QNAN && tb == T_QNAN) b = fpInfinity(isMax ? 1 : 0, F);
  }
  unpack(a, F, fpcr);
  const t1 = uType, s1 = uSign, e1 = uExp, m1 = uMant;
  unpack(b, F, fpcr);
  const t2 = uType, s2 = uSign, e2 = uExp, m2 = uMant;
  if (processNaNs(t1, t2, a, b, F, fpcr)) return nanResult;
  const c = compareValues(t1, s1, e1, m1, t2, s2, e2, m2); // -1, 0, 1
  let pickFirst = isMax ? c > 0 : c < 0;
  const t = pickFirst ? t1 : t2;
  const s = pickFirst ? s1 : s2;
  if (t == T_INF) return fpInfinity(s, F);
  if (t == T_ZERO) {
    // Both zero (or the other is on the wrong side): max(+0,-0) = +0, min = -0.
    const zs = (t1 == T_ZERO && t2 == T_ZERO) ? (isMax ? s1 & s2 : s1 | s2) : s;
    return fpZero(zs, F);
  }
  // A number picked as is: exactly representable, so rounding is exact.
  return pickFirst ? a : b;
}

/** Orders two unpacked non-NaN values: -1, 0, 1. */
function compareValues(t1: u32, s1: u32, e1: i32, m1: u64, t2: u32, s2: u32, e2: i32, m2: u64): i32 {
  // Map to a signed magnitude key: zero 0, inf largest.
  const k1 = magnitudeRank(t1), k2 = magnitudeRank(t2);
  if (t1 == T_ZERO && t2 == T_ZERO) return 0;
  const v1: i32 = t1 == T_ZERO ? 0 : (s1 ? -1 : 1);
  const v2: i32 = t2 == T_ZERO ? 0 : (s2 ? -1 : 1);
  if (v1 != v2) return v1 < v2 ? -1 : 1;
  // Same sign, both non-zero.
  const mag: i32 = k1 == k2 ? cmpMag(e1, m1, e2, m2, t1, t2) : (k1 < k2 ? -1 : 1);
  return v1 < 0 ? -mag : mag;
}
function magnitudeRank(t: u32): i32 { return t == T_INF ? 2 : (t == T_ZERO ? 0 : 1); }
function cmpMag(e1: i32, m1: u64, e2: i32, m2: u64, t1: u32, t2: u32): i32 {
  if (t1 == T_INF) return 0;
  const l1 = <i32>clz(m1), l2 = <i32>clz(m2);
  const x1 = e1 - l1, x2 = e2 - l2;
  if (x1 != x2) return x1 < x2 ? -1 : 1;
  const n1 = m1 << (l1 as u64), n2 = m2 << (l2 as u64);
  return n1 == n2 ? 0 : (n1 < n2 ? -1 : 1);
}

// ---- compare ----

/** FPCompare: NZCV for FCMP/FCMPE (`signal`: any NaN raises IOC, else only a signalling one). */
export function fpCompare(a: u64, b: u64, F: i32, fpcr: u32, signal: bool): u32 {
  unpack(a, F, fpcr);
  const t1 = uType, s1 = uSign, e1 = uExp, m1 = uMant;
  unpack(b, F, fpcr);
  const t2 = uType, s2 = uSign, e2 = uExp, m2 = uMant;
  if (isNaNType(t1) || isNaNType(t2)) {
    if (signal || t1 == T_SNAN || t2 == T_SNAN) fpRaise(FPSR_IOC);
    return 0x3;
  }
  const c = compareValues(t1, s1, e1, m1, t2, s2, e2, m2);
  return c == 0 ? 0x6 : (c < 0 ? 0x8 : 0x2);
}
/** FPCompareEQ / GE / GT for the SIMD compares: kind 0 EQ, 1 GE, 2 GT. */
export function fpCompareCond(a: u64, b: u64, F: i32, fpcr: u32, kind: i32): bool {
  unpack(a, F, fpcr);
  const t1 = uType, s1 = uSign, e1 = uExp, m1 = uMant;
  unpack(b, F, fpcr);
  const t2 = uType, s2 = uSign, e2 = uExp, m2 = uMant;
  if (isNaNType(t1) || isNaNType(t2)) {
    if (kind != 0 || t1 == T_SNAN || t2 == T_SNAN) fpRaise(FPSR_IOC);
    return false;
  }
  const c = compareValues(t1, s1, e1, m1, t2, s2, e2, m2);
  return kind == 0 ? c == 0 : (kind == 1 ? c >= 0 : c > 0);
}

// ---- conversions ----

/**
 * FPToFixed: `a` times 2^fbits rounded to an integer of `bits` (32/64) bits, signed or
 * not, saturating with IOC; a NaN gives 0 with IOC; inexact sets IXC.
 */
export function fpToFixed(a: u64, F: i32, fbits: i32, unsigned: bool, bits: i32, mode: u32, fpcr: u32): u64 {
  unpack(a, F, fpcr);
  const t = uType, s = uSign;
  if (isNaNType(t)) { fpRaise(FPSR_IOC); return 0; }
  if (t == T_ZERO) return 0;
  if (t == T_INF) { fpRaise(FPSR_IOC); return saturate(s, unsigned, bits); }
  const e = uExp + fbits;
  const m = uMant;
  let intPart: u64;
  let errNZ = false, above = false, tie = false;
  if (e >= 0) {
    if (e + (64 - <i32>clz(m)) > 64) { fpRaise(FPSR_IOC); return saturate(s, unsigned, bits); }
    intPart = m << (e as u64);
  } else {
    const sh = -e;
    if (sh >= 65) { intPart = 0; errNZ = true; }
    else if (sh == 64) { intPart = 0; errNZ = true; above = m > 0x8000000000000000; tie = m == 0x8000000000000000; }
    else {
      intPart = m >> (sh as u64);
      const rem = m & (((1 as u64) << (sh as u64)) - 1);
      const half = (1 as u64) << ((sh - 1) as u64);
      errNZ = rem != 0; above = rem > half; tie = rem == half;
    }
  }
  const up = roundsUp(mode, s != 0, (intPart & 1) != 0, errNZ, above, tie);
  let carry = false;
  if (up) { intPart++; if (intPart == 0) carry = true; }
  // Range check of sign * intPart.
  let over = carry;
  if (!over) {
    if (unsigned) {
      if (s != 0 && intPart != 0) over = true;
      else if (bits == 32 && intPart > 0xFFFFFFFF) over = true;
    } else {
      const lim: u64 = bits == 32 ? 0x80000000 : 0x8000000000000000;
      if (s == 0 ? intPart >= lim : intPart > lim) over = true;
    }
  }
  if (over) { fpRaise(FPSR_IOC); return saturate(s, unsigned, bits); }
  if (errNZ) fpRaise(FPSR_IXC);
  let r = s != 0 ? (0 as u64) - intPart : intPart;
  if (bits == 32) r &= 0xFFFFFFFF;
  return r;
}
function saturate(sign: u32, unsigned: bool, bits: i32): u64 {
  if (unsigned) return sign != 0 ? 0 : (bits == 32 ? 0xFFFFFFFF : 0xFFFFFFFFFFFFFFFF);
  if (bits == 32) return sign != 0 ? 0x80000000 : 0x7FFFFFFF;
  return sign != 0 ? 0x8000000000000000 : 0x7FFFFFFFFFFFFFFF;
}

/** FixedToFP: the integer `v` of `bits` bits (signed or not) divided by 2^fbits, rounded. */
export function fixedToFP(v: u64, bits: i32, unsigned: bool, fbits: i32, F: i32, mode: u32, fpcr: u32): u64 {
  if (bits == 32) v = unsigned ? v & 0xFFFFFFFF : (((v as i32) as i64) as u64);
  else if (bits == 16) v = unsigned ? v & 0xFFFF : (((v as i16) as i64) as u64);
  let sign: u32 = 0;
  if (!unsigned && (v as i64) < 0) { sign = 1; v = (0 as u64) - v; }
  if (v == 0) return fpZero(0, F);
  return fpRound(sign, -fbits, v, F, mode, fpcr);
}

/** FPRoundInt (FRINT*): round to an integral value in the same format; `exact` raises IXC (FRINTX). */
export function fpRoundInt(a: u64, F: i32, mode: u32, exact: bool, fpcr: u32): u64 {
  unpack(a, F, fpcr);
  const t = uType, s = uSign;
  if (isNaNType(t)) return processNaN(t, a, F, fpcr);
  if (t == T_INF) return fpInfinity(s, F);
  if (t == T_ZERO) return fpZero(s, F);
  const e = uExp, m = uMant;
  if (e >= 0) return a; // already integral
  const sh = -e;
  let intPart: u64 = 0;
  let errNZ = false, above = false, tie = false;
  if (sh >= 64) { errNZ = true; }
  else {
    intPart = m >> (sh as u64);
    const rem = m & (((1 as u64) << (sh as u64)) - 1);
    const half = (1 as u64) << ((sh - 1) as u64);
    errNZ = rem != 0; above = rem > half; tie = rem == half;
  }
  const up = roundsUp(mode, s != 0, (intPart & 1) != 0, errNZ, above, tie);
  if (up) intPart++;
  if (errNZ && exact) fpRaise(FPSR_IXC);
  if (intPart == 0) return fpZero(s, F);
  return fpRound(s, 0, intPart, F, RM_RZ, fpcr & ~FPCR_FZ);
}

/** FPConvert between formats (FCVT, FCVTL/FCVTN); `mode` rounds a narrowing. */
export function fpConvert(a: u64, Fs: i32, Fd: i32, mode: u32, fpcr: u32): u64 {
  unpack(a, Fs, fpcr);
  const t = uType, s = uSign;
  const altHP = Fd == 10 && (fpcr & FPCR_AHP) != 0;
  if (isNaNType(t)) {
    if (altHP) { fpRaise(FPSR_IOC); return fpZero(s, Fd); }
    if (t == T_SNAN) fpRaise(FPSR_IOC);
    if ((fpcr & FPCR_DN) != 0) return fpDefaultNaN(Fd);
    // FPConvertNaN: keep sign and the top fraction bits, quiet.
    const frac = a & (((1 as u64) << (Fs as u64)) - 1);
    let f: u64 = Fd >= Fs ? frac << ((Fd - Fs) as u64) : frac >> ((Fs - Fd) as u64);
    f |= (1 as u64) << ((Fd - 1) as u64);
    return fpInfinity(s, Fd) | f;
  }
  if (t == T_INF) {
    if (altHP) { fpRaise(FPSR_IOC); return ((s as u64) << 15) | 0x7FFF; }
    return fpInfinity(s, Fd);
  }
  if (t == T_ZERO) return fpZero(s, Fd);
  return fpRound(s, uExp, uMant, Fd, mode, fpcr);
}

/** FCVTXN: double to single rounding to odd (FPRound with round-to-odd, ARM ARM FPConvert). */
export function fpConvertToOdd(a: u64, fpcr: u32): u64 {
  unpack(a, 52, fpcr);
  const t = uType, s = uSign;
  if (isNaNType(t)) return fpConvert(a, 52, 23, RM_RN, fpcr);
  if (t == T_INF) return fpInfinity(s, 23);
  if (t == T_ZERO) return fpZero(s, 23);
  // FPRounding_ODD: round toward zero (round_up and overflow_to_inf false), then force the lowest
  // bit to 1 if the result is inexact (ARM ARM FPRound).
  const before = getFPSR();
  store<u32>(regBase + OFF_FPSR, 0);
  let r = fpRound(s, uExp, uMant, 23, RM_RZ, fpcr);
  const flags = getFPSR();
  store<u32>(regBase + OFF_FPSR, before | flags);
  if ((flags & FPSR_IXC) != 0 && (r & 0x7F800000) != 0x7F800000) r |= 1;
  return r;
}

// ---- estimates (FRECPE, FRSQRTE, URECPE, URSQRTE) ----

/** RecipEstimate (ARM ARM shared pseudocode): a in [256, 511] -> r in [256, 511]. */
export function recipEstimate(a: u32): u32 {
  const aa = a * 2 + 1;
  const b = (1 << 19) / aa;
  return (b + 1) / 2;
}
/** RecipSqrtEstimate: a in [128, 511] -> r in [256, 511]. */
export function recipSqrtEstimate(a0: u32): u32 {
  let a: u32;
  if (a0 < 256) a = a0 * 2 + 1; else { a = (a0 >> 1) << 1; a = (a + 1) * 2; }
  let b: u32 = 512;
  while (a * (b + 1) * (b + 1) < (1 << 28)) b++;
  return (b + 1) / 2;
}

/** FPRecipEstimate (FRECPE). */
export function fpRecipEstimate(a: u64, F: i32, fpcr: u32): u64 {
  unpack(a, F, fpcr);
  const t = uType, s = uSign;
  if (isNaNType(t)) return processNaN(t, a, F, fpcr);
  if (t == T_INF) return fpZero(s, F);
  if (t == T_ZERO) { fpRaise(FPSR_DZC); return fpInfinity(s, F); }
  const E = expBits(F);
  const bias = (1 << (E - 1)) - 1;
  let frac = a & (((1 as u64) << (F as u64)) - 1);
  let exp = ((a >> (F as u64)) & (((1 as u64) << (E as u64)) - 1)) as i32;
  // Overflow: |x| < 2^-(2^(E-1)) (pseudocode: value < 2^-128 for single, 2^-1024 for double).
  const lz = <i32>clz(uMant);
  const vexp = uExp + 63 - lz; // x = 1.f * 2^vexp
  if (vexp < -(1 << (E - 1))) {
    let overflowToInf: bool;
    const rm = fpcrRoundingOf(fpcr);
    if (rm == RM_RN) overflowToInf = true;
    else if (rm == RM_RP) overflowToInf = s == 0;
    else if (rm == RM_RM) overflowToInf = s != 0;
    else overflowToInf = false;
    fpRaise(FPSR_OFC | FPSR_IXC);
    return overflowToInf ? fpInfinity(s, F) : fpMaxNormal(s, F);
  }
  if ((fpcr & FPCR_FZ) != 0 && F != 10 && vexp >= (1 << (E - 1)) - 2) {
    fpRaise(FPSR_UFC);
    return fpZero(s, F);
  }
  // Work on a 52-bit fraction as the pseudocode does.
  let fraction: u64 = frac << ((52 - F) as u64);
  if (exp == 0) {
    if (((fraction >> 51) & 1) == 0) { exp = -1; fraction = (fraction << 2) & 0xFFFFFFFFFFFFF; }
    else { fraction = (fraction << 1) & 0xFFFFFFFFFFFFF; }
  }
  const scaled = (0x100 | ((fraction >> 44) & 0xFF)) as u32;
  let resultExp = (2 * bias - 1) - exp; // pseudocode: 253 - exp (single), 2045 - exp (double)
  const est = recipEstimate(scaled);
  let resultFrac: u64 = ((est & 0xFF) as u64) << 44;
  if (resultExp == 0) resultFrac = ((1 as u64) << 51) | (resultFrac >> 1);
  else if (resultExp == -1) { resultFrac = ((1 as u64) << 50) | (resultFrac >> 2); resultExp = 0; }
  return ((s as u64) << signShift(F)) | ((resultExp as u64) << (F as u64)) | (resultFrac >> ((52 - F) as u64));
}

/** FPRSqrtEstimate (FRSQRTE). */
export function fpRSqrtEstimate(a: u64, F: i32, fpcr: u32): u64 {
  unpack(a, F, fpcr);
  const t = uType, s = uSign;
  if (isNaNType(t)) return processNaN(t, a, F, fpcr);
  if (t == T_ZERO) { fpRaise(FPSR_DZC); return fpInfinity(s, F); }
  if (s != 0) { fpRaise(FPSR_IOC); return fpDefaultNaN(F); }
  if (t == T_INF) return fpZero(0, F);
  const E = expBits(F);
  const bias = (1 << (E - 1)) - 1;
  let frac = a & (((1 as u64) << (F as u64)) - 1);
  let exp = ((a >> (F as u64)) & (((1 as u64) << (E as u64)) - 1)) as i32;
  let fraction: u64 = frac << ((52 - F) as u64);
  if (exp == 0) {
    while (((fraction >> 51) & 1) == 0) { fraction <<= 1; exp--; }
    fraction = (fraction << 1) & 0xFFFFFFFFFFFFF;
  }
  let scaled: u32;
  if ((exp & 1) == 0) scaled = (0x100 | ((fraction >> 44) & 0xFF)) as u32;
  else scaled = (0x80 | ((fraction >> 45) & 0x7F)) as u32;
  const resultExp = ((3 * bias - 1) - exp) >> 1; // (380 - exp)/2 single, (3068 - exp)/2 double
  const est = recipSqrtEstimate(scaled);
  return ((resultExp as u64) << (F as u64)) | ((((est & 0xFF) as u64) << 44) >> ((52 - F) as u64));
}

/** UnsignedRecipEstimate (URECPE) of a 32-bit element. */
export function unsignedRecipEstimate(x: u32): u32 {
  if ((x >> 31) == 0) return 0xFFFFFFFF;
  return recipEstimate(x >> 23) << 23;
}
/** UnsignedRSqrtEstimate (URSQRTE). */
export function unsignedRSqrtEstimate(x: u32): u32 {
  if ((x >> 30) == 0) return 0xFFFFFFFF;
  return recipSqrtEstimate(x >> 23) << 23;
}

/** FRECPX: reciprocal exponent. */
export function fpRecpX(a: u64, F: i32, fpcr: u32): u64 {
  unpack(a, F, fpcr);
  const t = uType, s = uSign;
  if (isNaNType(t)) return processNaN(t, a, F, fpcr);
  const E = expBits(F);
  const emask: u64 = ((1 as u64) << (E as u64)) - 1;
  const exp = (a >> (F as u64)) & emask;
  const sbit = (s as u64) << signShift(F);
  if (exp == 0 || t == T_ZERO) return sbit | ((emask - 1) << (F as u64));
  return sbit | (((~exp) & emask) << (F as u64));
}
