// scripts/build.mjs rebuilds only what changed (npm test's pretest has just built everything;
// --check builds nothing, so this test never changes dist/ under the other tests).
import { it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

it("after npm test's build, nothing is left to build (build.mjs --check says what it would build)", () => {
  const r = spawnSync(process.execPath, ["scripts/build.mjs", "--check", "--quiet", "--types"], { cwd: root, encoding: "utf8", timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe("");
  const stamps = JSON.parse(readFileSync(`${root}build/stamps.json`, "utf8"));
  for (const step of ["wasm", "js", "wasm-copy", "wasm-node", "kernel-image", "bundle", "code-cache", "types"]) expect(stamps[step], step).toMatch(/^[0-9a-f]{64}$/);
  // The CLI's _exit (tools/fast_exit.c) is built wherever there is a C compiler: CI has one.
  if (process.env.CI || spawnSync(process.env.CC || "cc", ["--version"]).status === 0) expect(stamps["fast-exit"], "fast-exit").toMatch(/^[0-9a-f]{64}$/);
});

it("the installed command's bundle is ASCII: the launcher reads it as latin1, a one-byte string", () => {
  const bundle = readFileSync(`${root}dist/rpi-os-cli.cjs`);
  expect(bundle.length).toBeGreaterThan(100_000);
  expect(bundle.findIndex((b) => b > 0x7f)).toBe(-1);
  expect(readFileSync(`${root}tools/launch.cjs`, "utf8")).toMatch(/readFileSync\(file, "latin1"\)/);
});

it("the launcher's early-compiled SoC (dist/soc-node.wasm) is build/soc.wasm as host/wasm.ts loads it in Node", async () => {
  const { sharedMemory, SOC_NODE_WASM } = await import("../host/wasm.js");
  const built = new Uint8Array(readFileSync(`${root}build/soc.wasm`));
  const node = new Uint8Array(readFileSync(`${root}${SOC_NODE_WASM}`));
  expect(Buffer.from(node).equals(Buffer.from(built))).toBe(false); // (the memory is made shared)
  expect(Buffer.from(node).equals(Buffer.from(sharedMemory(built)))).toBe(true);
});

// The build type-checks host/tools/kernel (tsconfig.build.json); the tests and the page are
// transpiled without a check, so tsconfig.json (everything) is checked here.
it("the tests and the web page type-check too (tsc -p tsconfig.json)", async () => {
  const { run } = await import("./support/spawn.js");
  const r = await run(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", "tsconfig.json"], { cwd: root, timeoutMs: 240_000 });
  expect(r.status, r.stdout + r.stderr).toBe(0);
}, 300_000);
