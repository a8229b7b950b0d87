/*
 * sched.c - the scheduler: plans recurring flows (the weekly check-in) at
 * each person's local time as "flow" timers, incrementally (see sched.h
 * and docs/scheduler.md). A domain module: its tick runs on the core
 * thread every second in `serve` and once per `bimbing tick`; its CLI
 * (sched_cli.c) on the CLI's thread. It keeps no state outside the store: a
 * tick's working set (the schedule flows, a zone cache) lives on the stack
 * for that call.
 */
#include "bot/domain/sched/sched.h"
#include "bot/base/bb.h"
#include "store/store_sched.h"

#include <stdlib.h>
#include <string.h>

#define SCHED_MAX_FLOWS 64  /* schedule flows considered (more are ignored, with a warning) */
#define SCHED_MAX_PLANS 128 /* plans read per person at once */
#define SCHED_RULE_MAX  256

struct sched_flow {
    const struct flow *f;
    char rule[SCHED_RULE_MAX];
};

/* One call's working state. */
struct sched_run {
    const struct domain_ctx *d;
    struct tz_cache *tz;
    struct sched_flow flows[SCHED_MAX_FLOWS];
    int nflows;
    char sig[24]; /* hex signature of the flows' rules */
    int changed;  /* timers created, moved or removed */
};

/* ---- occurrences ------------------------------------------------------------ */

static int rule_matches(const struct flow_trigger *t, int d, int wday)
{
    if (strcmp(t->every, "day") == 0)
        return 1;
    if (strcmp(t->every, "week") == 0)
        return wday == t->day;
    return d == t->day; /* month */
}

int sched_next(const struct tz *z, const struct flow_trigger *t, int64_t after, int64_t *out)
{
    int y, mon, d, rc;
    int64_t noon;
    if (!z || !t || !out || t->type != FLOW_TRIG_SCHEDULE || t->at_min < 0 || t->at_min >= 24 * 60)
        return BB_EINVAL;
    if (strcmp(t->every, "day") != 0 &&
        !(strcmp(t->every, "week") == 0 && t->day >= 1 && t->day <= 7) &&
        !(strcmp(t->every, "month") == 0 && t->day >= 1 && t->day <= 28))
        return BB_EINVAL;
    /* Walk the local calendar from the day of `after`, by local noons (a
     * DST change moves noon by an hour, never to another date). */
    tz_utc_to_local(z, after, &y, &mon, &d, NULL, NULL, NULL);
    rc = tz_local_to_utc(z, y, mon, d, 12, 0, &noon);
    if (rc != BB_OK)
        return rc;
    for (int k = 0; k <= 62; k++) {
        int yy, mm, dd, wday;
        int64_t u;
        tz_utc_to_local(z, noon + (int64_t)k * 86400, &yy, &mm, &dd, NULL, NULL, &wday);
        if (!rule_matches(t, dd, wday))
            continue;
        rc = tz_local_to_utc(z, yy, mm, dd, t->at_min / 60, t->at_min % 60, &u);
        if (rc != BB_OK)
            return rc;
        if (u > after) {
            *out = u;
            return BB_OK;
        }
    }
    return BB_ENOTFOUND; /* not reached for a valid rule */
}

int sched_next_flow(const struct tz *z, const struct flow *f, int64_t after, int64_t *out)
{
    int found = 0;
    int64_t best = 0;
    for (int i = 0; i < f->ntriggers; i++) {
        int64_t u;
        if (f->triggers[i].type != FLOW_TRIG_SCHEDULE)
            continue;
        int rc = sched_next(z, &f->triggers[i], after, &u);
        if (rc != BB_OK)
            return rc;
        if (!found || u < best)
            best = u;
        found = 1;
    }
    if (!found)
        return BB_ENOTFOUND;
    *out = best;
    return BB_OK;
}

int sched_rule(const struct flow *f, char *out, size_t n)
{
    size_t len = 0;
    if (!out || n == 0)
        return BB_EINVAL;
    out[0] = '\0';
    for (int i = 0; i < f->ntriggers; i++) {
        const struct flow_trigger *t = &f->triggers[i];
        if (t->type != FLOW_TRIG_SCHEDULE)
            continue;
        if (bb_snprintf(out + len, n - len, "%s:%d:%d;", t->every, t->day, t->at_min) != BB_OK)
            return BB_ELIMIT;
        len += strlen(out + len);
    }
    return BB_OK;
}

/* ---- one call's working set ------------------------------------------------------ */

static void sig_add(uint64_t *h, const char *s)
{
    for (; *s; s++) {
        *h ^= (unsigned char)*s;
        *h *= 1099511628211ULL; /* FNV-1a 64 */
    }
    *h ^= 0x1f;
    *h *= 1099511628211ULL;
}

static int run_init(struct sched_run *r, const struct domain_ctx *d)
{
    uint64_t h = 1469598103934665603ULL;
    memset(r, 0, sizeof(*r));
    r->d = d;
    if (tz_cache_new(&r->tz) != BB_OK)
        return BB_ENOMEM;
    int n = d->lib ? flow_lib_count(d->lib) : 0;
    for (int i = 0; i < n; i++) {
        const struct flow *f = flow_lib_at(d->lib, i);
        char rule[SCHED_RULE_MAX];
        if (!f || sched_rule(f, rule, sizeof(rule)) != BB_OK || !rule[0])
            continue;
        if (r->nflows == SCHED_MAX_FLOWS) {
            bb_log(BB_LOG_WARN, "sched", "more than %d scheduled flows: \"%s\" is not planned",
                   SCHED_MAX_FLOWS, f->id);
            continue;
        }
        r->flows[r->nflows].f = f;
        bb_strlcpy(r->flows[r->nflows].rule, rule, sizeof(r->flows[r->nflows].rule));
        r->nflows++;
        sig_add(&h, f->id);
        sig_add(&h, rule);
    }
    return bb_snprintf(r->sig, sizeof(r->sig), "%016llx", (unsigned long long)h);
}

static void run_free(struct sched_run *r)
{
    tz_cache_free(r->tz);
    r->tz = NULL;
}

static const struct sched_flow *run_flow(const struct sched_run *r, const char *id)
{
    for (int i = 0; i < r->nflows; i++)
        if (strcmp(r->flows[i].f->id, id) == 0)
            return &r->flows[i];
    return NULL;
}

/* ---- planning one person ---------------------------------------------------------- */

static int plan_person(struct sched_run *r, int64_t person_id)
{
    struct store *st = r->d->st;
    struct store_sched_person sp;
    struct store_sched_plan *plans = NULL;
    const struct tz *z = NULL;
    int nplans = 0, rc;
    int64_t now = r->d->now;

    rc = store_sched_person(st, person_id, &sp);
    if (rc == BB_ENOTFOUND)
        return BB_OK; /* forgotten: its plans went with it */
    if (rc != BB_OK)
        return rc;
    plans = calloc(SCHED_MAX_PLANS, sizeof(*plans));
    if (!plans)
        return BB_ENOMEM;
    rc = store_sched_plans_of(st, person_id, plans, SCHED_MAX_PLANS, &nplans);
    if (rc != BB_OK)
        goto out;
    int eligible = sp.reachable && sp.consent == 1;
    /* Plans of flows that are gone, or of someone we may not message. */
    for (int i = 0; i < nplans; i++) {
        if (eligible && run_flow(r, plans[i].flow_id))
            continue;
        rc = store_sched_plan_drop(st, person_id, plans[i].flow_id);
        if (rc != BB_OK)
            goto out;
        plans[i].flow_id[0] = '\0';
        r->changed++;
    }
    if (!eligible || r->nflows == 0)
        goto out;
    if (tz_cache_get(r->tz, sp.tz, &z) != BB_OK) {
        bb_log(BB_LOG_DEBUG, "sched", "person %lld: unknown zone, using %s", (long long)person_id,
               SCHED_DEFAULT_TZ);
        if (tz_cache_get(r->tz, SCHED_DEFAULT_TZ, &z) != BB_OK) {
            bb_log(BB_LOG_ERR, "sched", "no zone data (%s): nothing planned", SCHED_DEFAULT_TZ);
            goto out; /* tzdata missing: tz_load logged it; plan when it is back */
        }
    }
    for (int k = 0; k < r->nflows; k++) {
        const struct sched_flow *sf = &r->flows[k];
        struct store_sched_plan *p = NULL, np;
        int64_t next;
        for (int i = 0; i < nplans && !p; i++)
            if (strcmp(plans[i].flow_id, sf->f->id) == 0)
                p = &plans[i];
        if (p && p->timer_id != 0) {
            if (strcmp(p->rule, sf->rule) == 0 && strcmp(p->tz, sp.tz) == 0)
                continue; /* planned, and still right */
            if (p->due <= now)
                continue; /* due already: it fires as planned, the next uses the new rule */
        }
        rc = sched_next_flow(z, sf->f, now, &next);
        if (rc != BB_OK)
            goto out;
        memset(&np, 0, sizeof(np));
        np.person_id = person_id;
        bb_strlcpy(np.flow_id, sf->f->id, sizeof(np.flow_id));
        bb_strlcpy(np.rule, sf->rule, sizeof(np.rule));
        bb_strlcpy(np.tz, sp.tz, sizeof(np.tz));
        np.due = next;
        rc = BB_ENOTFOUND;
        if (p && p->timer_id != 0) {
            rc = store_sched_timer_move(st, p->timer_id, next);
            np.timer_id = p->timer_id;
        }
        if (rc == BB_ENOTFOUND)
            rc = store_sched_timer_add(st, person_id, sf->f->id, next, &np.timer_id);
        if (rc == BB_OK)
            rc = store_sched_plan_put(st, &np);
        if (rc != BB_OK)
            goto out;
        r->changed++;
    }
out:
    free(plans);
    return rc;
}

/* Plan a list of people in one transaction; the queue rows go with it. */
static int plan_batch(struct sched_run *r, const int64_t *ids, int n, int dequeue)
{
    struct store *st = r->d->st;
    int rc = store_begin(st);
    if (rc != BB_OK)
        return rc;
    for (int i = 0; i < n && rc == BB_OK; i++) {
        rc = plan_person(r, ids[i]);
        if (rc == BB_OK && dequeue)
            rc = store_sched_dirty_done(st, ids[i]);
    }
    if (rc != BB_OK) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st);
}

/* One run of the scheduler around step(r, arg): set up, step, *changed
 * (may be NULL) gets what it changed, torn down. */
static int run_once(const struct domain_ctx *d, int (*step)(struct sched_run *, int64_t),
                    int64_t arg, int *changed)
{
    struct sched_run r;
    int rc = run_init(&r, d);
    if (rc == BB_OK)
        rc = step(&r, arg);
    if (changed)
        *changed = r.changed;
    run_free(&r);
    return rc;
}

int sched_plan_person(const struct domain_ctx *d, int64_t person_id, int *changed)
{
    return run_once(d, plan_person, person_id, changed);
}

/* ---- the tick ---------------------------------------------------------------------- */

/* A new set of schedule rules (or the first run): start a full re-plan. */
static int check_sig(struct sched_run *r)
{
    struct store *st = r->d->st;
    char old[32];
    int rc = store_sched_meta_get(st, SCHED_META_SIG, old, sizeof(old));
    if (rc == BB_OK && strcmp(old, r->sig) == 0)
        return BB_OK;
    if (rc != BB_OK && rc != BB_ENOTFOUND)
        return rc;
    bb_log(BB_LOG_INFO, "sched", "schedule rules changed (%d scheduled flow(s)): re-planning",
           r->nflows);
    rc = store_begin(st);
    if (rc != BB_OK)
        return rc;
    rc = store_sched_meta_set(st, SCHED_META_SIG, r->sig);
    if (rc == BB_OK)
        rc = store_sched_meta_set(st, SCHED_META_SWEEP, "0");
    if (rc != BB_OK) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st);
}

/* One batch of the queue; *more = 1 when it was full. */
static int step_queue(struct sched_run *r, int *more)
{
    int64_t ids[SCHED_BATCH];
    int n = 0;
    int rc = store_sched_dirty_next(r->d->st, SCHED_BATCH, ids, &n);
    *more = 0;
    if (rc != BB_OK || n == 0)
        return rc;
    rc = plan_batch(r, ids, n, 1);
    *more = rc == BB_OK && n == SCHED_BATCH;
    return rc;
}

/* One batch of the full re-plan; *more = 1 while people are left. */
static int step_sweep(struct sched_run *r, int *more)
{
    struct store *st = r->d->st;
    int64_t ids[SCHED_BATCH];
    long long cursor;
    char val[32];
    int n = 0, rc;
    *more = 0;
    rc = store_sched_meta_get(st, SCHED_META_SWEEP, val, sizeof(val));
    if (rc == BB_ENOTFOUND || (rc == BB_OK && strcmp(val, "done") == 0))
        return BB_OK;
    if (rc != BB_OK)
        return rc;
    if (bb_parse_ll(val, 0, INT64_MAX, &cursor) != BB_OK)
        cursor = 0;
    rc = store_sched_people_after(st, (int64_t)cursor, SCHED_BATCH, ids, &n);
    if (rc != BB_OK)
        return rc;
    rc = store_begin(st);
    if (rc != BB_OK)
        return rc;
    for (int i = 0; i < n && rc == BB_OK; i++)
        rc = plan_person(r, ids[i]);
    if (rc == BB_OK) {
        if (n == SCHED_BATCH)
            rc = bb_snprintf(val, sizeof(val), "%lld", (long long)ids[n - 1]);
        else
            rc = bb_strlcpy(val, "done", sizeof(val));
    }
    if (rc == BB_OK)
        rc = store_sched_meta_set(st, SCHED_META_SWEEP, val);
    if (rc != BB_OK) {
        store_rollback(st);
        return rc;
    }
    rc = store_commit(st);
    *more = rc == BB_OK && n == SCHED_BATCH;
    if (rc == BB_OK && n < SCHED_BATCH)
        bb_log(BB_LOG_INFO, "sched", "re-plan done");
    return rc;
}

/* Queue first (people who just consented or moved), then the re-plan;
 * budget_ms < 0: no limit. */
static int run_work(struct sched_run *r, int64_t budget_ms)
{
    int64_t t0 = bb_mono_ms();
    int rc, more = 1;
    rc = check_sig(r);
    while (rc == BB_OK && more) {
        rc = step_queue(r, &more);
        if (budget_ms >= 0 && bb_mono_ms() - t0 >= budget_ms)
            return rc;
    }
    more = 1;
    while (rc == BB_OK && more) {
        rc = step_sweep(r, &more);
        if (budget_ms >= 0 && bb_mono_ms() - t0 >= budget_ms)
            return rc;
    }
    return rc;
}

int sched_tick(const struct domain_ctx *d, int *did)
{
    return run_once(d, run_work, SCHED_BUDGET_MS, did);
}

/* Every person, with no time budget; full: the sweep starts over first. */
static int work_all(struct sched_run *r, int64_t full)
{
    int rc = full ? store_sched_meta_set(r->d->st, SCHED_META_SWEEP, "0") : BB_OK;
    return rc == BB_OK ? run_work(r, -1) : rc;
}

int sched_plan_all(const struct domain_ctx *d, int full, int *did)
{
    return run_once(d, work_all, full, did);
}

static int tick(const struct domain_ctx *d, int *did)
{
    return sched_tick(d, did);
}

const struct domain_module sched_module = {
    .name = "sched",
    .tick = tick,
    .cmds = sched_cmds,
};
