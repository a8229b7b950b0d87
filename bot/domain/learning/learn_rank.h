/*
 * learn_rank.h - the ranking of learning suggestions: a pure function (no
 * I/O, no clock, no allocation) from candidates and what is known of the
 * person to a best-first list with each score's parts. The score is
 * documented, with a worked example, in docs/learning.md; the unit tests
 * (tests/bot/test_learn_rank.c) solve rankings by hand. Anyone may call
 * it; the learning module does, with the catalogue and the person's
 * profile, goals and history.
 */
#ifndef LEARN_RANK_H
#define LEARN_RANK_H

#include "bot/domain/learning/learn.h"

#define LEARN_RANK_MAX_CANDS 5000 /* candidates scored in one call */

/* The 70-20-10 kinds: experience (on-the-job, stretch assignments), social
 * (coaching, mentoring, a colleague), formal (e-learning, klasikal,
 * blended). */
enum learn_kind { LEARN_EXPERIENCE, LEARN_SOCIAL, LEARN_FORMAL, LEARN_NKINDS };

/* A catalogue item, or a colleague who has the skill and agreed to be
 * asked (modality "colleague", jp 0, provider their NIP). */
struct learn_cand {
    const char *id; /* unique among the candidates; ties are broken by it */
    const char *provider;
    const char *modality; /* canonical (learn_modality) or "colleague" */
    const char *level;    /* dasar, menengah, lanjut, or "" */
    int jp;
    const char *comps[LEARN_COMP_MAX]; /* normalised (learn_comp_norm) */
    int ncomps;
    const char *lang; /* the language it is taught in ("id", "en"); NULL or "": any */
};

/* One row of the competency profile: levels 1-4. */
struct learn_need {
    const char *comp;
    int current, target;
};

enum learn_state { LEARN_STARTED = 1, LEARN_DONE, LEARN_DROPPED };

/* Something the person took before (from the catalogue, even retired). */
struct learn_hist {
    const char *id;
    const char *provider;
    const char *comps[LEARN_COMP_MAX];
    int ncomps;
    int state;  /* enum learn_state */
    int rating; /* the "how useful" answer 1-5 when done; 0 none */
};

struct learn_input {
    const struct learn_need *needs;
    int nneeds;
    const char *const *goals; /* open development goals' texts, lower case */
    int ngoals;
    const char *pref_modality; /* NULL or "": no preference */
    int max_jp;                /* longest item the person has time for; 0: no limit */
    const struct learn_hist *hist;
    int nhist;
    int jp_needed;         /* JP still needed to reach 20 this year (0 when reached) */
    int mix[LEARN_NKINDS]; /* items started or done in the last 12 months, per kind */
    const char *lang;      /* the language the person uses ("id", "en"); NULL or "": any */
};

/* The parts of one candidate's score (docs/learning.md). */
struct learn_pick {
    int cand;      /* index into the candidates */
    int score;     /* the sum of the parts below */
    int gap;       /* largest (target - current) over its competencies, 0-3 */
    int gap_comp;  /* which of its competencies has it (-1: none) */
    int goal_comp; /* its first competency a goal names (-1: none) */
    int p_gap, p_goal, p_level, p_modality, p_time, p_jp, p_mix, p_history, p_lang;
};

/* The 70-20-10 kind of a modality. */
enum learn_kind learn_kind_of(const char *modality);

/* Score every candidate, keep the relevant ones (a gap or a goal; not
 * started or done already), best first, ties by id (strcmp). Writes at
 * most max picks to out; returns how many, or BB_EINVAL for a bad
 * argument (n over LEARN_RANK_MAX_CANDS). */
int learn_rank(const struct learn_cand *cands, int n, const struct learn_input *in,
               struct learn_pick *out, int max);

/* How a competency reads in a language: the Smart ASN traits, stored by
 * their Indonesian key ("wawasan global"), have an English label
 * ("global outlook"); any other competency reads as stored. Never NULL. */
const char *learn_comp_label(const char *comp, int en);

/* The one line saying why, in lang ("id" or "en"), e.g. "cocok dengan
 * tujuan Anda: analisis data; 20 JP; e-learning" (in the casual register,
 * sapaan.h, "tujuanmu"); an item in another language than the person's
 * says which ("; in English"). */
void learn_why(const struct learn_cand *c, const struct learn_pick *p, const struct learn_input *in,
               const char *lang, char *out, size_t n);

#endif
