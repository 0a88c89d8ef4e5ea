/*
 * pg_sigstore_bundle.c - a Sigstore bundle (protobuf-specs Bundle in its
 * JSON form, media types 0.1 to 0.3) or a PEP 740 attestation, read into
 * struct ss_bundle. Shapes only: nothing read here is trusted yet.
 *
 * Both forms carry the same material under different names:
 *
 *   bundle                                    PEP 740 attestation
 *   verificationMaterial.certificate |        verification_material.certificate
 *     .x509CertificateChain.certificates[0]     (base64 DER)
 *   verificationMaterial.tlogEntries[]        verification_material.transparency_entries[]
 *   dsseEnvelope{payload,payloadType,sig}     envelope{statement,signature}
 */
#include <stdlib.h>
#include <string.h>

#include "pg_sigstore_int.h"
#include "pg_util.h"
#include "banned.h"

#define MEDIA_PREFIX "application/vnd.dev.sigstore.bundle+json;version=0."
#define MEDIA_V03    "application/vnd.dev.sigstore.bundle.v0.3+json"
#define INTOTO_TYPE  "application/vnd.in-toto+json"
#define CERT_MAX     16384
#define SIG_MAX      512
#define BODY_MAX     ((size_t)256 << 10)
#define NOTE_MAX     4096

void ss_bundle_release(struct ss_bundle *b)
{
    X509_free(b->leaf);
    free(b->leaf_der);
    free(b->payload_type);
    free(b->payload);
    free(b->sig);
    for (size_t i = 0; i < b->nentries; i++) {
        free(b->entries[i].body);
        free(b->entries[i].set);
        free(b->entries[i].hashes);
        free(b->entries[i].checkpoint);
    }
    memset(b, 0, sizeof(*b));
}

static int media_minor(const char *m)
{
    size_t n = strlen(MEDIA_PREFIX);

    if (m && strcmp(m, MEDIA_V03) == 0)
        return 3;
    if (m && strncmp(m, MEDIA_PREFIX, n) == 0 && m[n] >= '1' && m[n] <= '3' && !m[n + 1])
        return m[n] - '0';
    return 0;
}

static int leaf_from(struct ss_bundle *b, const char *b64, struct pg_err *err)
{
    unsigned char *der = NULL;
    size_t len = 0;

    if (ss_b64(b64, &der, &len, CERT_MAX, err) < 0)
        return pg_err_prefix(err, "certificate: ");
    b->leaf = ss_x509_der(der, len);
    if (!b->leaf) {
        free(der);
        return pg_err_set(err, "certificate is not one DER X.509 certificate");
    }
    b->leaf_der = der;
    b->leaf_der_len = len;
    return 0;
}

static int parse_proof(struct ss_entry *e, json_t *p, struct pg_err *err)
{
    json_t *hashes = json_object_get(p, "hashes");
    const char *note = ss_str(json_object_get(p, "checkpoint"), "envelope");

    if (ss_i64(p, "logIndex", &e->proof_index) < 0 || ss_i64(p, "treeSize", &e->tree_size) < 0 ||
        e->proof_index >= e->tree_size)
        return pg_err_set(err, "inclusion proof index or tree size unusable");
    if (ss_b64_fixed(ss_str(p, "rootHash"), e->root_hash, SS_HASH, err) < 0)
        return pg_err_prefix(err, "inclusion proof root hash: ");
    if (!json_is_array(hashes) || json_array_size(hashes) > PG_SIGSTORE_MAX_PROOF)
        return pg_err_set(err, "inclusion proof hashes missing or over %d", PG_SIGSTORE_MAX_PROOF);
    if (!note || strlen(note) > NOTE_MAX)
        return pg_err_set(err, "inclusion proof without a usable checkpoint");
    e->checkpoint = pg_xstrdup(note);
    e->hashes = pg_xmalloc(SS_HASH * (json_array_size(hashes) + 1));
    for (size_t i = 0; i < json_array_size(hashes); i++, e->nhashes++)
        if (ss_b64_fixed(json_string_value(json_array_get(hashes, i)), e->hashes + SS_HASH * i,
                         SS_HASH, err) < 0)
            return pg_err_prefix(err, "inclusion proof hash %zu: ", i);
    e->has_proof = 1;
    return 0;
}

static int parse_entry(struct ss_entry *e, json_t *t, struct pg_err *err)
{
    json_t *kv = json_object_get(t, "kindVersion"), *proof = json_object_get(t, "inclusionProof");
    const char *kind = ss_str(kv, "kind"), *ver = ss_str(kv, "version");
    const char *set = ss_str(json_object_get(t, "inclusionPromise"), "signedEntryTimestamp");

    if (ss_i64(t, "logIndex", &e->log_index) < 0 || ss_i64(t, "integratedTime", &e->integrated_time) < 0)
        return pg_err_set(err, "log index or integrated time missing or negative");
    if (!kind || !ver || strlen(kind) >= sizeof(e->kind) || strlen(ver) >= sizeof(e->version))
        return pg_err_set(err, "kindVersion missing");
    memcpy(e->kind, kind, strlen(kind) + 1);
    memcpy(e->version, ver, strlen(ver) + 1);
    if (ss_b64_fixed(ss_str(json_object_get(t, "logId"), "keyId"), e->log_id, SS_HASH, err) < 0)
        return pg_err_prefix(err, "logId: ");
    if (ss_b64(ss_str(t, "canonicalizedBody"), &e->body, &e->body_len, BODY_MAX, err) < 0)
        return pg_err_prefix(err, "canonicalizedBody: ");
    if (set && ss_b64(set, &e->set, &e->set_len, SIG_MAX, err) < 0)
        return pg_err_prefix(err, "signed entry timestamp: ");
    if (proof && !json_is_null(proof) && parse_proof(e, proof, err) < 0)
        return -1;
    return 0;
}

static int parse_entries(struct ss_bundle *b, json_t *list, struct pg_err *err)
{
    size_t n = json_array_size(list);

    if (n == 0 || n > PG_SIGSTORE_MAX_TLOG)
        return pg_err_set(err, "%zu transparency log entries (1 to %d taken)", n,
                          PG_SIGSTORE_MAX_TLOG);
    for (size_t i = 0; i < n; i++, b->nentries++)
        if (parse_entry(&b->entries[i], json_array_get(list, i), err) < 0) {
            b->nentries++;
            return pg_err_prefix(err, "tlog entry %zu: ", i);
        }
    return 0;
}

/* DSSE: exactly one signature (Sigstore signs once; two is a splice). */
static int parse_dsse(struct ss_bundle *b, json_t *env, struct pg_err *err)
{
    json_t *sigs = json_object_get(env, "signatures");
    const char *type = ss_str(env, "payloadType");

    if (!type || json_array_size(sigs) != 1)
        return pg_err_set(err, "DSSE envelope needs a payloadType and one signature");
    b->dsse = 1;
    b->payload_type = pg_xstrdup(type);
    if (ss_b64(ss_str(env, "payload"), &b->payload, &b->payload_len, PG_SIGSTORE_MAX_PAYLOAD,
               err) < 0 ||
        ss_b64(ss_str(json_array_get(sigs, 0), "sig"), &b->sig, &b->sig_len, SIG_MAX, err) < 0)
        return pg_err_prefix(err, "DSSE envelope: ");
    return 0;
}

static int parse_message(struct ss_bundle *b, json_t *ms, struct pg_err *err)
{
    json_t *md = json_object_get(ms, "messageDigest");
    const char *alg = ss_str(md, "algorithm");

    if (!alg || strcmp(alg, "SHA2_256") != 0)
        return pg_err_set(err, "message digest algorithm is not SHA2_256");
    if (ss_b64_fixed(ss_str(md, "digest"), b->digest, SS_HASH, err) < 0 ||
        ss_b64(ss_str(ms, "signature"), &b->sig, &b->sig_len, SIG_MAX, err) < 0)
        return pg_err_prefix(err, "message signature: ");
    return 0;
}

/* The leaf: v0.3 has "certificate"; older ones a chain whose first is it. */
static enum pg_sigstore_result material(struct ss_bundle *b, json_t *vm, struct pg_err *err)
{
    json_t *chain = json_object_get(json_object_get(vm, "x509CertificateChain"), "certificates");
    const char *one = ss_str(json_object_get(vm, "certificate"), "rawBytes");

    if (json_object_get(vm, "publicKey")) {
        pg_err_set(err, "signed with a public key, not a Fulcio certificate: not checked");
        return PG_SIGSTORE_UNSUPPORTED;
    }
    /* A client must check every timestamp a bundle brings; pkggate cannot. */
    if (json_array_size(json_object_get(json_object_get(vm, "timestampVerificationData"),
                                        "rfc3161Timestamps")) > 0) {
        pg_err_set(err, "bundle carries RFC 3161 timestamps, which pkggate does not check");
        return PG_SIGSTORE_UNSUPPORTED;
    }
    if (b->minor == 3 && chain) {
        pg_err_set(err, "a v0.3 bundle carries a certificate chain");
        return PG_SIGSTORE_INVALID;
    }
    if (!one && json_array_size(chain) > 0)
        one = ss_str(json_array_get(chain, 0), "rawBytes");
    if (!one) {
        pg_err_set(err, "bundle has no certificate");
        return PG_SIGSTORE_INVALID;
    }
    return leaf_from(b, one, err) < 0 ? PG_SIGSTORE_INVALID : PG_SIGSTORE_OK;
}

enum pg_sigstore_result ss_bundle_parse(struct ss_bundle *b, json_t *doc, struct pg_err *err)
{
    json_t *vm = json_object_get(doc, "verificationMaterial");
    json_t *dsse = json_object_get(doc, "dsseEnvelope"), *ms = json_object_get(doc, "messageSignature");
    enum pg_sigstore_result r;

    b->minor = media_minor(ss_str(doc, "mediaType"));
    if (!b->minor) {
        pg_err_set(err, "bundle media type is not a known Sigstore bundle version");
        return PG_SIGSTORE_INVALID;
    }
    r = material(b, vm, err);
    if (r != PG_SIGSTORE_OK)
        return r;
    if (!dsse == !ms) {
        pg_err_set(err, "bundle needs exactly one of dsseEnvelope and messageSignature");
        return PG_SIGSTORE_INVALID;
    }
    if ((dsse ? parse_dsse(b, dsse, err) : parse_message(b, ms, err)) < 0 ||
        parse_entries(b, json_object_get(vm, "tlogEntries"), err) < 0)
        return PG_SIGSTORE_INVALID;
    return PG_SIGSTORE_OK;
}

enum pg_sigstore_result ss_pep740_parse(struct ss_bundle *b, json_t *doc, struct pg_err *err)
{
    json_t *vm = json_object_get(doc, "verification_material");
    json_t *env = json_object_get(doc, "envelope");
    json_t *ver = json_object_get(doc, "version");

    b->minor = 3; /* PyPI requires inclusion proofs, as v0.3 does */
    if (!json_is_integer(ver) || json_integer_value(ver) != 1) {
        pg_err_set(err, "attestation version is not 1");
        return PG_SIGSTORE_INVALID;
    }
    if (leaf_from(b, ss_str(vm, "certificate"), err) < 0)
        return PG_SIGSTORE_INVALID;
    b->dsse = 1;
    b->payload_type = pg_xstrdup(INTOTO_TYPE);
    if (ss_b64(ss_str(env, "statement"), &b->payload, &b->payload_len, PG_SIGSTORE_MAX_PAYLOAD,
               err) < 0 ||
        ss_b64(ss_str(env, "signature"), &b->sig, &b->sig_len, SIG_MAX, err) < 0) {
        pg_err_prefix(err, "envelope: ");
        return PG_SIGSTORE_INVALID;
    }
    if (parse_entries(b, json_object_get(vm, "transparency_entries"), err) < 0)
        return PG_SIGSTORE_INVALID;
    return PG_SIGSTORE_OK;
}
