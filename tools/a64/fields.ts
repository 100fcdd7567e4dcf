// Names and field codes of the A64 encoding (ARM ARM C1-C6) shared by the
// assembler and the disassembler: conditions, shifts, extends, barrier options,
// hints, PSTATE fields, SYS operations, and the bitmask-immediate codec.

export const CONDITIONS = ["eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"];
const CONDITION_ALIASES: Record<string, number> = { hs: 2, lo: 3 };

export function parseCondition(s: string): number | undefined {
  const l = s.toLowerCase();
  const i = CONDITIONS.indexOf(l);
  if (i >= 0) return i;
  return CONDITION_ALIASES[l];
}

export const SHIFTS = ["lsl", "lsr", "asr", "ror"];
export const EXTENDS = ["uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"];

/** DSB/DMB option names by CRm (C6.2.80). */
export const BARRIER_OPTIONS: Record<string, number> = {
  oshld: 1, oshst: 2, osh: 3, nshld: 5, nshst: 6, nsh: 7, ishld: 9, ishst: 10, ish: 11, ld: 13, st: 14, sy: 15,
};

/**
 * HINT numbers (C6.2.128) by the name GNU as and objdump give them. Those past SEVL belong to later
 * architecture versions (pointer authentication, BTI, RAS...) and are NOPs on an ARMv8.0 core,
 * but they assemble in any code: Debian's kernel has PACIASP/AUTIASP in every function.
 */
export const HINTS: Record<string, number> = {
  nop: 0, yield: 1, wfe: 2, wfi: 3, sev: 4, sevl: 5, xpaclri: 7, pacia1716: 8, pacib1716: 10, autia1716: 12,
  autib1716: 14, esb: 16, csdb: 20, clearbhb: 22, paciaz: 24, paciasp: 25, pacibz: 26, pacibsp: 27, autiaz: 28,
  autiasp: 29, autibz: 30, autibsp: 31,
};
/** The HINTs written with an operand: PSB CSYNC, TSB CSYNC, BTI [c|j|jc]. */
export const HINTS_WITH_OPERAND: Record<number, [string, string]> = {
  17: ["psb", "csync"], 18: ["tsb", "csync"], 32: ["bti", ""], 34: ["bti", "c"], 36: ["bti", "j"], 38: ["bti", "jc"],
};

/** MSR (immediate) PSTATE fields: [op1, op2] (C6.2.195). */
export const PSTATE_FIELDS: Record<string, [number, number]> = { spsel: [0, 5], daifset: [3, 6], daifclr: [3, 7] };

/** SYS aliases: name -> [op1, CRn, CRm, op2, takes Xt]. */
export const SYS_OPS: Record<string, Record<string, [number, number, number, number, boolean]>> = {
  ic: {
    ialluis: [0, 7, 1, 0, false], iallu: [0, 7, 5, 0, false], ivau: [3, 7, 5, 1, true],
  },
  dc: {
    zva: [3, 7, 4, 1, true], ivac: [0, 7, 6, 1, true], isw: [0, 7, 6, 2, true], cvac: [3, 7, 10, 1, true],
    csw: [0, 7, 10, 2, true], cvau: [3, 7, 11, 1, true], civac: [3, 7, 14, 1, true], cisw: [0, 7, 14, 2, true],
  },
  tlbi: {
    vmalle1is: [0, 8, 3, 0, false], vmalle1: [0, 8, 7, 0, false], vae1: [0, 8, 7, 1, true], vae1is: [0, 8, 3, 1, true],
    aside1: [0, 8, 7, 2, true], vaae1: [0, 8, 7, 3, true], alle2: [4, 8, 7, 0, false], alle2is: [4, 8, 3, 0, false],
    alle1: [4, 8, 7, 4, false], alle1is: [4, 8, 3, 4, false], alle3: [6, 8, 7, 0, false], alle3is: [6, 8, 3, 0, false],
    vae2: [4, 8, 7, 1, true], vae3: [6, 8, 7, 1, true],
  },
  at: {
    s1e1r: [0, 7, 8, 0, true], s1e1w: [0, 7, 8, 1, true], s1e0r: [0, 7, 8, 2, true], s1e0w: [0, 7, 8, 3, true],
    s1e2r: [4, 7, 8, 0, true], s1e2w: [4, 7, 8, 1, true], s1e3r: [6, 7, 8, 0, true], s1e3w: [6, 7, 8, 1, true],
  },
};

/**
 * Encodes `value` as a logical immediate of `width` bits (ARM ARM C6.2.12,
 * DecodeBitMasks inverted). Returns [N, immr, imms] or undefined.
 */
export function encodeBitMask(value: bigint, width: 32 | 64): [number, number, number] | undefined {
  const full = (1n << BigInt(width)) - 1n;
  value &= full;
  if (value === 0n || value === full) return undefined;
  for (let size = 2; size <= width; size *= 2) {
    const mask = (1n << BigInt(size)) - 1n;
    const elem = value & mask;
    let rep = 0n;
    for (let i = 0; i < width; i += size) rep |= elem << BigInt(i);
    if (rep !== value) continue;
    // elem must be a rotated run of ones: find the rotation that makes it 0..01..1.
    const ones = popcount(elem);
    const run = (1n << BigInt(ones)) - 1n;
    for (let r = 0; r < size; r++) {
      // rotr(run, r) == elem
      const rot = ((run >> BigInt(r)) | (run << BigInt(size - r))) & mask;
      if (rot === elem) {
        const n = size === 64 ? 1 : 0;
        const imms = ((~(size - 1) << 1) | (ones - 1)) & 0x3f;
        return [n, r, imms];
      }
    }
    return undefined;
  }
  return undefined;
}

/** DecodeBitMasks(N, imms, immr, TRUE) for `width`: the immediate value, or undefined if reserved. */
export function decodeBitMask(n: number, immr: number, imms: number, width: 32 | 64): bigint | undefined {
  const combined = (n << 6) | (~imms & 0x3f);
  if (combined === 0) return undefined;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return undefined;
  const size = 1 << len;
  if (size > width) return undefined;
  const levels = size - 1;
  const s = imms & levels;
  const r = immr & levels;
  if (s === levels) return undefined;
  const mask = (1n << BigInt(size)) - 1n;
  const welem = (1n << BigInt(s + 1)) - 1n;
  const elem = r === 0 ? welem : ((welem >> BigInt(r)) | (welem << BigInt(size - r))) & mask;
  let v = 0n;
  for (let i = 0; i < width; i += size) v |= elem << BigInt(i);
  return v;
}

function popcount(v: bigint): number {
  let c = 0;
  while (v) { c += Number(v & 1n); v >>= 1n; }
  return c;
}
