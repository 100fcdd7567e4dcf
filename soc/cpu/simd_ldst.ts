// SIMD&FP loads and stores (ARM ARM C4.1.94 with V = 1, C3.2.x):
// LDR/STR (immediate, register, literal) of B/H/S/D/Q, LDP/STP/LDNP/STNP of S/D/Q,
// LD1-LD4/ST1-ST4 (multiple structures), LD1-LD4/ST1-ST4 (single structure) and
// LD1R-LD4R, each with its post-index forms.
//
// Every access goes through memRead/memWrite below, the same bus calls and fault
// checks the integer loads and stores of ldst.ts make (so an address translation
// added there applies here too). A 16-byte access is two 8-byte ones. Loads gather
// into a buffer and write registers only when every access succeeded.

import { getX, getXsp, setXsp, insnAddr } from "./state";
import { extendReg } from "./alu";
import { undefinedInstruction, dataAbort, spAlignmentFault } from "./exception";
import { spMisaligned } from "./ldst";
import { busFault, busRead, busWrite } from "../machine/bus";
import { fpTrapped, vAddr, setV } from "./vreg";

// Set by memRead/memWrite when the access faulted (the abort is already taken).
let memFault: bool = false;

// @ts-ignore: decorator
@inline function memRead(addr: u64, bytes: u32): u64 {
  const v = busRead(addr, bytes);
  if (busFault) { dataAbort(addr, false); memFault = true; }
  return v;
}
// @ts-ignore: decorator
@inline function memWrite(addr: u64, bytes: u32, v: u64): void {
  busWrite(addr, bytes, v);
  if (busFault) { dataAbort(addr, true); memFault = true; }
}

// Up to four registers of data for the structure loads and stores.
const BUF: usize = memory.data(64, 16);

export function executeSimdLoadStore(insn: u32): void {
  memFault = false;
  const op = (insn >> 27) & 7; // bits 29:27
  if (op == 1 && (insn >> 31) == 0) {
    if ((insn >> 24) & 1) loadStoreSingle(insn); else loadStoreMultiple(insn);
    return;
  }
  if (op == 3) { loadLiteral(insn); return; }
  if (op == 5) { loadStorePair(insn); return; }
  if (op == 7) { loadStoreRegister(insn); return; }
  undefinedInstruction();
}

/** Reads `bytes` (1, 2, 4, 8 or 16) into Vt, zeroing the rest; stores the low `bytes` of Vt. */
function transfer(t: u32, addr: u64, bytes: u32, isLoad: bool): bool {
  const a = vAddr(t);
  if (isLoad) {
    if (bytes == 16) {
      const lo = memRead(addr, 8); if (memFault) return false;
      const hi = memRead(addr + 8, 8); if (memFault) return false;
      setV(t, lo, hi);
    } else {
      const v = memRead(addr, bytes); if (memFault) return false;
      setV(t, v, 0);
    }
  } else {
    if (bytes == 16) {
      memWrite(addr, 8, load<u64>(a)); if (memFault) return false;
      memWrite(addr + 8, 8, load<u64>(a, 8)); if (memFault) return false;
    } else {
      memWrite(addr, bytes, load<u64>(a)); if (memFault) return false;
    }
  }
  return true;
}

// C7.2.x LDR (literal, SIMD&FP): opc 00 S, 01 D, 10 Q.
function loadLiteral(insn: u32): void {
  const opc = insn >> 30;
  if (opc == 3) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const offset = ((((insn << 8) as i32) >> 13) as i64) << 2;
  const addr = insnAddr + (offset as u64);
  transfer(insn & 31, addr, 4 << opc, true);
}

// C7.2.x LDP/STP/LDNP/STNP (SIMD&FP): opc 00 S, 01 D, 10 Q.
function loadStorePair(insn: u32): void {
  const opc = insn >> 30;
  if (opc == 3) { undefinedInstruction(); return; }
  const mode = (insn >> 23) & 3; // 0 no-allocate offset, 1 post, 2 offset, 3 pre
  const l = (insn >> 22) & 1;
  const rt2 = (insn >> 10) & 31;
  const rn = (insn >> 5) & 31;
  const rt = insn & 31;
  if (fpTrapped()) return;
  const scale: u32 = 2 + opc;
  const bytes: u32 = 1 << scale;
  const imm = ((((insn << 10) as i32) >> 25) as i64) << scale;
  if (rn == 31 && spMisaligned()) { spAlignmentFault(); return; }
  const base = getXsp(rn);
  const addr = mode == 1 ? base : base + (imm as u64);
  if (l) {
    // Gather both before writing either register.
    let a0: u64, a1: u64 = 0, b0: u64, b1: u64 = 0;
    if (bytes == 16) {
      a0 = memRead(addr, 8); if (memFault) return;
      a1 = memRead(addr + 8, 8); if (memFault) return;
      b0 = memRead(addr + 16, 8); if (memFault) return;
      b1 = memRead(addr + 24, 8); if (memFault) return;
    } else {
      a0 = memRead(addr, bytes); if (memFault) return;
      b0 = memRead(addr + bytes, bytes); if (memFault) return;
    }
    setV(rt, a0, a1);
    setV(rt2, b0, b1);
  } else {
    if (!transfer(rt, addr, bytes, false)) return;
    if (!transfer(rt2, addr + bytes, bytes, false)) return;
  }
  if (mode == 1 || mode == 3) setXsp(rn, base + (imm as u64));
}

// C7.2.x LDR/STR/LDUR/STUR (SIMD&FP): immediate (unsigned offset, unscaled, pre/post-index)
// and register offset. size:opc<1> picks B, H, S, D or Q (size 00, opc 1x).
function loadStoreRegister(insn: u32): void {
  const size = insn >> 30;
  const opc = (insn >> 22) & 3;
  const rn = (insn >> 5) & 31;
  const rt = insn & 31;
  if ((opc & 2) != 0 && size != 0) { undefinedInstruction(); return; }
  const scale: u32 = (opc & 2) != 0 ? 4 : size;
  const isLoad = (opc & 1) != 0;
  let addr: u64;
  let writeback = false;
  let wbValue: u64 = 0;
  if ((insn >> 24) & 1) {
    if (fpTrapped()) return;
    if (rn == 31 && spMisaligned()) { spAlignmentFault(); return; }
    addr = getXsp(rn) + ((((insn >> 10) & 0xFFF) as u64) << (scale as u64));
  } else if ((insn >> 21) & 1) {
    if (((insn >> 10) & 3) != 2) { undefinedInstruction(); return; }
    const option = (insn >> 13) & 7;
    if ((option & 2) == 0) { undefinedInstruction(); return; }
    if (fpTrapped()) return;
    const s = (insn >> 12) & 1;
    if (rn == 31 && spMisaligned()) { spAlignmentFault(); return; }
    addr = getXsp(rn) + extendReg(getX((insn >> 16) & 31), option, s ? scale : 0);
  } else {
    const mode = (insn >> 10) & 3; // 0 unscaled, 1 post, 2 (unprivileged: no SIMD form), 3 pre
    if (mode == 2) { undefinedInstruction(); return; }
    if (fpTrapped()) return;
    const imm9 = ((((insn << 11) as i32) >> 23) as i64) as u64;
    if (rn == 31 && spMisaligned()) { spAlignmentFault(); return; }
    const base = getXsp(rn);
    addr = mode == 1 ? base : base + imm9;
    if (mode == 1 || mode == 3) { writeback = true; wbValue = base + imm9; }
  }
  if (!transfer(rt, addr, 1 << scale, isLoad)) return;
  if (writeback) setXsp(rn, wbValue);
}

// C3.2.x LD1-LD4/ST1-ST4 (multiple structures), with post-index.
function loadStoreMultiple(insn: u32): void {
  const q = (insn >> 30) & 1;
  const l = (insn >> 22) & 1;
  const post = (insn >> 23) & 1;
  const rm = (insn >> 16) & 31;
  const opcode = (insn >> 12) & 15;
  const size = (insn >> 10) & 3;
  const rn = (insn >> 5) & 31;
  const t = insn & 31;
  if (post == 0 && rm != 0) { undefinedInstruction(); return; }
  if ((insn >> 21) & 1) { undefinedInstruction(); return; }
  let rpt: u32, selem: u32;
  switch (opcode) {
    case 0x0: rpt = 1; selem = 4; break;
    case 0x2: rpt = 4; selem = 1; break;
    case 0x4: rpt = 1; selem = 3; break;
    case 0x6: rpt = 3; selem = 1; break;
    case 0x7: rpt = 1; selem = 1; break;
    case 0x8: rpt = 1; selem = 2; break;
    case 0xA: rpt = 2; selem = 1; break;
    default: undefinedInstruction(); return;
  }
  if (size == 3 && q == 0 && selem != 1) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  if (rn == 31 && spMisaligned()) { spAlignmentFault(); return; }
  const base = getXsp(rn);
  const ebytes: u32 = 1 << size;
  const elements: u32 = (q ? 16 : 8) >> size;
  const total: u32 = rpt * selem * elements * ebytes;
  // Register r (0..regs-1) element e lands at byte offset off(r, e) of memory:
  // offs runs over r (rpt), e, s (selem) in that nesting (ARM ARM LDx/STx pseudocode).
  const regs = rpt * selem;
  if (l) {
    for (let i: u32 = 0; i < total; i += 8) {
      const v = memRead(base + (i as u64), 8); if (memFault) return;
      store<u64>(BUF + (i as usize), v);
    }
    let offs: u32 = 0;
    for (let r: u32 = 0; r < rpt; r++) {
      for (let e: u32 = 0; e < elements; e++) {
        for (let s: u32 = 0; s < selem; s++) {
          memory.copy(scratchOf(r * selem + s) + ((e * ebytes) as usize), BUF + (offs as usize), ebytes);
          offs += ebytes;
        }
      }
    }
    for (let k: u32 = 0; k < regs; k++) {
      const src = scratchOf(k);
      setV((t + k) & 31, load<u64>(src), q ? load<u64>(src, 8) : 0);
    }
  } else {
    let offs: u32 = 0;
    for (let r: u32 = 0; r < rpt; r++) {
      for (let e: u32 = 0; e < elements; e++) {
        for (let s: u32 = 0; s < selem; s++) {
          const reg = (t + r + s) & 31;
          memory.copy(BUF + (offs as usize), vAddr(reg) + ((e * ebytes) as usize), ebytes);
          offs += ebytes;
        }
      }
    }
    for (let i: u32 = 0; i < total; i += 8) {
      memWrite(base + (i as u64), 8, load<u64>(BUF + (i as usize))); if (memFault) return;
    }
  }
  if (post) setXsp(rn, base + (rm == 31 ? (total as u64) : getX(rm)));
}

// Per-register staging for multiple-structure loads: 4 registers x 16 bytes.
const STAGE: usize = memory.data(64, 16);
// @ts-ignore: decorator
@inline function scratchOf(k: u32): usize { return STAGE + ((k as usize) << 4); }

// C3.2.x LD1-LD4/ST1-ST4 (single structure) and LD1R-LD4R, with post-index.
function loadStoreSingle(insn: u32): void {
  const q = (insn >> 30) & 1;
  const l = (insn >> 22) & 1;
  const post = (insn >> 23) & 1;
  const r = (insn >> 21) & 1;
  const rm = (insn >> 16) & 31;
  const opcode = (insn >> 13) & 7;
  const sbit = (insn >> 12) & 1;
  const size = (insn >> 10) & 3;
  const rn = (insn >> 5) & 31;
  const t = insn & 31;
  if (post == 0 && rm != 0) { undefinedInstruction(); return; }
  let scale = opcode >> 1;
  const selem: u32 = (((opcode & 1) << 1) | r) + 1;
  let replicate = false;
  let index: u32 = 0;
  switch (scale) {
    case 3:
      if (l == 0 || sbit != 0) { undefinedInstruction(); return; }
      scale = size; replicate = true; break;
    case 0: index = (q << 3) | (sbit << 2) | size; break;
    case 1:
      if ((size & 1) != 0) { undefinedInstruction(); return; }
      index = (q << 2) | (sbit << 1) | (size >> 1); break;
    default:
      if ((size & 2) != 0) { undefinedInstruction(); return; }
      if ((size & 1) == 0) index = (q << 1) | sbit;
      else {
        if (sbit != 0) { undefinedInstruction(); return; }
        index = q; scale = 3;
      }
      break;
  }
  if (fpTrapped()) return;
  if (rn == 31 && spMisaligned()) { spAlignmentFault(); return; }
  const base = getXsp(rn);
  const ebytes: u32 = 1 << scale;
  if (l) {
    const vals = BUF;
    for (let s: u32 = 0; s < selem; s++) {
      const v = memRead(base + ((s * ebytes) as u64), ebytes); if (memFault) return;
      store<u64>(vals + ((s as usize) << 3), v);
    }
    for (let s: u32 = 0; s < selem; s++) {
      const reg = (t + s) & 31;
      const v = load<u64>(vals + ((s as usize) << 3));
      if (replicate) {
        let rep: u64 = v;
        if (scale == 0) rep = (v & 0xFF) * 0x0101010101010101;
        else if (scale == 1) rep = (v & 0xFFFF) * 0x0001000100010001;
        else if (scale == 2) rep = (v & 0xFFFFFFFF) * 0x0000000100000001;
        setV(reg, rep, q ? rep : 0);
      } else {
        const a = vAddr(reg) + ((index << scale) as usize);
        if (scale == 0) store<u8>(a, v as u8);
        else if (scale == 1) store<u16>(a, v as u16);
        else if (scale == 2) store<u32>(a, v as u32);
        else store<u64>(a, v);
      }
    }
  } else {
    for (let s: u32 = 0; s < selem; s++) {
      const reg = (t + s) & 31;
      const a = vAddr(reg) + ((index << scale) as usize);
      let v: u64;
      if (scale == 0) v = load<u8>(a) as u64;
      else if (scale == 1) v = load<u16>(a) as u64;
      else if (scale == 2) v = load<u32>(a) as u64;
      else v = load<u64>(a);
      memWrite(base + ((s * ebytes) as u64), ebytes, v); if (memFault) return;
    }
  }
  if (post) setXsp(rn, base + (rm == 31 ? ((selem * ebytes) as u64) : getX(rm)));
}
