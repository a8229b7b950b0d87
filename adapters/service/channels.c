/*
 * channels.c - the list of channels and what it hands the layers below (see
 * channels.h): the flow validator's label limits, the core's per-channel
 * capabilities, the configuration sections, invite links.
 *
 * Called by the program (adapters/service/) once at start-up, on the main
 * thread; the lookups are read-only and may run anywhere after that.
 */
#include "adapters/service/channels.h"
#include "adapters/console/console.h"
#include "adapters/telegram/telegram.h"
#include "adapters/webchat/webchat.h"
#include "adapters/whatsapp/whatsapp.h"
#include "bot/base/bb.h"
#include "bot/flow/flow.h"
#include "store/store.h"

#include <string.h>

/* In the order `serve` starts them. */
const struct chan_def *const chan_defs[] = {
    &webchat_chan_def, &tg_chan_def, &wa_chan_def, &console_chan_def, NULL,
};

const struct chan_def *chan_def_find(const char *name)
{
    for (int i = 0; chan_defs[i]; i++)
        if (strcmp(chan_defs[i]->name, name) == 0)
            return chan_defs[i];
    return NULL;
}

const struct chan_caps *chan_caps_of(const char *name)
{
    const struct chan_def *d = chan_def_find(name);
    return d ? d->caps : NULL;
}

/* Every channel's button and list limits, for the flow validator: a flow
 * with a label some channel cannot show is refused. */
static void set_label_limits(void)
{
    struct flow_label_limit v[FLOW_LABEL_LIMITS_MAX];
    int n = 0;
    for (int i = 0; chan_defs[i] && n + 2 <= FLOW_LABEL_LIMITS_MAX; i++) {
        const struct chan_def *d = chan_defs[i];
        const struct chan_caps *c = d->caps;
        if (c->buttons_max > 0 && c->button_label_max > 0) {
            v[n].max_opts = c->buttons_max;
            v[n].max_chars = c->button_label_max;
            bb_snprintf(v[n].what, sizeof(v[n].what), "a %s reply button", d->title);
            n++;
        }
        if (c->list_rows_max > 0 && c->list_label_max > 0) {
            v[n].max_opts = c->list_rows_max;
            v[n].max_chars = c->list_label_max;
            bb_snprintf(v[n].what, sizeof(v[n].what), "a %s list row", d->title);
            n++;
        }
    }
    flow_set_label_limits(v, n);
}

int chan_config_load(struct config *c, const char *path, int path_required, char *err,
                     size_t errlen)
{
    const struct config_section *sections[CONFIG_SECTIONS_MAX];
    int n = 0;
    set_label_limits();
    for (int i = 0; chan_defs[i] && n < CONFIG_SECTIONS_MAX; i++)
        if (chan_defs[i]->config)
            sections[n++] = chan_defs[i]->config;
    return config_load(c, path, path_required, sections, n, err, errlen);
}

int chan_core_setup(struct core *core)
{
    int rc = BB_OK;
    for (int i = 0; chan_defs[i] && rc == BB_OK; i++) {
        struct core_chan_caps cc = {.edits_sent = chan_defs[i]->caps->edits_sent};
        rc = core_set_channel_caps(core, chan_defs[i]->name, &cc);
    }
    return rc;
}

int chan_store_setup(struct store *st)
{
    int rc = BB_OK;
    for (int i = 0; chan_defs[i] && rc == BB_OK; i++)
        for (const char *const *t = chan_defs[i]->store_tables; t && *t && rc == BB_OK; t++)
            rc = store_set_table_channel(st, *t, chan_defs[i]->name);
    return rc;
}

void chan_print_invite_links(const struct config *cfg, const char *code, FILE *out)
{
    char link[256];
    for (int i = 0; chan_defs[i]; i++)
        if (chan_defs[i]->invite_link &&
            chan_defs[i]->invite_link(cfg, code, link, sizeof(link)) == BB_OK)
            fprintf(out, "%s: %s\n", chan_defs[i]->title, link);
}

int chan_invite_link(const struct config *cfg, const char *name, const char *code, char *out,
                     size_t n)
{
    const struct chan_def *d = chan_def_find(name);
    int rc = BB_ENOTFOUND;
    if (n)
        out[0] = '\0';
    if (d && d->invite_link)
        rc = d->invite_link(cfg, code, out, n);
    if (rc != BB_OK && n)
        out[0] = '\0';
    return rc;
}
