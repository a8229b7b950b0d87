/*
 * learn.c - the "learning" module row (see learn.h): today its CLI rows
 * (the catalogue); the conversations come with the profile and /belajar.
 * Constant data.
 */
#include "bot/domain/learning/learn.h"

const struct domain_module learning_module = {
    .name = "learning",
    .cmds = learn_cmds,
};
