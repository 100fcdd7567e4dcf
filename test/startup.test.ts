// Start-up of the CLI (ARCHITECTURE.md, "Start-up"): what `rpi-os run` loads and what it does
// not, the armstub booting without the assembler, and standard input read without a worker
// thread when it is a file or /dev/null. (Times are measured by `npm run bench`, not here.)
import { describe, it, expect } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync, openSync, closeSync, existsSync, readdirSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { assemble } from "../tools/asm/assembler.js";
import { ARMSTUB_SOURCE, armstub } from "../host/boot.js";
import { guestPath } from "./support/guest.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist/tools/cli.js");

/** The modules a dist/ file loads before its code runs: static imports, followed (not `import()`). */
function staticImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.startsWith("/")) return; // a package or node: builtin
    const src = readFileSync(file, "utf8");
    for (const m of src.matchAll(/^(?:import|export)\s(?:[^;"']*?\sfrom\s)?["']([^"']+)["']/gm)) {
      walk(m[1].startsWith(".") ? resolve(dirname(file), m[1]) : m[1]);
    }
  };
  walk(join(root, entry));
  return new Set([...seen].map((f) => f.startsWith(root) ? f.slice(root.length) : f));
}

/** Runs the CLI with the given stdin (a file descriptor or bytes through a pipe). */
function runCli(args: string[], stdin: number | Buffer, entry = cli, env: Record<string, string> = {}): Promise<{ status: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [entry, ...args], { stdio: [typeof stdin === "number" ? stdin : "pipe", "pipe", "pipe"], env: { ...process.env, ...env } });
    const out: Buffer[] = [];
    let err = "";
    p.stdout!.on("data", (d: Buffer) => out.push(d));
    p.stderr!.on("data", (d: Buffer) => { err += d.toString("latin1"); });
    p.on("close", (status) => done({ status, stdout: Buffer.concat(out), stderr: err }));
    if (typeof stdin !== "number") { p.stdin!.on("error", () => {}); p.stdin!.end(stdin); }
  });
}

describe("start-up", () => {
  it("the CLI's own imports hold no machine, and a machine's none of the assembler, the TS kernel, Linux or pngjs", () => {
    const cliOnly = staticImports("dist/tools/cli.js");
    expect(cliOnly.has("dist/tools/cli.js")).toBe(true);
    expect(cliOnly.has("dist/tools/board_cli.js")).toBe(true); // the option table: a real walk
    for (const f of ["dist/host/machine.js", "dist/host/jit/index.js", "dist/tools/asm/assembler.js", "dist/tools/a64/disasm.js",
      "dist/kernel/index.js", "pngjs"]) expect(cliOnly.has(f), f).toBe(false);
    // What loadMachine() imports for run/kernel/lesson/linux.
    const run = new Set([...cliOnly, ...["host/machine.js", "host/boot.js", "tools/realtime.js", "host/storm.js"]
      .flatMap((f) => [...staticImports(`dist/${f}`)])]);
    expect(run.has("dist/host/machine.js")).toBe(true);
    for (const f of ["dist/tools/asm/assembler.js", "dist/tools/a64/encode.js", "dist/kernel/index.js", "dist/kernel/lesson.js",
      "dist/host/linux.js", "dist/tools/gdbstub.js", "pngjs"]) expect(run.has(f), f).toBe(false);
  });

  it("the installed command (dist/rpi-os.cjs: the CLI as one script, with the build's V8 code cache) runs as the ES-module CLI does", async () => {
    const launcher = join(root, "dist/rpi-os.cjs");
    expect(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).bin["rpi-os"]).toBe("dist/rpi-os.cjs");
    const runs = async (args: string[]) => {
      const esm = await runCli(args, Buffer.alloc(0));
      const cached = await runCli(args, Buffer.alloc(0), launcher);
      const uncached = await runCli(args, Buffer.alloc(0), launcher, { RPI_OS_CODE_CACHE: "0" });
      // Host times and the cache line differ; what the guest did may not.
      const guestLines = (e: string) => e.split("\n").filter((l) => !/took|code cache/.test(l)).join("\n");
      for (const r of [cached, uncached]) {
        expect(r.status, r.stderr).toBe(esm.status);
        expect(r.stdout.equals(esm.stdout)).toBe(true);
        expect(guestLines(r.stderr)).toBe(guestLines(esm.stderr));
      }
      return { esm, cached, uncached };
    };
    // Our crc32 and work.c: the compiler of hot code runs (bench.img exits with its checksum's low byte).
    const bench = await runs(["run", guestPath("bench/bench.img"), "--semihosting", "--cores", "1", "--stats", "--stats-time"]);
    expect(bench.esm.stderr).toMatch(/[1-9]\d* instructions in compiled code/);
    expect(bench.cached.stderr).toMatch(/JavaScript code cache: used/);
    expect(bench.uncached.stderr).toMatch(/JavaScript code cache: none \(RPI_OS_CODE_CACHE=0/);
    expect(bench.esm.stderr).toMatch(/JavaScript code cache: none \(the CLI runs as ES modules/);
    // The lesson-3 kernel: boot/ and the kernel image are found relative to the bundled modules.
    const kernel = await runs(["kernel", "--virtual", "--ticks", "2"]);
    expect(kernel.esm.status).toBe(0);
    expect(kernel.esm.stdout.toString()).toMatch(/Timer interrupt received[\r\n]+Timer interrupt received/);
  }, 60_000);

  it("the installed command executed as npm's bin link runs it (its first line starts node) gets V8's thread pool sized to the CPUs", async () => {
    const launcher = join(root, "dist/rpi-os.cjs");
    const direct = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
      const p = spawn(launcher, ["run", guestPath("bench/bench.img"), "--semihosting", "--cores", "1", "--stats", "--stats-time"], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "", err = "";
      p.stdout.on("data", (d: Buffer) => { out += d; });
      p.stderr.on("data", (d: Buffer) => { err += d; });
      p.on("close", (status) => done({ status, stdout: out, stderr: err }));
    });
    const esm = await runCli(["run", guestPath("bench/bench.img"), "--semihosting", "--cores", "1"], Buffer.alloc(0));
    expect(direct.status, direct.stderr).toBe(esm.status);
    expect(direct.stdout).toBe(esm.stdout.toString());
    expect(direct.stderr).toMatch(/JavaScript code cache: used/);
    // scripts/cli-command.mjs passes the same options where a script spawns the command.
    expect(direct.stderr).toMatch(/node options: --v8-pool-size=0\n/);
  }, 30_000);

  it("the CLI ends through dist/fast-exit.node's _exit: the guest's status, all of its output through a slow pipe, the 'exit' listeners", async () => {
    // 2 MiB on stdout (more than a pipe or a socket pair holds), then SYS_EXIT with status 7.
    const text = `
        mov x19, #2048
    1:  mov x0, #4              // SYS_WRITE0
        adr x1, line
        hlt #0xf000
        subs x19, x19, #1
        b.ne 1b
        mov x0, #0x18           // SYS_EXIT
        adr x1, args
        hlt #0xf000
        .align 3
    args: .quad 0x20026, 7
    line: .fill 1023, 1, 0x61
        .byte 10, 0`;
    const tmp = mkdtempSync(join(tmpdir(), "rpi-os-exit-"));
    const img = join(tmp, "write.img");
    writeFileSync(img, assemble([{ name: "write.S", text }], { base: 0x80000 }).image);
    const built = existsSync(join(root, "dist/fast-exit.node"));
    if (!built && process.env.CI) throw new Error("dist/fast-exit.node was not built (no C compiler?)");
    // The reader starts only 200 ms after the run began: the CLI's writes wait for it.
    const slowly = (env: Record<string, string>) => new Promise<{ status: number | null; stdout: Buffer; stderr: string }>((done) => {
      const p = spawn(process.execPath, [cli, "run", img, "--semihosting", "--cores", "1", "--stats", "--stats-time"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
      const out: Buffer[] = [];
      let err = "", status: number | null = null, ended = 0;
      const end = () => { if (++ended === 3) done({ status, stdout: Buffer.concat(out), stderr: err }); };
      p.stdout.pause();
      setTimeout(() => { p.stdout.on("data", (b: Buffer) => out.push(b)); p.stdout.resume(); }, 200);
      p.stdout.on("end", end);
      p.stderr.on("data", (d: Buffer) => { err += d; });
      p.stderr.on("end", end);
      p.on("exit", (s) => { status = s; end(); });
    });
    const fast = await slowly({});
    const plain = await slowly({ RPI_OS_FAST_EXIT: "0" });
    const line = "a".repeat(1023) + "\n";
    for (const r of [fast, plain]) {
      expect(r.status, r.stderr).toBe(7);
      expect(r.stdout.length, r.stderr).toBe(line.length * 2048);
      expect(r.stdout.toString() === line.repeat(2048)).toBe(true);
    }
    expect(fast.stderr).toMatch(built ? /stats: exit: _exit \(dist\/fast-exit\.node\)/ : /stats: exit: process\.exit \(dist\/fast-exit\.node not built\)/);
    expect(plain.stderr).toMatch(/stats: exit: process\.exit \(RPI_OS_FAST_EXIT=0\)/);
    // node --cpu-prof writes its profile at exit: process.exit then, and the profile is there.
    const prof = spawnSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${tmp}`, cli, "run", img, "--semihosting", "--cores", "1", "--stats", "--stats-time"], { encoding: "utf8", maxBuffer: 1 << 24 });
    expect(prof.status, prof.stderr).toBe(7);
    expect(prof.stderr).toMatch(/stats: exit: process\.exit \(node writes at exit\)/);
    expect(readdirSync(tmp).some((f) => f.endsWith(".cpuprofile"))).toBe(true);
    // The launcher's 'exit' listener runs before _exit: the code cache it writes (the build's training run).
    const cacheDir = mkdtempSync(join(tmpdir(), "rpi-os-cache-"));
    for (const f of ["rpi-os.cjs", "rpi-os-cli.cjs", "soc-node.wasm"]) copyFileSync(join(root, "dist", f), join(cacheDir, f));
    if (built) copyFileSync(join(root, "dist/fast-exit.node"), join(cacheDir, "fast-exit.node"));
    const trained = await runCli(["run", img, "--semihosting", "--cores", "1", "--stats", "--stats-time"], Buffer.alloc(0), join(cacheDir, "rpi-os.cjs"), { RPI_OS_CODE_CACHE: "write" });
    expect(trained.status, trained.stderr).toBe(7);
    expect(trained.stderr).toMatch(built ? /exit: _exit/ : /exit: process\.exit/);
    expect(existsSync(join(cacheDir, "rpi-os-cli.cache"))).toBe(true);
  }, 60_000);

  it("the armstub's committed words are what our assembler makes of its source", () => {
    for (const entry of [0x80000, 0x200000, 0x3effff00, 0x12345678]) {
      const text = ARMSTUB_SOURCE.replace("KERNEL_ENTRY", `0x${entry.toString(16)}`);
      expect(text).not.toBe(ARMSTUB_SOURCE);
      expect([...armstub(entry)]).toEqual([...assemble([{ name: "armstub.S", text }], { base: 0 }).image]);
    }
  });

  it("input from a file (read without a worker) gives the run a pipe gives; /dev/null the run an empty pipe gives", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "rpi-os-startup-"));
    const src = guestPath("serial/echo_timer.S");
    const img = join(tmp, "echo_timer.img");
    writeFileSync(img, assemble([{ name: src, text: readFileSync(src, "utf8") }], { base: 0 }).image);
    const input = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 255));
    const inFile = join(tmp, "in.bin");
    writeFileSync(inFile, input);
    const args = ["run", img, "--kernel-old", "--seconds", "0.5", "--stats"];
    const fd = openSync(inFile, "r");
    const fromFile = await runCli(args, fd);
    closeSync(fd);
    const fromPipe = await runCli(args, input);
    expect(fromFile.status, fromFile.stderr).toBe(0);
    expect(fromPipe.status, fromPipe.stderr).toBe(0);
    const echoed = Buffer.from([...fromFile.stdout].filter((b) => b !== 0xff)); // 0xff: the kernel's tick
    expect(echoed.equals(input)).toBe(true);
    expect(fromFile.stdout.equals(fromPipe.stdout)).toBe(true);
    expect(fromFile.stderr).toMatch(/stats: .* instructions/);
    expect(fromFile.stderr).toBe(fromPipe.stderr);
    expect(existsSync("/dev/null")).toBe(true);
    const devNull = openSync("/dev/null", "r");
    const fromNull = await runCli(args, devNull);
    closeSync(devNull);
    const fromEmpty = await runCli(args, Buffer.alloc(0));
    expect(fromNull.status, fromNull.stderr).toBe(0);
    expect(fromNull.stdout.length).toBe(49); // ticks only: one every 10 ms of the 0.5 s
    expect(fromNull.stdout.equals(fromEmpty.stdout)).toBe(true);
    expect(fromNull.stderr).toBe(fromEmpty.stderr);
  }, 60_000);
});
