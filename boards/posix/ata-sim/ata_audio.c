/* SPDX-License-Identifier: MIT */
/* ata-sim audio: WAV (RIFF/WAVE, PCM format 1) reader and writer, tone source, level and frequency statistics. */
#include "ata_audio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ATA_PI 3.14159265358979323846
#define ATA_MAX_WAV_BYTES (16L * 1024 * 1024)

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

int ata_source_load_wav(ata_source *src, const char *path, int rate, char *err, size_t err_size)
{
    unsigned char head[12];
    unsigned char chunk[8];
    unsigned char fmt[16];
    int have_fmt = 0;
    FILE *f = fopen(path, "rb");
    memset(src, 0, sizeof *src);
    if (f == NULL) {
        snprintf(err, err_size, "%s: cannot open", path);
        return -1;
    }
    if (fread(head, 1, 12, f) != 12 || memcmp(head, "RIFF", 4) != 0 || memcmp(head + 8, "WAVE", 4) != 0) {
        snprintf(err, err_size, "%s: not a RIFF/WAVE file", path);
        fclose(f);
        return -1;
    }
    /* Chunks: "fmt " then "data", others (LIST, fact) skipped; chunk bodies are padded to even sizes. */
    while (fread(chunk, 1, 8, f) == 8) {
        uint32_t size = le32(chunk + 4);
        if (memcmp(chunk, "fmt ", 4) == 0) {
            if (size < 16 || fread(fmt, 1, 16, f) != 16 || fseek(f, (long)(size - 16 + (size & 1)), SEEK_CUR) != 0) {
                break;
            }
            if (le16(fmt) != 1 || le16(fmt + 2) != 1 || le16(fmt + 14) != 16) {
                snprintf(err, err_size, "%s: format %u, %u channel(s), %u bits; give mono 16-bit PCM", path, le16(fmt), le16(fmt + 2),
                         le16(fmt + 14));
                fclose(f);
                return -1;
            }
            if ((int)le32(fmt + 4) != rate) {
                snprintf(err, err_size, "%s: %u Hz, but sample_rate is %d", path, (unsigned)le32(fmt + 4), rate);
                fclose(f);
                return -1;
            }
            have_fmt = 1;
        } else if (memcmp(chunk, "data", 4) == 0 && have_fmt) {
            long i;
            unsigned char *raw;
            if (size < 2 || size > ATA_MAX_WAV_BYTES) {
                snprintf(err, err_size, "%s: data chunk of %u bytes (2..%ld)", path, (unsigned)size, ATA_MAX_WAV_BYTES);
                fclose(f);
                return -1;
            }
            raw = (unsigned char *)malloc(size);
            src->samples = (int16_t *)malloc(sizeof(int16_t) * (size / 2));
            if (raw == NULL || src->samples == NULL || fread(raw, 1, size, f) != size) {
                snprintf(err, err_size, "%s: truncated data chunk", path);
                free(raw);
                free(src->samples);
                src->samples = NULL;
                fclose(f);
                return -1;
            }
            src->count = (long)(size / 2);
            for (i = 0; i < src->count; i++) {
                src->samples[i] = (int16_t)le16(raw + 2 * i);
            }
            free(raw);
            src->rate = rate;
            fclose(f);
            return 0;
        } else if (fseek(f, (long)(size + (size & 1)), SEEK_CUR) != 0) {
            break;
        }
    }
    snprintf(err, err_size, "%s: no fmt and data chunk", path);
    fclose(f);
    return -1;
}

void ata_source_tone(ata_source *src, double hz, int rate)
{
    memset(src, 0, sizeof *src);
    src->tone_hz = hz;
    src->rate = rate;
}

void ata_source_next(ata_source *src, int16_t *frame, int n)
{
    int i;
    if (src->samples != NULL) {
        for (i = 0; i < n; i++) {
            frame[i] = src->samples[src->position];
            src->position = (src->position + 1) % src->count;
        }
        return;
    }
    for (i = 0; i < n; i++) {
        /* -12 dBFS peak: 0.251 * 32767. */
        frame[i] = (int16_t)(8231.0 * sin(src->phase));
        src->phase += 2 * ATA_PI * src->tone_hz / src->rate;
        if (src->phase > 2 * ATA_PI) {
            src->phase -= 2 * ATA_PI;
        }
    }
}

void ata_source_free(ata_source *src)
{
    free(src->samples);
    src->samples = NULL;
}

void ata_stats_add(ata_stats *st, const int16_t *frame, int n)
{
    double e = 0;
    int i;
    st->frames++;
    for (i = 0; i < n; i++) {
        e += (double)frame[i] * frame[i];
    }
    /* Frames above -30 dBFS mean square, (32768 * 10^(-30/20))^2: the faded edges of concealment and
       the gaps around DTMF stay out of the level and the frequency. */
    if (e / n < 1073742.0) {
        return;
    }
    st->loud_frames++;
    st->energy += e;
    st->loud_samples += n;
    /* Sign changes inside the frame only, over its n - 1 sample intervals. */
    for (i = 1; i < n; i++) {
        if ((frame[i - 1] < 0) != (frame[i] < 0)) {
            st->crossings++;
        }
    }
    st->intervals += n - 1;
}

double ata_stats_dbfs(const ata_stats *st)
{
    if (st->loud_samples == 0) {
        return -120;
    }
    return 20 * log10(sqrt(st->energy / st->loud_samples) / 32768.0);
}

double ata_stats_hz(const ata_stats *st, int rate)
{
    if (st->intervals == 0) {
        return 0;
    }
    /* Two zero crossings per period. */
    return (double)st->crossings / 2.0 * rate / st->intervals;
}

static int write_header(ata_wav_writer *w, int rate)
{
    unsigned char h[44];
    uint32_t data = (uint32_t)w->samples * 2;
    memcpy(h, "RIFF", 4);
    put32(h + 4, 36 + data);
    memcpy(h + 8, "WAVEfmt ", 8);
    put32(h + 16, 16);
    put16(h + 20, 1);                   /* PCM */
    put16(h + 22, 1);                   /* mono */
    put32(h + 24, (uint32_t)rate);
    put32(h + 28, (uint32_t)rate * 2);  /* bytes per second */
    put16(h + 32, 2);                   /* block align */
    put16(h + 34, 16);
    memcpy(h + 36, "data", 4);
    put32(h + 40, data);
    return fwrite(h, 1, 44, w->file) == 44 ? 0 : -1;
}

int ata_wav_open(ata_wav_writer *w, const char *path, int rate)
{
    w->samples = 0;
    w->rate = rate;
    w->file = fopen(path, "wb");
    if (w->file == NULL) {
        return -1;
    }
    return write_header(w, rate);
}

void ata_wav_write(ata_wav_writer *w, const int16_t *samples, int n)
{
    unsigned char buf[2 * 960];
    int i;
    if (w->file == NULL || n > 960) {
        return;
    }
    for (i = 0; i < n; i++) {
        put16(buf + 2 * i, (uint16_t)samples[i]);
    }
    if (fwrite(buf, 2, (size_t)n, w->file) == (size_t)n) {
        w->samples += n;
    }
}

int ata_wav_close(ata_wav_writer *w)
{
    int rc;
    if (w->file == NULL) {
        return 0;
    }
    rc = fseek(w->file, 0, SEEK_SET) == 0 ? write_header(w, w->rate) : -1;
    rc |= fclose(w->file) == 0 ? 0 : -1;
    w->file = NULL;
    return rc;
}
