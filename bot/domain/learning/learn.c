/*
 * learn.c - the "learning" module (see learn.h): the flow actions of the
 * competency profile (/profil) and of suggestions (/belajar), run by the
 * core inside its batch for the person whose event it handles, and the
 * module row. Core thread only; no state outside the store.
 *
 *   learn_profile_show  seeds the profile (see seed()), result: the profile
 *                       with each row's source and the preferences as a
 *                       message ("none" when empty)
 *   learn_profile_set   fields comp, current, target (1-4): set one row
 *   learn_prefs_set     fields pref_mod (an option id of learning.profile),
 *                       pref_time (upto4, upto8, upto20, nolimit): the preferences
 *   learn_suggest       seeds the profile; result: "started" (value: the
 *                       item, message its title), "ok" (options: up to 3
 *                       items, best first, a colleague who agreed to be
 *                       asked among them; message: each with the line
 *                       saying why), "noprofile" (nothing known),
 *                       "nomatch" (nothing in the catalogue fits) or
 *                       "none" (no catalogue and no colleague)
 *   learn_start         fields pick: the item is started ("ok"), or the
 *                       colleague asked ("asked", learn_social.c)
 *   learn_done          fields applied, useful (1-5); result: JP logged
 *                       (the /jp table), the profile moved
 *   learn_drop          result: the started item dropped
 *   learn_askme_*, learn_ask_answer, learn_mentee_plans: learn_social.c
 *   person              learn_profile_days: whole days since the person last
 *                       rated their profile (-1: never), for the six-monthly
 *                       revisit (learning.revisit)
 */
#include "bot/domain/learning/learn.h"
#include "bot/domain/learning/learn_int.h"
#include "bot/base/bb.h"
#include "bot/base/cal.h"
#include "bot/base/sapaan.h"
#include "bot/core/core.h"
#include "store/store_coaching.h"
#include "store/store_learning.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOD             "learning"
#define LEARN_SHOWN     3  /* suggestions offered at once */
#define LEARN_GOALS     16 /* open goals read */
#define JP_TARGET       20 /* JP a year */
#define MIN_PER_JP      45
#define LOG_MINUTES_MAX 1440 /* one learning_log row (store_coaching) */
#define LEARN_SEED_LIST 16   /* items read from one seeded list */

const cJSON *learn_field(const cJSON *args, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(args, "fields"), name);
}

static const char *fstr(const cJSON *args, const char *name)
{
    const cJSON *v = learn_field(args, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int fint(const cJSON *args, const char *name, int lo, int hi, int *out)
{
    const cJSON *v = learn_field(args, name);
    long long ll;
    if (cJSON_IsNumber(v) && v->valuedouble == (double)(long long)v->valuedouble)
        ll = (long long)v->valuedouble;
    else if (!cJSON_IsString(v) || bb_parse_ll(v->valuestring, lo, hi, &ll) != BB_OK)
        return BB_EINVAL;
    if (ll < lo || ll > hi)
        return BB_EINVAL;
    *out = (int)ll;
    return BB_OK;
}

int learn_en(const struct store_person *p)
{
    return !strcmp(p->lang, "en");
}

/* The outcome for a flow waiting on it; nothing when none waits. */
int learn_result(const struct domain_ctx *d, const char *status, const char *value, const char *msg)
{
    if (!d->result)
        return BB_OK;
    if (!cJSON_AddBoolToObject(d->result, "ok", !strcmp(status, "ok")) ||
        !cJSON_AddStringToObject(d->result, "status", status) ||
        !cJSON_AddStringToObject(d->result, "message", msg) ||
        (value && !cJSON_AddStringToObject(d->result, "value", value)))
        return BB_ENOMEM;
    return BB_OK;
}

/* The person's local day number now. */
static int64_t today(const struct domain_ctx *d, const struct store_person *p)
{
    return cal_floor_div(d->now + core_tz_offset(d->core, p->tz, d->now), 86400);
}

/* This year's JP minutes (the /jp sources). */
static int year_minutes(const struct domain_ctx *d, const struct store_person *p, int64_t *min)
{
    int64_t y, day = today(d, p);
    int m, dd;
    char from[16], to[16];
    cal_civil_from_days(day, &y, &m, &dd);
    bb_snprintf(from, sizeof(from), "%04lld-01-01", (long long)y);
    bb_snprintf(to, sizeof(to), "%04lld-01-01", (long long)y + 1);
    return store_coaching_jp_minutes(d->st, p->id, from, to, min);
}

/* Split "a;b;c" (a copy in buf) into comps. */
static int split(char *buf, const char *comps[LEARN_COMP_MAX])
{
    int n = 0;
    for (char *s = buf; s && *s && n < LEARN_COMP_MAX;) {
        char *e = strchr(s, ';');
        if (e)
            *e++ = '\0';
        comps[n++] = s;
        s = e;
    }
    return n;
}

/* ---- seeding the profile ----------------------------------------------- */

/* Seed one competency as written by its source (a reflection's value key
 * has '_' for its spaces); a name that is no competency is skipped. */
static int seed_one(const struct domain_ctx *d, const struct store_person *p, const char *raw,
                    int cur, int tgt, const char *source, int add)
{
    char buf[64], comp[64];
    if (strlen(raw) >= sizeof(buf))
        return BB_OK;
    bb_strlcpy(buf, raw, sizeof(buf));
    for (char *q = buf; *q; q++)
        if (*q == '_')
            *q = ' ';
    if (learn_comp_norm(buf, comp, 49) != 0)
        return BB_OK;
    return store_learning_need_seed(d->st, p->id, comp, cur, tgt, source, add, d->now);
}

/* Seed each item of a list separated by ',' or ';'. */
static int seed_list(const struct domain_ctx *d, const struct store_person *p, const char *list,
                     int cur, int tgt, const char *source)
{
    char buf[512];
    int rc = BB_OK, guard = 0;
    bb_strlcpy(buf, list, sizeof(buf));
    for (char *s = buf; s && *s && rc == BB_OK && guard < LEARN_SEED_LIST; guard++) {
        char *e = strpbrk(s, ",;");
        if (e)
            *e++ = '\0';
        rc = seed_one(d, p, s, cur, tgt, source, 1);
        s = e;
    }
    return rc;
}

/* The profile seeded from what bimbing knows (docs/learning.md,
 * "Seeding"), in this order, the first source of a competency keeping it:
 * open development goals (1 -> 3), the open mentor request's topics
 * (2 -> 3), BerAKHLAK self-ratings (a value's latest rating 1-2 is a gap:
 * now 1 or 2, target 3; a later rating moves a row seeded so: 3-4 -> 3,
 * 5 -> 4), the people CSV's interests (1 -> 2) and strengths (3 -> 3).
 * A row the person rated, or one learning moved, is never changed. */
static int seed(const struct domain_ctx *d, const struct store_person *p)
{
    struct store_learn_seed sd[STORE_LEARN_SEEDS_MAX];
    int n = 0, rc;
    if ((rc = store_learning_seeds(d->st, p->id, sd, STORE_LEARN_SEEDS_MAX, &n)) != BB_OK)
        return rc;
    for (int i = 0; i < n && rc == BB_OK; i++) {
        if (!strcmp(sd[i].source, "goal"))
            rc = seed_one(d, p, sd[i].text, 1, 3, "goal", 1);
        else if (!strcmp(sd[i].source, "mentor"))
            rc = seed_list(d, p, sd[i].text, 2, 3, "mentor");
        else if (sd[i].rating >= 1 && sd[i].rating <= 5) {
            int r = sd[i].rating, cur = r <= 2 ? r : r == 5 ? 4 : 3;
            rc = seed_one(d, p, sd[i].text, cur, cur > 3 ? cur : 3, "reflection", r <= 2);
        }
    }
    if (rc == BB_OK)
        rc = seed_list(d, p, p->interests, 1, 2, "csv_interest");
    if (rc == BB_OK)
        rc = seed_list(d, p, p->strengths, 3, 3, "csv_strength");
    return rc;
}

/* ---- the profile ------------------------------------------------------- */

/* Where a row of the profile came from, as the person reads it
 * {Indonesian, English, casual Indonesian}; "" for their own rating. */
static const char *source_label(const char *source, int li)
{
    static const struct {
        const char *source, *t[3];
    } l[] = {
        {"learning",
         {"naik setelah Anda menyelesaikan materi", "raised when you finished an item",
          "naik setelah kamu menyelesaikan materi"}},
        {"csv_strength",
         {"kekuatan Anda menurut data kepegawaian", "a strength in your HR record",
          "kekuatanmu menurut data kepegawaian"}},
        {"csv_interest",
         {"minat Anda menurut data kepegawaian", "an interest in your HR record",
          "minatmu menurut data kepegawaian"}},
        {"goal",
         {"dari tujuan pengembangan Anda", "from your development goal",
          "dari tujuan pengembanganmu"}},
        {"mentor",
         {"dari permintaan mentor Anda", "from your mentor request", "dari permintaan mentormu"}},
        {"reflection",
         {"dari refleksi BerAKHLAK Anda", "from your BerAKHLAK reflection",
          "dari refleksi BerAKHLAK-mu"}},
    };
    for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++)
        if (!strcmp(source, l[i].source))
            return l[i].t[SAPAAN_LI(li)];
    return "";
}

/* The preferences' modalities: the option ids of learning.profile (the
 * stored value is learn_modality's; "any" is no preference). */
static const struct {
    const char *opt, *id, *en;
} pref_modalities[] = {
    {"elearning", "e-learning", "e-learning"},
    {"klasikal", "klasikal", "classroom"},
    {"blended", "blended learning", "blended learning"},
    {"coaching", "coaching", "coaching"},
    {"mentoring", "mentoring", "mentoring"},
    {"ojt", "penugasan di tempat kerja", "on-the-job assignments"},
    {"any", "", ""},
};
#define NPREF_MODALITIES ((int)(sizeof(pref_modalities) / sizeof(pref_modalities[0])))

/* The preferences' time limits: option id -> longest item in JP (0 none). */
static const struct {
    const char *opt;
    int jp;
} pref_times[] = {{"upto4", 4}, {"upto8", 8}, {"upto20", 20}, {"nolimit", 0}};

/* The line on preferences at the end of the profile. */
static void prefs_line(struct bb_buf *b, const struct store_learn_prefs *pf, int found, int li)
{
    const char *mod = "";
    if (!found) {
        bb_buf_puts(b, li ? "\nLearning preferences: not set yet."
                          : "\nPreferensi belajar: belum diatur.");
        return;
    }
    for (int i = 0; i < NPREF_MODALITIES; i++) {
        const char *m = learn_modality(pref_modalities[i].opt);
        if (m && pf->modality[0] && !strcmp(m, pf->modality))
            mod = li ? pref_modalities[i].en : pref_modalities[i].id;
    }
    bb_buf_puts(b, li ? "\nLearning preferences: " : "\nPreferensi belajar: ");
    bb_buf_puts(b, mod[0] ? mod : li ? "any way of learning" : "cara belajar apa saja");
    if (pf->max_jp)
        bb_buf_printf(b, li ? ", items of at most %d JP." : ", materi paling lama %d JP.",
                      pf->max_jp);
    else
        bb_buf_puts(b, li ? ", any length." : ", lama materi berapa pun.");
}

static int act_profile_show(const struct domain_ctx *d, const struct store_person *p,
                            const cJSON *args)
{
    struct store_learn_need nd[STORE_LEARN_NEEDS_MAX];
    struct store_learn_prefs pf;
    struct bb_buf b;
    int n = 0, rc, found, li = learn_en(p), seeded = 0;
    (void)args;
    if ((rc = seed(d, p)) != BB_OK ||
        (rc = store_learning_needs(d->st, p->id, nd, STORE_LEARN_NEEDS_MAX, &n)) != BB_OK)
        return rc;
    rc = store_learning_prefs_get(d->st, p->id, &pf);
    if (rc != BB_OK && rc != BB_ENOTFOUND)
        return rc;
    found = rc == BB_OK;
    bb_buf_init(&b, 4096);
    if (!n)
        bb_buf_puts(&b, li ? "Your competency profile is still empty."
                           : SAPAAN_REG("Profil kompetensi Anda masih kosong.",
                                        "Profil kompetensimu masih kosong."));
    else
        bb_buf_puts(&b, li ? "Your competency profile (now → target, 1-4):"
                           : SAPAAN_REG("Profil kompetensi Anda (saat ini → target, 1-4):",
                                        "Profil kompetensimu (saat ini → target, 1-4):"));
    for (int i = 0; i < n; i++) {
        const char *src = source_label(nd[i].source, li);
        bb_buf_printf(&b, "\n- %s: %d → %d", learn_comp_label(nd[i].comp, li), nd[i].current,
                      nd[i].target);
        if (src[0])
            bb_buf_printf(&b, " (%s)", src);
        if (strcmp(nd[i].source, "self") && strcmp(nd[i].source, "learning"))
            seeded = 1;
    }
    if (seeded)
        bb_buf_puts(&b, li ? "\nThe levels with a source are my estimate from what I know; "
                             "rate them yourself to correct them."
                           : "\nLevel yang bertanda sumber adalah perkiraan saya dari data "
                             "yang ada; nilai sendiri untuk mengoreksinya.");
    prefs_line(&b, &pf, found, li);
    rc = learn_result(d, n ? "ok" : "none", NULL, b.data ? b.data : "");
    bb_buf_free(&b);
    return rc;
}

static int act_prefs_set(const struct domain_ctx *d, const struct store_person *p,
                         const cJSON *args)
{
    const char *mod = fstr(args, "pref_mod"), *lim = fstr(args, "pref_time");
    const char *canon = NULL;
    int jp = -1, rc, li = learn_en(p);
    struct store_learn_prefs pf;
    struct bb_buf b;
    for (int i = 0; mod && i < NPREF_MODALITIES; i++)
        if (!strcmp(mod, pref_modalities[i].opt))
            canon = !strcmp(mod, "any") ? "" : learn_modality(mod);
    for (size_t i = 0; lim && i < sizeof(pref_times) / sizeof(pref_times[0]); i++)
        if (!strcmp(lim, pref_times[i].opt))
            jp = pref_times[i].jp;
    if (!canon || jp < 0) {
        bb_log(BB_LOG_WARN, MOD, "learn_prefs_set: missing or bad fields; nothing stored");
        return learn_result(d, "refused", NULL,
                            li ? "I couldn't read those preferences; nothing was changed."
                               : "Preferensi itu tidak dapat saya baca; tidak ada yang diubah.");
    }
    if ((rc = store_learning_prefs_set(d->st, p->id, canon, jp, d->now)) != BB_OK ||
        (rc = store_learning_prefs_get(d->st, p->id, &pf)) != BB_OK)
        return rc;
    bb_buf_init(&b, 256);
    bb_buf_puts(&b, li ? "Saved." : "Tersimpan.");
    prefs_line(&b, &pf, 1, li);
    rc = learn_result(d, "ok", NULL, b.data ? b.data : "");
    bb_buf_free(&b);
    return rc;
}

static int act_profile_set(const struct domain_ctx *d, const struct store_person *p,
                           const cJSON *args)
{
    const char *raw = fstr(args, "comp");
    char comp[64], buf[64];
    int cur, tgt, rc;
    if (!raw || fint(args, "current", 1, 4, &cur) != BB_OK ||
        fint(args, "target", 1, 4, &tgt) != BB_OK) {
        bb_log(BB_LOG_WARN, MOD, "learn_profile_set: missing or bad fields; nothing stored");
        return BB_OK;
    }
    /* an option id names a trait with '_' for its spaces (wawasan_global) */
    bb_strlcpy(buf, raw, sizeof(buf));
    for (char *q = buf; *q; q++)
        if (*q == '_')
            *q = ' ';
    if (learn_comp_norm(buf, comp, 49) != 0)
        return learn_result(d, "refused", NULL,
                            learn_en(p)
                                ? "That name is too long for a competency; nothing was changed."
                                : "Nama kompetensi itu terlalu panjang; tidak ada yang diubah.");
    rc = store_learning_need_set(d->st, p->id, comp, cur, tgt, "self", d->now);
    if (rc == BB_ELIMIT)
        return learn_result(
            d, "refused", NULL,
            learn_en(p) ? "Your profile already has 64 competencies; nothing was changed."
                        : SAPAAN_REG("Profil Anda sudah berisi 64 kompetensi; tidak ada yang "
                                     "diubah.",
                                     "Profilmu sudah berisi 64 kompetensi; tidak ada yang "
                                     "diubah."));
    if (rc != BB_OK)
        return rc;
    char msg[200];
    bb_snprintf(msg, sizeof(msg),
                learn_en(p) ? "Saved: %s, now %d, target %d."
                            : "Tersimpan: %s, saat ini %d, target %d.",
                learn_comp_label(comp, learn_en(p)), cur, tgt);
    return learn_result(d, "ok", comp, msg);
}

/* ---- suggestions ------------------------------------------------------- */

struct ctxdata {
    struct store_learn_item *items;
    int nitems; /* catalogue items: cands[0..nitems) */
    struct learn_coll *colls;
    int ncolls; /* colleagues: cands[nitems..nitems+ncolls) */
    struct learn_cand *cands;
    struct store_learn_need needs[STORE_LEARN_NEEDS_MAX];
    struct learn_need rn[STORE_LEARN_NEEDS_MAX];
    char goals[LEARN_GOALS][240];
    const char *goalp[LEARN_GOALS];
    struct store_learn_plan hist[STORE_LEARN_HIST_MAX];
    struct learn_hist rh[STORE_LEARN_HIST_MAX];
    struct store_learn_prefs prefs;
    struct learn_input in;
};

static void ctx_free(struct ctxdata *x)
{
    if (!x)
        return;
    free(x->items);
    free(x->colls);
    free(x->cands);
    free(x);
}

/* Everything the ranking reads, from the store. */
static int gather(const struct domain_ctx *d, const struct store_person *p, struct ctxdata **out)
{
    struct ctxdata *x = calloc(1, sizeof(*x));
    int n = 0, rc;
    int64_t min = 0;
    *out = NULL;
    if (!x)
        return BB_ENOMEM;
    if ((rc = store_learning_items(d->st, 0, &x->items, &x->nitems)) != BB_OK)
        goto fail;
    if ((rc = learn_colleagues_load(d, p, &x->colls, &x->ncolls)) != BB_OK)
        goto fail;
    if (x->nitems + x->ncolls > LEARN_RANK_MAX_CANDS)
        x->ncolls = LEARN_RANK_MAX_CANDS - x->nitems;
    if (x->nitems + x->ncolls &&
        !(x->cands = calloc((size_t)(x->nitems + x->ncolls), sizeof(*x->cands)))) {
        rc = BB_ENOMEM;
        goto fail;
    }
    for (int i = 0; i < x->ncolls; i++)
        learn_coll_cand(&x->colls[i], &x->cands[x->nitems + i]);
    for (int i = 0; i < x->nitems; i++) {
        struct learn_cand *c = &x->cands[i];
        c->id = x->items[i].id;
        c->provider = x->items[i].provider;
        c->modality = x->items[i].modality;
        c->level = x->items[i].level;
        c->jp = x->items[i].jp;
        c->ncomps = split(x->items[i].competencies, c->comps);
        c->lang = x->items[i].lang;
    }
    x->in.lang = p->lang;
    rc = store_learning_prefs_get(d->st, p->id, &x->prefs);
    if (rc != BB_OK && rc != BB_ENOTFOUND)
        goto fail;
    x->in.pref_modality = x->prefs.modality;
    x->in.max_jp = x->prefs.max_jp;
    if ((rc = seed(d, p)) != BB_OK)
        goto fail;
    if ((rc = store_learning_needs(d->st, p->id, x->needs, STORE_LEARN_NEEDS_MAX, &n)) != BB_OK)
        goto fail;
    for (int i = 0; i < n; i++)
        x->rn[i] = (struct learn_need){x->needs[i].comp, x->needs[i].current, x->needs[i].target};
    x->in.needs = x->rn;
    x->in.nneeds = n;
    if ((rc = store_learning_goals(d->st, p->id, x->goals, LEARN_GOALS, &n)) != BB_OK)
        goto fail;
    for (int i = 0; i < n; i++)
        x->goalp[i] = x->goals[i];
    x->in.goals = x->goalp;
    x->in.ngoals = n;
    if ((rc = store_learning_history(d->st, p->id, d->now - 366 * 86400, x->hist,
                                     STORE_LEARN_HIST_MAX, &n)) != BB_OK)
        goto fail;
    for (int i = 0; i < n; i++) {
        struct learn_hist *h = &x->rh[i];
        const char *st = x->hist[i].state;
        h->id = x->hist[i].item_id;
        h->provider = x->hist[i].provider;
        h->ncomps = split(x->hist[i].competencies, h->comps);
        h->state = !strcmp(st, "done")      ? LEARN_DONE
                   : !strcmp(st, "dropped") ? LEARN_DROPPED
                                            : LEARN_STARTED;
        h->rating = x->hist[i].rating;
        if (h->state != LEARN_DROPPED)
            x->in.mix[learn_kind_of(x->hist[i].modality)]++;
    }
    x->in.hist = x->rh;
    x->in.nhist = n;
    if ((rc = year_minutes(d, p, &min)) != BB_OK)
        goto fail;
    x->in.jp_needed = min >= JP_TARGET * MIN_PER_JP
                          ? 0
                          : (int)((JP_TARGET * MIN_PER_JP - min + MIN_PER_JP - 1) / MIN_PER_JP);
    *out = x;
    return BB_OK;
fail:
    ctx_free(x);
    return rc;
}

static int act_suggest(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    struct store_learn_plan cur;
    struct learn_pick picks[LEARN_SHOWN];
    struct ctxdata *x = NULL;
    struct bb_buf b;
    cJSON *opts;
    int n, rc;
    (void)args;
    if (!d->result)
        return BB_OK;
    rc = store_learning_plan_current(d->st, p->id, &cur);
    if (rc == BB_OK)
        return learn_result(d, "started", cur.item_id, cur.title);
    if (rc != BB_ENOTFOUND)
        return rc;
    if ((rc = gather(d, p, &x)) != BB_OK)
        return rc;
    if ((!x->nitems && !x->ncolls) || (!x->in.nneeds && !x->in.ngoals)) {
        int nothing = !x->nitems && !x->ncolls;
        rc = learn_result(
            d, nothing ? "none" : "noprofile", NULL,
            nothing       ? (learn_en(p) ? "There is no learning catalogue yet; HR adds one."
                                         : "Katalog pembelajaran belum tersedia; Biro SDM akan "
                                           "menambahkannya.")
            : learn_en(p) ? "I don't know your competencies or goals yet. Fill in your profile "
                            "first."
                          : SAPAAN_REG("Saya belum mengetahui kompetensi maupun tujuan "
                                       "pengembangan Anda. Silakan isi profil Anda lebih dulu.",
                                       "Saya belum tahu kompetensi maupun tujuan pengembanganmu. "
                                       "Isi profilmu dulu, ya."));
        ctx_free(x);
        return rc;
    }
    n = learn_rank(x->cands, x->nitems + x->ncolls, &x->in, picks, LEARN_SHOWN);
    if (n <= 0) {
        ctx_free(x);
        if (n < 0)
            return n;
        return learn_result(
            d, "nomatch", NULL,
            learn_en(p) ? "The catalogue has nothing yet for the gaps in your profile."
                        : SAPAAN_REG("Katalog belum memiliki materi untuk kompetensi yang "
                                     "ingin Anda kembangkan.",
                                     "Katalog belum punya materi untuk kompetensi yang ingin "
                                     "kamu kembangkan."));
    }
    if (!(opts = cJSON_CreateArray())) {
        ctx_free(x);
        return BB_ENOMEM;
    }
    bb_buf_init(&b, 4096);
    bb_buf_puts(&b, learn_en(p) ? "My suggestions for you, best first:"
                                : SAPAAN_REG("Saran saya untuk Anda, yang paling cocok lebih dulu:",
                                             "Saran saya untukmu, yang paling cocok lebih dulu:"));
    for (int i = 0; i < n; i++) {
        const struct learn_cand *c = &x->cands[picks[i].cand];
        const char *title = picks[i].cand < x->nitems ? x->items[picks[i].cand].title
                                                      : x->colls[picks[i].cand - x->nitems].title;
        char why[300], label[FLOW_LABEL_MAX * 4];
        cJSON *o = cJSON_CreateObject();
        learn_why(c, &picks[i], &x->in, p->lang, why, sizeof(why));
        bb_buf_printf(&b, "\n%d. %s\n    %s", i + 1, title, why);
        bb_strlcpy(label, title, sizeof(label));
        label[bb_utf8_cut(label, strlen(label), (size_t)FLOW_LABEL_MAX)] = '\0';
        if (!o || !cJSON_AddItemToArray(opts, o) || !cJSON_AddStringToObject(o, "id", c->id) ||
            !cJSON_AddStringToObject(o, "label", label)) {
            cJSON_Delete(opts);
            bb_buf_free(&b);
            ctx_free(x);
            return BB_ENOMEM;
        }
    }
    rc = learn_result(d, "ok", NULL, b.data ? b.data : "");
    if (rc == BB_OK)
        cJSON_AddItemToObject(d->result, "options", opts);
    else
        cJSON_Delete(opts);
    bb_buf_free(&b);
    ctx_free(x);
    return rc;
}

/* A colleague picked from the suggestions: ranked again now, so only one
 * still offered (opted in, within the rate limits) is asked, about the
 * competency the ranking matched. */
static int start_colleague(const struct domain_ctx *d, const struct store_person *p, const char *id)
{
    struct learn_pick picks[LEARN_SHOWN];
    struct ctxdata *x = NULL;
    int n, rc;
    if ((rc = gather(d, p, &x)) != BB_OK)
        return rc;
    n = learn_rank(x->cands, x->nitems + x->ncolls, &x->in, picks, LEARN_SHOWN);
    rc = BB_ENOTFOUND;
    for (int i = 0; i < n && rc == BB_ENOTFOUND; i++) {
        const struct learn_pick *k = &picks[i];
        if (k->cand < x->nitems || strcmp(x->cands[k->cand].id, id))
            continue;
        int ci = k->goal_comp >= 0 ? k->goal_comp : k->gap_comp >= 0 ? k->gap_comp : 0;
        rc = learn_ask_colleague(d, p, &x->colls[k->cand - x->nitems], x->cands[k->cand].comps[ci]);
    }
    ctx_free(x);
    if (rc == BB_ENOTFOUND)
        return learn_result(
            d, "refused", NULL,
            learn_en(p) ? "That colleague can't be asked now; nothing was sent."
                        : "Rekan itu tidak dapat ditanya saat ini; tidak ada yang dikirim.");
    return rc;
}

static int act_start(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    const char *id = fstr(args, "pick");
    struct store_learn_item it;
    char msg[400];
    int rc;
    if (!id)
        return learn_result(d, "refused", NULL, "");
    if (!strncmp(id, LEARN_COLL_PREFIX, strlen(LEARN_COLL_PREFIX)))
        return start_colleague(d, p, id);
    rc = store_learning_plan_start(d->st, p->id, id, d->now);
    if (rc == BB_EEXIST || rc == BB_ENOTFOUND)
        return learn_result(
            d, "refused", NULL,
            learn_en(p) ? "That item can't be started now; nothing was changed."
                        : "Materi itu tidak dapat dimulai sekarang; tidak ada yang diubah.");
    if (rc != BB_OK || (rc = store_learning_item_get(d->st, id, &it)) != BB_OK)
        return rc;
    if (it.url[0])
        bb_snprintf(msg, sizeof(msg),
                    learn_en(p) ? "Started: %s (%d JP). Link: %s"
                                : "Dimulai: %s (%d JP). Tautan: %s",
                    it.title, it.jp, it.url);
    else
        bb_snprintf(msg, sizeof(msg), learn_en(p) ? "Started: %s (%d JP)." : "Dimulai: %s (%d JP).",
                    it.title, it.jp);
    return learn_result(d, "ok", id, msg);
}

/* The /jp kind of a modality. */
static const char *jp_kind(const char *modality)
{
    if (!strcmp(modality, "e-learning"))
        return "elearning";
    if (!strcmp(modality, "coaching") || !strcmp(modality, "mentoring"))
        return "coaching";
    if (!strcmp(modality, "on-the-job"))
        return "mandiri";
    return "pelatihan";
}

static int act_done(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    const char *applied = fstr(args, "applied");
    struct store_learn_plan cur;
    const char *comps[LEARN_COMP_MAX];
    char day[16], msg[600], moved[300] = "";
    int useful, rc, nc;
    int64_t min = 0, left;
    if (fint(args, "useful", 1, 5, &useful) != BB_OK) {
        bb_log(BB_LOG_WARN, MOD, "learn_done: missing or bad fields; nothing stored");
        return learn_result(d, "refused", NULL, "");
    }
    rc = store_learning_plan_current(d->st, p->id, &cur);
    if (rc == BB_ENOTFOUND)
        return learn_result(
            d, "none", NULL,
            learn_en(p) ? "Nothing is in progress, so nothing was changed."
                        : "Tidak ada materi yang sedang berjalan, jadi tidak ada yang diubah.");
    if (rc != BB_OK)
        return rc;
    if ((rc = store_learning_plan_end(d->st, cur.id, "done", useful, applied, d->now)) != BB_OK)
        return rc;
    /* the JP, through the /jp table (one row holds at most a day's minutes) */
    cal_format_iso(today(d, p), day, sizeof(day));
    left = (int64_t)cur.jp * MIN_PER_JP;
    for (int guard = 0; left > 0 && guard < 16; guard++) {
        int chunk = left > LOG_MINUTES_MAX ? LOG_MINUTES_MAX : (int)left;
        if ((rc = store_coaching_learning_add(d->st, p->id, d->now, day, cur.title,
                                              jp_kind(cur.modality), chunk, NULL)) != BB_OK)
            return rc;
        left -= chunk;
    }
    /* the profile moves one level for each of its competencies there */
    nc = split(cur.competencies, comps);
    for (int i = 0; i < nc; i++) {
        struct store_learn_need nd[STORE_LEARN_NEEDS_MAX];
        int n = 0;
        if ((rc = store_learning_need_raise(d->st, p->id, comps[i], d->now)) != BB_OK ||
            (rc = store_learning_needs(d->st, p->id, nd, STORE_LEARN_NEEDS_MAX, &n)) != BB_OK)
            return rc;
        for (int k = 0; k < n; k++)
            if (!strcmp(nd[k].comp, comps[i])) {
                size_t o = strlen(moved);
                bb_snprintf(moved + o, sizeof(moved) - o, "%s%s %d", o ? ", " : "",
                            learn_comp_label(nd[k].comp, learn_en(p)), nd[k].current);
            }
    }
    if ((rc = year_minutes(d, p, &min)) != BB_OK)
        return rc;
    /* this year's JP as /jp shows them: one decimal only when not whole */
    int tenths = (int)((min * 10 + MIN_PER_JP / 2) / MIN_PER_JP);
    char total[24];
    if (tenths % 10)
        bb_snprintf(total, sizeof(total), learn_en(p) ? "%d.%d" : "%d,%d", tenths / 10,
                    tenths % 10);
    else
        bb_snprintf(total, sizeof(total), "%d", tenths / 10);
    if (moved[0])
        bb_snprintf(msg, sizeof(msg),
                    learn_en(p)
                        ? "Thank you. %d JP logged for %s; this year: %s / 20 JP. Your "
                          "profile now: %s."
                        : SAPAAN_REG("Terima kasih. %d JP tercatat untuk %s; tahun ini: %s / "
                                     "20 JP. Profil Anda sekarang: %s.",
                                     "Terima kasih! %d JP tercatat untuk %s; tahun ini: %s / "
                                     "20 JP. Profilmu sekarang: %s."),
                    cur.jp, cur.title, total, moved);
    else
        bb_snprintf(msg, sizeof(msg),
                    learn_en(p) ? "Thank you. %d JP logged for %s; this year: %s / 20 JP."
                                : "Terima kasih. %d JP tercatat untuk %s; tahun ini: %s / 20 JP.",
                    cur.jp, cur.title, total);
    return learn_result(d, "ok", cur.item_id, msg);
}

static int act_drop(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    struct store_learn_plan cur;
    char msg[400];
    int rc;
    (void)args;
    rc = store_learning_plan_current(d->st, p->id, &cur);
    if (rc == BB_ENOTFOUND)
        return learn_result(
            d, "none", NULL,
            learn_en(p) ? "Nothing is in progress, so nothing was changed."
                        : "Tidak ada materi yang sedang berjalan, jadi tidak ada yang diubah.");
    if (rc != BB_OK || (rc = store_learning_plan_end(d->st, cur.id, "dropped", 0, "", d->now)))
        return rc;
    bb_snprintf(msg, sizeof(msg),
                learn_en(p) ? "Noted: you stopped %s. I'll suggest it and similar items less often."
                            : SAPAAN_REG("Dicatat: Anda berhenti mengikuti %s. Materi itu dan yang "
                                         "serupa akan lebih jarang saya sarankan.",
                                         "Dicatat: kamu berhenti mengikuti %s. Materi itu dan yang "
                                         "serupa akan lebih jarang saya sarankan."),
                cur.title);
    return learn_result(d, "ok", cur.item_id, msg);
}

static int person_fields(const struct domain_ctx *d, const struct store_person *p, cJSON *out)
{
    int64_t at = 0;
    int rc = store_learning_rated_at(d->st, p->id, &at);
    if (rc != BB_OK || (rc = learn_social_fields(d, p, out)) != BB_OK)
        return rc;
    if (!cJSON_AddNumberToObject(out, "learn_profile_days",
                                 at ? (double)((d->now - at) / 86400) : -1.0))
        return BB_ENOMEM;
    return BB_OK;
}

/* every name person_fields adds (computed on first read, domain.h) */
static const char *const field_names[] = {"learn_profile_days", "learn_ask_id", "learn_ask_from",
                                          "learn_ask_comp", NULL};

static const struct domain_action actions[] = {
    {{"learn_profile_show", 'b', {NULL}, "", "", {NULL}, "development"}, act_profile_show},
    {DOMAIN_ACTION_FIELDS("learn_profile_set", "development"), act_profile_set},
    {DOMAIN_ACTION_FIELDS("learn_prefs_set", "development"), act_prefs_set},
    {{"learn_suggest", 'b', {NULL}, "", "", {NULL}, "development"}, act_suggest},
    {DOMAIN_ACTION_FIELDS("learn_start", "development"), act_start},
    {DOMAIN_ACTION_FIELDS("learn_done", "development"), act_done},
    {{"learn_drop", 'b', {NULL}, "", "", {NULL}, "development"}, act_drop},
    {{"learn_askme_show", 'b', {NULL}, "", "", {NULL}, NULL}, learn_act_askme_show},
    {DOMAIN_ACTION_FIELDS("learn_askme_set", "development"), learn_act_askme_set},
    {DOMAIN_ACTION_FIELDS("learn_ask_answer", NULL), learn_act_ask_answer},
    {{"learn_mentee_plans", 'b', {NULL}, "", "", {NULL}, NULL}, learn_act_mentee_plans},
    DOMAIN_ACTIONS_END,
};

const struct domain_module learning_module = {
    .name = "learning",
    .actions = actions,
    .person_fields = person_fields,
    .person_field_names = field_names,
    .cmds = learn_cmds,
};
