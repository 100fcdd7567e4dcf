// printf.c (the tiny printf the lesson uses): init_printf(putp, putf) and
// printf with %d %u %x %X %c %s %%, optional 0 flag and width; 'l' is accepted.
// As in C, %d/%u/%x take a 32-bit int: a wider argument is truncated.

type PutFunction = (p: unknown, c: number) => void;

let stdoutPutp: unknown = null;
let stdoutPutf: PutFunction | null = null;

export function init_printf(putp: unknown, putf: PutFunction): void {
  stdoutPutp = putp;
  stdoutPutf = putf;
}

export type PrintfArg = number | bigint | string;

export function tfp_format(putp: unknown, putf: PutFunction, fmt: string, args: PrintfArg[]): void {
  let a = 0;
  const out = (s: string) => { for (let i = 0; i < s.length; i++) putf(putp, s.charCodeAt(i) & 0xff); };
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch !== "%") { putf(putp, fmt.charCodeAt(i) & 0xff); continue; }
    let zero = false;
    let width = 0;
    i++;
    if (fmt[i] === "0") { zero = true; i++; }
    while (fmt[i] >= "0" && fmt[i] <= "9") width = width * 10 + Number(fmt[i++]);
    while (fmt[i] === "l") i++;
    const conv = fmt[i];
    const pad = (s: string) => (s.length >= width ? s : (zero ? "0" : " ").repeat(width - s.length) + s);
    const int32 = (v: PrintfArg | undefined) => Number(BigInt.asUintN(32, BigInt(typeof v === "string" ? 0 : v ?? 0)));
    switch (conv) {
      case "d": { const v = int32(args[a++]) | 0; out(v < 0 ? "-" + pad(String(-v)) : pad(String(v))); break; }
      case "u": out(pad(String(int32(args[a++])))); break;
      case "x": out(pad(int32(args[a++]).toString(16))); break;
      case "X": out(pad(int32(args[a++]).toString(16).toUpperCase())); break;
      case "c": putf(putp, int32(args[a++]) & 0xff); break;
      case "s": out(pad(String(args[a++] ?? ""))); break;
      case "%": putf(putp, 0x25); break;
      case undefined: return;
      default: break; // unknown conversions print nothing, as tfp_printf
    }
  }
}

export function printf(fmt: string, ...args: PrintfArg[]): void {
  if (!stdoutPutf) return; // init_printf not called yet: output goes nowhere, as in C
  tfp_format(stdoutPutp, stdoutPutf, fmt, args);
}
