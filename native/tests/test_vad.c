/* SPDX-License-Identifier: MIT */
/* sw_vad: tone bursts over noise are detected (also at 0 dB SNR), pauses past the hangover are not; argument checks. */
#include "sipwire/vad.h"
#include "sw_test.h"

#include <math.h>
#include <stdio.h>

/* Static: the state is about 14.5 KB, too much for the stack of the Cortex-M test images. */
static sw_vad s_vad;
static uint32_t s_seed = 99u;
static double uniform(void)
{
    s_seed = s_seed * 1664525u + 1013904223u;
    return (double)(s_seed >> 8) / 8388608.0 - 1.0;
}

/* Counts over the run: burst frames and how many were called speech, quiet frames (after the
 * first 300 ms of learning, and past the hangover in each pause) and how many were called speech. */
typedef struct burst_counts {
    int32_t hits;
    int32_t speech;
    int32_t alarms;
    int32_t quiet;
} burst_counts;

/* 2 s of uniform noise of amplitude noise, then 400 ms bursts of a 440 Hz tone of amplitude tone
 * alternating with 400 ms pauses, at rate Hz, through a VAD initialised here. */
static burst_counts run_bursts(int32_t rate, double noise, double tone)
{
    int16_t frame[160];
    int32_t n = rate / 100;
    int32_t f;
    int32_t i;
    int32_t active = 0;
    burst_counts c = { 0, 0, 0, 0 };
    SW_CHECK(sw_vad_init(&s_vad, rate) == SW_VAD_OK);
    for (f = 0; f < 200 + 8 * 80; f++) {
        int32_t phase = f < 200 ? -1 : (f - 200) % 80;
        int on = phase >= 0 && phase < 40;
        for (i = 0; i < n; i++) {
            double v = uniform() * noise;
            if (on) {
                v += tone * sin(2.0 * 3.14159265358979 * 440.0 * (double)(f * n + i) / (double)rate);
            }
            frame[i] = (int16_t)floor(v + 0.5);
        }
        SW_CHECK(sw_vad_process(&s_vad, frame, &active) == SW_VAD_OK);
        if (on) {
            c.speech++;
            c.hits += active;
        }
        if (phase >= 60 || (f >= 30 && f < 200)) {
            c.quiet++;
            c.alarms += active;
        }
    }
    return c;
}

int main(int argc, char **argv)
{
    int16_t frame[160] = { 0 };
    int32_t i;
    int32_t active = 0;
    double floor_sum = 0.0;
    double floor_db;
    double tone = 32768.0 * pow(10.0, -26.0 / 20.0) * sqrt(2.0);
    burst_counts c;
    (void)argc;
    (void)argv;
    /* 16 kHz, noise at -60 dBov. */
    c = run_bursts(16000, 32768.0 * pow(10.0, -60.0 / 20.0) * sqrt(3.0), tone);
    /* Noise floor from the band estimates (Parseval, sum(w^2) = frame, scaled to 0..fs/2), as Vad.NoiseFloorDbov. */
    for (i = 0; i < s_vad.bands; i++) {
        floor_sum += s_vad.noise[i];
    }
    floor_db = 10.0 * log10(2.0 * floor_sum / ((double)s_vad.fft_size * s_vad.frame) * (s_vad.fft_size / 2.0) / (s_vad.bands * 8.0) /
                                (32768.0 * 32768.0) + 1e-12);
    printf("detected %d/%d, false alarms %d/%d, floor %.1f dBov\n", (int)c.hits, (int)c.speech, (int)c.alarms, (int)c.quiet, floor_db);
    SW_CHECK(c.hits >= c.speech * 95 / 100);
    SW_CHECK(c.alarms == 0);
    SW_CHECK(fabs(floor_db + 60.0) < 4.0);
    /* Tone bursts at the power of the white noise (0 dB SNR, 8 kHz): the band test finds them in the noise. */
    c = run_bursts(8000, 32768.0 * pow(10.0, -26.0 / 20.0) * sqrt(3.0), tone);
    printf("0 dB SNR: detected %d/%d, false alarms %d/%d\n", (int)c.hits, (int)c.speech, (int)c.alarms, (int)c.quiet);
    SW_CHECK(c.hits >= c.speech * 95 / 100);
    SW_CHECK(c.alarms <= c.quiet / 50);
    SW_CHECK(sw_vad_init(&s_vad, 44100) == SW_VAD_E_INVALID_ARG);
    SW_CHECK(sw_vad_init(NULL, 8000) == SW_VAD_E_INVALID_ARG);
    SW_CHECK(sw_vad_init(&s_vad, 8000) == SW_VAD_OK);
    SW_CHECK(sw_vad_process(&s_vad, NULL, &active) == SW_VAD_E_INVALID_ARG);
    SW_CHECK(sw_vad_process(&s_vad, frame, NULL) == SW_VAD_E_INVALID_ARG);
    return sw_test_finish();
}
