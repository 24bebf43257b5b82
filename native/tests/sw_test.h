/* SPDX-License-Identifier: MIT */
/* Minimal C test runner shared by every native test: checks, vector files, one summary line. */
#ifndef SW_TEST_H
#define SW_TEST_H

#include <stddef.h>
#include <stdint.h>

/** @brief Records one check; prints "FAIL file:line: what" when @p ok is zero. */
void sw_test_check(int ok, const char *file, int line, const char *what);

/** @brief Prints "N passed, N failed" and returns the process exit code (0 when none failed). */
int sw_test_finish(void);

/**
 * @brief Reads a whole file below the vectors directory given as argv[1].
 * @param dir vectors directory; @param name path below it; @param out_len receives the size.
 * @return a malloc'd buffer (caller frees) or NULL, after recording a failed check.
 */
uint8_t *sw_test_read_vector(const char *dir, const char *name, size_t *out_len);

#define SW_CHECK(cond) sw_test_check((cond) ? 1 : 0, __FILE__, __LINE__, #cond)

#endif
