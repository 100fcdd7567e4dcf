#!/usr/bin/env bash
# Builds our board test kernels (SD card, framebuffer, RNG, power) with the cross
# gcc as kernel_old images at 0, using ../kernels/lib, and records what QEMU 7.2
# prints for them (-M raspi3b, image at 0, mini UART = second serial port):
# the SD kernel on the FAT image of make-sd.mjs, the framebuffer's screen through
# the monitor's screendump (converted to fb.qemu.png).
# Needs gcc-aarch64-linux-gnu, qemu-system-arm, python3 and a built tree (dist/).
set -euo pipefail
cd "$(dirname "$0")"
LIB=../kernels/lib
CFLAGS="-O2 -ffreestanding -nostdlib -nostartfiles -mgeneral-regs-only -fno-pic -I$LIB -I. -Wall -Werror"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in sdcard fb rng poweroff; do
  objs=""
  for src in $LIB/boot.S $LIB/vectors.S $LIB/rt.c "$p.c"; do
    o="$tmp/$p-$(basename "$src").o"
    aarch64-linux-gnu-gcc $CFLAGS -c "$src" -o "$o"
    objs="$objs $o"
  done
  aarch64-linux-gnu-ld --no-warn-rwx-segments -T $LIB/link.ld $objs -o "$tmp/$p.elf"
  aarch64-linux-gnu-objcopy -O binary "$tmp/$p.elf" "$p.img"
done
node make-sd.mjs "$tmp/sd.img"
qemu() { # prog seconds input [extra qemu args]
  local p=$1 s=$2 input=$3; shift 3
  (sleep 0.5; printf '%s' "$input"; sleep "$s") | timeout "$s" qemu-system-aarch64 -M raspi3b -display none -monitor none \
    -device loader,file="$p.img",addr=0x0,force-raw=on -serial null -serial stdio "$@" 2>/dev/null | tr -d '\000' || true
}
cp "$tmp/sd.img" "$tmp/sd-run.img"
qemu sdcard 20 "" -drive file="$tmp/sd-run.img",if=sd,format=raw > sdcard.qemu.txt
qemu rng 2 "" > rng.qemu.txt
qemu poweroff 2 "p" > poweroff.qemu.txt
# The screen: QEMU's monitor on a socket, screendump to PPM, then PNG.
(timeout 6 qemu-system-aarch64 -M raspi3b -display none -device loader,file=fb.img,addr=0x0,force-raw=on \
  -serial null -serial file:fb.qemu.txt -monitor unix:"$tmp/mon",server,nowait &) ; sleep 3
python3 - "$tmp/mon" "$tmp/fb.ppm" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(0.3); s.recv(4096)
s.send(f"screendump {sys.argv[2]}\n".encode()); time.sleep(1); s.recv(65536)
PY
sleep 2
node ppm2png.mjs "$tmp/fb.ppm" fb.qemu.png
wc -c *.img
