/* SPDX-License-Identifier: MIT */
/* In-band DTMF receiver: C99 fallback of Sipwire.Dsp.DtmfDetector (Goertzel halves, Q.24 limits). */
#include "sipwire/dtmf.h"

#include <math.h>
#include <stddef.h>

#define HALF (SW_DTMF_BLOCK_SIZE / 2)
#define RATE 8000.0f
#define PI_F 3.14159265358979f
#define MAX_DEVIATION 0.025f
#define MAX_NORMAL_TWIST 6.309573f  /* 8 dB */
#define MAX_REVERSE_TWIST 2.511886f /* 4 dB */
#define RELATIVE_PEAK 6.309573f     /* 8 dB */
#define TONE_TO_TOTAL 0.70f
#define MIN_HALF_BALANCE 0.5f
#define CONFIRM_BLOCKS 2
#define RELEASE_BLOCKS 3

static const float k_freq[8] = {697.0f, 770.0f, 852.0f, 941.0f, 1209.0f, 1336.0f, 1477.0f, 1633.0f};
static const char k_keys[16] = {'1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D'};

/* Per-frequency constants, computed once (cos w, sin w, and the rotations to DFT phase). */
typedef struct {
    float coef, cosw, sinw, rot_re, rot_im, half_re, half_im, w;
} sw_dtmf_coefs;

static sw_dtmf_coefs k_coefs[8];
static int k_coefs_ready;

static void init_coefs(void)
{
    int i;
    if (k_coefs_ready) {
        return;
    }
    for (i = 0; i < 8; i++) {
        float w = 2.0f * PI_F * k_freq[i] / RATE;
        k_coefs[i].w = w;
        k_coefs[i].cosw = cosf(w);
        k_coefs[i].sinw = sinf(w);
        k_coefs[i].coef = 2.0f * cosf(w);
        k_coefs[i].rot_re = cosf(-w * (float)(HALF - 1));
        k_coefs[i].rot_im = sinf(-w * (float)(HALF - 1));
        k_coefs[i].half_re = cosf(-w * (float)HALF);
        k_coefs[i].half_im = sinf(-w * (float)HALF);
    }
    k_coefs_ready = 1;
}

int32_t sw_dtmf_rx_init(sw_dtmf_rx *rx, float min_tone_level_dbm0)
{
    int i;
    float peak;
    if (rx == NULL) {
        return SW_DTMF_E_INVALID_ARG;
    }
    init_coefs();
    for (i = 0; i < 8; i++) {
        rx->s1[i] = rx->s2[i] = rx->first_re[i] = rx->first_im[i] = 0.0f;
    }
    rx->energy = 0.0f;
    peak = 32768.0f * powf(10.0f, (min_tone_level_dbm0 - 3.14f) / 20.0f);
    rx->min_tone_power = peak * peak / 2.0f;
    rx->position = 0;
    rx->candidate_blocks = 0;
    rx->missing_blocks = 0;
    rx->candidate = '\0';
    rx->current = '\0';
    return SW_DTMF_OK;
}

char sw_dtmf_rx_current(const sw_dtmf_rx *rx)
{
    return rx == NULL ? '\0' : rx->current;
}

/* DFT term of the finished half block: X = e^{-jw(N-1)} (s1 - e^{-jw} s2). */
static void half_dft(const sw_dtmf_rx *rx, int i, float *re, float *im)
{
    float y_re = rx->s1[i] - k_coefs[i].cosw * rx->s2[i];
    float y_im = k_coefs[i].sinw * rx->s2[i];
    *re = y_re * k_coefs[i].rot_re - y_im * k_coefs[i].rot_im;
    *im = y_re * k_coefs[i].rot_im + y_im * k_coefs[i].rot_re;
}

static float wrap_phase(float p)
{
    p = fmodf(p, 2.0f * PI_F);
    if (p > PI_F) {
        p -= 2.0f * PI_F;
    } else if (p < -PI_F) {
        p += 2.0f * PI_F;
    }
    return p;
}

static float sinc_squared(float bins)
{
    float s;
    if (fabsf(bins) < 1e-6f) {
        return 1.0f;
    }
    s = sinf(PI_F * bins) / (PI_F * bins);
    s *= s;
    return s < 0.25f ? 0.25f : s;
}

static char analyze(const sw_dtmf_rx *rx)
{
    float power[8], deviation[8], offset_bins[8], balance[8];
    float low, high, block_power;
    int i, row = 0, col = 4;

    for (i = 0; i < 8; i++) {
        float re2, im2, re, im, advance, delta, offset_hz, amplitude, first, second, mx;
        half_dft(rx, i, &re2, &im2);
        re = rx->first_re[i] + k_coefs[i].half_re * re2 - k_coefs[i].half_im * im2;
        im = rx->first_im[i] + k_coefs[i].half_re * im2 + k_coefs[i].half_im * re2;
        advance = atan2f(im2, re2) - atan2f(rx->first_im[i], rx->first_re[i]);
        delta = wrap_phase(advance - k_coefs[i].w * (float)HALF);
        offset_hz = delta * RATE / (2.0f * PI_F * (float)HALF);
        deviation[i] = fabsf(offset_hz) / k_freq[i];
        offset_bins[i] = offset_hz * (float)SW_DTMF_BLOCK_SIZE / RATE;
        amplitude = 2.0f * sqrtf(re * re + im * im) / (float)SW_DTMF_BLOCK_SIZE;
        power[i] = amplitude * amplitude / 2.0f;
        first = rx->first_re[i] * rx->first_re[i] + rx->first_im[i] * rx->first_im[i];
        second = re2 * re2 + im2 * im2;
        mx = first > second ? first : second;
        balance[i] = (first < second ? first : second) / (mx > 1e-9f ? mx : 1e-9f);
    }
    for (i = 1; i < 4; i++) {
        if (power[i] > power[row]) {
            row = i;
        }
        if (power[i + 4] > power[col]) {
            col = i + 4;
        }
    }
    low = power[row];
    high = power[col];
    block_power = rx->energy / (float)SW_DTMF_BLOCK_SIZE;
    if (balance[row] < MIN_HALF_BALANCE || balance[col] < MIN_HALF_BALANCE) {
        return '\0';
    }
    if (low < rx->min_tone_power || high < rx->min_tone_power) {
        return '\0';
    }
    /* Q.24 twist: high group up to 8 dB weaker, or up to 4 dB stronger. */
    if (high < low ? low > MAX_NORMAL_TWIST * high : high > MAX_REVERSE_TWIST * low) {
        return '\0';
    }
    for (i = 0; i < 4; i++) {
        if ((i != row && power[i] * RELATIVE_PEAK > low) || (i + 4 != col && power[i + 4] * RELATIVE_PEAK > high)) {
            return '\0';
        }
    }
    if (deviation[row] > MAX_DEVIATION || deviation[col] > MAX_DEVIATION) {
        return '\0';
    }
    if (low / sinc_squared(offset_bins[row]) + high / sinc_squared(offset_bins[col]) < TONE_TO_TOTAL * block_power) {
        return '\0';
    }
    return k_keys[row * 4 + (col - 4)];
}

/* Returns the digit to report now, or '\0'. */
static char track(sw_dtmf_rx *rx, char key)
{
    if (key != '\0' && key == rx->current) {
        rx->missing_blocks = 0;
        return '\0';
    }
    if (rx->current != '\0') {
        rx->missing_blocks++;
        if (rx->missing_blocks < RELEASE_BLOCKS) {
            return '\0';
        }
        rx->current = '\0';
        rx->missing_blocks = 0;
    }
    if (key == '\0') {
        rx->candidate = '\0';
        rx->candidate_blocks = 0;
        return '\0';
    }
    if (key == rx->candidate) {
        rx->candidate_blocks++;
    } else {
        rx->candidate = key;
        rx->candidate_blocks = 1;
    }
    if (rx->candidate_blocks >= CONFIRM_BLOCKS) {
        rx->current = key;
        rx->candidate = '\0';
        rx->candidate_blocks = 0;
        return key;
    }
    return '\0';
}

int32_t sw_dtmf_rx_process(sw_dtmf_rx *rx, const int16_t *pcm, int32_t n, char *digits,
                           int32_t max_digits, int32_t *out_count)
{
    int32_t k, found = 0;
    int32_t status = SW_DTMF_OK;
    int i;

    if (rx == NULL || out_count == NULL || n < 0 || max_digits < 0 || (n > 0 && pcm == NULL) ||
        (max_digits > 0 && digits == NULL)) {
        return SW_DTMF_E_INVALID_ARG;
    }
    for (k = 0; k < n; k++) {
        float x = (float)pcm[k];
        rx->energy += x * x;
        for (i = 0; i < 8; i++) {
            float s0 = x + k_coefs[i].coef * rx->s1[i] - rx->s2[i];
            rx->s2[i] = rx->s1[i];
            rx->s1[i] = s0;
        }
        rx->position++;
        if (rx->position == HALF) {
            for (i = 0; i < 8; i++) {
                half_dft(rx, i, &rx->first_re[i], &rx->first_im[i]);
                rx->s1[i] = rx->s2[i] = 0.0f;
            }
        } else if (rx->position == SW_DTMF_BLOCK_SIZE) {
            char digit = track(rx, analyze(rx));
            if (digit != '\0') {
                if (found < max_digits) {
                    digits[found++] = digit;
                } else {
                    status = SW_DTMF_E_BUFFER_TOO_SMALL;
                }
            }
            rx->position = 0;
            rx->energy = 0.0f;
            for (i = 0; i < 8; i++) {
                rx->s1[i] = rx->s2[i] = 0.0f;
            }
        }
    }
    *out_count = found;
    return status;
}
