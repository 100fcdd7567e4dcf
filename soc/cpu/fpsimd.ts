// Data processing -- scalar floating-point and Advanced SIMD (ARM ARM C4.1.6, op0 = x111),
// ARMv8.0 as on the Cortex-A53, including the Cryptographic Extension (crypto.ts).
//
// The groups follow the encoding index: scalar FP (conversions to/from integer and fixed
// point, 1-source, 2-source, 3-source, compare, conditional compare and select, immediate),
// and Advanced SIMD vector and scalar (three same, three different, two-register misc,
// across lanes, pairwise, copy, permute, extract, table lookup, modified immediate, shift by
// immediate, by element). FP arithmetic is fp.ts; registers and the access check vreg.ts.
// Every instruction first checks that SIMD&FP is enabled (fpTrapped) once it is known to be
// an allocated encoding; unallocated ones are UNDEFINED.

import { getX, setX, getW, setW, setNZCV, conditionHolds } from "./state";
import { undefinedInstruction } from "./exception";
import {
  fpTrapped, vAddr, vLo, vHi, setV, setVScalar, getElem, getElemS, setElem,
  scratchSet, scratchClear, scratchKeepLo, commitScratch,
} from "./vreg";
import {
  getFPCR, getFPSR, setFPCR, setFPSR, fpRaise, FPSR_QC, RM_RN, RM_RP, RM_RM, RM_RZ, RM_RA,
  fpAdd, fpSub, fpMul, fpMulX, fpDiv, fpSqrt, fpMulAdd, fpNeg, fpAbs, fpMaxMin, fpCompare, fpCompareCond,
  fpToFixed, fixedToFP, fpRoundInt, fpConvert, fpConvertToOdd, fpRecipEstimate, fpRSqrtEstimate,
  fpRecipStep, fpRSqrtStep, fpRecpX, unsignedRecipEstimate, unsignedRSqrtEstimate,
} from "./fp";
import { SYSREG_FPCR } from "./sysreg";
import { cryptoAES, cryptoSHA3, cryptoSHA2, polyMul64 } from "./crypto";

/** MRS/MSR FPCR and FPSR: trapped like any SIMD&FP instruction (ARM ARM C5.2.7/C5.2.8). */
export function fpControlAccess(key: u32, isRead: u32, rt: u32): void {
  if (fpTrapped()) return;
  if (isRead) setX(rt, (key == SYSREG_FPCR ? getFPCR() : getFPSR()) as u64);
  else if (key == SYSREG_FPCR) setFPCR(getX(rt) as u32);
  else setFPSR(getX(rt) as u32);
}

export function executeSimdFp(insn: u32): void {
  const b2824 = (insn >> 24) & 0x1F;
  const top = insn >> 30;
  if ((top & 1) == 0 && b2824 == 0x1E) { fpScalar(insn); return; }
  if ((top & 1) == 0 && b2824 == 0x1F) { fpDataProc3(insn); return; }
  if (top <= 1 && b2824 == 0x0E) { simdVector(insn); return; }
  if (top <= 1 && b2824 == 0x0F) { simdVectorImm(insn); return; }
  if (top == 1 && b2824 == 0x1E) { simdScalar(insn); return; }
  if (top == 1 && b2824 == 0x1F) { simdScalarImm(insn); return; }
  undefinedInstruction();
}

// ---- helpers ----

/** Fraction bits of FP type 00 (single), 01 (double), 11 (half); -1 for 10. */
function typeF(type: u32): i32 { return type == 0 ? 23 : (type == 1 ? 52 : (type == 3 ? 10 : -1)); }

// @ts-ignore: decorator
@inline function readFP(n: u32, F: i32): u64 {
  const a = vAddr(n);
  return F == 52 ? load<u64>(a) : (F == 23 ? load<u32>(a) as u64 : load<u16>(a) as u64);
}
// @ts-ignore: decorator
@inline function writeFP(d: u32, v: u64, F: i32): void {
  setVScalar(d, v, F == 52 ? 8 : (F == 23 ? 4 : 2));
}

/** Sign-extends an element of `esize` (0..3). */
// @ts-ignore: decorator
@inline function sx(v: u64, esize: u32): i64 {
  const sh = (64 - (8 << esize)) as u64;
  return ((v << sh) as i64) >> sh;
}
// @ts-ignore: decorator
@inline function emask(esize: u32): u64 { return esize >= 3 ? 0xFFFFFFFFFFFFFFFF : ((1 as u64) << ((8 << esize) as u64)) - 1; }

function satQ(): void { fpRaise(FPSR_QC); }
/** Signed saturation of v (exact, 64-bit) to esize. */
function satS(v: i64, esize: u32): u64 {
  if (esize >= 3) return v as u64;
  const max: i64 = ((1 as i64) << ((8 << esize) - 1)) - 1;
  const min: i64 = -max - 1;
  if (v > max) { satQ(); return (max as u64) & emask(esize); }
  if (v < min) { satQ(); return (min as u64) & emask(esize); }
  return (v as u64) & emask(esize);
}
/** Unsigned saturation of a signed exact v to esize. */
function satU(v: i64, esize: u32): u64 {
  if (v < 0) { satQ(); return 0; }
  if (esize < 3 && (v as u64) > emask(esize)) { satQ(); return emask(esize); }
  return v as u64;
}
function sqadd(a: u64, b: u64, esize: u32): u64 {
  if (esize < 3) return satS(sx(a, esize) + sx(b, esize), esize);
  const r = a + b;
  if ((((a ^ r) & (b ^ r)) >> 63) != 0) { satQ(); return (a >> 63) != 0 ? 0x8000000000000000 : 0x7FFFFFFFFFFFFFFF; }
  return r;
}
function sqsub(a: u64, b: u64, esize: u32): u64 {
  if (esize < 3) return satS(sx(a, esize) - sx(b, esize), esize);
  const r = a - b;
  if ((((a ^ b) & (a ^ r)) >> 63) != 0) { satQ(); return (a >> 63) != 0 ? 0x8000000000000000 : 0x7FFFFFFFFFFFFFFF; }
  return r;
}
function uqadd(a: u64, b: u64, esize: u32): u64 {
  const m = emask(esize);
  const r = (a + b) & m;
  if (esize >= 3 ? r < a : (a + b) > m) { satQ(); return m; }
  return r;
}
function uqsub(a: u64, b: u64, esize: u32): u64 {
  if (b > a) { satQ(); return 0; }
  return a - b;
}

/**
 * The shift-by-register family (SSHL, USHL, SRSHL, URSHL, SQSHL, UQSHL, SQRSHL, UQRSHL):
 * the shift is the signed low byte of b; negative shifts right (rounding with `round`).
 */
function shiftReg(a: u64, b: u64, esize: u32, unsigned: bool, round: bool, saturate: bool): u64 {
  const sh = ((b as u8) as i8) as i32;
  const bits = 8 << esize;
  const m = emask(esize);
  if (sh >= 0) {
    if (!saturate) return sh >= bits ? 0 : (a << (sh as u64)) & m;
    if (unsigned) {
      if (a == 0) return 0;
      if (sh >= bits) { satQ(); return m; }
      const r = (a << (sh as u64)) & m;
      if ((r >> (sh as u64)) != a) { satQ(); return m; }
      return r;
    }
    const v = sx(a, esize);
    if (v == 0) return 0;
    if (sh >= bits) { satQ(); return v < 0 ? ((1 as u64) << ((bits - 1) as u64)) : m >> 1; }
    const r = sx((a << (sh as u64)) & m, esize);
    if ((r >> (sh as i64)) != v) { satQ(); return v < 0 ? ((1 as u64) << ((bits - 1) as u64)) : m >> 1; }
    return (r as u64) & m;
  }
  const n = -sh;
  if (unsigned) {
    let r: u64 = n >= 64 ? 0 : a >> (n as u64);
    if (round && n <= 64) r += (a >> ((n - 1) as u64)) & 1;
    return r & m; // cannot exceed the element (a rounded right shift of an unsigned value)
  }
  const v = sx(a, esize);
  let r: i64 = v >> ((n >= 64 ? 63 : n) as i64);
  if (round) r += n <= 64 ? (v >> ((n - 1) as i64)) & 1 : 0;
  if (round && n > 64) r = 0;
  return (r as u64) & m;
}

/** Polynomial multiply of two 8-bit values (PMUL), low 8 bits. */
function pmul8(a: u64, b: u64): u64 {
  let r: u64 = 0;
  for (let i: u64 = 0; i < 8; i++) if ((b >> i) & 1) r ^= a << i;
  return r & 0xFF;
}

// ---- scalar floating point ----

function fpScalar(insn: u32): void {
  const sf = insn >> 31;
  const s = (insn >> 29) & 1;
  const type = (insn >> 22) & 3;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  if (s) { undefinedInstruction(); return; }
  if (((insn >> 21) & 1) == 0) { fpFixedConvert(insn); return; }
  const F = typeF(type);
  const b1110 = (insn >> 10) & 3;
  if (b1110 == 0) {
    if (((insn >> 10) & 0x3F) == 0) { fpIntConvert(insn); return; }
    if (sf) { undefinedInstruction(); return; }
    if (((insn >> 10) & 0x1F) == 0x10) { fpDataProc1(insn); return; }
    if (((insn >> 10) & 0xF) == 0x8) {
      // FCMP/FCMPE: op (15:14) = 00, opcode2<2:0> = 000.
      if (F < 0 || F == 10 || ((insn >> 14) & 3) != 0 || (insn & 7) != 0) { undefinedInstruction(); return; }
      if (fpTrapped()) return;
      const a = readFP(rn, F);
      const b: u64 = (insn & 8) != 0 ? 0 : readFP((insn >> 16) & 31, F);
      setNZCV(fpCompare(a, b, F, getFPCR(), (insn & 16) != 0) << 28);
      return;
    }
    if (((insn >> 10) & 7) == 4) {
      // FMOV (scalar, immediate): imm5 must be zero.
      if (F < 0 || F == 10 || ((insn >> 5) & 31) != 0) { undefinedInstruction(); return; }
      if (fpTrapped()) return;
      writeFP(rd, vfpExpandImm((insn >> 13) & 0xFF, F), F);
      return;
    }
    undefinedInstruction();
    return;
  }
  if (sf || F < 0 || F == 10) { undefinedInstruction(); return; }
  const rm = (insn >> 16) & 31;
  if (b1110 == 1) {
    // FCCMP / FCCMPE
    if (fpTrapped()) return;
    const cond = (insn >> 12) & 15;
    if (conditionHolds(cond)) setNZCV(fpCompare(readFP(rn, F), readFP(rm, F), F, getFPCR(), (insn & 16) != 0) << 28);
    else setNZCV((insn & 15) << 28);
    return;
  }
  if (b1110 == 3) {
    // FCSEL
    if (fpTrapped()) return;
    const cond = (insn >> 12) & 15;
    writeFP(rd, conditionHolds(cond) ? readFP(rn, F) : readFP(rm, F), F);
    return;
  }
  // Data-processing (2 source)
  const opcode = (insn >> 12) & 15;
  if (opcode > 8) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const a = readFP(rn, F), b = readFP(rm, F), fpcr = getFPCR();
  let r: u64;
  switch (opcode) {
    case 0: r = fpMul(a, b, F, fpcr); break;
    case 1: r = fpDiv(a, b, F, fpcr); break;
    case 2: r = fpAdd(a, b, F, fpcr); break;
    case 3: r = fpSub(a, b, F, fpcr); break;
    case 4: r = fpMaxMin(a, b, F, fpcr, true, false); break;
    case 5: r = fpMaxMin(a, b, F, fpcr, false, false); break;
    case 6: r = fpMaxMin(a, b, F, fpcr, true, true); break;
    case 7: r = fpMaxMin(a, b, F, fpcr, false, true); break;
    default: r = fpNeg(fpMul(a, b, F, fpcr), F); break; // FNMUL
  }
  writeFP(rd, r, F);
}

/** VFPExpandImm (ARM ARM shared pseudocode). */
function vfpExpandImm(imm8: u32, F: i32): u64 {
  const E: i32 = F == 52 ? 11 : (F == 23 ? 8 : 5);
  const sign = (imm8 >> 7) as u64;
  const b6 = ((imm8 >> 6) & 1) as u64;
  // exp = NOT(b6) : Replicate(b6, E-3) : imm8<5:4>
  let exp: u64 = ((b6 ^ 1) << ((E - 1) as u64)) | ((b6 != 0 ? (((1 as u64) << ((E - 3) as u64)) - 1) : 0) << 2) | (((imm8 >> 4) & 3) as u64);
  const frac = ((imm8 & 15) as u64) << ((F - 4) as u64);
  return (sign << ((E + F) as u64)) | (exp << (F as u64)) | frac;
}

/** Rounding mode for FCVT{N,P,M,Z}: rmode 00..11 as FPCR.RMode. */
function fpIntConvert(insn: u32): void {
  const sf = insn >> 31;
  const type = (insn >> 22) & 3;
  const rmode = (insn >> 19) & 3;
  const opcode = (insn >> 16) & 7;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  const bits: i32 = sf ? 64 : 32;
  if (opcode >= 6) {
    // FMOV (general): W<->S, X<->D, X<->V.D[1].
    let ok = false;
    if (rmode == 0 && type == 0 && sf == 0) ok = true;
    else if (rmode == 0 && type == 1 && sf == 1) ok = true;
    else if (rmode == 1 && type == 2 && sf == 1) ok = true;
    if (!ok) { undefinedInstruction(); return; }
    if (fpTrapped()) return;
    if (opcode == 6) { // to general
      if (rmode == 1) setX(rd, vHi(rn));
      else if (sf) setX(rd, vLo(rn));
      else setW(rd, load<u32>(vAddr(rn)));
    } else {
      if (rmode == 1) store<u64>(vAddr(rd), getX(rn), 8);
      else if (sf) setV(rd, getX(rn), 0);
      else setV(rd, getW(rn) as u64, 0);
    }
    return;
  }
  const F = typeF(type);
  if (F < 0 || F == 10) { undefinedInstruction(); return; }
  if (opcode >= 2 && opcode <= 5 && rmode != 0) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const fpcr = getFPCR();
  if (opcode == 2 || opcode == 3) {
    writeFP(rd, fixedToFP(getX(rn), bits, opcode == 3, 0, F, (fpcr >> 22) & 3, fpcr), F);
    return;
  }
  const mode: u32 = opcode >= 4 ? RM_RA : rmode;
  const r = fpToFixed(readFP(rn, F), F, 0, (opcode & 1) != 0, bits, mode, fpcr);
  if (sf) setX(rd, r); else setW(rd, r as u32);
}

function fpFixedConvert(insn: u32): void {
  const sf = insn >> 31;
  const type = (insn >> 22) & 3;
  const rmode = (insn >> 19) & 3;
  const opcode = (insn >> 16) & 7;
  const scale = (insn >> 10) & 63;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  const F = typeF(type);
  const ro = (rmode << 3) | opcode;
  if (F < 0 || F == 10 || (sf == 0 && scale < 32) || (ro != 2 && ro != 3 && ro != 0x18 && ro != 0x19)) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const fbits = 64 - (scale as i32);
  const bits: i32 = sf ? 64 : 32;
  const fpcr = getFPCR();
  if (ro == 2 || ro == 3) {
    writeFP(rd, fixedToFP(getX(rn), bits, ro == 3, fbits, F, (fpcr >> 22) & 3, fpcr), F);
  } else {
    const r = fpToFixed(readFP(rn, F), F, fbits, ro == 0x19, bits, RM_RZ, fpcr);
    if (sf) setX(rd, r); else setW(rd, r as u32);
  }
}

function fpDataProc1(insn: u32): void {
  const type = (insn >> 22) & 3;
  const opcode = (insn >> 15) & 63;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  const F = typeF(type);
  if (F < 0) { undefinedInstruction(); return; }
  if ((opcode & 0x3C) == 4) {
    // FCVT between precisions: opc<1:0> is the destination type.
    const Fd = typeF(opcode & 3);
    if (Fd < 0 || Fd == F) { undefinedInstruction(); return; }
    if (fpTrapped()) return;
    const fpcr = getFPCR();
    writeFP(rd, fpConvert(readFP(rn, F), F, Fd, (fpcr >> 22) & 3, fpcr), Fd);
    return;
  }
  if (F == 10 || opcode == 13 || opcode > 15) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const a = readFP(rn, F), fpcr = getFPCR();
  let r: u64;
  switch (opcode) {
    case 0: r = a; break;
    case 1: r = fpAbs(a, F); break;
    case 2: r = fpNeg(a, F); break;
    case 3: r = fpSqrt(a, F, fpcr); break;
    case 8: r = fpRoundInt(a, F, RM_RN, false, fpcr); break;
    case 9: r = fpRoundInt(a, F, RM_RP, false, fpcr); break;
    case 10: r = fpRoundInt(a, F, RM_RM, false, fpcr); break;
    case 11: r = fpRoundInt(a, F, RM_RZ, false, fpcr); break;
    case 12: r = fpRoundInt(a, F, RM_RA, false, fpcr); break;
    case 14: r = fpRoundInt(a, F, (fpcr >> 22) & 3, true, fpcr); break;
    default: r = fpRoundInt(a, F, (fpcr >> 22) & 3, false, fpcr); break; // 15: FRINTI
  }
  writeFP(rd, r, F);
}

// FMADD, FMSUB, FNMADD, FNMSUB (ARM ARM C7.2.x): addend +/- op1*op2 with one rounding.
function fpDataProc3(insn: u32): void {
  const m = insn >> 31;
  const s = (insn >> 29) & 1;
  const type = (insn >> 22) & 3;
  const o1 = (insn >> 21) & 1;
  const o0 = (insn >> 15) & 1;
  const F = typeF(type);
  if (m || s || F < 0 || F == 10) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  let a = readFP((insn >> 10) & 31, F);
  let n = readFP((insn >> 5) & 31, F);
  const mm = readFP((insn >> 16) & 31, F);
  if (o0 != o1) n = fpNeg(n, F);     // FMSUB, FNMADD negate the product
  if (o1) a = fpNeg(a, F);           // FNMADD, FNMSUB negate the addend
  writeFP(insn & 31, fpMulAdd(a, n, mm, F, getFPCR()), F);
}

// ---- Advanced SIMD, vector (0 Q U 01110 ...) ----

function simdVector(insn: u32): void {
  if ((insn >> 21) & 1) {
    if ((insn >> 10) & 1) { threeSame(insn, false); return; }
    const b1110 = (insn >> 10) & 3;
    if (b1110 == 0) { threeDifferent(insn, false); return; }
    if (b1110 == 2) {
      const b2017 = (insn >> 17) & 15;
      if (b2017 == 0) { twoRegMisc(insn, false); return; }
      if (b2017 == 8) { acrossLanes(insn); return; }
      if (b2017 == 4 && (insn >> 29) == 2 && ((insn >> 22) & 3) == 0) { cryptoAES(insn); return; }
    }
    undefinedInstruction();
    return;
  }
  const u = (insn >> 29) & 1;
  if (((insn >> 15) & 1) == 0) {
    if ((insn >> 10) & 1) {
      if (((insn >> 22) & 3) == 0) { simdCopy(insn); return; }
    } else if (u == 0) {
      if (((insn >> 10) & 3) == 0) { if (((insn >> 22) & 3) == 0) { tableLookup(insn); return; } }
      else if (((insn >> 10) & 3) == 2) { permute(insn); return; }
    } else if (((insn >> 22) & 3) == 0 && ((insn >> 10) & 1) == 0) { extract(insn); return; }
  }
  undefinedInstruction();
}

function simdVectorImm(insn: u32): void {
  if ((insn >> 10) & 1) {
    if ((insn >> 23) & 1) { undefinedInstruction(); return; }
    if (((insn >> 19) & 15) == 0) modifiedImmediate(insn);
    else shiftImmediate(insn, false);
    return;
  }
  byElement(insn, false);
}

// ---- Advanced SIMD, scalar (01 U 11110 ...) ----

function simdScalar(insn: u32): void {
  const u = (insn >> 29) & 1;
  if ((insn >> 21) & 1) {
    if ((insn >> 10) & 1) { threeSame(insn, true); return; }
    const b1110 = (insn >> 10) & 3;
    if (b1110 == 0) { threeDifferent(insn, true); return; }
    if (b1110 == 2) {
      const b2017 = (insn >> 17) & 15;
      if (b2017 == 0) { twoRegMisc(insn, true); return; }
      if (b2017 == 8) { scalarPairwise(insn); return; }
      if (b2017 == 4 && u == 0 && ((insn >> 22) & 3) == 0) { cryptoSHA2(insn); return; }
    }
    undefinedInstruction();
    return;
  }
  if (((insn >> 15) & 1) == 0) {
    if (((insn >> 10) & 1) != 0 && ((insn >> 21) & 7) == 0 && u == 0 && ((insn >> 11) & 15) == 0) { scalarDup(insn); return; }
    if (((insn >> 10) & 3) == 0 && u == 0 && ((insn >> 22) & 3) == 0) { cryptoSHA3(insn); return; }
  }
  undefinedInstruction();
}

function simdScalarImm(insn: u32): void {
  if ((insn >> 10) & 1) {
    if (((insn >> 23) & 1) != 0 || ((insn >> 19) & 15) == 0) { undefinedInstruction(); return; }
    shiftImmediate(insn, true);
    return;
  }
  byElement(insn, true);
}

// ---- three same ----

function threeSame(insn: u32, scalar: bool): void {
  const q = (insn >> 30) & 1;
  const u = (insn >> 29) & 1;
  const size = (insn >> 22) & 3;
  const rm = (insn >> 16) & 31;
  const opcode = (insn >> 11) & 31;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  if (opcode >= 0x18) { fpThreeSame(insn, scalar); return; }
  if (opcode == 3) {
    // Logical: AND, BIC, ORR, ORN, EOR, BSL, BIT, BIF (whole register).
    if (scalar) { undefinedInstruction(); return; }
    if (fpTrapped()) return;
    logical3(u, size, rn, rm, rd, q != 0);
    return;
  }
  if (scalar) {
    // Scalar forms: saturating add/sub and shifts of any size, the rest 64-bit only.
    let ok: bool;
    switch (opcode) {
      case 0x01: case 0x05: case 0x09: case 0x0B: ok = true; break;          // SQADD.., SQSUB.., SQSHL, SQRSHL
      case 0x06: case 0x07: case 0x08: case 0x0A: case 0x10: case 0x11: ok = size == 3; break;
      case 0x16: ok = size == 1 || size == 2; break;                          // SQDMULH, SQRDMULH
      default: ok = false;
    }
    if (!ok) { undefinedInstruction(); return; }
  } else {
    let ok: bool;
    switch (opcode) {
      case 0x06: case 0x07: case 0x08: case 0x09: case 0x0A: case 0x0B:
      case 0x01: case 0x05: case 0x10: case 0x11: ok = size != 3 || q != 0; break;
      case 0x12: case 0x0C: case 0x0D: case 0x0E: case 0x0F: case 0x14: case 0x15:
      case 0x00: case 0x02: case 0x04: ok = size != 3; break;
      case 0x13: ok = size != 3 && (u == 0 || size == 0); break;              // MUL; PMUL bytes only
      case 0x16: ok = size == 1 || size == 2; break;
      case 0x17: ok = u == 0 && (size != 3 || q != 0); break;                 // ADDP
      default: ok = false;
    }
    if (!ok) { undefinedInstruction(); return; }
  }
  if (fpTrapped()) return;
  const elements: u32 = scalar ? 1 : ((q ? 16 : 8) >> size);
  const pairwise = opcode == 0x14 || opcode == 0x15 || opcode == 0x17;
  scratchClear();
  for (let i: u32 = 0; i < elements; i++) {
    let a: u64, b: u64;
    if (pairwise) {
      const h = elements >> 1;
      const src = i < h ? rn : rm;
      const j = (i < h ? i : i - h) * 2;
      a = getElem(src, j, size); b = getElem(src, j + 1, size);
    } else { a = getElem(rn, i, size); b = getElem(rm, i, size); }
    scratchSet(i, size, int3(opcode, u, size, a, b, getElem(rd, i, size)));
  }
  commitScratch(rd, q != 0 && !scalar);
}

function int3(opcode: u32, u: u32, size: u32, a: u64, b: u64, d: u64): u64 {
  const m = emask(size);
  switch (opcode) {
    case 0x00: case 0x02: case 0x04: { // SHADD/UHADD, SRHADD/URHADD, SHSUB/UHSUB (size < 3)
      const x: i64 = u ? (a as i64) : sx(a, size), y: i64 = u ? (b as i64) : sx(b, size);
      const r: i64 = opcode == 0 ? (x + y) >> 1 : (opcode == 2 ? (x + y + 1) >> 1 : (x - y) >> 1);
      return (r as u64) & m;
    }
    case 0x01: return u ? uqadd(a, b, size) : sqadd(a, b, size);
    case 0x05: return u ? uqsub(a, b, size) : sqsub(a, b, size);
    case 0x06: return (u ? a > b : sx(a, size) > sx(b, size)) ? m : 0;   // CMGT / CMHI
    case 0x07: return (u ? a >= b : sx(a, size) >= sx(b, size)) ? m : 0; // CMGE / CMHS
    case 0x08: return shiftReg(a, b, size, u != 0, false, false);
    case 0x09: return shiftReg(a, b, size, u != 0, false, true);
    case 0x0A: return shiftReg(a, b, size, u != 0, true, false);
    case 0x0B: return shiftRoundSat(a, b, size, u != 0);
    case 0x0C: return u ? (a > b ? a : b) : (sx(a, size) > sx(b, size) ? a : b);
    case 0x0D: return u ? (a < b ? a : b) : (sx(a, size) < sx(b, size) ? a : b);
    case 0x0E: case 0x0F: { // SABD/UABD, SABA/UABA
      const x: i64 = u ? (a as i64) : sx(a, size), y: i64 = u ? (b as i64) : sx(b, size);
      const diff = x > y ? x - y : y - x;
      return opcode == 0x0E ? (diff as u64) & m : (d + (diff as u64)) & m;
    }
    case 0x10: return (u ? a - b : a + b) & m;
    case 0x11: return u ? (a == b ? m : 0) : ((a & b) != 0 ? m : 0); // CMEQ / CMTST
    case 0x12: return (u ? d - a * b : d + a * b) & m;              // MLS / MLA
    case 0x13: return u ? pmul8(a, b) : (a * b) & m;                 // PMUL / MUL
    case 0x14: return u ? (a > b ? a : b) : (sx(a, size) > sx(b, size) ? a : b); // SMAXP/UMAXP
    case 0x15: return u ? (a < b ? a : b) : (sx(a, size) < sx(b, size) ? a : b); // SMINP/UMINP
    case 0x16: return sqdmulh(a, b, size, u != 0);
    default: return (a + b) & m;                                     // ADDP
  }
}

/** SQRSHL / UQRSHL: rounding right shift for negative shifts, saturating left shift for positive ones. */
function shiftRoundSat(a: u64, b: u64, esize: u32, unsigned: bool): u64 {
  const sh = ((b as u8) as i8) as i32;
  if (sh >= 0) return shiftReg(a, b, esize, unsigned, false, true);
  return shiftReg(a, b, esize, unsigned, true, false);
}

/** SQDMULH / SQRDMULH: high half of 2*a*b (rounded), saturating only for min*min. */
function sqdmulh(a: u64, b: u64, esize: u32, round: bool): u64 {
  const x = sx(a, esize), y = sx(b, esize);
  const bits = 8 << esize;
  const min: i64 = -((1 as i64) << (bits - 1));
  if (x == min && y == min) { satQ(); return ((1 as u64) << ((bits - 1) as u64)) - 1; }
  // |2xy| < 2^(2*bits-1) <= 2^63 except min*min handled above.
  const p: i64 = x * y * 2 + (round ? ((1 as i64) << (bits - 1)) : 0);
  return ((p >> (bits as i64)) as u64) & emask(esize);
}

function logical3(u: u32, size: u32, rn: u32, rm: u32, rd: u32, q: bool): void {
  const halves: u32 = q ? 2 : 1;
  let r0: u64 = 0, r1: u64 = 0;
  for (let h: u32 = 0; h < halves; h++) {
    const n = load<u64>(vAddr(rn) + ((h as usize) << 3));
    const m = load<u64>(vAddr(rm) + ((h as usize) << 3));
    const d = load<u64>(vAddr(rd) + ((h as usize) << 3));
    let r: u64;
    if (u == 0) {
      switch (size) { case 0: r = n & m; break; case 1: r = n & ~m; break; case 2: r = n | m; break; default: r = n | ~m; }
    } else {
      switch (size) {
        case 0: r = n ^ m; break;
        case 1: r = (d & n) | (~d & m); break;   // BSL
        case 2: r = (m & n) | (~m & d); break;   // BIT
        default: r = (~m & n) | (m & d); break;  // BIF
      }
    }
    if (h == 0) r0 = r; else r1 = r;
  }
  setV(rd, r0, r1);
}

// Allocated u:a:opcode<2:0> of the vector FP three-same group (ARMv8.0): FMAXNM FMLA FADD FMULX
// FCMEQ - FMAX FRECPS | FMINNM FMLS FSUB - - - FMIN FRSQRTS | FMAXNMP - FADDP FMUL FCMGE FACGE FMAXP
// FDIV | FMINNMP - FABD - FCMGT FACGT FMINP -.
const VECTOR_FP3_KEYS: u32 = 0x75FDC7DF;

// FP three same (vector and scalar), opcode 11000..11111 with size<1> as "a".
function fpThreeSame(insn: u32, scalar: bool): void {
  const q = (insn >> 30) & 1;
  const u = (insn >> 29) & 1;
  const a = (insn >> 23) & 1;
  const sz = (insn >> 22) & 1;
  const rm = (insn >> 16) & 31;
  const opcode = (insn >> 11) & 31;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  const key = (u << 4) | (a << 3) | (opcode & 7);
  // Allocated: see the FP three-same table (ARMv8.0).
  let ok: bool;
  if (scalar) {
    switch (key) {
      case 0x03: case 0x04: case 0x07: case 0x0F: case 0x14: case 0x15: case 0x1C: case 0x1D: case 0x1A: ok = true; break;
      default: ok = false;
    }
  } else {
    ok = ((VECTOR_FP3_KEYS >> key) & 1) != 0 && !(sz && !q);
  }
  if (!ok) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const F: i32 = sz ? 52 : 23;
  const es: u32 = 2 + sz;
  const elements: u32 = scalar ? 1 : ((q ? 16 : 8) >> es);
  const fpcr = getFPCR();
  scratchClear();
  for (let i: u32 = 0; i < elements; i++) {
    let x: u64, y: u64;
    const pairwise = u == 1 && (key == 0x10 || key == 0x12 || key == 0x16 || key == 0x18 || key == 0x1E);
    if (pairwise) {
      const h = elements >> 1;
      const src = i < h ? rn : rm;
      const j = (i < h ? i : i - h) * 2;
      x = getElem(src, j, es); y = getElem(src, j + 1, es);
    } else { x = getElem(rn, i, es); y = getElem(rm, i, es); }
    const d = getElem(rd, i, es);
    let r: u64;
    switch (key) {
      case 0x00: r = fpMaxMin(x, y, F, fpcr, true, true); break;     // FMAXNM
      case 0x01: r = fpMulAdd(d, x, y, F, fpcr); break;               // FMLA
      case 0x02: r = fpAdd(x, y, F, fpcr); break;                     // FADD
      case 0x03: r = fpMulX(x, y, F, fpcr); break;                    // FMULX
      case 0x04: r = fpCompareCond(x, y, F, fpcr, 0) ? emask(es) : 0; break; // FCMEQ
      case 0x06: r = fpMaxMin(x, y, F, fpcr, true, false); break;     // FMAX
      case 0x07: r = fpRecipStep(x, y, F, fpcr); break;               // FRECPS
      case 0x08: r = fpMaxMin(x, y, F, fpcr, false, true); break;     // FMINNM
      case 0x09: r = fpMulAdd(d, fpNeg(x, F), y, F, fpcr); break;     // FMLS
      case 0x0A: r = fpSub(x, y, F, fpcr); break;                     // FSUB
      case 0x0E: r = fpMaxMin(x, y, F, fpcr, false, false); break;    // FMIN
      case 0x0F: r = fpRSqrtStep(x, y, F, fpcr); break;               // FRSQRTS
      case 0x10: r = fpMaxMin(x, y, F, fpcr, true, true); break;      // FMAXNMP
      case 0x12: r = fpAdd(x, y, F, fpcr); break;                     // FADDP
      case 0x13: r = fpMul(x, y, F, fpcr); break;                     // FMUL
      case 0x14: r = fpCompareCond(x, y, F, fpcr, 1) ? emask(es) : 0; break; // FCMGE
      case 0x15: r = fpCompareCond(fpAbs(x, F), fpAbs(y, F), F, fpcr, 1) ? emask(es) : 0; break; // FACGE
      case 0x16: r = fpMaxMin(x, y, F, fpcr, true, false); break;     // FMAXP
      case 0x17: r = fpDiv(x, y, F, fpcr); break;                     // FDIV
      case 0x18: r = fpMaxMin(x, y, F, fpcr, false, true); break;     // FMINNMP
      case 0x1A: r = fpAbs(fpSub(x, y, F, fpcr), F); break;           // FABD
      case 0x1C: r = fpCompareCond(x, y, F, fpcr, 2) ? emask(es) : 0; break; // FCMGT
      case 0x1D: r = fpCompareCond(fpAbs(x, F), fpAbs(y, F), F, fpcr, 2) ? emask(es) : 0; break; // FACGT
      default: r = fpMaxMin(x, y, F, fpcr, false, false); break;      // 0x1E FMINP
    }
    scratchSet(i, es, r);
  }
  commitScratch(rd, q != 0 && !scalar);
}

// ---- three different (long, wide, narrow) ----

function threeDifferent(insn: u32, scalar: bool): void {
  const q = (insn >> 30) & 1;
  const u = (insn >> 29) & 1;
  const size = (insn >> 22) & 3;
  const rm = (insn >> 16) & 31;
  const opcode = (insn >> 12) & 15;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  if (scalar) {
    // SQDMLAL, SQDMLSL, SQDMULL (scalar), sizes H and S.
    if (u || (opcode != 9 && opcode != 11 && opcode != 13) || size == 0 || size == 3) { undefinedInstruction(); return; }
  } else {
    if (opcode == 15) { undefinedInstruction(); return; }
    if (opcode == 14) { // PMULL: bytes, or the 64-bit form of the Crypto extension
      if (u || (size != 0 && size != 3)) { undefinedInstruction(); return; }
    } else if (size == 3) { undefinedInstruction(); return; }
    else if ((opcode == 9 || opcode == 11 || opcode == 13) && (u || size == 0)) { undefinedInstruction(); return; }
  }
  if (fpTrapped()) return;
  if (opcode == 14 && size == 3) { polyMul64(rd, rn, rm, q != 0); return; }
  const elements: u32 = scalar ? 1 : (8 >> size);
  const part: u32 = scalar ? 0 : q * elements; // the "2" forms read the upper halves
  const ws = size + 1;
  scratchClear();
  if (opcode == 4 || opcode == 6) {
    // ADDHN/RADDHN/SUBHN/RSUBHN: wide operands, narrow high-half result into part.
    if (q) scratchKeepLo(rd);
    for (let i: u32 = 0; i < elements; i++) {
      const a = getElem(rn, i, ws), b = getElem(rm, i, ws);
      let r: u64 = opcode == 4 ? a + b : a - b;
      if (u) r += (1 as u64) << (((8 << size) - 1) as u64);
      r = (r >> ((8 << size) as u64)) & emask(size);
      scratchSet(part + i, size, r);
    }
    commitScratch(rd, q != 0);
    return;
  }
  for (let i: u32 = 0; i < elements; i++) {
    const wideA = opcode == 1 || opcode == 3;
    const ea: i64 = wideA ? (u ? getElem(rn, i, ws) as i64 : getElemS(rn, i, ws)) : (u ? getElem(rn, part + i, size) as i64 : getElemS(rn, part + i, size));
    const eb: i64 = u ? getElem(rm, part + i, size) as i64 : getElemS(rm, part + i, size);
    const d = getElem(rd, i, ws);
    const wm = emask(ws);
    let r: u64;
    switch (opcode) {
      case 0: case 1: r = ((ea + eb) as u64) & wm; break;             // ADDL, ADDW
      case 2: case 3: r = ((ea - eb) as u64) & wm; break;             // SUBL, SUBW
      case 5: r = (d + ((ea > eb ? ea - eb : eb - ea) as u64)) & wm; break; // ABAL
      case 7: r = ((ea > eb ? ea - eb : eb - ea) as u64) & wm; break;  // ABDL
      case 8: r = (d + ((ea * eb) as u64)) & wm; break;                // MLAL
      case 10: r = (d - ((ea * eb) as u64)) & wm; break;               // MLSL
      case 12: r = ((ea * eb) as u64) & wm; break;                     // MULL
      case 14: r = pmull8(getElem(rn, part + i, 0), getElem(rm, part + i, 0)); break; // PMULL (bytes)
      default: { // SQDMLAL (9), SQDMLSL (11), SQDMULL (13)
        const p = sqdmull(ea, eb, size);
        if (opcode == 13) r = p;
        else if (opcode == 9) r = sqadd(d, p, ws);
        else r = sqsub(d, p, ws);
      }
    }
    scratchSet(i, ws, r);
  }
  commitScratch(rd, !scalar);
}

/** 2*a*b saturated to twice the element size (SQDMULL). */
function sqdmull(a: i64, b: i64, size: u32): u64 {
  const bits = 8 << size;
  const min: i64 = -((1 as i64) << (bits - 1));
  if (a == min && b == min) { satQ(); return size == 2 ? 0x7FFFFFFFFFFFFFFF : (((1 as u64) << ((2 * bits - 1) as u64)) - 1); }
  return ((a * b * 2) as u64) & emask(size + 1);
}
function pmull8(a: u64, b: u64): u64 {
  let r: u64 = 0;
  for (let i: u64 = 0; i < 8; i++) if ((b >> i) & 1) r ^= a << i;
  return r & 0xFFFF;
}

// ---- two-register miscellaneous ----

function twoRegMisc(insn: u32, scalar: bool): void {
  const q = (insn >> 30) & 1;
  const u = (insn >> 29) & 1;
  const size = (insn >> 22) & 3;
  const opcode = (insn >> 12) & 31;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  const key = (u << 5) | opcode;
  // FP forms: opcodes 0x0C-0x0F and 0x16-0x1F with size<1> selecting the operation.
  if ((opcode >= 0x0C && opcode <= 0x0F && size >= 2) || opcode >= 0x16 || (opcode == 0x16)) {
    if (fpTwoRegMisc(insn, scalar)) return;
    undefinedInstruction();
    return;
  }
  const elements: u32 = scalar ? 1 : ((q ? 16 : 8) >> size);
  let ok: bool;
  switch (key) {
    case 0x00: ok = size < 3 && !scalar; break;                    // REV64
    case 0x01: ok = size == 0 && !scalar; break;                   // REV16
    case 0x20: ok = size < 2 && !scalar; break;                    // REV32
    case 0x02: case 0x22: case 0x06: case 0x26: ok = size < 3 && !scalar; break; // SADDLP/UADDLP/SADALP/UADALP
    case 0x03: case 0x23: case 0x07: case 0x27: ok = scalar || size != 3 || q != 0; break; // SUQADD/USQADD/SQABS/SQNEG
    case 0x04: case 0x24: ok = size < 3 && !scalar; break;         // CLS/CLZ
    case 0x05: ok = size == 0 && !scalar; break;                   // CNT
    case 0x25: ok = size < 2 && !scalar; break;                    // NOT/RBIT
    case 0x08: case 0x09: case 0x0A: case 0x0B: case 0x28: case 0x29: case 0x2B:
      ok = scalar ? size == 3 : (size != 3 || q != 0); break;      // CMGT/CMEQ/CMLT/ABS #0, CMGE/CMLE/NEG
    case 0x12: ok = size < 3 && !scalar; break;                    // XTN
    case 0x14: case 0x34: case 0x32: ok = size < 3; break;         // SQXTN, UQXTN, SQXTUN
    case 0x33: ok = size < 3 && !scalar; break;                    // SHLL
    default: ok = false;
  }
  if (!ok) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const m = emask(size);
  if (key == 0x12 || key == 0x14 || key == 0x34 || key == 0x32) {
    // Narrowing: source elements 2*size, result into the lower or (Q, "2") upper half.
    const n: u32 = scalar ? 1 : (8 >> size);
    const part: u32 = scalar ? 0 : q * n;
    scratchClear();
    if (q && !scalar) { scratchKeepLo(rd); }
    for (let i: u32 = 0; i < n; i++) {
      const w = getElem(rn, i, size + 1);
      let r: u64;
      if (key == 0x12) r = w & m;
      else if (key == 0x14) r = satS(sx(w, size + 1), size);
      else if (key == 0x34) r = satUnsignedNarrow(w, size);
      else r = satU(sx(w, size + 1), size);
      scratchSet(part + i, size, r);
    }
    commitScratch(rd, q != 0 && !scalar);
    return;
  }
  if (key == 0x33) { // SHLL/SHLL2: widen and shift by the element size
    const n: u32 = 8 >> size;
    scratchClear();
    for (let i: u32 = 0; i < n; i++) scratchSet(i, size + 1, getElem(rn, q * n + i, size) << ((8 << size) as u64));
    commitScratch(rd, true);
    return;
  }
  if (key == 0x02 || key == 0x22 || key == 0x06 || key == 0x26) {
    // Pairwise add long (and accumulate).
    const n: u32 = elements >> 1;
    scratchClear();
    for (let i: u32 = 0; i < n; i++) {
      let s: u64;
      if (u) s = getElem(rn, 2 * i, size) + getElem(rn, 2 * i + 1, size);
      else s = (getElemS(rn, 2 * i, size) + getElemS(rn, 2 * i + 1, size)) as u64;
      if (opcode == 0x06) s += getElem(rd, i, size + 1);
      scratchSet(i, size + 1, s & emask(size + 1));
    }
    commitScratch(rd, q != 0);
    return;
  }
  if (key == 0x00 || key == 0x01 || key == 0x20) {
    // REV64 / REV16 / REV32: reverse elements within containers.
    const container: u32 = key == 0x00 ? 3 : (key == 0x01 ? 1 : 2);
    const per: u32 = 1 << (container - size);
    scratchClear();
    for (let i: u32 = 0; i < elements; i++) {
      const base = i - (i % per);
      scratchSet(base + (per - 1 - (i % per)), size, getElem(rn, i, size));
    }
    commitScratch(rd, q != 0);
    return;
  }
  if (key == 0x25) { // NOT, RBIT: size selects the operation, the elements are bytes
    const n: u32 = q ? 16 : 8;
    scratchClear();
    for (let i: u32 = 0; i < n; i++) {
      const a = getElem(rn, i, 0);
      scratchSet(i, 0, size == 0 ? (~a) & 0xFF : rbit8(a));
    }
    commitScratch(rd, q != 0);
    return;
  }
  scratchClear();
  for (let i: u32 = 0; i < elements; i++) {
    const a = getElem(rn, i, size);
    const s = sx(a, size);
    let r: u64;
    switch (key) {
      case 0x03: r = suqadd(a, getElem(rd, i, size), size); break;
      case 0x23: r = usqadd(a, getElem(rd, i, size), size); break;
      case 0x04: r = clsElem(a, size); break;
      case 0x24: r = clzElem(a, size); break;
      case 0x05: r = popcnt<u64>(a); break;
      case 0x07: case 0x27: { // SQABS, SQNEG: only the most negative value saturates
        if (s == sx((1 as u64) << (((8 << size) - 1) as u64), size)) { satQ(); r = m >> 1; }
        else r = ((key == 0x07 ? (s < 0 ? -s : s) : -s) as u64) & m;
        break;
      }
      case 0x08: r = s > 0 ? m : 0; break;
      case 0x09: r = s == 0 ? m : 0; break;
      case 0x0A: r = s < 0 ? m : 0; break;
      case 0x0B: r = ((s < 0 ? -s : s) as u64) & m; break;
      case 0x28: r = s >= 0 ? m : 0; break;
      case 0x29: r = s <= 0 ? m : 0; break;
      default: r = ((-s) as u64) & m; break; // NEG
    }
    scratchSet(i, size, r);
  }
  commitScratch(rd, q != 0 && !scalar);
}


function satUnsignedNarrow(w: u64, size: u32): u64 {
  if (w > emask(size)) { satQ(); return emask(size); }
  return w;
}
function suqadd(a: u64, d: u64, size: u32): u64 {
  // Signed d plus unsigned a, signed saturation.
  if (size < 3) return satS(sx(d, size) + (a as i64), size);
  const r = d + a;
  if ((d >> 63) == 0) {
    if (r < a || (r >> 63) != 0) { satQ(); return 0x7FFFFFFFFFFFFFFF; }
    return r;
  }
  const nd = (0 as u64) - d; // |d|
  if (a >= nd && a - nd > 0x7FFFFFFFFFFFFFFF) { satQ(); return 0x7FFFFFFFFFFFFFFF; }
  return r;
}
function usqadd(a: u64, d: u64, size: u32): u64 {
  // Unsigned d plus signed a, unsigned saturation.
  const sa = sx(a, size);
  if (size < 3) return satU((d as i64) + sa, size);
  const r = d + a;
  if (sa >= 0) { if (r < d) { satQ(); return 0xFFFFFFFFFFFFFFFF; } return r; }
  if ((0 as u64) - a > d) { satQ(); return 0; }
  return r;
}
function clzElem(a: u64, size: u32): u64 { return (clz<u64>(a) - (64 - (8 << size)) as u64); }
function clsElem(a: u64, size: u32): u64 {
  const s = sx(a, size);
  const x: u64 = (s ^ (s >> 63)) as u64;
  return clz<u64>(x) - (64 - (8 << size)) as u64 - 1;
}
function rbit8(a: u64): u64 {
  let r: u64 = 0;
  for (let i: u64 = 0; i < 8; i++) r |= ((a >> i) & 1) << (7 - i);
  return r;
}

/** FP two-register misc (vector and scalar); false if unallocated. */
function fpTwoRegMisc(insn: u32, scalar: bool): bool {
  const q = (insn >> 30) & 1;
  const u = (insn >> 29) & 1;
  const a = (insn >> 23) & 1;
  const sz = (insn >> 22) & 1;
  const opcode = (insn >> 12) & 31;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  const key = (u << 6) | (a << 5) | opcode;
  // Narrowing / widening conversions (vector only): FCVTN, FCVTL, FCVTXN.
  if (opcode == 0x16 || opcode == 0x17) {
    if (a) return false;
    if (u && opcode == 0x17) return false;
    if (u && sz == 0) return false; // FCVTXN needs double sources
    if (scalar && !(u && opcode == 0x16)) return false;
    if (fpTrapped()) return true;
    const fpcr = getFPCR();
    if (opcode == 0x17) { // FCVTL: half->single (sz 0), single->double (sz 1)
      const Fs: i32 = sz ? 23 : 10, Fd: i32 = sz ? 52 : 23;
      const es: u32 = sz ? 2 : 1;
      const n: u32 = sz ? 2 : 4;
      scratchClear();
      for (let i: u32 = 0; i < n; i++) scratchSet(i, es + 1, fpConvert(getElem(rn, q * n + i, es), Fs, Fd, (fpcr >> 22) & 3, fpcr));
      commitScratch(rd, true);
      return true;
    }
    // FCVTN (sz 0: single->half, 1: double->single), FCVTXN (double->single, round to odd)
    const Fs: i32 = sz ? 52 : 23, Fd: i32 = sz ? 23 : 10;
    const es: u32 = sz ? 2 : 1;
    const n: u32 = scalar ? 1 : (sz ? 2 : 4);
    const part: u32 = scalar ? 0 : q * n;
    scratchClear();
    if (q && !scalar) scratchKeepLo(rd);
    for (let i: u32 = 0; i < n; i++) {
      const x = getElem(rn, i, es + 1);
      scratchSet(part + i, es, u ? fpConvertToOdd(x, fpcr) : fpConvert(x, Fs, Fd, (fpcr >> 22) & 3, fpcr));
    }
    commitScratch(rd, q != 0 && !scalar);
    return true;
  }
  if (sz && !q && !scalar) return false;
  const F: i32 = sz ? 52 : 23;
  const es: u32 = 2 + sz;
  const elements: u32 = scalar ? 1 : ((q ? 16 : 8) >> es);
  // Allowed keys (u:a:opcode).
  let ok: bool;
  switch (key) {
    case 0x18: case 0x19: case 0x38: case 0x39: case 0x58: case 0x79: case 0x59: case 0x7F: // FRINTN/M, P/Z, A, I, X, FSQRT
      ok = !scalar; break;
    case 0x2C: case 0x2D: case 0x2E: case 0x6C: case 0x6D: // FCMGT/FCMEQ/FCMLT/FCMGE/FCMLE #0
    case 0x1A: case 0x1B: case 0x3A: case 0x3B: case 0x1C: case 0x5A: case 0x5B: case 0x7A: case 0x7B: case 0x5C: // FCVT*S/U
    case 0x1D: case 0x5D: case 0x3D: case 0x7D: case 0x3F: // SCVTF, UCVTF, FRECPE, FRSQRTE, FRECPX
      ok = key != 0x3F || scalar; break;
    case 0x2F: case 0x6F: ok = !scalar; break; // FABS, FNEG
    case 0x3C: case 0x7C: ok = !scalar && sz == 0; break; // URECPE, URSQRTE
    default: ok = false;
  }
  if (!ok) return false;
  if (fpTrapped()) return true;
  const fpcr = getFPCR();
  const rmode = (fpcr >> 22) & 3;
  const ones = emask(es);
  const bits: i32 = sz ? 64 : 32;
  scratchClear();
  for (let i: u32 = 0; i < elements; i++) {
    const x = getElem(rn, i, es);
    let r: u64;
    switch (key) {
      case 0x18: r = fpRoundInt(x, F, RM_RN, false, fpcr); break;
      case 0x19: r = fpRoundInt(x, F, RM_RM, false, fpcr); break;
      case 0x38: r = fpRoundInt(x, F, RM_RP, false, fpcr); break;
      case 0x39: r = fpRoundInt(x, F, RM_RZ, false, fpcr); break;
      case 0x58: r = fpRoundInt(x, F, RM_RA, false, fpcr); break;
      case 0x59: r = fpRoundInt(x, F, rmode, true, fpcr); break;
      case 0x79: r = fpRoundInt(x, F, rmode, false, fpcr); break;
      case 0x7F: r = fpSqrt(x, F, fpcr); break;
      case 0x2C: r = fpCompareCond(x, 0, F, fpcr, 2) ? ones : 0; break;
      case 0x2D: r = fpCompareCond(x, 0, F, fpcr, 0) ? ones : 0; break;
      case 0x2E: r = fpCompareCond(0, x, F, fpcr, 2) ? ones : 0; break;
      case 0x6C: r = fpCompareCond(x, 0, F, fpcr, 1) ? ones : 0; break;
      case 0x6D: r = fpCompareCond(0, x, F, fpcr, 1) ? ones : 0; break;
      case 0x1A: r = fpToFixed(x, F, 0, false, bits, RM_RN, fpcr); break;
      case 0x1B: r = fpToFixed(x, F, 0, false, bits, RM_RM, fpcr); break;
      case 0x3A: r = fpToFixed(x, F, 0, false, bits, RM_RP, fpcr); break;
      case 0x3B: r = fpToFixed(x, F, 0, false, bits, RM_RZ, fpcr); break;
      case 0x1C: r = fpToFixed(x, F, 0, false, bits, RM_RA, fpcr); break;
      case 0x5A: r = fpToFixed(x, F, 0, true, bits, RM_RN, fpcr); break;
      case 0x5B: r = fpToFixed(x, F, 0, true, bits, RM_RM, fpcr); break;
      case 0x7A: r = fpToFixed(x, F, 0, true, bits, RM_RP, fpcr); break;
      case 0x7B: r = fpToFixed(x, F, 0, true, bits, RM_RZ, fpcr); break;
      case 0x5C: r = fpToFixed(x, F, 0, true, bits, RM_RA, fpcr); break;
      case 0x1D: r = fixedToFP(x, bits, false, 0, F, rmode, fpcr); break;
      case 0x5D: r = fixedToFP(x, bits, true, 0, F, rmode, fpcr); break;
      case 0x3D: r = fpRecipEstimate(x, F, fpcr); break;
      case 0x7D: r = fpRSqrtEstimate(x, F, fpcr); break;
      case 0x3F: r = fpRecpX(x, F, fpcr); break;
      case 0x2F: r = fpAbs(x, F); break;
      case 0x6F: r = fpNeg(x, F); break;
      case 0x3C: r = unsignedRecipEstimate(x as u32); break;
      default: r = unsignedRSqrtEstimate(x as u32); break; // 0x7C
    }
    scratchSet(i, es, r);
  }
  commitScratch(rd, q != 0 && !scalar);
  return true;
}

// ---- across lanes and scalar pairwise ----

function acrossLanes(insn: u32): void {
  const q = (insn >> 30) & 1;
  const u = (insn >> 29) & 1;
  const size = (insn >> 22) & 3;
  const opcode = (insn >> 12) & 31;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  if (opcode == 0x0C || opcode == 0x0F) {
    // FMAXNMV/FMINNMV/FMAXV/FMINV: single precision, four lanes (Q = 1) only in ARMv8.0.
    if (u == 0 || q == 0 || (size & 1) != 0) { undefinedInstruction(); return; }
    if (fpTrapped()) return;
    const isMax = (size & 2) == 0, num = opcode == 0x0C, fpcr = getFPCR();
    // Reduce pairwise as the pseudocode's Reduce() does: (e0 op e1) op (e2 op e3).
    const a = fpMaxMin(getElem(rn, 0, 2), getElem(rn, 1, 2), 23, fpcr, isMax, num);
    const b = fpMaxMin(getElem(rn, 2, 2), getElem(rn, 3, 2), 23, fpcr, isMax, num);
    setVScalar(rd, fpMaxMin(a, b, 23, fpcr, isMax, num), 4);
    return;
  }
  let ok: bool;
  switch (opcode) {
    case 0x03: ok = size < 2 || (size == 2 && q != 0); break; // SADDLV/UADDLV
    case 0x0A: case 0x1A: ok = size < 2 || (size == 2 && q != 0); break; // MAXV/MINV
    case 0x1B: ok = u == 0 && (size < 2 || (size == 2 && q != 0)); break; // ADDV
    default: ok = false;
  }
  if (!ok) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const elements: u32 = (q ? 16 : 8) >> size;
  if (opcode == 0x03) {
    let sum: u64 = 0;
    for (let i: u32 = 0; i < elements; i++) sum += u ? getElem(rn, i, size) : (getElemS(rn, i, size) as u64);
    setVScalar(rd, sum, 2 << size);
    return;
  }
  let acc: u64 = getElem(rn, 0, size);
  for (let i: u32 = 1; i < elements; i++) {
    const e = getElem(rn, i, size);
    if (opcode == 0x1B) acc += e;
    else if (opcode == 0x0A) acc = u ? (e > acc ? e : acc) : (sx(e, size) > sx(acc, size) ? e : acc);
    else acc = u ? (e < acc ? e : acc) : (sx(e, size) < sx(acc, size) ? e : acc);
  }
  setVScalar(rd, acc, 1 << size);
}

// ADDP (scalar), FADDP, FMAXP, FMINP, FMAXNMP, FMINNMP (scalar): two elements of Vn.
function scalarPairwise(insn: u32): void {
  const u = (insn >> 29) & 1;
  const size = (insn >> 22) & 3;
  const opcode = (insn >> 12) & 31;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  if (u == 0 && opcode == 0x1B) {
    if (size != 3) { undefinedInstruction(); return; }
    if (fpTrapped()) return;
    setV(rd, vLo(rn) + vHi(rn), 0);
    return;
  }
  if (u == 0 || (opcode != 0x0C && opcode != 0x0D && opcode != 0x0F)) { undefinedInstruction(); return; }
  if (opcode == 0x0D && (size & 2) != 0) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const sz = size & 1;
  const F: i32 = sz ? 52 : 23;
  const es: u32 = 2 + sz;
  const x = getElem(rn, 0, es), y = getElem(rn, 1, es), fpcr = getFPCR();
  const isMax = (size & 2) == 0;
  let r: u64;
  if (opcode == 0x0D) r = fpAdd(x, y, F, fpcr);
  else r = fpMaxMin(x, y, F, fpcr, isMax, opcode == 0x0C);
  setVScalar(rd, r, 4 << sz);
}

// ---- copy: DUP, INS, UMOV, SMOV ----

function simdCopy(insn: u32): void {
  const q = (insn >> 30) & 1;
  const op = (insn >> 29) & 1;
  const imm5 = (insn >> 16) & 31;
  const imm4 = (insn >> 11) & 15;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  const size = ctz<u32>(imm5);
  if (size > 3) { undefinedInstruction(); return; }
  const index = imm5 >> (size + 1);
  if (op == 1) {
    // INS (element): Vd.T[index] = Vn.T[imm4 >> size]
    if (q == 0) { undefinedInstruction(); return; }
    if (fpTrapped()) return;
    setElem(rd, index, size, getElem(rn, imm4 >> size, size));
    return;
  }
  switch (imm4) {
    case 0: { // DUP (element)
      if (size == 3 && q == 0) { undefinedInstruction(); return; }
      if (fpTrapped()) return;
      dupValue(rd, getElem(rn, index, size), size, q != 0);
      return;
    }
    case 1: { // DUP (general)
      if (size == 3 && q == 0) { undefinedInstruction(); return; }
      if (fpTrapped()) return;
      dupValue(rd, getX(rn), size, q != 0);
      return;
    }
    case 3: { // INS (general)
      if (q == 0) { undefinedInstruction(); return; }
      if (fpTrapped()) return;
      setElem(rd, index, size, getX(rn));
      return;
    }
    case 5: { // SMOV
      if (size == 3 || (size == 2 && q == 0)) { undefinedInstruction(); return; }
      if (fpTrapped()) return;
      const v = getElemS(rn, index, size) as u64;
      if (q) setX(rd, v); else setW(rd, v as u32);
      return;
    }
    case 7: { // UMOV
      if ((q == 1) != (size == 3)) { undefinedInstruction(); return; }
      if (fpTrapped()) return;
      setX(rd, getElem(rn, index, size));
      return;
    }
    default: undefinedInstruction();
  }
}

function dupValue(rd: u32, v: u64, size: u32, q: bool): void {
  let rep: u64;
  if (size == 0) rep = (v & 0xFF) * 0x0101010101010101;
  else if (size == 1) rep = (v & 0xFFFF) * 0x0001000100010001;
  else if (size == 2) rep = (v & 0xFFFFFFFF) * 0x0000000100000001;
  else rep = v;
  setV(rd, rep, q ? rep : 0);
}

// DUP (element, scalar) aka MOV Bd/Hd/Sd/Dd, Vn.T[i].
function scalarDup(insn: u32): void {
  const imm5 = (insn >> 16) & 31;
  const size = ctz<u32>(imm5);
  if (size > 3) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  setVScalar(insn & 31, getElem((insn >> 5) & 31, imm5 >> (size + 1), size), 1 << size);
}

// ---- permute, extract, table lookup ----

function permute(insn: u32): void {
  const q = (insn >> 30) & 1;
  const size = (insn >> 22) & 3;
  const rm = (insn >> 16) & 31;
  const opcode = (insn >> 12) & 7;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  if (opcode == 0 || opcode == 4 || (size == 3 && q == 0)) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const elements: u32 = (q ? 16 : 8) >> size;
  const h = elements >> 1;
  const part: u32 = opcode >> 2; // 1 for UZP2/TRN2/ZIP2
  scratchClear();
  for (let i: u32 = 0; i < elements; i++) {
    let v: u64;
    switch (opcode & 3) {
      case 1: { // UZP: even (or odd) elements of n:m
        const j: u32 = 2 * i + part;
        v = j < elements ? getElem(rn, j, size) : getElem(rm, j - elements, size);
        break;
      }
      case 2: { // TRN
        const p = i >> 1;
        v = (i & 1) == 0 ? getElem(rn, 2 * p + part, size) : getElem(rm, 2 * p + part, size);
        break;
      }
      default: { // ZIP
        const base = part * h;
        const p = i >> 1;
        v = (i & 1) == 0 ? getElem(rn, base + p, size) : getElem(rm, base + p, size);
        break;
      }
    }
    scratchSet(i, size, v);
  }
  commitScratch(rd, q != 0);
}

function extract(insn: u32): void {
  const q = (insn >> 30) & 1;
  const rm = (insn >> 16) & 31;
  const imm4 = (insn >> 11) & 15;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  if (q == 0 && imm4 >= 8) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const bytes: u32 = q ? 16 : 8;
  scratchClear();
  for (let i: u32 = 0; i < bytes; i++) {
    const j = i + imm4;
    scratchSet(i, 0, j < bytes ? getElem(rn, j, 0) : getElem(rm, j - bytes, 0));
  }
  commitScratch(rd, q != 0);
}

function tableLookup(insn: u32): void {
  const q = (insn >> 30) & 1;
  const rm = (insn >> 16) & 31;
  const len = (insn >> 13) & 3;
  const isTbx = (insn >> 12) & 1;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  if (fpTrapped()) return;
  const regs = len + 1;
  const bytes: u32 = q ? 16 : 8;
  scratchClear();
  for (let i: u32 = 0; i < bytes; i++) {
    const idx = getElem(rm, i, 0) as u32;
    let v: u64;
    if (idx < regs * 16) v = getElem((rn + (idx >> 4)) & 31, idx & 15, 0);
    else v = isTbx ? getElem(rd, i, 0) : 0;
    scratchSet(i, 0, v);
  }
  commitScratch(rd, q != 0);
}

// ---- modified immediate: MOVI, MVNI, ORR, BIC, FMOV (vector) ----

function modifiedImmediate(insn: u32): void {
  const q = (insn >> 30) & 1;
  const op = (insn >> 29) & 1;
  const cmode = (insn >> 12) & 15;
  const o2 = (insn >> 11) & 1;
  const rd = insn & 31;
  const imm8 = (((insn >> 16) & 7) << 5) | ((insn >> 5) & 31);
  if (o2) { undefinedInstruction(); return; }
  if (cmode == 15 && op == 1 && q == 0) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const imm = advSIMDExpandImm(op, cmode, imm8);
  const isOrrBic = (cmode & 1) == 1 && cmode < 12;
  let lo = imm, hi = q ? imm : 0;
  if (isOrrBic) {
    const dlo = vLo(rd), dhi = q ? vHi(rd) : 0;
    if (op) { lo = dlo & ~imm; hi = q ? dhi & ~imm : 0; }
    else { lo = dlo | imm; hi = q ? dhi | imm : 0; }
  } else if (op && cmode != 14 && cmode != 15) {
    lo = ~imm; hi = q ? ~imm : 0; // MVNI
  }
  setV(rd, lo, hi);
}

/** AdvSIMDExpandImm (ARM ARM shared pseudocode). */
function advSIMDExpandImm(op: u32, cmode: u32, imm8: u32): u64 {
  const i = imm8 as u64;
  switch (cmode >> 1) {
    case 0: return i * 0x0000000100000001;
    case 1: return (i << 8) * 0x0000000100000001;
    case 2: return (i << 16) * 0x0000000100000001;
    case 3: return (i << 24) * 0x0000000100000001;
    case 4: return i * 0x0001000100010001;
    case 5: return (i << 8) * 0x0001000100010001;
    case 6: return ((cmode & 1) == 0 ? ((i << 8) | 0xFF) : ((i << 16) | 0xFFFF)) * 0x0000000100000001;
    default: {
      if ((cmode & 1) == 0 && op == 0) return i * 0x0101010101010101;
      if ((cmode & 1) == 0 && op == 1) {
        let r: u64 = 0;
        for (let b: u64 = 0; b < 8; b++) if ((i >> b) & 1) r |= (0xFF as u64) << (b * 8);
        return r;
      }
      if (op == 0) return vfpExpandImm(imm8, 23) * 0x0000000100000001;
      return vfpExpandImm(imm8, 52);
    }
  }
}

// ---- shift by immediate (vector and scalar) ----

function shiftImmediate(insn: u32, scalar: bool): void {
  const q = (insn >> 30) & 1;
  const u = (insn >> 29) & 1;
  const immh = (insn >> 19) & 15;
  const immb = (insn >> 16) & 7;
  const opcode = (insn >> 11) & 31;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  const size: u32 = 31 - clz<u32>(immh); // highest set bit of immh
  const ebits: i32 = 8 << size;
  const immhb: i32 = ((immh << 3) | immb) as i32;
  const shr: i32 = 2 * ebits - immhb;  // right shifts
  const shl: i32 = immhb - ebits;      // left shifts
  const key = (u << 5) | opcode;
  let ok: bool;
  switch (key) {
    case 0x00: case 0x20: case 0x02: case 0x22: case 0x04: case 0x24: case 0x06: case 0x26:
    case 0x28: case 0x0A: case 0x2A: // SSHR.. SRSRA, SRI, SHL, SLI
      ok = scalar ? size == 3 : !(size == 3 && q == 0); break;
    case 0x2C: case 0x0E: case 0x2E: ok = !(size == 3 && q == 0 && !scalar); break; // SQSHLU, SQSHL, UQSHL
    case 0x10: case 0x11: ok = !scalar && size < 3; break;  // SHRN, RSHRN
    case 0x30: case 0x31: case 0x12: case 0x32: case 0x13: case 0x33: ok = size < 3; break; // saturating narrows
    case 0x14: case 0x34: ok = !scalar && size < 3; break;  // SSHLL/USHLL
    case 0x1C: case 0x3C: case 0x1F: case 0x3F: ok = size >= 2 && !(size == 3 && q == 0 && !scalar); break; // fixed-point FP
    default: ok = false;
  }
  if (!ok) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const m = emask(size);
  if (key == 0x1C || key == 0x3C || key == 0x1F || key == 0x3F) {
    const F: i32 = size == 3 ? 52 : 23;
    const fbits = shr;
    const elements: u32 = scalar ? 1 : ((q ? 16 : 8) >> size);
    const fpcr = getFPCR();
    scratchClear();
    for (let i: u32 = 0; i < elements; i++) {
      const x = getElem(rn, i, size);
      const r = opcode == 0x1C ? fixedToFP(x, ebits, u != 0, fbits, F, (fpcr >> 22) & 3, fpcr)
                               : fpToFixed(x, F, fbits, u != 0, ebits, RM_RZ, fpcr);
      scratchSet(i, size, r);
    }
    commitScratch(rd, q != 0 && !scalar);
    return;
  }
  if (key == 0x14 || key == 0x34) { // SSHLL/USHLL (SXTL/UXTL): widen the lower/upper half
    const n: u32 = 8 >> size;
    scratchClear();
    for (let i: u32 = 0; i < n; i++) {
      const e = u ? getElem(rn, q * n + i, size) : (getElemS(rn, q * n + i, size) as u64);
      scratchSet(i, size + 1, (e << (shl as u64)) & emask(size + 1));
    }
    commitScratch(rd, true);
    return;
  }
  if (opcode >= 0x10 && opcode <= 0x13) {
    // Narrowing right shifts: source elements size+1 (size here is the destination size).
    const n: u32 = scalar ? 1 : (8 >> size);
    const part: u32 = scalar ? 0 : q * n;
    const ws = size + 1;
    const round = (opcode & 1) != 0;
    scratchClear();
    if (q && !scalar) scratchKeepLo(rd);
    for (let i: u32 = 0; i < n; i++) {
      const w = getElem(rn, i, ws);
      let r: u64;
      if (key == 0x10 || key == 0x11) {
        r = shiftRightRound(w, shr, ws, true, round) & m;                 // SHRN/RSHRN
      } else if (key == 0x30 || key == 0x31) {                              // SQSHRUN/SQRSHRUN
        const v = shiftRightRound(w, shr, ws, false, round);
        r = satU(sx(v, ws), size);
      } else if (key == 0x12 || key == 0x13) {                              // SQSHRN/SQRSHRN
        const v = shiftRightRound(w, shr, ws, false, round);
        r = satS(sx(v, ws), size);
      } else {                                                              // UQSHRN/UQRSHRN
        const v = shiftRightRound(w, shr, ws, true, round);
        r = satUnsignedNarrow(v, size);
      }
      scratchSet(part + i, size, r);
    }
    commitScratch(rd, q != 0 && !scalar);
    return;
  }
  const elements: u32 = scalar ? 1 : ((q ? 16 : 8) >> size);
  scratchClear();
  for (let i: u32 = 0; i < elements; i++) {
    const a = getElem(rn, i, size);
    const d = getElem(rd, i, size);
    let r: u64;
    switch (key) {
      case 0x00: r = shiftRightRound(a, shr, size, false, false); break;
      case 0x20: r = shiftRightRound(a, shr, size, true, false); break;
      case 0x02: r = (d + shiftRightRound(a, shr, size, false, false)) & m; break;
      case 0x22: r = (d + shiftRightRound(a, shr, size, true, false)) & m; break;
      case 0x04: r = shiftRightRound(a, shr, size, false, true); break;
      case 0x24: r = shiftRightRound(a, shr, size, true, true); break;
      case 0x06: r = (d + shiftRightRound(a, shr, size, false, true)) & m; break;
      case 0x26: r = (d + shiftRightRound(a, shr, size, true, true)) & m; break;
      case 0x28: { // SRI
        const mask: u64 = shr >= 64 ? 0 : m >> (shr as u64);
        r = (d & ~mask & m) | (shr >= 64 ? 0 : (a >> (shr as u64)));
        break;
      }
      case 0x0A: r = (a << (shl as u64)) & m; break; // SHL
      case 0x2A: { // SLI
        const mask: u64 = (m << (shl as u64)) & m;
        r = (d & ~mask) | ((a << (shl as u64)) & mask);
        break;
      }
      case 0x2C: r = sqshlu(a, shl, size); break;
      case 0x0E: r = shiftReg(a, shl as u64, size, false, false, true); break;
      default: r = shiftReg(a, shl as u64, size, true, false, true); break; // 0x2E UQSHL
    }
    scratchSet(i, size, r & m);
  }
  commitScratch(rd, q != 0 && !scalar);
}

/** Right shift by n (1..2*bits) of an element, arithmetic or logical, optionally rounding; result masked. */
function shiftRightRound(a: u64, n: i32, esize: u32, unsigned: bool, round: bool): u64 {
  const m = emask(esize);
  if (unsigned) {
    let r: u64 = n >= 64 ? 0 : a >> (n as u64);
    if (round && n <= 64) r += (a >> ((n - 1) as u64)) & 1;
    return r & m;
  }
  const v = sx(a, esize);
  let r: i64 = v >> ((n >= 64 ? 63 : n) as i64);
  if (round) r = n > 64 ? 0 : r + ((v >> ((n - 1) as i64)) & 1);
  return (r as u64) & m;
}

function sqshlu(a: u64, sh: i32, esize: u32): u64 {
  const v = sx(a, esize);
  const m = emask(esize);
  if (v < 0) { satQ(); return 0; }
  if (v == 0) return 0;
  const r = (a << (sh as u64)) & m;
  if ((r >> (sh as u64)) != (a & m)) { satQ(); return m; }
  return r;
}

// ---- by element ----

function byElement(insn: u32, scalar: bool): void {
  const q = (insn >> 30) & 1;
  const u = (insn >> 29) & 1;
  const size = (insn >> 22) & 3;
  const l = (insn >> 21) & 1;
  const mbit = (insn >> 20) & 1;
  const rmLow = (insn >> 16) & 15;
  const opcode = (insn >> 12) & 15;
  const h = (insn >> 11) & 1;
  const rn = (insn >> 5) & 31;
  const rd = insn & 31;
  const key = (u << 4) | opcode;
  const isFP = key == 0x01 || key == 0x05 || key == 0x09 || key == 0x19;
  let index: u32, rm: u32;
  if (isFP) {
    const sz = size & 1;
    if ((size & 2) == 0) { undefinedInstruction(); return; }
    if (sz) { if (l || (!q && !scalar)) { undefinedInstruction(); return; } index = h; }
    else index = (h << 1) | l;
    rm = (mbit << 4) | rmLow;
    if (fpTrapped()) return;
    const F: i32 = sz ? 52 : 23;
    const es: u32 = 2 + sz;
    const elements: u32 = scalar ? 1 : ((q ? 16 : 8) >> es);
    const e2 = getElem(rm, index, es), fpcr = getFPCR();
    scratchClear();
    for (let i: u32 = 0; i < elements; i++) {
      const x = getElem(rn, i, es);
      let r: u64;
      if (key == 0x09) r = fpMul(x, e2, F, fpcr);
      else if (key == 0x19) r = fpMulX(x, e2, F, fpcr);
      else r = fpMulAdd(getElem(rd, i, es), key == 0x05 ? fpNeg(x, F) : x, e2, F, fpcr);
      scratchSet(i, es, r);
    }
    commitScratch(rd, q != 0 && !scalar);
    return;
  }
  // Integer forms: size 01 (H: index H:L:M, Rm 4 bits) or 10 (S: index H:L).
  if (size == 1) { index = (h << 2) | (l << 1) | mbit; rm = rmLow; }
  else if (size == 2) { index = (h << 1) | l; rm = (mbit << 4) | rmLow; }
  else { undefinedInstruction(); return; }
  let ok: bool;
  switch (key) {
    case 0x08: case 0x10: case 0x14: ok = !scalar; break;            // MUL, MLA, MLS
    case 0x02: case 0x06: case 0x0A: case 0x12: case 0x16: case 0x1A: ok = !scalar; break; // long multiplies
    case 0x03: case 0x07: case 0x0B: case 0x0C: case 0x0D: ok = true; break; // saturating doubling
    default: ok = false;
  }
  if (!ok) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const e2u = getElem(rm, index, size);
  const e2s = sx(e2u, size);
  const m = emask(size);
  if (key == 0x08 || key == 0x10 || key == 0x14 || key == 0x0C || key == 0x0D) {
    const elements: u32 = scalar ? 1 : ((q ? 16 : 8) >> size);
    scratchClear();
    for (let i: u32 = 0; i < elements; i++) {
      const a = getElem(rn, i, size);
      let r: u64;
      if (key == 0x08) r = (a * e2u) & m;
      else if (key == 0x10) r = (getElem(rd, i, size) + a * e2u) & m;
      else if (key == 0x14) r = (getElem(rd, i, size) - a * e2u) & m;
      else r = sqdmulh(a, e2u, size, key == 0x0D);
      scratchSet(i, size, r);
    }
    commitScratch(rd, q != 0 && !scalar);
    return;
  }
  // Long forms: source half selected by Q (the "2" variants).
  const n: u32 = scalar ? 1 : (8 >> size);
  const part: u32 = scalar ? 0 : q * n;
  const ws = size + 1;
  const wm = emask(ws);
  scratchClear();
  for (let i: u32 = 0; i < n; i++) {
    const d = getElem(rd, i, ws);
    let r: u64;
    if (key == 0x03 || key == 0x07 || key == 0x0B) {
      const p = sqdmull(getElemS(rn, part + i, size), e2s, size);
      r = key == 0x0B ? p : (key == 0x03 ? sqadd(d, p, ws) : sqsub(d, p, ws));
    } else {
      const uns = u != 0;
      const a: i64 = uns ? (getElem(rn, part + i, size) as i64) : getElemS(rn, part + i, size);
      const b: i64 = uns ? (e2u as i64) : e2s;
      const p = (a * b) as u64;
      if (opcode == 0x2) r = (d + p) & wm;
      else if (opcode == 0x6) r = (d - p) & wm;
      else r = p & wm;
    }
    scratchSet(i, ws, r);
  }
  commitScratch(rd, !scalar);
}
