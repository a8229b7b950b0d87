/*
 * survey_cli.c - the survey module's CLI: `bimbing survey send|report|list|
 * close` and `bimbing broadcast`, one row each (survey_cmds, listed by the
 * module in survey.c). Called by the command line only (adapters/service).
 *
 * Thread rules: the CLI's only thread; no global mutable state.
 */
#include "bot/domain/survey/survey_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- CLI ---------------------------------------------------------------------- */

/* --as NIP: the person must be HR or admin; the actor is their NIP. */
static int cli_actor(const struct domain_ctx *d, const char *as, char *actor, size_t n)
{
    struct store_person p;
    if (!as) {
        bb_strlcpy(actor, "cli", n);
        return BB_OK;
    }
    if (store_person_by_nip(d->st, as, &p) != BB_OK) {
        fprintf(stderr, "bimbing: no person with NIP %s\n", as);
        return BB_ENOTFOUND;
    }
    if (!survey_is_staff(p.role)) {
        fprintf(stderr, "bimbing: only HR or admin may do this (%s is %s)\n", as, p.role);
        store_audit(d->st, p.nip, "survey.refused", p.id, "not hr or admin", d->now);
        return BB_EPERM;
    }
    bb_strlcpy(actor, p.nip, n);
    return BB_OK;
}

static int usage_err(const char *msg, const char *arg)
{
    fprintf(stderr, "bimbing: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    return 2;
}

/* Resolve the segment `to` into *seg (people_segment.h). 0, or the exit
 * code to give: 2 for a refused segment (the reason on stderr), 1 for a
 * store error. */
static int segment_arg(const struct domain_ctx *d, const char *to, struct people_segment *seg)
{
    int rc = people_segment_resolve(d->st, to, seg);
    if (rc == BB_EINVAL) {
        fprintf(stderr, "bimbing: %s; nothing was queued\n", seg->msg);
        return 2;
    }
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: cannot read the people: %s\n", store_errmsg(d->st));
        return 1;
    }
    return 0;
}

/* "<command> <sub> ID [--as NIP]": the id (positive) and the actor (see
 * cli_actor). Returns 0, or the exit code to give (2 with the usage). */
static int id_and_actor(const struct domain_ctx *d, int argc, char **argv, const char *usage,
                        long long *id, char *actor, size_t n)
{
    const char *as = NULL;
    char msg[96];
    if (argc < 3 || bb_parse_ll(argv[2], 1, INT64_MAX, id) != BB_OK)
        return usage_err(usage, NULL);
    if (argc == 5 && !strcmp(argv[3], "--as"))
        as = argv[4];
    else if (argc != 3) {
        bb_snprintf(msg, sizeof(msg), "%s [--as NIP]", usage);
        return usage_err(msg, NULL);
    }
    return cli_actor(d, as, actor, n) != BB_OK ? 1 : 0;
}

/* "2", "2w": a number of weeks, 1..SURVEY_EVERY_MAX. */
static int parse_weeks(const char *v, int *out)
{
    char num[8];
    long long n;
    size_t len = strlen(v);
    if (len && v[len - 1] == 'w')
        len--;
    if (len == 0 || len >= sizeof(num))
        return BB_EINVAL;
    memcpy(num, v, len);
    num[len] = '\0';
    if (bb_parse_ll(num, 1, SURVEY_EVERY_MAX, &n) != BB_OK)
        return BB_EINVAL;
    *out = (int)n;
    return BB_OK;
}

static int cmd_survey_send(const struct domain_ctx *d, int argc, char **argv)
{
    const char *as = NULL;
    int64_t close_after = SURVEY_CLOSE_AFTER, remind_after = SURVEY_REMIND_AFTER, series = 0;
    int no_remind = 0, rc;
    char actor[64], err[SURVEY_ERR_MAX], d0[32], d1[32], d2[32];
    struct people_segment seg;
    struct survey_plan p = {.at = d->now};
    int64_t unlinked = 0;
    struct store_wave w;

    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--to") && v) {
            p.to = v;
            i++;
        } else if (!strcmp(a, "--at") && v) {
            if (survey_parse_when(v, d->now, &p.at) != BB_OK)
                return usage_err("bad time for --at", v);
            i++;
        } else if (!strcmp(a, "--close-at") && v) {
            if (survey_parse_when(v, d->now, &p.close_at) != BB_OK)
                return usage_err("bad time for --close-at", v);
            i++;
        } else if (!strcmp(a, "--close-after") && v) {
            if (bb_parse_duration(v, &close_after) != BB_OK || close_after <= 0)
                return usage_err("bad duration for --close-after", v);
            i++;
        } else if (!strcmp(a, "--remind-after") && v) {
            if (bb_parse_duration(v, &remind_after) != BB_OK || remind_after <= 0)
                return usage_err("bad duration for --remind-after", v);
            i++;
        } else if (!strcmp(a, "--no-remind")) {
            no_remind = 1;
        } else if (!strcmp(a, "--every") && v) {
            if (parse_weeks(v, &p.every_weeks) != BB_OK)
                return usage_err("--every takes 1 to 52 weeks (2 or 2w)", v);
            i++;
        } else if (!strcmp(a, "--as") && v) {
            as = v;
            i++;
        } else if (a[0] != '-' && !p.flow_id) {
            p.flow_id = a;
        } else {
            return usage_err("survey send: unknown argument", a);
        }
    }
    if (!p.flow_id || !p.to)
        return usage_err("usage: survey send FLOW --to SEGMENT [--at TIME] [--close-at TIME | "
                         "--close-after DUR] [--remind-after DUR | --no-remind] [--every WEEKS]",
                         NULL);
    if ((rc = segment_arg(d, p.to, &seg)) != 0)
        return rc;
    p.to = seg.spec;
    if (!p.close_at)
        p.close_at = p.at + close_after;
    if (p.close_at <= p.at)
        return usage_err("the wave must close after it starts", NULL);
    p.remind_at = no_remind || p.at + remind_after >= p.close_at ? 0 : p.at + remind_after;
    if (cli_actor(d, as, actor, sizeof(actor)) != BB_OK)
        return 1;
    rc = survey_schedule(d, &p, actor, &w, &series, &unlinked, err);
    if (rc == BB_ENOTFOUND || rc == BB_EINVAL) {
        fprintf(stderr, "bimbing: %s\n", err);
        return 1;
    }
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: survey send failed: %s\n", store_errmsg(d->st));
        return 1;
    }
    bb_format_iso8601(w.start_at, d0, sizeof(d0));
    bb_format_iso8601(w.close_at, d1, sizeof(d1));
    if (w.remind_at)
        bb_format_iso8601(w.remind_at, d2, sizeof(d2));
    else
        bb_strlcpy(d2, "none", sizeof(d2));
    printf("wave %" PRId64 ": %" PRId64 " invited (%" PRId64
           " in the segment have no chat linked); starts %s, reminder %s, closes %s\n",
           w.id, w.invited, unlinked, d0, d2, d1);
    if (series)
        printf("series %" PRId64 ": a new wave every %d week(s); stop it with `bimbing survey "
               "stop %" PRId64 "`\n",
               series, p.every_weeks, series);
    return 0;
}

static int cmd_survey_series(const struct domain_ctx *d)
{
    struct store_series *s = NULL;
    int n = 0;
    if (store_series_list(d->st, NULL, &s, &n) != BB_OK) {
        fprintf(stderr, "bimbing: %s\n", store_errmsg(d->st));
        return 1;
    }
    for (int i = 0; i < n; i++) {
        char a[32];
        bb_format_iso8601(s[i].stopped_at ? s[i].stopped_at : s[i].next_at, a, sizeof(a));
        printf("%" PRId64 "\t%s\t%s\tevery %d week(s)\t%s %s\n", s[i].id, s[i].flow_id,
               s[i].segment, s[i].every_weeks, s[i].stopped_at ? "stopped" : "next", a);
    }
    free(s);
    return 0;
}

static int cmd_survey_stop(const struct domain_ctx *d, int argc, char **argv)
{
    long long id;
    char actor[64], err[SURVEY_ERR_MAX];
    int rc = id_and_actor(d, argc, argv, "usage: survey stop SERIES", &id, actor, sizeof(actor));
    if (rc != 0)
        return rc;
    rc = survey_series_stop(d, id, actor, err);
    if (rc == BB_ENOTFOUND || rc == BB_EEXIST) {
        fprintf(stderr, "bimbing: %s\n", err);
        return 1;
    }
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: survey stop: %s\n", store_errmsg(d->st));
        return 1;
    }
    printf("series %lld stopped; its waves stay as they are\n", id);
    return 0;
}

static int cmd_survey_trend(const struct domain_ctx *d, int argc, char **argv)
{
    struct bb_buf buf;
    struct survey_report_opts o = {.k = survey_k(d->cfg), .csv = 1, .out = &buf};
    if (argc != 3 && !(argc == 4 && !strcmp(argv[3], "--csv")))
        return usage_err("usage: survey trend FLOW [--csv]", NULL);
    bb_buf_init(&buf, SURVEY_REPORT_MAX);
    int rc = survey_trend_csv(d, argv[2], &o);
    if (rc == BB_ENOTFOUND)
        fprintf(stderr, "bimbing: no waves of %s yet\n", argv[2]);
    else if (rc != BB_OK)
        fprintf(stderr, "bimbing: survey trend: %s\n", store_errmsg(d->st));
    else if (buf.len)
        fwrite(buf.data, 1, buf.len, stdout);
    bb_buf_free(&buf);
    return rc == BB_OK ? 0 : 1;
}

static int cmd_survey_report(const struct domain_ctx *d, int argc, char **argv)
{
    const char *flow_id = NULL, *as = NULL;
    struct bb_buf buf;
    struct survey_report_opts o = {.k = survey_k(d->cfg), .out = &buf};
    char actor[64], detail[160];
    int rc;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--by") && i + 1 < argc && !strcmp(argv[i + 1], "unit")) {
            o.by_unit = 1;
            i++;
        } else if (!strcmp(argv[i], "--csv")) {
            o.csv = 1;
        } else if (!strcmp(argv[i], "--as") && i + 1 < argc) {
            as = argv[++i];
        } else if (argv[i][0] != '-' && !flow_id) {
            flow_id = argv[i];
        } else {
            return usage_err("survey report: unknown argument (usage: survey report FLOW "
                             "[--by unit] [--csv])",
                             argv[i]);
        }
    }
    if (!flow_id)
        return usage_err("usage: survey report FLOW [--by unit] [--csv]", NULL);
    if (cli_actor(d, as, actor, sizeof(actor)) != BB_OK)
        return 1;
    bb_buf_init(&buf, SURVEY_REPORT_MAX);
    rc = survey_report_flow(d, flow_id, &o);
    if (rc == BB_ENOTFOUND) {
        fprintf(stderr, "bimbing: no waves of %s yet\n", flow_id);
        bb_buf_free(&buf);
        return 1;
    }
    bb_snprintf(detail, sizeof(detail), "report of %s%s", flow_id, o.by_unit ? " by unit" : "");
    if (rc == BB_OK)
        rc = store_audit(d->st, actor, "survey.report", 0, detail, d->now);
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: survey report: %s\n",
                rc == BB_ELIMIT ? "the report is too large" : store_errmsg(d->st));
        bb_buf_free(&buf);
        return 1;
    }
    if (buf.len)
        fwrite(buf.data, 1, buf.len, stdout);
    bb_buf_free(&buf);
    return 0;
}

static int cmd_survey_list(const struct domain_ctx *d)
{
    struct store_wave *w = NULL;
    int n = 0;
    if (store_wave_list(d->st, NULL, &w, &n) != BB_OK) {
        fprintf(stderr, "bimbing: %s\n", store_errmsg(d->st));
        return 1;
    }
    for (int i = 0; i < n; i++) {
        char a[32], b[32];
        bb_format_iso8601(w[i].start_at, a, sizeof(a));
        bb_format_iso8601(w[i].close_at, b, sizeof(b));
        printf("%" PRId64 "\t%s\t%s\t%" PRId64 " invited\t%s\t%s\t%s\n", w[i].id, w[i].flow_id,
               w[i].segment, w[i].invited, a, b, w[i].closed ? "closed" : "open");
    }
    free(w);
    return 0;
}

static int cmd_survey_close(const struct domain_ctx *d, int argc, char **argv)
{
    long long id;
    char actor[64], err[SURVEY_ERR_MAX];
    int rc = id_and_actor(d, argc, argv, "usage: survey close WAVE", &id, actor, sizeof(actor));
    if (rc != 0)
        return rc;
    rc = survey_wave_close_now(d, id, actor, err);
    if (rc == BB_ENOTFOUND || rc == BB_EEXIST) {
        fprintf(stderr, "bimbing: %s\n", err);
        return 1;
    }
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: survey close: %s\n", store_errmsg(d->st));
        return 1;
    }
    printf("wave %lld closed\n", id);
    return 0;
}

static int cmd_survey(const struct domain_ctx *d, int argc, char **argv)
{
    if (argc < 2)
        return usage_err("survey: say send, report, trend, list, close, series or stop", NULL);
    if (!strcmp(argv[1], "send"))
        return cmd_survey_send(d, argc, argv);
    if (!strcmp(argv[1], "report"))
        return cmd_survey_report(d, argc, argv);
    if (!strcmp(argv[1], "list"))
        return cmd_survey_list(d);
    if (!strcmp(argv[1], "close"))
        return cmd_survey_close(d, argc, argv);
    if (!strcmp(argv[1], "series"))
        return cmd_survey_series(d);
    if (!strcmp(argv[1], "stop"))
        return cmd_survey_stop(d, argc, argv);
    if (!strcmp(argv[1], "trend"))
        return cmd_survey_trend(d, argc, argv);
    return usage_err("survey: unknown subcommand", argv[1]);
}

static int cmd_broadcast_status(const struct domain_ctx *d, int argc, char **argv)
{
    long long id;
    char actor[64], detail[64];
    struct store_broadcast b;
    int64_t c[7];
    int rc = id_and_actor(d, argc, argv, "usage: broadcast status ID", &id, actor, sizeof(actor));
    if (rc != 0)
        return rc;
    if (store_broadcast_get(d->st, id, &b) != BB_OK) {
        fprintf(stderr, "bimbing: no broadcast %lld\n", id);
        return 1;
    }
    bb_snprintf(detail, sizeof(detail), "status of broadcast %lld", id);
    if (store_batch_status(d->st, id, c) != BB_OK ||
        store_audit(d->st, actor, "broadcast.status", 0, detail, d->now) != BB_OK) {
        fprintf(stderr, "bimbing: broadcast status: %s\n", store_errmsg(d->st));
        return 1;
    }
    printf("broadcast %lld to %s: %" PRId64 " recipient(s)\n", id, b.segment, b.recipients);
    if (b.cancelled_at)
        printf("cancelled by %s: %" PRId64 " queued message(s) dropped\n", b.cancelled_by,
               b.dropped);
    /* "sending" (handed to the network) is shown as queued: not sent yet. */
    printf("queued %" PRId64 "\nsent %" PRId64 "\ndelivered %" PRId64 "\nread %" PRId64
           "\nfailed %" PRId64 "\nblocked %" PRId64 "\n",
           c[0] + c[1], c[2], c[3], c[4], c[5], c[6]);
    return 0;
}

static int cmd_broadcast_cancel(const struct domain_ctx *d, int argc, char **argv)
{
    long long id;
    char actor[64];
    int64_t dropped = 0;
    int rc = id_and_actor(d, argc, argv, "usage: broadcast cancel ID", &id, actor, sizeof(actor));
    if (rc != 0)
        return rc;
    rc = survey_broadcast_cancel(d, id, actor, &dropped);
    if (rc == BB_ENOTFOUND) {
        fprintf(stderr, "bimbing: no broadcast %lld\n", id);
        return 1;
    }
    if (rc == BB_EEXIST) {
        fprintf(stderr,
                "bimbing: broadcast %lld was cancelled already, or all of it has been sent\n", id);
        return 1;
    }
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: broadcast cancel: %s\n", store_errmsg(d->st));
        return 1;
    }
    printf("broadcast %lld cancelled: %" PRId64 " queued message(s) dropped\n", id, dropped);
    return 0;
}

static int cmd_broadcast(const struct domain_ctx *d, int argc, char **argv)
{
    const char *to = NULL, *text = NULL, *t_id = NULL, *t_en = NULL, *as = NULL;
    int64_t at = d->now, id = 0, n = 0;
    struct people_segment seg;
    char actor[64];
    int rc;
    if (argc >= 2 && !strcmp(argv[1], "status"))
        return cmd_broadcast_status(d, argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "cancel"))
        return cmd_broadcast_cancel(d, argc, argv);
    for (int i = 1; i < argc; i += 2) { /* --option value pairs */
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return usage_err("broadcast: missing value or unknown argument", a);
        if (!strcmp(a, "--to"))
            to = v;
        else if (!strcmp(a, "--text"))
            text = v;
        else if (!strcmp(a, "--text-id"))
            t_id = v;
        else if (!strcmp(a, "--text-en"))
            t_en = v;
        else if (!strcmp(a, "--as"))
            as = v;
        else if (!strcmp(a, "--at")) {
            if (survey_parse_when(v, d->now, &at) != BB_OK)
                return usage_err("bad time for --at", v);
        } else
            return usage_err("broadcast: unknown argument", a);
    }
    if (text && !t_id)
        t_id = text;
    if (text && !t_en)
        t_en = text;
    if (!to || !t_id || !t_en)
        return usage_err("usage: broadcast --to SEGMENT (--text TEXT | --text-id TEXT --text-en "
                         "TEXT) [--at TIME]",
                         NULL);
    if (!survey_text_ok(t_id) || !survey_text_ok(t_en))
        return usage_err("the text must be valid UTF-8, 1 to 4096 bytes, without "
                         "direction-override characters (U+202A-U+202E, U+2066-U+2069)",
                         NULL);
    if (cli_actor(d, as, actor, sizeof(actor)) != BB_OK)
        return 1;
    if ((rc = segment_arg(d, to, &seg)) != 0)
        return rc;
    if (survey_broadcast_queue(d, seg.kind, seg.value, seg.spec, t_id, t_en, at, actor, &id, &n) !=
        BB_OK) {
        fprintf(stderr, "bimbing: broadcast failed: %s\n", store_errmsg(d->st));
        return 1;
    }
    printf("broadcast %" PRId64 ": %" PRId64 " message(s) queued\n", id, n);
    return 0;
}

const struct domain_cmd survey_cmds[] = {
    {"survey",
     "HR and mentoring",
     {{"survey send FLOW --to SEGMENT [--at TIME] [--close-at TIME | --close-after DUR]\n"
       "         [--remind-after DUR | --no-remind] [--as NIP]",
       "send a survey wave (SEGMENT: all, unit=NAME, role=ROLE); a later start, the "
       "reminder and the close move into working time"},
      {"survey report FLOW [--by unit] [--csv] [--as NIP]",
       "anonymous results of every wave (k-anonymity applies)"},
      {"survey list | survey close WAVE", "the waves; close one now"},
      {"survey send FLOW --to SEGMENT --every WEEKS [...]",
       "a recurring pulse: a new wave every WEEKS weeks (1-52)"},
      {"survey series | survey stop SERIES", "the recurring series; stop one"},
      {"survey trend FLOW [--csv]", "every wave's figures per question, eNPS, WHO-5 (CSV)"}},
     cmd_survey},
    {"broadcast",
     "HR and mentoring",
     {{"broadcast --to SEGMENT (--text TEXT | --text-id TEXT --text-en TEXT) [--at TIME]",
       "send a message to many people (bulk priority)"},
      {"broadcast status ID", "queued, sent, delivered, read, failed, blocked"},
      {"broadcast cancel ID", "drop what is still queued of a (scheduled) broadcast"}},
     cmd_broadcast},
    {NULL, NULL, {{NULL, NULL}}, NULL},
};
