// The rest of the board (issue 19): SD card through the EMMC controller, the
// framebuffer, the RNG and power management, with our own test kernels
// (test/guest/board, built by build.sh) against what QEMU 7.2 printed and drew.
import { describe, it, expect } from "vitest";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
import { Machine, MemoryImage, CopyOnWriteImage, framebufferRGBA, type SdImage } from "../host/index.js";
import { buildFatImage } from "../tools/fat.js";
import { framebufferPng } from "../tools/screenshot.js";
import { runImage, firstLines } from "./support/image.js";
import { guestPath } from "./support/guest.js";

const qemu = (name: string) => readFileSync(guestPath(`board/${name}.qemu.txt`), "latin1");
const cli = fileURLToPath(new URL("../dist/tools/cli.js", import.meta.url));
const rpios = (args: string[], input = "") => spawnSync(process.execPath, [cli, ...args], { encoding: "latin1", input, timeout: 60_000 });
const enc = (s: string) => new TextEncoder().encode(s);
/** The image of test/guest/board/make-sd.mjs (the one QEMU ran the SD kernel on). */
const fatImage = () => buildFatImage([
  { name: "HELLO.TXT", data: enc("Hello from an SD card.\n") },
  { name: "BOARD.MD", data: enc("# rpi-os board test\n".repeat(200)) },
]);
const pattern = (block: number, i: number) => (0xb0a00000 ^ (block << 8) ^ i) >>> 0;

/** A sparse card of any size: unwritten blocks read as zeros. */
class SparseImage implements SdImage {
  written = new Map<number, Uint8Array>();
  constructor(readonly blocks: number) {}
  read(b: number, dst: Uint8Array) { dst.set(this.written.get(b) ?? new Uint8Array(512)); return true; }
  write(b: number, src: Uint8Array) { this.written.set(b, src.slice()); return true; }
}

describe("SD card (EMMC)", () => {
  it("SDSC: reads and writes at both ends as QEMU does; beyond the end is the card's error", async () => {
    const bytes = fatImage();
    const fixture = bytes.slice();
    const sd = new CopyOnWriteImage(new MemoryImage(bytes));
    const r = await runImage("../board/sdcard", { until: "done", machine: { sd } });
    const lines = r.out.split("\r\n");
    // Everything inside the card is what QEMU printed, line for line.
    expect(firstLines(r.out, 10)).toBe(firstLines(qemu("sdcard"), 10));
    expect(lines[4]).toBe("blocks 32768");
    // Beyond it: the card refuses (OUT_OF_RANGE) and the controller times out on data (DTO_ERR, bit 20);
    // a two-block read from the last block gets that block, then the error. QEMU's card never answers there.
    expect(lines.slice(10, 13)).toEqual([
      "read 32768: error 0x100000 status 0x0", "write 32768: error 0x100000 status 0x0", "read2 32767: blocks 1 error 0x100000",
    ]);
    // The writes reached the copy-on-write layer only: first and last block written, the image untouched.
    expect([...sd.written.keys()].sort((a, b) => a - b)).toEqual([1, 32767]);
    const last = new DataView(sd.written.get(32767)!.buffer);
    for (let i = 0; i < 128; i++) expect(last.getUint32(i * 4, true)).toBe(pattern(32767, i));
    expect(Buffer.compare(bytes, fixture)).toBe(0); // (toEqual on 16 MiB would enumerate every index)
  });

  it("SDHC (a 4 GiB card): block addresses, CCS, both ends", async () => {
    const sd = new SparseImage(8 * 1024 * 1024);
    const r = await runImage("../board/sdcard", { until: "done", machine: { sd } });
    const lines = r.out.split("\r\n");
    expect(lines[2]).toBe("SDHC");
    expect(lines[4]).toBe("blocks 8388608");
    expect(lines).toContain("write 1: read back ok");
    expect(lines).toContain("write 8388607: read back ok");
    expect(lines).toContain("read 8388608: error 0x100000 status 0x0");
    expect([...sd.written.keys()].sort((a, b) => a - b)).toEqual([1, 8388607]);
  });

  it("lists the root directory of a FAT image the test builds, through the EMMC registers", async () => {
    const files = [{ name: "KERNEL8.IMG", data: new Uint8Array(3000).fill(7) }, { name: "config.txt", data: enc("kernel_old=1\n") }, { name: "README", data: enc("hi") }];
    const m = await Machine.create({ sd: new MemoryImage(buildFatImage(files, { label: "BOOT" })) });
    // A driver in TypeScript through the bus, as the TypeScript kernel's put32/get32 would.
    const E = 0x3f300000;
    const cmd = (code: number, arg: number) => {
      m.bus.write32(E + 0x30, 0xffffffff);
      m.bus.write32(E + 0x08, arg);
      m.bus.write32(E + 0x0c, code);
      expect(m.bus.read32(E + 0x30) & 0x8000).toBe(0);
      return m.bus.read32(E + 0x10);
    };
    m.bus.write32(E + 0x2c, 0x01000000);
    m.bus.write32(E + 0x2c, 0x000e0005);
    expect(m.bus.read32(E + 0x2c) & 2).toBe(2); // clock stable
    expect(m.bus.read32(E + 0x24) & (1 << 16)).not.toBe(0); // card inserted
    m.bus.write32(E + 0x34, 0xffffffff);
    cmd(0, 0); cmd(0x08020000, 0x1aa); cmd(0x37020000, 0);
    expect(cmd(0x29020000, 0x40ff8000) >>> 31).toBe(1);
    cmd(0x02010000, 0);
    const rca = cmd(0x03020000, 0) >>> 16;
    cmd(0x07030000, rca << 16);
    const block = (n: number) => {
      m.bus.write32(E + 0x04, (1 << 16) | 512);
      cmd(0x11220010, n * 512);
      expect(m.bus.read32(E + 0x30) & 0x20).toBe(0x20);
      const b = new Uint8Array(512);
      const v = new DataView(b.buffer);
      for (let i = 0; i < 128; i++) v.setUint32(i * 4, m.bus.read32(E + 0x20), true);
      return { b, v };
    };
    const mbr = block(0);
    expect(mbr.b[0x1c2]).toBe(0x0e);
    const start = mbr.v.getUint32(0x1c6, true);
    const bpb = block(start);
    const root = start + bpb.v.getUint16(14, true) + bpb.b[16] * bpb.v.getUint16(22, true);
    const dir = block(root);
    const listing: string[] = [];
    for (let e = 0; dir.b[e] !== 0; e += 32) {
      const name = String.fromCharCode(...dir.b.subarray(e, e + 11));
      listing.push(`${name} ${dir.b[e + 11].toString(16)} ${dir.v.getUint16(e + 26, true)} ${dir.v.getUint32(e + 28, true)}`);
    }
    expect(listing).toEqual(["BOOT        8 0 0", "KERNEL8 IMG 20 2 3000", "CONFIG  TXT 20 4 13", "README      20 5 2"]);
  });

  it("rpi-os run: --sd, QEMU's -drive spelling, --sd-write, a missing image", () => {
    const dir = mkdtempSync(join(tmpdir(), "rpi-os-sd-"));
    const img = join(dir, "sd.img");
    writeFileSync(img, fatImage());
    const before = readFileSync(img);
    const kernel = guestPath("board/sdcard.img");
    const a = rpios(["run", kernel, "--kernel-old", "--sd", img, "--until", "done"]);
    expect(a.status).toBe(0);
    expect(firstLines(a.stdout, 10)).toBe(firstLines(qemu("sdcard"), 10));
    expect(readFileSync(img).equals(before)).toBe(true); // copy-on-write by default
    const b = rpios(["run", kernel, "--kernel-old", "-drive", `file=${img},if=sd,format=raw`, "--sd-write", "--until", "done"]);
    expect(b.status).toBe(0);
    const after = readFileSync(img);
    expect(after.readUInt32LE(512)).toBe(pattern(1, 0));
    expect(after.readUInt32LE(32767 * 512 + 508)).toBe(pattern(32767, 127));
    expect(after.length).toBe(before.length); // nothing written beyond the image
    const missing = rpios(["run", kernel, "--kernel-old", "--sd", join(dir, "nope.img")]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`rpi-os: cannot open SD image ${join(dir, "nope.img")}: no such file\n`);
    const bad = rpios(["run", kernel, "--kernel-old", "-drive", `file=${img},if=ide`]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("only if=sd");
  });
});

describe("framebuffer", () => {
  it("the painter's screen equals QEMU's screendump pixel for pixel, and the expected picture", async () => {
    const r = await runImage("../board/fb", { until: "painted\r\n" });
    expect(r.out).toBe(qemu("fb").replace(/\r?\n/g, "\r\n").replace(/\r\r/g, "\r"));
    const fb = r.m.framebuffer()!;
    expect(fb).toMatchObject({ width: 320, height: 200, depth: 32, pitch: 1280, pixelOrder: "rgb" });
    const ours = PNG.sync.read(framebufferPng(fb));
    const theirs = PNG.sync.read(readFileSync(guestPath("board/fb.qemu.png")));
    expect([ours.width, ours.height]).toEqual([theirs.width, theirs.height]);
    expect(Buffer.compare(ours.data, theirs.data)).toBe(0);
    // The picture fb.c paints: eight colour bars, a grey ramp in the bottom quarter.
    const bars = [0xffffff, 0x00ffff, 0xffff00, 0x00ff00, 0xff00ff, 0x0000ff, 0xff0000, 0x000000];
    const rgba = framebufferRGBA(fb);
    for (const [x, y] of [[0, 0], [45, 10], [100, 100], [200, 149], [319, 0], [0, 150], [160, 199], [319, 199]]) {
      const c = y < 150 ? bars[Math.floor(x * 8 / 320)] : Math.floor(x * 255 / 319) * 0x010101;
      const o = (y * 320 + x) * 4;
      expect([rgba[o], rgba[o + 1], rgba[o + 2], rgba[o + 3]]).toEqual([c & 255, (c >> 8) & 255, (c >> 16) & 255, 255]);
    }
  });

  it("--screenshot writes the PNG at the end of the run", () => {
    const dir = mkdtempSync(join(tmpdir(), "rpi-os-fb-"));
    const shot = join(dir, "screen.png");
    const r = rpios(["run", guestPath("board/fb.img"), "--kernel-old", "--until", "painted", "--screenshot", shot]);
    expect(r.status).toBe(0);
    const png = PNG.sync.read(readFileSync(shot));
    expect(Buffer.compare(png.data, PNG.sync.read(readFileSync(guestPath("board/fb.qemu.png"))).data)).toBe(0);
  });
});

describe("random number generator", () => {
  const numbers = async (seed?: number) => {
    const r = await runImage("../board/rng", { until: "done\r\n", machine: { randomSeed: seed } });
    expect(r.out.split("\r\n").map((l) => l.replace(/0x[0-9a-f]+/, "N"))).toEqual(qemu("rng").split("\r\n").map((l) => l.replace(/0x[0-9a-f]+/, "N")));
    // The warm-up count of 0x40000 bits passes in virtual time before the first word.
    expect(r.m.seconds).toBeGreaterThan(0x40000 / 4_000_000);
    return r.out;
  };
  it("is deterministic by seed", async () => {
    const a = await numbers(), b = await numbers(0), c = await numbers(1), d = await numbers(1);
    expect(a).toBe(b);
    expect(c).toBe(d);
    expect(c).not.toBe(a);
    expect(new Set(a.match(/0x[0-9a-f]+/g)).size).toBe(4);
  });
});

describe("power management", () => {
  const kernel = guestPath("board/poweroff.img");
  it("power-off ends the run with status 0 and says so", () => {
    const r = rpios(["run", kernel, "--kernel-old"], "p");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(qemu("poweroff"));
    expect(r.stderr).toMatch(/^rpi-os: powered off \(watchdog reset with PM_RSTS partition 63, "halt"\) at 0\.000\d+ s\n$/);
  });
  it("a reset request ends the run as a reboot", async () => {
    const r = await runImage("../board/poweroff", { input: "r" });
    expect(r.result.reason).toBe("reboot");
    // 10 watchdog ticks of 1/65536 s after the request.
    expect(r.m.seconds).toBeLessThan(0.001);
  });
  it("an unfed watchdog fires in virtual time", async () => {
    const r = await runImage("../board/poweroff", { input: "w" });
    expect(r.result.reason).toBe("reboot");
    expect(r.m.seconds).toBeGreaterThanOrEqual(1.0);
    expect(r.m.seconds).toBeLessThan(1.001);
  });
});

describe("mailbox", () => {
  /** Sends one property buffer of `tags` ([tag, value buffer size, ...request words]); returns the words after it. */
  const property = async (tags: number[][]) => {
    const m = await Machine.create();
    const words = [0, 0];
    for (const [tag, size, ...req] of tags) words.push(tag, size, 0, ...req, ...new Array(size / 4 - req.length).fill(0));
    words.push(0, 0xdeadbeef);
    words[0] = words.length * 4;
    const buf = 0x2000;
    words.forEach((w, i) => m.bus.write32(buf + i * 4, w));
    m.bus.write32(0x3f00b8a0, buf | 8);
    return words.map((_, i) => m.bus.read32(buf + i * 4));
  };
  it("answers the clock, voltage, temperature, GPIO expander and throttle tags as a Pi 3 B firmware", async () => {
    const r = await property([[0x30002, 8, 3], [0x30004, 8, 3], [0x30007, 8, 3], [0x30006, 8, 0], [0x30003, 8, 1], [0x30043, 20, 130], [0x30046, 4], [0x30048, 0]]);
    expect(r[1]).toBe(0x80000000);
    expect(r.slice(2, 7)).toEqual([0x30002, 8, 0x80000008, 3, 1200000000]);
    expect(r[11]).toBe(1200000000);                 // max ARM clock
    expect(r[16]).toBe(600000000);                  // min ARM clock
    expect(r[21]).toBe(45000);                      // temperature, millidegrees
    expect(r[26]).toBe(1200000);                    // core voltage, microvolts
    expect(r.slice(27, 35)).toEqual([0x30043, 20, 0x80000014, 0, 1, 0, 0, 0]); // expander pin 130 (STATUS_LED): output
    expect(r.slice(35, 39)).toEqual([0x30046, 4, 0x80000004, 0]);
    expect(r.slice(39, 42)).toEqual([0x30048, 0, 0x80000000]);
  });
  it("leaves an unsupported tag unanswered and truncates an answer to its value buffer", async () => {
    const r = await property([[0x30030, 8, 0, 0xffffffff], [0x10007, 8], [0x10002, 4]]);
    expect(r.slice(2, 7)).toEqual([0x30030, 8, 0, 0, 0xffffffff]); // GET_DOMAIN_STATE: not supported
    expect(r.slice(7, 12)).toEqual([0x10007, 8, 0x80000050, 0, 1]); // GET_CLOCKS: 80 bytes, 8 given
    expect(r.slice(12, 16)).toEqual([0x10002, 4, 0x80000004, 0xa02082]); // the next tag is intact
    expect(r.at(-1)).toBe(0xdeadbeef);
  });

  it("board serial: 0 by default as QEMU, the host's when given", async () => {
    for (const [serial, want] of [[undefined, [0, 0]], [0x1122334455667788n, [0x55667788, 0x11223344]]] as const) {
      const m = await Machine.create({ boardSerial: serial });
      const buf = 0x1000;
      [8 * 4, 0, 0x10004, 8, 0, 0, 0, 0].forEach((w, i) => m.bus.write32(buf + i * 4, w));
      m.bus.write32(0x3f00b8a0, buf | 8);
      expect([m.bus.read32(buf + 4), m.bus.read32(buf + 16), m.bus.read32(buf + 20), m.bus.read32(buf + 24)]).toEqual([0x80000000, 0x80000008, ...want]);
    }
  });
});
