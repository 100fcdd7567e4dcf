#!/usr/bin/env -S node --v8-pool-size=0
// The `rpi-os` command as installed (package.json "bin", npm start): dist/rpi-os-cli.cjs, the
// CLI bundled into one script by scripts/build.mjs, compiled with the V8 code cache that the
// build wrote beside it (dist/rpi-os-cli.cache: the bytecode of every function a training run
// executed). Without the cache a fresh process parses and compiles the CLI's modules, the
// compiler of hot code included, before and while it runs: about 17 ms of every run (BENCHMARKS.md,
// "The code cache, and leaner regions"). dist/tools/cli.js, the same CLI as ES modules, behaves the same and is what
// the tests spawn.
//
// Plain CommonJS, not built: Node's ES module loader alone costs a start-up a few milliseconds,
// and vm.Script, the API that takes a code cache, runs a script, not a module.
//
// The node option on the first line: V8's pool of background threads is one fewer than the CPUs
// instead of Node's fixed four. V8 compiles hot WebAssembly with its optimizing tier on those
// threads, one region function a thread; four of them on two CPUs took the CPU the guest runs on
// (62 Embench and CoreMark runs, fresh processes: geometric mean 0.895 of the wall time, sglib
// 0.81, CoreMark 1.2 G 0.93; BENCHMARKS.md, "eleventh session"). It is a Node option, not a V8
// flag, so the code caches still match. Where the command is spawned rather than executed (npm
// scripts, the bench: scripts/cli-command.mjs) the same options are passed from this line.
//
// RPI_OS_CODE_CACHE=0 compiles without the cache; =write (the build's training run) writes it
// at exit. V8 refuses a cache from another V8 version or other flags, and the CLI then runs as
// it would without one (`rpi-os run --stats-time` says which).
"use strict";
const { readFileSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

// The SoC module first (dist/soc-node.wasm, written by the build): V8 compiles it on a background
// thread while this one reads and deserializes the CLI, and host/wasm.ts compileSoc takes the
// promise. Started from the CLI's module loading instead, the run waited 1.7 ms for it.
try {
  const soc = WebAssembly.compile(readFileSync(join(__dirname, "soc-node.wasm")));
  soc.catch(() => { /* compileSoc reads build/soc.wasm itself */ });
  globalThis.__rpiOsSoc = soc;
} catch { /* not built: the same */ }
const vm = require("node:vm");
// (The loader's Module class without require("node:module"), which costs 0.3 ms of start-up.)
const Module = module.constructor;

const file = join(__dirname, "rpi-os-cli.cjs");
const cacheFile = join(__dirname, "rpi-os-cli.cache");
const mode = process.env.RPI_OS_CODE_CACHE;
let cachedData;
if (mode !== "0" && mode !== "write") {
  try { cachedData = readFileSync(cacheFile); } catch { /* not built: compile without */ }
}
// (The bundle has no import(): a script compiled from a cache gets no callback for it. It is
// ASCII, which the build makes sure of: read as latin1, it is a one-byte string.)
const script = new vm.Script(Module.wrap(readFileSync(file, "latin1")), { filename: file, cachedData });
globalThis.__rpiOsCodeCache = cachedData === undefined ? "none" : script.cachedDataRejected ? "rejected" : "used";
if (mode === "write") process.on("exit", () => writeFileSync(cacheFile, script.createCachedData()));
const cli = new Module(file, module);
cli.filename = file;
cli.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext()(cli.exports, (id) => cli.require(id), cli, file, __dirname);
