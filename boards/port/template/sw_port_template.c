/* SPDX-License-Identifier: MIT */
/* Template port: compiles, does nothing; each function says what a real port must do. */
#include "sw_port.h"

#include <stddef.h>

/*
 * How to start a port for your OS:
 * 1. Copy boards/port/template/ to boards/port/<os>/; rename this file sw_port_<os>.c.
 * 2. In sw_port_port.h, put your OS's objects into the sw_port_*_t types and set the values.
 * 3. Implement every function below; the comment in each says what it must do and return.
 * 4. Build boards/tests/test_port_contract.c against your port and run it on the board:
 *    it checks every function's behaviour, time-outs included.
 * Until then, every call returns SW_PORT_E_NOT_SUPPORTED (or does nothing), so a build links.
 */

uint64_t sw_port_time_now_us(void)
{
    /* Return a monotonic microsecond count since boot, from a hardware timer or the OS tick
     * (FreeRTOS: xTaskGetTickCount() * 1000000 / configTICK_RATE_HZ, extended to 64 bits). */
    return 0u;
}

void sw_port_time_sleep_ms(uint32_t ms)
{
    /* Block the calling task for at least ms milliseconds; round up to whole ticks. ms == 0:
     * yield (FreeRTOS: vTaskDelay(pdMS_TO_TICKS(ms) + 1)). */
    (void)ms;
}

sw_port_status sw_port_task_create(sw_port_task_t *task, const char *name, sw_port_task_fn fn, void *arg,
                                   int32_t priority, void *stack, uint32_t stack_size)
{
    /* Check task, fn != NULL, 1 <= priority <= SW_PORT_PRIO_MAX, stack_size >= SW_PORT_STACK_MIN
     * (SW_PORT_E_INVALID_ARG otherwise). Create the task running fn(arg) on the caller's stack
     * (or the OS's when stack is NULL), mapped so that a larger priority is more urgent. A task
     * whose fn returns must be deleted by a wrapper. Return SW_PORT_E_NO_MEMORY if the OS fails. */
    (void)task;
    (void)name;
    (void)fn;
    (void)arg;
    (void)priority;
    (void)stack;
    (void)stack_size;
    return SW_PORT_E_NOT_SUPPORTED;
}

void sw_port_task_yield(void)
{
    /* Let other ready tasks of the same priority run (FreeRTOS: taskYIELD()). */
}

void sw_port_sched_start(void)
{
    /* Start the OS scheduler (FreeRTOS: vTaskStartScheduler()); never return. */
    for (;;) {
    }
}

sw_port_status sw_port_mutex_init(sw_port_mutex_t *mutex)
{
    /* Create an unlocked, non-recursive mutex, with priority inheritance if the OS has it. */
    (void)mutex;
    return SW_PORT_E_NOT_SUPPORTED;
}

sw_port_status sw_port_mutex_lock(sw_port_mutex_t *mutex)
{
    /* Lock, waiting forever. From an ISR, or when the caller already owns it:
     * SW_PORT_E_INVALID_STATE. */
    (void)mutex;
    return SW_PORT_E_NOT_SUPPORTED;
}

sw_port_status sw_port_mutex_unlock(sw_port_mutex_t *mutex)
{
    /* Unlock; a caller that is not the owner gets SW_PORT_E_INVALID_STATE. */
    (void)mutex;
    return SW_PORT_E_NOT_SUPPORTED;
}

void sw_port_mutex_destroy(sw_port_mutex_t *mutex)
{
    /* Free the OS object; accept NULL. */
    (void)mutex;
}

sw_port_status sw_port_sem_init(sw_port_sem_t *sem, uint32_t initial, uint32_t max)
{
    /* Create a counting semaphore (max >= 1, initial <= max, else SW_PORT_E_INVALID_ARG). */
    (void)sem;
    (void)initial;
    (void)max;
    return SW_PORT_E_NOT_SUPPORTED;
}

sw_port_status sw_port_sem_take(sw_port_sem_t *sem, uint32_t timeout_ms)
{
    /* Take one unit within timeout_ms (0 = poll, SW_PORT_WAIT_FOREVER); SW_PORT_E_TIMEOUT when
     * it expires. From an ISR only with timeout 0 (use the OS's FromISR variant). */
    (void)sem;
    (void)timeout_ms;
    return SW_PORT_E_NOT_SUPPORTED;
}

sw_port_status sw_port_sem_give(sw_port_sem_t *sem)
{
    /* Give one unit; SW_PORT_E_FULL at max. Must work from an ISR (detect it and use the OS's
     * FromISR variant, then request a context switch on exit). */
    (void)sem;
    return SW_PORT_E_NOT_SUPPORTED;
}

void sw_port_sem_destroy(sw_port_sem_t *sem)
{
    /* Free the OS object; accept NULL. */
    (void)sem;
}

sw_port_status sw_port_queue_init(sw_port_queue_t *queue, void *buf, uint32_t item_size, uint32_t capacity)
{
    /* Create a FIFO of capacity messages of item_size bytes over buf (static queue creation). */
    (void)queue;
    (void)buf;
    (void)item_size;
    (void)capacity;
    return SW_PORT_E_NOT_SUPPORTED;
}

sw_port_status sw_port_queue_send(sw_port_queue_t *queue, const void *item, uint32_t timeout_ms)
{
    /* Copy item in at the back, waiting up to timeout_ms for room; ISR-safe with timeout 0. */
    (void)queue;
    (void)item;
    (void)timeout_ms;
    return SW_PORT_E_NOT_SUPPORTED;
}

sw_port_status sw_port_queue_receive(sw_port_queue_t *queue, void *out_item, uint32_t timeout_ms)
{
    /* Copy the oldest message out, waiting up to timeout_ms; ISR-safe with timeout 0. */
    (void)queue;
    (void)out_item;
    (void)timeout_ms;
    return SW_PORT_E_NOT_SUPPORTED;
}

void sw_port_queue_destroy(sw_port_queue_t *queue)
{
    /* Free the OS object; accept NULL. */
    (void)queue;
}

uint32_t sw_port_critical_enter(void)
{
    /* Mask interrupts (or take a process-wide lock) and return what exit must restore; must nest
     * (FreeRTOS: taskENTER_CRITICAL / ulPortRaiseBASEPRI from an ISR). */
    return 0u;
}

void sw_port_critical_exit(uint32_t saved)
{
    /* Restore the state returned by the matching enter. */
    (void)saved;
}

uint32_t sw_port_cycles_now(void)
{
    /* Read a free-running counter: DWT->CYCCNT on Cortex-M3/M4/M7 (enable DEMCR.TRCENA and
     * DWT_CTRL.CYCCNTENA once), the CP0 Count register on MIPS, rdcycle on RISC-V. */
    return 0u;
}

uint32_t sw_port_cycles_hz(void)
{
    /* The rate of sw_port_cycles_now: the core clock for a cycle counter (MIPS Count: half). */
    return 1u;
}

sw_port_status sw_port_audio_start(int32_t sample_rate_hz, int32_t frame_samples)
{
    /* Configure the codec and start I2S/PCM DMA at sample_rate_hz (8000 or 16000) with
     * double-buffered frames of frame_samples (<= SW_PORT_AUDIO_MAX_FRAME). */
    (void)sample_rate_hz;
    (void)frame_samples;
    return SW_PORT_E_NOT_SUPPORTED;
}

sw_port_status sw_port_audio_read(int16_t *out_pcm, int32_t samples, uint32_t timeout_ms)
{
    /* Wait (semaphore given by the DMA half/full interrupt) for the next captured frame and
     * copy it out; SW_PORT_E_TIMEOUT if none arrives in time. */
    (void)out_pcm;
    (void)samples;
    (void)timeout_ms;
    return SW_PORT_E_NOT_SUPPORTED;
}

sw_port_status sw_port_audio_write(const int16_t *pcm, int32_t samples, uint32_t timeout_ms)
{
    /* Copy the frame into the playback DMA buffer that is not being played, waiting for room. */
    (void)pcm;
    (void)samples;
    (void)timeout_ms;
    return SW_PORT_E_NOT_SUPPORTED;
}

void sw_port_audio_stop(void)
{
    /* Stop DMA and power the codec down. */
}

#if SW_PORT_HAS_SOCKETS
sw_port_status sw_port_udp_open(sw_port_udp_t *sock, sw_port_addr *local)
{
    /* socket(AF_INET or AF_INET6, SOCK_DGRAM), bind to local, write the bound port back. */
    (void)sock;
    (void)local;
    return SW_PORT_E_NOT_SUPPORTED;
}

sw_port_status sw_port_udp_send(sw_port_udp_t *sock, const uint8_t *buf, int32_t len, const sw_port_addr *to)
{
    /* sendto() one datagram. */
    (void)sock;
    (void)buf;
    (void)len;
    (void)to;
    return SW_PORT_E_NOT_SUPPORTED;
}

sw_port_status sw_port_udp_receive(sw_port_udp_t *sock, uint8_t *buf, int32_t cap, int32_t *out_len,
                                   sw_port_addr *out_from, uint32_t timeout_ms)
{
    /* Wait up to timeout_ms (select/poll or SO_RCVTIMEO), then recvfrom() one datagram. */
    (void)sock;
    (void)buf;
    (void)cap;
    (void)out_len;
    (void)out_from;
    (void)timeout_ms;
    return SW_PORT_E_NOT_SUPPORTED;
}

void sw_port_udp_close(sw_port_udp_t *sock)
{
    /* close() the socket; accept NULL. */
    (void)sock;
}
#endif
