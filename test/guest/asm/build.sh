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
