// npm run fetch-linux: obtains Debian's stock arm64 kernel and the Pi 3 B device
// tree from the same package, with apt, and caches them for `rpi-os linux`.
//
//   dpkg --add-architecture arm64; apt-get update   (only when apt knows no arm64 kernel yet)
//   apt-get download linux-image-6.1.0-N-arm64:arm64 (N: what linux-image-arm64 depends on)
//   dpkg-deb -x the .deb; keep boot/vmlinuz-* as Image and broadcom/bcm2837-rpi-3-b.dtb
//
// The cache is $RPI_OS_LINUX_DIR, or ~/.cache/rpi-os/linux. Nothing is downloaded
// when the cache already holds a kernel (pass --force to fetch again).
// Prints the cache directory on success; a one-line error otherwise.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, copyFileSync, writeFileSync, rmSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { homedir, tmpdir } from "node:os";

function linuxCacheDir() {
  return process.env.RPI_OS_LINUX_DIR || join(homedir(), ".cache", "rpi-os", "linux");
}

const dir = linuxCacheDir();
const force = process.argv.includes("--force");
const quiet = process.argv.includes("--quiet");
const say = (s) => { if (!quiet) console.error(s); };

function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 600_000, ...opts });
}

function fail(msg) {
  console.error(`fetch-linux: ${msg}`);
  process.exit(1);
}

/** The versioned kernel package the meta package points at, or null when apt knows none. */
function kernelPackage() {
  try {
    const out = run("apt-cache", ["depends", "linux-image-arm64:arm64"]);
    const m = /Depends:\s*(linux-image-6\.1\.0-[0-9]+-arm64)/.exec(out);
    if (m) return m[1];
  } catch { /* no arm64 lists yet */ }
  return null;
}

if (!force && existsSync(join(dir, "Image")) && existsSync(join(dir, "bcm2837-rpi-3-b.dtb"))) {
  console.log(dir);
  process.exit(0);
}

try { run("apt-get", ["--version"]); } catch { fail("apt-get not found: Debian's kernel package is fetched with apt"); }

let pkg = kernelPackage();
if (!pkg) {
  say("fetch-linux: adding the arm64 architecture and updating apt's lists");
  try {
    run("dpkg", ["--add-architecture", "arm64"]);
    run("apt-get", ["update", "-qq"]);
  } catch (e) {
    fail(`apt-get update failed (root is needed to add arm64): ${String(e.stderr || e.message).trim().split("\n").pop()}`);
  }
  pkg = kernelPackage();
  if (!pkg) fail("apt knows no linux-image-6.1.0-*-arm64 package (is this Debian bookworm?)");
}

const work = mkdtempSync(join(tmpdir(), "rpi-os-linux-"));
try {
  say(`fetch-linux: apt-get download ${pkg}:arm64`);
  try { run("apt-get", ["download", `${pkg}:arm64`], { cwd: work }); }
  catch (e) { fail(`apt-get download ${pkg} failed: ${String(e.stderr || e.message).trim().split("\n").pop()}`); }
  const deb = readdirSync(work).find((f) => f.endsWith(".deb"));
  if (!deb) fail("apt-get download produced no .deb");
  const x = join(work, "x");
  run("dpkg-deb", ["-x", join(work, deb), x]);
  const vmlinuz = readdirSync(join(x, "boot")).find((f) => f.startsWith("vmlinuz-"));
  if (!vmlinuz) fail(`${deb} has no boot/vmlinuz-*`);
  const libDir = readdirSync(join(x, "usr/lib")).find((f) => f.startsWith("linux-image-"));
  const dtb = libDir && join(x, "usr/lib", libDir, "broadcom", "bcm2837-rpi-3-b.dtb");
  if (!dtb || !existsSync(dtb)) fail(`${deb} has no broadcom/bcm2837-rpi-3-b.dtb`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(x, "boot", vmlinuz), join(dir, "Image"));
  copyFileSync(dtb, join(dir, "bcm2837-rpi-3-b.dtb"));
  writeFileSync(join(dir, "VERSION"), `${pkg} ${vmlinuz.replace(/^vmlinuz-/, "")} (${deb})\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
say(`fetch-linux: kernel and device tree in ${dir}`);
console.log(dir);
