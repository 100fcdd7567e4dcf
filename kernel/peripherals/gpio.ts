// include/peripherals/gpio.h
import { PBASE } from "./base.js";

export const GPFSEL1 = PBASE + 0x00200004;
export const GPSET0 = PBASE + 0x0020001c;
export const GPCLR0 = PBASE + 0x00200028;
export const GPPUD = PBASE + 0x00200094;
export const GPPUDCLK0 = PBASE + 0x00200098;
