// Who traps SIMD&FP (ARM ARM D1.11, CheckFPAdvSIMDEnabled64; the CPACR_EL1.FPEN,
// CPTR_EL2.TFP and CPTR_EL3.TFP descriptions): EC 0x07 with CV = 1, COND = 0b1110 as QEMU
// reports it (ESR 0x1fe00000, see test/guest/fp/fp.qemu.txt), to the right EL, with ELR
// at the instruction; unallocated encodings stay UNDEFINED whatever the controls say.
import { describe, it, expect } from "vitest";
import { Machine, type ExceptionEvent } from "../host/index.js";

const FMOV_D0_X1 = 0x9e670020;   // fmov d0, x1
const MRS_X0_FPCR = 0xd53b4400;  // mrs x0, fpcr
const STR_Q0 = 0x3d8003e0;       // str q0, [sp]
const FADD_H = 0x1ee22820;       // fadd h0, h1, h2: half-precision arithmetic is ARMv8.2, unallocated here
const ESR_FP = 0x1fe00000;

async function first(word: number, el: number, sys: Record<string, bigint>): Promise<{ e?: ExceptionEvent; m: Machine }> {
  const m = await Machine.create({ ramSize: 0x100000 });
  const w = new Uint8Array(4);
  new DataView(w.buffer).setUint32(0, word, true);
  m.load(w, 0x1000);
  m.start(0, 0x1000, el);
  m.cores[0].setSp(el, 0x8000);
  m.cores[0].setSp(0, 0x8000);
  if (el === 0) m.cores[0].pstate = 0; // EL0t
  for (const [k, v] of Object.entries(sys)) m.cores[0].setSysreg(k, v);
  let e: ExceptionEvent | undefined;
  m.on("exception", (x) => { e ??= x; });
  m.run({ maxInsns: 1 });
  return { e, m };
}

describe("SIMD&FP access traps", () => {
  it("CPACR_EL1.FPEN = 00 (reset) traps EL1 to EL1", async () => {
    for (const word of [FMOV_D0_X1, MRS_X0_FPCR, STR_Q0]) {
      const { e } = await first(word, 1, {});
      expect(e?.esr).toBe(ESR_FP);
      expect(e?.toEL).toBe(1);
      expect(e?.elr).toBe(0x1000);
    }
  });
  it("FPEN = 01 traps EL0 only; 11 traps nothing; 10 traps both", async () => {
    expect((await first(FMOV_D0_X1, 1, { cpacr_el1: 1n << 20n })).e).toBeUndefined();
    const el0 = (await first(FMOV_D0_X1, 0, { cpacr_el1: 1n << 20n })).e;
    expect(el0?.esr).toBe(ESR_FP);
    expect([el0?.fromEL, el0?.toEL]).toEqual([0, 1]);
    const { e, m } = await first(FMOV_D0_X1, 0, { cpacr_el1: 3n << 20n });
    expect(e).toBeUndefined();
    expect(m.cores[0].v(0)).toBe(0n);
    expect((await first(FMOV_D0_X1, 1, { cpacr_el1: 2n << 20n })).e?.esr).toBe(ESR_FP);
  });
  it("CPTR_EL2.TFP traps EL2 (and Non-secure EL1) to EL2; CPTR_EL3.TFP traps EL1 to EL3", async () => {
    const el2 = (await first(FMOV_D0_X1, 2, { cptr_el2: 1n << 10n })).e;
    expect([el2?.esr, el2?.toEL]).toEqual([ESR_FP, 2]);
    const ns = (await first(FMOV_D0_X1, 1, { cpacr_el1: 3n << 20n, scr_el3: 1n, cptr_el2: 1n << 10n })).e;
    expect([ns?.esr, ns?.toEL]).toEqual([ESR_FP, 2]);
    const el3 = (await first(FMOV_D0_X1, 1, { cpacr_el1: 3n << 20n, cptr_el3: 1n << 10n })).e;
    expect([el3?.esr, el3?.toEL]).toEqual([ESR_FP, 3]);
    expect((await first(FMOV_D0_X1, 2, {})).e).toBeUndefined(); // reset CPTR_EL2: no trap
  });
  it("an unallocated encoding is UNDEFINED (EC 0) even with FP disabled", async () => {
    expect((await first(FADD_H, 1, {})).e?.esr).toBe(0x02000000);
    expect((await first(FADD_H, 1, { cpacr_el1: 3n << 20n })).e?.esr).toBe(0x02000000);
  });
  it("the ID registers say FP, Advanced SIMD, AES+PMULL, SHA1, SHA2, CRC32 are there", async () => {
    const m = await Machine.create({ ramSize: 0x100000 });
    const c = m.cores[0];
    expect((c.sysreg("id_aa64pfr0_el1") >> 16n) & 0xffn).toBe(0n); // FP = 0, AdvSIMD = 0: implemented
    expect(c.sysreg("id_aa64isar0_el1")).toBe(0x11120n);
  });
});

describe("the trace names the FP trap", () => {
  it("says which controls trap SIMD&FP", async () => {
    const { formatException } = await import("../host/index.js");
    const { e } = await first(FMOV_D0_X1, 1, {});
    expect(formatException(e!)).toMatch(/ESR=0x1fe00000 \[FP\/SIMD access trapped: CPACR_EL1\.FPEN or CPTR_ELx\.TFP\]/);
  });
});
