/*
 * test_consent_gate.c - the core's consent gate (bot/core/consent.c,
 * consent_gate): onboarding and privacy flows that store nothing run for a
 * person who has not finished onboarding; a privacy flow that declares a
 * category does not slip past the gate; storing flows need their consent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/core/consent.h"

static struct flow mk(const char *kind, unsigned stores)
{
    struct flow f;
    memset(&f, 0, sizeof(f));
    bb_strlcpy(f.kind, kind, sizeof(f.kind));
    f.stores = stores;
    return f;
}

static const struct consent_state never = {{-1, -1, -1, -1}};
static const struct consent_state data_only = {{1, -1, -1, -1}};

static void test_rights_before_onboarding(void **state)
{
    (void)state;
    int missing = 7;
    struct flow priv = mk("privacy", 0), onb = mk("onboarding", 0);
    assert_int_equal(consent_gate(&never, &priv, &missing), CONSENT_GATE_OK);
    assert_int_equal(missing, -1);
    assert_int_equal(consent_gate(&never, &onb, &missing), CONSENT_GATE_OK);
    struct flow sys = mk("system", 0);
    assert_int_equal(consent_gate(&never, &sys, &missing), CONSENT_GATE_ONBOARDING);
}

static void test_storing_privacy_flow_is_gated(void **state)
{
    (void)state;
    int missing = -1;
    struct flow f = mk("privacy", 1u << FLOW_CAT_HEALTH);
    assert_int_equal(consent_gate(&never, &f, &missing), CONSENT_GATE_ONBOARDING);
    assert_int_equal(consent_gate(&data_only, &f, &missing), CONSENT_GATE_MISSING);
    assert_int_equal(missing, CONSENT_HEALTH);
    struct flow c = mk("coaching", 1u << FLOW_CAT_CHECKIN);
    assert_int_equal(consent_gate(&data_only, &c, &missing), CONSENT_GATE_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rights_before_onboarding),
        cmocka_unit_test(test_storing_privacy_flow_is_gated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
