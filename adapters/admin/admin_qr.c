/*
 * admin_qr.c - QR codes through libqrencode, drawn as SVG path data (see
 * admin_qr.h). Called by the dashboard's invites API and its tests.
 */
#include "adapters/admin/admin_qr.h"

#include <qrencode.h>
#include <string.h>

static QRcode *encode(const char *text)
{
    size_t len = text ? strlen(text) : 0;
    if (len == 0 || len > ADMIN_QR_TEXT_MAX)
        return NULL;
    return QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
}

int admin_qr_matrix(const char *text, unsigned char *out, size_t max, int *width)
{
    QRcode *q = encode(text);
    int rc = BB_OK;
    if (!q)
        return text && *text && strlen(text) <= ADMIN_QR_TEXT_MAX ? BB_ENOMEM : BB_EINVAL;
    *width = q->width;
    if ((size_t)q->width * (size_t)q->width > max)
        rc = BB_ELIMIT;
    for (int i = 0; rc == BB_OK && i < q->width * q->width; i++)
        out[i] = q->data[i] & 1;
    QRcode_free(q);
    return rc;
}

int admin_qr_path(const char *text, struct bb_buf *b, int *width)
{
    QRcode *q = encode(text);
    int rc = BB_OK, w;
    if (!q)
        return text && *text && strlen(text) <= ADMIN_QR_TEXT_MAX ? BB_ENOMEM : BB_EINVAL;
    w = *width = q->width;
    for (int y = 0; rc == BB_OK && y < w; y++) {
        int x = 0;
        while (rc == BB_OK && x < w) {
            int run = 0;
            while (x + run < w && (q->data[y * w + x + run] & 1))
                run++;
            if (run > 0)
                rc = bb_buf_printf(b, "M%d %dh%dv1h-%dz", x, y, run, run);
            x += run > 0 ? run : 1;
        }
    }
    QRcode_free(q);
    return rc;
}
