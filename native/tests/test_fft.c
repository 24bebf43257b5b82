/* SPDX-License-Identifier: MIT */
/* sw_fft_f32 against a naive double-precision DFT, round trips and argument checks. */
#include "sipwire/fft.h"
#include "sw_test.h"

#include <math.h>
#include <stdlib.h>

static sw_fft_f32 s_plan;
static float s_x[SW_FFT_MAX_N];
static float s_y[SW_FFT_MAX_N];
static float s_re[SW_FFT_MAX_N / 2 + 1];
static float s_im[SW_FFT_MAX_N / 2 + 1];

static uint32_t s_seed = 12345u;
static float next_uniform(void)
{
    s_seed = s_seed * 1664525u + 1013904223u;
    return (float)((double)(s_seed >> 8) / 8388608.0 - 1.0);
}

static void check_size(int32_t n)
{
    int32_t k;
    int32_t t;
    double tol = 2e-6 * sqrt((double)n) * log2((double)n);
    int ok = 1;
    SW_CHECK(sw_fft_f32_init(&s_plan, n) == 0);
    for (t = 0; t < n; t++) {
        s_x[t] = next_uniform();
    }
    SW_CHECK(sw_fft_f32_forward(&s_plan, s_x, s_re, s_im) == 0);
    for (k = 0; k <= n / 2; k++) {
        double sr = 0.0;
        double si = 0.0;
        for (t = 0; t < n; t++) {
            double a = -2.0 * 3.14159265358979323846 * (double)((k * t) % n) / (double)n;
            sr += s_x[t] * cos(a);
            si += s_x[t] * sin(a);
        }
        if (fabs(sr - s_re[k]) > tol || fabs(si - s_im[k]) > tol) {
            ok = 0;
        }
    }
    SW_CHECK(ok);
    SW_CHECK(sw_fft_f32_inverse(&s_plan, s_re, s_im, s_y) == 0);
    ok = 1;
    for (t = 0; t < n; t++) {
        if (fabs(s_y[t] - s_x[t]) > 1e-5) {
            ok = 0;
        }
    }
    SW_CHECK(ok);
}

int main(int argc, char **argv)
{
    int32_t n;
    (void)argc;
    (void)argv;
    for (n = 8; n <= SW_FFT_MAX_N; n *= 2) {
        check_size(n);
    }
    SW_CHECK(sw_fft_f32_init(&s_plan, 100) == -1);
    SW_CHECK(sw_fft_f32_init(&s_plan, 4) == -1);
    SW_CHECK(sw_fft_f32_init(&s_plan, 2 * SW_FFT_MAX_N) == -1);
    SW_CHECK(sw_fft_f32_init(NULL, 64) == -1);
    SW_CHECK(sw_fft_f32_forward(NULL, s_x, s_re, s_im) == -1);
    SW_CHECK(sw_fft_f32_inverse(&s_plan, NULL, s_im, s_y) == -1);
    return sw_test_finish();
}
