// The emulated Pi in a Web Worker: the same wasm and TypeScript kernel as in
// Node. Everything the page sees leaves in batches (protocol.ts): at most one
// every BATCH_MS, bounded in size, so a storm of exceptions or a flood of
// serial output never floods the page. Input, pause and the stepping commands
// come through the SharedArrayBuffer.
//
// The machine stops for the lab at two kinds of points: before each chunk of
// guest instructions (Machine.debugHook; a chunk is one instruction while
// stepping) and at each hardware access of the TypeScript kernel (the board's
// clock). Pausing blocks the worker right there, so a paused TypeScript kernel
// keeps its call stack, which the page shows.

import * as hostMachine from "../host/machine.js";
import * as hostTrace from "../host/trace.js";
import { describeStorm } from "../host/storm.js";
import * as hostBoot from "../host/boot.js";
import * as asmModule from "../tools/asm/assembler.js";
import * as sysregsModule from "../tools/a64/sysregs.js";
import * as staticIndex from "../kernel/index.js";
import * as staticLesson from "../kernel/lesson.js";
import { disassemble } from "../tools/a64/disasm.js";
// The exception log's write index (host/layout.ts) counts every exception ever logged, however many.
import { INFO_EXC_WRITE as hostLayoutExcWrite } from "../host/layout.js";
import { framebufferRGBA, type Framebuffer } from "../host/framebuffer.js";
import type { Machine, ExceptionEvent, LineEvent, StormInfo } from "../host/machine.js";
import type { WallClock, HostFunction, Board } from "../kernel/board.js";
import type { AssembleResult } from "../tools/asm/assembler.js";
import type { LabState } from "./explain.js";
import { SOURCES } from "lab-sources";
import { SourceMap } from "./sourcemap.js";
import {
  CTRL_INPUT, CTRL_PAUSED, CTRL_SEQ, CTRL_FAST, CTRL_FRAMES_DRAWN, CMD_BASE, CMD_SLOTS, RING_OFFSET, RING_SIZE, CTRL_WORDS,
  CMD_RESUME, CMD_STEP, CMD_STEP_EXCEPTION, CMD_STEP_OVER, CMD_BREAK_IRQ, CMD_RUN_TO, CMD_PAUSE,
  BATCH_MS, BATCH_SERIAL_MAX, BATCH_EXCEPTIONS, TIMELINE_TICKS, FRAME_MS,
  type StartMessage, type WorkerMessage, type Batch, type TickPath, type PauseInfo, type DisasmLine, type Diagnostic,
} from "./protocol.js";

const { Machine: MachineClass, NestedRunEnded } = hostMachine;
const { formatException } = hostTrace;
const post = (m: WorkerMessage, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

/** The modules an edited kernel bundle imports from outside kernel/ (tsbuild.ts maps them here; HOST_MODULES there). */
(globalThis as unknown as { __rpiHost: Record<string, unknown> }).__rpiHost = {
  "host/machine": hostMachine, "host/trace": hostTrace, "tools/asm/assembler": asmModule, "tools/a64/sysregs": sysregsModule,
};

interface KernelModules {
  LESSON_STEPS: typeof staticLesson.LESSON_STEPS;
  bootKernel: typeof staticIndex.bootKernel;
  buildKernel: typeof staticIndex.buildKernel;
  GUEST_CALLABLE: typeof staticIndex.GUEST_CALLABLE;
  KernelStop: typeof staticIndex.KernelStop;
}
const STATIC_KERNEL: KernelModules = { ...staticIndex, LESSON_STEPS: staticLesson.LESSON_STEPS };

/** Instructions one chunk of guest code runs between two lab points when nothing is being stepped. */
const CHUNK = 1 << 17;
const TIMER_CS = 0x3f003000;
const BOOT_FILES = ["boot.S", "entry.S", "irq.S", "mm.S", "utils.S", "lesson_helpers.S"];

let ctrl!: Int32Array;
let ring!: Uint8Array;
let inputRead = 0;
/** Commands applied so far (the page's sequence number of the last one). */
let applied = 0;
/** A Pause command came: stop at this lab point. */
let pauseWanted = false;

// ---- what the page is told ----
const serialRing = new Uint8Array(BATCH_SERIAL_MAX);
let serialCount = 0;
let excStart = 0;
const recent: ExceptionEvent[] = [];
const trace: string[] = [];
let traceWanted = 0;
let lastVector = -1;
let ticks: TickPath[] = [];
let lineHigh = false;
let lastBatch = 0;
let image: AssembleResult | undefined;
let symbols: { addr: number; name: string }[] = [];
let sourceMap: SourceMap | undefined;
let kernelMap: SourceMap | undefined;

// ---- stepping ----
type Mode =
  | { kind: "run" }
  | { kind: "step" }
  | { kind: "guest" }
  | { kind: "exception"; mark: number; irqOnly: boolean }
  | { kind: "pc"; addr: number };
let mode: Mode = { kind: "run" };
let taken = 0;
let takenIrq = 0;

// ---- realtime pacing ----
let wall0 = 0;
let cycle0 = 0;
let wasFast = false;

function takeInput(m: Machine): boolean {
  const w = Atomics.load(ctrl, CTRL_INPUT);
  if (w === inputRead) return false;
  const bytes: number[] = [];
  while (inputRead !== w) { bytes.push(ring[inputRead % RING_SIZE]); inputRead++; }
  m.input(new Uint8Array(bytes));
  return true;
}

const hex = (v: number) => "0x" + v.toString(16);

function symbolize(addr: number): string | undefined {
  let lo = 0, hi = symbols.length - 1, best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (symbols[mid].addr <= addr) { best = mid; lo = mid + 1; } else hi = mid - 1;
  }
  if (best < 0) return undefined;
  const s = symbols[best];
  const off = addr - s.addr;
  if (off > 0x1000) return undefined;
  return off ? `${s.name}+${hex(off)}` : s.name;
}

function setImage(img: AssembleResult | undefined): void {
  image = img;
  symbols = img ? [...img.symbols].filter(([n]) => !n.startsWith(".L") && !/^[A-Z_0-9]+$/.test(n)).map(([name, addr]) => ({ name, addr })).sort((a, b) => a.addr - b.addr) : [];
}

function state(m: Machine): LabState {
  const cpu = m.cores[0];
  const r32 = (a: number) => m.bus.read32(a);
  const sr = (n: string) => Number(cpu.sysreg(n));
  return {
    el: cpu.el, spsel: cpu.spsel, daif: cpu.daif, pc: cpu.pc, nzcv: cpu.nzcv,
    vbar: sr("vbar_el1"), elr: sr("elr_el1"), spsr: sr("spsr_el1"), esr: sr("esr_el1"), far: sr("far_el1"),
    cs: r32(0x3f003000), clo: r32(0x3f003004), c1: r32(0x3f003010), c3: r32(0x3f003018),
    irqPending1: r32(0x3f00b204), enableIrqs1: r32(0x3f00b210), coreIrq: m.soc.coreInputs(0) & 1,
    seconds: m.seconds, insns: m.insns, ticks: m.ticks,
    compiledInsns: m.jitStats?.retired ?? 0, regions: m.jitStats?.regions ?? 0,
  };
}

function word(m: Machine, addr: number): number | undefined {
  if (addr < 0 || addr + 4 > m.ramSize) return undefined;
  return Number(m.bus.read(addr, 4));
}

function disasmAround(m: Machine): DisasmLine[] {
  const pc = m.cores[0].pc;
  const lines: DisasmLine[] = [];
  for (let a = pc - 6 * 4; a <= pc + 9 * 4; a += 4) {
    const w = word(m, a);
    if (w === undefined) continue;
    const sym = symbols.find((s) => s.addr === a)?.name;
    lines.push({ addr: a, text: disassemble(w, a, symbolize), symbol: sym, current: a === pc });
  }
  return lines;
}

let vectorCache = { vbar: -1, insns: -1, names: [] as string[] };
function vectorSymbols(m: Machine, vbar: number): string[] {
  if (vectorCache.vbar === vbar && vectorCache.insns === m.insns) return vectorCache.names;
  const names: string[] = [];
  for (let i = 0; i < 16; i++) {
    const a = vbar + i * 0x80;
    const w = word(m, a);
    if (w !== undefined && (w & 0xfc000000) === 0x14000000) { // b label: the handler is its target
      const t = a + (((w & 0x3ffffff) << 6) >> 4);
      names.push(`b ${symbolize(t) ?? hex(t)}`);
    } else names.push(w === undefined ? "(not RAM)" : `${symbolize(a) ?? hex(a)}: ${disassemble(w, a, symbolize)}`);
  }
  vectorCache = { vbar, insns: m.insns, names };
  return names;
}

/** TypeScript kernel frames of the current JavaScript stack (through the bundle's source map). */
function tsStack(): PauseInfo["tsStack"] {
  const out: PauseInfo["tsStack"] = [];
  Error.stackTraceLimit = 200;
  const stack = new Error().stack ?? "";
  for (const line of stack.split("\n")) {
    const f = /at (?:(\S+) )?\(?(\S+?):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!f) continue;
    const name = (f[1] ?? "(anonymous)").replace(/^Object\./, "");
    if (/(^|\.)serviceInterrupts$/.test(name)) { out.push({ name: "IRQ" }); continue; }
    const map = f[2].startsWith("blob:") ? kernelMap : sourceMap;
    const pos = map?.lookup(Number(f[3]) - 1, Number(f[4]) - 1);
    if (!pos) continue;
    const file = pos.source.replace(/^.*?\b(kernel\/)/, "$1");
    if (!file.startsWith("kernel/") || file === "kernel/board.ts") continue;
    out.push({ name, file, line: pos.line + 1 });
  }
  // Collapse the IRQ markers that have no kernel frame above them, and repeated ones.
  while (out.length && out[0].name === "IRQ") out.shift();
  return out.filter((f, i) => !(f.name === "IRQ" && out[i - 1]?.name === "IRQ"));
}

function pcSource(m: Machine): { file: string; line: number } | undefined {
  const loc = image?.lines?.get(m.cores[0].pc);
  return loc ? { file: loc.file.replace(/^.*\//, "boot/"), line: loc.line } : undefined;
}

function pauseInfo(m: Machine, where: "guest" | "ts", why: string): PauseInfo {
  return { where, why, source: where === "guest" ? pcSource(m) : undefined, tsStack: tsStack() };
}

/** The bytes of the ring, oldest first. */
function takeSerial(): number[] {
  const n = Math.min(serialCount, BATCH_SERIAL_MAX);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = serialRing[(serialCount - n + i) % BATCH_SERIAL_MAX];
  return out;
}

function flush(m: Machine, extra: { paused?: PauseInfo; stopped?: string } = {}): void {
  lastBatch = performance.now();
  m.drain();
  const s = state(m);
  const excWrite = m.view().getUint32(hostLayoutExcWrite, true);
  const b: Batch = {
    type: "batch",
    seq: applied,
    serial: takeSerial(),
    serialSkipped: Math.max(0, serialCount - BATCH_SERIAL_MAX),
    exceptionCount: (excWrite - excStart) >>> 0,
    exceptions: recent.map((e) => ({ text: formatException(e), kind: e.kind, vectorOffset: e.vectorOffset, cycle: e.cycle })),
    trace: trace.slice(),
    state: s, lastVector,
    vectorSymbols: vectorSymbols(m, s.vbar),
    timeline: ticks.slice(),
    cpuHz: m.cpuHz,
    disasm: disasmAround(m),
    pcSource: pcSource(m),
    storm: stormNow(m, excWrite),
    ...extra,
  };
  serialCount = 0;
  post(b);
  sendFrame(m, extra.paused !== undefined || extra.stopped !== undefined);
}

// ---- exception storms ----
// The lab lets a storm run (the CLI's detector, which ends the run, is off: MachineOptions.storm
// 0) and shows it as a count; this tells the learner what it is, in the CLI's words.
let storm: { key: string; since: number; first: ExceptionEvent; ongoing: boolean; shown?: Batch["storm"] } | undefined;
const EC_SVC64 = 0x15, EC_SMC64 = 0x17;

function stormNow(m: Machine, excWrite: number): Batch["storm"] {
  const last = recent[recent.length - 1];
  const ec = last ? last.esr >>> 26 : 0;
  const same = recent.length === BATCH_EXCEPTIONS && last.kind === "sync" && !(ec >= EC_SVC64 && ec <= EC_SMC64) &&
    recent.every((e) => e.kind === "sync" && e.core === last.core && e.vector64 === last.vector64 && e.esr === last.esr);
  if (!same) {
    if (storm?.shown) { storm.ongoing = false; storm.shown.ongoing = false; }
    return storm?.shown;
  }
  const key = `${last.core}:${last.vector64}:${last.esr}`;
  if (!storm || storm.key !== key || !storm.ongoing) storm = { key, since: (excWrite - recent.length) >>> 0, first: recent[0], ongoing: true };
  const count = (excWrite - storm.since) >>> 0;
  const cpu = m.cores[last.core];
  const vbar = BigInt.asUintN(64, BigInt(cpu.sysreg(`vbar_el${last.toEL}`)));
  const info: StormInfo = {
    core: last.core, count, el: last.toEL, fromEL: last.fromEL, esr: last.esr, elr: last.elr64, firstElr: storm.first.elr64,
    far: BigInt.asUintN(64, BigInt(cpu.sysreg(`far_el${last.toEL}`))), vector: last.vector64, vbar,
  };
  const d = describeStorm(m, info);
  storm.shown = { ongoing: true, count, message: d.message, hints: d.hints };
  return storm.shown;
}

// ---- the guest's framebuffer ----
let framesSent = 0;
let lastFrameAt = -Infinity;
let lastFb: Framebuffer | undefined;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const n = a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0 ? a.length >> 2 : 0;
  const a4 = new Int32Array(a.buffer, a.byteOffset, n), b4 = new Int32Array(b.buffer, b.byteOffset, n);
  for (let i = 0; i < n; i++) if (a4[i] !== b4[i]) return false;
  for (let i = n * 4; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameFrame(a: Framebuffer, b: Framebuffer): boolean {
  if (a.width !== b.width || a.height !== b.height || a.virtualWidth !== b.virtualWidth || a.virtualHeight !== b.virtualHeight ||
    a.xOffset !== b.xOffset || a.yOffset !== b.yOffset || a.depth !== b.depth || a.pitch !== b.pitch ||
    a.pixelOrder !== b.pixelOrder || a.blank !== b.blank) return false;
  if (a.depth === 8) for (let i = 0; i < 256; i++) if (a.palette[i] !== b.palette[i]) return false;
  return sameBytes(a.bytes, b.bytes);
}

/**
 * Sends the framebuffer when the guest has one and its picture changed: at most every FRAME_MS,
 * and only once the page drew the frame before (CTRL_FRAMES_DRAWN), so a slow page gets fewer
 * frames, never a queue of them. At a pause and at the end (`final`) the picture goes out at once.
 */
function sendFrame(m: Machine, final: boolean): void {
  const now = performance.now();
  if (!final && (now - lastFrameAt < FRAME_MS || Atomics.load(ctrl, CTRL_FRAMES_DRAWN) !== framesSent)) return;
  lastFrameAt = now;
  const fb = m.framebuffer();
  if (!fb || fb.width === 0 || fb.height === 0 || (lastFb && sameFrame(lastFb, fb))) return;
  lastFb = fb;
  const rgba = framebufferRGBA(fb);
  post({ type: "frame", frame: ++framesSent, width: fb.width, height: fb.height, rgba: rgba.buffer as ArrayBuffer }, [rgba.buffer]);
}

function watch(m: Machine): void {
  excStart = m.view().getUint32(hostLayoutExcWrite, true);
  // The newest BATCH_SERIAL_MAX bytes in a ring (older ones counted as skipped).
  m.on("serial", (b) => { serialRing[serialCount++ % BATCH_SERIAL_MAX] = b; });
  m.on("exception", (e) => {
    recent.push(e);
    if (recent.length > BATCH_EXCEPTIONS) recent.shift();
    if (trace.length < traceWanted) trace.push(`trace: ${formatException(e)}`);
    if (e.kind === "eret") {
      const t = ticks[ticks.length - 1];
      if (t && t.taken !== undefined && t.eret === undefined) t.eret = e.cycle;
      return;
    }
    taken++;
    lastVector = e.vectorOffset;
    if (e.kind === "irq" || e.kind === "fiq") {
      takenIrq++;
      let t = ticks[ticks.length - 1];
      if (!t || t.taken !== undefined) { t = { lineUp: e.cycle, source: "" }; pushTick(t); }
      Object.assign(t, { taken: e.cycle, vector: e.vector, elr: e.elr, spsr: e.spsr });
    }
  });
  m.on("irqline", (e: LineEvent) => {
    if (e.core !== 0 || e.irq === lineHigh) return;
    lineHigh = e.irq;
    if (e.irq) {
      const pending = m.bus.read32(0x3f00b204);
      pushTick({ lineUp: e.cycle, source: `IRQ_PENDING_1=${hex(pending)}` });
    } else {
      const t = ticks[ticks.length - 1];
      if (t && t.lineDown === undefined) t.lineDown = e.cycle;
    }
  });
}

function pushTick(t: TickPath): void {
  ticks.push(t);
  if (ticks.length > TIMELINE_TICKS) ticks = ticks.slice(-TIMELINE_TICKS);
}

/** Applies every command the page queued since the last lab point, in order; true if there were any. */
function applyCommands(m: Machine, where: "guest" | "ts"): boolean {
  const n = Atomics.load(ctrl, CTRL_SEQ);
  if (n === applied) return false;
  while (applied !== n) {
    const slot = CMD_BASE + 2 * (applied % CMD_SLOTS);
    const cmd = Atomics.load(ctrl, slot), arg = Atomics.load(ctrl, slot + 1) >>> 0;
    applied++;
    command(m, where, cmd, arg);
  }
  return true;
}

/** Drops the breakpoint of a "run to" or "step over" that has not been reached. */
function dropTarget(m: Machine): void {
  if (mode.kind === "pc") m.soc.setBreakpoint(BigInt(mode.addr), false);
}

/** One command from the page: the mode the machine runs in until its next stop. */
function command(m: Machine, where: "guest" | "ts", cmd: number, arg: number): void {
  if (cmd === CMD_PAUSE) { pauseWanted = true; return; }
  pauseWanted = false;
  dropTarget(m);
  const pc = m.cores[0].pc;
  const runTo = (addr: number) => {
    // From that very address: run to the next time the PC gets there (the breakpoint lets
    // the first instruction through once), not zero instructions.
    if (where === "guest" && addr === pc) m.soc.resumeFrom(BigInt(addr));
    m.soc.setBreakpoint(BigInt(addr), true);
    mode = { kind: "pc", addr };
  };
  switch (cmd) {
    case CMD_RESUME: mode = { kind: "run" }; break;
    case CMD_STEP: mode = { kind: "step" }; break;
    case CMD_STEP_EXCEPTION: mode = { kind: "exception", mark: taken, irqOnly: false }; break;
    case CMD_BREAK_IRQ: mode = { kind: "exception", mark: takenIrq, irqOnly: true }; break;
    case CMD_STEP_OVER: {
      const w = where === "guest" ? word(m, pc) : undefined;
      // bl / blr, or the hlt of a TypeScript function's trampoline: run until the instruction after
      // it (the callee, TS or guest, runs whole); in TS code: until guest code runs again.
      const call = w !== undefined && (((w & 0xfc000000) >>> 0) === 0x94000000 || ((w & 0xfffffc1f) >>> 0) === 0xd63f0000 || ((w & 0xffe0001f) >>> 0) === 0xd4400000);
      if (call) runTo(pc + 4);
      else mode = where === "ts" ? { kind: "guest" } : { kind: "step" };
      break;
    }
    case CMD_RUN_TO: runTo(arg); break;
    default: mode = { kind: "run" };
  }
}

/**
 * Stops here: the batch it sends is the exact state (no instruction runs after it), then it
 * waits for a command that lets the machine go (a Pause while paused is answered again, with
 * the new sequence number).
 */
function pauseHere(m: Machine, where: "guest" | "ts", why: string): void {
  dropTarget(m);
  mode = { kind: "run" };
  pauseWanted = false;
  Atomics.store(ctrl, CTRL_PAUSED, 1);
  flush(m, { paused: pauseInfo(m, where, why) });
  for (;;) {
    const n = Atomics.load(ctrl, CTRL_SEQ);
    if (n !== applied) {
      applyCommands(m, where);
      if (!pauseWanted) break;
      pauseWanted = false;
      flush(m, { paused: pauseInfo(m, where, why) });
    }
    takeInput(m);
    Atomics.wait(ctrl, CTRL_SEQ, n, 250);
  }
  Atomics.store(ctrl, CTRL_PAUSED, 0);
  wall0 = performance.now();
  cycle0 = m.cycles;
}

/** Why the machine stops at this lab point, if it does (the mode's condition, or a Pause). */
function stopHere(m: Machine, where: "guest" | "ts"): string | undefined {
  if (pauseWanted) return "paused";
  switch (mode.kind) {
    case "step": return "stepped";
    case "guest": return where === "guest" ? "back in guest code" : undefined;
    case "exception": return (mode.irqOnly ? takenIrq : taken) > mode.mark ? (mode.irqOnly ? "IRQ taken" : "exception taken") : undefined;
    case "pc": return where === "guest" && m.cores[0].pc === mode.addr ? `reached ${symbolize(mode.addr) ?? hex(mode.addr)}` : undefined;
    case "run": return undefined;
  }
}

/** A lab point: commands, pause and step conditions, batches, realtime pacing. Returns the next chunk. */
function point(m: Machine, where: "guest" | "ts"): number {
  // A command applied here starts from here: its stop condition is looked at from the next
  // point on (a step runs its instruction first); a Pause stops at once.
  const why = applyCommands(m, where) ? (pauseWanted ? "paused" : undefined) : stopHere(m, where);
  if (why) pauseHere(m, where, why);
  takeInput(m);
  const now = performance.now();
  if (now - lastBatch >= BATCH_MS) flush(m);
  const fast = Atomics.load(ctrl, CTRL_FAST) === 1;
  if (fast !== wasFast) { wasFast = fast; wall0 = now; cycle0 = m.cycles; }
  if (!fast && where === "guest") pace(m);
  return mode.kind === "step" || mode.kind === "exception" || mode.kind === "guest" ? 1 : CHUNK;
}

/**
 * Realtime: waits while virtual time is ahead of the wall clock, in slices of at most BATCH_MS
 * that wake for commands (a guest WFI jumps to the next event inside one chunk, so the wait
 * can be a whole timer interval). A Pause stops right here.
 */
function pace(m: Machine): void {
  const due = wall0 + ((m.cycles - cycle0) / m.cpuHz) * 1000;
  for (;;) {
    const ms = due - performance.now();
    if (ms <= 1 || Atomics.load(ctrl, CTRL_FAST) === 1) return;
    const n = Atomics.load(ctrl, CTRL_SEQ);
    if (n !== applied) {
      applyCommands(m, "guest");
      if (pauseWanted) { pauseHere(m, "guest", "paused"); return; }
      continue;
    }
    Atomics.wait(ctrl, CTRL_SEQ, n, Math.min(ms, BATCH_MS));
    takeInput(m);
    if (performance.now() - lastBatch >= BATCH_MS) flush(m);
  }
}

class PageClock implements WallClock {
  waitUntil(m: Machine, cycle: number): void {
    point(m, "ts");
    if (Atomics.load(ctrl, CTRL_FAST) === 1) return;
    const target = Math.min(cycle, m.cycles + m.cpuHz / 20);
    const due = wall0 + ((target - cycle0) / m.cpuHz) * 1000;
    const ms = due - performance.now();
    if (ms > 0) Atomics.wait(ctrl, CTRL_INPUT, Atomics.load(ctrl, CTRL_INPUT), Math.min(ms, BATCH_MS));
    takeInput(m);
  }
  pollInput(m: Machine): boolean {
    const before = inputRead;
    point(m, "ts");
    return inputRead !== before;
  }
}

function isSourceError(e: unknown): e is { file: string; line: number; column: number; reason: string } {
  return typeof e === "object" && e !== null && "file" in e && "line" in e && "column" in e && "reason" in e;
}

async function kernelFor(bundle: { js: string; map: string } | undefined): Promise<KernelModules> {
  if (!bundle) return STATIC_KERNEL;
  kernelMap = new SourceMap(JSON.parse(bundle.map));
  const url = URL.createObjectURL(new Blob([bundle.js], { type: "text/javascript" }));
  return (await import(/* @vite-ignore */ url)) as KernelModules;
}

async function runLesson(step: number, files: Record<string, string>, bundle?: { js: string; map: string }): Promise<string> {
  const K = await kernelFor(bundle);
  const s = K.LESSON_STEPS[step - 1];
  if (!s) throw new Error(`no lesson step ${step}`);
  traceWanted = s.traceExceptions ?? 0;
  const functions: Record<string, HostFunction> = { ...K.GUEST_CALLABLE, kernel_main: s.kernel_main };
  if (s.handle_irq) functions.handle_irq = s.handle_irq;
  let m: Machine | undefined;
  const handler = functions.handle_irq;
  functions.handle_irq = (...args: bigint[]) => {
    const t = ticks[ticks.length - 1];
    if (m && t && t.handlerEnter === undefined) { t.handlerEnter = m.cycles; t.source = `${t.source ? t.source + ", " : ""}CLO=${m.bus.read32(0x3f003004)}`; }
    const r = handler(...args);
    if (m && t && t.handlerExit === undefined) t.handlerExit = m.cycles;
    return r;
  };
  const text = (f: string) => files[f] ?? SOURCES[f];
  const includes: Record<string, string> = {};
  for (const f of Object.keys(SOURCES)) if (f.startsWith("boot/include/")) includes[f] = text(f);
  const sources = BOOT_FILES.map((f) => ({ name: "boot/" + f, text: text("boot/" + f) }));
  let img: AssembleResult;
  try {
    img = K.buildKernel({ sources, provider: asmModule.memoryFileProvider(includes), hostSymbols: Object.keys(functions) });
  } catch (e) {
    const list = (e as { errors?: unknown[] }).errors ?? [e];
    const errors: Diagnostic[] = list.filter(isSourceError).map((x) => ({ file: x.file.replace(/^\/?/, ""), line: x.line, column: x.column, message: x.reason }));
    if (!errors.length) throw e;
    post({ type: "diagnostics", errors });
    return "assembler errors (see the editor)";
  }
  post({ type: "diagnostics", errors: [] });
  setImage(img);
  post({ type: "symbols", symbols: symbols.map((x) => [x.name, x.addr]) });
  const clock = new PageClock();
  // The lab shows an exception storm as a count and its last few (issue 15), so the CLI's storm stop is off.
  const k = await K.bootKernel({ image: img, functions, machine: { traceIrq: true, storm: 0 }, clock });
  m = k.m;
  patchCsWrites(k.board, k.m);
  start(k.m);
  try {
    return k.run();
  } catch (e) {
    if (e instanceof K.KernelStop) return e.reason;
    throw e;
  } finally {
    finish(k.m);
  }
}

/** The timeline's "CS write": the TypeScript kernel's acknowledge, seen at the board. */
function patchCsWrites(board: Board, m: Machine): void {
  const write32 = board.write32.bind(board);
  board.write32 = (addr: number, value: number) => {
    if (addr === TIMER_CS) {
      const t = ticks[ticks.length - 1];
      if (t && t.csWrite === undefined) t.csWrite = m.cycles;
    }
    write32(addr, value);
  };
}

let current: Machine | undefined;
function start(m: Machine): void {
  current = m;
  watch(m);
  m.debugHook = (mm) => point(mm, "guest");
  wall0 = performance.now();
  cycle0 = m.cycles;
  wasFast = Atomics.load(ctrl, CTRL_FAST) === 1;
  flush(m);
}
function finish(m: Machine): void {
  m.debugHook = undefined;
  m.drain();
}

async function runImage(bytes: Uint8Array, kernelOld: boolean): Promise<string> {
  const m = await MachineClass.create({ traceIrq: true, storm: 0 });
  hostBoot.boot(m, bytes, { ...hostBoot.DEFAULT_BOOT, kernelOld });
  setImage(undefined);
  start(m);
  try {
    for (;;) {
      const fast = Atomics.load(ctrl, CTRL_FAST) === 1;
      const r = m.run({ untilSeconds: m.seconds + 0.01 });
      if (r.reason === "exit") return `exit ${r.exitCode}`;
      if (r.reason === "halted") {
        if (fast) return "halted: every core waits and nothing is scheduled";
        point(m, "guest");
        Atomics.wait(ctrl, CTRL_INPUT, Atomics.load(ctrl, CTRL_INPUT), BATCH_MS);
      }
    }
  } finally {
    finish(m);
  }
}

self.onmessage = async (ev: MessageEvent<StartMessage>) => {
  const msg = ev.data;
  ctrl = new Int32Array(msg.ctrl, 0, CTRL_WORDS);
  ring = new Uint8Array(msg.ctrl, RING_OFFSET, RING_SIZE);
  applied = Atomics.load(ctrl, CTRL_SEQ);
  if (!sourceMap) sourceMap = await SourceMap.fetch(new URL("./worker.js.map", import.meta.url).href).catch(() => undefined);
  let reason: string;
  try {
    reason = msg.type === "lesson" ? await runLesson(msg.step, msg.files ?? {}, msg.kernel) : await runImage(msg.bytes, msg.kernelOld);
  } catch (e) {
    reason = e instanceof NestedRunEnded ? e.message : `error: ${(e as Error).message}`;
    if (!(e instanceof NestedRunEnded)) post({ type: "error", message: (e as Error).message });
  }
  // A run that ends always tells its final state.
  if (current) flush(current, { stopped: reason });
  else post({ type: "note", message: `not started: ${reason}` });
};
