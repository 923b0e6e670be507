#!/bin/sh
# Builds the kernel the way the original project did, for its readers:
#
#   scripts/build-aarch64-virt.sh [demo]
#   scripts/build-aarch64-virt.sh --list     the demo names it accepts
#
# writes dist/virt/os-aarch64-virt.elf, which runs [demo] (default "boot")
# when the command line names none. Then: scripts/run-aarch64-virt.sh
#
# [demo] is one of the kernel's demos (make run DEMO=...), or the original's
# name for it, demo-NAME: demo-ipc is ipc, demo-preempt preempt, demo-memory
# memory. An unknown name fails here, before anything is built.
# Any make variable works too, e.g. LLVM=1 scripts/build-aarch64-virt.sh ipc
# VIRT_BUILD=dir and VIRT_DIST=dir move the build (build/dist-virt) and the
# output (dist/virt); scripts/run-aarch64-virt.sh reads VIRT_DIST too.
set -eu
cd "$(dirname "$0")/.."

# The kernel's demos: every DEMO(ident, "name", ...) in its sources, which the
# linker collects into the table kernel/demo.c searches (include/kernel/demo.h).
# tests/qemu/test_tools.py checks this list against the one the kernel prints.
kernel_demos() {
    grep -rhoE --include='*.c' '^DEMO\([A-Za-z0-9_]+, *"[^"]+"' kernel arch drivers platform lib |
        sed 's/.*"\(.*\)"$/\1/'
}

# The original project's demos, each the kernel demo of the same name.
ORIGINAL_DEMOS="demo-ipc demo-preempt demo-memory"

# One name per line: the kernel's demos, then the original's names for them.
list_demos() {
    kernel_demos | sort
    for name in $ORIGINAL_DEMOS; do
        echo "$name"
    done
}

if [ "${1:-}" = --list ]; then
    list_demos
    exit 0
fi

demo=${1:-boot}
known=$(kernel_demos)
resolve() {
    for name in $known; do
        if [ "$1" = "$name" ] || [ "$1" = "demo-$name" ]; then
            echo "$name"
            return 0
        fi
    done
    return 1
}
if ! kernel_demo=$(resolve "$demo"); then
    {
        echo "build-aarch64-virt.sh: no demo '$demo'. Valid names:"
        kernel_demos | sort | sed 's/^/  /'
        for name in $ORIGINAL_DEMOS; do
            echo "  $name (the original project's name for ${name#demo-})"
        done
        echo "(demo-NAME works for every NAME in the list)"
    } >&2
    exit 2
fi

build=${VIRT_BUILD:-build/dist-virt}
dist=${VIRT_DIST:-dist/virt}
jobs=$(nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)
scripts/setup.sh --if-missing
${MAKE:-make} -s -j"$jobs" BUILD="$build" DEFAULT_DEMO="$kernel_demo" \
    ${LLVM:+LLVM=$LLVM} ${OPT:+OPT=$OPT} kernel
mkdir -p "$dist"
cp "$build/kernel.elf" "$dist/os-aarch64-virt.elf"
cp "$build/kernel.img" "$dist/os-aarch64-virt.img"
if [ "$kernel_demo" = "$demo" ]; then
    echo "built $dist/os-aarch64-virt.elf (default demo: $demo)"
else
    echo "built $dist/os-aarch64-virt.elf (default demo: $kernel_demo, the original's $demo)"
fi
echo "run it with scripts/run-aarch64-virt.sh (kernel arguments after it, e.g. exit)"
