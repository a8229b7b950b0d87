/*
 * domain.h - how the domain modules (coaching records, mentoring, the
 * scheduler, surveys and broadcasts) plug into the core, the CLI and the
 * service loop without each of them editing core.c, main.c or serve.c.
 *
 * A module is one struct domain_module (bot/domain/modules.c lists them all):
 *   - actions: what flows may call in "do" beyond the core's own (record
 *     checkin, consent, language, notify supervisor, schedule); the core
 *     runs them inside its batch transaction, for the person whose event it
 *     is handling;
 *   - person_fields: values the module adds to the person object flows see
 *     (e.g. person.has_mentor), so conditions can use them;
 *   - tick: periodic work (every second in `serve`, once per `bimbing tick`),
 *     e.g. planning recurring check-ins or closing survey waves;
 *   - cmds: CLI subcommands (`bimbing pair suggest`, `bimbing survey send`).
 *
 * Thread rules: everything runs on the core thread (or the CLI's only
 * thread). A module keeps no mutable global state.
 */
#ifndef DOMAIN_H
#define DOMAIN_H

#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "bot/core/config.h"
#include "bot/core/core.h"
#include "bot/flow/flow.h"
#include "store/store.h"

struct domain_ctx {
    struct store *st;
    struct flow_lib *lib;
    struct core *core;
    const struct config *cfg;
    int64_t now; /* Unix seconds (a pinned clock under test) */
};

struct domain_action {
    const char *name; /* as in flows: {"log_session": ...}; see flow_load.c's action table */
    /* args: the action object after the engine evaluated it ("fields" holds
     * the variables' values, "text" the rendered texts, "flow" the flow id).
     * Return BB_OK, or an error that rolls the core's batch back (only for
     * store failures; bad arguments should be logged and ignored). */
    int (*run)(const struct domain_ctx *d, const struct store_person *p, const cJSON *args);
};

struct domain_cmd {
    const char *name;  /* the first word after `bimbing` */
    const char *usage; /* one or more lines for `bimbing help`, each "  name ARGS  what" */
    /* argv[0] is the command name. Print results to stdout, errors to
     * stderr; return the process exit code (0 ok, 1 failure, 2 usage). */
    int (*run)(const struct domain_ctx *d, int argc, char **argv);
};

struct domain_module {
    const char *name;
    const struct domain_action *actions; /* ends with {NULL}; may be NULL */
    int (*person_fields)(const struct domain_ctx *d, const struct store_person *p, cJSON *out);
    int (*tick)(const struct domain_ctx *d, int *did); /* *did: how much work was done */
    const struct domain_cmd *cmds;                     /* ends with {NULL}; may be NULL */
};

/* All modules, NULL-terminated (bot/domain/modules.c). */
extern const struct domain_module *const domain_modules[];

const struct domain_action *domain_find_action(const char *name);
const struct domain_cmd *domain_find_cmd(const char *name);
/* Let every module add its person fields. */
int domain_person_fields(const struct domain_ctx *d, const struct store_person *p, cJSON *out);
/* Run every module's tick; *did sums their work. */
int domain_tick(const struct domain_ctx *d, int *did);
void domain_usage(FILE *out);

#endif
