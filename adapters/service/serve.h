/*
 * serve.h - `bimbing serve`: the long-running service. Runs the core loop
 * (inbox -> flows -> outbox), the scheduler (due timers become inbox
 * events), and the channels that are configured.
 *
 * Main thread only; borrows everything from main.
 */
#ifndef SERVE_H
#define SERVE_H

#include "bot/core/config.h"
#include "bot/core/core.h"
#include "bot/flow/flow.h"
#include "store/store.h"

int serve_run(const struct config *cfg, struct store *st, struct flow_lib *lib, struct core *core);

#endif
