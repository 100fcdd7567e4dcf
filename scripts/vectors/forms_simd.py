"""FP, Advanced SIMD and Crypto instruction forms (ARMv8.0 + Crypto, as on the
Cortex-A53) in GNU as syntax, for gen_encodings.py: every class of the ARM ARM
(C4.1.6, C4.1.4) with registers, arrangements, lanes and immediates drawn from
a seeded generator, edge values first."""

import random

ALL = ["8b", "16b", "4h", "8h", "2s", "4s", "2d"]
BHS = ["8b", "16b", "4h", "8h", "2s", "4s"]
HS = ["4h", "8h", "2s", "4s"]
BB = ["8b", "16b"]
FPA = ["2s", "4s", "2d"]
LONG = {"8b": "8h", "16b": "8h", "4h": "4s", "8h": "4s", "2s": "2d", "4s": "2d"}
PAIRL = {"8b": "4h", "16b": "8h", "4h": "2s", "8h": "4s", "2s": "1d", "4s": "2d"}
WIDE = {"b": "h", "h": "s", "s": "d"}
ESIZE = {"b": 8, "h": 16, "s": 32, "d": 64}
LANES = {"b": 16, "h": 8, "s": 4, "d": 2}
CONDS = ["eq", "ne", "cs", "hs", "cc", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"]
FPIMMS = ["1.0", "-1.0", "0.5", "2.0", "31.0", "-31.0", "0.125", "-0.125", "1.5", "3.0", "10.0", "0.1875", "-2.5", "1.9375", "16.0", "4.25"]


def q2(mn, arr):
    return mn + "2" if arr in ("16b", "8h", "4s", "2d") else mn


def simd_forms(seed=5, reps=4):
    rnd = random.Random(seed)
    out = []

    def add(t):
        out.append(t)

    def v(arr=None, hi=32):
        n = rnd.choice([0, 31, rnd.randrange(hi)]) if hi == 32 else rnd.randrange(hi)
        return f"v{n}.{arr}" if arr else f"v{n}"

    def f(size):
        return f"{size}{rnd.choice([0, 31, rnd.randrange(32), rnd.randrange(32)])}"

    def r(w, sp=False):
        n = rnd.randrange(32)
        if n == 31:
            return ("sp" if w == "x" else "wsp") if sp else ("xzr" if w == "x" else "wzr")
        return f"{w}{n}"

    def el(e, hi=32):
        return f"v{rnd.randrange(hi)}.{e}[{rnd.randrange(LANES[e])}]"

    def base():
        return rnd.choice(["x0", "x1", "x17", "x30", "sp", f"x{rnd.randrange(31)}"])

    three_same = [("shadd", BHS, ""), ("sqadd", ALL, "bhsd"), ("srhadd", BHS, ""), ("shsub", BHS, ""), ("sqsub", ALL, "bhsd"),
                  ("cmgt", ALL, "d"), ("cmge", ALL, "d"), ("sshl", ALL, "d"), ("sqshl", ALL, "bhsd"), ("srshl", ALL, "d"),
                  ("sqrshl", ALL, "bhsd"), ("smax", BHS, ""), ("smin", BHS, ""), ("sabd", BHS, ""), ("saba", BHS, ""),
                  ("add", ALL, "d"), ("cmtst", ALL, "d"), ("mla", BHS, ""), ("mul", BHS, ""), ("smaxp", BHS, ""),
                  ("sminp", BHS, ""), ("sqdmulh", HS, "hs"), ("addp", ALL, ""), ("uhadd", BHS, ""), ("uqadd", ALL, "bhsd"),
                  ("urhadd", BHS, ""), ("uhsub", BHS, ""), ("uqsub", ALL, "bhsd"), ("cmhi", ALL, "d"), ("cmhs", ALL, "d"),
                  ("ushl", ALL, "d"), ("uqshl", ALL, "bhsd"), ("urshl", ALL, "d"), ("uqrshl", ALL, "bhsd"), ("umax", BHS, ""),
                  ("umin", BHS, ""), ("uabd", BHS, ""), ("uaba", BHS, ""), ("sub", ALL, "d"), ("cmeq", ALL, "d"),
                  ("mls", BHS, ""), ("pmul", BB, ""), ("umaxp", BHS, ""), ("uminp", BHS, ""), ("sqrdmulh", HS, "hs"),
                  ("and", BB, ""), ("bic", BB, ""), ("orr", BB, ""), ("orn", BB, ""), ("eor", BB, ""), ("bsl", BB, ""),
                  ("bit", BB, ""), ("bif", BB, "")]
    fp_same = [("fmaxnm", False), ("fminnm", False), ("fmla", False), ("fmls", False), ("fadd", False), ("fsub", False),
               ("fmulx", True), ("fcmeq", True), ("fmax", False), ("fmin", False), ("frecps", True), ("frsqrts", True),
               ("fmaxnmp", False), ("fminnmp", False), ("faddp", False), ("fabd", True), ("fmul", False), ("fcmge", True),
               ("fcmgt", True), ("facge", True), ("facgt", True), ("fmaxp", False), ("fminp", False), ("fdiv", False)]
    three_diff = [("saddl", "l", ""), ("saddw", "w", ""), ("ssubl", "l", ""), ("ssubw", "w", ""), ("addhn", "n", ""),
                  ("sabal", "l", ""), ("subhn", "n", ""), ("sabdl", "l", ""), ("smlal", "l", ""), ("sqdmlal", "l", "hs"),
                  ("smlsl", "l", ""), ("sqdmlsl", "l", "hs"), ("smull", "l", ""), ("sqdmull", "l", "hs"),
                  ("uaddl", "l", ""), ("uaddw", "w", ""), ("usubl", "l", ""), ("usubw", "w", ""), ("raddhn", "n", ""),
                  ("uabal", "l", ""), ("rsubhn", "n", ""), ("uabdl", "l", ""), ("umlal", "l", ""), ("umlsl", "l", ""),
                  ("umull", "l", "")]
    two_misc = [("rev64", BHS, "", "same"), ("rev16", BB, "", "same"), ("saddlp", BHS, "", "lp"), ("suqadd", ALL, "bhsd", "same"),
                ("cls", BHS, "", "same"), ("cnt", BB, "", "same"), ("sadalp", BHS, "", "lp"), ("sqabs", ALL, "bhsd", "same"),
                ("cmgt", ALL, "d", "zero"), ("cmeq", ALL, "d", "zero"), ("cmlt", ALL, "d", "zero"), ("abs", ALL, "d", "same"),
                ("xtn", BHS, "", "narrow"), ("sqxtn", BHS, "bhs", "narrow"), ("rev32", ["8b", "16b", "4h", "8h"], "", "same"),
                ("uaddlp", BHS, "", "lp"), ("usqadd", ALL, "bhsd", "same"), ("clz", BHS, "", "same"), ("uadalp", BHS, "", "lp"),
                ("sqneg", ALL, "bhsd", "same"), ("cmge", ALL, "d", "zero"), ("cmle", ALL, "d", "zero"), ("neg", ALL, "d", "same"),
                ("sqxtun", BHS, "bhs", "narrow"), ("shll", BHS, "", "shll"), ("uqxtn", BHS, "bhs", "narrow"),
                ("not", BB, "", "same"), ("mvn", BB, "", "same"), ("rbit", BB, "", "same")]
    fp_misc = [("frintn", False, "same"), ("frintm", False, "same"), ("fcvtns", True, "same"), ("fcvtms", True, "same"),
               ("fcvtas", True, "same"), ("scvtf", True, "same"), ("fcmgt", True, "zero"), ("fcmeq", True, "zero"),
               ("fcmlt", True, "zero"), ("fabs", False, "same"), ("frintp", False, "same"), ("frintz", False, "same"),
               ("fcvtps", True, "same"), ("fcvtzs", True, "same"), ("urecpe", False, "s"), ("frecpe", True, "same"),
               ("frinta", False, "same"), ("frintx", False, "same"), ("fcvtnu", True, "same"), ("fcvtmu", True, "same"),
               ("fcvtau", True, "same"), ("ucvtf", True, "same"), ("fcmge", True, "zero"), ("fcmle", True, "zero"),
               ("fneg", False, "same"), ("frinti", False, "same"), ("fcvtpu", True, "same"), ("fcvtzu", True, "same"),
               ("ursqrte", False, "s"), ("frsqrte", True, "same"), ("fsqrt", False, "same")]
    shifts = [("sshr", "r", "d"), ("ssra", "r", "d"), ("srshr", "r", "d"), ("srsra", "r", "d"), ("shl", "l", "d"),
              ("sqshl", "l", "bhsd"), ("shrn", "n", ""), ("rshrn", "n", ""), ("sqshrn", "n", "bhs"), ("sqrshrn", "n", "bhs"),
              ("sshll", "ll", ""), ("scvtf", "cvt", "sd"), ("fcvtzs", "cvt", "sd"), ("ushr", "r", "d"), ("usra", "r", "d"),
              ("urshr", "r", "d"), ("ursra", "r", "d"), ("sri", "r", "d"), ("sli", "l", "d"), ("sqshlu", "l", "bhsd"),
              ("uqshl", "l", "bhsd"), ("sqshrun", "n", "bhs"), ("sqrshrun", "n", "bhs"), ("uqshrn", "n", "bhs"),
              ("uqrshrn", "n", "bhs"), ("ushll", "ll", ""), ("ucvtf", "cvt", "sd"), ("fcvtzu", "cvt", "sd")]
    by_elem = [("smlal", "long", False), ("sqdmlal", "long", True), ("smlsl", "long", False), ("sqdmlsl", "long", True),
               ("mul", "same", False), ("smull", "long", False), ("sqdmull", "long", True), ("sqdmulh", "same", True),
               ("sqrdmulh", "same", True), ("fmla", "fp", True), ("fmls", "fp", True), ("fmul", "fp", True),
               ("mla", "same", False), ("mls", "same", False), ("umlal", "long", False), ("umlsl", "long", False),
               ("umull", "long", False), ("fmulx", "fp", True)]

    def shift_amount(e, kind):
        es = ESIZE[e]
        if kind in ("r", "n", "cvt"):
            return rnd.choice([1, es, rnd.randint(1, es)])
        return rnd.choice([0, es - 1, rnd.randint(0, es - 1)])

    for _ in range(reps):
        for mn, arrs, scal in three_same:
            for a in arrs:
                add(f"{mn} {v(a)}, {v(a)}, {v(a)}")
            for s in scal:
                add(f"{mn} {f(s)}, {f(s)}, {f(s)}")
        for a in BB:
            x = v(a)
            add(f"mov {v(a)}, {x}")
            add(f"orr {v(a)}, {x}, {x}")
        for mn, scal in fp_same:
            for a in FPA:
                add(f"{mn} {v(a)}, {v(a)}, {v(a)}")
            if scal:
                for s in "sd":
                    add(f"{mn} {f(s)}, {f(s)}, {f(s)}")
        for mn, kind, scal in three_diff:
            for b in (HS if scal else BHS):
                a = LONG[b]
                ops = (a, b, b) if kind == "l" else (a, a, b) if kind == "w" else (b, a, a)
                add(f"{q2(mn, b)} {v(ops[0])}, {v(ops[1])}, {v(ops[2])}")
            for s in scal:
                add(f"{mn} {f(WIDE[s])}, {f(s)}, {f(s)}")
        add(f"pmull {v('8h')}, {v('8b')}, {v('8b')}")
        add(f"pmull2 {v('8h')}, {v('16b')}, {v('16b')}")
        add(f"pmull {v('1q')}, {v('1d')}, {v('1d')}")
        add(f"pmull2 {v('1q')}, {v('2d')}, {v('2d')}")
        for mn, arrs, scal, kind in two_misc:
            for a in arrs:
                if kind == "same":
                    add(f"{mn} {v(a)}, {v(a)}")
                elif kind == "zero":
                    add(f"{mn} {v(a)}, {v(a)}, #0")
                elif kind == "lp":
                    add(f"{mn} {v(PAIRL[a])}, {v(a)}")
                elif kind == "narrow":
                    add(f"{q2(mn, a)} {v(a)}, {v(LONG[a])}")
                else:
                    add(f"{q2(mn, a)} {v(LONG[a])}, {v(a)}, #{ESIZE[a[-1]]}")
            for s in scal:
                if kind == "narrow":
                    add(f"{mn} {f(s)}, {f(WIDE[s])}")
                elif kind == "zero":
                    add(f"{mn} {f(s)}, {f(s)}, #0")
                else:
                    add(f"{mn} {f(s)}, {f(s)}")
        for mn, scal, kind in fp_misc:
            for a in (["2s", "4s"] if kind == "s" else FPA):
                add(f"{mn} {v(a)}, {v(a)}" + (f", #{rnd.choice(['0.0', '0'])}" if kind == "zero" else ""))
            if scal:
                for s in "sd":
                    add(f"{mn} {f(s)}, {f(s)}" + (", #0.0" if kind == "zero" else ""))
        add(f"frecpx {f('s')}, {f('s')}")
        add(f"frecpx {f('d')}, {f('d')}")
        add(f"fcvtn {v('4h')}, {v('4s')}")
        add(f"fcvtn2 {v('8h')}, {v('4s')}")
        add(f"fcvtn {v('2s')}, {v('2d')}")
        add(f"fcvtn2 {v('4s')}, {v('2d')}")
        add(f"fcvtl {v('4s')}, {v('4h')}")
        add(f"fcvtl2 {v('4s')}, {v('8h')}")
        add(f"fcvtl {v('2d')}, {v('2s')}")
        add(f"fcvtl2 {v('2d')}, {v('4s')}")
        add(f"fcvtxn {v('2s')}, {v('2d')}")
        add(f"fcvtxn2 {v('4s')}, {v('2d')}")
        add(f"fcvtxn {f('s')}, {f('d')}")
        for mn, long in [("saddlv", True), ("smaxv", False), ("sminv", False), ("addv", False), ("uaddlv", True), ("umaxv", False), ("uminv", False)]:
            for a in ["8b", "16b", "4h", "8h", "4s"]:
                e = a[-1]
                add(f"{mn} {f(WIDE[e] if long else e)}, {v(a)}")
        for mn in ["fmaxnmv", "fminnmv", "fmaxv", "fminv"]:
            add(f"{mn} {f('s')}, {v('4s')}")
        add(f"addp {f('d')}, {v('2d')}")
        for mn in ["fmaxnmp", "fminnmp", "faddp", "fmaxp", "fminp"]:
            add(f"{mn} {f('s')}, {v('2s')}")
            add(f"{mn} {f('d')}, {v('2d')}")
        # Copy.
        for e in "bhsd":
            for a in [x for x in ALL if x[-1] == e]:
                add(f"dup {v(a)}, {el(e)}")
                add(f"dup {v(a)}, {r('x' if e == 'd' else 'w')}")
            add(f"dup {f(e)}, {el(e)}")
            add(f"mov {f(e)}, {el(e)}")
            add(f"mov {el(e)}, {r('x' if e == 'd' else 'w')}")
            add(f"ins {el(e)}, {r('x' if e == 'd' else 'w')}")
            add(f"mov {el(e)}, {el(e)}")
            add(f"ins {el(e)}, {el(e)}")
            if e != "d":
                add(f"smov x{rnd.randrange(31)}, {el(e)}")
            if e in "bh":
                add(f"smov w{rnd.randrange(31)}, {el(e)}")
            add(f"umov {'x' if e == 'd' else 'w'}{rnd.randrange(31)}, {el(e)}")
            if e in "sd":
                add(f"mov {'x' if e == 'd' else 'w'}{rnd.randrange(31)}, {el(e)}")
        # Modified immediate.
        imm8 = lambda: rnd.choice([0, 0xff, rnd.randrange(256)])
        for a in ["2s", "4s"]:
            for mn in ["movi", "orr", "mvni", "bic"]:
                add(f"{mn} {v(a)}, #{hex(imm8())}, lsl #{rnd.choice([0, 8, 16, 24])}")
                add(f"{mn} {v(a)}, #{imm8()}")
            for mn in ["movi", "mvni"]:
                add(f"{mn} {v(a)}, #{hex(imm8())}, msl #{rnd.choice([8, 16])}")
        for a in ["4h", "8h"]:
            for mn in ["movi", "orr", "mvni", "bic"]:
                add(f"{mn} {v(a)}, #{hex(imm8())}, lsl #{rnd.choice([0, 8])}")
                add(f"{mn} {v(a)}, #{hex(imm8())}")
        add(f"movi {v('8b')}, #{hex(imm8())}")
        add(f"movi {v('16b')}, #{imm8()}")
        bytemask = lambda: "0x" + "".join(rnd.choice(["00", "ff"]) for _ in range(8))
        add(f"movi {f('d')}, #{bytemask()}")
        add(f"movi {v('2d')}, #{bytemask()}")
        add(f"movi {v('2d')}, #0")
        for a in FPA:
            add(f"fmov {v(a)}, #{rnd.choice(FPIMMS)}")
        # Shift by immediate.
        for mn, kind, scal in shifts:
            arrs = BHS if kind in ("n", "ll") else FPA if kind == "cvt" else ALL
            for a in arrs:
                e = a[-1]
                if kind == "n":
                    add(f"{q2(mn, a)} {v(a)}, {v(LONG[a])}, #{shift_amount(e, kind)}")
                elif kind == "ll":
                    add(f"{q2(mn, a)} {v(LONG[a])}, {v(a)}, #{shift_amount(e, kind)}")
                else:
                    add(f"{mn} {v(a)}, {v(a)}, #{shift_amount(e, kind)}")
            for s in scal:
                if kind == "n":
                    add(f"{mn} {f(s)}, {f(WIDE[s])}, #{shift_amount(s, kind)}")
                else:
                    add(f"{mn} {f(s)}, {f(s)}, #{shift_amount(s, kind)}")
        for a in BHS:
            add(f"{q2('sxtl', a)} {v(LONG[a])}, {v(a)}")
            add(f"{q2('uxtl', a)} {v(LONG[a])}, {v(a)}")
        # By element.
        for mn, kind, scal in by_elem:
            if kind == "fp":
                for a in FPA:
                    e = a[-1]
                    add(f"{mn} {v(a)}, {v(a)}, {el(e)}")
                if scal:
                    for e in "sd":
                        add(f"{mn} {f(e)}, {f(e)}, {el(e)}")
                continue
            for a in HS:
                e = a[-1]
                m = el(e, 16 if e == "h" else 32)
                if kind == "same":
                    add(f"{mn} {v(a)}, {v(a)}, {m}")
                else:
                    add(f"{q2(mn, a)} {v(LONG[a])}, {v(a)}, {m}")
            if scal:
                for e in "hs":
                    add(f"{mn} {f(WIDE[e] if kind == 'long' else e)}, {f(e)}, {el(e, 16 if e == 'h' else 32)}")
        # Permutes.
        for mn in ["uzp1", "trn1", "zip1", "uzp2", "trn2", "zip2"]:
            for a in ALL:
                add(f"{mn} {v(a)}, {v(a)}, {v(a)}")
        add(f"ext {v('8b')}, {v('8b')}, {v('8b')}, #{rnd.randrange(8)}")
        add(f"ext {v('16b')}, {v('16b')}, {v('16b')}, #{rnd.randrange(16)}")
        for a in BB:
            for n in range(1, 5):
                first = rnd.randrange(32)
                regs = [f"v{(first + i) % 32}.16b" for i in range(n)]
                lst = "{" + (f"{regs[0]}-{regs[-1]}" if n > 2 and rnd.random() < 0.5 and first + n <= 32 else ", ".join(regs)) + "}"
                add(f"{rnd.choice(['tbl', 'tbx'])} {v(a)}, {lst}, {v(a)}")
        # Crypto.
        for mn in ["aese", "aesd", "aesmc", "aesimc"]:
            add(f"{mn} {v('16b')}, {v('16b')}")
        for mn in ["sha1c", "sha1p", "sha1m"]:
            add(f"{mn} {f('q')}, {f('s')}, {v('4s')}")
        for mn in ["sha1su0", "sha256su1"]:
            add(f"{mn} {v('4s')}, {v('4s')}, {v('4s')}")
        for mn in ["sha256h", "sha256h2"]:
            add(f"{mn} {f('q')}, {f('q')}, {v('4s')}")
        add(f"sha1h {f('s')}, {f('s')}")
        add(f"sha1su1 {v('4s')}, {v('4s')}")
        add(f"sha256su0 {v('4s')}, {v('4s')}")
        # Scalar floating point.
        for t in "sd":
            for w in "wx":
                fb = rnd.choice([1, 32 if w == "w" else 64, rnd.randint(1, 32 if w == "w" else 64)])
                for mn in ["scvtf", "ucvtf"]:
                    add(f"{mn} {f(t)}, {r(w)}, #{fb}")
                    add(f"{mn} {f(t)}, {r(w)}")
                for mn in ["fcvtzs", "fcvtzu"]:
                    add(f"{mn} {r(w)}, {f(t)}, #{fb}")
                for mn in ["fcvtns", "fcvtnu", "fcvtas", "fcvtau", "fcvtps", "fcvtpu", "fcvtms", "fcvtmu", "fcvtzs", "fcvtzu"]:
                    add(f"{mn} {r(w)}, {f(t)}")
            w = "w" if t == "s" else "x"
            add(f"fmov {r(w)}, {f(t)}")
            add(f"fmov {f(t)}, {r(w)}")
            for mn in ["fmov", "fabs", "fneg", "fsqrt", "frintn", "frintp", "frintm", "frintz", "frinta", "frintx", "frinti"]:
                add(f"{mn} {f(t)}, {f(t)}")
            for mn in ["fcmp", "fcmpe"]:
                add(f"{mn} {f(t)}, {f(t)}")
                add(f"{mn} {f(t)}, #{rnd.choice(['0.0', '0'])}")
            add(f"fmov {f(t)}, #{rnd.choice(FPIMMS)}")
            for mn in ["fccmp", "fccmpe"]:
                add(f"{mn} {f(t)}, {f(t)}, #{rnd.randrange(16)}, {rnd.choice(CONDS)}")
            for mn in ["fmul", "fdiv", "fadd", "fsub", "fmax", "fmin", "fmaxnm", "fminnm", "fnmul"]:
                add(f"{mn} {f(t)}, {f(t)}, {f(t)}")
            add(f"fcsel {f(t)}, {f(t)}, {f(t)}, {rnd.choice(CONDS)}")
            for mn in ["fmadd", "fmsub", "fnmadd", "fnmsub"]:
                add(f"{mn} {f(t)}, {f(t)}, {f(t)}, {f(t)}")
        add(f"fmov x{rnd.randrange(31)}, v{rnd.randrange(32)}.d[1]")
        add(f"fmov v{rnd.randrange(32)}.d[1], x{rnd.randrange(31)}")
        add("fmov s0, wzr")
        add("fmov d1, xzr")
        for a in "sdh":
            for b in "sdh":
                if a != b:
                    add(f"fcvt {f(a)}, {f(b)}")
        # Loads and stores.
        for rt, scale in [("b", 1), ("h", 2), ("s", 4), ("d", 8), ("q", 16)]:
            for mn in ["ldr", "str"]:
                add(f"{mn} {f(rt)}, [{base()}, #{rnd.choice([0, 4095 * scale, rnd.randrange(4096) * scale])}]")
                add(f"{mn} {f(rt)}, [{base()}]")
                add(f"{mn} {f(rt)}, [{base()}, #{rnd.randint(-256, 255)}]!")
                add(f"{mn} {f(rt)}, [{base()}], #{rnd.randint(-256, 255)}")
                add(f"{mn} {f(rt)}, [{base()}, {r('x')}]")
                sh = {1: 0, 2: 1, 4: 2, 8: 3, 16: 4}[scale]
                add(f"{mn} {f(rt)}, [{base()}, {r('x')}, lsl #{sh}]")
                add(f"{mn} {f(rt)}, [{base()}, {r('w')}, {rnd.choice(['uxtw', 'sxtw'])}{' #' + str(sh) if rnd.random() < 0.5 else ''}]")
                add(f"{mn} {f(rt)}, [{base()}, {r('x')}, sxtx]")
                add(f"{mn} {f(rt)}, [{base()}, #{rnd.choice([-1, -256, 255, 3])}]")
            for mn in ["ldur", "stur"]:
                add(f"{mn} {f(rt)}, [{base()}, #{rnd.randint(-256, 255)}]")
        for rt, scale in [("s", 4), ("d", 8), ("q", 16)]:
            add(f"ldr {f(rt)}, target")
            for mn in ["ldp", "stp", "ldnp", "stnp"]:
                a, b = f(rt), f(rt)
                while b == a:
                    b = f(rt)
                add(f"{mn} {a}, {b}, [{base()}, #{rnd.randint(-64, 63) * scale}]")
                if mn in ("ldp", "stp"):
                    add(f"{mn} {a}, {b}, [{base()}, #{rnd.randint(-64, 63) * scale}]!")
                    add(f"{mn} {a}, {b}, [{base()}], #{rnd.randint(-64, 63) * scale}")
        for n, mn_count in [("1", [1, 2, 3, 4]), ("2", [2]), ("3", [3]), ("4", [4])]:
            for count in mn_count:
                for a in ALL + ["1d"]:
                    if a == "1d" and n != "1":
                        continue
                    first = rnd.randrange(32)
                    regs = [f"v{(first + i) % 32}.{a}" for i in range(count)]
                    lst = "{" + (f"{regs[0]}-{regs[-1]}" if count > 2 and rnd.random() < 0.5 and first + count <= 32 else ", ".join(regs)) + "}"
                    mn = rnd.choice(["ld", "st"]) + n
                    bytes_ = count * (16 if a in ("16b", "8h", "4s", "2d") else 8)
                    form = rnd.randrange(3)
                    if form == 0:
                        add(f"{mn} {lst}, [{base()}]")
                    elif form == 1:
                        add(f"{mn} {lst}, [{base()}], #{bytes_}")
                    else:
                        add(f"{mn} {lst}, [{base()}], x{rnd.randrange(31)}")
        for n in range(1, 5):
            for e in "bhsd":
                first = rnd.randrange(32)
                regs = [f"v{(first + i) % 32}.{e}" for i in range(n)]
                lst = "{" + (f"{regs[0]}-{regs[-1]}" if n > 2 and rnd.random() < 0.5 and first + n <= 32 else ", ".join(regs)) + "}"
                lst += f"[{rnd.randrange(LANES[e])}]"
                mn = rnd.choice(["ld", "st"]) + str(n)
                form = rnd.randrange(3)
                post = ["", f", #{n * ESIZE[e] // 8}", f", x{rnd.randrange(31)}"][form]
                add(f"{mn} {lst}, [{base()}]{post}")
            for a in ALL + ["1d"]:
                first = rnd.randrange(32)
                regs = [f"v{(first + i) % 32}.{a}" for i in range(n)]
                lst = "{" + ", ".join(regs) + "}"
                form = rnd.randrange(3)
                post = ["", f", #{n * ESIZE[a[-1]] // 8}", f", x{rnd.randrange(31)}"][form]
                add(f"ld{n}r {lst}, [{base()}]{post}")
    # GNU as spellings: upper case, list ranges that wrap, explicit lsl #0.
    for t in ["ADD V0.4S, V1.4S, V2.4S", "ld4 {v30.4s, v31.4s, v0.4s, v1.4s}, [x0]", "ld3 {v29.8b-v31.8b}, [x2], #24",
              "movi v3.4s, #0x12, lsl #0", "fmov d0, #-0.25", "fmov s1, #1",
              "fcmp s0, #0", "ldr q31, [sp, #65520]", "str q0, [x0, #-16]", "ldr d0, [x1, #1]", "ldr b0, [x0, x1, lsl #0]",
              "st1 {v0.2d, v1.2d}, [sp], #32", "mov v31.d[1], v0.d[0]", "mov d0, v1.d[1]", "mov x0, v31.d[0]",
              "ldr d0, =0x3ff0000000000000", "ldr s1, =0x3f800000", "ldr q2, =0x1234", "ldr q3, =0x1234", "ldr d4, =target",
              "fmov d5, 2.0", "movi v6.2d, #0xffffffffffffffff", "ORR V7.8H, #0x12, LSL #8", "ld1 {V8.S}[3], [X9]",
              "movi v0.4s, #0x12, lsl 8", "movi v1.16b, #-1", "mvni v2.4h, #-128", "mov v3.4s[1], w0", "ld1 {v4.4s}, [x0], 16",
              "fmov d6, #2", "fmov v7.2d, #2", "fmov s8, 0.5", "ldr q9, [x0, x1, lsl 4]", "mov b10, v1.b[2]",
              "ld1 { v11.4s - v14.4s }, [x1]", "fmov s15, #1e0", "fcvtzs x16, d17, #64", "movi d18, #-1"]:
        add(t)
    return out
