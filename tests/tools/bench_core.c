/*
 * bench_core.c - the core benchmark: inbound event -> flow step -> durable
 * commit -> reply queued, measured in one process on the real store, flows
 * and core (no network). People run the weekly check-in over and over.
 *
 *   bench_core [--people N] [--events N] [--batch N] [--sync full|normal] [--flows DIR]
 *              [--split]
 *
 * Each round is one pass of the service loop: `batch` events are appended
 * to the inbox (as ingress does) and the core processes them, in one
 * transaction, one commit (as `bimbing serve` does). --split commits the
 * ingress and the core separately (two commits a round: how the loop ran
 * before, for comparison). An event's latency runs from the start of its
 * round to the commit that made its step durable. Prints events/s and
 * latency percentiles as one JSON line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bot/base/bb.h"
#include "bot/core/core.h"
#include "bot/core/domain.h"
#include "bot/domain/modules.h"
#include "bot/flow/flow.h"
#include "store/store.h"

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
    int people = 1000, events = 100000, batch = 100, sync = STORE_SYNC_FULL, split = 0;
    const char *flows = "flows";
    char dir[] = "/tmp/bimbing-bench-XXXXXX", path[128];
    static const char *script[] = {"/checkin", "4", "Selesai laporan", "Menunggu data", "tidak"};

    for (int i = 1; i < argc; i++) {
        long long v;
        if (i + 1 < argc && strcmp(argv[i], "--people") == 0 &&
            bb_parse_ll(argv[i + 1], 1, 1000000, &v) == BB_OK)
            people = (int)v, i++;
        else if (i + 1 < argc && strcmp(argv[i], "--events") == 0 &&
                 bb_parse_ll(argv[i + 1], 1, 100000000, &v) == BB_OK)
            events = (int)v, i++;
        else if (i + 1 < argc && strcmp(argv[i], "--batch") == 0 &&
                 bb_parse_ll(argv[i + 1], 1, 1000, &v) == BB_OK)
            batch = (int)v, i++;
        else if (i + 1 < argc && strcmp(argv[i], "--sync") == 0)
            sync = strcmp(argv[++i], "normal") == 0 ? STORE_SYNC_NORMAL : STORE_SYNC_FULL;
        else if (i + 1 < argc && strcmp(argv[i], "--flows") == 0)
            flows = argv[++i];
        else if (strcmp(argv[i], "--split") == 0)
            split = 1;
        else {
            fprintf(stderr, "usage: bench_core [--people N] [--events N] [--batch N] "
                            "[--sync full|normal] [--flows DIR] [--split]\n");
            return 2;
        }
    }
    if (!mkdtemp(dir))
        return 1;
    bb_snprintf(path, sizeof(path), "%s/db", dir);
    bb_log_threshold = BB_LOG_ERR;

    struct store *st = NULL;
    struct store_opts so = {.sync = sync, .busy_timeout = 5000};
    struct flow_lib *lib = NULL;
    struct core *core = NULL;
    struct flow_diags d;
    struct flow_actions acts = domain_flow_actions(domain_modules);
    flow_diags_init(&d);
    if (store_open(path, &so, &st) != BB_OK || flow_lib_new(&lib) != BB_OK ||
        (flow_lib_set_actions(lib, &acts), flow_lib_load_dir(lib, flows, &d)) != BB_OK ||
        core_new(st, lib, domain_modules, &core) != BB_OK) {
        fprintf(stderr, "bench_core: set-up failed\n");
        return 1;
    }
    for (int i = 0; i < flow_lib_count(lib); i++) {
        const struct flow *f = flow_lib_at(lib, i);
        store_flow_put(st, f->id, f->version, f->source, bb_now());
    }
    store_begin(st);
    for (int i = 0; i < people; i++) {
        struct store_person p;
        int64_t id;
        memset(&p, 0, sizeof(p));
        bb_snprintf(p.nip, sizeof(p.nip), "%018d", i + 1);
        bb_snprintf(p.name, sizeof(p.name), "Pegawai %d", i + 1);
        bb_strlcpy(p.unit, "Biro SDM", sizeof(p.unit));
        bb_strlcpy(p.role, "employee", sizeof(p.role));
        store_person_upsert(st, &p, &id, NULL);
        store_identity_link(st, "bench", p.nip, id, bb_now());
        /* onboarded, with consent to their data: the check-in runs */
        store_consent_set(st, id, "data", 1, bb_now());
    }
    store_commit(st);

    int64_t *lat = calloc((size_t)events, sizeof(int64_t));
    int *step = calloc((size_t)people, sizeof(int));
    if (!lat || !step)
        return 1;
    int done = 0, next_person = 0;
    unsigned long long msg = 0;
    int64_t t0 = now_us();
    while (done < events) {
        int n = events - done < batch ? events - done : batch;
        int64_t start = now_us();
        store_begin(st);
        for (int k = 0; k < n; k++) {
            struct store_inbox_event ev;
            int dup;
            int p = next_person;
            next_person = (next_person + 1) % people;
            memset(&ev, 0, sizeof(ev));
            bb_strlcpy(ev.channel, "bench", sizeof(ev.channel));
            bb_snprintf(ev.ext_user, sizeof(ev.ext_user), "%018d", p + 1);
            bb_snprintf(ev.ext_msg_id, sizeof(ev.ext_msg_id), "m%llu", msg++);
            ev.kind = STORE_EV_TEXT;
            ev.text = (char *)script[step[p]];
            step[p] = (step[p] + 1) % 5;
            ev.ts = bb_now();
            if (store_inbox_add(st, &ev, &dup, NULL) != BB_OK) {
                fprintf(stderr, "bench_core: inbox: %s\n", store_errmsg(st));
                return 1;
            }
        }
        if (split && store_commit(st) != BB_OK)
            return 1;
        int got = 0;
        if (core_process(core, n, &got) != BB_OK || got != n) {
            fprintf(stderr, "bench_core: core processed %d of %d: %s\n", got, n, store_errmsg(st));
            return 1;
        }
        if (!split && store_commit(st) != BB_OK)
            return 1;
        int64_t end = now_us();
        for (int k = 0; k < n; k++)
            lat[done + k] = end - start;
        done += n;
    }
    int64_t total = now_us() - t0;
    struct core_stats cs;
    core_get_stats(core, &cs);
    qsort(lat, (size_t)events, sizeof(int64_t), cmp_i64);
    printf("{\"bench\":\"core\",\"people\":%d,\"events\":%d,\"batch\":%d,\"sync\":\"%s\","
           "\"commits_per_round\":%d,\"events_per_s\":%.0f,\"replies\":%lld,\"p50_ms\":%.2f,\"p99_"
           "ms\":%.2f,\"max_ms\":%.2f,"
           "\"errors\":%lld}\n",
           people, events, batch, sync == STORE_SYNC_FULL ? "full" : "normal", split ? 2 : 1,
           events / (total / 1e6), (long long)cs.replies, lat[events / 2] / 1000.0,
           lat[(int64_t)events * 99 / 100] / 1000.0, lat[events - 1] / 1000.0,
           (long long)cs.errors);
    core_free(core);
    flow_lib_free(lib);
    store_free(st);
    flow_diags_free(&d);
    free(lat);
    free(step);
    char cmd[256];
    bb_snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return cs.errors ? 1 : 0;
}
