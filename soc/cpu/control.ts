// Signals from executed instructions to the run loop (soc/machine/run.ts).

import { recomputeHorizon } from "../machine/time";

/** Set when the run loop must leave its inner loop: a stop, a wait, or an interrupt to sample. */
export let attention: bool = false;

/** Stop the whole run() and return `stopReason`/`stopArg` to the host. */
export let stopRequested: bool = false;
export let stopReason: u32 = 0;
export let stopArg: u64 = 0;

// What the current core waits for after WFI/WFE (ARM ARM D1.16).
export const WAIT_NONE: u32 = 0;
export const WAIT_WFI: u32 = 1;
export const WAIT_WFE: u32 = 2;
/** A branch to itself (`b .`): nothing changes until an interrupt is taken. */
export const WAIT_SPIN: u32 = 3;
/** A loop that only polls a device register that cannot change before the next event. */
export const WAIT_POLL: u32 = 4;
export let waitRequest: u32 = WAIT_NONE;

/** Event registers of the four cores (set by SEV/SEVL, exception return, timer event stream). */
export const eventRegister = new StaticArray<bool>(4);

export function requestStop(reason: u32, arg: u64): void {
  stopRequested = true;
  stopReason = reason;
  stopArg = arg;
  attention = true;
  recomputeHorizon();
}

export function requestWait(kind: u32): void {
  waitRequest = kind;
  attention = true;
  recomputeHorizon();
}

export function requestAttention(): void {
  attention = true;
  recomputeHorizon();
}

export function clearAttention(): void {
  attention = false;
  recomputeHorizon();
}

export function clearStop(): void {
  stopRequested = false;
  stopReason = 0;
  stopArg = 0;
}

export function clearWait(): void {
  waitRequest = WAIT_NONE;
}

export function sendEvent(): void {
  for (let i = 0; i < 4; i++) unchecked(eventRegister[i] = true);
  attention = true;
  recomputeHorizon();
}

