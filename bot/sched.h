/*
 * sched.h - the scheduler: recurring check-ins in each person's local time, follow-ups, nudges.
 * A domain module (see bot/domain.h). Core thread / CLI only.
 */
#ifndef SCHED_H
#define SCHED_H

#include "bot/domain.h"

extern const struct domain_module sched_module;

#endif
