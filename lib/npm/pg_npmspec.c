/*
 * pg_npmspec.c - npm-package-arg 13 and the parts of hosted-git-info 9 it
 * consults, in C. The function names follow npa.js (npa, resolve,
 * fromFile, fromAlias, fromURL, fromRegistry) so the two can be read side
 * by side.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pg_npmspec.h"
#include "pg_util.h"
#include "banned.h"

/* --- character classes and npa's regular expressions -------------------- */

/* Characters encodeURIComponent() leaves alone. */
static int url_safe_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("-_.!~*'()", c));
}

static int url_safe(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!url_safe_char(s[i]))
            return 0;
    return 1;
}

static int is_ws(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static size_t alpha_run(const char *p)
{
    size_t n = 0;

    while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z'))
        n++;
    return n;
}

/* /^(?:git[+])?[a-z]+:/i */
static int is_url(const char *s)
{
    size_t g = strncasecmp(s, "git+", 4) == 0 ? alpha_run(s + 4) : 0, n = alpha_run(s);

    return (g && s[4 + g] == ':') || (n && s[n] == ':');
}

/* /^[^@]+@[^:.]+\.[^:]+:.+$/i: scp-style "git@github.com:user/repo.git" */
static int is_scp_git(const char *s)
{
    const char *at = strchr(s, '@'), *p, *colon;

    if (!at || at == s)
        return 0;
    p = at + 1;
    p += strcspn(p, ":.");
    if (p == at + 1 || *p != '.')
        return 0;
    colon = strchr(p + 1, ':');
    if (!colon || colon == p + 1 || !colon[1])
        return 0;
    return strpbrk(colon + 1, "\n\r") == NULL; /* ".+$": no line breaks */
}

/* /[.](?:tgz|tar\.gz|tar)$/i */
static int is_file_type(const char *s, size_t n)
{
    static const char *const ext[] = {".tgz", ".tar.gz", ".tar"};

    for (size_t i = 0; i < PG_ARRAY_SIZE(ext); i++) {
        size_t e = strlen(ext[i]);

        if (n >= e && strncasecmp(s + n - e, ext[i], e) == 0)
            return 1;
    }
    return 0;
}

/* isFileSpec() on POSIX: file:, ".", "~/", "/", or a drive letter "c:" */
static int is_file_spec(const char *s)
{
    return strncasecmp(s, "file:", 5) == 0 || s[0] == '.' || s[0] == '/' ||
           (s[0] == '~' && s[1] == '/') || (alpha_run(s) && s[1] == ':');
}

int pg_npmspec_name_ok(const char *name)
{
    const char *slash, *pkg;

    if (!name || !*name || name[0] == '.' || name[0] == '-' || name[0] == '_')
        return 0;
    if (is_ws(name[0]) || is_ws(name[strlen(name) - 1]))
        return 0;
    if (strcasecmp(name, "node_modules") == 0 || strcasecmp(name, "favicon.ico") == 0)
        return 0;
    if (url_safe(name, strlen(name)))
        return 1;
    /* ^(?:@([^/]+?)[/])?([^/]+?)$ with both parts URL-safe: "@scope/pkg" */
    if (name[0] != '@')
        return 0;
    slash = strchr(name, '/');
    if (!slash || slash == name + 1 || strchr(slash + 1, '/'))
        return 0;
    pkg = slash + 1;
    if (!*pkg || pkg[0] == '.')
        return 0;
    return url_safe(name + 1, (size_t)(slash - name - 1)) && url_safe(pkg, strlen(pkg));
}

/* --- hosted-git-info fromUrl() -------------------------------------------- */

struct hostinfo {
    const char *name, *domain;
    const char *protocols; /* "|git:|https:|" */
};

static const struct hostinfo hosts[] = {
    {"bitbucket", "bitbucket.org", "|git+ssh:|git+https:|ssh:|https:|"},
    {"codeberg", "codeberg.org", "|git+ssh:|git+https:|ssh:|https:|"},
    {"gist", "gist.github.com", "|git:|git+ssh:|git+https:|ssh:|https:|"},
    {"github", "github.com", "|git:|http:|git+ssh:|git+https:|ssh:|https:|"},
    {"gitlab", "gitlab.com", "|git+ssh:|git+https:|ssh:|https:|"},
    {"sourcehut", "git.sr.ht", "|git+ssh:|https:|"},
};

struct hosted {
    char *user, *project;
};

static int has_word(const char *list, const char *w, size_t n)
{
    for (const char *p = list; (p = strchr(p, '|')) && p[1]; p++)
        if (strncmp(p + 1, w, n) == 0 && p[1 + n] == '|')
            return 1;
    return 0;
}

/* The n-th '/'-separated segment of path (JS split('/')[n]); 0 if none. */
static size_t segment(const char *path, size_t len, int n, const char **seg)
{
    const char *p = path, *end = path + len, *s;

    for (; n > 0; n--) {
        s = memchr(p, '/', (size_t)(end - p));
        if (!s) {
            *seg = end;
            return 0;
        }
        p = s + 1;
    }
    *seg = p;
    s = memchr(p, '/', (size_t)(end - p));
    return (size_t)((s ? s : end) - p);
}

/* decodeURIComponent(); NULL for "" (hosted-git-info wants nulls). */
static char *decode_dup(const char *p, size_t n, int *bad)
{
    char *out = pg_xmalloc(n + 1);
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        if (p[i] != '%') {
            out[o++] = p[i];
        } else if (i + 2 < n && isxdigit((unsigned char)p[i + 1]) &&
                   isxdigit((unsigned char)p[i + 2])) {
            char hex[3] = {p[i + 1], p[i + 2], '\0'};

            out[o++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            *bad = 1; /* URIError: hosted-git-info gives up on the URL */
        }
    }
    out[o] = '\0';
    if (o == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* Fill h with %-decoded user and project (".git" dropped); 0 on URIError. */
static int set_hosted(struct hosted *h, const char *user, size_t ul, const char *proj, size_t pl)
{
    int bad = 0;

    if (pl >= 4 && strncmp(proj + pl - 4, ".git", 4) == 0)
        pl -= 4;
    h->user = user ? decode_dup(user, ul, &bad) : NULL;
    h->project = decode_dup(proj, pl, &bad);
    if (!bad)
        return 1;
    free(h->user);
    free(h->project);
    h->user = h->project = NULL;
    return 0;
}

/* A "github:user/repo#ref" style shortcut: pathname -> user, project. */
static int from_shortcut(const char *path, struct hosted *h)
{
    size_t n = strcspn(path, "?#");
    const char *at, *slash = NULL;

    if (n && path[0] == '/')
        path++, n--;
    at = memchr(path, '@', n);
    if (at) {
        n -= (size_t)(at + 1 - path);
        path = at + 1;
    }
    for (size_t i = 0; i < n; i++)
        if (path[i] == '/')
            slash = path + i;
    if (!slash)
        return set_hosted(h, NULL, 0, path, n);
    return set_hosted(h, path, (size_t)(slash - path), slash + 1, n - (size_t)(slash + 1 - path));
}

/* gitlab's extract(): any depth of groups, "/-/" and archives refused. */
static int extract_gitlab(const char *path, size_t len, struct hosted *h)
{
    const char *end = path + len, *last = end;

    /* path is NUL-terminated here (a pg_sb), so strstr is bounded */
    if (len < 1 || strstr(path + 1, "/-/") || strstr(path + 1, "/archive.tar.gz"))
        return 0;
    while (last > path + 1 && last[-1] != '/')
        last--;
    if (last <= path + 1 || last == end || (end - last == 4 && strncmp(last, ".git", 4) == 0))
        return 0;
    return set_hosted(h, path + 1, (size_t)(last - 1 - (path + 1)), last, (size_t)(end - last));
}

/* Each host's extract(url) on its pathname; 0 if it does not match. */
static int extract(const struct hostinfo *hi, const char *path, size_t len, struct hosted *h)
{
    const char *user, *proj, *aux;
    size_t ul = segment(path, len, 1, &user), pl = segment(path, len, 2, &proj);
    size_t al = segment(path, len, 3, &aux);

    if (strcmp(hi->name, "gitlab") == 0)
        return extract_gitlab(path, len, h);
    if (strcmp(hi->name, "gist") == 0) {
        if ((al == 3 && strncmp(aux, "raw", 3) == 0) || (!pl && !ul))
            return 0;
        if (!pl)
            return set_hosted(h, NULL, 0, user, ul);
        return set_hosted(h, user, ul, proj, pl);
    }
    if ((strcmp(hi->name, "github") == 0 && al && !(al == 4 && !strncmp(aux, "tree", 4))) ||
        (strcmp(hi->name, "bitbucket") == 0 && al == 3 && !strncmp(aux, "get", 3)) ||
        (strcmp(hi->name, "sourcehut") == 0 && al == 7 && !strncmp(aux, "archive", 7)) ||
        (strcmp(hi->name, "codeberg") == 0 && al &&
         has_word("|archive|issues|pulls|src|raw|_edit|", aux, al)))
        return 0;
    if (!ul || !pl || (pl == 4 && strncmp(proj, ".git", 4) == 0))
        return 0;
    return set_hosted(h, user, ul, proj, pl);
}

/* [user@]host[:port] ending at end: the host's length, *port at ':' or NULL. */
static size_t host_of(const char *auth, const char *end, const char **host, const char **port)
{
    for (const char *p = auth; p < end; p++)
        if (*p == '@')
            auth = p + 1;
    *host = auth;
    *port = memchr(auth, ':', (size_t)(end - auth));
    return (size_t)((*port ? *port : end) - auth);
}

/* Lowercased scheme with its ':' into buf; 0 when s has none or it is long. */
static size_t lower_proto(const char *s, char *buf, size_t size)
{
    const char *colon = strchr(s, ':');
    size_t n = colon ? (size_t)(colon + 1 - s) : 0;

    if (!n || n >= size)
        return 0;
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    buf[n] = '\0';
    return n;
}

/* scheme://[user@]host[:port]/path on a known git host: extract(). */
static int from_domain(const char *url, const char *proto, struct hosted *h)
{
    const char *auth = strchr(url, ':'), *aend, *host, *port, *path;
    struct pg_sb p = PG_SB_INIT;
    size_t hl;
    int ok = 0;

    if (strncmp(auth, "://", 3) != 0)
        return 0;
    auth += 3;
    aend = auth + strcspn(auth, "/?#");
    hl = host_of(auth, aend, &host, &port);
    path = aend;
    if (port && strspn(port + 1, "0123456789") != (size_t)(aend - port - 1))
        path = port + 1; /* scp style "host:user/repo": correctUrl makes ':' a '/' */
    if (hl >= 4 && strncasecmp(host, "www.", 4) == 0)
        host += 4, hl -= 4;
    for (size_t i = 0; i < PG_ARRAY_SIZE(hosts); i++) {
        if (strlen(hosts[i].domain) != hl || strncasecmp(host, hosts[i].domain, hl) != 0)
            continue;
        if (!has_word(hosts[i].protocols, proto, strlen(proto)))
            break;
        /* the pathname, without query and fragment, starting with one '/' */
        pg_sb_addc(&p, '/');
        pg_sb_add(&p, path + (*path == '/'), strcspn(path + (*path == '/'), "?#"));
        ok = extract(&hosts[i], p.buf, p.len, h);
        break;
    }
    pg_sb_release(&p);
    return ok;
}

/* isGitHubShorthand(): "user/repo", "user/repo#ref" */
static int github_shorthand(const char *s)
{
    const char *hash = strchr(s, '#'), *slash = strchr(s, '/');
    const char *slash2 = slash ? strchr(slash + 1, '/') : NULL;
    const char *colon = strchr(s, ':'), *at = strchr(s, '@'), *sp = NULL;
    size_t n = strlen(s);

    for (const char *p = s; *p && !sp; p++)
        if (is_ws(*p))
            sp = p;
#define ONLY_AFTER_HASH(x) (!(x) || (hash && (x) > hash))
    return ONLY_AFTER_HASH(sp) && slash && slash > s && ONLY_AFTER_HASH(at) &&
           ONLY_AFTER_HASH(colon) && ONLY_AFTER_HASH(slash2) && s[0] != '.' &&
           (hash ? (hash == s || hash[-1] != '/') : (n && s[n - 1] != '/'));
#undef ONLY_AFTER_HASH
}

/*
 * fromUrl(): correctProtocol() first (exact-case known schemes stay, an
 * '@' after the scheme means scp style, else "//" goes after the colon),
 * then the scheme, lowercased by URL parsing, picks shortcut or domain.
 */
static int hosted_git(const char *spec, struct hosted *h)
{
    static const char *const shortcuts = "|github:|gitlab:|bitbucket:|gist:|sourcehut:|codeberg:|";
    static const char *const known = "|http:|https:|git:|git+ssh:|git+https:|ssh:|";
    const char *colon = strchr(spec, ':'), *at = strchr(spec, '@');
    size_t pl = colon ? (size_t)(colon + 1 - spec) : 0;
    char proto[16];
    char *url;
    int ok;

    if (github_shorthand(spec))
        return from_shortcut(spec, h);
    if (pl && (has_word(shortcuts, spec, pl) || has_word(known, spec, pl)))
        url = pg_xstrdup(spec);
    else if (at && (!colon || at > colon))
        url = pg_xasprintf("git+ssh://%s", spec);
    else if (at || !colon)
        return 0; /* no parseable scheme, or one no git host uses */
    else if (strncmp(colon, "://", 3) == 0)
        url = pg_xstrdup(spec);
    else
        url = pg_xasprintf("%.*s//%s", (int)pl, spec, colon + 1);
    pl = lower_proto(url, proto, sizeof(proto));
    if (pl && has_word(shortcuts, proto, pl)) {
        /* "github://u/r" has host "u": the pathname starts after it */
        const char *path = url + pl;

        if (strncmp(path, "//", 2) == 0)
            path += 2 + strcspn(path + 2, "/?#");
        ok = from_shortcut(path, h);
    } else {
        ok = pl ? from_domain(url, proto, h) : 0;
    }
    free(url);
    return ok;
}

/* --- npa ------------------------------------------------------------------ */

const char *pg_npmspec_type_name(enum pg_npmspec_type t)
{
    static const char *const names[] = {"registry", "alias", "git", "remote", "file", "directory"};

    return (unsigned)t < PG_ARRAY_SIZE(names) ? names[t] : "unknown";
}

void pg_npmspec_release(struct pg_npmspec *s)
{
    char *owned[] = {s->name, s->alias, s->spec, s->raw_spec, s->git_user, s->git_project};

    for (size_t i = 0; i < PG_ARRAY_SIZE(owned); i++)
        free(owned[i]);
    memset(s, 0, sizeof(*s));
}

/* fromURL(): git+ssh scp specs, git protocols, http(s) tarballs. */
static int from_url(const char *spec, struct pg_npmspec *out, struct pg_err *err)
{
    static const char *const gitp =
        "|git:|git+http:|git+https:|git+rsync:|git+ftp:|git+file:|git+ssh:|";
    char proto[32];
    size_t pl = lower_proto(spec, proto, sizeof(proto));

    /* npa reads scp-like "git+ssh://git@host:user/repo" apart; it is git either way */
    if (pl && has_word(gitp, proto, pl)) {
        out->type = PG_NPMSPEC_GIT;
        return 0;
    }
    if (pl && (strcmp(proto, "http:") == 0 || strcmp(proto, "https:") == 0)) {
        const char *auth = spec + pl + strspn(spec + pl, "/\\"), *host, *port;
        const char *end = auth + strcspn(auth, "/\\?#");

        /* new URL() throws on an empty host or a port that is not a number */
        size_t hl = host_of(auth, end, &host, &port);

        if (!hl || memchr(host, ' ', hl) || strcspn(host, "<>^|[]\t\n\r") < hl ||
            (port && strspn(port + 1, "0123456789") != (size_t)(end - port - 1)))
            return pg_err_set(err, "invalid URL '%s'", spec);
        out->type = PG_NPMSPEC_REMOTE;
        return 0;
    }
    return pg_err_set(err, "unsupported URL type \"%s\" in '%s'", pl ? proto : "", spec);
}

/* fromRegistry(): keep the range/tag; refuse what npm would refuse. */
static int from_registry(const char *written, struct pg_npmspec *out, struct pg_err *err)
{
    const char *s = written, *e;

    while (is_ws(*s))
        s++;
    e = s + strlen(s);
    while (e > s && is_ws(e[-1]))
        e--;
    if (!url_safe(s, (size_t)(e - s)))
        for (const char *p = s; p < e; p++)
            if (!url_safe_char(*p) && !strchr(" \t\n\r.-+*^~<>=|", *p))
                return pg_err_set(err, "invalid tag name '%.*s' of package '%s'", (int)(e - s), s,
                                  out->name ? out->name : "");
    if (!out->name)
        return pg_err_set(err, "'%.*s' names no package", (int)(e - s), s);
    out->type = PG_NPMSPEC_REGISTRY;
    out->spec = pg_xstrndup(s, (size_t)(e - s));
    return 0;
}

/* fromAlias(): "npm:real@range" */
static int from_alias(const char *spec, struct pg_npmspec *out, struct pg_err *err)
{
    struct pg_npmspec sub = PG_NPMSPEC_INIT;
    int rc = -1;

    if (pg_npmspec_parse(spec + 4, &sub, err) < 0)
        goto out;
    if (sub.type != PG_NPMSPEC_REGISTRY || !sub.name) {
        pg_err_set(err, "%s: '%s'",
                   sub.type == PG_NPMSPEC_ALIAS      ? "nested aliases not supported"
                   : sub.type != PG_NPMSPEC_REGISTRY ? "aliases only work for registry deps"
                                                     : "aliases must have a name",
                   spec);
        goto out;
    }
    out->type = PG_NPMSPEC_ALIAS;
    out->alias = out->name;
    out->name = sub.name;
    out->spec = sub.spec;
    sub.name = sub.spec = NULL;
    rc = 0;
out:
    pg_npmspec_release(&sub);
    return rc;
}

/* The newer npa's jsr: "jsr:@scope/name@range" -> @jsr/scope__name */
static int from_jsr(const char *spec, struct pg_npmspec *out, struct pg_err *err)
{
    const char *j = spec + 4, *at = j[0] ? strchr(j + 1, '@') : NULL;
    size_t nl = at ? (size_t)(at - j) : strlen(j);
    const char *slash = memchr(j, '/', nl);
    char *jname = pg_xstrndup(j, nl);
    int ok = j[0] == '@' && slash && pg_npmspec_name_ok(jname);

    free(jname);
    if (!ok)
        return pg_err_set(err, "jsr packages must be scoped (jsr:@scope/name): '%s'", spec);
    free(out->name);
    out->name = pg_xasprintf("@jsr/%.*s__%.*s", (int)(slash - j - 1), j + 1,
                             (int)(nl - (size_t)(slash + 1 - j)), slash + 1);
    /* scope ".co" gives "@jsr/.co__x", which setName() refuses */
    if (!pg_npmspec_name_ok(out->name))
        return pg_err_set(err, "invalid package name '%s' of '%s'", out->name, spec);
    free(out->raw_spec);
    out->raw_spec = pg_xstrdup(at && at[1] ? at + 1 : "*");
    return from_registry(at ? at + 1 : "", out, err);
}

static int resolve(const char *name, const char *spec, const char *written, struct pg_npmspec *out,
                   struct pg_err *err)
{
    struct hosted h = {NULL, NULL};
    int rc = 0;

    if (name && !pg_npmspec_name_ok(name))
        return pg_err_set(err, "invalid package name '%s'", name);
    out->name = name ? pg_xstrdup(name) : NULL;
    out->raw_spec = pg_xstrdup(spec);
    if (is_file_spec(spec)) {
        out->type = is_file_type(spec, strlen(spec)) ? PG_NPMSPEC_FILE : PG_NPMSPEC_DIRECTORY;
    } else if (strncasecmp(spec, "npm:", 4) == 0) {
        rc = from_alias(spec, out, err);
    } else if (strncasecmp(spec, "jsr:", 4) == 0) {
        rc = from_jsr(spec, out, err);
    } else if (hosted_git(spec, &h)) {
        out->type = PG_NPMSPEC_GIT;
        out->hosted = 1;
        out->git_user = h.user;
        out->git_project = h.project;
    } else if (is_url(spec)) {
        rc = from_url(spec, out, err);
    } else if (strchr(spec, '/') || is_file_type(spec, strlen(spec))) {
        out->type = is_file_type(spec, strlen(spec)) ? PG_NPMSPEC_FILE : PG_NPMSPEC_DIRECTORY;
    } else {
        rc = from_registry(written, out, err);
    }
    if (rc == 0 && !out->spec)
        out->spec = pg_xstrdup(spec);
    if (rc < 0)
        pg_npmspec_release(out);
    return rc;
}

int pg_npmspec_parse(const char *arg, struct pg_npmspec *out, struct pg_err *err)
{
    const char *at = arg[0] ? strchr(arg + 1, '@') : NULL;
    size_t nl = at ? (size_t)(at - arg) : strlen(arg);
    char *name = NULL, *spec = NULL;
    const char *written = "";
    int rc;

    memset(out, 0, sizeof(*out));
    if (!*arg)
        return pg_err_set(err, "empty package spec");
    if (is_url(arg)) {
        spec = pg_xstrdup(arg);
    } else if (is_scp_git(arg)) {
        spec = pg_xasprintf("git+ssh://%s", arg);
    } else if (arg[0] != '@' && (memchr(arg, '/', nl) || is_file_type(arg, nl))) {
        spec = pg_xstrdup(arg);
    } else if (at) {
        name = pg_xstrndup(arg, nl);
        written = at + 1;
        spec = pg_xstrdup(*written ? written : "*");
    } else if (pg_npmspec_name_ok(arg)) {
        name = pg_xstrdup(arg);
        spec = pg_xstrdup("*");
    } else {
        spec = pg_xstrdup(arg);
        written = arg;
    }
    rc = resolve(name, spec, written, out, err);
    if (rc < 0 && err && !strstr(err->msg, arg))
        pg_err_prefix(err, "'%s': ", arg);
    free(name);
    free(spec);
    return rc;
}

int pg_npmspec_resolve(const char *name, const char *spec, struct pg_npmspec *out,
                       struct pg_err *err)
{
    memset(out, 0, sizeof(*out));
    return resolve(name, *spec ? spec : "*", spec, out, err);
}

struct pg_req *pg_npmspec_add_req(const struct pg_npmspec *s, struct pg_reqlist *l,
                                  const char *origin)
{
    static const enum pg_source src[] = {PG_SRC_REGISTRY, PG_SRC_REGISTRY, PG_SRC_GIT,
                                         PG_SRC_URL,      PG_SRC_LOCAL,    PG_SRC_LOCAL};
    struct pg_req *r = pg_reqlist_add(l, PG_ECO_NPM, src[s->type]);

    r->name = s->name ? pg_xstrdup(s->name) : NULL;
    r->spec = pg_xstrdup(s->spec ? s->spec : "");
    r->alias = s->alias ? pg_xstrdup(s->alias) : NULL;
    r->origin = origin ? pg_xstrdup(origin) : NULL;
    return r;
}
