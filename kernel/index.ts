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

function bootDir(): string {
  const fs = (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown } }).process?.getBuiltinModule?.("node:fs") as typeof import("node:fs");
  for (const rel of ["../boot/", "../../boot/"]) {
    const dir = new URL(rel, import.meta.url);
    if (fs.existsSync(new URL("boot.S", dir))) return decodeURIComponent(dir.pathname);
  }
  throw new Error("boot/*.S not found next to the kernel");
}

/** Assembles boot/*.S at `base` (0: kernel_old=1) with the TypeScript functions as host symbols. */
export function buildKernel(opts: { base?: number; sources?: { name: string; text: string }[]; hostSymbols?: string[]; provider?: FileProvider } = {}): AssembleResult {
  let sources = opts.sources;
  const dir = sources ? sources[0].name.replace(/[^/]*$/, "") : bootDir();
  if (!sources) {
    const fs = (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown } }).process?.getBuiltinModule?.("node:fs") as typeof import("node:fs");
    sources = BOOT_FILES.map((f) => ({ name: dir + f, text: fs.readFileSync(dir + f, "utf8") }));
  }
  return assemble(sources, {
    base: opts.base ?? 0,
    includeDirs: [dir + "include"],
    provider: opts.provider ?? defaultFileProvider(),
    hostSymbols: opts.hostSymbols ?? Object.keys(GUEST_CALLABLE),
  });
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
