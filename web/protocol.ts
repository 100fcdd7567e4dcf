// Messages between the page (web/main.ts) and the machine's worker (web/worker.ts).
// Typed input, pause and speed go through a SharedArrayBuffer, because the
// TypeScript kernel runs synchronously in the worker and never returns to its
// event loop: [0] input write index, [1] paused, [2] steps requested, [3] fast mode,
// then a 4 KiB input ring.

export const CTRL_INPUT = 0;
export const CTRL_PAUSED = 1;
export const CTRL_STEP = 2;
export const CTRL_FAST = 3;
export const RING_OFFSET = 16;
export const RING_SIZE = 4096;

export type StartMessage =
  | { type: "lesson"; step: number; ctrl: SharedArrayBuffer }
  | { type: "image"; bytes: Uint8Array; kernelOld: boolean; ctrl: SharedArrayBuffer };

export interface MachineState {
  el: number; spsel: number; daif: number; pc: number;
  vbar: string; elr: string; spsr: string; esr: string;
  clo: number; c1: number; irqPending1: number; enableIrqs1: number;
  seconds: number; insns: number; ticks: number;
  /** Instructions retired in code compiled to WebAssembly, and the regions compiled. */
  compiledInsns: number; regions: number;
}

export type WorkerMessage =
  | { type: "serial"; bytes: number[] }
  | { type: "state"; state: MachineState }
  | { type: "exception"; text: string; vectorOffset: number; kind: string }
  | { type: "stopped"; reason: string }
  | { type: "error"; message: string };
