/*
 * test_npmsig.c - lib/pg_npmsig: npm registry keys, keyids and signatures.
 *
 * Three sources of truth, none of them this library:
 *   - keys and signatures made here with OpenSSL's C API (npmsig_testkeys.h);
 *   - tests/vectors/npm: forgeries made by Node's crypto, each labelled with
 *     pacote's verdict (see its README), read through pg_npmmeta_parse as the
 *     program reads packuments;
 *   - the real registry.npmjs.org keys and four real signatures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <sodium.h>

#include "npmsig_testkeys.h"
#include "pg_npmmeta.h"
#include "pg_npmsig.h"
#include "pg_time.h"
#include "pg_util.h"

#define VEC(name) PG_TEST_DATA_DIR "/vectors/npm/" name
#define T_2024    "2024-06-01T00:00:00.000Z"

static char *slurp(const char *path, size_t *len)
{
    struct pg_err err = PG_ERR_INIT;
    char *text = NULL;
    size_t n = 0;

    if (pg_read_file(path, 1 << 20, &text, len ? len : &n, &err) < 0)
        fail_msg("%s", err.msg);
    return text;
}

static struct pg_npmkeys *keys_from_file(const char *path)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_npmkeys *keys = NULL;
    size_t len = 0;
    char *text = slurp(path, &len);

    if (pg_npmkeys_parse(&keys, text, len, &err) < 0)
        fail_msg("%s: %s", path, err.msg);
    free(text);
    return keys;
}

static struct pg_npmkeys *keys_from(const char *text)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_npmkeys *keys = NULL;

    if (pg_npmkeys_parse(&keys, text, strlen(text), &err) < 0)
        fail_msg("%s", err.msg);
    return keys;
}

static void assert_keys_refused(const char *text, size_t len, const char *what)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_npmkeys *keys = (struct pg_npmkeys *)&err; /* must be reset to NULL */

    if (pg_npmkeys_parse(&keys, text, len, &err) == 0)
        fail_msg("keys document accepted (%s)", what);
    assert_null(keys);
    assert_true(err.msg[0] != '\0');
}

static enum pg_npmsig_result check(const struct pg_npmkeys *keys, const char *name,
                                   const char *version, const char *integrity, const char *sigs,
                                   const char *time, struct pg_npmsig_status *st)
{
    enum pg_npmsig_result r =
        pg_npmsig_verify(keys, name, version, integrity, sigs, time ? pg_time_parse(time) : -1, st);

    assert_int_equal(r, st->result);
    assert_true(st->why.msg[0] != '\0');
    assert_null(strchr(st->why.msg, '\n'));
    return r;
}

static void test_keyid(void **state)
{
    struct tkey k;
    unsigned char *der = NULL, *cder = NULL, junk[200];
    char id[PG_NPMSIG_KEYID_MAX];
    EVP_PKEY *p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    int len, clen;

    (void)state;
    for (int round = 0; round < 3; round++) {
        tkey_make(&k);
        len = i2d_PUBKEY(k.pk, &der);
        assert_int_equal(len, 91);
        assert_int_equal(pg_npmsig_keyid(der, (size_t)len, id, NULL), 0);
        assert_string_equal(id, k.keyid);
        /* The same key with its point compressed has the same keyid. */
        assert_int_equal(EVP_PKEY_set_utf8_string_param(
                             k.pk, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "compressed"),
                         1);
        clen = i2d_PUBKEY(k.pk, &cder);
        assert_true(clen > 0 && clen < len);
        assert_int_equal(pg_npmsig_keyid(cder, (size_t)clen, id, NULL), 0);
        assert_string_equal(id, k.keyid);
        /* Trailing bytes, truncation and garbage are refused. */
        memcpy(junk, der, (size_t)len);
        junk[len] = 0;
        assert_int_equal(pg_npmsig_keyid(junk, (size_t)len + 1, id, NULL), -1);
        assert_int_equal(pg_npmsig_keyid(der, (size_t)len - 1, id, NULL), -1);
        junk[30] ^= 0xff;
        assert_int_equal(pg_npmsig_keyid(junk, (size_t)len, id, NULL), -1);
        OPENSSL_free(der);
        OPENSSL_free(cder);
        der = cder = NULL;
        tkey_free(&k);
    }
    len = i2d_PUBKEY(p384, &der);
    assert_int_equal(pg_npmsig_keyid(der, (size_t)len, id, NULL), -1);
    assert_int_equal(pg_npmsig_keyid(der, 0, id, NULL), -1);
    OPENSSL_free(der);
    EVP_PKEY_free(p384);
}

/* The real npm keys: pkggate must compute the keyids npm states. */
static void test_npmjs_keys(void **state)
{
    struct pg_npmkeys *keys = keys_from_file(VEC("npmjs-keys.json"));
    char *text = slurp(VEC("npmjs-keys.json"), NULL);
    json_t *doc = json_loads(text, 0, NULL);
    size_t i;

    (void)state;
    assert_non_null(doc);
    assert_int_equal(pg_npmkeys_count(keys), 2);
    for (i = 0; i < json_array_size(json_object_get(doc, "keys")); i++) {
        json_t *e = json_array_get(json_object_get(doc, "keys"), i);
        const char *b64 = json_string_value(json_object_get(e, "key"));
        json_t *exp = json_object_get(e, "expires");
        unsigned char der[200];
        char id[PG_NPMSIG_KEYID_MAX];
        size_t len = 0;

        assert_int_equal(sodium_base642bin(der, sizeof(der), b64, strlen(b64), NULL, &len, NULL,
                                           sodium_base64_VARIANT_ORIGINAL),
                         0);
        assert_int_equal(pg_npmsig_keyid(der, len, id, NULL), 0);
        assert_string_equal(id, json_string_value(json_object_get(e, "keyid")));
        assert_string_equal(pg_npmkeys_keyid(keys, i), id);
        assert_true(pg_npmkeys_supported(keys, i));
        assert_int_equal(pg_npmkeys_expires(keys, i),
                         json_is_null(exp) ? -1 : pg_time_parse(json_string_value(exp)));
    }
    json_decref(doc);
    free(text);
    pg_npmkeys_free(keys);
}

/* Real signatures: each verifies, and fails under any other identity. */
static void test_npmjs_signed(void **state)
{
    struct pg_npmkeys *keys = keys_from_file(VEC("npmjs-keys.json"));
    struct pg_npmsig_status st;
    char *text = slurp(VEC("npmjs-signed.json"), NULL);
    json_t *doc = json_loads(text, 0, NULL);
    json_t *list = json_object_get(doc, "versions");
    size_t n = json_array_size(list);

    (void)state;
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(list, i);
        const char *name = json_string_value(json_object_get(e, "name"));
        const char *ver = json_string_value(json_object_get(e, "version"));
        const char *integ = json_string_value(json_object_get(e, "integrity"));
        const char *time = json_string_value(json_object_get(e, "time"));
        char *sigs = json_dumps(json_object_get(e, "signatures"), JSON_COMPACT);
        int64_t exp = -1;

        if (check(keys, name, ver, integ, sigs, time, &st) != PG_NPMSIG_OK)
            fail_msg("%s@%s: %s", name, ver, st.why.msg);
        /* Replayed onto every other entry's name, and its version. */
        for (size_t j = 0; j < n; j++) {
            json_t *o = json_array_get(list, j);
            const char *oname = json_string_value(json_object_get(o, "name"));
            const char *over = json_string_value(json_object_get(o, "version"));
            struct pg_npmsig_status rs;

            if (strcmp(oname, name) != 0)
                assert_int_equal(check(keys, oname, ver, integ, sigs, time, &rs),
                                 PG_NPMSIG_INVALID);
            if (strcmp(over, ver) != 0)
                assert_int_equal(check(keys, name, over, integ, sigs, time, &rs),
                                 PG_NPMSIG_INVALID);
        }
        for (size_t k = 0; k < pg_npmkeys_count(keys); k++)
            if (strcmp(pg_npmkeys_keyid(keys, k), st.keyid) == 0)
                exp = pg_npmkeys_expires(keys, k);
        if (exp >= 0) {
            /* Published after the key expired. */
            assert_int_equal(pg_npmsig_verify(keys, name, ver, integ, sigs, exp + 1, &st),
                             PG_NPMSIG_EXPIRED_KEY);
            /* Unknown time: pacote's 2015-01-01, before the expiry. */
            assert_int_equal(pg_npmsig_verify(keys, name, ver, integ, sigs, -1, &st), PG_NPMSIG_OK);
        }
        free(sigs);
    }
    json_decref(doc);
    free(text);
    pg_npmkeys_free(keys);
}

/* tests/vectors/npm/MANIFEST, through the program's packument parser. */
static void test_manifest(void **state)
{
    struct pg_npmkeys *keys = keys_from_file(VEC("keys.json"));
    char *manifest = slurp(VEC("MANIFEST"), NULL), *line, *next;
    size_t cases = 0, forged = 0;

    (void)state;
    for (line = manifest; line && *line; line = next) {
        char file[64], name[64], ver[32], want[32], path[256], *body;
        struct pg_err err = PG_ERR_INIT;
        const struct pg_meta_version *mv;
        struct pg_npmsig_status st;
        struct pg_meta *m;
        size_t len = 0;

        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (*line == '#' || !*line)
            continue;
        assert_int_equal(
            sscanf(line, "%63[^\t]\t%63[^\t]\t%31[^\t]\t%31[^\t]", file, name, ver, want), 4);
        snprintf(path, sizeof(path), "%s/vectors/npm/%s", PG_TEST_DATA_DIR, file);
        body = slurp(path, &len);
        m = pg_npmmeta_parse(name, body, len, &err);
        if (!m)
            fail_msg("%s: %s", file, err.msg);
        mv = pg_meta_find(m, ver);
        assert_non_null(mv);
        pg_npmsig_verify(keys, name, ver, mv->integrity, mv->signatures_json, mv->published, &st);
        if (strcmp(pg_npmsig_result_name(st.result), want) != 0)
            fail_msg("%s@%s: want %s, got %s (%s)", name, ver, want,
                     pg_npmsig_result_name(st.result), st.why.msg);
        cases++;
        forged += strcmp(want, "ok") != 0;
        pg_meta_free(m);
        free(body);
    }
    assert_true(cases >= 20 && forged >= 15);
    free(manifest);
    pg_npmkeys_free(keys);
}

static void test_bad_keys(void **state)
{
    static const char *const files[] = {"keys-wrong-keyid.json", "keys-p384.json",
                                        "keys-bad-expires.json", "keys-truncated-key.json"};
    struct tkey a;
    const struct tkey *two[] = {&a, &a};
    const char *never[] = {NULL, NULL};
    struct pg_sb sb = PG_SB_INIT;
    char *doc, *body;
    size_t len;

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(files); i++) {
        char path[256];

        snprintf(path, sizeof(path), "%s/vectors/npm/%s", PG_TEST_DATA_DIR, files[i]);
        body = slurp(path, &len);
        assert_keys_refused(body, len, files[i]);
        free(body);
    }
    assert_keys_refused("", 0, "empty");
    assert_keys_refused("[]", 2, "a list");
    assert_keys_refused("{}", 2, "no keys");
    assert_keys_refused("{\"keys\": {}}", 12, "keys not a list");
    assert_keys_refused("{\"keys\": [1]}", 13, "entry not an object");
    assert_keys_refused("{\"keys\": [{\"keyid\": 1}]}", 24, "keyid a number");
    assert_keys_refused("{\"keys\": [], \"keys\": []}", 24, "duplicate JSON key");
    tkey_make(&a);
    doc = tkeys_doc(two, never, 2);
    assert_keys_refused(doc, strlen(doc), "one keyid twice");
    free(doc);
    pg_sb_adds(&sb, "{\"keys\": [");
    for (int i = 0; i <= PG_NPMKEYS_MAX_KEYS; i++)
        pg_sb_addf(&sb, "%s{\"keyid\": \"k%d\", \"keytype\": \"x\"}", i ? "," : "", i);
    pg_sb_adds(&sb, "]}");
    assert_keys_refused(sb.buf, sb.len, "too many keys");
    pg_sb_reset(&sb);
    pg_sb_addf(&sb, "{\"keys\": [], \"pad\": \"%*s\"}", PG_NPMKEYS_MAX_BODY, "");
    assert_keys_refused(sb.buf, sb.len, "too large");
    pg_sb_release(&sb);
    tkey_free(&a);
}

/* One package signed with keys made here: each failure it can meet. */
static void test_made_here(void **state)
{
    struct tkey a, b, rogue;
    const struct tkey *listed[] = {&a, &b};
    const char *expires[] = {NULL, "2024-01-01T00:00:00.000Z"};
    char *doc, *integ = tsri("left-pad 1.3.0"), *msg, *sig, *sigs, *other;
    struct pg_npmkeys *keys, *none;
    struct pg_npmsig_status st;

    (void)state;
    tkey_make(&a);
    tkey_make(&b);
    tkey_make(&rogue);
    doc = tkeys_doc(listed, expires, 2);
    keys = keys_from(doc);
    msg = pg_xasprintf("left-pad@1.3.0:%s", integ);
    sig = tkey_sign(&a, msg);
    sigs = tsigs_json(a.keyid, sig);
    assert_int_equal(check(keys, "left-pad", "1.3.0", integ, sigs, T_2024, &st), PG_NPMSIG_OK);
    assert_string_equal(st.keyid, a.keyid);
    /* Tampered integrity, another version, another package. */
    other = tsri("evil");
    assert_int_equal(check(keys, "left-pad", "1.3.0", other, sigs, T_2024, &st), PG_NPMSIG_INVALID);
    assert_int_equal(check(keys, "left-pad", "1.3.1", integ, sigs, T_2024, &st), PG_NPMSIG_INVALID);
    assert_int_equal(check(keys, "right-pad", "1.3.0", integ, sigs, T_2024, &st),
                     PG_NPMSIG_INVALID);
    assert_int_equal(check(keys, "left-pad", "1.3.0", NULL, sigs, T_2024, &st), PG_NPMSIG_INVALID);
    /* Missing, and no keys to check against. */
    assert_int_equal(check(keys, "left-pad", "1.3.0", integ, NULL, T_2024, &st), PG_NPMSIG_MISSING);
    assert_int_equal(check(keys, "left-pad", "1.3.0", integ, "[]", T_2024, &st), PG_NPMSIG_MISSING);
    assert_int_equal(check(NULL, "left-pad", "1.3.0", integ, sigs, T_2024, &st), PG_NPMSIG_NO_KEYS);
    none = keys_from("{\"keys\": []}");
    assert_int_equal(check(none, "left-pad", "1.3.0", integ, sigs, T_2024, &st), PG_NPMSIG_NO_KEYS);
    pg_npmkeys_free(none);
    free(sigs);
    free(sig);
    /* The expiring key: fine before its expiry, expired after. */
    sig = tkey_sign(&b, msg);
    sigs = tsigs_json(b.keyid, sig);
    assert_int_equal(check(keys, "left-pad", "1.3.0", integ, sigs, "2023-12-31T23:59:59.000Z", &st),
                     PG_NPMSIG_OK);
    assert_int_equal(check(keys, "left-pad", "1.3.0", integ, sigs, "2024-01-01T00:00:00.000Z", &st),
                     PG_NPMSIG_EXPIRED_KEY);
    assert_non_null(strstr(st.why.msg, "expired"));
    assert_int_equal(check(keys, "left-pad", "1.3.0", integ, sigs, NULL, &st), PG_NPMSIG_OK);
    free(sigs);
    free(sig);
    /* A key the registry does not list; and that key passed off as a listed one. */
    sig = tkey_sign(&rogue, msg);
    sigs = tsigs_json(rogue.keyid, sig);
    assert_int_equal(check(keys, "left-pad", "1.3.0", integ, sigs, T_2024, &st),
                     PG_NPMSIG_UNKNOWN_KEY);
    assert_string_equal(st.keyid, rogue.keyid);
    free(sigs);
    sigs = tsigs_json(a.keyid, sig);
    assert_int_equal(check(keys, "left-pad", "1.3.0", integ, sigs, T_2024, &st), PG_NPMSIG_INVALID);
    free(sigs);
    free(sig);
    /* The right key, the wrong hash. */
    sig = tkey_sign_md(&a, msg, "SHA384");
    sigs = tsigs_json(a.keyid, sig);
    assert_int_equal(check(keys, "left-pad", "1.3.0", integ, sigs, T_2024, &st), PG_NPMSIG_INVALID);
    free(sigs);
    free(sig);
    free(other);
    free(msg);
    free(integ);
    free(doc);
    pg_npmkeys_free(keys);
    tkey_free(&a);
    tkey_free(&b);
    tkey_free(&rogue);
}

/* Several signatures: every one must pass; the gravest failure is reported. */
static void test_several(void **state)
{
    struct tkey a, rogue;
    const struct tkey *listed[] = {&a};
    const char *never[] = {NULL};
    char *doc = NULL, *integ = tsri("x 1.0.0"), *msg = pg_xasprintf("x@1.0.0:%s", integ);
    char *good = NULL, *bad = NULL, *text;
    struct pg_npmkeys *keys;
    struct pg_npmsig_status st;
    struct pg_sb sb = PG_SB_INIT;

    (void)state;
    tkey_make(&a);
    tkey_make(&rogue);
    doc = tkeys_doc(listed, never, 1);
    keys = keys_from(doc);
    good = tkey_sign(&a, msg);
    bad = tkey_sign(&rogue, msg);
    text = pg_xasprintf("[{\"keyid\":\"%s\",\"sig\":\"%s\"},{\"keyid\":\"%s\",\"sig\":\"%s\"}]",
                        a.keyid, good, a.keyid, good);
    assert_int_equal(check(keys, "x", "1.0.0", integ, text, T_2024, &st), PG_NPMSIG_OK);
    free(text);
    text = pg_xasprintf("[{\"keyid\":\"%s\",\"sig\":\"%s\"},{\"keyid\":\"%s\",\"sig\":\"%s\"},"
                        "{\"keyid\":\"%s\",\"sig\":\"%s\"}]",
                        a.keyid, good, rogue.keyid, bad, a.keyid, bad);
    assert_int_equal(check(keys, "x", "1.0.0", integ, text, T_2024, &st), PG_NPMSIG_INVALID);
    free(text);
    /* Shapes that are not a list of {keyid, sig}. */
    assert_int_equal(check(keys, "x", "1.0.0", integ, "{}", T_2024, &st), PG_NPMSIG_INVALID);
    assert_int_equal(check(keys, "x", "1.0.0", integ, "nope", T_2024, &st), PG_NPMSIG_INVALID);
    assert_int_equal(check(keys, "x", "1.0.0", integ, "[1]", T_2024, &st), PG_NPMSIG_INVALID);
    assert_int_equal(check(keys, "x", "1.0.0", integ, "[{\"keyid\":\"k\"}]", T_2024, &st),
                     PG_NPMSIG_INVALID);
    pg_sb_addc(&sb, '[');
    for (int i = 0; i <= PG_NPMSIG_MAX_SIGS; i++)
        pg_sb_addf(&sb, "%s{\"keyid\":\"%s\",\"sig\":\"%s\"}", i ? "," : "", a.keyid, good);
    pg_sb_addc(&sb, ']');
    assert_int_equal(check(keys, "x", "1.0.0", integ, pg_sb_str(&sb), T_2024, &st),
                     PG_NPMSIG_INVALID);
    pg_sb_release(&sb);
    free(good);
    free(bad);
    free(msg);
    free(integ);
    free(doc);
    pg_npmkeys_free(keys);
    tkey_free(&a);
    tkey_free(&rogue);
}

static void test_keys_url(void **state)
{
    char *u = pg_npmsig_keys_url("https://registry.npmjs.org/");

    (void)state;
    assert_string_equal(u, "https://registry.npmjs.org/-/npm/v1/keys");
    free(u);
    u = pg_npmsig_keys_url("http://127.0.0.1:4873");
    assert_string_equal(u, "http://127.0.0.1:4873/-/npm/v1/keys");
    free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyid),        cmocka_unit_test(test_npmjs_keys),
        cmocka_unit_test(test_npmjs_signed), cmocka_unit_test(test_manifest),
        cmocka_unit_test(test_bad_keys),     cmocka_unit_test(test_made_here),
        cmocka_unit_test(test_several),      cmocka_unit_test(test_keys_url),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
