/*
 * ratelimit.h - token buckets for egress: one overall bucket per channel
 * and one per chat (Telegram: about 1 msg/s per chat, 30/s overall;
 * WhatsApp: 80/s per number), plus a "hold until" for 429 retry_after.
 *
 * Times are milliseconds from a monotonic clock given by the caller, so
 * the module is deterministic under test. Per-chat buckets live in a
 * bounded table (least recently used entries are recycled).
 *
 * Thread rules: one owner thread (the core thread's egress).
 */
#ifndef RATELIMIT_H
#define RATELIMIT_H

#include <stdint.h>

struct rl;

/* rate_total / rate_key in messages per second (rate_key 0: no per-key
 * limit); burst is how many may go at once when the bucket is full. */
int rl_new(double rate_total, double burst_total, double rate_key, double burst_key,
           struct rl **out);
void rl_free(struct rl *r);
/* 1 and a token taken from both buckets when key may send at now_ms, else
 * 0 and *wait_ms says how long until it could. */
int rl_take(struct rl *r, const char *key, int64_t now_ms, int64_t *wait_ms);
/* 1 when the overall bucket has a token at now_ms (nothing is taken); else
 * 0 and *wait_ms says how long until it will. */
int rl_total_ready(struct rl *r, int64_t now_ms, int64_t *wait_ms);
/* Nothing goes (for this key, or at all when key is NULL) until until_ms. */
void rl_hold(struct rl *r, const char *key, int64_t until_ms);

#endif
