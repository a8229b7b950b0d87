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
    /* 6-9: placeholders for migrations of branches merged later (surveys,
     * mentoring, coaching...); the lead replaces them at merge. */
    "SELECT 1;",
    "SELECT 1;",
    "SELECT 1;",
    "SELECT 1;",
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
     " strengths, interests, created_at, updated_at FROM people WHERE id = ?1",
     "DELETE FROM people WHERE id = ?1", 1},
    /* Others name the person as their supervisor: that NIP goes too. */
    {NULL, NULL,
     "UPDATE people SET supervisor_nip = '' WHERE supervisor_nip <> ''"
     " AND supervisor_nip = (SELECT nip FROM people WHERE id = ?1)",
     0},
    {"identities",
     "SELECT channel, ext_id, blocked, blocked_at, linked_at, last_seen FROM identities"
     " WHERE person_id = ?1 ORDER BY id",
     "DELETE FROM identities WHERE person_id = ?1", 0},
    /* Web chat sign-ins of the person's web identities (found through
     * identities, so erased before them); the token hash is not exported. */
    {"web_sessions",
     "SELECT w.ext_user, w.created_at, w.last_seen, w.expires_at FROM web_sessions w"
     " JOIN identities d ON d.channel = 'web' AND d.ext_id = w.ext_user"
     " WHERE d.person_id = ?1 ORDER BY w.created_at",
     "DELETE FROM web_sessions WHERE ext_user IN"
     " (SELECT ext_id FROM identities WHERE channel = 'web' AND person_id = ?1)",
     0},
    {"invites",
     "SELECT created_at, expires_at, used_at FROM invites WHERE person_id = ?1 ORDER BY id",
     "DELETE FROM invites WHERE person_id = ?1", 0},
    {"consents", "SELECT purpose, granted, at FROM consents WHERE person_id = ?1 ORDER BY id",
     "DELETE FROM consents WHERE person_id = ?1", 0},
    {"sessions",
     "SELECT flow_id, flow_version, node, state AS state_json, updated_at FROM sessions"
     " WHERE person_id = ?1",
     "DELETE FROM sessions WHERE person_id = ?1", 0},
    {"checkins",
     "SELECT at, mood, win, blocker, wants_help, extra AS extra_json FROM checkins"
     " WHERE person_id = ?1 ORDER BY at, id",
     "DELETE FROM checkins WHERE person_id = ?1", 0},
    {"timers", "SELECT kind, payload, due FROM timers WHERE person_id = ?1 ORDER BY due, id",
     "DELETE FROM timers WHERE person_id = ?1", 0},
    {"inbox",
     "SELECT id, channel, ext_user, ext_msg_id, kind, text, payload, ts, processed_at FROM inbox"
     " WHERE id IN (" INBOX_OF_PERSON ") ORDER BY id",
     "DELETE FROM inbox WHERE id IN (" INBOX_OF_PERSON ")", 0},
    {"outbox",
     "SELECT id, channel, ext_user, priority, body AS body_json, state, attempts, due, created_at,"
     " updated_at, ext_msg_id, error, batch_id FROM outbox WHERE id IN (" OUTBOX_OF_PERSON ")"
     " ORDER BY id",
     "DELETE FROM outbox WHERE id IN (" OUTBOX_OF_PERSON ")", 0},
    {"audit",
     "SELECT at, actor, action, detail FROM audit_log WHERE subject_person = ?1 ORDER BY id",
     "DELETE FROM audit_log WHERE subject_person = ?1", 0},
    /* WhatsApp (migration 5): erased before identities (reverse order). */
    {"whatsapp_pending",
     "SELECT wa_id, state, prompts, created_at FROM wa_pending WHERE person_id = ?1",
     "DELETE FROM wa_pending WHERE person_id = ?1", 0},
    {"whatsapp_window",
     "SELECT wa_id, last_in, closed_at, nudged_at FROM wa_window WHERE wa_id IN (SELECT ext_id"
     " FROM identities WHERE person_id = ?1 AND channel = 'whatsapp')",
     "DELETE FROM wa_window WHERE wa_id IN (SELECT ext_id FROM identities WHERE person_id = ?1"
     " AND channel = 'whatsapp')",
     0},
    /* HR dashboard sign-ins (migration 10); the token hash is not exported. */
    {"admin_sessions",
     "SELECT created_at, last_seen, expires_at FROM admin_sessions WHERE person_id = ?1"
     " ORDER BY created_at",
     "DELETE FROM admin_sessions WHERE person_id = ?1", 0},
};
const int store_person_ntables =
    (int)(sizeof(store_person_tables) / sizeof(store_person_tables[0]));
