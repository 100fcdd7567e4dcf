// ARM semihosting through `HLT #0xF000` ("Semihosting for AArch32 and AArch64", ARM DUI 0 1.0):
// W0 is the operation, X1 the parameter (block address or value), X0 the result.
// The console calls write to the host's standard output; SYS_EXIT stops the run.

import { getX, setX } from "../cpu/state";
import { busRead } from "./bus";
import { txByte, PORT_SEMIHOSTING, rxQueued, rxPop } from "./serial_io";
import { requestStop } from "../cpu/control";
import { STOP_EXIT } from "./info";
import { now, cpuHz } from "./time";

export const SEMIHOSTING_HLT_IMM: u32 = 0xF000;

export const SYS_OPEN: u32 = 0x01;
export const SYS_CLOSE: u32 = 0x02;
export const SYS_WRITEC: u32 = 0x03;
export const SYS_WRITE0: u32 = 0x04;
export const SYS_WRITE: u32 = 0x05;
export const SYS_READ: u32 = 0x06;
export const SYS_READC: u32 = 0x07;
export const SYS_ISTTY: u32 = 0x09;
export const SYS_CLOCK: u32 = 0x10;
export const SYS_TIME: u32 = 0x11;
export const SYS_ERRNO: u32 = 0x13;
export const SYS_GET_CMDLINE: u32 = 0x15;
export const SYS_HEAPINFO: u32 = 0x16;
export const SYS_EXIT: u32 = 0x18;
export const SYS_EXIT_EXTENDED: u32 = 0x20;

/** ADP_Stopped_ApplicationExit: the reason code of a normal exit. */
const ADP_STOPPED_APPLICATION_EXIT: u64 = 0x20026;

export let semihostingEnabled: bool = false;
export function setSemihosting(on: bool): void { semihostingEnabled = on; }

const MAX_STRING: u32 = 1 << 20;

export function semihostingCall(): void {
  const op = getX(0) as u32;
  const arg = getX(1);
  switch (op) {
    case SYS_WRITEC: txByte(PORT_SEMIHOSTING, busRead(arg, 1) as u32); return;
    case SYS_WRITE0: {
      for (let i: u32 = 0; i < MAX_STRING; i++) {
        const b = busRead(arg + i, 1) as u32;
        if (b == 0) break;
        txByte(PORT_SEMIHOSTING, b);
      }
      return;
    }
    case SYS_WRITE: {
      const addr = busRead(arg + 8, 8);
      const len = busRead(arg + 16, 8);
      for (let i: u64 = 0; i < len; i++) txByte(PORT_SEMIHOSTING, busRead(addr + i, 1) as u32);
      setX(0, 0); // bytes not written
      return;
    }
    case SYS_READC: setX(0, rxQueued() > 0 ? rxPop() as u64 : 0xFFFFFFFFFFFFFFFF); return;
    case SYS_OPEN: setX(0, 1); return;   // ":tt" and anything else: the console
    case SYS_CLOSE: setX(0, 0); return;
    case SYS_ISTTY: setX(0, 1); return;
    case SYS_READ: setX(0, busRead(arg + 16, 8)); return; // nothing read
    case SYS_CLOCK: setX(0, (now / (cpuHz / 100))); return;
    case SYS_TIME: setX(0, now / cpuHz); return;
    case SYS_ERRNO: setX(0, 0); return;
    case SYS_GET_CMDLINE: setX(0, 0xFFFFFFFFFFFFFFFF); return;
    case SYS_HEAPINFO: setX(0, 0); return;
    case SYS_EXIT: case SYS_EXIT_EXTENDED: {
      // AArch64: X1 points to {reason, subcode}.
      const reason = busRead(arg, 8);
      const code = busRead(arg + 8, 8);
      requestStop(STOP_EXIT, reason == ADP_STOPPED_APPLICATION_EXIT ? code & 0xFFFFFFFF : 1);
      return;
    }
    default: setX(0, 0xFFFFFFFFFFFFFFFF); return;
  }
}
