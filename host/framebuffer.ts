// The framebuffer as the host sees it (soc/periph/framebuffer.ts keeps the
// configuration the mailbox tags set; the pixels are in guest RAM).
//
//   const fb = machine.framebuffer();      // undefined until the guest allocated one
//   const rgba = framebufferRGBA(fb);      // fb.width x fb.height, 4 bytes a pixel
//
// Pixel formats (the firmware's): depth 32 = 4 bytes a pixel, 24 = 3 bytes, both
// in memory order R,G,B with pixel order "rgb" (tag 0x48006 = 1) and B,G,R with
// "bgr" (0); the 4th byte of a 32-bit pixel is not shown. Depth 16 = RGB565 in a
// little-endian halfword (red in bits 15:11 for "rgb", blue there for "bgr").
// Depth 8 = an index into the palette (tag 0x4800B), whose entries hold red in
// bits 7:0, green 15:8, blue 23:16 (swapped likewise for "bgr").

export interface Framebuffer {
  /** The visible size (physical display width/height, tag 0x48003). */
  width: number;
  height: number;
  /** The buffer's size (virtual width/height, tag 0x48004) and the visible window's offset in it (0x48009). */
  virtualWidth: number;
  virtualHeight: number;
  xOffset: number;
  yOffset: number;
  /** Bits a pixel: 8, 16, 24 or 32 (tag 0x48005). */
  depth: 8 | 16 | 24 | 32;
  /** Bytes from one row of the buffer to the next (tag 0x40008). */
  pitch: number;
  pixelOrder: "rgb" | "bgr";
  /** ARM physical address of the buffer (the firmware answers it | 0xC0000000) and its size in bytes. */
  address: number;
  size: number;
  /** Blanked by tag 0x40002. */
  blank: boolean;
  /** A copy of the whole buffer (virtualHeight rows of `pitch` bytes). */
  bytes: Uint8Array;
  /** The 256 palette entries of depth 8. */
  palette: Uint32Array;
}

/** The visible window as RGBA (width x height x 4 bytes, alpha 255); black while blanked. */
export function framebufferRGBA(fb: Framebuffer): Uint8Array {
  const out = new Uint8Array(fb.width * fb.height * 4);
  const bpp = fb.depth >> 3;
  const swap = fb.pixelOrder === "bgr";
  const src = fb.bytes;
  for (let y = 0; y < fb.height; y++) {
    const vy = y + fb.yOffset;
    for (let x = 0; x < fb.width; x++) {
      const o = (y * fb.width + x) * 4;
      out[o + 3] = 255;
      const vx = x + fb.xOffset;
      const p = vy * fb.pitch + vx * bpp;
      if (fb.blank || vy >= fb.virtualHeight || vx >= fb.virtualWidth || p + bpp > src.length) continue;
      let r: number, g: number, b: number;
      if (bpp >= 3) { r = src[p]; g = src[p + 1]; b = src[p + 2]; }
      else if (bpp === 2) {
        const v = src[p] | (src[p + 1] << 8);
        const r5 = v >> 11, g6 = (v >> 5) & 63, b5 = v & 31;
        r = (r5 << 3) | (r5 >> 2); g = (g6 << 2) | (g6 >> 4); b = (b5 << 3) | (b5 >> 2);
      } else {
        const c = fb.palette[src[p]];
        r = c & 255; g = (c >> 8) & 255; b = (c >> 16) & 255;
      }
      if (swap) { const t = r; r = b; b = t; }
      out[o] = r; out[o + 1] = g; out[o + 2] = b;
    }
  }
  return out;
}
