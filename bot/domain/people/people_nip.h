/*
 * people_nip.h - the checks of one people-import value that need more than
 * its shape: a civil servant's NIP (Nomor Induk Pegawai) and a time zone
 * that exists. Used by the CSV import (people.c: `bimbing people import`
 * and the dashboard's upload share it) and by the unit tests.
 *
 * An NIP is 18 digits:
 *   1-8   birth date YYYYMMDD: a real date, the person 17 to 70 years old
 *         on the day of the import
 *   9-14  appointment (TMT CPNS) YYYYMM: a real month, not before the
 *         month the person turned 17, not after the month of the import
 *   15    gender: 1 (laki-laki) or 2 (perempuan)
 *   16-18 a serial number
 *
 * Pure functions; any thread.
 */
#ifndef PEOPLE_NIP_H
#define PEOPLE_NIP_H

#include <stddef.h>
#include <stdint.h>

#define PEOPLE_NIP_LEN     18
#define PEOPLE_NIP_MIN_AGE 17
#define PEOPLE_NIP_MAX_AGE 70

/* Why the NIP is wrong (a short English sentence, static), or NULL when
 * it is plausible on the civil day `today` (days since 1970-01-01,
 * cal_days_from_civil). *code (may be NULL) gets a short stable key of
 * the problem ("nip.format", "nip.birth", "nip.age", "nip.appointed",
 * "nip.appointed_early", "nip.appointed_future", "nip.gender") that the
 * dashboard translates. */
const char *people_nip_problem(const char *nip, int64_t today, const char **code);

/* Does the time zone exist? IANA names that tzdata has (Asia/Jakarta,
 * UTC) or WIB, WITA, WIT (any case). The canonical name goes to out
 * ("Asia/Jakarta" for WIB). 1 yes, 0 no. */
int people_tz_exists(const char *name, char *out, size_t n);

#endif
