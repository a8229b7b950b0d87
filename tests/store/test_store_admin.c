/* test_store_admin.c - the HR dashboard's rows in the store: sessions (add,
 * expiry, touch, delete, prune, export and forget), and the aggregates
 * (reach per channel, check-ins per week with mood counts, outbox counts,
 * the people search with LIKE escaping, the audit list). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bot/base/bb.h"
#include "store/store.h"
#include "store/store_admin.h"
#include "tests/lib/fixture.h"

struct fx {
    TFX_STORE_FIELDS;
};

#define H1 "1111111111111111111111111111111111111111111111111111111111111111"
#define H2 "2222222222222222222222222222222222222222222222222222222222222222"

TFX_STORE_SETUP_INIT(fx, setup, TFX_NOTHING)
TFX_STORE_TEARDOWN_FINI(fx, teardown, TFX_NOTHING)

static void test_sessions(void **state)
{
    struct fx *f = *state;
    struct store_admin_session s;
    int n = 0;
    int64_t pid = tfx_person_in(f->st, "1001", "Siti", "Biro SDM", "hr");

    assert_int_equal(store_admin_session_add(f->st, H1, pid, 100, 200), BB_OK);
    assert_int_equal(store_admin_session_add(f->st, H1, pid, 100, 200), BB_EEXIST);
    assert_int_equal(store_admin_session_add(f->st, "short", pid, 100, 200), BB_EINVAL);
    assert_int_equal(store_admin_session_add(f->st, H2, 0, 100, 150), BB_OK);
    assert_int_equal(store_admin_session_get(f->st, H1, 199, &s), BB_OK);
    assert_int_equal(s.person_id, pid);
    assert_int_equal(s.created_at, 100);
    assert_int_equal(store_admin_session_get(f->st, H1, 200, &s), BB_ENOTFOUND); /* expired */
    assert_int_equal(store_admin_session_touch(f->st, H1, 190, 400), BB_OK);
    assert_int_equal(store_admin_session_get(f->st, H1, 300, &s), BB_OK);
    assert_int_equal(s.last_seen, 190);
    assert_int_equal(store_admin_session_touch(f->st, "x", 190, 400), BB_ENOTFOUND);
    assert_int_equal(store_admin_session_prune(f->st, 160, &n), BB_OK);
    assert_int_equal(n, 1); /* the operator's, expired at 150 */
    assert_int_equal(store_admin_session_get(f->st, H2, 100, &s), BB_ENOTFOUND);

    /* export names the session without its hash; forget erases it */
    cJSON *ex = NULL;
    assert_int_equal(store_person_export(f->st, pid, &ex), BB_OK);
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(ex, "admin_sessions");
    assert_int_equal(cJSON_GetArraySize(a), 1);
    char *txt = cJSON_PrintUnformatted(ex);
    assert_null(strstr(txt, H1));
    cJSON_free(txt);
    cJSON_Delete(ex);
    assert_int_equal(store_person_forget(f->st, pid, 500, NULL), BB_OK);
    assert_int_equal(store_admin_session_get(f->st, H1, 300, &s), BB_ENOTFOUND);
    assert_int_equal(store_admin_session_delete(f->st, H1), BB_ENOTFOUND);
}

static void test_aggregates(void **state)
{
    struct fx *f = *state;
    int64_t a = tfx_person_in(f->st, "1001", "Ayu", "Biro SDM", "hr");
    int64_t b = tfx_person_in(f->st, "1002", "Budi", "Dinas_Kominfo", "hr");
    int64_t c = tfx_person_in(f->st, "1003", "Citra 100%", "Bappeda", "hr");
    struct store_admin_count *v = NULL;
    struct store_admin_week *w = NULL;
    int n = 0;
    int64_t cnt = 0, ppl = 0;

    assert_int_equal(store_identity_link(f->st, "web", "w1", a, 10), BB_OK);
    assert_int_equal(store_identity_link(f->st, "web", "w2", b, 10), BB_OK);
    assert_int_equal(store_identity_link(f->st, "telegram", "t1", a, 10), BB_OK);
    assert_int_equal(store_identity_link(f->st, "telegram", "t3", c, 10), BB_OK);
    assert_int_equal(store_identity_set_blocked(f->st, "telegram", "t3", 1, 11), BB_OK);
    assert_int_equal(store_admin_reach(f->st, &v, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].key, "telegram");
    assert_int_equal(v[0].n, 1); /* c is blocked */
    assert_string_equal(v[1].key, "web");
    assert_int_equal(v[1].n, 2);
    free(v);

    /* weeks of 604800 s from origin 1000: week 0 [1000, 605800), week 1 ... */
    struct store_checkin ck;
    int64_t at[] = {1000, 2000, 605800, 605900, 700000};
    int64_t who[] = {a, b, a, a, c};
    int mood[] = {2, 4, 5, 0, 1};
    for (int i = 0; i < 5; i++) {
        memset(&ck, 0, sizeof(ck));
        ck.person_id = who[i];
        ck.at = at[i];
        ck.mood = mood[i];
        ck.wants_help = -1;
        assert_int_equal(store_checkin_add(f->st, &ck, NULL), BB_OK);
    }
    assert_int_equal(store_admin_checkins_since(f->st, 605800, &cnt, &ppl), BB_OK);
    assert_int_equal(cnt, 3);
    assert_int_equal(ppl, 2);
    assert_int_equal(store_admin_mood_weeks(f->st, 1000, 1000, &w, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(w[0].start, 1000);
    assert_int_equal(w[0].people, 2);
    assert_int_equal(w[0].answers, 2);
    assert_true(w[0].mood_avg > 2.99 && w[0].mood_avg < 3.01);
    assert_int_equal(w[0].mood_n[1], 1);
    assert_int_equal(w[0].mood_n[3], 1);
    assert_int_equal(w[1].start, 605800);
    assert_int_equal(w[1].people, 2); /* a's check-in without a mood is not counted */
    assert_int_equal(w[1].answers, 2);
    free(w);
    assert_int_equal(store_admin_mood_weeks(f->st, 1000, 2000, &w, &n), BB_EINVAL);

    /* outbox counts by batch and by period */
    struct store_outbox_msg m;
    int64_t id = 0;
    memset(&m, 0, sizeof(m));
    bb_strlcpy(m.channel, "web", sizeof(m.channel));
    bb_strlcpy(m.ext_user, "w1", sizeof(m.ext_user));
    m.body = "{\"text\":\"x\"}";
    m.batch_id = 7;
    m.created_at = 5000;
    assert_int_equal(store_outbox_add(f->st, &m, &id), BB_OK);
    assert_int_equal(store_outbox_mark(f->st, id, STORE_OUT_FAILED, NULL, "x", 0), BB_OK);
    assert_int_equal(store_outbox_add(f->st, &m, NULL), BB_OK);
    m.batch_id = 0;
    assert_int_equal(store_outbox_add(f->st, &m, NULL), BB_OK);
    assert_int_equal(store_admin_outbox_counts(f->st, 7, 0, &v, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].state, STORE_OUT_QUEUED);
    assert_int_equal(v[0].n, 1);
    assert_int_equal(v[1].state, STORE_OUT_FAILED);
    free(v);
    assert_int_equal(store_admin_outbox_counts(f->st, 0, 0, &v, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].n, 2);
    free(v);
    assert_int_equal(store_admin_outbox_counts(f->st, 0, 6000, &v, &n), BB_OK);
    assert_int_equal(n, 0);
    free(v);
}

static void test_lists(void **state)
{
    struct fx *f = *state;
    struct store_admin_person *p = NULL;
    struct store_admin_audit *au = NULL;
    int n = 0;
    int64_t total = 0;
    int64_t a = tfx_person_in(f->st, "1001", "Ayu", "Biro SDM", "hr");
    tfx_person_in(f->st, "1002", "Budi", "Dinas_Kominfo", "hr");
    tfx_person_in(f->st, "1003", "Citra 100%", "Bappeda", "hr");
    assert_int_equal(store_identity_link(f->st, "web", "w1", a, 10), BB_OK);
    assert_int_equal(store_identity_link(f->st, "telegram", "t1", a, 10), BB_OK);

    assert_int_equal(store_admin_people(f->st, "", 10, 0, &p, &n, &total), BB_OK);
    assert_int_equal(total, 3);
    assert_int_equal(n, 3);
    assert_string_equal(p[0].name, "Ayu");
    assert_string_equal(p[0].channels, "telegram,web");
    assert_string_equal(p[1].channels, "");
    free(p);
    /* % and _ are literal in the search */
    assert_int_equal(store_admin_people(f->st, "100%", 10, 0, &p, &n, &total), BB_OK);
    assert_int_equal(total, 1);
    assert_string_equal(p[0].nip, "1003");
    free(p);
    /* "s_" unescaped would also match "SDM" (LIKE ignores ASCII case) */
    assert_int_equal(store_admin_people(f->st, "s_", 10, 0, &p, &n, &total), BB_OK);
    assert_int_equal(total, 1);
    assert_string_equal(p[0].nip, "1002");
    free(p);
    assert_int_equal(store_admin_people(f->st, "", 1, 1, &p, &n, &total), BB_OK);
    assert_int_equal(total, 3);
    assert_int_equal(n, 1);
    assert_string_equal(p[0].name, "Budi");
    free(p);

    assert_int_equal(store_audit(f->st, "operator", "people.import", 0, "rows=3", 20), BB_OK);
    assert_int_equal(store_audit(f->st, "hr:1001", "admin.signin", a, "", 30), BB_OK);
    assert_int_equal(store_admin_audit_list(f->st, 1, &au, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(au[0].action, "admin.signin");
    assert_string_equal(au[0].subject_nip, "1001");
    free(au);
    /* HR's view leaves the handoff lines out */
    assert_int_equal(store_audit(f->st, "1001", "handoff.open", a, "handoff 1 (command)", 40),
                     BB_OK);
    assert_int_equal(store_admin_audit_list_hiding(f->st, 10, "handoff.", &au, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_string_equal(au[0].action, "admin.signin");
    free(au);
    assert_int_equal(store_admin_audit_list(f->st, 10, &au, &n), BB_OK);
    assert_int_equal(n, 3);
    assert_string_equal(au[0].action, "handoff.open");
    free(au);
    assert_int_equal(store_admin_audit_list_hiding(f->st, 10, "hand%", &au, &n), BB_EINVAL);
}

TFX_MAIN(TFX_TEST(test_sessions), TFX_TEST(test_aggregates), TFX_TEST(test_lists))
