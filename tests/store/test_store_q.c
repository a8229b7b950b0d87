/* test_store_q.c - the query layer of store/ (store_int.h, store_q.c):
 * SQLite errors mapped in one place, one-row / list / grow / fill / each
 * helpers with zero, one and many rows, mapper errors, and the statement
 * cache (one statement per call site, reused across calls). Includes the
 * store's inside on purpose: only store/ and its tests may. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bot/base/bb.h"
#include "store/store_int.h"
#include "tests/lib/fixture.h"

static int setup(void **state)
{
    struct store *st = NULL;
    assert_int_equal(store_open(":memory:", NULL, &st), BB_OK);
    assert_int_equal(store_q_exec(st,
                                  "CREATE TABLE q_t (id INTEGER PRIMARY KEY, k TEXT UNIQUE,"
                                  " v REAL, p INTEGER REFERENCES people(id))",
                                  STORE_NOARGS, NULL),
                     BB_OK);
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    store_free(*state);
    return 0;
}

static int add_rows(struct store *st, int n)
{
    for (int i = 0; i < n; i++) {
        char k[16];
        bb_snprintf(k, sizeof(k), "k%03d", i);
        int rc = store_q_exec(st, "INSERT INTO q_t (k, v) VALUES (?1, ?2)",
                              STORE_ARGS(store_text(k), store_real(i / 2.0)), NULL);
        if (rc)
            return rc;
    }
    return BB_OK;
}

struct row {
    int64_t id;
    char k[8];
    double v;
};

static int map_row(sqlite3_stmt *s, void *out)
{
    struct row *r = out;
    r->id = sqlite3_column_int64(s, 0);
    store_col_copy(s, 1, r->k, sizeof(r->k));
    r->v = sqlite3_column_double(s, 2);
    return BB_OK;
}

static int map_fail_third(sqlite3_stmt *s, void *out)
{
    struct row *r = out;
    map_row(s, out);
    return r->id == 3 ? BB_ENOMEM : BB_OK;
}

static int drops, dropped_n;
static void drop_rows(void *arr, int n)
{
    drops++;
    dropped_n = n;
    free(arr);
}

static void test_error_mapping(void **state)
{
    struct store *st = *state;
    int64_t id = 0;
    assert_int_equal(store_sqlerr(st, SQLITE_BUSY), BB_EAGAIN);
    assert_int_equal(store_sqlerr(st, SQLITE_LOCKED), BB_EAGAIN);
    assert_int_equal(store_sqlerr(st, SQLITE_NOMEM), BB_ENOMEM);
    assert_int_equal(store_sqlerr(st, SQLITE_CONSTRAINT_UNIQUE), BB_EEXIST);
    assert_int_equal(store_sqlerr(st, SQLITE_CONSTRAINT_PRIMARYKEY), BB_EEXIST);
    assert_int_equal(store_sqlerr(st, SQLITE_CONSTRAINT_FOREIGNKEY), BB_ENOTFOUND);
    assert_int_equal(store_sqlerr(st, SQLITE_CONSTRAINT_CHECK), BB_EIO);
    assert_int_equal(store_sqlerr(st, SQLITE_CORRUPT), BB_EIO);

    /* The same mapping through the helpers, with SQLite's text kept. */
    assert_int_equal(
        store_q_insert(st, "INSERT INTO q_t (k) VALUES (?1)", STORE_ARGS(store_text("a")), &id),
        BB_OK);
    assert_true(id > 0);
    assert_int_equal(
        store_q_insert(st, "INSERT INTO q_t (k) VALUES (?1)", STORE_ARGS(store_text("a")), NULL),
        BB_EEXIST);
    assert_non_null(strstr(store_errmsg(st), "UNIQUE"));
    assert_int_equal(
        store_q_exec(st, "INSERT INTO q_t (k, p) VALUES ('b', 999)", STORE_NOARGS, NULL),
        BB_ENOTFOUND);
    assert_int_equal(store_q_exec(st, "SELECT nope FROM q_t", STORE_NOARGS, NULL), BB_EIO);
    assert_non_null(strstr(store_errmsg(st), "nope"));
    /* A parameter the SQL does not have is refused, not ignored. */
    assert_int_equal(store_q_exec(st, "DELETE FROM q_t WHERE k = ?1",
                                  STORE_ARGS(store_text("a"), store_int(1)), NULL),
                     BB_EIO);
    /* change: no row hit is BB_ENOTFOUND */
    assert_int_equal(
        store_q_change(st, "DELETE FROM q_t WHERE k = ?1", STORE_ARGS(store_text("zz"))),
        BB_ENOTFOUND);
    assert_int_equal(
        store_q_change(st, "DELETE FROM q_t WHERE k = ?1", STORE_ARGS(store_text("a"))), BB_OK);
}

static void test_one(void **state)
{
    struct store *st = *state;
    struct row r;
    int64_t v = -1;
    char t[3];
    assert_int_equal(store_q_one(st, "SELECT id, k, v FROM q_t WHERE k = ?1",
                                 STORE_ARGS(store_text("k001")), map_row, &r),
                     BB_ENOTFOUND);
    assert_int_equal(store_q_int64(st, "SELECT count(*) FROM q_t", STORE_NOARGS, &v), BB_OK);
    assert_int_equal(v, 0);
    assert_int_equal(add_rows(st, 3), BB_OK);
    assert_int_equal(store_q_one(st, "SELECT id, k, v FROM q_t WHERE k = ?1",
                                 STORE_ARGS(store_text("k001")), map_row, &r),
                     BB_OK);
    assert_string_equal(r.k, "k001");
    assert_true(r.v == 0.5);
    /* A row of integers straight into the caller's variables. */
    {
        int64_t a = 0, b = 0;
        int64_t *const cols[] = {&a, &b};
        assert_int_equal(
            store_q_ints(st, "SELECT min(id), max(id) FROM q_t", STORE_NOARGS, cols, 2), BB_OK);
        assert_int_equal(a, 1);
        assert_int_equal(b, 3);
        assert_int_equal(
            store_q_ints(st, "SELECT id, id FROM q_t WHERE id > 3", STORE_NOARGS, cols, 2),
            BB_ENOTFOUND);
    }
    /* Only whether there is a row. */
    assert_int_equal(
        store_q_one(st, "SELECT 1 FROM q_t WHERE id = ?1", STORE_ARGS(store_int(2)), NULL, NULL),
        BB_OK);
    /* A mapper's error comes back as it is. */
    assert_int_equal(
        store_q_one(st, "SELECT id, k, v FROM q_t WHERE id = 3", STORE_NOARGS, map_fail_third, &r),
        BB_ENOMEM);
    /* Text into a bounded field: truncated, "" for NULL. */
    assert_int_equal(store_q_text(st, "SELECT k FROM q_t WHERE id = 1", STORE_NOARGS, t, sizeof(t)),
                     BB_OK);
    assert_string_equal(t, "k0");
    assert_int_equal(store_q_text(st, "SELECT NULL", STORE_NOARGS, t, sizeof(t)), BB_OK);
    assert_string_equal(t, "");
    /* NULL text binds SQL NULL. */
    assert_int_equal(store_q_int64(st, "SELECT ?1 IS NULL", STORE_ARGS(store_text(NULL)), &v),
                     BB_OK);
    assert_int_equal(v, 1);
}

static void test_list(void **state)
{
    struct store *st = *state;
    struct row *rs = NULL;
    int n = -1;
    /* Zero rows: an empty array, not NULL. */
    assert_int_equal(store_q_list(st, "SELECT id, k, v FROM q_t ORDER BY id LIMIT ?1",
                                  STORE_ARGS(store_int(10)), map_row, sizeof(*rs), 10, NULL,
                                  (void **)&rs, &n),
                     BB_OK);
    assert_non_null(rs);
    assert_int_equal(n, 0);
    free(rs);
    /* Many rows, and a limit below the rows there are. */
    assert_int_equal(add_rows(st, 250), BB_OK);
    assert_int_equal(store_q_list(st, "SELECT id, k, v FROM q_t ORDER BY id", STORE_NOARGS, map_row,
                                  sizeof(*rs), 200, NULL, (void **)&rs, &n),
                     BB_OK);
    assert_int_equal(n, 200);
    assert_string_equal(rs[0].k, "k000");
    assert_string_equal(rs[199].k, "k199");
    free(rs);
    assert_int_equal(store_q_list(st, "SELECT id, k, v FROM q_t", STORE_NOARGS, map_row,
                                  sizeof(*rs), 0, NULL, (void **)&rs, &n),
                     BB_EINVAL);
    assert_int_equal(store_q_list(st, "SELECT id, k, v FROM q_t", STORE_NOARGS, map_row,
                                  sizeof(*rs), STORE_LIST_MAX + 1, NULL, (void **)&rs, &n),
                     BB_EINVAL);
    /* A mapper failing on the third row: drop gets what was mapped, the
     * failed row included, and nothing is returned. */
    drops = 0;
    assert_int_equal(store_q_list(st, "SELECT id, k, v FROM q_t ORDER BY id", STORE_NOARGS,
                                  map_fail_third, sizeof(*rs), 10, drop_rows, (void **)&rs, &n),
                     BB_ENOMEM);
    assert_int_equal(drops, 1);
    assert_int_equal(dropped_n, 3);
    assert_null(rs);
    assert_int_equal(n, 0);
}

static void test_grow_fill_each(void **state)
{
    struct store *st = *state;
    struct row *rs = NULL, fixed[4];
    int64_t last = 0;
    int n = -1;
    /* grow: zero rows give NULL */
    assert_int_equal(store_q_grow(st, "SELECT id, k, v FROM q_t", STORE_NOARGS, map_row,
                                  sizeof(*rs), 100, NULL, (void **)&rs, &n),
                     BB_OK);
    assert_null(rs);
    assert_int_equal(n, 0);
    assert_int_equal(add_rows(st, 40), BB_OK);
    assert_int_equal(store_q_grow(st, "SELECT id, k, v FROM q_t ORDER BY id", STORE_NOARGS, map_row,
                                  sizeof(*rs), 40, NULL, (void **)&rs, &n),
                     BB_OK);
    assert_int_equal(n, 40);
    assert_string_equal(rs[39].k, "k039");
    free(rs);
    /* one row more than the cap */
    assert_int_equal(store_q_grow(st, "SELECT id, k, v FROM q_t", STORE_NOARGS, map_row,
                                  sizeof(*rs), 39, NULL, (void **)&rs, &n),
                     BB_ELIMIT);
    assert_null(rs);
    /* fill: at most max rows into the caller's array */
    assert_int_equal(store_q_fill(st, "SELECT id, k, v FROM q_t ORDER BY id", STORE_NOARGS, map_row,
                                  sizeof(fixed[0]), 4, fixed, &n),
                     BB_OK);
    assert_int_equal(n, 4);
    assert_string_equal(fixed[3].k, "k003");
    assert_int_equal(store_q_fill(st, "SELECT id, k, v FROM q_t WHERE id > 38 ORDER BY id",
                                  STORE_NOARGS, map_row, sizeof(fixed[0]), 4, fixed, &n),
                     BB_OK);
    assert_int_equal(n, 2);
    /* each: every row, and the statement is usable again afterwards */
    assert_int_equal(store_q_each(st, "SELECT id FROM q_t", STORE_NOARGS, store_map_int64, &last),
                     BB_OK);
    assert_int_equal(last, 40); /* the last id */
}

static int stop_at_five(sqlite3_stmt *s, void *ctx)
{
    int *seen = ctx;
    (*seen)++;
    return sqlite3_column_int(s, 0) == 5 ? STORE_STOP : BB_OK;
}

static void test_each_stop(void **state)
{
    struct store *st = *state;
    int seen = 0;
    assert_int_equal(add_rows(st, 20), BB_OK);
    assert_int_equal(
        store_q_each(st, "SELECT id FROM q_t ORDER BY id", STORE_NOARGS, stop_at_five, &seen),
        BB_OK);
    assert_int_equal(seen, 5);
    /* A statement stopped early is reset: a write now does not fail on a
     * read left open. */
    assert_int_equal(store_q_exec(st, "DELETE FROM q_t", STORE_NOARGS, NULL), BB_OK);
}

static int count_of(struct store *st, int64_t *out)
{
    return store_q_int64(st, "SELECT count(*) FROM q_t", STORE_NOARGS, out);
}

static void test_cache_reuse(void **state)
{
    struct store *st = *state;
    static const char sql[] = "SELECT count(*) FROM q_t WHERE id > ?1";
    sqlite3_stmt *a = NULL, *b = NULL;
    int64_t v;
    int before;
    assert_int_equal(count_of(st, &v), BB_OK);
    before = st->nstmts;
    /* The same call site again and again: no new statement. */
    for (int i = 0; i < 100; i++) {
        assert_int_equal(count_of(st, &v), BB_OK);
        assert_int_equal(v, 0);
    }
    assert_int_equal(st->nstmts, before);
    assert_int_equal(store_stmt(st, sql, &a), BB_OK);
    assert_int_equal(st->nstmts, before + 1);
    assert_int_equal(store_stmt(st, sql, &b), BB_OK);
    assert_ptr_equal(a, b);
    assert_int_equal(st->nstmts, before + 1);
    /* A statement left mid-way is reset on its next use. */
    assert_int_equal(add_rows(st, 2), BB_OK);
    assert_int_equal(store_stmt(st, "SELECT id FROM q_t ORDER BY id", &a), BB_OK);
    assert_int_equal(sqlite3_step(a), SQLITE_ROW);
    assert_int_equal(store_q_int64(st, "SELECT id FROM q_t ORDER BY id", STORE_NOARGS, &v), BB_OK);
    assert_int_equal(v, 1);
    /* Bad SQL takes no slot. */
    before = st->nstmts;
    assert_int_equal(store_stmt(st, "SELEC nothing", &a), BB_EIO);
    assert_null(a);
    assert_int_equal(st->nstmts, before);
    assert_true(st->nstmts < STORE_STMT_MAX);
}

/* store_tx_end(): a "clean" error commits only when that level wrote
 * nothing; an error found after a write rolls the write back, also when
 * the write happened inside a nested level. */
static void test_tx_end_clean_error(void **state)
{
    struct store *st = *state;
    int64_t n = -1;
    /* Error after a write: nothing of it stays. */
    assert_int_equal(store_begin(st), BB_OK);
    assert_int_equal(add_rows(st, 2), BB_OK);
    assert_int_equal(store_tx_end(st, BB_ENOTFOUND), BB_ENOTFOUND);
    assert_int_equal(count_of(st, &n), BB_OK);
    assert_int_equal(n, 0);
    /* A clean error before any write at this level: the outer writes commit. */
    assert_int_equal(store_begin(st), BB_OK);
    assert_int_equal(add_rows(st, 3), BB_OK);
    assert_int_equal(store_begin(st), BB_OK);
    assert_int_equal(store_tx_end(st, BB_EEXIST), BB_EEXIST);
    assert_int_equal(store_tx_end(st, BB_OK), BB_OK);
    assert_int_equal(count_of(st, &n), BB_OK);
    assert_int_equal(n, 3);
    /* A nested level that wrote and then failed: the whole unit is undone. */
    assert_int_equal(store_begin(st), BB_OK);
    assert_int_equal(store_q_exec(st, "DELETE FROM q_t", STORE_NOARGS, NULL), BB_OK);
    assert_int_equal(store_begin(st), BB_OK);
    assert_int_equal(store_q_exec(st, "INSERT INTO q_t(k) VALUES('x')", STORE_NOARGS, NULL), BB_OK);
    assert_int_equal(store_tx_end(st, BB_EPERM), BB_EPERM);
    assert_int_not_equal(store_tx_end(st, BB_OK), BB_OK);
    assert_int_equal(count_of(st, &n), BB_OK);
    assert_int_equal(n, 3);
}

TFX_MAIN(TFX_TEST(test_error_mapping), TFX_TEST(test_one), TFX_TEST(test_list),
         TFX_TEST(test_grow_fill_each), TFX_TEST(test_each_stop), TFX_TEST(test_cache_reuse),
         TFX_TEST(test_tx_end_clean_error))
