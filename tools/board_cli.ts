// `rpi-os run` options for the rest of the board: the SD card, screenshots of the
// framebuffer, the random number generator's seed, the board serial number, and
// how a run that the guest powered off or rebooted ends. Kept out of cli.ts.

import type { Machine, MachineOptions, StopReason } from "../host/machine.js";
import { openSdImage, parseQemuDrive } from "./sd_image.js";
import { writeScreenshot, numberedName } from "./screenshot.js";

/** `rpi-os run` options (entries of tools/cli.ts's option table). */
export const BOARD_OPTIONS = [
  { name: "--sd", value: "FILE", help: "SD card image (raw); QEMU's -drive file=FILE,if=sd,format=raw also works" },
  { name: "-drive", value: "SPEC", help: "QEMU's spelling of --sd: file=FILE,if=sd,format=raw" },
  { name: "--sd-write", help: "let the guest's writes reach FILE (default: they stay in memory)" },
  { name: "--screenshot", value: "F.png", help: "write the framebuffer to F.png when the run ends" },
  { name: "--screenshot-every", value: "S", help: "also every S seconds of virtual time (F-0001.png, F-0002.png ...)" },
  { name: "--random-seed", value: "N", help: "seed of the hardware random number generator (default 0)" },
  { name: "--serial-number", value: "N", help: "board serial number the mailbox reports (default 0)" },
];

type Get = (name: string) => string | undefined;

export class BoardUsageError extends Error {}

function bigNumber(name: string, v: string): bigint {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(v.trim())) throw new BoardUsageError(`${name} expects a number, not '${v}'`);
  const n = BigInt(v.trim());
  if (n >= 1n << 64n) throw new BoardUsageError(`${name} must fit in 64 bits`);
  return n;
}

/** Machine options from the flags (opens the SD image: a missing or unreadable file is an error here). */
export function boardMachineOptions(get: Get, has: (name: string) => boolean): Partial<MachineOptions> {
  const opts: Partial<MachineOptions> = {};
  const drive = get("-drive");
  const sd = get("--sd") ?? (drive !== undefined ? parseQemuDrive(drive) : undefined);
  if (get("--sd") !== undefined && drive !== undefined) throw new BoardUsageError("give the SD image once: --sd FILE or -drive file=FILE,if=sd,format=raw");
  if (has("--sd-write") && sd === undefined) throw new BoardUsageError("--sd-write needs an image (--sd FILE)");
  if (sd !== undefined) opts.sd = openSdImage(sd, has("--sd-write"));
  const seed = get("--random-seed");
  if (seed !== undefined) opts.randomSeed = bigNumber("--random-seed", seed);
  const serial = get("--serial-number");
  if (serial !== undefined) opts.boardSerial = bigNumber("--serial-number", serial);
  return opts;
}

/** --screenshot F.png [--screenshot-every S]. */
export class Screenshots {
  private nextAt = Infinity;
  private count = 0;
  constructor(private readonly m: Machine, private readonly file: string | undefined, private readonly every: number | undefined,
    private readonly note: (s: string) => void) {
    if (every !== undefined && (!(every > 0) || !file)) throw new BoardUsageError("--screenshot-every S needs S > 0 and --screenshot FILE.png");
    if (every !== undefined) this.nextAt = every;
  }
  /** Virtual time of the next periodic screenshot (Infinity: none). */
  get due(): number { return this.nextAt; }
  /** Takes the periodic screenshots that are due. */
  poll(): void {
    while (this.m.seconds >= this.nextAt) {
      this.count++;
      if (!writeScreenshot(this.m, numberedName(this.file!, this.count))) this.note(`screenshot at ${this.nextAt} s: no framebuffer yet`);
      this.nextAt = this.every! * (this.count + 1);
    }
  }
  /** The screenshot at the end of the run. */
  final(): void {
    if (!this.file) return;
    if (!writeScreenshot(this.m, this.file)) this.note(`--screenshot: the guest never allocated a framebuffer (mailbox tag 0x40001): ${this.file} not written`);
  }
}

/** A run the guest ended through the power management block: what to say and the exit status. */
export function powerEnd(reason: StopReason, m: Machine): { message: string; code: number } | undefined {
  const at = `at ${m.seconds.toFixed(6)} s`;
  if (reason === "poweroff") return { message: `powered off (watchdog reset with PM_RSTS partition 63, "halt") ${at}`, code: 0 };
  if (reason === "reboot") return { message: `reboot (watchdog reset, PM_RSTC) ${at}: the run ends here`, code: 0 };
  return undefined;
}
