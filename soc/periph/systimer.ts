// BCM2835 system timer ("BCM2835 ARM Peripherals", chapter 12, base 0x7E003000,
// at 0x3F003000 for the ARM on a BCM2837).
//
// A free-running 1 MHz 64-bit counter (CLO/CHI) and four 32-bit compare
// registers C0-C3. When the low 32 bits of the counter become equal to Cn, CS
// bit Mn is set and system-timer line n (GPU IRQ n) rises; writing 1 to Mn
// clears it and lowers the line. Channels 0 and 2 are used by the GPU firmware
// on a real board; all four work here, as in QEMU.

import { now, cpuHz, microsNow, NEVER, cycleOfTick } from "../machine/time";

export const TIMER_CS: u32 = 0x00;
export const TIMER_CLO: u32 = 0x04;
export const TIMER_CHI: u32 = 0x08;
export const TIMER_C0: u32 = 0x0C;
export const TIMER_C1: u32 = 0x10;
export const TIMER_C2: u32 = 0x14;
export const TIMER_C3: u32 = 0x18;

export const TIMER_CS_M0: u32 = 1 << 0;
export const TIMER_CS_M1: u32 = 1 << 1;
export const TIMER_CS_M2: u32 = 1 << 2;
export const TIMER_CS_M3: u32 = 1 << 3;

export let timerCS: u32 = 0;
const compare = new StaticArray<u32>(4);
/** Cycle of each channel's next match. */
const due = new StaticArray<u64>(4);

export function systimerReset(): void {
  timerCS = 0;
  for (let i = 0; i < 4; i++) { unchecked(compare[i] = 0); unchecked(due[i] = NEVER); }
}

/** Next time the counter's low word equals Cn, strictly after the current microsecond. */
function schedule(n: i32, fromMicros: u64): void {
  let delta = (unchecked(compare[n]) - (fromMicros as u32)) as u64;
  if (delta == 0) delta = 0x100000000;
  unchecked(due[n] = cycleOfTick(fromMicros + delta, 1000000));
}

export function systimerNextEvent(): u64 {
  let t = NEVER;
  for (let i = 0; i < 4; i++) if (unchecked(due[i]) < t) t = unchecked(due[i]);
  return t;
}

export function systimerService(): void {
  for (let n = 0; n < 4; n++) {
    const d = unchecked(due[n]);
    if (now >= d) {
      timerCS |= 1 << n;
      // The match happened at microsecond d/cpu; the next one is a full wrap later.
      schedule(n, (d + (cpuHz / 1000000) - 1) / (cpuHz / 1000000));
    }
  }
}

export function systimerRead(off: u32): u32 {
  switch (off) {
    case TIMER_CS: return timerCS;
    case TIMER_CLO: return microsNow() as u32;
    case TIMER_CHI: return (microsNow() >> 32) as u32;
    case TIMER_C0: case TIMER_C1: case TIMER_C2: case TIMER_C3: return unchecked(compare[(off - TIMER_C0) >> 2]);
    default: return 0xFFFFFFFF;
  }
}

export function systimerIsRegister(off: u32): bool { return off <= TIMER_C3 && (off & 3) == 0; }

export function systimerWrite(off: u32, v: u32): void {
  switch (off) {
    case TIMER_CS: timerCS &= ~(v & 15); return;
    case TIMER_C0: case TIMER_C1: case TIMER_C2: case TIMER_C3: {
      const n = ((off - TIMER_C0) >> 2) as i32;
      unchecked(compare[n] = v);
      schedule(n, microsNow());
      return;
    }
    default: return; // CLO/CHI are read-only
  }
}
