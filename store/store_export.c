/*
 * store_export.c - everything stored about a person, as JSON, and its
 * erasure (store_person_export, store_person_forget in store.h), both driven
 * by store_person_tables[] in store_schema.c so that a new table is covered
 * as soon as it is listed there. Called through store.h (the CLI's export
 * and forget); same thread rules as store.h.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/base/bb.h"
#include "store/store_int.h"

/* ---- export and forget ------------------------------------------------- */

int store_set_table_channel(struct store *st, const char *table, const char *channel)
{
    int i = 0;
    while (i < st->nowners && strcmp(st->owners[i].table, table) != 0)
        i++;
    if (i == STORE_OWNERS_MAX)
        return BB_ELIMIT;
    if (bb_strlcpy(st->owners[i].table, table, sizeof(st->owners[i].table)) != BB_OK ||
        bb_strlcpy(st->owners[i].channel, channel, sizeof(st->owners[i].channel)) != BB_OK)
        return BB_EINVAL;
    if (i == st->nowners)
        st->nowners++;
    return BB_OK;
}

/* The channel a by_channel table belongs to, or NULL (and the store's
 * message says which) when the program has not named it. */
static const char *owner_of(struct store *st, const struct store_person_table *pt)
{
    char msg[96];
    if (!pt->by_channel)
        return "";
    for (int i = 0; i < st->nowners; i++)
        if (strcmp(st->owners[i].table, pt->key) == 0)
            return st->owners[i].channel;
    bb_snprintf(msg, sizeof(msg), "no channel is set for the table %s", pt->key);
    store_seterr(st, msg);
    return NULL;
}

/* One row as a JSON object; columns named "x_json" holding valid JSON go
 * in parsed, under "x". */
static cJSON *row_json(sqlite3_stmt *s)
{
    cJSON *o = cJSON_CreateObject();
    int cols = sqlite3_column_count(s);
    if (!o)
        return NULL;
    for (int i = 0; i < cols; i++) {
        const char *name = sqlite3_column_name(s, i);
        size_t nl = strlen(name);
        cJSON *v = NULL;
        switch (sqlite3_column_type(s, i)) {
        case SQLITE_INTEGER:
            v = cJSON_CreateNumber((double)sqlite3_column_int64(s, i));
            break;
        case SQLITE_FLOAT:
            v = cJSON_CreateNumber(sqlite3_column_double(s, i));
            break;
        case SQLITE_NULL:
            v = cJSON_CreateNull();
            break;
        default: {
            const char *t = (const char *)sqlite3_column_text(s, i);
            if (nl > 5 && strcmp(name + nl - 5, "_json") == 0 && t) {
                v = cJSON_Parse(t);
                if (v) {
                    char key[64];
                    size_t kl = nl - 5 < sizeof(key) - 1 ? nl - 5 : sizeof(key) - 1;
                    memcpy(key, name, kl);
                    key[kl] = '\0';
                    cJSON_AddItemToObject(o, key, v);
                    continue;
                }
            }
            v = cJSON_CreateString(t ? t : "");
        }
        }
        if (!v) {
            cJSON_Delete(o);
            return NULL;
        }
        cJSON_AddItemToObject(o, name, v);
    }
    return o;
}

/* The rows of one person table going into the export. */
struct export_ctx {
    cJSON *root;
    cJSON *arr; /* NULL: a single row, added to root under key */
    const char *key;
};

static int export_row(sqlite3_stmt *s, void *ctx)
{
    struct export_ctx *e = ctx;
    cJSON *row = row_json(s);
    if (!row)
        return BB_ENOMEM;
    if (!e->arr) {
        cJSON_AddItemToObject(e->root, e->key, row);
        return STORE_STOP; /* the single row is in */
    }
    cJSON_AddItemToArray(e->arr, row);
    return BB_OK;
}

int store_person_export(struct store *st, int64_t person_id, cJSON **out)
{
    cJSON *root = NULL;
    int rc;
    *out = NULL;
    root = cJSON_CreateObject();
    if (!root)
        return BB_ENOMEM;
    /* One read transaction, so the parts agree with each other. */
    rc = store_begin(st);
    if (rc) {
        cJSON_Delete(root);
        return rc;
    }
    for (int t = 0; t < store_person_ntables; t++) {
        const struct store_person_table *pt = &store_person_tables[t];
        struct export_ctx e = {root, NULL, pt->key};
        const char *chan;
        if (!pt->key || !pt->export_sql)
            continue;
        if (!(chan = owner_of(st, pt))) {
            rc = BB_ESTATE;
            goto fail;
        }
        if (!pt->single && !(e.arr = cJSON_AddArrayToObject(root, pt->key))) {
            rc = BB_ENOMEM;
            goto fail;
        }
        if (pt->by_channel)
            rc = store_q_each(st, pt->export_sql,
                              STORE_ARGS(store_int(person_id), store_text(chan)), export_row, &e);
        else
            rc = store_q_each(st, pt->export_sql, STORE_ARGS(store_int(person_id)), export_row, &e);
        if (rc)
            goto fail;
        if (pt->single && !cJSON_GetObjectItem(root, pt->key)) {
            rc = BB_ENOTFOUND; /* no such person */
            goto fail;
        }
    }
    rc = store_commit(st);
    if (rc) {
        cJSON_Delete(root);
        return rc;
    }
    *out = root;
    return BB_OK;
fail:
    store_tx_end(st, rc);
    cJSON_Delete(root);
    return rc;
}

int store_person_forget(struct store *st, int64_t person_id, int64_t now, char **kept)
{
    struct store_person p;
    char hash[65], detail[96];
    int rc;
    if (kept)
        *kept = NULL;
    rc = store_begin(st);
    if (rc)
        return rc;
    rc = store_person_by_id(st, person_id, &p);
    if (rc)
        goto done;
    bb_sha256_hex(p.nip, strlen(p.nip), hash);
    for (int t = store_person_ntables - 1; t >= 0 && rc == BB_OK; t--) {
        const struct store_person_table *pt = &store_person_tables[t];
        const char *chan = pt->erase_sql ? owner_of(st, pt) : "";
        if (!chan)
            rc = BB_ESTATE;
        else if (pt->erase_sql && pt->by_channel)
            rc = store_q_exec(st, pt->erase_sql, STORE_ARGS(store_int(person_id), store_text(chan)),
                              NULL);
        else if (pt->erase_sql)
            rc = store_q_exec(st, pt->erase_sql, STORE_ARGS(store_int(person_id)), NULL);
    }
    if (rc)
        goto done;
    rc = bb_snprintf(detail, sizeof(detail), "nip_sha256=%s", hash);
    if (rc == BB_OK)
        rc = store_audit(st, "system", "forget", 0, detail, now);
    if (rc == BB_OK)
        store_wipe_wal_after_commit(st); /* the erased rows leave the -wal file too */
    if (rc)
        goto done;
    if (kept) {
        struct bb_buf b;
        bb_buf_init(&b, 1024);
        rc = bb_buf_printf(&b,
                           "One audit-log line was kept: that the person's data was erased "
                           "(action \"forget\") and when, naming them only by the SHA-256 of "
                           "their NIP (%s), so that the institution can account for this HR "
                           "action on personal data as UU 27/2022 requires. Everything else "
                           "about the person was deleted.",
                           hash);
        if (rc == BB_OK)
            *kept = bb_buf_take(&b);
        bb_buf_free(&b);
        if (rc == BB_OK && !*kept)
            rc = BB_ENOMEM;
    }
done:
    /* All or nothing: an error after some tables were erased (a constraint
     * maps to BB_ENOTFOUND/BB_EEXIST too) must not commit a partial erasure. */
    if (rc == BB_OK)
        rc = store_commit(st);
    else
        store_rollback(st);
    if (rc && kept) {
        free(*kept);
        *kept = NULL;
    }
    return rc;
}
