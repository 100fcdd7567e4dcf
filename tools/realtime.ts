// Host-clock pacing and serial input for the CLI (Node only).
//
// Standard input is read by a worker thread into a SharedArrayBuffer ring, so the machine can
// run synchronously on the main thread (the TypeScript kernel's busy loops never return to the
// event loop) and still see typed bytes; its idle waits block in Atomics.wait, which a new byte
// interrupts. The ring is bounded: when it is full the worker waits for the reader before it
// reads more, so a fast pipe is held back (back-pressure) instead of overrunning the ring.
//
// On an interactive terminal, Ctrl-A starts an escape (as QEMU's -serial mon:stdio): Ctrl-A X
// quits, Ctrl-A H lists the keys, Ctrl-A A or Ctrl-A Ctrl-A sends one Ctrl-A. Ctrl-C is a byte
// for the guest there. A pipe or file is passed through byte for byte.

import type { Worker } from "node:worker_threads";
import { fstatSync, readSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import type { Machine } from "../host/machine.js";
import { nowMs } from "../host/clock.js";
import { KernelStop, type WallClock } from "../kernel/board.js";

/**
 * Is `fd` a terminal? Only a character device other than the null device can be one, and fstat
 * answers that without loading node:tty (5-7 ms of start-up: it loads node:net and more).
 */
export function isTerminal(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev === statSync("/dev/null").rdev) return false;
  } catch { return false; }
  return (createRequire(import.meta.url)("node:tty") as typeof import("node:tty")).isatty(fd);
}

/** Bytes the ring holds: what the worker may read ahead of the machine. */
const RING = 1 << 16;
/** Most bytes the worker reads at once. */
const CHUNK = 4096;

// head: [0] bytes written (wraps at 2^32), [1] end of input, [2] bytes read (wraps).
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const fs = require("node:fs");
const head = new Int32Array(workerData, 0, 4);
const ring = new Uint8Array(workerData, 16);
const buf = Buffer.alloc(${CHUNK});
for (;;) {
  const w = Atomics.load(head, 0), r = Atomics.load(head, 2);
  const space = ${RING} - ((w - r) >>> 0);
  if (space === 0) { Atomics.wait(head, 2, r, 1000); continue; }
  let n = 0;
  try { n = fs.readSync(0, buf, 0, Math.min(space, ${CHUNK}), null); }
  catch (e) { if (e.code === "EAGAIN") { Atomics.wait(head, 1, 0, 20); continue; } n = 0; }
  if (n <= 0) { Atomics.store(head, 1, 1); Atomics.notify(head, 0); break; }
  for (let i = 0; i < n; i++) ring[((w + i) >>> 0) % ${RING}] = buf[i];
  Atomics.store(head, 0, (w + n) | 0);
  Atomics.notify(head, 0);
}
`;

/** The escape keys of an interactive terminal, as Ctrl-A H prints them. */
export const ESCAPE_KEYS = [
  "C-a h    print this help",
  "C-a x    quit rpi-os",
  "C-a a    send C-a to the guest (C-a C-a too)",
  "C-c      goes to the guest, as on a serial line (C-a x quits)",
];

export class StdinSource {
  private readonly sab = new SharedArrayBuffer(16 + RING);
  private readonly head = new Int32Array(this.sab, 0, 4);
  private readonly ring = new Uint8Array(this.sab, 16);
  private read = 0;
  private worker?: Worker;
  /** Set when the user typed Ctrl-A X (QEMU's quit key). */
  quit = false;
  private sawCtrlA = false;

  /** Standard input is a file or a device that never blocks (/dev/null): read here, no worker. */
  private direct = false;
  private directBuf?: Uint8Array;

  /** `interactive`: a terminal, where Ctrl-A escapes apply; otherwise bytes pass unchanged. */
  // Not process.stdin.isTTY: creating process.stdin costs start-up time (start() does it where a
  // worker reads).
  constructor(readonly interactive = isTerminal(0), private readonly say: (s: string) => void = (s) => process.stderr.write(s)) {}

  start(): void {
    // A worker thread costs a Node start of its own (tens of ms of CPU beside the machine's).
    // Only input that may block needs one: a terminal, a pipe, a socket.
    let st;
    try { st = fstatSync(0); } catch { /* no stdin: the worker reports its end */ }
    if (st && !this.interactive && (st.isFile() || st.isCharacterDevice())) {
      this.direct = true;
      this.directBuf = new Uint8Array(CHUNK);
      return;
    }
    // process.stdin is created for its side effect: libuv makes a pipe's (and a terminal's)
    // descriptor non-blocking, so the worker's reads return EAGAIN (it waits 20 ms and retries)
    // and terminate() ends it at exit; blocked in a read of a silent open pipe, it would keep
    // the process from exiting.
    void process.stdin;
    // (node:worker_threads loads a good part of Node: required only here, 3 ms of a run otherwise.)
    const { Worker } = createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: this.sab });
    this.worker.unref();
  }

  /** Direct input: reads what the ring has room for (a file or /dev/null answers at once). */
  private fillDirect(): void {
    if (!this.direct || Atomics.load(this.head, 1) === 1) return;
    const w = Atomics.load(this.head, 0);
    const space = RING - ((w - this.read) >>> 0);
    if (space < CHUNK) return;
    let n = 0;
    try { n = readSync(0, this.directBuf!, 0, CHUNK, null); } catch { n = 0; }
    if (n <= 0) { Atomics.store(this.head, 1, 1); return; }
    for (let i = 0; i < n; i++) this.ring[((w + i) >>> 0) % RING] = this.directBuf![i];
    Atomics.store(this.head, 0, (w + n) | 0);
  }

  stop(): void {
    void this.worker?.terminate();
  }

  /** Every byte of the input was taken and there will be no more. */
  get eof(): boolean { this.fillDirect(); return Atomics.load(this.head, 1) === 1 && this.read === Atomics.load(this.head, 0); }

  /** Bytes waiting in the ring. */
  get available(): number { this.fillDirect(); return (Atomics.load(this.head, 0) - this.read) >>> 0; }

  /**
   * Up to `max` bytes of input, in order; each byte is taken once. On a terminal Ctrl-A X sets
   * `quit` (and ends the take there) and the other escapes are handled here.
   */
  take(max = Infinity): Uint8Array {
    this.fillDirect();
    const w = Atomics.load(this.head, 0);
    const out: number[] = [];
    while (this.read !== w && out.length < max && !this.quit) {
      const b = this.ring[(this.read >>> 0) % RING];
      this.read = (this.read + 1) | 0;
      if (!this.interactive) { out.push(b); continue; }
      if (this.sawCtrlA) {
        this.sawCtrlA = false;
        if (b === 0x78 || b === 0x58) { this.quit = true; break; }
        // "\n" alone: raw mode leaves output processing on, so the terminal adds the CR.
        if (b === 0x68 || b === 0x48) { this.say(ESCAPE_KEYS.map((k) => k + "\n").join("")); continue; }
        if (b === 0x61 || b === 0x41 || b === 0x01) { out.push(0x01); continue; }
        out.push(0x01);
      } else if (b === 0x01) { this.sawCtrlA = true; continue; }
      out.push(b);
    }
    Atomics.store(this.head, 2, this.read);
    Atomics.notify(this.head, 2);
    return new Uint8Array(out);
  }

  /**
   * Realtime pacing: waits `ms` of wall time, returning early only when a byte arrives (after the
   * end of input, the whole time; `wait` would return at once and the run would outpace the clock).
   */
  pace(ms: number): void {
    if (ms <= 0) return;
    if (this.eof) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    else this.wait(ms);
  }

  /** Blocks up to `ms` for input; returns early when a byte (or the end of input) arrives. */
  wait(ms: number): void {
    if (ms <= 0) return;
    this.fillDirect();
    const w = Atomics.load(this.head, 0);
    if (w !== this.read || Atomics.load(this.head, 1) === 1) return;
    Atomics.wait(this.head, 0, w, ms);
  }
}

/** Thrown out of a run when the wall-clock limit (--timeout) passes, also while waiting for input. */
export class WallTimeout extends KernelStop {
  constructor() { super("timeout"); }
}

export class QuitRequested extends KernelStop {
  constructor() { super("quit (Ctrl-A X)"); }
}

/**
 * Feeds standard input to a machine's serial port. A pipe or file in virtual time is
 * deterministic: the machine holds virtual time where the next byte is due until it has come
 * or the input has ended (Machine.holdTimeForInput). A terminal, or realtime, gives bytes when
 * they are typed. Only what the machine's ring has room for is taken, so memory stays bounded
 * and the pipe is held back.
 */
export class SerialInput {
  private holding: boolean;
  private readonly deadline: number;

  constructor(readonly m: Machine, readonly source: StdinSource, opts: { realtime: boolean; timeoutSeconds?: number }) {
    this.deadline = opts.timeoutSeconds !== undefined ? nowMs() + opts.timeoutSeconds * 1000 : Infinity;
    this.holding = !source.interactive && !opts.realtime;
    m.holdTimeForInput(this.holding);
    m.waitForInput = () => this.waitForInput();
  }

  /** Moves what has arrived into the machine, as far as it has room; true if there was any. */
  pump(): boolean {
    let moved = false;
    if (this.source.available) {
      const room = this.m.inputRoom();
      const bytes = room > 0 ? this.source.take(room) : new Uint8Array(0);
      if (bytes.length) { this.m.input(bytes); moved = true; }
    }
    if (this.source.quit) throw new QuitRequested();
    if (this.holding && this.source.eof) { this.holding = false; this.m.holdTimeForInput(false); }
    return moved;
  }

  /** The machine waits for the next byte: block for it (or the end of input, or the deadline). */
  private waitForInput(): void {
    this.checkDeadline();
    const t0 = nowMs();
    this.source.wait(Math.min(50, this.deadline - t0));
    if (this.pump()) this.waitedMs = 0;
    else if ((this.waitedMs += nowMs() - t0) > 2000 && !this.told) {
      this.told = true;
      process.stderr.write("rpi-os: waiting for input on stdin: virtual time holds until the next byte or the end of the input (give </dev/null, or --realtime, not to wait)\n");
    }
  }
  private waitedMs = 0;
  private told = false;

  checkDeadline(): void {
    if (this.deadline !== Infinity && nowMs() > this.deadline) throw new WallTimeout();
  }
}

/** Virtual time paced by the host clock: one guest second per wall second. */
export class RealtimeClock implements WallClock {
  private readonly t0 = nowMs();
  private readonly c0: number;

  constructor(private readonly m: Machine, private readonly input?: SerialInput) {
    this.c0 = m.cycles;
  }

  /** Wall milliseconds until virtual cycle `cycle` is due. */
  msUntil(cycle: number): number {
    const due = this.t0 + ((cycle - this.c0) / this.m.cpuHz) * 1000;
    return due - nowMs();
  }

  /** The virtual cycle that corresponds to now. */
  cycleNow(): number {
    return this.c0 + ((nowMs() - this.t0) / 1000) * this.m.cpuHz;
  }

  waitUntil(m: Machine, cycle: number): void {
    const ms = Math.min(this.msUntil(cycle), 50);
    if (ms > 0) {
      if (this.input) this.input.source.pace(ms);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    }
    this.pollInput(m);
  }

  pollInput(_m: Machine): boolean {
    return this.input?.pump() ?? false;
  }
}
