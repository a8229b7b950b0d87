/*
 * learn_int.h - what the parts of the learning module share among
 * themselves: learn.c (the module row, profile and suggestions) and
 * learn_social.c (a colleague who agreed to be asked, the mentor's view).
 * Other modules use learn.h.
 *
 * Thread rules: core thread; no global state.
 */
#ifndef LEARN_INT_H
#define LEARN_INT_H

#include "bot/domain/learning/learn.h"
#include "bot/domain/learning/learn_rank.h"

#define LEARN_COLL_PREFIX "rekan-" /* a colleague's candidate id: this and their NIP */

/* A colleague offered to /belajar, as a ranking candidate (learn_coll_cand):
 * the competencies they agreed to be asked about that nobody of the asker's
 * own unit (or earlier in NIP order) covers already. */
struct learn_coll {
    int64_t person_id;
    char nip[24];
    char id[40];     /* LEARN_COLL_PREFIX + NIP: the option id */
    char title[300]; /* "Bertanya kepada rekan: Budi (Biro SDM)": name and unit only */
    char comp[LEARN_COMP_MAX][64];
    int ncomps;
};

/* The colleagues the person may be offered now (store_learning_colleagues:
 * opted in, active, not the person, within the rate limits), one per
 * competency, same unit first. *out malloc'd (free()), *n of them. */
int learn_colleagues_load(const struct domain_ctx *d, const struct store_person *p,
                          struct learn_coll **out, int *n);
/* The ranking's view of one: modality "colleague", no JP, no level. */
void learn_coll_cand(struct learn_coll *c, struct learn_cand *out);
/* The person picked colleague c for comp: record the request (rate
 * limited) and start learning.colleague for the colleague. Result "asked"
 * or "refused" (nothing sent), with the message. */
int learn_ask_colleague(const struct domain_ctx *d, const struct store_person *p,
                        const struct learn_coll *c, const char *comp);

/* Helpers of the module's actions (learn.c): a field the flow's step
 * collected (args "fields"), NULL when absent; 1 when the person reads
 * English; the action's outcome for a flow waiting on it (nothing when
 * none waits): "ok" when status is "ok", the status, message and value. */
const cJSON *learn_field(const cJSON *args, const char *name);
int learn_en(const struct store_person *p);
int learn_result(const struct domain_ctx *d, const char *status, const char *value,
                 const char *msg);

/* The flow actions of learn_social.c (their rows are in learn.c). */
int learn_act_askme_show(const struct domain_ctx *d, const struct store_person *p,
                         const cJSON *args);
int learn_act_askme_set(const struct domain_ctx *d, const struct store_person *p,
                        const cJSON *args);
int learn_act_ask_answer(const struct domain_ctx *d, const struct store_person *p,
                         const cJSON *args);
int learn_act_mentee_plans(const struct domain_ctx *d, const struct store_person *p,
                           const cJSON *args);
/* Person fields: learn_ask_id (0: none), learn_ask_from ("name (unit)"),
 * learn_ask_comp: the oldest open request to the person. */
int learn_social_fields(const struct domain_ctx *d, const struct store_person *p, cJSON *out);

#endif
