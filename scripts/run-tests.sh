#!/bin/sh
# make test: host unit tests, then every kernel build, then the QEMU scenarios.
#
# usage: [BUILD=dir] scripts/run-tests.sh CONFIG...
#   CONFIG is toolchain:optimisation:level, e.g. gcc:-O2:full or llvm:-Os:smoke.
#   "full" builds run every scenario; "smoke" builds run those marked smoke.
#   Everything is built under BUILD (default build), as make BUILD=dir test asks.
#
# Prints a closing line "tests: N passed, N failed" and exits non-zero on any failure.
set -eu
cd "$(dirname "$0")/.."

MAKE=${MAKE:-make}
jobs=$(nproc 2>/dev/null || echo 2)
build=${BUILD:-build}

echo "== host unit tests (ASan + UBSan)"
host_log=$build/host-test.log
mkdir -p "$build"
$MAKE -s -j"$jobs" BUILD="$build" "$build/host/ktest-host" "$build/virt.dtb"
set +e
scripts/run-logged.sh "$host_log" "$build/host/ktest-host" --dtb "$build/virt.dtb"
host_status=$?
set -e
host_passed=$(sed -n 's/^ktest: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$host_log")
host_failed=$(sed -n 's/^ktest: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$host_log")
if [ -z "$host_passed" ]; then
    host_passed=0
    host_failed=1
elif [ "$host_status" -ne 0 ] && [ "$host_failed" -eq 0 ]; then
    host_failed=1   # the runner crashed (a sanitizer report) after its summary
fi

builds=""
for config in "$@"; do
    toolchain=${config%%:*}
    rest=${config#*:}
    opt=${rest%%:*}
    level=${rest#*:}
    if [ "$toolchain" = gcc ] && [ "$opt" = -O2 ]; then
        dir=$build                     # the build "make" itself makes
    else
        dir=$build/$toolchain$opt
    fi
    flags="BUILD=$dir"
    [ "$toolchain" = llvm ] && flags="$flags LLVM=1"
    echo "== kernel build: $toolchain $opt ($dir)"
    # shellcheck disable=SC2086
    $MAKE -s -j"$jobs" OPT="$opt" $flags kernel
    builds="$builds $dir:$level"
done

echo "== QEMU scenarios:$builds"
pytest=$(scripts/find-pytest.sh)
set +e
# shellcheck disable=SC2086
KERNEL_BUILDS="$builds" HOST_BUILD_DIR="$build" scripts/run-logged.sh "$build/qemu-test.log" \
    $pytest -q -p no:cacheprovider tests/qemu
qemu_status=$?
set -e
qemu_passed=$(sed -n 's/^qemu-scenarios: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$build/qemu-test.log")
qemu_failed=$(sed -n 's/^qemu-scenarios: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$build/qemu-test.log")
if [ -z "$qemu_passed" ]; then
    qemu_passed=0
    qemu_failed=1
elif [ "$qemu_status" -ne 0 ] && [ "$qemu_failed" -eq 0 ]; then
    qemu_failed=1
fi

passed=$((host_passed + qemu_passed))
failed=$((host_failed + qemu_failed))
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
