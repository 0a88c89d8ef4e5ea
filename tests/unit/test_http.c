/*
 * test_http.c - pg_http against tests/fixture/faultserver.py on loopback
 * (plain and TLS, with a CA made by tests/fixture/mkca.sh at test time).
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pg_http.h"
#include "pg_http_cache.h"
#include "pg_util.h"
#include "banned.h"

#define FIXTURE PG_TEST_DATA_DIR "/fixture"

struct env {
    pid_t pid, tls_pid;
    int port, tls_port;
    char tmp[PATH_MAX];
    char cafile[PATH_MAX + 16];
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* fork + execvp; stdout goes to out_fd when >= 0. Returns the child's pid. */
static pid_t spawn(char *const argv[], int out_fd)
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

static int run_wait(char *const argv[])
{
    int status = 0;
    pid_t pid = spawn(argv, -1);

    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Start faultserver.py (TLS when cert is given) and read its port. */
static pid_t start_server(const char *cert, const char *key, int *port)
{
    char script[] = FIXTURE "/faultserver.py";
    char *plain[] = {"python3", script, NULL};
    char *tls[] = {"python3", script, "--tls", (char *)cert, (char *)key, NULL};
    char line[32] = "";
    struct pollfd pfd;
    uint64_t v = 0;
    ssize_t got = 0;
    int p[2];
    pid_t pid;

    if (pipe(p) < 0)
        return -1;
    pid = spawn(cert ? tls : plain, p[1]);
    close(p[1]);
    pfd.fd = p[0];
    pfd.events = POLLIN;
    while (got < (ssize_t)sizeof(line) - 1 && !memchr(line, '\n', (size_t)got) &&
           poll(&pfd, 1, 10000) > 0) {
        ssize_t r = read(p[0], line + got, sizeof(line) - 1 - (size_t)got);

        if (r <= 0)
            break;
        got += r;
        line[got] = '\0';
    }
    close(p[0]);
    line[strcspn(line, "\n")] = '\0';
    if (pg_parse_u64(line, 65535, &v) < 0 || v == 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        return -1;
    }
    *port = (int)v;
    return pid;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int group_setup(void **state)
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

static int group_teardown(void **state)
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

static char *url(const struct env *e, const char *path)
{
    return pg_xasprintf("http://127.0.0.1:%d%s", e->port, path);
}

/* A fresh, not yet existing cache directory under the scratch dir. */
static char *new_cache_dir(const struct env *e)
{
    char *base = pg_xasprintf("%s/cache-XXXXXX", e->tmp);
    char *dir;

    assert_non_null(mkdtemp(base));
    dir = pg_xasprintf("%s/pkggate/http", base);
    free(base);
    return dir;
}

static struct pg_http *client(const struct pg_http_opts *o)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_http *h = pg_http_new(o, &err);

    if (!h)
        fail_msg("pg_http_new: %s", err.msg);
    return h;
}

/* One GET; the caller releases req. */
static void get1(struct pg_http *h, const char *u, struct pg_http_req *req)
{
    req->url = u;
    pg_http_fetch(h, req, 1);
}

/* How many requests (kind "all") or 304s the server saw for path. */
static long server_count(const struct env *e, const char *path, const char *kind)
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


static void test_url_rules(void **state)
{
    struct pg_err err = PG_ERR_INIT;
    int lo = -1;
    char *r;

    (void)state;
    assert_int_equal(pg_http_url_check("https://registry.npmjs.org/x", &lo, &err), 0);
    assert_int_equal(lo, 0);
    assert_int_equal(pg_http_url_check("http://127.0.0.1:8080/x", &lo, &err), 0);
    assert_int_equal(lo, 1);
    assert_int_equal(pg_http_url_check("http://127.9.8.7/x", &lo, &err), 0);
    assert_int_equal(pg_http_url_check("http://[::1]:1/x", &lo, &err), 0);
    assert_int_equal(pg_http_url_check("http://LocalHost/x", &lo, &err), 0);
    assert_int_equal(pg_http_url_check("http://pypi.org/simple/", &lo, &err), -1);
    assert_non_null(strstr(err.msg, "refusing plain http to 'pypi.org'"));
    assert_int_equal(pg_http_url_check("http://128.0.0.1/", NULL, &err), -1);
    assert_int_equal(pg_http_url_check("http://localhost.evil.com/", NULL, &err), -1);
    assert_int_equal(pg_http_url_check("ftp://127.0.0.1/", NULL, &err), -1);
    assert_non_null(strstr(err.msg, "scheme 'ftp'"));
    assert_int_equal(pg_http_url_check("file:///etc/passwd", NULL, &err), -1);
    assert_int_equal(pg_http_url_check("registry.npmjs.org/x", NULL, &err), -1);
    assert_int_equal(pg_http_url_check("https://u:hunter2@[bad/", NULL, &err), -1);
    assert_null(strstr(err.msg, "hunter2"));

    r = pg_http_redact("https://user:hunter2@example.com:8443/a/b?token=hunter2#frag");
    assert_string_equal(r, "https://example.com:8443/a/b?...");
    free(r);
    r = pg_http_redact("https://example.com/a");
    assert_string_equal(r, "https://example.com/a");
    free(r);
    r = pg_http_redact("::nonsense");
    assert_string_equal(r, "<invalid url>");
    free(r);

    assert_true(pg_http_same_origin("https://a.example/x", "https://A.example:443/y"));
    assert_true(pg_http_same_origin("https://u:p@a.example/x", "https://a.example/y"));
    assert_false(pg_http_same_origin("https://a.example/x", "http://a.example/x"));
    assert_false(pg_http_same_origin("https://a.example/x", "https://a.example:8443/x"));
    assert_false(pg_http_same_origin("http://127.0.0.1:1/", "http://localhost:1/"));
}

/* A refused URL fails at once without touching the network. */
static void test_refused_url(void **state)
{
    struct pg_http *h = client(NULL);
    struct pg_http_req r[2] = {PG_HTTP_REQ_INIT, PG_HTTP_REQ_INIT};
    double t0 = now_s();

    (void)state;
    r[0].url = "http://registry.npmjs.org/lodash";
    r[1].url = "gopher://127.0.0.1/";
    assert_int_equal(pg_http_fetch(h, r, 2), 2);
    assert_true(now_s() - t0 < 0.5);
    assert_true(r[0].failed && r[1].failed);
    assert_string_equal(r[0].err.msg, "refusing plain http to 'registry.npmjs.org': only "
                                      "https, or http to a loopback host");
    pg_http_req_release(&r[0]);
    pg_http_req_release(&r[1]);
    pg_http_free(h);
}

static void test_ok_and_parallel(void **state)
{
    enum { N = 20, DELAY_MS = 400 };
    struct env *e = *state;
    struct pg_http *h = client(NULL);
    struct pg_http_req r[N];
    char *urls[N];
    double t1, tn;

    for (int i = 0; i < N; i++) {
        char *p = pg_xasprintf("/slow?ms=%d&i=%d", DELAY_MS, i);

        urls[i] = url(e, p);
        free(p);
        r[i] = (struct pg_http_req)PG_HTTP_REQ_INIT;
        r[i].url = urls[i];
    }
    t1 = now_s();
    assert_int_equal(pg_http_fetch(h, r, 1), 0);
    t1 = now_s() - t1;
    tn = now_s();
    assert_int_equal(pg_http_fetch(h, r, N), 0);
    tn = now_s() - tn;
    for (int i = 0; i < N; i++) {
        char want[32];

        (void)snprintf(want, sizeof(want), "slow %d", i);
        assert_int_equal(r[i].status, 200);
        assert_string_equal(r[i].body, want);
        assert_int_equal(r[i].len, strlen(want));
        assert_false(r[i].from_cache);
        pg_http_req_release(&r[i]);
        free(urls[i]);
    }
    print_message("parallel: 1 request %.3f s, %d in parallel %.3f s (serial would be %.1f s)\n",
                  t1, N, tn, N * DELAY_MS / 1000.0);
    /* One round trip of wall time, not N. */
    assert_true(tn < 2.5 * DELAY_MS / 1000.0);
    pg_http_free(h);
}

static void test_etag_revalidation(void **state)
{
    struct env *e = *state;
    char *dir = new_cache_dir(e);
    struct pg_http_opts o = {.cache_dir = dir};
    struct pg_http *h = client(&o);
    struct pg_http_req r = PG_HTTP_REQ_INIT;
    char *u = url(e, "/ok/etag1"), *path;
    struct stat st;
    struct timespec old[2] = {{time(NULL) - 1000, 0}, {time(NULL) - 1000, 0}};

    get1(h, u, &r);
    assert_false(r.failed);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "ok /ok/etag1\n");
    assert_string_equal(r.content_type, "text/plain");
    assert_false(r.from_cache);
    assert_int_equal(server_count(e, "/ok/etag1", "all"), 1);

    /* Fresh: served from disk, no request at all. */
    get1(h, u, &r);
    assert_true(r.from_cache);
    assert_false(r.stale);
    assert_string_equal(r.body, "ok /ok/etag1\n");
    assert_int_equal(server_count(e, "/ok/etag1", "all"), 1);

    /* Private cache: 0700 directory, 0600 file. */
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    path = pg_http_cache_path(dir, u, NULL);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* Past max-age: a conditional request, a 304, the cached body. */
    assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
    get1(h, u, &r);
    assert_false(r.failed);
    assert_int_equal(r.status, 200);
    assert_true(r.from_cache);
    assert_string_equal(r.body, "ok /ok/etag1\n");
    assert_int_equal(server_count(e, "/ok/etag1", "all"), 2);
    assert_int_equal(server_count(e, "/ok/etag1", "304"), 1);

    /* The 304 refreshed the entry: fresh again, no request. */
    get1(h, u, &r);
    assert_true(r.from_cache);
    assert_int_equal(server_count(e, "/ok/etag1", "all"), 2);

    /* Accept is part of the key. */
    r.accept = "application/json";
    get1(h, u, &r);
    assert_false(r.from_cache);
    assert_int_equal(server_count(e, "/ok/etag1", "all"), 3);

    pg_http_req_release(&r);
    pg_http_free(h);
    free(path);
    free(u);
    free(dir);
}

static void test_status(void **state)
{
    struct env *e = *state;
    char *dir = new_cache_dir(e);
    struct pg_http_opts o = {.cache_dir = dir};
    struct pg_http *h = client(&o);
    struct pg_http_req r[3] = {PG_HTTP_REQ_INIT, PG_HTTP_REQ_INIT, PG_HTTP_REQ_INIT};
    char *u404 = url(e, "/status/404"), *u500 = url(e, "/status/500?x=secret");
    char *u410 = url(e, "/status/410");

    r[0].url = u404;
    r[1].url = u500;
    r[2].url = u410;
    assert_int_equal(pg_http_fetch(h, r, 3), 1);
    /* 404: not a failure, the caller decides. */
    assert_false(r[0].failed);
    assert_int_equal(r[0].status, 404);
    assert_false(r[2].failed);
    assert_int_equal(r[2].status, 410);
    assert_true(r[1].failed);
    assert_int_equal(r[1].status, 500);
    assert_true(pg_starts_with(r[1].err.msg, "HTTP 500 from http://127.0.0.1:"));
    assert_non_null(strstr(r[1].err.msg, "/status/500?..."));
    assert_null(strstr(r[1].err.msg, "secret"));
    /* Only 200s are cached: a 404 asks again next time. */
    assert_int_equal(pg_http_fetch(h, r, 1), 0);
    assert_false(r[0].from_cache);
    assert_int_equal(server_count(e, "/status/404", "all"), 2);
    for (int i = 0; i < 3; i++)
        pg_http_req_release(&r[i]);
    pg_http_free(h);
    free(u404);
    free(u500);
    free(u410);
    free(dir);
}

/* A server that never answers: back after the 1 s timeout, not later. */
static void test_timeout(void **state)
{
    struct env *e = *state;
    struct pg_http_opts o = {.timeout_ms = 1000};
    struct pg_http *h = client(&o);
    struct pg_http_req r[2] = {PG_HTTP_REQ_INIT, PG_HTTP_REQ_INIT};
    char *hang = url(e, "/hang"), *ok = url(e, "/ok/beside-hang");
    double t = now_s();

    r[0].url = hang;
    r[1].url = ok;
    assert_int_equal(pg_http_fetch(h, r, 2), 1);
    t = now_s() - t;
    print_message("timeout: 1 s limit returned after %.3f s\n", t);
    assert_true(t >= 0.9 && t < 2.0);
    assert_true(r[0].failed);
    assert_string_equal(r[0].err.msg, "127.0.0.1: timed out after 1 s");
    /* The other request is not dragged down with it. */
    assert_false(r[1].failed);
    assert_int_equal(r[1].status, 200);
    pg_http_req_release(&r[0]);
    pg_http_req_release(&r[1]);
    pg_http_free(h);
    free(hang);
    free(ok);
}

/* Nothing listens on the port: a clear connect error, quickly. */
static void test_connect_refused(void **state)
{
    struct pg_http *h = client(NULL);
    struct pg_http_req r = PG_HTTP_REQ_INIT;

    (void)state;
    get1(h, "http://127.0.0.1:1/x", &r);
    assert_true(r.failed);
    assert_true(pg_starts_with(r.err.msg, "127.0.0.1: "));
    pg_http_req_release(&r);
    pg_http_free(h);
}

static void test_truncated(void **state)
{
    struct env *e = *state;
    char *dir = new_cache_dir(e);
    struct pg_http_opts o = {.cache_dir = dir};
    struct pg_http *h = client(&o);
    struct pg_http_req r = PG_HTTP_REQ_INIT;
    char *u = url(e, "/truncated"), *path = pg_http_cache_path(dir, u, NULL);

    get1(h, u, &r);
    assert_true(r.failed);
    assert_null(r.body);
    assert_true(pg_ends_with(r.err.msg, "/truncated: response truncated (connection closed early)"));
    /* A partial body is never cached. */
    assert_int_equal(access(path, F_OK), -1);
    pg_http_req_release(&r);
    pg_http_free(h);
    free(path);
    free(u);
    free(dir);
}

static void test_oversize(void **state)
{
    struct env *e = *state;
    struct pg_http_opts o = {.max_body = 1000};
    struct pg_http *h = client(&o);
    struct pg_http_req r[4] = {PG_HTTP_REQ_INIT, PG_HTTP_REQ_INIT, PG_HTTP_REQ_INIT,
                               PG_HTTP_REQ_INIT};
    char *u[4] = {url(e, "/big?n=5000"), url(e, "/bigchunked?n=5000"), url(e, "/gzip?n=5000"),
                  url(e, "/big?n=1000")};

    for (int i = 0; i < 4; i++)
        r[i].url = u[i];
    assert_int_equal(pg_http_fetch(h, r, 4), 3);
    /* Content-Length up front, counting while streaming, and after gunzip. */
    assert_true(pg_ends_with(r[0].err.msg, "/big?...: response larger than 1000 bytes"));
    assert_true(pg_ends_with(r[1].err.msg, "/bigchunked?...: response larger than 1000 bytes"));
    assert_true(pg_ends_with(r[2].err.msg, "/gzip?...: response larger than 1000 bytes"));
    /* Exactly at the limit is fine. */
    assert_false(r[3].failed);
    assert_int_equal(r[3].len, 1000);
    for (int i = 0; i < 4; i++) {
        pg_http_req_release(&r[i]);
        free(u[i]);
    }
    pg_http_free(h);

    /* The default limit is 64 MiB and says so. */
    h = client(NULL);
    assert_int_equal(PG_HTTP_DEFAULT_MAX_BODY, (size_t)64 << 20);
    pg_http_free(h);
}

static void test_gzip_and_bytes(void **state)
{
    static const char want[] = "{\"name\":\"\xc3\x28\xff\xfe\"}\0tail";
    struct env *e = *state;
    struct pg_http *h = client(NULL);
    struct pg_http_req r[2] = {PG_HTTP_REQ_INIT, PG_HTTP_REQ_INIT};
    char *u1 = url(e, "/badutf8"), *u2 = url(e, "/gzip?n=3000");

    r[0].url = u1;
    r[1].url = u2;
    assert_int_equal(pg_http_fetch(h, r, 2), 0);
    /* Bytes pass through untouched, NULs and invalid UTF-8 included. */
    assert_int_equal(r[0].len, sizeof(want) - 1);
    assert_memory_equal(r[0].body, want, sizeof(want) - 1);
    assert_string_equal(r[0].content_type, "application/json");
    /* gzip is decoded. */
    assert_int_equal(r[1].len, 3000);
    assert_int_equal(r[1].body[0], 0);
    assert_int_equal(r[1].body[2999], 0);
    pg_http_req_release(&r[0]);
    pg_http_req_release(&r[1]);
    pg_http_free(h);
    free(u1);
    free(u2);
}

/* The auth header and URL userinfo reach the request's own origin only. */
static void test_redirect_credentials(void **state)
{
    struct env *e = *state;
    struct pg_http *h = client(NULL);
    struct pg_http_req r[5];
    char *u[5];
    int p = e->port;

    u[0] = pg_xasprintf("http://127.0.0.1:%d/redirect?to=/echo-auth", p);
    u[1] = pg_xasprintf("http://127.0.0.1:%d/redirect?code=307&to=http://localhost:%d/echo-auth",
                        p, p);
    u[2] = pg_xasprintf("http://127.0.0.1:%d/redirect?to=http://localhost:%d/needauth", p, p);
    u[3] = pg_xasprintf("http://user:hunter2@127.0.0.1:%d/redirect?to=/echo-auth", p);
    u[4] = pg_xasprintf("http://user:hunter2@127.0.0.1:%d/redirect?to=http://localhost:%d/echo-auth",
                        p, p);
    for (int i = 0; i < 5; i++) {
        r[i] = (struct pg_http_req)PG_HTTP_REQ_INIT;
        r[i].url = u[i];
        r[i].auth = i < 3 ? "Bearer s3cret" : NULL;
    }
    assert_int_equal(pg_http_fetch(h, r, 5), 1);
    /* Same origin: the header follows. */
    assert_string_equal(r[0].body, "Bearer s3cret");
    /* Another host (same port): it does not. */
    assert_string_equal(r[1].body, "-");
    assert_true(pg_ends_with(r[1].final_url, "/echo-auth"));
    assert_true(pg_starts_with(r[1].final_url, "http://localhost:"));
    /* And when the other host wants credentials, the message says why. */
    assert_true(r[2].failed);
    assert_int_equal(r[2].status, 401);
    assert_true(pg_ends_with(r[2].err.msg, "/needauth (redirect to another host dropped "
                                           "credentials)"));
    assert_null(strstr(r[2].err.msg, "s3cret"));
    /* URL userinfo: basic auth on the own origin only; never in final_url. */
    assert_string_equal(r[3].body, "Basic dXNlcjpodW50ZXIy");
    assert_null(strstr(r[3].final_url, "hunter2"));
    assert_string_equal(r[4].body, "-");
    for (int i = 0; i < 5; i++) {
        pg_http_req_release(&r[i]);
        free(u[i]);
    }
    pg_http_free(h);
}

static void test_redirect_limits(void **state)
{
    struct env *e = *state;
    struct pg_http *h = client(NULL);
    struct pg_http_req r[3] = {PG_HTTP_REQ_INIT, PG_HTTP_REQ_INIT, PG_HTTP_REQ_INIT};
    char *loop = url(e, "/redirect");
    char *plain = url(e, "/redirect?to=http://example.invalid/simple/");
    /* Three hops: each level of %-encoding peels off at one redirect. */
    char *chain = url(e, "/redirect?to=/redirect%3Fto%3D/redirect%253Fto%253D/ok/chain");
    long before = server_count(e, "/redirect", "all");

    r[0].url = loop;
    r[1].url = plain;
    r[2].url = chain;
    assert_int_equal(pg_http_fetch(h, r, 3), 2);
    assert_true(r[0].failed);
    assert_true(pg_starts_with(r[0].err.msg, "more than 5 redirects from http://127.0.0.1:"));
    /* The first request and 5 followed hops, then it stops. */
    assert_int_equal(server_count(e, "/redirect", "all") - before, 6 + 1 + 3);
    /* Every hop obeys the scheme rule: no plain http off loopback. */
    assert_true(r[1].failed);
    assert_non_null(strstr(r[1].err.msg, "refused: refusing plain http to 'example.invalid'"));
    assert_false(r[2].failed);
    assert_string_equal(r[2].body, "ok /ok/chain\n");
    for (int i = 0; i < 3; i++)
        pg_http_req_release(&r[i]);
    pg_http_free(h);
    free(loop);
    free(plain);
    free(chain);
}

static void test_tls(void **state)
{
    struct env *e = *state;
    struct pg_http_opts trusting = {.cafile = e->cafile};
    struct pg_http *h = client(NULL);
    struct pg_http_req r[2] = {PG_HTTP_REQ_INIT, PG_HTTP_REQ_INIT};
    char *u1 = pg_xasprintf("https://127.0.0.1:%d/ok/tls", e->tls_port);
    char *u2 = pg_xasprintf("https://localhost:%d/ok/tls", e->tls_port);

    /* Our test CA is not in the system bundle. */
    get1(h, u1, &r[0]);
    assert_true(r[0].failed);
    assert_true(pg_starts_with(r[0].err.msg, "127.0.0.1: TLS certificate problem: "));
    pg_http_free(h);

    h = client(&trusting);
    r[0].url = u1;
    r[1].url = u2;
    assert_int_equal(pg_http_fetch(h, r, 2), 0);
    assert_string_equal(r[0].body, "ok /ok/tls\n");
    assert_string_equal(r[1].body, "ok /ok/tls\n");
    pg_http_req_release(&r[0]);
    pg_http_req_release(&r[1]);
    pg_http_free(h);
    free(u1);
    free(u2);
}

static void test_offline(void **state)
{
    struct env *e = *state;
    char *dir = new_cache_dir(e);
    struct pg_http_opts on = {.cache_dir = dir}, off = {.cache_dir = dir, .offline = 1};
    struct pg_http *h = client(&on);
    struct pg_http_req r = PG_HTTP_REQ_INIT;
    char *u = url(e, "/ok/offline"), *miss = url(e, "/ok/never-fetched");
    char *path = pg_http_cache_path(dir, u, NULL);
    struct timespec old[2] = {{time(NULL) - 100000, 0}, {time(NULL) - 100000, 0}};

    get1(h, u, &r);
    assert_false(r.failed);
    pg_http_free(h);
    /* Offline: any age is served, old entries marked stale; no request. */
    assert_int_equal(utimensat(AT_FDCWD, path, old, 0), 0);
    h = client(&off);
    get1(h, u, &r);
    assert_false(r.failed);
    assert_true(r.from_cache);
    assert_true(r.stale);
    assert_string_equal(r.body, "ok /ok/offline\n");
    assert_int_equal(server_count(e, "/ok/offline", "all"), 1);
    get1(h, miss, &r);
    assert_true(r.failed);
    assert_string_equal(r.err.msg, "offline and not in the cache");
    assert_int_equal(server_count(e, "/ok/never-fetched", "all"), 0);
    pg_http_req_release(&r);
    pg_http_free(h);
    free(path);
    free(miss);
    free(u);
    free(dir);
}

/* Overwrite len bytes at off (off < 0: from the end) or truncate to off. */
static void damage(const char *path, long off, const char *bytes, int truncate_it)
{
    int fd = open(path, O_RDWR);
    off_t size = lseek(fd, 0, SEEK_END);

    assert_true(fd >= 0);
    if (truncate_it)
        assert_int_equal(ftruncate(fd, off), 0);
    else
        assert_int_equal(pwrite(fd, bytes, strlen(bytes), off < 0 ? size + off : off),
                         (ssize_t)strlen(bytes));
    close(fd);
}

static void test_corrupt_cache(void **state)
{
    struct env *e = *state;
    char *dir = new_cache_dir(e);
    struct pg_http_opts o = {.cache_dir = dir};
    struct pg_http *h = client(&o);
    struct pg_http_req r = PG_HTTP_REQ_INIT;
    struct pg_http_cache_entry ce = PG_HTTP_CACHE_ENTRY_INIT;
    struct pg_err err = PG_ERR_INIT;
    char *u = url(e, "/ok/corrupt"), *path = pg_http_cache_path(dir, u, NULL);
    static const struct {
        long off;
        const char *bytes;
        int truncate_it;
        const char *why;
    } cases[] = {
        {-3, "XX", 0, "corrupt: checksum mismatch"},
        {-3, NULL, 1, "corrupt: checksum mismatch"},
        {0, "garbage", 0, "corrupt: not a cache file"},
        {10, NULL, 1, "corrupt: not a cache file"},
        {0, NULL, 1, "corrupt: not a cache file"},
    };

    get1(h, u, &r);
    assert_int_equal(pg_http_cache_load(path, 1 << 20, &ce, &err), 0);
    assert_string_equal(ce.etag, "\"v1-corrupt\"");
    assert_string_equal(ce.body, "ok /ok/corrupt\n");
    for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
        long before = server_count(e, "/ok/corrupt", "all");
        off_t size;
        struct stat st;

        assert_int_equal(stat(path, &st), 0);
        size = st.st_size;
        damage(path, cases[i].truncate_it && cases[i].off < 0 ? size + cases[i].off : cases[i].off,
               cases[i].bytes, cases[i].truncate_it);
        assert_int_equal(pg_http_cache_load(path, 1 << 20, &ce, &err), -1);
        assert_string_equal(err.msg, cases[i].why);
        assert_null(ce.body);
        /* A miss, never a crash: the network answers and the file is rewritten. */
        get1(h, u, &r);
        assert_false(r.failed);
        assert_false(r.from_cache);
        assert_string_equal(r.body, "ok /ok/corrupt\n");
        assert_int_equal(server_count(e, "/ok/corrupt", "all"), before + 1);
        assert_int_equal(pg_http_cache_load(path, 1 << 20, &ce, &err), 0);
    }
    /* An entry over the body limit is a miss too. */
    assert_int_equal(pg_http_cache_load(path, 4, &ce, &err), -1);
    pg_http_cache_entry_release(&ce);
    pg_http_req_release(&r);
    pg_http_free(h);
    free(path);
    free(u);
    free(dir);
}

enum { WRITERS = 4, ROUNDS = 40, UNIT = 40000 };

/* Writer k: bodies of one repeated letter, sized by k and round. */
static PG_NORETURN void writer(const char *path, int k)
{
    for (int i = 0; i < ROUNDS; i++) {
        struct pg_http_cache_entry w = PG_HTTP_CACHE_ENTRY_INIT;

        w.status = 200;
        w.etag = "\"w\"";
        w.len = (size_t)(k + 1) * UNIT + (size_t)i;
        w.body = pg_xmalloc(w.len);
        memset(w.body, 'a' + k, w.len);
        if (pg_http_cache_store(path, &w, NULL) < 0)
            _exit(1);
        free(w.body);
    }
    _exit(0);
}

/* Several processes rewriting one key while another reads it. */
static void test_concurrent_writers(void **state)
{
    struct env *e = *state;
    char *dir = new_cache_dir(e);
    char *path;
    pid_t kids[WRITERS];
    struct pg_http_cache_entry ce = PG_HTTP_CACHE_ENTRY_INIT;
    struct pg_err err = PG_ERR_INIT;
    int hits = 0, running = WRITERS;
    DIR *d;
    struct dirent *de;

    assert_int_equal(pg_http_cache_prepare(dir, &err), 0);
    path = pg_http_cache_path(dir, "https://example.com/same-key", NULL);
    for (int k = 0; k < WRITERS; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0)
            writer(path, k);
    }
    while (running > 0) {
        int status;
        pid_t done = waitpid(-1, &status, WNOHANG);

        if (done > 0) {
            assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
            running--;
        }
        if (pg_http_cache_load(path, 1 << 20, &ce, &err) < 0) {
            /* Before the first rename only. */
            assert_string_equal(err.msg, "not cached");
            continue;
        }
        hits++;
        /* Whole entries only: one writer's body, of that writer's size. */
        assert_true(ce.len > 0 && ce.body[0] >= 'a' && ce.body[0] < 'a' + WRITERS);
        assert_true(ce.len / UNIT == (size_t)(ce.body[0] - 'a' + 1));
        for (size_t i = 0; i < ce.len; i++)
            if (ce.body[i] != ce.body[0])
                fail_msg("mixed body at byte %zu", i);
    }
    assert_int_equal(pg_http_cache_load(path, 1 << 20, &ce, &err), 0);
    print_message("concurrent writers: %d consistent reads while %d processes wrote\n", hits,
                  WRITERS);
    /* No temporary files left behind. */
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d)))
        assert_false(pg_starts_with(de->d_name, ".tmp-"));
    closedir(d);
    pg_http_cache_entry_release(&ce);
    free(path);
    free(dir);
}

static void test_cache_dir_rules(void **state)
{
    struct env *e = *state;
    struct pg_err err = PG_ERR_INIT;
    struct pg_http_opts o = {0};
    char *dir = new_cache_dir(e), *file;
    int fd;

    /* Parents are created too, and the directory is private. */
    assert_int_equal(pg_http_cache_prepare(dir, &err), 0);
    assert_int_equal(chmod(dir, 0777), 0);
    o.cache_dir = dir;
    assert_null(pg_http_new(&o, &err));
    assert_true(pg_ends_with(err.msg, "/pkggate/http' is writable by other users"));
    assert_int_equal(chmod(dir, 0755), 0);
    assert_int_equal(pg_http_cache_prepare(dir, &err), 0);
    file = pg_xasprintf("%s/plain-file", dir);
    fd = open(file, O_CREAT | O_WRONLY, 0600);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(pg_http_cache_prepare(file, &err), -1);
    assert_true(pg_ends_with(err.msg, "/plain-file' is not a directory"));
    free(file);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_rules),
        cmocka_unit_test(test_refused_url),
        cmocka_unit_test(test_ok_and_parallel),
        cmocka_unit_test(test_etag_revalidation),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_connect_refused),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_oversize),
        cmocka_unit_test(test_gzip_and_bytes),
        cmocka_unit_test(test_redirect_credentials),
        cmocka_unit_test(test_redirect_limits),
        cmocka_unit_test(test_tls),
        cmocka_unit_test(test_offline),
        cmocka_unit_test(test_corrupt_cache),
        cmocka_unit_test(test_concurrent_writers),
        cmocka_unit_test(test_cache_dir_rules),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
