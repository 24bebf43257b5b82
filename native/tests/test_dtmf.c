/* SPDX-License-Identifier: MIT */
/* DTMF receiver against the shared PCM vectors in tests/vectors/dtmf (same cases as the NUnit tests). */
#include "sipwire/dtmf.h"
#include "sw_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int16_t read_s16le(const uint8_t *p)
{
    uint16_t u = (uint16_t)((uint16_t)p[0] | ((uint16_t)p[1] << 8));
    return (int16_t)(u >= 0x8000u ? (int32_t)u - 65536 : (int32_t)u);
}

/* Runs one vector through the receiver in 80-sample frames and compares the digits. */
static void run_case(const char *dir, const char *file, const char *expected)
{
    char name[256];
    size_t len, i;
    uint8_t *bytes;
    int16_t frame[80];
    char found[64];
    int32_t total = 0;
    sw_dtmf_rx rx;

    snprintf(name, sizeof name, "dtmf/%s", file);
    bytes = sw_test_read_vector(dir, name, &len);
    if (bytes == NULL) {
        return;
    }
    SW_CHECK(sw_dtmf_rx_init(&rx, -30.0f) == SW_DTMF_OK);
    for (i = 0; i + 1 < len;) {
        int32_t n = 0, count = 0;
        while (n < 80 && i + 1 < len) {
            frame[n++] = read_s16le(bytes + i);
            i += 2;
        }
        SW_CHECK(sw_dtmf_rx_process(&rx, frame, n, found + total, (int32_t)(sizeof found - 1) - total, &count) == SW_DTMF_OK);
        total += count;
    }
    found[total] = '\0';
    if (strcmp(found, expected) != 0) {
        printf("case %s: expected \"%s\", got \"%s\"\n", file, expected, found);
    }
    SW_CHECK(strcmp(found, expected) == 0);
    free(bytes);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/vectors";
    size_t len, pos = 0;
    uint8_t *list = sw_test_read_vector(dir, "dtmf/detect.txt", &len);
    sw_dtmf_rx rx;
    int32_t count = 0;
    char digit;
    int16_t pcm[4] = {0, 0, 0, 0};

    if (list != NULL) {
        int cases = 0;
        while (pos < len) {
            char line[256], file[128], expected[64];
            size_t n = 0;
            while (pos < len && list[pos] != '\n' && n + 1 < sizeof line) {
                line[n++] = (char)list[pos++];
            }
            line[n] = '\0';
            pos++;
            if (sscanf(line, "case: %127s %63s", file, expected) == 2) {
                run_case(dir, file, strcmp(expected, "-") == 0 ? "" : expected);
                cases++;
            }
        }
        SW_CHECK(cases >= 9);
        free(list);
    }

    /* Bad arguments are refused without writing. */
    SW_CHECK(sw_dtmf_rx_init(NULL, -30.0f) == SW_DTMF_E_INVALID_ARG);
    SW_CHECK(sw_dtmf_rx_init(&rx, -30.0f) == SW_DTMF_OK);
    SW_CHECK(sw_dtmf_rx_process(NULL, pcm, 4, &digit, 1, &count) == SW_DTMF_E_INVALID_ARG);
    SW_CHECK(sw_dtmf_rx_process(&rx, NULL, 4, &digit, 1, &count) == SW_DTMF_E_INVALID_ARG);
    SW_CHECK(sw_dtmf_rx_process(&rx, pcm, -1, &digit, 1, &count) == SW_DTMF_E_INVALID_ARG);
    SW_CHECK(sw_dtmf_rx_process(&rx, pcm, 4, &digit, 1, NULL) == SW_DTMF_E_INVALID_ARG);
    SW_CHECK(sw_dtmf_rx_process(&rx, NULL, 0, NULL, 0, &count) == SW_DTMF_OK && count == 0);
    SW_CHECK(sw_dtmf_rx_current(NULL) == '\0');
    return sw_test_finish();
}
