// The compiler's hotness threshold, apart from the Machine so that the CLI's option table can
// name it without loading the rest.

/**
 * Taken branches to a target before it is compiled. Compiling a region costs milliseconds of
 * V8 time (far more on a loaded machine); at 256 most public programs ran slower than with the
 * interpreter alone (BENCHMARKS.md, third session). It was 8192 until the hot counters were too
 * few (4096 for all of RAM): a loop whose counter an already compiled target shared never got
 * hot, which below 5120 cost Debian's kernel a 300 M-instruction loop. With 64 Ki counters
 * (soc/cpu/jit.ts HOT_ENTRIES) 4096 boots it as fast and the public programs take 0.96 of the
 * time (BENCHMARKS.md, eleventh session).
 */
export const JIT_THRESHOLD = 4096;
/** The highest threshold (soc/cpu/jit.ts MAX_THRESHOLD: a hot counter holds 16 bits of count). */
export const JIT_MAX_THRESHOLD = 0xffff - 1024;
