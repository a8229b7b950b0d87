/*
 * net.h - the net thread: one libcurl multi handle on its own thread that
 * runs every outbound HTTP request of the service (Telegram long polling,
 * sends, WhatsApp calls).
 *
 * Threads: net_submit() and net_pending() may be called from any thread;
 * net_poll() is meant for the core thread (any single consumer works);
 * net_new()/net_free() from the thread that owns the object. The wake
 * callback given to net_new() runs on the net thread and must only do
 * something thread-safe (the service passes one that calls
 * lws_cancel_service(), i.e. http_wake()).
 *
 * Ownership: net_submit() copies the request, the caller keeps nothing.
 * Every response taken with net_poll() belongs to the caller, who frees it
 * with net_resp_free(). net_free() drops whatever is queued or in flight.
 *
 * curl_global_init() is not called here: main() does it once before any
 * thread starts (tests do it in their setup). SIGPIPE should be ignored by
 * the process (lws does so when its context is created).
 */
#ifndef NET_H
#define NET_H

#include <stddef.h>
#include <stdint.h>

#define NET_MAX_HEADERS     8                 /* extra header lines per request */
#define NET_MAX_BODY        (4 * 1024 * 1024) /* response bodies larger are an error */
#define NET_MAX_CONCURRENT  64                /* transfers running at once */
#define NET_MAX_PENDING     8192              /* submitted but not yet taken */
#define NET_CONNECT_TIMEOUT 10000             /* ms, capped by the request's timeout */

struct net;

/* A request, filled by the caller; net_submit() copies it. */
struct net_req {
    const char *method;       /* "GET", "POST", "PUT", "DELETE" or "PATCH" */
    const char *url;          /* http:// or https:// only */
    const char *content_type; /* may be NULL */
    const char *body;         /* may be NULL when body_len is 0 */
    size_t body_len;
    const char *headers[NET_MAX_HEADERS]; /* "Name: value" lines; the list ends at the
                                             first NULL or after NET_MAX_HEADERS */
    long timeout_ms;                      /* whole request, queueing included; > 0 */
    uint64_t tag;                         /* caller's cookie, returned with the response */
    int channel;                          /* caller's small int, returned too */
};

/* A finished request. The caller frees it with net_resp_free(). */
struct net_resp {
    uint64_t tag;
    int channel;
    long status;      /* HTTP status, 0 when no response */
    int curl_code;    /* CURLcode; 0 on success (any HTTP status) */
    char errbuf[256]; /* curl's error text, "" on success */
    char *body;       /* NUL-terminated; at most NET_MAX_BODY bytes; NULL only when
                         out of memory (body_len 0 then) */
    size_t body_len;
    long retry_after;   /* Retry-After in seconds, or -1 */
    int64_t elapsed_ms; /* from net_submit() to completion */
};

/* Start the net thread. wake(wake_ctx) is called on the net thread each
 * time responses become ready; wake may be NULL (then poll). */
int net_new(void (*wake)(void *ctx), void *wake_ctx, struct net **out);
/* Queue a copy of r and wake the net thread. BB_EINVAL for a bad request
 * (unknown method, non-http URL, timeout <= 0, body_len without body),
 * BB_ELIMIT when NET_MAX_PENDING requests are outstanding, BB_ESTATE while
 * shutting down. */
int net_submit(struct net *n, const struct net_req *r);
/* Take up to max finished responses without blocking; *count says how
 * many were stored in out[]. */
int net_poll(struct net *n, struct net_resp **out, int max, int *count);
void net_resp_free(struct net_resp *r);
/* Requests submitted and not yet taken with net_poll(). */
int net_pending(struct net *n);
/* Stop the thread, cancel what is in flight, free everything. NULL is a
 * no-op. Must not race with other calls on n. */
void net_free(struct net *n);

/* Copy url into out with everything after the host replaced by "/...", so
 * that tokens in paths and queries never reach a log. */
void net_redact_url(const char *url, char *out, size_t n);

#endif
