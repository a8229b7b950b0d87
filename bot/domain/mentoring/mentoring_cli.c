/*
 * mentoring_cli.c - `bimbing pair suggest|apply|list|end|mentor` for HR:
 * the mentoring module's CLI row (mentoring_cmds, listed by the module in
 * mentoring.c). Called by the command line only (adapters/service).
 *
 * The CLI's only thread. Nothing global.
 */
#include "bot/domain/mentoring/mentoring_int.h"
#include "bot/base/bb.h"
#include "bot/base/cal.h"
#include "bot/core/config.h"
#include "store/store_mentoring.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- CLI: bimbing pair ... ------------------------------------------------------------ */

static const struct store_person *find_in(const struct mentoring_input *mi, int64_t id)
{
    int lo = 0, hi = mi->npeople - 1;
    while (lo <= hi) {
        int m = lo + (hi - lo) / 2;
        if (mi->people[m].id == id)
            return &mi->people[m];
        if (mi->people[m].id < id)
            lo = m + 1;
        else
            hi = m - 1;
    }
    return NULL;
}

static int cli_person(struct store *st, const char *nip, struct store_person *p)
{
    int rc = store_person_by_nip(st, nip, p);
    if (rc == BB_ENOTFOUND)
        fprintf(stderr, "bimbing: no person with NIP %s\n", nip);
    else if (rc != BB_OK)
        fprintf(stderr, "bimbing: %s\n", store_errmsg(st));
    return rc;
}

static int cli_fail(struct store *st, const char *what, int rc)
{
    fprintf(stderr, "bimbing: pair %s: %s (%s)\n", what, bb_strerror(rc), store_errmsg(st));
    return 1;
}

void mentoring_suggestion_free(struct mentoring_suggestion *s)
{
    if (!s)
        return;
    match_result_free(&s->res);
    mentoring_input_free(&s->mi);
    s->id = 0;
    s->reused = 0;
}

const struct store_person *mentoring_suggestion_person(const struct mentoring_suggestion *s,
                                                       int64_t id)
{
    return s ? find_in(&s->mi, id) : NULL;
}

/* Is suggestion sid exactly the proposal of res, with every pair still
 * waiting for approval? (Then the dashboard shows it again instead of
 * storing a copy on every page load.) */
static int same_as_stored(struct store *st, int64_t sid, const struct match_result *res, int *same)
{
    struct store_proposal *props = NULL;
    int n = 0, rc = store_proposal_list(st, sid, &props, &n);
    *same = 0;
    if (rc != BB_OK)
        return rc;
    if (n == res->npairs) {
        int found = 0;
        for (int i = 0; i < res->npairs; i++)
            for (int k = 0; k < n; k++)
                if (props[k].mentee_id == res->pairs[i].mentee_id &&
                    props[k].mentor_id == res->pairs[i].mentor_id &&
                    props[k].score == res->pairs[i].score && props[k].state == STORE_PROP_PROPOSED)
                    found++;
        *same = found == n;
    }
    free(props);
    return BB_OK;
}

int mentoring_suggest(struct store *st, const char *unit, int reuse, const char *actor, int64_t now,
                      struct mentoring_suggestion *s)
{
    int rc;
    memset(s, 0, sizeof(*s));
    if (!st || !actor)
        return BB_EINVAL;
    if ((rc = mentoring_input_build(st, unit, &s->mi)) != BB_OK)
        return rc;
    if ((rc = match_run(&s->mi.in, &s->res)) != BB_OK)
        goto out;
    if (s->res.npairs == 0)
        goto out; /* nothing to store */
    if (reuse) {
        int64_t last = 0;
        int same = 0;
        rc = store_suggestion_latest(st, &last);
        if (rc == BB_OK)
            rc = same_as_stored(st, last, &s->res, &same);
        if (rc != BB_OK && rc != BB_ENOTFOUND)
            goto out;
        rc = BB_OK;
        if (same) {
            s->id = last;
            s->reused = 1;
            goto out;
        }
    }
    rc = store_begin(st);
    if (rc != BB_OK)
        goto out;
    rc = store_suggestion_add(st, unit, now, &s->id);
    for (int i = 0; i < s->res.npairs && rc == BB_OK; i++) {
        struct store_proposal pp;
        memset(&pp, 0, sizeof(pp));
        pp.suggestion_id = s->id;
        pp.mentee_id = s->res.pairs[i].mentee_id;
        pp.mentor_id = s->res.pairs[i].mentor_id;
        pp.score = s->res.pairs[i].score;
        bb_strlcpy(pp.reasons, s->res.pairs[i].reasons, sizeof(pp.reasons));
        rc = store_proposal_add(st, &pp);
    }
    if (rc == BB_OK)
        rc = store_audit(st, actor, "pair.suggest", 0, unit ? unit : "", now);
    if (rc == BB_OK)
        rc = store_commit(st);
    else
        store_rollback(st);
out:
    if (rc != BB_OK)
        mentoring_suggestion_free(s);
    return rc;
}

static int pair_suggest(const struct domain_ctx *d, int argc, char **argv, int64_t now)
{
    const char *unit = NULL;
    struct mentoring_suggestion s;
    int rc;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--unit") == 0 && i + 1 < argc) {
            unit = argv[++i];
        } else {
            fprintf(stderr,
                    "bimbing: pair suggest: unknown argument '%s' (usage: pair suggest "
                    "[--unit NAME])\n",
                    argv[i]);
            return 2;
        }
    }
    rc = mentoring_suggest(d->st, unit, 0, "cli", now, &s);
    if (rc != BB_OK)
        return cli_fail(d->st, "suggest", rc);
    if (s.res.npairs == 0) {
        printf("no pairs to propose (%d mentee(s) looking, %d mentor(s) with room)\n",
               s.mi.in.nmentees, s.mi.in.nmentors);
    } else {
        printf("suggestion %" PRId64 ": %d pair(s) proposed, %d mentee(s) unmatched\n", s.id,
               s.res.npairs, s.res.nunmatched);
        for (int i = 0; i < s.res.npairs; i++) {
            const struct store_person *a = find_in(&s.mi, s.res.pairs[i].mentee_id);
            const struct store_person *b = find_in(&s.mi, s.res.pairs[i].mentor_id);
            if (!a || !b)
                continue;
            printf("  %s (%s, %s) -> %s (%s, %s)  score %d: %s\n", a->name, a->nip, a->unit,
                   b->name, b->nip, b->unit, s.res.pairs[i].score, s.res.pairs[i].reasons);
        }
    }
    if (s.res.nunmatched > 0) {
        printf("unmatched:\n");
        for (int i = 0; i < s.res.nunmatched; i++) {
            const struct store_person *a = find_in(&s.mi, s.res.unmatched[i].mentee_id);
            if (a)
                printf("  %s (%s, %s): %s\n", a->name, a->nip, a->unit, s.res.unmatched[i].why);
        }
    }
    if (s.id)
        printf("approve with: bimbing pair apply %" PRId64 " [--only MENTEE_NIP...]\n", s.id);
    mentoring_suggestion_free(&s);
    return 0;
}

/* Is this pair still allowed now (no active pairing for the mentee, room
 * with the mentor, never ended before)? why gets the reason when not. */
static int still_ok(struct store *st, const struct store_proposal *pp, char *why, size_t n)
{
    struct store_pairing pr;
    struct store_pairing *ended = NULL;
    struct store_mentor_profile prof;
    int nended = 0, used = 0, cap = MENTORING_DEFAULT_CAPACITY;
    int64_t since = 0;
    int rc = store_pairing_active_of(st, pp->mentee_id, &pr);
    if (rc == BB_OK) {
        bb_snprintf(why, n, "already has a mentor");
        return BB_EPERM;
    }
    if (rc != BB_ENOTFOUND)
        return rc;
    for (int side = 0; side < 2; side++) {
        rc = store_mentoring_optout_get(st, side ? pp->mentor_id : pp->mentee_id, &since);
        if (rc == BB_OK) {
            bb_snprintf(why, n, "the %s left the programme", side ? "mentor" : "mentee");
            return BB_EPERM;
        }
        if (rc != BB_ENOTFOUND)
            return rc;
    }
    rc = store_mentor_profile_get(st, pp->mentor_id, &prof);
    if (rc == BB_OK) {
        if (strcmp(prof.status, "paused") == 0) {
            bb_snprintf(why, n, "the mentor is paused");
            return BB_EPERM;
        }
        cap = prof.capacity;
    } else if (rc != BB_ENOTFOUND) {
        return rc;
    }
    if ((rc = store_pairing_count_active(st, pp->mentor_id, &used)) != BB_OK)
        return rc;
    if (used >= cap) {
        bb_snprintf(why, n, "the mentor has no room left (%d of %d)", used, cap);
        return BB_EPERM;
    }
    if ((rc = store_pairing_list_ended(st, &ended, &nended)) != BB_OK)
        return rc;
    for (int i = 0; i < nended; i++)
        if (ended[i].mentee_id == pp->mentee_id && ended[i].mentor_id == pp->mentor_id) {
            free(ended);
            bb_snprintf(why, n, "this pair was ended before");
            return BB_EPERM;
        }
    free(ended);
    return BB_OK;
}

int mentoring_apply_one(const struct domain_ctx *d, const struct store_proposal *pp,
                        const char *actor, int64_t now, struct store_pairing *pr, int *reached,
                        char *why, size_t n)
{
    struct store_person a, b;
    char detail[256];
    int rc;
    memset(pr, 0, sizeof(*pr));
    *reached = 0;
    if (why && n)
        why[0] = '\0';
    if (!d || !pp || !actor || !why || n == 0)
        return BB_EINVAL;
    if (pp->state != STORE_PROP_PROPOSED) {
        bb_snprintf(why, n, "%s",
                    pp->state == STORE_PROP_APPLIED ? "already approved" : "skipped before");
        return BB_EPERM;
    }
    if ((rc = store_person_by_id(d->st, pp->mentee_id, &a)) != BB_OK ||
        (rc = store_person_by_id(d->st, pp->mentor_id, &b)) != BB_OK)
        return rc;
    rc = still_ok(d->st, pp, why, n);
    if (rc == BB_EPERM) {
        int rc2 =
            store_proposal_set_state(d->st, pp->suggestion_id, pp->mentee_id, STORE_PROP_SKIPPED);
        return rc2 == BB_OK ? BB_EPERM : rc2;
    }
    if (rc != BB_OK)
        return rc;
    pr->mentee_id = a.id;
    pr->mentor_id = b.id;
    pr->suggestion_id = pp->suggestion_id;
    pr->started_at = now;
    if ((rc = store_pairing_add(d->st, pr, &pr->id)) != BB_OK ||
        (rc = store_proposal_set_state(d->st, pp->suggestion_id, a.id, STORE_PROP_APPLIED)) !=
            BB_OK)
        return rc;
    bb_snprintf(detail, sizeof(detail), "suggestion %" PRId64 ": mentee %s, mentor %s",
                pp->suggestion_id, a.nip, b.nip);
    if ((rc = store_audit(d->st, actor, "pair.apply", a.id, detail, now)) != BB_OK ||
        (rc = store_audit(d->st, actor, "pair.apply", b.id, detail, now)) != BB_OK)
        return rc;
    return mentoring_send_intros(d, pr, now, reached);
}

static int pair_apply(const struct domain_ctx *d, int argc, char **argv, int64_t now)
{
    int64_t sid = 0;
    char **only = NULL;
    int nonly = 0, rc, applied = 0, skipped = 0, exit_code = 0;
    struct store_proposal *props = NULL;
    int nprops = 0;
    only = calloc((size_t)argc + 1, sizeof(*only));
    if (!only)
        return 1;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--only") == 0) {
            if (i + 1 >= argc || argv[i + 1][0] == '-') {
                fprintf(stderr, "bimbing: pair apply: --only needs at least one mentee NIP\n");
                free(only);
                return 2;
            }
            while (i + 1 < argc && argv[i + 1][0] != '-')
                only[nonly++] = argv[++i];
        } else if (!sid && argv[i][0] != '-') {
            long long v;
            if (bb_parse_ll(argv[i], 1, INT64_MAX, &v) != BB_OK) {
                fprintf(stderr, "bimbing: pair apply: '%s' is not a suggestion id\n", argv[i]);
                free(only);
                return 2;
            }
            sid = v;
        } else {
            fprintf(stderr,
                    "bimbing: pair apply: unknown argument '%s' (usage: pair apply "
                    "[SUGGESTION_ID] [--only MENTEE_NIP...])\n",
                    argv[i]);
            free(only);
            return 2;
        }
    }
    rc = sid ? store_suggestion_exists(d->st, sid) : store_suggestion_latest(d->st, &sid);
    if (rc == BB_ENOTFOUND) {
        if (sid)
            fprintf(stderr, "bimbing: pair apply: no suggestion %" PRId64 "\n", sid);
        else
            fprintf(stderr, "bimbing: pair apply: no suggestion yet (run: bimbing pair suggest)\n");
        free(only);
        return 1;
    }
    if (rc != BB_OK || (rc = store_proposal_list(d->st, sid, &props, &nprops)) != BB_OK) {
        free(only);
        return cli_fail(d->st, "apply", rc);
    }
    /* every --only NIP must be a mentee of this suggestion: else change nothing */
    for (int k = 0; k < nonly; k++) {
        struct store_person p;
        int found = 0;
        if (store_person_by_nip(d->st, only[k], &p) == BB_OK)
            for (int i = 0; i < nprops; i++)
                found |= props[i].mentee_id == p.id;
        if (!found) {
            fprintf(stderr,
                    "bimbing: pair apply: %s is not a mentee of suggestion %" PRId64
                    "; nothing was applied\n",
                    only[k], sid);
            free(props);
            free(only);
            return 1;
        }
    }
    rc = store_begin(d->st);
    for (int i = 0; i < nprops && rc == BB_OK; i++) {
        struct store_proposal *pp = &props[i];
        struct store_person a, b;
        struct store_pairing pr;
        char why[128];
        int wanted = nonly == 0, reached = 0;
        if ((rc = store_person_by_id(d->st, pp->mentee_id, &a)) != BB_OK ||
            (rc = store_person_by_id(d->st, pp->mentor_id, &b)) != BB_OK)
            break;
        for (int k = 0; k < nonly; k++)
            wanted |= strcmp(only[k], a.nip) == 0;
        if (!wanted || pp->state != STORE_PROP_PROPOSED)
            continue;
        rc = mentoring_apply_one(d, pp, "cli", now, &pr, &reached, why, sizeof(why));
        if (rc == BB_EPERM) {
            printf("  skipped %s -> %s: %s\n", a.name, b.name, why);
            skipped++;
            rc = BB_OK;
            continue;
        }
        if (rc != BB_OK)
            break;
        printf("  paired %s (%s) -> %s (%s)", a.name, a.nip, b.name, b.nip);
        if (reached != 3)
            printf("; introduction waits for %s%s%s (never wrote to the bot)",
                   reached & 1 ? "" : a.name, reached == 0 ? " and " : "",
                   reached & 2 ? "" : b.name);
        else
            printf("; both introduced");
        printf("\n");
        applied++;
    }
    if (rc == BB_OK)
        rc = store_commit(d->st);
    else
        store_rollback(d->st);
    if (rc != BB_OK) {
        exit_code = cli_fail(d->st, "apply", rc);
    } else {
        printf("suggestion %" PRId64 ": %d pair(s) started, %d skipped\n", sid, applied, skipped);
    }
    free(props);
    free(only);
    return exit_code;
}

static int pair_list(const struct domain_ctx *d, int argc, char **argv)
{
    struct store_pairing *v = NULL;
    int n = 0, rc, all = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--all") == 0) {
            all = 1;
        } else {
            fprintf(stderr,
                    "bimbing: pair list: unknown argument '%s' (usage: pair list "
                    "[--all])\n",
                    argv[i]);
            return 2;
        }
    }
    for (int pass = 0; pass < (all ? 2 : 1); pass++) {
        rc = pass == 0 ? store_pairing_list_active(d->st, 0, &v, &n)
                       : store_pairing_list_ended(d->st, &v, &n);
        if (rc != BB_OK)
            return cli_fail(d->st, "list", rc);
        printf("%s pairings: %d\n", pass == 0 ? "active" : "ended", n);
        for (int i = 0; i < n; i++) {
            struct store_person a, b;
            char since[32], last[32], until[32];
            int count = 0;
            int64_t minutes = 0;
            char day[11];
            if (store_person_by_id(d->st, v[i].mentee_id, &a) != BB_OK ||
                store_person_by_id(d->st, v[i].mentor_id, &b) != BB_OK ||
                store_msession_stats(d->st, v[i].id, &count, &minutes, day) != BB_OK)
                continue;
            /* the command line speaks English: the short form of its date */
            mentoring_fmt_date(d, a.tz, v[i].started_at, CAL_LANG_EN, CAL_SHORT, since,
                               sizeof(since));
            mentoring_fmt_day(day, CAL_LANG_EN, CAL_SHORT, last, sizeof(last));
            printf("  %s (%s, %s) -> %s (%s, %s)  since %s, %d session(s), %" PRId64 " min", a.name,
                   a.nip, a.unit, b.name, b.nip, b.unit, since, count, minutes);
            if (count)
                printf(", last %s", last);
            if (pass == 1) {
                mentoring_fmt_date(d, a.tz, v[i].ended_at, CAL_LANG_EN, CAL_SHORT, until,
                                   sizeof(until));
                printf("; ended %s by %s: %s", until, v[i].ended_by, v[i].end_reason);
            }
            printf("\n");
        }
        free(v);
        v = NULL;
    }
    /* who left the programme (/mentor berhenti): not matched again until
     * they opt in (/mentor ikut) */
    struct store_optout *o = NULL;
    int no = 0;
    if ((rc = store_mentoring_optouts(d->st, &o, &no)) != BB_OK)
        return cli_fail(d->st, "list", rc);
    if (no > 0)
        printf("left the programme: %d\n", no);
    for (int i = 0; i < no; i++) {
        struct store_person a;
        char since[64];
        if (store_person_by_id(d->st, o[i].person_id, &a) != BB_OK)
            continue;
        mentoring_fmt_date(d, a.tz, o[i].since, CAL_LANG_EN, CAL_SHORT, since, sizeof(since));
        printf("  %s (%s, %s) since %s: %s\n", a.name, a.nip, a.unit, since,
               o[i].reason[0] ? o[i].reason : "-");
    }
    free(o);
    return 0;
}

/* pair ratings: the match ratings both sides gave after the first month,
 * only in aggregate and only from anonymity_k ratings up. */
static int pair_ratings(const struct domain_ctx *d, int argc, char **argv)
{
    int64_t count = 0, by[5] = {0};
    int k = d->cfg && d->cfg->anonymity_k >= 3 ? d->cfg->anonymity_k : 5, rc;
    if (argc > 0) {
        fprintf(stderr, "bimbing: pair ratings: unknown argument '%s' (usage: pair ratings)\n",
                argv[0]);
        return 2;
    }
    if ((rc = store_pcheck_ratings(d->st, &count, by)) != BB_OK)
        return cli_fail(d->st, "ratings", rc);
    if (count < k) {
        printf("match ratings: %" PRId64 " (hidden below %d ratings)\n", count, k);
        return 0;
    }
    int64_t sum = 0;
    for (int r = 0; r < 5; r++)
        sum += (r + 1) * by[r];
    int64_t tenths = (sum * 10 + count / 2) / count;
    printf("match ratings: %" PRId64 ", mean %" PRId64 ".%" PRId64 "\n", count, tenths / 10,
           tenths % 10);
    for (int r = 0; r < 5; r++)
        printf("  %d: %" PRId64 "\n", r + 1, by[r]);
    return 0;
}

static int pair_end(const struct domain_ctx *d, int argc, char **argv, int64_t now)
{
    const char *nip = NULL, *reason = NULL;
    struct store_person p;
    struct store_pairing pr;
    int rc, share = 0;
    (void)now;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc)
            reason = argv[++i];
        else if (strcmp(argv[i], "--share") == 0)
            share = 1;
        else if (!nip && argv[i][0] != '-')
            nip = argv[i];
        else {
            fprintf(stderr, "bimbing: pair end: unknown argument '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!nip || !reason || !reason[0]) {
        fprintf(stderr, "bimbing: usage: pair end MENTEE_NIP --reason TEXT [--share]\n");
        return 2;
    }
    if (strlen(reason) > MENTORING_REASON_MAX || !bb_utf8_valid(reason, strlen(reason))) {
        fprintf(stderr, "bimbing: pair end: the reason must be UTF-8 text of at most 255 bytes\n");
        return 2;
    }
    if (cli_person(d->st, nip, &p) != BB_OK)
        return 1;
    rc = store_pairing_active_of(d->st, p.id, &pr);
    if (rc == BB_ENOTFOUND) {
        fprintf(stderr, "bimbing: pair end: %s (%s) has no active mentor\n", p.name, nip);
        return 1;
    }
    if (rc == BB_OK)
        rc = mentoring_hr_end(d, pr.id, reason, share, "cli");
    if (rc != BB_OK)
        return cli_fail(d->st, "end", rc);
    printf("ended: %s's mentoring (reason: %s; %s)\n", p.name, reason,
           share ? "shared with both" : "kept for HR");
    return 0;
}

static int pair_reject(const struct domain_ctx *d, int argc, char **argv)
{
    const char *nip = NULL, *reason = NULL;
    struct store_person p;
    int rc;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc)
            reason = argv[++i];
        else if (!nip && argv[i][0] != '-')
            nip = argv[i];
        else {
            fprintf(stderr, "bimbing: pair reject: unknown argument '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!nip || !reason || !reason[0] || strlen(reason) > MENTORING_REASON_MAX ||
        !bb_utf8_valid(reason, strlen(reason))) {
        fprintf(stderr, "bimbing: usage: pair reject MENTEE_NIP --reason TEXT (at most 255 "
                        "bytes)\n");
        return 2;
    }
    if (cli_person(d->st, nip, &p) != BB_OK)
        return 1;
    rc = mentoring_hr_reject(d, p.id, reason, "cli");
    if (rc == BB_ENOTFOUND) {
        fprintf(stderr,
                "bimbing: pair reject: no proposed mentor waits for %s (%s) in the newest "
                "suggestion\n",
                p.name, nip);
        return 1;
    }
    if (rc != BB_OK)
        return cli_fail(d->st, "reject", rc);
    printf("rejected: the proposed mentor for %s (reason kept for HR: %s)\n", p.name, reason);
    return 0;
}

static int pair_figures(const struct domain_ctx *d)
{
    int k = d->cfg && d->cfg->anonymity_k >= 3 ? d->cfg->anonymity_k : 5;
    int rc = mentoring_figures_print(d, k);
    return rc == BB_OK ? 0 : cli_fail(d->st, "figures", rc);
}

static int pair_mentor(const struct domain_ctx *d, int argc, char **argv, int64_t now)
{
    const char *nip = NULL, *status = NULL;
    long long cap = -1;
    struct store_person p;
    struct store_mentor_profile prof;
    int rc, used = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--capacity") == 0 && i + 1 < argc) {
            if (bb_parse_ll(argv[++i], 0, MENTORING_MAX_MENTEES, &cap) != BB_OK) {
                fprintf(stderr, "bimbing: pair mentor: --capacity must be 0..%d\n",
                        MENTORING_MAX_MENTEES);
                return 2;
            }
        } else if (strcmp(argv[i], "--pause") == 0) {
            status = "paused";
        } else if (strcmp(argv[i], "--resume") == 0) {
            status = "active";
        } else if (!nip && argv[i][0] != '-') {
            nip = argv[i];
        } else {
            fprintf(stderr, "bimbing: pair mentor: unknown argument '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!nip) {
        fprintf(stderr, "bimbing: usage: pair mentor NIP [--capacity N] [--pause|--resume]\n");
        return 2;
    }
    if (cli_person(d->st, nip, &p) != BB_OK)
        return 1;
    if (strcmp(p.role, "mentor") != 0) {
        fprintf(stderr, "bimbing: pair mentor: %s (%s) has role %s, not mentor\n", p.name, nip,
                p.role);
        return 1;
    }
    (void)now;
    if (cap >= 0 || status) {
        rc = mentoring_hr_mentor(d, p.id, (int)cap,
                                 !status                         ? -1
                                 : strcmp(status, "paused") == 0 ? 1
                                                                 : 0,
                                 "cli");
        if (rc != BB_OK)
            return cli_fail(d->st, "mentor", rc);
    }
    rc = store_mentor_profile_get(d->st, p.id, &prof);
    if (rc == BB_ENOTFOUND) {
        prof.capacity = MENTORING_DEFAULT_CAPACITY;
        bb_strlcpy(prof.status, "active", sizeof(prof.status));
    } else if (rc != BB_OK) {
        return cli_fail(d->st, "mentor", rc);
    }
    if ((rc = store_pairing_count_active(d->st, p.id, &used)) != BB_OK)
        return cli_fail(d->st, "mentor", rc);
    printf("%s (%s): %s, capacity %d, %d active mentee(s); strengths: %s\n", p.name, p.nip,
           prof.status, prof.capacity, used, p.strengths[0] ? p.strengths : "-");
    return 0;
}

static int cmd_pair(const struct domain_ctx *d, int argc, char **argv)
{
    int64_t now = d->now;
    int n = 0;
    char **rest;
    if (argc < 2) {
        fprintf(stderr,
                "bimbing: usage: pair suggest|apply|list|end|reject|mentor|ratings|figures ... "
                "(see bimbing help)\n");
        return 2;
    }
    /* --at TIME anywhere: act as if it were that time (tests, back-dating) */
    rest = calloc((size_t)argc, sizeof(*rest));
    if (!rest)
        return 1;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--at") == 0 && i + 1 < argc) {
            if (bb_parse_iso8601(argv[++i], &now) != BB_OK) {
                fprintf(stderr, "bimbing: bad time \"%s\" (use ISO-8601)\n", argv[i]);
                free(rest);
                return 2;
            }
            bb_clock_set(now);
        } else {
            rest[n++] = argv[i];
        }
    }
    int rc;
    const char *sub = argv[1];
    struct domain_ctx at = *d; /* the shared calls read the time from the context */
    at.now = now;
    d = &at;
    if (strcmp(sub, "suggest") == 0)
        rc = pair_suggest(d, n, rest, now);
    else if (strcmp(sub, "apply") == 0)
        rc = pair_apply(d, n, rest, now);
    else if (strcmp(sub, "list") == 0)
        rc = pair_list(d, n, rest);
    else if (strcmp(sub, "end") == 0)
        rc = pair_end(d, n, rest, now);
    else if (strcmp(sub, "mentor") == 0)
        rc = pair_mentor(d, n, rest, now);
    else if (strcmp(sub, "ratings") == 0)
        rc = pair_ratings(d, n, rest);
    else if (strcmp(sub, "reject") == 0)
        rc = pair_reject(d, n, rest);
    else if (strcmp(sub, "figures") == 0)
        rc = pair_figures(d);
    else {
        fprintf(stderr,
                "bimbing: pair: unknown subcommand '%s' (suggest, apply, list, end, "
                "reject, mentor, ratings, figures)\n",
                sub);
        rc = 2;
    }
    free(rest);
    return rc;
}

const struct domain_cmd mentoring_cmds[] = {
    {"pair",
     "HR and mentoring",
     {{"pair suggest [--unit NAME]", "propose mentor/mentee pairs (scores, reasons, unmatched)"},
      {"pair apply [ID] [--only NIP...]",
       "approve a suggestion: start pairs, introduce both sides"},
      {"pair list [--all]", "active (and ended) pairings with their sessions"},
      {"pair end MENTEE_NIP --reason T [--share]",
       "end a mentee's pairing; tells both sides (the reason only with --share)"},
      {"pair reject MENTEE_NIP --reason T",
       "reject the newest suggestion's mentor for a mentee (reason kept for HR)"},
      {"pair mentor NIP [--capacity N] [--pause|--resume]", "a mentor's profile"},
      {"pair ratings", "match ratings after the first month, in aggregate (anonymity_k)"},
      {"pair figures", "pairs, sessions, JP and ratings per unit (units under anonymity_k folded)"},
      {"", "(pair commands take --at TIME to act as of that time)"}},
     cmd_pair},
    {NULL, NULL, {{NULL, NULL}}, NULL},
};
