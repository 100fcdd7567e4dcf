// Timekeeping the Linux way: clock_event_device drivers for the BCM2835
// system timer (kernel/time/ + drivers/clocksource/bcm2835_timer.c) and the
// ARM generic timer (arm_arch_timer.c), a periodic tick that advances jiffies
// at HZ, and timer_list callbacks run from TIMER_SOFTIRQ.

import { get32, put32 } from "../utils.js";
import { board } from "../board.js";
import { fn, trace } from "./trace.js";
import { request_irq, IRQ_HANDLED, IRQ_NONE, type irqreturn_t } from "./irqdesc.js";
import { raise_softirq, open_softirq, TIMER_SOFTIRQ } from "./softirq.js";
import { gpu_irq } from "./irq-bcm2835.js";
import { local_domain, LOCAL_IRQ_CNTPNSIRQ } from "./irq-bcm2836.js";
import { irq_find_mapping } from "./irqdesc.js";

export const HZ = 100;
export let jiffies = 0;

export interface clock_event_device {
  name: string;
  irq: number;
  /** Program an interrupt `delta` device ticks from now. */
  set_next_event(delta: number): void;
  /** Device ticks in one jiffy. */
  ticksPerJiffy: number;
  event_handler: (evt: clock_event_device) => void;
}

export interface timer_list { expires: number; function: (t: timer_list) => void; pending: boolean }

let timers: timer_list[] = [];

export function timer_setup(func: (t: timer_list) => void): timer_list { return { expires: 0, function: func, pending: false }; }
export function mod_timer(t: timer_list, expires: number): void {
  t.expires = expires;
  if (!t.pending) { t.pending = true; timers.push(t); }
}
export const add_timer = (t: timer_list) => mod_timer(t, t.expires);
export function del_timer(t: timer_list): boolean {
  const was = t.pending;
  timers = timers.filter((x) => x !== t);
  t.pending = false;
  return was;
}

/** TIMER_SOFTIRQ: run every timer whose time has come. */
export function run_timer_softirq(): void {
  fn("run_timer_softirq");
  const due = timers.filter((t) => t.expires <= jiffies).sort((a, b) => a.expires - b.expires);
  timers = timers.filter((t) => t.expires > jiffies);
  for (const t of due) {
    t.pending = false;
    trace({ event: "timer_expire_entry", name: t.function.name || "(anonymous)" });
    t.function(t);
    trace({ event: "timer_expire_exit", name: t.function.name || "(anonymous)" });
  }
}

function do_timer(): void { jiffies++; }

/** tick_handle_periodic: one jiffy, then the next tick. */
export function tick_handle_periodic(evt: clock_event_device): void {
  fn("tick_handle_periodic");
  do_timer();
  if (timers.length) raise_softirq(TIMER_SOFTIRQ); // run_local_timers
  evt.set_next_event(evt.ticksPerJiffy);
}

// ---- BCM2835 system timer, compare channel 3 ----

const TIMER_CS = 0x3f003000;
const TIMER_CLO = 0x3f003004;
const TIMER_C3 = 0x3f003018;
const TIMER_CS_M3 = 1 << 3;

function bcm2835_time_interrupt(_irq: number, dev_id: unknown): irqreturn_t {
  fn("bcm2835_time_interrupt");
  if (!(get32(TIMER_CS) & TIMER_CS_M3)) return IRQ_NONE;
  put32(TIMER_CS, TIMER_CS_M3);
  const evt = dev_id as clock_event_device;
  evt.event_handler(evt);
  return IRQ_HANDLED;
}

export function bcm2835_timer_init(): clock_event_device {
  const evt: clock_event_device = {
    name: "bcm2835-timer",
    irq: gpu_irq(3),
    ticksPerJiffy: 1000000 / HZ,
    set_next_event: (delta) => put32(TIMER_C3, (get32(TIMER_CLO) + delta) >>> 0),
    event_handler: tick_handle_periodic,
  };
  request_irq(evt.irq, bcm2835_time_interrupt, 0, "bcm2835_timer", evt);
  return evt;
}

// ---- ARM generic timer (CNTP of core 0) through the local controller ----

const ARCH_TIMER_CTRL_ENABLE = 1;
const ARCH_TIMER_CTRL_IT_MASK = 2;
const ARCH_TIMER_CTRL_IT_STAT = 4;

function arch_timer_handler_phys(_irq: number, dev_id: unknown): irqreturn_t {
  fn("arch_timer_handler_phys");
  const ctrl = Number(board().mrs("cntp_ctl_el0"));
  if (!(ctrl & ARCH_TIMER_CTRL_IT_STAT)) return IRQ_NONE;
  board().msr("cntp_ctl_el0", ctrl | ARCH_TIMER_CTRL_IT_MASK);
  const evt = dev_id as clock_event_device;
  evt.event_handler(evt);
  return IRQ_HANDLED;
}

export function arch_timer_init(): clock_event_device {
  const freq = Number(board().mrs("cntfrq_el0"));
  const evt: clock_event_device = {
    name: "arch_sys_timer",
    irq: irq_find_mapping(local_domain!, LOCAL_IRQ_CNTPNSIRQ),
    ticksPerJiffy: Math.round(freq / HZ),
    set_next_event: (delta) => {
      board().msr("cntp_tval_el0", delta);
      board().msr("cntp_ctl_el0", ARCH_TIMER_CTRL_ENABLE);
    },
    event_handler: tick_handle_periodic,
  };
  request_irq(evt.irq, arch_timer_handler_phys, 0, "arch_timer", evt);
  return evt;
}

export function time_init(which: "bcm2835" | "arch_timer"): clock_event_device {
  open_softirq(TIMER_SOFTIRQ, run_timer_softirq);
  const evt = which === "arch_timer" ? arch_timer_init() : bcm2835_timer_init();
  evt.set_next_event(evt.ticksPerJiffy);
  return evt;
}

export function reset_time(): void { jiffies = 0; timers = []; }
