// npm run web [-- --port N] [-- --build-only]: the interrupt lab.
//
// Builds the page into web-dist/ (esbuild; only when a source changed since the
// last build) and serves it on 127.0.0.1 with the two cross-origin isolation
// headers SharedArrayBuffer needs. web-dist/ is a static site: any server that
// sends `Cross-Origin-Opener-Policy: same-origin` and
// `Cross-Origin-Embedder-Policy: require-corp` serves it as well.
//
// The server answers GET and HEAD only (405 otherwise), 400 to a path that does
// not decode, and serves only files inside its folder (resolved, then checked
// against the folder with a trailing separator, so a sibling folder whose name
// starts the same is outside).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { join, dirname, extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "web-dist");

/** Files whose contents the page is built from (and so decide whether to rebuild). */
function inputs() {
  const files = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  for (const d of ["web", "host", "tools", "kernel", "boot"]) walk(join(root, d));
  files.push(join(root, "build/soc.wasm"), join(root, "package-lock.json"), fileURLToPath(import.meta.url));
  return files.sort();
}

function stamp() {
  const h = createHash("sha256");
  for (const f of inputs()) {
    if (!existsSync(f)) continue;
    const s = statSync(f);
    h.update(`${f}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return h.digest("hex");
}

/** The boot and kernel sources as one module, for the editor, the source pane and the in-page assembler. */
function labSources() {
  const files = {};
  const add = (dir, filter) => {
    const walk = (d) => {
      for (const e of readdirSync(join(root, d), { withFileTypes: true })) {
        const p = `${d}/${e.name}`;
        if (e.isDirectory()) { if (e.name !== "linux") walk(p); } else if (filter(e.name)) files[p] = readFileSync(join(root, p), "utf8");
      }
    };
    walk(dir);
  };
  add("boot", (n) => /\.(S|h)$/.test(n));
  add("kernel", (n) => n.endsWith(".ts"));
  return `export const SOURCES = ${JSON.stringify(files)};`;
}

function ensureWasm(log) {
  const wasm = join(root, "build/soc.wasm");
  let newest = 0;
  const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) { const p = join(d, e.name); if (e.isDirectory()) walk(p); else newest = Math.max(newest, statSync(p).mtimeMs); } };
  walk(join(root, "soc"));
  if (existsSync(wasm) && statSync(wasm).mtimeMs >= newest) return;
  log("building build/soc.wasm (AssemblyScript, about 20 s)...");
  execFileSync(process.execPath, [join(root, "scripts/build.mjs"), "--only=wasm", "--quiet"], { stdio: "inherit" });
}

/** Builds web-dist/ unless it is up to date; returns its path. `log` gets progress lines. */
export async function buildWeb({ log = () => {}, force = false } = {}) {
  ensureWasm(log);
  const key = stamp();
  const stampFile = join(out, ".stamp");
  if (!force && existsSync(stampFile) && readFileSync(stampFile, "utf8") === key) { log("web-dist/ is up to date"); return out; }
  log("bundling the page and the worker (esbuild)...");
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: { main: join(root, "web/main.ts"), worker: join(root, "web/worker.ts") },
    outdir: out, bundle: true, format: "esm", platform: "browser", target: "es2022",
    sourcemap: "linked", sourcesContent: false, logLevel: "warning",
    external: ["node:*"],
    plugins: [{
      name: "lab-sources",
      setup(b) {
        b.onResolve({ filter: /^lab-sources$/ }, () => ({ path: "lab-sources", namespace: "lab" }));
        b.onLoad({ filter: /.*/, namespace: "lab" }, () => ({ contents: labSources(), loader: "js" }));
      },
    }],
  });
  for (const [from, to] of [["web/index.html", "index.html"], ["web/favicon.svg", "favicon.svg"], ["build/soc.wasm", "soc.wasm"],
    ["node_modules/@xterm/xterm/css/xterm.css", "xterm.css"], ["node_modules/esbuild-wasm/esbuild.wasm", "esbuild.wasm"]]) {
    copyFileSync(join(root, from), join(out, to));
  }
  writeFileSync(stampFile, key);
  log(`built ${out}`);
  return out;
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm",
  ".svg": "image/svg+xml", ".map": "application/json", ".json": "application/json", ".png": "image/png",
};

/** The file under `dir` that a request path names, or a status code (400: malformed, 404: outside or missing). */
export function resolveRequest(dir, url) {
  let path;
  try {
    path = decodeURIComponent(new URL(url, "http://localhost").pathname);
  } catch {
    return 400;
  }
  if (path.includes("\0")) return 400;
  const base = resolve(dir);
  let file = resolve(base, "." + path);
  if (file !== base && !file.startsWith(base + sep)) return 404;
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file) || !statSync(file).isFile()) return 404;
  return file;
}

/** Serves `dir` (default web-dist/) with the isolation headers; `ready` (a promise) delays answers until the build is done. */
export function serve(port, { dir = out, host = "127.0.0.1", ready } = {}) {
  return new Promise((resolveServer, reject) => {
    const server = createServer(async (req, res) => {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { Allow: "GET, HEAD" });
        res.end();
        return;
      }
      try { await ready; } catch { res.writeHead(503); res.end("the build failed: see the terminal\n"); return; }
      const file = resolveRequest(dir, req.url ?? "/");
      if (typeof file === "number") { res.writeHead(file); res.end(); return; }
      const body = readFileSync(file);
      res.writeHead(200, {
        "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
        "Content-Length": body.length,
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Embedder-Policy": "require-corp",
        "Cache-Control": "no-cache",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    });
    server.on("error", reject);
    server.listen(port, host, () => resolveServer(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const log = (m) => console.log(`rpi-os web: ${m}`);
  if (args.includes("--build-only")) {
    await buildWeb({ log, force: args.includes("--force") });
  } else {
    const i = args.indexOf("--port");
    const port = i >= 0 ? Number(args[i + 1]) : 8080;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error(`rpi-os web: --port needs a number from 0 to 65535, not '${args[i + 1]}'`);
      process.exit(2);
    }
    // The URL first; requests wait for the build.
    let built;
    const ready = new Promise((resolve, reject) => { built = { resolve, reject }; });
    ready.catch((e) => { console.error(`rpi-os web: build failed: ${e.message}`); });
    try {
      const server = await serve(port, { ready });
      log(`serving http://127.0.0.1:${server.address().port}/ (Ctrl-C to stop)`);
    } catch (e) {
      console.error(`rpi-os web: cannot listen on 127.0.0.1:${port}: ${e.code === "EADDRINUSE" ? "the port is in use (try --port N)" : e.message}`);
      process.exit(2);
    }
    buildWeb({ log }).then(built.resolve, built.reject);
    await ready.catch(() => process.exit(1));
  }
}
