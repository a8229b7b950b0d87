/*
 * store_coaching.c - the coaching module's queries (see store_coaching.h):
 * the tables of migration 6. Called by the coaching module; same thread
 * rules as store.h.
 */
#include "store/store_coaching.h"

#include <string.h>

#include "bot/base/bb.h"
#include "store/store_int.h"

/* Free text must fit the struct fields it is read back into. */
static int text_ok(const char *s, int required)
{
    if (!s)
        return !required;
    size_t n = strlen(s);
    if (required && n == 0)
        return 0;
    return n < STORE_COACHING_TEXT && bb_utf8_valid(s, n);
}

static int day_ok(const char *d)
{
    /* "YYYY-MM-DD", digits in place; the calendar check is the caller's. */
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
            return 0;
    return 1;
}

/* ---- wellbeing ------------------------------------------------------------ */

int store_coaching_wellbeing_add(struct store *st, int64_t person_id, int64_t at, const char *day,
                                 const int items[5], int64_t *id_out)
{
    char list[32];
    int raw = 0;
    if (!items || !day_ok(day))
        return BB_EINVAL;
    for (int i = 0; i < 5; i++) {
        if (items[i] < 0 || items[i] > 5)
            return BB_EINVAL;
        raw += items[i];
    }
    bb_snprintf(list, sizeof(list), "%d,%d,%d,%d,%d", items[0], items[1], items[2], items[3],
                items[4]);
    return store_q_insert(
        st, "INSERT INTO wellbeing(person_id, at, day, raw, items) VALUES(?1, ?2, ?3, ?4, ?5)",
        STORE_ARGS(store_int(person_id), store_int(at), store_text(day), store_int(raw),
                   store_text(list)),
        id_out);
}

int store_coaching_wellbeing_set_alerted(struct store *st, int64_t id)
{
    return store_q_change(st, "UPDATE wellbeing SET alerted = 1 WHERE id = ?1",
                          STORE_ARGS(store_int(id)));
}

int store_coaching_alert_recipients(struct store *st, int64_t person_id, int64_t *ids, int max,
                                    int *n)
{
    int rc;
    if (!ids || !n || max <= 0)
        return BB_EINVAL;
    rc = store_q_fill(st,
                      "SELECT h.id FROM people h JOIN people p ON p.id = ?1"
                      " WHERE h.role = 'hr' AND h.unit = p.unit AND h.id <> p.id ORDER BY h.id",
                      STORE_ARGS(store_int(person_id)), store_map_int64, sizeof(*ids), max, ids, n);
    if (rc != BB_OK || *n > 0)
        return rc;
    return store_q_fill(st, "SELECT id FROM people WHERE role = 'hr' AND id <> ?1 ORDER BY id",
                        STORE_ARGS(store_int(person_id)), store_map_int64, sizeof(*ids), max, ids,
                        n);
}

/* ---- GROW ------------------------------------------------------------------- */

int store_coaching_grow_add(struct store *st, const struct store_grow *g, int64_t *id_out)
{
    if (!g || !text_ok(g->goal, 1) || !text_ok(g->reality, 0) || !text_ok(g->options, 0) ||
        !text_ok(g->will, 0) || !text_ok(g->boost, 0) || g->confidence < 0 || g->confidence > 10 ||
        (g->followup_day[0] && !day_ok(g->followup_day)))
        return BB_EINVAL;
    return store_q_insert(st,
                          "INSERT INTO grow_sessions(person_id, at, goal, reality, options, will,"
                          " confidence, followup_day, boost)"
                          " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                          STORE_ARGS(store_int(g->person_id), store_int(g->at), store_text(g->goal),
                                     store_text(g->reality), store_text(g->options),
                                     store_text(g->will), store_int(g->confidence),
                                     store_text(g->followup_day), store_text(g->boost)),
                          id_out);
}

/* The GROW session due for follow-up (?1 the person, ?5 today), the same in
 * the summary and the follow-up itself: not followed up yet; a follow-up day
 * that has come first, the most recent such day first; else the newest. */
#define GROW_DUE                                                                                   \
    "SELECT COALESCE((SELECT id FROM grow_sessions WHERE person_id = ?1 AND followup_at = 0"       \
    " AND followup_day <> '' AND followup_day <= ?5"                                               \
    " ORDER BY followup_day DESC, at DESC, id DESC LIMIT 1),"                                      \
    " (SELECT id FROM grow_sessions WHERE person_id = ?1 AND followup_at = 0"                      \
    " ORDER BY at DESC, id DESC LIMIT 1))"

int store_coaching_grow_followup(struct store *st, int64_t person_id, int64_t at, const char *today,
                                 const char *progress, const char *note)
{
    if (!text_ok(progress, 1) || strlen(progress) > 32 || !text_ok(note, 0) || !day_ok(today))
        return BB_EINVAL;
    return store_q_change(st,
                          "UPDATE grow_sessions SET followup_at = ?2, progress = ?3,"
                          " followup_note = ?4 WHERE id = (" GROW_DUE ")",
                          STORE_ARGS(store_int(person_id), store_int(at), store_text(progress),
                                     store_text(note ? note : ""), store_text(today)));
}

/* ---- goals and learning ---------------------------------------------------- */

int store_coaching_goal_add(struct store *st, int64_t person_id, int64_t at, const char *group,
                            const char *competency, const char *goal, const char *due,
                            int64_t *id_out)
{
    if (!group || (strcmp(group, "manajerial") && strcmp(group, "sosial_kultural") &&
                   strcmp(group, "teknis")))
        return BB_EINVAL;
    if (!text_ok(competency, 0) || !text_ok(goal, 1) || (due && due[0] && !day_ok(due)))
        return BB_EINVAL;
    return store_q_insert(st,
                          "INSERT INTO dev_goals(person_id, at, comp_group, competency, goal, due)"
                          " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                          STORE_ARGS(store_int(person_id), store_int(at), store_text(group),
                                     store_text(competency ? competency : ""), store_text(goal),
                                     store_text(due ? due : "")),
                          id_out);
}

int store_coaching_learning_add(struct store *st, int64_t person_id, int64_t at, const char *day,
                                const char *title, const char *kind, int minutes, int64_t *id_out)
{
    if (!day_ok(day) || !text_ok(title, 1) || !text_ok(kind, 0) || minutes < 1 || minutes > 1440)
        return BB_EINVAL;
    return store_q_insert(st,
                          "INSERT INTO learning_log(person_id, at, day, title, kind, minutes)"
                          " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                          STORE_ARGS(store_int(person_id), store_int(at), store_text(day),
                                     store_text(title), store_text(kind ? kind : ""),
                                     store_int(minutes)),
                          id_out);
}

int store_coaching_jp_minutes(struct store *st, int64_t person_id, const char *from, const char *to,
                              int64_t *minutes)
{
    int rc;
    if (!day_ok(from) || !day_ok(to) || !minutes)
        return BB_EINVAL;
    *minutes = 0;
    rc = store_q_int64(st,
                       "SELECT COALESCE(SUM(minutes), 0) FROM jp_sources WHERE person_id = ?1"
                       " AND day >= ?2 AND day < ?3",
                       STORE_ARGS(store_int(person_id), store_text(from), store_text(to)), minutes);
    return rc == BB_ENOTFOUND ? BB_EIO : rc;
}

/* ---- reflections ------------------------------------------------------------ */

int store_coaching_reflection_add(struct store *st, int64_t person_id, int64_t at, const char *week,
                                  const char *value, int rating, const char *example,
                                  int64_t *id_out)
{
    if (!week || strlen(week) != 8 || !value || !value[0] || strlen(value) > 32 || rating < 1 ||
        rating > 5 || !text_ok(example, 0))
        return BB_EINVAL;
    return store_q_insert(st,
                          "INSERT INTO reflections(person_id, at, week, value, rating, example)"
                          " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                          STORE_ARGS(store_int(person_id), store_int(at), store_text(week),
                                     store_text(value), store_int(rating),
                                     store_text(example ? example : "")),
                          id_out);
}

/* ---- feedback ----------------------------------------------------------------- */

int store_coaching_find_colleagues(struct store *st, int64_t asker_id, const char *unit,
                                   const char *name, struct store_person *out, int max, int *n)
{
    char pat[300];
    int64_t ids[17];
    int found = 0, rc;
    size_t k = 0;
    if (!unit || !name || !out || !n || max <= 0 || max > 16 || !name[0])
        return BB_EINVAL;
    *n = 0;
    /* LIKE pattern: the name with \ % _ escaped, between % signs. */
    pat[k++] = '%';
    for (const char *c = name; *c; c++) {
        if (k + 3 >= sizeof(pat))
            return BB_EINVAL;
        if (*c == '%' || *c == '_' || *c == '\\')
            pat[k++] = '\\';
        pat[k++] = *c;
    }
    pat[k++] = '%';
    pat[k] = '\0';
    rc = store_q_fill(st,
                      "SELECT id FROM people WHERE (?1 = '' OR unit = ?1) AND id <> ?2"
                      " AND name LIKE ?3"
                      " ESCAPE '\\' ORDER BY lower(name) = lower(?4) DESC, name, id LIMIT ?5",
                      STORE_ARGS(store_text(unit), store_int(asker_id), store_text(pat),
                                 store_text(name), store_int(max + 1)),
                      store_map_int64, sizeof(*ids), max + 1, ids, &found);
    for (int i = 0; rc == BB_OK && i < found && i < max; i++)
        rc = store_person_by_id(st, ids[i], &out[i]);
    if (rc == BB_OK)
        *n = found;
    return rc;
}

int store_coaching_feedback_ask(struct store *st, int64_t asker_id, int64_t giver_id,
                                const char *topic, int64_t now, int64_t *id_out)
{
    int rc;
    if (!text_ok(topic, 0) || asker_id == giver_id)
        return BB_EINVAL;
    rc = store_q_one(st,
                     "SELECT 1 FROM feedback_requests WHERE asker_id = ?1 AND giver_id = ?2"
                     " AND status = 'asked'",
                     STORE_ARGS(store_int(asker_id), store_int(giver_id)), NULL, NULL);
    if (rc == BB_OK)
        return BB_EEXIST;
    if (rc != BB_ENOTFOUND)
        return rc;
    return store_q_insert(st,
                          "INSERT INTO feedback_requests(asker_id, giver_id, topic, created_at)"
                          " VALUES(?1, ?2, ?3, ?4)",
                          STORE_ARGS(store_int(asker_id), store_int(giver_id),
                                     store_text(topic ? topic : ""), store_int(now)),
                          id_out);
}

int store_coaching_feedback_close(struct store *st, int64_t id, const char *status, int64_t now)
{
    if (!status || (strcmp(status, "declined") != 0 && strcmp(status, "expired") != 0))
        return BB_EINVAL;
    return store_q_change(st,
                          "UPDATE feedback_requests SET status = ?2, answered_at = ?3"
                          " WHERE id = ?1 AND status = 'asked'",
                          STORE_ARGS(store_int(id), store_text(status), store_int(now)));
}

int store_coaching_feedback_overdue(struct store *st, int64_t asker_id, int64_t before,
                                    struct store_feedback_req *out)
{
    if (!out)
        return BB_EINVAL;
    return store_q_one(st,
                       "SELECT id, asker_id, giver_id, topic, status FROM feedback_requests"
                       " WHERE asker_id = ?1 AND status = 'asked' AND created_at < ?2"
                       " ORDER BY id LIMIT 1",
                       STORE_ARGS(store_int(asker_id), store_int(before)), store_map_feedback_req,
                       out);
}

int store_coaching_feedback_req(struct store *st, int64_t id, struct store_feedback_req *out)
{
    if (!out)
        return BB_EINVAL;
    return store_q_one(st,
                       "SELECT id, asker_id, giver_id, topic, status FROM feedback_requests"
                       " WHERE id = ?1",
                       STORE_ARGS(store_int(id)), store_map_feedback_req, out);
}

int store_coaching_feedback_pending(struct store *st, int64_t giver_id,
                                    struct store_feedback_req *out)
{
    if (!out)
        return BB_EINVAL;
    return store_q_one(st,
                       "SELECT id, asker_id, giver_id, topic, status FROM feedback_requests"
                       " WHERE giver_id = ?1 AND status = 'asked' ORDER BY id LIMIT 1",
                       STORE_ARGS(store_int(giver_id)), store_map_feedback_req, out);
}

int store_coaching_feedback_give(struct store *st, int64_t req, int64_t giver_id, const char *day,
                                 const char *went_well, const char *better, int anonymous,
                                 int64_t now)
{
    struct store_feedback_req r;
    int rc;
    if (!day_ok(day) || !text_ok(went_well, 0) || !text_ok(better, 0))
        return BB_EINVAL;
    if ((rc = store_begin(st)) != BB_OK)
        return rc;
    rc = store_coaching_feedback_req(st, req, &r);
    if (rc == BB_OK && (r.giver_id != giver_id || strcmp(r.status, "asked") != 0))
        rc = BB_ENOTFOUND;
    if (rc == BB_OK)
        rc = store_q_exec(
            st,
            "INSERT INTO feedback(to_person, giver_id, day, topic, went_well, better,"
            " anonymous) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            STORE_ARGS(store_int(r.asker_id), anonymous ? store_text(NULL) : store_int(giver_id),
                       store_text(day), store_text(r.topic), store_text(went_well ? went_well : ""),
                       store_text(better ? better : ""), store_int(anonymous ? 1 : 0)),
            NULL);
    if (rc == BB_OK)
        rc = store_q_exec(st,
                          "UPDATE feedback_requests SET status = 'answered', answered_at = ?2"
                          " WHERE id = ?1",
                          STORE_ARGS(store_int(req), store_int(now)), NULL);
    return store_tx_end(st, rc);
}

/* ---- mentor requests ---------------------------------------------------------- */

int store_coaching_mentor_request(struct store *st, int64_t person_id, const char *tags,
                                  const char *traits, int64_t now, int64_t *id_out)
{
    const struct store_arg a[] = {store_int(person_id), store_text(tags),
                                  store_text(traits ? traits : ""), store_int(now)};
    const struct store_args args = {a, (int)BB_ARRAY_LEN(a)};
    int64_t id = 0;
    int rc;
    if (!text_ok(tags, 1) || !text_ok(traits, 0))
        return BB_EINVAL;
    if ((rc = store_begin(st)) != BB_OK)
        return rc;
    /* The open request, updated (every change happens on the first step). */
    rc = store_q_int64(st,
                       "UPDATE mentor_requests SET tags = ?2, traits = ?3, updated_at = ?4"
                       " WHERE person_id = ?1 AND status = 'open' RETURNING id",
                       args, &id);
    if (rc == BB_OK && id) {
        if (id_out)
            *id_out = id;
        return store_tx_end(st, BB_OK);
    }
    if (rc == BB_OK || rc == BB_ENOTFOUND)
        rc = store_q_insert(st,
                            "INSERT INTO mentor_requests(person_id, tags, traits, created_at,"
                            " updated_at) VALUES(?1, ?2, ?3, ?4, ?4)",
                            args, id_out);
    return store_tx_end(st, rc);
}

int store_coaching_mentor_request_set_status(struct store *st, int64_t id, const char *status,
                                             int64_t now)
{
    if (!status ||
        (strcmp(status, "open") && strcmp(status, "matched") && strcmp(status, "closed")))
        return BB_EINVAL;
    return store_q_change(st,
                          "UPDATE mentor_requests SET status = ?2, updated_at = ?3 WHERE id = ?1",
                          STORE_ARGS(store_int(id), store_text(status), store_int(now)));
}

/* ---- summary -------------------------------------------------------------------- */

int store_coaching_summary(struct store *st, int64_t person_id, const char *year_from,
                           const char *year_to, const char *today,
                           struct store_coaching_summary *out)
{
    int rc;
    if (!out || !day_ok(year_from) || !day_ok(year_to) || !day_ok(today))
        return BB_EINVAL;
    memset(out, 0, sizeof(*out));
    rc = store_q_one(
        st,
        "SELECT (SELECT COALESCE(SUM(minutes), 0) FROM jp_sources NOT INDEXED WHERE person_id = ?1"
        "  AND day >= ?2 AND day < ?3),"
        " (SELECT COUNT(*) FROM dev_goals WHERE person_id = ?1 AND status = 'open'),"
        " (SELECT COUNT(*) FROM mentor_requests WHERE person_id = ?1 AND status = 'open'),"
        " (SELECT goal FROM grow_sessions WHERE id = (" GROW_DUE ")),"
        " r.id, a.name, r.topic,"
        " (SELECT COUNT(DISTINCT giver_id) FROM feedback_requests x WHERE x.asker_id = r.asker_id"
        "  AND x.created_at > r.created_at - 30 * 86400)"
        " FROM (SELECT 1) LEFT JOIN feedback_requests r ON r.id = (SELECT id FROM feedback_requests"
        "  WHERE giver_id = ?1 AND status = 'asked' ORDER BY id LIMIT 1)"
        " LEFT JOIN people a ON a.id = r.asker_id",
        STORE_ARGS(store_int(person_id), store_text(year_from), store_text(year_to),
                   store_text(NULL), store_text(today)),
        store_map_coaching_summary, out);
    return rc == BB_ENOTFOUND ? BB_EIO : rc;
}
