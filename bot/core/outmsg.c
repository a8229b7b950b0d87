/*
 * outmsg.c - encode and decode outbox message bodies (see outmsg.h).
 * Pure; any thread.
 */
#include "bot/core/outmsg.h"
#include "bot/base/bb.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

void outmsg_clear(struct outmsg *m)
{
    free(m->text);
    free(m->choices);
    memset(m, 0, sizeof(*m));
}

static int add_choices(cJSON *b, const struct outmsg *m)
{
    cJSON *arr = cJSON_AddArrayToObject(b, "choices");
    if (!arr)
        return BB_ENOMEM;
    for (int k = 0; k < m->nchoices; k++) {
        cJSON *ch = cJSON_CreateObject();
        if (!ch)
            return BB_ENOMEM;
        cJSON_AddItemToArray(arr, ch);
        if (!cJSON_AddStringToObject(ch, "id", m->choices[k].id) ||
            !cJSON_AddStringToObject(ch, "label", m->choices[k].label))
            return BB_ENOMEM;
    }
    return BB_OK;
}

int outmsg_encode(const struct outmsg *m, char **json)
{
    cJSON *b;
    int rc = BB_ENOMEM;

    *json = NULL;
    if (!m->text && m->kind == OUTMSG_SAY)
        return BB_EINVAL;
    if (m->nchoices < 0 || (m->nchoices > 0 && !m->choices))
        return BB_EINVAL;
    if (!(b = cJSON_CreateObject()))
        return BB_ENOMEM;
    if (m->kind == OUTMSG_ANSWERED && !cJSON_AddStringToObject(b, "answered", m->answered))
        goto out;
    if (m->kind == OUTMSG_STALE && !cJSON_AddStringToObject(b, "stale", m->stale))
        goto out;
    if (m->text && !cJSON_AddStringToObject(b, "text", m->text))
        goto out;
    if (m->q[0] && !cJSON_AddStringToObject(b, "q", m->q))
        goto out;
    if (m->nchoices > 0 && add_choices(b, m) != BB_OK)
        goto out;
    if ((*json = cJSON_PrintUnformatted(b)) != NULL)
        rc = BB_OK;
out:
    cJSON_Delete(b);
    return rc;
}

int outmsg_encode_text(const char *text, char **json)
{
    struct outmsg m;
    memset(&m, 0, sizeof(m));
    m.text = (char *)text;
    return outmsg_encode(&m, json);
}

/* 1 when v is a string (copied into dst), else 0. */
static int copy_str(const cJSON *v, char *dst, size_t n)
{
    if (!cJSON_IsString(v))
        return 0;
    bb_strlcpy(dst, v->valuestring, n);
    return 1;
}

int outmsg_decode(const char *body, struct outmsg *m)
{
    cJSON *b = body ? cJSON_Parse(body) : NULL;
    const cJSON *text, *choices;
    int rc = BB_EINVAL;

    memset(m, 0, sizeof(*m));
    if (!cJSON_IsObject(b))
        goto out;
    text = cJSON_GetObjectItemCaseSensitive(b, "text");
    choices = cJSON_GetObjectItemCaseSensitive(b, "choices");
    if (copy_str(cJSON_GetObjectItemCaseSensitive(b, "stale"), m->stale, sizeof(m->stale)))
        m->kind = OUTMSG_STALE;
    if (copy_str(cJSON_GetObjectItemCaseSensitive(b, "answered"), m->answered, sizeof(m->answered)))
        m->kind = OUTMSG_ANSWERED;
    copy_str(cJSON_GetObjectItemCaseSensitive(b, "q"), m->q, sizeof(m->q));
    if (text && !cJSON_IsString(text))
        goto out;
    if (!text && !m->answered[0] && !m->stale[0])
        goto out;
    if (cJSON_IsString(text)) {
        size_t n = strlen(text->valuestring);
        if (n > OUTMSG_TEXT_MAX)
            goto out;
        if (!(m->text = malloc(n + 1))) {
            rc = BB_ENOMEM;
            goto out;
        }
        memcpy(m->text, text->valuestring, n + 1);
    }
    if (cJSON_IsArray(choices)) {
        int n = cJSON_GetArraySize(choices);
        if (n > OUTMSG_CHOICES_MAX)
            goto out;
        if (!(m->choices = calloc((size_t)n + 1, sizeof(*m->choices)))) {
            rc = BB_ENOMEM;
            goto out;
        }
        for (const cJSON *c = choices->child; c; c = c->next) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
            const cJSON *lab = cJSON_GetObjectItemCaseSensitive(c, "label");
            if (!cJSON_IsString(id) || !cJSON_IsString(lab))
                goto out;
            bb_strlcpy(m->choices[m->nchoices].id, id->valuestring, sizeof(m->choices[0].id));
            bb_strlcpy(m->choices[m->nchoices].label, lab->valuestring,
                       sizeof(m->choices[0].label));
            m->nchoices++;
        }
    }
    rc = BB_OK;
out:
    cJSON_Delete(b);
    if (rc != BB_OK)
        outmsg_clear(m);
    return rc;
}
