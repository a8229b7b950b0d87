/*
 * match.c - mentor matching (see match.h for the rules and the score).
 *
 * Pure and reentrant: every call builds its own context (interned strings,
 * per-person profiles, the edge list) and frees it before returning; only
 * struct match_result outlives a call, owned by the caller.
 *
 * Layout: a string table (nips exact, tags/units/languages case-folded, all
 * interned to ints) -> profiles (tag ids, supervisor chain as nip ids) ->
 * pair evaluation -> per mentee the best MATCH_MAX_EDGES allowed mentors ->
 * min-cost max-flow over an implicit residual graph (match_flow.c) -> result.
 */
#include "bot/domain/mentoring/match.h"
#include "bot/domain/mentoring/match_flow.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/bb.h"

#define ST_POOL_CAP ((size_t)1 << 30) /* bytes of interned strings */

/* ---- string table: (kind, bytes) -> dense id ---------------------------- */

struct strtab {
    uint32_t *slot; /* 0 = empty, else id + 1 */
    size_t nslot;   /* a power of two */
    size_t *off;    /* per id: offset of the key in pool (kind byte first) */
    uint32_t *len;  /* per id: key length including the kind byte */
    int count, alloc;
    char *pool;
    size_t plen, palloc;
};

static uint32_t st_hash(char kind, const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    h = (h ^ (unsigned char)kind) * 16777619u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void st_free(struct strtab *t)
{
    free(t->slot);
    free(t->off);
    free(t->len);
    free(t->pool);
    memset(t, 0, sizeof(*t));
}

static int st_eq(const struct strtab *t, int id, char kind, const char *s, size_t n)
{
    const char *k = t->pool + t->off[id];
    return t->len[id] == n + 1 && k[0] == kind && memcmp(k + 1, s, n) == 0;
}

static int st_rehash(struct strtab *t, size_t nslot)
{
    uint32_t *slot = calloc(nslot, sizeof(*slot));
    if (!slot)
        return BB_ENOMEM;
    for (int id = 0; id < t->count; id++) {
        const char *k = t->pool + t->off[id];
        size_t h = st_hash(k[0], k + 1, t->len[id] - 1) & (nslot - 1);
        while (slot[h])
            h = (h + 1) & (nslot - 1);
        slot[h] = (uint32_t)id + 1;
    }
    free(t->slot);
    t->slot = slot;
    t->nslot = nslot;
    return BB_OK;
}

/* Find (kind, s[0..n)) and set *id; with add, insert it when missing,
 * otherwise *id = -1 when missing. */
static int st_find(struct strtab *t, char kind, const char *s, size_t n, int add, int *id)
{
    int rc = BB_OK;
    *id = -1;
    if (t->nslot) {
        size_t h = st_hash(kind, s, n) & (t->nslot - 1);
        while (t->slot[h]) {
            int cand = (int)t->slot[h] - 1;
            if (st_eq(t, cand, kind, s, n)) {
                *id = cand;
                return BB_OK;
            }
            h = (h + 1) & (t->nslot - 1);
        }
    }
    if (!add)
        return BB_OK;
    if ((size_t)t->count * 2 + 2 > t->nslot) {
        rc = st_rehash(t, t->nslot ? t->nslot * 2 : 256);
        if (rc)
            goto out;
    }
    if (t->count == t->alloc) {
        int na = t->alloc ? t->alloc * 2 : 256;
        size_t *noff = realloc(t->off, (size_t)na * sizeof(*noff));
        if (!noff) {
            rc = BB_ENOMEM;
            goto out;
        }
        t->off = noff;
        uint32_t *nlen = realloc(t->len, (size_t)na * sizeof(*nlen));
        if (!nlen) {
            rc = BB_ENOMEM;
            goto out;
        }
        t->len = nlen;
        t->alloc = na;
    }
    if (n + 1 > ST_POOL_CAP - t->plen) {
        rc = BB_ELIMIT;
        goto out;
    }
    if (t->plen + n + 2 > t->palloc) {
        size_t na = t->palloc ? t->palloc : 4096;
        while (na < t->plen + n + 2)
            na *= 2;
        char *np = realloc(t->pool, na);
        if (!np) {
            rc = BB_ENOMEM;
            goto out;
        }
        t->pool = np;
        t->palloc = na;
    }
    t->off[t->count] = t->plen;
    t->len[t->count] = (uint32_t)(n + 1);
    t->pool[t->plen] = kind;
    memcpy(t->pool + t->plen + 1, s, n);
    t->pool[t->plen + n + 1] = '\0';
    t->plen += n + 2;
    {
        size_t h = st_hash(kind, s, n) & (t->nslot - 1);
        while (t->slot[h])
            h = (h + 1) & (t->nslot - 1);
        t->slot[h] = (uint32_t)t->count + 1;
    }
    *id = t->count++;
out:
    return rc;
}

/* The text of an id (without the kind byte). */
static const char *st_str(const struct strtab *t, int id)
{
    return t->pool + t->off[id] + 1;
}

/* ---- small helpers ------------------------------------------------------ */

static int is_sp(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Trim s[0..n) in place (pointer and length). */
static void trim(const char **s, size_t *n)
{
    while (*n && is_sp(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_sp((*s)[*n - 1]))
        (*n)--;
}

/* Case-fold s[0..n), cut to max bytes on a UTF-8 boundary, into out (which
 * has room for max + 2 bytes). Sets *outlen. */
static void fold_span(const char *s, size_t n, size_t max, char *out, size_t *outlen)
{
    char tmp[256];
    if (max > sizeof(tmp) - 2)
        max = sizeof(tmp) - 2;
    n = bb_utf8_cut(s, n, max);
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (bb_fold(tmp, out, max + 2) != BB_OK)
        out[0] = '\0';
    *outlen = strlen(out);
}

/* Intern a folded single value (unit, language); -1 when empty/unknown. */
static int intern_folded(struct strtab *t, char kind, const char *s, int add, int *id)
{
    char f[130];
    size_t n, fl;
    *id = -1;
    if (!s)
        return BB_OK;
    n = strlen(s);
    trim(&s, &n);
    if (!n)
        return BB_OK;
    fold_span(s, n, 128, f, &fl);
    if (!fl)
        return BB_OK;
    return st_find(t, kind, f, fl, add, id);
}

static int intern_nip(struct strtab *t, const char *s, int add, int *id)
{
    size_t n;
    *id = -1;
    if (!s)
        return BB_OK;
    n = strlen(s);
    trim(&s, &n);
    if (!n)
        return BB_OK;
    return st_find(t, 'n', s, n, add, id);
}

/* A capped growable int array. */
struct ivec {
    int *v;
    size_t n, alloc;
};

static int iv_push(struct ivec *a, int x)
{
    if (a->n == a->alloc) {
        size_t na = a->alloc ? a->alloc * 2 : 1024;
        if (na > (size_t)INT_MAX)
            return BB_ELIMIT;
        int *nv = realloc(a->v, na * sizeof(*nv));
        if (!nv)
            return BB_ENOMEM;
        a->v = nv;
        a->alloc = na;
    }
    a->v[a->n++] = x;
    return BB_OK;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* ---- profiles ----------------------------------------------------------- */

struct prof {
    int64_t id;
    int nip; /* -1 unknown */
    int unit, lang;
    int grade, cap;
    int tag_off, ntags;    /* ints: ntags in input order, then ntags sorted */
    int chain_off, nchain; /* ints: nip ids of supervisors, nearest first */
};

struct ctx {
    struct strtab st;
    struct match_weights w;
    struct ivec ints;
    int *rec; /* per nip id: first index in everyone, or -1 */
    int nrec;
    int *esup;                   /* per everyone index: supervisor nip id or -1 */
    struct match_pair_ban *bans; /* sorted copy */
    int nbans;
};

enum rule { R_OK = 0, R_SELF, R_CAP, R_BAN, R_LINE, R_JUNIOR, R_N };

static void ctx_free(struct ctx *c)
{
    st_free(&c->st);
    free(c->ints.v);
    free(c->rec);
    free(c->esup);
    free(c->bans);
    memset(c, 0, sizeof(*c));
}

static int cmp_ban(const void *a, const void *b)
{
    const struct match_pair_ban *x = a, *y = b;
    if (x->mentee_id != y->mentee_id)
        return x->mentee_id < y->mentee_id ? -1 : 1;
    return (x->mentor_id > y->mentor_id) - (x->mentor_id < y->mentor_id);
}

static int valid_weights(const struct match_weights *w)
{
    return w->tag_fit >= 0 && w->tag_fit <= MATCH_MAX_WEIGHT && w->other_unit >= 0 &&
           w->other_unit <= MATCH_MAX_WEIGHT && w->seniority >= 0 &&
           w->seniority <= MATCH_MAX_WEIGHT && w->same_lang >= 0 &&
           w->same_lang <= MATCH_MAX_WEIGHT;
}

/* mentors: capacity must be >= 0 too (a mentee's capacity is ignored) */
static int valid_people(const struct match_person *p, int n, int mentors)
{
    if (n < 0 || n > MATCH_MAX_PEOPLE || (n > 0 && !p))
        return 0;
    for (int i = 0; i < n; i++)
        if (p[i].grade_rank < 0 || (mentors && p[i].capacity < 0))
            return 0;
    return 1;
}

/* Prepare everything shared by all pairs: the nip table, the supervisor
 * records and the bans. */
static int ctx_init(struct ctx *c, const struct match_input *in)
{
    int rc = BB_OK, id;
    memset(c, 0, sizeof(*c));
    c->w = in->w;
    if (!valid_weights(&in->w) || in->nbans < 0 || (in->nbans > 0 && !in->bans) ||
        in->neveryone < 0 || in->neveryone > MATCH_MAX_PEOPLE ||
        (in->neveryone > 0 && !in->everyone)) {
        rc = BB_EINVAL;
        goto fail;
    }
    if (in->neveryone > 0) {
        c->esup = malloc((size_t)in->neveryone * sizeof(*c->esup));
        if (!c->esup) {
            rc = BB_ENOMEM;
            goto fail;
        }
    }
    for (int e = 0; e < in->neveryone; e++) {
        rc = intern_nip(&c->st, in->everyone[e].nip, 1, &id);
        if (rc)
            goto fail;
        rc = intern_nip(&c->st, in->everyone[e].supervisor_nip, 1, &c->esup[e]);
        if (rc)
            goto fail;
    }
    c->nrec = c->st.count;
    if (c->nrec > 0) {
        c->rec = malloc((size_t)c->nrec * sizeof(*c->rec));
        if (!c->rec) {
            rc = BB_ENOMEM;
            goto fail;
        }
        for (int i = 0; i < c->nrec; i++)
            c->rec[i] = -1;
    }
    for (int e = 0; e < in->neveryone; e++) {
        rc = intern_nip(&c->st, in->everyone[e].nip, 0, &id);
        if (rc)
            goto fail;
        if (id >= 0 && c->rec[id] < 0)
            c->rec[id] = e;
    }
    if (in->nbans > 0) {
        c->bans = malloc((size_t)in->nbans * sizeof(*c->bans));
        if (!c->bans) {
            rc = BB_ENOMEM;
            goto fail;
        }
        memcpy(c->bans, in->bans, (size_t)in->nbans * sizeof(*c->bans));
        qsort(c->bans, (size_t)in->nbans, sizeof(*c->bans), cmp_ban);
        c->nbans = in->nbans;
    }
    return BB_OK;
fail:
    ctx_free(c);
    return rc;
}

/* Build the profile of one person: tags, unit, language, supervisor chain. */
static int prof_build(struct ctx *c, const struct match_person *p, struct prof *pr)
{
    int rc = BB_OK, id, sup;
    int tagbuf[MATCH_MAX_TAGS];
    int nt = 0;
    memset(pr, 0, sizeof(*pr));
    pr->id = p->id;
    pr->grade = p->grade_rank;
    pr->cap = p->capacity;
    rc = intern_nip(&c->st, p->nip, 1, &pr->nip);
    if (rc)
        goto out;
    rc = intern_folded(&c->st, 'u', p->unit, 1, &pr->unit);
    if (rc)
        goto out;
    rc = intern_folded(&c->st, 'l', p->lang, 1, &pr->lang);
    if (rc)
        goto out;
    /* tags: distinct, first MATCH_MAX_TAGS */
    for (const char *s = p->tags; s && *s && nt < MATCH_MAX_TAGS;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        const char *tok = s;
        char f[MATCH_TAG_MAX + 2];
        size_t fl;
        s = comma ? comma + 1 : s + n;
        trim(&tok, &n);
        if (!n)
            continue;
        fold_span(tok, n, MATCH_TAG_MAX, f, &fl);
        if (!fl)
            continue;
        rc = st_find(&c->st, 't', f, fl, 1, &id);
        if (rc)
            goto out;
        int dup = 0;
        for (int k = 0; k < nt; k++)
            dup |= tagbuf[k] == id;
        if (!dup)
            tagbuf[nt++] = id;
    }
    pr->tag_off = (int)c->ints.n;
    pr->ntags = nt;
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < nt; k++) {
            rc = iv_push(&c->ints, tagbuf[k]);
            if (rc)
                goto out;
        }
    qsort(c->ints.v + pr->tag_off + nt, (size_t)nt, sizeof(int), cmp_int);
    /* supervisor chain, nearest first; stop at self, a repeat, an unknown
     * record or MATCH_MAX_CHAIN levels */
    rc = intern_nip(&c->st, p->supervisor_nip, 1, &sup);
    if (rc)
        goto out;
    pr->chain_off = (int)c->ints.n;
    while (sup >= 0 && pr->nchain < MATCH_MAX_CHAIN && sup != pr->nip) {
        int seen = 0;
        for (int k = 0; k < pr->nchain; k++)
            seen |= c->ints.v[pr->chain_off + k] == sup;
        if (seen)
            break;
        rc = iv_push(&c->ints, sup);
        if (rc)
            goto out;
        pr->nchain++;
        if (sup >= c->nrec || c->rec[sup] < 0)
            break;
        sup = c->esup[c->rec[sup]];
    }
out:
    return rc;
}

/* ---- pair evaluation ---------------------------------------------------- */

static int chain_has(const struct ctx *c, const struct prof *p, int nip)
{
    if (nip < 0)
        return 0;
    const int *ch = c->ints.v + p->chain_off;
    for (int k = 0; k < p->nchain; k++)
        if (ch[k] == nip)
            return k + 1;
    return 0;
}

static int banned(const struct ctx *c, int64_t mentee, int64_t mentor)
{
    struct match_pair_ban key = {mentee, mentor};
    return c->nbans && bsearch(&key, c->bans, (size_t)c->nbans, sizeof(key), cmp_ban) != NULL;
}

static int has_tag(const struct ctx *c, const struct prof *mr, int tag)
{
    const int *v = c->ints.v + mr->tag_off + mr->ntags;
    int lo = 0, hi = mr->ntags;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (v[mid] == tag)
            return 1;
        if (v[mid] < tag)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* The hard rule that forbids the pair (R_OK when none) and, when allowed,
 * its score. */
static enum rule pair_eval(const struct ctx *c, const struct prof *me, const struct prof *mr,
                           int *score)
{
    int s = 0, fit = 0;
    if (me->id == mr->id || (me->nip >= 0 && me->nip == mr->nip))
        return R_SELF;
    if (mr->cap <= 0)
        return R_CAP;
    if (banned(c, me->id, mr->id))
        return R_BAN;
    if (chain_has(c, me, mr->nip) || chain_has(c, mr, me->nip))
        return R_LINE;
    if (me->grade > 0 && mr->grade > 0 && mr->grade < me->grade)
        return R_JUNIOR;
    for (int k = 0; k < me->ntags; k++)
        fit += has_tag(c, mr, c->ints.v[me->tag_off + k]);
    s = fit * c->w.tag_fit;
    if (me->unit >= 0 && mr->unit >= 0 && me->unit != mr->unit)
        s += c->w.other_unit;
    if (me->grade > 0 && mr->grade > 0) {
        int gap = mr->grade - me->grade;
        if (gap == 0)
            s -= c->w.seniority;
        else if (gap <= 4)
            s += c->w.seniority;
        else
            s += c->w.seniority / 2;
    }
    if (me->lang >= 0 && me->lang == mr->lang)
        s += c->w.same_lang;
    *score = s;
    return R_OK;
}

/* Appending into a fixed buffer, cut on a UTF-8 boundary. */
struct sb {
    char *p;
    size_t n, len;
};

static void sb_put(struct sb *b, const char *s)
{
    size_t l, room;
    if (!b->p || b->n == 0)
        return;
    room = b->n - 1 - b->len;
    l = strlen(s);
    l = bb_utf8_cut(s, l, room);
    memcpy(b->p + b->len, s, l);
    b->len += l;
    b->p[b->len] = '\0';
}

static void sb_num(struct sb *b, long long v)
{
    char t[32];
    bb_snprintf(t, sizeof(t), "%lld", v);
    sb_put(b, t);
}

/* A short human text for the pair: the rule that forbids it, or what its
 * score is made of. */
static void pair_describe(const struct ctx *c, const struct prof *me, const struct prof *mr,
                          enum rule r, struct sb *b)
{
    int fit = 0, k;
    switch (r) {
    case R_SELF:
        sb_put(b, "mentor is the mentee");
        return;
    case R_CAP:
        sb_put(b, "mentor has no free capacity");
        return;
    case R_BAN:
        sb_put(b, "ended pair: never repeated");
        return;
    case R_LINE:
        if ((k = chain_has(c, me, mr->nip))) {
            sb_put(b, "reporting line: mentor is the mentee's supervisor");
            if (k > 1) {
                sb_put(b, " (");
                sb_num(b, k);
                sb_put(b, " levels up)");
            }
        } else {
            k = chain_has(c, mr, me->nip);
            sb_put(b, "reporting line: mentee is the mentor's supervisor");
            if (k > 1) {
                sb_put(b, " (");
                sb_num(b, k);
                sb_put(b, " levels up)");
            }
        }
        return;
    case R_JUNIOR:
        sb_put(b, "mentor is less senior (grade ");
        sb_num(b, mr->grade);
        sb_put(b, " < ");
        sb_num(b, me->grade);
        sb_put(b, ")");
        return;
    default:
        break;
    }
    for (k = 0; k < me->ntags; k++) {
        int t = c->ints.v[me->tag_off + k];
        if (!has_tag(c, mr, t))
            continue;
        sb_put(b, fit ? ", " : "fit: ");
        sb_put(b, st_str(&c->st, t));
        fit++;
    }
    if (!fit)
        sb_put(b, "no tag fit");
    if (me->unit >= 0 && mr->unit >= 0)
        sb_put(b, me->unit != mr->unit ? "; other unit" : "; same unit");
    if (me->grade > 0 && mr->grade > 0) {
        int gap = mr->grade - me->grade;
        if (gap == 0) {
            sb_put(b, "; same grade");
        } else {
            sb_put(b, "; ");
            sb_num(b, gap);
            sb_put(b, gap == 1 ? " grade senior" : " grades senior");
            if (gap > 4)
                sb_put(b, " (wide gap)");
        }
    } else {
        sb_put(b, "; grade unknown");
    }
    if (me->lang >= 0 && me->lang == mr->lang)
        sb_put(b, "; same language");
}

/* ---- public: defaults and one pair ------------------------------------- */

void match_default_weights(struct match_weights *w)
{
    if (!w)
        return;
    w->tag_fit = 10;
    w->other_unit = 3;
    w->seniority = 4;
    w->same_lang = 2;
}

int match_score(const struct match_input *in, const struct match_person *mentee,
                const struct match_person *mentor, int *score, char *reasons, size_t n)
{
    struct ctx c;
    struct prof pe, pr;
    struct sb b = {reasons, n, 0};
    enum rule r;
    int rc, s = 0;
    if (reasons && n)
        reasons[0] = '\0';
    if (!in || !mentee || !mentor || !score || !valid_people(mentee, 1, 0) ||
        !valid_people(mentor, 1, 1))
        return BB_EINVAL;
    rc = ctx_init(&c, in);
    if (rc)
        return rc;
    rc = prof_build(&c, mentee, &pe);
    if (rc)
        goto out;
    rc = prof_build(&c, mentor, &pr);
    if (rc)
        goto out;
    r = pair_eval(&c, &pe, &pr, &s);
    pair_describe(&c, &pe, &pr, r, &b);
    if (r != R_OK) {
        rc = BB_EPERM;
        goto out;
    }
    *score = s;
out:
    ctx_free(&c);
    return rc;
}

/* ---- match_run ---------------------------------------------------------- */

struct idx {
    int64_t id;
    int src;
};

static int cmp_idx(const void *a, const void *b)
{
    const struct idx *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return (x->src > y->src) - (x->src < y->src);
}

/* Candidate order: higher score first, then lower mentor index (= id). */
struct cand {
    int score, j;
};

static int cand_better(const struct cand *a, const struct cand *b)
{
    return a->score > b->score || (a->score == b->score && a->j < b->j);
}

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    return cand_better(x, y) ? -1 : cand_better(y, x) ? 1 : 0;
}

/* Keep the best K of a stream in a heap whose root is the worst kept. */
static void keep_best(struct cand *hp, int *nh, int K, struct cand c)
{
    int i;
    if (*nh == K) {
        if (!cand_better(&c, &hp[0]))
            return;
        /* replace the root, sift down */
        i = 0;
        for (;;) {
            int l = 2 * i + 1, r = l + 1, w = i;
            struct cand wc = c;
            if (l < K && cand_better(&wc, &hp[l])) {
                w = l;
                wc = hp[l];
            }
            if (r < K && cand_better(&wc, &hp[r]))
                w = r;
            if (w == i)
                break;
            hp[i] = hp[w];
            i = w;
        }
        hp[i] = c;
        return;
    }
    i = (*nh)++;
    while (i > 0) {
        int p = (i - 1) / 2;
        if (!cand_better(&hp[p], &c))
            break;
        hp[i] = hp[p];
        i = p;
    }
    hp[i] = c;
}

static void why_forbidden(const int *cnt, int nmentors, struct sb *b)
{
    static const char *const one[R_N] = {
        NULL,
        "the only mentor is the mentee",
        "every mentor is full (capacity 0)",
        "every mentor was an ended pair",
        "no mentor without a reporting-line conflict",
        "no mentor more senior than the mentee",
    };
    static const char *const part[R_N] = {
        NULL, "the mentee", "full", "ended pair", "in the reporting line", "less senior"};
    int others = nmentors - cnt[R_SELF];
    if (nmentors == 0) {
        sb_put(b, "no mentors available");
        return;
    }
    for (int r = R_SELF + 1; r < R_N; r++)
        if (others > 0 && cnt[r] == others) {
            sb_put(b, one[r]);
            return;
        }
    if (others == 0) {
        sb_put(b, one[R_SELF]);
        return;
    }
    sb_put(b, "no allowed mentor:");
    int first = 1;
    for (int r = R_SELF + 1; r < R_N; r++) {
        if (!cnt[r])
            continue;
        sb_put(b, first ? " " : ", ");
        sb_num(b, cnt[r]);
        sb_put(b, " ");
        sb_put(b, part[r]);
        first = 0;
    }
}

void match_result_free(struct match_result *r)
{
    if (!r)
        return;
    free(r->pairs);
    free(r->unmatched);
    memset(r, 0, sizeof(*r));
}

int match_run(const struct match_input *in, struct match_result *out)
{
    struct ctx c;
    struct match_flow f;
    struct idx *oe = NULL, *orr = NULL;
    struct prof *pe = NULL, *pr = NULL;
    struct cand *hp = NULL;
    int *eoff = NULL, *eto = NULL, *esc = NULL, *cap = NULL, *nallowed = NULL, *cnt = NULL;
    int rc = BB_OK, n, m, ctx_ok = 0;
    size_t ne = 0;

    memset(&f, 0, sizeof(f));
    if (out)
        memset(out, 0, sizeof(*out));
    if (!in || !out || !valid_people(in->mentees, in->nmentees, 0) ||
        !valid_people(in->mentors, in->nmentors, 1))
        return BB_EINVAL;
    n = in->nmentees;
    m = in->nmentors;
    rc = ctx_init(&c, in);
    if (rc)
        return rc;
    ctx_ok = 1;

    /* people in id order; duplicate ids are an error */
    oe = malloc(((size_t)n + 1) * sizeof(*oe));
    orr = malloc(((size_t)m + 1) * sizeof(*orr));
    pe = malloc(((size_t)n + 1) * sizeof(*pe));
    pr = malloc(((size_t)m + 1) * sizeof(*pr));
    if (!oe || !orr || !pe || !pr) {
        rc = BB_ENOMEM;
        goto out;
    }
    for (int i = 0; i < n; i++)
        oe[i] = (struct idx){in->mentees[i].id, i};
    for (int j = 0; j < m; j++)
        orr[j] = (struct idx){in->mentors[j].id, j};
    qsort(oe, (size_t)n, sizeof(*oe), cmp_idx);
    qsort(orr, (size_t)m, sizeof(*orr), cmp_idx);
    for (int i = 1; i < n; i++)
        if (oe[i].id == oe[i - 1].id) {
            rc = BB_EINVAL;
            goto out;
        }
    for (int j = 1; j < m; j++)
        if (orr[j].id == orr[j - 1].id) {
            rc = BB_EINVAL;
            goto out;
        }
    for (int i = 0; i < n; i++) {
        rc = prof_build(&c, &in->mentees[oe[i].src], &pe[i]);
        if (rc)
            goto out;
    }
    for (int j = 0; j < m; j++) {
        rc = prof_build(&c, &in->mentors[orr[j].src], &pr[j]);
        if (rc)
            goto out;
    }

    /* edges: per mentee the best MATCH_MAX_EDGES allowed mentors */
    {
        int K = MATCH_MAX_EDGES < m ? MATCH_MAX_EDGES : m;
        size_t maxe = (size_t)n * (size_t)K;
        if (maxe > (size_t)INT_MAX) {
            rc = BB_ELIMIT;
            goto out;
        }
        eoff = malloc(((size_t)n + 1) * sizeof(int));
        eto = malloc((maxe + 1) * sizeof(int));
        esc = malloc((maxe + 1) * sizeof(int));
        nallowed = calloc((size_t)n + 1, sizeof(int));
        cnt = calloc(((size_t)n + 1) * R_N, sizeof(int));
        hp = malloc(((size_t)K + 1) * sizeof(*hp));
        cap = calloc((size_t)m + 1, sizeof(int));
        if (!eoff || !eto || !esc || !nallowed || !cnt || !hp || !cap) {
            rc = BB_ENOMEM;
            goto out;
        }
        for (int i = 0; i < n; i++) {
            int nh = 0, src = oe[i].src;
            eoff[i] = (int)ne;
            if (in->active_mentor_of && in->active_mentor_of[src] != 0)
                continue;
            for (int j = 0; j < m; j++) {
                int s = 0;
                enum rule r = pair_eval(&c, &pe[i], &pr[j], &s);
                cnt[(size_t)i * R_N + r]++;
                if (r != R_OK)
                    continue;
                nallowed[i]++;
                keep_best(hp, &nh, K, (struct cand){s, j});
            }
            qsort(hp, (size_t)nh, sizeof(*hp), cmp_cand);
            for (int k = 0; k < nh; k++) {
                eto[ne] = hp[k].j;
                esc[ne] = hp[k].score;
                cap[hp[k].j]++;
                ne++;
            }
        }
        eoff[n] = (int)ne;
        /* effective capacity: never more than the mentees that can reach it */
        for (int j = 0; j < m; j++)
            if (pr[j].cap < cap[j])
                cap[j] = pr[j].cap;
    }

    f.n = n;
    f.m = m;
    f.V = n + m + 2;
    f.S = n + m;
    f.T = n + m + 1;
    f.eoff = eoff;
    f.eto = eto;
    f.esc = esc;
    f.cap = cap;
    rc = match_flow_solve(&f);
    if (rc)
        goto out;

    /* result */
    {
        int np = 0, nu = 0;
        for (int i = 0; i < n; i++)
            np += f.medge[i] >= 0;
        nu = n - np;
        out->pairs = calloc((size_t)np + 1, sizeof(*out->pairs));
        out->unmatched = calloc((size_t)nu + 1, sizeof(*out->unmatched));
        if (!out->pairs || !out->unmatched) {
            rc = BB_ENOMEM;
            goto out;
        }
        for (int i = 0; i < n; i++) {
            int e = f.medge[i], src = oe[i].src;
            if (e >= 0) {
                struct match_result_pair *p = &out->pairs[out->npairs++];
                struct sb b = {p->reasons, sizeof(p->reasons), 0};
                int j = eto[e];
                p->mentee_id = pe[i].id;
                p->mentor_id = pr[j].id;
                p->score = esc[e];
                pair_describe(&c, &pe[i], &pr[j], R_OK, &b);
                out->total_score += esc[e];
                continue;
            }
            struct match_unmatched *u = &out->unmatched[out->nunmatched++];
            struct sb b = {u->why, sizeof(u->why), 0};
            u->mentee_id = pe[i].id;
            if (in->active_mentor_of && in->active_mentor_of[src] != 0) {
                sb_put(&b, "already paired (mentor ");
                sb_num(&b, (long long)in->active_mentor_of[src]);
                sb_put(&b, ")");
            } else if (nallowed[i] == 0) {
                why_forbidden(&cnt[(size_t)i * R_N], m, &b);
            } else if (nallowed[i] == 1) {
                sb_put(&b, "the only suitable mentor is at capacity");
            } else {
                sb_put(&b, "all ");
                sb_num(&b, nallowed[i]);
                sb_put(&b, " suitable mentors are at capacity");
            }
        }
    }
out:
    if (rc && out)
        match_result_free(out);
    match_flow_free(&f);
    free(oe);
    free(orr);
    free(pe);
    free(pr);
    free(hp);
    free(eoff);
    free(eto);
    free(esc);
    free(cap);
    free(nallowed);
    free(cnt);
    if (ctx_ok)
        ctx_free(&c);
    return rc;
}
