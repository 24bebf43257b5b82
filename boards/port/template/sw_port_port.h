/* SPDX-License-Identifier: MIT */
/* Template port configuration: copy boards/port/template/ to boards/port/<your-os>/ and fill in. */
#ifndef SW_PORT_PORT_H
#define SW_PORT_PORT_H

#include <stdint.h>

/** @brief Name printed by diagnostics. */
#define SW_PORT_NAME "template"
/** @brief Highest priority your mapping gives (sw_port_task_create maps 1..max onto the OS's). */
#define SW_PORT_PRIO_MAX 4
/** @brief Smallest task stack your OS accepts, in bytes. */
#define SW_PORT_STACK_MIN 512
/** @brief 1 when sw_port_udp_* are implemented (the board has an IP stack), else 0. */
#define SW_PORT_HAS_SOCKETS 1
/** @brief Largest audio frame, in samples (at least 320 = 20 ms at 16 kHz). */
#define SW_PORT_AUDIO_MAX_FRAME 320

/* The object types: put your OS's handles inside (e.g. a FreeRTOS TaskHandle_t plus a
 * StaticTask_t, a SemaphoreHandle_t plus a StaticSemaphore_t). Sipwire only passes pointers. */

/** @brief A task: the OS's task handle and, for static allocation, its control block. */
typedef struct sw_port_task_t {
    void *handle; /**< replace with your OS's task handle / control block */
} sw_port_task_t;

/** @brief A mutex: the OS's mutex object. */
typedef struct sw_port_mutex_t {
    void *handle; /**< replace with your OS's mutex */
} sw_port_mutex_t;

/** @brief A counting semaphore: the OS's semaphore object. */
typedef struct sw_port_sem_t {
    void *handle; /**< replace with your OS's semaphore */
} sw_port_sem_t;

/** @brief A message queue: the OS's queue object over the caller's buffer. */
typedef struct sw_port_queue_t {
    void *handle; /**< replace with your OS's queue */
} sw_port_queue_t;

/** @brief A UDP socket: the IP stack's socket handle (lwIP: int from lwip_socket). */
typedef struct sw_port_udp_t {
    int32_t fd; /**< replace with your IP stack's socket */
} sw_port_udp_t;

#endif
