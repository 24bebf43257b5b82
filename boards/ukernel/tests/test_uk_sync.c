/* SPDX-License-Identifier: MIT */
/* Microkernel synchronization on QEMU: semaphores (also from an ISR), mutex priority inheritance,
 * message queues (FIFO order, blocking on full and empty, timeouts). */
#include "uk_test_main.h"

#include <string.h>

static uk_task s_controller, s_low, s_mid, s_high, s_producer, s_consumer, s_ping, s_pong;
UK_TEST_STACK(s_controller_stack);
UK_TEST_STACK(s_low_stack);
UK_TEST_STACK(s_mid_stack);
UK_TEST_STACK(s_high_stack);
UK_TEST_STACK(s_producer_stack);
UK_TEST_STACK(s_consumer_stack);
UK_TEST_STACK(s_ping_stack);
UK_TEST_STACK(s_pong_stack);

static uk_sem s_isr_sem;
static volatile uint32_t s_isr_gives;
static volatile int32_t s_isr_blocking_rc = 1;

/* Tick hook (SysTick handler context): gives a semaphore every third tick; also checks that a
 * blocking call from an interrupt handler is refused. */
static void tick_hook(void)
{
    if (s_isr_blocking_rc == 1) {
        s_isr_blocking_rc = uk_sem_take(&s_isr_sem, 10);
    }
    if (uk_tick_now() % 3u == 0u && s_isr_gives < 5u) {
        if (uk_sem_give(&s_isr_sem) == UK_OK) {
            s_isr_gives++;
        }
    }
}

/* Priority inversion scenario: low holds the mutex, high waits for it, mid is CPU-bound. */
static uk_mutex s_mutex;
static char s_order[8];
static uint32_t s_order_len;
static volatile int s_mid_run;
static volatile uint32_t s_low_prio_seen;

static void order(char c)
{
    uint32_t saved = uk_critical_enter();
    if (s_order_len < sizeof s_order - 1u) {
        s_order[s_order_len++] = c;
    }
    uk_critical_exit(saved);
}

static void spin_ticks(uint32_t ticks)
{
    uint32_t t0 = uk_tick_now();
    while (uk_tick_now() - t0 < ticks) {
    }
}

static void low_task(void *arg)
{
    (void)arg;
    SW_CHECK(uk_mutex_lock(&s_mutex, UK_WAIT_FOREVER) == UK_OK);
    order('l');
    /* Work while holding the mutex; high and mid become ready meanwhile. */
    spin_ticks(5);
    s_low_prio_seen = uk_task_self()->prio;
    SW_CHECK(uk_mutex_unlock(&s_mutex) == UK_OK);
    order('u');
}

static void mid_task(void *arg)
{
    (void)arg;
    order('m');
    while (s_mid_run) {
    }
    order('M');
}

static void high_task(void *arg)
{
    (void)arg;
    order('h');
    SW_CHECK(uk_mutex_lock(&s_mutex, UK_WAIT_FOREVER) == UK_OK);
    order('H');
    SW_CHECK(uk_mutex_lock(&s_mutex, 0) == UK_E_INVALID); /* not recursive */
    SW_CHECK(uk_mutex_unlock(&s_mutex) == UK_OK);
    s_mid_run = 0;
}

/* Queue: producer sends faster than the consumer takes (capacity 4, 64 messages). */
typedef struct msg {
    uint32_t seq;
    uint32_t check;
} msg;
static uk_queue s_queue;
static msg s_queue_buf[4];
static volatile uint32_t s_received, s_max_seen_count;
static volatile int s_order_ok = 1;

static void producer(void *arg)
{
    uint32_t i;
    (void)arg;
    for (i = 0; i < 64u; i++) {
        msg m = {i, i * 2654435761u};
        SW_CHECK(uk_queue_send(&s_queue, &m, UK_WAIT_FOREVER) == UK_OK);
    }
}

static void consumer(void *arg)
{
    uint32_t i;
    (void)arg;
    for (i = 0; i < 64u; i++) {
        msg m;
        if (uk_queue_count(&s_queue) > s_max_seen_count) {
            s_max_seen_count = uk_queue_count(&s_queue);
        }
        if (uk_queue_receive(&s_queue, &m, 100) != UK_OK || m.seq != i || m.check != i * 2654435761u) {
            s_order_ok = 0;
        }
        s_received++;
        if (i % 8u == 0u) {
            uk_sleep(1);
        }
    }
}

/* Ping-pong: two tasks bounce a counter through two queues of capacity 1. */
static uk_queue s_to_pong, s_to_ping;
static uint32_t s_to_pong_buf, s_to_ping_buf;
static volatile uint32_t s_pings;

static void ping(void *arg)
{
    uint32_t v = 0, i;
    (void)arg;
    for (i = 0; i < 1000u; i++) {
        SW_CHECK(uk_queue_send(&s_to_pong, &v, 10) == UK_OK);
        SW_CHECK(uk_queue_receive(&s_to_ping, &v, 10) == UK_OK);
        if (v != 2u * i + 1u) {
            SW_CHECK(v == 2u * i + 1u);
            break;
        }
        v++;
        s_pings++;
    }
}

static void pong(void *arg)
{
    uint32_t v, i;
    (void)arg;
    for (i = 0; i < 1000u; i++) {
        if (uk_queue_receive(&s_to_pong, &v, 10) != UK_OK) {
            SW_CHECK(0);
            break;
        }
        v++;
        SW_CHECK(uk_queue_send(&s_to_ping, &v, 10) == UK_OK);
    }
}

static void controller(void *arg)
{
    uk_sem sem;
    uk_queue q;
    uint32_t buf[2];
    uint32_t v, t0, t1;
    (void)arg;

    /* Semaphore basics and argument checks. */
    SW_CHECK(uk_sem_init(&sem, 1, 2) == UK_OK);
    SW_CHECK(uk_sem_init(&sem, 3, 2) == UK_E_INVALID);
    SW_CHECK(uk_sem_init(NULL, 0, 1) == UK_E_INVALID);
    SW_CHECK(uk_sem_init(&sem, 1, 2) == UK_OK);
    SW_CHECK(uk_sem_give(&sem) == UK_OK);
    SW_CHECK(uk_sem_give(&sem) == UK_E_FULL);
    SW_CHECK(uk_sem_take(&sem, 0) == UK_OK);
    SW_CHECK(uk_sem_take(&sem, 0) == UK_OK);
    SW_CHECK(uk_sem_take(&sem, 0) == UK_E_TIMEOUT);

    /* A timed wait ends on the deadline tick. */
    t0 = uk_tick_now();
    SW_CHECK(uk_sem_take(&sem, 7) == UK_E_TIMEOUT);
    t1 = uk_tick_now();
    printf("sem_take(7) timed out after %u ticks\n", (unsigned)(t1 - t0));
    SW_CHECK(t1 - t0 == 7u);

    /* A blocking call inside a critical section is refused instead of deadlocking. */
    {
        uint32_t saved = uk_critical_enter();
        SW_CHECK(uk_sem_take(&sem, 5) == UK_E_INVALID);
        uk_critical_exit(saved);
    }

    /* Given from the SysTick handler every third tick. */
    SW_CHECK(uk_sem_init(&s_isr_sem, 0, 8) == UK_OK);
    uk_set_tick_hook(tick_hook);
    t0 = uk_tick_now();
    for (v = 0; v < 5u; v++) {
        SW_CHECK(uk_sem_take(&s_isr_sem, 10) == UK_OK);
    }
    t1 = uk_tick_now();
    uk_set_tick_hook(NULL);
    printf("5 ISR gives received over %u ticks; blocking take in ISR -> %d\n", (unsigned)(t1 - t0),
           (int)s_isr_blocking_rc);
    SW_CHECK(s_isr_gives == 5u);
    SW_CHECK(t1 - t0 >= 12u && t1 - t0 <= 16u);
    SW_CHECK(s_isr_blocking_rc == UK_E_ISR);

    /* Priority inheritance: low (2) locks, then high (4) waits while mid (3) would spin until high
     * stops it. Low must run at high's priority and unlock, so high gets the mutex ('H') before
     * mid ever runs ('m'); without inheritance mid starves low and the order stops at "lhm". */
    SW_CHECK(uk_mutex_init(&s_mutex) == UK_OK);
    SW_CHECK(uk_mutex_unlock(&s_mutex) == UK_E_PERM);
    s_mid_run = 1;
    SW_CHECK(uk_task_create(&s_low, "low", low_task, NULL, 2, s_low_stack, sizeof s_low_stack) == UK_OK);
    uk_sleep(1);
    SW_CHECK(uk_task_create(&s_mid, "mid", mid_task, NULL, 3, s_mid_stack, sizeof s_mid_stack) == UK_OK);
    SW_CHECK(uk_task_create(&s_high, "high", high_task, NULL, 4, s_high_stack, sizeof s_high_stack) == UK_OK);
    uk_sleep(30);
    s_order[s_order_len] = '\0';
    printf("priority inheritance order: %s (low ran at prio %u)\n", s_order, (unsigned)s_low_prio_seen);
    SW_CHECK(strcmp(s_order, "lhHmMu") == 0);
    SW_CHECK(s_low_prio_seen == 4u);
    SW_CHECK(s_low.prio == 2u);

    /* Queue argument checks, full and empty with timeout 0. */
    SW_CHECK(uk_queue_init(&q, buf, 0, 2) == UK_E_INVALID);
    SW_CHECK(uk_queue_init(&q, NULL, 4, 2) == UK_E_INVALID);
    SW_CHECK(uk_queue_init(&q, buf, sizeof buf[0], 2) == UK_OK);
    v = 11;
    SW_CHECK(uk_queue_send(&q, &v, 0) == UK_OK);
    v = 22;
    SW_CHECK(uk_queue_send(&q, &v, 0) == UK_OK);
    SW_CHECK(uk_queue_send(&q, &v, 0) == UK_E_TIMEOUT);
    t0 = uk_tick_now();
    SW_CHECK(uk_queue_send(&q, &v, 3) == UK_E_TIMEOUT);
    SW_CHECK(uk_tick_now() - t0 == 3u);
    SW_CHECK(uk_queue_count(&q) == 2u);
    SW_CHECK(uk_queue_receive(&q, &v, 0) == UK_OK && v == 11u);
    SW_CHECK(uk_queue_receive(&q, &v, 0) == UK_OK && v == 22u);
    SW_CHECK(uk_queue_receive(&q, &v, 0) == UK_E_TIMEOUT);
    t0 = uk_tick_now();
    SW_CHECK(uk_queue_receive(&q, &v, 4) == UK_E_TIMEOUT);
    SW_CHECK(uk_tick_now() - t0 == 4u);

    /* Producer faster than consumer: blocks on full, everything arrives in order. */
    SW_CHECK(uk_queue_init(&s_queue, s_queue_buf, sizeof s_queue_buf[0], 4) == UK_OK);
    SW_CHECK(uk_task_create(&s_consumer, "consumer", consumer, NULL, 2, s_consumer_stack, sizeof s_consumer_stack) == UK_OK);
    SW_CHECK(uk_task_create(&s_producer, "producer", producer, NULL, 2, s_producer_stack, sizeof s_producer_stack) == UK_OK);
    uk_sleep(50);
    printf("queue: %u of 64 received in order=%d, fill level seen up to %u\n", (unsigned)s_received,
           s_order_ok, (unsigned)s_max_seen_count);
    SW_CHECK(s_received == 64u);
    SW_CHECK(s_order_ok == 1);
    SW_CHECK(s_max_seen_count == 4u);

    /* Ping-pong: 1000 round trips between two tasks. */
    SW_CHECK(uk_queue_init(&s_to_pong, &s_to_pong_buf, sizeof s_to_pong_buf, 1) == UK_OK);
    SW_CHECK(uk_queue_init(&s_to_ping, &s_to_ping_buf, sizeof s_to_ping_buf, 1) == UK_OK);
    t0 = uk_tick_now();
    SW_CHECK(uk_task_create(&s_pong, "pong", pong, NULL, 3, s_pong_stack, sizeof s_pong_stack) == UK_OK);
    SW_CHECK(uk_task_create(&s_ping, "ping", ping, NULL, 2, s_ping_stack, sizeof s_ping_stack) == UK_OK);
    while (s_pings < 1000u && uk_tick_now() - t0 < 1000u) {
        uk_sleep(1);
    }
    printf("ping-pong: %u round trips in %u ticks\n", (unsigned)s_pings, (unsigned)(uk_tick_now() - t0));
    SW_CHECK(s_pings == 1000u);

    uk_test_finish();
}

int main(void)
{
    SW_CHECK(uk_task_create(&s_controller, "controller", controller, NULL, 10, s_controller_stack,
                            sizeof s_controller_stack) == UK_OK);
    uk_start(BOARD_SYSCLK_HZ, UK_TEST_TICK_HZ);
    return 1;
}
