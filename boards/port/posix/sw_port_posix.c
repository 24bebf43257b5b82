/* SPDX-License-Identifier: MIT */
/* sw_port on POSIX: pthreads, CLOCK_MONOTONIC, BSD UDP sockets and a loopback audio device. */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700

#include "sw_port.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct timespec sw_port_deadline(uint32_t timeout_ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += (time_t)(timeout_ms / 1000u);
    ts.tv_nsec += (long)(timeout_ms % 1000u) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

static int sw_port_cond_init(pthread_cond_t *cond)
{
    pthread_condattr_t attr;
    int rc;
    if (pthread_condattr_init(&attr) != 0) {
        return -1;
    }
    /* Time-outs must not jump with the wall clock. */
    rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    if (rc == 0) {
        rc = pthread_cond_init(cond, &attr);
    }
    pthread_condattr_destroy(&attr);
    return rc == 0 ? 0 : -1;
}

/* Waits on cond until pred becomes true or the time-out expires (lock held). */
static sw_port_status sw_port_cond_wait(pthread_cond_t *cond, pthread_mutex_t *lock, uint32_t timeout_ms,
                                        const struct timespec *deadline)
{
    int rc;
    if (timeout_ms == 0u) {
        return SW_PORT_E_TIMEOUT;
    }
    if (timeout_ms == SW_PORT_WAIT_FOREVER) {
        rc = pthread_cond_wait(cond, lock);
    } else {
        rc = pthread_cond_timedwait(cond, lock, deadline);
    }
    return rc == ETIMEDOUT ? SW_PORT_E_TIMEOUT : SW_PORT_OK;
}

uint64_t sw_port_time_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void sw_port_time_sleep_ms(uint32_t ms)
{
    struct timespec ts;
    if (ms == 0u) {
        sched_yield();
        return;
    }
    ts.tv_sec = (time_t)(ms / 1000u);
    ts.tv_nsec = (long)(ms % 1000u) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void *sw_port_task_main(void *arg)
{
    sw_port_task_t *task = (sw_port_task_t *)arg;
    task->fn(task->arg);
    return NULL;
}

sw_port_status sw_port_task_create(sw_port_task_t *task, const char *name, sw_port_task_fn fn, void *arg,
                                   int32_t priority, void *stack, uint32_t stack_size)
{
    pthread_attr_t attr;
    size_t size;
    int rc;

    (void)name;
    (void)stack; /* pthreads allocate their own stacks (with a guard page) */
    if (task == NULL || fn == NULL || priority < 1 || priority > SW_PORT_PRIO_MAX || stack_size < SW_PORT_STACK_MIN) {
        return SW_PORT_E_INVALID_ARG;
    }
    task->fn = fn;
    task->arg = arg;
    if (pthread_attr_init(&attr) != 0) {
        return SW_PORT_E_NO_MEMORY;
    }
    size = stack_size < (uint32_t)PTHREAD_STACK_MIN ? (size_t)PTHREAD_STACK_MIN : (size_t)stack_size;
    rc = pthread_attr_setstacksize(&attr, size);
    if (rc == 0) {
        rc = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    }
    if (rc == 0) {
        rc = pthread_create(&task->thread, &attr, sw_port_task_main, task);
    }
    pthread_attr_destroy(&attr);
    return rc == 0 ? SW_PORT_OK : SW_PORT_E_NO_MEMORY;
}

void sw_port_task_yield(void)
{
    sched_yield();
}

void sw_port_sched_start(void)
{
    /* The tasks already run as threads; this thread has nothing left to do. */
    for (;;) {
        pause();
    }
}

sw_port_status sw_port_mutex_init(sw_port_mutex_t *mutex)
{
    pthread_mutexattr_t attr;
    int rc;
    if (mutex == NULL) {
        return SW_PORT_E_INVALID_ARG;
    }
    if (pthread_mutexattr_init(&attr) != 0) {
        return SW_PORT_E_NO_MEMORY;
    }
    rc = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    if (rc == 0) {
        rc = pthread_mutex_init(&mutex->mutex, &attr);
    }
    pthread_mutexattr_destroy(&attr);
    return rc == 0 ? SW_PORT_OK : SW_PORT_E_NO_MEMORY;
}

sw_port_status sw_port_mutex_lock(sw_port_mutex_t *mutex)
{
    int rc;
    if (mutex == NULL) {
        return SW_PORT_E_INVALID_ARG;
    }
    rc = pthread_mutex_lock(&mutex->mutex);
    return rc == 0 ? SW_PORT_OK : SW_PORT_E_INVALID_STATE; /* EDEADLK: already the owner */
}

sw_port_status sw_port_mutex_unlock(sw_port_mutex_t *mutex)
{
    int rc;
    if (mutex == NULL) {
        return SW_PORT_E_INVALID_ARG;
    }
    rc = pthread_mutex_unlock(&mutex->mutex);
    return rc == 0 ? SW_PORT_OK : SW_PORT_E_INVALID_STATE; /* EPERM: not the owner */
}

void sw_port_mutex_destroy(sw_port_mutex_t *mutex)
{
    if (mutex != NULL) {
        pthread_mutex_destroy(&mutex->mutex);
    }
}

sw_port_status sw_port_sem_init(sw_port_sem_t *sem, uint32_t initial, uint32_t max)
{
    if (sem == NULL || max == 0u || initial > max) {
        return SW_PORT_E_INVALID_ARG;
    }
    if (pthread_mutex_init(&sem->lock, NULL) != 0) {
        return SW_PORT_E_NO_MEMORY;
    }
    if (sw_port_cond_init(&sem->changed) != 0) {
        pthread_mutex_destroy(&sem->lock);
        return SW_PORT_E_NO_MEMORY;
    }
    sem->count = initial;
    sem->max = max;
    return SW_PORT_OK;
}

sw_port_status sw_port_sem_take(sw_port_sem_t *sem, uint32_t timeout_ms)
{
    struct timespec deadline;
    sw_port_status rc = SW_PORT_OK;
    if (sem == NULL) {
        return SW_PORT_E_INVALID_ARG;
    }
    deadline = sw_port_deadline(timeout_ms == SW_PORT_WAIT_FOREVER ? 0u : timeout_ms);
    pthread_mutex_lock(&sem->lock);
    while (sem->count == 0u) {
        rc = sw_port_cond_wait(&sem->changed, &sem->lock, timeout_ms, &deadline);
        if (rc != SW_PORT_OK) {
            break;
        }
    }
    if (sem->count > 0u) {
        sem->count--;
        rc = SW_PORT_OK;
    }
    pthread_mutex_unlock(&sem->lock);
    return rc;
}

sw_port_status sw_port_sem_give(sw_port_sem_t *sem)
{
    sw_port_status rc = SW_PORT_OK;
    if (sem == NULL) {
        return SW_PORT_E_INVALID_ARG;
    }
    pthread_mutex_lock(&sem->lock);
    if (sem->count >= sem->max) {
        rc = SW_PORT_E_FULL;
    } else {
        sem->count++;
        pthread_cond_signal(&sem->changed);
    }
    pthread_mutex_unlock(&sem->lock);
    return rc;
}

void sw_port_sem_destroy(sw_port_sem_t *sem)
{
    if (sem != NULL) {
        pthread_cond_destroy(&sem->changed);
        pthread_mutex_destroy(&sem->lock);
    }
}

sw_port_status sw_port_queue_init(sw_port_queue_t *queue, void *buf, uint32_t item_size, uint32_t capacity)
{
    if (queue == NULL || buf == NULL || item_size == 0u || capacity == 0u) {
        return SW_PORT_E_INVALID_ARG;
    }
    if (pthread_mutex_init(&queue->lock, NULL) != 0) {
        return SW_PORT_E_NO_MEMORY;
    }
    if (sw_port_cond_init(&queue->not_empty) != 0) {
        pthread_mutex_destroy(&queue->lock);
        return SW_PORT_E_NO_MEMORY;
    }
    if (sw_port_cond_init(&queue->not_full) != 0) {
        pthread_cond_destroy(&queue->not_empty);
        pthread_mutex_destroy(&queue->lock);
        return SW_PORT_E_NO_MEMORY;
    }
    queue->buf = (uint8_t *)buf;
    queue->item_size = item_size;
    queue->capacity = capacity;
    queue->head = 0;
    queue->count = 0;
    return SW_PORT_OK;
}

sw_port_status sw_port_queue_send(sw_port_queue_t *queue, const void *item, uint32_t timeout_ms)
{
    struct timespec deadline;
    sw_port_status rc = SW_PORT_OK;
    if (queue == NULL || item == NULL) {
        return SW_PORT_E_INVALID_ARG;
    }
    deadline = sw_port_deadline(timeout_ms == SW_PORT_WAIT_FOREVER ? 0u : timeout_ms);
    pthread_mutex_lock(&queue->lock);
    while (queue->count == queue->capacity) {
        rc = sw_port_cond_wait(&queue->not_full, &queue->lock, timeout_ms, &deadline);
        if (rc != SW_PORT_OK) {
            break;
        }
    }
    if (queue->count < queue->capacity) {
        uint32_t tail = (queue->head + queue->count) % queue->capacity;
        memcpy(queue->buf + (size_t)tail * queue->item_size, item, queue->item_size);
        queue->count++;
        pthread_cond_signal(&queue->not_empty);
        rc = SW_PORT_OK;
    }
    pthread_mutex_unlock(&queue->lock);
    return rc;
}

sw_port_status sw_port_queue_receive(sw_port_queue_t *queue, void *out_item, uint32_t timeout_ms)
{
    struct timespec deadline;
    sw_port_status rc = SW_PORT_OK;
    if (queue == NULL || out_item == NULL) {
        return SW_PORT_E_INVALID_ARG;
    }
    deadline = sw_port_deadline(timeout_ms == SW_PORT_WAIT_FOREVER ? 0u : timeout_ms);
    pthread_mutex_lock(&queue->lock);
    while (queue->count == 0u) {
        rc = sw_port_cond_wait(&queue->not_empty, &queue->lock, timeout_ms, &deadline);
        if (rc != SW_PORT_OK) {
            break;
        }
    }
    if (queue->count > 0u) {
        memcpy(out_item, queue->buf + (size_t)queue->head * queue->item_size, queue->item_size);
        queue->head = (queue->head + 1u) % queue->capacity;
        queue->count--;
        pthread_cond_signal(&queue->not_full);
        rc = SW_PORT_OK;
    }
    pthread_mutex_unlock(&queue->lock);
    return rc;
}

void sw_port_queue_destroy(sw_port_queue_t *queue)
{
    if (queue != NULL) {
        pthread_cond_destroy(&queue->not_full);
        pthread_cond_destroy(&queue->not_empty);
        pthread_mutex_destroy(&queue->lock);
    }
}

/* One process-wide recursive lock stands in for "interrupts off". */
static pthread_mutex_t s_critical;
static pthread_once_t s_critical_once = PTHREAD_ONCE_INIT;

static void sw_port_critical_init(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&s_critical, &attr);
    pthread_mutexattr_destroy(&attr);
}

uint32_t sw_port_critical_enter(void)
{
    pthread_once(&s_critical_once, sw_port_critical_init);
    pthread_mutex_lock(&s_critical);
    return 0u;
}

void sw_port_critical_exit(uint32_t saved)
{
    (void)saved;
    pthread_mutex_unlock(&s_critical);
}

uint32_t sw_port_cycles_now(void)
{
    /* No portable user-mode cycle counter: nanoseconds of CLOCK_MONOTONIC instead. */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

uint32_t sw_port_cycles_hz(void)
{
    return 1000000000u;
}

/* Audio: no sound device is assumed. Playback loops back into capture (an echo path with no
 * delay and unit gain), through a ring of 8 frames; capture before any playback is silence
 * delivered at the frame rate, so the media task is paced as by a real device. */
#define SW_PORT_AUDIO_RING_FRAMES 8
static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int started;
    int32_t frame;
    int32_t rate;
    uint64_t next_capture_us;
    int16_t ring[SW_PORT_AUDIO_RING_FRAMES][SW_PORT_AUDIO_MAX_FRAME];
    uint32_t head;
    uint32_t count;
} s_audio = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, {{0}}, 0, 0};

sw_port_status sw_port_audio_start(int32_t sample_rate_hz, int32_t frame_samples)
{
    if ((sample_rate_hz != 8000 && sample_rate_hz != 16000 && sample_rate_hz != 48000) || frame_samples <= 0 ||
        frame_samples > SW_PORT_AUDIO_MAX_FRAME) {
        return SW_PORT_E_INVALID_ARG;
    }
    pthread_mutex_lock(&s_audio.lock);
    s_audio.started = 1;
    s_audio.frame = frame_samples;
    s_audio.rate = sample_rate_hz;
    s_audio.head = 0;
    s_audio.count = 0;
    s_audio.next_capture_us = sw_port_time_now_us();
    pthread_mutex_unlock(&s_audio.lock);
    return SW_PORT_OK;
}

sw_port_status sw_port_audio_read(int16_t *out_pcm, int32_t samples, uint32_t timeout_ms)
{
    uint64_t now;
    uint64_t due;
    if (out_pcm == NULL || samples <= 0) {
        return SW_PORT_E_INVALID_ARG;
    }
    pthread_mutex_lock(&s_audio.lock);
    if (!s_audio.started) {
        pthread_mutex_unlock(&s_audio.lock);
        return SW_PORT_E_INVALID_STATE;
    }
    if (samples != s_audio.frame) {
        pthread_mutex_unlock(&s_audio.lock);
        return SW_PORT_E_INVALID_ARG;
    }
    due = s_audio.next_capture_us;
    now = sw_port_time_now_us();
    if (due > now && due - now > (uint64_t)timeout_ms * 1000u) {
        pthread_mutex_unlock(&s_audio.lock);
        return SW_PORT_E_TIMEOUT;
    }
    s_audio.next_capture_us += (uint64_t)s_audio.frame * 1000000u / (uint64_t)s_audio.rate;
    if (s_audio.count > 0u) {
        memcpy(out_pcm, s_audio.ring[s_audio.head], (size_t)samples * sizeof *out_pcm);
        s_audio.head = (s_audio.head + 1u) % SW_PORT_AUDIO_RING_FRAMES;
        s_audio.count--;
    } else {
        memset(out_pcm, 0, (size_t)samples * sizeof *out_pcm);
    }
    pthread_cond_broadcast(&s_audio.changed);
    pthread_mutex_unlock(&s_audio.lock);
    /* The frame "arrives" at its due time. */
    if (due > now) {
        struct timespec ts;
        ts.tv_sec = (time_t)((due - now) / 1000000u);
        ts.tv_nsec = (long)((due - now) % 1000000u) * 1000L;
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
    }
    return SW_PORT_OK;
}

sw_port_status sw_port_audio_write(const int16_t *pcm, int32_t samples, uint32_t timeout_ms)
{
    struct timespec deadline;
    sw_port_status rc = SW_PORT_OK;
    if (pcm == NULL || samples <= 0) {
        return SW_PORT_E_INVALID_ARG;
    }
    deadline = sw_port_deadline(timeout_ms == SW_PORT_WAIT_FOREVER ? 0u : timeout_ms);
    pthread_mutex_lock(&s_audio.lock);
    if (!s_audio.started) {
        pthread_mutex_unlock(&s_audio.lock);
        return SW_PORT_E_INVALID_STATE;
    }
    if (samples != s_audio.frame) {
        pthread_mutex_unlock(&s_audio.lock);
        return SW_PORT_E_INVALID_ARG;
    }
    while (s_audio.count == SW_PORT_AUDIO_RING_FRAMES) {
        rc = sw_port_cond_wait(&s_audio.changed, &s_audio.lock, timeout_ms, &deadline);
        if (rc != SW_PORT_OK) {
            break;
        }
    }
    if (s_audio.count < SW_PORT_AUDIO_RING_FRAMES) {
        uint32_t tail = (s_audio.head + s_audio.count) % SW_PORT_AUDIO_RING_FRAMES;
        memcpy(s_audio.ring[tail], pcm, (size_t)samples * sizeof *pcm);
        s_audio.count++;
        rc = SW_PORT_OK;
    }
    pthread_mutex_unlock(&s_audio.lock);
    return rc;
}

void sw_port_audio_stop(void)
{
    pthread_mutex_lock(&s_audio.lock);
    s_audio.started = 0;
    pthread_cond_broadcast(&s_audio.changed);
    pthread_mutex_unlock(&s_audio.lock);
}

/* ---- UDP ---- */

static socklen_t sw_port_to_sockaddr(const sw_port_addr *a, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (a->family == 4u) {
        struct sockaddr_in *in = (struct sockaddr_in *)ss;
        in->sin_family = AF_INET;
        in->sin_port = htons(a->port);
        memcpy(&in->sin_addr, a->ip, 4);
        return (socklen_t)sizeof *in;
    }
    if (a->family == 6u) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(a->port);
        memcpy(&in6->sin6_addr, a->ip, 16);
        return (socklen_t)sizeof *in6;
    }
    return 0;
}

static void sw_port_from_sockaddr(const struct sockaddr_storage *ss, sw_port_addr *a)
{
    memset(a, 0, sizeof *a);
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
        a->family = 4u;
        a->port = ntohs(in->sin_port);
        memcpy(a->ip, &in->sin_addr, 4);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
        a->family = 6u;
        a->port = ntohs(in6->sin6_port);
        memcpy(a->ip, &in6->sin6_addr, 16);
    }
}

sw_port_status sw_port_udp_open(sw_port_udp_t *sock, sw_port_addr *local)
{
    struct sockaddr_storage ss;
    socklen_t len;
    if (sock == NULL || local == NULL) {
        return SW_PORT_E_INVALID_ARG;
    }
    len = sw_port_to_sockaddr(local, &ss);
    if (len == 0) {
        return SW_PORT_E_INVALID_ARG;
    }
    sock->fd = socket(ss.ss_family, SOCK_DGRAM, 0);
    if (sock->fd < 0) {
        return SW_PORT_E_NO_MEMORY;
    }
    sock->family = ss.ss_family;
    if (bind(sock->fd, (struct sockaddr *)&ss, len) != 0) {
        close(sock->fd);
        sock->fd = -1;
        return SW_PORT_E_IO;
    }
    len = (socklen_t)sizeof ss;
    if (getsockname(sock->fd, (struct sockaddr *)&ss, &len) == 0) {
        sw_port_from_sockaddr(&ss, local);
    }
    return SW_PORT_OK;
}

sw_port_status sw_port_udp_send(sw_port_udp_t *sock, const uint8_t *buf, int32_t len, const sw_port_addr *to)
{
    struct sockaddr_storage ss;
    socklen_t slen;
    ssize_t sent;
    if (sock == NULL || sock->fd < 0 || to == NULL || len < 0 || (buf == NULL && len > 0)) {
        return SW_PORT_E_INVALID_ARG;
    }
    slen = sw_port_to_sockaddr(to, &ss);
    if (slen == 0) {
        return SW_PORT_E_INVALID_ARG;
    }
    sent = sendto(sock->fd, buf, (size_t)len, 0, (struct sockaddr *)&ss, slen);
    return sent == (ssize_t)len ? SW_PORT_OK : SW_PORT_E_IO;
}

sw_port_status sw_port_udp_receive(sw_port_udp_t *sock, uint8_t *buf, int32_t cap, int32_t *out_len,
                                   sw_port_addr *out_from, uint32_t timeout_ms)
{
    struct pollfd pfd;
    struct sockaddr_storage ss;
    socklen_t slen = (socklen_t)sizeof ss;
    ssize_t got;
    int rc;
    if (sock == NULL || sock->fd < 0 || buf == NULL || cap <= 0 || out_len == NULL) {
        return SW_PORT_E_INVALID_ARG;
    }
    *out_len = 0;
    pfd.fd = sock->fd;
    pfd.events = POLLIN;
    pfd.revents = 0;
    do {
        rc = poll(&pfd, 1, timeout_ms == SW_PORT_WAIT_FOREVER ? -1 : (timeout_ms > INT_MAX ? INT_MAX : (int)timeout_ms));
    } while (rc < 0 && errno == EINTR);
    if (rc == 0) {
        return SW_PORT_E_TIMEOUT;
    }
    if (rc < 0) {
        return SW_PORT_E_IO;
    }
    got = recvfrom(sock->fd, buf, (size_t)cap, 0, (struct sockaddr *)&ss, &slen);
    if (got < 0) {
        return SW_PORT_E_IO;
    }
    *out_len = (int32_t)got;
    if (out_from != NULL) {
        sw_port_from_sockaddr(&ss, out_from);
    }
    return SW_PORT_OK;
}

void sw_port_udp_close(sw_port_udp_t *sock)
{
    if (sock != NULL && sock->fd >= 0) {
        close(sock->fd);
        sock->fd = -1;
    }
}
