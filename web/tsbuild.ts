// Edit and run, TypeScript half: bundles the edited kernel/*.ts in the page
// with esbuild's WebAssembly build (in a worker of its own, loaded once), from
// the page's copies of the files. What the kernel imports from outside kernel/
// (the Machine, the assembler, the trace texts) is not bundled again: it
// resolves to the machine worker's own modules (globalThis.__rpiHost there),
// so the edited kernel drives the same machine code.

import type { Diagnostic } from "./protocol.js";

export class BundleError extends Error {
  constructor(readonly errors: Diagnostic[]) { super(errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`).join("\n")); }
}

type Esbuild = typeof import("esbuild-wasm/esm/browser.js");
let esbuild: Promise<Esbuild> | undefined;

function load(): Promise<Esbuild> {
  esbuild ??= (async () => {
    const mod = await import("esbuild-wasm/esm/browser.js");
    await mod.initialize({ wasmURL: new URL("./esbuild.wasm", import.meta.url).href, worker: true });
    return mod;
  })();
  return esbuild;
}

/** "kernel/lesson.ts" importing "./timer.js" -> "kernel/timer.ts"; undefined outside kernel/. */
function resolve(from: string, spec: string, files: Record<string, string>): string | undefined {
  const parts = from.split("/").slice(0, -1);
  for (const p of spec.split("/")) {
    if (p === "..") parts.pop();
    else if (p !== ".") parts.push(p);
  }
  const path = parts.join("/").replace(/\.js$/, ".ts");
  return path in files ? path : undefined;
}

/** Starts loading esbuild (14 MB of wasm) before it is needed. */
export function preloadEsbuild(): void { void load().catch(() => {}); }

/**
 * Bundles kernel/index.ts and kernel/lesson.ts from `files`; `host` names the exports of each
 * module outside kernel/ ("host/machine" -> ["Machine", ...]). Returns the module's text and source map.
 */
export async function buildKernelBundle(files: Record<string, string>, host: Record<string, string[]>): Promise<{ js: string; map: string }> {
  const es = await load();
  let result;
  try {
    result = await es.build({
      stdin: {
        contents: 'export * from "./kernel/index.ts";\nexport { LESSON_STEPS } from "./kernel/lesson.ts";\n',
        sourcefile: "lab-entry.ts", resolveDir: "/", loader: "ts",
      },
      bundle: true, format: "esm", write: false, outfile: "kernel.js",
      // A blob: module has no base for new URL(..., import.meta.url) (kernel/index.ts's image cache).
      define: { "import.meta.url": JSON.stringify(new URL("./kernel/index.js", import.meta.url).href) }, sourcemap: "external", sourcesContent: false, logLevel: "silent",
      plugins: [{
        name: "lab-files",
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (args.importer === "<stdin>" || args.importer.endsWith("lab-entry.ts") || args.importer === "") return { path: args.path.replace(/^\.\//, ""), namespace: "lab" };
            const inKernel = resolve(args.importer, args.path, files);
            if (inKernel) return { path: inKernel, namespace: "lab" };
            const mod = resolve(args.importer, args.path, Object.fromEntries(Object.keys(host).map((k) => [k + ".ts", ""])));
            if (mod) return { path: mod.replace(/\.ts$/, ""), namespace: "host" };
            return { errors: [{ text: `cannot import '${args.path}' in the browser build` }] };
          });
          b.onLoad({ filter: /.*/, namespace: "lab" }, (args) => ({ contents: files[args.path], loader: "ts" }));
          b.onLoad({ filter: /.*/, namespace: "host" }, (args) => ({
            contents: `const m = globalThis.__rpiHost[${JSON.stringify(args.path)}];\n` +
              host[args.path].map((k) => `export const ${k} = m.${k};`).join("\n"),
            loader: "js",
          }));
        },
      }],
    });
  } catch (e) {
    const errs = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }).errors;
    if (!errs) throw e;
    throw new BundleError(errs.map((x) => ({
      file: (x.location?.file ?? "kernel").replace(/^lab:/, ""), line: x.location?.line ?? 1, column: (x.location?.column ?? 0) + 1, message: x.text,
    })));
  }
  const js = result.outputFiles.find((f) => !f.path.endsWith(".map"))!.text;
  const map = result.outputFiles.find((f) => f.path.endsWith(".map"))?.text ?? '{"sources":[],"mappings":""}';
  return { js, map };
}
