// Builds what the tests and the CLI need: soc/ -> build/soc.wasm (AssemblyScript),
// host/ tools/ kernel/ -> dist/ (esbuild, one .js per .ts), the TS kernel's default image, plus
// type declarations when TypeScript is installed and --types is given.
//
// Each step runs only when its inputs changed since it last ran: a hash of the input files'
// names and contents is kept in build/stamps.json (content, not mtimes, so a checkout or a
// touch that changes nothing rebuilds nothing). What is built is said on stderr, one line a
// step, --quiet or not; --force rebuilds everything; --check only says what would be built.
import { execFileSync } from "node:child_process";
import { readdirSync, statSync, mkdirSync, copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const bin = (name) => join(root, "node_modules", ".bin", name);
const quiet = process.argv.includes("--quiet");
const force = process.argv.includes("--force");
const check = process.argv.includes("--check");
const log = (m) => { if (!quiet) console.log(m); };
const say = (m) => process.stderr.write(`build: ${m}\n`);

function walk(dir, keep) {
  const out = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p, keep));
    else if (keep(p)) out.push(p);
  }
  return out;
}
const tsFiles = (dirs) => dirs.filter((d) => existsSync(d)).flatMap((d) => walk(d, (p) => p.endsWith(".ts") && !p.endsWith(".d.ts")));

/** A hash of the files' names and contents (and of extra strings, such as the options). */
function hashOf(files, ...extra) {
  const h = createHash("sha256");
  for (const f of files) { h.update(f); h.update("\0"); h.update(existsSync(f) ? readFileSync(f) : ""); h.update("\0"); }
  for (const x of extra) h.update(String(x));
  return h.digest("hex");
}

const STAMPS = "build/stamps.json";
mkdirSync("build", { recursive: true });
let stamps = {};
try { stamps = JSON.parse(readFileSync(STAMPS, "utf8")); } catch { /* first build */ }
const saveStamps = () => writeFileSync(STAMPS, JSON.stringify(stamps, null, 1) + "\n");

/** Runs `build` unless the stamp for `name` matches `hash` and every output exists. */
function step(name, hash, outputs, why, build) {
  if (!force && stamps[name] === hash && outputs.every((o) => existsSync(o))) return false;
  if (check) { say(`would run: ${why}`); return true; }
  const t0 = performance.now();
  build();
  stamps[name] = hash;
  saveStamps();
  say(`${why} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return true;
}

const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
const toolFiles = ["package.json", "package-lock.json"];

if (!only || only === "wasm") {
  const inputs = [...tsFiles(["soc"]), "asconfig.json", ...toolFiles];
  step("wasm", hashOf(inputs), ["build/soc.wasm"], "asc soc/ -> build/soc.wasm", () => {
    log("asc soc/index.ts -> build/soc.wasm");
    execFileSync(bin("asc"), ["soc/index.ts", "--target", "release"], { stdio: "inherit" });
  });
}
if (!only || only === "ts") {
  const entries = tsFiles(["host", "tools", "kernel"]);
  step("js", hashOf(entries, ...toolFiles), entries.map((e) => join("dist", e.replace(/\.ts$/, ".js"))), `esbuild ${entries.length} files -> dist/`, () => {
    log(`esbuild ${entries.length} files -> dist/`);
    execFileSync(bin("esbuild"), [...entries, "--outdir=dist", "--outbase=.", "--format=esm", "--platform=node", "--target=node20", "--log-level=warning"], { stdio: "inherit" });
  });
  step("wasm-copy", hashOf(["build/soc.wasm"]), ["dist/soc.wasm"], "build/soc.wasm -> dist/soc.wasm", () => copyFileSync("build/soc.wasm", "dist/soc.wasm"));
  // The TS kernel's default image, assembled once here (kernel/index.ts buildKernel uses it
  // while boot/ is unchanged).
  const bootInputs = existsSync("boot") ? walk("boot", () => true) : [];
  step("kernel-image", hashOf([...bootInputs, ...entries.filter((e) => e.startsWith("kernel") || e.startsWith("tools"))]), ["dist/kernel/boot-image.json"], "boot/*.S -> dist/kernel/boot-image.json", () => {
    execFileSync(process.execPath, ["--input-type=module", "-e", `(await import(${JSON.stringify(new URL("../dist/kernel/index.js", import.meta.url).href)})).saveKernelImage()`], { stdio: "inherit" });
  });
  if (existsSync(bin("tsc")) && process.argv.includes("--types")) {
    const inputs = [...entries, "tsconfig.json", "tsconfig.build.json", ...toolFiles];
    step("types", hashOf(inputs), ["dist/host/index.d.ts", "dist/tools/index.d.ts", "dist/kernel/index.d.ts"], "tsc: type check and declarations -> dist/", () => {
      log("tsc: type check and declarations -> dist/");
      execFileSync(bin("tsc"), ["-p", "tsconfig.build.json"], { stdio: "inherit" });
    });
  }
}
