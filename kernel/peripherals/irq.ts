// include/peripherals/irq.h: the BCM2835 ARM interrupt controller.
import { PBASE } from "./base.js";

export const IRQ_BASIC_PENDING = PBASE + 0x0000b200;
export const IRQ_PENDING_1 = PBASE + 0x0000b204;
export const IRQ_PENDING_2 = PBASE + 0x0000b208;
export const FIQ_CONTROL = PBASE + 0x0000b20c;
export const ENABLE_IRQS_1 = PBASE + 0x0000b210;
export const ENABLE_IRQS_2 = PBASE + 0x0000b214;
export const ENABLE_BASIC_IRQS = PBASE + 0x0000b218;
export const DISABLE_IRQS_1 = PBASE + 0x0000b21c;
export const DISABLE_IRQS_2 = PBASE + 0x0000b220;
export const DISABLE_BASIC_IRQS = PBASE + 0x0000b224;

// System timer compare channels are GPU IRQs 0-3 (the manual's table omits them).
export const SYSTEM_TIMER_IRQ_0 = 1 << 0;
export const SYSTEM_TIMER_IRQ_1 = 1 << 1;
export const SYSTEM_TIMER_IRQ_2 = 1 << 2;
export const SYSTEM_TIMER_IRQ_3 = 1 << 3;
