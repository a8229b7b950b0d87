/*
 * learn_cli.c - `bimbing catalog import FILE.csv | list [--all] | retire
 * ID`: the learning catalogue from a terminal, the CLI rows of the
 * learning module (learn_cmds, listed in learn.c). Called by the command
 * line only (adapters/service), on its only thread.
 */
#include "bot/domain/learning/learn.h"
#include "bot/base/bb.h"
#include "bot/domain/learning/learn_report.h"
#include "bot/domain/people/people_segment.h"
#include "bot/domain/survey/survey.h"
#include "store/store_learning.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cat_import(const struct domain_ctx *d, const char *path)
{
    struct learn_import_report rep;
    int rc = learn_catalog_import_csv(d->st, path, d->now, &rep);
    if (rc != BB_OK) {
        for (int i = 0; i < rep.nerrors && i < LEARN_CAT_MAX_ERRORS; i++)
            fprintf(stderr, "bimbing: catalog: %s\n", rep.errors[i]);
        if (rep.nerrors > LEARN_CAT_MAX_ERRORS)
            fprintf(stderr, "bimbing: catalog: ... and %d more\n",
                    rep.nerrors - LEARN_CAT_MAX_ERRORS);
        fprintf(stderr, "bimbing: catalog: %s: nothing imported\n", path);
        return 1;
    }
    store_audit(d->st, "cli", "catalog.import", 0, path, d->now);
    printf("%d row(s): %d added, %d updated\n", rep.rows, rep.created, rep.updated);
    return 0;
}

static int cat_list(const struct domain_ctx *d, int all)
{
    struct store_learn_item *it = NULL;
    int n = 0;
    if (store_learning_items(d->st, all, &it, &n) != BB_OK) {
        fprintf(stderr, "bimbing: catalog: %s\n", store_errmsg(d->st));
        return 1;
    }
    for (int i = 0; i < n; i++)
        printf("%s\t%s\t%d JP\t%s\t%s\t%s\t%s%s\n", it[i].id, it[i].modality, it[i].jp, it[i].level,
               it[i].lang, it[i].competencies, it[i].title, it[i].retired_at ? "\t(retired)" : "");
    if (!n)
        printf("the catalogue is empty (bimbing catalog import FILE.csv)\n");
    free(it);
    return 0;
}

static int cat_retire(const struct domain_ctx *d, const char *id)
{
    int rc = store_learning_item_retire(d->st, id, d->now);
    if (rc == BB_ENOTFOUND) {
        fprintf(stderr, "bimbing: catalog: no item with id %s; nothing changed\n", id);
        return 1;
    }
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: catalog: %s\n", store_errmsg(d->st));
        return 1;
    }
    store_audit(d->st, "cli", "catalog.retire", 0, id, d->now);
    printf("%s retired: no longer suggested\n", id);
    return 0;
}

static int cmd_catalog(const struct domain_ctx *d, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    if (!strcmp(sub, "import") && argc == 3)
        return cat_import(d, argv[2]);
    if (!strcmp(sub, "list") && (argc == 2 || (argc == 3 && !strcmp(argv[2], "--all"))))
        return cat_list(d, argc == 3);
    if (!strcmp(sub, "retire") && argc == 3)
        return cat_retire(d, argv[2]);
    fprintf(stderr, "usage: bimbing catalog import FILE.csv | list [--all] | retire ID\n");
    return 2;
}

/* learning report [--unit U] [--csv]: HR's aggregate (learn_report.h). */
static int cmd_learning(const struct domain_ctx *d, int argc, char **argv)
{
    const char *unit = NULL;
    int csv = 0, rc;
    struct people_segment seg;
    struct learn_report r;
    char spec[PEOPLE_SEG_SPEC_MAX + 8];
    if (argc < 2 || strcmp(argv[1], "report") != 0) {
        fprintf(stderr, "usage: bimbing learning report [--unit UNIT] [--csv]\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--unit") && i + 1 < argc && !unit)
            unit = argv[++i];
        else if (!strcmp(argv[i], "--csv") && !csv)
            csv = 1;
        else {
            fprintf(stderr,
                    "bimbing: learning report: unknown argument '%s' (usage: learning "
                    "report [--unit UNIT] [--csv])\n",
                    argv[i]);
            return 2;
        }
    }
    if (unit) {
        bb_snprintf(spec, sizeof(spec), "unit=%s", unit);
        rc = people_segment_resolve(d->st, spec, &seg);
        if (rc == BB_EINVAL || (rc == BB_OK && seg.kind != 1)) {
            fprintf(stderr, "bimbing: learning report: %s; nothing reported\n",
                    rc == BB_EINVAL ? seg.msg : "not a unit");
            return 2;
        }
        if (rc != BB_OK) {
            fprintf(stderr, "bimbing: learning report: %s\n", store_errmsg(d->st));
            return 1;
        }
        unit = seg.value;
    }
    rc = learn_report_build(d->st, survey_k(d->cfg), d->now, unit, &r);
    if (rc == BB_OK && csv) {
        char *out = NULL;
        size_t len = 0;
        rc = learn_report_csv(&r, LEARN_T_ALL, &out, &len);
        if (rc == BB_OK)
            fwrite(out, 1, len, stdout);
        free(out);
    } else if (rc == BB_OK) {
        learn_report_print(stdout, &r);
    }
    learn_report_free(&r);
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: learning report: %s (%s)\n", bb_strerror(rc),
                store_errmsg(d->st));
        return 1;
    }
    return 0;
}

const struct domain_cmd learn_cmds[] = {
    {"catalog",
     "HR and mentoring",
     {{"catalog import FILE.csv",
       "add or update learning items by id (all rows valid, or nothing changes; "
       "docs/learning.md)"},
      {"catalog list [--all]", "the items offered (--all: retired ones too)"},
      {"catalog retire ID", "stop suggesting an item"}},
     cmd_catalog},
    {"learning",
     "HR and mentoring",
     {{"learning report [--unit UNIT] [--csv]",
       "needs by unit and competency, catalogue gaps, completion and JP per unit (groups under "
       "anonymity_k suppressed; docs/learning.md)"}},
     cmd_learning},
    {NULL, NULL, {{NULL, NULL}}, NULL},
};
