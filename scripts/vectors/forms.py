"""Instruction forms for the reference vectors: every instruction family the CPU
executes, in the spellings the assembler accepts, with registers and immediates
drawn from a seeded generator (edge cases first). Used by gen_encodings.py
(GNU as / objdump) and gen_cpu.py (Unicorn)."""

import random

CONDS = ["eq", "ne", "cs", "hs", "cc", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le"]
SHIFTS = ["lsl", "lsr", "asr"]


def forms(seed=1, reps=3, for_cpu=False):
    """Yields (text, kind). kind: 'dp' (registers/flags only), 'mem' (uses base x20,
    index x21), 'branch' (pc-relative target label), 'sys' (encoding only)."""
    rnd = random.Random(seed)

    def r(w=None, sp=False, zr=True, avoid=()):
        w = w or rnd.choice("xw")
        while True:
            n = rnd.randrange(0, 32 if (zr or sp) else 31)
            if for_cpu and n in (20, 21):  # memory base/index registers keep their values
                continue
            if n in avoid:
                continue
            break
        if n == 31:
            if sp and not zr:
                return "sp" if w == "x" else "wsp"
            if sp and zr:
                return rnd.choice(["sp", "xzr"]) if w == "x" else rnd.choice(["wsp", "wzr"])
            return "xzr" if w == "x" else "wzr"
        return f"{w}{n}"

    def imm(lo, hi, edge=()):
        if edge and rnd.random() < 0.4:
            return rnd.choice(edge)
        return rnd.randint(lo, hi)

    out = []
    def add(t, k="dp"):
        out.append((t, k))

    for _ in range(reps):
        for w in "xw":
            bits = 64 if w == "x" else 32
            for mn in ["add", "adds", "sub", "subs"]:
                setf = mn.endswith("s")
                rd = r(w, sp=not setf, zr=setf)
                rn = r(w, sp=True, zr=False)
                add(f"{mn} {rd}, {rn}, #{imm(0, 4095, (0, 1, 4095))}")
                add(f"{mn} {rd}, {rn}, #{imm(0, 4095, (1, 4095))}, lsl #12")
                a, b, c = r(w), r(w), r(w)
                add(f"{mn} {a}, {b}, {c}")
                add(f"{mn} {a}, {b}, {c}, {rnd.choice(SHIFTS)} #{imm(0, bits - 1, (0, 1, bits - 1))}")
                ext = rnd.choice(["uxtb", "uxth", "uxtw", "sxtb", "sxth", "sxtw"])
                add(f"{mn} {rd}, {rn}, {r('w')}, {ext} #{imm(0, 4)}")
                if w == "x":
                    add(f"{mn} {rd}, {rn}, {r('x')}, {rnd.choice(['uxtx', 'sxtx'])} #{imm(0, 4)}")
            add(f"cmp {r(w, sp=True, zr=False)}, #{imm(0, 4095, (0, 1))}")
            add(f"cmn {r(w, sp=True, zr=False)}, #{imm(0, 4095, (0, 1))}")
            add(f"cmp {r(w)}, {r(w)}")
            add(f"cmp {r(w)}, {r(w)}, lsl #{imm(0, bits - 1)}")
            add(f"cmn {r(w)}, {r(w)}")
            add(f"neg {r(w)}, {r(w)}")
            add(f"negs {r(w)}, {r(w)}, lsl #{imm(0, bits - 1)}")
            for mn in ["adc", "adcs", "sbc", "sbcs"]:
                add(f"{mn} {r(w)}, {r(w)}, {r(w)}")
            add(f"ngc {r(w)}, {r(w)}")
            for mn in ["and", "orr", "eor", "ands", "bic", "orn", "eon", "bics"]:
                add(f"{mn} {r(w)}, {r(w)}, {r(w)}, {rnd.choice(SHIFTS + ['ror'])} #{imm(0, bits - 1)}")
                add(f"{mn} {r(w)}, {r(w)}, {r(w)}")
            masks64 = ["0xff", "0xffff", "0xffffffff", "0x5555555555555555", "0xaaaaaaaaaaaaaaaa", "0xfffffffffffffffe",
                       "0x7ffffffffffffffe", "0x3", "0x8000000000000000", "0xf0f0f0f0f0f0f0f0", "0x1", "0x7fffffffffffffff",
                       "0xffff0000ffff0000", "0x0000ffff00000000", "0xc000000000000003"]
            masks32 = ["0xff", "0xffff", "0x55555555", "0xaaaaaaaa", "0xfffffffe", "0x3", "0x80000000", "0xf0f0f0f0", "0x1",
                       "0x7fffffff", "0xff00ff00", "0xc0000003", "0x0ffff000"]
            for mn in ["and", "orr", "eor", "ands"]:
                m = rnd.choice(masks64 if w == "x" else masks32)
                rd = r(w, sp=mn != "ands", zr=mn == "ands")
                add(f"{mn} {rd}, {r(w)}, #{m}")
            add(f"tst {r(w)}, #{rnd.choice(masks64 if w == 'x' else masks32)}")
            add(f"tst {r(w)}, {r(w)}")
            add(f"mvn {r(w)}, {r(w)}")
            add(f"mov {r(w, zr=False)}, {r(w, zr=False)}")
            add(f"mov {r(w, sp=True, zr=False)}, {r(w, sp=True, zr=False)}")
            add(f"mov {r(w)}, #{imm(0, 65535, (0, 1, 65535))}")
            add(f"mov {r(w)}, #{-imm(1, 65536, (1, 2))}")
            add(f"movz {r(w)}, #{imm(0, 65535)}, lsl #{rnd.choice([0, 16, 32, 48] if w == 'x' else [0, 16])}")
            add(f"movn {r(w)}, #{imm(0, 65535)}, lsl #{rnd.choice([0, 16, 32, 48] if w == 'x' else [0, 16])}")
            add(f"movk {r(w)}, #{imm(0, 65535)}, lsl #{rnd.choice([0, 16, 32, 48] if w == 'x' else [0, 16])}")
            for mn in ["lsl", "lsr", "asr", "ror"]:
                add(f"{mn} {r(w)}, {r(w)}, #{imm(0, bits - 1, (0, 1, bits - 1))}")
                add(f"{mn} {r(w)}, {r(w)}, {r(w)}")
            for mn in ["lslv", "lsrv", "asrv", "rorv", "udiv", "sdiv"]:
                add(f"{mn} {r(w)}, {r(w)}, {r(w)}")
            lsb = imm(0, bits - 1, (0, bits - 1))
            width = imm(1, bits - lsb)
            for mn in ["ubfx", "sbfx", "bfxil", "ubfiz", "sbfiz", "bfi"]:
                add(f"{mn} {r(w)}, {r(w)}, #{lsb}, #{width}")
            for mn in ["ubfm", "sbfm", "bfm"]:
                add(f"{mn} {r(w)}, {r(w)}, #{imm(0, bits - 1)}, #{imm(0, bits - 1)}")
            add(f"extr {r(w)}, {r(w)}, {r(w)}, #{imm(0, bits - 1)}")
            for mn in ["csel", "csinc", "csinv", "csneg"]:
                add(f"{mn} {r(w)}, {r(w)}, {r(w)}, {rnd.choice(CONDS)}")
            c = rnd.choice([x for x in CONDS])
            add(f"cset {r(w)}, {c}")
            add(f"csetm {r(w)}, {c}")
            add(f"cinc {r(w)}, {r(w)}, {c}")
            add(f"cinv {r(w)}, {r(w)}, {c}")
            add(f"cneg {r(w)}, {r(w)}, {c}")
            for mn in ["ccmp", "ccmn"]:
                add(f"{mn} {r(w)}, {r(w)}, #{imm(0, 15)}, {rnd.choice(CONDS)}")
                add(f"{mn} {r(w)}, #{imm(0, 31)}, #{imm(0, 15)}, {rnd.choice(CONDS)}")
            for mn in ["madd", "msub"]:
                add(f"{mn} {r(w)}, {r(w)}, {r(w)}, {r(w)}")
            add(f"mul {r(w)}, {r(w)}, {r(w)}")
            add(f"mneg {r(w)}, {r(w)}, {r(w)}")
            for mn in ["rbit", "rev16", "rev", "clz", "cls"]:
                add(f"{mn} {r(w)}, {r(w)}")
            add(f"cbz {r(w)}, target", "branch")
            add(f"cbnz {r(w)}, target", "branch")
        add(f"rev32 {r('x')}, {r('x')}")
        for mn in ["smaddl", "smsubl", "umaddl", "umsubl"]:
            add(f"{mn} {r('x')}, {r('w')}, {r('w')}, {r('x')}")
        for mn in ["smull", "umull", "smnegl", "umnegl"]:
            add(f"{mn} {r('x')}, {r('w')}, {r('w')}")
        add(f"smulh {r('x')}, {r('x')}, {r('x')}")
        add(f"umulh {r('x')}, {r('x')}, {r('x')}")
        add(f"uxtb {r('w')}, {r('w')}")
        add(f"uxth {r('w')}, {r('w')}")
        w = rnd.choice("xw")
        add(f"sxtb {r(w)}, {r('w')}")
        add(f"sxth {r(w)}, {r('w')}")
        add(f"sxtw {r('x')}, {r('w')}")
        for cw in ["b", "h", "w"]:
            add(f"crc32{cw} {r('w')}, {r('w')}, {r('w')}")
            add(f"crc32c{cw} {r('w')}, {r('w')}, {r('w')}")
        add(f"crc32x {r('w')}, {r('w')}, {r('x')}")
        add(f"crc32cx {r('w')}, {r('w')}, {r('x')}")
        add(f"adr {r('x')}, target", "branch")
        add(f"adrp {r('x')}, target", "branch")
        add("b target", "branch")
        add("bl target", "branch")
        add(f"b.{rnd.choice(CONDS)} target", "branch")
        add(f"tbz {r('x')}, #{imm(0, 63)}, target", "branch")
        add(f"tbnz {r('w')}, #{imm(0, 31)}, target", "branch")
        add(f"br {r('x', zr=False)}", "branch")
        add(f"blr {r('x', zr=False)}", "branch")
        add("ret", "branch")
        add(f"ret {r('x', zr=False)}", "branch")

        # Loads and stores: base x20 (or sp), index x21.
        def rt(w):
            return r(w, avoid=(20, 21))
        for (mn, w, size) in [("ldr", "x", 8), ("ldr", "w", 4), ("str", "x", 8), ("str", "w", 4), ("ldrb", "w", 1),
                              ("strb", "w", 1), ("ldrh", "w", 2), ("strh", "w", 2), ("ldrsb", "x", 1), ("ldrsb", "w", 1),
                              ("ldrsh", "x", 2), ("ldrsh", "w", 2), ("ldrsw", "x", 4)]:
            add(f"{mn} {rt(w)}, [x20, #{imm(0, 64) * size}]", "mem")
            add(f"{mn} {rt(w)}, [x20]", "mem")
            add(f"{mn} {rt(w)}, [x20, #{imm(-256, 255, (-256, 255, -1))}]", "mem")
            add(f"{mn} {rt(w)}, [x20, #{imm(-256, 255)}]!", "mem")
            add(f"{mn} {rt(w)}, [x20], #{imm(-256, 255)}", "mem")
            add(f"{mn} {rt(w)}, [x20, x21]", "mem")
            sh = {1: 0, 2: 1, 4: 2, 8: 3}[size]
            add(f"{mn} {rt(w)}, [x20, x21, lsl #{sh}]", "mem")
            add(f"{mn} {rt(w)}, [x20, w21, {rnd.choice(['uxtw', 'sxtw'])}{' #' + str(sh) if rnd.random() < 0.5 else ''}]", "mem")
            add(f"{mn} {rt(w)}, [x20, x21, sxtx]", "mem")
        for (mn, w) in [("ldur", "x"), ("stur", "w"), ("ldurb", "w"), ("sturh", "w"), ("ldursw", "x"), ("ldursb", "w"), ("ldursh", "x")]:
            add(f"{mn} {rt(w)}, [x20, #{imm(-256, 255)}]", "mem")
        for mn in ["ldp", "stp"]:
            for w, size in [("x", 8), ("w", 4)]:
                a = rt(w)
                b = rt(w)
                while mn == "ldp" and b == a:
                    b = rt(w)
                add(f"{mn} {a}, {b}, [x20, #{imm(-64, 63) * size}]", "mem")
                add(f"{mn} {a}, {b}, [x20, #{imm(-64, 63) * size}]!", "mem")
                add(f"{mn} {a}, {b}, [x20], #{imm(-64, 63) * size}", "mem")
        a, b = rt("x"), rt("x")
        while b == a:
            b = rt("x")
        add(f"ldpsw {a}, {b}, [x20, #{imm(-64, 63) * 4}]", "mem")
        add(f"ldnp {a}, {b}, [x20, #{imm(-64, 63) * 8}]", "mem")
        add(f"stnp {rt('w')}, {rt('w')}, [x20, #{imm(-64, 63) * 4}]", "mem")
        add("stp x29, x30, [sp, #-16]!", "mem")
        add("ldp x29, x30, [sp], #16", "mem")
        add(f"str {rt('x')}, [sp, #{imm(0, 32) * 8}]", "mem")
        add(f"ldr {rt('x')}, target", "branch")
        add(f"ldr {rt('w')}, target", "branch")
        add(f"ldrsw {rt('x')}, target", "branch")
        add(f"prfm pldl1keep, [x20, #{imm(0, 32) * 8}]", "mem")
        for mn in ["ldar", "ldaxr", "ldxr"]:
            add(f"{mn} {rt(rnd.choice('xw'))}, [x20]", "mem")
        for mn in ["ldarb", "ldarh", "ldxrb", "ldxrh", "ldaxrb", "ldaxrh"]:
            add(f"{mn} {rt('w')}, [x20]", "mem")
        for mn in ["stlr", "stlrb", "stlrh"]:
            add(f"{mn} {rt('w' if mn != 'stlr' else rnd.choice('xw'))}, [x20]", "mem")
        s = rt("w")
        t = rt("x")
        while t[1:] == s[1:]:
            t = rt("x")
        add(f"stxr {s}, {t}, [x20]", "mem")
        add(f"stlxr {s}, {'w' + t[1:] if t != 'xzr' else 'wzr'}, [x20]", "mem")
        a, b = rt("x"), rt("x")
        while b == a:
            b = rt("x")
        add(f"ldxp {a}, {b}, [x20]", "mem")
        add(f"ldaxp {a.replace('x', 'w')}, {b.replace('x', 'w')}, [x20]", "mem")
        add(f"stxp {s}, {t}, {t}, [x20]", "sys")

    # System instructions (encoding and disassembly only).
    for t in ["nop", "wfi", "wfe", "sev", "sevl", "yield", "isb", "dsb sy", "dsb ish", "dmb ish", "dmb ishst", "dmb sy",
              "clrex", "eret", "svc #0", "svc #0x1234", "hvc #0", "smc #0", "brk #0", "brk #0x3e8", "hlt #0xf000",
              "msr daifset, #2", "msr daifclr, #2", "msr daifset, #0xf", "msr spsel, #1", "msr spsel, #0",
              "mrs x0, currentel", "mrs x1, mpidr_el1", "mrs x2, esr_el1", "mrs x3, elr_el1", "mrs x4, far_el1",
              "mrs x5, spsr_el1", "mrs x6, daif", "mrs x7, nzcv", "msr nzcv, x8", "msr daif, x9", "msr vbar_el1, x10",
              "msr sctlr_el1, x0", "msr hcr_el2, x0", "msr scr_el3, x0", "msr spsr_el3, x0", "msr elr_el3, x0",
              "msr spsr_el2, x1", "msr elr_el2, x1", "msr sp_el1, x2", "msr sp_el0, x3", "mrs x0, cntfrq_el0",
              "mrs x0, cntpct_el0", "msr cntp_tval_el0, x0", "msr cntp_ctl_el0, x1", "mrs x2, cntp_ctl_el0",
              "msr cntv_cval_el0, x3", "msr cnthctl_el2, x0", "msr cntvoff_el2, xzr", "msr vbar_el2, x0",
              "msr vbar_el3, x0", "mrs x0, sctlr_el2", "msr cpacr_el1, x0", "mrs x0, tpidr_el0", "msr tpidr_el1, x0",
              "ic iallu", "ic ialluis", "dc civac, x0", "dc zva, x1", "tlbi vmalle1", "tlbi alle2", "tlbi vmalle1is",
              "ret x1", "br x16", "blr x17"]:
        add(t, "sys")
    # The HINTs of later architecture versions (NOPs on this core, in code built for any), and the
    # prefetch forms without a scaled offset.
    for t in ["xpaclri", "pacia1716", "pacib1716", "autia1716", "autib1716", "esb", "psb csync", "tsb csync",
              "csdb", "clearbhb", "paciaz", "paciasp", "pacibz", "pacibsp", "autiaz", "autiasp", "autibz", "autibsp",
              "bti", "bti c", "bti j", "bti jc", "hint #6", "hint #0x7f", "prfum pldl1keep, [x2, #3]",
              "prfum pstl3strm, [sp, #-256]", "prfm plil2keep, target"]:
        add(t, "sys")
    return out
