// kernel.c: kernel_main, called by boot.S once core 0 is at EL1 with a stack.
import { uart_init, uart_send, uart_recv, putc } from "./mini_uart.js";
import { init_printf } from "./printf.js";
import { timer_init } from "./timer.js";
import { enable_interrupt_controller } from "./irq.js";
import { board } from "./board.js";

// Assembly functions of irq.S, reached through the bridge.
const irq_vector_init = () => board().guest("irq_vector_init");
const enable_irq = () => board().guest("enable_irq");

export function kernel_main(): void {
  uart_init();
  init_printf(0, putc);
  irq_vector_init();
  timer_init();
  enable_interrupt_controller();
  enable_irq();

  for (;;) {
    uart_send(uart_recv());
  }
}
