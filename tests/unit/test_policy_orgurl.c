/*
 * test_policy_orgurl.c - the signed org layer fetched from a URL, served
 * by tests/fixture/policyserver.py on loopback: ETag revalidation, the
 * refresh window, a torn pair in the cache, the cached copy when the
 * network fails (only while it verifies, has not expired and is not older
 * than the record), offline, and answers that must not fall back.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pg_http.h"
#include "pg_http_cache.h"
#include "policy_org_fx.h"
#include "banned.h"

#define WARN_POLICY    "{\"mode\": \"warn\"}\n"
#define ENFORCE_POLICY "{\"mode\": \"enforce\", \"deny\": [\"pkg:pypi/evil\"]}\n"

static char *url(const struct fx *f, const char *path)
{
    return pg_xasprintf("http://127.0.0.1:%d%s", f->port, path);
}

/* Serve text as www/policy.json, signed, and point the anchor at it. */
static void serve(const struct fx *f, const char *text, int64_t serial, const char *expires,
                  const char *refresh)
{
    char *www = pg_xasprintf("%s/policy.json", f->www), *u = url(f, "/policy.json");

    publish(f, www, text, 0, serial, expires);
    anchor(f, ", \"url\": \"%s\", \"refresh\": \"%s\"", u, refresh);
    free(www);
    free(u);
}

/* How many requests (kind "all") or 304 answers the server saw for path. */
static long count(const struct fx *f, const char *path, const char *kind)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_http *h = pg_http_new(NULL, &err);
    struct pg_http_req r = PG_HTTP_REQ_INIT;
    char *q = pg_xasprintf("/_count?p=%s&kind=%s", path, kind), *u = url(f, q);
    uint64_t v = 0;

    assert_non_null(h);
    r.url = u;
    pg_http_fetch(h, &r, 1);
    assert_int_equal(r.failed, 0);
    assert_int_equal(pg_parse_u64(r.body, 1000000, &v), 0);
    pg_http_req_release(&r);
    pg_http_free(h);
    free(u);
    free(q);
    return (long)v;
}

static void test_fetch_and_revalidate(void **state)
{
    struct fx *f = *state;
    char *u;
    struct pg_policy *pol;
    const struct pg_policy_orginfo *org;
    size_t n;

    start_server(f);
    u = url(f, "/policy.json");
    serve(f, WARN_POLICY, 2, NULL, "0");
    /* With a URL the local file is not read, signed or not. */
    put(f->policy, "{\"mode\": \"audit\"}\n");
    pol = load_ok(f);
    assert_int_equal(pg_policy_mode(pol), PG_MODE_WARN);
    assert_string_equal(pg_policy_layers(pol, &n)[1], u);
    org = pg_policy_org_info(pol);
    assert_string_equal(org->source, u);
    assert_int_equal(org->serial, 2);
    assert_int_equal(org->cached, 0);
    assert_null(org->fetch_error);
    pg_policy_free(pol);
    assert_int_equal(recorded(f), 2);
    /* refresh "0": every load revalidates both with their ETags. */
    pg_policy_free(load_ok(f));
    assert_int_equal(count(f, "/policy.json", "all"), 2);
    assert_int_equal(count(f, "/policy.json", "304"), 1);
    assert_int_equal(count(f, "/policy.json.minisig", "304"), 1);
    /* A new release is picked up and recorded. */
    serve(f, ENFORCE_POLICY, 3, NULL, "0");
    pol = load_ok(f);
    assert_int_equal(pg_policy_mode(pol), PG_MODE_ENFORCE);
    assert_int_equal(pg_policy_org_info(pol)->serial, 3);
    pg_policy_free(pol);
    assert_int_equal(recorded(f), 3);
    free(u);
}

static void test_refresh_window(void **state)
{
    struct fx *f = *state;

    start_server(f);
    serve(f, WARN_POLICY, 1, NULL, "1h");
    pg_policy_free(load_ok(f));
    pg_policy_free(load_ok(f));
    pg_policy_free(load_ok(f));
    assert_int_equal(count(f, "/policy.json", "all"), 1);
    assert_int_equal(count(f, "/policy.json.minisig", "all"), 1);
}

/* Policy and signature updated between two GETs: the pair is fetched again. */
static void test_torn_pair(void **state)
{
    struct fx *f = *state;
    char *sigurl, *path;
    struct pg_policy *pol;

    start_server(f);
    serve(f, WARN_POLICY, 1, NULL, "1h");
    pg_policy_free(load_ok(f));
    serve(f, ENFORCE_POLICY, 2, NULL, "1h");
    /* Cached policy 1 is still fresh; the signature must come anew (signature 2). */
    sigurl = url(f, "/policy.json.minisig");
    path = pg_http_cache_path(f->cache, sigurl, NULL);
    assert_int_equal(unlink(path), 0);
    pol = load_ok(f);
    assert_int_equal(pg_policy_mode(pol), PG_MODE_ENFORCE);
    assert_int_equal(pg_policy_org_info(pol)->serial, 2);
    pg_policy_free(pol);
    assert_int_equal(count(f, "/policy.json", "all"), 2);
    free(path);
    free(sigurl);
}

static void test_network_failure(void **state)
{
    struct fx *f = *state;
    const struct pg_policy_orginfo *org;
    struct pg_policy *pol;
    char *rec;

    start_server(f);
    serve(f, WARN_POLICY, 2, "2030-06-15T12:00:00Z", "0");
    f->p.now = T2030 - 60;
    pg_policy_free(load_ok(f));
    stop_server(f);
    /* Down: the cached pair stands in, verified, and says why. */
    pol = load_ok(f);
    org = pg_policy_org_info(pol);
    assert_int_equal(pg_policy_mode(pol), PG_MODE_WARN);
    assert_int_equal(org->cached, 1);
    assert_non_null(org->fetch_error);
    assert_non_null(strstr(org->fetch_error, "127.0.0.1"));
    assert_int_equal(org->serial, 2);
    pg_policy_free(pol);
    /* ...but not once it has expired, */
    f->p.now = T2030;
    load_fails(f, "no usable cached copy (signature expired on 2030-06-15T12:00:00Z)");
    /* nor when it is older than the serial on record, */
    f->p.now = T2030 - 60;
    rec = pg_xasprintf("%s/org-serial-%s", f->state, f->k->id[0]);
    put(rec, "5\n");
    load_fails(f, "serial 2 is older than the last accepted serial 5");
    unlink(rec);
    /* and without a cache there is nothing to fall back on. */
    f->p.cache_dir = NULL;
    load_fails(f, "no usable cached copy");
    free(rec);
}

static void test_offline(void **state)
{
    struct fx *f = *state;
    const struct pg_policy_orginfo *org;
    struct pg_policy *pol;

    start_server(f);
    serve(f, WARN_POLICY, 1, NULL, "0");
    f->p.offline = 1;
    load_fails(f, "offline and not in the cache");
    f->p.offline = 0;
    pg_policy_free(load_ok(f));
    f->p.offline = 1;
    pol = load_ok(f);
    org = pg_policy_org_info(pol);
    assert_int_equal(org->cached, 1);
    assert_string_equal(org->fetch_error, "offline");
    pg_policy_free(pol);
    assert_int_equal(count(f, "/policy.json", "all"), 1);
}

/* Answers that are not acceptable are errors; the cache does not paper over them. */
static void test_refusals(void **state)
{
    struct fx *f = *state;
    char *www = pg_xasprintf("%s/policy.json", f->www), *sig = pg_xasprintf("%s.minisig", www);
    char *want;

    start_server(f);
    serve(f, WARN_POLICY, 5, NULL, "0");
    pg_policy_free(load_ok(f));
    /* Altered on the server: refused, though a good copy is cached. */
    put(www, ENFORCE_POLICY);
    load_fails(f, "signature verification failed");
    /* Unsigned. */
    unlink(sig);
    want = url(f, "/policy.json.minisig");
    load_fails(f, "not signed (expected ");
    load_fails(f, want);
    /* Gone. */
    unlink(www);
    load_fails(f, ": HTTP 404");
    /* An older signed release (a stale mirror). */
    serve(f, WARN_POLICY, 4, NULL, "0");
    load_fails(f, "serial 4 is older than the last accepted serial 5 (rollback?)");
    /* Signed by another key. */
    publish(f, www, WARN_POLICY, 1, 6, NULL);
    load_fails(f, "signature by key ");
    free(want);
    free(sig);
    free(www);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fetch_and_revalidate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refresh_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torn_pair, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
