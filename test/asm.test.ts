// The assembler on whole files (byte-equal to GNU as + ld + objcopy, see
// test/guest/asm/build.sh) and its error messages.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { assemble, SourceError, memoryFileProvider } from "../tools/asm/assembler.js";
import { buildKernel } from "../kernel/index.js";
import { guestPath } from "./support/guest.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("whole files against GNU binutils", () => {
  it("whole.S: sections, macros, .rept/.irp, literal pools, local labels, preprocessor", () => {
    const file = guestPath("asm/whole.S");
    const r = assemble([{ name: file, text: readFileSync(file, "utf8") }], { base: 0, includeDirs: [guestPath("asm")] });
    expect(hex(r.image)).toBe(hex(readFileSync(guestPath("asm/whole.bin"))));
  });

  for (const o of ["O2", "O3", "Os"]) {
    it(`gcc -${o} FP/SIMD output (fpsimd.c: float/double maths, vectorised loops, struct copies, varargs)`, () => {
      const file = guestPath(`asm/fpsimd-${o}.s`);
      const r = assemble([{ name: file, text: readFileSync(file, "utf8") }], { base: 0 });
      expect(hex(r.image)).toBe(hex(readFileSync(guestPath(`asm/fpsimd-${o}.bin`))));
    });
  }

  it("boot/*.S of the lesson, with the host trampolines", () => {
    const r = buildKernel();
    expect(hex(r.image)).toBe(hex(readFileSync(guestPath("asm/boot.bin"))));
    expect([...r.hostCalls.keys()].sort()).toEqual(["handle_irq", "kernel_main", "show_invalid_entry_message"]);
  });
});

describe("assembler errors name file:line:column and the reason", () => {
  const cases: [string, string][] = [
    ["  frob x0, x1", "t.S:1:3: error: unknown instruction or directive 'frob'"],
    ["  add x0, x1, #4097", "t.S:1:15: error: immediate 4097 is out of range (0 to 4095)"],
    ["  ldr x0, [x1, #3]!\n  ldr x0, [x1, #4097]", "t.S:2:11: error: offset 4097 cannot be encoded: use -256 to 255, or a multiple of 8 from 0 to 32760"],
    ["  b nowhere", "t.S:1:5: error: undefined symbol 'nowhere'"],
    ["  .macro m\n  nop\n", "t.S:1:3: error: unterminated .macro (missing .endm)"],
    ["  add x0, w1, x2", "t.S:1:11: error: register width mismatch: 'x0' is 64-bit but 'w1' is 32-bit"],
    ["  mov x0, #0x123456789", "t.S:1:11: error: immediate 0x123456789 cannot be loaded with one mov: use 'ldr x0, =0x123456789' or movz/movk"],
    ["  and x0, x1, #5", "t.S:1:15: error: immediate 0x5 cannot be encoded as a bitmask immediate"],
    ["  b 1f", "t.S:1:5: error: undefined local label '1f': no '1:' after this line"],
    ["  ldp x0, x1, [sp, #12]", "t.S:1:15: error: offset 12 is not a multiple of 8"],
    ["  mrs x0, vbar_el9", "t.S:1:11: error: unknown system register 'vbar_el9'"],
    ["#include \"missing.h\"", "t.S:1:11: error: cannot find include file 'missing.h' (searched .)"],
    ["#if 1\n  nop", "t.S:2:1: error: unterminated #if/#ifdef (missing #endif)"],
    ["x: nop\nx: nop", "t.S:2:1: error: symbol 'x' is already defined"],
    ["  .word 1 +", "t.S:1:12: error: expression expected"],
    ["  svc #0x10000", "t.S:1:7: error: immediate 65536 is out of range (0 to 65535)"],
  ];
  for (const [src, message] of cases) {
    it(message.replace(/^t\.S:\d+:\d+: error: /, ""), () => {
      let err: unknown;
      try {
        assemble([{ name: "t.S", text: src }], { provider: memoryFileProvider({}) });
      } catch (e) { err = e; }
      expect(err).toBeInstanceOf(SourceError);
      expect((err as Error).message).toBe(message);
    });
  }
});
