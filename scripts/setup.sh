#!/bin/sh
# Installs what building, running and testing the kernel needs.
#
#   scripts/setup.sh              install whatever is missing
#   scripts/setup.sh --if-missing the same, silent when nothing is missing
#                                 (make run and make test call this)
#   scripts/setup.sh --check      only report; exit 1 if something is missing
#   ... --for debug               also require a debugger (make debug passes it):
#                                 what scripts/debug.sh --which finds
#
# Building, running and testing need no debugger: on macOS there is no
# gdb-multiarch, and make debug uses lldb there.
# Debian/Ubuntu: apt-get (as root, or through sudo). macOS: Homebrew.
# Anything else: prints what to install.
set -eu
cd "$(dirname "$0")/.."

MODE=install
FOR=run
usage() { echo "usage: $0 [--if-missing|--check] [--for run|test|debug]" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --if-missing) MODE=if-missing ;;
        --check) MODE=check ;;
        --for)
            [ $# -ge 2 ] || usage
            case "$2" in run|test|debug) FOR=$2 ;; *) usage ;; esac
            shift ;;
        *) usage ;;
    esac
    shift
done

CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
QEMU=${QEMU:-qemu-system-aarch64}
QEMU_MIN_MAJOR=7
QEMU_MIN_MINOR=2

# gdb-multiarch is installed for make debug, but only --for debug requires it.
# On an arm64 Debian (a container on Apple Silicon, a Raspberry Pi) the
# native gcc is the AArch64 compiler and also answers to aarch64-linux-gnu-gcc;
# there is no package gcc-aarch64-linux-gnu.
CROSS_GCC_PACKAGE=gcc-aarch64-linux-gnu
if command -v dpkg >/dev/null 2>&1 && [ "$(dpkg --print-architecture)" = arm64 ]; then
    CROSS_GCC_PACKAGE=gcc
fi
DEBIAN_PACKAGES="make gcc $CROSS_GCC_PACKAGE binutils-aarch64-linux-gnu qemu-system-arm \
gdb-multiarch python3 python3-pytest python3-pexpect device-tree-compiler clang lld llvm clang-format"
BREW_PACKAGES="make aarch64-elf-gcc qemu llvm lld dtc python"

missing=""
note_missing() { missing="$missing $1"; }

check_tools() {
    missing=""
    for tool in make cc "${CROSS_COMPILE}gcc" "${CROSS_COMPILE}ld" "$QEMU" dtc \
                clang ld.lld llvm-objcopy llvm-nm llvm-objdump clang-format; do
        command -v "$tool" >/dev/null 2>&1 || note_missing "$tool"
    done
    if [ "$FOR" = debug ] && ! scripts/debug.sh --which >/dev/null 2>&1; then
        note_missing "debugger(gdb-multiarch|gdb-for-aarch64|lldb)"
    fi
    if ! pytest=$(scripts/find-pytest.sh 2>/dev/null); then
        note_missing pytest
    else
        python=${pytest% -m pytest}
        [ "$python" = pytest-3 ] && python=/usr/bin/python3
        [ "$python" = pytest ] && python=python3
        "$python" -c "import pexpect" 2>/dev/null || note_missing python3-pexpect
    fi
    if command -v "$QEMU" >/dev/null 2>&1; then
        version=$("$QEMU" --version | sed -n 's/.*version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
        major=${version% *}
        minor=${version#* }
        if [ -z "$version" ] || [ "$major" -lt $QEMU_MIN_MAJOR ] ||
           { [ "$major" -eq $QEMU_MIN_MAJOR ] && [ "$minor" -lt $QEMU_MIN_MINOR ]; }; then
            note_missing "qemu>=$QEMU_MIN_MAJOR.$QEMU_MIN_MINOR(found:$major.$minor)"
        fi
    fi
}

check_tools
if [ -z "$missing" ]; then
    [ "$MODE" = if-missing ] || echo "setup: all tools present"
    exit 0
fi
echo "setup: missing:$missing"
# What scripts/debug.sh says to install when it finds no debugger.
debugger_advice() {
    case "$missing" in
        *debugger*) scripts/debug.sh --which >/dev/null || true ;;
    esac
}
if [ "$MODE" = check ]; then
    debugger_advice
    exit 1
fi

if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=""
    elif command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    else
        echo "setup: not root and no sudo; as root run:" >&2
        echo "  apt-get update && apt-get install -y $DEBIAN_PACKAGES" >&2
        exit 1
    fi
    echo "setup: installing with apt-get: $DEBIAN_PACKAGES"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $DEBIAN_PACKAGES >/dev/null
elif command -v brew >/dev/null 2>&1; then
    echo "setup: installing with Homebrew: $BREW_PACKAGES"
    # shellcheck disable=SC2086
    brew install $BREW_PACKAGES
    python3 -m pip install --user pytest pexpect
    echo "setup: on macOS build with CROSS_COMPILE=aarch64-elf- (or LLVM=1);"
    echo "       make debug uses lldb (xcode-select --install), as Homebrew has no gdb-multiarch"
else
    echo "setup: no apt-get or brew here. Install these (Debian names):" >&2
    echo "  $DEBIAN_PACKAGES" >&2
    exit 1
fi

check_tools
if [ -n "$missing" ]; then
    echo "setup: still missing after install:$missing" >&2
    debugger_advice
    echo "setup: see docs/DEVELOPMENT_SETUP.md, section Troubleshooting" >&2
    exit 1
fi
echo "setup: all tools present"
