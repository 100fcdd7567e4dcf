// System registers reached by MRS/MSR (ARM ARM D17, "AArch64 System Register Descriptions").
//
// A register is named by its encoding op0:op1:CRn:CRm:op2, which is exactly
// bits [20:5] of the MRS/MSR instruction; SYSREG_* below are those 16-bit keys.
// Plain storage registers live in per-core slots (OFF_SYSREG); the rest
// (PSTATE views, banked SPs, the generic timer, ID registers) are computed.
// An encoding not listed here is UNDEFINED, as on a Cortex-A53 without it.

import { OFF_SYSREG } from "../machine/layout";
import {
  regBase, coreId, coreBase, currentEL, daif, spSel, getNZCV, setNZCV, setDAIF, setSpSel, getSP, setSP,
} from "./state";
import { readTimerReg, writeTimerReg, counterNow, CNTFRQ_HZ } from "../periph/generic_timer";
import { interruptInputs } from "../machine/irqlines";
import { idRegisterValue } from "./idregs";
import { debugRegRead, debugRegWrite, debugRegHandled } from "./debugregs";
import { mmuRegisterWritten } from "./mmu";
import { getFPCR, getFPSR, setFPCR, setFPSR } from "./fp";

// @ts-ignore: decorator
@inline function key(op0: u32, op1: u32, crn: u32, crm: u32, op2: u32): u32 {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

export const SYSREG_MIDR_EL1: u32 = (3 << 14) | (0 << 11) | (0 << 7) | (0 << 3) | 0;
export const SYSREG_MPIDR_EL1: u32 = (3 << 14) | (0 << 11) | (0 << 7) | (0 << 3) | 5;
export const SYSREG_SCTLR_EL1: u32 = (3 << 14) | (0 << 11) | (1 << 7) | (0 << 3) | 0;
export const SYSREG_SCTLR_EL2: u32 = (3 << 14) | (4 << 11) | (1 << 7) | (0 << 3) | 0;
export const SYSREG_SCTLR_EL3: u32 = (3 << 14) | (6 << 11) | (1 << 7) | (0 << 3) | 0;
export const SYSREG_HCR_EL2: u32 = (3 << 14) | (4 << 11) | (1 << 7) | (1 << 3) | 0;
export const SYSREG_SCR_EL3: u32 = (3 << 14) | (6 << 11) | (1 << 7) | (1 << 3) | 0;
export const SYSREG_SPSR_EL1: u32 = (3 << 14) | (0 << 11) | (4 << 7) | (0 << 3) | 0;
export const SYSREG_ELR_EL1: u32 = (3 << 14) | (0 << 11) | (4 << 7) | (0 << 3) | 1;
export const SYSREG_SPSR_EL2: u32 = (3 << 14) | (4 << 11) | (4 << 7) | (0 << 3) | 0;
export const SYSREG_ELR_EL2: u32 = (3 << 14) | (4 << 11) | (4 << 7) | (0 << 3) | 1;
export const SYSREG_SPSR_EL3: u32 = (3 << 14) | (6 << 11) | (4 << 7) | (0 << 3) | 0;
export const SYSREG_ELR_EL3: u32 = (3 << 14) | (6 << 11) | (4 << 7) | (0 << 3) | 1;
export const SYSREG_SP_EL0: u32 = (3 << 14) | (0 << 11) | (4 << 7) | (1 << 3) | 0;
export const SYSREG_SP_EL1: u32 = (3 << 14) | (4 << 11) | (4 << 7) | (1 << 3) | 0;
export const SYSREG_SP_EL2: u32 = (3 << 14) | (6 << 11) | (4 << 7) | (1 << 3) | 0;
export const SYSREG_SPSEL: u32 = (3 << 14) | (0 << 11) | (4 << 7) | (2 << 3) | 0;
export const SYSREG_CURRENTEL: u32 = (3 << 14) | (0 << 11) | (4 << 7) | (2 << 3) | 2;
export const SYSREG_DAIF: u32 = (3 << 14) | (3 << 11) | (4 << 7) | (2 << 3) | 1;
export const SYSREG_NZCV: u32 = (3 << 14) | (3 << 11) | (4 << 7) | (2 << 3) | 0;
export const SYSREG_ESR_EL1: u32 = (3 << 14) | (0 << 11) | (5 << 7) | (2 << 3) | 0;
export const SYSREG_ESR_EL2: u32 = (3 << 14) | (4 << 11) | (5 << 7) | (2 << 3) | 0;
export const SYSREG_ESR_EL3: u32 = (3 << 14) | (6 << 11) | (5 << 7) | (2 << 3) | 0;
export const SYSREG_FAR_EL1: u32 = (3 << 14) | (0 << 11) | (6 << 7) | (0 << 3) | 0;
export const SYSREG_FAR_EL2: u32 = (3 << 14) | (4 << 11) | (6 << 7) | (0 << 3) | 0;
export const SYSREG_FAR_EL3: u32 = (3 << 14) | (6 << 11) | (6 << 7) | (0 << 3) | 0;
export const SYSREG_VBAR_EL1: u32 = (3 << 14) | (0 << 11) | (12 << 7) | (0 << 3) | 0;
export const SYSREG_VBAR_EL2: u32 = (3 << 14) | (4 << 11) | (12 << 7) | (0 << 3) | 0;
export const SYSREG_VBAR_EL3: u32 = (3 << 14) | (6 << 11) | (12 << 7) | (0 << 3) | 0;
export const SYSREG_ISR_EL1: u32 = (3 << 14) | (0 << 11) | (12 << 7) | (1 << 3) | 0;
export const SYSREG_CNTFRQ_EL0: u32 = (3 << 14) | (3 << 11) | (14 << 7) | (0 << 3) | 0;
export const SYSREG_CNTPCT_EL0: u32 = (3 << 14) | (3 << 11) | (14 << 7) | (0 << 3) | 1;
export const SYSREG_CNTVCT_EL0: u32 = (3 << 14) | (3 << 11) | (14 << 7) | (0 << 3) | 2;
export const SYSREG_CNTVOFF_EL2: u32 = (3 << 14) | (4 << 11) | (14 << 7) | (0 << 3) | 3;
export const SYSREG_CNTKCTL_EL1: u32 = (3 << 14) | (0 << 11) | (14 << 7) | (1 << 3) | 0;
export const SYSREG_CTR_EL0: u32 = (3 << 14) | (3 << 11) | (0 << 7) | (0 << 3) | 1;
export const SYSREG_DCZID_EL0: u32 = (3 << 14) | (3 << 11) | (0 << 7) | (0 << 3) | 7;
export const SYSREG_TPIDRRO_EL0: u32 = (3 << 14) | (3 << 11) | (13 << 7) | (0 << 3) | 3;

// SCTLR_EL1 bits that let EL0 do what is otherwise trapped to EL1 (ARM ARM D17.2.118).
export const SCTLR_UCI: u64 = 1 << 26;  // cache maintenance by VA (DC CVAU/CVAC/CIVAC, IC IVAU)
export const SCTLR_NTWE: u64 = 1 << 18; // WFE (0: trapped)
export const SCTLR_NTWI: u64 = 1 << 16; // WFI (0: trapped)
export const SCTLR_UCT: u64 = 1 << 15;  // CTR_EL0 reads
export const SCTLR_DZE: u64 = 1 << 14;  // DC ZVA (and DCZID_EL0.DZP reads 0)
export const SCTLR_UMA: u64 = 1 << 9;   // DAIF: MRS/MSR and MSR DAIFSet/DAIFClr
// CNTKCTL_EL1 bits: EL0 access to the generic timer (ARM ARM D17.10.6).
const CNTKCTL_EL0PCTEN: u64 = 1 << 0;   // CNTPCT_EL0 (and CNTFRQ_EL0)
const CNTKCTL_EL0VCTEN: u64 = 1 << 1;   // CNTVCT_EL0 (and CNTFRQ_EL0)
const CNTKCTL_EL0VTEN: u64 = 1 << 8;    // CNTV_CTL/CVAL/TVAL_EL0
const CNTKCTL_EL0PTEN: u64 = 1 << 9;    // CNTP_CTL/CVAL/TVAL_EL0

// Slots of plain storage registers (8 bytes each at OFF_SYSREG).
export const SLOT_SCTLR_EL1: u32 = 0;
export const SLOT_SCTLR_EL2: u32 = 1;
export const SLOT_SCTLR_EL3: u32 = 2;
export const SLOT_HCR_EL2: u32 = 3;
export const SLOT_SCR_EL3: u32 = 4;
export const SLOT_SPSR_EL1: u32 = 5;   // SPSR_ELn at SLOT_SPSR_EL1 + 2*(n-1)
export const SLOT_ELR_EL1: u32 = 6;    // ELR_ELn  at SLOT_ELR_EL1  + 2*(n-1)
export const SLOT_ESR_EL1: u32 = 11;   // ESR_ELn  at SLOT_ESR_EL1  + (n-1)
export const SLOT_FAR_EL1: u32 = 14;   // FAR_ELn  at SLOT_FAR_EL1  + (n-1)
export const SLOT_VBAR_EL1: u32 = 17;  // VBAR_ELn at SLOT_VBAR_EL1 + (n-1)
export const SLOT_CNTVOFF_EL2: u32 = 20;
// Slots 21 and 22 are free: CNTKCTL_EL1 and CNTHCTL_EL2 are generic slots (SLOT_CNT*_STORED below).
export const SLOT_CNTP_CTL: u32 = 23;
export const SLOT_CNTP_CVAL: u32 = 24;
export const SLOT_CNTV_CTL: u32 = 25;
export const SLOT_CNTV_CVAL: u32 = 26;
const SLOT_GENERIC: u32 = 32;          // registers stored as written, see genericSlot()
const SLOT_CSSELR_EL1: u32 = SLOT_GENERIC + 24;           // genericSlot(CSSELR_EL1)
export const SLOT_CNTKCTL_STORED: u32 = SLOT_GENERIC + 41; // genericSlot(CNTKCTL_EL1): event stream, cpu/events.ts
export const SLOT_CNTHCTL_STORED: u32 = SLOT_GENERIC + 42; // genericSlot(CNTHCTL_EL2)
// The translation registers among them (cpu/mmu.ts), and PAR_EL1.
export const SLOT_TTBR0_EL1: u32 = SLOT_GENERIC + 8;
export const SLOT_TTBR1_EL1: u32 = SLOT_GENERIC + 9;
export const SLOT_TCR_EL1: u32 = SLOT_GENERIC + 10;
export const SLOT_MAIR_EL1: u32 = SLOT_GENERIC + 11;
export const SLOT_TTBR0_EL2: u32 = SLOT_GENERIC + 12;
export const SLOT_TCR_EL2: u32 = SLOT_GENERIC + 13;
export const SLOT_MAIR_EL2: u32 = SLOT_GENERIC + 14;
export const SLOT_TTBR0_EL3: u32 = SLOT_GENERIC + 15;
export const SLOT_TCR_EL3: u32 = SLOT_GENERIC + 16;
export const SLOT_MAIR_EL3: u32 = SLOT_GENERIC + 17;
export const SLOT_PAR_EL1: u32 = SLOT_GENERIC + 60;

/** A register translation depends on: the MMU sees the write at once (cpu/mmu.ts). */
function mmuSlotSet(slot: u32, v: u64): void {
  const old = slotGet(slot);
  slotSet(slot, v);
  mmuRegisterWritten(slot, old, v);
}
export const SLOT_CPACR_EL1: u32 = SLOT_GENERIC + 3;
export const SLOT_CPTR_EL2: u32 = SLOT_GENERIC + 4;
export const SLOT_CPTR_EL3: u32 = SLOT_GENERIC + 5;
export const SYSREG_FPCR: u32 = (3 << 14) | (3 << 11) | (4 << 7) | (4 << 3) | 0;
export const SYSREG_FPSR: u32 = (3 << 14) | (3 << 11) | (4 << 7) | (4 << 3) | 1;

// @ts-ignore: decorator
@inline export function slotGet(slot: u32): u64 {
  return load<u64>(regBase + OFF_SYSREG + ((slot as usize) << 3));
}
// @ts-ignore: decorator
@inline export function slotSet(slot: u32, v: u64): void {
  store<u64>(regBase + OFF_SYSREG + ((slot as usize) << 3), v);
}
export function slotGetCore(core: i32, slot: u32): u64 {
  return load<u64>(coreBase(core) + OFF_SYSREG + ((slot as usize) << 3));
}
export function slotSetCore(core: i32, slot: u32, v: u64): void {
  store<u64>(coreBase(core) + OFF_SYSREG + ((slot as usize) << 3), v);
}

export function spsrSlot(el: u32): u32 { return SLOT_SPSR_EL1 + 2 * (el - 1); }
export function elrSlot(el: u32): u32 { return SLOT_ELR_EL1 + 2 * (el - 1); }
export function esrSlot(el: u32): u32 { return SLOT_ESR_EL1 + (el - 1); }
export function farSlot(el: u32): u32 { return SLOT_FAR_EL1 + (el - 1); }
export function vbarSlot(el: u32): u32 { return SLOT_VBAR_EL1 + (el - 1); }

/** Registers that only hold what software writes (no side effects we model). */
function genericSlot(k: u32): i32 {
  switch (k) {
    case key(3, 0, 1, 0, 1): return 0;   // ACTLR_EL1
    case key(3, 4, 1, 0, 1): return 1;   // ACTLR_EL2
    case key(3, 6, 1, 0, 1): return 2;   // ACTLR_EL3
    case key(3, 0, 1, 0, 2): return 3;   // CPACR_EL1
    case key(3, 4, 1, 1, 2): return 4;   // CPTR_EL2
    case key(3, 6, 1, 1, 2): return 5;   // CPTR_EL3
    case key(3, 4, 1, 1, 1): return 6;   // MDCR_EL2
    case key(3, 6, 1, 3, 1): return 7;   // MDCR_EL3
    case key(3, 0, 2, 0, 0): return 8;   // TTBR0_EL1
    case key(3, 0, 2, 0, 1): return 9;   // TTBR1_EL1
    case key(3, 0, 2, 0, 2): return 10;  // TCR_EL1
    case key(3, 0, 10, 2, 0): return 11; // MAIR_EL1
    case key(3, 4, 2, 0, 0): return 12;  // TTBR0_EL2
    case key(3, 4, 2, 0, 2): return 13;  // TCR_EL2
    case key(3, 4, 10, 2, 0): return 14; // MAIR_EL2
    case key(3, 6, 2, 0, 0): return 15;  // TTBR0_EL3
    case key(3, 6, 2, 0, 2): return 16;  // TCR_EL3
    case key(3, 6, 10, 2, 0): return 17; // MAIR_EL3
    case key(3, 3, 13, 0, 2): return 18; // TPIDR_EL0
    case key(3, 3, 13, 0, 3): return 19; // TPIDRRO_EL0
    case key(3, 0, 13, 0, 4): return 20; // TPIDR_EL1
    case key(3, 4, 13, 0, 2): return 21; // TPIDR_EL2
    case key(3, 6, 13, 0, 2): return 22; // TPIDR_EL3
    case key(3, 0, 13, 0, 1): return 23; // CONTEXTIDR_EL1
    case key(3, 2, 0, 0, 0): return 24;  // CSSELR_EL1
    case key(3, 0, 5, 1, 0): return 25;  // AFSR0_EL1
    case key(3, 0, 5, 1, 1): return 26;  // AFSR1_EL1
    case key(3, 0, 10, 3, 0): return 27; // AMAIR_EL1
    case key(3, 4, 0, 0, 0): return 28;  // VPIDR_EL2
    case key(3, 4, 0, 0, 5): return 29;  // VMPIDR_EL2
    case key(3, 4, 1, 1, 3): return 30;  // HSTR_EL2
    case key(3, 4, 1, 1, 7): return 31;  // HACR_EL2
    case key(3, 4, 2, 1, 0): return 32;  // VTTBR_EL2
    case key(3, 4, 2, 1, 2): return 33;  // VTCR_EL2
    case key(2, 0, 0, 2, 2): return 34;  // MDSCR_EL1
    case key(2, 0, 1, 0, 4): return 35;  // OSLAR_EL1
    case key(2, 0, 1, 3, 4): return 36;  // OSDLR_EL1
    case key(3, 1, 15, 2, 1): return 37; // CPUECTLR_EL1 (Cortex-A53 TRM 4.3.60)
    case key(3, 1, 15, 2, 0): return 38; // CPUACTLR_EL1
    case key(3, 1, 11, 0, 2): return 39; // L2CTLR_EL1
    case key(3, 1, 11, 0, 3): return 40; // L2ECTLR_EL1
    case key(3, 0, 14, 1, 0): return 41; // CNTKCTL_EL1
    case key(3, 4, 14, 1, 0): return 42; // CNTHCTL_EL2
    case key(3, 0, 12, 0, 1): return 43; // RVBAR_EL1 region (read as written)
    case key(3, 4, 5, 1, 0): return 44;  // AFSR0_EL2
    case key(3, 6, 5, 1, 0): return 45;  // AFSR0_EL3
    case key(3, 4, 6, 0, 4): return 46;  // HPFAR_EL2
    case key(3, 0, 7, 4, 0): return 60;  // PAR_EL1 (AT writes it, cpu/mmu.ts)
    default: return -1;
  }
}

/** Lowest EL that may access a register with this op1 (ARM ARM C5.3, op1 encodes the owner). */
function minELForOp1(op0: u32, op1: u32): u32 {
  if (op0 == 2) return 1;             // debug registers: EL1 and up
  switch (op1) {
    case 3: return 0;
    case 4: return 2;
    case 5: return 2;
    case 6: return 3;
    default: return 1;
  }
}

// Set by sysregRead/sysregWrite: false means the access is UNDEFINED, or trapped when sysregTrap.
export let sysregOk: bool = true;
/** With sysregOk false: the access is trapped to EL1 (ESR EC 0x18) rather than UNDEFINED. */
export let sysregTrap: bool = false;

/**
 * EL0 accesses that SCTLR_EL1 and CNTKCTL_EL1 trap (ARM ARM D1.14.3 "EL0 access to ...",
 * the pseudocode of each register's accessibility): only called at EL0.
 */
function el0Trapped(k: u32, read: bool): bool {
  const sctlr = slotGet(SLOT_SCTLR_EL1);
  const kctl = slotGet(SLOT_CNTKCTL_STORED);
  switch (k) {
    case SYSREG_DAIF: return (sctlr & SCTLR_UMA) == 0;
    // Read-only registers: an MSR to them is UNDEFINED before any trap is considered.
    case SYSREG_CTR_EL0: return read && (sctlr & SCTLR_UCT) == 0;
    case SYSREG_CNTFRQ_EL0: return read && (kctl & (CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN)) == 0;
    case SYSREG_CNTPCT_EL0: return read && (kctl & CNTKCTL_EL0PCTEN) == 0;
    case SYSREG_CNTVCT_EL0: return read && (kctl & CNTKCTL_EL0VCTEN) == 0;
    case key(3, 3, 14, 2, 0): case key(3, 3, 14, 2, 1): case key(3, 3, 14, 2, 2): // CNTP_TVAL/CTL/CVAL_EL0
      return (kctl & CNTKCTL_EL0PTEN) == 0;
    case key(3, 3, 14, 3, 0): case key(3, 3, 14, 3, 1): case key(3, 3, 14, 3, 2): // CNTV_TVAL/CTL/CVAL_EL0
      return (kctl & CNTKCTL_EL0VTEN) == 0;
    default: return false;
  }
}

export function sysregRead(k: u32): u64 {
  sysregOk = true;
  sysregTrap = false;
  const op0 = k >> 14, op1 = (k >> 11) & 7, crn = (k >> 7) & 15;
  if (currentEL < minELForOp1(op0, op1)) { sysregOk = false; return 0; }
  if (currentEL == 0 && el0Trapped(k, true)) { sysregOk = false; sysregTrap = true; return 0; }
  switch (k) {
    case SYSREG_NZCV: return getNZCV() as u64;
    case SYSREG_DAIF: return daif as u64;
    case SYSREG_CURRENTEL: return (currentEL << 2) as u64;
    case SYSREG_SPSEL: return spSel as u64;
    case SYSREG_SP_EL0: if (currentEL == 0) break; return getSP(0);
    case SYSREG_SP_EL1: return getSP(1);
    case SYSREG_SP_EL2: return getSP(2);
    case SYSREG_SCTLR_EL1: return slotGet(SLOT_SCTLR_EL1);
    case SYSREG_SCTLR_EL2: return slotGet(SLOT_SCTLR_EL2);
    case SYSREG_SCTLR_EL3: return slotGet(SLOT_SCTLR_EL3);
    case SYSREG_HCR_EL2: return slotGet(SLOT_HCR_EL2);
    case SYSREG_SCR_EL3: return slotGet(SLOT_SCR_EL3);
    case SYSREG_SPSR_EL1: return slotGet(spsrSlot(1));
    case SYSREG_SPSR_EL2: return slotGet(spsrSlot(2));
    case SYSREG_SPSR_EL3: return slotGet(spsrSlot(3));
    case SYSREG_ELR_EL1: return slotGet(elrSlot(1));
    case SYSREG_ELR_EL2: return slotGet(elrSlot(2));
    case SYSREG_ELR_EL3: return slotGet(elrSlot(3));
    case SYSREG_ESR_EL1: return slotGet(esrSlot(1));
    case SYSREG_ESR_EL2: return slotGet(esrSlot(2));
    case SYSREG_ESR_EL3: return slotGet(esrSlot(3));
    case SYSREG_FAR_EL1: return slotGet(farSlot(1));
    case SYSREG_FAR_EL2: return slotGet(farSlot(2));
    case SYSREG_FAR_EL3: return slotGet(farSlot(3));
    case SYSREG_VBAR_EL1: return slotGet(vbarSlot(1));
    case SYSREG_VBAR_EL2: return slotGet(vbarSlot(2));
    case SYSREG_VBAR_EL3: return slotGet(vbarSlot(3));
    case SYSREG_ISR_EL1: {
      // ISR_EL1: I (bit 7), F (bit 6) pending on this core's inputs, whatever the mask.
      const lines = interruptInputs(coreId);
      return (((lines & 1) << 7) | ((lines & 2) << 5)) as u64;
    }
    case SYSREG_CNTFRQ_EL0: return CNTFRQ_HZ as u64;
    case SYSREG_CNTPCT_EL0: return counterNow();
    case SYSREG_CNTVCT_EL0: return counterNow() - slotGet(SLOT_CNTVOFF_EL2);
    case SYSREG_CNTVOFF_EL2: return slotGet(SLOT_CNTVOFF_EL2);
    // MRS FPCR/FPSR are trapped like SIMD&FP instructions and handled in fpsimd.ts; these serve the debugger.
    case SYSREG_FPCR: return getFPCR() as u64;
    case SYSREG_FPSR: return getFPSR() as u64;
    // DCZID_EL0.DZP (bit 4) reads 1 where DC ZVA is prohibited: EL0 without SCTLR_EL1.DZE.
    case SYSREG_DCZID_EL0: return 0x4 | (currentEL == 0 && (slotGet(SLOT_SCTLR_EL1) & SCTLR_DZE) == 0 ? 0x10 : 0);
    default: break;
  }
  if (op0 == 3 && op1 == 3 && crn == 14) {
    const v = readTimerReg(k);
    if (v >= 0) return v as u64;
  }
  const id = idRegisterValue(k, slotGet(SLOT_CSSELR_EL1)); // CSSELR_EL1 selects CCSIDR_EL1
  if (id >= 0) return id as u64;
  if (op0 == 2) { const d = debugRegRead(k); if (debugRegHandled) return d; }
  const g = genericSlot(k);
  if (g == -2) return 0;
  if (g >= 0) return slotGet(SLOT_GENERIC + (g as u32));
  sysregOk = false;
  return 0;
}

export function sysregWrite(k: u32, v: u64): void {
  sysregOk = true;
  sysregTrap = false;
  const op0 = k >> 14, op1 = (k >> 11) & 7, crn = (k >> 7) & 15;
  if (currentEL < minELForOp1(op0, op1)) { sysregOk = false; return; }
  if (currentEL == 0) {
    if (el0Trapped(k, false)) { sysregOk = false; sysregTrap = true; return; }
    if (k == SYSREG_TPIDRRO_EL0) { sysregOk = false; return; } // read-only at EL0
  }
  switch (k) {
    case SYSREG_NZCV: setNZCV(v as u32); return;
    case SYSREG_DAIF: setDAIF(v as u32); return;
    case SYSREG_SPSEL: setSpSel(v as u32); return;
    case SYSREG_SP_EL0: if (currentEL == 0) break; setSP(0, v); return;
    case SYSREG_SP_EL1: setSP(1, v); return;
    case SYSREG_SP_EL2: setSP(2, v); return;
    case SYSREG_SCTLR_EL1: mmuSlotSet(SLOT_SCTLR_EL1, v); return;
    case SYSREG_SCTLR_EL2: mmuSlotSet(SLOT_SCTLR_EL2, v); return;
    case SYSREG_SCTLR_EL3: mmuSlotSet(SLOT_SCTLR_EL3, v); return;
    case SYSREG_HCR_EL2: mmuSlotSet(SLOT_HCR_EL2, v); return;
    case SYSREG_SCR_EL3: mmuSlotSet(SLOT_SCR_EL3, v); return;
    case SYSREG_SPSR_EL1: slotSet(spsrSlot(1), v & 0xFFFFFFFF); return;
    case SYSREG_SPSR_EL2: slotSet(spsrSlot(2), v & 0xFFFFFFFF); return;
    case SYSREG_SPSR_EL3: slotSet(spsrSlot(3), v & 0xFFFFFFFF); return;
    case SYSREG_ELR_EL1: slotSet(elrSlot(1), v); return;
    case SYSREG_ELR_EL2: slotSet(elrSlot(2), v); return;
    case SYSREG_ELR_EL3: slotSet(elrSlot(3), v); return;
    case SYSREG_ESR_EL1: slotSet(esrSlot(1), v & 0xFFFFFFFF); return;
    case SYSREG_ESR_EL2: slotSet(esrSlot(2), v & 0xFFFFFFFF); return;
    case SYSREG_ESR_EL3: slotSet(esrSlot(3), v & 0xFFFFFFFF); return;
    case SYSREG_FAR_EL1: slotSet(farSlot(1), v); return;
    case SYSREG_FAR_EL2: slotSet(farSlot(2), v); return;
    case SYSREG_FAR_EL3: slotSet(farSlot(3), v); return;
    // VBAR_ELx bits [10:0] are RES0: the table is 2 KiB aligned.
    case SYSREG_VBAR_EL1: slotSet(vbarSlot(1), v & ~(0x7FF as u64)); return;
    case SYSREG_VBAR_EL2: slotSet(vbarSlot(2), v & ~(0x7FF as u64)); return;
    case SYSREG_VBAR_EL3: slotSet(vbarSlot(3), v & ~(0x7FF as u64)); return;
    case SYSREG_CNTFRQ_EL0: if (currentEL < 3) break; return; // writable at EL3 only; frequency is fixed here
    case SYSREG_CNTVOFF_EL2: slotSet(SLOT_CNTVOFF_EL2, v); writeTimerReg(0, 0); return;
    case SYSREG_FPCR: setFPCR(v as u32); return;
    case SYSREG_FPSR: setFPSR(v as u32); return;
    default: break;
  }
  if (op0 == 3 && op1 == 3 && crn == 14) {
    if (writeTimerReg(k, v)) return;
  }
  if (op0 == 2 && debugRegWrite(k, v)) return;
  const g = genericSlot(k);
  if (g >= 8 && g <= 17) { mmuSlotSet(SLOT_GENERIC + (g as u32), v); return; }
  if (g >= 0) { slotSet(SLOT_GENERIC + (g as u32), v); return; }
  // Read-only registers (ID registers, counters) have no MSR form: UNDEFINED like an unknown one.
  sysregOk = false;
}
