// A cooperative stand-in for the scheduler: kernel threads (ksoftirqd,
// irq/<n>-<name>, kworker) are tasks the idle loop runs when they are
// runnable. "Process context" is code running from such a task with
// preempt_count 0; there is no preemption and no per-task stack.

import type { irqaction } from "./irqdesc.js";
import { might_sleep } from "./preempt.js";

export interface task_struct { comm: string; run: () => void; runnable: boolean; runs: number }

export const tasks: task_struct[] = [];
let current: task_struct | undefined;

export function kthread_create(comm: string, run: () => void): task_struct {
  const t: task_struct = { comm, run, runnable: false, runs: 0 };
  tasks.push(t);
  return t;
}

export function wake_up_process(t: task_struct): void { t.runnable = true; }
export function current_task(): task_struct | undefined { return current; }
export function reset_tasks(): void { tasks.length = 0; current = undefined; }

/** Runs every runnable task once; returns true if any ran. Sleeping in atomic context is a bug. */
export function schedule(): boolean {
  if (!might_sleep(current?.comm ?? "swapper/0")) return false;
  let ran = false;
  for (const t of tasks) {
    if (!t.runnable) continue;
    t.runnable = false;
    current = t;
    t.runs++;
    try { t.run(); } finally { current = undefined; }
    ran = true;
  }
  return ran;
}

const irqThreads = new Map<irqaction, task_struct>();

/** The irq/<n>-<name> thread of a threaded handler. */
export function create_irq_thread(action: irqaction): void {
  const t = kthread_create(`irq/${action.irq}-${action.name}`, () => {
    if (!action.thread_pending) return;
    action.thread_pending = false;
    action.thread_fn!(action.irq, action.dev_id);
  });
  irqThreads.set(action, t);
}

export function wake_up_irq_thread(action: irqaction): void {
  const t = irqThreads.get(action);
  if (t) wake_up_process(t);
}
