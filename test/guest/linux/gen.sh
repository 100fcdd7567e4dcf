#!/bin/sh
# Regenerates the FDT test vectors from our own tiny.dts with dtc (device-tree-compiler):
# tiny.dtb (the blob), tiny.expected.dts (dtc's reading of it, the reference the tests
# compare our writer's output with when dtc is not installed).
set -e
cd "$(dirname "$0")"
dtc -q -I dts -O dtb -o tiny.dtb tiny.dts
dtc -q -I dtb -O dts -o tiny.expected.dts tiny.dtb
