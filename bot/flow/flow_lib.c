/*
 * flow_lib.c - the set of loaded flows: every version a session may still
 * be pinned to, and for each id the current version that new sessions
 * start on. Loading a directory never takes a good flow down: a file that
 * fails validation is reported and the version loaded before stays current.
 *
 * Thread rules: build on one thread; after that, readers on any thread as
 * long as nobody adds. The lib owns its flows.
 */
#include "bot/flow/flow.h"
#include "bot/base/bb.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIB_MAX_FLOWS 4096

struct lib_entry {
    struct flow *f;
    int current;
};

struct flow_lib {
    struct lib_entry *v;
    int n, cap;
    const struct flow **cur; /* current flows sorted by id, rebuilt on change */
    int ncur;
    struct flow_actions acts; /* what "do" may name; row NULL: nothing */
};

int flow_lib_new(struct flow_lib **out)
{
    *out = calloc(1, sizeof(**out));
    return *out ? BB_OK : BB_ENOMEM;
}

void flow_lib_set_actions(struct flow_lib *lib, const struct flow_actions *acts)
{
    if (acts)
        lib->acts = *acts;
    else
        memset(&lib->acts, 0, sizeof(lib->acts));
}

const struct flow_actions *flow_lib_actions(const struct flow_lib *lib)
{
    return &lib->acts;
}

void flow_lib_free(struct flow_lib *lib)
{
    if (!lib)
        return;
    for (int i = 0; i < lib->n; i++)
        flow_free(lib->v[i].f);
    free(lib->v);
    free(lib->cur);
    free(lib);
}

static int cmp_flow_id(const void *a, const void *b)
{
    const struct flow *fa = *(const struct flow *const *)a;
    const struct flow *fb = *(const struct flow *const *)b;
    return strcmp(fa->id, fb->id);
}

static int rebuild_current(struct flow_lib *lib)
{
    const struct flow **cur = calloc((size_t)lib->n + 1, sizeof(*cur));
    int n = 0;
    if (!cur)
        return BB_ENOMEM;
    for (int i = 0; i < lib->n; i++)
        if (lib->v[i].current)
            cur[n++] = lib->v[i].f;
    qsort(cur, (size_t)n, sizeof(*cur), cmp_flow_id);
    free(lib->cur);
    lib->cur = cur;
    lib->ncur = n;
    return BB_OK;
}

int flow_lib_add(struct flow_lib *lib, struct flow *f, int current)
{
    int rc;
    for (int i = 0; i < lib->n; i++) {
        struct lib_entry *e = &lib->v[i];
        if (strcmp(e->f->id, f->id) != 0)
            continue;
        if (e->f->version == f->version) {
            /* Same version: identical source is a no-op reload; a different
             * source under the same number is refused (bump the version). */
            if (e->f->source_len != f->source_len ||
                memcmp(e->f->source, f->source, f->source_len)) {
                flow_free(f);
                return BB_EEXIST;
            }
            if (current && !e->current) {
                for (int k = 0; k < lib->n; k++)
                    if (strcmp(lib->v[k].f->id, f->id) == 0)
                        lib->v[k].current = 0;
                e->current = 1;
            }
            flow_free(f);
            return rebuild_current(lib);
        }
    }
    if (lib->n >= LIB_MAX_FLOWS) {
        flow_free(f);
        return BB_ELIMIT;
    }
    if (lib->n == lib->cap) {
        int nc = lib->cap ? lib->cap * 2 : 16;
        struct lib_entry *nv = realloc(lib->v, (size_t)nc * sizeof(*nv));
        if (!nv) {
            flow_free(f);
            return BB_ENOMEM;
        }
        lib->v = nv;
        lib->cap = nc;
    }
    if (current)
        for (int k = 0; k < lib->n; k++)
            if (strcmp(lib->v[k].f->id, f->id) == 0)
                lib->v[k].current = 0;
    lib->v[lib->n].f = f;
    lib->v[lib->n].current = current;
    lib->n++;
    rc = rebuild_current(lib);
    return rc;
}

const struct flow *flow_lib_get(const struct flow_lib *lib, const char *id, int version)
{
    for (int i = 0; i < lib->n; i++) {
        const struct lib_entry *e = &lib->v[i];
        if (strcmp(e->f->id, id) != 0)
            continue;
        if (version == 0 ? e->current : e->f->version == version)
            return e->f;
    }
    return NULL;
}

int flow_lib_count(const struct flow_lib *lib)
{
    return lib->ncur;
}

const struct flow *flow_lib_at(const struct flow_lib *lib, int i)
{
    return i >= 0 && i < lib->ncur ? lib->cur[i] : NULL;
}

/* The first current flow with a trigger of this type on this word. */
static const struct flow *by_word(const struct flow_lib *lib, int type, const char *word)
{
    for (int i = 0; i < lib->ncur; i++) {
        const struct flow *f = lib->cur[i];
        for (int t = 0; t < f->ntriggers; t++)
            if (f->triggers[t].type == type && strcmp(f->triggers[t].word, word) == 0)
                return f;
    }
    return NULL;
}

const struct flow *flow_lib_by_command(const struct flow_lib *lib, const char *word)
{
    return by_word(lib, FLOW_TRIG_COMMAND, word);
}

const struct flow *flow_lib_by_keyword(const struct flow_lib *lib, const char *folded, int lang)
{
    for (int i = 0; i < lib->ncur; i++) {
        const struct flow *f = lib->cur[i];
        for (int t = 0; t < f->ntriggers; t++) {
            const struct flow_trigger *tr = &f->triggers[t];
            if (tr->type != FLOW_TRIG_KEYWORD)
                continue;
            for (int l = 0; l < FLOW_NLANG; l++) {
                if (lang >= 0 && l != lang)
                    continue;
                for (int k = 0; k < tr->nkeywords[l]; k++)
                    if (strcmp(tr->keywords[l][k], folded) == 0)
                        return f;
            }
        }
    }
    return NULL;
}

const struct flow *flow_lib_by_event(const struct flow_lib *lib, const char *event)
{
    return by_word(lib, FLOW_TRIG_EVENT, event);
}

static void lib_diag(struct flow_diags *d, const char *file, const char *flow, const char *msg)
{
    if (!d)
        return;
    if (d->n == d->cap) {
        int nc = d->cap ? d->cap * 2 : 16;
        struct flow_diag *nv = realloc(d->v, (size_t)nc * sizeof(*nv));
        if (!nv)
            return;
        d->v = nv;
        d->cap = nc;
    }
    struct flow_diag *g = &d->v[d->n++];
    memset(g, 0, sizeof(*g));
    bb_strlcpy(g->file, file ? file : "", sizeof(g->file));
    bb_strlcpy(g->flow, flow ? flow : "", sizeof(g->flow));
    bb_strlcpy(g->msg, msg, sizeof(g->msg));
    d->nerrors++;
}

int flow_lib_check(const struct flow_lib *lib, struct flow_diags *d)
{
    return flow_lib_check_with(lib, NULL, d);
}

int flow_lib_check_with(const struct flow_lib *lib, const struct flow_lib *also,
                        struct flow_diags *d)
{
    int errors = 0;
    char msg[256];
    for (int i = 0; i < lib->ncur; i++) {
        const struct flow *f = lib->cur[i];
        for (int n = 0; n < f->nnodes; n++) {
            const struct flow_node *nd = &f->nodes[n];
            if (nd->kind == FLOW_NODE_CALL && !flow_lib_get(lib, nd->call, 0) &&
                !(also && flow_lib_get(also, nd->call, 0))) {
                bb_snprintf(msg, sizeof(msg), "node \"%s\" calls flow \"%s\", which is not loaded",
                            nd->name, nd->call);
                lib_diag(d, f->path, f->id, msg);
                errors++;
            }
        }
        for (int t = 0; t < f->ntriggers; t++) {
            const struct flow_trigger *tr = &f->triggers[t];
            if (tr->type != FLOW_TRIG_COMMAND)
                continue;
            for (int j = 0; j < i; j++) {
                const struct flow *g = lib->cur[j];
                for (int u = 0; u < g->ntriggers; u++)
                    if (g->triggers[u].type == FLOW_TRIG_COMMAND &&
                        strcmp(g->triggers[u].word, tr->word) == 0) {
                        bb_snprintf(msg, sizeof(msg), "command /%s is also the command of \"%s\"",
                                    tr->word, g->id);
                        lib_diag(d, f->path, f->id, msg);
                        errors++;
                    }
            }
            static const char *reserved[] = {"batal", "cancel", "stop",     "bantuan", "help",
                                             "menu",  "lanjut", "continue", NULL};
            for (int r = 0; reserved[r]; r++)
                if (strcmp(tr->word, reserved[r]) == 0) {
                    bb_snprintf(msg, sizeof(msg), "command /%s is reserved for everyone", tr->word);
                    lib_diag(d, f->path, f->id, msg);
                    errors++;
                }
        }
    }
    return errors ? BB_EINVAL : BB_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int flow_lib_load_dir(struct flow_lib *lib, const char *dir, struct flow_diags *d)
{
    DIR *dp = opendir(dir);
    char **names = NULL;
    int n = 0, cap = 0, bad = 0;
    struct dirent *de;

    if (!dp) {
        lib_diag(d, dir, NULL, "cannot open the flows directory");
        return BB_EIO;
    }
    while ((de = readdir(dp)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0 || de->d_name[0] == '.')
            continue;
        if (n == cap) {
            int nc = cap ? cap * 2 : 32;
            if (nc > LIB_MAX_FLOWS)
                break;
            char **nv = realloc(names, (size_t)nc * sizeof(*nv));
            if (!nv)
                break;
            names = nv;
            cap = nc;
        }
        names[n] = malloc(len + 1);
        if (!names[n])
            break;
        memcpy(names[n], de->d_name, len + 1);
        n++;
    }
    closedir(dp);
    qsort(names, (size_t)n, sizeof(*names), cmp_str);
    for (int i = 0; i < n; i++) {
        char path[1024];
        struct flow *f = NULL;
        if (bb_snprintf(path, sizeof(path), "%s/%s", dir, names[i]) != BB_OK) {
            lib_diag(d, names[i], NULL, "path too long");
            bad++;
            continue;
        }
        if (flow_load_file(path, &lib->acts, &f, d) != BB_OK) {
            bad++;
            continue;
        }
        char id[FLOW_ID_MAX];
        bb_strlcpy(id, f->id, sizeof(id));
        int rc = flow_lib_add(lib, f, 1);
        if (rc == BB_EEXIST) {
            lib_diag(d, path, id,
                     "this version number is already loaded with a different text: raise "
                     "\"version\" when you change a flow");
            bad++;
        } else if (rc != BB_OK) {
            lib_diag(d, path, id, bb_strerror(rc));
            bad++;
        }
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (flow_lib_check(lib, d) != BB_OK)
        bad++;
    return bad ? BB_EINVAL : BB_OK;
}
