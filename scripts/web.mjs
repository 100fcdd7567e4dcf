// npm run web [-- --serve [PORT]]: builds the playground into web-dist/ (esbuild),
// and with --serve serves it on 127.0.0.1 with the cross-origin isolation
// headers SharedArrayBuffer needs (any static server that sets
// Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp works).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { join, dirname, extname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "web-dist");

export async function buildWeb() {
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: { main: join(root, "web/main.ts"), worker: join(root, "web/worker.ts") },
    outdir: out, bundle: true, format: "esm", platform: "browser", target: "es2022",
    loader: { ".S": "text", ".h": "text" }, logLevel: "warning",
    external: ["node:*"],
  });
  copyFileSync(join(root, "web/index.html"), join(out, "index.html"));
  copyFileSync(join(root, "build/soc.wasm"), join(out, "soc.wasm"));
  copyFileSync(join(root, "node_modules/@xterm/xterm/css/xterm.css"), join(out, "xterm.css"));
  return out;
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm" };

export function serve(port) {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const path = join(out, decodeURIComponent(new URL(req.url, "http://x").pathname).replace(/\/$/, "/index.html"));
      if (!path.startsWith(out) || !existsSync(path)) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, {
        "Content-Type": TYPES[extname(path)] ?? "application/octet-stream",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Embedder-Policy": "require-corp",
      });
      res.end(readFileSync(path));
    });
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildWeb();
  console.log(`built ${out}`);
  const i = process.argv.indexOf("--serve");
  if (i > 0) {
    const port = Number(process.argv[i + 1] ?? 8080) || 8080;
    await serve(port);
    console.log(`serving http://127.0.0.1:${port}/ (Ctrl-C to stop)`);
  }
}
