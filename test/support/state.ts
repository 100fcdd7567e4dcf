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
