// The host half of the compiler of hot code (soc/cpu/jit.ts is the other):
// takes the entries the SoC queued, compiles them into one WebAssembly module,
// puts its functions in the SoC's function table and installs them.

import * as L from "../layout.js";
import { formRegion, emitRegion, type JitEnv, type Region } from "./compile.js";
import { moduleBytes } from "./wasm.js";

export interface JitExports {
  jitConfigure(on: boolean, threshold: number): void;
  jitInstall(entry: bigint, lo: bigint, hi: bigint, fn: number, delta: bigint): void;
  jitReset(): void;
  jitRetired(): bigint;
  jitDroppedUseless(): number;
  jitDecodeBase(): number;
  jitMarkTranslated(addr: bigint): void;
}

export interface JitStats {
  /** Regions compiled and installed. */
  regions: number;
  /** Guest instructions those regions translated. */
  instructions: number;
  /** Regions found already compiled in this process (same code, same kind of machine). */
  reused: number;
  /** Entries whose first instruction the compiler leaves to the interpreter. */
  rejected: number;
  /** Host milliseconds spent compiling. */
  compileMs: number;
  /** Guest instructions retired in compiled code since reset. */
  retired: number;
  /** Regions dropped because their first instruction always left them (a device access). */
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
const regionCache = new Map<string, { reads: Uint32Array; region: Region }>();
const moduleCache = new Map<string, { regions: Region[]; module: WebAssembly.Module }>();
const CACHE_ENTRIES = 1024;

function remember<V>(cache: Map<string, V>, key: string, v: V): V {
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, v);
  return v;
}

function cachedRegion(env: JitEnv, entry: number, delta?: bigint): { key: string; region: Region; reused: boolean } | undefined {
  const formed = formRegion(env, entry, delta);
  if (!formed) return undefined;
  const hit = regionCache.get(formed.key);
  if (hit && hit.reads.length === formed.reads.length && hit.reads.every((v, i) => v === formed.reads[i])) {
    return { key: formed.key, region: hit.region, reused: true };
  }
  const region = emitRegion(env, formed);
  remember(regionCache, formed.key, { reads: formed.reads, region });
  return { key: formed.key, region, reused: false };
}

/** Regions the SoC keeps at once (soc/cpu/jit.ts MAX_REGIONS). */
const MAX_REGIONS = 4096;

export class Jit {
  private readonly env: JitEnv;
  /** Next table slot for a compiled function, and regions installed since the last flush. */
  private nextSlot = 1;
  private live = 0;
  private regions = 0;
  private instructions = 0;
  private rejected = 0;
  private compileMs = 0;
  private errors = 0;
  private reused = 0;
  private lastError?: string;

  constructor(
    private readonly soc: JitExports,
    private readonly memory: WebAssembly.Memory,
    private readonly table: WebAssembly.Table,
    ramSize: number,
    /** The machine's view of linear memory (Machine.view). */
    private readonly view: () => DataView,
  ) {
    this.env = {
      read32: (addr) => view().getUint32(L.RAM_BASE + addr, true),
      ramSize,
      ramBase: L.RAM_BASE,
      decodeBase: soc.jitDecodeBase(),
      jitPc: L.JIT_PC,
      jitFlags: L.JIT_FLAGS,
      jitStored: L.JIT_STORED,
      jitTlb: L.JIT_TLB,
    };
  }

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
    this.compile(entries, deltas);
  }

  /**
   * Compiles and installs regions at these (physical) entries now; returns how many were
   * installed. `deltas[i]`: VA - PA of translated code at entries[i] (undefined: the MMU off).
   */
  compile(entries: number[], deltas: (bigint | undefined)[] = []): number {
    const t0 = performance.now();
    const regions: Region[] = [];
    const keys: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i], d = deltas[i];
      if (seen.has(`${e}:${d}`)) continue;
      seen.add(`${e}:${d}`);
      const r = cachedRegion(this.env, e, d);
      if (r) { regions.push(r.region); keys.push(r.key); if (r.reused) this.reused++; } else this.rejected++;
    }
    let instance: WebAssembly.Instance | undefined;
    if (regions.length) {
      try {
        // The regions themselves (not just their keys) decide: a cached module is taken only
        // for the very region objects it was compiled from.
        const key = keys.join(" ");
        const hit = moduleCache.get(key);
        const module = hit && hit.regions.every((r, i) => r === regions[i]) ? hit.module
          : remember(moduleCache, key, { regions: [...regions], module: new WebAssembly.Module(moduleBytes(regions.map((r) => r.fn))) }).module;
        instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
      } catch (e) {
        // A compiler bug must not stop the guest: the interpreter keeps running this code.
        this.errors++;
        this.lastError = `entries ${regions.map((r) => "0x" + r.entry.toString(16)).join(", ")}: ${(e as Error).message}`;
        regions.length = 0;
      }
    }
    if (instance) {
      if (this.live + regions.length > MAX_REGIONS) {
        // The SoC's tables are full: forget every region and reuse the table from its start
        // (the functions replaced there are then garbage).
        this.soc.jitReset();
        this.nextSlot = 1;
        this.live = 0;
      }
      const base = this.nextSlot;
      if (base + regions.length > this.table.length) this.table.grow(base + regions.length - this.table.length);
      this.nextSlot += regions.length;
      this.live += regions.length;
      regions.forEach((r, i) => {
        this.table.set(base + i, instance!.exports[`f${i}`] as (...args: unknown[]) => unknown);
        for (const w of r.words) this.soc.jitMarkTranslated(BigInt(w));
        this.soc.jitInstall(BigInt(r.entry), BigInt(r.lo), BigInt(r.hi), base + i, r.delta === undefined ? 0n : r.delta | 1n);
        this.instructions += r.words.length;
      });
      this.regions += regions.length;
    }
    this.compileMs += performance.now() - t0;
    return regions.length;
  }

  get stats(): JitStats {
    return {
      regions: this.regions, instructions: this.instructions, reused: this.reused, rejected: this.rejected,
      compileMs: this.compileMs, retired: Number(this.soc.jitRetired()), useless: this.soc.jitDroppedUseless(), errors: this.errors, lastError: this.lastError, tableSlots: this.table.length,
    };
  }
}
