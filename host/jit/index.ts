// The host half of the compiler of hot code (soc/cpu/jit.ts is the other):
// takes the entries the SoC queued, compiles them into one WebAssembly module,
// puts its functions in the SoC's function table and installs them.

import { nowMs } from "../clock.js";
import * as L from "../layout.js";
import { formRegion, emitRegion, type JitEnv, type Region } from "./compile.js";
import { moduleBytes } from "./wasm.js";

/** Decode-cache class of a word where compiled code is entered (soc/cpu/jit.ts C_JIT). */
const C_JIT = 19;

export interface JitExports {
  jitConfigure(on: boolean, threshold: number): void;
  jitInstall(entry: bigint, lo: bigint, hi: bigint, fn: number, delta: bigint, entries: number): number;
  jitAddEntry(addr: bigint, block: number): void;
  jitEntryLive(addr: bigint, delta: bigint): number;
  jitIndirectTarget(pc: bigint): bigint;
  jitChained(): bigint;
  jitReset(): void;
  jitRetired(): bigint;
  jitDroppedUseless(): number;
  jitDecodeBase(): number;
  jitMarkTranslated(addr: bigint): void;
}

export interface JitStats {
  /** Regions compiled and installed. */
  regions: number;
  /** Entries of those regions (every block start is one). */
  entries: number;
  /** Calls from one region's exit into compiled code (the same or another region) without the run loop. */
  chained: number;
  /** Times the code cache was full (JitOptions.cacheBytes, or the SoC's tables) and was emptied. */
  flushes: number;
  /** Bytes of WebAssembly code installed since the code cache was last emptied. */
  liveBytes: number;
  /** Guest instructions those regions translated. */
  instructions: number;
  /** Regions found already compiled in this process (same code, same kind of machine). */
  reused: number;
  /** Entries whose first instruction the compiler leaves to the interpreter. */
  rejected: number;
  /** Host milliseconds spent compiling. */
  compileMs: number;
  /**
   * Warm-up: when the first region was installed, in milliseconds since the process started
   * (nowMs(), host/clock.ts), and how many guest instructions had retired by then; undefined before.
   */
  firstInstall?: { ms: number; insns: number };
  /** Of which (this process, every machine): forming regions, emitting their code, WebAssembly compilation and instantiation. */
  phaseMs: { form: number; emit: number; wasm: number };
  /** Guest instructions retired in compiled code since reset. */
  retired: number;
  /** Entries given up: their first instruction always left (a device access), or they ran too little compiled code a time (soc/cpu/jit.ts SHORT_RUN). */
  useless: number;
  /** Batches WebAssembly refused (a compiler bug; that code stays interpreted), and the last reason. */
  errors: number;
  lastError?: string;
  /** Length of the function table (slots are reused once the SoC's region tables are full). */
  tableSlots: number;
}

// Regions compiled in this process, by their entry and the guest words they were formed from,
// and modules by the regions they hold: booting the same kernel again (a test suite boots it
// hundreds of times) installs what was compiled before instead of compiling it again.
// Both are bounded by the bytes of code they hold (a module keeps V8's machine code alive).
const regionCache = new Map<string, { reads: Uint32Array; region: Region; bytes: number }>();
const moduleCache = new Map<string, { regions: Region[]; module: WebAssembly.Module; bytes: number }>();
const CACHE_BYTES = 8 << 20;
const cacheBytes = new Map<Map<string, { bytes: number }>, number>();

function remember<V extends { bytes: number }>(cache: Map<string, V>, key: string, v: V): V {
  let total = (cacheBytes.get(cache) ?? 0) + v.bytes;
  const old = cache.get(key);
  if (old) { total -= old.bytes; cache.delete(key); }
  for (const [k, e] of cache) {
    if (total <= CACHE_BYTES) break;
    total -= e.bytes;
    cache.delete(k);
  }
  cache.set(key, v);
  cacheBytes.set(cache, total);
  return v;
}

/** Host milliseconds spent forming regions, emitting their code, and in WebAssembly compilation and instantiation. */
const phaseMs = { form: 0, emit: 0, wasm: 0 };

function cachedRegion(env: JitEnv, entry: number, delta?: bigint): { key: string; region: Region; reused: boolean } | undefined {
  let t = nowMs();
  const formed = formRegion(env, entry, delta);
  phaseMs.form += nowMs() - t;
  if (!formed) return undefined;
  const hit = regionCache.get(formed.key);
  if (hit && hit.reads.length === formed.reads.length && hit.reads.every((v, i) => v === formed.reads[i])) {
    return { key: formed.key, region: hit.region, reused: true };
  }
  t = nowMs();
  const region = emitRegion(env, formed);
  phaseMs.emit += nowMs() - t;
  remember(regionCache, formed.key, { reads: formed.reads, region, bytes: region.fn.body.code.length + formed.reads.byteLength });
  return { key: formed.key, region, reused: false };
}

/** Regions the SoC keeps at once (soc/cpu/jit.ts MAX_REGIONS), and entries (3/4 of its HASH_SIZE). */
const MAX_REGIONS = 2048;
const MAX_ENTRIES = 12288;
/** Default size of the code cache: bytes of WebAssembly function bodies installed. */
export const JIT_CACHE_BYTES = 32 << 20;

export interface JitOptions {
  /** Bytes of WebAssembly code installed before the code cache is emptied (default JIT_CACHE_BYTES). */
  cacheBytes?: number;
}

export class Jit {
  private readonly env: JitEnv;
  /** Next table slot for a compiled function, and what is installed since the last flush. */
  private nextSlot = 1;
  private live = 0;
  private liveEntries = 0;
  private liveBytes = 0;
  private readonly cacheLimit: number;
  private flushes = 0;
  private regions = 0;
  private entries = 0;
  private instructions = 0;
  private rejected = 0;
  private compileMs = 0;
  private firstInstall?: { ms: number; insns: number };
  private errors = 0;
  private reused = 0;
  private lastError?: string;
  /**
   * Block starts formed in the batch being compiled, by their region's delta (undefined: the MMU
   * off). Numbers, not `delta:addr` strings: forming asks for every instruction it reads whether
   * compiled code is entered there, and a string a question was a good part of forming's time and
   * of the run's garbage (CoreMark-250: 10 ms of the collector's).
   */
  private readonly batch = new Map<bigint | undefined, Set<number>>();
  private inBatch(delta: bigint | undefined, addr: number): boolean { return this.batch.get(delta)?.has(addr) ?? false; }
  /** The SoC's memory is shared (host/wasm.ts): the modules' import must say so. */
  private readonly sharedMemory: boolean;

  constructor(
    private readonly soc: JitExports,
    private readonly memory: WebAssembly.Memory,
    private readonly table: WebAssembly.Table,
    ramSize: number,
    /** The machine's view of linear memory (Machine.view). */
    private readonly view: () => DataView,
    /** Guest instructions retired so far (Machine.insns). */
    private readonly insns: () => number,
    opts: JitOptions = {},
  ) {
    this.cacheLimit = opts.cacheBytes ?? JIT_CACHE_BYTES;
    this.sharedMemory = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
    const decodeBase = soc.jitDecodeBase();
    const classAt = (addr: number) => view().getUint8(decodeBase + (addr >>> 2)); // the decode cache (soc/cpu/fastpath.ts)
    this.env = {
      read32: (addr) => view().getUint32(L.RAM_BASE + addr, true),
      ramSize,
      ramBase: L.RAM_BASE,
      decodeBase,
      jitPc: L.JIT_PC,
      jitFlags: L.JIT_FLAGS,
      jitFpOff: L.JIT_FP_OFF,
      vBase: L.OFF_V,
      jitTlb: L.JIT_TLB,
      indirectTarget: (pc, delta) => {
        // (The table is by VA; a target outside RAM, or misaligned, is no block of ours.)
        const va = soc.jitIndirectTarget(delta === undefined ? BigInt(pc) : BigInt.asUintN(64, BigInt(pc) + delta));
        const pa = delta === undefined ? va : BigInt.asUintN(64, va - delta);
        return (va & 3n) === 0n && pa < BigInt(ramSize) ? Number(pa) : undefined;
      },
      compiled: (addr, delta) => this.inBatch(delta, addr) ||
        (classAt(addr) === C_JIT && soc.jitEntryLive(BigInt(addr), delta === undefined ? 0n : delta | 1n) !== 0),
    };
    this.profiled = { ...this.env, executed: (addr) => classAt(addr) !== 0 };
  }

  /**
   * Regions formed from hot entries leave out the blocks the interpreter has not run yet
   * (JitEnv.executed; class 0 in the decode cache: not decoded yet, soc/cpu/fastpath.ts).
   * compile() called by a user translates all that an entry reaches.
   */
  private readonly profiled: JitEnv;

  /** Compiles what the SoC queued (run() stopped with STOP_JIT). */
  compilePending(): void {
    const v = this.view();
    const n = v.getUint32(L.JIT_QUEUE_COUNT, true);
    if (n === 0) return;
    const entries: number[] = [];
    const deltas: (bigint | undefined)[] = [];
    for (let i = 0; i < n; i++) {
      entries.push(Number(v.getBigUint64(L.JIT_QUEUE + 8 * i, true)));
      // Translated code (soc/cpu/jit.ts noteBranchTarget): VA - PA with bit 0 set; 0 with the MMU off.
      const d = v.getBigUint64(L.JIT_QUEUE_DELTA + 8 * i, true);
      deltas.push(d & 1n ? d & ~1n : undefined);
    }
    v.setUint32(L.JIT_QUEUE_COUNT, 0, true);
    this.compile(entries, deltas, this.profiled);
  }

  /** Forgets every region: the SoC's tables and the function table (so V8 may free the code). */
  flush(): void {
    this.soc.jitReset();
    for (let i = 1; i < this.nextSlot; i++) this.table.set(i, null);
    this.nextSlot = 1;
    this.live = 0;
    this.liveEntries = 0;
    this.liveBytes = 0;
    this.flushes++;
  }

  /**
   * Compiles and installs regions at these (physical) entries now; returns how many of them
   * are then entries of compiled code (compiled now, or before). `deltas[i]`: VA - PA of
   * translated code at entries[i] (undefined: the MMU off).
   */
  compile(entries: number[], deltas: (bigint | undefined)[] = [], env: JitEnv = this.env): number {
    const t0 = nowMs();
    // The code cache is full (or the SoC's tables would be): empty it before forming, so the new
    // regions do not leave to blocks about to be forgotten.
    if (this.liveBytes >= this.cacheLimit || this.live + entries.length > MAX_REGIONS || this.liveEntries + 64 * entries.length > MAX_ENTRIES) this.flush();
    const regions: Region[] = [];
    const keys: string[] = [];
    let before = 0, inBatch = 0;
    this.batch.clear();
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i], d = deltas[i];
      if (this.inBatch(d, e)) { inBatch++; continue; }
      if (this.env.compiled!(e, d)) { before++; continue; }
      const r = cachedRegion(env, e, d);
      if (!r) { this.rejected++; continue; }
      regions.push(r.region); keys.push(r.key); if (r.reused) this.reused++;
      let starts = this.batch.get(d);
      if (!starts) this.batch.set(d, starts = new Set());
      for (const a of r.region.starts) starts.add(a);
    }
    this.batch.clear();
    let instance: WebAssembly.Instance | undefined;
    if (regions.length) {
      try {
        // The regions themselves (not just their keys) decide: a cached module is taken only
        // for the very region objects it was compiled from.
        const key = keys.join(" ");
        const hit = moduleCache.get(key);
        let module = hit && hit.regions.every((r, i) => r === regions[i]) ? hit.module : undefined;
        if (!module) {
          const bytes = moduleBytes(regions.map((r) => r.fn), this.sharedMemory);
          const t = nowMs();
          module = remember(moduleCache, key, { regions: [...regions], module: new WebAssembly.Module(bytes), bytes: bytes.length }).module;
          phaseMs.wasm += nowMs() - t;
        }
        const t = nowMs();
        instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
        phaseMs.wasm += nowMs() - t;
      } catch (e) {
        // A compiler bug must not stop the guest: the interpreter keeps running this code.
        this.errors++;
        this.lastError = `entries ${regions.map((r) => "0x" + r.entry.toString(16)).join(", ")}: ${(e as Error).message}`;
        regions.length = 0;
      }
    }
    if (instance) {
      const base = this.nextSlot;
      if (base + regions.length > this.table.length) this.table.grow(base + regions.length - this.table.length);
      this.nextSlot += regions.length;
      regions.forEach((r, i) => {
        this.table.set(base + i, instance!.exports[`f${i}`] as (...args: unknown[]) => unknown);
        for (const w of r.words) this.soc.jitMarkTranslated(BigInt(w));
        if (!this.soc.jitInstall(BigInt(r.entry), BigInt(r.lo), BigInt(r.hi), base + i, r.delta === undefined ? 0n : r.delta | 1n, r.starts.length)) {
          // The SoC's tables were full after all and it forgot the others (their slots stay until the next flush).
          this.live = this.liveEntries = this.liveBytes = 0;
          this.flushes++;
        }
        r.starts.forEach((a, b) => { if (b) this.soc.jitAddEntry(BigInt(a), b); });
        this.live++;
        this.liveEntries += r.starts.length;
        this.liveBytes += r.fn.body.code.length;
        this.entries += r.starts.length;
        this.instructions += r.words.length;
      });
      this.regions += regions.length;
      this.firstInstall ??= { ms: nowMs(), insns: this.insns() };
    }
    this.compileMs += nowMs() - t0;
    return before + (instance ? regions.length + inBatch : 0);
  }

  get stats(): JitStats {
    return {
      regions: this.regions, entries: this.entries, instructions: this.instructions, reused: this.reused, rejected: this.rejected,
      chained: Number(this.soc.jitChained()), flushes: this.flushes, liveBytes: this.liveBytes,
      compileMs: this.compileMs, firstInstall: this.firstInstall, phaseMs: { ...phaseMs }, retired: Number(this.soc.jitRetired()), useless: this.soc.jitDroppedUseless(), errors: this.errors, lastError: this.lastError, tableSlots: this.table.length,
    };
  }
}
