// The region compiler: A64 code reachable from a hot entry, translated to one
// WebAssembly function (the design v86 uses for x86: basic blocks of a region
// inside a loop, a br_table choosing the next one).
//
// Signature: (budget, regBase, spAddr, block) -> retired | SIDE_EXIT | CUT_EXIT | STORED | STOP_EXIT, entered at the start of
// its block number `block` (every block start is an entry: a block is compiled once, and a jump
// to a block of another region leaves this one, which soc/cpu/jit.ts then enters without going
// back to the run loop). The registers a
// region uses are copied from the core's state block (regBase + 8n; SP at spAddr)
// into locals on entry, and those it writes are stored back on the way out; NZCV
// comes in and goes out at JIT_FLAGS, the next PC goes out at JIT_PC. Every
// block first checks that it fits in the budget; loads and stores check that
// the address is RAM (and, for stores, that no decoded code lives there) and
// otherwise leave before the instruction, so the interpreter performs it.

import { decode, isBranch, isConditional, isCountdownLoop, isSimd, NO_BASE, type Decoded, type Operand, type LdstAddress } from "./decode.js";
import { FunctionBody, Op, V, I32, I64, V128, type FunctionDef, type Label } from "./wasm.js";
import type { SimdDecoded } from "./simd.js";
import { TLB_SETS, TLB_WAY_BYTES, OFF_SP, OFF_SYSREG, SLOT_TPIDR_EL0, SLOT_TPIDR_EL1 } from "../layout.js";

/** Where the compiled code finds things in the SoC's linear memory. */
export interface JitEnv {
  read32(addr: number): number;
  /** Where runCompiled leaves the current TLB table (soc/cpu/mmu.ts) for translated regions. */
  jitTlb?: number;
  ramSize: number;
  ramBase: number;
  decodeBase: number;
  jitPc: number;
  jitFlags: number;
  /** Non-zero while SIMD&FP instructions trap (soc/cpu/jit.ts sets it on entry): a block leaves before its first one. */
  jitFpOff: number;
  /** Offset of V0 in a core's state block (Vn at regBase + vBase + 16n). */
  vBase: number;
  /**
   * Is compiled code already entered at physical `addr` for this mapping (installed, or formed
   * earlier in the same batch)? Such a block is not translated again: jumps to it leave.
   */
  compiled?(addr: number, delta?: bigint): boolean;
  /**
   * Has the interpreter run the instruction at physical `addr` (its decode-cache class byte is
   * set)? A block never run when its region is formed is left out: jumps there leave, as a
   * strong candidate (CUT_EXIT). Undefined: every block counts as run.
   */
  executed?(addr: number): boolean;
  /**
   * The physical address the BLR at physical `pc` went to when the interpreter last ran it, or
   * undefined. A region speculates on it: a call through a pointer that keeps going to the same
   * function (a sort's comparison) stays inside the region, behind a check of the target.
   */
  indirectTarget?(pc: number, delta?: bigint): number | undefined;
}

export interface Region {
  entry: number;
  /** Bounds of the guest words translated (lo inclusive, hi exclusive). */
  lo: number;
  hi: number;
  /** Every guest word translated. */
  words: number[];
  /** VA - PA of translated code (FormedRegion.delta). */
  delta?: bigint;
  /** Start of each block, by its number in the function (starts[0] = entry). */
  starts: number[];
  fn: FunctionDef;
}

/** The return value's flag for a side exit (the budget, a device access, an unaligned SP, a store to translated code). */
export const SIDE_EXIT = 0x80000000;
/**
 * The return value's flag for leaving for code the region left out for now: the next part of a
 * block cut short with its next instruction translatable (the region was full: a long function's
 * next part; or its page ended, which translated code does not cross), or a block the interpreter had never run when the region was formed (a path
 * untaken so far). runCompiled makes where it went a strong candidate (soc/cpu/jit.ts
 * REGION_EXIT_WEIGHT).
 */
export const CUT_EXIT = 0x40000000;
/**
 * The return value's flag for a region that stored to memory: soc/cpu/jit.ts counts it as the
 * interpreter's stores are counted (machine/bus.ts noteCompiledStore). In the return value rather
 * than in memory: a store at every exit and a load after it were about a third of the cost of a
 * change of region (measured on two regions calling each other: 27 -> 19 ns an iteration). The
 * budget stays below it.
 */
export const STORED = 0x20000000;
/**
 * The return value's flag for leaving before an instruction the compiler leaves to the
 * interpreter (an MSR, an exclusive access): soc/cpu/jit.ts makes the instruction after it the
 * interpreter's candidate, weighed as a branch target is. Counting the instruction itself made
 * a region that could never start (REJECTED), and the code after it stayed interpreted until a
 * taken branch (BENCHMARKS.md, fourteenth session). The budget stays below it.
 */
export const STOP_EXIT = 0x10000000;

/** DCZID_EL0 above EL0 (soc/cpu/idregs.ts DCZID_EL0_VALUE): BS = 4, DC ZVA's block of 4 << BS bytes. */
const DCZID_EL0_VALUE = 4;
const ZVA_BYTES = 4 << DCZID_EL0_VALUE;

const WINDOW = 8192;        // branch targets this close to the entry join the region
// A region stops growing here. Larger ones translate cold paths too and make functions whose
// TurboFan compilation (V8 tiers hot wasm up on background threads, and a process waits for those
// jobs before it exits) costs more than they save: picojpeg-O2-10, fresh process, 2048 -> 256:
// 2366 -> 1115 instructions translated, about 1.6 -> 0.8 s of wall time, 0.35 s -> 0.04 s from
// the end of the run to the exit.
const MAX_INSNS = 256;
const MAX_BLOCK = 128;
/**
 * Blocks are found up to twice that, and the ones kept are chosen (loopsFirst): depth first, the
 * latch of the entry's own loop could come after 256 instructions of what a rarer path calls.
 * The first 256 are found as before, the rest breadth first in the entry's function.
 */
const DISCOVER_INSNS = 2 * MAX_INSNS;
/**
 * A loop through the entry of at most this many jumps is kept first of all: the entry and its
 * latch, or a test between them (qrduino's inner loop: 597 K -> 490 K region changes at 3; at 4
 * statemate's grow by half).
 */
const TIGHT_LOOP = 3;

interface Block {
  start: number;
  body: Decoded[];
  /** A branch ending the block, or undefined: the block ends before `next` (untranslated, or long). */
  branch?: Decoded;
  next: number;
  /** Ended only for its length, or at the end of its page (translated code): `next` may be translatable (formBlocks may not have formed it). */
  cut?: boolean;
  /** Ended before an instruction the compiler does not translate (`next`): leaves with STOP_EXIT. */
  stop?: boolean;
  /** A BLR's target when the interpreter last ran it (JitEnv.indirectTarget), if its blocks joined the region. */
  spec?: number;
}

// Parameters (the block entered is the first value of L_NEXT) and locals.
const P_BUDGET = 0, P_RB = 1, P_SP = 2, L_NEXT = 3;
const L_CNT = 4, L_NPC = 5, L_KIND = 6, F_N = 7, F_Z = 8, F_C = 9, F_V = 10, L_ST = 11;
const A = 12, B = 13, R = 14, T = 15, ADDR = 16, T2 = 17, T3 = 18;
/** X0..X30 and SP live in locals inside a region: loaded on entry, stored back on the way out. */
const L_X0 = 19, L_SPV = L_X0 + 31, SP_INDEX = 31;
/** Translated code: the TLB table, the entry probed, the host address of the access. */
const L_TLB = L_SPV + 1, L_ENT = L_SPV + 2, L_HOST = L_SPV + 3;
/** The instruction of the current block a side exit leaves before (Gen.sideExit). */
const L_K = L_SPV + 4;
/**
 * Lazy flags: a flag-setting add, subtract or AND records its operands (FA, FB) or result (FR)
 * and its kind in FK instead of computing NZCV; a condition read in the same block is one compare
 * of them (`cmp x0, x1; b.lo` is `x0 <u x1`), and the four flag locals are computed only where
 * something needs them (a condition no compare gives, ADC/SBC, CCMP, the way out). FK = 0: the
 * flag locals hold NZCV.
 */
const L_FK = L_SPV + 5, L_FA = L_SPV + 6, L_FB = L_SPV + 7, L_FR = L_SPV + 8;
const K_ADD64 = 1, K_SUB64 = 2, K_ADD32 = 3, K_SUB32 = 4, K_LOG64 = 5, K_LOG32 = 6;
/** A set of FK values, bit k for kind k: what FK may hold at a point of a region. */
type Kinds = number;
const MATERIALIZED: Kinds = 1;
/** A word index (the class bytes of the widest stores: Gen.classBytes). */
const L_W = L_SPV + 9;
const LOCAL_TYPES = [I32, I64, I32, I32, I32, I32, I32, I32, I64, I64, I64, I64, I64, I64, I64, ...new Array(32).fill(I64), I32, I32, I32, I32,
  I32, I64, I64, I64, I32];
/** Only in regions with SIMD&FP instructions: a vector on its way to a register. */
const L_VT = L_SPV + 10;
const SIMD_LOCAL_TYPES = [...LOCAL_TYPES, V128];

/** The kind a flag-setting instruction leaves in FK, 0 for one that computes NZCV, -1 for none. */
function flagKind(d: Decoded): number {
  switch (d.k) {
    case "addsub": return d.setf ? (d.sf ? (d.sub ? K_SUB64 : K_ADD64) : (d.sub ? K_SUB32 : K_ADD32)) : -1;
    case "logic": return d.opc === 3 ? (d.sf ? K_LOG64 : K_LOG32) : -1;
    case "adc": return d.setf ? 0 : -1;
    case "ccmp": return 0;
    default: return -1;
  }
}

/**
 * What FK may hold at the start of each block: 0 when entered from outside (every block start is
 * an entry), or what a predecessor in the region leaves (a forward data-flow problem over the
 * region's jumps, solved by iterating to the fixed point).
 */
function kindsAtStarts(order: number[], blocks: Map<number, Block>, index: Map<number, number>, returnPoints: number[]): Kinds[] {
  const n = order.length;
  const at = new Array<Kinds>(n).fill(MATERIALIZED);
  const last = order.map((a) => {
    const b = blocks.get(a)!;
    for (let i = b.body.length - 1; i >= 0; i--) { const k = flagKind(b.body[i]); if (k >= 0) return k; }
    return -1;
  });
  const succ = order.map((a) => {
    const b = blocks.get(a)!, br = b.branch, out: number[] = [];
    if (!br) out.push(b.next);
    else if (br.k === "b" || br.k === "bl") out.push(br.target);
    else if (br.k === "breg") out.push(...returnPoints, ...(b.spec === undefined ? [] : [b.spec]));
    else if ("target" in br) out.push(br.target, b.next);
    return out.map((t) => index.get(t)).filter((i): i is number => i !== undefined);
  });
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < n; i++) {
      const end = last[i] < 0 ? at[i] : 1 << last[i];
      for (const j of succ[i]) if ((at[j] | end) !== at[j]) { at[j] |= end; changed = true; }
    }
  }
  return at;
}
const regLocal = (n: number) => (n === SP_INDEX ? L_SPV : L_X0 + n);
const M32 = 0xffffffffn;

/** The blocks of a region, and every guest word read to find them (their values decide the code). */
export interface FormedRegion {
  entry: number;
  /**
   * Translated code (the MMU on): VA - PA of the entry's page, as an unsigned 64-bit value. The
   * region is formed in physical addresses within that one page, its guest-address constants
   * (return addresses, exits, ADR/ADRP, literals) are virtual, and every load and store probes
   * the TLB inline. Undefined with the MMU off (VA = PA, the RAM test).
   */
  delta?: bigint;
  blocks: Map<number, Block>;
  /** Block starts left out because the interpreter had never run them (jumps there leave with CUT_EXIT). */
  unrun: Set<number>;
  /** A key for the code the region compiles to: its entry and the words read, with their values. */
  key: string;
  reads: Uint32Array;
}

/** Finds the region entered at `entry`; undefined if its first instruction is not translated. */
export function formRegion(env: JitEnv, entry: number, delta?: bigint): FormedRegion | undefined {
  const reads: number[] = [];
  const read32 = (a: number) => { const v = env.read32(a); reads.push(a, v); return v; };
  // Which blocks are compiled elsewhere decides the region too (a word address | 1 in `reads`).
  const compiled = (a: number) => { const c = env.compiled?.(a, delta) ?? false; reads.push(a | 1, c ? 1 : 0); return c; };
  if (compiled(entry)) return undefined;
  // Translated code stays in its page: one translation holds for all of it.
  const page = delta === undefined ? undefined : entry - (entry % 4096);
  // So does which blocks the interpreter has run (| 2).
  const executed = (a: number) => { const e = env.executed?.(a) ?? true; reads.push(a | 2, e ? 1 : 0); return e; };
  // And where its BLRs went last (| 3).
  const indirect = (a: number) => { const t = env.indirectTarget?.(a, delta); reads.push(a | 3, t ?? 1); return t; };
  const unrun = new Set<number>();
  const blocks = formBlocks({ ...env, read32 }, entry, compiled, executed, indirect, unrun, page);
  if (!blocks.has(entry)) return undefined;
  let h = 0x811c9dc5;
  for (const v of reads) h = Math.imul(h ^ v, 0x01000193);
  // The code also depends on the machine: its RAM size and where the decode cache is.
  const mode = delta === undefined ? "" : `v${delta.toString(16)}:`;
  return { entry, delta, blocks, unrun, key: `${mode}${env.ramSize}:${env.decodeBase}:${entry}:${reads.length}:${h >>> 0}`, reads: new Uint32Array(reads) };
}

/** The blocks reachable from `entry`; `unrun` gets the block starts left out as never run. */
function formBlocks(env: JitEnv, entry: number, compiled: (a: number) => boolean, executed: (a: number) => boolean,
  indirect: (a: number) => number | undefined,
  unrun: Set<number>, page?: number): Map<number, Block> {
  const end = page === undefined ? env.ramSize : Math.min(env.ramSize, page + 4096);
  const lowest = page ?? 0;
  const blocks = new Map<number, Block>();
  // Blocks reached from a call's target may be translated again even if compiled elsewhere (the
  // one exception to "once"): a callee compiled first (its own loop got hot) would otherwise cost
  // two region changes per call of a hot caller (crc32-O2-10: 3.5 M chained calls, one every
  // 8.5 instructions, without this).
  const work = [entry], callee = [false];
  let total = 0;
  while (work.length && total < DISCOVER_INSNS) {
    // Past the region's room the entry's own function goes first, oldest branch first, where its
    // loops' latches wait; callees after (sglib-O2-10 529 K -> 123 K region changes).
    let k = work.length - 1;
    if (total >= MAX_INSNS) { const j = callee.indexOf(false); if (j >= 0) k = j; }
    const start = work.splice(k, 1)[0], inCallee = callee.splice(k, 1)[0];
    if (blocks.has(start)) continue;
    const again = (a: number) => !inCallee && compiled(a);
    if (start !== entry && again(start)) continue; // compiled once, elsewhere: jumps there leave
    // A path not taken so far stays out (slre-O2-10: 948 instructions translated instead of 2835): translating it
    // costs more than it would save, and should it get used, it is compiled on its own.
    if (start !== entry && !executed(start)) { unrun.add(start); continue; }
    const body: Decoded[] = [];
    let pc = start, branch: Decoded | undefined, stop = false;
    while (pc + 4 <= end && body.length < MAX_BLOCK) {
      const w = env.read32(pc);
      if (pc + 8 <= end && isCountdownLoop(w, env.read32(pc + 4), pc)) break; // interpreted: loops.ts
      const d = decode(w, pc);
      if (!d) { stop = true; break; }
      if (isBranch(d)) { branch = d; break; }
      body.push(d);
      pc += 4;
      if (pc !== start && (blocks.has(pc) || again(pc))) break; // fall into a block already formed
    }
    if (body.length === 0 && !branch) { if (start === entry) break; continue; }
    const block: Block = { start, body, branch, next: branch ? pc + 4 : pc, cut: !branch && (body.length === MAX_BLOCK || pc + 4 > end), stop };
    blocks.set(start, block);
    total += body.length + (branch ? 1 : 0);
    const near = (t: number) => Math.abs(t - entry) <= WINDOW && t + 4 <= end && t >= lowest;
    if (branch && (branch.k === "b" || branch.k === "bcond" || branch.k === "cbz" || branch.k === "tbz" || branch.k === "bl")) {
      // A call's callee and its return point join the region too: calls and returns
      // between them then stay inside (see Gen.returnTo).
      if (branch.k !== "b" && near(pc + 4)) { work.push(pc + 4); callee.push(inCallee); }
      if (near(branch.target)) { work.push(branch.target); callee.push(inCallee || branch.k === "bl"); }
    } else if (branch?.k === "breg" && branch.link) {
      // A BLR: its last target joins the region as a call's callee does, behind a check (Gen.branch).
      const t = indirect(pc);
      if (t !== undefined && near(t)) {
        block.spec = t;
        if (near(pc + 4)) { work.push(pc + 4); callee.push(inCallee); }
        work.push(t); callee.push(true);
      }
    } else if (!branch && body.length === MAX_BLOCK) {
      work.push(pc);
      callee.push(inCallee);
    }
  }
  return total <= MAX_INSNS ? blocks : loopsFirst(blocks);
}

const blockInsns = (b: Block) => b.body.length + (b.branch ? 1 : 0);

/** Where the calls of `blocks` return (a BL's, or a BLR's with a speculated target). */
const callReturns = (blocks: Iterable<Block>): number[] =>
  [...blocks].filter((b) => b.branch?.k === "bl" || b.spec !== undefined).map((b) => b.next);

/** Where a block may go next inside its region (a RET: to any return point of the region's calls). */
function successors(b: Block, returnPoints: number[]): number[] {
  const br = b.branch;
  if (!br) return [b.next];
  if (br.k === "b") return [br.target];
  if (br.k === "breg") return br.link ? (b.spec === undefined ? [b.next] : [b.spec, b.next]) : returnPoints;
  return "target" in br ? [br.target, b.next] : [];
}

/**
 * The blocks a region keeps when more were found than fit (`found`: in the order found, the
 * entry first). First those on the loops through the entry, the blocks from which the entry is
 * reached again, tight loops (TIGHT_LOOP) before the others. Then the rest in the order found (a
 * prefix of the depth-first order, as before), each other loop (a strongly connected set of
 * blocks) whole or not at all, a region growing to MAX_INSNS + MAX_BLOCK for one. Found and kept
 * depth first, sglib's quicksort lost its inner loop's latch to what the loop's other path calls,
 * and picojpeg had half an inner loop here and half in another region; each changed regions at
 * every pass (884 K -> 163 K and 298 K -> 150 K region changes; CoreMark-3885 3.68 M -> 2.82 M;
 * BENCHMARKS.md, twelfth session).
 */
function loopsFirst(found: Map<number, Block>): Map<number, Block> {
  const starts = [...found.keys()];
  const index = new Map(starts.map((a, i) => [a, i]));
  const returnPoints = callReturns(found.values());
  const succ = starts.map((a) => successors(found.get(a)!, returnPoints).map((t) => index.get(t)).filter((i): i is number => i !== undefined));
  const pred = starts.map((): number[] => []);
  succ.forEach((ss, i) => { for (const j of ss) pred[j].push(i); });
  const to = hops(succ), back = hops(pred);
  const inLoop = starts.map((_, i) => i).filter((i) => back[i] >= 0);
  const tight = (i: number) => to[i] + back[i] <= TIGHT_LOOP;
  const kept = new Map<number, Block>();
  let n = 0;
  const take = (i: number) => { const b = found.get(starts[i])!; kept.set(starts[i], b); n += blockInsns(b); };
  for (const i of [...inLoop.filter(tight), ...inLoop.filter((i) => !tight(i))]) {
    if (n >= MAX_INSNS) break;
    take(i);
  }
  const comp = components(succ);
  const members = new Map<number, number[]>();
  comp.forEach((c, i) => { let m = members.get(c); if (!m) members.set(c, m = []); m.push(i); });
  const done = new Set<number>();
  for (let i = 0; i < starts.length && n < MAX_INSNS; i++) {
    if (kept.has(starts[i]) || done.has(comp[i])) continue;
    const group = members.get(comp[i])!.filter((j) => !kept.has(starts[j]));
    if (group.length === 1 && !succ[i].includes(i)) { take(i); continue; }
    done.add(comp[i]);
    if (n + group.reduce((t, j) => t + blockInsns(found.get(starts[j])!), 0) <= MAX_INSNS + MAX_BLOCK) group.forEach(take);
  }
  return kept;
}

/** The strongly connected component of each node (Tarjan's algorithm, iterative). */
function components(next: number[][]): number[] {
  const n = next.length, index = new Array<number>(n).fill(-1), low = new Array<number>(n).fill(0), comp = new Array<number>(n).fill(-1);
  const stack: number[] = [], onStack = new Array<boolean>(n).fill(false);
  let counter = 0, count = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    const work: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++; stack.push(root); onStack[root] = true;
    while (work.length) {
      const top = work[work.length - 1];
      const v = top[0];
      if (top[1] < next[v].length) {
        const w = next[v][top[1]++];
        if (index[w] < 0) { index[w] = low[w] = counter++; stack.push(w); onStack[w] = true; work.push([w, 0]); }
        else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      work.pop();
      if (work.length) { const u = work[work.length - 1][0]; low[u] = Math.min(low[u], low[v]); }
      if (low[v] === index[v]) {
        let w: number;
        do { w = stack.pop()!; onStack[w] = false; comp[w] = count; } while (w !== v);
        count++;
      }
    }
  }
  return comp;
}

/** Jumps from block 0 to each block along `next` (breadth first), -1 where there is no path. */
function hops(next: number[][]): number[] {
  const d = new Array<number>(next.length).fill(-1);
  d[0] = 0;
  for (let q = [0], h = 0; h < q.length; h++) for (const j of next[q[h]]) if (d[j] < 0) { d[j] = d[q[h]] + 1; q.push(j); }
  return d;
}

/** The function of a formed region. */
export function emitRegion(env: JitEnv, { entry, blocks, delta, unrun }: FormedRegion): Region {
  // The entry is block 0 (soc/cpu/jit.ts enters a region there); the others follow in address
  // order, so that most jumps go forward: a forward jump is a direct `br` to the end of the
  // target's label, and only a backward one goes round the loop and through the br_table.
  const order = [entry, ...[...blocks.keys()].filter((a) => a !== entry).sort((a, b) => a - b)];
  const index = new Map(order.map((a, i) => [a, i]));
  const f = new FunctionBody();
  const g = new Gen(f, env, delta, unrun);

  // NZCV in, as four 0/1 locals.
  f.i32(env.jitFlags).mem(Op.i32_load, 0).set(L_KIND);
  [F_N, F_Z, F_C, F_V].forEach((l, i) => f.get(L_KIND).i32(31 - i).op(Op.i32_shr_u).i32(1).op(Op.i32_and).set(l));
  f.i32(0).set(L_KIND);
  const exit = f.block();
  const loop = f.loop();
  const labels: Label[] = [];
  for (let i = order.length - 1; i >= 0; i--) labels[i] = f.block();
  f.get(L_NEXT).brTable(labels, labels[0]);
  g.exit = exit;
  g.loop = loop;
  g.index = index;
  g.labels = labels;
  // Blocks a RET may come back to: the return points of the region's calls.
  g.returnPoints = callReturns(blocks.values()).filter((a) => index.has(a)).slice(0, 16);
  const kinds = kindsAtStarts(order, blocks, index, g.returnPoints);
  const words: number[] = [];
  for (let i = 0; i < order.length; i++) {
    f.end(); // the code of block i follows the end of its label
    const b = blocks.get(order[i])!;
    g.current = i;
    g.kinds = kinds[i];
    const head = rotatedHead(b, blocks);
    if (head) g.rotatedLoop(b, head, kinds[index.get(head.start)!]);
    else g.block(b);
    for (let a = b.start; a < b.next; a += 4) words.push(a);
  }
  f.end(); // loop
  f.end(); // exit
  let all: Kinds = MATERIALIZED;
  for (const b of blocks.values()) for (const d of b.body) { const k = flagKind(d); if (k > 0) all |= 1 << k; }
  g.kinds = all;
  g.materialize();
  // Every way out comes here: the registers the region may have written go back.
  for (const n of [...g.written].sort((a, b) => a - b)) {
    f.get(n === SP_INDEX ? P_SP : P_RB).get(regLocal(n)).mem(Op.i64_store, n === SP_INDEX ? 0 : n * 8);
  }
  f.i32(env.jitPc).get(L_NPC).mem(Op.i64_store, 0);
  f.i32(env.jitFlags);
  [F_N, F_Z, F_C, F_V].forEach((l, i) => { f.get(l).i32(31 - i).op(Op.i32_shl); if (i) f.op(Op.i32_or); });
  f.mem(Op.i32_store, 0);
  f.get(L_CNT).get(L_KIND).op(Op.i32_or).get(L_ST).i32(29).op(Op.i32_shl).op(Op.i32_or); // (L_ST is 0 or 1: STORED)
  // The registers it reads or writes come in first (a written one too: an exit taken before
  // the write stores it back unchanged).
  const body = new FunctionBody(f.code.length + 16 + 8 * (g.used.size + g.written.size)); // (a load: get, i64.load, set)
  if (delta !== undefined) body.i32(env.jitTlb!).mem(Op.i32_load, 0).set(L_TLB);
  for (const n of [...new Set([...g.used, ...g.written])].sort((a, b) => a - b)) {
    body.get(n === SP_INDEX ? P_SP : P_RB).mem(Op.i64_load, n === SP_INDEX ? 0 : n * 8).set(regLocal(n));
  }
  body.code.bytes(f.code.view);
  const lo = Math.min(...words), hi = Math.max(...words) + 4;
  return {
    entry, lo, hi, words, delta, starts: order,
    fn: { params: [I32, I32, I32, I32], results: [I32], locals: g.usesV ? SIMD_LOCAL_TYPES : LOCAL_TYPES, body },
  };
}

/** The longest loop head copied after its latch (Gen.rotatedLoop). */
const ROTATED_HEAD_MAX = 16;

/**
 * gcc's rotated loops: the latch `b` branches back to a head that falls
 * through into it (`ldr; cbz out` then `...; b.ne head`; a walk down a list, a copy). Such a head,
 * if short, is copied after the latch, so the loop is a wasm loop of the latch and the copy.
 */
function rotatedHead(b: Block, blocks: Map<number, Block>): Block | undefined {
  const br = b.branch;
  if (!br || !(br.k === "b" || isConditional(br))) return undefined;
  const h = blocks.get(br.target);
  if (!h || h.next !== b.start || h.body.length + 1 > ROTATED_HEAD_MAX) return undefined;
  return !h.branch || isConditional(h.branch) ? h : undefined; // (a branch ending it: into b only if not taken)
}

/** Emits the blocks of one region. */
class Gen {
  exit!: Label;
  loop!: Label;
  index!: Map<number, number>;
  /** What FK may hold here (lazy flags, L_FK): MATERIALIZED alone, one kind alone (known), or several. */
  kinds: Kinds = MATERIALIZED;
  /** The label whose end starts block i; those of the blocks after the current one are open. */
  labels!: Label[];
  /** The number of the block being emitted. */
  current = 0;
  returnPoints: number[] = [];
  /** Registers read and written (31 = SP). */
  readonly used = new Set<number>();
  readonly written = new Set<number>();
  private len = 0;   // instructions the current block retires
  /** The region has SIMD&FP instructions (and their locals); the current block has checked they do not trap. */
  usesV = false;
  private fpChecked = false;
  /** VA - PA in two unsigned 32-bit halves, so that pushVa needs no BigInt. */
  private readonly deltaHi: number;
  private readonly deltaLo: number;
  constructor(private readonly f: FunctionBody, private readonly env: JitEnv, private readonly delta: bigint | undefined,
    private readonly unrun: Set<number>) {
    this.deltaHi = delta === undefined ? 0 : Number(delta >> 32n);
    this.deltaLo = delta === undefined ? 0 : Number(delta & M32);
  }

  /**
   * Pushes the guest (virtual) address of `pc`, a physical address of the region's page when
   * translated, as an i64.const. Without BigInt: translated code has one at every exit, and
   * kernel addresses (0xffff...) missed the encoder's cache of wide constants, 11 ms of Debian's
   * boot to /init (BENCHMARKS.md, fifteenth session).
   */
  private pushVa(pc: number): FunctionBody {
    if (this.delta === undefined) return this.f.i64n(pc);
    const lo = this.deltaLo + pc; // (pc < 2^32: at most one carry)
    return this.f.i64u32(lo >= 0x100000000 ? this.deltaHi + 1 : this.deltaHi, lo >>> 0);
  }

  block(b: Block): void {
    const f = this.f;
    this.len = b.body.length + (b.branch ? 1 : 0);
    // A block that branches back to its own start (a tight loop: crc, copy, list walk) is a wasm
    // `loop` of its own: the back edge is a direct `br`, not a round through the br_table.
    const br = b.branch;
    const selfLoop = br && "target" in br && br.target === b.start ? f.loop() : undefined;
    if (selfLoop) this.loops.set(b.start, selfLoop);
    // Every side exit of the block sets L_K and branches out of this wasm block to one shared
    // exit after it (every other path through the block ends in a `br`).
    this.sideExits = f.block();
    // Room in the budget for the whole block? Otherwise stop before it.
    f.get(L_CNT).i32(this.len).op(Op.i32_add).tee(L_CNT).get(P_BUDGET).op(Op.i32_gt_u);
    f.if();
    this.sideExit(b.start, 0);
    f.end();
    this.fpChecked = false;
    b.body.forEach((d, i) => this.op(d, b.start + 4 * i, i));
    const at = b.start + 4 * b.body.length;
    // A block cut short leaves as a jump would (its next instruction untranslated) or with
    // CUT_EXIT (the region full, or its page ended): runCompiled then counts where it went as a
    // branch target, so code reached only by falling through (long straight-line functions, a
    // function across a page boundary) gets compiled too.
    if (b.branch) this.branch(b.branch, at, b.spec);
    else if (b.stop) this.leave(b.next, STOP_EXIT);
    else if (this.index.has(b.next) || !b.cut) this.jump(b.next);
    else this.leave(b.next, CUT_EXIT);
    f.end();
    // The shared exit: nothing of instruction L_K and after it happened; the PC is its address.
    f.get(L_CNT).i32(this.len).get(L_K).op(Op.i32_sub).op(Op.i32_sub).set(L_CNT);
    this.pushVa(b.start).get(L_K).op(Op.i64_extend_i32_u).i64n(2).op(Op.i64_shl).op(Op.i64_add).set(L_NPC);
    f.i32(SIDE_EXIT).set(L_KIND).br(this.exit);
    if (selfLoop) { f.end(); this.loops.delete(b.start); }
  }

  /**
   * A rotated loop (rotatedHead): the latch `t` and a copy of its head `h` in one wasm loop. The
   * latch's branch to the head goes on to the copy, whose fall-through into the latch is the back
   * edge; each still checks the budget and has its own side exits, so an iteration is the same
   * two blocks as through the br_table. (`h` is emitted at its own place too.)
   */
  rotatedLoop(t: Block, h: Block, hKinds: Kinds): void {
    const f = this.f;
    const loop = f.loop();
    const toHead = f.block();
    this.loops.set(h.start, toHead);
    this.block(t);
    this.loops.delete(h.start);
    f.end();
    this.kinds = hKinds;
    this.loops.set(t.start, loop);
    this.block(h);
    this.loops.delete(t.start);
    f.end();
  }

  /** The shared side exit of the block being emitted. */
  private sideExits!: Label;
  /** Block starts that a jump from here reaches with a plain `br` (the loops being emitted). */
  private readonly loops = new Map<number, Label>();

  /** Leaves before the instruction at `pc`, the `k`th of the block; nothing of it happened. */
  private sideExit(pc: number, k: number): void {
    void pc; // (= the block's start + 4k)
    this.f.i32(k).set(L_K).br(this.sideExits);
  }

  /** Continues at `target`: inside the region if it is one of its blocks, else leaves. */
  private jump(target: number): void {
    const f = this.f;
    const inLoop = this.loops.get(target);
    if (inLoop) { f.br(inLoop); return; }
    const i = this.index.get(target);
    if (i === undefined) this.leave(target, this.unrun.has(target) ? CUT_EXIT : 0);
    else if (i > this.current) f.br(this.labels[i]);
    else f.i32(i).set(L_NEXT).br(this.loop);
  }

  /** Leaves the region for `target` with the return value's flags `kind` (0, CUT_EXIT or STOP_EXIT). */
  private leave(target: number, kind: number): void {
    this.pushVa(target).set(L_NPC).i32(kind).set(L_KIND).br(this.exit);
  }

  /** An indirect branch to NPC: stays inside if it is `spec` (Block.spec) or one of the region's return points. */
  private returnTo(spec?: number): void {
    const f = this.f;
    for (const r of spec === undefined ? this.returnPoints : [spec, ...this.returnPoints]) {
      f.get(L_NPC);
      this.pushVa(r).op(Op.i64_eq);
      f.if();
      this.jump(r);
      f.end();
    }
  }

  // ---- registers ----

  /** Pushes Xn (i64); 31 is SP if `sp`, else XZR. */
  private x(n: number, sp = false): void {
    const f = this.f;
    if (n === 31 && !sp) { f.i64n(0); return; }
    this.used.add(n);
    f.get(regLocal(n));
  }
  /** Pushes Wn zero-extended to i64. */
  private w(n: number): void {
    this.x(n);
    if (n !== 31) this.f.zext32();
  }
  private reg(n: number, sf: boolean, sp = false): void { if (sf || (n === 31 && sp)) this.x(n, sp); else this.w(n); }
  /** Writes the i64 that `value` pushes to Xn (31: SP if `sp`, else discarded), truncated to 32 bits unless `sf`. */
  private setX(n: number, sf: boolean, value: () => void, sp = false): void {
    const f = this.f;
    if (n === 31 && !sp) return;
    value();
    if (!sf) f.zext32();
    f.set(regLocal(n));
    this.written.add(n);
  }

  // ---- operands and flags ----

  private operand(b: Operand, sf: boolean): void {
    const f = this.f;
    if (b.t === "imm") { f.i64(b.v); return; }
    if (b.t === "shift") {
      if (b.amount === 0) { this.reg(b.rm, sf); return; }
      if (sf) {
        this.x(b.rm);
        f.i64n(b.amount).op([Op.i64_shl, Op.i64_shr_u, Op.i64_shr_s, Op.i64_rotr][b.type]);
      } else {
        if (b.rm === 31) f.i32(0); else { this.x(b.rm); f.op(Op.i32_wrap_i64); }
        f.i32(b.amount).op([Op.i32_shl, Op.i32_shr_u, Op.i32_shr_s, Op.i32_rotr][b.type]).op(Op.i64_extend_i32_u);
      }
      return;
    }
    // Extended register (ARM ARM ExtendReg): UXTB/H/W/X, SXTB/H/W/X, then LSL #amount.
    this.x(b.rm);
    switch (b.option) {
      case 0: f.i64n(0xff).op(Op.i64_and); break;
      case 1: f.i64n(0xffff).op(Op.i64_and); break;
      case 2: f.zext32(); break;
      case 4: f.op(Op.i64_extend8_s); break;
      case 5: f.op(Op.i64_extend16_s); break;
      case 6: f.op(Op.i64_extend32_s); break;
    }
    if (b.amount) f.i64n(b.amount).op(Op.i64_shl);
  }

  /** Sets N and Z from R (width sf). */
  private nz(sf: boolean): void {
    const f = this.f;
    this.signBit(R, sf);
    f.set(F_N);
    f.get(R);
    if (!sf) f.zext32();
    f.op(Op.i64_eqz).set(F_Z);
  }

  /**
   * R = A + B2 (+ carry), where B2 is B or ~B; flags as AddWithCarry (ARM ARM J1). For 32 bits A and
   * B2 are zero-extended so bit 32 of the sum is the carry.
   */
  private addWithCarry(sf: boolean, invert: boolean, carry: "0" | "1" | "C", setf: boolean): void {
    const f = this.f;
    if (invert) {
      f.get(B).i64n(-1).op(Op.i64_xor);
      if (!sf) f.zext32();
      f.set(B);
    }
    f.get(A).get(B).op(Op.i64_add);
    if (carry === "1") f.i64n(1).op(Op.i64_add);
    else if (carry === "C") f.get(F_C).op(Op.i64_extend_i32_u).op(Op.i64_add);
    f.set(R);
    if (!setf) return;
    this.nz(sf);
    if (sf) {
      // Carry out of 64 bits: R < A, or R == A with a carry in.
      if (carry === "0") f.get(R).get(A).op(Op.i64_lt_u);
      else if (carry === "1") f.get(R).get(A).op(Op.i64_le_u);
      else {
        f.get(R).get(A).op(Op.i64_lt_u);
        f.get(R).get(A).op(Op.i64_eq).get(F_C).op(Op.i32_and).op(Op.i32_or);
      }
      f.set(F_C);
    } else {
      f.get(R).i64n(32).op(Op.i64_shr_u).op(Op.i32_wrap_i64).i32(1).op(Op.i32_and).set(F_C);
    }
    f.get(A).get(R).op(Op.i64_xor).get(B).get(R).op(Op.i64_xor).op(Op.i64_and);
    f.i64n(sf ? 63 : 31).op(Op.i64_shr_u).op(Op.i32_wrap_i64).i32(1).op(Op.i32_and).set(F_V);
  }

  /**
   * Loads `la` (Xn/Wn zero-extended; A unless given) and `lb` (the operand, zero-extended for 32
   * bits; B). Of the operands only an extended register can have bits above 31 in a 32-bit
   * operation (SXTB); a register or a shifted one is zero-extended already (Gen.w, Gen.operand).
   */
  private operands(rn: number, rnSp: boolean, b: Operand, sf: boolean, la = A, lb = B): void {
    const f = this.f;
    this.reg(rn, sf, rnSp);
    if (!sf && rn === 31 && rnSp) f.zext32();
    f.set(la);
    this.operand(b, sf);
    if (!sf && b.t === "ext") f.zext32();
    f.set(lb);
  }

  /** Pushes bit 63 (bit 31 unless `sf`) of local `l` as an i32. */
  private signBit(l: number, sf: boolean): void {
    this.f.get(l).i64n(sf ? 63 : 31).op(Op.i64_shr_u).op(Op.i32_wrap_i64).i32(1).op(Op.i32_and);
  }

  // ---- lazy flags (L_FK) ----

  /** Records a flag-setting instruction of kind `k` (its operands or result are in FA, FB, FR). */
  private setKind(k: number): void {
    this.f.i32(k).set(L_FK);
    this.kinds = 1 << k;
  }

  /** The flag locals hold NZCV from here on: computes them from FA, FB, FR if FK says so. */
  materialize(): void {
    const f = this.f, kinds = this.kinds;
    if (kinds === MATERIALIZED) return;
    for (let k = K_ADD64; k <= K_LOG32; k++) {
      if (!(kinds & (1 << k))) continue;
      const known = kinds === 1 << k;
      if (!known) { f.get(L_FK).i32(k).op(Op.i32_eq); f.if(); }
      if (k >= K_LOG64) {
        f.get(L_FR).set(R);
        this.nz(k === K_LOG64);
        f.i32(0).set(F_C).i32(0).set(F_V);
      } else {
        f.get(L_FA).set(A).get(L_FB).set(B);
        const sub = k === K_SUB64 || k === K_SUB32;
        this.addWithCarry(k <= K_SUB64, sub, sub ? "1" : "0", true);
      }
      if (!known) f.end();
    }
    f.i32(0).set(L_FK);
    this.kinds = MATERIALIZED;
  }

  /**
   * ConditionHolds(cond) straight from a lazy kind's operands (ARM ARM J1 ConditionHolds with the
   * flags of AddWithCarry), or undefined where that is not one compare (then NZCV is computed).
   */
  private direct(k: number, c: number): (() => void) | undefined {
    const f = this.f, sf = k === K_ADD64 || k === K_SUB64 || k === K_LOG64, neg = c & 1;
    const cmp = (op64: number, op32: number) => () => {
      if (sf || op64 === op32) f.get(L_FA).get(L_FB).op(op64);
      else f.get(L_FA).op(Op.i32_wrap_i64).get(L_FB).op(Op.i32_wrap_i64).op(op32);
    };
    const signed = (op64: number, op32: number) => () => {
      // The result against zero, signed at the width: N == V with V = 0.
      if (sf) f.get(L_FR).i64n(0).op(op64);
      else f.get(L_FR).op(Op.i32_wrap_i64).i32(0).op(op32);
    };
    const constant = (v: number) => () => { f.i32(v); };
    if (k === K_SUB64 || k === K_SUB32) {
      switch (c) {
        case 0: return cmp(Op.i64_eq, Op.i64_eq);
        case 1: return cmp(Op.i64_ne, Op.i64_ne);
        case 2: return cmp(Op.i64_ge_u, Op.i64_ge_u);
        case 3: return cmp(Op.i64_lt_u, Op.i64_lt_u);
        case 4: case 5: return () => {
          f.get(L_FA).get(L_FB).op(Op.i64_sub).set(R);
          this.signBit(R, sf);
          if (neg) f.op(Op.i32_eqz);
        };
        case 8: return cmp(Op.i64_gt_u, Op.i64_gt_u);
        case 9: return cmp(Op.i64_le_u, Op.i64_le_u);
        case 10: return cmp(Op.i64_ge_s, Op.i32_ge_s);
        case 11: return cmp(Op.i64_lt_s, Op.i32_lt_s);
        case 12: return cmp(Op.i64_gt_s, Op.i32_gt_s);
        case 13: return cmp(Op.i64_le_s, Op.i32_le_s);
        default: return undefined; // VS, VC
      }
    }
    if (k === K_ADD64 || k === K_ADD32) {
      if (c > 5 || c === 2 || c === 3) return undefined;
      return () => {
        f.get(L_FA).get(L_FB).op(Op.i64_add).set(R);
        if (c < 2) { f.get(R); if (!sf) f.zext32(); f.op(Op.i64_eqz); }
        else this.signBit(R, sf);
        if (neg) f.op(Op.i32_eqz);
      };
    }
    // AND: C = V = 0.
    switch (c) {
      case 0: case 1: return () => { f.get(L_FR).op(Op.i64_eqz); if (neg) f.op(Op.i32_eqz); };
      case 4: case 5: case 11: case 10: return () => { this.signBit(L_FR, sf); if (c === 5 || c === 10) f.op(Op.i32_eqz); };
      case 2: case 6: case 8: return constant(0);
      case 3: case 7: case 9: return constant(1);
      case 12: return signed(Op.i64_gt_s, Op.i32_gt_s);
      case 13: return signed(Op.i64_le_s, Op.i32_le_s);
      default: return undefined;
    }
  }

  /** Pushes ConditionHolds(cond) as an i32 (non-zero: holds). */
  private cond(c: number): void {
    const f = this.f, kinds = this.kinds;
    if (c >= 14) { f.i32(1); return; } // AL and NV
    if (kinds !== MATERIALIZED) {
      const k = 31 - Math.clz32(kinds), emit = this.direct(k, c);
      if (emit && kinds === 1 << k) { emit(); return; }
      if (emit && kinds === (MATERIALIZED | (1 << k))) {
        // Entered from outside (NZCV) or from a predecessor that left kind k.
        f.get(L_FK).op(Op.i32_eqz);
        f.if(I32);
        this.condFromFlags(c);
        f.else();
        emit();
        f.end();
        return;
      }
      this.materialize();
    }
    this.condFromFlags(c);
  }

  /** Pushes ConditionHolds(cond) from the flag locals. */
  private condFromFlags(c: number): void {
    const f = this.f;
    switch (c >> 1) {
      case 0: f.get(F_Z); break;
      case 1: f.get(F_C); break;
      case 2: f.get(F_N); break;
      case 3: f.get(F_V); break;
      case 4: f.get(F_C).get(F_Z).i32(1).op(Op.i32_xor).op(Op.i32_and); break;
      case 5: f.get(F_N).get(F_V).op(Op.i32_eq); break;
      case 6: f.get(F_N).get(F_V).op(Op.i32_eq).get(F_Z).i32(1).op(Op.i32_xor).op(Op.i32_and); break;
      default: f.i32(1); return; // AL and NV
    }
    if (c & 1) f.op(Op.i32_eqz);
  }

  // ---- instructions ----

  private op(d: Decoded, pc: number, k: number): void {
    const f = this.f;
    if (isSimd(d) && !this.fpChecked) {
      // SIMD&FP disabled at this EL (CPACR_EL1.FPEN, CPTR_ELx.TFP): the interpreter takes the trap.
      this.usesV = this.fpChecked = true;
      f.i32(this.env.jitFpOff).mem(Op.i32_load, 0);
      f.if(); this.sideExit(pc, k); f.end();
    }
    switch (d.k) {
      case "nop": return;
      case "mrs": {
        // SP_EL0 and TPIDR_EL1 need EL1 or above, and SP_EL0 also that it is not the current SP:
        // both hold when the current SP (P_SP) is not SP_EL0, which it always is at EL0 (else
        // the interpreter's UNDEFINED or trap). Compiled code writes no system register, so the
        // CPU state holds them.
        // DCZID_EL0 at EL1 and above: the block size alone (DZP, bit 4, is for EL0 without
        // SCTLR_EL1.DZE; soc/cpu/sysreg.ts).
        if (d.reg !== "tpidr_el0") this.leaveAtEl0(pc, k);
        if (d.reg === "dczid_el0") { this.setX(d.rt, true, () => f.i64n(DCZID_EL0_VALUE)); return; }
        const at = d.reg === "sp_el0" ? OFF_SP : OFF_SYSREG + 8 * (d.reg === "tpidr_el1" ? SLOT_TPIDR_EL1 : SLOT_TPIDR_EL0);
        this.setX(d.rt, true, () => f.get(P_RB).mem(Op.i64_load, at));
        return;
      }
      case "zva": {
        // At EL0 it needs SCTLR_EL1.DZE: the interpreter's. Elsewhere 8 stores of zero, each
        // the interpreter's busWrite (soc/cpu/branch_sys.ts): one probe for the block (one page),
        // a side exit on a miss, where the interpreter takes the abort.
        this.leaveAtEl0(pc, k);
        this.address(NO_BASE, () => { this.x(d.rt); f.i64n(~(ZVA_BYTES - 1)).op(Op.i64_and); }, ZVA_BYTES, true, pc, k);
        for (let i = 0; i < ZVA_BYTES; i += 8) { const off = this.host(); f.i64n(0); f.mem(Op.i64_store, off + i); }
        f.i32(1).set(L_ST);
        return;
      }
      case "const": this.setX(d.rd, true, () => f.i64(this.delta === undefined ? d.v : BigInt.asUintN(64, d.v + this.delta))); return;
      case "addsub":
        if (d.setf && d.rd === 31) {
          // CMP, CMN: the flags alone, lazily (FA, FB); the sum would go nowhere.
          this.operands(d.rn, d.rnSp, d.b, d.sf, L_FA, L_FB);
          this.setKind(flagKind(d));
          return;
        }
        this.operands(d.rn, d.rnSp, d.b, d.sf);
        if (d.setf) { f.get(A).set(L_FA).get(B).set(L_FB); this.setKind(flagKind(d)); }
        this.addWithCarry(d.sf, d.sub, d.sub ? "1" : "0", false);
        this.setX(d.rd, d.sf, () => f.get(R), d.rdSp);
        return;
      case "adc":
        this.materialize(); // reads C
        this.operands(d.rn, false, { t: "shift", rm: d.rm, type: 0, amount: 0 }, d.sf);
        this.addWithCarry(d.sf, d.sub, "C", d.setf);
        this.setX(d.rd, d.sf, () => f.get(R));
        return;
      case "logic": {
        // MOV (register) is ORR from XZR: the operand alone.
        const mov = d.rn === 31 && d.opc === 1 && !d.invert;
        if (!mov) this.reg(d.rn, d.sf);
        this.operand(d.b, d.sf);
        if (d.invert) f.i64n(-1).op(Op.i64_xor);
        if (!mov) f.op([Op.i64_and, Op.i64_or, Op.i64_xor, Op.i64_and][d.opc]);
        // Both operands of a 32-bit one are zero-extended (Gen.w, Gen.operand), and so is the
        // result unless one was inverted.
        if (!d.sf && d.invert) f.zext32();
        f.set(R);
        if (d.opc === 3) { f.get(R).set(L_FR); this.setKind(flagKind(d)); }
        this.setX(d.rd, true, () => f.get(R), d.rdSp);
        return;
      }
      case "movw": {
        const v = d.imm << BigInt(d.shift);
        if (d.opc === 0) this.setX(d.rd, true, () => f.i64(d.sf ? ~v : ~v & M32));
        else if (d.opc === 2) this.setX(d.rd, true, () => f.i64(v));
        else this.setX(d.rd, d.sf, () => { this.x(d.rd); f.i64(~(0xffffn << BigInt(d.shift))).op(Op.i64_and).i64(v).op(Op.i64_or); });
        return;
      }
      case "bfm": this.bitfield(d); return;
      case "extr": {
        const size = d.sf ? 64 : 32;
        this.setX(d.rd, d.sf, () => {
          this.reg(d.rm, d.sf);
          if (d.lsb === 0) return;
          f.i64n(d.lsb).op(Op.i64_shr_u);
          this.reg(d.rn, d.sf);
          f.i64n(size - d.lsb).op(Op.i64_shl).op(Op.i64_or);
        });
        return;
      }
      case "csel":
        this.setX(d.rd, d.sf, () => {
          this.reg(d.rn, d.sf);
          this.reg(d.rm, d.sf);
          if (d.op === 0 && d.o2 === 1) f.i64n(1).op(Op.i64_add);
          else if (d.op === 1 && d.o2 === 0) f.i64n(-1).op(Op.i64_xor);
          else if (d.op === 1 && d.o2 === 1) { f.set(T).i64n(0).get(T).op(Op.i64_sub); }
          this.cond(d.cond);
          f.op(Op.select);
        });
        return;
      case "ccmp":
        this.cond(d.cond);
        f.if();
        this.operands(d.rn, false, d.b, d.sf);
        this.addWithCarry(d.sf, d.sub, d.sub ? "1" : "0", true);
        f.else();
        f.i32((d.nzcv >> 3) & 1).set(F_N).i32((d.nzcv >> 2) & 1).set(F_Z).i32((d.nzcv >> 1) & 1).set(F_C).i32(d.nzcv & 1).set(F_V);
        f.end();
        f.i32(0).set(L_FK);
        this.kinds = MATERIALIZED;
        return;
      case "div": this.divide(d.sf, d.signed, d.rd, d.rn, d.rm); return;
      case "shiftv":
        this.setX(d.rd, d.sf, () => {
          if (d.sf) {
            this.x(d.rn); this.x(d.rm);
            f.op([Op.i64_shl, Op.i64_shr_u, Op.i64_shr_s, Op.i64_rotr][d.type]);
          } else {
            this.w(d.rn); f.op(Op.i32_wrap_i64); this.w(d.rm); f.op(Op.i32_wrap_i64);
            f.op([Op.i32_shl, Op.i32_shr_u, Op.i32_shr_s, Op.i32_rotr][d.type]).op(Op.i64_extend_i32_u);
          }
        });
        return;
      case "clz":
        this.setX(d.rd, d.sf, () => {
          if (d.cls) {
            // CLS = CLZ(x XOR (x >> 1, arithmetic)) - 1: the bits after the sign bit equal to it.
            this.x(d.rn);
            if (!d.sf) f.op(Op.i64_extend32_s);
            f.set(T).get(T).get(T).i64n(1).op(Op.i64_shr_s).op(Op.i64_xor);
            if (d.sf) f.op(Op.i64_clz).i64n(1).op(Op.i64_sub);
            else f.op(Op.i32_wrap_i64).op(Op.i32_clz).i32(1).op(Op.i32_sub).op(Op.i64_extend_i32_u);
          } else if (d.sf) { this.x(d.rn); f.op(Op.i64_clz); }
          else { this.w(d.rn); f.op(Op.i32_wrap_i64).op(Op.i32_clz).op(Op.i64_extend_i32_u); }
        });
        return;
      case "rev": this.reverse(d); return;
      case "madd":
        this.setX(d.rd, d.sf, () => {
          this.x(d.ra);
          this.x(d.rn); this.x(d.rm); f.op(Op.i64_mul);
          f.op(d.sub ? Op.i64_sub : Op.i64_add);
        });
        return;
      case "maddl":
        this.setX(d.rd, true, () => {
          this.x(d.ra);
          this.w(d.rn); if (d.signed) f.op(Op.i64_extend32_s);
          this.w(d.rm); if (d.signed) f.op(Op.i64_extend32_s);
          f.op(Op.i64_mul).op(d.sub ? Op.i64_sub : Op.i64_add);
        });
        return;
      case "mulh": this.multiplyHigh(d.signed, d.rd, d.rn, d.rm); return;
      case "ldst": this.loadStore(d, pc, k); return;
      case "ldp": this.loadStorePair(d, pc, k); return;
      case "vldst": this.vLoadStore(d, pc, k); return;
      case "vldp": this.vLoadStorePair(d, pc, k); return;
      case "vec": this.vector(d); return;
      default: throw new Error(`jit: ${d.k} is not a straight-line operation`);
    }
  }

  private bitfield(d: Extract<Decoded, { k: "bfm" }>): void {
    const f = this.f;
    const size = d.sf ? 64 : 32, r = d.immr, s = d.imms;
    const mask = (w: number) => (w >= 64 ? -1n : (1n << BigInt(w)) - 1n);
    this.setX(d.rd, d.sf, () => {
      if (s >= r) {
        // Bits s..r of the source to the bottom (UBFX, SBFX, BFXIL, and the shifts and extends).
        const w = s - r + 1;
        this.x(d.rn);
        if (d.opc === 0) {
          f.i64(BigInt(64 - (r + w))).op(Op.i64_shl).i64n(64 - w).op(Op.i64_shr_s);
        } else {
          if (r) f.i64n(r).op(Op.i64_shr_u);
          if (w < 64) f.i64(mask(w)).op(Op.i64_and);
          if (d.opc === 1) { this.x(d.rd); f.i64(~mask(w)).op(Op.i64_and).op(Op.i64_or); }
        }
      } else {
        // The bottom s+1 bits to position size-r (UBFIZ, SBFIZ, BFI, LSL).
        const w = s + 1, pos = size - r;
        this.x(d.rn);
        if (d.opc === 0) f.i64n(64 - w).op(Op.i64_shl).i64n(64 - w).op(Op.i64_shr_s);
        else f.i64(mask(w)).op(Op.i64_and);
        f.i64n(pos).op(Op.i64_shl);
        if (d.opc === 1) { this.x(d.rd); f.i64(~(mask(w) << BigInt(pos))).op(Op.i64_and).op(Op.i64_or); }
      }
    });
  }

  /** RBIT, REV16, REV32, REV: swaps of ever larger groups of bits, on T (zero-extended for 32 bits). */
  private reverse(d: Extract<Decoded, { k: "rev" }>): void {
    const f = this.f, size = d.sf ? 64 : 32;
    const swap = (bits: number) => {
      // T = ((T >> bits) & m) | ((T & m) << bits), m = the low `bits` of every 2*bits.
      let m = 0n;
      for (let i = 0; i < size; i += 2 * bits) m |= ((1n << BigInt(bits)) - 1n) << BigInt(i);
      f.get(T).i64n(bits).op(Op.i64_shr_u).i64(m).op(Op.i64_and);
      f.get(T).i64(m).op(Op.i64_and).i64n(bits).op(Op.i64_shl).op(Op.i64_or).set(T);
    };
    this.setX(d.rd, d.sf, () => {
      this.reg(d.rn, d.sf);
      f.set(T);
      if (d.op === 0) for (const b of [1, 2, 4]) swap(b); // RBIT: bits within bytes, then the bytes
      // The bytes within halfwords (REV16), then within words (REV32, 32-bit REV), then the words (64-bit REV).
      swap(8);
      if (d.op !== 1) swap(16);
      if (d.op === 3 || (d.op === 0 && d.sf)) swap(32);
      f.get(T);
    });
  }

  private divide(sf: boolean, signed: boolean, rd: number, rn: number, rm: number): void {
    const f = this.f;
    // Division by zero gives 0 (ARM ARM C6.2 SDIV/UDIV); INT64_MIN / -1 gives INT64_MIN where wasm would trap.
    this.reg(rn, sf); if (signed && !sf) f.op(Op.i64_extend32_s); f.set(A);
    this.reg(rm, sf); if (signed && !sf) f.op(Op.i64_extend32_s); f.set(B);
    this.setX(rd, sf, () => {
      f.get(B).op(Op.i64_eqz);
      f.if(I64);
      f.i64n(0);
      f.else();
      if (signed && sf) {
        f.get(B).i64n(-1).op(Op.i64_eq);
        f.if(I64);
        f.i64n(0).get(A).op(Op.i64_sub);
        f.else();
        f.get(A).get(B).op(Op.i64_div_s);
        f.end();
      } else {
        f.get(A).get(B).op(signed ? Op.i64_div_s : Op.i64_div_u);
      }
      f.end();
    });
  }

  private multiplyHigh(signed: boolean, rd: number, rn: number, rm: number): void {
    const f = this.f;
    this.x(rn); f.set(A);
    this.x(rm); f.set(B);
    const lo = (l: number) => { f.get(l).zext32(); };
    const hi = (l: number) => { f.get(l).i64n(32).op(Op.i64_shr_u); };
    // 64x64 -> 128 from four 32x32 products; T2 = lo*hi, T3 = hi*lo.
    lo(A); hi(B); f.op(Op.i64_mul).set(T2);
    hi(A); lo(B); f.op(Op.i64_mul).set(T3);
    // Middle column with the carry out of the low product.
    lo(A); lo(B); f.op(Op.i64_mul).i64n(32).op(Op.i64_shr_u);
    f.get(T2).zext32().op(Op.i64_add);
    f.get(T3).zext32().op(Op.i64_add).set(T);
    this.setX(rd, true, () => {
      hi(A); hi(B); f.op(Op.i64_mul);
      f.get(T2).i64n(32).op(Op.i64_shr_u).op(Op.i64_add);
      f.get(T3).i64n(32).op(Op.i64_shr_u).op(Op.i64_add);
      f.get(T).i64n(32).op(Op.i64_shr_u).op(Op.i64_add);
      if (signed) {
        // Signed high half = unsigned high half - (a < 0 ? b : 0) - (b < 0 ? a : 0).
        f.get(B).i64n(0).get(A).i64n(0).op(Op.i64_lt_s).op(Op.select).op(Op.i64_sub);
        f.get(A).i64n(0).get(B).i64n(0).op(Op.i64_lt_s).op(Op.select).op(Op.i64_sub);
      }
    });
  }

  // ---- memory ----

  /**
   * ADDR = the access address; leaves (side exit) unless [ADDR, ADDR + bytes) is RAM, the base
   * is not a misaligned SP, and for stores no decoded code is there. Nothing has changed yet.
   */
  private address(rn: number, addr: () => void, bytes: number, store: boolean, pc: number, k: number): void {
    const f = this.f;
    if (rn === 31) {
      // SP alignment checking (ARM ARM D1.8.2) is the interpreter's business.
      this.x(31, true); f.i64n(15).op(Op.i64_and).op(Op.i64_eqz).op(Op.i32_eqz);
      f.if(); this.sideExit(pc, k); f.end();
    }
    addr();
    if (this.delta !== undefined) { this.probe(bytes, store, pc, k); return; }
    f.tee(ADDR).i64n(this.env.ramSize - bytes).op(Op.i64_gt_u);
    f.if(); this.sideExit(pc, k); f.end();
    if (store) {
      // The decode-cache class bytes of the words written (a few more for the wider stores).
      f.get(ADDR).op(Op.i32_wrap_i64).i32(2).op(Op.i32_shr_u);
      this.classBytes(bytes, pc, k);
    }
  }

  /**
   * Leaves when the current SP is SP_EL0 (P_SP): always so at EL0, where the interpreter's
   * UNDEFINED or trap decides, and at EL1 with SPSel 0, left to it too.
   */
  private leaveAtEl0(pc: number, k: number): void {
    const f = this.f;
    f.get(P_SP).get(P_RB).i32(OFF_SP).op(Op.i32_add).op(Op.i32_eq);
    f.if(); this.sideExit(pc, k); f.end();
  }

  /** Leaves unless the decode-cache class bytes at the (i32) word index on the stack are all zero. */
  private classBytes(bytes: number, pc: number, k: number): void {
    const f = this.f;
    if (bytes > 16) {
      // Two 8-byte loads: STP of two Q registers (up to 9 words, overlapping), DC ZVA (16 aligned words).
      const second = bytes === ZVA_BYTES ? 8 : 1;
      f.tee(L_W).mem(Op.i64_load, this.env.decodeBase).get(L_W).mem(Op.i64_load, this.env.decodeBase + second).op(Op.i64_or);
      f.op(Op.i64_eqz).op(Op.i32_eqz);
      f.if(); this.sideExit(pc, k); f.end();
      return;
    }
    const words = bytes === 1 ? Op.i32_load8_u : bytes <= 4 ? Op.i32_load16_u : bytes === 8 ? Op.i32_load : Op.i64_load;
    f.code.byte(words); f.code.u32(0); f.code.u32(this.env.decodeBase);
    if (words === Op.i64_load) f.op(Op.i64_eqz).op(Op.i32_eqz);
    f.if(); this.sideExit(pc, k); f.end();
  }

  /**
   * Translated code: the VA on the stack goes to ADDR; leaves unless the current TLB table
   * (soc/cpu/mmu.ts) has the access's page for this kind of access (a RAM page of Normal memory:
   * the tag compares the page of the access's last byte, so crossing a page leaves too), and for
   * stores no decoded code is there. L_HOST = the host address.
   */
  private probe(bytes: number, store: boolean, pc: number, k: number): void {
    const f = this.f;
    const lastPage = () => {
      f.get(ADDR);
      if (bytes > 1) f.i64n(bytes - 1).op(Op.i64_add);
      f.i64(~0xfffn).op(Op.i64_and);
    };
    f.set(ADDR);
    // The set's offset: ((VA >> 12) % TLB_SETS) * 32, from the low 32 bits.
    f.get(ADDR).op(Op.i32_wrap_i64).i32(12 - 5).op(Op.i32_shr_u).i32((TLB_SETS - 1) << 5).op(Op.i32_and);
    f.get(L_TLB).op(Op.i32_add).tee(L_ENT);
    f.mem(Op.i64_load, store ? 8 : 0);
    lastPage();
    f.op(Op.i64_ne);
    f.if();
    // Way 1 of the set (soc/cpu/mmu.ts).
    f.get(L_ENT).i32(TLB_WAY_BYTES).op(Op.i32_add).tee(L_ENT).mem(Op.i64_load, store ? 8 : 0);
    lastPage();
    f.op(Op.i64_ne);
    f.if(); this.sideExit(pc, k); f.end();
    f.end();
    f.get(ADDR).op(Op.i32_wrap_i64).get(L_ENT).mem(Op.i32_load, 24).op(Op.i32_add).set(L_HOST);
    if (store) {
      f.get(L_HOST).i32(this.env.ramBase).op(Op.i32_sub).i32(2).op(Op.i32_shr_u);
      this.classBytes(bytes, pc, k);
    }
  }

  /** Pushes the host address of the access (i32) and gives the memory offset to use with it. */
  private host(): number {
    if (this.delta !== undefined) { this.f.get(L_HOST); return 0; }
    this.f.get(ADDR).op(Op.i32_wrap_i64);
    return this.env.ramBase;
  }

  private baseAddress(rn: number, imm: bigint): void {
    this.x(rn, true);
    if (imm !== 0n) this.f.i64(imm).op(Op.i64_add);
  }

  /** Pushes the address of a single-register load or store (before the write-back of a post-index). */
  private singleAddress(rn: number, a: LdstAddress): void {
    const f = this.f;
    if (a.t === "reg") { this.x(rn, true); this.operand({ t: "ext", rm: a.rm, option: a.option, amount: a.shift }, true); f.op(Op.i64_add); }
    else if (a.t === "lit") this.pushVa(a.addr);
    else this.baseAddress(rn, a.mode !== "post" ? a.imm : 0n);
  }

  /** The base register's write-back of a pre- or post-indexed access (ADDR is the access address). */
  private writeBack(rn: number, mode: "off" | "pre" | "post", imm: bigint): void {
    this.setX(rn, true, () => { this.f.get(ADDR); if (mode === "post") this.f.i64(imm).op(Op.i64_add); }, true);
  }

  private loadStore(d: Extract<Decoded, { k: "ldst" }>, pc: number, k: number): void {
    const f = this.f;
    const a = d.a;
    this.address(d.rn, () => {
      this.singleAddress(d.rn, a);
      if (!d.aligned || d.bytes === 1) return;
      // LDAR/STLR: an unaligned address is the interpreter's alignment fault.
      f.tee(ADDR).i64n(d.bytes - 1).op(Op.i64_and).op(Op.i64_eqz).op(Op.i32_eqz);
      f.if(); this.sideExit(pc, k); f.end();
      f.get(ADDR);
    }, d.bytes, !d.load, pc, k);
    if (d.load) {
      const op = d.bytes === 8 ? Op.i64_load
        : d.bytes === 4 ? (d.signed ? Op.i64_load32_s : Op.i64_load32_u)
        : d.bytes === 2 ? (d.signed ? Op.i64_load16_s : Op.i64_load16_u)
        : (d.signed ? Op.i64_load8_s : Op.i64_load8_u);
      this.setX(d.rt, !d.to32, () => { const off = this.host(); f.mem(op, off); });
    } else {
      const off = this.host();
      this.x(d.rt);
      f.mem(d.bytes === 8 ? Op.i64_store : d.bytes === 4 ? Op.i64_store32 : d.bytes === 2 ? Op.i64_store16 : Op.i64_store8, off);
      f.i32(1).set(L_ST);
    }
    if (a.t === "imm" && a.mode !== "off") {
      this.writeBack(d.rn, a.mode, a.imm);
    }
  }

  private loadStorePair(d: Extract<Decoded, { k: "ldp" }>, pc: number, k: number): void {
    const f = this.f;
    this.address(d.rn, () => this.baseAddress(d.rn, d.mode !== "post" ? d.imm : 0n), d.bytes * 2, !d.load, pc, k);
    if (d.load) {
      const op = d.bytes === 8 ? Op.i64_load : d.signed ? Op.i64_load32_s : Op.i64_load32_u;
      let off = this.host(); f.mem(op, off).set(A);
      off = this.host(); f.mem(op, off + d.bytes).set(B);
      this.setX(d.rt, true, () => f.get(A));
      this.setX(d.rt2, true, () => f.get(B));
    } else {
      const op = d.bytes === 8 ? Op.i64_store : Op.i64_store32;
      let off = this.host(); this.x(d.rt); f.mem(op, off);
      off = this.host(); this.x(d.rt2); f.mem(op, off + d.bytes);
      f.i32(1).set(L_ST);
    }
    if (d.mode !== "off") {
      this.writeBack(d.rn, d.mode, d.imm);
    }
  }

  // ---- SIMD&FP (host/jit/simd.ts) ----

  /** Where Vn is, as the offset of a load or store from regBase (P_RB). */
  private vOff(n: number): number { return this.env.vBase + 16 * n; }

  /** Loads `bytes` at the host address into Vt (the rest zeroed), or stores the low `bytes` of Vt there. */
  private vTransfer(t: number, bytes: number, load: boolean, at: number): void {
    const f = this.f;
    if (load) {
      f.get(P_RB);
      const off = this.host();
      if (bytes === 16) { f.vmem(V.load, off + at).vmem(V.store, this.vOff(t)); return; }
      f.mem(bytes === 8 ? Op.i64_load : bytes === 4 ? Op.i64_load32_u : bytes === 2 ? Op.i64_load16_u : Op.i64_load8_u, off + at);
      f.mem(Op.i64_store, this.vOff(t));
      f.get(P_RB).i64n(0).mem(Op.i64_store, this.vOff(t) + 8);
      return;
    }
    const off = this.host();
    if (bytes === 16) { f.get(P_RB).vmem(V.load, this.vOff(t)).vmem(V.store, off + at); return; }
    f.get(P_RB).mem(Op.i64_load, this.vOff(t));
    f.mem(bytes === 8 ? Op.i64_store : bytes === 4 ? Op.i64_store32 : bytes === 2 ? Op.i64_store16 : Op.i64_store8, off + at);
  }

  private vLoadStore(d: Extract<SimdDecoded, { k: "vldst" }>, pc: number, k: number): void {
    const f = this.f, a = d.a;
    this.address(d.rn, () => this.singleAddress(d.rn, a), d.bytes, !d.load, pc, k);
    this.vTransfer(d.rt, d.bytes, d.load, 0);
    if (!d.load) f.i32(1).set(L_ST);
    if (a.t === "imm" && a.mode !== "off") {
      this.writeBack(d.rn, a.mode, a.imm);
    }
  }

  private vLoadStorePair(d: Extract<SimdDecoded, { k: "vldp" }>, pc: number, k: number): void {
    const f = this.f;
    this.address(d.rn, () => this.baseAddress(d.rn, d.mode !== "post" ? d.imm : 0n), d.bytes * 2, !d.load, pc, k);
    // Every byte is RAM (checked above), so neither access can fault after the other.
    this.vTransfer(d.rt, d.bytes, d.load, 0);
    this.vTransfer(d.rt2, d.bytes, d.load, d.bytes);
    if (!d.load) f.i32(1).set(L_ST);
    if (d.mode !== "off") {
      this.writeBack(d.rn, d.mode, d.imm);
    }
  }

  /** Runs the steps of a vector operation and writes its result. */
  private vector(d: Extract<SimdDecoded, { k: "vec" }>): void {
    const f = this.f;
    const run = () => {
      for (const st of d.steps) {
        switch (st.s) {
          case "v": f.get(P_RB).vmem(V.load, this.vOff(st.n)); break;
          case "c": f.v128(st.bytes); break;
          case "op": f.simd(st.o); break;
          case "lane": f.lane(st.o, st.lane); break;
          case "shuf": f.shuffle(st.lanes); break;
          case "i32": f.i32(st.v); break;
          case "core": f.op(st.o); break;
          case "x": this.x(st.n); if (!st.w64) f.op(Op.i32_wrap_i64); break;
        }
      }
    };
    if (d.dest.t === "x") { this.setX(d.dest.n, d.dest.sf, run); return; }
    run();
    f.set(L_VT).get(P_RB).get(L_VT).vmem(V.store, this.vOff(d.dest.n));
  }

  // ---- branches ----

  /** The branch ending a block at `pc`; `spec`: its BLR's speculated target (Block.spec). */
  private branch(d: Decoded, pc: number, spec?: number): void {
    const f = this.f;
    switch (d.k) {
      case "b": this.jump(d.target); return;
      case "bl":
        this.setX(30, true, () => this.pushVa(pc + 4));
        this.jump(d.target);
        return;
      case "breg":
        this.x(d.rn); f.set(L_NPC);
        if (d.link) this.setX(30, true, () => this.pushVa(pc + 4));
        this.returnTo(spec);
        f.i32(0).set(L_KIND).br(this.exit);
        return;
      case "bcond": this.cond(d.cond); break;
      case "cbz": this.reg(d.rt, d.sf); f.op(Op.i64_eqz); if (d.nz) f.op(Op.i32_eqz); break;
      case "tbz": this.x(d.rt); f.i64n(d.bit).op(Op.i64_shr_u).i64n(1).op(Op.i64_and).op(Op.i32_wrap_i64); if (!d.nz) f.op(Op.i32_eqz); break;
      default: throw new Error(`jit: ${d.k} is not a branch`);
    }
    // Conditional: taken or fall through.
    f.if();
    this.jump(d.target);
    f.else();
    this.jump(pc + 4);
    f.end();
  }
}
