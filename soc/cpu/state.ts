// Architectural state of the core that is running now.
//
// The interpreter works on globals (PC, flags, PSTATE fields) and on one core's
// register block in linear memory, pointed to by `regBase`. Switching cores
// saves the globals into the old block and loads them from the new one
// (see switchCore), so the hot path never indexes by core number.

import { STATE_BASE, CORE_STATE_SIZE, OFF_X, OFF_SP, OFF_PC, OFF_PSTATE } from "../machine/layout";
import { mmuUpdate } from "./mmu";

export let coreId: i32 = 0;
export let regBase: usize = STATE_BASE;
/** Address of the stack pointer selected by PSTATE.EL and PSTATE.SP (SP_EL0 or SP_ELx). */
export let spAddr: usize = STATE_BASE + OFF_SP;

/** Address of the instruction being executed; `pc` is the address of the next one. */
export let insnAddr: u64 = 0;
export let pc: u64 = 0;

// PSTATE, ARM ARM D1.4. Flags are kept as 0/1 words.
export let flagN: u32 = 0;
export let flagZ: u32 = 0;
export let flagC: u32 = 0;
export let flagV: u32 = 0;
/** DAIF in its MRS DAIF layout, bits 9..6. */
export let daif: u32 = 0x3C0;
export let currentEL: u32 = 3;
/** PSTATE.SP: 0 selects SP_EL0 (ELxt), 1 selects SP_ELx (ELxh). */
export let spSel: u32 = 1;
/** PSTATE.IL: set by an illegal exception return; the next instruction traps (EC 0x0E). */
export let illegalState: u32 = 0;

export const DAIF_D: u32 = 1 << 9;
export const DAIF_A: u32 = 1 << 8;
export const DAIF_I: u32 = 1 << 7;
export const DAIF_F: u32 = 1 << 6;

// ---- general registers ----

/** Xn where 31 is XZR. */
// @ts-ignore: decorator
@inline export function getX(n: u32): u64 {
  return load<u64>(regBase + ((n as usize) << 3));
}
// @ts-ignore: decorator
@inline export function getW(n: u32): u32 {
  return load<u32>(regBase + ((n as usize) << 3));
}
/** Writes Xn; a write to 31 (XZR) is discarded by re-zeroing slot 31. */
// @ts-ignore: decorator
@inline export function setX(n: u32, v: u64): void {
  store<u64>(regBase + ((n as usize) << 3), v);
  store<u64>(regBase + (31 << 3), 0);
}
/** Writes Wn, zeroing the upper half as every 32-bit A64 form does. */
// @ts-ignore: decorator
@inline export function setW(n: u32, v: u32): void {
  setX(n, v as u64);
}
/** Xn where 31 is the current SP. */
// @ts-ignore: decorator
@inline export function getXsp(n: u32): u64 {
  return n == 31 ? load<u64>(spAddr) : load<u64>(regBase + ((n as usize) << 3));
}
// @ts-ignore: decorator
@inline export function setXsp(n: u32, v: u64): void {
  if (n == 31) store<u64>(spAddr, v);
  else store<u64>(regBase + ((n as usize) << 3), v);
}

export function getSP(el: u32): u64 {
  return load<u64>(regBase + OFF_SP + ((el as usize) << 3));
}
export function setSP(el: u32, v: u64): void {
  store<u64>(regBase + OFF_SP + ((el as usize) << 3), v);
}

/** Re-derives spAddr after a change of EL or PSTATE.SP. */
export function selectSP(): void {
  spAddr = regBase + OFF_SP + (((spSel != 0 ? currentEL : 0 as u32) as usize) << 3);
}

export function setPC(v: u64): void { pc = v; }
export function setInsnAddr(v: u64): void { insnAddr = v; }
export function setEL(el: u32): void { currentEL = el; selectSP(); mmuUpdate(); }
export function setSpSel(v: u32): void { spSel = v & 1; selectSP(); }
export function setDAIF(v: u32): void { daif = v & 0x3C0; }
export function setIllegalState(v: u32): void { illegalState = v; }

// ---- NZCV ----

export function getNZCV(): u32 {
  return (flagN << 31) | (flagZ << 30) | (flagC << 29) | (flagV << 28);
}
export function setNZCV(v: u32): void {
  flagN = (v >> 31) & 1;
  flagZ = (v >> 30) & 1;
  flagC = (v >> 29) & 1;
  flagV = (v >> 28) & 1;
}
// @ts-ignore: decorator
@inline export function setFlags(n: u32, z: u32, c: u32, v: u32): void {
  flagN = n; flagZ = z; flagC = c; flagV = v;
}

/** PSTATE in the SPSR layout for AArch64 (ARM ARM C5.2.18): NZCV, IL, DAIF, M[3:0]. */
export function packPSTATE(): u32 {
  return getNZCV() | (illegalState << 20) | daif | (currentEL << 2) | spSel;
}

/** Condition holds? ARM ARM C1.2.4 / ConditionHolds(). */
export function conditionHolds(cond: u32): bool {
  let r: bool;
  switch (cond >> 1) {
    case 0: r = flagZ == 1; break;                      // EQ/NE
    case 1: r = flagC == 1; break;                      // CS/CC
    case 2: r = flagN == 1; break;                      // MI/PL
    case 3: r = flagV == 1; break;                      // VS/VC
    case 4: r = flagC == 1 && flagZ == 0; break;        // HI/LS
    case 5: r = flagN == flagV; break;                  // GE/LT
    case 6: r = flagN == flagV && flagZ == 0; break;    // GT/LE
    default: return true;                               // AL/NV
  }
  return (cond & 1) != 0 ? !r : r;
}

// ---- core switching ----

export function coreBase(core: i32): usize {
  return STATE_BASE + (core as usize) * CORE_STATE_SIZE;
}

export function saveCore(): void {
  store<u64>(regBase + OFF_PC, pc);
  store<u32>(regBase + OFF_PSTATE, packPSTATE());
}

export function loadCore(core: i32): void {
  coreId = core;
  regBase = coreBase(core);
  pc = load<u64>(regBase + OFF_PC);
  const p = load<u32>(regBase + OFF_PSTATE);
  setNZCV(p);
  illegalState = (p >> 20) & 1;
  daif = p & 0x3C0;
  currentEL = (p >> 2) & 3;
  spSel = p & 1;
  selectSP();
  mmuUpdate(); // the core's own TLB and regime
}

export function switchCore(core: i32): void {
  if (core == coreId) return;
  saveCore();
  loadCore(core);
}
