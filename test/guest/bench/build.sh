#!/usr/bin/env bash
# Builds the benchmark workloads with aarch64-linux-gnu-gcc -O2: bench.img
# (bare metal, loaded at 0x80000, EL1, semihosting exit) and bench-linux
# (static Linux binary for qemu-aarch64). Both are committed.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CFLAGS="-O2 -ffreestanding -fno-builtin -mgeneral-regs-only -fno-pic -Wall"
aarch64-linux-gnu-gcc $CFLAGS -nostdlib -nostartfiles -c work.c -o "$tmp/work.o"
aarch64-linux-gnu-gcc $CFLAGS -nostdlib -nostartfiles -c baremetal.c -o "$tmp/baremetal.o"
aarch64-linux-gnu-gcc -c start.S -o "$tmp/start.o"
aarch64-linux-gnu-ld --no-warn-rwx-segments -T link.ld "$tmp/start.o" "$tmp/baremetal.o" "$tmp/work.o" -o "$tmp/bench.elf"
aarch64-linux-gnu-objcopy -O binary "$tmp/bench.elf" bench.img
aarch64-linux-gnu-gcc -O2 -fno-builtin -static -mgeneral-regs-only work.c linux.c -o bench-linux
aarch64-linux-gnu-strip bench-linux
ls -la bench.img bench-linux
