// Arithmetic helpers shared by the data-processing groups (ARM ARM J1 pseudocode:
// AddWithCarry, DecodeBitMasks, ShiftReg, ExtendReg).

import { setFlags } from "./state";

/** AddWithCarry for 64-bit operands; sets NZCV when `setFlagsToo`. */
// @ts-ignore: decorator
@inline export function addWithCarry64(a: u64, b: u64, carry: u32, setFlagsToo: bool): u64 {
  const r = a + b + (carry as u64);
  if (setFlagsToo) {
    const c: u32 = carry ? (r <= a ? 1 : 0) : (r < a ? 1 : 0);
    const v = ((((a ^ r) & (b ^ r)) >> 63) as u32);
    setFlags((r >> 63) as u32, r == 0 ? 1 : 0, c, v);
  }
  return r;
}

/** AddWithCarry for 32-bit operands; the result is zero-extended. */
// @ts-ignore: decorator
@inline export function addWithCarry32(a: u32, b: u32, carry: u32, setFlagsToo: bool): u32 {
  const wide = (a as u64) + (b as u64) + (carry as u64);
  const r = wide as u32;
  if (setFlagsToo) {
    const v = (((a ^ r) & (b ^ r)) >> 31);
    setFlags(r >> 31, r == 0 ? 1 : 0, (wide >> 32) as u32, v);
  }
  return r;
}

/** Shift types of the shifted-register forms: LSL, LSR, ASR, ROR. */
export function shiftReg64(v: u64, type: u32, amount: u32): u64 {
  amount &= 63;
  switch (type) {
    case 0: return v << (amount as u64);
    case 1: return v >> (amount as u64);
    case 2: return ((v as i64) >> (amount as i64)) as u64;
    default: return rotr<u64>(v, amount as u64);
  }
}

export function shiftReg32(v: u32, type: u32, amount: u32): u32 {
  amount &= 31;
  switch (type) {
    case 0: return v << amount;
    case 1: return v >> amount;
    case 2: return ((v as i32) >> amount) as u32;
    default: return rotr<u32>(v, amount);
  }
}

/** ExtendReg: UXTB/UXTH/UXTW/UXTX/SXTB/SXTH/SXTW/SXTX then LSL by `shift` (0..4). */
export function extendReg(v: u64, option: u32, shift: u32): u64 {
  let r: u64;
  switch (option) {
    case 0: r = v & 0xFF; break;
    case 1: r = v & 0xFFFF; break;
    case 2: r = v & 0xFFFFFFFF; break;
    case 3: r = v; break;
    case 4: r = ((v as i8) as i64) as u64; break;
    case 5: r = ((v as i16) as i64) as u64; break;
    case 6: r = ((v as i32) as i64) as u64; break;
    default: r = v; break;
  }
  return r << (shift as u64);
}

// DecodeBitMasks results (ARM ARM J1.3.x, used by logical immediates and bitfield moves).
export let bmWmask: u64 = 0;
export let bmTmask: u64 = 0;

/**
 * DecodeBitMasks(N, imms, immr, immediate). Returns false where the encoding is
 * reserved (the caller treats the instruction as UNDEFINED).
 */
// The last decoded encoding: loops use the same immediate again and again.
let memoKey: u32 = 0xFFFFFFFF;
let memoOk: bool = false;

export function decodeBitMasks(n: u32, imms: u32, immr: u32, immediate: bool, datasize: u32): bool {
  const key = (n << 12) | (imms << 6) | immr | ((immediate ? 1 : 0) << 13) | (datasize << 14);
  if (key == memoKey) return memoOk;
  memoKey = key;
  memoOk = decodeBitMasksUncached(n, imms, immr, immediate, datasize);
  return memoOk;
}

function decodeBitMasksUncached(n: u32, imms: u32, immr: u32, immediate: bool, datasize: u32): bool {
  // len = HighestSetBit(N:NOT(imms))
  const combined = (n << 6) | (~imms & 0x3F);
  if (combined == 0) return false;
  const len: u32 = 31 - clz<u32>(combined);
  if (len < 1) return false;
  const levels: u32 = (1 << len) - 1;
  if (immediate && (imms & levels) == levels) return false;
  const esize: u32 = 1 << len;
  if (esize > datasize) return false;
  const s = imms & levels;
  const r = immr & levels;
  const d = (s - r) & levels;
  const welem: u64 = s + 1 >= 64 ? 0xFFFFFFFFFFFFFFFF : ((1 as u64) << ((s + 1) as u64)) - 1;
  const telem: u64 = d + 1 >= 64 ? 0xFFFFFFFFFFFFFFFF : ((1 as u64) << ((d + 1) as u64)) - 1;
  const emask: u64 = esize == 64 ? 0xFFFFFFFFFFFFFFFF : ((1 as u64) << (esize as u64)) - 1;
  // ROR(welem, r) within esize bits
  let wrot: u64 = welem;
  if (r != 0) wrot = ((welem >> (r as u64)) | (welem << ((esize - r) as u64))) & emask;
  bmWmask = replicate(wrot, esize);
  bmTmask = replicate(telem, esize);
  if (datasize == 32) { bmWmask &= 0xFFFFFFFF; bmTmask &= 0xFFFFFFFF; }
  return true;
}

function replicate(v: u64, esize: u32): u64 {
  let r = v;
  for (let e = esize; e < 64; e <<= 1) r |= r << (e as u64);
  return r;
}
