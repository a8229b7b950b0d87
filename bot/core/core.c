/*
 * core.c - the core stage (see core.h): inbox -> flow engine -> outbox, one
 * transaction per batch (group commit), plus timers; unknown senders are
 * registered through bot/core/register.c.
 *
 * For each inbox event:
 *   1. find the person: an internal event names them; a platform event is
 *      looked up by (channel, external id); an unknown sender may redeem an
 *      invite code ("/start CODE" or the bare code), else gets a short
 *      bilingual note on how to join (wrong codes are rate-limited);
 *   2. load their session, run flow_handle(), carry out the effects:
 *      replies to the outbox, records, consents, timers, notifications;
 *   3. save the session and mark the event done.
 * A store error rolls the whole batch back; the events stay in the inbox.
 *
 * Thread rules: core thread only. Borrows the store and the flow library.
 */
#include "bot/core/core.h"
#include "bot/base/bb.h"
#include "bot/base/sapaan.h"
#include "bot/core/alert.h"
#include "bot/core/config.h"
#include "bot/core/consent.h"
#include "bot/core/domain.h"
#include "bot/core/handoff.h"
#include "bot/core/outmsg.h"
#include "bot/core/register.h"
#include "bot/core/safety.h"
#include "bot/core/worktime.h"
#include "bot/base/tz.h"
#include "store/store_handoff.h"
#include "store/store_alerts.h"
#include "store/store_work.h"

#include <assert.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const core_text_unknown_user[3] = {
    "Halo! Saya coach bimbing. Untuk mulai, kirim kode undangan dari bagian SDM "
    "(contoh: /start KODE). Belum memiliki kode? Hubungi bagian SDM di kantor Anda.\n\n"
    "Hello! I am the bimbing coach. To begin, send the invite code from HR "
    "(for example: /start CODE). No code yet? Ask HR at your office.",
    "Hello! I am the bimbing coach. To begin, send the invite code from HR "
    "(for example: /start CODE). No code yet? Ask HR at your office.\n\n"
    "Halo! Saya coach bimbing. Untuk mulai, kirim kode undangan dari bagian SDM "
    "(contoh: /start KODE).",
    "Halo! Saya coach bimbing. Untuk mulai, kirim kode undangan dari bagian SDM "
    "(contoh: /start KODE). Belum punya kode? Hubungi bagian SDM di kantormu.\n\n"
    "Hello! I am the bimbing coach. To begin, send the invite code from HR "
    "(for example: /start CODE). No code yet? Ask HR at your office.",
};

static const char *const text_bad_code[2] = {
    "Kode itu tidak dikenal, sudah dipakai, atau sudah kedaluwarsa. Periksa lagi kodenya, atau "
    "minta kode baru ke bagian SDM.\n\nThat code is unknown, used or expired. Check it, or ask "
    "HR for a new one.",
    "That code is unknown, used or expired. Check it, or ask HR for a new one.\n\nKode itu "
    "tidak dikenal, sudah dipakai, atau sudah kedaluwarsa.",
};

static const char *const text_too_many[2] = {
    "Terlalu banyak kode yang salah. Coba lagi dalam satu jam.\n\nToo many wrong codes. Please "
    "try again in an hour.",
    "Too many wrong codes. Please try again in an hour.\n\nTerlalu banyak kode yang salah. Coba "
    "lagi dalam satu jam.",
};

#define CORE_MAX_MODULES 32 /* modules in one build, at most */

struct core {
    struct store *st;
    struct flow_lib *lib;
    struct tz_cache *tz;
    struct core_stats stats;
    struct config defaults;
    const struct config *cfg;
    const struct domain_module *const *modules;
    struct {
        char name[16];
        struct core_chan_caps caps;
    } chans[CORE_MAX_CHANNELS];
    int nchans;
    const struct safety *safety; /* borrowed; NULL screens nothing */
    int64_t event_id;            /* the inbox event being handled, 0 between events */
    /* working time (core_set_work): off until set */
    int work_on;
    struct work_hours work_def;
    const struct work_holidays *holidays; /* borrowed; may be NULL */
};

int core_new(struct store *st, struct flow_lib *lib, const struct domain_module *const *modules,
             struct core **out)
{
    int nmod = 0;
    while (modules && modules[nmod])
        nmod++;
    if (nmod > CORE_MAX_MODULES)
        return BB_EINVAL; /* person_lazy marks each module's fields */
    struct core *c = calloc(1, sizeof(*c));
    if (!c)
        return BB_ENOMEM;
    c->st = st;
    c->lib = lib;
    c->modules = modules;
    config_defaults(&c->defaults);
    c->cfg = &c->defaults;
    if (tz_cache_new(&c->tz) != BB_OK) {
        free(c);
        return BB_ENOMEM;
    }
    *out = c;
    return BB_OK;
}

void core_free(struct core *c)
{
    if (!c)
        return;
    tz_cache_free(c->tz);
    free(c);
}

void core_get_stats(const struct core *c, struct core_stats *s)
{
    *s = c->stats;
}

const struct domain_module *const *core_modules(const struct core *c)
{
    return c ? c->modules : NULL;
}

int core_set_channel_caps(struct core *c, const char *channel, const struct core_chan_caps *caps)
{
    int i = 0;
    while (i < c->nchans && strcmp(c->chans[i].name, channel) != 0)
        i++;
    if (i == CORE_MAX_CHANNELS)
        return BB_ELIMIT;
    if (bb_strlcpy(c->chans[i].name, channel, sizeof(c->chans[i].name)) != BB_OK)
        return BB_EINVAL;
    c->chans[i].caps = *caps;
    if (i == c->nchans)
        c->nchans++;
    return BB_OK;
}

static const struct core_chan_caps *caps_of_channel(const struct core *c, const char *channel)
{
    for (int i = 0; i < c->nchans; i++)
        if (strcmp(c->chans[i].name, channel) == 0)
            return &c->chans[i].caps;
    return NULL;
}

void core_set_config(struct core *c, const struct config *cfg)
{
    c->cfg = cfg ? cfg : &c->defaults;
    sapaan_set_casual(c->cfg->casual);
}

static void domain_ctx_of(struct core *c, int64_t now, struct domain_ctx *d)
{
    d->st = c->st;
    d->lib = c->lib;
    d->core = c;
    d->cfg = c->cfg;
    d->now = now;
    d->event_id = c->event_id;
}

/* ---- the modules' person fields and periodic work ---------------------------- */

/* The person object of one event, filled on demand: the base fields at
 * once (person_json), hr_name and each module's fields the first time a
 * step reads one of their names (flow_ctx.person_more). The values are
 * those at the start of the event: before the first effect is carried out
 * the core fills everything still missing when the step will read more
 * (a "result" round), see handle_event. */
struct person_lazy {
    struct core *c;
    const struct store_person *p;
    int64_t now;
    cJSON *pj;
    int hr_done;
    unsigned char done[CORE_MAX_MODULES];
    int rc; /* the first store error of a computation (the event then fails) */
};

/* 1 when name is one of module m's person fields. */
static int module_has_field(const struct domain_module *m, const char *name)
{
    for (int i = 0; m->person_field_names && m->person_field_names[i]; i++) {
        const char *f = m->person_field_names[i];
        size_t n = strlen(f);
        if (n && f[n - 1] == '*' ? strncmp(name, f, n - 1) == 0 : strcmp(name, f) == 0)
            return 1;
    }
    return 0;
}

static int lazy_module(struct person_lazy *L, int m)
{
    const struct domain_module *mod = L->c->modules[m];
    struct domain_ctx dc;
    int rc = BB_OK;
    if (L->done[m])
        return BB_OK;
    L->done[m] = 1;
    if (!mod->person_fields)
        return BB_OK;
    domain_ctx_of(L->c, L->now, &dc);
    const cJSON *tail = L->pj->child ? L->pj->child->prev : NULL;
    rc = mod->person_fields(&dc, L->p, L->pj);
    /* the names the module declared, and only those */
    for (const cJSON *it = tail ? tail->next : L->pj->child; rc == BB_OK && it; it = it->next)
        assert(module_has_field(mod, it->string));
    if (rc != BB_OK && L->rc == BB_OK)
        L->rc = rc;
    return rc;
}

static int lazy_hr(struct person_lazy *L)
{
    struct store_person hr;
    if (L->hr_done)
        return BB_OK;
    L->hr_done = 1;
    /* who hears a request for help when there is no mentor ("" for nobody) */
    int rc = store_person_hr_contact(L->c->st, L->p->id, L->p->unit, &hr);
    if (rc != BB_OK)
        hr.name[0] = '\0';
    if (!cJSON_AddStringToObject(L->pj, "hr_name", hr.name)) {
        if (L->rc == BB_OK)
            L->rc = BB_ENOMEM;
        return BB_ENOMEM;
    }
    return BB_OK;
}

/* flow_ctx.person_more: compute the fields name belongs to, if any. */
static int person_more(void *ctx, const char *name)
{
    struct person_lazy *L = ctx;
    if (strcmp(name, "hr_name") == 0)
        return lazy_hr(L);
    for (int m = 0; L->c->modules && L->c->modules[m]; m++)
        if (module_has_field(L->c->modules[m], name))
            return lazy_module(L, m);
    return BB_OK;
}

/* Everything not computed yet (before the store changes under a step
 * that will read the person again). */
static int person_all(struct person_lazy *L)
{
    int rc = lazy_hr(L);
    for (int m = 0; rc == BB_OK && L->c->modules && L->c->modules[m]; m++)
        rc = lazy_module(L, m);
    return rc;
}

/* A string field of the person ("" when there is none). */
static const char *person_str(struct person_lazy *L, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(L->pj, name);
    if (!v && person_more(L, name) == BB_OK)
        v = cJSON_GetObjectItemCaseSensitive(L->pj, name);
    return cJSON_IsString(v) ? v->valuestring : "";
}

int core_modules_tick(struct core *c, int64_t now, int *did)
{
    struct domain_ctx dc;
    int total = 0;
    domain_ctx_of(c, now, &dc);
    for (int m = 0; c->modules && c->modules[m]; m++)
        if (c->modules[m]->tick) {
            int n = 0, rc = c->modules[m]->tick(&dc, &n);
            if (rc != BB_OK) {
                bb_log(BB_LOG_ERR, c->modules[m]->name, "tick: %s", bb_strerror(rc));
                if (did)
                    *did = total;
                return rc;
            }
            total += n;
        }
    if (did)
        *did = total;
    return BB_OK;
}

/* ---- flow versions: sessions stay on the version they started ---------- */

static const struct flow *get_flow(void *ctx, const char *id, int version)
{
    struct core *c = ctx;
    const struct flow *f = flow_lib_get(c->lib, id, version);
    char *src = NULL;
    struct flow *nf = NULL;
    if (f || version == 0)
        return f;
    /* An older version a session is pinned to: its source is in the store. */
    if (store_flow_get(c->st, id, version, &src) != BB_OK)
        return NULL;
    if (flow_parse(src, strlen(src), id, flow_lib_actions(c->lib), &nf, NULL) == BB_OK &&
        nf->version == version && strcmp(nf->id, id) == 0) {
        if (flow_lib_add(c->lib, nf, 0) == BB_OK)
            f = flow_lib_get(c->lib, id, version);
    } else {
        flow_free(nf);
    }
    free(src);
    return f;
}

/* ---- outbox ------------------------------------------------------------------ */

static int queue_msg(struct core *c, int64_t person_id, const char *channel, const char *ext_user,
                     const struct outmsg *m)
{
    char *json = NULL;
    int rc = outmsg_encode(m, &json);
    if (rc == BB_OK)
        rc = store_outbox_put(c->st, person_id, channel, ext_user, STORE_PRIO_LIVE, json, 0, NULL);
    free(json);
    if (rc == BB_OK)
        c->stats.replies++;
    return rc;
}

static int queue_text(struct core *c, int64_t person_id, const char *channel, const char *ext_user,
                      const char *text)
{
    struct outmsg m;
    memset(&m, 0, sizeof(m));
    m.text = (char *)text;
    return queue_msg(c, person_id, channel, ext_user, &m);
}

/* Where to reach a person: the channel of the event being handled, else the
 * channel they last wrote from. */
struct reach {
    char channel[16];
    char ext_user[64];
};

static int reach_person(struct core *c, int64_t person_id, struct reach *r)
{
    return store_identity_last(c->st, person_id, r->channel, sizeof(r->channel), r->ext_user,
                               sizeof(r->ext_user));
}

/* ---- for domain modules --------------------------------------------------------- */

int core_send_body(struct core *c, int64_t person_id, const char *body_json, int prio,
                   int64_t batch_id)
{
    struct reach r;
    int rc = reach_person(c, person_id, &r);
    if (rc != BB_OK)
        return rc;
    rc = store_outbox_put(c->st, person_id, r.channel, r.ext_user, prio, body_json, batch_id, NULL);
    if (rc == BB_OK)
        c->stats.replies++;
    return rc;
}

int core_send_text(struct core *c, int64_t person_id, const char *const text[2], int prio,
                   int64_t batch_id)
{
    struct store_person p;
    int rc = store_person_by_id(c->st, person_id, &p);
    if (rc != BB_OK)
        return rc;
    int li = flow_lang_index(p.lang) == 1 ? 1 : 0;
    const char *t = text[li] ? text[li] : text[1 - li];
    if (!t)
        return BB_EINVAL;
    char *json = NULL;
    if ((rc = outmsg_encode_text(t, &json)) != BB_OK)
        return rc;
    rc = core_send_body(c, person_id, json, prio, batch_id);
    free(json);
    return rc;
}

/* A timer of `kind` that starts flow_id for the person at `due`. */
static int add_start_timer(struct core *c, int64_t person_id, const char *kind, const char *flow_id,
                           int64_t due)
{
    struct store_timer t;
    memset(&t, 0, sizeof(t));
    t.person_id = person_id;
    bb_strlcpy(t.kind, kind, sizeof(t.kind));
    if (bb_strlcpy(t.payload, flow_id, sizeof(t.payload)) != BB_OK)
        return BB_EINVAL;
    t.due = due;
    return store_timer_add(c->st, &t, NULL);
}

int core_start_flow(struct core *c, int64_t person_id, const char *flow_id, int64_t due)
{
    return add_start_timer(c, person_id, "flow", flow_id, due);
}

int core_start_later(struct core *c, int64_t person_id, const char *flow_id, int64_t due)
{
    return add_start_timer(c, person_id, "later", flow_id, due);
}

/* ---- the person as the engine sees it -------------------------------------- */

static cJSON *person_json(struct core *c, const struct store_person *p)
{
    cJSON *o = cJSON_CreateObject();
    char first[128];
    if (!o)
        return NULL;
    /* the name they are called by: the CSV's panggilan, else the first name
     * without titles ("Dr. Budi Santoso, M.Si." is Budi) */
    sapaan_called(p->panggilan, p->name, first, sizeof(first));
    cJSON_AddStringToObject(o, "nip", p->nip);
    cJSON_AddStringToObject(o, "name", p->name);
    cJSON_AddStringToObject(o, "first_name", first);
    cJSON_AddStringToObject(o, "unit", p->unit);
    cJSON_AddStringToObject(o, "position", p->position);
    cJSON_AddStringToObject(o, "grade", p->grade);
    cJSON_AddStringToObject(o, "role", p->role);
    cJSON_AddStringToObject(o, "lang", p->lang);
    /* the register (docs/coaching.md): "Bapak Andi" / "Ibu Ayu" / "Anda",
     * and for greetings "Bapak Andi" / "Ibu Ayu" / "Ayu" */
    char g = sapaan_gender(p->gender, p->nip), addr[160];
    cJSON_AddStringToObject(o, "gender", g == 'L' ? "L" : g == 'P' ? "P" : "");
    sapaan_text(g, first, addr, sizeof(addr));
    cJSON_AddStringToObject(o, "sapaan", addr);
    sapaan_name(g, first, addr, sizeof(addr));
    cJSON_AddStringToObject(o, "sapaan_nama", addr);
    cJSON_AddStringToObject(o, "register", c->cfg->casual ? "santai" : "formal");
    return o;
}

int core_tz_offset(struct core *c, const char *tzname, int64_t now)
{
    const struct tz *z = NULL;
    int off = 7 * 3600; /* WIB when the zone is unknown */
    if (tzname[0] && tz_cache_get(c->tz, tzname, &z) == BB_OK)
        tz_offset_at(z, now, &off);
    return off;
}

/* ---- actions: a row of one of the core's modules (core_module first) ----- */

/* Results handed back to a flow for one event, at most (a flow waiting on
 * one action after another; each round runs at least one node). */
#define CORE_RESULT_ROUNDS 8

static int do_action(struct core *c, const struct store_person *p, const struct flow_fx *fx,
                     int64_t now, cJSON *result)
{
    const struct domain_action *da = domain_find_action(c->modules, fx->name);
    if (da && da->run && da->def.stores) {
        /* Storing needs the consent of the action's category, checked here
         * too (not only when the flow started), so a withdrawal stops
         * storing at once, even in a conversation already under way. */
        struct consent_state cs;
        int rc = consent_load(c->st, p->id, &cs);
        if (rc != BB_OK)
            return rc;
        if (!consent_allows(&cs, flow_category_index(da->def.stores))) {
            bb_log(BB_LOG_INFO, "core",
                   "action \"%s\" not run for person %" PRId64 ": no consent for %s data", fx->name,
                   p->id, da->def.stores);
            if (result)
                cJSON_AddBoolToObject(result, "ok", 0);
            return BB_OK;
        }
    }
    if (da && da->run) {
        struct domain_ctx dc;
        domain_ctx_of(c, now, &dc);
        dc.result = result;
        int rc = da->run(&dc, p, fx->args);
        if (rc == BB_OK && result && !cJSON_GetObjectItemCaseSensitive(result, "ok"))
            cJSON_AddBoolToObject(result, "ok", 1); /* ran, and says nothing more */
        return rc;
    }
    if (result)
        cJSON_AddBoolToObject(result, "ok", 0);
    bb_log(BB_LOG_WARN, "core", "action \"%s\" is not available in this build", fx->name);
    return BB_OK;
}

/* ---- the consent gate (consent.h) ---------------------------------------------- */

static int gate_may_start(void *ctx, const struct flow *f)
{
    int missing;
    return consent_gate(ctx, f, &missing) == CONSENT_GATE_OK;
}

/* A flow the gate refused: the person who asked is told why and offered a
 * way to consent; a START (schedule, HR) is dropped without a word. */
static int gate_refused(struct core *c, const struct store_person *p, const struct reach *r,
                        const struct flow_fx *fx)
{
    const struct flow *f = flow_lib_get(c->lib, fx->payload, 0);
    struct consent_state cs;
    struct outmsg m;
    int missing = -1, rc;
    if (!f)
        return BB_OK;
    if ((rc = consent_load(c->st, p->id, &cs)) != BB_OK)
        return rc;
    int reason = consent_gate(&cs, f, &missing);
    bb_log(BB_LOG_INFO, "core", "flow %s not started for person %" PRId64 ": %s%s", f->id, p->id,
           reason == CONSENT_GATE_ONBOARDING ? "onboarding not finished" : "no consent for ",
           reason == CONSENT_GATE_MISSING ? consent_purposes[missing] : "");
    if (!fx->asks || (!r->channel[0] && !r->ext_user[0]))
        return BB_OK;
    const struct flow *offer = NULL;
    if (reason == CONSENT_GATE_ONBOARDING) {
        const char *onb = reg_onboarding_flow(c->lib);
        offer = onb ? flow_lib_get(c->lib, onb, 0) : NULL;
    } else {
        offer = flow_lib_by_command(c->lib, "privasi");
    }
    int li = flow_lang_index(p->lang) == 1 ? 1 : 0;
    rc = consent_gate_reply(li, reason, missing, f, offer ? offer->id : NULL, &m);
    if (rc == BB_OK)
        rc = queue_msg(c, p->id, r->channel, r->ext_user, &m);
    outmsg_clear(&m);
    return rc;
}

/* ---- effects ------------------------------------------------------------------ */

/* "nanti" on a flow with "snooze" (FLOW_FX_SNOOZE): the flow starts again
 * at f->due, or at the person's next working slot after it, and they are
 * told when, in their own time. */
static int snooze(struct core *c, const struct store_person *p, const struct reach *r,
                  const struct flow_fx *f)
{
    int64_t due = f->due;
    char when[96], text[256];
    int rc = core_work_next(c, p, f->due, &due);
    if (rc == BB_OK)
        rc = core_start_later(c, p->id, f->payload, due);
    if (rc != BB_OK || (!r->channel[0] && !r->ext_user[0]))
        return rc;
    int li = flow_lang_index(p->lang) == 1 ? 1 : 0;
    work_format_when(core_person_zone(c, p->tz), due, li, when, sizeof(when));
    bb_snprintf(text, sizeof(text),
                li ? "Okay, I'll ask you again on %s." : "Baik, saya tanyakan lagi pada %s.", when);
    struct outmsg m;
    memset(&m, 0, sizeof(m));
    m.text = text;
    return queue_msg(c, p->id, r->channel, r->ext_user, &m);
}

/* result: where the outcome of an action the flow waits for goes (an
 * object, emptied first); NULL when no flow step can wait for one. */
static int apply_effects(struct core *c, const struct store_person *p, const struct reach *r,
                         struct flow_fxlist *fx, int64_t now, cJSON *result)
{
    int rc = BB_OK;
    for (int i = 0; i < fx->n && rc == BB_OK; i++) {
        struct flow_fx *f = &fx->v[i];
        switch (f->type) {
        case FLOW_FX_SAY: {
            if (!r->channel[0] && !r->ext_user[0])
                break; /* nowhere to send: the person has no identity */
            struct outmsg m;
            memset(&m, 0, sizeof(m));
            m.text = f->text ? f->text : "";
            if (f->asks)
                bb_strlcpy(m.q, f->payload, sizeof(m.q));
            if (f->nchoices > 0) {
                m.choices = calloc((size_t)f->nchoices, sizeof(*m.choices));
                if (!m.choices)
                    return BB_ENOMEM;
                for (int k = 0; k < f->nchoices; k++) {
                    bb_strlcpy(m.choices[k].id, f->choices[k].id, sizeof(m.choices[k].id));
                    bb_strlcpy(m.choices[k].label, f->choices[k].label, sizeof(m.choices[k].label));
                }
                m.nchoices = f->nchoices;
            }
            rc = queue_msg(c, p->id, r->channel, r->ext_user, &m);
            free(m.choices);
            break;
        }
        case FLOW_FX_ANSWERED:
        case FLOW_FX_STALE: {
            /* Only channels that can change what they already showed have a
             * use for these notices (one edits an answered question's
             * buttons away, another disables them); for the others they
             * would be rows written for nothing. */
            const struct core_chan_caps *cc = caps_of_channel(c, r->channel);
            if (!cc || !cc->edits_sent)
                break;
            struct outmsg m;
            memset(&m, 0, sizeof(m));
            m.kind = f->type == FLOW_FX_ANSWERED ? OUTMSG_ANSWERED : OUTMSG_STALE;
            bb_strlcpy(m.kind == OUTMSG_ANSWERED ? m.answered : m.stale, f->payload,
                       sizeof(m.answered));
            m.text = f->text;
            rc = queue_msg(c, p->id, r->channel, r->ext_user, &m);
            break;
        }
        case FLOW_FX_ACTION:
            if (f->wants_result && result) {
                while (result->child)
                    cJSON_Delete(cJSON_DetachItemViaPointer(result, result->child));
                rc = do_action(c, p, f, now, result);
            } else {
                rc = do_action(c, p, f, now, NULL);
            }
            break;
        case FLOW_FX_GATED:
            rc = gate_refused(c, p, r, f);
            break;
        case FLOW_FX_TIMER_SET: {
            struct store_timer t;
            memset(&t, 0, sizeof(t));
            t.person_id = p->id;
            bb_strlcpy(t.kind, f->name, sizeof(t.kind));
            bb_strlcpy(t.payload, f->payload, sizeof(t.payload));
            t.due = f->due;
            rc = store_timer_set(c->st, &t);
            break;
        }
        case FLOW_FX_TIMER_CLEAR: {
            /* Cleared and then set again in the same step (an answer followed
             * by the next question): the set moves it; skip the delete. */
            int set_later = 0;
            for (int k = i + 1; k < fx->n && !set_later; k++)
                set_later = fx->v[k].type == FLOW_FX_TIMER_SET && !strcmp(fx->v[k].name, f->name);
            if (!set_later)
                rc = store_timer_cancel(c->st, p->id, f->name);
            break;
        }
        case FLOW_FX_SNOOZE:
            rc = snooze(c, p, r, f);
            break;
        case FLOW_FX_DEFER: {
            /* A scheduled or HR-sent flow while another conversation runs:
             * try again in an hour. */
            struct store_timer t;
            memset(&t, 0, sizeof(t));
            t.person_id = p->id;
            bb_strlcpy(t.kind, "flow", sizeof(t.kind));
            bb_strlcpy(t.payload, f->payload, sizeof(t.payload));
            t.due = now + 3600;
            rc = store_timer_add(c->st, &t, NULL);
            break;
        }
        default:
            break;
        }
    }
    return rc;
}

/* ---- registration ------------------------------------------------------------- */

int core_invite(struct core *c, int64_t person_id, int64_t ttl, char *code, size_t n)
{
    return reg_invite(c->st, person_id, ttl, bb_now(), code, n);
}

/* An unknown sender: a code links them (bot/core/register.c), anything else
 * gets the how-to-join note. Returns BB_OK when handled (even if refused). */
static int handle_unknown(struct core *c, const struct store_inbox_event *ev, int64_t now,
                          int64_t *new_person)
{
    char code[REG_CODE_LEN + 1];
    int lang = 0, result = REG_BAD_CODE;

    *new_person = 0;
    c->stats.unknown++;
    if (!ev->channel[0] || !ev->ext_user[0])
        return BB_OK; /* an internal event for a person who is gone */
    if (ev->kind != STORE_EV_TEXT || !reg_code_in_text(ev->text, code, sizeof(code)))
        return queue_text(c, 0, ev->channel, ev->ext_user, core_text_unknown_user[SAPAAN_LI(lang)]);
    int rc = reg_redeem(c->st, ev->channel, ev->ext_user, code, now, &result, new_person);
    if (rc != BB_OK || result == REG_LINKED)
        return rc;
    return queue_text(c, 0, ev->channel, ev->ext_user,
                      result == REG_TOO_MANY ? text_too_many[lang] : text_bad_code[lang]);
}

/* ---- the safety net (safety.h) ------------------------------------------------- */

void core_set_safety(struct core *c, const struct safety *s)
{
    c->safety = s;
}

/* A distress hit from a person who agreed to alerts (the consent
 * wellbeing_alert): an alert to their mentor or HR (bot/core/alert.h),
 * never with what they wrote, and they are told who was told. One a day at
 * most while it is open: the dashboard already shows it. */
static int distress_alert(struct core *c, const struct store_person *p, int64_t now)
{
    struct domain_ctx dc;
    struct alert_outcome o;
    int granted = -1, open = 0;
    int rc = store_consent_get(c->st, p->id, "wellbeing_alert", &granted);
    if (rc != BB_OK || granted != 1)
        return rc;
    if ((rc = store_alert_open_since(c->st, p->id, ALERT_DISTRESS, now - 86400, &open)) != BB_OK ||
        open)
        return rc;
    domain_ctx_of(c, now, &dc);
    if ((rc = alert_raise(&dc, p, ALERT_DISTRESS, &o)) != BB_OK)
        return rc;
    return alert_tell_person(&dc, p, ALERT_DISTRESS, &o);
}

/* Before the flow sees it: a text with signs of distress gets the help
 * lines at once and the pending question is paused (not lost); the "talk
 * to a person" button gets who to contact. *done = 1 when the event was
 * answered here. p is NULL for a sender we do not know yet. */
static int safety_step(struct core *c, const struct store_inbox_event *ev,
                       const struct store_person *p, const struct reach *r, struct person_lazy *pl,
                       struct flow_state *st, struct flow_fxlist *fx, int64_t now, int *done)
{
    const char *t = ev->kind == STORE_EV_TEXT && ev->text ? ev->text : "";
    int li = p ? (flow_lang_index(p->lang) == 1 ? 1 : 0) : -1, rule = -1;
    struct outmsg m;
    char name[32];
    int rc;
    *done = 0;
    while (isspace((unsigned char)*t))
        t++;
    if (p && ev->kind == STORE_EV_BUTTON && strcmp(ev->payload, SAFETY_TALK_ID) == 0) {
        rc = safety_talk_reply(li, person_str(pl, "mentor_name"), &m);
    } else if (t[0] && t[0] != '/' && safety_screen(c->safety, t, &rule)) {
        const struct flow *f = st && st->depth ? flow_lib_get(c->lib, st->stack[0].flow_id, 0) : 0;
        int paused = st && flow_pause(st, now, fx);
        safety_rule_name(c->safety, rule, name, sizeof(name));
        bb_log(BB_LOG_WARN, "safety", "distress screen: %s matched (person %" PRId64 ", %s)%s",
               name, p ? p->id : 0, ev->channel[0] ? ev->channel : "internal",
               paused ? "; flow paused" : "");
        rc = safety_reply(li, paused && f ? f->title.t[li] : NULL, &m);
    } else {
        return BB_OK;
    }
    *done = 1;
    if (rc == BB_OK)
        rc = queue_msg(c, p ? p->id : 0, r->channel, r->ext_user, &m);
    outmsg_clear(&m);
    if (rc == BB_OK && p && rule >= 0)
        rc = distress_alert(c, p, now);
    return rc;
}

/* ---- a person to talk to (handoff.h) --------------------------------------------- */

/* Before the safety net and the flow: an open handoff takes the person's
 * messages (the bot stays quiet; /selesai or its button ends it), and
 * /bicara, /talk or the distress reply's button open one when anyone can
 * read it (a person with the role counsellor). With nobody to read it, the
 * command gets the honest list of whom to contact and the button is left
 * to the safety net (the same list). *done = 1 when the event was handled
 * here. */
static int handoff_step(struct core *c, const struct store_inbox_event *ev,
                        const struct store_person *p, const struct reach *r, struct person_lazy *pl,
                        struct flow_state *st, struct flow_fxlist *fx, int64_t now, int *done)
{
    struct store_handoff h;
    struct outmsg m;
    const char *t = ev->kind == STORE_EV_TEXT && ev->text ? ev->text : "";
    int is_btn = ev->kind == STORE_EV_BUTTON;
    int cmd = ev->kind == STORE_EV_TEXT ? handoff_command(t) : 0;
    int li = flow_lang_index(p->lang) == 1 ? 1 : 0, rc, staffed = 0;
    *done = 0;
    memset(&m, 0, sizeof(m));
    rc = store_handoff_current(c->st, p->id, &h);
    if (rc == BB_ENOTFOUND) {
        if (cmd != 1 && !(is_btn && strcmp(ev->payload, SAFETY_TALK_ID) == 0))
            return BB_OK;
        if ((rc = store_handoff_staffed(c->st, &staffed)) != BB_OK)
            return rc;
        if (!staffed && is_btn)
            return BB_OK; /* the safety net answers with whom to contact */
        if (!staffed) {
            rc = safety_talk_reply(li, person_str(pl, "mentor_name"), &m);
        } else {
            const struct flow *f = st->depth ? flow_lib_get(c->lib, st->stack[0].flow_id, 0) : NULL;
            int paused = flow_pause(st, now, fx) || (st->depth && st->paused);
            rc = handoff_open(c->st, p, is_btn ? "distress" : "command",
                              paused && f ? f->title.t[li] : NULL, now, &m);
            if (rc == BB_OK)
                rc = handoff_notify(c, c->st, now);
            else if (rc == BB_EEXIST)
                rc = BB_OK;
        }
    } else if (rc == BB_OK) {
        if (cmd == 2 || (is_btn && strcmp(ev->payload, HANDOFF_END_ID) == 0)) {
            rc = handoff_end_by_person(c->st, p, h.id, h.paused, now, &m);
        } else if (ev->kind == STORE_EV_TEXT && t[strspn(t, " \t\r\n")] != '/') {
            /* quiet: kept for the counsellor; a sign of distress still gets
             * the help lines at once (docs/safety.md) */
            int rule = -1;
            rc = handoff_keep(c->st, h.id, t, now);
            if (rc == BB_OK && safety_screen(c->safety, t, &rule)) {
                char name[32];
                safety_rule_name(c->safety, rule, name, sizeof(name));
                bb_log(BB_LOG_WARN, "safety",
                       "distress screen: %s matched (person %" PRId64 ", in a handoff)", name,
                       p->id);
                rc = handoff_distress_reply(li, &m);
            }
        } else if (ev->kind == STORE_EV_TEXT || is_btn) {
            rc = handoff_reminder(li, &m); /* a command or an old button */
        } else if (ev->kind == STORE_EV_TIMER || ev->kind == STORE_EV_START) {
            /* a reminder, an expiry or a scheduled flow waits for the bot's
             * return: tried again in an hour */
            struct store_timer tm;
            memset(&tm, 0, sizeof(tm));
            tm.person_id = p->id;
            bb_strlcpy(tm.kind, ev->kind == STORE_EV_START ? "flow" : "held", sizeof(tm.kind));
            bb_strlcpy(tm.payload, ev->payload, sizeof(tm.payload));
            tm.due = now + 3600;
            rc = store_timer_add(c->st, &tm, NULL);
        }
    } else {
        return rc;
    }
    *done = 1;
    if (rc == BB_OK && m.text && (r->channel[0] || r->ext_user[0]))
        rc = queue_msg(c, p->id, r->channel, r->ext_user, &m);
    outmsg_clear(&m);
    return rc;
}

/* The flow action "handoff" (core_actions.c): open one for p, told on the
 * channel they last wrote from. */
int core_handoff_open(struct core *c, const struct store_person *p, const char *reason, int64_t now)
{
    struct outmsg m;
    char *json = NULL;
    int rc = handoff_open(c->st, p, reason, NULL, now, &m);
    if (rc == BB_OK)
        rc = handoff_notify(c, c->st, now);
    else if (rc == BB_EEXIST)
        rc = BB_OK;
    if (rc == BB_OK)
        rc = outmsg_encode(&m, &json);
    if (rc == BB_OK)
        rc = core_send_body(c, p->id, json, STORE_PRIO_LIVE, 0);
    free(json);
    outmsg_clear(&m);
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}

/* ---- one event ------------------------------------------------------------------ */

static int handle_event(struct core *c, const struct store_inbox_event *ev, int64_t now)
{
    struct store_person p;
    struct flow_state st;
    struct flow_fxlist fx;
    struct flow_event fe;
    struct reach r;
    cJSON *pj = NULL, *result = NULL;
    char *state = NULL;
    int64_t pid = ev->person_id;
    int started_by_code = 0, screened = 0;
    int rc;

    memset(&r, 0, sizeof(r));
    if (pid == 0) {
        rc = store_identity_person(c->st, ev->channel, ev->ext_user, &pid);
        if (rc == BB_ENOTFOUND) {
            bb_strlcpy(r.channel, ev->channel, sizeof(r.channel));
            bb_strlcpy(r.ext_user, ev->ext_user, sizeof(r.ext_user));
            if ((rc = safety_step(c, ev, NULL, &r, NULL, NULL, NULL, now, &screened)) != BB_OK ||
                screened)
                return rc;
            rc = handle_unknown(c, ev, now, &pid);
            if (rc != BB_OK || pid == 0)
                return rc;
            started_by_code = 1;
        } else if (rc != BB_OK) {
            return rc;
        }
    }
    rc = store_person_by_id(c->st, pid, &p);
    if (rc == BB_ENOTFOUND)
        return BB_OK; /* forgotten since the event arrived */
    if (rc != BB_OK)
        return rc;
    if (ev->channel[0]) {
        bb_strlcpy(r.channel, ev->channel, sizeof(r.channel));
        bb_strlcpy(r.ext_user, ev->ext_user, sizeof(r.ext_user));
        if ((rc = store_identity_touch(c->st, ev->channel, ev->ext_user, now)) != BB_OK)
            return rc;
    } else if (reach_person(c, pid, &r) != BB_OK) {
        memset(&r, 0, sizeof(r));
    }

    flow_state_init(&st, p.lang);
    flow_fxlist_init(&fx);
    rc = store_session_get(c->st, pid, &state);
    if (rc == BB_OK) {
        if (flow_state_from_json(&st, state) != BB_OK) {
            bb_log(BB_LOG_WARN, "core", "a session could not be read; starting afresh");
            flow_state_free(&st);
            flow_state_init(&st, p.lang);
        }
    } else if (rc != BB_ENOTFOUND) {
        goto out;
    }
    pj = person_json(c, &p);
    result = cJSON_CreateObject();
    if (!pj || !result) {
        rc = BB_ENOMEM;
        goto out;
    }
    struct person_lazy pl = {.c = c, .p = &p, .now = now, .pj = pj};
    struct consent_state cs;
    if ((rc = consent_load(c->st, pid, &cs)) != BB_OK)
        goto out;
    if (!started_by_code &&
        (rc = handoff_step(c, ev, &p, &r, &pl, &st, &fx, now, &screened)) != BB_OK)
        goto out;
    if (!started_by_code && !screened &&
        (rc = safety_step(c, ev, &p, &r, &pl, &st, &fx, now, &screened)) != BB_OK)
        goto out;
    if ((rc = pl.rc) != BB_OK)
        goto out;
    struct flow_ctx ctx = {.lib = c->lib,
                           .get = get_flow,
                           .get_ctx = c,
                           .person = pj,
                           .person_more = person_more,
                           .person_ctx = &pl,
                           .now = now,
                           .tz_offset_s = core_tz_offset(c, p.tz, now),
                           .may_start = gate_may_start,
                           .gate_ctx = &cs,
                           .casual = c->cfg->casual,
                           .welcome = consent_onboarded(&cs) ? NULL : reg_onboarding_flow(c->lib)};
    memset(&fe, 0, sizeof(fe));
    if (started_by_code) {
        const char *onb = reg_onboarding_flow(c->lib);
        fe.type = FLOW_EV_START;
        fe.payload = onb ? onb : "";
        if (!onb) {
            fe.type = FLOW_EV_TEXT;
            fe.text = "/menu";
        }
    } else {
        switch (ev->kind) {
        case STORE_EV_TEXT:
            fe.type = FLOW_EV_TEXT;
            fe.text = ev->text ? ev->text : "";
            break;
        case STORE_EV_BUTTON:
            fe.type = FLOW_EV_BUTTON;
            fe.payload = ev->payload;
            break;
        case STORE_EV_TIMER:
            fe.type = FLOW_EV_TIMER;
            fe.payload = ev->payload;
            break;
        case STORE_EV_START:
            fe.type = FLOW_EV_START;
            fe.payload = ev->payload;
            break;
        default:
            rc = BB_OK; /* unknown kinds are dropped */
            goto out;
        }
    }
    rc = screened ? BB_OK : flow_handle(&ctx, &st, &fe, &fx);
    if (rc == BB_ESTATE || rc == BB_ENOTFOUND) {
        c->stats.errors++;
        bb_log(BB_LOG_WARN, "core", "flow step for person %" PRId64 ": %s", pid, bb_strerror(rc));
        rc = BB_OK;
    }
    if (rc == BB_OK)
        rc = pl.rc; /* a person field the step read could not be computed */
    /* A step that waits for a result reads the person again after the
     * effects changed the store: it sees the values of the event's start,
     * as if all were computed then. */
    if (rc == BB_OK && st.mode == FLOW_MODE_RESULT)
        rc = person_all(&pl);
    if (rc != BB_OK)
        goto out;
    rc = apply_effects(c, &p, &r, &fx, now, result);
    /* A node with "result" waits for its action's outcome: hand it back
     * to the flow in this same pass (bounded: each round is one node). */
    for (int round = 0; rc == BB_OK && st.mode == FLOW_MODE_RESULT && round < CORE_RESULT_ROUNDS;
         round++) {
        char *payload = cJSON_PrintUnformatted(result);
        struct flow_event re = {.type = FLOW_EV_RESULT, .payload = payload ? payload : "{}"};
        flow_fxlist_free(&fx);
        flow_fxlist_init(&fx);
        rc = flow_handle(&ctx, &st, &re, &fx);
        cJSON_free(payload);
        if (rc == BB_ESTATE) {
            c->stats.errors++;
            rc = BB_OK;
        }
        if (rc == BB_OK)
            rc = pl.rc;
        if (rc == BB_OK)
            rc = apply_effects(c, &p, &r, &fx, now, result);
    }
    if (rc == BB_OK && st.mode == FLOW_MODE_RESULT) {
        /* a flow bug (a chain of results without a question): end the
         * conversation, keep what was done; rolling the batch back would
         * only replay the same event for ever */
        bb_log(BB_LOG_WARN, "core",
               "person %" PRId64 ": more than %d results in one step; "
               "conversation ended",
               pid, CORE_RESULT_ROUNDS);
        c->stats.errors++;
        st.depth = 0;
        st.mode = FLOW_MODE_IDLE;
    }
    if (rc != BB_OK)
        goto out;
    free(state);
    state = NULL;
    rc = flow_state_to_json(&st, &state);
    if (rc == BB_OK)
        rc = store_session_put(c->st, pid, st.depth ? st.stack[st.depth - 1].flow_id : "",
                               st.depth ? st.stack[st.depth - 1].version : 0,
                               st.depth ? st.stack[st.depth - 1].node : "", state, now);
out:
    cJSON_Delete(pj);
    cJSON_Delete(result);
    free(state);
    flow_fxlist_free(&fx);
    flow_state_free(&st);
    return rc;
}

int core_process(struct core *c, int max, int *n)
{
    struct store_inbox_event *evs = NULL;
    int count = 0, rc;
    int64_t now = bb_now();

    if (n)
        *n = 0;
    rc = store_begin(c->st);
    if (rc != BB_OK)
        return rc;
    rc = store_inbox_next(c->st, max, &evs, &count);
    if (rc != BB_OK)
        goto fail;
    for (int i = 0; i < count; i++) {
        c->event_id = evs[i].id;
        rc = handle_event(c, &evs[i], now);
        c->event_id = 0;
        if (rc != BB_OK)
            goto fail;
        c->stats.events++;
        for (int k = 0; k < CORE_STAT_CHANNELS; k++) {
            if (c->stats.in[k].events == 0 && !c->stats.in[k].channel[0] && evs[i].channel[0])
                bb_strlcpy(c->stats.in[k].channel, evs[i].channel, sizeof(c->stats.in[k].channel));
            if (strcmp(c->stats.in[k].channel, evs[i].channel) == 0) {
                c->stats.in[k].events++;
                break;
            }
        }
    }
    /* The batch is the oldest unprocessed events: one statement marks them. */
    if (count > 0)
        rc = store_inbox_done_upto(c->st, evs[count - 1].id, now);
    if (rc != BB_OK)
        goto fail;
    rc = store_commit(c->st);
    if (rc != BB_OK)
        goto fail_norollback;
    if (n)
        *n = count;
    store_inbox_free(evs, count);
    return BB_OK;
fail:
    store_rollback(c->st);
fail_norollback:
    bb_log(BB_LOG_ERR, "core", "batch rolled back: %s (%s)", bb_strerror(rc), store_errmsg(c->st));
    store_inbox_free(evs, count);
    return rc;
}

int core_drain(struct core *c, int batch, int *n)
{
    int total = 0, got, rc;
    do {
        rc = core_process(c, batch, &got);
        total += got;
    } while (rc == BB_OK && got > 0 && total < 10000000);
    if (n)
        *n = total;
    return rc;
}

/* ---- working time (bot/core/worktime.h) ------------------------------------ */

void core_set_work(struct core *c, const struct work_hours *def, const struct work_holidays *hol)
{
    c->work_on = def != NULL;
    if (def)
        c->work_def = *def;
    c->holidays = hol;
}

int core_work_on(const struct core *c)
{
    return c->work_on;
}

const struct tz *core_person_zone(struct core *c, const char *tzname)
{
    const struct tz *z = NULL;
    if (!tzname[0] || tz_cache_get(c->tz, tzname, &z) != BB_OK)
        tz_cache_get(c->tz, "Asia/Jakarta", &z);
    return z;
}

int core_work_of(struct core *c, const struct store_person *p, struct core_work *w)
{
    struct store_work sw;
    char err[200];
    int rc = store_work_get(c->st, p->id, &sw);
    if (rc != BB_OK)
        return rc;
    w->hours = c->work_def;
    if (work_hours_parse(sw.days, sw.hours, &w->hours, err, sizeof(err)) != BB_OK) {
        bb_log(BB_LOG_WARN, "core", "person %" PRId64 ": %s; the instance's hours apply", p->id,
               err);
        w->hours = c->work_def;
    }
    w->zone = core_person_zone(c, p->tz);
    w->holidays = c->holidays;
    w->leave_until = sw.leave_until;
    return BB_OK;
}

int core_work_next(struct core *c, const struct store_person *p, int64_t t, int64_t *out)
{
    struct core_work w;
    int rc;
    *out = t;
    if (!c->work_on)
        return BB_OK;
    if ((rc = core_work_of(c, p, &w)) != BB_OK)
        return rc;
    int64_t today = work_local_day(w.zone, t);
    int64_t leave = w.leave_until >= today ? w.leave_until : STORE_WORK_NO_LEAVE;
    if (work_next(&w.hours, w.holidays, w.zone, t, leave, out) != BB_OK)
        *out = t; /* no working day within the bound: as asked */
    return BB_OK;
}

/* A flow the scheduler starts on its own (a schedule trigger). */
static int is_recurring(const struct flow *f)
{
    for (int i = 0; f && i < f->ntriggers; i++)
        if (f->triggers[i].type == FLOW_TRIG_SCHEDULE)
            return 1;
    return 0;
}

enum { GATE_FIRE, GATE_MOVE, GATE_DROP };

/* What working time does with a due timer: fire it now, move it to the
 * next working slot (*due), or drop it (a reminder, or a recurring start,
 * while the person is on leave). Only what the bot starts on its own is
 * held: reminders, expiry notes, recurring flows and the starts it planned
 * itself (kind "later": follow-ups, snoozes); what HR sends or an event
 * starts goes now. */
static int work_gate(struct core *c, const struct store_timer *t, int64_t now, int64_t *due)
{
    struct store_person p;
    struct core_work w;
    int flow = !strcmp(t->kind, "flow"), later = !strcmp(t->kind, "later");
    int remind = !strcmp(t->kind, "remind");
    const struct flow *f = NULL;
    if (!c->work_on)
        return GATE_FIRE;
    if (flow || later)
        f = flow_lib_get(c->lib, t->payload, 0);
    if (!(remind || !strcmp(t->kind, "expire") || later || (flow && is_recurring(f))))
        return GATE_FIRE;
    if (store_person_by_id(c->st, t->person_id, &p) != BB_OK || core_work_of(c, &p, &w) != BB_OK)
        return GATE_FIRE;
    int64_t today = work_local_day(w.zone, now);
    int on_leave = w.leave_until != STORE_WORK_NO_LEAVE && today <= w.leave_until;
    if (on_leave && (remind || (flow && is_recurring(f))))
        return GATE_DROP;
    if (work_next(&w.hours, w.holidays, w.zone, now, on_leave ? w.leave_until : STORE_WORK_NO_LEAVE,
                  due) != BB_OK ||
        *due <= now)
        return GATE_FIRE;
    return GATE_MOVE;
}

int core_tick(struct core *c, int64_t now, int *n)
{
    struct store_timer *t = NULL;
    int count = 0, rc;
    if (n)
        *n = 0;
    rc = store_begin(c->st);
    if (rc != BB_OK)
        return rc;
    rc = store_timer_due(c->st, now, 1000, &t, &count);
    int fired = 0;
    for (int i = 0; rc == BB_OK && i < count; i++) {
        struct store_inbox_event ev;
        int dup = 0;
        int64_t due = now;
        int g = work_gate(c, &t[i], now, &due);
        if (g == GATE_MOVE) {
            rc = store_timer_move(c->st, t[i].id, due);
            continue;
        }
        if (g == GATE_DROP) {
            bb_log(BB_LOG_INFO, "core", "person %" PRId64 " is on leave: %s timer dropped",
                   t[i].person_id, t[i].kind);
            rc = store_timer_delete(c->st, t[i].id);
            continue;
        }
        fired++;
        memset(&ev, 0, sizeof(ev));
        ev.person_id = t[i].person_id;
        /* No ext_msg_id: timer row ids are reused once the row is deleted,
         * so "timer:<id>" made a later timer look like a duplicate of an
         * earlier one and it was dropped. Exactly once needs no id here:
         * the event is added and the timer deleted in one transaction. */
        if (strcmp(t[i].kind, "flow") == 0 || strcmp(t[i].kind, "later") == 0) {
            ev.kind = STORE_EV_START;
        } else {
            ev.kind = STORE_EV_TIMER;
        }
        bb_strlcpy(ev.payload, t[i].payload, sizeof(ev.payload));
        ev.ts = now;
        rc = store_inbox_add(c->st, &ev, &dup, NULL);
        if (rc == BB_OK)
            rc = store_timer_delete(c->st, t[i].id);
    }
    free(t);
    if (rc != BB_OK) {
        store_rollback(c->st);
        return rc;
    }
    rc = store_commit(c->st);
    if (rc == BB_OK && n)
        *n = fired;
    return rc;
}
