/*
 * pg_npmrc.c - npm's configuration layers (see pg_npmrc.h for the rules).
 *
 * Every (key, value) from every layer goes into one list tagged with its
 * layer; a lookup takes the entry of the highest-priority layer, and within
 * one layer the last one (ini objects keep the last duplicate). Keeping
 * the raw list, rather than merging as we read, is what lets a later layer
 * move the files an earlier one is read from (userconfig, globalconfig,
 * prefix), as npm does. Once the list is complete build() computes the
 * results, copying secrets to secure memory (pg_npmauth), and the list is
 * wiped. The file text itself is pg_npmini's business.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "pg_npmauth.h"
#include "pg_npmini.h"
#include "pg_npmrc.h"
#include "pg_pkgjson.h"
#include "pg_util.h"
#include "banned.h"

enum layer { L_CLI, L_ENV, L_PROJECT, L_USER, L_GLOBAL, L_BUILTIN };

struct kv {
    char *key;
    char *val;
    enum layer layer;
    size_t file; /* index into pg_npmrc.files; SIZE_MAX for cli and env */
};

struct scopereg {
    char *scope; /* "@scope" */
    char *registry;
};

struct setting {
    char *key, *value, *where;
};

struct pg_npmrc {
    char *registry;
    struct scopereg *scopes;
    size_t nscopes;
    struct pg_npmauth auth;
    char *cafile;
    int strict_ssl;
    char **files;
    size_t nfiles, files_alloc;
    struct setting *set; /* pg_npmrc_get's view */
    size_t nset;
};

struct loader {
    const struct pg_npmrc_opts *o;
    const char *home;
    struct kv *v;
    size_t n, alloc;
    struct pg_npmrc *cfg;
};

/* Highest-priority entry for key, or NULL. */
static const struct kv *kv_best(const struct loader *ld, const char *key)
{
    const struct kv *best = NULL;

    for (size_t i = 0; i < ld->n; i++)
        if (pg_streq(ld->v[i].key, key) && (!best || ld->v[i].layer <= best->layer))
            best = &ld->v[i];
    return best;
}

static const char *kv_get(const struct loader *ld, const char *key)
{
    const struct kv *best = kv_best(ld, key);

    return best ? best->val : NULL;
}

/* JavaScript truthiness of a config string: s when set and not empty. */
static const char *truthy(const char *s)
{
    return s && *s ? s : NULL;
}

static void add(struct loader *ld, const char *key, const char *val, enum layer layer)
{
    struct kv *e;

    pg_xgrow((void **)&ld->v, &ld->alloc, ld->n + 1, sizeof(*ld->v));
    e = &ld->v[ld->n++];
    e->key = pg_npmini_expand(key, ld->o->getenv_fn);
    e->val = pg_npmini_expand(val, ld->o->getenv_fn);
    e->layer = layer;
    e->file = layer == L_CLI || layer == L_ENV ? SIZE_MAX : ld->cfg->nfiles;
}

/* Node's path.resolve(cwd, p) with npm's "~/" expansion. Caller frees. */
static char *resolve(const struct loader *ld, const char *p)
{
    if (p[0] == '~' && p[1] == '/' && ld->home)
        return pg_path_resolve(ld->home, p + 2);
    return pg_path_resolve(ld->o->cwd, p);
}

static char *dirname_dup(const char *p)
{
    const char *s = strrchr(p, '/');

    return s && s != p ? pg_xstrndup(p, (size_t)(s - p)) : pg_xstrdup("/");
}

/* Where pg_npmini_parse delivers a file's settings. */
struct ini_to {
    struct loader *ld;
    enum layer layer;
};

static void ini_setting(void *arg, const char *key, const char *val)
{
    struct ini_to *to = arg;

    add(to->ld, key, val, to->layer);
}

/* Read one file into a layer. Missing is fine; anything else is an error. */
static int load_file(struct loader *ld, const char *path, enum layer layer, struct pg_err *err)
{
    struct ini_to ini;
    struct stat st;
    char *buf = NULL;
    size_t len = 0;

    if (stat(path, &st) < 0 && (errno == ENOENT || errno == ENOTDIR))
        return 0;
    if (pg_read_file(path, PG_NPMRC_FILE_MAX, &buf, &len, err) < 0)
        return pg_err_prefix(err, "npm config: ");
    ini.ld = ld;
    ini.layer = layer;
    pg_npmini_parse(buf, len, ini_setting, &ini);
    sodium_memzero(buf, len);
    free(buf);
    pg_xgrow((void **)&ld->cfg->files, &ld->cfg->files_alloc, ld->cfg->nfiles + 1, sizeof(char *));
    ld->cfg->files[ld->cfg->nfiles++] = pg_xstrdup(path);
    return 0;
}

/* npm's env layer from a full environment block. */
static void env_from_environ(struct loader *ld)
{
    for (const char *const *e = ld->o->environ; *e; e++) {
        const char *eq = strchr(*e, '=');
        char *key;

        if (!eq || eq[1] == '\0' || (size_t)(eq - *e) <= 11 || strncasecmp(*e, "npm_config_", 11))
            continue;
        key = pg_xstrndup(*e + 11, (size_t)(eq - *e) - 11);
        if (!pg_starts_with(key, "//"))
            for (char *c = key; *c; c++)
                *c = (*c == '_' && c != key) ? '-' : (char)tolower((unsigned char)*c);
        add(ld, key, eq + 1, L_ENV);
        free(key);
    }
}

/* Without an environment block: ask for the keys that matter by name. */
static void env_probe(struct loader *ld)
{
    static const char *const keys[] = {"registry", "userconfig", "globalconfig", "prefix",
                                       "cafile",   "strict_ssl", "global",       "location"};

    for (size_t i = PG_ARRAY_SIZE(keys); i-- > 0;) {
        char *lower = pg_xasprintf("npm_config_%s", keys[i]);
        char *upper = pg_xstrdup(lower);
        const char *val;

        for (char *c = upper; *c; c++)
            *c = (char)toupper((unsigned char)*c);
        val = truthy(ld->o->getenv_fn(lower));
        if (!val)
            val = truthy(ld->o->getenv_fn(upper));
        if (val) {
            char *key = pg_xstrdup(keys[i]);

            for (char *c = key; *c; c++)
                *c = *c == '_' ? '-' : *c;
            add(ld, key, val, L_ENV);
            free(key);
        }
        free(lower);
        free(upper);
    }
}

static void cli_layer(struct loader *ld)
{
    for (const char *const *a = ld->o->cli; a && *a; a++) {
        const char *eq = strchr(*a, '=');
        char *key = eq ? pg_xstrndup(*a, (size_t)(eq - *a)) : pg_xstrdup(*a);

        add(ld, key, eq ? eq + 1 : "true", L_CLI);
        free(key);
    }
}

/* dirname(dirname(realpath(node))): where npm itself is installed. */
static char *node_prefix(const struct loader *ld)
{
    const char *path = ld->o->getenv_fn("PATH");
    char *node = NULL, *bin, *prefix;
    char real[PATH_MAX];

    if (ld->o->node_path) {
        node = pg_xstrdup(ld->o->node_path);
    } else {
        for (const char *d = path; d && !node; d = strchr(d, ':') ? strchr(d, ':') + 1 : NULL) {
            size_t n = strcspn(d, ":");
            char *cand = pg_xasprintf("%.*s/node", (int)n, n ? d : ".");

            if (access(cand, X_OK) == 0)
                node = cand;
            else
                free(cand);
        }
    }
    if (!node)
        return NULL;
    if (realpath(node, real)) {
        free(node);
        node = pg_xstrdup(real);
    }
    bin = dirname_dup(node);
    prefix = dirname_dup(bin);
    free(bin);
    free(node);
    return prefix;
}

/* npm's default global prefix: $PREFIX, else the node prefix under $DESTDIR. */
static char *default_prefix(const struct loader *ld, const char *nprefix)
{
    const char *env = truthy(ld->o->getenv_fn("PREFIX"));
    const char *destdir = truthy(ld->o->getenv_fn("DESTDIR"));

    if (env)
        return pg_xstrdup(env);
    if (!nprefix)
        return NULL;
    return destdir ? pg_xasprintf("%s%s", destdir, nprefix) : pg_xstrdup(nprefix);
}

/* key's value on the command line (the last one given), or NULL. */
static const char *cli_val(const struct loader *ld, const char *key)
{
    const char *v = NULL;

    for (size_t i = 0; i < ld->n; i++)
        if (ld->v[i].layer == L_CLI && pg_streq(ld->v[i].key, key))
            v = ld->v[i].val;
    return v;
}

/*
 * npm's local prefix (pg_pkgjson_find_prefix): in a workspace's folder,
 * the workspace root, whose .npmrc npm reads; the workspace's own it
 * ignores ("ignoring workspace config"), unless --workspaces=false.
 */
static char *local_prefix(const struct loader *ld)
{
    struct pg_err err = PG_ERR_INIT;
    int off = pg_streq(cli_val(ld, "workspaces"), "false");
    char *dir = NULL;

    if (pg_pkgjson_find_prefix(ld->o->cwd, 0, off, &dir, &err) < 0)
        return pg_xstrdup(ld->o->cwd);
    return dir;
}

static char *user_config_path(const struct loader *ld)
{
    const char *u = truthy(kv_get(ld, "userconfig"));

    if (u)
        return resolve(ld, u);
    return ld->home ? pg_xasprintf("%s/.npmrc", ld->home) : NULL;
}

static int load_layers(struct loader *ld, struct pg_err *err)
{
    char *nprefix = node_prefix(ld), *builtin = NULL, *proj = NULL, *user = NULL;
    char *global = NULL, *lp = NULL, *dprefix = NULL;
    const char *cliprefix = NULL, *p;
    int ret = -1;

    if (ld->o->npm_dir)
        builtin = pg_xasprintf("%s/npmrc", ld->o->npm_dir);
    else if (nprefix)
        builtin = pg_xasprintf("%s/lib/node_modules/npm/npmrc", nprefix);
    if (builtin && load_file(ld, builtin, L_BUILTIN, err) < 0)
        goto out;
    cli_layer(ld);
    if (ld->o->environ)
        env_from_environ(ld);
    else
        env_probe(ld);
    cliprefix = cli_val(ld, "prefix");
    if (cliprefix && !*cliprefix)
        cliprefix = NULL;
    p = kv_get(ld, "location");
    if (!pg_streq(kv_get(ld, "global"), "true") && !pg_streq(p, "global")) {
        lp = cliprefix ? resolve(ld, cliprefix) : local_prefix(ld);
        proj = pg_xasprintf("%s/.npmrc", pg_streq(lp, "/") ? "" : lp);
        user = user_config_path(ld);
        if (!pg_streq(proj, user) && load_file(ld, proj, L_PROJECT, err) < 0)
            goto out;
        free(user);
    }
    user = user_config_path(ld);
    if (user && load_file(ld, user, L_USER, err) < 0)
        goto out;
    dprefix = default_prefix(ld, nprefix);
    if (truthy(kv_get(ld, "globalconfig")))
        global = resolve(ld, kv_get(ld, "globalconfig"));
    else if (truthy(kv_get(ld, "prefix")) || dprefix) {
        char *pre = resolve(ld, truthy(kv_get(ld, "prefix")) ? kv_get(ld, "prefix") : dprefix);

        global = pg_xasprintf("%s/etc/npmrc", pg_streq(pre, "/") ? "" : pre);
        free(pre);
    }
    if (global && load_file(ld, global, L_GLOBAL, err) < 0)
        goto out;
    ret = 0;
out:
    free(nprefix);
    free(builtin);
    free(lp);
    free(proj);
    free(user);
    free(global);
    free(dprefix);
    return ret;
}

/* A registry URL as npm uses it: http(s) only, one trailing '/'. */
static int registry_url(const char *val, const char *key, char **out, struct pg_err *err)
{
    size_t n = strlen(val);

    if (!pg_starts_with(val, "https://") && !pg_starts_with(val, "http://"))
        return pg_err_set(err, "npm config: %s '%s' is not an http(s) URL", key, val);
    while (n && val[n - 1] == '/')
        n--;
    *out = pg_xasprintf("%.*s/", (int)n, val);
    return 0;
}

static const char *field(const struct loader *ld, const char *rk, const char *name)
{
    char *key = pg_xasprintf("%s:%s", rk, name);
    const char *v = truthy(kv_get(ld, key));

    free(key);
    return v;
}

/* One table entry per configured "//host/path/" with usable credentials;
 * the highest-priority layer's value of each field counts. */
static void build_auth(struct loader *ld)
{
    static const char *const fields[] = {"_authToken", "_auth",    "username",
                                         "_password",  "certfile", "keyfile"};

    for (size_t i = 0; i < ld->n; i++) {
        const char *k = ld->v[i].key, *colon = strrchr(k, ':');
        struct pg_npmauth_fields f;
        char *rk;
        int known = 0;

        if (!pg_starts_with(k, "//") || !colon)
            continue;
        for (size_t j = 0; j < PG_ARRAY_SIZE(fields); j++)
            known |= pg_streq(colon + 1, fields[j]);
        rk = pg_xstrndup(k, (size_t)(colon - k));
        if (known && !pg_npmauth_has(&ld->cfg->auth, rk)) {
            f.token = field(ld, rk, "_authToken");
            f.auth = field(ld, rk, "_auth");
            f.username = field(ld, rk, "username");
            f.password = field(ld, rk, "_password");
            f.certfile = field(ld, rk, "certfile");
            f.keyfile = field(ld, rk, "keyfile");
            pg_npmauth_add(&ld->cfg->auth, rk, &f);
        }
        free(rk);
    }
}

/* Credentials never reach pg_npmrc_get: a message may print its value. */
static int secret_key(const char *k)
{
    return pg_starts_with(k, "//") || k[0] == '_' || pg_streq(k, "username") ||
           pg_streq(k, "password") || pg_streq(k, "email") || pg_streq(k, "otp");
}

/* Where a setting came from, for messages. */
static char *where(const struct loader *ld, const struct kv *e)
{
    char *w, *c;

    if (e->layer == L_CLI)
        return pg_xstrdup("the command line");
    if (e->layer != L_ENV)
        return pg_xstrdup(ld->cfg->files[e->file]);
    w = pg_xasprintf("the environment (npm_config_%s)", e->key);
    for (c = w + 27; *c; c++)
        *c = *c == '-' ? '_' : *c;
    return w;
}

/* Every other setting, at its winning layer, for pg_npmrc_get. */
static void build_settings(struct loader *ld)
{
    struct pg_npmrc *c = ld->cfg;
    size_t alloc = 0;

    for (size_t i = 0; i < ld->n; i++) {
        const struct kv *best = kv_best(ld, ld->v[i].key);

        if (secret_key(best->key) || pg_npmrc_get(c, best->key, NULL))
            continue;
        pg_xgrow((void **)&c->set, &alloc, c->nset + 1, sizeof(*c->set));
        c->set[c->nset].key = pg_xstrdup(best->key);
        c->set[c->nset].value = pg_xstrdup(best->val);
        c->set[c->nset++].where = where(ld, best);
    }
}

/* Fill ld->cfg from the complete list. */
static int build(struct loader *ld, struct pg_err *err)
{
    struct pg_npmrc *c = ld->cfg;
    const char *reg = truthy(kv_get(ld, "registry")), *ssl = kv_get(ld, "strict-ssl");
    size_t alloc = 0;

    if (registry_url(reg ? reg : PG_NPMRC_DEFAULT_REGISTRY, "registry", &c->registry, err) < 0)
        return -1;
    for (size_t i = 0; i < ld->n; i++) {
        const char *k = ld->v[i].key;
        size_t kl = strlen(k);
        int dup = 0;

        if (k[0] != '@' || kl <= 10 || !pg_ends_with(k, ":registry") || !truthy(kv_get(ld, k)))
            continue;
        for (size_t j = 0; j < c->nscopes; j++)
            dup |= strncmp(c->scopes[j].scope, k, kl - 9) == 0 && !c->scopes[j].scope[kl - 9];
        if (dup)
            continue;
        pg_xgrow((void **)&c->scopes, &alloc, c->nscopes + 1, sizeof(*c->scopes));
        c->scopes[c->nscopes].scope = pg_xstrndup(k, kl - 9);
        c->scopes[c->nscopes].registry = NULL;
        if (registry_url(kv_get(ld, k), k, &c->scopes[c->nscopes++].registry, err) < 0)
            return -1;
    }
    build_auth(ld);
    build_settings(ld);
    if (truthy(kv_get(ld, "cafile")))
        c->cafile = resolve(ld, kv_get(ld, "cafile"));
    c->strict_ssl = 1;
    if (ssl) {
        char *end = NULL;
        double d = strtod(ssl, &end);

        if (*ssl && end && !*end)
            c->strict_ssl = d != 0;
        else
            c->strict_ssl = !pg_streq(ssl, "false") && !pg_streq(ssl, "null");
    }
    return 0;
}

int pg_npmrc_load(struct pg_npmrc **out, const struct pg_npmrc_opts *opts, struct pg_err *err)
{
    struct loader ld;
    int ret = -1;

    *out = NULL;
    if (!opts || !opts->cwd || opts->cwd[0] != '/' || !opts->getenv_fn)
        return pg_err_set(err, "npm config: an absolute cwd and an environment are required");
    if (sodium_init() < 0)
        return pg_err_set(err, "npm config: libsodium failed to initialise");
    memset(&ld, 0, sizeof(ld));
    ld.o = opts;
    ld.home = truthy(opts->getenv_fn("HOME"));
    ld.cfg = pg_xcalloc(1, sizeof(*ld.cfg));
    if (load_layers(&ld, err) < 0 || build(&ld, err) < 0)
        goto out;
    *out = ld.cfg;
    ld.cfg = NULL;
    ret = 0;
out:
    for (size_t i = 0; i < ld.n; i++) {
        sodium_memzero(ld.v[i].val, strlen(ld.v[i].val));
        free(ld.v[i].key);
        free(ld.v[i].val);
    }
    free(ld.v);
    pg_npmrc_free(ld.cfg);
    return ret;
}

void pg_npmrc_free(struct pg_npmrc *c)
{
    if (!c)
        return;
    free(c->registry);
    for (size_t i = 0; i < c->nscopes; i++) {
        free(c->scopes[i].scope);
        free(c->scopes[i].registry);
    }
    free(c->scopes);
    pg_npmauth_release(&c->auth);
    for (size_t i = 0; i < c->nfiles; i++)
        free(c->files[i]);
    free(c->files);
    free(c->cafile);
    for (size_t i = 0; i < c->nset; i++) {
        free(c->set[i].key);
        free(c->set[i].value);
        free(c->set[i].where);
    }
    free(c->set);
    free(c);
}

const char *pg_npmrc_registry(const struct pg_npmrc *c)
{
    return c->registry;
}

const char *pg_npmrc_registry_for(const struct pg_npmrc *c, const char *name)
{
    const char *slash = name && name[0] == '@' ? strchr(name, '/') : NULL;

    for (size_t i = 0; slash && i < c->nscopes; i++)
        if (strlen(c->scopes[i].scope) == (size_t)(slash - name) &&
            !strncmp(c->scopes[i].scope, name, (size_t)(slash - name)))
            return c->scopes[i].registry;
    return c->registry;
}

const char *pg_npmrc_auth_for_pkg(const struct pg_npmrc *c, const char *url, const char *pkg)
{
    return pg_npmauth_for(&c->auth, url, pg_npmrc_registry_for(c, pkg));
}

const char *pg_npmrc_auth_for(const struct pg_npmrc *c, const char *url)
{
    return pg_npmrc_auth_for_pkg(c, url, NULL);
}

const char *pg_npmrc_cafile(const struct pg_npmrc *c)
{
    return c->cafile;
}

int pg_npmrc_strict_ssl(const struct pg_npmrc *c)
{
    return c->strict_ssl;
}

size_t pg_npmrc_nfiles(const struct pg_npmrc *c)
{
    return c->nfiles;
}

const char *pg_npmrc_file(const struct pg_npmrc *c, size_t i)
{
    return i < c->nfiles ? c->files[i] : NULL;
}

const char *pg_npmrc_get(const struct pg_npmrc *c, const char *key, const char **where_out)
{
    for (size_t i = 0; i < c->nset; i++)
        if (pg_streq(c->set[i].key, key)) {
            if (where_out)
                *where_out = c->set[i].where;
            return c->set[i].value;
        }
    return NULL;
}
