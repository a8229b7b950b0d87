/*
 * people.c - CSV import of people (see people.h): read with the CSV reader
 * of bot/base/csv.h (a UTF-8 BOM skipped here), validation of every row,
 * then one transaction of upserts by NIP.
 *
 * Thread rules: the thread owning the struct store. The file is read
 * twice from memory: first to validate everything, then to write; between
 * the two passes only the NIPs are kept (a few bytes a row).
 */
#include "bot/domain/people/people.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/bb.h"
#include "bot/base/csv.h"
#include "bot/core/worktime.h"
#include "store/store_work.h"
#include "bot/base/sapaan.h"
#include "bot/base/cal.h"
#include "bot/domain/people/people_nip.h"

#define COLS_MAX CSV_COLS_MAX /* fields in one record */

enum people_col {
    COL_NIP,
    COL_NAME,
    COL_UNIT,
    COL_ROLE,
    COL_POSITION,
    COL_GRADE,
    COL_LANGUAGE,
    COL_TIMEZONE,
    COL_PHONE,
    COL_EMAIL,
    COL_SUPERVISOR,
    COL_STRENGTHS,
    COL_INTERESTS,
    COL_WORK_DAYS,
    COL_WORK_HOURS,
    COL_GENDER,
    COL_PANGGILAN,
    NCOLS
};
#define NREQUIRED 4 /* nip, name, unit, role */

static const char *const col_names[NCOLS] = {
    "nip",       "name",      "unit",       "role",   "position",       "grade",
    "language",  "timezone",  "phone",      "email",  "supervisor_nip", "strengths",
    "interests", "work_days", "work_hours", "gender", "panggilan"};

/* ---- validation -------------------------------------------------------- */

struct imp {
    struct store *st;
    struct people_import_report *rep;
    int map[COLS_MAX];      /* field index -> enum people_col, -1 unknown */
    int col_of[NCOLS];      /* enum people_col -> field index + 1, 0 absent */
    char hdr[COLS_MAX][48]; /* header texts, for messages */
    int ncols;
    int admin_fixed;   /* the importer is not an admin: no row may give or take the admin role */
    char empty[1];     /* the value of an absent column (writable, always "") */
    int64_t today;     /* the civil day of the import (UTC+7), for the NIP's dates */
    char tz_known[64]; /* the last time zone found in tzdata (most files have one) */
    char tz_canon[64]; /* ... and its canonical name */
};

struct prow {
    char nip[20];
    char sup[20];
    char phone[24]; /* normalised; "" none */
    int line;
};

static void add_err(struct people_import_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add_err(struct people_import_report *rep, const char *fmt, ...)
{
    va_list ap;
    if (rep->nerrors < PEOPLE_MAX_ERRORS) {
        va_start(ap, fmt);
        vsnprintf(rep->errors[rep->nerrors], sizeof(rep->errors[0]), fmt, ap);
        va_end(ap);
    }
    rep->nerrors++;
}

/* Where the last error was (people_import_where), for the dashboard. */
static void add_where(struct people_import_report *rep, int line, int col, const char *column,
                      const char *code, const char *arg)
{
    struct people_import_where *w;
    if (rep->nerrors < 1 || rep->nerrors > PEOPLE_MAX_ERRORS)
        return;
    w = &rep->where[rep->nerrors - 1];
    w->line = line;
    w->col = col;
    bb_strlcpy(w->column, column ? column : "", sizeof(w->column));
    bb_strlcpy(w->code, code ? code : "", sizeof(w->code));
    bb_strlcpy(w->arg, arg ? arg : "", sizeof(w->arg));
}

/* An error in one field: the English reason, and code/arg for the
 * dashboard's translation. */
static void field_err_c(struct imp *im, int line, int col, const char *code, const char *arg,
                        const char *reason)
{
    int fi = im->col_of[col] - 1;
    add_err(im->rep, "line %d, column %d (%s): %s", line, fi + 1, col_names[col], reason);
    add_where(im->rep, line, fi + 1, col_names[col], code, arg);
}

static void field_err(struct imp *im, int line, int col, const char *code, const char *reason)
{
    field_err_c(im, line, col, code, "", reason);
}

/* Trim ASCII white space at both ends, in place. */
static char *trim(char *s)
{
    size_t n;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static int all_digits(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    if (n < min || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Lower-case ASCII copy; BB_ELIMIT when it does not fit. */
static int lower_copy(char *dst, const char *src, size_t n)
{
    size_t i;
    for (i = 0; src[i] && i + 1 < n; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    if (n)
        dst[i] = '\0';
    return src[i] ? BB_ELIMIT : BB_OK;
}

/* Runs of white space (newlines from quoted fields included) become one
 * space, in place. */
static void squash_space(char *s)
{
    char *o = s;
    int sp = 0;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            sp = 1;
            continue;
        }
        if (sp)
            *o++ = ' ';
        sp = 0;
        *o++ = *s;
    }
    *o = '\0';
}

static int valid_tz(const char *tz)
{
    size_t n = strlen(tz);
    int slash = 0, start = 1;
    if (strcmp(tz, "UTC") == 0)
        return 1;
    if (n < 3 || n > 47)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)tz[i];
        if (start && !isalpha(ch))
            return 0;
        start = 0;
        if (ch == '/') {
            slash = 1;
            start = 1;
        } else if (!isalnum(ch) && ch != '_' && ch != '-' && ch != '+') {
            return 0;
        }
    }
    return slash && !start;
}

/* Phone to digits with the country code: 08xx -> 628xx, +62.. -> 62..;
 * spaces, dashes, dots and parentheses are dropped. */
static int norm_phone(const char *in, char *out, size_t n)
{
    char d[40];
    size_t k = 0;
    int plus = 0;
    for (const char *p = in; *p; p++) {
        if (*p == ' ' || *p == '-' || *p == '.' || *p == '(' || *p == ')')
            continue;
        if (*p == '+' && k == 0 && !plus) {
            plus = 1;
            continue;
        }
        if (!isdigit((unsigned char)*p) || k + 1 >= sizeof(d))
            return BB_EINVAL;
        d[k++] = *p;
    }
    d[k] = '\0';
    if (k == 0)
        return BB_EINVAL;
    if (!plus && d[0] == '0') {
        if (bb_snprintf(out, n, "62%s", d + 1) != BB_OK)
            return BB_EINVAL;
    } else if (plus || strncmp(d, "62", 2) == 0) {
        if (bb_strlcpy(out, d, n) != BB_OK)
            return BB_EINVAL;
    } else {
        return BB_EINVAL;
    }
    k = strlen(out);
    return k >= 8 && k <= 15 && out[0] != '0' ? BB_OK : BB_EINVAL;
}

static int valid_email(const char *e)
{
    const char *at = strchr(e, '@');
    if (!at || at == e || !at[1] || strchr(at + 1, '@') || !strchr(at + 1, '.'))
        return 0;
    for (; *e; e++)
        if ((unsigned char)*e <= ' ')
            return 0;
    return 1;
}

/* A comma list (newlines count as commas): items trimmed, empties dropped,
 * joined with ", ". */
static int norm_list(const char *in, char *out, size_t n)
{
    size_t o = 0;
    const char *p = in;
    out[0] = '\0';
    while (*p) {
        const char *e = p;
        while (*e && *e != ',' && *e != '\n' && *e != '\r')
            e++;
        const char *a = p, *b = e;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (b > a) {
            size_t len = (size_t)(b - a);
            size_t need = len + (o ? 2 : 0);
            if (o + need + 1 > n)
                return BB_ELIMIT;
            if (o) {
                out[o++] = ',';
                out[o++] = ' ';
            }
            memcpy(out + o, a, len);
            o += len;
            out[o] = '\0';
        }
        p = *e ? e + 1 : e;
    }
    return BB_OK;
}

/* Check one text field: UTF-8, no control bytes other than white space,
 * within cap bytes. Returns a reason or NULL. */
static const char *text_problem(const char *s, size_t len, size_t cap)
{
    if (memchr(s, '\0', len))
        return "contains a NUL byte";
    if (!bb_utf8_valid(s, len))
        return "not valid UTF-8";
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t')
            return "contains a control character";
        if (ch == 0x7f)
            return "contains a control character";
    }
    if (len >= cap)
        return "too long";
    return NULL;
}

static int parse_header(struct imp *im, struct csv *c)
{
    int errs = 0;
    for (int i = 0; i < NCOLS; i++)
        im->col_of[i] = 0;
    if (c->nf > COLS_MAX) {
        add_err(im->rep, "line %d: %d columns, at most %d are allowed", c->rec_line, c->nf,
                COLS_MAX);
        return 1;
    }
    im->ncols = c->nf;
    for (int i = 0; i < c->nf; i++) {
        char name[48];
        const char *raw = trim(c->f[i].data);
        im->map[i] = -1;
        lower_copy(name, raw, sizeof(name));
        if (!bb_utf8_valid(raw, strlen(raw)))
            bb_strlcpy(name, "?", sizeof(name));
        bb_strlcpy(im->hdr[i], name, sizeof(im->hdr[i]));
        for (int k = 0; k < NCOLS; k++)
            if (strcmp(name, col_names[k]) == 0)
                im->map[i] = k;
        if (strcmp(name, "jenis_kelamin") == 0) /* the Indonesian name of "gender" */
            im->map[i] = COL_GENDER;
        if (im->map[i] < 0) {
            add_err(im->rep, "line %d, column %d (%s): unknown column", c->rec_line, i + 1,
                    name[0] ? name : "(empty)");
            add_where(im->rep, c->rec_line, i + 1, name, "header.unknown", "");
            errs++;
        } else if (im->col_of[im->map[i]]) {
            add_err(im->rep, "line %d, column %d (%s): column given twice", c->rec_line, i + 1,
                    name);
            add_where(im->rep, c->rec_line, i + 1, name, "header.twice", "");
            im->map[i] = -1;
            errs++;
        } else {
            im->col_of[im->map[i]] = i + 1;
        }
    }
    for (int k = 0; k < NREQUIRED; k++)
        if (!im->col_of[k]) {
            add_err(im->rep, "line %d: missing required column \"%s\"", c->rec_line, col_names[k]);
            add_where(im->rep, c->rec_line, 0, col_names[k], "header.missing", "");
            errs++;
        }
    return errs;
}

/* The raw (trimmed) value of a column in the current record, "" if absent. */
static char *value(struct imp *im, struct csv *c, int col)
{
    int fi = im->col_of[col] - 1;
    if (fi < 0 || fi >= c->nf) {
        im->empty[0] = '\0';
        return im->empty;
    }
    return trim(c->f[fi].data);
}

/* A field that must not be empty: spaces squashed, copied into dst (n
 * bytes), or reported with `empty` when nothing is left. */
static void required_text(struct imp *im, struct csv *c, int line, int col, const char *empty,
                          char *dst, size_t n)
{
    char *v = value(im, c, col);
    squash_space(v);
    if (!*v)
        field_err(im, line, col, "empty", empty);
    else
        bb_strlcpy(dst, v, n);
}

/* Validate the current record into p; returns the number of errors. */
static int check_row(struct imp *im, struct csv *c, struct store_person *p)
{
    /* Byte caps of the raw values; short coded fields get a loose cap so
     * that their own check explains what is wrong. */
    static const size_t caps[NCOLS] = {[COL_NIP] = 64,
                                       [COL_NAME] = sizeof(p->name),
                                       [COL_UNIT] = sizeof(p->unit),
                                       [COL_ROLE] = 64,
                                       [COL_POSITION] = sizeof(p->position),
                                       [COL_GRADE] = sizeof(p->grade),
                                       [COL_LANGUAGE] = 64,
                                       [COL_TIMEZONE] = 64,
                                       [COL_PHONE] = 64,
                                       [COL_EMAIL] = sizeof(p->email),
                                       [COL_SUPERVISOR] = 64,
                                       [COL_STRENGTHS] = 1024,
                                       [COL_INTERESTS] = 1024,
                                       [COL_WORK_DAYS] = 48,
                                       [COL_WORK_HOURS] = 16,
                                       [COL_GENDER] = 64,
                                       [COL_PANGGILAN] = sizeof(p->panggilan)};
    int line = c->rec_line, before = im->rep->nerrors;
    char *v;
    memset(p, 0, sizeof(*p));
    if (c->nf != im->ncols) {
        char want[16];
        bb_snprintf(want, sizeof(want), "%d", im->ncols);
        add_err(im->rep, "line %d: %d fields, the header has %d", line, c->nf, im->ncols);
        add_where(im->rep, line, 0, "", "fields", want);
        return 1;
    }
    for (int i = 0; i < c->nf && i < COLS_MAX; i++) {
        int col = im->map[i];
        const char *why;
        if (col < 0)
            continue;
        if (c->toolong[i]) {
            field_err(im, line, col, "too_long", "too long");
            continue;
        }
        why = text_problem(c->f[i].data, c->f[i].len, caps[col]);
        if (why)
            field_err(im, line, col, strcmp(why, "too long") == 0 ? "too_long" : "text", why);
    }
    if (im->rep->nerrors != before)
        return im->rep->nerrors - before;

    v = value(im, c, COL_NIP);
    const char *nip_code = NULL, *nip_why = people_nip_problem(v, im->today, &nip_code);
    if (nip_why)
        field_err(im, line, COL_NIP, nip_code, nip_why);
    else
        bb_strlcpy(p->nip, v, sizeof(p->nip));

    required_text(im, c, line, COL_NAME, "name is empty", p->name, sizeof(p->name));
    required_text(im, c, line, COL_UNIT, "unit is empty", p->unit, sizeof(p->unit));

    lower_copy(p->role, value(im, c, COL_ROLE), sizeof(p->role));
    if (strcmp(p->role, "employee") != 0 && strcmp(p->role, "mentor") != 0 &&
        strcmp(p->role, "hr") != 0 && strcmp(p->role, "admin") != 0 &&
        strcmp(p->role, "counsellor") != 0)
        field_err(im, line, COL_ROLE, "role",
                  "role must be employee, mentor, hr, admin or counsellor");

    v = value(im, c, COL_POSITION);
    squash_space(v);
    bb_strlcpy(p->position, v, sizeof(p->position));
    v = value(im, c, COL_GRADE);
    squash_space(v);
    bb_strlcpy(p->grade, v, sizeof(p->grade));

    lower_copy(p->lang, value(im, c, COL_LANGUAGE), sizeof(p->lang));
    if (p->lang[0] && strcmp(p->lang, "id") != 0 && strcmp(p->lang, "en") != 0)
        field_err(im, line, COL_LANGUAGE, "language", "language must be id or en");

    v = value(im, c, COL_TIMEZONE);
    if (strcasecmp(v, "WIB") == 0)
        v = "Asia/Jakarta";
    else if (strcasecmp(v, "WITA") == 0)
        v = "Asia/Makassar";
    else if (strcasecmp(v, "WIT") == 0)
        v = "Asia/Jayapura";
    if (*v && !valid_tz(v))
        field_err(im, line, COL_TIMEZONE, "timezone",
                  "time zone must be an IANA name such as Asia/Jakarta, or WIB, WITA, WIT");
    else if (*v && strcmp(v, im->tz_known) != 0 &&
             !people_tz_exists(v, im->tz_canon, sizeof(im->tz_canon)))
        field_err(im, line, COL_TIMEZONE, "timezone_unknown",
                  "no such time zone (an IANA name such as Asia/Jakarta, or WIB, WITA, WIT)");
    else {
        if (*v && strcmp(v, im->tz_known) != 0)
            bb_strlcpy(im->tz_known, v, sizeof(im->tz_known));
        bb_strlcpy(p->tz, v, sizeof(p->tz));
    }

    v = value(im, c, COL_PHONE);
    if (*v && norm_phone(v, p->phone, sizeof(p->phone)) != BB_OK) {
        p->phone[0] = '\0';
        field_err(im, line, COL_PHONE, "phone",
                  "phone must be 8 to 15 digits with the country code (62...) or start with 0");
    }

    v = value(im, c, COL_EMAIL);
    if (*v && !valid_email(v))
        field_err(im, line, COL_EMAIL, "email", "not an e-mail address");
    else
        bb_strlcpy(p->email, v, sizeof(p->email));

    v = value(im, c, COL_SUPERVISOR);
    if (*v && !all_digits(v, PEOPLE_NIP_LEN, PEOPLE_NIP_LEN))
        field_err(im, line, COL_SUPERVISOR, "supervisor.format",
                  "supervisor NIP must be 18 digits");
    else if (*v && strcmp(v, p->nip) == 0)
        field_err(im, line, COL_SUPERVISOR, "supervisor.self",
                  "a person cannot be their own supervisor");
    else
        bb_strlcpy(p->supervisor_nip, v, sizeof(p->supervisor_nip));

    if (norm_list(value(im, c, COL_STRENGTHS), p->strengths, sizeof(p->strengths)) != BB_OK)
        field_err(im, line, COL_STRENGTHS, "too_long", "too long");
    if (norm_list(value(im, c, COL_INTERESTS), p->interests, sizeof(p->interests)) != BB_OK)
        field_err(im, line, COL_INTERESTS, "too_long", "too long");

    /* the person's own working week (bot/core/worktime.h); "" keeps what is stored */
    struct work_hours wh;
    char werr[200];
    work_hours_default(&wh);
    if (work_hours_parse(value(im, c, COL_WORK_DAYS), NULL, &wh, werr, sizeof(werr)) != BB_OK ||
        strlen(value(im, c, COL_WORK_DAYS)) >= caps[COL_WORK_DAYS])
        field_err(im, line, COL_WORK_DAYS, "work_days",
                  "working days must be like mon-fri or mon,tue,thu");
    if (work_hours_parse(NULL, value(im, c, COL_WORK_HOURS), &wh, werr, sizeof(werr)) != BB_OK)
        field_err(im, line, COL_WORK_HOURS, "work_hours", "working hours must be like 07:30-16:00");
    v = value(im, c, COL_GENDER);
    if (*v && !sapaan_gender_norm(v))
        field_err(im, line, COL_GENDER, "gender", "gender must be L (laki-laki) or P (perempuan)");
    else if (*v)
        bb_strlcpy(p->gender, sapaan_gender_norm(v), sizeof(p->gender));
    v = value(im, c, COL_PANGGILAN);
    if (strpbrk(v, "\n\r\t,{}"))
        field_err(im, line, COL_PANGGILAN, "panggilan",
                  "panggilan must be one line: the name to address the person by, e.g. Budi");
    else
        bb_strlcpy(p->panggilan, v, sizeof(p->panggilan));
    return im->rep->nerrors - before;
}

static int cmp_prow(const void *a, const void *b)
{
    const struct prow *x = a, *y = b;
    int r = strcmp(x->nip, y->nip);
    return r ? r : (x->line > y->line) - (x->line < y->line);
}

static int is_blank_record(struct csv *c)
{
    return c->nf == 1 && c->f[0].len == 0;
}

static int cmp_phone(const void *a, const void *b)
{
    const struct prow *x = a, *y = b;
    int r = strcmp(x->phone, y->phone);
    return r ? r : (x->line > y->line) - (x->line < y->line);
}

/* Is nip one of the file's rows (rows sorted by NIP)? Its index or -1. */
static int find_nip(const struct prow *rows, int n, const char *nip)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2, r = strcmp(rows[mid].nip, nip);
        if (r == 0)
            return mid;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* No phone number twice in the file, and none that belongs to another
 * person in the store who keeps it (not in the file, or in it with no
 * phone: an empty field keeps the stored one). rows are sorted by NIP on
 * entry and on return. BB_OK (errors are in the report) or a store
 * error. */
static int check_phones(struct imp *im, struct prow *rows, int n)
{
    struct prow *byp;
    int rc = BB_OK;
    if (n < 1)
        return BB_OK;
    byp = malloc((size_t)n * sizeof(*byp));
    if (!byp)
        return BB_ENOMEM;
    memcpy(byp, rows, (size_t)n * sizeof(*byp));
    qsort(byp, (size_t)n, sizeof(*byp), cmp_phone);
    for (int i = 1; i < n; i++)
        if (byp[i].phone[0] && strcmp(byp[i].phone, byp[i - 1].phone) == 0) {
            char other[16];
            bb_snprintf(other, sizeof(other), "%d", byp[i - 1].line);
            add_err(im->rep, "line %d, column %d (phone): phone number +%s is also on line %d",
                    byp[i].line, im->col_of[COL_PHONE], byp[i].phone, byp[i - 1].line);
            add_where(im->rep, byp[i].line, im->col_of[COL_PHONE], "phone", "phone.duplicate_file",
                      other);
        }
    free(byp);
    for (int i = 0; i < n && rc == BB_OK; i++) {
        struct store_person sp;
        int at;
        if (!rows[i].phone[0])
            continue;
        rc = store_person_by_phone(im->st, rows[i].phone, &sp);
        if (rc == BB_ENOTFOUND) {
            rc = BB_OK;
            continue;
        }
        if (rc != BB_OK) {
            add_err(im->rep, "database: %s", store_errmsg(im->st));
            break;
        }
        if (strcmp(sp.nip, rows[i].nip) == 0)
            continue;
        at = find_nip(rows, n, sp.nip);
        if (at >= 0 && rows[at].phone[0])
            continue; /* the other person gets another number (or this one twice: above) */
        add_err(im->rep,
                "line %d, column %d (phone): phone number +%s already belongs to %s (NIP %s)",
                rows[i].line, im->col_of[COL_PHONE], rows[i].phone, sp.name, sp.nip);
        add_where(im->rep, rows[i].line, im->col_of[COL_PHONE], "phone", "phone.duplicate_db",
                  sp.nip);
    }
    return rc;
}

/* Pass 1: read and check everything; rows[] gets each row's NIPs. */
static int validate(struct imp *im, const char *data, size_t len, struct prow **rows_out,
                    int *nrows_out)
{
    struct csv c;
    struct prow *rows = NULL;
    size_t alloc = 0;
    int n = 0, rc;
    csv_init(&c, data, len);
    rc = csv_next(&c);
    if (rc <= 0) {
        if (rc == 0 || rc == BB_EINVAL)
            add_err(im->rep, "line 1: %s", rc == 0 ? "the file is empty (no header row)" : c.err);
        csv_free(&c);
        return rc == 0 ? BB_EINVAL : rc;
    }
    int header_bad = parse_header(im, &c) > 0 && !(im->col_of[COL_NIP] && im->col_of[COL_NAME] &&
                                                   im->col_of[COL_UNIT] && im->col_of[COL_ROLE]);
    while ((rc = csv_next(&c)) == 1) {
        struct store_person p;
        if (is_blank_record(&c))
            continue;
        if (n >= PEOPLE_MAX_ROWS) {
            add_err(im->rep, "line %d: more than %d rows", c.rec_line, PEOPLE_MAX_ROWS);
            rc = BB_ELIMIT;
            break;
        }
        if ((size_t)n == alloc) {
            size_t na = alloc ? alloc * 2 : 64;
            struct prow *nr = realloc(rows, na * sizeof(*nr));
            if (!nr) {
                rc = BB_ENOMEM;
                break;
            }
            rows = nr;
            alloc = na;
        }
        im->rep->rows++;
        memset(&rows[n], 0, sizeof(rows[n]));
        rows[n].line = c.rec_line;
        memset(&p, 0, sizeof(p));
        if (!header_bad && check_row(im, &c, &p) == 0 && im->admin_fixed) {
            /* issue 14, Info: HR cannot make anyone (themselves included)
             * an admin, nor take the role from one */
            struct store_person old;
            int had = store_person_by_nip(im->st, p.nip, &old);
            if (had != BB_OK && had != BB_ENOTFOUND) {
                add_err(im->rep, "database: %s", store_errmsg(im->st));
                rc = had;
                break;
            }
            int was_admin = had == BB_OK && strcmp(old.role, "admin") == 0;
            if (was_admin != (strcmp(p.role, "admin") == 0))
                field_err(im, c.rec_line, COL_ROLE,
                          was_admin ? "role.admin_take" : "role.admin_give",
                          was_admin ? "only an admin may take the admin role from a person"
                                    : "only an admin may give the admin role");
        }
        bb_strlcpy(rows[n].nip, p.nip, sizeof(rows[n].nip));
        bb_strlcpy(rows[n].sup, p.supervisor_nip, sizeof(rows[n].sup));
        bb_strlcpy(rows[n].phone, p.phone, sizeof(rows[n].phone));
        n++;
    }
    if (rc == BB_EINVAL)
        add_err(im->rep, "line %d, column %d: %s", c.line, c.nf, c.err);
    csv_free(&c);
    if (rc < 0) {
        free(rows);
        return rc;
    }
    /* NIPs unique within the file; supervisors known. */
    if (n > 1) /* rows is NULL for a header-only file (issue 14, finding 13) */
        qsort(rows, (size_t)n, sizeof(*rows), cmp_prow);
    for (int i = 1; i < n; i++)
        if (rows[i].nip[0] && strcmp(rows[i].nip, rows[i - 1].nip) == 0) {
            char other[16];
            bb_snprintf(other, sizeof(other), "%d", rows[i - 1].line);
            add_err(im->rep, "line %d, column %d (nip): NIP %s is also on line %d", rows[i].line,
                    im->col_of[COL_NIP], rows[i].nip, rows[i - 1].line);
            add_where(im->rep, rows[i].line, im->col_of[COL_NIP], "nip", "nip.duplicate", other);
        }
    rc = check_phones(im, rows, n);
    if (rc) {
        free(rows);
        return rc;
    }
    for (int i = 0; i < n; i++) {
        struct prow key;
        struct store_person sp;
        if (!rows[i].sup[0])
            continue;
        memset(&key, 0, sizeof(key));
        bb_strlcpy(key.nip, rows[i].sup, sizeof(key.nip));
        key.line = 0;
        /* any row with that NIP: search for the first of equal NIPs */
        int lo = 0, hi = n, found = 0;
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            int r = strcmp(rows[mid].nip, key.nip);
            if (r == 0) {
                found = 1;
                break;
            }
            if (r < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (found)
            continue;
        rc = store_person_by_nip(im->st, rows[i].sup, &sp);
        if (rc == BB_ENOTFOUND) {
            add_err(im->rep,
                    "line %d, column %d (supervisor_nip): no person with NIP %s in this file "
                    "or already imported",
                    rows[i].line, im->col_of[COL_SUPERVISOR], rows[i].sup);
            add_where(im->rep, rows[i].line, im->col_of[COL_SUPERVISOR], "supervisor_nip",
                      "supervisor.unknown", rows[i].sup);
        } else if (rc) {
            add_err(im->rep, "database: %s", store_errmsg(im->st));
            free(rows);
            return rc;
        }
    }
    *rows_out = rows;
    *nrows_out = n;
    return im->rep->nerrors ? BB_EINVAL : BB_OK;
}

/* Pass 2: every row is known to be good; upsert them all. */
static int write_all(struct imp *im, const char *data, size_t len)
{
    struct csv c;
    int rc;
    csv_init(&c, data, len);
    rc = store_begin(im->st);
    if (rc) {
        add_err(im->rep, "database: %s", store_errmsg(im->st));
        csv_free(&c);
        return rc;
    }
    rc = csv_next(&c); /* header, already checked */
    while (rc == 1 && (rc = csv_next(&c)) == 1) {
        struct store_person p;
        int created = 0;
        if (is_blank_record(&c))
            continue;
        if (check_row(im, &c, &p) != 0) {
            rc = BB_EINVAL;
            break;
        }
        int64_t id = 0;
        rc = store_person_upsert(im->st, &p, &id, &created);
        if (rc == BB_OK) {
            const char *wd = value(im, &c, COL_WORK_DAYS), *wh = value(im, &c, COL_WORK_HOURS);
            if (wd[0] || wh[0])
                rc = store_work_set_hours(im->st, id, wd[0] ? wd : NULL, wh[0] ? wh : NULL);
        }
        if (rc) {
            add_err(im->rep, "line %d: database: %s", c.rec_line, store_errmsg(im->st));
            break;
        }
        if (created)
            im->rep->created++;
        else
            im->rep->updated++;
        rc = 1;
    }
    csv_free(&c);
    if (rc == 0)
        rc = store_commit(im->st);
    else
        store_rollback(im->st);
    if (rc) {
        im->rep->created = im->rep->updated = 0;
        if (rc != BB_EINVAL && im->rep->nerrors == 0)
            add_err(im->rep, "database: %s", store_errmsg(im->st));
    }
    return rc;
}

int people_import_mem(struct store *st, const char *data, size_t len,
                      struct people_import_report *rep)
{
    return people_import_mem_as(st, data, len, 1, rep);
}

int people_import_mem_as(struct store *st, const char *data, size_t len, int by_admin,
                         struct people_import_report *rep)
{
    struct imp im;
    struct prow *rows = NULL;
    int n = 0, rc;
    memset(rep, 0, sizeof(*rep));
    if (!st || (!data && len))
        return BB_EINVAL;
    if (len > PEOPLE_MAX_BYTES) {
        add_err(rep, "the file is larger than %u MiB", PEOPLE_MAX_BYTES / (1024 * 1024));
        return BB_ELIMIT;
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    memset(&im, 0, sizeof(im));
    im.st = st;
    im.rep = rep;
    im.admin_fixed = !by_admin;
    /* the day of the import in Indonesia's western zone (UTC+7) */
    im.today = cal_floor_div(bb_now() + 7 * 3600, 86400);
    rc = validate(&im, data ? data : "", len, &rows, &n);
    free(rows);
    if (rc)
        return rc;
    return write_all(&im, data, len);
}

int people_import_csv(struct store *st, const char *path, struct people_import_report *rep)
{
    FILE *f;
    char *buf = NULL;
    size_t len = 0, got;
    int rc;
    memset(rep, 0, sizeof(*rep));
    f = fopen(path, "rb");
    if (!f) {
        add_err(rep, "cannot open %s: %s", path, strerror(errno));
        return BB_EIO;
    }
    buf = malloc((size_t)PEOPLE_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        return BB_ENOMEM;
    }
    while ((got = fread(buf + len, 1, (size_t)PEOPLE_MAX_BYTES + 1 - len, f)) > 0) {
        len += got;
        if (len > PEOPLE_MAX_BYTES)
            break;
    }
    if (ferror(f)) {
        add_err(rep, "cannot read %s: %s", path, strerror(errno));
        rc = BB_EIO;
    } else {
        rc = people_import_mem(st, buf, len, rep);
    }
    fclose(f);
    free(buf);
    return rc;
}
