// The identification registers (ARM ARM D17.2, Cortex-A53 TRM r0p4 4.3): what
// this CPU is and, feature by feature, what it implements (design note 9: the ID
// registers tell the truth, a feature is advertised only when it is implemented).
//
// The ID space op0=3, op1=0, CRn=0, CRm=1..7 is fully allocated: an encoding
// without a register reads as zero (ARM ARM D17.1.x, "reserved, RAZ"), so
// software can probe any of them. Outside it, only the registers listed exist.
//
// Where the model differs from a real A53 the field says so:
//  - AArch32 is not emulated: EL0-EL3 are AArch64-only, and the AArch32 ID
//    registers (ID_PFR0 ... MVFR2) read as zero.
//  - FP, Advanced SIMD and the Crypto extension (AES with PMULL, SHA1, SHA2) are implemented
//    (fpsimd.ts, crypto.ts), as is CRC32. MVFR0-2 are AArch32 views and read as zero with the rest.
//  - No PMU (PMUVer = 0): PMCR_EL0 and the rest are UNDEFINED, as they should be then.
//  - Debug: 6 breakpoints, 4 watchpoints, 2 context comparators as on the A53,
//    but as storage only (debugregs.ts): they never trigger.

import { coreId } from "./state";

// @ts-ignore: decorator
@inline function key(op0: u32, op1: u32, crn: u32, crm: u32, op2: u32): u32 {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

/** Cortex-A53 r0p4 as on a Pi 3 Model B: implementer 0x41, variant 0, arch 0xF, part 0xD03, revision 4. */
export const MIDR_A53_R0P4: u64 = 0x410FD034;

// ID_AA64PFR0_EL1 fields (D17.2.64): EL0..EL3 [15:0] 1 = AArch64 only; FP [19:16] and AdvSIMD
// [23:20] 0 = implemented (0xF would say none).
export const PFR0_EL_AARCH64_ONLY: u64 = 0x1111;
export const PFR0_FP_IMPLEMENTED: u64 = 0 << 16;
export const PFR0_ADVSIMD_IMPLEMENTED: u64 = 0 << 20;
export const ID_AA64PFR0_VALUE: u64 = PFR0_EL_AARCH64_ONLY | PFR0_FP_IMPLEMENTED | PFR0_ADVSIMD_IMPLEMENTED;

// ID_AA64DFR0_EL1 (D17.2.59): DebugVer [3:0] = 6 (v8 debug), TraceVer 0, PMUVer [11:8] = 0 (none),
// BRPs [15:12] = 5 (six), WRPs [23:20] = 3 (four), CTX_CMPs [31:28] = 1 (two).
export const DFR0_DEBUGVER_V8: u64 = 6;
export const DFR0_BRPS: u64 = 5 << 12;
export const DFR0_WRPS: u64 = 3 << 20;
export const DFR0_CTX_CMPS: u64 = 1 << 28;
export const ID_AA64DFR0_VALUE: u64 = DFR0_DEBUGVER_V8 | DFR0_BRPS | DFR0_WRPS | DFR0_CTX_CMPS;
export const NUM_BREAKPOINTS: u32 = 6;
export const NUM_WATCHPOINTS: u32 = 4;

// ID_AA64ISAR0_EL1 (D17.2.61): AES [7:4] = 2 (AES and PMULL), SHA1 [11:8] = 1, SHA2 [15:12] = 1,
// CRC32 [19:16] = 1.
export const ID_AA64ISAR0_VALUE: u64 = (2 << 4) | (1 << 8) | (1 << 12) | (1 << 16);

// ID_AA64MMFR0_EL1 (D17.2.64): PARange [3:0] = 2 (40 bits), ASIDBits [7:4] = 2 (16 bits),
// BigEnd 0 (little-endian only here), SNSMem 0 (no Secure state modelled), TGran16 [23:20] = 0
// (not supported), TGran64 [27:24] = 0 and TGran4 [31:28] = 0 (supported).
export const ID_AA64MMFR0_VALUE: u64 = 0x22;

// Cache identification (A53 TRM 4.3.22-4.3.25, a Pi 3: 32 KiB L1 I and D, 512 KiB L2, 64-byte lines).
export const CTR_EL0_VALUE: u64 = 0x84448004;   // CWG=ERG=DminLine=IminLine=4 (64 B), L1Ip = VIPT
export const DCZID_EL0_VALUE: u64 = 0x4;        // DC ZVA zeroes 64 bytes
export const CLIDR_VALUE: u64 = 0x0A200023;     // L1 separate I/D, L2 unified; LoUIS 1, LoC 2, LoUU 1
const CCSIDR_L1D: u64 = 0x700FE01A;             // 4-way, 128 sets, 64 B, WB/RA/WA
const CCSIDR_L1I: u64 = 0x201FE00A;             // 2-way, 256 sets, 64 B
const CCSIDR_L2: u64 = 0x703FE07A;              // 16-way, 512 sets, 64 B

/** CCSIDR_EL1 for the cache CSSELR_EL1 selects (Level [3:1], InD [0]); 0 for one that is not there. */
function ccsidr(csselr: u64): u64 {
  switch ((csselr & 0xF) as u32) {
    case 0: return CCSIDR_L1D;
    case 1: return CCSIDR_L1I;
    case 2: return CCSIDR_L2;
    default: return 0;
  }
}

/**
 * The value of an identification register, or -1 if `k` is not one.
 * `csselr` is the core's CSSELR_EL1 (for CCSIDR_EL1).
 */
export function idRegisterValue(k: u32, csselr: u64): i64 {
  switch (k) {
    case key(3, 0, 0, 0, 0): return MIDR_A53_R0P4 as i64;
    // MPIDR_EL1: Aff0 = core number; bit 31 RES1; U (bit 30) = 0: a multiprocessor system.
    case key(3, 0, 0, 0, 5): return (0x80000000 as i64) | (coreId as i64);
    case key(3, 0, 0, 0, 6): return 0;                       // REVIDR_EL1
    case key(3, 0, 0, 4, 0): return ID_AA64PFR0_VALUE as i64;
    case key(3, 0, 0, 5, 0): return ID_AA64DFR0_VALUE as i64;
    case key(3, 0, 0, 6, 0): return ID_AA64ISAR0_VALUE as i64;
    case key(3, 0, 0, 7, 0): return ID_AA64MMFR0_VALUE as i64;
    case key(3, 3, 0, 0, 1): return CTR_EL0_VALUE as i64;
    case key(3, 3, 0, 0, 7): return DCZID_EL0_VALUE as i64;
    case key(3, 1, 0, 0, 1): return CLIDR_VALUE as i64;
    case key(3, 1, 0, 0, 0): return ccsidr(csselr) as i64;
    case key(3, 1, 0, 0, 7): return 0;                       // AIDR_EL1
    default: break;
  }
  // The rest of the ID space, CRm 1..7: the AArch32 ID registers (CRm 1-3, AArch32 not emulated),
  // ID_AA64PFR1, ZFR0, SMFR0, DFR1, AFR0/1, ISAR1/2, MMFR1/2 (features this v8.0 CPU lacks), and
  // the unallocated encodings: all RAZ.
  if ((k >> 7) == key(3, 0, 0, 0, 0) >> 7) {
    const crm = (k >> 3) & 15;
    if (crm >= 1 && crm <= 7) return 0;
  }
  return -1;
}
