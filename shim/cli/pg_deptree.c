/*
 * pg_deptree.c - the npm dependency tree, fetched through the gate's
 * pg_fetch (pg_deptree.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pg_depsrc.h"
#include "pg_deptree.h"
#include "pg_pkgjson.h"
#include "pg_strmap.h"
#include "pg_util.h"
#include "banned.h"

/* The source pg_npmtree reads packuments from: pg_fetch's rounds. */
/* A config value from argv, else from npm's environment. */
static const char *setting(const struct pg_cmd *cmd, const char *key, const char *env)
{
    size_t n = strlen(key);
    const char *v = NULL;

    for (size_t i = 0; i < cmd->config.n; i++)
        if (strncmp(cmd->config.v[i], key, n) == 0 && cmd->config.v[i][n] == '=')
            v = cmd->config.v[i] + n + 1; /* the last one wins */
    return v ? v : getenv(env);
}

static int listed(const char *list, const char *word)
{
    size_t n = strlen(word);

    for (const char *p = list; p && (p = strstr(p, word)); p += n)
        if ((p == list || p[-1] == ',' || p[-1] == ' ') &&
            (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
            return 1;
    return 0;
}

/*
 * What npm leaves out. Settings from .npmrc files are not read here; they
 * only make the tree smaller, so reading none judges more, never less.
 */
static void omissions(const struct pg_cmd *cmd, struct pg_npmtree_opts *o)
{
    const char *omit = setting(cmd, "omit", "npm_config_omit");
    const char *prod = setting(cmd, "production", "npm_config_production");
    const char *env = getenv("NODE_ENV");
    const char *legacy = setting(cmd, "legacy-peer-deps", "npm_config_legacy_peer_deps");
    const char *opt = setting(cmd, "optional", "npm_config_optional");

    o->omit_dev = listed(omit, "dev") || (prod && strcmp(prod, "true") == 0) ||
                  (env && strcmp(env, "production") == 0 &&
                   !listed(setting(cmd, "include", "npm_config_include"), "dev"));
    o->omit_optional = listed(omit, "optional") || (opt && strcmp(opt, "false") == 0);
    o->omit_peer = listed(omit, "peer") || (legacy && strcmp(legacy, "true") == 0);
}

static int builds_tree(const struct pg_cmd *cmd)
{
    static const char *const subcmds[] = {"install",   "install-test", "update",
                                          "uninstall", "prune",        "exec"};

    if (!cmd || cmd->tool == PG_TOOL_PIP || !cmd->installs || !cmd->subcmd)
        return 0;
    for (size_t i = 0; i < PG_ARRAY_SIZE(subcmds); i++)
        if (strcmp(cmd->subcmd, subcmds[i]) == 0)
            return 1;
    return 0;
}

/* pip install, download and wheel resolve dependencies unless --no-deps. */
static int pip_tree(const struct pg_cmd *cmd)
{
    return cmd && cmd->tool == PG_TOOL_PIP && cmd->installs && !cmd->no_deps && cmd->subcmd &&
           (strcmp(cmd->subcmd, "install") == 0 || strcmp(cmd->subcmd, "download") == 0 ||
            strcmp(cmd->subcmd, "wheel") == 0);
}

/* The project's lockfile and overrides, for a local install only. */
static int project(const struct pg_cmd *cmd, struct pg_npmtree_project *p, struct pg_err *err)
{
    if (cmd->global || !cmd->manifest_dir || strcmp(cmd->subcmd, "exec") == 0)
        return 0;
    return pg_npmtree_project_load(p, cmd->manifest_dir, cmd->lockfile_path,
                                   cmd->lock_pins_read ? &cmd->lock_pins : NULL, err);
}

void pg_deptree_npm_env(const struct pg_cmd *cmd, struct pg_semver_env *env)
{
    memset(env, 0, sizeof(*env));
    if (!cmd || cmd->eco != PG_ECO_NPM)
        return;
    env->default_tag = cmd->npm_tag;
    env->before = cmd->npm_before;
    env->node_version = cmd->node_version;
    env->npm_version = cmd->npm_version;
}

/*
 * The facts of a name a lockfile pins may be up to the policy's
 * "revalidate" old (pg_metacache.h). A dependency the tree picked at a
 * version the project does not pin may then have been picked from
 * yesterday's versions: ask about those names again, now. 1 if any was.
 */
static int repick(struct pg_deptree *d, struct pg_fetch *f, const struct pg_policy *pol,
                  const struct pg_fetch_opts *fo, const struct pg_npmtree_project *p)
{
    struct pg_strmap pinned = PG_STRMAP_INIT;
    const char **names = pg_xcalloc(d->tree.deps.n + 1, sizeof(*names));
    size_t n = 0, asked;

    for (size_t i = 0; i < p->locked.n; i++)
        pg_strmap_put(&pinned, p->locked.v[i], i);
    for (size_t i = 0; i < d->tree.deps.n; i++) {
        const struct pg_req *r = &d->tree.deps.v[i];
        char *key;

        if (!r->name || !r->locked)
            continue;
        key = pg_xasprintf("%s@%s", r->name, r->locked);
        if (!pg_strmap_get(&pinned, key))
            names[n++] = r->name;
        free(key);
    }
    asked = n ? pg_fetch_refresh(f, pol, fo, PG_ECO_NPM, names, n) : 0;
    free(names);
    pg_strmap_release(&pinned);
    return asked > 0;
}

/* The facts cache's guess at the packuments (pg_fetch_peek): what a round
 * answered already, else what the cache last recorded. */
struct guess {
    struct pg_fetch *f;
    struct pg_strmap at; /* name -> index in metas */
    struct pg_meta **metas;
    size_t n;
};

static void guess_fetch(void *arg, const char *const *names, size_t n)
{
    (void)arg, (void)names, (void)n; /* nothing is asked: the guess is offline */
}

static const struct pg_meta *guess_meta(void *arg, const char *name, const char **error)
{
    struct guess *g = arg;
    const struct pg_meta *m = pg_fetch_meta(g->f, PG_ECO_NPM, name, error);
    const size_t *at;

    if (m || *error)
        return m;
    at = pg_strmap_get(&g->at, name);
    if (!at) {
        g->metas = pg_xrealloc(g->metas, (g->n + 1) * sizeof(*g->metas));
        g->metas[g->n] = pg_fetch_peek(g->f, PG_ECO_NPM, name);
        pg_strmap_put(&g->at, name, g->n);
        at = pg_strmap_get(&g->at, name);
        g->n++;
    }
    *error = g->metas[*at] ? NULL : "not in the facts cache";
    return g->metas[*at];
}

/*
 * Ask in one round for the tree the facts cache predicts. The walk asks
 * depth by depth, a round trip each (express: five), and a range pick is
 * revalidated every time, so a warm run paid every round trip again. A
 * guessed name the walk then does not meet costs one request and is never
 * judged; a name the guess lacked is asked at its depth, as before: the
 * tree judged is the walk's alone.
 */
static void prefetch(struct pg_deptree_src *s, const struct pg_reqlist *reqs,
                     const struct pg_npmtree_project *p, const struct pg_npmtree_opts *o)
{
    struct guess g = {s->f, PG_STRMAP_INIT, NULL, 0};
    struct pg_npmtree_src src = {guess_fetch, guess_meta, &g};
    struct pg_npmtree t = PG_NPMTREE_INIT;
    const char **names;
    const char *error;
    size_t n = 0;

    pg_npmtree_build(&t, reqs, p, o, &src);
    names = pg_xcalloc(t.deps.n + 1, sizeof(*names));
    for (size_t i = 0; i < t.deps.n; i++) {
        const char *name = t.deps.v[i].name;

        if (name && !pg_fetch_meta(s->f, PG_ECO_NPM, name, &error) && !error)
            names[n++] = name;
    }
    if (n)
        pg_deptree_src_fetch(s, names, n);
    free(names);
    pg_npmtree_release(&t);
    for (size_t i = 0; i < g.n; i++)
        pg_meta_free(g.metas[i]);
    free(g.metas);
    pg_strmap_release(&g.at);
}

int pg_deptree_build(struct pg_deptree *d, struct pg_fetch *f, const struct pg_policy *pol,
                     const struct pg_cmd *cmd, const struct pg_reqlist *reqs,
                     const struct pg_fetch_opts *fo, struct pg_err *err)
{
    struct pg_npmtree_project p = PG_NPMTREE_PROJECT_INIT;
    struct pg_npmtree_opts o = {0};
    struct pg_semver_memo ranges = PG_SEMVER_MEMO_INIT(0); /* one set for every walk below */
    struct pg_semver_env env = {NULL, 0, NULL, NULL};
    struct pg_deptree_src s = {d, f, pol, cmd, fo, PG_ECO_NPM};
    struct pg_npmtree_src src = {pg_deptree_src_fetch, pg_deptree_src_meta, &s};
    int rc = -1;

    if (f && pip_tree(cmd))
        return pg_deptree_pip(d, f, pol, cmd, reqs, fo);
    if (!f || !builds_tree(cmd))
        return 0;
    if (project(cmd, &p, err) < 0)
        goto out;
    omissions(cmd, &o);
    pg_deptree_npm_env(cmd, &env);
    o.env = &env;
    o.ranges = &ranges;
    prefetch(&s, reqs, &p, &o);
    pg_npmtree_build(&d->tree, reqs, &p, &o, &src);
    if (repick(d, f, pol, fo, &p)) {
        pg_npmtree_release(&d->tree);
        pg_npmtree_build(&d->tree, reqs, &p, &o, &src);
    }
    /* Every name was fetched while building: this round asks nothing. */
    d->facts = pg_xcalloc(d->tree.deps.n ? d->tree.deps.n : 1, sizeof(*d->facts));
    pg_fetch_more(f, pol, cmd, &d->tree.deps, fo, d->facts);
    rc = 0;
out:
    pg_npmtree_project_release(&p);
    pg_semver_memo_release(&ranges);
    return rc;
}

void pg_deptree_release(struct pg_deptree *d)
{
    pg_npmtree_release(&d->tree);
    for (size_t i = 0; i < d->nasked; i++)
        pg_reqlist_release(&d->asked[i]);
    free(d->asked);
    free(d->facts);
    memset(d, 0, sizeof(*d));
}

static int is_file(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int named(const struct pg_reqlist *l, const struct pg_req *r)
{
    const char *key = r->alias ? r->alias : r->name;

    for (size_t i = 0; key && i < l->n; i++) {
        const char *k = l->v[i].alias ? l->v[i].alias : l->v[i].name;

        if (k && strcmp(k, key) == 0)
            return 1;
    }
    return 0;
}

int pg_deptree_add_manifest(struct pg_cmd *cmd, struct pg_err *err)
{
    struct pg_reqlist mf = PG_REQLIST_INIT;
    char *path = NULL;
    int rc = 0;
    int update = cmd->subcmd && strcmp(cmd->subcmd, "update") == 0;

    /* Bare `npm install` read all of package.json already; `npm update a`
     * only a's entry. */
    if (cmd->tool != PG_TOOL_NPM || !cmd->installs || cmd->global || !cmd->manifest_dir ||
        !cmd->subcmd || (cmd->from_manifest && !update) ||
        (strcmp(cmd->subcmd, "install") != 0 && !update))
        return 0;
    path = pg_xasprintf("%s/package.json", cmd->manifest_dir);
    if (!is_file(path))
        goto out;
    rc = pg_pkgjson_read_deps(path, &mf, err);
    for (size_t i = 0; rc == 0 && i < mf.n; i++) {
        struct pg_req *r;

        if (named(&cmd->reqs, &mf.v[i]))
            continue; /* the command's own spec for it wins, as npm saves it */
        r = pg_reqlist_add(&cmd->reqs, mf.v[i].eco, mf.v[i].source);
        *r = mf.v[i];
        memset(&mf.v[i], 0, sizeof(mf.v[i]));
    }
out:
    pg_reqlist_release(&mf);
    free(path);
    return rc;
}
