#!/usr/bin/env python3
"""Random words of the FP/SIMD/Crypto encoding space, disassembled by GNU objdump.

For each encoding class of the ARM ARM (C4.1.6 data processing SIMD and FP,
C4.1.4 loads and stores of SIMD registers) it draws words with the class's
fixed bits and random other bits, plus words anywhere in that space. objdump
prints each; its text is then assembled again with
`as -march=armv8-a+aes+sha2`: a line GNU as refuses with "selected processor does
not support" is an instruction of a later architecture (FP16, dot product,
SHA3, RDM ...), which the Cortex-A53 does not have, and our disassembler must
print as `.inst 0x... ; undefined`. Words are also drawn from every entry of our
own table (tools/a64/simd.ts, through scripts/vectors/simd-entries.ts), so that
each is exercised; the class draws find what the table lacks. `gnu_as` is the word
GNU as makes of objdump's text (a round trip through our disassembler and
assembler must give the same). Writes test/vectors/simd-sweep.json.
Needs binutils-aarch64-linux-gnu; the tests do not.
"""
import json, os, random, re, subprocess, sys, tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Class patterns, bit 31 first: 0/1 fixed, x random.
CLASSES = {
    "simd three same": "0xx01110xx1xxxxxxxxxx1xxxxxxxxxx",
    "simd three different": "0xx01110xx1xxxxxxxxx00xxxxxxxxxx",
    "simd two-reg misc": "0xx01110xx10000xxxxx10xxxxxxxxxx",
    "simd across lanes": "0xx01110xx11000xxxxx10xxxxxxxxxx",
    "simd copy": "0xx01110000xxxxx0xxxx1xxxxxxxxxx",
    "simd modified immediate": "0xx0111100000xxxxxxxx1xxxxxxxxxx",
    "simd shift by immediate": "0xx011110xxxxxxxxxxxx1xxxxxxxxxx",
    "simd by element": "0xx01111xxxxxxxxxxxxx0xxxxxxxxxx",
    "simd permute": "0x001110xx0xxxxx0xxx10xxxxxxxxxx",
    "simd extract": "0x101110xx0xxxxx0xxxx0xxxxxxxxxx",
    "simd table": "0x001110xx0xxxxx0xxx00xxxxxxxxxx",
    "scalar three same": "01x11110xx1xxxxxxxxxx1xxxxxxxxxx",
    "scalar three different": "01x11110xx1xxxxxxxxx00xxxxxxxxxx",
    "scalar two-reg misc": "01x11110xx10000xxxxx10xxxxxxxxxx",
    "scalar pairwise": "01x11110xx11000xxxxx10xxxxxxxxxx",
    "scalar copy": "01x11110000xxxxx0xxxx1xxxxxxxxxx",
    "scalar shift by immediate": "01x111110xxxxxxxxxxxx1xxxxxxxxxx",
    "scalar by element": "01x11111xxxxxxxxxxxxx0xxxxxxxxxx",
    "crypto aes": "01001110xx10100xxxxx10xxxxxxxxxx",
    "crypto sha three-reg": "01011110xx0xxxxx0xxx00xxxxxxxxxx",
    "crypto sha two-reg": "01011110xx10100xxxxx10xxxxxxxxxx",
    "fp fixed conversion": "x0x11110xx0xxxxxxxxxxxxxxxxxxxxx",
    "fp integer conversion": "x0x11110xx1xxxxx000000xxxxxxxxxx",
    "fp one source": "x0x11110xx1xxxxxx10000xxxxxxxxxx",
    "fp compare": "00011110xx1xxxxxxx1000xxxxxxx000",
    "fp immediate": "00011110xx1xxxxxxxx10000000xxxxx",
    "fp conditional compare": "x0x11110xx1xxxxxxxxx01xxxxxxxxxx",
    "fp two source": "x0x11110xx1xxxxxxxxx10xxxxxxxxxx",
    "fp conditional select": "x0x11110xx1xxxxxxxxx11xxxxxxxxxx",
    "fp three source": "x0x11111xxxxxxxxxxxxxxxxxxxxxxxx",
    "ldst literal": "xx011100xxxxxxxxxxxxxxxxxxxxxxxx",
    "ldst pair": "xx1011xxxxxxxxxxxxxxxxxxxxxxxxxx",
    "ldst register": "xx111100xxxxxxxxxxxxxxxxxxxxxxxx",
    "ldst unsigned offset": "xx111101xxxxxxxxxxxxxxxxxxxxxxxx",
    "ldst multiple structures": "0x001100x0xxxxxxxxxxxxxxxxxxxxxx",
    "ldst single structure": "0x001101xxxxxxxxxxxxxxxxxxxxxxxx",
    "anywhere (data processing)": "xxxx111xxxxxxxxxxxxxxxxxxxxxxxxx",
    "anywhere (loads and stores)": "xxxx11x0xxxxxxxxxxxxxxxxxxxxxxxx",
}
DEFINED, UNDEFINED, CANDIDATES = 400, 60, 6000
PER_ENTRY = 3


def draw(rnd, pattern):
    w = 0
    for i, c in enumerate(pattern):
        bit = 31 - i
        if c == "1" or (c == "x" and rnd.random() < 0.5):
            w |= 1 << bit
    return w


def objdump(words, d):
    src = ".text\n" + "".join(f".inst 0x{w:08x}\n" for w in words)
    open(f"{d}/w.S", "w").write(src)
    subprocess.run(["aarch64-linux-gnu-as", f"{d}/w.S", "-o", f"{d}/w.o"], check=True)
    dis = subprocess.run(["aarch64-linux-gnu-objdump", "-d", f"{d}/w.o"], check=True, capture_output=True, text=True).stdout
    texts = {}
    for l in dis.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+[0-9a-f]{8}\s+(.*)$", l)
        if m:
            texts[int(m.group(1), 16)] = m.group(2).strip()
    return [texts[i * 4] for i in range(len(words))]


def table_entries():
    """The decodable entries of our table (tools/a64/simd.ts), to draw words from each of them."""
    r = subprocess.run(["npx", "vite-node", os.path.join(ROOT, "scripts", "vectors", "simd-entries.ts")], cwd=ROOT,
                       check=True, capture_output=True, text=True)
    return json.loads(r.stdout)


def assemble(lines, d, name):
    """GNU as on each line (ARMv8.0 + AES + SHA2): (errors by line index, words or None)."""
    src = "".join(l + "\n" for l in lines)
    open(f"{d}/{name}.S", "w").write(src)
    r = subprocess.run(["aarch64-linux-gnu-as", "-march=armv8-a+aes+sha2", f"{d}/{name}.S", "-o", f"{d}/{name}.o"], capture_output=True, text=True)
    errors = {}
    for l in r.stderr.splitlines():
        m = re.match(rf".*{name}\.S:(\d+): Error: (.*)$", l)
        if m:
            errors[int(m.group(1)) - 1] = m.group(2)
    if errors:
        return errors, None
    subprocess.run(["aarch64-linux-gnu-objcopy", "-O", "binary", "-j", ".text", f"{d}/{name}.o", f"{d}/{name}.bin"], check=True)
    data = open(f"{d}/{name}.bin", "rb").read()
    return errors, [int.from_bytes(data[i * 4:i * 4 + 4], "little") for i in range(len(lines))]


LITERAL = re.compile(r"^ldr\s+[sdq][0-9]+, [0-9a-f]+")


def main():
    rnd = random.Random(17)
    cands = []
    seen = set()
    for name, pat in CLASSES.items():
        assert len(pat) == 32, name
        n = 0
        while n < CANDIDATES:
            w = draw(rnd, pat)
            if w in seen:
                continue
            seen.add(w)
            cands.append((w, name))
            n += 1
    table = []
    for e in table_entries():
        for _ in range(PER_ENTRY):
            w = (e["value"] | (rnd.getrandbits(32) & ~e["mask"])) & 0xffffffff
            if w not in seen:
                seen.add(w)
                table.append((w, "table: " + e["mn"]))
    with tempfile.TemporaryDirectory() as d:
        ctexts = objdump([w for w, _ in cands + table], d)
        # Per class: the first DEFINED words objdump knows and the first UNDEFINED it does not; every table word.
        words, lines = [], []
        kept = {}
        for pos, ((w, name), t) in enumerate(zip(cands + table, ctexts)):
            undef = t.startswith(".inst")
            k = (name, undef)
            if not name.startswith("table") and kept.get(k, 0) >= (UNDEFINED if undef else DEFINED):
                continue
            kept[k] = kept.get(k, 0) + 1
            words.append((w, name, pos * 4))
            lines.append(t)
        # Which texts GNU as takes for ARMv8.0 + Crypto, and the word it makes of them.
        plain = [l.split("//")[0].split("<")[0].strip() for l in lines]
        texts = ["nop" if l.startswith(".inst") or LITERAL.match(l) else l for l in plain]
        errors, _ = assemble(texts, d, "a")
        later = {i for i, e in errors.items() if "selected processor does not support" in e}
        # GNU as 2.40 takes SHA512 with the SHA2 feature, but it is FEAT_SHA512 (ARMv8.2), which
        # the Cortex-A53 does not have (ARM ARM A2.3; Cortex-A53 TRM 1.3: AES, SHA1, SHA256 only).
        later |= {i for i, l in enumerate(lines) if l.startswith("sha512")}
        _, reasm = assemble(["nop" if i in errors else t for i, t in enumerate(texts)], d, "b")
    out = []
    for i, (w, name, pc) in enumerate(words):
        o = {"word": f"{w:08x}", "pc": pc, "class": name, "objdump": lines[i], "v80": i not in later}
        if texts[i] != "nop" and i not in errors:
            o["gnu_as"] = f"{reasm[i]:08x}"
        out.append(o)
    json.dump({"generator": "scripts/vectors/gen_simd_sweep.py", "words": out},
              open(os.path.join(ROOT, "test", "vectors", "simd-sweep.json"), "w"), indent=0)
    other = {i: e for i, e in errors.items() if i not in later}
    print(f"{len(out)} words, {sum(1 for o in out if o['objdump'].startswith('.inst'))} undefined, {len(later)} of later architectures,"
          f" {len(other)} other GNU as errors: {sorted(set(other.values()))[:5]}")


main()
