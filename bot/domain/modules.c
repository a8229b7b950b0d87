/*
 * modules.c - the list of domain modules and lookups over it (see bot/core/domain.h).
 * Core thread / CLI thread only; constant data.
 */
#include "bot/core/domain.h"
#include "bot/base/bb.h"
#include "bot/domain/coaching/coaching.h"
#include "bot/domain/mentoring/mentoring.h"
#include "bot/domain/sched/sched.h"
#include "bot/domain/survey/survey.h"

#include <string.h>

const struct domain_module *const domain_modules[] = {
    &coaching_module, &mentoring_module, &sched_module, &survey_module, NULL,
};

const struct domain_action *domain_find_action(const char *name)
{
    for (int m = 0; domain_modules[m]; m++)
        for (const struct domain_action *a = domain_modules[m]->actions; a && a->name; a++)
            if (strcmp(a->name, name) == 0)
                return a;
    return NULL;
}

const struct domain_cmd *domain_find_cmd(const char *name)
{
    for (int m = 0; domain_modules[m]; m++)
        for (const struct domain_cmd *c = domain_modules[m]->cmds; c && c->name; c++)
            if (strcmp(c->name, name) == 0)
                return c;
    return NULL;
}

int domain_person_fields(const struct domain_ctx *d, const struct store_person *p, cJSON *out)
{
    for (int m = 0; domain_modules[m]; m++)
        if (domain_modules[m]->person_fields) {
            int rc = domain_modules[m]->person_fields(d, p, out);
            if (rc != BB_OK)
                return rc;
        }
    return BB_OK;
}

int domain_tick(const struct domain_ctx *d, int *did)
{
    int total = 0;
    for (int m = 0; domain_modules[m]; m++)
        if (domain_modules[m]->tick) {
            int n = 0, rc = domain_modules[m]->tick(d, &n);
            if (rc != BB_OK) {
                bb_log(BB_LOG_ERR, domain_modules[m]->name, "tick: %s", bb_strerror(rc));
                if (did)
                    *did = total;
                return rc;
            }
            total += n;
        }
    if (did)
        *did = total;
    return BB_OK;
}

void domain_usage(FILE *out)
{
    for (int m = 0; domain_modules[m]; m++)
        for (const struct domain_cmd *c = domain_modules[m]->cmds; c && c->name; c++)
            if (c->usage)
                fprintf(out, "%s\n", c->usage);
}
