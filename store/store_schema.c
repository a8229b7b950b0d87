/*
 * store_schema.c - the SQLite schema as numbered migrations, and the list of
 * tables holding a person's data (for export and forget). Constant data
 * only; store.c applies the migrations at store_open(). See store_int.h.
 *
 * To change the schema, append a string to store_migrations[]: migration N
 * (index N - 1) takes PRAGMA user_version from N - 1 to N in its own
 * transaction. Never edit one that has shipped.
 */
#include "store/store_int.h"

const char *const store_migrations[] = {
    /* 1: the core tables */
    "CREATE TABLE people ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT," /* never reuse the id of a forgotten person */
    " nip TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL DEFAULT '',"
    " unit TEXT NOT NULL DEFAULT '',"
    " position TEXT NOT NULL DEFAULT '',"
    " grade TEXT NOT NULL DEFAULT '',"
    " role TEXT NOT NULL DEFAULT 'employee',"
    " lang TEXT NOT NULL DEFAULT 'id',"
    " tz TEXT NOT NULL DEFAULT 'Asia/Jakarta',"
    " phone TEXT NOT NULL DEFAULT '',"
    " email TEXT NOT NULL DEFAULT '',"
    " supervisor_nip TEXT NOT NULL DEFAULT '',"
    " strengths TEXT NOT NULL DEFAULT '',"
    " interests TEXT NOT NULL DEFAULT '',"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL);"
    "CREATE INDEX people_phone ON people(phone) WHERE phone <> '';"
    "CREATE INDEX people_supervisor ON people(supervisor_nip) WHERE supervisor_nip <> '';"
    "CREATE INDEX people_unit ON people(unit);"

    "CREATE TABLE identities ("
    " id INTEGER PRIMARY KEY,"
    " channel TEXT NOT NULL,"
    " ext_id TEXT NOT NULL,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " blocked INTEGER NOT NULL DEFAULT 0,"
    " blocked_at INTEGER,"
    " linked_at INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL,"
    " UNIQUE(channel, ext_id));"
    "CREATE INDEX identities_person ON identities(person_id, last_seen);"

    "CREATE TABLE invites ("
    " id INTEGER PRIMARY KEY,"
    " code_hash TEXT NOT NULL UNIQUE,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " created_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL,"
    " used_at INTEGER);"
    "CREATE INDEX invites_person ON invites(person_id);"

    "CREATE TABLE consents ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " purpose TEXT NOT NULL,"
    " granted INTEGER NOT NULL,"
    " at INTEGER NOT NULL);"
    "CREATE INDEX consents_person ON consents(person_id, purpose, id);"

    "CREATE TABLE flow_versions ("
    " id TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " source TEXT NOT NULL,"
    " sha256 TEXT NOT NULL,"
    " loaded_at INTEGER NOT NULL,"
    " PRIMARY KEY(id, version));"

    "CREATE TABLE sessions ("
    " person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,"
    " flow_id TEXT NOT NULL,"
    " flow_version INTEGER NOT NULL,"
    " node TEXT NOT NULL,"
    " state TEXT NOT NULL,"
    " updated_at INTEGER NOT NULL);"

    "CREATE TABLE inbox ("
    " id INTEGER PRIMARY KEY,"
    " channel TEXT NOT NULL,"
    " ext_user TEXT NOT NULL,"
    " ext_msg_id TEXT," /* NULL for internal events without an id: never a duplicate */
    " person_id INTEGER NOT NULL DEFAULT 0,"
    " kind INTEGER NOT NULL,"
    " text TEXT,"
    " payload TEXT NOT NULL DEFAULT '',"
    " ts INTEGER NOT NULL,"
    " processed_at INTEGER,"
    " UNIQUE(channel, ext_msg_id));"
    "CREATE INDEX inbox_pending ON inbox(id) WHERE processed_at IS NULL;"
    "CREATE INDEX inbox_user ON inbox(channel, ext_user);"
    "CREATE INDEX inbox_person ON inbox(person_id) WHERE person_id <> 0;"

    "CREATE TABLE outbox ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL DEFAULT 0,"
    " channel TEXT NOT NULL,"
    " ext_user TEXT NOT NULL,"
    " priority INTEGER NOT NULL,"
    " body TEXT NOT NULL,"
    " state INTEGER NOT NULL,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " due INTEGER NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " ext_msg_id TEXT,"
    " error TEXT,"
    " batch_id INTEGER NOT NULL DEFAULT 0);"
    /* Claiming: channel = ? AND priority = ? AND due <= ? ORDER BY due, id,
     * over queued rows only, so sent rows cost the claim nothing. */
    "CREATE INDEX outbox_claim ON outbox(channel, priority, due) WHERE state = 0;"
    "CREATE INDEX outbox_sending ON outbox(id) WHERE state = 1;"
    "CREATE INDEX outbox_ext ON outbox(channel, ext_msg_id) WHERE ext_msg_id IS NOT NULL;"
    "CREATE INDEX outbox_person ON outbox(person_id) WHERE person_id <> 0;"
    "CREATE INDEX outbox_anon ON outbox(channel, ext_user) WHERE person_id = 0;"
    "CREATE INDEX outbox_batch ON outbox(batch_id, state) WHERE batch_id <> 0;"

    "CREATE TABLE timers ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL DEFAULT 0,"
    " kind TEXT NOT NULL,"
    " payload TEXT NOT NULL DEFAULT '',"
    " due INTEGER NOT NULL);"
    "CREATE INDEX timers_due ON timers(due);"
    "CREATE INDEX timers_person ON timers(person_id, kind);"

    "CREATE TABLE checkins ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " at INTEGER NOT NULL,"
    " mood INTEGER NOT NULL DEFAULT 0,"
    " win TEXT NOT NULL DEFAULT '',"
    " blocker TEXT NOT NULL DEFAULT '',"
    " wants_help INTEGER NOT NULL DEFAULT -1,"
    " extra TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX checkins_person ON checkins(person_id, at);"

    "CREATE TABLE audit_log ("
    " id INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " actor TEXT NOT NULL,"
    " action TEXT NOT NULL,"
    " subject_person INTEGER NOT NULL DEFAULT 0," /* no foreign key: the log outlives rows */
    " detail TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX audit_subject ON audit_log(subject_person) WHERE subject_person <> 0;",
    /* 2: wrong invite codes per chat, for the hourly limit (rows older than
     * an hour are pruned as new ones arrive) */
    "CREATE TABLE reg_attempts ("
    " id INTEGER PRIMARY KEY,"
    " channel TEXT NOT NULL,"
    " ext_user TEXT NOT NULL,"
    " at INTEGER NOT NULL);"
    "CREATE INDEX reg_attempts_chat ON reg_attempts(channel, ext_user, at);",
    /* 3: find what was sent to a chat (a question to edit, a web replay) */
    "CREATE INDEX outbox_chat ON outbox(channel, ext_user, id);",
    /* 4: web chat sign-in sessions; only the SHA-256 of the cookie token */
    "CREATE TABLE web_sessions ("
    " token_hash TEXT PRIMARY KEY,"
    " ext_user TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL);"
    "CREATE INDEX web_sessions_user ON web_sessions(ext_user);"
    "CREATE INDEX web_sessions_expiry ON web_sessions(expires_at);",
    /* 5: WhatsApp (store_wa.c): each number's 24-hour customer service window
     * (last_in: the newest inbound message time; closed_at: when Meta said
     * 131047; nudged_at: when a re-engagement template was last queued), and
     * numbers that match an imported person waiting to confirm the link
     * (state 0 asked, 1 declined). */
    "CREATE TABLE wa_window ("
    " wa_id TEXT PRIMARY KEY,"
    " last_in INTEGER NOT NULL DEFAULT 0,"
    " closed_at INTEGER NOT NULL DEFAULT 0,"
    " nudged_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE wa_pending ("
    " wa_id TEXT PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " state INTEGER NOT NULL DEFAULT 0,"
    " prompts INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL);"
    "CREATE INDEX wa_pending_person ON wa_pending(person_id);",
    /* 6: coaching (store_coaching.c, store_coaching.h describes every
     * column): WHO-5 wellbeing answers (health data: their own table),
     * GROW sessions, development goals, learning activities for JP, BerAKHLAK
     * reflections, feedback requests and feedback, mentor requests; and the
     * view jp_sources that the JP progress sums (a later migration may
     * recreate it with more sources, e.g. mentoring sessions). */
    "CREATE TABLE wellbeing ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " at INTEGER NOT NULL,"
    " day TEXT NOT NULL,"
    " raw INTEGER NOT NULL,"
    " items TEXT NOT NULL,"
    " alerted INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX wellbeing_person ON wellbeing(person_id, at);"
    "CREATE TABLE grow_sessions ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " at INTEGER NOT NULL,"
    " goal TEXT NOT NULL DEFAULT '',"
    " reality TEXT NOT NULL DEFAULT '',"
    " options TEXT NOT NULL DEFAULT '',"
    " will TEXT NOT NULL DEFAULT '',"
    " confidence INTEGER NOT NULL DEFAULT 0,"
    " followup_day TEXT NOT NULL DEFAULT '',"
    " followup_at INTEGER NOT NULL DEFAULT 0,"
    " progress TEXT NOT NULL DEFAULT '',"
    " followup_note TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX grow_person ON grow_sessions(person_id, at);"
    "CREATE TABLE dev_goals ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " at INTEGER NOT NULL,"
    " comp_group TEXT NOT NULL,"
    " competency TEXT NOT NULL DEFAULT '',"
    " goal TEXT NOT NULL,"
    " due TEXT NOT NULL DEFAULT '',"
    " status TEXT NOT NULL DEFAULT 'open',"
    " done_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX dev_goals_person ON dev_goals(person_id, status);"
    "CREATE TABLE learning_log ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " at INTEGER NOT NULL,"
    " day TEXT NOT NULL,"
    " title TEXT NOT NULL,"
    " kind TEXT NOT NULL DEFAULT '',"
    " minutes INTEGER NOT NULL);"
    "CREATE INDEX learning_person_day ON learning_log(person_id, day);"
    "CREATE VIEW jp_sources(person_id, day, minutes, source) AS"
    " SELECT person_id, day, minutes, 'learning' FROM learning_log;"
    "CREATE TABLE reflections ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " at INTEGER NOT NULL,"
    " week TEXT NOT NULL,"
    " value TEXT NOT NULL,"
    " rating INTEGER NOT NULL,"
    " example TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX reflections_person ON reflections(person_id, at);"
    "CREATE TABLE feedback_requests ("
    " id INTEGER PRIMARY KEY,"
    " asker_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " giver_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " topic TEXT NOT NULL DEFAULT '',"
    " status TEXT NOT NULL DEFAULT 'asked',"
    " created_at INTEGER NOT NULL,"
    " answered_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX feedback_req_giver ON feedback_requests(giver_id, status, id);"
    "CREATE INDEX feedback_req_asker ON feedback_requests(asker_id, status);"
    "CREATE TABLE feedback ("
    " id INTEGER PRIMARY KEY,"
    " to_person INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " giver_id INTEGER REFERENCES people(id) ON DELETE CASCADE,"
    " day TEXT NOT NULL,"
    " topic TEXT NOT NULL DEFAULT '',"
    " went_well TEXT NOT NULL DEFAULT '',"
    " better TEXT NOT NULL DEFAULT '',"
    " anonymous INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX feedback_to ON feedback(to_person);"
    "CREATE INDEX feedback_giver ON feedback(giver_id) WHERE giver_id IS NOT NULL;"
    "CREATE TABLE mentor_requests ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " tags TEXT NOT NULL DEFAULT '',"
    " traits TEXT NOT NULL DEFAULT '',"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'open');"
    "CREATE INDEX mentor_requests_status ON mentor_requests(status, created_at);"
    "CREATE INDEX mentor_requests_person ON mentor_requests(person_id, status);",
    /* 7: the mentor programme (store_mentoring.c): mentor profiles (capacity,
     * active or paused), matching suggestions and the pairs they proposed,
     * pairings (at most one active per mentee), and mentoring sessions.
     * Rows about a mentee go with the mentee; a forgotten mentor's pairings
     * go too (the mentee then has no mentor), but sessions keep their minutes
     * for the mentee with the mentor's id cleared (see store_person_tables). */
    "CREATE TABLE mentor_profiles ("
    " person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,"
    " capacity INTEGER NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'active',"
    " updated_at INTEGER NOT NULL);"
    "CREATE TABLE pair_suggestions ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " created_at INTEGER NOT NULL,"
    " unit TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE pair_proposals ("
    " suggestion_id INTEGER NOT NULL REFERENCES pair_suggestions(id) ON DELETE CASCADE,"
    " mentee_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " mentor_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " score INTEGER NOT NULL,"
    " reasons TEXT NOT NULL DEFAULT '',"
    " state INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(suggestion_id, mentee_id));"
    "CREATE INDEX pair_proposals_mentor ON pair_proposals(mentor_id);"
    "CREATE INDEX pair_proposals_mentee ON pair_proposals(mentee_id);"
    "CREATE TABLE pairings ("
    " id INTEGER PRIMARY KEY,"
    " mentee_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " mentor_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " suggestion_id INTEGER NOT NULL DEFAULT 0,"
    " status TEXT NOT NULL DEFAULT 'active',"
    " started_at INTEGER NOT NULL,"
    " ended_at INTEGER,"
    " end_reason TEXT NOT NULL DEFAULT '',"
    " ended_by TEXT NOT NULL DEFAULT '',"
    " intro_mentee_at INTEGER NOT NULL DEFAULT 0,"
    " intro_mentor_at INTEGER NOT NULL DEFAULT 0,"
    " nudged_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE UNIQUE INDEX pairings_active_mentee ON pairings(mentee_id) WHERE status = 'active';"
    "CREATE INDEX pairings_mentor ON pairings(mentor_id, status);"
    "CREATE INDEX pairings_mentee ON pairings(mentee_id);"
    "CREATE TABLE mentoring_sessions ("
    " id INTEGER PRIMARY KEY,"
    " pairing_id INTEGER NOT NULL DEFAULT 0,"
    " mentee_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " mentor_id INTEGER NOT NULL DEFAULT 0," /* 0 once the mentor is forgotten */
    " logged_by INTEGER NOT NULL DEFAULT 0,"
    " day TEXT NOT NULL,"
    " held_at INTEGER NOT NULL,"
    " minutes INTEGER NOT NULL,"
    " topics TEXT NOT NULL DEFAULT '',"
    " next_steps TEXT NOT NULL DEFAULT '',"
    " created_at INTEGER NOT NULL);"
    "CREATE INDEX mentoring_sessions_pairing ON mentoring_sessions(pairing_id, held_at);"
    "CREATE INDEX mentoring_sessions_mentee ON mentoring_sessions(mentee_id, held_at);"
    "CREATE INDEX mentoring_sessions_mentor ON mentoring_sessions(mentor_id, held_at);"
    /* mentoring counts toward the 20 JP a year, for both sides */
    "DROP VIEW jp_sources;"
    "CREATE VIEW jp_sources(person_id, day, minutes, source) AS"
    " SELECT person_id, day, minutes, 'learning' FROM learning_log"
    " UNION ALL SELECT mentee_id, date(held_at, 'unixepoch'), minutes, 'mentoring'"
    " FROM mentoring_sessions"
    " UNION ALL SELECT mentor_id, date(held_at, 'unixepoch'), minutes, 'mentoring'"
    " FROM mentoring_sessions WHERE mentor_id <> 0;",
    /* 8: the scheduler (store_sched.c). sched_plan: each person's planned
     * occurrence of each flow with a schedule trigger, and the "flow" timer
     * that carries it (timer_id 0: the timer fired or was removed; plan the
     * next one). sched_dirty: people whose plans need a look (new consent,
     * identity, zone, or a planned timer gone), filled by the triggers below
     * so that planning is incremental. sched_meta: the scheduler's own
     * state (the signature of the schedule triggers, the re-plan cursor). */
    "CREATE TABLE sched_plan ("
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " flow_id TEXT NOT NULL,"
    " timer_id INTEGER NOT NULL DEFAULT 0,"
    " due INTEGER NOT NULL,"
    " rule TEXT NOT NULL,"
    " tz TEXT NOT NULL,"
    " PRIMARY KEY(person_id, flow_id));"
    "CREATE INDEX sched_plan_timer ON sched_plan(timer_id);"
    "CREATE TABLE sched_dirty ("
    " person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE);"
    "CREATE TABLE sched_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    /* A planned timer deleted (fired by core_tick, or removed): detach it at
     * once, so a later timer that reuses the row id is never taken for it.
     * (No INSERT OR IGNORE in these bodies: an outer statement's conflict
     * policy, e.g. an upsert's, would override it.) */
    "CREATE TRIGGER sched_timer_gone AFTER DELETE ON timers WHEN OLD.kind = 'flow' BEGIN"
    " INSERT INTO sched_dirty(person_id) SELECT person_id FROM sched_plan"
    "  WHERE timer_id = OLD.id AND person_id NOT IN (SELECT person_id FROM sched_dirty);"
    " UPDATE sched_plan SET timer_id = 0 WHERE timer_id = OLD.id;"
    " END;"
    "CREATE TRIGGER sched_consent AFTER INSERT ON consents WHEN NEW.purpose = 'data' BEGIN"
    " INSERT INTO sched_dirty(person_id) SELECT NEW.person_id"
    "  WHERE NOT EXISTS (SELECT 1 FROM sched_dirty WHERE person_id = NEW.person_id);"
    " END;"
    "CREATE TRIGGER sched_identity_new AFTER INSERT ON identities BEGIN"
    " INSERT INTO sched_dirty(person_id) SELECT NEW.person_id"
    "  WHERE NOT EXISTS (SELECT 1 FROM sched_dirty WHERE person_id = NEW.person_id);"
    " END;"
    "CREATE TRIGGER sched_identity_change AFTER UPDATE OF person_id, blocked ON identities"
    " WHEN NEW.person_id IS NOT OLD.person_id OR NEW.blocked IS NOT OLD.blocked BEGIN"
    " INSERT INTO sched_dirty(person_id) SELECT NEW.person_id"
    "  WHERE NOT EXISTS (SELECT 1 FROM sched_dirty WHERE person_id = NEW.person_id);"
    " INSERT INTO sched_dirty(person_id) SELECT id FROM people WHERE id = OLD.person_id"
    "  AND NOT EXISTS (SELECT 1 FROM sched_dirty WHERE person_id = OLD.person_id);"
    " END;"
    "CREATE TRIGGER sched_zone AFTER UPDATE OF tz ON people WHEN NEW.tz IS NOT OLD.tz BEGIN"
    " INSERT INTO sched_dirty(person_id) SELECT NEW.id"
    "  WHERE NOT EXISTS (SELECT 1 FROM sched_dirty WHERE person_id = NEW.id);"
    " END;",
    /* 6, 7, 8: placeholders for migrations of other branches (the lead
     * replaces them at merge), so that the survey tables are number 9. */
    /* 9: surveys and broadcasts (store_survey.c). Participation
     * (survey_invitations: who was asked, who answered) is kept apart from
     * the answers (survey_answers), which carry no person id and no time:
     * each response gets a random 128-bit id, and the table is WITHOUT ROWID
     * keyed by it, so rows sit in random order, not in insertion order.
     * When a wave closes its invitations are reduced to counts per unit
     * (survey_wave_units) and deleted. Broadcasts are rows of their own;
     * their messages are outbox rows with batch_id = the broadcast id
     * (survey waves use batch_id = -wave id). */
    "CREATE TABLE survey_waves ("
    " id INTEGER PRIMARY KEY,"
    " flow_id TEXT NOT NULL,"
    " segment TEXT NOT NULL,"
    " start_at INTEGER NOT NULL,"
    " close_at INTEGER NOT NULL,"
    " remind_at INTEGER NOT NULL DEFAULT 0," /* 0: no reminder */
    " reminded INTEGER NOT NULL DEFAULT 0,"
    " closed INTEGER NOT NULL DEFAULT 0,"
    " invited INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL,"
    " actor TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX survey_waves_flow ON survey_waves(flow_id, id);"
    "CREATE INDEX survey_waves_open ON survey_waves(closed, close_at);"
    "CREATE TABLE survey_invitations ("
    " wave_id INTEGER NOT NULL REFERENCES survey_waves(id) ON DELETE CASCADE,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " unit TEXT NOT NULL DEFAULT '',"
    " answered INTEGER NOT NULL DEFAULT 0,"
    " answered_at INTEGER NOT NULL DEFAULT 0," /* for the inbox scrub only */
    " scrubbed INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(wave_id, person_id)) WITHOUT ROWID;"
    "CREATE INDEX survey_invitations_person ON survey_invitations(person_id, answered);"
    "CREATE INDEX survey_invitations_unit ON survey_invitations(wave_id, unit);"
    "CREATE INDEX survey_invitations_scrub ON survey_invitations(answered_at)"
    " WHERE answered = 1 AND scrubbed = 0;"
    "CREATE TABLE survey_wave_units ("
    " wave_id INTEGER NOT NULL,"
    " unit TEXT NOT NULL,"
    " invited INTEGER NOT NULL,"
    " answered INTEGER NOT NULL,"
    " PRIMARY KEY(wave_id, unit)) WITHOUT ROWID;"
    "CREATE TABLE survey_answers ("
    " response TEXT NOT NULL," /* 32 hex digits from getrandom, one per response */
    " wave_id INTEGER NOT NULL,"
    " unit TEXT NOT NULL DEFAULT ''," /* '' when the unit had fewer than k invited */
    " question TEXT NOT NULL,"
    " num REAL,"
    " txt TEXT,"
    " PRIMARY KEY(response, question)) WITHOUT ROWID;"
    "CREATE INDEX survey_answers_wave ON survey_answers(wave_id, question);"
    "CREATE TABLE broadcasts ("
    " id INTEGER PRIMARY KEY,"
    " segment TEXT NOT NULL,"
    " text_id TEXT NOT NULL,"
    " text_en TEXT NOT NULL,"
    " due INTEGER NOT NULL,"
    " recipients INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL,"
    " actor TEXT NOT NULL DEFAULT '');",
    /* 6-9: placeholders for migrations of branches merged later (surveys,
     * mentoring, coaching...); the lead replaces them at merge. */
    /* 10: HR dashboard sign-ins (store_admin.c); only the SHA-256 of the
     * cookie token. person_id 0: an operator signed in with the admin token. */
    "CREATE TABLE admin_sessions ("
    " token_hash TEXT PRIMARY KEY,"
    " person_id INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL);"
    "CREATE INDEX admin_sessions_person ON admin_sessions(person_id) WHERE person_id <> 0;"
    "CREATE INDEX admin_sessions_expiry ON admin_sessions(expires_at);",
    /* Handoffs to a counsellor (store_handoff.c): at most one open per
     * person; every message both ways since it opened. */
    "CREATE TABLE handoffs ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " reason TEXT NOT NULL,"
    " paused TEXT NOT NULL DEFAULT '',"
    " opened_at INTEGER NOT NULL,"
    " last_in_at INTEGER NOT NULL DEFAULT 0,"
    " last_out_at INTEGER NOT NULL DEFAULT 0,"
    " closed_at INTEGER NOT NULL DEFAULT 0,"
    " closed_by TEXT NOT NULL DEFAULT '');"
    "CREATE UNIQUE INDEX handoffs_one_open ON handoffs(person_id) WHERE closed_at = 0;"
    "CREATE INDEX handoffs_open ON handoffs(closed_at);"
    "CREATE TABLE handoff_messages ("
    " id INTEGER PRIMARY KEY,"
    " handoff_id INTEGER NOT NULL REFERENCES handoffs(id) ON DELETE CASCADE,"
    " at INTEGER NOT NULL,"
    " out INTEGER NOT NULL,"
    " author TEXT NOT NULL DEFAULT '',"
    " shown TEXT NOT NULL DEFAULT '',"
    " body TEXT NOT NULL);"
    "CREATE INDEX handoff_messages_of ON handoff_messages(handoff_id);",
    /* privacy: erasure requests made in the chat (store_privacy.c); state
     * 0 pending, 1 held by HR (reason), 2 done, 3 cancelled (the person was
     * erased another way). person_id becomes 0 when the person is erased,
     * so the row says only that a request was carried out and when. The
     * partial indexes find what the retention purge still has to blank. */
    "CREATE TABLE erasure_requests ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL,"
    " state INTEGER NOT NULL DEFAULT 0,"
    " requested_at INTEGER NOT NULL,"
    " due_at INTEGER NOT NULL,"
    " reason TEXT NOT NULL DEFAULT '',"
    " actor TEXT NOT NULL DEFAULT '',"
    " updated_at INTEGER NOT NULL,"
    " done_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE UNIQUE INDEX erasure_open ON erasure_requests(person_id) WHERE state IN (0, 1);"
    "CREATE INDEX erasure_due ON erasure_requests(due_at) WHERE state = 0;"
    "CREATE INDEX inbox_unpurged ON inbox(processed_at)"
    " WHERE processed_at IS NOT NULL AND (text IS NOT NULL OR payload <> '');"
    "CREATE INDEX outbox_unpurged ON outbox(updated_at)"
    " WHERE state >= 2 AND body <> '{\"text\":\"\"}';"
    "CREATE TABLE privacy_meta (key TEXT PRIMARY KEY, val INTEGER NOT NULL) WITHOUT ROWID;",
    /* alerts (store_alerts.c): a wellbeing or distress alert, open until
     * acknowledged on the dashboard; who was told in chat (the first
     * recipient and how many), never the answers or the message. */
    "CREATE TABLE alerts ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " sent_to TEXT NOT NULL DEFAULT ''," /* mentor, hr, fallback; '' nobody reached */
    " recipient_id INTEGER NOT NULL DEFAULT 0,"
    " reached INTEGER NOT NULL DEFAULT 0,"
    " acked_at INTEGER NOT NULL DEFAULT 0,"
    " acked_by TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX alerts_open ON alerts(acked_at, id);"
    "CREATE INDEX alerts_person ON alerts(person_id, kind);"
    /* each chat message an alert was sent as: when every one of them failed
     * or was blocked, the alert goes on to the next person not yet tried */
    "CREATE TABLE alert_sends ("
    " alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,"
    " person_id INTEGER NOT NULL,"
    " outbox_id INTEGER NOT NULL,"
    " PRIMARY KEY(alert_id, person_id)) WITHOUT ROWID;"
    "CREATE INDEX alert_sends_person ON alert_sends(person_id);",
    /* GROW: the answer to "what would raise your confidence by one point?"
     * (asked when confidence is 6 or less). */
    "ALTER TABLE grow_sessions ADD COLUMN boost TEXT NOT NULL DEFAULT '';",
    /* Mentoring: a session the other side logs too is one session, confirmed
     * by them (store_msession_confirm), so it counts once toward JP. */
    "ALTER TABLE mentoring_sessions ADD COLUMN confirmed_by INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE mentoring_sessions ADD COLUMN confirmed_at INTEGER NOT NULL DEFAULT 0;",
    /* Asked on every message (the person as flows see it): is anyone a
     * counsellor (handoff_available), and which HR officer hears a request
     * for help (hr_name). Partial indexes keep both lookups off a scan of
     * everyone. */
    "CREATE INDEX people_counsellor ON people(role) WHERE role = 'counsellor';"
    "CREATE INDEX people_hr ON people(unit, id) WHERE role = 'hr';",
    /* Surveys (store_survey.c): an answer waits here, with no person and no
     * time, under a pending id of its own, until its wave's unit (the unit
     * stored with the answers) holds k pending responses or the wave
     * closes; then the bucket moves into survey_answers under fresh random
     * response ids, in random order, and these rows are deleted (zeroed:
     * secure_delete). So the report table only grows k responses of a
     * unit at a time, and a pending id seen in one snapshot names no
     * released response. A row with question '' marks a response without
     * any answer (every question skipped), so it still counts. Released
     * answers carry the number of their release (step) within the wave and
     * unit: an open wave's report leaves out each unit's latest step, so
     * the final report differs from any open one by at least k answers. */
    "CREATE TABLE survey_pending ("
    " wave_id INTEGER NOT NULL,"
    " unit TEXT NOT NULL DEFAULT '',"
    " pending TEXT NOT NULL," /* 32 hex digits from getrandom, never a response id */
    " question TEXT NOT NULL,"
    " num REAL,"
    " txt TEXT,"
    " PRIMARY KEY(wave_id, unit, pending, question)) WITHOUT ROWID;"
    "ALTER TABLE survey_answers ADD COLUMN step INTEGER NOT NULL DEFAULT 0;",
    /* Working time (store_work.c): a person's own working days and hours
     * ('' = the instance's), and leave (/cuti) until a local day number
     * (inclusive; NULL = none). */
    "CREATE TABLE work_prefs ("
    " person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,"
    " days TEXT NOT NULL DEFAULT '',"
    " hours TEXT NOT NULL DEFAULT '',"
    " leave_until INTEGER,"
    " leave_set_at INTEGER NOT NULL DEFAULT 0);",
    /* Mentoring that leads somewhere: who left the programme (not matched
     * again until they opt in), and each side's answers about a pairing:
     * "met" (a week after pairing: did you meet? asked at most twice) and
     * "rate" (after a month: the match 1-5 and an optional word, for HR's
     * matching weights, reported only in aggregate). */
    "CREATE TABLE mentoring_optouts ("
    " person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,"
    " since INTEGER NOT NULL,"
    " reason TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE pairing_checks ("
    " pairing_id INTEGER NOT NULL REFERENCES pairings(id) ON DELETE CASCADE,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL," /* 'met' or 'rate' */
    " asks INTEGER NOT NULL DEFAULT 1,"
    " asked_at INTEGER NOT NULL,"
    " next_at INTEGER NOT NULL DEFAULT 0," /* ask again then (0: not again) */
    " answered_at INTEGER NOT NULL DEFAULT 0,"
    " answer TEXT NOT NULL DEFAULT ''," /* met: 'yes', 'not_yet' */
    " rating INTEGER NOT NULL DEFAULT 0,"
    " word TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY(pairing_id, person_id, kind)) WITHOUT ROWID;"
    "CREATE INDEX pairing_checks_person ON pairing_checks(person_id, kind, answered_at);"
    /* The public handle of an identity (a Telegram username), kept from
     * the updates the person sends: the introduction links to it. A
     * first message passed through the bot (/sapa) and its one answer. */
    "ALTER TABLE identities ADD COLUMN handle TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE mentoring_relays ("
    " id INTEGER PRIMARY KEY,"
    " pairing_id INTEGER NOT NULL REFERENCES pairings(id) ON DELETE CASCADE,"
    " from_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " to_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " sent_at INTEGER NOT NULL,"
    " answered_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX mentoring_relays_to ON mentoring_relays(to_id, answered_at);",
    /* The HR dashboard's language per person who signs in to it (hr,
     * admin, counsellor): Indonesian by default, chosen with its ID | EN
     * switch. Not the chat's language (people.lang). */
    "CREATE TABLE admin_prefs ("
    " person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,"
    " lang TEXT NOT NULL CHECK (lang IN ('id', 'en')),"
    " updated_at INTEGER NOT NULL);",
    /* The register (docs/coaching.md): a person's gender as HR's people CSV
     * gives it ('L' laki-laki, 'P' perempuan, '' not given; the NIP's own
     * gender digit is read when this is empty), for "Bapak"/"Ibu". */
    "ALTER TABLE people ADD COLUMN gender TEXT NOT NULL DEFAULT '';",
    /* The register: how a person is addressed, from HR's people CSV (column
     * panggilan: the name they go by, "Budi" for "Dr. Budi Santoso,
     * M.Si."); '' means the first name without titles (bot/base/sapaan.h). */
    "ALTER TABLE people ADD COLUMN panggilan TEXT NOT NULL DEFAULT '';",
    /* Broadcasts queue their recipients, not their messages (issue 16: 4.3
     * million in seconds): one small row per person still to be sent to,
     * moved into the outbox a chunk at a time by the survey module's tick
     * while the broadcast's queue runs low (store_broadcast_fill). The
     * bodies wait in the broadcast's row. Erased with the person, found
     * through the key (one seek per broadcast: no index by person, which
     * would cost each of the millions of rows a second insert). */
    "ALTER TABLE broadcasts ADD COLUMN body_id TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE broadcasts ADD COLUMN body_en TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE broadcast_pending ("
    " broadcast_id INTEGER NOT NULL,"
    " person_id INTEGER NOT NULL,"
    " PRIMARY KEY(broadcast_id, person_id)) WITHOUT ROWID;",
    /* Bulk invites (docs/api.md, "Invites"): a code HR re-issues or revokes
     * dies at once; redeeming it is refused like an expired one. */
    "ALTER TABLE invites ADD COLUMN revoked_at INTEGER;"
    "CREATE INDEX invites_person_live ON invites(person_id, used_at, revoked_at);",
    /* The learning catalogue (store_learning.c, docs/learning.md): one row
     * per item HR imports (`bimbing catalog import`), updated by id;
     * competencies normalised and joined by ';'; retired items stay for
     * the plans that name them but are no longer suggested. */
    "CREATE TABLE learning_items ("
    " id TEXT PRIMARY KEY,"
    " title TEXT NOT NULL,"
    " provider TEXT NOT NULL,"
    " modality TEXT NOT NULL,"
    " jp INTEGER NOT NULL CHECK (jp BETWEEN 1 AND 200),"
    " competencies TEXT NOT NULL,"
    " level TEXT NOT NULL,"
    " lang TEXT NOT NULL,"
    " url TEXT NOT NULL DEFAULT '',"
    " retired_at INTEGER NOT NULL DEFAULT 0,"
    " updated_at INTEGER NOT NULL);",
    /* A person's competency profile (levels 1-4 now and wanted; source:
     * 'self' from /profil, 'learning' when a finished item moved it) and
     * their learning plan (an item started, then done with a short
     * reflection or dropped). Personal data of the category development. */
    "CREATE TABLE learning_profile ("
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " competency TEXT NOT NULL,"
    " current INTEGER NOT NULL CHECK (current BETWEEN 1 AND 4),"
    " target INTEGER NOT NULL CHECK (target BETWEEN 1 AND 4),"
    " source TEXT NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " PRIMARY KEY(person_id, competency)) WITHOUT ROWID;"
    "CREATE TABLE learning_plan ("
    " id INTEGER PRIMARY KEY,"
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " item_id TEXT NOT NULL,"
    " state TEXT NOT NULL DEFAULT 'started'," /* started, done, dropped */
    " started_at INTEGER NOT NULL,"
    " ended_at INTEGER NOT NULL DEFAULT 0,"
    " rating INTEGER NOT NULL DEFAULT 0," /* how useful, 1-5, when done */
    " applied TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX learning_plan_person ON learning_plan(person_id, state);",
    /* A leaver deactivated by HR (docs/privacy.md, "Deactivating a
     * leaver"): the time, 0 while the person is active. A deactivated
     * person has no chat, is in no segment, plan or matching, and cannot
     * be invited or linked again. */
    "ALTER TABLE people ADD COLUMN deactivated_at INTEGER NOT NULL DEFAULT 0;",
    /* Recurring survey pulses (docs/surveys.md): a series starts a new
     * wave of its flow for its segment every N weeks until it is stopped;
     * each wave names its series. No personal data: the actor is the NIP
     * of the HR person who made it, as in survey_waves. */
    "CREATE TABLE survey_series ("
    " id INTEGER PRIMARY KEY,"
    " flow_id TEXT NOT NULL,"
    " segment TEXT NOT NULL,"
    " every_weeks INTEGER NOT NULL CHECK (every_weeks BETWEEN 1 AND 52),"
    " next_at INTEGER NOT NULL,"
    " open_for INTEGER NOT NULL,"
    " remind_after INTEGER NOT NULL DEFAULT 0,"
    " stopped_at INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL,"
    " actor TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX survey_series_due ON survey_series(stopped_at, next_at);"
    "ALTER TABLE survey_waves ADD COLUMN series_id INTEGER NOT NULL DEFAULT 0;",
    /* Broadcasts HR cancels before they are sent (store_survey.c): when,
     * by whom, and how many queued messages were dropped. A pairing's end
     * reason shared with both sides, or kept for HR (store_mentoring.c). */
    "ALTER TABLE broadcasts ADD COLUMN cancelled_at INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE broadcasts ADD COLUMN cancelled_by TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE broadcasts ADD COLUMN dropped INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE pairings ADD COLUMN reason_shared INTEGER NOT NULL DEFAULT 0;",
    /* Indexes for the person fields (docs/benchmarks.md, issue 16): no
     * temporary b-tree to sort a person's pending pairing check
     * (store_pcheck_pending; the new index begins with the old one's
     * columns, so it replaces it), to find their GROW session due for a
     * follow-up (GROW_DUE, store_coaching.c), or to count the distinct
     * givers an asker asked lately (store_coaching_summary). */
    "DROP INDEX pairing_checks_person;"
    "CREATE INDEX pairing_checks_pending ON pairing_checks(person_id, kind, answered_at,"
    " asked_at, pairing_id);"
    "CREATE INDEX grow_open ON grow_sessions(person_id, followup_at, followup_day, at);"
    "CREATE INDEX feedback_req_asker_giver ON feedback_requests(asker_id, giver_id, created_at);",
    /* A person's learning preferences (/profil, docs/learning.md): the
     * modality they prefer ('' none) and the longest item they have time
     * for, in JP (0 no limit). Personal data of the category development. */
    "CREATE TABLE learning_prefs ("
    " person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,"
    " modality TEXT NOT NULL DEFAULT '',"
    " max_jp INTEGER NOT NULL DEFAULT 0 CHECK (max_jp BETWEEN 0 AND 200),"
    " updated_at INTEGER NOT NULL);",
    /* Learning from a colleague (docs/learning.md): the competencies a
     * person agreed to be asked about (only ones they rate 3 or more), and
     * the requests relayed to them (open, yes, no); personal data of both
     * sides (store_person_tables). */
    "CREATE TABLE learning_askable ("
    " person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " competency TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " PRIMARY KEY(person_id, competency)) WITHOUT ROWID;"
    "CREATE TABLE learning_asks ("
    " id INTEGER PRIMARY KEY,"
    " asker_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " colleague_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    " competency TEXT NOT NULL,"
    " state TEXT NOT NULL DEFAULT 'open'," /* open, yes, no */
    " created_at INTEGER NOT NULL,"
    " answered_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX learning_asks_colleague ON learning_asks(colleague_id, created_at);"
    "CREATE INDEX learning_asks_asker ON learning_asks(asker_id, created_at);",
};
const int store_nmigrations = (int)(sizeof(store_migrations) / sizeof(store_migrations[0]));

/* Rows that match a person's identities: inbound events from their chats. */
#define INBOX_OF_PERSON                                                                            \
    "SELECT id FROM inbox WHERE person_id = ?1 UNION SELECT i.id FROM identities d"                \
    " JOIN inbox i ON i.channel = d.channel AND i.ext_user = d.ext_id WHERE d.person_id = ?1"
#define OUTBOX_OF_PERSON                                                                           \
    "SELECT id FROM outbox WHERE person_id = ?1 UNION SELECT o.id FROM identities d"               \
    " JOIN outbox o ON o.channel = d.channel AND o.ext_user = d.ext_id AND o.person_id = 0"        \
    " WHERE d.person_id = ?1"

const struct store_person_table store_person_tables[] = {
    {"person",
     "SELECT id, nip, name, unit, position, grade, role, lang, tz, phone, email, supervisor_nip,"
     " strengths, interests, gender, panggilan, created_at, updated_at, deactivated_at"
     " FROM people WHERE id = ?1",
     "DELETE FROM people WHERE id = ?1", 1, 0},
    /* Working days and hours of their own, and leave (/cuti). */
    {"work_prefs",
     "SELECT days, hours, CASE WHEN leave_until IS NULL THEN NULL ELSE"
     " date(leave_until * 86400, 'unixepoch') END AS leave_until, leave_set_at"
     " FROM work_prefs WHERE person_id = ?1",
     "DELETE FROM work_prefs WHERE person_id = ?1", 0, 0},
    /* Others name the person as their supervisor: that NIP goes too. */
    {NULL, NULL,
     "UPDATE people SET supervisor_nip = '' WHERE supervisor_nip <> ''"
     " AND supervisor_nip = (SELECT nip FROM people WHERE id = ?1)",
     0, 0},
    {"identities",
     "SELECT channel, ext_id, handle, blocked, blocked_at, linked_at, last_seen FROM identities"
     " WHERE person_id = ?1 ORDER BY id",
     "DELETE FROM identities WHERE person_id = ?1", 0, 0},
    /* Web chat sign-ins of the person's web identities (found through
     * identities, so erased before them); the token hash is not exported. */
    {"web_sessions",
     "SELECT w.ext_user, w.created_at, w.last_seen, w.expires_at FROM web_sessions w"
     " JOIN identities d ON d.channel = ?2 AND d.ext_id = w.ext_user"
     " WHERE d.person_id = ?1 ORDER BY w.created_at",
     "DELETE FROM web_sessions WHERE ext_user IN"
     " (SELECT ext_id FROM identities WHERE channel = ?2 AND person_id = ?1)",
     0, 1},
    {"invites",
     "SELECT created_at, expires_at, used_at, revoked_at FROM invites WHERE person_id = ?1 ORDER "
     "BY id",
     "DELETE FROM invites WHERE person_id = ?1", 0, 0},
    {"consents", "SELECT purpose, granted, at FROM consents WHERE person_id = ?1 ORDER BY id",
     "DELETE FROM consents WHERE person_id = ?1", 0, 0},
    {"sessions",
     "SELECT flow_id, flow_version, node, state AS state_json, updated_at FROM sessions"
     " WHERE person_id = ?1",
     "DELETE FROM sessions WHERE person_id = ?1", 0, 0},
    {"checkins",
     "SELECT at, mood, win, blocker, wants_help, extra AS extra_json FROM checkins"
     " WHERE person_id = ?1 ORDER BY at, id",
     "DELETE FROM checkins WHERE person_id = ?1", 0, 0},
    {"timers", "SELECT kind, payload, due FROM timers WHERE person_id = ?1 ORDER BY due, id",
     "DELETE FROM timers WHERE person_id = ?1", 0, 0},
    {"inbox",
     "SELECT id, channel, ext_user, ext_msg_id, kind, text, payload, ts, processed_at FROM inbox"
     " WHERE id IN (" INBOX_OF_PERSON ") ORDER BY id",
     "DELETE FROM inbox WHERE id IN (" INBOX_OF_PERSON ")", 0, 0},
    {"outbox",
     "SELECT id, channel, ext_user, priority, CASE WHEN json_valid(body) THEN"
     " json_remove(body, '$.doc.data') ELSE body END AS body_json, state, attempts, due, "
     "created_at,"
     " updated_at, ext_msg_id, error, batch_id FROM outbox WHERE id IN (" OUTBOX_OF_PERSON ")"
     " ORDER BY id",
     "DELETE FROM outbox WHERE id IN (" OUTBOX_OF_PERSON ")", 0, 0},
    /* Broadcasts not yet moved into their outbox (migration: broadcast_pending). */
    {"broadcasts_pending",
     "SELECT broadcast_id FROM broadcast_pending WHERE broadcast_id IN (SELECT id FROM broadcasts)"
     " AND person_id = ?1 ORDER BY broadcast_id",
     "DELETE FROM broadcast_pending WHERE broadcast_id IN (SELECT id FROM broadcasts)"
     " AND person_id = ?1",
     0, 0},
    {"audit",
     "SELECT at, actor, action, detail FROM audit_log WHERE subject_person = ?1 ORDER BY id",
     "DELETE FROM audit_log WHERE subject_person = ?1", 0, 0},
    /* WhatsApp (migration 5): erased before identities (reverse order). */
    {"whatsapp_pending",
     "SELECT wa_id, state, prompts, created_at FROM wa_pending WHERE person_id = ?1",
     "DELETE FROM wa_pending WHERE person_id = ?1", 0, 0},
    {"whatsapp_window",
     "SELECT wa_id, last_in, closed_at, nudged_at FROM wa_window WHERE wa_id IN (SELECT ext_id"
     " FROM identities WHERE person_id = ?1 AND channel = ?2)",
     "DELETE FROM wa_window WHERE wa_id IN (SELECT ext_id FROM identities WHERE person_id = ?1"
     " AND channel = ?2)",
     0, 1},
    /* Coaching (migration 6). Feedback: what the person received (the
     * giver's name only when not anonymous) and what they gave under their
     * name; anonymous feedback keeps no giver, so it is in nobody's "given". */
    {"wellbeing",
     "SELECT at, day, raw, raw * 4 AS score, items, alerted FROM wellbeing WHERE person_id = ?1"
     " ORDER BY at, id",
     "DELETE FROM wellbeing WHERE person_id = ?1", 0, 0},
    {"grow_sessions",
     "SELECT at, goal, reality, options, will, confidence, followup_day, followup_at, progress,"
     " followup_note, boost FROM grow_sessions WHERE person_id = ?1 ORDER BY at, id",
     "DELETE FROM grow_sessions WHERE person_id = ?1", 0, 0},
    {"development_goals",
     "SELECT at, comp_group, competency, goal, due, status, done_at FROM dev_goals"
     " WHERE person_id = ?1 ORDER BY at, id",
     "DELETE FROM dev_goals WHERE person_id = ?1", 0, 0},
    {"learning",
     "SELECT at, day, title, kind, minutes, round(minutes / 45.0, 2) AS jp FROM learning_log"
     " WHERE person_id = ?1 ORDER BY at, id",
     "DELETE FROM learning_log WHERE person_id = ?1", 0, 0},
    {"reflections",
     "SELECT at, week, value, rating, example FROM reflections WHERE person_id = ?1"
     " ORDER BY at, id",
     "DELETE FROM reflections WHERE person_id = ?1", 0, 0},
    {"feedback_requests",
     "SELECT r.created_at, r.answered_at, r.status, r.topic,"
     " CASE WHEN r.asker_id = ?1 THEN 'asked_by_me' ELSE 'asked_of_me' END AS direction,"
     " a.name AS asker, g.name AS giver FROM feedback_requests r"
     " LEFT JOIN people a ON a.id = r.asker_id LEFT JOIN people g ON g.id = r.giver_id"
     " WHERE r.asker_id = ?1 OR r.giver_id = ?1 ORDER BY r.id",
     "DELETE FROM feedback_requests WHERE asker_id = ?1 OR giver_id = ?1", 0, 0},
    {"feedback_received",
     "SELECT f.day, f.topic, f.went_well, f.better, f.anonymous,"
     " CASE WHEN f.anonymous THEN NULL ELSE g.name END AS giver FROM feedback f"
     " LEFT JOIN people g ON g.id = f.giver_id WHERE f.to_person = ?1 ORDER BY f.id",
     "DELETE FROM feedback WHERE to_person = ?1", 0, 0},
    {"feedback_given",
     "SELECT f.day, f.topic, f.went_well, f.better, p.name AS to_name FROM feedback f"
     " LEFT JOIN people p ON p.id = f.to_person WHERE f.giver_id = ?1 ORDER BY f.id",
     "DELETE FROM feedback WHERE giver_id = ?1", 0, 0},
    {"mentor_requests",
     "SELECT created_at, updated_at, status, tags, traits FROM mentor_requests"
     " WHERE person_id = ?1 ORDER BY id",
     "DELETE FROM mentor_requests WHERE person_id = ?1", 0, 0},
    /* Mentoring (migration 7); the profile is a list of at most one row
     * (only the person row may be "single"). Sessions: the mentee's rows go; as a mentor,
     * the person's id is cleared so the mentee keeps their minutes. */
    {"mentor_profile",
     "SELECT capacity, status, updated_at FROM mentor_profiles WHERE person_id = ?1",
     "DELETE FROM mentor_profiles WHERE person_id = ?1", 0, 0},
    {"pairings",
     "SELECT p.id, CASE WHEN p.mentee_id = ?1 THEN 'mentee' ELSE 'mentor' END AS side,"
     " (SELECT nip FROM people WHERE id = CASE WHEN p.mentee_id = ?1 THEN p.mentor_id"
     " ELSE p.mentee_id END) AS other_nip, p.status, p.started_at, p.ended_at, p.end_reason,"
     " p.ended_by FROM pairings p WHERE p.mentee_id = ?1 OR p.mentor_id = ?1 ORDER BY p.id",
     "DELETE FROM pairings WHERE mentee_id = ?1 OR mentor_id = ?1", 0, 0},
    {"pair_proposals",
     "SELECT suggestion_id, CASE WHEN mentee_id = ?1 THEN 'mentee' ELSE 'mentor' END AS side,"
     " score, reasons, state FROM pair_proposals WHERE mentee_id = ?1 OR mentor_id = ?1"
     " ORDER BY suggestion_id",
     "DELETE FROM pair_proposals WHERE mentee_id = ?1 OR mentor_id = ?1", 0, 0},
    {"mentoring_sessions",
     "SELECT CASE WHEN mentee_id = ?1 THEN 'mentee' ELSE 'mentor' END AS side, day, minutes,"
     " topics, next_steps, logged_by = ?1 AS logged_by_me, confirmed_by = ?1 AS confirmed_by_me,"
     " confirmed_at, created_at FROM mentoring_sessions"
     " WHERE mentee_id = ?1 OR mentor_id = ?1 ORDER BY held_at, id",
     "UPDATE mentoring_sessions SET mentor_id = CASE WHEN mentor_id = ?1 THEN 0 ELSE mentor_id"
     " END, logged_by = CASE WHEN logged_by = ?1 THEN 0 ELSE logged_by END,"
     " confirmed_by = CASE WHEN confirmed_by = ?1 THEN 0 ELSE confirmed_by END"
     " WHERE mentor_id = ?1 OR logged_by = ?1 OR confirmed_by = ?1",
     0, 0},
    {NULL, NULL, "DELETE FROM mentoring_sessions WHERE mentee_id = ?1", 0, 0},
    /* The person's answers about their pairings (erased before the
     * pairings, which come earlier in this list), and whether they left. */
    {"pairing_checks",
     "SELECT c.kind, (SELECT nip FROM people WHERE id = CASE WHEN p.mentee_id = ?1"
     " THEN p.mentor_id ELSE p.mentee_id END) AS other_nip, c.asks, c.asked_at, c.answered_at,"
     " c.answer, c.rating, c.word FROM pairing_checks c JOIN pairings p ON p.id = c.pairing_id"
     " WHERE c.person_id = ?1 ORDER BY c.pairing_id, c.kind",
     "DELETE FROM pairing_checks WHERE person_id = ?1 OR pairing_id IN (SELECT id FROM pairings"
     " WHERE mentee_id = ?1 OR mentor_id = ?1)",
     0, 0},
    {"mentoring_relays",
     "SELECT CASE WHEN from_id = ?1 THEN 'sent' ELSE 'received' END AS direction, sent_at,"
     " answered_at FROM mentoring_relays WHERE from_id = ?1 OR to_id = ?1 ORDER BY id",
     "DELETE FROM mentoring_relays WHERE from_id = ?1 OR to_id = ?1", 0, 0},
    {"mentoring_optout", "SELECT since, reason FROM mentoring_optouts WHERE person_id = ?1",
     "DELETE FROM mentoring_optouts WHERE person_id = ?1", 0, 0},
    /* The scheduler (migration 8): erased first (reverse order), so the
     * timers' erase finds no plan to re-plan. */
    {NULL, NULL, "DELETE FROM sched_dirty WHERE person_id = ?1", 0, 0},
    {"schedule", "SELECT flow_id, due, tz FROM sched_plan WHERE person_id = ?1 ORDER BY flow_id",
     "DELETE FROM sched_plan WHERE person_id = ?1", 0, 0},
    /* Surveys (migration 9): only participation is personal data (which
     * waves the person was asked in and whether they answered); the answers
     * themselves are anonymous and cannot be found from the person. */
    {"survey_invitations",
     "SELECT i.wave_id, w.flow_id, i.answered FROM survey_invitations i"
     " JOIN survey_waves w ON w.id = i.wave_id WHERE i.person_id = ?1 ORDER BY i.wave_id",
     "DELETE FROM survey_invitations WHERE person_id = ?1", 0, 0},
    /* Alerts about the person (the migration "alerts"); as a recipient the
     * person's id is cleared, the alert stays for the one it is about. */
    {"alerts",
     "SELECT kind, created_at, sent_to, reached, acked_at FROM alerts WHERE person_id = ?1"
     " ORDER BY id",
     "DELETE FROM alerts WHERE person_id = ?1", 0, 0},
    {NULL, NULL, "UPDATE alerts SET recipient_id = 0 WHERE recipient_id = ?1", 0, 0},
    {NULL, NULL, "DELETE FROM alert_sends WHERE person_id = ?1", 0, 0},
    /* HR dashboard sign-ins (migration 10); the token hash is not exported. */
    {"admin_sessions",
     "SELECT created_at, last_seen, expires_at FROM admin_sessions WHERE person_id = ?1"
     " ORDER BY created_at",
     "DELETE FROM admin_sessions WHERE person_id = ?1", 0, 0},
    {"admin_prefs", "SELECT lang, updated_at FROM admin_prefs WHERE person_id = ?1",
     "DELETE FROM admin_prefs WHERE person_id = ?1", 0, 0},
    /* Handoffs to a counsellor; their messages are found through them, so
     * they come after (erased first). An answer shows the name the person
     * saw, not the counsellor's NIP. */
    {"handoffs",
     "SELECT id, reason, opened_at, closed_at, closed_by FROM handoffs WHERE person_id = ?1"
     " ORDER BY id",
     "DELETE FROM handoffs WHERE person_id = ?1", 0, 0},
    {"handoff_messages",
     "SELECT m.handoff_id, m.at, CASE WHEN m.out THEN 'answer' ELSE 'mine' END AS direction,"
     " m.shown AS answered_by, m.body FROM handoff_messages m JOIN handoffs h"
     " ON h.id = m.handoff_id WHERE h.person_id = ?1 ORDER BY m.id",
     "DELETE FROM handoff_messages WHERE handoff_id IN (SELECT id FROM handoffs"
     " WHERE person_id = ?1)",
     0, 0},
    /* A counsellor who is forgotten: their NIP leaves the handoffs they
     * answered or closed (the first name the person saw stays theirs). */
    {NULL, NULL,
     "UPDATE handoff_messages SET author = 'counsellor' WHERE author IN (SELECT 'counsellor:' ||"
     " nip FROM people WHERE id = ?1 UNION SELECT 'hr:' || nip FROM people WHERE id = ?1)",
     0, 0},
    {NULL, NULL,
     "UPDATE handoffs SET closed_by = 'counsellor' WHERE closed_by IN (SELECT 'counsellor:' ||"
     " nip FROM people WHERE id = ?1 UNION SELECT 'hr:' || nip FROM people WHERE id = ?1)",
     0, 0},
    /* Personalised learning (docs/learning.md): the competency profile and
     * the learning plan. */
    {"learning_profile",
     "SELECT competency, current, target, source, updated_at FROM learning_profile"
     " WHERE person_id = ?1 ORDER BY competency",
     "DELETE FROM learning_profile WHERE person_id = ?1", 0, 0},
    {"learning_plan",
     "SELECT item_id, state, started_at, ended_at, rating, applied FROM learning_plan"
     " WHERE person_id = ?1 ORDER BY id",
     "DELETE FROM learning_plan WHERE person_id = ?1", 0, 0},
    {"learning_prefs",
     "SELECT modality, max_jp, updated_at FROM learning_prefs WHERE person_id = ?1",
     "DELETE FROM learning_prefs WHERE person_id = ?1", 0, 0},
    /* Learning from a colleague: what the person agreed to be asked about,
     * and the requests they made or received (the other side by name). */
    {"learning_askable",
     "SELECT competency, created_at FROM learning_askable WHERE person_id = ?1"
     " ORDER BY competency",
     "DELETE FROM learning_askable WHERE person_id = ?1", 0, 0},
    {"learning_asks",
     "SELECT CASE WHEN r.asker_id = ?1 THEN 'asked_by_me' ELSE 'asked_of_me' END AS direction,"
     " r.competency, r.state, r.created_at, r.answered_at, a.name AS asker, c.name AS colleague"
     " FROM learning_asks r LEFT JOIN people a ON a.id = r.asker_id"
     " LEFT JOIN people c ON c.id = r.colleague_id"
     " WHERE r.asker_id = ?1 OR r.colleague_id = ?1 ORDER BY r.id",
     "DELETE FROM learning_asks WHERE asker_id = ?1 OR colleague_id = ?1", 0, 0},
    /* Erasure requests (privacy): exported; on erasure the row is kept
     * without the person (an open one counts as cancelled). */
    {"erasure_requests",
     "SELECT requested_at, due_at, CASE state WHEN 0 THEN 'pending' WHEN 1 THEN 'held'"
     " WHEN 2 THEN 'done' ELSE 'cancelled' END AS state, reason, updated_at"
     " FROM erasure_requests WHERE person_id = ?1 ORDER BY id",
     "UPDATE erasure_requests SET person_id = 0, state = CASE WHEN state IN (0, 1) THEN 3"
     " ELSE state END WHERE person_id = ?1",
     0, 0},
};
const int store_person_ntables =
    (int)(sizeof(store_person_tables) / sizeof(store_person_tables[0]));
