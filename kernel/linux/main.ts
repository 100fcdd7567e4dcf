// A Linux-shaped kernel_main on the same board: init_IRQ (the two irqchips),
// time_init (a clock-event device and jiffies), softirqs, kernel threads, the
// mini UART receive interrupt (lesson 3, exercise 2), then the idle loop.
// Booted by `npm run lesson -- --linux`; kernel/linux/*.test use it too.

import { board } from "../board.js";
import { uart_init, putc } from "../mini_uart.js";
import { init_printf } from "../printf.js";
import { get32, put32 } from "../utils.js";
import { fn } from "./trace.js";
import { printk } from "./printk.js";
import { preempt_count_reset } from "./preempt.js";
import { irq_enter, irq_exit, open_softirq, TASKLET_SOFTIRQ, tasklet_action, spawn_ksoftirqd, reset_softirqs } from "./softirq.js";
import { schedule, reset_tasks } from "./sched.js";
import { spawn_kworker, reset_workqueue } from "./workqueue.js";
import { request_irq, reset_irqs, IRQ_HANDLED, IRQ_NONE, type irqreturn_t } from "./irqdesc.js";
import { bcm2836_arm_irqchip_l1_intc_of_init, bcm2836_arm_irqchip_handle_irq } from "./irq-bcm2836.js";
import { bcm2836_armctrl_of_init, gpu_irq } from "./irq-bcm2835.js";
import { time_init, reset_time, type clock_event_device } from "./time.js";

let handle_arch_irq: (() => void) | undefined;

/** set_handle_irq(): the root controller says who handles the CPU's IRQ exception. */
export function set_handle_irq(handler: () => void): void { handle_arch_irq = handler; }

/** Bound to the guest symbol `handle_irq`: entry.S's el1_irq calls it between kernel_entry and kernel_exit. */
export function linux_handle_irq(): void {
  fn("el1_irq");
  irq_enter();
  fn("handle_arch_irq");
  handle_arch_irq?.();
  irq_exit();
}

export function init_IRQ(): void {
  bcm2836_arm_irqchip_l1_intc_of_init();
  set_handle_irq(bcm2836_arm_irqchip_handle_irq);
  bcm2836_armctrl_of_init();
}

// ---- the mini UART receive interrupt (exercise 2) ----

const AUX_MU_IO_REG = 0x3f215040;
const AUX_MU_IER_REG = 0x3f215044;
const AUX_MU_IIR_REG = 0x3f215048;
const GPU_IRQ_AUX = 29;

export const received: string[] = [];

function aux_uart_interrupt(_irq: number, _dev: unknown): irqreturn_t {
  fn("aux_uart_interrupt");
  let handled = false;
  while ((get32(AUX_MU_IIR_REG) & 0x6) === 0x4) {
    const c = get32(AUX_MU_IO_REG) & 0xff;
    received.push(String.fromCharCode(c));
    putc(0, c);
    handled = true;
  }
  return handled ? IRQ_HANDLED : IRQ_NONE;
}

export interface LinuxOptions {
  clockevent?: "bcm2835" | "arch_timer";
  /** Called once the IRQ layer and the tick are up, before the idle loop (tests register drivers here). */
  late_init?: () => void;
}

export let tick_device: clock_event_device | undefined;
export let aux_irq = 0;

/** Clears every table, so a new boot starts from scratch (tests boot many times). */
export function reset_linux(): void {
  reset_irqs(); reset_softirqs(); reset_tasks(); reset_workqueue(); reset_time(); preempt_count_reset();
  received.length = 0;
  handle_arch_irq = undefined;
}

export function start_kernel(opts: LinuxOptions = {}): void {
  reset_linux();
  uart_init();
  init_printf(0, putc);
  board().guest("irq_vector_init");
  printk("Booting Linux-style IRQ layer on an emulated BCM2837");
  init_IRQ();
  open_softirq(TASKLET_SOFTIRQ, tasklet_action);
  spawn_ksoftirqd();
  spawn_kworker();
  tick_device = time_init(opts.clockevent ?? "bcm2835");
  printk(`clockevent: ${tick_device.name}, HZ=100`);
  aux_irq = gpu_irq(GPU_IRQ_AUX);
  request_irq(aux_irq, aux_uart_interrupt, 0, "uart-pl011-aux", undefined);
  put32(AUX_MU_IER_REG, 1); // receive interrupts
  opts.late_init?.();
  board().guest("enable_irq"); // local_irq_enable()
  // The idle task: run what is runnable, then wait for an interrupt.
  for (;;) {
    while (schedule()) { /* drain */ }
    board().guest("cpu_do_idle");
    board().checkpoint();
  }
}
