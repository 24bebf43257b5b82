/* SPDX-License-Identifier: MIT */
/* Real FFT for power-of-two sizes (split re/im spectra): C99 fallback of Sipwire.Dsp.Fft. */
#ifndef SIPWIRE_FFT_H
#define SIPWIRE_FFT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest transform size a sw_fft_f32 plan holds: 512, the largest the kernels use (VAD and noise
 * suppressor at 16 kHz; the echo canceller needs 256). The plan's tables are sized by it. */
#define SW_FFT_MAX_N 512

/**
 * @brief Plan of a real FFT of size n (caller-allocated; fill it with sw_fft_f32_init).
 *
 * The layout is public only so the caller can allocate it (static, stack or heap); the fields
 * are private. About 6.7 KB.
 */
typedef struct sw_fft_f32 {
    int32_t n;
    int32_t m;
    uint16_t bitrev[SW_FFT_MAX_N / 2];
    float stage_cos[SW_FFT_MAX_N / 2];
    float stage_sin[SW_FFT_MAX_N / 2];
    float split_cos[SW_FFT_MAX_N / 2 + 1];
    float split_sin[SW_FFT_MAX_N / 2 + 1];
    float work_re[SW_FFT_MAX_N / 2];
    float work_im[SW_FFT_MAX_N / 2];
} sw_fft_f32;

/**
 * @brief Short-time spectrum of 10 ms frames, the analysis the VAD and the noise suppressor share
 * (C twin of Sipwire.Dsp.SpectralFrame): each frame and the one before it under a periodic sqrt-Hann
 * window of two frames, zero-padded to the plan's size. Public only because sw_vad and sw_ns embed
 * it; the fields are private.
 */
typedef struct sw_spectral_frame {
    sw_fft_f32 fft;
    float window[320];
    float prev[160];
    float time[SW_FFT_MAX_N];
    float re[SW_FFT_MAX_N / 2 + 1];
    float im[SW_FFT_MAX_N / 2 + 1];
} sw_spectral_frame;

/**
 * @brief Fills a plan for size @p n.
 * @param st plan to fill; @param n power of two, 8..SW_FFT_MAX_N.
 * @return 0 on success, -1 when @p st is NULL or @p n is not a supported size.
 * @par Thread
 * A plan is used by one thread at a time (it holds work buffers).
 */
int32_t sw_fft_f32_init(sw_fft_f32 *st, int32_t n);

/**
 * @brief Forward transform X[k] = sum x[t] e^{-2 pi i k t / n}, k = 0..n/2.
 * @param st plan; @param in n samples; @param out_re, out_im n/2 + 1 bins each
 *        (imaginary parts of bins 0 and n/2 are 0). @p in may not alias the outputs.
 * @return 0, or -1 on a NULL argument.
 */
int32_t sw_fft_f32_forward(sw_fft_f32 *st, const float *in, float *out_re, float *out_im);

/**
 * @brief Inverse transform scaled by 1/n, so inverse(forward(x)) == x.
 * @param st plan; @param re, im n/2 + 1 bins each; @param out n samples.
 * @return 0, or -1 on a NULL argument.
 */
int32_t sw_fft_f32_inverse(sw_fft_f32 *st, const float *re, const float *im, float *out);

#ifdef __cplusplus
}
#endif

#endif
