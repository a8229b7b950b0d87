/*
 * telegram.h - the Telegram channel (see adapters/channel.h): long polling
 * or a webhook for ingress, sendMessage / editMessageText /
 * answerCallbackQuery for egress, setMyCommands per language at start.
 * Core thread only.
 */
#ifndef TELEGRAM_H
#define TELEGRAM_H

#include "adapters/channel.h"

int tg_chan_new(struct chan **out);

#endif
