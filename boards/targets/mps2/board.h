/* SPDX-License-Identifier: MIT */
/* MPS2 AN385/AN386 board support on QEMU: registers, semihosting, the free-running cycle timer. */
#ifndef BOARD_MPS2_H
#define BOARD_MPS2_H

#include <stdint.h>

/** @brief Core and peripheral clock of the MPS2 FPGA images AN385/AN386 (25 MHz). */
#define BOARD_SYSCLK_HZ 25000000u

/** @brief Number of external interrupts wired on the MPS2 board (CMSDK peripherals). */
#define BOARD_IRQ_COUNT 32

/* System control space (ARMv7-M ARM, B3.2). */
#define BOARD_REG32(addr) (*(volatile uint32_t *)(addr))
#define BOARD_ICSR BOARD_REG32(0xE000ED04u)     /**< Interrupt control and state */
#define BOARD_VTOR BOARD_REG32(0xE000ED08u)     /**< Vector table offset */
#define BOARD_SHPR2 BOARD_REG32(0xE000ED1Cu)    /**< SVCall priority (bits 31:24) */
#define BOARD_SHPR3 BOARD_REG32(0xE000ED20u)    /**< PendSV (23:16) and SysTick (31:24) */
#define BOARD_CPACR BOARD_REG32(0xE000ED88u)    /**< Coprocessor access (CP10/CP11 = FPU) */
#define BOARD_FPCCR BOARD_REG32(0xE000EF34u)    /**< FP context control (ASPEN, LSPEN) */
#define BOARD_SYST_CSR BOARD_REG32(0xE000E010u) /**< SysTick control and status */
#define BOARD_SYST_RVR BOARD_REG32(0xE000E014u) /**< SysTick reload value */
#define BOARD_SYST_CVR BOARD_REG32(0xE000E018u) /**< SysTick current value */
#define BOARD_ICSR_PENDSVSET (1u << 28)

/* CMSDK APB timer 1 (0x40001000), used as the free-running cycle counter. */
#define BOARD_TIMER1_CTRL BOARD_REG32(0x40001000u)
#define BOARD_TIMER1_VALUE BOARD_REG32(0x40001004u)
#define BOARD_TIMER1_RELOAD BOARD_REG32(0x40001008u)

/**
 * @brief Semihosting call (ARM "Semihosting for AArch32 and AArch64", BKPT 0xAB on M-profile).
 * @param op operation number (SYS_*); @param arg pointer to the parameter block or a value.
 * @return the host's r0 result.
 */
int32_t board_semihost(uint32_t op, const void *arg);

/** @brief Writes a NUL-terminated string to the host console (SYS_WRITE0), no libc needed. */
void board_puts(const char *s);

/**
 * @brief Free-running counter at BOARD_SYSCLK_HZ (CMSDK timer 1), started by the reset code.
 * @return ticks since reset, wrapping modulo 2^32 (171 s at 25 MHz); differences are exact
 * across one wrap.
 */
uint32_t board_cycles_now(void);

/** @brief Ends the QEMU session with @p code as its exit status (SYS_EXIT_EXTENDED). */
void board_exit(int code);

#endif
