// include/peripherals/timer.h: the BCM2835 system timer.
import { PBASE } from "./base.js";

export const TIMER_CS = PBASE + 0x00003000;
export const TIMER_CLO = PBASE + 0x00003004;
export const TIMER_CHI = PBASE + 0x00003008;
export const TIMER_C0 = PBASE + 0x0000300c;
export const TIMER_C1 = PBASE + 0x00003010;
export const TIMER_C2 = PBASE + 0x00003014;
export const TIMER_C3 = PBASE + 0x00003018;

export const TIMER_CS_M0 = 1 << 0;
export const TIMER_CS_M1 = 1 << 1;
export const TIMER_CS_M2 = 1 << 2;
export const TIMER_CS_M3 = 1 << 3;
