/*
 * store_rows.c - how each row struct of store.h and store_<table>.h is read
 * from a SELECT: one table of columns per struct (column i of the SELECT
 * into entry i), read by the one mapper store_map_cols(). For the files of
 * store/ only, through store_int.h. A SELECT that uses a mapper lists its
 * columns in the table's order (a _COLS list, or written out in place).
 */
#include "store/store_int.h"

#include <string.h>

#include "bot/base/bb.h"
#include "store/store_admin.h"
#include "store/store_coaching.h"
#include "store/store_mentoring.h"
#include "store/store_sched.h"
#include "store/store_survey.h"
#include "store/store_wa.h"

/* ---- rows of store_admin.c ---- */

static const struct store_col admin_count_cols[] = {STORE_TXT(struct store_admin_count, key),
                                                    STORE_INT(struct store_admin_count, state),
                                                    STORE_I64(struct store_admin_count, n)};

int store_map_admin_count(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, admin_count_cols);
}

static const struct store_col admin_person_cols[] = {
    STORE_TXT(struct store_admin_person, nip),
    STORE_TXT(struct store_admin_person, name),
    STORE_TXT(struct store_admin_person, unit),
    STORE_TXT(struct store_admin_person, position),
    STORE_TXT(struct store_admin_person, role),
    STORE_TXT(struct store_admin_person, lang),
    STORE_I64(struct store_admin_person, created_at),
    STORE_TXT(struct store_admin_person, channels)};

int store_map_admin_person(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, admin_person_cols);
}

static const struct store_col admin_audit_cols[] = {
    STORE_I64(struct store_admin_audit, at), STORE_TXT(struct store_admin_audit, actor),
    STORE_TXT(struct store_admin_audit, action), STORE_TXT(struct store_admin_audit, subject_nip),
    STORE_TXT(struct store_admin_audit, detail)};

int store_map_admin_audit(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, admin_audit_cols);
}

/* ---- rows of store_coaching.c ---- */

static const struct store_col feedback_req_cols[] = {
    STORE_I64(struct store_feedback_req, id), STORE_I64(struct store_feedback_req, asker_id),
    STORE_I64(struct store_feedback_req, giver_id), STORE_TXT(struct store_feedback_req, topic),
    STORE_TXT(struct store_feedback_req, status)};

int store_map_feedback_req(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, feedback_req_cols);
}

static const struct store_col coaching_summary_cols[] = {
    STORE_I64(struct store_coaching_summary, jp_minutes),
    STORE_INT(struct store_coaching_summary, goals_open),
    STORE_INT(struct store_coaching_summary, mentor_request_open),
    STORE_TXT(struct store_coaching_summary, grow_goal),
    STORE_I64(struct store_coaching_summary, feedback_req),
    STORE_TXT(struct store_coaching_summary, feedback_from),
    STORE_TXT(struct store_coaching_summary, feedback_topic),
    STORE_INT(struct store_coaching_summary, feedback_asked)};

int store_map_coaching_summary(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, coaching_summary_cols);
}

/* ---- rows of store_mentoring.c ---- */

static const struct store_col mentor_profile_cols[] = {
    STORE_INT(struct store_mentor_profile, capacity),
    STORE_TXT(struct store_mentor_profile, status),
    STORE_I64(struct store_mentor_profile, updated_at)};

int store_map_mentor_profile(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, mentor_profile_cols);
}

static const struct store_col proposal_cols[] = {
    STORE_I64(struct store_proposal, suggestion_id), STORE_I64(struct store_proposal, mentee_id),
    STORE_I64(struct store_proposal, mentor_id),     STORE_INT(struct store_proposal, score),
    STORE_TXT(struct store_proposal, reasons),       STORE_INT(struct store_proposal, state)};

int store_map_proposal(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, proposal_cols);
}

static const struct store_col pairing_cols[] = {STORE_I64(struct store_pairing, id),
                                                STORE_I64(struct store_pairing, mentee_id),
                                                STORE_I64(struct store_pairing, mentor_id),
                                                STORE_I64(struct store_pairing, suggestion_id),
                                                STORE_TXT(struct store_pairing, status),
                                                STORE_I64(struct store_pairing, started_at),
                                                STORE_I64(struct store_pairing, ended_at),
                                                STORE_TXT(struct store_pairing, end_reason),
                                                STORE_TXT(struct store_pairing, ended_by),
                                                STORE_I64(struct store_pairing, intro_mentee_at),
                                                STORE_I64(struct store_pairing, intro_mentor_at),
                                                STORE_I64(struct store_pairing, nudged_at)};

int store_map_pairing(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, pairing_cols);
}

static const struct store_col pcheck_cols[] = {
    STORE_I64(struct store_pcheck, pairing_id),  STORE_I64(struct store_pcheck, person_id),
    STORE_TXT(struct store_pcheck, kind),        STORE_INT(struct store_pcheck, asks),
    STORE_I64(struct store_pcheck, asked_at),    STORE_I64(struct store_pcheck, next_at),
    STORE_I64(struct store_pcheck, answered_at), STORE_TXT(struct store_pcheck, answer),
    STORE_INT(struct store_pcheck, rating),      STORE_TXT(struct store_pcheck, word)};

int store_map_pcheck(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, pcheck_cols);
}

static const struct store_col optout_cols[] = {STORE_I64(struct store_optout, person_id),
                                               STORE_I64(struct store_optout, since),
                                               STORE_TXT(struct store_optout, reason)};

int store_map_optout(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, optout_cols);
}

/* ---- rows of store_people.c ---- */

static const struct store_col person_cols[] = {
    STORE_I64(struct store_person, id),         STORE_TXT(struct store_person, nip),
    STORE_TXT(struct store_person, name),       STORE_TXT(struct store_person, unit),
    STORE_TXT(struct store_person, position),   STORE_TXT(struct store_person, grade),
    STORE_TXT(struct store_person, role),       STORE_TXT(struct store_person, lang),
    STORE_TXT(struct store_person, tz),         STORE_TXT(struct store_person, phone),
    STORE_TXT(struct store_person, email),      STORE_TXT(struct store_person, supervisor_nip),
    STORE_TXT(struct store_person, strengths),  STORE_TXT(struct store_person, interests),
    STORE_TXT(struct store_person, gender),     STORE_TXT(struct store_person, panggilan),
    STORE_I64(struct store_person, created_at), STORE_I64(struct store_person, updated_at)};

int store_map_person(sqlite3_stmt *s, void *row)
{
    memset(row, 0, sizeof(struct store_person));
    return STORE_MAP_COLS(s, row, person_cols);
}

/* ---- rows of store_queue.c ---- */

static const struct store_col inbox_event_cols[] = {
    STORE_I64(struct store_inbox_event, id),        STORE_TXT(struct store_inbox_event, channel),
    STORE_TXT(struct store_inbox_event, ext_user),  STORE_TXT(struct store_inbox_event, ext_msg_id),
    STORE_I64(struct store_inbox_event, person_id), STORE_INT(struct store_inbox_event, kind),
    STORE_DUP(struct store_inbox_event, text),      STORE_TXT(struct store_inbox_event, payload),
    STORE_I64(struct store_inbox_event, ts)};

int store_map_inbox_event(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, inbox_event_cols);
}

static const struct store_col outbox_cols[] = {
    STORE_I64(struct store_outbox_msg, id),         STORE_I64(struct store_outbox_msg, person_id),
    STORE_TXT(struct store_outbox_msg, channel),    STORE_TXT(struct store_outbox_msg, ext_user),
    STORE_INT(struct store_outbox_msg, priority),   STORE_DUP(struct store_outbox_msg, body),
    STORE_INT(struct store_outbox_msg, state),      STORE_INT(struct store_outbox_msg, attempts),
    STORE_I64(struct store_outbox_msg, due),        STORE_I64(struct store_outbox_msg, created_at),
    STORE_TXT(struct store_outbox_msg, ext_msg_id), STORE_I64(struct store_outbox_msg, batch_id)};

int store_map_outbox(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, outbox_cols);
}

/* ---- rows of store_sched.c ---- */

static const struct store_col sched_plan_cols[] = {
    STORE_TXT(struct store_sched_plan, flow_id), STORE_I64(struct store_sched_plan, timer_id),
    STORE_I64(struct store_sched_plan, due), STORE_TXT(struct store_sched_plan, rule),
    STORE_TXT(struct store_sched_plan, tz)};

int store_map_sched_plan(sqlite3_stmt *s, void *row)
{
    memset(row, 0, sizeof(struct store_sched_plan));
    return STORE_MAP_COLS(s, row, sched_plan_cols);
}

/* ---- rows of store_session.c ---- */

static const struct store_col timer_cols[] = {
    STORE_I64(struct store_timer, id), STORE_I64(struct store_timer, person_id),
    STORE_TXT(struct store_timer, kind), STORE_TXT(struct store_timer, payload),
    STORE_I64(struct store_timer, due)};

int store_map_timer(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, timer_cols);
}

static const struct store_col checkin_cols[] = {
    STORE_I64(struct store_checkin, id),         STORE_I64(struct store_checkin, person_id),
    STORE_I64(struct store_checkin, at),         STORE_INT(struct store_checkin, mood),
    STORE_TXT(struct store_checkin, win),        STORE_TXT(struct store_checkin, blocker),
    STORE_INT(struct store_checkin, wants_help), STORE_TXT(struct store_checkin, extra)};

int store_map_checkin(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, checkin_cols);
}

/* ---- rows of store_survey.c ---- */

static const struct store_col wave_cols[] = {
    STORE_I64(struct store_wave, id),       STORE_TXT(struct store_wave, flow_id),
    STORE_TXT(struct store_wave, segment),  STORE_I64(struct store_wave, start_at),
    STORE_I64(struct store_wave, close_at), STORE_I64(struct store_wave, remind_at),
    STORE_INT(struct store_wave, reminded), STORE_INT(struct store_wave, closed),
    STORE_I64(struct store_wave, invited),  STORE_I64(struct store_wave, created_at),
    STORE_TXT(struct store_wave, actor),    STORE_I64(struct store_wave, series_id)};

int store_map_wave(sqlite3_stmt *s, void *row)
{
    memset(row, 0, sizeof(struct store_wave));
    return STORE_MAP_COLS(s, row, wave_cols);
}

static const struct store_col invitee_cols[] = {STORE_I64(struct store_invitee, person_id),
                                                STORE_INT(struct store_invitee, in_flow),
                                                STORE_INT(struct store_invitee, has_timer)};

int store_map_invitee(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, invitee_cols);
}

static const struct store_col unit_count_cols[] = {STORE_TXT(struct store_unit_count, unit),
                                                   STORE_I64(struct store_unit_count, invited),
                                                   STORE_I64(struct store_unit_count, answered)};

int store_map_unit_count(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, unit_count_cols);
}

/* ---- rows of store_wa.c ---- */

static const struct store_col wa_held_cols[] = {
    STORE_I64(struct store_wa_held, id), STORE_I64(struct store_wa_held, person_id),
    STORE_TXT(struct store_wa_held, ext_user), STORE_I64(struct store_wa_held, created_at),
    STORE_I64(struct store_wa_held, batch_id)};

int store_map_wa_held(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, wa_held_cols);
}

static const struct store_col wa_pending_cols[] = {
    STORE_I64(struct store_wa_pending, person_id), STORE_INT(struct store_wa_pending, state),
    STORE_INT(struct store_wa_pending, prompts), STORE_I64(struct store_wa_pending, created_at)};

int store_map_wa_pending(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, wa_pending_cols);
}
