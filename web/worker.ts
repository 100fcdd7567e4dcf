// The emulated Pi in a Web Worker: the same wasm and TypeScript kernel as in
// Node. Output and state go to the page by postMessage; input, pause, step
// and speed come through the SharedArrayBuffer of protocol.ts.

import { Machine } from "../host/machine.js";
import { boot, DEFAULT_BOOT } from "../host/boot.js";
import { formatException } from "../host/trace.js";
import { bootKernel, buildKernel, GUEST_CALLABLE } from "../kernel/index.js";
import { LESSON_STEPS } from "../kernel/lesson.js";
import { KernelStop, type WallClock, type HostFunction } from "../kernel/board.js";
import { memoryFileProvider } from "../tools/asm/assembler.js";
import { CTRL_INPUT, CTRL_PAUSED, CTRL_STEP, CTRL_FAST, RING_OFFSET, RING_SIZE, type StartMessage, type WorkerMessage, type MachineState } from "./protocol.js";
// boot/*.S as text (esbuild's text loader), so the browser needs no file system.
import bootS from "../boot/boot.S";
import entryS from "../boot/entry.S";
import irqS from "../boot/irq.S";
import mmS from "../boot/mm.S";
import utilsS from "../boot/utils.S";
import helpersS from "../boot/lesson_helpers.S";
import sysregsH from "../boot/include/arm/sysregs.h";
import mmH from "../boot/include/mm.h";
import entryH from "../boot/include/entry.h";

const post = (m: WorkerMessage) => (self as unknown as Worker).postMessage(m);

let ctrl!: Int32Array;
let ring!: Uint8Array;
let inputRead = 0;
let lastState = 0;

function takeInput(m: Machine): boolean {
  const w = Atomics.load(ctrl, CTRL_INPUT);
  if (w === inputRead) return false;
  const bytes: number[] = [];
  while (inputRead !== w) { bytes.push(ring[inputRead % RING_SIZE]); inputRead++; }
  m.input(new Uint8Array(bytes));
  return true;
}

function hex(v: bigint): string { return "0x" + v.toString(16); }

function state(m: Machine): MachineState {
  const cpu = m.cores[0];
  const r32 = (a: number) => m.bus.read32(a);
  return {
    el: cpu.el, spsel: cpu.spsel, daif: cpu.daif, pc: cpu.pc,
    vbar: hex(cpu.sysreg("vbar_el1")), elr: hex(cpu.sysreg("elr_el1")), spsr: hex(cpu.sysreg("spsr_el1")), esr: hex(cpu.sysreg("esr_el1")),
    clo: r32(0x3f003004), c1: r32(0x3f003010), irqPending1: r32(0x3f00b204), enableIrqs1: r32(0x3f00b210),
    seconds: m.seconds, insns: m.insns, ticks: m.ticks,
    compiledInsns: m.jitStats?.retired ?? 0, regions: m.jitStats?.regions ?? 0,
  };
}

/** Posts the state at most every 50 ms of wall time; blocks while paused (a step runs 1 ms). */
function heartbeat(m: Machine, force = false): void {
  const now = performance.now();
  if (force || now - lastState > 50) { lastState = now; m.drain(); post({ type: "state", state: state(m) }); }
  while (Atomics.load(ctrl, CTRL_PAUSED) === 1) {
    if (Atomics.load(ctrl, CTRL_STEP) > 0) { Atomics.sub(ctrl, CTRL_STEP, 1); m.stopAtSeconds = m.seconds + 0.001; return; }
    post({ type: "state", state: state(m) });
    Atomics.wait(ctrl, CTRL_PAUSED, 1, 200);
  }
  m.stopAtSeconds = Infinity;
}

class PageClock implements WallClock {
  private t0 = performance.now();
  private c0 = 0;
  constructor(m: Machine) { this.c0 = m.cycles; }
  waitUntil(m: Machine, cycle: number): void {
    heartbeat(m);
    if (Atomics.load(ctrl, CTRL_FAST) === 1) { this.t0 = performance.now(); this.c0 = m.cycles; return; }
    const due = this.t0 + ((Math.min(cycle, m.cycles + m.cpuHz / 20) - this.c0) / m.cpuHz) * 1000;
    const ms = due - performance.now();
    if (ms > 0) Atomics.wait(ctrl, CTRL_INPUT, Atomics.load(ctrl, CTRL_INPUT), Math.min(ms, 50));
    takeInput(m);
  }
  pollInput(m: Machine): boolean {
    heartbeat(m);
    return takeInput(m);
  }
}

function watch(m: Machine): void {
  m.on("serial", (b) => post({ type: "serial", bytes: [b] }));
  m.on("exception", (e) => post({ type: "exception", text: formatException(e), vectorOffset: e.vectorOffset, kind: e.kind }));
}

async function runLesson(step: number): Promise<string> {
  const s = LESSON_STEPS[step - 1];
  const functions: Record<string, HostFunction> = { ...GUEST_CALLABLE, kernel_main: s.kernel_main };
  if (s.handle_irq) functions.handle_irq = s.handle_irq;
  const provider = memoryFileProvider({ "include/arm/sysregs.h": sysregsH, "include/mm.h": mmH, "include/entry.h": entryH });
  const sources = [["boot.S", bootS], ["entry.S", entryS], ["irq.S", irqS], ["mm.S", mmS], ["utils.S", utilsS], ["lesson_helpers.S", helpersS]]
    .map(([name, text]) => ({ name, text }));
  const image = buildKernel({ sources, provider, hostSymbols: Object.keys(functions) });
  let clock: WallClock | undefined;
  const k = await bootKernel({ image, functions, get clock() { return clock; } });
  clock = new PageClock(k.m);
  watch(k.m);
  heartbeat(k.m, true);
  return k.run();
}

async function runImage(bytes: Uint8Array, kernelOld: boolean): Promise<string> {
  const m = await Machine.create();
  boot(m, bytes, { ...DEFAULT_BOOT, kernelOld });
  watch(m);
  const clock = new PageClock(m);
  for (;;) {
    heartbeat(m);
    takeInput(m);
    const fast = Atomics.load(ctrl, CTRL_FAST) === 1;
    const r = m.run({ maxInsns: 2_000_000, untilSeconds: fast ? undefined : m.seconds + 0.02 });
    if (r.reason === "exit" || (r.reason === "halted" && fast)) return r.reason;
    if (!fast || r.reason === "halted") clock.waitUntil(m, m.cycles);
  }
}

self.onmessage = async (ev: MessageEvent<StartMessage>) => {
  const msg = ev.data;
  ctrl = new Int32Array(msg.ctrl, 0, 4);
  ring = new Uint8Array(msg.ctrl, RING_OFFSET, RING_SIZE);
  try {
    const reason = msg.type === "lesson" ? await runLesson(msg.step) : await runImage(msg.bytes, msg.kernelOld);
    post({ type: "stopped", reason });
  } catch (e) {
    if (e instanceof KernelStop) post({ type: "stopped", reason: e.reason });
    else post({ type: "error", message: (e as Error).message });
  }
};
