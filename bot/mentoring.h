/*
 * mentoring.h - mentor profiles, matching and pairings, mentoring sessions.
 * A domain module (see bot/domain.h). Core thread / CLI only.
 */
#ifndef MENTORING_H
#define MENTORING_H

#include "bot/domain.h"

extern const struct domain_module mentoring_module;

#endif
