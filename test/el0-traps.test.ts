// EL0 traps of SCTLR_EL1 (UMA, UCT, DZE, UCI, nTWI, nTWE) and CNTKCTL_EL1 (the generic timer):
// test/guest/exceptions/el0.S prints the ESR of every trap; its expected text is what QEMU 7.2
// (-M virt -cpu cortex-a53 -semihosting) printed (test/guest/exceptions/build.sh). Where QEMU
// departs from the ARM ARM, the ARM ARM (the board) is followed and the test says so.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { runGuest, guestPath } from "./support/guest.js";
import type { ExceptionEvent } from "../host/index.js";

describe("EL0 traps against QEMU", () => {
  it("UMA, UCT, DZE, UCI, nTWI, CNTKCTL_EL1 and the UNDEFINED ones give QEMU's ESRs", async () => {
    const r = await runGuest({ file: guestPath("exceptions/el0.S") }, { el: 1 });
    expect(r.reason).toBe("exit");
    // QEMU 7.2 reports a trapped MSR DAIFSet/DAIFClr with ISS.Op1 and ISS.Op2 swapped (Op1 = 6/7,
    // Op2 = 3); ARM ARM D17.2.37 puts the instruction's op1 (3) in ISS[16:14] and op2 (6/7) in
    // ISS[19:17], as for every other MSR: 0x620cd3e4 / 0x620ed3e4.
    const qemu = readFileSync(guestPath("exceptions/el0.expected"), "utf8");
    expect(qemu).toContain("esr 0x00000000620793e4");
    const armArm = qemu.replace("esr 0x00000000620793e4", "esr 0x00000000620cd3e4").replace("esr 0x000000006207d3e4", "esr 0x00000000620ed3e4");
    expect(r.out).toBe(armArm);
  });
});

/** Runs `el0` at EL0t (entered from EL1 with `sctlr` and `cntkctl`); returns the exceptions taken. */
async function atEl0(el0: string, sctlr: number, cntkctl = 0): Promise<{ events: ExceptionEvent[]; state: string; esr: bigint }> {
  const text = `
    .globl _start
_start:
    adr x0, vectors
    msr vbar_el1, x0
    ldr x0, =${sctlr}
    msr sctlr_el1, x0
    mov x0, #${cntkctl}
    msr cntkctl_el1, x0
    adr x0, user
    msr elr_el1, x0
    mov x0, #0x3c0
    msr spsr_el1, x0
    eret
user:
${el0}
    b .
    .align 11
vectors:
    .rept 16
    .align 7
    b .
    .endr
`;
  const events: ExceptionEvent[] = [];
  const r = await runGuest({ text }, { el: 1, maxInsns: 10_000, exceptions: events });
  return { events: events.filter((e) => e.kind !== "eret"), state: r.m.cores[0].state, esr: r.m.cores[0].sysreg("esr_el1") };
}

const SCTLR_BASE = 0x30d00800;
// The ERET into EL0 sets the event register (ARM ARM D1.16.1): the first WFE clears it without
// waiting (so without a trap), the second one would wait.
const WFE_THAT_WAITS = "    wfe\n    wfe";
const NTWE = 1 << 18, NTWI = 1 << 16;

describe("EL0 WFI/WFE traps (ARM ARM D1.16.2: only a WFx that would wait is trapped)", () => {
  it("WFE with the event register clear and nTWE = 0: EC 0x01, TI = 1 (QEMU never traps WFE; the board does)", async () => {
    const r = await atEl0(WFE_THAT_WAITS, SCTLR_BASE | NTWI);
    expect(r.events).toHaveLength(1);
    expect(r.events[0].vectorOffset).toBe(0x400);
    expect(r.esr).toBe(0x07e00001n);
  });

  it("WFE with nTWE = 1 waits at EL0 instead", async () => {
    const r = await atEl0(WFE_THAT_WAITS, SCTLR_BASE | NTWE | NTWI);
    expect(r.events).toHaveLength(0);
    expect(r.state).toBe("wfe");
  });

  it("WFI with nTWI = 0: EC 0x01, TI = 0; with nTWI = 1 it waits", async () => {
    const trapped = await atEl0("    wfi", SCTLR_BASE);
    expect(trapped.events.map((e) => e.esr)).toEqual([0x07e00000]);
    const waits = await atEl0("    wfi", SCTLR_BASE | NTWI);
    expect(waits.events).toHaveLength(0);
    expect(waits.state).toBe("wfi");
  });

  it("the Cortex-A53 reset value of SCTLR_EL1 (0x00c50838) lets EL0 wait: nTWI = nTWE = 1", async () => {
    const r = await atEl0(WFE_THAT_WAITS, 0x00c50838);
    expect(r.events).toHaveLength(0);
    expect(r.state).toBe("wfe");
  });
});
