/*
 * store_series.c - recurring survey pulses (store_survey.h, "recurring
 * series"): the survey_series rows that the survey module's tick turns
 * into a new wave every N weeks. Called by bot/domain/survey only.
 *
 * Thread rules: as store.h - one thread at a time per struct store.
 */
#include "bot/base/bb.h"
#include "store/store_int.h"
#include "store/store_survey.h"

#include <string.h>

#define SERIES_ROW_CAP 100000 /* series any list here hands out */
#define SERIES_COLS                                                                                \
    "id, flow_id, segment, every_weeks, next_at, open_for, remind_after, stopped_at,"              \
    " created_at, actor"

static const struct store_col series_cols[] = {
    STORE_I64(struct store_series, id),           STORE_TXT(struct store_series, flow_id),
    STORE_TXT(struct store_series, segment),      STORE_INT(struct store_series, every_weeks),
    STORE_I64(struct store_series, next_at),      STORE_I64(struct store_series, open_for),
    STORE_I64(struct store_series, remind_after), STORE_I64(struct store_series, stopped_at),
    STORE_I64(struct store_series, created_at),   STORE_TXT(struct store_series, actor)};

static int map_series(sqlite3_stmt *s, void *row)
{
    memset(row, 0, sizeof(struct store_series));
    return STORE_MAP_COLS(s, row, series_cols);
}

int store_series_add(struct store *st, struct store_series *s)
{
    if (!s || !s->flow_id[0] || !s->segment[0] || s->every_weeks < 1 || s->every_weeks > 52 ||
        s->open_for <= 0 || s->remind_after < 0)
        return BB_EINVAL;
    return store_q_insert(st,
                          "INSERT INTO survey_series(flow_id, segment, every_weeks, next_at,"
                          " open_for, remind_after, created_at, actor)"
                          " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                          STORE_ARGS(store_text(s->flow_id), store_text(s->segment),
                                     store_int(s->every_weeks), store_int(s->next_at),
                                     store_int(s->open_for), store_int(s->remind_after),
                                     store_int(s->created_at), store_text(s->actor)),
                          &s->id);
}

int store_series_get(struct store *st, int64_t id, struct store_series *out)
{
    return store_q_one(st, "SELECT " SERIES_COLS " FROM survey_series WHERE id = ?1",
                       STORE_ARGS(store_int(id)), map_series, out);
}

int store_series_list(struct store *st, const char *flow_id, struct store_series **out, int *n)
{
    return store_q_grow(st,
                        "SELECT " SERIES_COLS " FROM survey_series WHERE ?1 IS NULL OR"
                        " flow_id = ?1 ORDER BY id",
                        STORE_ARGS(store_text(flow_id)), map_series, sizeof(**out), SERIES_ROW_CAP,
                        NULL, (void **)out, n);
}

int store_series_due(struct store *st, int64_t now, struct store_series **out, int *n)
{
    return store_q_grow(st,
                        "SELECT " SERIES_COLS " FROM survey_series WHERE stopped_at = 0 AND"
                        " next_at <= ?1 ORDER BY next_at, id",
                        STORE_ARGS(store_int(now)), map_series, sizeof(**out), SERIES_ROW_CAP, NULL,
                        (void **)out, n);
}

int store_series_set_next(struct store *st, int64_t id, int64_t next_at)
{
    return store_q_exec(st, "UPDATE survey_series SET next_at = ?2 WHERE id = ?1",
                        STORE_ARGS(store_int(id), store_int(next_at)), NULL);
}

int store_series_stop(struct store *st, int64_t id, int64_t now)
{
    struct store_series s;
    int rc = store_series_get(st, id, &s);
    if (rc != BB_OK)
        return rc;
    if (s.stopped_at)
        return BB_EEXIST;
    return store_q_exec(st, "UPDATE survey_series SET stopped_at = ?2 WHERE id = ?1",
                        STORE_ARGS(store_int(id), store_int(now > 0 ? now : 1)), NULL);
}
