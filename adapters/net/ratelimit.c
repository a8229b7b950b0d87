/*
 * ratelimit.c - token buckets (see ratelimit.h). One owner thread.
 */
#include "adapters/net/ratelimit.h"
#include "bot/base/bb.h"

#include <stdlib.h>
#include <string.h>

#define RL_KEYS 4096 /* per-chat buckets kept; the least recently used is recycled */

struct bucket {
    double tokens;
    int64_t last_ms;
    int64_t hold_until;
};

struct key_bucket {
    char key[64];
    struct bucket b;
    int64_t used_ms;
    int in_use;
};

struct rl {
    double rate_total, burst_total, rate_key, burst_key;
    struct bucket total;
    struct key_bucket *keys;
    uint32_t *index; /* open addressing: slot + 1, 0 empty */
};

int rl_new(double rate_total, double burst_total, double rate_key, double burst_key,
           struct rl **out)
{
    struct rl *r;
    if (rate_total <= 0 || burst_total < 1 || rate_key < 0 || (rate_key > 0 && burst_key < 1))
        return BB_EINVAL;
    r = calloc(1, sizeof(*r));
    if (!r)
        return BB_ENOMEM;
    r->rate_total = rate_total;
    r->burst_total = burst_total;
    r->rate_key = rate_key;
    r->burst_key = burst_key;
    r->total.tokens = burst_total;
    r->total.last_ms = -1;
    if (rate_key > 0) {
        r->keys = calloc(RL_KEYS, sizeof(*r->keys));
        r->index = calloc(RL_KEYS * 2, sizeof(*r->index));
        if (!r->keys || !r->index) {
            rl_free(r);
            return BB_ENOMEM;
        }
    }
    *out = r;
    return BB_OK;
}

void rl_free(struct rl *r)
{
    if (!r)
        return;
    free(r->keys);
    free(r->index);
    free(r);
}

static void refill(struct bucket *b, double rate, double burst, int64_t now)
{
    if (b->last_ms < 0) {
        b->last_ms = now;
        return;
    }
    if (now > b->last_ms) {
        b->tokens += (double)(now - b->last_ms) * rate / 1000.0;
        if (b->tokens > burst)
            b->tokens = burst;
        b->last_ms = now;
    }
}

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void rebuild_index(struct rl *r)
{
    memset(r->index, 0, RL_KEYS * 2 * sizeof(*r->index));
    for (uint32_t i = 0; i < RL_KEYS; i++) {
        if (!r->keys[i].in_use)
            continue;
        uint32_t h = hash(r->keys[i].key) % (RL_KEYS * 2);
        while (r->index[h])
            h = (h + 1) % (RL_KEYS * 2);
        r->index[h] = i + 1;
    }
}

static struct key_bucket *find_key(struct rl *r, const char *key, int64_t now, int create)
{
    uint32_t h = hash(key) % (RL_KEYS * 2);
    for (uint32_t probes = 0; probes < RL_KEYS * 2 && r->index[h]; probes++) {
        struct key_bucket *k = &r->keys[r->index[h] - 1];
        if (strcmp(k->key, key) == 0)
            return k;
        h = (h + 1) % (RL_KEYS * 2);
    }
    if (!create)
        return NULL;
    /* a free slot, or the least recently used one */
    uint32_t victim = 0;
    for (uint32_t i = 0; i < RL_KEYS; i++) {
        if (!r->keys[i].in_use) {
            victim = i;
            break;
        }
        if (r->keys[i].used_ms < r->keys[victim].used_ms)
            victim = i;
    }
    struct key_bucket *k = &r->keys[victim];
    int recycled = k->in_use;
    memset(k, 0, sizeof(*k));
    bb_strlcpy(k->key, key, sizeof(k->key));
    k->in_use = 1;
    k->b.tokens = r->burst_key;
    k->b.last_ms = now;
    k->used_ms = now;
    if (recycled) {
        rebuild_index(r);
    } else {
        h = hash(k->key) % (RL_KEYS * 2);
        while (r->index[h])
            h = (h + 1) % (RL_KEYS * 2);
        r->index[h] = victim + 1;
    }
    return k;
}

/* How long until b (refilled) gives a token: 0 when it has one now. */
static int64_t bucket_wait(const struct bucket *b, double rate, int64_t now_ms)
{
    if (b->hold_until > now_ms)
        return b->hold_until - now_ms;
    if (b->tokens < 1.0)
        return (int64_t)((1.0 - b->tokens) * 1000.0 / rate) + 1;
    return 0;
}

int rl_take(struct rl *r, const char *key, int64_t now_ms, int64_t *wait_ms)
{
    struct key_bucket *k = NULL;
    int64_t wait = 0;

    refill(&r->total, r->rate_total, r->burst_total, now_ms);
    wait = bucket_wait(&r->total, r->rate_total, now_ms);
    if (r->rate_key > 0 && key) {
        k = find_key(r, key, now_ms, 1);
        refill(&k->b, r->rate_key, r->burst_key, now_ms);
        k->used_ms = now_ms;
        int64_t kw = bucket_wait(&k->b, r->rate_key, now_ms);
        if (kw > wait)
            wait = kw;
    }
    if (wait > 0) {
        if (wait_ms)
            *wait_ms = wait;
        return 0;
    }
    r->total.tokens -= 1.0;
    if (k)
        k->b.tokens -= 1.0;
    if (wait_ms)
        *wait_ms = 0;
    return 1;
}

int rl_total_ready(struct rl *r, int64_t now_ms, int64_t *wait_ms)
{
    refill(&r->total, r->rate_total, r->burst_total, now_ms);
    int64_t wait = bucket_wait(&r->total, r->rate_total, now_ms);
    if (wait_ms)
        *wait_ms = wait;
    return wait == 0;
}

void rl_hold(struct rl *r, const char *key, int64_t until_ms)
{
    if (!key) {
        if (until_ms > r->total.hold_until)
            r->total.hold_until = until_ms;
        return;
    }
    if (r->rate_key <= 0)
        return;
    struct key_bucket *k = find_key(r, key, until_ms, 1);
    if (until_ms > k->b.hold_until)
        k->b.hold_until = until_ms;
}
