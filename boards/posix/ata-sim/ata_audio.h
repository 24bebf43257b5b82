/* SPDX-License-Identifier: MIT */
/* ata-sim audio: the play source (tone or looped WAV), the WAV recorder and the received-audio statistics. */
#ifndef ATA_AUDIO_H
#define ATA_AUDIO_H

#include <stdint.h>
#include <stdio.h>

/* What the phone sends: a sine tone, or a mono PCM16 WAV file played in a loop. */
typedef struct {
    int16_t *samples; /* WAV: the whole file; NULL for the tone */
    long count;
    long position;
    double tone_hz;
    double phase;
    int rate;
} ata_source;

/* Received audio: frames, level and the frequency estimated from zero crossings. */
typedef struct {
    long frames;
    long loud_frames; /* frames above -30 dBFS */
    double energy;    /* sum of squares over loud frames */
    long loud_samples;
    long crossings;   /* sign changes within loud frames */
    long intervals;   /* sample intervals those crossings were counted over */
} ata_stats;

/* A PCM16 mono WAV being written; the header sizes are fixed up at close. */
typedef struct {
    FILE *file;
    long samples;
    int rate;
} ata_wav_writer;

/* Loads a mono 16-bit PCM WAV at `rate` Hz; returns 0, or -1 with a message in err. */
int ata_source_load_wav(ata_source *src, const char *path, int rate, char *err, size_t err_size);

/* A sine at hz, amplitude -12 dBFS. */
void ata_source_tone(ata_source *src, double hz, int rate);

/* Fills one frame from the source. */
void ata_source_next(ata_source *src, int16_t *frame, int n);

void ata_source_free(ata_source *src);

/* Adds one received frame to the statistics. */
void ata_stats_add(ata_stats *st, const int16_t *frame, int n);

/* RMS level of the loud frames in dBFS (-120 when none). */
double ata_stats_dbfs(const ata_stats *st);

/* Frequency estimate in Hz from zero crossings over the loud frames (0 when none). */
double ata_stats_hz(const ata_stats *st, int rate);

/* Opens path for writing; returns 0 or -1 (errno set). */
int ata_wav_open(ata_wav_writer *w, const char *path, int rate);

/* Appends samples (little-endian on every host). */
void ata_wav_write(ata_wav_writer *w, const int16_t *samples, int n);

/* Fixes the RIFF and data sizes and closes; returns 0 or -1. */
int ata_wav_close(ata_wav_writer *w);

#endif
