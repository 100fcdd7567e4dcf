// npm run bench [-- --json] [--reps N] [--rounds N] [--programs A,B] [--quick] [--engines-only]:
// speed and memory figures, each measured in this run.
// First the engine comparison on public programs (scripts/bench-engines.mjs: fresh processes, wall
// time from process start to exit, interleaved rounds); then the project's own micro-figures, which
// run inside this (warm) Node process and are labelled so.
import { readFileSync, existsSync, writeFileSync, unlinkSync } from "node:fs";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpus, tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { Machine, boot, DEFAULT_BOOT } from "../dist/host/index.js";
import { assemble } from "../dist/tools/asm/assembler.js";
import { bootKernel } from "../dist/kernel/index.js";
import { BENCH_DIR, programs, compareEngines, geomeanRatio, nodeEnvNote, nodeEnv, benchCli, benchArgv } from "./bench-engines.mjs";
import { launcherNodeOptions } from "./cli-command.mjs";

const USAGE = "usage: npm run bench [-- --json] [--reps N] [--rounds N] [--programs A,B] [--quick] [--engines-only] [--no-linux]";
{
  // An unknown or misspelt flag would otherwise run the whole bench (several minutes) without it.
  const flags = new Set(["--json", "--quick", "--engines-only", "--no-linux"]), valued = new Set(["--reps", "--rounds", "--programs"]);
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--help" || argv[i] === "-h") { console.log(USAGE); process.exit(0); }
    if (valued.has(argv[i]) && i + 1 < argv.length) { i++; continue; }
    if (!flags.has(argv[i])) { console.error(`bench: ${valued.has(argv[i]) ? `${argv[i]} needs a value` : `unknown option ${argv[i]}`}\n${USAGE}`); process.exit(2); }
  }
}
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const json = process.argv.includes("--json");
const repsArg = process.argv.indexOf("--reps");
const REPS = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 5;
const log = (s) => { if (!json) console.log(s); };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const WORKLOADS = ["crc32", "matmul", "sieve", "memcpy", "calls"];
const argValue = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const ROUNDS = Number(argValue("--rounds") ?? 3);
const QUICK = process.argv.includes("--quick");
const ENGINES_ONLY = process.argv.includes("--engines-only");
const PROGRAM_FILTER = argValue("--programs")?.split(",");

// `mmu`: the workload turns on an identity map of 4 KiB pages first (test/guest/bench/baremetal.c).
async function emulatorRun(image, which, jit = true, mmu = false) {
  const m = await Machine.create({ semihosting: true, ramSize: 0x1000000, jit });
  m.load(image, 0x80000);
  m.start(0, 0x80000, 1);
  m.cores[0].setX(0, which | (mmu ? 0x100 : 0));
  const t0 = performance.now();
  const r = m.run({ maxInsns: 5e9 });
  const ms = performance.now() - t0;
  if (r.reason !== "exit") throw new Error(`workload ${which} did not exit: ${r.reason}`);
  return { insns: r.insns, ms, code: r.exitCode, jit: m.jitStats };
}

function qemuAvailable() {
  return spawnSync("qemu-aarch64", ["--version"]).status === 0;
}

function qemuRun(which) {
  const t0 = performance.now();
  const out = execFileSync("qemu-aarch64", [join(root, "test/guest/bench/bench-linux"), String(which)]).toString().trim();
  return { ms: performance.now() - t0, checksum: BigInt(out) };
}

// The softmmu peer: qemu-system-aarch64 -M raspi3b (the same memory map) runs bench.img with the
// MMU on, as `emulatorRun(..., mmu = true)` does. Its cores start at 0 in EL3: this stub (our
// own; GNU as of: core 0 sets SCR_EL3 = 0x431, HCR_EL2.RW, SCTLR_EL1 = 0x30d00800, erets to
// EL1h at 0x80000 with x0 = the word at 0x48; cores 1-3 wfe) stands in for the firmware.
const QEMU_STUB = [0xd53800a0, 0x92400400, 0xb50001a0, 0xd2808620, 0xd51e1100, 0xd2b00000, 0xd51c1100, 0x580001a0,
  0xd5181000, 0xd28078a0, 0xd51e4000, 0x58000160, 0xd51e4020, 0x580000a0, 0xd69f03e0, 0xd503205f, 0x17ffffff,
  0xd503201f, 0x00000100, 0x00000000, 0x30d00800, 0x00000000, 0x00080000, 0x00000000];

function qemuSystemRun(which) {
  const stub = Uint32Array.from(QEMU_STUB);
  stub[18] = which | 0x100;
  const file = join(tmpdir(), `rpi-os-bench-stub-${process.pid}.bin`);
  writeFileSync(file, new Uint8Array(stub.buffer));
  const t0 = performance.now();
  const p = spawnSync("qemu-system-aarch64", ["-M", "raspi3b", "-display", "none", "-monitor", "none", "-serial", "null", "-semihosting",
    "-device", `loader,file=${file},addr=0x0,force-raw=on`, "-device", `loader,file=${join(root, "test/guest/bench/bench.img")},addr=0x80000,force-raw=on`], { timeout: 60_000 });
  const ms = performance.now() - t0;
  unlinkSync(file);
  return { ms, code: p.status };
}

async function cpuFigures() {
  const image = new Uint8Array(readFileSync(join(root, "test/guest/bench/bench.img")));
  const haveQemu = qemuAvailable();
  const rows = [];
  for (let w = 0; w < WORKLOADS.length; w++) {
    const ours = [], interp = [];
    let insns = 0, jit, code;
    for (let r = 0; r < REPS; r++) { const x = await emulatorRun(image, w); ours.push(x.ms); insns = x.insns; jit = x.jit; code = x.code; }
    // The interpreter alone (jit: false): same instructions, same result.
    for (let r = 0; r < REPS; r++) {
      const x = await emulatorRun(image, w, false);
      if (x.insns !== insns || x.code !== code) throw new Error(`workload ${w}: interpreter and compiled code disagree`);
      interp.push(x.ms);
    }
    // With the MMU on: every access through the TLB (compiled code probes it inline).
    const mmuOurs = [], mmuInterp = [];
    for (let r = 0; r < REPS; r++) {
      const x = await emulatorRun(image, w, true, true), y = await emulatorRun(image, w, false, true);
      if (x.insns !== y.insns || x.code !== code || y.code !== code) throw new Error(`workload ${w} with the MMU on: results differ`);
      mmuOurs.push(x.insns / x.ms / 1000); mmuInterp.push(y.insns / y.ms / 1000);
    }
    let qemuSystemMs = null;
    if (spawnSync("qemu-system-aarch64", ["--version"]).status === 0) {
      const q = [];
      for (let r = 0; r < REPS; r++) {
        const x = qemuSystemRun(w);
        if (x.code !== code) throw new Error(`workload ${w} under qemu-system-aarch64: exit ${x.code}, not ${code}`);
        q.push(x.ms);
      }
      qemuSystemMs = median(q);
    }
    let qemuMs = null;
    if (haveQemu) {
      qemuRun(w); // warm the page cache
      const q = [];
      for (let r = 0; r < REPS; r++) q.push(qemuRun(w).ms);
      qemuMs = median(q);
    }
    const ms = median(ours), interpMs = median(interp);
    rows.push({
      name: WORKLOADS[w], insns, ms, mips: insns / ms / 1000, interpreterMips: insns / interpMs / 1000,
      compiledFraction: jit.retired / insns, regions: jit.regions, compileMs: jit.compileMs,
      qemuMs, qemuMips: qemuMs ? insns / qemuMs / 1000 : null,
      mmuMips: median(mmuOurs), mmuInterpreterMips: median(mmuInterp),
      qemuSystemMips: qemuSystemMs ? insns / qemuSystemMs / 1000 : null,
    });
  }
  const totalInsns = rows.reduce((a, r) => a + r.insns, 0);
  const emulator = totalInsns / rows.reduce((a, r) => a + r.ms, 0) / 1000;
  const interpreter = totalInsns / rows.reduce((a, r) => a + r.insns / r.interpreterMips / 1000, 0) / 1000;
  const qemu = haveQemu ? totalInsns / rows.reduce((a, r) => a + r.qemuMs, 0) / 1000 : null;
  return { rows, emulator, interpreter, qemu, ratio: qemu ? emulator / qemu : null };
}

async function ticksPerSecond() {
  const image = new Uint8Array(readFileSync(join(root, "test/guest/kernels/timer.img")));
  const res = [];
  for (let r = 0; r < REPS; r++) {
    const m = await Machine.create();
    boot(m, image, { ...DEFAULT_BOOT, kernelOld: true });
    const t0 = performance.now();
    const run = m.run({ ticks: 5000 });
    const ms = performance.now() - t0;
    if (run.reason !== "ticks") throw new Error(`timer kernel stopped: ${run.reason}`);
    res.push(5000 / (ms / 1000));
  }
  return median(res);
}

async function tsKernelTicksPerSecond() {
  const res = [];
  // Two runs more than measured: the kernel's TypeScript runs in V8's interpreter in the first and
  // gets optimized during the second (36-41 K and 65-75 K ticks a second, against 118-133 K after),
  // which made a median of five swing between 91 K and 120 K from one sitting to the next.
  for (let r = 0; r < REPS + 2; r++) {
    const k = await bootKernel({ stopWhen: (m) => (m.ticks >= 2000 ? "ticks" : undefined) });
    const t0 = performance.now();
    k.run();
    if (r >= 2) res.push(2000 / ((performance.now() - t0) / 1000));
  }
  return median(res);
}

function firstTickMs() {
  const res = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    const p = spawnRpiOs(["kernel", "--virtual", "--ticks", "1"], { encoding: "utf8" });
    const ms = performance.now() - t0;
    if (!p.stdout.includes("Timer interrupt received")) throw new Error("no tick from the TypeScript kernel: " + p.stderr);
    res.push(ms);
  }
  return median(res);
}

async function bridge() {
  const N = 200000;
  const text = `
_start:
    ldr x19, =${N}
1:  bl host_nop
    subs x19, x19, #1
    b.ne 1b
    mov x0, #0x18
    adr x1, blk
    hlt #0xf000
    .align 3
blk: .quad 0x20026, 0
`;
  const asm = assemble([{ name: "bridge.S", text }], { base: 0x80000, hostSymbols: ["host_nop"] });
  const res = [];
  // One run more than measured: the first warms V8 up (the run loop, the compiled region).
  for (let r = 0; r <= REPS; r++) {
    const m = await Machine.create({ semihosting: true });
    m.load(asm.image, 0x80000);
    m.start(0, 0x80000, 1);
    let calls = 0;
    m.bindHost(asm.hostCalls.get("host_nop"), () => { calls++; });
    const t0 = performance.now();
    m.run();
    if (calls !== N) throw new Error(`bridge: ${calls} calls`);
    if (r > 0) res.push(((performance.now() - t0) * 1e6) / N);
  }
  return median(res);
}

async function hostAccessesPerSecond() {
  const k = await bootKernel({});
  const N = 200000;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) k.board.read32(0x3f003004 + (i & 4)); // CLO/CHI alternate: not an idle poll
  return N / ((performance.now() - t0) / 1000);
}

function peakRssMb() {
  const code = `
    const { Machine, boot, DEFAULT_BOOT } = await import(${JSON.stringify(join(root, "dist/host/index.js"))});
    const fs = await import("node:fs");
    const m = await Machine.create({ ramSize: 0x40000000 - 0x1000000 });
    boot(m, new Uint8Array(fs.readFileSync(${JSON.stringify(join(root, "test/guest/kernels/timer.img"))})), { ...DEFAULT_BOOT, kernelOld: true });
    m.run({ ticks: 1000 });
    console.log(process.resourceUsage().maxRSS);`;
  const p = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" });
  if (p.status !== 0) throw new Error(p.stderr);
  return Number(p.stdout.trim()) / 1024;
}

const fmtMs = (x) => (x === null || x === undefined ? "n/a" : x >= 10000 ? (x / 1000).toFixed(1) + "s" : x.toFixed(0));

function engineFigures() {
  // Default set: every program at -O2 with Embench's scale 1 and 10 (the two lengths give the fixed
  // cost), at -O3 with scale 10, and the FP/SIMD builds. --quick: -O2 scale 1 only, one round.
  // "-O3fp-10": -O3 without -mgeneral-regs-only, so gcc vectorises with Advanced SIMD (the FP/SIMD rows).
  // Longer runs (a scale above 10, e.g. CoreMark's iteration counts: coremark-O2-3885) are listed
  // too, with a geometric mean of their own: there the speed of compiled code shows, not start-up.
  // "-O2mmu-": the -O2 programs run at EL1 with the MMU on (an identity map, set up by their
  // start-up code), against qemu-system virt running the same image with its MMU on: every access
  // through both engines' TLBs. Their long runs have a geometric mean of their own.
  const wanted = QUICK ? ["-O2-1"] : ["-O2-1", "-O2-10", "-O3-10", "-O3fp-10", "-O2mmu-10"];
  const mmu = (n) => n.includes("-O2mmu-");
  const longRun = (n) => !QUICK && Number(/-(\d+)$/.exec(n)?.[1] ?? 0) > 10;
  const long = (n) => longRun(n) && !mmu(n), longMmu = (n) => longRun(n) && mmu(n);
  const names = programs((n) => (wanted.some((w) => n.endsWith(w)) || longRun(n)) && (!PROGRAM_FILTER || PROGRAM_FILTER.some((p) => n.startsWith(p))));
  if (names.length === 0) {
    log(`public programs: none found in ${BENCH_DIR} (node scripts/bench-build.mjs builds them; BENCHMARKS.md, "Method"); engine comparison skipped\n`);
    return null;
  }
  const rounds = QUICK ? 1 : ROUNDS;
  log(`public programs (Embench-IoT, gcc 12), each engine a fresh process, ${rounds} interleaved rounds, wall time from process start to exit:`);
  if (nodeEnvNote) log(`  (${nodeEnvNote})`);
  const opts = launcherNodeOptions(benchCli(root));
  log(`  (rpi-os is ${opts.length ? `node ${opts.join(" ")} ` : ""}${benchCli(root).slice(root.length + 1)}; JavaScript code cache: ${codeCacheNote()})`);
  const res = compareEngines(root, { names, rounds, log });
  const e = res.engines;
  log(`  ${"program".padEnd(24)}${e.map((x) => x.padStart(18)).join("")}   rpi-os/qemu-aarch64  rpi-os RSS`);
  for (const r of res.rows) {
    const cells = e.map((x) => {
      const v = r.engines[x];
      return `${v.ok ? "" : "FAIL "}${fmtMs(v.wallMs)} (${fmtMs(v.wallMin)}-${fmtMs(v.wallMax)})`.padStart(18);
    });
    const q = r.engines["qemu-aarch64"], o = r.engines["rpi-os"];
    const ratio = q && o ? (o.wallMs / q.wallMs).toFixed(2) + "x slower" : "";
    log(`  ${r.name.padEnd(24)}${cells.join("")}   ${ratio.padStart(18)}  ${o?.rssMb ? o.rssMb.toFixed(0) + " MB" : ""}`);
  }
  log("  (ms: median (min-max) over the rounds)");
  const summary = {};
  // A set: the runs whose name ends with a suffix of `wanted`, or one of the two groups of long runs.
  const groups = { long: ["long runs (scale > 10)", long], longMmu: ["long runs with the MMU on", longMmu] };
  for (const suffix of [...wanted, "long", "longMmu"]) {
    const rows = res.rows.filter((r) => (groups[suffix] ? groups[suffix][1](r.name) : r.name.endsWith(suffix)));
    if (rows.length === 0) continue;
    summary[suffix] = {
      rpiOverQemuUser: geomeanRatio(rows, "rpi-os", "qemu-aarch64"),
      rpiOverQemuVirt: geomeanRatio(rows, "rpi-os", "qemu-system virt"),
      interpreterOverQemuUser: geomeanRatio(rows, "rpi-os --no-jit", "qemu-aarch64"),
    };
    const g = summary[suffix];
    const f = (x) => (x === null ? "n/a" : x.toFixed(2));
    log(`  ${groups[suffix]?.[0] ?? suffix.slice(1)}: geometric mean of wall-time ratios: rpi-os / qemu-aarch64 = ${f(g.rpiOverQemuUser)}, rpi-os / qemu-system virt = ${f(g.rpiOverQemuVirt)}, rpi-os --no-jit / qemu-aarch64 = ${f(g.interpreterOverQemuUser)} (> 1: rpi-os slower)`);
  }
  // Fixed cost: t = fixed + k * scale, fitted from scale 1 and scale 10 of the same program.
  const fixed = {};
  for (const x of e) {
    const fs = [];
    for (const r1 of res.rows.filter((r) => r.name.endsWith("-O2-1"))) {
      const r10 = res.rows.find((r) => r.name === r1.name.replace(/-1$/, "-10"));
      if (r10) fs.push((10 * r1.engines[x].wallMs - r10.engines[x].wallMs) / 9);
    }
    if (fs.length) fixed[x] = median(fs);
  }
  if (Object.keys(fixed).length) log(`  fixed cost per run (fitted from scale 1 and 10, median over programs): ${Object.entries(fixed).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(", ")}`);
  let belowFloor = null;
  if (res.nodeFloor) {
    const f = res.nodeFloor;
    const q = res.rows.filter((r) => r.engines["qemu-aarch64"]?.ok);
    belowFloor = q.filter((r) => r.engines["qemu-aarch64"].wallMs < f.wallMs).length;
    log(`  Node's own start (node ${f.argv}, ${f.runs} runs across the rounds): median ${f.wallMs.toFixed(0)} ms (${f.wallMin.toFixed(0)}-${f.wallMax.toFixed(0)}); qemu-aarch64 ran ${belowFloor} of its ${q.length} runs in less: no engine started by Node can finish those first`);
  }
  const warmup = warmupFigures(res.rows.map((r) => r.name).filter((n) => n.endsWith(QUICK ? "-O2-1" : "-O2-10")));
  log("");
  return { ...res, summary, fixedCostMs: fixed, warmup, qemuRunsBelowNodeFloor: belowFloor };
}

/**
 * Runs rpi-os `args` as the bench runs it: benchArgv (the launcher's node options included), and
 * the environment of the engines' runs (nodeEnv). The lesson kernels and the first tick had
 * NODE_EXTRA_CA_CERTS until the twelfth session: some 35 ms of every such start in this sandbox.
 */
function spawnRpiOs(args, opts) {
  const [node, ...argv] = benchArgv(root, ...args);
  return spawnSync(node, argv, { env: nodeEnv(), ...opts });
}

/** What `run --stats-time` says of the code cache for the entry the bench spawns. */
function codeCacheNote() {
  const p = spawnRpiOs(["run", join(root, "test/guest/bench/bench.img"), "--semihosting", "--cores", "1", "--stats", "--stats-time"],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: nodeEnv() });
  return /JavaScript code cache: (.*)/.exec(p.stderr)?.[1] ?? "unknown";
}

// Warm-up: when the first compiled code is installed, from process start (`run --stats
// --stats-time`, one more fresh process a program), and after how many guest instructions.
function warmupFigures(names) {
  const ms = [], insns = [];
  for (const n of names) {
    const p = spawnRpiOs(["run", join(BENCH_DIR, `${n}.rpi.img`), "--semihosting", "--cores", "1", "--stats", "--stats-time"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: nodeEnv() });
    const t = /first compiled code was installed ([\d.]+) ms/.exec(p.stderr), k = /first installed after (\d+) instructions/.exec(p.stderr);
    if (t && k) { ms.push(Number(t[1])); insns.push(Number(k[1])); }
  }
  if (!ms.length) return null;
  log(`  warm-up (the first compiled code installed, ms after process start; ${ms.length} programs): median ${median(ms).toFixed(0)} (${Math.min(...ms).toFixed(0)}-${Math.max(...ms).toFixed(0)}), after a median of ${median(insns)} guest instructions`);
  return { medianMs: median(ms), minMs: Math.min(...ms), maxMs: Math.max(...ms), medianInsns: median(insns) };
}

// Kernels that spend their time in delay loops between characters (the tutorial's lessons 4 and 5):
// guest seconds per wall second, fresh process, process start included. Ours is committed; the
// tutorial's own lesson04/lesson05 images are used when present in BENCH_DIR (kernel_old images).
function delayKernelFigures() {
  const GUEST_S = 4;
  const kernels = [["delay.img (ours, test/guest/kernels)", join(root, "test/guest/kernels/delay.img")]];
  for (const n of ["lesson04.img", "lesson05.img"]) if (existsSync(join(BENCH_DIR, n))) kernels.push([`${n} (the tutorial's, ${BENCH_DIR})`, join(BENCH_DIR, n)]);
  const rows = [];
  for (const [label, file] of kernels) {
    const res = [];
    for (let r = 0; r < Math.min(REPS, 3); r++) {
      const t0 = performance.now();
      const p = spawnRpiOs(["run", file, "--kernel-old", "--seconds", String(GUEST_S)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      const ms = performance.now() - t0;
      if (p.status !== 0) throw new Error(`${label}: exit status ${p.status}: ${p.stderr}`);
      res.push(GUEST_S / (ms / 1000));
    }
    rows.push({ label, guestSecondsPerWallSecond: median(res) });
    log(`  ${label}: ${median(res).toFixed(1)} guest seconds per wall second (${GUEST_S} s of guest time, fresh process, median of ${res.length})`);
  }
  return rows;
}

const machine = `${cpus()[0]?.model ?? "unknown CPU"} x${cpus().length}, Node ${process.version}`;
log(`rpi-os benchmark on ${machine}\n`);
const engineCmp = engineFigures();
if (ENGINES_ONLY) {
  if (json) console.log(JSON.stringify({ machine, engines: engineCmp }));
  process.exit(0);
}
log("lesson-4/5-style kernels (delay loops between characters, timer interrupts):");
const delayKernels = delayKernelFigures();
log("");
log(`our own code, in this warm Node process (${REPS} repetitions, medians; not a cold-start comparison):\n`);
const cpu = await cpuFigures();
log("guest CPU work (gcc -O2, our own test/guest/bench/work.c; emulator timed in-process, qemu-aarch64 as a fresh process):");
log("  workload   instructions   emulator ms   MIPS  compiled  regions  compile ms  interpreter MIPS  qemu-aarch64 ms  qemu MIPS");
for (const r of cpu.rows) {
  log(`  ${r.name.padEnd(9)} ${String(r.insns).padStart(13)} ${r.ms.toFixed(1).padStart(12)} ${r.mips.toFixed(1).padStart(7)} ${(100 * r.compiledFraction).toFixed(1).padStart(8)}% ${String(r.regions).padStart(8)} ${r.compileMs.toFixed(1).padStart(11)} ${r.interpreterMips.toFixed(1).padStart(17)} ${r.qemuMs === null ? "             n/a" : r.qemuMs.toFixed(1).padStart(16)} ${r.qemuMips === null ? "" : r.qemuMips.toFixed(0).padStart(10)}`);
}
log("  with the MMU on (identity map of 4 KiB pages):  " + cpu.rows.map((r) => `${r.name} ${r.mmuMips.toFixed(1)} MIPS (interpreter ${r.mmuInterpreterMips.toFixed(1)}${r.qemuSystemMips ? `, qemu-system-aarch64 -M raspi3b ${r.qemuSystemMips.toFixed(0)}` : ""})`).join(", "));
log(`  overall: emulator ${cpu.emulator.toFixed(1)} MIPS (interpreter alone ${cpu.interpreter.toFixed(1)}), qemu-aarch64 ${cpu.qemu ? cpu.qemu.toFixed(0) + " MIPS" : "not installed"}, ratio ${cpu.ratio ? cpu.ratio.toFixed(3) : "n/a"}`);
log("  (qemu MIPS = the emulator's instruction count of the same workload / qemu-aarch64's wall time, process start included)\n");
const tps = await ticksPerSecond();
log(`lesson-3-style gcc kernel: ${tps.toFixed(0)} ticks per wall-clock second in virtual time (board: 5)`);
const tsTps = await tsKernelTicksPerSecond();
log(`TypeScript lesson-3 kernel: ${tsTps.toFixed(0)} ticks per wall-clock second in virtual time`);
const first = firstTickMs();
log(`first "Timer interrupt received" of the TypeScript kernel: ${first.toFixed(0)} ms from process start`);
const rt = await bridge();
log(`guest -> TypeScript -> guest round trip: ${rt.toFixed(0)} ns`);
const hw = await hostAccessesPerSecond();
log(`hardware accesses from TypeScript: ${(hw / 1e6).toFixed(2)} million per second`);
const rss = peakRssMb();
log(`peak RSS, lesson-3 kernel with 1 GiB of guest RAM configured: ${rss.toFixed(0)} MB`);
// Debian's kernel to our /init, rpi-os beside QEMU (scripts/linux-boot-time.mjs); skipped with --no-linux
// or when `npm run fetch-linux` has not cached the kernel.
const linuxBoot = process.argv.includes("--no-linux") ? null : await (await import("./linux-boot-time.mjs")).linuxBootTimes(1);
if (linuxBoot) {
  const s = (ms) => (ms === null ? "did not get there" : `${(ms / 1000).toFixed(1)} s`);
  log(`real Linux (${linuxBoot.kernel}) to /init, wall time from process start: rpi-os ${s(linuxBoot.oursMs)}, qemu-system-aarch64 -M raspi3b ${s(linuxBoot.qemuMs)}`);
}
if (json) {
  console.log(JSON.stringify({
    linuxBoot,
    machine,
    engines: engineCmp,
    delayKernels,
    mips: { emulator: cpu.emulator, interpreter: cpu.interpreter, qemu: cpu.qemu, ratio: cpu.ratio },
    workloads: cpu.rows,
    ticksPerSecond: tps, tsKernelTicksPerSecond: tsTps, firstTickMs: first, bridgeRoundTripNs: rt,
    hostAccessesPerSecond: hw, peakRssMb: rss,
  }));
}
