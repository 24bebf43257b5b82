/* SPDX-License-Identifier: MIT */
/* Streaming polyphase resampler between 8, 16 and 48 kHz for PCM16 voice (caller-allocated state). */
#ifndef SIPWIRE_RESAMPLER_H
#define SIPWIRE_RESAMPLER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @file resampler.h
 * @brief Rational L/M polyphase FIR resampler (Kaiser-windowed sinc, about 80 dB stopband,
 *        -6 dB at 0.9 of the lower Nyquist frequency), the same design as the C#
 *        Sipwire.Dsp.Resampler. Float arithmetic (single precision, built with -std=c99 so no
 *        FMA contraction); outputs rounded to nearest and saturated to 16 bits.
 *
 * Streaming: the history carries across calls, so frames of any size give the same output as
 * one long block. Functions return 0 (SW_OK) or -1 (SW_E_INVALID_ARG, same value as sipwire.h)
 * for NULL pointers, unsupported rates, negative counts or a too-small output; nothing is
 * consumed then.
 *
 * @par Thread
 * One state per stream; a state must not be used by two threads at once.
 */

/** @brief Return value on success (equal to SW_OK). */
#define SW_RESAMPLER_OK 0
/** @brief Return value on a bad argument (equal to SW_E_INVALID_ARG). */
#define SW_RESAMPLER_E_INVALID_ARG (-1)

/** @brief Prototype taps per max(L, M). */
#define SW_RESAMPLER_TAPS_PER_RATIO 48
/** @brief Largest prototype: 48 taps times the 48/8 kHz ratio of 6. */
#define SW_RESAMPLER_MAX_TAPS (SW_RESAMPLER_TAPS_PER_RATIO * 6)
/** @brief Input samples processed per internal block. */
#define SW_RESAMPLER_BLOCK 480

/** @brief Resampler state (private fields; caller-allocated, about 4.2 KB). */
typedef struct sw_resampler {
    int32_t in_rate;                       /**< input rate, Hz */
    int32_t out_rate;                      /**< output rate, Hz */
    int32_t up;                            /**< L */
    int32_t down;                          /**< M */
    int32_t taps;                          /**< taps per polyphase branch */
    int32_t time;                          /**< next output position in 1/L input samples */
    float coef[SW_RESAMPLER_MAX_TAPS];     /**< L branches, each reversed */
    float buf[SW_RESAMPLER_MAX_TAPS - 1 + SW_RESAMPLER_BLOCK]; /**< history, then the block */
} sw_resampler;

/**
 * @brief Size of sw_resampler in bytes (for bindings that allocate it opaquely).
 * @return sizeof(sw_resampler).
 */
int32_t sw_resampler_get_size(void);

/**
 * @brief Designs the filter and clears the history.
 * @param st       the state.
 * @param in_rate  8000, 16000 or 48000.
 * @param out_rate 8000, 16000 or 48000.
 * @return SW_RESAMPLER_OK, or SW_RESAMPLER_E_INVALID_ARG.
 */
int32_t sw_resampler_init(sw_resampler *st, int32_t in_rate, int32_t out_rate);

/**
 * @brief Number of samples the next sw_resampler_process() call writes for @p n input samples.
 * @param st the state.
 * @param n  input samples.
 * @return the output count, or SW_RESAMPLER_E_INVALID_ARG for a NULL state or negative @p n.
 */
int32_t sw_resampler_get_output_length(const sw_resampler *st, int32_t n);

/**
 * @brief Resamples @p n input samples.
 * @param st          the state.
 * @param in          @p n samples at the input rate.
 * @param n           input samples.
 * @param out         receives the output samples.
 * @param out_cap     capacity of @p out in samples.
 * @param out_written receives the number written (sw_resampler_get_output_length).
 * @return SW_RESAMPLER_OK, or SW_RESAMPLER_E_INVALID_ARG (also when @p out_cap is too small).
 */
int32_t sw_resampler_process(sw_resampler *st, const int16_t *in, int32_t n,
                             int16_t *out, int32_t out_cap, int32_t *out_written);

#ifdef __cplusplus
}
#endif

#endif /* SIPWIRE_RESAMPLER_H */
