/*
 * coaching.h - development goals and learning hours (JP), wellbeing (WHO-5), GROW, BerAKHLAK
 * reflections, feedback. A domain module (see bot/domain.h). Core thread / CLI only.
 */
#ifndef COACHING_H
#define COACHING_H

#include "bot/domain.h"

extern const struct domain_module coaching_module;

#endif
