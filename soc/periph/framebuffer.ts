// The VideoCore's framebuffer, configured through the mailbox property tags
// (https://github.com/raspberrypi/firmware/wiki "Mailbox property interface",
// "Frame buffer" and "Cursor"). The firmware keeps the display configuration and
// allocates the buffer in the GPU's part of RAM; the host draws it (host/framebuffer.ts).
//
// Tags (get 0x0004xxxx, test 0x0004_4xxx, set 0x0004_8xxx):
export const TAG_FB_ALLOCATE_BUFFER: u32 = 0x00040001;  // req: alignment; resp: base (bus address), size
export const TAG_FB_RELEASE_BUFFER: u32 = 0x00048001;
export const TAG_FB_BLANK_SCREEN: u32 = 0x00040002;
export const TAG_FB_GET_PHYSICAL_WH: u32 = 0x00040003;  // +0x4000 test, +0x8000 set
export const TAG_FB_GET_VIRTUAL_WH: u32 = 0x00040004;
export const TAG_FB_GET_DEPTH: u32 = 0x00040005;
export const TAG_FB_GET_PIXEL_ORDER: u32 = 0x00040006;  // 0 BGR, 1 RGB
export const TAG_FB_GET_ALPHA_MODE: u32 = 0x00040007;
export const TAG_FB_GET_PITCH: u32 = 0x00040008;
export const TAG_FB_GET_VIRTUAL_OFFSET: u32 = 0x00040009;
export const TAG_FB_GET_OVERSCAN: u32 = 0x0004000A;
export const TAG_FB_GET_PALETTE: u32 = 0x0004000B;
export const TAG_SET_CURSOR_INFO: u32 = 0x00008010;
export const TAG_SET_CURSOR_STATE: u32 = 0x00008011;
const TAG_TEST: u32 = 0x4000;
const TAG_SET: u32 = 0x8000;
//
// The buffer is placed at the start of VideoCore memory (`vcBase`, just above
// the ARM's memory as TAG_GET_ARM_MEMORY reports it) plus 1 MiB, aligned as
// asked; its address is answered as a VideoCore bus address (| 0xC0000000, the
// uncached alias), which drivers turn into an ARM address with & 0x3FFFFFFF.
// A buffer that does not fit in guest RAM is not allocated (base and size 0),
// as the firmware answers when it is out of memory. The pitch is width x bytes
// per pixel. Depths 8 (palette), 16 (RGB565), 24 and 32; other values leave
// the depth as it was, and the answer says so. The cursor tags are accepted
// and answered "valid"; the cursor is not drawn. Overscan is always 0.

import { ramRead32, ramWrite32, ramSize } from "../machine/bus";

export const FB_BUS_ALIAS: u32 = 0xC0000000;
const FB_OFFSET: u32 = 0x00100000;
const FB_MAX_SIDE: u32 = 4096;

// Configuration (QEMU's and a display-less firmware's defaults: 640x480, 16 bits, RGB).
let width: u32 = 640, height: u32 = 480, vwidth: u32 = 640, vheight: u32 = 480;
let xoff: u32 = 0, yoff: u32 = 0;
let depth: u32 = 16, pixelOrder: u32 = 1, alphaMode: u32 = 0, blank: u32 = 0;
/** ARM physical address of the buffer; 0 while none is allocated. */
let base: u32 = 0;
let size: u32 = 0;
let vcBase: u32 = 0x3C000000;
const palette = new StaticArray<u32>(256);

export function setVcBase(v: u32): void { vcBase = v; }

export function framebufferReset(): void {
  width = 640; height = 480; vwidth = 640; vheight = 480; xoff = 0; yoff = 0;
  depth = 16; pixelOrder = 1; alphaMode = 0; blank = 0; base = 0; size = 0;
  for (let i = 0; i < 256; i++) unchecked(palette[i] = 0);
}

function pitchOf(w: u32, d: u32): u32 { return w * (d >> 3); }
function pitch(): u32 { return pitchOf(vwidth, depth); }
function side(v: u32, current: u32): u32 { return v == 0 || v > FB_MAX_SIDE ? current : v; }
function depthOk(d: u32): bool { return d == 8 || d == 16 || d == 24 || d == 32; }

/** A new geometry: an allocated buffer follows it if it still fits, else it is released. */
function resized(): void {
  if (base == 0) return;
  const s = pitch() * vheight;
  if ((base as u64) + (s as u64) > ramSize) { base = 0; size = 0; } else size = s;
}

function allocate(align: u32): void {
  const s = pitch() * vheight;
  let a = align;
  if (a < 16 || (a & (a - 1)) != 0) a = 4096;
  const b = ((vcBase as u64) + (FB_OFFSET as u64) + (a as u64) - 1) & ~((a as u64) - 1);
  if (b + (s as u64) > ramSize || s == 0) { base = 0; size = 0; return; }
  base = b as u32;
  size = s;
}

/** Answers a framebuffer or cursor tag with its value buffer at `v`; -1 if `tag` is not one. */
export function framebufferTag(tag: u32, v: u32, bufSize: u32): i32 {
  const kind = tag & 0xC000;
  const get = tag & ~(TAG_TEST | TAG_SET);
  if ((get & 0xFFFF0000) != 0x00040000 && tag != TAG_SET_CURSOR_INFO && tag != TAG_SET_CURSOR_STATE) return -1;
  switch (tag) {
    case TAG_FB_ALLOCATE_BUFFER:
      if (base == 0) allocate(ramRead32(v));
      ramWrite32(v, base == 0 ? 0 : base | FB_BUS_ALIAS);
      ramWrite32(v + 4, size);
      return 8;
    case TAG_FB_RELEASE_BUFFER: base = 0; size = 0; return 0;
    case TAG_FB_BLANK_SCREEN: blank = ramRead32(v) & 1; ramWrite32(v, blank); return 4;
    case TAG_SET_CURSOR_INFO: ramWrite32(v, 0); return 4;   // 0: valid
    case TAG_SET_CURSOR_STATE: ramWrite32(v, 0); return 4;
    default: break;
  }
  switch (get) {
    case TAG_FB_GET_PHYSICAL_WH: case TAG_FB_GET_VIRTUAL_WH: {
      const phys = get == TAG_FB_GET_PHYSICAL_WH;
      let w = phys ? width : vwidth, h = phys ? height : vheight;
      if (kind != 0) { w = side(ramRead32(v), w); h = side(ramRead32(v + 4), h); }
      if (kind == TAG_SET) {
        if (phys) { width = w; height = h; } else { vwidth = w; vheight = h; }
        resized();
      }
      ramWrite32(v, w); ramWrite32(v + 4, h);
      return 8;
    }
    case TAG_FB_GET_DEPTH: {
      let d = depth;
      if (kind != 0 && depthOk(ramRead32(v))) d = ramRead32(v);
      if (kind == TAG_SET) { depth = d; resized(); }
      ramWrite32(v, d);
      return 4;
    }
    case TAG_FB_GET_PIXEL_ORDER: case TAG_FB_GET_ALPHA_MODE: {
      const order = get == TAG_FB_GET_PIXEL_ORDER;
      let x = order ? pixelOrder : alphaMode;
      if (kind != 0 && ramRead32(v) <= (order ? 1 : 2) as u32) x = ramRead32(v);
      if (kind == TAG_SET) { if (order) pixelOrder = x; else alphaMode = x; }
      ramWrite32(v, x);
      return 4;
    }
    case TAG_FB_GET_PITCH: ramWrite32(v, pitch()); return 4;
    case TAG_FB_GET_VIRTUAL_OFFSET: {
      let x = xoff, y = yoff;
      if (kind != 0) {
        x = ramRead32(v); y = ramRead32(v + 4);
        if (x > vwidth - (width < vwidth ? width : vwidth)) x = vwidth - (width < vwidth ? width : vwidth);
        if (y > vheight - (height < vheight ? height : vheight)) y = vheight - (height < vheight ? height : vheight);
      }
      if (kind == TAG_SET) { xoff = x; yoff = y; }
      ramWrite32(v, x); ramWrite32(v + 4, y);
      return 8;
    }
    case TAG_FB_GET_OVERSCAN:
      for (let i: u32 = 0; i < 4; i++) ramWrite32(v + i * 4, 0);
      return 16;
    case TAG_FB_GET_PALETTE: {
      if (kind == 0) {
        const n: u32 = bufSize >= 1024 ? 256 : bufSize >> 2;
        for (let i: u32 = 0; i < n; i++) ramWrite32(v + i * 4, unchecked(palette[i]));
        return 1024;
      }
      const offset = ramRead32(v), length = ramRead32(v + 4);
      const invalid = offset > 255 || length == 0 || length > 256 - offset || (8 as u32) + length * 4 > bufSize;
      if (kind == TAG_SET && !invalid) {
        for (let i: u32 = 0; i < length; i++) unchecked(palette[offset + i] = ramRead32(v + 8 + i * 4));
      }
      ramWrite32(v, invalid ? 1 : 0);
      return 4;
    }
    default: return -1;
  }
}

/** What the host reads to draw the screen (host/framebuffer.ts names the fields). */
export function framebufferField(i: u32): u32 {
  switch (i) {
    case 0: return base;
    case 1: return width;
    case 2: return height;
    case 3: return vwidth;
    case 4: return vheight;
    case 5: return xoff;
    case 6: return yoff;
    case 7: return depth;
    case 8: return pitch();
    case 9: return pixelOrder;
    case 10: return size;
    case 11: return blank;
    default: return 0;
  }
}
export function framebufferPalette(i: u32): u32 { return unchecked(palette[i & 255]); }
