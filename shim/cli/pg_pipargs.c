/*
 * pip's argv and requirement strings; see the header for the rules and
 * pg_pipopts.h for the option tables shared with the shim's router.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "pg_argconf.h"
#include "pg_pipargs.h"
#include "pg_pipopts.h"
#include "pg_pep508.h"
#include "pg_reqfile.h"
#include "pg_util.h"
#include "banned.h"

/* How many unknown general options may each be read both ways (flag, or taking a value). */
#define BRANCH_BUDGET 4

/* pip's vcs.all_schemes: URLs a VCS backend fetches. */
static const char *const vcs_schemes[] = {
    "bzr+file", "bzr+ftp",  "bzr+http",  "bzr+https",     "bzr+lp",    "bzr+sftp",
    "bzr+ssh",  "git",      "git+file",  "git+git",       "git+http",  "git+https",
    "git+ssh",  "hg+file",  "hg+http",   "hg+https",      "hg+ssh",    "hg+static-http",
    "svn",      "svn+file", "svn+http",  "svn+https",     "svn+ssh",   "svn+svn",
};

static const char *const archive_exts[] = {
    ".whl", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma",
    ".zip", ".tar.gz",  ".tgz", ".tar",
};

enum url_kind { NOT_URL, URL_VCS, URL_FILE, URL_WEB };

/* pip's is_url(): the text before the first ':' names a scheme it fetches. */
static enum url_kind url_kind(const char *s)
{
    const char *colon = strchr(s, ':');
    size_t n = colon ? (size_t)(colon - s) : 0;

    if (!colon)
        return NOT_URL;
    for (size_t i = 0; i < PG_ARRAY_SIZE(vcs_schemes); i++)
        if (strlen(vcs_schemes[i]) == n && strncasecmp(s, vcs_schemes[i], n) == 0)
            return URL_VCS;
    if (n == 4 && strncasecmp(s, "file", 4) == 0)
        return URL_FILE;
    if ((n == 4 && strncasecmp(s, "http", 4) == 0) || (n == 5 && strncasecmp(s, "https", 5) == 0) ||
        (n == 3 && strncasecmp(s, "ftp", 3) == 0))
        return URL_WEB;
    return NOT_URL;
}

static enum pg_source url_source(enum url_kind k)
{
    return k == URL_VCS ? PG_SRC_GIT : k == URL_FILE ? PG_SRC_LOCAL : PG_SRC_URL;
}

/* _looks_like_path(): a separator in it, or a leading '.' */
static int looks_like_path(const char *s)
{
    return strchr(s, '/') || s[0] == '.';
}

static int is_archive(const char *s)
{
    size_t n = strlen(s);

    for (size_t i = 0; i < PG_ARRAY_SIZE(archive_exts); i++) {
        size_t m = strlen(archive_exts[i]);

        if (n >= m && strcasecmp(s + n - m, archive_exts[i]) == 0)
            return 1;
    }
    return 0;
}

/* stat() type bits of path relative to cwd, 0 if it does not exist. */
static unsigned file_type(const char *cwd, const char *path)
{
    struct stat st;
    char *p = path[0] == '/' || !cwd ? pg_xstrdup(path) : pg_xasprintf("%s/%s", cwd, path);
    unsigned t = stat(p, &st) == 0 ? (unsigned)(st.st_mode & S_IFMT) : 0;

    free(p);
    return t;
}

/* _strip_extras(), ^(.+)(\[[^\]]+\])$: "path[a,b]" -> *base "path", *extras "a,b". */
static void strip_extras(const char *s, char **base, char **extras)
{
    size_t n = strlen(s), open = n ? n - 1 : 0;

    *extras = NULL;
    while (open > 0 && s[open - 1] != '[' && s[open - 1] != ']')
        open--;
    if (n >= 4 && s[n - 1] == ']' && open > 1 && s[open - 1] == '[' && open < n - 1) {
        *base = pg_xstrndup(s, open - 1);
        *extras = pg_xstrndup(s + open, n - 1 - open);
        return;
    }
    *base = pg_xstrdup(s);
}

/* Link.egg_fragment: the name from "#egg=name" or "&egg=name", extras dropped. */
static char *egg_name(const char *url)
{
    const char *e = strstr(url, "#egg=");
    size_t n;

    if (!e)
        e = strstr(url, "&egg=");
    if (!e)
        return NULL;
    e += 5;
    n = strcspn(e, "&[");
    return n ? pg_xstrndup(e, n) : NULL;
}

/* The project name in a wheel file name (name-ver[-build]-py-abi-plat.whl). */
static int wheel_name(const char *path, char **name, struct pg_err *err)
{
    const char *base = strrchr(path, '/');
    size_t n, parts = 1;
    char *file;

    base = base ? base + 1 : path;
    n = strcspn(base, "?#");
    file = pg_xstrndup(base, n);
    *name = NULL;
    if (n < 4 || strcasecmp(file + n - 4, ".whl") != 0) {
        free(file);
        return 0;
    }
    for (size_t i = 0; i < n - 4; i++) {
        if (pg_pip_isspace(file[i]))
            parts = 0;
        parts += file[i] == '-';
    }
    if ((parts != 5 && parts != 6) || file[0] == '-' ||
        (parts == 6 && !isdigit((unsigned char)strchr(strchr(file, '-') + 1, '-')[1]))) {
        pg_err_set(err, "invalid wheel filename '%s'", file);
        free(file);
        return -1;
    }
    *name = pg_xstrndup(file, strcspn(file, "-"));
    free(file);
    return 0;
}

static struct pg_req *add(struct pg_reqlist *reqs, enum pg_source src, const char *spec,
                          const char *origin)
{
    struct pg_req *r = pg_reqlist_add(reqs, PG_ECO_PYPI, src);

    r->spec = pg_xstrdup(spec);
    r->origin = pg_xstrdup(origin);
    return r;
}

/* A URL requirement without "name @": the name only from #egg= or a wheel file name. */
static int add_url(struct pg_reqlist *reqs, const char *url, char *marker, const char *origin,
                   struct pg_err *err)
{
    char *name = egg_name(url);
    struct pg_req *r;

    if (!name && wheel_name(url, &name, err) < 0) {
        free(marker);
        return -1;
    }
    r = add(reqs, url_source(url_kind(url)), url, origin);
    r->name = name;
    r->marker = marker;
    return 0;
}

static int add_pep508(struct pg_reqlist *reqs, const char *text, char *marker, const char *origin,
                      struct pg_err *err)
{
    struct pg_pep508 p = PG_PEP508_INIT;
    struct pg_req *r;

    if (pg_pep508_parse(&p, text, err) < 0) {
        if (looks_like_path(text))
            pg_err_prefix(err, "no such directory or archive '%s'; ", text);
        free(marker);
        return -1;
    }
    if (p.url) {
        r = add(reqs, url_source(url_kind(p.url)), p.url, origin);
    } else {
        r = add(reqs, PG_SRC_REGISTRY, p.spec, origin);
        r->locked = pg_pep508_pinned(p.spec);
    }
    r->name = p.name;
    r->extras = p.extras;
    r->marker = marker;
    p.name = p.extras = NULL;
    pg_pep508_release(&p);
    return 0;
}

/* _get_url_from_path(): does pip take this (non-URL) requirement as a local file or dir? */
static int is_local(const char *text, const char *base, unsigned type)
{
    const char *at = strchr(text, '@');
    char *before;
    int r;

    if (looks_like_path(text) && type == S_IFDIR)
        return 1;
    if (!is_archive(base))
        return 0;
    if (type == S_IFREG || !at)
        return 1; /* pip warns about a missing archive and fails later */
    /* "name @ https://host/x.whl" is a PEP 508 URL requirement. */
    before = pg_xstrndup(text, (size_t)(at - text));
    r = looks_like_path(before);
    free(before);
    return r;
}

static int add_local(struct pg_reqlist *reqs, const char *base, char **extras, char **marker,
                     const char *origin, struct pg_err *err)
{
    struct pg_req *r;
    char *name = NULL;

    if (is_archive(base) && wheel_name(base, &name, err) < 0)
        return -1;
    r = add(reqs, PG_SRC_LOCAL, base, origin);
    r->name = name;
    r->extras = *extras;
    r->marker = *marker;
    *extras = *marker = NULL;
    return 0;
}

/* Python's strip() of s, in place. */
static char *strip(char *s)
{
    size_t n;

    while (pg_pip_isspace(*s))
        s++;
    for (n = strlen(s); n && pg_pip_isspace(s[n - 1]); n--)
        s[n - 1] = '\0';
    return s;
}

/* parse_req_from_line(): a URL, a local directory or archive, or PEP 508. */
static int add_line(struct pg_reqlist *reqs, const char *line, const char *origin,
                    const char *cwd, struct pg_err *err)
{
    const char *semi = url_kind(line) == NOT_URL ? strchr(line, ';') : strstr(line, "; ");
    char *buf = semi ? pg_xstrndup(line, (size_t)(semi - line)) : pg_xstrdup(line);
    char *mbuf = semi ? pg_xstrdup(semi + 1) : NULL;
    char *text = strip(buf), *marker = NULL, *base = NULL, *extras = NULL;
    int ret = -1;

    if (mbuf && *strip(mbuf)) {
        marker = pg_xstrdup(strip(mbuf));
        if (pg_pep508_check_marker(marker, err) < 0)
            goto out;
    }
    if (url_kind(text) != NOT_URL) {
        ret = add_url(reqs, text, marker, origin, err);
        marker = NULL;
        goto out;
    }
    strip_extras(text, &base, &extras);
    if (is_local(text, base, file_type(cwd, base))) {
        ret = add_local(reqs, base, &extras, &marker, origin, err);
        goto out;
    }
    ret = add_pep508(reqs, text, marker, origin, err);
    marker = NULL;
out:
    free(buf);
    free(mbuf);
    free(marker);
    free(base);
    free(extras);
    return ret;
}

/* parse_editable(): a local directory, a file: URL, or a VCS URL ("git:" too). */
static int add_editable(struct pg_reqlist *reqs, const char *text, const char *origin,
                        const char *cwd, struct pg_err *err)
{
    static const char *const vcs[] = {"git:", "hg:", "svn:", "bzr:"};
    char *base = NULL, *extras = NULL;
    enum url_kind kind = url_kind(text);
    struct pg_req *r;

    strip_extras(text, &base, &extras);
    if (file_type(cwd, base) == S_IFDIR) {
        r = add(reqs, PG_SRC_EDITABLE, base, origin);
        r->extras = extras;
        free(base);
        return 0;
    }
    free(base);
    free(extras);
    for (size_t i = 0; i < PG_ARRAY_SIZE(vcs); i++)
        if (strncasecmp(text, vcs[i], strlen(vcs[i])) == 0)
            kind = URL_VCS;
    if (kind != URL_VCS && kind != URL_FILE)
        return pg_err_set(err, "'%s' is not a valid editable requirement: it should be a path "
                               "to a local project or a VCS URL (git+https://...)", text);
    r = add(reqs, PG_SRC_EDITABLE, text, origin);
    r->name = egg_name(text);
    return 0;
}

int pg_pipargs_add_req(struct pg_reqlist *reqs, const char *text, int editable,
                       const char *origin, const char *cwd, struct pg_err *err)
{
    char *t = pg_xstrdup(text);
    int ret = editable ? add_editable(reqs, strip(t), origin, cwd, err)
                       : add_line(reqs, t, origin, cwd, err);

    if (ret < 0 && strcmp(origin, "argv") != 0)
        pg_err_prefix(err, "%s: ", origin);
    free(t);
    return ret;
}

/* ---- requirement files -------------------------------------------------- */

/* The words of the command that need more than a flag: kept for after the walk. */
struct ctx {
    struct pg_cmd *cmd;
    const char *cwd;
    struct pg_strlist args, edits, reqfiles, confiles;
    struct pg_err *err;
};

/* Entries [from, rf->n) into cmd: requirements added, constraints only checked. */
static int take_entries(struct pg_cmd *cmd, const struct pg_reqfile *rf, size_t from,
                        const char *cwd, struct pg_err *err)
{
    struct pg_reqlist scratch = PG_REQLIST_INIT;
    int ret = 0;

    for (size_t i = from; i < rf->n && ret == 0; i++) {
        const struct pg_reqfile_entry *e = &rf->v[i];
        char *origin = pg_xasprintf("%s:%lu", e->file, e->line);

        ret = pg_pipargs_add_req(e->constraint ? &scratch : &cmd->reqs, e->text, e->editable,
                                 origin, cwd, err);
        if (ret == 0 && e->constraint)
            pg_strlist_push(&cmd->constraints, e->text);
        free(origin);
    }
    pg_reqlist_release(&scratch);
    return ret;
}

/* What the finder learnt from the files' option lines, over what argv said. */
static void take_finder(struct pg_cmd *cmd, struct pg_reqfile *rf)
{
    if (rf->index_replaced) {
        free(cmd->index_url);
        cmd->index_url = rf->index_url ? pg_xstrdup(rf->index_url) : NULL;
        pg_strlist_release(&cmd->extra_index);
    }
    for (size_t i = 0; i < rf->extra_index.n; i++)
        pg_strlist_push(&cmd->extra_index, rf->extra_index.v[i]);
    for (size_t i = 0; i < rf->find_links.n; i++)
        pg_strlist_push(&cmd->find_links, rf->find_links.v[i]);
    for (size_t i = 0; i < rf->unknown.n; i++)
        pg_strlist_push(&cmd->unknown, rf->unknown.v[i]);
    for (size_t i = 0; i < rf->formats.n; i++)
        pg_strlist_push(&cmd->formats, rf->formats.v[i]);
    cmd->no_index |= rf->no_index;
    cmd->pre |= rf->pre;
    cmd->prefer_binary |= rf->prefer_binary;
}

/* Read files in order into rf and their packages into cmd. */
static int read_files(struct pg_cmd *cmd, struct pg_reqfile *rf, const struct pg_strlist *files,
                      int constraint, const char *cwd, struct pg_err *err)
{
    struct pg_reqfile_opts o = {cwd, NULL, NULL, 0};

    for (size_t i = 0; i < files->n; i++) {
        size_t from = rf->n;

        if (pg_reqfile_parse(rf, files->v[i], constraint, &o, err) < 0 ||
            take_entries(cmd, rf, from, cwd, err) < 0)
            return -1;
    }
    return 0;
}

int pg_pipargs_add_reqfile(struct pg_cmd *cmd, const char *path, int constraint,
                           const char *cwd, struct pg_err *err)
{
    struct pg_reqfile rf = PG_REQFILE_INIT;
    struct pg_strlist one = {(char **)&path, 1, 1};
    int ret;

    rf.no_index = cmd->no_index;
    ret = read_files(cmd, &rf, &one, constraint, cwd, err);
    take_finder(cmd, &rf);
    pg_reqfile_release(&rf);
    return ret;
}

/* ---- argv ----------------------------------------------------------------- */

/* 1 when pip stops to print help, else 0. */
static int apply(struct ctx *c, const struct pg_pipopt *o, const char *val)
{
    struct pg_cmd *cmd = c->cmd;

    switch ((enum pg_pipact)o->act) {
    case PG_PIPACT_HELP:
        return 1;
    case PG_PIPACT_REQUIREMENT:
        pg_strlist_push(&c->reqfiles, val);
        break;
    case PG_PIPACT_CONSTRAINT:
        pg_strlist_push(&c->confiles, val);
        break;
    case PG_PIPACT_EDITABLE:
        pg_strlist_push(&c->edits, val);
        break;
    case PG_PIPACT_INDEX_URL:
        free(cmd->index_url);
        cmd->index_url = pg_xstrdup(val);
        break;
    case PG_PIPACT_EXTRA_INDEX:
        pg_strlist_push(&cmd->extra_index, val);
        break;
    case PG_PIPACT_FIND_LINKS:
        pg_strlist_push(&cmd->find_links, val);
        break;
    case PG_PIPACT_ONLY_BINARY:
    case PG_PIPACT_NO_BINARY:
    case PG_PIPACT_UNSEEN: {
        /* unknown: "--name=value" (only the name is shown); formats: "name=value" */
        char *u = pg_xasprintf("%s=%s", o->name + (o->act == PG_PIPACT_UNSEEN ? 0 : 2),
                               val ? val : "");

        pg_strlist_push(o->act == PG_PIPACT_UNSEEN ? &cmd->unknown : &cmd->formats, u);
        free(u);
        break;
    }
    case PG_PIPACT_UPGRADE_STRATEGY:
        cmd->upgrade_eager = val && strcmp(val, "eager") == 0; /* the last one wins */
        break;
    default:
        cmd->ignore_installed |= o->act == PG_PIPACT_IGNORE_INSTALLED;
        cmd->no_index |= o->act == PG_PIPACT_NO_INDEX;
        cmd->pre |= o->act == PG_PIPACT_PRE;
        cmd->upgrade |= o->act == PG_PIPACT_UPGRADE;
        cmd->dry_run |= o->act == PG_PIPACT_DRY_RUN;
        cmd->no_deps |= o->act == PG_PIPACT_NO_DEPS;
        cmd->prefer_binary |= o->act == PG_PIPACT_PREFER_BINARY;
        break;
    }
    return 0;
}

/*
 * The subcommand's parser over all words but argv[rm]; 1 if pip would only
 * print help. After an option pkggate does not know, -h may be its value
 * (in a newer pip), so it no longer counts as help.
 */
static int walk_command(struct ctx *c, int argc, char *const argv[], int rm, unsigned scope)
{
    struct pg_pipopt_iter it;
    const struct pg_pipopt *o;
    const char *val, *word;
    int unsure = 0;

    pg_pipopt_iter_init(&it, argc, argv, 1, rm, PG_PIPOPT_G | scope);
    for (;;) {
        switch (pg_pipopt_next(&it, &o, &val, &word)) {
        case PG_PIPEV_END:
            return 0;
        case PG_PIPEV_ARG:
            pg_strlist_push(&c->args, word);
            break;
        case PG_PIPEV_OPT:
            if (apply(c, o, val) && !unsure)
                return 1;
            break;
        case PG_PIPEV_NOVALUE:
            return pg_err_set(c->err, "option '%s' requires a value", o->name);
        case PG_PIPEV_BADVALUE:
            return pg_err_set(c->err, "option '%s' does not take a value", o->name);
        default:
            pg_strlist_push(&c->cmd->unknown, word);
            unsure = 1;
            break;
        }
    }
}

/* get_requirements(): constraints, arguments, editables, then requirement files. */
static int requirements(struct ctx *c)
{
    struct pg_reqfile rf = PG_REQFILE_INIT;
    int ret = -1;

    rf.no_index = c->cmd->no_index;
    if (read_files(c->cmd, &rf, &c->confiles, 1, c->cwd, c->err) < 0)
        goto out;
    for (size_t i = 0; i < c->args.n; i++) {
        char *t = pg_xstrdup(c->args.v[i]);
        int blank = !*strip(t);

        free(t);
        if (!blank && pg_pipargs_add_req(&c->cmd->reqs, c->args.v[i], 0, "argv", c->cwd,
                                         c->err) < 0)
            goto out;
    }
    for (size_t i = 0; i < c->edits.n; i++)
        if (pg_pipargs_add_req(&c->cmd->reqs, c->edits.v[i], 1, "argv", c->cwd, c->err) < 0)
            goto out;
    if (read_files(c->cmd, &rf, &c->reqfiles, 0, c->cwd, c->err) < 0)
        goto out;
    ret = 0;
out:
    take_finder(c->cmd, &rf);
    pg_reqfile_release(&rf);
    return ret;
}

int pg_pipargs_parse(struct pg_cmd *cmd, int argc, char *const argv[], const char *cwd,
                     struct pg_err *err)
{
    struct ctx c = {cmd, cwd, PG_STRLIST_INIT, PG_STRLIST_INIT, PG_STRLIST_INIT,
                    PG_STRLIST_INIT, err};
    struct pg_pipscan s = pg_pipscan_general(argc, argv, 1, BRANCH_BUDGET, 0);
    const struct pg_pipcmd *pc;
    int rm = -1, ret = 0;

    cmd->installs = 0;
    pg_argconf_pip(cmd, argc, argv);
    if (s.novalue)
        return pg_err_set(err, "option '%s' requires a value", s.novalue->name);
    if (s.stop || s.k >= argc)
        return 0;
    cmd->subcmd = pg_xstrdup(argv[s.k]);
    pc = pg_pipcmd_find(argv[s.k]);
    if (!pc || pc->scope)
        cmd->installs = 1;
    if (!pc)
        pg_strlist_push(&cmd->unknown, argv[s.k]);
    if (!pc || !pc->scope)
        return 0;
    /* pip drops the first word equal to the subcommand, wherever it is. */
    for (int i = 1; i < argc && rm < 0; i++)
        if (strcmp(argv[i], argv[s.k]) == 0)
            rm = i;
    ret = walk_command(&c, argc, argv, rm, pc->scope);
    if (ret > 0)
        cmd->installs = 0;
    else if (ret == 0)
        ret = requirements(&c);
    pg_strlist_release(&c.args);
    pg_strlist_release(&c.edits);
    pg_strlist_release(&c.reqfiles);
    pg_strlist_release(&c.confiles);
    return ret < 0 ? -1 : 0;
}
