/*
 * serve.c - `bimbing serve` (see serve.h): the one service loop.
 *
 * The core thread runs the libwebsockets loop (webhooks, the web chat, the
 * dashboard, /metrics, /healthz) and owns the writing store connection;
 * the net thread (adapters/net/net.c) does every outbound HTTP request. Each
 * turn of the loop:
 *   1. http_service(): HTTP and websocket events; net responses arrive
 *      through the wake handler; then, in the pass's one transaction, net
 *      responses go to the channel that asked (polled updates into the
 *      inbox) and webhook deliveries held open go into the inbox too
 *      (chan.ingest), answered 200 after the commit;
 *   2. due timers become inbox events (the scheduler), every 250 ms;
 *   3. the core processes the inbox in batches (one transaction each);
 *   4. each channel sends what its outbox holds, within its rates.
 * SIGINT/SIGTERM stop after the current turn; SIGHUP reloads the flows
 * (a bad file is refused and the last good version keeps running).
 *
 * Main thread only; borrows the config, store, flows and core from main.
 */
#include "adapters/service/serve.h"
#include "adapters/admin/admin.h"
#include "adapters/channel.h"
#include "adapters/net/apiutil.h"
#include "adapters/net/http.h"
#include "adapters/net/net.h"
#include "adapters/service/channels.h"
#include "bot/base/bb.h"
#include "bot/core/domain.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define SERVE_MAX_CHANS 4
#define SERVE_WANT_FDS  (16384 + 512) /* the web chat's connections, and room for the rest */

struct loop {
    const struct config *cfg;
    struct store *st;
    struct flow_lib *lib;
    struct core *core;
    struct http_server *http;
    struct net *net;
    struct chan *chans[SERVE_MAX_CHANS];
    int nchans;
    int kicked;
    int64_t started_ms;
    int64_t net_responses;
};

static volatile sig_atomic_t serve_stop, serve_reload;

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        serve_reload = 1;
    else
        serve_stop = 1;
}

static void kick(void *vl)
{
    struct loop *l = vl;
    l->kicked = 1;
}

static void drain_net(struct loop *l)
{
    struct net_resp *rs[64];
    int n = 0;
    do {
        if (net_poll(l->net, rs, 64, &n) != BB_OK)
            return;
        for (int i = 0; i < n; i++) {
            int c = rs[i]->channel;
            if (c >= 0 && c < l->nchans && l->chans[c]->on_net)
                l->chans[c]->on_net(l->chans[c]->self, rs[i]);
            net_resp_free(rs[i]);
            l->net_responses++;
        }
        if (n > 0)
            l->kicked = 1;
    } while (n == 64);
}

/* Runs on the net thread: only the thread-safe wake-up of the lws loop. */
static void wake_loop(void *vhttp)
{
    http_wake(vhttp);
}

/* Net responses are drained in the loop's pass (inside its transaction),
 * not here: the wake only ends the wait. */
static void on_wake(void *vl)
{
    kick(vl);
}

/* ---- /healthz and /metrics -------------------------------------------------- */

/* /healthz is public: liveness and the channels, never a count (issue 14,
 * finding 10); the counts are in /metrics. */
static void healthz(void *vl, const struct http_req *req, struct http_resp *resp)
{
    struct loop *l = vl;
    (void)req;
    struct bb_buf b;
    bb_buf_init(&b, 1024);
    bb_buf_printf(&b, "{\"status\":\"ok\",\"uptime_s\":%" PRId64 ",\"channels\":[",
                  (bb_mono_ms() - l->started_ms) / 1000);
    for (int i = 0; i < l->nchans; i++)
        bb_buf_printf(&b, "%s\"%s\"", i ? "," : "", l->chans[i]->name);
    bb_buf_puts(&b, "]}");
    resp->body_len = b.len;
    resp->body = bb_buf_take(&b);
}

/* Who may read /metrics (issue 14, finding 10): with BIMBING_METRICS_TOKEN
 * set, a request with "Authorization: Bearer TOKEN" (compared in constant
 * time); without it, only a loopback peer that is not a proxied request (no
 * X-Forwarded-For), e.g. a Prometheus on the same host. 0, or the status to
 * refuse with. */
static int metrics_refused(const struct config *cfg, const struct http_req *req)
{
    char auth[300], xff[512];
    if (cfg->metrics_token[0]) {
        char a[65], b[65];
        if (!http_req_header(req, "authorization", auth, sizeof(auth)) ||
            strncmp(auth, "Bearer ", 7) != 0)
            return 401;
        bb_sha256_hex(auth + 7, strlen(auth + 7), a);
        bb_sha256_hex(cfg->metrics_token, strlen(cfg->metrics_token), b);
        return api_equal(a, b) ? 0 : 401;
    }
    const char *ip = req->remote_ip ? req->remote_ip : "";
    int loopback =
        strncmp(ip, "127.", 4) == 0 || !strcmp(ip, "::1") || !strncmp(ip, "::ffff:127.", 11);
    if (!loopback || http_req_header(req, "x-forwarded-for", xff, sizeof(xff)) ||
        http_req_header(req, "forwarded", xff, sizeof(xff)))
        return 403;
    return 0;
}

static void metrics(void *vl, const struct http_req *req, struct http_resp *resp)
{
    struct loop *l = vl;
    struct core_stats cs;
    int64_t inbox = -1, active = -1;
    int refused = metrics_refused(l->cfg, req);
    if (refused) {
        api_error(resp, refused,
                  refused == 401 ? "a metrics token is needed (Authorization: Bearer ...)"
                                 : "metrics are served only on this host (or with a token)");
        if (refused == 401)
            bb_strlcpy(resp->headers, "WWW-Authenticate: Bearer\r\n", sizeof(resp->headers));
        return;
    }
    core_get_stats(l->core, &cs);
    store_inbox_pending(l->st, &inbox);
    store_session_count_active(l->st, &active);
    struct bb_buf b;
    bb_buf_init(&b, 16384);
    bb_buf_printf(&b,
                  "# HELP bimbing_events_total Inbox events processed by the core.\n"
                  "# TYPE bimbing_events_total counter\nbimbing_events_total %" PRId64 "\n"
                  "# HELP bimbing_replies_total Outbox messages queued by the core.\n"
                  "# TYPE bimbing_replies_total counter\nbimbing_replies_total %" PRId64 "\n"
                  "# HELP bimbing_core_errors_total Events that ended in a flow error.\n"
                  "# TYPE bimbing_core_errors_total counter\nbimbing_core_errors_total %" PRId64
                  "\n"
                  "# HELP bimbing_unknown_senders_total Events from people not registered.\n"
                  "# TYPE bimbing_unknown_senders_total counter\n"
                  "bimbing_unknown_senders_total %" PRId64 "\n"
                  "# HELP bimbing_inbox_pending Inbox events not processed yet.\n"
                  "# TYPE bimbing_inbox_pending gauge\nbimbing_inbox_pending %" PRId64 "\n"
                  "# HELP bimbing_sessions_active Conversations in progress.\n"
                  "# TYPE bimbing_sessions_active gauge\nbimbing_sessions_active %" PRId64 "\n"
                  "# HELP bimbing_outbox_pending Messages queued per channel.\n"
                  "# TYPE bimbing_outbox_pending gauge\n",
                  cs.events, cs.replies, cs.errors, cs.unknown, inbox, active);
    for (int i = 0; i < l->nchans; i++) {
        int64_t p = -1;
        store_outbox_pending(l->st, l->chans[i]->name, &p);
        bb_buf_printf(&b, "bimbing_outbox_pending{channel=\"%s\"} %" PRId64 "\n", l->chans[i]->name,
                      p);
    }
    bb_buf_puts(&b, "# HELP bimbing_messages_in_total Inbox events processed, by channel.\n"
                    "# TYPE bimbing_messages_in_total counter\n");
    for (int i = 0; i < CORE_STAT_CHANNELS; i++)
        if (cs.in[i].events > 0)
            bb_buf_printf(&b, "bimbing_messages_in_total{channel=\"%s\"} %" PRId64 "\n",
                          cs.in[i].channel[0] ? cs.in[i].channel : "internal", cs.in[i].events);
    bb_buf_puts(&b, "# HELP bimbing_messages_out_total Messages sent, failed or blocked, by "
                    "channel.\n# TYPE bimbing_messages_out_total counter\n"
                    "# HELP bimbing_send_retries_total Sends retried (5xx, network) and rate "
                    "limited (429), by channel.\n# TYPE bimbing_send_retries_total counter\n"
                    "# HELP bimbing_send_latency_seconds From queued to sent.\n"
                    "# TYPE bimbing_send_latency_seconds histogram\n");
    for (int i = 0; i < l->nchans; i++) {
        struct egress_stats es;
        const char *ch = l->chans[i]->name;
        if (!l->chans[i]->stats)
            continue;
        memset(&es, 0, sizeof(es));
        l->chans[i]->stats(l->chans[i]->self, &es);
        bb_buf_printf(
            &b,
            "bimbing_messages_out_total{channel=\"%s\",state=\"sent\"} %" PRId64 "\n"
            "bimbing_messages_out_total{channel=\"%s\",state=\"failed\"} %" PRId64 "\n"
            "bimbing_messages_out_total{channel=\"%s\",state=\"blocked\"} %" PRId64 "\n"
            "bimbing_send_retries_total{channel=\"%s\",reason=\"error\"} %" PRId64 "\n"
            "bimbing_send_retries_total{channel=\"%s\",reason=\"rate_limited\"} %" PRId64 "\n",
            ch, es.sent, ch, es.failed, ch, es.blocked, ch, es.retried, ch, es.rate_limited);
        for (int k = 0; k < EGRESS_LAT_BUCKETS; k++) {
            if (k < EGRESS_LAT_BUCKETS - 1)
                bb_buf_printf(
                    &b,
                    "bimbing_send_latency_seconds_bucket{channel=\"%s\",le=\"%g\"} %" PRId64 "\n",
                    ch, egress_lat_bounds[k], es.lat_count[k]);
            else
                bb_buf_printf(
                    &b,
                    "bimbing_send_latency_seconds_bucket{channel=\"%s\",le=\"+Inf\"} %" PRId64 "\n",
                    ch, es.lat_count[k]);
        }
        bb_buf_printf(&b,
                      "bimbing_send_latency_seconds_sum{channel=\"%s\"} %g\n"
                      "bimbing_send_latency_seconds_count{channel=\"%s\"} %" PRId64 "\n",
                      ch, es.lat_sum, ch, es.sent);
    }
    resp->content_type = "text/plain; version=0.0.4";
    resp->body_len = b.len;
    resp->body = bb_buf_take(&b);
}

/* ---- channels ----------------------------------------------------------------- */

static void add_chan(struct loop *l, const struct chan_def *d)
{
    struct chan *c = NULL;
    if (l->nchans >= SERVE_MAX_CHANS)
        return;
    int rc = d->new_chan(&c);
    if (rc != BB_OK || !c) {
        bb_log(BB_LOG_INFO, "serve", "%s is not available in this build", d->title);
        return;
    }
    struct chan_env env = {.st = l->st,
                           .http = l->http,
                           .net = l->net,
                           .cfg = l->cfg,
                           .lib = l->lib,
                           .net_channel = l->nchans,
                           .kick = kick,
                           .loop = l};
    rc = c->start(c->self, &env);
    if (rc != BB_OK) {
        bb_log(BB_LOG_ERR, "serve", "the %s channel is off: %s", c->name, bb_strerror(rc));
        c->free(c->self);
        return;
    }
    l->chans[l->nchans++] = c;
}

static void reload_flows(struct loop *l)
{
    struct flow_diags d;
    flow_diags_init(&d);
    int rc = flow_lib_load_dir(l->lib, l->cfg->flows_dir, &d);
    for (int i = 0; i < d.n; i++) {
        char line[600];
        flow_diag_format(&d.v[i], line, sizeof(line));
        bb_log(BB_LOG_WARN, "flows", "%s", line);
    }
    flow_diags_free(&d);
    for (int i = 0; i < flow_lib_count(l->lib); i++) {
        const struct flow *f = flow_lib_at(l->lib, i);
        store_flow_put(l->st, f->id, f->version, f->source, bb_now());
    }
    bb_log(BB_LOG_INFO, "flows", "reloaded: %d flow(s)%s", flow_lib_count(l->lib),
           rc == BB_OK ? "" : "; some files were refused and their last good version kept");
}

/* Every connection is a file descriptor and libwebsockets sizes its table
 * from the limit when the server starts: raise the soft limit of open files
 * towards SERVE_WANT_FDS (within the hard one), and say plainly when it
 * stays below (ulimit -n, or LimitNOFILE= in config/bimbing.service). */
static void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    if (rl.rlim_cur < rl.rlim_max && rl.rlim_cur < SERVE_WANT_FDS) {
        rlim_t was = rl.rlim_cur;
        rl.rlim_cur = rl.rlim_max < SERVE_WANT_FDS ? rl.rlim_max : SERVE_WANT_FDS;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || getrlimit(RLIMIT_NOFILE, &rl) != 0)
            return;
        bb_log(BB_LOG_INFO, "serve", "open files limit raised from %llu to %llu",
               (unsigned long long)was, (unsigned long long)rl.rlim_cur);
    }
    if (rl.rlim_cur < SERVE_WANT_FDS)
        bb_log(BB_LOG_WARN, "serve",
               "the open files limit is %llu (hard limit %llu): at most about %llu connections; "
               "raise it (ulimit -n, LimitNOFILE=) to %d",
               (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max,
               (unsigned long long)(rl.rlim_cur > 64 ? rl.rlim_cur - 64 : 0), SERVE_WANT_FDS);
}

int serve_run(const struct config *cfg, struct store *st, struct flow_lib *lib, struct core *core)
{
    struct sigaction sa;
    struct loop l;
    struct stat sb;
    int recovered = 0, rc = BB_OK;
    int64_t last_tick = 0, last_domain_tick = 0;

    memset(&l, 0, sizeof(l));
    l.cfg = cfg;
    l.st = st;
    l.lib = lib;
    l.core = core;
    l.started_ms = bb_mono_ms();

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    raise_nofile(); /* before the server sizes its tables */
    struct http_opts ho = {
        .bind_addr = cfg->http_bind,
        .port = cfg->http_port,
        .max_body = 1024 * 1024,
        .trusted_proxy = cfg->trusted_proxy,
        .static_dir = stat(cfg->web_dir, &sb) == 0 && S_ISDIR(sb.st_mode) ? cfg->web_dir : NULL};
    rc = http_new(&ho, &l.http);
    if (rc != BB_OK) {
        bb_log(BB_LOG_ERR, "serve", "cannot listen on %s:%d: %s", cfg->http_bind, cfg->http_port,
               bb_strerror(rc));
        return rc;
    }
    rc = net_new(wake_loop, l.http, &l.net);
    if (rc != BB_OK) {
        http_free(l.http);
        return rc;
    }
    http_set_wake_handler(l.http, on_wake, &l);
    http_route(l.http, "GET", "/healthz", 0, healthz, &l);
    http_route(l.http, "GET", "/metrics", 0, metrics, &l);
    struct domain_ctx dctx = {.st = st, .lib = lib, .core = core, .cfg = cfg, .now = bb_now()};
    struct admin *admin = NULL;
    rc = admin_new(l.http, &dctx, &admin);
    if (rc != BB_OK)
        bb_log(BB_LOG_ERR, "serve", "the HR dashboard is off: %s", bb_strerror(rc));

    if (store_outbox_recover(st, &recovered) == BB_OK && recovered > 0)
        bb_log(BB_LOG_WARN, "serve", "%d message(s) were in flight at the last stop; queued again",
               recovered);

    for (int i = 0; chan_defs[i]; i++) {
        const struct chan_def *d = chan_defs[i];
        if (!d->new_chan)
            continue; /* not a service channel */
        if (d->enabled(cfg))
            add_chan(&l, d);
        else if (d->off_note)
            bb_log(BB_LOG_INFO, "serve", "%s", d->off_note);
    }

    printf("bimbing is running: http://%s:%d/ (database %s; Ctrl-C to stop)\n", cfg->http_bind,
           http_port(l.http), cfg->db);
    fflush(stdout);

    int64_t wait_ms = 0;
    int split = 0; /* the last pass failed to commit: this one runs without the shared tx */
    while (!serve_stop) {
        if (serve_reload) {
            serve_reload = 0;
            reload_flows(&l);
        }
        http_service(l.http, l.kicked ? 0 : (int)(wait_ms > 200 ? 200 : wait_ms));
        l.kicked = 0;
        int pass_tx = !split && store_begin(st) == BB_OK;
        split = 0;
        drain_net(&l);
        for (int i = 0; i < l.nchans; i++)
            if (l.chans[i]->ingest)
                l.chans[i]->ingest(l.chans[i]->self);

        int64_t now_ms = bb_mono_ms();
        int done = 0;
        if (now_ms - last_tick >= 250) {
            last_tick = now_ms;
            if (now_ms - last_domain_tick >= 1000) {
                /* module work: recurring check-ins, survey waves, nudges */
                last_domain_tick = now_ms;
                dctx.now = bb_now();
                if (core_modules_tick(core, dctx.now, NULL) != BB_OK)
                    bb_log(BB_LOG_ERR, "serve", "scheduler: %s", store_errmsg(st));
            }
            rc = core_tick(core, bb_now(), NULL);
            if (rc != BB_OK && rc != BB_EAGAIN)
                bb_log(BB_LOG_ERR, "serve", "scheduler: %s (%s)", bb_strerror(rc),
                       store_errmsg(st));
        }
        rc = core_process(core, cfg->batch, &done);
        if (rc != BB_OK && rc != BB_EAGAIN)
            bb_log(BB_LOG_ERR, "serve", "core: %s (%s)", bb_strerror(rc), store_errmsg(st));
        if (done == cfg->batch)
            l.kicked = 1; /* more waiting: come straight back */
        for (int i = 0; i < l.nchans; i++)
            if (l.chans[i]->prepare)
                l.chans[i]->prepare(l.chans[i]->self);
        if (pass_tx && store_commit(st) != BB_OK) {
            bb_log(BB_LOG_ERR, "serve",
                   "the pass was rolled back: %s; the next one commits "
                   "each part on its own",
                   store_errmsg(st));
            split = 1;
            l.kicked = 1;
        }

        wait_ms = 200;
        for (int i = 0; i < l.nchans; i++) {
            int64_t w = l.chans[i]->egress(l.chans[i]->self, bb_mono_ms());
            if (w < wait_ms)
                wait_ms = w;
        }
        if (wait_ms < 0)
            wait_ms = 0;
    }
    bb_log(BB_LOG_INFO, "serve", "stopping");
    net_free(l.net); /* before the channels: no response arrives after this */
    for (int i = 0; i < l.nchans; i++)
        l.chans[i]->free(l.chans[i]->self);
    http_free(l.http);
    admin_free(admin); /* after the server: its routes point at it */
    bb_log(BB_LOG_INFO, "serve", "stopped");
    return BB_OK;
}
