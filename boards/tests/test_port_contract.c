/* SPDX-License-Identifier: MIT */
/* The sw_port contract, checked the same way on every port (posix on Linux targets, ukernel on
 * QEMU MPS2): time, tasks, mutex, semaphores, queues, critical sections, cycles, UDP. */
#include "sw_port.h"
#include "sw_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STACK_BYTES (SW_PORT_STACK_MIN > 4096 ? SW_PORT_STACK_MIN : 4096)
static uint64_t s_stacks[4][STACK_BYTES / 8];
static sw_port_task_t s_controller, s_adders[2], s_echo;

static sw_port_mutex_t s_mutex;
static sw_port_sem_t s_done;
static volatile uint32_t s_shared;
static uint32_t s_shared_critical;

#define ADDS 20000u

static void adder(void *arg)
{
    uint32_t i;
    (void)arg;
    for (i = 0; i < ADDS; i++) {
        uint32_t saved;
        if (sw_port_mutex_lock(&s_mutex) != SW_PORT_OK) {
            SW_CHECK(0);
            break;
        }
        /* A read-modify-write that loses updates unless the mutex excludes the other task. */
        s_shared = s_shared + 1u;
        sw_port_mutex_unlock(&s_mutex);
        saved = sw_port_critical_enter();
        s_shared_critical++;
        sw_port_critical_exit(saved);
        if (i % 1000u == 0u) {
            sw_port_task_yield();
        }
    }
    sw_port_sem_give(&s_done);
}

static sw_port_queue_t s_requests, s_replies;
static uint32_t s_requests_buf[4], s_replies_buf[4];

static void echo(void *arg)
{
    uint32_t v;
    (void)arg;
    for (;;) {
        if (sw_port_queue_receive(&s_requests, &v, SW_PORT_WAIT_FOREVER) != SW_PORT_OK) {
            return;
        }
        v = v * 3u + 1u;
        sw_port_queue_send(&s_replies, &v, SW_PORT_WAIT_FOREVER);
    }
}

static void controller(void *arg)
{
    uint64_t t0, t1;
    uint32_t c0, c1, v, i;
    sw_port_sem_t sem;
    sw_port_queue_t q;
    uint32_t qbuf[2];
    (void)arg;

    printf("port: %s\n", SW_PORT_NAME);

    /* Time: monotonic; a sleep lasts at least what was asked. */
    t0 = sw_port_time_now_us();
    sw_port_time_sleep_ms(20);
    t1 = sw_port_time_now_us();
    printf("sleep(20 ms) took %u us\n", (unsigned)(t1 - t0));
    SW_CHECK(t1 - t0 >= 20000u);
    SW_CHECK(t1 - t0 < 2000000u);

    /* Cycle counter advances at its stated rate (within a wide margin: emulators). */
    c0 = sw_port_cycles_now();
    t0 = sw_port_time_now_us();
    sw_port_time_sleep_ms(10);
    c1 = sw_port_cycles_now();
    t1 = sw_port_time_now_us();
    printf("cycles: %u counts over %u us at %u Hz\n", (unsigned)(c1 - c0), (unsigned)(t1 - t0),
           (unsigned)sw_port_cycles_hz());
    SW_CHECK(c1 != c0);
    SW_CHECK((double)(c1 - c0) / sw_port_cycles_hz() > 0.5 * (double)(t1 - t0) / 1e6);

    /* Argument checks. */
    SW_CHECK(sw_port_task_create(NULL, "x", adder, NULL, 1, s_stacks[0], sizeof s_stacks[0]) == SW_PORT_E_INVALID_ARG);
    SW_CHECK(sw_port_task_create(&s_adders[0], "x", NULL, NULL, 1, s_stacks[0], sizeof s_stacks[0]) == SW_PORT_E_INVALID_ARG);
    SW_CHECK(sw_port_task_create(&s_adders[0], "x", adder, NULL, 0, s_stacks[0], sizeof s_stacks[0]) == SW_PORT_E_INVALID_ARG);
    SW_CHECK(sw_port_task_create(&s_adders[0], "x", adder, NULL, SW_PORT_PRIO_MAX + 1, s_stacks[0], sizeof s_stacks[0]) == SW_PORT_E_INVALID_ARG);
    SW_CHECK(sw_port_sem_init(&sem, 2, 1) == SW_PORT_E_INVALID_ARG);
    SW_CHECK(sw_port_sem_init(NULL, 0, 1) == SW_PORT_E_INVALID_ARG);
    SW_CHECK(sw_port_queue_init(&q, qbuf, 0, 2) == SW_PORT_E_INVALID_ARG);
    SW_CHECK(sw_port_mutex_lock(NULL) == SW_PORT_E_INVALID_ARG);

    /* Semaphore: counts, maximum, time-out of at least the time asked. */
    SW_CHECK(sw_port_sem_init(&sem, 1, 2) == SW_PORT_OK);
    SW_CHECK(sw_port_sem_give(&sem) == SW_PORT_OK);
    SW_CHECK(sw_port_sem_give(&sem) == SW_PORT_E_FULL);
    SW_CHECK(sw_port_sem_take(&sem, 0) == SW_PORT_OK);
    SW_CHECK(sw_port_sem_take(&sem, 0) == SW_PORT_OK);
    SW_CHECK(sw_port_sem_take(&sem, 0) == SW_PORT_E_TIMEOUT);
    t0 = sw_port_time_now_us();
    SW_CHECK(sw_port_sem_take(&sem, 15) == SW_PORT_E_TIMEOUT);
    t1 = sw_port_time_now_us();
    SW_CHECK(t1 - t0 >= 15000u);
    sw_port_sem_destroy(&sem);

    /* Queue: FIFO, full, empty, time-out. */
    SW_CHECK(sw_port_queue_init(&q, qbuf, sizeof qbuf[0], 2) == SW_PORT_OK);
    v = 7;
    SW_CHECK(sw_port_queue_send(&q, &v, 0) == SW_PORT_OK);
    v = 8;
    SW_CHECK(sw_port_queue_send(&q, &v, 0) == SW_PORT_OK);
    SW_CHECK(sw_port_queue_send(&q, &v, 0) == SW_PORT_E_TIMEOUT);
    t0 = sw_port_time_now_us();
    SW_CHECK(sw_port_queue_send(&q, &v, 5) == SW_PORT_E_TIMEOUT);
    SW_CHECK(sw_port_time_now_us() - t0 >= 5000u);
    SW_CHECK(sw_port_queue_receive(&q, &v, 0) == SW_PORT_OK && v == 7u);
    SW_CHECK(sw_port_queue_receive(&q, &v, 0) == SW_PORT_OK && v == 8u);
    SW_CHECK(sw_port_queue_receive(&q, &v, 5) == SW_PORT_E_TIMEOUT);
    sw_port_queue_destroy(&q);

    /* Mutex: exclusion between two tasks, ownership errors. */
    SW_CHECK(sw_port_mutex_init(&s_mutex) == SW_PORT_OK);
    SW_CHECK(sw_port_mutex_unlock(&s_mutex) == SW_PORT_E_INVALID_STATE);
    SW_CHECK(sw_port_mutex_lock(&s_mutex) == SW_PORT_OK);
    SW_CHECK(sw_port_mutex_lock(&s_mutex) == SW_PORT_E_INVALID_STATE);
    SW_CHECK(sw_port_mutex_unlock(&s_mutex) == SW_PORT_OK);
    SW_CHECK(sw_port_sem_init(&s_done, 0, 2) == SW_PORT_OK);
    for (i = 0; i < 2u; i++) {
        SW_CHECK(sw_port_task_create(&s_adders[i], "adder", adder, NULL, SW_PORT_PRIO_BACKGROUND, s_stacks[i],
                                     sizeof s_stacks[i]) == SW_PORT_OK);
    }
    SW_CHECK(sw_port_sem_take(&s_done, 20000) == SW_PORT_OK);
    SW_CHECK(sw_port_sem_take(&s_done, 20000) == SW_PORT_OK);
    printf("mutex: %u of %u increments, critical: %u\n", (unsigned)s_shared, (unsigned)(2u * ADDS),
           (unsigned)s_shared_critical);
    SW_CHECK(s_shared == 2u * ADDS);
    SW_CHECK(s_shared_critical == 2u * ADDS);

    /* Queues between tasks: request/reply. */
    SW_CHECK(sw_port_queue_init(&s_requests, s_requests_buf, sizeof s_requests_buf[0], 4) == SW_PORT_OK);
    SW_CHECK(sw_port_queue_init(&s_replies, s_replies_buf, sizeof s_replies_buf[0], 4) == SW_PORT_OK);
    SW_CHECK(sw_port_task_create(&s_echo, "echo", echo, NULL, SW_PORT_PRIO_NETWORK, s_stacks[2], sizeof s_stacks[2]) == SW_PORT_OK);
    for (i = 0; i < 200u; i++) {
        uint32_t reply = 0;
        SW_CHECK(sw_port_queue_send(&s_requests, &i, 1000) == SW_PORT_OK);
        if (sw_port_queue_receive(&s_replies, &reply, 1000) != SW_PORT_OK || reply != i * 3u + 1u) {
            SW_CHECK(0);
            break;
        }
    }

#if SW_PORT_HAS_SOCKETS
    {
        sw_port_udp_t a, b;
        sw_port_addr la, lb, from;
        uint8_t buf[64];
        int32_t got;
        static const uint8_t loopback[4] = {127, 0, 0, 1};
        memset(&la, 0, sizeof la);
        la.family = 4;
        memcpy(la.ip, loopback, 4);
        lb = la;
        SW_CHECK(sw_port_udp_open(&a, &la) == SW_PORT_OK);
        SW_CHECK(sw_port_udp_open(&b, &lb) == SW_PORT_OK);
        SW_CHECK(la.port != 0 && lb.port != 0 && la.port != lb.port);
        SW_CHECK(sw_port_udp_send(&a, (const uint8_t *)"INVITE", 6, &lb) == SW_PORT_OK);
        SW_CHECK(sw_port_udp_receive(&b, buf, sizeof buf, &got, &from, 1000) == SW_PORT_OK);
        SW_CHECK(got == 6 && memcmp(buf, "INVITE", 6) == 0 && from.port == la.port && from.family == 4);
        SW_CHECK(sw_port_udp_receive(&b, buf, sizeof buf, &got, &from, 10) == SW_PORT_E_TIMEOUT);
        sw_port_udp_close(&a);
        sw_port_udp_close(&b);
        sw_port_udp_close(NULL);
    }
#endif
    exit(sw_test_finish());
}

int main(void)
{
    SW_CHECK(sw_port_task_create(&s_controller, "controller", controller, NULL, SW_PORT_PRIO_MEDIA, s_stacks[3],
                                 sizeof s_stacks[3]) == SW_PORT_OK);
    sw_port_sched_start();
    return 1;
}
