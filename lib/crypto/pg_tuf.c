/*
 * pg_tuf.c - canonical JSON and signature thresholds for TUF metadata
 * (pg_tuf.h).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>

#include "pg_time.h"
#include "pg_tuf.h"
#include "banned.h"

#define MAX_DEPTH 64
#define MAX_SIG   512 /* bytes of a decoded signature: DER ECDSA is <= 72 */

/* securesystemslib's _canonical_string_encoder: only '\\' and '"' escaped. */
static void canon_string(struct pg_sb *out, const char *s, size_t n)
{
    pg_sb_addc(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\')
            pg_sb_addc(out, '\\');
        pg_sb_addc(out, s[i]);
    }
    pg_sb_addc(out, '"');
}

static int key_cmp(const void *a, const void *b)
{
    /* UTF-8 byte order is code point order, which is how Python sorts str. */
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int canon(const json_t *v, struct pg_sb *out, int depth, struct pg_err *err);

static int canon_object(const json_t *v, struct pg_sb *out, int depth, struct pg_err *err)
{
    size_t n = json_object_size(v), i = 0;
    const char **keys = pg_xcalloc(n ? n : 1, sizeof(*keys));
    const char *k;
    const json_t *m;
    int rc = 0;

    json_object_foreach((json_t *)v, k, m)
        keys[i++] = k;
    qsort(keys, n, sizeof(*keys), key_cmp);
    pg_sb_addc(out, '{');
    for (i = 0; i < n && rc == 0; i++) {
        if (i)
            pg_sb_addc(out, ',');
        canon_string(out, keys[i], strlen(keys[i]));
        pg_sb_addc(out, ':');
        rc = canon(json_object_get(v, keys[i]), out, depth + 1, err);
    }
    pg_sb_addc(out, '}');
    free(keys);
    return rc;
}

static int canon(const json_t *v, struct pg_sb *out, int depth, struct pg_err *err)
{
    if (depth > MAX_DEPTH)
        return pg_err_set(err, "JSON nested deeper than %d levels", MAX_DEPTH);
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return canon_object(v, out, depth, err);
    case JSON_ARRAY:
        pg_sb_addc(out, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                pg_sb_addc(out, ',');
            if (canon(json_array_get(v, i), out, depth + 1, err) < 0)
                return -1;
        }
        pg_sb_addc(out, ']');
        return 0;
    case JSON_STRING:
        canon_string(out, json_string_value(v), json_string_length(v));
        return 0;
    case JSON_INTEGER:
        pg_sb_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return 0;
    case JSON_TRUE:
        pg_sb_adds(out, "true");
        return 0;
    case JSON_FALSE:
        pg_sb_adds(out, "false");
        return 0;
    case JSON_NULL:
        pg_sb_adds(out, "null");
        return 0;
    default:
        return pg_err_set(err, "a real number has no canonical JSON form");
    }
}

int pg_tuf_canonical(const json_t *v, struct pg_sb *out, struct pg_err *err)
{
    if (!v)
        return pg_err_set(err, "no JSON value to encode");
    return canon(v, out, 0, err);
}

static const char *or_q(const char *s)
{
    return s ? s : "?";
}

int64_t pg_tuf_version(const json_t *doc)
{
    return json_integer_value(json_object_get(json_object_get(doc, "signed"), "version"));
}

int64_t pg_tuf_expires(const json_t *doc)
{
    const char *s = json_string_value(json_object_get(json_object_get(doc, "signed"), "expires"));
    int64_t t = 0;

    return pg_time_scan(s, &t) == PG_TIME_DATE_TIME ? t : -1;
}

int pg_tuf_parse(const char *text, size_t len, const char *type, json_t **out,
                 struct pg_err *err)
{
    json_error_t je;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je), *s;

    *out = NULL;
    if (!doc)
        return pg_err_set(err, "%s metadata is not JSON: %s (line %d)", type, je.text, je.line);
    s = json_object_get(doc, "signed");
    if (!json_is_object(s) || !json_is_array(json_object_get(doc, "signatures"))) {
        json_decref(doc);
        return pg_err_set(err, "%s metadata has no \"signed\" object or \"signatures\" array",
                          type);
    }
    if (!pg_streq(json_string_value(json_object_get(s, "_type")), type)) {
        pg_err_set(err, "metadata of type '%s' where %s was expected",
                   or_q(json_string_value(json_object_get(s, "_type"))), type);
        json_decref(doc);
        return -1;
    }
    if (!json_is_integer(json_object_get(s, "version")) || pg_tuf_version(doc) < 1 ||
        pg_tuf_expires(doc) < 0) {
        json_decref(doc);
        return pg_err_set(err, "%s metadata has no valid \"version\" or \"expires\"", type);
    }
    *out = doc;
    return 0;
}

/* The public key of a TUF key object; NULL for a type pkggate does not use. */
static EVP_PKEY *load_key(const json_t *key)
{
    const char *kt = json_string_value(json_object_get(key, "keytype"));
    const char *sc = json_string_value(json_object_get(key, "scheme"));
    const char *pub = json_string_value(json_object_get(json_object_get(key, "keyval"), "public"));
    unsigned char raw[32];
    size_t n = 0;
    EVP_PKEY *pk = NULL;
    BIO *bio;

    if (!pub)
        return NULL;
    if (pg_streq(kt, "ed25519") && pg_streq(sc, "ed25519")) {
        if (sodium_hex2bin(raw, sizeof(raw), pub, strlen(pub), NULL, &n, NULL) != 0 ||
            n != sizeof(raw))
            return NULL;
        return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, sizeof(raw));
    }
    if (!(pg_streq(kt, "ecdsa") || pg_streq(kt, "ecdsa-sha2-nistp256")) ||
        !pg_streq(sc, "ecdsa-sha2-nistp256"))
        return NULL;
    bio = BIO_new_mem_buf(pub, -1);
    if (bio)
        pk = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    BIO_free(bio);
    if (pk && !EVP_PKEY_is_a(pk, "EC")) {
        EVP_PKEY_free(pk);
        return NULL;
    }
    if (pk) {
        char group[64] = "";
        if (!EVP_PKEY_get_group_name(pk, group, sizeof(group), NULL) ||
            strcmp(group, "prime256v1") != 0) {
            EVP_PKEY_free(pk);
            return NULL;
        }
    }
    return pk;
}

/* Whether hex signature sig by key verifies over msg. */
static int sig_ok(const json_t *key, const char *sig, const struct pg_sb *msg)
{
    unsigned char raw[MAX_SIG];
    size_t n = 0;
    EVP_PKEY *pk = load_key(key);
    EVP_MD_CTX *md = NULL;
    int ok = 0, ed;

    if (!pk || !sig || sodium_hex2bin(raw, sizeof(raw), sig, strlen(sig), NULL, &n, NULL) != 0)
        goto out;
    ed = EVP_PKEY_is_a(pk, "ED25519");
    md = EVP_MD_CTX_new();
    if (!md || EVP_DigestVerifyInit(md, NULL, ed ? NULL : EVP_sha256(), NULL, pk) != 1)
        goto out;
    ok = EVP_DigestVerify(md, raw, n, (const unsigned char *)pg_sb_str(msg), msg->len) == 1;
out:
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pk);
    return ok;
}

static int listed(const json_t *ids, const char *id)
{
    for (size_t i = 0; i < json_array_size(ids); i++)
        if (pg_streq(json_string_value(json_array_get(ids, i)), id))
            return 1;
    return 0;
}

int pg_tuf_verify_role(const json_t *root, const char *role, const json_t *doc,
                       struct pg_err *err)
{
    const json_t *rs = json_object_get(root, "signed");
    const json_t *r = json_object_get(json_object_get(rs, "roles"), role);
    const json_t *keys = json_object_get(rs, "keys"), *ids = json_object_get(r, "keyids");
    const json_t *sigs = json_object_get(doc, "signatures");
    json_int_t threshold = json_integer_value(json_object_get(r, "threshold"));
    struct pg_sb msg = PG_SB_INIT;
    json_t *seen = json_array();
    json_int_t good = 0;
    int rc = -1;

    if (!json_is_array(ids) || threshold < 1) {
        pg_err_set(err, "the root names no keys or no threshold for the %s role", role);
        goto out;
    }
    if (pg_tuf_canonical(json_object_get(doc, "signed"), &msg, err) < 0)
        goto out;
    for (size_t i = 0; i < json_array_size(sigs); i++) {
        const json_t *s = json_array_get(sigs, i);
        const char *id = json_string_value(json_object_get(s, "keyid"));

        /* A key counts once however often it signs (spec 5.3.4). */
        if (!id || !listed(ids, id) || listed(seen, id))
            continue;
        if (sig_ok(json_object_get(keys, id), json_string_value(json_object_get(s, "sig")), &msg)) {
            json_array_append_new(seen, json_string(id));
            good++;
        }
    }
    if (good < threshold)
        pg_err_set(err, "%s metadata has %lld valid signature(s) of the %s role, needs %lld",
                   or_q(json_string_value(json_object_get(json_object_get(doc, "signed"), "_type"))),
                   (long long)good, role, (long long)threshold);
    else
        rc = 0;
out:
    pg_sb_release(&msg);
    json_decref(seen);
    return rc;
}
