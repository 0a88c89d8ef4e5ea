/* pip/_internal/req/req_file.py in C; function names follow pip's where they map. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pg_reqfile.h"
#include "pg_reqlex.h"
#include "pg_pipopts.h"
#include "pg_util.h"
#include "banned.h"

/* The files being read, innermost first: cycle detection and messages. */
struct frame {
    dev_t dev;
    ino_t ino;
    const char *name;
    const struct frame *up;
    unsigned depth;
};

struct ctx {
    struct pg_reqfile *rf;
    const struct pg_reqfile_opts *o;
    int constraint; /* of the file being read */
    const struct frame *f;
    struct pg_err *err;
};

/* Options found on one logical line (pip builds a fresh parser per line). */
struct lineopts {
    struct pg_strlist val[PG_PIPACT_UNSEEN + 1]; /* values, by enum pg_pipact */
    int flag[PG_PIPACT_UNSEEN + 1];              /* flags seen, by enum pg_pipact */
    int require_hashes;
};

static int parse_path(struct ctx *c, const char *path, int constraint, const char *where);

PG_PRINTF(2, 3) static void unknown(struct ctx *c, const char *fmt, ...)
{
    struct pg_sb sb = PG_SB_INIT;
    va_list ap;

    va_start(ap, fmt);
    pg_sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    pg_strlist_push(&c->rf->unknown, pg_sb_str(&sb));
    pg_sb_release(&sb);
}

static int check_hash(const char *v, const char *where, struct pg_err *err)
{
    const char *colon = strchr(v, ':');
    size_t n = colon ? (size_t)(colon - v) : 0;

    if (!colon)
        return pg_err_set(err, "%s: --hash needs algorithm:digest, like --hash=sha256:abcd...",
                          where);
    if (n != 6 || (strncmp(v, "sha256", 6) != 0 && strncmp(v, "sha384", 6) != 0 &&
                   strncmp(v, "sha512", 6) != 0))
        return pg_err_set(err, "%s: --hash algorithm '%.*s' is not one of sha256, sha384, sha512",
                          where, (int)(n > 32 ? 32 : n), v);
    return 0;
}

static int apply(struct lineopts *lo, const struct pg_pipopt *o, const char *v, const char *where,
                 struct pg_err *err)
{
    if (o->act == PG_PIPACT_HASH && check_hash(v, where, err) < 0)
        return -1;
    if (v)
        pg_strlist_push(&lo->val[o->act], v);
    else
        lo->flag[o->act] = 1;
    if (strcmp(o->name, "--require-hashes") == 0)
        lo->require_hashes = 1;
    return 0;
}

/* optparse over the options part of a line; positional words are ignored (as pip). */
static int line_options(struct ctx *c, const struct pg_strlist *t, struct lineopts *lo,
                        const char *where)
{
    struct pg_pipopt_iter it;
    const struct pg_pipopt *o;
    const char *v, *word;

    pg_pipopt_iter_init(&it, (int)t->n, t->v, 0, -1, PG_PIPOPT_R);
    for (;;) {
        switch (pg_pipopt_next(&it, &o, &v, &word)) {
        case PG_PIPEV_END:
            return 0;
        case PG_PIPEV_ARG:
            break;
        case PG_PIPEV_OPT:
            if (apply(lo, o, v, where, c->err) < 0)
                return -1;
            break;
        case PG_PIPEV_NOVALUE:
            return pg_err_set(c->err, "%s: option '%s' requires a value", where, o->name);
        case PG_PIPEV_BADVALUE:
            return pg_err_set(c->err, "%s: option '%s' does not take a value", where, o->name);
        default:
            unknown(c, "%s: %s", where, word);
            break;
        }
    }
}

/* os.path.join(os.path.dirname(name), path) */
static char *join_dir(const char *name, const char *path)
{
    const char *slash = strrchr(name, '/');

    if (path[0] == '/' || !slash)
        return pg_xstrdup(path);
    return pg_xasprintf("%.*s/%s", (int)(slash - name), name, path);
}

/* Relative names are opened against opts->cwd when given. */
static char *open_path(const struct ctx *c, const char *name)
{
    if (name[0] == '/' || !c->o->cwd)
        return pg_xstrdup(name);
    return pg_xasprintf("%s/%s", c->o->cwd, name);
}

static void add_entry(struct ctx *c, unsigned long line, const char *text, int editable,
                      struct pg_strlist *hashes)
{
    struct pg_reqfile *rf = c->rf;
    struct pg_reqfile_entry *e;

    pg_xgrow((void **)&rf->v, &rf->alloc, rf->n + 1, sizeof(*rf->v));
    e = &rf->v[rf->n++];
    memset(e, 0, sizeof(*e));
    e->text = pg_xstrdup(text);
    e->file = pg_xstrdup(c->f->name);
    e->line = line;
    e->editable = editable;
    e->constraint = c->constraint;
    if (hashes) {
        e->hashes = *hashes;
        memset(hashes, 0, sizeof(*hashes));
    }
}

/* handle_option_line(): what the package finder learns from an option line. */
static void finder(struct ctx *c, const struct lineopts *lo)
{
    struct pg_reqfile *rf = c->rf;

    const struct pg_strlist *index = &lo->val[PG_PIPACT_INDEX_URL];
    const struct pg_strlist *links = &lo->val[PG_PIPACT_FIND_LINKS];

    if (lo->flag[PG_PIPACT_NO_INDEX]) {
        rf->no_index = rf->index_replaced = 1;
        free(rf->index_url);
        rf->index_url = NULL;
        pg_strlist_release(&rf->extra_index);
    }
    if (index->n && !rf->no_index) {
        rf->index_replaced = 1;
        free(rf->index_url);
        rf->index_url = pg_xstrdup(index->v[index->n - 1]);
        pg_strlist_release(&rf->extra_index);
    }
    for (size_t i = 0; !rf->no_index && i < lo->val[PG_PIPACT_EXTRA_INDEX].n; i++)
        pg_strlist_push(&rf->extra_index, lo->val[PG_PIPACT_EXTRA_INDEX].v[i]);
    if (links->n) { /* pip: only the first; beside the file when it exists there */
        char *near = join_dir(c->f->name, links->v[0]), *at = open_path(c, near);
        struct stat st;

        pg_strlist_push(&rf->find_links, stat(at, &st) == 0 ? at : links->v[0]);
        free(near);
        free(at);
    }
    /* Both on one line: pip would take them in line order; rare enough to not track. */
    for (int k = PG_PIPACT_ONLY_BINARY; k <= PG_PIPACT_NO_BINARY; k++)
        for (size_t i = 0; i < lo->val[k].n; i++) {
            char *f = pg_xasprintf("%s=%s", k == PG_PIPACT_NO_BINARY ? "no-binary" : "only-binary",
                                   lo->val[k].v[i]);

            pg_strlist_push(&rf->formats, f);
            free(f);
        }
    rf->pre |= lo->flag[PG_PIPACT_PRE];
    rf->prefer_binary |= lo->flag[PG_PIPACT_PREFER_BINARY];
    rf->require_hashes |= lo->require_hashes;
}

static int handle_line(struct ctx *c, unsigned long lineno, const char *line)
{
    struct lineopts lo;
    struct pg_strlist toks = PG_STRLIST_INIT;
    char *where = pg_xasprintf("%s:%lu", c->f->name, lineno);
    size_t pos = 0, argn;
    int ret = -1;

    memset(&lo, 0, sizeof(lo));
    /* break_args_options(): the words before the first one starting with '-' */
    while (line[pos] && !(line[pos] == '-' && (pos == 0 || line[pos - 1] == ' ')))
        pos++;
    argn = line[pos] && pos > 0 ? pos - 1 : pos;
    if (pg_reqlex_shlex_split(line + pos, &toks, where, c->err) < 0)
        goto out;
    if (line_options(c, &toks, &lo, where) < 0)
        goto out;
    if (argn) {
        char *text = pg_xstrndup(line, argn);

        add_entry(c, lineno, text, 0, &lo.val[PG_PIPACT_HASH]);
        free(text);
    } else if (lo.val[PG_PIPACT_EDITABLE].n) {
        add_entry(c, lineno, lo.val[PG_PIPACT_EDITABLE].v[0], 1, NULL);
    } else if (lo.val[PG_PIPACT_REQUIREMENT].n || lo.val[PG_PIPACT_CONSTRAINT].n) {
        /* -r wins over -c; a nested -r is never a constraints file. */
        int cons = lo.val[PG_PIPACT_REQUIREMENT].n == 0;
        const char *path = lo.val[cons ? PG_PIPACT_CONSTRAINT : PG_PIPACT_REQUIREMENT].v[0];

        if (c->o->no_nested)
            unknown(c, "%s: %s %s: nested file not read", where, cons ? "-c" : "-r", path);
        else if (parse_path(c, path, cons, where) < 0)
            goto out;
    } else {
        finder(c, &lo);
    }
    ret = 0;
out:
    for (size_t i = 0; i < PG_ARRAY_SIZE(lo.val); i++)
        pg_strlist_release(&lo.val[i]);
    pg_strlist_release(&toks);
    free(where);
    return ret;
}

/* One logical line: comments off, stripped, ${VAR} expanded, handled. */
static int emit(struct ctx *c, unsigned long lineno, char *text)
{
    struct pg_sb sb = PG_SB_INIT;
    char *s = pg_reqlex_strip_comment(text);
    int ret;

    pg_reqlex_expand_env(s, &sb, c->o);
    ret = *s ? handle_line(c, lineno, pg_sb_str(&sb)) : 0;
    pg_sb_release(&sb);
    return ret;
}

/* line.strip("\\"): every leading and trailing backslash goes. */
static void add_unslashed(struct pg_sb *sb, const char *line, size_t n)
{
    size_t a = 0;

    while (line[a] == '\\')
        a++;
    while (n > a && line[n - 1] == '\\')
        n--;
    pg_sb_add(sb, line + a, n - a);
}

/* preprocess(): split, join continuations (join_lines), then emit. */
static int parse_text(struct ctx *c, const char *s)
{
    struct pg_sb pend = PG_SB_INIT;
    unsigned long lineno = 0, primary = 0;
    int pending = 0, ret = -1;

    while (*s) {
        size_t n = 0;
        char *line;

        while (s[n] && !pg_reqlex_linebreak(s + n))
            n++;
        line = pg_xstrndup(s, n);
        lineno++;
        s += n;
        s += pg_reqlex_linebreak(s);
        if (n == 0 || line[n - 1] != '\\' || pg_reqlex_comment_line(line)) {
            if (pg_reqlex_comment_line(line))
                pg_sb_addc(&pend, ' ');
            pg_sb_adds(&pend, line);
            free(line);
            if (emit(c, pending ? primary : lineno, pend.buf) < 0)
                goto out;
            pg_sb_reset(&pend);
            pending = 0;
            continue;
        }
        if (!pending)
            primary = lineno;
        pending = 1;
        add_unslashed(&pend, line, n);
        free(line);
    }
    pg_sb_add(&pend, "", 0);
    if (pending && emit(c, primary, pend.buf) < 0)
        goto out;
    ret = 0;
out:
    pg_sb_release(&pend);
    return ret;
}

static int has_scheme(const char *s, const char *scheme)
{
    size_t n = strlen(scheme);

    return strncasecmp(s, scheme, n) == 0 && s[n] == ':';
}

/* pip's url_to_path(), without %XX: file:///p, file://localhost/p, file:p. */
static char *file_url_path(const char *url, struct pg_err *err)
{
    const char *p = url + 5, *end;

    if (p[0] == '/' && p[1] == '/') {
        p += 2;
        if (strncasecmp(p, "localhost/", 10) == 0)
            p += 9;
        else if (*p != '/') {
            pg_err_set(err, "'%s': only local file: URLs are supported", url);
            return NULL;
        }
    }
    end = p + strcspn(p, "?#%");
    if (*end == '%') {
        pg_err_set(err, "'%s': %%-escapes in file: URLs are not supported", url);
        return NULL;
    }
    return pg_xstrndup(p, (size_t)(end - p));
}

/* "a.txt -> b.txt -> " from the file at back down to u. */
static void chain(struct pg_sb *sb, const struct frame *u, const struct frame *at)
{
    if (u != at && u->up)
        chain(sb, u->up, at);
    pg_sb_addf(sb, "%s -> ", u->name);
}

static int cycle(struct ctx *c, const char *name, const struct frame *at)
{
    struct pg_sb sb = PG_SB_INIT;

    chain(&sb, c->f, at);
    pg_err_set(c->err, "requirements file cycle: %s%s", pg_sb_str(&sb), name);
    pg_sb_release(&sb);
    return -1;
}

static int parse_content(struct ctx *c, const struct frame *f, const char *raw, size_t len,
                         int constraint)
{
    struct pg_sb text = PG_SB_INIT;
    const struct frame *up = c->f;
    int up_constraint = c->constraint, ret = -1;

    if (c->rf->files.n >= PG_REQFILE_MAX_FILES)
        return pg_err_set(c->err, "more than %d requirements files", PG_REQFILE_MAX_FILES);
    if (len > PG_REQFILE_MAX_TOTAL - c->rf->total)
        return pg_err_set(c->err, "requirements files larger than %d bytes in all",
                          PG_REQFILE_MAX_TOTAL);
    c->rf->total += len;
    pg_strlist_push(&c->rf->files, f->name);
    c->f = f;
    c->constraint = constraint;
    if (pg_reqlex_decode(raw, len, &text, f->name, c->err) == 0)
        ret = parse_text(c, pg_sb_str(&text));
    c->f = up;
    c->constraint = up_constraint;
    pg_sb_release(&text);
    return ret;
}

/* Checks before reading: 1 to skip the file, 0 to read it, -1 on error. */
static int check_file(struct ctx *c, const char *name, const char *opath, struct stat *st)
{
    if (stat(opath, st) < 0)
        return pg_err_set(c->err, "could not open requirements file '%s': %s", name,
                          strerror(errno));
    if (S_ISDIR(st->st_mode))
        return pg_err_set(c->err, "requirements file '%s' is a directory", name);
    if (!S_ISREG(st->st_mode)) {
        /* A pipe (-r <(cmd)) read here would be empty for pip. */
        unknown(c, "%s: not a regular file, not read", name);
        return 1;
    }
    for (const struct frame *u = c->f; u; u = u->up)
        if (u->dev == st->st_dev && u->ino == st->st_ino)
            return cycle(c, name, u);
    if (c->f && c->f->depth >= PG_REQFILE_MAX_DEPTH)
        return pg_err_set(c->err, "requirements files nested more than %d deep at '%s'",
                          PG_REQFILE_MAX_DEPTH, name);
    return 0;
}

static int parse_path(struct ctx *c, const char *path, int constraint, const char *where)
{
    struct frame f = {0, 0, NULL, c->f, c->f ? c->f->depth + 1 : 1};
    struct stat st;
    char *name = NULL, *opath = NULL, *raw = NULL;
    size_t len = 0;
    int ret = -1;

    if (has_scheme(path, "http") || has_scheme(path, "https")) {
        unknown(c, "%s%s%s %s: remote requirements file not read", where ? where : "",
                where ? ": " : "", constraint ? "-c" : "-r", path);
        return 0;
    }
    name = has_scheme(path, "file") ? file_url_path(path, c->err)
           : c->f                   ? join_dir(c->f->name, path)
                                    : pg_xstrdup(path);
    if (!name)
        goto out;
    opath = open_path(c, name);
    ret = check_file(c, name, opath, &st);
    if (ret == 0)
        ret = pg_read_file(opath, PG_REQFILE_MAX_SIZE, &raw, &len, c->err);
    if (ret != 0)
        goto out;
    f.dev = st.st_dev;
    f.ino = st.st_ino;
    f.name = name;
    ret = parse_content(c, &f, raw, len, constraint);
    where = NULL; /* errors inside name the file and line already */
out:
    if (ret < 0 && where)
        pg_err_prefix(c->err, "%s: ", where);
    free(name);
    free(opath);
    free(raw);
    return ret > 0 ? 0 : ret;
}

static const struct pg_reqfile_opts no_opts;

void pg_reqfile_init(struct pg_reqfile *rf)
{
    memset(rf, 0, sizeof(*rf));
}

void pg_reqfile_release(struct pg_reqfile *rf)
{
    for (size_t i = 0; i < rf->n; i++) {
        free(rf->v[i].text);
        free(rf->v[i].file);
        pg_strlist_release(&rf->v[i].hashes);
    }
    free(rf->v);
    free(rf->index_url);
    pg_strlist_release(&rf->extra_index);
    pg_strlist_release(&rf->find_links);
    pg_strlist_release(&rf->formats);
    pg_strlist_release(&rf->unknown);
    pg_strlist_release(&rf->files);
    memset(rf, 0, sizeof(*rf));
}

int pg_reqfile_parse(struct pg_reqfile *rf, const char *path, int constraint,
                     const struct pg_reqfile_opts *opts, struct pg_err *err)
{
    struct ctx c = {rf, opts ? opts : &no_opts, constraint, NULL, err};

    return parse_path(&c, path, constraint, NULL);
}

int pg_reqfile_parse_buf(struct pg_reqfile *rf, const char *name, const char *buf, size_t len,
                         int constraint, const struct pg_reqfile_opts *opts, struct pg_err *err)
{
    struct ctx c = {rf, opts ? opts : &no_opts, constraint, NULL, err};
    struct frame f = {0, 0, name, NULL, 1};

    if (len > PG_REQFILE_MAX_SIZE)
        return pg_err_set(err, "%s: larger than the %d byte limit", name, PG_REQFILE_MAX_SIZE);
    return parse_content(&c, &f, buf, len, constraint);
}
