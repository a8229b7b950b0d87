/*
 * privacy_cli.c - `bimbing erasure list|hold ID --reason TEXT|release ID`
 * and `bimbing purge [--at TIME]`: the privacy module's CLI rows
 * (privacy_cmds, listed by the module in privacy.c). Called by the command
 * line only (adapters/service), on the CLI's only thread.
 */
#include "bot/domain/privacy/privacy.h"
#include "bot/base/bb.h"
#include "store/store_privacy.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_id(const char *s, int64_t *id)
{
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (!s[0] || *end || v <= 0)
        return BB_EINVAL;
    *id = v;
    return BB_OK;
}

static int list(const struct domain_ctx *d)
{
    struct store_erasure *v = NULL;
    int n = 0;
    static const char *const st[] = {"pending", "held", "done", "cancelled"};
    if (store_erasure_list(d->st, 1000, &v, &n) != BB_OK) {
        fprintf(stderr, "bimbing: erasure list: %s\n", store_errmsg(d->st));
        return 1;
    }
    if (n == 0)
        printf("no erasure requests\n");
    for (int i = 0; i < n; i++) {
        char req[32], due[32];
        bb_format_iso8601(v[i].requested_at, req, sizeof(req));
        bb_format_iso8601(v[i].due_at, due, sizeof(due));
        printf("%" PRId64 "\t%-9s\t%s\t%s\trequested %s\tdue %s%s%s\n", v[i].id, st[v[i].state & 3],
               v[i].nip[0] ? v[i].nip : "-", v[i].name[0] ? v[i].name : "-", req, due,
               v[i].reason[0] ? "\treason: " : "", v[i].reason);
    }
    free(v);
    return 0;
}

static int cmd_erasure(const struct domain_ctx *d, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    char err[160];
    int64_t id = 0;
    int rc;
    if (strcmp(sub, "list") == 0 && argc == 2)
        return list(d);
    if (strcmp(sub, "hold") == 0) {
        const char *reason = NULL;
        if (argc != 5 || parse_id(argv[2], &id) != BB_OK || strcmp(argv[3], "--reason") != 0) {
            fprintf(stderr, "usage: bimbing erasure hold ID --reason TEXT\n");
            return 2;
        }
        reason = argv[4];
        rc = privacy_erasure_hold(d, id, "cli", reason, err, sizeof(err));
        if (rc != BB_OK) {
            fprintf(stderr, "bimbing: erasure hold: %s\n", err[0] ? err : bb_strerror(rc));
            return 1;
        }
        printf("request %" PRId64 " is on hold; the person has been told the reason.\n", id);
        return 0;
    }
    if (strcmp(sub, "release") == 0) {
        if (argc != 3 || parse_id(argv[2], &id) != BB_OK) {
            fprintf(stderr, "usage: bimbing erasure release ID\n");
            return 2;
        }
        rc = privacy_erasure_release(d, id, "cli", err, sizeof(err));
        if (rc != BB_OK) {
            fprintf(stderr, "bimbing: erasure release: %s\n", err[0] ? err : bb_strerror(rc));
            return 1;
        }
        printf("request %" PRId64 " is pending again; the person has been told.\n", id);
        return 0;
    }
    fprintf(stderr, "usage: bimbing erasure list | hold ID --reason TEXT | release ID\n");
    return 2;
}

static int cmd_purge(const struct domain_ctx *d0, int argc, char **argv)
{
    struct domain_ctx d = *d0;
    int total[STORE_KEEP_N] = {0}, n[STORE_KEEP_N], more = 1, erased = 0;
    for (int i = 1; i < argc; i++) {
        int64_t t;
        if (strcmp(argv[i], "--at") == 0 && i + 1 < argc &&
            bb_parse_iso8601(argv[i + 1], &t) == BB_OK) {
            d.now = t;
            i++;
        } else {
            fprintf(stderr, "usage: bimbing purge [--at TIME]\n");
            return 2;
        }
    }
    /* due erasure requests first, then retention until nothing is left
     * (bounded: a pass is at most PRIVACY_PURGE_BATCH rows per category) */
    if (privacy_erase_due(&d, &erased) != BB_OK) {
        fprintf(stderr, "bimbing: purge: erasure failed: %s\n", store_errmsg(d.st));
        return 1;
    }
    for (int pass = 0; more && pass < 100000; pass++) {
        if (privacy_purge(&d, n, &more) != BB_OK) {
            fprintf(stderr, "bimbing: purge failed: %s\n", store_errmsg(d.st));
            return 1;
        }
        for (int c = 0; c < STORE_KEEP_N; c++)
            total[c] += n[c];
    }
    printf("erasure requests carried out: %d\n", erased);
    for (int c = 0; c < STORE_KEEP_N; c++) {
        int64_t keep = d.cfg ? d.cfg->keep[c] : 0;
        if (keep > 0)
            printf("%-12s kept %" PRId64 " days: %d %s\n", store_keep_names[c], keep / 86400,
                   total[c], c == STORE_KEEP_MESSAGES ? "blanked" : "deleted");
        else
            printf("%-12s kept until erased\n", store_keep_names[c]);
    }
    return 0;
}

const struct domain_cmd privacy_cmds[] = {
    {"erasure",
     "People and their data",
     {{"erasure list", "erasure requests made in the chat: open ones first, with due times"},
      {"erasure hold ID --reason TEXT", "put a request on hold; the person is told the reason"},
      {"erasure release ID", "lift a hold; an overdue request runs at the next pass"},
      {NULL, NULL}},
     cmd_erasure},
    {"purge",
     "People and their data",
     {{"purge [--at TIME]", "carry out due erasure requests and apply the retention settings now"},
      {NULL, NULL}},
     cmd_purge},
    {NULL, NULL, {{NULL, NULL}}, NULL},
};
