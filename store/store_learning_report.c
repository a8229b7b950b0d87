/*
 * store_learning_report.c - the queries behind HR's learning report (see
 * store_learning_report.h). Called by bot/domain/learning/learn_report.c
 * only; same thread rules as store.h.
 */
#include "store/store_learning_report.h"
#include "store/store_int.h"
#include "bot/base/bb.h"

#include <stddef.h>

static int map_cell(sqlite3_stmt *s, void *row)
{
    static const struct store_col cols[] = {
        STORE_TXT(struct store_learn_cell, unit),
        STORE_TXT(struct store_learn_cell, comp),
        STORE_I64(struct store_learn_cell, people),
        STORE_I64(struct store_learn_cell, gap_sum),
    };
    return STORE_MAP_COLS(s, row, cols);
}

int store_learning_need_cells(struct store *st, const char *unit, struct store_learn_cell **out,
                              int *n)
{
    *out = NULL;
    *n = 0;
    return store_q_grow(st,
                        "SELECT p.unit, l.competency, count(*), sum(l.target - l.current)"
                        " FROM learning_profile l JOIN people p ON p.id = l.person_id"
                        " WHERE l.target > l.current AND p.deactivated_at = 0"
                        " AND (?1 = '' OR p.unit = ?1)"
                        " GROUP BY l.competency, p.unit ORDER BY l.competency, p.unit",
                        STORE_ARGS(store_text(unit ? unit : "")), map_cell, sizeof(**out),
                        STORE_LEARN_CELLS_MAX, NULL, (void **)out, n);
}

static int map_person_row(sqlite3_stmt *s, void *row)
{
    static const struct store_col cols[] = {
        STORE_TXT(struct store_learn_person_row, unit),
        STORE_I64(struct store_learn_person_row, minutes),
        STORE_I64(struct store_learn_person_row, started),
        STORE_I64(struct store_learn_person_row, done),
        STORE_I64(struct store_learn_person_row, dropped),
    };
    return STORE_MAP_COLS(s, row, cols);
}

struct person_walk {
    store_learn_person_fn fn;
    void *ctx;
};

static int person_step(sqlite3_stmt *s, void *ctx)
{
    struct person_walk *w = ctx;
    struct store_learn_person_row row;
    int rc = map_person_row(s, &row);
    return rc == BB_OK ? w->fn(w->ctx, &row) : rc;
}

int store_learning_person_each(struct store *st, const char *unit, const char *from, const char *to,
                               int64_t t0, int64_t t1, store_learn_person_fn fn, void *ctx)
{
    struct person_walk w = {fn, ctx};
    if (!from || !to || !fn)
        return BB_EINVAL;
    return store_q_each(
        st,
        "SELECT p.unit,"
        " (SELECT coalesce(sum(j.minutes), 0) FROM jp_sources j WHERE j.person_id = p.id"
        " AND j.day >= ?2 AND j.day < ?3) AS m,"
        " (SELECT count(*) FROM learning_plan l WHERE l.person_id = p.id"
        " AND l.state = 'started'),"
        " (SELECT count(*) FROM learning_plan l WHERE l.person_id = p.id AND l.state = 'done'"
        " AND l.ended_at >= ?4 AND l.ended_at < ?5),"
        " (SELECT count(*) FROM learning_plan l WHERE l.person_id = p.id AND l.state = 'dropped'"
        " AND l.ended_at >= ?4 AND l.ended_at < ?5)"
        " FROM people p WHERE p.deactivated_at = 0 AND (?1 = '' OR p.unit = ?1)"
        " ORDER BY p.unit, m",
        STORE_ARGS(store_text(unit ? unit : ""), store_text(from), store_text(to), store_int(t0),
                   store_int(t1)),
        person_step, &w);
}
