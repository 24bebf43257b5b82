/* SPDX-License-Identifier: MIT */
/* Spectral noise suppressor: Wiener gain from the decision-directed a priori SNR (Ephraim-Malah),
 * minimum-tracked noise; the same operation order as NoiseSuppressor.cs. */
#include "sipwire/ns.h"

#include "spectral_frame.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define NS_ALPHA 0.98f
#define NS_RISE 1.0087f
#define NS_BIAS 2.0f
#define NS_LEARNING_FRAMES 25

int32_t sw_ns_init(sw_ns *st, int32_t sample_rate, int32_t suppression_db)
{
    if (st == NULL || (sample_rate != 8000 && sample_rate != 16000) || suppression_db < 1 || suppression_db > 40) {
        return SW_NS_E_INVALID_ARG;
    }
    memset(st, 0, sizeof *st);
    st->frame = sample_rate / 100;
    st->fft_size = sample_rate == 8000 ? 256 : 512;
    st->bins = st->fft_size / 2 + 1;
    st->gain_floor = (float)pow(10.0, -(double)suppression_db / 20.0);
    if (sw_spectral_frame_init(&st->spectrum, st->frame, st->fft_size) != 0) {
        return SW_NS_E_INVALID_ARG;
    }
    return SW_NS_OK;
}

int32_t sw_ns_process(sw_ns *st, const int16_t *in, int16_t *out)
{
    int32_t n;
    int32_t i;
    int32_t f;
    sw_spectral_frame *sp;
    if (st == NULL || in == NULL || out == NULL || st->frame == 0) {
        return SW_NS_E_INVALID_ARG;
    }
    n = st->frame;
    sp = &st->spectrum;
    sw_spectral_frame_analyze(sp, n, in);
    for (f = 0; f < st->bins; f++) {
        st->power[f] = (sp->re[f] * sp->re[f]) + (sp->im[f] * sp->im[f]);
    }
    if (st->frames < NS_LEARNING_FRAMES) {
        float w;
        st->frames++;
        w = 1.0f / (float)st->frames;
        for (f = 0; f < st->bins; f++) {
            st->noise[f] += w * (st->power[f] - st->noise[f]);
            st->smooth[f] = st->power[f];
        }
    } else {
        for (f = 0; f < st->bins; f++) {
            float s = st->smooth[f] + (0.3f * (st->power[f] - st->smooth[f]));
            st->smooth[f] = s;
            if (s < st->noise[f]) {
                st->noise[f] = s;
            } else if (s < 4.0f * st->noise[f]) {
                st->noise[f] = (st->noise[f] * NS_RISE) + 1e-3f;
            } else {
                st->noise[f] = (st->noise[f] * 1.0005f) + 1e-3f;
            }
        }
    }
    for (f = 0; f < st->bins; f++) {
        float gamma = st->power[f] / ((NS_BIAS * st->noise[f]) + 1.0f);
        float ml = gamma - 1.0f;
        float xi;
        float g;
        ml = ml > 0.0f ? ml : 0.0f;
        xi = (NS_ALPHA * st->prev_signal[f]) + ((1.0f - NS_ALPHA) * ml);
        g = xi / (1.0f + xi);
        g = g > st->gain_floor ? g : st->gain_floor;
        st->gain[f] = g;
        st->prev_signal[f] = (g * g) * gamma;
    }
    for (f = 0; f < st->bins; f++) {
        sp->re[f] *= st->gain[f];
        sp->im[f] *= st->gain[f];
    }
    /* Synthesis with the same window (its squares overlap-add to 1), into the analysis buffer. */
    sw_fft_f32_inverse(&sp->fft, sp->re, sp->im, sp->time);
    for (i = 0; i < n; i++) {
        float v = st->ola[i] + (sp->window[i] * sp->time[i]);
        float r;
        st->ola[i] = sp->window[n + i] * sp->time[n + i];
        r = rintf(v);
        out[i] = r > 32767.0f ? (int16_t)32767 : (r < -32768.0f ? (int16_t)-32768 : (int16_t)r);
    }
    return SW_NS_OK;
}
