#!/bin/sh
# make debug: start QEMU halted with a gdb stub on localhost:1234, and attach
# gdb-multiarch with the kernel's symbols. Quitting gdb stops QEMU.
#
# usage: scripts/debug.sh KERNEL_ELF "QEMU FLAGS" "KERNEL COMMAND LINE"
set -eu
elf=$1
qemu_flags=$2
cmdline=$3
QEMU=${QEMU:-qemu-system-aarch64}
GDB=${GDB:-gdb-multiarch}
PORT=${GDB_PORT:-1234}

# The console goes to a file, so QEMU can run in the background while gdb has the terminal.
qemu_flags=$(echo "$qemu_flags" | sed 's/-nographic//')
SERIAL_LOG=${SERIAL_LOG:-$(dirname "$elf")/serial.log}
work=$(mktemp -d)
# shellcheck disable=SC2086
$QEMU $qemu_flags -kernel "$elf" -append "$cmdline" -S -gdb tcp::"$PORT" \
    -serial file:"$SERIAL_LOG" -monitor none -display none -daemonize \
    -pidfile "$work/qemu.pid" 2>"$work/qemu.log" || {
    cat "$work/qemu.log" >&2
    rm -rf "$work"
    exit 1
}
pid=$(cat "$work/qemu.pid")
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM
echo "QEMU is halted at the first instruction; console output goes to $SERIAL_LOG"
echo "The CPU starts with the MMU off, at physical addresses: 'stepi' walks through _start;"
echo "'break kmain' stops once the kernel runs on its upper-half addresses."
$GDB -q "$elf" \
    -ex "set confirm off" \
    -ex "set architecture aarch64" \
    -ex "target remote localhost:$PORT" \
    ${GDB_BATCH:+-batch} ${GDB_COMMANDS:+-x "$GDB_COMMANDS"}
