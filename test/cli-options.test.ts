// The command line's option tables: per-command --help, --version, usage errors (exit 2).
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../dist/tools/cli.js", import.meta.url));
const rpios = (args: string[], input = "") => spawnSync(process.execPath, [cli, ...args], { encoding: "latin1", input, timeout: 60_000 });
const pkg = JSON.parse(spawnSync(process.execPath, ["-p", "JSON.stringify(require('./package.json'))"], { encoding: "utf8", cwd: fileURLToPath(new URL("..", import.meta.url)) }).stdout);

describe("rpi-os options", () => {
  it("COMMAND --help prints that command's usage and options, exit 0", () => {
    for (const [cmd, expected] of [["run", "--max-insns N"], ["kernel", "--trace LIST"], ["asm", "-o OUT.img"], ["disasm", "--base ADDR"], ["lesson", "--step N"]]) {
      const r = rpios([cmd, "--help"]);
      expect(r.status, cmd).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: rpi-os ${cmd}`));
      expect(r.stdout).toContain(expected);
      expect(rpios(["help", cmd]).stdout).toBe(r.stdout);
    }
  });

  it("--version prints the package version", () => {
    const r = rpios(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`rpi-os ${pkg.version}\n`);
  });

  it("the general help documents the serial keys and Ctrl-C", () => {
    const r = rpios(["help"]);
    expect(r.stdout).toMatch(/Ctrl-C is sent to the\s+guest/);
    expect(r.stdout).toContain("Ctrl-A H lists the keys");
  });

  it("usage errors are one line and exit 2, pointing at the command's --help", () => {
    for (const args of [["run", "x.img", "--bogus"], ["kernel", "--ticks"], ["asm", "--elf"], ["nope"], ["run", "x", "--realtime=1"]]) {
      const r = rpios(args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n").length).toBeLessThanOrEqual(2);
      expect(r.stderr).toMatch(/--help lists the options/);
    }
  });
});
