/* SPDX-License-Identifier: MIT */
/* The voice pipeline with echo cancellation and its deterministic integer test scenario. */
#include "voice_pipeline.h"

#include "sipwire/g711.h"

#include <string.h>

/* 1 ms bulk delay then 20 ms of decaying noise: 21 ms at 16 kHz, well inside the 64 ms tail. */
#define ROOM_MAX_TAPS 336
/* Q15 start amplitude of the response (0.25: the echo is about 8 dB below the far end). */
#define ROOM_AMP_Q15 8192
/* Q15 per-tap decay for 60 dB over the 20 ms: 10^(-3/160) = 0.957763 at 8 kHz,
 * 10^(-3/320) = 0.978646 at 16 kHz. */
#define ROOM_DECAY_8K_Q15 31384
#define ROOM_DECAY_16K_Q15 32068

static int16_t le16(const uint8_t *p)
{
    return (int16_t)(uint16_t)((uint16_t)p[0] | (uint16_t)((uint16_t)p[1] << 8));
}

static int16_t sat16(int64_t v)
{
    return (int16_t)(v > 32767 ? 32767 : (v < -32768 ? -32768 : v));
}

/* x / 2^15 rounded toward zero: the same on every compiler (a right shift of a negative value is
 * implementation-defined in C99, 6.5.7). */
static int64_t q15(int64_t x)
{
    return x >= 0 ? x / 32768 : -(-x / 32768);
}

static uint32_t lcg(uint32_t *seed)
{
    *seed = *seed * 1664525u + 1013904223u;
    return *seed;
}

/* Uniform in [-32768, 32767] from the top bits of the generator. */
static int32_t lcg_s16(uint32_t *seed)
{
    return (int32_t)(lcg(seed) >> 16) - 32768;
}

void voice_aec_config(int32_t rate, sw_aec_config *cfg)
{
    sw_aec_config_init(cfg);
    cfg->sample_rate = rate;
    cfg->tail_ms = VOICE_TAIL_MS;
    /* The handset's acoustic path is fixed and short: no bulk-delay search (and its state). */
    cfg->max_delay_ms = 0;
}

int32_t voice_far_payload(int32_t rate, const voice_vectors *v, int32_t f, uint8_t *payload)
{
    if (rate == 16000) {
        int32_t frames = v->g722_len / 80;
        memcpy(payload, v->g722 + (f % frames) * 80, 80);
        return 80;
    } else {
        /* 8 kHz far end: the 16 kHz speech averaged in pairs, mu-law coded (ITU-T G.711). */
        int32_t pairs = v->speech16k_len / 4;
        int16_t pcm[80];
        int32_t j;
        for (j = 0; j < 80; j++) {
            int32_t i = (f * 80 + j) % pairs;
            pcm[j] = (int16_t)(((int32_t)le16(v->speech16k + 4 * i) + le16(v->speech16k + 4 * i + 2)) / 2);
        }
        sw_g711_ulaw_encode(pcm, payload, 80);
        return 80;
    }
}

void voice_scenario_build(int32_t rate, const voice_vectors *v, int16_t *mic, int16_t *echo, int16_t *near)
{
    const int32_t frame = rate / 100;
    const int32_t bulk = rate / 1000;
    const int32_t taps = bulk + rate / 50;
    const int32_t decay = rate == 16000 ? ROOM_DECAY_16K_Q15 : ROOM_DECAY_8K_Q15;
    int16_t h[ROOM_MAX_TAPS];
    int16_t hist[ROOM_MAX_TAPS - 1 + VOICE_MAX_FRAME];
    int16_t far[VOICE_MAX_FRAME];
    uint8_t payload[80];
    sw_g722_decoder dec;
    uint32_t seed = 0x5157u;
    int32_t amp = ROOM_AMP_Q15;
    int32_t ar = 0;
    int32_t k, f, j;

    for (k = 0; k < taps; k++) {
        if (k < bulk) {
            h[k] = 0;
        } else {
            h[k] = (int16_t)q15((int64_t)lcg_s16(&seed) * amp);
            amp = (int32_t)q15((int64_t)amp * decay);
        }
    }
    memset(hist, 0, sizeof hist);
    sw_g722_decoder_init(&dec);
    for (f = 0; f < VOICE_FRAMES; f++) {
        voice_far_payload(rate, v, f, payload);
        if (rate == 16000) {
            sw_g722_decode(&dec, payload, far, 80);
        } else {
            sw_g711_ulaw_decode(payload, far, 80);
        }
        memmove(hist, hist + frame, sizeof(int16_t) * (size_t)(taps - 1));
        memcpy(hist + taps - 1, far, sizeof(int16_t) * (size_t)frame);
        for (j = 0; j < frame; j++) {
            const int32_t n = f * frame + j;
            int64_t e = 0;
            int32_t nr;
            for (k = 0; k < taps; k++) {
                e += (int64_t)h[k] * hist[taps - 1 + j - k];
            }
            /* Noise floor about -66 dBFS. */
            nr = lcg_s16(&seed) / 2048;
            /* Near-end talker: AR(1) noise (pole 0.9) under a 4 Hz triangular syllable envelope. */
            ar = (int32_t)q15((int64_t)ar * 29491) + lcg_s16(&seed) / 8;
            if (f >= VOICE_DT_FIRST && f < VOICE_DT_END) {
                const int32_t period = rate / 4;
                int32_t pos = n % period;
                int32_t env = 8192 + (pos < period / 2 ? pos : period - pos) * 2 * 24575 / period;
                nr += (int32_t)q15((int64_t)ar * env);
            }
            echo[n] = sat16(q15(e));
            near[n] = sat16(nr);
            mic[n] = sat16((int64_t)echo[n] + near[n]);
        }
    }
}

int32_t voice_channel_init(voice_channel *ch, int32_t rate, void *aec_mem, int32_t aec_size)
{
    sw_aec_config cfg;
    ch->rate = rate;
    ch->frame = rate / 100;
    sw_g722_encoder_init(&ch->enc);
    sw_g722_decoder_init(&ch->dec);
    voice_aec_config(rate, &cfg);
    return sw_aec_init(aec_mem, aec_size, &cfg, &ch->aec);
}

static uint32_t no_clock(void)
{
    return 0;
}

void voice_channel_frame(voice_channel *ch, const uint8_t *payload, const int16_t *mic, int16_t *far,
                         int16_t *out, uint8_t *tx, uint32_t (*now)(void), uint32_t counts[VOICE_STAGE_COUNT])
{
    uint32_t (*clock)(void) = now != NULL ? now : no_clock;
    uint32_t t0, t1, t2, t3;

    /* Receive path: (RTP) -> decoder -> speaker (and the canceller's reference). */
    t0 = clock();
    if (ch->rate == 16000) {
        sw_g722_decode(&ch->dec, payload, far, 80);
    } else {
        sw_g711_ulaw_decode(payload, far, ch->frame);
    }
    /* Transmit path: microphone -> echo canceller -> encoder -> (RTP). */
    t1 = clock();
    sw_aec_process(ch->aec, mic, far, out);
    t2 = clock();
    if (ch->rate == 16000) {
        sw_g722_encode(&ch->enc, out, tx, ch->frame);
    } else {
        sw_g711_ulaw_encode(out, tx, ch->frame);
    }
    t3 = clock();
    if (counts != NULL) {
        counts[VOICE_STAGE_DECODE] = t1 - t0;
        counts[VOICE_STAGE_AEC] = t2 - t1;
        counts[VOICE_STAGE_ENCODE] = t3 - t2;
    }
}

void voice_measure(int32_t rate, int32_t latency, int32_t n0, int32_t n1, const int16_t *echo, const int16_t *near,
                   const int16_t *out, voice_metrics *m)
{
    const int32_t frame = rate / 100;
    int32_t n;
    for (n = n0 > latency ? n0 : latency; n < n1; n++) {
        const int32_t i = n - latency;
        const int32_t f = i / frame;
        const int64_t o = out[n];
        if (f >= VOICE_DT_FIRST && f < VOICE_DT_END) {
            m->near_dt += (uint64_t)((int64_t)near[i] * near[i]);
            m->out_dt += (uint64_t)(o * o);
        } else if (f >= VOICE_ERLE_FIRST) {
            m->echo_st += (uint64_t)((int64_t)echo[i] * echo[i]);
            m->residual_st += (uint64_t)(o * o);
        }
    }
}
