/* SPDX-License-Identifier: MIT */
/* uk scheduler core: task list, priority selection with round-robin, ticks, sleeping, hooks. */
#include "uk_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

uk_task *volatile uk_g_current;

static uk_task *s_tasks;
static uk_task *s_tasks_tail;
static volatile uint32_t s_tick;
static volatile uint32_t s_tick_high;
static uint32_t s_tick_hz;
static uint8_t s_rotate;
static uk_hook_fn s_idle_hook;
static uk_hook_fn s_tick_hook;

/* The idle task: priority 0, always ready, never blocks. */
static uk_task s_idle_task;
static uint64_t s_idle_stack[64];

static void uk_idle(void *arg)
{
    (void)arg;
    for (;;) {
        uk_hook_fn hook = s_idle_hook;
        if (hook != NULL) {
            hook();
        }
        uk_port_wait_for_interrupt();
    }
}

static int32_t uk_task_add(uk_task *task, const char *name, uk_task_fn fn, void *arg, uint32_t prio,
                           void *stack, uint32_t stack_size)
{
    uint32_t i;
    uint32_t saved;

    task->name = name;
    task->fn = fn;
    task->arg = arg;
    task->stack_base = (uint32_t *)stack;
    task->stack_words = stack_size / 4u;
    task->prio = (uint8_t)prio;
    task->base_prio = (uint8_t)prio;
    task->wait_obj = NULL;
    task->wait_result = UK_OK;
    task->timed = 0;
    task->wake_tick = 0;
    task->next = NULL;
    for (i = 0; i < task->stack_words; i++) {
        task->stack_base[i] = UK_STACK_PAINT;
    }
    task->stack_base[0] = UK_STACK_GUARD;
    uk_port_stack_init(task);
    task->state = UK_STATE_READY;

    saved = uk_critical_enter();
    if (s_tasks == NULL) {
        s_tasks = task;
    } else {
        s_tasks_tail->next = task;
    }
    s_tasks_tail = task;
    if (uk_g_current != NULL && task->prio > uk_g_current->prio) {
        uk_port_pend_switch();
    }
    uk_critical_exit(saved);
    return UK_OK;
}

int32_t uk_task_create(uk_task *task, const char *name, uk_task_fn fn, void *arg, uint32_t prio,
                       void *stack, uint32_t stack_size)
{
    if (task == NULL || fn == NULL || stack == NULL || prio < 1u || prio > UK_PRIO_MAX ||
        stack_size < UK_STACK_MIN || ((uintptr_t)stack & 7u) != 0u) {
        return UK_E_INVALID;
    }
    return uk_task_add(task, name, fn, arg, prio, stack, stack_size);
}

void uk_start(uint32_t cpu_hz, uint32_t tick_hz)
{
    s_tick_hz = tick_hz;
    uk_task_add(&s_idle_task, "idle", uk_idle, NULL, 0u, s_idle_stack, sizeof s_idle_stack);
    uk_port_start(cpu_hz, tick_hz);
    /* Not reached: the port switches to the first task. */
    for (;;) {
    }
}

uint32_t uk_tick_now(void)
{
    return s_tick;
}

uint64_t uk_tick_now64(void)
{
    uint32_t saved = uk_critical_enter();
    uint64_t now = ((uint64_t)s_tick_high << 32) | s_tick;
    uk_critical_exit(saved);
    return now;
}

uint32_t uk_tick_hz(void)
{
    return s_tick_hz;
}

uk_task *uk_task_self(void)
{
    return uk_g_current;
}

void uk_set_idle_hook(uk_hook_fn hook)
{
    s_idle_hook = hook;
}

void uk_set_tick_hook(uk_hook_fn hook)
{
    s_tick_hook = hook;
}

uint32_t uk_task_stack_unused(const uk_task *task)
{
    uint32_t i = 1; /* word 0 is the guard */
    while (i < task->stack_words && task->stack_base[i] == UK_STACK_PAINT) {
        i++;
    }
    return (i - 1u) * 4u;
}

__attribute__((weak)) void uk_panic(const char *what, const uk_task *task)
{
    printf("FAIL uk_panic: %s (task %s)\n", what, task != NULL && task->name != NULL ? task->name : "?");
    exit(1);
}

/* Called by PendSV: saves nothing itself; picks the task to run next and makes it current.
 * Highest effective priority wins; among equals the scan starts after the current task, so
 * after a tick (s_rotate) the next one of the same priority gets its turn. */
uk_task *uk_core_switch(void)
{
    uint32_t saved = uk_critical_enter();
    uk_task *cur = uk_g_current;
    uk_task *best = NULL;
    uk_task *t;

    if (cur != NULL) {
        if (cur->stack_base[0] != UK_STACK_GUARD || cur->sp < (uint32_t)(uintptr_t)(cur->stack_base + 1)) {
            uk_panic("stack overflow", cur);
        }
        if (cur->state == UK_STATE_READY && s_rotate == 0u) {
            best = cur;
        }
    }
    t = (cur != NULL && cur->next != NULL) ? cur->next : s_tasks;
    for (;;) {
        if (t->state == UK_STATE_READY && (best == NULL || t->prio > best->prio)) {
            best = t;
        }
        if (t == cur || (cur == NULL && t == s_tasks_tail)) {
            break;
        }
        t = t->next != NULL ? t->next : s_tasks;
    }
    s_rotate = 0;
    uk_g_current = best;
    uk_critical_exit(saved);
    return best;
}

void uk_core_tick(void)
{
    uk_task *t;
    uint32_t saved = uk_critical_enter();
    uint32_t now = ++s_tick;

    if (now == 0u) {
        s_tick_high++;
    }

    for (t = s_tasks; t != NULL; t = t->next) {
        if (t->state == UK_STATE_BLOCKED && t->timed != 0u && (int32_t)(now - t->wake_tick) >= 0) {
            t->state = UK_STATE_READY;
            t->timed = 0;
            t->wait_obj = NULL;
            t->wait_result = UK_E_TIMEOUT;
        }
    }
    /* Time slice: the next task of equal priority runs after this tick. */
    s_rotate = 1;
    uk_port_pend_switch();
    uk_critical_exit(saved);
    if (s_tick_hook != NULL) {
        s_tick_hook();
    }
}

void uk_core_task_entry(void)
{
    uk_task *self = uk_g_current;
    self->fn(self->arg);
    uk_task_exit();
}

void uk_task_exit(void)
{
    uk_critical_enter();
    uk_g_current->state = UK_STATE_DEAD;
    uk_port_pend_switch();
    uk_critical_exit(0u);
    for (;;) {
    }
}

void uk_core_block(const void *obj, uint32_t deadline, int timed)
{
    uk_task *cur = uk_g_current;
    cur->state = UK_STATE_BLOCKED;
    cur->wait_obj = obj;
    cur->wake_tick = deadline;
    cur->timed = (uint8_t)(timed != 0);
    cur->wait_result = UK_E_TIMEOUT;
    uk_port_pend_switch();
}

uk_task *uk_core_highest_waiter(const void *obj)
{
    uk_task *t;
    uk_task *best = NULL;
    for (t = s_tasks; t != NULL; t = t->next) {
        if (t->state == UK_STATE_BLOCKED && t->wait_obj == obj && (best == NULL || t->prio > best->prio)) {
            best = t;
        }
    }
    return best;
}

uk_task *uk_core_wake_one(const void *obj)
{
    uk_task *t = uk_core_highest_waiter(obj);
    if (t != NULL) {
        t->state = UK_STATE_READY;
        t->wait_obj = NULL;
        t->timed = 0;
        t->wait_result = UK_OK;
        uk_port_pend_switch();
    }
    return t;
}

int32_t uk_core_blocking_allowed(uint32_t saved_mask)
{
    if (uk_in_isr()) {
        return UK_E_ISR;
    }
    /* Blocking inside the caller's own critical section could never switch away. */
    if (saved_mask != 0u || uk_g_current == NULL) {
        return UK_E_INVALID;
    }
    return UK_OK;
}

void uk_sleep(uint32_t ticks)
{
    uint32_t saved;
    if (ticks == 0u) {
        uk_yield();
        return;
    }
    saved = uk_critical_enter();
    if (uk_core_blocking_allowed(saved) != UK_OK) {
        uk_critical_exit(saved);
        return;
    }
    /* Wakes on the ticks-th tick interrupt from now: between ticks-1 and ticks full periods. */
    uk_core_block(NULL, s_tick + ticks, 1);
    uk_critical_exit(saved);
}

void uk_yield(void)
{
    uint32_t saved = uk_critical_enter();
    s_rotate = 1;
    uk_port_pend_switch();
    uk_critical_exit(saved);
}
