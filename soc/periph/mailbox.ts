// VideoCore mailbox 0 (at 0x3F00B880), property channel 8 only
// (https://github.com/raspberrypi/firmware/wiki "Mailbox property interface").
// A write of (buffer address | 8) to MBOX1_WRITE answers the tags in RAM at once
// with the values of a Pi 3 Model B; the same word then reads back from MBOX0_READ.
//
// Tags answered (as the firmware answers them on a Pi 3 B; values ours where the
// firmware's are the board's own, e.g. the serial number):
//   0x00000001 GET_FIRMWARE_REVISION       0x00010001 GET_BOARD_MODEL (0)
//   0x00010002 GET_BOARD_REVISION 0xA02082  0x00010003 GET_BOARD_MAC_ADDRESS B8:27:EB:..
//   0x00010004 GET_BOARD_SERIAL (host's, default 0 as QEMU)
//   0x00010005 GET_ARM_MEMORY               0x00010006 GET_VC_MEMORY
//   0x00010007 GET_CLOCKS (parent, id pairs)
//   0x00020001 GET_POWER_STATE  0x00020002 GET_TIMING  0x00028001 SET_POWER_STATE
//              (devices 0-8: SD, UART0, UART1, USB, I2C0-2, SPI, CCP2TX; others "does not exist")
//   0x00030001 GET_CLOCK_STATE  0x00038001 SET_CLOCK_STATE
//   0x00030002 GET_CLOCK_RATE   0x00030004 GET_MAX_CLOCK_RATE  0x00030007 GET_MIN_CLOCK_RATE
//   0x00030047 GET_CLOCK_RATE_MEASURED      0x00038002 SET_CLOCK_RATE (clamped to min..max)
//              (clocks 1-10: EMMC, UART, ARM, CORE, V3D, H264, ISP, SDRAM, PIXEL, PWM; others rate 0)
//   0x00030003 GET_VOLTAGE  0x00030005 GET_MAX_VOLTAGE  0x00030008 GET_MIN_VOLTAGE  0x00038003 SET_VOLTAGE
//              (ids 1-4: core, sdram_c, sdram_p, sdram_i, in microvolts; others 0x80000000)
//   0x00030006 GET_TEMPERATURE (45.0 C)     0x0003000A GET_MAX_TEMPERATURE (85.0 C)
//   0x00030009 GET_TURBO  0x00038009 SET_TURBO
//   0x00030041 GET_GPIO_STATE  0x00038041 SET_GPIO_STATE  0x00030043 GET_GPIO_CONFIG
//   0x00038043 SET_GPIO_CONFIG (the firmware's GPIO expander, pins 128-135: BT_ON, WL_ON,
//              STATUS_LED, LAN_RUN, HDMI_HPD_N, CAM_GPIO0, CAM_GPIO1, PWR_LOW_N)
//   0x00030046 GET_THROTTLED (0: never)     0x00030048 NOTIFY_REBOOT
//   0x00050001 GET_COMMAND_LINE (empty)     0x00060001 GET_DMA_CHANNELS (0x7F35)
//   0x0004xxxx framebuffer, 0x00008010/11 cursor: periph/framebuffer.ts
// Any other tag gets the firmware's "not supported" answer: its request/response
// word is left as the guest wrote it (bit 31 clear), and the buffer still ends
// with 0x80000000 (noted once). Among them GET_DOMAIN_STATE/SET_DOMAIN_STATE
// (0x00030030, 0x00038030): Linux then falls back to SET_POWER_STATE.
// A value buffer shorter than the answer gets the answer truncated to it,
// with the full length in the response word, as the firmware does.
// Not implemented: the framebuffer and power channels (1 and 0) of the old interface.

import { ramRead32, ramWrite32, ramContains } from "../machine/bus";
import { noteOnce, NOTE_MAILBOX_TAG } from "../machine/trace";
import { noteReadSideEffect } from "../machine/irqlines";
import { framebufferTag, setVcBase } from "./framebuffer";

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
const TAG_GET_CLOCKS: u32 = 0x00010007;
const TAG_GET_POWER_STATE: u32 = 0x00020001;
const TAG_GET_TIMING: u32 = 0x00020002;
const TAG_SET_POWER_STATE: u32 = 0x00028001;
const TAG_GET_CLOCK_STATE: u32 = 0x00030001;
const TAG_SET_CLOCK_STATE: u32 = 0x00038001;
const TAG_GET_CLOCK_RATE: u32 = 0x00030002;
const TAG_GET_MAX_CLOCK_RATE: u32 = 0x00030004;
const TAG_GET_MIN_CLOCK_RATE: u32 = 0x00030007;
const TAG_GET_CLOCK_RATE_MEASURED: u32 = 0x00030047;
const TAG_SET_CLOCK_RATE: u32 = 0x00038002;
const TAG_GET_VOLTAGE: u32 = 0x00030003;
const TAG_GET_MAX_VOLTAGE: u32 = 0x00030005;
const TAG_GET_MIN_VOLTAGE: u32 = 0x00030008;
const TAG_SET_VOLTAGE: u32 = 0x00038003;
const TAG_GET_TEMPERATURE: u32 = 0x00030006;
const TAG_GET_MAX_TEMPERATURE: u32 = 0x0003000A;
const TAG_GET_TURBO: u32 = 0x00030009;
const TAG_SET_TURBO: u32 = 0x00038009;
const TAG_GET_GPIO_STATE: u32 = 0x00030041;
const TAG_SET_GPIO_STATE: u32 = 0x00038041;
const TAG_GET_GPIO_CONFIG: u32 = 0x00030043;
const TAG_SET_GPIO_CONFIG: u32 = 0x00038043;
const TAG_GET_THROTTLED: u32 = 0x00030046;
const TAG_NOTIFY_REBOOT: u32 = 0x00030048;
const TAG_GET_COMMAND_LINE: u32 = 0x00050001;
const TAG_GET_DMA_CHANNELS: u32 = 0x00060001;

/** Board revision code of a Raspberry Pi 3 Model B v1.2 (Sony UK). */
const BOARD_REVISION_PI3B: u32 = 0xA02082;
const FIRMWARE_REVISION: u32 = 0x5F0A2C00;
const POWER_DEVICES: u32 = 9;
const POWER_ON: u32 = 1, POWER_NO_DEVICE: u32 = 2;
const CLOCKS: u32 = 10;
const VOLTAGE_INVALID: u32 = 0x80000000;
/** The firmware's GPIO expander: pins 128.. (Linux gpio-raspberrypi-exp). */
const EXP_GPIO_BASE: u32 = 128;
const EXP_GPIO_COUNT: u32 = 8;
/** Which expander pins are outputs (BT_ON, WL_ON, STATUS_LED, LAN_RUN, CAM_GPIO0/1). */
const EXP_GPIO_OUTPUTS: u32 = 0b01101111;

let pending: u32 = 0;
let hasPending: bool = false;
let config: u32 = 0;
export let armMemorySize: u32 = 0x3C000000;
export function setArmMemorySize(v: u32): void { armMemorySize = v; setVcBase(v); }
let serialLo: u32 = 0, serialHi: u32 = 0;
/** The board serial number GET_BOARD_SERIAL answers (the host's `--serial-number`). */
export function setBoardSerial(lo: u32, hi: u32): void { serialLo = lo; serialHi = hi; }

let powerState: u32 = 0;        // bit n: device n on
let clockOff: u32 = 0;          // bit n: clock n stopped
const clockSet = new StaticArray<u32>(CLOCKS + 1);
let turbo: u32 = 0;
let expState: u32 = 0;          // expander output levels
let expDirection: u32 = EXP_GPIO_OUTPUTS;

export function mailboxReset(): void {
  pending = 0; hasPending = false; config = 0;
  powerState = 0; clockOff = 0; turbo = 0; expState = 0b00001100; expDirection = EXP_GPIO_OUTPUTS;
  for (let i: u32 = 0; i <= CLOCKS; i++) unchecked(clockSet[i] = 0);
}

// Clock rates of a Pi 3 B (firmware defaults: arm_freq 1200, core_freq 400, sdram_freq 450).
function clockDefault(id: u32): u32 {
  switch (id) {
    case 1: return 250000000;  // EMMC
    case 2: return 48000000;   // UART (PL011 reference clock)
    case 3: return 1200000000; // ARM
    case 4: return 400000000;  // CORE
    case 5: return 300000000;  // V3D
    case 6: return 300000000;  // H264
    case 7: return 300000000;  // ISP
    case 8: return 450000000;  // SDRAM
    case 9: return 0;          // PIXEL (no display mode set)
    case 10: return 0;         // PWM (stopped)
    default: return 0;
  }
}
function clockMax(id: u32): u32 { return id == 1 ? 250000000 : id == 2 ? 48000000 : id == 4 ? 400000000 : id == 8 ? 450000000 : clockDefault(id); }
function clockMin(id: u32): u32 {
  switch (id) {
    case 3: return 600000000;
    case 4: return 250000000;
    case 5: case 6: case 7: return 250000000;
    case 8: return 400000000;
    default: return clockDefault(id);
  }
}
function clockRate(id: u32): u32 {
  if (id == 0 || id > CLOCKS) return 0;
  const set = unchecked(clockSet[id]);
  return set != 0 ? set : clockDefault(id);
}
// Voltages in microvolts (core 1.2 V; SDRAM 1.2 V), ranges of the firmware's over_voltage settings.
function voltage(id: u32, which: u32): u32 {
  if (id < 1 || id > 4) return VOLTAGE_INVALID;
  if (which == 1) return 1400000;
  if (which == 2) return 800000;
  return 1200000;
}

/** Answers one tag; returns the response length in bytes or -1 for an unsupported tag. */
function answerTag(tag: u32, v: u32, bufSize: u32): i32 {
  switch (tag) {
    case TAG_GET_FIRMWARE_REVISION: ramWrite32(v, FIRMWARE_REVISION); return 4;
    case TAG_GET_BOARD_MODEL: ramWrite32(v, 0); return 4;
    case TAG_GET_BOARD_REVISION: ramWrite32(v, BOARD_REVISION_PI3B); return 4;
    case TAG_GET_BOARD_MAC_ADDRESS: ramWrite32(v, 0x45EB27B8); ramWrite32(v + 4, 0x0000534E); return 6;
    case TAG_GET_BOARD_SERIAL: ramWrite32(v, serialLo); ramWrite32(v + 4, serialHi); return 8;
    case TAG_GET_ARM_MEMORY: ramWrite32(v, 0); ramWrite32(v + 4, armMemorySize); return 8;
    case TAG_GET_VC_MEMORY: ramWrite32(v, armMemorySize); ramWrite32(v + 4, 0x40000000 - armMemorySize); return 8;
    case TAG_GET_CLOCKS:
      for (let i: u32 = 0; i < CLOCKS; i++) { ramWrite32(v + i * 8, 0); ramWrite32(v + i * 8 + 4, i + 1); }
      return (CLOCKS * 8) as i32;
    case TAG_GET_POWER_STATE: case TAG_SET_POWER_STATE: {
      const id = ramRead32(v);
      if (id >= POWER_DEVICES) { ramWrite32(v + 4, POWER_NO_DEVICE); return 8; }
      if (tag == TAG_SET_POWER_STATE) {
        if ((ramRead32(v + 4) & POWER_ON) != 0) powerState |= 1 << id; else powerState &= ~(1 << id);
      }
      ramWrite32(v + 4, (powerState >> id) & POWER_ON);
      return 8;
    }
    case TAG_GET_TIMING: ramWrite32(v + 4, 0); return 8; // enable wait in microseconds: none here
    case TAG_GET_CLOCK_STATE: case TAG_SET_CLOCK_STATE: {
      const id = ramRead32(v);
      if (id == 0 || id > CLOCKS) { ramWrite32(v + 4, 2); return 8; } // bit 1: no such clock
      if (tag == TAG_SET_CLOCK_STATE) { if ((ramRead32(v + 4) & 1) != 0) clockOff &= ~(1 << id); else clockOff |= 1 << id; }
      ramWrite32(v + 4, (clockOff >> id) & 1 ? 0 : (clockRate(id) != 0 ? 1 : 0));
      return 8;
    }
    case TAG_GET_CLOCK_RATE: case TAG_GET_CLOCK_RATE_MEASURED: ramWrite32(v + 4, clockRate(ramRead32(v))); return 8;
    case TAG_GET_MAX_CLOCK_RATE: { const id = ramRead32(v); ramWrite32(v + 4, id == 0 || id > CLOCKS ? 0 : clockMax(id)); return 8; }
    case TAG_GET_MIN_CLOCK_RATE: { const id = ramRead32(v); ramWrite32(v + 4, id == 0 || id > CLOCKS ? 0 : clockMin(id)); return 8; }
    case TAG_SET_CLOCK_RATE: {
      const id = ramRead32(v);
      if (id == 0 || id > CLOCKS) { ramWrite32(v + 4, 0); return 8; }
      let r = ramRead32(v + 4);
      if (r > clockMax(id)) r = clockMax(id);
      if (r < clockMin(id)) r = clockMin(id);
      unchecked(clockSet[id] = r);
      ramWrite32(v + 4, r);
      return 8;
    }
    case TAG_GET_VOLTAGE: case TAG_SET_VOLTAGE: ramWrite32(v + 4, voltage(ramRead32(v), 0)); return 8;
    case TAG_GET_MAX_VOLTAGE: ramWrite32(v + 4, voltage(ramRead32(v), 1)); return 8;
    case TAG_GET_MIN_VOLTAGE: ramWrite32(v + 4, voltage(ramRead32(v), 2)); return 8;
    case TAG_GET_TEMPERATURE: ramWrite32(v + 4, 45000); return 8;
    case TAG_GET_MAX_TEMPERATURE: ramWrite32(v + 4, 85000); return 8;
    case TAG_GET_TURBO: case TAG_SET_TURBO:
      if (tag == TAG_SET_TURBO) turbo = ramRead32(v + 4) != 0 ? 1 : 0;
      ramWrite32(v + 4, turbo);
      return 8;
    case TAG_GET_GPIO_STATE: case TAG_SET_GPIO_STATE: case TAG_GET_GPIO_CONFIG: case TAG_SET_GPIO_CONFIG: {
      const pin = ramRead32(v) - EXP_GPIO_BASE;
      if (pin >= EXP_GPIO_COUNT) { ramWrite32(v, 1); return tag == TAG_GET_GPIO_CONFIG ? 20 : 8; } // status 1: no such pin
      if (tag == TAG_SET_GPIO_STATE) { if (ramRead32(v + 4) != 0) expState |= 1 << pin; else expState &= ~(1 << pin); }
      if (tag == TAG_SET_GPIO_CONFIG) {
        if (ramRead32(v + 4) != 0) expDirection |= 1 << pin; else expDirection &= ~(1 << pin);
        if (ramRead32(v + 20) != 0) expState |= 1 << pin; else expState &= ~(1 << pin);
      }
      if (tag == TAG_GET_GPIO_CONFIG) {
        ramWrite32(v, 0);                                  // status: done
        ramWrite32(v + 4, (expDirection >> pin) & 1);      // direction: 1 output
        ramWrite32(v + 8, 0);                              // polarity
        ramWrite32(v + 12, 0);                             // termination enabled
        ramWrite32(v + 16, 0);                             // pull-up
        return 20;
      }
      ramWrite32(v, 0);
      ramWrite32(v + 4, (expState >> pin) & 1);
      return 8;
    }
    case TAG_GET_THROTTLED: ramWrite32(v, 0); return 4;
    case TAG_NOTIFY_REBOOT: return 0;
    case TAG_GET_COMMAND_LINE: return 0;
    case TAG_GET_DMA_CHANNELS: ramWrite32(v, 0x7F35); return 4;
    default: return framebufferTag(tag, v, bufSize);
  }
}

// What follows a value buffer, saved around answering its tag: an answer longer than the
// buffer (a short palette or clock list) is truncated to it, as the firmware does.
const SAVE_WORDS: u32 = 272;
const saved = new StaticArray<u32>(SAVE_WORDS);

function processProperty(addr: u32): void {
  if (!ramContains(addr, 8)) return;
  const size = ramRead32(addr);
  if (size < 12 || !ramContains(addr, size)) return;
  let p = addr + 8;
  const end = addr + size;
  while (p + 12 <= end) {
    const tag = ramRead32(p);
    if (tag == 0) break;
    const bufSize = ramRead32(p + 4);
    const v = p + 12;
    if ((v as u64) + (bufSize as u64) > (end as u64)) break;
    const after = v + ((bufSize + 3) & ~3);
    let keep: u32 = (end - after) >> 2;
    if (keep > SAVE_WORDS) keep = SAVE_WORDS;
    for (let i: u32 = 0; i < keep; i++) unchecked(saved[i] = ramRead32(after + i * 4));
    const len = answerTag(tag, v, bufSize);
    for (let i: u32 = 0; i < keep; i++) ramWrite32(after + i * 4, unchecked(saved[i]));
    if (len < 0) noteOnce(NOTE_MAILBOX_TAG, tag);
    else ramWrite32(p + 8, 0x80000000 | (len as u32));
    p = after;
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
