// timer.c: system timer compare channel 1 every `interval` microseconds.
import { get32, put32 } from "./utils.js";
import { printf } from "./printf.js";
import { TIMER_CLO, TIMER_C1, TIMER_CS, TIMER_CS_M1 } from "./peripherals/timer.js";

/** Microseconds between ticks: 200 ms, five ticks a second. */
export let interval = 200000;
let curVal = 0;

/** Not in the C code: tests and `--interval` change the period. */
export function set_interval(us: number): void {
  interval = us;
}

export function timer_init(): void {
  curVal = get32(TIMER_CLO);
  curVal = (curVal + interval) >>> 0; // unsigned int arithmetic, as in C
  put32(TIMER_C1, curVal);
}

export function handle_timer_irq(): void {
  curVal = (curVal + interval) >>> 0;
  put32(TIMER_C1, curVal);
  put32(TIMER_CS, TIMER_CS_M1); // acknowledge: without it the IRQ line stays high
  printf("Timer interrupt received\n\r");
}
