// The Linux-shaped IRQ layer (kernel/linux/) on the emulated Pi, in virtual time.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { guestPath } from "./support/guest.js";
import { bootLinux } from "../kernel/linux/index.js";
import { get32, put32 } from "../kernel/utils.js";
import {
  request_irq, request_threaded_irq, free_irq, disable_irq, enable_irq, irq_to_desc, irq_create_mapping, show_interrupts,
  IRQ_HANDLED, IRQ_NONE, IRQ_WAKE_THREAD, IRQF_SHARED,
} from "../kernel/linux/irqdesc.js";
import { armctrl_domain, MAKE_HWIRQ, gpu_irq } from "../kernel/linux/irq-bcm2835.js";
import { in_interrupt, in_irq, in_softirq, gfp_for_context, might_sleep } from "../kernel/linux/preempt.js";
import { tasklet_init, tasklet_schedule } from "../kernel/linux/softirq.js";
import { INIT_WORK, schedule_work } from "../kernel/linux/workqueue.js";
import { jiffies, HZ, timer_setup, mod_timer } from "../kernel/linux/time.js";
import { calls, traceCalls, events } from "../kernel/linux/trace.js";
import { log } from "../kernel/linux/printk.js";
import { received, aux_irq, tick_device } from "../kernel/linux/main.js";

// The ARM timer (basic IRQ 0) is the test device: the tests own it completely.
const ARM_TIMER_LOAD = 0x3f00b400;
const ARM_TIMER_CONTROL = 0x3f00b408;
const ARM_TIMER_IRQ_CLR_ACK = 0x3f00b40c;
const ENABLE_IRQS_1 = 0x3f00b210;
/** Fires every `ticks` of the ARM timer clock (~1.98 MHz with the reset pre-divider). */
function startArmTimer(ticks: number): void {
  put32(ARM_TIMER_LOAD, ticks);
  put32(ARM_TIMER_CONTROL, (1 << 7) | (1 << 5) | (1 << 1)); // enable, interrupt enable, 32-bit
}
const armTimerIrq = () => irq_create_mapping(armctrl_domain!, MAKE_HWIRQ(0, 0));

describe("Linux IRQ layer", () => {
  it("one timer IRQ goes vector -> handle_arch_irq -> chained bcm2835 -> flow -> action", async () => {
    const k = await bootLinux({ seconds: 1 });
    let traced = -1;
    k.runUntil(() => {
      if (in_interrupt()) return undefined;
      if (jiffies >= 10 && traced < 0) { traceCalls(true); traced = jiffies; }
      return traced >= 0 && jiffies > traced ? "traced" : undefined;
    });
    expect(calls).toEqual([
      "el1_irq", "irq_enter", "handle_arch_irq", "bcm2836_arm_irqchip_handle_irq", "generic_handle_irq",
      "bcm2836_chained_handle_irq", "generic_handle_irq", "handle_level_irq", "handle_irq_event",
      "__handle_irq_event_percpu", "action->handler(bcm2835_timer)", "bcm2835_time_interrupt", "tick_handle_periodic", "irq_exit",
    ]);
    traceCalls(false);
  });

  it("jiffies advance by HZ per virtual second; the timer's per-IRQ count matches", async () => {
    const k = await bootLinux({ seconds: 3.005 });
    k.runUntil(() => undefined);
    expect(jiffies).toBe(3 * HZ);
    const desc = irq_to_desc(tick_device!.irq)!;
    expect(desc.kstat_irqs[0]).toBe(3 * HZ);
    expect(show_interrupts(1)).toMatch(new RegExp(`\\s${tick_device!.irq}:\\s+${3 * HZ}\\s+ARMCTRL-level\\s+35 Edge\\s+bcm2835_timer`));
  });

  it("the generic timer through the local controller drives the tick too (exercise 1)", async () => {
    const k = await bootLinux({ seconds: 1.005, clockevent: "arch_timer" });
    k.runUntil(() => undefined);
    expect(tick_device!.name).toBe("arch_sys_timer");
    expect(jiffies).toBe(HZ);
    expect(show_interrupts(1)).toMatch(/bcm2836-timer\s+1 Edge\s+arch_timer/);
  });

  it("the AUX (mini UART) IRQ is dispatched through the chained controller (exercise 2)", async () => {
    const k = await bootLinux({ seconds: 0.5 });
    k.runUntil(() => {
      if (!in_interrupt() && jiffies === 5 && !calls.length) { traceCalls(true); k.m.input("ok"); }
      return received.length >= 2 ? "received" : undefined;
    });
    expect(received.join("")).toBe("ok");
    expect(calls).toContain("bcm2836_chained_handle_irq");
    expect(calls).toContain("action->handler(uart-pl011-aux)");
    expect(irq_to_desc(aux_irq)!.kstat_irqs[0]).toBeGreaterThanOrEqual(1);
    traceCalls(false);
  });

  it("IRQF_SHARED: both handlers run; one returns IRQ_NONE; sharing without the flag is refused", async () => {
    const seen: string[] = [];
    let busy = 0;
    const k = await bootLinux({
      seconds: 0.2,
      late_init: () => {
        const irq = armTimerIrq();
        request_irq(irq, () => { seen.push("a"); return IRQ_NONE; }, IRQF_SHARED, "dev-a", "a");
        request_irq(irq, () => { seen.push("b"); put32(ARM_TIMER_IRQ_CLR_ACK, 1); return IRQ_HANDLED; }, IRQF_SHARED, "dev-b", "b");
        busy = request_irq(irq, () => IRQ_HANDLED, 0, "dev-c", "c");
        startArmTimer(19800); // ~10 ms
      },
    });
    k.runUntil(() => (seen.length >= 6 ? "done" : undefined));
    expect(seen.slice(0, 6)).toEqual(["a", "b", "a", "b", "a", "b"]);
    expect(busy).toBe(-16);
    expect(log.some((l) => l.startsWith("genirq: Flags mismatch irq"))).toBe(true);
    expect(show_interrupts(1)).toMatch(/dev-a, dev-b/);
  });

  it("disable_irq nests: the line stays masked until as many enable_irq calls", async () => {
    const states: number[] = [];
    const k = await bootLinux({
      seconds: 0.05,
      late_init: () => {
        const irq = tick_device!.irq; // GPU IRQ 3
        const enabled = () => (get32(ENABLE_IRQS_1) >> 3) & 1;
        states.push(enabled());
        disable_irq(irq); disable_irq(irq); states.push(enabled());
        enable_irq(irq); states.push(enabled());
        enable_irq(irq); states.push(enabled());
        expect(irq_to_desc(irq)!.depth).toBe(0);
      },
    });
    k.runUntil(() => undefined);
    expect(states).toEqual([1, 0, 0, 1]);
    expect(jiffies).toBeGreaterThan(0);
  });

  it("in_interrupt() is true in the handler and the softirq, false in process context; GFP flags follow", async () => {
    const ctx: Record<string, unknown> = {};
    const t = tasklet_init(() => { ctx.tasklet = [in_interrupt(), in_irq(), in_softirq(), gfp_for_context()]; }, null);
    const w = INIT_WORK(() => { ctx.work = [in_interrupt(), gfp_for_context()]; });
    const k = await bootLinux({
      seconds: 0.2,
      late_init: () => {
        ctx.boot = [in_interrupt(), gfp_for_context()];
        request_irq(armTimerIrq(), () => {
          put32(ARM_TIMER_IRQ_CLR_ACK, 1);
          ctx.handler ??= [in_interrupt(), in_irq(), in_softirq(), gfp_for_context()];
          tasklet_schedule(t);
          schedule_work(w);
          return IRQ_HANDLED;
        }, 0, "ctx-test", null);
        startArmTimer(19800);
      },
    });
    k.runUntil(() => (ctx.work ? "done" : undefined));
    expect(ctx.boot).toEqual([false, "GFP_KERNEL"]);
    expect(ctx.handler).toEqual([true, true, false, "GFP_ATOMIC"]);
    expect(ctx.tasklet).toEqual([true, false, true, "GFP_ATOMIC"]);
    expect(ctx.work).toEqual([false, "GFP_KERNEL"]);
  });

  it("a tasklet scheduled twice before it runs runs once; softirq events are traced", async () => {
    const t = tasklet_init(() => {}, null);
    const k = await bootLinux({
      seconds: 0.2,
      late_init: () => {
        request_irq(armTimerIrq(), () => {
          put32(ARM_TIMER_IRQ_CLR_ACK, 1);
          if (t.count === 0) { tasklet_schedule(t); tasklet_schedule(t); }
          return IRQ_HANDLED;
        }, 0, "tasklet-test", null);
        startArmTimer(19800);
      },
    });
    k.runUntil(() => (t.count > 0 && jiffies > 15 ? "done" : undefined));
    expect(t.count).toBe(1);
    expect(events.some((e) => e.event === "softirq_entry" && e.name === "TASKLET")).toBe(true);
  });

  it("a work item runs in process context after the handler returned", async () => {
    const order: string[] = [];
    const w = INIT_WORK(() => order.push(`work (in_interrupt=${in_interrupt()})`));
    const k = await bootLinux({
      seconds: 0.2,
      late_init: () => {
        request_irq(armTimerIrq(), () => {
          put32(ARM_TIMER_IRQ_CLR_ACK, 1);
          if (!order.length) { order.push("handler start"); schedule_work(w); order.push("handler end"); }
          return IRQ_HANDLED;
        }, 0, "work-test", null);
        startArmTimer(19800);
      },
    });
    k.runUntil(() => (order.length >= 3 ? "done" : undefined));
    expect(order).toEqual(["handler start", "handler end", "work (in_interrupt=false)"]);
  });

  it("IRQ_WAKE_THREAD wakes irq/<n>-<name>, which runs thread_fn in process context", async () => {
    const order: string[] = [];
    const k = await bootLinux({
      seconds: 0.2,
      late_init: () => {
        request_threaded_irq(armTimerIrq(), () => {
          put32(ARM_TIMER_IRQ_CLR_ACK, 1);
          put32(ARM_TIMER_CONTROL, 0); // one shot
          order.push("hardirq");
          return IRQ_WAKE_THREAD;
        }, (irq) => { order.push(`thread irq=${irq} atomic=${in_interrupt()}`); return IRQ_HANDLED; }, 0, "threaded", null);
        startArmTimer(19800);
      },
    });
    k.runUntil(() => (order.length >= 2 ? "done" : undefined));
    expect(order).toEqual(["hardirq", `thread irq=${armTimerIrq()} atomic=false`]);
  });

  it("timer_list callbacks run from TIMER_SOFTIRQ at their jiffy", async () => {
    const fired: number[] = [];
    const k = await bootLinux({
      seconds: 0.5,
      late_init: () => {
        const t = timer_setup(() => { fired.push(jiffies); if (fired.length < 3) mod_timer(t, jiffies + 10); });
        mod_timer(t, 10);
      },
    });
    k.runUntil(() => (fired.length >= 3 ? "done" : undefined));
    expect(fired).toEqual([10, 20, 30]);
  });

  it("sleeping in interrupt context is reported: BUG: scheduling while atomic", async () => {
    const k = await bootLinux({
      seconds: 0.1,
      late_init: () => {
        request_irq(armTimerIrq(), () => {
          put32(ARM_TIMER_IRQ_CLR_ACK, 1);
          put32(ARM_TIMER_CONTROL, 0);
          might_sleep("irq-handler");
          return IRQ_HANDLED;
        }, 0, "sleepy", null);
        startArmTimer(19800);
      },
    });
    k.runUntil(() => (log.some((l) => l.startsWith("BUG:")) ? "bug" : undefined));
    expect(log.find((l) => l.startsWith("BUG:"))).toBe("BUG: scheduling while atomic: irq-handler/0x00010000");
  });

  it("free_irq removes one action of a shared line", async () => {
    const k = await bootLinux({
      seconds: 0.01,
      late_init: () => {
        const irq = gpu_irq(57);
        request_irq(irq, () => IRQ_NONE, IRQF_SHARED, "one", 1);
        request_irq(irq, () => IRQ_NONE, IRQF_SHARED, "two", 2);
        expect(free_irq(irq, 1)).toBe("one");
        expect(irq_to_desc(irq)!.action!.name).toBe("two");
      },
    });
    expect(k.runUntil(() => undefined)).toMatch(/time limit|s of virtual time/);
  });
});

describe("/proc/interrupts as real Linux lays it out", () => {
  // Real Linux's (Debian 6.1 on QEMU raspi3b, our /init printed it): the reference layout.
  const real = readFileSync(guestPath("linux/qemu-proc-interrupts.txt"), "utf8").split("\n");
  const column = (line: string, word: string) => line.indexOf(word);

  it("same columns: header, counts, chip, hwirq, Edge, action; no chained or idle lines; Err last", async () => {
    const k = await bootLinux({ seconds: 0.5 });
    k.runUntil(() => undefined);
    const ours = show_interrupts(4).split("\n");
    expect(ours[0]).toBe(real[0]);
    const realUart = real.find((l) => l.includes("uart-pl011"))!;
    const ourTimer = ours.find((l) => l.includes("bcm2835_timer"))!;
    for (const w of ["ARMCTRL-level", "Edge"]) expect(column(ourTimer, w)).toBe(column(realUart, w));
    expect(column(ourTimer, "bcm2835_timer")).toBe(column(realUart, "uart-pl011"));
    expect(ours.some((l) => l.includes("bcm2836-gpu"))).toBe(false); // the chained GPU line is hidden, as in Linux
    expect(ours.filter((l) => l.startsWith("Err:"))).toEqual(real.filter((l) => l.startsWith("Err:")));
  });

  it("the local controller's timer lines are on chip bcm2836-timer, as in Linux", async () => {
    const k = await bootLinux({ seconds: 0.1, clockevent: "arch_timer" });
    k.runUntil(() => undefined);
    const ours = show_interrupts(4).split("\n").find((l) => l.includes("arch_timer"))!;
    const theirs = real.find((l) => l.includes("arch_timer"))!;
    expect(ours.slice(column(ours, "bcm2836-timer"))).toBe(theirs.slice(column(theirs, "bcm2836-timer")));
  });
});

describe("the traced tick of the demo (npm run lesson -- --linux)", () => {
  it("shows the bottom half: a timer_list expiring in TIMER_SOFTIRQ schedules a tasklet that runs in TASKLET_SOFTIRQ", async () => {
    const { linuxDemo } = await import("../kernel/linux/index.js");
    let text = "";
    await linuxDemo((s) => { text += s; }, () => {});
    const order = ["irq_handler_entry: irq=", "irq_handler_exit", "softirq_entry: vec=1 [action=TIMER]", "timer_expire_entry: function=demo_timer_fn",
      "softirq_exit: vec=1 [action=TIMER]", "softirq_entry: vec=6 [action=TASKLET]", "tasklet_entry: func=demo_tasklet_func", "softirq_exit: vec=6"];
    const at = order.map((s) => text.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toMatch(/irq_exit -> __do_softirq -> run_timer_softirq -> demo_timer_fn -> tasklet_action -> demo_tasklet_func/);
  });
});
