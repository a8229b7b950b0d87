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
