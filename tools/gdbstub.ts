// A GDB remote serial protocol stub for the emulated Pi (what QEMU's -s -S gives):
// loopback TCP, registers x0-x30/sp/pc/cpsr with an aarch64 target description,
// memory, software and hardware breakpoints, watchpoints, step/continue, one
// thread per core, Ctrl-C, detach and kill, and `monitor` commands for the
// system registers of lesson 3. Malformed input never throws out of the stub.

import { createServer, type Server, type Socket } from "node:net";
import type { Machine } from "../host/machine.js";
import { fscName } from "../host/trace.js";

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
</target>
`;

const MONITOR_SYSREGS = ["vbar_el1", "elr_el1", "spsr_el1", "esr_el1", "far_el1", "sctlr_el1", "hcr_el2", "scr_el3"];

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
  private stopped = "S05";
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
    s.setEncoding("latin1");
    s.on("data", (d: string) => this.onData(d));
    s.on("close", () => { this.sock = undefined; this.running = false; });
    s.on("error", () => { this.sock = undefined; this.running = false; });
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
    return undefined;
  }

  private writeReg(n: number, v: bigint): boolean {
    const cpu = this.cpu();
    if (n < 31) cpu.setX(n, v);
    else if (n === 31) cpu.setSp(cpu.spsel ? cpu.el : 0, v);
    else if (n === 32) cpu.pc64 = v;
    else if (n === 33) cpu.pstate = Number(v & 0xffffffffn);
    else return false;
    return true;
  }

  private readMem(addr: bigint, len: number): string {
    // RAM only: reading device registers has side effects (a FIFO pop), as gdb users do not expect.
    // Addresses are virtual, through the current core's translation (as QEMU's stub reads them).
    return Buffer.from(this.m.readVirtual(this.thread - 1, addr, len)).toString("hex");
  }

  private handle(p: string): void {
    const cmd = p[0];
    switch (cmd) {
      case "?": return this.send(this.stopped);
      case "g": return this.send(this.regs());
      case "G": {
        const hex = p.slice(1);
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
        if (bytes.length !== l || !/^[0-9a-f]+$/i.test(as ?? "")) return this.send("E01");
        this.m.writeVirtual(this.thread - 1, BigInt("0x" + as), new Uint8Array(bytes));
        return this.send("OK");
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
        const t = parseInt(p.slice(2), 16);
        if (t > 0 && t <= 4) this.thread = t;
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
    if (p.startsWith("qXfer:features:read:target.xml:")) {
      const [off, len] = p.split(":")[4].split(",").map((x) => parseInt(x, 16));
      const chunk = TARGET_XML.slice(off, off + len);
      return this.send((off + len >= TARGET_XML.length ? "l" : "m") + chunk);
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
      const lines = [`CurrentEL = EL${cpu.el} (SPSel ${cpu.spsel})`, `DAIF = 0x${cpu.daif.toString(16)}`];
      for (const r of MONITOR_SYSREGS) lines.push(`${r.toUpperCase()} = 0x${cpu.sysreg(r).toString(16)}`);
      out = lines.join("\n") + "\n";
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
      out = `unknown monitor command '${cmd}': sysregs, <sysreg name>, time, translate ADDR, tlb\n`;
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
            if (w.kind === 2 && acc.write) hit = `T05watch:${w.addr.toString(16)};`;
            if (w.kind === 3 && !acc.write) hit = `T05rwatch:${w.addr.toString(16)};`;
            if (w.kind === 4) hit = `T05awatch:${w.addr.toString(16)};`;
          }
        }
      }
    }
    const r = this.m.run({ maxInsns: 1 });
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
