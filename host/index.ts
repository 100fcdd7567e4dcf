// Public API of rpi-os: the emulated machine, boot helpers and the toolchain.
export { Machine, Cpu, Bus, GuestError, NestedRunEnded } from "./machine.js";
export { boot, parseConfigTxt, loadElf, DEFAULT_BOOT, type BootConfig } from "./boot.js";
export { formatException, formatLine, formatMmio, ecName } from "./trace.js";
export type {
  MachineOptions, RunOptions, RunResult, StopReason, ExceptionEvent, ExceptionKind, LineEvent, NoteEvent, MmioEvent, MmuEvent, SerialPort,
} from "./machine.js";
