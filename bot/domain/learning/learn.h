/*
 * learn.h - personalised learning (issue 15, docs/learning.md): the
 * catalogue HR imports and the ranking of what to learn next.
 *   learn_catalog.c  `bimbing catalog import FILE.csv`: every row checked
 *                    first, nothing written on any error; items updated by
 *                    id (learn_catalog_import_*)
 *   learn_rank.c     the score: a pure function (learn_rank.h)
 *   learn_cli.c      `bimbing catalog import|list|retire` (learn_cmds)
 *   learn_social.c   a colleague who agreed to be asked; the mentor's view
 *                    of a mentee's plan (learn_int.h, learn_plan_lines)
 *   learn.c          the module row (learning_module)
 *
 * Thread rules: the thread that owns the struct store (the core thread in
 * the service, the CLI's only thread). No state outside the store.
 */
#ifndef LEARN_H
#define LEARN_H

#include <stddef.h>

#include "bot/core/domain.h"
#include "store/store.h"

#define LEARN_CAT_MAX_BYTES  (4u * 1024 * 1024) /* a larger file is refused */
#define LEARN_CAT_MAX_ROWS   5000               /* STORE_LEARN_ITEMS_MAX */
#define LEARN_CAT_MAX_ERRORS 20                 /* error texts kept in a report */
#define LEARN_COMP_MAX       8                  /* competencies of one item */

struct learn_import_report {
    int rows;    /* data rows read (blank lines not counted) */
    int created; /* items added */
    int updated; /* items already known by id, updated */
    int nerrors; /* every problem found; only the first 20 are in errors[] */
    char errors[LEARN_CAT_MAX_ERRORS][256];
};

/* Import a catalogue CSV (header row; columns id,title,provider,modality,
 * jp,competencies,level,language and optionally url, any order, names
 * case-insensitive). Every row is checked first; on any error nothing is
 * written, BB_EINVAL, and rep has "line L, column C (name): reason" per
 * problem. Otherwise one transaction adds or updates every item by id.
 * BB_ELIMIT for a file over the limits, BB_EIO when it cannot be read. */
int learn_catalog_import_mem(struct store *st, const char *data, size_t len, int64_t now,
                             struct learn_import_report *rep);
int learn_catalog_import_csv(struct store *st, const char *path, int64_t now,
                             struct learn_import_report *rep);

/* The canonical modality of what HR may write (e-learning, elearning,
 * klasikal, classroom, blended, coaching, mentoring, on-the-job, ojt; any
 * case), or NULL. */
const char *learn_modality(const char *s);
/* A competency as stored: trimmed, lower case, inner spaces single. 0 on
 * success; -1 when empty, too long for n, or with a control character. */
int learn_comp_norm(const char *in, char *out, size_t n);

struct bb_buf;
/* A mentee's learning plan for their mentor (learn_social.c), appended to
 * out[0] (Indonesian) and out[1] (English) as indented lines: only with the
 * mentee's consent "mentor_learning", else one "not shared" line. full: the
 * item being taken (since when), up to 3 finished in the past 12 months
 * with their JP, and this year's JP of 20; else one short line. For the
 * mentoring module's list of mentees. */
int learn_plan_lines(const struct domain_ctx *d, const struct store_person *m, int full,
                     struct bb_buf *out[2]);

extern const struct domain_module learning_module;
extern const struct domain_cmd learn_cmds[]; /* learn_cli.c */

#endif
