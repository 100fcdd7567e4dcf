// utils.S for the TypeScript side: hardware access as the C code does it.
// put32/get32 go through the bus (kernel/board.ts explains the cost and the
// interrupt points); get_el reads CurrentEL through the CPU.
import { board } from "./board.js";

export function put32(addr: number, value: number): void {
  board().write32(addr, value);
}

export function get32(addr: number): number {
  return board().read32(addr);
}

export function delay(count: number): void {
  board().delay(count);
}

export function get_el(): number {
  return board().m.cores[0].el;
}
