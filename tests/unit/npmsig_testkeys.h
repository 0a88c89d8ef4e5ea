/*
 * npmsig_testkeys.h - registry keys and signatures made at test time with
 * OpenSSL's C API, for test_npmsig.c and test_rules_trust.c.
 *
 * The keyid is computed here independently of lib/pg_npmsig.c (OpenSSL's
 * encoded point, SHA256() and EVP_EncodeBlock, where the library uses the
 * point's coordinates and libsodium), so a test comparing the two checks
 * the computation rather than repeating it.
 */
#ifndef NPMSIG_TESTKEYS_H
#define NPMSIG_TESTKEYS_H

#include <string.h>

#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "pg_util.h"

struct tkey {
    EVP_PKEY *pk;
    char keyid[64];
    char spki[256]; /* base64 DER SubjectPublicKeyInfo */
};

static void put_str(unsigned char **p, const void *s, size_t n)
{
    (*p)[0] = (unsigned char)(n >> 24);
    (*p)[1] = (unsigned char)(n >> 16);
    (*p)[2] = (unsigned char)(n >> 8);
    (*p)[3] = (unsigned char)n;
    memcpy(*p + 4, s, n);
    *p += 4 + n;
}

/* npm's keyid from the key's encoded (uncompressed) point. */
static void tkey_keyid(EVP_PKEY *pk, char out[64])
{
    unsigned char q[65], blob[128], *p = blob, h[SHA256_DIGEST_LENGTH];
    unsigned char b64[64];
    size_t qlen = 0;
    int n;

    assert_int_equal(EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, q,
                                                     sizeof(q), &qlen),
                     1);
    assert_int_equal(qlen, 65);
    put_str(&p, "ecdsa-sha2-nistp256", 19);
    put_str(&p, "nistp256", 8);
    put_str(&p, q, 65);
    SHA256(blob, (size_t)(p - blob), h);
    n = EVP_EncodeBlock(b64, h, sizeof(h));
    while (n > 0 && b64[n - 1] == '=')
        n--;
    snprintf(out, 64, "SHA256:%.*s", n, (const char *)b64);
}

static void tkey_make(struct tkey *k)
{
    unsigned char *der = NULL;
    int len;

    k->pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    assert_non_null(k->pk);
    tkey_keyid(k->pk, k->keyid);
    len = i2d_PUBKEY(k->pk, &der);
    assert_true(len > 0 && len < 150);
    EVP_EncodeBlock((unsigned char *)k->spki, der, len);
    OPENSSL_free(der);
}

static void tkey_free(struct tkey *k)
{
    EVP_PKEY_free(k->pk);
    k->pk = NULL;
}

/* Base64 DER ECDSA signature over msg with SHA-256 (or md); caller frees. */
static char *tkey_sign_md(const struct tkey *k, const char *msg, const char *md)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char sig[128];
    size_t len = sizeof(sig);
    char *out = pg_xcalloc(1, 200);

    assert_int_equal(EVP_DigestSignInit_ex(ctx, NULL, md, NULL, NULL, k->pk, NULL), 1);
    assert_int_equal(EVP_DigestSign(ctx, sig, &len, (const unsigned char *)msg, strlen(msg)), 1);
    EVP_MD_CTX_free(ctx);
    EVP_EncodeBlock((unsigned char *)out, sig, (int)len);
    return out;
}

static char *tkey_sign(const struct tkey *k, const char *msg)
{
    return tkey_sign_md(k, msg, "SHA256");
}

/* A /-/npm/v1/keys document; expires[i] NULL means never. Caller frees. */
static char *tkeys_doc(const struct tkey *const *keys, const char *const *expires, size_t n)
{
    json_t *list = json_array(), *doc;
    char *s;

    for (size_t i = 0; i < n; i++)
        json_array_append_new(list,
                              json_pack("{s:o, s:s, s:s, s:s, s:s}", "expires",
                                        expires[i] ? json_string(expires[i]) : json_null(), "keyid",
                                        keys[i]->keyid, "keytype", "ecdsa-sha2-nistp256", "scheme",
                                        "ecdsa-sha2-nistp256", "key", keys[i]->spki));
    doc = json_pack("{s:o}", "keys", list);
    s = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return s;
}

/* dist.signatures text with one signature; caller frees. */
static char *tsigs_json(const char *keyid, const char *sig)
{
    json_t *a = json_pack("[{s:s, s:s}]", "keyid", keyid, "sig", sig);
    char *s = json_dumps(a, JSON_COMPACT);

    json_decref(a);
    return s;
}

/* The sha512 SRI of some text, made with OpenSSL; caller frees. */
static char *tsri(const char *text)
{
    unsigned char d[64];
    char *out = pg_xcalloc(1, 100);

    assert_int_equal(EVP_Digest(text, strlen(text), d, NULL, EVP_sha512(), NULL), 1);
    memcpy(out, "sha512-", 7);
    EVP_EncodeBlock((unsigned char *)out + 7, d, sizeof(d));
    return out;
}

#endif
