// Countdown loops run many iterations at a time (soc/cpu/loops.ts): the result must be the
// instruction-by-instruction run's, cycle for cycle, interrupts included.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { Machine, boot, DEFAULT_BOOT } from "../host/index.js";
import { semihostingProgram } from "./support/image.js";

const delayImg = new Uint8Array(readFileSync(new URL("./guest/kernels/delay.img", import.meta.url)));

async function runDelayKernel(opts: { loopSkip: boolean; jit: boolean }, seconds: number) {
  const m = await Machine.create({ ...opts, jitThreshold: 64 });
  boot(m, delayImg, { ...DEFAULT_BOOT, kernelOld: true });
  let out = "";
  const exceptions: string[] = [];
  m.on("serial", (b) => { out += String.fromCharCode(b); });
  m.on("exception", (e) => exceptions.push(`${e.kind} ${e.elr.toString(16)} @${e.cycle}`));
  const r = m.run({ untilSeconds: seconds });
  const cpu = m.cores[0];
  return {
    reason: r.reason, out, exceptions, insns: m.insns, cycles: m.cycles, pc: cpu.pc, pstate: cpu.pstate,
    x: Array.from({ length: 31 }, (_, i) => cpu.x(i)), skipped: m.loopIterationsSkipped,
  };
}

describe("countdown loops", () => {
  it("the lesson-4/5-style kernel (delay() between characters, 10 ms timer) runs as without the shortcut", async () => {
    const plain = await runDelayKernel({ loopSkip: false, jit: false }, 0.035);
    expect(plain.out).toContain("[tick 3 elr=");
    expect(plain.skipped).toBe(0);
    for (const jit of [false, true]) {
      const fast = await runDelayKernel({ loopSkip: true, jit }, 0.035);
      expect(fast.skipped).toBeGreaterThan(1_000_000);
      const { skipped: _a, ...f } = fast;
      const { skipped: _b, ...p } = plain;
      expect(f).toEqual(p);
    }
  }, 60_000);

  const program = (body: string) => semihostingProgram("loops.S", body);

  async function observe(image: Uint8Array, loopSkip: boolean, untilSeconds: number, cores = 1) {
    const m = await Machine.create({ semihosting: true, loopSkip, jit: false, cpuHz: 1_000_000 });
    m.load(image, 0x80000);
    for (let c = 0; c < cores; c++) m.start(c, 0x80000, 1);
    const r = m.run({ untilSeconds });
    const cpu = m.cores[0];
    return { reason: r.reason, insns: m.insns, pc: cpu.pc, pstate: cpu.pstate, x: Array.from({ length: 12 }, (_, i) => cpu.x(i)), skipped: m.loopIterationsSkipped };
  }

  it("W and X forms, flags, and loops that are not countdowns, to the end", async () => {
    // W form: only the low word counts; then an X countdown; then loops that must run as usual
    // (a subs by 2, and a loop whose subs is not the instruction before the branch).
    const image = program(`
    ldr x1, =0x1000F0000
1:  subs w1, w1, #1
    b.ne 1b
    mrs x10, nzcv
    ldr x2, =300000
2:  subs x2, x2, #1
    b.ne 2b
    mov x4, #0
    ldr x3, =0x100
3:  add x4, x4, #1
    subs x3, x3, #1
    cmp x3, #0
    b.ne 3b
    mrs x11, nzcv
    ldr x5, =100000
4:  subs x5, x5, #2
    b.ne 4b`);
    const plain = await observe(image, false, 100);
    const fast = await observe(image, true, 100);
    expect(plain.reason).toBe("exit");
    expect(fast.skipped).toBeGreaterThan(1_000_000);
    expect({ ...fast, skipped: 0 }).toEqual({ ...plain, skipped: 0 });
    // Two cores in the same loops: no core runs alone, slices interleave as without the shortcut.
    for (const until of [0.05, 0.3]) {
      const plain2 = await observe(image, false, until, 2);
      const fast2 = await observe(image, true, until, 2);
      expect({ ...fast2, skipped: 0 }).toEqual({ ...plain2, skipped: 0 });
    }
  }, 120_000);

  it("stops exactly at every horizon, the signed-overflow flag of the last subs included", async () => {
    // From 0x8000000000000003 the fourth subs computes MIN - 1 (V = 1); stopped at every cycle
    // from the first to the 40th, both runs must agree on every register and flag.
    const image = program(`
    ldr x2, =0x8000000000000003
2:  subs x2, x2, #1
    b.ne 2b`);
    for (let cycles = 1; cycles <= 40; cycles++) {
      const plain = await observe(image, false, cycles / 1e6);
      const fast = await observe(image, true, cycles / 1e6);
      expect({ ...fast, skipped: 0 }, `stopped after ${cycles} cycles`).toEqual({ ...plain, skipped: 0 });
    }
  }, 120_000);
});
