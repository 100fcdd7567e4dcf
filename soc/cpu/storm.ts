// Exception storm detector. A core that takes the same synchronous exception at the same vector
// with the same syndrome over and over makes no progress: a handler that faults itself (FP/SIMD
// in a C handler), a handler that returns to the faulting instruction unchanged, or no handler at
// all (VBAR_ELx = 0, so the "vector" is whatever code or zeros sit at 0x000-0x780). On the board
// that is a silent hang; here run() stops with STOP_STORM and the host says what happened.
//
// Checked at exception entry and return only (takeException, exceptionReturn), never per
// instruction. A streak on a core is the run of synchronous exceptions with the same (vector,
// ESR, FAR); it is broken by a different one and by an ERET to anywhere but the ELR of the
// streak (the handler skipped or fixed the instruction: progress), except where VBAR_ELx is 0,
// because then no handler is there to return. SVC, HVC and SMC never count: their return
// address is the next instruction, so a loop of system calls is progress.

import { coreId } from "./state";
import { requestStop } from "./control";
import { STOP_STORM } from "../machine/info";

/** Streak length that stops the run (0: off). */
let limit: u32 = 0;
/** A streak at VBAR_ELx = 0 stops sooner: nothing there is a handler (min(limit, this)). */
const NO_VECTORS_LIMIT: u32 = 16;

const count = new StaticArray<u32>(4);
const lastVector = new StaticArray<u64>(4);
const lastEsr = new StaticArray<u32>(4);
const lastFar = new StaticArray<u64>(4);
const lastElr = new StaticArray<u64>(4);
const firstElr = new StaticArray<u64>(4);   // ELR of the streak's first exception (where it began)
const lastEL = new StaticArray<u32>(4);
const lastFromEL = new StaticArray<u32>(4);
const lastNoVectors = new StaticArray<bool>(4);
// The exception before the current streak began (its cause, often): per core.
const prevEsr = new StaticArray<u32>(4);
const prevElr = new StaticArray<u64>(4);
const prevFar = new StaticArray<u64>(4);
const prevEL = new StaticArray<u32>(4);
const prevValid = new StaticArray<bool>(4);

// What the host reads after STOP_STORM (soc/index.ts).
export let stormCore: i32 = -1;

export function setStormLimit(n: u32): void { limit = n; }
export function stormLimit(): u32 { return limit; }
export function resetStorms(): void {
  for (let c = 0; c < 4; c++) { unchecked(count[c] = 0); unchecked(prevValid[c] = false); }
  stormCore = -1;
}

const EC_SVC64: u32 = 0x15;
const EC_SMC64: u32 = 0x17;

/** Called by takeException for every synchronous exception while the detector is on. */
export function stormOnSync(targetEL: u32, fromEL: u32, vector: u64, vbar: u64, esr: u32, elr: u64, far: u64): void {
  if (limit == 0) return;
  const c = coreId;
  const ec = esr >> 26;
  if (ec >= EC_SVC64 && ec <= EC_SMC64) { unchecked(count[c] = 0); return; }
  if (unchecked(count[c]) != 0 && unchecked(lastVector[c]) == vector && unchecked(lastEsr[c]) == esr && unchecked(lastFar[c]) == far) {
    unchecked(count[c]++);
  } else {
    if (unchecked(count[c]) != 0) {
      unchecked(prevEsr[c] = lastEsr[c]); unchecked(prevElr[c] = lastElr[c]); unchecked(prevFar[c] = lastFar[c]);
      unchecked(prevEL[c] = lastEL[c] | (lastFromEL[c] << 4));
      unchecked(prevValid[c] = true);
    }
    unchecked(count[c] = 1);
    unchecked(lastVector[c] = vector);
    unchecked(lastEsr[c] = esr);
    unchecked(lastFar[c] = far);
    unchecked(firstElr[c] = elr);
  }
  unchecked(lastElr[c] = elr);
  unchecked(lastEL[c] = targetEL);
  unchecked(lastFromEL[c] = fromEL);
  const noVectors = vbar == 0;
  unchecked(lastNoVectors[c] = noVectors);
  const n = noVectors && limit > NO_VECTORS_LIMIT ? NO_VECTORS_LIMIT : limit;
  if (unchecked(count[c]) >= n) {
    stormCore = c;
    requestStop(STOP_STORM, c as u64);
  }
}

/** Called by exceptionReturn while the detector is on: an ERET elsewhere than the streak's ELR is progress. */
export function stormOnReturn(target: u64): void {
  if (limit == 0) return;
  const c = coreId;
  if (unchecked(count[c]) != 0 && !unchecked(lastNoVectors[c]) && target != unchecked(lastElr[c])) unchecked(count[c] = 0);
}

// The stopped streak, for the host's message.
export function stormCount(c: i32): u32 { return unchecked(count[c]); }
export function stormVector(c: i32): u64 { return unchecked(lastVector[c]); }
export function stormEsr(c: i32): u32 { return unchecked(lastEsr[c]); }
export function stormElr(c: i32): u64 { return unchecked(lastElr[c]); }
export function stormFirstElr(c: i32): u64 { return unchecked(firstElr[c]); }
export function stormFar(c: i32): u64 { return unchecked(lastFar[c]); }
export function stormEL(c: i32): u32 { return unchecked(lastEL[c]) | (unchecked(lastFromEL[c]) << 4); }
/** The exception before the streak: ESR, ELR and target EL | from EL << 4, or 0xff if there was none. */
export function stormPrevEsr(c: i32): u32 { return unchecked(prevEsr[c]); }
export function stormPrevElr(c: i32): u64 { return unchecked(prevElr[c]); }
export function stormPrevFar(c: i32): u64 { return unchecked(prevFar[c]); }
export function stormPrevEL(c: i32): u32 { return unchecked(prevValid[c]) ? unchecked(prevEL[c]) : 0xff; }
