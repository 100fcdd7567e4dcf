#!/usr/bin/env python3
"""Instruction-semantics reference vectors from Unicorn (QEMU's TCG in a library).

For every form of forms.py (data processing, loads/stores, branches) and many
initial states, runs the single instruction in Unicorn and records what it
changed: registers, NZCV, PC, memory bytes. Initial states come from a seed
(state.py, mirrored by test/support/state.ts) so the file stays small.
Writes test/vectors/cpu.json. Needs python3-unicorn and binutils-aarch64-linux-gnu.
"""
import json, os, subprocess, sys, tempfile, random

sys.path.insert(0, os.path.dirname(__file__))
from forms import forms
from state import initial_state, memory_pattern, splitmix64, MASK

from unicorn import Uc, UcError, UC_ARCH_ARM64, UC_MODE_ARM
from unicorn.arm64_const import *

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CODE = 0x1000
MEM = 0x10000
MEM_SIZE = 0x2000
BASE = MEM + 0x1000      # x20 for memory forms
SP = MEM + 0x1800        # 16-byte aligned
STATES = 5

REGS = [UC_ARM64_REG_X0 + i for i in range(29)] + [UC_ARM64_REG_X29, UC_ARM64_REG_X30]


def assemble(lines):
    src = ".text\n" + "\n".join(lines) + "\ntarget: nop\n"
    with tempfile.TemporaryDirectory() as d:
        open(f"{d}/f.S", "w").write(src)
        subprocess.run(["aarch64-linux-gnu-as", "-march=armv8-a+crc", f"{d}/f.S", "-o", f"{d}/f.o"], check=True)
        subprocess.run(["aarch64-linux-gnu-objcopy", "-O", "binary", "-j", ".text", f"{d}/f.o", f"{d}/f.bin"], check=True)
        data = open(f"{d}/f.bin", "rb").read()
    return [int.from_bytes(data[i * 4:i * 4 + 4], "little") for i in range(len(lines))]


def run(word, regs, nzcv, fixed):
    uc = Uc(UC_ARCH_ARM64, UC_MODE_ARM)
    uc.mem_map(0, 0x4000)
    uc.mem_map(MEM, MEM_SIZE)
    uc.mem_write(CODE, word.to_bytes(4, "little"))
    uc.mem_write(MEM, memory_pattern(MEM_SIZE))
    for i, r in enumerate(REGS):
        uc.reg_write(r, regs[i])
    uc.reg_write(UC_ARM64_REG_SP, fixed.get("sp", SP))
    uc.reg_write(UC_ARM64_REG_NZCV, nzcv)
    uc.emu_start(CODE, 0, count=1)
    out = {"x": [uc.reg_read(r) for r in REGS], "sp": uc.reg_read(UC_ARM64_REG_SP),
           "nzcv": uc.reg_read(UC_ARM64_REG_NZCV) & 0xF0000000, "pc": uc.reg_read(UC_ARM64_REG_PC),
           "mem": bytes(uc.mem_read(MEM, MEM_SIZE))}
    return out


def main():
    items = [(t, k) for t, k in forms(seed=2, reps=12, for_cpu=True) if k != "sys"]
    words = assemble([t for t, _ in items])
    pattern = memory_pattern(MEM_SIZE)
    vectors = []
    rnd = random.Random(7)
    for (text, kind), word in zip(items, words):
        for k in range(STATES):
            seed = rnd.getrandbits(63)
            regs, nzcv = initial_state(seed)
            fixed = {}
            if kind == "mem":
                fixed["x20"] = BASE
                fixed["x21"] = (rnd.randint(-64, 64)) & MASK
            for name, v in fixed.items():
                regs[int(name[1:])] = v
            try:
                out = run(word, regs, nzcv, fixed)
            except UcError as e:
                continue  # faults are covered by the exception tests
            changed = {f"x{i}": f"{v:x}" for i, v in enumerate(out["x"]) if v != regs[i]}
            vec = {"t": text, "w": f"{word:08x}", "s": str(seed), "f": {k2: f"{v:x}" for k2, v in fixed.items()},
                   "x": changed, "n": out["nzcv"] >> 28, "pc": f"{out['pc']:x}"}
            if out["sp"] != SP:
                vec["sp"] = f"{out['sp']:x}"
            diff = [[i, b] for i, (a, b) in enumerate(zip(pattern, out["mem"])) if a != b]
            if diff:
                vec["m"] = diff
            vectors.append(vec)
    doc = {"generator": "scripts/vectors/gen_cpu.py (Unicorn)", "code": CODE, "mem": MEM, "memSize": MEM_SIZE, "sp": SP,
           "vectors": vectors}
    with open(os.path.join(ROOT, "test", "vectors", "cpu.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    print(f"{len(vectors)} vectors from {len(items)} instructions")


main()
