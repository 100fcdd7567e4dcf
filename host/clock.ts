// The host's clock for timing figures (`--stats-time`, the compiler's phases, wall-time caps,
// real-time pacing): milliseconds since the process started, or in a browser since the page's
// time origin.
//
// In Node `performance` is a lazily loaded global: its first use loads perf_hooks and nine more
// internal modules, 1.2 ms of every run that compiles anything (BENCHMARKS.md, fifteenth
// session). process.uptime() is a plain binding with the same origin and microsecond resolution.

export const nowMs: () => number =
  typeof process !== "undefined" && typeof process.uptime === "function"
    ? () => process.uptime() * 1000
    : () => performance.now();
