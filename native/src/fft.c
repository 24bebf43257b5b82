/* SPDX-License-Identifier: MIT */
/* Real FFT (N/2-point complex radix-2 DIT + split), same operation order as Sipwire.Dsp.Fft. */
#include "sipwire/fft.h"

#include <math.h>
#include <stddef.h>

static const double k_pi = 3.14159265358979323846;

int32_t sw_fft_f32_init(sw_fft_f32 *st, int32_t n)
{
    int32_t bits = 0;
    int32_t i;
    int32_t h;
    if (st == NULL || n < 8 || n > SW_FFT_MAX_N || (n & (n - 1)) != 0) {
        return -1;
    }
    st->n = n;
    st->m = n / 2;
    while ((1 << bits) < st->m) {
        bits++;
    }
    for (i = 0; i < st->m; i++) {
        int32_t r = 0;
        int32_t b;
        for (b = 0; b < bits; b++) {
            r |= ((i >> b) & 1) << (bits - 1 - b);
        }
        st->bitrev[i] = (uint16_t)r;
    }
    st->stage_cos[0] = 0.0f;
    st->stage_sin[0] = 0.0f;
    for (h = 1; h < st->m; h <<= 1) {
        int32_t j;
        for (j = 0; j < h; j++) {
            double a = -k_pi * (double)j / (double)h;
            st->stage_cos[h + j] = (float)cos(a);
            st->stage_sin[h + j] = (float)sin(a);
        }
    }
    for (i = 0; i <= st->m; i++) {
        double a = -2.0 * k_pi * (double)i / (double)n;
        st->split_cos[i] = (float)cos(a);
        st->split_sin[i] = (float)sin(a);
    }
    return 0;
}

/* In-place radix-2 DIT butterflies over bit-reversed input (plain mul and add, no FMA). */
static void stages(float *zr, float *zi, int32_t m, const float *wc, const float *ws)
{
    int32_t h;
    for (h = 1; h < m; h <<= 1) {
        int32_t g;
        for (g = 0; g < m; g += 2 * h) {
            int32_t j;
            for (j = 0; j < h; j++) {
                float wr = wc[h + j];
                float wi = ws[h + j];
                int32_t a = g + j;
                int32_t b = a + h;
                float tr = (wr * zr[b]) - (wi * zi[b]);
                float ti = (wr * zi[b]) + (wi * zr[b]);
                zr[b] = zr[a] - tr;
                zi[b] = zi[a] - ti;
                zr[a] = zr[a] + tr;
                zi[a] = zi[a] + ti;
            }
        }
    }
}

int32_t sw_fft_f32_forward(sw_fft_f32 *st, const float *in, float *out_re, float *out_im)
{
    int32_t i;
    int32_t k;
    int32_t m;
    float *zr;
    float *zi;
    if (st == NULL || in == NULL || out_re == NULL || out_im == NULL) {
        return -1;
    }
    m = st->m;
    zr = st->work_re;
    zi = st->work_im;
    for (i = 0; i < m; i++) {
        int32_t r = st->bitrev[i];
        zr[r] = in[2 * i];
        zi[r] = in[2 * i + 1];
    }
    stages(zr, zi, m, st->stage_cos, st->stage_sin);
    out_re[0] = zr[0] + zi[0];
    out_im[0] = 0.0f;
    out_re[m] = zr[0] - zi[0];
    out_im[m] = 0.0f;
    for (k = 1; k < m; k++) {
        float ar = zr[k];
        float ai = zi[k];
        float br = zr[m - k];
        float bi = -zi[m - k];
        float fer = 0.5f * (ar + br);
        float fei = 0.5f * (ai + bi);
        float fo_r = 0.5f * (ai - bi);
        float fo_i = -0.5f * (ar - br);
        float c = st->split_cos[k];
        float s = st->split_sin[k];
        out_re[k] = fer + ((c * fo_r) - (s * fo_i));
        out_im[k] = fei + ((c * fo_i) + (s * fo_r));
    }
    return 0;
}

int32_t sw_fft_f32_inverse(sw_fft_f32 *st, const float *re, const float *im, float *out)
{
    int32_t i;
    int32_t k;
    int32_t m;
    float *zr;
    float *zi;
    float half_scale;
    if (st == NULL || re == NULL || im == NULL || out == NULL) {
        return -1;
    }
    m = st->m;
    zr = st->work_re;
    zi = st->work_im;
    half_scale = 0.5f * (1.0f / (float)m);
    /* Z = Fe + i Fo, stored with re/im swapped so the forward stages give the inverse. */
    for (k = 0; k < m; k++) {
        float ar = re[k];
        float ai = k == 0 ? 0.0f : im[k];
        float br = re[m - k];
        float bi = k == 0 ? 0.0f : -im[m - k];
        float fer = ar + br;
        float fei = ai + bi;
        float dr = ar - br;
        float di = ai - bi;
        float c = st->split_cos[k];
        float s = st->split_sin[k];
        float fo_r = (c * dr) + (s * di);
        float fo_i = (c * di) - (s * dr);
        int32_t r = st->bitrev[k];
        zr[r] = (fei + fo_r) * half_scale;
        zi[r] = (fer - fo_i) * half_scale;
    }
    stages(zr, zi, m, st->stage_cos, st->stage_sin);
    for (i = 0; i < m; i++) {
        out[2 * i] = zi[i];
        out[2 * i + 1] = zr[i];
    }
    return 0;
}
