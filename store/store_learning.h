/*
 * store_learning.h - the tables of personalised learning (docs/learning.md):
 * the catalogue (learning_items), written by `bimbing catalog` and read by
 * the learning module (bot/domain/learning/). Catalogue items are not
 * personal data.
 *
 * Same thread rules and error codes as store.h. Strings are copied.
 */
#ifndef STORE_LEARNING_H
#define STORE_LEARNING_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_LEARN_ITEMS_MAX 5000 /* items read in one list */

struct store_learn_item {
    char id[48];
    char title[208];
    char provider[88];
    char modality[16];      /* e-learning, klasikal, blended, coaching, mentoring, on-the-job */
    int jp;                 /* 1..200 */
    char competencies[400]; /* normalised, joined by ';' */
    char level[12];         /* dasar, menengah, lanjut */
    char lang[4];           /* id, en */
    char url[304];
    int64_t retired_at; /* 0: offered */
    int64_t updated_at;
};

/* Add the item, or update the one with its id (a retired one is offered
 * again: the file is what HR offers). *created (may be NULL): 1 if new. */
int store_learning_item_put(struct store *st, const struct store_learn_item *it, int64_t now,
                            int *created);
/* BB_ENOTFOUND when there is no item with that id. */
int store_learning_item_get(struct store *st, const char *id, struct store_learn_item *out);
/* Retire an item (no longer suggested). BB_ENOTFOUND without it; retiring
 * a retired item keeps its first date. */
int store_learning_item_retire(struct store *st, const char *id, int64_t now);
/* Every item ordered by id (retired ones too when with_retired), at most
 * STORE_LEARN_ITEMS_MAX (BB_ELIMIT past it): *out (free it; NULL for none). */
int store_learning_items(struct store *st, int with_retired, struct store_learn_item **out, int *n);

#endif
