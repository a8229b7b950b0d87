/*
 * privacy_api.c - the HR dashboard's hooks for erasure requests (see
 * adapters/admin/admin_hooks.h for the contract): the list, a hold with a
 * written reason, a release; the same code as `bimbing erasure`. Called by
 * adapters/admin through admin_hooks, on the core thread.
 */
#include "bot/domain/privacy/privacy.h"
#include "bot/base/bb.h"

#include <string.h>

/* The store's states as the hook contract's codes: not in the state the
 * change needs is a conflict (409). */
static int api_rc(int rc)
{
    return rc == BB_ESTATE ? BB_EEXIST : rc;
}

int privacy_admin_erasures(const struct domain_ctx *d, cJSON **out, char *err)
{
    cJSON *arr = NULL;
    int rc = privacy_erasure_json(d, &arr);
    (void)err;
    *out = NULL;
    if (rc != BB_OK)
        return rc;
    if (!(*out = cJSON_CreateObject())) {
        cJSON_Delete(arr);
        return BB_ENOMEM;
    }
    cJSON_AddItemToObject(*out, "erasures", arr);
    return BB_OK;
}

static int one(const struct domain_ctx *d, int64_t id, cJSON **out)
{
    cJSON *arr = NULL;
    int rc = privacy_erasure_json(d, &arr);
    *out = NULL;
    if (rc != BB_OK)
        return rc;
    for (cJSON *e = arr ? arr->child : NULL; e; e = e->next) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "id");
        if (cJSON_IsNumber(v) && (int64_t)v->valuedouble == id) {
            *out = cJSON_DetachItemViaPointer(arr, e);
            break;
        }
    }
    cJSON_Delete(arr);
    return *out ? BB_OK : BB_ENOTFOUND;
}

int privacy_admin_hold(const struct domain_ctx *d, int64_t id, const char *reason,
                       const char *actor, cJSON **out, char *err)
{
    int rc = privacy_erasure_hold(d, id, actor, reason, err, 256);
    *out = NULL;
    return rc == BB_OK ? one(d, id, out) : api_rc(rc);
}

int privacy_admin_release(const struct domain_ctx *d, int64_t id, const char *actor, cJSON **out,
                          char *err)
{
    int rc = privacy_erasure_release(d, id, actor, err, 256);
    *out = NULL;
    return rc == BB_OK ? one(d, id, out) : api_rc(rc);
}
