# SPDX-License-Identifier: MIT
# MPS2 AN385/AN386 board (QEMU): startup code, linker script and semihosting link options, as the
# object library sw_board that every bare-metal executable links (SW_TEST_LINK_OPTIONS).
include_guard(GLOBAL)

set(SW_BOARD_DIR ${CMAKE_CURRENT_LIST_DIR})
add_library(sw_board OBJECT ${SW_BOARD_DIR}/startup.c)
target_include_directories(sw_board PUBLIC ${SW_BOARD_DIR})
target_compile_options(sw_board PRIVATE -Wall -Wextra -Werror)
# rdimon: newlib's semihosting syscalls (stdio and files on the host, exit code passed through).
# _sbrk is wrapped so that malloc is bounded by the linker script, not by the stack pointer.
target_link_options(sw_board INTERFACE
  -T${SW_BOARD_DIR}/mps2.ld --specs=rdimon.specs -nostartfiles -Wl,--gc-sections
  -Wl,--wrap=_sbrk)
set_property(TARGET sw_board APPEND PROPERTY INTERFACE_LINK_DEPENDS ${SW_BOARD_DIR}/mps2.ld)
set(SW_TEST_LINK_OPTIONS sw_board)
