/*
 * store_category.c - a person's personal data by category (the names of
 * bot/flow/flow.h's flow_categories: checkin, health, development,
 * mentoring, feedback, survey): how many rows each holds, for /privasi, and
 * erasing one category when the person withdraws the consent it was stored
 * under. One row per table a category writes; a table that a new flow
 * action writes needs its row here as well as in store_person_tables.
 *
 * Called by the core (bot/core/consent.c) inside its batch transaction;
 * core thread only.
 */
#include <string.h>

#include "bot/base/bb.h"
#include "store/store_int.h"

struct category_table {
    const char *category;
    const char *count; /* ?1 the person's id */
    const char *erase; /* NULL: not erased with a consent (see below) */
};

static const struct category_table category_tables[] = {
    {"checkin", "SELECT count(*) FROM checkins WHERE person_id = ?1",
     "DELETE FROM checkins WHERE person_id = ?1"},
    {"health", "SELECT count(*) FROM wellbeing WHERE person_id = ?1",
     "DELETE FROM wellbeing WHERE person_id = ?1"},
    {"development", "SELECT count(*) FROM grow_sessions WHERE person_id = ?1",
     "DELETE FROM grow_sessions WHERE person_id = ?1"},
    {"development", "SELECT count(*) FROM dev_goals WHERE person_id = ?1",
     "DELETE FROM dev_goals WHERE person_id = ?1"},
    {"development", "SELECT count(*) FROM learning_log WHERE person_id = ?1",
     "DELETE FROM learning_log WHERE person_id = ?1"},
    {"development", "SELECT count(*) FROM learning_profile WHERE person_id = ?1",
     "DELETE FROM learning_profile WHERE person_id = ?1"},
    {"development", "SELECT count(*) FROM learning_plan WHERE person_id = ?1",
     "DELETE FROM learning_plan WHERE person_id = ?1"},
    {"development", "SELECT count(*) FROM learning_prefs WHERE person_id = ?1",
     "DELETE FROM learning_prefs WHERE person_id = ?1"},
    {"development", "SELECT count(*) FROM learning_askable WHERE person_id = ?1",
     "DELETE FROM learning_askable WHERE person_id = ?1"},
    /* Requests the person made to colleagues (those made to them belong to
     * the asker and go only with a full erasure). */
    {"development", "SELECT count(*) FROM learning_asks WHERE asker_id = ?1",
     "DELETE FROM learning_asks WHERE asker_id = ?1"},
    {"development", "SELECT count(*) FROM reflections WHERE person_id = ?1",
     "DELETE FROM reflections WHERE person_id = ?1"},
    {"mentoring", "SELECT count(*) FROM mentor_requests WHERE person_id = ?1",
     "DELETE FROM mentor_requests WHERE person_id = ?1"},
    /* The person's sessions as a mentee (as a mentor they are the mentee's). */
    {"mentoring", "SELECT count(*) FROM mentoring_sessions WHERE mentee_id = ?1",
     "DELETE FROM mentoring_sessions WHERE mentee_id = ?1"},
    /* What the person asked for and received; feedback they gave belongs to
     * the person who received it and goes only with a full erasure. */
    {"feedback", "SELECT count(*) FROM feedback_requests WHERE asker_id = ?1",
     "DELETE FROM feedback_requests WHERE asker_id = ?1"},
    {"feedback", "SELECT count(*) FROM feedback WHERE to_person = ?1",
     "DELETE FROM feedback WHERE to_person = ?1"},
    /* Only participation (the answers are anonymous and cannot be found
     * from the person); no consent covers it, so nothing to erase here. */
    {"survey", "SELECT count(*) FROM survey_invitations WHERE person_id = ?1", NULL},
};
#define NCATEGORY_TABLES ((int)(sizeof(category_tables) / sizeof(category_tables[0])))

static int known(const char *category)
{
    for (int i = 0; category && i < NCATEGORY_TABLES; i++)
        if (strcmp(category_tables[i].category, category) == 0)
            return 1;
    return 0;
}

int store_category_count(struct store *st, int64_t person_id, const char *category, int64_t *n)
{
    int64_t total = 0;
    if (!known(category))
        return BB_EINVAL;
    for (int i = 0; i < NCATEGORY_TABLES; i++) {
        int64_t k = 0;
        if (strcmp(category_tables[i].category, category) != 0)
            continue;
        int rc = store_q_int64(st, category_tables[i].count, STORE_ARGS(store_int(person_id)), &k);
        if (rc != BB_OK)
            return rc;
        total += k;
    }
    *n = total;
    return BB_OK;
}

int store_category_erase(struct store *st, int64_t person_id, const char *category, int64_t *erased)
{
    int64_t total = 0;
    if (!known(category))
        return BB_EINVAL;
    for (int i = 0; i < NCATEGORY_TABLES; i++) {
        int changes = 0;
        if (strcmp(category_tables[i].category, category) != 0 || !category_tables[i].erase)
            continue;
        int rc =
            store_q_exec(st, category_tables[i].erase, STORE_ARGS(store_int(person_id)), &changes);
        if (rc != BB_OK)
            return rc;
        total += changes;
    }
    if (erased)
        *erased = total;
    return BB_OK;
}
