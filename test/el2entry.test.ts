// The EL2 entry state of the Pi 3 firmware for a 64-bit kernel (host/boot.ts ARMSTUB_EL2_ENTRY):
// test/guest/parity/el2entry.img prints what it finds at EL2, ERETs to EL1h without writing
// HCR_EL2 and reports from EL1; el2entry.qemu.txt is what QEMU 7.2 (-M raspi3b -kernel) printed.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { Machine, boot, DEFAULT_BOOT } from "../host/index.js";
import { guestPath } from "./support/guest.js";

async function bootEl2(): Promise<{ m: Machine; out: () => string }> {
  const m = await Machine.create();
  boot(m, new Uint8Array(readFileSync(guestPath("parity/el2entry.img"))), DEFAULT_BOOT);
  let out = "";
  m.on("serial", (b) => { out += String.fromCharCode(b); });
  return { m, out: () => out };
}

describe("EL2 entry like the Pi 3 firmware", () => {
  it("a kernel that ERETs to EL1h without writing HCR_EL2 reaches EL1, as on QEMU", async () => {
    const { m, out } = await bootEl2();
    const r = m.run({ untilSeconds: 1 });
    expect(r.reason).toBe("halted"); // core 0 waits in wfe, cores 1-3 in the spin table
    expect(out()).toBe(readFileSync(guestPath("parity/el2entry.qemu.txt"), "utf8"));
  });

  it("the registers the armstub writes (armstub8.S) and the reset values it leaves", async () => {
    const { m } = await bootEl2();
    for (const cpu of m.cores) {
      expect(cpu.el).toBe(2);
      expect(cpu.daif).toBe(0x3c0);
      expect(cpu.sysreg("scr_el3")).toBe(0x5b1n);       // RW | HCE | SMD | RES1 5:4 | NS
      expect(cpu.sysreg("sctlr_el2")).toBe(0x30c50830n); // QEMU's -kernel boot leaves 0 here
      expect(cpu.sysreg("hcr_el2")).toBe(0x80000000n);   // RW
      expect(cpu.sysreg("cnthctl_el2")).toBe(3n);
      expect(cpu.sysreg("cntvoff_el2")).toBe(0n);
      expect(cpu.sysreg("cptr_el2")).toBe(0x33ffn);     // QEMU reads 0 (no RES1 bits)
      expect(cpu.sysreg("cptr_el3")).toBe(0n);
      expect(cpu.sysreg("vmpidr_el2")).toBe(0x80000000n | BigInt(cpu.index));
    }
  });

  it("kernel_old still starts every core at EL3 with the reset values (no armstub runs)", async () => {
    const m = await Machine.create();
    boot(m, new Uint8Array(readFileSync(guestPath("kernels/el.img"))), { ...DEFAULT_BOOT, kernelOld: true });
    expect(m.cores[0].el).toBe(3);
    expect(m.cores[0].sysreg("hcr_el2")).toBe(0n);
    expect(m.cores[0].sysreg("sctlr_el2")).toBe(0x30c50838n);
  });
});
