// The Unicorn reference vectors (test/vectors/cpu.json, scripts/vectors/gen_cpu.py):
// setting up a vector's initial state and comparing a core against its expected one.
import { readFileSync } from "node:fs";
import type { Machine } from "../../host/index.js";
import { initialState } from "./state.js";

export interface Vector { t: string; w: string; s: string; f: Record<string, string>; x: Record<string, string>; n: number; pc: string; sp?: string; m?: [number, number][] }
export interface VectorFile { code: number; mem: number; memSize: number; sp: number; vectors: Vector[] }

export function loadVectors(): VectorFile {
  return JSON.parse(readFileSync(new URL("../vectors/cpu.json", import.meta.url), "utf8")) as VectorFile;
}

/** Core 0 at `at` in EL1 with the vector's registers, NZCV and SP; returns the registers set. */
export function applyVector(m: Machine, ref: VectorFile, v: Vector, at: number): bigint[] {
  const cpu = m.cores[0];
  const { regs, nzcv } = initialState(BigInt(v.s));
  for (const [r, val] of Object.entries(v.f)) regs[+r.slice(1)] = BigInt("0x" + val);
  m.start(0, at, 1);
  cpu.pstate = (cpu.pstate & 0x0fffffff) | nzcv;
  regs.forEach((r, i) => cpu.setX(i, r));
  cpu.setSp(1, ref.sp);
  return regs;
}

/** How core 0 and memory differ from what the vector expects (empty: they match). */
export function vectorProblems(m: Machine, ref: VectorFile, v: Vector, regs: bigint[], pattern: Uint8Array, wantPc: number): string[] {
  const cpu = m.cores[0];
  const problems: string[] = [];
  for (let i = 0; i < 31; i++) {
    const want = v.x[`x${i}`] !== undefined ? BigInt("0x" + v.x[`x${i}`]) : regs[i];
    const got = cpu.x(i);
    if (got !== want) problems.push(`x${i}=${got.toString(16)} want ${want.toString(16)}`);
  }
  if (cpu.nzcv !== v.n) problems.push(`nzcv=${cpu.nzcv.toString(2)} want ${v.n.toString(2)}`);
  if (cpu.pc !== wantPc) problems.push(`pc=${cpu.pc.toString(16)} want ${wantPc.toString(16)}`);
  const wantSp = v.sp ? BigInt("0x" + v.sp) : BigInt(ref.sp);
  if (cpu.sp(1) !== wantSp) problems.push(`sp=${cpu.sp(1).toString(16)} want ${wantSp.toString(16)}`);
  const mem = m.readMemory(ref.mem, ref.memSize);
  const want = pattern.slice();
  for (const [off, b] of v.m ?? []) want[off] = b;
  for (let i = 0; i < mem.length; i++) {
    if (mem[i] !== want[i]) { problems.push(`mem[+0x${i.toString(16)}]=${mem[i]} want ${want[i]}`); break; }
  }
  return problems;
}
