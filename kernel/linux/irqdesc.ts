// The generic IRQ layer (kernel/irq/ in Linux): irq_desc, irqaction, irq_chip,
// irq_domain, request_irq/free_irq, enable_irq/disable_irq, the flow handlers
// and /proc/interrupts. Names and call chain follow Linux so the chapters on
// interrupt handling read side by side with this file.

import { fn, trace } from "./trace.js";
import { wake_up_irq_thread, create_irq_thread } from "./sched.js";
import { printk } from "./printk.js";

export enum irqreturn_t { IRQ_NONE = 0, IRQ_HANDLED = 1, IRQ_WAKE_THREAD = 2 }
export const IRQ_NONE = irqreturn_t.IRQ_NONE;
export const IRQ_HANDLED = irqreturn_t.IRQ_HANDLED;
export const IRQ_WAKE_THREAD = irqreturn_t.IRQ_WAKE_THREAD;

export const IRQF_SHARED = 0x80;
export const IRQF_ONESHOT = 0x2000;

export type irq_handler_t = (irq: number, dev_id: unknown) => irqreturn_t;

export interface irqaction {
  handler: irq_handler_t;
  thread_fn?: irq_handler_t;
  dev_id: unknown;
  flags: number;
  name: string;
  irq: number;
  next?: irqaction;
  /** Set by IRQ_WAKE_THREAD; the irq/<n>-<name> thread runs thread_fn and clears it. */
  thread_pending?: boolean;
}

export interface irq_data { irq: number; hwirq: number; chip: irq_chip; domain: irq_domain }

export interface irq_chip {
  name: string;
  irq_mask(d: irq_data): void;
  irq_unmask(d: irq_data): void;
  irq_ack?(d: irq_data): void;
  irq_eoi?(d: irq_data): void;
}

export type irq_flow_handler_t = (desc: irq_desc) => void;

export interface irq_desc {
  irq_data: irq_data;
  handle_irq: irq_flow_handler_t;
  action?: irqaction;
  /** Interrupts handled, per CPU (kstat_irqs). */
  kstat_irqs: number[];
  /** disable_irq nesting: the line is masked while depth > 0. */
  depth: number;
  /** desc->name: shown after the trigger when set. */
  name: string;
  /** IRQD_LEVEL: the trigger type set for the line (irq_set_irq_type), shown as Level/Edge. */
  level: boolean;
  /** The line is a parent controller's input (irq_set_chained_handler). */
  chained?: boolean;
  irqs_unhandled: number;
}

const NR_CPUS = 4;
const descs: (irq_desc | undefined)[] = [];
let nextIrq = 1; // Linux keeps 0 unused

export function irq_to_desc(irq: number): irq_desc | undefined { return descs[irq]; }
export function all_irq_descs(): irq_desc[] { return descs.filter((d): d is irq_desc => !!d); }

export function reset_irqs(): void {
  descs.length = 0;
  nextIrq = 1;
  domains.length = 0;
}

// ---- irq_domain: hwirq -> Linux IRQ number ----

export interface irq_domain {
  name: string;
  /** Linear map: revmap[hwirq] = virq. */
  revmap: number[];
  chip: irq_chip;
  flow: irq_flow_handler_t;
}

const domains: irq_domain[] = [];

export function irq_domain_add_linear(name: string, size: number, chip: irq_chip, flow: irq_flow_handler_t): irq_domain {
  const d: irq_domain = { name, revmap: new Array(size).fill(0), chip, flow };
  domains.push(d);
  return d;
}

export function irq_create_mapping(domain: irq_domain, hwirq: number): number {
  if (domain.revmap[hwirq]) return domain.revmap[hwirq];
  const irq = nextIrq++;
  domain.revmap[hwirq] = irq;
  descs[irq] = {
    irq_data: { irq, hwirq, chip: domain.chip, domain },
    handle_irq: domain.flow,
    kstat_irqs: new Array(NR_CPUS).fill(0),
    depth: 1, // masked until an action is installed
    name: "", // Linux's irq_set_chip_and_handler() leaves desc->name unset
    level: false, // IRQD_LEVEL: no irq_set_irq_type(IRQ_TYPE_LEVEL_*) for these lines in the Pi's DT
    irqs_unhandled: 0,
  };
  return irq;
}

export function irq_find_mapping(domain: irq_domain, hwirq: number): number {
  return domain.revmap[hwirq] ?? 0;
}

/** Replaces the flow handler with a chained one (the line is a parent controller's input). */
export function irq_set_chained_handler(irq: number, handler: irq_flow_handler_t, _name?: string): void {
  const desc = descs[irq];
  if (!desc) throw new Error(`no irq ${irq}`);
  desc.handle_irq = handler; // Linux names no chained descriptor (desc->name stays unset)
  desc.chained = true;
  desc.depth = 0;
  desc.irq_data.chip.irq_unmask(desc.irq_data);
}

// ---- request_irq / free_irq ----

export class IrqError extends Error {}

export function request_threaded_irq(irq: number, handler: irq_handler_t | undefined, thread_fn: irq_handler_t | undefined, flags: number, name: string, dev_id: unknown): number {
  const desc = descs[irq];
  if (!desc) return -22; // -EINVAL
  if (!handler && !thread_fn) return -22;
  const action: irqaction = { handler: handler ?? (() => IRQ_WAKE_THREAD), thread_fn, dev_id, flags, name, irq };
  if (desc.action) {
    // Sharing needs IRQF_SHARED on every action.
    if (!(desc.action.flags & IRQF_SHARED) || !(flags & IRQF_SHARED)) {
      printk(`genirq: Flags mismatch irq ${irq}. ${hex(flags)} (${name}) vs. ${hex(desc.action.flags)} (${desc.action.name})`);
      return -16; // -EBUSY
    }
    let a = desc.action;
    while (a.next) a = a.next;
    a.next = action;
  } else {
    desc.action = action;
    desc.depth = 0;
    desc.irq_data.chip.irq_unmask(desc.irq_data);
  }
  if (thread_fn) create_irq_thread(action);
  return 0;
}

export function request_irq(irq: number, handler: irq_handler_t, flags: number, name: string, dev_id: unknown): number {
  return request_threaded_irq(irq, handler, undefined, flags, name, dev_id);
}

/** Removes the action with this dev_id; masks the line when none is left. Returns the name. */
export function free_irq(irq: number, dev_id: unknown): string | undefined {
  const desc = descs[irq];
  if (!desc) return undefined;
  let prev: irqaction | undefined;
  for (let a = desc.action; a; prev = a, a = a.next) {
    if (a.dev_id !== dev_id) continue;
    if (prev) prev.next = a.next; else desc.action = a.next;
    if (!desc.action) { desc.depth = 1; desc.irq_data.chip.irq_mask(desc.irq_data); }
    return a.name;
  }
  printk(`Trying to free already-free IRQ ${irq}`);
  return undefined;
}

/** Masks the line; nested calls need as many enable_irq calls. */
export function disable_irq(irq: number): void {
  const desc = descs[irq];
  if (!desc) return;
  if (desc.depth++ === 0) desc.irq_data.chip.irq_mask(desc.irq_data);
}

export function enable_irq(irq: number): void {
  const desc = descs[irq];
  if (!desc) return;
  if (desc.depth === 0) { printk(`Unbalanced enable for IRQ ${irq}`); return; }
  if (--desc.depth === 0) desc.irq_data.chip.irq_unmask(desc.irq_data);
}

// ---- the flow ----

let currentCpu = 0;
export function smp_processor_id(): number { return currentCpu; }

export function generic_handle_irq(irq: number): number {
  fn("generic_handle_irq");
  const desc = descs[irq];
  if (!desc) return -22;
  desc.handle_irq(desc);
  return 0;
}

/** Level-triggered flow: mask and ack, run the actions, unmask unless disabled meanwhile. */
export function handle_level_irq(desc: irq_desc): void {
  fn("handle_level_irq");
  const d = desc.irq_data;
  d.chip.irq_mask(d);
  d.chip.irq_ack?.(d);
  desc.kstat_irqs[currentCpu]++;
  if (!desc.action || desc.depth > 0) return; // no handler or disabled: stays masked
  handle_irq_event(desc);
  if (desc.depth === 0) d.chip.irq_unmask(d);
}

export function handle_irq_event(desc: irq_desc): irqreturn_t {
  fn("handle_irq_event");
  return __handle_irq_event_percpu(desc);
}

export function __handle_irq_event_percpu(desc: irq_desc): irqreturn_t {
  fn("__handle_irq_event_percpu");
  let retval = IRQ_NONE;
  for (let a = desc.action; a; a = a.next) {
    trace({ event: "irq_handler_entry", irq: desc.irq_data.irq, name: a.name });
    fn(`action->handler(${a.name})`);
    const res = a.handler(desc.irq_data.irq, a.dev_id);
    trace({ event: "irq_handler_exit", irq: desc.irq_data.irq, ret: res === IRQ_NONE ? "unhandled" : "handled" });
    if (res === IRQ_WAKE_THREAD) {
      a.thread_pending = true;
      wake_up_irq_thread(a);
    }
    retval |= res;
  }
  if (retval === IRQ_NONE) desc.irqs_unhandled++;
  return retval;
}

// ---- /proc/interrupts ----

/**
 * /proc/interrupts in the layout of Linux's show_interrupts() (kernel/irq/proc.c): "%*d: ",
 * "%10u " per CPU, " %8s" chip, " %*lu" hwirq, " %-8s" Level/Edge (the line's configured
 * trigger, IRQD_LEVEL, not its flow handler), "-%-8s" desc->name when set, "  %s" actions;
 * a line without an action, or a chained one, only while it has counted something; then "Err:".
 */
export function show_interrupts(cpus = 1): string {
  const prec = Math.max(3, String(nextIrq).length);
  const lines = [" ".repeat(prec + 8) + Array.from({ length: cpus }, (_, i) => `CPU${String(i).padEnd(8)}`).join("")];
  for (const d of all_irq_descs()) {
    const counts = d.kstat_irqs.slice(0, cpus);
    const any = counts.some((c) => c > 0);
    if ((!d.action || d.chained) && !any) continue;
    const names: string[] = [];
    for (let a = d.action; a; a = a.next) names.push(a.name);
    let line = `${String(d.irq_data.irq).padStart(prec)}: ` + counts.map((c) => `${String(c).padStart(10)} `).join("");
    line += ` ${d.irq_data.chip.name.padStart(8)} ${String(d.irq_data.hwirq).padStart(prec)} ${(d.level ? "Level" : "Edge").padEnd(8)}`;
    if (d.name) line += `-${d.name.padEnd(8)}`;
    if (names.length) line += `  ${names.join(", ")}`;
    lines.push(line);
  }
  lines.push(`${"Err".padStart(prec)}: ${"0".padStart(10)}`);
  return lines.join("\n") + "\n";
}

function hex(v: number): string { return "0x" + v.toString(16).padStart(8, "0"); }
