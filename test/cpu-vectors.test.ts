// Instruction semantics against Unicorn: each vector is one instruction run
// from a seeded initial state; every register, NZCV, PC, SP and memory byte
// must end as in the reference (test/vectors/cpu.json, scripts/vectors/gen_cpu.py).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { Machine } from "../host/index.js";
import { initialState, memoryPattern } from "./support/state.js";

interface Vector { t: string; w: string; s: string; f: Record<string, string>; x: Record<string, string>; n: number; pc: string; sp?: string; m?: [number, number][] }
const ref = JSON.parse(readFileSync(new URL("./vectors/cpu.json", import.meta.url), "utf8")) as {
  code: number; mem: number; memSize: number; sp: number; vectors: Vector[];
};

describe("CPU against Unicorn", () => {
  it(`executes ${ref.vectors.length} reference vectors identically`, async () => {
    const m = await Machine.create({ ramSize: 0x100000 });
    const cpu = m.cores[0];
    const pattern = memoryPattern(ref.memSize);
    const failures: string[] = [];
    let memDirty = true;
    for (const v of ref.vectors) {
      m.reset();
      const { regs, nzcv } = initialState(BigInt(v.s));
      for (const [r, val] of Object.entries(v.f)) regs[+r.slice(1)] = BigInt("0x" + val);
      if (memDirty) { m.load(pattern, ref.mem); memDirty = false; }
      const word = new Uint8Array(4);
      new DataView(word.buffer).setUint32(0, parseInt(v.w, 16), true);
      m.load(word, ref.code);
      m.start(0, ref.code, 1);
      cpu.pstate = (cpu.pstate & 0x0fffffff) | nzcv;
      regs.forEach((r, i) => cpu.setX(i, r));
      cpu.setSp(1, ref.sp);
      const r = m.run({ maxInsns: 1 });
      const problems: string[] = [];
      if (r.insns !== 1) problems.push(`retired ${r.insns} instructions`);
      for (let i = 0; i < 31; i++) {
        const want = v.x[`x${i}`] !== undefined ? BigInt("0x" + v.x[`x${i}`]) : regs[i];
        const got = cpu.x(i);
        if (got !== want) problems.push(`x${i}=${got.toString(16)} want ${want.toString(16)}`);
      }
      if (cpu.nzcv !== v.n) problems.push(`nzcv=${cpu.nzcv.toString(2)} want ${v.n.toString(2)}`);
      if (cpu.pc !== parseInt(v.pc, 16)) problems.push(`pc=${cpu.pc.toString(16)} want ${v.pc}`);
      const wantSp = v.sp ? BigInt("0x" + v.sp) : BigInt(ref.sp);
      if (cpu.sp(1) !== wantSp) problems.push(`sp=${cpu.sp(1).toString(16)} want ${wantSp.toString(16)}`);
      const mem = m.readMemory(ref.mem, ref.memSize);
      const want = pattern.slice();
      for (const [off, b] of v.m ?? []) want[off] = b;
      for (let i = 0; i < mem.length; i++) {
        if (mem[i] !== want[i]) { problems.push(`mem[+0x${i.toString(16)}]=${mem[i]} want ${want[i]}`); break; }
      }
      if (v.m || problems.length) memDirty = true;
      if (problems.length) failures.push(`${v.t} (${v.w}, seed ${v.s}): ${problems.join(", ")}`);
    }
    expect(failures.slice(0, 15)).toEqual([]);
    expect(failures.length).toBe(0);
  });
});
