#!/bin/sh
# Runs what scripts/build-aarch64-virt.sh built. Extra arguments become the
# kernel command line, e.g.: scripts/run-aarch64-virt.sh exit
# Quit QEMU with Ctrl-A X.
set -eu
cd "$(dirname "$0")/.."
elf=dist/virt/os-aarch64-virt.elf
[ -f "$elf" ] || { echo "no $elf: run scripts/build-aarch64-virt.sh first" >&2; exit 1; }
exec ${QEMU:-qemu-system-aarch64} -machine virt,gic-version=2 -cpu cortex-a53 -m 256M \
    -nographic -semihosting-config enable=on,target=native -kernel "$elf" -append "$*"
