/*
 * pg_npmrc.c - npm's configuration layers (see pg_npmrc.h for the rules).
 *
 * Every (key, value) from every layer goes into one list tagged with its
 * layer; a lookup takes the entry of the highest-priority layer, and within
 * one layer the last one (ini objects keep the last duplicate). Once the
 * list is complete pg_npmrc_build (pg_npmrc_auth.c) computes the results,
 * copying secrets to secure memory, and the list is wiped.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "pg_npmrc_int.h"
#include "pg_util.h"
#include "banned.h"

const char *pg_npmrc_kv_get(const struct loader *ld, const char *key)
{
    const struct kv *best = NULL;

    for (size_t i = 0; i < ld->n; i++)
        if (pg_streq(ld->v[i].key, key) && (!best || ld->v[i].layer <= best->layer))
            best = &ld->v[i];
    return best ? best->val : NULL;
}

const char *pg_npmrc_truthy(const char *s)
{
    return s && *s ? s : NULL;
}

/* npm's env-replace.js: ${NAME} and ${NAME?}, with backslash escapes. */
static char *env_replace(const struct loader *ld, const char *s)
{
    struct pg_sb sb = PG_SB_INIT;
    size_t i = 0;

    while (s[i]) {
        size_t j = i, k, esc;
        int opt = 0;

        while (s[j] == '\\')
            j++;
        esc = j - i;
        if (s[j] != '$' || s[j + 1] != '{') {
            pg_sb_add(&sb, s + i, (j > i ? j : j + 1) - i);
            i = j > i ? j : j + 1;
            continue;
        }
        k = j + 2;
        while (s[k] && !strchr("${}?", s[k]))
            k++;
        if (k == j + 2 || (s[k] == '?' && s[k + 1] != '}') || (s[k] != '?' && s[k] != '}')) {
            pg_sb_add(&sb, s + i, j + 1 - i); /* no match: keep text through '$' */
            i = j + 1;
            continue;
        }
        opt = s[k] == '?';
        if (esc % 2) {
            /* Escaped: drop half the backslashes (rounded up), keep the rest. */
            pg_sb_add(&sb, s + i + (esc + 1) / 2, k + opt + 1 - i - (esc + 1) / 2);
        } else {
            char *name = pg_xstrndup(s + j + 2, k - j - 2);
            const char *val = ld->o->getenv_fn(name);

            pg_sb_add(&sb, s + i, esc / 2);
            if (val)
                pg_sb_adds(&sb, val);
            else if (!opt)
                pg_sb_addf(&sb, "${%s}", name);
            free(name);
        }
        i = k + opt + 1;
    }
    return pg_sb_detach(&sb);
}

static void add(struct loader *ld, const char *key, const char *val, enum layer layer)
{
    struct kv *e;

    pg_xgrow((void **)&ld->v, &ld->alloc, ld->n + 1, sizeof(*ld->v));
    e = &ld->v[ld->n++];
    e->key = env_replace(ld, key);
    e->val = env_replace(ld, val);
    e->layer = layer;
}

/* The ini package's unsafe(): quoted values are JSON strings, otherwise cut
 * at the first unescaped ';' or '#' and unescape \; \# \\. */
static char *ini_value(const char *s, size_t n)
{
    struct pg_sb sb = PG_SB_INIT;
    int esc = 0;

    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') || (s[0] == '\'' && s[n - 1] == '\''))) {
        size_t off = s[0] == '\'';
        json_t *j = json_loadb(s + off, n - 2 * off, JSON_DECODE_ANY, NULL);

        if (json_is_string(j))
            pg_sb_add(&sb, json_string_value(j), json_string_length(j));
        else
            pg_sb_add(&sb, s + off, n - 2 * off);
        json_decref(j);
        return pg_sb_detach(&sb);
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];

        if (esc) {
            if (!strchr("\\;#", c))
                pg_sb_addc(&sb, '\\');
            pg_sb_addc(&sb, c);
            esc = 0;
        } else if (c == ';' || c == '#') {
            break;
        } else if (c == '\\') {
            esc = 1;
        } else {
            pg_sb_addc(&sb, c);
        }
    }
    if (esc)
        pg_sb_addc(&sb, '\\');
    while (sb.len && isspace((unsigned char)sb.buf[sb.len - 1]))
        sb.buf[--sb.len] = '\0';
    return pg_sb_detach(&sb);
}

/* ini's /^\[[^\]]*\]\s*$/: a section header starts in column 0. */
static int is_section(const char *line, size_t n)
{
    const char *close = memchr(line, ']', n);

    if (!close)
        return 0;
    for (const char *c = close + 1; c < line + n; c++)
        if (!isspace((unsigned char)*c))
            return 0;
    return 1;
}

/* One ini document into the list. Lines after a [section] are npm's nested
 * objects, which hold no setting npm reads. */
static void parse_ini(struct loader *ld, const char *buf, size_t len, enum layer layer)
{
    size_t i = 0;
    int in_section = 0;

    while (i < len) {
        size_t end = i, p = i;
        const char *eq;

        while (end < len && buf[end] != '\n' && buf[end] != '\r')
            end++;
        while (p < end && isspace((unsigned char)buf[p]))
            p++;
        if (buf[i] == '[' && is_section(buf + i, end - i)) {
            in_section = 1;
        } else if (p < end && buf[p] != ';' && buf[p] != '#' && !in_section &&
                   memchr(buf + i, '\0', end - i) == NULL) {
            char *key, *val;

            eq = memchr(buf + i, '=', end - i);
            key = ini_value(buf + i, (eq ? (size_t)(eq - buf) : end) - i);
            val = eq ? ini_value(eq + 1, end - (size_t)(eq + 1 - buf)) : pg_xstrdup("true");
            if (*key && !pg_streq(key, "__proto__"))
                add(ld, key, val, layer);
            free(key);
            sodium_memzero(val, strlen(val));
            free(val);
        }
        i = end + 1;
    }
}

char *pg_npmrc_resolve(const struct loader *ld, const char *p)
{
    struct pg_sb sb = PG_SB_INIT;
    char *raw, *out;
    size_t keep = 0;

    if (p[0] == '~' && p[1] == '/' && ld->home)
        raw = pg_xasprintf("%s/%s", ld->home, p + 2);
    else if (p[0] == '/')
        raw = pg_xstrdup(p);
    else
        raw = pg_xasprintf("%s/%s", ld->o->cwd, p);
    /* Collapse "", "." and ".." segments as node does. */
    for (char *seg = raw, *next; seg; seg = next) {
        next = strchr(seg, '/');
        if (next)
            *next++ = '\0';
        if (!*seg || pg_streq(seg, "."))
            continue;
        if (pg_streq(seg, "..")) {
            while (sb.len > keep && sb.buf[sb.len - 1] != '/')
                sb.len--;
            if (sb.len > keep)
                sb.len--;
            if (sb.buf)
                sb.buf[sb.len] = '\0';
            continue;
        }
        pg_sb_addc(&sb, '/');
        pg_sb_adds(&sb, seg);
    }
    free(raw);
    out = pg_sb_detach(&sb);
    if (!*out) {
        free(out);
        out = pg_xstrdup("/");
    }
    return out;
}

static char *dirname_dup(const char *p)
{
    const char *s = strrchr(p, '/');

    return s && s != p ? pg_xstrndup(p, (size_t)(s - p)) : pg_xstrdup("/");
}

/* Read one file into a layer. Missing is fine; anything else is an error. */
static int load_file(struct loader *ld, const char *path, enum layer layer, struct pg_err *err)
{
    struct stat st;
    char *buf = NULL;
    size_t len = 0;

    if (stat(path, &st) < 0 && (errno == ENOENT || errno == ENOTDIR))
        return 0;
    if (pg_read_file(path, PG_NPMRC_FILE_MAX, &buf, &len, err) < 0)
        return pg_err_prefix(err, "npm config: ");
    parse_ini(ld, buf, len, layer);
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
        val = pg_npmrc_truthy(ld->o->getenv_fn(lower));
        if (!val)
            val = pg_npmrc_truthy(ld->o->getenv_fn(upper));
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
    const char *env = pg_npmrc_truthy(ld->o->getenv_fn("PREFIX"));
    const char *destdir = pg_npmrc_truthy(ld->o->getenv_fn("DESTDIR"));

    if (env)
        return pg_xstrdup(env);
    if (!nprefix)
        return NULL;
    return destdir ? pg_xasprintf("%s%s", destdir, nprefix) : pg_xstrdup(nprefix);
}

/* Nearest directory upwards from cwd with package.json or node_modules. */
static char *local_prefix(const struct loader *ld)
{
    char *dir = pg_xstrdup(ld->o->cwd);

    for (;;) {
        char *pj = pg_xasprintf("%s/package.json", pg_streq(dir, "/") ? "" : dir);
        char *nm = pg_xasprintf("%s/node_modules", pg_streq(dir, "/") ? "" : dir);
        struct stat st;
        int found = stat(pj, &st) == 0 || (stat(nm, &st) == 0 && S_ISDIR(st.st_mode));

        free(pj);
        free(nm);
        if (found)
            return dir;
        if (pg_streq(dir, "/"))
            break;
        {
            char *up = dirname_dup(dir);

            free(dir);
            dir = up;
        }
    }
    free(dir);
    return pg_xstrdup(ld->o->cwd);
}

static char *user_config_path(const struct loader *ld)
{
    const char *u = pg_npmrc_truthy(pg_npmrc_kv_get(ld, "userconfig"));

    if (u)
        return pg_npmrc_resolve(ld, u);
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
    for (size_t i = 0; i < ld->n; i++)
        if (ld->v[i].layer == L_CLI && pg_streq(ld->v[i].key, "prefix") && *ld->v[i].val)
            cliprefix = ld->v[i].val;
    p = pg_npmrc_kv_get(ld, "location");
    if (!pg_streq(pg_npmrc_kv_get(ld, "global"), "true") && !pg_streq(p, "global")) {
        lp = cliprefix ? pg_npmrc_resolve(ld, cliprefix) : local_prefix(ld);
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
    if (pg_npmrc_truthy(pg_npmrc_kv_get(ld, "globalconfig")))
        global = pg_npmrc_resolve(ld, pg_npmrc_kv_get(ld, "globalconfig"));
    else if (pg_npmrc_truthy(pg_npmrc_kv_get(ld, "prefix")) || dprefix) {
        char *pre = pg_npmrc_resolve(ld, pg_npmrc_truthy(pg_npmrc_kv_get(ld, "prefix"))
                                             ? pg_npmrc_kv_get(ld, "prefix")
                                             : dprefix);

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
    ld.home = pg_npmrc_truthy(opts->getenv_fn("HOME"));
    ld.cfg = pg_xcalloc(1, sizeof(*ld.cfg));
    if (load_layers(&ld, err) < 0 || pg_npmrc_build(&ld, err) < 0)
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
