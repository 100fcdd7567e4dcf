// ELF64 output for `rpi-os asm --elf`: one PT_LOAD segment, a section header per
// output section, and a symbol table, enough for objdump and gdb.

import type { AssembleResult } from "./asm/assembler.js";

const EHDR = 64, PHDR = 56, SHDR = 64, SYM = 24;

export function writeElf(r: AssembleResult): Uint8Array {
  const sections = r.sections.filter((s) => s.size > 0);
  const shstr: string[] = ["", ...sections.map((s) => s.name), ".symtab", ".strtab", ".shstrtab"];
  const shstrBytes = new TextEncoder().encode(shstr.join("\0") + "\0");
  const shNameOff = (i: number) => shstr.slice(0, i).reduce((a, s) => a + s.length + 1, 0);

  const syms = [...r.symbols].filter(([n]) => !n.startsWith(".L"));
  const strtab: number[] = [0];
  const symtab = new Uint8Array((syms.length + 1) * SYM);
  const sv = new DataView(symtab.buffer);
  const locals = syms.filter(([n]) => !r.globals.has(n));
  const ordered = [...locals, ...syms.filter(([n]) => r.globals.has(n))];
  ordered.forEach(([name, addr], i) => {
    const off = (i + 1) * SYM;
    sv.setUint32(off, strtab.length, true);
    strtab.push(...new TextEncoder().encode(name), 0);
    const global = r.globals.has(name);
    const secIndex = sections.findIndex((s) => addr >= s.address && addr < s.address + s.size);
    const isCode = secIndex >= 0 && sections[secIndex].name.startsWith(".text");
    symtab[off + 4] = ((global ? 1 : 0) << 4) | (isCode ? 2 : 0); // STB_GLOBAL/LOCAL, STT_FUNC/NOTYPE
    sv.setUint16(off + 6, secIndex >= 0 ? secIndex + 1 : 0xfff1, true); // SHN_ABS for equates
    sv.setBigUint64(off + 8, BigInt(addr), true);
  });
  const strBytes = new Uint8Array(strtab);

  const imageOff = 0x1000;
  let off = imageOff + r.image.length;
  const symOff = off = Math.ceil(off / 8) * 8;
  off += symtab.length;
  const strOff = off;
  off += strBytes.length;
  const shstrOff = off;
  off += shstrBytes.length;
  const shOff = Math.ceil(off / 8) * 8;
  const nSections = sections.length + 4;
  const total = shOff + nSections * SHDR;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);

  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  v.setUint16(16, 2, true);            // ET_EXEC
  v.setUint16(18, 183, true);          // EM_AARCH64
  v.setUint32(20, 1, true);
  v.setBigUint64(24, BigInt(r.entry), true);
  v.setBigUint64(32, BigInt(EHDR), true);
  v.setBigUint64(40, BigInt(shOff), true);
  v.setUint16(52, EHDR, true);
  v.setUint16(54, PHDR, true);
  v.setUint16(56, 1, true);
  v.setUint16(58, SHDR, true);
  v.setUint16(60, nSections, true);
  v.setUint16(62, nSections - 1, true);

  const end = Math.max(r.base + r.image.length, r.bssEnd);
  v.setUint32(EHDR, 1, true);           // PT_LOAD
  v.setUint32(EHDR + 4, 7, true);       // RWX
  v.setBigUint64(EHDR + 8, BigInt(imageOff), true);
  v.setBigUint64(EHDR + 16, BigInt(r.base), true);
  v.setBigUint64(EHDR + 24, BigInt(r.base), true);
  v.setBigUint64(EHDR + 32, BigInt(r.image.length), true);
  v.setBigUint64(EHDR + 40, BigInt(end - r.base), true);
  v.setBigUint64(EHDR + 48, 0x1000n, true);

  out.set(r.image, imageOff);
  out.set(symtab, symOff);
  out.set(strBytes, strOff);
  out.set(shstrBytes, shstrOff);

  const sh = (i: number, name: number, type: number, flags: number, addr: number, offset: number, size: number, link = 0, info = 0, align = 1, entsize = 0) => {
    const p = shOff + i * SHDR;
    v.setUint32(p, name, true);
    v.setUint32(p + 4, type, true);
    v.setBigUint64(p + 8, BigInt(flags), true);
    v.setBigUint64(p + 16, BigInt(addr), true);
    v.setBigUint64(p + 24, BigInt(offset), true);
    v.setBigUint64(p + 32, BigInt(size), true);
    v.setUint32(p + 40, link, true);
    v.setUint32(p + 44, info, true);
    v.setBigUint64(p + 48, BigInt(align), true);
    v.setBigUint64(p + 56, BigInt(entsize), true);
  };
  sections.forEach((s, i) => {
    const code = s.name.startsWith(".text");
    const flags = 2 | (code ? 4 : 1); // SHF_ALLOC | SHF_EXECINSTR or SHF_WRITE
    sh(i + 1, shNameOff(i + 1), s.nobits ? 8 : 1, flags, s.address, s.nobits ? imageOff + r.image.length : imageOff + (s.address - r.base), s.size, 0, 0, 8);
  });
  const symIdx = sections.length + 1;
  sh(symIdx, shNameOff(symIdx), 2, 0, 0, symOff, symtab.length, symIdx + 1, locals.length + 1, 8, SYM);
  sh(symIdx + 1, shNameOff(symIdx + 1), 3, 0, 0, strOff, strBytes.length);
  sh(symIdx + 2, shNameOff(symIdx + 2), 3, 0, 0, shstrOff, shstrBytes.length);
  return out;
}
