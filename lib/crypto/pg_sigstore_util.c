/*
 * pg_sigstore_util.c - small helpers shared by the Sigstore verifier
 * (pg_sigstore_int.h): decoding, JSON fields, hashing and one signature
 * check that picks the digest the key type needs.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <sodium.h>

#include "pg_sigstore_int.h"
#include "pg_util.h"
#include "banned.h"

/*
 * Standard base64 with padding (what protobuf's JSON form writes), into a
 * fresh buffer of at most cap bytes. The caller frees *out.
 */
int ss_b64(const char *s, unsigned char **out, size_t *len, size_t cap, struct pg_err *err)
{
    size_t n = s ? strlen(s) : 0, max = n / 4 * 3 + 3;

    *out = NULL;
    *len = 0;
    if (!s)
        return pg_err_set(err, "missing base64 field");
    if (n > (cap / 3 + 2) * 4)
        return pg_err_set(err, "base64 field over %zu bytes", cap);
    *out = pg_xmalloc(max ? max : 1);
    if (sodium_base642bin(*out, max, s, n, NULL, len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        *len > cap) {
        free(*out);
        *out = NULL;
        return pg_err_set(err, "field is not base64");
    }
    return 0;
}

/* Exactly want bytes of base64 into out (hashes, log ids). */
int ss_b64_fixed(const char *s, unsigned char *out, size_t want, struct pg_err *err)
{
    unsigned char *p = NULL;
    size_t n = 0;

    if (ss_b64(s, &p, &n, want, err) < 0)
        return -1;
    if (n != want) {
        free(p);
        return pg_err_set(err, "base64 field is %zu bytes, not %zu", n, want);
    }
    memcpy(out, p, want);
    free(p);
    return 0;
}

/* A string member, or NULL when absent or not a string; borrowed. */
const char *ss_str(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/*
 * protobuf writes int64 as a decimal string ("1692374735"); accept that or
 * a JSON integer, never negative (the conformance suite has a -1 index).
 * proto3 JSON leaves out a field that is zero: absent reads as 0.
 */
int ss_i64(json_t *obj, const char *key, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    uint64_t u = 0;

    if (!v && json_is_object(obj)) {
        *out = 0;
        return 0;
    }
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (int64_t)json_integer_value(v);
        return 0;
    }
    if (!json_is_string(v) || pg_parse_u64(json_string_value(v), INT64_MAX, &u) < 0)
        return -1;
    *out = (int64_t)u;
    return 0;
}

void ss_sha256(const void *p, size_t n, unsigned char out[SS_HASH])
{
    crypto_hash_sha256(out, p, n);
}

/*
 * 1 if sig is key's signature over msg: ECDSA with SHA-256 (Fulcio leaves,
 * Rekor v1 keys are P-256; SHA-256 is what Sigstore pairs with them),
 * Ed25519 over the message itself.
 */
int ss_sig_ok(EVP_PKEY *key, const unsigned char *msg, size_t len, const unsigned char *sig,
              size_t sig_len)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const EVP_MD *md = EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519 ? NULL : EVP_sha256();
    int ok = 0;

    if (ctx && EVP_DigestVerifyInit(ctx, NULL, md, NULL, key) == 1)
        ok = EVP_DigestVerify(ctx, sig, sig_len, msg, len) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

/* 1 if hex (lowercase or not) spells exactly the n bytes of bin. */
int ss_hex_is(const char *hex, const unsigned char *bin, size_t n)
{
    unsigned char buf[64];
    size_t got = 0;

    if (!hex || n > sizeof(buf) || strlen(hex) != 2 * n ||
        sodium_hex2bin(buf, sizeof(buf), hex, 2 * n, NULL, &got, NULL) != 0 || got != n)
        return 0;
    return sodium_memcmp(buf, bin, n) == 0;
}

/* One DER certificate, all of the bytes; NULL when not. Caller frees. */
X509 *ss_x509_der(const unsigned char *der, size_t len)
{
    const unsigned char *p = der;
    X509 *x;

    if (len == 0 || len > (size_t)INT_MAX)
        return NULL;
    x = d2i_X509(NULL, &p, (long)len);
    ERR_clear_error();
    if (x && p != der + len) {
        X509_free(x);
        x = NULL;
    }
    return x;
}

/* Parse capped JSON text; duplicate keys refused (two bodies in one). */
json_t *ss_json(const void *text, size_t len, size_t cap, struct pg_err *err)
{
    json_error_t je;
    json_t *j;

    if (len > cap) {
        pg_err_set(err, "document is %zu bytes, over the %zu limit", len, cap);
        return NULL;
    }
    j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!j)
        pg_err_set(err, "not JSON: %s (line %d)", je.text, je.line);
    return j;
}
