/*
 * test_sched.c - the scheduler with a fake clock: next occurrences per zone
 * (WIB/WITA/WIT, Europe/Berlin across DST), day/week/month rules, who gets
 * planned (identity, consent), re-planning on a zone or rule change, three
 * missed weeks firing once, a restart between due time and run, the
 * `schedule` action in Makassar time, forget and export. Uses the store,
 * the core and sched_tick directly, in the order `bimbing tick` runs them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/core/core.h"
#include "bot/core/domain.h"
#include "bot/flow/flow.h"
#include "bot/domain/modules.h"

#include "bot/domain/sched/sched.h"
#include "bot/base/tz.h"
#include "store/store.h"
#include "store/store_sched.h"
#include "store/store_work.h"
#include "bot/base/cal.h"
#include "bot/core/worktime.h"
#include "tests/lib/fixture.h"

#define WEEK (7 * 86400)

static int64_t at(const char *iso)
{
    int64_t t = 0;
    assert_int_equal(bb_parse_iso8601(iso, &t), BB_OK);
    return t;
}

/* ---- flows ------------------------------------------------------------------ */

static const char *const FLOW_FMT =
    "{\"id\": \"%s\", \"version\": %d, \"kind\": \"coaching\","
    " \"title\": {\"id\": \"Uji\", \"en\": \"Test\"}, \"triggers\": [%s],"
    " \"start\": \"q\", \"nodes\": {"
    " \"q\": {\"ask\": {\"id\": \"Apa kabar?\", \"en\": \"How are you?\"},"
    "  \"input\": {\"type\": \"text\"}, \"save\": \"a\", \"next\": \"e\"},"
    " \"e\": {\"say\": {\"id\": \"Terima kasih.\", \"en\": \"Thanks.\"}, \"end\": true}}}";

/* Starts, schedules checkin-like "t.weekly" on a local date, and ends. */
static const char *const FLOW_FOLLOWUP =
    "{\"id\": \"t.follow\", \"version\": 1, \"kind\": \"coaching\","
    " \"title\": {\"id\": \"Tindak lanjut\", \"en\": \"Follow-up\"},"
    " \"triggers\": [{\"command\": \"follow\"}], \"start\": \"s\", \"nodes\": {"
    " \"s\": {\"do\": [{\"schedule\": \"t.weekly\", \"date\": \"'2026-12-03'\"}],"
    "  \"say\": {\"id\": \"Dijadwalkan.\", \"en\": \"Scheduled.\"}, \"end\": true}}}";

static struct flow *parse(const char *json)
{
    return tfx_flow_parse(json, "test");
}

static struct flow *make_flow(const char *id, int version, const char *triggers)
{
    char json[2048];
    assert_int_equal(bb_snprintf(json, sizeof(json), FLOW_FMT, id, version, triggers), BB_OK);
    return parse(json);
}

/* A library with t.weekly (given triggers) and t.follow; triggers NULL:
 * without t.weekly. */
static struct flow_lib *make_lib(const char *triggers, int version)
{
    struct flow_lib *lib = NULL;
    assert_int_equal(flow_lib_new(&lib), BB_OK);
    flow_lib_set_actions(lib, tfx_actions());
    if (triggers)
        assert_int_equal(flow_lib_add(lib, make_flow("t.weekly", version, triggers), 1), BB_OK);
    assert_int_equal(flow_lib_add(lib, parse(FLOW_FOLLOWUP), 1), BB_OK);
    return lib;
}

#define FRI_1600 "{\"every\": \"week\", \"day\": \"fri\", \"at\": \"16:00\"}"

/* ---- next occurrences (no store) ----------------------------------------------- */

static int64_t next_of(const char *zone, const char *trigger, const char *after)
{
    struct flow *f = make_flow("t.x", 1, trigger);
    struct tz *z = NULL;
    int64_t u = 0;
    assert_int_equal(tz_load(zone, &z), BB_OK);
    assert_int_equal(sched_next_flow(z, f, at(after), &u), BB_OK);
    tz_free(z);
    flow_free(f);
    return u;
}

/* One next occurrence: in zone, the trigger(s), after an instant, the
 * instant expected (all ISO 8601 UTC). */
struct next_case {
    const char *zone, *trigger, *after, *want;
};

static void check_next(const struct next_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int64_t got = next_of(c[i].zone, c[i].trigger, c[i].after);
        if (got != at(c[i].want))
            print_error("case %zu: %s %s after %s\n", i, c[i].zone, c[i].trigger, c[i].after);
        assert_int_equal(got, at(c[i].want));
    }
}

#define CHECK_NEXT(cases) check_next((cases), sizeof(cases) / sizeof((cases)[0]))

static void test_next_zones(void **state)
{
    (void)state;
    static const struct next_case cases[] = {
        /* 2026-11-27 is a Friday: 16:00 local is 09:00/08:00/07:00 UTC. */
        {"WIB", FRI_1600, "2026-11-23T00:00:00Z", "2026-11-27T09:00:00Z"},
        {"WITA", FRI_1600, "2026-11-23T00:00:00Z", "2026-11-27T08:00:00Z"},
        {"WIT", FRI_1600, "2026-11-23T00:00:00Z", "2026-11-27T07:00:00Z"},
        {"Asia/Makassar", FRI_1600, "2026-11-23T00:00:00Z", "2026-11-27T08:00:00Z"},
        /* strictly after: at the due instant itself comes next week */
        {"WIB", FRI_1600, "2026-11-27T09:00:00Z", "2026-12-04T09:00:00Z"},
        {"WIB", FRI_1600, "2026-11-27T08:59:59Z", "2026-11-27T09:00:00Z"},
        /* Friday 16:30 in Jayapura is already 07:30 UTC: next Friday */
        {"WIT", FRI_1600, "2026-11-27T07:30:00Z", "2026-12-04T07:00:00Z"},
        /* a UTC Thursday evening is already Friday morning in Jayapura */
        {"WIT", "{\"every\": \"week\", \"day\": \"fri\", \"at\": \"06:00\"}",
         "2026-11-26T20:00:00Z", "2026-11-26T21:00:00Z"},
    };
    CHECK_NEXT(cases);
}

#define DAILY_0800 "{\"every\": \"day\", \"at\": \"08:00\"}"
#define MONTH_1    "{\"every\": \"month\", \"day\": 1, \"at\": \"09:00\"}"
#define MONTH_28   "{\"every\": \"month\", \"day\": 28, \"at\": \"09:00\"}"
#define MON_0000   "{\"every\": \"week\", \"day\": \"mon\", \"at\": \"00:00\"}"
#define SUN_2359   "{\"every\": \"week\", \"day\": \"sun\", \"at\": \"23:59\"}"
#define DAILY_0230 "{\"every\": \"day\", \"at\": \"02:30\"}"

static void test_next_rules(void **state)
{
    (void)state;
    static const struct next_case cases[] = {
        /* daily: later today, else tomorrow (WIB: 08:00 = 01:00 UTC) */
        {"WIB", DAILY_0800, "2026-11-27T00:30:00Z", "2026-11-27T01:00:00Z"},
        {"WIB", DAILY_0800, "2026-11-27T01:00:00Z", "2026-11-28T01:00:00Z"},
        /* monthly on the 1st: across the year end */
        {"WIB", MONTH_1, "2026-12-01T02:00:00Z", "2027-01-01T02:00:00Z"},
        {"WIB", MONTH_1, "2026-12-01T01:59:00Z", "2026-12-01T02:00:00Z"},
        /* monthly on the 28th: February of a common year and of a leap year */
        {"UTC", MONTH_28, "2027-01-28T10:00:00Z", "2027-02-28T09:00:00Z"},
        {"UTC", MONTH_28, "2028-02-01T00:00:00Z", "2028-02-28T09:00:00Z"},
        /* weekly edges: Monday midnight and Sunday 23:59 local */
        {"WIB", MON_0000, "2026-11-27T09:00:00Z", "2026-11-29T17:00:00Z"},
        {"WIB", SUN_2359, "2026-11-27T09:00:00Z", "2026-11-29T16:59:00Z"},
        /* two schedule triggers: the earlier one wins */
        {"WIB",
         "{\"every\": \"week\", \"day\": \"fri\", \"at\": \"16:00\"},"
         " {\"every\": \"week\", \"day\": \"tue\", \"at\": \"09:00\"}",
         "2026-11-27T10:00:00Z", "2026-12-01T02:00:00Z"},
    };
    CHECK_NEXT(cases);
    /* a flow without schedule triggers has no next occurrence */
    struct flow *f = make_flow("t.cmd", 1, "{\"command\": \"uji\"}");
    struct tz *z = NULL;
    int64_t u;
    char rule[64];
    assert_int_equal(tz_load("UTC", &z), BB_OK);
    assert_int_equal(sched_next_flow(z, f, 0, &u), BB_ENOTFOUND);
    assert_int_equal(sched_rule(f, rule, sizeof(rule)), BB_OK);
    assert_string_equal(rule, "");
    /* a hand-made bad trigger is refused, not looped over */
    struct flow_trigger bad;
    memset(&bad, 0, sizeof(bad));
    bad.type = FLOW_TRIG_SCHEDULE;
    bb_strlcpy(bad.every, "month", sizeof(bad.every));
    bad.day = 31;
    assert_int_equal(sched_next(z, &bad, 0, &u), BB_EINVAL);
    bb_strlcpy(bad.every, "year", sizeof(bad.every));
    bad.day = 1;
    assert_int_equal(sched_next(z, &bad, 0, &u), BB_EINVAL);
    tz_free(z);
    flow_free(f);
}

static void test_next_dst(void **state)
{
    (void)state;
    static const struct next_case cases[] = {
        /* Europe/Berlin: CEST (+2) until 2026-10-25 03:00, CET (+1) after;
         * Friday 16:00 local moves from 14:00 to 15:00 UTC. */
        {"Europe/Berlin", FRI_1600, "2026-10-20T00:00:00Z", "2026-10-23T14:00:00Z"},
        {"Europe/Berlin", FRI_1600, "2026-10-23T14:00:00Z", "2026-10-30T15:00:00Z"},
        /* spring: 2026-03-29 02:00 -> 03:00. 16:00 is 15:00 UTC before, 14:00 after. */
        {"Europe/Berlin", FRI_1600, "2026-03-21T00:00:00Z", "2026-03-27T15:00:00Z"},
        {"Europe/Berlin", FRI_1600, "2026-03-27T15:00:00Z", "2026-04-03T14:00:00Z"},
        /* a daily 02:30, which does not exist on 2026-03-29: 03:30 CEST (01:30
         * UTC), not skipped; the next day 02:30 CEST again (00:30 UTC) */
        {"Europe/Berlin", DAILY_0230, "2026-03-28T02:00:00Z", "2026-03-29T01:30:00Z"},
        {"Europe/Berlin", DAILY_0230, "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z"},
        /* 02:30 happens twice on 2026-10-25: the first one (CEST, 00:30 UTC) */
        {"Europe/Berlin", DAILY_0230, "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z"},
        {"Europe/Berlin", DAILY_0230, "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"},
    };
    CHECK_NEXT(cases);
}

/* ---- planning with the store and the core ------------------------------------------- */

struct fx {
    TFX_STORE_FIELDS;
    struct flow_lib *lib;
    struct core *core;
    int64_t next_person;
};

static void fx_init(struct fx *f)
{
    f->lib = make_lib(FRI_1600, 1);
    assert_int_equal(core_new(f->st, f->lib, domain_modules, &f->core), BB_OK);
}

static void fx_fini(struct fx *f)
{
    core_free(f->core);
    flow_lib_free(f->lib);
    bb_clock_unpin();
}

TFX_STORE_SETUP_INIT(fx, setup, fx_init)
TFX_STORE_TEARDOWN_FINI(fx, teardown, fx_fini)

/* A person in zone tz; with an identity (console) and/or consent "data"
 * (-1: never asked). */
static int64_t person(struct fx *f, const char *tz, int identity, int consent)
{
    struct store_person p;
    int64_t id = 0;
    char ext[32];
    memset(&p, 0, sizeof(p));
    f->next_person++;
    bb_snprintf(p.nip, sizeof(p.nip), "1990010120200100%02lld", (long long)f->next_person);
    bb_strlcpy(p.name, "Uji Coba", sizeof(p.name));
    bb_strlcpy(p.tz, tz, sizeof(p.tz));
    assert_int_equal(store_person_upsert(f->st, &p, &id, NULL), BB_OK);
    if (identity) {
        bb_snprintf(ext, sizeof(ext), "c%lld", (long long)id);
        assert_int_equal(store_identity_link(f->st, "console", ext, id, 0), BB_OK);
    }
    if (consent >= 0)
        assert_int_equal(store_consent_set(f->st, id, "data", consent, 0), BB_OK);
    return id;
}

static void set_tz(struct fx *f, int64_t id, const char *tz)
{
    struct store_person p;
    assert_int_equal(store_person_by_id(f->st, id, &p), BB_OK);
    bb_strlcpy(p.tz, tz, sizeof(p.tz));
    assert_int_equal(store_person_upsert(f->st, &p, NULL, NULL), BB_OK);
}

static int plan(struct fx *f, int64_t now)
{
    struct domain_ctx d = {.st = f->st, .lib = f->lib, .core = f->core, .now = now};
    int did = -1;
    bb_clock_set(now);
    assert_int_equal(sched_tick(&d, &did), BB_OK);
    return did;
}

/* What `bimbing tick --at now` does: plan, fire due timers, process. */
static int tick(struct fx *f, int64_t now)
{
    int fired = -1, done = 0;
    plan(f, now);
    assert_int_equal(core_tick(f->core, now, &fired), BB_OK);
    assert_int_equal(core_drain(f->core, 100, &done), BB_OK);
    return fired;
}

/* The person's "flow" timers for flow_id: how many, and the first's due. */
static int flow_timers(struct fx *f, int64_t pid, const char *flow_id, int64_t *due)
{
    struct store_timer *t = NULL;
    int n = 0, k = 0;
    assert_int_equal(store_timer_due(f->st, INT64_MAX, 1000, &t, &n), BB_OK);
    for (int i = 0; i < n; i++)
        if (t[i].person_id == pid && strcmp(t[i].kind, "flow") == 0 &&
            strcmp(t[i].payload, flow_id) == 0) {
            if (k++ == 0 && due)
                *due = t[i].due;
        }
    free(t);
    return k;
}

static int later_timers(struct fx *f, int64_t pid, const char *flow_id)
{
    struct store_timer *t = NULL;
    int n = 0, k = 0;
    assert_int_equal(store_timer_due(f->st, INT64_MAX, 1000, &t, &n), BB_OK);
    for (int i = 0; i < n; i++)
        k += t[i].person_id == pid && strcmp(t[i].kind, "later") == 0 &&
             strcmp(t[i].payload, flow_id) == 0;
    free(t);
    return k;
}

/* The flow the person's session runs ("" when none). */
static void session_flow(struct fx *f, int64_t pid, char *out, size_t n)
{
    char *json = NULL;
    out[0] = '\0';
    if (store_session_get(f->st, pid, &json) != BB_OK)
        return;
    cJSON *j = cJSON_Parse(json);
    const cJSON *stack = cJSON_GetObjectItemCaseSensitive(j, "stack");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(stack, 0), "flow");
    if (cJSON_IsString(id))
        bb_strlcpy(out, id->valuestring, n);
    cJSON_Delete(j);
    free(json);
}

static void test_who_is_planned(void **state)
{
    struct fx *f = *state;
    int64_t now = at("2026-11-23T00:00:00Z"), due = 0;
    int64_t ok = person(f, "Asia/Jakarta", 1, 1);
    int64_t no_identity = person(f, "Asia/Jakarta", 0, 1);
    int64_t never_asked = person(f, "Asia/Jakarta", 1, -1);
    int64_t refused = person(f, "Asia/Jakarta", 1, 0);
    assert_true(plan(f, now) >= 1);
    assert_int_equal(flow_timers(f, ok, "t.weekly", &due), 1);
    assert_int_equal(due, at("2026-11-27T09:00:00Z"));
    assert_int_equal(flow_timers(f, no_identity, "t.weekly", NULL), 0);
    assert_int_equal(flow_timers(f, never_asked, "t.weekly", NULL), 0);
    assert_int_equal(flow_timers(f, refused, "t.weekly", NULL), 0);
    /* a flow without a schedule trigger is never planned */
    assert_int_equal(flow_timers(f, ok, "t.follow", NULL), 0);
    /* idempotent: more ticks change nothing */
    assert_int_equal(plan(f, now + 60), 0);
    assert_int_equal(plan(f, now + 3600), 0);
    assert_int_equal(flow_timers(f, ok, "t.weekly", NULL), 1);
    /* the one who refused agrees later: planned at the next tick */
    assert_int_equal(store_consent_set(f->st, refused, "data", 1, now), BB_OK);
    assert_int_equal(plan(f, now + 7200), 1);
    assert_int_equal(flow_timers(f, refused, "t.weekly", NULL), 1);
    /* withdrawing consent removes the timer */
    assert_int_equal(store_consent_set(f->st, ok, "data", 0, now), BB_OK);
    assert_int_equal(plan(f, now + 7300), 1);
    assert_int_equal(flow_timers(f, ok, "t.weekly", NULL), 0);
    /* an identity arriving later: planned */
    assert_int_equal(store_identity_link(f->st, "telegram", "777", no_identity, now), BB_OK);
    assert_int_equal(plan(f, now + 7400), 1);
    assert_int_equal(flow_timers(f, no_identity, "t.weekly", NULL), 1);
    /* blocked on the only channel: nothing planned; unblocked: planned again */
    assert_int_equal(store_identity_set_blocked(f->st, "telegram", "777", 1, now), BB_OK);
    assert_int_equal(plan(f, now + 7500), 1);
    assert_int_equal(flow_timers(f, no_identity, "t.weekly", NULL), 0);
    assert_int_equal(store_identity_set_blocked(f->st, "telegram", "777", 0, now), BB_OK);
    assert_int_equal(plan(f, now + 7600), 1);
    assert_int_equal(flow_timers(f, no_identity, "t.weekly", NULL), 1);
    /* nothing fires for those without consent when the day comes */
    assert_int_equal(tick(f, at("2026-11-27T09:00:00Z")), 2);
    char flow[64];
    session_flow(f, never_asked, flow, sizeof(flow));
    assert_string_equal(flow, "");
    session_flow(f, refused, flow, sizeof(flow));
    assert_string_equal(flow, "t.weekly");
}

static void test_zone_change(void **state)
{
    struct fx *f = *state;
    int64_t now = at("2026-11-23T00:00:00Z"), due = 0;
    int64_t a = person(f, "WIB", 1, 1);
    plan(f, now);
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    assert_int_equal(due, at("2026-11-27T09:00:00Z"));
    set_tz(f, a, "Asia/Makassar");
    assert_int_equal(plan(f, now + 60), 1);
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    assert_int_equal(due, at("2026-11-27T08:00:00Z"));
    set_tz(f, a, "Asia/Jayapura");
    plan(f, now + 120);
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    assert_int_equal(due, at("2026-11-27T07:00:00Z"));
    set_tz(f, a, "Europe/Berlin");
    plan(f, now + 180);
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    assert_int_equal(due, at("2026-11-27T15:00:00Z"));
    /* a zone the system does not know: planned in Asia/Jakarta time */
    set_tz(f, a, "Mars/Olympus_Mons");
    plan(f, now + 240);
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    assert_int_equal(due, at("2026-11-27T09:00:00Z"));
}

static void test_flow_change(void **state)
{
    struct fx *f = *state;
    int64_t now = at("2026-11-23T00:00:00Z"), due = 0;
    int64_t a = person(f, "Asia/Makassar", 1, 1);
    plan(f, now);
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    /* flows reloaded: the rule is now Monday 08:00 (WITA: 00:00 UTC) */
    struct flow_lib *lib2 =
        make_lib("{\"every\": \"week\", \"day\": \"mon\", \"at\": \"08:00\"}", 2);
    core_free(f->core);
    flow_lib_free(f->lib);
    f->lib = lib2;
    assert_int_equal(core_new(f->st, f->lib, domain_modules, &f->core), BB_OK);
    assert_int_equal(plan(f, now + 60), 1);
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    assert_int_equal(due, at("2026-11-30T00:00:00Z"));
    /* the flow is gone: its timer goes */
    struct flow_lib *lib3 = make_lib(NULL, 0);
    core_free(f->core);
    flow_lib_free(f->lib);
    f->lib = lib3;
    assert_int_equal(core_new(f->st, f->lib, domain_modules, &f->core), BB_OK);
    assert_int_equal(plan(f, now + 120), 1);
    assert_int_equal(flow_timers(f, a, "t.weekly", NULL), 0);
    struct store_sched_counts c;
    assert_int_equal(store_sched_counts(f->st, now, &c), BB_OK);
    assert_int_equal(c.plans, 0);
}

static void test_fire_and_next(void **state)
{
    struct fx *f = *state;
    int64_t due = 0;
    int64_t a = person(f, "WIB", 1, 1);
    char flow[64];
    assert_int_equal(tick(f, at("2026-11-23T00:00:00Z")), 0);
    assert_int_equal(tick(f, at("2026-11-27T08:59:59Z")), 0);
    assert_int_equal(tick(f, at("2026-11-27T09:00:00Z")), 1);
    session_flow(f, a, flow, sizeof(flow));
    assert_string_equal(flow, "t.weekly");
    /* the next occurrence is planned at the next tick, a week on */
    assert_int_equal(tick(f, at("2026-11-27T09:00:01Z")), 0);
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    assert_int_equal(due, at("2026-12-04T09:00:00Z"));
}

static void test_downtime(void **state)
{
    struct fx *f = *state;
    int64_t due = 0;
    int64_t a = person(f, "WITA", 1, 1);
    int64_t b = person(f, "WIT", 1, 1);
    assert_int_equal(tick(f, at("2026-11-23T00:00:00Z")), 0);
    /* down from Monday 23 November to Tuesday 15 December: three Fridays
     * missed. The first tick back starts the flow once for each. */
    assert_int_equal(tick(f, at("2026-12-15T03:00:00Z")), 2);
    assert_int_equal(tick(f, at("2026-12-15T03:00:05Z")), 0);
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    assert_int_equal(due, at("2026-12-18T08:00:00Z")); /* from now, not from the missed one */
    assert_int_equal(flow_timers(f, b, "t.weekly", &due), 1);
    assert_int_equal(due, at("2026-12-18T07:00:00Z"));
    for (int i = 0; i < 5; i++)
        assert_int_equal(tick(f, at("2026-12-15T04:00:00Z") + i * 3600), 0);
}

static void reopen(struct fx *f)
{
    /* what a kill -9 leaves: the database file; everything in memory gone */
    core_free(f->core);
    store_free(f->st);
    f->core = NULL;
    f->st = NULL;
    assert_int_equal(store_open(f->path, NULL, &f->st), BB_OK);
    assert_int_equal(core_new(f->st, f->lib, domain_modules, &f->core), BB_OK);
}

static void test_restart_between_due_and_run(void **state)
{
    struct fx *f = *state;
    int64_t due = 0;
    int64_t a = person(f, "WIB", 1, 1);
    char flow[64];
    assert_int_equal(tick(f, at("2026-11-23T00:00:00Z")), 0);
    /* due at 09:00 UTC; the service dies at 08:59 and is back at 09:20 */
    assert_int_equal(tick(f, at("2026-11-27T08:59:00Z")), 0);
    reopen(f);
    assert_int_equal(tick(f, at("2026-11-27T09:20:00Z")), 1);
    session_flow(f, a, flow, sizeof(flow));
    assert_string_equal(flow, "t.weekly");
    /* dies again right after the start, before the next is planned */
    reopen(f);
    assert_int_equal(tick(f, at("2026-11-27T09:21:00Z")), 0);
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    assert_int_equal(due, at("2026-12-04T09:00:00Z"));
    reopen(f);
    assert_int_equal(tick(f, at("2026-11-27T09:22:00Z")), 0);
    assert_int_equal(flow_timers(f, a, "t.weekly", NULL), 1);
}

/* A zone change after the due time but before the run: it still fires
 * (once), and the next one is in the new zone. */
static void test_zone_change_when_due(void **state)
{
    struct fx *f = *state;
    int64_t due = 0;
    int64_t a = person(f, "WIB", 1, 1);
    assert_int_equal(tick(f, at("2026-11-23T00:00:00Z")), 0);
    set_tz(f, a, "WIT");
    plan(f, at("2026-11-27T09:30:00Z")); /* due at 09:00: left alone */
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    assert_int_equal(due, at("2026-11-27T09:00:00Z"));
    assert_int_equal(tick(f, at("2026-11-27T09:30:00Z")), 1);
    assert_int_equal(tick(f, at("2026-11-27T09:31:00Z")), 0);
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    assert_int_equal(due, at("2026-12-04T07:00:00Z"));
}

/* GROW-style follow-up: the `schedule` action with a local date, for a
 * person in Makassar: 09:00 WITA is 01:00 UTC. */
static void test_schedule_action_makassar(void **state)
{
    struct fx *f = *state;
    int64_t a = person(f, "Asia/Makassar", 1, 1), due = 0;
    char flow[64];
    int64_t now = at("2026-11-30T02:00:00Z");
    plan(f, now);
    int64_t weekly_due = 0;
    assert_int_equal(flow_timers(f, a, "t.weekly", &weekly_due), 1);
    assert_int_equal(core_start_flow(f->core, a, "t.follow", now), BB_OK);
    assert_int_equal(tick(f, now), 1);
    /* two t.weekly timers now: the planned Friday one and the follow-up
     * (kind "later": a start the bot planned, held to working time) */
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    assert_int_equal(later_timers(f, a, "t.weekly"), 1);
    struct store_timer *t = NULL;
    int n = 0, found = 0;
    assert_int_equal(store_timer_due(f->st, INT64_MAX, 1000, &t, &n), BB_OK);
    for (int i = 0; i < n; i++)
        if (t[i].person_id == a && strcmp(t[i].payload, "t.weekly") == 0 &&
            t[i].due != weekly_due) {
            assert_int_equal(t[i].due, at("2026-12-03T01:00:00Z"));
            found = 1;
        }
    free(t);
    assert_true(found);
    assert_int_equal(tick(f, at("2026-12-03T00:59:59Z")), 0);
    assert_int_equal(tick(f, at("2026-12-03T01:00:00Z")), 1);
    session_flow(f, a, flow, sizeof(flow));
    assert_string_equal(flow, "t.weekly");
    /* the follow-up is not the scheduler's: its planned Friday stays */
    assert_int_equal(tick(f, at("2026-12-03T01:00:30Z")), 0);
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    assert_int_equal(due, weekly_due);
}

/* The scheduled start while the same check-in is already under way (started
 * earlier by hand): dropped by the core, not put off (which would give the
 * person a second check-in afterwards); next week's start is planned once. */
static void test_deferred_start(void **state)
{
    struct fx *f = *state;
    int64_t a = person(f, "WIB", 1, 1);
    struct store_sched_plan p[4];
    int n = 0;
    assert_int_equal(tick(f, at("2026-11-23T00:00:00Z")), 0);
    assert_int_equal(core_start_flow(f->core, a, "t.weekly", at("2026-11-27T08:00:00Z")), BB_OK);
    assert_int_equal(tick(f, at("2026-11-27T08:00:00Z")), 1); /* a question waits now */
    assert_int_equal(tick(f, at("2026-11-27T09:00:00Z")), 1); /* the scheduled start fires */
    assert_int_equal(tick(f, at("2026-11-27T09:00:01Z")), 0);
    assert_int_equal(flow_timers(f, a, "t.weekly", NULL), 1); /* next week only, no retry */
    assert_int_equal(store_sched_plans_of(f->st, a, p, 4, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].due, at("2026-12-04T09:00:00Z"));
    assert_true(p[0].timer_id != 0);
    /* an hour later nothing comes back */
    assert_int_equal(tick(f, at("2026-11-27T10:00:00Z")), 0);
    assert_int_equal(store_sched_plans_of(f->st, a, p, 4, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].due, at("2026-12-04T09:00:00Z"));
}

/* Working time (bot/core/worktime.h) on: a due recurring start outside
 * the person's working time is moved, the same timer (its plan still
 * points at it), to the next working slot; during leave it is dropped and
 * the next occurrence planned. By hand, WIT = UTC+9: Friday 16:00 WIT is
 * 07:00Z (after hours: 16:00 is the end), Monday 07:30 WIT is Sunday 22:30Z. */
static void test_work_time(void **state)
{
    struct fx *f = *state;
    struct work_hours h;
    struct work_holidays *hol = NULL;
    struct store_sched_plan p[4];
    char err[300], flow[64];
    int64_t due = 0, leave_end = 0;
    int n = 0;
    work_hours_default(&h);
    assert_int_equal(work_holidays_load("config/holidays.json", &hol, err, sizeof(err)), BB_OK);
    core_set_work(f->core, &h, hol);
    int64_t a = person(f, "WIT", 1, 1), b = person(f, "WIT", 1, 1);
    assert_int_equal(tick(f, at("2026-12-21T00:00:00Z")), 0);
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    assert_int_equal(due, at("2026-12-25T07:00:00Z"));
    /* Christmas, and after hours: moved to Monday 28 December 07:30 WIT */
    assert_int_equal(tick(f, at("2026-12-25T07:00:00Z")), 0);
    assert_int_equal(flow_timers(f, a, "t.weekly", &due), 1);
    assert_int_equal(due, at("2026-12-27T22:30:00Z"));
    assert_int_equal(store_sched_plans_of(f->st, a, p, 4, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_true(p[0].timer_id != 0); /* still the plan's timer: nothing re-planned */
    assert_int_equal(tick(f, at("2026-12-27T22:29:59Z")), 0);
    assert_int_equal(tick(f, at("2026-12-27T22:30:00Z")), 2); /* a's and b's */
    session_flow(f, a, flow, sizeof(flow));
    assert_string_equal(flow, "t.weekly");
    for (int k = 0; k < 2; k++) { /* both conversations closed, without their expiry */
        assert_int_equal(store_session_delete(f->st, k ? b : a), BB_OK);
        assert_int_equal(store_timer_cancel(f->st, k ? b : a, "expire"), BB_OK);
    }
    /* b on leave through Tuesday 2027-01-05: Friday 1 January is dropped */
    assert_int_equal(cal_parse_iso("2027-01-05", &leave_end), 0);
    assert_int_equal(store_work_set_leave(f->st, b, leave_end, 0), BB_OK);
    assert_int_equal(tick(f, at("2026-12-28T00:00:00Z")), 0);
    assert_int_equal(flow_timers(f, b, "t.weekly", &due), 1);
    assert_int_equal(due, at("2027-01-01T07:00:00Z"));
    assert_int_equal(tick(f, at("2027-01-01T07:00:00Z")), 0);
    plan(f, at("2027-01-01T07:00:01Z"));
    assert_int_equal(flow_timers(f, b, "t.weekly", &due), 1);
    assert_int_equal(due, at("2027-01-08T07:00:00Z")); /* dropped: the next one planned */
    /* after the leave, Friday 8 January 16:00 WIT is after hours: Monday 11 */
    assert_int_equal(tick(f, at("2027-01-08T07:00:00Z")), 0);
    assert_int_equal(flow_timers(f, b, "t.weekly", &due), 1);
    assert_int_equal(due, at("2027-01-10T22:30:00Z"));
    core_set_work(f->core, NULL, NULL);
    work_holidays_free(hol);
}

static void test_forget_export(void **state)
{
    struct fx *f = *state;
    int64_t a = person(f, "WIB", 1, 1);
    cJSON *x = NULL;
    plan(f, at("2026-11-23T00:00:00Z"));
    assert_int_equal(store_person_export(f->st, a, &x), BB_OK);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(x, "schedule");
    assert_int_equal(cJSON_GetArraySize(s), 1);
    const cJSON *fid = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(s, 0), "flow_id");
    assert_string_equal(fid->valuestring, "t.weekly");
    cJSON_Delete(x);
    assert_int_equal(store_person_forget(f->st, a, at("2026-11-24T00:00:00Z"), NULL), BB_OK);
    struct store_sched_counts c;
    assert_int_equal(store_sched_counts(f->st, 0, &c), BB_OK);
    assert_int_equal(c.plans, 0);
    assert_int_equal(c.dirty, 0);
    assert_int_equal(flow_timers(f, a, "t.weekly", NULL), 0);
    assert_int_equal(plan(f, at("2026-11-24T00:00:01Z")), 0);
}

/* Incremental: after the first full pass, the queue alone covers a new
 * person (the re-plan cursor stays done); `sched plan --full` redoes all. */
static void test_incremental(void **state)
{
    struct fx *f = *state;
    int64_t now = at("2026-11-23T00:00:00Z");
    char v[32];
    for (int i = 0; i < 20; i++)
        person(f, i % 2 ? "WITA" : "WIB", 1, 1);
    /* The first pass may take several ticks (each has a time budget, which
     * a loaded or sanitizer-built machine can use up): tick until done. */
    v[0] = '\0';
    for (int k = 0; k < 1000 && strcmp(v, "done") != 0; k++) {
        plan(f, now);
        assert_int_equal(store_sched_meta_get(f->st, "sweep", v, sizeof(v)), BB_OK);
    }
    assert_string_equal(v, "done");
    struct store_sched_counts c;
    assert_int_equal(store_sched_counts(f->st, now, &c), BB_OK);
    assert_int_equal(c.plans, 20);
    assert_int_equal(c.pending, 20);
    assert_int_equal(c.dirty, 0);
    int64_t late = person(f, "WIT", 1, 1);
    assert_int_equal(store_sched_counts(f->st, now, &c), BB_OK);
    assert_int_equal(c.dirty, 1);
    assert_int_equal(plan(f, now + 1), 1);
    assert_int_equal(flow_timers(f, late, "t.weekly", NULL), 1);
    struct domain_ctx d = {.st = f->st, .lib = f->lib, .core = f->core, .now = now + 2};
    int did = -1;
    assert_int_equal(sched_plan_all(&d, 1, &did), BB_OK);
    assert_int_equal(did, 0); /* everything was right already */
    /* a timer removed behind the scheduler's back comes back */
    assert_int_equal(store_timer_cancel(f->st, late, "flow"), BB_OK);
    assert_int_equal(plan(f, now + 3), 1);
    assert_int_equal(flow_timers(f, late, "t.weekly", NULL), 1);
}

TFX_MAIN(cmocka_unit_test(test_next_zones), cmocka_unit_test(test_next_rules),
         cmocka_unit_test(test_next_dst), TFX_TEST(test_who_is_planned), TFX_TEST(test_zone_change),
         TFX_TEST(test_flow_change), TFX_TEST(test_fire_and_next), TFX_TEST(test_downtime),
         TFX_TEST(test_restart_between_due_and_run), TFX_TEST(test_zone_change_when_due),
         TFX_TEST(test_schedule_action_makassar), TFX_TEST(test_deferred_start),
         TFX_TEST(test_work_time), TFX_TEST(test_forget_export), TFX_TEST(test_incremental))
