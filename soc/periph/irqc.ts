// BCM2835 ARM interrupt controller ("BCM2835 ARM Peripherals", section 7, base 0x7E00B200,
// seen by the ARM at 0x3F00B200 on a BCM2837).
//
// Inputs: 64 GPU interrupt lines (system timer 0-3, AUX 29, PL011 57 ...) and
// 8 ARM-specific "basic" lines (ARM timer 0, mailbox 1, doorbells 2-3 ...).
// Output: one IRQ and one FIQ line to the BCM2836 local controller, recomputed
// by output() from level & enable, as QEMU's bcm2835_ic does.
// Implemented: every register below. Not implemented: the GPU halted/illegal
// access basic sources (never raised here).

export const IRQ_BASIC_PENDING: u32 = 0x00;
export const IRQ_PENDING_1: u32 = 0x04;
export const IRQ_PENDING_2: u32 = 0x08;
export const FIQ_CONTROL: u32 = 0x0C;
export const ENABLE_IRQS_1: u32 = 0x10;
export const ENABLE_IRQS_2: u32 = 0x14;
export const ENABLE_BASIC_IRQS: u32 = 0x18;
export const DISABLE_IRQS_1: u32 = 0x1C;
export const DISABLE_IRQS_2: u32 = 0x20;
export const DISABLE_BASIC_IRQS: u32 = 0x24;

// GPU interrupt numbers (BCM2835 ARM Peripherals, 7.5 "ARM peripherals interrupts table").
export const GPU_IRQ_SYSTEM_TIMER_0: u32 = 0;
export const GPU_IRQ_AUX: u32 = 29;
export const GPU_IRQ_UART: u32 = 57;
// Basic interrupt numbers.
export const BASIC_IRQ_ARM_TIMER: u32 = 0;
export const BASIC_IRQ_ARM_MAILBOX: u32 = 1;

const FIQ_ENABLE: u32 = 1 << 7;

export let gpuLevel: u64 = 0;
export let basicLevel: u32 = 0;
let gpuEnable: u64 = 0;
let basicEnable: u32 = 0;
let fiqControl: u32 = 0;

export function icReset(): void {
  gpuLevel = 0; basicLevel = 0; gpuEnable = 0; basicEnable = 0; fiqControl = 0;
}

export function setGpuLine(n: u32, level: bool): void {
  const bit = (1 as u64) << (n as u64);
  gpuLevel = level ? gpuLevel | bit : gpuLevel & ~bit;
}

export function setBasicLine(n: u32, level: bool): void {
  const bit: u32 = 1 << n;
  basicLevel = level ? basicLevel | bit : basicLevel & ~bit;
}

function basicPending(): u32 {
  const pend = gpuLevel & gpuEnable;
  let r = basicLevel & basicEnable & 0xFF;
  if ((pend & 0xFFFFFFFF) != 0) r |= 1 << 8;
  if ((pend >> 32) != 0) r |= 1 << 9;
  // Bits 10-20 repeat GPU IRQs 7, 9, 10, 18, 19, 53-57, 62 (manual, table 7.5 "basic pending").
  r |= (((pend >> 7) & 1) as u32) << 10;
  r |= (((pend >> 9) & 3) as u32) << 11;
  r |= (((pend >> 18) & 3) as u32) << 13;
  r |= (((pend >> 53) & 0x1F) as u32) << 15;
  r |= (((pend >> 62) & 1) as u32) << 20;
  return r;
}

/** Bit 0: IRQ output, bit 1: FIQ output. */
export function icOutput(): u32 {
  let out: u32 = 0;
  if ((gpuLevel & gpuEnable) != 0 || (basicLevel & basicEnable) != 0) out |= 1;
  if (fiqControl & FIQ_ENABLE) {
    const src = fiqControl & 0x7F;
    const level = src < 64 ? ((gpuLevel >> (src as u64)) & 1) != 0 : ((basicLevel >> (src - 64)) & 1) != 0;
    if (level) out |= 2;
  }
  return out;
}

export function icRead(off: u32): u32 {
  switch (off) {
    case IRQ_BASIC_PENDING: return basicPending();
    case IRQ_PENDING_1: return (gpuLevel & gpuEnable) as u32;
    case IRQ_PENDING_2: return ((gpuLevel & gpuEnable) >> 32) as u32;
    case FIQ_CONTROL: return fiqControl;
    case ENABLE_IRQS_1: return gpuEnable as u32;
    case ENABLE_IRQS_2: return (gpuEnable >> 32) as u32;
    case ENABLE_BASIC_IRQS: return basicEnable;
    case DISABLE_IRQS_1: return ~(gpuEnable as u32);
    case DISABLE_IRQS_2: return ~((gpuEnable >> 32) as u32);
    case DISABLE_BASIC_IRQS: return ~basicEnable & 0xFF;
    default: return 0xFFFFFFFF; // not a register: the caller reports it
  }
}

/** Returns false if `off` is not a register. */
export function icWrite(off: u32, v: u32): bool {
  switch (off) {
    case FIQ_CONTROL: fiqControl = v & 0xFF; return true;
    case ENABLE_IRQS_1: gpuEnable |= v as u64; return true;
    case ENABLE_IRQS_2: gpuEnable |= (v as u64) << 32; return true;
    case ENABLE_BASIC_IRQS: basicEnable |= v & 0xFF; return true;
    case DISABLE_IRQS_1: gpuEnable &= ~(v as u64); return true;
    case DISABLE_IRQS_2: gpuEnable &= ~((v as u64) << 32); return true;
    case DISABLE_BASIC_IRQS: basicEnable &= ~v; return true;
    case IRQ_BASIC_PENDING: case IRQ_PENDING_1: case IRQ_PENDING_2: return true; // read-only
    default: return false;
  }
}

export function icIsRegister(off: u32): bool { return off <= DISABLE_BASIC_IRQS && (off & 3) == 0; }
