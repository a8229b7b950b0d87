/*
 * mentoring.h - the mentor programme: mentor profiles (strengths, capacity,
 * active or paused), matching suggestions (bot/domain/mentoring/match.c does the matching;
 * this module builds its input from the store), HR approval, pairings,
 * introductions, mentoring sessions (minutes that count toward the yearly
 * 20 JP), check-in summaries and help requests to the mentor (only with the
 * mentee's "mentor_share" consent), and nudges to pairs that have not met.
 *
 * A domain module (bot/core/domain.h): flow actions notify_mentor, mentor_summary,
 * mentees_list, log_session, end_pairing; person fields has_mentor,
 * mentor_name, is_mentor, mentee_count, mentee_names, shares_with_mentor;
 * a tick (introductions not yet delivered, nudges); the CLI command `pair`.
 * docs/mentoring.md describes it for HR and for flow authors.
 *
 * Thread rules: core thread or the CLI's only thread; no global state.
 */
#ifndef MENTORING_H
#define MENTORING_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "bot/core/domain.h"
#include "bot/domain/mentoring/match.h"
#include "store/store.h"
#include "store/store_mentoring.h"

extern const struct domain_module mentoring_module;

#define MENTORING_DEFAULT_CAPACITY 2   /* mentees per mentor without a profile row */
#define MENTORING_NUDGE_WEEKS      3   /* a pair that has not met this long is nudged */
#define MENTORING_MAX_MENTEES      20  /* mentees a mentor may have at once (capacity cap) */
#define MENTORING_REASON_MAX       255 /* bytes of a reason HR gives (end, reject) */
#define MENTORING_MET_AFTER_DAYS   7   /* "did you meet?" this long after pairing */
#define MENTORING_MET_ASKS         2   /* asked at most this often ("not yet": a week later) */
#define MENTORING_RATE_AFTER_DAYS  30  /* "how is the match?" after the first month */

/* The active mentor of a mentee: BB_OK with *mentor_id, BB_ENOTFOUND when the
 * person has no active pairing, or a store error. */
int mentoring_mentor_of(struct store *st, int64_t mentee_id, int64_t *mentor_id);

/* Minutes of mentoring sessions held in calendar year `year` (UTC dates)
 * with the person on either side (mentee or mentor). 45 minutes = 1 JP. */
int mentoring_minutes_in_year(struct store *st, int64_t person_id, int year, int64_t *minutes);

/* A civil-service grade (golongan/ruang) as a seniority rank: "I/a" = 1 ...
 * "I/d" = 4, "II/a" = 5 ... "II/d" = 8, "III/a" = 9 ... "III/d" = 12,
 * "IV/a" = 13 ... "IV/e" = 17. Case and spaces do not matter ("iv / b").
 * Anything else (empty, "V/a", "I/e", PPPK grades) is 0: unknown. */
int mentoring_grade_rank(const char *grade);

/* The matching input built from the store, as `pair suggest` builds it:
 *   mentees  role employee, no active pairing, and goals: their interests
 *            plus the tags of an open mentor request (mentor_requests, when
 *            that table exists); unit (if not NULL/"") keeps only mentees of
 *            that unit (mentors come from every unit);
 *   mentors  role mentor, profile not paused, capacity (profile, default
 *            MENTORING_DEFAULT_CAPACITY) minus active mentees, when > 0;
 *   everyone every person (supervisor chains);
 *   bans     every ended pairing.
 * Owns its strings; release with mentoring_input_free(). */
struct mentoring_input {
    struct match_input in;
    struct store_person *people; /* everyone, by id */
    int npeople;
    struct match_person *everyone, *mentees, *mentors;
    struct match_pair_ban *bans;
    char **goals; /* per mentee: the joined goal tags (owned) */
};

int mentoring_input_build(struct store *st, const char *unit, struct mentoring_input *out);
void mentoring_input_free(struct mentoring_input *mi);

/* A matching run, as `pair suggest` does it: the input built from the store
 * (unit as for mentoring_input_build), match_run(), and, when any pair is
 * proposed, a new numbered suggestion with its proposals, audit-logged
 * (pair.suggest) with actor. reuse: when the newest stored suggestion is
 * exactly these pairs, all still waiting for approval, keep it instead of
 * storing a copy (the dashboard computes one on every page load).
 * id is 0 when nothing was proposed. Release with mentoring_suggestion_free. */
struct mentoring_suggestion {
    struct mentoring_input mi;
    struct match_result res;
    int64_t id;
    int reused; /* 1: id is an earlier suggestion */
};

int mentoring_suggest(struct store *st, const char *unit, int reuse, const char *actor, int64_t now,
                      struct mentoring_suggestion *s);
void mentoring_suggestion_free(struct mentoring_suggestion *s);
/* A person of the suggestion's input by id (NULL when unknown). */
const struct store_person *mentoring_suggestion_person(const struct mentoring_suggestion *s,
                                                       int64_t id);

/* Approve one proposal (HR approval; inside the caller's transaction): the
 * re-checks of `pair apply` (the mentee has no mentor yet, the mentor is not
 * paused and has room, the pair was never ended), the pairing, the proposal
 * marked applied, audit pair.apply (actor) on both people, and both
 * introductions (*reached: bit 1 mentee, 2 mentor; a side that never wrote
 * to the bot gets it from the tick later). BB_EPERM when the proposal is no
 * longer allowed or not waiting any more: why says so, and a proposal that
 * failed a re-check is marked skipped. *pr is the new pairing. */
int mentoring_apply_one(const struct domain_ctx *d, const struct store_proposal *pp,
                        const char *actor, int64_t now, struct store_pairing *pr, int *reached,
                        char *why, size_t n);

/* The HR dashboard's hooks (adapters/admin/admin_hooks.h names them; code in
 * bot/domain/mentoring/mentoring_admin.c). Contract and JSON shapes: admin_hooks.h and
 * docs/api.md; err holds at least MENTORING_ERR_MAX bytes. suggest runs a
 * matching (mentoring_suggest, reuse on, actor "system") and lists its pairs;
 * apply approves one pair of the newest suggestion (BB_EINVAL: not in it,
 * BB_EEXIST: no longer allowed or already approved; err says which); list
 * gives the active pairings. */
#define MENTORING_ERR_MAX 256
int mentoring_admin_suggest(const struct domain_ctx *d, cJSON **out, char *err);
int mentoring_admin_apply(const struct domain_ctx *d, const char *mentor_nip,
                          const char *mentee_nip, const char *actor, cJSON **out, char *err);
int mentoring_admin_list(const struct domain_ctx *d, cJSON **out, char *err);

/* HR's decisions, one code path for `bimbing pair` and the dashboard
 * (adapters/admin/admin_bcmentor.c). Each writes the audit log as actor. */
/* End an active pairing with a reason (1..MENTORING_REASON_MAX bytes of
 * UTF-8): both sides told in their language; the reason in what they are
 * told only when share. BB_ENOTFOUND: no such pairing; BB_EEXIST: ended
 * already; BB_EINVAL: bad reason. One transaction. */
int mentoring_hr_end(const struct domain_ctx *d, int64_t pairing_id, const char *reason, int share,
                     const char *actor);
/* Reject the newest suggestion's proposed mentor for mentee_id, with a
 * reason kept for HR (the pair was never announced, so nobody is told):
 * the proposal is marked rejected and that pair is never proposed again
 * (like an ended one). BB_ENOTFOUND: no waiting proposal. */
int mentoring_hr_reject(const struct domain_ctx *d, int64_t mentee_id, const char *reason,
                        const char *actor);
/* A mentor's capacity (-1 keeps it) and pause (1 paused: no new
 * suggestions, current pairs stay; 0 active; -1 keeps it). BB_EINVAL:
 * capacity over MENTORING_MAX_MENTEES; BB_EPERM: not a mentor. */
int mentoring_hr_mentor(const struct domain_ctx *d, int64_t person_id, int capacity, int paused,
                        const char *actor);

/* The dashboard's lists: mentors {"mentors":[{"nip","name","unit","capacity",
 * "active","paused"}]}; programme figures per unit of the mentee, units
 * with fewer than k mentees folded into one line "(other units)":
 * {"k","units":[{"unit","mentees","pairs","active","ended","sessions","jp",
 * "ratings","rating_mean"}],"total":{...}} (rating_mean null under k
 * ratings). */
int mentoring_admin_mentors(const struct domain_ctx *d, cJSON **out, char *err);
int mentoring_admin_figures(const struct domain_ctx *d, int k, cJSON **out, char *err);
/* The same figures as text for `bimbing pair figures`. */
int mentoring_figures_print(const struct domain_ctx *d, int k);

#endif
