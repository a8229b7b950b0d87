/*
 * bench_people.c - set up a database for benchmarks: N people, each linked
 * to a chat id on one channel (base + i) and with data consent given, in
 * one transaction. --channel none links nobody (they sign in with invite
 * codes, e.g. the web chat's load, bench/webchat.sh). Not for production use.
 *
 *   bench_people --db PATH --count N [--channel telegram|none] [--base 1000000000]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/bb.h"
#include "store/store.h"

int main(int argc, char **argv)
{
    const char *db = NULL, *channel = "telegram";
    long long count = 0, base = 1000000000LL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--db") == 0)
            db = argv[i + 1];
        else if (strcmp(argv[i], "--channel") == 0)
            channel = argv[i + 1];
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
        fprintf(stderr, "usage: bench_people --db PATH --count N [--channel C] [--base ID]\n");
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
    store_free(st);
    return rc == BB_OK ? 0 : 1;
}
