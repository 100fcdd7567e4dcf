// kernel/workqueue.c, reduced: schedule_work() queues a work item that the
// kworker thread runs later in process context (it may sleep).
import { kthread_create, wake_up_process, type task_struct } from "./sched.js";

export interface work_struct { func: (w: work_struct) => void; pending: boolean }

let queue: work_struct[] = [];
let worker: task_struct | undefined;

export function INIT_WORK(func: (w: work_struct) => void): work_struct { return { func, pending: false }; }

export function schedule_work(w: work_struct): boolean {
  if (w.pending) return false;
  w.pending = true;
  queue.push(w);
  if (worker) wake_up_process(worker);
  return true;
}

export function spawn_kworker(): void {
  worker = kthread_create("kworker/0:0", () => {
    const items = queue;
    queue = [];
    for (const w of items) { w.pending = false; w.func(w); }
  });
}

export function reset_workqueue(): void { queue = []; worker = undefined; }
