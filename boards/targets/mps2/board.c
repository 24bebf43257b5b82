/* SPDX-License-Identifier: MIT */
/* MPS2 board services for the microkernel port: clocks, cycle counter, a memory-fed audio path. */
#include "board.h"
#include "board_audio.h"
#include "sw_port.h"

#include <stddef.h>
#include <string.h>

uint32_t board_cpu_hz(void)
{
    return BOARD_SYSCLK_HZ;
}

uint32_t board_cycles_hz(void)
{
    return BOARD_SYSCLK_HZ;
}

/* QEMU models no codec on MPS2, so the "audio device" plays from and records into memory:
 * capture frames come from an attached buffer (test vectors linked into the image), one per
 * frame period of the tick clock, as a DMA interrupt would deliver them; playback is stored. */
static struct {
    const int16_t *capture;
    int32_t capture_len;
    int32_t capture_pos;
    int16_t *playback;
    int32_t playback_cap;
    int32_t playback_len;
    int32_t frame;
    uint32_t frame_us;
    uint64_t next_us;
    int started;
} s_audio;

void board_audio_attach(const int16_t *capture, int32_t capture_samples, int16_t *playback, int32_t playback_cap)
{
    uint32_t saved = sw_port_critical_enter();
    s_audio.capture = capture;
    s_audio.capture_len = capture_samples;
    s_audio.capture_pos = 0;
    s_audio.playback = playback;
    s_audio.playback_cap = playback_cap;
    s_audio.playback_len = 0;
    sw_port_critical_exit(saved);
}

int32_t board_audio_played(void)
{
    return s_audio.playback_len;
}

sw_port_status sw_port_audio_start(int32_t sample_rate_hz, int32_t frame_samples)
{
    if ((sample_rate_hz != 8000 && sample_rate_hz != 16000) || frame_samples <= 0 ||
        frame_samples > SW_PORT_AUDIO_MAX_FRAME) {
        return SW_PORT_E_INVALID_ARG;
    }
    if (s_audio.capture == NULL) {
        return SW_PORT_E_NOT_SUPPORTED;
    }
    s_audio.frame = frame_samples;
    s_audio.frame_us = (uint32_t)((int64_t)frame_samples * 1000000 / sample_rate_hz);
    s_audio.next_us = sw_port_time_now_us() + s_audio.frame_us;
    s_audio.started = 1;
    return SW_PORT_OK;
}

sw_port_status sw_port_audio_read(int16_t *out_pcm, int32_t samples, uint32_t timeout_ms)
{
    uint64_t now;
    if (out_pcm == NULL || samples != s_audio.frame) {
        return SW_PORT_E_INVALID_ARG;
    }
    if (!s_audio.started) {
        return SW_PORT_E_INVALID_STATE;
    }
    if (s_audio.capture_pos + samples > s_audio.capture_len) {
        return SW_PORT_E_IO; /* the recorded source has run out */
    }
    now = sw_port_time_now_us();
    if (s_audio.next_us > now) {
        uint64_t wait_us = s_audio.next_us - now;
        if (wait_us > (uint64_t)timeout_ms * 1000u) {
            return SW_PORT_E_TIMEOUT;
        }
        /* Time has tick resolution and a sleep of "at least n ms" ends on tick n + 1, so this
         * wakes exactly on the tick on which the frame is due. */
        sw_port_time_sleep_ms((uint32_t)((wait_us - 1u) / 1000u));
    }
    memcpy(out_pcm, s_audio.capture + s_audio.capture_pos, (size_t)samples * sizeof *out_pcm);
    s_audio.capture_pos += samples;
    s_audio.next_us += s_audio.frame_us;
    return SW_PORT_OK;
}

sw_port_status sw_port_audio_write(const int16_t *pcm, int32_t samples, uint32_t timeout_ms)
{
    (void)timeout_ms;
    if (pcm == NULL || samples != s_audio.frame) {
        return SW_PORT_E_INVALID_ARG;
    }
    if (!s_audio.started) {
        return SW_PORT_E_INVALID_STATE;
    }
    if (s_audio.playback_len + samples > s_audio.playback_cap) {
        return SW_PORT_E_IO;
    }
    memcpy(s_audio.playback + s_audio.playback_len, pcm, (size_t)samples * sizeof *pcm);
    s_audio.playback_len += samples;
    return SW_PORT_OK;
}

void sw_port_audio_stop(void)
{
    s_audio.started = 0;
}
