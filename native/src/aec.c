/* SPDX-License-Identifier: MIT */
/* Acoustic echo canceller, C99 fallback: the same algorithm and operation order as
 * managed/Sipwire.Dsp/EchoCanceller*.cs (two-path MDF, Valin learning rate, proportionate step,
 * binary-spectrum delay estimator, residual echo suppressor, comfort noise). */
#include "sipwire/aec.h"
#include "sipwire/fft.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define AEC_BANDS 32
#define AEC_PREEMPH 0.9f
#define AEC_MIN_LEAK 0.005f
/* Noise-referenced residual echo suppressor (see EchoCanceller.Block.cs): a bin whose residual echo
 * is under the near-end noise passes, one where it could be heard (in far-end single talk, any the
 * echo reaches) is taken well under the noise, and comfort noise at the measured noise level fills
 * what a bin lost. */
#define AEC_OVER 10.0f
/* Suppressed-bin floor: AEC_NOISE_FLOOR_SHARE of N / (Ps + AEC_ECHO_FLOOR_WEIGHT R), so a bin where
 * residual echo dominates passes it well under the noise and comfort noise tops it up. */
#define AEC_NOISE_FLOOR_SHARE 0.5f
#define AEC_ECHO_FLOOR_WEIGHT 10.0f
/* Far-end single talk: a bin whose echo reference stands over the near-end noise always takes the
 * floor, with this noise share (-10 dB); see EchoCanceller.SingleTalkFloorShare. */
#define AEC_SINGLE_TALK_FLOOR_SHARE 0.1f
#define AEC_ECHO_DECAY 0.6f
#define AEC_POWER_SMOOTHING 0.2f
/* Per-bin leakage (error - noise) / echo: its mean (used in double talk) and its upper envelope,
 * fast rise, slow decay (used in far-end single talk); see EchoCanceller.BinLeakStep. */
#define AEC_BIN_LEAK_STEP 0.02f
/* The mean starts as the plain average of the updates seen (step 1/n) until the step reaches
 * AEC_BIN_LEAK_STEP; see EchoCanceller.BinLeakWarmup. */
#define AEC_BIN_LEAK_WARMUP 50
#define AEC_BIN_LEAK_RISE 0.1f
#define AEC_BIN_LEAK_DECAY 0.005f
/* Double-talk hold, 480 ms (see EchoCanceller.DoubleTalkHoldBlocks). */
#define AEC_DT_HOLD_BLOCKS 60
/* Near-end noise PSD, minima-controlled recursive averaging (Cohen and Berdugo, IEEE SPL 9(1),
 * 2002): the minimum (rising 2.7 dB/s) decides presence, the PSD is the periodogram mean over the
 * noise-only blocks, capped at AEC_NOISE_CAP times the minimum. */
#define AEC_MIN_RISE 1.005f
#define AEC_PRESENCE_RATIO 5.0f
#define AEC_NOISE_STEP 0.05f
#define AEC_NOISE_CAP 4.0f
/* Echo gate on the noise PSD: averaged only where the echo reference is under AEC_ECHO_NOISE_GATE
 * times the minimum; a shut bin only follows the smoothed power down, and averages regardless after
 * AEC_NOISE_GATE_HOLD blocks (2 s) of a far end that never pauses (see EchoCanceller.EchoNoiseGate). */
#define AEC_ECHO_NOISE_GATE 3.0f
#define AEC_NOISE_GATE_HOLD 250
/* Comfort-noise power per unit of noise PSD: 1.5 (uniform(-1,1) parts have variance 1/3) x 2 (a
 * random-phase frame through the sqrt-Hann synthesis window and overlap-add comes out 3 dB under
 * the windowed noise it replaces); the PSD is an unbiased mean. Same as EchoCanceller.ComfortNoiseScale. */
#define AEC_CN_SCALE 3.0f
#define AEC_MAX_BLOCK 128
/* Delay estimator: a far block is broadband (evidence) when at least AEC_BROADBAND_BANDS of the 32
 * bands are within 15 dB (1/32 in power) of its strongest band; a lag wins only under
 * AEC_RIVAL_MARGIN times the best cost of the lags that are not its neighbours (see DelayEstimator.cs). */
#define AEC_BAND_SPAN (1.0f / 32.0f)
#define AEC_BROADBAND_BANDS 8
#define AEC_RIVAL_MARGIN 0.85f

/* Binary-spectrum bulk delay estimator (see DelayEstimator.cs). */
typedef struct aec_delay {
    int32_t history;
    int32_t lo;
    int32_t hi;
    int32_t head;
    int32_t candidate;
    int32_t candidate_blocks;
    int32_t hold_blocks;
    int32_t delay_blocks;
    float far_mean[AEC_BANDS];
    float mic_mean[AEC_BANDS];
    float band[AEC_BANDS];
    uint32_t *far_words;
    uint8_t *far_active;
    float *cost;
} aec_delay;

struct sw_aec {
    uint32_t magic;
    int32_t rate;
    int32_t frame;
    int32_t block;
    int32_t fft_size;
    int32_t bins;
    int32_t partitions;
    int32_t suppression;
    int32_t comfort_noise;
    int32_t max_delay_blocks;
    int32_t delay_blocks;
    int32_t in_fill;
    int32_t out_fill;
    int32_t far_line_blocks;
    int32_t far_line_head;
    int32_t x_head;
    int32_t constrain_next;
    int32_t adapted;
    uint32_t seed;
    float mic_prev_in, mic_dc, mic_pre, far_pre, de_emph_e, de_emph_y;
    float pey, pyy, leak, sum_adapt, error_floor, davg1, davg2, dvar1, dvar2;
    float pey_free, echo_leak;
    int32_t dt_hold;
    int32_t noise_started;
    int32_t have_delay;
    aec_delay delay;
    sw_fft_f32 fft;
    float mic_in[AEC_MAX_BLOCK];
    float far_in[AEC_MAX_BLOCK];
    float out_fifo[160 + 2 * AEC_MAX_BLOCK];
    float time[2 * AEC_MAX_BLOCK];
    float tr[AEC_MAX_BLOCK + 1], ti[AEC_MAX_BLOCK + 1], ur[AEC_MAX_BLOCK + 1], ui[AEC_MAX_BLOCK + 1];
    float sx[AEC_MAX_BLOCK + 1], eh[AEC_MAX_BLOCK + 1], yh[AEC_MAX_BLOCK + 1];
    float gr[AEC_MAX_BLOCK + 1], gi[AEC_MAX_BLOCK + 1], dr[AEC_MAX_BLOCK + 1], di[AEC_MAX_BLOCK + 1];
    float yb[AEC_MAX_BLOCK], yf[AEC_MAX_BLOCK], eb[AEC_MAX_BLOCK], ef[AEC_MAX_BLOCK], mic[AEC_MAX_BLOCK];
    float window[2 * AEC_MAX_BLOCK];
    float e_prev[AEC_MAX_BLOCK], y_prev[AEC_MAX_BLOCK], ola_tail[AEC_MAX_BLOCK];
    float noise[AEC_MAX_BLOCK + 1], smooth_power[AEC_MAX_BLOCK + 1], gain[AEC_MAX_BLOCK + 1];
    float noise_psd[AEC_MAX_BLOCK + 1], echo_ref[AEC_MAX_BLOCK + 1], echo_smooth[AEC_MAX_BLOCK + 1], bin_leak[AEC_MAX_BLOCK + 1];
    float bin_leak_peak[AEC_MAX_BLOCK + 1];
    uint8_t leak_count[AEC_MAX_BLOCK + 1]; /* learning updates per bin, up to AEC_BIN_LEAK_WARMUP */
    int32_t gate_shut[AEC_MAX_BLOCK + 1];
    /* Variable-size arrays follow the struct. */
    float *far_line;
    float *xr, *xi, *wbr, *wbi, *wfr, *wfi, *prop;
};

#define AEC_MAGIC 0x41454331u

static int32_t round_up16(int32_t v)
{
    return (v + 15) & ~15;
}

static int32_t check_config(const sw_aec_config *cfg)
{
    if (cfg == NULL || cfg->struct_size < sizeof(sw_aec_config)) {
        return 0;
    }
    if (cfg->sample_rate != 8000 && cfg->sample_rate != 16000) {
        return 0;
    }
    if (cfg->tail_ms < 16 || cfg->tail_ms > 500 || cfg->max_delay_ms < 0 || cfg->max_delay_ms > 500) {
        return 0;
    }
    return 1;
}

typedef struct aec_dims {
    int32_t block, partitions, max_delay_blocks, far_line_blocks, history;
} aec_dims;

static void dims_of(const sw_aec_config *cfg, aec_dims *d)
{
    int32_t tail_samples = cfg->tail_ms * cfg->sample_rate / 1000;
    d->block = cfg->sample_rate == 8000 ? 64 : 128;
    d->partitions = (tail_samples + d->block - 1) / d->block;
    d->max_delay_blocks = cfg->max_delay_ms * cfg->sample_rate / 1000 / d->block;
    d->far_line_blocks = d->max_delay_blocks + d->partitions + 2;
    d->history = d->max_delay_blocks > 0 ? d->max_delay_blocks + 1 : 0;
}

static int32_t layout_size(const aec_dims *d)
{
    int32_t bins = d->block + 1;
    int32_t pf = d->partitions * bins;
    int32_t size = round_up16((int32_t)sizeof(sw_aec));
    size += round_up16(d->far_line_blocks * d->block * (int32_t)sizeof(float));
    size += 6 * round_up16(pf * (int32_t)sizeof(float));
    size += round_up16(d->partitions * (int32_t)sizeof(float));
    size += round_up16(d->history * (int32_t)sizeof(uint32_t));
    size += round_up16(d->history);
    size += round_up16(d->history * (int32_t)sizeof(float));
    return size;
}

void sw_aec_config_init(sw_aec_config *cfg)
{
    if (cfg == NULL) {
        return;
    }
    cfg->struct_size = sizeof(sw_aec_config);
    cfg->sample_rate = 16000;
    cfg->tail_ms = 128;
    cfg->max_delay_ms = 240;
    cfg->suppression = 1;
    cfg->comfort_noise = 1;
}

int32_t sw_aec_get_size(const sw_aec_config *cfg, int32_t *out_size)
{
    aec_dims d;
    if (out_size == NULL || !check_config(cfg)) {
        return SW_AEC_E_INVALID_ARG;
    }
    dims_of(cfg, &d);
    *out_size = layout_size(&d);
    return SW_AEC_OK;
}

static void reset_state(sw_aec *st)
{
    int32_t pf = st->partitions * st->bins;
    int32_t f;
    memset(st->far_line, 0, sizeof(float) * (size_t)(st->far_line_blocks * st->block));
    memset(st->xr, 0, sizeof(float) * (size_t)pf);
    memset(st->xi, 0, sizeof(float) * (size_t)pf);
    memset(st->wbr, 0, sizeof(float) * (size_t)pf);
    memset(st->wbi, 0, sizeof(float) * (size_t)pf);
    memset(st->wfr, 0, sizeof(float) * (size_t)pf);
    memset(st->wfi, 0, sizeof(float) * (size_t)pf);
    memset(st->eh, 0, sizeof st->eh);
    memset(st->yh, 0, sizeof st->yh);
    memset(st->e_prev, 0, sizeof st->e_prev);
    memset(st->y_prev, 0, sizeof st->y_prev);
    memset(st->ola_tail, 0, sizeof st->ola_tail);
    memset(st->smooth_power, 0, sizeof st->smooth_power);
    memset(st->noise_psd, 0, sizeof st->noise_psd);
    memset(st->echo_ref, 0, sizeof st->echo_ref);
    memset(st->echo_smooth, 0, sizeof st->echo_smooth);
    memset(st->gate_shut, 0, sizeof st->gate_shut);
    for (f = 0; f < st->bins; f++) {
        st->noise[f] = 1e12f;
        st->gain[f] = 1.0f;
        st->bin_leak[f] = 1.0f;
        st->bin_leak_peak[f] = 1.0f;
        st->leak_count[f] = 0;
    }
    st->far_line_head = 0;
    st->x_head = 0;
    st->delay_blocks = 0;
    st->mic_prev_in = st->mic_dc = st->mic_pre = st->far_pre = 0.0f;
    st->de_emph_e = st->de_emph_y = 0.0f;
    st->pey = 0.0f;
    st->pyy = 1.0f;
    st->leak = 0.0f;
    st->pey_free = 0.0f;
    st->echo_leak = 0.0f;
    st->dt_hold = 0;
    st->noise_started = 0;
    st->sum_adapt = 0.0f;
    st->adapted = 0;
    st->error_floor = 0.0f;
    st->davg1 = st->davg2 = st->dvar1 = st->dvar2 = 0.0f;
    st->constrain_next = 0;
    st->seed = 0x12345678u;
    if (st->have_delay) {
        aec_delay *d = &st->delay;
        int32_t i;
        memset(d->far_mean, 0, sizeof d->far_mean);
        memset(d->mic_mean, 0, sizeof d->mic_mean);
        for (i = 0; i < d->history; i++) {
            d->far_words[i] = 0;
            d->far_active[i] = 0;
            d->cost[i] = 16.0f;
        }
        d->head = 0;
        d->candidate = -1;
        d->candidate_blocks = 0;
        d->delay_blocks = 0;
    }
}

int32_t sw_aec_init(void *mem, int32_t size, const sw_aec_config *cfg, sw_aec **out_aec)
{
    aec_dims d;
    sw_aec *st;
    uint8_t *p;
    int32_t pf;
    int32_t i;
    if (mem == NULL || out_aec == NULL || !check_config(cfg) || ((uintptr_t)mem & 15u) != 0) {
        return SW_AEC_E_INVALID_ARG;
    }
    dims_of(cfg, &d);
    if (size < layout_size(&d)) {
        return SW_AEC_E_INVALID_ARG;
    }
    memset(mem, 0, (size_t)layout_size(&d));
    st = (sw_aec *)mem;
    st->rate = cfg->sample_rate;
    st->frame = st->rate / 100;
    st->block = d.block;
    st->fft_size = 2 * d.block;
    st->bins = d.block + 1;
    st->partitions = d.partitions;
    st->suppression = cfg->suppression != 0;
    st->comfort_noise = cfg->comfort_noise != 0;
    st->max_delay_blocks = d.max_delay_blocks;
    st->far_line_blocks = d.far_line_blocks;
    st->have_delay = d.max_delay_blocks > 0;
    pf = d.partitions * st->bins;
    p = (uint8_t *)mem + round_up16((int32_t)sizeof(sw_aec));
    st->far_line = (float *)p;
    p += round_up16(d.far_line_blocks * d.block * (int32_t)sizeof(float));
    st->xr = (float *)p;
    p += round_up16(pf * (int32_t)sizeof(float));
    st->xi = (float *)p;
    p += round_up16(pf * (int32_t)sizeof(float));
    st->wbr = (float *)p;
    p += round_up16(pf * (int32_t)sizeof(float));
    st->wbi = (float *)p;
    p += round_up16(pf * (int32_t)sizeof(float));
    st->wfr = (float *)p;
    p += round_up16(pf * (int32_t)sizeof(float));
    st->wfi = (float *)p;
    p += round_up16(pf * (int32_t)sizeof(float));
    st->prop = (float *)p;
    p += round_up16(d.partitions * (int32_t)sizeof(float));
    st->delay.far_words = (uint32_t *)p;
    p += round_up16(d.history * (int32_t)sizeof(uint32_t));
    st->delay.far_active = p;
    p += round_up16(d.history);
    st->delay.cost = (float *)p;
    if (st->have_delay) {
        st->delay.history = d.history;
        st->delay.lo = st->bins / 32;
        st->delay.hi = (st->bins * 3) / 4;
        st->delay.hold_blocks = (st->rate / st->block) / 4;
    }
    if (sw_fft_f32_init(&st->fft, st->fft_size) != 0) {
        return SW_AEC_E_INVALID_ARG;
    }
    /* Periodic sqrt-Hann: squares of two half-overlapped windows sum to 1. */
    for (i = 0; i < st->fft_size; i++) {
        st->window[i] = (float)sqrt(0.5 - 0.5 * cos(2.0 * 3.14159265358979323846 * (double)i / (double)st->fft_size));
    }
    st->in_fill = 0;
    st->out_fill = st->block;
    reset_state(st);
    st->magic = AEC_MAGIC;
    *out_aec = st;
    return SW_AEC_OK;
}

/* ---- kernels (same operation order as AecKernels.cs) ---- */

static void multiply_accumulate(const float *xr, const float *xi, const float *wr, const float *wi, float *yr, float *yi, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++) {
        float a = xr[i];
        float b = xi[i];
        float c = wr[i];
        float d = wi[i];
        yr[i] = yr[i] + ((a * c) - (b * d));
        yi[i] = yi[i] + ((a * d) + (b * c));
    }
}

static void conjugate_multiply_add(const float *xr, const float *xi, const float *gr, const float *gi, float scale, float *wr, float *wi, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++) {
        float a = xr[i];
        float b = xi[i];
        float c = gr[i];
        float d = gi[i];
        wr[i] = wr[i] + (((a * c) + (b * d)) * scale);
        wi[i] = wi[i] + (((a * d) - (b * c)) * scale);
    }
}

static void power_accumulate(const float *xr, const float *xi, float *acc, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++) {
        float a = xr[i];
        float b = xi[i];
        acc[i] = acc[i] + ((a * a) + (b * b));
    }
}

/* ---- delay estimator ---- */

static int32_t popcount32(uint32_t v)
{
    int32_t c = 0;
    while (v != 0) {
        v &= v - 1u;
        c++;
    }
    return c;
}

static float band_energies(aec_delay *d, const float *re, const float *im)
{
    int32_t width = (d->hi - d->lo) / AEC_BANDS;
    float total = 0.0f;
    int32_t b;
    for (b = 0; b < AEC_BANDS; b++) {
        float e = 0.0f;
        int32_t start = d->lo + (b * width);
        int32_t k;
        for (k = start; k < start + width; k++) {
            e += (re[k] * re[k]) + (im[k] * im[k]);
        }
        d->band[b] = e;
        total += e;
    }
    return total;
}

/* At least AEC_BROADBAND_BANDS bands within 15 dB of the strongest: a steady tone (busy, ring-back,
 * test tone) is no evidence, its word is the same at every lag. */
static int is_broadband(const aec_delay *d)
{
    float max = 0.0f;
    float low;
    int32_t count = 0;
    int32_t b;
    for (b = 0; b < AEC_BANDS; b++) {
        if (d->band[b] > max) {
            max = d->band[b];
        }
    }
    low = max * AEC_BAND_SPAN;
    for (b = 0; b < AEC_BANDS; b++) {
        if (d->band[b] > low) {
            count++;
        }
    }
    return count >= AEC_BROADBAND_BANDS;
}

static uint32_t binarize(aec_delay *d, float *mean, int active)
{
    uint32_t word = 0;
    int32_t b;
    for (b = 0; b < AEC_BANDS; b++) {
        if (d->band[b] > mean[b]) {
            word |= 1u << b;
        }
        if (active) {
            mean[b] += 0.02f * (d->band[b] - mean[b]);
        }
    }
    return word;
}

static void delay_update(aec_delay *d, const float *far_re, const float *far_im, const float *mic_re, const float *mic_im, float threshold)
{
    float far_energy = band_energies(d, far_re, far_im);
    int broadband = is_broadband(d);
    uint32_t far_word = binarize(d, d->far_mean, far_energy > threshold);
    float rival_cost = 3.402823466e38f;
    float mic_energy;
    int mic_active;
    uint32_t mic_word;
    int32_t best = 0;
    float best_cost = 3.402823466e38f;
    float sum = 0.0f;
    int32_t idx;
    int32_t lag;
    d->head = d->head + 1 == d->history ? 0 : d->head + 1;
    d->far_words[d->head] = far_word;
    d->far_active[d->head] = (uint8_t)(far_energy > threshold && broadband);
    mic_energy = band_energies(d, mic_re, mic_im);
    mic_active = mic_energy > threshold * 0.001f;
    /* A silent microphone is compared too, as an all-zero word: a far-end burst that left no
     * trace in the microphone is evidence against that lag (see DelayEstimator.cs). */
    mic_word = mic_active ? binarize(d, d->mic_mean, 1) : 0u;
    idx = d->head;
    for (lag = 0; lag < d->history; lag++) {
        if (d->far_active[idx]) {
            float dist = (float)popcount32(mic_word ^ d->far_words[idx]);
            d->cost[lag] += 0.04f * (dist - d->cost[lag]);
        }
        sum += d->cost[lag];
        if (d->cost[lag] < best_cost) {
            best_cost = d->cost[lag];
            best = lag;
        }
        idx = idx == 0 ? d->history - 1 : idx - 1;
    }
    /* A clear winner only: under 3/4 of the mean cost and clearly under its best rival that is not
     * a neighbour (a far end periodic within the search range matches at two lags); otherwise the
     * accepted delay stays. */
    for (lag = 0; lag < d->history; lag++) {
        if ((lag < best - 1 || lag > best + 1) && d->cost[lag] < rival_cost) {
            rival_cost = d->cost[lag];
        }
    }
    if (best_cost < 0.75f * (sum / (float)d->history) && best_cost < AEC_RIVAL_MARGIN * rival_cost) {
        if (best == d->candidate) {
            d->candidate_blocks++;
        } else {
            d->candidate = best;
            d->candidate_blocks = 1;
        }
        if (d->candidate_blocks >= d->hold_blocks) {
            d->delay_blocks = best;
        }
    }
}

/* ---- block core ---- */

static int32_t slot_of(const sw_aec *st, int32_t k)
{
    int32_t s = st->x_head - k;
    return s < 0 ? s + st->partitions : s;
}

static void load_far_window(const sw_aec *st, int32_t delay_blocks, float *time)
{
    int32_t n = st->block;
    int32_t newest = st->far_line_head - delay_blocks;
    int32_t older;
    if (newest < 0) {
        newest += st->far_line_blocks;
    }
    older = newest == 0 ? st->far_line_blocks - 1 : newest - 1;
    memcpy(time, st->far_line + (size_t)older * (size_t)n, sizeof(float) * (size_t)n);
    memcpy(time + n, st->far_line + (size_t)newest * (size_t)n, sizeof(float) * (size_t)n);
}

static void filter_output(sw_aec *st, const float *wr, const float *wi, float *y)
{
    int32_t bins = st->bins;
    int32_t k;
    memset(st->ur, 0, sizeof(float) * (size_t)bins);
    memset(st->ui, 0, sizeof(float) * (size_t)bins);
    for (k = 0; k < st->partitions; k++) {
        int32_t s = slot_of(st, k) * bins;
        multiply_accumulate(st->xr + s, st->xi + s, wr + k * bins, wi + k * bins, st->ur, st->ui, bins);
    }
    sw_fft_f32_inverse(&st->fft, st->ur, st->ui, st->time);
    memcpy(y, st->time + st->block, sizeof(float) * (size_t)st->block);
}

static void shift_filter(sw_aec *st, float *wr, float *wi, int32_t shift)
{
    int32_t p = st->partitions;
    int32_t bins = st->bins;
    int32_t k;
    size_t bytes = sizeof(float) * (size_t)bins;
    if (shift > 0) {
        for (k = 0; k < p; k++) {
            int32_t from = k + shift;
            if (from < p) {
                memmove(wr + k * bins, wr + from * bins, bytes);
                memmove(wi + k * bins, wi + from * bins, bytes);
            } else {
                memset(wr + k * bins, 0, bytes);
                memset(wi + k * bins, 0, bytes);
            }
        }
    } else if (shift < 0) {
        for (k = p - 1; k >= 0; k--) {
            int32_t from = k + shift;
            if (from >= 0) {
                memmove(wr + k * bins, wr + from * bins, bytes);
                memmove(wi + k * bins, wi + from * bins, bytes);
            } else {
                memset(wr + k * bins, 0, bytes);
                memset(wi + k * bins, 0, bytes);
            }
        }
    }
}

static void change_delay(sw_aec *st, int32_t new_delay)
{
    int32_t shift = new_delay - st->delay_blocks;
    int32_t bins = st->bins;
    int32_t k;
    shift_filter(st, st->wbr, st->wbi, shift);
    shift_filter(st, st->wfr, st->wfi, shift);
    st->delay_blocks = new_delay;
    /* Called before this block's partition 0 is stored: slot (head - k) becomes partition k + 1. */
    for (k = 0; k < st->partitions; k++) {
        int32_t s = slot_of(st, k);
        load_far_window(st, new_delay + k + 1, st->time);
        sw_fft_f32_forward(&st->fft, st->time, st->tr, st->ti);
        memcpy(st->xr + s * bins, st->tr, sizeof(float) * (size_t)bins);
        memcpy(st->xi + s * bins, st->ti, sizeof(float) * (size_t)bins);
    }
}

static float next_uniform(sw_aec *st)
{
    st->seed = (st->seed * 1664525u) + 1013904223u;
    return ((float)(st->seed >> 8) - 8388608.0f) * (1.0f / 8388608.0f);
}

static void suppress(sw_aec *st, float *output)
{
    int32_t n = st->block;
    int32_t bins = st->bins;
    float *time = st->time;
    int32_t i;
    int32_t f;
    for (i = 0; i < n; i++) {
        time[i] = st->window[i] * st->e_prev[i];
        time[n + i] = st->window[n + i] * st->ef[i];
    }
    sw_fft_f32_forward(&st->fft, time, st->tr, st->ti);
    memcpy(st->e_prev, st->ef, sizeof(float) * (size_t)n);
    if (st->suppression) {
        float leak = st->echo_leak;
        int first = !st->noise_started;
        int learn = st->dt_hold == 0;
        st->noise_started = 1;
        for (i = 0; i < n; i++) {
            time[i] = st->window[i] * st->y_prev[i];
            time[n + i] = st->window[n + i] * st->yf[i];
        }
        sw_fft_f32_forward(&st->fft, time, st->ur, st->ui);
        memcpy(st->y_prev, st->yf, sizeof(float) * (size_t)n);
        for (f = 0; f < bins; f++) {
            float pe = (st->tr[f] * st->tr[f]) + (st->ti[f] * st->ti[f]);
            float py = (st->ur[f] * st->ur[f]) + (st->ui[f] * st->ui[f]);
            float ps = first ? pe : st->smooth_power[f] + (AEC_POWER_SMOOTHING * (pe - st->smooth_power[f]));
            float minimum;
            float nn;
            float yr;
            float yd;
            float ys;
            float bl;
            float bp;
            float r;
            float rl;
            float g;
            float gs;
            int echo_only;
            float out_r;
            float out_i;
            st->smooth_power[f] = ps;
            /* Echo reference: the echo estimate with a decaying memory, smoothed. */
            yr = py;
            yd = AEC_ECHO_DECAY * st->echo_ref[f];
            if (yr < yd) {
                yr = yd;
            }
            st->echo_ref[f] = yr;
            ys = st->echo_smooth[f] + (AEC_POWER_SMOOTHING * (yr - st->echo_smooth[f]));
            st->echo_smooth[f] = ys;
            /* Near-end noise PSD (MCRA): the minimum decides presence, the mean is the PSD, averaged
             * only where the echo gate is open. */
            minimum = st->noise[f];
            minimum = ps < minimum ? ps : minimum * AEC_MIN_RISE;
            st->noise[f] = minimum;
            nn = st->noise_psd[f];
            if (first) {
                nn = pe;
            } else if (ps < AEC_PRESENCE_RATIO * minimum) {
                int32_t shut = ys < AEC_ECHO_NOISE_GATE * minimum ? 0 : st->gate_shut[f] + 1;
                if (shut > AEC_NOISE_GATE_HOLD) {
                    shut = AEC_NOISE_GATE_HOLD;
                }
                st->gate_shut[f] = shut;
                if (shut == 0 || shut == AEC_NOISE_GATE_HOLD) {
                    nn += AEC_NOISE_STEP * (pe - nn);
                } else if (ps < nn) {
                    nn += AEC_NOISE_STEP * (ps - nn);
                }
            }
            if (nn > AEC_NOISE_CAP * minimum) {
                nn = AEC_NOISE_CAP * minimum;
            }
            st->noise_psd[f] = nn;
            /* Residual echo PSD: per-bin leakage (learned in far-end single talk; its upper envelope
             * there, its mean in double talk) times the echo reference; the global leakage times the
             * echo estimate is a lower bound that follows an echo path change at once. */
            bl = st->bin_leak[f];
            bp = st->bin_leak_peak[f];
            if (learn && ys > 4.0f * nn) {
                float inst = (ps - nn) / ys;
                int32_t seen = st->leak_count[f];
                float step = AEC_BIN_LEAK_STEP;
                if (seen < AEC_BIN_LEAK_WARMUP) {
                    step = 1.0f / (float)(seen + 1);
                    st->leak_count[f] = (uint8_t)(seen + 1);
                }
                inst = inst < -1.0f ? -1.0f : inst > 1.0f ? 1.0f : inst;
                bl += step * (inst - bl);
                st->bin_leak[f] = bl;
                bp += (inst > bp ? AEC_BIN_LEAK_RISE : AEC_BIN_LEAK_DECAY) * (inst - bp);
                st->bin_leak_peak[f] = bp;
            }
            if (learn) {
                bl = bp;
            }
            r = bl > 0.0f ? bl * yr : 0.0f;
            rl = leak * py;
            if (r < rl) {
                r = rl;
            }
            g = 1.0f - (AEC_OVER * r / (pe + 1e-3f));
            if (g < 0.0f) {
                g = 0.0f;
            }
            gs = st->gain[f];
            gs = g < gs ? g : gs + (0.5f * (g - gs));
            st->gain[f] = gs;
            /* Noise-aware floor: a suppressed bin keeps AEC_NOISE_FLOOR_SHARE of the noise power, less
             * where residual echo dominates it. */
            echo_only = learn && ys > nn;
            if (gs < 1.0f || echo_only) {
                float share = echo_only ? AEC_SINGLE_TALK_FLOOR_SHARE : AEC_NOISE_FLOOR_SHARE;
                float floor_share = share * nn / (ps + (AEC_ECHO_FLOOR_WEIGHT * r) + 1e-3f);
                if (floor_share > 1.0f) {
                    floor_share = 1.0f;
                }
                if (echo_only || gs * gs < floor_share) {
                    gs = sqrtf(floor_share);
                }
            }
            out_r = gs * st->tr[f];
            out_i = gs * st->ti[f];
            if (st->comfort_noise && gs < 1.0f) {
                /* Top the bin up to the noise level: N - g^2 Ps (see AEC_CN_SCALE). */
                float fill = nn - (gs * gs * ps);
                if (fill > 0.0f) {
                    float a = sqrtf(AEC_CN_SCALE * fill);
                    out_r += a * next_uniform(st);
                    out_i += a * next_uniform(st);
                }
            }
            st->tr[f] = out_r;
            st->ti[f] = out_i;
        }
    }
    sw_fft_f32_inverse(&st->fft, st->tr, st->ti, time);
    for (i = 0; i < n; i++) {
        output[i] = st->ola_tail[i] + (st->window[i] * time[i]);
        st->ola_tail[i] = st->window[n + i] * time[n + i];
    }
}

static void process_block(sw_aec *st, float *output)
{
    int32_t n = st->block;
    int32_t bins = st->bins;
    int32_t p = st->partitions;
    float *time = st->time;
    float dc_pole = st->rate == 8000 ? 0.96f : 0.98f;
    float sxx = 0.0f;
    float see = 0.0f, sff = 0.0f, dbf = 0.0f, syy = 0.0f, sey = 0.0f;
    float diff;
    int update;
    int double_talk;
    int far_spectrum_ready = 0;
    float pey_inst = 0.0f, pyy_inst = 0.0f;
    float beta0, beta_max, beta, rer, corr, regularizer;
    float max_norm = 0.0f, sum_norm = 0.0f;
    int32_t line_base;
    int32_t i, k, f, c;

    /* 1. DC blocker on the mic, pre-emphasis 1 - 0.9 z^-1 on both signals. */
    for (i = 0; i < n; i++) {
        float x = st->mic_in[i];
        float dc = x - st->mic_prev_in + (dc_pole * st->mic_dc);
        st->mic_prev_in = x;
        st->mic_dc = dc;
        st->mic[i] = dc - (AEC_PREEMPH * st->mic_pre);
        st->mic_pre = dc;
    }
    st->far_line_head = st->far_line_head + 1 == st->far_line_blocks ? 0 : st->far_line_head + 1;
    line_base = st->far_line_head * n;
    for (i = 0; i < n; i++) {
        float x = st->far_in[i];
        float v = x - (AEC_PREEMPH * st->far_pre);
        st->far_pre = x;
        st->far_line[line_base + i] = v;
    }

    /* 2. Bulk delay. */
    if (st->have_delay) {
        int32_t wanted;
        int32_t dist;
        load_far_window(st, 0, time);
        sw_fft_f32_forward(&st->fft, time, st->tr, st->ti);
        far_spectrum_ready = st->delay_blocks == 0;
        memset(time, 0, sizeof(float) * (size_t)n);
        memcpy(time + n, st->mic, sizeof(float) * (size_t)n);
        sw_fft_f32_forward(&st->fft, time, st->dr, st->di);
        delay_update(&st->delay, st->tr, st->ti, st->dr, st->di, (float)n * 1e5f);
        wanted = st->delay.delay_blocks - 1;
        if (wanted < 0) {
            wanted = 0;
        }
        dist = wanted - st->delay_blocks;
        if (dist >= 2 || dist <= -2) {
            change_delay(st, wanted);
            far_spectrum_ready = 0;
        }
    }

    /* 3. Far-end spectrum into partition 0; power over all partitions. */
    st->x_head = st->x_head + 1 == p ? 0 : st->x_head + 1;
    load_far_window(st, st->delay_blocks, time);
    for (i = n; i < 2 * n; i++) {
        sxx += time[i] * time[i];
    }
    if (!far_spectrum_ready) {
        /* With no bulk delay the estimator's far spectrum is this one already. */
        sw_fft_f32_forward(&st->fft, time, st->tr, st->ti);
    }
    memcpy(st->xr + st->x_head * bins, st->tr, sizeof(float) * (size_t)bins);
    memcpy(st->xi + st->x_head * bins, st->ti, sizeof(float) * (size_t)bins);
    memset(st->sx, 0, sizeof(float) * (size_t)bins);
    for (k = 0; k < p; k++) {
        int32_t s = slot_of(st, k) * bins;
        power_accumulate(st->xr + s, st->xi + s, st->sx, bins);
    }

    /* 4. Echo estimates of both filters. */
    filter_output(st, st->wbr, st->wbi, st->yb);
    filter_output(st, st->wfr, st->wfi, st->yf);
    for (i = 0; i < n; i++) {
        float eb = st->mic[i] - st->yb[i];
        float ef = st->mic[i] - st->yf[i];
        float d = ef - eb;
        st->eb[i] = eb;
        st->ef[i] = ef;
        see += eb * eb;
        sff += ef * ef;
        dbf += d * d;
        syy += st->yb[i] * st->yb[i];
        sey += eb * st->yb[i];
    }

    /* 5. Two paths: promote the background when consistently better (never in double talk, where
     * Sff - See is dominated by the near end), reset it when consistently worse. */
    if (see < st->error_floor) {
        st->error_floor = see;
    } else {
        st->error_floor = (1.01f * st->error_floor) + 1.0f;
    }
    double_talk = st->adapted && see > (4.0f * st->leak * syy) + (8.0f * st->error_floor);
    st->dt_hold = double_talk ? AEC_DT_HOLD_BLOCKS : st->dt_hold > 0 ? st->dt_hold - 1 : 0;
    diff = sff - see;
    st->davg1 = (0.6f * st->davg1) + (0.4f * diff);
    st->davg2 = (0.85f * st->davg2) + (0.15f * diff);
    st->dvar1 = (0.36f * st->dvar1) + (0.16f * sff * dbf);
    st->dvar2 = (0.7225f * st->dvar2) + (0.0225f * sff * dbf);
    update = !double_talk && ((diff * fabsf(diff) > sff * dbf)
        || (st->davg1 * fabsf(st->davg1) > 0.5f * st->dvar1)
        || (st->davg2 * fabsf(st->davg2) > 0.25f * st->dvar2));
    if (update) {
        memcpy(st->wfr, st->wbr, sizeof(float) * (size_t)(p * bins));
        memcpy(st->wfi, st->wbi, sizeof(float) * (size_t)(p * bins));
        memcpy(st->ef, st->eb, sizeof(float) * (size_t)n);
        memcpy(st->yf, st->yb, sizeof(float) * (size_t)n);
        st->davg1 = st->davg2 = st->dvar1 = st->dvar2 = 0.0f;
    } else if ((-diff * fabsf(diff) > 4.0f * sff * dbf)
        || (-st->davg1 * fabsf(st->davg1) > 4.0f * st->dvar1)
        || (-st->davg2 * fabsf(st->davg2) > 4.0f * st->dvar2)) {
        memcpy(st->wbr, st->wfr, sizeof(float) * (size_t)(p * bins));
        memcpy(st->wbi, st->wfi, sizeof(float) * (size_t)(p * bins));
        memcpy(st->eb, st->ef, sizeof(float) * (size_t)n);
        memcpy(st->yb, st->yf, sizeof(float) * (size_t)n);
        see = sff;
        syy = 0.0f;
        sey = 0.0f;
        for (i = 0; i < n; i++) {
            syy += st->yb[i] * st->yb[i];
            sey += st->eb[i] * st->yb[i];
        }
        st->davg1 = st->davg2 = st->dvar1 = st->dvar2 = 0.0f;
    }

    /* 6. Learning rate (Valin 2007): leakage from correlated power fluctuations of E and Y. */
    memset(time, 0, sizeof(float) * (size_t)n);
    memcpy(time + n, st->eb, sizeof(float) * (size_t)n);
    sw_fft_f32_forward(&st->fft, time, st->gr, st->gi);
    memcpy(time + n, st->yb, sizeof(float) * (size_t)n);
    sw_fft_f32_forward(&st->fft, time, st->ur, st->ui);
    for (f = 0; f < bins; f++) {
        float ep = (st->gr[f] * st->gr[f]) + (st->gi[f] * st->gi[f]);
        float yp = (st->ur[f] * st->ur[f]) + (st->ui[f] * st->ui[f]);
        float de = ep - st->eh[f];
        float dy = yp - st->yh[f];
        st->tr[f] = ep;
        st->ti[f] = yp;
        pey_inst += de * dy;
        pyy_inst += dy * dy;
        st->eh[f] += 0.35f * (ep - st->eh[f]);
        st->yh[f] += 0.35f * (yp - st->yh[f]);
    }
    beta0 = 2.0f * (float)n / (float)st->rate;
    beta_max = 0.5f * (float)n / (float)st->rate;
    beta = beta0 * syy / (see + 1.0f);
    if (beta > beta_max) {
        beta = beta_max;
    }
    st->pey = ((1.0f - beta) * st->pey) + (beta * pey_inst);
    st->pyy = ((1.0f - beta) * st->pyy) + (beta * pyy_inst);
    if (st->pyy < 1.0f) {
        st->pyy = 1.0f;
    }
    /* The suppressor's leakage has no floor once the filter has adapted (its true value is far under
     * AEC_MIN_LEAK; a floored one mutes the noise floor under any far-end activity). */
    st->pey_free = ((1.0f - beta) * st->pey_free) + (beta * pey_inst);
    if (st->pey_free < 0.0f) {
        st->pey_free = 0.0f;
    }
    if (st->pey < AEC_MIN_LEAK * st->pyy) {
        st->pey = AEC_MIN_LEAK * st->pyy;
    }
    if (st->pey > st->pyy) {
        st->pey = st->pyy;
    }
    st->leak = st->pey / st->pyy;
    {
        float free_leak = st->pey_free / st->pyy;
        if (!st->adapted && free_leak < AEC_MIN_LEAK) {
            free_leak = AEC_MIN_LEAK;
        }
        st->echo_leak = free_leak > 1.0f ? 1.0f : free_leak;
    }
    rer = ((0.0001f * sxx) + (3.0f * st->leak * syy)) / (see + 1.0f);
    corr = sey * sey / (1.0f + (see * syy));
    if (rer < corr) {
        rer = corr;
    }
    if (rer > 0.5f) {
        rer = 0.5f;
    }
    regularizer = (float)(p * st->fft_size) * 100.0f;
    if (!st->adapted) {
        float rate = 0.0f;
        if (sxx > (float)n * 1000.0f) {
            float t = 0.25f * sxx;
            if (t > 0.25f * see) {
                t = 0.25f * see;
            }
            rate = t / (see + 1.0f);
        }
        st->sum_adapt += rate;
        if (st->sum_adapt > (float)p) {
            st->adapted = 1;
        }
        for (f = 0; f < bins; f++) {
            float step = 2.0f * rate / (st->sx[f] + regularizer);
            st->gr[f] *= step;
            st->gi[f] *= step;
        }
    } else {
        for (f = 0; f < bins; f++) {
            float e = st->tr[f] + 1.0f;
            float r = st->leak * st->ti[f];
            float step;
            if (r > 0.5f * e) {
                r = 0.5f * e;
            }
            r = (0.7f * r) + (0.3f * rer * e);
            step = r / (e * (st->sx[f] + regularizer));
            st->gr[f] *= step;
            st->gi[f] *= step;
        }
    }

    /* 7. Proportionate update of the background, then the constraint on two partitions. */
    for (k = 0; k < p; k++) {
        float e2 = 0.0f;
        int32_t o = k * bins;
        float norm;
        for (f = 0; f < bins; f++) {
            e2 += (st->wbr[o + f] * st->wbr[o + f]) + (st->wbi[o + f] * st->wbi[o + f]);
        }
        norm = sqrtf(e2);
        st->prop[k] = norm;
        if (norm > max_norm) {
            max_norm = norm;
        }
    }
    for (k = 0; k < p; k++) {
        st->prop[k] += (0.1f * max_norm) + 1.0f;
        sum_norm += st->prop[k];
    }
    for (k = 0; k < p; k++) {
        int32_t s = slot_of(st, k) * bins;
        conjugate_multiply_add(st->xr + s, st->xi + s, st->gr, st->gi, 0.99f * (float)p * st->prop[k] / sum_norm,
                               st->wbr + k * bins, st->wbi + k * bins, bins);
    }
    for (c = 0; c < 2 && c < p; c++) {
        k = st->constrain_next;
        st->constrain_next = st->constrain_next + 1 == p ? 0 : st->constrain_next + 1;
        memcpy(st->ur, st->wbr + k * bins, sizeof(float) * (size_t)bins);
        memcpy(st->ui, st->wbi + k * bins, sizeof(float) * (size_t)bins);
        sw_fft_f32_inverse(&st->fft, st->ur, st->ui, time);
        memset(time + n, 0, sizeof(float) * (size_t)n);
        sw_fft_f32_forward(&st->fft, time, st->ur, st->ui);
        memcpy(st->wbr + k * bins, st->ur, sizeof(float) * (size_t)bins);
        memcpy(st->wbi + k * bins, st->ui, sizeof(float) * (size_t)bins);
    }

    /* 8. De-emphasis, then the suppressor. */
    for (i = 0; i < n; i++) {
        st->de_emph_e = st->ef[i] + (AEC_PREEMPH * st->de_emph_e);
        st->ef[i] = st->de_emph_e;
        st->de_emph_y = st->yf[i] + (AEC_PREEMPH * st->de_emph_y);
        st->yf[i] = st->de_emph_y;
    }
    suppress(st, output);
}

int32_t sw_aec_process(sw_aec *st, const int16_t *mic, const int16_t *far, int16_t *out)
{
    int32_t consumed = 0;
    int32_t i;
    if (st == NULL || st->magic != AEC_MAGIC || mic == NULL || far == NULL || out == NULL) {
        return SW_AEC_E_INVALID_ARG;
    }
    while (consumed < st->frame) {
        int32_t take = st->block - st->in_fill;
        if (take > st->frame - consumed) {
            take = st->frame - consumed;
        }
        for (i = 0; i < take; i++) {
            st->mic_in[st->in_fill + i] = (float)mic[consumed + i];
            st->far_in[st->in_fill + i] = (float)far[consumed + i];
        }
        st->in_fill += take;
        consumed += take;
        if (st->in_fill == st->block) {
            process_block(st, st->out_fifo + st->out_fill);
            st->out_fill += st->block;
            st->in_fill = 0;
        }
    }
    for (i = 0; i < st->frame; i++) {
        float v = rintf(st->out_fifo[i]);
        out[i] = v > 32767.0f ? (int16_t)32767 : v < -32768.0f ? (int16_t)-32768 : (int16_t)v;
    }
    memmove(st->out_fifo, st->out_fifo + st->frame, sizeof(float) * (size_t)(st->out_fill - st->frame));
    st->out_fill -= st->frame;
    return SW_AEC_OK;
}

int32_t sw_aec_reset(sw_aec *st)
{
    if (st == NULL || st->magic != AEC_MAGIC) {
        return SW_AEC_E_INVALID_ARG;
    }
    reset_state(st);
    return SW_AEC_OK;
}

int32_t sw_aec_get_frame_size(const sw_aec *st)
{
    return (st == NULL || st->magic != AEC_MAGIC) ? SW_AEC_E_INVALID_ARG : st->frame;
}

int32_t sw_aec_get_latency(const sw_aec *st)
{
    return (st == NULL || st->magic != AEC_MAGIC) ? SW_AEC_E_INVALID_ARG : 2 * st->block;
}
