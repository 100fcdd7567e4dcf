// Exports for the rest of the board (periph/power, rng, emmc, framebuffer, the
// mailbox's board answers): re-exported by soc/index.ts, called by host/machine.ts.

import { powerReset } from "./periph/power";
import { rngReset, setRngSeed as setSeed } from "./periph/rng";
import { emmcReset, setSdCard as setCard } from "./periph/emmc";
import { framebufferReset, framebufferField, framebufferPalette } from "./periph/framebuffer";
import { setBoardSerial as setSerial } from "./periph/mailbox";

/** Power-on reset of the board devices (from soc/index.ts reset()). */
export function boardReset(): void { powerReset(); rngReset(); emmcReset(); framebufferReset(); }

/** Seed of the random number generator (takes effect at the next reset). */
export function setRngSeed(seed: u64): void { setSeed(seed); }
/** Inserts an SD card of `blocks` 512-byte blocks (0: none); its blocks are read through the sdTransfer import. */
export function setSdCard(blocks: u64): void { setCard(blocks); }
/** The board serial number (GET_BOARD_SERIAL). */
export function setBoardSerial(lo: u32, hi: u32): void { setSerial(lo, hi); }
/** Framebuffer configuration field `i` (host/framebuffer.ts names them) and palette entry `i`. */
export function fbField(i: u32): u32 { return framebufferField(i); }
export function fbPalette(i: u32): u32 { return framebufferPalette(i); }
