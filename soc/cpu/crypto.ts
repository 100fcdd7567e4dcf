// The ARMv8.0 Cryptographic Extension as the Cortex-A53 has it (ARM ARM C7.2, pseudocode
// of AESE/AESD/AESMC/AESIMC, SHA1C/P/M/H/SU0/SU1, SHA256H/H2/SU0/SU1, PMULL/PMULL2 .1Q).
// The AES state is the 128-bit register as bytes i = row + 4*column (FIPS-197 order).

import { undefinedInstruction } from "./exception";
import { fpTrapped, vAddr, vLo, vHi, setV } from "./vreg";

const SBOX: usize = memory.data(256);
const INV_SBOX: usize = memory.data(256);
let tablesReady = false;

function gmul(a: u32, b: u32): u32 {
  let r: u32 = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) r ^= a;
    const hi = a & 0x80;
    a = (a << 1) & 0xFF;
    if (hi) a ^= 0x1B;
    b >>= 1;
  }
  return r;
}

/** The AES S-box from its definition: the inverse in GF(2^8) followed by the affine map. */
function buildTables(): void {
  for (let x: u32 = 0; x < 256; x++) {
    let inv: u32 = 0;
    if (x != 0) for (let y: u32 = 1; y < 256; y++) if (gmul(x, y) == 1) { inv = y; break; }
    let s = inv;
    let r = inv;
    for (let k = 0; k < 4; k++) { r = ((r << 1) | (r >> 7)) & 0xFF; s ^= r; }
    s ^= 0x63;
    store<u8>(SBOX + x, s as u8);
    store<u8>(INV_SBOX + s, x as u8);
  }
  tablesReady = true;
}

const STATE: usize = memory.data(32, 16);

// AESE, AESD, AESMC, AESIMC: 0100 1110 0010 1000 0 opcode(16:12) 10 Rn Rd.
export function cryptoAES(insn: u32): void {
  const opcode = (insn >> 12) & 31;
  if (opcode < 4 || opcode > 7) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  if (!tablesReady) buildTables();
  const rn = (insn >> 5) & 31, rd = insn & 31;
  const s = STATE, t = STATE + 16;
  if (opcode <= 5) {
    store<u64>(s, vLo(rd) ^ vLo(rn));
    store<u64>(s, vHi(rd) ^ vHi(rn), 8);
    for (let c: u32 = 0; c < 4; c++) for (let r: u32 = 0; r < 4; r++) {
      // ShiftRows (AESE) / InvShiftRows (AESD), then (Inv)SubBytes.
      const from = opcode == 4 ? r + 4 * ((c + r) & 3) : r + 4 * ((c + 4 - r) & 3);
      const b = load<u8>(s + from);
      store<u8>(t + r + 4 * c, opcode == 4 ? load<u8>(SBOX + b) : load<u8>(INV_SBOX + b));
    }
  } else {
    store<u64>(s, vLo(rn));
    store<u64>(s, vHi(rn), 8);
    for (let c: u32 = 0; c < 4; c++) {
      const a0 = load<u8>(s + 4 * c) as u32, a1 = load<u8>(s + 4 * c + 1) as u32;
      const a2 = load<u8>(s + 4 * c + 2) as u32, a3 = load<u8>(s + 4 * c + 3) as u32;
      if (opcode == 6) { // MixColumns
        store<u8>(t + 4 * c, (gmul(a0, 2) ^ gmul(a1, 3) ^ a2 ^ a3) as u8);
        store<u8>(t + 4 * c + 1, (a0 ^ gmul(a1, 2) ^ gmul(a2, 3) ^ a3) as u8);
        store<u8>(t + 4 * c + 2, (a0 ^ a1 ^ gmul(a2, 2) ^ gmul(a3, 3)) as u8);
        store<u8>(t + 4 * c + 3, (gmul(a0, 3) ^ a1 ^ a2 ^ gmul(a3, 2)) as u8);
      } else { // InvMixColumns
        store<u8>(t + 4 * c, (gmul(a0, 14) ^ gmul(a1, 11) ^ gmul(a2, 13) ^ gmul(a3, 9)) as u8);
        store<u8>(t + 4 * c + 1, (gmul(a0, 9) ^ gmul(a1, 14) ^ gmul(a2, 11) ^ gmul(a3, 13)) as u8);
        store<u8>(t + 4 * c + 2, (gmul(a0, 13) ^ gmul(a1, 9) ^ gmul(a2, 14) ^ gmul(a3, 11)) as u8);
        store<u8>(t + 4 * c + 3, (gmul(a0, 11) ^ gmul(a1, 13) ^ gmul(a2, 9) ^ gmul(a3, 14)) as u8);
      }
    }
  }
  setV(rd, load<u64>(t), load<u64>(t, 8));
}

// @ts-ignore: decorator
@inline function rol(x: u32, n: u32): u32 { return rotl<u32>(x, n); }
// @ts-ignore: decorator
@inline function ror(x: u32, n: u32): u32 { return rotr<u32>(x, n); }
// @ts-ignore: decorator
@inline function word(n: u32, i: u32): u32 { return load<u32>(vAddr(n) + ((i as usize) << 2)); }

function choose(x: u32, y: u32, z: u32): u32 { return ((y ^ z) & x) ^ z; }
function majority(x: u32, y: u32, z: u32): u32 { return (x & y) | ((x | y) & z); }
function parity(x: u32, y: u32, z: u32): u32 { return x ^ y ^ z; }

const W4: usize = memory.data(32, 16); // X words 0..3, Y words 4..7

// SHA1C/P/M/SU0, SHA256H/H2/SU1: 0101 1110 000 Rm 0 opcode(14:12) 00 Rn Rd.
export function cryptoSHA3(insn: u32): void {
  const opcode = (insn >> 12) & 7;
  if (opcode == 7) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const rm = (insn >> 16) & 31, rn = (insn >> 5) & 31, rd = insn & 31;
  if (opcode <= 2) {
    let x0 = word(rd, 0), x1 = word(rd, 1), x2 = word(rd, 2), x3 = word(rd, 3);
    let y = word(rn, 0);
    for (let e: u32 = 0; e < 4; e++) {
      const t = opcode == 0 ? choose(x1, x2, x3) : (opcode == 1 ? parity(x1, x2, x3) : majority(x1, x2, x3));
      y = y + rol(x0, 5) + t + word(rm, e);
      x1 = rol(x1, 30);
      // <Y, X> = ROL(Y:X, 32)
      const ny = x3;
      x3 = x2; x2 = x1; x1 = x0; x0 = y; y = ny;
    }
    setV(rd, (x0 as u64) | ((x1 as u64) << 32), (x2 as u64) | ((x3 as u64) << 32));
    return;
  }
  if (opcode == 3) { // SHA1SU0
    const lo = vHi(rd) ^ vLo(rd) ^ vLo(rm);
    const hi = vLo(rn) ^ vHi(rd) ^ vHi(rm);
    setV(rd, lo, hi);
    return;
  }
  if (opcode == 6) { // SHA256SU1
    const t0 = W4;
    // T0 = operand3<31:0> : operand2<127:32>
    store<u32>(t0, word(rn, 1)); store<u32>(t0, word(rn, 2), 4); store<u32>(t0, word(rn, 3), 8); store<u32>(t0, word(rm, 0), 12);
    let r0: u32 = 0, r1: u32 = 0, r2: u32 = 0, r3: u32 = 0;
    let e0 = word(rm, 2), e1 = word(rm, 3);
    r0 = (ror(e0, 17) ^ ror(e0, 19) ^ (e0 >> 10)) + word(rd, 0) + load<u32>(t0);
    r1 = (ror(e1, 17) ^ ror(e1, 19) ^ (e1 >> 10)) + word(rd, 1) + load<u32>(t0, 4);
    r2 = (ror(r0, 17) ^ ror(r0, 19) ^ (r0 >> 10)) + word(rd, 2) + load<u32>(t0, 8);
    r3 = (ror(r1, 17) ^ ror(r1, 19) ^ (r1 >> 10)) + word(rd, 3) + load<u32>(t0, 12);
    setV(rd, (r0 as u64) | ((r1 as u64) << 32), (r2 as u64) | ((r3 as u64) << 32));
    return;
  }
  // SHA256H (X = Vd, Y = Vn, result X) and SHA256H2 (X = Vn, Y = Vd, result Y).
  const part1 = opcode == 4;
  const xr = part1 ? rd : rn, yr = part1 ? rn : rd;
  let x0 = word(xr, 0), x1 = word(xr, 1), x2 = word(xr, 2), x3 = word(xr, 3);
  let y0 = word(yr, 0), y1 = word(yr, 1), y2 = word(yr, 2), y3 = word(yr, 3);
  for (let e: u32 = 0; e < 4; e++) {
    const chs = choose(y0, y1, y2);
    const maj = majority(x0, x1, x2);
    const t = y3 + (ror(y0, 6) ^ ror(y0, 11) ^ ror(y0, 25)) + chs + word(rm, e);
    x3 = t + x3;
    y3 = t + (ror(x0, 2) ^ ror(x0, 13) ^ ror(x0, 22)) + maj;
    // <Y, X> = ROL(Y:X, 32)
    const ny3 = y2, ny2 = y1, ny1 = y0, ny0 = x3;
    x3 = x2; x2 = x1; x1 = x0; x0 = y3;
    y0 = ny0; y1 = ny1; y2 = ny2; y3 = ny3;
  }
  if (part1) setV(rd, (x0 as u64) | ((x1 as u64) << 32), (x2 as u64) | ((x3 as u64) << 32));
  else setV(rd, (y0 as u64) | ((y1 as u64) << 32), (y2 as u64) | ((y3 as u64) << 32));
}

// SHA1H, SHA1SU1, SHA256SU0: 0101 1110 0010 1000 0 opcode(16:12) 10 Rn Rd.
export function cryptoSHA2(insn: u32): void {
  const opcode = (insn >> 12) & 31;
  if (opcode > 2) { undefinedInstruction(); return; }
  if (fpTrapped()) return;
  const rn = (insn >> 5) & 31, rd = insn & 31;
  if (opcode == 0) { setV(rd, rol(word(rn, 0), 30) as u64, 0); return; }
  if (opcode == 1) { // SHA1SU1
    const t0 = word(rd, 0) ^ word(rn, 1), t1 = word(rd, 1) ^ word(rn, 2);
    const t2 = word(rd, 2) ^ word(rn, 3), t3 = word(rd, 3);
    const w0 = rol(t0, 1), w1 = rol(t1, 1), w2 = rol(t2, 1), w3 = rol(t3, 1) ^ rol(t0, 2);
    setV(rd, (w0 as u64) | ((w1 as u64) << 32), (w2 as u64) | ((w3 as u64) << 32));
    return;
  }
  // SHA256SU0: T = operand2<31:0> : operand1<127:32>
  const t0 = word(rd, 1), t1 = word(rd, 2), t2 = word(rd, 3), t3 = word(rn, 0);
  const r0 = (ror(t0, 7) ^ ror(t0, 18) ^ (t0 >> 3)) + word(rd, 0);
  const r1 = (ror(t1, 7) ^ ror(t1, 18) ^ (t1 >> 3)) + word(rd, 1);
  const r2 = (ror(t2, 7) ^ ror(t2, 18) ^ (t2 >> 3)) + word(rd, 2);
  const r3 = (ror(t3, 7) ^ ror(t3, 18) ^ (t3 >> 3)) + word(rd, 3);
  setV(rd, (r0 as u64) | ((r1 as u64) << 32), (r2 as u64) | ((r3 as u64) << 32));
}

/** PMULL/PMULL2 Vd.1Q, Vn.1D/2D, Vm.1D/2D: carry-less 64x64 -> 128 multiply. */
export function polyMul64(rd: u32, rn: u32, rm: u32, upper: bool): void {
  const a = upper ? vHi(rn) : vLo(rn);
  const b = upper ? vHi(rm) : vLo(rm);
  let lo: u64 = 0, hi: u64 = 0;
  for (let i: u64 = 0; i < 64; i++) {
    if ((b >> i) & 1) {
      lo ^= a << i;
      if (i != 0) hi ^= a >> (64 - i);
    }
  }
  setV(rd, lo, hi);
}
