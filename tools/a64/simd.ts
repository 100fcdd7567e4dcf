// FP, Advanced SIMD and Crypto instructions (ARMv8.0 + Crypto, as on the
// Cortex-A53): one table of encodings shared by the assembler and the
// disassembler. Each entry is one mnemonic with one fixed shape (arrangement,
// element size, addressing mode): `value` holds every fixed bit, the operands
// own the remaining fields and know how to put a parsed operand into them
// (encode) and how to print them as objdump does (decode). Aliases come before
// the instruction they stand for and carry the condition under which objdump
// prefers them. ARM ARM C4.1.6 (data processing, SIMD and FP), C4.1.4 (loads
// and stores), C7.2 (the instructions).

import type { Operand, RegOp, ExprOp, MemOp, EncodeContext } from "./encode.js";
import { CONDITIONS, parseCondition, EXTENDS } from "./fields.js";

// ---- parsed operands ----

/** b0/h0/s0/d0/q0: a scalar FP/SIMD register. `expr` is the operand read as a symbol, for non-SIMD instructions. */
export interface FpRegOp { t: "fpreg"; n: number; size: string; text: string; expr?: ExprOp }
/** v0.4s (arrangement), v0.s[1] (element with index), v0.s (element, inside a list). */
export interface VecOp { t: "vec"; n: number; arr?: string; elem?: string; index?: number; text: string }
/** {v0.16b-v3.16b}, {v0.s, v1.s}[1]. */
export interface VListOp { t: "vlist"; n: number; count: number; arr?: string; elem?: string; index?: number; text: string }

export class SimdSyntaxError extends Error {}

const ARRANGEMENTS = ["8b", "16b", "4h", "8h", "2s", "4s", "1d", "2d", "1q"];

function parseIndex(s: string): number {
  const t = s.trim();
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(t)) throw new SimdSyntaxError(`lane index must be a number, not '${t}'`);
  return Number(t);
}

function parseVecReg(s: string): VecOp | undefined {
  const m = /^v([0-9]+)\.([0-9]*)([bhsdq])(?:\[(.*)\])?$/i.exec(s.trim());
  if (!m) return undefined;
  const n = +m[1];
  if (n > 31) throw new SimdSyntaxError(`there is no register 'v${n}' (v0 to v31)`);
  const letter = m[3].toLowerCase();
  if (m[2]) {
    const arr = m[2] + letter;
    if (!ARRANGEMENTS.includes(arr)) throw new SimdSyntaxError(`'.${arr}' is not an arrangement (8b, 16b, 4h, 8h, 2s, 4s, 1d, 2d)`);
    // GNU as also takes the older v0.4s[1] for the lane v0.s[1].
    if (m[4] !== undefined) return { t: "vec", n, elem: letter, index: parseIndex(m[4]), text: s.trim() };
    return { t: "vec", n, arr, text: s.trim() };
  }
  const op: VecOp = { t: "vec", n, elem: letter, text: s.trim() };
  if (m[4] !== undefined) op.index = parseIndex(m[4]);
  return op;
}

/** Parses an FP/SIMD operand, or returns undefined when the text is not one. Throws SimdSyntaxError when it is one, badly written. */
export function parseSimdOperand(text: string): FpRegOp | VecOp | VListOp | undefined {
  const s = text.trim();
  const f = /^([bhsdq])([0-9]|[12][0-9]|3[01])$/i.exec(s);
  if (f) return { t: "fpreg", n: +f[2], size: f[1].toLowerCase(), text: s.toLowerCase() };
  if (s.startsWith("{")) {
    const close = s.indexOf("}");
    if (close < 0) throw new SimdSyntaxError(`missing '}' in register list`);
    const inner = s.slice(1, close).trim();
    const after = s.slice(close + 1).trim();
    let regs: VecOp[];
    const range = /^([^,]*?)\s*-\s*([^,]*)$/.exec(inner);
    if (range) {
      const a = parseVecReg(range[1]), b = parseVecReg(range[2]);
      if (!a || !b) throw new SimdSyntaxError(`expected a register range like {v0.16b-v3.16b}, not '${s}'`);
      if (b.n < a.n) throw new SimdSyntaxError(`invalid register range '${inner}': a range cannot wrap past v31 (write the registers out)`);
      const count = b.n - a.n + 1;
      regs = [];
      for (let i = 0; i < count; i++) regs.push({ ...a, n: (a.n + i) & 31 });
      if (a.arr !== b.arr || a.elem !== b.elem) throw new SimdSyntaxError(`the registers of a list must have the same arrangement`);
    } else {
      regs = inner.split(",").map((p) => {
        const r = parseVecReg(p);
        if (!r) throw new SimdSyntaxError(`expected a vector register in the list, not '${p.trim()}'`);
        return r;
      });
      for (let i = 1; i < regs.length; i++) {
        if (regs[i].n !== ((regs[i - 1].n + 1) & 31)) throw new SimdSyntaxError(`the registers of a list must be consecutive`);
        if (regs[i].arr !== regs[0].arr || regs[i].elem !== regs[0].elem) throw new SimdSyntaxError(`the registers of a list must have the same arrangement`);
      }
    }
    if (regs.length > 4) throw new SimdSyntaxError(`a register list holds 1 to 4 registers, not ${regs.length}`);
    if (regs.some((r) => r.index !== undefined)) throw new SimdSyntaxError(`a list's lane index goes after the '}': {v0.s, v1.s}[1]`);
    const op: VListOp = { t: "vlist", n: regs[0].n, count: regs.length, arr: regs[0].arr, elem: regs[0].elem, text: s };
    if (after) {
      const im = /^\[(.*)\]$/.exec(after);
      if (!im) throw new SimdSyntaxError(`unexpected '${after}' after the register list`);
      if (op.arr) throw new SimdSyntaxError(`a lane of a list is written {v0.s, v1.s}[index]`);
      op.index = parseIndex(im[1]);
    }
    return op;
  }
  const v = parseVecReg(s);
  return v;
}

// ---- operand descriptors ----

/**
 * An operand that does not fit an entry. `value` says the operand had the right shape but a bad
 * value (a lane out of range): that failure is reported before any shape mismatch. Not an Error:
 * the matcher throws and catches many of these, and a stack trace each would be slow.
 */
class Mismatch {
  constructor(readonly message: string, readonly value = false, readonly expected?: string) {}
}
function want(expected: string, o: Operand | undefined, value = false): Mismatch {
  return new Mismatch(`expected ${expected}, not ${describe(o)}`, value, expected);
}

export type EncCtx = EncodeContext;
export type Symbolizer = (addr: number) => string | undefined;
interface DecCtx { pc: number; sym?: Symbolizer }

interface Opd {
  /** Field bits this operand owns (not part of the entry's fixed value). */
  bits: number;
  /** The operand's bits, or throws Mismatch. `o` is undefined when the operand is absent (only for optional ones). */
  enc(o: Operand | undefined, c: EncCtx): number;
  /** The operand's text, or undefined when the fields hold a reserved value. */
  dec(w: number, c: DecCtx): string | undefined;
  optional?: boolean;
  /** The operand kind it takes (see shapeOf), to skip entries quickly; undefined: any. */
  sig?: string;
}

/** The kind of a parsed operand, as Opd.sig names it. */
function shapeOf(o: Operand): string {
  switch (o.t) {
    case "fpreg": return "f" + o.size;
    case "vec": return o.arr ? "v" + o.arr : "e" + o.elem;
    case "vlist": return (o.arr ? "l" + o.arr : "le" + o.elem) + o.count;
    case "reg": return o.x ? "x" : "w";
    case "mem": return "m";
    case "shift": return "s";
    default: return "#";
  }
}

interface Entry { mn: string; value: number; mask: number; ops: Opd[]; pref?: (w: number) => boolean; asmOnly?: boolean }

const fld = (w: number, pos: number, width: number) => (w >>> pos) & ((1 << width) - 1);
const ones = (pos: number, width: number) => (((1 << width) - 1) << pos) >>> 0;
const hex = (v: number | bigint) => `#0x${v.toString(16)}`;
const describe = (o: Operand | undefined) => (o ? `'${o.text}'` : "nothing");

/** Bit pieces [pos, width], most significant first, that together hold a number. */
type Pieces = [number, number][];
function getPieces(w: number, p: Pieces): number { let v = 0; for (const [pos, width] of p) v = (v << width) | fld(w, pos, width); return v; }
function putPieces(v: number, p: Pieces): number {
  let r = 0;
  for (let i = p.length - 1; i >= 0; i--) { const [pos, width] = p[i]; r |= (v & ((1 << width) - 1)) << pos; v >>>= width; }
  return r >>> 0;
}
function piecesBits(p: Pieces): number { return p.reduce((a, [pos, width]) => (a | ones(pos, width)) >>> 0, 0); }
function piecesWidth(p: Pieces): number { return p.reduce((a, [, width]) => a + width, 0); }

/** Vector register with an arrangement: v<n>.<arr>. `width` 4 for the by-element Vm of halfwords (v0-v15). */
function V(pos: number, arr: string, width = 5): Opd {
  return {
    sig: "v" + arr,
    bits: ones(pos, width),
    enc(o) {
      if (o?.t !== "vec" || o.arr !== arr) throw want(`v<n>.${arr}`, o);
      if (o.n >= 1 << width) throw new Mismatch(`'${o.text}': only v0 to v15 are allowed here`, true);
      return o.n << pos;
    },
    dec: (w) => `v${fld(w, pos, width)}.${arr}`,
  };
}

/** One vector register written to both Rn and Rm (MOV, the ORR alias); printed from Rn. */
function VV(arr: string): Opd {
  const v = V(5, arr);
  return { ...v, bits: ones(5, 5) | ones(16, 5), enc: (o, c) => { const r = v.enc(o, c); return (r | r << 11) >>> 0; } };
}

/** Scalar FP/SIMD register b/h/s/d/q<n>. */
function F(pos: number, size: string): Opd {
  return {
    sig: "f" + size,
    bits: ones(pos, 5),
    enc(o) {
      if (o?.t !== "fpreg" || o.size !== size) throw want(`${size}<n>`, o);
      return o.n << pos;
    },
    dec: (w) => `${size}${fld(w, pos, 5)}`,
  };
}

/** General register: w/x<n>, 31 is the zero register (or sp when `sp`). */
function R(pos: number, xreg: boolean, sp = false): Opd {
  const name = (n: number) => n === 31 ? (sp ? (xreg ? "sp" : "wsp") : (xreg ? "xzr" : "wzr")) : `${xreg ? "x" : "w"}${n}`;
  return {
    sig: xreg ? "x" : "w",
    bits: ones(pos, 5),
    enc(o) {
      if (o?.t !== "reg" || o.x !== xreg) throw want(`${xreg ? "an x" : "a w"} register`, o);
      if (o.sp && !sp) throw new Mismatch(`'${o.text}' (the stack pointer) is not allowed here`, true);
      if (o.zr && sp) throw new Mismatch(`'${o.text}' is not allowed here: register 31 is sp`, true);
      return o.n << pos;
    },
    dec: (w) => name(fld(w, pos, 5)),
  };
}

/** Element with a lane index: v<n>.<size>[i]; the index is in `idx` (bit pieces) or fixed to 0 when there is none. */
function E(pos: number, size: string, idx: Pieces, width = 5, lanes = 0, shift = 0): Opd {
  const max = lanes || (1 << piecesWidth(idx)) >> shift;
  return {
    sig: "e" + size,
    bits: (ones(pos, width) | piecesBits(idx)) >>> 0,
    enc(o) {
      if (o?.t !== "vec" || o.elem !== size || o.index === undefined) throw want(`v<n>.${size}[index]`, o);
      if (o.index >= max) throw new Mismatch(`lane index ${o.index} is out of range for .${size} (0 to ${max - 1})`, true);
      if (o.n >= 1 << width) throw new Mismatch(`'${o.text}': only v0 to v15 are allowed here`, true);
      return (o.n << pos | putPieces(o.index << shift, idx)) >>> 0;
    },
    dec: (w) => `v${fld(w, pos, width)}.${size}[${getPieces(w, idx) >>> shift}]`,
  };
}

/** Register list {v<n>.<arr>, ...} of `count` registers. */
function L(pos: number, count: number, arr: string): Opd {
  return {
    sig: "l" + arr + count,
    bits: ones(pos, 5),
    enc(o) {
      if (o?.t !== "vlist" || o.count !== count || o.arr !== arr || o.index !== undefined) throw want(`a list of ${count} v<n>.${arr} register${count > 1 ? "s" : ""}`, o);
      return o.n << pos;
    },
    dec: (w) => listText(fld(w, pos, 5), count, `.${arr}`),
  };
}

/** Element list {v<n>.<size>, ...}[i] of a single-structure load/store. */
function LE(pos: number, count: number, size: string, idx: Pieces, shift: number): Opd {
  const max = (1 << piecesWidth(idx)) >> shift;
  return {
    sig: "le" + size + count,
    bits: (ones(pos, 5) | piecesBits(idx)) >>> 0,
    enc(o) {
      if (o?.t !== "vlist" || o.count !== count || o.elem !== size || o.index === undefined) throw want(`a list of ${count} v<n>.${size} register${count > 1 ? "s" : ""} with a lane index`, o);
      if (o.index >= max) throw new Mismatch(`lane index ${o.index} is out of range for .${size} (0 to ${max - 1})`, true);
      return (o.n << pos | putPieces(o.index << shift, idx)) >>> 0;
    },
    dec: (w) => `${listText(fld(w, pos, 5), count, `.${size}`)}[${getPieces(w, idx) >>> shift}]`,
  };
}

function listText(first: number, count: number, suffix: string): string {
  const last = (first + count - 1) & 31;
  if (count > 2 && last > first) return `{v${first}${suffix}-v${last}${suffix}}`;
  const regs: string[] = [];
  for (let i = 0; i < count; i++) regs.push(`v${(first + i) & 31}${suffix}`);
  return `{${regs.join(", ")}}`;
}

function immValue(o: Operand | undefined): bigint {
  if (o?.t !== "expr") throw want(`an immediate`, o);
  try { return o.value(); } catch (e) { throw new Mismatch((e as Error).message, true); }
}

/** An immediate #n held in `p` as `toField(n)`, printed in decimal (or hex). */
function I(p: Pieces, lo: number, hi: number, toField: (v: number) => number = (v) => v, fromField: (f: number) => number = (f) => f, asHex = false): Opd {
  return {
    bits: piecesBits(p),
    enc(o) {
      const v = immValue(o);
      if (v < BigInt(lo) || v > BigInt(hi)) throw new Mismatch(`immediate ${v} is out of range (${lo} to ${hi})`, true);
      return putPieces(toField(Number(v)), p);
    },
    dec(w) {
      const v = fromField(getPieces(w, p));
      if (v < lo || v > hi) return undefined;
      return asHex ? hex(v) : `#${v}`;
    },
  };
}

/** A fixed immediate: #0 of the compares with zero, #8 of SHLL. */
function K(v: number): Opd {
  return {
    bits: 0,
    enc(o) {
      if (o?.t !== "expr") throw want(`#${v}`, o);
      let x: number;
      try { x = Number(o.value()); } catch { x = parseFloat(o.text); }
      if (x !== v) throw new Mismatch(`the immediate must be #${v}`, true);
      return 0;
    },
    dec: () => `#${v}`,
  };
}

/** #0.0 of the FP compares with zero (#0 is accepted too). */
const FZERO: Opd = {
  bits: 0,
  enc(o) {
    if (o?.t !== "expr" || parseFloat(o.text) !== 0 || !/^[0-9.e+-]+$/i.test(o.text.trim())) throw want(`#0.0`, o, o?.t === "expr");
    return 0;
  },
  dec: () => "#0.0",
};

// VFPExpandImm (ARM ARM shared/functions/float/vfpexpandimm): imm8 = a:b:c:d:e:f:g:h is
// (-1)^a × (16 + efgh)/16 × 2^r with r = cd + 1 when b = 0, cd - 3 when b = 1.
function expandFpImm(imm8: number): number {
  const sign = imm8 >> 7 ? -1 : 1;
  const cd = (imm8 >> 4) & 3;
  const r = (imm8 >> 6) & 1 ? cd - 3 : cd + 1;
  return sign * (16 + (imm8 & 15)) / 16 * Math.pow(2, r);
}

function fpImmText(imm8: number): string {
  return `#${expandFpImm(imm8).toExponential(18).replace(/e([+-])(\d)$/, "e$10$2")}`;
}

function parseFloatImm(o: Operand | undefined): number {
  if (o?.t !== "expr") throw want(`a floating-point immediate`, o);
  const t = o.text.trim();
  if (/^[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(e[+-]?[0-9]+)?$/i.test(t) && !/^[+-]?0x/i.test(t)) return parseFloat(t);
  try { return Number(o.value()); } catch { throw new Mismatch(`'${t}' is not a floating-point immediate`, true); }
}

/** FP immediate (FMOV): imm8 in `p`. */
function FPIMM(p: Pieces): Opd {
  return {
    bits: piecesBits(p),
    enc(o) {
      const v = parseFloatImm(o);
      for (let i = 0; i < 256; i++) if (expandFpImm(i) === v) return putPieces(i, p);
      throw new Mismatch(`${o!.text} cannot be encoded as an 8-bit floating-point immediate (±n/16 × 2^r, 16 ≤ n ≤ 31, -3 ≤ r ≤ 4)`, true);
    },
    dec: (w) => fpImmText(getPieces(w, p)),
  };
}

/** The imm8 of the modified-immediate class: a:b:c (bits 18:16), d:e:f:g:h (bits 9:5); GNU as takes -128 to 255. */
const ABC: Pieces = [[16, 3], [5, 5]];
function IMM8(): Opd {
  return {
    bits: piecesBits(ABC),
    enc(o) {
      const v = immValue(o);
      if (v < -128n || v > 255n) throw new Mismatch(`immediate ${v} is out of range (-128 to 255)`, true);
      return putPieces(Number(v) & 0xff, ABC);
    },
    dec: (w) => hex(getPieces(w, ABC)),
  };
}

/** The 64-bit byte-mask immediate of MOVI (each byte 0x00 or 0xff). */
function IMM64(): Opd {
  return {
    bits: piecesBits(ABC),
    enc(o) {
      const v = BigInt.asUintN(64, immValue(o));
      let imm8 = 0;
      for (let i = 0; i < 8; i++) {
        const b = (v >> BigInt(8 * i)) & 0xffn;
        if (b === 0xffn) imm8 |= 1 << i;
        else if (b !== 0n) throw new Mismatch(`immediate 0x${v.toString(16)} cannot be encoded: every byte must be 0x00 or 0xff`, true);
      }
      return putPieces(imm8, ABC);
    },
    dec(w) {
      const imm8 = getPieces(w, ABC);
      let v = 0n;
      for (let i = 0; i < 8; i++) if ((imm8 >> i) & 1) v |= 0xffn << BigInt(8 * i);
      return hex(v);
    },
  };
}

/** A shift that the entry fixes: `lsl #8`, `msl #16`; optional when the amount is 0 (and `kind` is lsl). */
function SH(kind: string, amount: number): Opd {
  return {
    bits: 0,
    optional: amount === 0,
    enc(o) {
      if (!o) { if (amount === 0) return 0; throw new Mismatch(`expected '${kind} #${amount}'`); }
      if (o.t !== "shift" || o.kind !== kind) throw want(`'${kind} #${amount}'`, o);
      let a: bigint;
      try { a = o.amount ? o.amount.value() : 0n; } catch (e) { throw new Mismatch((e as Error).message, true); }
      if (Number(a) !== amount) throw want(`'${kind} #${amount}'`, o);
      return 0;
    },
    dec: () => amount === 0 ? undefined : `${kind} #${amount}`,
  };
}

/** A condition (FCCMP, FCSEL) at bits 15:12. */
const COND: Opd = {
  bits: ones(12, 4),
  enc(o) {
    const c = o?.t === "expr" ? parseCondition(o.text) : undefined;
    if (c === undefined) throw want(`a condition (eq, ne, ...)`, o);
    return c << 12;
  },
  dec: (w) => CONDITIONS[fld(w, 12, 4)],
};

// ---- memory operands ----

function memBase(o: Operand | undefined): MemOp {
  if (o?.t !== "mem") throw want(`a memory address [xn, ...]`, o);
  if (!o.base.x || o.base.zr) throw new Mismatch(`the base register must be an x register or sp, not '${o.base.text}'`, true);
  return o;
}
const baseName = (w: number) => { const n = fld(w, 5, 5); return n === 31 ? "sp" : `x${n}`; };

function memValue(e: ExprOp | RegOp | undefined): bigint {
  if (!e) return 0n;
  if (e.t !== "expr") throw new Mismatch(`expected an immediate offset, not '${e.text}'`);
  try { return e.value(); } catch (x) { throw new Mismatch((x as Error).message, true); }
}

/** [xn{, #imm}] with imm12 scaled by 1 << scale (unsigned offset). */
function MU(scale: number): Opd {
  return {
    bits: ones(5, 5) | ones(10, 12),
    enc(o) {
      const m = memBase(o);
      if (m.pre || m.post !== undefined || m.offset?.t === "reg" || m.ext) throw new Mismatch(`expected [xn, #imm]`);
      const off = memValue(m.offset);
      const unit = BigInt(1 << scale);
      if (off < 0n || off % unit !== 0n || off / unit > 0xfffn) throw new Mismatch(`offset ${off} cannot be encoded: use -256 to 255, or a multiple of ${unit} from 0 to ${0xfff * Number(unit)}`, true);
      return (m.base.n << 5 | Number(off / unit) << 10) >>> 0;
    },
    dec(w) { const imm = fld(w, 10, 12) << scale; return `[${baseName(w)}${imm ? `, #${imm}` : ""}]`; },
  };
}

/** imm9 forms: unscaled [xn{, #imm}], pre-index [xn, #imm]!, post-index [xn], #imm. */
function M9(mode: "unscaled" | "pre" | "post"): Opd {
  return {
    bits: ones(5, 5) | ones(12, 9),
    enc(o) {
      const m = memBase(o);
      if (m.offset?.t === "reg" || m.ext || m.post?.t === "reg") throw new Mismatch(`expected an immediate offset`);
      if ((mode === "pre") !== m.pre || (mode === "post") !== (m.post !== undefined)) throw new Mismatch(`expected a ${mode === "unscaled" ? "plain" : mode + "-index"} address`);
      const off = memValue(mode === "post" ? m.post : m.offset);
      if (off < -256n || off > 255n) throw new Mismatch(`offset ${off} is out of range (-256 to 255)`, true);
      return (m.base.n << 5 | (Number(off) & 0x1ff) << 12) >>> 0;
    },
    dec(w) {
      const imm = (fld(w, 12, 9) << 23) >> 23;
      if (mode === "post") return `[${baseName(w)}], #${imm}`;
      if (mode === "pre") return `[${baseName(w)}, #${imm}]!`;
      return `[${baseName(w)}${imm ? `, #${imm}` : ""}]`;
    },
  };
}

/** Register offset [xn, xm{, lsl #s}] / [xn, wm, uxtw|sxtw {#s}] / sxtx. */
function MR(scale: number): Opd {
  return {
    bits: ones(5, 5) | ones(16, 5) | ones(12, 4),
    enc(o) {
      const m = memBase(o);
      if (m.offset?.t !== "reg" || m.pre || m.post !== undefined) throw new Mismatch(`expected a register offset`);
      const rm = m.offset;
      let option = 3, s = 0;
      if (m.ext) {
        const k = m.ext.kind;
        if (k === "lsl") option = 3;
        else if (k === "uxtw" || k === "sxtw" || k === "sxtx") option = EXTENDS.indexOf(k);
        else throw new Mismatch(`extend of a register offset must be lsl, uxtw, sxtw or sxtx`, true);
        if (m.ext.amount !== undefined) {
          const a = Number(m.ext.amount.value());
          if (a !== 0 && a !== scale) throw new Mismatch(`shift of a register offset must be #0 or #${scale}`, true);
          s = a === scale ? 1 : 0;
          if (scale === 0) s = 1;
        } else if (k === "lsl") throw new Mismatch(`lsl needs an amount`, true);
      }
      if ((option & 1) === 0 && rm.x) throw new Mismatch(`'${rm.text}' must be a w register with ${EXTENDS[option]}`, true);
      if ((option & 1) === 1 && !rm.x) throw new Mismatch(`'${rm.text}' must be an x register here`, true);
      if (rm.sp) throw new Mismatch(`sp cannot be an offset register`, true);
      return (m.base.n << 5 | rm.n << 16 | option << 13 | s << 12) >>> 0;
    },
    dec(w) {
      const option = fld(w, 13, 3), s = fld(w, 12, 1), rm = fld(w, 16, 5);
      if (!(option & 2)) return undefined;
      const rmText = rm === 31 ? (option & 1 ? "xzr" : "wzr") : `${option & 1 ? "x" : "w"}${rm}`;
      let ext: string;
      if (option === 3) ext = s ? `, lsl #${scale}` : "";
      else ext = `, ${EXTENDS[option]}${s ? ` #${scale}` : ""}`;
      return `[${baseName(w)}, ${rmText}${ext}]`;
    },
  };
}

/** Pair addressing: imm7 scaled by 1 << scale; mode 1 post, 2 offset (also no-allocate), 3 pre. */
function MP(scale: number, mode: "post" | "offset" | "pre"): Opd {
  return {
    bits: ones(5, 5) | ones(15, 7),
    enc(o) {
      const m = memBase(o);
      if (m.offset?.t === "reg" || m.ext || m.post?.t === "reg") throw new Mismatch(`expected an immediate offset`);
      if ((mode === "pre") !== m.pre || (mode === "post") !== (m.post !== undefined)) throw new Mismatch(`expected a ${mode === "offset" ? "plain" : mode + "-index"} address`);
      const off = memValue(mode === "post" ? m.post : m.offset);
      const unit = BigInt(1 << scale);
      if (off % unit !== 0n || off / unit < -64n || off / unit > 63n) throw new Mismatch(`offset ${off} is not a multiple of ${unit} from ${-64 * Number(unit)} to ${63 * Number(unit)}`, true);
      return (m.base.n << 5 | (Number(off / unit) & 0x7f) << 15) >>> 0;
    },
    dec(w) {
      const imm = ((fld(w, 15, 7) << 25) >> 25) << scale;
      if (mode === "post") return `[${baseName(w)}], #${imm}`;
      if (mode === "pre") return `[${baseName(w)}, #${imm}]!`;
      return `[${baseName(w)}${imm ? `, #${imm}` : ""}]`;
    },
  };
}

/** Structure loads/stores: [xn] (post undefined), [xn], #bytes (post = bytes) or [xn], xm (post = -1). */
function MS(post?: number): Opd {
  return {
    bits: ones(5, 5) | (post === -1 ? ones(16, 5) : 0),
    enc(o) {
      const m = memBase(o);
      if (m.pre || m.offset !== undefined) throw new Mismatch(`structure loads and stores take [xn] or a post-index`, true);
      if (post === undefined) { if (m.post !== undefined) throw new Mismatch(`unexpected post-index`); return m.base.n << 5; }
      if (m.post === undefined) throw new Mismatch(`expected a post-index`);
      if (post === -1) {
        if (m.post.t !== "reg") throw new Mismatch(`expected a post-index register`);
        if (!m.post.x || m.post.sp || m.post.zr) throw new Mismatch(`the post-index register must be x0-x30, not '${m.post.text}'`, true);
        return (m.base.n << 5 | m.post.n << 16) >>> 0;
      }
      if (m.post.t !== "expr") throw new Mismatch(`expected a post-index immediate`);
      const v = memValue(m.post);
      if (v !== BigInt(post)) throw new Mismatch(`the post-index immediate of this access must be #${post}, not #${v}`, true);
      return m.base.n << 5;
    },
    dec(w) {
      if (post === undefined) return `[${baseName(w)}]`;
      if (post === -1) return `[${baseName(w)}], x${fld(w, 16, 5)}`;
      return `[${baseName(w)}], #${post}`;
    },
  };
}

/** PC-relative literal (imm19 at bit 5, words): a label, or `=value` placed in the literal pool. */
const LABEL: Opd = {
  bits: ones(5, 19),
  enc(o, c) {
    let t: bigint;
    if (o?.t === "lit") {
      if (!c.literal) throw new Mismatch(`literal pool not available`, true);
      t = BigInt(c.literal(o, 4)); // the pool slot (4, 8 or 16 bytes by the register) was sized in pass 1
    } else t = immValue(o);
    const delta = t - BigInt(c.pc);
    if (delta % 4n !== 0n) throw new Mismatch(`literal at 0x${t.toString(16)} is not word aligned`, true);
    if (delta < -(1n << 20n) || delta >= 1n << 20n) throw new Mismatch(`literal at 0x${t.toString(16)} is out of range (1 MiB)`, true);
    return (Number(BigInt.asUintN(19, delta / 4n)) << 5) >>> 0;
  },
  dec(w, c) {
    const a = c.pc + (((fld(w, 5, 19) << 13) >> 13) * 4);
    const name = c.sym?.(a);
    const t = BigInt.asUintN(64, BigInt(a)).toString(16);
    return name ? `${t} <${name}>` : t;
  },
};

// ---- the table ----

const TABLE: Entry[] = [];

function add(mn: string, value: number, ops: Opd[], extra: { pref?: (w: number) => boolean; asmOnly?: boolean; mask?: number } = {}): void {
  const owned = ops.reduce((a, o) => (a | o.bits) >>> 0, 0);
  TABLE.push({ mn, value: value >>> 0, mask: extra.mask ?? (~owned >>> 0), ops, pref: extra.pref, asmOnly: extra.asmOnly });
}

// The table is built on first use: its ~2,200 entries of closures cost ~100 ms, paid at import
// by every start of the CLI, while `rpi-os run` never encodes or prints an FP/SIMD instruction.
let built = false;
const BY_NAME = new Map<string, Entry[]>();
/** Decode buckets by the top 8 bits (every entry fixes them). */
const BUCKETS: Entry[][] = Array.from({ length: 256 }, () => []);

function table(): void {
  if (built) return;
  built = true;
  /** size (bits 23:22) and Q (bit 30) of an arrangement. */
  const SQ: Record<string, number> = {
    "8b": 0, "16b": 1 << 30, "4h": 1 << 22, "8h": (1 << 22 | 1 << 30) >>> 0, "2s": 2 << 22, "4s": (2 << 22 | 1 << 30) >>> 0,
    "1d": 3 << 22, "2d": (3 << 22 | 1 << 30) >>> 0,
  };
  /** sz (bit 22) and Q of an FP arrangement. */
  const FSQ: Record<string, number> = { "2s": 0, "4s": 1 << 30, "2d": (1 << 22 | 1 << 30) >>> 0 };
  const ALL = ["8b", "16b", "4h", "8h", "2s", "4s", "2d"];
  const BHS = ["8b", "16b", "4h", "8h", "2s", "4s"];
  const HS = ["4h", "8h", "2s", "4s"];
  const BB = ["8b", "16b"];
  const FP = ["2s", "4s", "2d"];
  const Q1 = (arr: string) => arr === "16b" || arr === "8h" || arr === "4s" || arr === "2d";
  const SIZE: Record<string, number> = { b: 0, h: 1, s: 2, d: 3 };
  const SCAL = "bhsd";
  /** The long (double-width element) arrangement of a narrow one, and the double-width element. */
  const LONG: Record<string, string> = { "8b": "8h", "16b": "8h", "4h": "4s", "8h": "4s", "2s": "2d", "4s": "2d" };
  const WIDE_ELEM: Record<string, string> = { b: "h", h: "s", s: "d" };
  const elemOf = (arr: string) => arr.slice(-1);
  const two = (mn: string, arr: string) => Q1(arr) ? mn + "2" : mn;

  // C4.1.6: Advanced SIMD three same, and the scalar three same.
  const THREE_SAME_INT: [number, number, string, string[], string][] = [
    [0, 0b00000, "shadd", BHS, ""], [0, 0b00001, "sqadd", ALL, "bhsd"], [0, 0b00010, "srhadd", BHS, ""], [0, 0b00100, "shsub", BHS, ""],
    [0, 0b00101, "sqsub", ALL, "bhsd"], [0, 0b00110, "cmgt", ALL, "d"], [0, 0b00111, "cmge", ALL, "d"], [0, 0b01000, "sshl", ALL, "d"],
    [0, 0b01001, "sqshl", ALL, "bhsd"], [0, 0b01010, "srshl", ALL, "d"], [0, 0b01011, "sqrshl", ALL, "bhsd"], [0, 0b01100, "smax", BHS, ""],
    [0, 0b01101, "smin", BHS, ""], [0, 0b01110, "sabd", BHS, ""], [0, 0b01111, "saba", BHS, ""], [0, 0b10000, "add", ALL, "d"],
    [0, 0b10001, "cmtst", ALL, "d"], [0, 0b10010, "mla", BHS, ""], [0, 0b10011, "mul", BHS, ""], [0, 0b10100, "smaxp", BHS, ""],
    [0, 0b10101, "sminp", BHS, ""], [0, 0b10110, "sqdmulh", HS, "hs"], [0, 0b10111, "addp", ALL, ""],
    [1, 0b00000, "uhadd", BHS, ""], [1, 0b00001, "uqadd", ALL, "bhsd"], [1, 0b00010, "urhadd", BHS, ""], [1, 0b00100, "uhsub", BHS, ""],
    [1, 0b00101, "uqsub", ALL, "bhsd"], [1, 0b00110, "cmhi", ALL, "d"], [1, 0b00111, "cmhs", ALL, "d"], [1, 0b01000, "ushl", ALL, "d"],
    [1, 0b01001, "uqshl", ALL, "bhsd"], [1, 0b01010, "urshl", ALL, "d"], [1, 0b01011, "uqrshl", ALL, "bhsd"], [1, 0b01100, "umax", BHS, ""],
    [1, 0b01101, "umin", BHS, ""], [1, 0b01110, "uabd", BHS, ""], [1, 0b01111, "uaba", BHS, ""], [1, 0b10000, "sub", ALL, "d"],
    [1, 0b10001, "cmeq", ALL, "d"], [1, 0b10010, "mls", BHS, ""], [1, 0b10011, "pmul", BB, ""], [1, 0b10100, "umaxp", BHS, ""],
    [1, 0b10101, "uminp", BHS, ""], [1, 0b10110, "sqrdmulh", HS, "hs"],
  ];
  for (const [u, opcode, mn, arrs, scal] of THREE_SAME_INT) {
    const base = 0x0e200400 | u << 29 | opcode << 11;
    for (const a of arrs) add(mn, base | SQ[a], [V(0, a), V(5, a), V(16, a)]);
    for (const s of scal) add(mn, (base | 0x50000000 | SIZE[s] << 22) >>> 0, [F(0, s), F(5, s), F(16, s)]);
  }
  // Logical three same: size selects the operation; MOV is ORR with Rn == Rm.
  for (const a of BB) {
    const q = Q1(a) ? 1 << 30 : 0;
    add("mov", 0x0ea01c00 | q, [V(0, a), VV(a)], { pref: (w) => fld(w, 5, 5) === fld(w, 16, 5) });
    ["and", "bic", "orr", "orn", "eor", "bsl", "bit", "bif"].forEach((mn, i) => add(mn, 0x0e201c00 | q | (i >> 2) << 29 | (i & 3) << 22, [V(0, a), V(5, a), V(16, a)]));
  }
  // FP three same: U, a (bit 23), opcode; `s` when there is a scalar form.
  const THREE_SAME_FP: [number, number, number, string, boolean][] = [
    [0, 0, 0b11000, "fmaxnm", false], [0, 1, 0b11000, "fminnm", false], [0, 0, 0b11001, "fmla", false], [0, 1, 0b11001, "fmls", false],
    [0, 0, 0b11010, "fadd", false], [0, 1, 0b11010, "fsub", false], [0, 0, 0b11011, "fmulx", true], [0, 0, 0b11100, "fcmeq", true],
    [0, 0, 0b11110, "fmax", false], [0, 1, 0b11110, "fmin", false], [0, 0, 0b11111, "frecps", true], [0, 1, 0b11111, "frsqrts", true],
    [1, 0, 0b11000, "fmaxnmp", false], [1, 1, 0b11000, "fminnmp", false], [1, 0, 0b11010, "faddp", false], [1, 1, 0b11010, "fabd", true],
    [1, 0, 0b11011, "fmul", false], [1, 0, 0b11100, "fcmge", true], [1, 1, 0b11100, "fcmgt", true], [1, 0, 0b11101, "facge", true],
    [1, 1, 0b11101, "facgt", true], [1, 0, 0b11110, "fmaxp", false], [1, 1, 0b11110, "fminp", false], [1, 0, 0b11111, "fdiv", false],
  ];
  for (const [u, a, opcode, mn, scal] of THREE_SAME_FP) {
    const base = 0x0e200400 | u << 29 | a << 23 | opcode << 11;
    for (const t of FP) add(mn, base | FSQ[t], [V(0, t), V(5, t), V(16, t)]);
    if (scal) for (const [s, sz] of [["s", 0], ["d", 1]] as const) add(mn, (base | 0x50000000 | sz << 22) >>> 0, [F(0, s), F(5, s), F(16, s)]);
  }

  // Three different: long (Ta, Tb, Tb), wide (Ta, Ta, Tb), narrow (Tb, Ta, Ta).
  const THREE_DIFF: [number, number, string, "l" | "w" | "n", string][] = [
    [0, 0b0000, "saddl", "l", ""], [0, 0b0001, "saddw", "w", ""], [0, 0b0010, "ssubl", "l", ""], [0, 0b0011, "ssubw", "w", ""],
    [0, 0b0100, "addhn", "n", ""], [0, 0b0101, "sabal", "l", ""], [0, 0b0110, "subhn", "n", ""], [0, 0b0111, "sabdl", "l", ""],
    [0, 0b1000, "smlal", "l", ""], [0, 0b1001, "sqdmlal", "l", "hs"], [0, 0b1010, "smlsl", "l", ""], [0, 0b1011, "sqdmlsl", "l", "hs"],
    [0, 0b1100, "smull", "l", ""], [0, 0b1101, "sqdmull", "l", "hs"],
    [1, 0b0000, "uaddl", "l", ""], [1, 0b0001, "uaddw", "w", ""], [1, 0b0010, "usubl", "l", ""], [1, 0b0011, "usubw", "w", ""],
    [1, 0b0100, "raddhn", "n", ""], [1, 0b0101, "uabal", "l", ""], [1, 0b0110, "rsubhn", "n", ""], [1, 0b0111, "uabdl", "l", ""],
    [1, 0b1000, "umlal", "l", ""], [1, 0b1010, "umlsl", "l", ""], [1, 0b1100, "umull", "l", ""],
  ];
  for (const [u, opcode, mn, kind, scal] of THREE_DIFF) {
    const base = 0x0e200000 | u << 29 | opcode << 12;
    const arrs = scal ? HS : BHS;
    for (const b of arrs) {
      const a = LONG[b];
      const ops = kind === "l" ? [V(0, a), V(5, b), V(16, b)] : kind === "w" ? [V(0, a), V(5, a), V(16, b)] : [V(0, b), V(5, a), V(16, a)];
      add(two(mn, b), base | SQ[b], ops);
    }
    for (const s of scal) add(mn, (base | 0x50000000 | SIZE[s] << 22) >>> 0, [F(0, WIDE_ELEM[s]), F(5, s), F(16, s)]);
  }
  // PMULL: 8b -> 8h, and the Crypto extension's 1d -> 1q (size 11).
  add("pmull", 0x0e20e000, [V(0, "8h"), V(5, "8b"), V(16, "8b")]);
  add("pmull2", 0x4e20e000, [V(0, "8h"), V(5, "16b"), V(16, "16b")]);
  add("pmull", 0x0ee0e000, [V(0, "1q"), V(5, "1d"), V(16, "1d")]);
  add("pmull2", 0x4ee0e000, [V(0, "1q"), V(5, "2d"), V(16, "2d")]);

  // Two-register miscellaneous (vector and scalar).
  type MiscKind = "same" | "zero" | "lp" | "narrow" | "shll";
  const TWO_MISC: [number, number, string, string[], string, MiscKind][] = [
    [0, 0b00000, "rev64", BHS, "", "same"], [0, 0b00001, "rev16", BB, "", "same"], [0, 0b00010, "saddlp", BHS, "", "lp"],
    [0, 0b00011, "suqadd", ALL, "bhsd", "same"], [0, 0b00100, "cls", BHS, "", "same"], [0, 0b00101, "cnt", BB, "", "same"],
    [0, 0b00110, "sadalp", BHS, "", "lp"], [0, 0b00111, "sqabs", ALL, "bhsd", "same"], [0, 0b01000, "cmgt", ALL, "d", "zero"],
    [0, 0b01001, "cmeq", ALL, "d", "zero"], [0, 0b01010, "cmlt", ALL, "d", "zero"], [0, 0b01011, "abs", ALL, "d", "same"],
    [0, 0b10010, "xtn", BHS, "", "narrow"], [0, 0b10100, "sqxtn", BHS, "bhs", "narrow"],
    [1, 0b00000, "rev32", ["8b", "16b", "4h", "8h"], "", "same"], [1, 0b00010, "uaddlp", BHS, "", "lp"],
    [1, 0b00011, "usqadd", ALL, "bhsd", "same"], [1, 0b00100, "clz", BHS, "", "same"], [1, 0b00110, "uadalp", BHS, "", "lp"],
    [1, 0b00111, "sqneg", ALL, "bhsd", "same"], [1, 0b01000, "cmge", ALL, "d", "zero"], [1, 0b01001, "cmle", ALL, "d", "zero"],
    [1, 0b01011, "neg", ALL, "d", "same"], [1, 0b10010, "sqxtun", BHS, "bhs", "narrow"], [1, 0b10011, "shll", BHS, "", "shll"],
    [1, 0b10100, "uqxtn", BHS, "bhs", "narrow"],
  ];
  for (const [u, opcode, mn, arrs, scal, kind] of TWO_MISC) {
    const base = 0x0e200800 | u << 29 | opcode << 12;
    for (const a of arrs) {
      const ops: Opd[] = kind === "same" ? [V(0, a), V(5, a)] : kind === "zero" ? [V(0, a), V(5, a), K(0)]
        : kind === "lp" ? [V(0, { "8b": "4h", "16b": "8h", "4h": "2s", "8h": "4s", "2s": "1d", "4s": "2d" }[a]!), V(5, a)]
          : kind === "narrow" ? [V(0, a), V(5, LONG[a])] : [V(0, LONG[a]), V(5, a), K({ b: 8, h: 16, s: 32 }[elemOf(a)]!)];
      add(kind === "narrow" || kind === "shll" ? two(mn, a) : mn, base | SQ[a], ops);
    }
    for (const s of scal) {
      const ops = kind === "narrow" ? [F(0, s), F(5, WIDE_ELEM[s])] : kind === "zero" ? [F(0, s), F(5, s), K(0)] : [F(0, s), F(5, s)];
      add(mn, (base | 0x50000000 | SIZE[s] << 22) >>> 0, ops);
    }
  }
  // NOT (printed MVN) and RBIT share opcode 00101 with U = 1; size picks which.
  for (const a of BB) {
    const q = Q1(a) ? 1 << 30 : 0;
    add("mvn", 0x2e205800 | q, [V(0, a), V(5, a)]);
    add("not", 0x2e205800 | q, [V(0, a), V(5, a)], { asmOnly: true });
    add("rbit", 0x2e605800 | q, [V(0, a), V(5, a)]);
  }
  // FP two-register miscellaneous: U, a, opcode, name, scalar form, kind.
  const TWO_MISC_FP: [number, number, number, string, boolean, "same" | "zero" | "s"][] = [
    [0, 0, 0b11000, "frintn", false, "same"], [0, 0, 0b11001, "frintm", false, "same"], [0, 0, 0b11010, "fcvtns", true, "same"],
    [0, 0, 0b11011, "fcvtms", true, "same"], [0, 0, 0b11100, "fcvtas", true, "same"], [0, 0, 0b11101, "scvtf", true, "same"],
    [0, 1, 0b01100, "fcmgt", true, "zero"], [0, 1, 0b01101, "fcmeq", true, "zero"], [0, 1, 0b01110, "fcmlt", true, "zero"],
    [0, 1, 0b01111, "fabs", false, "same"], [0, 1, 0b11000, "frintp", false, "same"], [0, 1, 0b11001, "frintz", false, "same"],
    [0, 1, 0b11010, "fcvtps", true, "same"], [0, 1, 0b11011, "fcvtzs", true, "same"], [0, 1, 0b11100, "urecpe", false, "s"],
    [0, 1, 0b11101, "frecpe", true, "same"],
    [1, 0, 0b11000, "frinta", false, "same"], [1, 0, 0b11001, "frintx", false, "same"], [1, 0, 0b11010, "fcvtnu", true, "same"],
    [1, 0, 0b11011, "fcvtmu", true, "same"], [1, 0, 0b11100, "fcvtau", true, "same"], [1, 0, 0b11101, "ucvtf", true, "same"],
    [1, 1, 0b01100, "fcmge", true, "zero"], [1, 1, 0b01101, "fcmle", true, "zero"], [1, 1, 0b01111, "fneg", false, "same"],
    [1, 1, 0b11001, "frinti", false, "same"], [1, 1, 0b11010, "fcvtpu", true, "same"], [1, 1, 0b11011, "fcvtzu", true, "same"],
    [1, 1, 0b11100, "ursqrte", false, "s"], [1, 1, 0b11101, "frsqrte", true, "same"], [1, 1, 0b11111, "fsqrt", false, "same"],
  ];
  for (const [u, a, opcode, mn, scal, kind] of TWO_MISC_FP) {
    const base = 0x0e200800 | u << 29 | a << 23 | opcode << 12;
    for (const t of kind === "s" ? ["2s", "4s"] : FP) add(mn, base | FSQ[t], kind === "zero" ? [V(0, t), V(5, t), FZERO] : [V(0, t), V(5, t)]);
    if (scal) for (const [s, sz] of [["s", 0], ["d", 1]] as const) add(mn, (base | 0x50000000 | sz << 22) >>> 0, kind === "zero" ? [F(0, s), F(5, s), FZERO] : [F(0, s), F(5, s)]);
  }
  add("frecpx", 0x5ea1f800, [F(0, "s"), F(5, "s")]);
  add("frecpx", 0x5ee1f800, [F(0, "d"), F(5, "d")]);
  // FCVTN/FCVTL/FCVTXN: between single and half, double and single.
  add("fcvtn", 0x0e216800, [V(0, "4h"), V(5, "4s")]); add("fcvtn2", 0x4e216800, [V(0, "8h"), V(5, "4s")]);
  add("fcvtn", 0x0e616800, [V(0, "2s"), V(5, "2d")]); add("fcvtn2", 0x4e616800, [V(0, "4s"), V(5, "2d")]);
  add("fcvtl", 0x0e217800, [V(0, "4s"), V(5, "4h")]); add("fcvtl2", 0x4e217800, [V(0, "4s"), V(5, "8h")]);
  add("fcvtl", 0x0e617800, [V(0, "2d"), V(5, "2s")]); add("fcvtl2", 0x4e617800, [V(0, "2d"), V(5, "4s")]);
  add("fcvtxn", 0x2e616800, [V(0, "2s"), V(5, "2d")]); add("fcvtxn2", 0x6e616800, [V(0, "4s"), V(5, "2d")]);
  add("fcvtxn", 0x7e616800, [F(0, "s"), F(5, "d")]);

  // Across lanes.
  const ACROSS: [number, number, string, boolean][] = [
    [0, 0b00011, "saddlv", true], [0, 0b01010, "smaxv", false], [0, 0b11010, "sminv", false], [0, 0b11011, "addv", false],
    [1, 0b00011, "uaddlv", true], [1, 0b01010, "umaxv", false], [1, 0b11010, "uminv", false],
  ];
  for (const [u, opcode, mn, long] of ACROSS) {
    for (const a of ["8b", "16b", "4h", "8h", "4s"]) {
      const e = elemOf(a);
      add(mn, 0x0e300800 | u << 29 | opcode << 12 | SQ[a], [F(0, long ? WIDE_ELEM[e] : e), V(5, a)]);
    }
  }
  for (const [a, opcode, mn] of [[0, 0b01100, "fmaxnmv"], [1, 0b01100, "fminnmv"], [0, 0b01111, "fmaxv"], [1, 0b01111, "fminv"]] as const) {
    add(mn, 0x6e300800 | a << 23 | opcode << 12, [F(0, "s"), V(5, "4s")]);
  }
  // Scalar pairwise.
  add("addp", 0x5ef1b800, [F(0, "d"), V(5, "2d")]);
  for (const [a, opcode, mn] of [[0, 0b01100, "fmaxnmp"], [1, 0b01100, "fminnmp"], [0, 0b01101, "faddp"], [0, 0b01111, "fmaxp"], [1, 0b01111, "fminp"]] as const) {
    add(mn, 0x7e300800 | a << 23 | opcode << 12, [F(0, "s"), V(5, "2s")]);
    add(mn, 0x7e700800 | a << 23 | opcode << 12, [F(0, "d"), V(5, "2d")]);
  }

  // Copy: DUP, SMOV, UMOV, INS (C4.1.6 "Advanced SIMD copy"). imm5 = index:1:0..0 by element size.
  const IMM5: Record<string, [number, Pieces]> = { b: [1, [[17, 4]]], h: [2, [[18, 3]]], s: [4, [[19, 2]]], d: [8, [[20, 1]]] };
  for (const e of SCAL) {
    const [low, idx] = IMM5[e];
    const b5 = low << 16;
    for (const a of ALL.filter((x) => elemOf(x) === e)) add("dup", 0x0e000400 | b5 | (Q1(a) ? 1 << 30 : 0), [V(0, a), E(5, e, idx)]);
    // DUP (general): the bits of imm5 above the size marker are not used.
    for (const a of ALL.filter((x) => elemOf(x) === e)) add("dup", 0x0e000c00 | b5 | (Q1(a) ? 1 << 30 : 0), [V(0, a), R(5, e === "d")], { mask: ~(ones(0, 10) | piecesBits(idx)) >>> 0 });
    add("mov", 0x5e000400 | b5, [F(0, e), E(5, e, idx)]);
    add("dup", 0x5e000400 | b5, [F(0, e), E(5, e, idx)], { asmOnly: true });
    if (e !== "d") add("smov", 0x4e002c00 | b5, [R(0, true), E(5, e, idx)]);
    if (e === "b" || e === "h") add("smov", 0x0e002c00 | b5, [R(0, false), E(5, e, idx)]);
    const umovQ = e === "d" ? 1 << 30 : 0;
    if (e === "s" || e === "d") add("mov", 0x0e003c00 | b5 | umovQ, [R(0, e === "d"), E(5, e, idx)]);
    add("umov", 0x0e003c00 | b5 | umovQ, [R(0, e === "d"), E(5, e, idx)], { asmOnly: e === "s" || e === "d" });
    add("mov", 0x4e001c00 | b5, [E(0, e, idx), R(5, e === "d")]);
    add("ins", 0x4e001c00 | b5, [E(0, e, idx), R(5, e === "d")], { asmOnly: true });
    // INS (element): the source index is in imm4 (bits 14:11), its low bits unused for wider elements.
    const src: Pieces = [[11, 4]];
    const shift = SIZE[e];
    add("mov", 0x6e000400 | b5, [E(0, e, idx), E(5, e, src, 5, 16 >> shift, shift)]);
    add("ins", 0x6e000400 | b5, [E(0, e, idx), E(5, e, src, 5, 16 >> shift, shift)], { asmOnly: true });
  }

  // Modified immediate: MOVI, MVNI, ORR, BIC, FMOV (vector).
  for (const a of ["2s", "4s"]) {
    const q = Q1(a) ? 1 << 30 : 0;
    for (let s = 0; s < 4; s++) {
      for (const [mn, op, o1] of [["movi", 0, 0], ["orr", 0, 1], ["mvni", 1, 0], ["bic", 1, 1]] as const) {
        add(mn, 0x0f000400 | q | op << 29 | (s << 1 | o1) << 12, [V(0, a), IMM8(), SH("lsl", 8 * s)]);
      }
    }
    for (const [mn, op] of [["movi", 0], ["mvni", 1]] as const) {
      for (let s = 0; s < 2; s++) add(mn, 0x0f00c400 | q | op << 29 | s << 12, [V(0, a), IMM8(), SH("msl", 8 * (s + 1))]);
    }
  }
  for (const a of ["4h", "8h"]) {
    const q = Q1(a) ? 1 << 30 : 0;
    for (let s = 0; s < 2; s++) {
      for (const [mn, op, o1] of [["movi", 0, 0], ["orr", 0, 1], ["mvni", 1, 0], ["bic", 1, 1]] as const) {
        add(mn, 0x0f008400 | q | op << 29 | (s << 1 | o1) << 12, [V(0, a), IMM8(), SH("lsl", 8 * s)]);
      }
    }
  }
  add("movi", 0x0f00e400, [V(0, "8b"), IMM8(), SH("lsl", 0)]);
  add("movi", 0x4f00e400, [V(0, "16b"), IMM8(), SH("lsl", 0)]);
  add("movi", 0x2f00e400, [F(0, "d"), IMM64()]);
  add("movi", 0x6f00e400, [V(0, "2d"), IMM64()]);
  add("fmov", 0x0f00f400, [V(0, "2s"), FPIMM(ABC)]);
  add("fmov", 0x4f00f400, [V(0, "4s"), FPIMM(ABC)]);
  add("fmov", 0x6f00f400, [V(0, "2d"), FPIMM(ABC)]);

  // Shift by immediate (vector and scalar). immh:immb (bits 22:16) = esize + shift (left) or 2*esize - shift (right).
  const ESIZE: Record<string, number> = { b: 8, h: 16, s: 32, d: 64 };
  function shiftImm(e: string, right: boolean): Opd {
    const es = ESIZE[e];
    const fieldBits = Math.log2(es);
    const min = right ? 1 : 0, max = right ? es : es - 1;
    return {
      bits: ones(16, fieldBits),
      enc(o) {
        const v = immValue(o);
        if (v < BigInt(min) || v > BigInt(max)) throw new Mismatch(`shift ${v} is out of range (${min} to ${max})`, true);
        const f = right ? 2 * es - Number(v) : es + Number(v);
        return (f & ((1 << fieldBits) - 1)) << 16;
      },
      dec(w) {
        const f = fld(w, 16, 7);
        return `#${right ? 2 * es - f : f - es}`;
      },
    };
  }
  const immhFor = (e: string) => ESIZE[e] << 16; // the leading one of immh for this element size
  type ShiftKind = "r" | "l" | "n" | "ll" | "cvt";
  const SHIFT_IMM: [number, number, string, ShiftKind, string][] = [
    [0, 0b00000, "sshr", "r", "d"], [0, 0b00010, "ssra", "r", "d"], [0, 0b00100, "srshr", "r", "d"], [0, 0b00110, "srsra", "r", "d"],
    [0, 0b01010, "shl", "l", "d"], [0, 0b01110, "sqshl", "l", "bhsd"], [0, 0b10000, "shrn", "n", ""], [0, 0b10001, "rshrn", "n", ""],
    [0, 0b10010, "sqshrn", "n", "bhs"], [0, 0b10011, "sqrshrn", "n", "bhs"], [0, 0b10100, "sshll", "ll", ""],
    [0, 0b11100, "scvtf", "cvt", "sd"], [0, 0b11111, "fcvtzs", "cvt", "sd"],
    [1, 0b00000, "ushr", "r", "d"], [1, 0b00010, "usra", "r", "d"], [1, 0b00100, "urshr", "r", "d"], [1, 0b00110, "ursra", "r", "d"],
    [1, 0b01000, "sri", "r", "d"], [1, 0b01010, "sli", "l", "d"], [1, 0b01100, "sqshlu", "l", "bhsd"], [1, 0b01110, "uqshl", "l", "bhsd"],
    [1, 0b10000, "sqshrun", "n", "bhs"], [1, 0b10001, "sqrshrun", "n", "bhs"], [1, 0b10010, "uqshrn", "n", "bhs"],
    [1, 0b10011, "uqrshrn", "n", "bhs"], [1, 0b10100, "ushll", "ll", ""], [1, 0b11100, "ucvtf", "cvt", "sd"], [1, 0b11111, "fcvtzu", "cvt", "sd"],
  ];
  for (const [u, opcode, mn, kind, scal] of SHIFT_IMM) {
    const base = 0x0f000400 | u << 29 | opcode << 11;
    const arrs = kind === "n" || kind === "ll" ? BHS : kind === "cvt" ? FP : ALL;
    for (const a of arrs) {
      const q = Q1(a) ? 1 << 30 : 0;
      const e = elemOf(a);
      if (kind === "n") {
        // The narrow result's element is e; the shift is immh of the wide source element (2e).
        add(two(mn, a), base | q | immhFor(e), [V(0, a), V(5, LONG[a]), shiftImm(e, true)]);
      } else if (kind === "ll") {
        const v = base | q | immhFor(e);
        // SXTL/UXTL: the shift of 0 (immh:immb = esize) is part of the fixed value.
        add(two(u ? "uxtl" : "sxtl", a), v, [V(0, LONG[a]), V(5, a)]);
        add(two(mn, a), v, [V(0, LONG[a]), V(5, a), shiftImm(e, false)]);
      } else {
        add(mn, base | q | immhFor(e), [V(0, a), V(5, a), shiftImm(e, kind !== "l")]);
      }
    }
    for (const s of scal) {
      const v = (base | 0x50000000 | immhFor(s)) >>> 0;
      if (kind === "n") add(mn, v, [F(0, s), F(5, WIDE_ELEM[s]), shiftImm(s, true)]);
      else add(mn, v, [F(0, s), F(5, s), shiftImm(s, kind !== "l")]);
    }
  }
  // Vector x indexed element (vector and scalar).
  function byElemIndex(e: string): [Pieces, number] {
    return e === "h" ? [[[11, 1], [21, 1], [20, 1]], 4] : e === "s" ? [[[11, 1], [21, 1]], 5] : [[[11, 1]], 5];
  }
  type ElemKind = "same" | "long" | "fp";
  const BY_ELEM: [number, number, string, ElemKind, boolean][] = [
    [0, 0b0010, "smlal", "long", false], [0, 0b0011, "sqdmlal", "long", true], [0, 0b0110, "smlsl", "long", false],
    [0, 0b0111, "sqdmlsl", "long", true], [0, 0b1000, "mul", "same", false], [0, 0b1010, "smull", "long", false],
    [0, 0b1011, "sqdmull", "long", true], [0, 0b1100, "sqdmulh", "same", true], [0, 0b1101, "sqrdmulh", "same", true],
    [0, 0b0001, "fmla", "fp", true], [0, 0b0101, "fmls", "fp", true], [0, 0b1001, "fmul", "fp", true],
    [1, 0b0000, "mla", "same", false], [1, 0b0100, "mls", "same", false], [1, 0b0010, "umlal", "long", false],
    [1, 0b0110, "umlsl", "long", false], [1, 0b1010, "umull", "long", false], [1, 0b1001, "fmulx", "fp", true],
  ];
  for (const [u, opcode, mn, kind, scal] of BY_ELEM) {
    const base = 0x0f000000 | u << 29 | opcode << 12;
    if (kind === "fp") {
      for (const t of FP) {
        const e = elemOf(t);
        const [idx, w] = byElemIndex(e);
        add(mn, base | FSQ[t] | 1 << 23, [V(0, t), V(5, t), E(16, e, idx, w)]);
      }
      if (scal) {
        for (const e of ["s", "d"]) {
          const [idx, w] = byElemIndex(e);
          add(mn, (base | 0x50000000 | 1 << 23 | (e === "d" ? 1 << 22 : 0)) >>> 0, [F(0, e), F(5, e), E(16, e, idx, w)]);
        }
      }
      continue;
    }
    for (const a of HS) {
      const e = elemOf(a);
      const [idx, w] = byElemIndex(e);
      const ops = kind === "same" ? [V(0, a), V(5, a), E(16, e, idx, w)] : [V(0, LONG[a]), V(5, a), E(16, e, idx, w)];
      add(kind === "long" ? two(mn, a) : mn, base | SQ[a], ops);
    }
    if (scal) {
      for (const e of ["h", "s"]) {
        const [idx, w] = byElemIndex(e);
        add(mn, (base | 0x50000000 | SIZE[e] << 22) >>> 0, [F(0, kind === "long" ? WIDE_ELEM[e] : e), F(5, e), E(16, e, idx, w)]);
      }
    }
  }
  // Permutes: UZP/TRN/ZIP, EXT, TBL/TBX.
  for (const [opcode, mn] of [[1, "uzp1"], [2, "trn1"], [3, "zip1"], [5, "uzp2"], [6, "trn2"], [7, "zip2"]] as const) {
    for (const a of ALL) add(mn, 0x0e000800 | opcode << 12 | SQ[a], [V(0, a), V(5, a), V(16, a)]);
  }
  add("ext", 0x2e000000, [V(0, "8b"), V(5, "8b"), V(16, "8b"), I([[11, 3]], 0, 7)]); // imm4<3> = 0 for 8b
  add("ext", 0x6e000000, [V(0, "16b"), V(5, "16b"), V(16, "16b"), I([[11, 4]], 0, 15)]);
  for (const a of BB) {
    for (let len = 0; len < 4; len++) {
      for (const [op, mn] of [[0, "tbl"], [1, "tbx"]] as const) add(mn, 0x0e000000 | (Q1(a) ? 1 << 30 : 0) | len << 13 | op << 12, [V(0, a), L(5, len + 1, "16b"), V(16, a)]);
    }
  }

  // Crypto: AES, SHA1, SHA256.
  for (const [opcode, mn] of [[4, "aese"], [5, "aesd"], [6, "aesmc"], [7, "aesimc"]] as const) add(mn, 0x4e284800 | opcode << 12, [V(0, "16b"), V(5, "16b")]);
  for (const [opcode, mn] of [[0, "sha1c"], [1, "sha1p"], [2, "sha1m"]] as const) add(mn, 0x5e000000 | opcode << 12, [F(0, "q"), F(5, "s"), V(16, "4s")]);
  add("sha1su0", 0x5e003000, [V(0, "4s"), V(5, "4s"), V(16, "4s")]);
  add("sha256h", 0x5e004000, [F(0, "q"), F(5, "q"), V(16, "4s")]);
  add("sha256h2", 0x5e005000, [F(0, "q"), F(5, "q"), V(16, "4s")]);
  add("sha256su1", 0x5e006000, [V(0, "4s"), V(5, "4s"), V(16, "4s")]);
  add("sha1h", 0x5e280800, [F(0, "s"), F(5, "s")]);
  add("sha1su1", 0x5e281800, [V(0, "4s"), V(5, "4s")]);
  add("sha256su0", 0x5e282800, [V(0, "4s"), V(5, "4s")]);

  // ---- scalar floating point (C4.1.6 "Floating-point ...") ----

  const FTYPES: [string, number][] = [["s", 0], ["d", 1]];
  // FP <-> fixed point: fbits = 64 - scale (scale >= 32 for a w register).
  for (const [t, ty] of FTYPES) {
    for (const sf of [0, 1]) {
      const scale: Pieces = sf ? [[10, 6]] : [[10, 5]];
      const fb = I(scale, 1, sf ? 64 : 32, (v) => sf ? 64 - v : 32 - v, (f) => sf ? 64 - f : 32 - f);
      const base = (sf << 31 | 0x1e000000 | ty << 22 | (sf ? 0 : 1 << 15)) >>> 0;
      add("scvtf", base | 2 << 16, [F(0, t), R(5, !!sf), fb]);
      add("ucvtf", base | 3 << 16, [F(0, t), R(5, !!sf), fb]);
      add("fcvtzs", (base | 3 << 19) >>> 0, [R(0, !!sf), F(5, t), fb]);
      add("fcvtzu", (base | 3 << 19 | 1 << 16) >>> 0, [R(0, !!sf), F(5, t), fb]);
    }
  }
  // FP <-> integer.
  for (const [t, ty] of FTYPES) {
    for (const sf of [0, 1]) {
      const base = (sf << 31 | 0x1e200000 | ty << 22) >>> 0;
      const toInt: [number, number, string][] = [[0, 0, "fcvtns"], [0, 1, "fcvtnu"], [0, 4, "fcvtas"], [0, 5, "fcvtau"], [1, 0, "fcvtps"], [1, 1, "fcvtpu"],
        [2, 0, "fcvtms"], [2, 1, "fcvtmu"], [3, 0, "fcvtzs"], [3, 1, "fcvtzu"]];
      for (const [rmode, opcode, mn] of toInt) add(mn, (base | rmode << 19 | opcode << 16) >>> 0, [R(0, !!sf), F(5, t)]);
      add("scvtf", base | 2 << 16, [F(0, t), R(5, !!sf)]);
      add("ucvtf", base | 3 << 16, [F(0, t), R(5, !!sf)]);
      if (sf === ty) {
        add("fmov", base | 6 << 16, [R(0, !!sf), F(5, t)]);
        add("fmov", base | 7 << 16, [F(0, t), R(5, !!sf)]);
      }
    }
  }
  /** v<n>.d[1], the upper half of FMOV to and from an x register. */
  function DHI(pos: number): Opd {
    return {
      sig: "ed",
      bits: ones(pos, 5),
      enc(o) {
        if (o?.t !== "vec" || o.elem !== "d" || o.index !== 1) throw want(`v<n>.d[1]`, o, o?.t === "vec" && o.elem === "d");
        return o.n << pos;
      },
      dec: (w) => `v${fld(w, pos, 5)}.d[1]`,
    };
  }
  add("fmov", 0x9eae0000, [R(0, true), DHI(5)]);
  add("fmov", 0x9eaf0000, [DHI(0), R(5, true)]);
  // Data processing, one source.
  for (const [t, ty] of FTYPES) {
    const base = 0x1e204000 | ty << 22;
    ["fmov", "fabs", "fneg", "fsqrt"].forEach((mn, i) => add(mn, base | i << 15, [F(0, t), F(5, t)]));
    for (const [i, mn] of [[8, "frintn"], [9, "frintp"], [10, "frintm"], [11, "frintz"], [12, "frinta"], [14, "frintx"], [15, "frinti"]] as const) add(mn, base | i << 15, [F(0, t), F(5, t)]);
  }
  // FCVT between half, single and double (opc = destination type).
  for (const [src, sty] of [["s", 0], ["d", 1], ["h", 3]] as const) {
    for (const [dst, dty] of [["s", 0], ["d", 1], ["h", 3]] as const) {
      if (src !== dst) add("fcvt", 0x1e224000 | sty << 22 | dty << 15, [F(0, dst), F(5, src)]);
    }
  }
  // Compare.
  for (const [t, ty] of FTYPES) {
    const base = 0x1e202000 | ty << 22;
    // The #0.0 forms ignore Rm (objdump too).
    add("fcmp", base | 8, [F(5, t), FZERO], { mask: ~(ones(5, 5) | ones(16, 5)) >>> 0 });
    add("fcmp", base, [F(5, t), F(16, t)], { mask: ~(ones(5, 5) | ones(16, 5)) >>> 0 });
    add("fcmpe", base | 0x18, [F(5, t), FZERO], { mask: ~(ones(5, 5) | ones(16, 5)) >>> 0 });
    add("fcmpe", base | 0x10, [F(5, t), F(16, t)], { mask: ~(ones(5, 5) | ones(16, 5)) >>> 0 });
  }
  // Immediate, conditional compare, two source, conditional select, three source.
  for (const [t, ty] of FTYPES) {
    add("fmov", 0x1e201000 | ty << 22, [F(0, t), FPIMM([[13, 8]])]);
    const nzcv = I([[0, 4]], 0, 15, undefined, undefined, true);
    add("fccmp", 0x1e200400 | ty << 22, [F(5, t), F(16, t), nzcv, COND]);
    add("fccmpe", 0x1e200410 | ty << 22, [F(5, t), F(16, t), nzcv, COND]);
    ["fmul", "fdiv", "fadd", "fsub", "fmax", "fmin", "fmaxnm", "fminnm", "fnmul"].forEach((mn, i) => add(mn, 0x1e200800 | ty << 22 | i << 12, [F(0, t), F(5, t), F(16, t)]));
    add("fcsel", 0x1e200c00 | ty << 22, [F(0, t), F(5, t), F(16, t), COND]);
    ["fmadd", "fmsub", "fnmadd", "fnmsub"].forEach((mn, i) => add(mn, 0x1f000000 | ty << 22 | (i >> 1) << 21 | (i & 1) << 15, [F(0, t), F(5, t), F(16, t), F(10, t)]));
  }

  // ---- loads and stores of FP/SIMD registers (C4.1.4) ----

  const LDST: [string, number, number][] = [["b", 0, 0], ["h", 1, 0], ["s", 2, 0], ["d", 3, 0], ["q", 0, 2]]; // [reg, size, opc high bit]
  for (const [r, size, hi] of LDST) {
    const scale = r === "q" ? 4 : size;
    for (const l of [0, 1]) {
      const mn = l ? "ldr" : "str";
      const base = (size << 30 | 0x3c000000 | (hi | l) << 22) >>> 0;
      add(mn, base | 0x01000000, [F(0, r), MU(scale)]);
      add(mn, base | 0x00000c00, [F(0, r), M9("pre")]);
      add(mn, base | 0x00000400, [F(0, r), M9("post")]);
      add(mn, base | 0x00200800, [F(0, r), MR(scale)]);
      add(mn, base, [F(0, r), M9("unscaled")]);
      add(l ? "ldur" : "stur", base, [F(0, r), M9("unscaled")]);
    }
  }
  // The unscaled form prints as ldur/stur; ldr/str with an offset that does not scale pick it (GNU as).
  for (const e of TABLE) if ((e.mn === "ldr" || e.mn === "str") && (e.value & 0x3f200c00) === 0x3c000000) e.asmOnly = true;
  for (const [r, opc] of [["s", 0], ["d", 1], ["q", 2]] as const) add("ldr", 0x1c000000 | opc << 30, [F(0, r), LABEL]);
  for (const [r, opc] of [["s", 0], ["d", 1], ["q", 2]] as const) {
    const scale = 2 + opc;
    for (const l of [0, 1]) {
      const base = (opc << 30 | 0x2c000000 | l << 22) >>> 0;
      add(l ? "ldnp" : "stnp", base, [F(0, r), F(10, r), MP(scale, "offset")]);
      add(l ? "ldp" : "stp", base | 1 << 23, [F(0, r), F(10, r), MP(scale, "post")]);
      add(l ? "ldp" : "stp", base | 2 << 23, [F(0, r), F(10, r), MP(scale, "offset")]);
      add(l ? "ldp" : "stp", base | 3 << 23, [F(0, r), F(10, r), MP(scale, "pre")]);
    }
  }
  // LD1-LD4 / ST1-ST4 (multiple structures), with post-index forms.
  const MULTI: [number, string, number][] = [[0b0000, "4", 4], [0b0010, "1", 4], [0b0100, "3", 3], [0b0110, "1", 3], [0b0111, "1", 1], [0b1000, "2", 2], [0b1010, "1", 2]];
  for (const [opcode, n, regs] of MULTI) {
    for (const a of [...ALL.slice(0, 6), "1d", "2d"]) {
      if (a === "1d" && n !== "1") continue;
      const q = Q1(a) ? 1 << 30 : 0;
      for (const l of [0, 1]) {
        const mn = `${l ? "ld" : "st"}${n}`;
        const base = 0x0c000000 | q | l << 22 | opcode << 12 | SQ[a] >>> 22 << 10 & 0xc00;
        add(mn, base, [L(0, regs, a), MS()]);
        add(mn, base | 0x009f0000, [L(0, regs, a), MS(regs * (q ? 16 : 8))]);
        add(mn, base | 0x00800000, [L(0, regs, a), MS(-1)]);
      }
    }
  }
  // Single structures: LDn/STn {..}[i] and LDnR (replicate).
  for (let n = 1; n <= 4; n++) {
    const r = (n - 1) & 1, o0 = (n - 1) >> 1;
    for (const e of SCAL) {
      // Index bits: b Q:S:size, h Q:S:size<1>, s Q:S, d Q.
      const idx: Pieces = e === "b" ? [[30, 1], [12, 1], [10, 2]] : e === "h" ? [[30, 1], [12, 1], [11, 1]] : e === "s" ? [[30, 1], [12, 1]] : [[30, 1]];
      const opc = e === "b" ? 0 : e === "h" ? 2 : 4;
      const sizeBits = e === "d" ? 1 << 10 : 0;
      for (const l of [0, 1]) {
        const mn = `${l ? "ld" : "st"}${n}`;
        const base = 0x0d000000 | l << 22 | r << 21 | (opc | o0) << 13 | sizeBits;
        const bytes = n * ESIZE[e] / 8;
        const list = LE(0, n, e, idx, 0);
        add(mn, base, [list, MS()]);
        add(mn, base | 0x009f0000, [list, MS(bytes)]);
        add(mn, base | 0x00800000, [list, MS(-1)]);
      }
    }
    for (const a of [...ALL.slice(0, 6), "1d", "2d"]) {
      const q = Q1(a) ? 1 << 30 : 0;
      const mn = `ld${n}r`;
      const base = 0x0d40c000 | q | r << 21 | o0 << 13 | (SQ[a] >>> 22 & 3) << 10;
      const bytes = n * ESIZE[elemOf(a)] / 8;
      add(mn, base, [L(0, n, a), MS()]);
      add(mn, base | 0x009f0000, [L(0, n, a), MS(bytes)]);
      add(mn, base | 0x00800000, [L(0, n, a), MS(-1)]);
    }
  }

  // ---- lookups ----
  for (const e of TABLE) {
    const l = BY_NAME.get(e.mn);
    if (l) l.push(e); else BY_NAME.set(e.mn, [e]);
  }
  for (const e of TABLE) {
    if (e.asmOnly) continue;
    const top = (e.mask >>> 24) & 0xff;
    for (let b = 0; b < 256; b++) if ((b & top) === ((e.value >>> 24) & top)) BUCKETS[b].push(e);
  }
}

export function isSimdMnemonic(mn: string): boolean { table(); return BY_NAME.has(mn); }
/** Whether some FP/SIMD form of `mn` takes an operand of this kind first (e.g. umov takes a w/x register). */
export function simdTakesFirst(mn: string, o: Operand): boolean {
  table();
  const s = shapeOf(o);
  return (BY_NAME.get(mn) ?? []).some((e) => e.ops[0] && (!e.ops[0].sig || e.ops[0].sig === s));
}
export function isSimdOperand(o: Operand): boolean { return o.t === "fpreg" || o.t === "vec" || o.t === "vlist"; }

export class SimdEncodeError extends Error { constructor(message: string, readonly operand?: number) { super(message); } }

/** Encodes an FP/SIMD instruction; throws SimdEncodeError naming the operand of the closest entry. */
export function encodeSimd(mn: string, ops: Operand[], ctx: EncCtx): number {
  table();
  const all = BY_NAME.get(mn);
  if (!all) throw new SimdEncodeError(`unknown instruction '${mn}'`);
  // Entries whose register operands have the given kinds first; all of them only to explain a failure.
  const shapes = ops.map(shapeOf);
  const likely = all.filter((e) => e.ops.length >= ops.length && shapes.every((s, i) => !e.ops[i].sig || e.ops[i].sig === s));
  for (const e of likely) {
    const w = tryEntry(e, ops, ctx);
    if (w !== undefined) return w;
  }
  return explain(all, ops, ctx);
}

function tryEntry(e: Entry, ops: Operand[], ctx: EncCtx): number | undefined {
  let word = e.value;
  for (let i = 0; i < e.ops.length; i++) {
    const o = ops[i];
    if (!o && !e.ops[i].optional) return undefined;
    try { word = (word | e.ops[i].enc(o, ctx)) >>> 0; } catch (x) { if (x instanceof Mismatch) return undefined; throw x; }
  }
  return word;
}

/** Tries every entry of the mnemonic and throws the error of the one that came closest. */
function explain(entries: Entry[], ops: Operand[], ctx: EncCtx): number {
  let best: { key: number; msg: string; i?: number; expected: string[] } | undefined;
  const fail = (key: number, msg: string, i?: number, expected?: string) => {
    if (!best || key > best.key) best = { key, msg, i, expected: expected ? [expected] : [] };
    else if (key === best.key && expected && best.expected.length && !best.expected.includes(expected)) best.expected.push(expected);
  };
  for (const e of entries) {
    if (ops.length > e.ops.length) { fail(-2, `too many operands (expected ${e.ops.length})`, e.ops.length); continue; }
    let word = e.value;
    let ok = true;
    for (let i = 0; i < e.ops.length; i++) {
      const o = ops[i];
      if (!o && !e.ops[i].optional) { fail(2 * i - 1, `missing operand ${i + 1}`); ok = false; break; }
      try {
        word = (word | e.ops[i].enc(o, ctx)) >>> 0;
      } catch (x) {
        if (!(x instanceof Mismatch)) throw x;
        fail(2 * i + (x.value ? 1 : 0), `operand ${i + 1}: ${x.message}`, i, x.value ? undefined : x.expected);
        ok = false;
        break;
      }
    }
    if (ok) return word;
  }
  const b = best!;
  if (b.expected.length > 1 && b.i !== undefined) {
    const x = b.expected;
    const alts = x.length > 6 ? `${x.slice(0, 6).join(", ")}, ...` : `${x.slice(0, -1).join(", ")} or ${x[x.length - 1]}`;
    throw new SimdEncodeError(`operand ${b.i + 1}: expected ${alts}, not ${describe(ops[b.i])}`, b.i);
  }
  throw new SimdEncodeError(b.msg, b.i);
}

/** Disassembles an FP/SIMD/Crypto word as objdump does, or undefined when it is not one (ARMv8.0 + Crypto). */
export function disassembleSimd(w: number, pc: number, sym?: Symbolizer): string | undefined {
  table();
  const c: DecCtx = { pc, sym };
  for (const e of BUCKETS[w >>> 24]) {
    if (((w & e.mask) >>> 0) !== e.value) continue;
    if (e.pref && !e.pref(w)) continue;
    const parts: string[] = [];
    let ok = true;
    for (const o of e.ops) {
      const t = o.dec(w, c);
      if (t === undefined) { if (o.optional) continue; ok = false; break; }
      parts.push(t);
    }
    if (ok) return parts.length ? `${e.mn}\t${parts.join(", ")}` : e.mn;
  }
  return undefined;
}

/** Every entry (for tests and generators): mnemonic, fixed value and mask. */
export function simdEntries(): { mn: string; value: number; mask: number; asmOnly: boolean }[] {
  table();
  return TABLE.map((e) => ({ mn: e.mn, value: e.value, mask: e.mask, asmOnly: !!e.asmOnly }));
}
