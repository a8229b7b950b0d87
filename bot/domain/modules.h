/*
 * modules.h - the domain modules of this build, as one list. Only the
 * composition root (adapters/service/) and tests name it; it hands the list
 * to the core (core_new) and the flow loader (domain_flow_actions).
 */
#ifndef MODULES_H
#define MODULES_H

#include "bot/core/domain.h"

/* The core's own actions first, then every domain module; NULL-terminated. */
extern const struct domain_module *const domain_modules[];

#endif
