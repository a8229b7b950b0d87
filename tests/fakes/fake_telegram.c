/*
 * fake_telegram.c - an offline fake of the Telegram Bot API for end-to-end
 * tests and benchmarks. A single-threaded epoll HTTP/1.1 server on
 * 127.0.0.1: the bot routes /bot<token>/<method>, a /control/ API that lets
 * tests inject updates, inspect what the bot sent and inject faults, and a
 * simulated-user driver (--sim) for `make bench`. See tests/fakes/README.md.
 * The HTTP server (connections, parsing, held answers, the loop) is the
 * fakes' shared core, tests/fakes/lib/fakehttp.c.
 *
 * Threads: one. All mutable state lives in struct ft_state, owned by main().
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bot/base/bb.h"
#include "tests/fakes/lib/fakehttp.h"

#define FT_MAX_BODY       (1024 * 1024)
#define FT_OUT_CAP        (96u * 1024 * 1024)
#define FT_HISTORY        100000
#define FT_QUEUE_CAP      1000000
#define FT_CHAT_MSGS      1000
#define FT_CHAT_CBS       1000
#define FT_FAULTS         64
#define FT_WIN_CAP        100000
#define FT_SEND_RING      64
#define FT_SAMPLES_CAP    2000000
#define FT_HOOK_TRIES     5
#define FT_HOOK_TIMEOUT   10000
#define FT_HOOK_SLOTS     100  /* max_connections at most */
#define FT_HOOK_SCAN      4096 /* queued updates looked at per delivery round */
#define FT_ACKED_CAP      100000
#define FT_FIRST_UPDATE   500001
#define FT_FIRST_CALLBACK 4382000000000000LL

/* ---------------------------------------------------------------- maps */

/* Open-addressing map from a non-zero-valued int64 key to a pointer;
 * linear probing with backward-shift deletion. val == NULL marks a free
 * slot. */
struct ft_slot {
    int64_t key;
    void *val;
};
struct ft_map {
    struct ft_slot *slots;
    size_t cap; /* power of two, or 0 */
    size_t n;
};

static uint64_t ft_hash(int64_t k)
{
    uint64_t x = (uint64_t)k + 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static void *ft_map_get(const struct ft_map *m, int64_t key)
{
    if (!m->cap)
        return NULL;
    size_t i = ft_hash(key) & (m->cap - 1);
    while (m->slots[i].val) {
        if (m->slots[i].key == key)
            return m->slots[i].val;
        i = (i + 1) & (m->cap - 1);
    }
    return NULL;
}

static int ft_map_put(struct ft_map *m, int64_t key, void *val)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 64;
        struct ft_slot *ns = calloc(ncap, sizeof(*ns));
        if (!ns)
            return BB_ENOMEM;
        for (size_t j = 0; j < m->cap; j++) {
            if (!m->slots[j].val)
                continue;
            size_t i = ft_hash(m->slots[j].key) & (ncap - 1);
            while (ns[i].val)
                i = (i + 1) & (ncap - 1);
            ns[i] = m->slots[j];
        }
        free(m->slots);
        m->slots = ns;
        m->cap = ncap;
    }
    size_t i = ft_hash(key) & (m->cap - 1);
    while (m->slots[i].val) {
        if (m->slots[i].key == key) {
            m->slots[i].val = val;
            return BB_OK;
        }
        i = (i + 1) & (m->cap - 1);
    }
    m->slots[i].key = key;
    m->slots[i].val = val;
    m->n++;
    return BB_OK;
}

static void ft_map_del(struct ft_map *m, int64_t key)
{
    if (!m->cap)
        return;
    size_t mask = m->cap - 1;
    size_t i = ft_hash(key) & mask;
    while (m->slots[i].val && m->slots[i].key != key)
        i = (i + 1) & mask;
    if (!m->slots[i].val)
        return;
    m->slots[i].val = NULL;
    m->n--;
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (!m->slots[j].val)
            break;
        size_t home = ft_hash(m->slots[j].key) & mask;
        /* move j back to i when home is not cyclically in (i, j] */
        int in_range = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!in_range) {
            m->slots[i] = m->slots[j];
            m->slots[j].val = NULL;
            i = j;
        }
    }
}

static void ft_map_clear(struct ft_map *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = 0;
    m->n = 0;
}

/* ------------------------------------------------------ sliding window */

/* Send times (ms) within the last second, oldest first, in a ring; max is
 * the largest count ever seen in any 1 s window ending at a send. */
struct ft_win {
    int64_t *t;
    size_t head, n, alloc;
    size_t max;
};

static void ft_win_expire(struct ft_win *w, int64_t now)
{
    while (w->n && w->t[w->head] <= now - 1000) {
        w->head = (w->head + 1) % w->alloc;
        w->n--;
    }
}

/* Count of sends in (now-1000, now] if one more were added now. */
static size_t ft_win_peek(struct ft_win *w, int64_t now)
{
    ft_win_expire(w, now);
    return w->n + 1;
}

static void ft_win_push(struct ft_win *w, int64_t now)
{
    ft_win_expire(w, now);
    if (w->n == w->alloc) {
        if (w->alloc >= FT_WIN_CAP) {
            w->head = (w->head + 1) % w->alloc; /* saturate: drop oldest */
            w->n--;
        } else {
            size_t na = w->alloc ? w->alloc * 2 : 4;
            int64_t *nt = malloc(na * sizeof(*nt));
            if (!nt)
                return;
            for (size_t i = 0; i < w->n; i++)
                nt[i] = w->t[(w->head + i) % w->alloc];
            free(w->t);
            w->t = nt;
            w->head = 0;
            w->alloc = na;
        }
    }
    w->t[(w->head + w->n) % w->alloc] = now;
    w->n++;
    if (w->n > w->max)
        w->max = w->n;
}

static void ft_win_free(struct ft_win *w)
{
    free(w->t);
    memset(w, 0, sizeof(*w));
}

/* --------------------------------------------------------------- state */

struct ft_msg {
    int64_t id;
    int from_bot;
    int64_t date;
    int64_t edit_date;
    char *text;
    char *markup; /* normalized JSON of the current reply_markup, or NULL */
};

enum { FT_SIM_NONE = 0, FT_SIM_WAIT, FT_SIM_ACTIVE, FT_SIM_DONE };

struct ft_chat {
    int64_t id;
    int64_t next_mid;
    struct ft_msg *msgs; /* ascending ids */
    size_t nmsgs, amsgs;
    int64_t *cbs; /* unanswered callback query ids */
    size_t ncbs, acbs;
    char first_name[64];
    char username[33]; /* the user's public @username, "" for none */
    char lang[16];
    struct ft_win win;
    int64_t sends[FT_SEND_RING]; /* last send times, ms since start */
    uint64_t nsends;
    int64_t handed_ms;   /* an update of this chat was handed out, no reply yet */
    uint64_t hook_round; /* webhook: the delivery round that saw an update of this chat */
    int sim;
    int sim_kb_step, sim_txt_step;
    int64_t sim_start_ms;
};

struct ft_update {
    int64_t id;
    int64_t chat_id; /* 0 when unknown */
    int handed;
    char *json;
    /* webhook delivery */
    int inflight, done, attempts;
    int64_t retry_at_ms;
};

struct ft_call {
    int64_t seq;
    int64_t chat_id;
    int has_chat;
    int status;
    int64_t ms;
    char method[32];
    char *params;
};

struct ft_fault {
    char method[64]; /* lower case, "*" = any */
    int status;
    int retry_after;
    long long count;
    int64_t chat_id;
    int has_chat;
    long long delay_ms;
    int drop;
    char desc[256];
};

struct ft_cmds {
    char *key; /* scope JSON + "|" + language_code */
    char *json;
};

/* One webhook connection; uid: the update it is delivering, 0 none. */
struct ft_hook_slot {
    struct fh_conn *conn;
    int64_t uid;
    int64_t sent_ms;
};

struct ft_hook {
    int set;
    char url[512];
    char path[512];
    int port;
    char secret[257];
    int max_conn;
    struct ft_hook_slot slot[FT_HOOK_SLOTS];
    int ninflight, max_inflight;
    int64_t next_retry_ms; /* the earliest retry due, 0 none */
    uint64_t round;
    int64_t last_error_date;
    char last_error[256];
    uint64_t delivered, failed;
};

struct ft_sim_action {
    int64_t due_ms;
    int64_t chat_id;
    int press; /* 1 press, 0 text */
    int64_t message_id;
    char data[65];
    int text_idx;
};

struct ft_sim {
    /* configuration */
    long long users;
    int64_t base;
    char first_text[4096];
    char done[256];
    char expect[64];
    char replies[4096]; /* '|' separated, one per step, last repeats */
    char buttons[512];  /* comma separated indices, one per step; empty: PRNG */
    uint64_t seed;
    long long think_ms;
    long long concurrency;
    long long timeout_s;
    int exit_when_done;
    /* run state */
    int configured;
    int running;
    int timed_out;
    int64_t start_ms, end_ms;
    int64_t cpu_start_us, cpu_end_us; /* this process's CPU time (benchmarks) */
    long long started, active, completed;
    uint64_t rng;
    int64_t *durations;
    size_t ndurations;
    struct ft_sim_action *fifo;
    size_t fhead, fn, falloc;
};

struct ft_state {
    struct fh_server *srv;
    int hook_tries; /* webhook deliveries of one update before it is dropped */
    char token[256];
    char username[64];
    char first_name[64];
    int64_t bot_id;
    int log;
    int64_t start_ms;
    long long flood_per_chat;
    long long flood_global;

    struct ft_map chats;
    struct ft_map cbs; /* callback id -> chat */
    struct ft_update *q;
    size_t qhead, qn, qalloc;
    size_t qdone;   /* webhook: delivered, still in the queue behind an older one */
    int64_t *acked; /* webhook: update ids answered 2xx, in that order (last FT_ACKED_CAP) */
    size_t nacked;  /* ever; the ring holds the last FT_ACKED_CAP */
    int64_t next_update_id;
    int64_t next_cb;
    char allowed[32][32];
    int nallowed; /* -1: default set */

    struct ft_call *hist; /* ring of FT_HISTORY */
    size_t hhead, hn;
    int64_t next_seq;

    struct ft_fault faults[FT_FAULTS];
    size_t nfaults;
    struct ft_cmds *cmds;
    size_t ncmds;

    struct fh_conn *poller;
    cJSON *sim_pending; /* --sim config waiting for the first poll */
    struct ft_hook hook;
    struct ft_sim sim;

    /* statistics */
    uint64_t requests;
    uint64_t bot_calls;
    uint64_t method_counts[32];
    uint64_t updates_enqueued;
    uint64_t sends_total;
    struct ft_win overall;
    size_t max_chat_1s;
    int64_t max_chat_1s_id;
    int64_t *lat;
    size_t nlat;
};

static volatile sig_atomic_t ft_stop;

static void ft_on_signal(int sig)
{
    (void)sig;
    ft_stop = 1;
}

static int64_t ft_rel_ms(const struct ft_state *s)
{
    return bb_mono_ms() - s->start_ms;
}

/* --------------------------------------------------------------- chats */

static void ft_chat_free(struct ft_chat *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nmsgs; i++) {
        free(c->msgs[i].text);
        free(c->msgs[i].markup);
    }
    free(c->msgs);
    free(c->cbs);
    ft_win_free(&c->win);
    free(c);
}

static struct ft_chat *ft_chat_get(struct ft_state *s, int64_t id, int create)
{
    struct ft_chat *c = ft_map_get(&s->chats, id);
    if (c || !create)
        return c;
    c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->id = id;
    c->next_mid = 1;
    bb_strlcpy(c->first_name, "Test", sizeof(c->first_name));
    if (ft_map_put(&s->chats, id, c) != BB_OK) {
        free(c);
        return NULL;
    }
    return c;
}

static struct ft_msg *ft_chat_find(struct ft_chat *c, int64_t mid)
{
    size_t lo = 0, hi = c->nmsgs;
    while (lo < hi) {
        size_t mid_i = lo + (hi - lo) / 2;
        if (c->msgs[mid_i].id < mid)
            lo = mid_i + 1;
        else
            hi = mid_i;
    }
    if (lo < c->nmsgs && c->msgs[lo].id == mid)
        return &c->msgs[lo];
    return NULL;
}

/* Adds a message (copies text and markup); returns it or NULL. Keeps at
 * most FT_CHAT_MSGS, dropping the oldest half when full. */
static struct ft_msg *ft_chat_add(struct ft_chat *c, int from_bot, const char *text,
                                  const char *markup)
{
    if (c->nmsgs == FT_CHAT_MSGS) {
        size_t drop = FT_CHAT_MSGS / 2;
        for (size_t i = 0; i < drop; i++) {
            free(c->msgs[i].text);
            free(c->msgs[i].markup);
        }
        memmove(c->msgs, c->msgs + drop, (c->nmsgs - drop) * sizeof(*c->msgs));
        c->nmsgs -= drop;
    }
    if (c->nmsgs == c->amsgs) {
        size_t na = c->amsgs ? c->amsgs * 2 : 4;
        struct ft_msg *nm = realloc(c->msgs, na * sizeof(*nm));
        if (!nm)
            return NULL;
        c->msgs = nm;
        c->amsgs = na;
    }
    struct ft_msg *m = &c->msgs[c->nmsgs];
    memset(m, 0, sizeof(*m));
    m->text = strdup(text ? text : "");
    m->markup = markup ? strdup(markup) : NULL;
    if (!m->text || (markup && !m->markup)) {
        free(m->text);
        free(m->markup);
        return NULL;
    }
    m->id = c->next_mid++;
    m->from_bot = from_bot;
    m->date = bb_now();
    c->nmsgs++;
    return m;
}

static int ft_chat_add_cb(struct ft_state *s, struct ft_chat *c, int64_t cb)
{
    if (c->ncbs == FT_CHAT_CBS) {
        ft_map_del(&s->cbs, c->cbs[0]);
        memmove(c->cbs, c->cbs + 1, (c->ncbs - 1) * sizeof(*c->cbs));
        c->ncbs--;
    }
    if (c->ncbs == c->acbs) {
        size_t na = c->acbs ? c->acbs * 2 : 4;
        int64_t *nc = realloc(c->cbs, na * sizeof(*nc));
        if (!nc)
            return BB_ENOMEM;
        c->cbs = nc;
        c->acbs = na;
    }
    if (ft_map_put(&s->cbs, cb, c) != BB_OK)
        return BB_ENOMEM;
    c->cbs[c->ncbs++] = cb;
    return BB_OK;
}

static void ft_chat_del_cb(struct ft_state *s, struct ft_chat *c, int64_t cb)
{
    ft_map_del(&s->cbs, cb);
    for (size_t i = 0; i < c->ncbs; i++) {
        if (c->cbs[i] == cb) {
            memmove(c->cbs + i, c->cbs + i + 1, (c->ncbs - i - 1) * sizeof(*c->cbs));
            c->ncbs--;
            return;
        }
    }
}

static void ft_chats_clear(struct ft_state *s)
{
    for (size_t i = 0; i < s->chats.cap; i++)
        if (s->chats.slots[i].val)
            ft_chat_free(s->chats.slots[i].val);
    ft_map_clear(&s->chats);
    ft_map_clear(&s->cbs);
}

/* --------------------------------------------------------------- queue */

static struct ft_update *ft_q_at(struct ft_state *s, size_t i)
{
    return &s->q[(s->qhead + i) % s->qalloc];
}

static void ft_q_pop(struct ft_state *s)
{
    struct ft_update *u = ft_q_at(s, 0);
    if (u->done)
        s->qdone--;
    free(u->json);
    u->json = NULL;
    s->qhead = (s->qhead + 1) % s->qalloc;
    s->qn--;
}

static void ft_q_clear(struct ft_state *s)
{
    while (s->qn)
        ft_q_pop(s);
}

static int ft_q_push(struct ft_state *s, int64_t id, int64_t chat_id, char *json)
{
    if (s->qn >= FT_QUEUE_CAP)
        return BB_ELIMIT;
    if (s->qn == s->qalloc) {
        size_t na = s->qalloc ? s->qalloc * 2 : 256;
        struct ft_update *nq = malloc(na * sizeof(*nq));
        if (!nq)
            return BB_ENOMEM;
        for (size_t i = 0; i < s->qn; i++)
            nq[i] = *ft_q_at(s, i);
        free(s->q);
        s->q = nq;
        s->qhead = 0;
        s->qalloc = na;
    }
    struct ft_update *u = &s->q[(s->qhead + s->qn) % s->qalloc];
    u->id = id;
    u->chat_id = chat_id;
    u->handed = 0;
    u->json = json;
    u->inflight = u->done = u->attempts = 0;
    u->retry_at_ms = 0;
    s->qn++;
    return BB_OK;
}

/* ------------------------------------------------------------- history */

static void ft_hist_add(struct ft_state *s, const char *method, int has_chat, int64_t chat_id,
                        cJSON *params, int status)
{
    if (!s->hist) {
        s->hist = calloc(FT_HISTORY, sizeof(*s->hist));
        if (!s->hist)
            return;
    }
    struct ft_call *c;
    if (s->hn == FT_HISTORY) {
        c = &s->hist[s->hhead];
        free(c->params);
        s->hhead = (s->hhead + 1) % FT_HISTORY;
        s->hn--;
    }
    c = &s->hist[(s->hhead + s->hn) % FT_HISTORY];
    memset(c, 0, sizeof(*c));
    c->seq = s->next_seq++;
    c->has_chat = has_chat;
    c->chat_id = chat_id;
    c->status = status;
    c->ms = ft_rel_ms(s);
    bb_strlcpy(c->method, method, sizeof(c->method));
    c->params = params ? cJSON_PrintUnformatted(params) : NULL;
    s->hn++;
}

static void ft_hist_clear(struct ft_state *s)
{
    for (size_t i = 0; i < s->hn; i++)
        free(s->hist[(s->hhead + i) % FT_HISTORY].params);
    s->hhead = 0;
    s->hn = 0;
}

/* ------------------------------------------------------------- helpers */

static void ft_lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* Percent-decodes (and '+' -> ' ') n bytes into a new string. */
static char *ft_urldecode(const char *p, size_t n)
{
    char *out = malloc(n + 1);
    size_t o = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '+') {
            out[o++] = ' ';
        } else if (p[i] == '%' && i + 2 < n && fh_hexval(p[i + 1]) >= 0 &&
                   fh_hexval(p[i + 2]) >= 0) {
            out[o++] = (char)(fh_hexval(p[i + 1]) * 16 + fh_hexval(p[i + 2]));
            i += 2;
        } else {
            out[o++] = p[i];
        }
    }
    out[o] = '\0';
    return out;
}

/* Sets obj[key] = item, replacing an earlier value. Takes item. */
static void ft_json_set(cJSON *obj, const char *key, cJSON *item)
{
    if (!item)
        return;
    if (cJSON_GetObjectItemCaseSensitive(obj, key))
        cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item);
    else
        cJSON_AddItemToObject(obj, key, item);
}

/* Parses "a=1&b=2" into obj as strings. */
static int ft_parse_form(cJSON *obj, const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && p[j] != '&')
            j++;
        if (j > i) {
            const char *eq = memchr(p + i, '=', j - i);
            size_t klen = eq ? (size_t)(eq - (p + i)) : j - i;
            char *k = ft_urldecode(p + i, klen);
            char *v = eq ? ft_urldecode(eq + 1, (size_t)(p + j - eq - 1)) : strdup("");
            if (!k || !v) {
                free(k);
                free(v);
                return BB_ENOMEM;
            }
            if (*k)
                ft_json_set(obj, k, cJSON_CreateString(v));
            free(k);
            free(v);
        }
        i = j + 1;
    }
    return BB_OK;
}

/* Value of a header parameter (e.g. boundary=...) inside a header value. */
static int ft_header_param(const char *v, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    const char *p = v;
    while ((p = strcasestr(p, name)) != NULL) {
        if ((p == v || p[-1] == ';' || p[-1] == ' ' || p[-1] == '\t') && p[nl] == '=') {
            p += nl + 1;
            size_t o = 0;
            if (*p == '"') {
                p++;
                while (*p && *p != '"' && o + 1 < n)
                    out[o++] = *p++;
            } else {
                while (*p && *p != ';' && *p != ' ' && *p != '\t' && *p != '\r' && o + 1 < n)
                    out[o++] = *p++;
            }
            out[o] = '\0';
            return o ? BB_OK : BB_EINVAL;
        }
        p += nl;
    }
    return BB_ENOTFOUND;
}

/* multipart/form-data: each part's name and body become a string field;
 * a file part becomes {"filename":..,"size":..}. */
static int ft_parse_multipart(cJSON *obj, const char *ctype, const char *body, size_t n)
{
    char boundary[256], delim[262];
    if (ft_header_param(ctype, "boundary", boundary, sizeof(boundary)) != BB_OK)
        return BB_EINVAL;
    if (bb_snprintf(delim, sizeof(delim), "--%s", boundary) != BB_OK)
        return BB_EINVAL;
    size_t dl = strlen(delim);
    const char *p = fh_memmem(body, n, delim, dl);
    const char *end = body + n;
    if (!p)
        return BB_EINVAL;
    for (;;) {
        p += dl;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return BB_OK; /* closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return BB_EINVAL;
        p += 2;
        const char *hend = fh_memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hend)
            return BB_EINVAL;
        char hdrs[2048];
        size_t hl = (size_t)(hend - p);
        if (hl >= sizeof(hdrs))
            return BB_EINVAL;
        memcpy(hdrs, p, hl);
        hdrs[hl] = '\0';
        const char *data = hend + 4;
        char d2[266];
        if (bb_snprintf(d2, sizeof(d2), "\r\n%s", delim) != BB_OK)
            return BB_EINVAL;
        const char *next = fh_memmem(data, (size_t)(end - data), d2, dl + 2);
        if (!next)
            return BB_EINVAL;
        char name[256], fname[256];
        const char *cd = strcasestr(hdrs, "content-disposition:");
        if (!cd || ft_header_param(cd, "name", name, sizeof(name)) != BB_OK)
            return BB_EINVAL;
        size_t dlen = (size_t)(next - data);
        if (ft_header_param(cd, "filename", fname, sizeof(fname)) == BB_OK) {
            cJSON *f = cJSON_CreateObject();
            char *b64 = NULL, ctype_part[128] = "";
            const char *ct = strcasestr(hdrs, "content-type:");
            if (!f)
                return BB_ENOMEM;
            if (ct) {
                size_t k = 0;
                for (ct += 13; *ct == ' '; ct++)
                    ;
                while (ct[k] && ct[k] != '\r' && ct[k] != '\n' && k + 1 < sizeof(ctype_part))
                    k++;
                memcpy(ctype_part, ct, k);
                ctype_part[k] = '\0';
            }
            cJSON_AddStringToObject(f, "filename", fname);
            cJSON_AddNumberToObject(f, "size", (double)dlen);
            cJSON_AddStringToObject(f, "content_type", ctype_part);
            /* the bytes, so tests can read what arrived (control/sent) */
            if (bb_base64_encode(data, dlen, &b64) == BB_OK)
                cJSON_AddStringToObject(f, "data_b64", b64);
            free(b64);
            ft_json_set(obj, name, f);
        } else {
            char *v = malloc(dlen + 1);
            if (!v)
                return BB_ENOMEM;
            memcpy(v, data, dlen);
            v[dlen] = '\0';
            ft_json_set(obj, name, cJSON_CreateString(v));
            free(v);
        }
        p = next + 2;
    }
}

/* Integer parameter: a JSON number or a decimal string. 0 absent, 1 ok,
 * -1 present but not an integer. */
static int ft_p_i64(const cJSON *p, const char *key, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, key);
    long long ll;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d != d || d > 9007199254740992.0 || d < -9007199254740992.0 || (double)(int64_t)d != d)
            return -1;
        *out = (int64_t)d;
        return 1;
    }
    if (cJSON_IsString(v) &&
        bb_parse_ll(v->valuestring, -9007199254740992LL, 9007199254740992LL, &ll) == BB_OK) {
        *out = ll;
        return 1;
    }
    return -1;
}

static const char *ft_p_str(const cJSON *p, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int ft_p_bool(const cJSON *p, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, key);
    if (cJSON_IsTrue(v))
        return 1;
    if (cJSON_IsString(v))
        return strcmp(v->valuestring, "true") == 0 || strcmp(v->valuestring, "1") == 0;
    if (cJSON_IsNumber(v))
        return v->valuedouble != 0;
    return 0;
}

/* Values sent as form fields arrive as strings; parse the JSON-valued
 * ones and turn numbers into strings where Telegram expects strings. */
static void ft_normalize(cJSON *p)
{
    static const char *json_keys[] = {"reply_markup",    "entities",        "commands",
                                      "scope",           "allowed_updates", "link_preview_options",
                                      "reply_parameters"};
    static const char *str_keys[] = {"text", "callback_query_id", "data", "secret_token", "url"};
    for (size_t i = 0; i < BB_ARRAY_LEN(json_keys); i++) {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(p, json_keys[i]);
        if (cJSON_IsString(v)) {
            cJSON *j = cJSON_Parse(v->valuestring);
            if (j)
                cJSON_ReplaceItemInObjectCaseSensitive(p, json_keys[i], j);
        }
    }
    for (size_t i = 0; i < BB_ARRAY_LEN(str_keys); i++) {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(p, str_keys[i]);
        if (cJSON_IsNumber(v)) {
            char num[32];
            bb_snprintf(num, sizeof(num), "%.17g", v->valuedouble);
            cJSON_ReplaceItemInObjectCaseSensitive(p, str_keys[i], cJSON_CreateString(num));
        }
    }
}

/* Length of s in UTF-16 code units (Telegram entity offsets). */
static size_t ft_utf16_len(const char *s, size_t n)
{
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) == 0x80)
            continue;
        u += c >= 0xF0 ? 2 : 1;
    }
    return u;
}

/* ------------------------------------------------------------- replies */

/* A response being built: HTTP status, the JSON body (malloc'd), and the
 * Retry-After header when non-zero. */
struct ft_reply {
    int status;
    char *body;
    int retry_after;
};

static void ft_reply_set(struct ft_reply *rep, int status, cJSON *body)
{
    free(rep->body);
    rep->status = status;
    rep->body = body ? cJSON_PrintUnformatted(body) : NULL;
    cJSON_Delete(body);
    if (!rep->body) {
        rep->status = 500;
        rep->body = strdup("{\"ok\":false,\"error_code\":500,"
                           "\"description\":\"Internal Server Error\"}");
    }
}

static void ft_err(struct ft_reply *rep, int code, const char *desc, int retry_after)
{
    cJSON *b = cJSON_CreateObject();
    cJSON_AddBoolToObject(b, "ok", 0);
    cJSON_AddNumberToObject(b, "error_code", code);
    cJSON_AddStringToObject(b, "description", desc);
    if (retry_after > 0) {
        cJSON *par = cJSON_AddObjectToObject(b, "parameters");
        cJSON_AddNumberToObject(par, "retry_after", retry_after);
    }
    ft_reply_set(rep, code, b);
    rep->retry_after = retry_after;
}

static void ft_bad(struct ft_reply *rep, const char *desc)
{
    ft_err(rep, 400, desc, 0);
}

/* Takes result. */
static void ft_ok(struct ft_reply *rep, cJSON *result, const char *desc)
{
    cJSON *b = cJSON_CreateObject();
    cJSON_AddBoolToObject(b, "ok", 1);
    cJSON_AddItemToObject(b, "result", result ? result : cJSON_CreateTrue());
    if (desc)
        cJSON_AddStringToObject(b, "description", desc);
    ft_reply_set(rep, 200, b);
}

/* Control API error: {"ok":false,"error":"..."}. */
static void ft_cerr(struct ft_reply *rep, int status, const char *msg)
{
    cJSON *b = cJSON_CreateObject();
    cJSON_AddBoolToObject(b, "ok", 0);
    cJSON_AddStringToObject(b, "error", msg);
    ft_reply_set(rep, status, b);
}

/* Serializes a Bot API answer (JSON) into out. */
static int ft_http_write(struct ft_state *s, struct bb_buf *out, int status, const char *body,
                         int retry_after, int close)
{
    char extra[48] = "";
    if (retry_after > 0)
        bb_snprintf(extra, sizeof(extra), "Retry-After: %d\r\n", retry_after);
    return fh_response(s->srv, out, status, "application/json", body, extra, close);
}

/* --------------------------------------------------------- connections */

static void ft_hook_fail(struct ft_state *s, int k, const char *why);

/* fakehttp: c is closing. */
static void ft_closing(void *app, struct fh_conn *c)
{
    struct ft_state *s = app;
    if (s->poller == c)
        s->poller = NULL;
    for (int k = 0; k < FT_HOOK_SLOTS; k++) {
        if (s->hook.slot[k].conn != c)
            continue;
        if (s->hook.slot[k].uid)
            ft_hook_fail(s, k, "Connection closed by the webhook");
        s->hook.slot[k].conn = NULL;
    }
}

static void ft_unpark(struct ft_state *s, struct fh_conn *c)
{
    if (!c->park)
        return;
    fh_unpark(c);
    if (s->poller == c)
        s->poller = NULL;
}

/* ------------------------------------------------------------- updates */

static const char *ft_update_kind(const cJSON *u)
{
    for (const cJSON *it = u->child; it; it = it->next)
        if (it->string && strcmp(it->string, "update_id") != 0)
            return it->string;
    return "";
}

static int ft_allowed(const struct ft_state *s, const char *kind)
{
    if (s->nallowed < 0 || s->nallowed == 0) {
        return strcmp(kind, "chat_member") != 0 && strcmp(kind, "message_reaction") != 0 &&
               strcmp(kind, "message_reaction_count") != 0;
    }
    for (int i = 0; i < s->nallowed; i++)
        if (strcmp(s->allowed[i], kind) == 0)
            return 1;
    return 0;
}

static void ft_poll_answer(struct ft_state *s, struct fh_conn *c);

/* Enqueues an Update (without update_id; one is assigned). Does not take
 * u. *id_out = 0 when allowed_updates filtered it out. */
static int ft_enqueue(struct ft_state *s, cJSON *u, int64_t chat_id, int64_t *id_out)
{
    *id_out = 0;
    if (!ft_allowed(s, ft_update_kind(u)))
        return BB_OK;
    if (s->qn >= FT_QUEUE_CAP)
        return BB_ELIMIT;
    cJSON_DeleteItemFromObjectCaseSensitive(u, "update_id");
    char *body = cJSON_PrintUnformatted(u);
    if (!body)
        return BB_ENOMEM;
    struct bb_buf b;
    bb_buf_init(&b, (size_t)FT_MAX_BODY * 2);
    int64_t id = s->next_update_id;
    int rc = bb_buf_printf(&b, "{\"update_id\":%" PRId64 "%s%s", id, body[1] == '}' ? "" : ",",
                           body + 1);
    free(body);
    if (rc != BB_OK) {
        bb_buf_free(&b);
        return rc;
    }
    char *json = bb_buf_take(&b);
    rc = ft_q_push(s, id, chat_id, json);
    if (rc != BB_OK) {
        free(json);
        return rc;
    }
    s->next_update_id++;
    s->updates_enqueued++;
    *id_out = id;
    if (s->poller)
        ft_poll_answer(s, s->poller);
    return BB_OK;
}

static void ft_mark_handed(struct ft_state *s, struct ft_update *u, int64_t now)
{
    if (u->handed)
        return;
    u->handed = 1;
    if (u->chat_id) {
        struct ft_chat *ch = ft_chat_get(s, u->chat_id, 0);
        if (ch && !ch->handed_ms)
            ch->handed_ms = now;
    }
}

static cJSON *ft_user_json(int64_t id, const char *first_name, const char *username,
                           const char *lang)
{
    cJSON *f = cJSON_CreateObject();
    cJSON_AddNumberToObject(f, "id", (double)id);
    cJSON_AddBoolToObject(f, "is_bot", 0);
    cJSON_AddStringToObject(f, "first_name", first_name);
    if (username && *username)
        cJSON_AddStringToObject(f, "username", username);
    if (lang && *lang)
        cJSON_AddStringToObject(f, "language_code", lang);
    return f;
}

static cJSON *ft_chat_json(const struct ft_chat *ch)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddNumberToObject(c, "id", (double)ch->id);
    if (ch->id > 0) {
        cJSON_AddStringToObject(c, "type", "private");
        cJSON_AddStringToObject(c, "first_name", ch->first_name);
    } else {
        cJSON_AddStringToObject(c, "type", "supergroup");
        cJSON_AddStringToObject(c, "title", "Group");
    }
    return c;
}

static cJSON *ft_bot_user_json(const struct ft_state *s)
{
    cJSON *u = cJSON_CreateObject();
    cJSON_AddNumberToObject(u, "id", (double)s->bot_id);
    cJSON_AddBoolToObject(u, "is_bot", 1);
    cJSON_AddStringToObject(u, "first_name", s->first_name);
    cJSON_AddStringToObject(u, "username", s->username);
    return u;
}

/* The Message object of a stored message. */
static cJSON *ft_msg_json(const struct ft_state *s, const struct ft_chat *ch,
                          const struct ft_msg *m)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "message_id", (double)m->id);
    if (m->from_bot)
        cJSON_AddItemToObject(j, "from", ft_bot_user_json(s));
    else if (ch->id > 0)
        cJSON_AddItemToObject(j, "from",
                              ft_user_json(ch->id, ch->first_name, ch->username, ch->lang));
    cJSON_AddItemToObject(j, "chat", ft_chat_json(ch));
    cJSON_AddNumberToObject(j, "date", (double)m->date);
    if (m->edit_date)
        cJSON_AddNumberToObject(j, "edit_date", (double)m->edit_date);
    cJSON_AddStringToObject(j, "text", m->text);
    if (m->markup) {
        cJSON *mk = cJSON_Parse(m->markup);
        if (mk && cJSON_GetObjectItemCaseSensitive(mk, "inline_keyboard"))
            cJSON_AddItemToObject(j, "reply_markup", mk);
        else
            cJSON_Delete(mk);
    }
    return j;
}

/* A user's text message in a private chat, enqueued as an update. */
static int ft_inject_message(struct ft_state *s, int64_t chat_id, const char *text,
                             const char *first_name, const char *lang, int64_t *uid, int64_t *mid)
{
    struct ft_chat *ch = ft_chat_get(s, chat_id, 1);
    if (!ch)
        return BB_ENOMEM;
    if (first_name && *first_name)
        bb_strlcpy(ch->first_name, first_name, sizeof(ch->first_name));
    if (lang)
        bb_strlcpy(ch->lang, lang, sizeof(ch->lang));
    struct ft_msg *m = ft_chat_add(ch, 0, text, NULL);
    if (!m)
        return BB_ENOMEM;
    *mid = m->id;
    cJSON *msg = ft_msg_json(s, ch, m);
    if (text[0] == '/') {
        size_t n = strcspn(text, " \n\t");
        cJSON *ents = cJSON_AddArrayToObject(msg, "entities");
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "type", "bot_command");
        cJSON_AddNumberToObject(e, "offset", 0);
        cJSON_AddNumberToObject(e, "length", (double)ft_utf16_len(text, n));
        cJSON_AddItemToArray(ents, e);
    }
    cJSON *u = cJSON_CreateObject();
    cJSON_AddItemToObject(u, "message", msg);
    int rc = ft_enqueue(s, u, chat_id, uid);
    cJSON_Delete(u);
    return rc;
}

/* A button press on a bot message, enqueued as a callback_query update. */
static int ft_inject_press(struct ft_state *s, struct ft_chat *ch, const struct ft_msg *m,
                           const char *data, int64_t *uid, int64_t *cbid)
{
    int64_t cb = s->next_cb++;
    char idstr[32], inst[32];
    bb_snprintf(idstr, sizeof(idstr), "%" PRId64, cb);
    bb_snprintf(inst, sizeof(inst), "%" PRId64, -(int64_t)(ft_hash(ch->id) >> 12));
    cJSON *q = cJSON_CreateObject();
    cJSON_AddStringToObject(q, "id", idstr);
    cJSON_AddItemToObject(q, "from", ft_user_json(ch->id, ch->first_name, ch->username, ch->lang));
    cJSON_AddItemToObject(q, "message", ft_msg_json(s, ch, m));
    cJSON_AddStringToObject(q, "chat_instance", inst);
    cJSON_AddStringToObject(q, "data", data);
    cJSON *u = cJSON_CreateObject();
    cJSON_AddItemToObject(u, "callback_query", q);
    int rc = ft_enqueue(s, u, ch->id, uid);
    cJSON_Delete(u);
    if (rc == BB_OK && *uid)
        rc = ft_chat_add_cb(s, ch, cb);
    *cbid = cb;
    return rc;
}

/* ------------------------------------------------------------ getUpdates */

/* Answers the parked (or current) poller with what is queued. */
static void ft_poll_answer(struct ft_state *s, struct fh_conn *c)
{
    struct bb_buf b;
    int64_t now = bb_mono_ms();
    size_t n = s->qn < (size_t)c->arg ? s->qn : (size_t)c->arg;
    bb_buf_init(&b, FT_OUT_CAP / 2);
    int rc = bb_buf_puts(&b, "{\"ok\":true,\"result\":[");
    for (size_t i = 0; i < n && rc == BB_OK; i++) {
        struct ft_update *u = ft_q_at(s, i);
        if (i)
            rc = bb_buf_puts(&b, ",");
        if (rc == BB_OK)
            rc = bb_buf_puts(&b, u->json);
        ft_mark_handed(s, u, now);
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(&b, "]}");
    int parked = c->park == FH_PARK_WAIT;
    ft_unpark(s, c);
    if (rc == BB_OK)
        rc = ft_http_write(s, &c->out, 200, b.data, 0, c->park_close);
    if (c->park_close)
        c->close_after = 1;
    bb_buf_free(&b);
    if (rc != BB_OK) {
        fh_close(c);
        return;
    }
    if (parked) {
        fh_flush(c);
        if (!c->dead)
            fh_resume(c);
    }
}

/* ------------------------------------------------------------ sim hooks */

static void ft_sim_on_send(struct ft_state *s, struct ft_chat *ch, const struct ft_msg *m);

/* --------------------------------------------------------- bot methods */

static int ft_check_text(const char *text, struct ft_reply *rep)
{
    if (!text || !*text) {
        ft_bad(rep, "Bad Request: message text is empty");
        return -1;
    }
    size_t n = strlen(text);
    if (!bb_utf8_valid(text, n)) {
        ft_bad(rep, "Bad Request: strings must be encoded in UTF-8");
        return -1;
    }
    if (n > 32768 || bb_utf8_len(text) > 4096) {
        ft_bad(rep, "Bad Request: message is too long");
        return -1;
    }
    return 0;
}

static int ft_check_parse_mode(const cJSON *p, struct ft_reply *rep)
{
    const char *pm = ft_p_str(p, "parse_mode");
    char low[32];
    if (!pm || !*pm)
        return 0;
    if (bb_strlcpy(low, pm, sizeof(low)) == BB_OK) {
        ft_lower(low);
        if (!strcmp(low, "markdown") || !strcmp(low, "markdownv2") || !strcmp(low, "html"))
            return 0;
    }
    ft_bad(rep, "Bad Request: unsupported parse_mode");
    return -1;
}

static int ft_is_rows(const cJSON *kb)
{
    if (!cJSON_IsArray(kb))
        return 0;
    for (const cJSON *row = kb->child; row; row = row->next)
        if (!cJSON_IsArray(row))
            return 0;
    return 1;
}

/* Validates reply_markup; *norm gets its JSON (malloc'd) or NULL when
 * absent. inline_only: edits accept only an inline keyboard. */
static int ft_check_markup(const cJSON *p, int inline_only, struct ft_reply *rep, char **norm)
{
    static const char *actions[] = {"callback_data",
                                    "url",
                                    "login_url",
                                    "switch_inline_query",
                                    "switch_inline_query_current_chat",
                                    "web_app",
                                    "pay",
                                    "callback_game",
                                    "copy_text",
                                    "switch_inline_query_chosen_chat"};
    const cJSON *mk = cJSON_GetObjectItemCaseSensitive(p, "reply_markup");
    *norm = NULL;
    if (!mk || cJSON_IsNull(mk))
        return 0;
    if (!cJSON_IsObject(mk)) {
        ft_bad(rep, "Bad Request: can't parse reply keyboard markup JSON object");
        return -1;
    }
    const cJSON *ik = cJSON_GetObjectItemCaseSensitive(mk, "inline_keyboard");
    if (ik) {
        if (!ft_is_rows(ik)) {
            ft_bad(rep, "Bad Request: can't parse inline keyboard button: InlineKeyboardButton "
                        "must be an Object");
            return -1;
        }
        for (const cJSON *row = ik->child; row; row = row->next) {
            for (const cJSON *b = row->child; b; b = b->next) {
                const cJSON *t = cJSON_GetObjectItemCaseSensitive(b, "text");
                if (!cJSON_IsObject(b) || !cJSON_IsString(t)) {
                    ft_bad(rep, "Bad Request: can't parse inline keyboard button: Field "
                                "\"text\" must be of type String");
                    return -1;
                }
                if (!*t->valuestring) {
                    ft_bad(rep, "Bad Request: BUTTON_TEXT_INVALID");
                    return -1;
                }
                int has_action = 0;
                for (size_t i = 0; i < BB_ARRAY_LEN(actions); i++)
                    if (cJSON_GetObjectItemCaseSensitive(b, actions[i]))
                        has_action = 1;
                if (!has_action) {
                    ft_bad(rep, "Bad Request: text buttons are unallowed in the inline keyboard");
                    return -1;
                }
                const cJSON *cd = cJSON_GetObjectItemCaseSensitive(b, "callback_data");
                if (cd &&
                    (!cJSON_IsString(cd) || !*cd->valuestring || strlen(cd->valuestring) > 64)) {
                    ft_bad(rep, "Bad Request: BUTTON_DATA_INVALID");
                    return -1;
                }
            }
        }
        cJSON *only = cJSON_CreateObject();
        cJSON_AddItemToObject(only, "inline_keyboard", cJSON_Duplicate(ik, 1));
        *norm = cJSON_PrintUnformatted(only);
        cJSON_Delete(only);
        return *norm ? 0 : -1;
    }
    if (inline_only) {
        ft_bad(rep, "Bad Request: inline keyboard expected");
        return -1;
    }
    const cJSON *kb = cJSON_GetObjectItemCaseSensitive(mk, "keyboard");
    if ((kb && !ft_is_rows(kb)) ||
        (!kb && !cJSON_GetObjectItemCaseSensitive(mk, "remove_keyboard") &&
         !cJSON_GetObjectItemCaseSensitive(mk, "force_reply"))) {
        ft_bad(rep, "Bad Request: can't parse reply keyboard markup JSON object");
        return -1;
    }
    *norm = cJSON_PrintUnformatted(mk);
    return *norm ? 0 : -1;
}

static struct ft_chat *ft_chat_param(struct ft_state *s, const cJSON *p, struct ft_reply *rep)
{
    int64_t id = 0;
    int r = ft_p_i64(p, "chat_id", &id);
    if (r == 0) {
        ft_bad(rep, "Bad Request: chat_id is empty");
        return NULL;
    }
    if (r < 0 || id == 0) {
        ft_bad(rep, "Bad Request: chat not found");
        return NULL;
    }
    struct ft_chat *ch = ft_chat_get(s, id, 1);
    if (!ch)
        ft_err(rep, 500, "Internal Server Error", 0);
    return ch;
}

static void m_get_me(struct ft_state *s, const cJSON *p, struct ft_reply *rep)
{
    (void)p;
    cJSON *u = ft_bot_user_json(s);
    cJSON_AddBoolToObject(u, "can_join_groups", 1);
    cJSON_AddBoolToObject(u, "can_read_all_group_messages", 0);
    cJSON_AddBoolToObject(u, "supports_inline_queries", 0);
    ft_ok(rep, u, NULL);
}

static void ft_record_send(struct ft_state *s, struct ft_chat *ch)
{
    int64_t now = bb_mono_ms();
    ft_win_push(&ch->win, now);
    ft_win_push(&s->overall, now);
    if (ch->win.max > s->max_chat_1s) {
        s->max_chat_1s = ch->win.max;
        s->max_chat_1s_id = ch->id;
    }
    ch->sends[ch->nsends % FT_SEND_RING] = now - s->start_ms;
    ch->nsends++;
    s->sends_total++;
    if (ch->handed_ms) {
        if (!s->lat)
            s->lat = malloc(FT_SAMPLES_CAP * sizeof(*s->lat));
        if (s->lat && s->nlat < FT_SAMPLES_CAP)
            s->lat[s->nlat++] = now - ch->handed_ms;
        ch->handed_ms = 0;
    }
}

static int ft_flooded(struct ft_state *s, struct ft_chat *ch, struct ft_reply *rep)
{
    int64_t now = bb_mono_ms();
    if ((s->flood_per_chat > 0 && ft_win_peek(&ch->win, now) > (size_t)s->flood_per_chat) ||
        (s->flood_global > 0 && ft_win_peek(&s->overall, now) > (size_t)s->flood_global)) {
        ft_err(rep, 429, "Too Many Requests: retry after 1", 1);
        return 1;
    }
    return 0;
}

static void m_send_message(struct ft_state *s, const cJSON *p, struct ft_reply *rep)
{
    char *markup = NULL;
    struct ft_chat *ch = ft_chat_param(s, p, rep);
    const char *text = ft_p_str(p, "text");
    if (!ch || ft_check_text(text, rep) || ft_check_parse_mode(p, rep) ||
        ft_check_markup(p, 0, rep, &markup) || ft_flooded(s, ch, rep))
        goto out;
    struct ft_msg *m = ft_chat_add(ch, 1, text, markup);
    if (!m) {
        ft_err(rep, 500, "Internal Server Error", 0);
        goto out;
    }
    ft_record_send(s, ch);
    ft_ok(rep, ft_msg_json(s, ch, m), NULL);
    ft_sim_on_send(s, ch, m);
out:
    free(markup);
}

/* sendDocument: a file uploaded as a multipart part (`document`), an
 * optional caption (0-1024 characters). The chat shows the caption (or
 * the file name) as the bot's message; control/sent has the bytes. */
static void m_send_document(struct ft_state *s, const cJSON *p, struct ft_reply *rep)
{
    struct ft_chat *ch = ft_chat_param(s, p, rep);
    const cJSON *doc = cJSON_GetObjectItemCaseSensitive(p, "document");
    const char *caption = ft_p_str(p, "caption");
    const cJSON *fn = cJSON_GetObjectItemCaseSensitive(doc, "filename");
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(doc, "size");
    const cJSON *ctype = cJSON_GetObjectItemCaseSensitive(doc, "content_type");
    if (!ch)
        return;
    if (!cJSON_IsObject(doc) || !cJSON_IsString(fn) || !cJSON_IsNumber(size)) {
        ft_bad(rep, "Bad Request: there is no document in the request");
        return;
    }
    if (size->valuedouble <= 0) {
        ft_bad(rep, "Bad Request: file must be non-empty");
        return;
    }
    if (caption && (!bb_utf8_valid(caption, strlen(caption)) || bb_utf8_len(caption) > 1024)) {
        ft_bad(rep, "Bad Request: message caption is too long");
        return;
    }
    if (ft_flooded(s, ch, rep))
        return;
    struct ft_msg *m = ft_chat_add(ch, 1, caption && *caption ? caption : fn->valuestring, NULL);
    if (!m) {
        ft_err(rep, 500, "Internal Server Error", 0);
        return;
    }
    ft_record_send(s, ch);
    cJSON *j = ft_msg_json(s, ch, m);
    cJSON *d = cJSON_AddObjectToObject(j, "document");
    cJSON_AddStringToObject(d, "file_name", fn->valuestring);
    cJSON_AddStringToObject(d, "mime_type",
                            cJSON_IsString(ctype) && ctype->valuestring[0]
                                ? ctype->valuestring
                                : "application/octet-stream");
    cJSON_AddStringToObject(d, "file_id", "BQACAgIAAxkBAAIBfake");
    cJSON_AddNumberToObject(d, "file_size", size->valuedouble);
    cJSON_DeleteItemFromObject(j, "text");
    if (caption && *caption)
        cJSON_AddStringToObject(j, "caption", caption);
    ft_ok(rep, j, NULL);
}

static void m_send_chat_action(struct ft_state *s, const cJSON *p, struct ft_reply *rep)
{
    struct ft_chat *ch = ft_chat_param(s, p, rep);
    if (!ch)
        return;
    const char *a = ft_p_str(p, "action");
    if (!a || !*a) {
        ft_bad(rep, "Bad Request: action is empty");
        return;
    }
    ft_ok(rep, NULL, NULL);
}

static struct ft_msg *ft_edit_target(struct ft_state *s, const cJSON *p, struct ft_reply *rep,
                                     struct ft_chat **chp)
{
    int64_t mid = 0;
    if (ft_p_str(p, "inline_message_id")) {
        ft_bad(rep, "Bad Request: message to edit not found");
        return NULL;
    }
    struct ft_chat *ch = ft_chat_param(s, p, rep);
    if (!ch)
        return NULL;
    int r = ft_p_i64(p, "message_id", &mid);
    if (r == 0) {
        ft_bad(rep, "Bad Request: message identifier is not specified");
        return NULL;
    }
    struct ft_msg *m = r > 0 ? ft_chat_find(ch, mid) : NULL;
    if (!m) {
        ft_bad(rep, "Bad Request: message to edit not found");
        return NULL;
    }
    if (!m->from_bot) {
        ft_bad(rep, "Bad Request: message can't be edited");
        return NULL;
    }
    *chp = ch;
    return m;
}

static int ft_same(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* The error Telegram gives for an edit that changes nothing. */
static void ft_not_modified(struct ft_reply *rep)
{
    ft_bad(rep, "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message");
}

/* An edit done: the message takes over *markup, is stamped edited, and the
 * reply is the message. */
static void ft_edited(struct ft_state *s, struct ft_chat *ch, struct ft_msg *m, char **markup,
                      struct ft_reply *rep)
{
    free(m->markup);
    m->markup = *markup;
    *markup = NULL;
    m->edit_date = bb_now();
    ft_ok(rep, ft_msg_json(s, ch, m), NULL);
}

static void m_edit_text(struct ft_state *s, const cJSON *p, struct ft_reply *rep)
{
    struct ft_chat *ch = NULL;
    char *markup = NULL;
    const char *text = ft_p_str(p, "text");
    struct ft_msg *m = ft_edit_target(s, p, rep, &ch);
    if (!m || ft_check_text(text, rep) || ft_check_parse_mode(p, rep) ||
        ft_check_markup(p, 1, rep, &markup))
        goto out;
    if (strcmp(m->text, text) == 0 && ft_same(m->markup, markup)) {
        ft_not_modified(rep);
        goto out;
    }
    char *nt = strdup(text);
    if (!nt) {
        ft_err(rep, 500, "Internal Server Error", 0);
        goto out;
    }
    free(m->text);
    m->text = nt;
    ft_edited(s, ch, m, &markup, rep);
out:
    free(markup);
}

static void m_edit_markup(struct ft_state *s, const cJSON *p, struct ft_reply *rep)
{
    struct ft_chat *ch = NULL;
    char *markup = NULL;
    struct ft_msg *m = ft_edit_target(s, p, rep, &ch);
    if (!m || ft_check_markup(p, 1, rep, &markup))
        goto out;
    if (ft_same(m->markup, markup)) {
        ft_not_modified(rep);
        goto out;
    }
    ft_edited(s, ch, m, &markup, rep);
out:
    free(markup);
}

static void m_answer_cb(struct ft_state *s, const cJSON *p, struct ft_reply *rep)
{
    const char *id = ft_p_str(p, "callback_query_id");
    long long cb = 0;
    struct ft_chat *ch = NULL;
    if (id && bb_parse_ll(id, 1, INT64_MAX, &cb) == BB_OK)
        ch = ft_map_get(&s->cbs, cb);
    if (!ch) {
        ft_bad(rep, "Bad Request: query is too old and response timeout expired or query ID is "
                    "invalid");
        return;
    }
    const char *t = ft_p_str(p, "text");
    if (t && (!bb_utf8_valid(t, strlen(t)) || bb_utf8_len(t) > 200)) {
        ft_bad(rep, "Bad Request: MESSAGE_TOO_LONG");
        return;
    }
    ft_chat_del_cb(s, ch, cb);
    ft_ok(rep, NULL, NULL);
}

/* allowed_updates: a JSON array of names; absent keeps the setting. */
static int ft_set_allowed(struct ft_state *s, const cJSON *p, struct ft_reply *rep)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(p, "allowed_updates");
    if (!a || cJSON_IsNull(a))
        return 0;
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) > 32) {
        ft_bad(rep, "Bad Request: can't parse allowed updates JSON array");
        return -1;
    }
    int n = 0;
    for (const cJSON *it = a->child; it; it = it->next) {
        if (!cJSON_IsString(it) || bb_strlcpy(s->allowed[n], it->valuestring, 32) != BB_OK) {
            ft_bad(rep, "Bad Request: can't parse allowed updates JSON array");
            return -1;
        }
        n++;
    }
    s->nallowed = n;
    return 0;
}

/* Drop the webhook's connections (a replaced hook's failure is not an
 * error) and what was delivered out of order; what was in flight is
 * pending again. */
static void ft_hook_reset(struct ft_state *s)
{
    for (int k = 0; k < FT_HOOK_SLOTS; k++) {
        s->hook.slot[k].uid = 0;
        if (s->hook.slot[k].conn)
            fh_close(s->hook.slot[k].conn);
        s->hook.slot[k].conn = NULL;
    }
    s->hook.ninflight = 0;
    s->hook.next_retry_ms = 0;
    size_t o = 0;
    for (size_t i = 0; i < s->qn; i++) {
        struct ft_update u = *ft_q_at(s, i);
        if (u.done) {
            free(u.json);
            continue;
        }
        u.inflight = u.attempts = 0;
        u.retry_at_ms = 0;
        *ft_q_at(s, o++) = u;
    }
    s->qn = o;
    s->qdone = 0;
}

static void ft_conflict(struct ft_state *s, struct fh_conn *c, const char *desc)
{
    struct ft_reply r = {0};
    ft_err(&r, 409, desc, 0);
    ft_unpark(s, c);
    if (ft_http_write(s, &c->out, r.status, r.body, 0, c->park_close) != BB_OK)
        fh_close(c);
    else if (c->park_close)
        c->close_after = 1;
    free(r.body);
    fh_flush(c);
    if (!c->dead)
        fh_resume(c);
}

#define FT_409_HOOK                                                                                \
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "  \
    "the webhook first"
#define FT_409_OTHER                                                                               \
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "   \
    "running"

static void m_delete_webhook(struct ft_state *s, const cJSON *p, struct ft_reply *rep)
{
    if (ft_p_bool(p, "drop_pending_updates"))
        ft_q_clear(s);
    int was = s->hook.set;
    ft_hook_reset(s);
    s->hook.set = 0;
    s->hook.url[0] = '\0';
    ft_ok(rep, NULL, was ? "Webhook was deleted" : "Webhook is already deleted");
}

static void m_set_webhook(struct ft_state *s, const cJSON *p, struct ft_reply *rep)
{
    const char *url = ft_p_str(p, "url");
    const char *sec = ft_p_str(p, "secret_token");
    int64_t maxc = 40;
    if (!url || !*url) {
        m_delete_webhook(s, p, rep);
        return;
    }
    const char *rest = NULL;
    if (!strncmp(url, "http://127.0.0.1", 16))
        rest = url + 16;
    else if (!strncmp(url, "http://localhost", 16))
        rest = url + 16;
    long long port = 80;
    if (rest && *rest == ':') {
        char num[8];
        size_t n = strspn(rest + 1, "0123456789");
        if (n == 0 || n >= sizeof(num))
            rest = NULL;
        else {
            memcpy(num, rest + 1, n);
            num[n] = '\0';
            if (bb_parse_ll(num, 1, 65535, &port) != BB_OK)
                rest = NULL;
            else
                rest += 1 + n;
        }
    }
    if (!rest || (*rest && *rest != '/') || strlen(url) >= sizeof(s->hook.url)) {
        ft_bad(rep, "Bad Request: bad webhook: the fake delivers only to http://127.0.0.1:PORT/ "
                    "URLs");
        return;
    }
    if (sec && *sec) {
        if (strlen(sec) > 256) {
            ft_bad(rep, "Bad Request: secret token is too long");
            return;
        }
        if (strspn(sec, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") !=
            strlen(sec)) {
            ft_bad(rep, "Bad Request: secret token contains unallowed characters");
            return;
        }
    }
    int r = ft_p_i64(p, "max_connections", &maxc);
    if (r < 0 || maxc < 1 || maxc > 100) {
        ft_bad(rep, "Bad Request: bad webhook: max_connections must be between 1 and 100");
        return;
    }
    if (ft_set_allowed(s, p, rep))
        return;
    if (ft_p_bool(p, "drop_pending_updates"))
        ft_q_clear(s);
    ft_hook_reset(s);
    s->hook.set = 1;
    s->hook.port = (int)port;
    s->hook.max_conn = (int)maxc;
    bb_strlcpy(s->hook.url, url, sizeof(s->hook.url));
    bb_strlcpy(s->hook.path, *rest ? rest : "/", sizeof(s->hook.path));
    bb_strlcpy(s->hook.secret, sec ? sec : "", sizeof(s->hook.secret));
    if (s->poller)
        ft_conflict(s, s->poller, FT_409_HOOK);
    ft_ok(rep, NULL, "Webhook was set");
}

static void m_webhook_info(struct ft_state *s, const cJSON *p, struct ft_reply *rep)
{
    (void)p;
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "url", s->hook.set ? s->hook.url : "");
    cJSON_AddBoolToObject(r, "has_custom_certificate", 0);
    cJSON_AddNumberToObject(r, "pending_update_count", (double)(s->qn - s->qdone));
    if (s->hook.set) {
        cJSON_AddNumberToObject(r, "max_connections", s->hook.max_conn);
        if (s->hook.last_error_date) {
            cJSON_AddNumberToObject(r, "last_error_date", (double)s->hook.last_error_date);
            cJSON_AddStringToObject(r, "last_error_message", s->hook.last_error);
        }
    }
    if (s->nallowed > 0) {
        cJSON *a = cJSON_AddArrayToObject(r, "allowed_updates");
        for (int i = 0; i < s->nallowed; i++)
            cJSON_AddItemToArray(a, cJSON_CreateString(s->allowed[i]));
    }
    ft_ok(rep, r, NULL);
}

/* Key of a command list: scope JSON and language code. */
static int ft_cmds_key(const cJSON *p, struct ft_reply *rep, char *key, size_t n)
{
    const cJSON *scope = cJSON_GetObjectItemCaseSensitive(p, "scope");
    const char *lang = ft_p_str(p, "language_code");
    char *sj = NULL;
    if (scope && !cJSON_IsNull(scope)) {
        if (!cJSON_IsObject(scope) || !cJSON_IsString(cJSON_GetObjectItem(scope, "type"))) {
            ft_bad(rep, "Bad Request: can't parse BotCommandScope JSON object");
            return -1;
        }
        sj = cJSON_PrintUnformatted(scope);
    }
    if (lang && *lang &&
        (strlen(lang) != 2 || !islower((unsigned char)lang[0]) ||
         !islower((unsigned char)lang[1]))) {
        free(sj);
        ft_bad(rep, "Bad Request: invalid language code specified");
        return -1;
    }
    int rc =
        bb_snprintf(key, n, "%s|%s", sj && strcmp(sj, "{\"type\":\"default\"}") ? sj : "default",
                    lang ? lang : "");
    free(sj);
    if (rc != BB_OK) {
        ft_bad(rep, "Bad Request: can't parse BotCommandScope JSON object");
        return -1;
    }
    return 0;
}

static struct ft_cmds *ft_cmds_find(struct ft_state *s, const char *key)
{
    for (size_t i = 0; i < s->ncmds; i++)
        if (!strcmp(s->cmds[i].key, key))
            return &s->cmds[i];
    return NULL;
}

static void ft_cmds_remove(struct ft_state *s, const char *key)
{
    struct ft_cmds *c = ft_cmds_find(s, key);
    if (!c)
        return;
    free(c->key);
    free(c->json);
    *c = s->cmds[--s->ncmds];
}

static void m_set_commands(struct ft_state *s, const cJSON *p, struct ft_reply *rep)
{
    char key[1024];
    const cJSON *cmds = cJSON_GetObjectItemCaseSensitive(p, "commands");
    if (!cJSON_IsArray(cmds)) {
        ft_bad(rep, "Bad Request: can't parse commands JSON array");
        return;
    }
    if (cJSON_GetArraySize(cmds) > 100) {
        ft_bad(rep, "Bad Request: too many commands specified");
        return;
    }
    if (ft_cmds_key(p, rep, key, sizeof(key)))
        return;
    cJSON *norm = cJSON_CreateArray();
    for (const cJSON *it = cmds->child; it; it = it->next) {
        const char *cmd = ft_p_str(it, "command");
        const char *desc = ft_p_str(it, "description");
        if (cmd && *cmd == '/')
            cmd++;
        size_t cl = cmd ? strlen(cmd) : 0;
        if (!cmd || cl < 1 || cl > 32 ||
            strspn(cmd, "abcdefghijklmnopqrstuvwxyz0123456789_") != cl) {
            cJSON_Delete(norm);
            ft_bad(rep, "Bad Request: BOT_COMMAND_INVALID");
            return;
        }
        if (!desc || !*desc || !bb_utf8_valid(desc, strlen(desc)) || bb_utf8_len(desc) > 256) {
            cJSON_Delete(norm);
            ft_bad(rep, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
            return;
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "command", cmd);
        cJSON_AddStringToObject(o, "description", desc);
        cJSON_AddItemToArray(norm, o);
    }
    char *json = cJSON_PrintUnformatted(norm);
    char *k = strdup(key);
    cJSON_Delete(norm);
    struct ft_cmds *nc = realloc(s->cmds, (s->ncmds + 1) * sizeof(*nc));
    if (!json || !k || !nc) {
        free(json);
        free(k);
        if (nc)
            s->cmds = nc;
        ft_err(rep, 500, "Internal Server Error", 0);
        return;
    }
    s->cmds = nc;
    ft_cmds_remove(s, key);
    if (cJSON_GetArraySize(cmds) == 0) {
        free(json);
        free(k);
    } else {
        s->cmds[s->ncmds].key = k;
        s->cmds[s->ncmds].json = json;
        s->ncmds++;
    }
    ft_ok(rep, NULL, NULL);
}

static void m_get_commands(struct ft_state *s, const cJSON *p, struct ft_reply *rep)
{
    char key[1024];
    if (ft_cmds_key(p, rep, key, sizeof(key)))
        return;
    struct ft_cmds *c = ft_cmds_find(s, key);
    cJSON *r = c ? cJSON_Parse(c->json) : NULL;
    ft_ok(rep, r ? r : cJSON_CreateArray(), NULL);
}

static void m_delete_commands(struct ft_state *s, const cJSON *p, struct ft_reply *rep)
{
    char key[1024];
    if (ft_cmds_key(p, rep, key, sizeof(key)))
        return;
    ft_cmds_remove(s, key);
    ft_ok(rep, NULL, NULL);
}

static void ft_cmds_clear(struct ft_state *s)
{
    for (size_t i = 0; i < s->ncmds; i++) {
        free(s->cmds[i].key);
        free(s->cmds[i].json);
    }
    free(s->cmds);
    s->cmds = NULL;
    s->ncmds = 0;
}

typedef void (*ft_method_fn)(struct ft_state *s, const cJSON *p, struct ft_reply *rep);

struct ft_method {
    const char *name;
    ft_method_fn fn; /* NULL: getUpdates, handled by the dispatcher */
};

static const struct ft_method ft_methods[] = {
    {"getMe", m_get_me},
    {"getUpdates", NULL},
    {"setWebhook", m_set_webhook},
    {"deleteWebhook", m_delete_webhook},
    {"getWebhookInfo", m_webhook_info},
    {"sendMessage", m_send_message},
    {"sendDocument", m_send_document},
    {"sendChatAction", m_send_chat_action},
    {"answerCallbackQuery", m_answer_cb},
    {"editMessageText", m_edit_text},
    {"editMessageReplyMarkup", m_edit_markup},
    {"setMyCommands", m_set_commands},
    {"getMyCommands", m_get_commands},
    {"deleteMyCommands", m_delete_commands},
};

/* ---------------------------------------------------------------- HTTP */

/* Params from the query string and the body (any of the four encodings).
 * Returns NULL and sets rep on bad input. */
static cJSON *ft_params(const struct fh_req *r, const char *query, struct ft_reply *rep)
{
    cJSON *p = cJSON_CreateObject();
    if (!p) {
        ft_err(rep, 500, "Internal Server Error", 0);
        return NULL;
    }
    if (query && ft_parse_form(p, query, strlen(query)) != BB_OK)
        goto bad;
    if (r->body_len) {
        if (!strncasecmp(r->ctype, "application/json", 16)) {
            cJSON *j = cJSON_ParseWithLength(r->body, r->body_len);
            if (!cJSON_IsObject(j)) {
                cJSON_Delete(j);
                goto bad;
            }
            while (j->child) {
                cJSON *it = cJSON_DetachItemViaPointer(j, j->child);
                char *k = it->string;
                it->string = NULL;
                ft_json_set(p, k, it);
                free(k);
            }
            cJSON_Delete(j);
        } else if (!strncasecmp(r->ctype, "application/x-www-form-urlencoded", 33)) {
            if (ft_parse_form(p, r->body, r->body_len) != BB_OK)
                goto bad;
        } else if (!strncasecmp(r->ctype, "multipart/form-data", 19)) {
            if (ft_parse_multipart(p, r->ctype, r->body, r->body_len) != BB_OK)
                goto bad;
        }
    }
    ft_normalize(p);
    return p;
bad:
    cJSON_Delete(p);
    ft_bad(rep, "Bad Request: can't parse request parameters");
    return NULL;
}

/* ---------------------------------------------------------- dispatcher */

/* What the dispatcher decided for a request. */
enum { FT_DONE = 0, FT_PARKED, FT_DROP, FT_DELAY };

static struct ft_fault *ft_fault_match(struct ft_state *s, const char *method, int has_chat,
                                       int64_t chat_id)
{
    char low[64];
    bb_strlcpy(low, method, sizeof(low));
    ft_lower(low);
    for (size_t i = 0; i < s->nfaults; i++) {
        struct ft_fault *f = &s->faults[i];
        if (f->count <= 0)
            continue;
        if (strcmp(f->method, "*") && strcmp(f->method, low))
            continue;
        if (f->has_chat && (!has_chat || f->chat_id != chat_id))
            continue;
        return f;
    }
    return NULL;
}

static void ft_fault_gc(struct ft_state *s)
{
    size_t o = 0;
    for (size_t i = 0; i < s->nfaults; i++)
        if (s->faults[i].count > 0)
            s->faults[o++] = s->faults[i];
    s->nfaults = o;
}

static int ft_get_updates(struct ft_state *s, struct fh_conn *c, const cJSON *p,
                          struct ft_reply *rep, int keep_alive)
{
    int64_t offset = 0, limit = 100, timeout = 0;
    if (s->hook.set) {
        ft_err(rep, 409, FT_409_HOOK, 0);
        return FT_DONE;
    }
    if (ft_p_i64(p, "offset", &offset) < 0 || ft_p_i64(p, "limit", &limit) < 0 ||
        ft_p_i64(p, "timeout", &timeout) < 0) {
        ft_bad(rep, "Bad Request: wrong parameter type");
        return FT_DONE;
    }
    if (ft_set_allowed(s, p, rep))
        return FT_DONE;
    limit = limit < 1 ? 1 : limit > 100 ? 100 : limit;
    timeout = timeout < 0 ? 0 : timeout > 50 ? 50 : timeout;
    if (offset > 0) {
        while (s->qn && ft_q_at(s, 0)->id < offset)
            ft_q_pop(s);
    } else if (offset < 0) {
        while (s->qn > (size_t)(-offset))
            ft_q_pop(s);
    }
    if (s->poller && s->poller != c)
        ft_conflict(s, s->poller, FT_409_OTHER);
    c->arg = (int)limit;
    c->park_close = !keep_alive;
    if (s->qn || timeout == 0) {
        ft_poll_answer(s, c);
        return FT_PARKED; /* answer already written */
    }
    fh_park(c, FH_PARK_WAIT, bb_mono_ms() + timeout * 1000);
    s->poller = c;
    return FT_PARKED;
}

static int ft_method_index(const char *name)
{
    for (size_t i = 0; i < BB_ARRAY_LEN(ft_methods); i++)
        if (!strcasecmp(ft_methods[i].name, name))
            return (int)i;
    return -1;
}

static void ft_control(struct ft_state *s, const struct fh_req *r, const char *path,
                       const char *query, struct ft_reply *rep);
static const char *ft_sim_start(struct ft_state *s, const cJSON *cfg);

/* Handles /bot<token>/<method>. Fills rep unless it returns FT_PARKED or
 * FT_DROP; *delay_ms is set for FT_DELAY. */
static int ft_bot(struct ft_state *s, struct fh_conn *c, const struct fh_req *r, const char *path,
                  const char *query, struct ft_reply *rep, long long *delay_ms)
{
    const char *tok = path + 4;
    const char *slash = strchr(tok, '/');
    if (!slash || (size_t)(slash - tok) != strlen(s->token) ||
        memcmp(tok, s->token, (size_t)(slash - tok))) {
        ft_err(rep, 401, "Unauthorized", 0);
        return FT_DONE;
    }
    int mi = ft_method_index(slash + 1);
    if (mi < 0) {
        ft_err(rep, 404, "Not Found", 0);
        return FT_DONE;
    }
    const char *name = ft_methods[mi].name;
    s->bot_calls++;
    s->method_counts[mi]++;
    cJSON *p = ft_params(r, query, rep);
    if (!p)
        return FT_DONE;
    int64_t chat_id = 0;
    int has_chat = ft_p_i64(p, "chat_id", &chat_id) > 0;
    int result = FT_DONE;
    struct ft_fault *f = ft_fault_match(s, name, has_chat, chat_id);
    if (f) {
        f->count--;
        *delay_ms = f->delay_ms;
        if (f->drop) {
            result = FT_DROP;
        } else if (f->status) {
            ft_err(rep, f->status, f->desc, f->status == 429 ? f->retry_after : 0);
        } else {
            f = NULL; /* only a delay: serve normally */
        }
    }
    if (s->sim_pending && (mi == 1 || mi == 2)) {
        const char *err = ft_sim_start(s, s->sim_pending);
        if (err)
            fprintf(stderr, "fake_telegram: sim: %s\n", err);
        cJSON_Delete(s->sim_pending);
        s->sim_pending = NULL;
    }
    if (!f || (!f->drop && !f->status)) {
        if (ft_methods[mi].fn)
            ft_methods[mi].fn(s, p, rep);
        else
            result = ft_get_updates(s, c, p, rep, r->keep_alive);
    }
    if (mi != 1)
        ft_hist_add(s, name, has_chat, chat_id, p, result == FT_DROP ? 0 : rep->status);
    cJSON_Delete(p);
    ft_fault_gc(s);
    if (result == FT_DONE && *delay_ms > 0)
        result = FT_DELAY;
    return result;
}

/* Writes a reply (or holds it for a delay) and accounts for it. */
static void ft_respond(struct ft_state *s, struct fh_conn *c, const struct fh_req *r,
                       struct ft_reply *rep, int action, long long delay_ms, const char *what)
{
    if (s->log)
        fprintf(stderr, "fake_telegram: %s %s -> %s%d\n", r->method, what,
                action == FT_DELAY    ? "(delayed) "
                : action == FT_DROP   ? "(dropped) "
                : action == FT_PARKED ? "(long poll) "
                                      : "",
                action == FT_PARKED || action == FT_DROP ? 0 : rep->status);
    if (action == FT_PARKED)
        return;
    if (action == FT_DROP) {
        fh_close(c);
        return;
    }
    struct bb_buf *dst = action == FT_DELAY ? &c->held : &c->out;
    if (ft_http_write(s, dst, rep->status, rep->body, rep->retry_after, !r->keep_alive) != BB_OK) {
        fh_close(c);
        return;
    }
    if (!r->keep_alive && action != FT_DELAY)
        c->close_after = 1;
    if (action == FT_DELAY) {
        c->park_close = !r->keep_alive;
        fh_park(c, FH_PARK_HELD, bb_mono_ms() + delay_ms);
    }
}

/* fakehttp: one request. */
static void ft_handle(void *app, struct fh_conn *c, const struct fh_req *r)
{
    struct ft_state *s = app;
    struct ft_reply rep = {0};
    long long delay_ms = 0;
    int action = FT_DONE;
    char path[8192];
    bb_strlcpy(path, r->target, sizeof(path));
    char *q = strchr(path, '?');
    if (q)
        *q++ = '\0';
    s->requests++;
    const char *what = path;
    if (!strncmp(path, "/bot", 4)) {
        action = ft_bot(s, c, r, path, q, &rep, &delay_ms);
        const char *sl = strchr(path + 4, '/');
        what = sl ? sl + 1 : "bot";
    } else if (!strncmp(path, "/control/", 9)) {
        ft_control(s, r, path + 9, q, &rep);
    } else {
        ft_err(&rep, 404, "Not Found", 0);
    }
    ft_respond(s, c, r, &rep, action, delay_ms, what);
    free(rep.body);
}

/* fakehttp: a request that cannot be served (closed after the answer). */
static void ft_refuse(void *app, struct fh_conn *c, int status)
{
    struct ft_state *s = app;
    struct ft_reply rep = {0};
    ft_err(&rep, status, fh_status_text(status), 0);
    if (ft_http_write(s, &c->out, rep.status, rep.body, 0, 1) != BB_OK)
        fh_close(c);
    free(rep.body);
}

/* ----------------------------------------------------------- webhooks */

/* Webhook delivery, as Telegram does it with max_connections: up to that
 * many updates in flight at once, each on a connection of its own, but
 * one chat's updates one at a time and in order (the next only once the
 * previous was answered 2xx or given up). A non-2xx answer or a connection
 * error is retried after 100, 200, 400, 800 ms (then every 1.6 s); after
 * --hook-tries failures the update is dropped. */

/* The queued update with this id (ids ascend along the queue), or NULL. */
static struct ft_update *ft_q_find(struct ft_state *s, int64_t id)
{
    size_t lo = 0, hi = s->qn;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        struct ft_update *u = ft_q_at(s, mid);
        if (u->id == id)
            return u;
        if (u->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Pop what is done from the head of the queue. */
static void ft_q_gc(struct ft_state *s)
{
    while (s->qn && ft_q_at(s, 0)->done)
        ft_q_pop(s);
}

static void ft_hook_done(struct ft_state *s, int k)
{
    struct ft_hook_slot *sl = &s->hook.slot[k];
    assert(sl->uid && s->hook.ninflight > 0);
    sl->uid = 0;
    s->hook.ninflight--;
}

static void ft_hook_fail(struct ft_state *s, int k, const char *why)
{
    struct ft_hook *h = &s->hook;
    struct ft_update *u = ft_q_find(s, h->slot[k].uid);
    ft_hook_done(s, k);
    h->last_error_date = bb_now();
    bb_strlcpy(h->last_error, why, sizeof(h->last_error));
    if (!u || u->done)
        return;
    u->inflight = 0;
    u->attempts++;
    if (u->attempts >= s->hook_tries) {
        u->done = 1; /* give up on this update */
        s->qdone++;
        h->failed++;
        ft_q_gc(s);
        return;
    }
    /* 100, 200, 400, 800 ms, then every 1.6 s (with --hook-tries > 5). */
    u->retry_at_ms = bb_mono_ms() + (100LL << (u->attempts < 5 ? u->attempts - 1 : 4));
    if (!h->next_retry_ms || u->retry_at_ms < h->next_retry_ms)
        h->next_retry_ms = u->retry_at_ms;
}

static void ft_hook_ok(struct ft_state *s, int k)
{
    struct ft_update *u = ft_q_find(s, s->hook.slot[k].uid);
    int64_t id = s->hook.slot[k].uid;
    ft_hook_done(s, k);
    s->hook.delivered++;
    if (s->acked) {
        s->acked[s->nacked % FT_ACKED_CAP] = id;
        s->nacked++;
    }
    if (!u || u->done)
        return;
    u->inflight = 0;
    u->done = 1;
    s->qdone++;
    ft_q_gc(s);
}

/* Deliver update u on slot k. */
static void ft_hook_send(struct ft_state *s, int k, struct ft_update *u, int64_t now)
{
    struct ft_hook *h = &s->hook;
    struct ft_hook_slot *sl = &h->slot[k];
    if (!sl->conn) {
        sl->conn = fh_connect(s->srv, h->port);
        if (sl->conn)
            sl->conn->arg = k;
    }
    sl->uid = u->id;
    sl->sent_ms = now;
    u->inflight = 1;
    h->ninflight++;
    if (h->ninflight > h->max_inflight)
        h->max_inflight = h->ninflight;
    ft_mark_handed(s, u, now);
    if (!sl->conn) {
        ft_hook_fail(s, k, "Connection refused");
        return;
    }
    struct fh_conn *c = sl->conn;
    size_t blen = strlen(u->json);
    int rc = bb_buf_printf(&c->out,
                           "POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                           "Content-Type: application/json\r\nContent-Length: %zu\r\n",
                           h->path, h->port, blen);
    if (rc == BB_OK && h->secret[0])
        rc = bb_buf_printf(&c->out, "X-Telegram-Bot-Api-Secret-Token: %s\r\n", h->secret);
    if (rc == BB_OK)
        rc = bb_buf_puts(&c->out, "Connection: keep-alive\r\n\r\n");
    if (rc == BB_OK)
        rc = bb_buf_append(&c->out, u->json, blen);
    if (rc != BB_OK) {
        fh_close(c); /* fails the attempt */
        return;
    }
    fh_flush(c);
}

/* Starts delivering what may go: the oldest pending update of each chat
 * that has nothing older still pending, on the free connections. */
static void ft_hook_kick(struct ft_state *s)
{
    struct ft_hook *h = &s->hook;
    if (!h->set || !s->qn || h->ninflight >= h->max_conn)
        return;
    int64_t now = bb_mono_ms();
    uint64_t round = ++h->round;
    int k = 0;
    h->next_retry_ms = 0;
    for (size_t i = 0; i < s->qn && i < FT_HOOK_SCAN; i++) {
        struct ft_update *u = ft_q_at(s, i);
        if (u->done)
            continue;
        struct ft_chat *ch = u->chat_id ? ft_chat_get(s, u->chat_id, 0) : NULL;
        if (ch) {
            if (ch->hook_round == round)
                continue; /* an older update of this chat is still pending */
            ch->hook_round = round;
        }
        if (u->inflight)
            continue;
        if (now < u->retry_at_ms) {
            if (!h->next_retry_ms || u->retry_at_ms < h->next_retry_ms)
                h->next_retry_ms = u->retry_at_ms;
            continue;
        }
        while (k < h->max_conn && h->slot[k].uid)
            k++;
        if (k >= h->max_conn)
            break;
        ft_hook_send(s, k, u, now);
        if (h->ninflight >= h->max_conn)
            break;
    }
}

/* Parses the webhook's reply in c->in: 1 complete (status in *st), 0 not
 * yet; eof: the peer closed, so a body without length ends here. */
static int ft_hook_parse(struct fh_conn *c, int eof, int *st, int *close_conn)
{
    const char *d = c->in.data;
    size_t n = c->in.len;
    const char *hend = d ? fh_memmem(d, n, "\r\n\r\n", 4) : NULL;
    if (!hend)
        return eof ? -1 : 0;
    if (n < 12 || strncmp(d, "HTTP/1.", 7))
        return -1;
    char code[4] = {d[9], d[10], d[11], 0};
    long long v;
    if (bb_parse_ll(code, 100, 599, &v) != BB_OK)
        return -1;
    *st = (int)v;
    size_t hlen = (size_t)(hend - d) + 4;
    char head[8192];
    size_t cp = hlen < sizeof(head) - 1 ? hlen : sizeof(head) - 1;
    memcpy(head, d, cp);
    head[cp] = '\0';
    *close_conn = !strncmp(d, "HTTP/1.0", 8) || strcasestr(head, "\nconnection: close");
    const char *cl = strcasestr(head, "\ncontent-length:");
    if (cl) {
        char num[24];
        size_t i = 0;
        cl += 16;
        while (*cl == ' ')
            cl++;
        while (isdigit((unsigned char)*cl) && i + 1 < sizeof(num))
            num[i++] = *cl++;
        num[i] = '\0';
        if (bb_parse_ll(num, 0, FT_MAX_BODY, &v) != BB_OK)
            return -1;
        return n - hlen >= (size_t)v ? 1 : 0;
    }
    if (strcasestr(head, "\ntransfer-encoding: chunked")) {
        struct bb_buf tmp;
        bb_buf_init(&tmp, FT_MAX_BODY);
        long used = fh_dechunk(d + hlen, n - hlen, FT_MAX_BODY, &tmp);
        bb_buf_free(&tmp);
        return used > 0 ? 1 : used < 0 ? -1 : 0;
    }
    if (*close_conn)
        return eof ? 1 : 0;
    return 1; /* no body */
}

/* fakehttp: events on the webhook connection. */
static void ft_hook_event(void *app, struct fh_conn *c, uint32_t ev)
{
    struct ft_state *s = app;
    if (c->connecting && (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        int err = 0;
        socklen_t len = sizeof(err);
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
            fh_close(c);
            return;
        }
        c->connecting = 0;
    }
    if (ev & EPOLLOUT)
        fh_flush(c);
    if (c->dead || !(ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
        return;
    int eof = 0;
    for (;;) {
        char tmp[16384];
        ssize_t r = recv(c->fd, tmp, sizeof(tmp), 0);
        if (r > 0) {
            if (bb_buf_append(&c->in, tmp, (size_t)r) != BB_OK) {
                fh_close(c);
                return;
            }
            continue;
        }
        if (r == 0)
            eof = 1;
        else if (errno == EINTR)
            continue;
        else if (errno != EAGAIN && errno != EWOULDBLOCK)
            eof = 1;
        break;
    }
    int k = (int)c->arg;
    if (k < 0 || k >= FT_HOOK_SLOTS || s->hook.slot[k].conn != c || !s->hook.slot[k].uid) {
        if (eof)
            fh_close(c);
        bb_buf_reset(&c->in);
        return;
    }
    int st = 0, close_conn = 0;
    int rc = ft_hook_parse(c, eof, &st, &close_conn);
    if (rc == 0 && !eof)
        return;
    bb_buf_reset(&c->in);
    if (rc == 1 && st >= 200 && st < 300) {
        ft_hook_ok(s, k);
    } else {
        char why[128];
        if (rc == 1)
            bb_snprintf(why, sizeof(why), "Wrong response from the webhook: %d %s", st,
                        fh_status_text(st));
        else
            bb_strlcpy(why, "Connection closed by the webhook", sizeof(why));
        ft_hook_fail(s, k, why);
    }
    if (eof || close_conn || rc != 1)
        fh_close(c);
}

/* ------------------------------------------------------------------ sim */

static int64_t ft_pct(int64_t *v, size_t n, double q)
{
    if (!n)
        return 0;
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

static int ft_cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static cJSON *ft_dist_json(const int64_t *v, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    int64_t *cp = n ? malloc(n * sizeof(*cp)) : NULL;
    cJSON_AddNumberToObject(o, "count", (double)n);
    if (cp) {
        memcpy(cp, v, n * sizeof(*cp));
        qsort(cp, n, sizeof(*cp), ft_cmp64);
    }
    cJSON_AddNumberToObject(o, "p50", cp ? (double)ft_pct(cp, n, 0.50) : 0);
    cJSON_AddNumberToObject(o, "p90", cp ? (double)ft_pct(cp, n, 0.90) : 0);
    cJSON_AddNumberToObject(o, "p99", cp ? (double)ft_pct(cp, n, 0.99) : 0);
    cJSON_AddNumberToObject(o, "max", cp ? (double)cp[n - 1] : 0);
    free(cp);
    return o;
}

/* User + system CPU time of this (single-threaded) process, in us: the
 * sim report says how busy the fake was, so a benchmark can tell whether
 * the load side capped it. */
static int64_t ft_cpu_us(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
           (int64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

static cJSON *ft_sim_report(struct ft_state *s)
{
    struct ft_sim *m = &s->sim;
    cJSON *r = cJSON_CreateObject();
    int64_t end = m->running ? bb_mono_ms() : m->end_ms;
    int64_t el = m->configured ? end - m->start_ms : 0;
    cJSON_AddBoolToObject(r, "running", m->running);
    cJSON_AddNumberToObject(r, "users", (double)m->users);
    cJSON_AddNumberToObject(r, "started", (double)m->started);
    cJSON_AddNumberToObject(r, "active", (double)m->active);
    cJSON_AddNumberToObject(r, "completed", (double)m->completed);
    cJSON_AddBoolToObject(r, "timed_out", m->timed_out);
    cJSON_AddNumberToObject(r, "elapsed_ms", (double)el);
    cJSON_AddNumberToObject(r, "conversations_per_s",
                            el > 0 ? (double)m->completed * 1000.0 / (double)el : 0);
    int64_t cpu = m->configured ? (m->running ? ft_cpu_us() : m->cpu_end_us) - m->cpu_start_us : 0;
    cJSON_AddNumberToObject(r, "fake_cpu_ms", (double)(cpu / 1000));
    /* share of one core the fake used during the run: near 1, it is the cap */
    cJSON_AddNumberToObject(r, "fake_busy", el > 0 ? (double)cpu / 1000.0 / (double)el : 0);
    cJSON_AddItemToObject(r, "duration_ms", ft_dist_json(m->durations, m->ndurations));
    cJSON_AddItemToObject(r, "reply_latency_ms", ft_dist_json(s->lat, s->nlat));
    return r;
}

static void ft_sim_finish(struct ft_state *s, int timed_out)
{
    struct ft_sim *m = &s->sim;
    if (!m->running)
        return;
    m->running = 0;
    m->timed_out = timed_out;
    m->end_ms = bb_mono_ms();
    m->cpu_end_us = ft_cpu_us();
    m->fn = 0;
    m->fhead = 0;
    if (m->exit_when_done) {
        cJSON *r = ft_sim_report(s);
        char *txt = cJSON_PrintUnformatted(r);
        if (txt)
            printf("%s\n", txt);
        fflush(stdout);
        free(txt);
        cJSON_Delete(r);
        ft_stop = timed_out ? 3 : 1;
    }
}

static void ft_sim_begin_user(struct ft_state *s)
{
    struct ft_sim *m = &s->sim;
    int64_t chat_id = m->base + m->started;
    char name[32];
    int64_t uid, mid;
    bb_snprintf(name, sizeof(name), "Sim%lld", m->started);
    m->started++;
    m->active++;
    struct ft_chat *ch = ft_chat_get(s, chat_id, 1);
    if (!ch)
        return;
    ch->sim = FT_SIM_ACTIVE;
    ch->sim_kb_step = ch->sim_txt_step = 0;
    ch->sim_start_ms = bb_mono_ms();
    ft_inject_message(s, chat_id, m->first_text, name, "id", &uid, &mid);
}

/* The step-th item of a sep-separated list (the last one repeats). */
static void ft_list_item(const char *list, char sep, int step, char *out, size_t n)
{
    const char *p = list;
    for (int i = 0; i < step; i++) {
        const char *q = strchr(p, sep);
        if (!q)
            break;
        p = q + 1;
    }
    size_t l = strcspn(p, sep == '|' ? "|" : ",");
    if (l >= n)
        l = n - 1;
    memcpy(out, p, l);
    out[l] = '\0';
}

static void ft_sim_act(struct ft_state *s, const struct ft_sim_action *a)
{
    struct ft_chat *ch = ft_chat_get(s, a->chat_id, 0);
    int64_t uid, x;
    if (!s->sim.running || !ch || ch->sim != FT_SIM_ACTIVE)
        return;
    if (a->press) {
        struct ft_msg *msg = ft_chat_find(ch, a->message_id);
        if (msg)
            ft_inject_press(s, ch, msg, a->data, &uid, &x);
    } else {
        char text[1024];
        ft_list_item(s->sim.replies, '|', a->text_idx, text, sizeof(text));
        ft_inject_message(s, ch->id, *text ? text : "ok", NULL, NULL, &uid, &x);
    }
}

static void ft_sim_schedule(struct ft_state *s, struct ft_sim_action *a)
{
    struct ft_sim *m = &s->sim;
    if (m->think_ms <= 0) {
        ft_sim_act(s, a);
        return;
    }
    a->due_ms = bb_mono_ms() + m->think_ms;
    if (m->fn == m->falloc) {
        size_t na = m->falloc ? m->falloc * 2 : 64;
        struct ft_sim_action *nf = malloc(na * sizeof(*nf));
        if (!nf)
            return;
        for (size_t i = 0; i < m->fn; i++)
            nf[i] = m->fifo[(m->fhead + i) % m->falloc];
        free(m->fifo);
        m->fifo = nf;
        m->fhead = 0;
        m->falloc = na;
    }
    m->fifo[(m->fhead + m->fn) % m->falloc] = *a;
    m->fn++;
}

static void ft_sim_on_send(struct ft_state *s, struct ft_chat *ch, const struct ft_msg *msg)
{
    struct ft_sim *m = &s->sim;
    if (!m->running || ch->sim != FT_SIM_ACTIVE)
        return;
    if (m->done[0] && strstr(msg->text, m->done)) {
        ch->sim = FT_SIM_DONE;
        if (m->durations && m->ndurations < (size_t)m->users)
            m->durations[m->ndurations++] = bb_mono_ms() - ch->sim_start_ms;
        m->completed++;
        m->active--;
        if (m->started < m->users)
            ft_sim_begin_user(s);
        else if (m->completed == m->users)
            ft_sim_finish(s, 0);
        return;
    }
    struct ft_sim_action a = {0};
    a.chat_id = ch->id;
    cJSON *mk = msg->markup ? cJSON_Parse(msg->markup) : NULL;
    const cJSON *ik = cJSON_GetObjectItemCaseSensitive(mk, "inline_keyboard");
    const char *datas[128];
    int nb = 0;
    for (const cJSON *row = ik ? ik->child : NULL; row; row = row->next)
        for (const cJSON *b = row->child; b && nb < 128; b = b->next) {
            const char *d = ft_p_str(b, "callback_data");
            if (d)
                datas[nb++] = d;
        }
    if (nb > 0) {
        int step = ch->sim_kb_step++;
        long long idx;
        char item[32];
        ft_list_item(m->buttons, ',', step, item, sizeof(item));
        if (!m->buttons[0] || bb_parse_ll(item, 0, 1000000, &idx) != BB_OK)
            idx = (long long)(ft_hash((int64_t)(m->seed * 1000003u) ^ (ch->id * 31 + step)) %
                              (uint64_t)nb);
        a.press = 1;
        a.message_id = msg->id;
        bb_strlcpy(a.data, datas[idx % nb], sizeof(a.data));
        cJSON_Delete(mk);
        ft_sim_schedule(s, &a);
        return;
    }
    cJSON_Delete(mk);
    size_t tl = strlen(msg->text), el = strlen(m->expect);
    if (!strcmp(m->expect, "*") || (tl >= el && !strcmp(msg->text + tl - el, m->expect))) {
        a.press = 0;
        a.text_idx = ch->sim_txt_step++;
        ft_sim_schedule(s, &a);
    }
}

static void ft_sim_timers(struct ft_state *s, int64_t now)
{
    struct ft_sim *m = &s->sim;
    if (!m->running)
        return;
    while (m->fn && m->fifo[m->fhead].due_ms <= now) {
        struct ft_sim_action a = m->fifo[m->fhead];
        m->fhead = (m->fhead + 1) % m->falloc;
        m->fn--;
        ft_sim_act(s, &a);
    }
    if (m->running && m->timeout_s > 0 && now - m->start_ms >= m->timeout_s * 1000)
        ft_sim_finish(s, 1);
}

static void ft_sim_stop_all(struct ft_state *s)
{
    struct ft_sim *m = &s->sim;
    for (long long i = 0; i < m->started; i++) {
        struct ft_chat *ch = ft_chat_get(s, m->base + i, 0);
        if (ch)
            ch->sim = FT_SIM_NONE;
    }
    m->running = 0;
    m->fn = m->fhead = 0;
    m->started = m->active = m->completed = 0;
    m->ndurations = 0;
}

/* Configures and starts a run from a JSON object (also built from the
 * command line). On error returns a message and changes nothing. */
static const char *ft_sim_start(struct ft_state *s, const cJSON *cfg)
{
    struct ft_sim n = s->sim;
    int64_t v;
    n.users = 0;
    n.base = 1000000000;
    n.seed = 1;
    n.think_ms = 0;
    n.concurrency = 0;
    n.timeout_s = 0;
    n.exit_when_done = 0;
    bb_strlcpy(n.first_text, "/start", sizeof(n.first_text));
    bb_strlcpy(n.expect, "?", sizeof(n.expect));
    bb_strlcpy(n.replies, "Baik", sizeof(n.replies));
    n.done[0] = n.buttons[0] = '\0';
    if (!cJSON_IsObject(cfg))
        return "expected a JSON object";
    if (ft_p_i64(cfg, "users", &v) != 1 || v < 1 || v > 1000000)
        return "users: 1..1000000 required";
    n.users = v;
    if (ft_p_i64(cfg, "base", &v) < 0 ||
        (ft_p_i64(cfg, "base", &v) == 1 && (v < 1 || v > (1LL << 51))))
        return "base: a positive chat id below 2^51";
    if (ft_p_i64(cfg, "base", &v) == 1)
        n.base = v;
    struct {
        const char *key;
        long long *dst;
        long long max;
    } nums[] = {{"think_ms", &n.think_ms, 600000},
                {"concurrency", &n.concurrency, 1000000},
                {"timeout_s", &n.timeout_s, 86400}};
    for (size_t i = 0; i < BB_ARRAY_LEN(nums); i++) {
        int r = ft_p_i64(cfg, nums[i].key, &v);
        if (r < 0 || (r == 1 && (v < 0 || v > nums[i].max)))
            return "think_ms, concurrency, timeout_s: non-negative integers";
        if (r == 1)
            *nums[i].dst = v;
    }
    if (ft_p_i64(cfg, "seed", &v) == 1)
        n.seed = (uint64_t)v;
    struct {
        const char *key;
        char *dst;
        size_t n;
    } strs[] = {{"first_text", n.first_text, sizeof(n.first_text)},
                {"done", n.done, sizeof(n.done)},
                {"expect", n.expect, sizeof(n.expect)},
                {"reply", n.replies, sizeof(n.replies)},
                {"buttons", n.buttons, sizeof(n.buttons)}};
    for (size_t i = 0; i < BB_ARRAY_LEN(strs); i++) {
        const char *sv = ft_p_str(cfg, strs[i].key);
        if (sv &&
            (bb_strlcpy(strs[i].dst, sv, strs[i].n) != BB_OK || !bb_utf8_valid(sv, strlen(sv))))
            return "a text option is too long or not UTF-8";
    }
    if (!n.first_text[0] || !n.done[0])
        return "first_text and done must not be empty";
    if (ft_p_bool(cfg, "exit"))
        n.exit_when_done = 1;
    if (n.concurrency <= 0 || n.concurrency > n.users)
        n.concurrency = n.users;
    int64_t *dur = malloc((size_t)n.users * sizeof(*dur));
    if (!dur)
        return "out of memory";
    ft_sim_stop_all(s);
    free(s->sim.durations);
    n.durations = dur;
    n.ndurations = 0;
    n.fifo = s->sim.fifo;
    n.falloc = s->sim.falloc;
    n.fn = n.fhead = 0;
    n.started = n.active = n.completed = 0;
    n.configured = 1;
    n.running = 1;
    n.timed_out = 0;
    n.start_ms = bb_mono_ms();
    n.cpu_start_us = ft_cpu_us();
    n.end_ms = 0;
    s->sim = n;
    s->nlat = 0;
    for (long long i = 0; i < n.concurrency; i++)
        ft_sim_begin_user(s);
    return NULL;
}

/* -------------------------------------------------------------- control */

static void ft_reset(struct ft_state *s)
{
    ft_sim_stop_all(s);
    s->sim.configured = 0;
    s->sim.timed_out = 0;
    ft_chats_clear(s);
    ft_q_clear(s);
    ft_hist_clear(s);
    ft_cmds_clear(s);
    s->nfaults = 0;
    s->nallowed = -1;
    ft_hook_reset(s);
    memset(&s->hook, 0, sizeof(s->hook));
    s->nacked = 0;
    s->requests = s->bot_calls = s->updates_enqueued = s->sends_total = 0;
    memset(s->method_counts, 0, sizeof(s->method_counts));
    ft_win_free(&s->overall);
    s->max_chat_1s = 0;
    s->max_chat_1s_id = 0;
    s->nlat = 0;
}

/* The chat id of an arbitrary update: <kind>.chat.id, <kind>.message.chat.id
 * or <kind>.from.id; 0 when none. */
static int64_t ft_update_chat(const cJSON *u)
{
    int64_t id = 0;
    for (const cJSON *k = u->child; k; k = k->next) {
        if (!cJSON_IsObject(k))
            continue;
        const cJSON *chat = cJSON_GetObjectItemCaseSensitive(k, "chat");
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(k, "message");
        const cJSON *from = cJSON_GetObjectItemCaseSensitive(k, "from");
        if (!chat && msg)
            chat = cJSON_GetObjectItemCaseSensitive(msg, "chat");
        if (chat && ft_p_i64(chat, "id", &id) == 1)
            return id;
        if (from && ft_p_i64(from, "id", &id) == 1)
            return id;
    }
    return 0;
}

static void c_message(struct ft_state *s, const cJSON *b, struct ft_reply *rep)
{
    int64_t chat_id = 0, uid = 0, mid = 0;
    const char *text = ft_p_str(b, "text");
    const char *fn = ft_p_str(b, "first_name");
    const char *un = ft_p_str(b, "username");
    const char *lang = ft_p_str(b, "language_code");
    if (ft_p_i64(b, "chat_id", &chat_id) != 1 || chat_id == 0) {
        ft_cerr(rep, 400, "chat_id: a non-zero integer is required");
        return;
    }
    if (!text || !*text || !bb_utf8_valid(text, strlen(text))) {
        ft_cerr(rep, 400, "text: a non-empty UTF-8 string is required");
        return;
    }
    if (un) { /* the user's @username from now on ("" removes it) */
        struct ft_chat *ch = ft_chat_get(s, chat_id, 1);
        if (!ch || bb_strlcpy(ch->username, un, sizeof(ch->username)) != BB_OK) {
            ft_cerr(rep, 400, "username: at most 32 characters");
            return;
        }
    }
    if (ft_inject_message(s, chat_id, text, fn, lang, &uid, &mid) != BB_OK) {
        ft_cerr(rep, 503, "update queue full");
        return;
    }
    cJSON *r = cJSON_CreateObject();
    cJSON_AddBoolToObject(r, "ok", 1);
    cJSON_AddNumberToObject(r, "update_id", (double)uid);
    cJSON_AddNumberToObject(r, "message_id", (double)mid);
    ft_reply_set(rep, 200, r);
}

static void c_press(struct ft_state *s, const cJSON *b, struct ft_reply *rep)
{
    int64_t chat_id = 0, mid = 0, uid = 0, cb = 0;
    const char *data = ft_p_str(b, "data");
    if (ft_p_i64(b, "chat_id", &chat_id) != 1 || ft_p_i64(b, "message_id", &mid) != 1) {
        ft_cerr(rep, 400, "chat_id and message_id: integers are required");
        return;
    }
    if (!data || !*data) {
        ft_cerr(rep, 400, "data: a non-empty string is required");
        return;
    }
    struct ft_chat *ch = ft_chat_get(s, chat_id, 0);
    struct ft_msg *m = ch ? ft_chat_find(ch, mid) : NULL;
    if (!m || !m->from_bot) {
        ft_cerr(rep, 404, "no such message from the bot in that chat");
        return;
    }
    if (ft_inject_press(s, ch, m, data, &uid, &cb) != BB_OK) {
        ft_cerr(rep, 503, "update queue full");
        return;
    }
    char id[32];
    bb_snprintf(id, sizeof(id), "%" PRId64, cb);
    cJSON *r = cJSON_CreateObject();
    cJSON_AddBoolToObject(r, "ok", 1);
    cJSON_AddNumberToObject(r, "update_id", (double)uid);
    cJSON_AddStringToObject(r, "callback_query_id", id);
    ft_reply_set(rep, 200, r);
}

static void c_update(struct ft_state *s, cJSON *b, struct ft_reply *rep)
{
    int64_t uid = 0;
    if (!cJSON_IsObject(b) || !b->child) {
        ft_cerr(rep, 400, "expected an Update object");
        return;
    }
    if (ft_enqueue(s, b, ft_update_chat(b), &uid) != BB_OK) {
        ft_cerr(rep, 503, "update queue full");
        return;
    }
    cJSON *r = cJSON_CreateObject();
    cJSON_AddBoolToObject(r, "ok", 1);
    cJSON_AddNumberToObject(r, "update_id", (double)uid);
    ft_reply_set(rep, 200, r);
}

static void c_sent(struct ft_state *s, const cJSON *q, struct ft_reply *rep)
{
    int64_t chat_id = 0, since = 0, limit = 10000;
    int has_chat = ft_p_i64(q, "chat_id", &chat_id);
    if (has_chat < 0 || ft_p_i64(q, "since", &since) < 0 || ft_p_i64(q, "limit", &limit) < 0 ||
        limit < 1 || limit > FT_HISTORY) {
        ft_cerr(rep, 400, "chat_id, since: integers; limit: 1..100000");
        return;
    }
    struct bb_buf b;
    bb_buf_init(&b, FT_OUT_CAP / 2);
    int rc = bb_buf_puts(&b, "[");
    int64_t n = 0;
    /* records are in seq order: skip to since with a binary search */
    size_t lo = 0, hi = s->hn;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->hist[(s->hhead + mid) % FT_HISTORY].seq < since)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < s->hn && rc == BB_OK && n < limit; i++) {
        const struct ft_call *c = &s->hist[(s->hhead + i) % FT_HISTORY];
        if (has_chat && (!c->has_chat || c->chat_id != chat_id))
            continue;
        rc = bb_buf_printf(&b, "%s{\"seq\":%" PRId64 ",\"method\":\"%s\",", n ? "," : "", c->seq,
                           c->method);
        if (rc == BB_OK && c->has_chat)
            rc = bb_buf_printf(&b, "\"chat_id\":%" PRId64 ",", c->chat_id);
        if (rc == BB_OK)
            rc = bb_buf_printf(&b, "\"params\":%s,\"status\":%d,\"ms\":%" PRId64 "}",
                               c->params ? c->params : "{}", c->status, c->ms);
        n++;
    }
    if (rc == BB_OK)
        rc = bb_buf_puts(&b, "]");
    if (rc != BB_OK) {
        bb_buf_free(&b);
        ft_cerr(rep, 500, "history too large for one reply: use since and limit");
        return;
    }
    free(rep->body);
    rep->status = 200;
    rep->body = bb_buf_take(&b);
}

static void c_chat(struct ft_state *s, const cJSON *q, struct ft_reply *rep)
{
    int64_t chat_id = 0;
    if (ft_p_i64(q, "chat_id", &chat_id) != 1) {
        ft_cerr(rep, 400, "chat_id: an integer is required");
        return;
    }
    struct ft_chat *ch = ft_chat_get(s, chat_id, 0);
    if (!ch) {
        ft_cerr(rep, 404, "unknown chat");
        return;
    }
    cJSON *r = cJSON_CreateObject();
    cJSON_AddNumberToObject(r, "chat_id", (double)ch->id);
    cJSON_AddStringToObject(r, "first_name", ch->first_name);
    cJSON *msgs = cJSON_AddArrayToObject(r, "messages");
    for (size_t i = 0; i < ch->nmsgs; i++) {
        const struct ft_msg *m = &ch->msgs[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "message_id", (double)m->id);
        cJSON_AddStringToObject(o, "from", m->from_bot ? "bot" : "user");
        cJSON_AddStringToObject(o, "text", m->text);
        if (m->markup)
            cJSON_AddItemToObject(o, "reply_markup", cJSON_Parse(m->markup));
        cJSON_AddNumberToObject(o, "date", (double)m->date);
        if (m->edit_date)
            cJSON_AddNumberToObject(o, "edit_date", (double)m->edit_date);
        cJSON_AddItemToArray(msgs, o);
    }
    cJSON *cbs = cJSON_AddArrayToObject(r, "unanswered_callbacks");
    for (size_t i = 0; i < ch->ncbs; i++) {
        char id[32];
        bb_snprintf(id, sizeof(id), "%" PRId64, ch->cbs[i]);
        cJSON_AddItemToArray(cbs, cJSON_CreateString(id));
    }
    ft_reply_set(rep, 200, r);
}

static void c_fault(struct ft_state *s, const cJSON *b, struct ft_reply *rep)
{
    struct ft_fault f = {0};
    int64_t v;
    if (ft_p_bool(b, "clear")) {
        s->nfaults = 0;
        ft_reply_set(rep, 200, cJSON_Parse("{\"ok\":true,\"faults\":0}"));
        return;
    }
    const char *m = ft_p_str(b, "method");
    const char *desc = ft_p_str(b, "description");
    if (!m || !*m || bb_strlcpy(f.method, m, sizeof(f.method)) != BB_OK) {
        ft_cerr(rep, 400, "method: a Bot API method name or \"*\" is required");
        return;
    }
    ft_lower(f.method);
    f.count = 1;
    f.retry_after = 1;
    int bad = 0;
    if (ft_p_i64(b, "status", &v) == 1) {
        if (v != 0 && (v < 400 || v > 599))
            bad = 1;
        f.status = (int)v;
    } else if (ft_p_i64(b, "status", &v) < 0) {
        bad = 1;
    }
    int r = ft_p_i64(b, "count", &v);
    if (r == 1)
        f.count = v;
    if (r < 0 || f.count < 1 || f.count > 1000000000)
        bad = 1;
    r = ft_p_i64(b, "retry_after", &v);
    if (r == 1)
        f.retry_after = (int)v;
    if (r < 0 || (r == 1 && (v < 1 || v > 86400)))
        bad = 1;
    r = ft_p_i64(b, "delay_ms", &v);
    if (r == 1)
        f.delay_ms = v;
    if (r < 0 || (r == 1 && (v < 0 || v > 600000)))
        bad = 1;
    r = ft_p_i64(b, "chat_id", &v);
    if (r == 1) {
        f.has_chat = 1;
        f.chat_id = v;
    }
    if (r < 0)
        bad = 1;
    f.drop = ft_p_bool(b, "drop");
    if (bad || (!f.status && !f.drop && !f.delay_ms)) {
        ft_cerr(rep, 400,
                "status 400..599, or drop, or delay_ms is required; count >= 1; "
                "retry_after 1..86400; delay_ms 0..600000");
        return;
    }
    if (s->nfaults == FT_FAULTS) {
        ft_cerr(rep, 400, "too many faults pending");
        return;
    }
    if (desc && *desc)
        bb_strlcpy(f.desc, desc, sizeof(f.desc));
    else if (f.status == 429)
        bb_snprintf(f.desc, sizeof(f.desc), "Too Many Requests: retry after %d", f.retry_after);
    else if (f.status == 403)
        bb_strlcpy(f.desc, "Forbidden: bot was blocked by the user", sizeof(f.desc));
    else if (f.status == 500)
        bb_strlcpy(f.desc, "Internal Server Error", sizeof(f.desc));
    else if (f.status)
        bb_snprintf(f.desc, sizeof(f.desc), "%s", fh_status_text(f.status));
    s->faults[s->nfaults++] = f;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "ok", 1);
    cJSON_AddNumberToObject(o, "faults", (double)s->nfaults);
    ft_reply_set(rep, 200, o);
}

/* GET /control/acked: the update ids the webhook answered 2xx, in the
 * order of those answers (the last FT_ACKED_CAP), and how many ever. */
static void c_acked(struct ft_state *s, struct ft_reply *rep)
{
    cJSON *r = cJSON_CreateObject();
    cJSON *a = cJSON_AddArrayToObject(r, "acked");
    size_t n = s->nacked < FT_ACKED_CAP ? s->nacked : FT_ACKED_CAP;
    for (size_t i = s->nacked - n; i < s->nacked; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber((double)s->acked[i % FT_ACKED_CAP]));
    cJSON_AddNumberToObject(r, "count", (double)s->nacked);
    ft_reply_set(rep, 200, r);
}

static void c_stats(struct ft_state *s, const cJSON *q, struct ft_reply *rep)
{
    int64_t chat_id = 0;
    cJSON *r = cJSON_CreateObject();
    cJSON_AddNumberToObject(r, "requests", (double)s->requests);
    cJSON_AddNumberToObject(r, "bot_calls", (double)s->bot_calls);
    cJSON *ms = cJSON_AddObjectToObject(r, "methods");
    for (size_t i = 0; i < BB_ARRAY_LEN(ft_methods); i++)
        if (s->method_counts[i])
            cJSON_AddNumberToObject(ms, ft_methods[i].name, (double)s->method_counts[i]);
    cJSON_AddNumberToObject(r, "updates_enqueued", (double)s->updates_enqueued);
    cJSON_AddNumberToObject(r, "updates_pending", (double)(s->qn - s->qdone));
    cJSON_AddNumberToObject(r, "sends_total", (double)s->sends_total);
    cJSON_AddNumberToObject(r, "max_per_chat_1s", (double)s->max_chat_1s);
    cJSON_AddNumberToObject(r, "max_per_chat_1s_chat_id", (double)s->max_chat_1s_id);
    cJSON_AddNumberToObject(r, "max_overall_1s", (double)s->overall.max);
    cJSON_AddNumberToObject(r, "connections", (double)fh_nconns(s->srv));
    cJSON_AddNumberToObject(r, "uptime_ms", (double)ft_rel_ms(s));
    cJSON *h = cJSON_AddObjectToObject(r, "webhook");
    cJSON_AddBoolToObject(h, "set", s->hook.set);
    cJSON_AddNumberToObject(h, "delivered", (double)s->hook.delivered);
    cJSON_AddNumberToObject(h, "failed", (double)s->hook.failed);
    cJSON_AddNumberToObject(h, "max_connections", s->hook.max_conn);
    cJSON_AddNumberToObject(h, "in_flight", s->hook.ninflight);
    cJSON_AddNumberToObject(h, "max_in_flight", s->hook.max_inflight);
    if (ft_p_i64(q, "chat_id", &chat_id) == 1) {
        struct ft_chat *ch = ft_chat_get(s, chat_id, 0);
        cJSON *c = cJSON_AddObjectToObject(r, "chat");
        cJSON_AddNumberToObject(c, "chat_id", (double)chat_id);
        cJSON_AddNumberToObject(c, "sends", ch ? (double)ch->nsends : 0);
        cJSON_AddNumberToObject(c, "max_1s", ch ? (double)ch->win.max : 0);
        cJSON *t = cJSON_AddArrayToObject(c, "send_ms");
        uint64_t first = ch && ch->nsends > FT_SEND_RING ? ch->nsends - FT_SEND_RING : 0;
        for (uint64_t i = first; ch && i < ch->nsends; i++)
            cJSON_AddItemToArray(t, cJSON_CreateNumber((double)ch->sends[i % FT_SEND_RING]));
    }
    ft_reply_set(rep, 200, r);
}

static void ft_control(struct ft_state *s, const struct fh_req *r, const char *path,
                       const char *query, struct ft_reply *rep)
{
    cJSON *q = cJSON_CreateObject();
    cJSON *b = NULL;
    if (query)
        ft_parse_form(q, query, strlen(query));
    if (r->body_len) {
        b = cJSON_ParseWithLength(r->body, r->body_len);
        if (!b) {
            ft_cerr(rep, 400, "malformed JSON body");
            goto out;
        }
    }
    int post = !strcmp(r->method, "POST");
    if (!strcmp(path, "message") && post) {
        c_message(s, b, rep);
    } else if (!strcmp(path, "press") && post) {
        c_press(s, b, rep);
    } else if (!strcmp(path, "update") && post) {
        c_update(s, b, rep);
    } else if (!strcmp(path, "sent")) {
        c_sent(s, q, rep);
    } else if (!strcmp(path, "chat")) {
        c_chat(s, q, rep);
    } else if (!strcmp(path, "fault") && post) {
        c_fault(s, b, rep);
    } else if (!strcmp(path, "reset") && post) {
        ft_reset(s);
        ft_reply_set(rep, 200, cJSON_Parse("{\"ok\":true}"));
    } else if (!strcmp(path, "stats")) {
        c_stats(s, q, rep);
    } else if (!strcmp(path, "acked")) {
        c_acked(s, rep);
    } else if (!strcmp(path, "sim") && post) {
        const char *err = ft_sim_start(s, b);
        if (err)
            ft_cerr(rep, 400, err);
        else
            ft_reply_set(rep, 200, ft_sim_report(s));
    } else if (!strcmp(path, "sim")) {
        ft_reply_set(rep, 200, ft_sim_report(s));
    } else {
        ft_cerr(rep, 404, "unknown control call (or wrong HTTP method)");
    }
out:
    cJSON_Delete(q);
    cJSON_Delete(b);
}

/* ----------------------------------------------------------------- loop */

/* fakehttp: a long poll's time is up. */
static void ft_expired(void *app, struct fh_conn *c)
{
    ft_poll_answer(app, c);
}

/* fakehttp: once a loop turn. */
static void ft_tick(void *app, int64_t now)
{
    struct ft_state *s = app;
    for (int k = 0; k < FT_HOOK_SLOTS; k++)
        if (s->hook.slot[k].uid && s->hook.slot[k].conn &&
            now - s->hook.slot[k].sent_ms > FT_HOOK_TIMEOUT)
            fh_close(s->hook.slot[k].conn);
    ft_sim_timers(s, now);
}

/* fakehttp: the end of a loop turn. */
static void ft_turn_end(void *app)
{
    ft_hook_kick(app);
}

/* fakehttp: the earliest time a webhook retry or a simulated user is due. */
static int64_t ft_next_due(void *app, int64_t t)
{
    struct ft_state *s = app;
    if (s->hook.set && s->qn && s->hook.next_retry_ms && s->hook.next_retry_ms < t)
        t = s->hook.next_retry_ms;
    if (s->sim.running && s->sim.fn && s->sim.fifo[s->sim.fhead].due_ms < t)
        t = s->sim.fifo[s->sim.fhead].due_ms;
    return t;
}

static const struct fh_ops ft_ops = {
    .request = ft_handle,
    .refuse = ft_refuse,
    .expired = ft_expired,
    .client_event = ft_hook_event,
    .closing = ft_closing,
    .tick = ft_tick,
    .turn_end = ft_turn_end,
    .next_due = ft_next_due,
};

/* ----------------------------------------------------------------- main */

static void ft_usage(FILE *f)
{
    fprintf(f,
            "usage: fake_telegram [OPTIONS]\n"
            "A fake Telegram Bot API server on 127.0.0.1 for tests and benchmarks.\n"
            "  --port N              port to listen on (0 = any free port; default 0)\n"
            "  --port-file F         write the port to F once listening\n"
            "  --token T             the bot token (default 123456:TEST)\n"
            "  --username U          the bot's username (default bimbing_test_bot)\n"
            "  --first-name N        the bot's first name (default Bimbing)\n"
            "  --hook-tries N        webhook deliveries of one update before it is dropped (5)\n"
            "  --flood-per-chat N    answer 429 when the bot sends > N msgs/s to one chat\n"
            "  --flood-global N      answer 429 when the bot sends > N msgs/s overall\n"
            "  --log                 one line per request on stderr\n"
            "simulated users (see tests/fakes/README.md):\n"
            "  --sim N               run N simulated users\n"
            "  --sim-base ID         chat id of the first user (default 1000000000)\n"
            "  --sim-text T          first text each user sends (default /start)\n"
            "  --sim-done S          a bot message containing S ends a conversation (required)\n"
            "  --sim-expect S        reply to keyboard-less bot messages ending in S (default ?;\n"
            "                        * = every one)\n"
            "  --sim-reply R         the reply text; 'a|b|c' = one per step, last repeats\n"
            "  --sim-buttons L       button index per keyboard step, e.g. 0,2,1 (last repeats);\n"
            "                        default: a PRNG seeded by --sim-seed\n"
            "  --sim-seed N          PRNG seed (default 1)\n"
            "  --sim-think-ms N      wait N ms before each user action (default 0)\n"
            "  --sim-concurrency N   at most N conversations at once (default all)\n"
            "  --sim-timeout S       stop the run after S seconds (default none)\n"
            "  --sim-wait-poll       start when the bot first calls getUpdates or setWebhook\n"
            "  --sim-exit            print the report (JSON) on stdout and exit when the run\n"
            "                        ends: status 0 all completed, 3 timed out\n");
}

static void ft_cleanup(struct ft_state *s)
{
    fh_server_free(s->srv);
    s->srv = NULL;
    ft_chats_clear(s);
    ft_q_clear(s);
    free(s->q);
    ft_hist_clear(s);
    free(s->hist);
    ft_cmds_clear(s);
    ft_win_free(&s->overall);
    free(s->lat);
    free(s->acked);
    free(s->sim.durations);
    free(s->sim.fifo);
    cJSON_Delete(s->sim_pending);
}

int main(int argc, char **argv)
{
    static struct ft_state st; /* large; owned by main */
    struct ft_state *s = &st;
    const char *port_file = NULL;
    long long port = 0, v;
    int rc = 1, wait_poll = 0;
    cJSON *sim = cJSON_CreateObject();
    static const struct {
        const char *opt, *key;
        int num;
    } simopts[] = {{"--sim", "users", 1},
                   {"--sim-base", "base", 1},
                   {"--sim-text", "first_text", 0},
                   {"--sim-done", "done", 0},
                   {"--sim-expect", "expect", 0},
                   {"--sim-reply", "reply", 0},
                   {"--sim-buttons", "buttons", 0},
                   {"--sim-seed", "seed", 1},
                   {"--sim-think-ms", "think_ms", 1},
                   {"--sim-concurrency", "concurrency", 1},
                   {"--sim-timeout", "timeout_s", 1}};

    s->nallowed = -1;
    s->next_update_id = FT_FIRST_UPDATE;
    s->next_cb = FT_FIRST_CALLBACK;
    s->start_ms = bb_mono_ms();
    bb_strlcpy(s->token, "123456:TEST", sizeof(s->token));
    s->hook_tries = FT_HOOK_TRIES;
    s->acked = calloc(FT_ACKED_CAP, sizeof(*s->acked));
    bb_strlcpy(s->username, "bimbing_test_bot", sizeof(s->username));
    bb_strlcpy(s->first_name, "Bimbing", sizeof(s->first_name));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        size_t k;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            ft_usage(stdout);
            rc = 0;
            goto out;
        } else if (!strcmp(a, "--log")) {
            s->log = 1;
            continue;
        } else if (!strcmp(a, "--sim-exit")) {
            cJSON_AddTrueToObject(sim, "exit");
            continue;
        } else if (!strcmp(a, "--sim-wait-poll")) {
            wait_poll = 1;
            continue;
        }
        if (!val) {
            fprintf(stderr, "fake_telegram: %s needs a value (see --help)\n", a);
            goto out;
        }
        i++;
        for (k = 0; k < BB_ARRAY_LEN(simopts); k++)
            if (!strcmp(a, simopts[k].opt))
                break;
        if (k < BB_ARRAY_LEN(simopts)) {
            if (simopts[k].num) {
                if (bb_parse_ll(val, 0, 1LL << 52, &v) != BB_OK) {
                    fprintf(stderr, "fake_telegram: %s: not a number: %s\n", a, val);
                    goto out;
                }
                cJSON_AddNumberToObject(sim, simopts[k].key, (double)v);
            } else {
                cJSON_AddStringToObject(sim, simopts[k].key, val);
            }
        } else if (!strcmp(a, "--port")) {
            if (bb_parse_ll(val, 0, 65535, &port) != BB_OK) {
                fprintf(stderr, "fake_telegram: --port: 0..65535\n");
                goto out;
            }
        } else if (!strcmp(a, "--port-file")) {
            port_file = val;
        } else if (!strcmp(a, "--token") || !strcmp(a, "--username") ||
                   !strcmp(a, "--first-name")) {
            char *dst = a[2] == 't' ? s->token : a[2] == 'u' ? s->username : s->first_name;
            size_t n = a[2] == 't' ? sizeof(s->token) : sizeof(s->username);
            if (!*val || strchr(val, '/') || bb_strlcpy(dst, val, n) != BB_OK) {
                fprintf(stderr, "fake_telegram: %s: bad value\n", a);
                goto out;
            }
        } else if (!strcmp(a, "--hook-tries")) {
            if (bb_parse_ll(val, 1, 1000, &v) != BB_OK) {
                fprintf(stderr, "fake_telegram: --hook-tries: 1..1000\n");
                goto out;
            }
            s->hook_tries = (int)v;
        } else if (!strcmp(a, "--flood-per-chat") || !strcmp(a, "--flood-global")) {
            if (bb_parse_ll(val, 0, 1000000, &v) != BB_OK) {
                fprintf(stderr, "fake_telegram: %s: 0..1000000\n", a);
                goto out;
            }
            if (a[8] == 'p')
                s->flood_per_chat = v;
            else
                s->flood_global = v;
        } else {
            fprintf(stderr, "fake_telegram: unknown option %s (see --help)\n", a);
            goto out;
        }
    }
    {
        char idpart[24];
        size_t n = strcspn(s->token, ":");
        s->bot_id = 123456;
        if (n < sizeof(idpart)) {
            memcpy(idpart, s->token, n);
            idpart[n] = '\0';
            if (bb_parse_ll(idpart, 1, 1LL << 52, &v) == BB_OK)
                s->bot_id = v;
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = ft_on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    static const struct fh_opts opts = {
        .name = "fake-telegram", .max_body = FT_MAX_BODY, .out_cap = FT_OUT_CAP};
    if (fh_server_new(&opts, &ft_ops, s, port, &s->srv) != BB_OK) {
        fprintf(stderr, "fake_telegram: cannot listen on 127.0.0.1:%lld: %s\n", port,
                strerror(errno));
        goto out;
    }
    if (cJSON_GetObjectItemCaseSensitive(sim, "users")) {
        if (wait_poll) {
            s->sim_pending = sim;
            sim = NULL;
        } else {
            const char *err = ft_sim_start(s, sim);
            if (err) {
                fprintf(stderr, "fake_telegram: sim: %s\n", err);
                goto out;
            }
        }
    }
    if (port_file && fh_write_port_file(s->srv, port_file) != BB_OK) {
        fprintf(stderr, "fake_telegram: cannot write %s\n", port_file);
        goto out;
    }
    printf("listening on 127.0.0.1:%d\n", fh_port(s->srv));
    fflush(stdout);
    fh_run(s->srv, &ft_stop);
    rc = ft_stop == 3 ? 3 : 0;
out:
    cJSON_Delete(sim);
    ft_cleanup(s);
    return rc;
}
