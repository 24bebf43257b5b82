/* SPDX-License-Identifier: MIT */
/* G.711 A-law and mu-law companding kernels (ITU-T G.711, bit-exact to the ITU-T G.191 reference). */
#ifndef SIPWIRE_G711_H
#define SIPWIRE_G711_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @file g711.h
 * @brief G.711 companding of 16-bit linear PCM, bit-exact to ITU-T G.191 g711.c
 *        (ulaw_compress, ulaw_expand, alaw_compress, alaw_expand).
 *
 * PCM is 16-bit two's complement, left-justified: the encoders use the 14 (mu-law) or 13
 * (A-law) most significant bits and ignore the rest; the decoders return full-scale 16-bit
 * values (mu-law +-32124, A-law +-32256). Negative samples are folded with the one's
 * complement as in G.191, so the mu-law encoder differs from the Sun/audioop variant on
 * some negative inputs next to segment edges.
 *
 * Each function returns 0 (SW_OK) on success, or -1 (SW_E_INVALID_ARG, same value as in
 * sipwire.h) when @p n is negative or a buffer is NULL while @p n is positive; then nothing
 * is written. @p n == 0 is a successful no-op and allows NULL buffers.
 *
 * @par Thread
 * Stateless and reentrant; any thread.
 */

/** @brief Return value of the G.711 kernels on success (equal to SW_OK). */
#define SW_G711_OK 0
/** @brief Return value of the G.711 kernels on a bad argument (equal to SW_E_INVALID_ARG). */
#define SW_G711_E_INVALID_ARG (-1)

/**
 * @brief Encodes linear PCM to mu-law octets (G.191 ulaw_compress).
 * @param in  @p n samples, 16-bit left-justified.
 * @param out receives @p n mu-law octets; must not overlap @p in.
 * @param n   number of samples.
 * @return SW_G711_OK, or SW_G711_E_INVALID_ARG.
 */
int32_t sw_g711_ulaw_encode(const int16_t *in, uint8_t *out, int32_t n);

/**
 * @brief Decodes mu-law octets to linear PCM (G.191 ulaw_expand); +-32124 full scale.
 * @param in  @p n mu-law octets.
 * @param out receives @p n samples; must not overlap @p in.
 * @param n   number of octets.
 * @return SW_G711_OK, or SW_G711_E_INVALID_ARG.
 */
int32_t sw_g711_ulaw_decode(const uint8_t *in, int16_t *out, int32_t n);

/**
 * @brief Encodes linear PCM to A-law octets (G.191 alaw_compress, even bits inverted).
 * @param in  @p n samples, 16-bit left-justified.
 * @param out receives @p n A-law octets; must not overlap @p in.
 * @param n   number of samples.
 * @return SW_G711_OK, or SW_G711_E_INVALID_ARG.
 */
int32_t sw_g711_alaw_encode(const int16_t *in, uint8_t *out, int32_t n);

/**
 * @brief Decodes A-law octets to linear PCM (G.191 alaw_expand); +-32256 full scale.
 * @param in  @p n A-law octets.
 * @param out receives @p n samples; must not overlap @p in.
 * @param n   number of octets.
 * @return SW_G711_OK, or SW_G711_E_INVALID_ARG.
 */
int32_t sw_g711_alaw_decode(const uint8_t *in, int16_t *out, int32_t n);

/**
 * @brief Encodes one sample to mu-law (G.191 ulaw_compress).
 * @param sample 16-bit left-justified PCM.
 * @return the mu-law octet.
 */
uint8_t sw_g711_ulaw_encode_sample(int16_t sample);

/**
 * @brief Decodes one mu-law octet (G.191 ulaw_expand).
 * @param code the mu-law octet.
 * @return the 16-bit sample.
 */
int16_t sw_g711_ulaw_decode_sample(uint8_t code);

/**
 * @brief Encodes one sample to A-law (G.191 alaw_compress).
 * @param sample 16-bit left-justified PCM.
 * @return the A-law octet.
 */
uint8_t sw_g711_alaw_encode_sample(int16_t sample);

/**
 * @brief Decodes one A-law octet (G.191 alaw_expand).
 * @param code the A-law octet.
 * @return the 16-bit sample.
 */
int16_t sw_g711_alaw_decode_sample(uint8_t code);

#ifdef __cplusplus
}
#endif

#endif /* SIPWIRE_G711_H */
