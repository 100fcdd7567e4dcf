// A million random instruction words from random states: the host never throws;
// every instruction either completes or raises a guest exception with a
// syndrome the architecture defines.
import { describe, it, expect } from "vitest";
import { Machine, type ExceptionEvent } from "../host/index.js";
import { assemble } from "../tools/asm/assembler.js";
import { mapPages, identity, RW, D } from "./support/mmu.js";

const KNOWN_EC = new Set([0x00, 0x01, 0x07, 0x0e, 0x15, 0x16, 0x17, 0x18, 0x20, 0x21, 0x22, 0x24, 0x25, 0x26, 0x3c]);

/** xorshift32: fast and reproducible. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

describe("fuzz", () => {
  it("runs 1,000,000 random words without a host error", async () => {
    const m = await Machine.create({ ramSize: 0x100000 });
    // Every vector of EL1 (and the lower-EL ones) skips the faulting instruction.
    const handler = "mrs x0, elr_el1\nadd x0, x0, #4\nmsr elr_el1, x0\neret\n";
    const vectors = assemble([{ name: "vec.S", text: Array.from({ length: 16 }, () => `.align 7\n${handler}`).join("") }], { base: 0x8000 }).image;
    const rand = rng(12345);
    let exceptions = 0;
    const badEc: string[] = [];
    m.on("exception", (e: ExceptionEvent) => {
      if (e.kind !== "sync") return;
      exceptions++;
      const ec = e.esr >>> 26;
      if (!KNOWN_EC.has(ec)) badEc.push(`EC 0x${ec.toString(16)} ESR 0x${e.esr.toString(16)} at 0x${e.elr.toString(16)}`);
    });
    const WORDS = 4096;
    let total = 0;
    for (let batch = 0; batch < 1_000_000 / WORDS; batch++) {
      m.reset();
      const page = new Uint8Array(WORDS * 4);
      const v = new DataView(page.buffer);
      for (let i = 0; i < WORDS; i++) v.setUint32(i * 4, rand(), true);
      m.load(page, 0x10000);
      m.load(vectors, 0x8000);
      const cpu = m.cores[0];
      m.start(0, 0x10000, 1);
      for (let i = 0; i < 31; i++) cpu.setX(i, (BigInt(rand()) << 32n) | BigInt(rand()));
      cpu.setSp(1, 0x20000);
      cpu.setSysreg("vbar_el1", 0x8000);
      const r = m.run({ maxInsns: WORDS * 2 });
      expect(["budget", "halted", "exit"]).toContain(r.reason);
      total += r.insns;
    }
    expect(badEc).toEqual([]);
    expect(total).toBeGreaterThan(1_000_000);
    expect(exceptions).toBeGreaterThan(1000);
  });

  it("runs 250,000 random words with the MMU on; every abort has a status code the architecture defines", async () => {
    const m = await Machine.create({ ramSize: 0x100000 });
    const handler = "mrs x0, elr_el1\nadd x0, x0, #4\nmsr elr_el1, x0\neret\n";
    const vectors = assemble([{ name: "vec.S", text: Array.from({ length: 16 }, () => `.align 7\n${handler}`).join("") }], { base: 0x8000 }).image;
    // ISS.DFSC/IFSC (ARM ARM D17.2.37): address size, translation, access flag, permission (levels
    // 0-3), synchronous external abort, on the walk (levels 0-3), alignment.
    const FSC = new Set([...Array(16).keys(), 0x10, 0x14, 0x15, 0x16, 0x17, 0x21]);
    const rand = rng(777);
    let aborts = 0;
    const bad: string[] = [];
    m.on("exception", (e: ExceptionEvent) => {
      if (e.kind !== "sync") return;
      const ec = e.esr >>> 26;
      if (!KNOWN_EC.has(ec)) bad.push(`EC 0x${ec.toString(16)} ESR 0x${e.esr.toString(16)}`);
      if (ec === 0x20 || ec === 0x21 || ec === 0x24 || ec === 0x25) {
        aborts++;
        if (!FSC.has(e.esr & 0x3f)) bad.push(`FSC 0x${(e.esr & 0x3f).toString(16)} ESR 0x${e.esr.toString(16)}`);
      }
    });
    const WORDS = 4096;
    let total = 0;
    for (let batch = 0; batch < 250_000 / WORDS; batch++) {
      m.reset();
      const page = new Uint8Array(WORDS * 4);
      const v = new DataView(page.buffer);
      for (let i = 0; i < WORDS; i++) v.setUint32(i * 4, rand(), true);
      m.load(page, 0x10000);
      m.load(vectors, 0x8000);
      const cpu = m.cores[0];
      m.start(0, 0x10000, 1);
      cpu.setSysreg("vbar_el1", 0x8000);
      // RAM mapped but for a few pages: read-only, without AF, unmapped, Device, EL0 only.
      const pages = [...identity(0x8000, 0x9000, RW | D.AP_RO_EL1), ...identity(0x10000, 0x20000, RW | D.AP_RO_EL1)];
      for (let a = 0x20000; a < 0x60000; a += 0x1000) {
        const r = rand() % 8;
        pages.push({ va: BigInt(a), pa: BigInt(a), desc: r === 0 ? 0n : r === 1 ? RW & ~D.AF : r === 2 ? RW | D.AP_RO_EL1 : r === 3 ? D.PAGE | D.AF : r === 4 ? RW | D.AP_RW_ALL : RW });
      }
      mapPages(m, 0x80000, pages);
      for (let i = 0; i < 31; i++) cpu.setX(i, rand() & 1 ? BigInt(0x20000 + (rand() % 0x40000)) : (BigInt(rand()) << 32n) | BigInt(rand()));
      cpu.setSp(1, 0x30000);
      const r = m.run({ maxInsns: WORDS * 2 });
      expect(["budget", "halted", "exit"]).toContain(r.reason);
      total += r.insns;
    }
    expect(bad).toEqual([]);
    expect(total).toBeGreaterThan(250_000);
    expect(aborts).toBeGreaterThan(1000);
  });
});
