/* Thin C wrapper over libopus for P/Invoke: fixed-width types only, every encoder setting in one call. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stddef.h>

#include <opus.h>

#define SHIM_EXPORT __attribute__((visibility("default")))

/* The libopus version string (static). */
SHIM_EXPORT const char *sw_opus_shim_version(void)
{
    return opus_get_version_string();
}

/* A VOIP encoder. signal: 0 auto, 1 voice, 2 music. Returns 0 or the OPUS_* error. */
SHIM_EXPORT int32_t sw_opus_shim_encoder_create(int32_t sample_rate, int32_t channels, int32_t bitrate,
                                                int32_t complexity, int32_t signal, int32_t inband_fec,
                                                int32_t loss_percent, int32_t dtx, void **out_encoder)
{
    int err = OPUS_OK;
    OpusEncoder *enc;
    opus_int32 hint = signal == 1 ? OPUS_SIGNAL_VOICE : signal == 2 ? OPUS_SIGNAL_MUSIC : OPUS_AUTO;

    if (out_encoder == NULL) {
        return OPUS_BAD_ARG;
    }
    enc = opus_encoder_create(sample_rate, channels, OPUS_APPLICATION_VOIP, &err);
    if (err != OPUS_OK) {
        return err;
    }
    if ((err = opus_encoder_ctl(enc, OPUS_SET_BITRATE(bitrate))) != OPUS_OK ||
        (err = opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(complexity))) != OPUS_OK ||
        (err = opus_encoder_ctl(enc, OPUS_SET_SIGNAL(hint))) != OPUS_OK ||
        (err = opus_encoder_ctl(enc, OPUS_SET_INBAND_FEC(inband_fec))) != OPUS_OK ||
        (err = opus_encoder_ctl(enc, OPUS_SET_PACKET_LOSS_PERC(loss_percent))) != OPUS_OK ||
        (err = opus_encoder_ctl(enc, OPUS_SET_DTX(dtx))) != OPUS_OK) {
        opus_encoder_destroy(enc);
        return err;
    }
    *out_encoder = enc;
    return OPUS_OK;
}

/* Returns the packet length or a negative OPUS_* error. */
SHIM_EXPORT int32_t sw_opus_shim_encode(void *encoder, const int16_t *pcm, int32_t frame_size,
                                        uint8_t *packet, int32_t max_bytes)
{
    return opus_encode((OpusEncoder *)encoder, pcm, frame_size, packet, max_bytes);
}

SHIM_EXPORT void sw_opus_shim_encoder_destroy(void *encoder)
{
    opus_encoder_destroy((OpusEncoder *)encoder);
}

/* Returns 0 or the OPUS_* error. */
SHIM_EXPORT int32_t sw_opus_shim_decoder_create(int32_t sample_rate, int32_t channels, void **out_decoder)
{
    int err = OPUS_OK;
    OpusDecoder *dec;

    if (out_decoder == NULL) {
        return OPUS_BAD_ARG;
    }
    dec = opus_decoder_create(sample_rate, channels, &err);
    if (err != OPUS_OK) {
        return err;
    }
    *out_decoder = dec;
    return OPUS_OK;
}

/* packet may be NULL with length 0 for PLC. Returns samples per channel or a negative OPUS_* error. */
SHIM_EXPORT int32_t sw_opus_shim_decode(void *decoder, const uint8_t *packet, int32_t length, int16_t *pcm,
                                        int32_t frame_size, int32_t decode_fec)
{
    return opus_decode((OpusDecoder *)decoder, length > 0 ? packet : NULL, length, pcm, frame_size, decode_fec);
}

SHIM_EXPORT void sw_opus_shim_decoder_destroy(void *decoder)
{
    opus_decoder_destroy((OpusDecoder *)decoder);
}
