/*
 * flow.h - conversation flows: the compiled form of the flows/ JSON files, the
 * loader and validator (flow_load.c), the library of loaded versions
 * (flow_lib.c) and the engine (flow_engine.c, flow_input.c).
 *
 * The engine is a pure function:
 *     flow_handle(ctx, state, event) -> new state + effects
 * It does no I/O and reads no clock: the time, the person and the flows
 * come in through struct flow_ctx. The core (bot/core/core.c) loads the state
 * from the store, calls the engine, and carries out the effects.
 *
 * The format itself is specified in flows/FORMAT.md.
 *
 * Thread rules: a compiled flow and a flow_lib are read-only once built and
 * may be shared by threads that only read; flow_lib_add/flow_lib_load_dir
 * must not run beside readers. A flow_state and a flow_fxlist belong to
 * their caller.
 */
#ifndef FLOW_H
#define FLOW_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "bot/flow/expr.h"

#define FLOW_NLANG    2  /* languages every text must have, see flow_langs */
#define FLOW_ID_MAX   48 /* flow ids: [a-z0-9_.-], at most 47 (menu buttons carry them) */
#define FLOW_NAME_MAX 48 /* node and variable names: [A-Za-z0-9_], at most 47 */
#define FLOW_OPT_ID_MAX                                                                            \
    41 /* option ids: [a-z0-9_-], at most 40 (a button carries it back in 64 bytes) */
#define FLOW_LABEL_MAX 64 /* any option label, in characters */
#define FLOW_MAX_OPTS  30
#define FLOW_MAX_NODES 500
#define FLOW_MAX_DEPTH 4    /* call nesting */
#define FLOW_MAX_STEPS 64   /* nodes run for one event before the engine gives up */
#define FLOW_TEXT_MAX  4000 /* a rendered text, in bytes */
#define FLOW_SRC_MAX   (1024 * 1024)
#define FLOW_MAX_VARS  64
#define FLOW_VAR_MAX   16384 /* a saved value, in bytes: 4,000 characters of any script */

/* A limit a channel puts on option labels: a question of at most max_opts
 * options is shown as `what` (say, a platform's reply buttons), which holds
 * labels of at most max_chars characters. The validator refuses a longer
 * label with "...; <what> holds <max_chars>", naming the first limit (in
 * increasing max_opts) the question falls under. The program sets the
 * limits of the channels it has once at start-up, before any flow loads
 * (adapters/service/channels.c); without any, only FLOW_LABEL_MAX applies. */
#define FLOW_LABEL_LIMITS_MAX 8
struct flow_label_limit {
    int max_opts;
    int max_chars;
    char what[48];
};
void flow_set_label_limits(const struct flow_label_limit *v, int n);

/* The languages, in index order: 0 = "id" (Bahasa Indonesia), 1 = "en". */
extern const char *const flow_langs[FLOW_NLANG];
int flow_lang_index(const char *lang); /* -1 when unknown */

/* One {{name}} placeholder of a text, as flow_placeholder_next finds it. */
struct flow_placeholder {
    const char *at;               /* its "{{" */
    const char *end;              /* just past its "}}" */
    size_t len;                   /* length of the name, spaces around it trimmed */
    char name[FLOW_NAME_MAX * 2]; /* the name; "" when len does not fit */
};
/* The next placeholder in s (the checker's and the renderer's one scanner):
 * 1 found, 0 no "{{" left, -1 a "{{" without "}}" (only ph->at set). */
int flow_placeholder_next(const char *s, struct flow_placeholder *ph);

/* A text in every language; t[i] is NULL when missing (a validation error).
 * casual is the optional casual variant of the Indonesian text ("id_santai",
 * the register "santai" of docs/coaching.md); NULL when there is none. */
struct flow_text {
    char *t[FLOW_NLANG];
    char *casual;
};

/* ---- the register of Indonesian texts (flow_register.c) -------------------- */

/* The key of a text's casual variant: {"id": ..., "en": ..., "id_santai": ...} */
#define FLOW_CASUAL_KEY "id_santai"

/* 1 when an Indonesian text addresses someone in the formal register: it
 * says "Anda" (a word) or uses {{sapaan}} / {{sapaan_nama}}. Such a text
 * needs a casual variant where the instance allows the casual register;
 * a text that addresses nobody reads the same in both. */
int flow_register_formal(const char *text);

/* The first register fault of an Indonesian text, skipping {{variables}}:
 * in a formal text (casual 0) a kamu/-mu form ("kamu", "kau", "engkau",
 * "minggumu"; a short list of words that merely end in "mu" is allowed:
 * ilmu, temu, bertemu, tamu...) or "anda" not capitalised; in a casual
 * variant (casual 1) "Anda". Returns 0 when there is none; else 1 with *at
 * the byte offset of the word, the word in word (cut to wn) and the rule
 * broken in why. */
int flow_register_fault(const char *text, int casual, size_t *at, char *word, size_t wn, char *why,
                        size_t whyn);

enum flow_input_type {
    FLOW_IN_NONE = 0,
    FLOW_IN_TEXT,
    FLOW_IN_NUMBER,
    FLOW_IN_CHOICE,
    FLOW_IN_SCALE,
    FLOW_IN_YESNO,
    FLOW_IN_DATE,
    FLOW_IN_DURATION, /* a length of time as people write it; the value is minutes */
};

#define FLOW_JP_MINUTES 45 /* 1 JP (jam pelajaran) = 45 minutes */
#define FLOW_DAY_JP     8  /* a working day of learning = 8 JP, unless "day_jp" says */

struct flow_option {
    char id[FLOW_OPT_ID_MAX];
    struct flow_text label;
    char **syn[FLOW_NLANG]; /* synonyms, folded */
    int nsyn[FLOW_NLANG];
    double value; /* scale: the number; yes/no: 1 or 0 */
};

struct flow_input {
    int type;        /* enum flow_input_type */
    double min, max; /* number, scale */
    int has_min, has_max;
    int integer;              /* number: whole numbers only */
    int minlen, maxlen;       /* text, in characters */
    char *pattern;            /* text: PCRE2 pattern source */
    void *re;                 /* pcre2_code *, compiled once (JIT when available) */
    struct flow_option *opts; /* choice, scale, yesno */
    int nopts;
    int date_min_days, date_max_days; /* date: allowed range relative to today */
    int has_date_min, has_date_max;
    int day_minutes; /* duration: minutes in a day ("3 hari"): day_jp * 45 */
    int moods;       /* scale: words and emoji of mood ("hebat!", "capek") are understood */
    /* choice: "options_from": a variable holding a list of {"id", "label"}
     * (an action's <result>_options) offered first, before any fixed
     * "options"; "" when the options are all fixed */
    char options_from[FLOW_NAME_MAX];
};

struct flow_set {
    char var[FLOW_NAME_MAX];
    struct expr *value;
};

/* One conditional edge: cond NULL means always. target is a node index,
 * FLOW_TARGET_END to end the flow. */
#define FLOW_TARGET_END (-1)
struct flow_next {
    struct expr *cond;
    int target;
};

struct flow_action_def;
struct flow_action {
    const struct flow_action_def *def; /* the row it was checked against (borrowed) */
    cJSON *args;                       /* the action object as written (owned) */
    struct expr *value;                /* the expression argument, when the action has one */
    char value_key[16];                /* which key of args holds that expression */
    struct flow_text text;             /* the text argument, when the action has one */
};

enum flow_node_kind {
    FLOW_NODE_SAY = 1,
    FLOW_NODE_ASK,
    FLOW_NODE_BRANCH,
    FLOW_NODE_SET,
    FLOW_NODE_ACTION,
    FLOW_NODE_CALL,
    FLOW_NODE_WAIT,
    FLOW_NODE_END,
};

struct flow_node {
    char name[FLOW_NAME_MAX];
    int kind; /* enum flow_node_kind: what the node mainly does */
    struct flow_set *sets;
    int nsets;
    struct flow_action *acts;
    int nacts;
    int has_say;
    struct flow_text say;
    int has_ask;
    struct flow_text ask;
    struct flow_input input;
    int retry_max;
    int has_retry_say;
    struct flow_text retry_say;
    int retry_else; /* node index, or FLOW_TARGET_END */
    char save[FLOW_NAME_MAX];
    /* "result": the variable that keeps the outcome of the node's one
     * action; the engine waits for it (FLOW_MODE_RESULT) before "next" */
    char result[FLOW_NAME_MAX];
    char call[FLOW_ID_MAX];
    int64_t wait_s;
    int end;
    struct flow_next *next;
    int nnext;
};

enum flow_trigger_type {
    FLOW_TRIG_COMMAND = 1, /* /word */
    FLOW_TRIG_KEYWORD,     /* a whole message equal to a word, per language */
    FLOW_TRIG_SCHEDULE,    /* every day/week/month at a local time */
    FLOW_TRIG_HR,          /* HR may send it (surveys, announcements) */
    FLOW_TRIG_EVENT,       /* first_contact, mentor_assigned, ... */
};

struct flow_trigger {
    int type;
    char word[33]; /* command (without '/') or event name */
    char **keywords[FLOW_NLANG];
    int nkeywords[FLOW_NLANG];
    char every[8]; /* day, week, month */
    int day;       /* week: 1 = Monday ... 7; month: 1..28 */
    int at_min;    /* minutes after local midnight */
};

/* The categories of personal data a flow may store (flows/FORMAT.md,
 * "stores"): a flow declares the ones it writes, each storing action row
 * names the one it writes (struct flow_action_def.stores), and the loader
 * refuses a flow that writes into a category it did not declare. The core
 * decides which consent each category needs (bot/core/consent.c). */
enum flow_category {
    FLOW_CAT_CHECKIN = 0, /* weekly check-ins */
    FLOW_CAT_HEALTH,      /* wellbeing (WHO-5): specific personal data */
    FLOW_CAT_DEVELOPMENT, /* goals, learning hours, GROW, reflections */
    FLOW_CAT_MENTORING,   /* mentor requests, mentoring sessions */
    FLOW_CAT_FEEDBACK,    /* feedback asked and given */
    FLOW_CAT_SURVEY,      /* anonymous survey answers (and who was asked) */
    FLOW_NCAT,
};
extern const char *const flow_categories[FLOW_NCAT];
int flow_category_index(const char *name); /* -1 when unknown */

struct flow {
    char id[FLOW_ID_MAX];
    int version;
    char kind[16];   /* onboarding, coaching, mentoring, survey, privacy, system */
    unsigned stores; /* bit (1u << enum flow_category) per declared category */
    struct flow_text title;
    int menu; /* listed in /menu */
    int help; /* its commands listed in /help though not in /menu */
    struct flow_trigger *triggers;
    int ntriggers;
    int64_t expire_after; /* seconds; 0 = the default (FLOW_DEFAULT_EXPIRE) */
    int64_t remind_after; /* seconds; 0 = no reminder */
    /* "snooze": "2h": the first question may be put off ("nanti", "later")
     * by this long, or this one skipped ("lewati minggu ini", "skip this
     * week"); 0 = neither (flows/FORMAT.md, "Snooze and skip") */
    int64_t snooze_after;
    int has_remind;
    struct flow_text remind;
    int has_expired;
    struct flow_text expired;
    int start;
    /* "on_cancel": the node run when the person cancels (/batal) while this
     * flow is the conversation's outer flow, to close what it opened (say,
     * mark a request declined); -1 none. It runs without waiting: the
     * conversation ends after it whatever it does (flows/FORMAT.md). */
    int on_cancel;
    struct flow_node *nodes;
    int nnodes;
    char *source; /* the JSON source, owned (kept in the store per version) */
    size_t source_len;
    char path[256];
};

#define FLOW_DEFAULT_EXPIRE (2 * 86400)
/* Bytes of the words after a command a flow gets as command_arg. */
#define FLOW_ARG_MAX 64
/* A conversation paused by the safety net does not expire with its flow's
 * expire_after: it is kept this long from the pause, and gets its flow's
 * whole expire_after again when the person carries on (docs/safety.md). */
#define FLOW_PAUSE_GRACE (30 * 86400)

/* ---- diagnostics ---------------------------------------------------------- */

struct flow_diag {
    char file[256];
    char flow[FLOW_ID_MAX];
    char node[FLOW_NAME_MAX];
    int line, col; /* JSON syntax errors only; 0 otherwise */
    int warning;   /* 1: reported, but the flow still loads */
    char msg[256];
};

struct flow_diags {
    struct flow_diag *v;
    int n, cap;
    int nerrors, nwarnings;
};

void flow_diags_init(struct flow_diags *d);
void flow_diags_free(struct flow_diags *d);
/* Format one diagnostic as "file:line:col: error: [flow/node] message". */
void flow_diag_format(const struct flow_diag *g, char *out, size_t n);

/* ---- loading -------------------------------------------------------------- */

/* Parse and validate one flow. On success *out is a new flow (the caller
 * frees it with flow_free) and warnings may be in d. On failure returns
 * BB_EINVAL, *out is NULL, and d holds every error found (not just the
 * first). path names the file in diagnostics (may be NULL); acts are the
 * actions "do" may name (NULL: none, see struct flow_actions below). */
struct flow_actions;
int flow_parse(const char *src, size_t len, const char *path, const struct flow_actions *acts,
               struct flow **out, struct flow_diags *d);
int flow_load_file(const char *path, const struct flow_actions *acts, struct flow **out,
                   struct flow_diags *d);
void flow_free(struct flow *f);
int flow_node_index(const struct flow *f, const char *name); /* -1 if none */

/* ---- the library of loaded flows ---------------------------------------- */

struct flow_lib;

int flow_lib_new(struct flow_lib **out);
/* The actions the flows this library loads may call (copied; the rows are
 * borrowed and must outlive the library). None until set. */
void flow_lib_set_actions(struct flow_lib *lib, const struct flow_actions *acts);
const struct flow_actions *flow_lib_actions(const struct flow_lib *lib);
void flow_lib_free(struct flow_lib *lib);
/* Add a flow (the lib takes ownership, also on failure). current = 1 makes
 * it the version new sessions start; 0 keeps it only for sessions pinned
 * to it. The same (id, version) twice: the new one replaces the old only if
 * the old is not current... see flow_lib.c; returns BB_EEXIST when refused. */
int flow_lib_add(struct flow_lib *lib, struct flow *f, int current);
/* version 0: the current version. NULL when absent. */
const struct flow *flow_lib_get(const struct flow_lib *lib, const char *id, int version);
int flow_lib_count(const struct flow_lib *lib);
/* The i-th current flow (0 <= i < flow_lib_count), in id order. */
const struct flow *flow_lib_at(const struct flow_lib *lib, int i);
/* Load every *.json of a directory (non-recursive, sorted). A file that
 * fails validation is reported in d and skipped; the flow it would have
 * replaced stays current. Cross-flow checks (calls to unknown flows,
 * duplicate ids and commands) run at the end. Returns BB_OK when every file
 * loaded, BB_EINVAL when some did not, BB_EIO when the directory could not
 * be read. */
int flow_lib_load_dir(struct flow_lib *lib, const char *dir, struct flow_diags *d);
/* Cross-flow checks over the current flows: calls to flows that are not
 * loaded, a command used by two flows, a command reserved for everyone
 * (/batal /cancel /stop /bantuan /help /menu /lanjut /continue). */
int flow_lib_check(const struct flow_lib *lib, struct flow_diags *d);
/* The same, but a call may also go to a current flow of `also` (may be
 * NULL): `bimbing flows check FILE...` checks the given files together and
 * lets them call the flows of the flows directory. */
int flow_lib_check_with(const struct flow_lib *lib, const struct flow_lib *also,
                        struct flow_diags *d);
/* The current flow started by a command word (without '/'), or NULL. */
const struct flow *flow_lib_by_command(const struct flow_lib *lib, const char *word);
const struct flow *flow_lib_by_keyword(const struct flow_lib *lib, const char *folded, int lang);
const struct flow *flow_lib_by_event(const struct flow_lib *lib, const char *event);

/* ---- session state -------------------------------------------------------- */

/* FLOW_MODE_RESULT: a node with "result" emitted its action and waits for
 * its outcome (FLOW_EV_RESULT), which the core feeds back in the same
 * transaction, before it follows "next". */
enum flow_mode { FLOW_MODE_IDLE = 0, FLOW_MODE_ASK, FLOW_MODE_PARK, FLOW_MODE_RESULT };

struct flow_frame {
    char flow_id[FLOW_ID_MAX];
    int version;
    char node[FLOW_NAME_MAX];
};

struct flow_state {
    int depth;                               /* 0: no conversation running */
    struct flow_frame stack[FLOW_MAX_DEPTH]; /* stack[depth - 1] is where we are */
    int mode;                                /* enum flow_mode */
    int retries;
    int reminded;
    int paused;  /* the question waits, set aside by the safety net (flow_pause) */
    int64_t seq; /* counts questions asked, ever: buttons carry it */
    int64_t started_at, expires_at;
    char lang[8];
    cJSON *vars; /* owned; an object */
};

void flow_state_init(struct flow_state *st, const char *lang);
void flow_state_free(struct flow_state *st);
/* JSON text for the store; *out malloc'd (caller frees). */
int flow_state_to_json(const struct flow_state *st, char **out);
/* Parse what flow_state_to_json wrote. st must be freshly initialised. */
int flow_state_from_json(struct flow_state *st, const char *json);

/* ---- the engine ----------------------------------------------------------- */

enum flow_ev_type {
    FLOW_EV_TEXT = 1, /* typed text */
    FLOW_EV_BUTTON,   /* a button press: payload is the choice id we sent */
    FLOW_EV_TIMER,    /* payload: "remind:SEQ", "expire:STARTED", "wake:SEQ" */
    FLOW_EV_START,    /* payload: a flow id to start (HR send, schedule, event) */
    FLOW_EV_RESULT,   /* payload: the outcome of the action a "result" node waits for, as JSON
                         {"ok": bool, "status": "...", "value": ..., "message": "...",
                          "options": [{"id": "...", "label": "..."}]} (all but ok optional) */
};

struct flow_event {
    int type;
    const char *text;    /* FLOW_EV_TEXT */
    const char *payload; /* the others */
};

enum flow_fx_type {
    FLOW_FX_SAY = 1,     /* send text (with choices when it asks) */
    FLOW_FX_ACTION,      /* a domain action for the core: name + args */
    FLOW_FX_TIMER_SET,   /* (re)place this person's timer of a kind */
    FLOW_FX_TIMER_CLEAR, /* drop this person's timer of a kind */
    FLOW_FX_STALE,       /* a button press on an old question was ignored */
    FLOW_FX_DEFER,       /* a START could not run now (a conversation is on) */
    FLOW_FX_ANSWERED,    /* question payload "q<seq>" was answered with text (its label) */
    FLOW_FX_GATED,       /* the gate refused to start flow payload; asks: the person asked */
    FLOW_FX_SNOOZE,      /* start flow payload again at `due` or the next working slot after */
};

struct flow_choice {
    char id[64];     /* what the button sends back */
    char label[160]; /* in the person's language */
};

struct flow_fx {
    int type;
    char *text;                  /* SAY (owned) */
    struct flow_choice *choices; /* SAY (owned) */
    int nchoices;
    int asks;          /* SAY: this is a question awaiting an answer */
    int wants_result;  /* ACTION: the flow waits for its outcome (FLOW_EV_RESULT) */
    char name[32];     /* ACTION name, TIMER kind */
    cJSON *args;       /* ACTION (owned) */
    int64_t due;       /* TIMER_SET */
    char payload[128]; /* TIMER_SET: the event payload when it fires */
};

struct flow_fxlist {
    struct flow_fx *v;
    int n, cap;
};

void flow_fxlist_init(struct flow_fxlist *l);
void flow_fxlist_free(struct flow_fxlist *l);

/* Look up a flow version; the core supplies one that can also load old
 * versions from the store. NULL when unknown. */
typedef const struct flow *(*flow_get_fn)(void *ctx, const char *id, int version);

struct flow_ctx {
    const struct flow_lib *lib; /* menus, commands, keywords, current versions */
    flow_get_fn get;            /* pinned versions; NULL: flow_lib_get(lib, ...) */
    void *get_ctx;
    const cJSON *person; /* read-only object: nip, name, first_name, unit, role, lang... */
    /* Fields computed on first use (the core's modules' person fields,
     * bot/core/domain.h): called when a name the flow reads is not in
     * person; it may add that field (and others) to person, and the engine
     * looks again. It returns BB_OK (added or not a person field) or an
     * error (the lookup then finds nothing). NULL: person is complete. */
    int (*person_more)(void *person_ctx, const char *name);
    void *person_ctx;
    int64_t now;     /* Unix seconds */
    int tz_offset_s; /* the person's UTC offset now */
    /* The gate (the core's consent check, bot/core/consent.h): asked before
     * any flow starts (command, keyword, menu button, START); 1 lets it
     * start. When it says 0 nothing starts and a FLOW_FX_GATED effect names
     * the flow (asks = 1 when the person asked for it, 0 for a START, which
     * the core drops without a word). NULL: every flow may start. */
    int (*may_start)(void *gate_ctx, const struct flow *f);
    void *gate_ctx;
    /* 1 when the instance's register is "santai": an Indonesian text's
     * casual variant ("id_santai") is used where it has one; 0 (formal):
     * never (docs/coaching.md, "Register"). */
    int casual;
    /* A person who has not finished onboarding gets this flow (its id) for
     * /start and /menu outside a question, instead of a menu whose every
     * entry the gate would refuse; NULL: the menu (docs/privacy.md). */
    const char *welcome;
};

/* Handle one event for one person. Updates *st and appends effects to fx.
 * Returns BB_OK, or an error for a broken state (the state is then reset to
 * idle and an apology is among the effects, so the caller can still commit). */
int flow_handle(const struct flow_ctx *ctx, struct flow_state *st, const struct flow_event *ev,
                struct flow_fxlist *fx);
/* Set the pending question aside (the safety net answered instead): no
 * reminder, and typed text is not taken as its answer until the person
 * types /lanjut or /continue (or presses one of its buttons). The
 * conversation's expiry moves to FLOW_PAUSE_GRACE after now (never
 * earlier than it was), so a pause does not lose it; carrying on gives
 * the flow's whole expire_after again. Returns 1 when a question was
 * paused, 0 when none was waiting. */
int flow_pause(struct flow_state *st, int64_t now, struct flow_fxlist *fx);

/* ---- input parsing (flow_input.c), exposed for tests and adapters ----- */

/* Interpret typed text as an answer to input in language lang. On success
 * *val is the value to save (caller clears it) and *opt the chosen option
 * index or -1. BB_EINVAL when the text is not a valid answer; BB_ELIMIT when
 * it is longer than a text input's max (the engine then says the limit). */
int flow_input_parse(const struct flow_input *in, const char *text, int lang, int64_t now,
                     int tz_offset_s, struct expr_val *val, int *opt);

/* ---- the actions a flow may call in "do" ----------------------------------- */

/* One action's name and argument schema, as the loader checks it. The rows
 * live with their handlers in the modules that carry them out (bot/core's
 * "core" module and bot/domain/); whoever loads flows passes them in
 * (struct flow_actions), so this layer knows no module.
 *
 * The action's name is the key that names it ({"notify": "mentor", ...});
 * name_kind says what its value must be: 's' a non-empty string, 'e' an
 * expression, 'b' anything (a flag). name_values, when set, lists the
 * strings the name's value may be (NULL-terminated). keys are the other
 * keys allowed, kinds has one letter per key: 's' a string, 'e' an
 * expression, 't' a text per language, 'f' a list of variable names, 'd' a
 * duration, 'h' a time "HH:MM", 'b' anything. required lists the keys that
 * must be there. stores names the data category the action writes. */
#define FLOW_ACTION_KEYS   5
#define FLOW_ACTION_VALUES 8
struct flow_action_def {
    const char *name;
    char name_kind;
    const char *keys[FLOW_ACTION_KEYS];
    const char *kinds;
    const char *required;
    const char *name_values[FLOW_ACTION_VALUES]; /* NULL-terminated */
    /* The category of personal data the action writes (flow_categories),
     * or NULL when it stores none; a flow using it must declare it. */
    const char *stores;
};

/* The actions a loader accepts: row(ctx, i) is the i-th row (0, 1, ...),
 * NULL past the last. Rows are tried in order; names are unique. */
struct flow_actions {
    const struct flow_action_def *(*row)(const void *ctx, int i);
    const void *ctx;
    /* The instance allows the casual register ("register": "santai"): then
     * every Indonesian text that addresses the person formally
     * (flow_register_formal) must carry its casual variant, else the flow
     * is refused (docs/coaching.md, "Register"). */
    int casual;
};

/* The row named name, or NULL (acts may be NULL: no actions). */
const struct flow_action_def *flow_actions_find(const struct flow_actions *acts, const char *name);

#endif
