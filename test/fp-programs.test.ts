// Whole programs with FP and Advanced SIMD: our freestanding C (test/guest/fp, built by
// build.sh without -mgeneral-regs-only: q-register saves in varargs, struct copies, float
// and double maths in every rounding mode, -O3 vectorised loops, the Crypto intrinsics)
// must print exactly what QEMU -M virt -cpu cortex-a53 -semihosting printed, interpreted
// and compiled. Its first FP instruction runs with CPACR_EL1.FPEN = 0 and must trap with
// EC 0x07 and QEMU's ESR, as the recorded output shows.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { Machine, type ExceptionEvent } from "../host/index.js";
import { guestPath } from "./support/guest.js";

const image = new Uint8Array(readFileSync(guestPath("fp/fp.img")));
const qemu = readFileSync(guestPath("fp/fp.qemu.txt"), "latin1");

async function run(jit: boolean) {
  const m = await Machine.create({ semihosting: true, ramSize: 0x1000000, jit, jitThreshold: 16 });
  m.load(image, 0x80000);
  m.start(0, 0x80000, 1); // EL1, as QEMU -M virt starts an ELF
  let out = "";
  const exceptions: ExceptionEvent[] = [];
  m.on("serial", (b) => { out += String.fromCharCode(b); });
  m.on("exception", (e) => exceptions.push(e));
  const r = m.run({ maxInsns: 100_000_000 });
  return { m, r, out, exceptions };
}

describe("FP/SIMD programs against QEMU", () => {
  it("interpreted: the output QEMU printed, one FP access trap (EC 0x07, ESR 0x1fe00000)", async () => {
    const { r, out, exceptions } = await run(false);
    expect(r.reason).toBe("exit");
    expect(out).toBe(qemu);
    const sync = exceptions.filter((e) => e.kind === "sync");
    expect(sync.map((e) => e.esr)).toEqual([0x1fe00000]);
    expect(sync[0].toEL).toBe(1);
  });
  it("compiled: the same output, instruction count and registers", async () => {
    const a = await run(false), b = await run(true);
    expect(b.out).toBe(qemu);
    expect(b.m.insns).toBe(a.m.insns);
    for (let i = 0; i < 32; i++) expect(b.m.cores[0].v(i)).toBe(a.m.cores[0].v(i));
    expect(b.m.cores[0].fpsr).toBe(a.m.cores[0].fpsr);
  });
});
