#!/bin/sh
# Runs what scripts/build-aarch64-virt.sh built: dist/virt/os-aarch64-virt.elf
# (in VIRT_DIST if set) boots the demo it was built for. Extra arguments become the kernel command
# line, e.g.:
#
#   scripts/build-aarch64-virt.sh demo-ipc && scripts/run-aarch64-virt.sh rounds=5 exit
#
# ("exit" powers off when the demo ends; without it, quit QEMU with Ctrl-A X.)
set -eu
cd "$(dirname "$0")/.."
elf=${VIRT_DIST:-dist/virt}/os-aarch64-virt.elf
[ -f "$elf" ] || { echo "no $elf: run scripts/build-aarch64-virt.sh first" >&2; exit 1; }
exec ${QEMU:-qemu-system-aarch64} -machine virt,gic-version=2 -cpu cortex-a53 -m 256M \
    -nographic -semihosting-config enable=on,target=native -kernel "$elf" -append "$*"
