# SPDX-License-Identifier: MIT
# linux-arm64 (AArch64) with Debian's cross gcc; tests run under qemu-aarch64.
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(SW_TRIPLE aarch64-linux-gnu)
set(SW_QEMU_ARCH aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross-common.cmake)
