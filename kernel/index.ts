// The lesson-3 kernel: boot/*.S assembled with our assembler, its C parts in
// TypeScript (kernel.ts, irq.ts, timer.ts, mini_uart.ts, printf.ts), wired
// together by board.ts. bootKernel() gives a Machine running it.

import { Machine, NestedRunEnded, type MachineOptions } from "../host/machine.js";
import { assemble, defaultFileProvider, type AssembleResult } from "../tools/asm/assembler.js";
import type { FileProvider } from "../tools/asm/preprocess.js";
import { Board, KernelStop, type BoardOptions, type HostFunction } from "./board.js";
import { kernel_main } from "./kernel.js";
import { handle_irq, show_invalid_entry_message } from "./irq.js";

export { KernelStop, Board } from "./board.js";

/** The boot files in link order (the tutorial's Makefile links boot.S first). */
export const BOOT_FILES = ["boot.S", "entry.S", "irq.S", "mm.S", "utils.S"];

/** TypeScript functions that guest code calls with `bl`. */
export const GUEST_CALLABLE: Record<string, HostFunction> = {
  kernel_main,
  handle_irq,
  show_invalid_entry_message: (type, esr, address) => show_invalid_entry_message(type, esr, address),
};

/** node:fs, looked up at run time so that the kernel also bundles for a browser (which passes sources). */
function nodeFs(): typeof import("node:fs") {
  return (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown } }).process?.getBuiltinModule?.("node:fs") as typeof import("node:fs");
}

function bootDir(): string {
  for (const rel of ["../boot/", "../../boot/"]) {
    const dir = new URL(rel, import.meta.url);
    if (nodeFs().existsSync(new URL("boot.S", dir))) return decodeURIComponent(dir.pathname);
  }
  throw new Error("boot/*.S not found next to the kernel");
}

/** Assembles boot/*.S at `base` (0: kernel_old=1) with the TypeScript functions as host symbols. */
export function buildKernel(opts: { base?: number; sources?: { name: string; text: string }[]; hostSymbols?: string[]; provider?: FileProvider } = {}): AssembleResult {
  const base = opts.base ?? 0;
  const hostSymbols = opts.hostSymbols ?? Object.keys(GUEST_CALLABLE);
  if (opts.sources) return assembleKernel(opts.sources, opts.sources[0].name.replace(/[^/]*$/, ""), base, hostSymbols, opts.provider);
  const dir = bootDir();
  const sources = bootSources(dir);
  if (opts.provider) return assembleKernel(sources, dir, base, hostSymbols, opts.provider);
  // The image `npm run build` assembled from these very files, if it did (saves the
  // assembler's cold start: a tenth of the time to the first tick).
  const cached = readCachedImage(imageKey(sources, dir + "include", base, hostSymbols));
  lastImageCached = cached !== undefined;
  return cached ?? assembleKernel(sources, dir, base, hostSymbols);
}

function bootSources(dir: string): { name: string; text: string }[] {
  return BOOT_FILES.map((f) => ({ name: dir + f, text: nodeFs().readFileSync(dir + f, "utf8") }));
}

function assembleKernel(sources: { name: string; text: string }[], dir: string, base: number, hostSymbols: string[], provider?: FileProvider): AssembleResult {
  return assemble(sources, { base, includeDirs: [dir + "include"], provider: provider ?? defaultFileProvider(), hostSymbols });
}

// ---- the build's copy of the default image (dist/kernel/boot-image.json) ----

const CACHE_FILE = new URL("./boot-image.json", import.meta.url);
let lastImageCached = false;
/** Whether the last default buildKernel() came from the build's saved image. */
export function imageWasCached(): boolean { return lastImageCached; }

/** What decides the image: every boot file and include file, the base and the host symbols. */
function imageKey(sources: { name: string; text: string }[], includeDir: string, base: number, hostSymbols: string[]): string {
  const fs = nodeFs();
  const parts = sources.map((s) => s.text);
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(`${d}/${e.name}`);
      else parts.push(`${d}/${e.name}`.slice(includeDir.length), fs.readFileSync(`${d}/${e.name}`, "utf8"));
    }
  };
  walk(includeDir);
  parts.push(String(base), hostSymbols.join(","));
  let h1 = 0x811c9dc5, h2 = 0x01000193;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
    h1 = Math.imul(h1 ^ 0xff, 0x01000193);
  }
  return `${(h1 >>> 0).toString(16)}-${(h2 >>> 0).toString(16)}-${parts.reduce((n, p) => n + p.length, 0)}`;
}

interface CachedImage { key: string; image: string; base: number; entry: number; symbols: [string, number][]; globals: [string, number][];
  sections: AssembleResult["sections"]; hostCalls: [string, number][]; hostReturn?: number; bssBegin: number; bssEnd: number }

function readCachedImage(key: string): AssembleResult | undefined {
  try {
    const c = JSON.parse(nodeFs().readFileSync(CACHE_FILE, "utf8")) as CachedImage;
    if (c.key !== key) return undefined;
    return {
      image: new Uint8Array(Buffer.from(c.image, "base64")), base: c.base, entry: c.entry,
      symbols: new Map(c.symbols), globals: new Map(c.globals), sections: c.sections,
      hostCalls: new Map(c.hostCalls), hostReturn: c.hostReturn, bssBegin: c.bssBegin, bssEnd: c.bssEnd,
    };
  } catch {
    return undefined; // no cache (a fresh checkout before the build), or not readable: assemble
  }
}

function writeCachedImage(key: string, r: AssembleResult): void {
  const c: CachedImage = {
    key, image: Buffer.from(r.image).toString("base64"), base: r.base, entry: r.entry,
    symbols: [...r.symbols], globals: [...r.globals], sections: r.sections,
    hostCalls: [...r.hostCalls], hostReturn: r.hostReturn, bssBegin: r.bssBegin, bssEnd: r.bssEnd,
  };
  nodeFs().writeFileSync(CACHE_FILE, JSON.stringify(c));
}

/** Assembles the default image and saves it for buildKernel (scripts/build.mjs calls this). */
export function saveKernelImage(): void {
  const dir = bootDir();
  const sources = bootSources(dir);
  const hostSymbols = Object.keys(GUEST_CALLABLE);
  writeCachedImage(imageKey(sources, dir + "include", 0, hostSymbols), assembleKernel(sources, dir, 0, hostSymbols));
}

export interface KernelRun {
  m: Machine;
  board: Board;
  image: AssembleResult;
  /** Runs until the board's stopWhen says so (or the guest stops); returns the reason. */
  run(): string;
}

/**
 * Boots the kernel as the tutorial's config.txt (kernel_old=1) asks: image at
 * 0, all four cores at 0 in EL3. `functions` replaces guest-callable TypeScript
 * functions (the lesson steps do this).
 */
export async function bootKernel(opts: BoardOptions & {
  machine?: MachineOptions;
  /** Ends every run, nested ones included, at this much virtual time. */
  seconds?: number;
  functions?: Record<string, HostFunction>;
  image?: AssembleResult;
} = {}): Promise<KernelRun> {
  const functions = { ...GUEST_CALLABLE, ...(opts.functions ?? {}) };
  const image = opts.image ?? buildKernel({ hostSymbols: Object.keys(functions) });
  const m = await Machine.create(opts.machine);
  if (opts.seconds !== undefined) m.stopAtSeconds = opts.seconds;
  m.load(image.image, image.base);
  for (let core = 0; core < 4; core++) m.start(core, image.entry, 3);
  const board = new Board(m, image, opts);
  board.attach(functions);
  return {
    m, board, image,
    run() {
      try {
        const r = m.run();
        return r.reason;
      } catch (e) {
        m.drain();
        if (e instanceof KernelStop) return e.reason;
        if (e instanceof NestedRunEnded) return e.message;
        throw e;
      }
    },
  };
}
