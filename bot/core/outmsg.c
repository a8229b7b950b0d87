/*
 * outmsg.c - encode and decode outbox message bodies (see outmsg.h).
 * Pure; any thread.
 */
#include "bot/core/outmsg.h"
#include "bot/base/bb.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

void outmsg_clear(struct outmsg *m)
{
    free(m->text);
    free(m->choices);
    free(m->doc_data);
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

/* A file name a platform and a browser can take as it is: 1..127 bytes,
 * no path separators, no control characters, not "." or "..". */
static int doc_name_ok(const char *n)
{
    size_t len = strlen(n);
    if (len == 0 || len >= 128 || strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
        return 0;
    for (const unsigned char *p = (const unsigned char *)n; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\' || *p == '"')
            return 0;
    return 1;
}

/* type/subtype of letters, digits and "+-.". */
static int doc_type_ok(const char *t)
{
    int slash = 0;
    if (!t[0] || strlen(t) >= 64)
        return 0;
    for (const char *p = t; *p; p++) {
        if (*p == '/')
            slash++;
        else if (!isalnum((unsigned char)*p) && !strchr("+-.", *p))
            return 0;
    }
    return slash == 1 && t[0] != '/' && t[strlen(t) - 1] != '/';
}

static int add_doc(cJSON *b, const struct outmsg *m)
{
    char *b64 = NULL;
    int rc;
    cJSON *d;
    if (!doc_name_ok(m->doc_name) || !doc_type_ok(m->doc_type) || !m->doc_data || !m->doc_len)
        return BB_EINVAL;
    if (m->doc_len > OUTMSG_DOC_MAX)
        return BB_ELIMIT;
    if ((rc = bb_base64_encode(m->doc_data, m->doc_len, &b64)) != BB_OK)
        return rc;
    rc = BB_ENOMEM;
    if ((d = cJSON_AddObjectToObject(b, "doc")) &&
        cJSON_AddStringToObject(d, "name", m->doc_name) &&
        cJSON_AddStringToObject(d, "type", m->doc_type) &&
        cJSON_AddNumberToObject(d, "size", (double)m->doc_len) &&
        cJSON_AddStringToObject(d, "data", b64))
        rc = BB_OK;
    free(b64);
    return rc;
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
    if (m->kind == OUTMSG_DOC && (rc = add_doc(b, m)) != BB_OK)
        goto out;
    rc = BB_ENOMEM;
    if ((*json = cJSON_PrintUnformatted(b)) != NULL)
        rc = BB_OK;
out:
    cJSON_Delete(b);
    return rc;
}

int outmsg_encode_doc(const char *name, const char *type, const void *data, size_t len,
                      const char *caption, char **json)
{
    struct outmsg m;
    memset(&m, 0, sizeof(m));
    *json = NULL;
    m.kind = OUTMSG_DOC;
    m.text = (char *)caption;
    if (bb_strlcpy(m.doc_name, name, sizeof(m.doc_name)) != BB_OK ||
        bb_strlcpy(m.doc_type, type, sizeof(m.doc_type)) != BB_OK)
        return BB_EINVAL;
    m.doc_data = (unsigned char *)data;
    m.doc_len = len;
    return outmsg_encode(&m, json);
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

static int decode_doc(const cJSON *doc, struct outmsg *m)
{
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(doc, "data");
    size_t n;
    if (!cJSON_IsObject(doc) ||
        !copy_str(cJSON_GetObjectItemCaseSensitive(doc, "name"), m->doc_name,
                  sizeof(m->doc_name)) ||
        !copy_str(cJSON_GetObjectItemCaseSensitive(doc, "type"), m->doc_type,
                  sizeof(m->doc_type)) ||
        !doc_name_ok(m->doc_name) || !doc_type_ok(m->doc_type) || !cJSON_IsString(data))
        return BB_EINVAL;
    n = strlen(data->valuestring);
    if (n == 0 || n > (size_t)OUTMSG_DOC_MAX / 3 * 4 + 4)
        return BB_EINVAL;
    if (bb_base64_decode(data->valuestring, n, &m->doc_data, &m->doc_len) != BB_OK ||
        m->doc_len == 0 || m->doc_len > OUTMSG_DOC_MAX)
        return BB_EINVAL;
    m->kind = OUTMSG_DOC;
    return BB_OK;
}

int outmsg_decode(const char *body, struct outmsg *m)
{
    cJSON *b = body ? cJSON_Parse(body) : NULL;
    const cJSON *text, *choices, *doc;
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
    if ((doc = cJSON_GetObjectItemCaseSensitive(b, "doc")) != NULL) {
        rc = decode_doc(doc, m);
        if (rc != BB_OK)
            goto out;
        rc = BB_EINVAL;
    }
    if (!text && !m->answered[0] && !m->stale[0] && m->kind != OUTMSG_DOC)
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

int outmsg_doc_delivered(const char *body, char **json)
{
    struct outmsg m;
    char note[192];
    int rc;
    *json = NULL;
    if (!body || !strstr(body, "\"doc\":")) /* a key: quotes inside strings are escaped */
        return BB_ENOTFOUND;
    if ((rc = outmsg_decode(body, &m)) != BB_OK)
        return rc;
    if (m.kind != OUTMSG_DOC) {
        outmsg_clear(&m);
        return BB_ENOTFOUND;
    }
    bb_snprintf(note, sizeof(note), "[%s]", m.doc_name);
    rc = outmsg_encode_text(m.text ? m.text : note, json);
    outmsg_clear(&m);
    return rc;
}
