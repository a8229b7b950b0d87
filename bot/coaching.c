/*
 * coaching.c - development goals and learning hours (JP), wellbeing (WHO-5), GROW, BerAKHLAK
 * reflections, feedback. A domain module (see bot/domain.h); not built out yet.
 */
#include "bot/coaching.h"

const struct domain_module coaching_module = {.name = "coaching"};
