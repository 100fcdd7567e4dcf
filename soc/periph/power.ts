// BCM2835 power management block: reset control and the watchdog, at 0x7E100000
// (0x3F100000 for the ARM on a BCM2837). Not in "BCM2835 ARM Peripherals"; the
// names and bits are those of Linux's bcm2835_wdt driver and of the firmware,
// which reads PM_RSTS after a reset to pick the boot partition.
//
//   PM_RSTC  0x1C  reset control: WRCFG (bits 5:4) = 2 arms a full reset when the
//                  watchdog counts down to zero; 0x102 (PM_RSTC_RESET) disarms it
//   PM_RSTS  0x20  reset status; its even bits 0,2,..,10 hold the partition the
//                  firmware boots next. Partition 63 (0x555) means "halt": the
//                  firmware powers off instead of booting (Linux's power-off, the
//                  tutorials' power_off())
//   PM_WDOG  0x24  watchdog time left, bits 19:0, in ticks of 1/65536 s
//
// Every write must carry the password 0x5A in bits 31:24; other writes are
// ignored (noted once). When the armed countdown expires in virtual time the
// run stops with STOP_POWER: power off (partition 63) or reboot (anything else).
// The machine does not boot again by itself: the host ends the run and says why.
// Not implemented: the power domains (PM_* registers other than these three).

import { now, NEVER, ticksAt, cycleOfTick } from "../machine/time";
import { requestStop } from "../cpu/control";
import { noteOnce, NOTE_PM_PASSWORD } from "../machine/trace";
import { STOP_POWER } from "../machine/info";

export const PM_RSTC: u32 = 0x1C;
export const PM_RSTS: u32 = 0x20;
export const PM_WDOG: u32 = 0x24;

export const PM_PASSWORD: u32 = 0x5A000000;
export const PM_PASSWORD_MASK: u32 = 0xFF000000;
export const PM_WDOG_TIME_SET: u32 = 0x000FFFFF;
export const PM_RSTC_WRCFG_MASK: u32 = 0x00000030;
export const PM_RSTC_WRCFG_FULL_RESET: u32 = 0x00000020;
export const PM_RSTC_RESET: u32 = 0x00000102;
export const PM_RSTS_HADPOR: u32 = 0x00001000;   // the last reset was power-on
export const PM_RSTS_PARTITION_BITS: u32 = 0x00000555;
export const PM_PARTITION_HALT: u32 = 63;
/** The watchdog counts 65536 ticks a second (Linux: WDOG_TICKS_TO_SECS(x) = x >> 16). */
export const PM_WDOG_HZ: u64 = 65536;

/** STOP_POWER arguments. */
export const POWER_OFF: u64 = 0;
export const POWER_REBOOT: u64 = 1;

let rstc: u32 = 0;
let rsts: u32 = PM_RSTS_HADPOR;
/** Watchdog tick at which the armed countdown expires (NEVER: not armed). */
let expiresTick: u64 = NEVER;
/** Value last written to PM_WDOG (what it reads while not armed). */
let wdogLoad: u32 = 0;

export function powerReset(): void {
  rstc = 0; rsts = PM_RSTS_HADPOR; expiresTick = NEVER; wdogLoad = 0;
}

/** The partition number in PM_RSTS (its even bits 0..10, bit 2i = partition bit i). */
export function rstsPartition(v: u32): u32 {
  let p: u32 = 0;
  for (let i: u32 = 0; i < 6; i++) p |= ((v >> (2 * i)) & 1) << i;
  return p;
}

function armed(): bool { return (rstc & PM_RSTC_WRCFG_MASK) == PM_RSTC_WRCFG_FULL_RESET; }

function rearm(): void {
  expiresTick = armed() ? ticksAt(now, PM_WDOG_HZ) + (wdogLoad as u64) : NEVER;
}

export function powerNextEvent(): u64 {
  return expiresTick == NEVER ? NEVER : cycleOfTick(expiresTick, PM_WDOG_HZ);
}

/** The countdown expired: the SoC resets; the firmware then halts on partition 63. */
export function powerService(): void {
  if (expiresTick == NEVER || ticksAt(now, PM_WDOG_HZ) < expiresTick) return;
  expiresTick = NEVER;
  requestStop(STOP_POWER, rstsPartition(rsts) == PM_PARTITION_HALT ? POWER_OFF : POWER_REBOOT);
}

export function powerIsRegister(off: u32): bool { return off == PM_RSTC || off == PM_RSTS || off == PM_WDOG; }

export function powerRead(off: u32): u32 {
  switch (off) {
    case PM_RSTC: return rstc;
    case PM_RSTS: return rsts;
    case PM_WDOG: {
      if (expiresTick == NEVER) return wdogLoad;
      const t = ticksAt(now, PM_WDOG_HZ);
      return t >= expiresTick ? 0 : ((expiresTick - t) as u32) & PM_WDOG_TIME_SET;
    }
    default: return 0;
  }
}

export function powerWrite(off: u32, v: u32): void {
  if ((v & PM_PASSWORD_MASK) != PM_PASSWORD) { noteOnce(NOTE_PM_PASSWORD, 0x3F100000 + off); return; }
  v &= ~PM_PASSWORD_MASK;
  switch (off) {
    case PM_RSTC: rstc = v; rearm(); return;
    case PM_RSTS: rsts = v; return;
    case PM_WDOG: wdogLoad = v & PM_WDOG_TIME_SET; if (armed()) rearm(); return; // feeding restarts the count
    default: return;
  }
}
