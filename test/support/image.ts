// Runs a committed test kernel image on the Machine API, as `rpi-os run` does.
import { readFileSync } from "node:fs";
import { Machine, boot, DEFAULT_BOOT, type BootConfig, type RunResult, type MachineOptions, type ExceptionEvent } from "../../host/index.js";
import { assemble } from "../../tools/asm/assembler.js";
import { guestPath } from "./guest.js";

export interface ImageRun { m: Machine; out: string; result: RunResult; exceptions: ExceptionEvent[] }

export async function runImage(name: string, opts: { boot?: Partial<BootConfig>; input?: string; typeAfter?: [prompt: string, text: string]; until?: string; ticks?: number; maxInsns?: number; seconds?: number; machine?: MachineOptions } = {}): Promise<ImageRun> {
  const bytes = new Uint8Array(readFileSync(guestPath(`kernels/${name}.img`)));
  const m = await Machine.create(opts.machine);
  boot(m, bytes, { ...DEFAULT_BOOT, kernelOld: true, ...opts.boot });
  const exceptions: ExceptionEvent[] = [];
  m.on("exception", (e) => exceptions.push(e));
  if (opts.input) m.input(opts.input);
  let out = "";
  m.on("serial", (b) => {
    out += String.fromCharCode(b);
    if (opts.typeAfter && out.endsWith(opts.typeAfter[0])) m.input(opts.typeAfter[1]);
    if (opts.until && out.endsWith(opts.until)) m.stop();
  });
  let result = m.run({ maxInsns: opts.maxInsns ?? 200_000_000, ticks: opts.ticks, untilSeconds: opts.seconds });
  // Input typed from the output listener arrives after the guest went idle: let it run on.
  for (let i = 0; i < 3 && result.reason === "halted" && opts.typeAfter; i++) {
    result = m.run({ maxInsns: opts.maxInsns ?? 200_000_000, ticks: opts.ticks, untilSeconds: opts.seconds });
  }
  return { m, out, result, exceptions };
}

export function qemuOutput(name: string): string {
  return readFileSync(guestPath(`kernels/${name}.qemu.txt`), "latin1");
}

/** The first `n` lines of a text (with their line ends). */
export function firstLines(text: string, n: number): string {
  return text.split(/(?<=\n)/).slice(0, n).join("");
}

/** `body` assembled at 0x80000, then a semihosting exit (SYS_EXIT, ADP_Stopped_ApplicationExit). */
export function semihostingProgram(name: string, body: string): Uint8Array {
  return assemble([{ name, text: `
_start:
${body}
    mov x0, #0x18
    adr x1, blk
    hlt #0xf000
    .align 3
blk: .quad 0x20026, 0
` }], { base: 0x80000 }).image;
}
