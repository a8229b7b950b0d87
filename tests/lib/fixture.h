/* tests/lib/fixture.h - fixtures shared by the cmocka test programs (linked
 * into every test_*.c program under tests/, and only there): a store in a
 * temporary directory of its own, people added in one call, a flow parsed
 * from a string, a directory tree removed. Every helper fails the current
 * test with a cmocka assertion instead of returning an error. */
#ifndef BIMBING_TESTS_FIXTURE_H
#define BIMBING_TESTS_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "tests/lib/common.h"

struct store;
struct flow;

#define TFX_DIR_MAX  64
#define TFX_PATH_MAX 160

/* The store part of a test's fixture. A fixture struct starts with these
 * fields, so that its tests keep writing f->st, f->path and f->dir. */
#define TFX_STORE_FIELDS                                                                           \
    char dir[TFX_DIR_MAX];                                                                         \
    char path[TFX_PATH_MAX];                                                                       \
    struct store *st

/* Makes a fresh directory under /tmp, opens (and so creates and migrates)
 * the store at dir/file (file may name a subdirectory) into *st. */
void tfx_store_open_at(char dir[TFX_DIR_MAX], char path[TFX_PATH_MAX], struct store **st,
                       const char *file);
/* Frees the store and removes the directory with everything in it. */
void tfx_store_close_at(const char dir[TFX_DIR_MAX], struct store *st);

#define tfx_store_open(f, file) tfx_store_open_at((f)->dir, (f)->path, &(f)->st, (file))
#define tfx_store_close(f)      tfx_store_close_at((f)->dir, (f)->st)

/* A zeroed allocation (a fixture); fails the test when out of memory. */
void *tfx_calloc(size_t size);

/* TFX_STORE_SETUP(T, setup_fn) and TFX_STORE_TEARDOWN(T, teardown_fn)
 * define a cmocka fixture function for a struct T that starts with
 * TFX_STORE_FIELDS: the setup allocates it and opens a fresh store, the
 * teardown closes the store and frees it. The _INIT / _FINI forms also
 * call init(f) once the store is open, fini(f) before it closes (a
 * function or a function-like macro; TFX_NOTHING does nothing).
 * TFX_STORE_FIXTURE(T, setup, teardown) defines both plain ones. */
#define TFX_NOTHING(f) ((void)(f))
#define TFX_STORE_SETUP_INIT(T, setup_fn, init)                                                    \
    static int setup_fn(void **state)                                                              \
    {                                                                                              \
        struct T *f_ = tfx_calloc(sizeof(*f_));                                                    \
        tfx_store_open(f_, "test.db");                                                             \
        init(f_);                                                                                  \
        *state = f_;                                                                               \
        return 0;                                                                                  \
    }
#define TFX_STORE_TEARDOWN_FINI(T, teardown_fn, fini)                                              \
    static int teardown_fn(void **state)                                                           \
    {                                                                                              \
        struct T *f_ = *state;                                                                     \
        fini(f_);                                                                                  \
        tfx_store_close(f_);                                                                       \
        free(f_);                                                                                  \
        return 0;                                                                                  \
    }
#define TFX_STORE_SETUP(T, setup_fn)       TFX_STORE_SETUP_INIT(T, setup_fn, TFX_NOTHING)
#define TFX_STORE_TEARDOWN(T, teardown_fn) TFX_STORE_TEARDOWN_FINI(T, teardown_fn, TFX_NOTHING)
#define TFX_STORE_FIXTURE(T, setup_fn, teardown_fn)                                                \
    TFX_STORE_SETUP(T, setup_fn)                                                                   \
    TFX_STORE_TEARDOWN(T, teardown_fn)

/* A cmocka test run with the file's own setup() and teardown(). */
#define TFX_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

/* The main() of a test program whose tests run as one group without group
 * fixtures: TFX_MAIN(cmocka_unit_test(test_a), TFX_TEST(test_b), ...). */
#define TFX_MAIN(...)                                                                              \
    int main(void)                                                                                 \
    {                                                                                              \
        const struct CMUnitTest tests[] = {__VA_ARGS__};                                           \
        return cmocka_run_group_tests(tests, NULL, NULL);                                          \
    }

/* A person to add: NULL fields stay empty (the store's defaults apply). */
struct tfx_person {
    const char *nip, *name, *role, *unit, *grade, *lang, *phone;
    const char *supervisor_nip, *strengths, *interests;
};

/* Adds (or updates by NIP) the person; returns their id. */
int64_t tfx_person_add(struct store *st, const struct tfx_person *p);
/* The same for a person given by NIP, name, unit and role (unit and role
 * may be NULL: the defaults). */
int64_t tfx_person_in(struct store *st, const char *nip, const char *name, const char *unit,
                      const char *role);
/* The same with the fields mentoring matches on (sup: the supervisor's NIP;
 * any may be "" or NULL). */
int64_t tfx_person_match(struct store *st, const char *nip, const char *name, const char *role,
                         const char *unit, const char *grade, const char *sup,
                         const char *strengths, const char *interests);

/* The mentor the match result r gives mentee, or 0. */
struct match_result;
int64_t tfx_mentor_of(const struct match_result *r, int64_t mentee);

/* Parses one flow from JSON text; prints the diagnostics and fails the
 * test when it is not valid. */
struct flow *tfx_flow_parse(const char *json, const char *path);

/* Removes a directory and everything below it (no error when missing). */
void tfx_rmtree(const char *dir);

#endif
