// The SoC module's exports: what the TypeScript host (host/) calls.
// State the host reads often (registers, logs, rings) it reads from linear
// memory at the offsets of machine/layout.ts and machine/info.ts instead.

import { RAM_BASE, STATE_BASE, CORE_STATE_SIZE, NUM_CORES, TLB_BASE, HOT_COUNTERS_BASE } from "./machine/layout";
import { setRamSize, physRead, physWrite, busFault, setHostAccess } from "./machine/bus";
import { mmuReset, debugTranslate as mmuDebugTranslate, debugInfo, tlbValidEntries, TLB_TABLES_END } from "./cpu/mmu";
import { run as runLoop, setCoreState as setState, getCoreState as getState, resetRunState, bumpInputGeneration, setBreakpoint as setBp, skipBreakpointAt } from "./machine/run";
import { setCpuHz as setHz, now, nextEvent, setNow, setNextEvent, NEVER } from "./machine/time";
import { updateDevices, serviceDevices, interruptInputs } from "./machine/irqlines";
import { setSemihosting as setSemi } from "./machine/semihosting";
import { setRxPort as setPort, setRxHold, setRxByteNanos, rxWaitingForHost, rxReset, rxAvailable, setTxStopEach } from "./machine/serial_io";
import { setTraceIrqLines, setTraceMmio as setMmio, setTraceMmu as setMmuTrace } from "./machine/trace";
import { loadCore, saveCore, coreId, currentEL, setPC, pc, setEL, setSpSel, setDAIF, setNZCV, setIllegalState } from "./cpu/state";
import { takeInterrupt, setIrqReturnLimit, resetIrqReturns, irqReturns } from "./cpu/exception";
import { sysregRead, sysregWrite, sysregOk, slotSetCore, SLOT_SCTLR_EL1, SLOT_SCTLR_EL2, SLOT_SCTLR_EL3 } from "./cpu/sysreg";
import { bindHostCall as bind } from "./cpu/branch_sys";
import { setDecodeBase, codeWritten, markTranslated, decodeBase } from "./cpu/fastpath";
import { clearExclusive } from "./cpu/monitor";
import { setLoopSkip as setLoopSkipFlag, loopIterationsSkipped } from "./cpu/loops";
import { timedIterationsSkipped } from "./cpu/timed_loops";
import { jitConfigure as jitConf, jitInstall as jitInst, jitFlush, jitPowerOn, jitInsns, jitUseless, jitChains, JIT_TABLES_END, HOT_COUNTERS_END, jitAddEntry as jitAdd, jitEntryLive as jitLive, jitIndirectTarget as jitIndirect } from "./cpu/jit";
import { systimerReset } from "./periph/systimer";
import { icReset } from "./periph/irqc";
import { localReset } from "./periph/local_intc";
import { auxReset } from "./periph/aux";
import { cprmanReset } from "./periph/cprman";
import { gpioReset, setGpioFunction } from "./periph/gpio";
import { pl011Reset } from "./periph/pl011";
import { armTimerReset } from "./periph/armtimer";
import { mailboxReset, setArmMemorySize } from "./periph/mailbox";
import { INFO_BASE } from "./machine/layout";
import { boardReset } from "./board";
export * from "./board";
import * as storm from "./cpu/storm";


/** Sizes linear memory for `ramBytes` of guest RAM. Untouched pages cost no host memory. */
export function init(ramBytes: u32): bool {
  // Static data and the heap (module-level arrays) must stay below the CPU state.
  if (heap.alloc(1) > STATE_BASE) return false;
  if (JIT_TABLES_END > TLB_BASE || TLB_TABLES_END > HOT_COUNTERS_BASE || HOT_COUNTERS_END > RAM_BASE) return false;
  // RAM, then the decode cache: one class byte per instruction word (pages are committed lazily).
  const decode = ((RAM_BASE as u64) + (ramBytes as u64) + 15) & ~(15 as u64);
  const needed = decode + ((ramBytes as u64) >> 2) + 16;
  setDecodeBase(decode as usize);
  const pages = ((needed + 0xFFFF) >> 16) as i32;
  const have = memory.size();
  if (pages > have && memory.grow(pages - have) < 0) return false;
  setRamSize(ramBytes as u64);
  setArmMemorySize(ramBytes < 0x3C000000 ? ramBytes : 0x3C000000);
  return true;
}

/** Power-on state: every core at EL3 with SP_EL3, DAIF masked, PC 0, all devices reset. */
export function reset(): void {
  memory.fill(STATE_BASE, 0, (CORE_STATE_SIZE * (NUM_CORES as usize)));
  memory.fill(INFO_BASE, 0, 0x100);
  for (let c = NUM_CORES - 1; c >= 0; c--) {
    loadCore(c);
    setEL(3); setSpSel(1); setDAIF(0x3C0); setNZCV(0); setIllegalState(0);
    // SCTLR_ELx reset values of a Cortex-A53 (TRM 4.3.30): MMU and caches off.
    slotSetCore(c, SLOT_SCTLR_EL1, 0x00C50838);
    slotSetCore(c, SLOT_SCTLR_EL2, 0x30C50838);
    slotSetCore(c, SLOT_SCTLR_EL3, 0x00C50838);
    clearExclusive();
    saveCore();
  }
  mmuReset();
  resetRunState();
  rxReset();
  resetIrqReturns();
  storm.resetStorms();
  jitPowerOn();
  setNow(0);
  setNextEvent(NEVER);
  systimerReset(); icReset(); localReset(); auxReset(); gpioReset(); pl011Reset(); armTimerReset(); mailboxReset(); boardReset(); cprmanReset();
  updateDevices();
}

export function run(maxInsns: u32, until: u64): u32 { return runLoop(maxInsns, until); }

export function setCoreState(core: i32, state: u32): void { setState(core, state); }
export function getCoreState(core: i32): u32 { return getState(core); }

/** Makes `core` the one whose PSTATE fields the next calls set. */
export function selectCore(core: i32): void { loadCore(core); }
export function setCorePSTATE(el: u32, sp: u32, daifBits: u32): void {
  setEL(el); setSpSel(sp); setDAIF(daifBits); saveCore();
}

export function setCpuHz(hz: u64): void { setHz(hz); }
export function getNow(): u64 { return now; }
export function nextEventCycle(): u64 { return nextEvent; }
export function setSemihosting(on: bool): void { setSemi(on); }
export function setRxPort(port: u32): void { setPort(port); }
export function setTraceIrq(on: bool): void { setTraceIrqLines(on); }
export function setTraceMmio(on: bool): void { setMmio(on); }
export function setTraceMmu(on: bool): void { setMmuTrace(on); }
/** Stop run() once core 0 has returned from its Nth interrupt handler (0: never). */
export function setTickLimit(n: u32): void { setIrqReturnLimit(n); }
export function getTicks(): u32 { return irqReturns; }
export function bindHostCall(imm: u32, bound: bool): void { bind(imm, bound); }
/** The firmware's GPIO set-up with enable_uart=1: GPIO14/15 in ALT5 for the mini UART. */
export function gpioSetFunction(pin: u32, f: u32): void { setGpioFunction(pin, f); }

/** The host typed something: UART status and interrupt lines may change. */
export function inputChanged(): void {
  // A polling core wakes only if what it polls can change sooner: new input whose first byte is
  // scheduled earlier than the next event was, or a byte entering the FIFO now (one the host held
  // time for). Input queued behind an already scheduled byte changes nothing the guest sees yet.
  const before = nextEvent;
  const fifo = rxAvailable();
  if (now >= nextEvent) serviceDevices();
  else updateDevices();
  if (nextEvent < before || rxAvailable() != fifo) bumpInputGeneration();
}
/** While on, virtual time stops where the next serial input byte is due until the host gives it (STOP_INPUT). */
export function holdTimeForInput(on: bool): void { setRxHold(on); updateDevices(); }
export function stopOnEachOutput(on: bool): void { setTxStopEach(on); }
export function setInputByteNanos(ns: u64): void { setRxByteNanos(ns); }
export function inputWaiting(): bool { return rxWaitingForHost(); }

// ---- host-side hardware access (the TypeScript kernel's put32/get32) ----

export function hostRead(addr: u64, bytes: u32): u64 {
  setHostAccess(true);
  const v = physRead(addr, bytes);
  setHostAccess(false);
  return v;
}
export function hostWrite(addr: u64, bytes: u32, v: u64): void {
  setHostAccess(true);
  physWrite(addr, bytes, v);
  setHostAccess(false);
}
export function hostFault(): bool { return busFault; }
/** 32-bit forms for the TypeScript kernel's get32/put32: no 64-bit values cross to JavaScript. */
export function hostRead32(addr: u32): u32 { return hostRead(addr as u64, 4) as u32; }
export function hostWrite32(addr: u32, v: u32): void { hostWrite(addr as u64, 4, v as u64); }

/** Advances virtual time by `cycles` (the cost of a host access) and services due events. */
export function hostAdvance(cycles: u64): void {
  setNow(now + cycles);
  // Before the next event nothing is due and no line can change with time alone.
  if (now >= nextEvent) serviceDevices();
}

/**
 * If `core` would take an IRQ/FIQ now, performs the exception entry with
 * ELR = `returnAddr` and returns true (host code is "interrupted" there).
 */
export function hostTakeInterrupt(core: i32, returnAddr: u64): bool {
  const lines = interruptInputs(core);
  if (lines == 0) return false;
  loadCore(core);
  const interruptedPc = pc;
  setPC(returnAddr); // takeInterrupt's preferred return address is the current pc
  const taken = takeInterrupt(lines);
  if (!taken) setPC(interruptedPc); // masked or routed elsewhere: nothing happened
  saveCore();
  return taken;
}

/** MRS/MSR from host code, with the EL checks of the instruction. Returns ok. */
export function hostSysregRead(core: i32, key: u32): u64 {
  loadCore(core);
  const v = sysregRead(key);
  saveCore();
  return v;
}
export function hostSysregWrite(core: i32, key: u32, v: u64): bool {
  loadCore(core);
  sysregWrite(key, v);
  saveCore();
  updateDevices();
  return sysregOk;
}
export function hostSysregOk(): bool { return sysregOk; }

/** Debugger access: any system register of any core, whatever its EL (no side effect on PSTATE). */
export function debugSysregRead(core: i32, key: u32): u64 {
  loadCore(core);
  const el = currentEL;
  setEL(3);
  const v = sysregRead(key);
  setEL(el);
  saveCore();
  return v;
}
export function debugSysregWrite(core: i32, key: u32, v: u64): bool {
  loadCore(core);
  const el = currentEL;
  setEL(3);
  sysregWrite(key, v);
  setEL(el);
  saveCore();
  updateDevices();
  return sysregOk;
}

export function currentCore(): i32 { return coreId; }
export function coreInputs(core: i32): u32 { return interruptInputs(core); }

/** Sets or clears a breakpoint (run() stops before executing `addr`, reason STOP_BREAK). */
export function setBreakpoint(addr: u64, on: bool): bool { return setBp(addr, on); }
/** The next fetch from `addr` ignores its breakpoint (to resume from one). */
export function resumeFrom(addr: u64): void { skipBreakpointAt(addr); }
/** Which core the last run() stopped on. */
export function lastCore(): i32 { return coreId; }

/** The host wrote guest RAM directly (an image load): forget what was decoded there. */
export function invalidateCode(addr: u64, len: u64): void { codeWritten(addr, len); }

/** Countdown loops in one step (cpu/loops.ts); off only to compare with the plain run. */
export function setLoopSkip(on: bool): void { setLoopSkipFlag(on); }
/** Loop iterations skipped since power-on: countdowns (cpu/loops.ts) and clock waits (cpu/timed_loops.ts). */
export function loopsSkipped(): u64 { return loopIterationsSkipped + timedIterationsSkipped; }

// ---- compiled regions (cpu/jit.ts, host/jit/) ----

/** Turns hot-code detection on or off; a target becomes hot after `threshold` taken branches. */
export function jitConfigure(on: bool, threshold: u32): void { jitConf(on, threshold); }
/**
 * Installs function `fn` of the table as the region entered at `entry` (words lo..hi flagged),
 * which will have `entries` entries; false if the tables were full and were flushed first.
 */
export function jitInstall(entry: u64, lo: u64, hi: u64, fn: u32, delta: u64, entries: u32): bool { return jitInst(entry, lo, hi, fn, delta, entries); }
/** Block `block` of the region installed last starts at `addr`: it is entered there too. */
export function jitAddEntry(addr: u64, block: u32): void { jitAdd(addr, block); }
/** Is compiled code entered at physical `addr` for this VA - PA (| 1; 0 with the MMU off)? */
export function jitEntryLive(addr: u64, delta: u64): bool { return jitLive(addr, delta); }
export function jitReset(): void { jitFlush(); }
/** Instructions retired in compiled code since reset. */
export function jitRetired(): u64 { return jitInsns; }
/** Regions entered from another's exit without the run loop, since reset. */
export function jitChained(): u64 { return jitChains; }
/** Regions dropped because they never retired anything (their first instruction always left). */
export function jitDroppedUseless(): u32 { return jitUseless; }
export function jitIndirectTarget(pc: u64): u64 { return jitIndirect(pc); }
/** Host address of the decode-cache class byte of guest word 0 (compiled stores test it). */
export function jitDecodeBase(): u32 { return decodeBase as u32; }
/** The region being installed translated the word at `addr`. */
export function jitMarkTranslated(addr: u64): void { markTranslated(addr); }
// ---- the MMU seen by a debugger (tools/gdbstub.ts) ----

/** Physical address of `va` on `core` at its current EL (no fault, no TLB change); -1 if none. */
export function debugTranslate(core: i32, va: u64): i64 {
  const was = coreId;
  loadCore(core);
  const pa = mmuDebugTranslate(va);
  loadCore(was);
  return pa;
}
/** Level, permissions or fault code of the last debugTranslate (cpu/mmu.ts debugInfo). */
export function debugTranslateInfo(): u32 { return debugInfo; }
/** Valid entries in the TLB table of `core` at `el`. */
export function tlbEntries(core: i32, el: u32): u32 { return tlbValidEntries(core, el); }

// ---- exception storms (cpu/storm.ts) ----

/** Stop run() (STOP_STORM) when a core takes the same synchronous exception `n` times in a row (0: off). */
export function setStormLimit(n: u32): void { storm.setStormLimit(n); }
/** The stopped streak of core `c`: length, vector, ESR, ELR (of the last and the first), FAR, target EL | from EL << 4. */
export function stormCount(c: i32): u32 { return storm.stormCount(c); }
export function stormVector(c: i32): u64 { return storm.stormVector(c); }
export function stormEsr(c: i32): u32 { return storm.stormEsr(c); }
export function stormElr(c: i32): u64 { return storm.stormElr(c); }
export function stormFirstElr(c: i32): u64 { return storm.stormFirstElr(c); }
export function stormFar(c: i32): u64 { return storm.stormFar(c); }
export function stormEL(c: i32): u32 { return storm.stormEL(c); }
/** The exception before the streak (ESR, ELR, FAR, target EL | from EL << 4; 0xff: none). */
export function stormPrevEsr(c: i32): u32 { return storm.stormPrevEsr(c); }
export function stormPrevElr(c: i32): u64 { return storm.stormPrevElr(c); }
export function stormPrevFar(c: i32): u64 { return storm.stormPrevFar(c); }
export function stormPrevEL(c: i32): u32 { return storm.stormPrevEL(c); }
