/*
 * learn_rank.c - the ranking of learning suggestions (see learn_rank.h and
 * docs/learning.md, which explains every weight below with a worked
 * example). Pure: no I/O, no clock, no allocation; the result depends only
 * on the arguments, so the same person and catalogue always get the same
 * list.
 */
#include "bot/domain/learning/learn_rank.h"
#include "bot/base/bb.h"
#include "bot/base/sapaan.h"

#include <assert.h>
#include <string.h>

/* The weights (docs/learning.md, "The score"). */
#define W_GAP       30  /* per level of gap (target - current), 0-3 */
#define W_GOAL      25  /* a development goal names one of its competencies */
#define W_LEVEL     5   /* its level fits the current level of the gap */
#define W_MODALITY  10  /* the modality the person prefers */
#define W_TIME      -15 /* longer than the person has time for */
#define W_JP_MAX    10  /* 1 per 2 JP that count toward what is still needed */
#define W_MIX       15  /* the 70-20-10 kind the person has least of */
#define W_DROPPED   -40 /* the person dropped this very item */
#define W_NEIGHBOUR -10 /* per dropped or low-rated item sharing a competency or the provider */
#define W_NEIGH_MAX -30 /* at most this much in all */
#define W_LANG      -20 /* taught in a language the person does not use */

enum learn_kind learn_kind_of(const char *modality)
{
    if (!modality || !strcmp(modality, "on-the-job"))
        return LEARN_EXPERIENCE;
    if (!strcmp(modality, "coaching") || !strcmp(modality, "mentoring") ||
        !strcmp(modality, "colleague"))
        return LEARN_SOCIAL;
    return LEARN_FORMAL;
}

/* The kind furthest below its share (70, 20, 10 percent) once one more
 * item is taken; ties in the order experience, social, formal. */
static enum learn_kind short_kind(const int mix[LEARN_NKINDS])
{
    static const int share[LEARN_NKINDS] = {70, 20, 10};
    int total = 0, best = 0, bestv = 0;
    for (int k = 0; k < LEARN_NKINDS; k++)
        total += mix[k] > 0 ? mix[k] : 0;
    for (int k = 0; k < LEARN_NKINDS; k++) {
        int deficit = share[k] * (total + 1) - 100 * (mix[k] > 0 ? mix[k] : 0);
        if (k == 0 || deficit > bestv) {
            best = k;
            bestv = deficit;
        }
    }
    return (enum learn_kind)best;
}

static const char *want_level(int current)
{
    return current <= 1 ? "dasar" : current == 2 ? "menengah" : "lanjut";
}

static int shares(const struct learn_cand *c, const struct learn_hist *h)
{
    if (c->provider && h->provider && c->provider[0] && !strcmp(c->provider, h->provider))
        return 1;
    for (int i = 0; i < c->ncomps; i++)
        for (int j = 0; j < h->ncomps; j++)
            if (!strcmp(c->comps[i], h->comps[j]))
                return 1;
    return 0;
}

/* Score one candidate; 0 when it is not offered (no gap and no goal, or
 * started or done already), else 1 with *p filled. */
static int score(const struct learn_cand *c, int idx, const struct learn_input *in,
                 enum learn_kind shortk, struct learn_pick *p)
{
    int neigh = 0;
    memset(p, 0, sizeof(*p));
    p->cand = idx;
    p->gap_comp = p->goal_comp = -1;
    for (int i = 0; i < c->ncomps; i++) {
        for (int k = 0; k < in->nneeds; k++) {
            int g = in->needs[k].target - in->needs[k].current;
            if (strcmp(c->comps[i], in->needs[k].comp) != 0)
                continue;
            g = g < 0 ? 0 : g > 3 ? 3 : g;
            if (g > p->gap) {
                p->gap = g;
                p->gap_comp = i;
            }
        }
        for (int k = 0; k < in->ngoals && p->goal_comp < 0; k++)
            if (in->goals[k] && strstr(in->goals[k], c->comps[i]))
                p->goal_comp = i;
    }
    if (!p->gap && p->goal_comp < 0)
        return 0;
    for (int k = 0; k < in->nhist; k++) {
        const struct learn_hist *h = &in->hist[k];
        if (!strcmp(h->id, c->id)) {
            if (h->state == LEARN_STARTED || h->state == LEARN_DONE)
                return 0;
            p->p_history += W_DROPPED;
        } else if ((h->state == LEARN_DROPPED || (h->rating >= 1 && h->rating <= 2)) &&
                   shares(c, h)) {
            neigh += W_NEIGHBOUR;
        }
    }
    p->p_history += neigh < W_NEIGH_MAX ? W_NEIGH_MAX : neigh;
    p->p_gap = W_GAP * p->gap;
    p->p_goal = p->goal_comp >= 0 ? W_GOAL : 0;
    if (p->gap_comp >= 0 && c->level && c->level[0]) {
        for (int k = 0; k < in->nneeds; k++)
            if (!strcmp(in->needs[k].comp, c->comps[p->gap_comp]) &&
                !strcmp(c->level, want_level(in->needs[k].current)))
                p->p_level = W_LEVEL;
    }
    if (in->pref_modality && in->pref_modality[0] && c->modality &&
        !strcmp(in->pref_modality, c->modality))
        p->p_modality = W_MODALITY;
    if (in->max_jp > 0 && c->jp > in->max_jp)
        p->p_time = W_TIME;
    if (in->jp_needed > 0 && c->jp > 0) {
        int counts = c->jp < in->jp_needed ? c->jp : in->jp_needed;
        p->p_jp = counts / 2 > W_JP_MAX ? W_JP_MAX : counts / 2;
    }
    if (learn_kind_of(c->modality) == shortk)
        p->p_mix = W_MIX;
    if (in->lang && in->lang[0] && c->lang && c->lang[0] && strcmp(in->lang, c->lang) != 0)
        p->p_lang = W_LANG;
    p->score = p->p_gap + p->p_goal + p->p_level + p->p_modality + p->p_time + p->p_jp + p->p_mix +
               p->p_history + p->p_lang;
    return 1;
}

/* a before b: higher score, then the smaller id */
static int before(const struct learn_cand *cands, const struct learn_pick *a,
                  const struct learn_pick *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    return strcmp(cands[a->cand].id, cands[b->cand].id) < 0;
}

int learn_rank(const struct learn_cand *cands, int n, const struct learn_input *in,
               struct learn_pick *out, int max)
{
    int kept = 0;
    enum learn_kind shortk;
    if (n < 0 || n > LEARN_RANK_MAX_CANDS || max < 0 || !in || (n && !cands) || (max && !out))
        return BB_EINVAL;
    shortk = short_kind(in->mix);
    for (int i = 0; i < n; i++) {
        struct learn_pick p;
        int at;
        if (!score(&cands[i], i, in, shortk, &p))
            continue;
        /* insert into the sorted top `max` */
        at = kept;
        while (at > 0 && before(cands, &p, &out[at - 1]))
            at--;
        if (at >= max)
            continue;
        if (kept < max)
            kept++;
        memmove(&out[at + 1], &out[at], (size_t)(kept - 1 - at) * sizeof(*out));
        out[at] = p;
    }
    for (int i = 1; i < kept; i++)
        assert(before(cands, &out[i - 1], &out[i]));
    return kept;
}

static const char *modality_label(const char *m, int en)
{
    static const struct {
        const char *m, *id, *en;
    } l[] = {{"e-learning", "e-learning", "e-learning"},
             {"klasikal", "klasikal", "classroom"},
             {"blended", "blended learning", "blended learning"},
             {"coaching", "coaching", "coaching"},
             {"mentoring", "mentoring", "mentoring"},
             {"on-the-job", "penugasan di tempat kerja", "on-the-job assignment"},
             {"colleague", "belajar dari rekan kerja", "learning from a colleague"}};
    for (size_t i = 0; m && i < sizeof(l) / sizeof(l[0]); i++)
        if (!strcmp(m, l[i].m))
            return en ? l[i].en : l[i].id;
    return m ? m : "";
}

const char *learn_comp_label(const char *comp, int en)
{
    static const char *const traits[][2] = {
        {"nasionalisme", "nationalism"},       {"integritas", "integrity"},
        {"wawasan global", "global outlook"},  {"komunikasi", "communication"},
        {"keramahan", "hospitality"},          {"jejaring", "networking"},
        {"kewirausahaan", "entrepreneurship"},
    };
    assert(comp);
    if (en)
        for (size_t i = 0; i < sizeof(traits) / sizeof(traits[0]); i++)
            if (!strcmp(comp, traits[i][0]))
                return traits[i][1];
    return comp;
}

void learn_why(const struct learn_cand *c, const struct learn_pick *p, const struct learn_input *in,
               const char *lang, char *out, size_t n)
{
    int en = lang && !strcmp(lang, "en");
    char first[160] = "", jp[24] = "", other[32] = "";
    if (p->goal_comp >= 0) {
        bb_snprintf(first, sizeof(first),
                    en ? "matches your goal: %s"
                       : SAPAAN_REG("cocok dengan tujuan Anda: %s", "cocok dengan tujuanmu: %s"),
                    learn_comp_label(c->comps[p->goal_comp], en));
    } else if (p->gap_comp >= 0) {
        int cur = 0, tgt = 0;
        for (int k = 0; k < in->nneeds; k++)
            if (!strcmp(in->needs[k].comp, c->comps[p->gap_comp])) {
                cur = in->needs[k].current;
                tgt = in->needs[k].target;
            }
        bb_snprintf(first, sizeof(first),
                    en ? "builds %s (level %d, target %d)"
                       : "mengembangkan %s (level %d, target %d)",
                    learn_comp_label(c->comps[p->gap_comp], en), cur, tgt);
    }
    if (c->jp > 0)
        bb_snprintf(jp, sizeof(jp), "; %d JP", c->jp);
    if (in->lang && in->lang[0] && c->lang && c->lang[0] && strcmp(in->lang, c->lang) != 0)
        bb_snprintf(other, sizeof(other), "; %s",
                    !strcmp(c->lang, "en") ? (en ? "in English" : "dalam bahasa Inggris")
                                           : (en ? "in Indonesian" : "dalam bahasa Indonesia"));
    bb_snprintf(out, n, "%s%s; %s%s", first, jp, modality_label(c->modality, en), other);
}
