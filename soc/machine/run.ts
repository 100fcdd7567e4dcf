// The run loop: interleaves the cores in quanta, services device events at
// their virtual time, samples IRQ/FIQ at instruction boundaries, and skips idle
// time (WFI, WFE, `b .`) to the next event (design note 3).

import {
  coreId, pc, insnAddr, setInsnAddr, setPC, illegalState, switchCore, saveCore, loadCore,
} from "../cpu/state";
import { dispatch } from "../cpu/fastpath";
import {
  takeInterrupt, asyncTarget, syncException, instructionAbort, pcAlignmentFault, ESR_EC_ILLEGAL_STATE,
} from "../cpu/exception";
import {
  attention, clearAttention, requestAttention, requestStop, stopRequested, stopReason, stopArg, clearStop,
  waitRequest, clearWait, WAIT_NONE, WAIT_WFI, WAIT_WFE, WAIT_SPIN, WAIT_POLL, eventRegister,
} from "../cpu/control";
import { timersChanged, clearTimersChanged } from "../periph/generic_timer";
import { RAM_BASE } from "./layout";
import { ramSize } from "./bus";
import { now, setNow, nextEvent, horizon, timeLimit, setTimeLimit, setSliceEnd, setSlice, sliceEnd, setStepChecks, setSoloUntil, NEVER } from "./time";
import { interruptInputs, serviceDevices } from "./irqlines";
import { INFO_STOP_REASON, INFO_STOP_ARG, INFO_INSNS, INFO_NOW, INFO_CORE, STOP_BUDGET, STOP_HALTED, STOP_UNTIL_TIME, STOP_BREAK, STOP_JIT } from "./info";
import { jitQueued, forgetLastTarget } from "../cpu/jit";
import { streamEventSince, eventConsumed, nextStreamEventCycle, resetEvents } from "../cpu/events";
import { fetchLimit, fetchTranslate, tlbCur, entryOf, E_TAG_X, E_ADDEND, NO_PA } from "../cpu/mmu";

// Run states of a core.
export const CORE_OFF: u32 = 0;      // held by the firmware, never started
export const CORE_RUNNING: u32 = 1;
export const CORE_WFI: u32 = 2;
export const CORE_WFE: u32 = 3;
export const CORE_SPIN: u32 = 4;
export const CORE_POLL: u32 = 5;

/** Bumped when the host queues input: a polling core may see something new. */
export let inputGeneration: u32 = 0;
export function bumpInputGeneration(): void { inputGeneration++; }
const pollWake = new StaticArray<u64>(4);
const pollInput = new StaticArray<u32>(4);

const coreState = new StaticArray<u32>(4);
// Breakpoints (the GDB stub's Z0/Z1): checked at fetch only while some are set.
const MAX_BREAKPOINTS: i32 = 32;
const breakpoints = new StaticArray<u64>(MAX_BREAKPOINTS);
let breakpointCount: i32 = 0;
/** Address whose breakpoint the next instruction may execute through (resuming from it). */
let breakpointSkip: u64 = 0xFFFFFFFFFFFFFFFF;

export function setBreakpoint(addr: u64, on: bool): bool {
  for (let i = 0; i < breakpointCount; i++) {
    if (unchecked(breakpoints[i]) == addr) {
      if (!on) {
        unchecked(breakpoints[i] = breakpoints[breakpointCount - 1]);
        breakpointCount--;
        setStepChecks(breakpointCount != 0);
      }
      return true;
    }
  }
  if (!on) return false;
  if (breakpointCount >= MAX_BREAKPOINTS) return false;
  unchecked(breakpoints[breakpointCount++] = addr);
  setStepChecks(true);
  return true;
}
export function skipBreakpointAt(addr: u64): void { breakpointSkip = addr; }

function atBreakpoint(addr: u64): bool {
  if (addr == breakpointSkip) { breakpointSkip = 0xFFFFFFFFFFFFFFFF; return false; }
  for (let i = 0; i < breakpointCount; i++) if (unchecked(breakpoints[i]) == addr) return true;
  return false;
}

/** Instructions a core runs before the next core gets its turn. */
const QUANTUM: u32 = 4096;
/**
 * A core alone still leaves runSlice this often. V8 runs the optimized code of a WebAssembly
 * function only from its next call on (there is no on-stack replacement for WebAssembly), so a
 * whole run spent in one call of runSlice would interpret with the baseline compiler's code to the
 * end: nsichneu-O2-10, 27.7 M instructions interpreted, ran at 97 M instructions/s instead of
 * 149. A multiple of QUANTUM, so the rounds' boundaries (time.ts endSliceAtRound) stay the same.
 */
const SOLO_QUANTUM: u32 = 1 << 20;
/** The core a round begins with: 0, unless the last run()'s budget ended a round early. */
let firstCore: i32 = 0;

export let insnsRetired: u64 = 0;

export function setCoreState(core: i32, s: u32): void { unchecked(coreState[core] = s); }
export function getCoreState(core: i32): u32 { return unchecked(coreState[core]); }
export function resetRunState(): void {
  for (let i = 0; i < 4; i++) unchecked(coreState[i] = CORE_OFF);
  insnsRetired = 0;
  firstCore = 0;
  resetEvents();
}

/** Would core `c` take an interrupt now (its inputs, routing and PSTATE)? */
function interruptDeliverable(c: i32): bool {
  const lines = interruptInputs(c);
  if (lines == 0) return false;
  switchCore(c);
  return ((lines & 1) != 0 && asyncTarget(false) >= 0) || ((lines & 2) != 0 && asyncTarget(true) >= 0);
}

function wakeCores(): bool {
  let any = false;
  for (let c = 0; c < 4; c++) {
    const s = unchecked(coreState[c]);
    if (s == CORE_RUNNING) { any = true; continue; }
    if (s == CORE_WFI && interruptInputs(c) != 0) unchecked(coreState[c] = CORE_RUNNING);
    else if (s == CORE_WFE && (unchecked(eventRegister[c]) || interruptInputs(c) != 0 || streamEventSince(c, now))) {
      unchecked(eventRegister[c] = false);
      eventConsumed(c, now);
      unchecked(coreState[c] = CORE_RUNNING);
    } else if (s == CORE_SPIN && interruptDeliverable(c)) unchecked(coreState[c] = CORE_RUNNING);
    else if (s == CORE_POLL && (now >= unchecked(pollWake[c]) || unchecked(pollInput[c]) != inputGeneration || interruptDeliverable(c))) {
      unchecked(coreState[c] = CORE_RUNNING);
    }
    if (unchecked(coreState[c]) == CORE_RUNNING) any = true;
  }
  return any;
}

/** Earliest cycle at which an event stream wakes a core waiting in WFE (NEVER: none). */
function nextWfeStreamWake(): u64 {
  let best = NEVER;
  for (let c = 0; c < 4; c++) {
    if (unchecked(coreState[c]) != CORE_WFE) continue;
    const t = nextStreamEventCycle(c, now > 0 ? now - 1 : 0);
    if (t < best) best = t;
  }
  return best;
}

/**
 * time.ts soloUntil for core `c`: `budgetEnd` if every other core is off, spinning in `b .`,
 * in WFI or WFE, or polling (until its wake-up cycle): those wake only on an interrupt, a device
 * event, new input, or an event register set by an instruction of a running core. 0 if another
 * core runs.
 */
function aloneUntil(c: i32, budgetEnd: u64): u64 {
  let until = budgetEnd;
  for (let o = 0; o < 4; o++) {
    if (o == c) continue;
    const s = unchecked(coreState[o]);
    if (s == CORE_RUNNING) return 0;
    if (s == CORE_POLL && unchecked(pollWake[o]) < until) until = unchecked(pollWake[o]);
  }
  return until;
}

function othersOff(c: i32): bool {
  for (let o = 0; o < 4; o++) if (o != c && unchecked(coreState[o]) != CORE_OFF) return false;
  return true;
}

/**
 * Runs the current core for up to `limit` instructions; returns how many retired.
 * Leaves early on a stop, a wait, or the time limit.
 */
function runSlice(limit: u32): u32 {
  const start = now;
  forgetLastTarget();
  setSlice(start, start + (limit as u64), QUANTUM as u64); // the end is folded into the horizon: one comparison per instruction
  while (true) {
    if (now >= horizon) { // also when `attention` is set (it zeroes the horizon)
      if (now >= nextEvent || timersChanged) { clearTimersChanged(); serviceDevices(); }
      clearAttention();
      if (stopRequested) break;
      if (waitRequest != WAIT_NONE) {
        const w = waitRequest;
        clearWait();
        if ((w == WAIT_SPIN || w == WAIT_POLL) && interruptDeliverable(coreId)) {
          // `b .` or a polling loop with an interrupt ready: take it instead of idling.
        } else if (w == WAIT_POLL) {
          // The polled value cannot change before the next device event or new input.
          unchecked(pollWake[coreId] = nextEvent);
          unchecked(pollInput[coreId] = inputGeneration);
          unchecked(coreState[coreId] = CORE_POLL);
          break;
        } else {
          unchecked(coreState[coreId] = w == WAIT_WFI ? CORE_WFI : w == WAIT_WFE ? CORE_WFE : CORE_SPIN);
          break;
        }
      }
      // The slice ends only after a wait request of its last instruction was applied to this core.
      if (now >= sliceEnd || now >= timeLimit) break; // (endSliceAtRound may have brought the end forward)
      if (illegalState) { setInsnAddr(pc); syncException(ESR_EC_ILLEGAL_STATE, 0); }
      const lines = interruptInputs(coreId);
      if (lines != 0) takeInterrupt(lines);
      if (breakpointCount != 0 && atBreakpoint(pc)) { requestStop(STOP_BREAK, pc); break; }
    }
    const addr = pc;
    setInsnAddr(addr);
    // The decode cache and compiled code are physical: `pa` is the fetch's physical address.
    let pa = addr;
    if (addr >= fetchLimit || (addr & 3) != 0) {
      // The MMU: a TLB hit for fetch (its tag has no low bits, so a misaligned PC misses),
      // else the walk or the abort.
      // (Way 0 of its set inline; way 1 and the rest in fetchTranslate.)
      const e = entryOf(tlbCur, addr);
      if ((addr & ~(0xFFC as u64)) == load<u64>(e + E_TAG_X)) pa = addr + load<u64>(e + E_ADDEND) - (RAM_BASE as u64);
      else {
        pa = fetchTranslate(addr);
        if (pa == NO_PA) { setNow(now + 1); continue; }
      }
    }
    setPC(addr + 4);
    dispatch(load<u32>(RAM_BASE + (pa as usize)), pa);
    setNow(now + 1);
  }
  setSliceEnd(NEVER);
  return (now - start) as u32;
}

function finish(reason: u32, arg: u64): u32 {
  saveCore();
  store<u32>(INFO_STOP_REASON, reason);
  store<u64>(INFO_STOP_ARG, arg);
  store<u64>(INFO_INSNS, insnsRetired);
  store<u64>(INFO_NOW, now);
  store<u32>(INFO_CORE, coreId as u32);
  return reason;
}

/**
 * Runs until `maxInsns` instructions retired, virtual time reaches `until`, or
 * something stops the machine (host call, semihosting exit, halt). Returns the
 * stop reason (info.ts STOP_*); details are in the INFO block.
 */
export function run(maxInsns: u32, until: u64): u32 {
  clearStop();
  loadCore(coreId);
  setTimeLimit(until);
  // Device state is current: every device access, input and timer write already updated it.
  let remaining = maxInsns;
  while (true) {
    if (!wakeCores()) {
      // Every core waits: jump to the next event (idle skip), or to the next WFE wake-up
      // of a timer event stream (cpu/events.ts), which is no device event.
      const wake = nextWfeStreamWake();
      if (wake < nextEvent) {
        if (wake >= until) { if (now < until) setNow(until); return finish(STOP_UNTIL_TIME, 0); }
        if (wake > now) setNow(wake);
        continue;
      }
      if (nextEvent == NEVER) return finish(STOP_HALTED, 0);
      if (nextEvent >= until) { if (now < until) setNow(until); return finish(STOP_UNTIL_TIME, 0); }
      if (nextEvent > now) setNow(nextEvent);
      serviceDevices();
      if (stopRequested) return finish(stopReason, stopArg); // input due that the host has not given, or a device event ended the run (the watchdog)
      continue;
    }
    if (now >= until) return finish(STOP_UNTIL_TIME, 0);
    if (remaining == 0) return finish(STOP_BUDGET, 0);
    // Between rounds, resuming with the budget left changes nothing.
    if (jitQueued()) return finish(STOP_JIT, remaining as u64);
    const roundStart = now;
    let roundEnd = now;
    for (let k = 0; k < 4; k++) {
      const c = (firstCore + k) & 3;
      if (unchecked(coreState[c]) != CORE_RUNNING) continue;
      if (remaining == 0) {
        // The budget ends inside the round: stop exactly, and let the next run() begin with the
        // cores this round did not reach, so one-instruction runs (stepping, --trace insn) starve none.
        firstCore = c;
        setNow(roundEnd);
        return finish(STOP_BUDGET, 0);
      }
      // A core alone (every other one off: only the host starts a core, between runs) runs its
      // rounds as one slice: nothing between them could change what it does, and compiled code
      // then leaves for the run loop only at events and every SOLO_QUANTUM instructions, not
      // every QUANTUM.
      const most = othersOff(c) ? SOLO_QUANTUM : QUANTUM;
      const quantum = remaining < most ? remaining : most;
      switchCore(c);
      setNow(roundStart);
      setSoloUntil(aloneUntil(c, roundStart + (remaining as u64)));
      requestAttention(); // a new slice re-evaluates interrupts for its core
      const done = runSlice(quantum);
      insnsRetired += done;
      remaining -= done < remaining ? done : remaining;
      if (now > roundEnd) roundEnd = now;
      if (stopRequested) return finish(stopReason, stopArg);
    }
    setNow(roundEnd);
  }
  return finish(STOP_BUDGET, 0);
}
