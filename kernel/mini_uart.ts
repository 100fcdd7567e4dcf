// mini_uart.c: the AUX mini UART on GPIO 14/15 (ALT5), 115200 baud at a 250 MHz core clock.
import { get32, put32, delay } from "./utils.js";
import { GPFSEL1, GPPUD, GPPUDCLK0 } from "./peripherals/gpio.js";
import {
  AUX_ENABLES, AUX_MU_IO_REG, AUX_MU_IER_REG, AUX_MU_LCR_REG, AUX_MU_MCR_REG, AUX_MU_LSR_REG, AUX_MU_CNTL_REG, AUX_MU_BAUD_REG,
} from "./peripherals/mini_uart.js";

export function uart_send(c: number): void {
  for (;;) {
    if (get32(AUX_MU_LSR_REG) & 0x20) break; // transmitter can take a byte
  }
  put32(AUX_MU_IO_REG, c);
}

export function uart_recv(): number {
  for (;;) {
    if (get32(AUX_MU_LSR_REG) & 0x01) break; // a byte has arrived
  }
  return get32(AUX_MU_IO_REG) & 0xff;
}

export function uart_send_string(str: string): void {
  for (let i = 0; i < str.length; i++) uart_send(str.charCodeAt(i));
}

export function uart_init(): void {
  let selector = get32(GPFSEL1);
  selector &= ~(7 << 12); // gpio14
  selector |= 2 << 12;    // ALT5
  selector &= ~(7 << 15); // gpio15
  selector |= 2 << 15;    // ALT5
  put32(GPFSEL1, selector);

  put32(GPPUD, 0);
  delay(150);
  put32(GPPUDCLK0, (1 << 14) | (1 << 15));
  delay(150);
  put32(GPPUDCLK0, 0);

  put32(AUX_ENABLES, 1);     // enable the mini UART (and its registers)
  put32(AUX_MU_CNTL_REG, 0); // transmitter and receiver off while configuring
  put32(AUX_MU_IER_REG, 0);  // no receive or transmit interrupts
  put32(AUX_MU_LCR_REG, 3);  // 8-bit mode
  put32(AUX_MU_MCR_REG, 0);  // RTS high
  put32(AUX_MU_BAUD_REG, 270); // 115200 baud
  put32(AUX_MU_CNTL_REG, 3); // transmitter and receiver on
}

/** The printf output function: putc(p, c) in the C code. */
export function putc(_p: unknown, c: number): void {
  uart_send(c);
}
