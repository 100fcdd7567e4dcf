// What an exception storm means (Machine.run's reason "storm", soc/cpu/storm.ts), in one line
// plus hints for the usual causes: FP/SIMD not enabled or not emulated, the MMU, EL2 vs EL3, no
// vector table at the EL the exception went to, an illegal exception return.

import type { Machine, StormInfo, ExceptionEvent } from "./machine.js";
import { disassemble } from "../tools/a64/disasm.js";

const hex = (v: bigint | number) => "0x" + v.toString(16);

const EC_UNKNOWN = 0x00, EC_WFX = 0x01, EC_FP = 0x07, EC_ILLEGAL = 0x0e, EC_SYS64 = 0x18;
const EC_IABT_LOW = 0x20, EC_IABT = 0x21, EC_PC_ALIGN = 0x22, EC_DABT_LOW = 0x24, EC_DABT = 0x25, EC_SP_ALIGN = 0x26, EC_BRK = 0x3c;

/** The instruction word at a physical address in RAM, or undefined. */
function wordAt(m: Machine, addr: bigint): number | undefined {
  if (addr < 0n || addr + 4n > BigInt(m.ramSize) || (addr & 3n) !== 0n) return undefined;
  return m.bus.read32(Number(addr));
}

function text(m: Machine, addr: bigint): string | undefined {
  const w = wordAt(m, addr);
  // An encoding the disassembler does not know prints as ".inst 0x... ; undefined": keep the word.
  return w === undefined ? undefined : disassemble(w, Number(addr)).replace("\t", " ").replace(/ ; undefined$/, "");
}

/** FP/SIMD encodings (ARM ARM C4.1): data processing with op0 = x111, loads/stores with V (bit 26) set. */
export function isFpSimd(insn: number): boolean {
  const op0 = (insn >>> 25) & 0xf;
  return (op0 & 7) === 7 || ((op0 & 5) === 4 && ((insn >>> 26) & 1) === 1);
}

/** "undefined instruction 'str q0, [sp, #96]' at 0xaf4" and the like. */
export function describeSyndrome(m: Machine, esr: number, elr: bigint, far: bigint): string {
  const ec = esr >>> 26;
  const at = `at ${hex(elr)}`;
  const insn = text(m, elr);
  const quoted = insn ? `'${insn}' ` : "";
  switch (ec) {
    case EC_UNKNOWN: return `undefined instruction ${quoted}${at}`;
    case EC_WFX: return `trapped ${esr & 1 ? "WFE" : "WFI"} ${at}`;
    case EC_FP: return `FP/SIMD access trapped: ${quoted}${at}`;
    case EC_ILLEGAL: return `illegal execution state ${at} (PSTATE.IL, set by an illegal exception return)`;
    case EC_SYS64: return `trapped system instruction ${quoted}${at}`;
    case EC_IABT: case EC_IABT_LOW: return `instruction abort fetching ${hex(far)}`;
    case EC_PC_ALIGN: return `misaligned PC ${hex(far)}`;
    case EC_DABT: case EC_DABT_LOW: return `data abort ${esr & (1 << 6) ? "writing" : "reading"} ${hex(far)} by ${quoted}${at}`;
    case EC_SP_ALIGN: return `misaligned SP ${quoted}${at}`;
    case EC_BRK: return `brk #${hex(esr & 0xffff)} ${at}`;
    default: return `EC ${hex(ec)} ${at}`;
  }
}

function hintsFor(m: Machine, s: StormInfo, esr: number, elr: bigint, far: bigint, el: number, fromEL: number, sysregHint: boolean, kernelOld: boolean): string[] {
  const ec = esr >>> 26;
  const cpu = m.cores[s.core];
  const out: string[] = [];
  const w = wordAt(m, elr);
  if (ec === EC_UNKNOWN && w !== undefined && isFpSimd(w)) {
    out.push(`'${text(m, elr)}' is an FP/SIMD instruction, which this build of rpi-os does not execute: ` +
      "build the kernel with -mgeneral-regs-only (gcc uses the FP/SIMD registers otherwise)");
  }
  if (ec === EC_FP) {
    const reg = el === 1 ? "set CPACR_EL1.FPEN (bits 21:20) to 0b11" : el === 2 ? "clear CPTR_EL2.TFP (bit 10)" : "clear CPTR_EL3.TFP (bit 10)";
    out.push(`FP/SIMD is disabled at EL${fromEL}: ${reg} before the first FP/SIMD instruction (gcc emits them unless -mgeneral-regs-only)`);
  }
  if (ec === EC_IABT || ec === EC_IABT_LOW || ec === EC_DABT || ec === EC_DABT_LOW) {
    const regime = fromEL <= 1 ? 1 : fromEL;
    const mmuOn = (cpu.sysreg(`sctlr_el${regime}`) & 1n) === 1n;
    if (mmuOn) {
      out.push(`SCTLR_EL${regime}.M = 1: the kernel turned the MMU on and ${hex(far)} is a virtual address; ` +
        "this build of rpi-os does not translate addresses (the MMU is not emulated)");
    } else if (far >= 0x40040000n) {
      out.push(`nothing is at ${hex(far)}: the MMU is off, so addresses are physical (RAM from 0, peripherals at 0x3f000000, local 0x40000000)`);
    }
  }
  if (ec === EC_ILLEGAL) {
    const why: string[] = [];
    if (el <= 2 && (cpu.sysreg("hcr_el2") & (1n << 31n)) === 0n) why.push("HCR_EL2.RW = 0 makes EL1 AArch32 (an ERET from EL2 to EL1 needs RW = 1)");
    if ((cpu.sysreg("scr_el3") & (1n << 10n)) === 0n) why.push("SCR_EL3.RW = 0 makes EL2/EL1 AArch32 (an ERET from EL3 needs RW = 1)");
    out.push(`an exception return was illegal${why.length ? ": " + why.join("; ") : " (SPSR.M named a higher EL, AArch32, or an EL that is not there)"}`);
  }
  if (ec === EC_UNKNOWN && sysregHint) {
    const h = undefinedSysregHint(m, elr, fromEL, !kernelOld && fromEL === 2);
    if (h) out.push(h);
  }
  return out;
}

/**
 * For an UNDEFINED `msr`/`mrs` of a register of a higher EL (`msr scr_el3, x0` at EL2): which EL it
 * needs, and with `suggestKernelOld`, that the kernel expects the kernel_old boot at EL3.
 */
export function undefinedSysregHint(m: Machine, elr: bigint, fromEL: number, suggestKernelOld: boolean): string | undefined {
  const w = wordAt(m, elr);
  if (w === undefined) return undefined;
  const t = disassemble(w, Number(elr));
  const reg = /^m(?:sr|rs)\t(?:\w+, )?(\w+_el([23]))/.exec(t);
  if (!reg || Number(reg[2]) <= fromEL) return undefined;
  return `'${t.replace("\t", " ")}' at ${hex(elr)} is UNDEFINED at EL${fromEL}: ${reg[1].toUpperCase()} needs EL${reg[2]}.` +
    (suggestKernelOld && reg[2] === "3" ? " This kernel seems to expect to start at EL3: use --kernel-old (kernel_old=1 in config.txt), as the tutorial does." : "");
}

/**
 * The one-line message and the hints for a storm. `kernelOld`: the kernel was started at EL3
 * (no "use --kernel-old" then).
 */
export function describeStorm(m: Machine, s: StormInfo, opts: { kernelOld?: boolean } = {}): { message: string; hints: string[] } {
  const kernelOld = !!opts.kernelOld;
  const esrText = (esr: number) => "0x" + (esr >>> 0).toString(16).padStart(8, "0");
  const addr = (v: bigint) => (v === 0n ? "0" : hex(v));
  let message = `core ${s.core} took the same exception ${s.count} times: SYNC at EL${s.el}, ESR ${esrText(s.esr)}` +
    ` (${describeSyndrome(m, s.esr, s.firstElr, s.far)}), VBAR_EL${s.el} = ${addr(s.vbar)}${s.vbar === 0n ? " (no vector table)" : ""}`;
  if (s.elr !== s.firstElr) {
    const last = text(m, s.elr);
    message += `; the last at ${hex(s.elr)}${last ? ` ('${last}')` : ""}`;
  }
  const hints: string[] = [];
  if (s.before) {
    message += `; before it: ESR ${esrText(s.before.esr)} at EL${s.before.el} (${describeSyndrome(m, s.before.esr, s.before.elr, s.before.far)})`;
    hints.push(...hintsFor(m, s, s.before.esr, s.before.elr, s.before.far, s.before.el, s.before.fromEL, true, kernelOld));
  }
  // Once an exception went to VBAR = 0, the code that runs is not the kernel's own path at that EL
  // (its boot code again, at EL2 or EL1, say): an UNDEFINED `msr scr_el3` reached that way says
  // nothing about the EL the kernel was started in, so only the exception that began it counts.
  const noVectors = s.vbar === 0n;
  hints.push(...hintsFor(m, s, s.esr, s.firstElr, s.far, s.el, s.fromEL, !(noVectors && s.before), kernelOld));
  if (s.elr !== s.firstElr) hints.push(...hintsFor(m, s, s.esr, s.elr, s.far, s.el, s.fromEL, !noVectors, kernelOld));
  if (noVectors) {
    const cpu = m.cores[s.core];
    const lower = s.el > 1 ? cpu.sysreg(`vbar_el${s.el - 1}`) : 0n;
    hints.push(`VBAR_EL${s.el} is 0: there is no vector table for EL${s.el}, so each exception ran whatever is at ${hex(s.vector)}` +
      (lower !== 0n ? `; the kernel set VBAR_EL${s.el - 1} = ${hex(lower)}, so it expected to run at EL${s.el - 1} by now` : ""));
  }
  // One FP/SIMD hint is enough when the first and the last exception are both FP/SIMD instructions.
  let fp = false;
  const unique = [...new Set(hints)].filter((h) => {
    if (!/is an FP\/SIMD instruction/.test(h)) return true;
    if (fp) return false;
    fp = true;
    return true;
  });
  return { message, hints: unique };
}

/**
 * A synchronous exception taken to VBAR_ELx = 0 that did not end in a storm (the code at 0x200
 * ran on and halted, or looped elsewhere): the message and hints, for the end of a run.
 */
export function describeNoVectorException(m: Machine, e: ExceptionEvent, opts: { kernelOld?: boolean } = {}): { message: string; hints: string[] } {
  const elr = BigInt(e.elr);
  const s: StormInfo = { core: e.core, count: 1, el: e.toEL, fromEL: e.fromEL, esr: e.esr, elr, firstElr: elr, far: 0n, vector: BigInt(e.vector), vbar: 0n };
  const message = `core ${e.core} took an exception with no vector table: SYNC at EL${e.toEL}, ESR 0x${(e.esr >>> 0).toString(16).padStart(8, "0")}` +
    ` (${describeSyndrome(m, e.esr, elr, 0n)}), VBAR_EL${e.toEL} = 0, so what ran next was whatever is at ${hex(e.vector)}`;
  return { message, hints: hintsFor(m, s, e.esr, elr, 0n, e.toEL, e.fromEL, true, !!opts.kernelOld) };
}
