/* test_egress_multipart.c - egress_multipart() (adapters/net/egress.h), the
 * multipart/form-data body the Telegram and WhatsApp file uploads share:
 * fields in order then the file, the content type names the boundary, and
 * what would break the body (the boundary inside the file or a field, a
 * quote or line break in a name or type) is refused with nothing built. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "adapters/net/egress.h"
#include "bot/base/bb.h"
#include "tests/lib/fixture.h"

static const char *boundary_of(const struct egress_req *r)
{
    const char *b = strstr(r->content_type, "boundary=");
    assert_non_null(b);
    return b + 9;
}

static void test_body(void **state)
{
    (void)state;
    struct egress_req r;
    const struct egress_field f[] = {{"chat_id", "42"}, {"caption", "Data kamu"}};
    const char file[] = "{\"a\":1}";
    char want[1024];
    memset(&r, 0, sizeof(r));
    assert_int_equal(
        egress_multipart(&r, f, 2, "document", "data.json", "application/json", file, strlen(file)),
        BB_OK);
    assert_string_equal(r.content_type,
                        "multipart/form-data; boundary=bimbing-part-5f1c9e0a7b3d4e26a8c1");
    const char *b = boundary_of(&r);
    bb_snprintf(want, sizeof(want),
                "--%s\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n42\r\n"
                "--%s\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nData kamu\r\n"
                "--%s\r\nContent-Disposition: form-data; name=\"document\"; "
                "filename=\"data.json\"\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n"
                "--%s--\r\n",
                b, b, b, b);
    assert_int_equal(r.body_len, strlen(want));
    assert_memory_equal(r.body, want, r.body_len);
    free(r.body);
}

static void test_refused(void **state)
{
    (void)state;
    struct egress_req r;
    const struct egress_field ok[] = {{"chat_id", "42"}};
    const struct egress_field in_field[] = {{"caption", "x bimbing-part-5f1c9e0a7b3d4e26a8c1"}};
    const struct egress_field bad_name[] = {{"cap\"tion", "x"}};
    const char file_with[] = "..--bimbing-part-5f1c9e0a7b3d4e26a8c1..";
    memset(&r, 0, sizeof(r));
    assert_int_equal(egress_multipart(&r, ok, 1, "document", "d.json", "application/json",
                                      file_with, strlen(file_with)),
                     BB_EINVAL);
    assert_int_equal(
        egress_multipart(&r, in_field, 1, "document", "d.json", "application/json", "x", 1),
        BB_EINVAL);
    assert_int_equal(
        egress_multipart(&r, bad_name, 1, "document", "d.json", "application/json", "x", 1),
        BB_EINVAL);
    assert_int_equal(
        egress_multipart(&r, ok, 1, "document", "d\r\nX: y", "application/json", "x", 1),
        BB_EINVAL);
    assert_int_equal(egress_multipart(&r, ok, 1, "document", "d.json", "text/\"plain", "x", 1),
                     BB_EINVAL);
    assert_null(r.body); /* nothing built */
}

TFX_MAIN(cmocka_unit_test(test_body), cmocka_unit_test(test_refused))
