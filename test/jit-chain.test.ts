// The mechanisms of the code cache (host/jit/index.ts, soc/cpu/jit.ts), each against the
// interpreter: regions entered at any compiled block and chained into one another without the
// run loop, the cache emptied when it is full (a tiny limit forced with `jitCacheBytes`), and
// compiled code invalidated when the guest rewrites it or changes its mapping (TTBR0, a
// descriptor + TLBI, SCTLR_EL1.M) while the code around it is chained.
// Both machines run in lockstep in odd-sized chunks, so every stop inside chained code is
// compared too: registers, PC, instruction and cycle counts, memory.
import { describe, it, expect } from "vitest";
import { Machine, type MachineOptions } from "../host/index.js";
import { assemble } from "../tools/asm/assembler.js";
import { mapPages, identity, RW, type Mapping } from "./support/mmu.js";

/** Everything a run leaves that compiled code could change. */
function observable(m: Machine) {
  const cpu = m.cores[0];
  return {
    insns: m.insns, cycles: m.cycles, pc: cpu.pc64, pstate: cpu.pstate,
    x: Array.from({ length: 31 }, (_, i) => cpu.x(i)), sp: [0, 1, 2, 3].map((el) => cpu.sp(el)),
  };
}

interface Program {
  /** Pieces of code: assembled at `va`, loaded at `pa`. */
  pieces: { text: string; pa: number; va?: bigint }[];
  /** Where core 0 starts (a VA once `mmu` set the MMU up). */
  start: bigint;
  /** Sets up the machine after loading (page tables, registers). */
  setup?: (m: Machine) => void;
  data?: { pa: number; bytes: Uint8Array };
}

/** Runs `p` interpreted and compiled in lockstep, chunk by chunk; returns both machines. */
async function lockstep(p: Program, jitOpts: MachineOptions, maxInsns: number, chunk = 7919) {
  const machines = [await Machine.create({ ramSize: 0x400000, jit: false }), await Machine.create({ ramSize: 0x400000, ...jitOpts })];
  const exceptions: string[] = [];
  for (const m of machines) {
    m.on("exception", (e) => exceptions.push(`${e.kind} ${e.esr.toString(16)} ${e.elr.toString(16)}`));
    for (const piece of p.pieces) {
      const base = Number(piece.va ?? BigInt(piece.pa));
      m.load(assemble([{ name: "p.S", text: piece.text }], { base: base >= 2 ** 32 ? piece.pa : base }).image, piece.pa);
    }
    if (p.data) m.load(p.data.bytes, p.data.pa);
    m.start(0, Number(p.start & 0xffffffffn), 1);
    p.setup?.(m);
    m.cores[0].pc64 = p.start;
  }
  let done = 0;
  while (done < maxInsns) {
    const r = machines.map((m) => m.run({ maxInsns: chunk }).reason);
    expect(r[1]).toBe(r[0]);
    expect(observable(machines[1])).toEqual(observable(machines[0]));
    done += chunk;
    if (r[0] !== "budget") break;
  }
  expect(machines[1].jitStats!.lastError).toBeUndefined();
  expect(exceptions).toEqual([]); // (none of these programs takes one)
  return machines;
}

const mem = (m: Machine, pa: number, n: number) => Buffer.from(m.readMemory(pa, n)).toString("base64");

// A caller and a callee 64 KiB apart: two regions (a region takes blocks within 8 KiB of its
// entry), so every call and every return crosses from one to the other.
const caller = (n: number, f: number) => `
_start:
    mov x19, #0
    ldr x20, =${n}
    ldr x21, =${f}
    ldr x22, =0x300000
loop:
    mov x0, x19
    mov x1, x20
    blr x21
    add x19, x0, x20
    str x19, [x22, x20, lsl #3]
    and x2, x20, #7
    cbnz x2, skip
    eor x19, x19, x20, lsl #5
skip:
    subs x20, x20, #1
    b.ne loop
    b .
`;
const callee = `
f:
    mov x2, #5
1:  add x0, x0, x1
    eor x0, x0, x0, lsr #3
    subs x2, x2, #1
    b.ne 1b
    tbz x1, #2, 2f
    add x0, x0, #1
2:  ret
`;
const chained: Program = { pieces: [{ text: caller(20000, 0x90000), pa: 0x80000 }, { text: callee, pa: 0x90000 }], start: 0x80000n };

describe("chained regions", () => {
  it("calls and returns between two regions chain without the run loop; every stop is the interpreter's", async () => {
    const [a, b] = await lockstep(chained, { jitThreshold: 16 }, 2_000_000);
    expect(mem(b, 0x300000, 20001 * 8)).toBe(mem(a, 0x300000, 20001 * 8));
    const s = b.jitStats!;
    expect(s.regions).toBeGreaterThanOrEqual(2);
    expect(s.chained).toBeGreaterThan(30_000); // both ways, most iterations
    expect(s.retired).toBeGreaterThan(b.insns * 0.9);
  });

  it("a block compiled in one region is entered there, not compiled again for another entry", async () => {
    // Threshold 1: each target of the callee and the caller gets hot on its own; the blocks
    // they share are translated once (instructions translated stay near the program's size).
    const [, b] = await lockstep(chained, { jitThreshold: 1 }, 300_000);
    const words = [caller(20000, 0x90000), callee].reduce((n, text) => n + assemble([{ name: "p.S", text }], { base: 0x80000 }).image.length / 4, 0);
    expect(b.jitStats!.instructions).toBeLessThanOrEqual(words + 8);
    expect(b.jitStats!.entries).toBeGreaterThan(b.jitStats!.regions);
  });

  it("two cores in the same chained code: the schedule and shared memory are the interpreter's", async () => {
    const machines = [await Machine.create({ ramSize: 0x400000, jit: false }), await Machine.create({ ramSize: 0x400000, jitThreshold: 16 })];
    for (const m of machines) {
      for (const piece of chained.pieces) m.load(assemble([{ name: "p.S", text: piece.text }], { base: piece.pa }).image, piece.pa);
      m.start(0, 0x80000, 1);
      m.start(1, 0x80000, 1);
    }
    for (let i = 0; i < 40; i++) {
      const r = machines.map((m) => m.run({ maxInsns: 10007 }).reason);
      expect(r[1]).toBe(r[0]);
      expect(machines[1].cores.map((c) => [c.pc, c.x(19), c.x(20)])).toEqual(machines[0].cores.map((c) => [c.pc, c.x(19), c.x(20)]));
      expect([machines[1].insns, machines[1].cycles]).toEqual([machines[0].insns, machines[0].cycles]);
    }
    expect(mem(machines[1], 0x300000, 20001 * 8)).toBe(mem(machines[0], 0x300000, 20001 * 8));
    expect(machines[1].jitStats!.chained).toBeGreaterThan(1000);
  });
});

describe("a code cache of bounded size", () => {
  for (const cacheBytes of [1, 300]) {
    it(`with ${cacheBytes} byte(s) of code allowed, the cache is emptied again and again; results are the same`, async () => {
      const [a, b] = await lockstep(chained, { jitThreshold: 4, jitCacheBytes: cacheBytes }, 1_000_000);
      expect(mem(b, 0x300000, 20001 * 8)).toBe(mem(a, 0x300000, 20001 * 8));
      const s = b.jitStats!;
      expect(s.flushes).toBeGreaterThan(2);
      expect(s.liveBytes).toBeLessThan(cacheBytes + 20_000); // at most one batch over the limit
      expect(s.retired).toBeGreaterThan(b.insns * 0.3);
    });
  }

  it("the benchmark workloads with a 2 KiB cache: same results and counts", async () => {
    const { readFileSync } = await import("node:fs");
    const { guestPath } = await import("./support/guest.js");
    const image = new Uint8Array(readFileSync(guestPath("bench/bench.img")));
    for (let w = 0; w < 5; w++) {
      const runs = [];
      for (const opts of [{ jit: false }, { jitThreshold: 16, jitCacheBytes: 2048 }]) {
        const m = await Machine.create({ semihosting: true, ramSize: 0x1000000, ...opts });
        m.load(image, 0x80000);
        m.start(0, 0x80000, 1);
        m.cores[0].setX(0, BigInt(w));
        const r = m.run({ maxInsns: 200_000_000 });
        expect(r.reason).toBe("exit");
        runs.push({ code: r.exitCode, obs: observable(m), m });
      }
      expect(runs[1].code).toBe(runs[0].code);
      expect(runs[1].obs).toEqual(runs[0].obs);
      expect(runs[1].m.jitStats!.flushes).toBeGreaterThan(0);
    }
  }, 120_000);
});

describe("chained code that changes", () => {
  it("the caller rewrites an instruction of the chained callee; the callee's region is dropped and the new code runs", async () => {
    // Every 1024 iterations the caller swaps the callee's `eor` for an `add` or back.
    const patching = caller(20000, 0x90000).replace("skip:\n", `skip:
    ands x3, x20, #1023
    b.ne nopatch
    ldr w4, [x21, #8]
    ldr w5, =0x8b400c00
    ldr w6, =0xca400c00
    cmp w4, w5
    csel w4, w6, w5, eq
    str w4, [x21, #8]
nopatch:
`);
    const p: Program = { ...chained, pieces: [{ text: patching, pa: 0x80000 }, { text: callee, pa: 0x90000 }] };
    const [a, b] = await lockstep(p, { jitThreshold: 16 }, 2_500_000);
    expect(mem(b, 0x300000, 20001 * 8)).toBe(mem(a, 0x300000, 20001 * 8));
    expect(mem(b, 0x90000, 64)).toBe(mem(a, 0x90000, 64));
    expect(b.jitStats!.regions).toBeGreaterThan(10); // the callee compiled again after each patch
    expect(b.jitStats!.chained).toBeGreaterThan(10_000);
  });

  it("the callee rewrites an instruction of its chained caller", async () => {
    // The callee flips the caller's `add x19, x0, x20` between add and sub every 512 calls.
    const flipping = callee.replace("2:  ret", `2:  ands x3, x1, #511
    b.ne 3f
    ldr x4, =0x8001c
    ldr w5, [x4]
    eor w5, w5, #0x40000000
    str w5, [x4]
3:  ret`);
    const text = caller(20000, 0x90000);
    // (the 8th word of the caller: its 4 literal loads, 3 moves/calls; checked below)
    const p: Program = { ...chained, pieces: [{ text, pa: 0x80000 }, { text: flipping, pa: 0x90000 }] };
    const [a, b] = await lockstep(p, { jitThreshold: 16 }, 2_500_000);
    expect(Buffer.from(a.readMemory(0x80000 + 28, 4)).readUInt32LE(0) >>> 0).toBe(0xcb140013); // the add, flipped 39 times: a sub
    expect(mem(b, 0x300000, 20001 * 8)).toBe(mem(a, 0x300000, 20001 * 8));
    expect(mem(b, 0x80000, 128)).toBe(mem(a, 0x80000, 128));
    expect(b.jitStats!.chained).toBeGreaterThan(10_000);
  });
});

describe("chained code under the MMU", () => {
  // The caller at a TTBR1 address; the callee at VA 0x10000 (TTBR0), on a page whose PA the
  // guest changes every 256 calls: two versions of it at 0x20000 and 0x21000.
  const CALLER_VA = 0xffff800000080000n, CALLEE_VA = 0x10000;
  const v1 = callee, v2 = callee.replace("eor x0, x0, x0, lsr #3", "sub x0, x0, x0, lsr #2");
  const switcher = (how: string) => caller(6000, CALLEE_VA).replace("skip:\n", `skip:
    ands x3, x20, #255
    b.ne noswitch
${how}
noswitch:
`);
  const data = identity(0x300000, 0x300000 + 6001 * 8 + 0x1000);
  const common = (pages: Mapping[]) => [...pages, ...data, { va: CALLER_VA, pa: 0x80000n, desc: RW }];

  it("TTBR0_EL1 switches between two tables mapping the callee to different code", async () => {
    let ttbrA = 0n, ttbrB = 0n;
    const setup = (m: Machine) => {
      mapPages(m, 0x100000, common([{ va: BigInt(CALLEE_VA), pa: 0x21000n, desc: RW }]));
      ttbrB = m.cores[0].sysreg("ttbr0_el1");
      mapPages(m, 0x140000, common([{ va: BigInt(CALLEE_VA), pa: 0x20000n, desc: RW }]));
      ttbrA = m.cores[0].sysreg("ttbr0_el1");
      m.cores[0].setX(23, ttbrA);
      m.cores[0].setX(24, ttbrB);
    };
    const how = `
    tst x20, #256
    csel x5, x23, x24, eq
    msr ttbr0_el1, x5
    isb`;
    const p: Program = {
      pieces: [{ text: switcher(how), pa: 0x80000, va: CALLER_VA }, { text: v1, pa: 0x20000, va: BigInt(CALLEE_VA) }, { text: v2, pa: 0x21000, va: BigInt(CALLEE_VA) }],
      start: CALLER_VA, setup,
    };
    const [a, b] = await lockstep(p, { jitThreshold: 16 }, 1_000_000);
    expect(mem(b, 0x300000, 6001 * 8)).toBe(mem(a, 0x300000, 6001 * 8));
    expect(b.jitStats!.chained).toBeGreaterThan(3000);
    expect(b.jitStats!.retired).toBeGreaterThan(b.insns * 0.5);
  });

  it("the guest rewrites the callee's page descriptor and invalidates it with TLBI", async () => {
    const setup = (m: Machine) => {
      mapPages(m, 0x100000, common([{ va: BigInt(CALLEE_VA), pa: 0x20000n, desc: RW }, ...identity(0x100000, 0x110000)]));
      // The level-3 descriptor of the callee's page: walk the host-built tables.
      let t = Number(m.cores[0].sysreg("ttbr0_el1") & 0xfffffffff000n);
      for (let level = 0; level < 3; level++) t = Number(m.bus.read(t + 8 * ((CALLEE_VA >> (39 - 9 * level)) & 511), 8) & 0xfffffffff000n);
      m.cores[0].setX(23, BigInt(t + 8 * ((CALLEE_VA >> 12) & 511)));
    };
    // Flip bit 12 of the output address: PA 0x20000 <-> 0x21000.
    const how = `
    ldr x5, [x23]
    eor x5, x5, #0x1000
    str x5, [x23]
    dsb ish
    lsr x6, x21, #12
    tlbi vae1, x6
    dsb ish
    isb`;
    const p: Program = {
      pieces: [{ text: switcher(how), pa: 0x80000, va: CALLER_VA }, { text: v1, pa: 0x20000, va: BigInt(CALLEE_VA) }, { text: v2, pa: 0x21000, va: BigInt(CALLEE_VA) }],
      start: CALLER_VA, setup,
    };
    const [a, b] = await lockstep(p, { jitThreshold: 16 }, 1_000_000);
    expect(mem(b, 0x300000, 6001 * 8)).toBe(mem(a, 0x300000, 6001 * 8));
    expect(b.jitStats!.chained).toBeGreaterThan(3000);
  });

  it("SCTLR_EL1.M goes off and on under identity-mapped chained code", async () => {
    const setup = (m: Machine) => {
      mapPages(m, 0x100000, [...identity(0x80000, 0x81000), ...identity(0x90000, 0x91000), ...data]);
    };
    const how = `
    mrs x5, sctlr_el1
    eor x5, x5, #1
    msr sctlr_el1, x5
    isb`;
    const text = caller(6000, 0x90000).replace("skip:\n", `skip:
    ands x3, x20, #255
    b.ne noswitch
${how}
noswitch:
`);
    const p: Program = { pieces: [{ text, pa: 0x80000 }, { text: callee, pa: 0x90000 }], start: 0x80000n, setup };
    const [a, b] = await lockstep(p, { jitThreshold: 16 }, 1_000_000);
    expect(mem(b, 0x300000, 6001 * 8)).toBe(mem(a, 0x300000, 6001 * 8));
    expect(b.jitStats!.chained).toBeGreaterThan(3000);
  });
});

describe("the TLB's sets under compiled code", () => {
  // A loop over pages whose VAs select the same set of the TLB (soc/cpu/mmu.ts: VA page modulo
  // 128): the stack 1 MiB above the data it works on, as in the bench's freestanding builds. Two
  // such pages fit its two ways: compiled code finds both in its inline probes and never leaves.
  // A third page of the same set evicts one each pass: the results stay the interpreter's.
  const loop = (pages: number[]) => `
_start:
    ldr x20, =40000
    mov x19, #0
${pages.map((p, i) => `    ldr x${21 + i}, =${p}`).join("\n")}
1:  and x3, x20, #0xfff
${pages.map((_, i) => `    ldr x2, [x${21 + i}, x3, lsl #3]
    add x19, x19, x2
    str x19, [x${21 + i}, #8]`).join("\n")}
    eor x19, x19, x20
    subs x20, x20, #1
    b.ne 1b
    b .
`;
  const run = async (pages: number[]) => {
    const data = new Uint8Array(0x8000).map((_, i) => (i * 37) & 255);
    const p: Program = {
      pieces: [{ text: loop(pages), pa: 0x80000 }], start: 0x80000n, data: { pa: pages[0], bytes: data },
      setup: (m) => mapPages(m, 0x100000, [...identity(0x80000, 0x81000), ...pages.flatMap((a) => identity(a, a + 0x8000))]),
    };
    const [a, b] = await lockstep(p, { jitThreshold: 16 }, 1_000_000);
    for (const q of pages) expect(mem(b, q, 0x8000)).toBe(mem(a, q, 0x8000));
    return b;
  };

  it("two pages of one set: both stay, and the loop runs compiled", async () => {
    const b = await run([0x281000, 0x381000]);
    expect(b.jitStats!.retired).toBeGreaterThan(b.insns * 0.95);
  });

  it("three pages of one set: they evict each other, with the interpreter's results", async () => {
    const b = await run([0x201000, 0x281000, 0x381000]);
    expect(b.jitStats!.retired).toBeLessThan(b.insns * 0.95);
  });
});

describe("regions over two pages under the MMU", () => {
  // A loop whose body runs from one page into the next (VA 0x80fe0-0x8103f), identity-mapped
  // until the loop itself maps VA 0x81000 to PA 0x85000 halfway (descriptor + TLBI), where the
  // second half has `sub` instead of `add`. Regions are formed within a page (host/jit/compile.ts
  // formRegion), so none formed before may run PA 0x81000 for that VA any more.
  const start = `
_start:
    mov x20, #30000
    mov x19, #0
    b 0x80fe0
`;
  const firstHalf = `
    add x19, x19, x20
    eor x19, x19, x19, lsr #7
    add x19, x19, #3
    eor x19, x19, x20, lsl #2
    add x19, x19, x20
    eor x19, x19, x19, lsr #5
    add x19, x19, #1
    eor x19, x19, x20, lsl #3
`;
  const secondHalf = (op: string) => `
    ${op} x19, x19, #5
    cmp x20, x25
    b.ne 1f
    str x24, [x23]
    dsb ish
    mov x6, #0x81
    tlbi vae1, x6
    dsb ish
    isb
1:  subs x20, x20, #1
    b.ne 0x80fe0
    b .
`;
  const run = (switchAt: number) => lockstep({
    pieces: [{ text: start, pa: 0x80f00 }, { text: firstHalf, pa: 0x80fe0 }, { text: secondHalf("add"), pa: 0x81000 },
      { text: secondHalf("sub"), pa: 0x85000, va: 0x81000n }],
    start: 0x80f00n,
    setup: (m) => {
      mapPages(m, 0x100000, [...identity(0x80000, 0x82000), ...identity(0x100000, 0x110000)]);
      // The level-3 descriptor of VA 0x81000, and its value for PA 0x85000.
      let t = Number(m.cores[0].sysreg("ttbr0_el1") & 0xfffffffff000n);
      for (let level = 0; level < 3; level++) t = Number(m.bus.read(t + 8 * ((0x81000 / 2 ** (39 - 9 * level)) & 511), 8) & 0xfffffffff000n);
      const desc = t + 8 * 0x81;
      m.cores[0].setX(23, BigInt(desc));
      m.cores[0].setX(24, (m.bus.read(desc, 8) & ~0xfffffffff000n) | 0x85000n);
      m.cores[0].setX(25, BigInt(switchAt));
    },
  }, { jitThreshold: 16 }, 1_000_000);

  it("the second page mapped elsewhere halfway: compiled code runs what the TLB maps there, as the interpreter does", async () => {
    const [a, b] = await run(15000);
    expect(a.cores[0].x(19)).not.toBe((await run(0))[0].cores[0].x(19)); // (the switch happened)
    expect(b.cores[0].x(19)).toBe(a.cores[0].x(19));
    expect(b.jitStats!.retired).toBeGreaterThan(b.insns * 0.5);
  });
});
