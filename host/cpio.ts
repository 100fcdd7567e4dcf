// A writer (and reader, for tests and checks) of the "newc" cpio format, the
// format of a Linux initramfs (Linux Documentation/driver-api/early-userspace/
// buffer-format.rst):
//
//   header: "070701" then 13 fields of 8 hex digits: ino mode uid gid nlink mtime
//           filesize devmajor devminor rdevmajor rdevminor namesize check
//   name (namesize bytes with its NUL), padded so header+name is a multiple of 4
//   data (filesize bytes), padded to a multiple of 4
//   ... and a last entry named "TRAILER!!!".
//
// Paths are written without a leading "/" (as `find . | cpio -H newc` does with "./" stripped).

import { GuestError } from "./machine.js";

export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFCHR = 0o020000;
export const S_IFLNK = 0o120000;
const NEWC_MAGIC = "070701";
const HEADER_SIZE = 110; // 6 + 13 * 8
const TRAILER = "TRAILER!!!";

export interface CpioEntry {
  /** Path inside the archive ("init", "dev/console"); a leading "/" is dropped. */
  path: string;
  /** st_mode: file type and permission bits (S_IFREG | 0o755, ...). */
  mode: number;
  data?: Uint8Array;
  /** For device nodes. */
  rdevMajor?: number;
  rdevMinor?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
}

export class CpioError extends GuestError {}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
const pad4 = (n: number) => (4 - (n % 4)) % 4;

/** Writes a newc archive. Directories should come before what they hold (the kernel creates in order). */
export function writeCpio(entries: CpioEntry[], mtime = 0): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  let size = 0;
  const push = (b: Uint8Array) => { parts.push(b); size += b.length; };
  const entry = (ino: number, e: CpioEntry, nlink: number) => {
    const name = enc.encode(e.path.replace(/^\/+/, "") + "\0");
    if (name.length === 1) throw new CpioError("cpio: an entry has an empty path");
    const data = e.data ?? new Uint8Array(0);
    if ((e.mode & S_IFMT) === S_IFDIR && data.length) throw new CpioError(`cpio: directory ${e.path} cannot have data`);
    const fields = [
      ino, e.mode, e.uid ?? 0, e.gid ?? 0, nlink, e.mtime ?? mtime, data.length,
      0, 0, e.rdevMajor ?? 0, e.rdevMinor ?? 0, name.length, 0,
    ];
    const header = NEWC_MAGIC + fields.map(hex8).join("");
    push(enc.encode(header));
    push(name);
    push(new Uint8Array(pad4(HEADER_SIZE + name.length)));
    push(data);
    push(new Uint8Array(pad4(data.length)));
  };
  entries.forEach((e, i) => entry(i + 1, e, (e.mode & S_IFMT) === S_IFDIR ? 2 : 1));
  entry(0, { path: TRAILER, mode: 0 }, 1);
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

export interface CpioMember { path: string; mode: number; data: Uint8Array; rdevMajor: number; rdevMinor: number; nlink: number }

/** Reads a newc archive up to its trailer. Throws CpioError with a one-line reason. */
export function readCpio(bytes: Uint8Array): CpioMember[] {
  const dec = new TextDecoder();
  const out: CpioMember[] = [];
  let p = 0;
  for (;;) {
    if (p + HEADER_SIZE > bytes.length) throw new CpioError(`cpio: truncated header at offset ${p} (no ${TRAILER})`);
    const magic = dec.decode(bytes.subarray(p, p + 6));
    if (magic !== NEWC_MAGIC) throw new CpioError(`cpio: bad magic '${magic}' at offset ${p} (not a newc archive)`);
    const f: number[] = [];
    for (let i = 0; i < 13; i++) {
      const s = dec.decode(bytes.subarray(p + 6 + i * 8, p + 14 + i * 8));
      if (!/^[0-9a-fA-F]{8}$/.test(s)) throw new CpioError(`cpio: field ${i} of the header at ${p} is not hex ('${s}')`);
      f.push(parseInt(s, 16));
    }
    const [, mode, , , nlink, , filesize, , , rdevMajor, rdevMinor, namesize] = f;
    const nameStart = p + HEADER_SIZE;
    if (namesize === 0 || nameStart + namesize > bytes.length) throw new CpioError(`cpio: name of the entry at ${p} runs past the end`);
    const path = dec.decode(bytes.subarray(nameStart, nameStart + namesize - 1));
    const dataStart = nameStart + namesize + pad4(HEADER_SIZE + namesize);
    if (path === TRAILER) return out;
    if (dataStart + filesize > bytes.length) throw new CpioError(`cpio: data of ${path} (${filesize} bytes) runs past the end`);
    out.push({ path, mode, nlink, rdevMajor, rdevMinor, data: bytes.slice(dataStart, dataStart + filesize) });
    p = dataStart + filesize + pad4(filesize);
  }
}

/**
 * Our initramfs: /init (the given static binary), /dev/console (char 5:1, so the
 * kernel can give /init its stdin/stdout), and empty /dev and /proc.
 */
export function buildInitramfs(init: Uint8Array, extra: { path: string; data: Uint8Array }[] = []): Uint8Array {
  return writeCpio([
    { path: "dev", mode: S_IFDIR | 0o755 },
    { path: "dev/console", mode: S_IFCHR | 0o600, rdevMajor: 5, rdevMinor: 1 },
    { path: "proc", mode: S_IFDIR | 0o555 },
    { path: "init", mode: S_IFREG | 0o755, data: init },
    ...extra.map((f) => ({ path: f.path, mode: S_IFREG | 0o644, data: f.data })),
  ]);
}
