// Exception storms (soc/cpu/storm.ts, host/storm.ts): a core that takes the same synchronous
// exception again and again stops the run with a message instead of hanging in silence. The two
// test kernels in test/guest/parity print what QEMU 7.2 prints (storm-*.qemu.txt) and then storm:
// storm-handler's handler returns to the faulting instruction, storm-novbar has VBAR_EL1 = 0.
import { describe, it, expect } from "vitest";
import { readFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Machine, boot, DEFAULT_BOOT } from "../host/index.js";
import { describeStorm, isFpSimd } from "../host/storm.js";
import { runGuest, guestPath } from "./support/guest.js";

async function bootStorm(name: string, storm?: number): Promise<{ m: Machine; out: () => string }> {
  const m = await Machine.create({ storm });
  boot(m, new Uint8Array(readFileSync(guestPath(`parity/${name}.img`))), { ...DEFAULT_BOOT, kernelOld: true });
  let out = "";
  m.on("serial", (b) => { out += String.fromCharCode(b); });
  return { m, out: () => out };
}

/** Runs until the first synchronous exception, then times the rest of the run (the storm itself). */
function timeFromFirstException(m: Machine): { r: ReturnType<Machine["run"]>; wall: number } {
  let taken = 0;
  m.on("exception", (e) => { if (e.kind === "sync") taken++; });
  for (;;) {
    const before = taken;
    const t0 = performance.now();
    const r = m.run({ maxInsns: before ? undefined : 1000, untilSeconds: 10 });
    const wall = performance.now() - t0;
    if (r.reason !== "budget" || before) return { r, wall };
  }
}

describe("exception storms stop with a message", () => {
  it("a handler that returns to the faulting instruction: 1000 times, within a second of wall time", async () => {
    const { m, out } = await bootStorm("storm-handler");
    const { r, wall } = timeFromFirstException(m);
    expect(r.reason).toBe("storm");
    expect(wall).toBeLessThan(1000);
    expect(out()).toBe(readFileSync(guestPath("parity/storm-handler.qemu.txt"), "utf8"));
    const s = r.storm!;
    expect({ core: s.core, count: s.count, el: s.el, esr: s.esr, vbar: s.vbar, same: s.elr === s.firstElr }).toEqual(
      { core: 0, count: 1000, el: 1, esr: 0x02000000, vbar: 0x800n, same: true });
    const { message } = describeStorm(m, s, { kernelOld: true });
    expect(message).toBe(`core 0 took the same exception 1000 times: SYNC at EL1, ESR 0x02000000 (undefined instruction 'udf #0' at 0x${s.elr.toString(16)}), VBAR_EL1 = 0x800`);
  });

  it("VBAR_EL1 = 0: stops after 16 and says there is no vector table", async () => {
    const { m, out } = await bootStorm("storm-novbar");
    const { r, wall } = timeFromFirstException(m);
    expect(wall).toBeLessThan(1000);
    expect(r.reason).toBe("storm");
    expect(out()).toBe(readFileSync(guestPath("parity/storm-novbar.qemu.txt"), "utf8"));
    expect(r.storm!.count).toBe(16);
    const { message, hints } = describeStorm(m, r.storm!, { kernelOld: true });
    expect(message).toMatch(/^core 0 took the same exception 16 times: SYNC at EL1, ESR 0x02000000 \(undefined instruction 'udf #0' at 0x[0-9a-f]+\), VBAR_EL1 = 0 \(no vector table\); the last at 0x200 \('udf #0'\)$/);
    expect(hints.join("\n")).toContain("VBAR_EL1 is 0");
  });

  it("storm: 0 turns the detector off (the board's silent hang, bounded by the time limit)", async () => {
    const { m } = await bootStorm("storm-handler", 0);
    expect(m.run({ untilSeconds: 0.002 }).reason).toBe("time");
  });

  it("no false alarm: 5000 system calls in a loop, and a trap that the handler emulates and skips", async () => {
    const text = `
    .globl _start
_start:
    adr x0, vectors
    msr vbar_el1, x0
    mov x19, #5000
1:  svc #0
    .word 0x00000000        // udf #0, skipped by the handler
    subs x19, x19, #1
    b.ne 1b
    mov x0, #0x18
    adr x1, blk
    hlt #0xf000
    .align 3
blk: .quad 0x20026, 0
    .align 11
vectors:
    .rept 4
    .align 7
    b .
    .endr
    .align 7                // current EL, SP_ELx, synchronous
    mrs x0, esr_el1
    lsr x0, x0, #26
    cbz x0, 2f
    eret                    // svc: ELR is past it
2:  mrs x0, elr_el1
    add x0, x0, #4
    msr elr_el1, x0
    eret
`;
    const r = await runGuest({ text }, { el: 1, maxInsns: 1_000_000 });
    expect(r.reason).toBe("exit");
  });

  it("an FP/SIMD instruction in a handler: the hint says FP/SIMD (not emulated or not enabled)", async () => {
    // The handler spills q0 (as gcc does without -mgeneral-regs-only) and faults again.
    const text = `
    .globl _start
_start:
    adr x0, vectors
    msr vbar_el1, x0
    adr x0, stack_top
    mov sp, x0
    .word 0x00000000        // udf #0
    b .
    .align 11
vectors:
    .rept 4
    .align 7
    b .
    .endr
    .align 7
    .word 0x3d801be0        // str q0, [sp, #96]
    eret
    .space 256
stack_top:
`;
    const r = await runGuest({ text }, { el: 1, maxInsns: 1_000_000, machine: { storm: 100 } });
    expect(isFpSimd(0x3d801be0)).toBe(true);
    expect(r.reason).toBe("storm");
    const { message, hints } = describeStorm(r.m, r.storm!);
    expect(message).toContain("took the same exception 100 times: SYNC at EL1");
    // FP/SIMD not emulated: UNDEFINED (EC 0x00); emulated, but CPACR_EL1.FPEN = 0 traps it: EC 0x07.
    expect(hints.join("\n")).toMatch(r.storm!.esr >>> 26 === 0 ? /is an FP\/SIMD instruction/ : /FP\/SIMD is disabled at EL1: set CPACR_EL1.FPEN/);
  });
});

const cli = fileURLToPath(new URL("../dist/tools/cli.js", import.meta.url));
/** Runs the CLI without blocking the test worker's event loop (vitest talks to it meanwhile). */
function rpios(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cli, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.setEncoding("latin1").on("data", (d) => { stdout += d; });
    p.stderr.setEncoding("latin1").on("data", (d) => { stderr += d; });
    const timer = setTimeout(() => p.kill("SIGKILL"), 60_000);
    p.on("close", (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
    p.stdin.end();
  });
}

describe("rpi-os run: storms and hints", async () => {
  it("prints one line and exits 4; --storm N sets the count", async () => {
    const r = await rpios(["run", guestPath("parity/storm-handler.img"), "--kernel-old", "--storm", "5", "--seconds", "5"]);
    expect(r.status).toBe(4);
    expect(r.stdout).toBe(readFileSync(guestPath("parity/storm-handler.qemu.txt"), "latin1"));
    expect(r.stderr).toMatch(/^rpi-os: core 0 took the same exception 5 times: SYNC at EL1, ESR 0x02000000 \(undefined instruction 'udf #0' at 0x[0-9a-f]+\), VBAR_EL1 = 0x800\n$/);
    expect((await rpios(["run", guestPath("parity/storm-handler.img"), "--kernel-old", "--storm", "-1"])).stderr).toContain("--storm expects");
  });

  it("no 'msr scr_el3' hint when that instruction is only reached through VBAR = 0 after another exception", async () => {
    // At EL2 (the firmware's boot) a udf at 0 goes to VBAR_EL2 (0) + 0x200, where `msr scr_el3`
    // sits: the EL2-vs-EL3 hint would blame the boot EL for what the first exception caused.
    const dir = mkdtempSync(join(tmpdir(), "rpi-os-hint-"));
    writeFileSync(join(dir, "k.S"), "    .word 0\n    .space 0x1fc\n    msr scr_el3, x0\n    b .\n");
    expect((await rpios(["asm", join(dir, "k.S"), "--base", "0", "-o", join(dir, "k.img")])).status).toBe(0);
    const r = await rpios(["run", join(dir, "k.img"), "--load", "0", "--cores", "1", "--seconds", "1"]);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain("took the same exception 16 times: SYNC at EL2, ESR 0x02000000 (undefined instruction 'udf #0' at 0x0), VBAR_EL2 = 0 (no vector table); the last at 0x200 ('msr scr_el3, x0')");
    expect(r.stderr).not.toContain("SCR_EL3 needs EL3");
  });

  it("one exception to VBAR = 0 that does not storm: said at the end of the run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rpi-os-novbar-"));
    writeFileSync(join(dir, "k.S"), "    .word 0\n    .space 0x1fc\n    b .\n");
    expect((await rpios(["asm", join(dir, "k.S"), "--base", "0", "-o", join(dir, "k.img")])).status).toBe(0);
    const r = await rpios(["run", join(dir, "k.img"), "--load", "0", "--el", "1", "--cores", "1", "--seconds", "0.001"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("rpi-os: core 0 took an exception with no vector table: SYNC at EL1, ESR 0x02000000 (undefined instruction 'udf #0' at 0x0), VBAR_EL1 = 0, so what ran next was whatever is at 0x200");
  });

  it("an ELF whose entry point is not where its code starts, under --kernel-old: a hint to use --entry", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rpi-os-entry-"));
    writeFileSync(join(dir, "k.S"), "    .word 0\n    .globl _start\n_start:\n    b .\n");
    const asm = await rpios(["asm", join(dir, "k.S"), "--base", "0", "--elf", join(dir, "k.elf")]);
    expect(asm.status).toBe(0);
    const r = await rpios(["run", join(dir, "k.elf"), "--kernel-old", "--max-insns", "100", "--cores", "1"]);
    expect(r.stderr).toContain("hint: the ELF's entry point 0x4 is not where its code starts (0x0); with kernel_old=1 the board starts every core at 0x0");
    expect(r.stderr).toContain("--entry 0x0");
    const quiet = await rpios(["run", join(dir, "k.elf"), "--kernel-old", "--entry", "0", "--max-insns", "100", "--cores", "1"]);
    expect(quiet.stderr).not.toContain("entry point");
  });
});
