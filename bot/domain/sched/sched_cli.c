/*
 * sched_cli.c - `bimbing sched plan|status|show`: the scheduler's CLI row
 * (sched_cmds, listed by the module in sched.c). Called by the command
 * line only (adapters/service), on the CLI's only thread.
 */
#include "bot/domain/sched/sched.h"
#include "bot/base/bb.h"
#include "store/store_sched.h"

#include <stdio.h>
#include <string.h>

/* ---- the CLI: bimbing sched plan|status|show ------------------------------------------ */

static void print_time(const struct tz *z, int64_t t, char *out, size_t n)
{
    int y, mon, d, h, mi, wday;
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    tz_utc_to_local(z, t, &y, &mon, &d, &h, &mi, &wday);
    bb_snprintf(out, n, "%s %04d-%02d-%02d %02d:%02d", days[(wday - 1) % 7], y, mon, d, h, mi);
}

static int cmd_show(const struct domain_ctx *d, const char *nip)
{
    struct store_person p;
    struct store_sched_plan plans[16];
    struct tz_cache *tc = NULL;
    const struct tz *z = NULL;
    int n = 0, rc;
    rc = store_person_by_nip(d->st, nip, &p);
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: sched show: no person with NIP %s\n", nip);
        return 1;
    }
    rc = store_sched_plans_of(d->st, p.id, plans, 16, &n);
    if (rc == BB_OK)
        rc = tz_cache_new(&tc);
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: sched show: %s\n", bb_strerror(rc));
        return 1;
    }
    if (tz_cache_get(tc, p.tz, &z) != BB_OK)
        tz_cache_get(tc, SCHED_DEFAULT_TZ, &z);
    if (n == 0)
        printf("%s: nothing planned\n", p.nip);
    for (int i = 0; i < n; i++) {
        char utc[32], local[48];
        bb_format_iso8601(plans[i].due, utc, sizeof(utc));
        print_time(z, plans[i].due, local, sizeof(local));
        printf("%s\t%s\t%s (%s)\t%s\n", plans[i].flow_id, utc, local, p.tz,
               plans[i].timer_id ? "planned" : "fired, next not planned yet");
    }
    tz_cache_free(tc);
    return 0;
}

static int cmd_sched(const struct domain_ctx *d0, int argc, char **argv)
{
    struct domain_ctx d = *d0;
    const char *sub = argc > 1 ? argv[1] : "";
    const char *nip = NULL;
    int full = 0;
    for (int i = 2; i < argc; i++) {
        int64_t t;
        if (strcmp(argv[i], "--at") == 0 && i + 1 < argc) {
            if (bb_parse_iso8601(argv[++i], &t) != BB_OK) {
                fprintf(stderr,
                        "bimbing: bad time \"%s\" (use ISO-8601, e.g. "
                        "2026-12-01T09:00:00Z)\n",
                        argv[i]);
                return 2;
            }
            bb_clock_set(t);
            d.now = t;
        } else if (strcmp(argv[i], "--full") == 0 && strcmp(sub, "plan") == 0) {
            full = 1;
        } else if (strcmp(sub, "show") == 0 && !nip && argv[i][0] != '-') {
            nip = argv[i];
        } else {
            fprintf(stderr, "bimbing: sched: unexpected argument '%s'\n", argv[i]);
            return 2;
        }
    }
    if (strcmp(sub, "plan") == 0) {
        int did = 0;
        int rc = sched_plan_all(&d, full, &did);
        if (rc != BB_OK) {
            fprintf(stderr, "bimbing: sched plan: %s (%s)\n", bb_strerror(rc), store_errmsg(d.st));
            return 1;
        }
        printf("%d timer(s) planned, moved or removed\n", did);
        return 0;
    }
    if (strcmp(sub, "status") == 0) {
        struct store_sched_counts c;
        char next[32] = "-", sweep[32] = "done";
        int rc = store_sched_counts(d.st, d.now, &c);
        if (rc != BB_OK) {
            fprintf(stderr, "bimbing: sched status: %s (%s)\n", bb_strerror(rc),
                    store_errmsg(d.st));
            return 1;
        }
        store_sched_meta_get(d.st, SCHED_META_SWEEP, sweep, sizeof(sweep));
        if (c.next_due)
            bb_format_iso8601(c.next_due, next, sizeof(next));
        printf("plans: %lld\npending: %lld\noverdue: %lld\nqueued: %lld\nnext: %s\n"
               "re-plan: %s\n",
               (long long)c.plans, (long long)c.pending, (long long)c.overdue, (long long)c.dirty,
               next, strcmp(sweep, "done") == 0 ? "done" : "running");
        return 0;
    }
    if (strcmp(sub, "show") == 0 && nip)
        return cmd_show(&d, nip);
    fprintf(stderr, "usage: bimbing sched plan [--full] [--at TIME] | status [--at TIME] | "
                    "show NIP\n");
    return 2;
}

const struct domain_cmd sched_cmds[] = {
    {"sched",
     "HR and mentoring",
     {{"sched plan [--full] [--at TIME]",
       "plan recurring flows now, to the end (--full: everyone)"},
      {"sched status [--at TIME]", "planned, overdue and queued recurring flows"},
      {"sched show NIP", "a person's planned recurring flows, in UTC and local time"}},
     cmd_sched},
    {NULL, NULL, {{NULL, NULL}}, NULL},
};
