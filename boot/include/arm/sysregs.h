// System register values boot.S programs on the way from EL3 to EL1
// (ARM ARM D17.2: SCTLR_EL1, HCR_EL2, SCR_EL3, SPSR_EL3).
#ifndef _SYSREGS_H
#define _SYSREGS_H

// SCTLR_EL1: RES1 bits, little-endian data at EL1 and EL0, caches and MMU off.
#define SCTLR_RESERVED                  ((3 << 28) | (3 << 22) | (1 << 20) | (1 << 11))
#define SCTLR_EE_LITTLE_ENDIAN          (0 << 25)
#define SCTLR_EOE_LITTLE_ENDIAN         (0 << 24)
#define SCTLR_I_CACHE_DISABLED          (0 << 12)
#define SCTLR_D_CACHE_DISABLED          (0 << 2)
#define SCTLR_MMU_DISABLED              (0 << 0)
#define SCTLR_VALUE_MMU_DISABLED        (SCTLR_RESERVED | SCTLR_EE_LITTLE_ENDIAN | SCTLR_I_CACHE_DISABLED | SCTLR_D_CACHE_DISABLED | SCTLR_MMU_DISABLED)

// HCR_EL2.RW: EL1 runs in AArch64.
#define HCR_RW                          (1 << 31)
#define HCR_VALUE                       HCR_RW

// SCR_EL3: RES1 bits 5:4, EL2 and below in AArch64 (RW), non-secure (NS).
#define SCR_RESERVED                    (3 << 4)
#define SCR_RW                          (1 << 10)
#define SCR_NS                          (1 << 0)
#define SCR_VALUE                       (SCR_RESERVED | SCR_RW | SCR_NS)

// SPSR_EL3 for the eret: D, A, I, F masked, return to EL1h (M = 0b0101).
#define SPSR_MASK_ALL                   (7 << 6)
#define SPSR_EL1h                       (5 << 0)
#define SPSR_VALUE                      (SPSR_MASK_ALL | SPSR_EL1h)

#endif
