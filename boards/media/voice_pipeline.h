/* SPDX-License-Identifier: MIT */
/* The voice pipeline with echo cancellation (decode -> AEC -> encode) and its deterministic test
 * scenario, shared by the bare-metal media task and the host program that makes its expectations. */
#ifndef VOICE_PIPELINE_H
#define VOICE_PIPELINE_H

#include "sipwire/aec.h"
#include "sipwire/g722.h"

#include <stdint.h>

/** Frames of 10 ms in one scenario run (4 s). */
#define VOICE_FRAMES 400
/** Largest frame (16 kHz). */
#define VOICE_MAX_FRAME 160
/** Echo tail of the canceller, ms (the sizing point). */
#define VOICE_TAIL_MS 64
/** Frames [VOICE_DT_FIRST, VOICE_DT_END) carry a near-end talker (double talk). */
#define VOICE_DT_FIRST 250
#define VOICE_DT_END 320
/** ERLE is measured over single-talk frames from here on (after 1.5 s of convergence). */
#define VOICE_ERLE_FIRST 150

/** Timed stages of one frame. */
enum { VOICE_STAGE_DECODE, VOICE_STAGE_AEC, VOICE_STAGE_ENCODE, VOICE_STAGE_COUNT };

/** The compiled-in far-end material (tests/vectors/g722, SpanDSP oracle). */
typedef struct voice_vectors {
    const uint8_t *g722;          /**< speech_like.g722: 64 kbit/s G.722, 80 octets per 10 ms */
    int32_t g722_len;
    const uint8_t *speech16k;     /**< speech_like.s16le: 16 kHz PCM */
    int32_t speech16k_len;
} voice_vectors;

/** One channel: 8000 Hz = G.711 mu-law, 16000 Hz = G.722; the AEC state is the caller's. */
typedef struct voice_channel {
    int32_t rate;
    int32_t frame;
    sw_g722_encoder enc;
    sw_g722_decoder dec;
    sw_aec *aec;
} voice_channel;

/** Integer energies over the scenario (sums of squares of samples). */
typedef struct voice_metrics {
    uint64_t echo_st;      /**< echo in the microphone, single-talk frames >= VOICE_ERLE_FIRST */
    uint64_t residual_st;  /**< canceller output over the same samples */
    uint64_t near_dt;      /**< near-end talker in the microphone, double-talk frames */
    uint64_t out_dt;       /**< canceller output over the same samples */
} voice_metrics;

/** Pass marks (integer, so host and target decide alike): ERLE >= 30 dB in single talk after
 * convergence (the host build measures 43.0 dB at 8 kHz, 53.0 dB at 16 kHz); in double talk the
 * output keeps the near end within 6 dB (host: -4.2 dB / -2.8 dB), i.e. it is not suppressed.
 * The talker comes 2.5 s into the call, while the suppressor has learned little of the echo path,
 * which costs more than the steady-state double talk of AecEval (-0.2...-0.6 dB). */
#define VOICE_ERLE_OK(m) ((m).echo_st >= 1000u * (m).residual_st)
#define VOICE_DT_OK(m) (4u * (m).out_dt >= (m).near_dt)

/** AEC settings of the pipeline: @p rate, VOICE_TAIL_MS tail, no delay search (fixed echo path). */
void voice_aec_config(int32_t rate, sw_aec_config *cfg);

/** Far-end RTP payload of frame @p f (G.711 mu-law of the decimated speech, or the G.722 vector). */
int32_t voice_far_payload(int32_t rate, const voice_vectors *v, int32_t f, uint8_t *payload);

/**
 * Builds the microphone signal of VOICE_FRAMES frames: the decoded far end through a synthetic
 * room (a 1 ms bulk delay then a 20 ms exponentially decaying noise response, integer Q15), plus a
 * low noise floor and, in the double-talk frames, a near-end talker. Integer only, so every
 * target produces the same samples. @p echo and @p near receive the two components.
 */
void voice_scenario_build(int32_t rate, const voice_vectors *v, int16_t *mic, int16_t *echo, int16_t *near);

/** @return SW_AEC_OK, or the AEC's error (@p aec_mem too small or misaligned). */
int32_t voice_channel_init(voice_channel *ch, int32_t rate, void *aec_mem, int32_t aec_size);

/**
 * One 10 ms frame: @p payload -> decode -> far (played) ; @p mic, far -> AEC -> out -> encode -> @p tx.
 * When @p now is given, counts[stage] receives its elapsed ticks per stage.
 */
void voice_channel_frame(voice_channel *ch, const uint8_t *payload, const int16_t *mic, int16_t *far,
                         int16_t *out, uint8_t *tx, uint32_t (*now)(void), uint32_t counts[VOICE_STAGE_COUNT]);

/**
 * Adds to @p m the energies of the scenario's echo/near components and of the canceller output
 * over output samples [@p n0, @p n1) (out[n] is the cancelled mic[n - latency]). Start from a
 * zeroed @p m; call per frame or once for the whole run.
 */
void voice_measure(int32_t rate, int32_t latency, int32_t n0, int32_t n1, const int16_t *echo, const int16_t *near,
                   const int16_t *out, voice_metrics *m);

#endif
