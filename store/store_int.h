/*
 * store_int.h - the inside of struct store and the query layer, shared by
 * the files of store/ only (store.c and every store_<table>.c). Nothing
 * outside store/ may include this header (tests/store/ does, to test it).
 *
 * Thread rules: as store.h - one thread at a time per struct store.
 *
 * How a query is written (say in store/store_survey.c):
 *   1. Pass the SQL as a string literal (or a static const string) straight
 *      to a query helper. Statements are cached per call site: the cache in
 *      struct store is keyed on the address of the SQL text, so each literal
 *      is prepared once (persistent) on first use and reset after each use.
 *      Never pass SQL built at run time (a stack buffer would be mistaken
 *      for the statement last prepared at the same address).
 *   2. Data only ever through bindings, never pasted into SQL: the helpers
 *      take STORE_ARGS(store_int(x), store_text(y), ...), bound to ?1, ?2...
 *      in order (STORE_NOARGS for none). store_text(NULL) binds SQL NULL.
 *   3. Pick the helper by what comes back:
 *        store_q_exec   no rows (INSERT/UPDATE/DELETE); *changes if wanted
 *        store_q_insert an INSERT, and the new row's id
 *        store_q_change an UPDATE/DELETE that must hit a row (BB_ENOTFOUND)
 *        store_q_one    one row given to a mapper; BB_ENOTFOUND without
 *        store_q_int64  one row, its first column as an integer (COUNT(*))
 *        store_q_ints   one row of integers into the caller's variables
 *        store_q_each   every row given to a callback (which may stop it)
 *        store_q_list   up to `limit` rows mapped into a new array
 *        store_q_grow   every row (up to a cap) into a growing array
 *        store_q_fill   up to `max` rows into the caller's array
 *      A mapper is `int map(sqlite3_stmt *s, void *out)` reading columns
 *      with sqlite3_column_* / store_col_copy / store_col_dup; it returns
 *      BB_OK or an error (BB_ENOMEM), which the helper passes on.
 *      SQLite's codes become enum bb_err in one place, store_sqlerr(), and
 *      store_errmsg() has SQLite's text.
 *   4. Something the helpers do not cover: store_stmt(st, SQL, &s), bind,
 *      step, and end every path with store_done(s) (an unreset SELECT would
 *      keep a read snapshot); report failures as `return store_sqlerr(st, rc)`.
 *   5. Several writes that belong together: store_begin(), then
 *      store_tx_end(st, rc) which commits on success or on a "clean" error
 *      (not found, exists, expired, invalid, refused) when nothing was
 *      written since that store_begin(), and rolls back otherwise: an error
 *      found after a write never commits half of the work.
 *   6. Schema: append one string to store_migrations[] in store_schema.c.
 *      Never edit a migration that has shipped; add a new one.
 *   7. Personal data: append a row to store_person_tables[] in
 *      store_schema.c (export SELECT and erase statement) so that
 *      store_person_export() and store_person_forget() cover the new table.
 */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Statements cached per connection: an open-addressing table keyed on the
 * SQL text's address. At most STORE_STMT_MAX distinct statements (about
 * 250 today); one more is refused with BB_ELIMIT (and asserts). */
#define STORE_STMT_SLOTS 1024 /* a power of two */
#define STORE_STMT_MAX   (STORE_STMT_SLOTS / 2)

struct store_stmt_slot {
    const char *sql; /* the text it was prepared from; NULL: free */
    sqlite3_stmt *s;
};

#define STORE_OWNERS_MAX   8
#define STORE_TX_DEPTH_MAX 16 /* nesting of store_begin() */
struct store {
    sqlite3 *db;
    int tx_depth;  /* nesting of store_begin() */
    int tx_failed; /* an inner rollback happened: roll back at the outermost end */
    /* sqlite3_total_changes() when each level began: store_tx_end() commits a
     * "clean" error only if nothing was written since its own store_begin(). */
    long long tx_changes[STORE_TX_DEPTH_MAX];
    int wipe_wal; /* the transaction blanked personal traces: truncate the WAL after it */
    /* store_after_commit(): hooks of the open transaction, run at its end */
    struct {
        store_after_fn fn;
        void *arg;
    } after[STORE_AFTER_MAX];
    int nafter;
    int busy_ms; /* the busy timeout set at open */
    int nstmts;  /* slots in use */
    struct store_stmt_slot stmts[STORE_STMT_SLOTS];
    char errmsg[256];
    /* store_set_table_channel(): which channel owns which personal table. */
    struct {
        char table[32];
        char channel[16];
    } owners[STORE_OWNERS_MAX];
    int nowners;
};

/* The cached statement of sql (see 1. above), prepared on first use. *out
 * is reset and has no bindings. BB_ELIMIT when the cache is full, BB_EIO
 * (or the mapped error) if SQLite refuses the SQL. */
int store_stmt(struct store *st, const char *sql, sqlite3_stmt **out);
/* Reset a statement and clear its bindings; NULL is a no-op. */
void store_done(sqlite3_stmt *s);
/* Record SQLite's message for rc and map it: BUSY/LOCKED -> BB_EAGAIN,
 * NOMEM -> BB_ENOMEM, a foreign-key failure -> BB_ENOTFOUND (the row
 * referred to is missing), a UNIQUE failure -> BB_EEXIST, else BB_EIO. */
int store_sqlerr(struct store *st, int rc);
/* Step a statement that writes (or whose row is not needed), reset it, and
 * map errors; *changes (may be NULL) gets sqlite3_changes(). */
int store_run(struct store *st, sqlite3_stmt *s, int *changes);
/* Step a statement expected to give at most one row: BB_OK with the row
 * there (the caller reads it, then store_done), BB_ENOTFOUND without, or an
 * error; on anything but BB_OK the statement is already reset. */
int store_step_row(struct store *st, sqlite3_stmt *s);
/* Set store_errmsg() to a message of our own. */
void store_seterr(struct store *st, const char *msg);
/* End a store_begin() begun by the caller: commit when rc is BB_OK or an
 * error reported before anything was written (BB_ENOTFOUND, BB_EEXIST,
 * BB_EEXPIRED, BB_EINVAL, BB_EPERM), else roll back. Returns rc, or the
 * commit's error when rc was BB_OK. */
int store_tx_end(struct store *st, int rc);
/* Ask for the write-ahead log to be checkpointed and truncated once the
 * outermost transaction commits (store_commit), so that what this
 * transaction blanked (a survey answer's traces) is gone from the -wal
 * file as well, not only from the database (secure_delete zeroes it there). */
void store_wipe_wal_after_commit(struct store *st);

/* ---- the query helpers (store_q.c) ------------------------------------- */

/* One bound parameter. Build them with store_int(), store_real(),
 * store_text() so the compiler checks each type. */
enum store_arg_type { STORE_ARG_INT = 1, STORE_ARG_REAL, STORE_ARG_TEXT };
struct store_arg {
    int type;
    int64_t i;
    double d;
    const char *t; /* must live until the helper returns; NULL binds NULL */
};
struct store_args {
    const struct store_arg *v;
    int n;
};
static inline struct store_arg store_int(int64_t v)
{
    return (struct store_arg){STORE_ARG_INT, v, 0, NULL};
}
static inline struct store_arg store_real(double v)
{
    return (struct store_arg){STORE_ARG_REAL, 0, v, NULL};
}
static inline struct store_arg store_text(const char *t)
{
    return (struct store_arg){STORE_ARG_TEXT, 0, 0, t};
}
/* The parameters of one call, bound to ?1, ?2, ... in order. */
#define STORE_ARGS(...)                                                                            \
    ((struct store_args){                                                                          \
        (const struct store_arg[]){__VA_ARGS__},                                                   \
        (int)(sizeof((const struct store_arg[]){__VA_ARGS__}) / sizeof(struct store_arg))})
#define STORE_NOARGS ((struct store_args){NULL, 0})

/* Copy the current row into out: BB_OK or an error, passed on. */
typedef int (*store_map_fn)(sqlite3_stmt *s, void *out);
/* Free the first n elements of an array store_q_list made, and the array. */
typedef void (*store_drop_fn)(void *arr, int n);

/* The cached statement of sql with args bound (reset on error). */
int store_q_prep(struct store *st, const char *sql, struct store_args args, sqlite3_stmt **out);
/* Run a statement for its effect; *changes (may be NULL) gets the number
 * of rows changed. */
int store_q_exec(struct store *st, const char *sql, struct store_args args, int *changes);
/* Run an INSERT; *id_out (may be NULL) gets the new row's id. */
int store_q_insert(struct store *st, const char *sql, struct store_args args, int64_t *id_out);
/* store_q_exec, then BB_ENOTFOUND when no row changed. */
int store_q_change(struct store *st, const char *sql, struct store_args args);
/* The first row through map (NULL: only whether there is one): BB_OK,
 * BB_ENOTFOUND without a row, map's error, or the SQLite error mapped. */
int store_q_one(struct store *st, const char *sql, struct store_args args, store_map_fn map,
                void *out);
/* The first column of the first row as an integer; BB_ENOTFOUND without. */
int store_q_int64(struct store *st, const char *sql, struct store_args args, int64_t *out);
/* The first row's first n columns as integers, column i into *cols[i];
 * BB_ENOTFOUND without a row. */
int store_q_ints(struct store *st, const char *sql, struct store_args args, int64_t *const cols[],
                 int n);
/* The first column of the first row copied into dst (n bytes, "" for NULL). */
int store_q_text(struct store *st, const char *sql, struct store_args args, char *dst, size_t n);
/* Every row to fn(s, ctx) in order: fn returns BB_OK to go on, STORE_STOP
 * to end the walk early (store_q_each then returns BB_OK), or an error,
 * which ends the walk and is returned. */
#define STORE_STOP 1
int store_q_each(struct store *st, const char *sql, struct store_args args, store_map_fn fn,
                 void *ctx);
/* Up to limit rows (1..STORE_LIST_MAX) of `size` bytes each, mapped into a
 * new zeroed array: *out and *n; on error nothing is returned and drop
 * (NULL: plain free) frees what was mapped, the failed row included. *out
 * is an array even for zero rows (free it). */
int store_q_list(struct store *st, const char *sql, struct store_args args, store_map_fn map,
                 size_t size, int limit, store_drop_fn drop, void **out, int *n);
#define STORE_LIST_MAX 10000 /* cap on rows returned by one list call */
/* Up to max rows mapped into the caller's array arr (elements of `size`
 * bytes, not cleared first); *n rows. Rows beyond max are not read. */
int store_q_fill(struct store *st, const char *sql, struct store_args args, store_map_fn map,
                 size_t size, int max, void *arr, int *n);
/* Every row (at most max; one more is BB_ELIMIT), mapped into a growing
 * zeroed array: *out (NULL for zero rows) and *n; on error as store_q_list. */
int store_q_grow(struct store *st, const char *sql, struct store_args args, store_map_fn map,
                 size_t size, int max, store_drop_fn drop, void **out, int *n);
/* A mapper for lists of ids: column 0 into an int64_t. */
int store_map_int64(sqlite3_stmt *s, void *out);

/* A row described as data: column i of the result goes to the field
 * cols[i] names, read by its kind (STORE_C_INT: sqlite3_column_int,
 * STORE_C_I64: sqlite3_column_int64, STORE_C_TEXT: store_col_copy into a
 * char array, STORE_C_DUP: store_col_dup into a char *).
 * An integer is stored as the field's own type (int or int64_t). Every
 * column is read; the first error of a STORE_C_DUP is returned. So a mapper
 * is a table and one call: return STORE_MAP_COLS(s, row, table). */
enum store_col_kind { STORE_C_INT = 1, STORE_C_I64, STORE_C_TEXT, STORE_C_DUP };
struct store_col {
    int kind;
    size_t off;  /* offsetof() the field */
    size_t size; /* sizeof() the field */
};
#define STORE_COL(kind, type, field)                                                               \
    {                                                                                              \
        (kind), offsetof(type, field), sizeof(((type *)0)->field)                                  \
    }
int store_map_cols(sqlite3_stmt *s, void *row, const struct store_col *cols, int n);
#define STORE_INT(type, field) STORE_COL(STORE_C_INT, type, field)
#define STORE_I64(type, field) STORE_COL(STORE_C_I64, type, field)
#define STORE_TXT(type, field) STORE_COL(STORE_C_TEXT, type, field)
#define STORE_DUP(type, field) STORE_COL(STORE_C_DUP, type, field)
#define STORE_MAP_COLS(s, row, cols)                                                               \
    store_map_cols((s), (row), (cols), (int)(sizeof(cols) / sizeof((cols)[0])))

/* Bind text: NULL binds SQL NULL. The string must live until store_done(). */
int store_bind_text(sqlite3_stmt *s, int idx, const char *text);
/* Copy column col as text into a bounded field ("" for NULL). */
void store_col_copy(sqlite3_stmt *s, int col, char *dst, size_t n);
/* malloc'd copy of column col (NULL for SQL NULL): BB_ENOMEM on failure. */
int store_col_dup(sqlite3_stmt *s, int col, char **out);

/* A people row selected as STORE_PERSON_COLS, mapped into a struct
 * store_person (store_rows.c). */
#define STORE_PERSON_COLS                                                                          \
    "id, nip, name, unit, position, grade, role, lang, tz, phone, email, supervisor_nip,"          \
    " strengths, interests, gender, panggilan, created_at, updated_at"
int store_map_person(sqlite3_stmt *s, void *person);

/* An outbox row selected as STORE_OUTBOX_COLS, mapped into a struct
 * store_outbox_msg (store_rows.c); store_drop_outbox (store_queue.c) frees a
 * list of them. */
#define STORE_OUTBOX_COLS                                                                          \
    "id, person_id, channel, ext_user, priority, body, state, attempts, due, created_at,"          \
    " ext_msg_id, batch_id"
int store_map_outbox(sqlite3_stmt *s, void *msg);
void store_drop_outbox(void *msgs, int n);

/* The other row mappers (store_rows.c), each into the struct store.h
 * names after store_map_, from a SELECT of its columns in struct order. */
int store_map_admin_count(sqlite3_stmt *s, void *row);
int store_map_admin_person(sqlite3_stmt *s, void *row);
int store_map_admin_audit(sqlite3_stmt *s, void *row);
int store_map_feedback_req(sqlite3_stmt *s, void *row);
int store_map_coaching_summary(sqlite3_stmt *s, void *row);
int store_map_mentor_profile(sqlite3_stmt *s, void *row);
int store_map_proposal(sqlite3_stmt *s, void *row);
int store_map_pcheck(sqlite3_stmt *s, void *row);
int store_map_optout(sqlite3_stmt *s, void *row);
int store_map_pairing(sqlite3_stmt *s, void *row);
int store_map_inbox_event(sqlite3_stmt *s, void *row);
int store_map_sched_plan(sqlite3_stmt *s, void *row);
int store_map_timer(sqlite3_stmt *s, void *row);
int store_map_checkin(sqlite3_stmt *s, void *row);
int store_map_wave(sqlite3_stmt *s, void *row);
int store_map_invitee(sqlite3_stmt *s, void *row);
int store_map_unit_count(sqlite3_stmt *s, void *row);
int store_map_wa_held(sqlite3_stmt *s, void *row);
int store_map_wa_pending(sqlite3_stmt *s, void *row);

/* Schema, in store_schema.c. store_migrations[i] brings user_version from
 * i to i + 1, each in its own transaction. */
extern const char *const store_migrations[];
extern const int store_nmigrations;

/* Every table with rows about a person. Export runs each export_sql (?1 =
 * person id) in array order: a single row for `single`, else an array; a
 * column whose name ends in "_json" is parsed and stored without the suffix.
 * Forget runs each erase_sql (?1 = person id) in REVERSE array order, so a
 * table whose rows are found through another one (inbox via identities)
 * must come after it. The people row is the first entry (erased last). */
struct store_person_table {
    const char *key;        /* name in the export object, or NULL: not exported */
    const char *export_sql; /* SELECT, or NULL */
    const char *erase_sql;  /* DELETE or UPDATE, or NULL */
    int single;             /* 1: export one object, not an array */
    /* 1: the table belongs to one channel and its rows are found through
     * that channel's identities: both statements take the channel's name
     * as ?2, as the program set it with store_set_table_channel(). */
    int by_channel;
};
extern const struct store_person_table store_person_tables[];
extern const int store_person_ntables;

#endif
