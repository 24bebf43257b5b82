# SPDX-License-Identifier: MIT
# linux-arm (armhf, ARMv7-A hard-float) with Debian's cross gcc; tests run under qemu-arm.
set(CMAKE_SYSTEM_PROCESSOR arm)
set(SW_TRIPLE arm-linux-gnueabihf)
set(SW_QEMU_ARCH arm)
include(${CMAKE_CURRENT_LIST_DIR}/linux-cross-common.cmake)
