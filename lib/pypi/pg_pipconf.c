/*
 * pg_pipconf.c - pip's configuration files, PIP_* variables and command line
 * (see pg_pipconf.h for the rules).
 *
 * Files are parsed one at a time as configparser does and merged into one
 * insertion-ordered "section.name" -> value list (later files replace a
 * key in place, like the dict pip builds); the PIP_* variables go in as
 * section ":env:". The options are then applied in pip's section order.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <sodium.h>

#include "pg_pipconf_int.h"
#include "pg_util.h"
#include "banned.h"

struct ent {
    char *key;   /* "section.name" */
    char *val;
    char *where; /* "FILE [section]" or "PIP_NAME": for messages */
};

/* One file as configparser holds it: sections of (name, value) lines. */
struct cp_opt {
    char *name;
    struct pg_sb val;
};

struct cp_sect {
    char *name; /* NULL for [DEFAULT] */
    struct cp_opt *opts;
    size_t n, alloc;
};

struct loader {
    const struct pg_pipconf_opts *o;
    const char *home;
    struct ent *e;
    size_t n, alloc;
    char *index;        /* raw index-url, may hold credentials */
    char **extra, **fl; /* raw lists */
    size_t nextra, nfl, xalloc, flalloc;
    struct pg_pipconf *cfg;
};

/* pip's _normalize_name: lowercase, '_' -> '-', no leading "--". */
static char *norm_name(const char *s, size_t n)
{
    char *out = pg_xstrndup(s, n);

    for (char *c = out; *c; c++)
        *c = *c == '_' ? '-' : (char)tolower((unsigned char)*c);
    if (pg_starts_with(out, "--"))
        memmove(out, out + 2, strlen(out + 2) + 1);
    return out;
}

/* Set section.name in the merged list (replacing in place); where takes ownership. */
static void put(struct loader *ld, const char *section, const char *name, const char *val,
                char *where)
{
    char *key = pg_xasprintf("%s.%s", section, name);

    for (size_t i = 0; i < ld->n; i++)
        if (pg_streq(ld->e[i].key, key)) {
            sodium_memzero(ld->e[i].val, strlen(ld->e[i].val));
            free(ld->e[i].val);
            free(ld->e[i].where);
            ld->e[i].val = pg_xstrdup(val);
            ld->e[i].where = where;
            free(key);
            return;
        }
    pg_xgrow((void **)&ld->e, &ld->alloc, ld->n + 1, sizeof(*ld->e));
    ld->e[ld->n].key = key;
    ld->e[ld->n].where = where;
    ld->e[ld->n++].val = pg_xstrdup(val);
}

static void sects_free(struct cp_sect *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < s[i].n; j++) {
            free(s[i].opts[j].name);
            if (s[i].opts[j].val.buf)
                sodium_memzero(s[i].opts[j].val.buf, s[i].opts[j].val.alloc);
            pg_sb_release(&s[i].opts[j].val);
        }
        free(s[i].name);
        free(s[i].opts);
    }
    free(s);
}

static struct cp_sect *find_sect(struct cp_sect *s, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if ((!name && !s[i].name) || (name && s[i].name && pg_streq(s[i].name, name)))
            return &s[i];
    return NULL;
}

/* A [header] line: '[' then anything up to the last ']' (at least one
 * character), as configparser's \[(?P<header>.+)\] matches. */
static char *section_header(const char *v, size_t n)
{
    size_t close = n;

    if (n < 3 || v[0] != '[')
        return NULL;
    while (close > 1 && v[close - 1] != ']')
        close--;
    return close > 2 ? pg_xstrndup(v + 1, close - 2) : NULL;
}

/* State of the configparser line loop. */
struct cp {
    struct cp_sect *s;
    size_t n, alloc;
    struct cp_sect *cur;
    struct cp_opt *opt;
    size_t indent;
};

static int cp_header(struct cp *p, char *hdr, const char *path, size_t lineno, struct pg_err *err)
{
    const char *name = pg_streq(hdr, "DEFAULT") ? NULL : hdr;
    struct cp_sect *s = find_sect(p->s, p->n, name);

    if (s && name) {
        pg_err_set(err, "%s:%zu: section '%s' appears twice", path, lineno, hdr);
        free(hdr);
        return -1;
    }
    if (!s) {
        pg_xgrow((void **)&p->s, &p->alloc, p->n + 1, sizeof(*p->s));
        s = &p->s[p->n++];
        memset(s, 0, sizeof(*s));
        s->name = name ? hdr : NULL;
        if (!name)
            free(hdr);
    } else {
        free(hdr);
    }
    p->cur = s;
    p->opt = NULL;
    return 0;
}

static int cp_option(struct cp *p, const char *v, size_t n, const char *path, size_t lineno,
                     struct pg_err *err)
{
    size_t d = 0, e;
    char *name;

    while (d < n && v[d] != '=' && v[d] != ':')
        d++;
    e = d;
    if (d >= n)
        return pg_err_set(err, "%s:%zu: line is neither a section, an option nor a comment", path,
                          lineno);
    while (e && isspace((unsigned char)v[e - 1]))
        e--;
    if (!e)
        return pg_err_set(err, "%s:%zu: option without a name", path, lineno);
    name = pg_xstrndup(v, e);
    for (char *c = name; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    for (size_t i = 0; i < p->cur->n; i++)
        if (pg_streq(p->cur->opts[i].name, name)) {
            pg_err_set(err, "%s:%zu: option '%s' appears twice in its section", path, lineno, name);
            free(name);
            return -1;
        }
    pg_xgrow((void **)&p->cur->opts, &p->cur->alloc, p->cur->n + 1, sizeof(*p->cur->opts));
    p->opt = &p->cur->opts[p->cur->n++];
    p->opt->name = name;
    memset(&p->opt->val, 0, sizeof(p->opt->val));
    d++;
    while (d < n && isspace((unsigned char)v[d]))
        d++;
    pg_sb_add(&p->opt->val, v + d, n - d);
    return 0;
}

/* One line (no line end) of configparser's _read loop. */
static int cp_line(struct cp *p, const char *line, size_t len, const char *path, size_t lineno,
                   struct pg_err *err)
{
    size_t b = 0, e = len;

    while (b < len && isspace((unsigned char)line[b]))
        b++;
    while (e > b && isspace((unsigned char)line[e - 1]))
        e--;
    if (b == e || line[b] == '#' || line[b] == ';') {
        /* Blank lines belong to a value being continued; comments vanish. */
        if (b == e && p->opt)
            pg_sb_addc(&p->opt->val, '\n');
        return 0;
    }
    if (p->opt && b > p->indent) {
        pg_sb_addc(&p->opt->val, '\n');
        pg_sb_add(&p->opt->val, line + b, e - b);
        return 0;
    }
    p->indent = b;
    {
        char *hdr = section_header(line + b, e - b);

        if (hdr)
            return cp_header(p, hdr, path, lineno, err);
    }
    if (!p->cur)
        return pg_err_set(err, "%s:%zu: no [section] header before the first option", path, lineno);
    return cp_option(p, line + b, e - b, path, lineno, err);
}

/* Emit one section's items, [DEFAULT] first so the section wins. */
static void emit(struct loader *ld, struct cp *p, const struct cp_sect *s, const char *path)
{
    const struct cp_sect *def = find_sect(p->s, p->n, NULL);
    const struct cp_sect *parts[2] = {def, s};

    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; parts[k] && i < parts[k]->n; i++) {
            struct pg_sb *v = &parts[k]->opts[i].val;
            char *name = norm_name(parts[k]->opts[i].name, strlen(parts[k]->opts[i].name));

            while (v->len && isspace((unsigned char)v->buf[v->len - 1]))
                v->buf[--v->len] = '\0';
            put(ld, s->name, name, pg_sb_str(v), pg_xasprintf("%s [%s]", path, s->name));
            free(name);
        }
}

static int parse_file(struct loader *ld, const char *path, const char *buf, size_t len,
                      struct pg_err *err)
{
    struct cp p;
    size_t i = 0, lineno = 0;
    int ret = 0;

    memset(&p, 0, sizeof(p));
    while (i < len && ret == 0) {
        size_t end = i;

        while (end < len && buf[end] != '\n' && buf[end] != '\r')
            end++;
        if (memchr(buf + i, '\0', end - i))
            ret = pg_err_set(err, "%s:%zu: NUL byte in line", path, lineno + 1);
        else
            ret = cp_line(&p, buf + i, end - i, path, ++lineno, err);
        if (end < len && buf[end] == '\r' && end + 1 < len && buf[end + 1] == '\n')
            end++;
        i = end + 1;
    }
    for (size_t s = 0; ret == 0 && s < p.n; s++)
        if (p.s[s].name)
            emit(ld, &p, &p.s[s], path);
    sects_free(p.s, p.n);
    return ret;
}

static int load_file(struct loader *ld, const char *path, struct pg_err *err)
{
    struct stat st;
    char *buf = NULL;
    size_t len = 0;
    int ret;

    if (stat(path, &st) < 0 && (errno == ENOENT || errno == ENOTDIR))
        return 0;
    if (pg_read_file(path, PG_PIPCONF_FILE_MAX, &buf, &len, err) < 0)
        return pg_err_prefix(err, "pip config: ");
    ret = parse_file(ld, path, buf, len, err);
    sodium_memzero(buf, len);
    free(buf);
    if (ret < 0)
        return pg_err_prefix(err, "pip config: ");
    pg_xgrow((void **)&ld->cfg->files, &ld->cfg->files_alloc, ld->cfg->nfiles + 1, sizeof(char *));
    ld->cfg->files[ld->cfg->nfiles++] = pg_xstrdup(path);
    return 0;
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* pip's file list, lowest priority first. */
static int load_files(struct loader *ld, int isolated, struct pg_err *err)
{
    const char *envfile = ld->o->getenv_fn("PIP_CONFIG_FILE");
    const char *dirs = nonempty(ld->o->getenv_fn("XDG_CONFIG_DIRS"));
    const char *xhome = nonempty(ld->o->getenv_fn("XDG_CONFIG_HOME"));
    const char *site =
        ld->o->site_prefix ? ld->o->site_prefix : nonempty(ld->o->getenv_fn("VIRTUAL_ENV"));
    struct stat st;
    char *p;
    int r = 0;

    if (envfile && pg_streq(envfile, "/dev/null"))
        return 0;
    if (!dirs || strspn(dirs, " \t\n") == strlen(dirs))
        dirs = "/etc/xdg";
    for (const char *d = dirs; d && r == 0; d = strchr(d, ':') ? strchr(d, ':') + 1 : NULL) {
        size_t n = strcspn(d, ":");

        p = pg_xasprintf("%.*s/pip/pip.conf", (int)n, d);
        r = load_file(ld, p, err);
        free(p);
    }
    if (r == 0) {
        p = pg_xasprintf("%s/pip.conf", ld->o->etc_dir ? ld->o->etc_dir : "/etc");
        r = load_file(ld, p, err);
        free(p);
    }
    if (r == 0 && !isolated && ld->home && !(envfile && *envfile && stat(envfile, &st) == 0)) {
        p = pg_xasprintf("%s/.pip/pip.conf", ld->home);
        r = load_file(ld, p, err);
        free(p);
        p = xhome ? pg_xasprintf("%s/pip/pip.conf", xhome)
                  : pg_xasprintf("%s/.config/pip/pip.conf", ld->home);
        if (r == 0)
            r = load_file(ld, p, err);
        free(p);
    }
    if (r == 0 && site) {
        p = pg_xasprintf("%s/pip.conf", site);
        r = load_file(ld, p, err);
        free(p);
    }
    if (r == 0 && envfile && *envfile)
        r = load_file(ld, envfile, err);
    return r;
}

static void load_env(struct loader *ld)
{
    static const char *const probe[] = {"PIP_INDEX_URL", "PIP_PYPI_URL", "PIP_EXTRA_INDEX_URL",
                                        "PIP_NO_INDEX",  "PIP_CERT",     "PIP_FIND_LINKS"};

    if (ld->o->environ) {
        for (const char *const *e = ld->o->environ; *e; e++) {
            const char *eq = strchr(*e, '=');
            char *name;

            if (!eq || !pg_starts_with(*e, "PIP_") || eq - *e <= 4)
                continue;
            name = norm_name(*e + 4, (size_t)(eq - *e) - 4);
            if (!pg_streq(name, "version") && !pg_streq(name, "help"))
                put(ld, ":env:", name, eq + 1, pg_xstrndup(*e, (size_t)(eq - *e)));
            free(name);
        }
        return;
    }
    for (size_t i = 0; i < PG_ARRAY_SIZE(probe); i++) {
        const char *v = ld->o->getenv_fn(probe[i]);

        if (v) {
            char *name = norm_name(probe[i] + 4, strlen(probe[i] + 4));

            put(ld, ":env:", name, v, pg_xstrdup(probe[i]));
            free(name);
        }
    }
}

/* Python's str.split(): whitespace-separated words. */
static void split_words(const char *v, char ***list, size_t *n, size_t *alloc, int append)
{
    if (!append) {
        for (size_t i = 0; i < *n; i++)
            free((*list)[i]);
        *n = 0;
    }
    while (*v) {
        size_t w;

        while (*v && isspace((unsigned char)*v))
            v++;
        w = 0;
        while (v[w] && !isspace((unsigned char)v[w]))
            w++;
        if (w) {
            pg_xgrow((void **)list, alloc, *n + 1, sizeof(char *));
            (*list)[(*n)++] = pg_xstrndup(v, w);
        }
        v += w;
    }
}

int pg_pipconf_bool(const char *v, int *out)
{
    static const char *const yes[] = {"y", "yes", "t", "true", "on", "1"};
    static const char *const no[] = {"n", "no", "f", "false", "off", "0"};

    for (size_t i = 0; i < PG_ARRAY_SIZE(yes); i++) {
        if (!strcasecmp(v, yes[i]))
            return *out = 1, 0;
        if (!strcasecmp(v, no[i]))
            return *out = 0, 0;
    }
    return -1;
}

static char *expand_path(const struct loader *ld, const char *p)
{
    if (p[0] == '~' && (p[1] == '/' || !p[1]) && ld->home)
        return pg_xasprintf("%s%s", ld->home, p + 1);
    if (p[0] == '/')
        return pg_xstrdup(p);
    return pg_xasprintf("%s/%s", ld->o->cwd, p);
}

/* Apply one option; from the command line lists append. */
static int apply(struct loader *ld, const char *name, const char *val, int cli, struct pg_err *err)
{
    struct pg_pipconf *c = ld->cfg;

    if (pg_streq(name, "index-url") || pg_streq(name, "pypi-url")) {
        if (ld->index)
            sodium_memzero(ld->index, strlen(ld->index));
        free(ld->index);
        ld->index = pg_xstrdup(val);
    } else if (pg_streq(name, "extra-index-url")) {
        split_words(val, &ld->extra, &ld->nextra, &ld->xalloc, cli);
    } else if (pg_streq(name, "find-links")) {
        split_words(val, &ld->fl, &ld->nfl, &ld->flalloc, cli);
    } else if (pg_streq(name, "cert")) {
        free(c->cert);
        c->cert = expand_path(ld, val);
    } else if (pg_streq(name, "no-index")) {
        if (cli)
            c->no_index = 1;
        else if (pg_pipconf_bool(val, &c->no_index) < 0)
            return pg_err_set(err, "pip config: '%s' is not a valid value for no-index", val);
    }
    return 0;
}

static int apply_all(struct loader *ld, struct pg_err *err)
{
    const char *order[3] = {"global", ld->o->command, ":env:"};

    for (size_t s = 0; s < 3; s++) {
        size_t sl = strlen(order[s]);

        for (size_t i = 0; i < ld->n; i++)
            if (!strncmp(ld->e[i].key, order[s], sl) && ld->e[i].key[sl] == '.' && *ld->e[i].val) {
                if (apply(ld, ld->e[i].key + sl + 1, ld->e[i].val, 0, err) < 0)
                    return -1;
                pg_pipconf_add_setting(ld->cfg, ld->e[i].key + sl + 1, ld->e[i].val,
                                       ld->e[i].where);
            }
    }
    for (const char *const *a = ld->o->cli; a && *a; a++) {
        const char *eq = strchr(*a, '=');
        char *name = eq ? pg_xstrndup(*a, (size_t)(eq - *a)) : pg_xstrdup(*a);
        int r = apply(ld, name, eq ? eq + 1 : "", 1, err);

        free(name);
        if (r < 0)
            return -1;
    }
    return 0;
}

static void finish(struct loader *ld)
{
    struct pg_pipconf *c = ld->cfg;
    const char *bundle = nonempty(ld->o->getenv_fn("REQUESTS_CA_BUNDLE"));

    if (!bundle)
        bundle = nonempty(ld->o->getenv_fn("CURL_CA_BUNDLE"));
    c->ca_bundle = bundle ? expand_path(ld, bundle) : c->cert ? pg_xstrdup(c->cert) : NULL;
    pg_pipconf_add_index(c, ld->index ? ld->index : PG_PIPCONF_DEFAULT_INDEX);
    for (size_t i = 0; i < ld->nextra; i++)
        pg_pipconf_add_index(c, ld->extra[i]);
    c->find_links = ld->fl;
    c->nfl = ld->nfl;
    ld->fl = NULL;
    ld->nfl = 0;
    pg_pipconf_load_netrc(c, ld->o->getenv_fn, ld->home);
}

static void loader_release(struct loader *ld)
{
    for (size_t i = 0; i < ld->n; i++) {
        sodium_memzero(ld->e[i].val, strlen(ld->e[i].val));
        free(ld->e[i].key);
        free(ld->e[i].val);
        free(ld->e[i].where);
    }
    free(ld->e);
    if (ld->index)
        sodium_memzero(ld->index, strlen(ld->index));
    free(ld->index);
    for (size_t i = 0; i < ld->nextra; i++) {
        sodium_memzero(ld->extra[i], strlen(ld->extra[i]));
        free(ld->extra[i]);
    }
    free(ld->extra);
    for (size_t i = 0; i < ld->nfl; i++)
        free(ld->fl[i]);
    free(ld->fl);
}

int pg_pipconf_load(struct pg_pipconf **out, const struct pg_pipconf_opts *opts, struct pg_err *err)
{
    struct loader ld;
    int isolated = 0, ret = -1;

    *out = NULL;
    if (!opts || !opts->cwd || opts->cwd[0] != '/' || !opts->getenv_fn || !opts->command)
        return pg_err_set(err, "pip config: cwd, command and an environment are required");
    if (sodium_init() < 0)
        return pg_err_set(err, "pip config: libsodium failed to initialise");
    memset(&ld, 0, sizeof(ld));
    ld.o = opts;
    ld.home = nonempty(opts->getenv_fn("HOME"));
    ld.cfg = pg_xcalloc(1, sizeof(*ld.cfg));
    for (const char *const *a = opts->cli; a && *a; a++)
        isolated |= pg_streq(*a, "isolated");
    if (load_files(&ld, isolated, err) < 0)
        goto out;
    if (!isolated)
        load_env(&ld);
    if (apply_all(&ld, err) < 0)
        goto out;
    finish(&ld);
    *out = ld.cfg;
    ld.cfg = NULL;
    ret = 0;
out:
    loader_release(&ld);
    pg_pipconf_free(ld.cfg);
    return ret;
}
