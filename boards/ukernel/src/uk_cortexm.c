/* SPDX-License-Identifier: MIT */
/* uk port for ARMv7-M (Cortex-M3/M4/M4F/M7): SysTick tick, PendSV context switch, PRIMASK. */
#include "uk_internal.h"

#include <stddef.h>
#include <stdint.h>

/* System control space registers (ARMv7-M Architecture Reference Manual, B3.2 and B3.3). */
#define UK_REG32(addr) (*(volatile uint32_t *)(addr))
#define UK_ICSR UK_REG32(0xE000ED04u)
#define UK_SHPR3 UK_REG32(0xE000ED20u)
#define UK_SYST_CSR UK_REG32(0xE000E010u)
#define UK_SYST_RVR UK_REG32(0xE000E014u)
#define UK_SYST_CVR UK_REG32(0xE000E018u)
#define UK_ICSR_PENDSVSET (1u << 28)

/* EXC_RETURN for a task: return to thread mode, use PSP, basic (integer-only) frame. */
#define UK_EXC_RETURN_THREAD_PSP 0xFFFFFFFDu

void PendSV_Handler(void);
void SysTick_Handler(void);

uint32_t uk_critical_enter(void)
{
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n\t"
                     "cpsid i"
                     : "=r"(primask)
                     :
                     : "memory");
    return primask;
}

void uk_critical_exit(uint32_t saved)
{
    /* The ISB lets a PendSV that became pending inside the section be taken right here. */
    __asm__ volatile("msr primask, %0\n\t"
                     "isb"
                     :
                     : "r"(saved)
                     : "memory");
}

int uk_in_isr(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    return (ipsr & 0x1FFu) != 0u;
}

void uk_port_pend_switch(void)
{
    UK_ICSR = UK_ICSR_PENDSVSET;
}

void uk_port_wait_for_interrupt(void)
{
    __asm__ volatile("dsb\n\t"
                     "wfi" ::: "memory");
}

/* A new task's stack looks as if PendSV had just saved it: the hardware exception frame
 * (ARMv7-M B1.5.6: r0-r3, r12, lr, pc, xPSR) under the software-saved r4-r11 and EXC_RETURN. */
void uk_port_stack_init(uk_task *task)
{
    uint32_t *sp = (uint32_t *)((uintptr_t)(task->stack_base + task->stack_words) & ~(uintptr_t)7u);
    int i;

    *--sp = 0x01000000u;                                          /* xPSR: Thumb bit */
    *--sp = (uint32_t)(uintptr_t)uk_core_task_entry & ~1u;        /* pc */
    *--sp = (uint32_t)(uintptr_t)uk_task_exit;                    /* lr */
    for (i = 0; i < 5; i++) {
        *--sp = 0u;                                               /* r12, r3, r2, r1, r0 */
    }
    *--sp = UK_EXC_RETURN_THREAD_PSP;
    for (i = 0; i < 8; i++) {
        *--sp = 0u;                                               /* r11..r4 */
    }
    task->sp = (uint32_t)(uintptr_t)sp;
}

void uk_port_start(uint32_t cpu_hz, uint32_t tick_hz)
{
    uk_critical_enter();
    /* PendSV and SysTick at the lowest priority: they never preempt each other or a device ISR. */
    UK_SHPR3 |= 0xFFFF0000u;
    UK_SYST_RVR = cpu_hz / tick_hz - 1u;
    UK_SYST_CVR = 0u;
    UK_SYST_CSR = 7u; /* processor clock, interrupt, enable */
    uk_g_current = NULL;
    uk_port_pend_switch();
    /* PendSV runs as soon as interrupts are unmasked and switches to the first task; this
     * stack (MSP) carries on as the handler stack. */
    uk_critical_exit(0u);
}

void SysTick_Handler(void)
{
    uk_core_tick();
}

/* Context switch. The hardware has stacked r0-r3, r12, lr, pc, xPSR (and, for a task with an FP
 * context, reserved room for s0-s15/FPSCR, filled lazily) on the task's PSP. We push r4-r11 and
 * EXC_RETURN, plus s16-s31 when EXC_RETURN bit 4 is clear (the task has an FP context). Touching
 * s16 triggers the deferred hardware save of s0-s15 first (ARMv7-M B1.5.7, lazy stacking). */
__attribute__((naked)) void PendSV_Handler(void)
{
    __asm__ volatile(
        "mrs r0, psp\n\t"
        "ldr r2, =uk_g_current\n\t"
        "ldr r1, [r2]\n\t"
        "cbz r1, 1f\n\t"
#if defined(__ARM_FP)
        "tst lr, #0x10\n\t"
        "it eq\n\t"
        "vstmdbeq r0!, {s16-s31}\n\t"
#endif
        "stmdb r0!, {r4-r11, lr}\n\t"
        "str r0, [r1]\n\t"
        "1:\n\t"
        "bl uk_core_switch\n\t"
        "ldr r0, [r0]\n\t"
        "ldmia r0!, {r4-r11, lr}\n\t"
#if defined(__ARM_FP)
        "tst lr, #0x10\n\t"
        "it eq\n\t"
        "vldmiaeq r0!, {s16-s31}\n\t"
#endif
        "msr psp, r0\n\t"
        "bx lr\n\t"
        ".ltorg\n\t");
}
