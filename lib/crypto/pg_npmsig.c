/*
 * pg_npmsig.c - npm registry keys and signatures (pg_npmsig.h).
 *
 * OpenSSL does the P-256 work because libsodium has no ECDSA. Each key's
 * SPKI is decoded once, when the keys document is parsed, and its id is
 * recomputed from the key itself, so a document cannot name one key and
 * ship another.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "pg_npmsig.h"
#include "pg_time.h"
#include "pg_util.h"
#include "banned.h"

#define KEYTYPE     "ecdsa-sha2-nistp256"
#define SPKI_MAX    512 /* a P-256 SPKI is 91 bytes */
#define SIG_B64_MAX 200 /* a P-256 DER signature is at most 72 bytes */

struct npmkey {
    char keyid[PG_NPMSIG_KEYID_MAX];
    int64_t expires; /* -1: never */
    EVP_PKEY *pkey;  /* NULL: a key type pkggate does not check */
};

struct pg_npmkeys {
    struct npmkey *v;
    size_t n;
};

char *pg_npmsig_keys_url(const char *registry)
{
    size_t n = strlen(registry);

    return pg_xasprintf("%s%s-/npm/v1/keys", registry, n && registry[n - 1] == '/' ? "" : "/");
}

size_t pg_npmkeys_count(const struct pg_npmkeys *keys)
{
    return keys ? keys->n : 0;
}

const char *pg_npmkeys_keyid(const struct pg_npmkeys *keys, size_t i)
{
    return keys->v[i].keyid;
}

int64_t pg_npmkeys_expires(const struct pg_npmkeys *keys, size_t i)
{
    return keys->v[i].expires;
}

int pg_npmkeys_supported(const struct pg_npmkeys *keys, size_t i)
{
    return keys->v[i].pkey != NULL;
}

void pg_npmkeys_free(struct pg_npmkeys *keys)
{
    if (!keys)
        return;
    for (size_t i = 0; i < keys->n; i++)
        EVP_PKEY_free(keys->v[i].pkey);
    free(keys->v);
    free(keys);
}

/* The 65-byte uncompressed point of a P-256 key, however the SPKI spelt it. */
static int p256_point(EVP_PKEY *pk, unsigned char q[65], struct pg_err *err)
{
    char group[32] = "";
    BIGNUM *x = NULL, *y = NULL;
    int rc = -1;

    if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_EC ||
        EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                       NULL) != 1 ||
        strcmp(group, SN_X9_62_prime256v1) != 0) {
        pg_err_set(err, "key is not an ECDSA P-256 key");
        goto out;
    }
    if (EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_EC_PUB_X, &x) != 1 ||
        EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_EC_PUB_Y, &y) != 1 ||
        BN_bn2binpad(x, q + 1, 32) != 32 || BN_bn2binpad(y, q + 33, 32) != 32) {
        pg_err_set(err, "key has no usable P-256 point");
        goto out;
    }
    q[0] = 0x04;
    rc = 0;
out:
    BN_free(x);
    BN_free(y);
    return rc;
}

static void put_string(unsigned char **p, const void *s, uint32_t n)
{
    (*p)[0] = (unsigned char)(n >> 24);
    (*p)[1] = (unsigned char)(n >> 16);
    (*p)[2] = (unsigned char)(n >> 8);
    (*p)[3] = (unsigned char)n;
    memcpy(*p + 4, s, n);
    *p += 4 + n;
}

/* The OpenSSH fingerprint of the key, which is npm's keyid. */
static void keyid_of_point(const unsigned char q[65], char out[PG_NPMSIG_KEYID_MAX])
{
    unsigned char blob[4 + 19 + 4 + 8 + 4 + 65], *p = blob;
    unsigned char h[crypto_hash_sha256_BYTES];
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES,
                                       sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];

    put_string(&p, KEYTYPE, 19);
    put_string(&p, "nistp256", 8);
    put_string(&p, q, 65);
    crypto_hash_sha256(h, blob, sizeof(blob));
    sodium_bin2base64(b64, sizeof(b64), h, sizeof(h), sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    snprintf(out, PG_NPMSIG_KEYID_MAX, "SHA256:%s", b64);
}

/* Decode a DER SPKI into a P-256 key and its keyid; *pk is the caller's. */
static int load_spki(const unsigned char *der, size_t len, EVP_PKEY **pk,
                     char keyid[PG_NPMSIG_KEYID_MAX], struct pg_err *err)
{
    const unsigned char *p = der;
    unsigned char q[65];

    *pk = NULL;
    if (len == 0 || len > SPKI_MAX)
        return pg_err_set(err, "key is %zu bytes, not a P-256 SubjectPublicKeyInfo", len);
    *pk = d2i_PUBKEY(NULL, &p, (long)len);
    ERR_clear_error();
    if (!*pk || p != der + len) {
        EVP_PKEY_free(*pk);
        *pk = NULL;
        return pg_err_set(err, "key is not a DER SubjectPublicKeyInfo");
    }
    if (p256_point(*pk, q, err) < 0) {
        EVP_PKEY_free(*pk);
        *pk = NULL;
        return -1;
    }
    keyid_of_point(q, keyid);
    return 0;
}

int pg_npmsig_keyid(const unsigned char *spki, size_t len, char out[PG_NPMSIG_KEYID_MAX],
                    struct pg_err *err)
{
    EVP_PKEY *pk = NULL;

    if (load_spki(spki, len, &pk, out, err) < 0)
        return -1;
    EVP_PKEY_free(pk);
    return 0;
}

static int type_is(json_t *entry, const char *field)
{
    json_t *t = json_object_get(entry, field);

    return !t || (json_is_string(t) && strcmp(json_string_value(t), KEYTYPE) == 0);
}

/* One entry of the keys list into k; i is its index, for messages. */
static int parse_key(struct npmkey *k, json_t *e, size_t i, struct pg_err *err)
{
    json_t *id = json_object_get(e, "keyid"), *exp = json_object_get(e, "expires");
    const char *b64 = json_string_value(json_object_get(e, "key"));
    unsigned char der[SPKI_MAX];
    char computed[PG_NPMSIG_KEYID_MAX];
    size_t len = 0;

    if (!json_is_object(e) || !json_is_string(id) || json_string_length(id) == 0 ||
        json_string_length(id) >= PG_NPMSIG_KEYID_MAX)
        return pg_err_set(err, "key %zu has no usable keyid", i);
    snprintf(k->keyid, sizeof(k->keyid), "%s", json_string_value(id));
    k->expires = -1;
    if (json_is_string(exp))
        k->expires = pg_time_parse(json_string_value(exp));
    if ((exp && !json_is_null(exp) && !json_is_string(exp)) ||
        (json_is_string(exp) && k->expires < 0))
        return pg_err_set(err, "key '%s' has an 'expires' that is not a time", k->keyid);
    /* Other key types are listed but cannot vouch for anything here. */
    if (!type_is(e, "keytype") || !type_is(e, "scheme"))
        return 0;
    if (!b64 || sodium_base642bin(der, sizeof(der), b64, strlen(b64), NULL, &len, NULL,
                                  sodium_base64_VARIANT_ORIGINAL) != 0)
        return pg_err_set(err, "key '%s' is not base64", k->keyid);
    if (load_spki(der, len, &k->pkey, computed, err) < 0)
        return pg_err_prefix(err, "key '%s': ", k->keyid);
    if (strcmp(computed, k->keyid) != 0)
        return pg_err_set(err, "key '%s' is not what its keyid says (its key hashes to '%s')",
                          k->keyid, computed);
    return 0;
}

static const struct npmkey *find_key(const struct pg_npmkeys *keys, const char *keyid)
{
    for (size_t i = 0; i < keys->n; i++)
        if (strcmp(keys->v[i].keyid, keyid) == 0)
            return &keys->v[i];
    return NULL;
}

int pg_npmkeys_parse(struct pg_npmkeys **out, const char *body, size_t len, struct pg_err *err)
{
    struct pg_npmkeys *keys = pg_xcalloc(1, sizeof(*keys));
    json_error_t jerr;
    json_t *doc = NULL, *list;
    size_t i;

    *out = NULL;
    if (len > PG_NPMKEYS_MAX_BODY) {
        pg_err_set(err, "keys document is larger than %d bytes", PG_NPMKEYS_MAX_BODY);
        goto fail;
    }
    doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        pg_err_set(err, "keys document is not valid JSON: %s (line %d)", jerr.text, jerr.line);
        goto fail;
    }
    list = json_object_get(doc, "keys");
    if (!json_is_array(list)) {
        pg_err_set(err, "keys document has no 'keys' list");
        goto fail;
    }
    if (json_array_size(list) > PG_NPMKEYS_MAX_KEYS) {
        pg_err_set(err, "keys document lists more than %d keys", PG_NPMKEYS_MAX_KEYS);
        goto fail;
    }
    keys->v = pg_xcalloc(json_array_size(list) + 1, sizeof(*keys->v));
    for (i = 0; i < json_array_size(list); i++) {
        json_t *e = json_array_get(list, i);
        struct npmkey k = {{0}, -1, NULL};

        if (parse_key(&k, e, i, err) < 0) {
            EVP_PKEY_free(k.pkey);
            goto fail;
        }
        if (find_key(keys, k.keyid)) {
            EVP_PKEY_free(k.pkey);
            pg_err_set(err, "keys document lists '%s' twice", k.keyid);
            goto fail;
        }
        keys->v[keys->n++] = k;
    }
    json_decref(doc);
    *out = keys;
    return 0;
fail:
    json_decref(doc);
    pg_npmkeys_free(keys);
    return -1;
}

const char *pg_npmsig_result_name(enum pg_npmsig_result r)
{
    switch (r) {
    case PG_NPMSIG_OK:
        return "ok";
    case PG_NPMSIG_INVALID:
        return "invalid";
    case PG_NPMSIG_MISSING:
        return "missing";
    case PG_NPMSIG_UNKNOWN_KEY:
        return "unknown_key";
    case PG_NPMSIG_EXPIRED_KEY:
        return "expired_key";
    case PG_NPMSIG_NO_KEYS:
        return "no_keys";
    }
    return "?";
}

/* How grave a failed signature is, to report the gravest of several. */
static int gravity(enum pg_npmsig_result r)
{
    switch (r) {
    case PG_NPMSIG_INVALID:
        return 3;
    case PG_NPMSIG_EXPIRED_KEY:
        return 2;
    case PG_NPMSIG_UNKNOWN_KEY:
        return 1;
    default:
        return 0;
    }
}

static int ecdsa_ok(EVP_PKEY *pk, const char *msg, size_t mlen, const unsigned char *sig,
                    size_t slen)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok;

    if (!ctx)
        abort(); /* out of memory, as pg_xmalloc */
    /* OpenSSL re-encodes the DER and rejects anything non-canonical. */
    ok = EVP_DigestVerifyInit_ex(ctx, NULL, "SHA256", NULL, NULL, pk, NULL) == 1 &&
         EVP_DigestVerify(ctx, sig, slen, (const unsigned char *)msg, mlen) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

/* What every signature of one version is checked against. */
struct subject {
    const struct pg_npmkeys *keys;
    const char *msg; /* "<name>@<version>:<integrity>" */
    size_t idlen;    /* length of "<name>@<version>" at the start of msg */
    int64_t published;
};

/* A keyid from the registry, made safe for a one-line message. */
static void copy_keyid(char out[PG_NPMSIG_KEYID_MAX], const char *s)
{
    size_t i = 0;

    for (; s[i] && i + 1 < PG_NPMSIG_KEYID_MAX; i++) {
        out[i] = s[i];
        if (s[i] < 0x20 || s[i] == 0x7f)
            out[i] = '?';
    }
    out[i] = '\0';
}

static enum pg_npmsig_result set(struct pg_npmsig_status *st, enum pg_npmsig_result r)
{
    st->result = r;
    return r;
}

static enum pg_npmsig_result expired(const struct subject *s, const struct npmkey *k,
                                     struct pg_npmsig_status *st)
{
    char when[32], pub[32];

    pg_time_format(k->expires, when, sizeof(when));
    pg_time_format(s->published, pub, sizeof(pub));
    pg_err_set(&st->why,
               "%.*s is signed with '%s', a key that expired %s, before the version "
               "was published (%s)",
               (int)s->idlen, s->msg, st->keyid, when, pub);
    return set(st, PG_NPMSIG_EXPIRED_KEY);
}

/* Check one {"keyid", "sig"} entry (number i) into st. */
static enum pg_npmsig_result check_one(const struct subject *s, json_t *e, size_t i,
                                       struct pg_npmsig_status *st)
{
    const char *keyid = json_string_value(json_object_get(e, "keyid"));
    const char *b64 = json_string_value(json_object_get(e, "sig"));
    const struct npmkey *k;
    unsigned char der[80];
    size_t len = 0;

    st->keyid[0] = '\0';
    if (!keyid || !b64) {
        pg_err_set(&st->why, "%.*s: dist.signatures[%zu] is not {\"keyid\", \"sig\"}",
                   (int)s->idlen, s->msg, i);
        return set(st, PG_NPMSIG_INVALID);
    }
    copy_keyid(st->keyid, keyid);
    k = find_key(s->keys, keyid);
    if (!k || !k->pkey) {
        pg_err_set(&st->why, "%.*s is signed with '%s', which the registry %s", (int)s->idlen,
                   s->msg, st->keyid,
                   k ? "lists as a key type pkggate cannot check" : "does not list");
        return set(st, PG_NPMSIG_UNKNOWN_KEY);
    }
    if (strlen(b64) > SIG_B64_MAX ||
        sodium_base642bin(der, sizeof(der), b64, strlen(b64), NULL, &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        !ecdsa_ok(k->pkey, s->msg, strlen(s->msg), der, len)) {
        pg_err_set(&st->why,
                   "%.*s has a registry signature by '%s' that does not sign this name, "
                   "version and integrity: tampered, or copied from another package",
                   (int)s->idlen, s->msg, st->keyid);
        return set(st, PG_NPMSIG_INVALID);
    }
    if (k->expires >= 0 && s->published >= k->expires)
        return expired(s, k, st);
    pg_err_set(&st->why, "%.*s: registry signature verified with '%s'", (int)s->idlen, s->msg,
               st->keyid);
    return set(st, PG_NPMSIG_OK);
}

/* Every signature in list must verify; keep the gravest failure in st. */
static void check_all(const struct subject *s, json_t *list, struct pg_npmsig_status *st)
{
    struct pg_npmsig_status one;
    size_t i;

    set(st, PG_NPMSIG_OK);
    for (i = 0; i < json_array_size(list); i++) {
        memset(&one, 0, sizeof(one));
        check_one(s, json_array_get(list, i), i, &one);
        if (i == 0 || gravity(one.result) > gravity(st->result))
            *st = one;
    }
}

static json_t *load_sigs(const char *json)
{
    if (!json || strnlen(json, PG_NPMSIG_MAX_JSON + 1) > PG_NPMSIG_MAX_JSON)
        return NULL;
    return json_loads(json, JSON_REJECT_DUPLICATES, NULL);
}

enum pg_npmsig_result pg_npmsig_verify(const struct pg_npmkeys *keys, const char *name,
                                       const char *version, const char *integrity,
                                       const char *signatures_json, int64_t published,
                                       struct pg_npmsig_status *st)
{
    struct subject s = {keys, NULL, 0, published >= 0 ? published : PG_NPMSIG_DEFAULT_PUBLISHED};
    char *id = pg_xasprintf("%s@%s", name, version);
    json_t *list = NULL;

    memset(st, 0, sizeof(*st));
    if (pg_npmkeys_count(keys) == 0) {
        pg_err_set(&st->why, "the registry publishes no signing keys");
        set(st, PG_NPMSIG_NO_KEYS);
        goto out;
    }
    if (!signatures_json) {
        pg_err_set(&st->why, "%s has no registry signature, though its registry signs", id);
        set(st, PG_NPMSIG_MISSING);
        goto out;
    }
    list = load_sigs(signatures_json);
    if (!json_is_array(list) || json_array_size(list) > PG_NPMSIG_MAX_SIGS) {
        pg_err_set(&st->why, "%s: dist.signatures is not a list of at most %d signatures", id,
                   PG_NPMSIG_MAX_SIGS);
        set(st, PG_NPMSIG_INVALID);
        goto out;
    }
    if (json_array_size(list) == 0) {
        pg_err_set(&st->why, "%s has no registry signature, though its registry signs", id);
        set(st, PG_NPMSIG_MISSING);
        goto out;
    }
    if (!integrity) {
        pg_err_set(&st->why, "%s is signed but has no dist.integrity to check it against", id);
        set(st, PG_NPMSIG_INVALID);
        goto out;
    }
    s.msg = pg_xasprintf("%s:%s", id, integrity);
    s.idlen = strlen(id);
    check_all(&s, list, st);
    free((char *)s.msg);
out:
    json_decref(list);
    free(id);
    return st->result;
}
