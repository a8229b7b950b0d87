/*
 * main.c - the bimbing command line: one binary, git-style subcommands,
 * each a row (cli_cmds below, and the modules' struct domain_cmd rows);
 * `bimbing help` is generated from the rows. The composition root: the one
 * place that names the modules of this build (domain_modules).
 *
 * main owns everything mutable (struct app): the configuration, the store,
 * the flow library and the core; subcommands borrow them. curl_global_init
 * runs here once, before any thread starts.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "adapters/console/console.h"
#include "adapters/service/channels.h"
#include "bot/base/bb.h"
#include "bot/core/config.h"
#include "bot/core/core.h"
#include "bot/core/domain.h"
#include "bot/core/handoff.h"
#include "bot/domain/modules.h"
#include "bot/core/safety.h"
#include "bot/core/worktime.h"
#include "bot/domain/people/people.h"
#include "bot/domain/people/people_invite.h"
#include "bot/domain/people/people_admin.h"
#include "bot/flow/flow.h"
#include "adapters/service/serve.h"
#include "store/store.h"
#include "store/store_handoff.h"

#define BIMBING_VERSION "0.1.0"

struct app {
    struct config cfg;
    const char *config_path;
    int config_required;
    const char *db_override;
    const char *flows_override;
    struct store *st;
    struct flow_lib *lib;
    struct core *core;
    struct safety *safety;          /* the distress screen, lent to the core */
    struct work_holidays *holidays; /* the holiday file, lent to the core */
};

static const char usage_head[] =
    "usage: bimbing [--db PATH] [--config FILE] [--flows DIR] COMMAND [ARGS]\n";

static const char usage_tail[] =
    "\n"
    "TIME is ISO-8601, e.g. 2026-12-01T09:00:00+07:00. Defaults come from\n"
    "config/bimbing.json; secrets from BIMBING_* environment variables (see README).\n";

static void print_usage(FILE *out);

static int die(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "bimbing: ");
    fprintf(stderr, fmt, a ? a : "", b ? b : "");
    fprintf(stderr, "\n");
    return 1;
}

static int open_store(struct app *a)
{
    struct store_opts so = {.sync = a->cfg.durability, .busy_timeout = 5000};
    int rc = store_open(a->cfg.db, &so, &a->st);
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: cannot open the database %s: %s\n", a->cfg.db,
                a->st ? store_errmsg(a->st) : bb_strerror(rc));
        store_free(a->st);
        a->st = NULL;
        return rc;
    }
    return chan_store_setup(a->st);
}

/* A flow library whose flows may call the actions of this build's modules,
 * checked in every register the instance allows (casual: "santai" too). */
static int new_lib(struct flow_lib **out, int casual)
{
    struct flow_actions acts = domain_flow_actions(domain_modules);
    acts.casual = casual;
    int rc = flow_lib_new(out);
    if (rc == BB_OK)
        flow_lib_set_actions(*out, &acts);
    return rc;
}

/* Load the flows; report problems but keep the good ones. Every loaded
 * version's source is kept in the store, so sessions pinned to it survive
 * edits. */
static int load_flows(struct app *a, int quiet)
{
    struct flow_diags d;
    int rc;
    if (new_lib(&a->lib, a->cfg.casual) != BB_OK)
        return BB_ENOMEM;
    flow_diags_init(&d);
    rc = flow_lib_load_dir(a->lib, a->cfg.flows_dir, &d);
    for (int i = 0; i < d.n && !quiet; i++) {
        char line[600];
        flow_diag_format(&d.v[i], line, sizeof(line));
        fprintf(stderr, "%s\n", line);
    }
    flow_diags_free(&d);
    if (rc == BB_EIO)
        return rc;
    if (rc != BB_OK && !quiet)
        fprintf(stderr, "bimbing: some flows were refused (above); the others are loaded\n");
    for (int i = 0; i < flow_lib_count(a->lib); i++) {
        const struct flow *f = flow_lib_at(a->lib, i);
        int prc = store_flow_put(a->st, f->id, f->version, f->source, bb_now());
        if (prc == BB_EEXIST)
            fprintf(stderr,
                    "bimbing: warning: flow %s version %d differs from the version %d stored "
                    "earlier; raise \"version\" when you change a flow\n",
                    f->id, f->version, f->version);
        else if (prc != BB_OK)
            return prc;
    }
    return BB_OK;
}

/* Working time (bot/core/worktime.h): the instance's week and the holiday
 * file; a bad one stops here with a message, so nothing runs on a wrong
 * calendar. */
static int setup_work(struct app *a)
{
    char err[400];
    struct work_hours h;
    if (a->cfg.work_off)
        return BB_OK;
    work_hours_default(&h);
    if (work_hours_parse(a->cfg.work_days, a->cfg.work_hours, &h, err, sizeof(err)) != BB_OK) {
        fprintf(stderr, "bimbing: %s: \"work\": %s\n", a->config_path, err);
        return BB_EINVAL;
    }
    if (a->cfg.holidays[0]) {
        int rc = work_holidays_load(a->cfg.holidays, &a->holidays, err, sizeof(err));
        if (rc != BB_OK) {
            fprintf(stderr, "bimbing: holidays: %s\n", err);
            return rc;
        }
    }
    core_set_work(a->core, &h, a->holidays);
    return BB_OK;
}

static int setup(struct app *a, int need_flows)
{
    int rc = open_store(a);
    if (rc != BB_OK)
        return rc;
    if (need_flows) {
        rc = load_flows(a, 0);
        if (rc != BB_OK) {
            fprintf(stderr, "bimbing: cannot load flows from %s: %s\n", a->cfg.flows_dir,
                    bb_strerror(rc));
            return rc;
        }
    } else if (new_lib(&a->lib, a->cfg.casual) != BB_OK) {
        return BB_ENOMEM;
    }
    int rc2 = core_new(a->st, a->lib, domain_modules, &a->core);
    if (rc2 == BB_OK)
        core_set_config(a->core, &a->cfg);
    if (rc2 == BB_OK)
        rc2 = chan_core_setup(a->core);
    if (rc2 == BB_OK && need_flows) {
        /* No conversation without the safety net: a bad list stops here. */
        char err[400];
        rc2 = safety_load(a->cfg.safety, &a->safety, err, sizeof(err));
        if (rc2 != BB_OK)
            fprintf(stderr, "bimbing: distress screen: %s\n", err);
        else
            core_set_safety(a->core, a->safety);
    }
    if (rc2 == BB_OK && need_flows)
        rc2 = setup_work(a);
    return rc2;
}

static int find_person(struct app *a, const char *nip, struct store_person *p)
{
    int rc = store_person_by_nip(a->st, nip, p);
    if (rc == BB_ENOTFOUND)
        fprintf(stderr,
                "bimbing: no person with NIP %s (import people first: bimbing people "
                "import FILE.csv)\n",
                nip);
    else if (rc != BB_OK)
        fprintf(stderr, "bimbing: %s\n", store_errmsg(a->st));
    return rc;
}

static int parse_time_arg(const char *s, int64_t *t)
{
    if (bb_parse_iso8601(s, t) != BB_OK) {
        fprintf(stderr, "bimbing: bad time \"%s\" (use ISO-8601, e.g. 2026-12-01T09:00:00Z)\n", s);
        return -1;
    }
    return 0;
}

/* ---- commands ---------------------------------------------------------------- */

static int cmd_chat(struct app *a, int argc, char **argv)
{
    const char *nip = NULL;
    struct console_opts o = {.in = stdin, .out = stdout};
    struct store_person p;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--as") == 0 && i + 1 < argc)
            nip = argv[++i];
        else if (strcmp(argv[i], "--jsonl") == 0)
            o.jsonl = 1;
        else if (strcmp(argv[i], "--files") == 0 && i + 1 < argc)
            o.files_dir = argv[++i];
        else if (strcmp(argv[i], "--now") == 0 && i + 1 < argc) {
            int64_t t;
            if (parse_time_arg(argv[++i], &t))
                return 2;
            bb_clock_set(t);
        } else
            return die("chat: unknown argument '%s' (usage: chat --as NIP [--jsonl] [--now TIME] "
                       "[--files DIR])",
                       argv[i], NULL);
    }
    if (!nip)
        return die("chat needs --as NIP", NULL, NULL);
    if (setup(a, 1) != BB_OK)
        return 1;
    if (find_person(a, nip, &p) != BB_OK)
        return 1;
    o.nip = p.nip;
    o.batch = a->cfg.batch;
    int rc = console_run(a->st, a->core, &o);
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: chat: %s (%s)\n", bb_strerror(rc), store_errmsg(a->st));
        return 1;
    }
    return 0;
}

static int cmd_tick(struct app *a, int argc, char **argv)
{
    int64_t at = 0;
    int fired = 0, done = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--at") == 0 && i + 1 < argc) {
            if (parse_time_arg(argv[++i], &at))
                return 2;
            bb_clock_set(at);
        } else {
            return die("tick: unknown argument '%s' (usage: tick [--at TIME])", argv[i], NULL);
        }
    }
    if (setup(a, 1) != BB_OK)
        return 1;
    int planned = 0;
    if (core_modules_tick(a->core, bb_now(), &planned) != BB_OK ||
        core_tick(a->core, bb_now(), &fired) != BB_OK ||
        core_drain(a->core, a->cfg.batch, &done) != BB_OK) {
        fprintf(stderr, "bimbing: tick failed: %s\n", store_errmsg(a->st));
        return 1;
    }
    char when[32];
    bb_format_iso8601(bb_now(), when, sizeof(when));
    printf("%s: %d timer(s) fired, %d event(s) processed, %d scheduled\n", when, fired, done,
           planned);
    return 0;
}

static int cmd_flows(struct app *a, int argc, char **argv)
{
    if (argc < 1)
        return die("flows: say check or list", NULL, NULL);
    if (strcmp(argv[0], "check") == 0) {
        struct flow_diags d;
        struct flow_lib *lib = NULL;
        int bad = 0, files = 0;
        flow_diags_init(&d);
        if (new_lib(&lib, a->cfg.casual) != BB_OK)
            return 1;
        if (argc == 1) {
            int rc = flow_lib_load_dir(lib, a->cfg.flows_dir, &d);
            bad = rc != BB_OK;
            files = flow_lib_count(lib);
        } else {
            for (int i = 1; i < argc; i++) {
                struct flow *f = NULL;
                files++;
                if (flow_load_file(argv[i], flow_lib_actions(lib), &f, &d) != BB_OK) {
                    bad = 1;
                    continue;
                }
                if (flow_lib_add(lib, f, 1) != BB_OK) {
                    fprintf(stderr, "%s: error: flow id and version loaded twice\n", argv[i]);
                    bad = 1;
                }
            }
            /* The given files are checked together (commands, calls); a
             * call may also go to a flow of the flows directory. */
            struct flow_lib *dirlib = NULL;
            if (new_lib(&dirlib, a->cfg.casual) == BB_OK) {
                flow_lib_load_dir(dirlib, a->cfg.flows_dir, NULL);
                if (flow_lib_check_with(lib, dirlib, &d) != BB_OK)
                    bad = 1;
            }
            flow_lib_free(dirlib);
        }
        for (int i = 0; i < d.n; i++) {
            char line[600];
            flow_diag_format(&d.v[i], line, sizeof(line));
            fprintf(stderr, "%s\n", line);
        }
        if (!bad)
            printf("%d flow(s) ok%s\n", flow_lib_count(lib),
                   d.nwarnings ? " (with warnings above)" : "");
        else
            fprintf(stderr, "%d error(s)\n", d.nerrors > 0 ? d.nerrors : 1);
        (void)files;
        flow_diags_free(&d);
        flow_lib_free(lib);
        return bad ? 1 : 0;
    }
    if (strcmp(argv[0], "list") == 0) {
        struct flow_lib *lib = NULL;
        struct flow_diags d;
        flow_diags_init(&d);
        if (new_lib(&lib, a->cfg.casual) != BB_OK)
            return 1;
        int lrc = flow_lib_load_dir(lib, a->cfg.flows_dir, &d);
        for (int i = 0; i < d.n; i++) {
            char line[600];
            flow_diag_format(&d.v[i], line, sizeof(line));
            fprintf(stderr, "%s\n", line);
        }
        if (flow_lib_count(lib) == 0) {
            fprintf(stderr, "bimbing: no flows in %s\n", a->cfg.flows_dir);
            lrc = BB_ENOTFOUND;
        }
        for (int i = 0; i < flow_lib_count(lib); i++) {
            const struct flow *f = flow_lib_at(lib, i);
            printf("%-24s v%-3d %-10s %-4s", f->id, f->version, f->kind, f->menu ? "menu" : "");
            for (int t = 0; t < f->ntriggers; t++)
                if (f->triggers[t].type == FLOW_TRIG_COMMAND)
                    printf(" /%s", f->triggers[t].word);
            printf("  %s\n", f->title.t[0] ? f->title.t[0] : "");
        }
        flow_diags_free(&d);
        flow_lib_free(lib);
        return lrc == BB_OK ? 0 : 1;
    }
    return die("flows: unknown subcommand '%s'", argv[0], NULL);
}

static int cmd_people(struct app *a, int argc, char **argv)
{
    struct people_import_report rep;
    if (argc != 2 || strcmp(argv[0], "import") != 0)
        return die("usage: people import FILE.csv", NULL, NULL);
    if (open_store(a) != BB_OK)
        return 1;
    memset(&rep, 0, sizeof(rep));
    int rc = people_import_csv(a->st, argv[1], &rep);
    if (rc != BB_OK) {
        for (int i = 0; i < rep.nerrors && i < 20; i++)
            fprintf(stderr, "%s: %s\n", argv[1], rep.errors[i]);
        if (rep.nerrors > 20)
            fprintf(stderr, "... and %d more\n", rep.nerrors - 20);
        if (rep.nerrors == 0)
            fprintf(stderr, "bimbing: import failed: %s\n", bb_strerror(rc));
        fprintf(stderr, "nothing was imported: fix the rows above and run the import again\n");
        return 1;
    }
    store_audit(a->st, "cli", "people.import", 0, argv[1], bb_now());
    printf("%d row(s): %d new, %d updated\n", rep.rows, rep.created, rep.updated);
    return 0;
}

/* ---- invite: one person, a segment, revoke, status --------------------------- */

#define INVITE_CSV_MAX     (64u << 20) /* the CSV of a segment, held until the codes commit */
#define INVITE_PROGRESS_AT 500         /* a progress line every this many codes */

/* The Telegram and web chat links of a code ("" when a channel has none). */
static void invite_links(const struct config *cfg, const char *code, char *tg, char *web, size_t n)
{
    (void)chan_invite_link(cfg, "telegram", code, tg, n);
    (void)chan_invite_link(cfg, "web", code, web, n);
}

struct invite_run {
    const struct config *cfg;
    struct bb_buf csv;
    int progress; /* print progress lines to stderr */
};

static int invite_row(void *ctx, const struct people_invite *inv, int i, int n)
{
    struct invite_run *r = ctx;
    char tg[256], web[256];
    invite_links(r->cfg, inv->code, tg, web, sizeof(tg));
    if (r->progress && ((i + 1) % INVITE_PROGRESS_AT == 0 || i + 1 == n))
        fprintf(stderr, "invite: %d/%d codes\n", i + 1, n);
    return people_invite_csv_row(&r->csv, inv, tg, web);
}

/* invite --to SEGMENT [--csv FILE|-] [--ttl D]: exit 2 when the segment is
 * refused (nothing issued). The CSV goes to FILE (or stdout) once every code
 * is committed; FILE is opened first, so an unwritable FILE issues nothing. */
static int invite_segment(struct app *a, const char *to, const char *csv_path, int64_t ttl)
{
    struct invite_run r = {.cfg = &a->cfg, .progress = 1};
    struct people_segment seg;
    FILE *out = stdout;
    int issued = 0, rc;
    char tmp[600] = "";

    if (csv_path && strcmp(csv_path, "-") != 0) {
        if (bb_snprintf(tmp, sizeof(tmp), "%s.tmp", csv_path) != BB_OK || !(out = fopen(tmp, "wx")))
            return die("invite: cannot write '%s' (%s); nothing was issued", csv_path,
                       strerror(errno));
    }
    bb_buf_init(&r.csv, INVITE_CSV_MAX);
    rc = bb_buf_puts(&r.csv, PEOPLE_INVITE_CSV_HEADER);
    if (rc == BB_OK)
        rc = people_invite_segment(a->st, to, ttl, bb_now(), "cli", &seg, invite_row, &r, &issued);
    int committed = rc == BB_OK;
    if (rc == BB_OK && (fwrite(r.csv.data, 1, r.csv.len, out) != r.csv.len || fflush(out) != 0))
        rc = BB_EIO;
    if (out != stdout && fclose(out) != 0 && rc == BB_OK)
        rc = BB_EIO;
    if (tmp[0] && (rc != BB_OK || rename(tmp, csv_path) != 0)) {
        if (rc == BB_OK)
            rc = BB_EIO;
        (void)unlink(tmp);
    }
    bb_buf_free(&r.csv);
    if (committed && rc != BB_OK) {
        fprintf(stderr,
                "bimbing: %d code(s) were issued but the CSV could not be written (%s); run the "
                "same command again: it re-issues them and the unwritten codes die\n",
                issued, strerror(errno));
        return 1;
    }
    if (rc == BB_EINVAL) {
        fprintf(stderr, "bimbing: %s; nothing was issued\n", seg.msg);
        return 2;
    }
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: invite failed: %s (%s)\n", bb_strerror(rc), store_errmsg(a->st));
        return 1;
    }
    fprintf(stderr,
            "%d invite code(s) for %s (%" PRId64 " people, %" PRId64
            " already linked), valid once, for %" PRId64 " day(s)%s%s\n",
            issued, seg.spec, seg.total, seg.total - issued, ttl / 86400, tmp[0] ? "; CSV in " : "",
            tmp[0] ? csv_path : "");
    return 0;
}

/* invite status [--unit NAME] [--state S]: one line per person. */
static int invite_status(struct app *a, const char *unit, const char *state)
{
    struct store_invite_state *rows = NULL;
    struct people_segment seg;
    char spec[PEOPLE_SEG_SPEC_MAX];
    int n = 0, rc;
    int64_t now = bb_now();
    if (unit) { /* the unit as stored, checked like a segment: "biro sdm" is "Biro SDM" */
        if (bb_snprintf(spec, sizeof(spec), "unit=%s", unit) != BB_OK)
            return die("invite status: the unit name is too long", NULL, NULL);
        rc = people_segment_resolve(a->st, spec, &seg);
        if (rc == BB_EINVAL) {
            fprintf(stderr, "bimbing: %s\n", seg.msg);
            return 2;
        }
        if (rc != BB_OK)
            return die("cannot read the people: %s", store_errmsg(a->st), NULL);
        unit = seg.value;
    }
    rc = store_invite_states(a->st, unit ? unit : "", &rows, &n);
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: cannot read the invites: %s\n", store_errmsg(a->st));
        return 1;
    }
    printf("nip\tname\tunit\tstate\texpiry\tchannels\tconsents\n");
    for (int i = 0; i < n; i++) {
        const char *s = people_invite_state(&rows[i], now);
        char exp[32] = "";
        if (state && strcmp(state, s) != 0)
            continue;
        if (rows[i].expires_at && strcmp(s, "invited") == 0)
            bb_format_iso8601(rows[i].expires_at, exp, sizeof(exp));
        printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", rows[i].nip, rows[i].name, rows[i].unit, s, exp,
               rows[i].channels, rows[i].consents);
    }
    free(rows);
    return 0;
}

static int cmd_invite(struct app *a, int argc, char **argv)
{
    static const char usage[] =
        "usage: invite NIP [--ttl 14d] | invite --to SEGMENT [--csv FILE|-] "
        "[--ttl 14d] | invite revoke NIP | invite status [--unit NAME] "
        "[--state STATE]";
    const char *to = NULL, *csv = NULL, *nip = NULL, *unit = NULL, *state = NULL;
    int64_t ttl;
    int sub = 0; /* 0 one person, 1 revoke, 2 status */

    if (argc < 1)
        return die("%s", usage, NULL);
    if (strcmp(argv[0], "revoke") == 0)
        sub = 1;
    else if (strcmp(argv[0], "status") == 0)
        sub = 2;
    if (setup(a, 0) != BB_OK)
        return 1;
    ttl = a->cfg.invite_ttl;
    for (int i = sub ? 1 : 0; i < argc; i++) {
        if (strcmp(argv[i], "--ttl") == 0 && i + 1 < argc && sub == 0) {
            if (bb_parse_duration(argv[++i], &ttl) != BB_OK || ttl < 60)
                return die("invite: bad --ttl '%s' (e.g. 7d, 12h)", argv[i], NULL);
        } else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc && sub == 0) {
            to = argv[++i];
        } else if (strcmp(argv[i], "--csv") == 0 && i + 1 < argc && sub == 0) {
            csv = argv[++i];
        } else if (strcmp(argv[i], "--unit") == 0 && i + 1 < argc && sub == 2) {
            unit = argv[++i];
        } else if (strcmp(argv[i], "--state") == 0 && i + 1 < argc && sub == 2) {
            state = argv[++i];
            if (!people_invite_state_known(state))
                return die("invite status: unknown state '%s' (onboarded, linked, invited, "
                           "expired, revoked, not_invited)",
                           state, NULL);
        } else if (argv[i][0] != '-' && !nip && sub != 2) {
            nip = argv[i];
        } else {
            return die("invite: unknown argument '%s'\n%s", argv[i], usage);
        }
    }
    if (sub == 2)
        return invite_status(a, unit, state);
    if (sub == 1) {
        int n = 0, rc;
        if (!nip)
            return die("%s", usage, NULL);
        rc = people_invite_revoke(a->st, nip, bb_now(), "cli", &n);
        if (rc == BB_ENOTFOUND)
            return die("no person with NIP %s", nip, NULL);
        if (rc != BB_OK)
            return die("invite revoke failed: %s", store_errmsg(a->st), NULL);
        printf("%d code(s) revoked\n", n);
        return 0;
    }
    if ((to && nip) || (!to && !nip) || (csv && !to))
        return die("%s", usage, NULL);
    if (to)
        return invite_segment(a, to, csv, ttl);

    struct people_invite inv;
    char until[32];
    int rc = people_invite_person(a->st, nip, ttl, bb_now(), "cli", &inv);
    if (rc == BB_ENOTFOUND) {
        struct store_person p;
        (void)find_person(a, nip, &p); /* says there is nobody with that NIP */
        return 1;
    }
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: invite failed: %s\n", store_errmsg(a->st));
        return 1;
    }
    bb_format_iso8601(inv.expires_at, until, sizeof(until));
    printf("%s\n", inv.code);
    fprintf(stderr, "invite for %s (%s), valid once, until %s (any older code is revoked)\n",
            inv.name, inv.nip, until);
    chan_print_invite_links(&a->cfg, inv.code, stderr);
    fprintf(stderr, "Web chat or Telegram: send /start %s\n", inv.code);
    return 0;
}

static int cmd_export(struct app *a, int argc, char **argv)
{
    struct store_person p;
    cJSON *out = NULL;
    if (argc != 1)
        return die("usage: export NIP", NULL, NULL);
    if (open_store(a) != BB_OK || find_person(a, argv[0], &p) != BB_OK)
        return 1;
    /* the same code as the dashboard's download (people_admin.h) */
    if (people_export(a->st, &p, "cli", bb_now(), &out) != BB_OK) {
        fprintf(stderr, "bimbing: export failed: %s\n", store_errmsg(a->st));
        return 1;
    }
    char *s = cJSON_Print(out);
    printf("%s\n", s ? s : "{}");
    cJSON_free(s);
    cJSON_Delete(out);
    return 0;
}

static int cmd_forget(struct app *a, int argc, char **argv)
{
    struct store_person p;
    char *kept = NULL;
    int yes = 0;
    if (argc < 1)
        return die("usage: forget NIP --yes", NULL, NULL);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--yes") == 0)
            yes = 1;
        else
            return die("forget: unknown argument '%s'", argv[i], NULL);
    }
    if (open_store(a) != BB_OK || find_person(a, argv[0], &p) != BB_OK)
        return 1;
    if (!yes) {
        fprintf(stderr,
                "bimbing: this erases %s (%s) and everything stored about them; it cannot be "
                "undone. Run again with --yes.\n",
                p.name, p.nip);
        return 2;
    }
    /* the same code as the dashboard's erase (people_admin.h) */
    if (people_erase(a->st, &p, "cli", bb_now(), &kept) != BB_OK) {
        fprintf(stderr, "bimbing: forget failed, nothing was erased: %s\n", store_errmsg(a->st));
        return 1;
    }
    printf("erased %s and all their data.\n", p.nip);
    if (kept)
        printf("kept: %s\n", kept);
    free(kept);
    return 0;
}

/* bimbing person show|role|deactivate NIP: the dashboard's person page
 * and its changes, from a terminal (people_admin.h). */
static int cmd_person(struct app *a, int argc, char **argv)
{
    struct store_person p;
    char err[160] = "";
    int rc;
    if (argc < 2 || (strcmp(argv[0], "show") != 0 && strcmp(argv[0], "role") != 0 &&
                     strcmp(argv[0], "deactivate") != 0))
        return die("usage: person show NIP | person role NIP ROLE | person deactivate NIP --yes",
                   NULL, NULL);
    if (open_store(a) != BB_OK || find_person(a, argv[1], &p) != BB_OK)
        return 1;
    if (strcmp(argv[0], "show") == 0) {
        cJSON *o = NULL;
        if (argc != 2)
            return die("usage: person show NIP", NULL, NULL);
        if (people_page_json(a->st, &p, bb_now(), &o) != BB_OK) {
            fprintf(stderr, "bimbing: %s\n", store_errmsg(a->st));
            return 1;
        }
        char *txt = cJSON_Print(o);
        printf("%s\n", txt ? txt : "{}");
        cJSON_free(txt);
        cJSON_Delete(o);
        return 0;
    }
    if (strcmp(argv[0], "role") == 0) {
        if (argc != 3)
            return die("usage: person role NIP ROLE", NULL, NULL);
        rc = people_set_role(a->st, &p, argv[2], 1, "cli", bb_now(), err, sizeof(err));
        if (rc == BB_OK) {
            printf("%s (%s): %s -> %s\n", p.name, p.nip, p.role, argv[2]);
            return 0;
        }
        fprintf(stderr, "bimbing: role not changed: %s\n", err[0] ? err : store_errmsg(a->st));
        return rc == BB_EINVAL || rc == BB_EEXIST || rc == BB_ESTATE ? 2 : 1;
    }
    if (argc != 3 || strcmp(argv[2], "--yes") != 0) {
        fprintf(stderr,
                "bimbing: this deactivates %s (%s): their chats, invites, messages and the data"
                " they have not consented to keep are erased (docs/privacy.md). Run again with"
                " --yes.\n",
                p.name, p.nip);
        return 2;
    }
    char *summary = NULL;
    rc = people_deactivate(a->st, &p, "cli", bb_now(), &summary);
    if (rc == BB_ESTATE) {
        fprintf(stderr, "bimbing: %s (%s) is deactivated already\n", p.name, p.nip);
        return 2;
    }
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: deactivation failed, nothing changed: %s\n", store_errmsg(a->st));
        return 1;
    }
    printf("deactivated %s (%s).\n%s\n", p.name, p.nip, summary ? summary : "");
    free(summary);
    return 0;
}

static int cmd_backup(struct app *a, int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-')
        return die("usage: backup FILE", NULL, NULL);
    if (open_store(a) != BB_OK)
        return 1;
    int rc = store_backup(a->st, argv[0]);
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: %s\n", store_errmsg(a->st));
        return 1;
    }
    struct stat sb;
    int v = 0;
    store_schema_version(a->st, &v);
    printf("backed up %s to %s (%lld bytes, schema version %d, checked)\n", a->cfg.db, argv[0],
           stat(argv[0], &sb) == 0 ? (long long)sb.st_size : 0LL, v);
    return 0;
}

/* migrate --status reads the version without changing the file; migrate
 * applies what is pending (serve and every other command do too). */
static int cmd_migrate(struct app *a, int argc, char **argv)
{
    int have = 0, want = 0, rc;
    if (argc > 1 || (argc == 1 && strcmp(argv[0], "--status") != 0))
        return die("usage: migrate [--status]", NULL, NULL);
    rc = store_schema_status(a->cfg.db, &have, &want);
    if (rc == BB_ENOTFOUND)
        printf("%s: no database yet; %d migration(s) will be applied when it is created\n",
               a->cfg.db, want);
    else if (rc != BB_OK)
        return die("migrate: cannot read %s", a->cfg.db, NULL);
    else if (have > want)
        printf("%s: schema version %d is NEWER than this program (%d): use the newer bimbing, "
               "or restore the backup taken before the upgrade\n",
               a->cfg.db, have, want);
    else
        printf("%s: schema version %d of %d (%d pending)\n", a->cfg.db, have, want, want - have);
    if (argc == 1)
        return rc == BB_OK && have > want ? 1 : 0;
    if (have > want)
        return 1;
    if (open_store(a) != BB_OK)
        return 1;
    store_schema_version(a->st, &have);
    printf("%s: schema version %d: up to date\n", a->cfg.db, have);
    return 0;
}

/* handoff list | show ID | answer ID TEXT... | close ID, with [--as NIP]
 * (a counsellor or admin: the answer is signed with their first name and
 * audited as theirs; else the actor is "cli") and [--at TIME] (a pinned
 * clock, as tick). The same functions as the dashboard's routes. */
static int cmd_handoff(struct app *a, int argc, char **argv)
{
    static const char usage[] = "usage: handoff list | show ID | answer ID TEXT... | close ID "
                                "[--as NIP] [--at TIME]";
    const char *as = NULL;
    char *words[64];
    int nw = 0, rc;
    int64_t id = 0, at = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--as") == 0 && i + 1 < argc)
            as = argv[++i];
        else if (strcmp(argv[i], "--at") == 0 && i + 1 < argc) {
            if (parse_time_arg(argv[++i], &at))
                return 2;
            bb_clock_set(at);
        } else if (nw < (int)BB_ARRAY_LEN(words))
            words[nw++] = argv[i];
        else
            return die("%s", usage, NULL);
    }
    if (nw < 1 || (strcmp(words[0], "list") != 0 && nw < 2))
        return die("%s", usage, NULL);
    if (nw >= 2) {
        long long v;
        if (bb_parse_ll(words[1], 1, INT64_MAX, &v) != BB_OK)
            return die("handoff: \"%s\" is not a conversation id", words[1], NULL);
        id = (int64_t)v;
    }
    if (setup(a, 0) != BB_OK)
        return 1;
    if (strcmp(words[0], "list") == 0) {
        struct store_handoff *v = NULL;
        int n = 0;
        if (store_handoff_list_open(a->st, &v, &n) != BB_OK)
            return die("handoff list: %s", store_errmsg(a->st), NULL);
        for (int i = 0; i < n; i++) {
            char when[32];
            bb_format_iso8601(v[i].opened_at, when, sizeof(when));
            printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%" PRId64 " message(s)\t%s\n", v[i].id, v[i].nip,
                   v[i].name, v[i].reason, when, v[i].n_in, v[i].waiting ? "waiting" : "answered");
        }
        if (n == 0)
            printf("no open conversations\n");
        free(v);
        return 0;
    }
    char actor[48] = "cli", shown[64] = "";
    if (as) {
        struct store_person p;
        if (find_person(a, as, &p) != BB_OK)
            return 1;
        if (strcmp(p.role, "counsellor") != 0 && strcmp(p.role, "admin") != 0)
            return die("handoff: %s is not a counsellor or admin", as, NULL);
        bb_snprintf(actor, sizeof(actor), "%s:%s",
                    strcmp(p.role, "counsellor") == 0 ? "counsellor" : "hr", p.nip);
        size_t k = strcspn(p.name, " ");
        bb_strlcpy(shown, p.name, k + 1 < sizeof(shown) ? k + 1 : sizeof(shown));
    }
    if (strcmp(words[0], "show") == 0 && nw == 2) {
        struct store_handoff h;
        struct store_handoff_msg *m = NULL;
        int n = 0;
        if ((rc = store_handoff_get(a->st, id, &h)) != BB_OK)
            return die("handoff: no conversation %s", words[1], NULL);
        if (store_handoff_messages(a->st, id, &m, &n) != BB_OK)
            return die("handoff show: %s", store_errmsg(a->st), NULL);
        char detail[64];
        bb_snprintf(detail, sizeof(detail), "handoff %" PRId64, id);
        store_audit(a->st, actor, "handoff.read", h.person_id, detail, bb_now());
        printf("%s (%s), %s, %s\n", h.name, h.nip, h.reason, h.closed_at ? "closed" : "open");
        for (int i = 0; i < n; i++)
            printf("%s: %s\n", m[i].out ? "counsellor" : "person", m[i].body ? m[i].body : "");
        store_handoff_msgs_free(m, n);
        return 0;
    }
    struct bb_buf text;
    bb_buf_init(&text, STORE_HANDOFF_TEXT_MAX);
    int answer = strcmp(words[0], "answer") == 0 && nw >= 3;
    if (!answer && !(strcmp(words[0], "close") == 0 && nw == 2))
        return die("%s", usage, NULL);
    for (int i = 2; answer && i < nw; i++)
        if ((i > 2 && bb_buf_puts(&text, " ") != BB_OK) || bb_buf_puts(&text, words[i]) != BB_OK) {
            bb_buf_free(&text);
            return die("handoff answer: the text is too long", NULL, NULL);
        }
    char *t = answer ? bb_buf_take(&text) : NULL;
    rc = store_begin(a->st);
    if (rc == BB_OK) {
        rc = answer ? handoff_answer(a->core, a->st, id, actor, shown, t ? t : "", bb_now())
                    : handoff_close(a->core, a->st, id, actor, bb_now());
        if (rc == BB_OK)
            rc = store_commit(a->st);
        else
            store_rollback(a->st);
    }
    free(t);
    bb_buf_free(&text);
    if (rc == BB_ENOTFOUND)
        return die("handoff: conversation %s is closed or unknown", words[1], NULL);
    if (rc == BB_EINVAL)
        return die("handoff answer: the text must be 1 to 4000 characters", NULL, NULL);
    if (rc != BB_OK)
        return die("handoff: %s", store_errmsg(a->st), NULL);
    printf("%s conversation %s\n", answer ? "answered" : "closed", words[1]);
    return 0;
}

static int cmd_serve(struct app *a, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (setup(a, 1) != BB_OK)
        return 1;
    return serve_run(&a->cfg, a->st, a->lib, a->core) == BB_OK ? 0 : 1;
}

static int cmd_version(struct app *a, int argc, char **argv)
{
    (void)a;
    (void)argc;
    (void)argv;
    printf("bimbing %s\n", BIMBING_VERSION);
    return 0;
}

static int cmd_help(struct app *a, int argc, char **argv)
{
    (void)a;
    (void)argc;
    (void)argv;
    print_usage(stdout);
    return 0;
}

/* ---- the command rows --------------------------------------------------------- */

/* One command of the program itself: what `bimbing help` lists and the
 * handler. The modules' commands are rows of their own (struct domain_cmd,
 * bot/core/domain.h); help lists both, section by section. */
struct cli_cmd {
    const char *name;
    int (*run)(struct app *a, int argc, char **argv);
    int flags;
    const char *section;
    struct domain_cmd_form forms[3]; /* ends at a NULL usage */
};
#define CLI_NO_CONFIG 1 /* runs before the configuration is read; also as --NAME */
#define CLI_QUIET     2 /* logs warnings and errors only, whatever log_level says */

#define CLI_TALK   "Conversations"
#define CLI_FLOWS  "Flows"
#define CLI_PEOPLE "People and their data"
#define CLI_SELF   "This program"

static const struct cli_cmd cli_cmds[] = {
    {"serve",
     cmd_serve,
     0,
     CLI_TALK,
     {{"serve", "run the service (web chat, Telegram, WhatsApp)"}}},
    {"chat",
     cmd_chat,
     CLI_QUIET,
     CLI_TALK,
     {{"chat --as NIP [--jsonl] [--now TIME] [--files DIR]",
       "talk to the coach in this terminal as that person (--files: save files it sends there)"}}},
    {"handoff",
     cmd_handoff,
     CLI_QUIET,
     CLI_TALK,
     {{"handoff list", "conversations handed to a counsellor, waiting first"},
      {"handoff show|answer|close ID [TEXT] [--as NIP]",
       "read one, answer it (the text goes to the person's chat), or close it"}}},
    {"tick",
     cmd_tick,
     CLI_QUIET,
     CLI_TALK,
     {{"tick [--at TIME]", "run what the scheduler has due (for cron and tests)"}}},
    {"flows",
     cmd_flows,
     CLI_QUIET,
     CLI_FLOWS,
     {{"flows check [PATH...]", "validate flow files (default: every file in the flows dir)"},
      {"flows list", "the loaded flows, their versions and commands"}}},
    {"people",
     cmd_people,
     0,
     CLI_PEOPLE,
     {{"people import FILE.csv", "add or update people (all rows valid, or nothing changes)"}}},
    {"invite",
     cmd_invite,
     0,
     CLI_PEOPLE,
     {{"invite NIP [--ttl 14d]",
       "print a one-time invite code for that person (a re-issue: an older live code dies)"},
      {"invite --to SEGMENT [--csv FILE|-] [--ttl 14d]",
       "codes for everyone in the segment not linked yet, in one transaction, as CSV"},
      {"invite revoke NIP | invite status [--unit NAME] [--state STATE]",
       "revoke a person's live code; each person's state (invited, linked, onboarded)"}}},
    {"export",
     cmd_export,
     0,
     CLI_PEOPLE,
     {{"export NIP", "print everything stored about a person, as JSON"}}},
    {"forget", cmd_forget, 0, CLI_PEOPLE, {{"forget NIP --yes", "erase a person and their data"}}},
    {"person",
     cmd_person,
     0,
     CLI_PEOPLE,
     {{"person show NIP", "a person's page as JSON: channels, consents, mentors, activity"},
      {"person role NIP ROLE", "change a person's role"},
      {"person deactivate NIP --yes", "deactivate a leaver (what is erased: docs/privacy.md)"}}},
    {"backup",
     cmd_backup,
     CLI_QUIET,
     CLI_SELF,
     {{"backup FILE", "copy the database to a new FILE while the service runs (checked)"}}},
    {"migrate",
     cmd_migrate,
     CLI_QUIET,
     CLI_SELF,
     {{"migrate [--status]", "apply pending schema migrations, or only report them"}}},
    {"version", cmd_version, CLI_NO_CONFIG, CLI_SELF, {{"version", "print the version"}}},
    {"help", cmd_help, CLI_NO_CONFIG, CLI_SELF, {{"help", "this list"}}},
};

/* The sections of `bimbing help`, in order; a module's command under a
 * section not named here is listed after them under its own. */
static const char *const sections[] = {CLI_TALK, CLI_FLOWS, CLI_PEOPLE, "HR and mentoring",
                                       CLI_SELF};

static const struct cli_cmd *find_cli(const char *name)
{
    for (size_t i = 0; i < BB_ARRAY_LEN(cli_cmds); i++) {
        const struct cli_cmd *c = &cli_cmds[i];
        if (strcmp(c->name, name) == 0 ||
            ((c->flags & CLI_NO_CONFIG) && strncmp(name, "--", 2) == 0 &&
             strcmp(c->name, name + 2) == 0))
            return c;
    }
    return NULL;
}

/* "  usage   help", help from column 31 (on its own line when usage is long). */
static void print_forms(FILE *out, const struct domain_cmd_form *f, int n)
{
    for (int i = 0; i < n && f[i].usage; i++) {
        if (!f[i].usage[0])
            fprintf(out, "%31s%s\n", "", f[i].help);
        else if (strlen(f[i].usage) <= 28 && !strchr(f[i].usage, '\n'))
            fprintf(out, "  %-28s %s\n", f[i].usage, f[i].help);
        else
            fprintf(out, "  %s\n%31s%s\n", f[i].usage, "", f[i].help);
    }
}

static int section_known(const char *name)
{
    for (size_t i = 0; i < BB_ARRAY_LEN(sections); i++)
        if (strcmp(sections[i], name) == 0)
            return 1;
    return 0;
}

/* Every row of one section: the program's, then the modules'. */
static void print_section(FILE *out, const char *section)
{
    int heading = 0;
    for (size_t i = 0; i < BB_ARRAY_LEN(cli_cmds); i++) {
        if (strcmp(cli_cmds[i].section, section) != 0)
            continue;
        if (!heading++)
            fprintf(out, "\n%s\n", section);
        print_forms(out, cli_cmds[i].forms, (int)BB_ARRAY_LEN(cli_cmds[i].forms));
    }
    for (int m = 0; domain_modules[m]; m++)
        for (const struct domain_cmd *c = domain_modules[m]->cmds; c && c->name; c++) {
            if (strcmp(c->section, section) != 0)
                continue;
            if (!heading++)
                fprintf(out, "\n%s\n", section);
            print_forms(out, c->forms, DOMAIN_CMD_FORMS);
        }
}

static void print_usage(FILE *out)
{
    fputs(usage_head, out);
    for (size_t i = 0; i < BB_ARRAY_LEN(sections); i++)
        print_section(out, sections[i]);
    for (int m = 0; domain_modules[m]; m++)
        for (const struct domain_cmd *c = domain_modules[m]->cmds; c && c->name; c++)
            if (!section_known(c->section))
                print_forms(out, c->forms, DOMAIN_CMD_FORMS);
    fputs(usage_tail, out);
}

/* A module's command, run with the store, the flows and the core set up. */
static int run_domain_cmd(struct app *a, const struct domain_cmd *dcmd, int nargs, char **args)
{
    if (setup(a, 1) != BB_OK)
        return 1;
    struct domain_ctx dc = {
        .st = a->st, .lib = a->lib, .core = a->core, .cfg = &a->cfg, .now = bb_now()};
    char **dargv = calloc((size_t)nargs + 2, sizeof(char *));
    if (!dargv)
        return 1;
    dargv[0] = (char *)dcmd->name;
    for (int k = 0; k < nargs; k++)
        dargv[k + 1] = args[k];
    int rc = dcmd->run(&dc, nargs + 1, dargv);
    free(dargv);
    return rc;
}

/* --db, --config or --flows with its value at argv[*i], before or after the
 * command: taken into a (*i moved onto the value), 1; anything else, 0. */
static int global_option(struct app *a, int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        return 0;
    if (strcmp(argv[*i], "--db") == 0) {
        a->db_override = argv[++*i];
    } else if (strcmp(argv[*i], "--config") == 0) {
        a->config_path = argv[++*i];
        a->config_required = 1;
    } else if (strcmp(argv[*i], "--flows") == 0) {
        a->flows_override = argv[++*i];
    } else {
        return 0;
    }
    return 1;
}

/* An installed bimbing (make install) finds its flows, web files and the
 * safety list under PREFIX/share/bimbing, beside its own bin/ directory;
 * a path the configuration names, or one present in the current directory
 * (a source tree), wins. Relocatable, so a DESTDIR install works too. */
static void use_installed(char *path, size_t n, const char *share)
{
    struct stat sb;
    char cand[1200];
    if (!share[0] || path[0] == '/' || stat(path, &sb) == 0)
        return;
    if (bb_snprintf(cand, sizeof(cand), "%s/%s", share, path) == BB_OK && stat(cand, &sb) == 0 &&
        strlen(cand) < n)
        bb_strlcpy(path, cand, n);
}

static void resolve_installed(struct config *cfg)
{
    char exe[1024], share[1100] = "";
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0'; /* PREFIX/bin */
            bb_snprintf(share, sizeof(share), "%s/../share/bimbing", exe);
        }
    }
    use_installed(cfg->flows_dir, sizeof(cfg->flows_dir), share);
    use_installed(cfg->web_dir, sizeof(cfg->web_dir), share);
    use_installed(cfg->safety, sizeof(cfg->safety), share);
    use_installed(cfg->holidays, sizeof(cfg->holidays), share);
}

int main(int argc, char **argv)
{
    struct app a;
    int i = 1, rc;
    char err[400];

    memset(&a, 0, sizeof(a));
    signal(SIGPIPE, SIG_IGN);
    /* A file size limit (ulimit -f) is a write error SQLite reports, like a
     * full disk, not a reason to die. */
    signal(SIGXFSZ, SIG_IGN);
    a.config_path = "config/bimbing.json";
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (global_option(&a, argc, argv, &i))
            continue;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            print_usage(stdout);
            return 0;
        }
        break;
    }
    if (i >= argc) {
        print_usage(stderr);
        return 2;
    }
    const char *cmd = argv[i++];
    /* Options may also follow the command (bimbing chat --as X --db Y). */
    int nargs = 0;
    char **args = calloc((size_t)argc + 1, sizeof(char *));
    if (!args)
        return 1;
    for (; i < argc; i++)
        if (!global_option(&a, argc, argv, &i))
            args[nargs++] = argv[i];
    const struct cli_cmd *cc = find_cli(cmd);
    if (cc && (cc->flags & CLI_NO_CONFIG)) {
        rc = cc->run(&a, nargs, args);
        free(args);
        return rc;
    }
    /* Without --config: config/bimbing.json here, else the system's. */
    struct stat csb;
    if (!a.config_required && stat(a.config_path, &csb) != 0 &&
        stat("/etc/bimbing/bimbing.json", &csb) == 0)
        a.config_path = "/etc/bimbing/bimbing.json";
    if (chan_config_load(&a.cfg, a.config_path, a.config_required, err, sizeof(err)) != BB_OK) {
        fprintf(stderr, "bimbing: configuration: %s\n", err);
        free(args);
        return 1;
    }
    if (a.db_override)
        bb_strlcpy(a.cfg.db, a.db_override, sizeof(a.cfg.db));
    if (a.flows_override)
        bb_strlcpy(a.cfg.flows_dir, a.flows_override, sizeof(a.cfg.flows_dir));
    resolve_installed(&a.cfg);
    if (strcmp(a.cfg.log_level, "error") == 0)
        bb_log_threshold = BB_LOG_ERR;
    else if (strcmp(a.cfg.log_level, "warn") == 0)
        bb_log_threshold = BB_LOG_WARN;
    else if (strcmp(a.cfg.log_level, "debug") == 0)
        bb_log_threshold = BB_LOG_DEBUG;
    if (cc && (cc->flags & CLI_QUIET))
        bb_log_threshold = bb_log_threshold < BB_LOG_WARN ? bb_log_threshold : BB_LOG_WARN;

    curl_global_init(CURL_GLOBAL_ALL);
    const struct domain_cmd *dcmd = cc ? NULL : domain_find_cmd(domain_modules, cmd);
    if (cc)
        rc = cc->run(&a, nargs, args);
    else if (dcmd)
        rc = run_domain_cmd(&a, dcmd, nargs, args);
    else {
        fprintf(stderr, "bimbing: unknown command '%s'\n\n", cmd);
        print_usage(stderr);
        rc = 2;
    }
    core_free(a.core);
    safety_free(a.safety);
    work_holidays_free(a.holidays);
    flow_lib_free(a.lib);
    store_free(a.st);
    curl_global_cleanup();
    free(args);
    return rc;
}
