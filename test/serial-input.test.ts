// Serial input in virtual time (ARCHITECTURE.md, "Serial input"): piped or file input reaches the
// UART's receive FIFO one byte per 86.8 us of guest time while it has room, nothing is lost, and
// the same input gives the same run however fast the pipe delivers it; bytes pass unchanged
// (Ctrl-A escapes are for terminals only); the pipe is held back instead of read into memory.
import { describe, it, expect, beforeAll } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { guestPath } from "./support/guest.js";
import { assemble } from "../tools/asm/assembler.js";

const cli = fileURLToPath(new URL("../dist/tools/cli.js", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "rpi-os-serial-"));
const echoImg = join(tmp, "echo_timer.img");

/** Runs the CLI with stdin from a file (`file`) or from a pipe fed in slow chunks (`chunks`). */
function runCli(args: string[], stdin: { file?: string; chunks?: Buffer[]; delayMs?: number }): Promise<{ status: number | null; stdout: Buffer; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, [cli, ...args], { stdio: [stdin.file ? "pipe" : "pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    p.stdout.on("data", (d: Buffer) => out.push(d));
    p.stderr.on("data", (d: Buffer) => { err += d.toString("latin1"); });
    p.stdin.on("error", () => {}); // EPIPE once it exits
    p.on("close", (status) => resolve({ status, stdout: Buffer.concat(out), stderr: err, ms: Date.now() - t0 }));
    if (stdin.file) { p.stdin.end(readFileSync(stdin.file)); return; }
    const chunks = [...(stdin.chunks ?? [])];
    const next = () => {
      const c = chunks.shift();
      if (c === undefined) { p.stdin.end(); return; }
      p.stdin.write(c);
      setTimeout(next, stdin.delayMs ?? 0);
    };
    next();
  });
}

const stats = (stderr: string) => /stats: ([\d.]+) s of virtual time, (\d+) instructions/.exec(stderr)?.slice(1);

beforeAll(() => {
  const src = guestPath("serial/echo_timer.S");
  writeFileSync(echoImg, assemble([{ name: src, text: readFileSync(src, "utf8") }], { base: 0 }).image);
});

describe("serial input in virtual time", () => {
  // 20,000 bytes of every value but 0xFF (the kernel's tick marker), in a fixed pseudo-random order.
  const input = Buffer.alloc(20_000);
  let seed = 12345;
  for (let i = 0; i < input.length; i++) { seed = (seed * 1103515245 + 12345) >>> 0; input[i] = (seed >>> 16) % 255; }
  const inFile = join(tmp, "in.bin");
  writeFileSync(inFile, input);
  const args = ["run", echoImg, "--kernel-old", "--seconds", "2.5", "--stats"];

  it("20,000 bytes come back byte-exact while the timer ticks, with the same instruction count from a file and a slow pipe", async () => {
    const fromFile = await runCli(args, { file: inFile });
    const chunks = Array.from({ length: 20 }, (_, i) => input.subarray(i * 1000, (i + 1) * 1000));
    const fromPipe = await runCli(args, { chunks, delayMs: 30 });
    for (const r of [fromFile, fromPipe]) {
      expect(r.status, r.stderr).toBe(0);
      const echoed = Buffer.from([...r.stdout].filter((b) => b !== 0xff));
      expect(echoed.equals(input)).toBe(true);
      // One tick every 10 ms of the 2.5 s: the timer kept running while input arrived.
      expect(r.stdout.length - echoed.length).toBe(249);
    }
    // Deterministic: the same bytes at the same guest times, whatever the pipe's pace.
    expect(fromPipe.stdout.equals(fromFile.stdout)).toBe(true);
    expect(stats(fromPipe.stderr)).toEqual(stats(fromFile.stderr));
    // 20,000 bytes at 86.8 us each take 1.74 s of guest time: the ticks are spread among them.
    const firstTick = fromFile.stdout.indexOf(0xff), lastTick = fromFile.stdout.lastIndexOf(0xff);
    expect(firstTick).toBeGreaterThan(100);
    expect(firstTick).toBeLessThan(130);                // 10 ms / 86.8 us = 115 bytes before the first tick
    expect(lastTick).toBe(fromFile.stdout.length - 1); // the last ticks come after the input ended
  }, 60_000);

  it("a pipe is passed byte for byte: 0x01 0x01 stays two bytes, Ctrl-A X is data", async () => {
    const bytes = Buffer.from([0x61, 0x01, 0x01, 0x62, 0x01, 0x63, 0x01, 0x78, 0x64, 0x65, 0x66]);
    const r = await runCli(["run", echoImg, "--kernel-old", "--seconds", "0.005"], { chunks: [bytes] });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.equals(bytes)).toBe(true);
  }, 30_000);

  it("--timeout ends a run that waits for input from a pipe that stays open", async () => {
    const p = spawn(process.execPath, [cli, "run", echoImg, "--kernel-old", "--timeout", "1.5"], { stdio: ["pipe", "pipe", "pipe"] });
    let err = "";
    p.stderr.on("data", (d) => { err += d; });
    const t0 = Date.now();
    const status = await new Promise<number | null>((resolve) => p.on("close", resolve));
    p.stdin.destroy();
    expect(status).toBe(3);
    expect(err).toMatch(/timeout: 1.5 s of wall time passed/);
    expect(Date.now() - t0).toBeLessThan(10_000);
  }, 30_000);

  it("the TypeScript kernel (kernel --virtual) reads stdin too: 20,000 bytes echoed", async () => {
    const text = Buffer.from(Array.from({ length: 20_000 }, (_, i) => 0x21 + ((i * 7919) % 90)));
    const r = await runCli(["kernel", "--virtual", "--seconds", "2"], { chunks: [text] });
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout.toString("latin1");
    const ticks = out.split("Timer interrupt received\n\r").length - 1;
    expect(ticks).toBe(9);
    expect(out.replaceAll("Timer interrupt received\n\r", "")).toBe(text.toString("latin1"));
  }, 60_000);

  it("a guest that reads nothing holds the pipe back: rpi-os takes only what its rings hold", async () => {
    // timer.img never reads its UART; 16 MB offered during a run of one wall-clock second.
    const p = spawn(process.execPath, [cli, "run", guestPath("kernels/timer.img"), "--kernel-old", "--realtime", "--seconds", "1"], { stdio: ["pipe", "ignore", "pipe"] });
    let taken = 0;
    let open = true;
    p.on("close", () => { open = false; });
    p.stdin.on("error", () => { open = false; });
    const chunk = Buffer.alloc(1 << 16, 0x41);
    while (open && taken < 16 << 20) {
      const more = p.stdin.write(chunk);
      taken += chunk.length;
      if (!more) await new Promise<void>((resolve) => { p.stdin.once("drain", resolve); p.once("close", () => resolve()); });
    }
    // Accepted: the pipe's buffer, the worker's 64 KiB ring, the SoC's 4 KiB ring, plus our chunk in flight.
    expect(open).toBe(false);
    expect(taken).toBeLessThan(1 << 20);
  }, 60_000);
});
