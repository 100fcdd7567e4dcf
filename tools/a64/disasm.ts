// A64 disassembler in objdump's spelling, with the ARM ARM's preferred aliases
// (mov, cmp, lsl, ubfx, cset ...). Field names and name tables come from
// fields.ts and sysregs.ts, shared with the assembler.

import { CONDITIONS, SHIFTS, EXTENDS, BARRIER_OPTIONS, HINTS, HINTS_WITH_OPERAND, PSTATE_FIELDS, SYS_OPS, decodeBitMask } from "./fields.js";
import { sysregName } from "./sysregs.js";
import { disassembleSimd } from "./simd.js";

export type Symbolizer = (addr: number) => string | undefined;

const BARRIER_NAMES: Record<number, string> = Object.fromEntries(Object.entries(BARRIER_OPTIONS).map(([k, v]) => [v, k]));
const HINT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(HINTS).map(([k, v]) => [v, k]));
const PRFOPS = ["pldl1keep", "pldl1strm", "pldl2keep", "pldl2strm", "pldl3keep", "pldl3strm", "", "",
  "plil1keep", "plil1strm", "plil2keep", "plil2strm", "plil3keep", "plil3strm", "", "",
  "pstl1keep", "pstl1strm", "pstl2keep", "pstl2strm", "pstl3keep", "pstl3strm"];

function x(n: number, sf: boolean | number, sp = false): string {
  if (n === 31) return sp ? (sf ? "sp" : "wsp") : (sf ? "xzr" : "wzr");
  return `${sf ? "x" : "w"}${n}`;
}
const hex = (v: number | bigint) => `#0x${v.toString(16)}`;
const sext = (v: number, bits: number) => (v << (32 - bits)) >> (32 - bits);

function target(pc: number, off: number, sym?: Symbolizer): string {
  const a = pc + off;
  const name = sym?.(a);
  return name ? `${a.toString(16)} <${name}>` : a.toString(16);
}

function shiftSuffix(type: number, amount: number): string {
  if (type === 0 && amount === 0) return "";
  return `, ${SHIFTS[type]} #${amount}`;
}

/** Disassembles one word at `pc`; unknown encodings become `.inst 0x... ; undefined`. */
export function disassemble(word: number, pc = 0, sym?: Symbolizer): string {
  const w = word >>> 0;
  const op0 = (w >>> 25) & 15;
  let r: string | undefined;
  if ((op0 & 0x7) === 0x7 || ((op0 & 0x5) === 0x4 && (w >>> 26) & 1)) r = disassembleSimd(w, pc, sym); // FP/SIMD (C4.1.6, C4.1.4)
  else if ((op0 & 0xe) === 0x8) r = dataImmediate(w, pc, sym);
  else if ((op0 & 0xe) === 0xa) r = branchSystem(w, pc, sym);
  else if ((op0 & 0x5) === 0x4) r = loadStore(w, pc, sym);
  else if ((op0 & 0x7) === 0x5) r = dataRegister(w);
  else if (w >>> 16 === 0) r = `udf\t#${w & 0xffff}`;
  return r ?? `.inst\t0x${w.toString(16).padStart(8, "0")} ; undefined`;
}

function dataImmediate(w: number, pc: number, sym?: Symbolizer): string | undefined {
  const sf = (w >>> 31) & 1;
  const rd = w & 31, rn = (w >>> 5) & 31;
  switch ((w >>> 23) & 7) {
    case 0: case 1: {
      const imm = sext((((w >>> 5) & 0x7ffff) << 2) | ((w >>> 29) & 3), 21);
      if (sf) return `adrp\t${x(rd, 1)}, ${target(Math.floor(pc / 4096) * 4096, imm * 4096, sym)}`;
      return `adr\t${x(rd, 1)}, ${target(pc, imm, sym)}`;
    }
    case 2: {
      const op = (w >>> 30) & 1, s = (w >>> 29) & 1, sh = (w >>> 22) & 1, imm = (w >>> 10) & 0xfff;
      const immText = `${hex(imm)}${sh ? ", lsl #12" : ""}`;
      if (!op && !s && imm === 0 && !sh && (rd === 31 || rn === 31)) return `mov\t${x(rd, sf, true)}, ${x(rn, sf, true)}`;
      if (s && rd === 31) return `${op ? "cmp" : "cmn"}\t${x(rn, sf, true)}, ${immText}`;
      return `${op ? "sub" : "add"}${s ? "s" : ""}\t${x(rd, sf, !s)}, ${x(rn, sf, true)}, ${immText}`;
    }
    case 4: {
      const opc = (w >>> 29) & 3, n = (w >>> 22) & 1;
      if (!sf && n) return undefined;
      const v = decodeBitMask(n, (w >>> 16) & 63, (w >>> 10) & 63, sf ? 64 : 32);
      if (v === undefined) return undefined;
      if (opc === 3 && rd === 31) return `tst\t${x(rn, sf)}, ${hex(v)}`;
      if (opc === 1 && rn === 31 && !moveWidePreferred(sf, n, (w >>> 10) & 63, (w >>> 16) & 63)) return `mov\t${x(rd, sf, true)}, ${hex(v)}`;
      return `${["and", "orr", "eor", "ands"][opc]}\t${x(rd, sf, opc !== 3)}, ${x(rn, sf)}, ${hex(v)}`;
    }
    case 5: {
      const opc = (w >>> 29) & 3, hw = (w >>> 21) & 3, imm = (w >>> 5) & 0xffff;
      if (opc === 1 || (!sf && hw >= 2)) return undefined;
      const width = sf ? 64n : 32n;
      const mask = (1n << width) - 1n;
      if (opc === 2 && !(imm === 0 && hw !== 0)) {
        const v = BigInt(imm) << BigInt(hw * 16);
        return `mov\t${x(rd, sf)}, ${hex(v)}`;
      }
      if (opc === 0 && !(imm === 0 && hw !== 0) && (sf || imm !== 0xffff)) {
        const v = ~(BigInt(imm) << BigInt(hw * 16)) & mask;
        return `mov\t${x(rd, sf)}, ${hex(v)}`;
      }
      return `${["movn", "", "movz", "movk"][opc]}\t${x(rd, sf)}, ${hex(imm)}${hw ? `, lsl #${hw * 16}` : ""}`;
    }
    case 6: {
      const opc = (w >>> 29) & 3, n = (w >>> 22) & 1, immr = (w >>> 16) & 63, imms = (w >>> 10) & 63;
      if (opc === 3 || n !== sf || (!sf && (immr | imms) & 32)) return undefined;
      const bits = sf ? 64 : 32;
      const d = x(rd, sf), s = x(rn, sf);
      if (opc === 0) {
        if (imms === bits - 1) return `asr\t${d}, ${s}, #${immr}`;
        if (imms < immr) return `sbfiz\t${d}, ${s}, #${bits - immr}, #${imms + 1}`;
        if (bfxPreferred(sf, 0, imms, immr)) return `sbfx\t${d}, ${s}, #${immr}, #${imms - immr + 1}`;
        if (immr === 0 && (imms === 7 || imms === 15 || imms === 31)) return `sxt${imms === 7 ? "b" : imms === 15 ? "h" : "w"}\t${d}, ${x(rn, 0)}`;
      } else if (opc === 2) {
        if (imms !== bits - 1 && imms + 1 === immr) return `lsl\t${d}, ${s}, #${bits - 1 - imms}`;
        if (imms === bits - 1) return `lsr\t${d}, ${s}, #${immr}`;
        if (imms < immr) return `ubfiz\t${d}, ${s}, #${bits - immr}, #${imms + 1}`;
        if (bfxPreferred(sf, 1, imms, immr)) return `ubfx\t${d}, ${s}, #${immr}, #${imms - immr + 1}`;
        if (immr === 0 && !sf && (imms === 7 || imms === 15)) return `uxt${imms === 7 ? "b" : "h"}\t${d}, ${s}`;
      } else {
        if (rn === 31 && imms < immr) return `bfc\t${d}, #${bits - immr}, #${imms + 1}`;
        if (imms < immr) return `bfi\t${d}, ${s}, #${bits - immr}, #${imms + 1}`;
        return `bfxil\t${d}, ${s}, #${immr}, #${imms - immr + 1}`;
      }
      return `${["sbfm", "bfm", "ubfm"][opc]}\t${d}, ${s}, #${immr}, #${imms}`;
    }
    case 7: {
      const n = (w >>> 22) & 1, rm = (w >>> 16) & 31, lsb = (w >>> 10) & 63;
      if ((w >>> 29) & 3 || (w >>> 21) & 1 || n !== sf || (!sf && lsb >= 32)) return undefined;
      if (rn === rm) return `ror\t${x(rd, sf)}, ${x(rn, sf)}, #${lsb}`;
      return `extr\t${x(rd, sf)}, ${x(rn, sf)}, ${x(rm, sf)}, #${lsb}`;
    }
    default: return undefined;
  }
}

function bfxPreferred(sf: number, uns: number, imms: number, immr: number): boolean {
  if (imms < immr) return false;
  if (imms === (sf ? 63 : 31)) return false;
  if (immr === 0) {
    if (!sf && (imms === 7 || imms === 15)) return false;
    if (sf && !uns && (imms === 7 || imms === 15 || imms === 31)) return false;
  }
  return true;
}

function moveWidePreferred(sf: number, n: number, imms: number, immr: number): boolean {
  const width = sf ? 64 : 32;
  if (sf && n !== 1) return false;
  if (!sf && (n !== 0 || (imms & 0x20))) return false;
  if (imms < 16) return (-immr & 15) <= 15 - imms;
  if (imms >= width - 15) return (immr & 15) <= imms - (width - 15);
  return false;
}

function condName(c: number): string { return CONDITIONS[c]; }

function dataRegister(w: number): string | undefined {
  const sf = (w >>> 31) & 1;
  const rd = w & 31, rn = (w >>> 5) & 31, rm = (w >>> 16) & 31;
  const op1 = (w >>> 28) & 1, op2 = (w >>> 21) & 15;
  if (!op1) {
    if (!(op2 & 8)) {
      const opc = (w >>> 29) & 3, type = (w >>> 22) & 3, nbit = (w >>> 21) & 1, imm6 = (w >>> 10) & 63;
      if (!sf && imm6 >= 32) return undefined;
      const sh = type === 0 && imm6 === 0 ? "" : `, ${SHIFTS[type]} #${imm6}`;
      if (opc === 1 && !nbit && rn === 31 && imm6 === 0 && type === 0) return `mov\t${x(rd, sf)}, ${x(rm, sf)}`;
      if (opc === 1 && nbit && rn === 31) return `mvn\t${x(rd, sf)}, ${x(rm, sf)}${sh}`;
      if (opc === 3 && !nbit && rd === 31) return `tst\t${x(rn, sf)}, ${x(rm, sf)}${sh}`;
      const name = [["and", "bic"], ["orr", "orn"], ["eor", "eon"], ["ands", "bics"]][opc][nbit];
      return `${name}\t${x(rd, sf)}, ${x(rn, sf)}, ${x(rm, sf)}${sh}`;
    }
    const op = (w >>> 30) & 1, s = (w >>> 29) & 1;
    if (!(op2 & 1)) {
      const type = (w >>> 22) & 3, imm6 = (w >>> 10) & 63;
      if (type === 3 || (!sf && imm6 >= 32)) return undefined;
      const sh = shiftSuffix(type, imm6);
      if (s && rd === 31) return `${op ? "cmp" : "cmn"}\t${x(rn, sf)}, ${x(rm, sf)}${sh}`;
      if (op && rn === 31) return `neg${s ? "s" : ""}\t${x(rd, sf)}, ${x(rm, sf)}${sh}`;
      return `${op ? "sub" : "add"}${s ? "s" : ""}\t${x(rd, sf)}, ${x(rn, sf)}, ${x(rm, sf)}${sh}`;
    }
    const opt = (w >>> 22) & 3, option = (w >>> 13) & 7, imm3 = (w >>> 10) & 7;
    if (opt || imm3 > 4) return undefined;
    const rmText = x(rm, sf && (option & 3) === 3 ? 1 : 0);
    let ext: string;
    const lslForm = (rd === 31 && !s) || rn === 31;
    if (lslForm && option === (sf ? 3 : 2)) ext = imm3 ? `, lsl #${imm3}` : "";
    else ext = `, ${EXTENDS[option]}${imm3 ? ` #${imm3}` : ""}`;
    if (s && rd === 31) return `${op ? "cmp" : "cmn"}\t${x(rn, sf, true)}, ${rmText}${ext}`;
    return `${op ? "sub" : "add"}${s ? "s" : ""}\t${x(rd, sf, !s)}, ${x(rn, sf, true)}, ${rmText}${ext}`;
  }
  if (op2 & 8) {
    const op31 = (w >>> 21) & 7, o0 = (w >>> 15) & 1, ra = (w >>> 10) & 31;
    if ((w >>> 29) & 3) return undefined;
    if (op31 === 0) {
      if (ra === 31) return `${o0 ? "mneg" : "mul"}\t${x(rd, sf)}, ${x(rn, sf)}, ${x(rm, sf)}`;
      return `${o0 ? "msub" : "madd"}\t${x(rd, sf)}, ${x(rn, sf)}, ${x(rm, sf)}, ${x(ra, sf)}`;
    }
    if (!sf) return undefined;
    if (op31 === 1 || op31 === 5) {
      const u = op31 === 5 ? "u" : "s";
      if (ra === 31) return `${u}${o0 ? "mnegl" : "mull"}\t${x(rd, 1)}, ${x(rn, 0)}, ${x(rm, 0)}`;
      return `${u}${o0 ? "msubl" : "maddl"}\t${x(rd, 1)}, ${x(rn, 0)}, ${x(rm, 0)}, ${x(ra, 1)}`;
    }
    if ((op31 === 2 || op31 === 6) && !o0) return `${op31 === 2 ? "s" : "u"}mulh\t${x(rd, 1)}, ${x(rn, 1)}, ${x(rm, 1)}`;
    return undefined;
  }
  switch (op2) {
    case 0: {
      if ((w >>> 10) & 63) return undefined;
      const op = (w >>> 30) & 1, s = (w >>> 29) & 1;
      if (op && rn === 31) return `ngc${s ? "s" : ""}\t${x(rd, sf)}, ${x(rm, sf)}`;
      return `${op ? "sbc" : "adc"}${s ? "s" : ""}\t${x(rd, sf)}, ${x(rn, sf)}, ${x(rm, sf)}`;
    }
    case 2: {
      if (!((w >>> 29) & 1) || (w >>> 10) & 1 || (w >>> 4) & 1) return undefined;
      const name = (w >>> 30) & 1 ? "ccmp" : "ccmn";
      const second = (w >>> 11) & 1 ? hex(rm) : x(rm, sf);
      return `${name}\t${x(rn, sf)}, ${second}, ${hex(w & 15)}, ${condName((w >>> 12) & 15)}`;
    }
    case 4: {
      if ((w >>> 29) & 1 || (w >>> 11) & 1) return undefined;
      const op = (w >>> 30) & 1, o2 = (w >>> 10) & 1, c = (w >>> 12) & 15;
      const name = [["csel", "csinc"], ["csinv", "csneg"]][op][o2];
      if (c < 14 && !(op === 0 && o2 === 0)) {
        if (rm === rn && rn === 31 && name !== "csneg") return `${name === "csinc" ? "cset" : "csetm"}\t${x(rd, sf)}, ${condName(c ^ 1)}`;
        if (rm === rn && (rn !== 31 || name === "csneg")) return `${{ csinc: "cinc", csinv: "cinv", csneg: "cneg" }[name]}\t${x(rd, sf)}, ${x(rn, sf)}, ${condName(c ^ 1)}`;
      }
      return `${name}\t${x(rd, sf)}, ${x(rn, sf)}, ${x(rm, sf)}, ${condName(c)}`;
    }
    case 6: {
      if ((w >>> 29) & 1) return undefined;
      const opcode = (w >>> 10) & 63;
      if ((w >>> 30) & 1) {
        if (rm !== 0) return undefined;
        const names = sf ? ["rbit", "rev16", "rev32", "rev", "clz", "cls"] : ["rbit", "rev16", "rev", "", "clz", "cls"];
        const name = names[opcode];
        return name ? `${name}\t${x(rd, sf)}, ${x(rn, sf)}` : undefined;
      }
      const names: Record<number, string> = { 2: "udiv", 3: "sdiv", 8: "lsl", 9: "lsr", 10: "asr", 11: "ror" };
      if (names[opcode]) return `${names[opcode]}\t${x(rd, sf)}, ${x(rn, sf)}, ${x(rm, sf)}`;
      if (opcode >= 16 && opcode <= 23) {
        const sz = opcode & 3, c = (opcode >> 2) & 1;
        if ((sz === 3) !== !!sf) return undefined;
        return `crc32${c ? "c" : ""}${"bhwx"[sz]}\t${x(rd, 0)}, ${x(rn, 0)}, ${x(rm, sz === 3 ? 1 : 0)}`;
      }
      return undefined;
    }
    default: return undefined;
  }
}

function branchSystem(w: number, pc: number, sym?: Symbolizer): string | undefined {
  if (((w >>> 26) & 0x1f) === 5) return `${w >>> 31 ? "bl" : "b"}\t${target(pc, sext(w & 0x3ffffff, 26) * 4, sym)}`;
  const op25 = (w >>> 25) & 0x3f;
  const sf = (w >>> 31) & 1;
  if (op25 === 0x1a) return `${(w >>> 24) & 1 ? "cbnz" : "cbz"}\t${x(w & 31, sf)}, ${target(pc, sext((w >>> 5) & 0x7ffff, 19) * 4, sym)}`;
  if (op25 === 0x1b) {
    const bit = (sf << 5) | ((w >>> 19) & 31);
    return `${(w >>> 24) & 1 ? "tbnz" : "tbz"}\t${x(w & 31, sf)}, #${bit}, ${target(pc, sext((w >>> 5) & 0x3fff, 14) * 4, sym)}`;
  }
  if (w >>> 24 === 0x54) {
    if ((w >>> 4) & 1) return undefined;
    return `b.${condName(w & 15)}\t${target(pc, sext((w >>> 5) & 0x7ffff, 19) * 4, sym)}`;
  }
  if (w >>> 24 === 0xd4) {
    const opc = (w >>> 21) & 7, imm = (w >>> 5) & 0xffff, ll = w & 3;
    if ((w >>> 2) & 7) return undefined;
    if (opc === 0 && ll) return `${["", "svc", "hvc", "smc"][ll]}\t${hex(imm)}`;
    if (opc === 1 && !ll) return `brk\t${hex(imm)}`;
    if (opc === 2 && !ll) return `hlt\t${hex(imm)}`;
    return undefined;
  }
  if (w >>> 22 === 0x354) return system(w);
  if (w >>> 25 === 0x6b) {
    const opc = (w >>> 21) & 15, rn = (w >>> 5) & 31;
    if (((w >>> 16) & 31) !== 31 || ((w >>> 10) & 63) || (w & 31)) return undefined;
    if (opc === 0) return `br\t${x(rn, 1)}`;
    if (opc === 1) return `blr\t${x(rn, 1)}`;
    if (opc === 2) return rn === 30 ? "ret" : `ret\t${x(rn, 1)}`;
    if (opc === 4 && rn === 31) return "eret";
    if (opc === 5 && rn === 31) return "drps";
    return undefined;
  }
  return undefined;
}

function system(w: number): string | undefined {
  const l = (w >>> 21) & 1, op0 = (w >>> 19) & 3, op1 = (w >>> 16) & 7, crn = (w >>> 12) & 15, crm = (w >>> 8) & 15, op2 = (w >>> 5) & 7, rt = w & 31;
  if (op0 === 0) {
    if (l) return undefined;
    if (crn === 2 && op1 === 3 && rt === 31) {
      const n = (crm << 3) | op2;
      const withOperand = HINTS_WITH_OPERAND[n];
      if (withOperand) return withOperand[1] ? `${withOperand[0]}\t${withOperand[1]}` : withOperand[0];
      return HINT_NAMES[n] ?? `hint\t${hex(n)}`;
    }
    if (crn === 3 && op1 === 3 && rt === 31) {
      if (op2 === 2) return crm === 15 ? "clrex" : `clrex\t${hex(crm)}`;
      if (op2 === 6) return crm === 15 ? "isb" : `isb\t${hex(crm)}`;
      if (op2 === 4 || op2 === 5) return `${op2 === 4 ? "dsb" : "dmb"}\t${BARRIER_NAMES[crm] ?? hex(crm)}`;
      return undefined;
    }
    if (crn === 4 && rt === 31) {
      const f = Object.entries(PSTATE_FIELDS).find(([, [a, b]]) => a === op1 && b === op2);
      if (f) return `msr\t${f[0]}, ${hex(crm)}`;
    }
    return undefined;
  }
  if (op0 === 1) {
    if (l) return `sysl\t${x(rt, 1)}, #${op1}, C${crn}, C${crm}, #${op2}`;
    for (const [kind, ops] of Object.entries(SYS_OPS)) {
      for (const [name, [a, b, c, d, takesReg]] of Object.entries(ops)) {
        if (a === op1 && b === crn && c === crm && d === op2) return takesReg ? `${kind}\t${name}, ${x(rt, 1)}` : `${kind}\t${name}`;
      }
    }
    return `sys\t#${op1}, C${crn}, C${crm}, #${op2}${rt === 31 ? "" : `, ${x(rt, 1)}`}`;
  }
  const name = sysregName((w >>> 5) & 0xffff);
  return l ? `mrs\t${x(rt, 1)}, ${name}` : `msr\t${name}, ${x(rt, 1)}`;
}

function loadStore(w: number, pc: number, sym?: Symbolizer): string | undefined {
  if ((w >>> 26) & 1) return undefined;
  const op = (w >>> 27) & 7;
  const rt = w & 31, rn = (w >>> 5) & 31;
  const base = x(rn, 1, true);
  if (op === 3) {
    const opc = w >>> 30;
    const t = target(pc, sext((w >>> 5) & 0x7ffff, 19) * 4, sym);
    if (opc === 3) return `prfm\t${PRFOPS[rt] || hex(rt)}, ${t}`;
    if (opc === 2) return `ldrsw\t${x(rt, 1)}, ${t}`;
    return `ldr\t${x(rt, opc)}, ${t}`;
  }
  if (op === 1) {
    if ((w >>> 24) & 3) return undefined;
    const size = w >>> 30, o2 = (w >>> 23) & 1, l = (w >>> 22) & 1, o1 = (w >>> 21) & 1, rs = (w >>> 16) & 31, o0 = (w >>> 15) & 1, rt2 = (w >>> 10) & 31;
    const suffix = size === 0 ? "b" : size === 1 ? "h" : "";
    const reg = (n: number) => x(n, size === 3 ? 1 : 0);
    if (o2) {
      if (o1 || !o0) return undefined;
      return `${l ? "ldar" : "stlr"}${suffix}\t${reg(rt)}, [${base}]`;
    }
    if (o1 && size < 2) return undefined;
    const name = `${l ? (o0 ? "ldax" : "ldx") : o0 ? "stlx" : "stx"}${o1 ? "p" : "r"}${o1 ? "" : suffix}`;
    const regs = o1 ? `${reg(rt)}, ${reg(rt2)}` : reg(rt);
    return l ? `${name}\t${regs}, [${base}]` : `${name}\t${x(rs, 0)}, ${regs}, [${base}]`;
  }
  if (op === 5) {
    const opc = w >>> 30, mode = (w >>> 23) & 3, l = (w >>> 22) & 1, rt2 = (w >>> 10) & 31;
    if (opc === 3 || (opc === 1 && (!l || mode === 0))) return undefined;
    const scale = opc === 2 ? 3 : 2;
    const imm = sext((w >>> 15) & 0x7f, 7) << scale;
    const sf = opc === 2 || opc === 1 ? 1 : 0;
    const name = opc === 1 ? "ldpsw" : mode === 0 ? (l ? "ldnp" : "stnp") : l ? "ldp" : "stp";
    const regs = `${x(rt, sf)}, ${x(rt2, sf)}`;
    if (mode === 1) return `${name}\t${regs}, [${base}], #${imm}`;
    if (mode === 3) return `${name}\t${regs}, [${base}, #${imm}]!`;
    return `${name}\t${regs}, [${base}${imm ? `, #${imm}` : ""}]`;
  }
  if (op !== 7) return undefined;
  const size = w >>> 30, opc = (w >>> 22) & 3;
  let name: string;
  let rtText: string;
  if (opc === 0) { name = ["strb", "strh", "str", "str"][size]; rtText = x(rt, size === 3 ? 1 : 0); }
  else if (opc === 1) { name = ["ldrb", "ldrh", "ldr", "ldr"][size]; rtText = x(rt, size === 3 ? 1 : 0); }
  else if (size === 3) {
    if (opc !== 2) return undefined;
    name = "prfm"; rtText = PRFOPS[rt] || hex(rt);
  } else if (size === 2) {
    if (opc !== 2) return undefined;
    name = "ldrsw"; rtText = x(rt, 1);
  } else { name = size === 0 ? "ldrsb" : "ldrsh"; rtText = x(rt, opc === 2 ? 1 : 0); }
  if ((w >>> 24) & 1) {
    const imm = ((w >>> 10) & 0xfff) << size;
    return `${name}\t${rtText}, [${base}${imm ? `, #${imm}` : ""}]`;
  }
  if ((w >>> 21) & 1) {
    if (((w >>> 10) & 3) !== 2) return undefined;
    const option = (w >>> 13) & 7, s = (w >>> 12) & 1, rm = (w >>> 16) & 31;
    if (!(option & 2)) return undefined;
    const rmText = x(rm, option & 1);
    let ext: string;
    if (option === 3) ext = s ? `, lsl #${size}` : "";
    else ext = `, ${EXTENDS[option]}${s ? ` #${size}` : ""}`;
    return `${name}\t${rtText}, [${base}, ${rmText}${ext}]`;
  }
  const imm9 = sext((w >>> 12) & 0x1ff, 9);
  const mode = (w >>> 10) & 3;
  if (mode === 0) {
    const uname = name.replace(/^(ld|st)r/, "$1ur").replace("prfm", "prfum");
    return `${uname}\t${rtText}, [${base}${imm9 ? `, #${imm9}` : ""}]`;
  }
  if (mode === 2) {
    if (name === "prfm") return undefined;
    return `${name.replace(/^(ld|st)r/, "$1tr")}\t${rtText}, [${base}${imm9 ? `, #${imm9}` : ""}]`;
  }
  if (name === "prfm") return undefined;
  if (mode === 1) return `${name}\t${rtText}, [${base}], #${imm9}`;
  return `${name}\t${rtText}, [${base}, #${imm9}]!`;
}
