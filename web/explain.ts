// What the interrupt lab's state panel says about each register: pure functions
// from register values to words (no DOM), so test/web-explain.test.ts can pin them.
// Field layouts: ARM ARM D17.2.37 (ESR_ELx), C5.2.19 (SPSR_EL1, AArch64 state),
// C5.2.2 (DAIF); BCM2835 ARM Peripherals 12.1 (system timer) and 7.5 (interrupt controller).

import { ecName, elName } from "../host/trace.js";

const hex = (v: number | bigint, w = 0) => "0x" + v.toString(16).padStart(w, "0");

export interface Row {
  name: string;
  value: string;
  /** The value in words. */
  meaning: string;
  /** One line: what the register is for. */
  help: string;
}

/** DAIF bits 9:6 in words: which of D/A/I/F are masked. */
export function daifWords(daif: number): string {
  const names = ["D (debug)", "A (SError)", "I (IRQ)", "F (FIQ)"];
  const masked = names.filter((_, i) => (daif >> (9 - i)) & 1);
  const open = names.filter((_, i) => !((daif >> (9 - i)) & 1));
  if (!masked.length) return "nothing masked: IRQs and FIQs are taken";
  return `masked: ${masked.join(", ")}` + (open.length ? `; open: ${open.join(", ")}` : "; everything masked");
}

/** SPSR_ELx (AArch64): where ERET returns to (EL, SP) and with which DAIF and NZCV. */
export function spsrWords(spsr: number): string {
  const m = spsr & 0x1f;
  if (m & 0x10) return "M[4] set: returns to AArch32 (not modelled)";
  const el = (m >> 2) & 3;
  const flags = "NZCV".split("").filter((_, i) => (spsr >>> (31 - i)) & 1).join("") || "none";
  const d = (spsr >> 6) & 15;
  return `eret returns to ${elName(el, m & 1)}, DAIF ${d ? "masked " + "DAIF".split("").filter((_, i) => (d >> (3 - i)) & 1).join("") : "open"}, flags ${flags}` +
    ((spsr >> 20) & 1 ? ", IL set (illegal return)" : "");
}

/** Data/instruction abort fault status codes (ISS.DFSC/IFSC), ARM ARM D17.2.37. */
export function faultStatus(fsc: number): string {
  const level = fsc & 3;
  switch (fsc >> 2) {
    case 0: return `address size fault, level ${level}`;
    case 1: return `translation fault, level ${level}`;
    case 2: return `access flag fault, level ${level}`;
    case 3: return `permission fault, level ${level}`;
  }
  const names: Record<number, string> = {
    0x10: "synchronous external abort (not on a table walk)", 0x11: "synchronous tag check fault",
    0x21: "alignment fault", 0x30: "TLB conflict abort", 0x31: "unsupported atomic hardware update",
  };
  return names[fsc] ?? `fault status ${hex(fsc)}`;
}

export interface EsrFields {
  ec: number;
  ecName: string;
  il: number;
  iss: number;
  /** ISS fields decoded for this EC, in words. */
  fields: string[];
}

/** ESR_ELx: EC (31:26), IL (25), ISS (24:0), with the ISS decoded for the ECs lesson 3 meets. */
export function decodeEsr(esr: number): EsrFields {
  const ec = esr >>> 26;
  const il = (esr >>> 25) & 1;
  const iss = esr & 0x1ffffff;
  const fields: string[] = [];
  if (ec === 0x15 || ec === 0x16 || ec === 0x17) {
    fields.push(`${ec === 0x15 ? "SVC" : ec === 0x16 ? "HVC" : "SMC"} number #${iss & 0xffff} (imm16)`);
  } else if (ec === 0x24 || ec === 0x25) {
    const dfsc = iss & 0x3f;
    fields.push(`DFSC ${hex(dfsc)}: ${faultStatus(dfsc)}`, `WnR ${(iss >> 6) & 1}: ${(iss >> 6) & 1 ? "a write" : "a read"}`);
    if ((iss >> 24) & 1) fields.push(`ISV 1: SAS ${8 << ((iss >> 22) & 3)}-bit access, register ${(iss >> 16) & 31}`);
    if ((iss >> 10) & 1) fields.push("FnV 1: FAR is not valid");
  } else if (ec === 0x20 || ec === 0x21) {
    const ifsc = iss & 0x3f;
    fields.push(`IFSC ${hex(ifsc)}: ${faultStatus(ifsc)}`);
  } else if (ec === 0x18) {
    const op0 = (iss >> 20) & 3, op2 = (iss >> 17) & 7, op1 = (iss >> 14) & 7, crn = (iss >> 10) & 15, rt = (iss >> 5) & 31, crm = (iss >> 1) & 15;
    fields.push(`${iss & 1 ? "MRS" : "MSR"} S${op0}_${op1}_C${crn}_C${crm}_${op2}, x${rt}`);
  } else if (ec === 0x3c) {
    fields.push(`BRK comment #${iss & 0xffff}`);
  } else if (ec === 0x01) {
    fields.push(iss & 1 ? "trapped WFE" : "trapped WFI");
  } else if (ec === 0 && esr !== 0) {
    fields.push(`ISS ${hex(iss)}`);
  }
  return { ec, ecName: ecName(esr), il, iss, fields };
}

export function esrWords(esr: number): string {
  if (esr === 0) return "0: nothing reported yet (or an UNKNOWN-class exception with IL 0)";
  const d = decodeEsr(esr);
  return [`EC ${hex(d.ec, 2)} ${d.ecName}`, `IL ${d.il} (${d.il ? "32-bit" : "16-bit"} instruction)`, ...d.fields].join("; ");
}

export const IRQ1_SOURCES: Record<number, string> = {
  0: "system timer match 0 (GPU)", 1: "system timer match 1", 2: "system timer match 2 (GPU)", 3: "system timer match 3",
  9: "USB", 29: "AUX (mini UART, SPI1/2)",
};
export const IRQ2_SOURCES: Record<number, string> = {
  17: "GPIO bank 0", 18: "GPIO bank 1", 19: "GPIO bank 2", 20: "GPIO (any bank)", 21: "I2C", 22: "SPI", 25: "PL011 UART",
};

/** The bits set in `v`, each with its source name (lesson 3 reads IRQ_PENDING_1 as one exact value). */
export function irqBits(v: number, sources: Record<number, string>): string {
  const bits: string[] = [];
  for (let b = 0; b < 32; b++) if ((v >>> b) & 1) bits.push(`bit ${b} ${sources[b] ?? "(unnamed source)"}`);
  return bits.length ? bits.join(", ") : "no bit set";
}

export function csWords(cs: number): string {
  const m = [0, 1, 2, 3].filter((i) => (cs >> i) & 1).map((i) => `M${i}`);
  return m.length ? `${m.join(", ")} matched (write 1 to clear)` : "no channel has matched since its last acknowledge";
}

export interface LabState {
  el: number; spsel: number; daif: number; pc: number; nzcv: number;
  vbar: number; elr: number; spsr: number; esr: number; far: number;
  cs: number; clo: number; c1: number; c3: number; irqPending1: number; enableIrqs1: number; coreIrq: number;
  seconds: number; insns: number; ticks: number; compiledInsns: number; regions: number;
}

export type Symbolize = (addr: number) => string | undefined;

/** The explained state panel, row by row. */
export function stateRows(s: LabState, sym: Symbolize): Row[] {
  const at = (a: number) => { const n = sym(a); return n ? `<${n}>` : "no symbol"; };
  return [
    { name: "EL / SPSel", value: elName(s.el, s.spsel), meaning: `exception level ${s.el}, stack ${s.spsel ? `SP_EL${s.el} (h)` : "SP_EL0 (t)"}`, help: "Where the core runs now: the lesson's kernel runs at EL1 with its own stack (EL1h)." },
    { name: "PC", value: hex(s.pc), meaning: at(s.pc), help: "The next instruction core 0 executes." },
    { name: "DAIF", value: hex(s.daif >> 6), meaning: daifWords(s.daif), help: "PSTATE mask bits: enable_irq clears I (msr daifclr, #2), disable_irq sets it." },
    { name: "NZCV", value: "NZCV".split("").filter((_, i) => (s.nzcv >> (3 - i)) & 1).join("") || "-", meaning: "condition flags", help: "Set by cmp/adds; kernel_entry does not save them, SPSR does." },
    { name: "VBAR_EL1", value: hex(s.vbar), meaning: at(s.vbar), help: "Base of the vector table; irq_vector_init writes it (0 after reset)." },
    { name: "ESR_EL1", value: hex(s.esr, 8), meaning: esrWords(s.esr), help: "Why the last synchronous exception was taken (not written for IRQs)." },
    { name: "ELR_EL1", value: hex(s.elr), meaning: at(s.elr), help: "Where eret returns: the interrupted instruction (IRQ) or the one after an svc." },
    { name: "SPSR_EL1", value: hex(s.spsr, 8), meaning: spsrWords(s.spsr), help: "PSTATE saved at exception entry; eret restores it." },
    { name: "FAR_EL1", value: hex(s.far), meaning: s.far ? at(s.far) : "no fault address", help: "The faulting address of the last data or instruction abort." },
    { name: "CLO", value: String(s.clo), meaning: `${(s.clo / 1e6).toFixed(6)} s of the 1 MHz counter`, help: "System timer counter, low 32 bits (microseconds)." },
    { name: "C1", value: String(s.c1), meaning: s.c1 >= s.clo ? `matches in ${s.c1 - s.clo} us` : `${s.clo - s.c1} us ago (next match after wrap)`, help: "Compare 1: timer_init and handle_timer_irq set it to CLO + interval." },
    { name: "CS", value: hex(s.cs), meaning: csWords(s.cs), help: "Match bits M0-M3; M1 drives the interrupt line until handle_timer_irq writes 1 to it." },
    { name: "IRQ_PENDING_1", value: hex(s.irqPending1, 8), meaning: irqBits(s.irqPending1, IRQ1_SOURCES), help: "Sources 0-31 that are raised AND enabled; handle_irq reads it." },
    { name: "ENABLE_IRQS_1", value: hex(s.enableIrqs1, 8), meaning: irqBits(s.enableIrqs1, IRQ1_SOURCES), help: "Which sources may interrupt: enable_interrupt_controller sets bit 1." },
    { name: "core 0 IRQ input", value: s.coreIrq ? "high" : "low", meaning: s.coreIrq ? (s.daif & 0x80 ? "pending, but PSTATE.I masks it" : "taken at the next instruction boundary") : "no interrupt requested", help: "The line from the BCM2836 local controller into the core." },
    { name: "virtual time", value: s.seconds.toFixed(6) + " s", meaning: `${s.insns} instructions, ${s.ticks} IRQ handlers returned`, help: "One instruction = one cycle of a 1.2 GHz core; idle waits jump ahead." },
    { name: "compiled", value: `${s.insns ? ((100 * s.compiledInsns) / s.insns).toFixed(1) : "0.0"}%`, meaning: `of instructions ran compiled to WebAssembly, ${s.regions} regions`, help: "Hot guest code is translated to wasm; stepping runs the interpreter." },
  ];
}

/** The 16 vector slots in their four groups (ARM ARM D1.10.2). */
export const VECTOR_GROUPS = ["current EL with SP_EL0", "current EL with SP_ELx", "lower EL, AArch64", "lower EL, AArch32"];
export const VECTOR_KINDS = ["Synchronous", "IRQ", "FIQ", "SError"];
