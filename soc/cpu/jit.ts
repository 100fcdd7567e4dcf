// Compiled regions: hot guest code translated to WebAssembly by the host
// (host/jit/), called from the run loop through the function table.
//
// The interpreter counts taken-branch targets; a target that reaches the
// threshold is queued, and run() stops between two rounds of the cores so the
// host compiles it (STOP_JIT): the host resumes the same run at once, with no
// other effect, so the schedule of the cores and every event are those of a
// run without compilation. The host installs the function and gives every word
// it translated a class byte (so stores to them find it, fastpath.ts codeWritten);
// the class of every block start becomes C_JIT (each block is an entry of its
// region), so the decode cache finds compiled code with no extra test. A region
// runs only inside the current budget (horizon - now): it stops at a block
// boundary before passing it, and leaves through a side exit before anything it
// does not translate (device access, a store to translated code, an unaligned
// SP), so virtual time, interrupt sampling and every exception stay exactly
// those of the interpreter. When it returns and the next PC starts compiled code,
// runCompiled calls that at once (chaining) while time is before the horizon,
// where the run loop would only have fetched.

import { regBase, spAddr, getNZCV, setNZCV, setPC, pc, insnAddr } from "./state";
import { anyReservation, otherCoreReserved } from "./monitor";
import { now, setNow, horizon, endSliceAtRound } from "../machine/time";
import { JIT_PC, JIT_FLAGS, JIT_QUEUE_COUNT, JIT_QUEUE, JIT_QUEUE_ENTRIES, JIT_TLB, JIT_QUEUE_DELTA, JIT_FP_OFF } from "../machine/info";
import { JIT_TABLES_BASE, HOT_COUNTERS_BASE } from "../machine/layout";
import { noteCompiledStore, ramSize } from "../machine/bus";
import { decodeBase } from "./fastpath";
import { directLimit, translating, alignCheck, tlbCur, codeAddress, NO_PA, fetchLimit, guardReservations } from "./mmu";
import { fpTrapTarget } from "./vreg";

/** Decode-cache class of a word where a compiled region starts (fastpath.ts). */
export const C_JIT: u32 = 19; // next to fastpath.ts's classes: the dispatch switch stays one dense table

export let jitEnabled: bool = false;
let threshold: u32 = 256;
/** Guest instructions retired inside compiled regions since reset. */
export let jitInsns: u64 = 0;
/** Regions entered from the exit of another (or the same) without the run loop, since reset. */
export let jitChains: u64 = 0;

export function jitConfigure(on: bool, hotThreshold: u32): void {
  jitEnabled = on;
  threshold = hotThreshold < 1 ? 1 : hotThreshold > MAX_THRESHOLD ? MAX_THRESHOLD : hotThreshold;
}

// Tables at fixed addresses (machine/layout.ts JIT_TABLES_BASE, up to TLB_BASE, and the hot
// counters at HOT_COUNTERS_BASE, up to RAM_BASE), not on the heap, which must stay below the CPU state.
// Taken-branch targets, counted in a direct-mapped table of tagged counters: a word holds the
// count (low HOT_COUNT_BITS) and a tag of the target's higher address bits. A counter stops at the
// threshold once its target is queued; another target counted there then starts it again under
// its own tag, instead of never getting hot while that one stays compiled. Untagged, with 4096
// counters (16 KiB of code), Debian's kernel lost a 300 M-instruction loop whenever the threshold
// was below 5120 (BENCHMARKS.md, eleventh session), and with 64 Ki of them (256 KiB) the entry of
// mpihelp_submul_1 stayed interpreted on all of its 429 K calls (thirteenth session).
const HOT_ENTRIES: u32 = 65536;
const HOT_BASE: usize = HOT_COUNTERS_BASE;
export const HOT_COUNTERS_END: usize = HOT_BASE + ((HOT_ENTRIES as usize) << 2);
const HOT_COUNT_BITS: u32 = 16;
const HOT_COUNT_MASK: u32 = (1 << HOT_COUNT_BITS) - 1;
/** The highest threshold: a count goes up to threshold + MAX_SHORT (runCompiled). */
const MAX_THRESHOLD: u32 = HOT_COUNT_MASK - 1024;
// Regions: entry address, bounds of the words they translated, table index (0: dropped).
export const MAX_REGIONS: i32 = 2048;
const REGION_BASE: usize = JIT_TABLES_BASE;
const REGION_SIZE: usize = 56;
// Block start word -> region index + 1 (low 13 bits) and the block's index in the region's
// function (the rest): every block of a compiled region is an entry, so a block is compiled once
// and entered wherever execution reaches its start. Open addressing; keys stay after a region is
// dropped (a new entry at the same word reuses its slot).
const HASH_SIZE: u32 = 16384;
const HASH_KEY_BASE: usize = REGION_BASE + (MAX_REGIONS as usize) * REGION_SIZE;
const HASH_REGION_BASE: usize = HASH_KEY_BASE + ((HASH_SIZE as usize) << 2);
// The last target of each BLR the interpreter ran, by the BLR's address (direct-mapped: pc, then
// target), on which region formation speculates (host/jit/compile.ts JitEnv.indirectTarget).
const INDIRECT_ENTRIES: u32 = 256;
const INDIRECT_BASE: usize = HASH_REGION_BASE + ((HASH_SIZE as usize) << 2);
export const JIT_TABLES_END: usize = INDIRECT_BASE + ((INDIRECT_ENTRIES as usize) << 4);
const ENTRY_REGION: u32 = 0x1FFF;
const ENTRY_BLOCK_SHIFT: u32 = 13;
let regionCount: i32 = 0;
let hashUsed: u32 = 0;

/** The taken-branch counter of `target`. */
// @ts-ignore: decorator
@inline function hotCounter(target: u64): usize { return HOT_BASE + (((((target >> 2) as u32) & (HOT_ENTRIES - 1)) as usize) << 2); }
/** The tag of `target` in its counter's word: the address bits above the counter's index, folded. */
// @ts-ignore: decorator
@inline function hotTag(target: u64): u32 { return (((target >> 18) ^ (target >> 34)) as u32) << HOT_COUNT_BITS; }
// @ts-ignore: decorator
@inline function region(r: i32): usize { return REGION_BASE + (r as usize) * REGION_SIZE; }
// R_ENTRY, R_LO, R_HI are physical; R_DELTA is VA - PA | 1 for translated code, 0 with the MMU off.
const R_ENTRY: usize = 0, R_LO: usize = 8, R_HI: usize = 16, R_FN: usize = 24, R_FAILS: usize = 28, R_DELTA: usize = 32;
// Where the region last chained to (runCompiled): the physical PC, the entryGeneration then, and
// liveEntry's answer.
const R_NEXT_PA: usize = 40, R_NEXT_GEN: usize = 48, R_NEXT_V: usize = 52;
/** Changes whenever an entry is added or dropped: a region's R_NEXT_* hold while it does not. */
let entryGeneration: u32 = 1;
// @ts-ignore: decorator
@inline function entriesChanged(): void { entryGeneration++; if (entryGeneration == 0) entryGeneration = 1; }
/** A region's exit at its cut end (CUT_EXIT) counts as this many taken branches to where it went. */
const REGION_EXIT_WEIGHT: u32 = 64;
/** An entry through which its region retires nothing this many times in a row with room to run is given up. */
const MAX_FAILS: u32 = 64;
/**
 * An entry through which the interpreter keeps getting fewer than SHORT_RUN instructions of
 * compiled code (the chain included), MAX_SHORT times in a row, is given up too: entering and
 * leaving compiled code (runCompiled, the region's loads and stores of the registers it uses)
 * costs more than interpreting that little. nsichneu's state machine, a long run of branchy
 * `if` blocks, got 6 instructions a call; this took 2-3% off its run (BENCHMARKS.md, tenth
 * session), which is still slower than with --no-jit. The counter is the entry's hot counter,
 * past the threshold once the entry was queued (an aliased target's too: the count is
 * approximate, and deterministic).
 */
const SHORT_RUN: u64 = 8;
const MAX_SHORT: u32 = 256;
/** Entries given up because their first instruction always leaves (a device access, say), or they run too little (SHORT_RUN). */
export let jitUseless: u32 = 0;
// @ts-ignore: decorator
@inline function hashKey(s: u32): usize { return HASH_KEY_BASE + ((s as usize) << 2); }
// @ts-ignore: decorator
@inline function hashRegion(s: u32): usize { return HASH_REGION_BASE + ((s as usize) << 2); }

// @ts-ignore: decorator
@inline function hashSlot(word: u32): u32 { return (word * 0x9E3779B1) >> 18; }

function findSlot(word: u32): u32 {
  let s = hashSlot(word);
  while (true) {
    const k = load<u32>(hashKey(s));
    if (k == word + 1 || k == 0) return s;
    s = (s + 1) & (HASH_SIZE - 1);
  }
}

/**
 * The entry of compiled code at physical `pa` formed for `delta` (VA - PA | 1, or 0 with the MMU
 * off): its hash value (region + 1, block), or 0 if there is none.
 */
function liveEntry(pa: u64, delta: u64): u32 {
  if (pa >= ramSize || load<u8>(decodeBase + ((pa >> 2) as usize)) != (C_JIT as u8)) return 0;
  const v = load<u32>(hashRegion(findSlot((pa >> 2) as u32)));
  if (v == 0) return 0;
  const p = region(((v & ENTRY_REGION) as i32) - 1);
  if (load<u32>(p + R_FN) == 0 || load<u64>(p + R_DELTA) != delta) return 0;
  return v;
}

/** Is there compiled code entered at physical `pa` for `delta` (host/jit: such a block is not compiled again)? */
export function jitEntryLive(pa: u64, delta: u64): bool { return liveEntry(pa, delta) != 0; }

/**
 * The interpreter's last taken-branch target, and the virtual time it was taken. A target is
 * counted at the next taken branch, weighted by the instructions run from it: 1, plus 1 for every
 * RUN_PER_WEIGHT of them (at most RUN_WEIGHT_MAX). Short blocks count 1, as before; the head of
 * long straight code (unrolled rounds, one taken branch a pass) gets hot in a few hundred passes
 * instead of thousands, where the interpreter had run millions of its instructions first.
 */
const NO_TARGET: u64 = 3; // (no instruction address)
let lastTarget: u64 = NO_TARGET;
let lastAt: u64 = 0;
const RUN_PER_WEIGHT: u64 = 32;
const RUN_WEIGHT_MAX: u32 = 64;

/** A taken branch of the interpreter to `target` (fastpath.ts branchTo). */
// @ts-ignore: decorator
@inline export function noteTakenBranch(target: u64): void {
  if (lastTarget != NO_TARGET) {
    const run = now - lastAt;
    noteBranchTarget(lastTarget, run >= RUN_PER_WEIGHT * (RUN_WEIGHT_MAX as u64) ? RUN_WEIGHT_MAX : 1 + ((run / RUN_PER_WEIGHT) as u32));
  }
  lastTarget = target;
  lastAt = now;
}

/** Another core runs, or compiled code ran: what the interpreter runs next follows no target of its own. */
export function forgetLastTarget(): void { lastTarget = NO_TARGET; }

/**
 * Counts a taken branch to `target` (`weight` times); queues it for compilation when it gets hot.
 * A counter stops at the threshold it passed.
 */
export function noteBranchTarget(target: u64, weight: u32 = 1): void {
  const counter = hotCounter(target);
  const word = load<u32>(counter);
  const tag = hotTag(target);
  let before = word & HOT_COUNT_MASK;
  if (before >= threshold) {
    if ((word & ~HOT_COUNT_MASK) == tag) return; // queued (or given up) already
    before = 0; // another target's, queued, compiled or given up: this one counts from here
  }
  const c = before + weight;
  store<u32>(counter, tag | c);
  if (c < threshold) return;
  // The queue holds physical entries; translated code also its VA - PA (design note 7).
  let entry = target;
  let delta: u64 = 0;
  if (translating) {
    entry = codeAddress(target);
    if (entry == NO_PA) { store<u32>(counter, tag | before); return; } // not in the TLB yet: next time
    delta = (target - entry) | 1;
  }
  if (liveEntry(entry, delta) != 0) return; // already compiled for this mapping
  const n = load<u32>(JIT_QUEUE_COUNT);
  if (n >= JIT_QUEUE_ENTRIES) return;
  store<u64>(JIT_QUEUE + ((n as usize) << 3), entry);
  store<u64>(JIT_QUEUE_DELTA + ((n as usize) << 3), delta);
  store<u32>(JIT_QUEUE_COUNT, n + 1);
  endSliceAtRound(); // the host compiles between rounds
}

// @ts-ignore: decorator
@inline function indirectSlot(pc: u64): usize { return INDIRECT_BASE + (((((pc >> 2) as u32) & (INDIRECT_ENTRIES - 1)) as usize) << 4); }

/** The interpreter ran a BLR at `pc` (a VA) to `target` (branch_sys.ts). */
export function noteIndirectCall(pc: u64, target: u64): void {
  const e = indirectSlot(pc);
  store<u64>(e, pc + 1); // (0: empty)
  store<u64>(e, target, 8);
}

/** The last target of the BLR at `pc` (a VA), or 3 (no instruction's address) if none is known. */
export function jitIndirectTarget(pc: u64): u64 {
  const e = indirectSlot(pc);
  return load<u64>(e) == pc + 1 ? load<u64>(e, 8) : 3;
}

/** Entries wait in the queue: run() stops for the host's compiler between two rounds of the cores. */
// @ts-ignore: decorator
@inline export function jitQueued(): bool { return load<u32>(JIT_QUEUE_COUNT) != 0; }

/**
 * The host compiled the region entered at `entry` (guest words within lo..hi, each
 * marked with markTranslated) as function `fn` of the table; `entries` of its blocks (the entry
 * included) will be entries (jitAddEntry). False if the tables were full and were flushed first.
 */
export function jitInstall(entry: u64, lo: u64, hi: u64, fn: u32, delta: u64, entries: u32): bool {
  let kept = true;
  if (regionCount >= MAX_REGIONS || (hashUsed + entries) * 4 >= HASH_SIZE * 3) { jitFlush(); kept = false; }
  const r = regionCount++;
  store<u64>(region(r) + R_ENTRY, entry);
  store<u64>(region(r) + R_LO, lo);
  store<u64>(region(r) + R_HI, hi);
  store<u32>(region(r) + R_FN, fn);
  store<u32>(region(r) + R_FAILS, 0);
  store<u64>(region(r) + R_DELTA, delta);
  store<u32>(region(r) + R_NEXT_GEN, 0);
  jitAddEntry(entry, 0);
  return kept;
}

/** Block `block` of the region installed last starts at physical `addr`: enter it there too. */
export function jitAddEntry(addr: u64, block: u32): void {
  const word = (addr >> 2) as u32;
  const s = findSlot(word);
  if (load<u32>(hashKey(s)) == 0) {
    if (hashUsed * 8 >= HASH_SIZE * 7) return; // (jitInstall keeps the table below 3/4)
    store<u32>(hashKey(s), word + 1);
    hashUsed++;
  }
  store<u32>(hashRegion(s), (regionCount as u32) | (block << ENTRY_BLOCK_SHIFT));
  store<u8>(decodeBase + (word as usize), C_JIT as u8);
  entriesChanged();
}

export function jitPowerOn(): void { jitFlush(); jitInsns = 0; jitUseless = 0; jitChains = 0; }

/** Forgets every region (reset, the tables are full, or the host's code cache is). */
export function jitFlush(): void {
  for (let r = 0; r < regionCount; r++) dropRegion(r);
  regionCount = 0;
  memory.fill(JIT_TABLES_BASE, 0, JIT_TABLES_END - JIT_TABLES_BASE);
  memory.fill(HOT_BASE, 0, HOT_COUNTERS_END - HOT_BASE);
  hashUsed = 0;
  store<u32>(JIT_QUEUE_COUNT, 0);
  entriesChanged();
}

/** Gives up compiled code entered at physical `addr` (hash slot `s`) for good: not queued again (MAX_FAILS, MAX_SHORT). */
function giveUpEntry(addr: u64, s: u32, delta: u64): void {
  dropEntry((addr >> 2) as u32, s, delta);
  const va = addr + (delta & ~(1 as u64));
  store<u32>(hotCounter(va), hotTag(va) | (threshold + 1));
  jitUseless++;
}

/** Gives up the entry at `word`: its class byte goes back to the instruction's, the hash forgets it. */
function dropEntry(word: u32, s: u32, delta: u64): void {
  store<u32>(hashRegion(s), 0);
  entriesChanged();
  const slot = decodeBase + (word as usize);
  if (load<u8>(slot) == C_JIT) store<u8>(slot, 0);
  store<u32>(hotCounter(((word as u64) << 2) + (delta & ~(1 as u64))), 0); // may get hot again (its VA)
}

function dropRegion(r: i32): void {
  const p = region(r);
  if (load<u32>(p + R_FN) == 0) return;
  store<u32>(p + R_FN, 0);
  entriesChanged(); // (even where none of its entries is left: a store cleared their class bytes)
  // Its entries are block starts between lo and hi whose hash value names it.
  const delta = load<u64>(p + R_DELTA);
  const lo = (load<u64>(p + R_LO) >> 2) as u32, hi = (load<u64>(p + R_HI) >> 2) as u32;
  // (A word just written has lost its class already: every counter of the range starts again.)
  const va = delta & ~(1 as u64);
  for (let w = lo; w < hi; w++) {
    store<u32>(hotCounter(((w as u64) << 2) + va), 0);
    if (load<u8>(decodeBase + (w as usize)) != (C_JIT as u8)) continue;
    const s = findSlot(w);
    if ((load<u32>(hashRegion(s)) & ENTRY_REGION) == ((r + 1) as u32)) dropEntry(w, s, delta);
  }
}

/** Guest bytes [addr, addr + len) changed (a store, or the host loaded code): drop the regions there. */
export function jitCodeWritten(addr: u64, len: u64): void {
  if (regionCount == 0) return;
  const end = addr + len;
  for (let r = 0; r < regionCount; r++) {
    const p = region(r);
    if (load<u32>(p + R_FN) != 0 && addr < load<u64>(p + R_HI) && end > load<u64>(p + R_LO)) dropRegion(r);
  }
}

/** A region's return value (host/jit/compile.ts): instructions retired, and its SIDE_EXIT, CUT_EXIT, STORED and STOP_EXIT flags. */
const RETIRED_MASK: u32 = 0x0FFFFFFF;
const RET_STOP_EXIT: u32 = 0x10000000;
const RET_SIDE_EXIT: u32 = 0x80000000;
const RET_CUT_EXIT: u32 = 0x40000000;
const RET_STORED: u32 = 0x20000000;

/**
 * Runs the compiled code entered at `addr` (its class byte is C_JIT), and on from there while
 * the next PC is the start of a compiled block and the budget has room (chaining: no return to
 * the run loop, which would do nothing but fetch before the horizon). Returns false if it
 * retired nothing: the caller then interprets the instruction.
 */
export function runCompiled(addr: u64): bool {
  // Single-stepping (breakpoints set) or a request pending zeroes the horizon: interpret.
  if (now >= horizon) return false;
  if (anyReservation && otherCoreReserved()) {
    if (!translating) return false; // (its stores go straight to RAM)
    guardReservations(tlbCur);
  }
  const s = findSlot((addr >> 2) as u32);
  let v = load<u32>(hashRegion(s));
  if (v == 0) return false;
  let p = region(((v & ENTRY_REGION) as i32) - 1);
  let fn = load<u32>(p + R_FN);
  if (fn == 0) return false;
  // Entered at physical `addr`: the region must have been formed for this mapping of its page
  // (translated code probes the TLB inline and checks no alignment), or for no translation.
  const delta = load<u64>(p + R_DELTA);
  if (translating) {
    if (alignCheck || delta != ((insnAddr - addr) | 1)) return false;
    store<u32>(JIT_TLB, tlbCur as u32);
  } else if (directLimit == 0 || delta != 0) return false;
  store<u32>(JIT_FLAGS, getNZCV());
  // Compiled code changes no EL or system register, so this holds for the whole chain.
  store<u32>(JIT_FP_OFF, fpTrapTarget());
  // Virtual time after this instruction is `now + 1` (the run loop counts one more): each
  // region runs in the room before the horizon, and `t` is where the run loop would be.
  const start = now;
  let t = now;
  let chained = false;
  let ret: u32 = 0;
  while (true) {
    let room = horizon - t;
    if (room > RETIRED_MASK) room = RETIRED_MASK; // below the flags (host/jit/compile.ts)
    ret = call_indirect<u32>(fn, room as u32, regBase as u32, spAddr as u32, v >> ENTRY_BLOCK_SHIFT);
    const n = ret & RETIRED_MASK;
    if (n == 0) {
      if (chained) break;
      // With room for any block, nothing retired means the first instruction left (a device
      // access, say): an entry that always does so only costs time.
      if (room > 256) {
        const fails = load<u32>(p + R_FAILS) + 1;
        store<u32>(p + R_FAILS, fails);
        if (fails >= MAX_FAILS) {
          store<u32>(p + R_FAILS, 0);
          giveUpEntry(addr, s, delta);
        }
      }
      return false;
    }
    store<u32>(p + R_FAILS, 0);
    t += n as u64;
    jitInsns += n;
    if ((ret & RET_STORED) != 0) noteCompiledStore();
    chained = true;
    if (t >= horizon) break;
    // The next PC: the start of a compiled block for the same mapping? (The run loop's fetch:
    // RAM below fetchLimit, else a TLB hit; a miss or a misaligned PC goes back to it.)
    const next = load<u64>(JIT_PC);
    if ((next & 3) != 0) break;
    let pa = next;
    let nextDelta: u64 = 0;
    if (translating) {
      pa = codeAddress(next);
      if (pa == NO_PA) break;
      nextDelta = (next - pa) | 1;
    } else if (next >= fetchLimit) break;
    // Where the region left last went: its answer holds while no entry changed (a chain of two
    // regions calling each other then skips the class byte and the hash).
    if (load<u64>(p + R_NEXT_PA) == pa && load<u32>(p + R_NEXT_GEN) == entryGeneration) {
      v = load<u32>(p + R_NEXT_V);
      const q = region(((v & ENTRY_REGION) as i32) - 1);
      if (load<u64>(q + R_DELTA) != nextDelta) break;
      p = q;
    } else {
      const from = p;
      v = liveEntry(pa, nextDelta);
      if (v == 0) break;
      store<u64>(from + R_NEXT_PA, pa);
      store<u32>(from + R_NEXT_GEN, entryGeneration);
      store<u32>(from + R_NEXT_V, v);
      p = region(((v & ENTRY_REGION) as i32) - 1);
    }
    fn = load<u32>(p + R_FN);
    jitChains++;
  }
  setNZCV(load<u32>(JIT_FLAGS));
  setPC(load<u64>(JIT_PC));
  setNow(t - 1); // the run loop counts one more
  // (Short only with room to run: a slice about to end is not the entry's doing.)
  const va = addr + (delta & ~(1 as u64));
  const counter = hotCounter(va);
  const word = load<u32>(counter);
  const c = word & HOT_COUNT_MASK;
  if (c >= threshold && (word & ~HOT_COUNT_MASK) == hotTag(va)) {
    if (t - start >= SHORT_RUN) { if (c != threshold) store<u32>(counter, word - c + threshold); }
    else if (horizon - start > 256) {
      if (c - threshold + 1 < MAX_SHORT) store<u32>(counter, word + 1);
      else giveUpEntry(addr, s, delta);
    }
  }
  // Where a region leaves for code not compiled (a call, a return) is a candidate too. The rest
  // of a function longer than a region (CUT_EXIT) is a strong one: counted as REGION_EXIT_WEIGHT
  // branches, it is compiled after 64 passes, not 4096 (nettle-sha256's unrolled
  // rounds: straight code, one taken branch a pass).
  if (jitEnabled && (ret & RET_SIDE_EXIT) == 0) {
    if ((ret & RET_STOP_EXIT) != 0) {
      // Before an instruction left to the interpreter: the code after it is the candidate, counted
      // at the interpreter's next taken branch by the run from there (noteTakenBranch).
      lastTarget = pc + 4;
      lastAt = now + 2; // (the run loop counts one more, then that instruction)
      return true;
    }
    // (A RET or BR may go anywhere: only RAM has class bytes.)
    if (translating || (pc < ramSize && load<u8>(decodeBase + ((pc >> 2) as usize)) != (C_JIT as u8))) {
      noteBranchTarget(pc, (ret & RET_CUT_EXIT) != 0 ? REGION_EXIT_WEIGHT : 1);
    }
  }
  lastTarget = NO_TARGET; // (the compiled instructions weigh in no target's hotness)
  return true;
}
