/*
 * learn_catalog.c - import of the learning catalogue from CSV (see
 * learn.h): read with bot/base/csv.h, every row checked into memory, then
 * one transaction of upserts by id. Called by `bimbing catalog import`
 * (and, later, the dashboard's upload) on the thread owning the store.
 */
#include "bot/domain/learning/learn.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/bb.h"
#include "bot/base/csv.h"
#include "store/store_learning.h"

enum cat_col { C_ID, C_TITLE, C_PROVIDER, C_MODALITY, C_JP, C_COMPS, C_LEVEL, C_LANG, C_URL, NCOL };
#define NREQ 8 /* every column but url */
static const char *const col_names[NCOL] = {"id",           "title", "provider", "modality", "jp",
                                            "competencies", "level", "language", "url"};

struct imp {
    struct learn_import_report *rep;
    int map[CSV_COLS_MAX]; /* field -> column, -1 unknown */
    int col_of[NCOL];      /* column -> field + 1, 0 absent */
    int ncols;
};

static void add_err(struct learn_import_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void add_err(struct learn_import_report *rep, const char *fmt, ...)
{
    va_list ap;
    if (rep->nerrors < LEARN_CAT_MAX_ERRORS) {
        va_start(ap, fmt);
        vsnprintf(rep->errors[rep->nerrors], sizeof(rep->errors[0]), fmt, ap);
        va_end(ap);
    }
    rep->nerrors++;
}

static void field_err(struct imp *im, int line, int col, const char *reason)
{
    add_err(im->rep, "line %d, column %d (%s): %s", line, im->col_of[col], col_names[col], reason);
}

const char *learn_modality(const char *s)
{
    static const struct {
        const char *in, *out;
    } m[] = {{"e-learning", "e-learning"}, {"elearning", "e-learning"},  {"klasikal", "klasikal"},
             {"classroom", "klasikal"},    {"blended", "blended"},       {"coaching", "coaching"},
             {"mentoring", "mentoring"},   {"on-the-job", "on-the-job"}, {"ojt", "on-the-job"}};
    for (size_t i = 0; s && i < sizeof(m) / sizeof(m[0]); i++)
        if (strcasecmp(s, m[i].in) == 0)
            return m[i].out;
    return NULL;
}

int learn_comp_norm(const char *in, char *out, size_t n)
{
    size_t o = 0;
    int space = 0;
    while (*in == ' ' || *in == '\t')
        in++;
    for (; *in; in++) {
        unsigned char ch = (unsigned char)*in;
        if (ch < 0x20 || ch == 0x7f)
            return -1;
        if (ch == ' ' || ch == '\t') {
            space = 1;
            continue;
        }
        if (space && o) {
            if (o + 1 >= n)
                return -1;
            out[o++] = ' ';
        }
        space = 0;
        if (o + 1 >= n)
            return -1;
        out[o++] = (char)tolower(ch);
    }
    out[o] = '\0';
    return o ? 0 : -1;
}

/* The text of a field with blanks around it trimmed (in place). */
static char *value(struct imp *im, struct csv *c, int col)
{
    static char empty[1];
    int f = im->col_of[col] - 1;
    if (f < 0 || f >= c->nf || f >= CSV_COLS_MAX) {
        empty[0] = '\0';
        return empty;
    }
    char *s = c->f[f].data;
    size_t len = c->f[f].len;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        s[--len] = '\0';
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static int parse_header(struct imp *im, struct csv *c)
{
    int bad = 0;
    if (c->nf > CSV_COLS_MAX) {
        add_err(im->rep, "line 1: %d columns, at most %d", c->nf, CSV_COLS_MAX);
        return 1;
    }
    im->ncols = c->nf;
    for (int i = 0; i < c->nf; i++) {
        char h[48];
        im->map[i] = -1;
        if (learn_comp_norm(c->f[i].data, h, sizeof(h)) != 0)
            h[0] = '\0';
        for (int k = 0; k < NCOL; k++)
            if (strcmp(h, col_names[k]) == 0) {
                if (im->col_of[k]) {
                    add_err(im->rep, "line 1, column %d: %s is also column %d", i + 1, h,
                            im->col_of[k]);
                    bad = 1;
                }
                im->map[i] = k;
                im->col_of[k] = i + 1;
            }
        if (im->map[i] < 0) {
            add_err(im->rep,
                    "line 1, column %d: unknown column \"%.40s\" (columns: id, title, provider, "
                    "modality, jp, competencies, level, language, url)",
                    i + 1, c->f[i].data);
            bad = 1;
        }
    }
    for (int k = 0; k < NREQ; k++)
        if (!im->col_of[k]) {
            add_err(im->rep, "line 1: the column %s is missing", col_names[k]);
            bad = 1;
        }
    return bad;
}

/* A text column: required, valid UTF-8 without control characters, fits. */
static int text_col(struct imp *im, struct csv *c, int line, int col, size_t min, char *dst,
                    size_t n)
{
    const char *v = value(im, c, col);
    size_t len = strlen(v);
    char why[80];
    if (len < min) {
        bb_snprintf(why, sizeof(why), len ? "at least %zu characters" : "empty", min);
        field_err(im, line, col, why);
        return 1;
    }
    if (len >= n) {
        bb_snprintf(why, sizeof(why), "longer than %zu bytes", n - 1);
        field_err(im, line, col, why);
        return 1;
    }
    if (!bb_utf8_valid(v, len)) {
        field_err(im, line, col, "not valid UTF-8");
        return 1;
    }
    for (const char *q = v; *q; q++)
        if ((unsigned char)*q < 0x20 || *q == 0x7f) {
            field_err(im, line, col, "a control character or line break");
            return 1;
        }
    if (bb_has_bidi_control(v)) {
        field_err(im, line, col, "a bidirectional control character");
        return 1;
    }
    bb_strlcpy(dst, v, n);
    return 0;
}

static int valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 40)
        return 0;
    for (; *s; s++)
        /* a flow option id too (the pick list of /belajar): no '.' */
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' || *s == '_'))
            return 0;
    return 1;
}

static void check_comps(struct imp *im, int line, const char *v, char *out, size_t n)
{
    char one[64], seen[LEARN_COMP_MAX][64];
    int k = 0;
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = v;;) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char raw[128];
        if (len >= sizeof(raw)) {
            field_err(im, line, C_COMPS, "a competency longer than 48 bytes");
            return;
        }
        memcpy(raw, p, len);
        raw[len] = '\0';
        if (learn_comp_norm(raw, one, 49) == 0) {
            if (k == LEARN_COMP_MAX) {
                field_err(im, line, C_COMPS, "more than 8 competencies");
                return;
            }
            for (int i = 0; i < k; i++)
                if (strcmp(seen[i], one) == 0) {
                    field_err(im, line, C_COMPS, "a competency named twice");
                    return;
                }
            bb_strlcpy(seen[k++], one, sizeof(seen[0]));
            if (o + strlen(one) + 2 > n) {
                field_err(im, line, C_COMPS, "too long");
                return;
            }
            o += (size_t)snprintf(out + o, n - o, "%s%s", o ? ";" : "", one);
        } else {
            for (size_t i = 0; i < len; i++)
                if (raw[i] != ' ' && raw[i] != '\t') {
                    field_err(im, line, C_COMPS,
                              "a competency longer than 48 bytes or with a control character");
                    return;
                }
        }
        if (!e)
            break;
        p = e + 1;
    }
    if (!k)
        field_err(im, line, C_COMPS, "no competency (separate several with ;)");
}

/* Check one record into *it; returns the number of problems found. */
static int check_row(struct imp *im, struct csv *c, struct store_learn_item *it)
{
    int line = c->rec_line, before = im->rep->nerrors;
    const char *v;
    long long jp;
    memset(it, 0, sizeof(*it));
    if (c->nf != im->ncols) {
        add_err(im->rep, "line %d: %d fields, the header has %d", line, c->nf, im->ncols);
        return 1;
    }
    for (int i = 0; i < c->nf && i < CSV_COLS_MAX; i++)
        if (c->toolong[i] && im->map[i] >= 0)
            field_err(im, line, im->map[i], "too long");
    if (im->rep->nerrors != before)
        return im->rep->nerrors - before;
    v = value(im, c, C_ID);
    if (!valid_id(v))
        field_err(im, line, C_ID,
                  "an id is 1 to 40 lower-case letters, digits, '-' or '_' (e.g. el-001)");
    else
        bb_strlcpy(it->id, v, sizeof(it->id));
    text_col(im, c, line, C_TITLE, 3, it->title, sizeof(it->title));
    text_col(im, c, line, C_PROVIDER, 2, it->provider, sizeof(it->provider));
    const char *m = learn_modality(value(im, c, C_MODALITY));
    if (!m)
        field_err(im, line, C_MODALITY,
                  "modality must be e-learning, klasikal (classroom), blended, coaching, "
                  "mentoring or on-the-job");
    else
        bb_strlcpy(it->modality, m, sizeof(it->modality));
    if (bb_parse_ll(value(im, c, C_JP), 1, 200, &jp) != BB_OK)
        field_err(im, line, C_JP, "jp must be a whole number from 1 to 200 (1 JP = 45 minutes)");
    else
        it->jp = (int)jp;
    check_comps(im, line, value(im, c, C_COMPS), it->competencies, sizeof(it->competencies));
    v = value(im, c, C_LEVEL);
    if (!strcasecmp(v, "dasar") || !strcasecmp(v, "basic"))
        bb_strlcpy(it->level, "dasar", sizeof(it->level));
    else if (!strcasecmp(v, "menengah") || !strcasecmp(v, "intermediate"))
        bb_strlcpy(it->level, "menengah", sizeof(it->level));
    else if (!strcasecmp(v, "lanjut") || !strcasecmp(v, "advanced"))
        bb_strlcpy(it->level, "lanjut", sizeof(it->level));
    else
        field_err(im, line, C_LEVEL, "level must be dasar, menengah or lanjut");
    v = value(im, c, C_LANG);
    if (strcasecmp(v, "id") && strcasecmp(v, "en"))
        field_err(im, line, C_LANG, "language must be id or en");
    else
        bb_strlcpy(it->lang, strcasecmp(v, "en") ? "id" : "en", sizeof(it->lang));
    v = value(im, c, C_URL);
    if (*v) {
        int ok = (strncmp(v, "https://", 8) == 0 || strncmp(v, "http://", 7) == 0) &&
                 strlen(v) < sizeof(it->url);
        for (const char *q = v; ok && *q; q++)
            if ((unsigned char)*q <= ' ' || *q == 0x7f || *q == '"' || *q == '<' || *q == '>')
                ok = 0;
        if (!ok)
            field_err(im, line, C_URL,
                      "url must start with https:// or http://, without spaces, at most 300 "
                      "bytes (or be empty)");
        else
            bb_strlcpy(it->url, v, sizeof(it->url));
    }
    return im->rep->nerrors - before;
}

static int blank(const struct csv *c)
{
    return c->nf == 1 && c->f[0].len == 0;
}

int learn_catalog_import_mem(struct store *st, const char *data, size_t len, int64_t now,
                             struct learn_import_report *rep)
{
    struct imp im;
    struct csv c;
    struct store_learn_item *items = NULL;
    int n = 0, rc, bad = 0;
    memset(rep, 0, sizeof(*rep));
    if (!st || (!data && len))
        return BB_EINVAL;
    if (len > LEARN_CAT_MAX_BYTES) {
        add_err(rep, "the file is larger than %u MiB", LEARN_CAT_MAX_BYTES / (1024 * 1024));
        return BB_ELIMIT;
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    memset(&im, 0, sizeof(im));
    im.rep = rep;
    csv_init(&c, data ? data : "", len);
    rc = csv_next(&c);
    if (rc == 0) {
        add_err(rep, "the file is empty (a header row is needed: %s,%s,%s,%s,%s,%s,%s,%s,%s)",
                col_names[0], col_names[1], col_names[2], col_names[3], col_names[4], col_names[5],
                col_names[6], col_names[7], col_names[8]);
        csv_free(&c);
        return BB_EINVAL;
    }
    if (rc == 1)
        bad = parse_header(&im, &c);
    while (rc == 1 && (rc = csv_next(&c)) == 1) {
        if (blank(&c))
            continue;
        if (rep->rows >= LEARN_CAT_MAX_ROWS) {
            add_err(rep, "more than %d rows", LEARN_CAT_MAX_ROWS);
            rc = BB_ELIMIT;
            break;
        }
        if (!items && !(items = calloc(LEARN_CAT_MAX_ROWS, sizeof(*items)))) {
            rc = BB_ENOMEM;
            break;
        }
        rep->rows++;
        if (bad) /* the header is wrong: the rows cannot be read */
            continue;
        if (check_row(&im, &c, &items[n]) == 0) {
            for (int i = 0; i < n; i++)
                if (strcmp(items[i].id, items[n].id) == 0) {
                    char why[64];
                    bb_snprintf(why, sizeof(why), "id %s is also on an earlier line", items[n].id);
                    field_err(&im, c.rec_line, C_ID, why);
                    break;
                }
            n++;
        }
    }
    if (rc == BB_EINVAL)
        add_err(rep, "line %d, column %d: %s", c.line, c.nf, c.err);
    csv_free(&c);
    if (rc >= 0 && !rep->rows && !rep->nerrors)
        add_err(rep, "no rows under the header");
    if (rc < 0 || rep->nerrors) {
        free(items);
        return rc < 0 && rc != BB_EINVAL ? rc : BB_EINVAL;
    }
    if ((rc = store_begin(st)) != BB_OK) {
        free(items);
        return rc;
    }
    for (int i = 0; i < n && rc == BB_OK; i++) {
        int created = 0;
        rc = store_learning_item_put(st, &items[i], now, &created);
        if (created)
            rep->created++;
        else
            rep->updated++;
    }
    free(items);
    if (rc != BB_OK) {
        add_err(rep, "database: %s", store_errmsg(st));
        store_rollback(st);
        rep->created = rep->updated = 0;
        return rc;
    }
    rc = store_commit(st);
    if (rc != BB_OK)
        rep->created = rep->updated = 0;
    return rc;
}

int learn_catalog_import_csv(struct store *st, const char *path, int64_t now,
                             struct learn_import_report *rep)
{
    FILE *f;
    char *buf;
    size_t len = 0, got;
    int rc;
    memset(rep, 0, sizeof(*rep));
    if (!(f = fopen(path, "rb"))) {
        add_err(rep, "cannot open %s: %s", path, strerror(errno));
        return BB_EIO;
    }
    if (!(buf = malloc((size_t)LEARN_CAT_MAX_BYTES + 1))) {
        fclose(f);
        return BB_ENOMEM;
    }
    while (len <= LEARN_CAT_MAX_BYTES &&
           (got = fread(buf + len, 1, (size_t)LEARN_CAT_MAX_BYTES + 1 - len, f)) > 0)
        len += got;
    if (ferror(f)) {
        add_err(rep, "cannot read %s: %s", path, strerror(errno));
        fclose(f);
        free(buf);
        return BB_EIO;
    }
    fclose(f);
    rc = learn_catalog_import_mem(st, buf, len, now, rep);
    free(buf);
    return rc;
}
