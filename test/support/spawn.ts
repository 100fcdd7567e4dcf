// A child process run without blocking the test worker (spawnSync of a long run stalls vitest's
// RPC with the main process: "Timeout calling onTaskUpdate").
import { spawn } from "node:child_process";

export interface Ran { status: number | null; stdout: string; stderr: string }

/** Runs `cmd args`, feeding `input` (then closing stdin); kills it after `timeoutMs`. */
export function run(cmd: string, args: string[], opts: { input?: string | Buffer; timeoutMs?: number; cwd?: string } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    // Its own process group, so a timeout also ends what a `sh -c` pipeline started.
    const p = spawn(cmd, args, { cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"], detached: true });
    const out: Buffer[] = [], err: Buffer[] = [];
    p.stdout.on("data", (d: Buffer) => out.push(d));
    p.stderr.on("data", (d: Buffer) => err.push(d));
    p.stdin.on("error", () => {});
    const timer = setTimeout(() => { try { process.kill(-p.pid!, "SIGKILL"); } catch { p.kill("SIGKILL"); } }, opts.timeoutMs ?? 60_000);
    p.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: Buffer.concat(out).toString("latin1"), stderr: Buffer.concat(err).toString("latin1") });
    });
    p.stdin.end(opts.input ?? "");
  });
}
