// The SIMD&FP instructions the region compiler translates: loads and stores of B/H/S/D/Q
// registers, moves between the register files, and the integer Advanced SIMD operations that
// gcc's vectorizer emits (ARM ARM C4.1.94 and C4.1.96-C4.1.97), each as WebAssembly SIMD.
// None of them reads FPCR or writes FPSR: floating-point arithmetic, saturating operations and
// everything else stay with the interpreter (soc/cpu/fpsimd.ts), as does every reserved form.
//
// A vector operation decodes to a few steps of a stack program over v128 values (Step), which
// host/jit/compile.ts runs: V registers are read from and written to the core's state block
// (Vn at regBase + OFF_V + 16n, lane 0 at the lowest byte, as WebAssembly numbers its lanes).

import { V, Op } from "./wasm.js";
import type { LdstAddress } from "./decode.js";

export type Step =
  | { s: "v"; n: number }                 // push Vn
  | { s: "c"; bytes: Uint8Array }         // push a constant (16 bytes, lane 0 first)
  | { s: "op"; o: number }                // a SIMD operation (V)
  | { s: "lane"; o: number; lane: number } // extract_lane / replace_lane
  | { s: "shuf"; lanes: number[] }        // i8x16.shuffle of the two values on top
  | { s: "i32"; v: number }               // push an i32 (a shift count)
  | { s: "core"; o: number }              // a scalar operation (Op)
  | { s: "x"; n: number; w64: boolean };  // push Xn (i64) or Wn (i32); 31 is XZR

export type SimdDecoded =
  /** LDR/STR (SIMD&FP) of `bytes` (1-16): a load zeroes the rest of Vt. */
  | { k: "vldst"; bytes: number; load: boolean; rt: number; rn: number; a: LdstAddress }
  /** LDP/STP/LDNP/STNP (SIMD&FP). */
  | { k: "vldp"; bytes: number; load: boolean; rt: number; rt2: number; rn: number; mode: "off" | "pre" | "post"; imm: bigint }
  /** A register operation: `steps` leave a v128 for Vd, or an i64 for Xd (Wd zero-extended unless `sf`). */
  | { k: "vec"; steps: Step[]; dest: { t: "v"; n: number } | { t: "x"; n: number; sf: boolean } };

const sext = (v: number, bits: number): number => (v << (32 - bits)) >> (32 - bits);
/** A constant of two 64-bit halves. */
function constant(lo: bigint, hi: bigint): Step {
  const bytes = new Uint8Array(16), dv = new DataView(bytes.buffer);
  dv.setBigUint64(0, BigInt.asUintN(64, lo), true);
  dv.setBigUint64(8, BigInt.asUintN(64, hi), true);
  return { s: "c", bytes };
}
const LOW64: Step[] = [constant(-1n, 0n), { s: "op", o: V.and }];
const ZERO: Step = constant(0n, 0n);
const LOW32: Step = constant(0xffffffffn, 0n);
const vreg = (n: number): Step => ({ s: "v", n });
const op = (o: number): Step => ({ s: "op", o });
const toV = (n: number, steps: Step[], q = true): SimdDecoded => ({ k: "vec", steps: q ? steps : [...steps, ...LOW64], dest: { t: "v", n } });

// Lane-wise operations by element size (0 = 8 bits .. 3 = 64 bits); -1 where WebAssembly has none.
const ADD = [V.i8x16_add, V.i16x8_add, V.i32x4_add, V.i64x2_add];
const SUB = [V.i8x16_sub, V.i16x8_sub, V.i32x4_sub, V.i64x2_sub];
const MUL = [-1, V.i16x8_mul, V.i32x4_mul, -1];
const EQ = [V.i8x16_eq, V.i16x8_eq, V.i32x4_eq, V.i64x2_eq];
const GT_S = [V.i8x16_gt_s, V.i16x8_gt_s, V.i32x4_gt_s, V.i64x2_gt_s];
const GE_S = [V.i8x16_ge_s, V.i16x8_ge_s, V.i32x4_ge_s, V.i64x2_ge_s];
const GT_U = [V.i8x16_gt_u, V.i16x8_gt_u, V.i32x4_gt_u, -1];
const GE_U = [V.i8x16_ge_u, V.i16x8_ge_u, V.i32x4_ge_u, -1];
const LT_S = [V.i8x16_lt_s, V.i16x8_lt_s, V.i32x4_lt_s, V.i64x2_lt_s];
const LE_S = [V.i8x16_le_s, V.i16x8_le_s, V.i32x4_le_s, V.i64x2_le_s];
const MAX = [[V.i8x16_max_s, V.i16x8_max_s, V.i32x4_max_s], [V.i8x16_max_u, V.i16x8_max_u, V.i32x4_max_u]];
const MIN = [[V.i8x16_min_s, V.i16x8_min_s, V.i32x4_min_s], [V.i8x16_min_u, V.i16x8_min_u, V.i32x4_min_u]];
const ABS = [V.i8x16_abs, V.i16x8_abs, V.i32x4_abs, V.i64x2_abs];
const NEG = [V.i8x16_neg, V.i16x8_neg, V.i32x4_neg, V.i64x2_neg];
const SHL = [V.i8x16_shl, V.i16x8_shl, V.i32x4_shl, V.i64x2_shl];
const SHR_S = [V.i8x16_shr_s, V.i16x8_shr_s, V.i32x4_shr_s, V.i64x2_shr_s];
const SHR_U = [V.i8x16_shr_u, V.i16x8_shr_u, V.i32x4_shr_u, V.i64x2_shr_u];
const SPLAT = [V.i8x16_splat, V.i16x8_splat, V.i32x4_splat, V.i64x2_splat];
const REPLACE = [V.i8x16_replace_lane, V.i16x8_replace_lane, V.i32x4_replace_lane, V.i64x2_replace_lane];
const EXTRACT_U = [V.i8x16_extract_lane_u, V.i16x8_extract_lane_u, V.i32x4_extract_lane, V.i64x2_extract_lane];
const EXTRACT_S = [V.i8x16_extract_lane_s, V.i16x8_extract_lane_s, V.i32x4_extract_lane, V.i64x2_extract_lane];
/** Widening from element size s to s + 1: [signed, unsigned][high half]. */
const EXTEND = [
  [[V.i16x8_extend_low_i8x16_s, V.i32x4_extend_low_i16x8_s, V.i64x2_extend_low_i32x4_s], [V.i16x8_extend_high_i8x16_s, V.i32x4_extend_high_i16x8_s, V.i64x2_extend_high_i32x4_s]],
  [[V.i16x8_extend_low_i8x16_u, V.i32x4_extend_low_i16x8_u, V.i64x2_extend_low_i32x4_u], [V.i16x8_extend_high_i8x16_u, V.i32x4_extend_high_i16x8_u, V.i64x2_extend_high_i32x4_u]],
];
const EXTMUL = [
  [[V.i16x8_extmul_low_i8x16_s, V.i32x4_extmul_low_i16x8_s, V.i64x2_extmul_low_i32x4_s], [V.i16x8_extmul_high_i8x16_s, V.i32x4_extmul_high_i16x8_s, V.i64x2_extmul_high_i32x4_s]],
  [[V.i16x8_extmul_low_i8x16_u, V.i32x4_extmul_low_i16x8_u, V.i64x2_extmul_low_i32x4_u], [V.i16x8_extmul_high_i8x16_u, V.i32x4_extmul_high_i16x8_u, V.i64x2_extmul_high_i32x4_u]],
];
/** The sign bit of every element of size 3 (unsigned 64-bit compares are signed ones after flipping it). */
const SIGN64: Step = constant(1n << 63n, 1n << 63n);

/**
 * A permutation as one shuffle: `byteOf(i)` says where result byte i comes from (0-15 the first
 * operand, 16-31 the second, -1 zero).
 */
function permute(first: Step[], second: Step[], byteOf: (i: number) => number): Step[] {
  const lanes: number[] = [], mask = new Uint8Array(16);
  let zeros = false;
  for (let i = 0; i < 16; i++) {
    const b = byteOf(i);
    lanes.push(b < 0 ? 0 : b);
    if (b >= 0) mask[i] = 0xff; else zeros = true;
  }
  const steps = [...first, ...(second.length ? second : [ZERO]), { s: "shuf", lanes } as Step];
  return zeros ? [...steps, { s: "c", bytes: mask }, op(V.and)] : steps;
}

/** The bytes of element `e` (size s) of a register: [e << s, (e + 1) << s). */
const byteIn = (e: number, s: number, b: number): number => (e << s) + b;

/** The SIMD&FP instruction `insn` at `pc`, or undefined if it stays with the interpreter. */
export function decodeSimd(insn: number, pc: number): SimdDecoded | undefined {
  insn >>>= 0;
  const rd = insn & 31, rn = (insn >>> 5) & 31, rm = (insn >>> 16) & 31;
  const q = ((insn >>> 30) & 1) === 1, u = ((insn >>> 29) & 1) === 1, size = (insn >>> 22) & 3;

  // ---- loads and stores (C4.1.94 with V = 1) ----
  if ((insn & 0x3f000000) === 0x1c000000) { // LDR (literal, SIMD&FP)
    const opc = insn >>> 30;
    if (opc === 3) return undefined;
    const addr = pc + sext((insn >>> 5) & 0x7ffff, 19) * 4;
    if (addr < 0) return undefined;
    return { k: "vldst", bytes: 4 << opc, load: true, rt: rd, rn: 32, a: { t: "lit", addr } };
  }
  if ((insn & 0x3f000000) === 0x3d000000 || (insn & 0x3f200000) === 0x3c000000 || (insn & 0x3f200c00) === 0x3c200800) {
    const opc = (insn >>> 22) & 3, sz = insn >>> 30;
    if ((opc & 2) !== 0 && sz !== 0) return undefined;
    const scale = (opc & 2) !== 0 ? 4 : sz;
    const ls = { bytes: 1 << scale, load: (opc & 1) === 1, rt: rd, rn };
    if ((insn & 0x3f000000) === 0x3d000000) {
      return { k: "vldst", ...ls, a: { t: "imm", mode: "off", imm: BigInt(((insn >>> 10) & 0xfff) * (1 << scale)) } };
    }
    if ((insn & 0x3f200000) === 0x3c000000) {
      const idx = (insn >>> 10) & 3;
      if (idx === 2) return undefined;
      return { k: "vldst", ...ls, a: { t: "imm", mode: idx === 0 ? "off" : idx === 1 ? "post" : "pre", imm: BigInt(sext((insn >>> 12) & 0x1ff, 9)) } };
    }
    const option = (insn >>> 13) & 7;
    if ((option & 2) === 0) return undefined;
    return { k: "vldst", ...ls, a: { t: "reg", rm, option, shift: ((insn >>> 12) & 1) ? scale : 0 } };
  }
  if ((insn & 0x3e000000) === 0x2c000000) { // LDP/STP/LDNP/STNP (SIMD&FP)
    const opc = insn >>> 30, load = ((insn >>> 22) & 1) === 1, idx = (insn >>> 23) & 3;
    if (opc === 3) return undefined;
    const rt2 = (insn >>> 10) & 31;
    if (load && rd === rt2) return undefined; // constrained unpredictable
    const bytes = 4 << opc;
    return { k: "vldp", bytes, load, rt: rd, rt2, rn, mode: idx === 1 ? "post" : idx === 3 ? "pre" : "off", imm: BigInt(sext((insn >>> 15) & 0x7f, 7) * bytes) };
  }

  // ---- moves between the register files (C4.1.96.x) ----
  if ((insn & 0x7f20fc00) === 0x1e200000) { // FMOV (general)
    const sf = insn >>> 31, type = (insn >>> 22) & 3, rmode = (insn >>> 19) & 3, opcode = (insn >>> 16) & 7;
    if (opcode !== 6 && opcode !== 7) return undefined;
    const key = (sf << 4) | (type << 2) | rmode;
    const toX = opcode === 6;
    if (key === 0x00) { // W <-> S
      return toX ? { k: "vec", steps: [vreg(rn), { s: "lane", o: V.i32x4_extract_lane, lane: 0 }, { s: "core", o: Op.i64_extend_i32_u }], dest: { t: "x", n: rd, sf: false } }
        : toV(rd, [ZERO, { s: "x", n: rn, w64: false }, { s: "lane", o: V.i32x4_replace_lane, lane: 0 }]);
    }
    if (key === 0x14 || key === 0x19) { // X <-> D, X <-> V.D[1]
      const lane = key === 0x19 ? 1 : 0;
      return toX ? { k: "vec", steps: [vreg(rn), { s: "lane", o: V.i64x2_extract_lane, lane }], dest: { t: "x", n: rd, sf: true } }
        : toV(rd, [lane ? vreg(rd) : ZERO, { s: "x", n: rn, w64: true }, { s: "lane", o: V.i64x2_replace_lane, lane }]);
    }
    return undefined;
  }
  if (((insn & 0xff3ffc00) >>> 0) === 0x1e204000 && size < 2) { // FMOV (register): S or D, the rest zeroed
    return { k: "vec", steps: [vreg(rn), size === 0 ? LOW32 : LOW64[0], op(V.and)], dest: { t: "v", n: rd } };
  }

  // ---- Advanced SIMD, vector forms (C4.1.97) ----
  if ((insn & 0x9f200400) === 0x0e200400) return threeSame(insn, q, u, size, rd, rn, rm);
  if ((insn & 0x9f200c00) === 0x0e200000) return threeDifferent(insn, q, u, size, rd, rn, rm);
  if ((insn & 0x9f3e0c00) === 0x0e200800) return twoRegMisc(insn, q, u, size, rd, rn);
  if ((insn & 0x9fe08400) === 0x0e000400) return copy(insn, q, u, rd, rn);
  if ((insn & 0xbf208c00) === 0x0e000800) { // UZP1, TRN1, ZIP1, UZP2, TRN2, ZIP2
    const opcode = (insn >>> 12) & 7;
    if ((size === 3 && !q) || (opcode & 3) === 0) return undefined;
    const part = opcode >> 2, kind = opcode & 3; // kind 1 UZP, 2 TRN, 3 ZIP
    const elems = (q ? 16 : 8) >> size, eb = 1 << size;
    const elemOf = (i: number): number => { // which element of n (0..) or m (elems..) lands in element i
      if (kind === 1) return 2 * i + part;
      if (kind === 2) return (i & 1 ? elems : 0) + (i & ~1) + part;
      return (i & 1 ? elems : 0) + part * (elems >> 1) + (i >> 1);
    };
    return toV(rd, permute([vreg(rn)], [vreg(rm)], (b) => {
      if (b >= elems * eb) return -1;
      const e = elemOf(b >> size), reg = e >= elems ? 1 : 0;
      return reg * 16 + byteIn(e - reg * elems, size, b & (eb - 1));
    }));
  }
  if (((insn & 0xbfe08400) >>> 0) === 0x2e000000) { // EXT
    const imm4 = (insn >>> 11) & 15, bytes = q ? 16 : 8;
    if (!q && imm4 >= 8) return undefined;
    return toV(rd, permute([vreg(rn)], [vreg(rm)], (b) => {
      if (b >= bytes) return -1;
      const at = imm4 + b;
      return at < bytes ? at : 16 + at - bytes;
    }));
  }
  if ((insn & 0x9ff80400) === 0x0f000400) return modifiedImmediate(insn, q, u, rd);
  if ((insn & 0x9f800400) === 0x0f000400) return shiftImmediate(insn, q, u, rd, rn);
  return undefined;
}

function threeSame(insn: number, q: boolean, u: boolean, size: number, rd: number, rn: number, rm: number): SimdDecoded | undefined {
  const opcode = (insn >>> 11) & 31;
  const nm = [vreg(rn), vreg(rm)];
  const wide = size === 3 && !q; // reserved for the element-wise forms
  switch (opcode) {
    case 0x10: return wide ? undefined : toV(rd, [...nm, op((u ? SUB : ADD)[size])], q); // ADD, SUB
    case 0x13: // MUL (PMUL stays interpreted); no i8x16.mul
      return u || MUL[size] < 0 ? undefined : toV(rd, [...nm, op(MUL[size])], q);
    case 0x12: // MLA, MLS
      return MUL[size] < 0 ? undefined : toV(rd, [vreg(rd), ...nm, op(MUL[size]), op((u ? SUB : ADD)[size])], q);
    case 0x03: { // AND, BIC, ORR, ORN; EOR, BSL, BIT, BIF
      if (!u) return toV(rd, [...nm, ...[[op(V.and)], [op(V.andnot)], [op(V.or)], [op(V.not), op(V.or)]][size]], q);
      if (size === 0) return toV(rd, [...nm, op(V.xor)], q);
      // bitselect(a, b, c) = (a & c) | (b & ~c)
      const sel = size === 1 ? [vreg(rn), vreg(rm), vreg(rd)] : size === 2 ? [vreg(rn), vreg(rd), vreg(rm)] : [vreg(rd), vreg(rn), vreg(rm)];
      return toV(rd, [...sel, op(V.bitselect)], q);
    }
    case 0x11: // CMTST, CMEQ
      if (wide) return undefined;
      return toV(rd, u ? [...nm, op(EQ[size])] : [...nm, op(V.and), ZERO, op(EQ[size]), op(V.not)], q);
    case 0x06: case 0x07: { // CMGT, CMHI; CMGE, CMHS
      if (wide) return undefined;
      const ge = opcode === 0x07;
      if (!u) return toV(rd, [...nm, op((ge ? GE_S : GT_S)[size])], q);
      if (size < 3) return toV(rd, [...nm, op((ge ? GE_U : GT_U)[size])], q);
      return toV(rd, [vreg(rn), SIGN64, op(V.xor), vreg(rm), SIGN64, op(V.xor), op(ge ? V.i64x2_ge_s : V.i64x2_gt_s)], q);
    }
    case 0x0c: case 0x0d: // SMAX, UMAX; SMIN, UMIN
      if (size === 3) return undefined;
      return toV(rd, [...nm, op((opcode === 0x0c ? MAX : MIN)[u ? 1 : 0][size])], q);
    default: return undefined;
  }
}

function threeDifferent(insn: number, q: boolean, u: boolean, size: number, rd: number, rn: number, rm: number): SimdDecoded | undefined {
  const opcode = (insn >>> 12) & 15;
  if (size === 3) return undefined;
  const sg = u ? 1 : 0, hi = q ? 1 : 0, w = size + 1;
  const ext = (n: number): Step[] => [vreg(n), op(EXTEND[sg][hi][size])];
  switch (opcode) {
    case 0: case 2: // SADDL, UADDL, SSUBL, USUBL (and the "2" forms: the upper halves)
      return toV(rd, [...ext(rn), ...ext(rm), op((opcode === 0 ? ADD : SUB)[w])]);
    case 1: case 3: // SADDW, UADDW, SSUBW, USUBW
      return toV(rd, [vreg(rn), ...ext(rm), op((opcode === 1 ? ADD : SUB)[w])]);
    case 12: // SMULL, UMULL
      return toV(rd, [vreg(rn), vreg(rm), op(EXTMUL[sg][hi][size])]);
    case 8: case 10: // SMLAL, UMLAL, SMLSL, UMLSL
      return toV(rd, [vreg(rd), vreg(rn), vreg(rm), op(EXTMUL[sg][hi][size]), op((opcode === 8 ? ADD : SUB)[w])]);
    default: return undefined;
  }
}

function twoRegMisc(insn: number, q: boolean, u: boolean, size: number, rd: number, rn: number): SimdDecoded | undefined {
  const opcode = (insn >>> 12) & 31;
  const wide = size === 3 && !q;
  const key = (u ? 0x20 : 0) | opcode;
  const n = [vreg(rn)];
  const reverse = (container: number): SimdDecoded => // REV16/32/64: elements of size `size` within each container of bytes
    toV(rd, permute(n, [], (b) => {
      const eb = 1 << size, c = b - (b % container), e = (b % container) / eb | 0;
      return c + (container / eb - 1 - e) * eb + (b % eb);
    }), q);
  switch (key) {
    case 0x00: return size < 3 ? reverse(8) : undefined;            // REV64
    case 0x20: return size < 2 ? reverse(4) : undefined;            // REV32
    case 0x01: return size === 0 ? reverse(2) : undefined;          // REV16
    case 0x25: return size === 0 ? toV(rd, [...n, op(V.not)], q) : undefined; // NOT (RBIT stays interpreted)
    case 0x05: return size === 0 ? toV(rd, [...n, op(V.i8x16_popcnt)], q) : undefined; // CNT
    case 0x0b: return wide ? undefined : toV(rd, [...n, op(ABS[size])], q);
    case 0x2b: return wide ? undefined : toV(rd, [...n, op(NEG[size])], q);
    case 0x08: return wide ? undefined : toV(rd, [...n, ZERO, op(GT_S[size])], q); // CMGT #0
    case 0x28: return wide ? undefined : toV(rd, [...n, ZERO, op(GE_S[size])], q); // CMGE #0
    case 0x09: return wide ? undefined : toV(rd, [...n, ZERO, op(EQ[size])], q);   // CMEQ #0
    case 0x29: return wide ? undefined : toV(rd, [...n, ZERO, op(LE_S[size])], q); // CMLE #0
    case 0x0a: return wide ? undefined : toV(rd, [...n, ZERO, op(LT_S[size])], q); // CMLT #0
    case 0x12: return size < 3 ? narrow(rd, n, size, q) : undefined; // XTN, XTN2
    default: return undefined;
  }
}

/** The low halves of the elements (size s + 1) of the value `wide` leaves, into the lower half of Vd (upper zeroed) or, for the "2" forms, the upper (the lower kept). */
function narrow(rd: number, wide: Step[], s: number, upper: boolean): SimdDecoded {
  const eb = 1 << s;
  // Byte b of the 8-byte result: byte (b % eb) of wide element (b / eb).
  const from = (b: number) => 2 * eb * (b / eb | 0) + (b % eb);
  if (!upper) return toV(rd, permute(wide, [], (b) => (b < 8 ? from(b) : -1)));
  return toV(rd, permute([vreg(rd)], wide, (b) => (b < 8 ? b : 16 + from(b - 8))));
}

function copy(insn: number, q: boolean, op1: boolean, rd: number, rn: number): SimdDecoded | undefined {
  const imm5 = (insn >>> 16) & 31, imm4 = (insn >>> 11) & 15;
  if ((imm5 & 15) === 0) return undefined;
  const size = 31 - Math.clz32(imm5 & -imm5), index = imm5 >> (size + 1), eb = 1 << size;
  if (op1) { // INS (element)
    if (!q) return undefined;
    const from = imm4 >> size;
    return toV(rd, permute([vreg(rd)], [vreg(rn)], (b) => ((b >> size) === index ? 16 + from * eb + (b % eb) : b)));
  }
  switch (imm4) {
    case 0: // DUP (element)
      if (size === 3 && !q) return undefined;
      return toV(rd, permute([vreg(rn)], [], (b) => index * eb + (b % eb)), q);
    case 1: // DUP (general)
      if (size === 3 && !q) return undefined;
      return toV(rd, [{ s: "x", n: rn, w64: size === 3 }, op(SPLAT[size])], q);
    case 3: // INS (general)
      if (!q) return undefined;
      return toV(rd, [vreg(rd), { s: "x", n: rn, w64: size === 3 }, { s: "lane", o: REPLACE[size], lane: index }]);
    case 5: case 7: { // SMOV, UMOV
      const signed = imm4 === 5;
      if (signed ? (q ? size > 2 : size > 1) : (q ? size !== 3 : size > 2)) return undefined;
      const steps: Step[] = [vreg(rn), { s: "lane", o: (signed ? EXTRACT_S : EXTRACT_U)[size], lane: index }];
      if (size < 3) steps.push({ s: "core", o: signed && q ? Op.i64_extend_i32_s : Op.i64_extend_i32_u });
      return { k: "vec", steps, dest: { t: "x", n: rd, sf: q } };
    }
    default: return undefined;
  }
}

/** AdvSIMDExpandImm (ARM ARM J1, shared/functions/vector): the 64-bit pattern (the caller has excluded the reserved form). */
function expandImm(op: number, cmode: number, imm8: number): bigint {
  const i = BigInt(imm8);
  const rep = (v: bigint, bits: number) => { let r = 0n; for (let s = 0; s < 64; s += bits) r |= v << BigInt(s); return r; };
  switch (cmode >> 1) {
    case 0: return rep(i, 32);
    case 1: return rep(i << 8n, 32);
    case 2: return rep(i << 16n, 32);
    case 3: return rep(i << 24n, 32);
    case 4: return rep(i, 16);
    case 5: return rep(i << 8n, 16);
    case 6: return rep((cmode & 1) === 0 ? (i << 8n) | 0xffn : (i << 16n) | 0xffffn, 32);
    default: {
      if ((cmode & 1) === 0 && op === 0) return rep(i, 8);
      if ((cmode & 1) === 0) { let r = 0n; for (let b = 0; b < 8; b++) if ((imm8 >> b) & 1) r |= 0xffn << BigInt(8 * b); return r; }
      const a = (imm8 >> 7) & 1, b = (imm8 >> 6) & 1, cdefgh = BigInt(imm8 & 0x3f);
      if (op === 0) { // FMOV (vector, single): a:NOT(b):Replicate(b,5):cdefgh:Zeros(19)
        const v = (BigInt(a) << 31n) | (BigInt(b ^ 1) << 30n) | (BigInt(b ? 0x1f : 0) << 25n) | (cdefgh << 19n);
        return rep(v, 32);
      }
      // FMOV (vector, double): a:NOT(b):Replicate(b,8):cdefgh:Zeros(48)
      return (BigInt(a) << 63n) | (BigInt(b ^ 1) << 62n) | (BigInt(b ? 0xff : 0) << 54n) | (cdefgh << 48n);
    }
  }
}

function modifiedImmediate(insn: number, q: boolean, u: boolean, rd: number): SimdDecoded | undefined {
  const cmode = (insn >>> 12) & 15, o2 = (insn >>> 11) & 1, op1 = u ? 1 : 0;
  if (o2) return undefined; // FMOV (half precision)
  if (cmode === 15 && op1 && !q) return undefined;
  const imm8 = (((insn >>> 16) & 7) << 5) | ((insn >>> 5) & 31);
  const v = expandImm(op1, cmode, imm8);
  if (cmode < 12 && (cmode & 1) === 1) { // ORR, BIC: cmode 0xx1 and 10x1
    return toV(rd, [vreg(rd), constant(v, v), op(op1 ? V.andnot : V.or)], q);
  }
  const mvn = op1 === 1 && cmode < 14; // MVNI; op 1 with cmode 1110 is MOVI (64-bit), 1111 FMOV (double)
  const c = mvn ? BigInt.asUintN(64, ~v) : v;
  return toV(rd, [constant(c, q ? c : 0n)]);
}

function shiftImmediate(insn: number, q: boolean, u: boolean, rd: number, rn: number): SimdDecoded | undefined {
  const immh = (insn >>> 19) & 15, imm7 = (insn >>> 16) & 127, opcode = (insn >>> 11) & 31;
  const s = 31 - Math.clz32(immh), esize = 8 << s;
  switch (opcode) {
    case 0x00: case 0x02: { // SSHR, USHR, SSRA, USRA
      if (s === 3 && !q) return undefined;
      const shift = 2 * esize - imm7; // 1..esize
      let shifted: Step[];
      if (!u) shifted = [vreg(rn), { s: "i32", v: Math.min(shift, esize - 1) }, op(SHR_S[s])]; // by esize: the sign everywhere
      else if (shift === esize) shifted = [ZERO];
      else shifted = [vreg(rn), { s: "i32", v: shift }, op(SHR_U[s])];
      return toV(rd, opcode === 0 ? shifted : [vreg(rd), ...shifted, op(ADD[s])], q);
    }
    case 0x0a: // SHL (SLI stays interpreted)
      if (u || (s === 3 && !q)) return undefined;
      return toV(rd, [vreg(rn), { s: "i32", v: imm7 - esize }, op(SHL[s])], q);
    case 0x14: { // SSHLL, USHLL (SXTL, UXTL) and the "2" forms
      if (s === 3) return undefined;
      const shift = imm7 - esize;
      const steps: Step[] = [vreg(rn), op(EXTEND[u ? 1 : 0][q ? 1 : 0][s])];
      if (shift) steps.push({ s: "i32", v: shift }, op(SHL[s + 1]));
      return toV(rd, steps);
    }
    case 0x10: { // SHRN, SHRN2 (RSHRN and the saturating narrows stay interpreted)
      if (u || s === 3) return undefined;
      const shift = 2 * esize - imm7; // 1..esize, below the wide element's size
      return narrow(rd, [vreg(rn), { s: "i32", v: shift }, op(SHR_U[s + 1])], s, q);
    }
    default: return undefined;
  }
}
