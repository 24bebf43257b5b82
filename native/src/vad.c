/* SPDX-License-Identifier: MIT */
/* Voice activity detector: energy vs an adaptive noise floor, hysteresis and hangover (see Vad.cs). */
#include "sipwire/vad.h"

#include <math.h>
#include <stddef.h>

int32_t sw_vad_init(sw_vad *st, int32_t sample_rate)
{
    if (st == NULL || (sample_rate != 8000 && sample_rate != 16000)) {
        return SW_VAD_E_INVALID_ARG;
    }
    st->frame = sample_rate / 100;
    st->hangover_frames = 20;
    st->hangover = 0;
    st->loud_run = 0;
    st->active = 0;
    st->started = 0;
    st->floor_db = 0.0;
    return SW_VAD_OK;
}

int32_t sw_vad_process(sw_vad *st, const int16_t *frame, int32_t *out_active)
{
    int64_t energy = 0;
    int32_t i;
    double db;
    int loud;
    if (st == NULL || frame == NULL || out_active == NULL || st->frame <= 0) {
        return SW_VAD_E_INVALID_ARG;
    }
    /* Exact integer sum of squares: the same decisions as the C# paths. */
    for (i = 0; i < st->frame; i++) {
        energy += (int32_t)frame[i] * (int32_t)frame[i];
    }
    db = 10.0 * log10(((double)energy / (double)st->frame / (32768.0 * 32768.0)) + 1e-12);
    if (db < -75.0) {
        db = -75.0;
    }
    if (!st->started) {
        st->floor_db = db;
        st->started = 1;
    }
    loud = db > st->floor_db + (st->active ? 4.0 : 9.0);
    if (db < st->floor_db) {
        st->floor_db = db;
    } else if (!loud) {
        st->floor_db += 2.0 / 100.0;
    }
    st->loud_run = loud ? st->loud_run + 1 : 0;
    if (st->loud_run > 500) {
        st->floor_db += 0.1;
    }
    if (loud) {
        st->active = 1;
        st->hangover = st->hangover_frames;
    } else if (st->hangover > 0) {
        st->hangover--;
    } else {
        st->active = 0;
    }
    *out_active = st->active;
    return SW_VAD_OK;
}
