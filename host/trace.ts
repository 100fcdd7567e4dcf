// One-line descriptions of trace events, for `--trace` and the web page.

import type { MmuEvent, ExceptionEvent, LineEvent, MmioEvent } from "./machine.js";

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
    0x00: "UNKNOWN (undefined instruction)", 0x01: "WFI/WFE", 0x07: "FP/SIMD access trapped: CPACR_EL1.FPEN or CPTR_ELx.TFP", 0x0e: "illegal execution state",
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

/** ISS.DFSC/IFSC (ARM ARM D17.2.37) in words. */
export function fscName(fsc: number): string {
  const level = fsc & 3;
  switch (fsc & 0x3c) {
    case 0x00: return `address size fault, level ${level}`;
    case 0x04: return `translation fault, level ${level}`;
    case 0x08: return `access flag fault, level ${level}`;
    case 0x0c: return `permission fault, level ${level}`;
    case 0x14: return `external abort on the table walk, level ${level}`;
  }
  if (fsc === 0x21) return "alignment fault";
  if (fsc === 0x10) return "external abort";
  return `fault status 0x${fsc.toString(16)}`;
}

const TLBI_NAMES: Record<string, string> = {
  "0:0": "VMALLE1", "0:1": "VAE1", "0:2": "ASIDE1", "0:3": "VAAE1", "0:5": "VALE1", "0:7": "VAALE1",
  "4:0": "ALLE2", "4:1": "VAE2", "4:4": "ALLE1", "4:5": "VALE2", "4:6": "VMALLS12E1", "6:0": "ALLE3", "6:1": "VAE3", "6:5": "VALE3",
};

export function formatMmu(e: MmuEvent): string {
  const at = `at pc=0x${e.pc.toString(16)}`;
  if (e.kind === "fault") return `core${e.core} MMU ${fscName(e.fsc!)} on ${e.access} of 0x${e.value.toString(16)} at EL${e.el} ${at}`;
  if (e.kind === "tlbi") {
    const { op1, crm, op2 } = e.op!;
    const ipa = op1 === 4 && (crm === 0 || crm === 4);
    const name = ipa ? (op2 === 5 ? "IPAS2LE1" : "IPAS2E1") : (TLBI_NAMES[`${op1}:${op2}`] ?? `op1=${op1} op2=${op2}`);
    return `core${e.core} MMU TLBI ${name}${crm === 3 || crm === 0 ? "IS" : ""} 0x${e.value.toString(16)} ${at}`;
  }
  return `core${e.core} MMU SCTLR_EL${e.el}.M=${Number(e.value & 1n)} (0x${e.value.toString(16)}) ${at}`;
}
