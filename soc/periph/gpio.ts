// BCM2835 GPIO ("BCM2835 ARM Peripherals", chapter 6, at 0x3F200000).
// Registers keep what is written; GPLEV reflects outputs driven by GPSET/GPCLR.
// Pins are not connected to anything but the UARTs, which check their function
// (mini UART TX on GPIO14 needs ALT5, PL011 TX needs ALT0).
// Not implemented: edge/level detection and its interrupts (GPU IRQ 49-52).

export const GPFSEL0: u32 = 0x00;   // GPFSEL0..5 at 0x00..0x14, 3 bits a pin
export const GPSET0: u32 = 0x1C;
export const GPSET1: u32 = 0x20;
export const GPCLR0: u32 = 0x28;
export const GPCLR1: u32 = 0x2C;
export const GPLEV0: u32 = 0x34;
export const GPLEV1: u32 = 0x38;
export const GPEDS0: u32 = 0x40;
export const GPPUD: u32 = 0x94;
export const GPPUDCLK0: u32 = 0x98;
export const GPPUDCLK1: u32 = 0x9C;

export const GPIO_FUNC_INPUT: u32 = 0;
export const GPIO_FUNC_OUTPUT: u32 = 1;
export const GPIO_FUNC_ALT0: u32 = 4;
export const GPIO_FUNC_ALT5: u32 = 2;

const regs = new StaticArray<u32>(0x100 >> 2);
let level0: u32 = 0;
let level1: u32 = 0;

export function gpioReset(): void {
  for (let i = 0; i < (0x100 >> 2); i++) unchecked(regs[i] = 0);
  level0 = 0; level1 = 0;
}

export function gpioFunction(pin: u32): u32 {
  return (unchecked(regs[pin / 10]) >> ((pin % 10) * 3)) & 7;
}

export function setGpioFunction(pin: u32, f: u32): void {
  const i = pin / 10, shift = (pin % 10) * 3;
  unchecked(regs[i] = (regs[i] & ~(7 << shift)) | (f << shift));
}

export function gpioIsRegister(off: u32): bool { return off < 0xB4 && (off & 3) == 0; }

export function gpioRead(off: u32): u32 {
  switch (off) {
    case GPLEV0: return level0;
    case GPLEV1: return level1;
    case GPSET0: case GPSET1: case GPCLR0: case GPCLR1: return 0; // write-only
    default: return unchecked(regs[off >> 2]);
  }
}

export function gpioWrite(off: u32, v: u32): void {
  switch (off) {
    case GPSET0: level0 |= v; return;
    case GPSET1: level1 |= v; return;
    case GPCLR0: level0 &= ~v; return;
    case GPCLR1: level1 &= ~v; return;
    case GPLEV0: case GPLEV1: return;
    default: unchecked(regs[off >> 2] = v);
  }
}
