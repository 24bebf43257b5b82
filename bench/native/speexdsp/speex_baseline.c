/* SPDX-License-Identifier: MIT */
/* SpeexDSP baseline: speex_echo_cancellation (MDF) optionally followed by speex_preprocess_run with
 * residual echo suppression, one 10 ms frame per call; plus thread CPU time around the work. */
#define _POSIX_C_SOURCE 200809L
#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

typedef struct sw_speex_baseline {
    SpeexEchoState *echo;
    SpeexPreprocessState *pre;
    int32_t frame;
} sw_speex_baseline;

/* frame: samples per call; tail: filter length in samples; preprocess: 1 adds the residual echo
 * suppressor (speex_preprocess with SET_ECHO_STATE, its default denoiser on, AGC off); 2 the same
 * with the noise suppression limit at 0 dB, so the preprocessor removes residual echo but leaves
 * the near-end background noise as it is. */
sw_speex_baseline *sw_speex_baseline_create(int32_t frame, int32_t tail, int32_t rate, int32_t preprocess)
{
    sw_speex_baseline *st = (sw_speex_baseline *)calloc(1, sizeof *st);
    if (st == NULL) {
        return NULL;
    }
    st->frame = frame;
    st->echo = speex_echo_state_init(frame, tail);
    speex_echo_ctl(st->echo, SPEEX_ECHO_SET_SAMPLING_RATE, &rate);
    if (preprocess) {
        st->pre = speex_preprocess_state_init(frame, rate);
        speex_preprocess_ctl(st->pre, SPEEX_PREPROCESS_SET_ECHO_STATE, st->echo);
        if (preprocess == 2) {
            spx_int32_t none = 0;
            speex_preprocess_ctl(st->pre, SPEEX_PREPROCESS_SET_NOISE_SUPPRESS, &none);
        }
    }
    return st;
}

void sw_speex_baseline_process(sw_speex_baseline *st, const int16_t *mic, const int16_t *far, int16_t *out)
{
    speex_echo_cancellation(st->echo, mic, far, out);
    if (st->pre != NULL) {
        speex_preprocess_run(st->pre, out);
    }
}

/* Processes count frames back to back (for timing without per-call marshalling). */
void sw_speex_baseline_process_many(sw_speex_baseline *st, const int16_t *mic, const int16_t *far, int16_t *out, int32_t count)
{
    int32_t i;
    for (i = 0; i < count; i++) {
        sw_speex_baseline_process(st, mic + (size_t)i * st->frame, far + (size_t)i * st->frame, out + (size_t)i * st->frame);
    }
}

void sw_speex_baseline_destroy(sw_speex_baseline *st)
{
    if (st == NULL) {
        return;
    }
    if (st->pre != NULL) {
        speex_preprocess_state_destroy(st->pre);
    }
    speex_echo_state_destroy(st->echo);
    free(st);
}

/* Thread CPU time in nanoseconds (CLOCK_THREAD_CPUTIME_ID). */
int64_t sw_speex_baseline_thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
