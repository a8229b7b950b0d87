/*
 * domain.h - how the domain modules (coaching records, mentoring, the
 * scheduler, surveys and broadcasts) plug into the core, the CLI and the
 * service loop without each of them editing core.c, main.c or serve.c.
 *
 * A module is one struct domain_module (bot/domain/modules.c lists them all,
 * the core's own actions first as core_module):
 *   - actions: what flows may call in "do", one row each (name, argument
 *     schema, handler); the loader checks flows against the rows, the core
 *     runs the handlers inside its batch transaction, for the person whose
 *     event it is handling;
 *   - person_fields: values the module adds to the person object flows see
 *     (e.g. person.has_mentor), so conditions can use them; computed only
 *     when a flow step first reads one of the names in person_field_names
 *     (the core asks for them on demand, so an event whose step reads none
 *     costs no query);
 *   - tick: periodic work (every second in `serve`, once per `bimbing tick`;
 *     core_modules_tick runs them), e.g. planning recurring check-ins or
 *     closing survey waves;
 *   - cmds: CLI commands, one row each (`bimbing pair`, `bimbing survey`):
 *     name, the forms `bimbing help` lists, handler.
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
#include "bot/flow/flow.h"
#include "store/store.h"

struct core; /* bot/core/core.h: what modules may ask of the core */

struct domain_ctx {
    struct store *st;
    struct flow_lib *lib;
    struct core *core;
    const struct config *cfg;
    int64_t now; /* Unix seconds (a pinned clock under test) */
    /* The inbox event whose step runs the action (0 outside a core batch:
     * ticks, the CLI). Events up to it are inside the batch's transaction,
     * so an action may blank them (a survey answer's traces). */
    int64_t event_id;
    /* Set when the flow waits for this action's outcome (a node with
     * "result", flows/FORMAT.md): an empty object the action may fill with
     * "ok" (true/false), "status", "value", "message" (in the person's
     * language) and "options" ([{"id", "label"}], at most FLOW_MAX_OPTS);
     * the core hands it back to the flow. NULL otherwise: the action tells
     * the person itself. */
    cJSON *result;
};

/* A flow action: its name and argument schema (what the flow loader checks,
 * bot/flow/flow.h) and its handler, in one row of the module that carries
 * it out. */
struct domain_action {
    struct flow_action_def def;
    /* args: the action object after the engine evaluated it ("fields" holds
     * the variables' values, "text" the rendered texts, "flow" the flow id).
     * Return BB_OK, or an error that rolls the core's batch back (only for
     * store failures; bad arguments should be logged and ignored). NULL:
     * flows may name the action but nothing is carried out yet (logged). */
    int (*run)(const struct domain_ctx *d, const struct store_person *p, const cJSON *args);
};

/* The schema most module actions have: the name as a flag and an optional
 * list of variables ("fields"); stores is the data category the action
 * writes (flow_categories, bot/flow/flow.h) or NULL. */
#define DOMAIN_ACTION_FIELDS(n, stores)                                                            \
    {                                                                                              \
        (n), 'b', {"fields"}, "f", "", {NULL}, (stores)                                            \
    }
#define DOMAIN_ACTIONS_END                                                                         \
    {                                                                                              \
        {NULL, 0, {NULL}, NULL, NULL, {NULL}, NULL}, NULL                                          \
    }

/* One form of a CLI command as `bimbing help` lists it: usage is the
 * command with its arguments ("pair end MENTEE_NIP --reason T"; "" for a
 * note under the previous form), help what it does. */
struct domain_cmd_form {
    const char *usage;
    const char *help;
};

#define DOMAIN_CMD_FORMS 12
struct domain_cmd {
    const char *name;                               /* the first word after `bimbing` */
    const char *section;                            /* the heading `bimbing help` lists it under */
    struct domain_cmd_form forms[DOMAIN_CMD_FORMS]; /* ends at a NULL usage */
    /* argv[0] is the command name. Print results to stdout, errors to
     * stderr; return the process exit code (0 ok, 1 failure, 2 usage). */
    int (*run)(const struct domain_ctx *d, int argc, char **argv);
};

struct domain_module {
    const char *name;
    const struct domain_action *actions; /* ends with a NULL name; may be NULL */
    int (*person_fields)(const struct domain_ctx *d, const struct store_person *p, cJSON *out);
    /* Every name person_fields adds (NULL-terminated; "consent_*" stands
     * for every name with that prefix). The core computes the module's
     * fields the first time a step reads one of them and asserts that
     * person_fields adds nothing else. */
    const char *const *person_field_names;
    int (*tick)(const struct domain_ctx *d, int *did); /* *did: how much work was done */
    const struct domain_cmd *cmds;                     /* ends with {NULL}; may be NULL */
};

/* The core's own actions (record, notify, consent, language, schedule,
 * show) as a module like the others (bot/core/core_actions.c). */
extern const struct domain_module core_module;

/* Lookups over a module list (NULL-terminated; bot/core/domain.c). Only
 * the composition root (adapters/service/) names the list of this build,
 * domain_modules (bot/domain/modules.c); everyone else is handed it. */
const struct domain_action *domain_find_action(const struct domain_module *const *mods,
                                               const char *name);
const struct domain_cmd *domain_find_cmd(const struct domain_module *const *mods, const char *name);
/* The action rows of a module list, for the flow loader. */
struct flow_actions domain_flow_actions(const struct domain_module *const *mods);

#endif
