/*
 * bench_sched.c - how the scheduler scales: a fresh database with N people
 * (default 100000) who all have an identity and consent, in three zones,
 * and one weekly flow. Times the first full plan, an idle tick, a tick
 * after 1000 zone changes, re-planning after every timer of one zone fired,
 * and a full re-plan after the rule changed. Prints figures; asserts only
 * that the plans are complete.
 *
 *   bench_sched [people] [dir]     (dir: where the database goes, default /tmp)
 *
 * Single-threaded; owns everything it allocates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bot/base/bb.h"
#include "bot/core/core.h"
#include "bot/core/domain.h"
#include "bot/flow/flow.h"
#include "bot/domain/modules.h"

#include "bot/domain/sched/sched.h"
#include "store/store.h"
#include "store/store_sched.h"
#include "tests/lib/common.h"

static const char *const FLOW_FMT =
    "{\"id\": \"bench.weekly\", \"version\": %d, \"kind\": \"coaching\","
    " \"title\": {\"id\": \"Uji\", \"en\": \"Test\"},"
    " \"triggers\": [{\"every\": \"week\", \"day\": \"%s\", \"at\": \"16:00\"}],"
    " \"start\": \"q\", \"nodes\": {"
    " \"q\": {\"ask\": {\"id\": \"Apa kabar?\", \"en\": \"How are you?\"},"
    "  \"input\": {\"type\": \"text\"}, \"save\": \"a\", \"next\": \"e\"},"
    " \"e\": {\"say\": {\"id\": \"Terima kasih.\", \"en\": \"Thanks.\"}, \"end\": true}}}";

static int make_lib(int version, const char *day, struct flow_lib **out)
{
    char json[2048];
    struct flow *f = NULL;
    struct flow_diags d;
    int rc;
    flow_diags_init(&d);
    bb_snprintf(json, sizeof(json), FLOW_FMT, version, day);
    rc = flow_parse(json, strlen(json), "bench", tfx_actions(), &f, &d);
    flow_diags_free(&d);
    if (rc == BB_OK)
        rc = flow_lib_new(out);
    if (rc == BB_OK) {
        flow_lib_set_actions(*out, tfx_actions());
        rc = flow_lib_add(*out, f, 1);
    } else
        flow_free(f);
    return rc;
}

static double secs(int64_t ms)
{
    return (double)ms / 1000.0;
}

static int64_t longest_tick_ms; /* the longest sched_tick of the last tick_until_done */

/* Ticks until the queue and the re-plan are done; *ticks how many. */
static int tick_until_done(struct domain_ctx *d, int *ticks, int *did)
{
    struct store_sched_counts c;
    char sweep[32];
    int rc = BB_OK;
    *ticks = 0;
    *did = 0;
    longest_tick_ms = 0;
    for (;;) {
        int n = 0;
        int64_t t0 = bb_mono_ms();
        rc = sched_tick(d, &n);
        if (bb_mono_ms() - t0 > longest_tick_ms)
            longest_tick_ms = bb_mono_ms() - t0;
        if (rc != BB_OK)
            return rc;
        *did += n;
        (*ticks)++;
        rc = store_sched_counts(d->st, d->now, &c);
        if (rc != BB_OK)
            return rc;
        if (store_sched_meta_get(d->st, "sweep", sweep, sizeof(sweep)) != BB_OK)
            sweep[0] = '\0';
        if (c.dirty == 0 && strcmp(sweep, "done") == 0)
            return BB_OK;
    }
}

int main(int argc, char **argv)
{
    long long n = 100000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    char path[512];
    struct store *st = NULL;
    struct flow_lib *lib = NULL, *lib2 = NULL;
    struct core *core = NULL;
    struct store_sched_counts c;
    int rc, ticks = 0, did = 0;
    int64_t t0, now;
    static const char *const zones[] = {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"};

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && bb_parse_ll(argv[1], 1, 10000000, &n) != BB_OK) {
        fprintf(stderr, "usage: bench_sched [people] [dir]\n");
        return 2;
    }
    bb_snprintf(path, sizeof(path), "%s/bench_sched_%d.db", dir, (int)getpid());
    if (store_open(path, NULL, &st) != BB_OK || make_lib(1, "fri", &lib) != BB_OK ||
        core_new(st, lib, domain_modules, &core) != BB_OK) {
        fprintf(stderr, "bench_sched: setup failed: %s\n", st ? store_errmsg(st) : "");
        return 1;
    }
    bb_parse_iso8601("2026-11-23T00:00:00Z", &now);
    bb_clock_set(now);

    t0 = bb_mono_ms();
    rc = store_begin(st);
    for (long long i = 0; rc == BB_OK && i < n; i++) {
        struct store_person p;
        int64_t id = 0;
        char ext[32];
        memset(&p, 0, sizeof(p));
        bb_snprintf(p.nip, sizeof(p.nip), "19%016lld", i);
        bb_strlcpy(p.name, "Pegawai Uji", sizeof(p.name));
        bb_strlcpy(p.tz, zones[i % 3], sizeof(p.tz));
        rc = store_person_upsert(st, &p, &id, NULL);
        bb_snprintf(ext, sizeof(ext), "%lld", i);
        if (rc == BB_OK)
            rc = store_identity_link(st, "telegram", ext, id, now);
        if (rc == BB_OK)
            rc = store_consent_set(st, id, "data", 1, now);
    }
    rc = rc == BB_OK ? store_commit(st) : store_rollback(st);
    if (rc != BB_OK) {
        fprintf(stderr, "bench_sched: populating failed: %s\n", store_errmsg(st));
        return 1;
    }
    printf("people: %lld (identity + consent, 3 zones), populated in %.2f s\n", n,
           secs(bb_mono_ms() - t0));

    struct domain_ctx d = {.st = st, .lib = lib, .core = core, .now = now};

    /* 1. the first plan, as serve would do it: ticks of SCHED_BUDGET_MS */
    t0 = bb_mono_ms();
    rc = tick_until_done(&d, &ticks, &did);
    int64_t ms = bb_mono_ms() - t0;
    store_sched_counts(st, now, &c);
    printf("first plan:        %d timers in %.2f s over %d ticks, longest %lld ms (%.0f people/s);"
           " plans %lld\n",
           did, secs(ms), ticks, (long long)longest_tick_ms,
           ms ? (double)did * 1000.0 / (double)ms : 0.0, (long long)c.pending);
    if (rc != BB_OK || c.pending != n) {
        fprintf(stderr, "bench_sched: incomplete plan (%s)\n", store_errmsg(st));
        return 1;
    }

    /* 2. an idle tick */
    t0 = bb_mono_ms();
    for (int i = 0; i < 1000; i++) {
        d.now = now + i;
        if (sched_tick(&d, NULL) != BB_OK)
            return 1;
    }
    printf("idle tick:         %.3f ms each (1000 ticks)\n", (double)(bb_mono_ms() - t0) / 1000.0);

    /* 3. 1000 people change zone */
    rc = store_begin(st);
    for (long long i = 0; rc == BB_OK && i < n && i < 3000; i += 3) {
        struct store_person p;
        char nip[32];
        bb_snprintf(nip, sizeof(nip), "19%016lld", i);
        rc = store_person_by_nip(st, nip, &p);
        bb_strlcpy(p.tz, "Europe/Berlin", sizeof(p.tz));
        if (rc == BB_OK)
            rc = store_person_upsert(st, &p, NULL, NULL);
    }
    rc = rc == BB_OK ? store_commit(st) : store_rollback(st);
    t0 = bb_mono_ms();
    rc = rc == BB_OK ? tick_until_done(&d, &ticks, &did) : rc;
    printf("zone changes:      %d timers moved in %.1f ms over %d tick(s)\n", did,
           (double)(bb_mono_ms() - t0), ticks);

    /* 4. Friday 09:00 UTC: every WIB/WITA/WIT timer is due (core_tick moves them
     * to the inbox, 1000 per call), then the scheduler plans next week */
    int64_t fri = 0, fired_total = 0;
    bb_parse_iso8601("2026-11-27T09:00:00Z", &fri);
    t0 = bb_mono_ms();
    for (;;) {
        int fired = 0;
        if (core_tick(core, fri, &fired) != BB_OK)
            return 1;
        fired_total += fired;
        if (fired == 0)
            break;
    }
    int64_t fire_ms = bb_mono_ms() - t0;
    d.now = fri + 1;
    bb_clock_set(d.now);
    t0 = bb_mono_ms();
    rc = rc == BB_OK ? tick_until_done(&d, &ticks, &did) : rc;
    ms = bb_mono_ms() - t0;
    printf("Friday 09:00 UTC:  %lld timers fired by core_tick in %.2f s; next week planned"
           " for %d in %.2f s over %d ticks, longest %lld ms\n",
           (long long)fired_total, secs(fire_ms), did, secs(ms), ticks, (long long)longest_tick_ms);

    /* 5. flows reloaded with a new rule: a full re-plan moves every timer */
    if (make_lib(2, "thu", &lib2) != BB_OK)
        return 1;
    d.lib = lib2;
    t0 = bb_mono_ms();
    rc = rc == BB_OK ? tick_until_done(&d, &ticks, &did) : rc;
    ms = bb_mono_ms() - t0;
    store_sched_counts(st, d.now, &c);
    printf("rule changed:      %d timers moved in %.2f s over %d ticks, longest %lld ms; plans"
           " %lld\n",
           did, secs(ms), ticks, (long long)longest_tick_ms, (long long)c.pending);

    core_free(core);
    flow_lib_free(lib);
    flow_lib_free(lib2);
    store_free(st);
    static const char *const sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[600];
        bb_snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
        unlink(p);
    }
    bb_clock_unpin();
    return rc == BB_OK && c.pending == n ? 0 : 1;
}
