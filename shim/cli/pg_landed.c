/*
 * pg_landed.c - what an install put on disk that pkggate did not judge
 * (see pg_landed.h).
 */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "pg_audit.h"
#include "pg_landed.h"
#include "pg_name.h"
#include "pg_pkgjson.h"
#include "pg_pyversion.h"
#include "pg_report.h"
#include "pg_util.h"
#include "pg_version.h"
#include "banned.h"

/* More than this many lines would bury the tool's own output. */
#define SHOW_MAX 20

void pg_landed_list_release(struct pg_landed_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].name);
        free(l->v[i].version);
        free(l->v[i].where);
    }
    free(l->v);
    memset(l, 0, sizeof(*l));
}

static void list_add(struct pg_landed_list *l, const char *name, const char *version,
                     const char *where)
{
    if (l->n == l->alloc) {
        l->alloc = l->alloc ? l->alloc * 2 : 8;
        l->v = pg_xrealloc(l->v, l->alloc * sizeof(*l->v));
    }
    l->v[l->n].name = pg_xstrdup(name);
    l->v[l->n].version = pg_xstrdup(version);
    l->v[l->n].where = pg_xstrdup(where);
    l->n++;
}

/* ---- npm: node_modules/.package-lock.json ---- */

/* The commands that change node_modules in the project. */
static int npm_lands(const struct pg_cmd *cmd)
{
    static const char *const subs[] = {"audit",  "ci",        "dedupe",       "install",
                                       "install-ci-test",     "install-test", "prune",
                                       "uninstall",           "update"};

    if (cmd->tool != PG_TOOL_NPM || cmd->global || cmd->dry_run || !cmd->subcmd)
        return 0;
    for (size_t i = 0; i < PG_ARRAY_SIZE(subs); i++)
        if (strcmp(cmd->subcmd, subs[i]) == 0)
            return 1;
    return 0;
}

/* Each entry of hidden lockfile text as "location name@version"; visit may be NULL. */
static void npm_parse(const char *text, size_t len, struct pg_strmap *into,
                      void (*visit)(void *, const struct pg_req *, const char *, const char *),
                      void *arg)
{
    struct pg_pkglock lk = PG_PKGLOCK_INIT;
    struct pg_err err = PG_ERR_INIT;

    if (!text || pg_pkgjson_lock_parse(text, len, ".package-lock.json", &lk, &err) < 0)
        return;
    for (size_t i = 0; i < lk.reqs.n; i++) {
        const struct pg_req *r = &lk.reqs.v[i];
        char *key;

        if (!r->name || !r->locked || !lk.ent[i].path)
            continue;
        key = pg_xasprintf("%s %s@%s", lk.ent[i].path, r->name, r->locked);
        if (into)
            pg_strmap_put(into, key, 0);
        if (visit)
            visit(arg, r, key, lk.ent[i].path);
        free(key);
    }
    pg_pkgjson_lock_release(&lk);
}

/* The hidden lockfile's bytes, or NULL (none, or unreadable: read as empty). */
static char *npm_text(const char *file, size_t *len)
{
    struct pg_err err = PG_ERR_INIT;
    char *text = NULL;

    *len = 0;
    if (access(file, F_OK) != 0 || pg_read_file(file, PG_PKGLOCK_MAX, &text, len, &err) < 0)
        return NULL;
    return text;
}

static int npm_begin(struct pg_landed *l, const struct pg_cmd *cmd)
{
    char cwd[PATH_MAX];
    const char *prefix = cmd->manifest_dir;

    if (!prefix)
        prefix = getcwd(cwd, sizeof(cwd));
    if (!prefix)
        return 0;
    l->eco = PG_ECO_NPM;
    l->project = pg_xstrdup(prefix);
    l->lockfile = pg_xasprintf("%s/node_modules/.package-lock.json", prefix);
    l->before_text = npm_text(l->lockfile, &l->before_len);
    return 1;
}

struct after {
    const struct pg_landed *l;
    const struct pg_strmap *judged;
    struct pg_landed_list *out;
};

static void npm_visit(void *arg, const struct pg_req *r, const char *key, const char *where)
{
    struct after *a = arg;
    char *judged_key;

    if (pg_strmap_get(&a->l->before, key))
        return;
    judged_key = pg_version_ident(PG_ECO_NPM, r->name, r->locked);
    if (!pg_strmap_get(a->judged, judged_key))
        list_add(a->out, r->name, r->locked, where);
    free(judged_key);
}

/* ---- pip: site-packages' *.dist-info ---- */

static void pip_scan(const struct pg_landed *l, struct pg_strmap *into,
                     void (*visit)(void *, const char *, const char *), void *arg)
{
    for (size_t d = 0; d < 2; d++) {
        DIR *dir;
        struct dirent *e;

        if (!l->dirs[d] || (d == 1 && l->dirs[0] && !strcmp(l->dirs[0], l->dirs[1])))
            continue;
        dir = opendir(l->dirs[d]);
        while (dir && (e = readdir(dir)) != NULL) {
            if (!pg_ends_with(e->d_name, ".dist-info"))
                continue;
            if (into)
                pg_strmap_put(into, e->d_name, 0);
            if (visit)
                visit(arg, l->dirs[d], e->d_name);
        }
        if (dir)
            closedir(dir);
    }
}

static int pip_begin(struct pg_landed *l, const struct pg_cmd *cmd, const char *real)
{
    struct pg_pyenv env = PG_PYENV_INIT;
    char cwd[PATH_MAX];

    if (cmd->eco != PG_ECO_PYPI || cmd->dry_run || !cmd->subcmd ||
        strcmp(cmd->subcmd, "install") != 0 || pg_pyenv_of_tool(real, &env) < 0)
        return 0;
    l->eco = PG_ECO_PYPI;
    l->project = getcwd(cwd, sizeof(cwd)) ? pg_xstrdup(cwd) : NULL;
    l->dirs[0] = env.purelib;
    l->dirs[1] = env.platlib;
    env.purelib = env.platlib = NULL;
    pg_pyenv_release(&env);
    if (!l->dirs[0] && !l->dirs[1])
        return 0;
    pip_scan(l, &l->before, NULL, NULL);
    return 1;
}

static void pip_visit(void *arg, const char *dir, const char *entry)
{
    struct after *a = arg;
    /* "{name}-{version}.dist-info": the name's own '-' are written '_'. */
    const char *dash = strchr(entry, '-');
    char *name, *version, *key;

    if (pg_strmap_get(&a->l->before, entry) || !dash)
        return;
    name = pg_xstrndup(entry, (size_t)(dash - entry));
    version = pg_xstrndup(dash + 1, strlen(dash + 1) - strlen(".dist-info"));
    key = pg_version_ident(PG_ECO_PYPI, name, version);
    if (!pg_strmap_get(a->judged, key)) {
        char *shown = pg_name_normalize(PG_ECO_PYPI, name);

        list_add(a->out, shown, version, dir);
        free(shown);
    }
    free(key);
    free(version);
    free(name);
}

int pg_landed_begin(struct pg_landed *l, const struct pg_cmd *cmd, const char *real)
{
    if (!cmd->installs)
        return 0;
    if (npm_lands(cmd))
        return npm_begin(l, cmd);
    return pip_begin(l, cmd, real);
}

void pg_landed_settle(struct pg_landed *l)
{
    if (l->settled)
        return;
    l->settled = 1;
    if (l->eco == PG_ECO_NPM)
        npm_parse(l->before_text, l->before_len, &l->before, NULL, NULL);
}

/* npm's record after the install: what is new in it. */
static void npm_after(struct pg_landed *l, struct after *a)
{
    size_t len;
    char *text = npm_text(l->lockfile, &len);

    /* Byte for byte the same: nothing landed, nothing to parse. */
    if (text && l->before_text && len == l->before_len && memcmp(text, l->before_text, len) == 0)
        goto out;
    pg_landed_settle(l);
    npm_parse(text, len, NULL, npm_visit, a);
out:
    free(text);
}

void pg_landed_unjudged(struct pg_landed *l, const struct pg_strmap *judged,
                        struct pg_landed_list *out)
{
    struct after a = {l, judged, out};

    if (l->eco == PG_ECO_NPM && l->lockfile) {
        npm_after(l, &a);
    } else if (l->eco == PG_ECO_PYPI) {
        pg_landed_settle(l);
        pip_scan(l, NULL, pip_visit, &a);
    }
}

void pg_landed_release(struct pg_landed *l)
{
    free(l->lockfile);
    free(l->project);
    free(l->dirs[0]);
    free(l->dirs[1]);
    pg_strmap_release(&l->before);
    free(l->before_text);
    memset(l, 0, sizeof(*l));
}

/* ---- telling ---- */

static void say(const struct pg_landed *l, const struct pg_landed_list *list)
{
    const char *eco = pg_eco_name(l->eco);
    struct pg_sb names = PG_SB_INIT;

    pg_gate_errorf("pkggate: WARNING: %zu package%s landed that pkggate did not judge "
                   "(not in the tree it checked before %s ran):",
                   list->n, list->n == 1 ? "" : "s", l->eco == PG_ECO_NPM ? "npm" : "pip");
    for (size_t i = 0; i < list->n && i < SHOW_MAX; i++) {
        pg_gate_errorf("pkggate:   %s %s@%s (%s)", eco, list->v[i].name, list->v[i].version,
                       list->v[i].where);
        /* As `pkggate check` reads a pinned spec in each ecosystem. */
        pg_sb_addf(&names, " %s%s%s", list->v[i].name, l->eco == PG_ECO_NPM ? "@" : "==",
                   list->v[i].version);
    }
    if (list->n > SHOW_MAX)
        pg_gate_errorf("pkggate:   ... and %zu more (all in the audit log)", list->n - SHOW_MAX);
    pg_gate_errorf("pkggate: they are installed now: judge them with `pkggate check --ecosystem %s%s`, "
                   "or remove them with `%s`",
                   eco, pg_sb_str(&names),
                   l->eco == PG_ECO_NPM ? "npm uninstall NAME" : "pip uninstall NAME");
    pg_sb_release(&names);
}

/* The package's part of a record: what --json-out gets, in a verdict's shape. */
static json_t *record(const struct pg_landed *l, const struct pg_landed_pkg *p)
{
    char *msg = pg_xasprintf("landed without being judged (%s)", p->where);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:s}]}", "ecosystem",
                          pg_eco_name(l->eco), "name", p->name, "version", p->version, "origin",
                          "landed", "decision", "warn", "reasons", "rule", "unjudged", "action",
                          "warn", "message", msg);

    free(msg);
    return o;
}

static void add_line(struct pg_sb *to, json_t *o)
{
    char *one = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

    if (one)
        pg_sb_addf(to, "%s\n", one);
    free(one);
}

/* One audit record per package (the run's context first), and --json-out's lines. */
static void audit(const struct pg_landed *l, const struct pg_landed_list *list,
                  const struct pg_gate_opts *o, const struct pg_policy *pol)
{
    char *actx = pg_report_audit_context(o, time(NULL));
    struct pg_sb text = PG_SB_INIT, json = PG_SB_INIT;
    FILE *out = o->json_fp ? o->json_fp : o->json ? stdout : NULL;

    for (size_t i = 0; i < list->n; i++) {
        json_t *line = json_loads(actx, 0, NULL), *pkg = record(l, &list->v[i]);

        if (!json_is_object(line))
            line = json_object();
        if (l->project)
            json_object_set_new(line, "project", json_string(l->project));
        json_object_update(line, pkg);
        add_line(&text, line);
        add_line(&json, pkg);
        json_decref(line);
        json_decref(pkg);
    }
    if (text.len)
        pg_audit_append(text.buf, text.len, pg_policy_syslog(pol));
    if (out && json.len) {
        fputs(pg_sb_str(&json), out);
        fflush(out);
    }
    pg_sb_release(&json);
    pg_sb_release(&text);
    free(actx);
}

void pg_landed_report(const struct pg_landed *l, const struct pg_landed_list *list,
                      const struct pg_gate_opts *o, const struct pg_policy *pol)
{
    if (!list->n)
        return;
    /* Loud even under --quiet: this is no forecast but what is on disk now. */
    if (pg_policy_mode(pol) != PG_MODE_AUDIT)
        say(l, list);
    audit(l, list, o, pol);
}
