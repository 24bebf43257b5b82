/* SPDX-License-Identifier: MIT */
/* Interface between the portable kernel core (uk_core.c, uk_sync.c) and the CPU port. */
#ifndef UK_INTERNAL_H
#define UK_INTERNAL_H

#include "uk.h"

#define UK_STATE_READY 1u
#define UK_STATE_BLOCKED 2u
#define UK_STATE_DEAD 3u

/** Word written at the lowest address of every task stack; checked at each switch. */
#define UK_STACK_GUARD 0x5AFE57ACu
/** Fill pattern of unused stack (uk_task_stack_unused). */
#define UK_STACK_PAINT 0xA5A5A5A5u

/* The running task; PendSV reads and writes it. */
extern uk_task *volatile uk_g_current;

/* Core, called by the port. */
uk_task *uk_core_switch(void);
void uk_core_tick(void);
void uk_core_task_entry(void);

/* Core, used by uk_sync.c (all with interrupts masked). */
void uk_core_block(const void *obj, uint32_t deadline, int timed);
uk_task *uk_core_wake_one(const void *obj);
uk_task *uk_core_highest_waiter(const void *obj);
int32_t uk_core_blocking_allowed(uint32_t saved_mask);

/* CPU port. */
void uk_port_stack_init(uk_task *task);
void uk_port_pend_switch(void);
void uk_port_start(uint32_t cpu_hz, uint32_t tick_hz);
void uk_port_wait_for_interrupt(void);

#endif
