/*
 * survey_report.c - the survey module's reports: answers of a wave
 * aggregated per unit, response rates, distributions, eNPS and WHO-5, with
 * k-anonymity: a unit with fewer than k answers is left out of every
 * figure (the complement rule across reports); as text or CSV (`survey
 * report`, the dashboard's CSV). Called by survey_cli.c and survey_api.c.
 *
 * Thread rules: core thread / CLI only; no global mutable state.
 */
#include "bot/domain/survey/survey_int.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reports ----------------------------------------------------------------- */

static struct survey_group *group_of(struct survey_agg *a, const char *unit)
{
    for (int i = 0; i < a->ng; i++)
        if (!strcmp(a->g[i].unit, unit))
            return &a->g[i];
    if (a->ng == a->cap) {
        int nc = a->cap ? a->cap * 2 : 8;
        struct survey_group *ng = realloc(a->g, (size_t)nc * sizeof(*ng));
        if (!ng)
            return NULL;
        a->g = ng;
        a->cap = nc;
    }
    memset(&a->g[a->ng], 0, sizeof(a->g[0]));
    bb_strlcpy(a->g[a->ng].unit, unit, sizeof(a->g[0].unit));
    return &a->g[a->ng++];
}

static struct survey_qstat *q_of(struct survey_group *g, const char *name, int is_text)
{
    for (int i = 0; i < g->nq; i++)
        if (!strcmp(g->q[i].name, name))
            return &g->q[i];
    if (g->nq == SURVEY_MAXQ)
        return NULL;
    struct survey_qstat *q = &g->q[g->nq++];
    memset(q, 0, sizeof(*q));
    bb_strlcpy(q->name, name, sizeof(q->name));
    q->is_text = is_text;
    return q;
}

static void add_num(struct survey_group *g, const char *question, double v)
{
    struct survey_qstat *q = q_of(g, question, 0);
    if (!q)
        return;
    q->n++;
    q->sum += v;
    if (v >= 0 && v <= 10 && v == floor(v))
        q->hist[(int)v]++;
    if (!strcmp(question, "enps")) {
        g->enps_n++;
        if (v >= 9)
            g->enps_prom++;
        else if (v <= 6)
            g->enps_det++;
    }
}

/* End of one response: count it in its unit (the total is merged from the
 * units at the end, survey_wave_aggregate). */
static void end_response(struct survey_agg *a)
{
    if (!a->cur[0])
        return;
    struct survey_group *u = group_of(a, a->cur_unit);
    if (!u) {
        a->err = BB_ENOMEM;
        return;
    }
    u->responses++;
    if (a->who5_have == 0x1f)
        survey_who5_add(&u->who5, a->who5);
    a->cur[0] = '\0';
    a->who5_have = 0;
}

static int add_comment(struct survey_agg *a, int group, const char *question, const char *txt)
{
    size_t len = strlen(question) + strlen(txt) + 3;
    char **nc;
    int *ng;
    if (a->ncomments >= SURVEY_MAX_COMMENTS)
        return BB_OK;
    if (!(nc = realloc(a->comments, (size_t)(a->ncomments + 1) * sizeof(*nc))))
        return BB_ENOMEM;
    a->comments = nc;
    if (!(ng = realloc(a->comment_group, (size_t)(a->ncomments + 1) * sizeof(*ng))))
        return BB_ENOMEM;
    a->comment_group = ng;
    if (!(nc[a->ncomments] = malloc(len)))
        return BB_ENOMEM;
    bb_snprintf(nc[a->ncomments], len, "%s: %s", question, txt);
    ng[a->ncomments++] = group;
    return BB_OK;
}

static int on_row(void *ctx, const struct store_answer_row *r)
{
    struct survey_agg *a = ctx;
    struct survey_group *u;
    if (strcmp(a->cur, r->response) != 0) {
        end_response(a);
        bb_strlcpy(a->cur, r->response, sizeof(a->cur));
        bb_strlcpy(a->cur_unit, r->unit, sizeof(a->cur_unit));
    }
    if (!r->question[0])
        return a->err; /* a response with every question skipped */
    if (!(u = group_of(a, r->unit)))
        return BB_ENOMEM;
    if (r->has_num) {
        add_num(u, r->question, r->num);
        if (!strncmp(r->question, "who5_", 5) && r->question[5] >= '1' && r->question[5] <= '5' &&
            !r->question[6]) {
            int i = r->question[5] - '1';
            a->who5[i] = (int)r->num;
            a->who5_have |= 1 << i;
        }
    } else if (r->txt) {
        struct survey_qstat *q = q_of(u, r->question, 1);
        if (q)
            q->n++;
        int rc = add_comment(a, (int)(u - a->g), r->question, r->txt);
        if (rc != BB_OK)
            return rc;
    }
    return a->err;
}

/* Add group src into dst (the total): responses, every question, eNPS,
 * WHO-5. */
static void merge_group(struct survey_group *dst, const struct survey_group *src)
{
    dst->responses += src->responses;
    for (int i = 0; i < src->nq; i++) {
        const struct survey_qstat *s = &src->q[i];
        struct survey_qstat *q = q_of(dst, s->name, s->is_text);
        if (!q)
            continue;
        q->n += s->n;
        q->sum += s->sum;
        for (int v = 0; v <= 10; v++)
            q->hist[v] += s->hist[v];
    }
    dst->enps_n += src->enps_n;
    dst->enps_prom += src->enps_prom;
    dst->enps_det += src->enps_det;
    dst->who5.n += src->who5.n;
    dst->who5.raw_sum += src->who5.raw_sum;
    dst->who5.below13 += src->who5.below13;
}

/* The complement rule: groups under k are left out; the total is the sum
 * of the others, and only their comments are kept. */
static void agg_finish(struct survey_agg *a, int k)
{
    int kept = 0;
    memset(&a->total, 0, sizeof(a->total));
    a->left_out = 0;
    a->left_out_groups = 0;
    for (int i = 0; i < a->ng; i++) {
        struct survey_group *g = &a->g[i];
        g->left_out = g->responses < k;
        if (g->left_out) {
            a->left_out += g->responses;
            a->left_out_groups++;
        } else {
            merge_group(&a->total, g);
        }
    }
    for (int i = 0; i < a->ncomments; i++) {
        assert(a->comment_group[i] >= 0 && a->comment_group[i] < a->ng);
        if (a->g[a->comment_group[i]].left_out) {
            free(a->comments[i]);
            continue;
        }
        a->comments[kept] = a->comments[i];
        a->comment_group[kept++] = a->comment_group[i];
    }
    a->ncomments = kept;
}

void survey_agg_free(struct survey_agg *a)
{
    for (int i = 0; i < a->ncomments; i++)
        free(a->comments[i]);
    free(a->comments);
    free(a->comment_group);
    free(a->g);
    memset(a, 0, sizeof(*a));
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static void out_printf(struct survey_report_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void out_printf(struct survey_report_opts *o, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    int r;
    if (o->err)
        return;
    va_start(ap, fmt);
    r = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (r < 0) {
        o->err = BB_EINVAL;
        return;
    }
    if ((size_t)r < sizeof(small)) {
        o->err = bb_buf_append(o->out, small, (size_t)r);
        return;
    }
    char *big = malloc((size_t)r + 1);
    if (!big) {
        o->err = BB_ENOMEM;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)r + 1, fmt, ap);
    va_end(ap);
    o->err = bb_buf_append(o->out, big, (size_t)r);
    free(big);
}

static const char *unit_name(const char *u)
{
    return u[0] ? u : "(other units)";
}

/* CSV: one field through the shared writer (quotes, formula escape). */
static void csv_field(struct survey_report_opts *o, const char *s)
{
    if (!o->err)
        o->err = bb_csv_field(o->out, s);
}

static void csv_row(struct survey_report_opts *o, int64_t wave, const char *group,
                    const char *metric, const char *value)
{
    out_printf(o, "%" PRId64 ",", wave);
    csv_field(o, group);
    out_printf(o, ",");
    csv_field(o, metric);
    out_printf(o, ",");
    csv_field(o, value);
    out_printf(o, "\n");
}

static void print_group(int64_t wave, const struct survey_group *g, const char *label,
                        struct survey_report_opts *o)
{
    char metric[96], val[64];
    if (o->csv) {
        bb_snprintf(val, sizeof(val), "%" PRId64, g->responses);
        csv_row(o, wave, label, "responses", val);
    } else {
        out_printf(o, "  %s: %" PRId64 " response(s)\n", label, g->responses);
    }
    for (int i = 0; i < g->nq; i++) {
        const struct survey_qstat *q = &g->q[i];
        if (q->is_text || q->n == 0)
            continue;
        if (o->csv) {
            bb_snprintf(metric, sizeof(metric), "%s.mean", q->name);
            bb_snprintf(val, sizeof(val), "%.2f", q->sum / (double)q->n);
            csv_row(o, wave, label, metric, val);
            for (int v = 0; v <= 10; v++) {
                if (!q->hist[v])
                    continue;
                bb_snprintf(metric, sizeof(metric), "%s.%d", q->name, v);
                bb_snprintf(val, sizeof(val), "%" PRId64, q->hist[v]);
                csv_row(o, wave, label, metric, val);
            }
            continue;
        }
        out_printf(o, "    %-12s n %" PRId64 ", mean %.2f;", q->name, q->n, q->sum / (double)q->n);
        for (int v = 0; v <= 10; v++)
            if (q->hist[v])
                out_printf(o, " %d:%" PRId64, v, q->hist[v]);
        out_printf(o, "\n");
    }
    double e;
    if (survey_enps(g->enps_prom, g->enps_det, g->enps_n, &e) == BB_OK) {
        double pp = 100.0 * (double)g->enps_prom / (double)g->enps_n;
        double pd = 100.0 * (double)g->enps_det / (double)g->enps_n;
        if (o->csv) {
            bb_snprintf(val, sizeof(val), "%.1f", e);
            csv_row(o, wave, label, "enps", val);
            bb_snprintf(val, sizeof(val), "%.1f", pp);
            csv_row(o, wave, label, "enps.promoters_pct", val);
            bb_snprintf(val, sizeof(val), "%.1f", pd);
            csv_row(o, wave, label, "enps.detractors_pct", val);
        } else {
            out_printf(o, "    eNPS %+.0f (promoters %.1f%%, passives %.1f%%, detractors %.1f%%)\n",
                       e, pp, 100.0 - pp - pd, pd);
        }
    }
    if (g->who5.n > 0) {
        if (o->csv) {
            bb_snprintf(val, sizeof(val), "%.1f", survey_who5_index(&g->who5));
            csv_row(o, wave, label, "who5.index", val);
            bb_snprintf(val, sizeof(val), "%.1f", survey_who5_low_pct(&g->who5));
            csv_row(o, wave, label, "who5.below13_pct", val);
        } else {
            out_printf(
                o,
                "    WHO-5 index %.1f of 100 (mean raw score x 4); raw score below 13: %.1f%% "
                "(n %" PRId64 ")\n",
                survey_who5_index(&g->who5), survey_who5_low_pct(&g->who5), g->who5.n);
        }
    }
}

static void print_hidden(int64_t wave, const char *label, const char *why,
                         struct survey_report_opts *o)
{
    if (o->csv)
        csv_row(o, wave, label, "suppressed", why);
    else
        out_printf(o, "  %s: hidden (%s)\n", label, why);
}

/* How many answers the complement rule left out, and why. */
static void print_left_out(int64_t wave, const struct survey_agg *a, struct survey_report_opts *o)
{
    char val[32];
    if (a->left_out == 0)
        return;
    if (o->csv) {
        bb_snprintf(val, sizeof(val), "%" PRId64, a->left_out);
        csv_row(o, wave, "all", "left_out", val);
        return;
    }
    out_printf(o,
               "  left out: %" PRId64 " answer(s) from %d unit(s) with fewer than %d answers"
               " each; they are in no figure of this report (totals, eNPS, questions,"
               " comments), so no two reports can be subtracted to find them\n",
               a->left_out, a->left_out_groups, o->k);
}

static int cmp_cstr(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int survey_agg_comments(struct survey_agg *a, const char *question, const char ***out, int *n)
{
    size_t ql = strlen(question);
    *out = NULL;
    *n = 0;
    if (a->ncomments == 0)
        return BB_OK;
    if (!(*out = calloc((size_t)a->ncomments, sizeof(**out))))
        return BB_ENOMEM;
    for (int i = 0; i < a->ncomments; i++)
        if (!strncmp(a->comments[i], question, ql) && !strncmp(a->comments[i] + ql, ": ", 2))
            (*out)[(*n)++] = a->comments[i] + ql + 2;
    qsort(*out, (size_t)*n, sizeof(**out), cmp_cstr);
    return BB_OK;
}

/* Read one wave: participation per unit (*u, *nu; free()) with its sums,
 * and the answers aggregated into *a (survey_agg_free() it, also on error);
 * units under k left out of every figure. */
int survey_wave_aggregate(const struct domain_ctx *d, int64_t wave_id, int k, struct survey_agg *a,
                          struct store_unit_count **u, int *nu, int64_t *invited, int64_t *answered)
{
    int rc;
    memset(a, 0, sizeof(*a));
    *invited = *answered = 0;
    rc = store_wave_units(d->st, wave_id, survey_k(d->cfg), u, nu);
    if (rc != BB_OK)
        return rc;
    for (int i = 0; i < *nu; i++) {
        *invited += (*u)[i].invited;
        *answered += (*u)[i].answered;
    }
    rc = store_wave_answers(d->st, wave_id, on_row, a);
    if (rc == BB_OK) {
        end_response(a);
        rc = a->err;
    }
    if (rc == BB_OK)
        agg_finish(a, k);
    return rc;
}

/* The k rule of a whole wave: its results show only from k responses. */
int survey_agg_shown(const struct survey_agg *a, int k)
{
    return a->total.responses >= k;
}

/* Trend line data of one wave. */
struct trend {
    int64_t wave, start, invited, answered;
    int shown;
    double enps, who5;
    int has_enps, has_who5;
};

static int report_wave(const struct domain_ctx *d, const struct store_wave *w,
                       struct survey_report_opts *o, struct trend *t)
{
    struct survey_agg a;
    struct store_unit_count *u = NULL;
    int nu = 0, rc;
    int64_t invited = 0, answered = 0;
    char day0[16], day1[16], val[64];

    memset(t, 0, sizeof(*t));
    rc = survey_wave_aggregate(d, w->id, o->k, &a, &u, &nu, &invited, &answered);
    if (rc != BB_OK)
        goto out;
    survey_fmt_day(w->start_at, day0, sizeof(day0));
    survey_fmt_day(w->close_at, day1, sizeof(day1));
    t->wave = w->id;
    t->start = w->start_at;
    t->invited = invited;
    t->answered = answered;
    if (o->csv) {
        bb_snprintf(val, sizeof(val), "%" PRId64, invited);
        csv_row(o, w->id, "all", "invited", val);
        bb_snprintf(val, sizeof(val), "%" PRId64, answered);
        csv_row(o, w->id, "all", "answered", val);
        bb_snprintf(val, sizeof(val), "%.1f",
                    invited ? 100.0 * (double)answered / (double)invited : 0.0);
        csv_row(o, w->id, "all", "response_rate_pct", val);
    } else {
        out_printf(o, "Wave %" PRId64 " of %s to %s, %s to %s%s\n", w->id, w->flow_id, w->segment,
                   day0, day1, w->closed ? " (closed)" : " (open)");
        out_printf(o, "  invited %" PRId64 ", answered %" PRId64 ", response rate %.1f%%\n",
                   invited, answered, invited ? 100.0 * (double)answered / (double)invited : 0.0);
        if (!w->closed)
            out_printf(o,
                       "  (open: answers count in steps of %d per unit, one step behind; all at"
                       " closing)\n",
                       survey_k(d->cfg));
    }
    if (!survey_agg_shown(&a, o->k)) {
        print_hidden(w->id, "all", "fewer answers than the anonymity threshold", o);
        goto out;
    }
    t->shown = 1;
    t->has_enps =
        survey_enps(a.total.enps_prom, a.total.enps_det, a.total.enps_n, &t->enps) == BB_OK;
    t->has_who5 = a.total.who5.n > 0;
    t->who5 = survey_who5_index(&a.total.who5);
    print_group(w->id, &a.total, "all", o);
    print_left_out(w->id, &a, o);
    /* Free text: only for the whole wave, sorted (never in answer order). */
    if (a.ncomments > 0) {
        qsort(a.comments, (size_t)a.ncomments, sizeof(char *), cmp_str);
        for (int i = 0; i < a.ncomments; i++) {
            if (o->csv)
                csv_row(o, w->id, "all", "comment", a.comments[i]);
            else
                out_printf(o, "%s    - %s\n", i == 0 ? "  comments (sorted):\n" : "",
                           a.comments[i]);
        }
    }
    if (o->by_unit && a.ng > 0) {
        if (!o->csv)
            out_printf(o, "  by unit (a unit under %d answers is left out of every figure):\n",
                       o->k);
        for (int i = 0; i < a.ng; i++) {
            if (a.g[i].left_out)
                print_hidden(w->id, unit_name(a.g[i].unit),
                             "left out: fewer answers than the anonymity threshold", o);
            else
                print_group(w->id, &a.g[i], unit_name(a.g[i].unit), o);
        }
        /* Participation by unit: counts of people, not answers; units with
         * fewer than k invited are folded into one line. */
        int64_t oi = 0, oa = 0;
        for (int i = 0; i < nu; i++) {
            if (u[i].invited < o->k) {
                oi += u[i].invited;
                oa += u[i].answered;
                continue;
            }
            if (o->csv) {
                bb_snprintf(val, sizeof(val), "%" PRId64 "/%" PRId64, u[i].answered, u[i].invited);
                csv_row(o, w->id, u[i].unit, "answered/invited", val);
            } else {
                out_printf(o, "  participation %s: %" PRId64 " of %" PRId64 "\n", u[i].unit,
                           u[i].answered, u[i].invited);
            }
        }
        if (oi > 0) {
            if (o->csv) {
                bb_snprintf(val, sizeof(val), "%" PRId64 "/%" PRId64, oa, oi);
                csv_row(o, w->id, "(small units)", "answered/invited", val);
            } else {
                out_printf(o,
                           "  participation (units under %d invited, together): %" PRId64
                           " of %" PRId64 "\n",
                           o->k, oa, oi);
            }
        }
    }
out:
    free(u);
    survey_agg_free(&a);
    return rc == BB_OK ? o->err : rc;
}

/* The report of every wave of flow_id into o->out (text with a trend table,
 * or CSV with its header): what `survey report` prints and the dashboard's
 * CSV download. BB_ENOTFOUND when the flow has no waves. */
int survey_report_flow(const struct domain_ctx *d, const char *flow_id,
                       struct survey_report_opts *o)
{
    struct store_wave *w = NULL;
    struct trend *t = NULL;
    int n = 0, rc;
    rc = store_wave_list(d->st, flow_id, &w, &n);
    if (rc == BB_OK && n == 0)
        rc = BB_ENOTFOUND;
    if (rc == BB_OK && !(t = calloc((size_t)n, sizeof(*t))))
        rc = BB_ENOMEM;
    if (rc != BB_OK)
        goto out;
    if (o->csv)
        out_printf(o, "wave,group,metric,value\n");
    for (int i = 0; i < n && rc == BB_OK; i++) {
        rc = report_wave(d, &w[i], o, &t[i]);
        if (!o->csv)
            out_printf(o, "\n");
    }
    if (rc == BB_OK && !o->csv && n > 1) {
        out_printf(o, "Trend across waves (anonymity threshold %d):\n", o->k);
        out_printf(o, "  %-6s %-11s %9s %8s %8s %8s\n", "wave", "start", "answered", "rate", "eNPS",
                   "WHO-5");
        for (int i = 0; i < n; i++) {
            char day[16], e[16], h[16];
            survey_fmt_day(t[i].start, day, sizeof(day));
            bb_strlcpy(e, "-", sizeof(e));
            bb_strlcpy(h, "-", sizeof(h));
            if (!t[i].shown) {
                bb_strlcpy(e, "hidden", sizeof(e));
                bb_strlcpy(h, "hidden", sizeof(h));
            } else {
                if (t[i].has_enps)
                    bb_snprintf(e, sizeof(e), "%+.0f", t[i].enps);
                if (t[i].has_who5)
                    bb_snprintf(h, sizeof(h), "%.1f", t[i].who5);
            }
            out_printf(o, "  %-6" PRId64 " %-11s %9" PRId64 " %7.1f%% %8s %8s\n", t[i].wave, day,
                       t[i].answered,
                       t[i].invited ? 100.0 * (double)t[i].answered / (double)t[i].invited : 0.0, e,
                       h);
        }
    }
    if (rc == BB_OK)
        rc = o->err;
out:
    free(t);
    free(w);
    return rc;
}

int survey_report_wave(const struct domain_ctx *d, int64_t wave_id, struct survey_report_opts *o)
{
    struct store_wave w;
    struct trend t;
    int rc = store_wave_get(d->st, wave_id, &w);
    if (rc != BB_OK)
        return rc;
    if (o->csv)
        out_printf(o, "wave,group,metric,value\n");
    rc = report_wave(d, &w, o, &t);
    return rc == BB_OK ? o->err : rc;
}

/* ---- trends across waves ------------------------------------------------------ */

static int trend_wave(const struct domain_ctx *d, int k, struct survey_trend_wave *t)
{
    struct survey_agg a;
    struct store_unit_count *u = NULL;
    int nu = 0;
    int rc = survey_wave_aggregate(d, t->w.id, k, &a, &u, &nu, &t->invited, &t->answered);
    free(u);
    if (rc == BB_OK && survey_agg_shown(&a, k)) {
        const struct survey_group *g = &a.total;
        t->shown = 1;
        t->responses = g->responses;
        t->left_out = a.left_out;
        t->has_enps = survey_enps(g->enps_prom, g->enps_det, g->enps_n, &t->enps) == BB_OK;
        t->enps_n = g->enps_n;
        t->has_who5 = g->who5.n > 0;
        t->who5 = survey_who5_index(&g->who5);
        for (int i = 0; i < g->nq && t->nq < SURVEY_MAXQ; i++) {
            struct survey_trend_q *q = &t->q[t->nq++];
            bb_strlcpy(q->name, g->q[i].name, sizeof(q->name));
            q->is_text = g->q[i].is_text;
            q->n = g->q[i].n;
            q->mean = q->n && !q->is_text ? g->q[i].sum / (double)q->n : 0.0;
            memcpy(q->hist, g->q[i].hist, sizeof(q->hist));
        }
    } else if (rc == BB_OK) {
        /* under k: nothing of it, not even the answered count */
        t->answered = 0;
    }
    survey_agg_free(&a);
    return rc;
}

int survey_trend(const struct domain_ctx *d, const char *flow_id, int k,
                 struct survey_trend_wave **out, int *n)
{
    struct store_wave *w = NULL;
    int nw = 0, rc = store_wave_list(d->st, flow_id, &w, &nw);
    *out = NULL;
    *n = 0;
    if (rc == BB_OK && nw == 0)
        rc = BB_ENOTFOUND;
    if (rc == BB_OK && !(*out = calloc((size_t)nw, sizeof(**out))))
        rc = BB_ENOMEM;
    for (int i = 0; rc == BB_OK && i < nw; i++) {
        (*out)[i].w = w[i];
        rc = trend_wave(d, k, &(*out)[i]);
    }
    free(w);
    if (rc != BB_OK) {
        free(*out);
        *out = NULL;
        return rc;
    }
    *n = nw;
    return BB_OK;
}

static void trend_row(struct survey_report_opts *o, const struct survey_trend_wave *t,
                      const char *metric, const char *value)
{
    char start[32];
    bb_format_iso8601(t->w.start_at, start, sizeof(start));
    out_printf(o, "%" PRId64 ",%s,", t->w.id, start);
    csv_field(o, metric);
    out_printf(o, ",");
    csv_field(o, value);
    out_printf(o, "\n");
}

int survey_trend_csv(const struct domain_ctx *d, const char *flow_id, struct survey_report_opts *o)
{
    struct survey_trend_wave *t = NULL;
    char metric[96], val[64];
    int n = 0, rc = survey_trend(d, flow_id, o->k, &t, &n);
    if (rc != BB_OK)
        return rc;
    out_printf(o, "wave,start,metric,value\n");
    for (int i = 0; i < n; i++) {
        if (!t[i].shown) {
            trend_row(o, &t[i], "suppressed", "fewer answers than the anonymity threshold");
            continue;
        }
        bb_snprintf(val, sizeof(val), "%" PRId64, t[i].responses);
        trend_row(o, &t[i], "responses", val);
        bb_snprintf(val, sizeof(val), "%.1f",
                    t[i].invited ? 100.0 * (double)t[i].answered / (double)t[i].invited : 0.0);
        trend_row(o, &t[i], "response_rate_pct", val);
        if (t[i].has_enps) {
            bb_snprintf(val, sizeof(val), "%.1f", t[i].enps);
            trend_row(o, &t[i], "enps", val);
        }
        if (t[i].has_who5) {
            bb_snprintf(val, sizeof(val), "%.1f", t[i].who5);
            trend_row(o, &t[i], "who5.index", val);
        }
        for (int j = 0; j < t[i].nq; j++) {
            const struct survey_trend_q *q = &t[i].q[j];
            bb_snprintf(metric, sizeof(metric), "%s.n", q->name);
            bb_snprintf(val, sizeof(val), "%" PRId64, q->n);
            trend_row(o, &t[i], metric, val);
            if (q->is_text)
                continue;
            bb_snprintf(metric, sizeof(metric), "%s.mean", q->name);
            bb_snprintf(val, sizeof(val), "%.2f", q->mean);
            trend_row(o, &t[i], metric, val);
            for (int v = 0; v <= 10; v++) {
                if (!q->hist[v])
                    continue;
                bb_snprintf(metric, sizeof(metric), "%s.%d", q->name, v);
                bb_snprintf(val, sizeof(val), "%" PRId64, q->hist[v]);
                trend_row(o, &t[i], metric, val);
            }
        }
    }
    free(t);
    return o->err;
}
