/*
 * work_cli.c - `bimbing work show|set|leave NIP ...` (a person's working
 * week and leave, for HR) and `bimbing holidays list|check` (the holiday
 * file): the CLI rows of the work module (work_cmds, listed in work.c).
 * Called by the command line only (adapters/service), on its only thread.
 */
#include "bot/domain/work/work.h"
#include "bot/base/bb.h"
#include "bot/base/cal.h"
#include "bot/core/worktime.h"
#include "store/store_work.h"

#include <stdio.h>
#include <string.h>

/* The instance's week as configured (a bad one is reported by setup). */
static void instance_week(const struct domain_ctx *d, struct work_hours *h)
{
    char err[200];
    work_hours_default(h);
    if (d->cfg)
        work_hours_parse(d->cfg->work_days, d->cfg->work_hours, h, err, sizeof(err));
}

static int show(const struct domain_ctx *d, const struct store_person *p)
{
    struct store_work w;
    struct work_hours h;
    char days[48], hours[16], leave[32] = "none", err[200];
    if (store_work_get(d->st, p->id, &w) != BB_OK) {
        fprintf(stderr, "bimbing: work: %s\n", store_errmsg(d->st));
        return 1;
    }
    instance_week(d, &h);
    if (work_hours_parse(w.days, w.hours, &h, err, sizeof(err)) != BB_OK)
        fprintf(stderr, "bimbing: work: stored for %s: %s; the instance's week applies\n", p->nip,
                err);
    work_hours_format(&h, days, sizeof(days), hours, sizeof(hours));
    if (w.leave_until != STORE_WORK_NO_LEAVE)
        cal_format_iso(w.leave_until, leave, sizeof(leave));
    printf("%s\t%s\tdays %s%s\thours %s%s\tleave until %s\n", p->nip, p->tz, days,
           w.days[0] ? "" : " (instance)", hours, w.hours[0] ? "" : " (instance)", leave);
    return 0;
}

static int cmd_work(const struct domain_ctx *d, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "", *nip = argc > 2 ? argv[2] : NULL;
    const char *days = NULL, *hours = NULL, *until = NULL;
    struct store_person p;
    char err[200];
    if (!nip || (strcmp(sub, "show") && strcmp(sub, "set") && strcmp(sub, "leave")))
        goto usage;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--days") && i + 1 < argc && !strcmp(sub, "set"))
            days = argv[++i];
        else if (!strcmp(argv[i], "--hours") && i + 1 < argc && !strcmp(sub, "set"))
            hours = argv[++i];
        else if (!strcmp(sub, "leave") && !until)
            until = argv[i];
        else
            goto usage;
    }
    if (store_person_by_nip(d->st, nip, &p) != BB_OK) {
        fprintf(stderr, "bimbing: work: no person with NIP %s\n", nip);
        return 1;
    }
    if (!strcmp(sub, "show"))
        return show(d, &p);
    if (!strcmp(sub, "set")) {
        struct work_hours h;
        work_hours_default(&h);
        if (!days && !hours)
            goto usage;
        /* "" (or "default") returns to the instance's; anything else must parse */
        if (days && !strcmp(days, "default"))
            days = "";
        if (hours && !strcmp(hours, "default"))
            hours = "";
        if (work_hours_parse(days, hours, &h, err, sizeof(err)) != BB_OK) {
            fprintf(stderr, "bimbing: work set: %s; nothing changed\n", err);
            return 1;
        }
        if (store_work_set_hours(d->st, p.id, days, hours) != BB_OK) {
            fprintf(stderr, "bimbing: work set: %s\n", store_errmsg(d->st));
            return 1;
        }
        return show(d, &p);
    }
    int64_t day = STORE_WORK_NO_LEAVE;
    if (!until || (strcmp(until, "none") && cal_parse_iso(until, &day) != 0)) {
        fprintf(stderr, "bimbing: work leave: give the last day of leave as YYYY-MM-DD, or "
                        "none; nothing changed\n");
        return 1;
    }
    if (store_work_set_leave(d->st, p.id, day, d->now) != BB_OK) {
        fprintf(stderr, "bimbing: work leave: %s\n", store_errmsg(d->st));
        return 1;
    }
    return show(d, &p);
usage:
    fprintf(stderr, "usage: bimbing work show NIP | set NIP [--days D] [--hours HH:MM-HH:MM] | "
                    "leave NIP YYYY-MM-DD|none\n");
    return 2;
}

static int cmd_holidays(const struct domain_ctx *d, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    const char *path = d->cfg && d->cfg->holidays[0] ? d->cfg->holidays : "config/holidays.json";
    long long year = 0;
    struct work_holidays *h = NULL;
    char err[400];
    if (!strcmp(sub, "check") && argc <= 3) {
        if (argc == 3)
            path = argv[2];
    } else if (!strcmp(sub, "list") && argc <= 3) {
        if (argc == 3 && bb_parse_ll(argv[2], 2000, 2200, &year) != BB_OK)
            goto usage;
    } else {
        goto usage;
    }
    if (work_holidays_load(path, &h, err, sizeof(err)) != BB_OK) {
        fprintf(stderr, "bimbing: holidays: %s\n", err);
        return 1;
    }
    for (int i = 0; i < work_holidays_nyears(h); i++) {
        const struct work_year *y = work_holidays_year(h, i);
        if (year && y->year != year)
            continue;
        printf("%d: %d day(s); source: %s\n", y->year, y->ndays,
               y->source[0] ? y->source : "none (the decree is not in the file yet)");
    }
    if (!strcmp(sub, "list"))
        for (int i = 0; i < work_holidays_ndays(h); i++) {
            const struct work_day *x = work_holidays_day(h, i);
            char ymd[16], wd[64];
            int64_t y;
            int m, dd;
            cal_civil_from_days(x->day, &y, &m, &dd);
            if (year && y != year)
                continue;
            cal_format_iso(x->day, ymd, sizeof(ymd));
            work_format_day(x->day, 1, wd, sizeof(wd));
            printf("%s\t%.3s\t%s\t%s\n", ymd, wd,
                   x->kind == WORK_HOLIDAY ? "holiday" : "cuti_bersama", x->name[0]);
        }
    else
        printf("%s: ok\n", path);
    work_holidays_free(h);
    return 0;
usage:
    fprintf(stderr, "usage: bimbing holidays list [YEAR] | check [FILE]\n");
    return 2;
}

const struct domain_cmd work_cmds[] = {
    {"work",
     "HR and mentoring",
     {{"work show NIP", "a person's working days, hours and leave (docs/coaching.md)"},
      {"work set NIP [--days mon-fri] [--hours 07:30-16:00]",
       "their own working week (\"default\": the instance's)"},
      {"work leave NIP YYYY-MM-DD|none", "on leave through that day, or back"}},
     cmd_work},
    {"holidays",
     "HR and mentoring",
     {{"holidays list [YEAR]", "national holidays and cuti bersama of the holiday file"},
      {"holidays check [FILE]", "check a holiday file (before replacing the one in use)"}},
     cmd_holidays},
    {NULL, NULL, {{NULL, NULL}}, NULL},
};
