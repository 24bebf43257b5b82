/* SPDX-License-Identifier: MIT */
/* G.711 Appendix I style PLC: delay line, pitch, concealment quality, fade to silence, recovery, bad arguments. */
#include "sipwire/plc.h"
#include "sw_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define N_SAMPLES 16000

static int16_t g_x[N_SAMPLES];
static int16_t g_y[N_SAMPLES];

/* Voiced-speech stand-in: harmonics of f0 below 3.4 kHz with 1/k amplitudes (same as the NUnit test). */
static void voiced(double f0)
{
    int n, k;
    for (n = 0; n < N_SAMPLES; n++) {
        double v = 0.0;
        for (k = 1; k * f0 < 3400.0; k++) {
            v += sin(2.0 * 3.14159265358979 * k * f0 * n / 8000.0) / k;
        }
        g_x[n] = (int16_t)(8000.0 * 0.6 * v);
    }
}

/* Frames of 80 samples; frames first_lost..last_lost (inclusive) are lost. */
static void run(sw_plc *plc, int first_lost, int last_lost)
{
    int f;
    sw_plc_init(plc);
    for (f = 0; f < N_SAMPLES / 80; f++) {
        if (f >= first_lost && f <= last_lost) {
            SW_CHECK(sw_plc_conceal_q15(plc, g_y + f * 80, 80) == SW_PLC_OK);
        } else {
            SW_CHECK(sw_plc_process_q15(plc, g_x + f * 80, g_y + f * 80, 80) == SW_PLC_OK);
        }
    }
}

static double rms(const int16_t *x, int n)
{
    double s = 0.0;
    int i;
    for (i = 0; i < n; i++) {
        s += (double)x[i] * x[i];
    }
    return sqrt(s / n);
}

int main(int argc, char **argv)
{
    sw_plc plc;
    int i, exact = 1;
    double s = 0.0, e = 0.0;
    int16_t buf[4];
    (void)argc;
    (void)argv;

    /* Good frames pass through delayed by exactly SW_PLC_DELAY samples. */
    voiced(150.0);
    run(&plc, -1, -1);
    for (i = SW_PLC_DELAY; i < N_SAMPLES; i++) {
        exact &= g_y[i] == g_x[i - SW_PLC_DELAY];
    }
    SW_CHECK(exact);

    /* One lost 10 ms frame of a steady 125 Hz vowel: pitch 64, concealment close to the truth. */
    voiced(125.0);
    run(&plc, 50, 50);
    SW_CHECK(sw_plc_get_pitch(&plc) >= 63 && sw_plc_get_pitch(&plc) <= 65);
    for (i = 0; i < 80; i++) {
        double r = g_x[50 * 80 - SW_PLC_DELAY + i];
        double d = r - g_y[50 * 80 + i];
        s += r * r;
        e += d * d;
    }
    printf("single-frame concealment SNR %.1f dB\n", 10.0 * log10(s / (e > 1e-9 ? e : 1e-9)));
    SW_CHECK(10.0 * log10(s / (e > 1e-9 ? e : 1e-9)) > 10.0);

    /* A 100 ms loss: attenuated from 10 ms on, silent from 60 ms, and the signal returns after it. */
    voiced(120.0);
    run(&plc, 50, 59);
    {
        int start = 50 * 80 + SW_PLC_DELAY;
        double first = rms(g_y + start, 80), third = rms(g_y + start + 160, 80), fifth = rms(g_y + start + 320, 80);
        SW_CHECK(third < first * 0.85);
        SW_CHECK(fifth < third);
        SW_CHECK(rms(g_y + start + 480, 250) == 0.0);
        SW_CHECK(rms(g_y + 61 * 80 + SW_PLC_DELAY, 80) > 0.9 * rms(g_x + 61 * 80, 80));
    }

    /* Bad arguments. */
    SW_CHECK(sw_plc_init(NULL) == SW_PLC_E_INVALID_ARG);
    SW_CHECK(sw_plc_process_q15(NULL, buf, buf, 4) == SW_PLC_E_INVALID_ARG);
    SW_CHECK(sw_plc_process_q15(&plc, NULL, buf, 4) == SW_PLC_E_INVALID_ARG);
    SW_CHECK(sw_plc_conceal_q15(&plc, NULL, 4) == SW_PLC_E_INVALID_ARG);
    SW_CHECK(sw_plc_conceal_q15(&plc, buf, -1) == SW_PLC_E_INVALID_ARG);
    SW_CHECK(sw_plc_process_q15(&plc, NULL, NULL, 0) == SW_PLC_OK);
    SW_CHECK(sw_plc_get_pitch(NULL) == 0);
    return sw_test_finish();
}
