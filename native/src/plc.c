/* SPDX-License-Identifier: MIT */
/* G.711 Appendix I style packet loss concealment: C99 fallback of Sipwire.Dsp.Plc (8 kHz). */
#include "sipwire/plc.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define TEN_MS 80
#define CORR_LEN 160
#define CORR_MIN_POWER 250.0f
#define CHUNK 80

int32_t sw_plc_init(sw_plc *plc)
{
    if (plc == NULL) {
        return SW_PLC_E_INVALID_ARG;
    }
    memset(plc, 0, sizeof *plc);
    return SW_PLC_OK;
}

int32_t sw_plc_get_pitch(const sw_plc *plc)
{
    return plc == NULL ? 0 : plc->pitch;
}

static int16_t to_q15(float v)
{
    float r = floorf(v + 0.5f);
    if (r > 32767.0f) {
        return 32767;
    }
    if (r < -32768.0f) {
        return -32768;
    }
    return (int16_t)r;
}

/* Emits the history delayed by SW_PLC_DELAY, then appends the n new samples. */
static void push_and_emit(sw_plc *p, const float *samples, int32_t n, int16_t *out)
{
    int32_t i;
    for (i = 0; i < n; i++) {
        int32_t index = SW_PLC_HISTORY - SW_PLC_DELAY + i;
        out[i] = to_q15(index < SW_PLC_HISTORY ? p->history[index] : samples[index - SW_PLC_HISTORY]);
    }
    if (n >= SW_PLC_HISTORY) {
        memcpy(p->history, samples + (n - SW_PLC_HISTORY), SW_PLC_HISTORY * sizeof(float));
    } else {
        memmove(p->history, p->history + n, (size_t)(SW_PLC_HISTORY - n) * sizeof(float));
        memcpy(p->history + (SW_PLC_HISTORY - n), samples, (size_t)n * sizeof(float));
    }
}

static float correlation(const float *h, int32_t lag, int32_t step)
{
    float cross = 0.0f, energy = 0.0f;
    int32_t i;
    for (i = SW_PLC_HISTORY - CORR_LEN; i < SW_PLC_HISTORY; i += step) {
        float lagged = h[i - lag];
        cross += h[i] * lagged;
        energy += lagged * lagged;
    }
    return cross / sqrtf(energy > CORR_MIN_POWER ? energy : CORR_MIN_POWER);
}

static int32_t find_pitch(const float *h)
{
    int32_t lag, best = SW_PLC_PITCH_MIN, coarse, divisor;
    float best_score = -1e30f;
    for (lag = SW_PLC_PITCH_MIN; lag <= SW_PLC_PITCH_MAX; lag += 2) {
        float s = correlation(h, lag, 2);
        if (s > best_score) {
            best_score = s;
            best = lag;
        }
    }
    coarse = best;
    best_score = -1e30f;
    for (lag = coarse - 1 < SW_PLC_PITCH_MIN ? SW_PLC_PITCH_MIN : coarse - 1;
         lag <= (coarse + 1 > SW_PLC_PITCH_MAX ? SW_PLC_PITCH_MAX : coarse + 1); lag++) {
        float s = correlation(h, lag, 1);
        if (s > best_score) {
            best_score = s;
            best = lag;
        }
    }
    /* A sub-multiple scoring almost as well is the true period (octave errors). */
    for (divisor = 3; divisor >= 2; divisor--) {
        int32_t candidate = (int32_t)floorf((float)best / (float)divisor + 0.5f);
        if (candidate < SW_PLC_PITCH_MIN) {
            continue;
        }
        for (lag = candidate - 1 < SW_PLC_PITCH_MIN ? SW_PLC_PITCH_MIN : candidate - 1; lag <= candidate + 1; lag++) {
            if (correlation(h, lag, 1) >= 0.85f * best_score) {
                return lag;
            }
        }
    }
    return best;
}

static void blend_span_end(sw_plc *p)
{
    int32_t start = SW_PLC_HISTORY - p->span, i;
    float step = 1.0f / (float)(p->overlap + 1);
    for (i = 0; i < p->overlap; i++) {
        float up = (float)(i + 1) * step;
        p->pitch_buffer[SW_PLC_HISTORY - p->overlap + i] =
            p->last_quarter[i] * (1.0f - up) + p->pitch_buffer[start - p->overlap + i] * up;
    }
}

static void read_span(sw_plc *p, float *dst, int32_t n)
{
    int32_t i = 0, start = SW_PLC_HISTORY - p->span;
    while (p->pending_pos < p->pending_count && i < n) {
        dst[i++] = p->pending[p->pending_pos++];
    }
    for (; i < n; i++) {
        dst[i] = p->pitch_buffer[start + p->offset];
        if (++p->offset == p->span) {
            p->offset = 0;
        }
    }
}

static void synthesize(sw_plc *p, float *dst, int32_t n)
{
    int32_t i;
    read_span(p, dst, n);
    for (i = 0; i < n; i++) {
        int32_t t = p->erased + i;
        float gain = t < TEN_MS ? 1.0f : 1.0f - 0.2f * (float)(t - TEN_MS) / (float)TEN_MS;
        dst[i] *= gain > 0.0f ? gain : 0.0f;
    }
    p->erased += n;
}

static void start_erasure(sw_plc *p)
{
    p->pitch = find_pitch(p->history);
    p->overlap = p->pitch / 4;
    memcpy(p->pitch_buffer, p->history, sizeof p->history);
    memcpy(p->last_quarter, p->history + SW_PLC_HISTORY - p->overlap, (size_t)p->overlap * sizeof(float));
    p->span = p->pitch;
    p->offset = 0;
    p->pending_count = 0;
    p->pending_pos = 0;
    blend_span_end(p);
    memcpy(p->history + SW_PLC_HISTORY - p->overlap, p->pitch_buffer + SW_PLC_HISTORY - p->overlap,
           (size_t)p->overlap * sizeof(float));
}

static void extend_span(sw_plc *p)
{
    float head[SW_PLC_DELAY];
    float step = 1.0f / (float)(p->overlap + 1);
    int32_t phase, i;
    p->pending_count = 0;
    p->pending_pos = 0;
    phase = p->offset % p->pitch;
    read_span(p, p->pending, p->overlap);
    p->span += p->pitch;
    blend_span_end(p);
    p->offset = phase;
    read_span(p, head, p->overlap);
    for (i = 0; i < p->overlap; i++) {
        float up = (float)(i + 1) * step;
        p->pending[i] = p->pending[i] * (1.0f - up) + head[i] * up;
    }
    p->pending_count = p->overlap;
    p->pending_pos = 0;
}

int32_t sw_plc_process_q15(sw_plc *p, const int16_t *in, int16_t *out, int32_t n)
{
    float block[CHUNK];
    int32_t done = 0, i;
    if (p == NULL || n < 0 || (n > 0 && (in == NULL || out == NULL))) {
        return SW_PLC_E_INVALID_ARG;
    }
    if (p->erased > 0 && n > 0) {
        int32_t lost = (p->erased + TEN_MS - 1) / TEN_MS;
        int32_t ola = TEN_MS / 2 * lost;
        float step;
        if (ola > TEN_MS) {
            ola = TEN_MS;
        }
        if (ola > n) {
            ola = n;
        }
        synthesize(p, block, ola);
        step = 1.0f / (float)(ola + 1);
        for (i = 0; i < ola; i++) {
            float up = (float)(i + 1) * step;
            float mixed = block[i] * (1.0f - up) + (float)in[i] * up;
            int16_t o;
            push_and_emit(p, &mixed, 1, &o);
            out[i] = o;
        }
        done = ola;
        p->erased = 0;
    }
    while (done < n) {
        int32_t chunk = n - done < CHUNK ? n - done : CHUNK;
        for (i = 0; i < chunk; i++) {
            block[i] = (float)in[done + i];
        }
        push_and_emit(p, block, chunk, out + done);
        done += chunk;
    }
    return SW_PLC_OK;
}

int32_t sw_plc_conceal_q15(sw_plc *p, int16_t *out, int32_t n)
{
    float block[CHUNK];
    int32_t done = 0;
    if (p == NULL || n < 0 || (n > 0 && out == NULL)) {
        return SW_PLC_E_INVALID_ARG;
    }
    if (n > 0 && p->erased == 0) {
        start_erasure(p);
    }
    while (done < n) {
        int32_t chunk = n - done;
        if (p->erased < TEN_MS && TEN_MS - p->erased < chunk) {
            chunk = TEN_MS - p->erased;
        } else if (p->erased >= TEN_MS && p->erased < 2 * TEN_MS && 2 * TEN_MS - p->erased < chunk) {
            chunk = 2 * TEN_MS - p->erased;
        }
        if ((p->erased == TEN_MS || p->erased == 2 * TEN_MS) && p->span < 3 * p->pitch) {
            extend_span(p);
        }
        if (chunk > CHUNK) {
            chunk = CHUNK;
        }
        synthesize(p, block, chunk);
        push_and_emit(p, block, chunk, out + done);
        done += chunk;
    }
    return SW_PLC_OK;
}
