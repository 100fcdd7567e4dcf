// BCM2835 hardware random number generator, at 0x7E104000 (0x3F104000 for the
// ARM on a BCM2837). Not in "BCM2835 ARM Peripherals"; names and bits are those
// of Linux's bcm2835-rng driver.
//
//   RNG_CTRL       0x00  bit 0 RBGEN: the generator runs
//   RNG_STATUS     0x04  bits 19:0 the warm-up count: generated bits still to be
//                        thrown away (written by the driver, 0x40000 in Linux);
//                        bits 31:24 words waiting in the FIFO (read-only)
//   RNG_DATA       0x08  pops a word from the FIFO
//   RNG_FF_THRES   0x0C  FIFO threshold for the interrupt (kept, unused)
//   RNG_INT_MASK   0x10  bit 0 INT_OFF (kept; the interrupt is not wired)
//
// Deterministic, so runs repeat: the words come from xorshift64* seeded with
// the host's seed (`--random-seed N`, default 0). While RBGEN is set the
// generator makes RNG_BITS_PER_SECOND bits a second of virtual time (our
// figure, not a measurement of the board): first the warm-up count is thrown
// away, then words fill a FIFO of RNG_FIFO_WORDS, and a poll of RNG_STATUS
// waits for the next word as an idle skip. Reading RNG_DATA with the FIFO
// empty returns the next word anyway (the FIFO count is what drivers check).

import { now, NEVER, ticksAt, cycleOfTick } from "../machine/time";
import { noteReadSideEffect } from "../machine/irqlines";

export const RNG_CTRL: u32 = 0x00;
export const RNG_STATUS: u32 = 0x04;
export const RNG_DATA: u32 = 0x08;
export const RNG_FF_THRES: u32 = 0x0C;
export const RNG_INT_MASK: u32 = 0x10;

export const RNG_CTRL_RBGEN: u32 = 1;
export const RNG_STATUS_WARMUP_MASK: u32 = 0x000FFFFF;
export const RNG_STATUS_WORDS_SHIFT: u32 = 24;
export const RNG_FIFO_WORDS: u32 = 4;
export const RNG_BITS_PER_SECOND: u64 = 4000000;

let ctrl: u32 = 0;
let thres: u32 = 0;
let intMask: u32 = 0;
/** Bits still to throw away, and words in the FIFO, as of generator tick `lastTick`. */
let warmup: u32 = 0;
let fifo: u32 = 0;
/** Bits generated towards the next word. */
let partial: u32 = 0;
let lastTick: u64 = 0;
let seed: u64 = 0;
let state: u64 = 0;

export function setRngSeed(s: u64): void { seed = s; }

export function rngReset(): void {
  ctrl = 0; thres = 0; intMask = 0; warmup = 0; fifo = 0; partial = 0; lastTick = 0;
  // SplitMix64 of the seed: any seed (0 too) gives a non-zero xorshift state.
  let z = seed + 0x9E3779B97F4A7C15;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
  state = z ^ (z >> 31);
  if (state == 0) state = 1;
}

function nextWord(): u32 {
  // xorshift64* (Vigna, "An experimental exploration of Marsaglia's xorshift generators")
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return ((state * 0x2545F4914F6CDD1D) >> 32) as u32;
}

/** Brings the warm-up count and the FIFO up to the current time (also the device event). */
export function rngService(): void { catchUp(); }
function catchUp(): void {
  const t = ticksAt(now, RNG_BITS_PER_SECOND);
  if ((ctrl & RNG_CTRL_RBGEN) == 0) { lastTick = t; return; }
  let bits = t - lastTick;
  lastTick = t;
  if (bits <= (warmup as u64)) { warmup -= bits as u32; return; }
  bits -= warmup as u64;
  warmup = 0;
  if (fifo >= RNG_FIFO_WORDS) return;
  const total = bits + (partial as u64);
  const words = total / 32;
  if (words >= ((RNG_FIFO_WORDS - fifo) as u64)) { fifo = RNG_FIFO_WORDS; partial = 0; }
  else { fifo += words as u32; partial = (total % 32) as u32; }
}

export function rngNextEvent(): u64 {
  if ((ctrl & RNG_CTRL_RBGEN) == 0 || fifo >= RNG_FIFO_WORDS) return NEVER;
  // The next word is complete once warm-up and the rest of the word are generated.
  const need = (warmup as u64) + 32 - (partial as u64);
  return cycleOfTick(lastTick + need, RNG_BITS_PER_SECOND);
}

export function rngIsRegister(off: u32): bool { return off <= RNG_INT_MASK && (off & 3) == 0; }

export function rngRead(off: u32): u32 {
  switch (off) {
    case RNG_CTRL: return ctrl;
    case RNG_STATUS: catchUp(); return (fifo << RNG_STATUS_WORDS_SHIFT) | warmup;
    case RNG_DATA: {
      catchUp();
      if (fifo > 0) fifo--;
      noteReadSideEffect(); // the FIFO has room again: the next word is scheduled
      return nextWord();
    }
    case RNG_FF_THRES: return thres;
    case RNG_INT_MASK: return intMask;
    default: return 0;
  }
}

export function rngWrite(off: u32, v: u32): void {
  catchUp();
  switch (off) {
    case RNG_CTRL: ctrl = v; return;
    case RNG_STATUS: warmup = v & RNG_STATUS_WARMUP_MASK; return;
    case RNG_FF_THRES: thres = v; return;
    case RNG_INT_MASK: intMask = v; return;
    default: return;
  }
}
