#!/bin/sh
# make debug: start QEMU halted with a gdb stub on localhost:1234, and attach
# a debugger with the kernel's symbols. Quitting the debugger stops QEMU.
#
# usage: scripts/debug.sh KERNEL_ELF "QEMU FLAGS" "KERNEL COMMAND LINE"
#        scripts/debug.sh --which   print the debugger it would use, or what to install
#
# The debugger is GDB if set (a gdb, or an lldb), else the first of:
#   gdb-multiarch                 Debian and Ubuntu
#   gdb, if it knows AArch64      built with --enable-targets=all (Homebrew's, on Intel Macs)
#   lldb                          macOS (Xcode's command line tools), LLVM
# GDB_BATCH=1 runs it without a prompt; GDB_COMMANDS=file runs the commands in
# file once it is attached (gdb commands for gdb, lldb commands for lldb).
set -eu

# Whether gdb $1 can debug AArch64 (Debian's plain gdb knows only the host).
gdb_knows_aarch64() {
    "$1" -nx --batch -ex "set architecture aarch64" >/dev/null 2>&1
}

find_debugger() {
    if [ -n "${GDB:-}" ]; then
        echo "$GDB"
    elif command -v gdb-multiarch >/dev/null 2>&1; then
        echo gdb-multiarch
    elif command -v gdb >/dev/null 2>&1 && gdb_knows_aarch64 gdb; then
        echo gdb
    elif command -v lldb >/dev/null 2>&1; then
        echo lldb
    else
        return 1
    fi
}

no_debugger() {
    {
        echo "debug.sh: no debugger for AArch64 found."
        if command -v gdb >/dev/null 2>&1; then
            echo "  gdb is here, but it does not know AArch64 ('set architecture aarch64' fails);"
        fi
        echo "  make debug needs one of gdb-multiarch, a gdb built for all targets, or lldb:"
        echo "    Debian/Ubuntu:  sudo apt-get install gdb-multiarch"
        echo "    macOS:          xcode-select --install   (lldb; or brew install llvm)"
        echo "    elsewhere:      a gdb built with --enable-targets=all, or lldb"
        echo "  or name one: make debug GDB=/path/to/gdb"
    } >&2
    exit 1
}

if [ "${1:-}" = --which ]; then
    find_debugger || no_debugger
    exit 0
fi

[ $# -eq 3 ] || { echo "usage: $0 KERNEL_ELF \"QEMU FLAGS\" \"KERNEL COMMAND LINE\"" >&2; exit 2; }
elf=$1
qemu_flags=$2
cmdline=$3
QEMU=${QEMU:-qemu-system-aarch64}
PORT=${GDB_PORT:-1234}
debugger=$(find_debugger) || no_debugger
case "$(basename "$debugger")" in
    *lldb*) style=lldb ;;
    *) style=gdb ;;
esac

# The console goes to a file, so QEMU can run in the background while the debugger has the terminal.
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
echo "Debugging with $debugger."
if [ "$style" = lldb ]; then
    # lldb reads the architecture from the ELF; gdb-remote attaches to QEMU's stub.
    "$debugger" "$elf" -o "gdb-remote localhost:$PORT" \
        ${GDB_BATCH:+--batch} ${GDB_COMMANDS:+-s "$GDB_COMMANDS"}
else
    "$debugger" -q "$elf" \
        -ex "set confirm off" \
        -ex "set architecture aarch64" \
        -ex "target remote localhost:$PORT" \
        ${GDB_BATCH:+-batch} ${GDB_COMMANDS:+-x "$GDB_COMMANDS"}
fi
