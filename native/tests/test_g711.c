/* SPDX-License-Identifier: MIT */
/* G.711 kernels against tests/vectors/g711 (G.191 oracle) and the G.191 known values. */
#include "sipwire/g711.h"
#include "sw_test.h"

#include <stdio.h>
#include <stdlib.h>

/* Wire PCM is little-endian: assemble each sample from its bytes so big-endian hosts pass. */
static int16_t read_s16le(const uint8_t *p)
{
    uint16_t u = (uint16_t)((uint16_t)p[0] | ((uint16_t)p[1] << 8));
    return (int16_t)(u >= 0x8000u ? (int32_t)u - 65536 : (int32_t)u);
}

static uint32_t fnv1a32(const uint8_t *p, size_t n)
{
    uint32_t h = 0x811C9DC5u;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x01000193u;
    }
    return h;
}

static void check_encoder(const char *dir, const char *codes_name,
                          int32_t (*encode)(const int16_t *, uint8_t *, int32_t),
                          uint8_t (*encode_sample)(int16_t))
{
    size_t pcm_len, codes_len, i;
    uint8_t *pcm_bytes = sw_test_read_vector(dir, "g711/pcm_all.s16le", &pcm_len);
    uint8_t *want = sw_test_read_vector(dir, codes_name, &codes_len);
    int16_t *pcm;
    uint8_t *got;
    size_t mismatches = 0, sample_mismatches = 0;

    if (pcm_bytes == NULL || want == NULL) {
        free(pcm_bytes);
        free(want);
        return;
    }
    SW_CHECK(pcm_len == 131072 && codes_len == 65536);
    if (pcm_len != 131072 || codes_len != 65536) {
        free(pcm_bytes);
        free(want);
        return;
    }
    pcm = (int16_t *)malloc(65536 * sizeof *pcm);
    got = (uint8_t *)malloc(65536);
    SW_CHECK(pcm != NULL && got != NULL);
    if (pcm != NULL && got != NULL) {
        for (i = 0; i < 65536; i++) {
            pcm[i] = read_s16le(pcm_bytes + 2 * i);
        }
        /* The vector is every int16 in order, which also checks the byte-order reading. */
        SW_CHECK(pcm[0] == -32768 && pcm[32768] == 0 && pcm[65535] == 32767);
        SW_CHECK(encode(pcm, got, 65536) == SW_G711_OK);
        for (i = 0; i < 65536; i++) {
            if (got[i] != want[i]) {
                if (mismatches < 5) {
                    printf("FAIL %s: sample %d encodes to 0x%02X, want 0x%02X\n", codes_name,
                           (int)pcm[i], got[i], want[i]);
                }
                mismatches++;
            }
            if (encode_sample(pcm[i]) != want[i]) {
                sample_mismatches++;
            }
        }
        SW_CHECK(mismatches == 0);
        SW_CHECK(sample_mismatches == 0);
    }
    free(pcm);
    free(got);
    free(pcm_bytes);
    free(want);
}

static void check_decoder(const char *dir, const char *pcm_name,
                          int32_t (*decode)(const uint8_t *, int16_t *, int32_t),
                          int16_t (*decode_sample)(uint8_t))
{
    size_t codes_len, pcm_len, i;
    uint8_t *codes = sw_test_read_vector(dir, "g711/codes_all.u8", &codes_len);
    uint8_t *want = sw_test_read_vector(dir, pcm_name, &pcm_len);
    int16_t got[256];
    size_t mismatches = 0;

    if (codes == NULL || want == NULL) {
        free(codes);
        free(want);
        return;
    }
    SW_CHECK(codes_len == 256 && pcm_len == 512);
    if (codes_len == 256 && pcm_len == 512) {
        SW_CHECK(decode(codes, got, 256) == SW_G711_OK);
        for (i = 0; i < 256; i++) {
            int16_t w = read_s16le(want + 2 * i);
            if (got[i] != w || decode_sample(codes[i]) != w) {
                if (mismatches < 5) {
                    printf("FAIL %s: code 0x%02X decodes to %d, want %d\n", pcm_name, codes[i],
                           got[i], w);
                }
                mismatches++;
            }
        }
        SW_CHECK(mismatches == 0);
    }
    free(codes);
    free(want);
}

static void check_known_values(void)
{
    uint8_t step7[65536 / 7 + 1];
    int32_t x;
    size_t n = 0;

    /* ITU-T G.191 ulaw_compress / ulaw_expand / alaw_* known values. */
    SW_CHECK(sw_g711_ulaw_encode_sample(0) == 0xFF);
    SW_CHECK(sw_g711_ulaw_encode_sample(-1) == 0x7F);
    SW_CHECK(sw_g711_ulaw_encode_sample(1000) == 0xCE);
    SW_CHECK(sw_g711_ulaw_encode_sample(-1000) == 0x4E);
    SW_CHECK(sw_g711_ulaw_encode_sample(32767) == 0x80);
    SW_CHECK(sw_g711_ulaw_encode_sample(-32768) == 0x00);
    SW_CHECK(sw_g711_ulaw_decode_sample(0x00) == -32124);
    SW_CHECK(sw_g711_ulaw_decode_sample(0x80) == 32124);
    SW_CHECK(sw_g711_ulaw_decode_sample(0xCE) == 988);
    SW_CHECK(sw_g711_alaw_encode_sample(0) == 0xD5);
    SW_CHECK(sw_g711_alaw_decode_sample(0xD5) == 8);
    for (x = -32768; x <= 32767; x += 7) {
        step7[n++] = sw_g711_ulaw_encode_sample((int16_t)x);
    }
    SW_CHECK(fnv1a32(step7, n) == 0x274EE169u);
}

static void check_arguments(void)
{
    int16_t pcm[4] = { 0, 1, -1, 1000 };
    uint8_t codes[4] = { 0xAA, 0xAA, 0xAA, 0xAA };

    SW_CHECK(sw_g711_ulaw_encode(pcm, codes, -1) == SW_G711_E_INVALID_ARG);
    SW_CHECK(sw_g711_alaw_encode(NULL, codes, 4) == SW_G711_E_INVALID_ARG);
    SW_CHECK(sw_g711_ulaw_decode(codes, NULL, 4) == SW_G711_E_INVALID_ARG);
    SW_CHECK(sw_g711_alaw_decode(NULL, pcm, 1) == SW_G711_E_INVALID_ARG);
    /* A rejected call writes nothing. */
    SW_CHECK(codes[0] == 0xAA && pcm[0] == 0);
    SW_CHECK(sw_g711_ulaw_encode(NULL, NULL, 0) == SW_G711_OK);
    SW_CHECK(sw_g711_alaw_decode(NULL, NULL, 0) == SW_G711_OK);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("FAIL usage: %s VECTORS_DIR\n", argv[0]);
        return 1;
    }
    check_known_values();
    check_arguments();
    check_encoder(argv[1], "g711/pcm_all.ulaw", sw_g711_ulaw_encode, sw_g711_ulaw_encode_sample);
    check_encoder(argv[1], "g711/pcm_all.alaw", sw_g711_alaw_encode, sw_g711_alaw_encode_sample);
    check_decoder(argv[1], "g711/codes_all.ulaw.s16le", sw_g711_ulaw_decode, sw_g711_ulaw_decode_sample);
    check_decoder(argv[1], "g711/codes_all.alaw.s16le", sw_g711_alaw_decode, sw_g711_alaw_decode_sample);
    return sw_test_finish();
}
