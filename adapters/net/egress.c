/*
 * egress.c - the shared sender (see egress.h).
 *
 * The window is a fixed array of claimed outbox rows (state SENDING in the
 * store, so a crash puts them back in the queue at the next start). A row
 * may be sent when: no earlier row of the same chat is still in the window
 * (order per chat), its backoff time has passed, and both token buckets
 * have a token. Live rows are tried before bulk rows.
 *
 * Outcomes are group-committed: a finished row waits in its slot (done)
 * until the next egress_prepare() (egress_run() calls it), which records
 * every outcome and claims new rows in one transaction: the service loop's
 * one transaction per pass, or one of its own; the slots are freed or
 * dropped when that transaction ends (store_after_commit()), and no request
 * goes out before it is committed. With durability FULL a commit is an fsync;
 * one per message would cap a channel at a few hundred messages a second.
 * A crash before that commit re-sends the rows whose answers had arrived
 * but were not yet recorded, like any row in flight at a crash. So the
 * rows with a request made and no outcome committed ("unrecorded": in
 * flight, waiting for a retry, or done and not yet flushed) are capped at
 * max_unrecorded: no new row starts while that many are out. That is the
 * bound on messages sent twice per crash, per channel.
 *
 * Core thread only.
 */
#include "adapters/net/egress.h"
#include "bot/core/outmsg.h"
#include "adapters/net/ratelimit.h"
#include "bot/base/bb.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define EGRESS_MAX_RATE_HITS 20 /* 429s for one message before it fails */

struct slot {
    int used;
    uint64_t seq; /* claim order */
    uint32_t gen; /* changes each time the slot is reused, for stale tags */
    struct store_outbox_msg m;
    int part, nparts;
    int inflight;
    int attempted; /* a request was made: counted in egress.unrecorded */
    int64_t not_before;
    int retries, rate_hits;
    char last_ext[96];
    int done;       /* finished: the outcome waits for the next commit */
    int flushed;    /* done and recorded in the open transaction: freed at its commit */
    int fresh;      /* claimed in the open transaction: dropped if it rolls back */
    int done_state; /* enum store_out_state */
    char done_err[256];
};

struct egress;
struct slot;
static int flush(struct egress *e, struct store *st);
static void claim(struct egress *e, struct store *st);

const double egress_lat_bounds[EGRESS_LAT_BUCKETS - 1] = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

struct egress {
    struct egress_stats stats;
    struct egress_opts o;
    struct egress_ops ops;
    void *ctx;
    struct rl *rl;
    struct slot *slots;
    uint64_t next_seq;
    int used;
    int unrecorded; /* used slots with attempted set */
};

int egress_new(const struct egress_opts *o, const struct egress_ops *ops, void *ctx,
               struct egress **out)
{
    struct egress *e = calloc(1, sizeof(*e));
    int rc;
    if (!e)
        return BB_ENOMEM;
    e->o = *o;
    if (e->o.window <= 0 || e->o.window > 1024)
        e->o.window = 64;
    if (e->o.max_unrecorded <= 0)
        e->o.max_unrecorded = EGRESS_MAX_UNRECORDED;
    if (e->o.max_unrecorded > e->o.window)
        e->o.max_unrecorded = e->o.window;
    if (e->o.max_retries <= 0)
        e->o.max_retries = 5;
    if (e->o.timeout_ms <= 0)
        e->o.timeout_ms = 30000;
    e->ops = *ops;
    e->ctx = ctx;
    /* Overall: a burst of 1/20 s worth (at least one message), enough for
     * one pass of the loop at high rates while no one-second window carries
     * more than 5% over the configured rate. Per chat: a small burst (a
     * reply and the next question together), as Telegram tolerates. */
    double burst_total = o->rate_total / 20.0 < 1.0 ? 1.0 : o->rate_total / 20.0;
    rc = rl_new(o->rate_total, burst_total, o->rate_chat, o->burst_chat < 1 ? 1 : o->burst_chat,
                &e->rl);
    if (rc == BB_OK) {
        e->slots = calloc((size_t)e->o.window, sizeof(*e->slots));
        if (!e->slots)
            rc = BB_ENOMEM;
    }
    if (rc != BB_OK) {
        rl_free(e->rl);
        free(e);
        return rc;
    }
    *out = e;
    return BB_OK;
}

static void slot_release(struct egress *e, struct slot *s)
{
    if (s->attempted)
        e->unrecorded--;
    assert(e->unrecorded >= 0);
    s->attempted = 0;
    free(s->m.body);
    memset(&s->m, 0, sizeof(s->m));
    s->used = 0;
    s->inflight = 0;
    s->gen++;
    e->used--;
}

static void after_commit(void *ve, int committed)
{
    struct egress *e = ve;
    for (int i = 0; i < e->o.window; i++) {
        struct slot *s = &e->slots[i];
        if (!s->used)
            continue;
        if (s->fresh && !committed) {
            slot_release(e, s); /* its claim was rolled back: queued in the store */
            continue;
        }
        s->fresh = 0;
        if (s->flushed && committed)
            slot_release(e, s);
        else
            s->flushed = 0; /* rolled back: recorded again by the next flush */
    }
}

/* flush, and claim when asked, in a transaction (nested in the caller's, if
 * any); the slots follow its end through after_commit(). */
static int record_tx(struct egress *e, struct store *st, int and_claim)
{
    int rc = store_begin(st);
    if (rc != BB_OK)
        return rc;
    rc = store_after_commit(st, after_commit, e);
    if (rc != BB_OK) {
        store_commit(st); /* nothing written at this level */
        return rc;
    }
    rc = flush(e, st);
    if (rc == BB_OK && and_claim)
        claim(e, st);
    if (rc != BB_OK) {
        store_rollback(st);
        return rc;
    }
    rc = store_commit(st);
    if (rc != BB_OK)
        bb_log(BB_LOG_ERR, e->o.channel, "commit failed: %s", store_errmsg(st));
    return rc;
}

int egress_prepare(struct egress *e, struct store *st)
{
    return record_tx(e, st, 1);
}

void egress_free(struct egress *e, struct store *st)
{
    if (!e)
        return;
    if (st)
        record_tx(e, st, 0);
    for (int i = 0; i < e->o.window; i++) {
        struct slot *s = &e->slots[i];
        if (!s->used)
            continue;
        if (st && !s->done)
            store_outbox_mark(st, s->m.id, STORE_OUT_QUEUED, NULL, NULL, bb_now());
        slot_release(e, s);
    }
    free(e->slots);
    rl_free(e->rl);
    free(e);
}

int egress_inflight(const struct egress *e)
{
    return e->used;
}

void egress_get_stats(const struct egress *e, struct egress_stats *out)
{
    *out = e->stats;
}

static void count_outcome(struct egress *e, const struct slot *s)
{
    if (s->done_state == STORE_OUT_SENT) {
        double secs = (double)(bb_now() - s->m.created_at);
        if (secs < 0)
            secs = 0;
        e->stats.sent++;
        e->stats.lat_sum += secs;
        for (int b = 0; b < EGRESS_LAT_BUCKETS; b++)
            if (b == EGRESS_LAT_BUCKETS - 1 || secs <= egress_lat_bounds[b])
                e->stats.lat_count[b]++; /* cumulative: every bucket it fits */
    } else if (s->done_state == STORE_OUT_BLOCKED) {
        e->stats.blocked++;
    } else {
        e->stats.failed++;
    }
}

/* Record a finished row's outcome (inside the caller's transaction). */
static int record(struct egress *e, struct store *st, struct slot *s)
{
    const char *ext = s->done_state == STORE_OUT_SENT && s->last_ext[0] ? s->last_ext : NULL;
    int rc =
        store_outbox_mark(st, s->m.id, s->done_state, ext, s->done_err[0] ? s->done_err : NULL, 0);
    if (rc != BB_OK)
        return rc;
    if (s->done_state == STORE_OUT_SENT && e->ops.sent)
        e->ops.sent(e->ctx, &s->m, s->last_ext);
    if (s->done_state == STORE_OUT_SENT) {
        /* a delivered document (an export) keeps its caption, not its bytes */
        char *kept = NULL;
        rc = outmsg_doc_delivered(s->m.body, &kept);
        if (rc == BB_OK)
            rc = store_outbox_set_body(st, s->m.id, kept);
        free(kept);
        if (rc != BB_OK && rc != BB_ENOTFOUND)
            return rc;
        rc = BB_OK;
    }
    if (s->done_state == STORE_OUT_BLOCKED) {
        rc = store_identity_set_blocked(st, e->o.channel, s->m.ext_user, 1, bb_now());
        if (rc == BB_ENOTFOUND)
            rc = BB_OK;
    }
    return rc;
}

/* Mark a row finished; its outcome is written by the next flush. */
static void finish(struct egress *e, struct store *st, struct slot *s, int state, const char *ext,
                   const char *err)
{
    (void)st;
    s->done = 1;
    s->inflight = 0;
    s->done_state = state;
    count_outcome(e, s);
    if (ext)
        bb_strlcpy(s->last_ext, ext, sizeof(s->last_ext));
    else if (state != STORE_OUT_SENT)
        s->last_ext[0] = '\0';
    bb_strlcpy(s->done_err, err ? err : "", sizeof(s->done_err));
}

/* Write every finished row's outcome; its slot is freed when the
 * transaction commits (after_commit). Called inside a transaction. On a
 * store error the slots stay done for the next try. */
static int flush(struct egress *e, struct store *st)
{
    for (int i = 0; i < e->o.window; i++) {
        struct slot *s = &e->slots[i];
        if (!s->used || !s->done || s->flushed)
            continue;
        int rc = record(e, st, s);
        if (rc != BB_OK) {
            bb_log(BB_LOG_ERR, e->o.channel,
                   "could not record the outcome of message %" PRId64 ": %s", s->m.id,
                   store_errmsg(st));
            return rc;
        }
        s->flushed = 1;
    }
    return BB_OK;
}

static void claim(struct egress *e, struct store *st)
{
    int free_slots = e->o.window - e->used, n = 0;
    struct store_outbox_msg *msgs = NULL;
    if (free_slots <= 0)
        return;
    if (store_outbox_claim(st, e->o.channel, bb_now(), free_slots, &msgs, &n) != BB_OK) {
        bb_log(BB_LOG_ERR, e->o.channel, "claiming the outbox failed: %s", store_errmsg(st));
        return;
    }
    for (int i = 0, k = 0; i < n; i++) {
        while (k < e->o.window && e->slots[k].used)
            k++;
        if (k >= e->o.window) { /* cannot happen: we asked for free_slots */
            store_outbox_mark(st, msgs[i].id, STORE_OUT_QUEUED, NULL, NULL, bb_now());
            free(msgs[i].body);
            continue;
        }
        struct slot *s = &e->slots[k];
        uint32_t gen = s->gen;
        memset(s, 0, sizeof(*s));
        s->gen = gen;
        s->used = 1;
        s->seq = e->next_seq++;
        s->m = msgs[i];
        msgs[i].body = NULL; /* moved */
        s->nparts = -1;
        s->fresh = 1;
        e->used++;
    }
    store_outbox_free(msgs, n);
}

static int submit(struct egress *e, struct store *st, struct net *net, int net_channel,
                  struct slot *s)
{
    struct egress_req req;
    struct net_req nr;
    int nparts = s->nparts, rc;

    memset(&req, 0, sizeof(req));
    req.prev_ext = s->part > 0 ? s->last_ext : "";
    rc = e->ops.build(e->ctx, &s->m, s->part, &req, &nparts);
    if (s->nparts < 0)
        s->nparts = nparts;
    if (rc == BB_ENOTFOUND) {
        free(req.body);
        finish(e, st, s, STORE_OUT_SENT, NULL, NULL);
        return BB_OK;
    }
    if (rc != BB_OK) {
        free(req.body);
        char err[96];
        bb_snprintf(err, sizeof(err), "could not render: %s", bb_strerror(rc));
        finish(e, st, s, STORE_OUT_FAILED, NULL, err);
        return BB_OK;
    }
    memset(&nr, 0, sizeof(nr));
    nr.method = "POST";
    nr.url = req.url;
    nr.content_type = req.content_type ? req.content_type : "application/json";
    nr.body = req.body;
    nr.body_len = req.body_len;
    int h = 0;
    for (int i = 0; i < 2; i++)
        if (req.headers[i][0])
            nr.headers[h++] = req.headers[i];
    nr.timeout_ms = e->o.timeout_ms;
    nr.tag = ((uint64_t)(s - e->slots) << 32) | s->gen;
    nr.channel = net_channel;
    rc = net_submit(net, &nr);
    free(req.body);
    if (rc == BB_OK) {
        s->inflight = 1;
        if (!s->attempted) {
            s->attempted = 1;
            e->unrecorded++;
            assert(e->unrecorded <= e->o.max_unrecorded);
        }
    }
    return rc;
}

/* Claimed rows that may start now: no request made yet, not waiting for a
 * backoff. */
static int waiting_ready(const struct egress *e, int64_t now_ms)
{
    int n = 0;
    for (int i = 0; i < e->o.window; i++) {
        const struct slot *s = &e->slots[i];
        n += s->used && !s->done && !s->attempted && s->not_before <= now_ms;
    }
    return n;
}

int64_t egress_run(struct egress *e, struct store *st, struct net *net, int net_channel,
                   int64_t now_ms)
{
    int64_t next = 1000;
    if (store_in_tx(st)) {
        egress_prepare(e, st);
        return 0; /* nothing goes out before the caller's commit */
    }
    /* Claim here only when the rows already claimed cannot fill the room
     * the crash bound leaves: otherwise the claim waits for the next pass's
     * transaction (egress_prepare), and this call commits nothing, so a
     * pass costs one fsync, not two. */
    record_tx(e, st, waiting_ready(e, now_ms) < e->o.max_unrecorded - e->unrecorded);
    /* The unfinished rows in claim order; a row is held back while an
     * earlier row of the same chat is unfinished (order per chat). One
     * pass over the window per run, not per message. */
    int order[1024], n = 0;
    unsigned char held[1024];
    for (int i = 0; i < e->o.window; i++)
        if (e->slots[i].used && !e->slots[i].done)
            order[n++] = i;
    for (int a = 1; a < n; a++) /* insertion sort by seq: n <= window, mostly sorted */
        for (int b = a; b > 0 && e->slots[order[b - 1]].seq > e->slots[order[b]].seq; b--) {
            int t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    for (int a = 0; a < n; a++) {
        held[a] = 0;
        for (int b = 0; b < a && !held[a]; b++)
            held[a] = strcmp(e->slots[order[b]].m.ext_user, e->slots[order[a]].m.ext_user) == 0;
    }
    for (int pass = 0; pass < 2; pass++) {
        int prio = pass == 0 ? STORE_PRIO_LIVE : STORE_PRIO_BULK; /* live replies first */
        for (int a = 0; a < n; a++) {
            struct slot *s = &e->slots[order[a]];
            int64_t wait = 0;
            if (held[a] || !s->used || s->done || s->inflight || s->m.priority != prio)
                continue;
            assert(!s->fresh && !s->flushed);
            if (!s->attempted && e->unrecorded >= e->o.max_unrecorded)
                continue; /* the crash bound: no new row until outcomes are committed */
            if (s->not_before > now_ms) {
                if (s->not_before - now_ms < next)
                    next = s->not_before - now_ms;
                continue;
            }
            if (!rl_total_ready(e->rl, now_ms, &wait)) {
                if (wait < next)
                    next = wait; /* nobody may send now: stop here */
                goto out;
            }
            if (!rl_take(e->rl, s->m.ext_user, now_ms, &wait)) {
                s->not_before = now_ms + wait; /* this chat waits */
                if (wait < next)
                    next = wait;
                continue;
            }
            int blocked = 0;
            if (store_identity_blocked(st, e->o.channel, s->m.ext_user, &blocked) == BB_OK &&
                blocked) {
                finish(e, st, s, STORE_OUT_BLOCKED, NULL, "the person has blocked the bot");
                continue;
            }
            if (submit(e, st, net, net_channel, s) != BB_OK) {
                s->not_before = now_ms + 50; /* the net queue is full: next round */
                next = 50;
                goto out;
            }
        }
    }
out:
    return next < 0 ? 0 : next;
}

static int64_t backoff_ms(int retries)
{
    int64_t base = 1000LL << (retries > 6 ? 6 : retries); /* 1 s, 2 s, ... 64 s */
    unsigned char r = 0;
    bb_random(&r, 1);
    return base / 2 + (base * r) / 255; /* between 0.5x and 1.5x: jitter */
}

int egress_on_net(struct egress *e, struct store *st, const struct net_resp *r, int64_t now_ms)
{
    uint32_t idx = (uint32_t)(r->tag >> 32), gen = (uint32_t)r->tag;
    struct slot *s;
    char ext[96] = "", err[256] = "";
    long retry_after = -1;

    if (idx >= (uint32_t)e->o.window)
        return BB_ENOTFOUND;
    s = &e->slots[idx];
    if (!s->used || s->gen != gen || !s->inflight || s->done)
        return BB_ENOTFOUND;
    s->inflight = 0;
    int out = e->ops.classify(e->ctx, &s->m, r, ext, sizeof(ext), &retry_after, err, sizeof(err));
    switch (out) {
    case EGRESS_OK:
        bb_strlcpy(s->last_ext, ext, sizeof(s->last_ext));
        s->part++;
        s->retries = 0;
        if (s->part >= s->nparts)
            finish(e, st, s, STORE_OUT_SENT, s->last_ext, NULL);
        break;
    case EGRESS_RATE:
        e->stats.rate_limited++;
        s->rate_hits++;
        if (retry_after < 1)
            retry_after = 1;
        rl_hold(e->rl, s->m.ext_user, now_ms + retry_after * 1000);
        rl_hold(e->rl, NULL, now_ms + retry_after * 1000);
        s->not_before = now_ms + retry_after * 1000;
        bb_log(BB_LOG_WARN, e->o.channel, "rate limited: waiting %ld s", retry_after);
        if (s->rate_hits > EGRESS_MAX_RATE_HITS)
            finish(e, st, s, STORE_OUT_FAILED, NULL, "rate limited too many times");
        break;
    case EGRESS_RETRY:
        e->stats.retried++;
        s->retries++;
        if (s->retries >= e->o.max_retries) {
            bb_log(BB_LOG_WARN, e->o.channel, "message %" PRId64 " failed after %d tries: %s",
                   s->m.id, s->retries, err);
            finish(e, st, s, STORE_OUT_FAILED, NULL, err[0] ? err : "gave up after retries");
        } else {
            s->not_before = now_ms + backoff_ms(s->retries - 1);
        }
        break;
    case EGRESS_BLOCKED:
        bb_log(BB_LOG_INFO, e->o.channel, "a person blocked the bot; not sending there any more");
        finish(e, st, s, STORE_OUT_BLOCKED, NULL, err[0] ? err : "blocked");
        break;
    case EGRESS_WINDOW:
    case EGRESS_FAIL:
    default:
        bb_log(BB_LOG_WARN, e->o.channel, "message %" PRId64 " failed: %s", s->m.id, err);
        finish(e, st, s, STORE_OUT_FAILED, NULL, err[0] ? err : "failed");
        break;
    }
    return BB_OK;
}

/* ---- multipart bodies (egress.h) -------------------------------------------- */

#define EGRESS_BOUNDARY "bimbing-part-5f1c9e0a7b3d4e26a8c1"

/* Does data hold the boundary? (memmem is a GNU extension.) */
static int holds_boundary(const unsigned char *d, size_t n)
{
    const size_t k = sizeof(EGRESS_BOUNDARY) - 1;
    for (size_t i = 0; n >= k && i <= n - k; i++)
        if (d[i] == EGRESS_BOUNDARY[0] && memcmp(d + i, EGRESS_BOUNDARY, k) == 0)
            return 1;
    return 0;
}

static int header_safe(const char *s)
{
    return s && !strpbrk(s, "\"\r\n");
}

int egress_multipart(struct egress_req *req, const struct egress_field *fields, int nfields,
                     const char *file_field, const char *filename, const char *type,
                     const void *data, size_t len)
{
    struct bb_buf b;
    size_t extra = 0;
    int rc = BB_OK;
    assert(nfields >= 0 && (data || len == 0));
    if (!header_safe(file_field) || !header_safe(filename) || !header_safe(type) ||
        holds_boundary(data, len))
        return BB_EINVAL;
    for (int i = 0; i < nfields; i++) {
        if (!header_safe(fields[i].name) || !fields[i].value ||
            strstr(fields[i].value, EGRESS_BOUNDARY))
            return BB_EINVAL;
        extra += strlen(fields[i].name) + strlen(fields[i].value) + 128;
    }
    bb_buf_init(&b, len + extra + strlen(filename) + strlen(type) + 256);
    for (int i = 0; rc == BB_OK && i < nfields; i++)
        rc = bb_buf_printf(&b,
                           "--" EGRESS_BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\""
                           "\r\n\r\n%s\r\n",
                           fields[i].name, fields[i].value);
    if (rc == BB_OK)
        rc = bb_buf_printf(&b,
                           "--" EGRESS_BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\"; "
                           "filename=\"%s\"\r\nContent-Type: %s\r\n\r\n",
                           file_field, filename, type);
    if (rc == BB_OK)
        rc = bb_buf_append(&b, data, len);
    if (rc == BB_OK)
        rc = bb_buf_puts(&b, "\r\n--" EGRESS_BOUNDARY "--\r\n");
    if (rc != BB_OK) {
        bb_buf_free(&b);
        return rc;
    }
    req->body_len = b.len;
    req->body = bb_buf_take(&b);
    bb_buf_free(&b);
    if (!req->body)
        return BB_ENOMEM;
    req->content_type = "multipart/form-data; boundary=" EGRESS_BOUNDARY;
    return BB_OK;
}
