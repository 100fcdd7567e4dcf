// The BCM2837 memory map as the ARM cores see it (design note 5):
//   RAM          0x00000000 .. ramSize
//   peripherals  0x3F000000 .. 0x3FFFFFFF (system timer, IRQ controller, ARM timer,
//                mailbox, GPIO, PL011, AUX)
//   local        0x40000000 .. 0x4003FFFF (BCM2836 local controller)
// Anything else is a bus error: the access sets `busFault` and the CPU takes a
// data or instruction abort. Devices are 32-bit; narrower accesses read the
// containing word, 64-bit accesses are two word accesses.

import { RAM_BASE } from "./layout";
import { noteOnce, NOTE_UNIMPLEMENTED_READ, NOTE_UNIMPLEMENTED_WRITE, traceMmio, logMmio } from "./trace";
import { noteStore, anyReservation } from "../cpu/monitor";
import { systimerRead, systimerWrite, systimerIsRegister, TIMER_CLO, TIMER_CHI } from "../periph/systimer";
import { icRead, icWrite, icIsRegister } from "../periph/irqc";
import { armTimerRead, armTimerWrite, armTimerIsRegister, ARM_TIMER_VALUE, ARM_TIMER_FREE_RUNNING } from "../periph/armtimer";
import { mailboxRead, mailboxWrite, mailboxIsRegister } from "../periph/mailbox";
import { gpioRead, gpioWrite, gpioIsRegister } from "../periph/gpio";
import { pl011Read, pl011Write, pl011IsRegister } from "../periph/pl011";
import { auxRead, auxWrite, auxIsRegister } from "../periph/aux";
import { cprmanRead, cprmanWrite, cprmanIsRegister } from "../periph/cprman";
import { localRead, localWrite, localIsRegister, CORE_TIMER_LS, CORE_TIMER_MS } from "../periph/local_intc";
import { boardDeviceOf, boardIsRegister, boardRead, boardWrite, DEV_BOARD_FIRST } from "./board_bus";
import { afterDeviceRead, afterDeviceWrite } from "./irqlines";
import { decodeBase, codeWritten } from "../cpu/fastpath";
import { now } from "./time";
import { coreId } from "../cpu/state";
import { requestWait, WAIT_POLL } from "../cpu/control";
import { directLimit, tlbProbeInline, tlbCur, entryOf, E_TAG_R, E_TAG_W, E_ADDEND, cpuReadSlow, cpuWriteSlow, mmuUpdate } from "../cpu/mmu";
import { clearPendingFault } from "../cpu/exception";

export const PERIPHERAL_BASE: u64 = 0x3F000000;
export const PERIPHERAL_END: u64 = 0x40000000;
export const LOCAL_BASE: u64 = 0x40000000;
export const LOCAL_END: u64 = 0x40040000;

const SYSTEM_TIMER_BASE: u32 = 0x3F003000;
const IRQ_CONTROLLER_BASE: u32 = 0x3F00B200;
const ARM_TIMER_BASE: u32 = 0x3F00B400;
const MAILBOX_BASE: u32 = 0x3F00B880;
const GPIO_BASE: u32 = 0x3F200000;
const UART0_BASE: u32 = 0x3F201000;
const AUX_BASE: u32 = 0x3F215000;
const CPRMAN_BASE: u32 = 0x3F101000; // clock manager, 0x2000 bytes (periph/cprman.ts)

export let ramSize: u64 = 0x3F000000;
export function setRamSize(v: u64): void { ramSize = v; mmuUpdate(); }

export let busFault: bool = false;
/** Set while the host (the TypeScript kernel) accesses devices: no polling detection then. */
export let hostAccess: bool = false;
export function setHostAccess(on: bool): void { hostAccess = on; }
/** RAM stores since reset: a polling loop that stores is doing work, not just waiting. */
export let storeCount: u32 = 0;

// Polling-loop detection (design note 3, idle skip): the same register read
// with the same value, by the same core, within a few cycles, with no store and
// no device write in between, POLL_REPEATS times in a row.
const POLL_REPEATS: u32 = 16;
const POLL_MAX_GAP: u64 = 64;
let pollAddr: u32 = 0xFFFFFFFF;
let pollValue: u32 = 0;
let pollTime: u64 = 0;
let pollStores: u32 = 0;
let pollCore: i32 = -1;
let pollRepeats: u32 = 0;

function notePoll(addr: u32, v: u32): void {
  if (addr == pollAddr && v == pollValue && coreId == pollCore && now - pollTime <= POLL_MAX_GAP && storeCount == pollStores) {
    if (++pollRepeats >= POLL_REPEATS) {
      pollRepeats = 0;
      requestWait(WAIT_POLL);
    }
  } else {
    pollRepeats = 0;
  }
  pollAddr = addr;
  pollValue = v;
  pollTime = now;
  pollStores = storeCount;
  pollCore = coreId;
}

// ---- RAM helpers for devices (addresses already known to be in RAM) ----

export function ramContains(addr: u32, len: u32): bool {
  return (addr as u64) + (len as u64) <= ramSize;
}
export function ramRead32(addr: u32): u32 { return load<u32>(RAM_BASE + (addr as usize)); }
export function ramWrite32(addr: u32, v: u32): void {
  store<u32>(RAM_BASE + (addr as usize), v);
  if (load<u8>(decodeBase + ((addr >> 2) as usize)) != 0) codeWritten(addr, 4);
}
/** Compiled code stored to RAM (cpu/jit.ts). */
export function noteCompiledStore(): void { storeCount++; }

// ---- device dispatch ----

const DEV_NONE: u32 = 0;
const DEV_LOCAL: u32 = 1;
const DEV_SYSTIMER: u32 = 2;
const DEV_IRQC: u32 = 3;
const DEV_ARMTIMER: u32 = 4;
const DEV_MAILBOX: u32 = 5;
const DEV_GPIO: u32 = 6;
const DEV_PL011: u32 = 7;
const DEV_AUX: u32 = 8;
const DEV_CPRMAN: u32 = 9;

/** Offset of the last decoded address inside its device. */
let devOffset: u32 = 0;

/** Which device a peripheral address belongs to (sets devOffset). */
function deviceOf(addr: u32): u32 {
  if (addr >= LOCAL_BASE as u32) { devOffset = addr - (LOCAL_BASE as u32); return DEV_LOCAL; }
  if ((addr & 0xFFFFF000) == SYSTEM_TIMER_BASE) { devOffset = addr - SYSTEM_TIMER_BASE; return DEV_SYSTIMER; }
  if ((addr & 0xFFFFFFC0) == IRQ_CONTROLLER_BASE) { devOffset = addr - IRQ_CONTROLLER_BASE; return DEV_IRQC; }
  if ((addr & 0xFFFFFFC0) == ARM_TIMER_BASE) { devOffset = addr - ARM_TIMER_BASE; return DEV_ARMTIMER; }
  if ((addr & 0xFFFFFFC0) == MAILBOX_BASE) { devOffset = addr - MAILBOX_BASE; return DEV_MAILBOX; }
  if ((addr & 0xFFFFF000) == GPIO_BASE) { devOffset = addr - GPIO_BASE; return DEV_GPIO; }
  if ((addr & 0xFFFFF000) == UART0_BASE) { devOffset = addr - UART0_BASE; return DEV_PL011; }
  if ((addr & 0xFFFFFF00) == AUX_BASE) { devOffset = addr - AUX_BASE; return DEV_AUX; }
  const board = boardDeviceOf(addr);
  if (board != DEV_NONE) { devOffset = addr & 0xFFF; return board; }
  if (addr >= CPRMAN_BASE && addr - CPRMAN_BASE < 0x2000) { devOffset = addr - CPRMAN_BASE; return DEV_CPRMAN; }
  return DEV_NONE;
}

/** Counters that run by themselves: the system timer's CLO/CHI, the ARM timer's value and free-running counter, the local timer's copy of the generic counter. */
function isClockRegister(dev: u32, off: u32): bool {
  if (dev == DEV_SYSTIMER) return off == TIMER_CLO || off == TIMER_CHI;
  if (dev == DEV_ARMTIMER) return off == ARM_TIMER_VALUE || off == ARM_TIMER_FREE_RUNNING;
  if (dev == DEV_LOCAL) return off == CORE_TIMER_LS || off == CORE_TIMER_MS;
  return false;
}

/** Is there a register at devOffset of this device? */
function isRegister(dev: u32, off: u32): bool {
  switch (dev) {
    case DEV_LOCAL: return localIsRegister(off);
    case DEV_SYSTIMER: return systimerIsRegister(off);
    case DEV_IRQC: return icIsRegister(off);
    case DEV_ARMTIMER: return armTimerIsRegister(off);
    case DEV_MAILBOX: return mailboxIsRegister(off);
    case DEV_GPIO: return gpioIsRegister(off);
    case DEV_PL011: return pl011IsRegister(off);
    case DEV_AUX: return auxIsRegister(off);
    case DEV_CPRMAN: return cprmanIsRegister(off);
    default: return dev >= DEV_BOARD_FIRST && boardIsRegister(dev, off);
  }
}

function deviceRead(addr: u32): u32 {
  const dev = deviceOf(addr);
  const off = devOffset;
  let v: u32 = 0;
  if (!isRegister(dev, off)) noteOnce(NOTE_UNIMPLEMENTED_READ, addr);
  else {
    switch (dev) {
      case DEV_LOCAL: v = localRead(off); break;
      case DEV_SYSTIMER: v = systimerRead(off); break;
      case DEV_IRQC: v = icRead(off); break;
      case DEV_ARMTIMER: v = armTimerRead(off); break;
      case DEV_MAILBOX: v = mailboxRead(off); break;
      case DEV_GPIO: v = gpioRead(off); break;
      case DEV_PL011: v = pl011Read(off); break;
      case DEV_AUX: v = auxRead(off); break;
      case DEV_CPRMAN: v = cprmanRead(off); break;
      default: v = boardRead(dev, off); break;
    }
  }
  if (traceMmio) logMmio(addr, v, false);
  // A clock changes without a device event: a loop reading one is not idle (cpu/timed_loops.ts
  // skips the loops that only wait for a clock), and it breaks any polling sequence.
  if (!hostAccess) { if (isClockRegister(dev, off)) pollAddr = 0xFFFFFFFF; else notePoll(addr, v); }
  afterDeviceRead(); // a FIFO pop or MBOX0_READ changes the lines; other reads do not
  return v;
}

function deviceWrite(addr: u32, v: u32): void {
  const dev = deviceOf(addr);
  const off = devOffset;
  if (!isRegister(dev, off)) noteOnce(NOTE_UNIMPLEMENTED_WRITE, addr);
  else {
    switch (dev) {
      case DEV_LOCAL: localWrite(off, v); break;
      case DEV_SYSTIMER: systimerWrite(off, v); break;
      case DEV_IRQC: icWrite(off, v); break;
      case DEV_ARMTIMER: armTimerWrite(off, v); break;
      case DEV_MAILBOX: mailboxWrite(off, v); break;
      case DEV_GPIO: gpioWrite(off, v); break;
      case DEV_PL011: pl011Write(off, v); break;
      case DEV_AUX: auxWrite(off, v); break;
      case DEV_CPRMAN: cprmanWrite(off, v); break;
      default: boardWrite(dev, off, v); break;
    }
  }
  if (traceMmio) logMmio(addr, v, true);
  pollAddr = 0xFFFFFFFF; // a device write breaks any polling sequence
  afterDeviceWrite(); // the lines, unless the device kept them (a transmitted byte)
}

// @ts-ignore: decorator
@inline function isDevice(addr: u64): bool {
  return addr >= PERIPHERAL_BASE && addr < LOCAL_END;
}

/**
 * A data read of the current core: `bytes` (1, 2, 4 or 8) at virtual address `addr`,
 * little-endian. Sets busFault on an abort (cpu/exception.ts dataAbort reports it). The inline
 * test is the RAM case with the MMU off (directLimit, cpu/mmu.ts); anything else is translated.
 */
// @ts-ignore: decorator
@inline export function busRead(addr: u64, bytes: u32): u64 {
  if (addr + (bytes as u64) <= directLimit) {
    return ramHitRead(RAM_BASE + (addr as usize), bytes);
  }
  clearPendingFault();
  return cpuReadSlow(addr, bytes);
}

/** Reads `bytes` (1, 2, 4 or 8) at physical address `addr`, little-endian. Sets busFault on a bus error. */
export function physRead(addr: u64, bytes: u32): u64 {
  if (addr + (bytes as u64) <= ramSize) {
    return ramHitRead(RAM_BASE + (addr as usize), bytes);
  }
  return busReadSlow(addr, bytes);
}

export function setBusFault(): void { busFault = true; }

/** A RAM read at host address `p` (a TLB hit, cpu/mmu.ts). */
// @ts-ignore: decorator
@inline export function ramHitRead(p: usize, bytes: u32): u64 {
  busFault = false;
  if (bytes == 8) return load<u64>(p);
  if (bytes == 4) return load<u32>(p) as u64;
  if (bytes == 2) return load<u16>(p) as u64;
  return load<u8>(p) as u64;
}

/**
 * A RAM write at physical `pa` (busWrite, physWrite, a TLB hit in cpu/mmu.ts). Code written here
 * must be decoded (and compiled) again (fastpath.ts).
 */
// @ts-ignore: decorator
@inline export function ramHitWrite(pa: u64, bytes: u32, v: u64): void {
  busFault = false;
  const p = RAM_BASE + (pa as usize);
  if (bytes == 8) store<u64>(p, v);
  else if (bytes == 4) store<u32>(p, v as u32);
  else if (bytes == 2) store<u16>(p, v as u16);
  else store<u8>(p, v as u8);
  const first = (pa >> 2) as usize, last = ((pa + (bytes as u64) - 1) >> 2) as usize;
  if ((load<u8>(decodeBase + first) | load<u8>(decodeBase + last)) != 0) codeWritten(pa, bytes as u64);
  storeCount++;
  if (anyReservation) noteStore(pa);
}

function busReadSlow(addr: u64, bytes: u32): u64 {
  busFault = false;
  if (isDevice(addr) && isDevice(addr + (bytes as u64) - 1)) {
    const word = (addr as u32) & ~3;
    if (bytes == 8) {
      const lo = deviceRead(word) as u64;
      return lo | ((deviceRead(word + 4) as u64) << 32);
    }
    const v = deviceRead(word) >> (((addr as u32) & 3) << 3);
    return (bytes == 4 ? v : v & ((1 << (bytes << 3)) - 1)) as u64;
  }
  busFault = true;
  return 0;
}

/** A data write of the current core at virtual address `addr` (see busRead). */
// @ts-ignore: decorator
@inline export function busWrite(addr: u64, bytes: u32, v: u64): void {
  if (addr + (bytes as u64) <= directLimit) {
    ramHitWrite(addr, bytes, v);
    return;
  }
  clearPendingFault();
  cpuWriteSlow(addr, bytes, v);
}

/**
 * busRead, and with the MMU on a hit in way 0 of the TLB set inline too (cpu/mmu.ts), as compiled
 * code probes it: for the interpreter's most frequent loads (fastpath.ts). Only there, since
 * inlined at every access it made the SoC 7% larger and every run with the MMU off 2.5% slower.
 */
// @ts-ignore: decorator
@inline export function busReadTlb(addr: u64, bytes: u32): u64 {
  if (addr + (bytes as u64) <= directLimit) return ramHitRead(RAM_BASE + (addr as usize), bytes);
  if (tlbProbeInline) {
    const e = entryOf(tlbCur, addr);
    if (((addr + (bytes as u64) - 1) & ~(0xFFF as u64)) == load<u64>(e + E_TAG_R)) return ramHitRead((addr + load<u64>(e + E_ADDEND)) as usize, bytes);
  }
  clearPendingFault();
  return cpuReadSlow(addr, bytes);
}

/** busWrite with the MMU on's way-0 TLB hit inline (busReadTlb). */
// @ts-ignore: decorator
@inline export function busWriteTlb(addr: u64, bytes: u32, v: u64): void {
  if (addr + (bytes as u64) <= directLimit) { ramHitWrite(addr, bytes, v); return; }
  if (tlbProbeInline) {
    const e = entryOf(tlbCur, addr);
    if (((addr + (bytes as u64) - 1) & ~(0xFFF as u64)) == load<u64>(e + E_TAG_W)) { ramHitWrite(addr + load<u64>(e + E_ADDEND) - (RAM_BASE as u64), bytes, v); return; }
  }
  clearPendingFault();
  cpuWriteSlow(addr, bytes, v);
}

/** Writes `bytes` at physical address `addr`. Sets busFault on a bus error. */
export function physWrite(addr: u64, bytes: u32, v: u64): void {
  if (addr + (bytes as u64) <= ramSize) {
    ramHitWrite(addr, bytes, v);
    return;
  }
  busWriteSlow(addr, bytes, v);
}

function busWriteSlow(addr: u64, bytes: u32, v: u64): void {
  busFault = false;
  if (isDevice(addr) && isDevice(addr + (bytes as u64) - 1)) {
    const word = (addr as u32) & ~3;
    if (bytes == 8) {
      deviceWrite(word, v as u32);
      deviceWrite(word + 4, (v >> 32) as u32);
      return;
    }
    if (bytes == 4) { deviceWrite(word, v as u32); return; }
    // A narrow write reaches the register as its byte lanes, the others zero (as QEMU's devices
    // see it): no read first, which would pop a FIFO (Linux's pl011 writes UART_DR with writew
    // and would eat a typed byte with every byte it prints).
    const shift = ((addr as u32) & 3) << 3;
    const mask: u32 = ((1 << (bytes << 3)) - 1) << shift;
    deviceWrite(word, ((v as u32) << shift) & mask);
    return;
  }
  busFault = true;
}
