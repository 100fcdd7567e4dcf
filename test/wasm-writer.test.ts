// The WebAssembly binary writer of the compiler of hot code (host/jit/wasm.ts): the two encoders
// of 64-bit constants give the same bytes, and those bytes are what WebAssembly reads back.
import { describe, it, expect } from "vitest";
import { Bytes, FunctionBody, moduleBytes, I64, Op } from "../host/jit/wasm.js";

const EDGES = [0n, 1n, 63n, 64n, 127n, 128n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn,
  0x8000000000000000n, 0xffff000000000000n, 0xffff800008080000n, 0xffffffff00000010n, 0xfffffffffffffff0n, 0xffffffffffffffffn];

/** A fixed pseudo-random set of 64-bit values, every magnitude (xorshift64; the same every run). */
function values(n: number): bigint[] {
  let x = 0x9e3779b97f4a7c15n;
  const out = [...EDGES];
  for (let i = 0; i < n; i++) {
    x ^= (x << 13n) & 0xffffffffffffffffn; x ^= x >> 7n; x ^= (x << 17n) & 0xffffffffffffffffn;
    out.push(x >> BigInt(i % 64));
  }
  return out;
}

describe("64-bit constants in the WebAssembly writer", () => {
  it("s64u32 (two 32-bit halves) writes the signed LEB128 that s64 (a BigInt) writes", () => {
    for (const v of values(5000)) {
      const a = new Bytes(), b = new Bytes();
      a.s64(v);
      b.s64u32(Number(v >> 32n), Number(v & 0xffffffffn));
      expect([...b.view], `0x${v.toString(16)}`).toEqual([...a.view]);
    }
    // A high half of 2^32 (a carry out of the low half) wraps, as a 64-bit add does.
    const a = new Bytes(), b = new Bytes();
    a.s64(5n);
    b.s64u32(0x100000000, 5);
    expect([...b.view]).toEqual([...a.view]);
  });

  it("WebAssembly reads back what i64u32 wrote", () => {
    const vs = values(200);
    const f = new FunctionBody();
    // One function returning the XOR of all the constants, as an i64.
    f.i64u32(0, 0);
    for (const v of vs) f.i64u32(Number(v >> 32n), Number(v & 0xffffffffn)).op(Op.i64_xor);
    const bytes = moduleBytes([{ params: [], results: [I64], locals: [], body: f }]);
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: new WebAssembly.Memory({ initial: 1 }) } });
    const expected = vs.reduce((acc, v) => acc ^ v, 0n);
    expect(BigInt.asUintN(64, (inst.exports.f0 as () => bigint)())).toBe(expected);
  });
});
