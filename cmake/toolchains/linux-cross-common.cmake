# SPDX-License-Identifier: MIT
# Shared part of the Linux cross toolchains: Debian's <triple>-gcc, its sysroot under /usr/<triple>,
# and qemu-user as the emulator so plain `ctest` runs the target's tests.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${SW_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${SW_TRIPLE}-g++)
set(CMAKE_FIND_ROOT_PATH /usr/${SW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# No binfmt_misc on the build machines: name the emulator; -L points it at the target's loader.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-${SW_QEMU_ARCH};-L;/usr/${SW_TRIPLE})
