#!/usr/bin/env bash
# Reference images from GNU binutils for the whole-file assembler tests:
# whole.bin (whole.S) and boot.bin (boot/*.S with the host trampolines of
# host_stubs.S), linked at 0 with linker.ld (the tutorial's script plus
# .text.host) and flattened with objcopy -O binary.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
aarch64-linux-gnu-gcc -c -I. whole.S -o "$tmp/whole.o"
aarch64-linux-gnu-ld --no-warn-rwx-segments -T linker.ld "$tmp/whole.o" -o "$tmp/whole.elf"
aarch64-linux-gnu-objcopy -O binary "$tmp/whole.elf" whole.bin
objs=""
for f in boot entry irq mm utils; do
  aarch64-linux-gnu-gcc -c -I../../../boot/include "../../../boot/$f.S" -o "$tmp/$f.o"
  objs="$objs $tmp/$f.o"
done
aarch64-linux-gnu-gcc -c host_stubs.S -o "$tmp/host.o"
aarch64-linux-gnu-ld --no-warn-rwx-segments -T linker.ld $objs "$tmp/host.o" -o "$tmp/boot.elf"
aarch64-linux-gnu-objcopy -O binary "$tmp/boot.elf" boot.bin
ls -la whole.bin boot.bin
# fpsimd-*.s: gcc's FP/SIMD output for fpsimd.c (directives our assembler does not take, .type
# .size .ident .file .cfi_* and the GNU-stack note, removed), with stubs for the library calls;
# fpsimd-*.bin: the same source through GNU as and ld.
for o in O2 O3 Os; do
  aarch64-linux-gnu-gcc -$o -march=armv8-a+crypto -ffreestanding -fno-asynchronous-unwind-tables -S fpsimd.c -o "$tmp/fpsimd.s"
  { grep -vE '^\s*\.(type|size|ident|file|section\s+\.note|cfi)' "$tmp/fpsimd.s"
    printf '\n\t.text\nmemset:\tret\nmemcpy:\tret\nsqrt:\tret\nlround:\tret\n'; } > "fpsimd-$o.s"
  aarch64-linux-gnu-as -march=armv8-a+crypto "fpsimd-$o.s" -o "$tmp/fpsimd.o"
  aarch64-linux-gnu-ld --no-warn-rwx-segments -T linker.ld "$tmp/fpsimd.o" -o "$tmp/fpsimd.elf"
  aarch64-linux-gnu-objcopy -O binary "$tmp/fpsimd.elf" "fpsimd-$o.bin"
done
ls -la fpsimd-*.bin
