/*
 * sched.c - the scheduler: recurring check-ins in each person's local time, follow-ups, nudges.
 * A domain module (see bot/domain.h); not built out yet.
 */
#include "bot/sched.h"

const struct domain_module sched_module = {.name = "sched"};
