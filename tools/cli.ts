#!/usr/bin/env node
// rpi-os: run Raspberry Pi 3 kernels, assemble and disassemble A64, boot the
// TypeScript lesson-3 kernel. `rpi-os help` lists the commands.

import { readFileSync, writeFileSync, existsSync, writeSync, openSync, closeSync, statSync, readSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ExceptionEvent } from "../host/machine.js";
import type { BootConfig } from "../host/boot.js";
import { GuestError } from "../host/errors.js";
import { JIT_THRESHOLD, JIT_MAX_THRESHOLD } from "../host/jit/threshold.js";
import { formatException, formatLine, formatMmio, formatMmu } from "../host/trace.js";
import { BOARD_OPTIONS, BoardUsageError, boardMachineOptions, Screenshots, powerEnd } from "./board_cli.js";

// ---- modules loaded on demand ----
// Every module costs start-up time (parsing, evaluation; ARCHITECTURE.md, "Start-up"), so
// `--version`, `help`, `asm` and `disasm` load no machine, and `run` loads the machine but not
// the assembler, the disassembler, the TS kernel, gdb or the Linux boot. loadMachine() binds
// these names for the commands that run a machine.
type Machine = import("../host/machine.js").Machine;
type StdinSource = import("./realtime.js").StdinSource;
type SerialInput = import("./realtime.js").SerialInput;
type RealtimeClock = import("./realtime.js").RealtimeClock;
let Machine: typeof import("../host/machine.js").Machine;
let MIN_RAM: number, MAX_RAM: number;
let boot: typeof import("../host/boot.js").boot, parseConfigTxt: typeof import("../host/boot.js").parseConfigTxt;
let DEFAULT_BOOT: BootConfig, isArm64Image: typeof import("../host/boot.js").isArm64Image;
let StdinSource: typeof import("./realtime.js").StdinSource, SerialInput: typeof import("./realtime.js").SerialInput;
let RealtimeClock: typeof import("./realtime.js").RealtimeClock;
let QuitRequested: typeof import("./realtime.js").QuitRequested, WallTimeout: typeof import("./realtime.js").WallTimeout;
let isTerminal: typeof import("./realtime.js").isTerminal;
let describeStorm: typeof import("../host/storm.js").describeStorm;
let describeNoVectorException: typeof import("../host/storm.js").describeNoVectorException;
let undefinedSysregHint: typeof import("../host/storm.js").undefinedSysregHint;

async function loadMachine(): Promise<void> {
  const [machine, bootMod, realtime, storm] = await Promise.all([
    import("../host/machine.js"), import("../host/boot.js"), import("./realtime.js"), import("../host/storm.js"),
    import("../host/wasm.js").then((w) => w.compileSoc()), // build/soc.wasm read and compiled meanwhile
  ]);
  ({ Machine, MIN_RAM, MAX_RAM } = machine);
  ({ boot, parseConfigTxt, DEFAULT_BOOT, isArm64Image } = bootMod);
  ({ StdinSource, SerialInput, RealtimeClock, QuitRequested, WallTimeout, isTerminal } = realtime);
  ({ describeStorm, describeNoVectorException, undefinedSysregHint } = storm);
}

class UsageError extends Error {}

// ---- options: one table a command; a new flag is one line in its table ----

/** A command-line option: `value` names its argument (none: a switch); `optional`: the value may be left out. */
interface Option { name: string; value?: string; optional?: RegExp; default?: string; help: string }
interface Command { usage: string; about: string; options: Option[] }

const TRACE_OPTIONS: Option[] = [
  { name: "--trace", value: "LIST", help: "exc,irq,mmio,mmu,insn to stderr, in order with the serial output" },
  { name: "--trace-file", value: "F", help: "write the trace to F instead (streamed)" },
];
const NO_JIT: Option = { name: "--no-jit", help: "interpret everything (hot code is otherwise compiled to WebAssembly)" };

const COMMANDS: Record<string, Command> = {
  kernel: {
    usage: "rpi-os kernel [options]",
    about: "Boot the lesson-3 kernel (boot/*.S + TypeScript kernel/). Realtime by default:\n" +
      "\"Timer interrupt received\" five times a second; type to echo; Ctrl-A X quits, Ctrl-A H lists the keys.",
    options: [
      { name: "--virtual", help: "virtual time, as fast as it can (needs --ticks or --seconds); stdin is read too" },
      { name: "--ticks", value: "N", help: "stop after N timer interrupts" },
      { name: "--interval", value: "US", help: "timer period in microseconds (default 200000)" },
      { name: "--seconds", value: "S", help: "stop after S seconds of virtual time" },
      { name: "--timeout", value: "S", help: "stop with an error after S seconds of wall time" },
      ...TRACE_OPTIONS, NO_JIT,
    ],
  },
  run: {
    usage: "rpi-os run IMAGE [options]",
    about: "Run a kernel8.img (raw) or an ELF. Reads config.txt next to the image.\n" +
      "On a terminal, without a limit or --semihosting, it runs in realtime; Ctrl-A X quits, Ctrl-A H lists the keys.",
    options: [
      { name: "--kernel-old", help: "image at 0, all cores at 0 in EL3 (config.txt kernel_old=1)" },
      { name: "--load", value: "ADDR", help: "load address of a raw image (default 0x80000)" },
      { name: "--entry", value: "ADDR", help: "start address (default: load address / ELF entry)" },
      { name: "--el", value: "N", help: "exception level core 0 starts in (default 2; 3 with --kernel-old)" },
      { name: "--cores", value: "N", help: "cores that run (1-4, default 4)" },
      { name: "--enable-uart", help: "GPIO14/15 in ALT5 at boot, as the firmware does with enable_uart=1" },
      { name: "--serial", value: "mini|pl011", help: "which UART receives typed input (default mini)" },
      { name: "--semihosting", help: "ARM semihosting through HLT #0xF000 (exit status, console)" },
      { name: "--realtime", help: "pace virtual time with the host clock" },
      { name: "--until", value: "TEXT", help: "stop once the output contains TEXT (exit 0)" },
      { name: "--ticks", value: "N", help: "stop once core 0 has returned from its Nth interrupt handler" },
      { name: "--seconds", value: "S", help: "stop after S seconds of virtual time" },
      { name: "--max-insns", value: "N", help: "stop with an error (exit 2) after exactly N instructions" },
      { name: "--timeout", value: "S", help: "stop with an error (exit 3) after S seconds of wall time" },
      { name: "--stats", help: "at the end, print the virtual time, the instructions retired and the compiler's figures to stderr" },
      { name: "--stats-time", help: "with --stats, also the host time compiling took, when compiled code was first installed (not reproducible) whether the JavaScript code cache was used, and node's options" },
      ...TRACE_OPTIONS,
      { name: "--ram", value: "BYTES", help: "guest RAM (default and maximum 0x3F000000: RAM ends where the peripherals start)" },
      { name: "--gdb", value: "PORT", optional: /^\d+$/, default: "1234", help: "GDB remote stub on localhost (PORT optional, default 1234)" },
      { name: "-S", help: "with --gdb: wait for gdb before the first instruction" },
      NO_JIT,
      { name: "--jit-threshold", value: "N", help: `taken branches to a target before it is compiled (default ${JIT_THRESHOLD}, at most ${JIT_MAX_THRESHOLD})` },
      { name: "--dtb", value: "FILE", help: "boot IMAGE as an arm64 Linux Image with this device tree, as the Pi firmware does" },
      { name: "--initrd", value: "FILE", help: "with --dtb: the initramfs (linux,initrd-start/end in /chosen)" },
      { name: "--append", value: "CMDLINE", help: "with --dtb: the kernel command line (/chosen/bootargs)" },
      { name: "--quiet", help: "with --dtb: one line of progress instead of the kernel's console" },
      { name: "-kernel", value: "Image", help: "QEMU's spelling: the Linux Image" },
      { name: "-dtb", value: "FILE", help: "QEMU's spelling of --dtb" },
      { name: "-initrd", value: "FILE", help: "QEMU's spelling of --initrd" },
      { name: "-append", value: "CMDLINE", help: "QEMU's spelling of --append" },
      { name: "--storm", value: "N", help: "stop (exit 4) when a core takes the same exception N times in a row (default 1000; 0: off)" },
      { name: "--no-loop-skip", help: "run delay loops (countdowns, clock waits) instruction by instruction: the same run, slower" },
      ...BOARD_OPTIONS,
    ],
  },
  linux: {
    usage: "rpi-os linux [options]",
    about: "Boot Debian's arm64 kernel (npm run fetch-linux caches it) with our initramfs, then print\n" +
      "its /proc/interrupts beside the TypeScript Linux layer's and explain the differences.",
    options: [
      { name: "--quiet", help: "one line of progress instead of the kernel's console" },
      { name: "--append", value: "CMDLINE", help: "the kernel command line" },
      { name: "--timeout", value: "S", help: "stop with an error after S seconds of wall time" },
      { name: "--max-insns", value: "N", help: "stop with an error after N instructions" },
      { name: "--cores", value: "N", help: "cores that run (1-4, default 4)" },
      NO_JIT,
    ],
  },
  asm: {
    usage: "rpi-os asm FILE.S... [options]",
    about: "Assemble GNU-as A64 source (with the C preprocessor subset) into a raw image and/or an ELF.",
    options: [
      { name: "-o", value: "OUT.img", help: "raw image to write" },
      { name: "--elf", value: "OUT.elf", help: "ELF file to write" },
      { name: "-I", value: "DIR", help: "add DIR to the include path" },
      { name: "-D", value: "NAME[=VALUE]", help: "define a preprocessor macro" },
      { name: "--base", value: "ADDR", help: "address of the first byte (default 0)" },
    ],
  },
  disasm: {
    usage: "rpi-os disasm IMAGE [options]",
    about: "Disassemble a raw image word by word, in objdump's spelling.",
    options: [{ name: "--base", value: "ADDR", help: "address of the first byte (default 0)" }],
  },
  lesson: {
    usage: "rpi-os lesson --list | --step N [options] | --linux",
    about: "The lesson-3 steps, one behaviour each (docs/lesson3.md), and the Linux-shaped kernel.",
    options: [
      { name: "--list", help: "list the steps" },
      { name: "--step", value: "N", help: "run step N" },
      { name: "--virtual", help: "virtual time: the step ends by itself after 2 s of guest time" },
      { name: "--seconds", value: "S", help: "end the step after S seconds of virtual time" },
      { name: "--linux", help: "boot the Linux-shaped kernel (kernel/linux/)" },
      ...TRACE_OPTIONS, NO_JIT,
    ],
  },
};

function optionLines(options: Option[]): string {
  const left = options.map((o) => `${o.name}${o.value ? (o.optional ? ` [${o.value}]` : ` ${o.value}`) : ""}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return options.map((o, i) => `    ${left[i].padEnd(width)}${o.help}\n`).join("");
}

function indent(text: string, n: number): string { return text.split("\n").map((l) => " ".repeat(n) + l).join("\n"); }

function commandHelp(name: string): string {
  const c = COMMANDS[name];
  return `usage: ${c.usage}\n${indent(c.about, 2)}\n\noptions:\n${optionLines([...c.options, { name: "--help", help: "this text" }])}`;
}

const HELP = `rpi-os: a Raspberry Pi 3 (BCM2837) in WebAssembly

${Object.values(COMMANDS).map((c) => `  ${c.usage}\n${indent(c.about, 6)}\n`).join("")}
  rpi-os COMMAND --help    the options of COMMAND
  rpi-os --version

Serial console: stdout is the guest's UART, stdin goes to it. On a terminal, Ctrl-C is sent to the
guest (as on a serial line); Ctrl-A X quits, Ctrl-A H lists the keys. A pipe or file is passed
through byte for byte, in virtual time (see ARCHITECTURE.md, "Serial input").
`;

interface Args { positional: string[]; flags: Map<string, string[]> }

/** Parses argv by the command's option table; `--help` anywhere asks for the command's usage. */
function parseArgs(argv: string[], options: Option[]): Args {
  const byName = new Map(options.map((o) => [o.name, o]));
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (name: string, value: string) => { if (!flags.has(name)) flags.set(name, []); flags.get(name)!.push(value); };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let value: string | undefined;
    if (a === "--help" || a === "-h") { add("--help", ""); continue; }
    if (!a.startsWith("-") || a.length === 1) { positional.push(a); continue; }
    if (a.startsWith("--") && a.includes("=")) { value = a.slice(a.indexOf("=") + 1); a = a.slice(0, a.indexOf("=")); }
    else if (/^-[A-Za-z]./.test(a) && !byName.has(a) && byName.get(a.slice(0, 2))?.value) { value = a.slice(2); a = a.slice(0, 2); }
    const o = byName.get(a);
    if (!o) throw new UsageError(`unknown option ${a}`);
    if (!o.value) {
      if (value !== undefined) throw new UsageError(`${a} takes no value`);
      add(a, "");
    } else if (value !== undefined) add(a, value);
    else if (o.optional) add(a, o.optional.test(argv[i + 1] ?? "") ? argv[++i] : o.default ?? "");
    else {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value (${o.value})`);
      add(a, argv[++i]);
    }
  }
  return { positional, flags };
}

function flag(args: Args, name: string): string | undefined { return args.flags.get(name)?.at(-1); }
function has(args: Args, name: string): boolean { return args.flags.has(name); }
function num(args: Args, name: string): number | undefined {
  const v = flag(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || v.trim() === "") throw new UsageError(`${name} expects a number, not '${v}'`);
  return n;
}

function out(bytes: Uint8Array | string): void {
  writeAll(1, typeof bytes === "string" ? Buffer.from(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * A message on stderr, after the serial output and trace that came before it. Written with
 * write(2), as the rest is: process.stderr, on its first use, loads Node's streams and net modules (2-3 ms).
 */
function note(msg: string): void {
  Console.current?.flush();
  writeAll(2, Buffer.from(`rpi-os: ${msg}\n`));
}

/**
 * The guest's serial output (stdout) and the trace (stderr, or a file), in the order they
 * happened: a trace line first writes out the serial bytes before it. Both are buffered in
 * bounded chunks; a trace file is streamed, never held whole.
 */
class Console {
  private serialBytes: number[] = [];
  private traceLines: string[] = [];
  private traceChars = 0;
  private traceFd = -1;
  /** Serial bytes are written at once (interactive runs). */
  immediate = false;
  /** The console of this process's run: notes flush it first. */
  static current?: Console;

  constructor(traceFile?: string) {
    Console.current = this;
    if (traceFile !== undefined) {
      try { this.traceFd = openSync(traceFile, "w"); }
      catch (e) { throw new UsageError(`--trace-file ${traceFile}: ${ioReason(e)}`); }
    }
  }

  serial(b: number): void {
    if (this.traceFd < 0 && this.traceLines.length) this.flushTrace();
    this.serialBytes.push(b);
    if (this.immediate || this.serialBytes.length >= 1 << 16) this.flushSerial();
  }

  trace(line: string): void {
    if (this.traceFd < 0 && this.serialBytes.length) this.flushSerial();
    this.traceLines.push(line);
    this.traceChars += line.length + 1;
    if (this.traceChars >= 1 << 16) this.flushTrace();
  }

  flushSerial(): void { if (this.serialBytes.length) out(new Uint8Array(this.serialBytes.splice(0))); }

  private flushTrace(): void {
    if (!this.traceLines.length) return;
    const text = this.traceLines.join("\n") + "\n";
    this.traceLines.length = 0;
    this.traceChars = 0;
    writeAll(this.traceFd < 0 ? 2 : this.traceFd, Buffer.from(text));
  }

  flush(): void {
    if (this.traceFd < 0 && this.traceLines.length) { this.flushTrace(); this.flushSerial(); }
    else { this.flushSerial(); this.flushTrace(); }
  }

  close(): void {
    this.flush();
    if (this.traceFd >= 0) { closeSync(this.traceFd); this.traceFd = -1; }
  }
}

const TRACE_KINDS = ["exc", "irq", "mmio", "mmu", "insn"];

function traceKinds(spec: string | undefined): Set<string> {
  const kinds = new Set((spec ?? "").split(",").map((s) => s.trim()).filter((s) => s));
  for (const k of kinds) if (!TRACE_KINDS.includes(k)) throw new UsageError(`--trace: unknown kind '${k}' (${TRACE_KINDS.join(", ")})`);
  return kinds;
}

/** Sends the machine's events of the asked kinds to the console's trace. */
function setupTrace(m: Machine, kinds: Set<string>, con: Console): void {
  if (kinds.has("exc")) m.on("exception", (e) => con.trace(formatException(e)));
  if (kinds.has("irq")) m.on("irqline", (e) => con.trace(formatLine(e)));
  if (kinds.has("mmio")) m.on("mmio", (e) => con.trace(formatMmio(e)));
  if (kinds.has("mmu")) m.on("mmu", (e) => con.trace(formatMmu(e)));
}

function writeAll(fd: number, b: Buffer): void {
  let off = 0;
  while (off < b.length) {
    try { off += writeSync(fd, b, off); } catch (e) { if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e; }
  }
}

/** The system's reason for a failed file operation, in words (ENOENT -> "no such file or directory"). */
function ioReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOENT: "no such file or directory", EISDIR: "is a directory", EACCES: "permission denied", ENOTDIR: "a part of the path is not a directory",
    EROFS: "read-only file system", ENOSPC: "no space left on the device", EADDRINUSE: "address already in use",
  };
  return (err.code && words[err.code]) ?? err.message ?? String(e);
}

/** Reads a file the user named (its first `head` bytes only, if given), as a one-line error when it is missing or not a file. */
function readUserFile(path: string, what: string): Buffer;
function readUserFile(path: string, what: string, head: number): Uint8Array;
function readUserFile(path: string, what: string, head?: number): Uint8Array {
  let st;
  try { st = statSync(path); } catch { throw new UsageError(`no such file: ${path}`); }
  if (st.isDirectory()) throw new UsageError(`${what} ${path} is a directory, not a file`);
  try {
    if (head === undefined) return readFileSync(path);
    const fd = openSync(path, "r");
    try { const b = new Uint8Array(Math.min(head, st.size)); return b.subarray(0, readSync(fd, b, 0, b.length, 0)); } finally { closeSync(fd); }
  } catch (e) { throw new UsageError(`${what} ${path}: ${ioReason(e)}`); }
}

/** Writes a file the user named, as a one-line error when its directory is missing or it cannot be written. */
function writeUserFile(path: string, data: Uint8Array): void {
  try { writeFileSync(path, data); } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT" && !existsSync(dirname(path) || ".")) throw new UsageError(`cannot write ${path}: no such directory ${dirname(path)}`);
    throw new UsageError(`cannot write ${path}: ${ioReason(e)}`);
  }
}

function startInput(): { source: StdinSource; restore: () => void } {
  const source = new StdinSource();
  let restore = () => {};
  if (source.interactive) {
    process.stdin.setRawMode(true);
    restore = () => { try { process.stdin.setRawMode(false); } catch { /* already closed */ } };
  }
  source.start();
  return { source, restore: () => { restore(); source.stop(); } };
}

/** An integer option in [lo, hi] (hex or decimal), or a usage error that says the range. */
function intOption(args: Args, name: string, lo: number, hi: number): number | undefined {
  const v = num(args, name);
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < lo || v > hi) throw new UsageError(`${name} must be an integer from ${fmtRange(lo)} to ${fmtRange(hi)}, not ${flag(args, name)}`);
  return v;
}
function fmtRange(n: number): string { return n >= 0x10000 ? `0x${n.toString(16)}` : String(n); }

/** A positive number of seconds (or other unit). */
function positiveOption(args: Args, name: string): number | undefined {
  const v = num(args, name);
  if (v !== undefined && !(v > 0)) throw new UsageError(`${name} must be more than 0, not ${flag(args, name)}`);
  return v;
}

/** What tools/linux.ts reads of the command line. */
function cliAccess(args: Args) {
  return {
    flag: (n: string) => flag(args, n), has: (n: string) => has(args, n), num: (n: string) => num(args, n),
    int: (n: string, lo: number, hi: number) => intOption(args, n, lo, hi), positional: args.positional,
    out, note, startInput, stats: (m: Machine) => printStats(args, m),
  };
}

/** --stats and --stats-time: the run's figures, at its end (a kernel8.img or a Linux Image). */
function printStats(args: Args, m: Machine): void {
  if (!has(args, "--stats")) return;
  note(`stats: ${m.seconds.toFixed(9)} s of virtual time, ${m.insns} instructions, ${m.ticks} interrupt returns on core 0`);
  // (Reproducible, as the line above: compilation happens at the same points of every run.)
  const j = m.jitStats, w = j?.firstInstall;
  if (j) note(`stats: ${j.retired} instructions in compiled code, ${j.regions} regions, ${j.instructions} instructions translated${w ? `, the first installed after ${w.insns} instructions` : ""}`);
  if (!has(args, "--stats-time")) return;
  // Host time, which is not: warm-up as `npm run bench` reports it.
  if (j) note(`stats: compiling took ${j.compileMs.toFixed(1)} ms (forming regions ${j.phaseMs.form.toFixed(1)}, emitting ${j.phaseMs.emit.toFixed(1)}, WebAssembly ${j.phaseMs.wasm.toFixed(1)})${w ? `; the first compiled code was installed ${w.ms.toFixed(1)} ms after the process started` : ""}`);
  note(`stats: JavaScript code cache: ${codeCacheState()}`);
  // (tools/launch.cjs's first line gives node --v8-pool-size=0: whether this process got it.)
  note(`stats: node options: ${process.execArgv.join(" ") || "none"}`);
  note(`stats: exit: ${processExit().how}`);
}

async function cmdRun(args: Args): Promise<number> {
  // A Linux Image with a device tree (QEMU's -kernel/-dtb spellings too): tools/linux.ts.
  if (has(args, "--dtb") || has(args, "-dtb") || has(args, "-kernel")) return (await import("./linux.js")).cmdRunLinux(cliAccess(args));
  const image = args.positional[0];
  if (!image) throw new UsageError("run needs an IMAGE");
  if (args.positional.length > 1) throw new UsageError(`run takes one IMAGE, not also ${args.positional.slice(1).join(" ")}`);
  // A Linux Image is told by its header and read straight into guest RAM (tools/linux.ts
  // kernelFile): Debian's 31 MB held here too would be peak RSS.
  if (isArm64Image(readUserFile(image, "image", 64))) return (await import("./linux.js")).cmdRunLinux(cliAccess(args));
  const file = readUserFile(image, "image");
  const bytes = new Uint8Array(file);
  let cfg: BootConfig = { ...DEFAULT_BOOT };
  const configTxt = join(dirname(image), "config.txt");
  if (existsSync(configTxt)) cfg = { ...cfg, ...parseConfigTxt(readUserFile(configTxt, "config").toString("utf8"), (w) => note(`warning: ${w}`)) };
  if (has(args, "--kernel-old")) cfg.kernelOld = true;
  if (has(args, "--enable-uart")) cfg.enableUart = true;
  cfg.loadAddress = intOption(args, "--load", 0, MAX_RAM - 1) ?? cfg.loadAddress;
  cfg.entry = intOption(args, "--entry", 0, 2 ** 48 - 1) ?? cfg.entry;
  cfg.el = intOption(args, "--el", 0, 3) ?? cfg.el;
  cfg.cores = intOption(args, "--cores", 1, 4) ?? cfg.cores;
  const serial = flag(args, "--serial") ?? "mini";
  if (serial !== "mini" && serial !== "pl011") throw new UsageError("--serial must be mini or pl011");
  const ramSize = intOption(args, "--ram", MIN_RAM, MAX_RAM);
  const gdbPort = has(args, "--gdb") ? intOption(args, "--gdb", 0, 65535) : undefined;
  const until = flag(args, "--until");
  if (until === "") throw new UsageError("--until needs a non-empty TEXT");
  const ticks = intOption(args, "--ticks", 1, 2 ** 31);
  const seconds = positiveOption(args, "--seconds");
  const maxInsns = intOption(args, "--max-insns", 1, Number.MAX_SAFE_INTEGER);
  const timeout = positiveOption(args, "--timeout");
  const traceSpec = flag(args, "--trace");
  const kinds = traceKinds(traceSpec);
  const con = new Console(flag(args, "--trace-file"));
  // The stdin worker starts while the SoC module loads (piped input waits for it otherwise).
  const input = has(args, "--gdb") ? undefined : startInput();
  const m = await Machine.create({
    semihosting: has(args, "--semihosting"), serialInput: serial, ramSize,
    traceIrq: kinds.has("irq"), traceMmio: kinds.has("mmio"), traceMmu: kinds.has("mmu"), jit: !has(args, "--no-jit"),
    jitThreshold: intOption(args, "--jit-threshold", 1, JIT_MAX_THRESHOLD),
    ...boardMachineOptions((f) => flag(args, f), (f) => has(args, f)),
    storm: stormLimit(args),
    loopSkip: !has(args, "--no-loop-skip"),
  });
  const shots = new Screenshots(m, flag(args, "--screenshot"), num(args, "--screenshot-every"), note);
  const loaded = boot(m, bytes, cfg);
  const entryHint = elfEntryHint(loaded, cfg);
  if (entryHint) note(`hint: ${entryHint}`);
  setupTrace(m, kinds, con);
  if (gdbPort !== undefined || !input) return serveGdb(m, gdbPort ?? 1234, has(args, "-S"));

  // On a terminal with nothing to end the run, virtual time would flood it: pace it instead.
  const unbounded = until === undefined && ticks === undefined && seconds === undefined && maxInsns === undefined && timeout === undefined;
  // A semihosting program ends by itself (SYS_EXIT): it runs as fast as it can, on a terminal too.
  const realtime = has(args, "--realtime") || (unbounded && !has(args, "--semihosting") && isTerminal(1) && isTerminal(0));
  if (realtime && !has(args, "--realtime")) note("realtime (a terminal and no --ticks/--seconds/--until/--max-insns limit); Ctrl-A X quits, Ctrl-A H lists the keys");
  const serialIn = new SerialInput(m, input.source, { realtime, timeoutSeconds: timeout });
  const clock = realtime ? new RealtimeClock(m, serialIn) : undefined;
  con.immediate = realtime;
  let text = "";
  let matched = false;
  if (until !== undefined) m.serialEachByte(true);
  m.on("serial", (b) => {
    if (matched) return;
    con.serial(b);
    if (until !== undefined) {
      text += String.fromCharCode(b);
      if (text.length > until.length * 4 + 4096) text = text.slice(-until.length * 2);
      if (text.endsWith(until)) { matched = true; m.stop(); }
    }
  });
  m.on("note", (n) => note(`note: ${n.message}`));
  const told = explainCommonMistakes(m, cfg);
  // The first synchronous exception of each core that went to VBAR_ELx = 0: if the run ends
  // without a storm, it is the likely reason for whatever the kernel did (or did not print) after it.
  const noVectors = new Map<number, ExceptionEvent>();
  m.on("exception", (e) => { if (e.kind === "sync" && e.vector === e.vectorOffset && !noVectors.has(e.core)) noVectors.set(e.core, e); });
  const timedOut = () => { note(`timeout: ${timeout} s of wall time passed (virtual time ${m.seconds.toFixed(6)} s, ${m.insns} instructions)`); return 3; };
  let code = 0;
  const disassemble = kinds.has("insn") ? (await import("./a64/disasm.js")).disassemble : undefined;
  try {
    for (;;) {
      serialIn.pump();
      serialIn.checkDeadline();
      const left = maxInsns !== undefined ? maxInsns - m.insns : Infinity;
      if (left <= 0) { note(`stopped after ${m.insns} instructions (--max-insns ${maxInsns}) at pc=0x${m.cores[0].pc.toString(16)}`); code = 2; break; }
      let sliceEnd = seconds ?? Infinity;
      if (realtime) sliceEnd = Math.min(sliceEnd, m.seconds + 0.01);
      sliceEnd = Math.min(sliceEnd, shots.due);
      const r = m.run({
        // 16M: each run() call costs tens of microseconds of host bookkeeping, which dominated
        // kernels that wait in skipped loops (2M: 2,400 calls per 4 guest seconds of delay()).
        maxInsns: Math.min(left, kinds.has("insn") ? 1 : 16_000_000),
        untilSeconds: Number.isFinite(sliceEnd) ? sliceEnd : undefined,
        ticks,
      });
      if (disassemble && r.insns > 0) {
        const core = m.soc.lastCore();
        const pc = m.cores[core].pc;
        con.trace(`core${core} ${pc.toString(16).padStart(8, "0")}: ${disassemble(m.bus.read32(pc), pc)}`);
      }
      con.flush();
      shots.poll();
      const power = powerEnd(r.reason, m);
      if (power) { note(power.message); code = power.code; break; }
      if (matched) break;
      if (r.reason === "exit") { code = r.exitCode ?? 0; break; }
      if (r.reason === "storm" && r.storm) {
        const { message, hints } = describeStorm(m, r.storm, { kernelOld: cfg.kernelOld });
        note(message);
        // The storm may be several exceptions away from what sent the core to VBAR = 0 first.
        const origin = noVectors.get(r.storm.core);
        if (origin && BigInt(origin.elr) !== r.storm.firstElr && BigInt(origin.elr) !== r.storm.before?.elr) {
          const first = describeNoVectorException(m, origin, { kernelOld: cfg.kernelOld });
          note(`it began with: ${first.message.replace(/^core \d+ took /, "")}`);
          hints.unshift(...first.hints);
        }
        for (const h of new Set(hints)) if (!told.has(h)) note(`hint: ${h}`);
        code = 4;
        break;
      }
      if (r.reason === "ticks") break;
      if (r.reason === "halted") {
        // A terminal may still type something that wakes it; a pipe's bytes are already scheduled.
        if (input.source.interactive && !input.source.eof) { input.source.wait(50); continue; }
        note(`every core waits and nothing is scheduled that could wake one (halted at ${m.seconds.toFixed(6)} s, pc=0x${m.cores[0].pc.toString(16)})`);
        code = until !== undefined || ticks !== undefined ? 1 : 0;
        break;
      }
      if (r.reason === "time" && seconds !== undefined && m.seconds >= seconds) break;
      if (clock) {
        const ms = clock.msUntil(m.cycles);
        if (ms > 0) input.source.pace(Math.min(ms, 50));
      }
    }
  } catch (e) {
    if (e instanceof WallTimeout) code = timedOut();
    else if (e instanceof QuitRequested) note("quit (Ctrl-A X)");
    else throw e;
  } finally {
    input.restore();
    shots.final();
    con.close();
  }
  if (until !== undefined && !matched && code === 0) { note(`output never contained ${JSON.stringify(until)}`); code = 1; }
  printStats(args, m);
  if (code !== 4) {
    for (const e of noVectors.values()) {
      const { message, hints } = describeNoVectorException(m, e, { kernelOld: cfg.kernelOld });
      note(message);
      for (const h of hints) if (!told.has(h)) note(`hint: ${h}`);
    }
  }
  return code;
}

/** --storm N: 0 turns the detector off; default 1000. */
function stormLimit(args: Args): number {
  const n = num(args, "--storm") ?? 1000;
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new UsageError("--storm expects a whole number of exceptions (0: off)");
  return n;
}

/**
 * Under kernel_old the firmware starts every core at 0, where a raw image begins; an ELF is started
 * at its entry point, which the tutorial's linker script leaves at 0x800 (the start of .text).
 */
function elfEntryHint(img: { format: string; entry: number; start: number }, cfg: BootConfig): string | undefined {
  if (img.format !== "elf" || !cfg.kernelOld || cfg.entry !== undefined || img.entry === img.start) return undefined;
  return `the ELF's entry point 0x${img.entry.toString(16)} is not where its code starts (0x${img.start.toString(16)}); ` +
    `with kernel_old=1 the board starts every core at 0x${img.start.toString(16)} (kernel8.img): use --entry 0x${img.start.toString(16)} to do the same`;
}

/**
 * Learners' classic: a kernel written for kernel_old=1 (EL3) started at EL2 by the default firmware
 * boot. Its `msr scr_el3, ...` is UNDEFINED there; say so once instead of leaving a silent hang.
 * Only a core's first synchronous exception is looked at: a later one may come from code run by
 * an earlier exception (a jump to VBAR = 0 runs the boot code again, at the wrong EL), where the
 * hint would blame the wrong thing. Returns the hints given, so a storm message does not repeat them.
 */
function explainCommonMistakes(m: Machine, cfg: BootConfig): Set<string> {
  const told = new Set<string>();
  const seen = new Set<number>();
  m.on("exception", (e) => {
    if (e.kind !== "sync" || seen.has(e.core)) return;
    seen.add(e.core);
    if (told.size || e.esr >>> 26 !== 0 || e.elr + 4 > m.ramSize) return;
    const hint = undefinedSysregHint(m, BigInt(e.elr), e.fromEL, !cfg.kernelOld);
    if (!hint) return;
    told.add(hint);
    note(`hint: ${hint}`);
  });
  return told;
}

/** `run --gdb`: the stub drives the machine; output goes to stdout as usual. */
async function serveGdb(m: Machine, port: number, waitForGdb: boolean): Promise<number> {
  const { GdbStub } = await import("./gdbstub.js");
  const stub = new GdbStub(m);
  m.on("serial", (b) => out(new Uint8Array([b])));
  let actual: number;
  try { actual = await stub.listen(port); }
  catch (e) { throw new UsageError(`--gdb ${port}: cannot listen on localhost:${port}: ${ioReason(e)}`); }
  note(`gdb: target remote localhost:${actual}${waitForGdb ? " (waiting before the first instruction)" : ""}`);
  if (!waitForGdb) stub.startRunning();
  return new Promise((resolve) => {
    stub.onKill = () => { stub.close(); resolve(0); };
    stub.onDetach = () => { stub.startRunning(); };
  });
}

async function cmdKernel(args: Args): Promise<number> {
  const virtual = has(args, "--virtual");
  const ticks = intOption(args, "--ticks", 1, 2 ** 31);
  const seconds = positiveOption(args, "--seconds");
  const interval = intOption(args, "--interval", 1, 0xffffffff);
  const timeout = positiveOption(args, "--timeout");
  const { bootKernel } = await import("../kernel/index.js");
  if (interval !== undefined) (await import("../kernel/timer.js")).set_interval(interval);
  if (virtual && ticks === undefined && seconds === undefined) throw new UsageError("--virtual needs --ticks N or --seconds S (virtual time runs as fast as it can)");
  const kinds = traceKinds(flag(args, "--trace"));
  const con = new Console(flag(args, "--trace-file"));
  con.immediate = !virtual;
  const input = startInput();
  let serialIn: SerialInput | undefined;
  let clock: RealtimeClock | undefined;
  const k = await bootKernel({
    machine: { traceIrq: kinds.has("irq"), traceMmio: kinds.has("mmio"), traceMmu: kinds.has("mmu"), jit: !has(args, "--no-jit") },
    stopWhen: (m) => {
      if (ticks !== undefined && m.ticks >= ticks) return "ticks";
      if (seconds !== undefined && m.seconds >= seconds) return "seconds";
      serialIn?.checkDeadline();
      return undefined;
    },
    get clock() { return clock; },
    get input() { return virtual ? serialIn : undefined; },
  });
  serialIn = new SerialInput(k.m, input.source, { realtime: !virtual, timeoutSeconds: timeout });
  if (!virtual) clock = new RealtimeClock(k.m, serialIn);
  setupTrace(k.m, kinds, con);
  k.m.on("serial", (b) => con.serial(b));
  k.m.on("note", (n) => note(`note: ${n.message}`));
  const period = (interval ?? 200000) / 1e6;
  if (!virtual) note(`lesson-3 kernel on an emulated Raspberry Pi 3: a timer tick every ${+period.toPrecision(6)} s; type to echo; Ctrl-A X quits, Ctrl-A H lists the keys`);
  let reason: string;
  try {
    reason = k.run();
  } finally {
    input.restore();
    con.close();
  }
  if (reason === "timeout") { note(`timeout: ${timeout} s of wall time passed (virtual time ${k.m.seconds.toFixed(6)} s)`); return 3; }
  if (reason !== "ticks" && reason !== "seconds" && !reason.startsWith("quit")) { note(`kernel stopped: ${reason}`); return 1; }
  return 0;
}

async function cmdAsm(args: Args): Promise<number> {
  if (!args.positional.length) throw new UsageError("asm needs at least one FILE.S");
  const outFile = flag(args, "-o");
  const elfFile = flag(args, "--elf");
  if (!outFile && !elfFile) throw new UsageError("asm needs -o OUT.img and/or --elf OUT.elf");
  const defines: Record<string, string> = {};
  for (const d of args.flags.get("-D") ?? []) { const [k, v] = d.split("="); defines[k] = v ?? "1"; }
  const sources = args.positional.map((f) => ({ name: f, text: readUserFile(f, "source").toString("utf8") }));
  const { assemble } = await import("./asm/assembler.js");
  const r = assemble(sources, { base: num(args, "--base") ?? 0, includeDirs: args.flags.get("-I") ?? [], defines });
  if (r.hostCalls.size) throw new GuestError(`undefined symbols: ${[...r.hostCalls.keys()].join(", ")}`);
  if (outFile) writeUserFile(outFile, r.image);
  if (elfFile) writeUserFile(elfFile, (await import("./elf.js")).writeElf(r));
  note(`${r.image.length} bytes at 0x${r.base.toString(16)}, entry 0x${r.entry.toString(16)}`);
  return 0;
}

async function cmdDisasm(args: Args): Promise<number> {
  const { disassemble } = await import("./a64/disasm.js");
  const file = args.positional[0];
  if (!file) throw new UsageError("disasm needs an IMAGE");
  const bytes = new Uint8Array(readUserFile(file, "image"));
  const base = num(args, "--base") ?? 0;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lines: string[] = [];
  for (let off = 0; off + 4 <= bytes.length; off += 4) {
    const w = v.getUint32(off, true);
    const pc = base + off;
    lines.push(`${pc.toString(16).padStart(8, " ")}:\t${w.toString(16).padStart(8, "0")}\t${disassemble(w, pc)}`);
  }
  out(lines.join("\n") + "\n");
  return 0;
}

async function cmdLesson(args: Args): Promise<number> {
  // Loaded on demand: `rpi-os kernel` (npm start) should not pay for them at start-up.
  const { LESSON_STEPS, runStep } = await import("../kernel/lesson.js");
  const { linuxDemo } = await import("../kernel/linux/index.js");
  if (has(args, "--linux")) {
    const pending: number[] = [];
    await linuxDemo((t) => { out(new Uint8Array(pending.splice(0))); out(t); }, (b) => pending.push(b));
    return 0;
  }
  if (has(args, "--list")) {
    out(LESSON_STEPS.map((s, i) => `${i + 1}. ${s.title}`).join("\n") + "\n");
    return 0;
  }
  const step = num(args, "--step");
  if (step === undefined) throw new UsageError("lesson needs --list or --step N");
  if (!LESSON_STEPS[step - 1]) throw new UsageError(`there is no step ${step} (1 to ${LESSON_STEPS.length})`);
  const virtual = has(args, "--virtual");
  const kinds = traceKinds(flag(args, "--trace"));
  const con = new Console(flag(args, "--trace-file"));
  con.immediate = !virtual;
  const input = virtual ? undefined : startInput();
  try {
    const r = await runStep(step, {
      machine: { traceIrq: kinds.has("irq"), traceMmio: kinds.has("mmio"), traceMmu: kinds.has("mmu"), jit: !has(args, "--no-jit") },
      seconds: positiveOption(args, "--seconds") ?? (virtual ? 2 : undefined),
      clockFor: input ? (m) => new RealtimeClock(m, new SerialInput(m, input.source, { realtime: true })) : undefined,
      onSerial: (b) => con.serial(b),
      trace: (m) => { setupTrace(m, kinds, con); return { flush: () => con.flush(), exceptions: kinds.has("exc") }; },
      note: (s) => note(s),
    });
    note(`step ${step} ended: ${r}`);
  } finally {
    input?.restore();
    con.close();
  }
  return 0;
}

/** Whether tools/launch.cjs compiled this CLI with the build's V8 code cache. */
function codeCacheState(): string {
  switch ((globalThis as { __rpiOsCodeCache?: string }).__rpiOsCodeCache) {
    case "used": return "used (dist/rpi-os-cli.cache)";
    case "rejected": return "refused by V8 (built by another Node version?): compiled without it";
    case "none": return "none (RPI_OS_CODE_CACHE=0, or not built)";
    default: return "none (the CLI runs as ES modules: dist/rpi-os.cjs runs it with the cache)";
  }
}

/** The package's version, from the package.json beside dist/ (or the source tree). */
function version(): string {
  for (const rel of ["../../package.json", "../package.json"]) {
    try { return JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")).version; } catch { /* try the next */ }
  }
  return "unknown";
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === "help" || cmd === "--help" || cmd === "-h") {
    if (cmd === "help" && rest[0] && COMMANDS[rest[0]]) { out(commandHelp(rest[0])); return 0; }
    out(HELP);
    return cmd ? 0 : 2;
  }
  if (cmd === "--version" || cmd === "-V" || cmd === "version") { out(`rpi-os ${version()}\n`); return 0; }
  const command = COMMANDS[cmd];
  if (!command) throw new UsageError(`unknown command '${cmd}'`);
  const args = parseArgs(rest, command.options);
  if (has(args, "--help")) { out(commandHelp(cmd)); return 0; }
  if (cmd !== "asm" && cmd !== "disasm") await loadMachine();
  switch (cmd) {
    case "run": return cmdRun(args);
    case "kernel": return cmdKernel(args);
    case "asm": return cmdAsm(args);
    case "disasm": return cmdDisasm(args);
    case "lesson": return cmdLesson(args);
    case "linux": return (await import("./linux.js")).cmdLinux(cliAccess(args));
    default: throw new UsageError(`unknown command '${cmd}'`);
  }
}

/** Errors of the guest, the image or the source, said in one line (not internal errors). */
async function isOneLineError(e: unknown): Promise<boolean> {
  if (e instanceof GuestError) return true;
  // Imported here, not at start-up: if one of these was thrown, its module is loaded already.
  if (e instanceof (await import("./asm/preprocess.js")).SourceError) return true;
  return e instanceof (await import("../kernel/board.js")).KernelStop;
}

/**
 * How the process ends: through dist/fast-exit.node (tools/fast_exit.c: _exit(2)) where the build
 * made it, else process.exit. process.exit first shuts V8's platform down, which waits for its
 * background threads to finish optimizing the WebAssembly functions queued for a run that has
 * ended: 3-12 ms of a run on 2 CPUs (BENCHMARKS.md, twelfth session). process.exit stays where
 * node itself writes something at exit (a profile, coverage: the options say so) and with
 * RPI_OS_FAST_EXIT=0.
 */
function processExit(): ExitWay {
  return exitWay ??= chooseExit();
}
interface ExitWay { how: string; exit: (code: number) => never }
let exitWay: ExitWay | undefined;
function chooseExit(): ExitWay {
  const plain = (how: string): ExitWay => ({ how: `process.exit (${how})`, exit: (code) => process.exit(code) });
  if (process.env.RPI_OS_FAST_EXIT === "0") return plain("RPI_OS_FAST_EXIT=0");
  if (process.env.NODE_V8_COVERAGE || /--(cpu-prof|heap-prof|prof|report|trace)/.test(`${process.execArgv.join(" ")} ${process.env.NODE_OPTIONS ?? ""}`)) {
    return plain("node writes at exit");
  }
  const addon = { exports: {} as { exit?: (code: number) => void } };
  try {
    process.dlopen(addon as NodeJS.Module, fileURLToPath(new URL("../fast-exit.node", import.meta.url)));
  } catch { return plain("dist/fast-exit.node not built"); }
  const fast = addon.exports.exit;
  if (typeof fast !== "function") return plain("dist/fast-exit.node has no exit");
  return {
    how: "_exit (dist/fast-exit.node)",
    exit: (code: number) => {
      // What process.exit would do before it ends the process: the 'exit' listeners (the
      // launcher's code cache when it writes one, the terminal's mode restored).
      process.exitCode = code;
      process.emit("exit", code);
      fast(code);
      return process.exit(code); // (not reached)
    },
  };
}

main(process.argv.slice(2)).then((code) => processExit().exit(code), async (e) => {
  // The reader of our output went away (`rpi-os run ... | head`): stop quietly, as a filter does.
  if ((e as NodeJS.ErrnoException)?.code === "EPIPE") process.exit(0);
  if (e instanceof UsageError || e instanceof BoardUsageError) { note(`${e.message} (see rpi-os ${process.argv[2] && COMMANDS[process.argv[2]] ? process.argv[2] + " " : ""}--help)`); process.exit(2); }
  // One line an error (an assembly may report several, each file:line:col).
  if (await isOneLineError(e)) { process.stderr.write((e as Error).message.split("\n").map((l) => `rpi-os: ${l}\n`).join("")); process.exit(1); }
  if (e instanceof RangeError && /guest RAM must be/.test(e.message)) { note(e.message); process.exit(2); }
  process.stderr.write(`rpi-os: internal error: ${(e as Error).stack ?? e}\n`);
  process.exit(70);
});
