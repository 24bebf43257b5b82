/* SPDX-License-Identifier: MIT */
/* In-band DTMF receiver (ITU-T Q.23 pairs, Q.24 limits): Goertzel filters over 8 kHz 16-bit PCM. */
#ifndef SIPWIRE_DTMF_H
#define SIPWIRE_DTMF_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @file dtmf.h
 * @brief C99 fallback of Sipwire.Dsp.DtmfDetector, same algorithm and limits, in single precision:
 *        102-sample blocks split in two 51-sample Goertzel halves per frequency; the coherent sum
 *        gives the tone power, the phase advance between the halves the tone frequency.
 *        Accepts +-1.5 % and rejects +-3.5 % deviation (threshold 2.5 %), normal twist <= 8 dB,
 *        reverse twist <= 4 dB, each tone >= the configured minimum level, both tones >= 70 % of
 *        the block energy; a digit is reported after 2 valid blocks (every tone >= 40 ms, none
 *        < 23 ms) and released after 3 blocks without it (pauses >= 40 ms separate digits,
 *        interruptions <= 10 ms do not).
 *        0 dBm0 is a sine of peak 32768 * 10^(-3.14/20).
 *
 * The state is a plain struct the caller allocates (no heap use); initialize it with
 * sw_dtmf_rx_init().
 *
 * @par Thread
 * One state per stream; no shared data. Reentrant.
 */

/** @brief Success (equal to SW_OK). */
#define SW_DTMF_OK 0
/** @brief Bad argument (equal to SW_E_INVALID_ARG). */
#define SW_DTMF_E_INVALID_ARG (-1)
/** @brief The digits buffer filled up; the count of digits written is still returned. */
#define SW_DTMF_E_BUFFER_TOO_SMALL (-2)

/** @brief Samples per analysis block. */
#define SW_DTMF_BLOCK_SIZE 102

/** @brief Receiver state; treat the fields as private. */
typedef struct sw_dtmf_rx {
    float s1[8];
    float s2[8];
    float first_re[8];
    float first_im[8];
    float energy;
    float min_tone_power;
    int32_t position;
    int32_t candidate_blocks;
    int32_t missing_blocks;
    char candidate;
    char current;
} sw_dtmf_rx;

/**
 * @brief Initializes @p rx.
 * @param rx state to initialize.
 * @param min_tone_level_dbm0 weakest tone accepted (the C# default is -30).
 * @return SW_DTMF_OK, or SW_DTMF_E_INVALID_ARG when @p rx is NULL.
 */
int32_t sw_dtmf_rx_init(sw_dtmf_rx *rx, float min_tone_level_dbm0);

/**
 * @brief Feeds @p n samples; writes each newly detected digit ('0'-'9', '*', '#', 'A'-'D').
 * @param rx state.
 * @param pcm @p n samples of 8 kHz 16-bit PCM.
 * @param n number of samples (>= 0).
 * @param digits receives up to @p max_digits digits.
 * @param max_digits capacity of @p digits.
 * @param out_count receives the number of digits written.
 * @return SW_DTMF_OK; SW_DTMF_E_INVALID_ARG for NULL pointers or negative sizes;
 *         SW_DTMF_E_BUFFER_TOO_SMALL when more digits were found than fit (the rest are lost).
 */
int32_t sw_dtmf_rx_process(sw_dtmf_rx *rx, const int16_t *pcm, int32_t n, char *digits,
                           int32_t max_digits, int32_t *out_count);

/** @brief The digit currently present, or '\0'. NULL-safe (returns '\0'). */
char sw_dtmf_rx_current(const sw_dtmf_rx *rx);

#ifdef __cplusplus
}
#endif

#endif
