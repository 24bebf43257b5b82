/* SPDX-License-Identifier: MIT */
/* What the bare-metal voice pipeline must reproduce: the host build's output (voice_expect_gen.c). */
#ifndef VOICE_EXPECT_H
#define VOICE_EXPECT_H

#include "voice_pipeline.h"

#include <stdint.h>

/* Canceller output (int16 PCM) and encoded transmit payload of every frame, 8 kHz (G.711 mu-law)
 * and 16 kHz (G.722). */
extern const int16_t voice_expect_out_8k[VOICE_FRAMES * 80];
extern const uint8_t voice_expect_tx_8k[VOICE_FRAMES * 80];
extern const int16_t voice_expect_out_16k[VOICE_FRAMES * 160];
extern const uint8_t voice_expect_tx_16k[VOICE_FRAMES * 80];

#endif
