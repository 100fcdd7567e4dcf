// Instruction semantics against Unicorn: each vector is one instruction run
// from a seeded initial state; every register, NZCV, PC, SP and memory byte
// must end as in the reference (test/vectors/cpu.json, scripts/vectors/gen_cpu.py).
import { describe, it, expect } from "vitest";
import { Machine } from "../host/index.js";
import { memoryPattern } from "./support/state.js";
import { loadVectors, applyVector, vectorProblems } from "./support/vectors.js";

const ref = loadVectors();

describe("CPU against Unicorn", () => {
  it(`executes ${ref.vectors.length} reference vectors identically`, async () => {
    const m = await Machine.create({ ramSize: 0x100000 });
    const pattern = memoryPattern(ref.memSize);
    const failures: string[] = [];
    let memDirty = true;
    for (const v of ref.vectors) {
      m.reset();
      if (memDirty) { m.load(pattern, ref.mem); memDirty = false; }
      const word = new Uint8Array(4);
      new DataView(word.buffer).setUint32(0, parseInt(v.w, 16), true);
      m.load(word, ref.code);
      const regs = applyVector(m, ref, v, ref.code);
      const r = m.run({ maxInsns: 1 });
      const problems = vectorProblems(m, ref, v, regs, pattern, parseInt(v.pc, 16));
      if (r.insns !== 1) problems.push(`retired ${r.insns} instructions`);
      if (v.m || problems.length) memDirty = true;
      if (problems.length) failures.push(`${v.t} (${v.w}, seed ${v.s}): ${problems.join(", ")}`);
    }
    expect(failures.slice(0, 15)).toEqual([]);
    expect(failures.length).toBe(0);
  });
});
