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
log=$(dirname "$elf")/qemu-debug.log
# shellcheck disable=SC2086
$QEMU $qemu_flags -kernel "$elf" -append "$cmdline" -S -gdb tcp::"$PORT" \
    -serial file:"$(dirname "$elf")/serial.log" -monitor none -display none -daemonize \
    -pidfile "$(dirname "$elf")/qemu-debug.pid" 2>"$log" || {
    cat "$log" >&2
    exit 1
}
pid=$(cat "$(dirname "$elf")/qemu-debug.pid")
trap 'kill "$pid" 2>/dev/null || true' EXIT INT TERM
echo "QEMU is halted at the first instruction; console output goes to $(dirname "$elf")/serial.log"
echo "The CPU starts with the MMU off: 'break *0x40200000' stops at _start (physical),"
echo "'break kmain' once the kernel runs on its upper-half addresses."
$GDB -q "$elf" \
    -ex "set confirm off" \
    -ex "set architecture aarch64" \
    -ex "target remote localhost:$PORT" \
    ${GDB_BATCH:+-batch} ${GDB_COMMANDS:+-x "$GDB_COMMANDS"}
