// The MMU (soc/cpu/mmu.ts): our test kernel (test/guest/mmu) builds page tables for the EL3, EL2
// and EL1&0 regimes and prints what every access reads or which exception it takes (ESR, FAR),
// and the AT results (PAR_EL1). The expected text is what QEMU 7.2 (-M raspi3b, the same memory
// map and Cortex-A53 cores) printed for the same image, but for the unaligned accesses to Device
// memory, which the architecture makes alignment faults (ARM ARM B2.5.2, D5.5.5) and QEMU 7.2
// performs: for those two the expected lines are the architecture's.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { runImage } from "./support/image.js";
import { guestPath } from "./support/guest.js";

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
});

