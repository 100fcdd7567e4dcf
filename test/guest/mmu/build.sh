#!/usr/bin/env bash
# Builds our MMU test kernel and our lesson-6-style kernel (a kernel_old image at 0, all cores at EL3) with the cross gcc and
# records what QEMU 7.2 prints for it (-M raspi3b: the same memory map as ours, so the same
# page tables; its cores are Cortex-A53s with EL2 and EL3; the mini UART is the second serial port).
# Needs gcc-aarch64-linux-gnu and qemu-system-arm.
set -euo pipefail
cd "$(dirname "$0")"
CFLAGS="-O2 -ffreestanding -nostdlib -nostartfiles -mgeneral-regs-only -fno-pic -I../kernels/lib -Wall -Werror"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in mmu; do
  objs=""
  for src in start.S ../kernels/lib/rt.c "$p.c"; do
    o="$tmp/$p-$(basename "$src").o"
    aarch64-linux-gnu-gcc $CFLAGS -c "$src" -o "$o"
    objs="$objs $o"
  done
  aarch64-linux-gnu-ld --no-warn-rwx-segments -T link.ld $objs -o "$tmp/$p.elf"
  aarch64-linux-gnu-objcopy -O binary "$tmp/$p.elf" "$p.img"
  timeout 3 qemu-system-aarch64 -M raspi3b -display none -monitor none \
    -device loader,file="$p.img",addr=0x0,force-raw=on -serial null -serial stdio > "$p.qemu.txt" 2>/dev/null || true
done
# The lesson-6-style kernel: linked in the upper half, loaded at 0.
aarch64-linux-gnu-gcc $CFLAGS -c lesson6_boot.S -o "$tmp/l6-boot.o"
aarch64-linux-gnu-gcc $CFLAGS -c lesson6.c -o "$tmp/l6.o"
aarch64-linux-gnu-ld --no-warn-rwx-segments -T lesson6.ld "$tmp/l6-boot.o" "$tmp/l6.o" -o "$tmp/lesson6.elf"
aarch64-linux-gnu-objcopy -O binary "$tmp/lesson6.elf" lesson6.img
timeout 3 qemu-system-aarch64 -M raspi3b -display none -monitor none \
  -device loader,file=lesson6.img,addr=0x0,force-raw=on -serial null -serial stdio > lesson6.qemu.txt 2>/dev/null || true
wc -c ./*.img
