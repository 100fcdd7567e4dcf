// The pinned commit of a public repository, for the scripts that build programs nobody here
// wrote (bench-build.mjs, tutorial-build.mjs): found in a git directory or checkout the user
// names, else in the machine's mirror, else in a bare clone in ~/.cache/rpi-os/src; exported
// with `git archive`, so a checkout's work tree and its other commits never matter.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

const git = (args, options = {}) => {
  const r = spawnSync("git", args, { encoding: "utf8", maxBuffer: 64 << 20, ...options });
  return { status: r.error ? null : r.status, stdout: r.stdout ?? "", stderr: r.error ? r.error.message : r.stderr ?? "" };
};

/**
 * The git directory holding `commit` of `url`. `given` (with `what`, how the user named it: an
 * option, a variable) wins; else the mirror `/work/.mirror/OWNER+NAME/repo`; else the clone,
 * made on first use. `fail(message)` does not return; `say(message)` tells what is happening.
 */
export function gitSource({ url, commit, given, what, fail, say }) {
  const slug = url.replace(/^https:\/\/github\.com\//, "").replace("/", "+");
  const gitDirOf = (src, label) => {
    if (!existsSync(src)) fail(`${label} ${src} does not exist`);
    const g = git(["-C", src, "rev-parse", "--absolute-git-dir"]);
    // git's own line too: a repository owned by another user is refused (safe.directory), not absent.
    if (g.status !== 0) fail(`${label} ${src} is not a git directory or checkout (${g.stderr.trim().split("\n")[0]})`);
    const dir = g.stdout.trim();
    if (git(["--git-dir", dir, "cat-file", "-e", `${commit}^{commit}`]).status !== 0) fail(`${label} ${src} has no commit ${commit.slice(0, 7)} of ${url}`);
    return dir;
  };
  if (given !== undefined) return gitDirOf(resolve(given), what);
  const mirror = join("/work/.mirror", slug, "repo");
  if (existsSync(mirror)) return gitDirOf(mirror, "the mirror");
  const clone = join(homedir(), ".cache", "rpi-os", "src", slug);
  if (!existsSync(clone)) {
    // Bare: the clone is only read with git archive, a work tree would be a second copy.
    say(`cloning ${url} into ${clone}`);
    mkdirSync(join(clone, ".."), { recursive: true });
    const c = git(["clone", "--quiet", "--bare", url, clone], { stdio: ["ignore", "ignore", "pipe"] });
    if (c.status !== 0) { rmSync(clone, { recursive: true, force: true }); fail(`git clone ${url} failed: ${c.stderr.trim().split("\n").pop()}`); }
  }
  return gitDirOf(clone, "the clone");
}

/** Writes `commit`'s files (only `paths`, when given) under `dest`, which must exist. */
export function exportCommit(gitDir, commit, dest, paths, fail) {
  const tarFile = join(dest, ".export.tar");
  const ar = git(["--git-dir", gitDir, "archive", "--output", tarFile, commit, ...(paths ?? [])]);
  if (ar.status !== 0) fail(`git archive ${commit.slice(0, 7)} failed: ${ar.stderr.trim().split("\n").pop()}`);
  const x = spawnSync("tar", ["-xf", tarFile, "-C", dest], { encoding: "utf8" });
  if (x.status !== 0) fail(`tar -xf failed: ${(x.stderr ?? x.error?.message ?? "").trim().split("\n").pop()}`);
  rmSync(tarFile);
}
