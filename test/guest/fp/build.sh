#!/usr/bin/env bash
# Builds our FP/SIMD test program without -mgeneral-regs-only (sys.c, which runs before
# FP is enabled, keeps it) twice from the same sources: fp.img linked at 0x80000 for
# rpi-os (committed) and an ELF at 0x40080000 for QEMU -M virt, whose output under
# -cpu cortex-a53 -semihosting is recorded in fp.qemu.txt.
# Needs gcc-aarch64-linux-gnu and qemu-system-arm.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
BASE="-ffreestanding -nostdlib -nostartfiles -fno-builtin-printf -fno-pic -march=armv8-a+crypto -fno-math-errno -Wall -Werror"
aarch64-linux-gnu-gcc $BASE -O2 -mgeneral-regs-only -c sys.c -o "$tmp/sys.o"
aarch64-linux-gnu-gcc $BASE -O2 -c fp.c -o "$tmp/fp.o"
aarch64-linux-gnu-gcc $BASE -O3 -c vec.c -o "$tmp/vec.o"
aarch64-linux-gnu-gcc $BASE -O2 -c crypto.c -o "$tmp/crypto.o"
aarch64-linux-gnu-gcc -c start.S -o "$tmp/start.o"
objs="$tmp/start.o $tmp/sys.o $tmp/fp.o $tmp/vec.o $tmp/crypto.o"
aarch64-linux-gnu-ld --no-warn-rwx-segments -T link.ld --defsym=LOAD_ADDR=0x80000 $objs -o "$tmp/fp.elf"
aarch64-linux-gnu-objcopy -O binary "$tmp/fp.elf" fp.img
aarch64-linux-gnu-ld --no-warn-rwx-segments -T link.ld --defsym=LOAD_ADDR=0x40080000 $objs -o "$tmp/fp-virt.elf"
rm -f fp.qemu.txt
timeout 20 qemu-system-aarch64 -M virt -cpu cortex-a53 -display none -monitor none -serial null \
  -chardev file,id=sh,path=fp.qemu.txt -semihosting-config enable=on,target=native,chardev=sh -kernel "$tmp/fp-virt.elf"
aarch64-linux-gnu-objdump -d "$tmp/fp.elf" | grep -cE '\s(ldr|str|ldp|stp)\s+q|\s(fmla|fadd|fmul|movi|dup|addv|umull|sha256h|aese|pmull)\s' || true
wc -c fp.img fp.qemu.txt
