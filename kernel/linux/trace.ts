// ftrace-like events (irq_handler_entry/exit, softirq_entry/exit) and an
// optional function-call trace of the IRQ path, collected in order.

export interface TraceEvent { event: string; irq?: number; name?: string; ret?: string; vec?: number; cycle: number }

export const events: TraceEvent[] = [];
export const calls: string[] = [];
let tracingCalls = false;
let clock: () => number = () => 0;

export function setTraceClock(fn: () => number): void { clock = fn; }
export function trace(e: Omit<TraceEvent, "cycle">): void { events.push({ ...e, cycle: clock() }); }
export function traceCalls(on: boolean): void { tracingCalls = on; if (on) calls.length = 0; }
/** Records that a function of the IRQ path ran (when call tracing is on). */
export function fn(name: string): void { if (tracingCalls) calls.push(name); }
export function resetTrace(): void { events.length = 0; calls.length = 0; tracingCalls = false; }

export function formatEvent(e: TraceEvent): string {
  switch (e.event) {
    case "irq_handler_entry": return `irq_handler_entry: irq=${e.irq} name=${e.name}`;
    case "irq_handler_exit": return `irq_handler_exit: irq=${e.irq} ret=${e.ret}`;
    case "softirq_entry": return `softirq_entry: vec=${e.vec} [action=${e.name}]`;
    case "softirq_exit": return `softirq_exit: vec=${e.vec} [action=${e.name}]`;
    case "timer_expire_entry": return `timer_expire_entry: function=${e.name}`;
    case "timer_expire_exit": return `timer_expire_exit: function=${e.name}`;
    case "tasklet_entry": return `tasklet_entry: func=${e.name}`;
    case "tasklet_exit": return `tasklet_exit: func=${e.name}`;
    default: return e.event;
  }
}
