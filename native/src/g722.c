/* SPDX-License-Identifier: MIT */
/* G.722 64 kbit/s SB-ADPCM (ITU-T G.722 §3-§6): QMF, low-band 6-bit and high-band 2-bit ADPCM. */
#include "sipwire/g722.h"

#include <stddef.h>
#include <string.h>

/* QMF coefficients h(0)..h(11) (G.722 Table 11; h(23-i) = h(i)), DC gain 4096. */
static const int16_t k_qmf[12] = { 3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11 };

/* Low-band quantiser decision levels q6 (G.722 Table 6), scaled by 8. */
static const int16_t k_q6[30] = {
    0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650,
    714, 786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919
};

/* Quantiser interval -> 6-bit code for negative (iln) and positive (ilp) differences. */
static const uint8_t k_iln[31] = {
    0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
    18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4
};
static const uint8_t k_ilp[31] = {
    0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
    46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32
};

/* Inverse quantiser outputs: 4-bit (predictor feedback, Table 7), 6-bit (low-band output,
 * Table 6), 2-bit (high band, Table 9); each is multiplied by det and shifted right by 15. */
static const int16_t k_qm4[16] = {
    0, -20456, -12896, -8968, -6288, -4240, -2584, -1200,
    20456, 12896, 8968, 6288, 4240, 2584, 1200, 0
};
static const int16_t k_qm6[64] = {
    -136, -136, -136, -136, -24808, -21904, -19008, -16704,
    -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
    -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576,
    -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
    24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192,
    10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
    4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032,
    1688, 1360, 1040, 728, 432, 136, -432, -136
};
static const int16_t k_qm2[4] = { -7408, -1616, 7408, 1616 };

/* Scale factor adaptation: log-domain multipliers (Tables 8 and 10) and the 4-bit / 2-bit code
 * to table index maps; ilb is the antilog table of block 3L/3H (SCALEL/SCALEH). */
static const int16_t k_wl[8] = { -60, -30, 58, 172, 334, 538, 1198, 3042 };
static const uint8_t k_rl42[16] = { 0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0 };
static const int16_t k_wh[3] = { 0, -214, 798 };
static const uint8_t k_rh2[4] = { 2, 1, 2, 1 };
static const int16_t k_ilb[32] = {
    2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
    2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008
};

/* Arithmetic shift right of a negative value is implementation-defined in C99; this form is
 * exact on every compiler and compiles to one shift on two's-complement targets. */
static int32_t asr(int32_t v, int k)
{
    return v >= 0 ? v >> k : ~(~v >> k);
}

static int16_t sat16(int32_t v)
{
    return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

static int16_t sat15(int32_t v)
{
    return (int16_t)(v > 16383 ? 16383 : v < -16384 ? -16384 : v);
}

/* Sign of a 16-bit value as the G.722 blocks compare it: 1 for negative, 0 for >= 0. */
static int sgn(int16_t v)
{
    return v < 0;
}

/* Blocks 3L/3H (LOGSCL/SCALEL, LOGSCH/SCALEH): update the log scale factor nb with the
 * multiplier w, limit it to [0, limit], and compute det from the antilog table. */
static void scale(sw_g722_band *b, int32_t w, int32_t limit, int shift_base)
{
    int32_t nb = asr((int32_t)b->nb * 127, 7) + w;
    int32_t e;
    int32_t v;

    if (nb < 0) {
        nb = 0;
    } else if (nb > limit) {
        nb = limit;
    }
    b->nb = (int16_t)nb;
    e = shift_base - (nb >> 11);
    v = k_ilb[(nb >> 6) & 31];
    v = e < 0 ? v << -e : v >> e;
    b->det = (int16_t)(v << 2);
}

/* Block 4 (G.722 §3.6): reconstruction, pole (UPPOL1/2) and zero (UPZERO) predictor adaptation,
 * delay lines, and the next signal estimate s = sp + sz. */
static void block4(sw_g722_band *b, int16_t dx)
{
    int16_t r = sat16((int32_t)b->s + dx);   /* RECONS */
    int16_t p = sat16((int32_t)b->sz + dx);  /* PARREC */
    int16_t a1;
    int16_t a2;
    int32_t wd;
    int32_t lim;
    int32_t sp;
    int32_t sz = 0;
    int32_t g;
    int i;

    /* UPPOL2: a2 leaks by 2^-7, steps by +-2^-7 on the sign of p(n)p(n-2) and by -4a1 scaled
     * by 2^-7 on the sign of p(n)p(n-1); limited to +-0.75 (12288). */
    wd = sat16((int32_t)b->a[0] * 4);
    wd = sgn(p) != sgn(b->p[0]) ? wd : -wd;
    if (wd > 32767) {
        wd = 32767;
    }
    wd = (sgn(p) != sgn(b->p[1]) ? -128 : 128) + asr(wd, 7) + asr((int32_t)b->a[1] * 32512, 15);
    wd = (int16_t)wd;
    if (wd > 12288) {
        wd = 12288;
    } else if (wd < -12288) {
        wd = -12288;
    }
    a2 = (int16_t)wd;

    /* UPPOL1: a1 leaks by 1 - 2^-8 and steps by 3 * 2^-8, limited to 1 - 2^-4 - a2. */
    wd = (int32_t)(sgn(p) != sgn(b->p[0]) ? -192 : 192) + (int16_t)asr((int32_t)b->a[0] * 32640, 15);
    a1 = sat16(wd);
    lim = sat16(15360 - (int32_t)a2);
    if (a1 > lim) {
        a1 = (int16_t)lim;
    } else if (a1 < -lim) {
        a1 = (int16_t)-lim;
    }

    /* FILTEP with the new coefficients and the new and previous reconstructed signals. */
    sp = (int16_t)asr((int32_t)a1 * sat16((int32_t)r * 2), 15);
    sp = sat16(sp + (int16_t)asr((int32_t)a2 * sat16((int32_t)b->r * 2), 15));
    b->r = r;
    b->a[1] = a2;
    b->a[0] = a1;
    b->p[1] = b->p[0];
    b->p[0] = p;

    /* UPZERO (b_i leaks by 2^-8 and steps by +-2^-7 on the sign agreement of d and d_i),
     * DELAYA and FILTEZ in one pass from the oldest tap. */
    g = dx == 0 ? 0 : 128;
    b->d[0] = dx;
    for (i = 5; i >= 0; i--) {
        int32_t step = sgn(b->d[i + 1]) != sgn(dx) ? -g : g;
        b->b[i] = sat16(step + (int16_t)asr((int32_t)b->b[i] * 32640, 15));
        sz += asr((int32_t)b->b[i] * sat16((int32_t)b->d[i] * 2), 15);
        b->d[i + 1] = b->d[i];
    }
    b->sz = sat16(sz);

    /* PREDIC */
    b->s = sat16(sp + b->sz);
}

static void band_init(sw_g722_band *low, sw_g722_band *high)
{
    memset(low, 0, sizeof *low);
    memset(high, 0, sizeof *high);
    low->det = 32;   /* G.722 §6.2: initial DETL */
    high->det = 8;   /* initial DETH */
}

int32_t sw_g722_encoder_get_size(void)
{
    return (int32_t)sizeof(sw_g722_encoder);
}

int32_t sw_g722_decoder_get_size(void)
{
    return (int32_t)sizeof(sw_g722_decoder);
}

int32_t sw_g722_encoder_init(sw_g722_encoder *st)
{
    if (st == NULL) {
        return SW_G722_E_INVALID_ARG;
    }
    band_init(&st->band[0], &st->band[1]);
    memset(st->x, 0, sizeof st->x);
    return SW_G722_OK;
}

int32_t sw_g722_decoder_init(sw_g722_decoder *st)
{
    if (st == NULL) {
        return SW_G722_E_INVALID_ARG;
    }
    band_init(&st->band[0], &st->band[1]);
    memset(st->x, 0, sizeof st->x);
    return SW_G722_OK;
}

/* Block 1L QUANTL: the first interval i in 1..29 whose decision level exceeds |el|; the levels
 * grow with i, so a binary search gives the linear search's answer. */
static int quantl_interval(int32_t wd, int32_t det)
{
    int lo = 1;
    int hi = 30; /* answer in [lo, hi]; 30 means "above every level" */

    while (lo < hi) {
        int mid = (lo + hi) >> 1;
        if (wd < (((int32_t)k_q6[mid] * det) >> 12)) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return lo;
}

int32_t sw_g722_encode(sw_g722_encoder *st, const int16_t *in, uint8_t *out, int32_t n)
{
    int32_t j;

    if (st == NULL || n < 0 || (n & 1) != 0 || (n > 0 && (in == NULL || out == NULL))) {
        return SW_G722_E_INVALID_ARG;
    }
    for (j = 0; j < n; j += 2) {
        sw_g722_band *lb = &st->band[0];
        sw_g722_band *hb = &st->band[1];
        int32_t sum_odd = 0;
        int32_t sum_even = 0;
        int16_t xlow;
        int16_t xhigh;
        int32_t el;
        int32_t eh;
        int32_t wd;
        int ilow;
        int ihigh;
        int i;

        /* Transmit QMF (§3.1): 24 taps decimated by two. The history holds pairs oldest first;
         * the first sample of each pair meets the coefficients in order, the second in reverse. */
        memmove(st->x, st->x + 2, 22 * sizeof st->x[0]);
        st->x[22] = in[j];
        st->x[23] = in[j + 1];
        for (i = 0; i < 12; i++) {
            sum_odd += (int32_t)st->x[2 * i] * k_qmf[i];
            sum_even += (int32_t)st->x[2 * i + 1] * k_qmf[11 - i];
        }
        /* Shift by 12 for the DC gain of 4096, 1 for the sum of two filters, and 1 more for the
         * 15-bit signal of the ADPCM blocks. */
        xlow = (int16_t)asr(sum_even + sum_odd, 14);
        xhigh = (int16_t)asr(sum_even - sum_odd, 14);

        /* Low band: SUBTRA, QUANTL (6 bits), INVQAL (4-bit feedback), LOGSCL/SCALEL, block 4. */
        el = sat16((int32_t)xlow - lb->s);
        wd = el >= 0 ? el : -(el + 1);
        i = quantl_interval(wd, lb->det);
        ilow = el < 0 ? k_iln[i] : k_ilp[i];
        {
            int ril = ilow >> 2;
            int16_t dlow = (int16_t)asr((int32_t)lb->det * k_qm4[ril], 15);
            scale(lb, k_wl[k_rl42[ril]], 18432, 8);
            block4(lb, dlow);
        }

        /* High band: SUBTRA, QUANTH (2 bits), INVQAH, LOGSCH/SCALEH, block 4. */
        eh = sat16((int32_t)xhigh - hb->s);
        wd = eh >= 0 ? eh : -(eh + 1);
        if (wd >= ((564 * (int32_t)hb->det) >> 12)) {
            ihigh = eh < 0 ? 0 : 2;
        } else {
            ihigh = eh < 0 ? 1 : 3;
        }
        {
            int16_t dhigh = (int16_t)asr((int32_t)hb->det * k_qm2[ihigh], 15);
            scale(hb, k_wh[k_rh2[ihigh]], 22528, 10);
            block4(hb, dhigh);
        }

        out[j >> 1] = (uint8_t)((ihigh << 6) | ilow);
    }
    return SW_G722_OK;
}

int32_t sw_g722_decode(sw_g722_decoder *st, const uint8_t *in, int16_t *out, int32_t n)
{
    int32_t j;

    if (st == NULL || n < 0 || (n > 0 && (in == NULL || out == NULL))) {
        return SW_G722_E_INVALID_ARG;
    }
    for (j = 0; j < n; j++) {
        sw_g722_band *lb = &st->band[0];
        sw_g722_band *hb = &st->band[1];
        int ilow = in[j] & 0x3F;
        int ihigh = (in[j] >> 6) & 0x03;
        int32_t rlow;
        int32_t rhigh;
        int32_t xout1 = 0;
        int32_t xout2 = 0;
        int i;

        /* Low band: INVQBL with the full 6 bits for the output (RECONS, LIMIT), INVQAL with
         * the 4 most significant bits for the predictor (§4.2). */
        rlow = sat15((int32_t)lb->s + asr((int32_t)lb->det * k_qm6[ilow], 15));
        {
            int ril = ilow >> 2;
            int16_t dlow = (int16_t)asr((int32_t)lb->det * k_qm4[ril], 15);
            scale(lb, k_wl[k_rl42[ril]], 18432, 8);
            block4(lb, dlow);
        }

        /* High band: INVQAH, RECONS, LIMIT, LOGSCH/SCALEH, block 4. */
        {
            int16_t dhigh = (int16_t)asr((int32_t)hb->det * k_qm2[ihigh], 15);
            rhigh = sat15((int32_t)dhigh + hb->s);
            scale(hb, k_wh[k_rh2[ihigh]], 22528, 10);
            block4(hb, dhigh);
        }

        /* Receive QMF (§4.4): sum and difference in, two 16 kHz samples out. Shift by 12 for the
         * DC gain, less 1 for the 15-bit band signals; saturated (SpanDSP 0.0.6 wraps). */
        memmove(st->x, st->x + 2, 22 * sizeof st->x[0]);
        st->x[22] = (int16_t)(rlow + rhigh);
        st->x[23] = (int16_t)(rlow - rhigh);
        for (i = 0; i < 12; i++) {
            xout2 += (int32_t)st->x[2 * i] * k_qmf[i];
            xout1 += (int32_t)st->x[2 * i + 1] * k_qmf[11 - i];
        }
        out[2 * j] = sat16(asr(xout1, 11));
        out[2 * j + 1] = sat16(asr(xout2, 11));
    }
    return SW_G722_OK;
}
