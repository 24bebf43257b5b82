/* SPDX-License-Identifier: MIT */
/* Short-time spectrum of 10 ms frames shared by vad.c and ns.c (internal; the struct is in sipwire/fft.h). */
#ifndef SIPWIRE_SPECTRAL_FRAME_H
#define SIPWIRE_SPECTRAL_FRAME_H

#include <stdint.h>

#include "sipwire/fft.h"

/* Plan of size fft_size and the sqrt-Hann window of 2 * frame samples; the previous frame is zeros.
 * Returns 0, or -1 when fft_size is not a plan size or the window does not fit it. */
int32_t sw_spectral_frame_init(sw_spectral_frame *sf, int32_t frame, int32_t fft_size);

/* Windows the previous frame and x (frame samples), zero-pads to the plan's size and transforms into
 * sf->re, sf->im; x becomes the previous frame. sf->time holds the windowed input afterwards. */
void sw_spectral_frame_analyze(sw_spectral_frame *sf, int32_t frame, const int16_t *x);

#endif
