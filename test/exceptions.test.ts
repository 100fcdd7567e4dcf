// Exception entry and return: vector, ESR, ELR, SPSR, DAIF, SP selection.
// The two guest programs print what their handlers see; the expected text is
// what QEMU (-M virt -cpu cortex-a53 -semihosting) printed for the same source
// (test/guest/exceptions/build.sh). Cases QEMU does not model are checked
// against the ARM ARM below.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { runGuest, guestPath } from "./support/guest.js";
import type { ExceptionEvent } from "../host/index.js";

const expected = (name: string) => readFileSync(guestPath(`exceptions/${name}.expected`), "utf8");

describe("exceptions against QEMU", () => {
  it("EL1: svc, brk, udf, unknown sysreg, data and instruction aborts, pc alignment, nested, EL1t, DAIF", async () => {
    const r = await runGuest({ file: guestPath("exceptions/el1.S") }, { el: 1 });
    expect(r.reason).toBe("exit");
    expect(r.out).toBe(expected("el1"));
  });

  it("EL3 -> EL1 by eret, smc to EL3, hvc to EL2, svc to EL1", async () => {
    const r = await runGuest({ file: guestPath("exceptions/el3.S") }, { el: 3 });
    expect(r.reason).toBe("exit");
    expect(r.out).toBe(expected("el3"));
  });
});

/** Runs `body` at EL1 with a vector table that records the first exception and stops. */
async function firstException(body: string, el = 1): Promise<ExceptionEvent & { far: bigint }> {
  const text = `
    .globl _start
_start:
    adr x0, vectors
    msr vbar_el1, x0
    adr x0, stack_top
    mov sp, x0
${body}
    b .
    .align 11
vectors:
    .rept 16
    .align 7
    mov x0, #0x18
    adr x1, blk
    hlt #0xf000
    .endr
    .align 3
blk: .quad 0x20026, 0
    .space 256
stack_top:
`;
  const events: ExceptionEvent[] = [];
  const r = await runGuest({ text }, { el, maxInsns: 100_000, exceptions: events });
  const first = events.find((e) => e.kind !== "eret");
  if (!first) throw new Error("no exception taken");
  return { ...first, far: r.m.cores[0].sysreg("far_el1") };
}

describe("exceptions QEMU does not model (ARM ARM D1.8, D17.2.37)", () => {
  it("SP alignment fault with SCTLR_EL1.SA: EC 0x26", async () => {
    const e = await firstException(`
    mrs x1, sctlr_el1
    orr x1, x1, #8
    msr sctlr_el1, x1
    sub sp, sp, #4
    ldr x2, [sp]`);
    expect(e.esr).toBe(0x9a000000);
    expect(e.vectorOffset).toBe(0x200);
  });

  it("write to unmapped memory: synchronous data abort with WnR", async () => {
    const e = await firstException(`
    mov x1, #0x80000000
    str x2, [x1, #8]`);
    expect(e.esr).toBe(0x96000050);
    expect(e.far).toBe(0x80000008n);
  });

  it("HVC at EL1 with SCR_EL3.HCE clear is UNDEFINED", async () => {
    const e = await firstException("    hvc #1");
    expect(e.esr).toBe(0x02000000);
  });

  it("an SVC from EL0 goes to the lower-EL vector 0x400 with SPSR.M = EL0t", async () => {
    const e = await firstException(`
    mov x0, #0
    msr spsr_el1, x0
    adr x0, user
    msr elr_el1, x0
    eret
user:
    svc #3`);
    expect(e.vectorOffset).toBe(0x400);
    expect(e.esr).toBe(0x56000003);
    expect(e.spsr & 0xf).toBe(0);
    expect(e.fromEL).toBe(0);
  });

  it("ERET to AArch32 is an illegal return: PSTATE.IL, then EC 0x0E", async () => {
    const e = await firstException(`
    mov x0, #0x10
    msr spsr_el1, x0
    adr x0, next
    msr elr_el1, x0
    eret
next:
    nop`);
    expect(e.esr >>> 26).toBe(0x0e);
  });
});
