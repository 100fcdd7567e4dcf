// Every instruction form the CPU executes encodes to the word GNU as produces
// (reference: test/vectors/encodings.json from scripts/vectors/gen_encodings.py).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { assemble } from "../tools/asm/assembler.js";

const ref = JSON.parse(readFileSync(new URL("./vectors/encodings.json", import.meta.url), "utf8")) as {
  source: string;
  instructions: { text: string; addr: number; word: string; objdump: string }[];
};

describe("assembler against GNU as", () => {
  it(`encodes all ${ref.instructions.length} reference instructions identically`, () => {
    const r = assemble([{ name: "encodings.S", text: ref.source }], { base: 0 });
    const v = new DataView(r.image.buffer);
    const mismatches: string[] = [];
    ref.instructions.forEach((ins) => {
      const ours = v.getUint32(ins.addr, true).toString(16).padStart(8, "0");
      if (ours !== ins.word) mismatches.push(`${ins.text}: ours ${ours}, GNU as ${ins.word} (${ins.objdump})`);
    });
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(mismatches.length).toBe(0);
  });
});
