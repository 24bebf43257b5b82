#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs a bare-metal test image on QEMU's MPS2 board with semihosting; the guest's exit code
# becomes this script's exit code. CMake calls it as CMAKE_CROSSCOMPILING_EMULATOR.
#
# usage: qemu-mps2.sh <machine> [--icount] <image.elf> [args...]
#   machine    mps2-an385 (Cortex-M3) or mps2-an386 (Cortex-M4F)
#   --icount   deterministic time: one instruction = 8 ns of virtual time (125 MIPS), SysTick and
#              timing checks then depend only on the instruction count, not on host load
#   args       handed to main() through semihosting SYS_GET_CMDLINE (argv[0] is the image)
set -eu
if [ $# -lt 2 ]; then
    echo "usage: $0 <machine> [--icount] <image.elf> [args...]" >&2
    exit 2
fi
machine=$1
shift
icount=""
if [ "$1" = "--icount" ]; then
    icount="-icount shift=3,align=off,sleep=off"
    shift
fi
image=$1
# QEMU option values escape a comma by doubling it.
semi="enable=on,target=native"
for a in "$@"; do
    semi="$semi,arg=$(printf '%s' "$a" | sed 's/,/,,/g')"
done
# shellcheck disable=SC2086 # $icount is a word list on purpose
exec qemu-system-arm -M "$machine" -nographic -monitor none -serial none $icount \
    -semihosting-config "$semi" -kernel "$image"
