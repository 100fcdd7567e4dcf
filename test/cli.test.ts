// The rpi-os command line (dist/tools/cli.js, built by `npm test`'s pretest).
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { guestPath } from "./support/guest.js";
import { run } from "./support/spawn.js";

const cli = fileURLToPath(new URL("../dist/tools/cli.js", import.meta.url));
const rpios = (args: string[], input = "") => spawnSync(process.execPath, [cli, ...args], { encoding: "latin1", input, timeout: 60_000 });
const tmp = mkdtempSync(join(tmpdir(), "rpi-os-test-"));

describe("rpi-os run", () => {
  it("--ticks N prints N timer messages of a kernel_old image and exits 0", () => {
    const r = rpios(["run", guestPath("kernels/timer.img"), "--kernel-old", "--ticks", "1000"]);
    expect(r.status).toBe(0);
    expect(r.stdout.split("Timer interrupt received").length - 1).toBe(1000);
  });

  it("--until TEXT stops right after the text", () => {
    const r = rpios(["run", guestPath("kernels/el.img"), "--kernel-old", "--until", "Exception level: 1"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("Exception level: 3\r\nException level: 1");
  });

  it("--until stops at the byte that completes the text, not at the end of a slice of the run", () => {
    // waits.img waits about 61 ms of timers before "done": the stop comes right after it (it was 0.69 s,
    // the end of a 4M-instruction slice whose idle waits jump ahead).
    const r = rpios(["run", guestPath("kernels/waits.img"), "--until", "done", "--stats"]);
    expect(r.status).toBe(0);
    expect(r.stdout.endsWith("done")).toBe(true);
    const secs = Number(/stats: ([0-9.]+) s of virtual time/.exec(r.stderr)?.[1]);
    expect(secs).toBeGreaterThan(0.06);
    expect(secs).toBeLessThan(0.0625);
  });

  it("stdin goes to the mini UART", () => {
    const r = rpios(["run", guestPath("kernels/hello.img"), "--kernel-old", "--until", "ping"], "ping");
    expect(r.stdout).toBe("Hello, world!\r\nping");
  });

  it("--semihosting: the guest's exit status is the process's", () => {
    const src = join(tmp, "exit.S");
    writeFileSync(src, "mov x0, #0x18\nadr x1, blk\nhlt #0xf000\n.align 3\nblk: .quad 0x20026, 42\n");
    expect(rpios(["asm", src, "--base", "0x80000", "-o", join(tmp, "exit.img")]).status).toBe(0);
    const r = rpios(["run", join(tmp, "exit.img"), "--semihosting", "--el", "1"]);
    expect(r.status).toBe(42);
  });

  it("--max-insns: a guest that never halts is an error with a clear message", () => {
    const src = join(tmp, "loop.S");
    writeFileSync(src, "1: add x0, x0, #1\nb 1b\n");
    rpios(["asm", src, "--base", "0x80000", "-o", join(tmp, "loop.img")]);
    const r = rpios(["run", join(tmp, "loop.img"), "--max-insns", "100000"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/stopped after 100000 instructions \(--max-insns 100000\) at pc=0x8000[04]/);
  });

  it("bad images are clear errors, not stack traces", () => {
    writeFileSync(join(tmp, "empty.img"), "");
    writeFileSync(join(tmp, "trunc.elf"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]));
    writeFileSync(join(tmp, "huge.img"), Buffer.alloc(4096));
    const cases: [string[], RegExp][] = [
      [["run", join(tmp, "empty.img")], /the image is empty/],
      [["run", join(tmp, "trunc.elf")], /bad ELF file: only 10 bytes, shorter than an ELF header/],
      [["run", join(tmp, "huge.img"), "--ram", "0x80800"], /does not fit in RAM/],
      [["run", join(tmp, "nope.img")], /no such file/],
      [["run"], /run needs an IMAGE/],
      [["run", join(tmp, "empty.img"), "--bogus"], /unknown option --bogus/],
    ];
    for (const [args, msg] of cases) {
      const r = rpios(args);
      expect(r.status, args.join(" ")).not.toBe(0);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("an ELF loads by its program headers and starts at its entry point", () => {
    const r = rpios(["run", guestPath("kernels/timer.elf"), "--kernel-old", "--ticks", "2"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("IRQ_PENDING_1 = 0x2\r\nTimer interrupt received\r\nTimer interrupt received\r\n");
  });

  it("--trace irq,mmio,insn and --trace-file", () => {
    const file = join(tmp, "trace.txt");
    const r = rpios(["run", guestPath("kernels/timer.img"), "--kernel-old", "--ticks", "1", "--trace", "exc,irq,mmio", "--trace-file", file]);
    expect(r.status).toBe(0);
    const t = readFileSync(file, "utf8");
    expect(t).toMatch(/core0 lines IRQ=1 FIQ=0 at cycle \d+/);
    expect(t).toMatch(/core0 write 0x3f003010 <- 0x[0-9a-f]+ at \d+ us/);
    expect(t).toMatch(/core0 read  0x3f00b204 -> 0x00000002/);
    const insn = rpios(["run", guestPath("kernels/el.img"), "--kernel-old", "--max-insns", "5", "--trace", "insn"]);
    expect(insn.stderr).toMatch(/core0 00000004: and\tx0, x0, #0x3/);
  });

  it("--timeout bounds wall time; --realtime paces virtual time with the host clock", () => {
    const src = join(tmp, "spin.S");
    writeFileSync(src, "1: add x0, x0, #1\nb 1b\n");
    rpios(["asm", src, "--base", "0x80000", "-o", join(tmp, "spin.img")]);
    const t = rpios(["run", join(tmp, "spin.img"), "--timeout", "0.5"]);
    expect(t.status).toBe(3);
    expect(t.stderr).toMatch(/timeout: 0.5 s of wall time passed/);
    const t0 = Date.now();
    const rt = rpios(["run", guestPath("kernels/timer.img"), "--kernel-old", "--realtime", "--ticks", "3"]);
    const ms = Date.now() - t0;
    expect(rt.status).toBe(0);
    expect(ms).toBeGreaterThan(550); // three 200 ms ticks take about 0.6 s of wall time
  });

  it("a kernel that expects EL3 but starts at EL2 gets a hint about kernel_old", () => {
    const src = join(tmp, "el3.S");
    writeFileSync(src, "mov x0, #0x431\nmsr scr_el3, x0\nb .\n");
    rpios(["asm", src, "--base", "0x80000", "-o", join(tmp, "el3.img")]);
    const r = rpios(["run", join(tmp, "el3.img"), "--max-insns", "5000"]);
    expect(r.stderr).toMatch(/hint: 'msr scr_el3, x0' at 0x80004 is UNDEFINED at EL2: SCR_EL3 needs EL3\. .*use --kernel-old/);
  });

  it("--trace exc prints each exception on stderr", () => {
    const r = rpios(["run", guestPath("kernels/timer.img"), "--kernel-old", "--ticks", "1", "--trace", "exc"]);
    expect(r.stderr).toMatch(/core0 IRQ taken from EL1h to EL1 vector=0x[0-9a-f]+ \(VBAR\+0x280\)/);
    expect(r.stderr).toMatch(/core0 ERET from EL3 -> EL1h/);
  });

  it("a reader that closes the pipe early (| head -1) ends the run quietly, status 0", () => {
    const bash = spawnSync("bash", ["-c", `set -o pipefail; "${process.execPath}" "${cli}" run "${guestPath("kernels/waits.img")}" | head -c 1 >/dev/null`], { encoding: "utf8", timeout: 60_000 });
    expect(bash.stderr).toBe("");
    expect(bash.status).toBe(0);
  });
});

describe("rpi-os asm / disasm", () => {
  it("assembles a file and disassembles the image in objdump's spelling", () => {
    const src = join(tmp, "a.S");
    writeFileSync(src, "_start:\n  mov x0, #1\n  b _start\n");
    const a = rpios(["asm", src, "-o", join(tmp, "a.img"), "--elf", join(tmp, "a.elf")]);
    expect(a.status).toBe(0);
    const d = rpios(["disasm", join(tmp, "a.img")]);
    expect(d.stdout).toBe("       0:\td2800020\tmov\tx0, #0x1\n       4:\t17ffffff\tb\t0\n");
    expect(readFileSync(join(tmp, "a.elf")).subarray(0, 4).toString("latin1")).toBe("\x7fELF");
    // objdump reads the ELF and its symbols when binutils are installed.
    const objdump = spawnSync("aarch64-linux-gnu-objdump", ["-d", join(tmp, "a.elf")], { encoding: "utf8" });
    if (objdump.status === 0 || objdump.error === undefined) {
      expect(objdump.stdout).toMatch(/0000000000000000 <_start>:/);
      expect(objdump.stdout).toMatch(/d2800020\s+mov\s+x0, #0x1/);
    }
  });

  it("reports a bad line as file:line:col", () => {
    const src = join(tmp, "bad.S");
    writeFileSync(src, "nop\n  ldr x0, [x1, #-300]\n");
    const r = rpios(["asm", src, "-o", join(tmp, "bad.img")]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`rpi-os: ${src}:2:11: error: offset -300 cannot be encoded: use -256 to 255, or a multiple of 8 from 0 to 32760`);
  });
});

describe("rpi-os kernel and lesson", () => {
  it("npm start -- --virtual --ticks 20 runs the TypeScript kernel and stops", () => {
    const r = rpios(["kernel", "--virtual", "--ticks", "20"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("Timer interrupt received\n\r".repeat(20));
  });

  it("lesson --list has one numbered line a step, and every step ends by itself", async () => {
    const list = rpios(["lesson", "--list"]).stdout.trim().split("\n");
    expect(list.length).toBe(9);
    list.forEach((l, i) => expect(l.startsWith(`${i + 1}. `)).toBe(true));
    for (let step = 1; step <= 9; step++) {
      // Not spawnSync: nine steps in a row would block the test worker past vitest's RPC timeout.
      const r = await run(process.execPath, [cli, "lesson", "--step", String(step), "--virtual"]);
      expect(r.status, `step ${step}: ${r.stderr}`).toBe(0);
    }
  });
});
