/*
 * bench_people.c - set up a database for benchmarks: N people, each linked
 * to a chat id on one channel (base + i) and with data consent given, in
 * one transaction. --channel none links nobody (they sign in with invite
 * codes, e.g. the web chat's load, bench/webchat.sh). Not for production use.
 *
 *   bench_people --db PATH --count N [--channel telegram|none] [--base 1000000000]
 *                [--start TEXT [--flows DIR]]
 *
 * --start: each person then sends TEXT (e.g. "/checkin"), which the real
 * core and flows handle in batches, as `bimbing serve` would; the replies
 * are marked sent, so the people wait mid-flow with nothing to send
 * (bench/idle.sh at 100,000 people, where the network path takes too long
 * on a shared machine).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/bb.h"
#include "bot/core/core.h"
#include "bot/core/domain.h"
#include "bot/domain/modules.h"
#include "bot/flow/flow.h"
#include "store/store.h"

#define BP_BATCH 1000

/* Every person sends text through the core; the replies are marked sent. */
static int start_all(struct store *st, const char *flows, const char *channel, long long count,
                     long long base, const char *text)
{
    struct flow_lib *lib = NULL;
    struct core *core = NULL;
    struct flow_diags d;
    struct flow_actions acts = domain_flow_actions(domain_modules);
    int rc;
    flow_diags_init(&d);
    rc = flow_lib_new(&lib);
    if (rc == BB_OK) {
        flow_lib_set_actions(lib, &acts);
        rc = flow_lib_load_dir(lib, flows, &d);
    }
    if (rc == BB_OK)
        rc = core_new(st, lib, domain_modules, &core);
    for (int i = 0; rc == BB_OK && i < flow_lib_count(lib); i++) {
        const struct flow *f = flow_lib_at(lib, i);
        rc = store_flow_put(st, f->id, f->version, f->source, bb_now());
    }
    for (long long i = 0; rc == BB_OK && i < count; i += BP_BATCH) {
        long long n = count - i < BP_BATCH ? count - i : BP_BATCH;
        int got = 0, dup = 0;
        rc = store_begin(st);
        for (long long k = 0; rc == BB_OK && k < n; k++) {
            struct store_inbox_event ev;
            memset(&ev, 0, sizeof(ev));
            bb_strlcpy(ev.channel, channel, sizeof(ev.channel));
            bb_snprintf(ev.ext_user, sizeof(ev.ext_user), "%lld", base + i + k);
            bb_snprintf(ev.ext_msg_id, sizeof(ev.ext_msg_id), "bench-%lld", i + k);
            ev.kind = STORE_EV_TEXT;
            ev.text = (char *)text;
            ev.ts = bb_now();
            rc = store_inbox_add(st, &ev, &dup, NULL);
        }
        if (rc == BB_OK)
            rc = core_process(core, (int)n, &got);
        if (rc == BB_OK && got != n)
            rc = BB_EIO;
        /* what the core queued counts as sent, as egress would record it */
        for (int more = 1; rc == BB_OK && more;) {
            struct store_outbox_msg *m = NULL;
            int k = 0;
            rc = store_outbox_claim(st, channel, bb_now() + 86400, BP_BATCH, &m, &k);
            for (int j = 0; rc == BB_OK && j < k; j++)
                rc = store_outbox_mark(st, m[j].id, STORE_OUT_SENT, NULL, NULL, 0);
            store_outbox_free(m, k);
            more = k == BP_BATCH;
        }
        if (rc == BB_OK)
            rc = store_commit(st);
        else
            store_rollback(st);
    }
    if (rc != BB_OK)
        fprintf(stderr, "bench_people: starting the flows: %s (%s)\n", bb_strerror(rc),
                store_errmsg(st));
    core_free(core);
    flow_lib_free(lib);
    flow_diags_free(&d);
    return rc;
}

int main(int argc, char **argv)
{
    const char *db = NULL, *channel = "telegram", *start = NULL, *flows = "flows";
    long long count = 0, base = 1000000000LL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--db") == 0)
            db = argv[i + 1];
        else if (strcmp(argv[i], "--channel") == 0)
            channel = argv[i + 1];
        else if (strcmp(argv[i], "--start") == 0)
            start = argv[i + 1];
        else if (strcmp(argv[i], "--flows") == 0)
            flows = argv[i + 1];
        else if (strcmp(argv[i], "--count") == 0 &&
                 bb_parse_ll(argv[i + 1], 1, 10000000, &count) == BB_OK)
            ;
        else if (strcmp(argv[i], "--base") == 0 &&
                 bb_parse_ll(argv[i + 1], 1, 4000000000000000LL, &base) == BB_OK)
            ;
        else
            db = NULL, i = argc;
    }
    if (!db || count <= 0) {
        fprintf(stderr, "usage: bench_people --db PATH --count N [--channel C] [--base ID] "
                        "[--start TEXT [--flows DIR]]\n");
        return 2;
    }
    struct store *st = NULL;
    struct store_opts so = {.sync = STORE_SYNC_NORMAL, .busy_timeout = 5000};
    if (store_open(db, &so, &st) != BB_OK) {
        fprintf(stderr, "bench_people: cannot open %s\n", db);
        return 1;
    }
    int rc = store_begin(st);
    int64_t now = bb_now();
    for (long long i = 0; i < count && rc == BB_OK; i++) {
        struct store_person p;
        int64_t id;
        char ext[32];
        memset(&p, 0, sizeof(p));
        bb_snprintf(p.nip, sizeof(p.nip), "9%017lld", i + 1);
        bb_snprintf(p.name, sizeof(p.name), "Pegawai %lld", i + 1);
        bb_strlcpy(p.unit, i % 2 ? "Biro SDM" : "Dinas Kominfo", sizeof(p.unit));
        bb_strlcpy(p.role, "employee", sizeof(p.role));
        rc = store_person_upsert(st, &p, &id, NULL);
        bb_snprintf(ext, sizeof(ext), "%lld", base + i);
        if (rc == BB_OK && strcmp(channel, "none") != 0)
            rc = store_identity_link(st, channel, ext, id, now);
        if (rc == BB_OK)
            rc = store_consent_set(st, id, "data", 1, now);
    }
    if (rc == BB_OK)
        rc = store_commit(st);
    else
        store_rollback(st);
    if (rc != BB_OK)
        fprintf(stderr, "bench_people: %s\n", store_errmsg(st));
    if (rc == BB_OK && start)
        rc = start_all(st, flows, channel, count, base, start);
    store_free(st);
    return rc == BB_OK ? 0 : 1;
}
