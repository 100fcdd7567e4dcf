// The disassembler agrees with objdump on every reference word, and its text
// assembles back to the same word (test/vectors/encodings.json).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { disassemble } from "../tools/a64/disasm.js";
import { assemble } from "../tools/asm/assembler.js";

const ref = JSON.parse(readFileSync(new URL("./vectors/encodings.json", import.meta.url), "utf8")) as {
  instructions: { text: string; addr: number; word: string; objdump: string }[];
};

/** objdump's text without its trailing comment and symbol names. */
function normalize(s: string): string {
  return s.replace(/\s*\/\/.*$/, "").replace(/ <[^>]*>/, "").replace(/\s+/g, " ").trim();
}

describe("disassembler", () => {
  it("matches objdump's text for every reference word", () => {
    const bad: string[] = [];
    ref.instructions.forEach((ins) => {
      const ours = normalize(disassemble(parseInt(ins.word, 16), ins.addr));
      if (ours !== normalize(ins.objdump)) bad.push(`${ins.word}: ours '${ours}', objdump '${normalize(ins.objdump)}'`);
    });
    expect(bad.slice(0, 25)).toEqual([]);
  });

  it("round-trips word -> text -> word", () => {
    const bad: string[] = [];
    ref.instructions.forEach((ins) => {
      const pc = ins.addr;
      const text = normalize(disassemble(parseInt(ins.word, 16), pc))
        // A branch target prints as a bare hex address; the assembler wants 0x.
        .replace(/(^(?:b\.\w+|b|bl|cbz|cbnz|tbz|tbnz|adr|adrp|ldr|ldrsw|prfm)\s.*?)(?<![#\w-])([0-9a-f]+)$/, "$10x$2");
      try {
        const r = assemble([{ name: "rt.S", text }], { base: pc });
        const w = new DataView(r.image.buffer).getUint32(0, true).toString(16).padStart(8, "0");
        if (w !== ins.word) bad.push(`${text}: ${w} != ${ins.word}`);
      } catch (e) {
        bad.push(`${text}: ${(e as Error).message}`);
      }
    });
    expect(bad.slice(0, 25)).toEqual([]);
  });

  it("prints undefined words as .inst", () => {
    expect(disassemble(0xffffffff)).toBe(".inst\t0xffffffff ; undefined");
    expect(disassemble(0x00000000)).toBe("udf\t#0");
  });
});
