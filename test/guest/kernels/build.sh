#!/usr/bin/env bash
# Builds our test kernels with the cross gcc (kernel_old images linked at 0)
# and records what QEMU 7.2 prints for them (-M raspi3b, image loaded at 0,
# all cores at 0 in EL3; the mini UART is the second serial port).
# Needs gcc-aarch64-linux-gnu and qemu-system-arm.
set -euo pipefail
cd "$(dirname "$0")"
CFLAGS="-O2 -ffreestanding -nostdlib -nostartfiles -mgeneral-regs-only -fno-pic -Ilib -Wall -Werror"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
progs="hello el timer local_timer gentimer uart_irq invalid delay waits"
for p in $progs; do
  objs=""
  for src in lib/boot.S lib/vectors.S lib/rt.c "$p.c"; do
    o="$tmp/$p-$(basename "$src").o"
    aarch64-linux-gnu-gcc $CFLAGS -c "$src" -o "$o"
    objs="$objs $o"
  done
  aarch64-linux-gnu-ld --no-warn-rwx-segments -T lib/link.ld $objs -o "$tmp/$p.elf"
  aarch64-linux-gnu-objcopy -O binary "$tmp/$p.elf" "$p.img"
done
cp "$tmp/timer.elf" timer.elf   # with symbols, for the gdb test
qemu() { # prog seconds [input]
  local input=${3:-}
  (sleep 0.3; printf '%s' "$input"; sleep "$2") | timeout "$2" qemu-system-aarch64 -M raspi3b -display none -monitor none \
    -device loader,file="$1.img",addr=0x0,force-raw=on -serial null -serial stdio > "$1.qemu.txt" 2>/dev/null || true
}
qemu hello 2 "echo me"
qemu el 2
qemu timer 1.6
qemu local_timer 1.6
qemu gentimer 1.6
qemu uart_irq 2 "ab"
qemu invalid 2
qemu delay 2
qemu waits 2
wc -c *.img
