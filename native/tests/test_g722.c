/* SPDX-License-Identifier: MIT */
/* G.722 kernels against tests/vectors/g722 (SpanDSP oracle): encode, decode, frame splits, arguments. */
#include "sipwire/g722.h"
#include "sw_test.h"

#include <stdio.h>
#include <stdlib.h>

static int16_t read_s16le(const uint8_t *p)
{
    uint16_t u = (uint16_t)((uint16_t)p[0] | ((uint16_t)p[1] << 8));
    return (int16_t)(u >= 0x8000u ? (int32_t)u - 65536 : (int32_t)u);
}

static int16_t *read_pcm(const char *dir, const char *name, size_t *out_n)
{
    size_t len, i;
    uint8_t *bytes = sw_test_read_vector(dir, name, &len);
    int16_t *pcm;

    *out_n = 0;
    if (bytes == NULL) {
        return NULL;
    }
    pcm = (int16_t *)malloc((len / 2 + 1) * sizeof *pcm);
    if (pcm != NULL) {
        for (i = 0; i < len / 2; i++) {
            pcm[i] = read_s16le(bytes + 2 * i);
        }
        *out_n = len / 2;
    }
    free(bytes);
    return pcm;
}

static size_t count_diff_u8(const uint8_t *a, const uint8_t *b, size_t n)
{
    size_t i, d = 0;
    for (i = 0; i < n; i++) {
        d += a[i] != b[i];
    }
    return d;
}

static size_t count_diff_s16(const int16_t *a, const int16_t *b, size_t n)
{
    size_t i, d = 0;
    for (i = 0; i < n; i++) {
        d += a[i] != b[i];
    }
    return d;
}

/* Encodes in frames of `frame` samples (the state carries across calls). */
static void encode_frames(const int16_t *pcm, size_t n, uint8_t *codes, size_t frame)
{
    sw_g722_encoder enc;
    size_t pos;

    SW_CHECK(sw_g722_encoder_init(&enc) == SW_G722_OK);
    for (pos = 0; pos < n; pos += frame) {
        size_t len = n - pos < frame ? n - pos : frame;
        SW_CHECK(sw_g722_encode(&enc, pcm + pos, codes + pos / 2, (int32_t)len) == SW_G722_OK);
    }
}

static void decode_frames(const uint8_t *codes, size_t n, int16_t *pcm, size_t frame)
{
    sw_g722_decoder dec;
    size_t pos;

    SW_CHECK(sw_g722_decoder_init(&dec) == SW_G722_OK);
    for (pos = 0; pos < n; pos += frame) {
        size_t len = n - pos < frame ? n - pos : frame;
        SW_CHECK(sw_g722_decode(&dec, codes + pos, pcm + 2 * pos, (int32_t)len) == SW_G722_OK);
    }
}

static void check_speech(const char *dir)
{
    size_t n, n_dec, codes_len, d;
    int16_t *pcm = read_pcm(dir, "g722/speech_like.s16le", &n);
    int16_t *want_pcm = read_pcm(dir, "g722/speech_like.decoded.s16le", &n_dec);
    uint8_t *want_codes = sw_test_read_vector(dir, "g722/speech_like.g722", &codes_len);
    uint8_t *codes;
    int16_t *decoded;
    static const size_t frames[] = { 320, 160, 2, 18 };
    size_t f;

    if (pcm == NULL || want_pcm == NULL || want_codes == NULL) {
        goto done;
    }
    SW_CHECK(n % 2 == 0 && codes_len == n / 2 && n_dec == n);
    if (codes_len != n / 2 || n_dec != n) {
        goto done;
    }
    codes = (uint8_t *)malloc(codes_len);
    decoded = (int16_t *)malloc(n * sizeof *decoded);
    if (codes != NULL && decoded != NULL) {
        for (f = 0; f < sizeof frames / sizeof frames[0]; f++) {
            encode_frames(pcm, n, codes, frames[f]);
            d = count_diff_u8(codes, want_codes, codes_len);
            if (d != 0) {
                printf("FAIL encode in frames of %d: %d of %d codes differ from SpanDSP\n",
                       (int)frames[f], (int)d, (int)codes_len);
            }
            SW_CHECK(d == 0);
            decode_frames(want_codes, codes_len, decoded, frames[f] / 2);
            d = count_diff_s16(decoded, want_pcm, n);
            if (d != 0) {
                printf("FAIL decode in frames of %d: %d of %d samples differ from SpanDSP\n",
                       (int)frames[f] / 2, (int)d, (int)n);
            }
            SW_CHECK(d == 0);
        }
    }
    free(codes);
    free(decoded);
done:
    free(pcm);
    free(want_pcm);
    free(want_codes);
}

static void check_random_codes(const char *dir)
{
    size_t codes_len, n, d;
    uint8_t *codes = sw_test_read_vector(dir, "g722/random_codes.g722", &codes_len);
    int16_t *want = read_pcm(dir, "g722/random_codes.decoded.s16le", &n);
    int16_t *got;

    if (codes != NULL && want != NULL && n == 2 * codes_len) {
        got = (int16_t *)malloc(n * sizeof *got);
        if (got != NULL) {
            decode_frames(codes, codes_len, got, 80);
            d = count_diff_s16(got, want, n);
            if (d != 0) {
                printf("FAIL random codes: %d of %d samples differ from SpanDSP\n", (int)d, (int)n);
            }
            SW_CHECK(d == 0);
        }
        free(got);
    } else {
        SW_CHECK(codes != NULL && want != NULL && n == 2 * codes_len);
    }
    free(codes);
    free(want);
}

static void check_arguments(void)
{
    sw_g722_encoder enc;
    sw_g722_decoder dec;
    int16_t pcm[4] = { 1, 2, 3, 4 };
    uint8_t codes[2] = { 0xAA, 0xAA };

    SW_CHECK(sw_g722_encoder_get_size() == (int32_t)sizeof(sw_g722_encoder));
    SW_CHECK(sw_g722_decoder_get_size() == (int32_t)sizeof(sw_g722_decoder));
    SW_CHECK(sw_g722_encoder_init(NULL) == SW_G722_E_INVALID_ARG);
    SW_CHECK(sw_g722_decoder_init(NULL) == SW_G722_E_INVALID_ARG);
    SW_CHECK(sw_g722_encoder_init(&enc) == SW_G722_OK);
    SW_CHECK(sw_g722_decoder_init(&dec) == SW_G722_OK);
    SW_CHECK(sw_g722_encode(&enc, pcm, codes, 3) == SW_G722_E_INVALID_ARG); /* odd count */
    SW_CHECK(sw_g722_encode(&enc, pcm, codes, -2) == SW_G722_E_INVALID_ARG);
    SW_CHECK(sw_g722_encode(NULL, pcm, codes, 4) == SW_G722_E_INVALID_ARG);
    SW_CHECK(sw_g722_encode(&enc, NULL, codes, 4) == SW_G722_E_INVALID_ARG);
    SW_CHECK(sw_g722_decode(&dec, codes, NULL, 2) == SW_G722_E_INVALID_ARG);
    SW_CHECK(codes[0] == 0xAA && codes[1] == 0xAA && pcm[0] == 1);
    SW_CHECK(sw_g722_encode(&enc, NULL, NULL, 0) == SW_G722_OK);
    SW_CHECK(sw_g722_decode(&dec, NULL, NULL, 0) == SW_G722_OK);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("FAIL usage: %s VECTORS_DIR\n", argv[0]);
        return 1;
    }
    check_arguments();
    check_speech(argv[1]);
    check_random_codes(argv[1]);
    return sw_test_finish();
}
