// node scripts/linux-boot-time.mjs [--reps N] [--json]: wall time from process start to the
// first line of our /init ("rpi-os-init: hello from /init") for Debian's kernel, on rpi-os
// (`rpi-os run Image --dtb ... --until ...`) and on `qemu-system-aarch64 -M raspi3b` with the
// same kernel, DTB, initramfs and command line, interleaved. QEMU's guest clock follows the
// host's, ours is virtual, so only wall times from process start are compared.
// Also used by `npm run bench` (scripts/bench.mjs) when the kernel is cached.
import { spawn } from "node:child_process";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { benchArgv, nodeEnv } from "./bench-engines.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const MARK = "rpi-os-init: hello from /init";
const [node, ...cli] = benchArgv(root);

/** Spawns a command and resolves with the wall ms until MARK appears on its stdout (then kills it). */
function timeToMark(cmd, args, limitMs, stdin = "ignore") {
  return new Promise((resolve) => {
    const t0 = performance.now();
    // No stdin for either: for rpi-os an open pipe holds virtual time for input (README, Real Linux).
    // The environment is the engines' runs' (nodeEnv: no NODE_EXTRA_CA_CERTS), for QEMU too.
    const p = spawn(cmd, args, { stdio: [stdin, "pipe", "ignore"], env: nodeEnv() });
    let text = "";
    let done = false;
    const finish = (ms) => { if (done) return; done = true; clearTimeout(timer); p.kill("SIGKILL"); resolve(ms); };
    const timer = setTimeout(() => finish(null), limitMs);
    p.stdout.on("data", (d) => { text = (text + d.toString("latin1")).slice(-4096); if (text.includes(MARK)) finish(performance.now() - t0); });
    p.on("exit", () => finish(text.includes(MARK) ? performance.now() - t0 : null));
  });
}

export async function linuxBootTimes(reps = 1, limitMs = 900_000) {
  const { cachedLinux } = await import(join(root, "dist/tools/fetch-linux.js"));
  const { defaultInitramfs, DEFAULT_CMDLINE } = await import(join(root, "dist/tools/linux.js"));
  const files = cachedLinux();
  if (!files) return null;
  const dir = mkdtempSync(join(tmpdir(), "rpi-os-boot-time-"));
  const initrd = join(dir, "initramfs.cpio");
  writeFileSync(initrd, defaultInitramfs());
  const ours = [], qemu = [];
  try {
    for (let r = 0; r < reps; r++) {
      ours.push(await timeToMark(node, [...cli, "run", files.image, "--dtb", files.dtb, "--initrd", initrd,
        "--append", DEFAULT_CMDLINE, "--until", MARK], limitMs));
      qemu.push(await timeToMark("qemu-system-aarch64", ["-M", "raspi3b", "-kernel", files.image, "-dtb", files.dtb, "-initrd", initrd,
        "-append", DEFAULT_CMDLINE, "-serial", "stdio", "-display", "none", "-monitor", "none"], limitMs));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs) => { const s = xs.filter((x) => x !== null).sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : null; };
  return { kernel: files.version, oursMs: median(ours), qemuMs: median(qemu), ours, qemu };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const USAGE = "usage: node scripts/linux-boot-time.mjs [--reps N] [--json]";
  const argv = process.argv.slice(2);
  // (An unknown flag would otherwise run the whole measurement, half a minute a repetition, without it.)
  for (let k = 0; k < argv.length; k++) {
    if (argv[k] === "--help" || argv[k] === "-h") { console.log(USAGE); process.exit(0); }
    if (argv[k] === "--json") continue;
    if (argv[k] === "--reps" && /^[1-9]\d*$/.test(argv[k + 1] ?? "")) { k++; continue; }
    console.error(`linux-boot-time: ${argv[k] === "--reps" ? "--reps needs a positive integer" : `unknown option ${argv[k]}`}\n${USAGE}`);
    process.exit(2);
  }
  const i = process.argv.indexOf("--reps");
  const r = await linuxBootTimes(i > 0 ? Number(process.argv[i + 1]) : 1);
  if (!r) { console.error("linux-boot-time: no cached kernel (npm run fetch-linux)"); process.exit(2); }
  if (process.argv.includes("--json")) console.log(JSON.stringify(r));
  else console.log(`wall time to /init (${r.kernel}): rpi-os ${r.oursMs === null ? "did not get there" : (r.oursMs / 1000).toFixed(1) + " s"}, ` +
    `qemu-system-aarch64 -M raspi3b ${r.qemuMs === null ? "did not get there" : (r.qemuMs / 1000).toFixed(1) + " s"}`);
}
