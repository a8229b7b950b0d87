/*
 * sapaan.c - the formal forms of address (sapaan.h): gender from the CSV
 * or the NIP, "Bapak"/"Ibu" with the name one is called by (the CSV's
 * panggilan, or the first name without titles), else "Anda". Called by the
 * core (the person as flows see it) and by modules that write to someone
 * in C (mentoring introductions). Pure; any thread.
 */
#include "bot/base/sapaan.h"
#include "bot/base/bb.h"

#include <assert.h>
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

/* 1 when the word w (len bytes) is a title, not a name. */
static int is_title(const char *w, size_t len)
{
    static const char *const bare[] = {"prof", "dr", "drs", "dra", "ir", "h", "hj", "kh", "drg"};
    if (memchr(w, '.', len))
        return 1;
    for (size_t i = 0; i < BB_ARRAY_LEN(bare); i++)
        if (strlen(bare[i]) == len && strncasecmp(w, bare[i], len) == 0)
            return 1;
    return 0;
}

void sapaan_called(const char *panggilan, const char *name, char *out, size_t n)
{
    assert(out && n > 0);
    out[0] = '\0';
    while (panggilan && *panggilan == ' ')
        panggilan++;
    if (panggilan && *panggilan) {
        bb_strlcpy(out, panggilan, n);
        for (size_t k = strlen(out); k > 0 && out[k - 1] == ' '; k--)
            out[k - 1] = '\0';
        return;
    }
    if (!name)
        return;
    const char *end = strchr(name, ','), *p = name, *first = NULL;
    size_t first_len = 0;
    if (!end)
        end = name + strlen(name);
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        const char *w = p;
        while (p < end && *p != ' ')
            p++;
        size_t len = (size_t)(p - w);
        if (len == 0)
            break;
        if (!first) {
            first = w;
            first_len = len;
        }
        if (!is_title(w, len)) {
            first = w;
            first_len = len;
            break;
        }
    }
    if (first) {
        size_t k = first_len < n - 1 ? first_len : n - 1;
        memcpy(out, first, k);
        out[k] = '\0';
    }
}

static void addressed(char gender, const char *called, int vocative, char *out, size_t n)
{
    const char *c = called ? called : "";
    if (gender == 'L' && c[0])
        bb_snprintf(out, n, "Bapak %s", c);
    else if (gender == 'P' && c[0])
        bb_snprintf(out, n, "Ibu %s", c);
    else if (vocative && c[0])
        bb_strlcpy(out, c, n);
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

/* Set by core_set_config before the workers start; read-only afterwards. */
static int sapaan_reg_casual;

void sapaan_set_casual(int casual)
{
    sapaan_reg_casual = casual ? 1 : 0;
}

int sapaan_casual(void)
{
    return sapaan_reg_casual;
}
