// The Arasan SD host controller ("EMMC", "BCM2835 ARM Peripherals" chapter 5,
// at 0x7E300000, 0x3F300000 for the ARM on a BCM2837) and the SD card behind it
// (SD Physical Layer Simplified Specification 3.01: commands, card states, R1,
// CID, CSD, SCR). The card's blocks live in the host: `sdTransfer` (imported
// from host/machine.ts) reads or writes one 512-byte block of the disk image.
//
// Register map (datasheet names; offsets from the base):
export const EMMC_ARG2: u32 = 0x00;
export const EMMC_BLKSIZECNT: u32 = 0x04;    // bits 9:0 block size, 31:16 block count
export const EMMC_ARG1: u32 = 0x08;
export const EMMC_CMDTM: u32 = 0x0C;         // a write issues the command
export const EMMC_RESP0: u32 = 0x10;
export const EMMC_RESP1: u32 = 0x14;
export const EMMC_RESP2: u32 = 0x18;
export const EMMC_RESP3: u32 = 0x1C;
export const EMMC_DATA: u32 = 0x20;          // the data port: 32-bit reads and writes
export const EMMC_STATUS: u32 = 0x24;
export const EMMC_CONTROL0: u32 = 0x28;
export const EMMC_CONTROL1: u32 = 0x2C;
export const EMMC_INTERRUPT: u32 = 0x30;     // write 1 to clear
export const EMMC_IRPT_MASK: u32 = 0x34;     // which flags INTERRUPT shows
export const EMMC_IRPT_EN: u32 = 0x38;       // which flags raise the interrupt line (GPU IRQ 62)
export const EMMC_CONTROL2: u32 = 0x3C;
export const EMMC_FORCE_IRPT: u32 = 0x50;
export const EMMC_BOOT_TIMEOUT: u32 = 0x70;
export const EMMC_DBG_SEL: u32 = 0x74;
export const EMMC_EXRDFIFO_CFG: u32 = 0x80;
export const EMMC_EXRDFIFO_EN: u32 = 0x84;
export const EMMC_TUNE_STEP: u32 = 0x88;
export const EMMC_TUNE_STEPS_STD: u32 = 0x8C;
export const EMMC_TUNE_STEPS_DDR: u32 = 0x90;
export const EMMC_SPI_INT_SPT: u32 = 0xF0;
export const EMMC_SLOTISR_VER: u32 = 0xFC;

// CMDTM
export const CMDTM_TM_BLKCNT_EN: u32 = 1 << 1;
export const CMDTM_TM_AUTO_CMD_EN_MASK: u32 = 3 << 2;   // 1: auto CMD12 after the last block
export const CMDTM_TM_AUTO_CMD12: u32 = 1 << 2;
export const CMDTM_TM_DAT_DIR_READ: u32 = 1 << 4;        // card to host
export const CMDTM_TM_MULTI_BLOCK: u32 = 1 << 5;
export const CMDTM_CMD_ISDATA: u32 = 1 << 21;
export const CMDTM_CMD_INDEX_SHIFT: u32 = 24;
// STATUS (bits 16-19 are the SD Host Controller standard's present-state bits)
export const STATUS_CMD_INHIBIT: u32 = 1 << 0;
export const STATUS_DAT_INHIBIT: u32 = 1 << 1;
export const STATUS_DAT_ACTIVE: u32 = 1 << 2;
export const STATUS_WRITE_TRANSFER: u32 = 1 << 8;
export const STATUS_READ_TRANSFER: u32 = 1 << 9;
export const STATUS_BUFFER_WRITE_ENABLE: u32 = 1 << 10;
export const STATUS_BUFFER_READ_ENABLE: u32 = 1 << 11;
export const STATUS_CARD_INSERTED: u32 = 1 << 16;
export const STATUS_CARD_STABLE: u32 = 1 << 17;
export const STATUS_CARD_DETECT_PIN: u32 = 1 << 18;
export const STATUS_WRITE_ENABLED_PIN: u32 = 1 << 19;
export const STATUS_DAT_LEVEL0: u32 = 0xF << 20;          // DAT[3:0] idle high
export const STATUS_CMD_LEVEL: u32 = 1 << 24;
// CONTROL1
export const C1_CLK_INTLEN: u32 = 1 << 0;
export const C1_CLK_STABLE: u32 = 1 << 1;
export const C1_CLK_EN: u32 = 1 << 2;
export const C1_SRST_HC: u32 = 1 << 24;
export const C1_SRST_CMD: u32 = 1 << 25;
export const C1_SRST_DATA: u32 = 1 << 26;
// INTERRUPT / IRPT_MASK / IRPT_EN
export const INT_CMD_DONE: u32 = 1 << 0;
export const INT_DATA_DONE: u32 = 1 << 1;
export const INT_WRITE_RDY: u32 = 1 << 4;
export const INT_READ_RDY: u32 = 1 << 5;
export const INT_ERR: u32 = 1 << 15;          // any of the error bits below
export const INT_CTO_ERR: u32 = 1 << 16;      // command timeout: the card did not answer
export const INT_DTO_ERR: u32 = 1 << 20;      // data timeout: the card sent or took no data
export const INT_ERROR_BITS: u32 = 0x01FF0000;
/** SLOTISR_VER: vendor 0x99, SDVERSION 2 (SD Host Controller spec 3.00), as the Pi's Arasan reads. */
export const SLOTISR_VER_VALUE: u32 = 0x99020000;
export const GPU_IRQ_EMMC: u32 = 62;

// SD card (Physical Layer spec 4.10.1: card status bits)
export const R1_OUT_OF_RANGE: u32 = 1 << 31;
export const R1_ADDRESS_ERROR: u32 = 1 << 30;
export const R1_BLOCK_LEN_ERROR: u32 = 1 << 29;
export const R1_ILLEGAL_COMMAND: u32 = 1 << 22;
export const R1_ERROR: u32 = 1 << 19;
export const R1_READY_FOR_DATA: u32 = 1 << 8;
export const R1_APP_CMD: u32 = 1 << 5;
/** Bits cleared once a response has reported them (clear condition "C"). */
const R1_CLEAR_ON_READ: u32 = 0xFDF90008;
// Card states (CURRENT_STATE, card status bits 12:9).
const ST_IDLE: u32 = 0, ST_READY: u32 = 1, ST_IDENT: u32 = 2, ST_STBY: u32 = 3, ST_TRAN: u32 = 4;
const ST_DATA: u32 = 5, ST_RCV: u32 = 6;
// OCR (ACMD41 response)
const OCR_VOLTAGE_WINDOW: u32 = 0x00FF8000;   // 2.7-3.6 V
const OCR_CCS: u32 = 1 << 30;                 // card capacity status: SDHC, block addressing
const OCR_POWER_UP_DONE: u32 = 1 << 31;
/** Cards above 2 GiB are SDHC (block addresses); smaller ones SDSC (byte addresses). */
export const SDSC_MAX_BLOCKS: u64 = 0x400000;
/** The relative card address the card publishes at CMD3 (as QEMU's card does). */
const CARD_RCA: u32 = 0x4567;
export const SD_BLOCK: u32 = 512;
//
// Implemented: CMD0/2/3/7/8/9/10/12/13/16/17/18/24/25/55, ACMD6/41/51; SDSC
// (byte address) and SDHC (block address) cards by size; single and multiple
// block transfers through the data port, auto CMD12; card detect, clock
// stable and reset bits; the flags a driver polls and the interrupt line.
// Transfers complete at once (no bus timing). An address beyond the card is
// the card's error (OUT_OF_RANGE in its status, and the controller's data
// timeout), never the host's. Not implemented: DMA (the Pi's EMMC has none),
// CMD23 (not advertised in the SCR), SDSC block lengths other than 512, erase,
// lock, write protection, SPI mode, boot, tuning.

import { noteOnce, NOTE_EMMC_COMMAND, NOTE_SD_NO_CARD } from "../machine/trace";
import { noteReadSideEffect } from "../machine/irqlines";

/** Reads (write = 0) or writes one 512-byte block of the disk at `buf` in linear memory; 0 = done. */
// @ts-ignore: decorator
@external("env", "sdTransfer")
declare function sdTransfer(write: u32, block: u32, buf: usize): u32;

const emmcBase: u32 = 0x3F300000;

// ---- card ----
let cardBlocks: u64 = 0;          // 0: no card
let cardState: u32 = ST_IDLE;
let cardStatus: u32 = 0;          // error bits to report
let rca: u32 = 0;
let appCmd: bool = false;
let ocr: u32 = 0;
let blockLen: u32 = SD_BLOCK;
let busWidth4: bool = false;
const cid = new StaticArray<u32>(4);  // [0] = bits 31:0 ... [3] = bits 127:96
const csd = new StaticArray<u32>(4);

// ---- controller ----
let arg1: u32 = 0, arg2: u32 = 0, blkSizeCnt: u32 = 0, cmdtm: u32 = 0;
const resp = new StaticArray<u32>(4);
let control0: u32 = 0, control1: u32 = 0, control2: u32 = 0;
let intRaw: u32 = 0, intMask: u32 = 0, intEn: u32 = 0;
const otherRegs = new StaticArray<u32>(64); // FORCE_IRPT .. SPI_INT_SPT: kept as written

// ---- data transfer ----
const XFER_NONE: u32 = 0, XFER_READ: u32 = 1, XFER_WRITE: u32 = 2;
let xfer: u32 = XFER_NONE;
let xferMulti: bool = false;
let xferBlocksLeft: u32 = 0;      // host block count (with BLKCNT_EN), else 0xFFFFFFFF
let xferAddr: u64 = 0;            // next card block
let xferPos: u32 = 0;             // bytes of the current block moved through the data port
let xferSize: u32 = SD_BLOCK;     // bytes of the current block
let xferAutoStop: bool = false;
const buf = new StaticArray<u8>(SD_BLOCK);

function setBits(r: StaticArray<u32>, hi: u32, lo: u32, v: u32): void {
  for (let b = lo; b <= hi; b++) {
    const w = (b >> 5) as i32, bit: u32 = 1 << (b & 31);
    if ((v >> (b - lo)) & 1) unchecked(r[w] |= bit); else unchecked(r[w] &= ~bit);
  }
}

function makeRegisters(): void {
  for (let i = 0; i < 4; i++) { unchecked(cid[i] = 0); unchecked(csd[i] = 0); }
  // CID (spec 5.2): manufacturer, OEM "RP", product "RPIOS", revision 1.0, serial 1, made 2026-12.
  setBits(cid, 127, 120, 0x00);
  setBits(cid, 119, 104, 0x5250);
  setBits(cid, 103, 72, 0x52504F53); setBits(cid, 71, 64, 0x49);
  setBits(cid, 63, 56, 0x10);
  setBits(cid, 55, 24, 1);
  setBits(cid, 19, 8, (26 << 4) | 12);
  setBits(cid, 0, 0, 1);
  // CSD (spec 5.3): version 2.0 for SDHC, 1.0 for SDSC; 25 MHz, 512-byte blocks.
  setBits(csd, 119, 112, 0x0E);          // TAAC
  setBits(csd, 103, 96, 0x32);           // TRAN_SPEED 25 MHz
  setBits(csd, 95, 84, 0x5B5);           // CCC
  setBits(csd, 83, 80, 9);               // READ_BL_LEN 512
  setBits(csd, 46, 46, 1);               // ERASE_BLK_EN
  setBits(csd, 45, 39, 0x7F);            // SECTOR_SIZE
  setBits(csd, 28, 26, 2);               // R2W_FACTOR
  setBits(csd, 25, 22, 9);               // WRITE_BL_LEN 512
  setBits(csd, 0, 0, 1);
  if (cardBlocks > SDSC_MAX_BLOCKS) {
    setBits(csd, 127, 126, 1);
    setBits(csd, 69, 48, ((cardBlocks / 1024) - 1) as u32);   // C_SIZE: units of 512 KiB
  } else {
    // capacity = (C_SIZE + 1) * 2^(C_SIZE_MULT + 2) blocks; the smallest multiplier that fits.
    let mult: u32 = 0;
    while (mult < 7 && (cardBlocks >> ((mult + 2) as u64)) > 4096) mult++;
    let units = cardBlocks >> ((mult + 2) as u64);
    if (units == 0) units = 1;
    setBits(csd, 73, 62, (units - 1) as u32);
    setBits(csd, 49, 47, mult);
  }
}

/** The host inserts a card of `blocks` 512-byte blocks (0: no card). */
export function setSdCard(blocks: u64): void { cardBlocks = blocks; emmcReset(); }

function cardReset(): void {
  cardState = ST_IDLE; cardStatus = 0; rca = 0; appCmd = false; ocr = OCR_VOLTAGE_WINDOW;
  blockLen = SD_BLOCK; busWidth4 = false;
  makeRegisters();
}

function controllerReset(): void {
  arg1 = 0; arg2 = 0; blkSizeCnt = 0; cmdtm = 0;
  for (let i = 0; i < 4; i++) unchecked(resp[i] = 0);
  control0 = 0; control1 = 0; control2 = 0; intRaw = 0; intMask = 0; intEn = 0;
  for (let i = 0; i < 64; i++) unchecked(otherRegs[i] = 0);
  xfer = XFER_NONE;
}

export function emmcReset(): void { controllerReset(); cardReset(); }

export function emmcIrqLevel(): bool { return (intRaw & intMask & intEn) != 0; }

function sdhc(): bool { return cardBlocks > SDSC_MAX_BLOCKS; }

function status(): u32 {
  let s: u32 = STATUS_DAT_LEVEL0 | STATUS_CMD_LEVEL;
  if (cardBlocks != 0) s |= STATUS_CARD_INSERTED | STATUS_CARD_STABLE | STATUS_CARD_DETECT_PIN | STATUS_WRITE_ENABLED_PIN;
  if (xfer != XFER_NONE) s |= STATUS_DAT_INHIBIT | STATUS_DAT_ACTIVE;
  if (xfer == XFER_READ) s |= STATUS_READ_TRANSFER | STATUS_BUFFER_READ_ENABLE;
  if (xfer == XFER_WRITE) s |= STATUS_WRITE_TRANSFER | STATUS_BUFFER_WRITE_ENABLE;
  return s;
}

function interruptFlags(): u32 {
  let v = intRaw & intMask;
  if ((v & INT_ERROR_BITS) != 0) v |= INT_ERR;
  return v;
}

// ---- the card's side of a command ----

const RESP_NONE: u32 = 0, RESP_R1: u32 = 1, RESP_R2: u32 = 2, RESP_R3: u32 = 3, RESP_R6: u32 = 4, RESP_R7: u32 = 5;
/** What the card started: 0 nothing, else a transfer to set up (read/write, block address). */
let cardXfer: u32 = XFER_NONE;
let cardXferAddr: u64 = 0;
let cardXferMulti: bool = false;
let cardXferScr: bool = false;

/** Card status for an R1 response: the state when the command arrived, then clears reported bits. */
function r1(stateBefore: u32): u32 {
  const v = cardStatus | (stateBefore << 9) | (cardState == ST_TRAN || cardState == ST_RCV ? R1_READY_FOR_DATA : 0) | (appCmd ? R1_APP_CMD : 0);
  cardStatus &= ~R1_CLEAR_ON_READ;
  return v;
}

/** Block number of a data command's argument, or -1 (with OUT_OF_RANGE/ADDRESS_ERROR set). */
function dataBlock(arg: u32): i64 {
  let block: u64;
  if (sdhc()) block = arg as u64;
  else {
    if (blockLen != SD_BLOCK) { cardStatus |= R1_BLOCK_LEN_ERROR; return -1; }
    if ((arg & (SD_BLOCK - 1)) != 0) { cardStatus |= R1_ADDRESS_ERROR; return -1; }
    block = (arg / SD_BLOCK) as u64;
  }
  if (block >= cardBlocks) { cardStatus |= R1_OUT_OF_RANGE; return -1; }
  return block as i64;
}

/** Runs command `idx` with `arg` on the card; returns the response kind (RESP_NONE: no answer). */
function cardCommand(idx: u32, arg: u32): u32 {
  cardXfer = XFER_NONE;
  cardXferScr = false;
  const before = cardState;
  const app = appCmd;
  appCmd = false;
  if (cardBlocks == 0) return RESP_NONE;
  if (app) {
    switch (idx) {
      case 6: // ACMD6 SET_BUS_WIDTH
        if (before != ST_TRAN) break;
        busWidth4 = (arg & 3) == 2;
        appCmd = true; unchecked(resp[0] = r1(before)); appCmd = false;
        return RESP_R1;
      case 41: { // ACMD41 SD_SEND_OP_COND: powers up at once (an SDHC card needs HCS in the argument)
        if (before != ST_IDLE) break;
        const hcs = (arg & OCR_CCS) != 0;
        if ((arg & OCR_VOLTAGE_WINDOW) != 0 && (hcs || !sdhc())) {
          ocr = OCR_VOLTAGE_WINDOW | OCR_POWER_UP_DONE | (sdhc() ? OCR_CCS : 0);
          cardState = ST_READY;
        }
        unchecked(resp[0] = ocr); // busy (bit 31 clear) until powered up; an enquiry (no voltages) only asks
        return RESP_R3;
      }
      case 51: // ACMD51 SEND_SCR
        if (before != ST_TRAN) break;
        cardXfer = XFER_READ; cardXferScr = true; cardXferMulti = false;
        cardState = ST_DATA;
        appCmd = true; unchecked(resp[0] = r1(before)); appCmd = false;
        return RESP_R1;
      default: break;
    }
    // Not an application command: the same index as a plain command.
  }
  switch (idx) {
    case 0: cardReset(); return RESP_NONE;                   // GO_IDLE_STATE
    case 2:                                                  // ALL_SEND_CID
      if (before != ST_READY) break;
      cardState = ST_IDENT;
      for (let i = 0; i < 4; i++) unchecked(resp[i] = r128(cid, i));
      return RESP_R2;
    case 3:                                                  // SEND_RELATIVE_ADDR
      if (before != ST_IDENT && before != ST_STBY) break;
      rca = CARD_RCA;
      cardState = ST_STBY;
      unchecked(resp[0] = (rca << 16) | (((cardStatus >> 23) & 1) << 15) | (((cardStatus >> 22) & 1) << 14) |
        (((cardStatus >> 19) & 1) << 13) | (before << 9) | (app ? R1_APP_CMD : 0));
      cardStatus &= ~R1_CLEAR_ON_READ;
      return RESP_R6;
    case 7:                                                  // SELECT/DESELECT_CARD
      if ((arg >> 16) == rca && rca != 0) {
        if (before != ST_STBY && before != ST_TRAN) break;
        cardState = ST_TRAN;
        unchecked(resp[0] = r1(before));
        return RESP_R1;
      }
      if (before == ST_TRAN) cardState = ST_STBY;            // another card selected: no answer
      return RESP_NONE;
    case 8:                                                  // SEND_IF_COND: echo voltage and pattern
      if (before != ST_IDLE) break;
      unchecked(resp[0] = arg & 0xFFF);
      return RESP_R7;
    case 9: case 10:                                         // SEND_CSD, SEND_CID
      if (before != ST_STBY || (arg >> 16) != rca) break;
      for (let i = 0; i < 4; i++) unchecked(resp[i] = r128(idx == 9 ? csd : cid, i));
      return RESP_R2;
    case 12:                                                 // STOP_TRANSMISSION
      if (before != ST_DATA && before != ST_RCV) break;
      cardState = ST_TRAN;
      unchecked(resp[0] = r1(before));
      return RESP_R1;
    case 13:                                                 // SEND_STATUS
      if ((arg >> 16) != rca || before < ST_STBY) break;
      unchecked(resp[0] = r1(before));
      return RESP_R1;
    case 16:                                                 // SET_BLOCKLEN (SDHC: always 512)
      if (before != ST_TRAN) break;
      if (!sdhc()) { if (arg == 0 || arg > SD_BLOCK) cardStatus |= R1_BLOCK_LEN_ERROR; else blockLen = arg; }
      unchecked(resp[0] = r1(before));
      return RESP_R1;
    case 17: case 18: case 24: case 25: {                    // READ/WRITE_SINGLE/MULTIPLE_BLOCK
      if (before != ST_TRAN) break;
      const block = dataBlock(arg);
      if (block >= 0) {
        const read = idx == 17 || idx == 18;
        cardXfer = read ? XFER_READ : XFER_WRITE;
        cardXferAddr = block as u64;
        cardXferMulti = idx == 18 || idx == 25;
        cardState = read ? ST_DATA : ST_RCV;
      }
      unchecked(resp[0] = r1(before));
      return RESP_R1;
    }
    case 55:                                                 // APP_CMD
      if (before >= ST_STBY && (arg >> 16) != rca) break;
      appCmd = true;
      unchecked(resp[0] = r1(before));
      return RESP_R1;
    default: break;
  }
  // Illegal here: no response; the next response reports ILLEGAL_COMMAND.
  cardStatus |= R1_ILLEGAL_COMMAND;
  if (idx != 5 && idx != 1 && idx != 52) noteOnce(NOTE_EMMC_COMMAND, (app ? 0x100 : 0) | idx);
  return RESP_NONE;
}

/** Word i of a 136-bit response as the controller stores it: R[127:8] in RESP0..3 (bits 119:0). */
function r128(reg: StaticArray<u32>, i: i32): u32 {
  const next: u32 = i == 3 ? 0 : unchecked(reg[i + 1]);
  return (unchecked(reg[i]) >> 8) | (next << 24);
}

// ---- the controller ----

function issueCommand(v: u32): void {
  cmdtm = v;
  const idx = (v >> CMDTM_CMD_INDEX_SHIFT) & 0x3F;
  if (cardBlocks == 0) noteOnce(NOTE_SD_NO_CARD, emmcBase + EMMC_CMDTM);
  const kind = cardCommand(idx, arg1);
  if (kind == RESP_NONE) {
    // A command sent without a response type is complete once sent; one expecting an answer times out.
    intRaw |= ((v >> 16) & 3) == 0 ? INT_CMD_DONE : INT_CTO_ERR;
    return;
  }
  if (kind != RESP_R2) { unchecked(resp[1] = 0); unchecked(resp[2] = 0); unchecked(resp[3] = 0); }
  intRaw |= INT_CMD_DONE;
  if (((v >> 16) & 3) == 3) intRaw |= INT_DATA_DONE;    // R1b: busy has ended
  if ((v & CMDTM_CMD_ISDATA) == 0) return;
  if (cardXfer == XFER_NONE) { intRaw |= INT_DTO_ERR; return; } // the card refused: no data comes
  xfer = cardXfer;
  xferMulti = cardXferMulti && (v & CMDTM_TM_MULTI_BLOCK) != 0;
  xferBlocksLeft = (v & CMDTM_TM_BLKCNT_EN) != 0 ? blkSizeCnt >> 16 : 0xFFFFFFFF;
  if (!xferMulti) xferBlocksLeft = 1;
  xferAutoStop = (v & CMDTM_TM_AUTO_CMD_EN_MASK) == CMDTM_TM_AUTO_CMD12;
  xferAddr = cardXferAddr;
  xferSize = blkSizeCnt & 0x3FF;
  if (xferSize == 0 || xferSize > SD_BLOCK) xferSize = SD_BLOCK;
  if (xferBlocksLeft == 0) { endTransfer(); return; }
  startBlock();
}

/** Makes the next block ready: loads it (read) or opens the buffer (write). */
function startBlock(): void {
  xferPos = 0;
  if (xfer == XFER_READ) {
    if (cardXferScr) {
      // SCR (spec 5.6), sent most significant byte first: structure 1.0, spec 2.00,
      // SDSC/SDHC security, 1- and 4-bit bus; no CMD23.
      for (let i = 0; i < (SD_BLOCK as i32); i++) unchecked(buf[i] = 0);
      unchecked(buf[0] = 0x02);
      unchecked(buf[1] = sdhc() ? 0x35 : 0x25);
      unchecked(buf[2] = 0x00);
      xferSize = 8;
    } else if (!loadBlock()) return;
    intRaw |= INT_READ_RDY;
  } else {
    if (xferAddr >= cardBlocks) { cardFailsTransfer(R1_OUT_OF_RANGE); return; }
    intRaw |= INT_WRITE_RDY;
  }
}

function loadBlock(): bool {
  if (xferAddr >= cardBlocks) { cardFailsTransfer(R1_OUT_OF_RANGE); return false; }
  if (sdTransfer(0, xferAddr as u32, changetype<usize>(buf)) != 0) { cardFailsTransfer(R1_ERROR); return false; }
  return true;
}

/** The card stops in the middle of a transfer: the controller's data timeout. */
function cardFailsTransfer(why: u32): void {
  cardStatus |= why;
  xfer = XFER_NONE;
  intRaw |= INT_DTO_ERR;
}

function blockDone(): void {
  if (xfer == XFER_WRITE && sdTransfer(1, xferAddr as u32, changetype<usize>(buf)) != 0) { cardFailsTransfer(R1_ERROR); return; }
  xferAddr++;
  if (xferBlocksLeft != 0xFFFFFFFF) xferBlocksLeft--;
  if (xferBlocksLeft == 0) { endTransfer(); return; }
  startBlock();
}

function endTransfer(): void {
  xfer = XFER_NONE;
  intRaw |= INT_DATA_DONE;
  if (!xferMulti || xferAutoStop) cardState = ST_TRAN;  // single block, or auto CMD12
}

function dataRead(): u32 {
  if (xfer != XFER_READ) return 0;
  let v: u32 = 0;
  for (let i: u32 = 0; i < 4; i++) if (xferPos + i < xferSize) v |= (unchecked(buf[xferPos + i]) as u32) << (i * 8);
  xferPos += 4;
  if (xferPos >= xferSize) blockDone();
  noteReadSideEffect();
  return v;
}

function dataWrite(v: u32): void {
  if (xfer != XFER_WRITE) return;
  for (let i: u32 = 0; i < 4; i++) if (xferPos + i < SD_BLOCK) unchecked(buf[xferPos + i] = (v >> (i * 8)) as u8);
  xferPos += 4;
  if (xferPos >= xferSize) {
    for (let i = xferSize; i < SD_BLOCK; i++) unchecked(buf[i] = 0);
    blockDone();
  }
}

export function emmcIsRegister(off: u32): bool {
  if ((off & 3) != 0) return false;
  return off <= EMMC_CONTROL2 || off == EMMC_FORCE_IRPT || off == EMMC_BOOT_TIMEOUT || off == EMMC_DBG_SEL ||
    (off >= EMMC_EXRDFIFO_CFG && off <= EMMC_TUNE_STEPS_DDR) || off == EMMC_SPI_INT_SPT || off == EMMC_SLOTISR_VER;
}

export function emmcRead(off: u32): u32 {
  switch (off) {
    case EMMC_ARG2: return arg2;
    case EMMC_BLKSIZECNT: return blkSizeCnt;
    case EMMC_ARG1: return arg1;
    case EMMC_CMDTM: return cmdtm;
    case EMMC_RESP0: case EMMC_RESP1: case EMMC_RESP2: case EMMC_RESP3: return unchecked(resp[(off - EMMC_RESP0) >> 2]);
    case EMMC_DATA: return dataRead();
    case EMMC_STATUS: return status();
    case EMMC_CONTROL0: return control0;
    case EMMC_CONTROL1: return control1 | ((control1 & C1_CLK_INTLEN) != 0 ? C1_CLK_STABLE : 0);
    case EMMC_INTERRUPT: return interruptFlags();
    case EMMC_IRPT_MASK: return intMask;
    case EMMC_IRPT_EN: return intEn;
    case EMMC_CONTROL2: return control2;
    case EMMC_SLOTISR_VER: return SLOTISR_VER_VALUE | (emmcIrqLevel() ? 1 : 0);
    default: return unchecked(otherRegs[(off >> 2) & 63]);
  }
}

export function emmcWrite(off: u32, v: u32): void {
  switch (off) {
    case EMMC_ARG2: arg2 = v; return;
    case EMMC_BLKSIZECNT: blkSizeCnt = v & 0xFFFF03FF; return;
    case EMMC_ARG1: arg1 = v; return;
    case EMMC_CMDTM: issueCommand(v); return;
    case EMMC_DATA: dataWrite(v); return;
    case EMMC_CONTROL0: control0 = v; return;
    case EMMC_CONTROL1:
      // The resets act at once and read back as done; the clock is stable as soon as it runs.
      if ((v & C1_SRST_HC) != 0) { controllerReset(); return; }
      if ((v & C1_SRST_DATA) != 0) xfer = XFER_NONE;     // SRST_CMD: nothing to reset, commands end at once
      control1 = v & ~(C1_SRST_HC | C1_SRST_CMD | C1_SRST_DATA | C1_CLK_STABLE);
      return;
    case EMMC_INTERRUPT: intRaw &= ~v; if ((v & INT_ERR) != 0) intRaw &= ~INT_ERROR_BITS; return;
    case EMMC_IRPT_MASK: intMask = v; return;
    case EMMC_IRPT_EN: intEn = v; return;
    case EMMC_CONTROL2: control2 = v; return;
    case EMMC_FORCE_IRPT: intRaw |= v & (INT_ERROR_BITS | 0x1FF); return;
    case EMMC_SLOTISR_VER: return;
    default: unchecked(otherRegs[(off >> 2) & 63] = v); return;
  }
}
