/* SPDX-License-Identifier: MIT */
/* RFC 3389 comfort noise: SID encoder and noise generator, C99 fallback of Sipwire.Dsp.ComfortNoise*. */
#ifndef SIPWIRE_CNG_H
#define SIPWIRE_CNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Success. */
#define SW_CNG_OK 0
/** NULL pointer, bad size or order, or a malformed payload (same value as SW_E_INVALID_ARG). */
#define SW_CNG_E_INVALID_ARG (-1)
/** Highest model order (reflection coefficients per payload). */
#define SW_CNG_MAX_ORDER 12

/**
 * @brief Encodes a frame of background noise as an RFC 3389 CN payload.
 * @param frame @p n samples (n > order); @param order 0..SW_CNG_MAX_ORDER;
 * @param out_payload receives 1 + order bytes: level in -dBov (§3.1), then quantized
 *        reflection coefficients N = round(128 k) + 127 (§3.2).
 * @return 1 + order, or SW_CNG_E_INVALID_ARG.
 */
int32_t sw_cng_encode(const int16_t *frame, int32_t n, int32_t order, uint8_t *out_payload);

/** Comfort noise generator state, caller-allocated; fields are private. */
typedef struct sw_cng_decoder {
    double target_k[SW_CNG_MAX_ORDER + 1];
    double k[SW_CNG_MAX_ORDER + 1];
    double history[SW_CNG_MAX_ORDER];
    double target_power;
    double power;
    int32_t order;
    int32_t have_target;
    int32_t started;
    uint32_t seed;
} sw_cng_decoder;

/** @brief Initialises a generator (silent until the first payload). @return SW_CNG_OK or SW_CNG_E_INVALID_ARG. */
int32_t sw_cng_decoder_init(sw_cng_decoder *st);

/**
 * @brief Takes a CN payload (1 + M bytes; orders above 12 are reduced).
 * @return SW_CNG_OK, or SW_CNG_E_INVALID_ARG for an empty payload or a level byte with its MSB set
 *         (the previous parameters are kept).
 */
int32_t sw_cng_decoder_update(sw_cng_decoder *st, const uint8_t *payload, int32_t len);

/** @brief Generates @p n samples of comfort noise. @return SW_CNG_OK or SW_CNG_E_INVALID_ARG. */
int32_t sw_cng_decoder_generate(sw_cng_decoder *st, int16_t *out, int32_t n);

#ifdef __cplusplus
}
#endif

#endif
