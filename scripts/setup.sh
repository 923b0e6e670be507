#!/bin/sh
# Installs what building, running and testing the kernel needs.
#
#   scripts/setup.sh              install whatever is missing
#   scripts/setup.sh --if-missing the same, silent when nothing is missing
#                                 (make run and make test call this)
#   scripts/setup.sh --check      only report; exit 1 if something is missing
#
# Debian/Ubuntu: apt-get (as root, or through sudo). macOS: Homebrew.
# Anything else: prints what to install.
set -eu
cd "$(dirname "$0")/.."

MODE=install
case "${1:-}" in
    --if-missing) MODE=if-missing ;;
    --check) MODE=check ;;
    "") ;;
    *) echo "usage: $0 [--if-missing|--check]" >&2; exit 2 ;;
esac

CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
QEMU=${QEMU:-qemu-system-aarch64}
QEMU_MIN_MAJOR=7
QEMU_MIN_MINOR=2

DEBIAN_PACKAGES="make gcc gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm \
gdb-multiarch python3 python3-pytest python3-pexpect device-tree-compiler clang lld llvm clang-format"
BREW_PACKAGES="make aarch64-elf-gcc qemu llvm lld dtc python"

missing=""
note_missing() { missing="$missing $1"; }

check_tools() {
    missing=""
    for tool in make cc "${CROSS_COMPILE}gcc" "${CROSS_COMPILE}ld" "$QEMU" gdb-multiarch dtc \
                clang ld.lld llvm-objcopy llvm-nm llvm-objdump clang-format; do
        command -v "$tool" >/dev/null 2>&1 || note_missing "$tool"
    done
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
[ "$MODE" = check ] && exit 1

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
    echo "       gdb-multiarch is not in Homebrew: use 'brew install gdb' on Intel, or lldb"
else
    echo "setup: no apt-get or brew here. Install these (Debian names):" >&2
    echo "  $DEBIAN_PACKAGES" >&2
    exit 1
fi

check_tools
if [ -n "$missing" ]; then
    echo "setup: still missing after install:$missing" >&2
    echo "setup: see docs/DEVELOPMENT_SETUP.md, section Troubleshooting" >&2
    exit 1
fi
echo "setup: all tools present"
