// Loops that wait for a clock: `1: mrs x0, cntpct_el0; sub x0, x0, x2; cmp x0, x1; b.lo 1b`, or the
// same on the BCM system timer (`ldr w0, [CLO]`, or CHI/CLO/CHI read as one 64-bit counter), the
// delays of bare-metal tutorials that poll a counter until a deadline. Each iteration reads the
// clock and recomputes everything else, so what an iteration does depends only on when it starts;
// run one by one in the interpreter they cost minutes per guest second. Here the iterations that
// would all do the same as the current one are skipped at once: virtual time jumps to the start of
// the first iteration that may see something new, so the run is the plain one, cycle for cycle.
//
// Called at a clock read (MRS CNTPCT_EL0/CNTVCT_EL0, a load of CLO/CHI) by the interpreter, before
// the value is read. Only when that read is the first instruction of a loop (the target of a
// backward branch a few instructions on) whose instructions are all of a small set (the clock
// reads, RAM loads, ADD/SUB/CMP, ORR/MOV, MOVZ/MOVK/MOVN, NOP/barriers, B/B.cond/CBZ/CBNZ inside
// the loop); with the MMU off, no mmio trace, and the horizon rules of the countdown loops
// (loops.ts: the next device event, the time limit, the slice end or, for a core running alone,
// the run's budget).
//
// Why skipping is exact. An iteration started at cycle t is evaluated here on a copy of the
// registers (`evaluate`), its reads taking the clock's value at their own cycle. If every register
// it reads before writing it is one the loop never writes (checked over every instruction of the
// loop, not only the path taken), and it reads NZCV only after setting it, then the registers at
// an iteration's start do not change what it does: iteration i does what evaluate(t0 + i*L) says,
// L the length of iteration 0. Iterations 0 and k are compared: the same path, and every branch
// either on values that did not change, or a threshold comparison (unsigned, or signed without
// crossing the sign) of one clock read passed only through ADD/SUB of unchanging values, zero
// extension and ORR with unchanging high bits, which grew between 0 and k by exactly as much as the
// clock (no wrap-around). Clocks never run backwards, so such a value grows through every iteration
// in between and each branch goes the same way for all of them: iterations 0..k all do what
// iteration 0 does. Binary search finds the largest such k. The registers and NZCV are set to what
// the last skipped iteration leaves (evaluated once more), and the interrupted read happens at the
// new time.

import { getX, setX, setNZCV, insnAddr, currentEL } from "./state";
import { now, horizon, setNow, nextEvent, timeLimit, soloUntil, cpuHz } from "../machine/time";
import { RAM_BASE } from "../machine/layout";
import { ramSize } from "../machine/bus";
import { directLimit } from "./mmu";
import { traceMmio } from "../machine/trace";
import { loopSkipEnabled } from "./loops";
import { sysregRead, sysregOk, SYSREG_CNTPCT_EL0, SYSREG_CNTVCT_EL0 } from "./sysreg";
import { systimerRead, TIMER_CLO, TIMER_CHI } from "../periph/systimer";

const SYSTIMER_CLO: u64 = 0x3F003000 + (TIMER_CLO as u64);
const SYSTIMER_CHI: u64 = 0x3F003000 + (TIMER_CHI as u64);

/** Iterations skipped since power-on (with the countdown loops' count, Machine.loopIterationsSkipped). */
export let timedIterationsSkipped: u64 = 0;

const MAX_LOOP: i32 = 24;  // instructions from the loop's head to its backward branch
const MAX_STEPS: u32 = 48; // instructions one iteration may execute
const MAX_READS: u32 = 8;
const MAX_BRANCHES: u32 = 8;

// Clock kinds of a read.
const CLK_PCT: u32 = 0, CLK_VCT: u32 = 1, CLK_CLO: u32 = 2, CLK_CHI: u32 = 3;

// The two evaluations compared (index 0: iteration 0; 1: iteration k).
const readKind = new StaticArray<u32>(2 * MAX_READS);
const readValue = new StaticArray<u64>(2 * MAX_READS);
const readCount = new StaticArray<u32>(2);
// Per conditional branch on the path: the compared operands (value, reads it depends on, reads
// it grows with), the width, the condition (16: CBZ/CBNZ).
const brA = new StaticArray<u64>(2 * MAX_BRANCHES);
const brB = new StaticArray<u64>(2 * MAX_BRANCHES);
const brDepA = new StaticArray<u32>(2 * MAX_BRANCHES);
const brDepB = new StaticArray<u32>(2 * MAX_BRANCHES);
const brMonoA = new StaticArray<u32>(2 * MAX_BRANCHES);
const brMonoB = new StaticArray<u32>(2 * MAX_BRANCHES);
const brWide = new StaticArray<bool>(2 * MAX_BRANCHES);
const brCond = new StaticArray<u32>(2 * MAX_BRANCHES);
const brCount = new StaticArray<u32>(2);
const pathHash = new StaticArray<u64>(2);
const pathLen = new StaticArray<u32>(2);

// The register model of one evaluation.
const regV = new StaticArray<u64>(32);
const regDep = new StaticArray<u32>(32);  // reads (bit i: read i) the value depends on
const regMono = new StaticArray<u32>(32); // reads it grows with, one for one
const regNarrow = new StaticArray<bool>(32); // fits in 32 bits (written as a W register)
const regWritten = new StaticArray<bool>(32);
let readBeforeWrite: u32 = 0; // registers read before this iteration wrote them
let flagsReadEarly = false;
// The last flag-setting compare: its operands.
let cmpA: u64 = 0, cmpB: u64 = 0, cmpDepA: u32 = 0, cmpDepB: u32 = 0, cmpMonoA: u32 = 0, cmpMonoB: u32 = 0;
let cmpWide = false, cmpSub = true, flagsSet = false;
/** NZCV at the end of the last evaluation. */
let endNzcv: u32 = 0;

/** The value a clock read of this kind gives at cycle `t` (the devices' own code, at that time). */
function clockAt(kind: u32, t: u64): u64 {
  const saved = now;
  setNow(t);
  let v: u64;
  if (kind == CLK_CLO) v = systimerRead(TIMER_CLO) as u64;
  else if (kind == CLK_CHI) v = systimerRead(TIMER_CHI) as u64;
  else v = sysregRead(kind == CLK_PCT ? SYSREG_CNTPCT_EL0 : SYSREG_CNTVCT_EL0);
  setNow(saved);
  return v;
}

function word(pa: u64): u32 { return load<u32>(RAM_BASE + (pa as usize)); }

// ---- the instruction set of such loops: what each reads and writes ----

const K_NONE = 0, K_MRS = 1, K_LDR = 2, K_ADDSUB_IMM = 3, K_ADDSUB_REG = 4, K_ORR = 5, K_MOVW = 6,
  K_BCOND = 7, K_CBZ = 8, K_B = 9, K_HINT = 10;

function kindOf(insn: u32): i32 {
  if ((insn & 0xFFF00000) == 0xD5300000) {
    const key = (insn >> 5) & 0xFFFF;
    return key == SYSREG_CNTPCT_EL0 || key == SYSREG_CNTVCT_EL0 ? K_MRS : K_NONE;
  }
  if ((insn & 0xBFC00000) == 0xB9400000) return K_LDR; // LDR W/X (unsigned offset)
  if ((insn & 0x1F800000) == 0x11000000) return K_ADDSUB_IMM;
  if ((insn & 0x1F200000) == 0x0B000000 && ((insn >> 10) & 63) == 0 && ((insn >> 22) & 3) == 0) return K_ADDSUB_REG; // LSL #0
  if ((insn & 0x7F200000) == 0x2A000000 && ((insn >> 22) & 3) == 0) return K_ORR; // ORR (shifted register), LSL
  if ((insn & 0x1F800000) == 0x12800000 && ((insn >> 29) & 3) != 1) return K_MOVW;
  if ((insn & 0xFF000010) == 0x54000000) return K_BCOND;
  if ((insn & 0x7E000000) == 0x34000000) return K_CBZ;
  if ((insn & 0xFC000000) == 0x14000000) return K_B;
  if (insn == 0xD503201F || insn == 0xD503203F || insn == 0xD5033FDF || (insn & 0xFFFFF09F) == 0xD503309F) return K_HINT; // NOP, YIELD, ISB, DMB/DSB
  return K_NONE;
}

/** The register an instruction writes (32: none). */
function destOf(insn: u32, k: i32): u32 {
  switch (k) {
    case K_MRS: case K_LDR: case K_MOVW: case K_ORR: return insn & 31;
    case K_ADDSUB_IMM: case K_ADDSUB_REG: return insn & 31; // 31 with S: XZR (CMP); without S (imm): SP, refused
    default: return 32;
  }
}

function branchTarget(insn: u32, k: i32, pa: u64): u64 {
  if (k == K_B) return pa + (((((insn << 6) as i32) >> 6) as i64) << 2) as u64;
  return pa + (((((insn << 8) as i32) >> 13) as i64) << 2) as u64;
}

// ---- one iteration, evaluated ----

function readReg(n: u32): u64 {
  if (n == 31) return 0;
  if (!unchecked(regWritten[n])) readBeforeWrite |= 1 << n;
  return unchecked(regV[n]);
}
function depOf(n: u32): u32 { return n == 31 ? 0 : unchecked(regDep[n]); }
function monoOf(n: u32): u32 { return n == 31 ? 0 : unchecked(regMono[n]); }
function narrowOf(n: u32): bool { return n == 31 || unchecked(regNarrow[n]); }
function writeReg(n: u32, v: u64, dep: u32, mono: u32, wide: bool): void {
  if (n == 31) return;
  unchecked(regV[n] = wide ? v : v & 0xFFFFFFFF);
  unchecked(regDep[n] = dep);
  unchecked(regMono[n] = mono);
  unchecked(regNarrow[n] = !wide);
  unchecked(regWritten[n] = true);
}

/** NZCV of `a - b` (sub) or `a + b` on 64 or 32 bits (ARM ARM AddWithCarry). */
function flagsOf(a: u64, b: u64, sub: bool, wide: bool): u32 {
  if (!wide) { a &= 0xFFFFFFFF; b &= 0xFFFFFFFF; }
  const bb = sub ? ~b : b;
  const mask: u64 = wide ? 0xFFFFFFFFFFFFFFFF : 0xFFFFFFFF;
  const top: u64 = wide ? 63 : 31;
  const r = (a + bb + (sub ? 1 : 0)) & mask;
  const n = (r >> top) & 1;
  const z: u64 = r == 0 ? 1 : 0;
  let c: u64;
  if (sub) c = a >= b ? 1 : 0;
  else c = wide ? (r < a ? 1 : 0) : ((a + b) >> 32) & 1;
  const v = (((~(a ^ bb)) & (a ^ r)) >> top) & 1;
  return ((n << 3) | (z << 2) | (c << 1) | v) as u32;
}

function condHolds(cond: u32, nzcv: u32): bool {
  const n = (nzcv >> 3) & 1, z = (nzcv >> 2) & 1, c = (nzcv >> 1) & 1, v = nzcv & 1;
  let r: bool;
  switch (cond >> 1) {
    case 0: r = z == 1; break;
    case 1: r = c == 1; break;
    case 2: r = n == 1; break;
    case 3: r = v == 1; break;
    case 4: r = c == 1 && z == 0; break;
    case 5: r = n == v; break;
    case 6: r = n == v && z == 0; break;
    default: return true;
  }
  return (cond & 1) != 0 ? !r : r;
}

/**
 * Runs one iteration of the loop [head, back] from cycle `t` on a copy of the registers, into
 * evaluation slot `e`. Returns 1 if it comes back to the head, 0 if it leaves the loop, -1 if it
 * does something this file does not model.
 */
function evaluate(e: i32, head: u64, back: u64, t: u64): i32 {
  for (let n = 0; n < 31; n++) {
    unchecked(regV[n] = getX(n));
    unchecked(regDep[n] = 0); unchecked(regMono[n] = 0); unchecked(regNarrow[n] = false); unchecked(regWritten[n] = false);
  }
  readBeforeWrite = 0;
  flagsReadEarly = false;
  flagsSet = false;
  let nzcv: u32 = 0;
  let reads: u32 = 0, branches: u32 = 0;
  let hash: u64 = 0xCBF29CE484222325;
  let pa = head;
  for (let step: u32 = 0; step < MAX_STEPS; step++) {
    if (pa < head || pa > back) { pathHash[e] = hash; pathLen[e] = step; readCount[e] = reads; brCount[e] = branches; return 0; }
    hash = (hash ^ pa) * 0x100000001B3;
    const insn = word(pa);
    const k = kindOf(insn);
    const at = t + (step as u64); // the cycle at which this instruction executes
    const sf = (insn >> 31) != 0;
    let next = pa + 4;
    switch (k) {
      case K_MRS: case K_LDR: {
        const rt = insn & 31;
        let kind: u32 = CLK_PCT;
        let v: u64;
        if (k == K_MRS) {
          kind = ((insn >> 5) & 0xFFFF) == SYSREG_CNTPCT_EL0 ? CLK_PCT : CLK_VCT;
        } else {
          const rn = (insn >> 5) & 31;
          if (rn == 31 || depOf(rn) != 0) return -1; // SP, or an address that follows the clock
          const size: u64 = (insn >> 30) == 3 ? 8 : 4;
          const addr = readReg(rn) + ((((insn >> 10) & 0xFFF) as u64) * size);
          if (size == 4 && (addr == SYSTIMER_CLO || addr == SYSTIMER_CHI)) kind = addr == SYSTIMER_CLO ? CLK_CLO : CLK_CHI;
          else if (addr + size <= directLimit) {
            // RAM: the loop stores nothing, so it reads the same every iteration.
            writeReg(rt, size == 8 ? load<u64>(RAM_BASE + (addr as usize)) : load<u32>(RAM_BASE + (addr as usize)) as u64, 0, 0, size == 8);
            break;
          } else return -1;
        }
        if (reads >= MAX_READS) return -1;
        v = clockAt(kind, at);
        if (k == K_MRS && !sysregOk) return -1;
        unchecked(readKind[e * MAX_READS + reads] = kind);
        unchecked(readValue[e * MAX_READS + reads] = v);
        writeReg(rt, v, 1 << reads, 1 << reads, k == K_MRS || (insn >> 30) == 3);
        reads++;
        break;
      }
      case K_ADDSUB_IMM: {
        const rn = (insn >> 5) & 31, rd = insn & 31;
        const s = ((insn >> 29) & 1) != 0, sub = ((insn >> 30) & 1) != 0;
        if (rn == 31 || (rd == 31 && !s)) return -1; // SP
        const imm = (((insn >> 10) & 0xFFF) as u64) << (((insn >> 22) & 1) != 0 ? 12 : 0);
        const a = readReg(rn);
        const r = sub ? a - imm : a + imm;
        if (s) {
          nzcv = flagsOf(a, imm, sub, sf); flagsSet = true;
          cmpA = a; cmpB = imm; cmpDepA = depOf(rn); cmpDepB = 0; cmpMonoA = monoOf(rn); cmpMonoB = 0; cmpWide = sf; cmpSub = sub;
        }
        writeReg(rd, r, depOf(rn), monoOf(rn), sf);
        break;
      }
      case K_ADDSUB_REG: {
        const rn = (insn >> 5) & 31, rm = (insn >> 16) & 31, rd = insn & 31;
        const s = ((insn >> 29) & 1) != 0, sub = ((insn >> 30) & 1) != 0;
        const a = readReg(rn), b = readReg(rm);
        const da = depOf(rn), db = depOf(rm);
        // a + b grows with a's reads that b does not depend on (and b's likewise); a - b with a's only.
        const mono = sub ? (monoOf(rn) & ~db) : ((monoOf(rn) & ~db) | (monoOf(rm) & ~da));
        if (s) {
          nzcv = flagsOf(a, b, sub, sf); flagsSet = true;
          cmpA = a; cmpB = b; cmpDepA = da; cmpDepB = db; cmpMonoA = monoOf(rn); cmpMonoB = monoOf(rm); cmpWide = sf; cmpSub = sub;
        }
        writeReg(rd, sub ? a - b : a + b, da | db, mono, sf);
        break;
      }
      case K_ORR: {
        const rn = (insn >> 5) & 31, rm = (insn >> 16) & 31, rd = insn & 31;
        const amount = ((insn >> 10) & 63) as u64;
        if (!sf && amount >= 32) return -1;
        const a = readReg(rn), b0 = readReg(rm);
        const b = (sf ? b0 : b0 & 0xFFFFFFFF) << amount;
        const da = depOf(rn), db = depOf(rm);
        let mono: u32 = 0;
        // mov (orr with the zero register) keeps what a value grows with; so does orr of a 32-bit
        // value with one whose low 32 bits are zero (disjoint bits: the orr is an add).
        if (rn == 31 && amount == 0) mono = monoOf(rm);
        else if (rm == 31) mono = monoOf(rn);
        else if (narrowOf(rn) && (b & 0xFFFFFFFF) == 0) mono = monoOf(rn) & ~db;
        else if (amount == 0 && narrowOf(rm) && (a & 0xFFFFFFFF) == 0) mono = monoOf(rm) & ~da;
        writeReg(rd, a | b, da | db, mono, sf);
        break;
      }
      case K_MOVW: {
        const rd = insn & 31;
        const opc = (insn >> 29) & 3;
        const hw = ((insn >> 21) & 3) as u64;
        const imm = ((insn >> 5) & 0xFFFF) as u64;
        if (rd == 31) break;
        if (opc == 3) { // MOVK keeps the other bits
          const old = readReg(rd);
          if (depOf(rd) != 0) return -1;
          writeReg(rd, (old & ~((0xFFFF as u64) << (hw * 16))) | (imm << (hw * 16)), 0, 0, sf);
        } else {
          const v = imm << (hw * 16);
          writeReg(rd, opc == 0 ? ~v : v, 0, 0, sf);
        }
        break;
      }
      case K_HINT: break;
      case K_B: next = branchTarget(insn, k, pa); break;
      case K_BCOND: case K_CBZ: {
        if (branches >= MAX_BRANCHES) return -1;
        const i = e * MAX_BRANCHES + branches;
        let taken: bool;
        if (k == K_BCOND) {
          if (!flagsSet) { flagsReadEarly = true; return -1; }
          taken = condHolds(insn & 15, nzcv);
          unchecked(brA[i] = cmpA); unchecked(brB[i] = cmpB);
          unchecked(brDepA[i] = cmpDepA); unchecked(brDepB[i] = cmpDepB);
          unchecked(brMonoA[i] = cmpMonoA); unchecked(brMonoB[i] = cmpMonoB);
          unchecked(brWide[i] = cmpWide); unchecked(brCond[i] = cmpSub ? insn & 15 : 32); // ADDS compares: EQ-like only
        } else {
          const rt = insn & 31;
          const v = sf ? readReg(rt) : readReg(rt) & 0xFFFFFFFF;
          taken = (v == 0) != (((insn >> 24) & 1) != 0);
          unchecked(brA[i] = v); unchecked(brB[i] = 0); unchecked(brDepA[i] = depOf(rt)); unchecked(brDepB[i] = 0);
          unchecked(brMonoA[i] = 0); unchecked(brMonoB[i] = 0); unchecked(brWide[i] = sf); unchecked(brCond[i] = 16);
        }
        branches++;
        if (taken) next = branchTarget(insn, k, pa);
        hash = (hash ^ (taken ? 1 : 2)) * 0x100000001B3;
        break;
      }
      default: return -1;
    }
    if (pa == back && next == head) { endNzcv = nzcv; pathHash[e] = hash; pathLen[e] = step + 1; readCount[e] = reads; brCount[e] = branches; return 1; }
    pa = next;
  }
  return -1;
}

/** Do iterations 0 and k (evaluations 0 and 1) show that every iteration between does what 0 does? */
function sameBetween(): bool {
  if (pathHash[0] != pathHash[1] || pathLen[0] != pathLen[1] || readCount[0] != readCount[1] || brCount[0] != brCount[1]) return false;
  let changed: u32 = 0;
  for (let r: u32 = 0; r < readCount[0]; r++) {
    const v0 = unchecked(readValue[r]), v1 = unchecked(readValue[MAX_READS + r]);
    if (v1 < v0) return false; // a 32-bit counter wrapped
    if (v1 != v0) changed |= 1 << r;
  }
  for (let j: u32 = 0; j < brCount[0]; j++) {
    const i0 = j, i1 = MAX_BRANCHES + j;
    const moving = (unchecked(brDepA[i0]) | unchecked(brDepB[i0])) & changed;
    if (moving == 0) continue; // a branch on values that stayed the same
    if (popcnt(moving) != 1) return false;
    const cond = unchecked(brCond[i0]);
    const unsigned = cond == 2 || cond == 3 || cond == 8 || cond == 9;  // HS LO HI LS
    const signed = cond >= 10 && cond <= 13;                             // GE LT GT LE
    if (!unsigned && !signed) return false;
    // The operand that follows the clock (the other must stay the same).
    let m0: u64, m1: u64;
    if ((unchecked(brMonoA[i0]) & moving) != 0 && (unchecked(brDepB[i0]) & moving) == 0) { m0 = unchecked(brA[i0]); m1 = unchecked(brA[i1]); }
    else if ((unchecked(brMonoB[i0]) & moving) != 0 && (unchecked(brDepA[i0]) & moving) == 0) { m0 = unchecked(brB[i0]); m1 = unchecked(brB[i1]); }
    else return false;
    const wide = unchecked(brWide[i0]);
    if (!wide) { m0 &= 0xFFFFFFFF; m1 &= 0xFFFFFFFF; }
    const r = ctz(moving);
    // No wrap-around: it grew by exactly what the clock did.
    if (m1 < m0 || m1 - m0 != unchecked(readValue[MAX_READS + r]) - unchecked(readValue[r])) return false;
    if (signed && ((m0 ^ m1) >> (wide ? 63 : 31)) != 0) return false; // crossed the sign
  }
  return true;
}

/** The registers the instructions of [head, back] write (bit 32: NZCV); -1 if one is not of the set. */
function loopWrites(head: u64, back: u64): i64 {
  let w: i64 = 0;
  for (let pa = head; pa <= back; pa += 4) {
    const insn = word(pa);
    const k = kindOf(insn);
    if (k == K_NONE) return -1;
    const d = destOf(insn, k);
    if (d < 31) w |= (1 as i64) << d;
    if ((k == K_ADDSUB_IMM || k == K_ADDSUB_REG) && ((insn >> 29) & 1) != 0) w |= (1 as i64) << 32;
  }
  return w;
}

/** Skipped heads: a direct-mapped cache of loops found not to be of this kind (their code as then). */
const REFUSED = 64;
const refusedPa = new StaticArray<u64>(REFUSED);
const refusedWord = new StaticArray<u32>(REFUSED);

/**
 * At a clock read by the instruction at `insnAddr`, before the value is read: if that instruction
 * heads a loop of this kind, moves virtual time to the start of the last iteration that is sure
 * to do what the current one does.
 */
export function timedLoop(): void {
  if (!loopSkipEnabled || traceMmio || directLimit == 0 || currentEL == 0) return;
  const head = insnAddr; // the MMU is off (directLimit != 0): physical
  if (head + (MAX_LOOP as u64) * 4 > ramSize) return;
  const slot = ((head >> 2) as i32) & (REFUSED - 1);
  const first = word(head);
  if (unchecked(refusedPa[slot]) == head + 1 && unchecked(refusedWord[slot]) == first) return;
  if (horizon <= now + 2) return; // attention, breakpoints, or an event at hand
  // The loop's backward branch to here.
  let back: u64 = 0;
  for (let i = 1; i < MAX_LOOP; i++) {
    const pa = head + ((i * 4) as u64);
    const insn = word(pa);
    const k = kindOf(insn);
    if ((k == K_BCOND || k == K_CBZ || k == K_B) && branchTarget(insn, k, pa) == head) { back = pa; break; }
  }
  const writes: i64 = back != 0 ? loopWrites(head, back) : -1;
  if (writes < 0) { unchecked(refusedPa[slot] = head + 1); unchecked(refusedWord[slot] = first); return; }
  // How far it may go: as countdown loops (loops.ts).
  let h = horizon;
  if (soloUntil > h) {
    const e = nextEvent < timeLimit ? nextEvent : timeLimit;
    h = soloUntil < e ? soloUntil : e;
    if (h < horizon) h = horizon;
  }
  const t0 = now;
  if (evaluate(0, head, back, t0) != 1) return; // this iteration leaves the loop (or is not modelled)
  // Registers read before written must be ones the loop never writes; flags are set before use.
  if (((readBeforeWrite as i64) & writes) != 0 || flagsReadEarly) {
    unchecked(refusedPa[slot] = head + 1); unchecked(refusedWord[slot] = first);
    return;
  }
  const len = pathLen[0] as u64;
  // Iteration k starts at t0 + k*len and its first instruction (this read) must come before h;
  // at most 1000 guest seconds at a time (no 32-bit clock wraps inside).
  let kmax = (h - 1 - t0) / len;
  const cap = (cpuHz * 1000) / len;
  if (kmax > cap) kmax = cap;
  if (kmax < 2) return;
  let lo: u64 = 0, hi = kmax; // iterations 0..lo are known to do what 0 does
  while (lo < hi) {
    const mid = lo + (hi - lo + 1) / 2;
    if (evaluate(1, head, back, t0 + mid * len) == 1 && sameBetween()) lo = mid;
    else hi = mid - 1;
  }
  // Iterations 0..lo all come back here the same way: the next one starts at t0 + (lo+1)*len.
  const skip = lo < kmax ? lo + 1 : lo;
  if (skip < 2) return;
  // What the last skipped iteration leaves in the registers it writes (code after the loop may read them).
  if (evaluate(1, head, back, t0 + (skip - 1) * len) != 1) return;
  for (let n: u32 = 0; n < 31; n++) if (unchecked(regWritten[n])) setX(n, unchecked(regV[n]));
  if (flagsSet) setNZCV(endNzcv << 28);
  setNow(t0 + skip * len);
  timedIterationsSkipped += skip;
}
