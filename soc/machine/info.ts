// Machine-wide values shared with the host at fixed addresses (host/layout.ts mirrors them).

import { INFO_BASE } from "./layout";
import { requestStop } from "../cpu/control";

/** Why run() returned: one of STOP_*. */
export const INFO_STOP_REASON: usize = INFO_BASE + 0x00;
/** Argument of the stop (HLT immediate, semihosting status, faulting address ...). */
export const INFO_STOP_ARG: usize = INFO_BASE + 0x08;
/** Instructions retired on all cores since reset (u64). */
export const INFO_INSNS: usize = INFO_BASE + 0x10;
/** Virtual time in core cycles (u64). */
export const INFO_NOW: usize = INFO_BASE + 0x18;
/** Exception log write index (u32); entries at EXC_LOG_BASE. */
export const INFO_EXC_WRITE: usize = INFO_BASE + 0x20;
/** Serial output ring write index (u32) and input ring read/write indices. */
export const INFO_TX_WRITE: usize = INFO_BASE + 0x24;
export const INFO_RX_READ: usize = INFO_BASE + 0x28;
export const INFO_RX_WRITE: usize = INFO_BASE + 0x2C;
/** Interrupt line trace write index (u32); entries at IRQ_LOG_BASE. */
export const INFO_IRQ_WRITE: usize = INFO_BASE + 0x30;
/** Trace-once report write index (u32); entries at NOTE_LOG_BASE. */
export const INFO_NOTE_WRITE: usize = INFO_BASE + 0x34;
/** MMIO trace write index (u32); entries at MMIO_LOG_BASE. */
export const INFO_MMIO_WRITE: usize = INFO_BASE + 0x3C;
/** The host's read indices of the exception, line and MMIO rings (u32 each): a ring about to
 * overrun stops run() so the host drains it, and no event is lost. */
export const INFO_EXC_READ: usize = INFO_BASE + 0x48;
export const INFO_IRQ_READ: usize = INFO_BASE + 0x4C;
export const INFO_MMIO_READ: usize = INFO_BASE + 0x50;
/** The MMU trace ring (trace.ts logMmu): write and read counters. */
export const INFO_MMU_WRITE: usize = INFO_BASE + 0xF0;
export const INFO_MMU_READ: usize = INFO_BASE + 0xF4;
export const MMU_LOG_BASE: usize = 0x5B000;
export const MMU_LOG_ENTRIES: u32 = 128;    // 32 bytes each
/** Which core run() ended on (u32). */
export const INFO_CORE: usize = INFO_BASE + 0x38;

/** Compiled regions (cpu/jit.ts): the next PC and NZCV (SPSR layout) a region hands back (whether
 * it stored is a bit of its return value, host/jit/compile.ts STORED), and the queue of hot
 * entries for the host to compile. */
export const JIT_PC: usize = INFO_BASE + 0x100;
export const JIT_FLAGS: usize = INFO_BASE + 0x108;
export const JIT_QUEUE_COUNT: usize = INFO_BASE + 0x110;
export const JIT_QUEUE: usize = INFO_BASE + 0x118;
export const JIT_QUEUE_ENTRIES: u32 = 32;
/** The current TLB table for translated regions (u32), and VA - PA | 1 of each queued entry (0: MMU off). */
export const JIT_TLB: usize = INFO_BASE + 0x2F8;
/** Non-zero while SIMD&FP instructions trap at the current EL (u32): compiled ones then leave before themselves. */
export const JIT_FP_OFF: usize = INFO_BASE + 0x2FC;
export const JIT_QUEUE_DELTA: usize = INFO_BASE + 0x300;

export const EXC_LOG_BASE: usize = 0x50000;
export const EXC_LOG_ENTRIES: u32 = 512;    // 64 bytes each
export const IRQ_LOG_BASE: usize = 0x58000;
export const IRQ_LOG_ENTRIES: u32 = 512;    // 16 bytes each
export const NOTE_LOG_BASE: usize = 0x5A000;
export const NOTE_LOG_ENTRIES: u32 = 256;   // 16 bytes each
export const MMIO_LOG_BASE: usize = 0x5C000;
export const MMIO_LOG_ENTRIES: u32 = 1024;  // 16 bytes each

// Stop reasons.
export const STOP_BUDGET: u32 = 0;      // the instruction budget of this run() is spent
export const STOP_HOSTCALL: u32 = 1;    // HLT #imm with a host-bound immediate; arg = imm
export const STOP_EXIT: u32 = 2;        // semihosting SYS_EXIT; arg = status
export const STOP_HALTED: u32 = 3;      // every core waits and no event is scheduled
export const STOP_BREAK: u32 = 4;       // breakpoint address reached; arg = address
export const STOP_TX: u32 = 5;          // a ring to the host (serial output, trace) is nearly full: drain it
export const STOP_INPUT: u32 = 15;      // a serial input byte is due and the host holds time for it; arg = cycle
export const STOP_UNTIL_TIME: u32 = 6;  // virtual time reached the requested limit
export const STOP_TICKS: u32 = 7;       // core 0 returned from its Nth interrupt handler
export const STOP_JIT: u32 = 8;         // hot code queued for the host's compiler; arg = budget left
export const STOP_POWER: u32 = 16;      // the watchdog reset the SoC (periph/power.ts); arg = 0 power off, 1 reboot
export const STOP_STORM: u32 = 17;      // a core took the same synchronous exception again and again (cpu/storm.ts); arg = core

/** Stops the run when a ring written at index `w` (next free) is about to overrun the host's reader. */
// @ts-ignore: decorator
@inline export function stopIfRingFull(w: u32, readIndex: usize, entries: u32): void {
  if (w - load<u32>(readIndex) >= entries - 8) requestStop(STOP_TX, 0);
}
