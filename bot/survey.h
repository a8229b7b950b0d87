/*
 * survey.h - pulse surveys (waves, anonymous answers, reports) and broadcasts.
 * A domain module (see bot/domain.h). Core thread / CLI only.
 */
#ifndef SURVEY_H
#define SURVEY_H

#include "bot/domain.h"

extern const struct domain_module survey_module;

#endif
