// A GDB remote serial protocol stub for the emulated Pi (what QEMU's -s -S gives):
// loopback TCP, registers x0-x30/sp/pc/cpsr and v0-v31/fpsr/fpcr with an aarch64 target description,
// memory, software and hardware breakpoints, watchpoints, step/continue, one
// thread per core, Ctrl-C, detach and kill, and `monitor` commands for the
// system registers of lesson 3. Malformed input never throws out of the stub.

import { createServer, type Server, type Socket } from "node:net";
import type { Machine } from "../host/machine.js";
import { fscName } from "../host/trace.js";

// v0-v31 (regnums 34-65, each viewable as d/s/h/b/q lanes as gdb's own aarch64 description
// does), fpsr (66), fpcr (67), in aarch64-fpu.xml, which target.xml includes. Not in the
// 'g' packet: gdb reads them with 'p'.
const LANES: [string, [string, string][]][] = [
  ["vnd", [["f", "ieee_double"], ["u", "uint64"], ["s", "int64"]]], ["vns", [["f", "ieee_single"], ["u", "uint32"], ["s", "int32"]]],
  ["vnh", [["u", "uint16"], ["s", "int16"]]], ["vnb", [["u", "uint8"], ["s", "int8"]]], ["vnq", [["u", "uint128"], ["s", "int128"]]],
];
const LANE_COUNT: Record<string, number> = { vnd: 2, vns: 4, vnh: 8, vnb: 16, vnq: 1 };
const FPU_XML = `<?xml version="1.0"?>
<!DOCTYPE feature SYSTEM "gdb-target.dtd">
<feature name="org.gnu.gdb.aarch64.fpu">
${LANES.map(([u, fields]) => fields.map(([f, t]) => `    <vector id="${u}${f}" type="${t}" count="${LANE_COUNT[u]}"/>`).join("\n") +
  `\n    <union id="${u}">${fields.map(([f]) => `<field name="${f}" type="${u}${f}"/>`).join("")}</union>`).join("\n")}
    <union id="aarch64v">${LANES.map(([u]) => `<field name="${u.slice(2)}" type="${u}"/>`).join("")}</union>
${Array.from({ length: 32 }, (_, i) => `    <reg name="v${i}" bitsize="128" type="aarch64v" regnum="${34 + i}"/>`).join("\n")}
    <reg name="fpsr" bitsize="32" type="int" regnum="66"/>
    <reg name="fpcr" bitsize="32" type="int" regnum="67"/>
</feature>
`;

const TARGET_XML = `<?xml version="1.0"?>
<!DOCTYPE target SYSTEM "gdb-target.dtd">
<target version="1.0">
  <architecture>aarch64</architecture>
  <feature name="org.gnu.gdb.aarch64.core">
${Array.from({ length: 31 }, (_, i) => `    <reg name="x${i}" bitsize="64" type="int" regnum="${i}"/>`).join("\n")}
    <reg name="sp" bitsize="64" type="data_ptr"/>
    <reg name="pc" bitsize="64" type="code_ptr"/>
    <reg name="cpsr" bitsize="32" type="int"/>
  </feature>
  <xi:include href="aarch64-fpu.xml"/>
</target>
`;

const MONITOR_SYSREGS = ["vbar_el1", "elr_el1", "spsr_el1", "esr_el1", "far_el1", "sctlr_el1", "hcr_el2", "scr_el3"];

const MONITOR_HELP = `monitor commands:
  sysregs (or info registers)   CurrentEL, DAIF and the lesson's system registers, decoded
  <sysreg>                      one register: vbar_el1, elr_el2, spsr_el3, esr_el1, far_el1, sctlr_el1,
                                hcr_el2, scr_el3, cntfrq_el0, cntpct_el0, mpidr_el1
  time                          virtual time and instructions retired
  translate ADDR                the page-table walk of ADDR for this core at its EL
  tlb                           valid entries of each core's software TLB
  side-effects on|off           whether memory reads may pop device FIFOs (off: they read 0)
  help                          this text
`;

/** Device registers whose read changes the device (a FIFO pop): gdb reads them as 0 unless asked. */
const READ_SIDE_EFFECTS = new Set([
  0x3f215040, // AUX_MU_IO_REG: pops the mini UART's receive FIFO
  0x3f201000, // PL011 UART_DR: pops the receive FIFO
  0x3f00b880, // MBOX0_READ: pops the mailbox
]);

/** The peripheral windows (BCM2837 at 0x3F000000, the ARM local block at 0x40000000). */
const isDevice = (addr: number) => addr >= 0x3f000000 && addr < 0x40040000;

/** PSTATE/SPSR in words: NZCV, DAIF masks, the EL and SP (ARM ARM C5.2.18). */
export function describePstate(v: number): string {
  const flags = "NZCV".split("").filter((_, i) => (v >>> (31 - i)) & 1).join("") || "-";
  const masks = "DAIF".split("").filter((_, i) => (v >>> (9 - i)) & 1).join("") || "none";
  const m = v & 0xf;
  const mode = ({ 0: "EL0t", 4: "EL1t", 5: "EL1h", 8: "EL2t", 9: "EL2h", 12: "EL3t", 13: "EL3h" } as Record<number, string>)[m] ?? `M=0x${m.toString(16)}${(v >> 4) & 1 ? " (AArch32)" : ""}`;
  return `${mode}, flags ${flags}, masked ${masks}${(v >>> 20) & 1 ? ", IL" : ""}`;
}

const EC_NAMES: Record<number, string> = {
  0x00: "unknown reason (UNDEFINED instruction)", 0x01: "WFI/WFE trapped", 0x07: "FP/SIMD access trapped", 0x0e: "illegal execution state",
  0x15: "SVC from AArch64", 0x16: "HVC from AArch64", 0x17: "SMC from AArch64", 0x18: "MSR/MRS/system instruction trapped",
  0x20: "instruction abort from a lower EL", 0x21: "instruction abort, same EL", 0x22: "PC alignment fault",
  0x24: "data abort from a lower EL", 0x25: "data abort, same EL", 0x26: "SP alignment fault", 0x2f: "SError",
  0x30: "breakpoint from a lower EL", 0x31: "breakpoint, same EL", 0x32: "software step from a lower EL", 0x33: "software step, same EL",
  0x34: "watchpoint from a lower EL", 0x35: "watchpoint, same EL", 0x3c: "BRK instruction",
};
/** ESR_ELx in words: the exception class, IL and the ISS (ARM ARM D13.2.37). */
export function describeEsr(v: number): string {
  const ec = v >>> 26, iss = v & 0x1ffffff;
  let what = `EC 0x${ec.toString(16).padStart(2, "0")} ${EC_NAMES[ec] ?? "(other)"}`;
  if (ec === 0x15 || ec === 0x16 || ec === 0x17 || ec === 0x3c) what += `, #${(iss & 0xffff).toString(16)}`;
  if ((ec === 0x24 || ec === 0x25) && (iss >> 24) & 1) what += `, ${(iss >> 6) & 1 ? "write" : "read"} of ${1 << ((iss >> 22) & 3)} bytes`;
  return `${what}, IL=${(v >>> 25) & 1}, ISS 0x${iss.toString(16)}`;
}
/** DAIF in words: which of Debug, SError, IRQ, FIQ are masked. */
export function describeDaif(v: number): string {
  const masked = "DAIF".split("").filter((_, i) => (v >>> (9 - i)) & 1);
  return masked.length ? `${masked.join("")} masked` : "nothing masked";
}

type Watch = { addr: number; len: number; kind: 2 | 3 | 4 };

const hexByte = (b: number) => b.toString(16).padStart(2, "0");
const le = (v: bigint, bytes: number) => {
  let s = "";
  for (let i = 0; i < bytes; i++) s += hexByte(Number((v >> BigInt(8 * i)) & 0xffn));
  return s;
};
const fromLe = (hex: string) => {
  let v = 0n;
  for (let i = hex.length - 2; i >= 0; i -= 2) v = (v << 8n) | BigInt(parseInt(hex.slice(i, i + 2), 16));
  return v;
};
const toHex = (s: string) => Buffer.from(s, "latin1").toString("hex");

export function checksum(data: string): string {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum = (sum + data.charCodeAt(i)) & 0xff;
  return hexByte(sum);
}

/** Where a load/store instruction accesses memory, for watchpoints (common A64 forms). */
export function accessOf(word: number, x: (n: number) => bigint, sp: bigint, pc: number): { addr: number; len: number; write: boolean } | undefined {
  const base = (n: number) => Number(BigInt.asUintN(64, n === 31 ? sp : x(n)));
  const op = (word >>> 27) & 7;
  if ((word >>> 26) & 1) return undefined;
  if (op === 7) {
    const size = word >>> 30, opc = (word >>> 22) & 3, rn = (word >>> 5) & 31;
    const len = 1 << size, write = opc === 0;
    if (size === 3 && opc >= 2) return undefined;
    if ((word >>> 24) & 1) return { addr: base(rn) + (((word >>> 10) & 0xfff) << size), len, write };
    if ((word >>> 21) & 1) {
      const rm = (word >>> 16) & 31, option = (word >>> 13) & 7, s = (word >>> 12) & 1;
      let off = x(rm);
      if (option === 2) off &= 0xffffffffn;
      if (option === 6) off = BigInt.asIntN(32, off);
      return { addr: Number(BigInt.asUintN(64, BigInt(base(rn)) + (off << BigInt(s ? size : 0)))), len, write };
    }
    const imm9 = ((word >>> 12) & 0x1ff) << 23 >> 23;
    const mode = (word >>> 10) & 3;
    return { addr: mode === 1 ? base(rn) : base(rn) + imm9, len, write };
  }
  if (op === 5) {
    const opc = word >>> 30, mode = (word >>> 23) & 3, l = (word >>> 22) & 1, rn = (word >>> 5) & 31;
    const scale = opc === 2 ? 3 : 2;
    const imm = (((word >>> 15) & 0x7f) << 25 >> 25) << scale;
    return { addr: mode === 1 ? base(rn) : base(rn) + imm, len: 2 << scale, write: l === 0 };
  }
  if (op === 3) {
    const imm = ((word >>> 5) & 0x7ffff) << 13 >> 13;
    return { addr: pc + imm * 4, len: word >>> 30 === 1 ? 8 : 4, write: false };
  }
  if (op === 1) return { addr: base((word >>> 5) & 31), len: 1 << (word >>> 30), write: ((word >>> 22) & 1) === 0 };
  return undefined;
}

export class GdbStub {
  private server?: Server;
  private sock?: Socket;
  private buf = "";
  private running = false;
  private thread = 1;          // core + 1 selected by Hg
  private watches: Watch[] = [];
  private stopped = "T05thread:1;";
  private sideEffects = false;
  private noAck = false;
  /** Log of packets (for tests and --trace). */
  readonly log: string[] = [];
  onDetach?: () => void;
  onKill?: () => void;

  constructor(private readonly m: Machine) {}

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server = createServer((s) => this.accept(s));
      this.server.on("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        const a = this.server!.address();
        resolve(typeof a === "object" && a ? a.port : port);
      });
    });
  }

  close(): void {
    this.running = false;
    this.sock?.destroy();
    this.server?.close();
  }

  private accept(s: Socket): void {
    if (this.sock) { s.end(); return; } // one client at a time
    this.sock = s;
    this.noAck = false;
    this.buf = ""; // a half packet of an earlier client is not this one's
    s.setEncoding("latin1");
    s.on("data", (d: string) => this.onData(d));
    s.on("close", () => { if (this.sock === s) { this.sock = undefined; this.buf = ""; } this.running = false; });
    s.on("error", () => { if (this.sock === s) { this.sock = undefined; this.buf = ""; } this.running = false; });
  }

  private send(data: string): void {
    this.log.push(`< ${data.length > 200 ? data.slice(0, 200) + "..." : data}`);
    this.sock?.write(`$${data}#${checksum(data)}`);
  }

  /** Feeds raw bytes (exposed for protocol tests without a socket). */
  onData(d: string): void {
    this.buf += d;
    for (;;) {
      if (!this.buf.length) return;
      const c = this.buf[0];
      if (c === "\x03") { this.buf = this.buf.slice(1); this.interrupt(); continue; }
      if (c === "+" || c === "-") { this.buf = this.buf.slice(1); continue; }
      if (c !== "$") { this.buf = this.buf.slice(1); continue; } // noise before a packet
      const hash = this.buf.indexOf("#");
      if (hash < 0 || this.buf.length < hash + 3) return; // incomplete
      const body = this.buf.slice(1, hash);
      const sum = this.buf.slice(hash + 1, hash + 3);
      this.buf = this.buf.slice(hash + 3);
      if (checksum(body) !== sum.toLowerCase()) {
        this.log.push(`bad checksum: ${body}`);
        if (!this.noAck) this.sock?.write("-");
        continue;
      }
      if (!this.noAck) this.sock?.write("+");
      this.log.push(`> ${body}`);
      try {
        this.handle(body);
      } catch (e) {
        this.log.push(`error: ${(e as Error).message}`);
        this.send("E01");
      }
    }
  }

  private cpu() { return this.m.cores[this.thread - 1] ?? this.m.cores[0]; }

  private regs(): string {
    const cpu = this.cpu();
    let s = "";
    for (let i = 0; i < 31; i++) s += le(cpu.x(i), 8);
    s += le(cpu.currentSp, 8) + le(cpu.pc64, 8) + le(BigInt(cpu.pstate), 4);
    return s;
  }

  private readReg(n: number): string | undefined {
    const cpu = this.cpu();
    if (n < 31) return le(cpu.x(n), 8);
    if (n === 31) return le(cpu.currentSp, 8);
    if (n === 32) return le(cpu.pc64, 8);
    if (n === 33) return le(BigInt(cpu.pstate), 4);
    if (n >= 34 && n < 66) return le(cpu.v(n - 34), 16);
    if (n === 66) return le(BigInt(cpu.fpsr), 4);
    if (n === 67) return le(BigInt(cpu.fpcr), 4);
    return undefined;
  }

  private writeReg(n: number, v: bigint): boolean {
    const cpu = this.cpu();
    if (n < 31) cpu.setX(n, v);
    else if (n === 31) cpu.setSp(cpu.spsel ? cpu.el : 0, v);
    else if (n === 32) cpu.pc64 = v;
    else if (n === 33) cpu.pstate = Number(v & 0xffffffffn);
    else if (n >= 34 && n < 66) cpu.setV(n - 34, v);
    else if (n === 66) cpu.fpsr = Number(v & 0xffffffffn);
    else if (n === 67) cpu.fpcr = Number(v & 0xffffffffn);
    else return false;
    return true;
  }

  /**
   * Memory at virtual address `va` through the current core's translation (as QEMU's stub reads
   * it): RAM as bytes; device registers through the bus, word by word, as the guest would read
   * them — the ones whose read pops a FIFO read 0 unless `monitor side-effects on`.
   */
  private readMem(va: bigint, len: number): string {
    const core = this.thread - 1;
    const t = this.m.translate(core, va);
    if (!("pa" in t)) throw new Error(`0x${va.toString(16)} does not translate (fault status 0x${t.fsc.toString(16)})`);
    const addr = Number(t.pa);
    if (addr + len <= this.m.ramSize) return Buffer.from(this.m.readVirtual(core, va, len)).toString("hex");
    if (!isDevice(addr) || !isDevice(addr + len - 1)) throw new Error("outside RAM and the peripherals");
    const first = addr & ~3, out = Buffer.alloc(((addr + len + 3) & ~3) - first);
    for (let a = first; a < addr + len; a += 4) {
      const v = !this.sideEffects && READ_SIDE_EFFECTS.has(a) ? 0 : this.m.bus.read32(a);
      out.writeUInt32LE(v >>> 0, a - first);
    }
    return out.subarray(addr - first, addr - first + len).toString("hex");
  }

  /** RAM as bytes; device registers as whole aligned words through the bus (as a guest's str). */
  private writeMem(va: bigint, bytes: Buffer): boolean {
    const core = this.thread - 1;
    const t = this.m.translate(core, va);
    if (!("pa" in t)) return false;
    const addr = Number(t.pa);
    if (addr + bytes.length <= this.m.ramSize) {
      try { this.m.writeVirtual(core, va, new Uint8Array(bytes)); return true; } catch { return false; }
    }
    if (!isDevice(addr) || (addr & 3) !== 0 || bytes.length % 4 !== 0 || !isDevice(addr + bytes.length - 1)) return false;
    for (let i = 0; i < bytes.length; i += 4) this.m.bus.write32(addr + i, bytes.readUInt32LE(i));
    this.m.drain();
    return true;
  }

  private handle(p: string): void {
    const cmd = p[0];
    switch (cmd) {
      case "?": return this.send(this.stopped);
      case "g": return this.send(this.regs());
      case "G": {
        const hex = p.slice(1);
        // x0-x30, sp, pc (8 bytes each) and cpsr (4): exactly the 'g' layout, or nothing is written.
        if (hex.length !== 33 * 16 + 8 || !/^[0-9a-fA-F]*$/.test(hex)) return this.send("E01");
        for (let i = 0; i < 33; i++) this.writeReg(i, fromLe(hex.slice(i * 16, i * 16 + 16)));
        this.writeReg(33, fromLe(hex.slice(33 * 16, 33 * 16 + 8)));
        return this.send("OK");
      }
      case "p": {
        const v = this.readReg(parseInt(p.slice(1), 16));
        return this.send(v ?? "E00");
      }
      case "P": {
        const [n, v] = p.slice(1).split("=");
        return this.send(this.writeReg(parseInt(n, 16), fromLe(v)) ? "OK" : "E00");
      }
      case "m": {
        const [as, ls] = p.slice(1).split(",");
        const l = parseInt(ls, 16);
        if (!/^[0-9a-f]+$/i.test(as ?? "") || !Number.isFinite(l)) return this.send("E01");
        return this.send(this.readMem(BigInt("0x" + as), Math.min(l, 0x4000)));
      }
      case "M": case "X": {
        const colon = p.indexOf(":");
        const [as, ls] = p.slice(1, colon).split(",");
        const l = parseInt(ls, 16);
        const data = p.slice(colon + 1);
        const bytes = cmd === "M" ? Buffer.from(data, "hex") : unescapeBinary(data);
        if (colon < 0 || !/^[0-9a-f]+$/i.test(as ?? "") || bytes.length !== l) return this.send("E01");
        if (l === 0) return this.send("OK");
        return this.send(this.writeMem(BigInt("0x" + as), bytes) ? "OK" : "E01");
      }
      case "Z": case "z": {
        const [type, a, kind] = p.slice(1).split(",");
        const addr = parseInt(a, 16);
        const on = cmd === "Z";
        const t = Number(type);
        if (t === 0 || t === 1) {
          return this.send(this.m.soc.setBreakpoint(BigInt("0x" + a), on) ? "OK" : "E01"); // 64-bit: kernel VAs
        }
        if (t >= 2 && t <= 4) {
          const len = parseInt(kind, 16);
          if (on) this.watches.push({ addr, len, kind: t as 2 | 3 | 4 });
          else this.watches = this.watches.filter((w) => !(w.addr === addr && w.len === len && w.kind === t));
          return this.send("OK");
        }
        return this.send("");
      }
      case "s": return this.resume(true);
      case "c": return this.resume(false);
      case "v": return this.vPacket(p);
      case "H": {
        // Hg/Hc N: N = 0 (any) or -1 (all) keep the current core; 1-4 select one; others do not exist.
        const t = parseInt(p.slice(2), 16);
        if (p.slice(2) === "-1" || t === 0) return this.send("OK");
        if (!(t >= 1 && t <= 4)) return this.send("E01");
        this.thread = t;
        return this.send("OK");
      }
      case "T": {
        const t = parseInt(p.slice(1), 16);
        return this.send(t >= 1 && t <= 4 ? "OK" : "E01");
      }
      case "q": return this.query(p);
      case "Q": {
        if (p === "QStartNoAckMode") { this.send("OK"); this.noAck = true; return; }
        return this.send("");
      }
      case "D": this.send("OK"); this.onDetach?.(); this.sock?.end(); return;
      case "k": this.onKill?.(); this.sock?.destroy(); return;
      default: return this.send("");
    }
  }

  private vPacket(p: string): void {
    if (p === "vCont?") return this.send("vCont;c;C;s;S");
    if (p.startsWith("vCont;")) {
      const action = p.slice(6).split(";")[0];
      const [kind, thread] = action.split(":");
      if (thread) { const t = parseInt(thread, 16); if (t > 0 && t <= 4) this.thread = t; }
      return this.resume(kind[0] === "s" || kind[0] === "S");
    }
    if (p.startsWith("vMustReplyEmpty")) return this.send("");
    if (p.startsWith("vKill")) { this.send("OK"); this.onKill?.(); return; }
    return this.send("");
  }

  private query(p: string): void {
    if (p.startsWith("qSupported")) return this.send("PacketSize=4000;qXfer:features:read+;vContSupported+;QStartNoAckMode+");
    if (p.startsWith("qXfer:features:read:target.xml:") || p.startsWith("qXfer:features:read:aarch64-fpu.xml:")) {
      const doc = p.startsWith("qXfer:features:read:target.xml:") ? TARGET_XML : FPU_XML;
      const [off, len] = p.split(":")[4].split(",").map((x) => parseInt(x, 16));
      const chunk = doc.slice(off, off + len);
      return this.send((off + len >= doc.length ? "l" : "m") + chunk);
    }
    if (p === "qfThreadInfo") return this.send("m1,2,3,4");
    if (p === "qsThreadInfo") return this.send("l");
    if (p === "qC") return this.send(`QC${this.thread.toString(16)}`);
    if (p === "qAttached") return this.send("1");
    if (p.startsWith("qThreadExtraInfo,")) {
      const t = parseInt(p.split(",")[1], 16);
      const cpu = this.m.cores[t - 1];
      return this.send(toHex(cpu ? `core ${t - 1} EL${cpu.el} ${cpu.state}` : "?"));
    }
    if (p.startsWith("qRcmd,")) return this.monitor(Buffer.from(p.slice(6), "hex").toString("latin1").trim());
    if (p === "qOffsets") return this.send("Text=0;Data=0;Bss=0");
    return this.send("");
  }

  private monitor(cmd: string): void {
    const cpu = this.cpu();
    let out: string;
    if (cmd === "sysregs" || cmd === "info registers") {
      const lines = [`CurrentEL = EL${cpu.el} (SPSel ${cpu.spsel})`, `DAIF = 0x${cpu.daif.toString(16)} (${describeDaif(cpu.daif)})`];
      for (const r of MONITOR_SYSREGS) {
        const v = cpu.sysreg(r);
        const words = r.startsWith("spsr") ? ` (${describePstate(Number(v & 0xffffffffn))})` : r.startsWith("esr") ? ` (${describeEsr(Number(v & 0xffffffffn))})` : "";
        lines.push(`${r.toUpperCase()} = 0x${v.toString(16)}${words}`);
      }
      out = lines.join("\n") + "\n";
    } else if (cmd === "help") {
      out = MONITOR_HELP;
    } else if (/^side-effects (on|off)$/.test(cmd)) {
      this.sideEffects = cmd.endsWith("on");
      out = `memory reads ${this.sideEffects ? "may pop device FIFOs (AUX_MU_IO, UART_DR, MBOX0_READ)" : "read FIFO registers as 0"}\n`;
    } else if (/^(vbar|elr|spsr|esr|far|sctlr)_el[123]$|^(hcr_el2|scr_el3|cntfrq_el0|cntpct_el0|mpidr_el1)$/.test(cmd)) {
      out = `${cmd.toUpperCase()} = 0x${cpu.sysreg(cmd).toString(16)}\n`;
    } else if (/^translate\s+/.test(cmd)) {
      // The page-table walk of an address for this core at its EL (no fault, no TLB change).
      const a = cmd.split(/\s+/)[1];
      const va = /^(0x)?[0-9a-f]+$/i.test(a) ? BigInt(a.startsWith("0x") ? a : "0x" + a) : undefined;
      const t = va === undefined ? undefined : this.m.translate(this.thread - 1, va);
      if (!t) out = `translate: '${a}' is not an address\n`;
      else if ("fsc" in t) out = `0x${va!.toString(16)}: no translation (${fscName(t.fsc)})\n`;
      else if (t.mmuOff) out = `0x${va!.toString(16)} -> 0x${t.pa.toString(16)} (EL${cpu.el}: stage 1 off)\n`;
      else out = `0x${va!.toString(16)} -> 0x${t.pa.toString(16)} (EL${cpu.el}, level ${t.level} descriptor, ${t.read ? "r" : "-"}${t.write ? "w" : "-"}${t.exec ? "x" : "-"})\n`;
    } else if (cmd === "tlb") {
      out = this.m.cores.map((_, c) => `core ${c}: ${this.m.tlbEntries(c).map((n, el) => `EL${el} ${n}`).join(", ")} valid entries (of 256 each)`).join("\n") + "\n";
    } else if (cmd === "time") {
      out = `virtual time ${this.m.seconds.toFixed(6)} s, ${this.m.insns} instructions\n`;
    } else {
      out = `unknown monitor command '${cmd}' (monitor help lists them)\n`;
    }
    this.send(toHex(out));
  }

  private interrupt(): void {
    if (!this.running) return;
    this.running = false;
    this.report("S02"); // SIGINT, as gdb expects after Ctrl-C
  }

  /** Lets the guest run (QEMU's -s without -S); a client attaches and interrupts later. */
  startRunning(): void { this.resume(false); }

  /** Runs (or steps) and reports the stop; the event loop stays free for Ctrl-C between chunks. */
  private resume(step: boolean): void {
    const core = this.thread - 1;
    const cpu = this.m.cores[core];
    this.m.soc.resumeFrom(cpu.pc64);
    if (step) {
      this.stepOnce();
      this.report("S05");
      return;
    }
    this.running = true;
    const chunk = () => {
      if (!this.running) return;
      let stop: string | undefined;
      if (this.watches.length) {
        for (let i = 0; i < 20000 && !stop; i++) stop = this.stepOnce();
      } else {
        const r = this.m.run({ maxInsns: 2_000_000 });
        if (r.reason === "breakpoint") {
          this.thread = this.m.soc.lastCore() + 1;
          stop = "S05";
        } else if (r.reason === "exit") stop = `W${hexByte((r.exitCode ?? 0) & 0xff)}`;
        else if (r.reason === "stopped") stop = "S02";
        else if (r.reason === "halted") stop = "S05";
      }
      if (stop) { this.running = false; this.report(stop); return; }
      setImmediate(chunk);
    };
    setImmediate(chunk);
  }

  /** One instruction; returns a stop packet if a watchpoint hit. */
  private stepOnce(): string | undefined {
    const cpu = this.cpu();
    const pc = cpu.pc;
    let hit: string | undefined;
    if (this.watches.length && pc + 4 <= this.m.ramSize) {
      const word = new DataView(this.m.readMemory(pc, 4).buffer).getUint32(0, true);
      const acc = accessOf(word, (n) => cpu.x(n), cpu.currentSp, pc);
      if (acc) {
        for (const w of this.watches) {
          if (acc.addr < w.addr + w.len && w.addr < acc.addr + acc.len) {
            const t = `T05thread:${this.thread.toString(16)};`;
            if (w.kind === 2 && acc.write) hit = `${t}watch:${w.addr.toString(16)};`;
            if (w.kind === 3 && !acc.write) hit = `${t}rwatch:${w.addr.toString(16)};`;
            if (w.kind === 4) hit = `${t}awatch:${w.addr.toString(16)};`;
          }
        }
      }
    }
    // A budget ends exactly and the cores take turns: one instruction at a time until the
    // selected core has run one (the others run at most one each meanwhile).
    const target = this.thread - 1;
    let r = this.m.run({ maxInsns: 1 });
    for (let i = 0; i < 3 && r.reason === "budget" && this.m.soc.lastCore() !== target; i++) r = this.m.run({ maxInsns: 1 });
    if (r.reason === "breakpoint") return "S05";
    if (r.reason === "exit") return `W${hexByte((r.exitCode ?? 0) & 0xff)}`;
    return hit;
  }

  private report(stop: string): void {
    this.stopped = stop.startsWith("T") || stop.startsWith("W") ? stop : `T${stop.slice(1)}thread:${this.thread.toString(16)};`;
    this.send(this.stopped);
  }

}
function unescapeBinary(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x7d) out.push(s.charCodeAt(++i) ^ 0x20);
    else out.push(c);
  }
  return Buffer.from(out);
}
