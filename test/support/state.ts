// Mirror of scripts/vectors/state.py: the initial CPU state of a vector seed.
const MASK = (1n << 64n) - 1n;
const EDGES = [0n, 1n, MASK, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffn, 0x80000000n, 0x7fffffffn, 0xffffffff00000000n];

function splitmix64(state: bigint): [bigint, bigint] {
  state = (state + 0x9e3779b97f4a7c15n) & MASK;
  let z = state;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return [state, z ^ (z >> 31n)];
}

export function initialState(seed: bigint): { regs: bigint[]; nzcv: number } {
  let s = seed;
  const regs: bigint[] = [];
  for (let i = 0; i < 31; i++) {
    let v: bigint, pick: bigint;
    [s, v] = splitmix64(s);
    [s, pick] = splitmix64(s);
    if (pick % 3n === 0n) v = EDGES[Number((pick >> 8n) % BigInt(EDGES.length))];
    regs.push(v);
  }
  const [, f] = splitmix64(s);
  return { regs, nzcv: Number(f & 0xfn) << 28 };
}

export function memoryPattern(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = ((i * 37 + 11) ^ (i >> 8)) & 0xff;
  return out;
}

// Mirror of fp_state in scripts/vectors/state.py: V0-V31, FPCR, FPSR of a vector seed.
const F32_EDGES = [0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00001, 0x7F800001, 0xFFBFFFFF,
  0x7FA00000, 0x00000001, 0x807FFFFF, 0x00800000, 0x80800000, 0x7F7FFFFF, 0x3F800000, 0xBFC00000,
  0x4F000000, 0xCF000000, 0x5F000000, 0x4F800000, 0x3F000000, 0x3FC00000, 0x40200000, 0x00400000,
  0x4EFFFFFF, 0xDF000000, 0x5F800000, 0xBF000000].map(BigInt);
const F64_EDGES = [0x0000000000000000n, 0x8000000000000000n, 0x7FF0000000000000n, 0xFFF0000000000000n, 0x7FF8000000000000n,
  0xFFF8000000000001n, 0x7FF0000000000001n, 0x7FF4000000000000n, 0x0000000000000001n, 0x800FFFFFFFFFFFFFn,
  0x0010000000000000n, 0x7FEFFFFFFFFFFFFFn, 0x3FF0000000000000n, 0xBFF8000000000000n, 0x41E0000000000000n,
  0xC1E0000000000000n, 0x43E0000000000000n, 0x41F0000000000000n, 0x3FE0000000000000n, 0x3FF8000000000000n,
  0x4004000000000000n, 0x0008000000000000n, 0x41DFFFFFFFC00000n, 0x3810000000000000n, 0x47EFFFFFE0000000n,
  0xC3E0000000000000n, 0x43F0000000000000n, 0x380FFFFFFFFFFFFFn, 0x36A0000000000000n, 0xBFE0000000000000n];
const INT_EDGES = [...EDGES, 0x7Fn, 0x80n, 0xFFn, 0x7FFFn, 0x8000n, 0xFFFFn, 0x0101010101010101n, 0x8080808080808080n,
  0x7F7F7F7F7F7F7F7Fn, 0x00FF00FF00FF00FFn, 0x7FFF80007FFF8000n, 0x000000010000FFFFn];
const len = (a: unknown[]) => BigInt(a.length);

function f32(r: bigint): bigint {
  const p = r & 7n, rest = r >> 3n;
  if (p < 3n) return F32_EDGES[Number(rest % len(F32_EDGES))];
  if (p < 6n) {
    let mant = (rest >> 8n) & 0x7FFFFFn;
    if ((rest >> 40n) & 1n) mant &= 0x7F0000n;
    return ((rest & 1n) << 31n) | ((127n + (rest >> 1n) % 90n - 24n) << 23n) | mant;
  }
  return rest & 0xFFFFFFFFn;
}
function f64(r: bigint): bigint {
  const p = r & 7n, rest = r >> 3n;
  if (p < 3n) return F64_EDGES[Number(rest % len(F64_EDGES))];
  if (p < 6n) {
    let mant = (rest >> 8n) & 0xFFFFFFFFFFFFFn;
    if ((rest >> 60n) & 1n) mant &= 0xFF00000000000n;
    return ((rest & 1n) << 63n) | ((1023n + (rest >> 1n) % 90n - 24n) << 52n) | mant;
  }
  return rest;
}

export function fpState(seed: bigint): { v: bigint[]; fpcr: number; fpsr: number } {
  let s = seed ^ 0x5DEECE66Dn;
  const v: bigint[] = [];
  let r: bigint;
  for (let i = 0; i < 32; i++) {
    let kind: bigint;
    [s, kind] = splitmix64(s);
    const k = kind % 4n;
    let val = 0n;
    if (k === 0n) {
      let a: bigint, b: bigint;
      [s, a] = splitmix64(s);
      [s, b] = splitmix64(s);
      val = a | (b << 64n);
    } else if (k === 1n) {
      for (let j = 0n; j < 4n; j++) { [s, r] = splitmix64(s); val |= f32(r) << (32n * j); }
    } else if (k === 2n) {
      for (let j = 0n; j < 2n; j++) { [s, r] = splitmix64(s); val |= f64(r) << (64n * j); }
    } else {
      for (let j = 0n; j < 2n; j++) {
        [s, r] = splitmix64(s);
        val |= ((r & 3n) === 0n ? INT_EDGES[Number((r >> 2n) % len(INT_EDGES))] : r) << (64n * j);
      }
    }
    v.push(val);
  }
  let c: bigint;
  [s, c] = splitmix64(s);
  const fpcr = ((c & 3n) << 22n) | (((c >> 2n) & 3n) === 0n ? 1n << 24n : 0n) | (((c >> 4n) & 3n) === 0n ? 1n << 25n : 0n)
    | (((c >> 6n) & 7n) === 0n ? 1n << 26n : 0n);
  const fpsr = ((c >> 9n) & 7n) !== 0n ? 0n : (((c >> 12n) & 0x9Fn) | (((c >> 20n) & 1n) << 27n));
  return { v, fpcr: Number(fpcr), fpsr: Number(fpsr) };
}
