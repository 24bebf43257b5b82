/* SPDX-License-Identifier: MIT */
/* Short-time spectrum of 10 ms frames: the same operations, in the same order, as Sipwire.Dsp.SpectralFrame. */
#include "spectral_frame.h"

#include <math.h>
#include <string.h>

int32_t sw_spectral_frame_init(sw_spectral_frame *sf, int32_t frame, int32_t fft_size)
{
    int32_t i;
    if (2 * frame > fft_size || 2 * frame > (int32_t)(sizeof sf->window / sizeof sf->window[0]) ||
        sw_fft_f32_init(&sf->fft, fft_size) != 0) {
        return -1;
    }
    for (i = 0; i < 2 * frame; i++) {
        double phase = 2.0 * 3.14159265358979323846 * (double)i / (double)(2 * frame);
        sf->window[i] = (float)sqrt(0.5 - 0.5 * cos(phase));
    }
    memset(sf->prev, 0, sizeof sf->prev);
    return 0;
}

void sw_spectral_frame_analyze(sw_spectral_frame *sf, int32_t frame, const int16_t *x)
{
    int32_t i;
    for (i = 0; i < frame; i++) {
        float v = (float)x[i];
        sf->time[i] = sf->window[i] * sf->prev[i];
        sf->time[frame + i] = sf->window[frame + i] * v;
        sf->prev[i] = v;
    }
    memset(sf->time + 2 * frame, 0, sizeof(float) * (size_t)(sf->fft.n - 2 * frame));
    sw_fft_f32_forward(&sf->fft, sf->time, sf->re, sf->im);
}
