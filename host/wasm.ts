// Finds and instantiates build/soc.wasm, in Node (from the package) or in a
// browser (fetched next to the bundle).

import type { SocExports } from "./machine.js";

let compiling: Promise<WebAssembly.Module> | undefined;

/**
 * Reads and compiles the SoC module once per process; the CLI starts it while it loads the rest.
 * The installed command's launcher (tools/launch.cjs) starts it before anything else, from
 * dist/soc-node.wasm (SOC_NODE_WASM: the module as sharedMemory leaves it, written by the build),
 * and leaves the promise in globalThis.__rpiOsSoc: V8 then compiles it on a background thread
 * while the main thread reads the CLI and its code cache.
 */
export function compileSoc(): Promise<WebAssembly.Module> {
  const fromFile = () => wasmBytes().then((bytes) => WebAssembly.compile(bytes));
  const launched = (globalThis as { __rpiOsSoc?: Promise<WebAssembly.Module> }).__rpiOsSoc;
  return compiling ??= launched ? launched.catch(() => undefined).then((m) => m ?? fromFile()) : fromFile();
}

/** Where the build writes the module for Node (sharedMemory applied), next to the launcher. */
export const SOC_NODE_WASM = "dist/soc-node.wasm";

async function wasmBytes(): Promise<Uint8Array<ArrayBuffer>> {
  const candidates = ["../build/soc.wasm", "../../build/soc.wasm", "./soc.wasm"];
  if (typeof process !== "undefined" && process.versions?.node) {
    // (node:fs, which Node has loaded already; node:fs/promises would load streams too.)
    const { readFileSync } = await import("node:fs");
    for (const rel of candidates) {
      let bytes: Uint8Array<ArrayBuffer>;
      try {
        bytes = new Uint8Array(readFileSync(new URL(rel, import.meta.url)));
      } catch { continue; /* try the next location */ }
      return sharedMemory(bytes);
    }
    throw new Error("build/soc.wasm not found: run `npm run build` (npm install does it)");
  }
  const res = await fetch(new URL("./soc.wasm", import.meta.url));
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * In Node the SoC's memory is made shared (threads proposal: the memory section's limits flag
 * 0x01, a maximum, becomes 0x03, shared with a maximum). Growing an unshared memory to a guest
 * RAM of 1 GiB counts as external memory pressure, which makes V8 run a full mark-compact
 * (3-5 ms of every run, BENCHMARKS.md, ninth session); a shared one's backing store is not
 * counted. Nothing else changes: the SoC uses no atomics and its memory grows only in init().
 * Browsers keep the unshared memory (a SharedArrayBuffer there needs cross-origin isolation).
 */
export function sharedMemory(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const leb = (p: number): [number, number] => {
    let v = 0, shift = 0, b: number;
    do { b = bytes[p++]; v |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
    return [v >>> 0, p];
  };
  let p = 8; // magic and version
  while (p < bytes.length) {
    const id = bytes[p];
    const [size, body] = leb(p + 1);
    if (id === 5) {
      const [count, entry] = leb(body);
      if (count === 1 && bytes[entry] === 0x01) bytes[entry] = 0x03;
      return bytes;
    }
    p = body + size;
  }
  return bytes;
}

/** Functions the SoC imports from its host (soc/periph/emmc.ts: the SD card's blocks). */
export interface SocImports {
  sdTransfer(write: number, block: number, buf: number): number;
}

export async function loadSocModule(imports: SocImports = { sdTransfer: () => 1 }): Promise<{ exports: SocExports; memory: WebAssembly.Memory; table: WebAssembly.Table }> {
  const cached = await compileSoc();
  // The function table is ours: compiled regions are added to it (host/jit).
  const table = new WebAssembly.Table({ element: "anyfunc", initial: 1 });
  const instance = await WebAssembly.instantiate(cached, {
    env: {
      table,
      sdTransfer: (write: number, block: number, buf: number) => imports.sdTransfer(write, block >>> 0, buf >>> 0),
      abort(_msg: number, _file: number, line: number, col: number) {
        throw new Error(`SoC module aborted at ${line}:${col}`);
      },
    },
  });
  const exports = instance.exports as unknown as SocExports & { memory: WebAssembly.Memory };
  return { exports, memory: exports.memory, table };
}
