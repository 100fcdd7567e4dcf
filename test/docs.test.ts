// Every command shown in README.md and docs/ is run, and what the text says it prints is compared
// with what it prints: an output block right after a ```sh block belongs to that block's last
// command; its lines must appear in the output in that order ("..." ends a line that is cut short,
// "<- ..." is a remark, "$ cmd" starts a transcript). Commands that need something this test does
// not have (a network port, gdb, the tutorial's own build) are listed with the reason.
import { describe, it, expect } from "vitest";
import { run } from "./support/spawn.js";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist/tools/cli.js");

/** Not run here, and why. */
const NOT_RUN: [RegExp, string][] = [
  [/^npm (install|ci|test)\b|^npm run (build|bench)\b/, "builds or tests the package itself (npm test is this suite)"],
  [/^npm run web\b/, "serves on a port until stopped (test/web.test.ts covers the playground)"],
  [/--gdb\b|^gdb-multiarch\b|^\(gdb\)/, "waits for a debugger (test/gdb.test.ts drives gdb-multiarch)"],
  [/^npm run (fetch-linux|linux)\b|--dtb\b|\s-dtb\b|^--append\b/, "fetches or boots Debian's kernel (test/linux-kernel.test.ts and test/linux-boot.test.ts run these)"],
  [/--sd\b|\bfat\.js\b/, "needs an SD image; test/board.test.ts builds one with tools/fat.ts and runs --sd, -drive and --sd-write"],
];

interface Example { file: string; line: number; command: string; expected: string[] }

function markdownFiles(): string[] {
  const out = [join(root, "README.md")];
  const walk = (d: string) => { for (const e of readdirSync(d)) { const p = join(d, e); if (statSync(p).isDirectory()) walk(p); else if (p.endsWith(".md")) out.push(p); } };
  walk(join(root, "docs"));
  return out;
}

function examples(): Example[] {
  const found: Example[] = [];
  for (const file of markdownFiles()) {
    const lines = readFileSync(file, "utf8").split("\n");
    let last: Example | undefined;
    for (let i = 0; i < lines.length; i++) {
      const fence = /^```(\w*)\s*$/.exec(lines[i]);
      if (!fence) { if (lines[i].trim()) last = undefined; continue; }
      const start = i;
      const body: string[] = [];
      for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
      const rel = relative(root, file);
      if (fence[1] === "sh") {
        let ex: Example | undefined;
        body.forEach((l, k) => {
          for (const part of l.replace(/\s+#\s.*$/, "").split("&&").map((s) => s.trim()).filter(Boolean)) {
            ex = { file: rel, line: start + 2 + k, command: part, expected: [] };
            found.push(ex);
          }
        });
        last = ex;
      } else if (fence[1] === "" && body[0]?.startsWith("$ ")) {
        found.push({ file: rel, line: start + 2, command: body[0].slice(2).trim(), expected: body.slice(1) });
        last = undefined;
      } else if (fence[1] === "" && last) {
        last.expected = body;
        last = undefined;
      } else last = undefined;
    }
  }
  return found;
}

/** The command as run here: our CLI for npm start/lesson and npx rpi-os, our timer kernel for kernel8.img. */
function argv(command: string): string[] | undefined {
  const words = command.split(/\s+/);
  let args: string[];
  if (words[0] === "npm" && words[1] === "start") args = ["kernel", ...words.slice(words[2] === "--" ? 3 : 2)];
  else if (words[0] === "npm" && words[1] === "run" && words[2] === "lesson") args = ["lesson", ...words.slice(words[3] === "--" ? 4 : 3)];
  else if (words[0] === "npx" && words[1] === "rpi-os") args = words.slice(2);
  else if (words[0] === "rpi-os") args = words.slice(1);
  else return undefined;
  return args.map((a) => (a.endsWith("kernel8.img") ? join(root, "test/guest/kernels/timer.img") : a));
}

/** An expected line as a pattern: remarks dropped, a trailing "..." matches the rest of the line. */
function expectedLines(block: string[]): string[] {
  return block.map((l) => l.replace(/\s+<-.*$/, "").replace(/\s+$/, "")).filter((l) => l && l !== "...").map((l) => l.replace(/\s*\.\.\.$/, ""));
}

describe("every command in README.md and docs/", () => {
  const all = examples();
  it("finds the examples", () => {
    expect(all.length).toBeGreaterThan(15);
  });
  for (const ex of all) {
    const skip = NOT_RUN.find(([re]) => re.test(ex.command));
    const args = argv(ex.command);
    const title = `${ex.file}:${ex.line}: ${ex.command}`;
    if (skip) { it.skip(`${title} (${skip[1]})`, () => {}); continue; }
    it(title, async () => {
      expect(args, `${title}: not a command this test knows how to run; add it to NOT_RUN with the reason`).toBeDefined();
      // Interactive ones (realtime, or no limit) run for a few seconds with something typed.
      // Interactive commands get typing a few seconds after the start (after some ticks, as in the
      // README's transcript); the others an empty stdin (piped input would hold virtual time).
      const limited = args!.some((a) => /^--(virtual|ticks|seconds|until|max-insns|list|linux)$/.test(a));
      const typing = limited ? "printf ''" : "(sleep 3; printf 'hello\\r\\n'; sleep 9)";
      const r = await run("sh", ["-c", `${typing} | "${process.execPath}" "${cli}" ${args!.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ")} 2>&1`], {
        timeoutMs: limited ? 100_000 : 6000, cwd: root,
      });
      const out = r.stdout.replace(/\r/g, "").split("\n").map((l) => l.replace(/\s+$/, ""));
      if (limited) expect(r.status, `${title} exited ${r.status}:\n${r.stdout.slice(0, 2000)}`).toBe(0);
      else if (r.status !== null) expect(r.status === 0 || r.status === 3, `${title} exited ${r.status}:\n${r.stdout.slice(0, 2000)}`).toBe(true);
      let at = 0;
      for (const want of expectedLines(ex.expected)) {
        const k = out.findIndex((l, idx) => idx >= at && l.includes(want));
        expect(k, `${title}: expected, in order, the line\n  ${want}\nin the output:\n${out.slice(0, 60).join("\n")}`).toBeGreaterThanOrEqual(0);
        at = k + 1;
      }
    }, 120_000);
  }
});
