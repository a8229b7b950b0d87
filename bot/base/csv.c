/*
 * csv.c - the CSV reader (see csv.h). Pure: reads the caller's memory.
 */
#include "bot/base/csv.h"

#include <string.h>

void csv_init(struct csv *c, const char *data, size_t len)
{
    memset(c, 0, sizeof(*c));
    c->p = data;
    c->end = data + len;
    c->line = 1;
    c->sep = ',';
    for (int i = 0; i < CSV_COLS_MAX; i++)
        bb_buf_init(&c->f[i], CSV_FIELD_MAX);
    /* ';' when the header line has more of them than commas (outside quotes) */
    int commas = 0, semis = 0, inq = 0;
    for (const char *q = data; q < c->end && (inq || (*q != '\n' && *q != '\r')); q++) {
        if (*q == '"')
            inq = !inq;
        else if (!inq && *q == ',')
            commas++;
        else if (!inq && *q == ';')
            semis++;
    }
    if (semis > commas)
        c->sep = ';';
}

void csv_free(struct csv *c)
{
    for (int i = 0; i < CSV_COLS_MAX; i++)
        bb_buf_free(&c->f[i]);
}

static int csv_put(struct csv *c, char ch)
{
    if (c->nf >= CSV_COLS_MAX)
        return BB_OK; /* counted, reported by the caller */
    if (bb_buf_append(&c->f[c->nf], &ch, 1) != BB_OK)
        c->toolong[c->nf] = 1;
    return BB_OK;
}

/* Read one record into c->f[0..nf). Returns 1 for a record, 0 at the end,
 * BB_EINVAL for broken quoting (c->err says why). nf may exceed CSV_COLS_MAX:
 * fields past it are dropped, and the caller reports the count. */
int csv_next(struct csv *c)
{
    int nf = 0;
    for (int i = 0; i < CSV_COLS_MAX; i++) {
        bb_buf_reset(&c->f[i]);
        if (!c->f[i].data && bb_buf_puts(&c->f[i], "") != BB_OK) /* data never NULL */
            return BB_ENOMEM;
        c->toolong[i] = 0;
    }
    c->nf = 0;
    c->rec_line = c->line;
    if (c->p >= c->end)
        return 0;
    for (;;) {
        /* at the start of a field */
        if (c->p < c->end && *c->p == '"') {
            int qline = c->line;
            c->p++;
            for (;;) {
                if (c->p >= c->end) {
                    bb_snprintf(c->err, sizeof(c->err),
                                "quoted field opened on line %d is never closed", qline);
                    c->nf = nf + 1;
                    return BB_EINVAL;
                }
                if (*c->p == '"') {
                    if (c->p + 1 < c->end && c->p[1] == '"') {
                        csv_put(c, '"');
                        c->p += 2;
                        continue;
                    }
                    c->p++;
                    break;
                }
                if (*c->p == '\n')
                    c->line++;
                csv_put(c, *c->p++);
            }
            if (c->p < c->end && *c->p != c->sep && *c->p != '\n' && *c->p != '\r') {
                bb_snprintf(c->err, sizeof(c->err), "unexpected text after a closing quote");
                c->nf = nf + 1;
                return BB_EINVAL;
            }
        } else {
            while (c->p < c->end && *c->p != c->sep && *c->p != '\n' && *c->p != '\r') {
                if (*c->p == '"') {
                    bb_snprintf(c->err, sizeof(c->err),
                                "a quote inside an unquoted field (quote the whole field and "
                                "double the quote)");
                    c->nf = nf + 1;
                    return BB_EINVAL;
                }
                csv_put(c, *c->p++);
            }
        }
        nf++;
        c->nf = nf;
        if (c->p >= c->end)
            return 1;
        if (*c->p == c->sep) {
            c->p++;
            continue;
        }
        /* end of the record: \n, \r\n or a lone \r */
        if (*c->p == '\r')
            c->p++;
        if (c->p < c->end && *c->p == '\n')
            c->p++;
        c->line++;
        return 1;
    }
}
