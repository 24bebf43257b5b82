/* SPDX-License-Identifier: MIT */
/* sw_port on Sipwire's microkernel: a thin mapping of the contract onto uk_* calls. */
#include "sw_port.h"

#include <stddef.h>

static sw_port_status sw_port_from_uk(int32_t rc)
{
    switch (rc) {
    case UK_OK:
        return SW_PORT_OK;
    case UK_E_TIMEOUT:
        return SW_PORT_E_TIMEOUT;
    case UK_E_FULL:
        return SW_PORT_E_FULL;
    case UK_E_ISR:
    case UK_E_PERM:
        return SW_PORT_E_INVALID_STATE;
    default:
        return SW_PORT_E_INVALID_ARG;
    }
}

/* Milliseconds to ticks for a wait of "at least ms": round up, plus one because the first tick
 * may come at once (uk_sleep and the uk time-outs end on the n-th tick interrupt). */
static uint32_t sw_port_ticks(uint32_t ms)
{
    uint64_t ticks;
    if (ms == 0u || ms == SW_PORT_WAIT_FOREVER) {
        return ms == 0u ? 0u : UK_WAIT_FOREVER;
    }
    ticks = ((uint64_t)ms * SW_PORT_UK_TICK_HZ + 999u) / 1000u + 1u;
    return ticks >= UK_WAIT_FOREVER ? UK_WAIT_FOREVER - 1u : (uint32_t)ticks;
}

uint64_t sw_port_time_now_us(void)
{
    return uk_tick_now64() * 1000000u / SW_PORT_UK_TICK_HZ;
}

void sw_port_time_sleep_ms(uint32_t ms)
{
    uk_sleep(sw_port_ticks(ms));
}

sw_port_status sw_port_task_create(sw_port_task_t *task, const char *name, sw_port_task_fn fn, void *arg,
                                   int32_t priority, void *stack, uint32_t stack_size)
{
    if (priority < 1 || priority > SW_PORT_PRIO_MAX) {
        return SW_PORT_E_INVALID_ARG;
    }
    return sw_port_from_uk(uk_task_create(task, name, fn, arg, (uint32_t)priority, stack, stack_size));
}

void sw_port_task_yield(void)
{
    uk_yield();
}

void sw_port_sched_start(void)
{
    uk_start(board_cpu_hz(), SW_PORT_UK_TICK_HZ);
}

sw_port_status sw_port_mutex_init(sw_port_mutex_t *mutex)
{
    return sw_port_from_uk(uk_mutex_init(mutex));
}

sw_port_status sw_port_mutex_lock(sw_port_mutex_t *mutex)
{
    int32_t rc = uk_mutex_lock(mutex, UK_WAIT_FOREVER);
    /* uk reports a recursive lock as invalid; the contract calls it a state error. */
    if (rc == UK_E_INVALID && mutex != NULL) {
        return SW_PORT_E_INVALID_STATE;
    }
    return sw_port_from_uk(rc);
}

sw_port_status sw_port_mutex_unlock(sw_port_mutex_t *mutex)
{
    return sw_port_from_uk(uk_mutex_unlock(mutex));
}

void sw_port_mutex_destroy(sw_port_mutex_t *mutex)
{
    /* Nothing held outside the object. */
    (void)mutex;
}

sw_port_status sw_port_sem_init(sw_port_sem_t *sem, uint32_t initial, uint32_t max)
{
    return sw_port_from_uk(uk_sem_init(sem, initial, max));
}

sw_port_status sw_port_sem_take(sw_port_sem_t *sem, uint32_t timeout_ms)
{
    return sw_port_from_uk(uk_sem_take(sem, sw_port_ticks(timeout_ms)));
}

sw_port_status sw_port_sem_give(sw_port_sem_t *sem)
{
    return sw_port_from_uk(uk_sem_give(sem));
}

void sw_port_sem_destroy(sw_port_sem_t *sem)
{
    (void)sem;
}

sw_port_status sw_port_queue_init(sw_port_queue_t *queue, void *buf, uint32_t item_size, uint32_t capacity)
{
    return sw_port_from_uk(uk_queue_init(queue, buf, item_size, capacity));
}

sw_port_status sw_port_queue_send(sw_port_queue_t *queue, const void *item, uint32_t timeout_ms)
{
    return sw_port_from_uk(uk_queue_send(queue, item, sw_port_ticks(timeout_ms)));
}

sw_port_status sw_port_queue_receive(sw_port_queue_t *queue, void *out_item, uint32_t timeout_ms)
{
    return sw_port_from_uk(uk_queue_receive(queue, out_item, sw_port_ticks(timeout_ms)));
}

void sw_port_queue_destroy(sw_port_queue_t *queue)
{
    (void)queue;
}

uint32_t sw_port_critical_enter(void)
{
    return uk_critical_enter();
}

void sw_port_critical_exit(uint32_t saved)
{
    uk_critical_exit(saved);
}

uint32_t sw_port_cycles_now(void)
{
    return board_cycles_now();
}

uint32_t sw_port_cycles_hz(void)
{
    return board_cycles_hz();
}
