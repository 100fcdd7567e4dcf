// include/peripherals/mini_uart.h
import { PBASE } from "./base.js";

export const AUX_ENABLES = PBASE + 0x00215004;
export const AUX_MU_IO_REG = PBASE + 0x00215040;
export const AUX_MU_IER_REG = PBASE + 0x00215044;
export const AUX_MU_IIR_REG = PBASE + 0x00215048;
export const AUX_MU_LCR_REG = PBASE + 0x0021504c;
export const AUX_MU_MCR_REG = PBASE + 0x00215050;
export const AUX_MU_LSR_REG = PBASE + 0x00215054;
export const AUX_MU_MSR_REG = PBASE + 0x00215058;
export const AUX_MU_SCRATCH = PBASE + 0x0021505c;
export const AUX_MU_CNTL_REG = PBASE + 0x00215060;
export const AUX_MU_STAT_REG = PBASE + 0x00215064;
export const AUX_MU_BAUD_REG = PBASE + 0x00215068;
