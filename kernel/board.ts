// The bridge between the TypeScript kernel and the emulated board (design note 2).
//
// - Guest -> TS: boot/*.S is assembled with the kernel's exported functions as
//   host symbols, so `bl handle_irq` reaches a trampoline `hlt #n; ret` and the
//   Machine calls the TypeScript function with x0..x7 as arguments.
// - TS -> guest: guest("irq_vector_init") runs the guest function nested and
//   returns its x0.
// - TS -> hardware: read32/write32 go through the bus like a C kernel's
//   get32/put32; each access costs ACCESS_CYCLES of virtual time and is a point
//   where core 0 takes a pending, unmasked IRQ (the guest vector runs nested and
//   its eret comes back here). A loop that polls one register with nothing
//   else happening is idle: virtual time jumps to the next device event (or, in
//   realtime mode, the host sleeps until then or until input arrives).

import { Machine, GuestError } from "../host/machine.js";
import type { AssembleResult } from "../tools/asm/assembler.js";
import { parseSysreg } from "../tools/a64/sysregs.js";

/** Thrown out of the kernel's code when a run must end (time or tick limit, stop()). */
export class KernelStop extends Error {
  constructor(readonly reason: string) { super(reason); }
}

/** Cycles one host hardware access costs: about what `bl get32` + `ldr` + `ret` take. */
export const ACCESS_CYCLES = 4;
/** Identical consecutive reads of one register after which the loop counts as idle. */
const IDLE_POLLS = 8;

export type HostFunction = (...args: bigint[]) => number | bigint | void;

export interface WallClock {
  /** Sleeps until virtual cycle `cycle` is due in wall time, or until input arrives. */
  waitUntil(m: Machine, cycle: number): void;
  /** Moves typed bytes into the machine; returns true if there were any. */
  pollInput(m: Machine): boolean;
}

export interface BoardOptions {
  /** Stop the kernel when this returns a reason (checked at each hardware access). */
  stopWhen?: (m: Machine) => string | undefined;
  /** Tie virtual time to the host clock (interactive use). */
  clock?: WallClock;
  /** Serial input to move into the machine at each hardware access (in virtual time: the CLI's stdin). */
  input?: { pump(): boolean };
}

let current: Board | undefined;

/** The board the TypeScript kernel runs on now. */
export function board(): Board {
  if (!current) throw new Error("the TypeScript kernel is not running on a board (use bootKernel)");
  return current;
}

export class Board {
  private lastAddr = -1;
  private lastValue = -1;
  private repeats = 0;

  constructor(readonly m: Machine, readonly image: AssembleResult, private readonly opts: BoardOptions = {}) {}

  /** Makes this the board the kernel's functions use, and binds them to their trampolines. */
  attach(functions: Record<string, HostFunction>): void {
    current = this;
    this.m.returnAddress = this.image.hostReturn ?? -1;
    for (const [name, imm] of this.image.hostCalls) {
      const fn = functions[name];
      if (!fn) throw new Error(`guest code calls '${name}', which the TypeScript kernel does not export`);
      this.m.bindHost(imm, (m) => {
        const cpu = m.cores[0];
        const args = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => cpu.x(i)).slice(0, fn.length);
        const r = fn(...args);
        if (r !== undefined) cpu.setX(0, BigInt.asUintN(64, BigInt(r)));
      });
    }
  }

  /** Calls a guest function by symbol name; returns x0. */
  guest(name: string, ...args: (number | bigint)[]): bigint {
    const addr = this.image.symbols.get(name);
    if (addr === undefined) throw new Error(`no guest symbol '${name}'`);
    return this.m.callGuest(addr, ...args);
  }

  read32(addr: number): number {
    let v: number;
    try {
      v = this.m.bus.read32(addr);
    } catch (e) {
      if (e instanceof GuestError) throw new GuestError(`get32(0x${addr.toString(16)}): ${e.message} (on the board this is a data abort)`);
      throw e;
    }
    this.afterAccess(addr, v);
    return v;
  }

  write32(addr: number, value: number): void {
    try {
      this.m.bus.write32(addr, value);
    } catch (e) {
      if (e instanceof GuestError) throw new GuestError(`put32(0x${addr.toString(16)}): ${e.message} (on the board this is a data abort)`);
      throw e;
    }
    this.m.drain(); // host code may run for long without returning to Machine.run: deliver output now
    this.afterAccess(-1, 0);
  }

  /** A point where the kernel lets a run end (the idle loop calls it). */
  checkpoint(): void {
    const reason = this.opts.stopWhen?.(this.m);
    if (reason) throw new KernelStop(reason);
  }

  /** MRS from the kernel: the CPU's rules apply (an EL2 register at EL1 is UNDEFINED). */
  mrs(name: string): bigint {
    const key = parseSysreg(name);
    if (key === undefined) throw new Error(`unknown system register ${name}`);
    const v = BigInt.asUintN(64, this.m.soc.hostSysregRead(0, key));
    if (!this.m.soc.hostSysregOk()) throw new GuestError(`mrs ${name} is UNDEFINED at EL${this.m.cores[0].el}`);
    this.afterAccess(-1, 0);
    return v;
  }

  msr(name: string, value: bigint | number): void {
    const key = parseSysreg(name);
    if (key === undefined) throw new Error(`unknown system register ${name}`);
    if (!this.m.soc.hostSysregWrite(0, key, BigInt.asUintN(64, BigInt(value)))) throw new GuestError(`msr ${name} is UNDEFINED at EL${this.m.cores[0].el}`);
    this.afterAccess(-1, 0);
  }

  /** The C delay(n): a two-instruction loop run n times. */
  delay(n: number): void {
    this.m.advance(2 * Math.max(0, n));
    this.afterAccess(-1, 0);
  }

  private afterAccess(addr: number, value: number): void {
    this.m.advance(ACCESS_CYCLES);
    const reason = this.opts.stopWhen?.(this.m);
    if (reason) throw new KernelStop(reason);
    if (this.opts.clock?.pollInput(this.m) || this.opts.input?.pump()) this.repeats = 0;
    if (this.m.serviceInterrupts()) { this.repeats = 0; return; }
    if (addr >= 0 && addr === this.lastAddr && value === this.lastValue) {
      if (++this.repeats >= IDLE_POLLS) { this.idle(); this.repeats = 0; }
    } else {
      this.lastAddr = addr;
      this.lastValue = value;
      this.repeats = 0;
    }
  }

  /** Nothing can change the polled register before the next device event: skip to it. */
  private idle(): void {
    const next = this.m.nextEventCycle();
    if (this.opts.clock) {
      this.opts.clock.waitUntil(this.m, next);
      const now = this.m.cycles;
      const due = Math.min(next, now + this.m.cpuHz / 100);
      if (due > now) this.m.advance(Math.min(due - now, Math.max(0, next - now)));
      return;
    }
    if (next === Infinity) throw new KernelStop("the kernel polls a device register and no device event is scheduled: it would wait forever");
    const now = this.m.cycles;
    if (next > now) this.m.advance(next - now);
  }
}
