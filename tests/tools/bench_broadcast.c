/*
 * bench_broadcast.c - how fast a broadcast is queued: makes N people (default
 * 1,000,000), each with a Telegram identity, in a fresh database, then
 * times store_broadcast_add() for segment "all" - what `bimbing broadcast`
 * runs: the recipients and the first chunk of messages - and checks the
 * count; then times `broadcast status` (store_batch_status) and one
 * top-up of the outbox (store_broadcast_fill, as the tick makes it).
 *
 *   bench_broadcast [--people N] [--db PATH] [--normal] [--reuse]
 *
 * --reuse: the database at PATH already holds the N people (from an earlier
 * run with --db; setting up 4.3 million takes minutes): no setup.
 *
 * Prints one line: "broadcast_queue people=N seconds=S rows_per_s=R
 * status_seconds=S fill_rows=N fill_seconds=S sync=full".
 * Single-threaded; owns its store.
 */
#include "bot/base/bb.h"
#include "store/store.h"
#include "store/store_int.h"
#include "store/store_survey.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long long n = 1000000;
    char path[256] = "";
    char dir[64] = "/tmp/bbbench.XXXXXX";
    struct store_opts so = {.sync = STORE_SYNC_FULL, .busy_timeout = 5000};
    struct store *st = NULL;
    int rc = 1, made_dir = 0, reuse = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--people") && i + 1 < argc) {
            if (bb_parse_ll(argv[++i], 1, 100000000, &n) != BB_OK) {
                fprintf(stderr, "bench_broadcast: bad --people\n");
                return 2;
            }
        } else if (!strcmp(argv[i], "--db") && i + 1 < argc) {
            bb_strlcpy(path, argv[++i], sizeof(path));
        } else if (!strcmp(argv[i], "--reuse")) {
            reuse = 1;
        } else if (!strcmp(argv[i], "--normal")) {
            so.sync = STORE_SYNC_NORMAL;
        } else {
            fprintf(stderr,
                    "usage: bench_broadcast [--people N] [--db PATH] [--normal] [--reuse]\n");
            return 2;
        }
    }
    if (!path[0]) {
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            return 1;
        }
        made_dir = 1;
        bb_snprintf(path, sizeof(path), "%s/db", dir);
    }
    if (store_open(path, &so, &st) != BB_OK) {
        fprintf(stderr, "bench_broadcast: cannot open %s\n", path);
        goto out;
    }
    int64_t have = 0;
    if (reuse && (store_q_int64(st, "SELECT count(*) FROM people", STORE_NOARGS, &have) != BB_OK ||
                  have != n)) {
        fprintf(stderr, "bench_broadcast: --reuse: %s holds %" PRId64 " people, not %lld\n", path,
                have, n);
        goto out;
    }
    double t0 = mono_s();
    if (store_begin(st) != BB_OK)
        goto out;
    for (long long i = 0; i < n && !reuse; i++) {
        struct store_person p;
        int64_t id = 0;
        char ext[32];
        memset(&p, 0, sizeof(p));
        bb_snprintf(p.nip, sizeof(p.nip), "19%016lld", i);
        bb_snprintf(p.name, sizeof(p.name), "Pegawai %lld", i);
        bb_snprintf(p.unit, sizeof(p.unit), "Unit %lld", i % 500);
        bb_strlcpy(p.lang, i % 5 ? "id" : "en", sizeof(p.lang));
        bb_snprintf(ext, sizeof(ext), "%lld", 7000000000LL + i);
        if (store_person_upsert(st, &p, &id, NULL) != BB_OK ||
            store_identity_link(st, "telegram", ext, id, 1) != BB_OK) {
            fprintf(stderr, "bench_broadcast: setup failed: %s\n", store_errmsg(st));
            store_rollback(st);
            goto out;
        }
    }
    if (store_commit(st) != BB_OK)
        goto out;
    double t1 = mono_s();
    fprintf(stderr, "setup: %lld people with identities in %.1f s\n", n, t1 - t0);

    int64_t bid = 0, rows = 0;
    double q0 = mono_s();
    if (store_broadcast_add(st, STORE_SEG_ALL, "", "all", "Pengumuman untuk semua pegawai.",
                            "An announcement for all staff.",
                            "{\"text\":\"Pengumuman untuk semua pegawai.\"}",
                            "{\"text\":\"An announcement for all staff.\"}", bb_now(), bb_now(),
                            "bench", &bid, &rows) != BB_OK) {
        fprintf(stderr, "bench_broadcast: queueing failed: %s\n", store_errmsg(st));
        goto out;
    }
    double q1 = mono_s();
    if (rows != n) {
        fprintf(stderr, "bench_broadcast: %" PRId64 " rows queued for %lld people\n", rows, n);
        goto out;
    }
    /* `broadcast status` right after: every recipient counts as queued */
    int64_t c[7];
    double s0 = mono_s();
    if (store_batch_status(st, bid, c) != BB_OK || c[0] != n) {
        fprintf(stderr, "bench_broadcast: status counts %" PRId64 " queued of %lld\n", c[0], n);
        goto out;
    }
    double s1 = mono_s();
    /* one top-up of the outbox, as the survey module's tick makes it */
    int moved = 0;
    double f0 = mono_s();
    if (store_broadcast_fill(st, bb_now(), STORE_BROADCAST_CHUNK + 1, STORE_BROADCAST_CHUNK,
                             &moved) != BB_OK) {
        fprintf(stderr, "bench_broadcast: fill failed: %s\n", store_errmsg(st));
        goto out;
    }
    double f1 = mono_s();
    printf("broadcast_queue people=%lld seconds=%.2f rows_per_s=%.0f status_seconds=%.3f"
           " fill_rows=%d fill_seconds=%.3f sync=%s\n",
           n, q1 - q0, (double)rows / (q1 - q0), s1 - s0, moved, f1 - f0,
           so.sync == STORE_SYNC_FULL ? "full" : "normal");
    rc = 0;
out:
    store_free(st);
    if (made_dir) {
        char p[128];
        const char *suffix[] = {"", "-wal", "-shm"};
        for (int i = 0; i < 3; i++) {
            bb_snprintf(p, sizeof(p), "%s/db%s", dir, suffix[i]);
            unlink(p);
        }
        rmdir(dir);
    }
    return rc;
}
