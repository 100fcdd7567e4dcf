// The engine comparison of `npm run bench`: public programs that nobody here wrote, run by every
// engine as a fresh process (wall and CPU time from process start to exit, peak RSS), in
// interleaved rounds; medians and spread. See BENCHMARKS.md ("Method").
//
// The programs are not in this repository (workplace rule: third-party code and binaries built from
// it are not committed); scripts/bench-build.mjs fetches and builds them into RPI_OS_BENCH_DIR
// (default ~/.cache/rpi-os/bench), where they are read from: one program in three builds of the
// same sources and flags:
//   NAME.rpi.img    freestanding, linked at 0x80000, exits through semihosting (rpi-os)
//   NAME.virt.elf   the same, linked at 0x40080000 (qemu-system-aarch64 -M virt -semihosting)
//   NAME.linux      a static Linux binary (qemu-aarch64)
// NAME is PROGRAM-OPT-SCALE (e.g. crc32-O2-10: Embench-IoT's crc32 at -O2 with CPU_MHZ=10).
// Every engine must exit with status 0 (Embench's own verification of its result).
import { existsSync, readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { cliCommand, launcherNodeOptions } from "./cli-command.mjs";

export const BENCH_DIR = process.env.RPI_OS_BENCH_DIR ?? join(homedir(), ".cache/rpi-os/bench");

/**
 * The environment Node engines run in. NODE_EXTRA_CA_CERTS makes every Node process parse that
 * file's certificates before it runs any code (the sandbox this was written in points it at the
 * system's 220 KB bundle: 40-60 ms of every start, `node -e 0` 60-90 ms instead of 20-30); it is
 * removed for the rpi-os runs, since it is nothing a user of the emulator has, unless
 * RPI_OS_BENCH_KEEP_ENV=1. The bench says which it did.
 */
export const nodeEnvNote = process.env.NODE_EXTRA_CA_CERTS && process.env.RPI_OS_BENCH_KEEP_ENV !== "1"
  ? `NODE_EXTRA_CA_CERTS (${process.env.NODE_EXTRA_CA_CERTS}) removed from the rpi-os runs' environment (RPI_OS_BENCH_KEEP_ENV=1 keeps it)`
  : process.env.NODE_EXTRA_CA_CERTS ? `NODE_EXTRA_CA_CERTS kept (${process.env.NODE_EXTRA_CA_CERTS}): every Node start parses it` : "";
export function nodeEnv() {
  const env = { ...process.env };
  if (process.env.RPI_OS_BENCH_KEEP_ENV !== "1") delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** The rpi-os entry the bench spawns. */
export function benchCli(root) {
  return process.env.RPI_OS_BENCH_CLI ? resolve(root, process.env.RPI_OS_BENCH_CLI) : join(root, "dist/rpi-os.cjs");
}

/** argv of rpi-os `args` as the bench runs it: node, the launcher's node options, the entry, `args`. */
export function benchArgv(root, ...args) {
  return [...cliCommand(benchCli(root)), ...args];
}

export function engines(root) {
  // The installed command (package.json "bin": tools/launch.cjs, with the V8 code cache);
  // RPI_OS_BENCH_CLI names another entry, e.g. dist/tools/cli.js, to compare.
  return [
    { name: "rpi-os", file: (n) => `${n}.rpi.img`, env: nodeEnv(), argv: (f) => benchArgv(root, "run", f, "--semihosting", "--cores", "1") },
    { name: "rpi-os --no-jit", file: (n) => `${n}.rpi.img`, env: nodeEnv(), argv: (f) => benchArgv(root, "run", f, "--semihosting", "--cores", "1", "--no-jit") },
    { name: "qemu-aarch64", file: (n) => `${n}.linux`, argv: (f) => ["qemu-aarch64", f], tool: "qemu-aarch64" },
    { name: "qemu-system virt", file: (n) => `${n}.virt.elf`, tool: "qemu-system-aarch64",
      argv: (f) => ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a53", "-display", "none", "-monitor", "none", "-serial", "none", "-semihosting", "-kernel", f] },
  ];
}

const have = (tool) => spawnSync(tool, ["--version"]).status === 0;
const haveGnuTime = () => existsSync("/usr/bin/time") && spawnSync("/usr/bin/time", ["-f", "%e", "true"]).status === 0;

/** The programs present in BENCH_DIR: names with all three builds. */
export function programs(filter) {
  if (!existsSync(BENCH_DIR)) return [];
  const files = new Set(readdirSync(BENCH_DIR));
  return [...files].filter((f) => f.endsWith(".rpi.img")).map((f) => f.slice(0, -8))
    .filter((n) => files.has(`${n}.virt.elf`) && files.has(`${n}.linux`))
    .filter((n) => !filter || filter(n)).sort();
}

/** One fresh process: wall ms measured here (spawn to exit), CPU ms and peak RSS from GNU time. */
function runOnce(argv, timeoutS, gnuTime, env = process.env) {
  const cmd = gnuTime ? ["/usr/bin/time", "-f", "@@time %U %S %M", ...argv] : argv;
  const t0 = performance.now();
  // stdin is /dev/null for every engine: none of the programs reads input (rpi-os reads a pipe
  // through a worker thread, a second Node start, which a benchmark should not pay for).
  const p = spawnSync(cmd[0], cmd.slice(1), { encoding: "utf8", timeout: timeoutS * 1000, maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "pipe"], env });
  const wallMs = performance.now() - t0;
  const m = /@@time (\S+) (\S+) (\d+)/.exec(p.stderr ?? "");
  return {
    ok: p.status === 0, status: p.status ?? (p.signal ? `signal ${p.signal}` : "?"), wallMs,
    cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : null, rssMb: m ? Number(m[3]) / 1024 : null,
  };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const k = s.length >> 1; return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2; };

/**
 * Node's own start and exit with the launcher's node options (`node --v8-pool-size=0 -e 0`): the
 * least any engine started by Node can take. A run of qemu-aarch64 shorter than this cannot be
 * matched by rpi-os, whatever its compiled code does.
 */
export function nodeFloorArgv(root) {
  return [process.execPath, ...launcherNodeOptions(benchCli(root)), "-e", "0"];
}

/**
 * Interleaved rounds: in each round every program runs on every engine once, the engine order
 * rotating from round to round, so slow drifts of the machine's load hit every engine alike.
 * Each round also times Node's floor (nodeFloorArgv) FLOOR_RUNS times.
 */
const FLOOR_RUNS = 5;
export function compareEngines(root, { names, rounds, timeoutS = 300, log = () => {}, only } = {}) {
  const gnuTime = haveGnuTime();
  const list = engines(root).filter((e) => (!e.tool || have(e.tool)) && (!only || only.includes(e.name)));
  const samples = new Map(); // `${name}\t${engine}` -> results
  const floor = [];
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < FLOOR_RUNS; i++) floor.push(runOnce(nodeFloorArgv(root), timeoutS, false, nodeEnv()).wallMs);
    for (const n of names) {
      for (let k = 0; k < list.length; k++) {
        const e = list[(k + r) % list.length];
        const res = runOnce(e.argv(join(BENCH_DIR, e.file(n))), timeoutS, gnuTime, e.env);
        const key = `${n}\t${e.name}`;
        if (!samples.has(key)) samples.set(key, []);
        samples.get(key).push(res);
        if (!res.ok) log(`  ${n} on ${e.name}: exit status ${res.status} (round ${r + 1})`);
      }
    }
    log(`  round ${r + 1}/${rounds} done`);
  }
  const rows = [];
  for (const n of names) {
    const row = { name: n, engines: {} };
    for (const e of list) {
      const s = samples.get(`${n}\t${e.name}`);
      const ok = s.every((x) => x.ok);
      const wall = s.map((x) => x.wallMs);
      row.engines[e.name] = {
        ok, wallMs: median(wall), wallMin: Math.min(...wall), wallMax: Math.max(...wall),
        cpuMs: s[0].cpuMs === null ? null : median(s.map((x) => x.cpuMs)),
        rssMb: s[0].rssMb === null ? null : Math.max(...s.map((x) => x.rssMb)),
      };
    }
    rows.push(row);
  }
  const nodeFloor = floor.length ? { argv: nodeFloorArgv(root).slice(1).join(" "), wallMs: median(floor), wallMin: Math.min(...floor), wallMax: Math.max(...floor), runs: floor.length } : null;
  return { engines: list.map((e) => e.name), rows, gnuTime, nodeFloor };
}

/** Geometric mean of the per-program wall-time ratios a/b (> 1: a is slower). */
export function geomeanRatio(rows, a, b) {
  const rs = rows.map((r) => r.engines[a]?.wallMs / r.engines[b]?.wallMs).filter((x) => Number.isFinite(x) && x > 0);
  return rs.length ? Math.exp(rs.reduce((s, x) => s + Math.log(x), 0) / rs.length) : null;
}
