// Loads and stores, ARM ARM C4.1.94: op0 = x1x0.
// Literal, exclusive and ordered, pair, and single register in every
// addressing mode. SIMD&FP forms (V=1) are in simd_ldst.ts, through the same
// bus accesses and fault checks.

import { getX, setX, getXsp, setXsp, insnAddr, currentEL, spAddr } from "./state";
import { extendReg } from "./alu";
import {
  undefinedInstruction, dataAbort, clearPendingFault, spAlignmentFault, syncTargetEL, takeException,
  EXC_SYNC, ESR_IL, ESR_EC_DABT_CUR, ESR_EC_DABT_LOW, ISS_WNR,
} from "./exception";
import { slotGet, SLOT_SCTLR_EL1, SLOT_SCTLR_EL2, SLOT_SCTLR_EL3 } from "./sysreg";
import { markExclusive, checkExclusive, hasReservation } from "./monitor";
import { executeSimdLoadStore } from "./simd_ldst";
import { busFault, busRead, busWrite } from "../machine/bus";
import { readPhys, translateData, unprivilegedRead, unprivilegedWrite, NO_PA } from "./mmu";

/** Alignment fault status code (ISS.DFSC), ARM ARM D17.2.37. */
const FSC_ALIGNMENT: u32 = 0x21;

function alignmentFault(addr: u64, isWrite: bool): void {
  clearPendingFault();
  const target = syncTargetEL();
  const ec = target == currentEL ? ESR_EC_DABT_CUR : ESR_EC_DABT_LOW;
  takeException(target, EXC_SYNC, (ec << 26) | ESR_IL | FSC_ALIGNMENT | (isWrite ? ISS_WNR : 0), insnAddr, addr, true);
}

/** SCTLR_ELx.SA (SA0 at EL0): SP must be 16-byte aligned when used as a base (ARM ARM D1.8.2). */
export function spMisaligned(): bool {
  const sp = load<u64>(spAddr);
  if ((sp & 15) == 0) return false;
  let bit: u64;
  if (currentEL == 0) bit = slotGet(SLOT_SCTLR_EL1) & 16;
  else if (currentEL == 1) bit = slotGet(SLOT_SCTLR_EL1) & 8;
  else if (currentEL == 2) bit = slotGet(SLOT_SCTLR_EL2) & 8;
  else bit = slotGet(SLOT_SCTLR_EL3) & 8;
  return bit != 0;
}

export function executeLoadStore(insn: u32): void {
  const op = (insn >> 27) & 7; // bits 29:27
  if ((insn >> 26) & 1) { executeSimdLoadStore(insn); return; } // SIMD&FP registers: simd_ldst.ts
  if (op == 3) { loadLiteral(insn); return; }
  if (op == 1) { if (((insn >> 24) & 3) == 0) { loadStoreExclusive(insn); return; } undefinedInstruction(); return; }
  if (op == 5) { loadStorePair(insn); return; }
  if (op == 7) { loadStoreRegister(insn); return; }
  undefinedInstruction();
}

// C6.2.132 LDR (literal), LDRSW (literal), PRFM (literal).
function loadLiteral(insn: u32): void {
  const opc = insn >> 30;
  const rt = insn & 31;
  const offset = ((((insn << 8) as i32) >> 13) as i64) << 2; // imm19 * 4
  const addr = insnAddr + (offset as u64);
  if (opc == 3) return; // PRFM: a hint
  let v: u64;
  if (opc == 0) v = busRead(addr, 4);
  else if (opc == 1) v = busRead(addr, 8);
  else v = ((busRead(addr, 4) as i32) as i64) as u64;
  if (busFault) { dataAbort(addr, false); return; }
  setX(rt, v);
}

// C4.1.94.x Load/store exclusive and load-acquire/store-release.
function loadStoreExclusive(insn: u32): void {
  const size = insn >> 30;
  const o2 = (insn >> 23) & 1;
  const l = (insn >> 22) & 1;
  const o1 = (insn >> 21) & 1;
  const rs = (insn >> 16) & 31;
  const o0 = (insn >> 15) & 1;
  const rt2 = (insn >> 10) & 31;
  const rn = (insn >> 5) & 31;
  const rt = insn & 31;
  if (rn == 31 && spMisaligned()) { spAlignmentFault(); return; }
  const addr = getXsp(rn);
  const bytes: u32 = 1 << size;
  if (o2 == 1) {
    // LDAR/STLR (o0 = 1). o0 = 0 is the ARMv8.1 LORegion form; o1 = 1 is CAS (ARMv8.1).
    if (o1 == 1 || o0 == 0) { undefinedInstruction(); return; }
    if ((addr & ((bytes - 1) as u64)) != 0) { alignmentFault(addr, l == 0); return; }
    if (l) {
      const v = busRead(addr, bytes);
      if (busFault) { dataAbort(addr, false); return; }
      setX(rt, v);
    } else {
      busWrite(addr, bytes, getX(rt));
      if (busFault) dataAbort(addr, true);
    }
    return;
  }
  const pair = o1 == 1;
  if (pair && size < 2) { undefinedInstruction(); return; }
  const total: u32 = pair ? bytes * 2 : bytes;
  if ((addr & ((total - 1) as u64)) != 0) { alignmentFault(addr, l == 0); return; }
  if (l) {
    const v = busRead(addr, bytes);
    if (busFault) { dataAbort(addr, false); return; }
    const pa = readPhys(addr, bytes); // the monitor is physical
    let v2: u64 = 0;
    if (pair) {
      v2 = busRead(addr + bytes, bytes);
      if (busFault) { dataAbort(addr + bytes, false); return; }
    }
    markExclusive(pa);
    setX(rt, v);
    if (pair) setX(rt2, v2);
  } else {
    // Without a reservation the store fails with no access; with one, its translation (and its
    // fault) comes first: the monitor is physical.
    let pa = NO_PA;
    if (hasReservation()) {
      pa = translateData(addr, bytes, true);
      if (pa == NO_PA) { dataAbort(addr, true); return; }
    }
    if (pa != NO_PA && checkExclusive(pa)) {
      busWrite(addr, bytes, getX(rt));
      if (busFault) { dataAbort(addr, true); return; }
      if (pair) {
        busWrite(addr + bytes, bytes, getX(rt2));
        if (busFault) { dataAbort(addr + bytes, true); return; }
      }
      setX(rs, 0);
    } else {
      setX(rs, 1);
    }
  }
}

// C6.2.129 LDP/STP/LDPSW/LDNP/STNP in offset, pre- and post-index forms.
// @ts-ignore: decorator
@inline export function loadStorePair(insn: u32): void {
  const opc = insn >> 30;
  const mode = (insn >> 23) & 3; // 0 no-allocate offset, 1 post, 2 offset, 3 pre
  const l = (insn >> 22) & 1;
  const rt2 = (insn >> 10) & 31;
  const rn = (insn >> 5) & 31;
  const rt = insn & 31;
  if (opc == 3 || (opc == 1 && (l == 0 || mode == 0))) { undefinedInstruction(); return; }
  const signed = opc == 1;
  const scale: u32 = opc == 2 ? 3 : 2;
  const bytes: u32 = 1 << scale;
  const imm = ((((insn << 10) as i32) >> 25) as i64) << scale; // imm7 scaled
  if (rn == 31 && spMisaligned()) { spAlignmentFault(); return; }
  const base = getXsp(rn);
  const addr = mode == 1 ? base : base + (imm as u64);
  if (l) {
    let a = busRead(addr, bytes);
    if (busFault) { dataAbort(addr, false); return; }
    let b = busRead(addr + bytes, bytes);
    if (busFault) { dataAbort(addr + bytes, false); return; }
    if (signed) { a = ((a as i32) as i64) as u64; b = ((b as i32) as i64) as u64; }
    setX(rt, a);
    setX(rt2, b);
  } else {
    const a = getX(rt), b = getX(rt2);
    busWrite(addr, bytes, a);
    if (busFault) { dataAbort(addr, true); return; }
    busWrite(addr + bytes, bytes, b);
    if (busFault) { dataAbort(addr + bytes, true); return; }
  }
  if (mode == 1 || mode == 3) setXsp(rn, base + (imm as u64));
}

// C4.1.94 Load/store register: unsigned offset, unscaled, pre/post-index,
// unprivileged and register offset.
function loadStoreRegister(insn: u32): void {
  const size = insn >> 30;
  const opc = (insn >> 22) & 3;
  const rn = (insn >> 5) & 31;
  const rt = insn & 31;
  let addr: u64;
  let writeback = false;
  let wbValue: u64 = 0;
  let unprivileged = false;
  if ((insn >> 24) & 1) {
    // Unsigned immediate offset, imm12 scaled by the access size.
    if (rn == 31 && spMisaligned()) { spAlignmentFault(); return; }
    addr = getXsp(rn) + ((((insn >> 10) & 0xFFF) as u64) << (size as u64));
  } else if ((insn >> 21) & 1) {
    if (((insn >> 10) & 3) != 2) { undefinedInstruction(); return; } // atomics (ARMv8.1)
    const option = (insn >> 13) & 7;
    if ((option & 2) == 0) { undefinedInstruction(); return; }
    const s = (insn >> 12) & 1;
    if (rn == 31 && spMisaligned()) { spAlignmentFault(); return; }
    addr = getXsp(rn) + extendReg(getX((insn >> 16) & 31), option, s ? size : 0);
  } else {
    const imm9 = ((((insn << 11) as i32) >> 23) as i64) as u64;
    const mode = (insn >> 10) & 3; // 0 unscaled, 1 post, 2 unprivileged, 3 pre
    unprivileged = mode == 2;
    if (rn == 31 && spMisaligned()) { spAlignmentFault(); return; }
    const base = getXsp(rn);
    addr = mode == 1 ? base : base + imm9;
    if (mode == 1 || mode == 3) { writeback = true; wbValue = base + imm9; }
  }
  const bytes: u32 = 1 << size;
  if (opc == 0) {
    if (unprivileged) unprivilegedWrite(addr, bytes, getX(rt));
    else busWrite(addr, bytes, getX(rt));
    if (busFault) { dataAbort(addr, true); return; }
  } else {
    if (opc >= 2) {
      if (size == 3) {
        if (opc == 2) { if (writeback) { undefinedInstruction(); return; } return; } // PRFM / PRFUM
        undefinedInstruction(); return;
      }
      if (size == 2 && opc == 3) { undefinedInstruction(); return; }
    }
    let v = unprivileged ? unprivilegedRead(addr, bytes) : busRead(addr, bytes);
    if (busFault) { dataAbort(addr, false); return; }
    if (opc >= 2) {
      // Sign-extend to 64 bits (opc 2) or to 32 bits, zeroing the top (opc 3).
      if (size == 0) v = ((v as i8) as i64) as u64;
      else if (size == 1) v = ((v as i16) as i64) as u64;
      else v = ((v as i32) as i64) as u64;
      if (opc == 3) v &= 0xFFFFFFFF;
    }
    setX(rt, v);
  }
  if (writeback) setXsp(rn, wbValue);
}

/**
 * ISS[24:14] of a data abort on the load or store `insn` (ARM ARM D17.2.37: ISV, SAS, SSE, SRT,
 * SF, AR): single-register forms without writeback (literal, unsigned offset, unscaled,
 * unprivileged, register offset) and load-acquire/store-release; 0 (ISV = 0) for the others.
 */
export function instructionSyndrome(insn: u32): u32 {
  const size = insn >> 30;
  const rt = insn & 31;
  let signed = false, sf = false, ar = false, sas: u32 = size;
  if ((insn & 0x3B000000) == 0x18000000) { // literal
    if (((insn >> 26) & 1) != 0) return 0;
    const opc = insn >> 30;
    if (opc == 3) return 0;
    sas = opc == 1 ? 3 : 2;
    signed = opc == 2;
    sf = opc != 0;
  } else if ((insn & 0x3F000000) == 0x08000000) { // exclusive / ordered
    if (((insn >> 23) & 1) == 0 || ((insn >> 21) & 1) != 0) return 0; // only LDAR/STLR
    ar = true;
    sf = size == 3;
  } else if ((insn & 0x3B000000) == 0x39000000 || (insn & 0x3B200C00) == 0x38000000 || (insn & 0x3B200C00) == 0x38000800 || (insn & 0x3B200C00) == 0x38200800) {
    if (((insn >> 26) & 1) != 0) return 0; // SIMD&FP
    const opc = (insn >> 22) & 3;
    if (opc >= 2) {
      if (size == 3) return 0; // PRFM
      signed = true;
      sf = (opc & 1) == 0;
    } else {
      sf = size == 3;
    }
  } else {
    return 0;
  }
  return (1 << 24) | (sas << 22) | (signed ? 1 << 21 : 0) | (rt << 16) | (sf ? 1 << 15 : 0) | (ar ? 1 << 14 : 0);
}
