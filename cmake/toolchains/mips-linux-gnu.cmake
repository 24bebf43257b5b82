# SPDX-License-Identifier: MIT
# linux-mips (MIPS32 big-endian: the byte-order canary) with Debian's cross gcc; tests run under qemu-mips.
set(CMAKE_SYSTEM_PROCESSOR mips)
set(SW_TRIPLE mips-linux-gnu)
set(SW_QEMU_ARCH mips)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross-common.cmake)
