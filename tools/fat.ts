// A small FAT16 disk image maker, for SD card tests and the tutorials' SD lessons:
// an MBR with one FAT16 (LBA, type 0x0E) partition holding files in the root
// directory. Layout after Microsoft's "FAT: General Overview of On-Disk Format"
// (BPB fields, FAT16 cluster count 4085..65524, 8.3 directory entries).
//
//   node dist/tools/fat.js OUT.img [--size MIB] [--label NAME] FILE...
//
// Deterministic: fixed timestamps and volume id, so the same files give the same image.

import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";

export interface FatFile { name: string; data: Uint8Array }
export interface FatOptions {
  /** Image size in MiB (default 16; QEMU wants a power of two). */
  sizeMiB?: number;
  /** Volume label (up to 11 characters; default "RPI-OS"). */
  label?: string;
  /** First sector of the partition (default 2048). */
  partitionStart?: number;
  /** MBR disk identifier (default 0x52504953). */
  diskId?: number;
}

const SECTOR = 512;
const SECTORS_PER_CLUSTER = 4;
const RESERVED_SECTORS = 4;
const FATS = 2;
const ROOT_ENTRIES = 512;
const PARTITION_TYPE_FAT16_LBA = 0x0e;
const ATTR_ARCHIVE = 0x20;
const ATTR_VOLUME_ID = 0x08;
// 2026-12-01 12:00:00 in FAT's date and time fields.
const FAT_DATE = ((2026 - 1980) << 9) | (12 << 5) | 1;
const FAT_TIME = 12 << 11;

/** "license.broadcom" -> "LICENSE BRO" style 8.3 names (upper case, truncated, no tilde tails). */
export function shortName(name: string): string {
  const up = name.toUpperCase();
  const dot = up.lastIndexOf(".");
  const base = (dot > 0 ? up.slice(0, dot) : up).replace(/[^A-Z0-9_~!#$%&'()\-@^`{}]/g, "_").slice(0, 8);
  const ext = (dot > 0 ? up.slice(dot + 1) : "").replace(/[^A-Z0-9_~!#$%&'()\-@^`{}]/g, "_").slice(0, 3);
  if (!base) throw new Error(`no 8.3 name can be made of '${name}'`);
  return base.padEnd(8, " ") + ext.padEnd(3, " ");
}

export function buildFatImage(files: FatFile[], opts: FatOptions = {}): Uint8Array {
  const total = (opts.sizeMiB ?? 16) * 1024 * 1024 / SECTOR;
  const start = opts.partitionStart ?? 2048;
  const partSectors = total - start;
  if (partSectors <= 0) throw new Error("the image is too small for its partition");
  const rootSectors = ROOT_ENTRIES * 32 / SECTOR;
  // Sectors a FAT: enough 2-byte entries for every cluster the rest can hold.
  let fatSectors = 1;
  for (;;) {
    const clusters = Math.floor((partSectors - RESERVED_SECTORS - FATS * fatSectors - rootSectors) / SECTORS_PER_CLUSTER);
    if ((clusters + 2) * 2 <= fatSectors * SECTOR) break;
    fatSectors++;
  }
  const dataStart = RESERVED_SECTORS + FATS * fatSectors + rootSectors;
  const clusters = Math.floor((partSectors - dataStart) / SECTORS_PER_CLUSTER);
  if (clusters < 4085 || clusters > 65524) throw new Error(`${clusters} clusters is not a FAT16 volume: choose another --size`);
  if (files.length + 1 > ROOT_ENTRIES) throw new Error(`at most ${ROOT_ENTRIES - 1} files`);

  const img = new Uint8Array(total * SECTOR);
  const v = new DataView(img.buffer);
  // MBR: disk identifier, one partition entry, signature.
  v.setUint32(0x1b8, opts.diskId ?? 0x52504953, true);
  const pe = 0x1be;
  img[pe + 4] = PARTITION_TYPE_FAT16_LBA;
  img.set([0xfe, 0xff, 0xff], pe + 1); // CHS start/end: "use LBA"
  img.set([0xfe, 0xff, 0xff], pe + 5);
  v.setUint32(pe + 8, start, true);
  v.setUint32(pe + 12, partSectors, true);
  img[510] = 0x55; img[511] = 0xaa;

  // Boot sector with the BIOS Parameter Block.
  const b = start * SECTOR;
  img.set([0xeb, 0x3c, 0x90], b);
  img.set(new TextEncoder().encode("RPI-OS  "), b + 3);
  v.setUint16(b + 11, SECTOR, true);
  img[b + 13] = SECTORS_PER_CLUSTER;
  v.setUint16(b + 14, RESERVED_SECTORS, true);
  img[b + 16] = FATS;
  v.setUint16(b + 17, ROOT_ENTRIES, true);
  if (partSectors < 0x10000) v.setUint16(b + 19, partSectors, true); else v.setUint32(b + 32, partSectors, true);
  img[b + 21] = 0xf8;
  v.setUint16(b + 22, fatSectors, true);
  v.setUint16(b + 24, 32, true);   // sectors a track
  v.setUint16(b + 26, 64, true);   // heads
  v.setUint32(b + 28, start, true); // hidden sectors
  img[b + 36] = 0x80;
  img[b + 38] = 0x29;
  v.setUint32(b + 39, 0x20261201, true);
  const label = (opts.label ?? "RPI-OS").toUpperCase().slice(0, 11).padEnd(11, " ");
  img.set(new TextEncoder().encode(label), b + 43);
  img.set(new TextEncoder().encode("FAT16   "), b + 54);
  img[b + 510] = 0x55; img[b + 511] = 0xaa;

  // FATs, root directory, data.
  const fat = new Uint16Array(fatSectors * SECTOR / 2);
  fat[0] = 0xfff8; fat[1] = 0xffff;
  const root = (start + RESERVED_SECTORS + FATS * fatSectors) * SECTOR;
  const entry = (i: number, name11: string, attr: number, cluster: number, size: number) => {
    const e = root + i * 32;
    img.set(new TextEncoder().encode(name11), e);
    img[e + 11] = attr;
    v.setUint16(e + 14, FAT_TIME, true); v.setUint16(e + 16, FAT_DATE, true); v.setUint16(e + 18, FAT_DATE, true);
    v.setUint16(e + 22, FAT_TIME, true); v.setUint16(e + 24, FAT_DATE, true);
    v.setUint16(e + 26, cluster, true);
    v.setUint32(e + 28, size, true);
  };
  entry(0, label, ATTR_VOLUME_ID, 0, 0);
  let next = 2;
  const seen = new Set<string>();
  files.forEach((f, i) => {
    const n = shortName(f.name);
    if (seen.has(n)) throw new Error(`two files named ${n.trim()} in 8.3 form`);
    seen.add(n);
    const count = Math.ceil(f.data.length / (SECTORS_PER_CLUSTER * SECTOR));
    if (next + count > clusters + 2) throw new Error("the files do not fit: choose a larger --size");
    const first = count ? next : 0;
    for (let c = 0; c < count; c++) fat[next + c] = c === count - 1 ? 0xffff : next + c + 1;
    img.set(f.data, (start + dataStart + (next - 2) * SECTORS_PER_CLUSTER) * SECTOR);
    next += count;
    entry(i + 1, n, ATTR_ARCHIVE, first, f.data.length);
  });
  const fatBytes = new Uint8Array(fat.buffer);
  for (let k = 0; k < FATS; k++) img.set(fatBytes, (start + RESERVED_SECTORS + k * fatSectors) * SECTOR);
  return img;
}

function main(argv: string[]): void {
  const out = argv[0];
  if (!out) { process.stderr.write("usage: node dist/tools/fat.js OUT.img [--size MIB] [--label NAME] FILE...\n"); process.exit(2); }
  const opts: FatOptions = {};
  const files: FatFile[] = [];
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === "--size") opts.sizeMiB = Number(argv[++i]);
    else if (argv[i] === "--label") opts.label = argv[++i];
    else files.push({ name: basename(argv[i]), data: new Uint8Array(readFileSync(argv[i])) });
  }
  writeFileSync(out, buildFatImage(files, opts));
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) main(process.argv.slice(2));
