/* SPDX-License-Identifier: MIT */
/* Acoustic echo canceller (two-path MDF + suppressor + comfort noise): C99 fallback of Sipwire.Dsp.EchoCanceller. */
#ifndef SIPWIRE_AEC_H
#define SIPWIRE_AEC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Success. */
#define SW_AEC_OK 0
/** A NULL pointer, a setting out of range, a buffer too small or a state not initialised (same value as SW_E_INVALID_ARG). */
#define SW_AEC_E_INVALID_ARG (-1)

/**
 * @brief Settings; fill with sw_aec_config_init() and change what you need.
 *
 * sample_rate: 8000 or 16000. tail_ms: 16..500 (echo tail of the linear filter).
 * max_delay_ms: 0..500, bulk far-end-to-microphone delay searched (0 = no delay estimator).
 * suppression / comfort_noise: 1 = on (residual echo suppressor; noise fill of suppressed bins).
 */
typedef struct sw_aec_config {
    uint32_t struct_size;
    int32_t sample_rate;
    int32_t tail_ms;
    int32_t max_delay_ms;
    int32_t suppression;
    int32_t comfort_noise;
} sw_aec_config;

/** Opaque canceller state, allocated by the caller (sw_aec_get_size bytes, 16-byte aligned). */
typedef struct sw_aec sw_aec;

/** @brief Defaults: 16 kHz, 128 ms tail, 240 ms delay search, suppressor and comfort noise on. */
void sw_aec_config_init(sw_aec_config *cfg);

/**
 * @brief Bytes of state a canceller with @p cfg needs (about 90 KB at 16 kHz / 128 ms / 240 ms).
 * @return SW_AEC_OK, or SW_AEC_E_INVALID_ARG for a NULL argument or a setting out of range.
 */
int32_t sw_aec_get_size(const sw_aec_config *cfg, int32_t *out_size);

/**
 * @brief Initialises a canceller in @p mem (@p size bytes, at least sw_aec_get_size, 16-byte aligned).
 * @return SW_AEC_OK, or SW_AEC_E_INVALID_ARG.
 * @par Thread
 * One state per call; a state is used by one thread at a time. Nothing is allocated.
 */
int32_t sw_aec_init(void *mem, int32_t size, const sw_aec_config *cfg, sw_aec **out_aec);

/**
 * @brief Processes one 10 ms frame (80 samples at 8 kHz, 160 at 16 kHz).
 * @param mic microphone frame; @param far far-end frame played at the same time;
 * @param out echo-cancelled frame, 2B samples (16 ms) behind @p mic (may alias @p mic).
 * @return SW_AEC_OK, or SW_AEC_E_INVALID_ARG on a NULL argument.
 */
int32_t sw_aec_process(sw_aec *st, const int16_t *mic, const int16_t *far, int16_t *out);

/** @brief Forgets the filter, estimates and delay (not the framing). @return SW_AEC_OK or SW_AEC_E_INVALID_ARG. */
int32_t sw_aec_reset(sw_aec *st);

/** @brief Samples per frame (80 or 160), or SW_AEC_E_INVALID_ARG. */
int32_t sw_aec_get_frame_size(const sw_aec *st);

/** @brief Output delay behind the microphone in samples (2B), or SW_AEC_E_INVALID_ARG. */
int32_t sw_aec_get_latency(const sw_aec *st);

#ifdef __cplusplus
}
#endif

#endif
