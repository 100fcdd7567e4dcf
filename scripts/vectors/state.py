"""Deterministic initial CPU states shared with test/support/state.ts (same splitmix64)."""

MASK = (1 << 64) - 1
EDGES = [0, 1, MASK, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF, 0xFFFFFFFF00000000]


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def initial_state(seed):
    """x0..x30 and NZCV for a vector seed: edge values a third of the time."""
    s = seed
    regs = []
    for _ in range(31):
        s, v = splitmix64(s)
        s, pick = splitmix64(s)
        if pick % 3 == 0:
            v = EDGES[(pick >> 8) % len(EDGES)]
        regs.append(v)
    s, f = splitmix64(s)
    return regs, (f & 0xF) << 28


def memory_pattern(size):
    return bytes(((i * 37 + 11) ^ (i >> 8)) & 0xFF for i in range(size))


# SIMD&FP state (scripts/vectors/gen_fp.py): V0-V31, FPCR, FPSR from a seed, lanes drawn
# from FP edge values (NaNs of both kinds with payloads, zeros, infinities, denormals,
# extremes, conversion bounds), "nice" numbers of moderate exponent, integers and random bits.
F32_EDGES = [0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00001, 0x7F800001, 0xFFBFFFFF,
             0x7FA00000, 0x00000001, 0x807FFFFF, 0x00800000, 0x80800000, 0x7F7FFFFF, 0x3F800000, 0xBFC00000,
             0x4F000000, 0xCF000000, 0x5F000000, 0x4F800000, 0x3F000000, 0x3FC00000, 0x40200000, 0x00400000,
             0x4EFFFFFF, 0xDF000000, 0x5F800000, 0xBF000000]
F64_EDGES = [0x0000000000000000, 0x8000000000000000, 0x7FF0000000000000, 0xFFF0000000000000, 0x7FF8000000000000,
             0xFFF8000000000001, 0x7FF0000000000001, 0x7FF4000000000000, 0x0000000000000001, 0x800FFFFFFFFFFFFF,
             0x0010000000000000, 0x7FEFFFFFFFFFFFFF, 0x3FF0000000000000, 0xBFF8000000000000, 0x41E0000000000000,
             0xC1E0000000000000, 0x43E0000000000000, 0x41F0000000000000, 0x3FE0000000000000, 0x3FF8000000000000,
             0x4004000000000000, 0x0008000000000000, 0x41DFFFFFFFC00000, 0x3810000000000000, 0x47EFFFFFE0000000,
             0xC3E0000000000000, 0x43F0000000000000, 0x380FFFFFFFFFFFFF, 0x36A0000000000000, 0xBFE0000000000000]
INT_EDGES = EDGES + [0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x0101010101010101, 0x8080808080808080,
                     0x7F7F7F7F7F7F7F7F, 0x00FF00FF00FF00FF, 0x7FFF80007FFF8000, 0x000000010000FFFF]


def _f32(r):
    p, rest = r & 7, r >> 3
    if p < 3:
        return F32_EDGES[rest % len(F32_EDGES)]
    if p < 6:
        mant = (rest >> 8) & 0x7FFFFF
        if (rest >> 40) & 1:
            mant &= 0x7F0000
        return ((rest & 1) << 31) | ((127 + (rest >> 1) % 90 - 24) << 23) | mant
    return rest & 0xFFFFFFFF


def _f64(r):
    p, rest = r & 7, r >> 3
    if p < 3:
        return F64_EDGES[rest % len(F64_EDGES)]
    if p < 6:
        mant = (rest >> 8) & 0xFFFFFFFFFFFFF
        if (rest >> 60) & 1:
            mant &= 0xFF00000000000
        return ((rest & 1) << 63) | ((1023 + (rest >> 1) % 90 - 24) << 52) | mant
    return rest


def fp_state(seed):
    """V0..V31 (128-bit ints), FPCR, FPSR for a vector seed."""
    s = seed ^ 0x5DEECE66D
    vregs = []
    for _ in range(32):
        s, kind = splitmix64(s)
        k = kind % 4
        val = 0
        if k == 0:
            s, a = splitmix64(s)
            s, b = splitmix64(s)
            val = a | (b << 64)
        elif k == 1:
            for j in range(4):
                s, r = splitmix64(s)
                val |= _f32(r) << (32 * j)
        elif k == 2:
            for j in range(2):
                s, r = splitmix64(s)
                val |= _f64(r) << (64 * j)
        else:
            for j in range(2):
                s, r = splitmix64(s)
                val |= (INT_EDGES[(r >> 2) % len(INT_EDGES)] if r & 3 == 0 else r) << (64 * j)
        vregs.append(val)
    s, c = splitmix64(s)
    fpcr = ((c & 3) << 22) | ((1 << 24) if (c >> 2) & 3 == 0 else 0) | ((1 << 25) if (c >> 4) & 3 == 0 else 0) \
        | ((1 << 26) if (c >> 6) & 7 == 0 else 0)
    fpsr = 0 if (c >> 9) & 7 else (((c >> 12) & 0x9F) | (((c >> 20) & 1) << 27))
    return vregs, fpcr, fpsr
