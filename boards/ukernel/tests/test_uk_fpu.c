/* SPDX-License-Identifier: MIT */
/* Microkernel FPU context on QEMU: time-sliced tasks keep all of s0-s31 across preemption while
 * the tick interrupt itself uses the FPU (exercises lazy stacking). On a core without an FPU the
 * float work runs in software and the test checks results only. */
#include "uk_test_main.h"

#define FPU_TASKS 3
#define FPU_ROUNDS 12

static uk_task s_controller, s_workers[FPU_TASKS];
UK_TEST_STACK(s_controller_stack);
static uint64_t s_worker_stacks[FPU_TASKS][UK_TEST_STACK_BYTES / 8u];

static volatile uint32_t s_ticks;
static volatile float s_isr_acc;
static volatile uint32_t s_done[FPU_TASKS];
static volatile uint32_t s_errors[FPU_TASKS];
static volatile float s_results[FPU_TASKS];

static void tick_hook(void)
{
    /* Float work in the SysTick handler: with an FP task preempted, this forces the deferred
     * save of its s0-s15 (lazy stacking) before the handler's own FP instructions run. */
    s_isr_acc = s_isr_acc * 0.5f + (float)(s_ticks & 7u);
    s_ticks++;
}

#if defined(__ARM_FP)
/* Loads s0-s31 from in, spins until the tick counter has advanced by n (the task is preempted
 * meanwhile by tasks that load their own values), then stores s0-s31 to out. */
static void fp_hold(const uint32_t *in, uint32_t *out, volatile uint32_t *tick, uint32_t n)
{
    __asm__ volatile("vldmia %[in], {s0-s31}\n\t"
                     "ldr r3, [%[tick]]\n\t"
                     "add r3, r3, %[n]\n\t"
                     "1:\n\t"
                     "ldr r2, [%[tick]]\n\t"
                     "subs r2, r2, r3\n\t"
                     "bmi 1b\n\t"
                     "vstmia %[out], {s0-s31}\n\t"
                     :
                     : [in] "r"(in), [out] "r"(out), [tick] "r"(tick), [n] "r"(n)
                     : "r2", "r3", "cc", "memory", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8",
                       "s9", "s10", "s11", "s12", "s13", "s14", "s15", "s16", "s17", "s18", "s19", "s20",
                       "s21", "s22", "s23", "s24", "s25", "s26", "s27", "s28", "s29", "s30", "s31");
}
#endif

/* A float recurrence whose result depends on every step being exact. */
static float fp_work(uint32_t seed, uint32_t steps)
{
    float x = (float)seed * 0.001f;
    uint32_t i;
    for (i = 0; i < steps; i++) {
        x = x * 0.999f + 0.25f / (1.0f + (float)(i & 15u));
    }
    return x;
}

static void worker(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg;
    uint32_t round, i;
    (void)id;
    for (round = 0; round < FPU_ROUNDS; round++) {
#if defined(__ARM_FP)
        uint32_t in[32], out[32];
        for (i = 0; i < 32u; i++) {
            in[i] = 0x3F800000u + (id << 16) + (round << 8) + i;
        }
        fp_hold(in, out, &s_ticks, 2u);
        for (i = 0; i < 32u; i++) {
            if (out[i] != in[i]) {
                s_errors[id]++;
            }
        }
#else
        (void)i;
#endif
        s_results[id] = fp_work(id + 1u, 2000u + round);
    }
    s_done[id] = 1;
}

static void controller(void *arg)
{
    uint32_t id;
    float expected[FPU_TASKS];
    (void)arg;

    for (id = 0; id < FPU_TASKS; id++) {
        expected[id] = fp_work(id + 1u, 2000u + FPU_ROUNDS - 1u);
    }
    uk_set_tick_hook(tick_hook);
    for (id = 0; id < FPU_TASKS; id++) {
        SW_CHECK(uk_task_create(&s_workers[id], "fpu", worker, (void *)(uintptr_t)id, 2, s_worker_stacks[id],
                                sizeof s_worker_stacks[id]) == UK_OK);
    }
    while (!(s_done[0] && s_done[1] && s_done[2]) && s_ticks < 2000u) {
        uk_sleep(1);
    }
    uk_set_tick_hook(NULL);
    for (id = 0; id < FPU_TASKS; id++) {
        printf("worker %u: done=%u register mismatches=%u result %s\n", (unsigned)id, (unsigned)s_done[id],
               (unsigned)s_errors[id], s_results[id] == expected[id] ? "exact" : "WRONG");
        SW_CHECK(s_done[id] == 1u);
        SW_CHECK(s_errors[id] == 0u);
        SW_CHECK(s_results[id] == expected[id]);
    }
#if defined(__ARM_FP)
    printf("FPU context: hardware lazy stacking, s16-s31 saved by PendSV for FP tasks\n");
#else
    printf("no FPU on this core: float work in software, checked for results only\n");
#endif
    uk_test_finish();
}

int main(void)
{
    SW_CHECK(uk_task_create(&s_controller, "controller", controller, NULL, 5, s_controller_stack,
                            sizeof s_controller_stack) == UK_OK);
    uk_start(BOARD_SYSCLK_HZ, UK_TEST_TICK_HZ);
    return 1;
}
