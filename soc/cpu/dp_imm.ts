// Data processing (immediate), ARM ARM C4.1.92: op0 = x100x.
// PC-relative addressing, add/subtract (immediate), logical (immediate),
// move wide (immediate), bitfield, extract.

import { getX, getW, setX, getXsp, setXsp, insnAddr, setFlags } from "./state";
import { addWithCarry64, addWithCarry32, decodeBitMasks, bmWmask, bmTmask } from "./alu";
import { undefinedInstruction } from "./exception";

export function executeDataProcessingImmediate(insn: u32): void {
  const rd = insn & 31;
  const rn = (insn >> 5) & 31;
  const sf = insn >> 31;
  switch ((insn >> 23) & 7) {
    case 0: case 1: { // ADR, ADRP (C6.2.10, C6.2.11)
      const immlo = (insn >> 29) & 3;
      const immhi = ((insn << 8) as i32) >> 13; // bits 23:5, sign-extended
      let imm: i64 = ((immhi as i64) << 2) | (immlo as i64);
      if (sf) { // ADRP
        setX(rd, (insnAddr & ~(0xFFF as u64)) + ((imm << 12) as u64));
      } else {
        setX(rd, insnAddr + (imm as u64));
      }
      return;
    }
    case 2: addSubImmediate(insn); return; // ADD/ADDS/SUB/SUBS (immediate), C6.2.4
    case 4: { // AND/ORR/EOR/ANDS (immediate), C6.2.12
      const n = (insn >> 22) & 1;
      if (!sf && n) { undefinedInstruction(); return; }
      if (!decodeBitMasks(n, (insn >> 10) & 0x3F, (insn >> 16) & 0x3F, true, sf ? 64 : 32)) {
        undefinedInstruction(); return;
      }
      const imm = bmWmask;
      const a = sf ? getX(rn) : (getX(rn) & 0xFFFFFFFF);
      let r: u64;
      switch ((insn >> 29) & 3) {
        case 0: r = a & imm; setXsp(rd, r); return;
        case 1: r = a | imm; setXsp(rd, r); return;
        case 2: r = a ^ imm; setXsp(rd, r); return;
        default: {
          r = a & imm;
          const neg = sf ? (r >> 63) as u32 : ((r >> 31) & 1) as u32;
          setFlags(neg, r == 0 ? 1 : 0, 0, 0);
          setX(rd, r);
          return;
        }
      }
    }
    case 5: { // MOVN/MOVZ/MOVK, C6.2.190-192
      const opc = (insn >> 29) & 3;
      const hw = (insn >> 21) & 3;
      if (opc == 1 || (!sf && hw >= 2)) { undefinedInstruction(); return; }
      const shift = (hw << 4) as u64;
      const imm = (((insn >> 5) & 0xFFFF) as u64) << shift;
      let r: u64;
      if (opc == 0) r = ~imm;
      else if (opc == 2) r = imm;
      else r = (getX(rd) & ~((0xFFFF as u64) << shift)) | imm;
      if (!sf) r &= 0xFFFFFFFF;
      setX(rd, r);
      return;
    }
    case 6: { // SBFM/BFM/UBFM, C6.2.236 ...
      const opc = (insn >> 29) & 3;
      const n = (insn >> 22) & 1;
      const immr = (insn >> 16) & 0x3F;
      const imms = (insn >> 10) & 0x3F;
      if (opc == 3 || n != sf || (!sf && ((immr | imms) & 0x20) != 0)) { undefinedInstruction(); return; }
      const datasize: u32 = sf ? 64 : 32;
      // Fast paths for the aliases gcc emits most (LSR/ASR/LSL by an immediate, UXTB/UXTH/UBFX
      // from bit 0); the general DecodeBitMasks route below gives the same results.
      if (opc != 1) {
        const top = datasize - 1;
        if (imms == top) { // LSR / ASR
          if (sf) setX(rd, opc == 2 ? getX(rn) >> (immr as u64) : ((getX(rn) as i64) >> (immr as i64)) as u64);
          else setX(rd, (opc == 2 ? getW(rn) >> immr : ((getW(rn) as i32) >> immr) as u32) as u64);
          return;
        }
        if (opc == 2 && imms + 1 == immr) { // LSL
          const sh = top - imms;
          if (sf) setX(rd, getX(rn) << (sh as u64)); else setX(rd, (getW(rn) << sh) as u64);
          return;
        }
        if (opc == 2 && immr == 0) { // UBFX #0 / UXTB / UXTH
          setX(rd, getX(rn) & (((2 as u64) << (imms as u64)) - 1));
          return;
        }
      }
      if (!decodeBitMasks(n, imms, immr, false, datasize)) { undefinedInstruction(); return; }
      const wmask = bmWmask, tmask = bmTmask;
      const src = sf ? getX(rn) : (getX(rn) & 0xFFFFFFFF);
      const dst: u64 = opc == 1 ? getX(rd) : 0;
      let rot: u64;
      if (sf) rot = rotr<u64>(src, immr as u64);
      else rot = rotr<u32>(src as u32, immr) as u64;
      const bot = (dst & ~wmask) | (rot & wmask);
      let top: u64 = dst;
      if (opc == 0) {
        const bit = (src >> (imms as u64)) & 1;
        top = bit ? 0xFFFFFFFFFFFFFFFF : 0;
      }
      let r = (top & ~tmask) | (bot & tmask);
      if (!sf) r &= 0xFFFFFFFF;
      setX(rd, r);
      return;
    }
    case 7: { // EXTR, C6.2.90
      const rm = (insn >> 16) & 31;
      const n = (insn >> 22) & 1;
      const lsb = (insn >> 10) & 0x3F;
      if (((insn >> 29) & 3) != 0 || ((insn >> 21) & 1) != 0 || n != sf || (!sf && lsb >= 32)) {
        undefinedInstruction(); return;
      }
      if (sf) {
        const hi = getX(rn), lo = getX(rm);
        setX(rd, lsb == 0 ? lo : (lo >> (lsb as u64)) | (hi << ((64 - lsb) as u64)));
      } else {
        const hi = getX(rn) as u32, lo = getX(rm) as u32;
        setX(rd, (lsb == 0 ? lo : (lo >> lsb) | (hi << (32 - lsb))) as u64);
      }
      return;
    }
    default:
      undefinedInstruction(); // add/subtract with tags (MTE) is not in a Cortex-A53
  }
}

/** ADD/ADDS/SUB/SUBS (immediate), C6.2.4: Rn and (without S) Rd may be SP. */
// @ts-ignore: decorator
@inline export function addSubImmediate(insn: u32): void {
  const rd = insn & 31;
  const rn = (insn >> 5) & 31;
  const op = (insn >> 30) & 1;
  const s = (insn >> 29) & 1;
  let imm: u64 = ((insn >> 10) & 0xFFF) as u64;
  if ((insn >> 22) & 1) imm <<= 12;
  if (insn >> 31) {
    const a = getXsp(rn);
    const r = op ? addWithCarry64(a, ~imm, 1, s != 0) : addWithCarry64(a, imm, 0, s != 0);
    if (s) setX(rd, r); else setXsp(rd, r);
  } else {
    const a = getXsp(rn) as u32;
    const r = op ? addWithCarry32(a, ~(imm as u32), 1, s != 0) : addWithCarry32(a, imm as u32, 0, s != 0);
    if (s) setX(rd, r as u64); else setXsp(rd, r as u64);
  }
}
