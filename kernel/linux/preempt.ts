// include/linux/preempt.h: the interrupt-context bookkeeping of preempt_count.
// Bits 0-7 count preempt_disable nesting, 8-15 softirq, 16-19 hardirq, as in Linux.

import { printk } from "./printk.js";

export const PREEMPT_SHIFT = 0;
export const SOFTIRQ_SHIFT = 8;
export const HARDIRQ_SHIFT = 16;
export const PREEMPT_OFFSET = 1 << PREEMPT_SHIFT;
export const SOFTIRQ_OFFSET = 1 << SOFTIRQ_SHIFT;
export const HARDIRQ_OFFSET = 1 << HARDIRQ_SHIFT;
export const PREEMPT_MASK = 0xff << PREEMPT_SHIFT;
export const SOFTIRQ_MASK = 0xff << SOFTIRQ_SHIFT;
export const HARDIRQ_MASK = 0xf << HARDIRQ_SHIFT;

let count = 0;

export function preempt_count(): number { return count; }
export function preempt_count_add(v: number): void { count += v; }
export function preempt_count_sub(v: number): void { count -= v; }
export function preempt_count_reset(): void { count = 0; }

/** In a hardirq handler or a softirq (or with bottom halves disabled). */
export function in_interrupt(): boolean { return (count & (HARDIRQ_MASK | SOFTIRQ_MASK)) !== 0; }
export function in_irq(): boolean { return (count & HARDIRQ_MASK) !== 0; }
export function in_softirq(): boolean { return (count & SOFTIRQ_MASK) !== 0; }
export function in_atomic(): boolean { return count !== 0; }

export const GFP_KERNEL = "GFP_KERNEL";
export const GFP_ATOMIC = "GFP_ATOMIC";

/** The allocation flags a driver picks: it may not sleep in interrupt context. */
export function gfp_for_context(): typeof GFP_KERNEL | typeof GFP_ATOMIC {
  return in_interrupt() ? GFP_ATOMIC : GFP_KERNEL;
}

/**
 * might_sleep(): sleeping is a bug in atomic context. Like Linux, the kernel
 * prints the BUG line (and here refuses to sleep) instead of going on silently.
 * Returns false when the caller must not sleep.
 */
export function might_sleep(where: string): boolean {
  if (!in_atomic()) return true;
  printk(`BUG: scheduling while atomic: ${where}/0x${count.toString(16).padStart(8, "0")}`);
  return false;
}
