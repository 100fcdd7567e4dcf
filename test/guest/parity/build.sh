#!/usr/bin/env bash
# Builds our parity test kernels (issue 12) with the cross gcc and records what QEMU 7.2 prints
# for them (-M raspi3b; the mini UART is the second serial port).
#   el2entry: raw image at 0x80000 started as the firmware does for a 64-bit kernel (QEMU -kernel).
#   storm-handler, storm-novbar: kernel_old images (loaded at 0, every core at 0 in EL3).
# Needs gcc-aarch64-linux-gnu and qemu-system-arm.
set -euo pipefail
cd "$(dirname "$0")"
LIB=../kernels/lib
CFLAGS="-O2 -ffreestanding -nostdlib -nostartfiles -mgeneral-regs-only -fno-pic -I$LIB -Wall -Werror"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
link() { # name linker-script objects...
  local name=$1 ld=$2; shift 2
  local objs=""
  for src in "$@"; do
    local o="$tmp/$name-$(basename "$src").o"
    aarch64-linux-gnu-gcc $CFLAGS -c "$src" -o "$o"
    objs="$objs $o"
  done
  aarch64-linux-gnu-ld --no-warn-rwx-segments -T "$ld" $objs -o "$tmp/$name.elf"
  aarch64-linux-gnu-objcopy -O binary "$tmp/$name.elf" "$name.img"
}
link el2entry link80000.ld $LIB/boot.S $LIB/rt.c eret.S el2entry.c
for p in storm-handler storm-novbar; do
  link $p $LIB/link.ld $LIB/boot.S $LIB/vectors.S $LIB/rt.c $p.c
done
qemu() { # image seconds boot-args...
  local img=$1 secs=$2; shift 2
  timeout "$secs" qemu-system-aarch64 -M raspi3b -display none -monitor none "$@" \
    -serial null -serial stdio < /dev/null > "${img%.img}.qemu.txt" 2>/dev/null || true
}
qemu el2entry.img 2 -kernel el2entry.img
for p in storm-handler storm-novbar; do
  qemu $p.img 2 -device loader,file=$p.img,addr=0x0,force-raw=on
done
wc -c *.img
