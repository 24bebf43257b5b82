/* SPDX-License-Identifier: MIT */
/* Voice activity detector for 10 ms frames: C99 fallback of Sipwire.Dsp.Vad (same decisions). */
#ifndef SIPWIRE_VAD_H
#define SIPWIRE_VAD_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Success. */
#define SW_VAD_OK 0
/** NULL pointer or unsupported rate (same value as SW_E_INVALID_ARG). */
#define SW_VAD_E_INVALID_ARG (-1)

/** Detector state, caller-allocated; fields are private. */
typedef struct sw_vad {
    int32_t frame;
    int32_t hangover_frames;
    int32_t hangover;
    int32_t loud_run;
    int32_t active;
    int32_t started;
    double floor_db;
} sw_vad;

/**
 * @brief Initialises a detector for 10 ms frames.
 * @param st state; @param sample_rate 8000 or 16000.
 * @return SW_VAD_OK or SW_VAD_E_INVALID_ARG.
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
