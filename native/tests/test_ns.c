/* SPDX-License-Identifier: MIT */
/* sw_ns: white noise attenuated by about the 15 dB floor, a tone at 20 dB SNR kept; argument checks. */
#include "sipwire/ns.h"
#include "sw_test.h"

#include <math.h>
#include <stdio.h>

static uint32_t s_seed = 3u;
static double uniform(void)
{
    s_seed = s_seed * 1664525u + 1013904223u;
    return (double)(s_seed >> 8) / 8388608.0 - 1.0;
}

static sw_ns s_ns;
static int16_t s_in[16000 * 4];
static int16_t s_out[16000 * 4];

int main(int argc, char **argv)
{
    int32_t i;
    double p_in = 0.0;
    double p_out = 0.0;
    double cross = 0.0;
    double power = 0.0;
    double noise = 32768.0 * pow(10.0, -46.0 / 20.0) * sqrt(3.0);
    double tone = 32768.0 * pow(10.0, -26.0 / 20.0) * sqrt(2.0);
    double reduction;
    double gain;
    (void)argc;
    (void)argv;
    SW_CHECK(sw_ns_init(&s_ns, 16000, 15) == SW_NS_OK);
    /* 2 s noise only, then 2 s noise + 500 Hz tone. */
    for (i = 0; i < 64000; i++) {
        double v = uniform() * noise;
        if (i >= 32000) {
            v += tone * sin(2.0 * 3.14159265358979 * 500.0 * (double)i / 16000.0);
        }
        s_in[i] = (int16_t)floor(v + 0.5);
    }
    for (i = 0; i < 64000; i += 160) {
        SW_CHECK(sw_ns_process(&s_ns, s_in + i, s_out + i) == SW_NS_OK);
    }
    for (i = 16000; i < 32000; i++) {
        p_in += (double)s_in[i] * s_in[i];
        p_out += (double)s_out[i + 160] * s_out[i + 160];
    }
    for (i = 40000; i < 63840; i++) {
        double t = tone * sin(2.0 * 3.14159265358979 * 500.0 * (double)i / 16000.0);
        cross += t * s_out[i + 160];
        power += t * t;
    }
    reduction = 10.0 * log10(p_in / p_out);
    gain = 20.0 * log10(cross / power);
    printf("noise reduced %.1f dB, tone gain %.2f dB\n", reduction, gain);
    SW_CHECK(reduction > 11.0 && reduction < 16.0);
    SW_CHECK(gain > -1.0);
    SW_CHECK(sw_ns_init(&s_ns, 44100, 15) == SW_NS_E_INVALID_ARG);
    SW_CHECK(sw_ns_init(&s_ns, 8000, 0) == SW_NS_E_INVALID_ARG);
    SW_CHECK(sw_ns_init(NULL, 8000, 15) == SW_NS_E_INVALID_ARG);
    SW_CHECK(sw_ns_init(&s_ns, 8000, 15) == SW_NS_OK);
    SW_CHECK(sw_ns_process(&s_ns, NULL, s_out) == SW_NS_E_INVALID_ARG);
    return sw_test_finish();
}
