// printk: kernel messages on the console (the mini UART) and in a log the host can read.
import { printf } from "../printf.js";

export const log: string[] = [];

export function printk(msg: string): void {
  log.push(msg);
  printf("%s\r\n", msg);
}
