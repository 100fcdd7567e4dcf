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
