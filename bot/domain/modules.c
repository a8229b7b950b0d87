/*
 * modules.c - the list of modules of this build (see modules.h); the
 * lookups over it are in bot/core/domain.c. Constant data.
 */
#include "bot/domain/modules.h"
#include "bot/domain/coaching/coaching.h"
#include "bot/domain/learning/learn.h"
#include "bot/domain/mentoring/mentoring.h"
#include "bot/domain/privacy/privacy.h"
#include "bot/domain/sched/sched.h"
#include "bot/domain/survey/survey.h"
#include "bot/domain/work/work.h"

#include <stddef.h>

const struct domain_module *const domain_modules[] = {
    &core_module,    &coaching_module, &mentoring_module, &sched_module, &survey_module,
    &privacy_module, &work_module,     &learning_module,  NULL,
};
