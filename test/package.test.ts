// `npm pack` gives a package people can depend on: installed into a fresh
// project, its bin runs a kernel and the README's API example works.
import { describe, it, expect } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { guestPath } from "./support/guest.js";

const root = fileURLToPath(new URL("..", import.meta.url));

describe("npm package", () => {
  it("packs, installs, runs `npx rpi-os` and the API example", () => {
    const dir = mkdtempSync(join(tmpdir(), "rpi-os-pack-"));
    // --ignore-scripts: `prepare` would rebuild dist/ while other test files use it (npm test already built it).
    execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", dir], { cwd: root, stdio: "pipe" });
    const tgz = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    const files = execFileSync("tar", ["tzf", join(dir, tgz)], { encoding: "utf8" }).split("\n");
    expect(files).toContain("package/build/soc.wasm");
    expect(files).toContain("package/dist/host/index.js");
    expect(files).toContain("package/dist/host/index.d.ts");
    expect(files).toContain("package/boot/entry.S");
    expect(files.some((f) => f.startsWith("package/test/") || f.startsWith("package/soc/"))).toBe(false);

    const app = join(dir, "app");
    execFileSync("mkdir", ["-p", app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", type: "module" }));
    // --prefer-offline, not --offline: on a fresh machine npm's cache holds the tarballs `npm ci` fetched but not
    // the registry metadata of pngjs that installing a package (rather than a lockfile) needs.
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(dir, tgz)], { cwd: app, stdio: "pipe" });
    expect(existsSync(join(app, "node_modules/.bin/rpi-os"))).toBe(true);

    const run = spawnSync("npx", ["rpi-os", "run", guestPath("kernels/timer.img"), "--kernel-old", "--ticks", "3"], { cwd: app, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout.split("Timer interrupt received").length - 1).toBe(3);

    // The README's API example, verbatim but for expect().
    writeFileSync(join(app, "example.mjs"), `
import { Machine } from "rpi-os";
import { assemble } from "rpi-os/tools";
const { image } = assemble([{ name: "t.S", text: "mov x0, #0x18\\nadr x1, b\\nhlt #0xf000\\n.align 3\\nb: .quad 0x20026, 3" }], { base: 0x80000 });
const m = await Machine.create({ semihosting: true });
m.load(image, 0x80000);
m.start(0, 0x80000, 1);
console.log(m.run({ maxInsns: 100 }).exitCode);
`);
    const ex = spawnSync(process.execPath, ["example.mjs"], { cwd: app, encoding: "utf8" });
    expect(ex.stderr).toBe("");
    expect(ex.stdout.trim()).toBe("3");

    // TypeScript users get types.
    const kernel = spawnSync(process.execPath, ["-e", "import('rpi-os').then(m => console.log(typeof m.Machine, typeof m.boot))"], { cwd: app, encoding: "utf8" });
    expect(kernel.stdout.trim()).toBe("function function");

    // The README's "ticks five times" example needs nothing outside the package: rpi-os/kernel.
    writeFileSync(join(app, "ticks.mjs"), `
import { bootKernel } from "rpi-os/kernel";
const k = await bootKernel({ stopWhen: (m) => (m.ticks >= 5 ? "ticks" : undefined) });
let out = "";
k.m.on("serial", (b) => { out += String.fromCharCode(b); });
console.log(k.run(), out.split("Timer interrupt received").length - 1);
`);
    const ticks = spawnSync(process.execPath, ["ticks.mjs"], { cwd: app, encoding: "utf8" });
    expect(ticks.stderr).toBe("");
    expect(ticks.stdout.trim()).toBe("ticks 5");
    expect(existsSync(join(app, "node_modules/rpi-os/dist/kernel/index.d.ts"))).toBe(true);

    // A consumer's install never builds: `prepare` does nothing outside a source checkout.
    const prep = spawnSync("npm", ["run", "prepare"], { cwd: join(app, "node_modules/rpi-os"), encoding: "utf8" });
    expect(prep.status, prep.stderr).toBe(0);
    expect(prep.stdout + prep.stderr).not.toMatch(/asc|esbuild|error/i);
  }, 120_000);
});
