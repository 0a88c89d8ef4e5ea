/*
 * pg_sigstore_root.c - trusted_root.json (sigstore protobuf-specs
 * TrustedRoot, version 0.1) into Fulcio CAs and Rekor keys.
 *
 * Only what verification uses is kept: CT logs and timestamp authorities
 * are skipped (pkggate checks neither SCTs nor RFC 3161 timestamps, see
 * pg_sigstore.h). A Rekor v1 log id is the SHA-256 of its key's SPKI; it
 * is recomputed here so a root cannot name one key and hold another.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "pg_sigstore_int.h"
#include "pg_time.h"
#include "pg_util.h"
#include "banned.h"

#define ROOT_MEDIA  "application/vnd.dev.sigstore.trustedroot+json;version=0.1"
#define MAX_ENTRIES 32 /* logs or CAs in one root; public good has 2 + 2 */
#define MAX_CHAIN   8
#define KEY_MAX     1024

void pg_sigstore_root_free(struct pg_sigstore_root *root)
{
    if (!root)
        return;
    for (size_t i = 0; i < root->nlogs; i++)
        EVP_PKEY_free(root->logs[i].key);
    for (size_t i = 0; i < root->ncas; i++) {
        X509_free(root->cas[i].root);
        sk_X509_pop_free(root->cas[i].inter, X509_free);
    }
    free(root->logs);
    free(root->cas);
    free(root);
}

const struct ss_log *ss_root_log(const struct pg_sigstore_root *root,
                                 const unsigned char id[SS_HASH])
{
    for (size_t i = 0; i < root->nlogs; i++)
        if (memcmp(root->logs[i].id, id, SS_HASH) == 0)
            return &root->logs[i];
    return NULL;
}

/* validFor {start, end?}: a start is required (an open start trusts all). */
static int valid_for(json_t *v, int64_t *start, int64_t *end, struct pg_err *err)
{
    const char *s = ss_str(v, "start"), *e = ss_str(v, "end");

    *start = pg_time_parse(s);
    *end = e ? pg_time_parse(e) : -1;
    if (*start < 0)
        return pg_err_set(err, "validFor without a usable start");
    if (e && *end < 0)
        return pg_err_set(err, "validFor end '%s' is not a time", e);
    return 0;
}

static int parse_log(struct ss_log *l, json_t *t, size_t i, struct pg_err *err)
{
    json_t *pk = json_object_get(t, "publicKey");
    const char *details = ss_str(pk, "keyDetails");
    unsigned char *der = NULL, stated[SS_HASH];
    const unsigned char *p;
    size_t len = 0;
    int rc = -1;

    if (!details || ss_b64(ss_str(pk, "rawBytes"), &der, &len, KEY_MAX, err) < 0 ||
        ss_b64_fixed(ss_str(json_object_get(t, "logId"), "keyId"), stated, SS_HASH, err) < 0 ||
        valid_for(json_object_get(pk, "validFor"), &l->start, &l->end, err) < 0) {
        pg_err_prefix(err, "tlog %zu: ", i);
        goto out;
    }
    p = der;
    l->key = d2i_PUBKEY(NULL, &p, (long)len);
    ERR_clear_error();
    if (!l->key || p != der + len) {
        pg_err_set(err, "tlog %zu: key is not a DER SubjectPublicKeyInfo", i);
        goto out;
    }
    ss_sha256(der, len, l->id);
    /* Rekor v2 (Ed25519) ids are C2SP key hashes: kept as stated. */
    if (strcmp(details, "PKIX_ED25519") == 0 && EVP_PKEY_get_base_id(l->key) == EVP_PKEY_ED25519)
        memcpy(l->id, stated, SS_HASH);
    else if (strcmp(details, "PKIX_ECDSA_P256_SHA_256") != 0 ||
             EVP_PKEY_get_base_id(l->key) != EVP_PKEY_EC) {
        pg_err_set(err, "tlog %zu: key type '%s' is not supported", i, details);
        goto out;
    } else if (memcmp(l->id, stated, SS_HASH) != 0) {
        pg_err_set(err, "tlog %zu: logId is not the hash of its key", i);
        goto out;
    }
    rc = 0;
out:
    free(der);
    return rc;
}

/* certChain: intermediates first, the self-signed root last. */
static int parse_ca(struct ss_ca *c, json_t *ca, size_t i, struct pg_err *err)
{
    json_t *certs = json_object_get(json_object_get(ca, "certChain"), "certificates");
    size_t n = json_array_size(certs);

    if (n == 0 || n > MAX_CHAIN)
        return pg_err_set(err, "certificate authority %zu: chain of %zu certificates", i, n);
    if (valid_for(json_object_get(ca, "validFor"), &c->start, &c->end, err) < 0)
        return pg_err_prefix(err, "certificate authority %zu: ", i);
    c->inter = sk_X509_new_null();
    for (size_t k = 0; k < n && c->inter; k++) {
        unsigned char *der = NULL;
        size_t len = 0;
        X509 *x = NULL;

        if (ss_b64(ss_str(json_array_get(certs, k), "rawBytes"), &der, &len, 16384, err) == 0)
            x = ss_x509_der(der, len);
        free(der);
        if (!x)
            return pg_err_set(err, "certificate authority %zu: certificate %zu is not DER", i, k);
        if (k + 1 == n)
            c->root = x;
        else if (!sk_X509_push(c->inter, x)) {
            X509_free(x);
            return pg_err_set(err, "out of memory");
        }
    }
    if (!c->inter)
        return pg_err_set(err, "out of memory");
    if (sk_X509_num(c->inter) > 0 && !ss_ca_chain_ok(c))
        return pg_err_set(err, "certificate authority %zu: chain does not lead to its root", i);
    return 0;
}

static int parse_all(struct pg_sigstore_root *r, json_t *doc, struct pg_err *err)
{
    json_t *tlogs = json_object_get(doc, "tlogs"), *cas = json_object_get(doc, "certificateAuthorities");
    const char *media = ss_str(doc, "mediaType");

    if (!media || strcmp(media, ROOT_MEDIA) != 0)
        return pg_err_set(err, "trusted root media type is not '%s'", ROOT_MEDIA);
    if (json_array_size(tlogs) == 0 || json_array_size(cas) == 0 ||
        json_array_size(tlogs) > MAX_ENTRIES || json_array_size(cas) > MAX_ENTRIES)
        return pg_err_set(err, "trusted root needs 1 to %d tlogs and certificate authorities",
                          MAX_ENTRIES);
    r->logs = pg_xcalloc(json_array_size(tlogs), sizeof(*r->logs));
    r->cas = pg_xcalloc(json_array_size(cas), sizeof(*r->cas));
    for (size_t i = 0; i < json_array_size(tlogs); i++, r->nlogs++)
        if (parse_log(&r->logs[i], json_array_get(tlogs, i), i, err) < 0) {
            r->nlogs++; /* so free sees the half-made key */
            return -1;
        }
    for (size_t i = 0; i < json_array_size(cas); i++, r->ncas++)
        if (parse_ca(&r->cas[i], json_array_get(cas, i), i, err) < 0) {
            r->ncas++;
            return -1;
        }
    return 0;
}

int pg_sigstore_root_parse(struct pg_sigstore_root **out, const char *json, size_t len,
                           struct pg_err *err)
{
    struct pg_sigstore_root *r = pg_xcalloc(1, sizeof(*r));
    json_t *doc = ss_json(json, len, PG_SIGSTORE_MAX_ROOT, err);
    int rc = -1;

    *out = NULL;
    if (!doc || parse_all(r, doc, err) < 0) {
        pg_err_prefix(err, "trusted root: ");
        goto out;
    }
    *out = r;
    r = NULL;
    rc = 0;
out:
    json_decref(doc);
    pg_sigstore_root_free(r);
    return rc;
}
