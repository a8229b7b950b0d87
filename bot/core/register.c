/*
 * register.c - registration by invite code and by phone match (see
 * register.h). Core thread, inside the caller's transaction.
 */
#include "bot/core/register.h"
#include "bot/base/bb.h"

#include <ctype.h>
#include <string.h>

int reg_code_normalise(const char *in, char *out, size_t n)
{
    size_t k = 0;
    if (n < REG_CODE_LEN + 1)
        return BB_EINVAL;
    for (const char *p = in; *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        if (!isalnum((unsigned char)*p) || k >= REG_CODE_LEN)
            return BB_EINVAL;
        out[k++] = (char)toupper((unsigned char)*p);
    }
    out[k] = '\0';
    return k == REG_CODE_LEN ? BB_OK : BB_EINVAL;
}

int reg_code_in_text(const char *text, char *out, size_t n)
{
    const char *t = text ? text : "";
    while (isspace((unsigned char)*t))
        t++;
    if (strncmp(t, "/start", 6) == 0)
        t += 6;
    while (isspace((unsigned char)*t))
        t++;
    return reg_code_normalise(t, out, n) == BB_OK;
}

int reg_invite(struct store *st, int64_t person_id, int64_t ttl, int64_t now, char *code, size_t n)
{
    /* No 0/O, 1/I/L: codes get read aloud and typed on phones. */
    static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    unsigned char rnd[REG_CODE_LEN];
    char hash[65];
    if (n < REG_CODE_LEN + 1 || bb_random(rnd, sizeof(rnd)) != BB_OK)
        return BB_EINVAL;
    for (int i = 0; i < REG_CODE_LEN; i++)
        code[i] = alphabet[rnd[i] % (sizeof(alphabet) - 1)];
    code[REG_CODE_LEN] = '\0';
    bb_sha256_hex(code, REG_CODE_LEN, hash);
    return store_invite_add(st, person_id, hash, now, now + ttl);
}

int reg_link(struct store *st, const char *channel, const char *ext_user, int64_t pid,
             const char *how, int64_t now)
{
    int rc = store_identity_link(st, channel, ext_user, pid, now);
    if (rc == BB_OK)
        rc = store_audit(st, "system", "identity.link", pid, how, now);
    return rc;
}

int reg_redeem(struct store *st, const char *channel, const char *ext_user, const char *code,
               int64_t now, int *result, int64_t *pid)
{
    int64_t attempts = 0;
    char hash[65];
    int rc = store_attempts_count(st, channel, ext_user, now - 3600, &attempts);
    *pid = 0;
    *result = REG_BAD_CODE;
    if (rc != BB_OK)
        return rc;
    if (attempts >= REG_MAX_WRONG_CODES) {
        *result = REG_TOO_MANY;
        return BB_OK;
    }
    bb_sha256_hex(code, strlen(code), hash);
    rc = store_invite_redeem(st, hash, now, pid);
    if (rc == BB_ENOTFOUND || rc == BB_EEXPIRED) {
        *pid = 0;
        bb_log(BB_LOG_INFO, "core", "wrong invite code on %s", channel);
        return store_attempts_add(st, channel, ext_user, now);
    }
    if (rc != BB_OK)
        return rc;
    *result = REG_LINKED;
    return reg_link(st, channel, ext_user, *pid, channel, now);
}

int reg_phone_match(struct store *st, const char *phone, struct store_person *p)
{
    return store_person_by_phone(st, phone, p);
}

const char *reg_onboarding_flow(const struct flow_lib *lib)
{
    const struct flow *onb = lib ? flow_lib_by_event(lib, "first_contact") : NULL;
    return onb ? onb->id : NULL;
}
