/*
 * people.h - import of people from a CSV file (the HR bureau's staff list)
 * into the store: `bimbing people import FILE.csv` and the HR dashboard's
 * upload.
 *
 * Thread rules: the thread that owns the struct store (the core thread in
 * the service, the main thread in the CLI). Nothing is kept between calls;
 * the report is the caller's.
 */
#ifndef PEOPLE_H
#define PEOPLE_H

#include <stddef.h>

#include "store/store.h"

#define PEOPLE_MAX_BYTES  (16u * 1024 * 1024) /* a larger file is refused */
#define PEOPLE_MAX_ROWS   100000              /* data rows in one file */
#define PEOPLE_MAX_ERRORS 20                  /* error texts kept in a report */

/* Where an error is and what kind it is, for a dashboard that says it in
 * the user's language: errors[i] is English; where[i] is the same error
 * as line (0: not about one line), column (1-based, 0: the whole row),
 * column name, a stable code ("nip.age", "phone.duplicate_file", ... as
 * listed in docs/api.md) and one argument (another line, a NIP; may be
 * ""). */
struct people_import_where {
    int line;
    int col;
    char column[24];
    char code[32];
    char arg[40];
};

struct people_import_report {
    int rows;    /* data rows read (blank lines not counted) */
    int created; /* people added */
    int updated; /* people already known by NIP, updated */
    int nerrors; /* every problem found; only the first 20 are in errors[] */
    char errors[PEOPLE_MAX_ERRORS][256];
    struct people_import_where where[PEOPLE_MAX_ERRORS];
};

/* Read FILE.csv (a header row; columns at least nip,name,unit,role;
 * NIPs of 18 digits with a plausible birth date, appointment month and
 * gender digit (people_nip.h) as of the day of the import; time zones that
 * exist in tzdata (or WIB, WITA, WIT); no phone number twice in the file
 * nor one that another person already has;
 * optional position,grade,language,timezone,phone,email,supervisor_nip,
 * strengths,interests, in any order, header names case-insensitive).
 * Every row is validated first; if any row is bad nothing changes, the
 * function returns BB_EINVAL and rep holds up to 20 errors, each
 * "line L, column C (name): reason". Otherwise all rows are upserted by NIP
 * in one transaction. BB_EIO when the file cannot be read, BB_ELIMIT when
 * it is larger than PEOPLE_MAX_BYTES or has more than PEOPLE_MAX_ROWS rows
 * (also described in rep). Empty optional fields keep what the store has
 * (new people get language id and time zone Asia/Jakarta). */
int people_import_csv(struct store *st, const char *path, struct people_import_report *rep);
/* The same from memory (the HR dashboard's upload). */
int people_import_mem(struct store *st, const char *data, size_t len,
                      struct people_import_report *rep);
/* The same, by an importer who is an admin (by_admin 1: the operator, an
 * admin) or not (0: HR). For HR a row that would give the admin role
 * (a new admin, or an existing person made admin) or take it from an
 * admin is an error of its role column, and nothing changes. */
int people_import_mem_as(struct store *st, const char *data, size_t len, int by_admin,
                         struct people_import_report *rep);

#endif
