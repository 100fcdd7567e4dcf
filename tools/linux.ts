// Running a real arm64 Linux kernel on the emulated Pi 3: `rpi-os run Image
// --dtb FILE [--initrd FILE] [--append CMDLINE]` (QEMU's -kernel/-dtb/-initrd/
// -append spellings too) and `rpi-os linux`, which boots Debian's kernel (cached
// by `npm run fetch-linux`) with our initramfs and compares its /proc/interrupts
// with the TypeScript Linux layer's (kernel/linux/).

import { readFileSync, existsSync, openSync, readSync, closeSync, fstatSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Machine, GuestError } from "../host/machine.js";
import { JIT_MAX_THRESHOLD } from "../host/jit/threshold.js";
import { nowMs } from "../host/clock.js";
import { bootLinux, type LinuxLayout, type KernelSource } from "../host/linux.js";
import { buildInitramfs } from "../host/cpio.js";
import { fetchLinux, cachedLinux, FetchError } from "./fetch-linux.js";
import { SerialInput, WallTimeout, QuitRequested, type StdinSource } from "./realtime.js";

/** The command line `rpi-os linux` passes: the PL011 console, early output from the first instruction on. */
export const DEFAULT_CMDLINE = "console=ttyAMA0 earlycon=pl011,0x3f201000 rdinit=/init";
/**
 * The mini UART (ttyS1, 8250_bcm2835aux) as the console, as the Pi 3 B DT's stdout-path says. Typed input
 * needs it: the DT gives the PL011 to the Bluetooth chip (its `bluetooth` child makes ttyAMA0 a serdev
 * port, so bytes received there go to no tty; QEMU raspi3b behaves the same).
 */
export const MINI_UART_CMDLINE = "console=ttyS1 earlycon=bcm2835aux,0x3f215040 rdinit=/init";
/** What the Pi 3 firmware gives the ARM by default (the rest of the 1 GiB is the VideoCore's); QEMU passes the same. */
export const LINUX_RAM = 0x3c000000;

/**
 * How a kernel run ended, from its own last words on the console. "System halted": reboot(POWER_OFF)
 * with no pm_power_off registered (Debian's bcm2835_wdt is a module; without it the kernel halts and
 * spins). "Power down" and "Restarting system" are followed by the PM watchdog reset that ends the
 * run ("poweroff"/"reboot", periph/power.ts); the message ends it only if that never comes.
 */
const ENDINGS: [RegExp, string, number][] = [
  [/reboot: System halted/, "Linux halted the system (no power-off driver registered: bcm2835_wdt.ko not loaded)", 0],
  [/reboot: Power down/, "Linux said it powers down, but the board was never reset through PM_RSTC", 0],
  [/reboot: Restarting system/, "Linux said it restarts, but the board was never reset through PM_RSTC", 0],
  [/---\[ end Kernel panic - not syncing: ([^\]\r\n]*)/, "kernel panic", 1],
];
/** After "Power down" / "Restarting system", virtual time left for the watchdog's reset (Linux arms 10 ticks of 1/65536 s). */
const RESET_GRACE_SECONDS = 0.5;

export interface LinuxRunOptions {
  /** The Image: its bytes, or a KernelSource (kernelFile: a file read straight into guest RAM). */
  image: Uint8Array | KernelSource;
  dtb: Uint8Array;
  initrd?: Uint8Array;
  cmdline?: string;
  cores?: number;
  ramSize?: number;
  jit?: boolean;
  /** Machine option jitThreshold. */
  jitThreshold?: number;
  /** Stop after this many instructions (default: none). */
  maxInsns?: number;
  /** Stop at this virtual time. */
  seconds?: number;
  /** Stop after this much wall time. */
  timeoutSeconds?: number;
  /** Stop once the console output contains this. */
  until?: string;
  /**
   * Console output (both UARTs), a line at a time, and what is pending whenever a run chunk
   * ends (a prompt without a newline comes within a few milliseconds).
   */
  onOutput?: (text: string) => void;
  /** Called about every `progressMs` of wall time. */
  onProgress?: (p: { seconds: number; insns: number; wallMs: number }) => void;
  progressMs?: number;
  /** Bytes typed at the console once the output contains the first string. */
  typeAfter?: [string, string];
  /** Standard input for the console UART: a pipe or file in virtual time (held where a byte is
   *  due, as `rpi-os run` does), a terminal as typed. */
  input?: StdinSource;
  /** Called with the machine before the first instruction (traces, tests). */
  setup?: (m: Machine, layout: LinuxLayout) => void;
}

export interface LinuxRunResult {
  /** "poweroff", "reboot" (the PM watchdog reset the board), "halted", "restarted", "panic", "until", "insns", "seconds", "timeout", "stuck". */
  reason: string;
  message: string;
  code: number;
  output: string;
  insns: number;
  seconds: number;
  wallMs: number;
  m: Machine;
  layout: LinuxLayout;
}

/** The console the kernel's command line names last (that one becomes /dev/console). */
export function consoleUart(cmdline: string): "mini" | "pl011" {
  const all = [...cmdline.matchAll(/(?:^|\s)console=(tty\w+)/g)].map((m) => m[1]);
  return all.at(-1)?.startsWith("ttyS") ? "mini" : "pl011";
}

// AUX registers ("BCM2835 ARM Peripherals" 2.1-2.2) the firmware sets for a mini UART console.
const AUX_ENABLES = 0x3f215004;
const AUX_MU_IER_REG = 0x3f215044;
const AUX_MU_LCR_REG = 0x3f21504c;
const AUX_MU_CNTL_REG = 0x3f215060;
const AUX_MU_BAUD_REG = 0x3f215068;
/** 115200 baud from the 400 MHz VPU clock that periph/cprman.ts holds: baud = clk / (8 (reg + 1)). */
const MINI_UART_BAUD_115200 = 433;

/**
 * What the Pi firmware does for a mini UART console (enable_uart=1): GPIO14/15 in ALT5, the mini
 * UART enabled in AUX_ENABLES, 8 bits, 115200 baud, receiver and transmitter on. The kernel's
 * earlycon (bcm2835aux) writes to it before any driver has enabled it.
 */
function firmwareMiniUart(m: Machine): void {
  m.soc.gpioSetFunction(14, 2);
  m.soc.gpioSetFunction(15, 2);
  m.bus.write32(AUX_ENABLES, 1);
  m.bus.write32(AUX_MU_IER_REG, 0);
  m.bus.write32(AUX_MU_LCR_REG, 3);
  m.bus.write32(AUX_MU_BAUD_REG, MINI_UART_BAUD_115200);
  m.bus.write32(AUX_MU_CNTL_REG, 3);
}

/** Boots a kernel and runs it until it powers off, panics, or a limit is reached. */
export async function runLinux(o: LinuxRunOptions): Promise<LinuxRunResult> {
  const cmdline = o.cmdline ?? DEFAULT_CMDLINE;
  const m = await Machine.create({ ramSize: o.ramSize ?? LINUX_RAM, jit: o.jit ?? true, jitThreshold: o.jitThreshold, serialInput: consoleUart(cmdline) });
  const layout = bootLinux(m, o.image, { dtb: o.dtb, initrd: o.initrd, cmdline, cores: o.cores });
  if (consoleUart(cmdline) === "mini") firmwareMiniUart(m);
  o.setup?.(m, layout);
  if (o.until !== undefined) m.serialEachByte(true); // stop() from the listener ends the run at that byte
  let output = "";
  // The console's latest output: at least its last 512 characters, which tail() cuts it to (a
  // copy of them a byte was 7 ms of the boot to /init).
  let recent = "";
  const tail = () => (recent.length > 512 ? (recent = recent.slice(-512)) : recent);
  const untilLast = o.until?.at(-1);
  let ended: { reason: string; message: string; code: number } | undefined;
  let typed = false;
  /** The kernel's "Power down"/"Restarting system", while the run waits for the board's reset. */
  let said: { reason: string; message: string; code: number } | undefined;
  let saidAt = 0;
  // Written a line at a time: a write a byte was 13.5 K system calls and 37 ms of the boot to /init.
  let pending = "";
  const flushOutput = () => { if (pending) { const s = pending; pending = ""; o.onOutput?.(s); } };
  m.on("serial", (b, port) => {
    if (port === "semihosting") return;
    const ch = String.fromCharCode(b);
    output += ch;
    recent += ch;
    if (recent.length > 4096) tail();
    if (o.onOutput) { pending += ch; if (ch === "\n") flushOutput(); }
    if (ended) return;
    if (o.until !== undefined && (untilLast === undefined || ch === untilLast) && tail().endsWith(o.until)) { ended = { reason: "until", message: `the output contains ${JSON.stringify(o.until)}`, code: 0 }; m.stop(); return; }
    if (ch === "\n") {
      const last = tail();
      for (const [re, what, code] of ENDINGS) {
        const hit = re.exec(last);
        if (!hit || said) continue;
        const e = { reason: code ? "panic" : what.includes("restarts") ? "restarted" : "halted", message: `${what} (${hit[0].replace(/^-+\[ end /, "")})`, code };
        if (/Power down|Restarting/.test(hit[0])) { said = e; saidAt = m.seconds; continue; } // the reset follows
        ended = e; m.stop(); return;
      }
      if (o.typeAfter && !typed && output.includes(o.typeAfter[0])) { typed = true; m.input(o.typeAfter[1]); }
    }
  });
  const t0 = nowMs();
  let lastProgress = t0;
  const chunk = 5_000_000;
  const timedOut = () => ({ reason: "timeout", message: `timeout: ${o.timeoutSeconds} s of wall time (virtual ${m.seconds.toFixed(3)} s, ${m.insns} instructions, pc=0x${m.cores[0].pc.toString(16)})`, code: 3 });
  const serialIn = o.input ? new SerialInput(m, o.input, { realtime: false, timeoutSeconds: o.timeoutSeconds }) : undefined;
  for (;;) {
    const left = o.maxInsns !== undefined ? o.maxInsns - m.insns : Infinity;
    if (left <= 0) { ended = { reason: "insns", message: `stopped after ${m.insns} instructions`, code: 2 }; break; }
    let r: ReturnType<Machine["run"]>;
    try {
      serialIn?.pump();
      r = m.run({ maxInsns: Math.min(left, chunk), untilSeconds: o.seconds });
    } catch (e) {
      flushOutput();
      if (e instanceof QuitRequested) { ended = { reason: "quit", message: "quit (Ctrl-A X)", code: 0 }; break; }
      if (e instanceof WallTimeout) { ended = timedOut(); break; }
      throw e;
    }
    flushOutput();
    const now = nowMs();
    if (o.onProgress && now - lastProgress >= (o.progressMs ?? 1000)) { lastProgress = now; o.onProgress({ seconds: m.seconds, insns: m.insns, wallMs: now - t0 }); }
    if (ended) break;
    if (r.reason === "poweroff" || r.reason === "reboot") {
      const off = r.reason === "poweroff";
      ended = { reason: r.reason, message: off ? "the board powered off (Linux's bcm2835_wdt: PM_RSTS partition 63, then a full reset through PM_RSTC)" : "the board was reset through PM_RSTC (Linux's bcm2835_wdt restart)", code: 0 };
      break;
    }
    if (said && m.seconds - saidAt > RESET_GRACE_SECONDS) { ended = said; break; }
    if (r.reason === "time") { ended = { reason: "seconds", message: `stopped at ${m.seconds.toFixed(3)} s of virtual time`, code: 0 }; break; }
    if (r.reason === "halted") { ended = { reason: "stuck", message: `every core waits and nothing is scheduled that could wake one (pc=0x${m.cores[0].pc.toString(16)})`, code: 1 }; break; }
    if (r.reason === "exit") { ended = { reason: "exit", message: "semihosting exit", code: r.exitCode ?? 0 }; break; }
    if (o.timeoutSeconds !== undefined && (now - t0) / 1000 > o.timeoutSeconds) {
      ended = timedOut();
      break;
    }
  }
  return { ...ended!, output, insns: m.insns, seconds: m.seconds, wallMs: nowMs() - t0, m, layout };
}

/** One line of progress for --quiet: virtual seconds, instructions, speed. */
export function progressLine(p: { seconds: number; insns: number; wallMs: number }): string {
  return `linux: ${p.seconds.toFixed(3)} s virtual, ${(p.insns / 1e6).toFixed(0)} M instructions, ${(p.insns / p.wallMs / 1e3).toFixed(1)} MIPS, ${(p.wallMs / 1000).toFixed(0)} s wall`;
}

/**
 * A kernel Image file as a KernelSource: its header is read now, the rest straight into guest
 * RAM when it boots, so the host never holds the file's 31 MB beside the guest's copy.
 */
export function kernelFile(path: string): KernelSource {
  if (!existsSync(path)) throw new GuestError(`no such kernel file: ${path}`);
  const fd = openSync(path, "r");
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new GuestError(`kernel ${path} is not a file`);
    const length = st.size;
    const head = new Uint8Array(Math.min(length, 64 << 10));
    readSync(fd, head, 0, head.length, 0);
    return {
      length, head,
      loadInto: (m, addr) => m.loadWith(addr, length, (ram) => {
        const f = openSync(path, "r");
        try {
          for (let done = 0; done < length;) {
            const n = readSync(f, ram, done, length - done, done);
            if (n === 0) throw new GuestError(`kernel file ${path} ended at ${done} of its ${length} bytes while it was read`);
            done += n;
          }
        } finally { closeSync(f); }
      }),
    };
  } finally { closeSync(fd); }
}

function readInput(path: string, what: string): Uint8Array {
  if (!existsSync(path)) throw new GuestError(`no such ${what} file: ${path}`);
  const b = readFileSync(path);
  // Not copied when the Buffer has its ArrayBuffer to itself (every file but small ones, which
  // share Node's pool): an initrd may be tens of MB, and each copy of it is peak RSS.
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? new Uint8Array(b.buffer) : new Uint8Array(b);
}

/**
 * Our /init (boot/linux/init, built from init.c by build.sh) in a newc initramfs, with the
 * package's bcm2835_wdt.ko (`wdt`, from the fetch-linux cache) as /bcm2835_wdt.ko when given:
 * /init loads it so that reboot(POWER_OFF) powers the board off instead of halting.
 */
export function defaultInitramfs(wdt: string | undefined = cachedLinux()?.wdt): Uint8Array {
  const extra = wdt ? [{ path: "bcm2835_wdt.ko", data: new Uint8Array(readFileSync(wdt)) }] : [];
  for (const rel of ["../boot/linux/init", "../../boot/linux/init"]) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return buildInitramfs(new Uint8Array(readFileSync(p)), extra);
  }
  throw new GuestError("boot/linux/init not found next to the tools");
}

/** The text between our /init's markers for `path`, or undefined. */
export function initSection(raw: string, path: string): string | undefined {
  const output = raw.replace(/\r/g, ""); // the tty turns \n into \r\n
  const begin = `rpi-os-init: begin ${path}\n`;
  const i = output.lastIndexOf(begin);
  if (i < 0) return undefined;
  const j = output.indexOf(`rpi-os-init: end ${path}`, i);
  return j < 0 ? undefined : output.slice(i + begin.length, j);
}

export interface CliAccess {
  flag(name: string): string | undefined;
  has(name: string): boolean;
  num(name: string): number | undefined;
  /** An integer option in [lo, hi], or a usage error. */
  int(name: string, lo: number, hi: number): number | undefined;
  positional: string[];
  out(s: string): void;
  note(s: string): void;
  /** Standard input as the console's (run only). */
  startInput?(): { source: StdinSource; restore(): void };
  /** Prints what --stats and --stats-time ask for (run only). */
  stats?(m: Machine): void;
}

/** `rpi-os run IMAGE --dtb FILE ...` with an arm64 Image. */
export async function cmdRunLinux(a: CliAccess): Promise<number> {
  const imagePath = a.flag("-kernel") ?? a.positional[0];
  if (!imagePath) throw new GuestError("run needs an IMAGE (or -kernel IMAGE)");
  const dtbPath = a.flag("--dtb") ?? a.flag("-dtb");
  if (!dtbPath) throw new GuestError("an arm64 Linux Image needs --dtb FILE (the Pi 3 B device tree, e.g. bcm2837-rpi-3-b.dtb)");
  const initrdPath = a.flag("--initrd") ?? a.flag("-initrd");
  const quiet = a.has("--quiet");
  const input = a.startInput?.();
  const r = await runLinux({
    image: kernelFile(imagePath),
    dtb: readInput(dtbPath, "DTB"),
    initrd: initrdPath ? readInput(initrdPath, "initrd") : undefined,
    cmdline: a.flag("--append") ?? a.flag("-append"),
    cores: a.num("--cores"),
    ramSize: a.num("--ram"),
    jit: !a.has("--no-jit"),
    jitThreshold: a.int("--jit-threshold", 1, JIT_MAX_THRESHOLD),
    maxInsns: a.num("--max-insns"),
    seconds: a.num("--seconds"),
    timeoutSeconds: a.num("--timeout"),
    until: a.flag("--until"),
    onOutput: quiet ? undefined : (s) => a.out(s),
    onProgress: quiet ? (p) => process.stderr.write(`\r${progressLine(p)}`) : undefined,
    input: input?.source,
  }).finally(() => input?.restore());
  if (quiet) process.stderr.write(`\r${progressLine(r)}\n`);
  a.note(`${r.message}; ${r.insns} instructions, ${r.seconds.toFixed(3)} s virtual, ${(r.wallMs / 1000).toFixed(1)} s wall`);
  a.stats?.(r.m);
  return r.code;
}

/** Explanations of how the real kernel's /proc/interrupts differs from the TypeScript layer's. */
export const DIFFERENCES = [
  "tick: real arm64 Linux ticks from each core's ARMv8 generic timer (arch_timer, per-CPU, one line with a column per CPU, " +
    "reached through the BCM2836 local controller's domain 'bcm2836-timer'); the TypeScript layer ticks from the BCM2835 " +
    "system timer (bcm2835_timer, channel 3, on core 0 only), as lesson 3 does; Debian's kernel has no CONFIG_BCM2835_TIMER.",
  "HZ: Debian builds with HZ=250 and NO_HZ_IDLE (idle CPUs skip ticks), so counts are not 250 a second a CPU; the TypeScript layer ticks at a fixed HZ=100.",
  "IPI0-IPI6: the real kernel's inter-processor interrupts (rescheduling, function calls, stop, timer broadcast, irq work, wake-up) " +
    "travel over the BCM2836 local mailboxes; the TypeScript layer runs on one core and sends none.",
  "Edge vs level: both print 'Edge' for the ARMCTRL lines: the column is the line's configured trigger (IRQD_LEVEL), which the Pi's " +
    "DT leaves unset, not the flow handler; Linux's bcm2835 driver (and ours) still handles them with handle_level_irq.",
  "mailbox (ARMCTRL 1): Linux's bcm2835-mbox driver is interrupt driven (ARM basic IRQ 1); the TypeScript layer has no mailbox driver.",
  "uart-pl011 (ARMCTRL 89 = GPU IRQ 57) vs the TypeScript layer's mini UART (ARMCTRL 61 = GPU IRQ 29): each has the console it was booted with " +
    "(--append \"console=ttyS1 earlycon=bcm2835aux,0x3f215040 rdinit=/init\" gives the real kernel the mini UART too: 'ttyS1' on ARMCTRL 61, the one that takes typed input, since this DT gives the PL011 to Bluetooth).",
  "kvm guest vtimer, arm-pmu: KVM's virtual-timer line exists in the real kernel only; the PMU is not emulated (PMUVer = 0), so no arm-pmu line here.",
  "chained lines: neither shows the GPU-to-local cascade (Linux hides a chained interrupt; kstat counts only the final handler).",
];

/** `rpi-os linux`: Debian's kernel to our /init, then the two /proc/interrupts side by side. */
export async function cmdLinux(a: CliAccess): Promise<number> {
  let files = cachedLinux();
  if (!files || !files.wdt) {
    a.note("no cached kernel: fetching Debian's linux-image-*-arm64 with apt (npm run fetch-linux)");
    try { files = fetchLinux({ say: (s) => a.note(`fetch-linux: ${s}`) }); } catch (e) {
      if (e instanceof FetchError) throw new GuestError(`fetch-linux: ${e.message}`);
      throw e;
    }
  }
  const quiet = a.has("--quiet");
  const cmdline = a.flag("--append") ?? DEFAULT_CMDLINE;
  a.note(`booting ${files.version || files.image} with our initramfs: ${cmdline}`);
  const input = a.startInput?.();
  const r = await runLinux({
    image: kernelFile(files.image), dtb: readInput(files.dtb, "DTB"), initrd: defaultInitramfs(), cmdline,
    cores: a.num("--cores"), jit: !a.has("--no-jit"), jitThreshold: a.int("--jit-threshold", 1, JIT_MAX_THRESHOLD), timeoutSeconds: a.num("--timeout"), maxInsns: a.num("--max-insns"),
    onOutput: quiet ? undefined : (s) => a.out(s),
    onProgress: quiet ? (p) => process.stderr.write(`\r${progressLine(p)}`) : undefined,
    input: input?.source,
  }).finally(() => input?.restore());
  if (quiet) process.stderr.write(`\r${progressLine(r)}\n`);
  a.note(`${r.message}; ${r.insns} instructions, ${r.seconds.toFixed(3)} s virtual, ${(r.wallMs / 1000).toFixed(1)} s wall`);
  const real = initSection(r.output, "/proc/interrupts");
  if (!real) { a.note("the kernel never reached /init's /proc/interrupts"); return r.code || 1; }
  const { tsLayerInterrupts } = await import("../kernel/linux/index.js");
  const ts = await tsLayerInterrupts();
  a.out(`\n==== real Linux (${files.version.split(" ")[1] ?? "Debian"}) /proc/interrupts, at /init (${r.seconds.toFixed(3)} s virtual) ====\n${real}`);
  a.out(`\n==== the TypeScript Linux layer (kernel/linux/) /proc/interrupts, ${ts.seconds.toFixed(3)} s virtual ====\n${ts.text}`);
  a.out(`\nDifferences:\n${DIFFERENCES.map((d) => `  - ${d}`).join("\n")}\n`);
  return r.code;
}
