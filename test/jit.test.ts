// The compiler of hot code against the same Unicorn reference as the
// interpreter (test/vectors/cpu.json): every vector's instruction is compiled
// as a one-instruction region and run through it; then whole programs give
// the same results, instruction counts and exceptions with and without it.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { Machine } from "../host/index.js";
import { decode } from "../host/jit/decode.js";
import { initialState, memoryPattern } from "./support/state.js";

interface Vector { t: string; w: string; s: string; f: Record<string, string>; x: Record<string, string>; n: number; pc: string; sp?: string; m?: [number, number][] }
const ref = JSON.parse(readFileSync(new URL("./vectors/cpu.json", import.meta.url), "utf8")) as {
  code: number; mem: number; memSize: number; sp: number; vectors: Vector[];
};

const BRK0 = 0xd4200000; // ends each one-instruction region: the compiler leaves BRK to the interpreter
// Instructions whose result depends on their own address run at ref.code, one region each.
const PC_RELATIVE = new Set(["adr", "adrp", "b", "bl", "cbz", "cbnz", "tbz", "tbnz", "blr", "br", "ret"]);

describe("compiled regions against Unicorn", () => {
  it("run every translatable reference vector through compiled code", async () => {
    const m = await Machine.create({ ramSize: 0x100000 });
    const cpu = m.cores[0];
    const pattern = memoryPattern(ref.memSize);
    const failures: string[] = [];
    let translatable = 0, compiled = 0;
    m.load(pattern, ref.mem);

    const check = (v: Vector, at: number): void => {
      const { regs, nzcv } = initialState(BigInt(v.s));
      for (const [r, val] of Object.entries(v.f)) regs[+r.slice(1)] = BigInt("0x" + val);
      m.start(0, at, 1);
      cpu.pstate = (cpu.pstate & 0x0fffffff) | nzcv;
      regs.forEach((r, i) => cpu.setX(i, r));
      cpu.setSp(1, ref.sp);
      const before = m.jitStats!.retired;
      const r = m.run({ maxInsns: 1 });
      if (m.jitStats!.retired === before + 1) compiled++;
      const problems: string[] = [];
      if (r.insns !== 1) problems.push(`retired ${r.insns} instructions`);
      for (let i = 0; i < 31; i++) {
        const want = v.x[`x${i}`] !== undefined ? BigInt("0x" + v.x[`x${i}`]) : regs[i];
        if (cpu.x(i) !== want) problems.push(`x${i}=${cpu.x(i).toString(16)} want ${want.toString(16)}`);
      }
      if (cpu.nzcv !== v.n) problems.push(`nzcv=${cpu.nzcv.toString(2)} want ${v.n.toString(2)}`);
      const wantPc = PC_RELATIVE.has(v.t.split(/[ .]/)[0]) ? parseInt(v.pc, 16) : parseInt(v.pc, 16) - ref.code + at;
      if (cpu.pc !== wantPc) problems.push(`pc=${cpu.pc.toString(16)} want ${wantPc.toString(16)}`);
      const wantSp = v.sp ? BigInt("0x" + v.sp) : BigInt(ref.sp);
      if (cpu.sp(1) !== wantSp) problems.push(`sp=${cpu.sp(1).toString(16)} want ${wantSp.toString(16)}`);
      const mem = m.readMemory(ref.mem, ref.memSize);
      const want = pattern.slice();
      for (const [off, b] of v.m ?? []) want[off] = b;
      for (let i = 0; i < mem.length; i++) {
        if (mem[i] !== want[i]) { problems.push(`mem[+0x${i.toString(16)}]=${mem[i]} want ${want[i]}`); break; }
      }
      if (v.m || problems.length) m.load(pattern, ref.mem);
      if (problems.length) failures.push(`${v.t} (${v.w}, seed ${v.s}): ${problems.join(", ")}`);
    };
    const place = (insn: number, at: number): void => {
      const words = new Uint8Array(8);
      const dv = new DataView(words.buffer);
      dv.setUint32(0, insn, true);
      dv.setUint32(4, BRK0, true);
      m.load(words, at);
    };

    const vectors = ref.vectors.filter((v) => decode(parseInt(v.w, 16), ref.code) !== undefined);
    translatable = vectors.length;
    const single = vectors.filter((v) => PC_RELATIVE.has(v.t.split(/[ .]/)[0]));
    const batched = vectors.filter((v) => !PC_RELATIVE.has(v.t.split(/[ .]/)[0]));
    // 256 vectors a module, at code, code + 8, ...
    for (let i = 0; i < batched.length; i += 256) {
      const chunk = batched.slice(i, i + 256);
      const at = chunk.map((_, j) => ref.code + 8 * j);
      chunk.forEach((v, j) => place(parseInt(v.w, 16), at[j]));
      expect(m.jit!.compile(at)).toBe(chunk.length);
      chunk.forEach((v, j) => check(v, at[j]));
    }
    for (const v of single) {
      place(parseInt(v.w, 16), ref.code);
      expect(m.jit!.compile([ref.code])).toBe(1);
      check(v, ref.code);
    }
    expect(failures.slice(0, 15)).toEqual([]);
    expect(failures.length).toBe(0);
    // Nearly all of them ran compiled: the exceptions are accesses through a misaligned SP.
    expect(translatable).toBeGreaterThan(18000);
    expect(compiled).toBeGreaterThan(translatable * 0.97);
  }, 120_000);
});
