/*
 * test_sri.c - lib/pg_sri: integrity strings (SRI and PyPI hex) and checking
 * bytes against them. Expected digests are made here with OpenSSL, which the
 * library uses only for sha1, so the libsodium paths are checked against an
 * independent implementation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "pg_sri.h"
#include "pg_util.h"

static unsigned char data[10000];

/* "alg-<base64>" (sep '-') or "alg=<hex>" (sep '=' or ':') of bytes; caller frees. */
static char *make(const char *alg, char sep, const void *bytes, size_t len)
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    char *out = pg_xcalloc(1, 300);
    size_t n;

    assert_int_equal(EVP_Digest(bytes, len, d, &dlen, EVP_get_digestbyname(alg), NULL), 1);
    n = (size_t)snprintf(out, 300, "%s%c", alg, sep);
    if (sep == '-')
        EVP_EncodeBlock((unsigned char *)out + n, d, (int)dlen);
    else
        for (unsigned int i = 0; i < dlen; i++)
            n += (size_t)snprintf(out + n, 300 - n, "%02x", d[i]);
    return out;
}

static void assert_good(const char *integrity, const void *bytes, size_t len)
{
    struct pg_err err = PG_ERR_INIT;

    if (pg_sri_check(integrity, bytes, len, &err) != 0)
        fail_msg("'%s' did not match: %s", integrity, err.msg);
}

static void assert_mismatch(const char *integrity, const void *bytes, size_t len)
{
    struct pg_err err = PG_ERR_INIT;

    assert_int_equal(pg_sri_check(integrity, bytes, len, &err), -1);
    assert_non_null(strstr(err.msg, "integrity mismatch"));
}

static void assert_malformed(const char *integrity)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_sri sri;

    if (pg_sri_parse(&sri, integrity, &err) == 0)
        fail_msg("'%s' parsed as %s", integrity, pg_sri_alg_name(sri.alg));
    assert_true(err.msg[0] != '\0');
    /* Failing to parse is never "nothing to check". */
    assert_int_equal(pg_sri_check(integrity, "x", 1, NULL), -1);
}

static void test_each_algorithm(void **state)
{
    static const char *const algs[] = {"sha512", "sha256", "sha1"};
    static const char seps[] = {'-', '=', ':'};

    (void)state;
    for (size_t a = 0; a < PG_ARRAY_SIZE(algs); a++)
        for (size_t s = 0; s < PG_ARRAY_SIZE(seps); s++) {
            char *good = make(algs[a], seps[s], data, sizeof(data));
            struct pg_sri sri;

            assert_int_equal(pg_sri_parse(&sri, good, NULL), 0);
            assert_string_equal(pg_sri_alg_name(sri.alg), algs[a]);
            assert_int_equal(sri.n, 1);
            assert_good(good, data, sizeof(data));
            data[a * 100 + s] ^= 0x20; /* one changed byte */
            assert_mismatch(good, data, sizeof(data));
            data[a * 100 + s] ^= 0x20;
            assert_good(good, data, sizeof(data));
            assert_mismatch(good, data, sizeof(data) - 1);
            free(good);
        }
}

static void test_strongest_wins(void **state)
{
    char *s512 = make("sha512", '-', data, sizeof(data));
    char *s1 = make("sha1", '-', data, sizeof(data));
    char *bad512 = make("sha512", '-', "other", 5);
    char *s256 = make("sha256", '-', data, sizeof(data));
    char *text = NULL;
    struct pg_sri sri;

    (void)state;
    /* A right sha1 does not rescue a wrong sha512: no downgrade to sha1. */
    text = pg_xasprintf("%s %s", s1, bad512);
    assert_mismatch(text, data, sizeof(data));
    assert_int_equal(pg_sri_parse(&sri, text, NULL), 0);
    assert_int_equal(sri.alg, PG_SRI_SHA512);
    free(text);
    /* Several digests of the strongest algorithm: any one may match. */
    text = pg_xasprintf("%s\t%s\n%s  %s", bad512, s256, s512, s1);
    assert_good(text, data, sizeof(data));
    assert_int_equal(pg_sri_parse(&sri, text, NULL), 0);
    assert_int_equal(sri.n, 2);
    free(text);
    /* An algorithm pkggate does not know is skipped, not trusted. */
    text = pg_xasprintf("sha384-%.64s %s", s512 + 7, s256);
    assert_good(text, data, sizeof(data));
    assert_int_equal(pg_sri_parse(&sri, text, NULL), 0);
    assert_int_equal(sri.alg, PG_SRI_SHA256);
    free(text);
    /* SRI options after '?' are ignored. */
    text = pg_xasprintf("%s?foo=bar?baz", s512);
    assert_good(text, data, sizeof(data));
    free(text);
    free(s512);
    free(s1);
    free(bad512);
    free(s256);
}

static void test_malformed(void **state)
{
    char *good = make("sha512", '-', data, sizeof(data));
    char *hex = make("sha256", '=', data, sizeof(data));
    size_t n = strlen(good), h = strlen(hex);
    char *t;

    (void)state;
    assert_malformed("");
    assert_malformed(" \t\n");
    assert_malformed("sha512");
    assert_malformed("sha512-");
    assert_malformed("sha512-abc");
    assert_malformed("-abc");
    assert_malformed("md5-1B2M2Y8AsgTpgAmY7PhCfg=="); /* well-formed, nothing supported */
    assert_malformed("sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb");
    t = pg_xstrdup(good);
    t[2] = 'A'; /* "shA512-" */
    assert_malformed(t);
    memcpy(t, good, n);
    t[n - 1] = '\0'; /* padding cut: not 64 bytes of padded base64 */
    assert_malformed(t);
    memcpy(t, good, n);
    t[20] = '*'; /* not base64 */
    assert_malformed(t);
    memcpy(t, good, n);
    t[20] = '\x01'; /* control byte */
    assert_malformed(t);
    free(t);
    t = pg_xasprintf("%s %s", hex, "sha512-!!!!");
    assert_malformed(t); /* one bad token spoils the string */
    free(t);
    t = pg_xasprintf("%s 0", good);
    assert_malformed(t);
    free(t);
    t = pg_xstrdup(hex);
    t[h - 1] = 'g'; /* not hex */
    assert_malformed(t);
    t[h - 1] = '\0'; /* odd length */
    assert_malformed(t);
    t[h - 2] = '\0'; /* 31 bytes */
    assert_malformed(t);
    free(t);
    free(good);
    free(hex);
}

static void test_limits(void **state)
{
    char *one = make("sha256", '-', data, sizeof(data));
    struct pg_sb sb = PG_SB_INIT;
    char *big;

    (void)state;
    for (int i = 0; i < PG_SRI_MAX_TOKENS; i++)
        pg_sb_addf(&sb, "%s ", one);
    assert_good(pg_sb_str(&sb), data, sizeof(data));
    pg_sb_adds(&sb, one);
    assert_malformed(pg_sb_str(&sb));
    pg_sb_release(&sb);
    big = pg_xcalloc(1, PG_SRI_MAX_TEXT + 2);
    memset(big, ' ', PG_SRI_MAX_TEXT + 1);
    memcpy(big, one, strlen(one));
    assert_malformed(big);
    big[PG_SRI_MAX_TEXT] = '\0';
    assert_good(big, data, sizeof(data));
    free(big);
    free(one);
}

static void test_streaming(void **state)
{
    static const char *const algs[] = {"sha512", "sha256", "sha1"};

    (void)state;
    for (size_t a = 0; a < PG_ARRAY_SIZE(algs); a++) {
        char *good = make(algs[a], '-', data, sizeof(data));
        struct pg_sri_hasher hs;
        struct pg_err err = PG_ERR_INIT;
        struct pg_sri sri;

        assert_int_equal(pg_sri_parse(&sri, good, NULL), 0);
        pg_sri_hasher_init(&hs, &sri);
        for (size_t off = 0; off < sizeof(data); off += 777)
            pg_sri_hasher_update(&hs, data + off,
                                 sizeof(data) - off < 777 ? sizeof(data) - off : 777);
        assert_int_equal(pg_sri_hasher_final(&hs, &err), 0);
        pg_sri_hasher_release(&hs); /* after final: nothing left to free */
        pg_sri_hasher_init(&hs, &sri);
        pg_sri_hasher_update(&hs, data, 10);
        assert_int_equal(pg_sri_hasher_final(&hs, &err), -1);
        pg_sri_hasher_init(&hs, &sri); /* abandoned: release frees the state */
        pg_sri_hasher_update(&hs, data, 10);
        pg_sri_hasher_release(&hs);
        free(good);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_algorithm), cmocka_unit_test(test_strongest_wins),
        cmocka_unit_test(test_malformed),      cmocka_unit_test(test_limits),
        cmocka_unit_test(test_streaming),
    };

    if (sodium_init() < 0)
        return 1;
    randombytes_buf(data, sizeof(data));
    return cmocka_run_group_tests(tests, NULL, NULL);
}
