// The assembler's bounds (tools/asm/assembler.ts MAX_*): runaway .rept, macros, .include and
// .fill end in a file:line:col error, fast and in bounded memory; and every error of a file is
// reported, as GNU as does, not only the first.
import { describe, it, expect } from "vitest";
import { assemble, SourceError, AssemblyErrors } from "../tools/asm/assembler.js";

const files = (m: Record<string, string>) => ({ read: (name: string) => (m[name] !== undefined ? [name, m[name]] as [string, string] : undefined) });

function fails(text: string, provider?: ReturnType<typeof files>): SourceError {
  const t0 = performance.now();
  try {
    assemble([{ name: "t.S", text }], { provider });
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    expect(performance.now() - t0).toBeLessThan(20_000);
    return e as SourceError;
  }
  throw new Error("assembled without an error");
}

describe("assembler bounds", () => {
  it("nested .rept 100000 twice: an error at the inner .rept, not minutes and gigabytes", () => {
    const e = fails("nop\n.rept 100000\n  .rept 100000\n    nop\n  .endr\n.endr\n");
    expect(e.message).toMatch(/^t\.S:3:3: error: \.rept 100000 of 1 line, itself repeated 100000 times, makes more than 2,000,000 statements$/);
  });

  it("a macro whose argument doubles each level stops at the expansion bound", () => {
    const text = ".macro dbl n, s\n.if \\n\n dbl \"(\\n-1)\", \"\\s\\s\"\n.endif\n.endm\n dbl 40, x\n";
    const e = fails(text);
    expect(e.message).toMatch(/^t\.S:6:\d+: error: (macro 'dbl' expands to a line longer than 16 MiB|macro and \.irp expansions longer than 16 MiB of text)$/);
  });

  it("a macro that calls itself without end: a nesting error", () => {
    const e = fails(".macro m\n m\n.endm\n m\n");
    expect(e.message).toMatch(/nested too deeply \(100 levels\)/);
  });

  it(".include of itself: a nesting error with file:line:col, not a stack overflow", () => {
    const e = fails('.include "self.S"\n', files({ "self.S": 'nop\n.include "self.S"\n' }));
    expect(e.message).toMatch(/^self\.S:2:10: error: \.include nested too deeply \(64 levels\): does 'self\.S' include itself\?$/);
  });

  it(".fill 1000000000, 8, 0 and .space beyond the output bound are errors", () => {
    expect(fails(".fill 1000000000, 8, 0\n").message).toMatch(/^t\.S:1:7: error: \.fill 1000000000, 8 makes 8000000000 bytes, more than 64 MiB$/);
    expect(fails(".fill 4, 9, 0\n").message).toMatch(/^t\.S:1:10: error: \.fill size 9 is out of range \(0 to 8\)$/);
    expect(fails(".space 0x2000000\n.space 0x2000000\n.space 1\n").message).toMatch(/^t\.S:3:8: error: output larger than 64 MiB$/);
  });

  it("reports every error of a file, in source order, one per line", () => {
    let e: unknown;
    try {
      assemble([{ name: "t.S", text: "nop\nfoo x0\nldr x0, [x1, #-300]\nmov x0, #1\nadd x0, x0, undefined_sym\n.bogus\nb nowhere\n" }]);
    } catch (x) { e = x; }
    expect(e).toBeInstanceOf(AssemblyErrors);
    const lines = (e as Error).message.split("\n");
    // Pass 1 errors (unknown words) come first; with them, pass 2 does not run.
    expect(lines).toEqual([
      "t.S:2:1: error: unknown instruction or directive 'foo'",
      "t.S:6:1: error: unknown directive '.bogus'",
    ]);
    try {
      assemble([{ name: "u.S", text: "nop\nldr x0, [x1, #-300]\nmov x0, #1\nb nowhere\nmovz x0, #0x12345\n" }]);
    } catch (x) { e = x; }
    expect((e as Error).message.split("\n").map((l) => l.replace(/: error: .*/, ""))).toEqual(["u.S:2:9", "u.S:4:3", "u.S:5:10"]);
  });

  it("sources within the bounds still assemble (.rept 100 of .rept 200)", () => {
    const r = assemble([{ name: "ok.S", text: ".rept 100\n.rept 200\nnop\n.endr\n.endr\n" }]);
    expect(r.image.length).toBe(80000);
  });
});
