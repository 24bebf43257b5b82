/* SPDX-License-Identifier: MIT */
/* sw_aec: convergence and ERLE on a synthetic echo path, double talk without divergence,
 * the shared AEC vectors (tests/vectors/aec), and argument checks. */
#include "sipwire/aec.h"
#include "sw_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__arm__) && !defined(__linux__)
/* Bare metal under qemu-system-arm (soft float on Cortex-M3): a shorter narrowband run, single talk. */
#define SW_AEC_SHORT_TEST 1
#define RATE 8000
#define SECONDS 3
#else
#define SW_AEC_SHORT_TEST 0
#define RATE 16000
#define SECONDS 8
#endif
#define FRAME (RATE / 100)
#define TOTAL (RATE * SECONDS)
#define RIR_LEN (RATE / 10)

static int16_t s_far[TOTAL];
static int16_t s_mic[TOTAL];
static int16_t s_out[TOTAL];
static float s_echo[TOTAL];
static float s_near[TOTAL];
static float s_rir[RIR_LEN];
static uint32_t s_seed = 2024u;

static double uniform(void)
{
    s_seed = s_seed * 1664525u + 1013904223u;
    return (double)(s_seed >> 8) / 8388608.0 - 1.0;
}

static double gauss(void)
{
    return (uniform() + uniform() + uniform() + uniform()) * 0.866;
}

static int16_t clip16(double v)
{
    v = floor(v + 0.5);
    return (int16_t)(v > 32767.0 ? 32767.0 : (v < -32768.0 ? -32768.0 : v));
}

/* Exponentially decaying noise RIR (RT60 0.15 s) after a 2 ms bulk delay; speech-like far end:
 * AR(1)-coloured noise gated at 3 Hz; near-end talker 5-6.5 s at the echo level. */
static void build_scenario(void)
{
    int32_t i;
    int32_t k;
    double ar = 0.0;
    double decay = pow(10.0, -3.0 / (0.15 * RATE));
    for (k = 0; k < RIR_LEN; k++) {
        s_rir[k] = k < 32 ? 0.0f : (float)(0.03 * gauss() * pow(decay, k - 32));
    }
    for (i = 0; i < TOTAL; i++) {
        double gate = 0.6 + 0.4 * sin(2.0 * 3.14159265358979 * 3.0 * i / RATE);
        ar = 0.8 * ar + gauss();
        s_far[i] = clip16(2000.0 * ar * gate);
    }
    for (i = 0; i < TOTAL; i++) {
        double e = 0.0;
        int32_t kmax = i < RIR_LEN - 1 ? i : RIR_LEN - 1;
        double near = 0.3 * gauss();
        for (k = 0; k <= kmax; k++) {
            e += s_rir[k] * (double)s_far[i - k];
        }
        if (!SW_AEC_SHORT_TEST && i >= 5 * RATE && i < 13 * RATE / 2) {
            near += 3000.0 * sin(2.0 * 3.14159265358979 * 310.0 * i / RATE) * (0.5 + 0.5 * sin(2.0 * 3.14159265358979 * 4.0 * i / RATE));
        }
        s_mic[i] = clip16(e + near);
        s_near[i] = (float)near;
        s_echo[i] = (float)s_mic[i] - (float)near;
    }
}

static double erle_db(int32_t from, int32_t to, int32_t latency)
{
    double pe = 0.0;
    double pr = 0.0;
    int32_t i;
    for (i = from; i < to; i++) {
        double r = (double)s_out[i + latency] - s_near[i];
        pe += (double)s_echo[i] * s_echo[i];
        pr += r * r;
    }
    return 10.0 * log10((pe + 1e-9) / (pr + 1e-9));
}

static double near_gain_db(int32_t from, int32_t to, int32_t latency)
{
    double cross = 0.0;
    double power = 0.0;
    int32_t i;
    for (i = from; i < to; i++) {
        cross += (double)s_near[i] * s_out[i + latency];
        power += (double)s_near[i] * s_near[i];
    }
    return 20.0 * log10(cross / power);
}

static _Alignas(16) uint8_t s_mem[256 * 1024];

static void run(int32_t suppression, double *erle_ss, double *erle_post, double *gain)
{
    sw_aec_config cfg;
    sw_aec *aec = NULL;
    int32_t size = 0;
    int32_t i;
    int32_t latency;
    sw_aec_config_init(&cfg);
    cfg.sample_rate = RATE;
    cfg.suppression = suppression;
    SW_CHECK(sw_aec_get_size(&cfg, &size) == SW_AEC_OK);
    SW_CHECK(size > 0 && size <= (int32_t)sizeof s_mem);
    SW_CHECK(sw_aec_init(s_mem, size, &cfg, &aec) == SW_AEC_OK);
    SW_CHECK(sw_aec_get_frame_size(aec) == FRAME);
    latency = sw_aec_get_latency(aec);
    SW_CHECK(latency == (RATE == 8000 ? 128 : 256));
    for (i = 0; i + FRAME <= TOTAL; i += FRAME) {
        SW_CHECK(sw_aec_process(aec, s_mic + i, s_far + i, s_out + i) == SW_AEC_OK);
    }
    if (SW_AEC_SHORT_TEST) {
        *erle_ss = erle_db(5 * RATE / 2, TOTAL - latency, latency);
        *erle_post = *erle_ss;
        *gain = 0.0;
    } else {
        *erle_ss = erle_db(3 * RATE, 5 * RATE, latency);
        *erle_post = erle_db(7 * RATE, TOTAL - latency, latency);
        *gain = near_gain_db(5 * RATE, 13 * RATE / 2, latency);
    }
}

int main(int argc, char **argv)
{
    double ss;
    double post;
    double gain;
    sw_aec_config cfg;
    sw_aec *aec = NULL;
    int32_t size;
    (void)argc;
    (void)argv;
    build_scenario();

    if (SW_AEC_SHORT_TEST) {
        run(1, &ss, &post, &gain);
        printf("full chain (8 kHz, 3 s): ERLE 2.5-3 s %.1f dB\n", ss);
        SW_CHECK(ss > 30.0);
        return sw_test_finish();
    }
    run(0, &ss, &post, &gain);
    printf("linear: ERLE 3-5 s %.1f dB, after double talk %.1f dB, near-end gain %.2f dB\n", ss, post, gain);
    SW_CHECK(ss > 30.0);
    SW_CHECK(post > 20.0);
    SW_CHECK(gain > -1.0 && gain < 1.0);

    run(1, &ss, &post, &gain);
    printf("full chain: ERLE 3-5 s %.1f dB, after double talk %.1f dB, near-end gain %.2f dB\n", ss, post, gain);
    SW_CHECK(ss > 40.0);
    SW_CHECK(post > 28.0);
    SW_CHECK(gain > -1.0 && gain < 1.0);

    /* Argument checks. */
    sw_aec_config_init(&cfg);
    cfg.sample_rate = 44100;
    SW_CHECK(sw_aec_get_size(&cfg, &size) == SW_AEC_E_INVALID_ARG);
    sw_aec_config_init(&cfg);
    cfg.tail_ms = 8;
    SW_CHECK(sw_aec_get_size(&cfg, &size) == SW_AEC_E_INVALID_ARG);
    sw_aec_config_init(&cfg);
    SW_CHECK(sw_aec_get_size(NULL, &size) == SW_AEC_E_INVALID_ARG);
    SW_CHECK(sw_aec_get_size(&cfg, &size) == SW_AEC_OK);
    SW_CHECK(sw_aec_init(s_mem, size - 1, &cfg, &aec) == SW_AEC_E_INVALID_ARG);
    SW_CHECK(sw_aec_init(s_mem + 4, size, &cfg, &aec) == SW_AEC_E_INVALID_ARG);
    SW_CHECK(sw_aec_process(NULL, s_mic, s_far, s_out) == SW_AEC_E_INVALID_ARG);
    SW_CHECK(sw_aec_get_latency(NULL) == SW_AEC_E_INVALID_ARG);
    cfg.sample_rate = 8000;
    SW_CHECK(sw_aec_get_size(&cfg, &size) == SW_AEC_OK);
    SW_CHECK(sw_aec_init(s_mem, size, &cfg, &aec) == SW_AEC_OK);
    SW_CHECK(sw_aec_get_frame_size(aec) == 80);
    SW_CHECK(sw_aec_process(aec, NULL, s_far, s_out) == SW_AEC_E_INVALID_ARG);
    SW_CHECK(sw_aec_reset(aec) == SW_AEC_OK);
    return sw_test_finish();
}
