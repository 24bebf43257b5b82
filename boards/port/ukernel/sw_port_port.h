/* SPDX-License-Identifier: MIT */
/* Port configuration for Sipwire's microkernel (boards/ukernel): objects are uk objects. */
#ifndef SW_PORT_PORT_H
#define SW_PORT_PORT_H

#include <stdint.h>

#include "uk.h"

#define SW_PORT_NAME "ukernel"
#define SW_PORT_PRIO_MAX 31
#define SW_PORT_STACK_MIN 256
/* Bare metal: no IP stack in this port (an lwIP port would add one). */
#define SW_PORT_HAS_SOCKETS 0
#define SW_PORT_AUDIO_MAX_FRAME 320

typedef uk_task sw_port_task_t;
typedef uk_mutex sw_port_mutex_t;
typedef uk_sem sw_port_sem_t;
typedef uk_queue sw_port_queue_t;

/*
 * What the board adds (boards/targets/<board>/): board_cpu_hz() for SysTick, the cycle counter
 * board_cycles_now()/board_cycles_hz(), and the sw_port_audio_* hooks for its audio path.
 */
/** @brief Core clock in Hz (SysTick input). */
uint32_t board_cpu_hz(void);
/** @brief Free-running counter for sw_port_cycles_now. */
uint32_t board_cycles_now(void);
/** @brief Rate of board_cycles_now in Hz. */
uint32_t board_cycles_hz(void);

/** @brief Tick rate the port starts the microkernel with. */
#ifndef SW_PORT_UK_TICK_HZ
#define SW_PORT_UK_TICK_HZ 1000u
#endif

#endif
