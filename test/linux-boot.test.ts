// Booting an arm64 Image as the Pi firmware does (host/linux.ts) and our
// initramfs (host/cpio.ts, boot/linux/init): header checks, placement, x0 = DTB,
// the spin table, EL2 entry, one-line errors, and the archive as GNU cpio reads it.
import { describe, it, expect } from "vitest";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { Machine, GuestError } from "../host/index.js";
import { bootLinux, parseImageHeader, isArm64Image, SPIN_STUB_SOURCE, SPIN_STUB_CODE } from "../host/linux.js";
import { parseFdt, findNode } from "../host/fdt.js";
import { writeCpio, readCpio, buildInitramfs, S_IFREG, S_IFDIR, S_IFCHR, CpioError } from "../host/cpio.js";
import { assemble } from "../tools/asm/assembler.js";
import { guestPath } from "./support/guest.js";
import { kernelFile } from "../tools/linux.js";
import { haveTool, runIf, requirePresent, haveLinux, linuxCacheDir } from "./support/tools.js";

const tinyDtb = () => new Uint8Array(readFileSync(guestPath("linux/tiny.dtb")));

/**
 * A small Image of our own with the arm64 header: core 0 checks x0 points at an FDT,
 * releases core 1 through the spin table (cpu-release-addr 0xe0 in tiny.dts) with SEV,
 * and both record what they see.
 */
function testImage(textOffset = 0): Uint8Array {
  return assemble([{ name: "image.S", text: `
_head:
    b start                       // code0
    .word 0                       // code1
    .quad ${textOffset}           // text_offset
    .quad image_end - _head       // image_size
    .quad 0xa                     // flags: LE, 4K pages, anywhere
    .quad 0, 0, 0
    .word 0x644d5241              // "ARM\\x64"
    .word 0
start:
    mov x20, x0                   // the DTB
    ldr w21, [x0]                 // its magic, big-endian in memory
    mrs x22, currentel
    mrs x23, hcr_el2
    adr x1, secondary
    mov x2, #0xe0
    str x1, [x2]
    sev
1:  ldr x3, flag
    cbz x3, 1b
    b .
secondary:
    mrs x24, mpidr_el1
    mov x25, x0
    adr x4, flag
    mov x5, #1
    str x5, [x4]
    b .
    .align 3
flag: .quad 0
    .space 4096
image_end:
` }], { base: 0 }).image;
}

describe("arm64 Image loader", () => {
  it("parses the header: text_offset, image_size, flags", () => {
    const img = testImage(0x80000);
    const h = parseImageHeader(img);
    expect(h.textOffset).toBe(0x80000);
    expect(h.imageSize).toBe(img.length);
    expect(h.pageSize).toBe(4096);
    expect(h.anywhere).toBe(true);
    expect(isArm64Image(img)).toBe(true);
    expect(isArm64Image(tinyDtb())).toBe(false);
  });

  it("boots like the firmware: 2 MiB-aligned base + text_offset, x0 = patched DTB, EL2 with HCR_EL2.RW, core 1 from the spin table", async () => {
    const m = await Machine.create({ ramSize: 0x4000000 });
    const lay = bootLinux(m, testImage(0), { dtb: tinyDtb(), cmdline: "console=ttyS1", cores: 2 });
    expect(lay.kernel).toBe(0x200000); // text_offset 0: base 2 MiB, clear of the stub at 0
    expect(lay.dtb % 8).toBe(0);
    expect(lay.releaseAddrs).toEqual([0xd8, 0xe0]);
    const r = m.run({ maxInsns: 100_000 });
    expect(r.reason).toBe("halted"); // both end in \`b .\` with nothing scheduled
    const c0 = m.cores[0], c1 = m.cores[1];
    expect(Number(c0.x(20))).toBe(lay.dtb);
    expect(c0.x(21)).toBe(0xedfe0dd0n);           // 0xd00dfeed read little-endian
    expect(c0.x(22)).toBe(2n << 2n);               // CurrentEL: EL2
    expect(c0.x(23) & (1n << 31n)).toBe(1n << 31n); // HCR_EL2.RW
    expect(c1.x(24) & 0xffn).toBe(1n);             // core 1 ran the kernel's secondary entry
    expect(c1.x(25)).toBe(0n);                     // with x0 = 0
    const fdt = parseFdt(m.readMemory(lay.dtb, lay.dtbSize));
    expect(findNode(fdt, "/chosen")!.string("bootargs")).toBe("console=ttyS1");
    expect(findNode(fdt, "/memory")!.cells("reg")).toEqual([0, 0x4000000]);
  });

  it("places the initrd in RAM and names it in /chosen", async () => {
    const m = await Machine.create({ ramSize: 0x4000000 });
    const initrd = buildInitramfs(new Uint8Array([1, 2, 3, 4]));
    const lay = bootLinux(m, testImage(0x80000), { dtb: tinyDtb(), initrd, cores: 1 });
    expect(lay.kernel).toBe(0x80000);
    const chosen = findNode(parseFdt(m.readMemory(lay.dtb, lay.dtbSize)), "/chosen")!;
    expect(chosen.cells("linux,initrd-start")).toEqual([lay.initrdStart]);
    expect(chosen.cells("linux,initrd-end")).toEqual([lay.initrdEnd]);
    expect(m.readMemory(lay.initrdStart!, initrd.length)).toEqual(initrd);
  });

  it("bad input: one-line errors", async () => {
    const m = await Machine.create({ ramSize: 0x4000000 });
    const img = testImage();
    const line = (f: () => unknown, re: RegExp) => {
      let e: unknown;
      try { f(); } catch (x) { e = x; }
      expect(e).toBeInstanceOf(GuestError);
      expect((e as Error).message).not.toContain("\n");
      expect((e as Error).message).toMatch(re);
    };
    line(() => bootLinux(m, img.subarray(0, 40), { dtb: tinyDtb() }), /^not an arm64 Linux Image: only 40 bytes, shorter than the 64-byte Image header/);
    line(() => bootLinux(m, tinyDtb(), { dtb: tinyDtb() }), /^not an arm64 Linux Image: magic at offset 56 is/);
    line(() => bootLinux(m, img, { dtb: img }), /^bad DTB: magic is 0x/);
    line(() => bootLinux(m, img, { dtb: tinyDtb(), initrd: new Uint8Array(0x4000000) }), /^the initrd \(67108864 bytes\) does not fit in RAM/);
    line(() => bootLinux(m, img, { dtb: tinyDtb(), cmdline: "x".repeat(5000) }), /^the command line is 5000 bytes; arm64 Linux reads at most 2047/);
    line(() => bootLinux(m, img, { dtb: tinyDtb(), cores: 4 }), /no spin-table cpu@2 for core 2/);
  });

  it("the spin-table stub's words are its source as our assembler encodes it, and the release addresses follow them", async () => {
    const image = assemble([{ name: "spin-table.S", text: SPIN_STUB_SOURCE }], { base: 0 }).image;
    const words = new Uint32Array(image.buffer.slice(image.byteOffset, image.byteOffset + image.length));
    expect([...words.subarray(0, SPIN_STUB_CODE.length)].map((w) => w.toString(16))).toEqual([...SPIN_STUB_CODE].map((w) => w.toString(16)));
    expect([...words.subarray(SPIN_STUB_CODE.length)]).toEqual(new Array(8).fill(0)); // the table, nothing after it
    const m = await Machine.create({ ramSize: 0x4000000 });
    bootLinux(m, testImage(), { dtb: tinyDtb(), cores: 2 });
    expect(m.bus.read32(0)).toBe(SPIN_STUB_CODE[0]);
    expect(m.bus.read32(4 * (SPIN_STUB_CODE.length - 1))).toBe(SPIN_STUB_CODE[SPIN_STUB_CODE.length - 1]);
    // The slots hold tiny.dts's cpu-release-addr of cpu@0 and cpu@1; the board has no cpu@2 or cpu@3.
    const table = 4 * SPIN_STUB_CODE.length;
    expect([0, 1, 2, 3].map((c) => m.bus.read32(table + 8 * c))).toEqual([0xd8, 0xe0, 0, 0]);
  });

  it("a kernel file is read straight into guest RAM (kernelFile): the same boot as its bytes, and its errors in one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rpi-os-kernelfile-"));
    try {
      const img = testImage(0x80000);
      const path = join(dir, "Image");
      writeFileSync(path, img);
      const boots = await Promise.all([img, kernelFile(path)].map(async (k) => {
        const m = await Machine.create({ ramSize: 0x4000000 });
        const lay = bootLinux(m, k, { dtb: tinyDtb(), cores: 2 });
        m.run({ maxInsns: 100_000 });
        return { lay, ram: m.readMemory(0, 0x400000), x21: m.cores[0].x(21), x24: m.cores[1].x(24) };
      }));
      expect(boots[1].lay).toEqual(boots[0].lay);
      expect(Buffer.from(boots[1].ram).equals(Buffer.from(boots[0].ram))).toBe(true);
      expect(boots[1].x21).toBe(0xedfe0dd0n);
      expect(boots[1].x24 & 0xffn).toBe(1n);
      // Only the header is read when the source is made: a file cut short is told by its length.
      writeFileSync(path, img.subarray(0, 40));
      const m = await Machine.create({ ramSize: 0x4000000 });
      expect(() => bootLinux(m, kernelFile(path), { dtb: tinyDtb() })).toThrow(/^not an arm64 Linux Image: only 40 bytes, shorter than the 64-byte Image header$/);
      expect(() => kernelFile(join(dir, "none"))).toThrow(/^no such kernel file: /);
      expect(() => kernelFile(dir)).toThrow(/is not a file$/);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it.skipIf(!runIf(haveLinux()))("reads Debian's Image header, and a truncated copy is refused", () => {
    requirePresent(haveLinux(), "the Debian kernel (npm run fetch-linux)");
    const img = new Uint8Array(readFileSync(join(linuxCacheDir(), "Image")));
    const h = parseImageHeader(img);
    expect(h.textOffset).toBe(0);
    expect(h.pageSize).toBe(4096);
    expect(h.efiStub).toBe(true);
    expect(h.imageSize).toBeGreaterThan(img.length);
    expect(() => parseImageHeader(img.subarray(0, img.length >> 1))).toThrow(/^not an arm64 Linux Image: truncated: \d+ bytes, but its PE sections run to \d+$/);
    // The same from the file's first 64 KiB and its length (kernelFile's view of it).
    expect(parseImageHeader(img.subarray(0, 65536), img.length)).toEqual(h);
    expect(() => parseImageHeader(img.subarray(0, 65536), img.length >> 1)).toThrow(/^not an arm64 Linux Image: truncated: \d+ bytes, but its PE sections run to \d+$/);
  });
});

describe("initramfs (newc cpio)", () => {
  const init = new Uint8Array(readFileSync(fileURLToPath(new URL("../boot/linux/init", import.meta.url))));
  it("our /init is a static AArch64 ELF", () => {
    expect([...init.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(new DataView(init.buffer, init.byteOffset).getUint16(18, true)).toBe(183); // EM_AARCH64
  });

  it("writes and reads back the entries, 4-byte aligned", () => {
    const a = buildInitramfs(init);
    expect(a.length % 4).toBe(0);
    const back = readCpio(a);
    expect(back.map((e) => e.path)).toEqual(["dev", "dev/console", "proc", "init"]);
    expect(back[1].mode).toBe(S_IFCHR | 0o600);
    expect([back[1].rdevMajor, back[1].rdevMinor]).toEqual([5, 1]);
    expect(back[3].data).toEqual(init);
    const withKo = readCpio(buildInitramfs(init, [{ path: "bcm2835_wdt.ko", data: new Uint8Array([7, 8, 9]) }]));
    expect(withKo.map((e) => e.path)).toEqual(["dev", "dev/console", "proc", "init", "bcm2835_wdt.ko"]);
    expect([withKo[4].mode, [...withKo[4].data!]]).toEqual([S_IFREG | 0o644, [7, 8, 9]]);
    expect(() => readCpio(a.subarray(0, 200))).toThrow(CpioError);
    expect(() => readCpio(new TextEncoder().encode("x".repeat(200)))).toThrow(/^cpio: bad magic 'xxxxxx' at offset 0/);
  });

  it.skipIf(!runIf(haveTool("cpio")))("GNU cpio lists and extracts it as we wrote it", () => {
    requirePresent(haveTool("cpio"), "GNU cpio");
    const dir = mkdtempSync(join(tmpdir(), "rpi-os-cpio-"));
    const file = join(dir, "a.cpio");
    writeFileSync(file, writeCpio([
      { path: "d", mode: S_IFDIR | 0o755 },
      { path: "d/hello.txt", mode: S_IFREG | 0o644, data: new TextEncoder().encode("hello\n") },
      { path: "odd", mode: S_IFREG | 0o600, data: new Uint8Array([1, 2, 3]) },
    ]));
    const list = execFileSync("cpio", ["-it", "--quiet", "-F", file], { encoding: "utf8" });
    expect(list.trim().split("\n")).toEqual(["d", "d/hello.txt", "odd"]);
    execFileSync("cpio", ["-idm", "--quiet", "--no-absolute-filenames", "-F", file], { cwd: dir });
    expect(readFileSync(join(dir, "d/hello.txt"), "utf8")).toBe("hello\n");
    expect([...readFileSync(join(dir, "odd"))]).toEqual([1, 2, 3]);
  });
});

describe("the clock manager (CPRMAN) as the firmware leaves it", () => {
  it("clk-bcm2835's formulas give the VPU 400 MHz (the mini UART's clock) and the UART clock 48 MHz (the PL011's)", async () => {
    const m = await Machine.create({ ramSize: 0x100000 });
    const CM = 0x3f101000;
    const r = (off: number) => m.bus.read32(CM + off);
    const OSC = 19.2e6;
    // PLL rate = osc * (NDIV + FRAC / 2^20) / PDIV; channel = PLL / DIV; clock = parent * 4096 / CM_xDIV.
    const pll = (ctrl: number, frac: number) => OSC * ((r(ctrl) & 0x3ff) + (r(frac) & 0xfffff) / 2 ** 20) / ((r(ctrl) >> 12) & 7);
    const pllc = pll(0x1120, 0x1220), plld = pll(0x1140, 0x1240);
    expect(pllc).toBeCloseTo(2400e6, -3);
    expect(plld).toBeCloseTo(2000e6, -3);
    expect(r(0x1120) & (1 << 17)).not.toBe(0);                  // PRST_DISABLE: running, no lock wait
    const vpu = (pllc / (r(0x1620) & 0xff)) * 4096 / (r(0x00c) & 0xffffff);
    expect(r(0x008) & 0xf).toBe(5);                             // VPU source: pllc_core0
    expect(vpu).toBeCloseTo(400e6, -3);
    const uart = (plld / (r(0x1540) & 0xff)) * 4096 / (r(0x0f4) & 0xffffff);
    expect(r(0x0f0) & 0xf).toBe(6);                             // UART source: plld_per
    expect(Math.abs(uart - 48e6)).toBeLessThan(1e4);
    expect(r(0x114) & 0x1f00).toBe(0x1f00);                     // CM_LOCK: every PLL locked
    m.bus.write32(CM + 0x0f4, 0x5a00a000);                      // the password byte is not stored
    expect(r(0x0f4)).toBe(0xa000);
  });
});

describe("rpi-os run with an arm64 Image (the CLI)", () => {
  const cli = fileURLToPath(new URL("../dist/tools/cli.js", import.meta.url));
  const rpios = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 120_000 });
  const dir = mkdtempSync(join(tmpdir(), "rpi-os-linux-cli-"));
  const image = join(dir, "Image"), dtb = join(dir, "tiny.dtb");
  writeFileSync(image, testImage(0));
  writeFileSync(dtb, tinyDtb());

  it("boots it with QEMU's spellings, and bad input is one line with status 1", () => {
    const ok = rpios(["run", "-kernel", image, "-dtb", dtb, "-append", "console=ttyAMA0", "--cores", "2", "--max-insns", "100000"]);
    expect(ok.stderr).toMatch(/instructions/);
    const noDtb = rpios(["run", image]);
    expect(noDtb.status).toBe(1);
    expect(noDtb.stderr.trim()).toBe("rpi-os: an arm64 Linux Image needs --dtb FILE (the Pi 3 B device tree, e.g. bcm2837-rpi-3-b.dtb)");
    const badDtb = rpios(["run", image, "--dtb", image]);
    expect(badDtb.status).toBe(1);
    expect(badDtb.stderr.trim().split("\n")).toHaveLength(1);
    expect(badDtb.stderr).toMatch(/^rpi-os: bad DTB: magic is 0x/);
    const long = rpios(["run", image, "--dtb", dtb, "--append", "x".repeat(3000)]);
    expect(long.stderr.trim()).toMatch(/^rpi-os: the command line is 3000 bytes; arm64 Linux reads at most 2047/);
    const bigInitrd = join(dir, "big");
    writeFileSync(bigInitrd, new Uint8Array(0x800000)); // as large as the 8 MiB of RAM given
    const big = rpios(["run", image, "--dtb", dtb, "--initrd", bigInitrd, "--ram", "0x800000"]);
    expect(big.stderr.trim()).toMatch(/^rpi-os: the initrd \(8388608 bytes\) does not fit in RAM: 0x800000 bytes/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("rpi-os run with an arm64 Image: standard input is the console's", () => {
  it("bytes piped in reach the console UART (here the mini UART, console=ttyS1) in virtual time", async () => {
    const { run } = await import("./support/spawn.js");
    const cli = fileURLToPath(new URL("../dist/tools/cli.js", import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), "rpi-os-linux-stdin-"));
    const image = join(dir, "Image"), dtb = join(dir, "tiny.dtb");
    // An Image of ours that echoes each byte the mini UART receives, upper-cased.
    writeFileSync(image, assemble([{ name: "echo.S", text: `
_head:
    b start
    .word 0
    .quad 0, image_end - _head, 0xa, 0, 0, 0
    .word 0x644d5241, 0
start:
    ldr x9, =0x3f215040           // AUX_MU_IO_REG; AUX_MU_LSR_REG at +0x14
1:  ldr w0, [x9, #0x14]
    tbz w0, #0, 1b                // data ready
    ldr w1, [x9]
    sub w1, w1, #32
2:  ldr w0, [x9, #0x14]
    tbz w0, #5, 2b                // transmitter empty
    str w1, [x9]
    b 1b
    .ltorg
    .space 4096
image_end:
` }], { base: 0 }).image);
    writeFileSync(dtb, tinyDtb());
    const r = await run(process.execPath, [cli, "run", image, "--dtb", dtb, "--append", "console=ttyS1", "--cores", "1", "--until", "ABC", "--timeout", "60", "--stats"], { input: "abc", timeoutMs: 90_000 });
    rmSync(dir, { recursive: true, force: true });
    expect(r.stdout).toBe("ABC");
    expect(r.stderr).toMatch(/the output contains "ABC"/);
    // --stats as for a kernel8.img (it printed nothing with an Image before).
    expect(r.stderr).toMatch(/^rpi-os: stats: \d+\.\d{9} s of virtual time, \d+ instructions, \d+ interrupt returns on core 0$/m);
    expect(r.status).toBe(0);
  }, 120_000);
});
