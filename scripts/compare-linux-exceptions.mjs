// node scripts/compare-linux-exceptions.mjs [--insns N] [--qemu-seconds S] [--json]
//
// The exceptions Debian's kernel takes in its first N instructions on rpi-os
// (default one million), beside QEMU's `-d int` log of the same kernel, DTB,
// initramfs and command line on -M raspi3b. Synchronous exceptions and
// exception returns must agree one for one (kind, ELs, ESR, ELR / return
// address); interrupts depend on timing, so they are only counted. Needs the
// cached kernel (npm run fetch-linux), a build (npm run build) and
// qemu-system-aarch64. Exit status 0 when the traces agree, 1 otherwise.
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { runLinux, defaultInitramfs, DEFAULT_CMDLINE } from "../dist/tools/linux.js";
import { cachedLinux } from "../dist/tools/fetch-linux.js";

{
  const USAGE = "usage: node scripts/compare-linux-exceptions.mjs [--insns N] [--qemu-seconds S] [--json]";
  const argv = process.argv.slice(2);
  for (let k = 0; k < argv.length; k++) {
    if (argv[k] === "--help" || argv[k] === "-h") { console.log(USAGE); process.exit(0); }
    if (argv[k] === "--json") continue;
    if ((argv[k] === "--insns" || argv[k] === "--qemu-seconds") && Number(argv[k + 1]) > 0) { k++; continue; }
    const valued = argv[k] === "--insns" || argv[k] === "--qemu-seconds";
    console.error(`compare-linux-exceptions: ${valued ? `${argv[k]} needs a positive number` : `unknown option ${argv[k]}`}\n${USAGE}`);
    process.exit(2);
  }
}
const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : dflt; };
const INSNS = arg("--insns", 1_000_000);
const QEMU_SECONDS = arg("--qemu-seconds", 20);
const json = process.argv.includes("--json");

const hex = (n) => "0x" + BigInt.asUintN(64, BigInt(n)).toString(16);

/** Ours: the exception events of the first INSNS instructions, in the same terms as QEMU's log. */
async function ours(files, initrd) {
  const list = [];
  const r = await runLinux({
    image: new Uint8Array(readFileSync(files.image)), dtb: new Uint8Array(readFileSync(files.dtb)), initrd, cmdline: DEFAULT_CMDLINE,
    maxInsns: INSNS,
    setup: (m) => m.on("exception", (e) => {
      if (e.kind === "eret") list.push({ kind: "eret", from: e.fromEL, to: e.toEL, pc: hex(e.elr64) });
      else list.push({ kind: e.kind, core: e.core, from: e.fromEL, to: e.toEL, esr: hex(e.esr), elr: hex(e.elr64) });
    }),
  });
  return { list, insns: r.insns };
}

/** QEMU's `-d int` for QEMU_SECONDS of wall time (quit through the monitor, so the log is flushed). */
function qemu(files, initrd) {
  const dir = mkdtempSync(join(tmpdir(), "rpi-os-qemu-int-"));
  const initrdFile = join(dir, "initramfs.cpio"), log = join(dir, "int.log");
  writeFileSync(initrdFile, initrd);
  return new Promise((resolve, reject) => {
    const p = spawn("qemu-system-aarch64", ["-M", "raspi3b", "-kernel", files.image, "-dtb", files.dtb, "-initrd", initrdFile,
      "-append", DEFAULT_CMDLINE, "-serial", "null", "-display", "none", "-monitor", "stdio", "-d", "int", "-D", log],
    { stdio: ["pipe", "ignore", "ignore"] });
    p.on("error", reject);
    const t = setTimeout(() => p.stdin.write("quit\n"), QEMU_SECONDS * 1000);
    p.on("exit", () => {
      clearTimeout(t);
      const text = readFileSync(log, "utf8");
      rmSync(dir, { recursive: true, force: true });
      resolve({ list: parseQemu(text) });
    });
  });
}

const QEMU_KIND = { 11: "sync", 1: "sync", 2: "sync", 3: "sync", 4: "sync", 7: "sync", 8: "sync", 12: "sync", 13: "sync", 5: "irq", 6: "fiq" };

/** QEMU 7.2's arm_log_exception / ERET lines into events. */
function parseQemu(text) {
  const list = [];
  let cur;
  for (const line of text.split("\n")) {
    let m;
    if ((m = /^Exception return from AArch64 EL(\d) to AArch64 EL(\d) PC (0x[0-9a-f]+)/.exec(line))) {
      list.push({ kind: "eret", from: Number(m[1]), to: Number(m[2]), pc: hex(BigInt(m[3])) });
    } else if ((m = /^Taking exception (\d+) \[([^\]]+)\] on CPU (\d+)/.exec(line))) {
      cur = { kind: QEMU_KIND[Number(m[1])] ?? `qemu-${m[1]}`, core: Number(m[3]), name: m[2] };
      list.push(cur);
    } else if (cur && (m = /^\.\.\.from EL(\d) to EL(\d)/.exec(line))) { cur.from = Number(m[1]); cur.to = Number(m[2]); }
    else if (cur && (m = /^\.\.\.with ESR 0x[0-9a-f]+\/(0x[0-9a-f]+)/.exec(line))) cur.esr = hex(BigInt(m[1]));
    else if (cur && (m = /^\.\.\.with ELR (0x[0-9a-f]+)/.exec(line))) cur.elr = hex(BigInt(m[1]));
  }
  return list;
}

const key = (e) => e.kind === "eret" ? `eret EL${e.from}->EL${e.to} pc=${e.pc}` : `${e.kind} EL${e.from}->EL${e.to} esr=${e.esr} elr=${e.elr}`;

const files = cachedLinux();
if (!files) { console.error("compare-linux-exceptions: no cached kernel (npm run fetch-linux)"); process.exit(2); }
const initrd = defaultInitramfs();
const [a, b] = await Promise.all([ours(files, initrd), qemu(files, initrd)]);
// IRQs come at other instructions on the two machines: compare the rest, in order.
const strip = (l) => l.filter((e) => e.kind !== "irq" && e.kind !== "fiq" && !(e.kind === "eret" && e.from === e.to));
const sa = strip(a.list), sb = strip(b.list);
const n = sa.length;
const rows = [];
let agree = true;
for (let i = 0; i < n; i++) {
  const same = sb[i] !== undefined && key(sa[i]) === key(sb[i]);
  if (!same) agree = false;
  rows.push({ i, ours: key(sa[i]), qemu: sb[i] ? key(sb[i]) : "(QEMU's log ended)", same });
}
const result = {
  insns: a.insns, ours: { total: a.list.length, compared: n, irqs: a.list.filter((e) => e.kind === "irq").length },
  qemu: { total: b.list.length, irqs: b.list.filter((e) => e.kind === "irq").length }, agree, rows,
};
if (json) console.log(JSON.stringify(result, null, 1));
else {
  console.log(`first ${a.insns} instructions: ${n} synchronous exceptions and returns between ELs on rpi-os; QEMU -d int logged ${b.list.length} events in ${QEMU_SECONDS} s`);
  for (const r of rows) console.log(`${r.same ? "  same" : "  DIFF"}  ${r.ours}${r.same ? "" : `   | qemu: ${r.qemu}`}`);
  console.log(`interrupts taken (not compared, timing): rpi-os ${result.ours.irqs}, QEMU ${result.qemu.irqs} (its window is longer)`);
  console.log(agree ? "agree" : "DISAGREE");
}
process.exit(agree ? 0 : 1);
