// include/entry.h as TypeScript: the vector numbers handle_invalid_entry passes.
// boot/include/entry.h is the assembler's copy; test/kernel.test.ts checks they agree.
export const S_FRAME_SIZE = 256;

export const SYNC_INVALID_EL1t = 0;
export const IRQ_INVALID_EL1t = 1;
export const FIQ_INVALID_EL1t = 2;
export const ERROR_INVALID_EL1t = 3;
export const SYNC_INVALID_EL1h = 4;
export const IRQ_INVALID_EL1h = 5;
export const FIQ_INVALID_EL1h = 6;
export const ERROR_INVALID_EL1h = 7;
export const SYNC_INVALID_EL0_64 = 8;
export const IRQ_INVALID_EL0_64 = 9;
export const FIQ_INVALID_EL0_64 = 10;
export const ERROR_INVALID_EL0_64 = 11;
export const SYNC_INVALID_EL0_32 = 12;
export const IRQ_INVALID_EL0_32 = 13;
export const FIQ_INVALID_EL0_32 = 14;
export const ERROR_INVALID_EL0_32 = 15;
