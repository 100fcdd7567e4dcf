// Host-clock pacing and keyboard input for interactive runs (Node only).
//
// Standard input is read by a worker thread into a SharedArrayBuffer ring, so
// the machine can run synchronously on the main thread (the TypeScript kernel's
// busy loops never return to the event loop) and still see typed bytes; its
// idle waits block in Atomics.wait, which a new byte interrupts.

import { Worker } from "node:worker_threads";
import type { Machine } from "../host/machine.js";
import { KernelStop, type WallClock } from "../kernel/board.js";

const RING = 4096;

const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const head = new Int32Array(workerData, 0, 2);   // [write index, eof]
const ring = new Uint8Array(workerData, 8);
const buf = Buffer.alloc(256);
for (;;) {
  let n = 0;
  try { n = fs.readSync(0, buf, 0, buf.length, null); } catch (e) { if (e.code === "EAGAIN") { Atomics.wait(head, 1, 0, 20); continue; } n = 0; }
  if (n <= 0) { Atomics.store(head, 1, 1); Atomics.notify(head, 0); break; }
  let w = Atomics.load(head, 0);
  for (let i = 0; i < n; i++) { ring[w % ${RING}] = buf[i]; w++; }
  Atomics.store(head, 0, w);
  Atomics.notify(head, 0);
}
`;

export class StdinSource {
  private readonly sab = new SharedArrayBuffer(8 + RING);
  private readonly head = new Int32Array(this.sab, 0, 2);
  private readonly ring = new Uint8Array(this.sab, 8);
  private read = 0;
  private worker?: Worker;
  /** Set when the user typed Ctrl-A X (QEMU's quit key). */
  quit = false;
  private sawCtrlA = false;

  start(): void {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: this.sab });
    this.worker.unref();
  }

  stop(): void {
    void this.worker?.terminate();
  }

  get eof(): boolean { return Atomics.load(this.head, 1) === 1 && this.read === Atomics.load(this.head, 0); }

  /** Bytes typed since the last call (Ctrl-A X sets `quit` instead of passing through). */
  take(): Uint8Array {
    const w = Atomics.load(this.head, 0);
    const out: number[] = [];
    while (this.read !== w) {
      const b = this.ring[this.read % RING];
      this.read++;
      if (this.sawCtrlA) {
        this.sawCtrlA = false;
        if (b === 0x78 || b === 0x58) { this.quit = true; continue; }
        if (b !== 0x01) out.push(0x01);
      } else if (b === 0x01) { this.sawCtrlA = true; continue; }
      out.push(b);
    }
    return new Uint8Array(out);
  }

  /** Blocks up to `ms` for input; returns early when a byte arrives. */
  wait(ms: number): void {
    if (ms <= 0) return;
    const w = Atomics.load(this.head, 0);
    if (w !== this.read) return;
    Atomics.wait(this.head, 0, w, ms);
  }
}

/** Virtual time paced by the host clock: one guest second per wall second. */
export class RealtimeClock implements WallClock {
  private readonly t0 = performance.now();
  private readonly c0: number;

  constructor(private readonly m: Machine, private readonly input?: StdinSource) {
    this.c0 = m.cycles;
  }

  /** Wall milliseconds until virtual cycle `cycle` is due. */
  msUntil(cycle: number): number {
    const due = this.t0 + ((cycle - this.c0) / this.m.cpuHz) * 1000;
    return due - performance.now();
  }

  /** The virtual cycle that corresponds to now. */
  cycleNow(): number {
    return this.c0 + ((performance.now() - this.t0) / 1000) * this.m.cpuHz;
  }

  waitUntil(m: Machine, cycle: number): void {
    const ms = Math.min(this.msUntil(cycle), 50);
    if (ms > 0) {
      if (this.input) this.input.wait(ms);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    }
    this.pollInput(m);
  }

  pollInput(m: Machine): boolean {
    if (!this.input) return false;
    const bytes = this.input.take();
    if (this.input.quit) throw new QuitRequested();
    if (bytes.length) { m.input(bytes); return true; }
    return false;
  }
}

export class QuitRequested extends KernelStop {
  constructor() { super("quit (Ctrl-A X)"); }
}
