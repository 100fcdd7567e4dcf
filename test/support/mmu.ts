// Page tables for tests that run with the MMU on (soc/cpu/mmu.ts): 4 KiB granule, 48-bit VA,
// written into guest RAM by the host, then TCR/MAIR/TTBRx/SCTLR_EL1 of core 0 set so that the
// next instruction is translated.
import type { Machine } from "../../host/index.js";

/** Descriptor bits (ARM ARM D5.3). */
export const D = {
  PAGE: 3n, TABLE: 3n, AF: 1n << 10n, SH_IS: 3n << 8n, NORMAL: (1n << 2n), DEVICE: 0n,
  AP_RW_ALL: 1n << 6n, AP_RO_EL1: 2n << 6n, AP_RO_ALL: 3n << 6n, NG: 1n << 11n, PXN: 1n << 53n, UXN: 1n << 54n,
};

/** MAIR_EL1: index 0 Device-nGnRnE, index 1 Normal write-back. */
export const MAIR = 0xff00n;

export interface Mapping { va: bigint; pa: bigint; desc: bigint }

/**
 * Builds tables at `tables` (physical, 4 KiB aligned, room for 16 tables) mapping each page of
 * `pages` (their descriptor's attribute bits in `desc`; 0 leaves the page unmapped), with TTBR0
 * for VAs below 2^48 and TTBR1 for those above, and turns the MMU on for core 0 at EL1.
 */
export function mapPages(m: Machine, tables: number, pages: Mapping[], asid = 0n): void {
  const mem = new Map<number, BigUint64Array>();
  let next = tables;
  const table = () => { const a = next; next += 0x1000; mem.set(a, new BigUint64Array(512)); return a; };
  const roots = [table(), table()];
  for (const p of pages) {
    const high = p.va >> 55n ? 1 : 0;
    let t = roots[high];
    for (let level = 0; level < 3; level++) {
      const i = Number((p.va >> BigInt(39 - 9 * level)) & 511n);
      const tab = mem.get(t)!;
      if (tab[i] === 0n) tab[i] = BigInt(table()) | D.TABLE;
      t = Number(tab[i] & 0xfffffffff000n);
    }
    if (p.desc) mem.get(t)![Number((p.va >> 12n) & 511n)] = (p.pa & 0xfffffffff000n) | p.desc;
  }
  for (const [a, tab] of mem) m.load(new Uint8Array(tab.buffer), a);
  const cpu = m.cores[0];
  cpu.setSysreg("mair_el1", MAIR);
  // T0SZ = T1SZ = 16, 4 KiB granules, write-back inner shareable walks, IPS 40 bits, 16-bit ASIDs.
  cpu.setSysreg("tcr_el1", 16n | (1n << 8n) | (1n << 10n) | (3n << 12n) | (16n << 16n) | (1n << 24n) | (1n << 26n) | (3n << 28n) | (2n << 30n) | (2n << 32n) | (1n << 36n));
  cpu.setSysreg("ttbr0_el1", BigInt(roots[0]) | (asid << 48n));
  cpu.setSysreg("ttbr1_el1", BigInt(roots[1]));
  cpu.setSysreg("sctlr_el1", cpu.sysreg("sctlr_el1") | 1n | (1n << 2n) | (1n << 12n));
}

/** Normal RAM, EL1 read/write, executable. */
export const RW = D.PAGE | D.AF | D.SH_IS | D.NORMAL;

/** Identity mappings of [from, to) with `desc`. */
export function identity(from: number, to: number, desc = RW): Mapping[] {
  const out: Mapping[] = [];
  for (let a = from; a < to; a += 0x1000) out.push({ va: BigInt(a), pa: BigInt(a), desc });
  return out;
}
