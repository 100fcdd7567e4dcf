// Booting the Linux-shaped kernel on the board, and the `--linux` demo.
import { bootKernel, buildKernel, GUEST_CALLABLE, type KernelRun } from "../index.js";
import { lessonSources } from "../lesson.js";
import type { WallClock } from "../board.js";
import { start_kernel, linux_handle_irq, type LinuxOptions } from "./main.js";
import { show_interrupts } from "./irqdesc.js";
import { events, calls, traceCalls, setTraceClock, formatEvent, resetTrace, fn } from "./trace.js";
import { jiffies, timer_setup, mod_timer } from "./time.js";
import { tasklet_init, tasklet_schedule } from "./softirq.js";
import { in_interrupt } from "./preempt.js";
import type { MachineOptions } from "../../host/machine.js";

export { show_interrupts } from "./irqdesc.js";

export interface LinuxBoot extends KernelRun {
  /** Runs until `until(m)` gives a reason (or the time limit); returns the reason. */
  runUntil(until: () => string | undefined): string;
}

export async function bootLinux(opts: LinuxOptions & { seconds?: number; clock?: WallClock; machine?: MachineOptions } = {}): Promise<LinuxBoot> {
  resetTrace();
  let stop: (() => string | undefined) | undefined;
  const functions = { ...GUEST_CALLABLE, kernel_main: () => start_kernel(opts), handle_irq: linux_handle_irq };
  const image = buildKernel({ sources: lessonSources(), hostSymbols: Object.keys(functions) });
  let k: KernelRun | undefined = undefined;
  k = await bootKernel({
    image, functions, seconds: opts.seconds, machine: opts.machine,
    stopWhen: () => stop?.(),
    get clock() { return opts.clock; },
  });
  const run = k;
  setTraceClock(() => run.m.cycles);
  let started = false;
  return {
    ...run,
    runUntil(until) {
      stop = until;
      if (!started) { started = true; return run.run(); }
      // Resuming is not possible once the TypeScript frames unwound: boot again instead.
      throw new Error("bootLinux: runUntil may be called once per boot");
    },
  };
}

/** `npm run lesson -- --linux`: one virtual second, /proc/interrupts, then the trace of one tick. */
export async function linuxDemo(out: (s: string) => void, onSerial: (b: number) => void): Promise<void> {
  const k = await bootLinux({ seconds: 2 });
  k.m.on("serial", onSerial);
  let traced = -1;
  // A bottom half to watch: a timer_list due at the traced tick, whose function (in TIMER_SOFTIRQ)
  // schedules a tasklet (which runs in TASKLET_SOFTIRQ of the same __do_softirq).
  const tasklet = tasklet_init(function demo_tasklet_func() { fn("demo_tasklet_func"); }, undefined);
  const timer = timer_setup(function demo_timer_fn() { fn("demo_timer_fn"); tasklet_schedule(tasklet); });
  const reason = k.runUntil(() => {
    // Start and stop in process context (the idle loop), so the trace holds one whole tick.
    if (in_interrupt()) return undefined;
    if (jiffies >= 100 && traced < 0) { traceCalls(true); events.length = 0; traced = jiffies; mod_timer(timer, jiffies + 1); }
    if (traced >= 0 && jiffies > traced) return "one tick traced";
    return undefined;
  });
  out(`stopped: ${reason}, jiffies = ${jiffies} after ${k.m.seconds.toFixed(3)} s of virtual time\n\n`);
  out("/proc/interrupts:\n" + show_interrupts(4) + "\n");
  out("call chain of one timer tick (top half, then the bottom half in irq_exit: a timer_list and a tasklet):\n  " + calls.join(" -> ") + "\n\n");
  out("trace events of that tick:\n" + events.map((e) => `  [${e.cycle}] ${formatEvent(e)}`).join("\n") + "\n");
  traceCalls(false);
}

/** The TypeScript layer's /proc/interrupts after `seconds` of virtual time (for `rpi-os linux`). */
export async function tsLayerInterrupts(seconds = 1): Promise<{ text: string; seconds: number }> {
  const k = await bootLinux({ seconds: seconds + 1 });
  k.runUntil(() => (!in_interrupt() && k.m.seconds >= seconds ? "done" : undefined));
  return { text: show_interrupts(4), seconds: k.m.seconds };
}
