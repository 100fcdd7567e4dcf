// Public API of rpi-os: the emulated machine, boot helpers and the toolchain.
export { Machine, Cpu, Bus, GuestError } from "./machine.js";
export type {
  MachineOptions, RunOptions, RunResult, StopReason, ExceptionEvent, ExceptionKind, LineEvent, NoteEvent, SerialPort,
} from "./machine.js";
