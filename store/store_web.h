/*
 * store_web.h - the web chat's own rows: sign-in sessions. A browser holds
 * a random token in a cookie; the store keeps only its SHA-256 (hex), the
 * web identity (ext_user) it is bound to and when it expires.
 *
 * Same thread rules and error codes as store.h (one thread at a time per
 * struct store; BB_ENOTFOUND for a missing row). Strings are copied.
 */
#ifndef STORE_WEB_H
#define STORE_WEB_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* A new session. BB_EEXIST if the hash is already there. */
int store_web_session_add(struct store *st, const char *token_hash, const char *ext_user,
                          int64_t now, int64_t expires_at);
/* The ext_user of a session that has not expired at now; BB_ENOTFOUND for
 * an unknown or expired one. */
int store_web_session_get(struct store *st, const char *token_hash, int64_t now, char *ext_user,
                          size_t n);
/* Record use and extend the expiry (sliding sessions). */
int store_web_session_touch(struct store *st, const char *token_hash, int64_t now,
                            int64_t expires_at);
/* Sign out: BB_ENOTFOUND when there was no such session. */
int store_web_session_delete(struct store *st, const char *token_hash);
/* Remove sessions expired before now; *n (may be NULL) how many. */
int store_web_session_prune(struct store *st, int64_t now, int *n);

#endif
