/* SPDX-License-Identifier: MIT */
/* Voice activity detector for 10 ms frames: C99 fallback of Sipwire.Dsp.Vad (same decisions). */
#ifndef SIPWIRE_VAD_H
#define SIPWIRE_VAD_H

#include <stdint.h>

#include "sipwire/fft.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Success. */
#define SW_VAD_OK 0
/** NULL pointer or unsupported rate (same value as SW_E_INVALID_ARG). */
#define SW_VAD_E_INVALID_ARG (-1)
/** Bands of 250 Hz analysed at 16 kHz (15 at 8 kHz). */
#define SW_VAD_MAX_BANDS 31
/** Sub-windows of 200 ms held by the minimum-statistics noise bound (1.6 s). */
#define SW_VAD_SUB_WINDOWS 8

/**
 * @brief Detector state, caller-allocated (about 14.5 KB, 6.7 KB of it the FFT plan); fields are private.
 */
typedef struct sw_vad {
    int32_t frame;
    int32_t fft_size;
    int32_t bands;
    int32_t frames;
    int32_t sub_frames;
    int32_t ring_pos;
    int32_t hangover;
    int32_t run;
    int32_t active;
    float noise_floor;
    double dips;
    sw_spectral_frame spectrum;
    float power[SW_VAD_MAX_BANDS];
    float smooth[SW_VAD_MAX_BANDS];
    float noise[SW_VAD_MAX_BANDS];
    float clean[SW_VAD_MAX_BANDS];
    float window_min[SW_VAD_MAX_BANDS];
    float recent_min[SW_VAD_MAX_BANDS];
    float ring[SW_VAD_SUB_WINDOWS * SW_VAD_MAX_BANDS];
} sw_vad;

/**
 * @brief Initialises a detector for 10 ms frames.
 * @param st state; @param sample_rate 8000 or 16000.
 * @return SW_VAD_OK or SW_VAD_E_INVALID_ARG.
 * @par Thread
 * A state is used by one thread at a time.
 */
int32_t sw_vad_init(sw_vad *st, int32_t sample_rate);

/**
 * @brief Classifies one frame of sw_vad frame size (80 or 160 samples).
 * @param out_active receives 1 for voice (or held by the 200 ms hangover), 0 for noise.
 * @return SW_VAD_OK or SW_VAD_E_INVALID_ARG.
 */
int32_t sw_vad_process(sw_vad *st, const int16_t *frame, int32_t *out_active);

#ifdef __cplusplus
}
#endif

#endif
