// Obtains Debian's stock arm64 kernel and the Pi 3 B device tree from the same
// package, with apt, and caches them for `rpi-os linux` (`npm run fetch-linux`):
//
//   dpkg --add-architecture arm64; apt-get update   (only when apt knows no arm64 kernel yet)
//   apt-get download linux-image-6.1.0-N-arm64:arm64 (N: what linux-image-arm64 depends on)
//   dpkg-deb -x the .deb; keep boot/vmlinuz-* as Image, broadcom/bcm2837-rpi-3-b.dtb, and the
//   watchdog driver bcm2835_wdt.ko (a module in Debian's build: the Pi's power-off handler)
//
// The cache is $RPI_OS_LINUX_DIR, or ~/.cache/rpi-os/linux.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, mkdirSync, readdirSync, copyFileSync, writeFileSync, rmSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { homedir, tmpdir } from "node:os";

export class FetchError extends Error {}

export function linuxCacheDir(): string {
  return process.env.RPI_OS_LINUX_DIR || join(homedir(), ".cache", "rpi-os", "linux");
}

export interface LinuxFiles {
  dir: string; image: string; dtb: string; version: string;
  /** bcm2835_wdt.ko of the same package (absent in a cache made before it was kept). */
  wdt?: string;
}
/** The module that registers the Pi's pm_power_off (PM_RSTS partition 63 + PM_RSTC), as the package has it. */
export const WDT_MODULE = "kernel/drivers/watchdog/bcm2835_wdt.ko";

export function cachedLinux(): LinuxFiles | undefined {
  const dir = linuxCacheDir();
  const image = join(dir, "Image"), dtb = join(dir, "bcm2837-rpi-3-b.dtb");
  if (!existsSync(image) || !existsSync(dtb)) return undefined;
  let version = "";
  try { version = readFileSync(join(dir, "VERSION"), "utf8").trim(); } catch { /* optional */ }
  const wdt = join(dir, "bcm2835_wdt.ko");
  return { dir, image, dtb, version, wdt: existsSync(wdt) ? wdt : undefined };
}

function run(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 600_000, cwd });
}

const lastLine = (e: unknown) => String((e as { stderr?: string }).stderr || (e as Error).message).trim().split("\n").pop();

/** The versioned kernel package the meta package points at, or undefined when apt knows none. */
function kernelPackage(): string | undefined {
  try {
    const m = /Depends:\s*(linux-image-6\.1\.0-[0-9]+-arm64)/.exec(run("apt-cache", ["depends", "linux-image-arm64:arm64"]));
    if (m) return m[1];
  } catch { /* no arm64 lists yet */ }
  return undefined;
}

/** Fetches (unless cached, or `force`) and returns the kernel files. Throws FetchError with one line. */
export function fetchLinux(opts: { force?: boolean; say?: (s: string) => void } = {}): LinuxFiles {
  const say = opts.say ?? (() => {});
  const cached = cachedLinux();
  if (cached && cached.wdt && !opts.force) return cached;
  try { run("apt-get", ["--version"]); } catch { throw new FetchError("apt-get not found: Debian's kernel package is fetched with apt"); }
  let pkg = kernelPackage();
  if (!pkg) {
    say("adding the arm64 architecture and updating apt's lists");
    try {
      run("dpkg", ["--add-architecture", "arm64"]);
      run("apt-get", ["update", "-qq"]);
    } catch (e) {
      throw new FetchError(`apt-get update failed (root is needed to add arm64): ${lastLine(e)}`);
    }
    pkg = kernelPackage();
    if (!pkg) throw new FetchError("apt knows no linux-image-6.1.0-*-arm64 package (is this Debian bookworm?)");
  }
  const dir = linuxCacheDir();
  const work = mkdtempSync(join(tmpdir(), "rpi-os-linux-"));
  try {
    say(`apt-get download ${pkg}:arm64`);
    try { run("apt-get", ["download", `${pkg}:arm64`], work); } catch (e) { throw new FetchError(`apt-get download ${pkg} failed: ${lastLine(e)}`); }
    const deb = readdirSync(work).find((f) => f.endsWith(".deb"));
    if (!deb) throw new FetchError("apt-get download produced no .deb");
    const x = join(work, "x");
    run("dpkg-deb", ["-x", join(work, deb), x]);
    const vmlinuz = readdirSync(join(x, "boot")).find((f) => f.startsWith("vmlinuz-"));
    if (!vmlinuz) throw new FetchError(`${deb} has no boot/vmlinuz-*`);
    const libDir = readdirSync(join(x, "usr/lib")).find((f) => f.startsWith("linux-image-"));
    const dtb = libDir && join(x, "usr/lib", libDir, "broadcom", "bcm2837-rpi-3-b.dtb");
    if (!dtb || !existsSync(dtb)) throw new FetchError(`${deb} has no broadcom/bcm2837-rpi-3-b.dtb`);
    const ko = join(x, "lib/modules", vmlinuz.replace(/^vmlinuz-/, ""), WDT_MODULE);
    if (!existsSync(ko)) throw new FetchError(`${deb} has no ${WDT_MODULE}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(x, "boot", vmlinuz), join(dir, "Image"));
    copyFileSync(ko, join(dir, "bcm2835_wdt.ko"));
    copyFileSync(dtb, join(dir, "bcm2837-rpi-3-b.dtb"));
    writeFileSync(join(dir, "VERSION"), `${pkg} ${vmlinuz.replace(/^vmlinuz-/, "")} (${deb})\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  say(`kernel, device tree and bcm2835_wdt.ko in ${dir}`);
  return cachedLinux()!;
}
