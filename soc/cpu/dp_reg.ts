// Data processing (register), ARM ARM C4.1.95: op0 = x101.
// Logical and add/subtract (shifted/extended register), add/subtract with
// carry, conditional compare, conditional select, 1-, 2- and 3-source.

import { getX, setX, getXsp, setXsp, setFlags, setNZCV, conditionHolds, flagC } from "./state";
import { addWithCarry64, addWithCarry32, shiftReg64, shiftReg32, extendReg } from "./alu";
import { undefinedInstruction } from "./exception";

export function executeDataProcessingRegister(insn: u32): void {
  const rd = insn & 31;
  const rn = (insn >> 5) & 31;
  const rm = (insn >> 16) & 31;
  const sf = insn >> 31;
  const op1 = (insn >> 28) & 1;
  const op2 = (insn >> 21) & 15;
  if (op1 == 0) {
    if ((op2 & 8) == 0) { logicalShifted(insn, sf, rd, rn, rm); return; }
    if ((op2 & 1) == 0) { addSubShifted(insn, sf, rd, rn, rm); return; }
    addSubExtended(insn, sf, rd, rn, rm);
    return;
  }
  if (op2 & 8) { dataProcessing3(insn, sf, rd, rn, rm); return; }
  switch (op2) {
    case 0: {
      if (((insn >> 10) & 0x3F) != 0) break;
      addSubCarry(insn, sf, rd, rn, rm);
      return;
    }
    case 2: conditionalCompare(insn, sf, rn, rm); return;
    case 4: conditionalSelect(insn, sf, rd, rn, rm); return;
    case 6: {
      if ((insn >> 29) & 1) break; // S must be 0
      if ((insn >> 30) & 1) dataProcessing1(insn, sf, rd, rn, rm);
      else dataProcessing2(insn, sf, rd, rn, rm);
      return;
    }
    default: break;
  }
  undefinedInstruction();
}

// C6.2.13 AND (shifted register) and its family.
// @ts-ignore: decorator
@inline export function logicalShifted(insn: u32, sf: u32, rd: u32, rn: u32, rm: u32): void {
  const imm6 = (insn >> 10) & 0x3F;
  if (!sf && imm6 >= 32) { undefinedInstruction(); return; }
  const shift = (insn >> 22) & 3;
  const invert = (insn >> 21) & 1;
  const opc = (insn >> 29) & 3;
  if (sf) {
    let b = shiftReg64(getX(rm), shift, imm6);
    if (invert) b = ~b;
    const a = getX(rn);
    let r: u64;
    if (opc == 1) r = a | b;
    else if (opc == 2) r = a ^ b;
    else r = a & b;
    if (opc == 3) setFlags((r >> 63) as u32, r == 0 ? 1 : 0, 0, 0);
    setX(rd, r);
  } else {
    let b = shiftReg32(getX(rm) as u32, shift, imm6);
    if (invert) b = ~b;
    const a = getX(rn) as u32;
    let r: u32;
    if (opc == 1) r = a | b;
    else if (opc == 2) r = a ^ b;
    else r = a & b;
    if (opc == 3) setFlags(r >> 31, r == 0 ? 1 : 0, 0, 0);
    setX(rd, r as u64);
  }
}

// C6.2.5 ADD (shifted register) and its family.
// @ts-ignore: decorator
@inline export function addSubShifted(insn: u32, sf: u32, rd: u32, rn: u32, rm: u32): void {
  const imm6 = (insn >> 10) & 0x3F;
  const shift = (insn >> 22) & 3;
  if (shift == 3 || (!sf && imm6 >= 32)) { undefinedInstruction(); return; }
  const sub = (insn >> 30) & 1;
  const s = ((insn >> 29) & 1) != 0;
  if (sf) {
    const b = shiftReg64(getX(rm), shift, imm6);
    setX(rd, sub ? addWithCarry64(getX(rn), ~b, 1, s) : addWithCarry64(getX(rn), b, 0, s));
  } else {
    const b = shiftReg32(getX(rm) as u32, shift, imm6);
    const a = getX(rn) as u32;
    setX(rd, (sub ? addWithCarry32(a, ~b, 1, s) : addWithCarry32(a, b, 0, s)) as u64);
  }
}

// C6.2.3 ADD (extended register) and its family; Rn and (without S) Rd may be SP.
function addSubExtended(insn: u32, sf: u32, rd: u32, rn: u32, rm: u32): void {
  const imm3 = (insn >> 10) & 7;
  if (imm3 > 4 || ((insn >> 22) & 3) != 0) { undefinedInstruction(); return; }
  const option = (insn >> 13) & 7;
  const sub = (insn >> 30) & 1;
  const s = ((insn >> 29) & 1) != 0;
  const b = extendReg(getX(rm), option, imm3);
  if (sf) {
    const r = sub ? addWithCarry64(getXsp(rn), ~b, 1, s) : addWithCarry64(getXsp(rn), b, 0, s);
    if (s) setX(rd, r); else setXsp(rd, r);
  } else {
    const a = getXsp(rn) as u32;
    const r = (sub ? addWithCarry32(a, ~(b as u32), 1, s) : addWithCarry32(a, b as u32, 0, s)) as u64;
    if (s) setX(rd, r); else setXsp(rd, r);
  }
}

// C6.2.1 ADC, ADCS, SBC, SBCS.
function addSubCarry(insn: u32, sf: u32, rd: u32, rn: u32, rm: u32): void {
  const sub = (insn >> 30) & 1;
  const s = ((insn >> 29) & 1) != 0;
  if (sf) {
    const b = sub ? ~getX(rm) : getX(rm);
    setX(rd, addWithCarry64(getX(rn), b, flagC, s));
  } else {
    const b = sub ? ~(getX(rm) as u32) : getX(rm) as u32;
    setX(rd, addWithCarry32(getX(rn) as u32, b, flagC, s) as u64);
  }
}

// C6.2.53 CCMN/CCMP (register and immediate).
function conditionalCompare(insn: u32, sf: u32, rn: u32, rm: u32): void {
  if (((insn >> 29) & 1) == 0 || ((insn >> 10) & 1) != 0 || ((insn >> 4) & 1) != 0) {
    undefinedInstruction(); return;
  }
  const cond = (insn >> 12) & 15;
  if (!conditionHolds(cond)) { setNZCV((insn & 15) << 28); return; }
  const sub = (insn >> 30) & 1;
  const useImm = (insn >> 11) & 1;
  if (sf) {
    const b: u64 = useImm ? (rm as u64) : getX(rm);
    if (sub) addWithCarry64(getX(rn), ~b, 1, true); else addWithCarry64(getX(rn), b, 0, true);
  } else {
    const b: u32 = useImm ? rm : getX(rm) as u32;
    if (sub) addWithCarry32(getX(rn) as u32, ~b, 1, true); else addWithCarry32(getX(rn) as u32, b, 0, true);
  }
}

// C6.2.69 CSEL, CSINC, CSINV, CSNEG.
function conditionalSelect(insn: u32, sf: u32, rd: u32, rn: u32, rm: u32): void {
  if (((insn >> 29) & 1) != 0 || ((insn >> 11) & 1) != 0) { undefinedInstruction(); return; }
  const cond = (insn >> 12) & 15;
  let r: u64;
  if (conditionHolds(cond)) {
    r = getX(rn);
  } else {
    r = getX(rm);
    const inv = (insn >> 30) & 1;
    const inc = (insn >> 10) & 1;
    if (inv) r = ~r;
    if (inc) r = r + 1;
  }
  if (!sf) r &= 0xFFFFFFFF;
  setX(rd, r);
}

// C4.1.95.8 Data-processing (3 source): MADD/MSUB/SMADDL/SMSUBL/SMULH/UMADDL/UMSUBL/UMULH.
function dataProcessing3(insn: u32, sf: u32, rd: u32, rn: u32, rm: u32): void {
  const op54 = (insn >> 29) & 3;
  const op31 = (insn >> 21) & 7;
  const o0 = (insn >> 15) & 1;
  const ra = (insn >> 10) & 31;
  if (op54 != 0) { undefinedInstruction(); return; }
  if (op31 == 0) {
    const p = getX(rn) * getX(rm);
    let r = o0 ? getX(ra) - p : getX(ra) + p;
    if (!sf) r &= 0xFFFFFFFF;
    setX(rd, r);
    return;
  }
  if (!sf) { undefinedInstruction(); return; }
  switch (op31) {
    case 1: { // SMADDL/SMSUBL
      const p = (((getX(rn) as i32) as i64) * ((getX(rm) as i32) as i64)) as u64;
      setX(rd, o0 ? getX(ra) - p : getX(ra) + p);
      return;
    }
    case 5: { // UMADDL/UMSUBL
      const p = (getX(rn) & 0xFFFFFFFF) * (getX(rm) & 0xFFFFFFFF);
      setX(rd, o0 ? getX(ra) - p : getX(ra) + p);
      return;
    }
    case 2: if (o0) break; setX(rd, mulHigh(getX(rn), getX(rm), true)); return;
    case 6: if (o0) break; setX(rd, mulHigh(getX(rn), getX(rm), false)); return;
    default: break;
  }
  undefinedInstruction();
}

/** High 64 bits of the 128-bit product (SMULH/UMULH). */
function mulHigh(a: u64, b: u64, signed: bool): u64 {
  const aLo = a & 0xFFFFFFFF, aHi = a >> 32;
  const bLo = b & 0xFFFFFFFF, bHi = b >> 32;
  const ll = aLo * bLo;
  const lh = aLo * bHi;
  const hl = aHi * bLo;
  const hh = aHi * bHi;
  const mid = (ll >> 32) + (lh & 0xFFFFFFFF) + (hl & 0xFFFFFFFF);
  let hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
  if (signed) {
    // Signed correction: subtract b when a < 0, a when b < 0 (two's complement high word).
    if ((a as i64) < 0) hi -= b;
    if ((b as i64) < 0) hi -= a;
  }
  return hi;
}

// C4.1.95.4 Data-processing (2 source): UDIV/SDIV/LSLV/LSRV/ASRV/RORV/CRC32*.
function dataProcessing2(insn: u32, sf: u32, rd: u32, rn: u32, rm: u32): void {
  const opcode = (insn >> 10) & 0x3F;
  if (sf) {
    const a = getX(rn), b = getX(rm);
    switch (opcode) {
      case 2: setX(rd, b == 0 ? 0 : a / b); return;
      case 3: {
        const sa = a as i64, sb = b as i64;
        // Division by zero gives 0; INT64_MIN / -1 wraps (wasm's div_s would trap).
        if (sb == 0) setX(rd, 0);
        else if (sb == -1) setX(rd, (0 - sa) as u64);
        else setX(rd, (sa / sb) as u64);
        return;
      }
      case 8: setX(rd, a << (b & 63)); return;
      case 9: setX(rd, a >> (b & 63)); return;
      case 10: setX(rd, ((a as i64) >> ((b & 63) as i64)) as u64); return;
      case 11: setX(rd, rotr<u64>(a, b & 63)); return;
      case 0x13: setX(rd, crc32(getX(rn) as u32, b, 8, false) as u64); return;
      case 0x17: setX(rd, crc32(getX(rn) as u32, b, 8, true) as u64); return;
      default: break;
    }
  } else {
    const a = getX(rn) as u32, b = getX(rm) as u32;
    switch (opcode) {
      case 2: setX(rd, (b == 0 ? 0 : a / b) as u64); return;
      case 3: {
        const sa = a as i32, sb = b as i32;
        let r: i32;
        if (sb == 0) r = 0;
        else if (sb == -1) r = 0 - sa;
        else r = sa / sb;
        setX(rd, (r as u32) as u64);
        return;
      }
      case 8: setX(rd, (a << (b & 31)) as u64); return;
      case 9: setX(rd, (a >> (b & 31)) as u64); return;
      case 10: setX(rd, (((a as i32) >> (b & 31)) as u32) as u64); return;
      case 11: setX(rd, rotr<u32>(a, b & 31) as u64); return;
      case 0x10: setX(rd, crc32(a, getX(rm), 1, false) as u64); return;
      case 0x11: setX(rd, crc32(a, getX(rm), 2, false) as u64); return;
      case 0x12: setX(rd, crc32(a, getX(rm), 4, false) as u64); return;
      case 0x14: setX(rd, crc32(a, getX(rm), 1, true) as u64); return;
      case 0x15: setX(rd, crc32(a, getX(rm), 2, true) as u64); return;
      case 0x16: setX(rd, crc32(a, getX(rm), 4, true) as u64); return;
      default: break;
    }
  }
  undefinedInstruction();
}

/** CRC32 / CRC32C over `bytes` bytes of `data` (bit-reflected, as the A64 CRC32 instructions). */
function crc32(acc: u32, data: u64, bytes: u32, castagnoli: bool): u32 {
  const poly: u32 = castagnoli ? 0x82F63B78 : 0xEDB88320;
  let crc = acc;
  for (let i: u32 = 0; i < bytes; i++) {
    crc ^= ((data >> ((i * 8) as u64)) & 0xFF) as u32;
    for (let k = 0; k < 8; k++) crc = (crc >> 1) ^ (poly & (0 - (crc & 1)));
  }
  return crc;
}

// C4.1.95.5 Data-processing (1 source): RBIT/REV16/REV32/REV/CLZ/CLS.
function dataProcessing1(insn: u32, sf: u32, rd: u32, rn: u32, rm: u32): void {
  const opcode = (insn >> 10) & 0x3F;
  if (rm != 0) { undefinedInstruction(); return; } // opcode2 must be 0
  if (sf) {
    const a = getX(rn);
    switch (opcode) {
      case 0: setX(rd, rbit64(a)); return;
      case 1: setX(rd, ((a & 0x00FF00FF00FF00FF) << 8) | ((a >> 8) & 0x00FF00FF00FF00FF)); return;
      case 2: {
        const lo = bswap<u32>(a as u32) as u64, hi = bswap<u32>((a >> 32) as u32) as u64;
        setX(rd, (hi << 32) | lo);
        return;
      }
      case 3: setX(rd, bswap<u64>(a)); return;
      case 4: setX(rd, clz<u64>(a)); return;
      case 5: setX(rd, clz<u64>(a ^ ((a as i64) >> 1) as u64) - 1); return;
      default: break;
    }
  } else {
    const a = getX(rn) as u32;
    switch (opcode) {
      case 0: setX(rd, (rbit64(a as u64) >> 32) as u64); return;
      case 1: setX(rd, (((a & 0x00FF00FF) << 8) | ((a >> 8) & 0x00FF00FF)) as u64); return;
      case 2: setX(rd, bswap<u32>(a) as u64); return;
      case 4: setX(rd, clz<u32>(a) as u64); return;
      case 5: setX(rd, (clz<u32>(a ^ (((a as i32) >> 1) as u32)) - 1) as u64); return;
      default: break;
    }
  }
  undefinedInstruction();
}

function rbit64(v: u64): u64 {
  v = ((v >> 1) & 0x5555555555555555) | ((v & 0x5555555555555555) << 1);
  v = ((v >> 2) & 0x3333333333333333) | ((v & 0x3333333333333333) << 2);
  v = ((v >> 4) & 0x0F0F0F0F0F0F0F0F) | ((v & 0x0F0F0F0F0F0F0F0F) << 4);
  return bswap<u64>(v);
}
