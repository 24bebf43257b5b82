/* SPDX-License-Identifier: MIT */
/* Packet loss concealment in the style of ITU-T G.711 Appendix I (pitch repetition, attenuation, OLA). */
#ifndef SIPWIRE_PLC_H
#define SIPWIRE_PLC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @file plc.h
 * @brief C99 fallback of Sipwire.Dsp.Plc (same algorithm, single precision), 8 kHz only:
 *        pitch by normalized cross-correlation (40-120 samples, coarse on a 2:1 grid then refined,
 *        octave check); lost frames repeat the last 1, 2, then 3 pitch periods with quarter-period
 *        overlap-add; -20 % per 10 ms after the first 10 ms (silent at 60 ms); the first good frame
 *        is overlap-added with the continued synthetic signal over 4 ms (+4 ms per further 10 ms
 *        lost, at most 10 ms). The output is delayed by SW_PLC_DELAY samples (3.75 ms).
 *
 * The state is a plain struct the caller allocates; no heap use.
 *
 * @par Thread
 * One state per stream. Reentrant.
 */

/** @brief Success (equal to SW_OK). */
#define SW_PLC_OK 0
/** @brief Bad argument (equal to SW_E_INVALID_ARG). */
#define SW_PLC_E_INVALID_ARG (-1)

#define SW_PLC_PITCH_MIN 40
#define SW_PLC_PITCH_MAX 120
/** @brief Output delay in samples (a quarter of the longest pitch period). */
#define SW_PLC_DELAY (SW_PLC_PITCH_MAX / 4)
#define SW_PLC_HISTORY (3 * SW_PLC_PITCH_MAX + SW_PLC_DELAY)

/** @brief Concealer state; treat the fields as private. */
typedef struct sw_plc {
    float history[SW_PLC_HISTORY];
    float pitch_buffer[SW_PLC_HISTORY];
    float last_quarter[SW_PLC_DELAY];
    float pending[SW_PLC_DELAY];
    int32_t pitch;
    int32_t overlap;
    int32_t span;
    int32_t offset;
    int32_t erased;
    int32_t pending_count;
    int32_t pending_pos;
} sw_plc;

/** @brief Initializes @p plc. @return SW_PLC_OK, or SW_PLC_E_INVALID_ARG for NULL. */
int32_t sw_plc_init(sw_plc *plc);

/**
 * @brief A received frame of @p n samples: writes @p n delayed output samples (in and out may alias).
 * @return SW_PLC_OK, or SW_PLC_E_INVALID_ARG for NULL buffers with n > 0 or n < 0.
 */
int32_t sw_plc_process_q15(sw_plc *plc, const int16_t *in, int16_t *out, int32_t n);

/** @brief A lost frame: writes @p n concealment samples. @return as sw_plc_process_q15(). */
int32_t sw_plc_conceal_q15(sw_plc *plc, int16_t *out, int32_t n);

/** @brief The pitch period found at the start of the current or last loss (0 before any). */
int32_t sw_plc_get_pitch(const sw_plc *plc);

#ifdef __cplusplus
}
#endif

#endif
