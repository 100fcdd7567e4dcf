#!/usr/bin/env bash
# Regenerates the expected output of the exception programs from QEMU.
# Needs binutils-aarch64-linux-gnu and qemu-system-arm (qemu-system-aarch64).
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for prog in el1 el3 el0; do
  aarch64-linux-gnu-gcc -c -I . "$prog.S" -o "$tmp/$prog.o"
  aarch64-linux-gnu-ld -Ttext=0x40080000 -e _start "$tmp/$prog.o" -o "$tmp/$prog.elf"
done
# Semihosting output goes to a chardev file (QEMU writes it to the tty otherwise).
run() {
  local machine=$1 prog=$2
  timeout 20 qemu-system-aarch64 -M "$machine" -cpu cortex-a53 -display none -monitor none -serial none \
    -chardev file,id=sh,path="$prog.expected" -semihosting-config enable=on,target=native,chardev=sh \
    -kernel "$tmp/$prog.elf"
}
run virt el1
run virt el0
run virt,secure=on,virtualization=on el3
echo "wrote el1.expected el3.expected el0.expected"
