// SIMD&FP semantics against Unicorn: each vector is one instruction run from a seeded
// initial state (x0-x30, NZCV as in cpu.json; V0-V31, FPCR, FPSR from fpState); every X and
// V register, NZCV, FPSR, FPCR, PC, SP and memory byte must end as in the reference
// (test/vectors/fp.json, scripts/vectors/gen_fp.py). Random words of the SIMD&FP space that the
// reference found UNDEFINED ("u") must be UNDEFINED here too (EC 0x00).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { Machine, type ExceptionEvent } from "../host/index.js";
import { memoryPattern, fpState } from "./support/state.js";
import { applyVector, vectorProblems, type Vector, type VectorFile } from "./support/vectors.js";

interface FpVector extends Vector { v: Record<string, string>; fpsr: number; fpcr?: number; u?: number }
const ref = JSON.parse(readFileSync(new URL("./vectors/fp.json", import.meta.url), "utf8")) as VectorFile & { vectors: FpVector[] };

describe("SIMD&FP against Unicorn", () => {
  it(`executes ${ref.vectors.length} reference vectors identically`, async () => {
    const m = await Machine.create({ ramSize: 0x100000 });
    const pattern = memoryPattern(ref.memSize);
    const failures: string[] = [];
    let memDirty = true;
    let taken: ExceptionEvent | undefined;
    const problems0: string[] = [];
    m.on("exception", (e) => { taken ??= e; });
    let undefs = 0;
    let count = 0;
    for (const v of ref.vectors) {
      // Let the worker answer vitest's RPC now and then: the whole loop takes about a minute.
      if (++count % 2000 === 0) await new Promise((r) => setImmediate(r));
      if (v.u) undefs++;
      m.reset();
      if (memDirty) { m.load(pattern, ref.mem); memDirty = false; }
      const word = new Uint8Array(4);
      new DataView(word.buffer).setUint32(0, parseInt(v.w, 16), true);
      m.load(word, ref.code);
      const regs = applyVector(m, ref, v.u ? { ...v, f: {} } : v, ref.code);
      const cpu = m.cores[0];
      const fp = fpState(BigInt(v.s));
      fp.v.forEach((x, i) => cpu.setV(i, x));
      cpu.fpcr = fp.fpcr;
      cpu.fpsr = fp.fpsr;
      cpu.setSysreg("cpacr_el1", 3n << 20n); // FPEN: no trap at EL0/EL1, as Unicorn runs
      taken = undefined;
      const r = m.run({ maxInsns: 1 });
      const exc = taken as ExceptionEvent | undefined; // set by the listener during run()
      if (v.u) { // UNDEFINED in the reference: an EC 0x00 exception at the instruction, to EL1
        if (exc?.esr !== 0x02000000 || exc.elr !== ref.code || exc.toEL !== 1) {
          failures.push(`${v.w} (seed ${v.s}): UNDEFINED in the reference, here ${exc ? `ESR 0x${exc.esr.toString(16)}` : "executed"}`);
        }
        memDirty = true;
        continue;
      }
      if (exc) problems0.push(`took an exception, ESR 0x${exc.esr.toString(16)}`);
      const problems = [...problems0.splice(0), ...vectorProblems(m, ref, v, regs, pattern, parseInt(v.pc, 16))];
      if (r.insns !== 1) problems.push(`retired ${r.insns} instructions`);
      for (let i = 0; i < 32; i++) {
        const want = v.v[`v${i}`] !== undefined ? BigInt("0x" + v.v[`v${i}`]) : fp.v[i];
        const got = cpu.v(i);
        if (got !== want) problems.push(`v${i}=${got.toString(16)} want ${want.toString(16)}`);
      }
      if (cpu.fpsr !== v.fpsr) problems.push(`fpsr=${cpu.fpsr.toString(16)} want ${v.fpsr.toString(16)}`);
      const wantFpcr = v.fpcr ?? fp.fpcr;
      if (cpu.fpcr !== wantFpcr) problems.push(`fpcr=${cpu.fpcr.toString(16)} want ${wantFpcr.toString(16)}`);
      if (v.m || problems.length) memDirty = true;
      if (problems.length) failures.push(`${v.t} (${v.w}, seed ${v.s}): ${problems.join(", ")}`);
    }
    if (process.env.FP_FAILURES) (await import("node:fs")).writeFileSync(process.env.FP_FAILURES, failures.join("\n") + "\n");
    expect(failures.slice(0, 15)).toEqual([]);
    expect(failures.length).toBe(0);
    expect(undefs).toBeGreaterThan(10_000);
  }, 600_000);
});
