/* SPDX-License-Identifier: MIT */
/* The board-support contract: what Sipwire's media and signaling tasks need from an OS or board. */
#ifndef SW_PORT_H
#define SW_PORT_H

/**
 * @file sw_port.h
 * @brief Board-support contract (OSAL): time, tasks, mutexes, semaphores, queues, critical
 * sections, a cycle counter, audio I/O hooks and optional UDP sockets.
 *
 * A port implements every function below for one OS or kernel. Sipwire ships three:
 * - boards/port/posix: pthreads, BSD sockets, a loopback "sound card" (Linux, macOS, QEMU user).
 * - boards/port/ukernel: Sipwire's own microkernel (boards/ukernel, Cortex-M bare metal).
 * - boards/port/template: compiles, does nothing, says in each function what to implement.
 *
 * Memory: the caller owns every object (sw_port_task_t, sw_port_mutex_t, ...): declare them
 * static or inside your own structs; the port never allocates behind your back, so a product
 * sizes its RAM at link time. The object types are defined by the port in sw_port_port.h.
 *
 * Status: functions return SW_PORT_OK (0) or a negative SW_PORT_E_* code. The values match
 * sipwire.h where they overlap (SW_OK, SW_E_INVALID_ARG, SW_E_INVALID_STATE, SW_E_NO_MEMORY);
 * -200..-299 are the port's own range.
 *
 * Time-outs are in milliseconds: 0 polls, SW_PORT_WAIT_FOREVER waits as long as it takes.
 *
 * @par Thread
 * Every function may be called from any task. Functions marked "ISR-safe" may also be called
 * from an interrupt handler (with a time-out of 0 where they take one).
 */

#include <stdint.h>

#include "sw_port_config.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Status of a port call: 0 or a negative SW_PORT_E_* code. */
typedef int32_t sw_port_status;

/** @brief Success (= SW_OK). */
#define SW_PORT_OK 0
/** @brief A NULL object, bad size or out-of-range value (= SW_E_INVALID_ARG). */
#define SW_PORT_E_INVALID_ARG (-1)
/** @brief Not allowed now: e.g. a blocking call from an ISR, unlock by a non-owner (= SW_E_INVALID_STATE). */
#define SW_PORT_E_INVALID_STATE (-3)
/** @brief The OS could not provide a resource (thread, socket) (= SW_E_NO_MEMORY). */
#define SW_PORT_E_NO_MEMORY (-100)
/** @brief The time-out expired first. */
#define SW_PORT_E_TIMEOUT (-200)
/** @brief The port or board does not have this service (e.g. no sound device, no IP stack). */
#define SW_PORT_E_NOT_SUPPORTED (-201)
/** @brief The OS reported an I/O error (socket, audio device). */
#define SW_PORT_E_IO (-202)
/** @brief A semaphore is at its maximum count, or a queue is full (send with time-out 0). */
#define SW_PORT_E_FULL (-203)

/** @brief Time-out value: wait as long as it takes. */
#define SW_PORT_WAIT_FOREVER 0xFFFFFFFFu

/** @brief Task priorities used by Sipwire (1..SW_PORT_PRIO_MAX, larger is more urgent). */
#define SW_PORT_PRIO_BACKGROUND 1
/** @brief Signaling (SIP) task priority. */
#define SW_PORT_PRIO_SIGNALING 2
/** @brief Network receive task priority. */
#define SW_PORT_PRIO_NETWORK 3
/** @brief Media (10/20 ms audio frames) task priority: the most urgent. */
#define SW_PORT_PRIO_MEDIA 4

/** @brief Task entry point; returning from it ends the task. */
typedef void (*sw_port_task_fn)(void *arg);

/* ---- Time -------------------------------------------------------------------------------- */

/**
 * @brief Monotonic time since an arbitrary start (boot), in microseconds. Never goes back.
 * @return microseconds; resolution is the port's (the microkernel: one tick). ISR-safe.
 */
uint64_t sw_port_time_now_us(void);

/**
 * @brief Blocks the calling task for at least @p ms milliseconds (0 yields).
 * @param ms duration.
 */
void sw_port_time_sleep_ms(uint32_t ms);

/* ---- Tasks ------------------------------------------------------------------------------- */

/**
 * @brief Creates a task that runs @p fn(@p arg) at @p priority.
 * @param task caller-owned object, valid for the task's whole life.
 * @param name short name for debuggers (not copied).
 * @param fn entry point; @param arg its argument.
 * @param priority 1..SW_PORT_PRIO_MAX, larger is more urgent (SW_PORT_PRIO_*). Ports without
 * priorities (posix with SCHED_OTHER) accept and ignore it.
 * @param stack caller-owned stack, 8-byte aligned, or NULL where the port allocates stacks itself
 * (posix); the microkernel requires one.
 * @param stack_size bytes, at least SW_PORT_STACK_MIN.
 * @return SW_PORT_OK, SW_PORT_E_INVALID_ARG, SW_PORT_E_NO_MEMORY.
 */
sw_port_status sw_port_task_create(sw_port_task_t *task, const char *name, sw_port_task_fn fn, void *arg,
                                   int32_t priority, void *stack, uint32_t stack_size);

/** @brief Lets other ready tasks of the same priority run. */
void sw_port_task_yield(void);

/**
 * @brief Hands the CPU to the tasks created so far. On the microkernel this starts the
 * scheduler; on posix the tasks already run and the caller just blocks. Never returns: a task
 * ends the program (exit) or the system runs until power-off.
 */
void sw_port_sched_start(void);

/* ---- Mutexes ------------------------------------------------------------------------------ */

/** @brief Initializes @p mutex unlocked (not recursive). @return SW_PORT_OK, SW_PORT_E_INVALID_ARG, SW_PORT_E_NO_MEMORY. */
sw_port_status sw_port_mutex_init(sw_port_mutex_t *mutex);

/**
 * @brief Locks @p mutex, waiting as long as it takes. Where the OS offers it, the owner inherits
 * the priority of a more urgent waiter (the microkernel does).
 * @return SW_PORT_OK, SW_PORT_E_INVALID_ARG, SW_PORT_E_INVALID_STATE (from an ISR, or already owned by the caller).
 */
sw_port_status sw_port_mutex_lock(sw_port_mutex_t *mutex);

/** @brief Unlocks @p mutex. @return SW_PORT_OK, SW_PORT_E_INVALID_ARG, SW_PORT_E_INVALID_STATE (caller is not the owner). */
sw_port_status sw_port_mutex_unlock(sw_port_mutex_t *mutex);

/** @brief Releases what the OS holds for @p mutex (it must be unlocked). NULL-safe. */
void sw_port_mutex_destroy(sw_port_mutex_t *mutex);

/* ---- Semaphores --------------------------------------------------------------------------- */

/**
 * @brief Initializes a counting semaphore with @p initial units, at most @p max.
 * @return SW_PORT_OK, SW_PORT_E_INVALID_ARG (max 0 or initial > max), SW_PORT_E_NO_MEMORY.
 */
sw_port_status sw_port_sem_init(sw_port_sem_t *sem, uint32_t initial, uint32_t max);

/**
 * @brief Takes one unit, waiting up to @p timeout_ms.
 * @return SW_PORT_OK, SW_PORT_E_TIMEOUT, SW_PORT_E_INVALID_ARG, SW_PORT_E_INVALID_STATE
 * (blocking from an ISR). ISR-safe with a time-out of 0.
 */
sw_port_status sw_port_sem_take(sw_port_sem_t *sem, uint32_t timeout_ms);

/** @brief Gives one unit and wakes the most urgent waiter. @return SW_PORT_OK, SW_PORT_E_FULL, SW_PORT_E_INVALID_ARG. ISR-safe. */
sw_port_status sw_port_sem_give(sw_port_sem_t *sem);

/** @brief Releases what the OS holds for @p sem (no task may wait on it). NULL-safe. */
void sw_port_sem_destroy(sw_port_sem_t *sem);

/* ---- Message queues ----------------------------------------------------------------------- */

/**
 * @brief Initializes a queue of @p capacity messages of @p item_size bytes over @p buf
 * (capacity * item_size bytes, caller-owned).
 * @return SW_PORT_OK, SW_PORT_E_INVALID_ARG, SW_PORT_E_NO_MEMORY.
 */
sw_port_status sw_port_queue_init(sw_port_queue_t *queue, void *buf, uint32_t item_size, uint32_t capacity);

/**
 * @brief Copies one message in, waiting up to @p timeout_ms for room.
 * @return SW_PORT_OK, SW_PORT_E_TIMEOUT, SW_PORT_E_INVALID_ARG, SW_PORT_E_INVALID_STATE.
 * ISR-safe with a time-out of 0.
 */
sw_port_status sw_port_queue_send(sw_port_queue_t *queue, const void *item, uint32_t timeout_ms);

/**
 * @brief Copies the oldest message out, waiting up to @p timeout_ms for one.
 * @return SW_PORT_OK, SW_PORT_E_TIMEOUT, SW_PORT_E_INVALID_ARG, SW_PORT_E_INVALID_STATE.
 * ISR-safe with a time-out of 0.
 */
sw_port_status sw_port_queue_receive(sw_port_queue_t *queue, void *out_item, uint32_t timeout_ms);

/** @brief Releases what the OS holds for @p queue (no task may wait on it). NULL-safe. */
void sw_port_queue_destroy(sw_port_queue_t *queue);

/* ---- Critical sections -------------------------------------------------------------------- */

/**
 * @brief Enters a short critical section: on a microcontroller interrupts are masked, on an OS
 * a process-wide lock is taken. Nests. Keep it to a few microseconds and never block inside.
 * @return a value to give to the matching sw_port_critical_exit. ISR-safe on the microkernel.
 */
uint32_t sw_port_critical_enter(void);

/** @brief Leaves the critical section entered by the matching sw_port_critical_enter. */
void sw_port_critical_exit(uint32_t saved);

/* ---- Cycle counter ------------------------------------------------------------------------ */

/**
 * @brief A free-running counter for profiling, wrapping modulo 2^32; differences of two reads
 * less than one wrap apart are exact. ISR-safe.
 * @return counts (see sw_port_cycles_hz).
 */
uint32_t sw_port_cycles_now(void);

/** @brief Counting rate of sw_port_cycles_now in Hz (the core clock where the CPU has a cycle counter). */
uint32_t sw_port_cycles_hz(void);

/* ---- Audio I/O hooks ---------------------------------------------------------------------- */

/**
 * @brief Starts the board's audio path (codec, I2S/PCM DMA) at @p sample_rate_hz in frames of
 * @p frame_samples mono 16-bit samples.
 * @return SW_PORT_OK, SW_PORT_E_INVALID_ARG (rate or frame unsupported, frame > SW_PORT_AUDIO_MAX_FRAME),
 * SW_PORT_E_NOT_SUPPORTED (no audio on this board), SW_PORT_E_IO.
 */
sw_port_status sw_port_audio_start(int32_t sample_rate_hz, int32_t frame_samples);

/**
 * @brief Reads one captured frame (microphone), waiting up to @p timeout_ms for it. Called by the
 * media task once per frame; it paces the task.
 * @param out_pcm receives @p samples samples (host byte order).
 * @return SW_PORT_OK, SW_PORT_E_TIMEOUT, SW_PORT_E_INVALID_ARG, SW_PORT_E_INVALID_STATE (not started).
 */
sw_port_status sw_port_audio_read(int16_t *out_pcm, int32_t samples, uint32_t timeout_ms);

/**
 * @brief Queues one frame for playback (speaker), waiting up to @p timeout_ms for room.
 * @return SW_PORT_OK, SW_PORT_E_TIMEOUT, SW_PORT_E_INVALID_ARG, SW_PORT_E_INVALID_STATE (not started).
 */
sw_port_status sw_port_audio_write(const int16_t *pcm, int32_t samples, uint32_t timeout_ms);

/** @brief Stops the audio path; read and write then return SW_PORT_E_INVALID_STATE. */
void sw_port_audio_stop(void);

/* ---- UDP sockets (SW_PORT_HAS_SOCKETS == 1) ----------------------------------------------- */

/** @brief An IPv4 or IPv6 address and port. */
typedef struct sw_port_addr {
    uint8_t family;   /**< 4 or 6 */
    uint8_t ip[16];   /**< network byte order; IPv4 uses ip[0..3] */
    uint16_t port;    /**< host byte order */
} sw_port_addr;

#if SW_PORT_HAS_SOCKETS
/**
 * @brief Opens a UDP socket bound to @p local (port 0 picks a free one; the bound address is
 * written back to @p local).
 * @return SW_PORT_OK, SW_PORT_E_INVALID_ARG, SW_PORT_E_NO_MEMORY, SW_PORT_E_IO (address in use).
 */
sw_port_status sw_port_udp_open(sw_port_udp_t *sock, sw_port_addr *local);

/**
 * @brief Sends one datagram of @p len bytes to @p to.
 * @return SW_PORT_OK, SW_PORT_E_INVALID_ARG, SW_PORT_E_IO.
 */
sw_port_status sw_port_udp_send(sw_port_udp_t *sock, const uint8_t *buf, int32_t len, const sw_port_addr *to);

/**
 * @brief Receives one datagram, waiting up to @p timeout_ms. A datagram longer than @p cap is
 * truncated to @p cap bytes and *out_len says @p cap.
 * @return SW_PORT_OK, SW_PORT_E_TIMEOUT, SW_PORT_E_INVALID_ARG, SW_PORT_E_IO.
 */
sw_port_status sw_port_udp_receive(sw_port_udp_t *sock, uint8_t *buf, int32_t cap, int32_t *out_len,
                                   sw_port_addr *out_from, uint32_t timeout_ms);

/** @brief Closes the socket. NULL-safe. */
void sw_port_udp_close(sw_port_udp_t *sock);
#endif

#ifdef __cplusplus
}
#endif

#endif
