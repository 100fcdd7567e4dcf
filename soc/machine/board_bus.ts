// The rest of the board on the peripheral bus (kept apart so bus.ts stays small):
//   power management / watchdog  0x3F100000  periph/power.ts
//   random number generator      0x3F104000  periph/rng.ts
//   EMMC (Arasan SDHCI)          0x3F300000  periph/emmc.ts
// Their interrupt line, events and reset are wired in irqlines.ts and soc/board.ts.

import { powerRead, powerWrite, powerIsRegister } from "../periph/power";
import { rngRead, rngWrite, rngIsRegister } from "../periph/rng";
import { emmcRead, emmcWrite, emmcIsRegister } from "../periph/emmc";

const PM_BASE: u32 = 0x3F100000;
const RNG_BASE: u32 = 0x3F104000;
const EMMC_BASE: u32 = 0x3F300000;

/** Device numbers after bus.ts's own (DEV_NONE = 0 .. DEV_AUX = 8). */
export const DEV_BOARD_FIRST: u32 = 16;
const DEV_POWER: u32 = 16;
const DEV_RNG: u32 = 17;
const DEV_EMMC: u32 = 18;

/** The board device at `addr` (its offset is addr & 0xFFF), or 0. */
export function boardDeviceOf(addr: u32): u32 {
  if ((addr & 0xFFFFFF00) == PM_BASE) return DEV_POWER;
  if ((addr & 0xFFFFFFC0) == RNG_BASE) return DEV_RNG;
  if ((addr & 0xFFFFFF00) == EMMC_BASE) return DEV_EMMC;
  return 0;
}

export function boardIsRegister(dev: u32, off: u32): bool {
  switch (dev) {
    case DEV_POWER: return powerIsRegister(off);
    case DEV_RNG: return rngIsRegister(off);
    case DEV_EMMC: return emmcIsRegister(off);
    default: return false;
  }
}

export function boardRead(dev: u32, off: u32): u32 {
  switch (dev) {
    case DEV_POWER: return powerRead(off);
    case DEV_RNG: return rngRead(off);
    case DEV_EMMC: return emmcRead(off);
    default: return 0;
  }
}

export function boardWrite(dev: u32, off: u32, v: u32): void {
  switch (dev) {
    case DEV_POWER: powerWrite(off, v); return;
    case DEV_RNG: rngWrite(off, v); return;
    case DEV_EMMC: emmcWrite(off, v); return;
    default: return;
  }
}
