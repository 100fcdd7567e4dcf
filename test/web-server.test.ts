// scripts/web.mjs's static server (issue 18): malformed paths get 400 and do not
// kill it, nothing outside its folder is served (a sibling folder whose name
// starts like it included), only GET and HEAD, and the isolation headers.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:net";
import type { Server } from "node:http";

let dir: string;
let server: Server;
let port: number;

/** Sends one raw request line (no client-side normalization) and returns the status code and body. */
function raw(requestLine: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => s.write(`${requestLine}\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = "";
    s.on("data", (d) => { data += d.toString("latin1"); });
    s.on("end", () => {
      const m = /^HTTP\/1\.1 (\d+)/.exec(data);
      resolve({ status: m ? Number(m[1]) : 0, body: data.slice(data.indexOf("\r\n\r\n") + 4) });
    });
    s.on("error", reject);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "rpi-web-"));
  mkdirSync(join(dir, "web-dist/sub"), { recursive: true });
  mkdirSync(join(dir, "web-dist-secret"), { recursive: true });
  writeFileSync(join(dir, "web-dist/index.html"), "<p>lab</p>");
  writeFileSync(join(dir, "web-dist/sub/a.js"), "export {}");
  writeFileSync(join(dir, "web-dist-secret/x"), "SECRET");
  writeFileSync(join(dir, "outside.txt"), "OUTSIDE");
  // @ts-expect-error: a plain .mjs script without types
  const web = await import("../scripts/web.mjs");
  server = await web.serve(0, { dir: join(dir, "web-dist") });
  port = (server.address() as { port: number }).port;
});
afterAll(() => { server?.close(); rmSync(dir, { recursive: true, force: true }); });

describe("web server", () => {
  it("serves the folder with the cross-origin isolation headers", async () => {
    const r = await fetch(`http://127.0.0.1:${port}/`);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe("<p>lab</p>");
    expect(r.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(r.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
    expect((await fetch(`http://127.0.0.1:${port}/sub/a.js`)).headers.get("content-type")).toBe("text/javascript");
    expect((await fetch(`http://127.0.0.1:${port}/sub/`)).status).toBe(404); // a folder without index.html
  });

  it("answers 400 to paths that do not decode, and keeps serving", async () => {
    for (const p of ["/%", "/%c0%ae%c0%ae/etc/passwd", "/%zz", "/a%00b"]) expect((await raw(`GET ${p} HTTP/1.1`)).status, p).toBe(400);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
  });

  it("serves nothing outside its folder", async () => {
    for (const p of ["/..%2fweb-dist-secret%2fx", "/../web-dist-secret/x", "/..%2f..%2foutside.txt", "/%2e%2e/outside.txt", "/..\\outside.txt", "/../outside.txt"]) {
      const r = await raw(`GET ${p} HTTP/1.1`);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toMatch(/SECRET|OUTSIDE/);
    }
  });

  it("answers only GET and HEAD", async () => {
    const head = await fetch(`http://127.0.0.1:${port}/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    for (const method of ["POST", "PUT", "DELETE"]) {
      const r = await fetch(`http://127.0.0.1:${port}/`, { method });
      expect(r.status, method).toBe(405);
      expect(r.headers.get("allow")).toBe("GET, HEAD");
    }
  });
});
