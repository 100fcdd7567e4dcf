// Helpers to assemble a guest program and run it with semihosting output captured.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname } from "node:path";
import { Machine, type MachineOptions, type ExceptionEvent, type StormInfo } from "../../host/index.js";
import { assemble, type AssembleResult } from "../../tools/asm/assembler.js";

export interface GuestRun { m: Machine; out: string; asm: AssembleResult; exitCode?: number; reason: string; storm?: StormInfo }

export async function runGuest(
  source: { file?: string; text?: string },
  opts: { el?: number; base?: number; maxInsns?: number; machine?: MachineOptions; untilSeconds?: number; exceptions?: ExceptionEvent[] } = {},
): Promise<GuestRun> {
  const base = opts.base ?? 0x80000;
  const name = source.file ?? "inline.S";
  const text = source.text ?? readFileSync(source.file!, "utf8");
  const asm = assemble([{ name, text }], { base, includeDirs: source.file ? [dirname(source.file)] : [] });
  const m = await Machine.create({ semihosting: true, ...opts.machine });
  m.load(asm.image, base);
  m.start(0, asm.entry, opts.el ?? 1);
  let out = "";
  m.on("serial", (b) => { out += String.fromCharCode(b); });
  if (opts.exceptions) m.on("exception", (e) => opts.exceptions!.push(e));
  const r = m.run({ maxInsns: opts.maxInsns ?? 10_000_000, untilSeconds: opts.untilSeconds });
  return { m, out, asm, exitCode: r.exitCode, reason: r.reason, storm: r.storm };
}

export function guestPath(rel: string): string {
  return fileURLToPath(new URL(`../guest/${rel}`, import.meta.url));
}
