/* SPDX-License-Identifier: MIT */
/* Streaming rational polyphase resampler (8/16/48 kHz), the C99 twin of Sipwire.Dsp.Resampler. */
#include "sipwire/resampler.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define PI 3.14159265358979323846
#define CUTOFF_FRACTION 0.9
#define KAISER_BETA 7.857

static int rate_ok(int32_t r)
{
    return r == 8000 || r == 16000 || r == 48000;
}

static int32_t gcd(int32_t a, int32_t b)
{
    while (b != 0) {
        int32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Modified Bessel function I0 by its power series. */
static double bessel_i0(double x)
{
    double term = 1.0, sum = 1.0, q = x * x / 4.0;
    int k;

    for (k = 1; k < 50; k++) {
        term *= q / ((double)k * (double)k);
        sum += term;
        if (term < sum * 1e-17) {
            break;
        }
    }
    return sum;
}

int32_t sw_resampler_get_size(void)
{
    return (int32_t)sizeof(sw_resampler);
}

int32_t sw_resampler_init(sw_resampler *st, int32_t in_rate, int32_t out_rate)
{
    double h[SW_RESAMPLER_MAX_TAPS];
    int32_t g, ratio, length, n, phase, k;
    double fc, center, i0b, sum = 0.0;

    if (st == NULL || !rate_ok(in_rate) || !rate_ok(out_rate)) {
        return SW_RESAMPLER_E_INVALID_ARG;
    }
    memset(st, 0, sizeof *st);
    st->in_rate = in_rate;
    st->out_rate = out_rate;
    g = gcd(in_rate, out_rate);
    st->up = out_rate / g;
    st->down = in_rate / g;
    ratio = st->up > st->down ? st->up : st->down;
    length = SW_RESAMPLER_TAPS_PER_RATIO * ratio;
    st->taps = length / st->up;

    /* Windowed sinc at L times the input rate, cut at 0.9 of the lower Nyquist frequency. */
    fc = CUTOFF_FRACTION * 0.5 / ratio;
    center = (length - 1) / 2.0;
    i0b = bessel_i0(KAISER_BETA);
    for (n = 0; n < length; n++) {
        double x = n - center;
        double r = 2.0 * n / (length - 1) - 1.0;
        double w = 1.0 - r * r;
        double sinc = x == 0.0 ? 2.0 * fc : sin(2.0 * PI * fc * x) / (PI * x);
        h[n] = sinc * bessel_i0(KAISER_BETA * sqrt(w > 0.0 ? w : 0.0)) / i0b;
        sum += h[n];
    }
    /* Branch p, tap k multiplies x[newest - k]; stored reversed; each branch has unity DC gain. */
    for (phase = 0; phase < st->up; phase++) {
        for (k = 0; k < st->taps; k++) {
            st->coef[phase * st->taps + (st->taps - 1 - k)] = (float)(h[phase + k * st->up] * st->up / sum);
        }
    }
    return SW_RESAMPLER_OK;
}

int32_t sw_resampler_get_output_length(const sw_resampler *st, int32_t n)
{
    int64_t end;

    if (st == NULL || n < 0) {
        return SW_RESAMPLER_E_INVALID_ARG;
    }
    if (st->in_rate == st->out_rate) {
        return n;
    }
    end = (int64_t)n * st->up;
    return end <= st->time ? 0 : (int32_t)((end - st->time + st->down - 1) / st->down);
}

static int16_t round_sat(float y)
{
    /* Round half away from zero would differ from C#'s MathF.Round (half to even) only on exact
     * .5 values; lrintf follows the current rounding mode, which is to-nearest-even. */
    long v;

    if (y >= 32767.0f) {
        return 32767;
    }
    if (y <= -32768.0f) {
        return -32768;
    }
    v = lrintf(y);
    return (int16_t)v;
}

int32_t sw_resampler_process(sw_resampler *st, const int16_t *in, int32_t n,
                             int16_t *out, int32_t out_cap, int32_t *out_written)
{
    int32_t needed = sw_resampler_get_output_length(st, n);
    int32_t history, written = 0, done;

    if (needed < 0 || out_written == NULL || (n > 0 && in == NULL) || (needed > 0 && out == NULL) ||
        out_cap < needed) {
        return SW_RESAMPLER_E_INVALID_ARG;
    }
    *out_written = 0;
    if (st->in_rate == st->out_rate) {
        if (n > 0) {
            memmove(out, in, (size_t)n * sizeof *in);
        }
        *out_written = n;
        return SW_RESAMPLER_OK;
    }
    history = st->taps - 1;
    for (done = 0; done < n; done += SW_RESAMPLER_BLOCK) {
        int32_t m = n - done < SW_RESAMPLER_BLOCK ? n - done : SW_RESAMPLER_BLOCK;
        int32_t end = m * st->up;
        int32_t t = st->time;
        int32_t i;

        for (i = 0; i < m; i++) {
            st->buf[history + i] = (float)in[done + i];
        }
        for (; t < end; t += st->down) {
            int32_t newest = t / st->up;
            int32_t phase = t - newest * st->up;
            const float *x = st->buf + newest;
            const float *h = st->coef + phase * st->taps;
            float y = 0.0f;
            int32_t k;

            for (k = 0; k < st->taps; k++) {
                y += x[k] * h[k];
            }
            out[written++] = round_sat(y);
        }
        st->time = t - end;
        memmove(st->buf, st->buf + m, (size_t)history * sizeof st->buf[0]);
    }
    *out_written = written;
    return SW_RESAMPLER_OK;
}
