#!/bin/sh
# Builds the kernel the way the original project did, for its readers:
#
#   scripts/build-aarch64-virt.sh [demo]
#
# writes dist/virt/os-aarch64-virt.elf, which runs [demo] (default "boot")
# when the command line names none. Then: scripts/run-aarch64-virt.sh
# Any make variable works too, e.g. LLVM=1 scripts/build-aarch64-virt.sh ipc
set -eu
cd "$(dirname "$0")/.."
demo=${1:-boot}
scripts/setup.sh --if-missing
make -s BUILD=build/dist-virt DEFAULT_DEMO="$demo" ${LLVM:+LLVM=$LLVM} ${OPT:+OPT=$OPT} kernel
mkdir -p dist/virt
cp build/dist-virt/kernel.elf dist/virt/os-aarch64-virt.elf
cp build/dist-virt/kernel.img dist/virt/os-aarch64-virt.img
echo "built dist/virt/os-aarch64-virt.elf (default demo: $demo)"
