// Branches, exception generating and system instructions, ARM ARM C4.1.93: op0 = 101x.

import {
  getX, setX, insnAddr, pc, setPC, currentEL, daif, setDAIF, setSpSel, conditionHolds,
} from "./state";
import {
  undefinedInstruction, dataAbort, takeException, syncException, exceptionReturn, syncTargetEL, EXC_SYNC, ESR_IL,
  ESR_EC_SVC64, ESR_EC_HVC64, ESR_EC_SMC64, ESR_EC_BRK64, ESR_EC_SYS64, ESR_EC_WFX, SCR_HCE, SCR_SMD,
} from "./exception";
import {
  sysregRead, sysregWrite, sysregOk, sysregTrap, slotGet, SLOT_SCR_EL3, SLOT_SCTLR_EL1,
  SCTLR_UMA, SCTLR_DZE, SCTLR_UCI, SCTLR_NTWI, SCTLR_NTWE, SYSREG_FPCR, SYSREG_FPSR,
} from "./sysreg";
import { fpControlAccess } from "./fpsimd";
import { interruptInputs } from "../machine/irqlines";
import { clearExclusive } from "./monitor";
import { requestWait, requestAttention, requestStop, sendEvent, WAIT_WFI, WAIT_WFE, WAIT_SPIN, eventRegister } from "./control";
import { coreId } from "./state";
import { semihostingCall, semihostingEnabled, SEMIHOSTING_HLT_IMM } from "../machine/semihosting";
import { STOP_HOSTCALL } from "../machine/info";
import { now } from "../machine/time";
import { streamEventSince, eventConsumed } from "./events";
import { busWrite, busFault } from "../machine/bus";
import { mmuSystem } from "./mmu";
import { timedLoop } from "./timed_loops";
import { jitEnabled, noteIndirectCall } from "./jit";
import { SYSREG_CNTPCT_EL0, SYSREG_CNTVCT_EL0 } from "./sysreg";

const hostCallBound = new StaticArray<u8>(8192);

/** Marks HLT #imm as a call into host code (a TypeScript function bound to a guest symbol). */
export function bindHostCall(imm: u32, bound: bool): void {
  const byte = (imm >> 3) & 8191;
  const bit = ((1 as u32) << (imm & 7)) as u8;
  if (bound) unchecked(hostCallBound[byte] |= bit);
  else unchecked(hostCallBound[byte] &= ~bit);
}

function isHostCall(imm: u32): bool {
  return ((unchecked(hostCallBound[imm >> 3]) as u32) & (1 << (imm & 7))) != 0;
}

export function executeBranchSystem(insn: u32): void {
  if ((insn >> 24) == 0x54) { // B.cond first: the most frequent branch in compiled loops
    if ((insn >> 4) & 1) { undefinedInstruction(); return; }
    if (conditionHolds(insn & 15)) {
      const offset = ((((insn << 8) as i32) >> 13) as i64) << 2;
      if (offset == 0) requestWait(WAIT_SPIN);
      setPC(insnAddr + (offset as u64));
    }
    return;
  }
  const top = insn >> 26;
  // B / BL: bits 30:26 = 00101
  if ((top & 0x1F) == 5) {
    const offset = ((((insn << 6) as i32) >> 6) as i64) << 2;
    if (insn >> 31) setX(30, insnAddr + 4);
    else if (offset == 0) requestWait(WAIT_SPIN);
    setPC(insnAddr + (offset as u64));
    return;
  }
  const op25 = (insn >> 25) & 0x3F; // bits 30:25
  if (op25 == 0x1A) { // CBZ/CBNZ
    const rt = insn & 31;
    const v = (insn >> 31) ? getX(rt) : (getX(rt) & 0xFFFFFFFF);
    const nz = (insn >> 24) & 1;
    if ((v == 0) != (nz == 1)) setPC(insnAddr + (((((insn << 8) as i32) >> 13) as i64) << 2) as u64);
    return;
  }
  if (op25 == 0x1B) { // TBZ/TBNZ
    const rt = insn & 31;
    const bit = ((insn >> 31) << 5) | ((insn >> 19) & 31);
    const set = (getX(rt) >> (bit as u64)) & 1;
    const nz = (insn >> 24) & 1;
    if ((set as u32) == nz) setPC(insnAddr + (((((insn << 13) as i32) >> 18) as i64) << 2) as u64);
    return;
  }
  const hi8 = insn >> 24;
  if (hi8 == 0xD4) { exceptionGeneration(insn); return; }
  if ((insn >> 22) == 0x354) { system(insn); return; }
  if ((insn >> 25) == 0x6B) { branchRegister(insn); return; }
  undefinedInstruction();
}

// C4.1.93.x Exception generation: SVC, HVC, SMC, BRK, HLT.
function exceptionGeneration(insn: u32): void {
  const opc = (insn >> 21) & 7;
  const imm16 = (insn >> 5) & 0xFFFF;
  const ll = insn & 3;
  if (((insn >> 2) & 7) != 0) { undefinedInstruction(); return; }
  if (opc == 0) {
    if (ll == 1) { // SVC: preferred return is the next instruction (ARM ARM D1.10.5)
      takeException(syncTargetEL(), EXC_SYNC, (ESR_EC_SVC64 << 26) | ESR_IL | imm16, pc, 0, false);
      return;
    }
    if (ll == 2) { // HVC: UNDEFINED at EL0, and at EL1+ when SCR_EL3.HCE is 0
      if (currentEL == 0 || (slotGet(SLOT_SCR_EL3) & SCR_HCE) == 0) { undefinedInstruction(); return; }
      const target: u32 = currentEL == 3 ? 3 : 2;
      takeException(target, EXC_SYNC, (ESR_EC_HVC64 << 26) | ESR_IL | imm16, pc, 0, false);
      return;
    }
    if (ll == 3) { // SMC: UNDEFINED at EL0 and when SCR_EL3.SMD disables it
      if (currentEL == 0 || (slotGet(SLOT_SCR_EL3) & SCR_SMD) != 0) { undefinedInstruction(); return; }
      takeException(3, EXC_SYNC, (ESR_EC_SMC64 << 26) | ESR_IL | imm16, pc, 0, false);
      return;
    }
  } else if (opc == 1 && ll == 0) { // BRK: preferred return is the BRK itself
    syncException(ESR_EC_BRK64, imm16);
    return;
  } else if (opc == 2 && ll == 0) { // HLT
    if (imm16 == SEMIHOSTING_HLT_IMM && semihostingEnabled) { semihostingCall(); return; }
    if (isHostCall(imm16)) { requestStop(STOP_HOSTCALL, imm16 as u64); return; }
    undefinedInstruction(); // HLT without halting debug is UNDEFINED
    return;
  }
  undefinedInstruction();
}

// C5.2 System instructions: hints, barriers, PSTATE, SYS, MRS/MSR.
function system(insn: u32): void {
  const l = (insn >> 21) & 1;
  const op0 = (insn >> 19) & 3;
  const op1 = (insn >> 16) & 7;
  const crn = (insn >> 12) & 15;
  const crm = (insn >> 8) & 15;
  const op2 = (insn >> 5) & 7;
  const rt = insn & 31;
  if (op0 == 0) {
    if (l) { undefinedInstruction(); return; }
    if (crn == 2 && op1 == 3 && rt == 31) { hint((crm << 3) | op2); return; }
    if (crn == 3 && op1 == 3 && rt == 31) {
      if (op2 == 2) { clearExclusive(); return; }         // CLREX
      if (op2 >= 4 && op2 <= 6) return;                   // DSB, DMB, ISB: in-order core, no effect
      undefinedInstruction(); return;
    }
    if (crn == 4 && rt == 31) { msrImmediate(op1, op2, crm); return; }
    undefinedInstruction();
    return;
  }
  if (op0 == 1) {
    // SYS/SYSL: cache maintenance, address translation, TLB maintenance.
    if (l) { undefinedInstruction(); return; }
    if (currentEL == 0) {
      // EL0 has DC ZVA (SCTLR_EL1.DZE) and the by-VA maintenance to PoU/PoC (SCTLR_EL1.UCI);
      // every other SYS encoding is UNDEFINED there (ARM ARM C5.3, D1.14.3).
      const isZva = op1 == 3 && crn == 7 && crm == 4 && op2 == 1;
      const isUci = op1 == 3 && crn == 7 && op2 == 1 && (crm == 5 || crm == 10 || crm == 11 || crm == 14); // IC IVAU, DC CVAC/CVAU/CIVAC
      if (!isZva && !isUci) { undefinedInstruction(); return; }
      if ((slotGet(SLOT_SCTLR_EL1) & (isZva ? SCTLR_DZE : SCTLR_UCI)) == 0) { systemAccessTrap(insn); return; }
    }
    if ((op1 == 4 || op1 == 5) && currentEL < 2 || op1 == 6 && currentEL < 3) { undefinedInstruction(); return; }
    if (op1 == 3 && crn == 7 && crm == 4 && op2 == 1) { // DC ZVA: zero a 64-byte block, translated
      const base = getX(rt) & ~(63 as u64);
      for (let i: u64 = 0; i < 64; i += 8) {
        busWrite(base + i, 8, 0);
        if (busFault) { dataAbort(base + i, true); return; }
      }
      return;
    }
    if (mmuSystem(op1, crn, crm, op2, getX(rt))) return; // AT, TLBI (an AT may have taken an abort)
    return; // caches are not modelled: their maintenance is a no-op
  }
  const key = (insn >> 5) & 0xFFFF;
  if (key == SYSREG_FPCR || key == SYSREG_FPSR) { fpControlAccess(key, l, rt); return; }
  if (l) {
    if (key == SYSREG_CNTPCT_EL0 || key == SYSREG_CNTVCT_EL0) timedLoop(); // a loop waiting for the counter (timed_loops.ts)
    const v = sysregRead(key);
    if (!sysregOk) { if (sysregTrap) systemAccessTrap(insn); else undefinedInstruction(); return; }
    setX(rt, v);
  } else {
    sysregWrite(key, getX(rt));
    if (!sysregOk) { if (sysregTrap) systemAccessTrap(insn); else undefinedInstruction(); return; }
    requestAttention(); // DAIF, timers, routing may have changed what is deliverable
  }
}

/**
 * A trapped MSR, MRS or SYS (ESR EC 0x18, ARM ARM D17.2.37: ISS = Op0[21:20] Op2[19:17]
 * Op1[16:14] CRn[13:10] Rt[9:5] CRm[4:1] Direction[0], 1 for a read). The MSR (immediate)
 * forms report Op0 = 0 and Rt = 31, as their encoding has them.
 */
function systemAccessTrap(insn: u32): void {
  const op0 = (insn >> 19) & 3, op1 = (insn >> 16) & 7, crn = (insn >> 12) & 15;
  const crm = (insn >> 8) & 15, op2 = (insn >> 5) & 7, rt = insn & 31, l = (insn >> 21) & 1;
  syncException(ESR_EC_SYS64, (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | l);
}

/** ISS of a trapped WFI/WFE from AArch64: CV = 1, COND = 0xE (always), TI = 1 for WFE (ARM ARM D17.2.37). */
const ISS_WFX_CV_COND: u32 = (1 << 24) | (0xE << 20);

function hint(op: u32): void {
  switch (op) {
    case 2: { // WFE: wait unless the event register is set (ARM ARM D1.16.1)
      // The event register may also have been set by a timer event stream since the last WFE.
      if (unchecked(eventRegister[coreId]) || streamEventSince(coreId, now)) {
        unchecked(eventRegister[coreId] = false);
        eventConsumed(coreId, now);
        return;
      }
      // Only a WFE that would wait is trapped (pseudocode of WFE; QEMU never traps WFE: the board does).
      if (currentEL == 0 && (slotGet(SLOT_SCTLR_EL1) & SCTLR_NTWE) == 0) { syncException(ESR_EC_WFX, ISS_WFX_CV_COND | 1); return; }
      requestWait(WAIT_WFE);
      return;
    }
    case 3: // WFI: trapped at EL0 without SCTLR_EL1.nTWI, unless an interrupt is pending (it would not wait)
      if (currentEL == 0 && (slotGet(SLOT_SCTLR_EL1) & SCTLR_NTWI) == 0 && interruptInputs(coreId) == 0) {
        syncException(ESR_EC_WFX, ISS_WFX_CV_COND); return;
      }
      requestWait(WAIT_WFI); return;
    case 4: sendEvent(); return;                              // SEV
    case 5: unchecked(eventRegister[coreId] = true); return;  // SEVL
    default: return;                                          // NOP, YIELD and unallocated hints
  }
}

// C5.1.3 MSR (immediate): SPSel, DAIFSet, DAIFClr.
function msrImmediate(op1: u32, op2: u32, crm: u32): void {
  if (op1 == 0 && op2 == 5) { // SPSel
    if (currentEL == 0) { undefinedInstruction(); return; }
    setSpSel(crm & 1);
    return;
  }
  if (op1 == 3 && (op2 == 6 || op2 == 7)) { // DAIFSet / DAIFClr
    // At EL0 these need SCTLR_EL1.UMA, else they trap to EL1 (ARM ARM D1.14.3).
    if (currentEL == 0 && (slotGet(SLOT_SCTLR_EL1) & SCTLR_UMA) == 0) { systemAccessTrap(0xD500401F | (op1 << 16) | (crm << 8) | (op2 << 5)); return; }
    const bits = (crm & 15) << 6;
    setDAIF(op2 == 6 ? daif | bits : daif & ~bits);
    requestAttention();
    return;
  }
  undefinedInstruction();
}

// C4.1.93.x Unconditional branch (register): BR, BLR, RET, ERET.
function branchRegister(insn: u32): void {
  const opc = (insn >> 21) & 15;
  const rn = (insn >> 5) & 31;
  if (((insn >> 16) & 31) != 31 || ((insn >> 10) & 0x3F) != 0 || (insn & 31) != 0) {
    undefinedInstruction(); return;
  }
  switch (opc) {
    case 0: setPC(getX(rn)); return;                                         // BR
    case 1: { const t = getX(rn); setX(30, insnAddr + 4); setPC(t); if (jitEnabled) noteIndirectCall(insnAddr, t); return; } // BLR
    case 2: setPC(getX(rn)); return;                                         // RET
    case 4: {                                                                // ERET
      if (rn != 31 || currentEL == 0) { undefinedInstruction(); return; }
      exceptionReturn();
      unchecked(eventRegister[coreId] = true); // an exception return sets the event register (ARM ARM D1.16.1)
      requestAttention();
      return;
    }
    default: undefinedInstruction();
  }
}

