/*
 * tests/fakes/lib/fakehttp.h - the small HTTP/1.1 server core under the fake
 * platforms (tests/fakes/fake_*.c), and only them: one thread, epoll, on
 * 127.0.0.1. It accepts connections, parses requests (Content-Length or
 * chunked bodies, Expect: 100-continue, keep-alive), hands each one to the
 * fake, and writes what the fake answers. A fake may also hold an answer
 * back (a long poll, an injected delay) and open client connections of its
 * own (webhooks) that share the loop.
 *
 * Connections are freed only at the end of a loop turn, so no callback
 * ever sees a freed one. Every buffer is capped (struct fh_opts).
 */
#ifndef BIMBING_TESTS_FAKEHTTP_H
#define BIMBING_TESTS_FAKEHTTP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/base/bb.h"

struct fh_server;

enum { FH_CONN_SERVER = 0, FH_CONN_CLIENT = 1 };
enum {
    FH_PARK_NONE = 0,
    FH_PARK_WAIT, /* the fake answers later; ops.expired at the deadline */
    FH_PARK_HELD  /* the answer is in held; written at the deadline */
};

/* One connection. The fake reads these fields and writes responses into
 * out (or held); the list links belong to the server. */
struct fh_conn {
    struct fh_server *srv;
    int fd;
    int kind; /* FH_CONN_* */
    struct bb_buf in;
    size_t in_off;
    struct bb_buf out;
    size_t out_off;
    struct bb_buf body; /* decoded chunked body */
    struct bb_buf held; /* an answer held back (FH_PARK_HELD) */
    uint32_t events;
    int dead;
    int close_after; /* close once out is written */
    int sent_continue;
    int park;       /* FH_PARK_* */
    int park_close; /* the parked request asked for Connection: close */
    int64_t deadline_ms;
    int connecting; /* client: connect() in progress */
    long arg;       /* the fake's own (fake_telegram: a long poll's limit) */
    int in_ready;
    struct fh_conn *tnext, *tprev; /* parked */
    struct fh_conn *anext, *aprev; /* every live connection */
    struct fh_conn *dnext;         /* closed, freed at the end of the turn */
    struct fh_conn *rnext;         /* to process again at the end of the turn */
};

/* One parsed request; body points into the connection's buffers. */
struct fh_req {
    char method[16];
    char target[8192];
    char ctype[512];
    const char *head; /* the request line and headers, head_len bytes */
    size_t head_len;
    const char *body;
    size_t body_len;
    int keep_alive;
    size_t total; /* bytes of the input this request used */
};

/* What the fake does. Only request is required. */
struct fh_ops {
    /* Answer (fh_respond, or into c->out), hold (fh_hold), park
     * (fh_park) or close (fh_close) the connection. */
    void (*request)(void *app, struct fh_conn *c, const struct fh_req *r);
    /* Write the answer to a request that cannot be served (status 400,
     * 413, 414 or 431) into c->out; the connection closes after it.
     * Default: an empty JSON object. */
    void (*refuse)(void *app, struct fh_conn *c, int status);
    /* A FH_PARK_WAIT connection's deadline has passed. */
    void (*expired)(void *app, struct fh_conn *c);
    /* Events (EPOLL*) on a client connection (fh_connect). */
    void (*client_event)(void *app, struct fh_conn *c, uint32_t events);
    /* c is being closed: drop every reference to it. */
    void (*closing)(void *app, struct fh_conn *c);
    /* Once a loop turn, after the deadlines: now and the loop's own work. */
    void (*tick)(void *app, int64_t now_ms);
    /* At the end of a turn, after the connections that were waiting. */
    void (*turn_end)(void *app);
    /* The earliest time (monotonic ms) the fake needs a turn, if before t;
     * else t. */
    int64_t (*next_due)(void *app, int64_t t);
};

struct fh_opts {
    const char *name; /* the Server header; NULL: none */
    size_t max_head;  /* default 16 KiB */
    size_t max_body;  /* default 1 MiB */
    size_t out_cap;   /* default 96 MiB */
    size_t out_pause; /* stop reading requests above this much unsent; 1 MiB */
    size_t max_conns; /* default 20000 */
};

/* Listens on 127.0.0.1:port (0: any free port). */
int fh_server_new(const struct fh_opts *o, const struct fh_ops *ops, void *app, long long port,
                  struct fh_server **out);
/* Closes every connection and the listener; accepts NULL. */
void fh_server_free(struct fh_server *s);
int fh_port(const struct fh_server *s);
size_t fh_nconns(const struct fh_server *s);
/* Writes the port to path (via a temporary file, so a reader never sees
 * it half written). */
int fh_write_port_file(const struct fh_server *s, const char *path);
/* Serves until *stop is set. */
void fh_run(struct fh_server *s, volatile sig_atomic_t *stop);

const char *fh_status_text(int status);
/* Appends a response: status line, Server, Content-Type, Content-Length,
 * extra (whole header lines, or NULL), Connection, the body. */
int fh_response(const struct fh_server *s, struct bb_buf *out, int status, const char *ctype,
                const char *body, const char *extra, int close);
/* Answers r on c now (closing after it unless keep-alive). */
void fh_respond(struct fh_conn *c, const struct fh_req *r, int status, const char *ctype,
                const char *body, const char *extra);
/* Holds an answer back for delay_ms, then writes it. */
void fh_hold(struct fh_conn *c, const struct fh_req *r, long long delay_ms, int status,
             const char *ctype, const char *body, const char *extra);

void fh_close(struct fh_conn *c);
/* Writes what out holds; closes when done and close_after is set. */
void fh_flush(struct fh_conn *c);
/* Parks c (FH_PARK_*) until deadline_ms; fh_unpark ends it. */
void fh_park(struct fh_conn *c, int how, int64_t deadline_ms);
void fh_unpark(struct fh_conn *c);
/* Serves c's buffered requests again at the end of this turn. */
void fh_resume(struct fh_conn *c);
/* Opens a client connection to 127.0.0.1:port (connecting). */
struct fh_conn *fh_connect(struct fh_server *s, int port);

/* Helpers for parsing what the fake receives. */
const char *fh_memmem(const char *h, size_t hn, const char *n, size_t nn);
int fh_hexval(int c);
/* Decodes a chunked body starting at p (n bytes) into out (capped at
 * max). Returns bytes used, 0 when incomplete, -1 on garbage, -2 when too
 * big. */
long fh_dechunk(const char *p, size_t n, size_t max, struct bb_buf *out);
/* The value of a request header (first match, case-insensitive) into out;
 * "" when absent. */
void fh_header(const struct fh_req *r, const char *name, char *out, size_t n);

#endif
