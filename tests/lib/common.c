/* tests/lib/common.c - the helpers of common.h; linked into every test
 * program and every tool under tests/tools/, nothing else. No cmocka. */
#include <stdint.h>

#include "bot/core/domain.h"
#include "bot/domain/modules.h"
#include "bot/flow/flow.h"
#include "tests/lib/common.h"

const struct flow_actions *tfx_actions(void)
{
    static struct flow_actions a;
    a = domain_flow_actions(domain_modules);
    return &a;
}

uint32_t tfx_rnd(uint64_t *state, uint32_t n)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (uint32_t)(*state % n);
}
