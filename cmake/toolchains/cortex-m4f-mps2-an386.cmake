# SPDX-License-Identifier: MIT
# Cortex-M4F (ARMv7E-M with the single-precision FPU, hard-float ABI) on QEMU's MPS2 AN386 board.
set(CMAKE_SYSTEM_PROCESSOR cortex-m4)
set(SW_MCU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
set(SW_QEMU_MACHINE mps2-an386)
include(${CMAKE_CURRENT_LIST_DIR}/arm-none-eabi-common.cmake)
