/*
 * coaching.h - development goals and learning hours (JP), wellbeing (WHO-5), GROW, BerAKHLAK
 * reflections, feedback, mentor requests. A domain module (see bot/core/domain.h): the actions the
 * coaching flows call (flows/FORMAT.md §7 lists them), and person fields (person.jp_year,
 * person.goals_open, person.value_of_week...). Core thread / CLI only; no mutable global state.
 *
 * The pure helpers below are exported for the unit tests and for other modules.
 */
#ifndef COACHING_H
#define COACHING_H

#include <stddef.h>
#include <stdint.h>

#include "bot/core/domain.h"

extern const struct domain_module coaching_module;

/* WHO-5: five items 0..5. *raw 0..25, *score raw x 4 (0..100), *low 1 when
 * raw < 13 or any item is 0 or 1 (a caring follow-up is due). BB_EINVAL for
 * an item out of range (outputs untouched). */
int coaching_who5(const int items[5], int *raw, int *score, int *low);

/* JP: 1 JP = 45 minutes. Minutes to tenths and hundredths of a JP, rounded
 * to the nearest (a minute count never lands on a half). */
int64_t coaching_jp_tenths(int64_t minutes);
int64_t coaching_jp_hundredths(int64_t minutes);

/* The UTC offset (seconds) of a person's zone at `now`: WIB/WITA/WIT and
 * their IANA names directly, other zones from tzdata, else WIB. */
int coaching_tz_offset(const char *tz, int64_t now);
/* The local date "YYYY-MM-DD" (out >= 11 bytes) and ISO week "YYYY-Www"
 * (out >= 9 bytes) of local time t (Unix seconds + offset). */
void coaching_local_day(int64_t local, char *out, size_t n);
void coaching_iso_week(int64_t local, char *out, size_t n);

/* BerAKHLAK: the seven ASN core values, in order, with their key behaviours
 * (our own wording of SE MenPANRB 20/2021). */
#define COACHING_NVALUES 7
struct coaching_value {
    const char *key;              /* stable id: "berorientasi_pelayanan", "akuntabel", ... */
    const char *name;             /* "Berorientasi Pelayanan" (the same in both languages) */
    const char *meaning[2];       /* [0] Indonesian, [1] English */
    const char *behaviours[2][3]; /* three key behaviours per language */
};
extern const struct coaching_value coaching_values[COACHING_NVALUES];
/* The value of the local week of t: one a week, rotating through the seven
 * without a break at New Year (weeks counted from Monday 1970-01-05). */
int coaching_value_index(int64_t local);
/* The index of a value key, -1 if none. */
int coaching_value_find(const char *key);

/* Competency tags as typed ("Kepemimpinan, analisis data;  Excel") to the
 * stored form: lower case (ASCII), trimmed, comma-separated, duplicates and
 * empty tags dropped, at most 20 tags. BB_EINVAL when none is left,
 * BB_ELIMIT when out is too small. */
int coaching_tags_normalise(const char *in, char *out, size_t n);

#endif
