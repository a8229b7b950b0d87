/*
 * egress.h - the sending half every network channel shares: claim the
 * channel's outbox rows into a bounded window, send each chat's messages
 * one at a time and in order, live replies before bulk sends, within an
 * overall and a per-chat rate, honour 429 retry-after, retry 5xx and
 * network errors with exponential backoff and jitter up to a bound, and
 * record every outcome in the store (sent, failed, blocked).
 *
 * What differs per platform is two callbacks: build() renders one part of a
 * message into an HTTP request (a long text may need several parts; an
 * edit of an old question one), and classify() reads the platform's answer.
 *
 * Thread rules: core thread only. Owns its window; borrows store and net.
 */
#ifndef EGRESS_H
#define EGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "adapters/net/net.h"
#include "store/store.h"

/* One HTTP request for one part of a message; body malloc'd by build(). */
struct egress_req {
    char url[1024];
    char *body;
    size_t body_len;
    const char *content_type;
    char headers[2][512]; /* extra header lines, "" when unused */
    /* Set by egress before build(): the platform id the answer to the
     * previous part gave ("" for part 0), e.g. an uploaded file's id that
     * the next part sends. */
    const char *prev_ext;
};

/* A request body as multipart/form-data (RFC 7578), for the platforms'
 * file uploads: the text fields in order, then one file part. Sets body,
 * body_len and content_type of req. A field value or the file that holds
 * the fixed boundary, or a name, file name or type with a quote, CR or LF,
 * is refused (BB_EINVAL) rather than sent broken. */
struct egress_field {
    const char *name;
    const char *value;
};
int egress_multipart(struct egress_req *req, const struct egress_field *fields, int nfields,
                     const char *file_field, const char *filename, const char *type,
                     const void *data, size_t len);

enum egress_outcome {
    EGRESS_OK = 0,  /* sent; ext_id holds the platform's message id */
    EGRESS_RETRY,   /* temporary (5xx, network): back off and try again */
    EGRESS_RATE,    /* rate limited: wait retry_after seconds, then again */
    EGRESS_FAIL,    /* permanent: mark failed, no retry */
    EGRESS_BLOCKED, /* the person blocked us: mark blocked, stop sending there */
    EGRESS_WINDOW,  /* (WhatsApp) outside the 24-hour window: failed, window closed */
};

struct egress_ops {
    /* Build part `part` (0-based) of message m. On part 0 set *nparts.
     * BB_ENOTFOUND: nothing to send (e.g. an edit of a message never sent):
     * the row is marked sent with no platform id. Other errors: failed. */
    int (*build)(void *ctx, const struct store_outbox_msg *m, int part, struct egress_req *req,
                 int *nparts);
    /* Read the response to a request for message m. Fill ext_id on OK,
     * retry_after (seconds) on RATE, err (a short description) on failures.
     * May record what the answer says about the recipient (a closed window)
     * in the store: the core thread's transaction rules apply. */
    int (*classify)(void *ctx, const struct store_outbox_msg *m, const struct net_resp *r,
                    char *ext_id, size_t ext_n, long *retry_after, char *err, size_t err_n);
    /* Optional: called after a message is fully sent (e.g. to remember
     * a question's platform id). */
    void (*sent)(void *ctx, const struct store_outbox_msg *m, const char *ext_id);
};

struct egress_opts {
    const char *channel; /* the store's channel name */
    double rate_total;   /* messages per second overall */
    double rate_chat;    /* per chat (0: no per-chat limit) */
    double burst_chat;   /* messages a chat may get at once */
    int window;          /* messages claimed at once (default 64) */
    /* Messages sent (at least one request made) whose outcome is not yet
     * committed, at most (default EGRESS_MAX_UNRECORDED, at most window):
     * the most a crash can send twice, per channel (issue 14, finding 4). */
    int max_unrecorded;
    int max_retries; /* 5xx/network attempts before failing (default 5) */
    long timeout_ms; /* per request (default 30000) */
};

#define EGRESS_MAX_UNRECORDED 16

struct egress;

int egress_new(const struct egress_opts *o, const struct egress_ops *ops, void *ctx,
               struct egress **out);
/* Claimed rows still in the window go back to the queue (state QUEUED). */
void egress_free(struct egress *e, struct store *st);
/* Inside the caller's transaction (the service loop's one commit per pass):
 * write the finished rows' outcomes and claim new rows, sending nothing.
 * The slots follow the transaction (store_after_commit()): at its commit
 * the recorded rows leave the window; at a rollback the outcomes are kept
 * for the next try and the rows claimed in it are dropped (the store has
 * them queued again). */
int egress_prepare(struct egress *e, struct store *st);
/* egress_prepare() in a transaction of its own, then send what may go now.
 * Called inside another transaction it only prepares and returns 0: no
 * request may go out before the claim and the outcomes before it are
 * committed (the crash bound). Returns ms until the next useful call. */
int64_t egress_run(struct egress *e, struct store *st, struct net *net, int net_channel,
                   int64_t now_ms);
/* A response: BB_ENOTFOUND when the tag is not one of ours. */
int egress_on_net(struct egress *e, struct store *st, const struct net_resp *r, int64_t now_ms);
/* Messages in the window (claimed, not finished). */
int egress_inflight(const struct egress *e);

/* Counters since start, for /metrics. The histogram counts sent messages by
 * seconds from queued to sent, cumulative per upper bound (Prometheus
 * style); the last bucket is +Inf. */
#define EGRESS_LAT_BUCKETS 10
extern const double egress_lat_bounds[EGRESS_LAT_BUCKETS - 1];
struct egress_stats {
    int64_t sent, failed, blocked, retried, rate_limited;
    int64_t lat_count[EGRESS_LAT_BUCKETS];
    double lat_sum;
};
void egress_get_stats(const struct egress *e, struct egress_stats *out);

#endif
