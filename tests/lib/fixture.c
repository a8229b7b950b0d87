/* tests/lib/fixture.c - the shared cmocka fixtures of fixture.h; linked
 * into every unit-test program by the Makefile's test rule, nothing else. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "adapters/service/channels.h"
#include "bot/base/bb.h"
#include "bot/domain/mentoring/match.h"
#include "bot/flow/flow.h"
#include "store/store.h"
#include "tests/lib/fixture.h"

void *tfx_calloc(size_t size)
{
    void *p = calloc(1, size);
    assert_non_null(p);
    return p;
}

void tfx_store_open_at(char dir[TFX_DIR_MAX], char path[TFX_PATH_MAX], struct store **st,
                       const char *file)
{
    bb_strlcpy(dir, "/tmp/bimbing-test.XXXXXX", TFX_DIR_MAX);
    assert_non_null(mkdtemp(dir));
    assert_int_equal(bb_snprintf(path, TFX_PATH_MAX, "%s/%s", dir, file), BB_OK);
    assert_int_equal(store_open(path, NULL, st), BB_OK);
    assert_int_equal(chan_store_setup(*st), BB_OK); /* as the program does */
}

void tfx_store_close_at(const char dir[TFX_DIR_MAX], struct store *st)
{
    store_free(st);
    tfx_rmtree(dir);
}

static void copy_field(char *dst, size_t n, const char *src)
{
    if (src)
        bb_strlcpy(dst, src, n);
}

int64_t tfx_person_add(struct store *st, const struct tfx_person *in)
{
    struct store_person p;
    int64_t id = 0;
    memset(&p, 0, sizeof(p));
    copy_field(p.nip, sizeof(p.nip), in->nip);
    copy_field(p.name, sizeof(p.name), in->name);
    copy_field(p.role, sizeof(p.role), in->role);
    copy_field(p.unit, sizeof(p.unit), in->unit);
    copy_field(p.grade, sizeof(p.grade), in->grade);
    copy_field(p.lang, sizeof(p.lang), in->lang);
    copy_field(p.phone, sizeof(p.phone), in->phone);
    copy_field(p.supervisor_nip, sizeof(p.supervisor_nip), in->supervisor_nip);
    copy_field(p.strengths, sizeof(p.strengths), in->strengths);
    copy_field(p.interests, sizeof(p.interests), in->interests);
    assert_int_equal(store_person_upsert(st, &p, &id, NULL), BB_OK);
    return id;
}

int64_t tfx_person_in(struct store *st, const char *nip, const char *name, const char *unit,
                      const char *role)
{
    return tfx_person_add(
        st, &(struct tfx_person){.nip = nip, .name = name, .unit = unit, .role = role});
}

int64_t tfx_person_match(struct store *st, const char *nip, const char *name, const char *role,
                         const char *unit, const char *grade, const char *sup,
                         const char *strengths, const char *interests)
{
    return tfx_person_add(st, &(struct tfx_person){.nip = nip,
                                                   .name = name,
                                                   .role = role,
                                                   .unit = unit,
                                                   .grade = grade,
                                                   .supervisor_nip = sup,
                                                   .strengths = strengths,
                                                   .interests = interests});
}

int64_t tfx_mentor_of(const struct match_result *r, int64_t mentee)
{
    for (int i = 0; i < r->npairs; i++)
        if (r->pairs[i].mentee_id == mentee)
            return r->pairs[i].mentor_id;
    return 0;
}

struct flow *tfx_flow_parse(const char *json, const char *path)
{
    struct flow *f = NULL;
    struct flow_diags d;
    flow_diags_init(&d);
    int rc = flow_parse(json, strlen(json), path, tfx_actions(), &f, &d);
    for (int i = 0; rc != BB_OK && i < d.n; i++) {
        char line[600];
        flow_diag_format(&d.v[i], line, sizeof(line));
        print_error("%s\n", line);
    }
    flow_diags_free(&d);
    assert_int_equal(rc, BB_OK);
    assert_non_null(f);
    return f;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void tfx_rmtree(const char *dir)
{
    if (dir && dir[0])
        nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}
