// Booting a 64-bit Linux Image as the Raspberry Pi firmware does (design note 9).
//
// The arm64 boot protocol (Linux Documentation/arch/arm64/booting.rst):
//  - the Image starts with a 64-byte header: code0, code1 (u32), text_offset,
//    image_size, flags (u64), three reserved u64, magic "ARM\x64" (0x644d5241),
//    res5 (u32, the PE header offset of an EFI-stub kernel). All little-endian;
//  - the Image is placed text_offset bytes from a 2 MiB-aligned base and needs
//    image_size bytes there (its BSS and early page tables included);
//  - x0 = physical address of the DTB (8-byte aligned, at most 2 MiB), x1-x3 = 0;
//  - MMU off, D-cache off, interrupts masked, at EL2 (then the kernel can use
//    virtualisation) or EL1; CNTFRQ programmed, CNTVOFF consistent;
//  - secondary cores wait in an "enable-method = spin-table" loop and jump to the
//    address the kernel writes to their `cpu-release-addr` (after which it SEVs).
//
// What the firmware does to the DTB (and this file too, with host/fdt.ts):
// /memory reg = the RAM, /chosen/bootargs = the command line, and
// /chosen linux,initrd-start/end = where it put the initrd.

import { Machine, GuestError } from "./machine.js";
import { parseFdt, serializeFdt, findNode, fdtCells, fdtString, readCells, FdtError, type Fdt } from "./fdt.js";

// The header check lives in boot.ts, so `rpi-os run` tells an Image from a raw kernel without loading this file.
import { ARM64_IMAGE_MAGIC, ARM64_HEADER_SIZE } from "./boot.js";
export { ARM64_IMAGE_MAGIC, ARM64_HEADER_SIZE, isArm64Image } from "./boot.js";

/** Flags field (booting.rst): bit 0 big-endian, bits 2:1 page size, bit 3 "anywhere" placement. */
export const ARM64_FLAG_BE = 1;
export const ARM64_FLAG_PAGE_SHIFT = 1;
export const ARM64_FLAG_PHYS_ANYWHERE = 1 << 3;
/** arm64's COMMAND_LINE_SIZE (arch/arm64/include/uapi/asm/setup.h): bootargs beyond it are cut. */
export const COMMAND_LINE_SIZE = 2048;
/** The largest DTB booting.rst allows. */
export const MAX_DTB_SIZE = 2 * 1024 * 1024;
const SZ_2M = 0x200000;
/** Room at the bottom of RAM for the spin-table stub (as QEMU and the Pi firmware keep it free). */
const STUB_RESERVED = 0x80000;

export interface Arm64ImageHeader {
  textOffset: number;
  /** Bytes the kernel needs from its load address (0 in pre-3.17 kernels: unknown). */
  imageSize: number;
  flags: number;
  /** 4096, 16384, 65536, or 0 when the header does not say. */
  pageSize: number;
  /** Flags bit 3: the Image may sit anywhere in RAM, not only near its start. */
  anywhere: boolean;
  /** An EFI stub's PE header is there too (the code0 "MZ" signature). */
  efiStub: boolean;
}

/**
 * Parses and checks the Image header. Throws GuestError with a one-line reason. `bytes` may be
 * the file's first bytes only (KernelSource.head), `length` then being the file's.
 */
export function parseImageHeader(bytes: Uint8Array, length = bytes.length): Arm64ImageHeader {
  const fail = (why: string): never => { throw new GuestError(`not an arm64 Linux Image: ${why}`); };
  if (length < ARM64_HEADER_SIZE || bytes.length < ARM64_HEADER_SIZE) fail(`only ${length} bytes, shorter than the 64-byte Image header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = v.getUint32(56, true);
  if (magic !== ARM64_IMAGE_MAGIC) fail(`magic at offset 56 is 0x${magic.toString(16).padStart(8, "0")}, not 0x644d5241 ("ARM\\x64")`);
  const textOffset = Number(v.getBigUint64(8, true));
  const imageSize = Number(v.getBigUint64(16, true));
  const flags = Number(v.getBigUint64(24, true));
  if (flags & ARM64_FLAG_BE) fail("it is a big-endian kernel (flags bit 0); this machine runs little-endian");
  if (textOffset % 4096 !== 0 || textOffset >= SZ_2M) fail(`text_offset 0x${textOffset.toString(16)} is not a page offset within 2 MiB`);
  // An EFI-stub kernel's PE section table says how long the file is: a cut file is caught exactly.
  const peEnd = peFileEnd(bytes, v);
  if (peEnd !== undefined && length < peEnd) fail(`truncated: ${length} bytes, but its PE sections run to ${peEnd}`);
  const pageSize = [0, 4096, 16384, 65536][(flags >> ARM64_FLAG_PAGE_SHIFT) & 3];
  return {
    textOffset, imageSize, flags, pageSize, anywhere: (flags & ARM64_FLAG_PHYS_ANYWHERE) !== 0,
    efiStub: bytes[0] === 0x4d && bytes[1] === 0x5a,
  };
}

/**
 * End of the last section's raw data in the PE/COFF header an EFI stub carries
 * (PE offset at header byte 60, "PE\0\0", COFF header, then 40-byte section
 * headers with SizeOfRawData at +16 and PointerToRawData at +20), or undefined.
 */
function peFileEnd(bytes: Uint8Array, v: DataView): number | undefined {
  if (bytes[0] !== 0x4d || bytes[1] !== 0x5a) return undefined; // "MZ"
  const pe = v.getUint32(60, true);
  if (pe + 24 > bytes.length || v.getUint32(pe, true) !== 0x00004550) return undefined;
  const sections = v.getUint16(pe + 6, true);
  const table = pe + 24 + v.getUint16(pe + 20, true);
  if (table + sections * 40 > bytes.length) return table + sections * 40;
  let end = 0;
  for (let i = 0; i < sections; i++) {
    const h = table + i * 40;
    end = Math.max(end, v.getUint32(h + 20, true) + v.getUint32(h + 16, true));
  }
  return end;
}

/**
 * A kernel Image to boot without its bytes in the host's memory: its first bytes for the header,
 * and a way to write the whole file into guest RAM (tools/linux.ts kernelFile reads a file
 * straight there). Debian's Image is 31 MB; a copy of it kept beside guest RAM was peak RSS.
 */
export interface KernelSource {
  /** Bytes in the Image file. */
  readonly length: number;
  /** The file's first bytes: the 64-byte header, and an EFI stub's PE section table if it has one. */
  readonly head: Uint8Array;
  /** Writes the whole file into guest RAM at physical `addr` (Machine.loadWith). */
  loadInto(m: Machine, addr: number): void;
}

export interface LinuxBootOptions {
  /** The device tree blob to patch and pass in x0 (required: Linux on a Pi finds its devices there). */
  dtb: Uint8Array;
  initrd?: Uint8Array;
  /** The kernel command line; /chosen/bootargs of the DTB stays when undefined. */
  cmdline?: string;
  /** Cores that run (1-4, default 4); the others are never released. */
  cores?: number;
}

export interface LinuxLayout {
  header: Arm64ImageHeader;
  kernel: number;
  kernelEnd: number;
  dtb: number;
  dtbSize: number;
  initrdStart?: number;
  initrdEnd?: number;
  /** cpu-release-addr of each CPU node, by its reg (MPIDR Aff0). */
  releaseAddrs: number[];
  cmdline: string;
}

const alignUp = (x: number, a: number) => Math.ceil(x / a) * a;

/** The DT's root #address-cells / #size-cells (defaults 2 and 1, spec 2.3.5). */
function rootCells(fdt: Fdt): { ac: number; sc: number } {
  return { ac: fdt.root.u32("#address-cells") ?? 2, sc: fdt.root.u32("#size-cells") ?? 1 };
}

/** The cpu-release-addr of each spin-table CPU in /cpus, indexed by reg. */
export function spinTableReleaseAddrs(fdt: Fdt): number[] {
  const cpus = findNode(fdt, "/cpus");
  if (!cpus) throw new FdtError("bad DTB: no /cpus node");
  const ac = cpus.u32("#address-cells") ?? 1;
  const out: number[] = [];
  for (const c of cpus.children) {
    if (c.string("device_type") !== "cpu") continue;
    const reg = c.cells("reg");
    if (!reg || reg.length < ac) throw new FdtError(`bad DTB: /cpus/${c.name} has no reg`);
    const id = Number(readCells(reg, 0, ac));
    const method = c.string("enable-method");
    if (method !== "spin-table") {
      if (id !== 0) throw new FdtError(`bad DTB: /cpus/${c.name} has enable-method '${method ?? "(none)"}'; only spin-table is offered, as by the Pi firmware`);
      continue;
    }
    const rel = c.cells("cpu-release-addr");
    if (!rel || (rel.length !== 1 && rel.length !== 2)) throw new FdtError(`bad DTB: /cpus/${c.name} has no 1- or 2-cell cpu-release-addr`);
    out[id] = Number(readCells(rel, 0, rel.length));
  }
  return out;
}

/**
 * Patches a DTB as the firmware does: /memory, /chosen/bootargs and the initrd
 * range. Returns the new blob. Errors are one line (FdtError / GuestError).
 */
export function patchDtb(dtb: Uint8Array, p: { ramSize: number; cmdline?: string; initrd?: { start: number; end: number } }): { blob: Uint8Array; fdt: Fdt; cmdline: string } {
  const fdt = parseFdt(dtb);
  const { ac, sc } = rootCells(fdt);
  // /memory: the RAM from 0. The DT names it memory@0 (or just memory).
  const mem = fdt.root.child("memory") ?? fdt.root.ensureChild("memory@0");
  mem.setProp("device_type", fdtString("memory"));
  const reg = new Uint8Array(4 * (ac + sc));
  reg.set(fdtCells([0], ac), 0);
  reg.set(fdtCells([p.ramSize], sc), 4 * ac);
  mem.setProp("reg", reg);
  const chosen = fdt.root.ensureChild("chosen");
  if (p.cmdline !== undefined) {
    const bytes = new TextEncoder().encode(p.cmdline).length;
    if (bytes >= COMMAND_LINE_SIZE) {
      throw new GuestError(`the command line is ${bytes} bytes; arm64 Linux reads at most ${COMMAND_LINE_SIZE - 1} of /chosen/bootargs (COMMAND_LINE_SIZE ${COMMAND_LINE_SIZE})`);
    }
    chosen.setProp("bootargs", fdtString(p.cmdline));
  }
  if (p.initrd) {
    chosen.setProp("linux,initrd-start", fdtCells([p.initrd.start], ac));
    chosen.setProp("linux,initrd-end", fdtCells([p.initrd.end], ac));
  } else {
    chosen.removeProp("linux,initrd-start");
    chosen.removeProp("linux,initrd-end");
  }
  const blob = serializeFdt(fdt, 4096);
  if (blob.length > MAX_DTB_SIZE) throw new GuestError(`the DTB is ${blob.length} bytes; arm64 Linux accepts at most 2 MiB`);
  return { blob, fdt, cmdline: chosen.string("bootargs") ?? "" };
}

/**
 * The spin-table stub for cores 1-3 (our own code): each waits with WFE until its release
 * address holds an entry point, then jumps there with x0-x3 = 0. The release addresses, by core,
 * follow the code in its literal table.
 */
export const SPIN_STUB_SOURCE = `
_start:
    mrs x6, mpidr_el1
    and x6, x6, #3
    adr x5, release_table
    ldr x5, [x5, x6, lsl #3]
    cbz x5, park
wait:
    wfe
    ldr x4, [x5]
    cbz x4, wait
    mov x0, #0
    mov x1, #0
    mov x2, #0
    mov x3, #0
    br x4
park:
    wfe
    b park
    .align 3
release_table: .quad 0, 0, 0, 0
`;

/**
 * SPIN_STUB_SOURCE as encoded, up to its release table: our assembler's encoding, which
 * test/linux-boot.test.ts checks (GNU as gives the same words). Assembled at every boot instead,
 * it was 22 ms of the boot to /init: the assembler runs as cold JavaScript there.
 */
export const SPIN_STUB_CODE = Uint32Array.of(
  0xd53800a6, 0x924004c6, 0x100001c5, 0xf86678a5, 0xb4000125, 0xd503205f, 0xf94000a4, 0xb4ffffc4,
  0xd2800000, 0xd2800001, 0xd2800002, 0xd2800003, 0xd61f0080, 0xd503205f, 0x17ffffff, 0xd503201f,
);

function spinStub(release: number[]): Uint8Array {
  const stub = new Uint8Array(SPIN_STUB_CODE.byteLength + 32);
  const v = new DataView(stub.buffer);
  SPIN_STUB_CODE.forEach((w, i) => v.setUint32(4 * i, w, true));
  for (let c = 0; c < 4; c++) v.setBigUint64(SPIN_STUB_CODE.byteLength + 8 * c, BigInt(release[c] ?? 0), true);
  return stub;
}

// SCR_EL3 as the Pi's armstub8 leaves it (ARM ARM D17.2.117): NS, RES1 bits 5:4, SMD, HCE, RW.
const SCR_EL3_FIRMWARE = 0x5b1; // bits 0, 5:4, 7, 8, 10
/** HCR_EL2.RW: EL1 is AArch64 (booting.rst asks for it when entering at EL2). */
const HCR_EL2_RW = 0x80000000;

/**
 * Loads an arm64 Image, the patched DTB and the initrd, and starts core 0 at the
 * kernel's entry in EL2 with x0 = DTB; cores 1-3 wait in the spin table.
 */
export function bootLinux(m: Machine, kernelImage: Uint8Array | KernelSource, opts: LinuxBootOptions): LinuxLayout {
  const image: KernelSource = kernelImage instanceof Uint8Array
    ? { length: kernelImage.length, head: kernelImage, loadInto: (mm, addr) => mm.load(kernelImage, addr) }
    : kernelImage;
  const header = parseImageHeader(image.head, image.length);
  const cores = opts.cores ?? 4;
  if (cores < 1 || cores > 4) throw new GuestError(`--cores must be 1 to 4, not ${cores}`);
  // Placement: text_offset from the lowest 2 MiB-aligned base that leaves the stub's room free.
  const base = header.textOffset >= STUB_RESERVED ? 0 : SZ_2M;
  const kernel = base + header.textOffset;
  const kernelEnd = kernel + Math.max(header.imageSize, image.length);
  if (kernelEnd > m.ramSize) throw new GuestError(`the kernel needs 0x${kernel.toString(16)}..0x${kernelEnd.toString(16)} but RAM is 0x${m.ramSize.toString(16)} bytes`);

  // The initrd after the kernel (page aligned, as booting.rst suggests), then the DTB.
  let initrd: { start: number; end: number } | undefined;
  let next = alignUp(kernelEnd, SZ_2M);
  if (opts.initrd) {
    if (opts.initrd.length === 0) throw new GuestError("the initrd is empty");
    initrd = { start: next, end: next + opts.initrd.length };
    if (initrd.end > m.ramSize) {
      throw new GuestError(`the initrd (${opts.initrd.length} bytes) does not fit in RAM: 0x${m.ramSize.toString(16)} bytes, the kernel ending at 0x${kernelEnd.toString(16)}`);
    }
    next = alignUp(initrd.end, SZ_2M);
  }
  const { blob, fdt, cmdline } = patchDtb(opts.dtb, { ramSize: m.ramSize, cmdline: opts.cmdline, initrd });
  const dtb = next;
  if (dtb + blob.length > m.ramSize) throw new GuestError(`the DTB does not fit in RAM after the kernel${initrd ? " and initrd" : ""}`);
  const releaseAddrs = spinTableReleaseAddrs(fdt);
  for (let c = 1; c < cores; c++) {
    const r = releaseAddrs[c];
    if (r === undefined) throw new GuestError(`the DTB has no spin-table cpu@${c} for core ${c} (use --cores ${c})`);
    if (r % 8 !== 0 || r + 8 > STUB_RESERVED) throw new GuestError(`cpu@${c}'s cpu-release-addr 0x${r.toString(16)} is not an aligned address in the first 512 KiB, where the stub keeps it`);
  }

  image.loadInto(m, kernel);
  if (header.imageSize > image.length) m.load(new Uint8Array(header.imageSize - image.length), kernel + image.length);
  if (opts.initrd && initrd) m.load(opts.initrd, initrd.start);
  m.load(blob, dtb);
  const stub = spinStub(releaseAddrs);
  const stubEnd = stub.length;
  for (let c = 1; c < cores; c++) {
    if (releaseAddrs[c] < stubEnd) throw new GuestError(`cpu@${c}'s cpu-release-addr 0x${releaseAddrs[c].toString(16)} lies inside the spin-table stub (0..0x${stubEnd.toString(16)})`);
  }
  m.load(stub, 0);
  for (let c = 1; c < cores; c++) m.load(new Uint8Array(8), releaseAddrs[c]);

  for (let c = 0; c < cores; c++) {
    m.cores[c].setSysreg("scr_el3", SCR_EL3_FIRMWARE);
    m.cores[c].setSysreg("hcr_el2", HCR_EL2_RW);
  }
  m.start(0, kernel, 2);
  m.cores[0].setX(0, dtb);
  for (let r = 1; r <= 3; r++) m.cores[0].setX(r, 0);
  for (let c = 1; c < cores; c++) m.start(c, 0, 2);
  return {
    header, kernel, kernelEnd, dtb, dtbSize: blob.length, initrdStart: initrd?.start, initrdEnd: initrd?.end,
    releaseAddrs, cmdline,
  };
}
