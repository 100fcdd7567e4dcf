// Builds what the tests and the CLI need: soc/ -> build/soc.wasm (AssemblyScript),
// host/ tools/ kernel/ -> dist/ (esbuild, one .js per .ts), plus type declarations
// when TypeScript is installed.
import { execFileSync } from "node:child_process";
import { readdirSync, statSync, mkdirSync, copyFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const bin = (name) => join(root, "node_modules", ".bin", name);
const quiet = process.argv.includes("--quiet");
const log = (m) => { if (!quiet) console.log(m); };

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (p.endsWith(".ts") && !p.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);

if (!only || only === "wasm") {
  log("asc soc/index.ts -> build/soc.wasm");
  mkdirSync("build", { recursive: true });
  execFileSync(bin("asc"), ["soc/index.ts", "--target", "release"], { stdio: "inherit" });
}
if (!only || only === "ts") {
  const entries = ["host", "tools", "kernel"].filter((d) => existsSync(d)).flatMap(walk);
  log(`esbuild ${entries.length} files -> dist/`);
  execFileSync(bin("esbuild"), [...entries, "--outdir=dist", "--outbase=.", "--format=esm", "--platform=node", "--target=node20", "--log-level=warning"], { stdio: "inherit" });
  copyFileSync("build/soc.wasm", "dist/soc.wasm");
  // The TS kernel's default image, assembled once here (kernel/index.ts buildKernel uses it
  // while boot/ is unchanged).
  execFileSync(process.execPath, ["--input-type=module", "-e", `(await import(${JSON.stringify(new URL("../dist/kernel/index.js", import.meta.url).href)})).saveKernelImage()`], { stdio: "inherit" });
  if (existsSync(bin("tsc")) && process.argv.includes("--types")) {
    log("tsc: type check and declarations -> dist/");
    execFileSync(bin("tsc"), ["-p", "tsconfig.build.json"], { stdio: "inherit" });
  }
}
