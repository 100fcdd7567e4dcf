// BCM2835 clock manager, "CPRMAN" (clock/power/reset manager, clock part), at 0x3F101000
// (bus 0x7E101000, 0x2000 bytes): the CM_* clock generators at +0x000 and the A2W analogue
// PLL registers at +0x1000. Documented in the BCM2835 ARM Peripherals only for the general
// purpose clocks (6.3); the rest of the map is the one Linux's clk-bcm2835 driver uses.
//
// The firmware sets the PLLs up before the ARM starts; this model holds those values, so
// that Linux computes real rates: PLLC 2400 MHz (its CORE0 channel /6: the VPU at 400 MHz,
// which is the mini UART's clock), PLLD 2000 MHz (its PER channel /4 = 500 MHz, then the
// UART clock /10.4167 = 48 MHz for the PL011). Registers are storage (the top byte of a
// write is the password 0x5A and is not stored); CM_LOCK says every PLL is locked and no
// generator is ever BUSY. Not implemented: real PLL or divider behaviour, frequency changes
// taking effect anywhere (the emulated UARTs have no baud timing).

// CM clock generators: CTL (SRC [3:0], ENABLE 4, KILL 5, BUSY 7, MASH [10:9]) and DIV
// (integer [23:12], fraction [11:0]).
export const CM_VPUCTL: u32 = 0x008;
export const CM_VPUDIV: u32 = 0x00C;
export const CM_UARTCTL: u32 = 0x0F0;
export const CM_UARTDIV: u32 = 0x0F4;
export const CM_PLLC: u32 = 0x108;
export const CM_PLLD: u32 = 0x10C;
export const CM_LOCK: u32 = 0x114;
// A2W: per PLL a CTRL (NDIV [9:0], PDIV [14:12], PWRDN 16, PRST_DISABLE 17 = "running"),
// a FRAC (20 bits), ANA0-3, and channel dividers (DIV [7:0], DISABLE 8).
export const A2W_PLLC_CTRL: u32 = 0x1120;
export const A2W_PLLD_CTRL: u32 = 0x1140;
export const A2W_PLLC_FRAC: u32 = 0x1220;
export const A2W_PLLD_FRAC: u32 = 0x1240;
export const A2W_PLLC_CORE0: u32 = 0x1620;
export const A2W_PLLC_PER: u32 = 0x1520;
export const A2W_PLLD_CORE: u32 = 0x1440;
export const A2W_PLLD_PER: u32 = 0x1540;

const CPRMAN_SIZE: u32 = 0x2000;
const PASSWORD_MASK: u32 = 0x00FFFFFF;
const CM_ENABLE: u32 = 1 << 4;
const CM_SRC_PLLC_CORE0: u32 = 5;   // of the VPU's parents
const CM_SRC_PLLD_PER: u32 = 6;     // of the peripheral clocks' parents
const CM_LOCK_ALL: u32 = 0x1F << 8; // FLOCKA..FLOCKH
const A2W_PDIV_1: u32 = 1 << 12;
const A2W_PRST_DISABLE: u32 = 1 << 17;

const regs = new StaticArray<u32>(CPRMAN_SIZE >> 2);

@inline function set(off: u32, v: u32): void { unchecked(regs[off >> 2] = v); }

/** The firmware's set-up (19.2 MHz crystal). */
export function cprmanReset(): void {
  for (let i = 0; i < regs.length; i++) unchecked(regs[i] = 0);
  set(A2W_PLLC_CTRL, 125 | A2W_PDIV_1 | A2W_PRST_DISABLE);    // 19.2 MHz x 125 = 2400 MHz
  set(A2W_PLLD_CTRL, 104 | A2W_PDIV_1 | A2W_PRST_DISABLE);    // x (104 + 174763 / 2^20) = 2000 MHz
  set(A2W_PLLD_FRAC, 174763);
  set(A2W_PLLC_CORE0, 6);                                     // 400 MHz
  set(A2W_PLLC_PER, 4);                                       // 600 MHz
  set(A2W_PLLD_CORE, 4);                                      // 500 MHz
  set(A2W_PLLD_PER, 4);                                       // 500 MHz
  set(CM_VPUCTL, CM_SRC_PLLC_CORE0 | CM_ENABLE);
  set(CM_VPUDIV, 1 << 12);                                    // /1: 400 MHz
  set(CM_UARTCTL, CM_SRC_PLLD_PER | CM_ENABLE);
  set(CM_UARTDIV, (10 << 12) | 1707);                         // /10.4167: 48 MHz
}

export function cprmanIsRegister(off: u32): bool { return off < CPRMAN_SIZE && (off & 3) == 0; }

export function cprmanRead(off: u32): u32 {
  if (off == CM_LOCK) return CM_LOCK_ALL;
  return unchecked(regs[off >> 2]);
}

export function cprmanWrite(off: u32, v: u32): void {
  if (off == CM_LOCK) return;
  unchecked(regs[off >> 2] = v & PASSWORD_MASK);
}
