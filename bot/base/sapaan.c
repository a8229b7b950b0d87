/*
 * sapaan.c - the formal forms of address (sapaan.h): gender from the CSV
 * or the NIP, "Bapak"/"Ibu" with the first name, else "Anda". Called by the
 * core (the person as flows see it) and by modules that write to someone
 * in C (mentoring introductions). Pure; any thread.
 */
#include "bot/base/sapaan.h"
#include "bot/base/bb.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

char sapaan_gender(const char *csv_gender, const char *nip)
{
    if (csv_gender && (strcmp(csv_gender, "L") == 0 || strcmp(csv_gender, "P") == 0))
        return csv_gender[0];
    if (!nip || strlen(nip) != 18)
        return 0;
    for (int i = 0; i < 18; i++)
        if (!isdigit((unsigned char)nip[i]))
            return 0;
    /* digit 15 (index 14): 1 male, 2 female (Perka BKN 22/2007) */
    return nip[14] == '1' ? 'L' : nip[14] == '2' ? 'P' : 0;
}

const char *sapaan_gender_norm(const char *v)
{
    static const char *const male[] = {"l", "laki-laki", "laki laki", "pria", "m", "male"};
    static const char *const female[] = {"p", "perempuan", "wanita", "f", "female"};
    if (!v)
        return NULL;
    for (size_t i = 0; i < BB_ARRAY_LEN(male); i++)
        if (strcasecmp(v, male[i]) == 0)
            return "L";
    for (size_t i = 0; i < BB_ARRAY_LEN(female); i++)
        if (strcasecmp(v, female[i]) == 0)
            return "P";
    return NULL;
}

static void first_word(const char *name, char *out, size_t n)
{
    size_t k = 0;
    while (name && *name == ' ')
        name++;
    while (name && name[k] && name[k] != ' ' && k + 1 < n)
        k++;
    if (n == 0)
        return;
    if (name)
        memcpy(out, name, k);
    out[k] = '\0';
}

static void addressed(char gender, const char *name, int vocative, char *out, size_t n)
{
    char first[128];
    first_word(name, first, sizeof(first));
    if (gender == 'L' && first[0])
        bb_snprintf(out, n, "Bapak %s", first);
    else if (gender == 'P' && first[0])
        bb_snprintf(out, n, "Ibu %s", first);
    else if (vocative && first[0])
        bb_strlcpy(out, first, n);
    else
        bb_strlcpy(out, "Anda", n);
}

void sapaan_text(char gender, const char *name, char *out, size_t n)
{
    addressed(gender, name, 0, out, n);
}

void sapaan_name(char gender, const char *name, char *out, size_t n)
{
    addressed(gender, name, 1, out, n);
}
