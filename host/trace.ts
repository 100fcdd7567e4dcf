// One-line descriptions of trace events, for `--trace` and the web page.

import type { ExceptionEvent, LineEvent, MmioEvent } from "./machine.js";

const hex = (v: number | bigint, w = 0) => "0x" + v.toString(16).padStart(w, "0");
const KIND = { sync: "SYNC", irq: "IRQ", fiq: "FIQ", serror: "SERROR", eret: "ERET" } as const;

/** "ELxt"/"ELxh" for an EL and PSTATE.SP. */
export function elName(el: number, sp: number): string {
  return el === 0 ? "EL0t" : `EL${el}${sp ? "h" : "t"}`;
}

/** ESR_ELx.EC names (ARM ARM D17.2.37). */
export function ecName(esr: number): string {
  const ec = esr >>> 26;
  const names: Record<number, string> = {
    0x00: "UNKNOWN (undefined instruction)", 0x01: "WFI/WFE", 0x07: "FP/SIMD access", 0x0e: "illegal execution state",
    0x15: "SVC64", 0x16: "HVC64", 0x17: "SMC64", 0x18: "MSR/MRS trap", 0x20: "instruction abort (lower EL)",
    0x21: "instruction abort", 0x22: "PC alignment", 0x24: "data abort (lower EL)", 0x25: "data abort", 0x26: "SP alignment",
    0x3c: "BRK64",
  };
  return names[ec] ?? `EC ${hex(ec)}`;
}

export function formatException(e: ExceptionEvent): string {
  if (e.kind === "eret") {
    return `core${e.core} ERET from EL${e.fromEL} -> ${e.illegal ? "ILLEGAL return" : elName(e.toEL, e.spsr & 1)} pc=${hex(e.elr64 ?? e.elr)} SPSR=${hex(e.spsr, 8)}`;
  }
  const base = `core${e.core} ${KIND[e.kind]} taken from ${elName(e.fromEL, e.fromSpSel)} to EL${e.toEL} vector=${hex(e.vector64 ?? e.vector)} (VBAR+${hex(e.vectorOffset, 3)})`;
  const esr = e.kind === "sync" ? ` ESR=${hex(e.esr, 8)} [${ecName(e.esr)}]` : "";
  return `${base}${esr} ELR=${hex(e.elr64 ?? e.elr)} SPSR=${hex(e.spsr, 8)} DAIF=${(e.spsr >> 6) & 15 ? "masked:" + "DAIF".split("").filter((_, i) => (e.spsr >> (9 - i)) & 1).join("") : "none"}`;
}

export function formatLine(e: LineEvent): string {
  return `core${e.core} lines IRQ=${e.irq ? 1 : 0} FIQ=${e.fiq ? 1 : 0} at cycle ${e.cycle}`;
}

export function formatMmio(e: MmioEvent): string {
  return `core${e.core} ${e.write ? "write" : "read "} ${hex(e.address, 8)} ${e.write ? "<-" : "->"} ${hex(e.value, 8)} at ${e.micros} us`;
}
