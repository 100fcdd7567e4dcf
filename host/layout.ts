// Offsets into the SoC module's linear memory; mirrors soc/machine/layout.ts and soc/machine/info.ts.

export const STATE_BASE = 0x40000;
export const CORE_STATE_SIZE = 0x1000;
export const OFF_X = 0;
export const OFF_SP = 0x100;
/** System register slots of a core (soc/machine/layout.ts OFF_SYSREG; soc/cpu/sysreg.ts SLOT_GENERIC + genericSlot()). */
export const OFF_SYSREG = 0x200;
export const SLOT_TPIDR_EL0 = 32 + 18;
export const SLOT_TPIDR_EL1 = 32 + 20;
export const OFF_PC = 0x120;
export const OFF_PSTATE = 0x128;
export const OFF_V = 0xc00;
export const OFF_FPCR = 0xe00;
export const OFF_FPSR = 0xe08;

export const IO_BASE = 0x48000;
export const IO_RING_SIZE = 0x1000;
export const TX_BASE = IO_BASE;
export const RX_BASE = IO_BASE + IO_RING_SIZE * 2;

export const INFO_BASE = 0x4c000;
export const INFO_STOP_REASON = INFO_BASE + 0x00;
export const INFO_STOP_ARG = INFO_BASE + 0x08;
export const INFO_INSNS = INFO_BASE + 0x10;
export const INFO_NOW = INFO_BASE + 0x18;
export const INFO_EXC_WRITE = INFO_BASE + 0x20;
export const INFO_TX_WRITE = INFO_BASE + 0x24;
export const INFO_RX_READ = INFO_BASE + 0x28;
export const INFO_RX_WRITE = INFO_BASE + 0x2c;
export const INFO_IRQ_WRITE = INFO_BASE + 0x30;
export const INFO_NOTE_WRITE = INFO_BASE + 0x34;
export const INFO_CORE = INFO_BASE + 0x38;
export const INFO_MMIO_WRITE = INFO_BASE + 0x3c;
export const INFO_EXC_READ = INFO_BASE + 0x48;
export const INFO_IRQ_READ = INFO_BASE + 0x4c;
export const INFO_MMIO_READ = INFO_BASE + 0x50;
export const INFO_TX_READ = INFO_TX_WRITE + 0x20;
export const JIT_PC = INFO_BASE + 0x100;
export const JIT_FLAGS = INFO_BASE + 0x108;
export const JIT_QUEUE_COUNT = INFO_BASE + 0x110;
export const JIT_QUEUE = INFO_BASE + 0x118;
export const JIT_TLB = INFO_BASE + 0x2f8;
export const JIT_FP_OFF = INFO_BASE + 0x2fc;
export const JIT_QUEUE_DELTA = INFO_BASE + 0x300;

export const EXC_LOG_BASE = 0x50000;
export const EXC_LOG_ENTRIES = 512; // 64 bytes each
export const IRQ_LOG_BASE = 0x58000;
export const IRQ_LOG_ENTRIES = 512;
export const NOTE_LOG_BASE = 0x5a000;
export const NOTE_LOG_ENTRIES = 256;
export const MMIO_LOG_BASE = 0x5c000;
export const MMIO_LOG_ENTRIES = 1024;

export const INFO_MMU_WRITE = INFO_BASE + 0xf0;
export const INFO_MMU_READ = INFO_BASE + 0xf4;
export const MMU_LOG_BASE = 0x5b000;
export const MMU_LOG_ENTRIES = 128; // 32 bytes each

export const RAM_BASE = 0x100000;

/** The software TLB's sets per table and the offset of way 1 from way 0 (soc/cpu/mmu.ts TLB_SETS, TLB_WAY_BYTES). */
export const TLB_SETS = 128;
export const TLB_WAY_BYTES = 4096;

export const STOP_BUDGET = 0;
export const STOP_HOSTCALL = 1;
export const STOP_EXIT = 2;
export const STOP_HALTED = 3;
export const STOP_BREAK = 4;
export const STOP_TX = 5;
export const STOP_UNTIL_TIME = 6;
export const STOP_TICKS = 7;
export const STOP_JIT = 8;
export const STOP_INPUT = 15;
export const STOP_POWER = 16;
export const STOP_STORM = 17;

export const CORE_OFF = 0;
export const CORE_RUNNING = 1;
export const CORE_WFI = 2;
export const CORE_WFE = 3;
export const CORE_SPIN = 4;
