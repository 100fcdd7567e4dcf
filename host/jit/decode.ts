// What the region compiler translates: a decoder from A64 words to a small set
// of operations (ARM ARM C4, "A64 instruction set encoding"). Anything it
// returns undefined for — system instructions, exclusives, floating-point arithmetic and the SIMD
// operations host/jit/simd.ts leaves out, reserved encodings, constrained-unpredictable forms —
// ends the region, and the interpreter executes it with its exact architectural behaviour.

import { decodeSimd, type SimdDecoded } from "./simd.js";

export type Operand =
  | { t: "imm"; v: bigint }
  | { t: "shift"; rm: number; type: number; amount: number }
  | { t: "ext"; rm: number; option: number; amount: number };

export type LdstAddress =
  | { t: "imm"; mode: "off" | "pre" | "post"; imm: bigint }
  | { t: "reg"; rm: number; option: number; shift: number }
  | { t: "lit"; addr: number };

/** `rn` of a PC-relative literal load: no base register. */
export const NO_BASE = 32;

export type Decoded =
  | { k: "nop" }
  /** MRS of a register that only a read from the CPU's state gives (compile.ts): SP_EL0, TPIDR_EL1, TPIDR_EL0; DCZID_EL0 at EL1. */
  | { k: "mrs"; rt: number; reg: "sp_el0" | "tpidr_el1" | "tpidr_el0" | "dczid_el0" }
  /** DC ZVA, Xt: zeroes the 64-byte block at Xt (at EL1 and above: compile.ts). */
  | { k: "zva"; rt: number }
  | { k: "addsub"; sf: boolean; sub: boolean; setf: boolean; rd: number; rn: number; rdSp: boolean; rnSp: boolean; b: Operand }
  | { k: "logic"; sf: boolean; opc: number; invert: boolean; rd: number; rn: number; rdSp: boolean; b: Operand }
  | { k: "adc"; sf: boolean; sub: boolean; setf: boolean; rd: number; rn: number; rm: number }
  | { k: "movw"; sf: boolean; opc: number; rd: number; imm: bigint; shift: number }
  | { k: "bfm"; sf: boolean; opc: number; rd: number; rn: number; immr: number; imms: number }
  | { k: "extr"; sf: boolean; rd: number; rn: number; rm: number; lsb: number }
  | { k: "const"; rd: number; v: bigint }
  | { k: "csel"; sf: boolean; op: number; o2: number; rd: number; rn: number; rm: number; cond: number }
  | { k: "ccmp"; sf: boolean; sub: boolean; rn: number; b: Operand; cond: number; nzcv: number }
  | { k: "div"; sf: boolean; signed: boolean; rd: number; rn: number; rm: number }
  | { k: "shiftv"; sf: boolean; type: number; rd: number; rn: number; rm: number }
  | { k: "clz"; sf: boolean; cls: boolean; rd: number; rn: number }
  /** RBIT (op 0), REV16 (1), REV32 or 32-bit REV (2), 64-bit REV (3). */
  | { k: "rev"; sf: boolean; op: number; rd: number; rn: number }
  | { k: "madd"; sf: boolean; sub: boolean; rd: number; rn: number; rm: number; ra: number }
  | { k: "maddl"; signed: boolean; sub: boolean; rd: number; rn: number; rm: number; ra: number }
  | { k: "mulh"; signed: boolean; rd: number; rn: number; rm: number }
  /** `aligned`: LDAR/STLR, whose address must be a multiple of `bytes` (else the interpreter's alignment fault). */
  | { k: "ldst"; bytes: number; load: boolean; signed: boolean; to32: boolean; rt: number; rn: number; a: LdstAddress; aligned?: boolean }
  | { k: "ldp"; bytes: number; load: boolean; signed: boolean; rt: number; rt2: number; rn: number; mode: "off" | "pre" | "post"; imm: bigint }
  // Branches end a block.
  | { k: "b"; target: number }
  | { k: "bl"; target: number }
  | { k: "bcond"; cond: number; target: number }
  | { k: "cbz"; sf: boolean; nz: boolean; rt: number; target: number }
  | { k: "tbz"; nz: boolean; rt: number; bit: number; target: number }
  | { k: "breg"; rn: number; link: boolean }
  | SimdDecoded;

export const isBranch = (d: Decoded): boolean =>
  d.k === "b" || d.k === "bl" || d.k === "bcond" || d.k === "cbz" || d.k === "tbz" || d.k === "breg";
/** A conditional branch: taken to its target, or on to the next instruction. */
export const isConditional = (d: Decoded): d is Extract<Decoded, { k: "bcond" | "cbz" | "tbz" }> => d.k === "bcond" || d.k === "cbz" || d.k === "tbz";

/**
 * `subs Xn, Xn, #1; b.ne .-4` at `pc`, which the interpreter runs many iterations at a time
 * (soc/cpu/loops.ts, same conditions): a region leaves before it rather than translating it.
 */
export const isCountdownLoop = (w0: number, w1: number, pc: number): boolean =>
  w1 === 0x54ffffe1 && ((pc + 4) & 0xfff) !== 0 && (w0 & 0x7ffffc00) === 0x71000400 &&
  (w0 & 31) !== 31 && ((w0 >>> 5) & 31) === (w0 & 31);

const sext = (v: number, bits: number): number => (v << (32 - bits)) >> (32 - bits);

/** DecodeBitMasks(N, imms, immr, TRUE) (ARM ARM J1, shared/functions/bitmasks): undefined if reserved. */
export function logicalImmediate(n: number, immr: number, imms: number, width: 32 | 64): bigint | undefined {
  const combined = (n << 6) | (~imms & 0x3f);
  if (combined === 0) return undefined;
  const len = 31 - Math.clz32(combined);
  if (len < 1 || (1 << len) > width) return undefined;
  const esize = 1 << len;
  const levels = esize - 1;
  const s = imms & levels, r = immr & levels;
  if (s === levels) return undefined;
  let elem = (1n << BigInt(s + 1)) - 1n;
  if (r !== 0) elem = ((elem >> BigInt(r)) | (elem << BigInt(esize - r))) & ((1n << BigInt(esize)) - 1n);
  let v = 0n;
  for (let i = 0; i < width; i += esize) v |= elem << BigInt(i);
  return v;
}

/** The operation of `insn` at `pc`, or undefined if the compiler leaves it to the interpreter. */
export function decode(insn: number, pc: number): Decoded | undefined {
  insn >>>= 0; // (and every mask with bit 31 set is compared unsigned: `&` gives a signed result)
  const sf = (insn >>> 31) === 1;
  const rd = insn & 31, rn = (insn >>> 5) & 31, rm = (insn >>> 16) & 31;
  // HINT (C6.2.128): NOP, and on this ARMv8.0 core every hint but WFE, WFI, SEV and SEVL (2-5)
  // is one too, as in the interpreter (branch_sys.ts): YIELD, and the pointer-authentication and
  // BTI hints that Debian's kernel has in every function (PACIASP 50 K times, AUTIASP 65 K).
  if (((insn & 0xfffff01f) >>> 0) === 0xd503201f) {
    const op = (insn >>> 5) & 0x7f;
    return op >= 2 && op <= 5 ? undefined : { k: "nop" };
  }
  // MRS of SP_EL0 (Linux's `current`: 27 K sites in Debian's kernel), TPIDR_EL1 (its per-CPU
  // offset, 4.4 K) and TPIDR_EL0 (user TLS). Every other system register stays interpreted.
  if (((insn & 0xffffffe0) >>> 0) === 0xd5384100) return { k: "mrs", rt: rd, reg: "sp_el0" };
  if (((insn & 0xffffffe0) >>> 0) === 0xd538d080) return { k: "mrs", rt: rd, reg: "tpidr_el1" };
  if (((insn & 0xffffffe0) >>> 0) === 0xd53bd040) return { k: "mrs", rt: rd, reg: "tpidr_el0" };
  // DC ZVA and DCZID_EL0, the size of its block: Linux's clear_page and memset (1 M and 58 K
  // interpreted runs of their loops in the boot to /init, BENCHMARKS.md fourteenth session).
  if (((insn & 0xffffffe0) >>> 0) === 0xd50b7420) return { k: "zva", rt: rd };
  if (((insn & 0xffffffe0) >>> 0) === 0xd53b00e0) return { k: "mrs", rt: rd, reg: "dczid_el0" };
  // DSB, DMB, ISB: the cores run in order on one host thread, so barriers have no effect
  // (as in the interpreter, branch_sys.ts).
  if (((insn & 0xfffff01f) >>> 0) === 0xd503301f && ((insn >>> 5) & 7) >= 4 && ((insn >>> 5) & 7) <= 6) return { k: "nop" };

  // ---- data processing, immediate (C4.1.2) ----
  if ((insn & 0x1f800000) === 0x11000000) { // add/sub (immediate)
    const setf = ((insn >>> 29) & 1) === 1;
    const imm = BigInt((insn >>> 10) & 0xfff) << BigInt(((insn >>> 22) & 1) * 12);
    return { k: "addsub", sf, sub: ((insn >>> 30) & 1) === 1, setf, rd, rn, rdSp: !setf, rnSp: true, b: { t: "imm", v: imm } };
  }
  if ((insn & 0x1f800000) === 0x12000000) { // logical (immediate)
    const n = (insn >>> 22) & 1;
    if (!sf && n) return undefined;
    const v = logicalImmediate(n, (insn >>> 16) & 63, (insn >>> 10) & 63, sf ? 64 : 32);
    if (v === undefined) return undefined;
    const opc = (insn >>> 29) & 3;
    return { k: "logic", sf, opc, invert: false, rd, rn, rdSp: opc !== 3, b: { t: "imm", v } };
  }
  if ((insn & 0x1f800000) === 0x12800000) { // move wide
    const opc = (insn >>> 29) & 3, hw = (insn >>> 21) & 3;
    if (opc === 1 || (!sf && hw >= 2)) return undefined;
    return { k: "movw", sf, opc, rd, imm: BigInt((insn >>> 5) & 0xffff), shift: hw * 16 };
  }
  if ((insn & 0x1f800000) === 0x13000000) { // bitfield
    const opc = (insn >>> 29) & 3, n = (insn >>> 22) & 1, immr = (insn >>> 16) & 63, imms = (insn >>> 10) & 63;
    if (opc === 3 || n !== (sf ? 1 : 0) || (!sf && (immr >= 32 || imms >= 32))) return undefined;
    return { k: "bfm", sf, opc, rd, rn, immr, imms };
  }
  if ((insn & 0x1f800000) === 0x13800000) { // extract
    const n = (insn >>> 22) & 1, imms = (insn >>> 10) & 63;
    if (((insn >>> 29) & 3) !== 0 || ((insn >>> 21) & 1) !== 0 || n !== (sf ? 1 : 0) || (!sf && imms >= 32)) return undefined;
    return { k: "extr", sf, rd, rn, rm, lsb: imms };
  }
  if ((insn & 0x1f000000) === 0x10000000) { // ADR, ADRP
    const imm = sext(((insn >>> 5) & 0x7ffff) << 2 | ((insn >>> 29) & 3), 21);
    const page = (insn >>> 31) === 1;
    const v = page ? (BigInt(pc) & ~0xfffn) + (BigInt(imm) << 12n) : BigInt(pc) + BigInt(imm);
    return { k: "const", rd, v: BigInt.asUintN(64, v) };
  }

  // ---- branches (C4.1.3) ----
  if ((insn & 0x7c000000) === 0x14000000) {
    const target = pc + sext(insn & 0x3ffffff, 26) * 4;
    if (target < 0) return undefined;
    return sf ? { k: "bl", target } : (target === pc ? undefined : { k: "b", target }); // `b .` is the interpreter's idle wait
  }
  if (((insn & 0xff000010) >>> 0) === 0x54000000) {
    const target = pc + sext((insn >>> 5) & 0x7ffff, 19) * 4;
    if (target === pc || target < 0) return undefined;
    return { k: "bcond", cond: insn & 15, target };
  }
  if ((insn & 0x7e000000) === 0x34000000) {
    const target = pc + sext((insn >>> 5) & 0x7ffff, 19) * 4;
    if (target < 0) return undefined;
    return { k: "cbz", sf, nz: ((insn >>> 24) & 1) === 1, rt: rd, target };
  }
  if ((insn & 0x7e000000) === 0x36000000) {
    const target = pc + sext((insn >>> 5) & 0x3fff, 14) * 4;
    if (target < 0) return undefined;
    return { k: "tbz", nz: ((insn >>> 24) & 1) === 1, rt: rd, bit: ((insn >>> 31) << 5) | ((insn >>> 19) & 31), target };
  }
  if (((insn & 0xfffffc1f) >>> 0) === 0xd61f0000 || ((insn & 0xfffffc1f) >>> 0) === 0xd65f0000) return { k: "breg", rn, link: false }; // BR, RET
  if (((insn & 0xfffffc1f) >>> 0) === 0xd63f0000) return { k: "breg", rn, link: true };  // BLR

  // ---- loads and stores (C4.1.4), integer registers only ----
  if ((insn & 0x3f000000) === 0x18000000) { // LDR/LDRSW (literal), PRFM (literal)
    const opc = insn >>> 30;
    if (opc === 3) return { k: "nop" }; // a prefetch: a hint, as in the interpreter (ldst.ts)
    const addr = pc + sext((insn >>> 5) & 0x7ffff, 19) * 4;
    if (addr < 0) return undefined;
    return { k: "ldst", bytes: opc === 1 ? 8 : 4, load: true, signed: opc === 2, to32: false, rt: rd, rn: NO_BASE, a: { t: "lit", addr } };
  }
  if ((insn & 0x3f000000) === 0x39000000 || (insn & 0x3f200000) === 0x38000000 || (insn & 0x3f200c00) === 0x38200800) {
    const size = insn >>> 30, opc = (insn >>> 22) & 3;
    // opc 00 store, 01 load, 10 load signed to X, 11 load signed to W (reserved forms excluded).
    if (opc === 2 && size === 3) {
      // PRFM, PRFUM: hints, as in the interpreter (ldst.ts); with a writeback or a register
      // offset's reserved option UNDEFINED, and with SP as the base its alignment is checked
      // first: those left to it.
      const writeback = (insn & 0x3f200000) === 0x38000000 && ((insn >>> 10) & 3) !== 0;
      const badOption = (insn & 0x3f200c00) === 0x38200800 && (((insn >>> 13) & 7) & 2) === 0;
      return writeback || badOption || rn === 31 ? undefined : { k: "nop" };
    }
    if (opc === 3 && size >= 2) return undefined;
    const ls = { bytes: 1 << size, load: opc !== 0, signed: opc >= 2, to32: opc === 3, rt: rd, rn };
    if ((insn & 0x3f000000) === 0x39000000) {
      return { k: "ldst", ...ls, a: { t: "imm", mode: "off", imm: BigInt(((insn >>> 10) & 0xfff) << size) } };
    }
    if ((insn & 0x3f200000) === 0x38000000) {
      const idx = (insn >>> 10) & 3;
      if (idx === 2) return undefined; // LDTR/STTR
      const mode = idx === 0 ? "off" : idx === 1 ? "post" : "pre";
      if (mode !== "off" && rn === rd && rn !== 31) return undefined; // constrained unpredictable
      return { k: "ldst", ...ls, a: { t: "imm", mode, imm: BigInt(sext((insn >>> 12) & 0x1ff, 9)) } };
    }
    const option = (insn >>> 13) & 7;
    if ((option & 2) === 0) return undefined;
    return { k: "ldst", ...ls, a: { t: "reg", rm, option, shift: ((insn >>> 12) & 1) ? size : 0 } };
  }
  // LDAR/STLR (o2 = 1, o1 = 0, o0 = 1; C6.2.104, C6.2.257): on one host thread, ordering is
  // program order, so a plain load or store of an aligned address. The exclusives stay
  // interpreted (the monitor), and so does CAS and the LORegion forms (not on this core).
  if ((insn & 0x3fa08000) === 0x08808000) {
    const size = insn >>> 30;
    return { k: "ldst", bytes: 1 << size, load: ((insn >>> 22) & 1) === 1, signed: false, to32: false, rt: rd, rn, a: { t: "imm", mode: "off", imm: 0n }, aligned: true };
  }
  if ((insn & 0x3e000000) === 0x28000000) { // LDP/STP/LDPSW/LDNP/STNP (integer registers)
    const opc = insn >>> 30, load = ((insn >>> 22) & 1) === 1, idx = (insn >>> 23) & 3;
    if (opc === 3 || (opc === 1 && (!load || idx === 0))) return undefined; // no LDNPSW, no STPSW
    const rt2 = (insn >>> 10) & 31;
    if (load && rd === rt2) return undefined;
    const mode = idx === 1 ? "post" : idx === 3 ? "pre" : "off";
    if (mode !== "off" && rn !== 31 && (rn === rd || rn === rt2)) return undefined;
    const bytes = opc === 2 ? 8 : 4;
    return { k: "ldp", bytes, load, signed: opc === 1, rt: rd, rt2, rn, mode, imm: BigInt(sext((insn >>> 15) & 0x7f, 7) * bytes) };
  }

  // ---- data processing, register (C4.1.5) ----
  if ((insn & 0x1f000000) === 0x0a000000) { // logical (shifted register)
    const amount = (insn >>> 10) & 63;
    if (!sf && amount >= 32) return undefined;
    const opc = (insn >>> 29) & 3;
    return { k: "logic", sf, opc, invert: ((insn >>> 21) & 1) === 1, rd, rn, rdSp: false, b: { t: "shift", rm, type: (insn >>> 22) & 3, amount } };
  }
  if ((insn & 0x1f200000) === 0x0b000000) { // add/sub (shifted register)
    const amount = (insn >>> 10) & 63, type = (insn >>> 22) & 3;
    if (type === 3 || (!sf && amount >= 32)) return undefined;
    return { k: "addsub", sf, sub: ((insn >>> 30) & 1) === 1, setf: ((insn >>> 29) & 1) === 1, rd, rn, rdSp: false, rnSp: false, b: { t: "shift", rm, type, amount } };
  }
  if ((insn & 0x1fe00000) === 0x0b200000) { // add/sub (extended register)
    const amount = (insn >>> 10) & 7;
    if (amount > 4) return undefined;
    const setf = ((insn >>> 29) & 1) === 1;
    return { k: "addsub", sf, sub: ((insn >>> 30) & 1) === 1, setf, rd, rn, rdSp: !setf, rnSp: true, b: { t: "ext", rm, option: (insn >>> 13) & 7, amount } };
  }
  if ((insn & 0x1fe0fc00) === 0x1a000000) { // ADC/SBC
    return { k: "adc", sf, sub: ((insn >>> 30) & 1) === 1, setf: ((insn >>> 29) & 1) === 1, rd, rn, rm };
  }
  if ((insn & 0x1fe00010) === 0x1a400000 && ((insn >>> 29) & 1) === 1 && ((insn >>> 10) & 1) === 0) { // CCMN/CCMP
    const b: Operand = ((insn >>> 11) & 1) ? { t: "imm", v: BigInt(rm) } : { t: "shift", rm, type: 0, amount: 0 };
    return { k: "ccmp", sf, sub: ((insn >>> 30) & 1) === 1, rn, b, cond: (insn >>> 12) & 15, nzcv: insn & 15 };
  }
  if ((insn & 0x1fe00800) === 0x1a800000 && ((insn >>> 29) & 1) === 0) { // CSEL/CSINC/CSINV/CSNEG
    return { k: "csel", sf, op: (insn >>> 30) & 1, o2: (insn >>> 10) & 1, rd, rn, rm, cond: (insn >>> 12) & 15 };
  }
  if ((insn & 0x7fe00000) === 0x1ac00000) { // data processing (2 source)
    const op = (insn >>> 10) & 63;
    if (op === 2 || op === 3) return { k: "div", sf, signed: op === 3, rd, rn, rm };
    if (op >= 8 && op <= 11) return { k: "shiftv", sf, type: op - 8, rd, rn, rm };
    return undefined;
  }
  if ((insn & 0x7ffff800) === 0x5ac01000) return { k: "clz", sf, cls: ((insn >>> 10) & 1) === 1, rd, rn }; // CLZ, CLS
  if ((insn & 0x7ffff000) === 0x5ac00000) { // RBIT, REV16, REV32, REV (data processing, 1 source)
    const op = (insn >>> 10) & 3;
    return op === 3 && !sf ? undefined : { k: "rev", sf, op, rd, rn };
  }
  if ((insn & 0x7fe00000) === 0x1b000000) { // MADD/MSUB
    return { k: "madd", sf, sub: ((insn >>> 15) & 1) === 1, rd, rn, rm, ra: (insn >>> 10) & 31 };
  }
  if (((insn & 0xff600000) >>> 0) === 0x9b200000) { // SMADDL/SMSUBL/UMADDL/UMSUBL
    return { k: "maddl", signed: ((insn >>> 23) & 1) === 0, sub: ((insn >>> 15) & 1) === 1, rd, rn, rm, ra: (insn >>> 10) & 31 };
  }
  if (((insn & 0xff60fc00) >>> 0) === 0x9b407c00) { // SMULH/UMULH
    return { k: "mulh", signed: ((insn >>> 23) & 1) === 0, rd, rn, rm };
  }
  return decodeSimd(insn, pc);
}

/** Does the operation use SIMD&FP registers (and so trap while CPACR_EL1.FPEN and friends disable them)? */
export const isSimd = (d: Decoded): boolean => d.k === "vldst" || d.k === "vldp" || d.k === "vec";
