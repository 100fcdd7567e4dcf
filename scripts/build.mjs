// Builds what the tests and the CLI need: soc/ -> build/soc.wasm (AssemblyScript),
// host/ tools/ kernel/ -> dist/ (esbuild, one .js per .ts), the TS kernel's default image, plus
// type declarations when TypeScript is installed and --types is given.
//
// Each step runs only when its inputs changed since it last ran: a hash of the input files'
// names and contents is kept in build/stamps.json (content, not mtimes, so a checkout or a
// touch that changes nothing rebuilds nothing). What is built is said on stderr, one line a
// step, --quiet or not; --force rebuilds everything; --check only says what would be built.
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, statSync, mkdirSync, copyFileSync, existsSync, readFileSync, writeFileSync, chmodSync } from "node:fs";
import { join, dirname, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createHash } from "node:crypto";
import { cliCommand } from "./cli-command.mjs";

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

/** Runs `build` unless the stamp for `name` matches `hash` and every output exists (`build` returns false: it could not). */
async function step(name, hash, outputs, why, build) {
  if (!force && stamps[name] === hash && outputs.every((o) => existsSync(o))) return false;
  if (check) { say(`would run: ${why}`); return true; }
  const t0 = performance.now();
  if (await build() === false) return false; // (not built, and said why)
  stamps[name] = hash;
  saveStamps();
  say(`${why} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return true;
}

// Our own FP/SIMD test program (test/guest/fp): integer, FP and -O3 vectorised C. With a low
// threshold its 34 regions take the compiler of hot code through most of its paths, SIMD&FP
// ones included (bench.img, our crc32, compiles 3 regions of 21 instructions and left the
// emitters of vector code out of the cache: md5sum-O3fp-10 spent 4.3 ms emitting, not 1.1).
const TRAINING_IMAGE = "test/guest/fp/fp.img";
const CC = process.env.CC || "cc";
const FAST_EXIT = "dist/fast-exit.node";

/**
 * dist/tools/cli.js and what it imports, as one CommonJS script for tools/launch.cjs. Each
 * module's import.meta.url stays its own dist/ file's URL (the CLI finds soc.wasm, boot/ and the
 * kernel image relative to its modules); a dynamic import() of a module of ours becomes a lazy
 * initialiser in the bundle, so the modules `rpi-os run` does not load still do not run, and one
 * of a Node builtin a require().
 */
async function bundleCli() {
  const esbuild = await import("esbuild");
  const dist = join(root, "dist");
  await esbuild.build({
    entryPoints: ["dist/tools/cli.js"], bundle: true, outfile: "dist/rpi-os-cli.cjs", format: "cjs", platform: "node",
    target: "node20", external: ["pngjs"], logLevel: "warning",
    // Without comments and indentation: 519 -> 372 KB, which every start reads into a string and
    // compiles from the code cache, 0.8-1.0 ms less of it (BENCHMARKS.md, fifteenth session).
    // Names stay, so stack traces and profiles still read; dist/tools/cli.js is the same CLI unbundled.
    minifyWhitespace: true,
    banner: { js: 'const __rpiOsUrl = (p) => require("node:url").pathToFileURL(require("node:path").join(__dirname, p)).href;' },
    plugins: [{
      name: "own-import-meta-url",
      setup(b) {
        b.onLoad({ filter: /\.js$/ }, (args) => {
          const rel = relative(dist, args.path);
          const text = readFileSync(args.path, "utf8").replace(/^#!.*\n/, "").replaceAll("import.meta.url", `__rpiOsUrl(${JSON.stringify(rel)})`)
            // A script compiled from a code cache has no import() callback: Node's builtins are required.
            .replace(/\bimport\(("node:[^"]+")\)/g, "Promise.resolve().then(() => require($1))");
          return { contents: text, loader: "js" };
        });
      },
    }],
  });
  // ASCII only, so that the launcher reads it as latin1 into a one-byte string: one other
  // character (an em dash in a comment) made V8 decode, keep and scan the whole script as UTF-16
  // (0.7-1.0 ms of every run). \uXXXX means the same in a string, a template, a regular
  // expression or an identifier, and a comment is a comment.
  const out = readFileSync("dist/rpi-os-cli.cjs", "utf8");
  writeFileSync("dist/rpi-os-cli.cjs", out.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
const toolFiles = ["package.json", "package-lock.json"];

if (!only || only === "wasm") {
  const inputs = [...tsFiles(["soc"]), "asconfig.json", ...toolFiles];
  await step("wasm", hashOf(inputs), ["build/soc.wasm"], "asc soc/ -> build/soc.wasm", () => {
    log("asc soc/index.ts -> build/soc.wasm");
    execFileSync(bin("asc"), ["soc/index.ts", "--target", "release"], { stdio: "inherit" });
  });
}
if (!only || only === "ts") {
  const entries = tsFiles(["host", "tools", "kernel"]);
  const distJs = entries.map((e) => join("dist", e.replace(/\.ts$/, ".js")));
  await step("js", hashOf(entries, ...toolFiles), distJs, `esbuild ${entries.length} files -> dist/`, () => {
    log(`esbuild ${entries.length} files -> dist/`);
    execFileSync(bin("esbuild"), [...entries, "--outdir=dist", "--outbase=.", "--format=esm", "--platform=node", "--target=node20", "--log-level=warning"], { stdio: "inherit" });
  });
  await step("wasm-copy", hashOf(["build/soc.wasm"]), ["dist/soc.wasm"], "build/soc.wasm -> dist/soc.wasm", () => copyFileSync("build/soc.wasm", "dist/soc.wasm"));
  // The module as Node loads it (host/wasm.ts sharedMemory), which the launcher compiles first.
  await step("wasm-node", hashOf(["build/soc.wasm", "host/wasm.ts"]), ["dist/soc-node.wasm"], "build/soc.wasm -> dist/soc-node.wasm (shared memory)", async () => {
    const { sharedMemory, SOC_NODE_WASM } = await import(`${pathToFileURL(join(root, "dist/host/wasm.js")).href}?${Date.now()}`);
    writeFileSync(SOC_NODE_WASM, sharedMemory(new Uint8Array(readFileSync("build/soc.wasm"))));
  });
  // The CLI's exit without V8's platform shutdown (tools/fast_exit.c), where the system has a C
  // compiler; without one the CLI exits through process.exit, the same but 3-12 ms slower a run.
  if (process.platform === "linux" && spawnSync(CC, ["--version"]).status === 0) {
    await step("fast-exit", hashOf(["tools/fast_exit.c"], CC, process.arch), [FAST_EXIT], `tools/fast_exit.c -> ${FAST_EXIT}`, () => {
      const r = spawnSync(CC, ["-O2", "-Wall", "-shared", "-fPIC", "-o", FAST_EXIT, "tools/fast_exit.c"], { encoding: "utf8" });
      if (r.status === 0) return true;
      say(`${CC} could not build tools/fast_exit.c (the CLI exits through process.exit): ${(r.stderr || String(r.error)).trim().split("\n")[0]}`);
      return false;
    });
  } else if (!existsSync(FAST_EXIT) && !check) say(`no C compiler (${CC}) for tools/fast_exit.c: the CLI exits through process.exit`);
  // The TS kernel's default image, assembled once here (kernel/index.ts buildKernel uses it
  // while boot/ is unchanged).
  const bootInputs = existsSync("boot") ? walk("boot", () => true) : [];
  await step("kernel-image", hashOf([...bootInputs, ...entries.filter((e) => e.startsWith("kernel") || e.startsWith("tools"))]), ["dist/kernel/boot-image.json"], "boot/*.S -> dist/kernel/boot-image.json", () => {
    execFileSync(process.execPath, ["--input-type=module", "-e", `(await import(${JSON.stringify(new URL("../dist/kernel/index.js", import.meta.url).href)})).saveKernelImage()`], { stdio: "inherit" });
  });
  // The installed command (tools/launch.cjs, ARCHITECTURE.md "Start-up"): the CLI bundled into
  // one CommonJS script, and the V8 code cache of a training run of it.
  await step("bundle", hashOf([...distJs, "tools/launch.cjs", "scripts/build.mjs", ...toolFiles]), ["dist/rpi-os.cjs", "dist/rpi-os-cli.cjs"], "dist/tools/cli.js -> dist/rpi-os-cli.cjs (one script)", async () => {
    await bundleCli();
    copyFileSync("tools/launch.cjs", "dist/rpi-os.cjs");
    chmodSync("dist/rpi-os.cjs", 0o755);
  });
  // The cache holds bytecode for this V8 only (another refuses it): the Node version is an input.
  await step("code-cache", hashOf(["dist/rpi-os-cli.cjs", "dist/rpi-os.cjs", "dist/soc.wasm", "dist/soc-node.wasm", TRAINING_IMAGE], process.version), ["dist/rpi-os-cli.cache"], "dist/rpi-os-cli.cache (V8 code cache of a training run)", () => {
    // Start-up, the interpreter's host side and the compiler of hot code all run, so their
    // functions' bytecode is in the cache.
    const [node, ...launcher] = cliCommand("dist/rpi-os.cjs");
    const r = spawnSync(node, [...launcher, "run", TRAINING_IMAGE, "--semihosting", "--cores", "1", "--stats", "--jit-threshold", "64"], {
      env: { ...process.env, RPI_OS_CODE_CACHE: "write" }, encoding: "utf8", stdio: ["ignore", "ignore", "pipe"],
    });
    if (!existsSync("dist/rpi-os-cli.cache") || !/instructions in compiled code/.test(r.stderr)) {
      throw new Error(`the training run of dist/rpi-os.cjs failed (status ${r.status}): ${r.stderr.trim().split("\n")[0]}`);
    }
  });
  if (existsSync(bin("tsc")) && process.argv.includes("--types")) {
    const inputs = [...entries, "tsconfig.json", "tsconfig.build.json", ...toolFiles];
    await step("types", hashOf(inputs), ["dist/host/index.d.ts", "dist/tools/index.d.ts", "dist/kernel/index.d.ts"], "tsc: type check and declarations -> dist/", () => {
      log("tsc: type check and declarations -> dist/");
      execFileSync(bin("tsc"), ["-p", "tsconfig.build.json"], { stdio: "inherit" });
    });
  }
}
