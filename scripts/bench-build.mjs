#!/usr/bin/env node
// Fetches and builds the public programs of `npm run bench` (scripts/bench-engines.mjs) into
// OUTDIR (default $RPI_OS_BENCH_DIR, else ~/.cache/rpi-os/bench), for local checks: nothing it
// builds is committed (the sources are other projects'; only this script and our own start-up,
// C library and CoreMark port in test/guest/public are ours).
//
//   node scripts/bench-build.mjs [OUTDIR] [--embench SRC] [--coremark SRC] [--only SUBSTR] [--jobs N] [--quiet]
//
// SRC is a git checkout or a bare git directory; without one, $RPI_OS_EMBENCH_SRC /
// $RPI_OS_COREMARK_SRC, else a mirror in /work/.mirror, else a clone from GitHub into
// ~/.cache/rpi-os/src. The pinned commits are exported (git archive), so a checkout's work tree
// is never read. Each program is built three ways from the same sources and flags with
// Debian's cross gcc (aarch64-linux-gnu-gcc, package gcc-aarch64-linux-gnu):
//   NAME.rpi.img    freestanding, linked at 0x80000, raw image, semihosting exit (rpi-os)
//   NAME.virt.elf   the same linked at 0x40080000 (qemu-system-aarch64 -M virt -semihosting)
//   NAME.linux      static Linux binary (qemu-aarch64)
// NAME is PROGRAM-OPT-SCALE: OPT is O2 or O3 (integer only, -mgeneral-regs-only), O3fp (-O3
// with Advanced SIMD, for the programs gcc vectorises) or O2mmu (-O2, run with the MMU on);
// SCALE is Embench's CPU_MHZ, or CoreMark's iteration count. Every build is checked by running it once under qemu-aarch64 (status 0 is the
// program's own verification of its result) when qemu-aarch64 is installed. Also the tutorial's
// lesson04.img and lesson05.img (scripts/tutorial-build.mjs, its source options and defaults),
// the delay-loop kernels of the bench's guest-seconds-per-wall-second figure.
import { spawn, spawnSync } from "node:child_process";
import { gitSource, exportCommit } from "./git-source.mjs";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, renameSync } from "node:fs";
import { homedir, tmpdir, cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const support = join(root, "test/guest/public");
const USAGE = "usage: node scripts/bench-build.mjs [OUTDIR] [--embench SRC] [--coremark SRC] [--only SUBSTR] [--jobs N] [--quiet]";

const SOURCES = {
  // dbbfc3f is the last commit whose programs scale with CPU_MHZ (09c2ed8 removed it).
  embench: { url: "https://github.com/embench/embench-iot", commit: "dbbfc3f", env: "RPI_OS_EMBENCH_SRC" },
  coremark: { url: "https://github.com/eembc/coremark", commit: "d5fad6b", env: "RPI_OS_COREMARK_SRC" },
};

// slre and wikisort call C library functions (and wikisort libm) that a freestanding build lacks.
const EMBENCH = ["aha-mont64", "crc32", "depthconv", "edn", "huffbench", "matmult-int", "md5sum", "nettle-aes",
  "nettle-sha256", "nsichneu", "picojpeg", "qrduino", "sglib-combined", "statemate", "tarfind", "ud", "xgboost"];
// The programs gcc -O3 vectorises with Advanced SIMD (BENCHMARKS.md, "Method").
const EMBENCH_FP = ["edn", "md5sum", "nettle-aes", "nettle-sha256", "picojpeg", "ud"];
// O2mmu: the -O2 program, whose start-up code (test/guest/public/start.S, MMU_ON) runs it at EL1
// with the MMU on; its Linux build is the -O2 one.
const OPT_FLAGS = { O2: ["-O2", "-mgeneral-regs-only"], O3: ["-O3", "-mgeneral-regs-only"], O3fp: ["-O3"], O2mmu: ["-O2", "-mgeneral-regs-only", "-DMMU_ON"] };

// Exit status: 2 for a usage error, a missing tool or a bad source; 1 only if nothing built.
function fail(msg) { process.stderr.write(`bench-build: ${msg}\n`); process.exit(2); }

const args = process.argv.slice(2);
const opt = { embench: undefined, coremark: undefined, only: undefined, jobs: Math.max(1, cpus().length), quiet: false, out: undefined };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--help" || a === "-h") { console.log(USAGE); process.exit(0); }
  if (a === "--quiet") { opt.quiet = true; continue; }
  if (["--embench", "--coremark", "--only", "--jobs"].includes(a)) {
    if (i + 1 >= args.length) { process.stderr.write(`bench-build: ${a} needs a value\n${USAGE}\n`); process.exit(2); }
    opt[a.slice(2)] = args[++i];
    continue;
  }
  if (a.startsWith("-")) { process.stderr.write(`bench-build: unknown option ${a}\n${USAGE}\n`); process.exit(2); }
  if (opt.out) { process.stderr.write(`bench-build: one OUTDIR, not two (${opt.out}, ${a})\n${USAGE}\n`); process.exit(2); }
  opt.out = a;
}
opt.jobs = Number(opt.jobs);
if (!Number.isInteger(opt.jobs) || opt.jobs < 1) fail(`--jobs must be a positive integer`);
const OUT = resolve(opt.out ?? process.env.RPI_OS_BENCH_DIR ?? join(homedir(), ".cache/rpi-os/bench"));
const log = (s) => { if (!opt.quiet) console.log(s); };

const GCC = "aarch64-linux-gnu-gcc", OBJCOPY = "aarch64-linux-gnu-objcopy";
for (const tool of [GCC, OBJCOPY]) {
  if (spawnSync(tool, ["--version"]).status !== 0) fail(`${tool} not found (Debian: apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu)`);
}

/** `name`'s pinned commit exported to `dest`, from the option, the environment, the mirror or a clone (git-source.mjs). */
function exportTree(name, dest) {
  const s = SOURCES[name];
  const given = opt[name] !== undefined ? { given: opt[name], what: `--${name}` } : { given: process.env[s.env], what: `$${s.env}` };
  const gitDir = gitSource({ url: s.url, commit: s.commit, ...given, fail, say: (m) => log(`bench-build: ${m}`) });
  mkdirSync(dest, { recursive: true });
  exportCommit(gitDir, s.commit, dest, undefined, fail);
}

const firstError = (err, otherwise) => err.split("\n").find((l) => /error|undefined reference|multiple definition/i.test(l) && !/^collect2/.test(l)) ?? otherwise;

/** Runs a command; resolves to null or to its first error line. */
function run(cmd, argv, cwd) {
  return new Promise((done) => {
    const p = spawn(cmd, argv, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr.on("data", (d) => { err += d; });
    p.on("close", (code) => done(code === 0 ? null : firstError(err, `${cmd} exited ${code}`)));
  });
}

/**
 * The three builds of one program: `sources` (C files), `defines`, include dirs, optimisation.
 * `libcObj`: our libc.c, compiled once at -O2 without SIMD&FP, whatever the programs' flags.
 */
async function buildProgram(tmp, p, libcObj) {
  const base = [...OPT_FLAGS[p.opt], "-fno-pie", "-fno-stack-protector", "-fno-common", "-w", ...p.includes.map((d) => `-I${d}`), ...p.defines.map((d) => `-D${d}`)];
  const dir = join(tmp, p.name);
  mkdirSync(dir, { recursive: true });
  let e;
  const bare = ["-nostdlib", "-nostartfiles", "-static", "-no-pie", "-T", join(support, "link.ld"), "-Wl,--no-warn-rwx-segments", join(support, "start.S"), join(support, "semihost.c"), libcObj, ...p.sources, "-lgcc"];
  for (const [suffix, addr] of [["rpi", "0x80000"], ["virt", "0x40080000"]]) {
    e = await run(GCC, [...base, ...bare, `-Wl,--defsym=BASE=${addr}`, "-o", join(dir, `${suffix}.elf`)]);
    if (e) return e;
  }
  e = await run(OBJCOPY, ["-O", "binary", join(dir, "rpi.elf"), join(dir, "rpi.img")]);
  if (e) return e;
  // glibc links its own string functions for its start-up; ours come first and win for the program.
  e = await run(GCC, [...base, "-static", "-no-pie", "-Wl,--allow-multiple-definition", libcObj, ...p.sources, "-o", join(dir, "linux")]);
  if (e) return e;
  if (haveQemuUser) {
    const r = spawnSync("qemu-aarch64", [join(dir, "linux")], { timeout: 120_000, stdio: "ignore" });
    if (r.status !== 0) return `qemu-aarch64 ${p.name}.linux: exit status ${r.status ?? r.signal} (the program's own check failed)`;
  }
  renameSync(join(dir, "rpi.img"), join(OUT, `${p.name}.rpi.img`));
  renameSync(join(dir, "virt.elf"), join(OUT, `${p.name}.virt.elf`));
  renameSync(join(dir, "linux"), join(OUT, `${p.name}.linux`));
  return null;
}

const haveQemuUser = spawnSync("qemu-aarch64", ["--version"]).status === 0;
const tmp = mkdtempSync(join(tmpdir(), "rpi-os-bench-build-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
mkdirSync(OUT, { recursive: true });

const list = [];
const want = (name) => !opt.only || name.includes(opt.only);
const embenchNames = [];
for (const prog of EMBENCH) {
  for (const [o, scale] of [["O2", 1], ["O2", 10], ["O3", 10], ["O2mmu", 10]]) embenchNames.push([prog, o, scale]);
  if (EMBENCH_FP.includes(prog)) embenchNames.push([prog, "O3fp", 10]);
}
if (embenchNames.some(([p, o, s]) => want(`${p}-${o}-${s}`))) {
  const src = join(tmp, "embench");
  exportTree("embench", src);
  for (const [prog, o, scale] of embenchNames) {
    const name = `${prog}-${o}-${scale}`;
    if (!want(name)) continue;
    const dir = join(src, "src", prog);
    const cfiles = readdirSync(dir).filter((f) => f.endsWith(".c")).sort().map((f) => join(dir, f));
    list.push({
      name, opt: o, includes: [support, join(src, "support"), dir], defines: [`CPU_MHZ=${scale}`, "WARMUP_HEAT=1"],
      sources: [...cfiles, join(src, "support/main.c"), join(src, "support/beebsc.c"), join(src, "support/board.c")],
    });
  }
}
const coremarkNames = [["O2", 10], ["O2", 250], ["O2", 3885], ["O3", 10], ["O3", 250], ["O2mmu", 250], ["O2mmu", 3885]];
if (coremarkNames.some(([o, n]) => want(`coremark-${o}-${n}`))) {
  const src = join(tmp, "coremark");
  exportTree("coremark", src);
  for (const [o, iterations] of coremarkNames) {
    const name = `coremark-${o}-${iterations}`;
    if (!want(name)) continue;
    list.push({
      name, opt: o, includes: [support, src], defines: [`ITERATIONS=${iterations}`, "PERFORMANCE_RUN=1", 'FLAGS_STR=""'],
      sources: ["core_list_join.c", "core_main.c", "core_matrix.c", "core_state.c", "core_util.c"].map((f) => join(src, f)).concat(join(support, "core_portme.c")),
    });
  }
}
const tutorialImages = ["lesson04", "lesson05"].filter((n) => want(`${n}.img`));
if (list.length === 0 && tutorialImages.length === 0) fail(`no program matches --only ${opt.only}`);

log(`bench-build: ${list.length + tutorialImages.length} programs -> ${OUT}${haveQemuUser ? "" : " (qemu-aarch64 not installed: builds not checked)"}`);
let next = 0, built = 0;
const failed = [];
const libcObj = join(tmp, "libc.o");
if (list.length) {
  const e = await run(GCC, ["-c", "-O2", "-mgeneral-regs-only", "-fno-builtin", "-fno-tree-loop-distribute-patterns", "-fno-pie", "-fno-stack-protector", join(support, "libc.c"), "-o", libcObj]);
  if (e) fail(`test/guest/public/libc.c: ${e}`);
}
await Promise.all(Array.from({ length: Math.min(opt.jobs, list.length) }, async () => {
  while (next < list.length) {
    const p = list[next++];
    const e = await buildProgram(tmp, p, libcObj);
    if (e) { failed.push(p.name); log(`  ${p.name.padEnd(24)} failed: ${e}`); } else { built++; log(`  ${p.name.padEnd(24)} built`); }
  }
}));
// The tutorial's lesson-4 and lesson-5 kernels (delay loops between characters), for the bench's
// guest-seconds-per-wall-second figure: scripts/tutorial-build.mjs builds them with their own Makefiles.
if (tutorialImages.length) {
  const tdir = join(tmp, "tutorial");
  const r = spawnSync(process.execPath, [join(root, "scripts/tutorial-build.mjs"), tdir, "--only", "src_lesson0", "--quiet"], { stdio: ["ignore", "ignore", "inherit"] });
  for (const n of tutorialImages) {
    const img = join(tdir, `src_${n}`, "kernel8.img");
    if (r.status === 0 && existsSync(img)) { renameSync(img, join(OUT, `${n}.img`)); built++; log(`  ${n}.img (the tutorial's)     built`); }
    else { failed.push(`${n}.img`); log(`  ${n}.img (the tutorial's)     failed: scripts/tutorial-build.mjs did not build it`); }
  }
}
log(`bench-build: ${built} built, ${failed.length} failed${failed.length ? ` (${failed.join(", ")})` : ""}`);
process.exitCode = built === 0 ? 1 : 0;
