/*
 * sigstore_forge.h - a miniature Sigstore made at test time with OpenSSL,
 * for test_sigstore_forge.c: a Fulcio-like CA and leaf (with the
 * 1.3.6.1.4.1.57264.1.* extensions), a Rekor-like P-256 log key, a Merkle
 * tree of five entries, a checkpoint and a SET, and the trusted root that
 * names the CA and the log. The knobs in struct forge make each forgery;
 * 0 everywhere is the genuine bundle.
 *
 * The tree, the checkpoint text and the SET's canonical JSON are built
 * here independently of lib/crypto (a recursive RFC 6962 MTH and PATH
 * rather than the library's iterative check).
 */
#ifndef SIGSTORE_FORGE_H
#define SIGSTORE_FORGE_H

#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sodium.h>

#include "pg_util.h"

#define FORGE_T0     1700000000 /* integrated time of the entry */
#define FORGE_LEAVES 5
#define FORGE_INDEX  2
#define FORGE_REPO   "https://github.com/forge/pkg"
#define FORGE_CONFIG "https://github.com/forge/pkg/.github/workflows/release.yml@refs/tags/v1"
#define FORGE_ISSUER "https://token.actions.githubusercontent.com"

struct forge {
    int other_ca, expired, bad_proof, replay, bad_set, bad_checkpoint, no_set;
    const char *repo;    /* source repository URI in the leaf (FORGE_REPO) */
    const char *config;  /* build config URI and SAN in the leaf (FORGE_CONFIG) */
    const char *subject; /* subject name in the statement */
    const char *alg;     /* the subject digest's algorithm ("sha256") */
    unsigned char digest[64];
    size_t digest_len;   /* 32 for sha256, 64 for sha512 */
    EVP_PKEY *ca_key, *other_key, *leaf_key, *log_key;
};

static char *b64(const void *p, size_t n)
{
    size_t m = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *s = pg_xmalloc(m);

    return sodium_bin2base64(s, m, p, n, sodium_base64_VARIANT_ORIGINAL);
}

static char *hex(const unsigned char *p, size_t n)
{
    char *s = pg_xmalloc(2 * n + 1);

    return sodium_bin2hex(s, 2 * n + 1, p, n);
}

static unsigned char *fsign(EVP_PKEY *k, const void *m, size_t n, size_t *sl)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    unsigned char *sig = pg_xmalloc(256);

    *sl = 256;
    if (EVP_DigestSignInit(c, NULL, EVP_sha256(), NULL, k) != 1 ||
        EVP_DigestSign(c, sig, sl, m, n) != 1)
        abort();
    EVP_MD_CTX_free(c);
    return sig;
}

static void add_ext(X509 *x, int nid, const char *v)
{
    X509V3_CTX ctx;
    X509_EXTENSION *e;

    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    e = X509V3_EXT_conf_nid(NULL, &ctx, nid, v);
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
}

/* Fulcio's .1.<n> extension holding a DER UTF8String. */
static void add_fulcio(X509 *x, int n, const char *v)
{
    char oid[40];
    ASN1_OBJECT *o;
    ASN1_UTF8STRING *u = ASN1_UTF8STRING_new();
    ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
    unsigned char *der = NULL;
    int len;
    X509_EXTENSION *e;

    snprintf(oid, sizeof(oid), "1.3.6.1.4.1.57264.1.%d", n);
    o = OBJ_txt2obj(oid, 1);
    ASN1_STRING_set(u, v, (int)strlen(v));
    len = i2d_ASN1_UTF8STRING(u, &der);
    ASN1_OCTET_STRING_set(os, der, len);
    e = X509_EXTENSION_create_by_OBJ(NULL, o, 0, os);
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    OPENSSL_free(der);
    ASN1_OCTET_STRING_free(os);
    ASN1_UTF8STRING_free(u);
    ASN1_OBJECT_free(o);
}

static X509 *mkcert(EVP_PKEY *subj, EVP_PKEY *signer, int ca, long nb, long na,
                    const struct forge *f)
{
    X509 *x = X509_new();
    X509_NAME *name = X509_NAME_new();

    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), ca ? 1 : 2);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"forge", -1, -1, 0);
    X509_set_issuer_name(x, name);
    if (ca)
        X509_set_subject_name(x, name); /* Fulcio leaves have an empty subject */
    ASN1_TIME_set(X509_getm_notBefore(x), nb);
    ASN1_TIME_set(X509_getm_notAfter(x), na);
    X509_set_pubkey(x, subj);
    if (ca) {
        add_ext(x, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(x, NID_key_usage, "critical,keyCertSign");
    } else {
        char san[300];

        snprintf(san, sizeof(san), "critical,URI:%s", f->config ? f->config : FORGE_CONFIG);
        add_ext(x, NID_key_usage, "critical,digitalSignature");
        add_ext(x, NID_ext_key_usage, "codeSigning");
        add_ext(x, NID_subject_alt_name, san);
        add_fulcio(x, 8, FORGE_ISSUER);
        add_fulcio(x, 12, f->repo ? f->repo : FORGE_REPO);
        add_fulcio(x, 18, f->config ? f->config : FORGE_CONFIG);
    }
    X509_sign(x, signer, EVP_sha256());
    X509_NAME_free(name);
    return x;
}

static char *der_b64_cert(X509 *x)
{
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    char *s = b64(der, (size_t)n);

    OPENSSL_free(der);
    return s;
}

static char *pem_b64_cert(X509 *x)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *p, *s;
    long n;

    PEM_write_bio_X509(bio, x);
    n = BIO_get_mem_data(bio, &p);
    s = b64(p, (size_t)n);
    BIO_free(bio);
    return s;
}

static void forge_init(struct forge *f)
{
    memset(f, 0, sizeof(*f));
    f->ca_key = EVP_EC_gen("P-256");
    f->other_key = EVP_EC_gen("P-256");
    f->leaf_key = EVP_EC_gen("P-256");
    f->log_key = EVP_EC_gen("P-256");
    f->subject = "pkg-1.0.tar.gz";
    f->alg = "sha256";
    f->digest_len = 32;
    crypto_hash_sha256(f->digest, (const unsigned char *)"the artefact", 12);
}

static void forge_free(struct forge *f)
{
    EVP_PKEY_free(f->ca_key);
    EVP_PKEY_free(f->other_key);
    EVP_PKEY_free(f->leaf_key);
    EVP_PKEY_free(f->log_key);
}

static void spki_of(EVP_PKEY *k, char **b64spki, unsigned char id[32])
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(k, &der);

    crypto_hash_sha256(id, der, (unsigned long long)n);
    *b64spki = b64(der, (size_t)n);
    OPENSSL_free(der);
}

static char *forge_root(const struct forge *f)
{
    X509 *ca = mkcert(f->ca_key, f->ca_key, 1, FORGE_T0 - 86400, FORGE_T0 + 86400 * 365, f);
    char *cab = der_b64_cert(ca), *spki, *idb, *out;
    unsigned char id[32];

    spki_of(f->log_key, &spki, id);
    idb = b64(id, 32);
    out = pg_xasprintf(
        "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\","
        "\"tlogs\":[{\"baseUrl\":\"https://forge.test\",\"hashAlgorithm\":\"SHA2_256\","
        "\"publicKey\":{\"rawBytes\":\"%s\",\"keyDetails\":\"PKIX_ECDSA_P256_SHA_256\","
        "\"validFor\":{\"start\":\"2020-01-01T00:00:00Z\"}},\"logId\":{\"keyId\":\"%s\"}}],"
        "\"certificateAuthorities\":[{\"certChain\":{\"certificates\":[{\"rawBytes\":\"%s\"}]},"
        "\"validFor\":{\"start\":\"2020-01-01T00:00:00Z\"}}]}",
        spki, idb, cab);
    free(cab), free(spki), free(idb);
    X509_free(ca);
    return out;
}

/* RFC 6962 2.1: MTH and PATH over leaf hashes lh[0..n). */
static void mth(unsigned char lh[][32], size_t n, unsigned char out[32])
{
    size_t k = 1;
    unsigned char buf[65];

    if (n == 1) {
        memcpy(out, lh[0], 32);
        return;
    }
    while (k * 2 < n)
        k *= 2;
    buf[0] = 1;
    mth(lh, k, buf + 1);
    mth(lh + k, n - k, buf + 33);
    crypto_hash_sha256(out, buf, 65);
}

static size_t path(unsigned char lh[][32], size_t n, size_t m, unsigned char out[][32])
{
    size_t k = 1, got;

    if (n == 1)
        return 0;
    while (k * 2 < n)
        k *= 2;
    if (m < k) {
        got = path(lh, k, m, out);
        mth(lh + k, n - k, out[got]);
    } else {
        got = path(lh + k, n - k, m - k, out);
        mth(lh, k, out[got]);
    }
    return got + 1;
}

static char *statement(const struct forge *f)
{
    char *h = hex(f->digest, f->digest_len);
    json_t *j = json_pack("{s:s, s:[{s:s, s:{s:s}}], s:s, s:{}}", "_type",
                          "https://in-toto.io/Statement/v1", "subject", "name", f->subject,
                          "digest", f->alg, h, "predicateType",
                          "https://slsa.dev/provenance/v1", "predicate");
    char *s = json_dumps(j, JSON_COMPACT);

    json_decref(j);
    free(h);
    return s;
}

static unsigned char *dsse_sign(EVP_PKEY *k, const char *payload, size_t *sl)
{
    char *pae = pg_xasprintf("DSSEv1 28 application/vnd.in-toto+json %zu %s", strlen(payload),
                             payload);
    unsigned char *sig = fsign(k, pae, strlen(pae), sl);

    free(pae);
    return sig;
}

/* Rekor's dsse 0.0.1 body about payload/sig/cert, canonical. */
static char *dsse_body(const char *payload, const unsigned char *sig, size_t sl, X509 *leaf)
{
    unsigned char ph[32];
    char *phx, *sb = b64(sig, sl), *pem = pem_b64_cert(leaf), *s;
    json_t *j;

    crypto_hash_sha256(ph, (const unsigned char *)payload, strlen(payload));
    phx = hex(ph, 32);
    j = json_pack("{s:s, s:s, s:{s:{s:s, s:s}, s:[{s:s, s:s}]}}", "apiVersion", "0.0.1", "kind",
                  "dsse", "spec", "payloadHash", "algorithm", "sha256", "value", phx,
                  "signatures", "signature", sb, "verifier", pem);
    s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    free(phx), free(sb), free(pem);
    return s;
}

static char *set_b64(const struct forge *f, const char *bodyb64, const unsigned char id[32])
{
    char *idx = hex(id, 32), *text, *out;
    json_t *j = json_pack("{s:s, s:I, s:s, s:I}", "body", bodyb64, "integratedTime",
                          (json_int_t)FORGE_T0, "logID", idx, "logIndex",
                          (json_int_t)FORGE_INDEX);
    size_t sl;
    unsigned char *sig;

    text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    sig = fsign(f->bad_set ? f->other_key : f->log_key, text, strlen(text), &sl);
    out = b64(sig, sl);
    free(sig), free(text), free(idx);
    json_decref(j);
    return out;
}

/* Tree, audit path and checkpoint for body at FORGE_INDEX; JSON text. */
static char *proof_json(const struct forge *f, const char *body, const unsigned char id[32])
{
    unsigned char lh[FORGE_LEAVES][32], p[8][32], root[32], buf[4096];
    size_t n, sl;
    struct pg_sb sb = PG_SB_INIT;
    char *rb, *note, *sigb, *line;
    unsigned char *sig, hinted[300];

    for (size_t i = 0; i < FORGE_LEAVES; i++) {
        size_t len = i == FORGE_INDEX ? strlen(body) : (size_t)snprintf((char *)buf + 1, 100, "other %zu", i);

        buf[0] = 0;
        if (i == FORGE_INDEX)
            memcpy(buf + 1, body, len);
        crypto_hash_sha256(lh[i], buf, len + 1);
    }
    mth(lh, FORGE_LEAVES, root);
    n = path(lh, FORGE_LEAVES, FORGE_INDEX, p);
    if (f->bad_proof)
        p[0][3] ^= 0x40;
    if (f->bad_checkpoint)
        root[0] ^= 1; /* a signed checkpoint about another tree */
    rb = b64(root, 32);
    note = pg_xasprintf("forge.test - 1\n%d\n%s\n", FORGE_LEAVES, rb);
    sig = fsign(f->log_key, note, strlen(note), &sl);
    memcpy(hinted, id, 4);
    memcpy(hinted + 4, sig, sl);
    sigb = b64(hinted, sl + 4);
    line = pg_xasprintf("%s\n\xe2\x80\x94 forge.test %s\n", note, sigb);
    if (f->bad_checkpoint)
        root[0] ^= 1; /* the proof itself keeps the true root */
    free(rb);
    rb = b64(root, 32);
    pg_sb_addf(&sb, "{\"logIndex\":\"%d\",\"treeSize\":\"%d\",\"rootHash\":\"%s\",\"hashes\":[",
               FORGE_INDEX, FORGE_LEAVES, rb);
    for (size_t i = 0; i < n; i++) {
        char *h = b64(p[i], 32);

        pg_sb_addf(&sb, "%s\"%s\"", i ? "," : "", h);
        free(h);
    }
    {
        json_t *env = json_string(line);
        char *envj = json_dumps(env, JSON_ENCODE_ANY);

        pg_sb_addf(&sb, "],\"checkpoint\":{\"envelope\":%s}}", envj);
        free(envj);
        json_decref(env);
    }
    free(rb), free(note), free(sig), free(sigb), free(line);
    return pg_sb_detach(&sb);
}

static char *forge_bundle(const struct forge *f)
{
    long nb = FORGE_T0 - 60, na = f->expired ? FORGE_T0 - 10 : FORGE_T0 + 600;
    X509 *leaf = mkcert(f->leaf_key, f->other_ca ? f->other_key : f->ca_key, 0, nb, na, f);
    char *st = statement(f), *stb = b64(st, strlen(st)), *body, *bodyb, *sigb, *setb, *proof;
    char *leafb = der_b64_cert(leaf), *idb, *spki, *out;
    unsigned char *sig, id[32];
    size_t sl;

    sig = dsse_sign(f->leaf_key, st, &sl);
    sigb = b64(sig, sl);
    if (f->replay) {
        /* a genuine entry, but about the signature of another statement */
        size_t sl2;
        unsigned char *sig2 = dsse_sign(f->leaf_key, "{\"other\":1}", &sl2);

        body = dsse_body("{\"other\":1}", sig2, sl2, leaf);
        free(sig2);
    } else {
        body = dsse_body(st, sig, sl, leaf);
    }
    bodyb = b64(body, strlen(body));
    spki_of(f->log_key, &spki, id);
    idb = b64(id, 32);
    setb = set_b64(f, bodyb, id);
    proof = proof_json(f, body, id);
    out = pg_xasprintf(
        "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
        "\"verificationMaterial\":{\"certificate\":{\"rawBytes\":\"%s\"},\"tlogEntries\":[{"
        "\"logIndex\":\"%d\",\"logId\":{\"keyId\":\"%s\"},\"kindVersion\":{\"kind\":\"dsse\","
        "\"version\":\"0.0.1\"},\"integratedTime\":\"%d\",%s%s%s\"inclusionProof\":%s,"
        "\"canonicalizedBody\":\"%s\"}]},\"dsseEnvelope\":{\"payload\":\"%s\",\"payloadType\":"
        "\"application/vnd.in-toto+json\",\"signatures\":[{\"sig\":\"%s\",\"keyid\":\"\"}]}}",
        leafb, FORGE_INDEX, idb, FORGE_T0, f->no_set ? "" : "\"inclusionPromise\":{\"signedEntryTimestamp\":\"",
        f->no_set ? "" : setb, f->no_set ? "" : "\"},", proof, bodyb, stb, sigb);
    free(st), free(stb), free(body), free(bodyb), free(sigb), free(setb), free(proof);
    free(leafb), free(idb), free(spki), free(sig);
    X509_free(leaf);
    return out;
}

#endif
