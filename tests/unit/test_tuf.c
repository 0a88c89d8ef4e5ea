/*
 * test_tuf.c - canonical JSON and signature thresholds (pg_tuf.h), on
 * sigstore's real TUF metadata (tests/vectors/tuf, from sigstore/root-signing
 * @ 60cf2ce8b2e45d600dc17c4421e8c751e75772be, metadata/) and on changed copies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "pg_tuf.h"
#include "pg_util.h"

static json_t *load(const char *rel, const char *type)
{
    char *path = pg_xasprintf("%s/%s", PG_SOURCE_DIR, rel), *text = NULL;
    size_t len = 0;
    struct pg_err err = PG_ERR_INIT;
    json_t *doc = NULL;

    assert_int_equal(pg_read_file(path, 1 << 20, &text, &len, &err), 0);
    if (pg_tuf_parse(text, len, type, &doc, &err) < 0)
        fail_msg("%s: %s", rel, err.msg);
    free(text);
    free(path);
    return doc;
}

static void canon_is(const char *json, const char *want)
{
    json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
    struct pg_sb sb = PG_SB_INIT;
    struct pg_err err = PG_ERR_INIT;

    assert_non_null(v);
    assert_int_equal(pg_tuf_canonical(v, &sb, &err), 0);
    assert_string_equal(pg_sb_str(&sb), want);
    pg_sb_release(&sb);
    json_decref(v);
}

static void test_canonical(void **state)
{
    (void)state;
    canon_is("{ \"b\" : 1, \"a\" : [true, false, null, -7], \"A\": {} }",
             "{\"A\":{},\"a\":[true,false,null,-7],\"b\":1}");
    /* Only quote and backslash are escaped; newline, tab, / and non-ASCII stay raw. */
    canon_is("{\"k\": \"a\\\"b\\\\c\\nd\\t/\\u00e9\"}", "{\"k\":\"a\\\"b\\\\c\nd\t/\xc3\xa9\"}");
    /* Keys sort by code point (UTF-8 byte order), so "Z" < "a" < "\u00e9". */
    canon_is("{\"\\u00e9\": 1, \"a\": 2, \"Z\": 3}", "{\"Z\":3,\"a\":2,\"\xc3\xa9\":1}");
    canon_is("\"\"", "\"\"");

    json_t *real = json_real(1.5);
    struct pg_sb sb = PG_SB_INIT;
    struct pg_err err = PG_ERR_INIT;
    assert_int_equal(pg_tuf_canonical(real, &sb, &err), -1);
    assert_non_null(strstr(err.msg, "real number"));
    json_decref(real);
    pg_sb_release(&sb);
}

static void test_real_root_chain(void **state)
{
    json_t *r14 = load("tests/vectors/tuf/14.root.json", "root");
    json_t *r15 = load("data/sigstore/root.json", "root");
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    assert_int_equal(pg_tuf_version(r15), 15);
    /* 15 is signed by a threshold of 14's root keys and of its own. */
    if (pg_tuf_verify_role(r14, "root", r15, &err) < 0 ||
        pg_tuf_verify_role(r15, "root", r15, &err) < 0)
        fail_msg("%s", err.msg);
    /* 14 is not signed by 15's timestamp key. */
    assert_int_equal(pg_tuf_verify_role(r15, "timestamp", r14, &err), -1);
    json_decref(r14);
    json_decref(r15);
}

static void test_real_top_level(void **state)
{
    json_t *root = load("data/sigstore/root.json", "root");
    json_t *ts = load("tests/vectors/tuf/timestamp.json", "timestamp");
    json_t *snap = load("tests/vectors/tuf/snapshot.json", "snapshot");
    json_t *tg = load("tests/vectors/tuf/targets.json", "targets");
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    if (pg_tuf_verify_role(root, "timestamp", ts, &err) < 0 ||
        pg_tuf_verify_role(root, "snapshot", snap, &err) < 0 ||
        pg_tuf_verify_role(root, "targets", tg, &err) < 0)
        fail_msg("%s", err.msg);
    /* The wrong role's keys do not count (sigstore's snapshot and timestamp
     * roles share their online key; targets are the offline keyholders'). */
    assert_int_equal(pg_tuf_verify_role(root, "targets", ts, &err), -1);
    assert_non_null(strstr(err.msg, "0 valid signature(s) of the targets role, needs 3"));
    assert_int_equal(pg_tuf_version(tg), 14);
    json_decref(root);
    json_decref(ts);
    json_decref(snap);
    json_decref(tg);
}

/* A changed byte, a dropped signature, a doubled signature: below the threshold. */
static void test_threshold(void **state)
{
    json_t *root = load("data/sigstore/root.json", "root");
    json_t *tg = load("tests/vectors/tuf/targets.json", "targets");
    json_t *sigs = json_object_get(tg, "signatures");
    struct pg_err err = PG_ERR_INIT;
    size_t n = json_array_size(sigs);

    (void)state;
    assert_true(n >= 3);
    /* Keep exactly 3 (the threshold), then 2 plus a copy of the first. */
    while (json_array_size(sigs) > 3)
        json_array_remove(sigs, 3);
    assert_int_equal(pg_tuf_verify_role(root, "targets", tg, &err), 0);
    json_array_set(sigs, 2, json_array_get(sigs, 0));
    assert_int_equal(pg_tuf_verify_role(root, "targets", tg, &err), -1);
    assert_non_null(strstr(err.msg, "2 valid signature(s) of the targets role, needs 3"));
    json_decref(tg);

    tg = load("tests/vectors/tuf/targets.json", "targets");
    json_object_set_new(json_object_get(tg, "signed"), "version", json_integer(15));
    assert_int_equal(pg_tuf_verify_role(root, "targets", tg, &err), -1);
    assert_non_null(strstr(err.msg, "0 valid signature(s)"));
    json_decref(tg);
    json_decref(root);
}

static void test_parse_refuses(void **state)
{
    struct pg_err err = PG_ERR_INIT;
    json_t *doc = NULL;
    const char *dup = "{\"signed\": {\"_type\": \"root\"}, \"signed\": {}, \"signatures\": []}";
    const char *tsr = "{\"signed\": {\"_type\": \"timestamp\", \"version\": 1, \"expires\": "
                      "\"2030-01-01T00:00:00Z\"}, \"signatures\": []}";
    const char *nov = "{\"signed\": {\"_type\": \"root\", \"version\": 0, \"expires\": "
                      "\"2030-01-01T00:00:00Z\"}, \"signatures\": []}";

    (void)state;
    assert_int_equal(pg_tuf_parse(dup, strlen(dup), "root", &doc, &err), -1);
    assert_int_equal(pg_tuf_parse(tsr, strlen(tsr), "root", &doc, &err), -1);
    assert_non_null(strstr(err.msg, "of type 'timestamp' where root was expected"));
    assert_int_equal(pg_tuf_parse(nov, strlen(nov), "root", &doc, &err), -1);
    assert_int_equal(pg_tuf_parse(tsr, strlen(tsr), "timestamp", &doc, &err), 0);
    assert_int_equal(pg_tuf_expires(doc), 1893456000);
    json_decref(doc);
}

/* The shipped trusted_root.json is the one the real targets.json signs for. */
static void test_shipped_target(void **state)
{
    json_t *tg = load("tests/vectors/tuf/targets.json", "targets");
    json_t *e = json_object_get(json_object_get(json_object_get(tg, "signed"), "targets"),
                                "trusted_root.json");
    char *path = pg_xasprintf("%s/data/sigstore/trusted_root.json", PG_SOURCE_DIR), *text = NULL;
    unsigned char d[32];
    char hex[65];
    size_t len = 0;
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    assert_int_equal(pg_read_file(path, 1 << 20, &text, &len, &err), 0);
    assert_int_equal((json_int_t)len, json_integer_value(json_object_get(e, "length")));
    crypto_hash_sha256(d, (unsigned char *)text, len);
    sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
    assert_string_equal(hex, json_string_value(json_object_get(json_object_get(e, "hashes"),
                                                                "sha256")));
    free(text);
    free(path);
    json_decref(tg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical),     cmocka_unit_test(test_real_root_chain),
        cmocka_unit_test(test_real_top_level), cmocka_unit_test(test_threshold),
        cmocka_unit_test(test_parse_refuses),  cmocka_unit_test(test_shipped_target),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
