# SPDX-License-Identifier: MIT
# Cortex-M3 (ARMv7-M, soft float) on QEMU's MPS2 AN385 board.
set(CMAKE_SYSTEM_PROCESSOR cortex-m3)
set(SW_MCU_FLAGS "-mcpu=cortex-m3 -mthumb -mfloat-abi=soft")
set(SW_QEMU_MACHINE mps2-an385)
include(${CMAKE_CURRENT_LIST_DIR}/arm-none-eabi-common.cmake)
