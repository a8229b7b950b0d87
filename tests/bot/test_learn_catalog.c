/* test_learn_catalog.c - unit tests of bot/domain/learning/learn_catalog.c:
 * the sample catalogue imports, re-import updates by id (and offers a
 * retired item again), each validation rule with its message, nothing
 * written on any error, retire and list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/domain/learning/learn.h"
#include "store/store_learning.h"
#include "tests/lib/fixture.h"

struct fx {
    TFX_STORE_FIELDS;
};

TFX_STORE_FIXTURE(fx, setup, teardown)

#define HDR "id,title,provider,modality,jp,competencies,level,language,url\n"
#define NOW 1796000000

static int count(struct store *st, int all)
{
    struct store_learn_item *it = NULL;
    int n = -1;
    assert_int_equal(store_learning_items(st, all, &it, &n), BB_OK);
    free(it);
    return n;
}

static int import(struct store *st, const char *csv, struct learn_import_report *rep)
{
    return learn_catalog_import_mem(st, csv, strlen(csv), NOW, rep);
}

/* The import fails, writes nothing, and one of its errors is exactly msg. */
static void expect_error(struct store *st, const char *csv, const char *msg)
{
    struct learn_import_report rep;
    int before = count(st, 1), seen = 0;
    assert_int_equal(import(st, csv, &rep), BB_EINVAL);
    for (int i = 0; i < rep.nerrors && i < LEARN_CAT_MAX_ERRORS; i++)
        if (strcmp(rep.errors[i], msg) == 0)
            seen = 1;
    if (!seen) {
        for (int i = 0; i < rep.nerrors && i < LEARN_CAT_MAX_ERRORS; i++)
            printf("  error: %s\n", rep.errors[i]);
        fail_msg("expected error: %s", msg);
    }
    assert_int_equal(count(st, 1), before);
}

static void test_sample(void **state)
{
    struct fx *f = *state;
    struct learn_import_report rep;
    struct store_learn_item it;
    int kinds[6] = {0};
    const char *mods[6] = {"e-learning", "klasikal",  "blended",
                           "coaching",   "mentoring", "on-the-job"};
    struct store_learn_item *all = NULL;
    int n = 0;
    assert_int_equal(learn_catalog_import_csv(f->st, "config/learning-catalog.csv", NOW, &rep),
                     BB_OK);
    assert_int_equal(rep.nerrors, 0);
    assert_true(rep.rows >= 15 && rep.rows <= 25);
    assert_int_equal(rep.created, rep.rows);
    assert_int_equal(store_learning_items(f->st, 0, &all, &n), BB_OK);
    assert_int_equal(n, rep.rows);
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < 6; k++)
            kinds[k] += strcmp(all[i].modality, mods[k]) == 0;
        /* only placeholder addresses in the sample */
        assert_true(!all[i].url[0] || strstr(all[i].url, "example.org"));
    }
    free(all);
    for (int k = 0; k < 6; k++)
        if (!kinds[k])
            fail_msg("the sample has no %s item", mods[k]);
    /* "classroom" was stored as klasikal */
    assert_int_equal(store_learning_item_get(f->st, "kl-public-speaking", &it), BB_OK);
    assert_string_equal(it.modality, "klasikal");
    assert_string_equal(it.lang, "en");
}

static void test_reimport_updates(void **state)
{
    struct fx *f = *state;
    struct learn_import_report rep;
    struct store_learn_item it;
    assert_int_equal(import(f->st,
                            HDR "a-1,Analisis Data,Penyedia,e-learning,20,Analisis  Data ; "
                                "Komunikasi,dasar,id,https://learning.example.org/a\n"
                                "b-2,Coaching Karier,Biro SDM,coaching,4,perencanaan karier,"
                                "basic,ID,\n",
                            &rep),
                     BB_OK);
    assert_int_equal(rep.created, 2);
    assert_int_equal(store_learning_item_get(f->st, "a-1", &it), BB_OK);
    assert_string_equal(it.competencies, "analisis data;komunikasi");
    assert_int_equal(store_learning_item_get(f->st, "b-2", &it), BB_OK);
    assert_string_equal(it.level, "dasar");
    assert_string_equal(it.lang, "id");
    assert_int_equal(store_learning_item_retire(f->st, "b-2", NOW + 5), BB_OK);
    assert_int_equal(count(f->st, 0), 1);
    assert_int_equal(count(f->st, 1), 2);
    assert_int_equal(store_learning_item_retire(f->st, "zzz", NOW), BB_ENOTFOUND);
    /* the same ids again: updated, not added; the retired one offered again */
    assert_int_equal(import(f->st,
                            HDR "a-1,Analisis Data II,Penyedia,e-learning,24,analisis data,"
                                "menengah,id,\n"
                                "b-2,Coaching Karier,Biro SDM,coaching,4,perencanaan karier,"
                                "dasar,id,\n",
                            &rep),
                     BB_OK);
    assert_int_equal(rep.created, 0);
    assert_int_equal(rep.updated, 2);
    assert_int_equal(store_learning_item_get(f->st, "a-1", &it), BB_OK);
    assert_string_equal(it.title, "Analisis Data II");
    assert_int_equal(it.jp, 24);
    assert_string_equal(it.url, "");
    assert_int_equal(count(f->st, 0), 2);
}

static void test_errors(void **state)
{
    struct fx *f = *state;
    struct learn_import_report rep;
    const char *good = "g-1,Judul baik,Penyedia,e-learning,4,integritas,dasar,id,\n";
    char csv[1024];
    assert_int_equal(
        import(f->st, HDR "k-1,Judul,Penyedia,e-learning,4,integritas,dasar,id,\n", &rep), BB_OK);
    /* each rule, with a good row before it that must not be written */
#define BAD(row, msg)                                                                              \
    do {                                                                                           \
        bb_snprintf(csv, sizeof(csv), HDR "%s%s", good, row);                                      \
        expect_error(f->st, csv, msg);                                                             \
    } while (0)
    BAD("Bad Id,Judul,Penyedia,e-learning,4,integritas,dasar,id,\n",
        "line 3, column 1 (id): an id is 1 to 40 lower-case letters, digits, '-' or '_' "
        "(e.g. el-001)");
    BAD("x.1,Judul,Penyedia,e-learning,4,integritas,dasar,id,\n",
        "line 3, column 1 (id): an id is 1 to 40 lower-case letters, digits, '-' or '_' "
        "(e.g. el-001)");
    BAD("g-1,Judul lain,Penyedia,e-learning,4,integritas,dasar,id,\n",
        "line 3, column 1 (id): id g-1 is also on an earlier line");
    BAD("x-1,Ju,Penyedia,e-learning,4,integritas,dasar,id,\n",
        "line 3, column 2 (title): at least 3 characters");
    BAD("x-1,Judul,Penyedia,webinar,4,integritas,dasar,id,\n",
        "line 3, column 4 (modality): modality must be e-learning, klasikal (classroom), "
        "blended, coaching, mentoring or on-the-job");
    BAD("x-1,Judul,Penyedia,e-learning,0,integritas,dasar,id,\n",
        "line 3, column 5 (jp): jp must be a whole number from 1 to 200 (1 JP = 45 minutes)");
    BAD("x-1,Judul,Penyedia,e-learning,2.5,integritas,dasar,id,\n",
        "line 3, column 5 (jp): jp must be a whole number from 1 to 200 (1 JP = 45 minutes)");
    BAD("x-1,Judul,Penyedia,e-learning,4, ; ,dasar,id,\n",
        "line 3, column 6 (competencies): no competency (separate several with ;)");
    BAD("x-1,Judul,Penyedia,e-learning,4,a;b;c;d;e;f;g;h;i,dasar,id,\n",
        "line 3, column 6 (competencies): more than 8 competencies");
    BAD("x-1,Judul,Penyedia,e-learning,4,Integritas;integritas,dasar,id,\n",
        "line 3, column 6 (competencies): a competency named twice");
    BAD("x-1,Judul,Penyedia,e-learning,4,integritas,expert,id,\n",
        "line 3, column 7 (level): level must be dasar, menengah or lanjut");
    BAD("x-1,Judul,Penyedia,e-learning,4,integritas,dasar,fr,\n",
        "line 3, column 8 (language): language must be id or en");
    BAD("x-1,Judul,Penyedia,e-learning,4,integritas,dasar,id,javascript:alert(1)\n",
        "line 3, column 9 (url): url must start with https:// or http://, without spaces, at "
        "most 300 bytes (or be empty)");
    BAD("x-1,Judul,Penyedia,e-learning,4,integritas,dasar\n", "line 3: 7 fields, the header has 9");
    expect_error(f->st, "id,title,provider,modality,jp,competencies,level,bahasa\n",
                 "line 1, column 8: unknown column \"bahasa\" (columns: id, title, provider, "
                 "modality, jp, competencies, level, language, url)");
    expect_error(f->st, "id,title,provider,modality,jp,competencies,level,url\n",
                 "line 1: the column language is missing");
    expect_error(f->st, HDR, "no rows under the header");
    expect_error(f->st, "",
                 "the file is empty (a header row is needed: "
                 "id,title,provider,modality,jp,competencies,level,language,url)");
    /* every problem of a file reported, not only the first */
    assert_int_equal(import(f->st,
                            HDR "BAD,Ju,P,webinar,0,,expert,fr,x\n"
                                "y-1,Judul,Penyedia,e-learning,4,integritas,dasar,id,\n",
                            &rep),
                     BB_EINVAL);
    assert_int_equal(rep.nerrors, 9);
    assert_int_equal(count(f->st, 1), 1);
#undef BAD
}

static void test_quoted_and_blank_lines(void **state)
{
    struct fx *f = *state;
    struct learn_import_report rep;
    struct store_learn_item it;
    assert_int_equal(import(f->st,
                            "\xEF\xBB\xBF" HDR "\r\n"
                            "q-1,\"Menulis, Menyunting, dan \"\"Menyajikan\"\"\",Penyedia,OJT,8,"
                            "\"komunikasi;analisis kebijakan\",Lanjut,en,\r\n\r\n",
                            &rep),
                     BB_OK);
    assert_int_equal(rep.rows, 1);
    assert_int_equal(store_learning_item_get(f->st, "q-1", &it), BB_OK);
    assert_string_equal(it.title, "Menulis, Menyunting, dan \"Menyajikan\"");
    assert_string_equal(it.modality, "on-the-job");
    assert_string_equal(it.level, "lanjut");
}

TFX_MAIN(TFX_TEST(test_sample), TFX_TEST(test_reimport_updates), TFX_TEST(test_errors),
         TFX_TEST(test_quoted_and_blank_lines))
