/*
 * pg_regconf_cli.c - the command-line layers for the npm and pip config
 * readers, and the Python prefix behind a pip script.
 *
 * argv is read with the same scanners the command parsers use
 * (pg_npmscan, pip's option tables), so an option means here what it
 * means there. Copies of values are wiped when freed: npm takes
 * `--//host/:_authToken=...` on the command line, pip URLs carry
 * user:password@.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "pg_pipopts.h"
#include "pg_regconf.h"
#include "pg_route_npm.h"
#include "pg_util.h"
#include "banned.h"

#define SHEBANG_MAX 4096

void pg_regconf_cli_free(char **cli)
{
    if (!cli)
        return;
    for (char **p = cli; *p; p++) {
        sodium_memzero(*p, strlen(*p));
        free(*p);
    }
    free(cli);
}

/* NULL-ended array of owned strings; the list is left empty. */
static char **detach(struct pg_strlist *l)
{
    char **v = pg_xcalloc(l->n + 1, sizeof(*v));

    if (l->n)
        memcpy(v, l->v, l->n * sizeof(*v));
    free(l->v);
    memset(l, 0, sizeof(*l));
    return v;
}

/* Like pg_strlist_push, but takes ownership (no unwiped copy is left). */
static void take(struct pg_strlist *l, char *owned)
{
    pg_xgrow((void **)&l->v, &l->alloc, l->n + 1, sizeof(*l->v));
    l->v[l->n++] = owned;
}

/* ---- npm ------------------------------------------------------------------ */

static void drop_key(struct pg_strlist *l, const char *key)
{
    size_t kl = strlen(key), j = 0;

    for (size_t i = 0; i < l->n; i++) {
        if (strncmp(l->v[i], key, kl) == 0 && l->v[i][kl] == '=') {
            sodium_memzero(l->v[i], strlen(l->v[i]));
            free(l->v[i]);
        } else {
            l->v[j++] = l->v[i];
        }
    }
    l->n = j;
}

struct npmscan {
    struct pg_strlist out;
    int npx; /* stop at the command word: the rest is the command's */
};

static int npm_cb(const struct pg_npmscan_ev *ev, void *arg)
{
    struct npmscan *s = arg;
    size_t n = ev->known ? strlen(ev->name) : ev->namelen;
    int is_bool = 0;

    if (!ev->is_opt)
        return s->npx; /* npm: options anywhere; npx: the command starts here */
    if (n == 0)
        return 0;
    if (ev->value) {
        take(&s->out, pg_xasprintf("%.*s=%s", (int)n, ev->name, ev->value));
    } else if (!ev->is_null && ev->known && pg_npm_opt_lookup(ev->name, n, 0, &is_bool) &&
               is_bool) {
        take(&s->out, pg_xasprintf("%s=%s", ev->name, ev->bool_value ? "true" : "false"));
    } else if (ev->known) {
        /* A string key as a bare flag: nopt's clean() deletes the key, so
         * an earlier value on the command line is gone too. */
        drop_key(&s->out, ev->name);
    }
    return 0;
}

char **pg_regconf_npm_cli(const struct pg_cmd *cmd, int argc, char *const *argv)
{
    struct npmscan s = {PG_STRLIST_INIT, 0};
    char **copy;

    if (argc < 1 || !argv) {
        /* No argv: what the command parser kept of it. */
        if (cmd && cmd->index_url)
            take(&s.out, pg_xasprintf("registry=%s", cmd->index_url));
        if (cmd && cmd->global)
            take(&s.out, pg_xstrdup("global=true"));
        return detach(&s.out);
    }
    s.npx = cmd ? cmd->tool == PG_TOOL_NPX : pg_ends_with(argv[0], "npx");
    /* npx-cli.js reads -p as --package, not npm's --parseable. */
    copy = pg_xcalloc((size_t)argc + 1, sizeof(*copy));
    for (int i = 0; i < argc; i++)
        copy[i] = s.npx && i > 0 && !strcmp(argv[i], "-p") ? "--package" : argv[i];
    pg_npmscan(argc, copy, npm_cb, &s);
    free(copy);
    return detach(&s.out);
}

/* ---- pip ------------------------------------------------------------------ */

/*
 * pip's --cert, read as pip reads options: the main parser up to the
 * subcommand, then the subcommand's parser over everything but that word.
 * The last one wins. Borrowed from argv, or NULL.
 */
static const char *pip_cert(int argc, char *const *argv)
{
    struct pg_pipscan s = pg_pipscan_general(argc, argv, 1, 4, 0);
    const struct pg_pipcmd *pc = s.k < argc ? pg_pipcmd_find(argv[s.k]) : NULL;
    unsigned scope = PG_PIPOPT_G | (pc ? pc->scope : 0);
    struct pg_pipopt_iter it;
    const struct pg_pipopt *o;
    const char *val, *word, *cert = NULL;
    int rm = -1, ev;

    for (int i = 1; s.k < argc && i < argc && rm < 0; i++)
        if (strcmp(argv[i], argv[s.k]) == 0)
            rm = i;
    pg_pipopt_iter_init(&it, argc, argv, 1, rm, scope);
    while ((ev = pg_pipopt_next(&it, &o, &val, &word)) != PG_PIPEV_END && ev != PG_PIPEV_NOVALUE)
        if (ev == PG_PIPEV_OPT && val && strcmp(o->name, "--cert") == 0)
            cert = val;
    return cert;
}

char **pg_regconf_pip_cli(const struct pg_cmd *cmd, int argc, char *const *argv)
{
    struct pg_strlist out = PG_STRLIST_INIT;
    const char *cert = argc > 1 && argv ? pip_cert(argc, argv) : NULL;

    if (cmd && cmd->index_url)
        take(&out, pg_xasprintf("index-url=%s", cmd->index_url));
    for (size_t i = 0; cmd && i < cmd->extra_index.n; i++)
        take(&out, pg_xasprintf("extra-index-url=%s", cmd->extra_index.v[i]));
    for (size_t i = 0; cmd && i < cmd->find_links.n; i++)
        take(&out, pg_xasprintf("find-links=%s", cmd->find_links.v[i]));
    if (cmd && cmd->no_index)
        take(&out, pg_xstrdup("no-index"));
    if (cert)
        take(&out, pg_xasprintf("cert=%s", cert));
    /* pip's main(): isolated = "--isolated" in cmd_args, the exact word only. */
    for (int i = 1; argv && i < argc; i++)
        if (strcmp(argv[i], "--isolated") == 0) {
            take(&out, pg_xstrdup("isolated"));
            break;
        }
    return detach(&out);
}

/* ---- the Python behind a pip script -------------------------------------- */

static char *dir_of(const char *p)
{
    const char *s = strrchr(p, '/');

    return s && s != p ? pg_xstrndup(p, (size_t)(s - p)) : pg_xstrdup("/");
}

static int is_file(const char *dir, const char *name)
{
    char *p = pg_xasprintf("%s/%s", pg_streq(dir, "/") ? "" : dir, name);
    struct stat st;
    int ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);

    free(p);
    return ok;
}

/* The first executable `name` on PATH, or NULL. Caller frees. */
static char *on_path(const char *name, const char *(*getenv_fn)(const char *))
{
    const char *path = getenv_fn("PATH");

    for (const char *d = path; d && *d; d = strchr(d, ':') ? strchr(d, ':') + 1 : NULL) {
        size_t n = strcspn(d, ":");
        char *cand;

        if (n == 0 || d[0] != '/')
            continue;
        cand = pg_xasprintf("%.*s/%s", (int)n, d, name);
        if (access(cand, X_OK) == 0)
            return cand;
        free(cand);
    }
    return NULL;
}

/* One word of s (space/tab separated), advancing *s. Caller frees. */
static char *word_at(const char **s)
{
    const char *p = *s + strspn(*s, " \t");
    size_t n = strcspn(p, " \t\r\n");

    *s = p + n;
    return n ? pg_xstrndup(p, n) : NULL;
}

/* pip's launcher for long shebangs: `#!/bin/sh` then `'''exec' "PY" "$0" "$@"`. */
static char *sh_exec_line(const char *buf)
{
    const char *p = strstr(buf, "\n'''exec' \"");
    const char *q;

    if (!p)
        return NULL;
    p += strlen("\n'''exec' \"");
    q = strchr(p, '"');
    return q && !memchr(p, '\n', (size_t)(q - p)) ? pg_xstrndup(p, (size_t)(q - p)) : NULL;
}

/* The interpreter a script names, resolved to an absolute path, or NULL. */
static char *interpreter(const char *buf, const char *(*getenv_fn)(const char *))
{
    const char *p = buf + 2;
    char *interp = word_at(&p), *base, *prog;

    if (!interp || interp[0] != '/') {
        free(interp);
        return NULL;
    }
    base = strrchr(interp, '/') + 1;
    if (pg_streq(base, "env")) {
        while ((prog = word_at(&p)) && prog[0] == '-')
            free(prog); /* env -S and the like */
        free(interp);
        interp = NULL;
        if (prog && strchr(prog, '/') == NULL)
            interp = on_path(prog, getenv_fn);
        free(prog);
    } else if (pg_streq(base, "sh")) {
        free(interp);
        interp = sh_exec_line(buf);
    }
    if (interp && interp[0] != '/') {
        free(interp);
        interp = NULL;
    }
    return interp;
}

char *pg_regconf_python_prefix(const char *pip_path, const char *(*getenv_fn)(const char *))
{
    char buf[SHEBANG_MAX + 1], real[PATH_MAX];
    char *py = NULL, *bin = NULL, *prefix = NULL;
    ssize_t n;
    int fd = pip_path ? open(pip_path, O_RDONLY | O_CLOEXEC) : -1;

    if (fd < 0)
        return NULL;
    n = read(fd, buf, SHEBANG_MAX);
    close(fd);
    if (n < 3 || buf[0] != '#' || buf[1] != '!')
        return NULL;
    buf[n] = '\0';
    if (strlen(buf) != (size_t)n)
        return NULL; /* a NUL: not a text script */
    py = interpreter(buf, getenv_fn);
    if (!py)
        return NULL;
    /* site.py: pyvenv.cfg beside the executable or one level up makes the
     * directory above the executable's the prefix, links left alone. */
    bin = dir_of(py);
    prefix = dir_of(bin);
    if (!is_file(bin, "pyvenv.cfg") && !is_file(prefix, "pyvenv.cfg")) {
        free(prefix);
        prefix = NULL;
        if (realpath(py, real)) {
            free(bin);
            bin = dir_of(real);
            prefix = dir_of(bin);
        }
    }
    free(bin);
    free(py);
    return prefix;
}
