// The GDB remote stub: the protocol in plain TypeScript, and the real
// gdb-multiarch in batch mode when it is installed.
import { describe, it, expect } from "vitest";
import { connect, type Socket } from "node:net";
import { readFileSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Machine, boot, DEFAULT_BOOT } from "../host/index.js";
import { GdbStub, checksum } from "../tools/gdbstub.js";
import { guestPath } from "./support/guest.js";

async function stubFor(image: string) {
  const m = await Machine.create();
  boot(m, new Uint8Array(readFileSync(guestPath(`kernels/${image}`))), { ...DEFAULT_BOOT, kernelOld: true });
  const stub = new GdbStub(m);
  const port = await stub.listen(0);
  return { m, stub, port };
}

/** A minimal client: sends packets, collects replies. */
class Client {
  private data = "";
  private waiters: (() => void)[] = [];
  constructor(readonly sock: Socket) {
    sock.setEncoding("latin1");
    sock.on("data", (d: string) => { this.data += d; this.waiters.splice(0).forEach((w) => w()); });
  }
  static open(port: number): Promise<Client> {
    return new Promise((res) => { const s = connect(port, "127.0.0.1", () => res(new Client(s))); });
  }
  raw(s: string): void { this.sock.write(s); }
  async reply(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.data = this.data.replace(/^[+-]+/, "");
      const m = /^\$([^#]*)#([0-9a-f]{2})/.exec(this.data);
      if (m) { this.data = this.data.slice(m[0].length); this.sock.write("+"); return m[1]; }
      if (Date.now() > deadline) throw new Error(`no reply (have ${JSON.stringify(this.data)})`);
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, 50); });
    }
  }
  async cmd(p: string): Promise<string> { this.raw(`$${p}#${checksum(p)}`); return this.reply(); }
  ackOrNak(): string { const c = this.data[0]; this.data = this.data.slice(1); return c; }
}

const u64le = (hex: string) => BigInt("0x" + (hex.match(/../g) ?? []).reverse().join(""));

describe("GDB remote protocol", () => {
  it("registers, memory, breakpoints, step, continue, threads, monitor", async () => {
    const { m, stub, port } = await stubFor("timer.img");
    const c = await Client.open(port);
    expect(await c.cmd("qSupported:multiprocess+")).toMatch(/PacketSize=.*qXfer:features:read\+/);
    expect(await c.cmd("qXfer:features:read:target.xml:0,fff")).toMatch(/^l<\?xml.*org\.gnu\.gdb\.aarch64\.core.*name="cpsr"/s);
    expect(await c.cmd("?")).toBe("T05thread:1;");
    const g = await c.cmd("g");
    expect(g.length).toBe(33 * 16 + 8);
    expect(u64le(g.slice(32 * 16, 33 * 16))).toBe(0n); // pc at reset: 0 (kernel_old)
    expect(await c.cmd("m0,4")).toBe(Buffer.from(m.readMemory(0, 4)).toString("hex"));
    expect(await c.cmd("qfThreadInfo")).toBe("m1,2,3,4");
    expect(await c.cmd("Hg2")).toBe("OK");
    expect(await c.cmd("Hg1")).toBe("OK");
    // Break at the IRQ vector of EL1h (VBAR_EL1 + 0x280) once the kernel has set VBAR_EL1.
    expect(await c.cmd("Z0,4,4")).toBe("OK");
    expect(await c.cmd("c")).toMatch(/^T05thread:1;/);
    expect(m.cores[0].pc).toBe(4);
    expect(await c.cmd("z0,4,4")).toBe("OK");
    expect(await c.cmd("s")).toMatch(/^T05/);
    expect(m.cores[0].pc).toBe(8);
    expect(u64le(await c.cmd("p20"))).toBe(8n);
    expect(await c.cmd("P0=2a00000000000000")).toBe("OK");
    expect(m.cores[0].x(0)).toBe(42n);
    expect(await c.cmd("P0=0000000000000000")).toBe("OK"); // core 0 must see itself as core 0 at the cbnz
    const mon = Buffer.from(await c.cmd("qRcmd," + Buffer.from("sysregs").toString("hex")), "hex").toString();
    expect(mon).toMatch(/CurrentEL = EL3/);
    expect(mon).toMatch(/VBAR_EL1 = 0x0/);
    expect(await c.cmd("M100000,4:11223344")).toBe("OK");
    expect(await c.cmd("m100000,4")).toBe("11223344");
    // Ctrl-C while running: SIGINT.
    c.raw("$c#63");
    await new Promise((r) => setTimeout(r, 100));
    c.raw("\x03");
    expect(await c.reply()).toMatch(/^T02/);
    c.sock.destroy();
    stub.close();
  });

  it("watchpoints stop on a write to the watched address", async () => {
    const { m, stub, port } = await stubFor("timer.img");
    const c = await Client.open(port);
    // The kernel's first write to TIMER_C1 (a device register: the watch decodes the store).
    expect(await c.cmd("Z2,3f003010,4")).toBe("OK");
    expect(await c.cmd("c")).toMatch(/^T05thread:1;watch:3f003010;/);
    expect(m.cores[0].pc).toBeGreaterThan(0);
    c.sock.destroy();
    stub.close();
  });

  it("malformed packets, bad checksums and a vanishing client do not hurt the emulator", async () => {
    const { stub, port } = await stubFor("timer.img");
    const c = await Client.open(port);
    c.raw("garbage$g#00");
    await new Promise((r) => setTimeout(r, 100));
    expect(c.ackOrNak()).toBe("-");
    expect(await c.cmd("mzz,qq")).toBe("E01");
    expect(await c.cmd("Zq")).toBe("");
    expect(await c.cmd("qUnknownThing")).toBe("");
    c.raw("$c#63");
    await new Promise((r) => setTimeout(r, 50));
    c.sock.destroy(); // disconnect mid-run
    await new Promise((r) => setTimeout(r, 100));
    const c2 = await Client.open(port);
    expect(await c2.cmd("?")).toMatch(/^S|^T/);
    c2.sock.destroy();
    stub.close();
  });

  it("a half packet of a client that left does not spoil the next client's first packet", async () => {
    const { stub, port } = await stubFor("timer.img");
    const c = await Client.open(port);
    c.raw("$m0,4"); // no '#xx': incomplete
    await new Promise((r) => setTimeout(r, 50));
    c.sock.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const c2 = await Client.open(port);
    expect(await c2.cmd("qC")).toBe("QC1");
    c2.sock.destroy();
    stub.close();
  });

  it("G checks its size; Hg of a thread that does not exist is an error; Hg0/Hg-1 are accepted", async () => {
    const { m, stub, port } = await stubFor("timer.img");
    const c = await Client.open(port);
    m.cores[0].setX(3, 77n);
    expect(await c.cmd("G00")).toBe("E01");
    expect(m.cores[0].x(3)).toBe(77n);
    const g = await c.cmd("g");
    expect(await c.cmd("G" + g)).toBe("OK");
    expect(await c.cmd("G" + g + "00")).toBe("E01");
    expect(await c.cmd("Hg63")).toBe("E01");
    expect(await c.cmd("Hg5")).toBe("E01");
    expect(await c.cmd("Hg0")).toBe("OK");
    expect(await c.cmd("Hc-1")).toBe("OK");
    expect(await c.cmd("Hg3")).toBe("OK");
    expect(await c.cmd("qC")).toBe("QC3");
    c.sock.destroy();
    stub.close();
  });

  it("device registers read and write through the bus, as the guest sees them; FIFO pops only when asked", async () => {
    const { m, stub, port } = await stubFor("timer.img");
    const c = await Client.open(port);
    m.run({ maxInsns: 200_000 }); // the kernel has set up the timer
    const clo = m.bus.read32(0x3f003004);
    const words = (await c.cmd("m3f003000,10")).match(/.{8}/g)!.map((w) => Number(u64le(w)));
    expect(words[1]).toBe(clo); // CLO, as a guest ldr reads it (no time passes in between)
    expect(words[3]).toBe(m.bus.read32(0x3f00300c));
    expect(await c.cmd("m3f003005,2")).toBe((await c.cmd("m3f003004,4")).slice(2, 6));
    expect(await c.cmd("M3f003018,4:78563412")).toBe("OK"); // TIMER_C3
    expect(m.bus.read32(0x3f003018)).toBe(0x12345678);
    expect(await c.cmd("M3f003019,1:00")).toBe("E01"); // devices take whole aligned words
    expect(await c.cmd("m50000000,4")).toBe("E01");     // nothing there
    // The mini UART's receive FIFO: a read would pop it, so gdb reads 0 unless side effects are on.
    m.input("Z");
    m.run({ maxInsns: 300_000 });
    expect(await c.cmd("m3f215040,4")).toBe("00000000");
    expect(m.bus.read32(0x3f215054) & 1).toBe(1); // still there
    const on = Buffer.from(await c.cmd("qRcmd," + Buffer.from("side-effects on").toString("hex")), "hex").toString();
    expect(on).toMatch(/may pop device FIFOs/);
    expect(await c.cmd("m3f215040,4")).toBe("5a000000");
    expect(m.bus.read32(0x3f215054) & 1).toBe(0);
    c.sock.destroy();
    stub.close();
  });

  it("monitor help, and monitor sysregs decodes DAIF, SPSR and ESR", async () => {
    const { m, stub, port } = await stubFor("timer.img");
    const c = await Client.open(port);
    const mon = async (cmd: string) => Buffer.from(await c.cmd("qRcmd," + Buffer.from(cmd).toString("hex")), "hex").toString();
    expect(await mon("help")).toMatch(/sysregs.*\n(.*\n)*\s+time\s/);
    m.cores[0].setSysreg("spsr_el1", 0x600003c5n);
    m.cores[0].setSysreg("esr_el1", 0x56000011n);
    const regs = await mon("sysregs");
    expect(regs).toMatch(/DAIF = 0x3c0 \(DAIF masked\)/);
    expect(regs).toMatch(/SPSR_EL1 = 0x600003c5 \(EL1h, flags ZC, masked DAIF\)/);
    expect(regs).toMatch(/ESR_EL1 = 0x56000011 \(EC 0x15 SVC from AArch64, #11, IL=1, ISS 0x11\)/);
    expect(await mon("bogus")).toMatch(/monitor help lists them/);
    c.sock.destroy();
    stub.close();
  });
});

const hasGdb = spawnSync("gdb-multiarch", ["--version"]).status === 0;

describe.skipIf(!hasGdb)("gdb-multiarch against rpi-os run --gdb", () => {
  it("breaks at handle_irq, prints $pc and x/i, steps, reads VBAR_EL1", async () => {
    const cli = fileURLToPath(new URL("../dist/tools/cli.js", import.meta.url));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const emu = spawn(process.execPath, [cli, "run", guestPath("kernels/timer.img"), "--kernel-old", "--gdb", String(port), "-S"], { stdio: ["ignore", "pipe", "pipe"] });
    await new Promise<void>((res) => emu.stderr.on("data", (d) => { if (String(d).includes("target remote")) res(); }));
    const gdb = spawnSync("gdb-multiarch", ["-nx", "-batch",
      "-ex", "set architecture aarch64", "-ex", `target remote localhost:${port}`,
      "-ex", "break handle_irq", "-ex", "continue", "-ex", "print $pc", "-ex", "x/i $pc",
      "-ex", "stepi", "-ex", "print $pc", "-ex", "monitor vbar_el1", "-ex", "x/4wx 0x3f003000", "-ex", "kill",
      guestPath("kernels/timer.elf")], { encoding: "utf8", timeout: 30_000 });
    emu.kill();
    const out = gdb.stdout + gdb.stderr;
    expect(out).toMatch(/Breakpoint 1, 0x[0-9a-f]+ in handle_irq/);
    expect(out).toMatch(/\$1 = \(void \(\*\)\(\)\) 0x[0-9a-f]+ <handle_irq(\+\d+)?>/);
    expect(out).toMatch(/=> 0x[0-9a-f]+ <handle_irq(\+\d+)?>:\s+\w+/);
    expect(out).toMatch(/VBAR_EL1 = 0x[0-9a-f]*800/);
    // The system timer's CS, CLO, CHI, C0, as QEMU's stub shows them; stops name their thread.
    expect(out).toMatch(/0x3f003000:\s+0x[0-9a-f]{8}\s+0x[0-9a-f]{8}\s+0x0{8}\s+0x[0-9a-f]{8}/);
    expect(out).not.toMatch(/Cannot access memory/);
    expect(out).not.toMatch(/without sending a thread-id/);
  });
});

describe("GDB stub with the MMU on", () => {
  it("reads and writes memory by virtual address; monitor translate walks the tables; monitor tlb", async () => {
    // The MMU test kernel ends at EL1 with TTBR1 mapping 0xffff800000000000 -> PA 0 (a block).
    const { m, stub, port } = await stubFor("../mmu/mmu.img");
    let out = "";
    m.on("serial", (b) => { out += String.fromCharCode(b); if (out.endsWith("done\r\n")) m.stop(); });
    m.run({ maxInsns: 20_000_000 });
    expect(out).toMatch(/done\r\n$/);
    const c = await Client.open(port);
    const high = 0xffff800000000000n + 0x7000n; // `marker` through TTBR1
    expect(await c.cmd(`m${high.toString(16)},8`)).toBe(Buffer.from(m.readMemory(0x7000, 8)).toString("hex"));
    expect(await c.cmd(`M${(high + 0x10n).toString(16)},2:beef`)).toBe("OK");
    expect(Buffer.from(m.readMemory(0x7010, 2)).toString("hex")).toBe("beef");
    expect(await c.cmd("m1ff000,4")).toBe("E01"); // not mapped
    const mon = async (s: string) => Buffer.from(await c.cmd("qRcmd," + Buffer.from(s).toString("hex")), "hex").toString();
    expect(await mon(`translate 0x${high.toString(16)}`)).toBe("0xffff800000007000 -> 0x7000 (EL1, level 1 descriptor, rwx)\n");
    expect(await mon("translate 0x1ff000")).toBe("0x1ff000: no translation (translation fault, level 3)\n");
    expect(await mon("translate 0x1fe000")).toBe("0x1fe000: no translation (access flag fault, level 3)\n");
    expect(await mon("tlb")).toMatch(/^core 0: EL0 \d+, EL1 [1-9]\d*, EL2 \d+, EL3 \d+ valid entries/);
    c.sock.destroy();
    stub.close();
  });
});

describe("GDB remote protocol: the FP/SIMD registers (org.gnu.gdb.aarch64.fpu)", () => {
  it("describes v0-v31, fpsr, fpcr and reads and writes them with p/P", async () => {
    const { m, stub, port } = await stubFor("timer.img");
    const c = await Client.open(port);
    expect(await c.cmd("qXfer:features:read:target.xml:0,fff")).toMatch(/<xi:include href="aarch64-fpu.xml"\/>/);
    let xml = "", off = 0;
    for (;;) { // the feature is longer than one reply: read it in parts
      const r = await c.cmd(`qXfer:features:read:aarch64-fpu.xml:${off.toString(16)},7ff`);
      xml += r.slice(1); off += r.length - 1;
      if (r[0] === "l") break;
    }
    expect(xml).toMatch(/<feature name="org\.gnu\.gdb\.aarch64\.fpu">/);
    expect(xml).toMatch(/<reg name="v31" bitsize="128" type="aarch64v" regnum="65"\/>/);
    expect(xml).toMatch(/<reg name="fpcr" bitsize="32" type="int" regnum="67"\/>/);
    m.cores[0].setV(3, 0x00112233445566778899aabbccddeeffn);
    m.cores[0].fpsr = 0x8000011;
    expect(await c.cmd("p25")).toBe("ffeeddccbbaa99887766554433221100");
    expect(await c.cmd("p42")).toBe("11000008");
    expect(await c.cmd("P22=0100000000000000ffffffffffffff7f")).toBe("OK");
    expect(m.cores[0].v(0)).toBe(0x7fffffffffffffff0000000000000001n);
    expect(await c.cmd("P43=0000c000")).toBe("OK"); // FPCR.RMode = RZ
    expect(m.cores[0].fpcr).toBe(0xc00000);
    expect(await c.cmd("p44")).toBe("E00");
    c.sock.destroy();
    stub.close();
  });
});

describe.skipIf(!hasGdb)("gdb-multiarch: FP/SIMD registers", () => {
  it("prints $v0 lanes, $fpsr and $fpcr from the target description", async () => {
    const cli = fileURLToPath(new URL("../dist/tools/cli.js", import.meta.url));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const emu = spawn(process.execPath, [cli, "run", guestPath("kernels/timer.img"), "--kernel-old", "--gdb", String(port), "-S"], { stdio: ["ignore", "pipe", "pipe"] });
    await new Promise<void>((res) => emu.stderr.on("data", (d) => { if (String(d).includes("target remote")) res(); }));
    const gdb = spawnSync("gdb-multiarch", ["-nx", "-batch",
      "-ex", "set architecture aarch64", "-ex", `target remote localhost:${port}`,
      "-ex", "set $v0.d.u[1] = 0x1234", "-ex", "set $fpcr = 0x400000", "-ex", "p/x $v0.d.u", "-ex", "p/x $fpcr", "-ex", "p $v0.s.f[0]",
      "-ex", "kill"], { encoding: "utf8", timeout: 30_000 });
    emu.kill();
    const out = gdb.stdout + gdb.stderr;
    expect(out).toMatch(/= \{0x0, 0x1234\}/);
    expect(out).toMatch(/= 0x400000/);
    expect(out).toMatch(/= 0\n/);
  });
});
