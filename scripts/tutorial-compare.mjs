#!/usr/bin/env node
// Runs already-built Raspberry Pi 3 kernel images on QEMU (-M raspi3b) and on rpi-os with the same
// input for a bounded time, and prints a table of how their serial outputs compare.
//
//   node scripts/tutorial-compare.mjs DIR [--seconds S] [--only SUBSTRING] [--jobs N] [--json OUT] [--rpi-os CLI.js]
//
// DIR holds one subdirectory per image with a kernel8.img (built by you: this script builds
// nothing). How to run each comes from DIR/manifest.json ({ "name": { ... } }), else from
// NAME/run.json, else is guessed:
//   kernelOld  true: image at 0, every core at 0 in EL3 (QEMU: -device loader at 0 for each core;
//              rpi-os: --kernel-old). false: the firmware's boot at 0x80000, EL2 (QEMU: -kernel).
//              Guess: a config.txt in NAME/ with kernel_old=1, else the lowest load address of
//              NAME/kernel8.elf (0 -> true), else true (the tutorial's own config.txt).
//   serial     "mini" (QEMU: -serial null -serial stdio) or "pl011" (-serial stdio -serial null;
//              rpi-os: --serial pl011). Default: mini, and pl011 when QEMU prints nothing on the
//              mini UART (QEMU shows one UART a stream; rpi-os prints both on stdout).
//   input      text typed after `inputDelay` seconds (default "hello\r" after 0.5 s).
//   seconds    how long each runs: wall time on QEMU, virtual time on rpi-os (default --seconds, 3).
// QEMU's timers follow the host clock and it has no ARM timer; rpi-os runs in virtual time, so
// periodic output differs in count: "prefix" and "lines" below say so.
//
// Verdicts: same (byte-identical and not empty), silent both (neither printed anything), prefix (one is a prefix of the other: the same output, cut at a
// different time), lines (the same distinct lines in another order or number: timing), interleaved (the
// same bytes in another order: cores or echoed input interleave differently), differs,
// silent (rpi-os printed nothing while QEMU did). The last column is rpi-os's first stderr line.

import { spawn } from "node:child_process";
import { readFileSync, readdirSync, existsSync, writeFileSync, statSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
let cli = join(root, "dist/tools/cli.js");

function usage(msg) {
  if (msg) process.stderr.write(`tutorial-compare: ${msg}\n`);
  process.stderr.write("usage: node scripts/tutorial-compare.mjs DIR [--seconds S] [--only SUBSTRING] [--jobs N] [--json OUT] [--rpi-os PATH/TO/cli.js]\n");
  process.exit(2);
}

const argv = process.argv.slice(2);
const opts = { seconds: 3, only: undefined, jobs: 2, json: undefined, dir: undefined };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
  if (a === "--seconds") opts.seconds = Number(val());
  else if (a === "--only") opts.only = val();
  else if (a === "--jobs") opts.jobs = Number(val());
  else if (a === "--json") opts.json = val();
  else if (a === "--rpi-os") cli = resolve(val());
  else if (a.startsWith("-")) usage(`unknown option ${a}`);
  else if (!opts.dir) opts.dir = a;
  else usage(`unexpected argument ${a}`);
}
if (!opts.dir) usage("needs DIR");
if (!Number.isFinite(opts.seconds) || opts.seconds <= 0) usage("--seconds expects a positive number");
if (!existsSync(cli)) usage(`${cli} is missing: run npm run build first`);

const manifestFile = join(opts.dir, "manifest.json");
const manifest = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, "utf8")) : {};

/** Lowest PT_LOAD physical address of an ELF64 file, or undefined. */
function elfLowest(file) {
  if (!existsSync(file)) return undefined;
  const b = readFileSync(file);
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2) return undefined;
  const phoff = Number(b.readBigUInt64LE(32)), phentsize = b.readUInt16LE(54), phnum = b.readUInt16LE(56);
  let lo;
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (p + 56 > b.length || b.readUInt32LE(p) !== 1) continue;
    const paddr = Number(b.readBigUInt64LE(p + 24) & 0xffffffffffffn);
    if (lo === undefined || paddr < lo) lo = paddr;
  }
  return lo;
}

function configFor(name) {
  const dir = join(opts.dir, name);
  let cfg = manifest[name] ?? (existsSync(join(dir, "run.json")) ? JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) : {});
  cfg = { ...cfg };
  if (cfg.kernelOld === undefined) {
    const txt = join(dir, "config.txt");
    if (existsSync(txt)) cfg.kernelOld = /^\s*kernel_old\s*=\s*1/m.test(readFileSync(txt, "utf8"));
    else {
      const lo = elfLowest(join(dir, "kernel8.elf"));
      cfg.kernelOld = lo === undefined ? true : lo === 0;
    }
  }
  cfg.serialGuessed = cfg.serial === undefined;
  cfg.serial ??= "mini";
  cfg.input ??= "hello\r";
  cfg.inputDelay ??= 0.5;
  cfg.seconds ??= opts.seconds;
  return cfg;
}

/** Runs a command with `input` typed after `delay` s (then stdin ends if `eof`); kills it after `seconds` s. */
function runProcess(cmd, args, { input, delay, seconds, eof = false }) {
  return new Promise((res) => {
    const start = performance.now();
    const p = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
    const out = [], err = [];
    p.stdout.on("data", (d) => out.push(d));
    p.stderr.on("data", (d) => err.push(d));
    p.stdin.on("error", () => {});
    const typing = setTimeout(() => { p.stdin.write(input); if (eof) p.stdin.end(); }, delay * 1000);
    const timer = setTimeout(() => p.kill("SIGKILL"), seconds * 1000);
    p.on("close", (code, signal) => {
      clearTimeout(typing); clearTimeout(timer);
      res({ out: Buffer.concat(out), err: Buffer.concat(err).toString(), code, signal, wall: (performance.now() - start) / 1000 });
    });
  });
}

function qemuArgs(img, cfg) {
  const a = ["-M", "raspi3b", "-display", "none", "-monitor", "none"];
  if (cfg.kernelOld) {
    // One loader a core: each copies the image to 0 and sets that core's PC to 0.
    for (let c = 0; c < 4; c++) a.push("-device", `loader,file=${img},addr=0x0,force-raw=on,cpu-num=${c}`);
  } else a.push("-kernel", img);
  if (cfg.serial === "pl011") a.push("-serial", "stdio", "-serial", "null");
  else a.push("-serial", "null", "-serial", "stdio");
  return a;
}

function rpiArgs(img, cfg) {
  const a = [cli, "run", img, "--seconds", String(cfg.seconds), "--timeout", String(Math.max(20, cfg.seconds * 10))];
  if (cfg.kernelOld) a.push("--kernel-old");
  if (cfg.serial === "pl011") a.push("--serial", "pl011");
  return a;
}

const normalize = (b) => b.toString("latin1").replace(/\r/g, "").replace(/\0/g, "");
function dropPartialLine(s) { const i = s.lastIndexOf("\n"); return i < 0 ? "" : s.slice(0, i + 1); }

/** A first guess at why outputs differ, from the verdict and what rpi-os said on stderr. */
function cause(verdict, q, r, err) {
  const storm = /took the same exception/.test(err);
  if (verdict === "same") return "";
  if (verdict === "silent both") return storm ? "both silent; rpi-os: storm" : "both silent";
  if (storm && /FP\/SIMD/.test(err)) return "storm: FP/SIMD";
  if (storm && /MMU/.test(err)) return "storm: MMU";
  if (storm && /illegal/.test(err)) return "storm: illegal return";
  if (storm && /needs EL3/.test(err)) return "storm: EL2 vs EL3";
  if (storm) return "storm";
  if (q.length === 0) return "QEMU prints nothing";
  if (/GPIO14 is not in ALT5/.test(err) && r.length === 0) return "mini UART pins not set";
  if (/timeout: /.test(err)) return "slow: wall-time cap";
  if (verdict === "lines" || verdict === "prefix" || verdict === "interleaved") return "timing";
  if (/\bhello\b/.test(q) && !/\bhello\b/.test(r)) return "input not echoed";
  return "?";
}

function compare(q, r) {
  if (q === r) return q.length ? "same" : "silent both";
  if (r.length === 0 && q.length > 0) return "silent";
  const qa = dropPartialLine(q), ra = dropPartialLine(r);
  if (qa.length && ra.length && (qa.startsWith(ra) || ra.startsWith(qa))) return "prefix";
  const lines = (s) => [...new Set(s.split("\n").map((l) => l.trim()).filter(Boolean))].sort().join("\n");
  if (lines(q) === lines(r) && lines(q).length) return "lines";
  // The same bytes in another order: cores printing at once, or typed input echoed at another point.
  const bytes = (s) => [...s].sort().join("");
  if (bytes(q) === bytes(r)) return "interleaved";
  return "differs";
}

async function one(name) {
  const cfg = configFor(name);
  const img = join(opts.dir, name, "kernel8.img");
  let q = await runProcess("qemu-system-aarch64", qemuArgs(img, cfg), { input: cfg.input, delay: cfg.inputDelay, seconds: cfg.seconds });
  if (cfg.serialGuessed && q.out.length === 0) {
    cfg.serial = "pl011";
    q = await runProcess("qemu-system-aarch64", qemuArgs(img, cfg), { input: cfg.input, delay: cfg.inputDelay, seconds: cfg.seconds });
  }
  const [r] = [
    await runProcess(process.execPath, rpiArgs(img, cfg), { input: cfg.input, delay: 0, seconds: Math.max(20, cfg.seconds * 10) + 5, eof: true }),
  ];
  const qo = normalize(q.out), ro = normalize(r.out);
  const errLines = r.err.split("\n").map((l) => l.trim()).filter((l) => l && !/^rpi-os: note: (read of|write to) unimplemented/.test(l));
  const firstErr = errLines.find((l) => /took the same exception|hint:/.test(l)) ?? errLines[0] ?? "";
  const verdict = compare(qo, ro);
  return { name, cfg, verdict, cause: cause(verdict, qo, ro, r.err), qemuBytes: qo.length, rpiBytes: ro.length, rpiExit: r.code, rpiWall: r.wall, stderr: firstErr, qemu: qo, rpi: ro, rpiStderr: r.err };
}

const names = readdirSync(opts.dir).filter((n) => existsSync(join(opts.dir, n, "kernel8.img")) && statSync(join(opts.dir, n)).isDirectory())
  .filter((n) => !opts.only || n.includes(opts.only)).sort();
const results = [];
let next = 0;
async function worker() {
  while (next < names.length) {
    const name = names[next++];
    const res = await one(name);
    results.push(res);
    process.stderr.write(`${res.verdict.padEnd(8)} ${name}\n`);
  }
}
await Promise.all(Array.from({ length: Math.max(1, opts.jobs) }, worker));
results.sort((a, b) => a.name.localeCompare(b.name));

const row = (cols, widths) => cols.map((c, i) => String(c).padEnd(widths[i])).join("  ").trimEnd();
const widths = [Math.max(4, ...results.map((r) => r.name.length)), 10, 5, 7, 7, 7, 4, 6, 22];
const lines = [row(["image", "boot", "uart", "verdict", "qemu B", "rpi B", "exit", "wall s", "cause (guess)"], widths) + "  rpi-os stderr"];
for (const r of results) {
  lines.push(row([r.name, r.cfg.kernelOld ? "kernel_old" : "el2", r.cfg.serial, r.verdict, r.qemuBytes, r.rpiBytes, r.rpiExit ?? "kill",
    r.rpiWall.toFixed(1), r.cause], widths) + "  " + r.stderr.slice(0, 160));
}
const tally = (key) => {
  const counts = {};
  for (const r of results) counts[key(r)] = (counts[key(r)] ?? 0) + 1;
  return Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v} ${k}`).join(", ");
};
lines.push("", `${results.length} images: ${tally((r) => r.verdict)}`);
lines.push(`by cause: ${tally((r) => r.cause || "same")}`);
process.stdout.write(lines.join("\n") + "\n");
if (opts.json) writeFileSync(opts.json, JSON.stringify(results, null, 1));
