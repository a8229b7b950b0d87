/*
 * store_learning.c - the tables of personalised learning (see
 * store_learning.h). Called by the learning module and its CLI; same
 * thread rules as store.h.
 */
#include "store/store_learning.h"
#include "store/store_int.h"
#include "bot/base/bb.h"

#include <string.h>

static int map_item(sqlite3_stmt *s, void *out)
{
    struct store_learn_item *it = out;
    store_col_copy(s, 0, it->id, sizeof(it->id));
    store_col_copy(s, 1, it->title, sizeof(it->title));
    store_col_copy(s, 2, it->provider, sizeof(it->provider));
    store_col_copy(s, 3, it->modality, sizeof(it->modality));
    it->jp = sqlite3_column_int(s, 4);
    store_col_copy(s, 5, it->competencies, sizeof(it->competencies));
    store_col_copy(s, 6, it->level, sizeof(it->level));
    store_col_copy(s, 7, it->lang, sizeof(it->lang));
    store_col_copy(s, 8, it->url, sizeof(it->url));
    it->retired_at = sqlite3_column_int64(s, 9);
    it->updated_at = sqlite3_column_int64(s, 10);
    return BB_OK;
}

int store_learning_item_put(struct store *st, const struct store_learn_item *it, int64_t now,
                            int *created)
{
    int64_t had = 0;
    int rc = store_q_int64(st, "SELECT COUNT(*) FROM learning_items WHERE id = ?1",
                           STORE_ARGS(store_text(it->id)), &had);
    if (rc != BB_OK)
        return rc;
    if (created)
        *created = had == 0;
    return store_q_exec(
        st,
        "INSERT INTO learning_items(id, title, provider, modality, jp, competencies, level, lang,"
        " url, retired_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10)"
        " ON CONFLICT(id) DO UPDATE SET title = excluded.title, provider = excluded.provider,"
        " modality = excluded.modality, jp = excluded.jp, competencies = excluded.competencies,"
        " level = excluded.level, lang = excluded.lang, url = excluded.url, retired_at = 0,"
        " updated_at = excluded.updated_at",
        STORE_ARGS(store_text(it->id), store_text(it->title), store_text(it->provider),
                   store_text(it->modality), store_int(it->jp), store_text(it->competencies),
                   store_text(it->level), store_text(it->lang), store_text(it->url),
                   store_int(now)),
        NULL);
}

int store_learning_item_get(struct store *st, const char *id, struct store_learn_item *out)
{
    memset(out, 0, sizeof(*out));
    return store_q_one(st,
                       "SELECT id, title, provider, modality, jp, competencies, level, lang, url,"
                       " retired_at, updated_at FROM learning_items WHERE id = ?1",
                       STORE_ARGS(store_text(id)), map_item, out);
}

int store_learning_item_retire(struct store *st, const char *id, int64_t now)
{
    struct store_learn_item it;
    int rc = store_learning_item_get(st, id, &it);
    if (rc != BB_OK || it.retired_at)
        return rc;
    return store_q_change(st, "UPDATE learning_items SET retired_at = ?2 WHERE id = ?1",
                          STORE_ARGS(store_text(id), store_int(now)));
}

int store_learning_items(struct store *st, int with_retired, struct store_learn_item **out, int *n)
{
    return store_q_grow(st,
                        "SELECT id, title, provider, modality, jp, competencies, level, lang, url,"
                        " retired_at, updated_at FROM learning_items"
                        " WHERE ?1 OR retired_at = 0 ORDER BY id",
                        STORE_ARGS(store_int(with_retired ? 1 : 0)), map_item,
                        sizeof(struct store_learn_item), STORE_LEARN_ITEMS_MAX, NULL, (void **)out,
                        n);
}

/* ---- the competency profile ------------------------------------------- */

static int map_need(sqlite3_stmt *s, void *out)
{
    struct store_learn_need *x = out;
    store_col_copy(s, 0, x->comp, sizeof(x->comp));
    x->current = sqlite3_column_int(s, 1);
    x->target = sqlite3_column_int(s, 2);
    store_col_copy(s, 3, x->source, sizeof(x->source));
    x->updated_at = sqlite3_column_int64(s, 4);
    return BB_OK;
}

int store_learning_need_set(struct store *st, int64_t person_id, const char *comp, int current,
                            int target, const char *source, int64_t now)
{
    int64_t n = 0, had = 0;
    int rc;
    if (!comp || !comp[0] || strlen(comp) >= 64 || current < 1 || current > 4 || target < 1 ||
        target > 4)
        return BB_EINVAL;
    if ((rc = store_q_int64(st, "SELECT COUNT(*) FROM learning_profile WHERE person_id = ?1",
                            STORE_ARGS(store_int(person_id)), &n)) != BB_OK)
        return rc;
    if ((rc = store_q_int64(st,
                            "SELECT COUNT(*) FROM learning_profile WHERE person_id = ?1 AND"
                            " competency = ?2",
                            STORE_ARGS(store_int(person_id), store_text(comp)), &had)) != BB_OK)
        return rc;
    if (!had && n >= STORE_LEARN_NEEDS_MAX)
        return BB_ELIMIT;
    return store_q_exec(st,
                        "INSERT INTO learning_profile(person_id, competency, current, target,"
                        " source, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
                        " ON CONFLICT(person_id, competency) DO UPDATE SET current ="
                        " excluded.current, target = excluded.target, source = excluded.source,"
                        " updated_at = excluded.updated_at",
                        STORE_ARGS(store_int(person_id), store_text(comp), store_int(current),
                                   store_int(target), store_text(source), store_int(now)),
                        NULL);
}

int store_learning_needs(struct store *st, int64_t person_id, struct store_learn_need *out, int max,
                         int *n)
{
    return store_q_fill(st,
                        "SELECT competency, current, target, source, updated_at FROM"
                        " learning_profile WHERE person_id = ?1 ORDER BY competency",
                        STORE_ARGS(store_int(person_id)), map_need, sizeof(*out), max, out, n);
}

int store_learning_rated_at(struct store *st, int64_t person_id, int64_t *at)
{
    return store_q_int64(st,
                         "SELECT COALESCE(MAX(updated_at), 0) FROM learning_profile"
                         " WHERE person_id = ?1 AND source = 'self'",
                         STORE_ARGS(store_int(person_id)), at);
}

int store_learning_need_raise(struct store *st, int64_t person_id, const char *comp, int64_t now)
{
    return store_q_exec(st,
                        "UPDATE learning_profile SET current = min(4, current + 1), target ="
                        " max(target, min(4, current + 1)), source = 'learning', updated_at = ?3"
                        " WHERE person_id = ?1 AND competency = ?2",
                        STORE_ARGS(store_int(person_id), store_text(comp), store_int(now)), NULL);
}

int store_learning_need_seed(struct store *st, int64_t person_id, const char *comp, int current,
                             int target, const char *source, int add, int64_t now)
{
    char had[16] = "";
    int rc;
    if (!comp || !comp[0] || strlen(comp) >= 64 || current < 1 || current > 4 || target < 1 ||
        target > 4 || !source || !source[0])
        return BB_EINVAL;
    rc = store_q_text(st,
                      "SELECT source FROM learning_profile WHERE person_id = ?1 AND"
                      " competency = ?2",
                      STORE_ARGS(store_int(person_id), store_text(comp)), had, sizeof(had));
    if (rc == BB_OK) {
        if (strcmp(had, source) != 0)
            return BB_OK; /* the person's own, moved by learning, or another seed's */
        return store_q_exec(st,
                            "UPDATE learning_profile SET current = ?3, target = ?4,"
                            " updated_at = ?5 WHERE person_id = ?1 AND competency = ?2 AND"
                            " (current <> ?3 OR target <> ?4)",
                            STORE_ARGS(store_int(person_id), store_text(comp), store_int(current),
                                       store_int(target), store_int(now)),
                            NULL);
    }
    if (rc != BB_ENOTFOUND)
        return rc;
    if (!add)
        return BB_OK;
    rc = store_learning_need_set(st, person_id, comp, current, target, source, now);
    return rc == BB_ELIMIT ? BB_OK : rc;
}

static int map_seed(sqlite3_stmt *s, void *out)
{
    struct store_learn_seed *x = out;
    store_col_copy(s, 0, x->source, sizeof(x->source));
    store_col_copy(s, 1, x->text, sizeof(x->text));
    x->rating = sqlite3_column_int(s, 2);
    return BB_OK;
}

int store_learning_seeds(struct store *st, int64_t person_id, struct store_learn_seed *out, int max,
                         int *n)
{
    return store_q_fill(st,
                        "SELECT 'goal', competency, 0, 1, id FROM dev_goals WHERE person_id = ?1"
                        " AND status = 'open' AND competency <> ''"
                        " UNION ALL SELECT 'mentor', tags, 0, 2, id FROM mentor_requests"
                        " WHERE person_id = ?1 AND status = 'open' AND tags <> ''"
                        " UNION ALL SELECT 'reflection', value, rating, 3, id FROM reflections r"
                        " WHERE person_id = ?1 AND id = (SELECT MAX(id) FROM reflections"
                        " WHERE person_id = ?1 AND value = r.value)"
                        " ORDER BY 4, 5",
                        STORE_ARGS(store_int(person_id)), map_seed, sizeof(*out), max, out, n);
}

/* ---- preferences ------------------------------------------------------- */

static int map_prefs(sqlite3_stmt *s, void *out)
{
    struct store_learn_prefs *x = out;
    store_col_copy(s, 0, x->modality, sizeof(x->modality));
    x->max_jp = sqlite3_column_int(s, 1);
    x->updated_at = sqlite3_column_int64(s, 2);
    return BB_OK;
}

int store_learning_prefs_get(struct store *st, int64_t person_id, struct store_learn_prefs *out)
{
    memset(out, 0, sizeof(*out));
    return store_q_one(st,
                       "SELECT modality, max_jp, updated_at FROM learning_prefs"
                       " WHERE person_id = ?1",
                       STORE_ARGS(store_int(person_id)), map_prefs, out);
}

int store_learning_prefs_set(struct store *st, int64_t person_id, const char *modality, int max_jp,
                             int64_t now)
{
    if (!modality || strlen(modality) >= 16 || max_jp < 0 || max_jp > 200)
        return BB_EINVAL;
    return store_q_exec(
        st,
        "INSERT INTO learning_prefs(person_id, modality, max_jp, updated_at)"
        " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(person_id) DO UPDATE SET"
        " modality = excluded.modality, max_jp = excluded.max_jp,"
        " updated_at = excluded.updated_at",
        STORE_ARGS(store_int(person_id), store_text(modality), store_int(max_jp), store_int(now)),
        NULL);
}

/* ---- the learning plan ------------------------------------------------- */

static int map_plan(sqlite3_stmt *s, void *out)
{
    struct store_learn_plan *x = out;
    x->id = sqlite3_column_int64(s, 0);
    store_col_copy(s, 1, x->item_id, sizeof(x->item_id));
    store_col_copy(s, 2, x->state, sizeof(x->state));
    x->started_at = sqlite3_column_int64(s, 3);
    x->ended_at = sqlite3_column_int64(s, 4);
    x->rating = sqlite3_column_int(s, 5);
    store_col_copy(s, 6, x->provider, sizeof(x->provider));
    store_col_copy(s, 7, x->modality, sizeof(x->modality));
    store_col_copy(s, 8, x->competencies, sizeof(x->competencies));
    store_col_copy(s, 9, x->title, sizeof(x->title));
    x->jp = sqlite3_column_int(s, 10);
    return BB_OK;
}

int store_learning_plan_start(struct store *st, int64_t person_id, const char *item_id, int64_t now)
{
    struct store_learn_plan cur;
    struct store_learn_item it;
    int rc = store_learning_plan_current(st, person_id, &cur);
    if (rc == BB_OK)
        return BB_EEXIST;
    if (rc != BB_ENOTFOUND)
        return rc;
    if ((rc = store_learning_item_get(st, item_id, &it)) != BB_OK)
        return rc;
    if (it.retired_at)
        return BB_ENOTFOUND;
    return store_q_exec(st,
                        "INSERT INTO learning_plan(person_id, item_id, started_at)"
                        " VALUES(?1, ?2, ?3)",
                        STORE_ARGS(store_int(person_id), store_text(item_id), store_int(now)),
                        NULL);
}

int store_learning_plan_current(struct store *st, int64_t person_id, struct store_learn_plan *out)
{
    memset(out, 0, sizeof(*out));
    return store_q_one(st,
                       "SELECT p.id, p.item_id, p.state, p.started_at, p.ended_at, p.rating,"
                       " COALESCE(i.provider, ''), COALESCE(i.modality, ''),"
                       " COALESCE(i.competencies, ''), COALESCE(i.title, p.item_id),"
                       " COALESCE(i.jp, 0) FROM learning_plan p LEFT JOIN learning_items i"
                       " ON i.id = p.item_id WHERE p.person_id = ?1 AND p.state = 'started'"
                       " ORDER BY p.id DESC LIMIT 1",
                       STORE_ARGS(store_int(person_id)), map_plan, out);
}

int store_learning_plan_end(struct store *st, int64_t plan_id, const char *state, int rating,
                            const char *applied, int64_t now)
{
    if (strcmp(state, "done") && strcmp(state, "dropped"))
        return BB_EINVAL;
    if (!strcmp(state, "done") && (rating < 1 || rating > 5))
        return BB_EINVAL;
    return store_q_change(st,
                          "UPDATE learning_plan SET state = ?2, rating = ?3, applied = ?4,"
                          " ended_at = ?5 WHERE id = ?1 AND state = 'started'",
                          STORE_ARGS(store_int(plan_id), store_text(state), store_int(rating),
                                     store_text(applied ? applied : ""), store_int(now)));
}

int store_learning_history(struct store *st, int64_t person_id, int64_t since,
                           struct store_learn_plan *out, int max, int *n)
{
    return store_q_fill(st,
                        "SELECT p.id, p.item_id, p.state, p.started_at, p.ended_at, p.rating,"
                        " COALESCE(i.provider, ''), COALESCE(i.modality, ''),"
                        " COALESCE(i.competencies, ''), COALESCE(i.title, p.item_id),"
                        " COALESCE(i.jp, 0) FROM learning_plan p LEFT JOIN learning_items i"
                        " ON i.id = p.item_id WHERE p.person_id = ?1 AND p.started_at >= ?2"
                        " ORDER BY p.id DESC",
                        STORE_ARGS(store_int(person_id), store_int(since)), map_plan, sizeof(*out),
                        max, out, n);
}

static int map_goal(sqlite3_stmt *s, void *out)
{
    store_col_copy(s, 0, (char *)out, 240);
    return BB_OK;
}

int store_learning_goals(struct store *st, int64_t person_id, char (*out)[240], int max, int *n)
{
    return store_q_fill(st,
                        "SELECT lower(trim(competency || ' ' || goal)) FROM dev_goals"
                        " WHERE person_id = ?1 AND status = 'open' ORDER BY id DESC",
                        STORE_ARGS(store_int(person_id)), map_goal, 240, max, out, n);
}

/* ---- a colleague who agreed to be asked -------------------------------- */

int store_learning_askable_set(struct store *st, int64_t person_id, const char *comp, int on,
                               int64_t now)
{
    int64_t lvl = 0;
    int rc;
    if (!comp || !*comp)
        return BB_EINVAL;
    if (!on)
        return store_q_exec(st,
                            "DELETE FROM learning_askable WHERE person_id = ?1 AND competency = ?2",
                            STORE_ARGS(store_int(person_id), store_text(comp)), NULL);
    rc = store_q_int64(st,
                       "SELECT current FROM learning_profile WHERE person_id = ?1 AND"
                       " competency = ?2",
                       STORE_ARGS(store_int(person_id), store_text(comp)), &lvl);
    if (rc == BB_ENOTFOUND || (rc == BB_OK && lvl < STORE_LEARN_ASK_MIN))
        return BB_EINVAL;
    if (rc != BB_OK)
        return rc;
    return store_q_exec(st,
                        "INSERT OR IGNORE INTO learning_askable(person_id, competency, created_at)"
                        " VALUES(?1, ?2, ?3)",
                        STORE_ARGS(store_int(person_id), store_text(comp), store_int(now)), NULL);
}

static int map_comp(sqlite3_stmt *s, void *out)
{
    store_col_copy(s, 0, (char *)out, 64);
    return BB_OK;
}

int store_learning_askable(struct store *st, int64_t person_id, char (*out)[64], int max, int *n)
{
    return store_q_fill(st,
                        "SELECT competency FROM learning_askable WHERE person_id = ?1"
                        " ORDER BY competency",
                        STORE_ARGS(store_int(person_id)), map_comp, 64, max, out, n);
}

static int map_colleague(sqlite3_stmt *s, void *out)
{
    struct store_learn_colleague *c = out;
    c->person_id = sqlite3_column_int64(s, 0);
    store_col_copy(s, 1, c->nip, sizeof(c->nip));
    store_col_copy(s, 2, c->name, sizeof(c->name));
    store_col_copy(s, 3, c->panggilan, sizeof(c->panggilan));
    store_col_copy(s, 4, c->unit, sizeof(c->unit));
    store_col_copy(s, 5, c->comp, sizeof(c->comp));
    c->same_unit = sqlite3_column_int(s, 6);
    return BB_OK;
}

int store_learning_colleagues(struct store *st, int64_t asker_id, const char *unit, int64_t now,
                              struct store_learn_colleague *out, int max, int *n)
{
    return store_q_fill(
        st,
        "SELECT p.id, p.nip, p.name, p.panggilan, p.unit, a.competency,"
        " lower(p.unit) = lower(?2) AS same FROM learning_askable a"
        " JOIN people p ON p.id = a.person_id"
        " JOIN learning_profile f ON f.person_id = a.person_id AND f.competency = a.competency"
        " WHERE a.person_id <> ?1 AND p.deactivated_at = 0 AND f.current >= ?5"
        " AND (SELECT granted FROM consents WHERE person_id = p.id AND purpose = 'data'"
        " ORDER BY id DESC LIMIT 1) = 1"
        " AND EXISTS (SELECT 1 FROM identities d WHERE d.person_id = p.id AND d.blocked = 0)"
        " AND NOT EXISTS (SELECT 1 FROM learning_asks r WHERE r.asker_id = ?1"
        " AND r.colleague_id = p.id AND r.created_at > ?3 - ?4)"
        " AND (SELECT count(*) FROM learning_asks r WHERE r.colleague_id = p.id"
        " AND r.created_at > ?3 - 604800) < ?6"
        " ORDER BY same DESC, a.competency, p.nip",
        STORE_ARGS(store_int(asker_id), store_text(unit ? unit : ""), store_int(now),
                   store_int(STORE_LEARN_ASK_OPEN_S), store_int(STORE_LEARN_ASK_MIN),
                   store_int(STORE_LEARN_ASK_WEEK)),
        map_colleague, sizeof(*out), max, out, n);
}

static int map_ask(sqlite3_stmt *s, void *out)
{
    struct store_learn_ask *r = out;
    r->id = sqlite3_column_int64(s, 0);
    r->asker_id = sqlite3_column_int64(s, 1);
    r->colleague_id = sqlite3_column_int64(s, 2);
    store_col_copy(s, 3, r->comp, sizeof(r->comp));
    store_col_copy(s, 4, r->state, sizeof(r->state));
    r->created_at = sqlite3_column_int64(s, 5);
    return BB_OK;
}

int store_learning_ask_add(struct store *st, int64_t asker_id, int64_t colleague_id,
                           const char *comp, int64_t now, int64_t *id)
{
    int64_t open = 0, week = 0;
    int rc;
    if (asker_id == colleague_id || !comp || !*comp)
        return BB_EINVAL;
    if ((rc = store_q_int64(st,
                            "SELECT count(*) FROM learning_asks WHERE asker_id = ?1 AND"
                            " colleague_id = ?2 AND created_at > ?3 - ?4",
                            STORE_ARGS(store_int(asker_id), store_int(colleague_id), store_int(now),
                                       store_int(STORE_LEARN_ASK_OPEN_S)),
                            &open)) != BB_OK ||
        (rc = store_q_int64(st,
                            "SELECT count(*) FROM learning_asks WHERE colleague_id = ?1 AND"
                            " created_at > ?2 - 604800",
                            STORE_ARGS(store_int(colleague_id), store_int(now)), &week)) != BB_OK)
        return rc;
    if (open)
        return BB_EEXIST;
    if (week >= STORE_LEARN_ASK_WEEK)
        return BB_ELIMIT;
    return store_q_insert(
        st,
        "INSERT INTO learning_asks(asker_id, colleague_id, competency,"
        " created_at) VALUES(?1, ?2, ?3, ?4)",
        STORE_ARGS(store_int(asker_id), store_int(colleague_id), store_text(comp), store_int(now)),
        id);
}

int store_learning_ask_open(struct store *st, int64_t colleague_id, int64_t now,
                            struct store_learn_ask *out)
{
    memset(out, 0, sizeof(*out));
    return store_q_one(
        st,
        "SELECT id, asker_id, colleague_id, competency, state, created_at"
        " FROM learning_asks WHERE colleague_id = ?1 AND state = 'open'"
        " AND created_at > ?2 - ?3 ORDER BY id LIMIT 1",
        STORE_ARGS(store_int(colleague_id), store_int(now), store_int(STORE_LEARN_ASK_OPEN_S)),
        map_ask, out);
}

int store_learning_ask_answer(struct store *st, int64_t ask_id, int64_t colleague_id, int yes,
                              int64_t now, struct store_learn_ask *out)
{
    int rc;
    memset(out, 0, sizeof(*out));
    rc = store_q_one(st,
                     "SELECT id, asker_id, colleague_id, competency, state, created_at"
                     " FROM learning_asks WHERE id = ?1 AND colleague_id = ?2 AND state = 'open'"
                     " AND created_at > ?3 - ?4",
                     STORE_ARGS(store_int(ask_id), store_int(colleague_id), store_int(now),
                                store_int(STORE_LEARN_ASK_OPEN_S)),
                     map_ask, out);
    if (rc != BB_OK)
        return rc;
    bb_strlcpy(out->state, yes ? "yes" : "no", sizeof(out->state));
    return store_q_change(st, "UPDATE learning_asks SET state = ?2, answered_at = ?3 WHERE id = ?1",
                          STORE_ARGS(store_int(ask_id), store_text(out->state), store_int(now)));
}
