/*
 * domain.c - lookups over a list of domain modules (see domain.h): the
 * action and command rows by name, and the action rows as the flow loader
 * sees them. The list is data handed in; this file names no module.
 * Core thread / CLI thread only; no state of its own.
 */
#include "bot/core/domain.h"
#include "bot/base/bb.h"

#include <string.h>

const struct domain_action *domain_find_action(const struct domain_module *const *mods,
                                               const char *name)
{
    for (int m = 0; mods && mods[m]; m++)
        for (const struct domain_action *a = mods[m]->actions; a && a->def.name; a++)
            if (strcmp(a->def.name, name) == 0)
                return a;
    return NULL;
}

const struct domain_cmd *domain_find_cmd(const struct domain_module *const *mods, const char *name)
{
    for (int m = 0; mods && mods[m]; m++)
        for (const struct domain_cmd *c = mods[m]->cmds; c && c->name; c++)
            if (strcmp(c->name, name) == 0)
                return c;
    return NULL;
}

/* The i-th action row over every module of the list, in list order. */
static const struct flow_action_def *action_row(const void *ctx, int i)
{
    const struct domain_module *const *mods = ctx;
    for (int m = 0; mods && mods[m] && i >= 0; m++)
        for (const struct domain_action *a = mods[m]->actions; a && a->def.name; a++)
            if (i-- == 0)
                return &a->def;
    return NULL;
}

struct flow_actions domain_flow_actions(const struct domain_module *const *mods)
{
    struct flow_actions acts = {.row = action_row, .ctx = mods};
    return acts;
}
