// Lesson 3 step by step (`npm run lesson -- --step N`): each step is the
// kernel as it stands after one part of the lesson, built from the same
// modules with one function replaced, and an explanation of what to watch.

import { bootKernel, buildKernel, BOOT_FILES, GUEST_CALLABLE, KernelStop } from "./index.js";
import { board, type WallClock, type HostFunction } from "./board.js";
import { uart_init, uart_send, uart_recv, putc } from "./mini_uart.js";
import { init_printf, printf } from "./printf.js";
import { timer_init, handle_timer_irq, interval } from "./timer.js";
import { enable_interrupt_controller, handle_irq } from "./irq.js";
import { get32, put32, delay } from "./utils.js";
import { TIMER_CLO, TIMER_CS, TIMER_C1, TIMER_C3, TIMER_CS_M3 } from "./peripherals/timer.js";
import { IRQ_PENDING_1, ENABLE_IRQS_1, SYSTEM_TIMER_IRQ_3 } from "./peripherals/irq.js";
import { formatException } from "../host/trace.js";
import type { Machine } from "../host/machine.js";

const guest = (name: string) => board().guest(name);
const setup = () => { uart_init(); init_printf(0, putc); };
const echoForever = () => { for (;;) uart_send(uart_recv()); };
/** kernel_main with the lesson's set-up; the steps that differ only in handle_irq use it. */
const timerKernelMain = () => {
  setup();
  guest("irq_vector_init");
  timer_init();
  enable_interrupt_controller();
  guest("enable_irq");
  echoForever();
};

/** CLO at the first tick of step 7's storm. */
let stormStart = 0;

export interface LessonStep {
  title: string;
  /** What to look for, printed before the step runs. */
  explain: string;
  kernel_main: HostFunction;
  handle_irq?: HostFunction;
  /** Print this many exception-trace lines (0: none). */
  traceExceptions?: number;
  /** Virtual seconds a --virtual run of this step lasts (default: the caller's). */
  seconds?: number;
}

export const LESSON_STEPS: LessonStep[] = [
  {
    title: "vector table and handle_invalid_entry: an SVC lands in SYNC_INVALID_EL1h",
    explain: "irq_vector_init points VBAR_EL1 at entry.S's table; an svc from EL1h takes vector +0x200, which handle_invalid_entry reports.",
    kernel_main: () => {
      setup();
      guest("irq_vector_init");
      printf("taking an svc at EL1h...\r\n");
      guest("take_svc");
    },
    traceExceptions: 3,
  },
  {
    title: "kernel_entry/kernel_exit: x1-x28 survive 5 timer interrupts",
    explain: "regs_survive_irqs fills x1-x28, waits in wfi for five IRQs and checks every register afterwards.",
    kernel_main: () => {
      setup();
      guest("irq_vector_init");
      timer_init();
      enable_interrupt_controller();
      guest("enable_irq");
      const bad = board().guest("regs_survive_irqs", 5);
      printf(bad === 0n ? "registers preserved across 5 interrupts\r\n" : "a register changed across an interrupt!\r\n");
      echoForever();
    },
  },
  {
    title: "without irq_vector_init: the first IRQ goes to VBAR_EL1's reset value",
    explain: "VBAR_EL1 is still 0, so the IRQ vectors to 0x280, into boot.S: watch the trace. What runs there is not a handler: zeros, undefined instructions whose SYNC exception vectors to 0x200, again zeros; the step ends at that exception storm (or 10 ms after the IRQ).",
    seconds: 0.21,
    kernel_main: () => {
      setup();
      printf("VBAR_EL1 = 0x%x: timer on, IRQs unmasked, no vector table\r\n", board().m.cores[0].sysreg("vbar_el1"));
      timer_init();
      enable_interrupt_controller();
      guest("enable_irq");
      echoForever();
    },
    traceExceptions: 4,
  },
  {
    title: "enable_irq/disable_irq: with DAIF.I set, a pending IRQ waits",
    explain: "The timer fires while IRQs are masked; CS.M1 stays set and nothing is taken until enable_irq's daifclr, at the very next instruction.",
    kernel_main: () => {
      setup();
      guest("irq_vector_init");
      timer_init();
      enable_interrupt_controller();
      guest("disable_irq");
      delay(interval * 1200); // delay(n) takes 2n cycles: 0.4 s of busy waiting; the compare matches at 0.2 s
      printf("masked: CS = %x, IRQ_PENDING_1 = %x; now enable_irq\r\n", get32(TIMER_CS), get32(IRQ_PENDING_1));
      guest("enable_irq");
      echoForever();
    },
    traceExceptions: 2,
  },
  {
    title: "without enable_interrupt_controller: CS.M1 is set, no IRQ reaches the core",
    explain: "The system timer matches, but ENABLE_IRQS_1 bit 1 is clear, so IRQ_PENDING_1 stays 0 and the core never sees it.",
    kernel_main: () => {
      setup();
      guest("irq_vector_init");
      timer_init();
      guest("enable_irq");
      for (let i = 0; i < 3; i++) {
        delay(interval * 1200);
        printf("CS = %x, IRQ_PENDING_1 = %x\r\n", get32(TIMER_CS), get32(IRQ_PENDING_1));
      }
      echoForever();
    },
  },
  {
    title: "handle_irq: an unknown pending IRQ is reported",
    explain: "Compare channel 3 is enabled instead of 1; handle_irq's switch does not know bit 3 and prints it. (This step acknowledges it afterwards, or it would fire again at once.)",
    kernel_main: () => {
      setup();
      guest("irq_vector_init");
      put32(TIMER_C3, (get32(TIMER_CLO) + interval) >>> 0);
      put32(ENABLE_IRQS_1, SYSTEM_TIMER_IRQ_3);
      guest("enable_irq");
      echoForever();
    },
    handle_irq: () => {
      handle_irq();
      put32(TIMER_C3, (get32(TIMER_CLO) + interval) >>> 0);
      put32(TIMER_CS, TIMER_CS_M3);
    },
  },
  {
    title: "timer_init without the acknowledge: an interrupt storm",
    explain: "handle_timer_irq re-arms C1 but never writes CS.M1: the line stays high and the IRQ is taken again right after each eret.",
    kernel_main: timerKernelMain,
    handle_irq: () => {
      put32(TIMER_C1, (get32(TIMER_C1) + interval) >>> 0);
      const clo = get32(TIMER_CLO);
      printf("tick at CLO = %u (no acknowledge)\r\n", clo);
      // m.ticks counts handlers returned from: this is the fifth when four have returned.
      if (board().m.ticks === 0) stormStart = clo;
      if (board().m.ticks >= 4) throw new KernelStop(`storm: 5 interrupts within ${clo - stormStart} us, each taken right after the previous eret`);
    },
    traceExceptions: 4,
  },
  {
    title: "handle_timer_irq: one tick per interval",
    explain: "With CS.M1 acknowledged the line drops; the next tick comes interval (200000 us) later.",
    kernel_main: timerKernelMain,
    handle_irq: () => {
      printf("CLO = %u: ", get32(TIMER_CLO));
      handle_timer_irq();
    },
  },
  {
    title: "kernel_main as the lesson has it",
    explain: "Timer interrupts five times a second while the main loop echoes what you type.",
    kernel_main: GUEST_CALLABLE.kernel_main,
  },
];

export interface StepOptions {
  /** Machine options (trace switches). */
  machine?: import("../host/machine.js").MachineOptions;
  /** Stop after this much virtual time (the step then exits 0). */
  seconds?: number;
  clockFor?: (m: Machine) => WallClock;
  onSerial: (byte: number) => void;
  /** Sets up the caller's trace; `exceptions`: it shows every exception (the step then adds none of its own). */
  trace?: (m: Machine) => { flush: () => void; exceptions?: boolean };
  note: (s: string) => void;
}

/** boot/*.S plus boot/lesson_helpers.S. */
export function lessonSources(): { name: string; text: string }[] {
  const fs = (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown } }).process?.getBuiltinModule?.("node:fs") as typeof import("node:fs");
  const dir = new URL("../boot/", import.meta.url);
  const alt = new URL("../../boot/", import.meta.url);
  const root = fs.existsSync(new URL("boot.S", dir)) ? dir : alt;
  const sources = [...BOOT_FILES, "lesson_helpers.S"].map((f) => ({ name: decodeURIComponent(new URL(f, root).pathname), text: fs.readFileSync(new URL(f, root), "utf8") }));
  return sources;
}

export async function runStep(n: number, opts: StepOptions): Promise<string> {
  const step = LESSON_STEPS[n - 1];
  if (opts.seconds !== undefined && step.seconds !== undefined) opts = { ...opts, seconds: Math.min(opts.seconds, step.seconds) };
  opts.note(`step ${n}: ${step.title}\n  ${step.explain}`);
  const functions: Record<string, HostFunction> = { ...GUEST_CALLABLE, kernel_main: step.kernel_main };
  if (step.handle_irq) functions.handle_irq = step.handle_irq;
  const sources = lessonSources();
  const image = buildKernel({ sources, hostSymbols: Object.keys(functions) });
  let clock: WallClock | undefined;
  const k = await bootKernel({
    image,
    functions,
    machine: opts.machine,
    seconds: opts.seconds,
    stopWhen: (m) => (opts.seconds !== undefined && m.seconds >= opts.seconds ? `${opts.seconds} s of virtual time` : undefined),
    get clock() { return clock; },
  });
  if (opts.clockFor) clock = opts.clockFor(k.m);
  k.m.on("serial", opts.onSerial);
  const t = opts.trace?.(k.m);
  // The step's own first few exception lines, unless the caller traces every exception already.
  let shown = 0;
  if (step.traceExceptions && !t?.exceptions) {
    k.m.on("exception", (e) => { if (shown++ < step.traceExceptions!) opts.note(`trace: ${formatException(e)}`); });
  }
  // A step whose guest ends in a spin loop with nothing scheduled stops as "halted".
  const reason = k.run();
  t?.flush();
  return reason;
}

