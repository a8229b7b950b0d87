/*
 * learn_report.c - HR's learning report (see learn_report.h and
 * docs/learning.md "For HR"): the needs table pooled under k, the
 * catalogue gaps from its shown rows, the progress table per unit, and the
 * three ways out (text, JSON, CSV). Called by learn_cli.c and
 * adapters/admin/admin_learning.c on the thread that owns the store.
 */
#include "bot/domain/learning/learn_report.h"
#include "bot/base/bb.h"
#include "bot/base/cal.h"
#include "store/store_learning.h"
#include "store/store_learning_report.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- needs and gaps ------------------------------------------------------ */

/* Append row to the needs table (room for it was made by the caller). */
static void need_put(struct learn_report *r, const char *unit, const char *comp, int other,
                     int64_t people, int64_t gap_sum)
{
    struct learn_need_row *x = &r->needs[r->nneeds++];
    memset(x, 0, sizeof(*x));
    bb_strlcpy(x->unit, unit, sizeof(x->unit));
    bb_strlcpy(x->comp, comp, sizeof(x->comp));
    x->other = other;
    x->suppressed = people < r->k;
    if (!x->suppressed) {
        x->people = people;
        x->gap_sum = gap_sum;
    }
}

static int build_needs(struct store *st, struct learn_report *r)
{
    struct store_learn_cell *c = NULL;
    int n = 0, rc = store_learning_need_cells(st, r->unit, &c, &n);
    if (rc != BB_OK)
        return rc;
    /* at most one row per cell plus one pooled row per competency */
    r->needs = n ? calloc((size_t)n * 2, sizeof(*r->needs)) : NULL;
    if (n && !r->needs) {
        free(c);
        return BB_ENOMEM;
    }
    for (int i = 0; i < n;) {
        int64_t pool = 0, pool_gap = 0;
        int j = i;
        for (; j < n && strcmp(c[j].comp, c[i].comp) == 0; j++) {
            if (r->unit[0] || (c[j].unit[0] && c[j].people >= r->k)) {
                need_put(r, c[j].unit, c[j].comp, 0, c[j].people, c[j].gap_sum);
            } else {
                pool += c[j].people;
                pool_gap += c[j].gap_sum;
            }
        }
        if (pool > 0)
            need_put(r, "", c[i].comp, 1, pool, pool_gap);
        i = j;
    }
    assert(r->nneeds <= 2 * n);
    free(c);
    return BB_OK;
}

/* Does an offered item name comp among its competencies? */
static int offered(const struct store_learn_item *it, int n, const char *comp)
{
    size_t len = strlen(comp);
    for (int i = 0; i < n; i++) {
        const char *s = it[i].competencies;
        while (*s) {
            const char *e = strchr(s, ';');
            size_t l = e ? (size_t)(e - s) : strlen(s);
            if (l == len && memcmp(s, comp, len) == 0)
                return 1;
            s += l + (e ? 1 : 0);
        }
    }
    return 0;
}

static int gap_cmp(const void *a, const void *b)
{
    const struct learn_gap_row *x = a, *y = b;
    if (x->people != y->people)
        return x->people > y->people ? -1 : 1;
    return strcmp(x->comp, y->comp);
}

static int build_gaps(struct store *st, struct learn_report *r)
{
    struct store_learn_item *it = NULL;
    int nit = 0, rc = store_learning_items(st, 0, &it, &nit);
    if (rc != BB_OK)
        return rc;
    r->gaps = r->nneeds ? calloc((size_t)r->nneeds, sizeof(*r->gaps)) : NULL;
    if (r->nneeds && !r->gaps) {
        free(it);
        return BB_ENOMEM;
    }
    /* the needs table is ordered by competency: one gap row per run */
    for (int i = 0; i < r->nneeds;) {
        int64_t people = 0, gap = 0;
        int j = i;
        for (; j < r->nneeds && strcmp(r->needs[j].comp, r->needs[i].comp) == 0; j++) {
            people += r->needs[j].people; /* 0 when suppressed */
            gap += r->needs[j].gap_sum;
        }
        if (people > 0 && !offered(it, nit, r->needs[i].comp)) {
            struct learn_gap_row *g = &r->gaps[r->ngaps++];
            bb_strlcpy(g->comp, r->needs[i].comp, sizeof(g->comp));
            g->people = people;
            g->gap_sum = gap;
        }
        i = j;
    }
    free(it);
    if (r->ngaps > 1)
        qsort(r->gaps, (size_t)r->ngaps, sizeof(*r->gaps), gap_cmp);
    return BB_OK;
}

/* ---- progress per unit --------------------------------------------------- */

/* A group being summed: a unit's people, or the pool of the small ones. */
struct group {
    char unit[128];
    int64_t people, in_progress, done, dropped, at20;
    int64_t *min; /* this year's minutes of each person */
    size_t nmin, cap;
};

struct walk {
    struct learn_report *r;
    struct group cur, pool;
    size_t rows_cap;
};

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int group_push(struct group *g, int64_t minutes)
{
    if (g->nmin == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 64;
        int64_t *m = realloc(g->min, cap * sizeof(*m));
        if (!m)
            return BB_ENOMEM;
        g->min = m;
        g->cap = cap;
    }
    g->min[g->nmin++] = minutes;
    return BB_OK;
}

static int group_add(struct group *g, const struct store_learn_person_row *p)
{
    if (group_push(g, p->minutes) != BB_OK)
        return BB_ENOMEM;
    g->people++;
    g->in_progress += p->started;
    g->done += p->done;
    g->dropped += p->dropped;
    g->at20 += p->minutes >= LEARN_JP20_MIN;
    return BB_OK;
}

/* The group's figures as a row (suppressed below k); sorts g->min. */
static int group_emit(struct walk *w, struct group *g, int other)
{
    struct learn_report *r = w->r;
    struct learn_unit_row *x;
    if (g->people == 0)
        return BB_OK;
    if ((size_t)r->nunits == w->rows_cap) {
        size_t cap = w->rows_cap ? w->rows_cap * 2 : 16;
        struct learn_unit_row *v = realloc(r->units, cap * sizeof(*v));
        if (!v)
            return BB_ENOMEM;
        r->units = v;
        w->rows_cap = cap;
    }
    x = &r->units[r->nunits++];
    memset(x, 0, sizeof(*x));
    bb_strlcpy(x->unit, other ? "" : g->unit, sizeof(x->unit));
    x->other = other;
    x->suppressed = g->people < r->k;
    if (x->suppressed)
        return BB_OK;
    assert(g->nmin == (size_t)g->people && g->nmin > 0);
    qsort(g->min, g->nmin, sizeof(*g->min), cmp_i64);
    size_t h = g->nmin / 2;
    int64_t twice = g->nmin % 2 ? 2 * g->min[h] : g->min[h - 1] + g->min[h];
    x->people = g->people;
    x->in_progress = g->in_progress;
    x->done = g->done;
    x->dropped = g->dropped;
    x->at20 = g->at20;
    x->median_jp10 = (twice * 10 + 45) / 90; /* minutes/45, in tenths, rounded */
    return BB_OK;
}

static void group_clear(struct group *g, const char *unit)
{
    int64_t *m = g->min;
    size_t cap = g->cap;
    memset(g, 0, sizeof(*g));
    g->min = m;
    g->cap = cap;
    bb_strlcpy(g->unit, unit, sizeof(g->unit));
}

/* The current unit is complete: a row of its own, or into the pool. */
static int unit_done(struct walk *w)
{
    struct group *g = &w->cur;
    if (g->people == 0)
        return BB_OK;
    if (w->r->unit[0] || (g->unit[0] && g->people >= w->r->k))
        return group_emit(w, g, 0);
    w->pool.people += g->people;
    w->pool.in_progress += g->in_progress;
    w->pool.done += g->done;
    w->pool.dropped += g->dropped;
    w->pool.at20 += g->at20;
    for (size_t i = 0; i < g->nmin; i++)
        if (group_push(&w->pool, g->min[i]) != BB_OK)
            return BB_ENOMEM;
    assert(w->pool.nmin == (size_t)w->pool.people);
    return BB_OK;
}

static int person_row(void *ctx, const struct store_learn_person_row *p)
{
    struct walk *w = ctx;
    int rc;
    if (strcmp(p->unit, w->cur.unit) != 0 || w->cur.people == 0) {
        if ((rc = unit_done(w)) != BB_OK)
            return rc;
        group_clear(&w->cur, p->unit);
    }
    return group_add(&w->cur, p);
}

static int build_progress(struct store *st, struct learn_report *r, int64_t now)
{
    struct walk w;
    int64_t y, day = cal_floor_div(now + LEARN_REPORT_TZ, 86400);
    int m, dd, rc;
    char from[16], to[16];
    cal_civil_from_days(day, &y, &m, &dd);
    r->year = y;
    bb_snprintf(from, sizeof(from), "%04" PRId64 "-01-01", y);
    bb_snprintf(to, sizeof(to), "%04" PRId64 "-01-01", y + 1);
    int64_t t0 = cal_days_from_civil(y, 1, 1) * 86400 - LEARN_REPORT_TZ;
    int64_t t1 = cal_days_from_civil(y + 1, 1, 1) * 86400 - LEARN_REPORT_TZ;
    memset(&w, 0, sizeof(w));
    w.r = r;
    rc = store_learning_person_each(st, r->unit, from, to, t0, t1, person_row, &w);
    if (rc == BB_OK)
        rc = unit_done(&w);
    if (rc == BB_OK)
        rc = group_emit(&w, &w.pool, 1);
    free(w.cur.min);
    free(w.pool.min);
    return rc;
}

int learn_report_build(struct store *st, int k, int64_t now, const char *unit,
                       struct learn_report *r)
{
    int rc;
    memset(r, 0, sizeof(*r));
    if (!st || k < 1)
        return BB_EINVAL;
    r->k = k;
    bb_strlcpy(r->unit, unit ? unit : "", sizeof(r->unit));
    if ((rc = build_needs(st, r)) == BB_OK && (rc = build_gaps(st, r)) == BB_OK)
        rc = build_progress(st, r, now);
    return rc;
}

void learn_report_free(struct learn_report *r)
{
    if (!r)
        return;
    free(r->needs);
    free(r->gaps);
    free(r->units);
    r->needs = NULL;
    r->gaps = NULL;
    r->units = NULL;
    r->nneeds = r->ngaps = r->nunits = 0;
}

/* ---- out ----------------------------------------------------------------- */

/* x / n to one decimal, in tenths, rounded half up (n > 0). */
static int64_t tenths(int64_t x, int64_t n)
{
    return (x * 20 + n) / (2 * n);
}

static void fmt_tenths(int64_t t, char *out, size_t n)
{
    bb_snprintf(out, n, "%" PRId64 ".%" PRId64, t / 10, t % 10);
}

static int64_t pct(int64_t x, int64_t n)
{
    return n > 0 ? (x * 200 + n) / (2 * n) : 0;
}

static const char *unit_name(const char *unit, int other)
{
    return other ? LEARN_OTHER_UNIT : unit[0] ? unit : "(no unit)";
}

int learn_report_json(const struct learn_report *r, cJSON **out)
{
    cJSON *o = cJSON_CreateObject(), *a;
    int ok = o && cJSON_AddNumberToObject(o, "anonymity_k", r->k) &&
             cJSON_AddNumberToObject(o, "year", (double)r->year) &&
             cJSON_AddStringToObject(o, "unit", r->unit);
    *out = NULL;
    a = ok ? cJSON_AddArrayToObject(o, "needs") : NULL;
    for (int i = 0; a && ok && i < r->nneeds; i++) {
        const struct learn_need_row *x = &r->needs[i];
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddItemToArray(a, e) &&
             (x->other ? cJSON_AddNullToObject(e, "unit") != NULL
                       : cJSON_AddStringToObject(e, "unit", x->unit) != NULL) &&
             cJSON_AddBoolToObject(e, "other_units", x->other) &&
             cJSON_AddStringToObject(e, "competency", x->comp) &&
             cJSON_AddBoolToObject(e, "suppressed", x->suppressed);
        if (ok && !x->suppressed)
            ok = cJSON_AddNumberToObject(e, "people", (double)x->people) &&
                 cJSON_AddNumberToObject(e, "mean_gap",
                                         (double)tenths(x->gap_sum, x->people) / 10.0);
    }
    ok = ok && a;
    a = ok ? cJSON_AddArrayToObject(o, "gaps") : NULL;
    for (int i = 0; a && ok && i < r->ngaps; i++) {
        const struct learn_gap_row *g = &r->gaps[i];
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddItemToArray(a, e) && cJSON_AddStringToObject(e, "competency", g->comp) &&
             cJSON_AddNumberToObject(e, "people", (double)g->people) &&
             cJSON_AddNumberToObject(e, "mean_gap", (double)tenths(g->gap_sum, g->people) / 10.0);
    }
    ok = ok && a;
    a = ok ? cJSON_AddArrayToObject(o, "progress") : NULL;
    for (int i = 0; a && ok && i < r->nunits; i++) {
        const struct learn_unit_row *x = &r->units[i];
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddItemToArray(a, e) &&
             (x->other ? cJSON_AddNullToObject(e, "unit") != NULL
                       : cJSON_AddStringToObject(e, "unit", x->unit) != NULL) &&
             cJSON_AddBoolToObject(e, "other_units", x->other) &&
             cJSON_AddBoolToObject(e, "suppressed", x->suppressed);
        if (ok && !x->suppressed)
            ok = cJSON_AddNumberToObject(e, "people", (double)x->people) &&
                 cJSON_AddNumberToObject(e, "in_progress", (double)x->in_progress) &&
                 cJSON_AddNumberToObject(e, "done", (double)x->done) &&
                 cJSON_AddNumberToObject(e, "dropped", (double)x->dropped) &&
                 cJSON_AddNumberToObject(e, "at_20jp_pct", (double)pct(x->at20, x->people)) &&
                 cJSON_AddNumberToObject(e, "median_jp", (double)x->median_jp10 / 10.0);
    }
    ok = ok && a;
    if (!ok) {
        cJSON_Delete(o);
        return BB_ENOMEM;
    }
    *out = o;
    return BB_OK;
}

/* CSV columns: the tables each belongs to. */
enum {
    COL_UNIT,
    COL_COMP,
    COL_PEOPLE,
    COL_GAP,
    COL_PROG,
    COL_DONE,
    COL_DROP,
    COL_PCT,
    COL_MED,
    COL_SUP
};
static const struct {
    const char *name;
    unsigned tables;
} csv_cols[] = {
    {"unit", LEARN_T_NEEDS | LEARN_T_PROGRESS},
    {"competency", LEARN_T_NEEDS | LEARN_T_GAPS},
    {"people", LEARN_T_ALL},
    {"mean_gap", LEARN_T_NEEDS | LEARN_T_GAPS},
    {"in_progress", LEARN_T_PROGRESS},
    {"done", LEARN_T_PROGRESS},
    {"dropped", LEARN_T_PROGRESS},
    {"at_20jp_pct", LEARN_T_PROGRESS},
    {"median_jp", LEARN_T_PROGRESS},
    {"suppressed", LEARN_T_NEEDS | LEARN_T_PROGRESS},
};
#define NCOLS ((int)BB_ARRAY_LEN(csv_cols))

/* One row: v[c] is column c's text ("" when empty). */
static int csv_row(struct bb_buf *b, unsigned tables, const char *table, char v[NCOLS][160])
{
    int rc = BB_OK, first = 1;
    if (tables & (tables - 1)) {
        rc = bb_csv_field(b, table);
        first = 0;
    }
    for (int c = 0; c < NCOLS && rc == BB_OK; c++) {
        if (!(csv_cols[c].tables & tables))
            continue;
        if (!first)
            rc = bb_buf_puts(b, ",");
        first = 0;
        if (rc == BB_OK && v[c][0])
            rc = bb_csv_field(b, v[c]);
    }
    return rc == BB_OK ? bb_buf_puts(b, "\r\n") : rc;
}

int learn_report_csv(const struct learn_report *r, unsigned tables, char **out, size_t *len)
{
    struct bb_buf b;
    char v[NCOLS][160];
    int rc = BB_OK, first = 1;
    *out = NULL;
    *len = 0;
    tables &= LEARN_T_ALL;
    if (!tables)
        return BB_EINVAL;
    bb_buf_init(&b, LEARN_CSV_MAX);
    if (tables & (tables - 1)) {
        rc = bb_buf_puts(&b, "table");
        first = 0;
    }
    for (int c = 0; c < NCOLS && rc == BB_OK; c++)
        if (csv_cols[c].tables & tables) {
            rc = first ? BB_OK : bb_buf_puts(&b, ",");
            first = 0;
            if (rc == BB_OK)
                rc = bb_buf_puts(&b, csv_cols[c].name);
        }
    if (rc == BB_OK)
        rc = bb_buf_puts(&b, "\r\n");
    for (int i = 0; rc == BB_OK && (tables & LEARN_T_NEEDS) && i < r->nneeds; i++) {
        const struct learn_need_row *x = &r->needs[i];
        memset(v, 0, sizeof(v));
        bb_strlcpy(v[COL_UNIT], unit_name(x->unit, x->other), sizeof(v[0]));
        bb_strlcpy(v[COL_COMP], x->comp, sizeof(v[0]));
        bb_strlcpy(v[COL_SUP], x->suppressed ? "1" : "0", sizeof(v[0]));
        if (!x->suppressed) {
            bb_snprintf(v[COL_PEOPLE], sizeof(v[0]), "%" PRId64, x->people);
            fmt_tenths(tenths(x->gap_sum, x->people), v[COL_GAP], sizeof(v[0]));
        }
        rc = csv_row(&b, tables, "needs", v);
    }
    for (int i = 0; rc == BB_OK && (tables & LEARN_T_GAPS) && i < r->ngaps; i++) {
        const struct learn_gap_row *g = &r->gaps[i];
        memset(v, 0, sizeof(v));
        bb_strlcpy(v[COL_COMP], g->comp, sizeof(v[0]));
        bb_snprintf(v[COL_PEOPLE], sizeof(v[0]), "%" PRId64, g->people);
        fmt_tenths(tenths(g->gap_sum, g->people), v[COL_GAP], sizeof(v[0]));
        rc = csv_row(&b, tables, "gaps", v);
    }
    for (int i = 0; rc == BB_OK && (tables & LEARN_T_PROGRESS) && i < r->nunits; i++) {
        const struct learn_unit_row *x = &r->units[i];
        memset(v, 0, sizeof(v));
        bb_strlcpy(v[COL_UNIT], unit_name(x->unit, x->other), sizeof(v[0]));
        bb_strlcpy(v[COL_SUP], x->suppressed ? "1" : "0", sizeof(v[0]));
        if (!x->suppressed) {
            bb_snprintf(v[COL_PEOPLE], sizeof(v[0]), "%" PRId64, x->people);
            bb_snprintf(v[COL_PROG], sizeof(v[0]), "%" PRId64, x->in_progress);
            bb_snprintf(v[COL_DONE], sizeof(v[0]), "%" PRId64, x->done);
            bb_snprintf(v[COL_DROP], sizeof(v[0]), "%" PRId64, x->dropped);
            bb_snprintf(v[COL_PCT], sizeof(v[0]), "%" PRId64, pct(x->at20, x->people));
            fmt_tenths(x->median_jp10, v[COL_MED], sizeof(v[0]));
        }
        rc = csv_row(&b, tables, "progress", v);
    }
    if (rc != BB_OK) {
        bb_buf_free(&b);
        return rc;
    }
    *len = b.len;
    *out = bb_buf_take(&b);
    return *out ? BB_OK : BB_ENOMEM;
}

void learn_report_print(FILE *f, const struct learn_report *r)
{
    char a[32], b[32];
    fprintf(f, "learning report %" PRId64 "%s%s (groups under k=%d people suppressed)\n", r->year,
            r->unit[0] ? " for " : "", r->unit, r->k);
    fprintf(f, "\nneeds by unit and competency (people whose target is above their level):\n");
    fprintf(f, "  %-28s %-32s %7s %8s\n", "competency", "unit", "people", "mean gap");
    for (int i = 0; i < r->nneeds; i++) {
        const struct learn_need_row *x = &r->needs[i];
        if (x->suppressed) {
            fprintf(f, "  %-28s %-32s %16s\n", x->comp, unit_name(x->unit, x->other),
                    "suppressed (< k)");
            continue;
        }
        fmt_tenths(tenths(x->gap_sum, x->people), a, sizeof(a));
        fprintf(f, "  %-28s %-32s %7" PRId64 " %8s\n", x->comp, unit_name(x->unit, x->other),
                x->people, a);
    }
    if (!r->nneeds)
        fprintf(f, "  (none)\n");
    fprintf(f, "\ncatalogue gaps (needs with no offered item):\n");
    fprintf(f, "  %-28s %7s %8s\n", "competency", "people", "mean gap");
    for (int i = 0; i < r->ngaps; i++) {
        fmt_tenths(tenths(r->gaps[i].gap_sum, r->gaps[i].people), a, sizeof(a));
        fprintf(f, "  %-28s %7" PRId64 " %8s\n", r->gaps[i].comp, r->gaps[i].people, a);
    }
    if (!r->ngaps)
        fprintf(f, "  (none)\n");
    fprintf(f, "\ncompletion and JP per unit (%" PRId64 "):\n", r->year);
    fprintf(f, "  %-32s %6s %11s %5s %7s %9s %10s\n", "unit", "people", "in progress", "done",
            "dropped", ">=20 JP", "median JP");
    for (int i = 0; i < r->nunits; i++) {
        const struct learn_unit_row *x = &r->units[i];
        if (x->suppressed) {
            fprintf(f, "  %-32s %16s\n", unit_name(x->unit, x->other), "suppressed (< k)");
            continue;
        }
        bb_snprintf(a, sizeof(a), "%" PRId64 "%%", pct(x->at20, x->people));
        fmt_tenths(x->median_jp10, b, sizeof(b));
        fprintf(f, "  %-32s %6" PRId64 " %11" PRId64 " %5" PRId64 " %7" PRId64 " %9s %10s\n",
                unit_name(x->unit, x->other), x->people, x->in_progress, x->done, x->dropped, a, b);
    }
    if (!r->nunits)
        fprintf(f, "  (none)\n");
}
