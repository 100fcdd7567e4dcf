// External tools and data some tests compare with. Without CI they are optional
// (the test is skipped); with CI=true a missing one is a failure, since .ci/run
// installs them.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { homedir } from "node:os";

export const CI = process.env.CI === "true" || process.env.CI === "1";

export function haveTool(cmd: string, args = ["--version"]): boolean {
  const r = spawnSync(cmd, args, { stdio: "ignore" });
  return r.error === undefined;
}

/**
 * Whether to run a test that needs `what`: true when present; false (skip) when
 * missing outside CI; in CI a missing one runs the test, which then fails in `require`.
 */
export function runIf(present: boolean): boolean { return present || CI; }

export function requirePresent(present: boolean, what: string): void {
  if (!present) throw new Error(`${what} is missing (CI=true: .ci/run should have installed it)`);
}

/** Where `npm run fetch-linux` caches Debian's kernel and the Pi 3 B device tree. */
export function linuxCacheDir(): string {
  return process.env.RPI_OS_LINUX_DIR || join(homedir(), ".cache", "rpi-os", "linux");
}

export function haveLinux(): boolean {
  const d = linuxCacheDir();
  // bcm2835_wdt.ko too (kept by fetch-linux since the power-off test): an older cache counts as missing.
  return existsSync(join(d, "Image")) && existsSync(join(d, "bcm2837-rpi-3-b.dtb")) && existsSync(join(d, "bcm2835_wdt.ko"));
}
