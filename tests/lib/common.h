/* tests/lib/common.h - helpers shared by the test programs and the tools
 * under tests/tools/ (benchmarks): nothing here uses cmocka, so the tools
 * link it too (the Makefile's TOOLLIB_OBJ). Test programs get it through
 * tests/lib/fixture.h. */
#ifndef BIMBING_TESTS_COMMON_H
#define BIMBING_TESTS_COMMON_H

#include <stdint.h>

/* The flow action rows of this build, as the service hands them to the
 * loader (every domain module's and the core's). */
struct flow_actions;
const struct flow_actions *tfx_actions(void);

/* A xorshift64 step on *state: a number in 0..n-1 (n > 0); the same
 * sequence for the same seed on every machine. */
uint32_t tfx_rnd(uint64_t *state, uint32_t n);

#endif
