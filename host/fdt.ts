// A small reader and writer of the flattened device tree (FDT, "DTB"), as the
// Pi firmware patches one before it starts a kernel (design note 9).
//
// Format: Devicetree Specification v0.4, chapter 5 ("Flattened Devicetree (DTB)
// Format"). All header fields and tokens are big-endian 32-bit words:
//
//   header (40 bytes)  magic totalsize off_dt_struct off_dt_strings off_mem_rsvmap
//                      version last_comp_version boot_cpuid_phys size_dt_strings size_dt_struct
//   memory reservation block: (address u64, size u64) pairs ending with (0, 0), 8-byte aligned
//   structure block:  FDT_BEGIN_NODE name\0 (pad to 4) | FDT_PROP len nameoff value (pad to 4)
//                     | FDT_END_NODE | FDT_NOP ... FDT_END
//   strings block:    NUL-terminated property names, referenced by nameoff
//
// parseFdt turns a blob into a tree of FdtNode; serializeFdt writes a tree back
// (version 17, strings deduplicated, NOPs dropped). Anything malformed is an
// FdtError whose one-line message says what is wrong and at which byte offset.

import { GuestError } from "./machine.js";

export const FDT_MAGIC = 0xd00dfeed;
export const FDT_BEGIN_NODE = 0x1;
export const FDT_END_NODE = 0x2;
export const FDT_PROP = 0x3;
export const FDT_NOP = 0x4;
export const FDT_END = 0x9;
/** Size of the version-17 header (spec 5.2). */
export const FDT_HEADER_SIZE = 40;
/** The version we write and the oldest one whose layout we can read (16 lacks size_dt_struct, which we derive). */
export const FDT_VERSION = 17;
export const FDT_LAST_COMP_VERSION = 16;

export class FdtError extends GuestError {}

export interface FdtProperty { name: string; value: Uint8Array }
export interface FdtReservation { address: bigint; size: bigint }

export class FdtNode {
  readonly props: FdtProperty[] = [];
  readonly children: FdtNode[] = [];
  constructor(public name: string) {}

  prop(name: string): Uint8Array | undefined { return this.props.find((p) => p.name === name)?.value; }
  has(name: string): boolean { return this.props.some((p) => p.name === name); }
  /** Sets (or adds, at the end) a property. */
  setProp(name: string, value: Uint8Array): void {
    const p = this.props.find((q) => q.name === name);
    if (p) p.value = value;
    else this.props.push({ name, value });
  }
  removeProp(name: string): boolean {
    const i = this.props.findIndex((p) => p.name === name);
    if (i < 0) return false;
    this.props.splice(i, 1);
    return true;
  }
  child(name: string): FdtNode | undefined {
    // A name without a unit address matches "name@..." when that is the only such child (spec 2.2.3).
    const exact = this.children.find((c) => c.name === name);
    if (exact || name.includes("@")) return exact;
    const some = this.children.filter((c) => c.name.split("@")[0] === name);
    return some.length === 1 ? some[0] : undefined;
  }
  /** Returns the child, adding an empty one if it is missing. */
  ensureChild(name: string): FdtNode {
    let c = this.child(name);
    if (!c) { c = new FdtNode(name); this.children.push(c); }
    return c;
  }
  /** A string property (the first string of a string list). */
  string(name: string): string | undefined {
    const v = this.prop(name);
    if (!v) return undefined;
    const end = v.indexOf(0);
    return new TextDecoder().decode(v.subarray(0, end < 0 ? v.length : end));
  }
  /** A string-list property (e.g. compatible). */
  strings(name: string): string[] | undefined {
    const v = this.prop(name);
    if (!v) return undefined;
    const s = new TextDecoder().decode(v);
    return s.replace(/\0$/, "").split("\0");
  }
  /** A property read as big-endian 32-bit cells. */
  cells(name: string): number[] | undefined {
    const v = this.prop(name);
    if (!v || v.length % 4 !== 0) return undefined;
    const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
    const out: number[] = [];
    for (let i = 0; i < v.length; i += 4) out.push(dv.getUint32(i));
    return out;
  }
  u32(name: string): number | undefined {
    const c = this.cells(name);
    return c && c.length === 1 ? c[0] : undefined;
  }
}

export interface Fdt {
  root: FdtNode;
  reservations: FdtReservation[];
  bootCpuidPhys: number;
}

/** Encodes a string property value (NUL-terminated). */
export function fdtString(s: string): Uint8Array {
  const b = new TextEncoder().encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

/** Encodes numbers as big-endian cells: each value takes `cellsEach` cells (1 or 2). */
export function fdtCells(values: (number | bigint)[], cellsEach = 1): Uint8Array {
  const out = new Uint8Array(values.length * cellsEach * 4);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => {
    const big = BigInt(v);
    if (big < 0n || big >= 1n << BigInt(32 * cellsEach)) {
      throw new FdtError(`value 0x${big.toString(16)} does not fit in ${cellsEach} cell${cellsEach > 1 ? "s" : ""}`);
    }
    for (let c = 0; c < cellsEach; c++) {
      dv.setUint32((i * cellsEach + c) * 4, Number((big >> BigInt(32 * (cellsEach - 1 - c))) & 0xffffffffn));
    }
  });
  return out;
}

/** Reads a number of `n` cells starting at cell `at` (of_read_number in Linux terms). */
export function readCells(cells: number[], at: number, n: number): bigint {
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 32n) | BigInt(cells[at + i] >>> 0);
  return v;
}

/** Finds a node by absolute path ("/", "/chosen", "/cpus/cpu@1"); an alias name ("serial1") is resolved too. */
export function findNode(fdt: Fdt, path: string): FdtNode | undefined {
  if (!path.startsWith("/")) {
    const alias = fdt.root.child("aliases")?.string(path.split("/")[0]);
    if (!alias) return undefined;
    path = alias + path.slice(path.split("/")[0].length);
  }
  let n: FdtNode | undefined = fdt.root;
  for (const part of path.split("/").filter((p) => p.length)) {
    n = n.child(part);
    if (!n) return undefined;
  }
  return n;
}

/** Parses a DTB. Throws FdtError with a one-line description of the first problem found. */
export function parseFdt(bytes: Uint8Array, what = "DTB"): Fdt {
  const fail = (why: string): never => { throw new FdtError(`bad ${what}: ${why}`); };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = bytes.length >= 4 ? dv.getUint32(0) : -1;
  if (magic !== FDT_MAGIC && bytes.length >= 4) fail(`magic is 0x${magic.toString(16).padStart(8, "0")}, not 0xd00dfeed (not a flattened device tree)`);
  if (bytes.length < FDT_HEADER_SIZE) fail(`only ${bytes.length} bytes, shorter than the ${FDT_HEADER_SIZE}-byte FDT header`);
  const totalsize = dv.getUint32(4);
  const offStruct = dv.getUint32(8);
  const offStrings = dv.getUint32(12);
  const offRsvmap = dv.getUint32(16);
  const version = dv.getUint32(20);
  const lastComp = dv.getUint32(24);
  const bootCpuidPhys = dv.getUint32(28);
  const sizeStrings = dv.getUint32(32);
  const sizeStructField = dv.getUint32(36);
  if (totalsize > bytes.length) fail(`header says ${totalsize} bytes but the file has ${bytes.length} (truncated?)`);
  if (totalsize < FDT_HEADER_SIZE) fail(`totalsize ${totalsize} is smaller than the header`);
  if (lastComp > FDT_VERSION) fail(`last_comp_version is ${lastComp}: this reader knows versions up to ${FDT_VERSION}`);
  if (version < FDT_LAST_COMP_VERSION) fail(`version ${version} is older than 16, which this reader needs`);
  const sizeStruct = version >= 17 ? sizeStructField : totalsize - offStruct;
  const block = (name: string, off: number, size: number, align: number) => {
    if (off % align !== 0) fail(`${name} block at offset ${off} is not ${align}-byte aligned`);
    if (off < FDT_HEADER_SIZE || off > totalsize || size > totalsize - off) {
      fail(`${name} block (offset ${off}, ${size} bytes) lies outside the ${totalsize}-byte blob`);
    }
  };
  block("structure", offStruct, sizeStruct, 4);
  block("strings", offStrings, sizeStrings, 1);
  block("memory reservation", offRsvmap, 16, 8);

  // Memory reservation block.
  const reservations: FdtReservation[] = [];
  for (let p = offRsvmap; ; p += 16) {
    if (p + 16 > totalsize) fail(`memory reservation block at ${offRsvmap} has no (0, 0) terminator`);
    const address = dv.getBigUint64(p);
    const size = dv.getBigUint64(p + 8);
    if (address === 0n && size === 0n) break;
    reservations.push({ address, size });
  }

  const decoder = new TextDecoder("utf-8", { fatal: false });
  const strEnd = offStrings + sizeStrings;
  const propName = (nameoff: number, at: number): string => {
    if (nameoff >= sizeStrings) fail(`property at offset ${at} names string ${nameoff}, past the ${sizeStrings}-byte strings block`);
    const start = offStrings + nameoff;
    const end = bytes.indexOf(0, start);
    if (end < 0 || end >= strEnd) fail(`property name at strings offset ${nameoff} is not NUL-terminated`);
    return decoder.decode(bytes.subarray(start, end));
  };

  const structEnd = offStruct + sizeStruct;
  let p = offStruct;
  const word = (): number => {
    if (p + 4 > structEnd) fail(`structure block ends at offset ${structEnd} without FDT_END`);
    const w = dv.getUint32(p);
    p += 4;
    return w;
  };
  const stack: FdtNode[] = [];
  let root: FdtNode | undefined;
  for (;;) {
    const at = p;
    const token = word();
    if (token === FDT_BEGIN_NODE) {
      const end = bytes.indexOf(0, p);
      if (end < 0 || end >= structEnd) fail(`node name at offset ${p} is not NUL-terminated`);
      const name = decoder.decode(bytes.subarray(p, end));
      p = (end + 1 + 3) & ~3;
      const node = new FdtNode(name);
      if (stack.length) stack[stack.length - 1].children.push(node);
      else {
        if (root) fail(`a second root node at offset ${at}`);
        if (name !== "") fail(`the root node is named '${name}' (it must have an empty name)`);
        root = node;
      }
      stack.push(node);
    } else if (token === FDT_END_NODE) {
      if (!stack.length) fail(`FDT_END_NODE at offset ${at} closes no node`);
      stack.pop();
    } else if (token === FDT_PROP) {
      if (!stack.length) fail(`property at offset ${at} is outside every node`);
      const len = word();
      const nameoff = word();
      if (len > structEnd - p) fail(`property at offset ${at} says ${len} bytes, past the end of the structure block`);
      const name = propName(nameoff, at);
      stack[stack.length - 1].props.push({ name, value: bytes.slice(p, p + len) });
      p = (p + len + 3) & ~3;
    } else if (token === FDT_NOP) {
      continue;
    } else if (token === FDT_END) {
      if (stack.length) fail(`FDT_END at offset ${at} while node '${stack[stack.length - 1].name}' is still open`);
      break;
    } else {
      fail(`unknown token 0x${token.toString(16)} at offset ${at} of the structure block`);
    }
  }
  if (!root) fail("the structure block holds no root node");
  return { root: root!, reservations, bootCpuidPhys };
}

/**
 * Writes a tree as a version-17 DTB. `padding` extra bytes are left free at the
 * end (as `dtc -p` does) so a later in-place edit could grow it.
 */
export function serializeFdt(fdt: Fdt, padding = 0): Uint8Array {
  const strings: number[] = [];
  const stringOffsets = new Map<string, number>();
  const enc = new TextEncoder();
  const nameOff = (name: string): number => {
    let off = stringOffsets.get(name);
    if (off === undefined) {
      off = strings.length;
      stringOffsets.set(name, off);
      strings.push(...enc.encode(name), 0);
    }
    return off;
  };
  const struct: number[] = [];
  const u32 = (v: number) => struct.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  const pad = () => { while (struct.length % 4) struct.push(0); };
  const emit = (n: FdtNode) => {
    u32(FDT_BEGIN_NODE);
    struct.push(...enc.encode(n.name), 0);
    pad();
    for (const pr of n.props) {
      u32(FDT_PROP);
      u32(pr.value.length);
      u32(nameOff(pr.name));
      for (const b of pr.value) struct.push(b);
      pad();
    }
    for (const c of n.children) emit(c);
    u32(FDT_END_NODE);
  };
  emit(fdt.root);
  u32(FDT_END);

  const offRsvmap = FDT_HEADER_SIZE; // 40 is 8-byte aligned
  const rsvSize = (fdt.reservations.length + 1) * 16;
  const offStruct = offRsvmap + rsvSize;
  const offStrings = offStruct + struct.length;
  const total = offStrings + strings.length + padding;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, FDT_MAGIC);
  dv.setUint32(4, total);
  dv.setUint32(8, offStruct);
  dv.setUint32(12, offStrings);
  dv.setUint32(16, offRsvmap);
  dv.setUint32(20, FDT_VERSION);
  dv.setUint32(24, FDT_LAST_COMP_VERSION);
  dv.setUint32(28, fdt.bootCpuidPhys);
  dv.setUint32(32, strings.length);
  dv.setUint32(36, struct.length);
  fdt.reservations.forEach((r, i) => {
    dv.setBigUint64(offRsvmap + i * 16, r.address);
    dv.setBigUint64(offRsvmap + i * 16 + 8, r.size);
  });
  out.set(struct, offStruct);
  out.set(strings, offStrings);
  return out;
}
