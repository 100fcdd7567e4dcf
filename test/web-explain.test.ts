// The interrupt lab's register explanations (web/explain.ts) and its source-map
// reader (web/sourcemap.ts). ESR values are the ones our CPU reports for the
// lesson's exceptions (as `rpi-os lesson --step 1 --virtual --trace exc` prints
// them) and field layouts of ARM ARM D17.2.37; the source map comes from esbuild.
import { describe, it, expect } from "vitest";
import { build } from "esbuild";
import { decodeEsr, esrWords, daifWords, spsrWords, irqBits, csWords, stateRows, IRQ1_SOURCES, type LabState } from "../web/explain.js";
import { SourceMap, decodeVlq } from "../web/sourcemap.js";

describe("register explanations", () => {
  it("decodes ESR_EL1: EC name, IL and the ISS fields", () => {
    expect(decodeEsr(0x56000000)).toMatchObject({ ec: 0x15, ecName: "SVC64", il: 1, iss: 0, fields: ["SVC number #0 (imm16)"] });
    expect(esrWords(0x5600002a)).toBe("EC 0x15 SVC64; IL 1 (32-bit instruction); SVC number #42 (imm16)");
    // A store to an unmapped address at EL1: EC 0x25, WnR 1, DFSC 0x10 (synchronous external abort).
    expect(decodeEsr(0x96000050).fields).toEqual(["DFSC 0x10: synchronous external abort (not on a table walk)", "WnR 1: a write"]);
    // A load with a level-2 translation fault: WnR 0, DFSC 0b000110.
    expect(decodeEsr(0x96000006).fields).toEqual(["DFSC 0x6: translation fault, level 2", "WnR 0: a read"]);
    expect(decodeEsr(0x02000000)).toMatchObject({ ec: 0, ecName: "UNKNOWN (undefined instruction)", il: 1 });
    expect(esrWords(0)).toMatch(/^0: nothing reported/);
    // MRS trap: op0 3, op1 0, CRn 1, CRm 0, op2 0 (SCTLR_EL1) into x2, read.
    expect(decodeEsr((0x18 << 26) | (1 << 25) | (3 << 20) | (0 << 17) | (0 << 14) | (1 << 10) | (2 << 5) | (0 << 1) | 1).fields).toEqual(["MRS S3_0_C1_C0_0, x2"]);
  });

  it("says which DAIF bits mask what, and where SPSR returns", () => {
    expect(daifWords(0x3c0)).toBe("masked: D (debug), A (SError), I (IRQ), F (FIQ); everything masked");
    expect(daifWords(0x340)).toBe("masked: D (debug), A (SError), F (FIQ); open: I (IRQ)");
    expect(daifWords(0)).toBe("nothing masked: IRQs and FIQs are taken");
    // Step 1's SVC: SPSR 0x800001c5 (the CLI prints DAIF=masked:AIF).
    expect(spsrWords(0x800001c5)).toBe("eret returns to EL1h, DAIF masked AIF, flags N");
    expect(spsrWords(0x3c4)).toBe("eret returns to EL1t, DAIF masked DAIF, flags none");
    expect(spsrWords(0x100001)).toMatch(/IL set/);
  });

  it("names the interrupt sources bit by bit", () => {
    expect(irqBits(0x2, IRQ1_SOURCES)).toBe("bit 1 system timer match 1");
    expect(irqBits(0x2000000a, IRQ1_SOURCES)).toBe("bit 1 system timer match 1, bit 3 system timer match 3, bit 29 AUX (mini UART, SPI1/2)");
    expect(irqBits(0, IRQ1_SOURCES)).toBe("no bit set");
    expect(csWords(0xa)).toBe("M1, M3 matched (write 1 to clear)");
  });

  it("gives every state row a value, a meaning and one line of help", () => {
    const s: LabState = { el: 1, spsel: 1, daif: 0x3c0, pc: 0x1598, nzcv: 8, vbar: 0x800, elr: 0x1598, spsr: 0x800001c5, esr: 0x56000000, far: 0,
      cs: 2, clo: 100, c1: 200, c3: 0, irqPending1: 2, enableIrqs1: 2, coreIrq: 1, seconds: 1, insns: 10, ticks: 0, compiledInsns: 5, regions: 1 };
    const rows = stateRows(s, (a) => (a === 0x800 ? "vectors" : a === 0x1598 ? "take_svc+0x4" : undefined));
    for (const r of rows) { expect(r.value).not.toBe(""); expect(r.meaning).not.toBe(""); expect(r.help).toMatch(/^[A-Z].*\.$/); }
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(by["ELR_EL1"].meaning).toBe("<take_svc+0x4>");
    expect(by["VBAR_EL1"].meaning).toBe("<vectors>");
    expect(by["core 0 IRQ input"].meaning).toBe("pending, but PSTATE.I masks it");
    expect(by["C1"].meaning).toBe("matches in 100 us");
    expect(by["compiled"].value).toBe("50.0%");
  });
});

describe("source maps", () => {
  it("decodes Base64 VLQ", () => {
    expect(decodeVlq("AAAA")).toEqual([0, 0, 0, 0]);
    expect(decodeVlq("AACA")).toEqual([0, 0, 1, 0]);
    expect(decodeVlq("D")).toEqual([-1]);
    expect(decodeVlq("gB")).toEqual([16]);
    expect(decodeVlq("2Hw+B")).toEqual([123, 1000]); // 123 -> 246 = 22+32 "2", 7 "H"; 1000 -> 2000 = 16+32 "w", 30+32 "+", 1 "B"
    expect(() => decodeVlq("A!")).toThrow(/bad VLQ digit/);
  });

  it("maps positions of an esbuild bundle back to the TypeScript lines", async () => {
    const r = await build({
      stdin: { contents: 'import { f } from "./b.ts";\nexport function g(): number {\n  return f() + 1;\n}\n', sourcefile: "a.ts", loader: "ts", resolveDir: "/" },
      bundle: true, write: false, format: "esm", sourcemap: "external", outfile: "out.js", logLevel: "silent",
      plugins: [{ name: "mem", setup(b) {
        b.onResolve({ filter: /b\.ts$/ }, () => ({ path: "b.ts", namespace: "m" }));
        b.onLoad({ filter: /.*/, namespace: "m" }, () => ({ contents: "// b\n\nexport function f(): number {\n  const x: number = 41;\n  return x;\n}\n", loader: "ts" }));
      } }],
    });
    const js = r.outputFiles.find((f) => f.path.endsWith(".js"))!.text.split("\n");
    const map = new SourceMap(JSON.parse(r.outputFiles.find((f) => f.path.endsWith(".map"))!.text));
    const find = (s: string) => { const line = js.findIndex((l) => l.includes(s)); return map.lookup(line, js[line].indexOf(s)); };
    expect(find("const x = 41")).toMatchObject({ source: expect.stringContaining("b.ts"), line: 3 });
    expect(find("return f() + 1")).toMatchObject({ source: expect.stringContaining("a.ts"), line: 2 });
    expect(map.lookup(10_000, 0)).toBeUndefined();
  });
});
