import { describe, it, expect } from "vitest";
import { Machine } from "../host/index.js";

describe("machine", () => {
  it("runs a few hand-encoded instructions and exits through semihosting", async () => {
    const m = await Machine.create({ semihosting: true });
    // movz x0, #0x18 ; adr x1, blk ; hlt #0xf000 ; blk: .quad 0x20026, 7
    const words = [0xd2800300, 0x10000041, 0xd45e0000, 0x00020026, 0, 7, 0];
    const img = new Uint8Array(new Uint32Array(words).buffer);
    m.load(img, 0x80000);
    m.start(0, 0x80000, 1);
    const r = m.run({ maxInsns: 100 });
    expect(r.reason).toBe("exit");
    expect(r.exitCode).toBe(7);
  });
});

describe("decode cache", () => {
  it("code rewritten by the guest (or the host) is decoded again", async () => {
    const { assemble } = await import("../tools/asm/assembler.js");
    // Runs `patch` twice: the first time it is `mov x1, #1`, then the guest stores `mov x1, #2` over it.
    const { image, symbols } = assemble([{ name: "smc.S", text: `
	mov x2, #0
1:	bl patch
	add x2, x2, x1
	ldr w3, new_insn
	adr x4, patch
	str w3, [x4]
	cmp x2, #3
	b.lt 1b
	mov x0, #0x18
	adr x1, blk
	hlt #0xf000
patch:	mov x1, #1
	ret
new_insn: mov x1, #2
	.align 3
blk:	.quad 0x20026, 0
` }], { base: 0x80000 });
    const m = await Machine.create({ semihosting: true });
    m.load(image, 0x80000);
    m.start(0, 0x80000, 1);
    expect(m.run({ maxInsns: 1000 }).reason).toBe("exit");
    expect(m.cores[0].x(2)).toBe(3n); // 1 from the original, then 2 from the patched instruction
    // The host patches it back and runs the function again.
    const patch = symbols.get("patch")!;
    m.load(new Uint8Array(new Uint32Array([0xd2800141]).buffer), patch); // mov x1, #10
    m.cores[0].pc = patch;
    m.cores[0].setX(30, symbols.get("blk")!); // returns into data: stop after 1 instruction
    m.run({ maxInsns: 1 });
    expect(m.cores[0].x(1)).toBe(10n);
  });
});

describe("serial input", () => {
  it("keeps everything typed beyond the 4 KiB receive queue until the guest reads it", async () => {
    const m = await Machine.create({ semihosting: true });
    m.input("x".repeat(10_000));
    // Count bytes with a guest loop reading the mini UART until 10000 arrived (AUX enabled by the loop).
    const { assemble } = await import("../tools/asm/assembler.js");
    const { image } = assemble([{ name: "rx.S", text: `
	ldr x9, =0x3f215000
	mov w0, #1
	str w0, [x9, #4]
	mov x20, #0
	ldr x21, =10000
1:	ldr w0, [x9, #0x54]
	tbz w0, #0, 1b
	ldr w0, [x9, #0x40]
	add x20, x20, #1
	cmp x20, x21
	b.lt 1b
	mov x0, #0x18
	adr x1, blk
	hlt #0xf000
	.align 3
blk:	.quad 0x20026, 0
` }], { base: 0x80000 });
    m.load(image, 0x80000);
    m.start(0, 0x80000, 1);
    const r = m.run({ maxInsns: 10_000_000 });
    expect(r.reason).toBe("exit");
    expect(m.cores[0].x(20)).toBe(10000n);
  });
});
