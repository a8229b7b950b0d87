/*
 * serve.c - the service loop (see serve.h). One thread here owns the
 * writing store connection; it wakes at least every 200 ms to move due
 * timers into the inbox and to process the inbox in batches, so what the
 * CLI writes to the shared database (an import, a broadcast) is picked up
 * within a second. SIGINT/SIGTERM end the loop after the current batch.
 */
#include "bot/serve.h"
#include "bot/bb.h"

#include <signal.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t serve_stop;

static void on_signal(int sig)
{
    (void)sig;
    serve_stop = 1;
}

int serve_run(const struct config *cfg, struct store *st, struct flow_lib *lib, struct core *core)
{
    struct sigaction sa;
    int recovered = 0, rc = BB_OK;
    (void)lib;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    if (store_outbox_recover(st, &recovered) == BB_OK && recovered > 0)
        bb_log(BB_LOG_WARN, "serve", "%d message(s) were in flight at the last stop; queued again",
               recovered);
    bb_log(BB_LOG_INFO, "serve", "bimbing is running on %s (Ctrl-C to stop)", cfg->db);
    while (!serve_stop) {
        int fired = 0, done = 0;
        rc = core_tick(core, bb_now(), &fired);
        if (rc == BB_OK)
            rc = core_drain(core, cfg->batch, &done);
        if (rc != BB_OK && rc != BB_EAGAIN) {
            bb_log(BB_LOG_ERR, "serve", "core: %s (%s)", bb_strerror(rc), store_errmsg(st));
            break;
        }
        rc = BB_OK;
        if (done == 0) {
            struct timespec ts = {0, 200 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    bb_log(BB_LOG_INFO, "serve", "stopped");
    return rc;
}
