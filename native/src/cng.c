/* SPDX-License-Identifier: MIT */
/* RFC 3389 comfort noise: level + reflection coefficients out, all-pole filtered noise back (see ComfortNoise*.cs). */
#include "sipwire/cng.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* Mean square of a 0 dBov signal (RFC 3389 §3.1 overload point; the G.711 Appendix II value). */
#define CNG_ZERO_DBOV_POWER 1081109975.0

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

int32_t sw_cng_encode(const int16_t *frame, int32_t n, int32_t order, uint8_t *out_payload)
{
    double energy = 0.0;
    double r[SW_CNG_MAX_ORDER + 1];
    double a[SW_CNG_MAX_ORDER + 1];
    double tmp[SW_CNG_MAX_ORDER + 1];
    double error;
    int32_t level;
    int32_t i;
    int32_t j;
    int32_t lag;
    if (frame == NULL || out_payload == NULL || order < 0 || order > SW_CNG_MAX_ORDER || n <= order) {
        return SW_CNG_E_INVALID_ARG;
    }
    for (i = 0; i < n; i++) {
        energy += (double)frame[i] * (double)frame[i];
    }
    energy /= (double)n;
    level = 127;
    if (energy > 0.0) {
        level = (int32_t)clampd(ceil(-10.0 * log10(energy / CNG_ZERO_DBOV_POWER)), 0.0, 127.0);
    }
    out_payload[0] = (uint8_t)level;
    if (order == 0) {
        return 1;
    }
    for (lag = 0; lag <= order; lag++) {
        double sum = 0.0;
        for (i = lag; i < n; i++) {
            double w0 = 0.5 - 0.5 * cos(2.0 * 3.14159265358979323846 * ((double)i + 0.5) / (double)n);
            double w1 = 0.5 - 0.5 * cos(2.0 * 3.14159265358979323846 * ((double)(i - lag) + 0.5) / (double)n);
            sum += w0 * frame[i] * w1 * frame[i - lag];
        }
        r[lag] = sum;
    }
    r[0] = r[0] * 1.0001 + 1e-9;
    /* Levinson-Durbin for A(z) = 1 + sum a_j z^-j; k_i = a_i at step i. */
    memset(a, 0, sizeof a);
    a[0] = 1.0;
    error = r[0];
    for (i = 1; i <= order; i++) {
        double acc = r[i];
        double ki;
        for (j = 1; j < i; j++) {
            acc += a[j] * r[i - j];
        }
        ki = error > 0.0 ? -acc / error : 0.0;
        ki = clampd(ki, -0.999, 0.999);
        memcpy(tmp, a, sizeof(double) * (size_t)i);
        for (j = 1; j < i; j++) {
            a[j] = tmp[j] + ki * tmp[i - j];
        }
        a[i] = ki;
        error *= 1.0 - ki * ki;
        out_payload[i] = (uint8_t)clampd(rint(ki * 128.0) + 127.0, 0.0, 255.0);
    }
    return 1 + order;
}

int32_t sw_cng_decoder_init(sw_cng_decoder *st)
{
    if (st == NULL) {
        return SW_CNG_E_INVALID_ARG;
    }
    memset(st, 0, sizeof *st);
    st->seed = 0x2545F491u;
    return SW_CNG_OK;
}

int32_t sw_cng_decoder_update(sw_cng_decoder *st, const uint8_t *payload, int32_t len)
{
    int32_t i;
    if (st == NULL || payload == NULL || len < 1 || (payload[0] & 0x80u) != 0) {
        return SW_CNG_E_INVALID_ARG;
    }
    st->target_power = CNG_ZERO_DBOV_POWER * pow(10.0, -(double)payload[0] / 10.0);
    st->order = len - 1 < SW_CNG_MAX_ORDER ? len - 1 : SW_CNG_MAX_ORDER;
    memset(st->target_k, 0, sizeof st->target_k);
    for (i = 1; i <= st->order; i++) {
        st->target_k[i] = ((double)payload[i] - 127.0) / 128.0;
    }
    st->have_target = 1;
    return SW_CNG_OK;
}

int32_t sw_cng_decoder_generate(sw_cng_decoder *st, int16_t *out, int32_t n)
{
    double a[SW_CNG_MAX_ORDER + 1];
    double tmp[SW_CNG_MAX_ORDER + 1];
    double gain = 1.0;
    double scale;
    int32_t i;
    int32_t j;
    if (st == NULL || out == NULL || n < 0) {
        return SW_CNG_E_INVALID_ARG;
    }
    if (!st->have_target) {
        memset(out, 0, sizeof(int16_t) * (size_t)n);
        return SW_CNG_OK;
    }
    if (!st->started) {
        st->power = st->target_power;
        memcpy(st->k, st->target_k, sizeof st->k);
        st->started = 1;
    } else {
        st->power = 0.5 * st->power + 0.5 * st->target_power;
        for (i = 1; i <= SW_CNG_MAX_ORDER; i++) {
            st->k[i] = 0.5 * st->k[i] + 0.5 * st->target_k[i];
        }
    }
    memset(a, 0, sizeof a);
    a[0] = 1.0;
    for (i = 1; i <= st->order; i++) {
        double ki = clampd(st->k[i], -0.999, 0.999);
        memcpy(tmp, a, sizeof(double) * (size_t)i);
        for (j = 1; j < i; j++) {
            a[j] = tmp[j] + ki * tmp[i - j];
        }
        a[i] = ki;
        gain *= 1.0 - ki * ki;
    }
    scale = sqrt(3.0 * st->power * gain);
    for (i = 0; i < n; i++) {
        double y;
        double r;
        st->seed = st->seed * 1664525u + 1013904223u;
        y = ((double)(st->seed >> 8) / 8388608.0 - 1.0) * scale;
        for (j = 1; j <= st->order; j++) {
            y -= a[j] * st->history[j - 1];
        }
        for (j = st->order - 1; j > 0; j--) {
            st->history[j] = st->history[j - 1];
        }
        if (st->order > 0) {
            st->history[0] = y;
        }
        r = rint(y); /* round half to even, as Math.Round */
        out[i] = (int16_t)clampd(r, -32768.0, 32767.0);
    }
    return SW_CNG_OK;
}
