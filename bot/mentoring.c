/*
 * mentoring.c - mentor profiles, matching and pairings, mentoring sessions.
 * A domain module (see bot/domain.h); not built out yet.
 */
#include "bot/mentoring.h"

const struct domain_module mentoring_module = {.name = "mentoring"};
