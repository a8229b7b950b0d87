/*
 * store_fx.h - the shared cmocka fixture of tests/store/: a fresh database
 * in a new temporary directory, removed afterwards, and a person to work
 * with. For tests/store/test_*.c only; each test keeps its own struct fx
 * with at least the members dir[64], path[128] and st, and either passes it
 * to STORE_FX_OPEN / STORE_FX_CLOSE or has STORE_FX_DEFINE write its
 * cmocka setup() and teardown().
 */
#ifndef STORE_FX_H
#define STORE_FX_H

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bot/base/bb.h"
#include "store/store.h"

/* mkdtemp /tmp/<name>.XXXXXX, open <dir>/db in it. */
static inline void store_fx_open(char *dir, size_t dn, char *path, size_t pn, struct store **st,
                                 const char *name)
{
    assert_int_equal(bb_snprintf(dir, dn, "/tmp/%s.XXXXXX", name), BB_OK);
    assert_non_null(mkdtemp(dir));
    assert_int_equal(bb_snprintf(path, pn, "%s/db", dir), BB_OK);
    assert_int_equal(store_open(path, NULL, st), BB_OK);
}

/* Close the store, remove the database files and the directory. */
static inline void store_fx_close(const char *dir, const char *path, struct store *st)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    char p[192];
    store_free(st);
    for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
        bb_snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
        unlink(p);
    }
    rmdir(dir);
}

#define STORE_FX_OPEN(f, name)                                                                     \
    store_fx_open((f)->dir, sizeof((f)->dir), (f)->path, sizeof((f)->path), &(f)->st, (name))
#define STORE_FX_CLOSE(f) store_fx_close((f)->dir, (f)->path, (f)->st)

static inline void store_fx_no_init(void *f)
{
    (void)f;
}
static inline void store_fx_no_fini(void)
{
}

/* setup(): a struct fx with a fresh database /tmp/<name>.XXXXXX/db, then
 * init(f); teardown(): the database removed, then fini(). */
#define STORE_FX_DEFINE(name, init, fini)                                                          \
    static int setup(void **state)                                                                 \
    {                                                                                              \
        struct fx *f = calloc(1, sizeof(*f));                                                      \
        assert_non_null(f);                                                                        \
        STORE_FX_OPEN(f, (name));                                                                  \
        init(f);                                                                                   \
        *state = f;                                                                                \
        return 0;                                                                                  \
    }                                                                                              \
    static int teardown(void **state)                                                              \
    {                                                                                              \
        struct fx *f = *state;                                                                     \
        STORE_FX_CLOSE(f);                                                                         \
        free(f);                                                                                   \
        fini();                                                                                    \
        return 0;                                                                                  \
    }

/* A new person (role and unit may be NULL: the defaults); their id. */
static inline int64_t store_fx_person(struct store *st, const char *nip, const char *name,
                                      const char *unit, const char *role)
{
    struct store_person p;
    int64_t id = 0;
    memset(&p, 0, sizeof(p));
    bb_strlcpy(p.nip, nip, sizeof(p.nip));
    bb_strlcpy(p.name, name, sizeof(p.name));
    bb_strlcpy(p.unit, unit ? unit : "", sizeof(p.unit));
    bb_strlcpy(p.role, role ? role : "", sizeof(p.role));
    assert_int_equal(store_person_upsert(st, &p, &id, NULL), BB_OK);
    return id;
}

#endif
