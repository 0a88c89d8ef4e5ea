/*
 * pg_pkgjson.c - package.json dependency maps, package-lock.json entries,
 * and npm's local prefix.
 */
#include <fnmatch.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pg_jsonpos.h"
#include "pg_npmspec.h"
#include "pg_pkgjson.h"
#include "pg_strmap.h"
#include "pg_util.h"
#include "banned.h"

/* --- JSON plumbing -------------------------------------------------------- */

struct doc {
    const char *text; /* after any BOM: what jansson and pg_jsonpos see */
    size_t len;
    const char *label;
    json_t *root;
};

static int doc_load(struct doc *d, const char *buf, size_t len, const char *label,
                    struct pg_err *err)
{
    json_error_t je;

    /* npm strips a UTF-8 byte order mark before JSON.parse */
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        buf += 3, len -= 3;
    d->text = buf;
    d->len = len;
    d->label = label;
    d->root = json_loadb(buf, len, 0, &je);
    if (!d->root)
        return pg_err_set(err, "%s:%d:%d: %s", label, je.line, je.column, je.text);
    if (!json_is_object(d->root)) {
        json_decref(d->root);
        d->root = NULL;
        return pg_err_set(err, "%s: not a JSON object", label);
    }
    return 0;
}

/* Fail with "label:line:col: what" for the value at key1[.key2]. */
static int doc_fail(const struct doc *d, const char *key1, const char *key2, struct pg_err *err,
                    const char *fmt, ...) PG_PRINTF(5, 6);

static int doc_fail(const struct doc *d, const char *key1, const char *key2, struct pg_err *err,
                    const char *fmt, ...)
{
    struct pg_jsonpos_step path[2] = {{key1, 0}, {key2, 0}};
    char what[PG_ERR_MSG_MAX];
    unsigned line, col;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (pg_jsonpos_find(d->text, d->len, path, key2 ? 2 : 1, PG_JSONPOS_VALUE, &line, &col) == 0)
        return pg_err_set(err, "%s:%u:%u: %s", d->label, line, col, what);
    return pg_err_set(err, "%s: %s", d->label, what);
}

static char *dup_str(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));

    return s ? pg_xstrdup(s) : NULL;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* --- package.json --------------------------------------------------------- */

static const char *const dep_maps[] = {
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
};

/*
 * 1 if what s adds was added already (a name in two maps): a hash of
 * "name alias spec", since a generated package.json can name 100,000.
 */
static int already_listed(struct pg_strmap *seen, const struct pg_npmspec *s)
{
    char *key = pg_xasprintf("%s\x1f%s\x1f%s", s->name ? s->name : "\x1e",
                             s->alias ? s->alias : "\x1e", s->spec ? s->spec : "\x1e");
    int had = !pg_strmap_put(seen, key, 0);

    free(key);
    return had;
}

static int add_map(const struct doc *d, size_t m, struct pg_strmap *seen, struct pg_reqlist *out,
                   struct pg_err *err)
{
    json_t *deps = json_object_get(d->root, dep_maps[m]), *val;
    const char *key;

    if (!deps || json_is_null(deps))
        return 0;
    if (!json_is_object(deps))
        return doc_fail(d, dep_maps[m], NULL, err, "\"%s\" is not an object", dep_maps[m]);
    json_object_foreach(deps, key, val) {
        struct pg_npmspec s = PG_NPMSPEC_INIT;
        struct pg_req *r;

        if (!json_is_string(val))
            return doc_fail(d, dep_maps[m], key, err, "%s: '%s' is not a string", dep_maps[m], key);
        if (pg_npmspec_resolve(key, json_string_value(val), &s, err) < 0)
            return pg_err_prefix(err, "%s: %s: ", d->label, dep_maps[m]);
        if (!already_listed(seen, &s)) {
            r = pg_npmspec_add_req(&s, out, d->label);
            r->dev = m == 1;
        }
        pg_npmspec_release(&s);
    }
    return 0;
}

int pg_pkgjson_parse_deps(const char *buf, size_t len, const char *label, struct pg_reqlist *out,
                          struct pg_err *err)
{
    struct doc d;
    struct pg_strmap seen = PG_STRMAP_INIT;
    int rc = 0;

    if (doc_load(&d, buf, len, label ? label : "package.json", err) < 0)
        return -1;
    for (size_t m = 0; m < PG_ARRAY_SIZE(dep_maps) && rc == 0; m++)
        rc = add_map(&d, m, &seen, out, err);
    pg_strmap_release(&seen);
    json_decref(d.root);
    return rc;
}

int pg_pkgjson_read_deps(const char *path, struct pg_reqlist *out, struct pg_err *err)
{
    char *buf = NULL;
    size_t len = 0;
    int rc;

    if (pg_read_file(path, PG_PKGJSON_MAX, &buf, &len, err) < 0)
        return -1;
    rc = pg_pkgjson_parse_deps(buf, len, "package.json", out, err);
    free(buf);
    return rc;
}

/* --- lockfiles ------------------------------------------------------------ */

/* What an entry's "resolved" (v1: a non-semver "version") says about it. */
static enum pg_source classify(const char *where, const char *name, const char *version)
{
    static const char *const git[] = {
        "git+", "git:", "ssh:", "github:", "gitlab:", "bitbucket:", "gist:", "sourcehut:"};
    const char *base, *tail;
    char *want;
    int reg;

    if (!where)
        return PG_SRC_REGISTRY;
    for (size_t i = 0; i < PG_ARRAY_SIZE(git); i++)
        if (pg_starts_with(where, git[i]))
            return PG_SRC_GIT;
    if (!pg_starts_with(where, "http://") && !pg_starts_with(where, "https://"))
        return strstr(where, "://") ? PG_SRC_URL : PG_SRC_LOCAL;
    if (!name || !version)
        return PG_SRC_URL;
    /* registry tarballs: <registry>/<name>/-/<unscoped name>-<version>.tgz */
    base = name[0] == '@' && strchr(name, '/') ? strchr(name, '/') + 1 : name;
    tail = where + strcspn(where, "?#");
    want = pg_xasprintf("/-/%s-%s.tgz", base, version);
    reg = (size_t)(tail - where) >= strlen(want) &&
          strncmp(tail - strlen(want), want, strlen(want)) == 0;
    free(want);
    return reg ? PG_SRC_REGISTRY : PG_SRC_URL;
}

struct lockctx {
    struct doc d;
    struct pg_pkglock *lk;
};

/* Append one entry; name/alias/version/resolved are copied. */
static void lock_add(struct lockctx *c, const char *path, const char *name, const char *alias,
                     const char *version, const char *resolved, json_t *e, enum pg_source src)
{
    static const struct {
        const char *key;
        unsigned flag;
    } flags[] = {
        {"dev", PG_LOCK_DEV},
        {"optional", PG_LOCK_OPTIONAL},
        {"devOptional", PG_LOCK_DEV_OPTIONAL},
        {"peer", PG_LOCK_PEER},
        {"inBundle", PG_LOCK_BUNDLED},
        {"bundled", PG_LOCK_BUNDLED},
        {"hasInstallScript", PG_LOCK_INSTALL_SCRIPT},
    };
    struct pg_pkglock *lk = c->lk;
    struct pg_req *r = pg_reqlist_add(&lk->reqs, PG_ECO_NPM, src);
    struct pg_lockent *le;

    pg_xgrow((void **)&lk->ent, &lk->alloc, lk->nent + 1, sizeof(*lk->ent));
    le = &lk->ent[lk->nent++];
    memset(le, 0, sizeof(*le));
    r->name = pg_xstrdup(name);
    r->alias = alias ? pg_xstrdup(alias) : NULL;
    r->locked = version ? pg_xstrdup(version) : NULL;
    r->spec = pg_xstrdup(src == PG_SRC_REGISTRY ? (version ? version : "")
                                                : (resolved  ? resolved
                                                   : version ? version
                                                             : ""));
    r->origin = pg_xstrdup(c->d.label);
    le->path = pg_xstrdup(path);
    le->resolved = resolved ? pg_xstrdup(resolved) : NULL;
    le->integrity = dup_str(e, "integrity");
    for (size_t i = 0; i < PG_ARRAY_SIZE(flags); i++)
        if (json_is_true(json_object_get(e, flags[i].key)))
            le->flags |= flags[i].flag;
    r->dev = (le->flags & PG_LOCK_DEV) != 0;
}

/* v2/v3: "packages": { "node_modules/a": {...}, ... } */
static int lock_packages(struct lockctx *c, json_t *pkgs, struct pg_err *err)
{
    const char *key;
    json_t *e;

    json_object_foreach(pkgs, key, e) {
        const char *nm = NULL, *name, *real, *version, *resolved;

        if (!json_is_object(e))
            return doc_fail(&c->d, "packages", key, err, "entry '%s' is not an object", key);
        /* the install location's last node_modules/ segment names the package */
        for (const char *p = strstr(key, "node_modules/"); p; p = strstr(p + 1, "node_modules/"))
            if (p == key || p[-1] == '/')
                nm = p;
        if (!nm || json_is_true(json_object_get(e, "link")))
            continue; /* root, workspace folders, link targets, links */
        name = nm + strlen("node_modules/");
        if (!pg_npmspec_name_ok(name))
            return doc_fail(&c->d, "packages", key, err, "'%s' is not a package location", key);
        real = json_string_value(json_object_get(e, "name"));
        version = json_string_value(json_object_get(e, "version"));
        resolved = json_string_value(json_object_get(e, "resolved"));
        if (real && strcmp(real, name) != 0)
            lock_add(c, key, real, name, version, resolved, e, classify(resolved, real, version));
        else
            lock_add(c, key, name, NULL, version, resolved, e, classify(resolved, name, version));
    }
    return 0;
}

/* v1: "dependencies": { "a": { "version", "resolved", "dependencies": {...} } } */
static int lock_deps(struct lockctx *c, json_t *deps, const char *parent, int depth,
                     struct pg_err *err)
{
    const char *key;
    json_t *e;

    if (depth > PG_PKGLOCK_DEPTH)
        return pg_err_set(err, "%s: dependencies nested deeper than %d", c->d.label,
                          PG_PKGLOCK_DEPTH);
    json_object_foreach(deps, key, e) {
        char *path = pg_xasprintf("%s%snode_modules/%s", parent, *parent ? "/" : "", key);
        const char *version, *resolved, *at;
        char *real = NULL, *ver = NULL;
        json_t *sub;
        int rc = 0;

        version = json_string_value(json_object_get(e, "version"));
        resolved = json_string_value(json_object_get(e, "resolved"));
        at = version && pg_starts_with(version, "npm:") && version[4] ? strchr(version + 5, '@')
                                                                      : NULL;
        if (!json_is_object(e) || !pg_npmspec_name_ok(key)) {
            rc = doc_fail(&c->d, "dependencies", depth ? NULL : key, err,
                          "bad entry '%s' under '%s'", key, *parent ? parent : "dependencies");
        } else if (at) {
            /* alias: "version": "npm:real@1.2.3" */
            real = pg_xstrndup(version + 4, (size_t)(at - version - 4));
            ver = pg_xstrdup(at + 1);
            lock_add(c, path, real, key, ver, resolved, e, classify(resolved, real, ver));
        } else if (version && (version[0] < '0' || version[0] > '9')) {
            /* git, file: and URL dependencies keep their spec in "version" */
            lock_add(c, path, key, NULL, NULL, resolved ? resolved : version, e,
                     classify(version, NULL, NULL));
        } else {
            lock_add(c, path, key, NULL, version, resolved, e, classify(resolved, key, version));
        }
        sub = json_object_get(e, "dependencies");
        if (rc == 0 && json_is_object(sub))
            rc = lock_deps(c, sub, path, depth + 1, err);
        free(real);
        free(ver);
        free(path);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int pg_pkgjson_lock_parse(const char *buf, size_t len, const char *label, struct pg_pkglock *lk,
                          struct pg_err *err)
{
    struct lockctx c;
    json_t *ver, *pkgs, *deps;
    int rc = -1;

    memset(lk, 0, sizeof(*lk));
    c.lk = lk;
    if (doc_load(&c.d, buf, len, label ? label : "package-lock.json", err) < 0)
        return -1;
    ver = json_object_get(c.d.root, "lockfileVersion");
    lk->version = json_is_integer(ver) ? (int)json_integer_value(ver) : 1;
    if (ver && (!json_is_integer(ver) || lk->version < 1)) {
        doc_fail(&c.d, "lockfileVersion", NULL, err, "bad lockfileVersion");
        goto out;
    }
    pkgs = json_object_get(c.d.root, "packages");
    deps = json_object_get(c.d.root, "dependencies");
    if (pkgs && !json_is_object(pkgs)) {
        doc_fail(&c.d, "packages", NULL, err, "\"packages\" is not an object");
        goto out;
    }
    if (!pkgs && deps && !json_is_object(deps)) {
        doc_fail(&c.d, "dependencies", NULL, err, "\"dependencies\" is not an object");
        goto out;
    }
    /* v2 carries both; "packages" is the complete one */
    rc = pkgs ? lock_packages(&c, pkgs, err) : deps ? lock_deps(&c, deps, "", 0, err) : 0;
out:
    json_decref(c.d.root);
    if (rc < 0)
        pg_pkgjson_lock_release(lk);
    return rc;
}

int pg_pkgjson_lock_read(const char *path, struct pg_pkglock *lk, struct pg_err *err)
{
    char *buf = NULL;
    size_t len = 0;
    int rc;

    memset(lk, 0, sizeof(*lk));
    if (pg_read_file(path, PG_PKGLOCK_MAX, &buf, &len, err) < 0)
        return -1;
    rc = pg_pkgjson_lock_parse(buf, len, base_name(path), lk, err);
    free(buf);
    return rc;
}

void pg_pkgjson_lock_release(struct pg_pkglock *lk)
{
    for (size_t i = 0; i < lk->nent; i++) {
        free(lk->ent[i].path);
        free(lk->ent[i].resolved);
        free(lk->ent[i].integrity);
    }
    free(lk->ent);
    pg_reqlist_release(&lk->reqs);
    memset(lk, 0, sizeof(*lk));
}

/* --- npm's local prefix --------------------------------------------------- */

static int is_file(const char *dir, const char *name, int want_dir)
{
    char *p = pg_xasprintf("%s%s%s", dir, pg_ends_with(dir, "/") ? "" : "/", name);
    struct stat st;
    int ok = stat(p, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));

    free(p);
    return ok;
}

/* 1 if a workspaces pattern (map-workspaces' globs) names rel. */
static int ws_match(json_t *patterns, const char *rel)
{
    size_t i;
    json_t *p;
    int hit = 0;

    json_array_foreach(patterns, i, p) {
        const char *pat = json_string_value(p);
        size_t bangs, n;
        char *clean;
        int flags;

        if (!pat)
            continue;
        bangs = strspn(pat, "!");
        pat += bangs;
        while (pg_starts_with(pat, "./"))
            pat += 2;
        n = strlen(pat);
        while (n > 1 && pat[n - 1] == '/')
            n--;
        clean = pg_xstrndup(pat, n);
        /* "**" crosses directories: let '*' match '/' there */
        flags = FNM_PERIOD | (strstr(clean, "**") ? 0 : FNM_PATHNAME);
        if (fnmatch(clean, rel, flags) == 0)
            hit = bangs % 2 == 0;
        free(clean);
    }
    return hit;
}

/* 1 if dir's package.json lists prefix (a descendant of dir) as a workspace. */
static int is_workspace_root(const char *dir, const char *prefix)
{
    char *path = pg_xasprintf("%s%spackage.json", dir, pg_ends_with(dir, "/") ? "" : "/");
    char *buf = NULL;
    size_t len = 0, dl = strlen(dir);
    struct doc d = {NULL, 0, NULL, NULL};
    json_t *ws;
    const char *rel = prefix + dl + (dir[dl - 1] == '/' ? 0 : 1);
    int hit = 0;

    if (pg_read_file(path, PG_PKGJSON_MAX, &buf, &len, NULL) == 0 &&
        doc_load(&d, buf, len, "package.json", NULL) == 0) {
        ws = json_object_get(d.root, "workspaces");
        if (json_is_object(ws))
            ws = json_object_get(ws, "packages");
        if (json_is_array(ws) && !strstr(rel, "node_modules"))
            hit = ws_match(ws, rel);
    }
    json_decref(d.root);
    free(buf);
    free(path);
    return hit;
}

int pg_pkgjson_find_prefix(const char *cwd, int global, int workspaces_off, char **dir,
                           struct pg_err *err)
{
    char *p, *found = NULL;

    if (!cwd || cwd[0] != '/')
        return pg_err_set(err, "working directory '%s' is not absolute", cwd ? cwd : "");
    p = pg_xstrdup(cwd);
    for (;;) {
        size_t n = strlen(p);
        char *slash;

        while (n > 1 && p[n - 1] == '/')
            p[--n] = '\0';
        if (!found && (is_file(p, "package.json", 0) || is_file(p, "node_modules", 1))) {
            found = pg_xstrdup(p);
            if (global || workspaces_off)
                break;
        } else if (found && is_file(p, "package.json", 0) && is_workspace_root(p, found)) {
            free(found);
            found = pg_xstrdup(p);
            break;
        }
        if (n == 1)
            break;
        slash = strrchr(p, '/');
        slash[slash == p ? 1 : 0] = '\0';
    }
    free(p);
    *dir = found ? found : pg_xstrdup(cwd);
    return 0;
}
