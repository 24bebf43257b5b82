/* SPDX-License-Identifier: MIT */
/* uk: Sipwire's small preemptive microkernel for Cortex-M (ARMv7-M: M3, M4, M4F, M7). */
#ifndef UK_H
#define UK_H

/**
 * @file uk.h
 * @brief Fixed-priority preemptive scheduler with time slicing, sleeping, counting semaphores,
 * mutexes with priority inheritance, message queues and an idle hook.
 *
 * Design, in the order a firmware engineer asks:
 * - All memory is the caller's: task control blocks, stacks and queue buffers are static or
 *   wherever the caller puts them. The kernel never allocates.
 * - Priorities 1..UK_PRIO_MAX, larger is more urgent; 0 is the kernel's idle task. The highest
 *   ready task always runs; tasks of equal priority share the CPU round-robin, one tick each.
 * - SysTick drives the tick; PendSV (lowest exception priority) switches context. Tasks run in
 *   privileged thread mode on the process stack (PSP); handlers use the main stack (MSP).
 * - FPU (Cortex-M4F/M7): hardware lazy stacking stays on (FPCCR.ASPEN = LSPEN = 1, the reset
 *   value). PendSV saves s16-s31 only for a task whose EXC_RETURN says it has an FP context, so
 *   integer-only tasks pay nothing and an FP task's s0-s15/FPSCR are stacked by hardware on demand.
 * - Critical sections mask all configurable interrupts with PRIMASK and nest.
 * - The scheduler scans the task list (O(number of tasks)); meant for up to a few dozen tasks.
 *
 * Status values: UK_OK (0) or a negative UK_E_* code.
 *
 * @par Thread
 * Functions marked "ISR-safe" may be called from interrupt handlers; all others only from tasks
 * (they return UK_E_ISR when called from a handler with a non-zero timeout).
 */

#include <stdint.h>

/** @brief Success. */
#define UK_OK 0
/** @brief The timeout expired before the object became available. */
#define UK_E_TIMEOUT (-1)
/** @brief A NULL object, zero size, bad priority or a stack too small. */
#define UK_E_INVALID (-2)
/** @brief A blocking call was made from an interrupt handler. */
#define UK_E_ISR (-3)
/** @brief A mutex was released by a task that does not own it. */
#define UK_E_PERM (-4)
/** @brief A semaphore is already at its maximum count. */
#define UK_E_FULL (-5)

/** @brief Timeout value: wait as long as it takes. */
#define UK_WAIT_FOREVER 0xFFFFFFFFu
/** @brief Highest task priority. */
#define UK_PRIO_MAX 31u
/** @brief Smallest stack uk_task_create accepts, in bytes (context frames plus a little work). */
#define UK_STACK_MIN 256u

/** @brief Task entry point; returning from it ends the task. */
typedef void (*uk_task_fn)(void *arg);
/** @brief Hook called from the idle task (must not block) or from the tick interrupt. */
typedef void (*uk_hook_fn)(void);

/** @brief Task control block. Caller-allocated; the fields are the kernel's. */
typedef struct uk_task {
    uint32_t sp;              /**< saved process stack pointer (must stay first: PendSV uses it) */
    struct uk_task *next;     /**< all tasks, in creation order */
    const char *name;         /**< for diagnostics */
    uk_task_fn fn;            /**< entry point */
    void *arg;                /**< entry argument */
    uint32_t *stack_base;     /**< lowest word of the stack (holds the overflow guard) */
    uint32_t stack_words;     /**< stack size in 32-bit words */
    uint8_t state;            /**< UK_STATE_* (kernel-internal) */
    uint8_t prio;             /**< effective priority (raised by priority inheritance) */
    uint8_t base_prio;        /**< priority given at creation */
    int8_t wait_result;       /**< UK_OK when woken by the object, UK_E_TIMEOUT on timeout */
    const void *wait_obj;     /**< object the task blocks on, NULL when not blocked */
    uint32_t wake_tick;       /**< tick at which a sleep or timed wait ends */
    uint8_t timed;            /**< non-zero when wake_tick applies */
} uk_task;

/** @brief Counting semaphore. Initialize with uk_sem_init. */
typedef struct uk_sem {
    uint32_t count; /**< available units */
    uint32_t max;   /**< uk_sem_give beyond this returns UK_E_FULL */
} uk_sem;

/** @brief Mutex with (one-level) priority inheritance; not recursive. */
typedef struct uk_mutex {
    uk_task *owner; /**< owning task or NULL */
} uk_mutex;

/** @brief Fixed-size message queue over a caller-provided ring buffer. */
typedef struct uk_queue {
    uint8_t *buf;        /**< capacity * item_size bytes */
    uint32_t item_size;  /**< bytes per message */
    uint32_t capacity;   /**< messages the buffer holds */
    uint32_t head;       /**< index of the oldest message */
    uint32_t count;      /**< messages in the queue */
    uint8_t not_empty;   /**< wait token: receivers block on its address */
    uint8_t not_full;    /**< wait token: senders block on its address */
} uk_queue;

/**
 * @brief Creates a task, ready to run once uk_start is called (or at once if already started).
 * @param task caller-allocated control block, valid for the task's life.
 * @param name short name for diagnostics (not copied).
 * @param fn entry point; @param arg its argument.
 * @param prio 1..UK_PRIO_MAX, larger is more urgent.
 * @param stack caller-allocated stack, 8-byte aligned; @param stack_size its size in bytes,
 * at least UK_STACK_MIN (add 64 bytes of FP context on an M4F for tasks that use floats).
 * @return UK_OK, UK_E_INVALID.
 */
int32_t uk_task_create(uk_task *task, const char *name, uk_task_fn fn, void *arg, uint32_t prio,
                       void *stack, uint32_t stack_size);

/**
 * @brief Starts SysTick at @p tick_hz from a core clock of @p cpu_hz and runs the highest-priority
 * task. Called once from main(); does not return. Main's stack becomes the handler stack.
 */
void uk_start(uint32_t cpu_hz, uint32_t tick_hz);

/** @brief Ticks since uk_start, wrapping modulo 2^32. ISR-safe. */
uint32_t uk_tick_now(void);

/** @brief Ticks since uk_start as 64 bits (never wraps in practice). ISR-safe. */
uint64_t uk_tick_now64(void);

/** @brief The tick rate given to uk_start. ISR-safe. */
uint32_t uk_tick_hz(void);

/** @brief The calling task, or NULL before uk_start. */
uk_task *uk_task_self(void);

/**
 * @brief Blocks the calling task until the @p ticks-th tick interrupt from now, that is for
 * between @p ticks - 1 and @p ticks tick periods (0 = yield). Add one for "at least".
 */
void uk_sleep(uint32_t ticks);

/** @brief Lets the other ready tasks of the same priority run. */
void uk_yield(void);

/** @brief Ends the calling task (also what returning from its entry point does). */
void uk_task_exit(void);

/**
 * @brief Bytes of @p task's stack never written so far (high-water mark), for sizing stacks.
 * @return untouched bytes (the stack is painted at creation).
 */
uint32_t uk_task_stack_unused(const uk_task *task);

/** @brief Sets the idle hook: called in a loop while no task is ready, before WFI. */
void uk_set_idle_hook(uk_hook_fn hook);

/** @brief Sets the tick hook: called from the SysTick handler on every tick (ISR context). */
void uk_set_tick_hook(uk_hook_fn hook);

/** @brief Masks interrupts; returns the previous mask for uk_critical_exit. Nests. ISR-safe. */
uint32_t uk_critical_enter(void);

/** @brief Restores the mask returned by the matching uk_critical_enter. ISR-safe. */
void uk_critical_exit(uint32_t saved);

/** @brief Non-zero when called from an exception handler. ISR-safe. */
int uk_in_isr(void);

/** @brief Initializes @p sem with @p initial units and a maximum of @p max. @return UK_OK, UK_E_INVALID. */
int32_t uk_sem_init(uk_sem *sem, uint32_t initial, uint32_t max);

/**
 * @brief Takes one unit, waiting up to @p timeout ticks (0 = poll, UK_WAIT_FOREVER).
 * @return UK_OK, UK_E_TIMEOUT, UK_E_ISR, UK_E_INVALID. ISR-safe with timeout 0.
 */
int32_t uk_sem_take(uk_sem *sem, uint32_t timeout);

/** @brief Gives one unit and wakes the most urgent waiter. @return UK_OK, UK_E_FULL. ISR-safe. */
int32_t uk_sem_give(uk_sem *sem);

/** @brief Initializes @p mutex unlocked. @return UK_OK, UK_E_INVALID. */
int32_t uk_mutex_init(uk_mutex *mutex);

/**
 * @brief Locks @p mutex, waiting up to @p timeout ticks. While a more urgent task waits, the
 * owner runs at the waiter's priority (priority inheritance).
 * @return UK_OK, UK_E_TIMEOUT, UK_E_ISR, UK_E_INVALID (also when the caller already owns it).
 */
int32_t uk_mutex_lock(uk_mutex *mutex, uint32_t timeout);

/** @brief Unlocks @p mutex; the owner's priority returns to its base. @return UK_OK, UK_E_PERM. */
int32_t uk_mutex_unlock(uk_mutex *mutex);

/**
 * @brief Initializes @p queue over @p buf (capacity * item_size bytes).
 * @return UK_OK, UK_E_INVALID.
 */
int32_t uk_queue_init(uk_queue *queue, void *buf, uint32_t item_size, uint32_t capacity);

/**
 * @brief Copies one message of item_size bytes into the queue, waiting up to @p timeout ticks
 * for space. @return UK_OK, UK_E_TIMEOUT, UK_E_ISR, UK_E_INVALID. ISR-safe with timeout 0.
 */
int32_t uk_queue_send(uk_queue *queue, const void *item, uint32_t timeout);

/**
 * @brief Copies the oldest message out, waiting up to @p timeout ticks for one.
 * @return UK_OK, UK_E_TIMEOUT, UK_E_ISR, UK_E_INVALID. ISR-safe with timeout 0.
 */
int32_t uk_queue_receive(uk_queue *queue, void *out_item, uint32_t timeout);

/** @brief Messages waiting in @p queue. ISR-safe. */
uint32_t uk_queue_count(const uk_queue *queue);

/**
 * @brief Called on a fatal kernel error (stack overflow detected at a context switch). Weak: the
 * default prints the message through semihosting-aware stdio and exits with status 1.
 */
void uk_panic(const char *what, const uk_task *task);

#endif
