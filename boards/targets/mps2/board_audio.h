/* SPDX-License-Identifier: MIT */
/* MPS2 memory-fed audio path: what the media task records from and plays into under QEMU. */
#ifndef BOARD_AUDIO_H
#define BOARD_AUDIO_H

#include <stdint.h>

/**
 * @brief Attaches the capture source and the playback sink used by sw_port_audio_read/write.
 * @param capture samples handed out frame by frame, one per frame period; @param capture_samples count.
 * @param playback buffer receiving played frames; @param playback_cap its size in samples.
 */
void board_audio_attach(const int16_t *capture, int32_t capture_samples, int16_t *playback, int32_t playback_cap);

/** @brief Samples played so far. */
int32_t board_audio_played(void);

#endif
