// Decode once: a class byte per instruction word of RAM (the decode cache),
// computed the first time an address executes and cleared by any store to
// it. The classes are the exact encodings gcc's inner loops are made of; each
// goes straight to its handler (the group handlers' own functions where they
// exist, inlined here), everything else through decode.ts.
// test/cpu-vectors.test.ts checks both routes against Unicorn.

import { getX, getW, setX, getXsp, setXsp, insnAddr, setPC, conditionHolds, spAddr } from "./state";
import { extendReg } from "./alu";
import { execute } from "./decode";
import { executeDataProcessingImmediate, addSubImmediate } from "./dp_imm";
import { executeDataProcessingRegister, addSubShifted, logicalShifted } from "./dp_reg";
import { loadStorePair } from "./ldst";
import { dataAbort } from "./exception";
import { RAM_BASE } from "../machine/layout";
import { busFault, busReadTlb, busWriteTlb } from "../machine/bus";
import { requestWait, WAIT_SPIN } from "./control";
import { countdownLoop, BNE_BACK_ONE } from "./loops";
import { C_JIT, jitEnabled, noteTakenBranch, runCompiled, jitCodeWritten } from "./jit";

/** Host address of the class byte of guest address 0 (set by init, after RAM). */
export let decodeBase: usize = 0;
export function setDecodeBase(b: usize): void { decodeBase = b; }

// Class 0 means "not decoded yet".
const C_GENERIC: u32 = 1;
const C_NOP: u32 = 2;
const C_ADD_IMM: u32 = 3;      // ADD/SUB/ADDS/SUBS (immediate), both widths
const C_B_COND: u32 = 4;
const C_B: u32 = 5;
const C_BL: u32 = 6;
const C_CBZ: u32 = 7;          // CBZ/CBNZ, both widths
const C_LDST_UIMM: u32 = 8;    // LDR/STR/LDRB/STRB/LDRH/STRH (unsigned offset), zero-extending loads
const C_LDST_IMM9: u32 = 9;    // the same, post- or pre-indexed
const C_LDST_REG: u32 = 10;    // the same, register offset
const C_ADD_REG: u32 = 11;     // ADD/SUB/ADDS/SUBS (shifted register), both widths
const C_LOGIC_REG: u32 = 12;   // AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register), MOV/MVN/TST included
const C_MOVZ: u32 = 13;
const C_MADD: u32 = 14;        // MADD/MSUB, both widths
const C_RET: u32 = 15;
const C_LDSTP: u32 = 16;       // LDP/STP of X or W registers, offset/pre/post
const C_DP_IMM: u32 = 17;      // other data processing (immediate): straight to its group
const C_DP_REG: u32 = 18;      // other data processing (register): straight to its group
// C_JIT (jit.ts): a compiled region starts here.

/** A taken branch: its target may be worth compiling (jit.ts). */
// @ts-ignore: decorator
@inline function branchTo(target: u64): void {
  setPC(target);
  if (jitEnabled) noteTakenBranch(target);
}

function classify(insn: u32): u32 {
  if (insn == 0xD503201F) return C_NOP;
  if ((insn & 0x1F800000) == 0x11000000) return C_ADD_IMM;
  if ((insn & 0xFF000010) == 0x54000000) return C_B_COND;
  if ((insn & 0xFC000000) == 0x14000000) return C_B;
  if ((insn & 0xFC000000) == 0x94000000) return C_BL;
  if ((insn & 0x7E000000) == 0x34000000) return C_CBZ;
  // Load/store register, integer, opc 00 or 01 (stores and zero-extending loads).
  if ((insn & 0x3F800000) == 0x39000000) return C_LDST_UIMM;
  if ((insn & 0x3FA00400) == 0x38000400) return C_LDST_IMM9;
  if ((insn & 0x3FA00C00) == 0x38200800 && ((insn >> 13) & 2) != 0) return C_LDST_REG;
  if ((insn & 0x1F200000) == 0x0B000000 && ((insn >> 22) & 3) != 3 && ((insn >> 31) != 0 || ((insn >> 15) & 1) == 0)) return C_ADD_REG;
  if ((insn & 0x1F000000) == 0x0A000000 && ((insn >> 31) != 0 || ((insn >> 15) & 1) == 0)) return C_LOGIC_REG;
  if ((insn & 0x7F800000) == 0x52800000 && ((insn >> 31) != 0 || ((insn >> 22) & 1) == 0)) return C_MOVZ;
  if ((insn & 0x7FE00000) == 0x1B000000) return C_MADD;
  if ((insn & 0xFFFFFC1F) == 0xD65F0000) return C_RET;
  // LDP/STP of W (opc 00) or X (opc 10), modes post (01), offset (10), pre (11).
  if ((insn & 0x7E000000) == 0x28000000 && (insn >> 30) != 1 && (insn >> 30) != 3 && ((insn >> 23) & 3) != 0) return C_LDSTP;
  const op0 = (insn >> 25) & 15;
  if ((op0 & 0xE) == 0x8) return C_DP_IMM;
  if ((op0 & 0x7) == 0x5) return C_DP_REG;
  return C_GENERIC;
}

/** Executes the instruction at `addr` (already fetched as `insn`), decoding its class once. */
// @ts-ignore: decorator
@inline export function dispatch(insn: u32, addr: u64): void {
  const slot = decodeBase + ((addr >> 2) as usize);
  let cls = load<u8>(slot) as u32;
  if (cls == 0) {
    cls = classify(insn);
    store<u8>(slot, cls as u8);
  }
  switch (cls) {
    case C_NOP: return;
    case C_ADD_IMM: addSubImmediate(insn); return;
    case C_B_COND: {
      if (conditionHolds(insn & 15)) {
        const offset = ((((insn << 8) as i32) >> 13) as i64) << 2;
        if (offset == 0) requestWait(WAIT_SPIN);
        else if (insn == BNE_BACK_ONE && countdownLoop(addr)) return; // loops.ts
        branchTo(insnAddr + (offset as u64));
      }
      return;
    }
    case C_B: {
      const offset = ((((insn << 6) as i32) >> 6) as i64) << 2;
      if (offset == 0) requestWait(WAIT_SPIN);
      branchTo(insnAddr + (offset as u64));
      return;
    }
    case C_BL: {
      setX(30, insnAddr + 4);
      branchTo(insnAddr + (((((insn << 6) as i32) >> 6) as i64) << 2) as u64);
      return;
    }
    case C_CBZ: {
      const rt = insn & 31;
      const v = (insn >> 31) ? getX(rt) : (getW(rt) as u64);
      if ((v == 0) != (((insn >> 24) & 1) == 1)) branchTo(insnAddr + (((((insn << 8) as i32) >> 13) as i64) << 2) as u64);
      return;
    }
    case C_LDST_UIMM: {
      const size = insn >> 30;
      const rn = (insn >> 5) & 31;
      if (rn == 31 && (load<u64>(spAddr) & 15) != 0) { execute(insn); return; } // SP alignment check
      loadStore(insn, getXsp(rn) + ((((insn >> 10) & 0xFFF) as u64) << (size as u64)));
      return;
    }
    case C_LDST_IMM9: {
      const rn = (insn >> 5) & 31;
      if (rn == 31 && (load<u64>(spAddr) & 15) != 0) { execute(insn); return; }
      const base = getXsp(rn);
      const imm9 = ((((insn << 11) as i32) >> 23) as i64) as u64;
      const pre = ((insn >> 11) & 1) != 0;
      if (loadStore(insn, pre ? base + imm9 : base)) setXsp(rn, base + imm9);
      return;
    }
    case C_LDST_REG: {
      const size = insn >> 30;
      const rn = (insn >> 5) & 31;
      if (rn == 31 && (load<u64>(spAddr) & 15) != 0) { execute(insn); return; }
      const off = extendReg(getX((insn >> 16) & 31), (insn >> 13) & 7, ((insn >> 12) & 1) ? size : 0);
      loadStore(insn, getXsp(rn) + off);
      return;
    }
    case C_ADD_REG: addSubShifted(insn, insn >> 31, insn & 31, (insn >> 5) & 31, (insn >> 16) & 31); return;
    case C_LOGIC_REG: logicalShifted(insn, insn >> 31, insn & 31, (insn >> 5) & 31, (insn >> 16) & 31); return;
    case C_MOVZ: {
      const shift = (((insn >> 21) & 3) << 4) as u64;
      setX(insn & 31, (((insn >> 5) & 0xFFFF) as u64) << shift);
      return;
    }
    case C_MADD: {
      const rd = insn & 31, rn = (insn >> 5) & 31, rm = (insn >> 16) & 31, ra = (insn >> 10) & 31;
      const p = getX(rn) * getX(rm);
      let r = ((insn >> 15) & 1) ? getX(ra) - p : getX(ra) + p;
      if (!(insn >> 31)) r &= 0xFFFFFFFF;
      setX(rd, r);
      return;
    }
    case C_RET: branchTo(getX((insn >> 5) & 31)); return;
    case C_LDSTP: loadStorePair(insn); return;
    case C_DP_IMM: executeDataProcessingImmediate(insn); return;
    case C_DP_REG: executeDataProcessingRegister(insn); return;
    case C_JIT: if (!runCompiled(addr)) execute(insn); return;
    default: execute(insn); return;
  }
}

/** A store or zero-extending load (opc 00 or 01) at `addr`; returns false after a data abort. */
// @ts-ignore: decorator
@inline function loadStore(insn: u32, addr: u64): bool {
  const bytes: u32 = 1 << (insn >> 30);
  const rt = insn & 31;
  if ((insn >> 22) & 1) {
    const v = busReadTlb(addr, bytes);
    if (busFault) { dataAbort(addr, false); return false; }
    setX(rt, v);
  } else {
    busWriteTlb(addr, bytes, getX(rt));
    if (busFault) { dataAbort(addr, true); return false; }
  }
  return true;
}

/**
 * Guest bytes [addr, addr + len) were written where code was decoded or compiled (a
 * store, or the host loaded an image): forget their classes and the regions there.
 */
export function codeWritten(addr: u64, len: u64): void {
  if (len == 0) return;
  const first = addr >> 2, last = (addr + len - 1) >> 2;
  clearClasses(decodeBase + (first as usize), (last - first + 1) as usize);
  jitCodeWritten(addr, len);
}

/**
 * Zeroes the class bytes [p, p + n), page by page writing only the pages that hold a class.
 * The host loads whole images (Debian's kernel: 31 MB, 8 MB of class bytes): reading a page
 * never written maps the host kernel's zero page, where a fill would make every page of the
 * range resident (peak RSS). A store's few bytes are filled at once.
 */
function clearClasses(p: usize, n: usize): void {
  if (n <= 64) { memory.fill(p, 0, n); return; }
  const end = p + n;
  while (p < end) {
    const next = min(end, (p | 4095) + 1);
    // Aligned words around the range are read too (the decode cache has 16 bytes to spare after
    // it, soc/index.ts init): a class outside it only costs a fill that was not needed.
    let set = false;
    for (let q = p & ~7; q < next && !set; q += 8) set = load<u64>(q) != 0;
    if (set) memory.fill(p, 0, next - p);
    p = next;
  }
}

/**
 * A region translated the word at `addr`: give it a class, so that a store to it
 * (which tests for a non-zero class, interpreted or compiled) drops the region.
 */
export function markTranslated(addr: u64): void {
  const slot = decodeBase + ((addr >> 2) as usize);
  if (load<u8>(slot) == 0) store<u8>(slot, classify(load<u32>(RAM_BASE + (addr as usize))) as u8);
}
