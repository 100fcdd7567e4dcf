// Interrupt wiring of the SoC (design note 5, style: explicit lines, one update()):
//
//   system timer M0-M3 -> GPU IRQ 0-3 -+
//   AUX (mini UART)    -> GPU IRQ 29  -+-> BCM2835 IC -> GPU IRQ/FIQ -+
//   PL011              -> GPU IRQ 57  -+                             +-> BCM2836 local -> core n IRQ/FIQ
//   ARM timer          -> basic IRQ 0 -+     generic timers (per core) +
//   mailbox 0          -> basic IRQ 1 -+
//   EMMC               -> GPU IRQ 62  -+
//                                             local timer, mailboxes  +
//
// updateDevices() recomputes every line from the devices' state and the
// schedule of the next device event; it runs after any device write (but a
// byte the mini UART transmits), after a read that changed a device, and after
// each serviced event. No device knows the CPU.

import { setGpuLine, setBasicLine, icOutput, GPU_IRQ_AUX, GPU_IRQ_UART, BASIC_IRQ_ARM_TIMER, BASIC_IRQ_ARM_MAILBOX } from "../periph/irqc";
import { mailboxIrqLevel } from "../periph/mailbox";
import { timerCS, systimerNextEvent, systimerService } from "../periph/systimer";
import { auxIrqLevel } from "../periph/aux";
import { pl011IrqLevel } from "../periph/pl011";
import { armTimerIrqLevel, armTimerNextEvent, armTimerService } from "../periph/armtimer";
import { computeCoreLines, localNextEvent, localService } from "../periph/local_intc";
import { timerLines, timerNextEvent } from "../periph/generic_timer";
import { setNextEvent } from "./time";
import { rxNextEvent, rxService } from "./serial_io";
import { requestAttention } from "../cpu/control";
import { logLines } from "./trace";
import { emmcIrqLevel, GPU_IRQ_EMMC } from "../periph/emmc";
import { rngNextEvent, rngService } from "../periph/rng";
import { powerNextEvent, powerService } from "../periph/power";

/** Each core's inputs, 2 bits a core: bit 0 IRQ, bit 1 FIQ. */
export let coreLines: u32 = 0;

export function interruptInputs(core: i32): u32 {
  return (coreLines >> ((core as u32) * 2)) & 3;
}

// Which accesses need the lines recomputed, as the devices say: a read does not unless it
// changed its device (a FIFO pop: AUX_MU_IO, UART_DR; MBOX0_READ), a write does unless its
// device kept them (a byte the mini UART transmits).
let readChangedDevice: bool = false;
let writeKeptLines: bool = false;
export function noteReadSideEffect(): void { readChangedDevice = true; }
export function noteWriteKeptLines(): void { writeKeptLines = true; }

export function afterDeviceRead(): void {
  if (!readChangedDevice) return;
  readChangedDevice = false;
  updateDevices();
}
export function afterDeviceWrite(): void {
  if (writeKeptLines) { writeKeptLines = false; return; }
  updateDevices();
}

export function updateDevices(): void {
  for (let n: u32 = 0; n < 4; n++) setGpuLine(n, (timerCS & (1 << n)) != 0);
  setGpuLine(GPU_IRQ_AUX, auxIrqLevel());
  setGpuLine(GPU_IRQ_UART, pl011IrqLevel());
  setBasicLine(BASIC_IRQ_ARM_TIMER, armTimerIrqLevel());
  setGpuLine(GPU_IRQ_EMMC, emmcIrqLevel());
  setBasicLine(BASIC_IRQ_ARM_MAILBOX, mailboxIrqLevel());
  let timers: u32 = 0;
  for (let core = 0; core < 4; core++) timers |= timerLines(core) << ((core as u32) * 4);
  const lines = computeCoreLines(icOutput(), timers);
  if (lines != coreLines) {
    for (let core = 0; core < 4; core++) {
      const shift = (core as u32) * 2;
      if (((lines ^ coreLines) >> shift) & 3) logLines(core, (lines >> shift) & 3, 0);
    }
    coreLines = lines;
    requestAttention();
  }
  let t = systimerNextEvent();
  const a = armTimerNextEvent(); if (a < t) t = a;
  const l = localNextEvent(); if (l < t) t = l;
  const g = timerNextEvent(); if (g < t) t = g;
  const rx = rxNextEvent(); if (rx < t) t = rx;
  const r = rngNextEvent(); if (r < t) t = r;
  const w = powerNextEvent(); if (w < t) t = w;
  setNextEvent(t);
}

/** Services every device event due at the current time, then updates the lines. */
export function serviceDevices(): void {
  systimerService();
  armTimerService();
  localService();
  rxService();
  rngService();
  powerService();
  updateDevices();
}
