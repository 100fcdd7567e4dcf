// BCM2835 auxiliaries: the mini UART ("BCM2835 ARM Peripherals", chapter 2, at 0x3F215000).
//
// Transmit goes straight to the host (the line is infinitely fast); receive
// reads the host's input queue through an 8-byte FIFO window. Interrupts: RX
// (IER bit 0) while data waits, TX (IER bit 1) while the transmitter is empty,
// on AUX IRQ (GPU IRQ 29). Register values follow QEMU's bcm2835_aux: LSR 0x60
// idle, 0x61 with data; IIR 0xC4 with RX pending, else 0xC2, | 1 when IER is 0.
// Not implemented: SPI1/SPI2, baud-rate timing, 7-bit mode, flow control.

import { txByte, rxAvailable, rxPop, rxPort, PORT_MINI_UART } from "../machine/serial_io";
import { gpioFunction, GPIO_FUNC_ALT5 } from "./gpio";
import { noteOnce, NOTE_UART_PINS, NOTE_UART_DISABLED } from "../machine/trace";
import { noteWriteKeptLines } from "../machine/irqlines";

export const AUX_IRQ: u32 = 0x00;
export const AUX_ENABLES: u32 = 0x04;
export const AUX_MU_IO_REG: u32 = 0x40;
export const AUX_MU_IER_REG: u32 = 0x44;
export const AUX_MU_IIR_REG: u32 = 0x48;
export const AUX_MU_LCR_REG: u32 = 0x4C;
export const AUX_MU_MCR_REG: u32 = 0x50;
export const AUX_MU_LSR_REG: u32 = 0x54;
export const AUX_MU_MSR_REG: u32 = 0x58;
export const AUX_MU_SCRATCH: u32 = 0x5C;
export const AUX_MU_CNTL_REG: u32 = 0x60;
export const AUX_MU_STAT_REG: u32 = 0x64;
export const AUX_MU_BAUD_REG: u32 = 0x68;

const AUX_ENABLES_MINI_UART: u32 = 1;
const IER_RX: u32 = 1;
const IER_TX: u32 = 2;
const LSR_DATA_READY: u32 = 0x01;
const LSR_TX_EMPTY: u32 = 0x20;
const LSR_TX_IDLE: u32 = 0x40;
const RX_FIFO_DEPTH: u32 = 8;
const AUX_BASE: u32 = 0x3F215000;

let enables: u32 = 0;
let ier: u32 = 0;
let lcr: u32 = 0;
let mcr: u32 = 0;
let scratch: u32 = 0;
let cntl: u32 = 0;
let baud: u32 = 0;

export function auxReset(): void { enables = 0; ier = 0; lcr = 0; mcr = 0; scratch = 0; cntl = 0; baud = 0; }

function rxCount(): u32 {
  if (rxPort != PORT_MINI_UART) return 0;
  const n = rxAvailable();
  return n > RX_FIFO_DEPTH ? RX_FIFO_DEPTH : n;
}

/** Level of AUX IRQ (GPU IRQ 29). */
export function auxIrqLevel(): bool {
  if ((enables & AUX_ENABLES_MINI_UART) == 0) return false;
  return ((ier & IER_RX) != 0 && rxCount() > 0) || (ier & IER_TX) != 0;
}

export function auxIsRegister(off: u32): bool {
  return off == AUX_IRQ || off == AUX_ENABLES || (off >= AUX_MU_IO_REG && off <= AUX_MU_BAUD_REG && (off & 3) == 0);
}

export function auxRead(off: u32): u32 {
  switch (off) {
    case AUX_IRQ: return auxIrqLevel() ? 1 : 0;
    case AUX_ENABLES: return enables;
    case AUX_MU_IO_REG: {
      if (lcr & 0x80) return baud & 0xFF; // DLAB access
      return rxCount() > 0 ? rxPop() : 0;
    }
    case AUX_MU_IER_REG: return (lcr & 0x80) ? (baud >> 8) & 0xFF : ier;
    case AUX_MU_IIR_REG: {
      let r: u32 = 0xC0;
      r |= ((ier & IER_RX) != 0 && rxCount() > 0) ? 0x4 : 0x2;
      if (ier == 0) r |= 1;
      return r;
    }
    case AUX_MU_LCR_REG: return lcr;
    case AUX_MU_MCR_REG: return mcr;
    case AUX_MU_LSR_REG: return LSR_TX_EMPTY | LSR_TX_IDLE | (rxCount() > 0 ? LSR_DATA_READY : 0);
    case AUX_MU_MSR_REG: return 0x20; // CTS asserted
    case AUX_MU_SCRATCH: return scratch;
    case AUX_MU_CNTL_REG: return cntl;
    case AUX_MU_STAT_REG: {
      const n = rxCount();
      // bit 0 symbol available, 1 space available, 2 RX idle, 3 TX idle, 8 TX empty, 9 TX done, 19:16 RX fill
      return (n > 0 ? 1 : 0) | 2 | 4 | 8 | (1 << 8) | (1 << 9) | (n << 16);
    }
    case AUX_MU_BAUD_REG: return baud;
    default: return 0;
  }
}

export function auxWrite(off: u32, v: u32): void {
  switch (off) {
    case AUX_ENABLES: enables = v & 7; return;
    case AUX_MU_IO_REG: {
      // A byte to transmit (or the baud rate's low byte) leaves auxIrqLevel's inputs alone.
      noteWriteKeptLines();
      if (lcr & 0x80) { baud = (baud & 0xFF00) | (v & 0xFF); return; }
      if ((enables & AUX_ENABLES_MINI_UART) == 0) { noteOnce(NOTE_UART_DISABLED, AUX_BASE + off); return; }
      // On the board the byte only reaches the header pin when GPIO14 is in ALT5.
      if (gpioFunction(14) != GPIO_FUNC_ALT5) { noteOnce(NOTE_UART_PINS, 14); return; }
      txByte(PORT_MINI_UART, v);
      return;
    }
    case AUX_MU_IER_REG:
      if (lcr & 0x80) { baud = (baud & 0xFF) | ((v & 0xFF) << 8); return; }
      ier = v & 3;
      return;
    case AUX_MU_IIR_REG: return; // FIFO clear bits: the FIFOs are the host queues
    case AUX_MU_LCR_REG: lcr = v & 0xFF; return;
    case AUX_MU_MCR_REG: mcr = v & 0xFF; return;
    case AUX_MU_SCRATCH: scratch = v & 0xFF; return;
    case AUX_MU_CNTL_REG: cntl = v & 0xFF; return;
    case AUX_MU_BAUD_REG: baud = v & 0xFFFF; return;
    default: return;
  }
}

