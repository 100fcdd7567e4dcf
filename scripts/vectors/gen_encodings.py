#!/usr/bin/env python3
"""Reference encodings and disassembly from GNU binutils.

Assembles every form of forms.py and forms_simd.py with aarch64-linux-gnu-as, links at 0 and
records, for each line, the word GNU as produced and objdump's text. Writes
test/vectors/encodings.json. Needs binutils-aarch64-linux-gnu; the tests do not.
"""
import json, os, re, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(__file__))
from forms import forms
from forms_simd import simd_forms

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def main():
    base = [t for t, _ in forms(seed=1, reps=8)]
    simd = simd_forms(seed=5, reps=4)
    lines = base + simd
    # The FP/SIMD forms go after the branch target, which stays within tbz range of the integer ones.
    src = ".text\n.globl _start\n_start:\n" + "\n".join(base) + "\n.space 256\ntarget: nop\n" + "\n".join(simd) + "\n"
    addrs = [i * 4 for i in range(len(base))] + [len(base) * 4 + 260 + j * 4 for j in range(len(simd))]
    with tempfile.TemporaryDirectory() as d:
        s = os.path.join(d, "f.S")
        open(s, "w").write(src)
        subprocess.run(["aarch64-linux-gnu-as", "-march=armv8-a+crc+aes+sha2", s, "-o", f"{d}/f.o"], check=True)
        subprocess.run(["aarch64-linux-gnu-ld", "-Ttext=0", "-e", "_start", f"{d}/f.o", "-o", f"{d}/f.elf"], check=True)
        subprocess.run(["aarch64-linux-gnu-objcopy", "-O", "binary", f"{d}/f.elf", f"{d}/f.bin"], check=True)
        data = open(f"{d}/f.bin", "rb").read()
        dis = subprocess.run(["aarch64-linux-gnu-objdump", "-d", "--no-show-raw-insn", f"{d}/f.elf"], check=True,
                             capture_output=True, text=True).stdout
    texts = {}
    for l in dis.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+(.*)$", l)
        if m:
            texts[int(m.group(1), 16)] = m.group(2).strip()
    out = []
    for t, a in zip(lines, addrs):
        word = int.from_bytes(data[a:a + 4], "little")
        out.append({"text": t, "addr": a, "word": f"{word:08x}", "objdump": texts[a]})
    json.dump({"generator": "scripts/vectors/gen_encodings.py", "source": src, "instructions": out},
              open(os.path.join(ROOT, "test", "vectors", "encodings.json"), "w"), indent=0)
    print(f"{len(out)} instructions")


main()
