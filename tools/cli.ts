#!/usr/bin/env node
// rpi-os: run Raspberry Pi 3 kernels, assemble and disassemble A64, boot the
// TypeScript lesson-3 kernel. `rpi-os help` lists the commands.

import { readFileSync, writeFileSync, existsSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { Machine, GuestError } from "../host/machine.js";
import { boot, parseConfigTxt, DEFAULT_BOOT, type BootConfig } from "../host/boot.js";
import { isArm64Image } from "../host/linux.js";
import { formatException, formatLine, formatMmio, formatMmu } from "../host/trace.js";
import { assemble, SourceError } from "./asm/assembler.js";
import { disassemble } from "./a64/disasm.js";
import { StdinSource, RealtimeClock, QuitRequested } from "./realtime.js";
import { bootKernel, KernelStop } from "../kernel/index.js";
import { set_interval } from "../kernel/timer.js";

class UsageError extends Error {}

const HELP = `rpi-os: a Raspberry Pi 3 (BCM2837) in WebAssembly

  rpi-os kernel [--virtual] [--ticks N] [--interval US] [--seconds S] [--no-jit]
      Boot the lesson-3 kernel (boot/*.S + TypeScript kernel/). Realtime by default:
      "Timer interrupt received" five times a second; type to echo; Ctrl-A X quits.
  rpi-os run IMAGE [options]
      Run a kernel8.img (raw) or an ELF. Reads config.txt next to the image.
        --kernel-old          image at 0, all cores at 0 in EL3 (config.txt kernel_old=1)
        --load ADDR           load address of a raw image (default 0x80000)
        --entry ADDR          start address (default: load address / ELF entry)
        --el N                exception level core 0 starts in (default 2; 3 with --kernel-old)
        --cores N             cores that run (1-4, default 4)
        --enable-uart         GPIO14/15 in ALT5 at boot, as the firmware does with enable_uart=1
        --serial mini|pl011   which UART receives typed input (default mini)
        --semihosting         ARM semihosting through HLT #0xF000 (exit status, console)
        --realtime            pace virtual time with the host clock
        --until TEXT          stop once the output contains TEXT (exit 0)
        --ticks N             stop once core 0 has returned from its Nth interrupt handler
        --seconds S           stop after S seconds of virtual time
        --max-insns N         stop with an error after N instructions
        --timeout S           stop with an error after S seconds of wall time
        --trace LIST          exc,irq,mmio,mmu,insn to stderr (or --trace-file F)
        --ram BYTES           guest RAM (default 0x3F000000)
        --gdb [PORT] [-S]     GDB remote stub on localhost (default 1234); -S waits before the first instruction
        --no-jit              interpret everything (hot code is otherwise compiled to WebAssembly)
  rpi-os run Image --dtb FILE [--initrd FILE] [--append CMDLINE] [--quiet] [options]
      Boot an arm64 Linux Image as the Pi firmware does (QEMU's -kernel/-dtb/-initrd/-append too):
      the DTB patched (/memory, /chosen), x0 = DTB, EL2, cores 1-3 in the DT's spin table.
      The kernel's console is printed; --quiet shows one line of progress instead.
  rpi-os linux [--quiet] [--append CMDLINE] [--timeout S]
      Boot Debian's arm64 kernel (npm run fetch-linux caches it) with our initramfs, then print
      its /proc/interrupts beside the TypeScript Linux layer's and explain the differences.
  rpi-os asm FILE.S... [-I DIR] [--base ADDR] [-D NAME[=VALUE]] -o OUT.img [--elf OUT.elf]
  rpi-os disasm IMAGE [--base ADDR]
  rpi-os lesson --list | --step N [--virtual] [--seconds S] [--no-jit] | --linux
`;

interface Args { positional: string[]; flags: Map<string, string[]> }

const VALUE_FLAGS = new Set(["--load", "--entry", "--el", "--cores", "--serial", "--until", "--ticks", "--seconds", "--max-insns",
  "--timeout", "--trace", "--trace-file", "--ram", "-I", "--base", "-o", "--elf", "-D", "--interval", "--step",
  "--dtb", "--initrd", "--append", "-kernel", "-dtb", "-initrd", "-append"]);

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let value: string | undefined;
    if (a.startsWith("--") && a.includes("=")) { value = a.slice(a.indexOf("=") + 1); a = a.slice(0, a.indexOf("=")); }
    else if (/^-[ID]./.test(a)) { value = a.slice(2); a = a.slice(0, 2); }
    if (a === "--gdb" && value === undefined) {
      // --gdb [PORT]: the port is optional.
      value = /^\d+$/.test(argv[i + 1] ?? "") ? argv[++i] : "1234";
      if (!flags.has(a)) flags.set(a, []);
      flags.get(a)!.push(value);
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      if (VALUE_FLAGS.has(a)) {
        if (value === undefined) {
          if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
          value = argv[++i];
        }
      } else if (value !== undefined) throw new UsageError(`${a} takes no value`);
      if (!flags.has(a)) flags.set(a, []);
      flags.get(a)!.push(value ?? "");
    } else positional.push(a);
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
function checkFlags(args: Args, allowed: string[]): void {
  for (const f of args.flags.keys()) if (!allowed.includes(f)) throw new UsageError(`unknown option ${f}`);
}

function out(bytes: Uint8Array | string): void {
  const b = typeof bytes === "string" ? Buffer.from(bytes) : Buffer.from(bytes);
  let off = 0;
  while (off < b.length) {
    try { off += writeSync(1, b, off); } catch (e) { if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e; }
  }
}

function note(msg: string): void { process.stderr.write(`rpi-os: ${msg}\n`); }

function setupTrace(m: Machine, spec: string | undefined, file: string | undefined): { insn: boolean; flush: () => void } {
  if (!spec) return { insn: false, flush: () => {} };
  const kinds = new Set(spec.split(",").map((s) => s.trim()));
  for (const k of kinds) if (!["exc", "irq", "mmio", "mmu", "insn"].includes(k)) throw new UsageError(`--trace: unknown kind '${k}' (exc, irq, mmio, mmu, insn)`);
  const lines: string[] = [];
  const emit = (s: string) => { if (file) lines.push(s); else process.stderr.write(s + "\n"); };
  if (kinds.has("exc")) m.on("exception", (e) => emit(formatException(e)));
  if (kinds.has("irq")) m.on("irqline", (e) => emit(formatLine(e)));
  if (kinds.has("mmio")) m.on("mmio", (e) => emit(formatMmio(e)));
  if (kinds.has("mmu")) m.on("mmu", (e) => emit(formatMmu(e)));
  return {
    insn: kinds.has("insn"),
    flush: () => { if (file && lines.length) { writeFileSync(file, lines.join("\n") + "\n", { flag: "a" }); lines.length = 0; } },
  };
}

function startInput(): { source: StdinSource; restore: () => void } {
  const source = new StdinSource();
  let restore = () => {};
  if (process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    restore = () => { try { process.stdin.setRawMode(false); } catch { /* already closed */ } };
  }
  source.start();
  return { source, restore: () => { restore(); source.stop(); } };
}

/** What tools/linux.ts reads of the command line. */
function cliAccess(args: Args) {
  return { flag: (n: string) => flag(args, n), has: (n: string) => has(args, n), num: (n: string) => num(args, n), positional: args.positional, out, note };
}

const LINUX_FLAGS = ["--dtb", "--initrd", "--append", "-kernel", "-dtb", "-initrd", "-append", "--quiet", "--cores", "--ram", "--no-jit",
  "--max-insns", "--seconds", "--timeout", "--until"];

async function cmdRun(args: Args): Promise<number> {
  if (has(args, "--dtb") || has(args, "-dtb") || has(args, "-kernel")) {
    checkFlags(args, LINUX_FLAGS);
    return (await import("./linux.js")).cmdRunLinux(cliAccess(args));
  }
  checkFlags(args, ["--kernel-old", "--load", "--entry", "--el", "--cores", "--enable-uart", "--serial", "--semihosting", "--realtime",
    "--until", "--ticks", "--seconds", "--max-insns", "--timeout", "--trace", "--trace-file", "--ram", "--gdb", "-S", "--no-jit"]);
  const image = args.positional[0];
  if (!image) throw new UsageError("run needs an IMAGE");
  if (!existsSync(image)) throw new GuestError(`no such file: ${image}`);
  const bytes = new Uint8Array(readFileSync(image));
  if (isArm64Image(bytes)) { checkFlags(args, LINUX_FLAGS); return (await import("./linux.js")).cmdRunLinux(cliAccess(args)); }
  let cfg: BootConfig = { ...DEFAULT_BOOT };
  const configTxt = join(dirname(image), "config.txt");
  if (existsSync(configTxt)) cfg = { ...cfg, ...parseConfigTxt(readFileSync(configTxt, "utf8")) };
  if (has(args, "--kernel-old")) cfg.kernelOld = true;
  if (has(args, "--enable-uart")) cfg.enableUart = true;
  cfg.loadAddress = num(args, "--load") ?? cfg.loadAddress;
  cfg.entry = num(args, "--entry") ?? cfg.entry;
  cfg.el = num(args, "--el") ?? cfg.el;
  cfg.cores = num(args, "--cores") ?? cfg.cores;
  if (cfg.el !== undefined && (cfg.el < 0 || cfg.el > 3)) throw new UsageError("--el must be 0 to 3");
  const serial = flag(args, "--serial") ?? "mini";
  if (serial !== "mini" && serial !== "pl011") throw new UsageError("--serial must be mini or pl011");
  const traceSpec = flag(args, "--trace");
  const m = await Machine.create({
    semihosting: has(args, "--semihosting"), serialInput: serial, ramSize: num(args, "--ram"),
    traceIrq: traceSpec?.includes("irq"), traceMmio: traceSpec?.includes("mmio"), traceMmu: traceSpec?.includes("mmu"), jit: !has(args, "--no-jit"),
  });
  boot(m, bytes, cfg);
  const trace = setupTrace(m, traceSpec, flag(args, "--trace-file"));
  if (has(args, "--gdb")) return serveGdb(m, Number(flag(args, "--gdb")), has(args, "-S"));

  const until = flag(args, "--until");
  const ticks = num(args, "--ticks");
  const seconds = num(args, "--seconds");
  const maxInsns = num(args, "--max-insns");
  const timeout = num(args, "--timeout");
  const realtime = has(args, "--realtime");
  const input = startInput();
  const clock = realtime ? new RealtimeClock(m, input.source) : undefined;
  let text = "";
  let matched = false;
  const pending: number[] = [];
  m.on("serial", (b) => {
    if (matched) return;
    pending.push(b);
    if (until !== undefined) {
      text += String.fromCharCode(b);
      if (text.length > until.length * 4 + 4096) text = text.slice(-until.length * 2);
      if (text.endsWith(until)) { matched = true; m.stop(); }
    }
  });
  m.on("note", (n) => note(`note: ${n.message}`));
  explainCommonMistakes(m, cfg);
  const wallStart = performance.now();
  let code = 0;
  try {
    for (;;) {
      if (input.source.quit) { note("quit (Ctrl-A X)"); break; }
      const bytesIn = input.source.take();
      if (input.source.quit) { note("quit (Ctrl-A X)"); break; }
      if (bytesIn.length) m.input(bytesIn);
      const left = maxInsns !== undefined ? maxInsns - m.insns : Infinity;
      if (left <= 0) { note(`stopped after ${m.insns} instructions (--max-insns ${maxInsns}) at pc=0x${m.cores[0].pc.toString(16)}`); code = 2; break; }
      let sliceEnd = seconds ?? Infinity;
      if (realtime) sliceEnd = Math.min(sliceEnd, m.seconds + 0.01);
      const r = m.run({
        maxInsns: Math.min(left, trace.insn ? 1 : 2_000_000),
        untilSeconds: Number.isFinite(sliceEnd) ? sliceEnd : undefined,
        ticks,
      });
      if (trace.insn && r.insns > 0) {
        const pc = m.cores[0].pc;
        process.stderr.write(`core0 ${pc.toString(16).padStart(8, "0")}: ${disassemble(m.bus.read32(pc), pc)}\n`);
      }
      out(new Uint8Array(pending.splice(0)));
      trace.flush();
      if (matched) break;
      if (r.reason === "exit") { code = r.exitCode ?? 0; break; }
      if (r.reason === "ticks") break;
      if (r.reason === "halted") {
        if (!input.source.eof) { input.source.wait(50); continue; } // input may still come and wake it
        note(`every core waits and nothing is scheduled that could wake one (halted at ${m.seconds.toFixed(6)} s, pc=0x${m.cores[0].pc.toString(16)})`);
        code = until !== undefined || ticks !== undefined ? 1 : 0;
        break;
      }
      if (r.reason === "time" && seconds !== undefined && m.seconds >= seconds) break;
      if (clock) {
        const ms = clock.msUntil(m.cycles);
        if (ms > 0) input.source.wait(ms);
      }
      if (timeout !== undefined && (performance.now() - wallStart) / 1000 > timeout) {
        note(`timeout: ${timeout} s of wall time passed (virtual time ${m.seconds.toFixed(6)} s, ${m.insns} instructions)`);
        code = 3;
        break;
      }
    }
  } finally {
    input.restore();
    out(new Uint8Array(pending.splice(0)));
    trace.flush();
  }
  if (until !== undefined && !matched && code === 0) { note(`output never contained ${JSON.stringify(until)}`); code = 1; }
  return code;
}

/**
 * Learners' classic: a kernel written for kernel_old=1 (EL3) started at EL2 by the default firmware
 * boot. Its `msr scr_el3, ...` is UNDEFINED there; say so once instead of leaving a silent hang.
 */
function explainCommonMistakes(m: Machine, cfg: BootConfig): void {
  let told = false;
  m.on("exception", (e) => {
    if (told || e.kind !== "sync" || e.esr >>> 26 !== 0 || e.elr + 4 > m.ramSize) return;
    const text = disassemble(m.bus.read32(e.elr), e.elr);
    const reg = /^m(?:sr|rs)\t(?:\w+, )?(\w+_el([23]))/.exec(text);
    if (!reg || Number(reg[2]) <= e.fromEL) return;
    told = true;
    note(`hint: '${text.replace("\t", " ")}' at 0x${e.elr.toString(16)} is UNDEFINED at EL${e.fromEL}: ${reg[1].toUpperCase()} needs EL${reg[2]}.` +
      (cfg.kernelOld ? "" : " This kernel seems to expect to start at EL3: use --kernel-old (kernel_old=1 in config.txt), as the tutorial does."));
  });
}

/** `run --gdb`: the stub drives the machine; output goes to stdout as usual. */
async function serveGdb(m: Machine, port: number, waitForGdb: boolean): Promise<number> {
  const { GdbStub } = await import("./gdbstub.js");
  const stub = new GdbStub(m);
  m.on("serial", (b) => out(new Uint8Array([b])));
  const actual = await stub.listen(port);
  note(`gdb: target remote localhost:${actual}${waitForGdb ? " (waiting before the first instruction)" : ""}`);
  if (!waitForGdb) stub.startRunning();
  return new Promise((resolve) => {
    stub.onKill = () => { stub.close(); resolve(0); };
    stub.onDetach = () => { stub.startRunning(); };
  });
}

async function cmdKernel(args: Args): Promise<number> {
  checkFlags(args, ["--virtual", "--ticks", "--interval", "--seconds", "--trace", "--trace-file", "--no-jit"]);
  const virtual = has(args, "--virtual");
  const ticks = num(args, "--ticks");
  const seconds = num(args, "--seconds");
  const interval = num(args, "--interval");
  if (interval !== undefined) {
    if (interval < 1 || interval > 0xffffffff) throw new UsageError("--interval is in microseconds, 1 to 4294967295");
    set_interval(interval);
  }
  if (virtual && ticks === undefined && seconds === undefined) throw new UsageError("--virtual needs --ticks N or --seconds S (virtual time runs as fast as it can)");
  const input = virtual ? undefined : startInput();
  let clock: RealtimeClock | undefined;
  const k = await bootKernel({
    machine: { traceIrq: flag(args, "--trace")?.includes("irq"), traceMmio: flag(args, "--trace")?.includes("mmio"), jit: !has(args, "--no-jit") },
    stopWhen: (m) => {
      if (ticks !== undefined && m.ticks >= ticks) return "ticks";
      if (seconds !== undefined && m.seconds >= seconds) return "seconds";
      return undefined;
    },
    get clock() { return clock; },
  });
  if (input) clock = new RealtimeClock(k.m, input.source);
  const trace = setupTrace(k.m, flag(args, "--trace"), flag(args, "--trace-file"));
  const pending: number[] = [];
  k.m.on("serial", (b) => {
    pending.push(b);
    if (!virtual || pending.length > 8192) out(new Uint8Array(pending.splice(0)));
  });
  k.m.on("note", (n) => note(`note: ${n.message}`));
  if (!virtual) note("lesson-3 kernel on an emulated Raspberry Pi 3: a timer tick every 0.2 s; type to echo; Ctrl-A X quits");
  let reason: string;
  try {
    reason = k.run();
  } catch (e) {
    if (e instanceof QuitRequested) reason = "quit";
    else throw e;
  } finally {
    input?.restore();
    out(new Uint8Array(pending.splice(0)));
    trace.flush();
  }
  if (reason !== "ticks" && reason !== "seconds" && !reason.startsWith("quit")) { note(`kernel stopped: ${reason}`); return 1; }
  return 0;
}

async function cmdAsm(args: Args): Promise<number> {
  checkFlags(args, ["-I", "--base", "-o", "--elf", "-D"]);
  if (!args.positional.length) throw new UsageError("asm needs at least one FILE.S");
  const outFile = flag(args, "-o");
  const elfFile = flag(args, "--elf");
  if (!outFile && !elfFile) throw new UsageError("asm needs -o OUT.img and/or --elf OUT.elf");
  const defines: Record<string, string> = {};
  for (const d of args.flags.get("-D") ?? []) { const [k, v] = d.split("="); defines[k] = v ?? "1"; }
  const sources = args.positional.map((f) => {
    if (!existsSync(f)) throw new GuestError(`no such file: ${f}`);
    return { name: f, text: readFileSync(f, "utf8") };
  });
  const r = assemble(sources, { base: num(args, "--base") ?? 0, includeDirs: args.flags.get("-I") ?? [], defines });
  if (r.hostCalls.size) throw new GuestError(`undefined symbols: ${[...r.hostCalls.keys()].join(", ")}`);
  if (outFile) writeFileSync(outFile, r.image);
  if (elfFile) writeFileSync(elfFile, (await import("./elf.js")).writeElf(r));
  note(`${r.image.length} bytes at 0x${r.base.toString(16)}, entry 0x${r.entry.toString(16)}`);
  return 0;
}

function cmdDisasm(args: Args): number {
  checkFlags(args, ["--base"]);
  const file = args.positional[0];
  if (!file) throw new UsageError("disasm needs an IMAGE");
  if (!existsSync(file)) throw new GuestError(`no such file: ${file}`);
  const bytes = new Uint8Array(readFileSync(file));
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
  checkFlags(args, ["--list", "--step", "--virtual", "--seconds", "--trace", "--trace-file", "--linux", "--no-jit"]);
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
  const input = virtual ? undefined : startInput();
  const pending: number[] = [];
  try {
    const trace = flag(args, "--trace");
    const r = await runStep(step, {
      machine: { traceIrq: trace?.includes("irq"), traceMmio: trace?.includes("mmio"), jit: !has(args, "--no-jit") },
      seconds: num(args, "--seconds") ?? (virtual ? 2 : undefined),
      clockFor: input ? (m) => new RealtimeClock(m, input.source) : undefined,
      onSerial: (b) => { pending.push(b); if (!virtual) out(new Uint8Array(pending.splice(0))); },
      trace: (m) => setupTrace(m, flag(args, "--trace"), flag(args, "--trace-file")),
      note: (s) => note(s),
    });
    note(`step ${step} ended: ${r}`);
  } finally {
    input?.restore();
    out(new Uint8Array(pending.splice(0)));
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === "help" || cmd === "--help" || cmd === "-h") { out(HELP); return cmd ? 0 : 2; }
  const args = parseArgs(rest);
  switch (cmd) {
    case "run": return cmdRun(args);
    case "kernel": return cmdKernel(args);
    case "asm": return cmdAsm(args);
    case "disasm": return cmdDisasm(args);
    case "lesson": return cmdLesson(args);
    case "linux": checkFlags(args, ["--quiet", "--append", "--timeout", "--max-insns", "--cores", "--no-jit"]); return (await import("./linux.js")).cmdLinux(cliAccess(args));
    default: throw new UsageError(`unknown command '${cmd}'`);
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  if (e instanceof UsageError) { note(`${e.message}\n(rpi-os help lists the commands)`); process.exit(2); }
  if (e instanceof SourceError || e instanceof GuestError || e instanceof KernelStop) { process.stderr.write(`rpi-os: ${e.message}\n`); process.exit(1); }
  process.stderr.write(`rpi-os: internal error: ${(e as Error).stack ?? e}\n`);
  process.exit(70);
});
