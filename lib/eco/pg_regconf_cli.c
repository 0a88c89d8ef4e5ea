/*
 * pg_regconf_cli.c - the command-line layers for the npm and pip config
 * readers, and the Python prefix behind a pip script.
 *
 * The layers are built from struct pg_cmd alone: the argv readers in
 * shim/cli have already read what npm and pip take from argv (cmd->config,
 * the index options). Copies of values are wiped when freed: npm takes
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

#include "pg_regconf.h"
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

/* Appends a copy of every cmd->config entry (they are wiped with the list). */
static void add_config(struct pg_strlist *out, const struct pg_cmd *cmd)
{
    for (size_t i = 0; cmd && i < cmd->config.n; i++)
        take(out, pg_xstrdup(cmd->config.v[i]));
}

char **pg_regconf_npm_cli(const struct pg_cmd *cmd)
{
    struct pg_strlist out = PG_STRLIST_INIT;

    add_config(&out, cmd);
    return detach(&out);
}

char **pg_regconf_pip_cli(const struct pg_cmd *cmd)
{
    struct pg_strlist out = PG_STRLIST_INIT;

    if (cmd && cmd->index_url)
        take(&out, pg_xasprintf("index-url=%s", cmd->index_url));
    for (size_t i = 0; cmd && i < cmd->extra_index.n; i++)
        take(&out, pg_xasprintf("extra-index-url=%s", cmd->extra_index.v[i]));
    for (size_t i = 0; cmd && i < cmd->find_links.n; i++)
        take(&out, pg_xasprintf("find-links=%s", cmd->find_links.v[i]));
    if (cmd && cmd->no_index)
        take(&out, pg_xstrdup("no-index"));
    add_config(&out, cmd);
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

char *pg_regconf_python_path(const char *pip_path, const char *(*getenv_fn)(const char *))
{
    char buf[SHEBANG_MAX + 1];
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
    return interpreter(buf, getenv_fn);
}

char *pg_regconf_python_prefix(const char *pip_path, const char *(*getenv_fn)(const char *))
{
    char real[PATH_MAX];
    char *py = pg_regconf_python_path(pip_path, getenv_fn), *bin = NULL, *prefix = NULL;

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
