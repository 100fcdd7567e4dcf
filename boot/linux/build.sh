#!/bin/sh
# Builds /init of our initramfs from init.c (our code) with the cross gcc:
# static, no libc, no FP/SIMD registers. The binary is committed so that
# `rpi-os linux` needs no cross toolchain; rerun this after changing init.c.
set -e
cd "$(dirname "$0")"
aarch64-linux-gnu-gcc -Os -static -nostdlib -ffreestanding -fno-builtin -fno-stack-protector \
  -fno-asynchronous-unwind-tables -mgeneral-regs-only -no-pie -Wall -Wextra \
  -Wl,--build-id=none -Wl,-e,_start -o init init.c
aarch64-linux-gnu-strip init
# Fail if any FP/SIMD register slipped in (the emulated CPU may have none).
if aarch64-linux-gnu-objdump -d init | cut -f3- | grep -E '\b([vqdsbh][0-9]+|fpcr|fpsr)\b' ; then
  echo "build.sh: init uses FP/SIMD registers" >&2
  exit 1
fi
echo "init: $(wc -c < init) bytes"
