# SPDX-License-Identifier: MIT
# Shared part of the bare-metal Cortex-M toolchains: arm-none-eabi-gcc with newlib, tests run on
# QEMU's MPS2 boards through semihosting (output on stdout, exit code passed through).
# The including file sets SW_MCU_FLAGS, SW_QEMU_MACHINE and CMAKE_SYSTEM_PROCESSOR.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
# Compiler checks build a static library, so they need neither startup code nor a linker script.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_C_FLAGS_INIT "${SW_MCU_FLAGS} -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${SW_MCU_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${SW_MCU_FLAGS}")
# newlib's libm at the end of every link line (native/ links "m" only on hosted systems).
set(CMAKE_C_STANDARD_LIBRARIES_INIT "-lm")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)

# No dynamic loader on bare metal.
set(SW_BUILD_SHARED OFF CACHE BOOL "Also build libsipwire_kernels.so (loaded by the C# tests)" FORCE)
# The board file builds the startup code and linker script into every test executable
# (SW_TEST_LINK_OPTIONS); native/CMakeLists.txt and boards/CMakeLists.txt include it.
set(SW_BOARD mps2)
set(SW_BOARD_CMAKE ${CMAKE_CURRENT_LIST_DIR}/../../boards/targets/mps2/board.cmake)
# The runner turns "<elf> <args...>" into a qemu-system-arm command line with semihosting argv.
set(CMAKE_CROSSCOMPILING_EMULATOR
    ${CMAKE_CURRENT_LIST_DIR}/../../boards/targets/mps2/qemu-mps2.sh;${SW_QEMU_MACHINE})
