/*
 * test_http.c - pg_http's transport against tests/fixture/faultserver.py on
 * loopback: URL rules, parallel fetches, status codes, timeouts, broken and
 * oversized answers, redirects, TLS. The on-disk cache is test_http_cache.c.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_fx.h"
#include "pg_http_cache.h"
#include "banned.h"

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
    /* A registry the tool is configured with over http: allowed when vouched for. */
    {
        int plain = -1;

        assert_int_equal(pg_http_url_check_plain("http://10.254.0.1:8/", 1, &lo, &plain, &err), 0);
        assert_int_equal(lo, 0);
        assert_int_equal(plain, 1);
        assert_int_equal(pg_http_url_check_plain("http://10.254.0.1:8/", 0, NULL, &plain, &err),
                         -1);
        assert_int_equal(pg_http_url_check_plain("http://127.0.0.1/", 0, NULL, &plain, &err), 0);
        assert_int_equal(plain, 0);
        assert_int_equal(pg_http_url_check_plain("https://a.test/", 0, NULL, &plain, &err), 0);
        assert_int_equal(plain, 0);
        assert_int_equal(pg_http_url_check_plain("ftp://a.test/", 1, NULL, NULL, &err), -1);
    }
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

static void expect_origin(const char *url, const char *want)
{
    char *o = pg_http_url_origin(url);

    if (want)
        assert_string_equal(o, want);
    else
        assert_null(o);
    free(o);
}

/*
 * The one origin rule, for both of its users: pg_http keeps credentials on
 * a redirect only within it, and pg_pipconf sends an index URL's user:pass
 * only to it (the cases of test_pipconf.c's credential tests).
 */
static void test_url_origin(void **state)
{
    (void)state;
    /* Redirect hops: host case and default ports do not matter. */
    expect_origin("https://A.Example/x?q=1#f", "https://a.example:443");
    expect_origin("https://a.example:443/y", "https://a.example:443");
    expect_origin("http://127.0.0.1:8080/x", "http://127.0.0.1:8080");
    expect_origin("http://[::1]/x", "http://[::1]:80");
    expect_origin("https://a.example:8443/", "https://a.example:8443");
    /* Index URLs: userinfo (user:pass, a lone token) is not part of it. */
    expect_origin("https://alice:s%40cret@envfile.example/simple", "https://envfile.example:443");
    expect_origin("https://tok123@tok.example/simple/", "https://tok.example:443");
    expect_origin("https://ENVFILE.example:443/simple/x/", "https://envfile.example:443");
    expect_origin("http://files.example:8080/x", "http://files.example:8080");
    /* No origin, so never any credentials: not a URL, no scheme, unknown scheme. */
    expect_origin("::not a url", NULL);
    expect_origin("envfile.example/simple", NULL);
    expect_origin("git+https://h.example:1/x", NULL);
    expect_origin(NULL, NULL);
    assert_false(pg_http_same_origin("::not a url", "::not a url"));
    assert_true(pg_http_same_origin("https://u:p@a.example/x", "https://A.EXAMPLE:443/y"));
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

/*
 * The client's deadline bounds all its requests together: a fetch that
 * starts before it and would outlast it ends at it, and one that starts
 * after it fails at once, unlike the per-request timeout that restarts
 * with every fetch. Timed against a server that never answers.
 */
static void test_deadline(void **state)
{
    struct env *e = *state;
    struct pg_http_opts o = {.timeout_ms = 1500, .deadline_ms = 2000};
    struct pg_http *h;
    struct pg_http_req r[2] = {PG_HTTP_REQ_INIT, PG_HTTP_REQ_INIT};
    char *hang = url(e, "/hang"), *ok = url(e, "/ok/beside-deadline");
    char *late = url(e, "/ok/after-deadline");
    double t0 = now_s(), t;

    h = client(&o);
    /* Within the deadline the request's own timeout applies. */
    get1(h, hang, &r[0]);
    assert_true(r[0].failed);
    assert_string_equal(r[0].err.msg, "127.0.0.1: timed out after 1.5 s");
    /* The next fetch would time out at 3 s; the deadline ends it at 2 s. */
    t = now_s();
    r[0].url = hang;
    r[1].url = ok;
    assert_int_equal(pg_http_fetch(h, r, 2), 1);
    print_message("deadline: 2 s deadline, second fetch back at %.3f s\n", now_s() - t0);
    assert_true(now_s() - t < 1.2);
    assert_true(now_s() - t0 >= 1.9 && now_s() - t0 < 2.9);
    assert_true(r[0].failed);
    assert_string_equal(r[0].err.msg, "the whole check took longer than the deadline (2s)");
    assert_false(r[1].failed); /* what answered in time is kept */
    /* Past it, nothing more is asked. */
    t = now_s();
    get1(h, late, &r[0]);
    assert_true(now_s() - t < 0.5);
    assert_true(r[0].failed);
    assert_string_equal(r[0].err.msg, "the whole check took longer than the deadline (2s)");
    pg_http_req_release(&r[0]);
    pg_http_req_release(&r[1]);
    pg_http_free(h);
    free(late);
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
    /* Vouching for the request's own origin never extends to a hop elsewhere. */
    r[1].allow_http = 1;
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_rules),
        cmocka_unit_test(test_url_origin),
        cmocka_unit_test(test_refused_url),
        cmocka_unit_test(test_ok_and_parallel),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_connect_refused),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_oversize),
        cmocka_unit_test(test_gzip_and_bytes),
        cmocka_unit_test(test_redirect_credentials),
        cmocka_unit_test(test_redirect_limits),
        cmocka_unit_test(test_tls),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
