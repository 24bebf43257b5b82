/* SPDX-License-Identifier: MIT */
/* Writes tests/vectors/g722/: a deterministic speech-like 16 kHz signal, and SpanDSP's G.722 codes and decodes of it. */
/*
 * Oracle: Debian's libspandsp (g722_encode/g722_decode, 64000 bit/s, no options), never the code
 * under test. Build and run (see tests/vectors/g722/README):
 *   cmake -S tests/tools/g722 -B /tmp/build-g722-oracle && cmake --build /tmp/build-g722-oracle
 *   /tmp/build-g722-oracle/g722_spandsp_vectors tests/vectors/g722
 * Decoding: SpanDSP 0.0.6 wraps the receive QMF output on overflow (loud input clips into a
 * full-scale click of the opposite sign). The ITU-T reference limits it. So the decoded vectors
 * come from SpanDSP's ADPCM decoder in its ITU test mode (QMF bypassed, the two band signals
 * out), followed by the receive QMF of G.722 §4.4 written here with a 16-bit limiter. The same
 * QMF without the limiter must reproduce SpanDSP's normal output exactly, which checks it.
 * The signal comes from a 32-bit LCG and a rounded sine table; it is stored, and the tests
 * read it from the file, so nothing depends on the host's libm.
 */
#include <spandsp.h>
#include <spandsp/private/g722.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 16000
#define SECONDS 3
#define SAMPLES (RATE * SECONDS)

static uint32_t s_lcg = 0x722u;

static int32_t next_noise(void)
{
    /* Numerical Recipes LCG; the top 16 bits as a signed value. */
    s_lcg = s_lcg * 1664525u + 1013904223u;
    return (int32_t)(s_lcg >> 16) - 32768;
}

/* Q15 sine table over one period, indexed by the top 10 bits of a 32-bit phase. */
static int16_t s_sine[1024];

static void make_sine_table(void)
{
    int i;

    for (i = 0; i < 1024; i++) {
        s_sine[i] = (int16_t)lround(32767.0 * sin(6.283185307179586 * i / 1024.0));
    }
}

static int32_t sine_q15(uint32_t phase)
{
    return s_sine[phase >> 22];
}

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[1024];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
}

static void to_s16le(const int16_t *in, uint8_t *out, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        out[2 * i] = (uint8_t)((uint16_t)in[i] & 0xFF);
        out[2 * i + 1] = (uint8_t)((uint16_t)in[i] >> 8);
    }
}

/* Speech-like test signal: syllables of 120-300 ms with a voiced harmonic stack (pitch glides
 * 100-250 Hz, formant-shaped harmonic weights), fricative noise bursts, silences, a loud passage
 * near full scale and a quiet one near the noise floor. */
static void make_signal(int16_t *pcm)
{
    int n = 0;
    int syllable = 0;

    while (n < SAMPLES) {
        int len = 1920 + (int)((uint32_t)next_noise() & 0x0FFF);       /* 120-376 ms */
        int kind = syllable % 5;
        int32_t peak = (syllable == 7) ? 31000 : (syllable == 11) ? 300 : 6000 + (syllable * 2311) % 14000;
        uint32_t pitch = (uint32_t)(100 + (syllable * 37) % 150);
        int i;

        for (i = 0; i < len && n < SAMPLES; i++, n++) {
            /* Raised envelope: attack and release of 1/8 of the syllable each. */
            int32_t env = 32767;
            int edge = len / 8;
            int64_t acc = 0;

            if (i < edge) {
                env = (int32_t)((int64_t)32767 * i / edge);
            } else if (i > len - edge) {
                env = (int32_t)((int64_t)32767 * (len - i) / edge);
            }
            if (kind == 0 || kind == 2 || kind == 3) {
                /* Voiced: harmonics of a gliding pitch, weights peaking near 500 Hz and 1.5 kHz. */
                uint32_t f0 = pitch * 65536u + (uint32_t)i * 4u; /* Hz in Q16, slow glide */
                int h;
                for (h = 1; h <= 30; h++) {
                    uint64_t fh = (uint64_t)f0 * (uint64_t)h;      /* Hz Q16 */
                    uint32_t hz = (uint32_t)(fh >> 16);
                    int32_t w;
                    uint32_t phase;
                    if (hz >= 7800) {
                        break;
                    }
                    w = (hz < 700) ? 9000 : (hz < 1200) ? 3000 : (hz < 1900) ? 5000 : (hz < 3500) ? 1200 : 300;
                    /* phase = 2^32 * f * n / RATE, with f in Q16 Hz: fits 64 bits for n < 2^20. */
                    phase = (uint32_t)((fh * (uint64_t)n * 65536u) / RATE);
                    acc += (int64_t)w * sine_q15(phase);
                }
                acc >>= 15;
                acc += next_noise() >> 6;
            } else if (kind == 1) {
                /* Fricative: white noise, lightly high-passed by a first difference. */
                static int32_t last;
                int32_t x = next_noise();
                acc = (x - last) / 2;
                last = x;
            } else {
                /* Pause with a faint background. */
                acc = next_noise() >> 8;
            }
            acc = acc * env / 32767;
            acc = acc * peak / 16000;
            if (acc > 32767) {
                acc = 32767;
            } else if (acc < -32768) {
                acc = -32768;
            }
            pcm[n] = (int16_t)acc;
        }
        syllable++;
    }
}

/* Receive QMF (G.722 §4.4) over band pairs (rl << 1, rh << 1) as SpanDSP's test mode gives
 * them; `limit` saturates the output to 16 bits, otherwise it wraps like SpanDSP 0.0.6. */
static const int32_t k_qmf[12] = { 3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11 };

static int16_t to16(int32_t v, int limit)
{
    if (limit) {
        return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
    return (int16_t)(uint16_t)(uint32_t)v;
}

static int receive_qmf(const int16_t *bands, int16_t *out, int pairs, int limit)
{
    int16_t hist[24] = { 0 };
    int j, i, overflows = 0;

    for (j = 0; j < pairs; j++) {
        int32_t rl = bands[2 * j] / 2;    /* test mode gives rlow << 1, rhigh << 1 */
        int32_t rh = bands[2 * j + 1] / 2;
        int64_t o1 = 0, o2 = 0;

        memmove(hist, hist + 2, 22 * sizeof hist[0]);
        hist[22] = (int16_t)(rl + rh);
        hist[23] = (int16_t)(rl - rh);
        for (i = 0; i < 12; i++) {
            o2 += (int64_t)hist[2 * i] * k_qmf[i];
            o1 += (int64_t)hist[2 * i + 1] * k_qmf[11 - i];
        }
        /* Floor division by 2^11 (arithmetic shift). */
        o1 = (o1 - ((o1 % 2048 + 2048) % 2048)) / 2048;
        o2 = (o2 - ((o2 % 2048 + 2048) % 2048)) / 2048;
        overflows += (o1 > 32767 || o1 < -32768) + (o2 > 32767 || o2 < -32768);
        out[2 * j] = to16((int32_t)o1, limit);
        out[2 * j + 1] = to16((int32_t)o2, limit);
    }
    return overflows;
}

/* Decodes with SpanDSP's ADPCM and the QMF above; checks the wrapping QMF against SpanDSP. */
static int decode_reference(const uint8_t *codes, int n, int16_t *out, const char *what)
{
    g722_decode_state_t *dec = g722_decode_init(NULL, 64000, 0);
    int16_t *bands = (int16_t *)malloc((size_t)n * 2 * sizeof *bands);
    int16_t *spandsp = (int16_t *)malloc((size_t)n * 2 * sizeof *spandsp);
    int16_t *wrapped = (int16_t *)malloc((size_t)n * 2 * sizeof *wrapped);
    int overflows, i;

    if (g722_decode(dec, spandsp, codes, n) != 2 * n) {
        fprintf(stderr, "g722_decode failed\n");
        exit(1);
    }
    dec = g722_decode_init(dec, 64000, 0);
    dec->itu_test_mode = 1;
    if (g722_decode(dec, bands, codes, n) != 2 * n) {
        fprintf(stderr, "g722_decode (test mode) failed\n");
        exit(1);
    }
    receive_qmf(bands, wrapped, n, 0);
    for (i = 0; i < 2 * n; i++) {
        if (wrapped[i] != spandsp[i]) {
            fprintf(stderr, "%s: the oracle's QMF disagrees with SpanDSP at %d\n", what, i);
            exit(1);
        }
    }
    overflows = receive_qmf(bands, out, n, 1);
    printf("%s: %d samples, %d where SpanDSP 0.0.6 wraps and the reference limits\n", what, 2 * n, overflows);
    g722_decode_free(dec);
    free(bands);
    free(spandsp);
    free(wrapped);
    return overflows;
}

int main(int argc, char **argv)
{
    static int16_t pcm[SAMPLES];
    static int16_t decoded[SAMPLES];
    static uint8_t codes[SAMPLES / 2];
    static uint8_t random_codes[8000];
    static int16_t random_decoded[16000];
    static uint8_t bytes[2 * SAMPLES];
    g722_encode_state_t *enc;
    int i, got;

    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 2;
    }
    make_sine_table();
    make_signal(pcm);

    enc = g722_encode_init(NULL, 64000, 0);
    got = g722_encode(enc, codes, pcm, SAMPLES);
    if (got != SAMPLES / 2) {
        fprintf(stderr, "g722_encode returned %d\n", got);
        return 1;
    }
    decode_reference(codes, SAMPLES / 2, decoded, "speech_like");

    /* Arbitrary code streams (bit errors, garbage payloads) through a fresh decoder. */
    for (i = 0; i < (int)sizeof random_codes; i++) {
        random_codes[i] = (uint8_t)(next_noise() >> 3);
    }
    decode_reference(random_codes, (int)sizeof random_codes, random_decoded, "random_codes");

    to_s16le(pcm, bytes, SAMPLES);
    write_file(argv[1], "speech_like.s16le", bytes, 2 * SAMPLES);
    write_file(argv[1], "speech_like.g722", codes, SAMPLES / 2);
    to_s16le(decoded, bytes, SAMPLES);
    write_file(argv[1], "speech_like.decoded.s16le", bytes, 2 * SAMPLES);
    write_file(argv[1], "random_codes.g722", random_codes, sizeof random_codes);
    to_s16le(random_decoded, bytes, 16000);
    write_file(argv[1], "random_codes.decoded.s16le", bytes, 2 * 16000);
    g722_encode_free(enc);
    return 0;
}
