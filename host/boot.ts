// Booting like the Raspberry Pi 3 firmware (design note 4): raw images and
// ELF files, config.txt (kernel_old, arm_64bit, kernel_address, enable_uart),
// and the spin table the firmware's armstub keeps secondary cores in.

import { Machine, GuestError } from "./machine.js";

export interface BootConfig {
  /** kernel_old=1: image at 0, every core starts at 0 in EL3 (the tutorial's config.txt). */
  kernelOld: boolean;
  /** Where a raw image goes (kernel_address; default 0x80000, or 0 with kernel_old). */
  loadAddress?: number;
  /** Override the entry point (default: the load address, or the ELF entry). */
  entry?: number;
  /** Exception level core 0 starts in (default 2, or 3 with kernel_old). */
  el?: number;
  /** How many cores run (1-4, default 4). */
  cores: number;
  /** enable_uart=1: the firmware puts GPIO14/15 in ALT5 for the mini UART. */
  enableUart: boolean;
}

export const DEFAULT_BOOT: BootConfig = { kernelOld: false, cores: 4, enableUart: false };

/** Parses the config.txt keys that matter here; unknown keys are ignored, as the firmware does. */
// A line that is neither `key=value`, a `[filter]` section nor a comment is reported through
// `warn` with its line number (the firmware skips it silently; a learner's typo should not be).
export function parseConfigTxt(text: string, warn: (message: string) => void = () => {}): Partial<BootConfig> {
  const out: Partial<BootConfig> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/#.*/, "").trim();
    const m = /^([A-Za-z_0-9]+)\s*=\s*(\S+)/.exec(line);
    if (!m) {
      if (line !== "" && !/^\[[^\]]*\]$/.test(line)) warn(`config.txt:${i + 1}: ignored, not key=value: ${JSON.stringify(lines[i].slice(0, 60))}`);
      continue;
    }
    const [, key, value] = m;
    const num = Number(value);
    switch (key) {
      case "kernel_old": out.kernelOld = num === 1; break;
      case "kernel_address":
        if (!Number.isInteger(num) || num < 0 || num > 0xffffffff) throw new GuestError(`config.txt:${i + 1}: kernel_address=${value} is not an address (0 to 0xffffffff)`);
        out.loadAddress = num;
        break;
      case "enable_uart": out.enableUart = num === 1; break;
      case "arm_64bit": if (num === 0) throw new GuestError("config.txt: arm_64bit=0 asks for a 32-bit kernel; only AArch64 is emulated"); break;
      default: break;
    }
  }
  return out;
}

export interface LoadedImage { format: "raw" | "elf"; entry: number; start: number; end: number }

const EM_AARCH64 = 183;
const PT_LOAD = 1;

/** Loads an ELF64 AArch64 executable by its program headers. */
export function loadElf(m: Machine, bytes: Uint8Array): LoadedImage {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (why: string) => { throw new GuestError(`bad ELF file: ${why}`); };
  if (bytes.length < 64) fail(`only ${bytes.length} bytes, shorter than an ELF header`);
  if (bytes[4] !== 2) fail("not a 64-bit ELF (EI_CLASS is not ELFCLASS64)");
  if (bytes[5] !== 1) fail("not little-endian (EI_DATA is not ELFDATA2LSB)");
  const machine = v.getUint16(18, true);
  if (machine !== EM_AARCH64) fail(`e_machine is ${machine}, not AArch64 (183)`);
  const entry = Number(v.getBigUint64(24, true));
  const phoff = Number(v.getBigUint64(32, true));
  const phentsize = v.getUint16(54, true);
  const phnum = v.getUint16(56, true);
  if (phnum === 0) fail("no program headers to load");
  if (phoff + phnum * phentsize > bytes.length) fail("program headers run past the end of the file (truncated?)");
  let start = Infinity, end = 0;
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (v.getUint32(p, true) !== PT_LOAD) continue;
    const offset = Number(v.getBigUint64(p + 8, true));
    const paddr = Number(v.getBigUint64(p + 24, true));
    const filesz = Number(v.getBigUint64(p + 32, true));
    const memsz = Number(v.getBigUint64(p + 40, true));
    if (offset + filesz > bytes.length) fail(`segment ${i} needs bytes ${offset}..${offset + filesz} but the file has ${bytes.length} (truncated?)`);
    if (paddr + memsz > m.ramSize) fail(`segment ${i} at 0x${paddr.toString(16)} (+0x${memsz.toString(16)}) does not fit in RAM (0x${m.ramSize.toString(16)} bytes)`);
    m.load(bytes.subarray(offset, offset + filesz), paddr);
    if (memsz > filesz) m.load(new Uint8Array(memsz - filesz), paddr + filesz);
    start = Math.min(start, paddr);
    end = Math.max(end, paddr + memsz);
  }
  if (end === 0) fail("no PT_LOAD segment");
  return { format: "elf", entry, start, end };
}

export const ARM64_IMAGE_MAGIC = 0x644d5241; // "ARM\x64" at offset 56
export const ARM64_HEADER_SIZE = 64;

/** Is this an arm64 Linux Image (by its header magic)? host/linux.ts boots it. */
export function isArm64Image(bytes: Uint8Array): boolean {
  return bytes.length >= ARM64_HEADER_SIZE && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(56, true) === ARM64_IMAGE_MAGIC;
}

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/**
 * The armstub the firmware runs before a 64-bit kernel (our own code, same
 * contract): core 0 jumps to the kernel with x0 = 0 (no device tree here);
 * cores 1-3 wait with WFE until their spin-table slot (0xe0, 0xe8, 0xf0) holds
 * an address, then jump there. Slot 0xd8 belongs to core 0.
 * `ARMSTUB_SOURCE` is its text; `ARMSTUB_WORDS` what our assembler makes of it
 * (test/startup.test.ts assembles the one and compares it with the other), so
 * booting does not load the assembler.
 */
export const ARMSTUB_SOURCE = `
_start:
    mrs x6, mpidr_el1
    and x6, x6, #3
    cbz x6, primary
    adr x5, spin_cpu0
secondary:
    wfe
    ldr x4, [x5, x6, lsl #3]
    cbz x4, secondary
    mov x0, #0
    br x4
primary:
    ldr x4, kernel_entry
    mov x0, #0
    br x4
    .align 3
kernel_entry: .quad KERNEL_ENTRY
    .space 0xd8 - (. - _start)
spin_cpu0: .quad 0
spin_cpu1: .quad 0
spin_cpu2: .quad 0
spin_cpu3: .quad 0
`;
/** The instructions of ARMSTUB_SOURCE up to `kernel_entry`, which follows them at ARMSTUB_ENTRY_SLOT. */
const ARMSTUB_WORDS = [
  0xd53800a6, 0x924004c6, 0xb40000e6, 0x10000665, 0xd503205f, 0xf86678a4,
  0xb4ffffc4, 0xd2800000, 0xd61f0080, 0x58000064, 0xd2800000, 0xd61f0080,
];
const ARMSTUB_ENTRY_SLOT = 0x30;
/** Bytes of the armstub: its code, `kernel_entry`, and the four spin-table slots ending at 0xf8. */
const ARMSTUB_SIZE = 0xf8;

export function armstub(kernelEntry: number): Uint8Array {
  const image = new Uint8Array(ARMSTUB_SIZE);
  const v = new DataView(image.buffer);
  ARMSTUB_WORDS.forEach((w, i) => v.setUint32(i * 4, w, true));
  v.setBigUint64(ARMSTUB_ENTRY_SLOT, BigInt(kernelEntry), true);
  return image;
}

/**
 * The system registers the Pi 3 firmware leaves for a 64-bit kernel it starts at EL2 (design
 * note 9). Its armstub (armstub8.S in raspberrypi/tools, run by every core) writes some of them at
 * EL3 and then ERETs to EL2h with DAIF masked; the rest keep their Cortex-A53 reset values.
 * Each value and why:
 */
export const ARMSTUB_EL2_ENTRY: ReadonlyArray<readonly [name: string, value: number, why: string]> = [
  // Written by the armstub at EL3:
  ["scr_el3", 0x5b1, "RW (bit 10): EL2 and EL1 are AArch64; HCE (8): HVC enabled; SMD (7): SMC is UNDEFINED " +
    "(no secure monitor stays behind); bits 5:4 RES1; NS (0): EL2 and below are Non-secure"],
  ["spsr_el3", 0x3c9, "the armstub's own ERET to the kernel: EL2h with D, A, I, F masked"],
  ["cptr_el3", 0, "TFP (bit 10) = 0: FP/SIMD is not trapped to EL3"],
  ["actlr_el3", 0x73, "bits 0, 1, 4, 5, 6: EL2/EL1 may write CPUACTLR, CPUECTLR, L2CTLR, L2ECTLR, L2ACTLR"],
  ["s3_1_c15_c2_1", 0x40, "CPUECTLR_EL1.SMPEN: the core takes part in coherency"],
  ["cntvoff_el2", 0, "the virtual counter equals the physical one (CNTFRQ_EL0 is the 19.2 MHz crystal, fixed here)"],
  ["sctlr_el2", 0x30c50830, "RES1 bits only: little-endian, MMU, caches, alignment and SP alignment checks off"],
  // Not written by the armstub (Cortex-A53 reset values; QEMU's -kernel boot at EL2 reads the same):
  ["hcr_el2", 0x80000000, "RW (bit 31) = 1: EL1 is AArch64, so a kernel may ERET to EL1h without writing HCR_EL2; " +
    "nothing is trapped or routed to EL2 (IMO/FMO/TGE = 0)"],
  ["cnthctl_el2", 0x3, "EL1PCTEN, EL1PCEN: EL1 and EL0 reach the physical counter and timer (CNTPCT, CNTP_*)"],
  ["cptr_el2", 0x33ff, "RES1 bits 13:12 and 9:0; TFP (bit 10) = 0: FP/SIMD is not trapped to EL2 (QEMU omits the RES1 bits)"],
  ["mdcr_el2", 0x6, "HPMN = 6: EL1 sees all six PMU event counters; no debug traps to EL2"],
];

/** Sets `core`'s registers as the armstub leaves them (ARMSTUB_EL2_ENTRY, plus VPIDR/VMPIDR). */
export function armstubEntryState(m: Machine, core: number): void {
  const cpu = m.cores[core];
  for (const [name, value] of ARMSTUB_EL2_ENTRY) cpu.setSysreg(name, value);
  // What EL1 reads as MIDR_EL1/MPIDR_EL1 comes from these at EL2 (reset: the core's own values).
  cpu.setSysreg("vpidr_el2", cpu.sysreg("midr_el1"));
  cpu.setSysreg("vmpidr_el2", cpu.sysreg("mpidr_el1"));
}

/** Loads `bytes` and starts the cores as the firmware would. */
export function boot(m: Machine, bytes: Uint8Array, cfg: BootConfig): LoadedImage {
  if (bytes.length === 0) throw new GuestError("the image is empty");
  if (cfg.cores < 1 || cfg.cores > 4) throw new GuestError(`--cores must be 1 to 4, not ${cfg.cores}`);
  let img: LoadedImage;
  if (isElf(bytes)) img = loadElf(m, bytes);
  else {
    const at = cfg.loadAddress ?? (cfg.kernelOld ? 0 : 0x80000);
    if (!Number.isInteger(at) || at < 0) throw new GuestError(`load address ${at} is not an address`);
    if (at + bytes.length > m.ramSize) {
      throw new GuestError(`image of ${bytes.length} bytes at 0x${at.toString(16)} does not fit in RAM (0x${m.ramSize.toString(16)} bytes)`);
    }
    m.load(bytes, at);
    img = { format: "raw", entry: at, start: at, end: at + bytes.length };
  }
  const entry = cfg.entry ?? img.entry;
  if (cfg.enableUart) {
    m.soc.gpioSetFunction(14, 2);
    m.soc.gpioSetFunction(15, 2);
  }
  if (cfg.kernelOld) {
    for (let c = 0; c < cfg.cores; c++) m.start(c, entry, cfg.el ?? 3);
  } else {
    const el = cfg.el ?? 2;
    for (let c = 0; c < cfg.cores; c++) armstubEntryState(m, c);
    m.start(0, entry, el);
    if (cfg.cores > 1 && img.start >= 0x100) {
      m.load(armstub(entry), 0);
      for (let c = 1; c < cfg.cores; c++) m.start(c, 0, el);
    }
  }
  return { ...img, entry };
}
