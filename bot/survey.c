/*
 * survey.c - pulse surveys (waves, anonymous answers, reports) and broadcasts.
 * A domain module (see bot/domain.h); not built out yet.
 */
#include "bot/survey.h"

const struct domain_module survey_module = {.name = "survey"};
