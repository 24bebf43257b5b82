/* SPDX-License-Identifier: MIT */
/* Microkernel scheduling on QEMU: preemption by priority, round-robin, sleeping, idle hook, exit. */
#include "uk_test_main.h"

#include <string.h>

static uk_task s_controller, s_low, s_high, s_busy_a, s_busy_b, s_busy_low, s_short;
UK_TEST_STACK(s_controller_stack);
UK_TEST_STACK(s_low_stack);
UK_TEST_STACK(s_high_stack);
UK_TEST_STACK(s_busy_a_stack);
UK_TEST_STACK(s_busy_b_stack);
UK_TEST_STACK(s_busy_low_stack);
UK_TEST_STACK(s_short_stack);

static char s_trace[16];
static uint32_t s_trace_len;
static uk_sem s_wake_high;
static volatile int s_busy_run;
static volatile uint32_t s_count_a, s_count_b, s_count_low;
static volatile uint32_t s_idle_calls;
static volatile int s_short_ran;

static void trace(char c)
{
    if (s_trace_len < sizeof s_trace - 1u) {
        s_trace[s_trace_len++] = c;
    }
}

static void high_task(void *arg)
{
    (void)arg;
    trace('W');
    SW_CHECK(uk_sem_take(&s_wake_high, UK_WAIT_FOREVER) == UK_OK);
    trace('H');
}

static void low_task(void *arg)
{
    (void)arg;
    trace('L');
    /* The waiting higher-priority task must run inside this call, before 'l'. */
    SW_CHECK(uk_sem_give(&s_wake_high) == UK_OK);
    trace('l');
}

static void busy_task(void *arg)
{
    volatile uint32_t *counter = (volatile uint32_t *)arg;
    while (s_busy_run) {
        (*counter)++;
    }
}

static void short_task(void *arg)
{
    (void)arg;
    s_short_ran = 1;
    /* Returning ends the task. */
}

static void idle_hook(void)
{
    s_idle_calls++;
}

static void controller(void *arg)
{
    uint32_t t0, t1, total;
    uint64_t bad_stack[UK_STACK_MIN / 8u];
    uk_task bad;
    (void)arg;

    /* Preemption: low (prio 2) wakes high (prio 3) -> high runs at once. The controller (prio 5)
     * sleeps so that both get to run. */
    SW_CHECK(uk_sem_init(&s_wake_high, 0, 1) == UK_OK);
    SW_CHECK(uk_task_create(&s_high, "high", high_task, NULL, 3, s_high_stack, sizeof s_high_stack) == UK_OK);
    SW_CHECK(uk_task_create(&s_low, "low", low_task, NULL, 2, s_low_stack, sizeof s_low_stack) == UK_OK);
    uk_sleep(2);
    s_trace[s_trace_len] = '\0';
    printf("preemption trace: %s\n", s_trace);
    SW_CHECK(strcmp(s_trace, "WLHl") == 0);

    /* Sleeping: wakes on the 10th tick from now (deterministic under -icount). */
    t0 = uk_tick_now();
    uk_sleep(10);
    t1 = uk_tick_now();
    printf("sleep(10): %u ticks\n", (unsigned)(t1 - t0));
    SW_CHECK(t1 - t0 == 10u);

    /* The idle hook runs while every task sleeps. */
    s_idle_calls = 0;
    uk_set_idle_hook(idle_hook);
    uk_sleep(3);
    uk_set_idle_hook(NULL);
    printf("idle hook calls during sleep(3): %u\n", (unsigned)s_idle_calls);
    SW_CHECK(s_idle_calls >= 2u);

    /* Round-robin between two busy tasks of equal priority; a lower-priority busy task starves. */
    s_busy_run = 1;
    SW_CHECK(uk_task_create(&s_busy_a, "busy_a", busy_task, (void *)&s_count_a, 2, s_busy_a_stack,
                            sizeof s_busy_a_stack) == UK_OK);
    SW_CHECK(uk_task_create(&s_busy_b, "busy_b", busy_task, (void *)&s_count_b, 2, s_busy_b_stack,
                            sizeof s_busy_b_stack) == UK_OK);
    SW_CHECK(uk_task_create(&s_busy_low, "busy_low", busy_task, (void *)&s_count_low, 1,
                            s_busy_low_stack, sizeof s_busy_low_stack) == UK_OK);
    uk_sleep(20);
    s_busy_run = 0;
    total = s_count_a + s_count_b;
    printf("round-robin over 20 ticks: a=%u b=%u low=%u\n", (unsigned)s_count_a, (unsigned)s_count_b,
           (unsigned)s_count_low);
    SW_CHECK(s_count_a > total / 4u);
    SW_CHECK(s_count_b > total / 4u);
    SW_CHECK(s_count_low == 0u);
    /* Let the busy tasks see the flag and end. */
    uk_sleep(2);
    SW_CHECK(s_count_low > 0u || s_busy_low.state != 1u);

    /* A task that returns ends cleanly. */
    SW_CHECK(uk_task_create(&s_short, "short", short_task, NULL, 3, s_short_stack, sizeof s_short_stack) == UK_OK);
    uk_sleep(1);
    SW_CHECK(s_short_ran == 1);

    /* Invalid arguments are refused, nothing is created. */
    SW_CHECK(uk_task_create(&bad, "bad", short_task, NULL, 0, bad_stack, sizeof bad_stack) == UK_E_INVALID);
    SW_CHECK(uk_task_create(&bad, "bad", short_task, NULL, UK_PRIO_MAX + 1u, bad_stack, sizeof bad_stack) == UK_E_INVALID);
    SW_CHECK(uk_task_create(&bad, "bad", short_task, NULL, 1, bad_stack, 128) == UK_E_INVALID);
    SW_CHECK(uk_task_create(&bad, "bad", NULL, NULL, 1, bad_stack, sizeof bad_stack) == UK_E_INVALID);
    SW_CHECK(uk_task_create(NULL, "bad", short_task, NULL, 1, bad_stack, sizeof bad_stack) == UK_E_INVALID);

    /* Stack high-water marks: painted stacks were partly used, never overrun. */
    printf("stack unused: controller %u, busy_a %u of %u bytes\n", (unsigned)uk_task_stack_unused(&s_controller),
           (unsigned)uk_task_stack_unused(&s_busy_a), (unsigned)UK_TEST_STACK_BYTES);
    SW_CHECK(uk_task_stack_unused(&s_busy_a) > 0u && uk_task_stack_unused(&s_busy_a) < UK_TEST_STACK_BYTES);

    SW_CHECK(!uk_in_isr());
    SW_CHECK(uk_task_self() == &s_controller);
    uk_test_finish();
}

int main(void)
{
    SW_CHECK(uk_task_self() == NULL);
    SW_CHECK(uk_task_create(&s_controller, "controller", controller, NULL, 5, s_controller_stack,
                            sizeof s_controller_stack) == UK_OK);
    uk_start(BOARD_SYSCLK_HZ, UK_TEST_TICK_HZ);
    return 1;
}
