/*
 * pg_held.c - blocks of installed packages, settled by npm's own answer
 * (pg_held.h).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pg_held.h"
#include "pg_npmdry.h"
#include "pg_npmspec.h"
#include "pg_ondisk.h"
#include "pg_pkgjson.h"
#include "pg_util.h"
#include "banned.h"

struct held {
    struct pg_verdict v;
    const char *folder; /* the name of its folder, as npm prints it (owned by disk) */
};

struct pg_held {
    const struct pg_gate_opts *o;
    const struct pg_cmd *cmd;
    struct pg_ondisk *disk;  /* read the first time a verdict blocks */
    int tried;
    struct held *v;          /* the held verdicts */
    size_t n, alloc;
    struct pg_strlist names;   /* theirs as npm may print them: name, alias, folder */
    struct pg_strlist removed; /* of those, the ones npm's answer removes */
    struct pg_strmap judged;   /* "name@version" as npm prints it -> 1: it has scripts */
};

struct pg_held *pg_held_new(const struct pg_gate_opts *o, const struct pg_cmd *cmd)
{
    struct pg_held *h = pg_xcalloc(1, sizeof(*h));

    h->o = o;
    h->cmd = cmd;
    return h;
}

size_t pg_held_count(const struct pg_held *h)
{
    return h ? h->n : 0;
}

void pg_held_judged(struct pg_held *h, const struct pg_req *r, const char *version, int scripts)
{
    char *key;
    const size_t *had;

    if (!h || !r->name || !version)
        return;
    /* npm prints a package by its folder's name: an npm: alias's own. */
    key = pg_xasprintf("%s@%s", r->alias ? r->alias : r->name, version);
    had = pg_strmap_get(&h->judged, key);
    if (!had || (!*had && scripts))
        pg_strmap_put(&h->judged, key, scripts != 0);
    free(key);
}

/*
 * npm's test of each package it would place: none of the held ones, only
 * what pkggate judged, and no install script that could load a held one
 * (a dependent's postinstall may well require it).
 */
static int test(void *arg, const char *verb, const char *name, const char *version,
                struct pg_err *err)
{
    struct pg_held *h = arg;
    char *key = pg_xasprintf("%s@%s", name, version);
    const size_t *scripts = pg_strmap_get(&h->judged, key);
    int held = pg_strlist_has(&h->names, name), rc = 1;

    /* A removal is no harm; of a held one, its warning says so. */
    if (strcmp(verb, "remove") == 0 && held)
        pg_strlist_push(&h->removed, name);
    if (strcmp(verb, "remove") == 0)
        rc = 0;
    else if (held)
        pg_err_set(err, "npm would install it again (%s %s)", verb, key);
    else if (!scripts)
        pg_err_set(err, "npm would %s %s, which pkggate did not judge by that name", verb, key);
    else if (*scripts && !h->cmd->npm_ignore_scripts)
        pg_err_set(err, "npm would run the install scripts of %s, which could load it "
                        "(--ignore-scripts keeps them from running)", key);
    else
        rc = 0;
    free(key);
    return rc;
}

/* A bare `npm install`: npm runs the project's own install scripts only then. */
static int names_none(const struct pg_cmd *cmd)
{
    for (size_t i = 0; i < cmd->reqs.n; i++)
        if (pg_streq(cmd->reqs.v[i].origin, "argv"))
            return 0;
    return strcmp(cmd->subcmd, "install") == 0;
}

/* Workspaces and directory dependencies (links): npm runs their scripts on every install. */
static int links(const json_t *doc)
{
    static const char *const kinds[] = {"dependencies", "devDependencies",
                                        "optionalDependencies", "peerDependencies"};
    const char *key;
    json_t *spec;

    if (json_object_get(doc, "workspaces"))
        return 1;
    for (size_t i = 0; i < PG_ARRAY_SIZE(kinds); i++) {
        json_object_foreach(json_object_get(doc, kinds[i]), key, spec) {
            struct pg_err err = PG_ERR_INIT;
            struct pg_npmspec s = PG_NPMSPEC_INIT;
            int dir = json_is_string(spec) &&
                      pg_npmspec_resolve(key, json_string_value(spec), &s, &err) == 0 &&
                      s.type == PG_NPMSPEC_DIRECTORY;

            pg_npmspec_release(&s);
            if (dir)
                return 1;
        }
    }
    return 0;
}

/* The first of events that scripts defines, or NULL. */
static const char *first(const json_t *scripts, const char *const *events, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (json_object_get(scripts, events[i]))
            return events[i];
    return NULL;
}

/*
 * Whether the project's own code runs during this install and could load
 * a held package: its lifecycle scripts (the install ones on a bare `npm
 * install`, the dependencies ones whenever the tree changes) and its
 * linked packages' scripts. 1 with err set when it may.
 */
static int project_scripts(const struct pg_cmd *cmd, struct pg_err *err)
{
    static const char *const bare[] = {"preinstall",  "install", "postinstall", "prepublish",
                                       "preprepare",  "prepare", "postprepare"};
    static const char *const always[] = {"predependencies", "dependencies", "postdependencies"};
    char *path = pg_xasprintf("%s/package.json", cmd->manifest_dir); /* set: pg_ondisk.h */
    char *buf = NULL;
    size_t len = 0;
    json_t *doc = NULL, *scripts;
    const char *event;
    int rc = 0;

    if (cmd->npm_ignore_scripts)
        goto out;
    if (pg_read_file(path, PG_PKGJSON_MAX, &buf, &len, NULL) < 0 ||
        !(doc = json_loadb(buf, len, 0, NULL))) {
        pg_err_set(err, "the project's package.json cannot be read for its scripts");
        rc = 1;
        goto out;
    }
    scripts = json_object_get(doc, "scripts");
    event = first(scripts, always, PG_ARRAY_SIZE(always));
    if (!event && names_none(cmd))
        event = first(scripts, bare, PG_ARRAY_SIZE(bare));
    rc = event || links(doc);
    if (event)
        pg_err_set(err, "the project's own `%s` script runs during this install and could "
                        "load it (--ignore-scripts keeps it from running)", event);
    else if (rc)
        pg_err_set(err, "npm runs the scripts of the project's workspaces and file: "
                        "dependencies on every install, and they could load it "
                        "(--ignore-scripts keeps them from running)");
out:
    json_decref(doc);
    free(buf);
    free(path);
    return rc;
}

/*
 * What npm says of the held packages: PG_NPMDRY_UNKNOWN with an empty err
 * when it was not asked (something else blocks; a command npm cannot be
 * asked about).
 */
static enum pg_npmdry_answer ask(struct pg_held *h, const struct pg_report *rep,
                                 struct pg_err *err)
{
    if (rep->blocked || !h->o->argv || !pg_npmdry_askable(h->cmd, h->o->argv))
        return PG_NPMDRY_UNKNOWN;
    if (project_scripts(h->cmd, err))
        return PG_NPMDRY_REFUSED;
    return pg_npmdry_ask(h->o->real, h->o->argv, h->o->skip, test, h, err);
}

/* The tail of each blocking reason: where it is, what npm said, how to remove it. */
static char *tail(const struct pg_verdict *v, enum pg_npmdry_answer a, const struct pg_err *err,
                  int removed)
{
    const char *name = v->name;

    if (a == PG_NPMDRY_AGREED && removed)
        return pg_xasprintf("it is installed already (%s) and this install removes it "
                            "(asked npm with --dry-run), so the install goes on",
                            v->installed);
    if (a == PG_NPMDRY_AGREED)
        return pg_xasprintf("it is installed already (%s) and npm leaves that copy as it is "
                            "(asked with --dry-run), so the install goes on; remove it: "
                            "`npm uninstall %s` if the project names it, else `npm ls %s` "
                            "shows what pulls it in",
                            v->installed, name, name);
    if (err->msg[0])
        return pg_xasprintf("it is installed already (%s), and this command cannot go on: %s; "
                            "remove it: `npm uninstall %s` if the project names it, else "
                            "`npm ls %s` shows what pulls it in",
                            v->installed, err->msg, name, name);
    return pg_xasprintf("it is installed already (%s), and refusing this command does not "
                        "remove it: `npm uninstall %s` if the project names it, else `npm ls "
                        "%s` shows what pulls it in",
                        v->installed, name, name);
}

static void amend(struct pg_verdict *v, enum pg_npmdry_answer a, const struct pg_err *err,
                  int removed)
{
    char *end = tail(v, a, err, removed);

    for (size_t i = 0; i < v->nreasons; i++) {
        struct pg_reason *x = &v->reasons[i];
        char *was = x->message;

        if (x->action != PG_ACT_BLOCK || x->exempted)
            continue;
        x->message = pg_xasprintf("%s; %s", was, end);
        free(was);
        if (a == PG_NPMDRY_AGREED)
            x->action = PG_ACT_WARN;
    }
    if (a == PG_NPMDRY_AGREED)
        v->decision = PG_WARN;
    free(end);
}

int pg_held_take(struct pg_held *h, const struct pg_req *r, struct pg_verdict *v)
{
    const char *where, *folder = NULL;

    if (!h || v->decision != PG_BLOCK || !v->version)
        return 0;
    if (!h->tried) {
        h->disk = pg_ondisk_open(h->cmd);
        h->tried = 1;
    }
    where = pg_ondisk_where(h->disk, v->name, v->version, &folder);
    if (!where)
        return 0;
    v->installed = pg_xstrdup(where);
    /* Named by the command itself: asked for, not left alone; it blocks. */
    if (pg_streq(v->origin, "argv")) {
        struct pg_err none = PG_ERR_INIT;

        amend(v, PG_NPMDRY_UNKNOWN, &none, 0);
        return 0;
    }
    pg_strlist_push(&h->names, v->name);
    pg_strlist_push(&h->names, folder);
    if (r->alias)
        pg_strlist_push(&h->names, r->alias);
    pg_xgrow((void **)&h->v, &h->alloc, h->n + 1, sizeof(*h->v));
    h->v[h->n].v = *v;
    h->v[h->n++].folder = folder;
    memset(v, 0, sizeof(*v));
    return 1;
}

void pg_held_settle(struct pg_held *h, struct pg_report *rep)
{
    struct pg_err err = PG_ERR_INIT;
    enum pg_npmdry_answer a;

    if (!h || !h->n)
        return;
    a = ask(h, rep, &err);
    for (size_t i = 0; i < h->n; i++) {
        struct pg_verdict *v = &h->v[i].v;

        amend(v, a, &err,
              pg_strlist_has(&h->removed, v->name) ||
                  pg_strlist_has(&h->removed, h->v[i].folder));
        pg_report_add(rep, v);
        pg_verdict_release(v);
    }
    h->n = 0;
}

void pg_held_free(struct pg_held *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        pg_verdict_release(&h->v[i].v);
    free(h->v);
    pg_strlist_release(&h->names);
    pg_strlist_release(&h->removed);
    pg_strmap_release(&h->judged);
    pg_ondisk_free(h->disk);
    free(h);
}
