// kernel/softirq.c: softirqs raised in the top half run in irq_exit() with a
// restart budget; what is left goes to ksoftirqd. Tasklets ride on
// TASKLET_SOFTIRQ. (Linux unmasks IRQs while softirqs run; here they stay
// masked, because host code is only interruptible at hardware accesses.)

import { preempt_count_add, preempt_count_sub, in_interrupt, HARDIRQ_OFFSET, SOFTIRQ_OFFSET } from "./preempt.js";
import { kthread_create, wake_up_process, type task_struct } from "./sched.js";
import { fn, trace } from "./trace.js";

export const HI_SOFTIRQ = 0;
export const TIMER_SOFTIRQ = 1;
export const NET_TX_SOFTIRQ = 2;
export const NET_RX_SOFTIRQ = 3;
export const BLOCK_SOFTIRQ = 4;
export const IRQ_POLL_SOFTIRQ = 5;
export const TASKLET_SOFTIRQ = 6;
export const SCHED_SOFTIRQ = 7;
export const HRTIMER_SOFTIRQ = 8;
export const RCU_SOFTIRQ = 9;
export const NR_SOFTIRQS = 10;
export const softirq_to_name = ["HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU"];

/** __do_softirq restarts at most this often before leaving the rest to ksoftirqd. */
export const MAX_SOFTIRQ_RESTART = 10;

const actions: ((() => void) | undefined)[] = new Array(NR_SOFTIRQS);
let pending = 0;
let ksoftirqd: task_struct | undefined;
export const softirq_counts = new Array<number>(NR_SOFTIRQS).fill(0);

export function open_softirq(nr: number, action: () => void): void { actions[nr] = action; }
export function local_softirq_pending(): number { return pending; }

export function raise_softirq_irqoff(nr: number): void {
  pending |= 1 << nr;
  // Outside interrupt context nobody will run irq_exit soon: wake ksoftirqd.
  if (!in_interrupt()) wakeup_softirqd();
}
export const raise_softirq = raise_softirq_irqoff;

function wakeup_softirqd(): void { if (ksoftirqd) wake_up_process(ksoftirqd); }

export function __do_softirq(): void {
  fn("__do_softirq");
  preempt_count_add(SOFTIRQ_OFFSET);
  let restart = MAX_SOFTIRQ_RESTART;
  try {
    do {
      let p = pending;
      pending = 0;
      for (let nr = 0; p; nr++, p >>= 1) {
        if (!(p & 1)) continue;
        trace({ event: "softirq_entry", vec: nr, name: softirq_to_name[nr] });
        softirq_counts[nr]++;
        actions[nr]?.();
        trace({ event: "softirq_exit", vec: nr, name: softirq_to_name[nr] });
      }
    } while (pending && --restart > 0);
  } finally {
    preempt_count_sub(SOFTIRQ_OFFSET);
  }
  if (pending) wakeup_softirqd();
}

export function irq_enter(): void {
  fn("irq_enter");
  preempt_count_add(HARDIRQ_OFFSET);
}

export function irq_exit(): void {
  fn("irq_exit");
  preempt_count_sub(HARDIRQ_OFFSET);
  if (!in_interrupt() && pending) __do_softirq();
}

export function spawn_ksoftirqd(): void {
  ksoftirqd = kthread_create("ksoftirqd/0", () => { if (pending) __do_softirq(); });
}

// ---- tasklets ----

const TASKLET_STATE_SCHED = 1;
export interface tasklet_struct { func: (data: unknown) => void; data: unknown; state: number; count: number }

let taskletList: tasklet_struct[] = [];

export function tasklet_init(func: (data: unknown) => void, data: unknown): tasklet_struct {
  return { func, data, state: 0, count: 0 };
}

/** Queues the tasklet unless it is already queued: two schedules before it runs run it once. */
export function tasklet_schedule(t: tasklet_struct): void {
  if (t.state & TASKLET_STATE_SCHED) return;
  t.state |= TASKLET_STATE_SCHED;
  taskletList.push(t);
  raise_softirq_irqoff(TASKLET_SOFTIRQ);
}

export function tasklet_action(): void {
  fn("tasklet_action");
  const list = taskletList;
  taskletList = [];
  for (const t of list) {
    t.state &= ~TASKLET_STATE_SCHED;
    t.count++;
    trace({ event: "tasklet_entry", name: t.func.name || "(anonymous)" });
    t.func(t.data);
    trace({ event: "tasklet_exit", name: t.func.name || "(anonymous)" });
  }
}

export function reset_softirqs(): void {
  pending = 0;
  taskletList = [];
  ksoftirqd = undefined;
  softirq_counts.fill(0);
  actions.fill(undefined);
}
