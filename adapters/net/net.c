/*
 * net.c - the net thread: one CURLM for the life of the object (so
 * connections are reused), driven by curl_multi_poll() on a thread of its
 * own. See net.h for the API.
 *
 * Locking. struct net has one mutex, mu, which guards exactly:
 *   queue/queue_tail  jobs submitted and not yet started,
 *   done/done_tail    finished responses not yet taken,
 *   pending           submitted and not yet taken (queue + running + done),
 *   stop              set once by net_free().
 * Everything else is either immutable after net_new() (multi, wake,
 * wake_ctx, thread) or owned by the net thread alone (active list, the
 * easy handles, the jobs once started). Jobs move between owners only
 * under mu: a submitter builds a job privately and links it into queue;
 * the net thread unlinks it, runs it, turns it into a net_resp and links
 * that into done; net_poll() unlinks responses and hands them over.
 * The only calls that cross threads are curl_multi_wakeup() (submitter ->
 * net thread, documented thread-safe) and wake() (net thread -> whoever;
 * it must itself be thread-safe, e.g. lws_cancel_service()). Neither is
 * called with mu held.
 */
#include "adapters/net/net.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "bot/base/bb.h"

struct net_job {
    struct net_job *next;
    char *method;
    char *url;
    char *body;
    size_t body_len;
    struct curl_slist *hdrs;
    long timeout_ms;
    uint64_t tag;
    int channel;
    int64_t t0;
    /* net thread only, once started */
    CURL *easy;
    struct bb_buf rbody;
    int too_big;
    int has_retry_after;
    char errbuf[CURL_ERROR_SIZE];
};

/* A response on the done list; resp comes first so that a struct net_resp
 * handed out is the start of the allocation. */
struct net_done {
    struct net_resp resp;
    struct net_done *next;
};

struct net {
    CURLM *multi;
    pthread_t thread;
    int thread_started;
    void (*wake)(void *ctx);
    void *wake_ctx;

    pthread_mutex_t mu;
    struct net_job *queue, *queue_tail;
    struct net_done *done, *done_tail;
    int pending;
    int stop;

    /* net thread only */
    struct net_job *active;
    int nactive;
};

static void job_free(struct net_job *j)
{
    if (!j)
        return;
    free(j->method);
    free(j->url);
    free(j->body);
    curl_slist_free_all(j->hdrs);
    bb_buf_free(&j->rbody);
    free(j);
}

void net_resp_free(struct net_resp *r)
{
    if (!r)
        return;
    free(r->body);
    free((struct net_done *)(void *)r);
}

void net_redact_url(const char *url, char *out, size_t n)
{
    const char *p, *end;
    size_t len;

    if (!out || n == 0)
        return;
    if (!url) {
        bb_strlcpy(out, "(null)", n);
        return;
    }
    p = strstr(url, "://");
    p = p ? p + 3 : url;
    end = p + strcspn(p, "/?#");
    /* drop any user:password@ */
    for (const char *q = p; q < end; q++)
        if (*q == '@')
            p = q + 1;
    len = (size_t)(strstr(url, "://") ? (strstr(url, "://") + 3 - url) : 0);
    if (len >= n)
        len = n - 1;
    memcpy(out, url, len);
    out[len] = '\0';
    size_t host = (size_t)(end - p);
    if (host > n - 1 - len)
        host = n - 1 - len;
    memcpy(out + len, p, host);
    out[len + host] = '\0';
    if (*end)
        bb_snprintf(out + len + host, n - len - host, "/...");
}

static int has_crlf(const char *s)
{
    return s && strpbrk(s, "\r\n") != NULL;
}

/* Build a private copy of r. */
static int job_from_req(const struct net_req *r, struct net_job **out)
{
    static const char *methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH"};
    struct net_job *j = NULL;
    int rc = BB_EINVAL, known = 0;

    *out = NULL;
    if (!r || !r->method || !r->url || r->timeout_ms <= 0 || (r->body_len && !r->body))
        goto fail;
    for (size_t i = 0; i < BB_ARRAY_LEN(methods); i++)
        known |= strcmp(r->method, methods[i]) == 0;
    if (!known)
        goto fail;
    if (strncasecmp(r->url, "http://", 7) != 0 && strncasecmp(r->url, "https://", 8) != 0)
        goto fail;
    if (has_crlf(r->url) || has_crlf(r->content_type))
        goto fail;
    for (size_t i = 0; i < NET_MAX_HEADERS && r->headers[i]; i++)
        if (has_crlf(r->headers[i]) || !strchr(r->headers[i], ':'))
            goto fail;

    rc = BB_ENOMEM;
    j = calloc(1, sizeof(*j));
    if (!j)
        goto fail;
    bb_buf_init(&j->rbody, NET_MAX_BODY);
    j->method = strdup(r->method);
    j->url = strdup(r->url);
    if (!j->method || !j->url)
        goto fail;
    if (r->body_len) {
        j->body = malloc(r->body_len);
        if (!j->body)
            goto fail;
        memcpy(j->body, r->body, r->body_len);
        j->body_len = r->body_len;
    }
    /* No "Expect: 100-continue" round trip for bodies. */
    struct curl_slist *h = curl_slist_append(NULL, "Expect:");
    if (!h)
        goto fail;
    j->hdrs = h;
    if (r->content_type) {
        char line[256];
        if (bb_snprintf(line, sizeof(line), "Content-Type: %s", r->content_type) != BB_OK) {
            rc = BB_EINVAL;
            goto fail;
        }
        if (!(h = curl_slist_append(j->hdrs, line)))
            goto fail;
        j->hdrs = h;
    }
    for (size_t i = 0; i < NET_MAX_HEADERS && r->headers[i]; i++) {
        if (!(h = curl_slist_append(j->hdrs, r->headers[i])))
            goto fail;
        j->hdrs = h;
    }
    j->timeout_ms = r->timeout_ms;
    j->tag = r->tag;
    j->channel = r->channel;
    j->t0 = bb_mono_ms();
    *out = j;
    return BB_OK;
fail:
    job_free(j);
    return rc;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    struct net_job *j = ud;
    size_t n = size * nmemb;

    if (bb_buf_append(&j->rbody, data, n) != BB_OK) {
        j->too_big = 1;
        return 0; /* curl fails the transfer with CURLE_WRITE_ERROR */
    }
    return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
    struct net_job *j = ud;
    size_t n = size * nmemb;

    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0)
        j->has_retry_after = 0; /* a new response (after 100 Continue, say) */
    else if (n >= 12 && strncasecmp(data, "retry-after:", 12) == 0)
        j->has_retry_after = 1;
    return n;
}

/* Turn a finished (or never started) job into a response. Frees the job.
 * NULL only when out of memory (the response is lost, and logged). */
static struct net_done *job_finish(struct net_job *j, CURLcode code)
{
    struct net_done *d = calloc(1, sizeof(*d));
    struct net_resp *r;

    if (!d) {
        bb_log(BB_LOG_ERR, "net", "out of memory: response for tag %llu lost",
               (unsigned long long)j->tag);
        if (j->easy)
            curl_easy_cleanup(j->easy);
        job_free(j);
        return NULL;
    }
    r = &d->resp;
    r->tag = j->tag;
    r->channel = j->channel;
    r->curl_code = (int)code;
    r->retry_after = -1;
    if (j->easy) {
        long status = 0;
        curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
        r->status = status;
        if (j->has_retry_after) {
            curl_off_t ra = -1;
            if (curl_easy_getinfo(j->easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra >= 0)
                r->retry_after = (long)ra;
        }
    }
    if (code != CURLE_OK) {
        if (j->too_big)
            bb_snprintf(r->errbuf, sizeof(r->errbuf), "response body over %d bytes", NET_MAX_BODY);
        else if (j->errbuf[0])
            bb_strlcpy(r->errbuf, j->errbuf, sizeof(r->errbuf));
        else
            bb_strlcpy(r->errbuf, curl_easy_strerror(code), sizeof(r->errbuf));
    }
    r->body_len = j->rbody.len;
    r->body = bb_buf_take(&j->rbody);
    if (!r->body)
        r->body_len = 0;
    r->elapsed_ms = bb_mono_ms() - j->t0;
    if (bb_log_threshold >= BB_LOG_DEBUG) {
        char red[128];
        net_redact_url(j->url, red, sizeof(red));
        bb_log(BB_LOG_DEBUG, "net", "%s %s -> %ld (curl %d) in %lld ms", j->method, red, r->status,
               r->curl_code, (long long)r->elapsed_ms);
    }
    if (j->easy) {
        curl_easy_cleanup(j->easy);
        j->easy = NULL;
    }
    job_free(j);
    return d;
}

/* Net thread: configure and add one job. On failure returns the curl code
 * to finish the job with. */
static CURLcode job_start(struct net *n, struct net_job *j)
{
    long left = j->timeout_ms - (long)(bb_mono_ms() - j->t0);
    CURL *e;

    if (left <= 0) {
        bb_strlcpy(j->errbuf, "timed out while queued", sizeof(j->errbuf));
        return CURLE_OPERATION_TIMEDOUT;
    }
    e = curl_easy_init();
    if (!e)
        return CURLE_FAILED_INIT;
    j->easy = e;
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    curl_easy_setopt(e, CURLOPT_URL, j->url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, left);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                     left < NET_CONNECT_TIMEOUT ? left : (long)NET_CONNECT_TIMEOUT);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "bimbing");
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, j->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, j);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->hdrs);
    if (strcmp(j->method, "GET") == 0) {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
        if (strcmp(j->method, "POST") != 0)
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, j->method);
        if (strcmp(j->method, "POST") == 0 || j->body_len) {
            curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)j->body_len);
            curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->body ? j->body : "");
        }
    }
    if (curl_multi_add_handle(n->multi, e) != CURLM_OK)
        return CURLE_FAILED_INIT;
    j->next = n->active;
    n->active = j;
    n->nactive++;
    return CURLE_OK;
}

static void active_unlink(struct net *n, struct net_job *j)
{
    for (struct net_job **pp = &n->active; *pp; pp = &(*pp)->next) {
        if (*pp == j) {
            *pp = j->next;
            n->nactive--;
            return;
        }
    }
}

/* Append d to a private list; counts a lost (NULL) response in *lost. */
static void done_push(struct net_done **head, struct net_done **tail, struct net_done *d, int *lost)
{
    if (!d) {
        (*lost)++;
        return;
    }
    if (*tail)
        (*tail)->next = d;
    else
        *head = d;
    *tail = d;
}

static void *net_main(void *arg)
{
    struct net *n = arg;

    for (;;) {
        struct net_job *start = NULL, **tailp = &start, *j;
        struct net_done *dh = NULL, *dt = NULL;
        int stop, running = 0, lost = 0, room;
        CURLMsg *msg;
        int left;

        room = NET_MAX_CONCURRENT - n->nactive;
        pthread_mutex_lock(&n->mu);
        stop = n->stop;
        while (!stop && room > 0 && n->queue) {
            j = n->queue;
            n->queue = j->next;
            if (!n->queue)
                n->queue_tail = NULL;
            j->next = NULL;
            *tailp = j;
            tailp = &j->next;
            room--;
        }
        pthread_mutex_unlock(&n->mu);
        if (stop)
            break;

        while ((j = start)) {
            start = j->next;
            j->next = NULL;
            CURLcode c = job_start(n, j);
            if (c != CURLE_OK) {
                if (j->easy) {
                    curl_easy_cleanup(j->easy);
                    j->easy = NULL;
                }
                done_push(&dh, &dt, job_finish(j, c), &lost);
            }
        }

        curl_multi_perform(n->multi, &running);
        while ((msg = curl_multi_info_read(n->multi, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            CURL *e = msg->easy_handle;
            CURLcode c = msg->data.result;
            char *priv = NULL;
            curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv);
            j = (struct net_job *)(void *)priv;
            curl_multi_remove_handle(n->multi, e); /* msg is invalid from here */
            active_unlink(n, j);
            done_push(&dh, &dt, job_finish(j, c), &lost);
        }

        if (dh || lost) {
            pthread_mutex_lock(&n->mu);
            if (dh) {
                if (n->done_tail)
                    n->done_tail->next = dh;
                else
                    n->done = dh;
                n->done_tail = dt;
            }
            n->pending -= lost;
            pthread_mutex_unlock(&n->mu);
            if (n->wake)
                n->wake(n->wake_ctx);
            continue; /* the queue may have room now */
        }
        curl_multi_poll(n->multi, NULL, 0, 1000, NULL);
    }

    /* Stopping: cancel what is in flight. */
    while (n->active) {
        struct net_job *j = n->active;
        n->active = j->next;
        curl_multi_remove_handle(n->multi, j->easy);
        curl_easy_cleanup(j->easy);
        j->easy = NULL;
        job_free(j);
    }
    n->nactive = 0;
    return NULL;
}

int net_new(void (*wake)(void *ctx), void *wake_ctx, struct net **out)
{
    struct net *n;
    int rc = BB_ENOMEM;

    if (!out)
        return BB_EINVAL;
    *out = NULL;
    n = calloc(1, sizeof(*n));
    if (!n)
        return BB_ENOMEM;
    n->wake = wake;
    n->wake_ctx = wake_ctx;
    if (pthread_mutex_init(&n->mu, NULL) != 0) {
        free(n);
        return BB_ENOMEM;
    }
    n->multi = curl_multi_init();
    if (!n->multi)
        goto fail;
    curl_multi_setopt(n->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)NET_MAX_CONCURRENT);
    /* keep as many idle connections as may run at once: the cache's default
     * follows the easy handles added, and each request's handle is removed
     * when it ends, so a burst could otherwise close and reopen them */
    curl_multi_setopt(n->multi, CURLMOPT_MAXCONNECTS, (long)NET_MAX_CONCURRENT);
    if (pthread_create(&n->thread, NULL, net_main, n) != 0) {
        rc = BB_EIO;
        goto fail;
    }
    n->thread_started = 1;
    *out = n;
    return BB_OK;
fail:
    net_free(n);
    return rc;
}

int net_submit(struct net *n, const struct net_req *r)
{
    struct net_job *j;
    int rc;

    if (!n)
        return BB_EINVAL;
    rc = job_from_req(r, &j);
    if (rc != BB_OK)
        return rc;
    pthread_mutex_lock(&n->mu);
    if (n->stop)
        rc = BB_ESTATE;
    else if (n->pending >= NET_MAX_PENDING)
        rc = BB_ELIMIT;
    if (rc == BB_OK) {
        if (n->queue_tail)
            n->queue_tail->next = j;
        else
            n->queue = j;
        n->queue_tail = j;
        n->pending++;
    }
    pthread_mutex_unlock(&n->mu);
    if (rc != BB_OK) {
        job_free(j);
        return rc;
    }
    curl_multi_wakeup(n->multi);
    return BB_OK;
}

int net_poll(struct net *n, struct net_resp **out, int max, int *count)
{
    int k = 0;

    if (count)
        *count = 0;
    if (!n || !out || max < 0 || !count)
        return BB_EINVAL;
    pthread_mutex_lock(&n->mu);
    while (k < max && n->done) {
        struct net_done *d = n->done;
        n->done = d->next;
        if (!n->done)
            n->done_tail = NULL;
        d->next = NULL;
        out[k++] = &d->resp;
        n->pending--;
    }
    pthread_mutex_unlock(&n->mu);
    *count = k;
    return BB_OK;
}

int net_pending(struct net *n)
{
    int p;

    if (!n)
        return 0;
    pthread_mutex_lock(&n->mu);
    p = n->pending;
    pthread_mutex_unlock(&n->mu);
    return p;
}

void net_free(struct net *n)
{
    if (!n)
        return;
    if (n->thread_started) {
        pthread_mutex_lock(&n->mu);
        n->stop = 1;
        pthread_mutex_unlock(&n->mu);
        curl_multi_wakeup(n->multi);
        pthread_join(n->thread, NULL);
    }
    while (n->queue) {
        struct net_job *j = n->queue;
        n->queue = j->next;
        job_free(j);
    }
    while (n->done) {
        struct net_done *d = n->done;
        n->done = d->next;
        net_resp_free(&d->resp);
    }
    if (n->multi)
        curl_multi_cleanup(n->multi);
    pthread_mutex_destroy(&n->mu);
    free(n);
}
