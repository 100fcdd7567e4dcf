// A WebAssembly binary writer: just what the region compiler emits (one
// function type, an imported memory, exported functions). Opcodes and the
// module layout are those of the WebAssembly core specification, section 5.

export const I32 = 0x7f;
export const I64 = 0x7e;
export const V128 = 0x7b;

/** SIMD opcodes (the 0xFD prefix; core spec 5.4.8, "Vector Instructions"), named as in the text format. */
export const V = {
  load: 0x00, store: 0x0b, const: 0x0c, shuffle: 0x0d,
  i8x16_splat: 0x0f, i16x8_splat: 0x10, i32x4_splat: 0x11, i64x2_splat: 0x12,
  i8x16_extract_lane_s: 0x15, i8x16_extract_lane_u: 0x16, i8x16_replace_lane: 0x17,
  i16x8_extract_lane_s: 0x18, i16x8_extract_lane_u: 0x19, i16x8_replace_lane: 0x1a,
  i32x4_extract_lane: 0x1b, i32x4_replace_lane: 0x1c, i64x2_extract_lane: 0x1d, i64x2_replace_lane: 0x1e,
  i8x16_eq: 0x23, i8x16_lt_s: 0x25, i8x16_gt_s: 0x27, i8x16_gt_u: 0x28, i8x16_le_s: 0x29, i8x16_ge_s: 0x2b, i8x16_ge_u: 0x2c,
  i16x8_eq: 0x2d, i16x8_lt_s: 0x2f, i16x8_gt_s: 0x31, i16x8_gt_u: 0x32, i16x8_le_s: 0x33, i16x8_ge_s: 0x35, i16x8_ge_u: 0x36,
  i32x4_eq: 0x37, i32x4_lt_s: 0x39, i32x4_gt_s: 0x3b, i32x4_gt_u: 0x3c, i32x4_le_s: 0x3d, i32x4_ge_s: 0x3f, i32x4_ge_u: 0x40,
  not: 0x4d, and: 0x4e, andnot: 0x4f, or: 0x50, xor: 0x51, bitselect: 0x52,
  i8x16_abs: 0x60, i8x16_neg: 0x61, i8x16_popcnt: 0x62,
  i8x16_shl: 0x6b, i8x16_shr_s: 0x6c, i8x16_shr_u: 0x6d, i8x16_add: 0x6e, i8x16_sub: 0x71,
  i8x16_min_s: 0x76, i8x16_min_u: 0x77, i8x16_max_s: 0x78, i8x16_max_u: 0x79,
  i16x8_abs: 0x80, i16x8_neg: 0x81,
  i16x8_extend_low_i8x16_s: 0x87, i16x8_extend_high_i8x16_s: 0x88, i16x8_extend_low_i8x16_u: 0x89, i16x8_extend_high_i8x16_u: 0x8a,
  i16x8_shl: 0x8b, i16x8_shr_s: 0x8c, i16x8_shr_u: 0x8d, i16x8_add: 0x8e, i16x8_sub: 0x91, i16x8_mul: 0x95,
  i16x8_min_s: 0x96, i16x8_min_u: 0x97, i16x8_max_s: 0x98, i16x8_max_u: 0x99,
  i16x8_extmul_low_i8x16_s: 0x9c, i16x8_extmul_high_i8x16_s: 0x9d, i16x8_extmul_low_i8x16_u: 0x9e, i16x8_extmul_high_i8x16_u: 0x9f,
  i32x4_abs: 0xa0, i32x4_neg: 0xa1,
  i32x4_extend_low_i16x8_s: 0xa7, i32x4_extend_high_i16x8_s: 0xa8, i32x4_extend_low_i16x8_u: 0xa9, i32x4_extend_high_i16x8_u: 0xaa,
  i32x4_shl: 0xab, i32x4_shr_s: 0xac, i32x4_shr_u: 0xad, i32x4_add: 0xae, i32x4_sub: 0xb1, i32x4_mul: 0xb5,
  i32x4_min_s: 0xb6, i32x4_min_u: 0xb7, i32x4_max_s: 0xb8, i32x4_max_u: 0xb9,
  i32x4_extmul_low_i16x8_s: 0xbc, i32x4_extmul_high_i16x8_s: 0xbd, i32x4_extmul_low_i16x8_u: 0xbe, i32x4_extmul_high_i16x8_u: 0xbf,
  i64x2_abs: 0xc0, i64x2_neg: 0xc1,
  i64x2_extend_low_i32x4_s: 0xc7, i64x2_extend_high_i32x4_s: 0xc8, i64x2_extend_low_i32x4_u: 0xc9, i64x2_extend_high_i32x4_u: 0xca,
  i64x2_shl: 0xcb, i64x2_shr_s: 0xcc, i64x2_shr_u: 0xcd, i64x2_add: 0xce, i64x2_sub: 0xd1, i64x2_mul: 0xd5,
  i64x2_eq: 0xd6, i64x2_lt_s: 0xd8, i64x2_gt_s: 0xd9, i64x2_le_s: 0xda, i64x2_ge_s: 0xdb,
  i64x2_extmul_low_i32x4_s: 0xdc, i64x2_extmul_high_i32x4_s: 0xdd, i64x2_extmul_low_i32x4_u: 0xde, i64x2_extmul_high_i32x4_u: 0xdf,
} as const;

/** Opcodes (core spec 5.4), named as in the text format. */
export const Op = {
  unreachable: 0x00, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b,
  br: 0x0c, br_if: 0x0d, br_table: 0x0e, return: 0x0f, drop: 0x1a, select: 0x1b,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22,
  i32_load: 0x28, i64_load: 0x29,
  i32_load8_s: 0x2c, i32_load8_u: 0x2d, i32_load16_s: 0x2e, i32_load16_u: 0x2f,
  i64_load8_s: 0x30, i64_load8_u: 0x31, i64_load16_s: 0x32, i64_load16_u: 0x33,
  i64_load32_s: 0x34, i64_load32_u: 0x35,
  i32_store: 0x36, i64_store: 0x37, i64_store8: 0x3c, i64_store16: 0x3d, i64_store32: 0x3e,
  i32_const: 0x41, i64_const: 0x42,
  i32_eqz: 0x45, i32_eq: 0x46, i32_ne: 0x47, i32_lt_s: 0x48, i32_lt_u: 0x49, i32_gt_s: 0x4a, i32_gt_u: 0x4b,
  i32_le_s: 0x4c, i32_ge_s: 0x4e,
  i64_eqz: 0x50, i64_eq: 0x51, i64_ne: 0x52, i64_lt_s: 0x53, i64_lt_u: 0x54, i64_gt_s: 0x55, i64_gt_u: 0x56,
  i64_le_s: 0x57, i64_le_u: 0x58, i64_ge_s: 0x59, i64_ge_u: 0x5a,
  i32_add: 0x6a, i32_sub: 0x6b, i32_mul: 0x6c, i32_div_s: 0x6d, i32_div_u: 0x6e,
  i32_and: 0x71, i32_or: 0x72, i32_xor: 0x73, i32_shl: 0x74, i32_shr_s: 0x75, i32_shr_u: 0x76, i32_rotr: 0x78,
  i32_clz: 0x67,
  i64_clz: 0x79, i64_add: 0x7c, i64_sub: 0x7d, i64_mul: 0x7e, i64_div_s: 0x7f, i64_div_u: 0x80,
  i64_and: 0x83, i64_or: 0x84, i64_xor: 0x85, i64_shl: 0x86, i64_shr_s: 0x87, i64_shr_u: 0x88, i64_rotr: 0x8a,
  i32_wrap_i64: 0xa7, i64_extend_i32_s: 0xac, i64_extend_i32_u: 0xad,
  i32_extend8_s: 0xc0, i32_extend16_s: 0xc1, i64_extend8_s: 0xc2, i64_extend16_s: 0xc3, i64_extend32_s: 0xc4,
} as const;

/** Natural alignment (log2) of each memory opcode, for its memarg. */
const ALIGN: Record<number, number> = {
  [Op.i32_load]: 2, [Op.i64_load]: 3, [Op.i32_load8_s]: 0, [Op.i32_load8_u]: 0, [Op.i32_load16_s]: 1,
  [Op.i32_load16_u]: 1, [Op.i64_load8_s]: 0, [Op.i64_load8_u]: 0, [Op.i64_load16_s]: 1, [Op.i64_load16_u]: 1,
  [Op.i64_load32_s]: 2, [Op.i64_load32_u]: 2, [Op.i32_store]: 2, [Op.i64_store]: 3, [Op.i64_store8]: 0,
  [Op.i64_store16]: 1, [Op.i64_store32]: 2,
};

/** The largest wasm32 memory, in 64 KiB pages (asconfig.json maximumMemory). */
const MAX_PAGES = 65536;

/**
 * A growable byte buffer with LEB128 writers. The compiler writes every region through it, first
 * in V8's interpreter (a cold process): each writer reserves room once and stores its bytes
 * inline, and the buffer starts large enough for most regions, since every typed array outside
 * V8's heap counts as external memory, whose growth makes V8 collect.
 */
export class Bytes {
  buf: Uint8Array<ArrayBuffer>;
  length = 0;
  constructor(capacity = 256) { this.buf = new Uint8Array(capacity); }
  /** Room for `n` more bytes. */
  reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }
  byte(b: number): void {
    if (this.length === this.buf.length) this.reserve(1);
    this.buf[this.length++] = b;
  }
  bytes(bs: ArrayLike<number>): void {
    this.reserve(bs.length);
    this.buf.set(bs, this.length);
    this.length += bs.length;
  }
  u32(v: number): void {
    this.reserve(5);
    const b = this.buf;
    let n = this.length;
    while (v >= 0x80) { b[n++] = (v & 0x7f) | 0x80; v >>>= 7; }
    b[n++] = v;
    this.length = n;
  }
  s32(v: number): void {
    this.reserve(5);
    const b = this.buf;
    let n = this.length;
    for (;;) {
      const x = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (x & 0x40) === 0) || (v === -1 && (x & 0x40) !== 0)) { b[n++] = x; break; }
      b[n++] = x | 0x80;
    }
    this.length = n;
  }
  s64(v: bigint): void {
    // (Most constants are small: their encoding is that of the same 32-bit value.)
    if (v >= -0x80000000n && v <= 0x7fffffffn) { this.s32(Number(v)); return; }
    let enc = S64.get(v);
    if (!enc) {
      const out: number[] = [];
      for (let x = BigInt.asIntN(64, v); ;) {
        const b = Number(x & 0x7fn);
        x >>= 7n;
        if ((x === 0n && (b & 0x40) === 0) || (x === -1n && (b & 0x40) !== 0)) { out.push(b); break; }
        out.push(b | 0x80);
      }
      enc = new Uint8Array(out);
      if (S64.size < 4096) S64.set(v, enc);
    }
    this.bytes(enc);
  }
  /** Signed LEB128 of the 64-bit value hi:lo, from its two 32-bit halves (s64's output, without BigInt). */
  s64u32(hi: number, lo: number): void {
    this.reserve(10);
    const b = this.buf;
    let n = this.length;
    hi |= 0; // (as a signed 32-bit half: the arithmetic shifts below keep its sign)
    for (;;) {
      const x = lo & 0x7f;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>= 7;
      if ((hi === 0 && lo === 0 && (x & 0x40) === 0) || (hi === -1 && lo === 0xffffffff && (x & 0x40) !== 0)) { b[n++] = x; break; }
      b[n++] = x | 0x80;
    }
    this.length = n;
  }
  section(id: number, body: Bytes): void {
    this.byte(id);
    this.u32(body.length);
    this.bytes(body.buf.subarray(0, body.length));
  }
  get view(): Uint8Array<ArrayBuffer> { return this.buf.subarray(0, this.length); }
}

/** Encodings of the wide 64-bit constants (masks, addresses), which BigInt arithmetic makes slow to compute. */
const S64 = new Map<bigint, Uint8Array>();

/** A label: a block, loop or if that `br` can target. */
export type Label = number;

/** The body of one function, with structured-control bookkeeping for branch depths. */
export class FunctionBody {
  readonly code: Bytes;
  private labels: Label[] = [];
  /** Where each label is in `labels` while it is open. */
  private readonly at: number[] = [];
  private nextLabel = 0;
  constructor(capacity = 8192) { this.code = new Bytes(capacity); }

  op(o: number): this { this.code.byte(o); return this; }
  i32(v: number): this {
    const c = this.code;
    if (v >= -64 && v < 64) { c.reserve(2); c.buf[c.length] = Op.i32_const; c.buf[c.length + 1] = v & 0x7f; c.length += 2; return this; }
    c.byte(Op.i32_const); c.s32(v | 0); return this;
  }
  i64(v: bigint): this { this.code.byte(Op.i64_const); this.code.s64(v); return this; }
  /**
   * `i64.const 0xffffffff; i64.and`: the i64 on the stack cut to its low 32 bits (a W register's
   * value), the pair the compiler writes most, in one call and without BigInt. (Cold emitting
   * time did not move measurably: BENCHMARKS.md, eleventh session.)
   */
  zext32(): this {
    const c = this.code;
    c.reserve(7);
    const b = c.buf, n = c.length;
    b[n] = Op.i64_const; b[n + 1] = 0xff; b[n + 2] = 0xff; b[n + 3] = 0xff; b[n + 4] = 0xff; b[n + 5] = 0x0f; b[n + 6] = Op.i64_and;
    c.length = n + 7;
    return this;
  }
  /** i64.const of the 64-bit value hi:lo (each an unsigned 32-bit half; hi may be 2^32, which wraps). */
  i64u32(hi: number, lo: number): this { this.code.byte(Op.i64_const); this.code.s64u32(hi, lo); return this; }
  /** i64.const of a small integer (-2^31 <= v < 2^31): no BigInt on the way (most of the compiler's constants). */
  i64n(v: number): this { this.code.byte(Op.i64_const); this.code.s32(v); return this; }
  get(l: number): this { return this.local(Op.local_get, l); }
  set(l: number): this { return this.local(Op.local_set, l); }
  tee(l: number): this { return this.local(Op.local_tee, l); }
  private local(o: number, l: number): this {
    const c = this.code;
    if (l < 0x80) { c.reserve(2); c.buf[c.length] = o; c.buf[c.length + 1] = l; c.length += 2; return this; }
    c.byte(o); c.u32(l); return this;
  }
  /** A SIMD instruction without immediates. */
  simd(o: number): this { this.code.byte(0xfd); this.code.u32(o); return this; }
  /** v128.load or v128.store with a constant offset. */
  vmem(o: number, offset: number): this { this.simd(o); this.code.byte(4); this.code.u32(offset); return this; }
  /** v128.const of 16 bytes, lane 0 first. */
  v128(bytes: Uint8Array): this { this.simd(V.const); this.code.bytes(bytes); return this; }
  /** i8x16.shuffle: lane i of the result is byte `lanes[i]` of the two operands (0-15 the first, 16-31 the second). */
  shuffle(lanes: ArrayLike<number>): this { this.simd(V.shuffle); this.code.bytes(lanes); return this; }
  /** An extract_lane or replace_lane. */
  lane(o: number, lane: number): this { this.simd(o); this.code.byte(lane); return this; }
  /** A load or store with a constant offset. */
  mem(o: number, offset: number): this {
    const c = this.code;
    c.reserve(2);
    c.buf[c.length] = o;
    c.buf[c.length + 1] = ALIGN[o];
    c.length += 2;
    c.u32(offset);
    return this;
  }
  private open(o: number, type = 0x40): Label {
    this.code.byte(o);
    this.code.byte(type);
    const l = this.nextLabel++;
    this.at[l] = this.labels.length;
    this.labels.push(l);
    return l;
  }
  block(): Label { return this.open(Op.block); }
  loop(): Label { return this.open(Op.loop); }
  /** `if` with no result (0x40) or one value of `type`. */
  if(type = 0x40): Label { return this.open(Op.if, type); }
  else(): this { this.code.byte(Op.else); return this; }
  end(): this { this.labels.pop(); this.code.byte(Op.end); return this; }
  private depth(l: Label): number {
    // An open label stays where it was pushed (only the innermost one closes): a region's
    // br_table names every block, and a search of the stack for each was quadratic.
    const i = this.at[l];
    if (this.labels[i] !== l) throw new Error("branch to a label that is not open");
    return this.labels.length - 1 - i;
  }
  br(l: Label): this { this.code.byte(Op.br); this.code.u32(this.depth(l)); return this; }
  brIf(l: Label): this { this.code.byte(Op.br_if); this.code.u32(this.depth(l)); return this; }
  brTable(targets: Label[], dflt: Label): this {
    this.code.byte(Op.br_table);
    this.code.u32(targets.length);
    for (const t of targets) this.code.u32(this.depth(t));
    this.code.u32(this.depth(dflt));
    return this;
  }
}

export interface FunctionDef {
  params: number[];
  results: number[];
  /** Extra locals after the parameters, by type. */
  locals: number[];
  body: FunctionBody;
}

/**
 * A module importing `env.memory` and exporting each function as f0, f1, ...
 * All functions must share one signature. `shared`: the memory imported is shared (host/wasm.ts
 * sharedMemory), which an import must declare, with a maximum.
 */
export function moduleBytes(funcs: FunctionDef[], shared = false): Uint8Array<ArrayBuffer> {
  const out = new Bytes();
  out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const type = new Bytes();
  type.u32(1);
  type.byte(0x60);
  type.u32(funcs[0].params.length); type.bytes(funcs[0].params);
  type.u32(funcs[0].results.length); type.bytes(funcs[0].results);
  out.section(1, type);
  const imports = new Bytes();
  imports.u32(1);
  for (const s of ["env", "memory"]) { imports.u32(s.length); imports.bytes([...s].map((c) => c.charCodeAt(0))); }
  imports.byte(0x02);
  if (shared) { imports.byte(0x03); imports.u32(0); imports.u32(MAX_PAGES); } // memory, shared, min 0 pages, maximum 4 GiB
  else { imports.byte(0x00); imports.u32(0); } // memory, min 0 pages, no maximum
  out.section(2, imports);
  const fns = new Bytes();
  fns.u32(funcs.length);
  for (let i = 0; i < funcs.length; i++) fns.u32(0);
  out.section(3, fns);
  const exps = new Bytes();
  exps.u32(funcs.length);
  funcs.forEach((_, i) => {
    const name = `f${i}`;
    exps.u32(name.length); exps.bytes([...name].map((c) => c.charCodeAt(0)));
    exps.byte(0x00); exps.u32(i);
  });
  out.section(7, exps);
  const code = new Bytes();
  code.u32(funcs.length);
  for (const f of funcs) {
    const body = new Bytes();
    // Locals run-length encoded by type.
    const groups: [number, number][] = [];
    for (const t of f.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    body.u32(groups.length);
    for (const [n, t] of groups) { body.u32(n); body.byte(t); }
    body.bytes(f.body.code.view);
    body.byte(Op.end);
    code.u32(body.length);
    code.bytes(body.view);
  }
  out.section(10, code);
  return new Uint8Array(out.view);
}
