/* SPDX-License-Identifier: MIT */
/* uk synchronization objects: counting semaphores, mutexes with priority inheritance, queues. */
#include "uk_internal.h"

#include <stddef.h>
#include <string.h>

/* Deadline bookkeeping shared by every blocking call: the first wait computes the absolute
 * deadline; a task woken by the object retries and waits again only for what is left. */
typedef struct uk_wait_state {
    uint32_t deadline;
    int timed;
} uk_wait_state;

static void uk_wait_begin(uk_wait_state *w, uint32_t timeout)
{
    w->timed = timeout != UK_WAIT_FOREVER;
    w->deadline = uk_tick_now() + timeout;
}

static int uk_wait_expired(const uk_wait_state *w)
{
    return w->timed && (int32_t)(uk_tick_now() - w->deadline) >= 0;
}

/* Blocks on obj with interrupts masked (saved = the mask from before), switches away, comes back
 * with the mask re-applied. Returns the task's wait result. */
static int32_t uk_wait(const void *obj, const uk_wait_state *w, uint32_t *saved)
{
    uk_core_block(obj, w->deadline, w->timed);
    uk_critical_exit(*saved);
    *saved = uk_critical_enter();
    return uk_task_self()->wait_result;
}

int32_t uk_sem_init(uk_sem *sem, uint32_t initial, uint32_t max)
{
    if (sem == NULL || max == 0u || initial > max) {
        return UK_E_INVALID;
    }
    sem->count = initial;
    sem->max = max;
    return UK_OK;
}

int32_t uk_sem_take(uk_sem *sem, uint32_t timeout)
{
    uk_wait_state w;
    uint32_t saved;
    int32_t rc;

    if (sem == NULL) {
        return UK_E_INVALID;
    }
    uk_wait_begin(&w, timeout);
    saved = uk_critical_enter();
    for (;;) {
        if (sem->count > 0u) {
            sem->count--;
            rc = UK_OK;
            break;
        }
        if (timeout == 0u || uk_wait_expired(&w)) {
            rc = UK_E_TIMEOUT;
            break;
        }
        rc = uk_core_blocking_allowed(saved);
        if (rc != UK_OK) {
            break;
        }
        if (uk_wait(sem, &w, &saved) == UK_E_TIMEOUT) {
            rc = UK_E_TIMEOUT;
            break;
        }
    }
    uk_critical_exit(saved);
    return rc;
}

int32_t uk_sem_give(uk_sem *sem)
{
    uint32_t saved;
    int32_t rc = UK_OK;

    if (sem == NULL) {
        return UK_E_INVALID;
    }
    saved = uk_critical_enter();
    if (sem->count >= sem->max) {
        rc = UK_E_FULL;
    } else {
        sem->count++;
        uk_core_wake_one(sem);
    }
    uk_critical_exit(saved);
    return rc;
}

int32_t uk_mutex_init(uk_mutex *mutex)
{
    if (mutex == NULL) {
        return UK_E_INVALID;
    }
    mutex->owner = NULL;
    return UK_OK;
}

/* The owner runs at the highest of its base priority and its waiters' priorities. */
static void uk_mutex_update_owner_prio(uk_mutex *mutex)
{
    uk_task *owner = mutex->owner;
    uk_task *waiter;
    if (owner == NULL) {
        return;
    }
    waiter = uk_core_highest_waiter(mutex);
    owner->prio = owner->base_prio;
    if (waiter != NULL && waiter->prio > owner->prio) {
        owner->prio = waiter->prio;
    }
}

int32_t uk_mutex_lock(uk_mutex *mutex, uint32_t timeout)
{
    uk_wait_state w;
    uint32_t saved;
    int32_t rc;
    uk_task *self = uk_task_self();

    if (mutex == NULL) {
        return UK_E_INVALID;
    }
    uk_wait_begin(&w, timeout);
    saved = uk_critical_enter();
    for (;;) {
        if (mutex->owner == NULL) {
            mutex->owner = self;
            rc = UK_OK;
            break;
        }
        if (mutex->owner == self) {
            rc = UK_E_INVALID; /* not recursive: this would deadlock */
            break;
        }
        if (timeout == 0u || uk_wait_expired(&w)) {
            rc = UK_E_TIMEOUT;
            break;
        }
        rc = uk_core_blocking_allowed(saved);
        if (rc != UK_OK) {
            break;
        }
        /* Block first so that the owner inherits this task's priority. */
        uk_core_block(mutex, w.deadline, w.timed);
        uk_mutex_update_owner_prio(mutex);
        uk_critical_exit(saved);
        saved = uk_critical_enter();
        if (self->wait_result == UK_E_TIMEOUT) {
            /* Ownership was handed over only with UK_OK; drop what the owner inherited from us. */
            uk_mutex_update_owner_prio(mutex);
            rc = UK_E_TIMEOUT;
            break;
        }
        if (mutex->owner == self) {
            rc = UK_OK;
            break;
        }
    }
    uk_critical_exit(saved);
    return rc;
}

int32_t uk_mutex_unlock(uk_mutex *mutex)
{
    uint32_t saved;
    uk_task *self = uk_task_self();
    uk_task *next;

    if (mutex == NULL) {
        return UK_E_INVALID;
    }
    saved = uk_critical_enter();
    if (mutex->owner != self || self == NULL) {
        uk_critical_exit(saved);
        return UK_E_PERM;
    }
    /* One level of inheritance: a task holding several mutexes drops to its base priority
     * when it releases any of them. */
    self->prio = self->base_prio;
    /* Hand the mutex to the most urgent waiter, so that a lower-priority task cannot slip in. */
    next = uk_core_wake_one(mutex);
    mutex->owner = next;
    uk_mutex_update_owner_prio(mutex);
    if (next == NULL) {
        /* Our priority may have dropped below another ready task's. */
        uk_port_pend_switch();
    }
    uk_critical_exit(saved);
    return UK_OK;
}

int32_t uk_queue_init(uk_queue *queue, void *buf, uint32_t item_size, uint32_t capacity)
{
    if (queue == NULL || buf == NULL || item_size == 0u || capacity == 0u) {
        return UK_E_INVALID;
    }
    queue->buf = (uint8_t *)buf;
    queue->item_size = item_size;
    queue->capacity = capacity;
    queue->head = 0;
    queue->count = 0;
    return UK_OK;
}

int32_t uk_queue_send(uk_queue *queue, const void *item, uint32_t timeout)
{
    uk_wait_state w;
    uint32_t saved;
    int32_t rc;

    if (queue == NULL || item == NULL) {
        return UK_E_INVALID;
    }
    uk_wait_begin(&w, timeout);
    saved = uk_critical_enter();
    for (;;) {
        if (queue->count < queue->capacity) {
            uint32_t tail = (queue->head + queue->count) % queue->capacity;
            memcpy(queue->buf + (size_t)tail * queue->item_size, item, queue->item_size);
            queue->count++;
            uk_core_wake_one(&queue->not_empty);
            rc = UK_OK;
            break;
        }
        if (timeout == 0u || uk_wait_expired(&w)) {
            rc = UK_E_TIMEOUT;
            break;
        }
        rc = uk_core_blocking_allowed(saved);
        if (rc != UK_OK) {
            break;
        }
        if (uk_wait(&queue->not_full, &w, &saved) == UK_E_TIMEOUT) {
            rc = UK_E_TIMEOUT;
            break;
        }
    }
    uk_critical_exit(saved);
    return rc;
}

int32_t uk_queue_receive(uk_queue *queue, void *out_item, uint32_t timeout)
{
    uk_wait_state w;
    uint32_t saved;
    int32_t rc;

    if (queue == NULL || out_item == NULL) {
        return UK_E_INVALID;
    }
    uk_wait_begin(&w, timeout);
    saved = uk_critical_enter();
    for (;;) {
        if (queue->count > 0u) {
            memcpy(out_item, queue->buf + (size_t)queue->head * queue->item_size, queue->item_size);
            queue->head = (queue->head + 1u) % queue->capacity;
            queue->count--;
            uk_core_wake_one(&queue->not_full);
            rc = UK_OK;
            break;
        }
        if (timeout == 0u || uk_wait_expired(&w)) {
            rc = UK_E_TIMEOUT;
            break;
        }
        rc = uk_core_blocking_allowed(saved);
        if (rc != UK_OK) {
            break;
        }
        if (uk_wait(&queue->not_empty, &w, &saved) == UK_E_TIMEOUT) {
            rc = UK_E_TIMEOUT;
            break;
        }
    }
    uk_critical_exit(saved);
    return rc;
}

uint32_t uk_queue_count(const uk_queue *queue)
{
    return queue != NULL ? queue->count : 0u;
}
