/*
 * pg_npmargs.c - npm and npx command lines into struct pg_cmd.
 *
 * The option reading is pg_npmscan() (nopt, exact); this file adds npx's
 * own pre-pass, the meaning of each command, and where package.json and
 * the lockfile are.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "pg_argconf.h"
#include "pg_npmargs.h"
#include "pg_npmspec.h"
#include "pg_npmws.h"
#include "pg_pkgjson.h"
#include "pg_route_npm.h"
#include "pg_util.h"
#include "banned.h"

struct npmctx {
    struct pg_cmd *cmd;
    struct pg_strlist pos;      /* positional words, the command word first */
    struct pg_strlist packages; /* --package / npx -p values */
    struct pg_strlist workspace; /* -w/--workspace values */
    char *registry, *prefix;
    int call, version, versions, usage;
    int global, location_global, package_lock, workspaces_off;
};

/* --- small list and path helpers ----------------------------------------- */

static void sl_insert(struct pg_strlist *l, size_t i, char *owned)
{
    pg_xgrow((void **)&l->v, &l->alloc, l->n + 1, sizeof(*l->v));
    memmove(l->v + i + 1, l->v + i, (l->n - i) * sizeof(*l->v));
    l->v[i] = owned;
    l->n++;
}

static void sl_remove(struct pg_strlist *l, size_t i)
{
    free(l->v[i]);
    memmove(l->v + i, l->v + i + 1, (l->n - i - 1) * sizeof(*l->v));
    l->n--;
}

static void sl_set(struct pg_strlist *l, size_t i, char *owned)
{
    free(l->v[i]);
    l->v[i] = owned;
}

static void set_str(char **dst, const char *src)
{
    free(*dst);
    *dst = src ? pg_xstrdup(src) : NULL;
}

static int is_regular(const char *dir, const char *name)
{
    char *p = pg_xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", name);
    struct stat st;
    int ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);

    free(p);
    return ok;
}

/* --- npx-cli.js ------------------------------------------------------------ */

static int in_list(const char *list, const char *w, size_t n)
{
    for (const char *p = list; (p = strchr(p, '|')) && p[1]; p++)
        if (strncmp(p + 1, w, n) == 0 && p[1 + n] == '|')
            return 1;
    return 0;
}

/*
 * Rewrite "npx args" into the "npm exec args" npx-cli.js hands to npm: -p
 * is --package, --shell is --script-shell, --no-install is --yes=false,
 * shorthands expand, removed flags go (with their value), and "--" goes in
 * front of the first bare word so the rest belongs to the command.
 */
static void npx_rewrite(int argc, char *const argv[], struct pg_strlist *w)
{
    static const char *const removed =
        "|always-spawn|ignore-existing|shell-auto-fallback|npm|node-arg|n|";
    static const char *const switches = "|always-spawn|ignore-existing|shell-auto-fallback|"
                                        "no-install|quiet|q|version|v|help|h|";
    static const char *const opts = "|npm|node-arg|n|package|p|cache|userconfig|call|c|shell|";

    pg_strlist_push(w, "npx");
    pg_strlist_push(w, "exec");
    for (int i = 1; i < argc; i++)
        pg_strlist_push(w, argv[i]);
    for (size_t i = 2; i < w->n; i++) {
        const char *arg = w->v[i], *body = arg + strspn(arg, "-"), *eq = strchr(body, '=');
        char *key = pg_xstrndup(body, eq ? (size_t)(eq - body) : strlen(body));
        char *val = eq ? pg_xstrdup(eq) : NULL; /* "=..." */
        size_t kl = strlen(key);
        const char *exp[2];
        int k = 0, is_bool = 0, gone = in_list(removed, key, kl), stop = 0;

        if (strcmp(arg, "--") == 0) {
            stop = 1;
        } else if (arg[0] != '-') {
            sl_insert(w, i, pg_xstrdup("--"));
            stop = 1;
        } else if (strcmp(key, "p") == 0) {
            sl_set(w, i, pg_xasprintf("--package%s", val ? val : ""));
        } else if (strcmp(key, "shell") == 0) {
            sl_set(w, i, pg_xasprintf("--script-shell%s", val ? val : ""));
        } else if (strcmp(key, "no-install") == 0) {
            sl_set(w, i, pg_xstrdup("--yes=false"));
        } else if (!gone && (k = pg_npm_shorthand(key, kl, exp)) > 0) {
            sl_set(w, i, pg_xstrdup(exp[0]));
            if (k == 2)
                sl_insert(w, i + 1, pg_xstrdup(exp[1]));
            if (val)
                sl_insert(w, i + (size_t)k, pg_xstrdup(val + 1));
            i--; /* read the expansion again */
        }
        if (!stop && k <= 0) {
            if (gone)
                sl_remove(w, i--);
            if (!val && !in_list(switches, key, kl) &&
                !(pg_npm_opt_lookup(key, kl, 0, &is_bool) && is_bool) &&
                (in_list(opts, key, kl) || i + 1 >= w->n || w->v[i + 1][0] != '-')) {
                if (gone && i + 1 < w->n)
                    sl_remove(w, i + 1);
                else if (!gone)
                    i++; /* its value */
            }
        }
        free(key);
        free(val);
        if (stop)
            break;
    }
}

/* --- reading options ------------------------------------------------------ */

/* "--@scope:registry=..." and "--//host/:_authToken=..." are npm's own keys */
static int npm_dynamic_key(const char *name, size_t n)
{
    static const char suffix[] = ":registry";
    size_t sl = sizeof(suffix) - 1;

    if (n >= 2 && name[0] == '/' && name[1] == '/')
        return 1;
    return n > sl && memchr(name, '@', n - sl) && strncasecmp(name + n - sl, suffix, sl) == 0;
}

static int scan_cb(const struct pg_npmscan_ev *ev, void *arg)
{
    struct npmctx *c = arg;
    const char *k = ev->name, *v = ev->value;
    int b = v ? 1 : !ev->is_null && ev->bool_value;

    if (!ev->is_opt) {
        pg_strlist_push(&c->pos, v);
    } else if (!ev->known) {
        if (!npm_dynamic_key(ev->name, ev->namelen)) {
            char *raw = pg_xstrndup(ev->raw, ev->rawlen);

            pg_strlist_push(&c->cmd->unknown, raw);
            free(raw);
        }
    } else if (strcmp(k, "registry") == 0) {
        set_str(&c->registry, v); /* a boolean is not a URL: npm drops it */
    } else if (strcmp(k, "prefix") == 0) {
        set_str(&c->prefix, v && *v ? v : NULL);
    } else if (strcmp(k, "package") == 0) {
        if (v)
            pg_strlist_push(&c->packages, v);
    } else if (strcmp(k, "global") == 0) {
        c->global = b;
    } else if (strcmp(k, "location") == 0) {
        c->location_global = v && strcmp(v, "global") == 0;
    } else if (strcmp(k, "dry-run") == 0) {
        c->cmd->dry_run = b;
    } else if (strcmp(k, "call") == 0) {
        c->call = v && *v;
    } else if (strcmp(k, "version") == 0) {
        c->version = b;
    } else if (strcmp(k, "versions") == 0) {
        c->versions = b;
    } else if (strcmp(k, "usage") == 0) {
        c->usage = b;
    } else if (strcmp(k, "package-lock") == 0) {
        c->package_lock = b;
    } else if (strcmp(k, "workspace") == 0) {
        if (v)
            pg_strlist_push(&c->workspace, v);
    } else if (strcmp(k, "workspaces") == 0) {
        c->workspaces_off = !v && !ev->is_null && !ev->bool_value;
    }
    return 0;
}

/* nopt's url type: url.parse() must find a host ("localhost:4873" does). */
static int registry_ok(const char *u)
{
    size_t s = strspn(u, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    const char *h;

    if (s == 0 || u[s] != ':')
        return 0;
    h = u + s + 1;
    if (h[0] == '/' && h[1] == '/')
        h += 2;
    return strcspn(h, "/?#") > 0;
}

/* --- requested packages ---------------------------------------------------- */

/*
 * A bare name stays a range, --tag or not: npm-pick-manifest prefers the
 * default tag's version (cmd->npm_tag, which pg_npmenv reads from argv and
 * every other layer) but, when the package has no such tag, takes the
 * best version of "*" as it would without one; only `name@tag` insists on
 * the tag (ETARGET).
 */
static int add_spec(struct npmctx *c, const char *arg, struct pg_err *err)
{
    struct pg_npmspec s = PG_NPMSPEC_INIT;

    if (pg_npmspec_parse(arg, &s, err) < 0)
        return -1;
    pg_npmspec_add_req(&s, &c->cmd->reqs, "argv");
    pg_npmspec_release(&s);
    return 0;
}

static void req_copy(struct pg_reqlist *l, const struct pg_req *from)
{
    struct pg_req *r = pg_reqlist_add(l, from->eco, from->source);
    char **dst[] = {&r->name, &r->spec, &r->alias, &r->origin, &r->locked};
    char *const src[] = {from->name, from->spec, from->alias, from->origin, from->locked};

    for (size_t i = 0; i < PG_ARRAY_SIZE(dst); i++)
        *dst[i] = src[i] ? pg_xstrdup(src[i]) : NULL;
    r->dev = from->dev;
}

/* Where the project is, and its lockfile (not for -g). */
static int locate(struct npmctx *c, const char *cwd, struct pg_err *err)
{
    struct pg_cmd *cmd = c->cmd;
    const char *home = getenv("HOME");
    char *lock;

    if (c->prefix && pg_starts_with(c->prefix, "~/") && home)
        cmd->manifest_dir = pg_path_resolve(home, c->prefix + 2);
    else if (c->prefix)
        cmd->manifest_dir = pg_path_resolve(cwd, c->prefix);
    else if (pg_pkgjson_find_prefix(cwd, 0, c->workspaces_off, &cmd->manifest_dir, err) < 0)
        return -1;
    if (!c->package_lock)
        return 0; /* --no-package-lock: npm neither reads nor writes one */
    for (int i = 0; i < 2; i++) {
        const char *name = i == 0 ? "npm-shrinkwrap.json" : "package-lock.json";

        if (!is_regular(cmd->manifest_dir, name))
            continue;
        lock = pg_path_resolve(cmd->manifest_dir, name);
        cmd->has_lockfile = 1;
        cmd->lockfile_path = lock;
        break;
    }
    return 0;
}

/* The project's package.json into reqs; a missing one is npm's problem. */
static int read_manifest(struct pg_cmd *cmd, struct pg_reqlist *into, struct pg_err *err)
{
    char *path;
    int rc;

    if (!cmd->manifest_dir || !is_regular(cmd->manifest_dir, "package.json"))
        return 0;
    path = pg_path_resolve(cmd->manifest_dir, "package.json");
    rc = pg_pkgjson_read_deps(path, into, err);
    free(path);
    if (rc == 0 && into == &cmd->reqs)
        cmd->from_manifest = 1;
    return rc;
}

/* `npm update a b`: each name at its package.json range when listed there. */
static int update_reqs(struct npmctx *c, struct pg_err *err)
{
    struct pg_reqlist mf = PG_REQLIST_INIT;
    int rc = read_manifest(c->cmd, &mf, err);

    for (size_t i = 1; rc == 0 && i < c->pos.n; i++) {
        const char *want = c->pos.v[i];
        int found = 0;

        for (size_t j = 0; j < mf.n; j++) {
            const char *key = mf.v[j].alias ? mf.v[j].alias : mf.v[j].name;

            if (key && strcmp(key, want) == 0) {
                req_copy(&c->cmd->reqs, &mf.v[j]);
                c->cmd->from_manifest = found = 1;
            }
        }
        if (!found)
            rc = add_spec(c, want, err);
    }
    pg_reqlist_release(&mf);
    return rc;
}

/* npm init's initializer -> the create-* package (lib/commands/init.js). */
static int init_reqs(struct npmctx *c, const char *initer, struct pg_err *err)
{
    struct pg_npmspec s = PG_NPMSPEC_INIT;
    char *spec = NULL;
    int rc = 0;

    if (initer[0] == '@' && initer[1] && !strchr(initer, '/')) {
        const char *at = strchr(initer + 1, '@');
        size_t end = at ? strcspn(at + 1, "@") : 0;

        spec = pg_xasprintf("%.*s/create%s%.*s", (int)(at ? (size_t)(at - initer) : strlen(initer)),
                            initer, at && end ? "@" : "", (int)end, at ? at + 1 : "");
    } else if (pg_npmspec_parse(initer, &s, err) < 0) {
        return -1;
    } else if (s.type == PG_NPMSPEC_GIT && s.hosted) {
        /* JS template strings print a missing user as "undefined" */
        const char *u = s.git_user ? s.git_user : "undefined";
        const char *p = s.git_project ? s.git_project : "undefined";
        char *from = pg_xasprintf("%s/%s", u, p);
        const char *hit = strstr(initer, from);

        spec = hit ? pg_xasprintf("%.*s%s/create-%s%s", (int)(hit - initer), initer, u, p,
                                  hit + strlen(from))
                   : pg_xstrdup(initer);
        free(from);
    } else if (s.type == PG_NPMSPEC_REGISTRY || s.type == PG_NPMSPEC_ALIAS) {
        const char *n = s.alias ? s.alias : s.name;
        const char *slash = n[0] == '@' ? strchr(n, '/') : NULL;
        int sl = slash ? (int)(slash + 1 - n) : 0;

        spec = pg_xasprintf("%.*screate-%s@%s", sl, n, n + sl, s.raw_spec);
    } else {
        c->cmd->installs = 0; /* "Unrecognized initializer": npm stops there */
    }
    if (spec)
        rc = add_spec(c, spec, err);
    free(spec);
    pg_npmspec_release(&s);
    return rc;
}

/* exec / npx: --package values, else the command word itself. */
static int exec_reqs(struct npmctx *c, struct pg_err *err)
{
    size_t nargs = c->pos.n - 1;

    if (c->call && nargs) {
        c->cmd->installs = 0; /* "--call" with arguments is a usage error */
        return 0;
    }
    if (!c->packages.n && (c->call || !nargs)) {
        c->cmd->installs = 0; /* runs from local bins or opens a shell */
        return 0;
    }
    for (size_t i = 0; i < c->packages.n; i++)
        if (add_spec(c, c->packages.v[i], err) < 0)
            return -1;
    return c->packages.n ? 0 : add_spec(c, c->pos.v[1], err);
}

/* install, install-test and link: arguments are package specs. */
static int arg_reqs(struct npmctx *c, const char *canon, const char *cwd, struct pg_err *err)
{
    struct pg_cmd *cmd = c->cmd;
    size_t added = 0;

    for (size_t i = 1; i < c->pos.n; i++) {
        /* npm drops an argument that resolves to the prefix: `npm i .` */
        if (cmd->manifest_dir && strcmp(canon, "link") != 0) {
            char *abs = pg_path_resolve(cwd, c->pos.v[i]);
            int self = strcmp(abs, cmd->manifest_dir) == 0;

            free(abs);
            if (self)
                continue;
        }
        if (add_spec(c, c->pos.v[i], err) < 0)
            return -1;
        added++;
    }
    if (added)
        return 0;
    if (cmd->global && strcmp(canon, "link") != 0)
        return add_spec(c, ".", err); /* `npm i -g`: this package, globally */
    if (strcmp(canon, "link") == 0) {
        struct pg_req *r = pg_reqlist_add(&cmd->reqs, PG_ECO_NPM, PG_SRC_LOCAL);

        r->spec = pg_xstrdup(cmd->manifest_dir ? cmd->manifest_dir : cwd);
        r->origin = pg_xstrdup("argv");
        return 0;
    }
    return read_manifest(cmd, &cmd->reqs, err);
}

/* The manifest's packages minus the ones being removed. */
static int uninstall_reqs(struct npmctx *c, struct pg_err *err)
{
    struct pg_cmd *cmd = c->cmd;
    size_t keep = 0;

    for (size_t i = 1; i < c->pos.n; i++)
        pg_strlist_push(&cmd->removing, c->pos.v[i]);
    if (read_manifest(cmd, &cmd->reqs, err) < 0)
        return -1;
    for (size_t i = 0; i < cmd->reqs.n; i++) {
        struct pg_req *r = &cmd->reqs.v[i];

        if (r->name && pg_strlist_has(&cmd->removing, r->name)) {
            pg_req_release(r);
            continue;
        }
        cmd->reqs.v[keep++] = *r;
    }
    cmd->reqs.n = keep;
    return 0;
}

/* Every positional from the first-th on is a spec to fetch. */
static int spec_reqs(struct npmctx *c, size_t first, struct pg_err *err)
{
    for (size_t i = first; i < c->pos.n; i++)
        if (add_spec(c, c->pos.v[i], err) < 0)
            return -1;
    return 0;
}

/* -w selects a workspace by name, by its directory, or by a directory above it. */
static int ws_selected(const struct npmctx *c, const struct pg_npmws *ws, const char *cwd)
{
    if (!c->workspace.n)
        return 1;
    for (size_t i = 0; i < c->workspace.n; i++) {
        char *abs = pg_path_resolve(cwd, c->workspace.v[i]);
        size_t n = strlen(abs);
        int hit = pg_streq(ws->name, c->workspace.v[i]) ||
                  (strncmp(ws->dir, abs, n) == 0 && (!ws->dir[n] || ws->dir[n] == '/'));

        free(abs);
        if (hit)
            return 1;
    }
    return 0;
}

/* 1 when one of l's first n names r's package (its spec is what npm saves). */
static int named(const struct pg_reqlist *l, size_t n, const struct pg_req *r)
{
    const char *key = r->alias ? r->alias : r->name;

    for (size_t i = 0; key && i < n; i++)
        if (pg_streq(l->v[i].alias ? l->v[i].alias : l->v[i].name, key))
            return 1;
    return 0;
}

/* The selected workspace's dependencies the command does not name itself. */
static int workspace_deps(struct pg_cmd *cmd, size_t nnamed, const char *dir,
                          struct pg_err *err)
{
    struct pg_reqlist deps = PG_REQLIST_INIT;
    char *pj = pg_xasprintf("%s/package.json", dir);
    int rc = pg_pkgjson_read_deps(pj, &deps, err);

    for (size_t i = 0; rc == 0 && i < deps.n; i++) {
        if (named(&cmd->reqs, nnamed, &deps.v[i]))
            continue;
        *pg_reqlist_add(&cmd->reqs, deps.v[i].eco, deps.v[i].source) = deps.v[i];
        memset(&deps.v[i], 0, sizeof(deps.v[i]));
    }
    pg_reqlist_release(&deps);
    free(pj);
    return rc;
}

/*
 * npm installs every workspace's dependencies with the root's (-w: the
 * selected ones'; the root's are judged too, a superset), also beside the
 * packages `npm install x -w a` names. A dependency on another workspace
 * is linked, not fetched: it is not a registry package.
 */
static int workspace_reqs(struct npmctx *c, const char *cwd, struct pg_err *err)
{
    struct pg_cmd *cmd = c->cmd;
    struct pg_npmws_list ws = PG_NPMWS_LIST_INIT;
    size_t keep = 0, nnamed = cmd->from_manifest ? 0 : cmd->reqs.n;
    int rc = pg_npmws_read(cmd->manifest_dir, &ws, err);

    for (size_t i = 0; rc == 0 && i < ws.n; i++)
        if (ws_selected(c, &ws.v[i], cwd))
            rc = workspace_deps(cmd, nnamed, ws.v[i].dir, err);
    for (size_t i = 0; i < ws.unsupported.n; i++) {
        char *u = pg_xasprintf("workspaces pattern '%s' (set in %s/package.json)",
                               ws.unsupported.v[i], cmd->manifest_dir);

        pg_strlist_push(&cmd->unmodelled, u);
        free(u);
    }
    for (size_t i = 0; i < cmd->reqs.n; i++) {
        struct pg_req *r = &cmd->reqs.v[i];
        int linked = 0;

        for (size_t j = 0; r->name && r->origin && !strcmp(r->origin, "package.json") && j < ws.n; j++)
            linked |= pg_streq(r->alias ? r->alias : r->name, ws.v[j].name);
        if (linked)
            pg_req_release(r);
        else
            cmd->reqs.v[keep++] = *r;
    }
    cmd->reqs.n = keep;
    pg_npmws_release(&ws);
    return rc;
}

static int command(struct npmctx *c, const char *cwd, struct pg_err *err)
{
    struct pg_cmd *cmd = c->cmd;
    const char *word = c->pos.n ? c->pos.v[0] : NULL;
    const char *canon = c->versions ? "version" : pg_npm_deref(word);
    const char *arg1 = c->pos.n > 1 ? c->pos.v[1] : NULL;

    if (canon || word)
        cmd->subcmd = pg_xstrdup(canon ? canon : word);
    /* --version, --versions and --help print instead of running */
    if (c->version || c->versions || c->usage || !canon)
        return 0;
    cmd->installs = pg_npm_cmd_installs(canon, arg1);
    if (!cmd->installs)
        return 0;
    if (strcmp(canon, "exec") == 0)
        return exec_reqs(c, err);
    if (strcmp(canon, "init") == 0)
        return c->packages.n ? exec_reqs(c, err) : init_reqs(c, arg1, err);
    if (strcmp(canon, "pack") == 0 || strcmp(canon, "cache") == 0)
        return spec_reqs(c, strcmp(canon, "cache") == 0 ? 2 : 1, err);
    if (!cmd->global && locate(c, cwd, err) < 0)
        return -1;
    if (!strcmp(canon, "install") || !strcmp(canon, "install-test") || !strcmp(canon, "link"))
        return arg_reqs(c, canon, cwd, err);
    if (strcmp(canon, "update") == 0 && c->pos.n > 1)
        return update_reqs(c, err);
    if (cmd->global)
        return 0; /* e.g. `npm update -g`: every global package, no manifest */
    /* npm uninstall/prune reify the whole tree: what stays is installed. */
    if (strcmp(canon, "uninstall") == 0)
        return uninstall_reqs(c, err);
    return read_manifest(cmd, &cmd->reqs, err);
}

int pg_npmargs_parse(struct pg_cmd *cmd, int argc, char *const argv[], const char *cwd,
                     struct pg_err *err)
{
    struct npmctx c;
    struct pg_strlist npx = PG_STRLIST_INIT;
    int rc;

    memset(&c, 0, sizeof(c));
    c.cmd = cmd;
    c.package_lock = 1;
    if (cmd->tool == PG_TOOL_NPX) {
        npx_rewrite(argc, argv, &npx);
        pg_npmscan((int)npx.n, npx.v, scan_cb, &c);
    } else {
        pg_npmscan(argc, argv, scan_cb, &c);
    }
    pg_argconf_npm(cmd, argc, argv);
    cmd->global = c.global || c.location_global;
    if (c.registry && registry_ok(c.registry))
        cmd->index_url = pg_xstrdup(c.registry);
    rc = command(&c, cwd, err);
    if (rc == 0 && (cmd->from_manifest || pg_streq(cmd->subcmd, "install")) && cmd->installs &&
        cmd->manifest_dir && !cmd->global && !c.workspaces_off)
        rc = workspace_reqs(&c, cwd, err);
    pg_strlist_release(&npx);
    pg_strlist_release(&c.workspace);
    pg_strlist_release(&c.pos);
    pg_strlist_release(&c.packages);
    free(c.registry);
    free(c.prefix);
    return rc;
}
