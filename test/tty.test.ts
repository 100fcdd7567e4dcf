// On a terminal (a pty from util-linux `script`): `run IMAGE` with no limit runs in realtime and
// says how to stop; typed bytes, Ctrl-C included, reach the guest; Ctrl-A H lists the keys;
// Ctrl-A X quits.
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { run } from "./support/spawn.js";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assemble } from "../tools/asm/assembler.js";
import { guestPath } from "./support/guest.js";

const cli = fileURLToPath(new URL("../dist/tools/cli.js", import.meta.url));
const hasScript = spawnSync("script", ["--version"]).status === 0;
if (!hasScript && process.env.CI) throw new Error("util-linux `script` is needed for the terminal test");

it.skipIf(!hasScript)("a terminal: realtime by default, Ctrl-C to the guest, Ctrl-A H keys, Ctrl-A X quits", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "rpi-os-tty-"));
  const src = guestPath("serial/echo_timer.S");
  const img = join(tmp, "echo.img");
  writeFileSync(img, assemble([{ name: src, text: readFileSync(src, "utf8") }], { base: 0 }).image);
  const keys = "(sleep 3; printf 'ab\\003'; sleep 0.5; printf '\\001h'; sleep 0.5; printf '\\001x'; sleep 5)";
  const t0 = Date.now();
  const r = await run("sh", ["-c", `${keys} | script -qfec '"${process.execPath}" "${cli}" run "${img}" --kernel-old' /dev/null`], { timeoutMs: 30_000 });
  const ms = Date.now() - t0;
  const out = r.stdout;
  expect(out).toMatch(/realtime \(a terminal and no --ticks\/--seconds\/--until\/--max-insns limit\); Ctrl-A X quits/);
  expect(out).toContain("ab\x03");                 // Ctrl-C is a byte for the guest
  expect(out).toMatch(/C-a h +print this help/);
  expect(out).toMatch(/C-a x +quit rpi-os/);
  expect(out).toMatch(/quit \(Ctrl-A X\)/);
  // Realtime: the 10 ms ticks (0xFF each) of about 4 s, not the thousands virtual time would print.
  const ticks = out.split("\xff").length - 1;
  expect(ticks).toBeGreaterThan(100);
  expect(ticks).toBeLessThan(ms / 10 + 50);
}, 60_000);
