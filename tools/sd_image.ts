// SD card images in files, for `rpi-os run --sd FILE` (Node only; host/sd.ts has the
// interface and in-memory images). Writes reach the file only when asked for
// (`--sd-write`); otherwise they stay in memory (CopyOnWriteImage), so a run never
// changes its image. Reads and writes are by whole 512-byte blocks inside the
// file: a block number past the end is refused before the file is touched.

import { openSync, closeSync, fstatSync, readSync, writeSync, constants } from "node:fs";
import { CopyOnWriteImage, SD_BLOCK_SIZE, type SdImage } from "../host/sd.js";
import { GuestError } from "../host/errors.js";

export class FileImage implements SdImage {
  readonly blocks: number;
  private constructor(private fd: number, readonly path: string, size: number, readonly writable: boolean) {
    this.blocks = Math.floor(size / SD_BLOCK_SIZE);
  }

  /** Opens `path` (read-only unless `writable`); a missing or unreadable file is a GuestError with the reason. */
  static open(path: string, writable = false): FileImage {
    let fd: number;
    try {
      fd = openSync(path, writable ? constants.O_RDWR : constants.O_RDONLY);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === "ENOENT" ? "no such file" : err.code === "EACCES" ? `permission denied${writable ? " (--sd-write needs write access)" : ""}` :
        err.code === "EISDIR" ? "it is a directory" : err.message;
      throw new GuestError(`cannot open SD image ${path}: ${why}`);
    }
    const st = fstatSync(fd);
    if (!st.isFile() && !st.isBlockDevice()) { closeSync(fd); throw new GuestError(`SD image ${path} is not a file`); }
    if (st.size < SD_BLOCK_SIZE) { closeSync(fd); throw new GuestError(`SD image ${path} is smaller than one 512-byte block (${st.size} bytes)`); }
    const img = new FileImage(fd, path, st.size, writable);
    // A file that cannot be read is refused now, with its reason, not as card errors later.
    const probe = new Uint8Array(SD_BLOCK_SIZE);
    try { readSync(fd, probe, 0, SD_BLOCK_SIZE, 0); } catch (e) { closeSync(fd); throw new GuestError(`cannot read SD image ${path}: ${(e as Error).message}`); }
    return img;
  }

  read(block: number, dst: Uint8Array): boolean {
    if (!Number.isInteger(block) || block < 0 || block >= this.blocks) return false;
    return readSync(this.fd, dst, 0, SD_BLOCK_SIZE, block * SD_BLOCK_SIZE) === SD_BLOCK_SIZE;
  }

  write(block: number, src: Uint8Array): boolean {
    if (!this.writable || !Number.isInteger(block) || block < 0 || block >= this.blocks) return false;
    return writeSync(this.fd, src, 0, SD_BLOCK_SIZE, block * SD_BLOCK_SIZE) === SD_BLOCK_SIZE;
  }

  close(): void { if (this.fd >= 0) { closeSync(this.fd); this.fd = -1; } }
}

/** The image `rpi-os run --sd FILE [--sd-write]` uses: the file itself, or the file under a copy-on-write layer. */
export function openSdImage(path: string, writeThrough: boolean): SdImage {
  const file = FileImage.open(path, writeThrough);
  return writeThrough ? file : new CopyOnWriteImage(file);
}

/**
 * QEMU's spelling, `-drive file=FILE,if=sd,format=raw`: the file name, or an error saying what
 * is not supported (other interfaces or formats).
 */
export function parseQemuDrive(spec: string): string {
  const opts = new Map<string, string>();
  // QEMU doubles a comma to put one in a value.
  for (const part of spec.replace(/,,/g, "\u0000").split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) throw new GuestError(`-drive ${spec}: expected key=value, not '${part.replace(/\u0000/g, ",")}'`);
    opts.set(part.slice(0, eq), part.slice(eq + 1).replace(/\u0000/g, ","));
  }
  const file = opts.get("file");
  if (!file) throw new GuestError(`-drive ${spec}: no file=`);
  if ((opts.get("if") ?? "sd") !== "sd") throw new GuestError(`-drive ${spec}: only if=sd is emulated (the Pi's SD card)`);
  if ((opts.get("format") ?? "raw") !== "raw") throw new GuestError(`-drive ${spec}: only format=raw images are supported`);
  for (const k of opts.keys()) if (!["file", "if", "format"].includes(k)) throw new GuestError(`-drive ${spec}: option ${k}= is not supported`);
  return file;
}
