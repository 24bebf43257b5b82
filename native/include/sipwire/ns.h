/* SPDX-License-Identifier: MIT */
/* Spectral noise suppressor for 10 ms frames: C99 fallback of Sipwire.Dsp.NoiseSuppressor (same output). */
#ifndef SIPWIRE_NS_H
#define SIPWIRE_NS_H

#include <stdint.h>

#include "sipwire/fft.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Success. */
#define SW_NS_OK 0
/** NULL pointer, unsupported rate or suppression (same value as SW_E_INVALID_ARG). */
#define SW_NS_E_INVALID_ARG (-1)

/** Suppressor state, caller-allocated (about 18.6 KB on LP64, 6.7 KB of it the FFT plan); fields are private. */
typedef struct sw_ns {
    int32_t frame;
    int32_t fft_size;
    int32_t bins;
    int32_t frames;
    float gain_floor;
    sw_spectral_frame spectrum;
    float power[257], smooth[257], noise[257], prev_signal[257], gain[257];
    float ola[160];
} sw_ns;

/**
 * @brief Initialises a suppressor.
 * @param st state; @param sample_rate 8000 or 16000; @param suppression_db largest noise attenuation, 1..40 (15 is SpeexDSP's default).
 * @return SW_NS_OK or SW_NS_E_INVALID_ARG.
 */
int32_t sw_ns_init(sw_ns *st, int32_t sample_rate, int32_t suppression_db);

/**
 * @brief Processes one 10 ms frame (80 or 160 samples); the output lags by one frame and may alias the input.
 * @return SW_NS_OK or SW_NS_E_INVALID_ARG.
 */
int32_t sw_ns_process(sw_ns *st, const int16_t *in, int16_t *out);

#ifdef __cplusplus
}
#endif

#endif
