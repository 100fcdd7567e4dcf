// FP/SIMD operands the assembler refuses: each error names file:line:column
// (the column of the operand at fault) and the reason. Encodings themselves are
// checked against GNU as in asm-encodings.test.ts and simd-sweep.test.ts.
import { describe, it, expect } from "vitest";
import { assemble, SourceError, memoryFileProvider } from "../tools/asm/assembler.js";
import { disassemble } from "../tools/a64/disasm.js";

function errorOf(src: string): string {
  try {
    assemble([{ name: "t.S", text: src }], { provider: memoryFileProvider({}) });
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return (e as Error).message;
  }
  throw new Error(`'${src}' assembled`);
}

describe("FP/SIMD assembler errors", () => {
  const cases: [string, string][] = [
    ["  add v0.4s, v1.8h, v2.4s", "t.S:1:14: error: operand 2: expected v<n>.4s, not 'v1.8h'"],
    ["  add v0.3s, v1.4s, v2.4s", "t.S:1:7: error: '.3s' is not an arrangement (8b, 16b, 4h, 8h, 2s, 4s, 1d, 2d)"],
    ["  mov v0.s[4], w0", "t.S:1:7: error: operand 1: lane index 4 is out of range for .s (0 to 3)"],
    ["  st1 {v0.s}[4], [x0]", "t.S:1:7: error: operand 1: lane index 4 is out of range for .s (0 to 3)"],
    ["  umov w0, v1.d[0]", "t.S:1:12: error: operand 2: expected v<n>.b[index], v<n>.h[index] or v<n>.s[index], not 'v1.d[0]'"],
    ["  mla v0.8h, v1.8h, v16.h[0]", "t.S:1:21: error: operand 3: 'v16.h[0]': only v0 to v15 are allowed here"],
    ["  sshr v0.4s, v1.4s, #33", "t.S:1:22: error: operand 3: shift 33 is out of range (1 to 32)"],
    ["  shl v0.8b, v1.8b, #8", "t.S:1:21: error: operand 3: shift 8 is out of range (0 to 7)"],
    ["  ext v0.8b, v1.8b, v2.8b, #8", "t.S:1:28: error: operand 4: immediate 8 is out of range (0 to 7)"],
    ["  ld1 {v0.16b-v3.16b}, [x0], #32", "t.S:1:24: error: operand 2: the post-index immediate of this access must be #64, not #32"],
    ["  ld2 {v0.4s, v2.4s}, [x0]", "t.S:1:7: error: the registers of a list must be consecutive"],
    ["  ld3 {v31.8b-v1.8b}, [x0]", "t.S:1:7: error: invalid register range 'v31.8b-v1.8b': a range cannot wrap past v31 (write the registers out)"],
    ["  tbl v0.16b, {v1.16b-v5.16b}, v2.16b", "t.S:1:15: error: a register list holds 1 to 4 registers, not 5"],
    ["  fmov d0, #1.1", "t.S:1:12: error: operand 2: 1.1 cannot be encoded as an 8-bit floating-point immediate (±n/16 × 2^r, 16 ≤ n ≤ 31, -3 ≤ r ≤ 4)"],
    ["  fcmp d0, #1.0", "t.S:1:12: error: operand 2: expected #0.0, not '1.0'"],
    ["  fadd d0, s1, d2", "t.S:1:12: error: operand 2: expected d<n>, not 's1'"],
    ["  fcvtzs w0, s1, #33", "t.S:1:18: error: operand 3: immediate 33 is out of range (1 to 32)"],
    ["  movi v0.2d, #0x1234", "t.S:1:15: error: operand 2: immediate 0x1234 cannot be encoded: every byte must be 0x00 or 0xff"],
    ["  dup v0.4s, x1", "t.S:1:14: error: operand 2: expected v<n>.s[index] or a w register, not 'x1'"],
    ["  ldr q0, [x0, #-257]", "t.S:1:11: error: operand 2: offset -257 cannot be encoded: use -256 to 255, or a multiple of 16 from 0 to 65520"],
    ["  ldp q0, q1, [x0, #8]", "t.S:1:15: error: operand 3: offset 8 is not a multiple of 16 from -1024 to 1008"],
    ["  add x0, x1, v2.4s", "t.S:1:15: error: 'v2.4s': add takes no FP/SIMD register here"],
    ["  ldr x0, [v1.4s]", "t.S:1:12: error: expected a base register, not 'v1.4s'"],
    ["  aese v0.4s, v1.4s", "t.S:1:8: error: operand 1: expected v<n>.16b, not 'v0.4s'"],
    ["  fadd d0, d1", "t.S:1:3: error: missing operand 3"],
  ];
  for (const [src, message] of cases) {
    it(message.replace(/^t\.S:\d+:\d+: error: /, ""), () => expect(errorOf(src)).toBe(message));
  }

  it("b0, s1 ... stay symbols for instructions without FP/SIMD forms", () => {
    const r = assemble([{ name: "t.S", text: "b s1\nadr x0, d2\ns1: nop\nd2: nop\n" }], { base: 0 });
    const v = new DataView(r.image.buffer);
    expect(disassemble(v.getUint32(0, true), 0)).toBe("b\t8");
    expect(disassemble(v.getUint32(4, true), 4)).toBe("adr\tx0, c");
  });
});
