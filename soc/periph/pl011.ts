// ARM PrimeCell UART PL011 as UART0 ("BCM2835 ARM Peripherals", chapter 13, at 0x3F201000).
// Enough for a kernel that prints and reads: transmit is immediate, receive
// reads the host queue (a 16-byte FIFO, or 1 byte with LCRH.FEN clear). Interrupt: GPU IRQ 57 while
// RIS & IMSC is non-zero. Not implemented: DMA, IrDA, modem lines, break.

import { txByte, rxAvailable, rxPop, rxPort, PORT_PL011, setPl011RxDepth, fifoDepth } from "../machine/serial_io";

export const UART_DR: u32 = 0x00;
export const UART_RSRECR: u32 = 0x04;
export const UART_FR: u32 = 0x18;
export const UART_ILPR: u32 = 0x20;
export const UART_IBRD: u32 = 0x24;
export const UART_FBRD: u32 = 0x28;
export const UART_LCRH: u32 = 0x2C;
export const UART_CR: u32 = 0x30;
export const UART_IFLS: u32 = 0x34;
export const UART_IMSC: u32 = 0x38;
export const UART_RIS: u32 = 0x3C;
export const UART_MIS: u32 = 0x40;
export const UART_ICR: u32 = 0x44;

const FR_RXFE: u32 = 1 << 4;
const FR_RXFF: u32 = 1 << 6;
const FR_TXFE: u32 = 1 << 7;
const LCRH_FEN: u32 = 1 << 4;
const INT_RX: u32 = 1 << 4;
const INT_TX: u32 = 1 << 5;
const INT_RT: u32 = 1 << 6;

let ibrd: u32 = 0, fbrd: u32 = 0, lcrh: u32 = 0, cr: u32 = 0x300, ifls: u32 = 0x12, imsc: u32 = 0;
let txRaw: u32 = 0;

export function pl011Reset(): void { ibrd = 0; fbrd = 0; lcrh = 0; cr = 0x300; ifls = 0x12; imsc = 0; txRaw = 0; setPl011RxDepth(1); }

function rxReady(): bool { return rxPort == PORT_PL011 && rxAvailable() > 0; }

// With FIFOs disabled RXFF means "the holding register is full" (PL011 TRM 3.3.3): one byte.
function rxFull(): bool { return rxPort == PORT_PL011 && rxAvailable() >= fifoDepth(); }

function ris(): u32 { return txRaw | (rxReady() ? INT_RX | INT_RT : 0); }

export function pl011IrqLevel(): bool { return (ris() & imsc) != 0; }

export function pl011IsRegister(off: u32): bool {
  return (off & 3) == 0 && (off <= UART_ICR) && off != 0x08 && off != 0x0C && off != 0x10 && off != 0x14 && off != 0x1C;
}

export function pl011Read(off: u32): u32 {
  switch (off) {
    case UART_DR: return rxReady() ? rxPop() : 0;
    case UART_FR: return FR_TXFE | (rxReady() ? 0 : FR_RXFE) | (rxFull() ? FR_RXFF : 0);
    case UART_IBRD: return ibrd;
    case UART_FBRD: return fbrd;
    case UART_LCRH: return lcrh;
    case UART_CR: return cr;
    case UART_IFLS: return ifls;
    case UART_IMSC: return imsc;
    case UART_RIS: return ris();
    case UART_MIS: return ris() & imsc;
    default: return 0;
  }
}

export function pl011Write(off: u32, v: u32): void {
  switch (off) {
    case UART_DR: txByte(PORT_PL011, v); txRaw |= INT_TX; return;
    case UART_IBRD: ibrd = v & 0xFFFF; return;
    case UART_FBRD: fbrd = v & 0x3F; return;
    case UART_LCRH: lcrh = v & 0xFF; setPl011RxDepth((lcrh & LCRH_FEN) != 0 ? 16 : 1); return;
    case UART_CR: cr = v & 0xFFFF; return;
    case UART_IFLS: ifls = v & 0x3F; return;
    case UART_IMSC: imsc = v & 0x7FF; return;
    case UART_ICR: txRaw &= ~v; return;
    default: return;
  }
}
