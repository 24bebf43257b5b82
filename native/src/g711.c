/* SPDX-License-Identifier: MIT */
/* G.711 A-law and mu-law companding (ITU-T G.711), bit-exact to ITU-T G.191 g711.c. */
#include "sipwire/g711.h"

#include <stddef.h>

/* Magnitude fold used by G.191: the one's complement (~x) of a negative sample, so that
 * -1 maps to 0 and -32768 to 32767. Written without shifting negative values (whose result
 * is implementation-defined in C99): for x < 0, ~x == -x - 1 >= 0. */
static int32_t fold(int16_t x)
{
    return x < 0 ? -(int32_t)x - 1 : (int32_t)x;
}

uint8_t sw_g711_ulaw_encode_sample(int16_t sample)
{
    /* G.191 ulaw_compress: 14-bit magnitude plus 33, the offset between the A-law and
     * mu-law segment thresholds (G.711 Table 2a), limited to 0x1FFF. */
    int32_t absno = (fold(sample) >> 2) + 33;
    int32_t segno = 1;
    int32_t i;
    uint8_t code;

    if (absno > 0x1FFF) {
        absno = 0x1FFF;
    }
    for (i = absno >> 6; i != 0; i >>= 1) {
        segno++;
    }
    /* High nibble 8 - segment, low nibble the inverted mantissa (G.711 §3.2: mu-law
     * character signals are the inverted binary of the segment and step numbers). */
    code = (uint8_t)(((8 - segno) << 4) | (0x0F - ((absno >> segno) & 0x0F)));
    if (sample >= 0) {
        code |= 0x80;
    }
    return code;
}

int16_t sw_g711_ulaw_decode_sample(uint8_t code)
{
    /* G.191 ulaw_expand: invert, then (0x80 << exp) + step * mant + step / 2 - 4 * 33 with
     * step = 8 << exp, which is ((132 + 8 * mant) << exp) - 132. */
    uint32_t inv = (uint32_t)(uint8_t)~code;
    uint32_t exponent = (inv >> 4) & 0x07;
    int32_t mag = (int32_t)(((132u + 8u * (inv & 0x0F)) << exponent) - 132u);

    return (int16_t)(code < 0x80 ? -mag : mag);
}

uint8_t sw_g711_alaw_encode_sample(int16_t sample)
{
    /* G.191 alaw_compress: 12-bit magnitude, segment 0 for ix <= 15. */
    int32_t ix = fold(sample) >> 4;
    int32_t iexp;

    if (ix > 15) {
        iexp = 1;
        while (ix > 16 + 15) {
            ix >>= 1;
            iexp++;
        }
        ix -= 16;          /* drop the leading one */
        ix += iexp << 4;
    }
    if (sample >= 0) {
        ix |= 0x80;
    }
    /* G.711 §3.1: the even bits are inverted on the line. */
    return (uint8_t)(ix ^ 0x55);
}

int16_t sw_g711_alaw_decode_sample(uint8_t code)
{
    uint32_t ix = (uint32_t)(code ^ 0x55) & 0x7F;
    uint32_t iexp = ix >> 4;
    uint32_t mant = ix & 0x0F;
    int32_t mag;

    if (iexp > 0) {
        mant += 16;        /* restore the leading one */
    }
    mant = (mant << 4) + 8; /* left-justify and add half a quantisation step */
    if (iexp > 1) {
        mant <<= iexp - 1;
    }
    mag = (int32_t)mant;
    return (int16_t)(code > 127 ? mag : -mag);
}

int32_t sw_g711_ulaw_encode(const int16_t *in, uint8_t *out, int32_t n)
{
    int32_t i;

    if (n < 0 || (n > 0 && (in == NULL || out == NULL))) {
        return SW_G711_E_INVALID_ARG;
    }
    for (i = 0; i < n; i++) {
        out[i] = sw_g711_ulaw_encode_sample(in[i]);
    }
    return SW_G711_OK;
}

int32_t sw_g711_ulaw_decode(const uint8_t *in, int16_t *out, int32_t n)
{
    int32_t i;

    if (n < 0 || (n > 0 && (in == NULL || out == NULL))) {
        return SW_G711_E_INVALID_ARG;
    }
    for (i = 0; i < n; i++) {
        out[i] = sw_g711_ulaw_decode_sample(in[i]);
    }
    return SW_G711_OK;
}

int32_t sw_g711_alaw_encode(const int16_t *in, uint8_t *out, int32_t n)
{
    int32_t i;

    if (n < 0 || (n > 0 && (in == NULL || out == NULL))) {
        return SW_G711_E_INVALID_ARG;
    }
    for (i = 0; i < n; i++) {
        out[i] = sw_g711_alaw_encode_sample(in[i]);
    }
    return SW_G711_OK;
}

int32_t sw_g711_alaw_decode(const uint8_t *in, int16_t *out, int32_t n)
{
    int32_t i;

    if (n < 0 || (n > 0 && (in == NULL || out == NULL))) {
        return SW_G711_E_INVALID_ARG;
    }
    for (i = 0; i < n; i++) {
        out[i] = sw_g711_alaw_decode_sample(in[i]);
    }
    return SW_G711_OK;
}
