#!/usr/bin/env node
// Fetches and builds the raspberry-pi-os tutorial's lessons and its learners' exercise solutions
// (s-matyukevich/raspberry-pi-os, pinned below) into a directory of images for
// scripts/tutorial-compare.mjs.
//
//   node scripts/tutorial-build.mjs OUTDIR [--src GITDIR_OR_CHECKOUT] [--only SUBSTRING] [--jobs N] [--quiet]
//
// The tutorial's sources and the images built from them are third-party code: they are never
// committed here. This script only fetches and builds them, for local checks.
//
// Source: --src, else $RPI_OS_TUTORIAL_SRC, else /work/.mirror/s-matyukevich+raspberry-pi-os/repo
// if present, else a clone in ~/.cache/rpi-os/src/s-matyukevich+raspberry-pi-os (made on first use). Either a git directory or a
// checkout: it is only read, with `git archive` of the pinned commit into a temporary directory,
// so local edits or another checked-out commit do not change what is built.
//
// Every directory with a Makefile under src/lessonNN/ and exercises/ is built with the learner's
// own Makefile: `make ARMGNU=aarch64-linux-gnu` (Debian's cross toolchain; the Makefiles default
// to the same prefix with ?=, the variable is passed so that a different default would not
// matter), killed after BUILD_TIMEOUT_S. Nothing in their code is changed: a directory whose
// build fails is reported as failed. Twenty learners' Makefiles name their AArch64 image
// kernel7.img: it is taken as kernel8.img when its ELF is AArch64.
//
// OUTDIR/NAME, NAME being the directory's path with / replaced by _ (src_lesson03,
// exercises_lesson03_2_H-4ND-H), gets kernel8.img, build/kernel8.elf as kernel8.elf and
// make.log, and config.txt if the directory has one. tutorial-compare decides how to boot an image
// from config.txt (kernel_old=1), else from the ELF's load address. The src/config.txt most
// directories carry is not copied: it is the lesson's, copied along by the learners, and in 7 of
// them it contradicts their linker script (kernel_old=1 with the image linked at 0x80000 and run
// with QEMU's -kernel, as their start.sh does, or the reverse): the ELF says what was built.
// OUTDIR/NAME is emptied first so that an image that no longer builds is not compared from an
// older run. Prints one line per directory (--quiet: only the failed ones) and a summary, in about
// 10 s with two jobs; exits 1 only if nothing built, 2 on a usage error or a bad source.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, copyFileSync, writeFileSync } from "node:fs";
import { join, resolve, relative, sep } from "node:path";
import { tmpdir, availableParallelism } from "node:os";
import { gitSource, exportCommit } from "./git-source.mjs";

const REPO_URL = "https://github.com/s-matyukevich/raspberry-pi-os";
// The commit the tutorial corpus in BENCHMARKS.md was built from (31fc148, the merge of PR #235).
const COMMIT = "31fc1481f529ba1a72a8a6bc62dc488b84fc2cdb";
const SHORT = COMMIT.slice(0, 7);
const ARMGNU = "aarch64-linux-gnu";
// A lesson builds in about a second; a minute means make is stuck, not slow.
const BUILD_TIMEOUT_S = 60;

const USAGE = "usage: node scripts/tutorial-build.mjs OUTDIR [--src GITDIR_OR_CHECKOUT] [--only SUBSTRING] [--jobs N] [--quiet]";

function fail(msg, status = 2) {
  process.stderr.write(`tutorial-build: ${msg}\n`);
  process.exit(status);
}

const argv = process.argv.slice(2);
const opts = { out: undefined, src: undefined, only: undefined, jobs: Math.min(8, availableParallelism()), quiet: false };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => { if (i + 1 >= argv.length) fail(`${a} needs a value\n${USAGE}`); return argv[++i]; };
  if (a === "--help" || a === "-h") { console.log(USAGE); process.exit(0); }
  else if (a === "--src") opts.src = val();
  else if (a === "--only") opts.only = val();
  else if (a === "--jobs") opts.jobs = Number(val());
  else if (a === "--quiet") opts.quiet = true;
  else if (a.startsWith("-")) fail(`unknown option ${a}\n${USAGE}`);
  else if (!opts.out) opts.out = a;
  else fail(`unexpected argument ${a}\n${USAGE}`);
}
if (!opts.out) fail(`needs OUTDIR\n${USAGE}`);
if (!Number.isInteger(opts.jobs) || opts.jobs < 1) fail("--jobs expects a positive integer");
const say = (s) => { if (!opts.quiet) process.stderr.write(`tutorial-build: ${s}\n`); };

/** Runs a command to completion; returns { status, stdout, stderr } (status null if it could not start). */
function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20, ...options });
  return { status: r.error ? null : r.status, stdout: r.stdout ?? "", stderr: r.error ? r.error.message : r.stderr ?? "" };
}

// Checked first: without them every directory would fail with the same line.
for (const tool of [`${ARMGNU}-gcc`, "make", "git", "tar"]) {
  if (run(tool, ["--version"]).status !== 0) fail(`${tool} not found (Debian: apt-get install gcc-aarch64-linux-gnu make git tar)`);
}

const gitDir = gitSource({
  url: REPO_URL, commit: COMMIT, fail, say,
  ...(opts.src !== undefined ? { given: opts.src, what: "--src" } : { given: process.env.RPI_OS_TUTORIAL_SRC, what: "$RPI_OS_TUTORIAL_SRC" }),
});

// The process groups of the makes running: killed if this script is interrupted (they are not in
// the terminal's group, so Ctrl-C does not reach them), before the tree they build in is removed.
const running = new Set();
process.on("exit", () => { for (const pid of running) try { process.kill(-pid, "SIGKILL"); } catch {} });

// Export the pinned commit's lessons and exercises (the rest is documentation and pictures).
const tmp = mkdtempSync(join(tmpdir(), "rpi-os-tutorial-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));
say(`exporting ${SHORT} from ${gitDir}`);
const tree = join(tmp, "tree");
mkdirSync(tree);
exportCommit(gitDir, COMMIT, tree, ["src", "exercises"], fail);

/** Every directory under `dir` (itself included) that has a Makefile, depth first. */
function makefileDirs(dir) {
  const found = existsSync(join(dir, "Makefile")) ? [dir] : [];
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) found.push(...makefileDirs(join(dir, e.name)));
  return found;
}
// Under src/ only the lessons (src/lessonNN, one Makefile each) are the tutorial's kernels. Under
// exercises/ the depth varies (lessonNN/N/AUTHOR, and one AUTHOR/uart-boot), so all of it is searched.
const lessonDirs = readdirSync(join(tree, "src")).filter((n) => /^lesson\d\d$/.test(n)).map((n) => join(tree, "src", n));
const dirs = [...lessonDirs.flatMap(makefileDirs), ...makefileDirs(join(tree, "exercises"))]
  .map((d) => ({ dir: d, name: relative(tree, d).split(sep).join("_") }))
  .filter((d) => !opts.only || d.name.includes(opts.only))
  .sort((a, b) => a.name.localeCompare(b.name));
if (dirs.length === 0) fail(opts.only ? `no Makefile matches --only ${opts.only}` : `no Makefile under src/lessonNN or exercises at ${SHORT}`, 1);

/** The line of a build log that says why it failed: the compiler's or linker's first error, else make's. */
function firstError(log) {
  const lines = log.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /\b(fatal )?error:|undefined reference|multiple definition|No rule to make target|No such file/.test(l))
    ?? lines.find((l) => /^make(\[\d+\])?: \*\*\*/.test(l)) ?? lines.at(-1) ?? "no output";
}

/** Runs make in `dir`; resolves with { status, log, timedOut }. */
function make(dir) {
  return new Promise((res) => {
    // LC_ALL=C: gcc's "error:" is translated in other locales, and firstError looks for it.
    // Its own process group, so that a timeout kills the compiler make started, not only make.
    const p = spawn("make", [`ARMGNU=${ARMGNU}`], { cwd: dir, env: { ...process.env, LC_ALL: "C" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    if (p.pid) running.add(p.pid);
    const out = [];
    p.stdout.on("data", (d) => out.push(d));
    p.stderr.on("data", (d) => out.push(d));
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; try { process.kill(-p.pid, "SIGKILL"); } catch {} }, BUILD_TIMEOUT_S * 1000);
    p.on("error", (e) => { clearTimeout(timer); res({ status: null, log: e.message, timedOut }); });
    p.on("close", (status) => { clearTimeout(timer); running.delete(p.pid); res({ status, log: Buffer.concat(out).toString("latin1"), timedOut }); });
  });
}

const out = resolve(opts.out);
mkdirSync(out, { recursive: true });

/** An ELF file for AArch64 (e_machine EM_AARCH64, 183)? */
function isAarch64Elf(file) {
  if (!existsSync(file)) return false;
  const b = readFileSync(file);
  return b.length > 20 && b.readUInt32BE(0) === 0x7f454c46 && b.readUInt16LE(18) === 183;
}

async function build({ dir, name }) {
  const { status, log, timedOut } = await make(dir);
  const dest = join(out, name);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest);
  writeFileSync(join(dest, "make.log"), log);
  if (timedOut) return { name, ok: false, why: `make still running after ${BUILD_TIMEOUT_S} s` };
  if (status !== 0) return { name, ok: false, why: firstError(log) };
  // Some learners' Makefiles name their AArch64 image kernel7.img (their ELF says what it is).
  const image = ["kernel8", "kernel7"].find((k) => existsSync(join(dir, `${k}.img`)) && (k === "kernel8" || isAarch64Elf(join(dir, "build", `${k}.elf`))));
  if (!image) {
    const imgs = readdirSync(dir).filter((n) => n.endsWith(".img"));
    return { name, ok: false, why: `no AArch64 kernel8.img or kernel7.img (its Makefile made ${imgs.join(", ") || "no image"})` };
  }
  copyFileSync(join(dir, `${image}.img`), join(dest, "kernel8.img"));
  if (existsSync(join(dir, "build", `${image}.elf`))) copyFileSync(join(dir, "build", `${image}.elf`), join(dest, "kernel8.elf"));
  if (existsSync(join(dir, "config.txt"))) copyFileSync(join(dir, "config.txt"), join(dest, "config.txt"));
  return { name, ok: true };
}

// A pool of --jobs builds; lines are printed in name order as soon as all earlier ones are done,
// so that the output is the same from run to run. Nested Makefile directories
// (exercises/lesson01/2/gcrisis and its uart-boot/) have separate build/ directories and images,
// so building both at once is safe.
say(`building ${dirs.length} directories, ${opts.jobs} at a time`);
const results = new Array(dirs.length);
const waiting = dirs.map(() => { let r; const p = new Promise((res) => { r = res; }); return { p, r }; });
let next = 0;
async function worker() {
  while (next < dirs.length) {
    const i = next++;
    results[i] = await build(dirs[i]);
    waiting[i].r();
  }
}
const pool = Promise.all(Array.from({ length: Math.min(opts.jobs, dirs.length) }, worker));
for (let i = 0; i < dirs.length; i++) {
  await waiting[i].p;
  const r = results[i];
  if (r.ok && !opts.quiet) console.log(`built   ${r.name}`);
  else if (!r.ok) console.log(`failed  ${r.name}: ${r.why.slice(0, 200)}`);
}
await pool;

const built = results.filter((r) => r.ok).length;
console.log(`${built} built, ${results.length - built} failed, of ${results.length} Makefiles at ${SHORT} -> ${out}`);
if (built && !opts.quiet) console.log(`next: node scripts/tutorial-compare.mjs ${opts.out}`);
process.exit(built ? 0 : 1);
