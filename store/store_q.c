/*
 * store_q.c - the query layer of store/ (see store_int.h): the statement
 * cache, SQLite error mapping, binding, and the one-row, list and exec
 * helpers with row mappers. Called by the files of store/ only.
 *
 * Thread rules: as store.h - one thread at a time per struct store.
 */
#include "store/store_int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/bb.h"

void store_seterr(struct store *st, const char *msg)
{
    if (st)
        bb_strlcpy(st->errmsg, msg, sizeof(st->errmsg));
}

int store_sqlerr(struct store *st, int rc)
{
    if (st && st->db)
        bb_snprintf(st->errmsg, sizeof(st->errmsg), "%s", sqlite3_errmsg(st->db));
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return BB_EAGAIN;
    case SQLITE_NOMEM:
        return BB_ENOMEM;
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            return BB_ENOTFOUND;
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return BB_EEXIST;
        return BB_EIO;
    }
    return BB_EIO;
}

/* ---- the statement cache ----------------------------------------------- */

/* Home slot of an SQL text's address (Fibonacci hashing). */
static size_t stmt_home(const char *sql)
{
    uint64_t h = (uint64_t)(uintptr_t)sql * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(h >> 32) & (STORE_STMT_SLOTS - 1);
}

int store_stmt(struct store *st, const char *sql, sqlite3_stmt **out)
{
    size_t i = stmt_home(sql);
    int rc;
    *out = NULL;
    /* Linear probing; the table is never more than half full, so a free
     * slot ends every search. */
    while (st->stmts[i].sql && st->stmts[i].sql != sql)
        i = (i + 1) & (STORE_STMT_SLOTS - 1);
    if (st->stmts[i].sql) {
        sqlite3_reset(st->stmts[i].s);
        sqlite3_clear_bindings(st->stmts[i].s);
        *out = st->stmts[i].s;
        return BB_OK;
    }
    assert(st->nstmts < STORE_STMT_MAX && "raise STORE_STMT_SLOTS");
    if (st->nstmts >= STORE_STMT_MAX) {
        store_seterr(st, "statement cache full");
        return BB_ELIMIT;
    }
    rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->stmts[i].s, NULL);
    if (rc != SQLITE_OK) {
        st->stmts[i].s = NULL;
        return store_sqlerr(st, rc);
    }
    st->stmts[i].sql = sql;
    st->nstmts++;
    *out = st->stmts[i].s;
    return BB_OK;
}

void store_done(sqlite3_stmt *s)
{
    if (!s)
        return;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

/* ---- binding and reading columns --------------------------------------- */

int store_bind_text(sqlite3_stmt *s, int idx, const char *text)
{
    if (!text)
        return sqlite3_bind_null(s, idx);
    return sqlite3_bind_text(s, idx, text, -1, SQLITE_STATIC);
}

void store_col_copy(sqlite3_stmt *s, int col, char *dst, size_t n)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    bb_strlcpy(dst, t ? (const char *)t : "", n);
}

int store_col_dup(sqlite3_stmt *s, int col, char **out)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    int len = sqlite3_column_bytes(s, col);
    *out = NULL;
    if (!t)
        return BB_OK;
    *out = malloc((size_t)len + 1);
    if (!*out)
        return BB_ENOMEM;
    memcpy(*out, t, (size_t)len);
    (*out)[len] = '\0';
    return BB_OK;
}

/* ---- stepping ---------------------------------------------------------- */

int store_run(struct store *st, sqlite3_stmt *s, int *changes)
{
    int rc = sqlite3_step(s);
    int err = BB_OK;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = store_sqlerr(st, rc);
    else if (changes)
        *changes = sqlite3_changes(st->db);
    store_done(s);
    return err;
}

int store_step_row(struct store *st, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        return BB_OK;
    store_done(s);
    if (rc == SQLITE_DONE)
        return BB_ENOTFOUND;
    return store_sqlerr(st, rc);
}

/* ---- the query helpers ------------------------------------------------- */

int store_q_prep(struct store *st, const char *sql, struct store_args args, sqlite3_stmt **out)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, sql, &s);
    if (rc)
        return rc;
    for (int i = 0; i < args.n && rc == SQLITE_OK; i++) {
        const struct store_arg *a = &args.v[i];
        switch (a->type) {
        case STORE_ARG_INT:
            rc = sqlite3_bind_int64(s, i + 1, a->i);
            break;
        case STORE_ARG_REAL:
            rc = sqlite3_bind_double(s, i + 1, a->d);
            break;
        case STORE_ARG_TEXT:
            rc = store_bind_text(s, i + 1, a->t);
            break;
        default:
            rc = SQLITE_MISUSE;
        }
    }
    if (rc != SQLITE_OK) {
        rc = store_sqlerr(st, rc);
        store_done(s);
        return rc;
    }
    *out = s;
    return BB_OK;
}

int store_q_exec(struct store *st, const char *sql, struct store_args args, int *changes)
{
    sqlite3_stmt *s;
    int rc = store_q_prep(st, sql, args, &s);
    if (rc)
        return rc;
    return store_run(st, s, changes);
}

int store_q_insert(struct store *st, const char *sql, struct store_args args, int64_t *id_out)
{
    int rc = store_q_exec(st, sql, args, NULL);
    if (rc == BB_OK && id_out)
        *id_out = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int store_q_change(struct store *st, const char *sql, struct store_args args)
{
    int n = 0;
    int rc = store_q_exec(st, sql, args, &n);
    if (rc == BB_OK && n == 0)
        rc = BB_ENOTFOUND;
    return rc;
}

int store_q_one(struct store *st, const char *sql, struct store_args args, store_map_fn map,
                void *out)
{
    sqlite3_stmt *s;
    int rc = store_q_prep(st, sql, args, &s);
    if (rc)
        return rc;
    rc = store_step_row(st, s);
    if (rc)
        return rc;
    if (map)
        rc = map(s, out);
    store_done(s);
    return rc;
}

int store_map_int64(sqlite3_stmt *s, void *out)
{
    *(int64_t *)out = sqlite3_column_int64(s, 0);
    return BB_OK;
}

int store_map_cols(sqlite3_stmt *s, void *row, const struct store_col *cols, int n)
{
    int rc = BB_OK;
    for (int i = 0; i < n; i++) {
        char *f = (char *)row + cols[i].off;
        int64_t v = 0;
        switch (cols[i].kind) {
        case STORE_C_TEXT:
            store_col_copy(s, i, f, cols[i].size);
            continue;
        case STORE_C_DUP: {
            char *dup = NULL;
            int r = store_col_dup(s, i, &dup);
            memcpy(f, &dup, sizeof(dup));
            if (r != BB_OK && rc == BB_OK)
                rc = r;
            continue;
        }
        case STORE_C_INT:
            v = sqlite3_column_int(s, i);
            break;
        default:
            v = sqlite3_column_int64(s, i);
            break;
        }
        if (cols[i].size == sizeof(int64_t)) {
            memcpy(f, &v, sizeof(v));
        } else {
            assert(cols[i].size == sizeof(int));
            int iv = (int)v;
            memcpy(f, &iv, sizeof(iv));
        }
    }
    return rc;
}

int store_q_int64(struct store *st, const char *sql, struct store_args args, int64_t *out)
{
    return store_q_one(st, sql, args, store_map_int64, out);
}

struct ints_out {
    int64_t *const *cols;
    int n;
};

static int map_ints(sqlite3_stmt *s, void *out)
{
    const struct ints_out *o = out;
    for (int i = 0; i < o->n; i++)
        *o->cols[i] = sqlite3_column_int64(s, i);
    return BB_OK;
}

int store_q_ints(struct store *st, const char *sql, struct store_args args, int64_t *const cols[],
                 int n)
{
    struct ints_out o = {cols, n};
    return store_q_one(st, sql, args, map_ints, &o);
}

struct text_out {
    char *dst;
    size_t n;
};

static int map_text(sqlite3_stmt *s, void *out)
{
    struct text_out *t = out;
    store_col_copy(s, 0, t->dst, t->n);
    return BB_OK;
}

int store_q_text(struct store *st, const char *sql, struct store_args args, char *dst, size_t n)
{
    struct text_out t = {dst, n};
    return store_q_one(st, sql, args, map_text, &t);
}

int store_q_each(struct store *st, const char *sql, struct store_args args, store_map_fn fn,
                 void *ctx)
{
    sqlite3_stmt *s;
    int rc = store_q_prep(st, sql, args, &s);
    int sr;
    if (rc)
        return rc;
    while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
        rc = fn(s, ctx);
        if (rc) {
            store_done(s);
            return rc == STORE_STOP ? BB_OK : rc;
        }
    }
    if (sr != SQLITE_DONE)
        rc = store_sqlerr(st, sr);
    store_done(s);
    return rc;
}

struct list_ctx {
    store_map_fn map;
    char *arr;
    size_t size;
    int limit;
    int k;
    int failed; /* the row at k was being mapped when map failed */
};

static int list_row(sqlite3_stmt *s, void *ctx)
{
    struct list_ctx *l = ctx;
    int rc;
    if (l->k >= l->limit)
        return STORE_STOP; /* more rows than asked for: not read */
    rc = l->map(s, l->arr + (size_t)l->k * l->size);
    if (rc) {
        l->failed = 1;
        return rc;
    }
    l->k++;
    return BB_OK;
}

int store_q_list(struct store *st, const char *sql, struct store_args args, store_map_fn map,
                 size_t size, int limit, store_drop_fn drop, void **out, int *n)
{
    struct list_ctx l = {map, NULL, size, limit, 0, 0};
    int rc;
    *out = NULL;
    *n = 0;
    if (limit <= 0 || limit > STORE_LIST_MAX || size == 0)
        return BB_EINVAL;
    l.arr = calloc((size_t)limit, size);
    if (!l.arr)
        return BB_ENOMEM;
    rc = store_q_each(st, sql, args, list_row, &l);
    if (rc) {
        if (drop)
            drop(l.arr, l.k + l.failed);
        else
            free(l.arr);
        return rc;
    }
    *out = l.arr;
    *n = l.k;
    return BB_OK;
}

struct grow_ctx {
    store_map_fn map;
    char *arr;
    size_t size;
    int max, cap, k;
    int failed; /* the row at k was being mapped when map failed */
};

static int grow_row(sqlite3_stmt *s, void *ctx)
{
    struct grow_ctx *g = ctx;
    int rc;
    if (g->k == g->cap) {
        int nc = g->cap ? g->cap * 2 : 16;
        char *nv;
        if (g->cap >= g->max)
            return BB_ELIMIT;
        if (nc > g->max)
            nc = g->max;
        nv = realloc(g->arr, (size_t)nc * g->size);
        if (!nv)
            return BB_ENOMEM;
        g->arr = nv;
        g->cap = nc;
    }
    memset(g->arr + (size_t)g->k * g->size, 0, g->size);
    rc = g->map(s, g->arr + (size_t)g->k * g->size);
    if (rc) {
        g->failed = 1;
        return rc;
    }
    g->k++;
    return BB_OK;
}

int store_q_grow(struct store *st, const char *sql, struct store_args args, store_map_fn map,
                 size_t size, int max, store_drop_fn drop, void **out, int *n)
{
    struct grow_ctx g = {map, NULL, size, max, 0, 0, 0};
    int rc;
    *out = NULL;
    *n = 0;
    if (max <= 0 || size == 0)
        return BB_EINVAL;
    rc = store_q_each(st, sql, args, grow_row, &g);
    if (rc) {
        if (drop && g.arr)
            drop(g.arr, g.k + g.failed);
        else
            free(g.arr);
        return rc;
    }
    if (g.k == 0) {
        free(g.arr);
        g.arr = NULL;
    }
    *out = g.arr;
    *n = g.k;
    return BB_OK;
}

struct fill_ctx {
    store_map_fn map;
    char *arr;
    size_t size;
    int max, k;
};

static int fill_row(sqlite3_stmt *s, void *ctx)
{
    struct fill_ctx *f = ctx;
    int rc = f->map(s, f->arr + (size_t)f->k * f->size);
    if (rc)
        return rc;
    return ++f->k < f->max ? BB_OK : STORE_STOP;
}

int store_q_fill(struct store *st, const char *sql, struct store_args args, store_map_fn map,
                 size_t size, int max, void *arr, int *n)
{
    struct fill_ctx f = {map, arr, size, max, 0};
    int rc;
    *n = 0;
    if (max <= 0 || !arr || size == 0)
        return BB_EINVAL;
    rc = store_q_each(st, sql, args, fill_row, &f);
    if (rc == BB_OK)
        *n = f.k;
    return rc;
}
