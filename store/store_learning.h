/*
 * store_learning.h - the tables of personalised learning (docs/learning.md):
 * the catalogue (learning_items), written by `bimbing catalog` and read by
 * the learning module (bot/domain/learning/); a person's competency
 * profile (learning_profile) and learning plan (learning_plan), personal
 * data of the category development (store_person_tables). Catalogue items
 * are not personal data.
 *
 * Same thread rules and error codes as store.h. Strings are copied.
 */
#ifndef STORE_LEARNING_H
#define STORE_LEARNING_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_LEARN_ITEMS_MAX 5000 /* items read in one list */

struct store_learn_item {
    char id[48];
    char title[208];
    char provider[88];
    char modality[16];      /* e-learning, klasikal, blended, coaching, mentoring, on-the-job */
    int jp;                 /* 1..200 */
    char competencies[400]; /* normalised, joined by ';' */
    char level[12];         /* dasar, menengah, lanjut */
    char lang[4];           /* id, en */
    char url[304];
    int64_t retired_at; /* 0: offered */
    int64_t updated_at;
};

/* Add the item, or update the one with its id (a retired one is offered
 * again: the file is what HR offers). *created (may be NULL): 1 if new. */
int store_learning_item_put(struct store *st, const struct store_learn_item *it, int64_t now,
                            int *created);
/* BB_ENOTFOUND when there is no item with that id. */
int store_learning_item_get(struct store *st, const char *id, struct store_learn_item *out);
/* Retire an item (no longer suggested). BB_ENOTFOUND without it; retiring
 * a retired item keeps its first date. */
int store_learning_item_retire(struct store *st, const char *id, int64_t now);
/* Every item ordered by id (retired ones too when with_retired), at most
 * STORE_LEARN_ITEMS_MAX (BB_ELIMIT past it): *out (free it; NULL for none). */
int store_learning_items(struct store *st, int with_retired, struct store_learn_item **out, int *n);

/* ---- the competency profile ------------------------------------------- */
#define STORE_LEARN_NEEDS_MAX 64 /* competencies in one profile */
struct store_learn_need {
    char comp[64];
    int current, target; /* 1-4 */
    char source[16];     /* self, learning */
    int64_t updated_at;
};
/* Set one competency (levels 1-4, else BB_EINVAL); a new one past
 * STORE_LEARN_NEEDS_MAX is BB_ELIMIT. */
int store_learning_need_set(struct store *st, int64_t person_id, const char *comp, int current,
                            int target, const char *source, int64_t now);
/* The profile ordered by competency: into out[max], *n rows. */
int store_learning_needs(struct store *st, int64_t person_id, struct store_learn_need *out, int max,
                         int *n);
/* When the person last rated their profile themselves (source 'self'): *at
 * 0 when never. */
int store_learning_rated_at(struct store *st, int64_t person_id, int64_t *at);
/* A level seeded from what bimbing knows (docs/learning.md, "Seeding"):
 * source is the seed's name (csv_strength, csv_interest, goal, mentor,
 * reflection). A row the person rated ('self'), one a finished item moved
 * ('learning') or one seeded from another source is never changed; a row
 * from the same source is updated; a missing row is added only when
 * `add` (and while the profile has room: no error past
 * STORE_LEARN_NEEDS_MAX). */
int store_learning_need_seed(struct store *st, int64_t person_id, const char *comp, int current,
                             int target, const char *source, int add, int64_t now);

/* What the profile is seeded from besides the people CSV: the competency
 * of each open development goal (source "goal", rating 0), the tags of the
 * open mentor request ("mentor", comma-separated, rating 0) and each
 * BerAKHLAK value's latest reflection ("reflection", the value's key,
 * rating 1-5). */
#define STORE_LEARN_SEEDS_MAX 48
struct store_learn_seed {
    char source[16];
    char text[256];
    int rating;
};
int store_learning_seeds(struct store *st, int64_t person_id, struct store_learn_seed *out, int max,
                         int *n);

/* ---- preferences ------------------------------------------------------- */
struct store_learn_prefs {
    char modality[16]; /* a canonical modality (learn_modality), "" no preference */
    int max_jp;        /* longest item, in JP; 0 no limit */
    int64_t updated_at;
};
/* BB_ENOTFOUND when the person never set them. */
int store_learning_prefs_get(struct store *st, int64_t person_id, struct store_learn_prefs *out);
/* Set both (max_jp 0-200, else BB_EINVAL). */
int store_learning_prefs_set(struct store *st, int64_t person_id, const char *modality, int max_jp,
                             int64_t now);

/* One level up (not past 4; the target rises with it if passed) for the
 * competency if it is in the profile; source 'learning'. */
int store_learning_need_raise(struct store *st, int64_t person_id, const char *comp, int64_t now);

/* ---- the learning plan ------------------------------------------------- */
#define STORE_LEARN_HIST_MAX 200 /* plan rows read for the ranking */
struct store_learn_plan {
    int64_t id;
    char item_id[48];
    char state[12]; /* started, done, dropped */
    int64_t started_at, ended_at;
    int rating;
    /* of the item (still there when retired): for the ranking */
    char provider[88];
    char modality[16];
    char competencies[400];
    char title[208];
    int jp;
};
/* Start an item: BB_EEXIST while another one is started; BB_ENOTFOUND
 * without the item (or when it is retired). */
int store_learning_plan_start(struct store *st, int64_t person_id, const char *item_id,
                              int64_t now);
/* The started item, BB_ENOTFOUND when none. */
int store_learning_plan_current(struct store *st, int64_t person_id, struct store_learn_plan *out);
/* End the started item: done (rating 1-5, what was applied) or dropped. */
int store_learning_plan_end(struct store *st, int64_t plan_id, const char *state, int rating,
                            const char *applied, int64_t now);
/* The plan rows started since `since` (newest first, at most max). */
int store_learning_history(struct store *st, int64_t person_id, int64_t since,
                           struct store_learn_plan *out, int max, int *n);
/* The texts of the person's open development goals (competency and goal
 * joined by a space), newest first, at most max of n bytes each. */
int store_learning_goals(struct store *st, int64_t person_id, char (*out)[240], int max, int *n);

/* ---- a colleague who agreed to be asked -------------------------------- */
#define STORE_LEARN_ASK_MIN    3 /* a competency may be offered when rated at least this */
#define STORE_LEARN_ASK_WEEK   3 /* requests one colleague gets in 7 days, at most */
#define STORE_LEARN_ASK_OPEN_S (7 * 86400) /* a request is open this long; one per pair in it */
#define STORE_LEARN_COLLEAGUES 200         /* rows read for one lookup */

/* Agree (on 1) or no longer agree (on 0) to be asked about comp. Agreeing
 * needs comp in the person's profile rated STORE_LEARN_ASK_MIN or more:
 * BB_EINVAL otherwise, nothing written. Withdrawing what was not given is
 * BB_OK. */
int store_learning_askable_set(struct store *st, int64_t person_id, const char *comp, int on,
                               int64_t now);
/* The competencies the person agreed to be asked about, in order. */
int store_learning_askable(struct store *st, int64_t person_id, char (*out)[64], int max, int *n);

struct store_learn_colleague {
    int64_t person_id;
    char nip[24];
    char name[128];
    char panggilan[64];
    char unit[128];
    char comp[64];
    int same_unit;
};
/* Colleagues the asker may be offered: they agreed to be asked about comp
 * and still rate it STORE_LEARN_ASK_MIN or more, have the coaching-data
 * consent, are active and linked to a chat, are not the asker, got no
 * request from the asker in the last STORE_LEARN_ASK_OPEN_S (answered or
 * not: one per pair a week), and got fewer than STORE_LEARN_ASK_WEEK
 * requests from anyone in the 7 days before now. Same unit as `unit` first, then by competency
 * and NIP. */
int store_learning_colleagues(struct store *st, int64_t asker_id, const char *unit, int64_t now,
                              struct store_learn_colleague *out, int max, int *n);

struct store_learn_ask {
    int64_t id, asker_id, colleague_id;
    char comp[64];
    char state[8]; /* open, yes, no */
    int64_t created_at;
};
/* Record a request (state open): *id. BB_EEXIST when the asker made one
 * to the colleague in the last STORE_LEARN_ASK_OPEN_S, BB_ELIMIT when the colleague got
 * STORE_LEARN_ASK_WEEK in the last 7 days; nothing written then. */
int store_learning_ask_add(struct store *st, int64_t asker_id, int64_t colleague_id,
                           const char *comp, int64_t now, int64_t *id);
/* The oldest request still open to the colleague; BB_ENOTFOUND when none. */
int store_learning_ask_open(struct store *st, int64_t colleague_id, int64_t now,
                            struct store_learn_ask *out);
/* Answer an open request of this colleague (yes 1 / no 0): BB_ENOTFOUND
 * when it is not theirs, not open or too old. */
int store_learning_ask_answer(struct store *st, int64_t ask_id, int64_t colleague_id, int yes,
                              int64_t now, struct store_learn_ask *out);

#endif
