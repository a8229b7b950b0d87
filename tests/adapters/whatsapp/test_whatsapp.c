/*
 * test_whatsapp.c - the WhatsApp channel's webhook signature check
 * (X-Hub-Signature-256 = sha256=hex HMAC-SHA256(app secret, raw body)).
 * The rest of the channel is covered end to end by tests/e2e/whatsapp.test.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "adapters/whatsapp/whatsapp.h"
#include "tests/lib/fixture.h"

/* RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?" */
#define RFC_SIG "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
#define RFC_MSG "what do ya want for nothing?"

static void test_signature(void **state)
{
    (void)state;
    size_t n = strlen(RFC_MSG);
    assert_int_equal(wa_signature_ok("Jefe", RFC_MSG, n, RFC_SIG), 1);
    /* hex in upper case is the same digest */
    assert_int_equal(wa_signature_ok("Jefe", RFC_MSG, n,
                                     "sha256=5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC"
                                     "58B964EC3843"),
                     1);
    assert_int_equal(wa_signature_ok("Jefx", RFC_MSG, n, RFC_SIG), 0);      /* other secret */
    assert_int_equal(wa_signature_ok("Jefe", RFC_MSG, n - 1, RFC_SIG), 0);  /* other body */
    assert_int_equal(wa_signature_ok("Jefe", RFC_MSG, n, RFC_SIG "00"), 0); /* too long */
    assert_int_equal(wa_signature_ok("Jefe", RFC_MSG, n, RFC_SIG + 1), 0);  /* no prefix */
    assert_int_equal(wa_signature_ok("Jefe", RFC_MSG, n, "sha256="), 0);    /* empty */
    assert_int_equal(wa_signature_ok("Jefe", RFC_MSG, n, NULL), 0);         /* missing */
    assert_int_equal(wa_signature_ok("", RFC_MSG, n, RFC_SIG), 0);          /* no secret */
    assert_int_equal(wa_signature_ok(NULL, RFC_MSG, n, RFC_SIG), 0);
}

TFX_MAIN(cmocka_unit_test(test_signature))
