// System register names and their encodings op0:op1:CRn:CRm:op2 (ARM ARM D17),
// shared by the assembler (MRS/MSR operands), the disassembler and the host API.
// The CPU (soc/cpu/sysreg.ts) decides which of them exist on this machine.

export type SysregEncoding = [op0: number, op1: number, crn: number, crm: number, op2: number];

export const SYSREGS: Record<string, SysregEncoding> = {
  midr_el1: [3, 0, 0, 0, 0], mpidr_el1: [3, 0, 0, 0, 5], revidr_el1: [3, 0, 0, 0, 6],
  id_aa64pfr0_el1: [3, 0, 0, 4, 0], id_aa64pfr1_el1: [3, 0, 0, 4, 1], id_aa64dfr0_el1: [3, 0, 0, 5, 0],
  id_aa64isar0_el1: [3, 0, 0, 6, 0], id_aa64isar1_el1: [3, 0, 0, 6, 1],
  id_aa64mmfr0_el1: [3, 0, 0, 7, 0], id_aa64mmfr1_el1: [3, 0, 0, 7, 1],
  ccsidr_el1: [3, 1, 0, 0, 0], clidr_el1: [3, 1, 0, 0, 1], aidr_el1: [3, 1, 0, 0, 7], csselr_el1: [3, 2, 0, 0, 0],
  ctr_el0: [3, 3, 0, 0, 1], dczid_el0: [3, 3, 0, 0, 7],
  vpidr_el2: [3, 4, 0, 0, 0], vmpidr_el2: [3, 4, 0, 0, 5],
  sctlr_el1: [3, 0, 1, 0, 0], actlr_el1: [3, 0, 1, 0, 1], cpacr_el1: [3, 0, 1, 0, 2],
  sctlr_el2: [3, 4, 1, 0, 0], actlr_el2: [3, 4, 1, 0, 1], hcr_el2: [3, 4, 1, 1, 0], mdcr_el2: [3, 4, 1, 1, 1],
  cptr_el2: [3, 4, 1, 1, 2], hstr_el2: [3, 4, 1, 1, 3], hacr_el2: [3, 4, 1, 1, 7],
  sctlr_el3: [3, 6, 1, 0, 0], actlr_el3: [3, 6, 1, 0, 1], scr_el3: [3, 6, 1, 1, 0], cptr_el3: [3, 6, 1, 1, 2],
  mdcr_el3: [3, 6, 1, 3, 1],
  ttbr0_el1: [3, 0, 2, 0, 0], ttbr1_el1: [3, 0, 2, 0, 1], tcr_el1: [3, 0, 2, 0, 2],
  ttbr0_el2: [3, 4, 2, 0, 0], tcr_el2: [3, 4, 2, 0, 2], vttbr_el2: [3, 4, 2, 1, 0], vtcr_el2: [3, 4, 2, 1, 2],
  ttbr0_el3: [3, 6, 2, 0, 0], tcr_el3: [3, 6, 2, 0, 2],
  spsr_el1: [3, 0, 4, 0, 0], elr_el1: [3, 0, 4, 0, 1], sp_el0: [3, 0, 4, 1, 0], spsel: [3, 0, 4, 2, 0],
  currentel: [3, 0, 4, 2, 2], daif: [3, 3, 4, 2, 1], nzcv: [3, 3, 4, 2, 0],
  spsr_el2: [3, 4, 4, 0, 0], elr_el2: [3, 4, 4, 0, 1], sp_el1: [3, 4, 4, 1, 0],
  spsr_el3: [3, 6, 4, 0, 0], elr_el3: [3, 6, 4, 0, 1], sp_el2: [3, 6, 4, 1, 0],
  afsr0_el1: [3, 0, 5, 1, 0], afsr1_el1: [3, 0, 5, 1, 1], esr_el1: [3, 0, 5, 2, 0],
  afsr0_el2: [3, 4, 5, 1, 0], esr_el2: [3, 4, 5, 2, 0], afsr0_el3: [3, 6, 5, 1, 0], esr_el3: [3, 6, 5, 2, 0],
  far_el1: [3, 0, 6, 0, 0], far_el2: [3, 4, 6, 0, 0], hpfar_el2: [3, 4, 6, 0, 4], far_el3: [3, 6, 6, 0, 0],
  mair_el1: [3, 0, 10, 2, 0], amair_el1: [3, 0, 10, 3, 0], mair_el2: [3, 4, 10, 2, 0], mair_el3: [3, 6, 10, 2, 0],
  vbar_el1: [3, 0, 12, 0, 0], isr_el1: [3, 0, 12, 1, 0], vbar_el2: [3, 4, 12, 0, 0], vbar_el3: [3, 6, 12, 0, 0],
  contextidr_el1: [3, 0, 13, 0, 1], tpidr_el1: [3, 0, 13, 0, 4], tpidr_el0: [3, 3, 13, 0, 2],
  tpidrro_el0: [3, 3, 13, 0, 3], tpidr_el2: [3, 4, 13, 0, 2], tpidr_el3: [3, 6, 13, 0, 2],
  cntfrq_el0: [3, 3, 14, 0, 0], cntpct_el0: [3, 3, 14, 0, 1], cntvct_el0: [3, 3, 14, 0, 2],
  cntp_tval_el0: [3, 3, 14, 2, 0], cntp_ctl_el0: [3, 3, 14, 2, 1], cntp_cval_el0: [3, 3, 14, 2, 2],
  cntv_tval_el0: [3, 3, 14, 3, 0], cntv_ctl_el0: [3, 3, 14, 3, 1], cntv_cval_el0: [3, 3, 14, 3, 2],
  cntkctl_el1: [3, 0, 14, 1, 0], cnthctl_el2: [3, 4, 14, 1, 0], cntvoff_el2: [3, 4, 14, 0, 3],
  mdscr_el1: [2, 0, 0, 2, 2], oslar_el1: [2, 0, 1, 0, 4], osdlr_el1: [2, 0, 1, 3, 4],
};

// The rest of the ID space, the debug registers and the PMU (names as objdump prints them).
Object.assign(SYSREGS, {
  id_pfr0_el1: [3, 0, 0, 1, 0], id_pfr1_el1: [3, 0, 0, 1, 1], id_dfr0_el1: [3, 0, 0, 1, 2], id_afr0_el1: [3, 0, 0, 1, 3],
  id_mmfr0_el1: [3, 0, 0, 1, 4], id_mmfr1_el1: [3, 0, 0, 1, 5], id_mmfr2_el1: [3, 0, 0, 1, 6], id_mmfr3_el1: [3, 0, 0, 1, 7],
  id_isar0_el1: [3, 0, 0, 2, 0], id_isar1_el1: [3, 0, 0, 2, 1], id_isar2_el1: [3, 0, 0, 2, 2], id_isar3_el1: [3, 0, 0, 2, 3],
  id_isar4_el1: [3, 0, 0, 2, 4], id_isar5_el1: [3, 0, 0, 2, 5], id_mmfr4_el1: [3, 0, 0, 2, 6],
  mvfr0_el1: [3, 0, 0, 3, 0], mvfr1_el1: [3, 0, 0, 3, 1], mvfr2_el1: [3, 0, 0, 3, 2],
  id_aa64zfr0_el1: [3, 0, 0, 4, 4], id_aa64dfr1_el1: [3, 0, 0, 5, 1], id_aa64afr0_el1: [3, 0, 0, 5, 4],
  id_aa64afr1_el1: [3, 0, 0, 5, 5], id_aa64isar2_el1: [3, 0, 0, 6, 2], id_aa64mmfr2_el1: [3, 0, 0, 7, 2],
  mdccint_el1: [2, 0, 0, 2, 0], mdccsr_el0: [2, 3, 0, 1, 0], mdrar_el1: [2, 0, 1, 0, 0], oslsr_el1: [2, 0, 1, 1, 4],
  dbgprcr_el1: [2, 0, 1, 4, 4], dbgclaimset_el1: [2, 0, 7, 8, 6], dbgclaimclr_el1: [2, 0, 7, 9, 6],
  dbgauthstatus_el1: [2, 0, 7, 14, 6],
  pmcr_el0: [3, 3, 9, 12, 0],
} satisfies Record<string, SysregEncoding>);
for (let n = 0; n < 16; n++) {
  SYSREGS[`dbgbvr${n}_el1`] = [2, 0, 0, n, 4];
  SYSREGS[`dbgbcr${n}_el1`] = [2, 0, 0, n, 5];
  SYSREGS[`dbgwvr${n}_el1`] = [2, 0, 0, n, 6];
  SYSREGS[`dbgwcr${n}_el1`] = [2, 0, 0, n, 7];
}

/** The 16-bit key the CPU uses: bits [20:5] of an MRS/MSR instruction. */
export function sysregKey([op0, op1, crn, crm, op2]: SysregEncoding): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

// Built on the first use, by the disassembler: a run boots with parseSysreg alone, and building
// the map at load was 0.3 ms of every start (BENCHMARKS.md, fifteenth session).
let byKey: Map<number, string> | undefined;

/** The name objdump prints for a key, or the generic s<op0>_<op1>_c<n>_c<m>_<op2> form. */
export function sysregName(key: number): string {
  byKey ??= new Map<number, string>(Object.entries(SYSREGS).map(([n, e]) => [sysregKey(e), n]));
  const known = byKey.get(key);
  if (known) return known;
  return `s${key >> 14}_${(key >> 11) & 7}_c${(key >> 7) & 15}_c${(key >> 3) & 15}_${key & 7}`;
}

/** Parses a register name (case-insensitive) or the generic form; undefined if neither. */
export function parseSysreg(name: string): number | undefined {
  const lower = name.toLowerCase();
  const e = SYSREGS[lower];
  if (e) return sysregKey(e);
  const m = /^s([0-3])_([0-7])_c([0-9]|1[0-5])_c([0-9]|1[0-5])_([0-7])$/.exec(lower);
  if (m) return sysregKey([+m[1], +m[2], +m[3], +m[4], +m[5]]);
  return undefined;
}
