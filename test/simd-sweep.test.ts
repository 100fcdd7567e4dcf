// Random words of the FP/SIMD/Crypto encoding space disassemble as objdump
// prints them; words objdump does not know, and instructions of architectures
// after ARMv8.0 + Crypto (which GNU as refuses for -march=armv8-a+crypto), print
// as `.inst 0x... ; undefined` (test/vectors/simd-sweep.json from
// scripts/vectors/gen_simd_sweep.py).
import { describe, it, expect } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { disassemble } from "../tools/a64/disasm.js";
import { assemble } from "../tools/asm/assembler.js";

const ref = JSON.parse(readFileSync(new URL("./vectors/simd-sweep.json", import.meta.url), "utf8")) as {
  words: { word: string; pc: number; class: string; objdump: string; v80: boolean; gnu_as?: string }[];
};

function normalize(s: string): string {
  return s.replace(/\s*\/\/.*$/, "").replace(/ <[^>]*>/, "").replace(/\s+/g, " ").trim();
}

describe("disassembler on random FP/SIMD words", () => {
  it(`matches objdump on all ${ref.words.length} words`, () => {
    const bad: string[] = [];
    for (const r of ref.words) {
      const w = parseInt(r.word, 16);
      const want = r.v80 ? normalize(r.objdump) : `.inst 0x${r.word} ; undefined`;
      const ours = normalize(disassemble(w, r.pc));
      if (ours !== want) bad.push(`${r.word} (${r.class}): ours '${ours}', want '${want}'`);
    }
    if (process.env.SWEEP_DUMP) writeFileSync(process.env.SWEEP_DUMP, bad.join("\n") + "\n");
    expect(bad.slice(0, 30)).toEqual([]);
    expect(bad.length).toBe(0);
  });

  it("assembles its own text back to the word GNU as makes of objdump's", () => {
    const bad: string[] = [];
    const items = ref.words.filter((r) => r.v80 && r.gnu_as);
    // One source for all of them: each line at its own offset.
    const texts = items.map((r) => normalize(disassemble(parseInt(r.word, 16), r.pc)));
    const out = assemble([{ name: "sweep.S", text: texts.join("\n") + "\n" }], { base: 0 });
    const v = new DataView(out.image.buffer);
    items.forEach((r, i) => {
      const w = v.getUint32(i * 4, true).toString(16).padStart(8, "0");
      if (w !== r.gnu_as) bad.push(`${texts[i]}: ours ${w}, GNU as ${r.gnu_as} (${r.word})`);
    });
    expect(items.length).toBeGreaterThan(10000);
    expect(bad.slice(0, 30)).toEqual([]);
  });

  it("covers every class with defined ARMv8.0 words", () => {
    const classes = new Map<string, number>();
    for (const r of ref.words) {
      if (r.v80 && !r.objdump.startsWith(".inst") && !r.class.startsWith("table")) classes.set(r.class, (classes.get(r.class) ?? 0) + 1);
    }
    for (const [c, n] of classes) expect(n, c).toBeGreaterThan(20);
    expect(classes.size).toBeGreaterThanOrEqual(38);
  });
});
