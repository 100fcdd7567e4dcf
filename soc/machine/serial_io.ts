// Byte rings between the UARTs (and semihosting) and the host.
// TX: u16 entries, low byte the data, high byte the port. RX: bytes typed by the host.
//
// Serial input in virtual time (ARCHITECTURE.md, "Serial input"): the host queues bytes in the
// RX ring whenever it has them, but the receiving UART's FIFO gets them one at a time, one byte
// per `rxByteCycles` (a 115200-baud 8N1 frame, 86.8 us, by default) and only while the FIFO has
// room: the sender waits for a full FIFO, as with flow control, and nothing is lost. Bytes
// [RX_READ, rxDelivered) are in the FIFO, [rxDelivered, RX_WRITE) are still on their way.
// When the host holds time for input (a pipe or a file: `rxHold`), a byte that is due while the
// ring is empty stops the run (STOP_INPUT) until the host gives more or ends the input, so the
// same input gives the same run, however fast the pipe delivers it.

import { IO_BASE, IO_RING_SIZE } from "./layout";
import { INFO_TX_WRITE, INFO_RX_READ, INFO_RX_WRITE, STOP_TX, STOP_INPUT } from "./info";
import { requestStop } from "../cpu/control";
import { noteReadSideEffect } from "./irqlines";
import { now, cpuHz, NEVER } from "./time";

export const PORT_MINI_UART: u32 = 0;
export const PORT_PL011: u32 = 1;
export const PORT_SEMIHOSTING: u32 = 2;

const TX_BASE: usize = IO_BASE;                              // IO_RING_SIZE u16 entries
const RX_BASE: usize = IO_BASE + ((IO_RING_SIZE as usize) << 1); // IO_RING_SIZE bytes
/** Host's read index of the TX ring, kept by the host just after the write index. */
const TX_READ: usize = INFO_TX_WRITE + 0x20;

/** The host looks at every byte as it is sent (it stops the run on some output). */
let txStopEach: bool = false;
export function setTxStopEach(on: bool): void { txStopEach = on; }

/** Queues a byte for the host; stops the run when the ring is full so nothing is lost. */
export function txByte(port: u32, b: u32): void {
  const w = load<u32>(INFO_TX_WRITE);
  store<u16>(TX_BASE + (((w & (IO_RING_SIZE - 1)) as usize) << 1), ((port << 8) | (b & 0xFF)) as u16);
  store<u32>(INFO_TX_WRITE, w + 1);
  if (txStopEach || w + 1 - load<u32>(TX_READ) >= IO_RING_SIZE - 16) requestStop(STOP_TX, 0);
}

/** Which port receives what the host types. */
export let rxPort: u32 = PORT_MINI_UART;
export function setRxPort(p: u32): void { rxPort = p; }

/** PL011 receive depth: 16 with LCRH.FEN, else the one-byte holding register (PL011 TRM 2.4.3). */
let pl011RxDepth: u32 = 1;
export function setPl011RxDepth(n: u32): void { pl011RxDepth = n; rxSchedule(); }

/** Receive FIFO depth of the port that gets input: mini UART 8 (BCM2835 ARM Peripherals 2.2), PL011 16 or 1. */
export function fifoDepth(): u32 { return rxPort == PORT_PL011 ? pl011RxDepth : 8; }

/** Ring index up to which bytes have reached the UART's receive FIFO. */
let rxDelivered: u32 = 0;
/** Cycle at which the next byte enters the FIFO (NEVER: none on its way, or the FIFO is full). */
let rxDue: u64 = NEVER;
/** Cycle at which the last byte entered the FIFO. */
let rxLast: u64 = 0;
/** Nanoseconds one byte takes on the line: 10 bits (8N1) at 115200 baud. */
let rxByteNanos: u64 = 86806;
/** The host holds virtual time for more input (it has not reached the end of it). */
let rxHold: bool = false;
/**
 * A byte entered the FIFO and the line has not been looked at one frame later. That look is a
 * device event whether or not the host still holds time then, so when the host learns of the
 * end of its input (early from a file, late from a slow pipe) changes nothing the guest sees
 * (a core polling the UART wakes at the same cycle either way).
 */
let rxIdleCheck: bool = false;

export function setRxByteNanos(ns: u64): void { rxByteNanos = ns; }
export function setRxHold(on: bool): void { rxHold = on; rxSchedule(); }
export function rxReset(): void { rxDelivered = load<u32>(INFO_RX_READ); rxDue = NEVER; rxLast = 0; rxHold = false; rxIdleCheck = false; }

function byteCycles(): u64 { return (rxByteNanos * cpuHz + 999999999) / 1000000000; }

/**
 * Decides when the next byte enters the FIFO: one frame after the last one, but not before the
 * FIFO has room and a byte (or, while the host holds time, the host's answer) can come.
 */
// A time once scheduled stays, even if the host ends its input before it: whether the host
// learnt of the end early or only when asked at that time must not change the run.
function rxSchedule(): void {
  if (rxDue != NEVER) return;
  const r = load<u32>(INFO_RX_READ);
  if (rxDelivered - r > IO_RING_SIZE) rxDelivered = r; // the host reset the ring
  if (rxDelivered - r >= fifoDepth()) return;          // the sender waits for room
  if (load<u32>(INFO_RX_WRITE) == rxDelivered && !rxHold && !rxIdleCheck) return;
  const next = rxLast + byteCycles();
  rxDue = next > now ? next : now;
}

/** The next cycle the input needs service at (part of the device schedule). */
export function rxNextEvent(): u64 { rxSchedule(); return rxDue; }

/**
 * Moves every byte due by now into the FIFO; stops the run if one is due that the host has not
 * given yet while it holds time. Returns how many bytes entered the FIFO.
 */
export function rxService(): u32 {
  let n: u32 = 0;
  while (rxDue <= now) {
    if (load<u32>(INFO_RX_WRITE) == rxDelivered) {
      if (rxHold) requestStop(STOP_INPUT, rxDue);
      else { rxDue = NEVER; rxIdleCheck = false; }
      return n;
    }
    n++;
    rxDelivered++;
    rxIdleCheck = true;
    rxLast = rxDue;
    rxDue = NEVER;
    rxSchedule();
  }
  return n;
}

/** Is the run held because the next byte is due and the host has not given it? */
export function rxWaitingForHost(): bool {
  rxSchedule();
  return rxHold && rxDue <= now && load<u32>(INFO_RX_WRITE) == rxDelivered;
}

/** Bytes in the receiving UART's FIFO. */
export function rxAvailable(): u32 {
  return rxDelivered - load<u32>(INFO_RX_READ);
}

/** Bytes the host queued that have not been read, FIFO or not (semihosting reads them directly). */
export function rxQueued(): u32 {
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
  if (rxDelivered - (r + 1) > IO_RING_SIZE) rxDelivered = r + 1; // semihosting read past the FIFO
  noteReadSideEffect();
  return b;
}
