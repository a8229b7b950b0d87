/*
 * store_int.h - the inside of struct store, shared by the files of store/
 * only (store.c and any store_<module>.c that adds queries of its own on the
 * same connection). Nothing outside store/ may include this header.
 *
 * Thread rules: as store.h - one thread at a time per struct store.
 *
 * How a later module adds its queries (say store/store_survey.c):
 *   1. Reserve a range of statement slots below (STORE_SLOTS_*), and in the
 *      .c file number its statements from there:
 *          enum { SV_ADD = STORE_SLOTS_SURVEY, SV_LIST, ... };
 *   2. Get a statement with store_stmt(st, SV_ADD, "INSERT ...", &s): it is
 *      prepared once (persistent) on first use and cached in st->stmts; each
 *      slot always goes with the same SQL text (a slot reused with another
 *      text is refused with BB_ESTATE). Bind with the sqlite3_bind_* calls
 *      (data only ever through bindings, never pasted into SQL), step, and
 *      on every path end with store_done(s), which resets the statement and
 *      clears its bindings (an unreset SELECT would keep a read snapshot).
 *   3. Report SQLite failures with `return store_sqlerr(st, rc);` so that
 *      store_errmsg() has the text and the caller gets an enum bb_err.
 *   4. Several writes that belong together: store_begin(), then
 *      store_tx_end(st, rc) which commits on success or on a "clean" error
 *      (one found before anything was written) and rolls back otherwise.
 *   5. Schema: append one string to store_migrations[] in store_schema.c.
 *      Never edit a migration that has shipped; add a new one.
 *   6. Personal data: append a row to store_person_tables[] in
 *      store_schema.c (export SELECT and erase statement) so that
 *      store_person_export() and store_person_forget() cover the new table.
 */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

/* Statement slots: each file of store/ owns one range. Add a range here for
 * a new file, below the last one, and raise STORE_NSLOTS if needed. */
enum store_slot_base {
    STORE_SLOTS_CORE = 0,        /* store.c: 0..127 */
    STORE_SLOTS_PERSON = 128,    /* store.c export/forget, 2 per person table: 128..255 */
    STORE_SLOTS_MODULES = 256,   /* free: later files take 32 each from here */
    STORE_SLOTS_REG = 256,       /* store_reg.c: 256..287 */
    STORE_SLOTS_CHAN = 288,      /* store_chan.c: 288..319 */
    STORE_SLOTS_WEB = 320,       /* store_web.c: 320..351 */
    STORE_SLOTS_COACHING = 384,  /* store_coaching.c: 384..415 */
    STORE_SLOTS_MENTORING = 416, /* store_mentoring.c: 416..447 */
    STORE_SLOTS_SCHED = 448,     /* store_sched.c: 448..479 */
    STORE_SLOTS_SURVEY = 480,    /* store_survey.c: 480..511 */
    STORE_SLOTS_ADMIN = 512,     /* store_admin.c: 512..543 */
};
#define STORE_NSLOTS 1024

struct store {
    sqlite3 *db;
    int tx_depth;  /* nesting of store_begin() */
    int tx_failed; /* an inner rollback happened: roll back at the outermost end */
    sqlite3_stmt *stmts[STORE_NSLOTS];
    const char *stmt_sql[STORE_NSLOTS]; /* the SQL each slot was prepared from */
    char errmsg[256];
};

/* The cached statement of slot, prepared from sql on first use. *out is
 * reset and has no bindings. BB_EINVAL for a slot out of range, BB_ESTATE
 * for a slot already used with different SQL, BB_EIO if SQLite refuses. */
int store_stmt(struct store *st, int slot, const char *sql, sqlite3_stmt **out);
/* Reset a statement and clear its bindings; NULL is a no-op. */
void store_done(sqlite3_stmt *s);
/* Record SQLite's message for rc and map it: BUSY/LOCKED -> BB_EAGAIN,
 * a foreign-key failure -> BB_ENOTFOUND (the row referred to is missing),
 * a UNIQUE failure -> BB_EEXIST, anything else -> BB_EIO. */
int store_sqlerr(struct store *st, int rc);
/* Step a statement that writes (or whose row is not needed), reset it, and
 * map errors; *changes (may be NULL) gets sqlite3_changes(). */
int store_run(struct store *st, sqlite3_stmt *s, int *changes);
/* Set store_errmsg() to a message of our own. */
void store_seterr(struct store *st, const char *msg);
/* End a store_begin() begun by the caller: commit when rc is BB_OK or an
 * error reported before anything was written (BB_ENOTFOUND, BB_EEXIST,
 * BB_EEXPIRED, BB_EINVAL, BB_EPERM), else roll back. Returns rc, or the
 * commit's error when rc was BB_OK. */
int store_tx_end(struct store *st, int rc);

/* Bind text: NULL binds SQL NULL. The string must live until store_done(). */
int store_bind_text(sqlite3_stmt *s, int idx, const char *text);
/* Copy column col as text into a bounded field ("" for NULL). */
void store_col_copy(sqlite3_stmt *s, int col, char *dst, size_t n);
/* malloc'd copy of column col (NULL for SQL NULL): BB_ENOMEM on failure. */
int store_col_dup(sqlite3_stmt *s, int col, char **out);

/* Read an outbox row selected as: id, person_id, channel, ext_user,
 * priority, body, state, attempts, due, created_at, ext_msg_id, batch_id. */
int store_read_outbox(sqlite3_stmt *s, struct store_outbox_msg *m);

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
};
extern const struct store_person_table store_person_tables[];
extern const int store_person_ntables;

#endif
