// Messages between the page (web/main.ts) and the machine's worker (web/worker.ts).
//
// Typed input and the stepping commands go through a SharedArrayBuffer, because
// the TypeScript kernel runs synchronously in the worker and never returns to
// its event loop. Int32 words:
//   [0] input write index   [1] paused: 1 while the worker waits in a pause (written by the worker only)
//   [2] commands written (the page's sequence number)   [3] fast mode (1: as fast as possible)
//   [4] framebuffer frames drawn by the page (the worker sends the next one only after that)
//   [CMD_BASE...] a ring of CMD_SLOTS commands, two words each (command, argument)
// then a 4 KiB input ring at RING_OFFSET.
//
// Commands form a queue: the page writes command n into slot n % CMD_SLOTS and only
// then makes the count n + 1 (Atomics, so the worker sees the slot before the count);
// the worker applies each one exactly once, in order, at a lab point. Every batch says
// how many it had applied (`seq`), so the page takes a pause as the answer to its
// latest command only when the batch's seq is that command's: a pause batch is the
// exact state the machine stopped in (the worker runs no instruction after it until
// the next command), and the page draws status and panes from that one batch.
//
// The worker never floods the page: serial output, exceptions, the timeline and
// the state go out together in one "batch" at most every BATCH_MS of wall time
// (and at every pause and at the end of a run), each part bounded in size. The
// guest's framebuffer goes out as its own message, at most every FRAME_MS, only
// when its pixels changed, and only after the page drew the previous frame.

import type { LabState } from "./explain.js";

export const CTRL_INPUT = 0;
export const CTRL_PAUSED = 1;
export const CTRL_SEQ = 2;
export const CTRL_FAST = 3;
export const CTRL_FRAMES_DRAWN = 4;
export const CMD_BASE = 8;
export const CMD_SLOTS = 16;
export const CTRL_WORDS = CMD_BASE + 2 * CMD_SLOTS;
export const RING_OFFSET = CTRL_WORDS * 4;
export const RING_SIZE = 4096;

/** Stepping commands (the command ring). */
export const CMD_RESUME = 1;
export const CMD_STEP = 2;
export const CMD_STEP_EXCEPTION = 3;
export const CMD_STEP_OVER = 4;
export const CMD_BREAK_IRQ = 5;
export const CMD_RUN_TO = 6;
export const CMD_PAUSE = 7;

/** Wall-clock milliseconds between two batches. */
export const BATCH_MS = 50;
/** Serial bytes one batch carries at most (the rest is counted as skipped). */
export const BATCH_SERIAL_MAX = 1024;
/** Exceptions a batch lists (older ones only counted). */
export const BATCH_EXCEPTIONS = 8;
/** Interrupt-path ticks the timeline keeps. */
export const TIMELINE_TICKS = 12;
/** Wall-clock milliseconds between two framebuffer frames at most. */
export const FRAME_MS = 100;

export type StartMessage =
  | {
    type: "lesson"; step: number; ctrl: SharedArrayBuffer;
    /** Edited files by path ("boot/entry.S", "kernel/timer.ts"); missing ones are the lesson's. */
    files?: Record<string, string>;
    /** The kernel bundled from edited kernel/*.ts (web/tsbuild.ts), and its source map. */
    kernel?: { js: string; map: string };
  }
  | { type: "image"; bytes: Uint8Array; kernelOld: boolean; ctrl: SharedArrayBuffer };

export interface ExceptionInfo { text: string; kind: string; vectorOffset: number; cycle: number }

/** One IRQ's way through the machine, in core cycles (virtual time). */
export interface TickPath {
  /** The core's IRQ input went high: the compare match and the controller's line in the same cycle. */
  lineUp: number;
  /** What raised it: the IRQ_PENDING_1 bits and CLO at that moment. */
  source: string;
  taken?: number; vector?: number; elr?: number; spsr?: number;
  handlerEnter?: number; handlerExit?: number;
  csWrite?: number;
  lineDown?: number;
  eret?: number;
}

export interface DisasmLine { addr: number; text: string; symbol?: string; current: boolean }

export interface PauseInfo {
  /** Where the machine stopped: "guest" (at an instruction boundary) or "ts" (in TypeScript, at a hardware access). */
  where: "guest" | "ts";
  why: string;
  /** Source line of the PC (guest) ("boot/entry.S", 1-based line). */
  source?: { file: string; line: number };
  /** TypeScript kernel frames, innermost first; an "IRQ" entry marks where an interrupt was taken in TS code. */
  tsStack: { name: string; file?: string; line?: number }[];
}

export interface Batch {
  type: "batch";
  /** Commands the worker had applied when it made this batch. */
  seq: number;
  serial: number[];
  serialSkipped: number;
  /** Exceptions taken and returned from since the start (ERETs included), however many. */
  exceptionCount: number;
  /** The last few of them, newest last. */
  exceptions: ExceptionInfo[];
  /** The lesson step's trace lines (as `npm run lesson` prints them). */
  trace: string[];
  state: LabState;
  /** Vector offset of the last exception taken (for the vector view), or -1. */
  lastVector: number;
  /** Handler symbol of each of the 16 slots at VBAR_EL1. */
  vectorSymbols: string[];
  timeline: TickPath[];
  cpuHz: number;
  disasm: DisasmLine[];
  /** Source line of the PC, if guest code built from boot/*.S is there. */
  pcSource?: { file: string; line: number };
  paused?: PauseInfo;
  /**
   * An exception storm (the last BATCH_EXCEPTIONS exceptions the same synchronous one: vector
   * and ESR, SVC/HVC/SMC never), explained as the CLI explains the storms it stops at
   * (host/storm.ts); the lab does not stop, so `count` goes on growing while `ongoing`.
   */
  storm?: { ongoing: boolean; count: number; message: string; hints: string[] };
  /** Set on the last batch of a run. */
  stopped?: string;
}

export interface Diagnostic { file: string; line: number; column: number; message: string }

export type WorkerMessage =
  | Batch
  | { type: "diagnostics"; errors: Diagnostic[] }
  /** The image's symbols (for "run to"), once it is built. */
  | { type: "symbols"; symbols: [string, number][] }
  | { type: "error"; message: string }
  /** The guest's framebuffer, visible window as RGBA (width x height x 4; the buffer is transferred). */
  | { type: "frame"; frame: number; width: number; height: number; rgba: ArrayBuffer }
  | { type: "note"; message: string };
