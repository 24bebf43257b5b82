/* SPDX-License-Identifier: MIT */
/* The media task on bare metal (QEMU mps2-an386, microkernel): 10 ms voice frames through G.711
 * and G.722 from vectors linked into the image, checked bit-exact against the vectors' oracles
 * (ITU-T G.191, SpanDSP); then, with an FPU, the voice pipeline decode -> echo canceller -> encode
 * at 8 kHz (G.711) and 16 kHz (G.722) on a synthetic echo path, checked bit-exact against the
 * host build of the same C (voice_expect_gen.c) and for ERLE; all while a signaling task and a
 * transaction task exchange messages with timing checks. Prints instructions per 10 ms frame per
 * kernel and RAM per channel. */
#include "board.h"
#include "board_audio.h"
#include "media_vectors.h"
#include "voice_expect.h"
#include "voice_pipeline.h"
#include "sw_port.h"
#include "sw_test.h"

#include "sipwire/g711.h"
#include "sipwire/g722.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The float echo canceller runs where the core has a single-precision FPU (Cortex-M4F); on a
 * Cortex-M3 its soft-float cost exceeds the 10 ms frame, so that phase is left out there. */
#if defined(__ARM_FP) && (__ARM_FP & 4)
#define MEDIA_AEC 1
#else
#define MEDIA_AEC 0
#endif

/* Under qemu-mps2.sh --icount one instruction takes 8 ns of virtual time and the cycle timer
 * counts at 25 MHz (40 ns), so one count is 5 instructions. */
#define INSNS_PER_COUNT 5u

#define G711_RATE 8000
#define G711_FRAME 80
#define G722_RATE 16000
#define G722_FRAME 160
#define MAX_SAMPLES 65536

static uint64_t s_media_stack[4096 / 8];
static uint64_t s_signaling_stack[2048 / 8];
static uint64_t s_transaction_stack[2048 / 8];
static sw_port_task_t s_media, s_signaling, s_transaction;

/* Microphone signals, converted from the s16le vectors before the scheduler starts, so that the
 * tasks' timing is that of steady-state frame processing. */
static int16_t s_capture_g711[MAX_SAMPLES];
static int16_t s_capture_g722[MAX_SAMPLES];
static int16_t s_played[MAX_SAMPLES];

static int16_t le16(const uint8_t *p)
{
    /* Wire PCM is little-endian: assemble by byte so the order of the host does not matter. */
    return (int16_t)(uint16_t)((uint16_t)p[0] | (uint16_t)((uint16_t)p[1] << 8));
}

/* ---- cycle statistics ---- */
typedef struct kernel_stat {
    const char *name;
    uint32_t frames;
    uint32_t min;
    uint32_t max;
    uint64_t total;
} kernel_stat;

enum {
    K_ULAW_ENC, K_ULAW_DEC, K_ALAW_ENC, K_ALAW_DEC, K_G722_ENC, K_G722_DEC,
#if MEDIA_AEC
    K_AEC_8K, K_PIPE_8K, K_AEC_16K, K_PIPE_16K,
#endif
    K_COUNT
};
static kernel_stat s_stats[K_COUNT] = {
    {"G.711 mu-law encode (8 kHz, 80 samples)", 0, 0xFFFFFFFFu, 0, 0},
    {"G.711 mu-law decode (8 kHz, 80 samples)", 0, 0xFFFFFFFFu, 0, 0},
    {"G.711 A-law encode (8 kHz, 80 samples)", 0, 0xFFFFFFFFu, 0, 0},
    {"G.711 A-law decode (8 kHz, 80 samples)", 0, 0xFFFFFFFFu, 0, 0},
    {"G.722 encode (16 kHz, 160 samples)", 0, 0xFFFFFFFFu, 0, 0},
    {"G.722 decode (16 kHz, 160 samples)", 0, 0xFFFFFFFFu, 0, 0},
#if MEDIA_AEC
    {"echo canceller (8 kHz, 64 ms tail, 80 samples)", 0, 0xFFFFFFFFu, 0, 0},
    {"pipeline G.711 decode + AEC + encode (8 kHz)", 0, 0xFFFFFFFFu, 0, 0},
    {"echo canceller (16 kHz, 64 ms tail, 160 samples)", 0, 0xFFFFFFFFu, 0, 0},
    {"pipeline G.722 decode + AEC + encode (16 kHz)", 0, 0xFFFFFFFFu, 0, 0},
#endif
};

static void stat_add(int k, uint32_t counts)
{
    uint32_t insns = counts * INSNS_PER_COUNT;
    kernel_stat *s = &s_stats[k];
    s->frames++;
    s->total += insns;
    if (insns < s->min) {
        s->min = insns;
    }
    if (insns > s->max) {
        s->max = insns;
    }
}

/* ---- signaling: a periodic task sends "messages" to a transaction task and checks timing ---- */
#define SIG_PERIOD_MS 5u
#define SIG_MSG_BYTES 512u
typedef struct sig_msg {
    uint32_t seq;
    uint32_t hash;
    uint64_t sent_us;
} sig_msg;
static sw_port_queue_t s_to_transaction, s_to_signaling;
static sig_msg s_to_transaction_buf[4], s_to_signaling_buf[4];
static uint8_t s_sig_text[SIG_MSG_BYTES];
static volatile int s_media_done;
static uint32_t s_sig_sent, s_sig_ok, s_sig_late, s_sig_slow;
static uint64_t s_sig_max_rtt_us, s_sig_max_late_us;
/* Longest busy stretch of the media task in one frame: the signaling task (lower priority) may
 * wait that long, plus two ticks, before it runs. */
static volatile uint32_t s_media_max_busy_us;

static uint32_t fnv1a(const uint8_t *p, uint32_t n, uint32_t seed)
{
    uint32_t h = 2166136261u ^ seed;
    uint32_t i;
    for (i = 0; i < n; i++) {
        h = (h ^ p[i]) * 16777619u;
    }
    return h;
}

static void transaction_task(void *arg)
{
    sig_msg m;
    (void)arg;
    for (;;) {
        if (sw_port_queue_receive(&s_to_transaction, &m, SW_PORT_WAIT_FOREVER) != SW_PORT_OK) {
            return;
        }
        /* "Parse" the message: the reply carries the hash computed on this side. */
        m.hash = fnv1a(s_sig_text, SIG_MSG_BYTES, m.seq);
        sw_port_queue_send(&s_to_signaling, &m, SW_PORT_WAIT_FOREVER);
    }
}

static void signaling_task(void *arg)
{
    uint64_t next = sw_port_time_now_us() + SIG_PERIOD_MS * 1000u;
    uint32_t i;
    (void)arg;
    for (i = 0; i < SIG_MSG_BYTES; i++) {
        s_sig_text[i] = (uint8_t)("INVITE sip:bob@example.com SIP/2.0\r\n"[i % 36u]);
    }
    while (!s_media_done) {
        sig_msg m, reply;
        uint64_t now = sw_port_time_now_us();
        uint64_t rtt;
        if (next > now) {
            sw_port_time_sleep_ms((uint32_t)((next - now - 1u) / 1000u));
            now = sw_port_time_now_us();
        }
        if (now > next && now - next > s_sig_max_late_us) {
            s_sig_max_late_us = now - next;
        }
        /* Period kept within two ticks of what the higher-priority media task's longest frame
         * allows (2 ms for the codecs alone). */
        if (now > next + 2000u + s_media_max_busy_us) {
            s_sig_late++;
        }
        next += SIG_PERIOD_MS * 1000u;
        m.seq = s_sig_sent++;
        m.hash = 0;
        m.sent_us = now;
        if (sw_port_queue_send(&s_to_transaction, &m, 20) != SW_PORT_OK ||
            sw_port_queue_receive(&s_to_signaling, &reply, 20) != SW_PORT_OK) {
            continue;
        }
        rtt = sw_port_time_now_us() - m.sent_us;
        if (rtt > s_sig_max_rtt_us) {
            s_sig_max_rtt_us = rtt;
        }
        if (rtt > 2000u + s_media_max_busy_us) {
            s_sig_slow++;
        }
        if (reply.seq == m.seq && reply.hash == fnv1a(s_sig_text, SIG_MSG_BYTES, m.seq)) {
            s_sig_ok++;
        }
    }
}

/* ---- media ---- */
static uint32_t s_overruns;

static void frame_deadline_check(uint64_t frame_start_us, uint32_t frame_us)
{
    /* The frame's work must end before the next frame is captured. */
    uint64_t busy = sw_port_time_now_us() - frame_start_us;
    if (busy >= frame_us) {
        s_overruns++;
    }
    if (busy > s_media_max_busy_us) {
        s_media_max_busy_us = (uint32_t)busy;
    }
}

static void run_g711(void)
{
    const int32_t frames = sw_vec_g711_pcm_all_s16le_len / 2 / G711_FRAME;
    int32_t f, i, bad_ulaw = 0, bad_alaw = 0, bad_rx = 0;
    int16_t pcm[G711_FRAME], out[G711_FRAME];
    uint8_t ulaw[G711_FRAME], alaw[G711_FRAME];

    board_audio_attach(s_capture_g711, frames * G711_FRAME, s_played, MAX_SAMPLES);
    SW_CHECK(sw_port_audio_start(G711_RATE, G711_FRAME) == SW_PORT_OK);
    for (f = 0; f < frames; f++) {
        uint32_t c0;
        uint64_t start;
        const uint8_t *rx_codes = sw_vec_g711_pcm_all_ulaw + f * G711_FRAME;
        if (sw_port_audio_read(pcm, G711_FRAME, 100) != SW_PORT_OK) {
            SW_CHECK(0);
            break;
        }
        start = sw_port_time_now_us();
        /* Transmit path: microphone -> encoder -> (RTP). */
        c0 = sw_port_cycles_now();
        sw_g711_ulaw_encode(pcm, ulaw, G711_FRAME);
        stat_add(K_ULAW_ENC, sw_port_cycles_now() - c0);
        c0 = sw_port_cycles_now();
        sw_g711_alaw_encode(pcm, alaw, G711_FRAME);
        stat_add(K_ALAW_ENC, sw_port_cycles_now() - c0);
        bad_ulaw += memcmp(ulaw, sw_vec_g711_pcm_all_ulaw + f * G711_FRAME, G711_FRAME) != 0;
        bad_alaw += memcmp(alaw, sw_vec_g711_pcm_all_alaw + f * G711_FRAME, G711_FRAME) != 0;
        /* Receive path: (RTP) -> decoder -> speaker. No native echo canceller exists yet
         * (native/src/aec.c); it would run between capture and encode. */
        c0 = sw_port_cycles_now();
        sw_g711_ulaw_decode(rx_codes, out, G711_FRAME);
        stat_add(K_ULAW_DEC, sw_port_cycles_now() - c0);
        for (i = 0; i < G711_FRAME; i++) {
            bad_rx += out[i] != le16(sw_vec_g711_codes_all_ulaw_s16le + 2 * rx_codes[i]);
        }
        c0 = sw_port_cycles_now();
        sw_g711_alaw_decode(sw_vec_g711_pcm_all_alaw + f * G711_FRAME, out, G711_FRAME);
        stat_add(K_ALAW_DEC, sw_port_cycles_now() - c0);
        for (i = 0; i < G711_FRAME; i++) {
            bad_rx += out[i] != le16(sw_vec_g711_codes_all_alaw_s16le + 2 * sw_vec_g711_pcm_all_alaw[f * G711_FRAME + i]);
        }
        SW_CHECK(sw_port_audio_write(out, G711_FRAME, 100) == SW_PORT_OK);
        frame_deadline_check(start, 10000u);
    }
    sw_port_audio_stop();
    printf("G.711: %d frames of 10 ms; mismatching frames: mu-law tx %d, A-law tx %d, rx samples %d\n",
           (int)frames, (int)bad_ulaw, (int)bad_alaw, (int)bad_rx);
    SW_CHECK(frames == 819);
    SW_CHECK(bad_ulaw == 0);
    SW_CHECK(bad_alaw == 0);
    SW_CHECK(bad_rx == 0);
    SW_CHECK(board_audio_played() == frames * G711_FRAME);
}

static sw_g722_encoder s_g722_enc;
static sw_g722_decoder s_g722_dec;

static void run_g722(void)
{
    const int32_t frames = sw_vec_g722_speech_like_s16le_len / 2 / G722_FRAME;
    const int32_t bytes = G722_FRAME / 2;
    int32_t f, i, bad_tx = 0, bad_rx = 0;
    int16_t pcm[G722_FRAME], out[G722_FRAME];
    uint8_t codes[G722_FRAME / 2];

    SW_CHECK(sw_g722_encoder_init(&s_g722_enc) == SW_G722_OK);
    SW_CHECK(sw_g722_decoder_init(&s_g722_dec) == SW_G722_OK);
    board_audio_attach(s_capture_g722, frames * G722_FRAME, s_played, MAX_SAMPLES);
    SW_CHECK(sw_port_audio_start(G722_RATE, G722_FRAME) == SW_PORT_OK);
    for (f = 0; f < frames; f++) {
        uint32_t c0;
        uint64_t start;
        if (sw_port_audio_read(pcm, G722_FRAME, 100) != SW_PORT_OK) {
            SW_CHECK(0);
            break;
        }
        start = sw_port_time_now_us();
        c0 = sw_port_cycles_now();
        sw_g722_encode(&s_g722_enc, pcm, codes, G722_FRAME);
        stat_add(K_G722_ENC, sw_port_cycles_now() - c0);
        bad_tx += memcmp(codes, sw_vec_g722_speech_like_g722 + f * bytes, (size_t)bytes) != 0;
        c0 = sw_port_cycles_now();
        sw_g722_decode(&s_g722_dec, sw_vec_g722_speech_like_g722 + f * bytes, out, bytes);
        stat_add(K_G722_DEC, sw_port_cycles_now() - c0);
        for (i = 0; i < G722_FRAME; i++) {
            bad_rx += out[i] != le16(sw_vec_g722_speech_like_decoded_s16le + 2 * (f * G722_FRAME + i));
        }
        SW_CHECK(sw_port_audio_write(out, G722_FRAME, 100) == SW_PORT_OK);
        frame_deadline_check(start, 10000u);
    }
    sw_port_audio_stop();
    printf("G.722: %d frames of 10 ms; mismatching tx frames %d, rx samples %d\n", (int)frames, (int)bad_tx,
           (int)bad_rx);
    SW_CHECK(frames == 300);
    SW_CHECK(bad_tx == 0);
    SW_CHECK(bad_rx == 0);
    SW_CHECK(board_audio_played() == frames * G722_FRAME);
}

#if MEDIA_AEC
/* ---- voice pipeline with echo cancellation ---- */

/* The RAM budget per channel: G.711 (stateless) + AEC state must fit in 64 KiB. */
#define AEC_RAM_BUDGET 65536
static uint64_t s_aec_mem_8k[AEC_RAM_BUDGET / 8 + 2], s_aec_mem_16k[AEC_RAM_BUDGET / 8 + 2];
static int16_t s_voice_mic_8k[VOICE_FRAMES * 80], s_voice_echo_8k[VOICE_FRAMES * 80], s_voice_near_8k[VOICE_FRAMES * 80];
static int16_t s_voice_mic_16k[VOICE_FRAMES * 160], s_voice_echo_16k[VOICE_FRAMES * 160],
    s_voice_near_16k[VOICE_FRAMES * 160];
static int16_t s_voice_out[VOICE_FRAMES * VOICE_MAX_FRAME];
static voice_channel s_voice_8k, s_voice_16k;
static voice_vectors s_voice_vectors;
static int32_t s_aec_size_16k;
static uint32_t s_aec_init_insns[2];

static uint32_t cycles_now(void)
{
    return sw_port_cycles_now();
}

static void run_voice_aec(int32_t rate)
{
    const int32_t frame = rate / 100;
    const int16_t *mic = rate == 16000 ? s_voice_mic_16k : s_voice_mic_8k;
    const int16_t *expect_out = rate == 16000 ? voice_expect_out_16k : voice_expect_out_8k;
    const uint8_t *expect_tx = rate == 16000 ? voice_expect_tx_16k : voice_expect_tx_8k;
    const int k_aec = rate == 16000 ? K_AEC_16K : K_AEC_8K;
    voice_channel *ch = rate == 16000 ? &s_voice_16k : &s_voice_8k;
    const int16_t *echo = rate == 16000 ? s_voice_echo_16k : s_voice_echo_8k;
    const int16_t *near = rate == 16000 ? s_voice_near_16k : s_voice_near_8k;
    const int32_t latency = sw_aec_get_latency(ch->aec);
    int32_t size = 0, f, i, bad_out = 0, bad_tx = 0, first_bad = -1, max_diff = 0;
    sw_aec_config cfg;
    voice_metrics m;

    memset(&m, 0, sizeof m);
    voice_aec_config(rate, &cfg);
    SW_CHECK(sw_aec_get_size(&cfg, &size) == SW_AEC_OK);
    board_audio_attach(mic, VOICE_FRAMES * frame, s_played, MAX_SAMPLES);
    SW_CHECK(sw_port_audio_start(rate, frame) == SW_PORT_OK);
    for (f = 0; f < VOICE_FRAMES; f++) {
        int16_t pcm[VOICE_MAX_FRAME], far[VOICE_MAX_FRAME];
        uint8_t payload[80], tx[80];
        uint32_t counts[VOICE_STAGE_COUNT];
        uint64_t start;
        int16_t *out = s_voice_out + f * frame;
        if (sw_port_audio_read(pcm, frame, 100) != SW_PORT_OK) {
            SW_CHECK(0);
            break;
        }
        start = sw_port_time_now_us();
        voice_far_payload(rate, &s_voice_vectors, f, payload); /* the RTP packet of this frame */
        voice_channel_frame(ch, payload, pcm, far, out, tx, cycles_now, counts);
        stat_add(k_aec, counts[VOICE_STAGE_AEC]);
        stat_add(k_aec + 1, counts[VOICE_STAGE_DECODE] + counts[VOICE_STAGE_AEC] + counts[VOICE_STAGE_ENCODE]);
        SW_CHECK(sw_port_audio_write(far, frame, 100) == SW_PORT_OK);
        /* Checks and ERLE bookkeeping frame by frame, inside the frame's budget. */
        voice_measure(rate, latency, f * frame, (f + 1) * frame, echo, near, s_voice_out, &m);
        for (i = 0; i < frame; i++) {
            int32_t d = out[i] - expect_out[f * frame + i];
            d = d < 0 ? -d : d;
            if (d != 0) {
                bad_out++;
                max_diff = d > max_diff ? d : max_diff;
                first_bad = first_bad < 0 ? f : first_bad;
            }
        }
        bad_tx += memcmp(tx, expect_tx + f * 80, 80) != 0;
        frame_deadline_check(start, 10000u);
    }
    sw_port_audio_stop();
    printf("AEC %d Hz (%s), %d ms tail, %d B state: %d frames; samples differing from the host build %d "
           "(max |diff| %d, first frame %d), tx frames differing %d; ERLE %.1f dB, near end %.1f dB in double talk\n",
           (int)rate, rate == 16000 ? "G.722" : "G.711 mu-law", VOICE_TAIL_MS, (int)size, (int)VOICE_FRAMES,
           (int)bad_out, (int)max_diff, (int)first_bad, (int)bad_tx,
           10.0 * log10((double)m.echo_st / (double)(m.residual_st + 1u)),
           10.0 * log10((double)m.out_dt / (double)(m.near_dt + 1u)));
    SW_CHECK(bad_out == 0);
    SW_CHECK(bad_tx == 0);
    SW_CHECK(VOICE_ERLE_OK(m));
    SW_CHECK(VOICE_DT_OK(m));
    SW_CHECK(board_audio_played() == VOICE_FRAMES * frame);
}

/* Channel set-up happens at call set-up, not in the frame loop: sw_aec_init computes its window
 * and FFT twiddles in double precision, which the single-precision FPU of the M4F does in software. */
static void voice_channel_setup(int32_t rate, voice_channel *ch, uint64_t *mem_words, uint32_t *init_insns)
{
    void *mem = (void *)(((uintptr_t)mem_words + 15u) & ~(uintptr_t)15u);
    sw_aec_config cfg;
    int32_t size = 0;
    uint32_t c0;
    voice_aec_config(rate, &cfg);
    SW_CHECK(sw_aec_get_size(&cfg, &size) == SW_AEC_OK);
    SW_CHECK(size > 0 && size <= AEC_RAM_BUDGET);
    if (rate == 16000) {
        s_aec_size_16k = size;
    }
    c0 = sw_port_cycles_now();
    SW_CHECK(voice_channel_init(ch, rate, mem, size) == SW_AEC_OK);
    *init_insns = (sw_port_cycles_now() - c0) * INSNS_PER_COUNT;
}

static void voice_aec_prepare(void)
{
    s_voice_vectors.g722 = sw_vec_g722_speech_like_g722;
    s_voice_vectors.g722_len = sw_vec_g722_speech_like_g722_len;
    s_voice_vectors.speech16k = sw_vec_g722_speech_like_s16le;
    s_voice_vectors.speech16k_len = sw_vec_g722_speech_like_s16le_len;
    voice_scenario_build(8000, &s_voice_vectors, s_voice_mic_8k, s_voice_echo_8k, s_voice_near_8k);
    voice_scenario_build(16000, &s_voice_vectors, s_voice_mic_16k, s_voice_echo_16k, s_voice_near_16k);
    voice_channel_setup(8000, &s_voice_8k, s_aec_mem_8k, &s_aec_init_insns[0]);
    voice_channel_setup(16000, &s_voice_16k, s_aec_mem_16k, &s_aec_init_insns[1]);
}
#endif

static void media_task(void *arg)
{
    uint64_t t0 = sw_port_time_now_us();
    int k;
    (void)arg;

    run_g711();
    run_g722();
#if MEDIA_AEC
    run_voice_aec(8000);
    run_voice_aec(16000);
#else
    printf("AEC pipeline: not run on this core (no FPU: the float canceller exceeds the 10 ms frame in soft float)\n");
#endif
    s_media_done = 1;
    sw_port_time_sleep_ms(20);

    printf("media: %u us of virtual time, %u frame overruns\n", (unsigned)(sw_port_time_now_us() - t0),
           (unsigned)s_overruns);
    SW_CHECK(s_overruns == 0u);
    printf("signaling: %u sent, %u answered correctly, %u late wake-ups (max %u us), %u slow round trips (max %u us); "
           "longest media frame %u us\n",
           (unsigned)s_sig_sent, (unsigned)s_sig_ok, (unsigned)s_sig_late, (unsigned)s_sig_max_late_us,
           (unsigned)s_sig_slow, (unsigned)s_sig_max_rtt_us, (unsigned)s_media_max_busy_us);
    /* 11.2 s of codec frames (19.2 s with the AEC pipeline) at one message per 5 ms. */
    SW_CHECK(s_sig_sent >= 2000u);
    SW_CHECK(s_sig_ok == s_sig_sent);
    SW_CHECK(s_sig_late == 0u);
    SW_CHECK(s_sig_slow == 0u);

    printf("\nInstructions per 10 ms frame (QEMU -icount: instruction counts, not cycles)\n");
    printf("| kernel | frames | min | mean | max |\n|---|---:|---:|---:|---:|\n");
    for (k = 0; k < K_COUNT; k++) {
        const kernel_stat *s = &s_stats[k];
        printf("| %s | %u | %u | %u | %u |\n", s->name, (unsigned)s->frames, (unsigned)s->min,
               (unsigned)(s->frames != 0u ? s->total / s->frames : 0u), (unsigned)s->max);
        SW_CHECK(s->frames > 0u && s->min > 0u);
    }
    printf("\nRAM per channel: G.711 0 B (stateless), G.722 encoder %u B + decoder %u B\n",
           (unsigned)sizeof(sw_g722_encoder), (unsigned)sizeof(sw_g722_decoder));
#if MEDIA_AEC
    printf("RAM per channel: G.711 + AEC (16 kHz, 64 ms tail, no delay search) %u B of %u B budget: %s\n",
           (unsigned)s_aec_size_16k, (unsigned)AEC_RAM_BUDGET, s_aec_size_16k < AEC_RAM_BUDGET ? "pass" : "FAIL");
    printf("AEC channel set-up (sw_aec_init, before the stream): %u instructions at 8 kHz, %u at 16 kHz\n",
           (unsigned)s_aec_init_insns[0], (unsigned)s_aec_init_insns[1]);
#endif
    printf("stack high-water: media %u of %u B, signaling %u of %u B\n",
           (unsigned)(sizeof s_media_stack - uk_task_stack_unused(&s_media)), (unsigned)sizeof s_media_stack,
           (unsigned)(sizeof s_signaling_stack - uk_task_stack_unused(&s_signaling)), (unsigned)sizeof s_signaling_stack);
    exit(sw_test_finish());
}

int main(void)
{
    int32_t i;
    for (i = 0; i < sw_vec_g711_pcm_all_s16le_len / 2 && i < MAX_SAMPLES; i++) {
        s_capture_g711[i] = le16(sw_vec_g711_pcm_all_s16le + 2 * i);
    }
    for (i = 0; i < sw_vec_g722_speech_like_s16le_len / 2 && i < MAX_SAMPLES; i++) {
        s_capture_g722[i] = le16(sw_vec_g722_speech_like_s16le + 2 * i);
    }
#if MEDIA_AEC
    voice_aec_prepare();
#endif
    SW_CHECK(sw_port_queue_init(&s_to_transaction, s_to_transaction_buf, sizeof(sig_msg), 4) == SW_PORT_OK);
    SW_CHECK(sw_port_queue_init(&s_to_signaling, s_to_signaling_buf, sizeof(sig_msg), 4) == SW_PORT_OK);
    SW_CHECK(sw_port_task_create(&s_media, "media", media_task, NULL, SW_PORT_PRIO_MEDIA, s_media_stack,
                                 sizeof s_media_stack) == SW_PORT_OK);
    SW_CHECK(sw_port_task_create(&s_transaction, "transaction", transaction_task, NULL, SW_PORT_PRIO_NETWORK,
                                 s_transaction_stack, sizeof s_transaction_stack) == SW_PORT_OK);
    SW_CHECK(sw_port_task_create(&s_signaling, "signaling", signaling_task, NULL, SW_PORT_PRIO_SIGNALING,
                                 s_signaling_stack, sizeof s_signaling_stack) == SW_PORT_OK);
    sw_port_sched_start();
    return 1;
}
