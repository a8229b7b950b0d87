/*
 * csv.h - the one CSV reader (RFC 4180: quotes with "" escapes, separators
 * and newlines inside quotes, CRLF or LF, ';' instead of ',' when the
 * header line has more of them), over a file already in memory, one record
 * at a time. Used by the imports (people, the learning catalogue); anyone
 * may call it. No state outside the struct; fields are bounded.
 */
#ifndef CSV_H
#define CSV_H

#include <stddef.h>

#include "bot/base/bb.h"

#define CSV_FIELD_MAX 4096 /* bytes of one raw field; callers cap each column lower */
#define CSV_COLS_MAX  32   /* fields kept of one record */

struct csv {
    const char *p, *end;
    char sep;
    int line; /* line of the next character */
    struct bb_buf f[CSV_COLS_MAX];
    int toolong[CSV_COLS_MAX];
    int nf;
    int rec_line; /* line the last record started on */
    char err[128];
};

/* Start reading data[0..len); the separator is chosen from the first line. */
void csv_init(struct csv *c, const char *data, size_t len);
void csv_free(struct csv *c);
/* Read one record into c->f[0..nf). Returns 1 for a record, 0 at the end,
 * BB_EINVAL for broken quoting (c->err says why). nf may exceed
 * CSV_COLS_MAX: fields past it are dropped, and the caller reports the
 * count; c->toolong[i] marks a field cut at CSV_FIELD_MAX. */
int csv_next(struct csv *c);

#endif
