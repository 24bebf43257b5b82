/* SPDX-License-Identifier: MIT */
/* Resampler: tone SNR and alias rejection from tests/vectors/resampler/resampler.expect, frames, arguments. */
#include "sipwire/resampler.h"
#include "sw_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

/* Resamples `n` samples in 10 ms frames; returns the output count. */
static int32_t run(sw_resampler *st, const int16_t *in, int32_t n, int16_t *out, int32_t cap)
{
    int32_t frame = st->in_rate / 100, pos, total = 0;

    for (pos = 0; pos < n; pos += frame) {
        int32_t len = n - pos < frame ? n - pos : frame, written = 0;
        SW_CHECK(sw_resampler_process(st, in + pos, len, out + total, cap - total, &written) == SW_RESAMPLER_OK);
        total += written;
    }
    return total;
}

static void tone(int16_t *x, int32_t n, int32_t rate, double f, double a)
{
    int32_t i;
    for (i = 0; i < n; i++) {
        x[i] = (int16_t)lrint(a * sin(2.0 * PI * f * i / rate));
    }
}

static void check_expectations(const char *dir)
{
    size_t len;
    uint8_t *text = sw_test_read_vector(dir, "resampler/resampler.expect", &len);
    char *line, *copy;
    int cases = 0;
    static sw_resampler st;

    if (text == NULL) {
        return;
    }
    copy = (char *)malloc(len + 1);
    if (copy == NULL) {
        free(text);
        SW_CHECK(copy != NULL);
        return;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    for (line = strtok(copy, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        int in_rate, out_rate;
        double f, a, limit;
        int is_tone = sscanf(line, "tone: %d %d %lf %lf snr>=%lf", &in_rate, &out_rate, &f, &a, &limit) == 5;
        int is_alias = !is_tone && sscanf(line, "alias: %d %d %lf %lf atten>=%lf", &in_rate, &out_rate, &f, &a, &limit) == 5;
        int16_t *x, *y;
        int32_t n_out, m, skip;
        double metric;

        if (!is_tone && !is_alias) {
            continue;
        }
        cases++;
        x = (int16_t *)malloc((size_t)in_rate * sizeof *x);
        y = (int16_t *)malloc((size_t)out_rate * sizeof *y + 16);
        if (x == NULL || y == NULL) {
            free(x);
            free(y);
            SW_CHECK(0);
            continue;
        }
        tone(x, in_rate, in_rate, f, a);
        SW_CHECK(sw_resampler_init(&st, in_rate, out_rate) == SW_RESAMPLER_OK);
        n_out = run(&st, x, in_rate, y, out_rate + 8);
        SW_CHECK(n_out == out_rate);
        skip = out_rate * 60 / 1000;
        if (is_tone) {
            double delay = (SW_RESAMPLER_TAPS_PER_RATIO * (double)(st.up > st.down ? st.up : st.down) - 1.0) /
                           (2.0 * st.up * in_rate);
            double sig = 0.0, noise = 0.0;
            for (m = skip; m < n_out; m++) {
                double ref = a * sin(2.0 * PI * f * ((double)m / out_rate - delay));
                sig += ref * ref;
                noise += (y[m] - ref) * (y[m] - ref);
            }
            metric = 10.0 * log10(sig / noise);
        } else {
            double ein = 0.0, eout = 0.0;
            for (m = in_rate * 60 / 1000; m < in_rate; m++) {
                ein += (double)x[m] * x[m];
            }
            for (m = skip; m < n_out; m++) {
                eout += (double)y[m] * y[m];
            }
            ein /= in_rate - in_rate * 60 / 1000;
            eout /= n_out - skip;
            metric = 10.0 * log10(ein / (eout > 1e-6 ? eout : 1e-6));
        }
        printf("%s %d->%d %.0f Hz: %.1f dB (limit %.0f)\n", is_tone ? "tone" : "alias", in_rate, out_rate, f, metric, limit);
        SW_CHECK(metric >= limit);
        free(x);
        free(y);
    }
    SW_CHECK(cases >= 10);
    free(copy);
    free(text);
}

static void check_arguments(void)
{
    static sw_resampler st;
    int16_t in[80] = { 0 };
    int16_t out[160];
    int32_t written = 7;

    SW_CHECK(sw_resampler_get_size() == (int32_t)sizeof(sw_resampler));
    SW_CHECK(sw_resampler_init(NULL, 8000, 16000) == SW_RESAMPLER_E_INVALID_ARG);
    SW_CHECK(sw_resampler_init(&st, 44100, 16000) == SW_RESAMPLER_E_INVALID_ARG);
    SW_CHECK(sw_resampler_init(&st, 8000, 16000) == SW_RESAMPLER_OK);
    SW_CHECK(sw_resampler_get_output_length(&st, 80) == 160);
    SW_CHECK(sw_resampler_process(&st, in, 80, out, 159, &written) == SW_RESAMPLER_E_INVALID_ARG);
    SW_CHECK(written == 7);
    SW_CHECK(sw_resampler_process(&st, NULL, 80, out, 160, &written) == SW_RESAMPLER_E_INVALID_ARG);
    SW_CHECK(sw_resampler_process(&st, in, 80, out, 160, &written) == SW_RESAMPLER_OK && written == 160);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("FAIL usage: %s VECTORS_DIR\n", argv[0]);
        return 1;
    }
    check_arguments();
    check_expectations(argv[1]);
    return sw_test_finish();
}
