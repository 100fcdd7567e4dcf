// The SD card's contents, seen by the EMMC model (soc/periph/emmc.ts) as 512-byte
// blocks. An image is anything with a block count and block reads and writes:
// bytes in memory here (browser and tests), a file in tools/sd_image.ts (Node).
// A guest can only name blocks 0 .. blocks-1: the card answers OUT_OF_RANGE for
// the rest before the image is asked, so nothing outside the image is touched.

export const SD_BLOCK_SIZE = 512;

export interface SdImage {
  /** 512-byte blocks on the card (a trailing partial block is not part of it). */
  readonly blocks: number;
  /** Fills `dst` (512 bytes) with block `block`; false: the medium failed (a card error). */
  read(block: number, dst: Uint8Array): boolean;
  /** Writes `src` (512 bytes) to block `block`; false: the medium failed. */
  write(block: number, src: Uint8Array): boolean;
}

/** An image in memory; writes change `bytes` (wrap it in CopyOnWriteImage to keep it). */
export class MemoryImage implements SdImage {
  readonly blocks: number;
  constructor(readonly bytes: Uint8Array) { this.blocks = Math.floor(bytes.length / SD_BLOCK_SIZE); }
  read(block: number, dst: Uint8Array): boolean {
    if (block < 0 || block >= this.blocks) return false;
    dst.set(this.bytes.subarray(block * SD_BLOCK_SIZE, (block + 1) * SD_BLOCK_SIZE));
    return true;
  }
  write(block: number, src: Uint8Array): boolean {
    if (block < 0 || block >= this.blocks) return false;
    this.bytes.set(src.subarray(0, SD_BLOCK_SIZE), block * SD_BLOCK_SIZE);
    return true;
  }
}

/** Writes go to memory, reads see them: the image below is never changed (a test's fixture). */
export class CopyOnWriteImage implements SdImage {
  readonly written = new Map<number, Uint8Array>();
  constructor(readonly base: SdImage) {}
  get blocks(): number { return this.base.blocks; }
  read(block: number, dst: Uint8Array): boolean {
    const w = this.written.get(block);
    if (w) { dst.set(w); return true; }
    return this.base.read(block, dst);
  }
  write(block: number, src: Uint8Array): boolean {
    if (block < 0 || block >= this.blocks) return false;
    this.written.set(block, src.slice(0, SD_BLOCK_SIZE));
    return true;
  }
}
