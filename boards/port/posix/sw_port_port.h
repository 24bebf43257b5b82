/* SPDX-License-Identifier: MIT */
/* Port configuration for POSIX systems (Linux, macOS, QEMU user mode): pthreads, BSD sockets. */
#ifndef SW_PORT_PORT_H
#define SW_PORT_PORT_H

#include <pthread.h>
#include <stdint.h>

#define SW_PORT_NAME "posix"
/* SCHED_OTHER threads: priorities are accepted and ignored. */
#define SW_PORT_PRIO_MAX 31
#define SW_PORT_STACK_MIN 16384
#define SW_PORT_HAS_SOCKETS 1
#define SW_PORT_AUDIO_MAX_FRAME 960

/** @brief A detached pthread; the port allocates its stack. */
typedef struct sw_port_task_t {
    pthread_t thread;
    void (*fn)(void *arg);
    void *arg;
} sw_port_task_t;

/** @brief An error-checking pthread mutex (unlock by a non-owner is reported, not undefined). */
typedef struct sw_port_mutex_t {
    pthread_mutex_t mutex;
} sw_port_mutex_t;

/** @brief A counting semaphore from a mutex and a CLOCK_MONOTONIC condition variable. */
typedef struct sw_port_sem_t {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    uint32_t count;
    uint32_t max;
} sw_port_sem_t;

/** @brief A ring-buffer queue guarded by a mutex, with two condition variables. */
typedef struct sw_port_queue_t {
    pthread_mutex_t lock;
    pthread_cond_t not_empty;
    pthread_cond_t not_full;
    uint8_t *buf;
    uint32_t item_size;
    uint32_t capacity;
    uint32_t head;
    uint32_t count;
} sw_port_queue_t;

/** @brief A UDP socket file descriptor (-1 when closed). */
typedef struct sw_port_udp_t {
    int fd;
    int family;
} sw_port_udp_t;

#endif
