/*
 * channels.h - the channels of this program (adapters/channel.h describes
 * one) and what the program hands the layers below from their
 * descriptions: label limits to the flow validator, the capabilities the
 * core needs to the core, their sections to the configuration loader,
 * invite links to `bimbing invite`.
 *
 * Called by main (adapters/service/main.c) and the service loop once at
 * start-up, on the main thread; the lookups are read-only afterwards.
 */
#ifndef CHANNELS_H
#define CHANNELS_H

#include <stddef.h>
#include <stdio.h>

#include "adapters/channel.h"
#include "bot/core/config.h"
#include "bot/core/core.h"

/* Every channel, NULL-terminated, in the order `serve` starts them. */
extern const struct chan_def *const chan_defs[];
const struct chan_def *chan_def_find(const char *name);
/* The capabilities of a channel by its store name; NULL for none we have. */
const struct chan_caps *chan_caps_of(const char *name);

/* config_load with every channel's section, after giving the flow
 * validator every channel's label limits (so call it before flows load). */
int chan_config_load(struct config *c, const char *path, int path_required, char *err,
                     size_t errlen);
/* Tell the core what it needs of each channel (core_set_channel_caps). */
int chan_core_setup(struct core *core);
/* Tell the store which channel owns which of its personal tables (every
 * chan_def's store_tables), for export and forget. Right after store_open. */
struct store;
int chan_store_setup(struct store *st);
/* Print "Title: link" for each channel with an invite link for code. */
void chan_print_invite_links(const struct config *cfg, const char *code, FILE *out);
/* The invite link of code on the channel named name (its store name:
 * "telegram", "web"): BB_OK, or BB_ENOTFOUND when that channel has none
 * (e.g. Telegram without a username); out is "" then. */
int chan_invite_link(const struct config *cfg, const char *name, const char *code, char *out,
                     size_t n);

#endif
