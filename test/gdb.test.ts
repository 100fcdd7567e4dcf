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
    expect(await c.cmd("?")).toBe("S05");
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
    expect(await c.cmd("c")).toMatch(/^T05watch:3f003010;/);
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
      "-ex", "stepi", "-ex", "print $pc", "-ex", "monitor vbar_el1", "-ex", "kill",
      guestPath("kernels/timer.elf")], { encoding: "utf8", timeout: 30_000 });
    emu.kill();
    const out = gdb.stdout + gdb.stderr;
    expect(out).toMatch(/Breakpoint 1, 0x[0-9a-f]+ in handle_irq/);
    expect(out).toMatch(/\$1 = \(void \(\*\)\(\)\) 0x[0-9a-f]+ <handle_irq(\+\d+)?>/);
    expect(out).toMatch(/=> 0x[0-9a-f]+ <handle_irq(\+\d+)?>:\s+\w+/);
    expect(out).toMatch(/VBAR_EL1 = 0x[0-9a-f]*800/);
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
