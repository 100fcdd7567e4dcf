// One boot of Debian's cached kernel (npm run fetch-linux) with our initramfs, shared by the
// assertions of a test file: the first call boots, later calls get the same result.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runLinux, defaultInitramfs, type LinuxRunOptions, type LinuxRunResult } from "../../tools/linux.js";
import { haveLinux, requirePresent, linuxCacheDir } from "./tools.js";

export function cachedLinuxBoot(opts: Omit<LinuxRunOptions, "image" | "dtb">): () => Promise<LinuxRunResult> {
  let r: Promise<LinuxRunResult> | undefined;
  return () => {
    requirePresent(haveLinux(), "the Debian kernel (npm run fetch-linux)");
    const dir = linuxCacheDir();
    r ??= runLinux({
      image: new Uint8Array(readFileSync(join(dir, "Image"))),
      dtb: new Uint8Array(readFileSync(join(dir, "bcm2837-rpi-3-b.dtb"))),
      initrd: defaultInitramfs(join(dir, "bcm2835_wdt.ko")),
      maxInsns: 3_000_000_000,
      ...opts,
    });
    return r;
  };
}
