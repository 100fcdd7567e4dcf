// Finds and instantiates build/soc.wasm, in Node (from the package) or in a
// browser (fetched next to the bundle).

import type { SocExports } from "./machine.js";

let compiling: Promise<WebAssembly.Module> | undefined;

/** Reads and compiles the SoC module once per process; the CLI starts it while it loads the rest. */
export function compileSoc(): Promise<WebAssembly.Module> {
  return compiling ??= wasmBytes().then((bytes) => WebAssembly.compile(bytes));
}

async function wasmBytes(): Promise<Uint8Array<ArrayBuffer>> {
  const candidates = ["../build/soc.wasm", "../../build/soc.wasm", "./soc.wasm"];
  if (typeof process !== "undefined" && process.versions?.node) {
    // (node:fs, which Node has loaded already; node:fs/promises would load streams too.)
    const { readFileSync } = await import("node:fs");
    for (const rel of candidates) {
      try {
        return new Uint8Array(readFileSync(new URL(rel, import.meta.url)));
      } catch { /* try the next location */ }
    }
    throw new Error("build/soc.wasm not found: run `npm run build` (npm install does it)");
  }
  const res = await fetch(new URL("./soc.wasm", import.meta.url));
  return new Uint8Array(await res.arrayBuffer());
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
