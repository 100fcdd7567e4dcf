// PNG screenshots of the framebuffer (`rpi-os run --screenshot FILE.png`,
// `--screenshot-every S`), written with pngjs.

import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { PNG as PNGClass } from "pngjs";
import { framebufferRGBA, type Framebuffer } from "../host/framebuffer.js";
import type { Machine } from "../host/machine.js";

/** The visible framebuffer as a PNG file's bytes. */
export function framebufferPng(fb: Framebuffer): Buffer {
  // pngjs (CommonJS, with zlib) is required here, not imported: loading it cost every start of
  // the CLI ~40 ms, and only a screenshot needs it.
  const { PNG } = createRequire(import.meta.url)("pngjs") as { PNG: typeof PNGClass };
  const png = new PNG({ width: fb.width, height: fb.height });
  png.data = Buffer.from(framebufferRGBA(fb));
  return PNG.sync.write(png);
}

/** Writes the screen to `file`; false if the guest has no framebuffer yet. */
export function writeScreenshot(m: Machine, file: string): boolean {
  const fb = m.framebuffer();
  if (!fb) return false;
  writeFileSync(file, framebufferPng(fb));
  return true;
}

/** `shot.png` and n = 3 -> `shot-0003.png` (the periodic screenshots). */
export function numberedName(file: string, n: number): string {
  const dot = file.toLowerCase().endsWith(".png") ? file.length - 4 : file.length;
  return `${file.slice(0, dot)}-${String(n).padStart(4, "0")}${file.slice(dot) || ".png"}`;
}
