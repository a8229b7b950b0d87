/*
 * admin_qr.h - a QR code as SVG path data, for the printable invite sheet
 * (adapters/admin/admin_invites.c). The encoding is Debian's libqrencode
 * (level M, 8-bit mode); this file only draws its module matrix.
 *
 * Threads: any (libqrencode is reentrant). Pure: no state.
 */
#ifndef ADMIN_QR_H
#define ADMIN_QR_H

#include "bot/base/bb.h"

#define ADMIN_QR_TEXT_MAX 512 /* bytes of text a code may hold here */

/* The QR code of text: *width modules a side (without the quiet zone), and
 * the dark modules as SVG path data appended to b, one "M x y h w v1 h -w z"
 * per horizontal run of dark modules, in module units. BB_EINVAL for
 * empty or too long text, BB_ENOMEM, or bb_buf's BB_ELIMIT. */
int admin_qr_path(const char *text, struct bb_buf *b, int *width);

/* The module matrix itself: out[y * width + x] is 1 for a dark module.
 * out holds max bytes; BB_ELIMIT when width * width > max. */
int admin_qr_matrix(const char *text, unsigned char *out, size_t max, int *width);

#endif
