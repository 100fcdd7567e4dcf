#!/usr/bin/env python3
"""SIMD&FP reference vectors from Unicorn (QEMU's TCG in a library).

Every class of scalar FP and Advanced SIMD instruction the CPU implements (ARMv8.0 with
the Crypto extension), in the spellings GNU as accepts, with registers and immediates
from a seeded generator, each run from several seeded initial states: x0-x30 and NZCV as
gen_cpu.py, V0-V31, FPCR (every rounding mode, FZ, DN, AHP) and FPSR from
state.fp_state (mirrored by test/support/state.ts). Records what changed: X and V
registers, NZCV, FPSR, FPCR, PC, SP, memory. Then random words of the SIMD&FP
data-processing space, executed or UNDEFINED ("u") as in Unicorn. Writes test/vectors/fp.json.
Needs python3-unicorn and binutils-aarch64-linux-gnu (run with /usr/bin/python3).

Where Unicorn disagrees with the ARM ARM, the ARM ARM wins; so far none was found (each vector is
Unicorn's result as is): the CPU's FP rules are written from the ARM ARM pseudocode (soc/cpu/fp.ts)
independently of QEMU's softfloat, and the two agree on every vector. FPCR keeps Stride and Len
(bits 21:20, 18:16), as Unicorn does and the ARM ARM describes for AArch32 context switching.
"""
import json, os, subprocess, sys, tempfile, random, struct

sys.path.insert(0, os.path.dirname(__file__))
from state import initial_state, fp_state, memory_pattern, MASK

from unicorn import Uc, UcError, UC_ARCH_ARM64, UC_MODE_ARM
from unicorn.arm64_const import *

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CODE = 0x1000
MEM = 0x10000
MEM_SIZE = 0x2000
BASE = MEM + 0x1000      # x20 for memory forms
SP = MEM + 0x1800
RANDOM_WORDS = 20000

XREGS = [UC_ARM64_REG_X0 + i for i in range(29)] + [UC_ARM64_REG_X29, UC_ARM64_REG_X30]
QREGS = [UC_ARM64_REG_Q0 + i for i in range(32)]

ARR_B = ["8b", "16b"]
ARR_BHS = ["8b", "16b", "4h", "8h", "2s", "4s"]
ARR_ALL = ARR_BHS + ["2d"]
ARR_HS = ["4h", "8h", "2s", "4s"]
ARR_F = ["2s", "4s", "2d"]


def forms(seed):
    """Yields (text, kind, states): kind 'dp' or 'mem' (x20 base, x21 index)."""
    rnd = random.Random(seed)
    out = []

    def v():
        return rnd.randrange(32)

    def add(t, kind="dp", states=4):
        out.append((t, kind, 2 * states))

    def each(n, f):
        for _ in range(n):
            f()

    def fpimm_text(imm8):
        sign = -1 if imm8 & 0x80 else 1
        b6 = (imm8 >> 6) & 1
        # value = (-1)^s * (16 + imm8<3:0>) / 16 * 2^(n) with n = UInt(NOT(b6):imm8<5:4>) - 3
        n = ((b6 ^ 1) << 2 | ((imm8 >> 4) & 3)) - 3
        val = sign * (16 + (imm8 & 15)) / 16 * (2.0 ** n)
        return repr(val)

    # ---- scalar FP ----
    for t in "sd":
        for op in ["fadd", "fsub", "fmul", "fdiv", "fmax", "fmin", "fmaxnm", "fminnm", "fnmul"]:
            each(10, lambda: add(f"{op} {t}{v()}, {t}{v()}, {t}{v()}", states=6))
        for op in ["fmadd", "fmsub", "fnmadd", "fnmsub"]:
            each(10, lambda: add(f"{op} {t}{v()}, {t}{v()}, {t}{v()}, {t}{v()}", states=6))
        for op in ["fabs", "fneg", "fsqrt", "fmov", "frintn", "frintp", "frintm", "frintz", "frinta", "frintx", "frinti"]:
            each(8, lambda: add(f"{op} {t}{v()}, {t}{v()}", states=6))
        for op in ["fcmp", "fcmpe"]:
            each(8, lambda: add(f"{op} {t}{v()}, {t}{v()}", states=6))
            each(3, lambda: add(f"{op} {t}{v()}, #0.0", states=6))
        for op in ["fccmp", "fccmpe"]:
            each(6, lambda: add(f"{op} {t}{v()}, {t}{v()}, #{rnd.randrange(16)}, {rnd.choice(['eq','ne','ge','lt','hi','ls','al','vs'])}", states=6))
        each(6, lambda: add(f"fcsel {t}{v()}, {t}{v()}, {t}{v()}, {rnd.choice(['eq','ne','ge','lt','hi','ls','mi','vc'])}"))
        each(8, lambda: add(f"fmov {t}{v()}, #{fpimm_text(rnd.randrange(256))}", states=1))
        for w in "wx":
            for op in ["fcvtns", "fcvtnu", "fcvtps", "fcvtpu", "fcvtms", "fcvtmu", "fcvtzs", "fcvtzu", "fcvtas", "fcvtau"]:
                each(6, lambda: add(f"{op} {w}{rnd.randrange(31)}, {t}{v()}", states=6))
            for op in ["scvtf", "ucvtf"]:
                each(6, lambda: add(f"{op} {t}{v()}, {w}{rnd.randrange(31)}", states=6))
            lim = 32 if w == "w" else 64
            for op in ["fcvtzs", "fcvtzu"]:
                each(6, lambda: add(f"{op} {w}{rnd.randrange(31)}, {t}{v()}, #{rnd.choice([1, lim, rnd.randint(1, lim)])}", states=6))
            for op in ["scvtf", "ucvtf"]:
                each(6, lambda: add(f"{op} {t}{v()}, {w}{rnd.randrange(31)}, #{rnd.choice([1, lim, rnd.randint(1, lim)])}", states=6))
    for a, b in [("s", "d"), ("d", "s"), ("s", "h"), ("h", "s"), ("d", "h"), ("h", "d")]:
        each(12, lambda: add(f"fcvt {a}{v()}, {b}{v()}", states=6))
    each(6, lambda: add(f"fmov w{rnd.randrange(31)}, s{v()}"))
    each(6, lambda: add(f"fmov s{v()}, w{rnd.randrange(31)}"))
    each(6, lambda: add(f"fmov x{rnd.randrange(31)}, d{v()}"))
    each(6, lambda: add(f"fmov d{v()}, x{rnd.randrange(31)}"))
    each(6, lambda: add(f"fmov x{rnd.randrange(31)}, v{v()}.d[1]"))
    each(6, lambda: add(f"fmov v{v()}.d[1], x{rnd.randrange(31)}"))
    for r in ["fpcr", "fpsr"]:
        each(6, lambda: add(f"msr {r}, x{rnd.randrange(31)}"))
        each(3, lambda: add(f"mrs x{rnd.randrange(31)}, {r}"))

    # ---- loads and stores ----
    def m(t): add(t, "mem", 3)
    for sz, sc in [("b", 1), ("h", 2), ("s", 4), ("d", 8), ("q", 16)]:
        for op in ["ldr", "str"]:
            each(4, lambda: m(f"{op} {sz}{v()}, [x20, #{rnd.randrange(0, 64) * sc}]"))
            each(3, lambda: m(f"{op} {sz}{v()}, [x20, #{rnd.randint(-256, 255)}]!"))
            each(3, lambda: m(f"{op} {sz}{v()}, [x20], #{rnd.randint(-256, 255)}"))
            each(3, lambda: m(f"{op} {sz}{v()}, [x20, x21{rnd.choice(['', ', lsl #%d' % (sc.bit_length() - 1)])}]"))
            each(2, lambda: m(f"{op} {sz}{v()}, [x20, w21, sxtw]"))
        for op in ["ldur", "stur"]:
            each(3, lambda: m(f"{op} {sz}{v()}, [x20, #{rnd.randint(-256, 255)}]"))
    for sz, sc in [("s", 4), ("d", 8), ("q", 16)]:
        def pair():  # Rt == Rt2 in a load pair is CONSTRAINED UNPREDICTABLE
            a = v()
            return f"{sz}{a}, {sz}{(a + 1 + rnd.randrange(31)) % 32}"
        for op in ["ldp", "stp", "ldnp", "stnp"]:
            each(3, lambda: m(f"{op} {pair()}, [x20, #{rnd.randint(-64, 63) * sc}]"))
        for op in ["ldp", "stp"]:
            each(3, lambda: m(f"{op} {pair()}, [x20, #{rnd.randint(-64, 63) * sc}]!"))
            each(3, lambda: m(f"{op} {pair()}, [x20], #{rnd.randint(-64, 63) * sc}"))
        each(3, lambda: m(f"ldr {sz}{v()}, .+{rnd.randint(-256, 256) * 4}"))
    def reglist(n, arr):
        f = v()
        return "{" + ", ".join(f"v{(f + i) % 32}.{arr}" for i in range(n)) + "}"
    for n in range(1, 5):
        for op in [f"ld1", f"st1"] + ([f"ld{n}", f"st{n}"] if n > 1 else []):
            opn = op if op[-1] != "1" else op
            cnt = n
            for arr in ARR_ALL + ["1d"]:
                if arr == "1d" and op[-1] != "1":
                    continue
                each(1, lambda: m(f"{op} {reglist(cnt, arr)}, [x20]"))
                each(1, lambda: m(f"{op} {reglist(cnt, arr)}, [x20], #{cnt * (16 if arr in ('16b','8h','4s','2d') else 8)}"))
                each(1, lambda: m(f"{op} {reglist(cnt, arr)}, [x20], x21"))
        for el, lanes in [("b", 16), ("h", 8), ("s", 4), ("d", 2)]:
            for op in [f"ld{n}", f"st{n}"]:
                def one():
                    f = v()
                    regs = "{" + ", ".join(f"v{(f + i) % 32}.{el}" for i in range(n)) + "}"
                    m(f"{op} {regs}[{rnd.randrange(lanes)}], [x20]")
                    m(f"{op} {regs}[{rnd.randrange(lanes)}], [x20], #{n * {'b': 1, 'h': 2, 's': 4, 'd': 8}[el]}")
                    m(f"{op} {regs}[{rnd.randrange(lanes)}], [x20], x21")
                each(2, one)
            for arr in ARR_ALL + ["1d"]:
                each(1, lambda: m(f"ld{n}r {reglist(n, arr)}, [x20]"))
                each(1, lambda: m(f"ld{n}r {reglist(n, arr)}, [x20], x21"))

    # ---- Advanced SIMD integer ----
    three_same = {
        "shadd": ARR_BHS, "uhadd": ARR_BHS, "srhadd": ARR_BHS, "urhadd": ARR_BHS, "shsub": ARR_BHS, "uhsub": ARR_BHS,
        "sqadd": ARR_ALL, "uqadd": ARR_ALL, "sqsub": ARR_ALL, "uqsub": ARR_ALL,
        "cmgt": ARR_ALL, "cmhi": ARR_ALL, "cmge": ARR_ALL, "cmhs": ARR_ALL, "cmeq": ARR_ALL, "cmtst": ARR_ALL,
        "sshl": ARR_ALL, "ushl": ARR_ALL, "sqshl": ARR_ALL, "uqshl": ARR_ALL, "srshl": ARR_ALL, "urshl": ARR_ALL,
        "sqrshl": ARR_ALL, "uqrshl": ARR_ALL,
        "smax": ARR_BHS, "umax": ARR_BHS, "smin": ARR_BHS, "umin": ARR_BHS, "sabd": ARR_BHS, "uabd": ARR_BHS,
        "saba": ARR_BHS, "uaba": ARR_BHS, "add": ARR_ALL, "sub": ARR_ALL, "mla": ARR_BHS, "mls": ARR_BHS,
        "mul": ARR_BHS, "pmul": ARR_B, "smaxp": ARR_BHS, "umaxp": ARR_BHS, "sminp": ARR_BHS, "uminp": ARR_BHS,
        "sqdmulh": ARR_HS, "sqrdmulh": ARR_HS, "addp": ARR_ALL,
        "and": ARR_B, "bic": ARR_B, "orr": ARR_B, "orn": ARR_B, "eor": ARR_B, "bsl": ARR_B, "bit": ARR_B, "bif": ARR_B,
    }
    for op, arrs in three_same.items():
        for arr in arrs:
            each(3, lambda: add(f"{op} v{v()}.{arr}, v{v()}.{arr}, v{v()}.{arr}", states=3))
    for op in ["sqadd", "uqadd", "sqsub", "uqsub", "sqshl", "uqshl", "sqrshl", "uqrshl"]:
        for t in "bhsd":
            each(2, lambda: add(f"{op} {t}{v()}, {t}{v()}, {t}{v()}", states=3))
    for op in ["cmgt", "cmhi", "cmge", "cmhs", "cmeq", "cmtst", "sshl", "ushl", "srshl", "urshl", "add", "sub"]:
        each(3, lambda: add(f"{op} d{v()}, d{v()}, d{v()}", states=3))
    for op in ["sqdmulh", "sqrdmulh"]:
        for t in "hs":
            each(3, lambda: add(f"{op} {t}{v()}, {t}{v()}, {t}{v()}", states=3))
    # three different
    longs = {"saddl": "bhs", "uaddl": "bhs", "ssubl": "bhs", "usubl": "bhs", "sabal": "bhs", "uabal": "bhs",
             "sabdl": "bhs", "uabdl": "bhs", "smlal": "bhs", "umlal": "bhs", "smlsl": "bhs", "umlsl": "bhs",
             "smull": "bhs", "umull": "bhs", "sqdmlal": "hs", "sqdmlsl": "hs", "sqdmull": "hs", "pmull": "b"}
    nar = {"b": ("8b", "16b", "8h"), "h": ("4h", "8h", "4s"), "s": ("2s", "4s", "2d")}
    for op, sizes in longs.items():
        for s in sizes:
            lo, hi, wide = nar[s]
            each(3, lambda: add(f"{op} v{v()}.{wide}, v{v()}.{lo}, v{v()}.{lo}", states=3))
            each(3, lambda: add(f"{op}2 v{v()}.{wide}, v{v()}.{hi}, v{v()}.{hi}", states=3))
    for op in ["saddw", "uaddw", "ssubw", "usubw"]:
        for s in "bhs":
            lo, hi, wide = nar[s]
            each(2, lambda: add(f"{op} v{v()}.{wide}, v{v()}.{wide}, v{v()}.{lo}", states=3))
            each(2, lambda: add(f"{op}2 v{v()}.{wide}, v{v()}.{wide}, v{v()}.{hi}", states=3))
    for op in ["addhn", "raddhn", "subhn", "rsubhn"]:
        for s in "bhs":
            lo, hi, wide = nar[s]
            each(2, lambda: add(f"{op} v{v()}.{lo}, v{v()}.{wide}, v{v()}.{wide}", states=3))
            each(2, lambda: add(f"{op}2 v{v()}.{hi}, v{v()}.{wide}, v{v()}.{wide}", states=3))
    for op in ["sqdmlal", "sqdmlsl", "sqdmull"]:
        for a, b in [("s", "h"), ("d", "s")]:
            each(3, lambda: add(f"{op} {a}{v()}, {b}{v()}, {b}{v()}", states=3))
    each(6, lambda: add(f"pmull v{v()}.1q, v{v()}.1d, v{v()}.1d", states=3))
    each(6, lambda: add(f"pmull2 v{v()}.1q, v{v()}.2d, v{v()}.2d", states=3))
    # two-register misc
    misc = {"rev64": ARR_BHS, "rev16": ARR_B, "rev32": ["8b", "16b", "4h", "8h"], "saddlp": ARR_BHS, "uaddlp": ARR_BHS,
            "sadalp": ARR_BHS, "uadalp": ARR_BHS, "suqadd": ARR_ALL, "usqadd": ARR_ALL, "cls": ARR_BHS, "clz": ARR_BHS,
            "cnt": ARR_B, "not": ARR_B, "rbit": ARR_B, "sqabs": ARR_ALL, "sqneg": ARR_ALL, "abs": ARR_ALL, "neg": ARR_ALL}
    for op, arrs in misc.items():
        for arr in arrs:
            if op in ("saddlp", "uaddlp", "sadalp", "uadalp"):
                wide = {"8b": "4h", "16b": "8h", "4h": "2s", "8h": "4s", "2s": "1d", "4s": "2d"}[arr]
                each(2, lambda: add(f"{op} v{v()}.{wide}, v{v()}.{arr}", states=3))
            else:
                each(2, lambda: add(f"{op} v{v()}.{arr}, v{v()}.{arr}", states=3))
    for op in ["cmgt", "cmeq", "cmlt", "cmge", "cmle"]:
        for arr in ARR_ALL:
            each(2, lambda: add(f"{op} v{v()}.{arr}, v{v()}.{arr}, #0", states=3))
        each(2, lambda: add(f"{op} d{v()}, d{v()}, #0", states=3))
    for op in ["abs", "neg"]:
        each(3, lambda: add(f"{op} d{v()}, d{v()}", states=3))
    for op in ["sqabs", "sqneg", "suqadd", "usqadd"]:
        for t in "bhsd":
            each(2, lambda: add(f"{op} {t}{v()}, {t}{v()}", states=3))
    for op in ["xtn", "sqxtn", "uqxtn", "sqxtun"]:
        for s in "bhs":
            lo, hi, wide = nar[s]
            each(2, lambda: add(f"{op} v{v()}.{lo}, v{v()}.{wide}", states=3))
            each(2, lambda: add(f"{op}2 v{v()}.{hi}, v{v()}.{wide}", states=3))
    for op in ["sqxtn", "uqxtn", "sqxtun"]:
        for a, b in [("b", "h"), ("h", "s"), ("s", "d")]:
            each(2, lambda: add(f"{op} {a}{v()}, {b}{v()}", states=3))
    for s, sh in [("b", 8), ("h", 16), ("s", 32)]:
        lo, hi, wide = nar[s]
        each(2, lambda: add(f"shll v{v()}.{wide}, v{v()}.{lo}, #{sh}", states=3))
        each(2, lambda: add(f"shll2 v{v()}.{wide}, v{v()}.{hi}, #{sh}", states=3))
    # across lanes
    for op in ["addv", "smaxv", "umaxv", "sminv", "uminv"]:
        for arr in ["8b", "16b", "4h", "8h", "4s"]:
            t = {"8b": "b", "16b": "b", "4h": "h", "8h": "h", "4s": "s"}[arr]
            each(2, lambda: add(f"{op} {t}{v()}, v{v()}.{arr}", states=3))
    for op in ["saddlv", "uaddlv"]:
        for arr in ["8b", "16b", "4h", "8h", "4s"]:
            t = {"8b": "h", "16b": "h", "4h": "s", "8h": "s", "4s": "d"}[arr]
            each(2, lambda: add(f"{op} {t}{v()}, v{v()}.{arr}", states=3))
    for op in ["fmaxv", "fminv", "fmaxnmv", "fminnmv"]:
        each(8, lambda: add(f"{op} s{v()}, v{v()}.4s", states=5))
    each(4, lambda: add(f"addp d{v()}, v{v()}.2d", states=3))
    for op in ["faddp", "fmaxp", "fminp", "fmaxnmp", "fminnmp"]:
        each(4, lambda: add(f"{op} s{v()}, v{v()}.2s", states=5))
        each(4, lambda: add(f"{op} d{v()}, v{v()}.2d", states=5))
    # copy
    for el, lanes, arrs in [("b", 16, ["8b", "16b"]), ("h", 8, ["4h", "8h"]), ("s", 4, ["2s", "4s"]), ("d", 2, ["2d"])]:
        for arr in arrs:
            each(2, lambda: add(f"dup v{v()}.{arr}, v{v()}.{el}[{rnd.randrange(lanes)}]", states=2))
            each(2, lambda: add(f"dup v{v()}.{arr}, {'x' if el == 'd' else 'w'}{rnd.randrange(31)}", states=2))
        each(3, lambda: add(f"ins v{v()}.{el}[{rnd.randrange(lanes)}], v{v()}.{el}[{rnd.randrange(lanes)}]", states=2))
        each(3, lambda: add(f"ins v{v()}.{el}[{rnd.randrange(lanes)}], {'x' if el == 'd' else 'w'}{rnd.randrange(31)}", states=2))
        each(3, lambda: add(f"umov {'x' if el == 'd' else 'w'}{rnd.randrange(31)}, v{v()}.{el}[{rnd.randrange(lanes)}]", states=2))
        each(2, lambda: add(f"dup {el}{v()}, v{v()}.{el}[{rnd.randrange(lanes)}]", states=2))
        if el != "d":
            each(2, lambda: add(f"smov x{rnd.randrange(31)}, v{v()}.{el}[{rnd.randrange(lanes)}]", states=2))
            if el != "s":
                each(2, lambda: add(f"smov w{rnd.randrange(31)}, v{v()}.{el}[{rnd.randrange(lanes)}]", states=2))
    # permutes, extract, tables
    for op in ["zip1", "zip2", "uzp1", "uzp2", "trn1", "trn2"]:
        for arr in ARR_ALL:
            each(2, lambda: add(f"{op} v{v()}.{arr}, v{v()}.{arr}, v{v()}.{arr}", states=2))
    each(4, lambda: add(f"ext v{v()}.8b, v{v()}.8b, v{v()}.8b, #{rnd.randrange(8)}", states=2))
    each(6, lambda: add(f"ext v{v()}.16b, v{v()}.16b, v{v()}.16b, #{rnd.randrange(16)}", states=2))
    for op in ["tbl", "tbx"]:
        for n in range(1, 5):
            for arr in ARR_B:
                each(3, lambda: add(f"{op} v{v()}.{arr}, {reglist(n, '16b')}, v{v()}.{arr}", states=3))
    # modified immediate
    for arr in ["8b", "16b"]:
        each(3, lambda: add(f"movi v{v()}.{arr}, #{rnd.randrange(256)}", states=1))
    for arr in ["4h", "8h"]:
        for op in ["movi", "mvni", "orr", "bic"]:
            each(2, lambda: add(f"{op} v{v()}.{arr}, #{rnd.randrange(256)}, lsl #{rnd.choice([0, 8])}", states=2))
    for arr in ["2s", "4s"]:
        for op in ["movi", "mvni", "orr", "bic"]:
            each(2, lambda: add(f"{op} v{v()}.{arr}, #{rnd.randrange(256)}, lsl #{rnd.choice([0, 8, 16, 24])}", states=2))
        for op in ["movi", "mvni"]:
            each(2, lambda: add(f"{op} v{v()}.{arr}, #{rnd.randrange(256)}, msl #{rnd.choice([8, 16])}", states=1))
        each(2, lambda: add(f"fmov v{v()}.{arr}, #{fpimm_text(rnd.randrange(256))}", states=1))
    def bytemask():
        return "0x" + "".join(rnd.choice(["00", "ff"]) for _ in range(8))
    each(3, lambda: add(f"movi d{v()}, #{bytemask()}", states=1))
    each(3, lambda: add(f"movi v{v()}.2d, #{bytemask()}", states=1))
    each(2, lambda: add(f"fmov v{v()}.2d, #{fpimm_text(rnd.randrange(256))}", states=1))
    # shift by immediate
    bits = {"8b": 8, "16b": 8, "4h": 16, "8h": 16, "2s": 32, "4s": 32, "2d": 64}
    for op in ["sshr", "ushr", "ssra", "usra", "srshr", "urshr", "srsra", "ursra", "sri"]:
        for arr in ARR_ALL:
            each(2, lambda: add(f"{op} v{v()}.{arr}, v{v()}.{arr}, #{rnd.choice([1, bits[arr], rnd.randint(1, bits[arr])])}", states=3))
        each(2, lambda: add(f"{op} d{v()}, d{v()}, #{rnd.choice([1, 64, rnd.randint(1, 64)])}", states=3))
    for op in ["shl", "sli", "sqshl", "uqshl", "sqshlu"]:
        for arr in ARR_ALL:
            each(2, lambda: add(f"{op} v{v()}.{arr}, v{v()}.{arr}, #{rnd.choice([0, bits[arr] - 1, rnd.randint(0, bits[arr] - 1)])}", states=3))
        each(2, lambda: add(f"{op} d{v()}, d{v()}, #{rnd.randint(0, 63)}", states=3))
    for op in ["sqshl", "uqshl", "sqshlu"]:
        for t, b in [("b", 8), ("h", 16), ("s", 32)]:
            each(2, lambda: add(f"{op} {t}{v()}, {t}{v()}, #{rnd.randint(0, b - 1)}", states=3))
    for op in ["shrn", "rshrn", "sqshrn", "sqrshrn", "uqshrn", "uqrshrn", "sqshrun", "sqrshrun"]:
        for s in "bhs":
            lo, hi, wide = nar[s]
            b = bits[lo]
            each(2, lambda: add(f"{op} v{v()}.{lo}, v{v()}.{wide}, #{rnd.randint(1, b)}", states=3))
            each(2, lambda: add(f"{op}2 v{v()}.{hi}, v{v()}.{wide}, #{rnd.randint(1, b)}", states=3))
    for op in ["sqshrn", "sqrshrn", "uqshrn", "uqrshrn", "sqshrun", "sqrshrun"]:
        for a, b, n in [("b", "h", 8), ("h", "s", 16), ("s", "d", 32)]:
            each(2, lambda: add(f"{op} {a}{v()}, {b}{v()}, #{rnd.randint(1, n)}", states=3))
    for op in ["sshll", "ushll"]:
        for s in "bhs":
            lo, hi, wide = nar[s]
            b = bits[lo]
            each(2, lambda: add(f"{op} v{v()}.{wide}, v{v()}.{lo}, #{rnd.randint(0, b - 1)}", states=2))
            each(2, lambda: add(f"{op}2 v{v()}.{wide}, v{v()}.{hi}, #{rnd.randint(0, b - 1)}", states=2))
    for op in ["sxtl", "uxtl"]:
        for s in "bhs":
            lo, hi, wide = nar[s]
            each(2, lambda: add(f"{op} v{v()}.{wide}, v{v()}.{lo}", states=2))
            each(2, lambda: add(f"{op}2 v{v()}.{wide}, v{v()}.{hi}", states=2))
    # by element
    for op in ["mul", "mla", "mls", "sqdmulh", "sqrdmulh"]:
        for arr, el, lanes, rmax in [("4h", "h", 8, 16), ("8h", "h", 8, 16), ("2s", "s", 4, 32), ("4s", "s", 4, 32)]:
            each(2, lambda: add(f"{op} v{v()}.{arr}, v{v()}.{arr}, v{rnd.randrange(rmax)}.{el}[{rnd.randrange(lanes)}]", states=3))
    for op in ["smull", "umull", "smlal", "umlal", "smlsl", "umlsl", "sqdmull", "sqdmlal", "sqdmlsl"]:
        for s, el, lanes, rmax in [("h", "h", 8, 16), ("s", "s", 4, 32)]:
            lo, hi, wide = nar[s]
            each(2, lambda: add(f"{op} v{v()}.{wide}, v{v()}.{lo}, v{rnd.randrange(rmax)}.{el}[{rnd.randrange(lanes)}]", states=3))
            each(2, lambda: add(f"{op}2 v{v()}.{wide}, v{v()}.{hi}, v{rnd.randrange(rmax)}.{el}[{rnd.randrange(lanes)}]", states=3))
    for op in ["sqdmulh", "sqrdmulh", "sqdmull", "sqdmlal", "sqdmlsl"]:
        for t, el, lanes, rmax in [("h", "h", 8, 16), ("s", "s", 4, 32)]:
            d = t if op in ("sqdmulh", "sqrdmulh") else {"h": "s", "s": "d"}[t]
            each(2, lambda: add(f"{op} {d}{v()}, {t}{v()}, v{rnd.randrange(rmax)}.{el}[{rnd.randrange(lanes)}]", states=3))

    # ---- Advanced SIMD floating point ----
    for op in ["fadd", "fsub", "fmul", "fdiv", "fmax", "fmin", "fmaxnm", "fminnm", "fmla", "fmls", "fmulx", "fabd",
               "frecps", "frsqrts", "fcmeq", "fcmge", "fcmgt", "facge", "facgt", "faddp", "fmaxp", "fminp", "fmaxnmp", "fminnmp"]:
        for arr in ARR_F:
            each(3, lambda: add(f"{op} v{v()}.{arr}, v{v()}.{arr}, v{v()}.{arr}", states=5))
    for op in ["fmulx", "fabd", "frecps", "frsqrts", "fcmeq", "fcmge", "fcmgt", "facge", "facgt"]:
        for t in "sd":
            each(3, lambda: add(f"{op} {t}{v()}, {t}{v()}, {t}{v()}", states=5))
    for op in ["fabs", "fneg", "fsqrt", "frintn", "frintp", "frintm", "frintz", "frinta", "frintx", "frinti",
               "fcvtns", "fcvtnu", "fcvtps", "fcvtpu", "fcvtms", "fcvtmu", "fcvtzs", "fcvtzu", "fcvtas", "fcvtau",
               "scvtf", "ucvtf", "frecpe", "frsqrte"]:
        for arr in ARR_F:
            each(2, lambda: add(f"{op} v{v()}.{arr}, v{v()}.{arr}", states=5))
    for op in ["fcvtns", "fcvtnu", "fcvtps", "fcvtpu", "fcvtms", "fcvtmu", "fcvtzs", "fcvtzu", "fcvtas", "fcvtau",
               "scvtf", "ucvtf", "frecpe", "frsqrte", "frecpx"]:
        for t in "sd":
            each(2, lambda: add(f"{op} {t}{v()}, {t}{v()}", states=5))
    for op in ["fcmeq", "fcmge", "fcmgt", "fcmle", "fcmlt"]:
        for arr in ARR_F:
            each(2, lambda: add(f"{op} v{v()}.{arr}, v{v()}.{arr}, #0.0", states=5))
        for t in "sd":
            each(2, lambda: add(f"{op} {t}{v()}, {t}{v()}, #0.0", states=5))
    for op in ["urecpe", "ursqrte"]:
        for arr in ["2s", "4s"]:
            each(3, lambda: add(f"{op} v{v()}.{arr}, v{v()}.{arr}", states=3))
    for op in ["fcvtzs", "fcvtzu", "scvtf", "ucvtf"]:
        for arr in ARR_F:
            b = 64 if arr == "2d" else 32
            each(2, lambda: add(f"{op} v{v()}.{arr}, v{v()}.{arr}, #{rnd.randint(1, b)}", states=5))
        for t, b in [("s", 32), ("d", 64)]:
            each(2, lambda: add(f"{op} {t}{v()}, {t}{v()}, #{rnd.randint(1, b)}", states=5))
    each(4, lambda: add(f"fcvtl v{v()}.4s, v{v()}.4h", states=5))
    each(4, lambda: add(f"fcvtl2 v{v()}.4s, v{v()}.8h", states=5))
    each(4, lambda: add(f"fcvtl v{v()}.2d, v{v()}.2s", states=5))
    each(4, lambda: add(f"fcvtl2 v{v()}.2d, v{v()}.4s", states=5))
    each(4, lambda: add(f"fcvtn v{v()}.4h, v{v()}.4s", states=5))
    each(4, lambda: add(f"fcvtn2 v{v()}.8h, v{v()}.4s", states=5))
    each(4, lambda: add(f"fcvtn v{v()}.2s, v{v()}.2d", states=5))
    each(4, lambda: add(f"fcvtn2 v{v()}.4s, v{v()}.2d", states=5))
    each(4, lambda: add(f"fcvtxn v{v()}.2s, v{v()}.2d", states=5))
    each(4, lambda: add(f"fcvtxn2 v{v()}.4s, v{v()}.2d", states=5))
    each(4, lambda: add(f"fcvtxn s{v()}, d{v()}", states=5))
    for op in ["fmul", "fmla", "fmls", "fmulx"]:
        for arr, el, lanes in [("2s", "s", 4), ("4s", "s", 4), ("2d", "d", 2)]:
            each(3, lambda: add(f"{op} v{v()}.{arr}, v{v()}.{arr}, v{v()}.{el}[{rnd.randrange(lanes)}]", states=5))
        for t, lanes in [("s", 4), ("d", 2)]:
            each(3, lambda: add(f"{op} {t}{v()}, {t}{v()}, v{v()}.{t}[{rnd.randrange(lanes)}]", states=5))

    # ---- Crypto ----
    for op in ["aese", "aesd"]:
        each(10, lambda: add(f"{op} v{v()}.16b, v{v()}.16b", states=3))
    for op in ["aesmc", "aesimc"]:
        each(10, lambda: add(f"{op} v{v()}.16b, v{v()}.16b", states=3))
    for op in ["sha1c", "sha1p", "sha1m"]:
        each(10, lambda: add(f"{op} q{v()}, s{v()}, v{v()}.4s", states=3))
    each(10, lambda: add(f"sha1h s{v()}, s{v()}", states=3))
    each(10, lambda: add(f"sha1su0 v{v()}.4s, v{v()}.4s, v{v()}.4s", states=3))
    each(10, lambda: add(f"sha1su1 v{v()}.4s, v{v()}.4s", states=3))
    for op in ["sha256h", "sha256h2"]:
        each(10, lambda: add(f"{op} q{v()}, q{v()}, v{v()}.4s", states=3))
    each(10, lambda: add(f"sha256su0 v{v()}.4s, v{v()}.4s", states=3))
    each(10, lambda: add(f"sha256su1 v{v()}.4s, v{v()}.4s, v{v()}.4s", states=3))
    return out


def assemble(lines):
    src = ".text\n" + "\n".join(lines) + "\ntarget: nop\n"
    with tempfile.TemporaryDirectory() as d:
        open(f"{d}/f.S", "w").write(src)
        subprocess.run(["aarch64-linux-gnu-as", "-march=armv8-a+crypto+crc", f"{d}/f.S", "-o", f"{d}/f.o"], check=True)
        subprocess.run(["aarch64-linux-gnu-objcopy", "-O", "binary", "-j", ".text", f"{d}/f.o", f"{d}/f.bin"], check=True)
        data = open(f"{d}/f.bin", "rb").read()
    return [int.from_bytes(data[i * 4:i * 4 + 4], "little") for i in range(len(lines))]


class Runner:
    def __init__(self):
        self.uc = Uc(UC_ARCH_ARM64, UC_MODE_ARM)
        self.uc.mem_map(0, 0x4000)
        self.uc.mem_map(MEM, MEM_SIZE)
        self.pattern = memory_pattern(MEM_SIZE)

    def run(self, word, at, regs, nzcv, vregs, fpcr, fpsr):
        uc = self.uc
        uc.mem_write(at, word.to_bytes(4, "little"))
        uc.ctl_remove_cache(at, at + 4)
        uc.mem_write(MEM, self.pattern)
        for i, r in enumerate(XREGS):
            uc.reg_write(r, regs[i])
        for i, r in enumerate(QREGS):
            uc.reg_write(r, vregs[i])
        uc.reg_write(UC_ARM64_REG_SP, SP)
        uc.reg_write(UC_ARM64_REG_NZCV, nzcv)
        uc.reg_write(UC_ARM64_REG_FPCR, fpcr)
        uc.reg_write(UC_ARM64_REG_FPSR, fpsr)
        uc.emu_start(at, 0, count=1)
        return {"x": [uc.reg_read(r) for r in XREGS], "v": [uc.reg_read(r) for r in QREGS],
                "sp": uc.reg_read(UC_ARM64_REG_SP), "nzcv": uc.reg_read(UC_ARM64_REG_NZCV) & 0xF0000000,
                "pc": uc.reg_read(UC_ARM64_REG_PC), "fpcr": uc.reg_read(UC_ARM64_REG_FPCR),
                "fpsr": uc.reg_read(UC_ARM64_REG_FPSR), "mem": bytes(uc.mem_read(MEM, MEM_SIZE))}


def main():
    items = forms(seed=17)
    words = assemble([t for t, _, _ in items])
    runner = Runner()
    pattern = runner.pattern
    vectors = []
    rnd = random.Random(11)
    for (text, kind, states), word in zip(items, words):
        for k in range(states):
            seed = rnd.getrandbits(63)
            regs, nzcv = initial_state(seed)
            vregs, fpcr, fpsr = fp_state(seed)
            fixed = {}
            if kind == "mem":
                fixed["x20"] = BASE
                fixed["x21"] = (rnd.randint(-64, 64)) & MASK
            for name, val in fixed.items():
                regs[int(name[1:])] = val
            try:
                out = runner.run(word, CODE, regs, nzcv, vregs, fpcr, fpsr)
            except UcError:
                continue
            vec = {"t": text, "w": f"{word:08x}", "s": str(seed), "f": fixed,
                   "x": {f"x{i}": f"{val:x}" for i, val in enumerate(out["x"]) if val != regs[i]},
                   "v": {f"v{i}": f"{val:x}" for i, val in enumerate(out["v"]) if val != vregs[i]},
                   "n": out["nzcv"] >> 28, "pc": f"{out['pc']:x}", "fpsr": out["fpsr"]}
            vec["f"] = {k2: f"{val:x}" for k2, val in fixed.items()}
            if out["fpcr"] != fpcr:
                vec["fpcr"] = out["fpcr"]
            if out["sp"] != SP:
                vec["sp"] = f"{out['sp']:x}"
            diff = [[i, b] for i, (a, b) in enumerate(zip(pattern, out["mem"])) if a != b]
            if diff:
                vec["m"] = diff
            vectors.append(vec)
    # Random words of the SIMD&FP data-processing space (op0 = x111, no memory access): the
    # decode of allocated vs unallocated encodings. "u": Unicorn took an exception (UNDEFINED).
    wr = random.Random(23)
    for _ in range(RANDOM_WORDS):
        word = wr.getrandbits(32) | 0x0E000000
        seed = wr.getrandbits(63)
        regs, nzcv = initial_state(seed)
        vregs, fpcr, fpsr = fp_state(seed)
        try:
            out = runner.run(word, CODE, regs, nzcv, vregs, fpcr, fpsr)
        except UcError:
            vectors.append({"t": "random", "w": f"{word:08x}", "s": str(seed), "u": 1})
            continue
        vec = {"t": "random", "w": f"{word:08x}", "s": str(seed), "f": {},
               "x": {f"x{i}": f"{val:x}" for i, val in enumerate(out["x"]) if val != regs[i]},
               "v": {f"v{i}": f"{val:x}" for i, val in enumerate(out["v"]) if val != vregs[i]},
               "n": out["nzcv"] >> 28, "pc": f"{out['pc']:x}", "fpsr": out["fpsr"]}
        if out["fpcr"] != fpcr:
            vec["fpcr"] = out["fpcr"]
        vectors.append(vec)
    doc = {"generator": "scripts/vectors/gen_fp.py (Unicorn)", "code": CODE, "mem": MEM, "memSize": MEM_SIZE, "sp": SP,
           "vectors": vectors}
    with open(os.path.join(ROOT, "test", "vectors", "fp.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    print(f"{len(vectors)} vectors from {len(items)} instructions")


main()
