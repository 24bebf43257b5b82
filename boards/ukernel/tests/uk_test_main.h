/* SPDX-License-Identifier: MIT */
/* Shared scaffolding of the microkernel tests: stacks, a controller task, the verdict. */
#ifndef UK_TEST_MAIN_H
#define UK_TEST_MAIN_H

#include "board.h"
#include "sw_test.h"
#include "uk.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define UK_TEST_STACK_BYTES 2048u
#define UK_TEST_TICK_HZ 1000u

/** A task stack of UK_TEST_STACK_BYTES, 8-byte aligned. */
#define UK_TEST_STACK(name) static uint64_t name[UK_TEST_STACK_BYTES / 8u]

/** Ends the run: prints the summary and exits QEMU with the verdict as its status. */
static inline void uk_test_finish(void)
{
    exit(sw_test_finish());
}

#endif
