// What real Linux needs of the CPU beyond the MMU: ID registers that tell the
// truth (ARM ARM D17.2; Cortex-A53 TRM 4.3), the debug registers as storage,
// and WFE wake-ups from SEV, the global exclusive monitor and the generic
// timer's event stream (ARM ARM D1.16). Our own guest programs.
import { describe, it, expect } from "vitest";
import { Machine } from "../host/index.js";
import { assemble } from "../tools/asm/assembler.js";
import { sysregKey } from "../tools/a64/sysregs.js";

/** Runs `text` at `el` on core 0 (and `cores` more from the label `secondary`); returns the machine. */
async function run(text: string, opts: { el?: number; cores?: number; maxInsns?: number; untilSeconds?: number } = {}) {
  const asm = assemble([{ name: "t.S", text }], { base: 0x80000 });
  const m = await Machine.create({ semihosting: true, ramSize: 0x1000000 });
  m.load(asm.image, 0x80000);
  m.start(0, asm.entry, opts.el ?? 1);
  for (let c = 1; c <= (opts.cores ?? 0); c++) m.start(c, asm.symbols.get("secondary")!, opts.el ?? 1);
  const r = m.run({ maxInsns: opts.maxInsns ?? 1_000_000, untilSeconds: opts.untilSeconds });
  return { m, r };
}

const EXIT = `
exit:
    mov x0, #0x18
    adr x1, blk
    hlt #0xf000
    .align 3
blk: .quad 0x20026, 0
`;

describe("ID registers", () => {
  it("say Cortex-A53 r0p4, AArch64 only, FP/SIMD and Crypto, no PMU, 6 breakpoints and 4 watchpoints, CRC32", async () => {
    const { m } = await run(`_start: b .`);
    const c = m.cores[0];
    expect(c.sysreg("midr_el1")).toBe(0x410fd034n);
    const pfr0 = c.sysreg("id_aa64pfr0_el1");
    expect(pfr0 & 0xffffn).toBe(0x1111n);          // EL0-EL3: AArch64 only
    expect((pfr0 >> 16n) & 0xffn).toBe(0n);        // FP, AdvSIMD: implemented
    const dfr0 = c.sysreg("id_aa64dfr0_el1");
    expect(dfr0 & 0xfn).toBe(6n);                  // DebugVer: v8
    expect((dfr0 >> 8n) & 0xfn).toBe(0n);          // PMUVer: none
    expect(((dfr0 >> 12n) & 0xfn) + 1n).toBe(6n);  // breakpoints
    expect(((dfr0 >> 20n) & 0xfn) + 1n).toBe(4n);  // watchpoints
    const isar0 = c.sysreg("id_aa64isar0_el1");
    expect((isar0 >> 16n) & 0xfn).toBe(1n);        // CRC32
    expect((isar0 >> 4n) & 0xfffn).toBe(0x112n);   // AES with PMULL, SHA1, SHA2
    expect(c.sysreg("id_aa64mmfr0_el1") & 0xffn).toBe(0x22n); // 40-bit PA, 16-bit ASIDs
  });

  it("every register of the ID space (op0=3 op1=0 CRn=0 CRm=1..7) reads, unallocated ones as zero", async () => {
    // mrs x1, s3_0_c0_c<m>_<op2> for all 56, storing each; then exit. A missing one would be UNDEFINED.
    let body = "";
    for (let crm = 1; crm <= 7; crm++) for (let op2 = 0; op2 < 8; op2++) body += `    mrs x1, s3_0_c0_c${crm}_${op2}\n    str x1, [x2], #8\n`;
    const { m, r } = await run(`_start:\n    ldr x2, =0x100000\n${body}    b exit\n${EXIT}\n    .ltorg\n`);
    expect(r.reason).toBe("exit");
    const vals: bigint[] = [];
    for (let i = 0; i < 56; i++) vals.push(m.bus.read(0x100000 + i * 8, 8));
    const at = (crm: number, op2: number) => vals[(crm - 1) * 8 + op2];
    expect(at(4, 0)).toBe(m.cores[0].sysreg("id_aa64pfr0_el1"));
    expect(at(5, 0)).toBe(m.cores[0].sysreg("id_aa64dfr0_el1"));
    expect(at(1, 0)).toBe(0n); // ID_PFR0_EL1: AArch32 not emulated
    expect(at(3, 0)).toBe(0n); // MVFR0_EL1
    expect(at(4, 4)).toBe(0n); // ID_AA64ZFR0_EL1: no SVE
    expect(at(6, 2)).toBe(0n); // ID_AA64ISAR2_EL1
    expect(at(7, 2)).toBe(0n); // ID_AA64MMFR2_EL1
    expect(vals.filter((v) => v !== 0n).length).toBe(4); // PFR0, DFR0, ISAR0, MMFR0
  });

  it("PMCR_EL0 is UNDEFINED (no PMU), and CCSIDR_EL1 follows CSSELR_EL1", async () => {
    const vectors = `
    .align 11
vectors:
    .rept 16
    .align 7
    mrs x9, esr_el1
    b exit
    .endr`;
    const { m, r } = await run(`_start:
    adr x0, vectors
    msr vbar_el1, x0
    mov x3, #2
    msr csselr_el1, x3
    isb
    mrs x4, ccsidr_el1
    mov x3, #1
    msr csselr_el1, x3
    mrs x5, ccsidr_el1
    mrs x6, pmcr_el0
    b exit
${vectors}
${EXIT}`);
    expect(r.reason).toBe("exit");
    expect(m.cores[0].x(4)).toBe(0x703fe07an); // L2: 16 ways, 512 sets, 64-byte lines
    expect(m.cores[0].x(5)).toBe(0x201fe00an); // L1 I
    expect(m.cores[0].x(9) >> 26n).toBe(0n);   // EC 0: UNDEFINED
  });
});

describe("debug registers are storage", () => {
  it("DBGBVR/BCR 0-5 and DBGWVR/WCR 0-3 keep what is written; #6 and #4 do not exist; OSLSR follows OSLAR", async () => {
    const { m, r } = await run(`_start:
    mov x1, #0x1110
    msr dbgbvr5_el1, x1
    mov x1, #0x1e5
    msr dbgbcr0_el1, x1
    mov x1, #0x2220
    msr dbgwvr3_el1, x1
    mov x1, #0x1f7
    msr dbgwcr1_el1, x1
    mrs x10, dbgbvr5_el1
    mrs x11, dbgbcr0_el1
    mrs x12, dbgwvr3_el1
    mrs x13, dbgwcr1_el1
    mov x1, #1
    msr oslar_el1, x1
    mrs x14, oslsr_el1
    msr oslar_el1, xzr
    mrs x15, oslsr_el1
    b exit
${EXIT}`);
    expect(r.reason).toBe("exit");
    const x = (n: number) => m.cores[0].x(n);
    expect([x(10), x(11), x(12), x(13)]).toEqual([0x1110n, 0x1e5n, 0x2220n, 0x1f7n]);
    expect(x(14)).toBe(0b1010n); // OSLM = 0b10, OSLK = 1
    expect(x(15)).toBe(0b1000n);
    // The encodings of breakpoint 6 and watchpoint 4 are UNDEFINED: the host's view says not implemented.
    expect(() => m.cores[0].sysreg("s2_0_c0_c6_4")).toThrow(/not implemented/);
    expect(() => m.cores[0].sysreg("s2_0_c0_c4_6")).toThrow(/not implemented/);
    expect(sysregKey([2, 0, 0, 5, 4])).toBe(0x802c);
  });
});

describe("WFE wake-up events", () => {
  it("a store by another core that clears a reservation wakes the core waiting in WFE (Linux's spinlock wait)", async () => {
    // Core 1 holds a reservation on `lock` and waits; core 0 spins a while, then stores to the lock.
    const { m, r } = await run(`_start:
    mov x5, #20000
1:  subs x5, x5, #1
    b.ne 1b
    adr x0, lock
    mov x1, #1
    str x1, [x0]
2:  ldr x2, done
    cbz x2, 2b
    b exit
secondary:
    adr x0, lock
3:  ldaxr x1, [x0]
    cbnz x1, 4f
    wfe
    b 3b
4:  adr x3, done
    str x1, [x3]
    b .
    .align 6
lock: .quad 0
    .align 6
done: .quad 0
${EXIT}`, { cores: 1, maxInsns: 2_000_000 });
    expect(r.reason).toBe("exit");
    expect(m.cores[1].x(1)).toBe(1n);
  });

  it("SEV wakes another core; SEVL makes the next WFE fall through", async () => {
    const { m, r } = await run(`_start:
    mov x5, #5000
1:  subs x5, x5, #1
    b.ne 1b
    sev
2:  ldr x2, done
    cbz x2, 2b
    sevl
    wfe
    b exit
secondary:
    wfe
    mov x1, #7
    adr x3, done
    str x1, [x3]
    b .
    .align 3
done: .quad 0
${EXIT}`, { cores: 1 });
    expect(r.reason).toBe("exit");
    expect(m.cores[1].x(1)).toBe(7n);
  });

  it("the generic timer's event stream (CNTKCTL_EL1.EVNTEN) wakes a WFE at its rate, so a lone waiter does not halt", async () => {
    // EVNTI = 9: an event every 2^10 counts of the 19.2 MHz counter (53.3 us). 100 WFEs with nothing else to wake them.
    const { m, r } = await run(`_start:
    mov x1, #(1 << 2) | (9 << 4)
    msr cntkctl_el1, x1
    mrs x10, cntvct_el0
    wfe
    mrs x10, cntvct_el0
    mov x5, #100
1:  wfe
    subs x5, x5, #1
    b.ne 1b
    mrs x11, cntvct_el0
    b exit
${EXIT}`, { maxInsns: 1_000_000 });
    expect(r.reason).toBe("exit");
    const counts = Number(m.cores[0].x(11) - m.cores[0].x(10));
    expect(counts).toBeGreaterThanOrEqual(99 * 1024);
    expect(counts).toBeLessThanOrEqual(101 * 1024);
    expect(r.insns).toBeLessThan(2000); // idle skip: the waits cost no instructions
  });

  it("without the event stream the same lone WFE halts the machine", async () => {
    const { r } = await run(`_start:\n    wfe\n    wfe\n    b exit\n${EXIT}`);
    expect(r.reason).toBe("halted");
  });
});
