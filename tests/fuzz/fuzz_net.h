/* fuzz_net.h - for the harnesses that fuzz the HTTP server and the
 * channels behind it (fuzz_http, fuzz_whatsapp, fuzz_webchat): the real
 * server (adapters/net/http.h, libwebsockets) in this process on an
 * ephemeral 127.0.0.1 port, and a client socket that sends it bytes while
 * this thread runs the server's loop, so lws's request parser, our chunked
 * decoder, routing and the handlers all see exactly those bytes. Nothing
 * leaves the machine. Include after fuzz.h. */
#ifndef FUZZ_NET_H
#define FUZZ_NET_H
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "adapters/channel.h"
#include "adapters/net/http.h"

#define FUZZ_PUMP_MAX 400 /* loop turns per exchange (each at most ~1 ms) */

static struct http_server *fuzz_http_;
/* The channel of fuzz_channel (NULL without one): after each turn of the
 * server its held webhook deliveries are stored and answered, as a pass of
 * `bimbing serve` does (chan.ingest, committing on its own here). */
static struct chan *fuzz_chan_;

/* The server, made on first use (routes are added by the harness). */
static inline struct http_server *fuzz_server(const char *static_dir)
{
    if (!fuzz_http_) {
        struct http_opts o = {.bind_addr = "127.0.0.1", .port = 0, .static_dir = static_dir};
        if (http_new(&o, &fuzz_http_) != BB_OK)
            abort();
    }
    return fuzz_http_;
}

#define FUZZ_SRC_ADDRS 250 /* client source addresses 127.0.1.1 .. 127.0.1.250 */

/* A connected, non-blocking client socket. SO_LINGER {1, 0} resets it on
 * close, but a connection whose client ended its input first (shutdown)
 * and then got the server's FIN is in TIME_WAIT for 60 s on the client's
 * side all the same: at ~1,000 inputs a second that is more than the
 * ~28,000 ephemeral ports of one source address (connect failed after a
 * few minutes). Each connection therefore comes from the next of
 * FUZZ_SRC_ADDRS loopback addresses (all of 127.0.0.0/8 is local), each
 * with its own ports. */
static inline int fuzz_connect(void)
{
    static unsigned n;
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)http_port(fuzz_http_))};
    struct sockaddr_in src = {.sin_family = AF_INET};
    struct linger lg = {1, 0};
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    src.sin_addr.s_addr = htonl(0x7f000101u + n++ % FUZZ_SRC_ADDRS);
    if (fd < 0)
        abort();
#ifdef IP_BIND_ADDRESS_NO_PORT
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one)); /* port at connect */
#endif
    (void)one;
    if (bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0)
        abort();
    int rc = connect(fd, (struct sockaddr *)&a, sizeof(a));
    if (rc != 0 && errno == EINTR) {
        /* a signal (libFuzzer's timer) interrupted the blocking connect:
         * the handshake goes on (POSIX): wait for it */
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int err = 0, turns = 0;
        socklen_t el = sizeof(err);
        while (poll(&p, 1, 1000) < 0 && errno == EINTR && ++turns < 100)
            ;
        rc = getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && !err && (p.revents & POLLOUT)
                 ? 0
                 : -1;
    }
    if (rc != 0) {
        perror("fuzz_connect");
        abort();
    }
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* Send data (as much as the socket takes while the server runs), then,
 * when half_close, end the sending side. Whatever comes back is appended
 * to reply (NULL: dropped). Runs the server until it closes the
 * connection, until stop(reply) says enough, or FUZZ_PUMP_MAX turns.
 * Returns 1 when the server closed the connection. */
static inline int fuzz_exchange(int fd, const uint8_t *data, size_t size, int half_close,
                                struct bb_buf *reply, int (*stop)(const struct bb_buf *))
{
    size_t sent = 0;
    char buf[4096];
    for (int turn = 0; turn < FUZZ_PUMP_MAX; turn++) {
        if (sent < size) {
            ssize_t k = send(fd, data + sent, size - sent, MSG_NOSIGNAL);
            if (k > 0)
                sent += (size_t)k;
            else if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                return 1;
        }
        if (sent == size && half_close) {
            shutdown(fd, SHUT_WR);
            half_close = 0;
        }
        http_service(fuzz_http_, 1);
        if (fuzz_chan_ && fuzz_chan_->ingest)
            fuzz_chan_->ingest(fuzz_chan_->self);
        for (;;) {
            ssize_t k = recv(fd, buf, sizeof(buf), 0);
            if (k == 0)
                return 1;
            if (k < 0)
                break;
            if (reply && bb_buf_append(reply, buf, (size_t)k) != BB_OK)
                abort();
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return 1;
        if (stop && reply && stop(reply))
            return 0;
    }
    return 0;
}

/* Close the client and let the server see it. */
static inline void fuzz_hangup(int fd)
{
    close(fd);
    for (int i = 0; i < 3; i++)
        http_service(fuzz_http_, 0);
}

/* stop(): a whole response head has arrived. */
static inline int fuzz_have_head(const struct bb_buf *b)
{
    for (size_t i = 0; i + 4 <= b->len; i++)
        if (memcmp(b->data + i, "\r\n\r\n", 4) == 0)
            return 1;
    return 0;
}

#endif

/* ---- a channel behind the server, as `bimbing serve` runs it ---- */
#include "adapters/service/channels.h"
#include "bot/core/domain.h"
#include "bot/domain/modules.h"
#include "bot/flow/flow.h"
#include "store/store.h"

static void fuzz_kick_(void *loop)
{
    (void)loop;
}

/* Start the channel made by new_chan on the server, with the flows of
 * flows/ (run from the top of the tree), the configuration of the
 * environment and an in-memory store. */
static inline struct chan *fuzz_channel(int (*new_chan)(struct chan **), struct store **st_out)
{
    static struct config cfg;
    static struct flow_actions acts;
    static struct chan_env env;
    struct flow_lib *lib = NULL;
    struct flow_diags d;
    struct store *st = NULL;
    struct chan *ch = NULL;
    char err[256];

    acts = domain_flow_actions(domain_modules);
    flow_diags_init(&d);
    if (chan_config_load(&cfg, NULL, 0, err, sizeof(err)) != BB_OK || flow_lib_new(&lib) != BB_OK)
        abort();
    flow_lib_set_actions(lib, &acts);
    if (flow_lib_load_dir(lib, "flows", &d) != BB_OK) {
        fprintf(stderr, "fuzz: run from the top of the tree (flows/)\n");
        abort();
    }
    flow_diags_free(&d);
    if (store_open(":memory:", NULL, &st) != BB_OK || chan_store_setup(st) != BB_OK)
        abort();
    env = (struct chan_env){
        .st = st, .http = fuzz_server(NULL), .cfg = &cfg, .lib = lib, .kick = fuzz_kick_};
    if (new_chan(&ch) != BB_OK || ch->start(ch->self, &env) != BB_OK)
        abort();
    *st_out = st;
    fuzz_chan_ = ch;
    return ch;
}
