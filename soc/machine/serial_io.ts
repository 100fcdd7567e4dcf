// Byte rings between the UARTs (and semihosting) and the host.
// TX: u16 entries, low byte the data, high byte the port. RX: bytes typed by the host.

import { IO_BASE, IO_RING_SIZE } from "./layout";
import { INFO_TX_WRITE, INFO_RX_READ, INFO_RX_WRITE, STOP_TX } from "./info";
import { requestStop } from "../cpu/control";
import { noteReadSideEffect } from "./irqlines";

export const PORT_MINI_UART: u32 = 0;
export const PORT_PL011: u32 = 1;
export const PORT_SEMIHOSTING: u32 = 2;

const TX_BASE: usize = IO_BASE;                              // IO_RING_SIZE u16 entries
const RX_BASE: usize = IO_BASE + ((IO_RING_SIZE as usize) << 1); // IO_RING_SIZE bytes
/** Host's read index of the TX ring, kept by the host just after the write index. */
const TX_READ: usize = INFO_TX_WRITE + 0x20;

/** Queues a byte for the host; stops the run when the ring is full so nothing is lost. */
export function txByte(port: u32, b: u32): void {
  const w = load<u32>(INFO_TX_WRITE);
  store<u16>(TX_BASE + (((w & (IO_RING_SIZE - 1)) as usize) << 1), ((port << 8) | (b & 0xFF)) as u16);
  store<u32>(INFO_TX_WRITE, w + 1);
  if (w + 1 - load<u32>(TX_READ) >= IO_RING_SIZE - 16) requestStop(STOP_TX, 0);
}

/** Which port receives what the host types. */
export let rxPort: u32 = PORT_MINI_UART;
export function setRxPort(p: u32): void { rxPort = p; }

export function rxAvailable(): u32 {
  return load<u32>(INFO_RX_WRITE) - load<u32>(INFO_RX_READ);
}

export function rxPeek(): u32 {
  return load<u8>(RX_BASE + ((load<u32>(INFO_RX_READ) & (IO_RING_SIZE - 1)) as usize));
}

export function rxPop(): u32 {
  const r = load<u32>(INFO_RX_READ);
  if (r == load<u32>(INFO_RX_WRITE)) return 0;
  const b = load<u8>(RX_BASE + ((r & (IO_RING_SIZE - 1)) as usize));
  store<u32>(INFO_RX_READ, r + 1);
  noteReadSideEffect();
  return b;
}
