/* SPDX-License-Identifier: MIT */
/* G.722 64 kbit/s sub-band ADPCM encoder and decoder (ITU-T G.722), caller-allocated state. */
#ifndef SIPWIRE_G722_H
#define SIPWIRE_G722_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @file g722.h
 * @brief ITU-T G.722 wideband codec at 64 kbit/s (mode 1): 16 kHz 16-bit PCM in, one octet per
 *        pair of samples out (6 low-band bits, 2 high-band bits), and back.
 *
 * Bit-exact with the ITU-T G.722 reference algorithm as implemented by SpanDSP 0.0.6
 * (g722_encode/g722_decode at 64000 bit/s, no options): 24-tap QMF, 16-bit input scaled to the
 * 15-bit signal of the ADPCM blocks. One deliberate difference: the receive QMF output is
 * saturated to 16 bits, where SpanDSP 0.0.6 wraps; the two agree whenever no overflow occurs.
 *
 * The state structs are public so firmware can allocate them statically; their fields are
 * private. Call sw_g722_encoder_init / sw_g722_decoder_init before use (and to reset).
 *
 * Functions return 0 (SW_OK) or -1 (SW_E_INVALID_ARG, same values as sipwire.h) for a NULL state
 * or buffer, a negative count, or an odd sample count for the encoder; nothing is written then.
 *
 * @par Thread
 * One state per stream; a state must not be used by two threads at once.
 */

/** @brief Return value on success (equal to SW_OK). */
#define SW_G722_OK 0
/** @brief Return value on a bad argument (equal to SW_E_INVALID_ARG). */
#define SW_G722_E_INVALID_ARG (-1)

/** @brief Adaptive predictor and quantiser state of one sub-band (private). */
typedef struct sw_g722_band {
    int16_t s;     /**< signal estimate */
    int16_t sz;    /**< zero-section estimate */
    int16_t r;     /**< last reconstructed signal */
    int16_t a[2];  /**< pole coefficients */
    int16_t p[2];  /**< last partially reconstructed signals */
    int16_t d[7];  /**< quantised difference history */
    int16_t b[6];  /**< zero coefficients */
    int16_t nb;    /**< log scale factor */
    int16_t det;   /**< scale factor */
} sw_g722_band;

/** @brief Encoder state (private fields; caller-allocated). */
typedef struct sw_g722_encoder {
    sw_g722_band band[2]; /**< low band, high band */
    int16_t x[24];        /**< transmit QMF history, oldest first, pairs interleaved */
} sw_g722_encoder;

/** @brief Decoder state (private fields; caller-allocated). */
typedef struct sw_g722_decoder {
    sw_g722_band band[2]; /**< low band, high band */
    int16_t x[24];        /**< receive QMF history, oldest first, sum/difference interleaved */
} sw_g722_decoder;

/**
 * @brief Size of sw_g722_encoder in bytes, for callers that allocate it without the struct
 *        definition (bindings from other languages).
 * @return sizeof(sw_g722_encoder).
 */
int32_t sw_g722_encoder_get_size(void);

/**
 * @brief Size of sw_g722_decoder in bytes.
 * @return sizeof(sw_g722_decoder).
 */
int32_t sw_g722_decoder_get_size(void);

/**
 * @brief Resets an encoder to the G.722 initial state.
 * @param st the encoder.
 * @return SW_G722_OK, or SW_G722_E_INVALID_ARG when @p st is NULL.
 */
int32_t sw_g722_encoder_init(sw_g722_encoder *st);

/**
 * @brief Encodes 16 kHz PCM to G.722 octets at 64 kbit/s.
 * @param st  the encoder.
 * @param in  @p n samples at 16 kHz.
 * @param out receives @p n / 2 octets.
 * @param n   number of samples; must be even (G.722 codes pairs of samples).
 * @return SW_G722_OK, or SW_G722_E_INVALID_ARG.
 */
int32_t sw_g722_encode(sw_g722_encoder *st, const int16_t *in, uint8_t *out, int32_t n);

/**
 * @brief Resets a decoder to the G.722 initial state.
 * @param st the decoder.
 * @return SW_G722_OK, or SW_G722_E_INVALID_ARG when @p st is NULL.
 */
int32_t sw_g722_decoder_init(sw_g722_decoder *st);

/**
 * @brief Decodes G.722 octets (64 kbit/s) to 16 kHz PCM.
 * @param st  the decoder.
 * @param in  @p n octets.
 * @param out receives 2 * @p n samples.
 * @param n   number of octets.
 * @return SW_G722_OK, or SW_G722_E_INVALID_ARG.
 */
int32_t sw_g722_decode(sw_g722_decoder *st, const uint8_t *in, int16_t *out, int32_t n);

#ifdef __cplusplus
}
#endif

#endif /* SIPWIRE_G722_H */
