// The MMU: stage-1 translation of the EL1&0, EL2 and EL3 regimes (ARM ARM D5, "The AArch64
// Virtual Memory System Architecture") behind a software TLB per core and EL (design note 7).
//
// Every CPU data access goes through bus.ts busRead/busWrite. Their inline fast path is the
// MMU-off RAM case: `addr + bytes <= directLimit`, where directLimit is the RAM size while the
// current regime translates nothing (and checks no alignment), and 0 otherwise. Everything else
// comes here: a TLB probe (one compare and one add for a RAM page), else the table walk, the
// permission and alignment checks, the fault, and the refill. Instruction fetch likewise:
// `pc < fetchLimit` in the run loop, else fetchTranslate.
//
// The TLB is two-way set-associative by 4 KiB virtual page, 128 sets of two entries, one table
// per core and EL (the EL selects the regime and the privilege of the permissions it caches).
// A refill goes to way 0 and moves what way 0 held to way 1, so two pages whose sets collide
// (a stack 1 MiB above the data it works on) both stay: direct-mapped, each access of one
// evicted the other, and compiled code left at every such miss. An entry holds
// a tag per access kind (read, write, fetch: the page's VA when that access is allowed, all
// ones otherwise) and the addend from VA to host address. Only Normal memory in RAM is cached:
// device pages and Device-typed RAM are walked on every access (the slow path is already
// taken for devices). A tag compares `(addr + bytes - 1) & ~0xFFF` with the entry of `addr`'s
// page, so an access crossing into the next page misses and is split here.
//
// Writes to TTBR/TCR/MAIR/SCTLR/HCR take effect at once (flushing this core's tables): the
// architecture allows a write to be seen before the context synchronisation that guarantees it
// (ARM ARM D5.10 "TLB maintenance"), and a TLB may always hold less. TLBI flushes the entry of
// the VA (or the whole table when it caches a block or a granule larger than 4 KiB, or for the
// "all" forms); the inner-shareable forms do so on every core. Code caches are keyed by
// physical address, so no TLB change invalidates them (fastpath.ts, jit.ts).

import { coreId, currentEL, insnAddr } from "./state";
import { anyReservation, pageReservedByOther, reservedGranule, reservationNumber, NO_RESERVATION } from "./monitor";
import {
  slotGet, slotSet, SLOT_SCTLR_EL1, SLOT_SCTLR_EL2, SLOT_SCTLR_EL3, SLOT_HCR_EL2,
  SLOT_TTBR0_EL1, SLOT_TTBR1_EL1, SLOT_TCR_EL1, SLOT_MAIR_EL1, SLOT_TTBR0_EL2, SLOT_TCR_EL2,
  SLOT_MAIR_EL2, SLOT_TTBR0_EL3, SLOT_TCR_EL3, SLOT_MAIR_EL3, SLOT_PAR_EL1, SLOT_SCR_EL3,
} from "./sysreg";
import {
  setPendingFault, clearPendingFault, instructionAbortFsc, pcAlignmentFault, instructionAbort, dataAbortCM,
} from "./exception";
import { ramSize, physRead, physWrite, setBusFault, busRead, busWrite, ramHitRead, ramHitWrite } from "../machine/bus";
import { RAM_BASE, TLB_BASE } from "../machine/layout";
import { timedLoop } from "./timed_loops";
import { logMmu, MMU_EV_FAULT, MMU_EV_TLBI, MMU_EV_SCTLR } from "../machine/trace";

// ---- fault status codes (ISS.DFSC/IFSC, ARM ARM D17.2.37), level in bits 1:0 ----
export const FSC_ADDRESS_SIZE: u32 = 0x00;
export const FSC_TRANSLATION: u32 = 0x04;
export const FSC_ACCESS_FLAG: u32 = 0x08;
export const FSC_PERMISSION: u32 = 0x0C;
export const FSC_WALK_EXTERNAL: u32 = 0x14;
export const FSC_ALIGNMENT: u32 = 0x21;

export const ACC_READ: u32 = 0;
export const ACC_WRITE: u32 = 1;
export const ACC_EXEC: u32 = 2;

/** A translation that faulted (the fault is pending in exception.ts). */
export const NO_PA: u64 = 0xFFFFFFFFFFFFFFFF;

const PAGE_MASK: u64 = ~(0xFFF as u64);
const TLB_ENTRIES: u32 = 256;
const TLB_ENTRY_SHIFT: u32 = 5;          // 32 bytes: tag R, tag W, tag X, addend
const TLB_TABLE_BYTES: usize = (TLB_ENTRIES as usize) << TLB_ENTRY_SHIFT;
/** Sets of a table (the VA's page number modulo this selects one), and the offset of way 1 from way 0. */
export const TLB_SETS: u32 = TLB_ENTRIES / 2;
export const TLB_WAY_BYTES: usize = (TLB_SETS as usize) << TLB_ENTRY_SHIFT;
export const TLB_TABLES_END: usize = TLB_BASE + 16 * TLB_TABLE_BYTES;
export const E_TAG_R: usize = 0, E_TAG_W: usize = 8, E_TAG_X: usize = 16, E_ADDEND: usize = 24;

/** Inline RAM limit of busRead/busWrite: RAM size, or 0 when the regime translates or checks alignment. */
export let directLimit: u64 = 0;
/** Inline RAM limit of instruction fetch: RAM size, or 0 when the regime translates. */
export let fetchLimit: u64 = 0;
/** The current core's regime at its current EL has stage 1 enabled. */
export let translating: bool = false;
/** SCTLR_ELx.A of the current regime: every unaligned data access faults. */
export let alignCheck: bool = false;
/** The TLB table of the current core and EL. */
export let tlbCur: usize = TLB_BASE;
/**
 * bus.ts busReadTlb/busWriteTlb may probe way 0 of `tlbCur` inline: the regime translates and
 * checks no alignment (an unaligned access that hits must still fault when SCTLR_ELx.A is set).
 */
export let tlbProbeInline: bool = false;
/** A table holds an entry of a block or of a granule above 4 KiB: TLBI by VA flushes it all. */
const tableLarge = new StaticArray<bool>(16);

// @ts-ignore: decorator
@inline function tableOf(core: i32, el: u32): usize {
  return TLB_BASE + ((((core as u32) << 2) | el) as usize) * TLB_TABLE_BYTES;
}
// @ts-ignore: decorator
@inline export function entryOf(table: usize, va: u64): usize {
  return table + (((((va >> 12) as u32) & (TLB_SETS - 1)) as usize) << TLB_ENTRY_SHIFT);
}

/** The entry of `va`'s set in `table` (way 0, else way 1) whose tag at `tag` (E_TAG_*) is `page`; 0 if neither. */
// @ts-ignore: decorator
@inline function lookup(table: usize, va: u64, tag: usize, page: u64): usize {
  const e = entryOf(table, va);
  if (load<u64>(e + tag) == page) return e;
  if (load<u64>(e + TLB_WAY_BYTES + tag) == page) return e + TLB_WAY_BYTES;
  return 0;
}

/** Exchanges the two ways of the set whose way 0 is at `e`. */
function swapWays(e: usize): void {
  const w = e + TLB_WAY_BYTES;
  for (let i: usize = 0; i < (1 << TLB_ENTRY_SHIFT); i += 8) {
    const t = load<u64>(e + i);
    store<u64>(e + i, load<u64>(w + i));
    store<u64>(w + i, t);
  }
}

// @ts-ignore: decorator
@inline function holds(e: usize, page: u64): bool {
  return load<u64>(e + E_TAG_R) == page || load<u64>(e + E_TAG_W) == page || load<u64>(e + E_TAG_X) == page;
}

function flushTable(core: i32, el: u32): void {
  memory.fill(tableOf(core, el), 0xFF, TLB_TABLE_BYTES);
  unchecked(tableLarge[((core as u32) << 2) | el] = false);
}

/** Drops what the tables of (core, el) may hold for `va`. */
function flushVA(core: i32, el: u32, va: u64): void {
  if (unchecked(tableLarge[((core as u32) << 2) | el])) { flushTable(core, el); return; }
  const e = entryOf(tableOf(core, el), va);
  memory.fill(e, 0xFF, 1 << TLB_ENTRY_SHIFT);
  memory.fill(e + TLB_WAY_BYTES, 0xFF, 1 << TLB_ENTRY_SHIFT);
}

export function mmuReset(): void {
  for (let c = 0; c < 4; c++) for (let el: u32 = 0; el < 4; el++) flushTable(c, el);
  mmuUpdate();
}

function sctlrOf(el: u32): u64 {
  return slotGet(el <= 1 ? SLOT_SCTLR_EL1 : el == 2 ? SLOT_SCTLR_EL2 : SLOT_SCTLR_EL3);
}

const HCR_TGE: u64 = 1 << 27;
const SCR_NS: u64 = 1;

/** Stage 1 of the regime of `el` is on (EL0 with HCR_EL2.TGE in Non-secure state: off, D5.2.4). */
function stage1On(el: u32): bool {
  if ((sctlrOf(el) & 1) == 0) return false;
  if (el == 0 && (slotGet(SLOT_HCR_EL2) & HCR_TGE) != 0 && (slotGet(SLOT_SCR_EL3) & SCR_NS) != 0) return false;
  return true;
}

/** Re-derives the limits and the TLB table after a change of core, EL, SCTLR or HCR. */
export function mmuUpdate(): void {
  const el = currentEL;
  translating = stage1On(el);
  alignCheck = (sctlrOf(el) & 2) != 0;
  directLimit = translating || alignCheck ? 0 : ramSize;
  fetchLimit = translating ? 0 : ramSize;
  tlbProbeInline = translating && !alignCheck;
  tlbCur = tableOf(coreId, el);
}

/** A write to a register that translation depends on (sysreg.ts): it applies at once. */
export function mmuRegisterWritten(slot: u32, old: u64, v: u64): void {
  if (old == v) return;
  const c = coreId;
  if (slot == SLOT_SCTLR_EL1 || slot == SLOT_SCTLR_EL2 || slot == SLOT_SCTLR_EL3) {
    if (((old ^ v) & 1) != 0) logMmu(MMU_EV_SCTLR, slot == SLOT_SCTLR_EL1 ? 1 : slot == SLOT_SCTLR_EL2 ? 2 : 3, v);
  }
  if (slot == SLOT_SCTLR_EL2 || slot == SLOT_TTBR0_EL2 || slot == SLOT_TCR_EL2 || slot == SLOT_MAIR_EL2) flushTable(c, 2);
  else if (slot == SLOT_SCTLR_EL3 || slot == SLOT_TTBR0_EL3 || slot == SLOT_TCR_EL3 || slot == SLOT_MAIR_EL3) flushTable(c, 3);
  else { flushTable(c, 0); flushTable(c, 1); }
  mmuUpdate();
}

// ---- the table walk (ARM ARM D5.2, AArch64.TranslationTableWalk) ----

// Results of the last walk.
let wPA: u64 = 0;
let wLevel: u32 = 0;
let wAttr: u32 = 0;     // MAIR attribute byte
let wSH: u32 = 0;
let wNS: u32 = 0;
let wRead: bool = false;
let wWrite: bool = false;
let wExec: bool = false;
let wLarge: bool = false; // the mapping covers more than one 4 KiB page

// @ts-ignore: decorator
@inline function bit(v: u64, n: u32): u32 { return ((v >> (n as u64)) & 1) as u32; }

/** Output address bits of TCR.IPS/PS, clamped to the Cortex-A53's 40-bit PARange. */
function outputBits(ps: u32): u32 {
  let b: u32;
  switch (ps) {
    case 0: b = 32; break;
    case 1: b = 36; break;
    case 2: b = 40; break;
    case 3: b = 42; break;
    case 4: b = 44; break;
    default: b = 48; break;
  }
  return b > 40 ? 40 : b;
}

/**
 * Walks the tables of the regime of `el` for `va`; returns 0, or the fault status code (with
 * its level). Sets the w* results, with the permissions at `el` (0: unprivileged).
 */
function walk(va: u64, el: u32, isFetch: bool): u32 {
  const regime: u32 = el <= 1 ? 1 : el;
  let tcr: u64, ttbr: u64, tsz: u32, grain: u32, tbi: u32, oa: u32, mair: u64;
  let upper: u32 = 0;
  if (regime == 1) {
    tcr = slotGet(SLOT_TCR_EL1);
    mair = slotGet(SLOT_MAIR_EL1);
    upper = bit(va, 55);
    if (upper != 0) {
      if (bit(tcr, 23) != 0) return FSC_TRANSLATION; // EPD1
      tsz = ((tcr >> 16) & 63) as u32;
      // The Cortex-A53 has the 4 KiB and 64 KiB granules (ID_AA64MMFR0_EL1.TGran16 = 0): any
      // other TGx value walks as 4 KiB, as QEMU does (D5.1.3 leaves the choice to the core).
      grain = ((tcr >> 30) & 3) == 3 ? 16 : 12;
      tbi = bit(tcr, 38);
      ttbr = slotGet(SLOT_TTBR1_EL1);
    } else {
      if (bit(tcr, 7) != 0) return FSC_TRANSLATION; // EPD0
      tsz = (tcr & 63) as u32;
      grain = ((tcr >> 14) & 3) == 1 ? 16 : 12;
      tbi = bit(tcr, 37);
      ttbr = slotGet(SLOT_TTBR0_EL1);
    }
    oa = outputBits(((tcr >> 32) & 7) as u32);
  } else {
    tcr = slotGet(regime == 2 ? SLOT_TCR_EL2 : SLOT_TCR_EL3);
    mair = slotGet(regime == 2 ? SLOT_MAIR_EL2 : SLOT_MAIR_EL3);
    ttbr = slotGet(regime == 2 ? SLOT_TTBR0_EL2 : SLOT_TTBR0_EL3);
    tsz = (tcr & 63) as u32;
    grain = ((tcr >> 14) & 3) == 1 ? 16 : 12;
    tbi = bit(tcr, 20);
    oa = outputBits(((tcr >> 16) & 7) as u32);
  }
  // TxSZ outside 16..39 (ARMv8.0): a translation fault at level 0, as QEMU chooses.
  if (tsz < 16 || tsz > 39) return FSC_TRANSLATION;
  const inputsize = 64 - tsz;
  // The bits above the input size (below the top byte when TBI applies, D5.1.2) must all
  // equal bit 55 (TTBR1) or be zero (TTBR0, and the one-range regimes).
  let x = va;
  if (tbi != 0 && !isFetch) x = (((va << 8) as i64) >> 8) as u64;
  const ext = ((x as i64) >> (inputsize as i64)) as u64;
  if (ext != (upper != 0 ? 0xFFFFFFFFFFFFFFFF : 0)) return FSC_TRANSLATION;

  const stride = grain - 3;
  let level: u32 = 3 - (inputsize - grain - 1) / stride;
  let bits: u32 = inputsize - (grain + (3 - level) * stride);
  let base: u64 = ttbr & 0x0000FFFFFFFFFFFE & ~(((1 as u64) << ((bits + 3) as u64)) - 1);
  if ((base >> (oa as u64)) != 0) return FSC_ADDRESS_SIZE;
  let apTable: u32 = 0, xnTable: u32 = 0, pxnTable: u32 = 0, nsTable: u32 = 0;
  while (true) {
    const shift = grain + (3 - level) * stride;
    const index = (x >> (shift as u64)) & (((1 as u64) << (bits as u64)) - 1);
    const da = base + (index << 3);
    // Tables live in RAM; a walk anywhere else is a synchronous external abort on the walk.
    if (da + 8 > ramSize) return FSC_WALK_EXTERNAL | level;
    const d = load<u64>(RAM_BASE + (da as usize));
    if ((d & 1) == 0) return FSC_TRANSLATION | level;
    if (level < 3 && (d & 2) != 0) {
      const next = d & 0x0000FFFFFFFFF000 & ~((((1 as u64) << (grain as u64)) - 1));
      if ((next >> (oa as u64)) != 0) return FSC_ADDRESS_SIZE | level;
      apTable |= ((d >> 61) & 3) as u32;
      xnTable |= bit(d, 60);
      pxnTable |= bit(d, 59);
      nsTable |= bit(d, 63);
      base = next;
      level++;
      bits = stride;
      continue;
    }
    if (level == 3) {
      if ((d & 2) == 0) return FSC_TRANSLATION | 3; // reserved encoding
    } else if (!(level == 2 || (level == 1 && grain == 12))) { // (64 KiB: no level 1 block without LPA)
      return FSC_TRANSLATION | level;            // no block at this level with this granule
    }
    const blockMask: u64 = ((1 as u64) << (shift as u64)) - 1;
    const out = d & 0x0000FFFFFFFFF000 & ~blockMask;
    if ((out >> (oa as u64)) != 0) return FSC_ADDRESS_SIZE | level;
    if (bit(d, 10) == 0) return FSC_ACCESS_FLAG | level; // AF = 0 and no hardware update (HA)
    wPA = out | (va & blockMask);
    wLevel = level;
    wLarge = shift > 12;
    wAttr = ((mair >> ((((d >> 2) & 7) << 3) as u64)) & 0xFF) as u32;
    wSH = ((d >> 8) & 3) as u32;
    wNS = bit(d, 5) | nsTable;
    // Permissions, D5.4: AP[2] read-only, AP[1] EL0 access; APTable[1] read-only, APTable[0] no EL0.
    let ap = ((d >> 6) & 3) as u32;
    if ((apTable & 2) != 0) ap |= 2;
    const wxn = (sctlrOf(regime) & (1 << 19)) != 0;
    if (regime == 1) {
      if ((apTable & 1) != 0) ap &= 1 ^ 0xFFFFFFFF;
      const uxn = bit(d, 54) | xnTable;
      const pxn = bit(d, 53) | pxnTable;
      if (el == 0) {
        wRead = (ap & 1) != 0;
        wWrite = ap == 1;
        wExec = uxn == 0;
      } else {
        wRead = true;
        wWrite = (ap & 2) == 0;
        wExec = pxn == 0 && ap != 1; // memory writable at EL0 is never executable at EL1
      }
    } else {
      wRead = true;
      wWrite = (ap & 2) == 0;
      wExec = (bit(d, 54) | xnTable) == 0;
    }
    if (wxn && wWrite) wExec = false;
    return 0;
  }
  return FSC_TRANSLATION;
}

// @ts-ignore: decorator
@inline function isDeviceAttr(attr: u32): bool { return (attr & 0xF0) == 0; }

/**
 * Translates `va` for an access of kind `acc` and `bytes` at `el`: its physical address, or
 * NO_PA with the fault pending (exception.ts) for the abort the caller takes.
 */
export function translate(va: u64, acc: u32, el: u32, bytes: u32): u64 {
  const table = tableOf(coreId, el);
  const hit = lookup(table, va, (acc as usize) << 3, va & PAGE_MASK);
  if (hit != 0) return va + load<u64>(hit + E_ADDEND) - (RAM_BASE as u64);
  if (!stage1On(el)) return va;
  const fsc = walk(va, el, acc == ACC_EXEC);
  if (fsc != 0) { fault(fsc, va, acc, el); return NO_PA; }
  const ok = acc == ACC_READ ? wRead : acc == ACC_WRITE ? wWrite : wExec;
  const device = isDeviceAttr(wAttr);
  // Alignment for the memory type comes before permission (R_XCHFJ).
  if (device && acc != ACC_EXEC && (va & ((bytes - 1) as u64)) != 0) { fault(FSC_ALIGNMENT, va, acc, el); return NO_PA; }
  if (!ok) { fault(FSC_PERMISSION | wLevel, va, acc, el); return NO_PA; }
  const pa = wPA;
  if (!device && (pa | 0xFFF) < ramSize) {
    const page = va & PAGE_MASK;
    const e = entryOf(table, va);
    // Way 0 takes the page; what it held moves to way 1, unless it is this page (tags refreshed
    // in place), so a page is never in both ways.
    if (!holds(e, page)) memory.copy(e + TLB_WAY_BYTES, e, 1 << TLB_ENTRY_SHIFT);
    store<u64>(e + E_TAG_R, wRead ? page : 0xFFFFFFFFFFFFFFFF);
    // (No write tag for a page another core holds a reservation in: guardReservations.)
    store<u64>(e + E_TAG_W, wWrite && !(anyReservation && pageReservedByOther(pa & PAGE_MASK)) ? page : 0xFFFFFFFFFFFFFFFF);
    store<u64>(e + E_TAG_X, wExec ? page : 0xFFFFFFFFFFFFFFFF);
    store<u64>(e + E_ADDEND, (RAM_BASE as u64) + (pa & PAGE_MASK) - page);
    if (wLarge) unchecked(tableLarge[((coreId as u32) << 2) | el] = true);
  }
  return pa;
}

function fault(fsc: u32, va: u64, acc: u32, el: u32): void {
  setPendingFault(fsc, va);
  logMmu(MMU_EV_FAULT, fsc | (acc << 8) | (el << 12), va);
}

// ---- the slow paths of bus.ts busRead/busWrite ----

function alignmentFault(va: u64): void { setPendingFault(FSC_ALIGNMENT, va); logMmu(MMU_EV_FAULT, FSC_ALIGNMENT, va); }

/** A data read that missed the inline RAM test. */
export function cpuReadSlow(addr: u64, bytes: u32): u64 {
  if (alignCheck && (addr & ((bytes - 1) as u64)) != 0) { alignmentFault(addr); setBusFault(); return 0; }
  if (!translating) {
    if (bytes == 4 && (addr == 0x3F003004 || addr == 0x3F003008)) timedLoop(); // the system timer's CLO/CHI (timed_loops.ts)
    return physRead(addr, bytes);
  }
  const e = lookup(tlbCur, addr, E_TAG_R, (addr + (bytes as u64) - 1) & PAGE_MASK);
  if (e != 0) {
    return ramHitRead((addr + load<u64>(e + E_ADDEND)) as usize, bytes);
  }
  return readAt(addr, bytes, currentEL);
}

/** A translated read at `el`'s permissions, split where it crosses a page. */
function readAt(addr: u64, bytes: u32, el: u32): u64 {
  const pa = translate(addr, ACC_READ, el, bytes);
  if (pa == NO_PA) { setBusFault(); return 0; }
  const end = (addr & 0xFFF) + (bytes as u64);
  if (end <= 0x1000) return physRead(pa, bytes);
  // Crossing into the next page: translate it too (a fault there reports its first byte).
  const second = (addr | 0xFFF) + 1;
  const pa2 = translate(second, ACC_READ, el, 1);
  if (pa2 == NO_PA) { setBusFault(); return 0; }
  const n1 = (second - addr) as u32;
  let v: u64 = 0;
  for (let i: u32 = 0; i < bytes; i++) {
    const b = physRead(i < n1 ? pa + (i as u64) : pa2 + ((i - n1) as u64), 1);
    v |= b << ((i << 3) as u64);
  }
  return v;
}

/** A data write that missed the inline RAM test. */
export function cpuWriteSlow(addr: u64, bytes: u32, v: u64): void {
  if (alignCheck && (addr & ((bytes - 1) as u64)) != 0) { alignmentFault(addr); setBusFault(); return; }
  if (!translating) { physWrite(addr, bytes, v); return; }
  const e = lookup(tlbCur, addr, E_TAG_W, (addr + (bytes as u64) - 1) & PAGE_MASK);
  if (e != 0) {
    ramHitWrite(addr + load<u64>(e + E_ADDEND) - (RAM_BASE as u64), bytes, v);
    return;
  }
  writeAt(addr, bytes, v, currentEL);
}

function writeAt(addr: u64, bytes: u32, v: u64, el: u32): void {
  const pa = translate(addr, ACC_WRITE, el, bytes);
  if (pa == NO_PA) { setBusFault(); return; }
  const end = (addr & 0xFFF) + (bytes as u64);
  if (end <= 0x1000) { physWrite(pa, bytes, v); return; }
  const second = (addr | 0xFFF) + 1;
  const pa2 = translate(second, ACC_WRITE, el, 1);
  if (pa2 == NO_PA) { setBusFault(); return; }
  const n1 = (second - addr) as u32;
  for (let i: u32 = 0; i < bytes; i++) {
    physWrite(i < n1 ? pa + (i as u64) : pa2 + ((i - n1) as u64), 1, (v >> ((i << 3) as u64)) & 0xFF);
  }
}

/** LDTR and friends: at EL1 with stage 1 on, a read with EL0's permissions (ARM ARM C3.2.5). */
export function unprivilegedRead(addr: u64, bytes: u32): u64 {
  if (currentEL != 1 || !translating) return busRead(addr, bytes);
  clearPendingFault();
  if (alignCheck && (addr & ((bytes - 1) as u64)) != 0) { alignmentFault(addr); setBusFault(); return 0; }
  return readAt(addr, bytes, 0);
}

/** STTR and friends (see unprivilegedRead). */
export function unprivilegedWrite(addr: u64, bytes: u32, v: u64): void {
  if (currentEL != 1 || !translating) { busWrite(addr, bytes, v); return; }
  clearPendingFault();
  if (alignCheck && (addr & ((bytes - 1) as u64)) != 0) { alignmentFault(addr); setBusFault(); return; }
  writeAt(addr, bytes, v, 0);
}

/**
 * The physical address of the read just made at `addr` without a fault (the exclusive monitor is
 * physical): a TLB hit, or the walk again (Device memory is not cached; the walk has no effect).
 */
export function readPhys(addr: u64, bytes: u32): u64 {
  return translating ? translate(addr, ACC_READ, currentEL, bytes) : addr;
}

/**
 * The physical address a data access at `va` uses (exclusives, whose monitor is physical), or
 * NO_PA with the fault pending.
 */
export function translateData(va: u64, bytes: u32, write: bool): u64 {
  if (alignCheck && (va & ((bytes - 1) as u64)) != 0) { alignmentFault(va); return NO_PA; }
  if (!translating) return va;
  return translate(va, write ? ACC_WRITE : ACC_READ, currentEL, bytes);
}

/** Fetch at `va` that missed the inline RAM test: the physical address, or NO_PA after taking the abort. */
export function fetchTranslate(va: u64): u64 {
  if ((va & 3) != 0) { pcAlignmentFault(va); return NO_PA; }
  if (!translating) { instructionAbort(va); return NO_PA; }
  const e = lookup(tlbCur, va, E_TAG_X, va & PAGE_MASK);
  let pa: u64;
  if (e != 0) {
    pa = va + load<u64>(e + E_ADDEND) - (RAM_BASE as u64);
    // The run loop's inline fetch test looks at way 0 only: code found in way 1 goes to way 0
    // (a data refill of the set had moved it), so the next fetches hit inline again.
    const way0 = entryOf(tlbCur, va);
    if (e != way0) swapWays(way0);
  } else {
    pa = translate(va, ACC_EXEC, currentEL, 4);
    if (pa == NO_PA) { instructionAbortFsc(va); return NO_PA; }
  }
  if (pa + 4 > ramSize) { instructionAbort(va); return NO_PA; }
  return pa;
}

// ---- AT and TLBI (ARM ARM C5.5 "A64 system instructions for address translation", D5.10) ----

/**
 * AT S1E*: the walk of `va` for an access at `el`, result in PAR_EL1 (D17.2.113). A synchronous
 * external abort on the walk is not reported in PAR but taken as a data abort (CM = 1, WnR = 1),
 * D5.2.11; returns false then.
 */
function addressTranslate(va: u64, el: u32, write: bool): bool {
  const regime: u32 = el <= 1 ? 1 : el;
  let par: u64 = 0;
  if (!stage1On(el)) {
    // Stage 1 off: a flat mapping, attributes 0 and SH 0 as QEMU reports them.
    par = (va & 0x000000FFFFFFF000) | (1 << 11) | nsBit(regime);
  } else {
    let fsc = walk(va, el, false);
    if ((fsc & 0x3C) == FSC_WALK_EXTERNAL) {
      setPendingFault(fsc, va);
      dataAbortCM(va);
      return false;
    }
    if (fsc == 0 && !(write ? wWrite : wRead)) fsc = FSC_PERMISSION | wLevel;
    if (fsc != 0) par = 1 | ((fsc as u64) << 1) | (1 << 11);
    else {
      par = (wPA & 0x0000FFFFFFFFF000) | (1 << 11) | ((wSH as u64) << 7) | ((wAttr as u64) << 56);
      if (regime == 3 ? wNS != 0 : nsBit(regime) != 0) par |= 1 << 9;
    }
  }
  slotSet(SLOT_PAR_EL1, par);
  return true;
}

/** PAR_EL1.NS of a regime without NS descriptors: set in Non-secure state. */
function nsBit(regime: u32): u64 {
  if (regime == 3) return 0;
  return (slotGet(SLOT_SCR_EL3) & SCR_NS) != 0 ? 1 << 9 : 0;
}

function flushRegime(allCores: bool, els: u32, va: u64, byVA: bool): void {
  for (let c = 0; c < 4; c++) {
    if (!allCores && c != coreId) continue;
    for (let el: u32 = 0; el < 4; el++) {
      if ((els & (1 << el)) == 0) continue;
      if (byVA) flushVA(c, el, va); else flushTable(c, el);
    }
  }
}

/**
 * SYS instructions of the MMU: AT (CRn 7, CRm 8) and TLBI (CRn 8). Returns false if the
 * encoding is not one (the caller treats it as another maintenance instruction or UNDEFINED).
 * The EL check of op1 has been made by the caller.
 */
export function mmuSystem(op1: u32, crn: u32, crm: u32, op2: u32, xt: u64): bool {
  if (crn == 7 && crm == 8) {
    if (op1 == 0 && op2 <= 3) { addressTranslate(xt, op2 >= 2 ? 0 : 1, (op2 & 1) != 0); return true; }
    if (op1 == 4 && (op2 == 0 || op2 == 1)) { addressTranslate(xt, 2, op2 == 1); return true; }
    // S12E1R/W, S12E0R/W: no stage 2 is modelled, so the stage-1 result.
    if (op1 == 4 && op2 >= 4) { addressTranslate(xt, op2 >= 6 ? 0 : 1, (op2 & 1) != 0); return true; }
    if (op1 == 6 && (op2 == 0 || op2 == 1)) { addressTranslate(xt, 3, op2 == 1); return true; }
    return false;
  }
  if (crn != 8) return false;
  const shareable = crm == 3 || crm == 0;
  const va = xt << 12;
  let els: u32 = 0;
  let byVA = false;
  if (op1 == 0 && (crm == 3 || crm == 7)) {
    // VMALLE1, VAE1, ASIDE1, VAAE1, VALE1, VAALE1
    els = 3;
    byVA = op2 == 1 || op2 == 3 || op2 == 5 || op2 == 7;
  } else if (op1 == 4 && (crm == 3 || crm == 7)) {
    if (op2 == 0) els = 4;                             // ALLE2
    else if (op2 == 1 || op2 == 5) { els = 4; byVA = true; } // VAE2, VALE2
    else if (op2 == 4 || op2 == 6) els = 3;            // ALLE1, VMALLS12E1
  } else if (op1 == 4 && (crm == 0 || crm == 4)) {
    els = 3;                                           // IPAS2E1, IPAS2LE1: stage 2 is not modelled
  } else if (op1 == 6 && (crm == 3 || crm == 7)) {
    if (op2 == 0) els = 8;                             // ALLE3
    else if (op2 == 1 || op2 == 5) { els = 8; byVA = true; } // VAE3, VALE3
  }
  if (els == 0) return false;
  flushRegime(shareable, els, va, byVA);
  logMmu(MMU_EV_TLBI, (op1 << 8) | (crm << 4) | op2, xt);
  return true;
}

// ---- debugger access (the GDB stub, `monitor translate`) ----

/**
 * The physical address of `va` for the current core at its current EL, without any fault or
 * TLB side effect; -1 if it does not translate. `debugInfo` then holds the level and the
 * permissions (bit 0 read, 1 write, 2 exec at that EL; level in bits 7:4; the fault code in
 * bits 15:8 when it failed).
 */
export let debugInfo: u32 = 0;
export function debugTranslate(va: u64): i64 {
  const el = currentEL;
  if (!stage1On(el)) { debugInfo = 7; return va as i64; }
  const fsc = walk(va, el, false);
  if (fsc != 0) { debugInfo = fsc << 8; return -1; }
  debugInfo = (wRead ? 1 : 0) | (wWrite ? 2 : 0) | (wExec ? 4 : 0) | (wLevel << 4);
  return wPA as i64;
}

/** How many valid entries the current core's table at `el` holds (`monitor tlb`). */
export function tlbValidEntries(core: i32, el: u32): u32 {
  const t = tableOf(core, el);
  let n: u32 = 0;
  for (let i: u32 = 0; i < TLB_ENTRIES; i++) {
    const e = t + ((i as usize) << TLB_ENTRY_SHIFT);
    if ((load<u64>(e + E_TAG_R) & load<u64>(e + E_TAG_W) & load<u64>(e + E_TAG_X)) != 0xFFFFFFFFFFFFFFFF) n++;
  }
  return n;
}

/** The word of the instruction being executed (for the syndrome of an abort), read without faults. */
export function currentInsnWord(): u32 {
  let pa = insnAddr;
  if (translating) {
    pa = codeAddress(insnAddr);
    if (pa == NO_PA) {
      // The data access may have taken the fetch's TLB entry: walk (no side effect).
      const w = debugTranslate(insnAddr);
      if (w < 0) return 0;
      pa = w as u64;
    }
  }
  if (pa + 4 > ramSize) return 0;
  return load<u32>(RAM_BASE + (pa as usize));
}

/** For each TLB table and core, the reservation (monitor.ts reservationNumber) the table was last guarded for. */
const guardedFor = new StaticArray<u32>(16 * 4);

/**
 * Makes `table` (this core's) fit for compiled code while other cores hold reservations: no
 * write tag of it maps a page one of them is reserved in. Compiled stores probe these tags and
 * leave for the interpreter when they miss; its stores tell the exclusive monitors (bus.ts
 * ramHitWrite, monitor.ts noteStore), which compiled ones do not. translate() sets no such tag
 * while the reservation lasts; this removes those set before it was made.
 */
export function guardReservations(table: usize): void {
  const t = (((table - TLB_BASE) / TLB_TABLE_BYTES) as i32) << 2;
  for (let i = 0; i < 4; i++) {
    if (i == coreId) continue;
    const n = reservationNumber(i);
    if (unchecked(guardedFor[t + i]) == n) continue;
    unchecked(guardedFor[t + i] = n);
    const g = reservedGranule(i);
    if (g == NO_RESERVATION) continue;
    const page = g & PAGE_MASK;
    for (let e = table; e < table + TLB_TABLE_BYTES; e += 1 << TLB_ENTRY_SHIFT) {
      const w = load<u64>(e + E_TAG_W);
      if (w != 0xFFFFFFFFFFFFFFFF && w + load<u64>(e + E_ADDEND) - (RAM_BASE as u64) == page) store<u64>(e + E_TAG_W, 0xFFFFFFFFFFFFFFFF);
    }
  }
}

/** Physical address of the code at `va` if the current TLB has it for fetch, else NO_PA (jit.ts). */
export function codeAddress(va: u64): u64 {
  const e = lookup(tlbCur, va, E_TAG_X, va & PAGE_MASK);
  if (e == 0) return NO_PA;
  return va + load<u64>(e + E_ADDEND) - (RAM_BASE as u64);
}
