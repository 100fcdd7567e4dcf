// Linear-memory layout of the SoC module.
//
// Everything the host reads directly (registers, UART queues) lives at fixed
// offsets, so the TypeScript host can view it through a DataView without a
// call into the module. Keep host/layout.ts in step with this file.

/** Where the per-core CPU state starts. AssemblyScript's own static data sits below. */
export const STATE_BASE: usize = 0x40000;
/** Bytes of state per core (general registers, banked SPs, system registers). */
export const CORE_STATE_SIZE: usize = 0x1000;
export const NUM_CORES: i32 = 4;

// Offsets inside one core's state block.
export const OFF_X: usize = 0;          // X0..X30, then a slot 31 that always reads 0 (XZR)
export const OFF_SP: usize = 0x100;     // SP_EL0..SP_EL3
export const OFF_PC: usize = 0x120;
export const OFF_PSTATE: usize = 0x128; // NZCV/DAIF/EL/SPSel in SPSR layout, saved on core switch
export const OFF_SYSREG: usize = 0x200; // system register slots, see cpu/sysreg.ts
export const OFF_V: usize = 0xC00;      // V0..V31, 16 bytes each, little-endian (lane 0 at the lowest byte)
export const OFF_FPCR: usize = 0xE00;   // FPCR (32 bits), see cpu/fp.ts
export const OFF_FPSR: usize = 0xE08;   // FPSR (32 bits)

/** Byte queues shared with the host: serial output and input, 4 KiB rings. */
export const IO_BASE: usize = 0x48000;
export const IO_RING_SIZE: u32 = 0x1000;

/** A page of machine-wide values the host reads (stop reason, counters). */
export const INFO_BASE: usize = 0x4C000;

/** The compiled-region tables (cpu/jit.ts), up to JIT_TABLES_END (below TLB_BASE; soc/index.ts init checks). */
export const JIT_TABLES_BASE: usize = 0x60000;

/** The software TLBs (cpu/mmu.ts): 16 tables of 8 KiB, one per core and EL, up to 0xC0000. */
export const TLB_BASE: usize = 0xA0000;

/** The JIT's taken-branch counters (cpu/jit.ts), 64 Ki of them, up to RAM_BASE. */
export const HOT_COUNTERS_BASE: usize = 0xC0000;

/** Guest physical address 0 is host offset RAM_BASE. */
export const RAM_BASE: usize = 0x100000;
