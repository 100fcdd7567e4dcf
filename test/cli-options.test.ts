// The command line's option tables: per-command --help, --version, usage errors (exit 2).
import { describe, it, expect, beforeAll } from "vitest";
import { fileURLToPath } from "node:url";
import { run, type Ran } from "./support/spawn.js";

const cli = fileURLToPath(new URL("../dist/tools/cli.js", import.meta.url));
const rpios = (args: string[], input = "") => run(process.execPath, [cli, ...args], { input });
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

describe("rpi-os options", async () => {
  it("COMMAND --help prints that command's usage and options, exit 0", async () => {
    for (const [cmd, expected] of [["run", "--max-insns N"], ["kernel", "--trace LIST"], ["asm", "-o OUT.img"], ["disasm", "--base ADDR"], ["lesson", "--step N"]]) {
      const r = await rpios([cmd, "--help"]);
      expect(r.status, cmd).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: rpi-os ${cmd}`));
      expect(r.stdout).toContain(expected);
      expect((await rpios(["help", cmd])).stdout).toBe(r.stdout);
    }
  });

  it("run --help gives the defaults the machine uses", async () => {
    const { JIT_THRESHOLD, JIT_MAX_THRESHOLD } = await import("../host/machine.js");
    const r = await rpios(["run", "--help"]);
    expect(r.stdout).toMatch(new RegExp(`--jit-threshold N .*\\(default ${JIT_THRESHOLD}, at most ${JIT_MAX_THRESHOLD}\\)`));
  });

  it("--version prints the package version", async () => {
    const r = await rpios(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`rpi-os ${pkg.version}\n`);
  });

  it("the general help documents the serial keys and Ctrl-C", async () => {
    const r = await rpios(["help"]);
    expect(r.stdout).toMatch(/Ctrl-C is sent to the\s+guest/);
    expect(r.stdout).toContain("Ctrl-A H lists the keys");
  });

  it("usage errors are one line and exit 2, pointing at the command's --help", async () => {
    for (const args of [["run", "x.img", "--bogus"], ["kernel", "--ticks"], ["asm", "--elf"], ["nope"], ["run", "x", "--realtime=1"]]) {
      const r = await rpios(args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n").length).toBe(1);
      expect(r.stderr.trim()).toMatch(/\(see rpi-os (\w+ )?--help\)$/);
    }
  });
});

import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";

describe("bad input is a one-line error with a usage status, never a stack trace", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "rpi-os-opts-"));
  const loopSrc = join(tmp, "loop.S");
  writeFileSync(loopSrc, "1: add x0, x0, #1\nb 1b\n");
  const img = join(tmp, "loop.img");
  beforeAll(async () => { await rpios(["asm", loopSrc, "--base", "0x80000", "-o", img]); });
  const oneLine = (r: Ran, status: number, msg: RegExp) => {
    expect(r.status, r.stderr).toBe(status);
    expect(r.stderr.trim().split("\n").length, r.stderr).toBe(1);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  };

  it("a directory as the image or as config.txt, asm -o into a missing directory", async () => {
    mkdirSync(join(tmp, "dir.img"));
    oneLine(await rpios(["run", join(tmp, "dir.img")]), 2, /image .*dir\.img is a directory, not a file/);
    const withCfg = join(tmp, "cfgdir");
    mkdirSync(join(withCfg, "config.txt"), { recursive: true });
    writeFileSync(join(withCfg, "k.img"), readFileSync(img));
    oneLine(await rpios(["run", join(withCfg, "k.img"), "--max-insns", "10"]), 2, /config .*config\.txt is a directory, not a file/);
    oneLine(await rpios(["asm", loopSrc, "-o", join(tmp, "missing", "x.img")]), 2, /cannot write .*x\.img: no such directory .*missing/);
    oneLine(await rpios(["disasm", tmp]), 2, /is a directory, not a file/);
  });

  it("--gdb 99999, a gdb port in use, --ram 2^32 and more, --max-insns -5, --ticks 0", async () => {
    oneLine(await rpios(["run", img, "--gdb", "99999"]), 2, /--gdb must be an integer from 0 to 65535, not 99999/);
    const server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
    try {
      const { spawn } = await import("node:child_process");
      const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, [cli, "run", img, "--gdb", String(port)]);
        let err = "";
        p.stderr.on("data", (d) => { err += d; });
        p.on("close", (status) => resolve({ status, stderr: err }));
      });
      oneLine({ ...r, stdout: "" }, 2, new RegExp(`--gdb ${port}: cannot listen on localhost:${port}: address already in use`));
    } finally { server.close(); }
    for (const ram of ["0x100000000", "0x100100000", "4294967295", "0x3f000001", "0"]) {
      oneLine(await rpios(["run", img, "--ram", ram]), 2, /--ram must be an integer from 4096 to 0x3f000000/);
    }
    oneLine(await rpios(["run", img, "--max-insns", "-5"]), 2, /--max-insns must be an integer from 1/);
    oneLine(await rpios(["run", img, "--ticks", "0"]), 2, /--ticks must be an integer from 1/);
    oneLine(await rpios(["run", img, "--timeout", "-1"]), 2, /--timeout must be more than 0/);
    // --jit-threshold for a kernel8.img and for an arm64 Linux Image (its header alone: the option is read first).
    const linux = join(tmp, "Image");
    const header = new Uint8Array(64);
    new DataView(header.buffer).setUint32(0x38, 0x644d5241, true); // "ARM\x64"
    writeFileSync(linux, header);
    for (const image of [img, linux]) {
      for (const n of ["0", "64512", "1.5"]) {
        oneLine(await rpios(["run", image, "--dtb", img, "--jit-threshold", n]), 2, /--jit-threshold must be an integer from 1 to 64511, not/);
      }
    }
  });

  it("--trace-file into a missing directory is reported before the run", async () => {
    const t0 = Date.now();
    oneLine(await rpios(["run", img, "--trace", "exc", "--trace-file", join(tmp, "nope", "t.txt"), "--seconds", "100"]), 2, /--trace-file .*t\.txt: no such file or directory/);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it("config.txt: garbage lines are warned about with their line number; kernel_address=-4096 is an error", async () => {
    const dir = join(tmp, "cfg");
    mkdirSync(dir);
    writeFileSync(join(dir, "k.img"), readFileSync(img));
    writeFileSync(join(dir, "config.txt"), "# comment\n[pi3]\nkernel_old=1\nthis is garbage\narm_64bit=1\n");
    const r = await rpios(["run", join(dir, "k.img"), "--max-insns", "10"]);
    expect(r.stderr).toMatch(/warning: config\.txt:4: ignored, not key=value: "this is garbage"/);
    expect(r.stderr.match(/warning/g)?.length).toBe(1);
    writeFileSync(join(dir, "config.txt"), "kernel_address=-4096\n");
    oneLine(await rpios(["run", join(dir, "k.img"), "--max-insns", "10"]), 1, /config\.txt:1: kernel_address=-4096 is not an address/);
    expect(existsSync(join(dir, "k.img"))).toBe(true);
  });

  it("--max-insns stops exactly, with four cores running", async () => {
    for (const n of [1, 5, 17, 1000, 100003]) {
      const r = await rpios(["run", guestPathKernel("timer.img"), "--kernel-old", "--max-insns", String(n)]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`stopped after ${n} instructions \\(--max-insns ${n}\\)`));
    }
  });
});

function guestPathKernel(name: string): string { return fileURLToPath(new URL(`./guest/kernels/${name}`, import.meta.url)); }

describe("kernel and lesson output", async () => {
  it("npm start -- --interval 50000 says a tick every 0.05 s", async () => {
    const r = await run(process.execPath, [cli, "kernel", "--interval", "50000"], { timeoutMs: 4000 });
    expect(r.stderr).toMatch(/a timer tick every 0\.05 s;/);
  });

  it("lesson --trace exc: each exception once, serial output between the events, 'ended' last", async () => {
    const r = await run("sh", ["-c", `"${process.execPath}" "${cli}" lesson --step 7 --virtual --trace exc 2>&1`]);
    const lines = r.stdout.replace(/\r/g, "").split("\n");
    expect(lines.filter((l) => l.startsWith("rpi-os: trace:"))).toEqual([]); // the step's own trace lines: not twice
    const irq = lines.findIndex((l) => /IRQ taken/.test(l));
    const tick = lines.findIndex((l) => l.startsWith("tick at CLO"));
    const eret = lines.findIndex((l, i) => i > tick && /ERET from EL1/.test(l));
    const end = lines.findIndex((l) => /step 7 ended/.test(l));
    expect(irq).toBeGreaterThan(0);
    expect(tick).toBe(irq + 1);
    expect(eret).toBe(tick + 1);
    expect(end).toBe(lines.length - 2);
    expect(lines.filter((l) => l.startsWith("tick at CLO")).length).toBe(5);
    expect(lines.filter((l) => /IRQ taken/.test(l)).length).toBe(5);
  });

  it("--trace-file is written while the run goes on, not kept until the end", async () => {
    const { spawn } = await import("node:child_process");
    const { statSync } = await import("node:fs");
    const file = join(mkdtempSync(join(tmpdir(), "rpi-os-tracef-")), "t.txt");
    const p = spawn(process.execPath, [cli, "kernel", "--virtual", "--ticks", "100000000", "--trace", "exc,irq", "--trace-file", file], { stdio: ["ignore", "ignore", "pipe"] });
    try {
      let size = 0;
      for (let i = 0; i < 100 && size < 1 << 20; i++) {
        await new Promise((r) => setTimeout(r, 100));
        size = existsSync(file) ? statSync(file).size : 0;
      }
      expect(p.exitCode).toBe(null); // still running
      expect(size).toBeGreaterThanOrEqual(1 << 20);
      expect(readFileSync(file, "latin1").slice(0, 200)).toMatch(/^core0 /);
    } finally { p.kill("SIGKILL"); }
  }, 30_000);
});
