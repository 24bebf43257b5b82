/* SPDX-License-Identifier: MIT */
/* Reset code and vector table for QEMU MPS2 AN385/AN386: .data/.bss, FPU, semihosting argv. */
#include "board.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

/* Linker script symbols (mps2.ld). */
extern uint32_t __data_load__[], __data_start__[], __data_end__[];
extern uint32_t __bss_start__[], __bss_end__[];
extern uint32_t __stack_top__[];
extern char __heap_start__[], __heap_end__[];

extern int main(int argc, char **argv);
extern void initialise_monitor_handles(void);
extern void __libc_init_array(void);

void Reset_Handler(void);
void Default_Handler(void);
void NMI_Handler(void) __attribute__((weak, alias("Default_Handler")));
void HardFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void MemManage_Handler(void) __attribute__((weak, alias("Default_Handler")));
void BusFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UsageFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SVC_Handler(void) __attribute__((weak, alias("Default_Handler")));
void DebugMon_Handler(void) __attribute__((weak, alias("Default_Handler")));
void PendSV_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

typedef void (*board_vector)(void);

/* ARMv7-M ARM B1.5.3: word 0 is the initial MSP, then the exception handlers by number. */
__attribute__((section(".vectors"), used)) const board_vector board_vectors[16 + BOARD_IRQ_COUNT] = {
    (board_vector)(uintptr_t)__stack_top__,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0, 0, 0, 0,
    SVC_Handler,
    DebugMon_Handler,
    0,
    PendSV_Handler,
    SysTick_Handler,
    /* External interrupts 0..31: no driver uses them yet. */
#define BOARD_IRQ4 Default_Handler, Default_Handler, Default_Handler, Default_Handler
    BOARD_IRQ4, BOARD_IRQ4, BOARD_IRQ4, BOARD_IRQ4, BOARD_IRQ4, BOARD_IRQ4, BOARD_IRQ4, BOARD_IRQ4,
#undef BOARD_IRQ4
};

/* Semihosting operation numbers. */
#define SYS_WRITE0 0x04u
#define SYS_GET_CMDLINE 0x15u
#define SYS_EXIT 0x18u
#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define ADP_STOPPED_RUNTIME_ERROR_UNKNOWN 0x20023u

int32_t board_semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return (int32_t)r0;
}

void board_puts(const char *s)
{
    board_semihost(SYS_WRITE0, s);
}

uint32_t board_cycles_now(void)
{
    /* The CMSDK timer counts down from its reload value. */
    return 0xFFFFFFFFu - BOARD_TIMER1_VALUE;
}

void board_exit(int code)
{
    uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
    board_semihost(SYS_EXIT_EXTENDED, block);
    /* Hosts without SYS_EXIT_EXTENDED: report at least success versus failure. */
    board_semihost(SYS_EXIT, (const void *)(uintptr_t)(code == 0 ? ADP_STOPPED_APPLICATION_EXIT
                                                                 : ADP_STOPPED_RUNTIME_ERROR_UNKNOWN));
    for (;;) {
    }
}

static void board_put_hex(uint32_t v)
{
    char buf[11] = "0x";
    for (int i = 0; i < 8; i++) {
        buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xFu];
    }
    buf[10] = '\0';
    board_puts(buf);
}

/* Any unexpected exception ends the run with a message the test harness treats as failure.
 * Naked, so that the stack pointer read here still points at the hardware exception frame. */
void board_fault_report(const uint32_t *frame);
__attribute__((naked)) void Default_Handler(void)
{
    __asm__ volatile("tst lr, #4\n\t"
                     "ite eq\n\t"
                     "mrseq r0, msp\n\t"
                     "mrsne r0, psp\n\t"
                     "b board_fault_report\n\t");
}

void board_fault_report(const uint32_t *frame)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    board_puts("\nFAIL: unhandled exception ");
    board_put_hex(ipsr & 0x1FFu);
    board_puts(" at pc ");
    board_put_hex(frame[6]);
    board_puts(" cfsr ");
    board_put_hex(BOARD_REG32(0xE000ED28u));
    board_puts("\n");
    board_exit(1);
}

/* newlib's malloc gets its memory here, bounded by the linker script rather than the current
 * stack pointer (the libgloss default), so that tasks on their own stacks can allocate too. */
void *__wrap__sbrk(ptrdiff_t incr);
void *__wrap__sbrk(ptrdiff_t incr)
{
    static char *s_brk = __heap_start__;
    char *prev = s_brk;
    if (incr > __heap_end__ - s_brk || incr < __heap_start__ - s_brk) {
        errno = ENOMEM;
        return (void *)-1;
    }
    s_brk += incr;
    return prev;
}

/* -nostartfiles drops crti/crtn; newlib's __libc_init_array still calls these. */
void _init(void);
void _fini(void);
void _init(void)
{
}
void _fini(void)
{
}

/* argv from the semihosting command line ("image arg1 arg2", split at spaces). */
#define BOARD_MAX_ARGS 8
static char s_cmdline[512];
static char *s_argv[BOARD_MAX_ARGS + 1];

static int board_get_args(void)
{
    struct {
        char *buf;
        uint32_t len;
    } block = {s_cmdline, sizeof s_cmdline - 1};
    int argc = 0;
    char *p = s_cmdline;

    if (board_semihost(SYS_GET_CMDLINE, &block) != 0) {
        return 0;
    }
    s_cmdline[block.len < sizeof s_cmdline ? block.len : sizeof s_cmdline - 1] = '\0';
    while (*p != '\0' && argc < BOARD_MAX_ARGS) {
        while (*p == ' ') {
            *p++ = '\0';
        }
        if (*p == '\0') {
            break;
        }
        s_argv[argc++] = p;
        while (*p != '\0' && *p != ' ') {
            p++;
        }
    }
    s_argv[argc] = NULL;
    return argc;
}

void Reset_Handler(void)
{
    memcpy(__data_start__, __data_load__, (size_t)((char *)__data_end__ - (char *)__data_start__));
    memset(__bss_start__, 0, (size_t)((char *)__bss_end__ - (char *)__bss_start__));
    BOARD_VTOR = (uint32_t)(uintptr_t)board_vectors;
#if defined(__ARM_FP)
    /* Full access to CP10/CP11 (the FPU) before any float instruction runs (ARMv7-M B3.2.20). */
    BOARD_CPACR |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    /* Timer 1 free-running from 0xFFFFFFFF at the 25 MHz peripheral clock: the cycle counter. */
    BOARD_TIMER1_RELOAD = 0xFFFFFFFFu;
    BOARD_TIMER1_VALUE = 0xFFFFFFFFu;
    BOARD_TIMER1_CTRL = 1u;
    initialise_monitor_handles();
    __libc_init_array();
    int argc = board_get_args();
    exit(main(argc, s_argv));
}
