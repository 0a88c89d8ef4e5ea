/*
 * cli_fx.h - shared by test_gate.c and test_fetch.c: a private temporary
 * tree and an environment that points every configuration, cache, state
 * and audit path into it, so the code under test reads no file of the
 * machine's user and asks no network (an unroutable proxy catches any
 * attempt: connection refused, never a wait). Also capturing what a call
 * prints on stdout or stderr. Include after cmocka.h; needs nftw()
 * (_XOPEN_SOURCE 700 before any header).
 */
#ifndef CLI_FX_H
#define CLI_FX_H

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pg_policy.h"
#include "pg_util.h"

extern char **environ;

struct cli_fx {
    char root[PATH_MAX];
    char cwd[PATH_MAX]; /* to return to */
    char *audit;        /* $PKGGATE_AUDIT_LOG */
    char *work;         /* the test's cwd: no package.json, .npmrc, ... */
};

static inline char *fx_path(const struct cli_fx *fx, const char *rel)
{
    return pg_xasprintf("%s/%s", fx->root, rel);
}

static inline void fx_mkdir(const struct cli_fx *fx, const char *rel)
{
    char *p = fx_path(fx, rel);

    assert_int_equal(mkdir(p, 0700), 0);
    free(p);
}

static inline void fx_write(const struct cli_fx *fx, const char *rel, const char *text)
{
    char *p = fx_path(fx, rel);
    FILE *f = fopen(p, "w");

    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    free(p);
}

/* Unset every variable whose name starts with prefix (any case). */
static inline void fx_unset_prefix(const char *prefix)
{
    size_t n = strlen(prefix);
    int again = 1;

    while (again) {
        again = 0;
        for (char **e = environ; e && *e; e++) {
            if (strncasecmp(*e, prefix, n) == 0 && strchr(*e, '=')) {
                char *name = pg_xstrndup(*e, (size_t)(strchr(*e, '=') - *e));

                unsetenv(name);
                free(name);
                again = 1; /* environ changed under us: start over */
                break;
            }
        }
    }
}

static inline int fx_setup(struct cli_fx *fx)
{
    static const char *const dirs[] = {"home", "config", "cache", "state", "work", "bin",
                                       "xdgdirs"};
    static const char *const prefixes[] = {"npm_config_", "PIP_", "PKGGATE_", "PYTHON"};
    static const char *const unset[] = {"PREFIX", "DESTDIR", "VIRTUAL_ENV", "NODE_EXTRA_CA_CERTS",
                                        "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE",
                                        "NO_PROXY", "no_proxy"};
    const char *tmpdir = getenv("TMPDIR");
    int n;

    memset(fx, 0, sizeof(*fx));
    n = snprintf(fx->root, sizeof(fx->root), "%s/pg-cli-XXXXXX",
                 tmpdir && *tmpdir == '/' ? tmpdir : "/tmp");
    if (n < 0 || (size_t)n >= sizeof(fx->root) || !mkdtemp(fx->root) ||
        !getcwd(fx->cwd, sizeof(fx->cwd)))
        return -1;
    for (size_t i = 0; i < PG_ARRAY_SIZE(dirs); i++)
        fx_mkdir(fx, dirs[i]);
    for (size_t i = 0; i < PG_ARRAY_SIZE(prefixes); i++)
        fx_unset_prefix(prefixes[i]);
    for (size_t i = 0; i < PG_ARRAY_SIZE(unset); i++)
        unsetenv(unset[i]);
    fx->audit = fx_path(fx, "state/audit.jsonl");
    fx->work = fx_path(fx, "work");
    {
        char *home = fx_path(fx, "home"), *config = fx_path(fx, "config");
        char *cache = fx_path(fx, "cache"), *state = fx_path(fx, "state");
        char *bin = fx_path(fx, "bin"), *xdgdirs = fx_path(fx, "xdgdirs");
        char *netrc = fx_path(fx, "home/no-netrc");

        setenv("HOME", home, 1);
        setenv("XDG_CONFIG_HOME", config, 1);
        setenv("XDG_CONFIG_DIRS", xdgdirs, 1);
        setenv("XDG_CACHE_HOME", cache, 1);
        setenv("XDG_STATE_HOME", state, 1);
        setenv("PATH", bin, 1); /* no real npm/pip: no builtin npmrc, no site pip.conf */
        setenv("NETRC", netrc, 1);
        setenv("PIP_CONFIG_FILE", "/dev/null", 1);
        setenv("PKGGATE_AUDIT_LOG", fx->audit, 1);
        setenv("NO_COLOR", "1", 1);
        /* Port 9 (discard) on loopback: refused at once if anything dials. */
        setenv("https_proxy", "http://127.0.0.1:9", 1);
        setenv("HTTPS_PROXY", "http://127.0.0.1:9", 1);
        setenv("http_proxy", "http://127.0.0.1:9", 1);
        setenv("ALL_PROXY", "http://127.0.0.1:9", 1);
        free(home);
        free(config);
        free(cache);
        free(state);
        free(bin);
        free(xdgdirs);
        free(netrc);
    }
    return chdir(fx->work);
}

static inline int fx_rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static inline int fx_teardown(struct cli_fx *fx)
{
    int rc = chdir(fx->cwd);

    rc |= nftw(fx->root, fx_rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(fx->audit);
    free(fx->work);
    return rc;
}

/* Send fd (1 or 2) to a file until fx_capture_end, which returns its text. */
struct fx_capture {
    int fd, saved;
    char *file;
};

static inline void fx_capture_begin(const struct cli_fx *fx, struct fx_capture *c, int fd)
{
    int tmp;

    fflush(stdout);
    fflush(stderr);
    c->fd = fd;
    c->file = fx_path(fx, fd == 1 ? "stdout.txt" : "stderr.txt");
    c->saved = dup(fd);
    tmp = open(c->file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(c->saved >= 0 && tmp >= 0);
    assert_int_equal(dup2(tmp, fd), fd);
    close(tmp);
}

static inline char *fx_capture_end(struct fx_capture *c)
{
    char *text = NULL;
    size_t len;

    fflush(stdout);
    fflush(stderr);
    assert_int_equal(dup2(c->saved, c->fd), c->fd);
    close(c->saved);
    assert_int_equal(pg_read_file(c->file, 1 << 20, &text, &len, NULL), 0);
    unlink(c->file);
    free(c->file);
    return text;
}

/* The audit log's text ("" when nothing was written); empties it. */
static inline char *fx_audit_take(const struct cli_fx *fx)
{
    char *text = NULL;
    size_t len;

    if (pg_read_file(fx->audit, 1 << 20, &text, &len, NULL) != 0)
        return pg_xstrdup("");
    unlink(fx->audit);
    return text;
}

/* A policy from one JSON text; fails the test on error (cmocka is
 * included before this header). Free with pg_policy_free. */
static inline struct pg_policy *fx_policy(const char *json)
{
    const char *texts[] = {json};
    const char *names[] = {"test.json"};
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;

    if (pg_policy_load_strings(&pol, texts, names, 1, &err) < 0)
        fail_msg("policy: %s", err.msg);
    return pol;
}

#endif
