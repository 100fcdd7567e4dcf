// include/peripherals/base.h: where the BCM2837 peripherals appear to the ARM cores.
export const PBASE = 0x3f000000;
