// Loops that wait for a clock (soc/cpu/timed_loops.ts) run many iterations at a time: the result
// must be the instruction-by-instruction run's, cycle for cycle, interrupts included, and the
// counters read at the end the same.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { Machine, boot, DEFAULT_BOOT } from "../host/index.js";
import { semihostingProgram } from "./support/image.js";

const waitsImg = new Uint8Array(readFileSync(new URL("./guest/kernels/waits.img", import.meta.url)));
const waitsQemu = readFileSync(new URL("./guest/kernels/waits.qemu.txt", import.meta.url), "latin1");

/** Everything a run leaves that the guest or a listener could see. */
async function observe(setup: (m: Machine) => void, opts: { loopSkip: boolean; jit?: boolean; semihosting?: boolean }, untilSeconds: number) {
  const m = await Machine.create({ loopSkip: opts.loopSkip, jit: opts.jit ?? false, semihosting: opts.semihosting, jitThreshold: 64 });
  setup(m);
  let out = "";
  const exceptions: string[] = [];
  m.on("serial", (b) => { out += String.fromCharCode(b); });
  m.on("exception", (e) => exceptions.push(`${e.core} ${e.kind} ${e.elr.toString(16)} @${e.cycle}`));
  const r = m.run({ untilSeconds });
  const cores = m.cores.map((c) => ({ pc: c.pc, pstate: c.pstate, x: Array.from({ length: 31 }, (_, i) => c.x(i)) }));
  return {
    reason: r.reason, exitCode: r.exitCode, out, exceptions, insns: m.insns, cycles: m.cycles, cores,
    cntpct: m.cores[0].sysreg("cntpct_el0"), skipped: m.loopIterationsSkipped,
  };
}

function same(fast: Awaited<ReturnType<typeof observe>>, plain: Awaited<ReturnType<typeof observe>>): void {
  const { skipped: _a, ...f } = fast;
  const { skipped: _b, ...p } = plain;
  expect(f).toEqual(p);
}

describe("clock waits", () => {
  it("our waits kernel (CNTPCT, CNTVCT signed, CLO, CHI/CLO/CHI, timer interrupts every 2.5 ms) runs as without the shortcut", async () => {
    const setup = (m: Machine) => { boot(m, waitsImg, { ...DEFAULT_BOOT, kernelOld: true }); };
    const plain = await observe(setup, { loopSkip: false }, 0.07);
    expect(plain.skipped).toBe(0);
    expect(plain.out).toContain("done\r\n");
    // The same lines as on QEMU (its tick counts follow the host's clock, ours virtual time).
    const lines = (s: string) => s.split("\r\n").filter((l) => l).map((l) => l.replace(/ticks=\d+/, "ticks=N"));
    expect(lines(plain.out)).toEqual(lines(waitsQemu));
    // In virtual time: 20 ms of waiting with a tick every 2.5 ms.
    expect(plain.out).toMatch(/pct 20 ms ticks=[78]\r\n/);
    expect(plain.out).toContain("counting 2 ms: spun");
    expect(plain.exceptions.length).toBeGreaterThan(40);
    for (const jit of [false, true]) {
      const fast = await observe(setup, { loopSkip: true, jit }, 0.07);
      expect(fast.skipped).toBeGreaterThan(1_000_000);
      same(fast, plain);
    }
  }, 120_000);

  const program = (body: string) => semihostingProgram("waits.S", body);

  it("a tight CLO loop waits its 1000 us (the polling-loop idle skip does not take a clock for an idle register)", async () => {
    const image = program(`
    mov x2, #0x3004
    movk x2, #0x3f00, lsl #16
    ldr w3, [x2]
1:  ldr w0, [x2]
    sub w0, w0, w3
    cmp w0, #1000
    b.lo 1b
    mov x6, x0
    mrs x5, cntpct_el0`);
    const setup = (m: Machine) => { m.load(image, 0x80000); m.start(0, 0x80000, 1); };
    const plain = await observe(setup, { loopSkip: false, semihosting: true }, 1);
    expect(plain.reason).toBe("exit");
    expect(plain.cores[0].x[6]).toBe(1000n);             // CLO - start when it left
    expect(plain.cycles).toBeGreaterThan(1_200_000);      // 1000 us at 1.2 GHz
    expect(plain.cycles).toBeLessThan(1_200_100);
    const fast = await observe(setup, { loopSkip: true, semihosting: true }, 1);
    expect(fast.skipped).toBeGreaterThan(250_000);
    same(fast, plain);
  }, 60_000);

  it("with another core running, and waits the shortcut must leave alone (a carried count, a bit test), and registers written after the exit test", async () => {
    // Core 0 waits on the counter four ways; core 1 counts in RAM meanwhile (core 0 is not alone).
    const image = program(`
    b main
    .align 3
count: .quad 0
main:
    mrs x9, mpidr_el1
    and x9, x9, #3
    cbnz x9, other
    mrs x2, cntpct_el0
    mov x1, #5000
1:  mrs x0, cntpct_el0
    sub x0, x0, x2
    cmp x0, x1
    b.lo 1b
    mov x7, #0
    mrs x2, cntpct_el0
2:  mrs x0, cntpct_el0
    add x7, x7, #1
    sub x0, x0, x2
    cmp x0, x1
    b.lo 2b
3:  mrs x0, cntpct_el0
    and x4, x0, #0x400
    cbz x4, 3b
    mrs x2, cntpct_el0
    add x3, x2, #3000
4:  mrs x0, cntpct_el0
    cmp x3, x0
    b.hi 4b
    mrs x2, cntpct_el0
6:  mrs x0, cntpct_el0
    sub x0, x0, x2
    cmp x0, x1
    b.hs 7f
    add x10, x0, #7     // written after the exit test: what the last full iteration left shows
    b 6b
7:  b done
other:
    adr x5, count
5:  ldr x6, [x5]
    add x6, x6, #1
    str x6, [x5]
    b 5b
done:
    mov x8, #1`);
    for (const cores of [1, 2]) {
      const setup = (m: Machine) => { m.load(image, 0x80000); for (let c = 0; c < cores; c++) m.start(c, 0x80000, 1); };
      const plain = await observe(setup, { loopSkip: false, semihosting: true }, 1);
      expect(plain.reason).toBe("exit");
      expect(plain.cores[0].x[7]).toBeGreaterThan(1000n); // the counting wait ran every iteration
      expect(plain.cores[0].x[8]).toBe(1n);
      expect(plain.cores[0].x[10]).toBeGreaterThan(4000n);
      const fast = await observe(setup, { loopSkip: true, semihosting: true }, 1);
      expect(fast.skipped).toBeGreaterThan(cores === 1 ? 2000 : 100);
      same(fast, plain);
    }
  }, 60_000);
});
