/*
 * http_fx.h - the scratch world of test_http.c and test_http_cache.c:
 * tests/fixture/faultserver.py on loopback, plain and TLS (with a CA made by
 * tests/fixture/mkca.sh at test time), as cmocka group state, and small
 * helpers to fetch from it. Include after cmocka.h.
 */
#ifndef HTTP_FX_H
#define HTTP_FX_H

#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pg_http.h"
#include "pg_util.h"
#include "fx_port.h"

#define FIXTURE PG_TEST_DATA_DIR "/fixture"

struct env {
    pid_t pid, tls_pid;
    int port, tls_port;
    char tmp[PATH_MAX];
    char cafile[PATH_MAX + 16];
};

static inline double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* fork + execvp; stdout goes to out_fd when >= 0. Returns the child's pid. */
static inline pid_t spawn(char *const argv[], int out_fd)
{
    pid_t pid = fork();

    if (pid == 0) {
        if (out_fd >= 0)
            dup2(out_fd, 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static inline int run_wait(char *const argv[])
{
    int status = 0;
    pid_t pid = spawn(argv, -1);

    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Start faultserver.py (TLS when cert is given) and read its port. */
static inline pid_t start_server(const char *cert, const char *key, int *port)
{
    char script[] = FIXTURE "/faultserver.py";
    char *plain[] = {"python3", script, NULL};
    char *tls[] = {"python3", script, "--tls", (char *)cert, (char *)key, NULL};
    int p[2];
    pid_t pid;

    if (pipe(p) < 0)
        return -1;
    pid = spawn(cert ? tls : plain, p[1]);
    close(p[1]);
    *port = fx_read_port(p[0]);
    if (*port < 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
}

static inline int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static inline int group_setup(void **state)
{
    struct env *e = pg_xcalloc(1, sizeof(*e));
    char cert[PATH_MAX + 16], key[PATH_MAX + 16];
    char script[] = FIXTURE "/mkca.sh";
    char *mkca[] = {"sh", script, e->tmp, NULL};
    const char *t = getenv("TMPDIR");

    (void)snprintf(e->tmp, sizeof(e->tmp), "%s/pg-http-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(e->tmp) || run_wait(mkca) != 0)
        return -1;
    (void)snprintf(e->cafile, sizeof(e->cafile), "%s/ca.pem", e->tmp);
    (void)snprintf(cert, sizeof(cert), "%s/server.pem", e->tmp);
    (void)snprintf(key, sizeof(key), "%s/server.key", e->tmp);
    e->pid = start_server(NULL, NULL, &e->port);
    e->tls_pid = start_server(cert, key, &e->tls_port);
    if (e->pid < 0 || e->tls_pid < 0)
        return -1;
    *state = e;
    return 0;
}

static inline int group_teardown(void **state)
{
    struct env *e = *state;

    if (!e)
        return 0;
    kill(e->pid, SIGTERM);
    kill(e->tls_pid, SIGTERM);
    waitpid(e->pid, NULL, 0);
    waitpid(e->tls_pid, NULL, 0);
    nftw(e->tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(e);
    return 0;
}

static inline char *url(const struct env *e, const char *path)
{
    return pg_xasprintf("http://127.0.0.1:%d%s", e->port, path);
}

/* A fresh, not yet existing cache directory under the scratch dir. */
static inline char *new_cache_dir(const struct env *e)
{
    char *base = pg_xasprintf("%s/cache-XXXXXX", e->tmp);
    char *dir;

    assert_non_null(mkdtemp(base));
    dir = pg_xasprintf("%s/pkggate/http", base);
    free(base);
    return dir;
}

static inline struct pg_http *client(const struct pg_http_opts *o)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_http *h = pg_http_new(o, &err);

    if (!h)
        fail_msg("pg_http_new: %s", err.msg);
    return h;
}

/* One GET; the caller releases req. */
static inline void get1(struct pg_http *h, const char *u, struct pg_http_req *req)
{
    req->url = u;
    pg_http_fetch(h, req, 1);
}

/* How many requests (kind "all") or 304s the server saw for path. */
static inline long server_count(const struct env *e, const char *path, const char *kind)
{
    struct pg_http *h = client(NULL);
    struct pg_http_req r = PG_HTTP_REQ_INIT;
    char *q = pg_xasprintf("/_count?p=%s&kind=%s", path, kind);
    char *u = url(e, q);
    uint64_t v = 0;

    get1(h, u, &r);
    assert_false(r.failed);
    assert_int_equal(pg_parse_u64(r.body, 1000000, &v), 0);
    pg_http_req_release(&r);
    pg_http_free(h);
    free(u);
    free(q);
    return (long)v;
}

#endif
