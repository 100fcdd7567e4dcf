// VideoCore mailbox 0 (at 0x3F00B880), property channel 8 only
// (https://github.com/raspberrypi/firmware/wiki "Mailbox property interface").
// A write of (buffer address | 8) to MBOX1_WRITE answers the tags in RAM at once
// with the values of a Pi 3 Model B; the same word then reads back from MBOX0_READ.
// Not implemented: the framebuffer and power channels, tags that set things.

import { ramRead32, ramWrite32, ramContains } from "../machine/bus";
import { noteOnce, NOTE_MAILBOX_TAG } from "../machine/trace";
import { noteReadSideEffect } from "../machine/irqlines";

export const MBOX0_READ: u32 = 0x00;
export const MBOX0_PEEK: u32 = 0x10;
export const MBOX0_SENDER: u32 = 0x14;
export const MBOX0_STATUS: u32 = 0x18;
export const MBOX0_CONFIG: u32 = 0x1C;
export const MBOX1_WRITE: u32 = 0x20;
export const MBOX1_STATUS: u32 = 0x38;

const MBOX_EMPTY: u32 = 0x40000000;
const CHANNEL_PROPERTY_ARM_TO_VC: u32 = 8;
const RESPONSE_SUCCESS: u32 = 0x80000000;

const TAG_GET_FIRMWARE_REVISION: u32 = 0x00000001;
const TAG_GET_BOARD_MODEL: u32 = 0x00010001;
const TAG_GET_BOARD_REVISION: u32 = 0x00010002;
const TAG_GET_BOARD_MAC_ADDRESS: u32 = 0x00010003;
const TAG_GET_BOARD_SERIAL: u32 = 0x00010004;
const TAG_GET_ARM_MEMORY: u32 = 0x00010005;
const TAG_GET_VC_MEMORY: u32 = 0x00010006;
const TAG_GET_CLOCK_RATE: u32 = 0x00030002;
const TAG_GET_MAX_CLOCK_RATE: u32 = 0x00030004;
const TAG_SET_CLOCK_RATE: u32 = 0x00038002;

/** Board revision code of a Raspberry Pi 3 Model B v1.2 (Sony UK). */
const BOARD_REVISION_PI3B: u32 = 0xA02082;

let pending: u32 = 0;
let hasPending: bool = false;
let config: u32 = 0;
export let armMemorySize: u32 = 0x3C000000;
export function setArmMemorySize(v: u32): void { armMemorySize = v; }

export function mailboxReset(): void { pending = 0; hasPending = false; config = 0; }

function clockRate(id: u32): u32 {
  switch (id) {
    case 1: return 250000000;  // EMMC
    case 2: return 48000000;   // UART (PL011 reference clock)
    case 3: return 1200000000; // ARM
    case 4: return 400000000;  // CORE
    default: return 0;
  }
}

/** Answers one tag; returns the response length in bytes or -1 for an unknown tag. */
function answerTag(tag: u32, v: u32): i32 {
  switch (tag) {
    case TAG_GET_FIRMWARE_REVISION: ramWrite32(v, 0x5F0A2C00); return 4;
    case TAG_GET_BOARD_MODEL: ramWrite32(v, 0); return 4;
    case TAG_GET_BOARD_REVISION: ramWrite32(v, BOARD_REVISION_PI3B); return 4;
    case TAG_GET_BOARD_MAC_ADDRESS: ramWrite32(v, 0x45EB27B8); ramWrite32(v + 4, 0x0000534E); return 6;
    case TAG_GET_BOARD_SERIAL: ramWrite32(v, 0x00000000); ramWrite32(v + 4, 0x12345678); return 8;
    case TAG_GET_ARM_MEMORY: ramWrite32(v, 0); ramWrite32(v + 4, armMemorySize); return 8;
    case TAG_GET_VC_MEMORY: ramWrite32(v, armMemorySize); ramWrite32(v + 4, 0x40000000 - armMemorySize); return 8;
    case TAG_GET_CLOCK_RATE: case TAG_GET_MAX_CLOCK_RATE: case TAG_SET_CLOCK_RATE: {
      const id = ramRead32(v);
      ramWrite32(v + 4, clockRate(id));
      return 8;
    }
    default: return -1;
  }
}

function processProperty(addr: u32): void {
  if (!ramContains(addr, 8)) return;
  const size = ramRead32(addr);
  if (!ramContains(addr, size)) return;
  let p = addr + 8;
  const end = addr + size;
  while (p + 12 <= end) {
    const tag = ramRead32(p);
    if (tag == 0) break;
    const bufSize = ramRead32(p + 4);
    const len = answerTag(tag, p + 12);
    if (len < 0) noteOnce(NOTE_MAILBOX_TAG, tag);
    else ramWrite32(p + 8, 0x80000000 | (len as u32));
    p += 12 + ((bufSize + 3) & ~3);
  }
  ramWrite32(addr + 4, RESPONSE_SUCCESS);
}

// MBOX0_CONFIG bit 0: interrupt when mailbox 0 has data for the ARM (Linux's bcm2835-mailbox
// sets it and waits for ARM basic IRQ 1 instead of polling MBOX0_STATUS).
const CONFIG_DATA_IRQ_ENABLE: u32 = 1;

/** The mailbox's line to the interrupt controller (ARM basic IRQ 1): a reply pending and its IRQ enabled. */
export function mailboxIrqLevel(): bool { return hasPending && (config & CONFIG_DATA_IRQ_ENABLE) != 0; }

export function mailboxIsRegister(off: u32): bool {
  return off == MBOX0_READ || off == MBOX0_PEEK || off == MBOX0_SENDER || off == MBOX0_STATUS ||
    off == MBOX0_CONFIG || off == MBOX1_WRITE || off == MBOX1_STATUS;
}

export function mailboxRead(off: u32): u32 {
  switch (off) {
    case MBOX0_READ: { const v = pending; hasPending = false; noteReadSideEffect(); return v; }
    case MBOX0_PEEK: return pending;
    case MBOX0_STATUS: return hasPending ? 0 : MBOX_EMPTY;
    case MBOX0_CONFIG: return config;
    case MBOX1_STATUS: return 0; // never full: requests are answered at once
    default: return 0;
  }
}

export function mailboxWrite(off: u32, v: u32): void {
  if (off == MBOX0_CONFIG) { config = v; return; }
  if (off != MBOX1_WRITE) return;
  if ((v & 15) == CHANNEL_PROPERTY_ARM_TO_VC) processProperty(v & 0x3FFFFFF0); // VC bus aliases (0x40000000, 0xC0000000) map to RAM
  pending = v;
  hasPending = true;
}

