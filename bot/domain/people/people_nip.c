/*
 * people_nip.c - the NIP's birth date, appointment month and gender digit,
 * and time zones checked against tzdata (people_nip.h). Called by the
 * people import only.
 */
#include "bot/domain/people/people_nip.h"

#include <string.h>
#include <strings.h>

#include "bot/base/bb.h"
#include "bot/base/cal.h"
#include "bot/base/tz.h"

/* n digits of s as a number (s known to be digits). */
static int digits_at(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

#define FAIL(c, msg)                                                                               \
    do {                                                                                           \
        if (code)                                                                                  \
            *code = (c);                                                                           \
        return (msg);                                                                              \
    } while (0)

const char *people_nip_problem(const char *nip, int64_t today, const char **code)
{
    size_t len = nip ? strlen(nip) : 0;
    int64_t ty, by, ay;
    int tm, td, bm, bd, am;

    if (len != PEOPLE_NIP_LEN)
        FAIL("nip.format", "NIP must be exactly 18 digits");
    for (size_t i = 0; i < len; i++)
        if (nip[i] < '0' || nip[i] > '9')
            FAIL("nip.format", "NIP must be exactly 18 digits");
    by = digits_at(nip, 4);
    bm = digits_at(nip + 4, 2);
    bd = digits_at(nip + 6, 2);
    if (!cal_valid(by, bm, bd))
        FAIL("nip.birth", "digits 1-8 of the NIP must be a birth date YYYYMMDD");
    cal_civil_from_days(today, &ty, &tm, &td);
    /* age in whole years on today */
    int64_t age = ty - by - ((tm < bm || (tm == bm && td < bd)) ? 1 : 0);
    if (age < PEOPLE_NIP_MIN_AGE || age > PEOPLE_NIP_MAX_AGE)
        FAIL("nip.age", "the birth date in the NIP (digits 1-8) gives an age outside 17-70");
    ay = digits_at(nip + 8, 4);
    am = digits_at(nip + 12, 2);
    if (am < 1 || am > 12)
        FAIL("nip.appointed", "digits 9-14 of the NIP must be an appointment month YYYYMM");
    if (ay * 12 + am < (by + PEOPLE_NIP_MIN_AGE) * 12 + bm)
        FAIL("nip.appointed_early",
             "the appointment month in the NIP (digits 9-14) is before the person turned 17");
    if (ay * 12 + am > ty * 12 + tm)
        FAIL("nip.appointed_future",
             "the appointment month in the NIP (digits 9-14) is in the future");
    if (nip[14] != '1' && nip[14] != '2')
        FAIL("nip.gender", "digit 15 of the NIP (gender) must be 1 or 2");
    if (code)
        *code = NULL;
    return NULL;
}

int people_tz_exists(const char *name, char *out, size_t n)
{
    struct tz *z = NULL;
    int ok;
    if (!name || !*name)
        return 0;
    if (tz_load(name, &z) != BB_OK)
        return 0;
    ok = bb_strlcpy(out, tz_name(z), n) == BB_OK;
    tz_free(z);
    return ok;
}
