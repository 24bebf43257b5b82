# SPDX-License-Identifier: MIT
# linux-riscv64 (RV64GC) with Debian's cross gcc; tests run under qemu-riscv64.
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(SW_TRIPLE riscv64-linux-gnu)
set(SW_QEMU_ARCH riscv64)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross-common.cmake)
