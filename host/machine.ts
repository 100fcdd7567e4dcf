// The host side of the emulated Raspberry Pi 3: loads the SoC WebAssembly
// module and exposes it as a Machine with Cpu and Bus objects and events.
//
//   const m = await Machine.create();
//   m.load(image, 0x80000);
//   m.boot({ entry: 0x80000, el: 2 });
//   m.on("serial", (byte) => process.stdout.write(String.fromCharCode(byte)));
//   m.run({ maxInsns: 10_000_000 });

import * as L from "./layout.js";
import { parseSysreg } from "../tools/a64/sysregs.js";
import { loadSocModule, type SocImports } from "./wasm.js";
import { SD_BLOCK_SIZE, type SdImage } from "./sd.js";
import type { Framebuffer } from "./framebuffer.js";
import { Jit, type JitExports, type JitStats } from "./jit/index.js";

export type ExceptionKind = "sync" | "irq" | "fiq" | "serror" | "eret";

export interface ExceptionEvent {
  core: number;
  kind: ExceptionKind;
  /** EL and PSTATE.SP the exception was taken from (for eret: returned from). */
  fromEL: number;
  fromSpSel: number;
  /** EL the exception was taken to (for eret: returned to). */
  toEL: number;
  /** Vector address taken (for eret: the address returned to). */
  vector: number;
  /** Offset of the vector within the table (0x000 .. 0x780). */
  vectorOffset: number;
  esr: number;
  elr: number;
  /** vector and elr exactly: the Numbers above are rounded beyond 2^53 (kernel virtual addresses). */
  vector64: bigint;
  elr64: bigint;
  spsr: number;
  /** For eret: the return was illegal (PSTATE.IL set). */
  illegal: boolean;
  /** Virtual time of the event, in core cycles. */
  cycle: number;
}

export interface LineEvent { core: number; irq: boolean; fiq: boolean; cycle: number }
export interface NoteEvent { kind: string; address: number; message: string; cycle: number }
export interface MmioEvent { core: number; address: number; value: number; write: boolean; micros: number }

/** An MMU event (`traceMmu`): a fault with its status code, a TLBI, a change of SCTLR_ELx.M. */
export interface MmuEvent {
  core: number; kind: "fault" | "tlbi" | "sctlr"; cycle: number; pc: bigint;
  /** fault: the VA; tlbi: Xt; sctlr: the new SCTLR value. */
  value: bigint;
  /** fault: status code (ISS.DFSC/IFSC), access ("read" | "write" | "fetch") and EL; tlbi: op1, CRm, op2; sctlr: which EL's. */
  fsc?: number; access?: "read" | "write" | "fetch"; el?: number; op?: { op1: number; crm: number; op2: number };
}

export interface MachineEvents {
  serial: (byte: number, port: SerialPort) => void;
  exception: (e: ExceptionEvent) => void;
  irqline: (e: LineEvent) => void;
  note: (e: NoteEvent) => void;
  mmio: (e: MmioEvent) => void;
  mmu: (e: MmuEvent) => void;
}

export type SerialPort = "mini" | "pl011" | "semihosting";
const PORTS: SerialPort[] = ["mini", "pl011", "semihosting"];

export interface MachineOptions {
  /** Guest RAM in bytes (default 1 GiB less the peripheral window: 0x3F000000). */
  ramSize?: number;
  /** Nominal core clock for virtual time (default 1.2 GHz). */
  cpuHz?: number;
  /** Enable ARM semihosting through HLT #0xF000. */
  semihosting?: boolean;
  /** Which UART receives host input (default the mini UART). */
  serialInput?: "mini" | "pl011";
  /** Record interrupt line changes ("irqline" events). */
  traceIrq?: boolean;
  /** Record device register accesses ("mmio" events). */
  traceMmio?: boolean;
  /** Record MMU faults, TLB maintenance and SCTLR_ELx.M changes ("mmu" events). */
  traceMmu?: boolean;
  /** Compile hot guest code to WebAssembly (default true; false: interpret everything). */
  jit?: boolean;
  /** Taken branches to an address before it is compiled (default JIT_THRESHOLD, at most JIT_MAX_THRESHOLD). */
  jitThreshold?: number;
  /** Bytes of WebAssembly code installed before the code cache is emptied (default JIT_CACHE_BYTES, 32 MiB). */
  jitCacheBytes?: number;
  /**
   * Run countdown loops (`subs xN, xN, #1; b.ne .-4`) as many iterations at once as fit before
   * the next event (default true; the result is the same cycle for cycle: false only to check that).
   */
  loopSkip?: boolean;
  /** The SD card's contents (host/sd.ts; tools/sd_image.ts opens a file). Default: no card. */
  sd?: SdImage;
  /** Seed of the hardware random number generator (default 0): the same seed, the same numbers. */
  randomSeed?: number | bigint;
  /** The board serial number the mailbox answers (tag 0x10004; default 0, as QEMU). */
  boardSerial?: number | bigint;
  /** Stop with reason "storm" when a core takes the same synchronous exception this many times
   * in a row (default 1000; 0: never). See soc/cpu/storm.ts and host/storm.ts. */
  storm?: number;
}

export { JIT_THRESHOLD, JIT_MAX_THRESHOLD } from "./jit/threshold.js";
import { JIT_THRESHOLD, JIT_MAX_THRESHOLD } from "./jit/threshold.js";
/** Guest RAM bounds: at least a page, at most up to the peripherals at 0x3F000000. */
export const MIN_RAM = 0x1000;
export const MAX_RAM = 0x3f000000;

export type StopReason = "budget" | "exit" | "halted" | "time" | "stopped" | "returned" | "ticks" | "breakpoint" | "input"
  /** The watchdog reset the SoC (PM_RSTC): with PM_RSTS partition 63 the firmware powers off, else it reboots. */
  | "poweroff" | "reboot"
  /** A core took the same synchronous exception again and again (MachineOptions.storm). */
  | "storm";

/** An exception storm (reason "storm"): the streak that stopped the run, and what came before it. */
export interface StormInfo {
  core: number;
  /** How many times in a row. */
  count: number;
  /** EL the exceptions were taken to, and from. */
  el: number;
  fromEL: number;
  esr: number;
  /** ELR of the last exception of the streak, and of the first (where it began). */
  elr: bigint;
  firstElr: bigint;
  far: bigint;
  vector: bigint;
  /** VBAR_ELx of the target EL (0: no vector table). */
  vbar: bigint;
  /** The synchronous exception just before the streak began (often its cause). */
  before?: { esr: number; elr: bigint; far: bigint; el: number; fromEL: number };
}

export interface RunOptions {
  /** Instruction budget for this call (default: unbounded, so give `until` or a stop). */
  maxInsns?: number;
  /** Stop when virtual time reaches this many seconds since reset. */
  untilSeconds?: number;
  /** Stop once core 0 has returned (ERET) from this many interrupt handlers since reset. */
  ticks?: number;
}

export interface RunResult {
  reason: StopReason;
  /** Exit status for reason "exit" (semihosting SYS_EXIT). */
  exitCode?: number;
  insns: number;
  seconds: number;
  /** For reason "storm". */
  storm?: StormInfo;
}

import { GuestError } from "./errors.js";
export { GuestError };

/**
 * A nested run (guest code called from host code, or an interrupt taken in
 * host code) ended without returning: the guest halted, hit a limit, or exited.
 */
export class NestedRunEnded extends GuestError {
  constructor(message: string, readonly reason: StopReason) { super(message); }
}

type HostFunction = (m: Machine) => void;

const NOTE_KINDS: Record<number, string> = {
  1: "unimplemented-read",
  2: "unimplemented-write",
  3: "uart-pins",
  4: "uart-disabled",
  5: "mailbox-tag",
  20: "pm-password",
  21: "sd-command",
  22: "sd-no-card",
};

function noteMessage(kind: number, addr: number): string {
  const hex = "0x" + addr.toString(16).padStart(8, "0");
  switch (kind) {
    case 1: return `read of unimplemented register ${hex} returned 0`;
    case 2: return `write to unimplemented register ${hex} ignored`;
    case 3: return `mini UART written while GPIO14 is not in ALT5 (GPFSEL1): nothing reaches the serial line, as on the board`;
    case 4: return `AUX_MU_IO written while AUX_ENABLES bit 0 (mini UART) is clear: byte dropped`;
    case 5: return `mailbox property tag ${hex} is not implemented`;
    case 20: return `power management register ${hex} written without the password 0x5A in bits 31:24: ignored, as on the board`;
    case 21: return `SD card: ${addr & 0x100 ? "ACMD" : "CMD"}${addr & 0xff} is not implemented or illegal in this state: no response (command timeout)`;
    case 22: return `EMMC command sent with no SD card inserted (give an image with --sd FILE): command timeout`;
    default: return `note ${kind} at ${hex}`;
  }
}

/** The 64-bit register file and PSTATE of one core, read and written in the SoC's memory. */
export class Cpu {
  constructor(private readonly m: Machine, readonly index: number) {}

  private get base(): number { return L.STATE_BASE + this.index * L.CORE_STATE_SIZE; }

  /** Xn (n = 0..30); 31 reads as XZR. */
  x(n: number): bigint { return n === 31 ? 0n : this.m.view().getBigUint64(this.base + L.OFF_X + n * 8, true); }
  setX(n: number, v: bigint | number): void {
    if (n < 0 || n > 30) throw new RangeError(`no register x${n}`);
    this.m.view().setBigUint64(this.base + L.OFF_X + n * 8, BigInt.asUintN(64, BigInt(v)), true);
  }
  get pc(): number { return Number(this.m.view().getBigUint64(this.base + L.OFF_PC, true)); }
  set pc(v: number) { this.m.view().setBigUint64(this.base + L.OFF_PC, BigInt(v), true); }
  /** The PC as a 64-bit value (a kernel's virtual addresses do not fit a number). */
  get pc64(): bigint { return this.m.view().getBigUint64(this.base + L.OFF_PC, true); }
  set pc64(v: bigint) { this.m.view().setBigUint64(this.base + L.OFF_PC, BigInt.asUintN(64, v), true); }
  /** SP_ELn (n = 0..3). */
  sp(el: number): bigint { return this.m.view().getBigUint64(this.base + L.OFF_SP + el * 8, true); }
  setSp(el: number, v: bigint | number): void { this.m.view().setBigUint64(this.base + L.OFF_SP + el * 8, BigInt(v), true); }
  /** The SP the core uses now (SP_EL0 when PSTATE.SP is 0). */
  get currentSp(): bigint { return this.sp(this.spsel ? this.el : 0); }
  /** PSTATE in SPSR layout: NZCV (31:28), IL (20), DAIF (9:6), M[3:0] (EL << 2 | SP). */
  get pstate(): number { return this.m.view().getUint32(this.base + L.OFF_PSTATE, true); }
  set pstate(v: number) { this.m.view().setUint32(this.base + L.OFF_PSTATE, v >>> 0, true); }
  get el(): number { return (this.pstate >> 2) & 3; }
  get spsel(): number { return this.pstate & 1; }
  /** DAIF as MRS DAIF reads it (bits 9:6). */
  get daif(): number { return this.pstate & 0x3c0; }
  get nzcv(): number { return (this.pstate >>> 28) & 15; }
  /** Vn (n = 0..31), all 128 bits. */
  v(n: number): bigint {
    if (n < 0 || n > 31) throw new RangeError(`no register v${n}`);
    const d = this.m.view(), a = this.base + L.OFF_V + n * 16;
    return d.getBigUint64(a, true) | (d.getBigUint64(a + 8, true) << 64n);
  }
  setV(n: number, v: bigint): void {
    if (n < 0 || n > 31) throw new RangeError(`no register v${n}`);
    const d = this.m.view(), a = this.base + L.OFF_V + n * 16, x = BigInt.asUintN(128, v);
    d.setBigUint64(a, x & ((1n << 64n) - 1n), true);
    d.setBigUint64(a + 8, x >> 64n, true);
  }
  /** FPCR and FPSR as MRS reads them (the stored bits; no trap check). */
  get fpcr(): number { return this.m.view().getUint32(this.base + L.OFF_FPCR, true); }
  set fpcr(v: number) { this.m.view().setUint32(this.base + L.OFF_FPCR, (v & 0x07f70000) >>> 0, true); }
  get fpsr(): number { return this.m.view().getUint32(this.base + L.OFF_FPSR, true); }
  set fpsr(v: number) { this.m.view().setUint32(this.base + L.OFF_FPSR, (v & 0xf800009f) >>> 0, true); }
  get state(): "off" | "running" | "wfi" | "wfe" | "spin" | "poll" {
    return (["off", "running", "wfi", "wfe", "spin", "poll"] as const)[this.m.soc.getCoreState(this.index)];
  }

  /** A system register by name (e.g. "vbar_el1"), read as a debugger would: no EL check. */
  sysreg(name: string): bigint {
    const key = parseSysreg(name);
    if (key === undefined) throw new RangeError(`unknown system register ${name}`);
    const v = this.m.soc.debugSysregRead(this.index, key);
    if (!this.m.soc.hostSysregOk()) throw new RangeError(`${name} is not implemented on this CPU`);
    return BigInt.asUintN(64, v);
  }
  setSysreg(name: string, v: bigint | number): void {
    const key = parseSysreg(name);
    if (key === undefined) throw new RangeError(`unknown system register ${name}`);
    if (!this.m.soc.debugSysregWrite(this.index, key, BigInt.asUintN(64, BigInt(v)))) {
      throw new RangeError(`${name} is not writable on this CPU`);
    }
  }
}

/** Physical memory as a debugger (or a DMA master) sees it: no time passes, no interrupts. */
export class Bus {
  constructor(private readonly m: Machine) {}
  read(addr: number, bytes: 1 | 2 | 4 | 8): bigint {
    const v = this.m.soc.hostRead(BigInt(addr), bytes);
    this.checkFault(addr);
    return BigInt.asUintN(64, v);
  }
  write(addr: number, bytes: 1 | 2 | 4 | 8, v: bigint | number): void {
    this.m.soc.hostWrite(BigInt(addr), bytes, BigInt.asUintN(64, BigInt(v)));
    this.checkFault(addr);
  }
  /** 32-bit forms (the TypeScript kernel's get32/put32) without 64-bit values. */
  read32(addr: number): number {
    this.check32(addr);
    const v = this.m.soc.hostRead32(addr);
    this.checkFault(addr);
    return v >>> 0;
  }
  write32(addr: number, v: number): void {
    this.check32(addr);
    this.m.soc.hostWrite32(addr, v >>> 0);
    this.checkFault(addr);
  }
  private check32(addr: number): void {
    if (addr < 0 || addr > 0xffffffff) throw new GuestError(`bus error: nothing at 0x${addr.toString(16)}`);
  }
  private checkFault(addr: number): void {
    if (this.m.soc.hostFault()) throw new GuestError(`bus error: nothing at 0x${addr.toString(16)}`);
  }
}

export class Machine {
  readonly cores: Cpu[];
  readonly bus: Bus;
  readonly ramSize: number;
  readonly cpuHz: number;
  private listeners: { [K in keyof MachineEvents]: MachineEvents[K][] } = { serial: [], exception: [], irqline: [], note: [], mmio: [], mmu: [] };
  private hostFunctions = new Map<number, HostFunction>();
  private excRead = 0;
  private irqRead = 0;
  private noteRead = 0;
  private mmioRead = 0;
  private mmuRead = 0;
  private stopFlag = false;
  private returnDepth = 0;
  /** HLT immediate that ends a nested call from host code (see callGuest). */
  static readonly RETURN_IMM = 0xefff;
  /** Guest address holding `hlt #RETURN_IMM`: set by whoever loads code that the host calls. */
  returnAddress = -1;
  /** Every run, nested ones included, stops at this much virtual time. */
  stopAtSeconds = Infinity;
  /**
   * A debugger's hook (the web lab's pause and single step): called before each chunk of every
   * run, nested ones included, it returns the most instructions the chunk may run (it may block
   * while paused). With a hook, a breakpoint does not end the run: the hook sees the PC on it.
   */
  debugHook?: (m: Machine) => number;

  /** The compiler of hot code (undefined with `jit: false`). */
  readonly jit?: Jit;

  /** The SD card's image (MachineOptions.sd). */
  readonly sd?: SdImage;

  private constructor(readonly soc: SocExports, private readonly memory: WebAssembly.Memory, table: WebAssembly.Table, opts: MachineOptions, imports: SocImports) {
    this.ramSize = opts.ramSize ?? MAX_RAM;
    // RAM is one block from 0 up to the peripheral window at 0x3F000000 (BCM2837 ARM memory map).
    if (!Number.isInteger(this.ramSize) || this.ramSize < MIN_RAM || this.ramSize > MAX_RAM) {
      throw new RangeError(`guest RAM must be 0x${MIN_RAM.toString(16)} to 0x${MAX_RAM.toString(16)} bytes (RAM ends where the peripherals start), not ${opts.ramSize}`);
    }
    this.cpuHz = opts.cpuHz ?? 1_200_000_000;
    if (!soc.init(this.ramSize)) throw new Error(`cannot allocate ${this.ramSize} bytes of guest RAM`);
    this.cachedView = undefined; // (a shared memory's old buffer is not detached by growing: view() would keep it)
    this.sd = opts.sd;
    imports.sdTransfer = (write, block, ptr) => this.sdTransfer(write !== 0, block, ptr);
    soc.setRngSeed(BigInt.asUintN(64, BigInt(opts.randomSeed ?? 0)));
    const serial = BigInt.asUintN(64, BigInt(opts.boardSerial ?? 0));
    soc.setBoardSerial(Number(serial & 0xffffffffn), Number(serial >> 32n));
    soc.reset();
    soc.setSdCard(BigInt(opts.sd?.blocks ?? 0));
    soc.setCpuHz(BigInt(this.cpuHz));
    soc.setSemihosting(!!opts.semihosting);
    soc.setRxPort(opts.serialInput === "pl011" ? 1 : 0);
    soc.setTraceIrq(!!opts.traceIrq);
    soc.setTraceMmio(!!opts.traceMmio);
    soc.setLoopSkip(opts.loopSkip ?? true);
    soc.setTraceMmu(!!opts.traceMmu);
    // Assigned either way: Machines with and without the compiler keep one object shape.
    this.jit = (opts.jit ?? true) ? new Jit(soc, memory, table, this.ramSize, () => this.view(), () => this.insns, { cacheBytes: opts.jitCacheBytes }) : undefined;
    const threshold = opts.jitThreshold ?? JIT_THRESHOLD;
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > JIT_MAX_THRESHOLD) throw new RangeError(`jitThreshold must be an integer from 1 to ${JIT_MAX_THRESHOLD}, not ${threshold}`);
    if (this.jit) soc.jitConfigure(true, threshold);
    soc.setStormLimit(opts.storm ?? 1000);
    this.cores = [0, 1, 2, 3].map((i) => new Cpu(this, i));
    this.bus = new Bus(this);
  }

  /** Power-on reset: all cores off at EL3, devices reset; RAM keeps its contents. */
  reset(): void {
    this.soc.reset();
    this.excRead = this.view().getUint32(L.INFO_EXC_WRITE, true);
    this.irqRead = this.view().getUint32(L.INFO_IRQ_WRITE, true);
    this.noteRead = this.view().getUint32(L.INFO_NOTE_WRITE, true);
    this.mmioRead = this.view().getUint32(L.INFO_MMIO_WRITE, true);
    this.mmuRead = this.view().getUint32(L.INFO_MMU_WRITE, true);
  }

  /** Countdown-loop iterations run in one step since power-on (`loopSkip`). */
  get loopIterationsSkipped(): number { return Number(this.soc.loopsSkipped()); }

  /** What the compiler of hot code did (undefined with `jit: false`). */
  get jitStats(): JitStats | undefined { return this.jit?.stats; }

  /** Interrupt handlers core 0 has returned from since reset. */
  get ticks(): number { return this.soc.getTicks(); }

  static async create(opts: MachineOptions = {}): Promise<Machine> {
    const imports: SocImports = { sdTransfer: () => 1 };
    const { exports, memory, table } = await loadSocModule(imports);
    return new Machine(exports, memory, table, opts, imports);
  }

  /** One block between the card (soc/periph/emmc.ts) and the image; non-zero: the card reports an error. */
  private sdTransfer(write: boolean, block: number, ptr: number): number {
    if (!this.sd || block >= this.sd.blocks) return 1;
    const buf = new Uint8Array(this.memory.buffer, ptr, SD_BLOCK_SIZE);
    try {
      return (write ? this.sd.write(block, buf) : this.sd.read(block, buf)) ? 0 : 1;
    } catch {
      return 1; // a failing medium is the card's error, not the host's
    }
  }

  /**
   * The framebuffer the guest allocated through the mailbox (tag 0x40001), with a copy of its
   * bytes; undefined while there is none. host/framebuffer.ts turns it into RGBA.
   */
  framebuffer(): Framebuffer | undefined {
    const f = (i: number) => this.soc.fbField(i) >>> 0;
    const address = f(0), size = f(10);
    if (address === 0 || size === 0) return undefined;
    const palette = new Uint32Array(256);
    for (let i = 0; i < 256; i++) palette[i] = this.soc.fbPalette(i) >>> 0;
    return {
      width: f(1), height: f(2), virtualWidth: f(3), virtualHeight: f(4), xOffset: f(5), yOffset: f(6),
      depth: f(7) as Framebuffer["depth"], pitch: f(8), pixelOrder: f(9) === 1 ? "rgb" : "bgr",
      address, size, blank: f(11) !== 0, bytes: this.readMemory(address, Math.min(size, this.ramSize - address)), palette,
    };
  }

  private cachedView?: DataView;
  /** A DataView on linear memory (rebuilt only if the memory grew and detached the old buffer). */
  view(): DataView {
    // memory.buffer is a costly getter (a quarter of a host call's round trip): trust the cached
    // buffer until it is detached, which growing the memory does (its byteLength becomes 0).
    const v = this.cachedView;
    if (v && this.cachedBuffer!.byteLength !== 0) return v;
    this.cachedBuffer = this.memory.buffer;
    return (this.cachedView = new DataView(this.cachedBuffer));
  }
  private cachedBuffer?: ArrayBuffer;

  on<K extends keyof MachineEvents>(event: K, fn: MachineEvents[K]): () => void {
    (this.listeners[event] as MachineEvents[K][]).push(fn);
    return () => {
      const list = this.listeners[event] as MachineEvents[K][];
      const i = list.indexOf(fn);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** Copies bytes into guest RAM at `addr`. */
  load(bytes: Uint8Array, addr: number): void {
    this.loadWith(addr, bytes.length, (ram) => ram.set(bytes));
  }

  /**
   * Loads `length` bytes at `addr` that `write` puts straight into guest RAM (its argument is that
   * part of RAM), with no copy of them in the host's memory: a file read there, for one.
   */
  loadWith(addr: number, length: number, write: (ram: Uint8Array) => void): void {
    if (addr < 0 || addr + length > this.ramSize) {
      throw new GuestError(`image of ${length} bytes at 0x${addr.toString(16)} does not fit in ${this.ramSize} bytes of RAM`);
    }
    write(new Uint8Array(this.memory.buffer, L.RAM_BASE + addr, length));
    this.soc.invalidateCode(BigInt(addr), BigInt(length));
  }

  /** A copy of guest RAM. */
  /**
   * The page-table walk of `va` for `core` at its current EL, as the core's next access would
   * see it (no fault taken, no TLB change): the physical address, the level of the descriptor and
   * the permissions at that EL, or the fault status code (ISS.DFSC) of the walk.
   */
  translate(core: number, va: bigint): { pa: bigint; level: number; read: boolean; write: boolean; exec: boolean; mmuOff: boolean } | { fsc: number } {
    const pa = this.soc.debugTranslate(core, BigInt.asUintN(64, va));
    const info = this.soc.debugTranslateInfo();
    if (pa < 0n) return { fsc: (info >> 8) & 0x3f };
    return { pa, level: (info >> 4) & 7, read: (info & 1) !== 0, write: (info & 2) !== 0, exec: (info & 4) !== 0, mmuOff: info === 7 };
  }

  /** Reads guest RAM at virtual address `va` through `core`'s current translation (a debugger's view). */
  readVirtual(core: number, va: bigint, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let done = 0; done < length;) {
      const a = BigInt.asUintN(64, va + BigInt(done));
      const n = Math.min(length - done, 0x1000 - Number(a & 0xfffn));
      const t = this.translate(core, a);
      if (!("pa" in t)) throw new GuestError(`0x${a.toString(16)} does not translate (fault status 0x${t.fsc.toString(16)})`);
      out.set(this.readMemory(Number(t.pa), n), done);
      done += n;
    }
    return out;
  }

  /** Writes guest RAM at virtual address `va` through `core`'s current translation (permissions aside, as a debugger does). */
  writeVirtual(core: number, va: bigint, bytes: Uint8Array): void {
    const pas: number[] = [];
    for (let done = 0; done < bytes.length;) {
      const a = BigInt.asUintN(64, va + BigInt(done));
      const n = Math.min(bytes.length - done, 0x1000 - Number(a & 0xfffn));
      const t = this.translate(core, a);
      if (!("pa" in t) || Number(t.pa) + n > this.ramSize) throw new GuestError(`0x${a.toString(16)} is not RAM`);
      pas.push(Number(t.pa), done, n);
      done += n;
    }
    for (let i = 0; i < pas.length; i += 3) this.load(bytes.subarray(pas[i + 1], pas[i + 1] + pas[i + 2]), pas[i]);
  }

  /** Valid entries of the software TLB of `core` for each EL (soc/cpu/mmu.ts). */
  tlbEntries(core: number): number[] { return [0, 1, 2, 3].map((el) => this.soc.tlbEntries(core, el)); }

  readMemory(addr: number, length: number): Uint8Array {
    if (addr < 0 || addr + length > this.ramSize) throw new GuestError(`0x${addr.toString(16)}+${length} is outside RAM`);
    return new Uint8Array(this.memory.buffer, L.RAM_BASE + addr, length).slice();
  }

  /**
   * Starts `core` at `entry` in EL `el` with SP_ELel selected and DAIF masked
   * (the reset state); other cores stay off unless started too.
   */
  start(core: number, entry: number, el = 3): void {
    const cpu = this.cores[core];
    cpu.pc = entry;
    cpu.pstate = 0x3c0 | (el << 2) | 1;
    this.soc.setCoreState(core, L.CORE_RUNNING);
  }

  /** Virtual time since reset, in seconds. */
  get seconds(): number { return Number(this.soc.getNow()) / this.cpuHz; }
  get cycles(): number { return Number(this.soc.getNow()); }
  get insns(): number {
    const v = this.view();
    return v.getUint32(L.INFO_INSNS, true) + v.getUint32(L.INFO_INSNS + 4, true) * 2 ** 32;
  }

  /** Binds `hlt #imm` to a host function; it reads arguments from x0.. and writes x0. */
  bindHost(imm: number, fn: HostFunction): void {
    if (imm === 0xf000 || imm === Machine.RETURN_IMM || imm < 0 || imm > 0xffff) throw new RangeError(`HLT #${imm} is reserved`);
    this.hostFunctions.set(imm, fn);
    this.soc.bindHostCall(imm, true);
  }

  /** Makes the current or next run() return with reason "stopped". */
  stop(): void { this.stopFlag = true; }

  /**
   * Hand every byte the guest sends to the "serial" listeners at once (the run stops after the
   * instruction that sent it), so that stop() from a listener ends the run right there: what
   * `--until TEXT` needs. Off, bytes are handed over at the end of each slice of the run.
   * Nothing the guest sees changes.
   */
  serialEachByte(on: boolean): void { this.soc.stopOnEachOutput(on); }

  /** Input beyond the 4 KiB ring, fed in as the guest reads (nothing typed is lost). */
  private pendingInput: number[] = [];
  private inputFed = false;

  /**
   * Called when virtual time is held for serial input (holdTimeForInput) and the byte due has
   * not come: it should give input (input()) or end it (holdTimeForInput(false)); it may throw to
   * end the run. Without it, run() returns with reason "input".
   */
  waitForInput?: (m: Machine) => void;

  /**
   * Serial input in virtual time (ARCHITECTURE.md, "Serial input"): bytes reach the UART's
   * receive FIFO one per `byteMicros` (default 86.8, a 115200-baud frame) while it has room.
   * While `hold` is on (a pipe or file not yet at its end), virtual time stops where the next
   * byte is due until input() gives it or holdTimeForInput(false) says there is no more: the same
   * input gives the same run, whenever the host receives it.
   */
  holdTimeForInput(hold: boolean, byteMicros?: number): void {
    if (byteMicros !== undefined) this.soc.setInputByteNanos(BigInt(Math.max(0, Math.round(byteMicros * 1000))));
    this.soc.holdTimeForInput(hold);
  }

  /** Bytes input() can take now without queuing them outside the SoC's ring. */
  inputRoom(): number {
    const v = this.view();
    const used = (v.getUint32(L.INFO_RX_WRITE, true) - v.getUint32(L.INFO_RX_READ, true)) >>> 0;
    return Math.max(0, L.IO_RING_SIZE - used - this.pendingInput.length);
  }

  /** Gives queued input to the SoC, then asks waitForInput while the byte due is still missing. */
  private serveInputWait(): boolean {
    this.feedInput();
    while (this.soc.inputWaiting()) {
      if (!this.waitForInput) return false;
      this.waitForInput(this);
      this.feedInput();
    }
    return true;
  }

  /** Queues bytes on the serial input (what a user types). */
  input(data: string | Uint8Array): void {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    for (const b of bytes) this.pendingInput.push(b);
    this.feedInput();
  }

  /** Moves queued input into the SoC's receive ring as far as it has room. */
  private feedInput(): void {
    if (!this.pendingInput.length) return;
    const v = this.view();
    let w = v.getUint32(L.INFO_RX_WRITE, true);
    const r = v.getUint32(L.INFO_RX_READ, true);
    const mem = new Uint8Array(this.memory.buffer);
    let n = 0;
    while (n < this.pendingInput.length && ((w - r) >>> 0) < L.IO_RING_SIZE) {
      mem[L.RX_BASE + (w & (L.IO_RING_SIZE - 1))] = this.pendingInput[n++];
      w = (w + 1) >>> 0;
    }
    if (!n) return;
    this.pendingInput.splice(0, n);
    this.inputFed = true;
    v.setUint32(L.INFO_RX_WRITE, w, true);
    this.soc.inputChanged();
  }

  /** Drains the SoC's rings into events. */
  drain(): void {
    this.feedInput();
    const v = this.view();
    if (v.getUint32(L.INFO_TX_WRITE, true) === v.getUint32(L.INFO_TX_READ, true) &&
        v.getUint32(L.INFO_EXC_WRITE, true) === this.excRead && v.getUint32(L.INFO_IRQ_WRITE, true) === this.irqRead &&
        v.getUint32(L.INFO_NOTE_WRITE, true) === this.noteRead && v.getUint32(L.INFO_MMIO_WRITE, true) === this.mmioRead &&
        v.getUint32(L.INFO_MMU_WRITE, true) === this.mmuRead) return;
    const txw = v.getUint32(L.INFO_TX_WRITE, true);
    let txr = v.getUint32(L.INFO_TX_READ, true);
    while (txr !== txw) {
      const e = v.getUint16(L.TX_BASE + (txr & (L.IO_RING_SIZE - 1)) * 2, true);
      for (const fn of this.listeners.serial) fn(e & 0xff, PORTS[e >> 8] ?? "mini");
      txr = (txr + 1) >>> 0;
    }
    v.setUint32(L.INFO_TX_READ, txr, true);

    // Exceptions and line changes come from two rings: deliver them merged by time.
    const excEvents: ExceptionEvent[] = [];
    const lineEvents: LineEvent[] = [];
    const excw = v.getUint32(L.INFO_EXC_WRITE, true);
    if (excw - this.excRead > L.EXC_LOG_ENTRIES) this.excRead = excw - L.EXC_LOG_ENTRIES;
    while (this.excRead !== excw) {
      const e = L.EXC_LOG_BASE + (this.excRead & (L.EXC_LOG_ENTRIES - 1)) * 64;
      this.excRead = (this.excRead + 1) >>> 0;
      if (this.listeners.exception.length === 0) continue;
      const w0 = v.getUint32(e, true);
      const kindCode = (w0 >> 8) & 0xff;
      const vector64 = v.getBigUint64(e + 8, true);
      const elr64 = v.getBigUint64(e + 16, true);
      const vector = Number(vector64);
      const ev: ExceptionEvent = {
        core: w0 & 0xff,
        kind: (["sync", "irq", "fiq", "serror", "eret"] as const)[kindCode],
        fromEL: (w0 >> 16) & 0xf,
        fromSpSel: (w0 >> 20) & 0xf,
        toEL: (w0 >>> 24) & 0xff,
        vector,
        vectorOffset: kindCode === 4 ? 0 : Number(vector64 & 0x7ffn),
        esr: kindCode === 4 ? 0 : v.getUint32(e + 4, true),
        elr: Number(elr64),
        vector64, elr64,
        spsr: v.getUint32(e + 24, true),
        illegal: kindCode === 4 && v.getUint32(e + 4, true) === 1,
        cycle: Number(v.getBigUint64(e + 32, true)),
      };
      excEvents.push(ev);
    }

    const irqw = v.getUint32(L.INFO_IRQ_WRITE, true);
    if (irqw - this.irqRead > L.IRQ_LOG_ENTRIES) this.irqRead = irqw - L.IRQ_LOG_ENTRIES;
    while (this.irqRead !== irqw) {
      const e = L.IRQ_LOG_BASE + (this.irqRead & (L.IRQ_LOG_ENTRIES - 1)) * 16;
      this.irqRead = (this.irqRead + 1) >>> 0;
      const w0 = v.getUint32(e, true);
      const lines = (w0 >> 8) & 3;
      lineEvents.push({ core: w0 & 0xff, irq: (lines & 1) !== 0, fiq: (lines & 2) !== 0, cycle: Number(v.getBigUint64(e + 8, true)) });
    }
    v.setUint32(L.INFO_EXC_READ, this.excRead, true);
    v.setUint32(L.INFO_IRQ_READ, this.irqRead, true);
    for (let i = 0, j = 0; i < excEvents.length || j < lineEvents.length;) {
      if (j < lineEvents.length && (i >= excEvents.length || lineEvents[j].cycle <= excEvents[i].cycle)) {
        const ev = lineEvents[j++];
        for (const fn of this.listeners.irqline) fn(ev);
      } else {
        const ev = excEvents[i++];
        for (const fn of this.listeners.exception) fn(ev);
      }
    }

    const notew = v.getUint32(L.INFO_NOTE_WRITE, true);
    while (this.noteRead !== notew) {
      const e = L.NOTE_LOG_BASE + (this.noteRead & (L.NOTE_LOG_ENTRIES - 1)) * 16;
      this.noteRead = (this.noteRead + 1) >>> 0;
      const kind = v.getUint32(e, true);
      const address = v.getUint32(e + 4, true);
      const ev: NoteEvent = { kind: NOTE_KINDS[kind] ?? "other", address, message: noteMessage(kind, address), cycle: Number(v.getBigUint64(e + 8, true)) };
      for (const fn of this.listeners.note) fn(ev);
    }

    const mmiow = v.getUint32(L.INFO_MMIO_WRITE, true);
    if (mmiow - this.mmioRead > L.MMIO_LOG_ENTRIES) this.mmioRead = mmiow - L.MMIO_LOG_ENTRIES;
    while (this.mmioRead !== mmiow) {
      const e = L.MMIO_LOG_BASE + (this.mmioRead & (L.MMIO_LOG_ENTRIES - 1)) * 16;
      this.mmioRead = (this.mmioRead + 1) >>> 0;
      const flags = v.getUint32(e + 8, true);
      const ev: MmioEvent = { core: flags & 0xff, address: v.getUint32(e, true), value: v.getUint32(e + 4, true), write: (flags & 0x100) !== 0, micros: v.getUint32(e + 12, true) };
      for (const fn of this.listeners.mmio) fn(ev);
    }
    v.setUint32(L.INFO_MMIO_READ, this.mmioRead, true);

    const mmuw = v.getUint32(L.INFO_MMU_WRITE, true);
    if (mmuw - this.mmuRead > L.MMU_LOG_ENTRIES) this.mmuRead = mmuw - L.MMU_LOG_ENTRIES;
    while (this.mmuRead !== mmuw) {
      const e = L.MMU_LOG_BASE + (this.mmuRead & (L.MMU_LOG_ENTRIES - 1)) * 32;
      this.mmuRead = (this.mmuRead + 1) >>> 0;
      const head = v.getUint32(e, true), info = v.getUint32(e + 4, true);
      const kind = (["", "fault", "tlbi", "sctlr"] as const)[(head >> 8) & 0xff] || "fault";
      const ev: MmuEvent = { core: head & 0xff, kind, value: v.getBigUint64(e + 8, true), cycle: Number(v.getBigUint64(e + 16, true)), pc: v.getBigUint64(e + 24, true) };
      if (kind === "fault") { ev.fsc = info & 0xff; ev.access = (["read", "write", "fetch"] as const)[(info >> 8) & 3]; ev.el = (info >> 12) & 3; }
      else if (kind === "tlbi") ev.op = { op1: (info >> 8) & 7, crm: (info >> 4) & 15, op2: info & 7 };
      else ev.el = info;
      for (const fn of this.listeners.mmu) fn(ev);
    }
    v.setUint32(L.INFO_MMU_READ, this.mmuRead, true);
  }

  /**
   * Runs the machine. Host functions bound with bindHost run when the guest
   * calls them. Returns when the budget or time limit is reached, the guest
   * exits through semihosting, every core waits with nothing scheduled, or
   * stop() was called.
   */
  run(opts: RunOptions = {}): RunResult {
    const startInsns = this.insns;
    const budget = opts.maxInsns ?? Infinity;
    const limit = Math.min(opts.untilSeconds ?? Infinity, this.stopAtSeconds);
    const until = limit === Infinity ? 0xffffffffffffffffn : BigInt(Math.round(limit * this.cpuHz));
    this.stopFlag = false;
    if (this.returnDepth === 0) this.soc.setTickLimit(opts.ticks ?? 0);
    for (;;) {
      let chunk = 1 << 22;
      if (budget !== Infinity) {
        const left = budget - (this.insns - startInsns);
        if (left <= 0) return this.result("budget", startInsns);
        chunk = Math.min(left, chunk);
      }
      if (this.debugHook) chunk = Math.max(1, Math.min(chunk, this.debugHook(this)));
      this.inputFed = false;
      let reason = this.soc.run(chunk, until);
      // Compiling hot code is invisible to the guest and to listeners: the same chunk goes on
      // and nothing is drained, so events and stops fall where they would without it (the
      // SoC stops for it only between rounds of the cores, with budget left).
      while (reason === L.STOP_JIT) {
        this.jit?.compilePending();
        reason = this.soc.run(this.view().getUint32(L.INFO_STOP_ARG, true), until);
      }
      this.drain();
      if (reason === L.STOP_HOSTCALL) {
        const imm = this.view().getUint32(L.INFO_STOP_ARG, true);
        if (imm === Machine.RETURN_IMM) return this.result("returned", startInsns);
        const fn = this.hostFunctions.get(imm);
        if (!fn) throw new GuestError(`HLT #0x${imm.toString(16)} is bound but has no host function`);
        fn(this);
      } else if (reason === L.STOP_POWER) {
        return this.result(this.view().getUint32(L.INFO_STOP_ARG, true) === 0 ? "poweroff" : "reboot", startInsns);
      } else if (reason === L.STOP_EXIT) {
        return { ...this.result("exit", startInsns), exitCode: this.view().getUint32(L.INFO_STOP_ARG, true) };
      } else if (reason === L.STOP_HALTED) {
        if (!this.inputFed) return this.result("halted", startInsns); // more queued input wakes it
      } else if (reason === L.STOP_INPUT) {
        if (!this.serveInputWait()) return this.result("input", startInsns);
      } else if (reason === L.STOP_UNTIL_TIME) {
        return this.result("time", startInsns);
      } else if (reason === L.STOP_BREAK) {
        if (!this.debugHook) return this.result("breakpoint", startInsns);
        this.soc.resumeFrom(BigInt(this.cores[this.soc.lastCore()].pc)); // the hook has seen it; go on from it
      } else if (reason === L.STOP_STORM) {
        return { ...this.result("storm", startInsns), storm: this.stormInfo(this.view().getUint32(L.INFO_STOP_ARG, true)) };
      } else if (reason === L.STOP_TICKS) {
        // Inside a nested run (host code interrupted) the handler must finish
        // first; the host code checks `ticks` itself.
        if (this.returnDepth === 0) return this.result("ticks", startInsns);
      }
      if (this.stopFlag) return this.result("stopped", startInsns);
    }
  }

  private stormInfo(core: number): StormInfo {
    const s = this.soc;
    const els = s.stormEL(core), el = els & 15;
    const u64 = (v: bigint) => BigInt.asUintN(64, v);
    const vector = u64(s.stormVector(core));
    const info: StormInfo = {
      core, count: s.stormCount(core), el, fromEL: els >> 4, esr: s.stormEsr(core) >>> 0, elr: u64(s.stormElr(core)),
      firstElr: u64(s.stormFirstElr(core)), far: u64(s.stormFar(core)), vector, vbar: vector & ~0x7ffn,
    };
    const prevEL = s.stormPrevEL(core);
    if (prevEL !== 0xff) info.before = { esr: s.stormPrevEsr(core) >>> 0, elr: u64(s.stormPrevElr(core)), far: u64(s.stormPrevFar(core)), el: prevEL & 15, fromEL: prevEL >> 4 };
    return info;
  }

  private result(reason: StopReason, startInsns: number): RunResult {
    return { reason, insns: this.insns - startInsns, seconds: this.seconds };
  }

  /**
   * Runs guest code on `core` until it returns to returnAddress (the `hlt` that
   * ends a nested call): used to call guest functions and to run an interrupt
   * taken while host code was running. PC and x30 are the caller's to save.
   */
  runNested(maxInsns = Infinity): RunResult {
    // `hlt #RETURN_IMM` is a host call only while some host frame waits for it;
    // otherwise it stays an undefined instruction.
    if (this.returnDepth++ === 0) this.soc.bindHostCall(Machine.RETURN_IMM, true);
    try {
      const r = this.run({ maxInsns });
      if (r.reason !== "returned") {
        if (r.reason === "storm" && r.storm) {
          const s = r.storm;
          throw new NestedRunEnded(`an exception storm: core ${s.core} took the same exception ${s.count} times (SYNC at EL${s.el}, ESR 0x${s.esr.toString(16).padStart(8, "0")}` +
            ` at 0x${s.elr.toString(16)}, VBAR_EL${s.el} = 0x${s.vbar.toString(16)}${s.vbar === 0n ? ": no vector table" : ""})`, r.reason);
        }
        const what = r.reason === "halted" ? "halted (every core waits, nothing scheduled)" : r.reason === "time" ? "reached the time limit" : r.reason;
        throw new NestedRunEnded(`guest code called from the host ${what} after ${r.insns} instructions at pc=0x${this.cores[0].pc.toString(16)}`, r.reason);
      }
      return r;
    } finally {
      if (--this.returnDepth === 0) this.soc.bindHostCall(Machine.RETURN_IMM, false);
    }
  }

  /** Calls the guest function at `addr` on core 0 with up to 8 arguments; returns x0. */
  callGuest(addr: number, ...args: (number | bigint)[]): bigint {
    if (this.returnAddress < 0) throw new Error("no host return trampoline: set machine.returnAddress");
    const cpu = this.cores[0];
    const savedPc = cpu.pc;
    const savedLr = cpu.x(30);
    args.forEach((a, i) => cpu.setX(i, a));
    cpu.setX(30, this.returnAddress);
    cpu.pc = addr;
    this.runNested();
    cpu.pc = savedPc;
    cpu.setX(30, savedLr);
    return cpu.x(0);
  }

  /**
   * The point where host code is interruptible: if core 0 would take an IRQ or
   * FIQ now, the CPU enters the exception with ELR = returnAddress and the
   * guest vector code runs until its ERET comes back there. Returns true if an
   * interrupt was taken.
   */
  serviceInterrupts(): boolean {
    if (this.returnAddress < 0 || this.soc.coreInputs(0) === 0) return false;
    const cpu = this.cores[0];
    const savedPc = cpu.pc;
    if (!this.soc.hostTakeInterrupt(0, BigInt(this.returnAddress))) return false;
    this.drain();
    this.runNested();
    cpu.pc = savedPc;
    return true;
  }

  /** Advances virtual time (the cost of host work) and services due device events. */
  advance(cycles: number): void {
    this.soc.hostAdvance(BigInt(Math.max(0, Math.round(cycles))));
    if (this.soc.inputWaiting()) this.serveInputWait();
  }

  /** Cycle of the next scheduled device event, or Infinity. */
  nextEventCycle(): number {
    const t = this.soc.nextEventCycle();
    return t === 0xffffffffffffffffn ? Infinity : Number(t);
  }
}

export interface SocExports extends JitExports {
  init(ramBytes: number): boolean;
  reset(): void;
  run(maxInsns: number, until: bigint): number;
  setCoreState(core: number, state: number): void;
  getCoreState(core: number): number;
  setCpuHz(hz: bigint): void;
  getNow(): bigint;
  setSemihosting(on: boolean): void;
  setRxPort(port: number): void;
  setTraceIrq(on: boolean): void;
  bindHostCall(imm: number, bound: boolean): void;
  gpioSetFunction(pin: number, f: number): void;
  inputChanged(): void;
  hostRead(addr: bigint, bytes: number): bigint;
  hostWrite(addr: bigint, bytes: number, v: bigint): void;
  hostFault(): boolean;
  hostRead32(addr: number): number;
  hostWrite32(addr: number, v: number): void;
  hostAdvance(cycles: bigint): void;
  hostTakeInterrupt(core: number, returnAddr: bigint): boolean;
  hostSysregRead(core: number, key: number): bigint;
  hostSysregWrite(core: number, key: number, v: bigint): boolean;
  hostSysregOk(): boolean;
  setTraceMmio(on: boolean): void;
  setLoopSkip(on: boolean): void;
  loopsSkipped(): bigint;
  setTraceMmu(on: boolean): void;
  setBreakpoint(addr: bigint, on: boolean): boolean;
  debugTranslate(core: number, va: bigint): bigint;
  debugTranslateInfo(): number;
  tlbEntries(core: number, el: number): number;
  invalidateCode(addr: bigint, len: bigint): void;
  resumeFrom(addr: bigint): void;
  lastCore(): number;
  setTickLimit(n: number): void;
  getTicks(): number;
  debugSysregRead(core: number, key: number): bigint;
  debugSysregWrite(core: number, key: number, v: bigint): boolean;
  coreInputs(core: number): number;
  nextEventCycle(): bigint;
  holdTimeForInput(on: boolean): void;
  stopOnEachOutput(on: boolean): void;
  setInputByteNanos(ns: bigint): void;
  inputWaiting(): boolean;
  setRngSeed(seed: bigint): void;
  setSdCard(blocks: bigint): void;
  setBoardSerial(lo: number, hi: number): void;
  fbField(i: number): number;
  fbPalette(i: number): number;
  setStormLimit(n: number): void;
  stormCount(core: number): number;
  stormVector(core: number): bigint;
  stormEsr(core: number): number;
  stormElr(core: number): bigint;
  stormFirstElr(core: number): bigint;
  stormFar(core: number): bigint;
  stormEL(core: number): number;
  stormPrevEsr(core: number): number;
  stormPrevElr(core: number): bigint;
  stormPrevFar(core: number): bigint;
  stormPrevEL(core: number): number;
}
