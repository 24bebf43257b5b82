/* SPDX-License-Identifier: MIT */
/* Voice activity detector: per-band likelihood-ratio test (Sohn 1999) against tracked band noise, burst hangover,
 * stricter in non-stationary noise; the same operation order as Vad.cs, so the decisions are identical. */
#include "sipwire/vad.h"

#include "spectral_frame.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define VAD_BINS_PER_BAND 8
#define VAD_FIRST_BIN 4
#define VAD_SUB_WINDOW_FRAMES 20
#define VAD_MINIMUM_BIAS 1.5f
#define VAD_MAXIMUM_BIAS 3.0f
#define VAD_NOISE_RATE 0.1f
#define VAD_SPEECH_NOISE_RATE 0.02f
#define VAD_BAND_NOISE_RATIO 2.0f
#define VAD_ALPHA 0.98
#define VAD_XI_MIN 0.003
#define VAD_ONSET 0.15
#define VAD_HOLD 0.08
#define VAD_HANGOVER_FRAMES 19 /* 190 ms: the window reaches one frame back, so the hold ends 200 ms after speech */
#define VAD_FULL_BAND_GATE 4.0
#define VAD_HANGOVER_GATE 8.0
#define VAD_HOLD_GATE 3.0
#define VAD_DIP_RATIO 0.25f
#define VAD_DIP_RATE 0.01
#define VAD_DIP_THRESHOLD 0.04
#define VAD_BURST_FRAMES 3
#define VAD_LEARNING_FRAMES 10

static float min_f(float a, float b)
{
    return a < b ? a : b;
}

static float max_f(float a, float b)
{
    return a > b ? a : b;
}

int32_t sw_vad_init(sw_vad *st, int32_t sample_rate)
{
    if (st == NULL || (sample_rate != 8000 && sample_rate != 16000)) {
        return SW_VAD_E_INVALID_ARG;
    }
    memset(st, 0, sizeof *st);
    st->frame = sample_rate / 100;
    st->fft_size = sample_rate == 8000 ? 256 : 512;
    st->bands = (st->fft_size / 2 - VAD_FIRST_BIN) / VAD_BINS_PER_BAND;
    /* A band of white noise at -75 dBov: 8 bins of sigma^2 * sum(w^2) = sigma^2 * frame each. */
    st->noise_floor = (float)((double)(VAD_BINS_PER_BAND * st->frame) * 32768.0 * 32768.0 * pow(10.0, -75.0 / 10.0));
    if (sw_spectral_frame_init(&st->spectrum, st->frame, st->fft_size) != 0) {
        return SW_VAD_E_INVALID_ARG;
    }
    return SW_VAD_OK;
}

static void vad_update_noise(sw_vad *st, int speech)
{
    int32_t b;
    int32_t j;
    int32_t bands = st->bands;
    int sub_window_done;
    st->sub_frames++;
    sub_window_done = st->sub_frames == VAD_SUB_WINDOW_FRAMES;
    if (sub_window_done) {
        st->sub_frames = 0;
    }
    if (st->frames < VAD_LEARNING_FRAMES) {
        /* First 100 ms: the noise is the running mean of the band power (the first frame alone, half of it zeros
         * from before the start, is a poor estimate), and the minimum tracker starts where that mean puts it. */
        float w = 1.0f / (float)st->frames;
        for (b = 0; b < bands; b++) {
            float lambda = max_f(st->noise[b] + (w * (st->power[b] - st->noise[b])), st->noise_floor);
            float minimum = lambda / VAD_MINIMUM_BIAS;
            st->noise[b] = lambda;
            st->smooth[b] = lambda;
            st->window_min[b] = minimum;
            st->recent_min[b] = minimum;
            for (j = 0; j < SW_VAD_SUB_WINDOWS; j++) {
                st->ring[j * bands + b] = minimum;
            }
        }
        return;
    }
    for (b = 0; b < bands; b++) {
        float e = st->power[b];
        float s = (0.8f * st->smooth[b]) + (0.2f * e);
        float window_min;
        float minimum;
        float lambda;
        st->smooth[b] = s;
        window_min = min_f(st->window_min[b], s);
        if (sub_window_done) {
            /* Minimum statistics (Martin 2001): the minimum over the last 8 sub-windows of 200 ms. */
            float m = window_min;
            st->ring[st->ring_pos * bands + b] = window_min;
            for (j = 0; j < SW_VAD_SUB_WINDOWS; j++) {
                m = min_f(m, st->ring[j * bands + b]);
            }
            st->recent_min[b] = m;
            window_min = s;
        }
        st->window_min[b] = window_min;
        lambda = st->noise[b];
        if (e < VAD_BAND_NOISE_RATIO * lambda) {
            /* Hirsch and Ehrlicher 1995: a band within 3 dB of its noise is noise even in a speech frame. */
            lambda += (speech ? VAD_SPEECH_NOISE_RATE : VAD_NOISE_RATE) * (e - lambda);
        }
        /* Bounds from the minimum: 1.5 times it (the mean of stationary noise, so a step up is learned) to 3 times
         * it (so speech that keeps a band within 3 dB of the estimate cannot walk it up). */
        minimum = min_f(st->recent_min[b], window_min);
        lambda = min_f(max_f(lambda, VAD_MINIMUM_BIAS * minimum), VAD_MAXIMUM_BIAS * minimum);
        st->noise[b] = max_f(lambda, st->noise_floor);
    }
    if (sub_window_done) {
        st->ring_pos = st->ring_pos + 1 == SW_VAD_SUB_WINDOWS ? 0 : st->ring_pos + 1;
    }
}

int32_t sw_vad_process(sw_vad *st, const int16_t *frame, int32_t *out_active)
{
    int32_t n;
    int32_t b;
    int32_t k;
    double sum = 0.0;
    double power = 0.0;
    double noise = 0.0;
    double llr;
    int32_t dips = 0;
    int babble;
    int speech;
    if (st == NULL || frame == NULL || out_active == NULL || st->frame <= 0 || st->bands <= 0 ||
        st->bands > SW_VAD_MAX_BANDS) {
        return SW_VAD_E_INVALID_ARG;
    }
    n = st->frame;
    sw_spectral_frame_analyze(&st->spectrum, n, frame);
    for (b = 0; b < st->bands; b++) {
        float e = 0.0f;
        int32_t k0 = VAD_FIRST_BIN + b * VAD_BINS_PER_BAND;
        for (k = k0; k < k0 + VAD_BINS_PER_BAND; k++) {
            e += (st->spectrum.re[k] * st->spectrum.re[k]) + (st->spectrum.im[k] * st->spectrum.im[k]);
        }
        st->power[b] = e;
    }
    if (st->frames == 0) {
        /* The first frame's likelihood ratio needs a noise to divide by; the learning phase of
         * vad_update_noise then sets every noise and minimum statistic from it. */
        for (b = 0; b < st->bands; b++) {
            st->noise[b] = max_f(st->power[b], st->noise_floor);
        }
    }
    if (st->frames < INT32_MAX) {
        st->frames++;
    }

    /* Sohn et al. 1999, eq. (3)-(4): mean over the bands of the log likelihood ratio, with the a priori SNR
     * from the decision-directed estimate (Ephraim and Malah 1984, eq. 51). */
    for (b = 0; b < st->bands; b++) {
        double gamma = (double)st->power[b] / (double)st->noise[b];
        double ml = gamma - 1.0;
        double xi;
        double g;
        ml = ml > 0.0 ? ml : 0.0;
        xi = (VAD_ALPHA * ((double)st->clean[b] / (double)st->noise[b])) + ((1.0 - VAD_ALPHA) * ml);
        xi = xi > VAD_XI_MIN ? xi : VAD_XI_MIN;
        g = xi / (1.0 + xi);
        sum += (gamma * g) - log(1.0 + xi);
        power += (double)st->power[b];
        noise += (double)st->noise[b];
        st->clean[b] = (float)(g * g * (double)st->power[b]);
    }
    llr = sum / (double)st->bands;

    /* Non-stationary noise: the share of bands dipping 6 dB under their noise estimate, averaged over about a
     * second. Stationary noise (8 bins per band) dips that far in about 1 % of the bands, and speech only adds
     * power; babble does in 5-15 % (its talkers pause). Then a frame must also stand 6 dB above the noise in
     * total (4.8 dB to stay active), and a burst 9 dB before the hangover holds it. */
    for (b = 0; b < st->bands; b++) {
        dips += st->power[b] < VAD_DIP_RATIO * st->noise[b] ? 1 : 0;
    }
    st->dips += (st->frames < 100 ? 1.0 / (double)st->frames : VAD_DIP_RATE) *
                (((double)dips / (double)st->bands) - st->dips);
    babble = st->dips > VAD_DIP_THRESHOLD;
    speech = llr > (st->active ? VAD_HOLD : VAD_ONSET) &&
             (!babble || power > (st->active ? VAD_HOLD_GATE : VAD_FULL_BAND_GATE) * noise);

    vad_update_noise(st, speech);

    if (speech) {
        st->active = 1;
        if (st->run < VAD_BURST_FRAMES) {
            st->run++;
        }
        if (st->run == VAD_BURST_FRAMES && (!babble || power > VAD_HANGOVER_GATE * noise)) {
            st->hangover = VAD_HANGOVER_FRAMES;
        }
    } else if (st->hangover > 0) {
        st->hangover--;
    } else {
        st->active = 0;
    }
    if (!speech) {
        st->run = 0;
    }
    *out_active = st->active;
    return SW_VAD_OK;
}
