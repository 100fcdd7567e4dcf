// SoC devices and firmware boot behaviour, with small guest programs of ours.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { Machine, GuestError, boot, parseConfigTxt, DEFAULT_BOOT, type NoteEvent } from "../host/index.js";
import { assemble } from "../tools/asm/assembler.js";
import { guestPath } from "./support/guest.js";

async function runAsm(text: string, opts: { el?: number; serialInput?: "mini" | "pl011"; input?: string; maxInsns?: number } = {}) {
  const asm = assemble([{ name: "t.S", text }], { base: 0x80000 });
  const m = await Machine.create({ semihosting: true, serialInput: opts.serialInput });
  m.load(asm.image, 0x80000);
  m.start(0, 0x80000, opts.el ?? 1);
  if (opts.input) m.input(opts.input);
  const out: Record<string, string> = { mini: "", pl011: "", semihosting: "" };
  const notes: NoteEvent[] = [];
  m.on("serial", (b, port) => { out[port] += String.fromCharCode(b); });
  m.on("note", (n) => notes.push(n));
  const r = m.run({ maxInsns: opts.maxInsns ?? 1_000_000 });
  return { m, r, out, notes };
}

const EXIT = `
exit:	mov x0, #0x18
	adr x1, 9f
	hlt #0xf000
	.align 3
9:	.quad 0x20026, 0
`;

describe("booting like the firmware", () => {
  it("raw image at 0x80000, core 0 at EL2, core 1 released from the spin table at 0xe0", async () => {
    const file = guestPath("devices/firmware.S");
    const asm = assemble([{ name: file, text: readFileSync(file, "utf8") }], { base: 0x80000 });
    const m = await Machine.create({ semihosting: true });
    boot(m, asm.image, { ...DEFAULT_BOOT });
    let out = "";
    m.on("serial", (b) => { out += String.fromCharCode(b); });
    const r = m.run({ maxInsns: 1_000_000 });
    expect(r.reason).toBe("exit");
    expect(out).toBe("core 0 at EL2\nhello from core 1\ndone\n");
    expect(m.cores[2].state).toBe("wfe"); // still waiting in the spin table
  });

  it("config.txt: kernel_old, kernel_address, enable_uart; arm_64bit=0 is refused", () => {
    expect(parseConfigTxt("# tutorial\nkernel_old=1\nenable_uart=1\nkernel_address=0x100000 # here\nsomething_else=3\n"))
      .toEqual({ kernelOld: true, enableUart: true, loadAddress: 0x100000 });
    expect(() => parseConfigTxt("arm_64bit=0")).toThrow(/only AArch64/);
  });
});

describe("devices", () => {
  it("mailbox property channel: board revision, ARM memory, UART clock of a Pi 3 B", async () => {
    const file = guestPath("devices/mailbox.S");
    const r = await runAsm(readFileSync(file, "utf8"));
    expect(r.r.exitCode).toBe(0);
    expect(r.out.semihosting).toBe(["80000000", "00a02082", "00000000", "3c000000", "02dc6c00"].join("\n") + "\n");
  });

  it("ARM timer: basic pending bit 0, IRQ through ENABLE_BASIC_IRQS, cleared by IRQ_CLR_ACK", async () => {
    const r = await runAsm(`
	adr x0, vectors
	msr vbar_el1, x0
	ldr x9, =0x3f00b400
	mov w0, #1000
	str w0, [x9]              // LOAD
	mov w0, #0xa2             // enable | interrupt enable | 32-bit
	str w0, [x9, #8]
	ldr x10, =0x3f00b200
	mov w0, #1
	str w0, [x10, #0x18]      // ENABLE_BASIC_IRQS: ARM timer
	mov x20, #0
	msr daifclr, #2
1:	wfi
	cmp x20, #3
	b.lt 1b
	msr daifset, #2
	ldr w21, [x10]            // IRQ_BASIC_PENDING after the last ack
	b exit
	.align 11
vectors:
	.rept 5
	.align 7
	b .
	.endr
	.align 7
	ldr w0, [x10]             // IRQ_BASIC_PENDING
	mov x22, x0
	str w0, [x9, #0xc]        // IRQ_CLR_ACK
	add x20, x20, #1
	eret
${EXIT}`);
    expect(r.r.reason).toBe("exit");
    expect(r.m.cores[0].x(20)).toBe(3n);
    expect(r.m.cores[0].x(22)).toBe(1n);   // bit 0 pending in the handler
    expect(r.m.cores[0].x(21)).toBe(0n);   // and clear after the acknowledge
  });

  it("PL011: transmit, receive, and the RX interrupt (GPU IRQ 57: pending 2 bit 25, basic pending bit 9 and 19)", async () => {
    const r = await runAsm(`
	adr x0, vectors
	msr vbar_el1, x0
	ldr x9, =0x3f201000
	mov w0, #'o'
	str w0, [x9]
	mov w0, #'k'
	str w0, [x9]
	mov w0, #(1 << 4)
	str w0, [x9, #0x38]       // IMSC: RX
	ldr x10, =0x3f00b200
	mov w0, #(1 << 25)
	str w0, [x10, #0x14]      // ENABLE_IRQS_2: IRQ 57
	msr daifclr, #2
1:	cbz x20, 1b
	b exit
	.align 11
vectors:
	.rept 5
	.align 7
	b .
	.endr
	.align 7
	ldr w21, [x10]            // basic pending
	ldr w22, [x10, #8]        // pending 2
	ldr w20, [x9]             // DR: the byte (clears RX)
	eret
${EXIT}`, { serialInput: "pl011", input: "Q" });
    expect(r.out.pl011).toBe("ok");
    expect(r.m.cores[0].x(20)).toBe(BigInt("Q".charCodeAt(0)));
    expect(r.m.cores[0].x(22)).toBe(1n << 25n);
    expect(Number(r.m.cores[0].x(21)) & ((1 << 9) | (1 << 19))).toBe((1 << 9) | (1 << 19));
  });

  it("PL011: RXFF means one byte held with LCRH.FEN clear (the reset state), a full 16-byte FIFO with it set", async () => {
    // A kernel of the tutorial's exercises polls FR.RXFF without enabling the FIFO: QEMU and the
    // PL011 TRM (3.3.3) set RXFF as soon as the holding register has its byte.
    const r = await runAsm(`
	ldr x9, =0x3f201000
	mov w0, #0x60
	str w0, [x9, #0x2c]       // LCRH: 8 bits, FIFOs off
1:	ldr w0, [x9, #0x18]
	tbz w0, #6, 1b            // FR.RXFF
	mov w20, w0
	ldr w21, [x9]             // 'A'
	mov w0, #0x70
	str w0, [x9, #0x2c]       // LCRH: FIFOs on
2:	ldr w0, [x9, #0x18]
	tbz w0, #6, 2b
	mov x22, #0
3:	ldr w0, [x9, #0x18]
	tbnz w0, #4, 4f           // FR.RXFE: drained
	ldr w23, [x9]
	add x22, x22, #1
	b 3b
4:	b exit
${EXIT}`, { serialInput: "pl011", input: "ABCDEFGHIJKLMNOPQRSTU", maxInsns: 5_000_000 });
    expect(r.r.reason).toBe("exit");
    expect(Number(r.m.cores[0].x(20)) & 0x50).toBe(0x40);     // RXFF, not RXFE
    expect(r.m.cores[0].x(21)).toBe(BigInt("A".charCodeAt(0)));
    expect(r.m.cores[0].x(22)).toBe(16n);
    expect(r.m.cores[0].x(23)).toBe(BigInt("Q".charCodeAt(0)));
  });

  it("PL011: a 16-bit write to DR (Linux's writew) transmits without popping a received byte", async () => {
    const r = await runAsm(`
	ldr x9, =0x3f201000
1:	ldr w0, [x9, #0x18]       // FR: wait until the byte has arrived (RXFE clear)
	tbnz w0, #4, 1b
	mov w0, #'h'
	strh w0, [x9]             // DR, narrow
	strb w0, [x9]             // and a byte store
	ldr w20, [x9]             // DR: the received byte is still there
	ldr w21, [x9, #0x18]      // FR: now empty
	b exit
${EXIT}`, { serialInput: "pl011", input: "Q" });
    expect(r.out.pl011).toBe("hh");
    expect(r.m.cores[0].x(20)).toBe(BigInt("Q".charCodeAt(0)));
    expect(Number(r.m.cores[0].x(21)) & (1 << 4)).toBe(1 << 4);
  });

  it("mini UART writes without GPIO14 in ALT5 reach nothing, and the trace says why (once)", async () => {
    const r = await runAsm(`
	ldr x9, =0x3f215000
	mov w0, #1
	str w0, [x9, #4]          // AUX_ENABLES
	mov w0, #'x'
	str w0, [x9, #0x40]
	str w0, [x9, #0x40]
	ldr x10, =0x3f200004
	mov w0, #(2 << 12)        // GPFSEL1: GPIO14 ALT5
	str w0, [x10]
	mov w0, #'y'
	str w0, [x9, #0x40]
	b exit
${EXIT}`);
    expect(r.out.mini).toBe("y");
    expect(r.notes.filter((n) => n.kind === "uart-pins").length).toBe(1);
    expect(r.notes[0].message).toMatch(/GPIO14 is not in ALT5/);
  });

  it("an unimplemented register reads 0, ignores writes, and is noted once", async () => {
    const r = await runAsm(`
	ldr x9, =0x3f100000       // power management: not modelled
	mov w0, #5
	str w0, [x9]
	ldr w20, [x9]
	ldr w20, [x9]
	b exit
${EXIT}`);
    expect(r.r.reason).toBe("exit");
    expect(r.m.cores[0].x(20)).toBe(0n);
    expect(r.notes.map((n) => n.kind)).toEqual(["unimplemented-write", "unimplemented-read"]);
  });

  it("mini UART registers read as QEMU reports them: LSR 0x60/0x61, IIR 0xC3/0xC4", async () => {
    const r = await runAsm(`
	ldr x9, =0x3f215000
	mov w0, #1
	str w0, [x9, #4]
	ldr w20, [x9, #0x54]      // LSR idle
	ldr w21, [x9, #0x48]      // IIR, IER = 0
	mov w0, #1
	str w0, [x9, #0x44]       // IER: RX
1:	ldr w22, [x9, #0x54]      // poll until a byte arrives
	tbz w22, #0, 1b
	ldr w23, [x9, #0x48]      // IIR with a byte pending
	b exit
${EXIT}`);
    expect(r.r.reason).toBe("halted");          // polling, nothing scheduled: idle until input
    r.m.input("a");
    expect(r.m.run({ maxInsns: 100_000 }).reason).toBe("exit");
    const x = (n: number) => r.m.cores[0].x(n);
    expect([x(20), x(21), x(22), x(23)]).toEqual([0x60n, 0xc3n, 0x61n, 0xc4n]);
  });
});

describe("Bus (the debugger's and the TypeScript kernel's view)", () => {
  it("reads and writes RAM and devices; nothing mapped is a GuestError, not a wrong address", async () => {
    const m = await Machine.create({ ramSize: 0x100000 });
    m.bus.write32(0x1000, 0xdeadbeef);
    expect(m.bus.read32(0x1000)).toBe(0xdeadbeef);
    expect(m.bus.read(0x1000, 2)).toBe(0xbeefn);
    m.bus.write32(0x3f003018, 5);                          // TIMER_C3
    expect(m.bus.read32(0x3f003018)).toBe(5);
    for (const bad of [0x100000, 0x50000000, -4, 2 ** 32]) {
      expect(() => m.bus.read32(bad)).toThrow(GuestError);
      expect(() => m.bus.write32(bad, 1)).toThrow(GuestError);
    }
    expect(m.bus.read32(0x1000)).toBe(0xdeadbeef);           // the failed writes wrote nothing
  });
});
