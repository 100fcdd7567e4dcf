// The MMU (soc/cpu/mmu.ts): our test kernel (test/guest/mmu) builds page tables for the EL3, EL2
// and EL1&0 regimes and prints what every access reads or which exception it takes (ESR, FAR),
// and the AT results (PAR_EL1). The expected text is what QEMU 7.2 (-M raspi3b, the same memory
// map and Cortex-A53 cores) printed for the same image, but for the unaligned accesses to Device
// memory, which the architecture makes alignment faults (ARM ARM B2.5.2, D5.5.5) and QEMU 7.2
// performs: for those two the expected lines are the architecture's.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { runImage } from "./support/image.js";
import { Machine, boot, DEFAULT_BOOT } from "../host/index.js";
import { guestPath } from "./support/guest.js";
import { formatMmu } from "../host/trace.js";
import type { MmuEvent } from "../host/index.js";

const qemu = readFileSync(guestPath("mmu/mmu.qemu.txt"), "latin1");

/** QEMU's text with the architecture's Device-memory alignment faults put in. */
function architectural(text: string): string {
  const fault = (far: string) => `    exception to EL1 vector 0x200 ESR 0x96000021 FAR ${far}\r\n`;
  return text
    .replace("  aligned: 0x0\r\n", `  aligned: 0x0\r\n${fault("0x20800001")}`)
    .replace("  Device-nGnRE: unaligned\r\n", `  Device-nGnRE: unaligned\r\n${fault("0x20a00001")}`);
}

describe("MMU against QEMU", () => {
  for (const jit of [false, true]) {
    it(`EL3, EL2 and EL1&0 regimes: walks, blocks, granules, faults, permissions, ASIDs, TLBI, TBI, AT (${jit ? "compiled" : "interpreted"})`, async () => {
      const r = await runImage("../mmu/mmu", { until: "done\r\n", maxInsns: 20_000_000, machine: { jit } });
      expect(qemu).toContain("done\r\n");
      expect(r.out).toBe(architectural(qemu));
    });
  }

  for (const jit of [false, true]) {
    it(`lesson-6 style: an upper-half kernel, user processes with their own tables and ASIDs, demand paging, a fault that ends one (${jit ? "compiled" : "interpreted"})`, async () => {
      const r = await runImage("../mmu/lesson6", { until: "exited\r\n", maxInsns: 20_000_000, machine: { jit } });
      const expected = readFileSync(guestPath("mmu/lesson6.qemu.txt"), "latin1");
      expect(expected).toContain("p2: n=6\r\n");
      expect(r.out).toBe(expected);
    });
  }

  it("the mmu trace channel: SCTLR_ELx.M changes, faults with their level and access, TLBI", async () => {
    const trace = async (on: boolean) => {
      const m = await Machine.create({ traceMmu: on });
      boot(m, new Uint8Array(readFileSync(guestPath("mmu/mmu.img"))), { ...DEFAULT_BOOT, kernelOld: true });
      const lines: string[] = [];
      let out = "";
      m.on("mmu", (e) => lines.push(formatMmu(e)));
      m.on("serial", (b) => { out += String.fromCharCode(b); if (out.endsWith("done\r\n")) m.stop(); });
      m.run({ maxInsns: 20_000_000 });
      return lines;
    };
    const lines = await trace(true);
    expect(lines[0]).toMatch(/^core0 MMU SCTLR_EL3\.M=1 \(0x[0-9a-f]+\) at pc=0x[0-9a-f]+$/);
    expect(lines[1]).toMatch(/^core0 MMU translation fault, level 1 on read of 0xc0000000 at EL3 at pc=/);
    expect(lines[2]).toMatch(/^core0 MMU external abort on the table walk, level 2 on read of 0x80000000 at EL3/);
    expect(lines).toContainEqual(expect.stringMatching(/^core0 MMU permission fault, level 3 on fetch of 0x1010000 at EL2/));
    expect(lines).toContainEqual(expect.stringMatching(/^core0 MMU permission fault, level 3 on read of 0x8000002000 at EL0/));
    expect(lines).toContainEqual(expect.stringMatching(/^core0 MMU alignment fault on read of 0x20800001 at EL1/));
    expect(lines).toContainEqual(expect.stringMatching(/^core0 MMU TLBI VAE1IS 0x1000008000008 at pc=/));
    expect(lines).toContainEqual(expect.stringMatching(/^core0 MMU TLBI ASIDE1 0x1000000000000 at pc=/));
    expect(lines).toContainEqual(expect.stringMatching(/^core0 MMU TLBI VMALLE1IS 0x0 at pc=/));
    expect(await trace(false)).toEqual([]);
  });
});
