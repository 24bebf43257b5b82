/* SPDX-License-Identifier: MIT */
/* sw_cng: RFC 3389 level byte (§3.1), reflection coefficients (§3.2), round trip, bad payloads. */
#include "sipwire/cng.h"
#include "sw_test.h"

#include <math.h>
#include <stdio.h>

static uint32_t s_seed = 7u;
static double uniform(void)
{
    s_seed = s_seed * 1664525u + 1013904223u;
    return (double)(s_seed >> 8) / 8388608.0 - 1.0;
}

static int16_t s_x[16000];
static int16_t s_y[16000];

int main(int argc, char **argv)
{
    uint8_t payload[32];
    sw_cng_decoder dec;
    int32_t i;
    double y = 0.0;
    double p_in = 0.0;
    double p_out = 0.0;
    double r0 = 0.0;
    double r1 = 0.0;
    (void)argc;
    (void)argv;
    /* Square wave of amplitude 1000: mean square 1e6 -> ceil(-10 log10(1e6 / 1081109975)) = 31. */
    for (i = 0; i < 160; i++) {
        s_x[i] = (int16_t)(i % 2 == 0 ? 1000 : -1000);
    }
    SW_CHECK(sw_cng_encode(s_x, 160, 0, payload) == 1);
    SW_CHECK(payload[0] == 31);
    for (i = 0; i < 160; i++) {
        s_x[i] = 0;
    }
    SW_CHECK(sw_cng_encode(s_x, 160, 0, payload) == 1);
    SW_CHECK(payload[0] == 127);

    /* AR(1) noise, rho 0.9: k1 = -0.9 -> byte round(-115.2) + 127 = 12. */
    for (i = 0; i < 16000; i++) {
        y = 0.9 * y + uniform() * 800.0 * sqrt(1.0 - 0.81) * sqrt(3.0);
        s_x[i] = (int16_t)floor(y + 0.5);
        p_in += (double)s_x[i] * s_x[i];
    }
    SW_CHECK(sw_cng_encode(s_x, 1600, 10, payload) == 11);
    printf("level %d, k1 byte %d\n", payload[0], payload[1]);
    SW_CHECK(payload[1] >= 6 && payload[1] <= 18);

    SW_CHECK(sw_cng_decoder_init(&dec) == SW_CNG_OK);
    SW_CHECK(sw_cng_decoder_generate(&dec, s_y, 160) == SW_CNG_OK);
    SW_CHECK(s_y[0] == 0 && s_y[159] == 0);
    SW_CHECK(sw_cng_decoder_update(&dec, payload, 11) == SW_CNG_OK);
    for (i = 0; i < 16000; i += 160) {
        SW_CHECK(sw_cng_decoder_generate(&dec, s_y + i, 160) == SW_CNG_OK);
    }
    for (i = 1; i < 16000; i++) {
        p_out += (double)s_y[i] * s_y[i];
        r0 += (double)s_y[i] * s_y[i];
        r1 += (double)s_y[i] * s_y[i - 1];
    }
    printf("level in %.1f dB, out %.1f dB, rho out %.3f\n", 10.0 * log10(p_in / 16000.0), 10.0 * log10(p_out / 15999.0), r1 / r0);
    SW_CHECK(fabs(10.0 * log10(p_in / 16000.0) - 10.0 * log10(p_out / 15999.0)) < 1.5);
    SW_CHECK(fabs(r1 / r0 - 0.9) < 0.05);

    payload[0] = 0x85;
    SW_CHECK(sw_cng_decoder_update(&dec, payload, 1) == SW_CNG_E_INVALID_ARG);
    SW_CHECK(sw_cng_decoder_update(&dec, payload, 0) == SW_CNG_E_INVALID_ARG);
    SW_CHECK(sw_cng_encode(s_x, 5, 10, payload) == SW_CNG_E_INVALID_ARG);
    SW_CHECK(sw_cng_encode(s_x, 160, 13, payload) == SW_CNG_E_INVALID_ARG);
    SW_CHECK(sw_cng_encode(NULL, 160, 10, payload) == SW_CNG_E_INVALID_ARG);
    return sw_test_finish();
}
