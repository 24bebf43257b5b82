/* SPDX-License-Identifier: MIT */
/* Test vectors linked into the bare-metal image (generated from tests/vectors at build time). */
#ifndef MEDIA_VECTORS_H
#define MEDIA_VECTORS_H

#include <stdint.h>

/* G.711 (tests/vectors/g711, ITU-T G.191 oracle): every 16-bit PCM value, its mu-law and A-law. */
extern const uint8_t sw_vec_g711_pcm_all_s16le[];
extern const int32_t sw_vec_g711_pcm_all_s16le_len;
extern const uint8_t sw_vec_g711_pcm_all_ulaw[];
extern const int32_t sw_vec_g711_pcm_all_ulaw_len;
extern const uint8_t sw_vec_g711_pcm_all_alaw[];
extern const int32_t sw_vec_g711_pcm_all_alaw_len;
/* The G.191 expansion of every code 0..255, as s16le. */
extern const uint8_t sw_vec_g711_codes_all_ulaw_s16le[];
extern const uint8_t sw_vec_g711_codes_all_alaw_s16le[];

/* G.722 (tests/vectors/g722, SpanDSP oracle): speech-like input, its encoding, their decoding. */
extern const uint8_t sw_vec_g722_speech_like_s16le[];
extern const int32_t sw_vec_g722_speech_like_s16le_len;
extern const uint8_t sw_vec_g722_speech_like_g722[];
extern const int32_t sw_vec_g722_speech_like_g722_len;
extern const uint8_t sw_vec_g722_speech_like_decoded_s16le[];
extern const int32_t sw_vec_g722_speech_like_decoded_s16le_len;

#endif
