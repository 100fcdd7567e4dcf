// A64 instruction encoder: mnemonic + parsed operands -> 32-bit word, choosing
// the same encodings and aliases as GNU as (ARM ARM C6.2 for each instruction).

import {
  parseCondition, SHIFTS, EXTENDS, BARRIER_OPTIONS, HINTS, HINTS_WITH_OPERAND, PSTATE_FIELDS, SYS_OPS, encodeBitMask,
} from "./fields.js";
import { parseSysreg } from "./sysregs.js";
import { encodeSimd, isSimdMnemonic, isSimdOperand, simdTakesFirst, SimdEncodeError, type FpRegOp, type VecOp, type VListOp } from "./simd.js";

export class EncodeError extends Error {
  constructor(message: string, readonly operand?: number) { super(message); }
}

export interface RegOp { t: "reg"; n: number; x: boolean; sp: boolean; zr: boolean; text: string }
export interface ExprOp { t: "expr"; text: string; hash: boolean; value(): bigint }
export interface ShiftOp { t: "shift"; kind: string; amount?: ExprOp; text: string }
export interface MemOp {
  t: "mem"; base: RegOp; offset?: ExprOp | RegOp; ext?: ShiftOp; pre: boolean; post?: ExprOp | RegOp; text: string;
}
export interface LitOp { t: "lit"; text: string; value(): bigint }
export type Operand = RegOp | ExprOp | ShiftOp | MemOp | LitOp | FpRegOp | VecOp | VListOp;

export interface EncodeContext {
  /** Address of the instruction being encoded. */
  pc: number;
  /** Address of the literal-pool slot for an `=expr` operand. */
  literal?: (op: LitOp, size: 4 | 8 | 16) => number;
}

const REG_NAMES: Record<string, [number, boolean, boolean, boolean]> = {
  sp: [31, true, true, false], wsp: [31, false, true, false], xzr: [31, true, false, true], wzr: [31, false, false, true],
  lr: [30, true, false, false], fp: [29, true, false, false], ip0: [16, true, false, false], ip1: [17, true, false, false],
};

export function parseRegister(text: string): RegOp | undefined {
  const s = text.trim().toLowerCase();
  const named = REG_NAMES[s];
  if (named) return { t: "reg", n: named[0], x: named[1], sp: named[2], zr: named[3], text: s };
  const m = /^([xw])([0-9]|[12][0-9]|30)$/.exec(s);
  if (!m) return undefined;
  return { t: "reg", n: +m[2], x: m[1] === "x", sp: false, zr: false, text: s };
}

// ---- operand checks ----

function reg(ops: Operand[], i: number, opts: { sp?: boolean; any?: boolean; width?: "x" | "w" | "any" } = {}): RegOp {
  const o = ops[i];
  if (!o) throw new EncodeError(`missing operand ${i + 1}`);
  if (o.t !== "reg") throw new EncodeError(`operand ${i + 1} must be a register, not '${textOf(o)}'`, i);
  if (opts.any) return o;
  if (o.sp && !opts.sp) throw new EncodeError(`'${o.text}' (the stack pointer) is not allowed here`, i);
  if (o.zr && opts.sp) throw new EncodeError(`'${o.text}' is not allowed here: this operand is SP, not the zero register`, i);
  if (opts.width === "x" && !o.x) throw new EncodeError(`operand ${i + 1} must be a 64-bit (x) register, not '${o.text}'`, i);
  if (opts.width === "w" && o.x) throw new EncodeError(`operand ${i + 1} must be a 32-bit (w) register, not '${o.text}'`, i);
  return o;
}

function textOf(o: Operand): string { return o.text; }

function sameWidth(ops: Operand[], regs: RegOp[]): void {
  for (let i = 1; i < regs.length; i++) {
    if (regs[i].x !== regs[0].x) {
      throw new EncodeError(`register width mismatch: '${regs[0].text}' is ${regs[0].x ? 64 : 32}-bit but '${regs[i].text}' is ${regs[i].x ? 64 : 32}-bit`, ops.indexOf(regs[i]));
    }
  }
}

function imm(ops: Operand[], i: number): bigint {
  const o = ops[i];
  if (!o) throw new EncodeError(`missing operand ${i + 1}`);
  if (o.t !== "expr") throw new EncodeError(`operand ${i + 1} must be an immediate, not '${textOf(o)}'`, i);
  return o.value();
}

function range(v: bigint, lo: bigint, hi: bigint, what: string, i?: number): number {
  if (v < lo || v > hi) throw new EncodeError(`${what} ${v} is out of range (${lo} to ${hi})`, i);
  return Number(v);
}

function count(ops: Operand[], min: number, max = min): void {
  if (ops.length < min || ops.length > max) {
    throw new EncodeError(min === max ? `expected ${min} operand${min === 1 ? "" : "s"}, got ${ops.length}` : `expected ${min} to ${max} operands, got ${ops.length}`);
  }
}

function pcRel(ops: Operand[], i: number, ctx: EncodeContext, bits: number, scale: number, what: string): number {
  const target = imm(ops, i);
  const delta = target - BigInt(ctx.pc);
  if (delta % BigInt(1 << scale) !== 0n) throw new EncodeError(`${what} target 0x${target.toString(16)} is not ${1 << scale}-byte aligned`, i);
  const units = delta >> BigInt(scale);
  const lim = 1n << BigInt(bits - 1);
  if (units < -lim || units >= lim) throw new EncodeError(`${what} target 0x${target.toString(16)} is out of range`, i);
  return Number(BigInt.asUintN(bits, units));
}

function cond(ops: Operand[], i: number): number {
  const o = ops[i];
  const c = o && o.t === "expr" ? parseCondition(o.text) : undefined;
  if (c === undefined) throw new EncodeError(`operand ${i + 1} must be a condition (eq, ne, ...), not '${o ? textOf(o) : ""}'`, i);
  return c;
}

/** Optional `, lsl #n` style operand: returns [type, amount]. */
function optShift(ops: Operand[], i: number, allowRor: boolean, width: number): [number, number] {
  const o = ops[i];
  if (!o) return [0, 0];
  if (o.t !== "shift" || !SHIFTS.includes(o.kind)) throw new EncodeError(`operand ${i + 1} must be a shift (lsl, lsr, asr${allowRor ? ", ror" : ""})`, i);
  const type = SHIFTS.indexOf(o.kind);
  if (type === 3 && !allowRor) throw new EncodeError(`ror is not allowed here`, i);
  const amount = o.amount ? range(o.amount.value(), 0n, BigInt(width - 1), "shift amount", i) : 0;
  return [type, amount];
}

// ---- instruction families ----

type Encoder = (ops: Operand[], ctx: EncodeContext, mn: string) => number;

function sf(r: RegOp): number { return r.x ? 1 << 31 : 0; }

function addSubImmediate(rd: RegOp, rn: RegOp, value: bigint, sub: boolean, setFlags: boolean, shiftOp: Operand | undefined, i: number): number {
  let v = value;
  let shift = 0;
  if (shiftOp) {
    if (shiftOp.t !== "shift" || shiftOp.kind !== "lsl") throw new EncodeError(`only 'lsl #0' or 'lsl #12' may follow the immediate`, i + 1);
    const a = shiftOp.amount ? shiftOp.amount.value() : 0n;
    if (a !== 0n && a !== 12n) throw new EncodeError(`shift of an add/sub immediate must be lsl #0 or #12, not #${a}`, i + 1);
    shift = Number(a) / 12;
  }
  if (v < 0n && shift === 0) { v = -v; sub = !sub; } // GNU as: add x0, x1, #-1 == sub x0, x1, #1
  if (shift === 0 && v > 0xfffn && (v & 0xfffn) === 0n && v <= 0xfff000n) { v >>= 12n; shift = 1; }
  const imm12 = range(v, 0n, 0xfffn, "immediate", i);
  return (sf(rd) | (sub ? 1 << 30 : 0) | (setFlags ? 1 << 29 : 0) | 0x11000000 | (shift << 22) | (imm12 << 10) | (rn.n << 5) | rd.n) >>> 0;
}

const EXTEND_OPTION: Record<string, number> = Object.fromEntries(EXTENDS.map((e, i) => [e, i]));

function addSubRegister(ops: Operand[], rd: RegOp, rn: RegOp, rmIndex: number, sub: boolean, setFlags: boolean): number {
  const rm = reg(ops, rmIndex);
  const mod = ops[rmIndex + 1];
  const useExtended = rd.sp || rn.sp || (mod?.t === "shift" && EXTENDS.includes(mod.kind)) || (rd.x && !rm.x);
  if (useExtended && (rn.zr || (rd.zr && !setFlags))) {
    throw new EncodeError(`'${rn.zr ? rn.text : rd.text}' is not allowed here: register 31 is SP in the extended-register form`, rn.zr ? 1 : 0);
  }
  if (!useExtended) {
    sameWidth(ops, [rd, rn, rm]);
    const [type, amount] = optShift(ops, rmIndex + 1, false, rd.x ? 64 : 32);
    return (sf(rd) | (sub ? 1 << 30 : 0) | (setFlags ? 1 << 29 : 0) | 0x0b000000 | (type << 22) | (rm.n << 16) | (amount << 10) | (rn.n << 5) | rd.n) >>> 0;
  }
  let option: number;
  let amount = 0;
  if (mod) {
    if (mod.t !== "shift") throw new EncodeError(`operand ${rmIndex + 2} must be an extend (uxtw, sxtw, lsl ...)`, rmIndex + 1);
    if (mod.kind === "lsl") {
      option = rd.x ? 3 : 2; // LSL is UXTX/UXTW when SP is an operand
      if (!(rd.sp || rn.sp)) throw new EncodeError(`lsl is an extend only when sp is an operand`, rmIndex + 1);
    } else if (EXTENDS.includes(mod.kind)) option = EXTEND_OPTION[mod.kind];
    else throw new EncodeError(`'${mod.kind}' is not an extend`, rmIndex + 1);
    amount = mod.amount ? range(mod.amount.value(), 0n, 4n, "extend shift", rmIndex + 1) : 0;
  } else {
    option = rd.x ? 3 : 2;
  }
  if (rd.x && (option & 3) === 3 && !rm.x) throw new EncodeError(`'${rm.text}' must be an x register with ${EXTENDS[option]}`, rmIndex);
  if (rd.x && (option & 3) !== 3 && rm.x) throw new EncodeError(`'${rm.text}' must be a w register with ${EXTENDS[option]}`, rmIndex);
  return (sf(rd) | (sub ? 1 << 30 : 0) | (setFlags ? 1 << 29 : 0) | 0x0b200000 | (rm.n << 16) | (option << 13) | (amount << 10) | (rn.n << 5) | rd.n) >>> 0;
}

function addSub(sub: boolean, setFlags: boolean): Encoder {
  return (ops) => {
    count(ops, 3, 4);
    // Register 31 is SP in the immediate and extended forms, ZR in the shifted form.
    const rd = reg(ops, 0, { any: true });
    const rn = reg(ops, 1, { any: true });
    if (rd.sp && setFlags) throw new EncodeError(`'${rd.text}' cannot be the destination of a flag-setting instruction`, 0);
    if (ops[2]?.t === "expr") {
      if (rn.zr) throw new EncodeError(`'${rn.text}' is not allowed here: register 31 is SP in this form`, 1);
      if (rd.zr && !setFlags) throw new EncodeError(`'${rd.text}' is not allowed here: register 31 is SP in this form`, 0);
      sameWidth(ops, [rd, rn]);
      return addSubImmediate(rd, rn, ops[2].value(), sub, setFlags, ops[3], 2);
    }
    return addSubRegister(ops, rd, rn, 2, sub, setFlags);
  };
}

/** CMP/CMN: ADDS/SUBS with the zero register as destination. */
function compare(sub: boolean): Encoder {
  return (ops, ctx) => {
    count(ops, 2, 3);
    const rn = reg(ops, 0, { any: true });
    const zr: RegOp = { t: "reg", n: 31, x: rn.x, sp: false, zr: true, text: rn.x ? "xzr" : "wzr" };
    try {
      return addSub(sub, true)([zr, ...ops], ctx, "");
    } catch (e) {
      // Operand indexes of the expanded form are one higher.
      if (e instanceof EncodeError && e.operand !== undefined) throw new EncodeError(e.message.replace(/operand (\d+)/, (_m, n) => `operand ${+n - 1}`), Math.max(0, e.operand - 1));
      throw e;
    }
  };
}

function logicalImmediateWord(rd: RegOp, rn: RegOp, value: bigint, opc: number, i: number): number {
  const width = rd.x ? 64 : 32;
  let v = value;
  if (!rd.x) {
    // A 32-bit immediate may be written sign-extended (e.g. #-2 or #0xfffffffe).
    if (v < 0n && v >= -(1n << 32n)) v = BigInt.asUintN(32, v);
    if (v > 0xffffffffn) throw new EncodeError(`immediate 0x${v.toString(16)} does not fit in 32 bits`, i);
  } else v = BigInt.asUintN(64, v);
  const enc = encodeBitMask(v, width as 32 | 64);
  if (!enc) throw new EncodeError(`immediate 0x${v.toString(16)} cannot be encoded as a bitmask immediate`, i);
  const [n, immr, imms] = enc;
  return (sf(rd) | (opc << 29) | 0x12000000 | (n << 22) | (immr << 16) | (imms << 10) | (rn.n << 5) | rd.n) >>> 0;
}

function logical(opc: number, invert: boolean): Encoder {
  return (ops) => {
    count(ops, 3, 4);
    const setsFlags = opc === 3;
    const rd = reg(ops, 0, { sp: !setsFlags && ops[2].t === "expr" });
    const rn = reg(ops, 1);
    sameWidth(ops, [rd, rn]);
    if (ops[2].t === "expr") {
      if (ops.length > 3) throw new EncodeError(`unexpected operand after a logical immediate`, 3);
      let v = ops[2].value();
      if (invert) v = ~v; // BIC/ORN/EON with an immediate are AND/ORR/EOR of the inverse
      return logicalImmediateWord(rd, rn, v, opc, 2);
    }
    const rm = reg(ops, 2);
    sameWidth(ops, [rd, rn, rm]);
    const [type, amount] = optShift(ops, 3, true, rd.x ? 64 : 32);
    return (sf(rd) | (opc << 29) | 0x0a000000 | (type << 22) | (invert ? 1 << 21 : 0) | (rm.n << 16) | (amount << 10) | (rn.n << 5) | rd.n) >>> 0;
  };
}

function moveWide(opc: number): Encoder {
  return (ops) => {
    count(ops, 2, 3);
    const rd = reg(ops, 0);
    const v = imm(ops, 1);
    let hw = 0;
    if (ops[2]) {
      const s = ops[2];
      if (s.t !== "shift" || s.kind !== "lsl" || !s.amount) throw new EncodeError(`expected 'lsl #0/16/32/48'`, 2);
      const a = Number(s.amount.value());
      if (a % 16 !== 0 || a < 0 || a > (rd.x ? 48 : 16)) throw new EncodeError(`shift must be lsl #0, #16${rd.x ? ", #32 or #48" : ""}, not #${a}`, 2);
      hw = a / 16;
    }
    const imm16 = range(v, 0n, 0xffffn, "immediate", 1);
    return (sf(rd) | (opc << 29) | 0x12800000 | (hw << 21) | (imm16 << 5) | rd.n) >>> 0;
  };
}

/** MOV with an immediate: MOVZ, then MOVN, then ORR with a bitmask immediate (GNU as order). */
function movImmediate(rd: RegOp, value: bigint, i: number): number {
  const width = rd.x ? 64 : 32;
  const mask = (1n << BigInt(width)) - 1n;
  let v = value;
  if (v < 0n) {
    if (v < -(1n << BigInt(width))) throw new EncodeError(`immediate ${value} does not fit in ${width} bits`, i);
    v &= mask;
  }
  if (v > mask) throw new EncodeError(`immediate 0x${v.toString(16)} does not fit in ${width} bits`, i);
  for (let hw = 0; hw < width / 16; hw++) {
    const sh = BigInt(hw * 16);
    if ((v & ~(0xffffn << sh)) === 0n) return (sf(rd) | (2 << 29) | 0x12800000 | (hw << 21) | (Number(v >> sh) << 5) | rd.n) >>> 0;
  }
  const inv = ~v & mask;
  for (let hw = 0; hw < width / 16; hw++) {
    const sh = BigInt(hw * 16);
    if ((inv & ~(0xffffn << sh)) === 0n) return (sf(rd) | 0x12800000 | (hw << 21) | (Number(inv >> sh) << 5) | rd.n) >>> 0;
  }
  const enc = encodeBitMask(v, width as 32 | 64);
  if (enc) {
    const [n, immr, imms] = enc;
    return (sf(rd) | (1 << 29) | 0x12000000 | (n << 22) | (immr << 16) | (imms << 10) | (31 << 5) | rd.n) >>> 0;
  }
  throw new EncodeError(`immediate 0x${v.toString(16)} cannot be loaded with one mov: use 'ldr ${rd.text}, =0x${v.toString(16)}' or movz/movk`, i);
}

const mov: Encoder = (ops) => {
  count(ops, 2);
  const rd = reg(ops, 0, { any: true });
  if (ops[1].t === "expr") {
    if (rd.sp) {
      // mov sp, #imm is ORR sp, xzr, #imm when the value is a bitmask immediate
      return logicalImmediateWord(rd, { t: "reg", n: 31, x: rd.x, sp: false, zr: true, text: "xzr" }, ops[1].value(), 1, 1);
    }
    return movImmediate(rd, ops[1].value(), 1);
  }
  const rm = reg(ops, 1, { any: true });
  sameWidth(ops, [rd, rm]);
  if ((rd.sp && rm.zr) || (rd.zr && rm.sp)) throw new EncodeError(`cannot move between sp and the zero register`, 1);
  if (rd.sp || rm.sp) return (sf(rd) | 0x11000000 | (rm.n << 5) | rd.n) >>> 0; // ADD rd, rm, #0
  return (sf(rd) | (1 << 29) | 0x0a000000 | (rm.n << 16) | (31 << 5) | rd.n) >>> 0; // ORR rd, zr, rm
};

function bitfieldWord(rd: RegOp, rn: RegOp, opc: number, immr: number, imms: number): number {
  const n = rd.x ? 1 : 0;
  return (sf(rd) | (opc << 29) | 0x13000000 | (n << 22) | (immr << 16) | (imms << 10) | (rn.n << 5) | rd.n) >>> 0;
}

function bitfield(opc: number): Encoder {
  return (ops) => {
    count(ops, 4);
    const rd = reg(ops, 0), rn = reg(ops, 1);
    sameWidth(ops, [rd, rn]);
    const w = rd.x ? 63n : 31n;
    return bitfieldWord(rd, rn, opc, range(imm(ops, 2), 0n, w, "immr", 2), range(imm(ops, 3), 0n, w, "imms", 3));
  };
}

/** LSL/LSR/ASR/ROR: immediate forms are bitfield/EXTR aliases, register forms LSLV... */
function shiftAlias(kind: number): Encoder {
  return (ops) => {
    count(ops, 3);
    const rd = reg(ops, 0), rn = reg(ops, 1);
    sameWidth(ops, [rd, rn]);
    const width = rd.x ? 64 : 32;
    if (ops[2].t === "reg") {
      const rm = reg(ops, 2);
      sameWidth(ops, [rd, rn, rm]);
      return (sf(rd) | 0x1ac00000 | (rm.n << 16) | ((8 + kind) << 10) | (rn.n << 5) | rd.n) >>> 0;
    }
    const sh = range(imm(ops, 2), 0n, BigInt(width - 1), "shift amount", 2);
    switch (kind) {
      case 0: return bitfieldWord(rd, rn, 2, (width - sh) % width, width - 1 - sh);
      case 1: return bitfieldWord(rd, rn, 2, sh, width - 1);
      case 2: return bitfieldWord(rd, rn, 0, sh, width - 1);
      default: return (sf(rd) | 0x13800000 | (rd.x ? 1 << 22 : 0) | (rn.n << 16) | (sh << 10) | (rn.n << 5) | rd.n) >>> 0;
    }
  };
}

/** UBFX/SBFX/BFXIL (lsb, width) and UBFIZ/SBFIZ/BFI (lsb, width, inserted). */
function bitfieldAlias(opc: number, insert: boolean): Encoder {
  return (ops) => {
    count(ops, 4);
    const rd = reg(ops, 0), rn = reg(ops, 1);
    sameWidth(ops, [rd, rn]);
    const width = rd.x ? 64 : 32;
    const lsb = range(imm(ops, 2), 0n, BigInt(width - 1), "lsb", 2);
    const w = range(imm(ops, 3), 1n, BigInt(width - lsb), "width", 3);
    if (insert) return bitfieldWord(rd, rn, opc, (width - lsb) % width, w - 1);
    return bitfieldWord(rd, rn, opc, lsb, lsb + w - 1);
  };
}

/** BFC Rd, #lsb, #width (ARMv8.2 alias of BFM with the zero register; objdump prints it). */
const bfc: Encoder = (ops) => {
  count(ops, 3);
  const rd = reg(ops, 0);
  const width = rd.x ? 64 : 32;
  const lsb = range(imm(ops, 1), 0n, BigInt(width - 1), "lsb", 1);
  const w = range(imm(ops, 2), 1n, BigInt(width - lsb), "width", 2);
  return bitfieldWord(rd, { ...rd, n: 31 }, 1, (width - lsb) % width, w - 1);
};

function extendAlias(signed: boolean, bits: number): Encoder {
  return (ops) => {
    count(ops, 2);
    const rd = reg(ops, 0), rn = reg(ops, 1, { width: "w" });
    if (!signed && rd.x) throw new EncodeError(`'${rd.text}': the destination of uxt${bits === 8 ? "b" : "h"} is a w register`, 0);
    if (bits === 32 && !rd.x) throw new EncodeError(`the destination of sxtw is an x register`, 0);
    return bitfieldWord(rd, { ...rn, x: rd.x }, signed ? 0 : 2, 0, bits - 1);
  };
}

function extr(ops: Operand[]): number {
  count(ops, 4);
  const rd = reg(ops, 0), rn = reg(ops, 1), rm = reg(ops, 2);
  sameWidth(ops, [rd, rn, rm]);
  const lsb = range(imm(ops, 3), 0n, rd.x ? 63n : 31n, "lsb", 3);
  return (sf(rd) | 0x13800000 | (rd.x ? 1 << 22 : 0) | (rm.n << 16) | (lsb << 10) | (rn.n << 5) | rd.n) >>> 0;
}

function adr(page: boolean): Encoder {
  return (ops, ctx) => {
    count(ops, 2);
    const rd = reg(ops, 0, { width: "x" });
    const target = imm(ops, 1);
    let delta: bigint;
    if (page) delta = (target >> 12n) - (BigInt(ctx.pc) >> 12n);
    else delta = target - BigInt(ctx.pc);
    if (delta < -(1n << 20n) || delta >= 1n << 20n) throw new EncodeError(`${page ? "adrp" : "adr"} target 0x${target.toString(16)} is out of range`, 1);
    const v = Number(BigInt.asUintN(21, delta));
    return ((page ? 1 << 31 : 0) | ((v & 3) << 29) | 0x10000000 | ((v >> 2) << 5) | rd.n) >>> 0;
  };
}

function adcSbc(sub: boolean, setFlags: boolean): Encoder {
  return (ops) => {
    count(ops, 3);
    const rd = reg(ops, 0), rn = reg(ops, 1), rm = reg(ops, 2);
    sameWidth(ops, [rd, rn, rm]);
    return (sf(rd) | (sub ? 1 << 30 : 0) | (setFlags ? 1 << 29 : 0) | 0x1a000000 | (rm.n << 16) | (rn.n << 5) | rd.n) >>> 0;
  };
}

function negate(setFlags: boolean): Encoder {
  return (ops) => {
    count(ops, 2, 3);
    const rd = reg(ops, 0), rm = reg(ops, 1);
    sameWidth(ops, [rd, rm]);
    const [type, amount] = optShift(ops, 2, false, rd.x ? 64 : 32);
    return (sf(rd) | (1 << 30) | (setFlags ? 1 << 29 : 0) | 0x0b000000 | (type << 22) | (rm.n << 16) | (amount << 10) | (31 << 5) | rd.n) >>> 0;
  };
}

function ngc(setFlags: boolean): Encoder {
  return (ops) => {
    count(ops, 2);
    const rd = reg(ops, 0), rm = reg(ops, 1);
    sameWidth(ops, [rd, rm]);
    return (sf(rd) | (1 << 30) | (setFlags ? 1 << 29 : 0) | 0x1a000000 | (rm.n << 16) | (31 << 5) | rd.n) >>> 0;
  };
}

const mvn: Encoder = (ops) => {
  count(ops, 2, 3);
  const rd = reg(ops, 0), rm = reg(ops, 1);
  sameWidth(ops, [rd, rm]);
  const [type, amount] = optShift(ops, 2, true, rd.x ? 64 : 32);
  return (sf(rd) | (1 << 29) | 0x0a000000 | (type << 22) | (1 << 21) | (rm.n << 16) | (amount << 10) | (31 << 5) | rd.n) >>> 0;
};

const tst: Encoder = (ops, ctx) => {
  count(ops, 2, 3);
  const rn = reg(ops, 0);
  const zr: RegOp = { t: "reg", n: 31, x: rn.x, sp: false, zr: true, text: rn.x ? "xzr" : "wzr" };
  return logical(3, false)([zr, ...ops], ctx, "ands");
};

function condCompare(sub: boolean): Encoder {
  return (ops) => {
    count(ops, 4);
    const rn = reg(ops, 0);
    const nzcv = range(imm(ops, 2), 0n, 15n, "nzcv", 2);
    const c = cond(ops, 3);
    const base = sf(rn) | (sub ? 1 << 30 : 0) | 0x3a400000 | (c << 12) | (rn.n << 5) | nzcv;
    if (ops[1].t === "expr") return (base | (1 << 11) | (range(ops[1].value(), 0n, 31n, "immediate", 1) << 16)) >>> 0;
    const rm = reg(ops, 1);
    sameWidth(ops, [rn, rm]);
    return (base | (rm.n << 16)) >>> 0;
  };
}

function condSelect(op: number, op2: number): Encoder {
  return (ops) => {
    count(ops, 4);
    const rd = reg(ops, 0), rn = reg(ops, 1), rm = reg(ops, 2);
    sameWidth(ops, [rd, rn, rm]);
    return (sf(rd) | (op << 30) | 0x1a800000 | (rm.n << 16) | (cond(ops, 3) << 12) | (op2 << 10) | (rn.n << 5) | rd.n) >>> 0;
  };
}

/** CSET/CSETM (rd, cond) and CINC/CINV/CNEG (rd, rn, cond): the condition is inverted. */
function condAlias(op: number, op2: number, withSource: boolean): Encoder {
  return (ops) => {
    count(ops, withSource ? 3 : 2);
    const rd = reg(ops, 0);
    const rn = withSource ? reg(ops, 1) : { ...rd, n: 31 };
    if (withSource) sameWidth(ops, [rd, rn]);
    const c = cond(ops, withSource ? 2 : 1);
    if (c >= 14) throw new EncodeError(`condition al/nv cannot be used with this alias`, withSource ? 2 : 1);
    return (sf(rd) | (op << 30) | 0x1a800000 | (rn.n << 16) | ((c ^ 1) << 12) | (op2 << 10) | (rn.n << 5) | rd.n) >>> 0;
  };
}

function dp1(opcode: number, xOpcode = opcode, allowW = true): Encoder {
  return (ops) => {
    count(ops, 2);
    const rd = reg(ops, 0), rn = reg(ops, 1);
    sameWidth(ops, [rd, rn]);
    if (!rd.x && !allowW) throw new EncodeError(`operands must be x registers`, 0);
    return (sf(rd) | 0x5ac00000 | ((rd.x ? xOpcode : opcode) << 10) | (rn.n << 5) | rd.n) >>> 0;
  };
}

function dp2(opcode: number): Encoder {
  return (ops) => {
    count(ops, 3);
    const rd = reg(ops, 0), rn = reg(ops, 1), rm = reg(ops, 2);
    sameWidth(ops, [rd, rn, rm]);
    return (sf(rd) | 0x1ac00000 | (rm.n << 16) | (opcode << 10) | (rn.n << 5) | rd.n) >>> 0;
  };
}

function crc(sz: number, c: boolean): Encoder {
  return (ops) => {
    count(ops, 3);
    const rd = reg(ops, 0, { width: "w" }), rn = reg(ops, 1, { width: "w" });
    const rm = reg(ops, 2, { width: sz === 3 ? "x" : "w" });
    return ((sz === 3 ? 1 << 31 : 0) | 0x1ac04000 | (rm.n << 16) | ((c ? 4 : 0) << 10) | (sz << 10) | (rn.n << 5) | rd.n) >>> 0;
  };
}

function dp3(op31: number, o0: number, long: boolean, withRa: boolean): Encoder {
  return (ops) => {
    count(ops, withRa ? 4 : 3);
    const rd = reg(ops, 0), rn = reg(ops, 1), rm = reg(ops, 2);
    const ra = withRa ? reg(ops, 3) : { ...rd, n: 31 };
    if (long) {
      if (!rd.x || rn.x || rm.x || !ra.x) throw new EncodeError(`operands must be Xd, Wn, Wm${withRa ? ", Xa" : ""}`);
    } else if (op31 === 2 || op31 === 6) {
      if (!rd.x || !rn.x || !rm.x) throw new EncodeError(`operands must be x registers`);
    } else sameWidth(ops, withRa ? [rd, rn, rm, ra as RegOp] : [rd, rn, rm]);
    return (sf(rd) | 0x1b000000 | (op31 << 21) | (rm.n << 16) | (o0 << 15) | (ra.n << 10) | (rn.n << 5) | rd.n) >>> 0;
  };
}

// ---- branches ----

function branch(link: boolean): Encoder {
  return (ops, ctx) => {
    count(ops, 1);
    return ((link ? 0x94000000 : 0x14000000) | pcRel(ops, 0, ctx, 26, 2, "branch")) >>> 0;
  };
}

function branchCond(c: number): Encoder {
  return (ops, ctx) => {
    count(ops, 1);
    return (0x54000000 | (pcRel(ops, 0, ctx, 19, 2, "branch") << 5) | c) >>> 0;
  };
}

function compareBranch(nonZero: boolean): Encoder {
  return (ops, ctx) => {
    count(ops, 2);
    const rt = reg(ops, 0);
    return (sf(rt) | (nonZero ? 0x35000000 : 0x34000000) | (pcRel(ops, 1, ctx, 19, 2, "branch") << 5) | rt.n) >>> 0;
  };
}

function testBranch(nonZero: boolean): Encoder {
  return (ops, ctx) => {
    count(ops, 3);
    const rt = reg(ops, 0);
    const bit = range(imm(ops, 1), 0n, rt.x ? 63n : 31n, "bit number", 1);
    return (((bit >> 5) << 31) | (nonZero ? 0x37000000 : 0x36000000) | ((bit & 31) << 19) | (pcRel(ops, 2, ctx, 14, 2, "branch") << 5) | rt.n) >>> 0;
  };
}

function branchReg(opc: number, defaultLr: boolean): Encoder {
  return (ops) => {
    count(ops, defaultLr ? 0 : 1, 1);
    const rn = ops.length ? reg(ops, 0, { width: "x" }) : { n: 30 };
    return (0xd61f0000 | (opc << 21) | (rn.n << 5)) >>> 0;
  };
}

function exceptionGen(base: number, optional: boolean): Encoder {
  return (ops) => {
    count(ops, optional ? 0 : 1, 1);
    const v = ops.length ? range(imm(ops, 0), 0n, 0xffffn, "immediate", 0) : 0;
    return (base | (v << 5)) >>> 0;
  };
}

function fixed(word: number): Encoder {
  return (ops) => { count(ops, 0); return word >>> 0; };
}

function barrier(op2: number, optionalSy: boolean): Encoder {
  return (ops) => {
    count(ops, optionalSy ? 0 : 1, 1);
    let crm = 15;
    if (ops.length) {
      const o = ops[0];
      if (o.t === "expr" && o.text.toLowerCase() in BARRIER_OPTIONS) crm = BARRIER_OPTIONS[o.text.toLowerCase()];
      else if (o.t === "expr" && o.hash) crm = range(o.value(), 0n, 15n, "barrier option", 0);
      else throw new EncodeError(`'${o.text}' is not a barrier option (sy, ish, ishst, ...)`, 0);
      if (op2 === 6 && crm !== 15 && !o.hash) throw new EncodeError(`isb takes only 'sy'`, 0);
    }
    return (0xd503301f | (crm << 8) | (op2 << 5)) >>> 0;
  };
}

const hint: Encoder = (ops) => {
  count(ops, 1);
  return (0xd503201f | (range(imm(ops, 0), 0n, 127n, "hint number", 0) << 5)) >>> 0;
};

const mrs: Encoder = (ops) => {
  count(ops, 2);
  const rt = reg(ops, 0, { width: "x" });
  const o = ops[1];
  const key = o.t === "expr" ? parseSysreg(o.text) : undefined;
  if (key === undefined) throw new EncodeError(`unknown system register '${o.text}'`, 1);
  return (0xd5200000 | (key << 5) | rt.n) >>> 0;
};

const msr: Encoder = (ops) => {
  count(ops, 2);
  const o = ops[0];
  if (o.t !== "expr") throw new EncodeError(`operand 1 must be a system register or PSTATE field`, 0);
  const field = PSTATE_FIELDS[o.text.toLowerCase()];
  if (field && ops[1].t === "expr") {
    const crm = range(ops[1].value(), 0n, 15n, "immediate", 1);
    return (0xd500401f | (field[0] << 16) | (crm << 8) | (field[1] << 5)) >>> 0;
  }
  const key = parseSysreg(o.text);
  if (key === undefined) throw new EncodeError(`unknown system register '${o.text}'`, 0);
  const rt = reg(ops, 1, { width: "x" });
  return (0xd5000000 | (key << 5) | rt.n) >>> 0;
};

function sysAlias(kind: string): Encoder {
  return (ops) => {
    count(ops, 1, 2);
    const o = ops[0];
    const op = o.t === "expr" ? SYS_OPS[kind][o.text.toLowerCase()] : undefined;
    if (!op) throw new EncodeError(`'${o.text}' is not a ${kind} operation`, 0);
    const [op1, crn, crm, op2, takesReg] = op;
    let rt = 31;
    if (takesReg) { count(ops, 2); rt = reg(ops, 1, { width: "x" }).n; } else count(ops, 1);
    return (0xd5080000 | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5) | rt) >>> 0;
  };
}

// ---- loads and stores ----

interface LdStSpec { size: number; opc: number; rtWidth: "x" | "w" | "size" }

function ldstScale(spec: LdStSpec, rt: RegOp): [number, number] {
  if (spec.rtWidth === "size") return [rt.x ? 3 : 2, spec.opc];
  return [spec.size, spec.opc];
}

function memOperand(ops: Operand[], i: number): MemOp {
  const o = ops[i];
  if (!o || o.t !== "mem") throw new EncodeError(`operand ${i + 1} must be a memory address [xn, ...]`, i);
  if (!o.base.x) throw new EncodeError(`the base register must be an x register or sp, not '${o.base.text}'`, i);
  if (o.base.zr) throw new EncodeError(`xzr cannot be a base register`, i);
  return o;
}

function loadStore(spec: LdStSpec, unscaledOnly = false): Encoder {
  return (ops, ctx) => {
    count(ops, 2);
    const rt = reg(ops, 0);
    if (spec.rtWidth === "x" && !rt.x) throw new EncodeError(`operand 1 must be an x register`, 0);
    if (spec.rtWidth === "w" && rt.x) throw new EncodeError(`operand 1 must be a w register`, 0);
    const [size, opc] = ldstScale(spec, rt);
    const m = ops[1];
    if (m.t === "lit") {
      if (!(opc === 1 && size >= 2) && !(size === 2 && opc === 2)) throw new EncodeError(`'=' literals work with ldr and ldrsw only`, 1);
      if (!ctx.literal) throw new EncodeError(`literal pool not available`, 1);
      const addr = ctx.literal(m, size === 3 ? 8 : 4);
      return literalWord(size, opc, addr, ctx, rt.n);
    }
    if (m.t === "expr") {
      const prefetch = size === 3 && opc === 2;
      if (!prefetch && (opc === 0 || (opc === 1 && size < 2) || (opc >= 2 && size !== 2))) throw new EncodeError(`this load/store has no pc-relative (literal) form`, 1);
      return literalWord(size, opc, Number(m.value()), ctx, rt.n);
    }
    const mem = memOperand(ops, 1);
    const base = (size << 30) | (opc << 22) | (mem.base.n << 5) | rt.n;
    if (mem.post !== undefined) {
      if (mem.post.t !== "expr") throw new EncodeError(`post-index offset must be an immediate`, 1);
      const off = range(mem.post.value(), -256n, 255n, "post-index offset", 1);
      return (base | 0x38000400 | ((off & 0x1ff) << 12)) >>> 0;
    }
    if (mem.offset?.t === "reg") {
      const rm = mem.offset;
      let option = 3;
      let s = 0;
      if (mem.ext) {
        const k = mem.ext.kind;
        if (k === "lsl") option = 3;
        else if (k === "uxtw" || k === "sxtw" || k === "sxtx") option = EXTEND_OPTION[k];
        else throw new EncodeError(`extend of a register offset must be lsl, uxtw, sxtw or sxtx`, 1);
        if (mem.ext.amount !== undefined) {
          const a = Number(mem.ext.amount.value());
          if (a !== 0 && a !== size) throw new EncodeError(`shift of a register offset must be #0 or #${size}`, 1);
          s = a === size && (mem.ext.amount !== undefined) ? 1 : 0;
          if (a === 0 && size === 0) s = 1; // ldrb [x0, x1, lsl #0] sets S (GNU as)
        } else if (k === "lsl") throw new EncodeError(`lsl needs an amount`, 1);
      }
      if ((option === 2 || option === 6) && rm.x) throw new EncodeError(`'${rm.text}' must be a w register with ${EXTENDS[option]}`, 1);
      if ((option === 3 || option === 7) && !rm.x) throw new EncodeError(`'${rm.text}' must be an x register here`, 1);
      if (mem.pre) throw new EncodeError(`register offsets have no writeback form`, 1);
      return (base | 0x38200800 | (rm.n << 16) | (option << 13) | (s << 12)) >>> 0;
    }
    const off = mem.offset ? mem.offset.value() : 0n;
    if (mem.pre) {
      const o = range(off, -256n, 255n, "pre-index offset", 1);
      return (base | 0x38000c00 | ((o & 0x1ff) << 12)) >>> 0;
    }
    const scale = BigInt(1 << size);
    if (!unscaledOnly && off >= 0n && off % scale === 0n && off / scale <= 0xfffn) {
      return (base | 0x39000000 | (Number(off / scale) << 10)) >>> 0;
    }
    if (off >= -256n && off <= 255n) return (base | 0x38000000 | ((Number(off) & 0x1ff) << 12)) >>> 0;
    throw new EncodeError(`offset ${off} cannot be encoded: use -256 to 255, or a multiple of ${scale} from 0 to ${0xfff * Number(scale)}`, 1);
  };
}

function literalWord(size: number, opc: number, target: number, ctx: EncodeContext, rt: number): number {
  const delta = BigInt(target) - BigInt(ctx.pc);
  if (delta % 4n !== 0n) throw new EncodeError(`literal at 0x${target.toString(16)} is not word aligned`, 1);
  if (delta < -(1n << 20n) || delta >= 1n << 20n) throw new EncodeError(`literal at 0x${target.toString(16)} is out of range (1 MiB)`, 1);
  const litOpc = size === 3 && opc === 1 ? 1 : size === 2 && opc === 1 ? 0 : size === 2 && opc === 2 ? 2 : 3;
  return ((litOpc << 30) | 0x18000000 | ((Number(BigInt.asUintN(19, delta / 4n))) << 5) | rt) >>> 0;
}

/** PRFM (immediate, register, literal) and, `unscaled`, PRFUM. */
const prefetch = (unscaled: boolean): Encoder => (ops, ctx) => {
  count(ops, 2);
  const o = ops[0];
  const PRF = ["pldl1keep", "pldl1strm", "pldl2keep", "pldl2strm", "pldl3keep", "pldl3strm", "", "",
    "plil1keep", "plil1strm", "plil2keep", "plil2strm", "plil3keep", "plil3strm", "", "",
    "pstl1keep", "pstl1strm", "pstl2keep", "pstl2strm", "pstl3keep", "pstl3strm"];
  let rt: number;
  if (o.t === "expr" && PRF.includes(o.text.toLowerCase())) rt = PRF.indexOf(o.text.toLowerCase());
  else if (o.t === "expr" && o.hash) rt = range(o.value(), 0n, 31n, "prefetch operation", 0);
  else throw new EncodeError(`'${o.text}' is not a prefetch operation (pldl1keep, ...)`, 0);
  const fake: RegOp = { t: "reg", n: rt, x: true, sp: false, zr: false, text: "" };
  return loadStore({ size: 3, opc: 2, rtWidth: "x" }, unscaled)([fake, ops[1]], ctx, unscaled ? "prfum" : "prfm");
};

function loadStorePair(load: boolean, signed = false, noAllocate = false): Encoder {
  return (ops) => {
    count(ops, 3);
    const rt = reg(ops, 0), rt2 = reg(ops, 1);
    sameWidth(ops, [rt, rt2]);
    if (signed && !rt.x) throw new EncodeError(`ldpsw loads into x registers`, 0);
    const mem = memOperand(ops, 2);
    const opc = signed ? 1 : rt.x ? 2 : 0;
    const scale = signed ? 2 : rt.x ? 3 : 2;
    let mode: number;
    let off: bigint;
    if (mem.post !== undefined) {
      if (mem.post.t !== "expr") throw new EncodeError(`post-index offset must be an immediate`, 2);
      mode = 1; off = mem.post.value();
    } else {
      if (mem.offset?.t === "reg") throw new EncodeError(`ldp/stp take an immediate offset only`, 2);
      off = mem.offset ? mem.offset.value() : 0n;
      mode = mem.pre ? 3 : 2;
    }
    if (noAllocate) { if (mode !== 2) throw new EncodeError(`ldnp/stnp take a plain offset only`, 2); mode = 0; }
    const unit = BigInt(1 << scale);
    if (off % unit !== 0n) throw new EncodeError(`offset ${off} is not a multiple of ${unit}`, 2);
    const imm7 = range(off / unit, -64n, 63n, `offset/${unit}`, 2);
    return ((opc << 30) | 0x28000000 | (mode << 23) | (load ? 1 << 22 : 0) | ((imm7 & 0x7f) << 15) | (rt2.n << 10) | (mem.base.n << 5) | rt.n) >>> 0;
  };
}

/** Exclusive and acquire/release: LDXR/STXR/LDAXR/STLXR (+B/H/P), LDAR/STLR (+B/H). */
function exclusive(kind: "ldx" | "stx" | "lda" | "stl", acquireRelease: boolean, pair: boolean, size?: number): Encoder {
  return (ops) => {
    const hasStatus = kind === "stx";
    const nRegs = (hasStatus ? 1 : 0) + (pair ? 2 : 1);
    count(ops, nRegs + 1);
    let i = 0;
    const rs = hasStatus ? reg(ops, i++, { width: "w" }) : undefined;
    const rt = reg(ops, i++);
    const rt2 = pair ? reg(ops, i++) : undefined;
    if (rt2) sameWidth(ops, [rt, rt2]);
    if (size !== undefined && rt.x) throw new EncodeError(`operand must be a w register for a byte/halfword access`, hasStatus ? 1 : 0);
    const mem = memOperand(ops, i);
    if (mem.offset && !(mem.offset.t === "expr" && mem.offset.value() === 0n)) throw new EncodeError(`exclusive and ordered accesses take [xn] or [xn, #0] only`, i);
    if (mem.pre || mem.post !== undefined) throw new EncodeError(`exclusive and ordered accesses have no writeback form`, i);
    const sz = size ?? (rt.x ? 3 : 2);
    const o2 = kind === "lda" || kind === "stl" ? 1 : 0;
    const l = kind === "ldx" || kind === "lda" ? 1 : 0;
    const o1 = pair ? 1 : 0;
    const o0 = acquireRelease ? 1 : 0;
    if (rs && (rs.n === rt.n || rs.n === mem.base.n && mem.base.n !== 31 || (rt2 && rs.n === rt2.n))) {
      throw new EncodeError(`the status register must differ from the data and base registers`, 0);
    }
    return ((sz << 30) | 0x08000000 | (o2 << 23) | (l << 22) | (o1 << 21) | ((rs ? rs.n : 31) << 16) | (o0 << 15) | ((rt2 ? rt2.n : 31) << 10) | (mem.base.n << 5) | rt.n) >>> 0;
  };
}

// ---- the table ----

export const ENCODERS: Record<string, Encoder> = {
  add: addSub(false, false), adds: addSub(false, true), sub: addSub(true, false), subs: addSub(true, true),
  cmp: compare(true), cmn: compare(false),
  and: logical(0, false), orr: logical(1, false), eor: logical(2, false), ands: logical(3, false),
  bic: logical(0, true), orn: logical(1, true), eon: logical(2, true), bics: logical(3, true),
  tst, mvn, mov,
  neg: negate(false), negs: negate(true), ngc: ngc(false), ngcs: ngc(true),
  movz: moveWide(2), movn: moveWide(0), movk: moveWide(3),
  sbfm: bitfield(0), bfm: bitfield(1), ubfm: bitfield(2),
  lsl: shiftAlias(0), lsr: shiftAlias(1), asr: shiftAlias(2), ror: shiftAlias(3),
  lslv: dp2(8), lsrv: dp2(9), asrv: dp2(10), rorv: dp2(11), udiv: dp2(2), sdiv: dp2(3),
  ubfx: bitfieldAlias(2, false), sbfx: bitfieldAlias(0, false), bfxil: bitfieldAlias(1, false),
  ubfiz: bitfieldAlias(2, true), sbfiz: bitfieldAlias(0, true), bfi: bitfieldAlias(1, true), bfc,
  uxtb: extendAlias(false, 8), uxth: extendAlias(false, 16), sxtb: extendAlias(true, 8), sxth: extendAlias(true, 16), sxtw: extendAlias(true, 32),
  // uxtw xd, wn (gcc emits it): GNU as writes the 32-bit move, which zero-extends.
  uxtw: (ops) => { count(ops, 2); const rd = reg(ops, 0, { width: "x" }), rn = reg(ops, 1, { width: "w" }); return (0x2a0003e0 | (rn.n << 16) | rd.n) >>> 0; },
  extr: (ops) => extr(ops),
  adr: adr(false), adrp: adr(true),
  adc: adcSbc(false, false), adcs: adcSbc(false, true), sbc: adcSbc(true, false), sbcs: adcSbc(true, true),
  ccmn: condCompare(false), ccmp: condCompare(true),
  csel: condSelect(0, 0), csinc: condSelect(0, 1), csinv: condSelect(1, 0), csneg: condSelect(1, 1),
  cset: condAlias(0, 1, false), csetm: condAlias(1, 0, false), cinc: condAlias(0, 1, true), cinv: condAlias(1, 0, true), cneg: condAlias(1, 1, true),
  rbit: dp1(0), rev16: dp1(1), rev32: dp1(2, 2, false), rev: dp1(2, 3), clz: dp1(4), cls: dp1(5),
  crc32b: crc(0, false), crc32h: crc(1, false), crc32w: crc(2, false), crc32x: crc(3, false),
  crc32cb: crc(0, true), crc32ch: crc(1, true), crc32cw: crc(2, true), crc32cx: crc(3, true),
  madd: dp3(0, 0, false, true), msub: dp3(0, 1, false, true), mul: dp3(0, 0, false, false), mneg: dp3(0, 1, false, false),
  smaddl: dp3(1, 0, true, true), smsubl: dp3(1, 1, true, true), umaddl: dp3(5, 0, true, true), umsubl: dp3(5, 1, true, true),
  smull: dp3(1, 0, true, false), smnegl: dp3(1, 1, true, false), umull: dp3(5, 0, true, false), umnegl: dp3(5, 1, true, false),
  smulh: dp3(2, 0, false, false), umulh: dp3(6, 0, false, false),
  b: branch(false), bl: branch(true),
  cbz: compareBranch(false), cbnz: compareBranch(true), tbz: testBranch(false), tbnz: testBranch(true),
  br: branchReg(0, false), blr: branchReg(1, false), ret: branchReg(2, true),
  eret: fixed(0xd69f03e0), drps: fixed(0xd6bf03e0),
  svc: exceptionGen(0xd4000001, false), hvc: exceptionGen(0xd4000002, false), smc: exceptionGen(0xd4000003, false),
  brk: exceptionGen(0xd4200000, false), hlt: exceptionGen(0xd4400000, false),
  hint, dsb: barrier(4, false), dmb: barrier(5, false), isb: barrier(6, true), clrex: (ops) => {
    count(ops, 0, 1);
    const crm = ops.length ? range(imm(ops, 0), 0n, 15n, "immediate", 0) : 15;
    return (0xd503305f | (crm << 8)) >>> 0;
  },
  mrs, msr, ic: sysAlias("ic"), dc: sysAlias("dc"), tlbi: sysAlias("tlbi"), at: sysAlias("at"),
  ldr: loadStore({ size: 0, opc: 1, rtWidth: "size" }), str: loadStore({ size: 0, opc: 0, rtWidth: "size" }),
  ldrb: loadStore({ size: 0, opc: 1, rtWidth: "w" }), strb: loadStore({ size: 0, opc: 0, rtWidth: "w" }),
  ldrh: loadStore({ size: 1, opc: 1, rtWidth: "w" }), strh: loadStore({ size: 1, opc: 0, rtWidth: "w" }),
  ldrsw: loadStore({ size: 2, opc: 2, rtWidth: "x" }),
  ldur: loadStore({ size: 0, opc: 1, rtWidth: "size" }, true), stur: loadStore({ size: 0, opc: 0, rtWidth: "size" }, true),
  ldurb: loadStore({ size: 0, opc: 1, rtWidth: "w" }, true), sturb: loadStore({ size: 0, opc: 0, rtWidth: "w" }, true),
  ldurh: loadStore({ size: 1, opc: 1, rtWidth: "w" }, true), sturh: loadStore({ size: 1, opc: 0, rtWidth: "w" }, true),
  ldursw: loadStore({ size: 2, opc: 2, rtWidth: "x" }, true),
  prfm: prefetch(false), prfum: prefetch(true),
  ldp: loadStorePair(true), stp: loadStorePair(false), ldpsw: loadStorePair(true, true),
  ldnp: loadStorePair(true, false, true), stnp: loadStorePair(false, false, true),
  ldxr: exclusive("ldx", false, false), ldaxr: exclusive("ldx", true, false), stxr: exclusive("stx", false, false), stlxr: exclusive("stx", true, false),
  ldxrb: exclusive("ldx", false, false, 0), ldaxrb: exclusive("ldx", true, false, 0), stxrb: exclusive("stx", false, false, 0), stlxrb: exclusive("stx", true, false, 0),
  ldxrh: exclusive("ldx", false, false, 1), ldaxrh: exclusive("ldx", true, false, 1), stxrh: exclusive("stx", false, false, 1), stlxrh: exclusive("stx", true, false, 1),
  ldxp: exclusive("ldx", false, true), ldaxp: exclusive("ldx", true, true), stxp: exclusive("stx", false, true), stlxp: exclusive("stx", true, true),
  ldar: exclusive("lda", true, false), stlr: exclusive("stl", true, false),
  ldarb: exclusive("lda", true, false, 0), stlrb: exclusive("stl", true, false, 0),
  ldarh: exclusive("lda", true, false, 1), stlrh: exclusive("stl", true, false, 1),
};

// Signed byte/halfword loads: the register width picks opc 2 (x) or 3 (w).
for (const [name, size] of [["ldrsb", 0], ["ldrsh", 1], ["ldursb", 0], ["ldursh", 1]] as const) {
  const unscaled = name.startsWith("ldur");
  ENCODERS[name] = (ops, ctx, mn) => {
    const rt = reg(ops, 0);
    return loadStore({ size, opc: rt.x ? 2 : 3, rtWidth: rt.x ? "x" : "w" }, unscaled)(ops, ctx, mn);
  };
}
for (const [name, code] of Object.entries(HINTS)) ENCODERS[name] = fixed(0xd503201f | (code << 5));
// PSB CSYNC, TSB CSYNC, BTI with its optional target: one encoder a mnemonic, over its operands.
for (const name of new Set(Object.values(HINTS_WITH_OPERAND).map(([mn]) => mn))) {
  const forms = Object.entries(HINTS_WITH_OPERAND).filter(([, [mn]]) => mn === name);
  ENCODERS[name] = (ops) => {
    count(ops, 0, 1);
    const given = ops.length ? ops[0].text.toLowerCase() : "";
    const form = forms.find(([, [, operand]]) => operand === given);
    if (!form) throw new EncodeError(`${name} takes ${forms.map(([, [, o]]) => (o ? `'${o}'` : "nothing")).join(" or ")}, not '${given}'`, 0);
    return (0xd503201f | (Number(form[0]) << 5)) >>> 0;
  };
}
for (let c = 0; c < 16; c++) {
  const names = [["eq"], ["ne"], ["cs", "hs"], ["cc", "lo"], ["mi"], ["pl"], ["vs"], ["vc"], ["hi"], ["ls"], ["ge"], ["lt"], ["gt"], ["le"], ["al"], ["nv"]][c];
  // GNU as also takes the dotless spelling (bne, beq ...).
  for (const n of names) { ENCODERS[`b.${n}`] = branchCond(c); ENCODERS[`b${n}`] = branchCond(c); }
}

/** Encodes one instruction; throws EncodeError with an operand index where it can. */
export function encodeInstruction(mnemonic: string, ops: Operand[], ctx: EncodeContext): number {
  const mn = mnemonic.toLowerCase();
  const enc: Encoder | undefined = ENCODERS[mn];
  // FP/SIMD forms (simd.ts) when an operand is an FP/SIMD register; `b0`, `s1` ... may also be symbols.
  const asSymbols = () => ops.map((o) => (o.t === "fpreg" && o.expr ? o.expr : o));
  if (isSimdMnemonic(mn) && (ops.some(isSimdOperand) || !enc)) {
    try {
      return encodeSimd(mn, ops, ctx);
    } catch (e) {
      if (!(e instanceof SimdEncodeError)) throw e;
      const plain = asSymbols();
      if (enc && !plain.some(isSimdOperand)) { try { return enc(plain, ctx, mn); } catch { /* report the FP/SIMD error */ } }
      // An integer instruction (add x0, ...) with a stray FP/SIMD operand: say so, not what the SIMD forms wanted.
      const v = plain.find(isSimdOperand);
      if (enc !== undefined && v && ops[0] && !simdTakesFirst(mn, ops[0])) throw new EncodeError(`'${v.text}': ${mn} takes no FP/SIMD register here`, plain.indexOf(v));
      throw new EncodeError(e.message, e.operand);
    }
  }
  if (!enc) throw new EncodeError(`unknown instruction '${mnemonic}'`);
  const plain = asSymbols();
  const v = plain.find(isSimdOperand);
  if (v) throw new EncodeError(`'${v.text}': ${mn} takes no FP/SIMD register`, plain.indexOf(v));
  return enc(plain, ctx, mn);
}

export function isInstruction(mnemonic: string): boolean {
  const mn = mnemonic.toLowerCase();
  return mn in ENCODERS || isSimdMnemonic(mn);
}
