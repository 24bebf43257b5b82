/* SPDX-License-Identifier: MIT */
/* Minimal C test runner shared by every native test. */
#include "sw_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int s_passed;
static int s_failed;

void sw_test_check(int ok, const char *file, int line, const char *what)
{
    if (ok) {
        s_passed++;
        return;
    }
    s_failed++;
    /* Only the first failures are printed; the count says the rest. */
    if (s_failed <= 20) {
        printf("FAIL %s:%d: %s\n", file, line, what);
    }
}

int sw_test_finish(void)
{
    printf("%d passed, %d failed\n", s_passed, s_failed);
    return s_failed == 0 ? 0 : 1;
}

uint8_t *sw_test_read_vector(const char *dir, const char *name, size_t *out_len)
{
    char path[1024];
    FILE *f;
    long size;
    uint8_t *buf;

    *out_len = 0;
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        sw_test_check(0, __FILE__, __LINE__, "vector path too long");
        return NULL;
    }
    f = fopen(path, "rb");
    if (f == NULL) {
        printf("FAIL cannot open vector %s\n", path);
        s_failed++;
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = (uint8_t *)malloc(size > 0 ? (size_t)size : 1);
    if (buf == NULL || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        printf("FAIL cannot read vector %s\n", path);
        s_failed++;
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *out_len = (size_t)size;
    return buf;
}
