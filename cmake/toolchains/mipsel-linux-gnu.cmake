# SPDX-License-Identifier: MIT
# linux-mipsel (MIPS32 little-endian) with Debian's cross gcc; tests run under qemu-mipsel.
set(CMAKE_SYSTEM_PROCESSOR mipsel)
set(SW_TRIPLE mipsel-linux-gnu)
set(SW_QEMU_ARCH mipsel)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross-common.cmake)
