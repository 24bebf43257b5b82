/* SPDX-License-Identifier: MIT */
/* sw_vad: tone bursts over noise are detected (also at 0 dB SNR), pauses past the hangover are not; argument checks. */
#include "sipwire/vad.h"
#include "sw_test.h"

#include <math.h>
#include <stdio.h>

/* Static: the state is about 21 KB, too much for the stack of the Cortex-M test images. */
static sw_vad s_vad;
static uint32_t s_seed = 99u;
static double uniform(void)
{
    s_seed = s_seed * 1664525u + 1013904223u;
    return (double)(s_seed >> 8) / 8388608.0 - 1.0;
}

int main(int argc, char **argv)
{
    int16_t frame[160];
    int32_t f;
    int32_t i;
    int32_t active = 0;
    int32_t hits = 0;
    int32_t speech = 0;
    int32_t alarms = 0;
    int32_t quiet = 0;
    double floor_sum = 0.0;
    double floor_db;
    double noise = 32768.0 * pow(10.0, -60.0 / 20.0) * sqrt(3.0);
    double tone = 32768.0 * pow(10.0, -26.0 / 20.0) * sqrt(2.0);
    (void)argc;
    (void)argv;
    SW_CHECK(sw_vad_init(&s_vad, 16000) == SW_VAD_OK);
    /* 2 s of noise, then 400 ms bursts of a 440 Hz tone alternating with 400 ms pauses. */
    for (f = 0; f < 200 + 8 * 80; f++) {
        int32_t phase = f < 200 ? -1 : (f - 200) % 80;
        int on = phase >= 0 && phase < 40;
        for (i = 0; i < 160; i++) {
            double v = uniform() * noise;
            if (on) {
                v += tone * sin(2.0 * 3.14159265358979 * 440.0 * (double)(f * 160 + i) / 16000.0);
            }
            frame[i] = (int16_t)floor(v + 0.5);
        }
        SW_CHECK(sw_vad_process(&s_vad, frame, &active) == SW_VAD_OK);
        if (on) {
            speech++;
            hits += active;
        }
        if (phase >= 60 || (f >= 30 && f < 200)) {
            quiet++;
            alarms += active;
        }
    }
    /* Noise floor from the band estimates (Parseval, sum(w^2) = frame, scaled to 0..fs/2), as Vad.NoiseFloorDbov. */
    for (i = 0; i < s_vad.bands; i++) {
        floor_sum += s_vad.noise[i];
    }
    floor_db = 10.0 * log10(2.0 * floor_sum / ((double)s_vad.fft_size * s_vad.frame) * (s_vad.fft_size / 2.0) / (s_vad.bands * 8.0) /
                                (32768.0 * 32768.0) + 1e-12);
    printf("detected %d/%d, false alarms %d/%d, floor %.1f dBov\n", (int)hits, (int)speech, (int)alarms, (int)quiet, floor_db);
    SW_CHECK(hits >= speech * 95 / 100);
    SW_CHECK(alarms == 0);
    SW_CHECK(fabs(floor_db + 60.0) < 4.0);
    /* Tone bursts at the power of the white noise (0 dB SNR, 8 kHz): the band test finds them in the noise. */
    SW_CHECK(sw_vad_init(&s_vad, 8000) == SW_VAD_OK);
    noise = 32768.0 * pow(10.0, -26.0 / 20.0) * sqrt(3.0);
    hits = 0;
    speech = 0;
    alarms = 0;
    quiet = 0;
    for (f = 0; f < 200 + 8 * 80; f++) {
        int32_t phase = f < 200 ? -1 : (f - 200) % 80;
        int on = phase >= 0 && phase < 40;
        for (i = 0; i < 80; i++) {
            double v = uniform() * noise;
            if (on) {
                v += tone * sin(2.0 * 3.14159265358979 * 440.0 * (double)(f * 80 + i) / 8000.0);
            }
            frame[i] = (int16_t)floor(v + 0.5);
        }
        SW_CHECK(sw_vad_process(&s_vad, frame, &active) == SW_VAD_OK);
        if (on) {
            speech++;
            hits += active;
        }
        if (phase >= 60 || (f >= 30 && f < 200)) {
            quiet++;
            alarms += active;
        }
    }
    printf("0 dB SNR: detected %d/%d, false alarms %d/%d\n", (int)hits, (int)speech, (int)alarms, (int)quiet);
    SW_CHECK(hits >= speech * 95 / 100);
    SW_CHECK(alarms <= quiet / 50);
    SW_CHECK(sw_vad_init(&s_vad, 44100) == SW_VAD_E_INVALID_ARG);
    SW_CHECK(sw_vad_init(NULL, 8000) == SW_VAD_E_INVALID_ARG);
    SW_CHECK(sw_vad_init(&s_vad, 8000) == SW_VAD_OK);
    SW_CHECK(sw_vad_process(&s_vad, NULL, &active) == SW_VAD_E_INVALID_ARG);
    SW_CHECK(sw_vad_process(&s_vad, frame, NULL) == SW_VAD_E_INVALID_ARG);
    return sw_test_finish();
}
