/*
 * pg_sigstore_tlog.c - one Rekor v1 entry of a bundle: the log is one the
 * root trusts, its signed entry timestamp and inclusion proof verify, and
 * the entry's body is about the bundle's own certificate and signature.
 *
 * The last check is what stops a replay: a genuine entry (valid SET, valid
 * proof) copied next to another signature or certificate. Rekor's body
 * formats (its "types", openapi spec) that carry a Fulcio signature:
 *
 *   intoto 0.0.2        spec.content.envelope.signatures[]{sig: b64(b64 sig),
 *                       publicKey: b64(PEM)}, spec.content.payloadHash
 *   dsse 0.0.1          spec.signatures[]{signature: b64 sig, verifier: b64(PEM)},
 *                       spec.payloadHash
 *   hashedrekord 0.0.1  spec.signature{content, publicKey.content},
 *                       spec.data.hash{algorithm: sha256, value}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <sodium.h>

#include "pg_sigstore_int.h"
#include "pg_util.h"
#include "banned.h"

#define SIG_MAX    512
#define PEM_MAX    16384
#define FUTURE_MAX 300 /* an integrated time later than now + 5 min is refused */

/*
 * 1 if b64 is base64 of a PEM certificate whose DER is the leaf's. The
 * bytes are compared, not a second decoded certificate: decoding one costs
 * more than all of a bundle's P-256 checks.
 */
static int pem_is(const char *b64, const struct ss_bundle *b)
{
    unsigned char *pem = NULL, *der = NULL;
    char *name = NULL, *header = NULL;
    long dlen = 0;
    size_t len = 0;
    BIO *bio = NULL;
    int same = 0;

    if (ss_b64(b64, &pem, &len, PEM_MAX, NULL) < 0)
        return 0;
    bio = BIO_new_mem_buf(pem, (int)len);
    if (bio && PEM_read_bio(bio, &name, &header, &der, &dlen) == 1)
        same = strcmp(name, PEM_STRING_X509) == 0 && (size_t)dlen == b->leaf_der_len &&
               memcmp(der, b->leaf_der, b->leaf_der_len) == 0;
    ERR_clear_error();
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(der);
    BIO_free(bio);
    free(pem);
    return same;
}

/* 1 if b64 decodes to sig; twice is intoto 0.0.2's double encoding. */
static int sig_is(const char *b64, int twice, const struct ss_bundle *b)
{
    unsigned char *raw = NULL, *inner = NULL;
    size_t len = 0, ilen = 0;
    int same = 0;

    if (ss_b64(b64, &raw, &len, twice ? 2 * SIG_MAX : SIG_MAX, NULL) < 0)
        return 0;
    if (twice) {
        char *txt = pg_xstrndup((const char *)raw, len);

        if (ss_b64(txt, &inner, &ilen, SIG_MAX, NULL) == 0)
            same = ilen == b->sig_len && sodium_memcmp(inner, b->sig, ilen) == 0;
        free(txt);
    } else {
        same = len == b->sig_len && sodium_memcmp(raw, b->sig, len) == 0;
    }
    free(raw);
    free(inner);
    return same;
}

static int payload_hash_is(json_t *ph, const struct ss_bundle *b)
{
    unsigned char h[SS_HASH];
    const char *alg = ss_str(ph, "algorithm");

    if (!b->dsse || !alg || strcmp(alg, "sha256") != 0)
        return 0;
    ss_sha256(b->payload, b->payload_len, h);
    return ss_hex_is(ss_str(ph, "value"), h, SS_HASH);
}

/* One of sigs[] names this signature (key sk) and this certificate (key ck). */
static int sigs_name(json_t *sigs, const char *sk, const char *ck, int twice,
                     const struct ss_bundle *b)
{
    for (size_t i = 0; i < json_array_size(sigs) && i < 8; i++) {
        json_t *s = json_array_get(sigs, i);

        if (sig_is(ss_str(s, sk), twice, b) && pem_is(ss_str(s, ck), b))
            return 1;
    }
    return 0;
}

static int body_matches(const struct ss_entry *e, json_t *body, const struct ss_bundle *b)
{
    json_t *spec = json_object_get(body, "spec");
    const char *kind = ss_str(body, "kind"), *ver = ss_str(body, "apiVersion");

    if (!kind || !ver || strcmp(kind, e->kind) != 0 || strcmp(ver, e->version) != 0)
        return 0;
    if (strcmp(kind, "intoto") == 0 && strcmp(ver, "0.0.2") == 0) {
        json_t *c = json_object_get(spec, "content");
        json_t *env = json_object_get(c, "envelope");

        return payload_hash_is(json_object_get(c, "payloadHash"), b) &&
               pg_streq(ss_str(env, "payloadType"), b->payload_type) &&
               sigs_name(json_object_get(env, "signatures"), "sig", "publicKey", 1, b);
    }
    if (strcmp(kind, "dsse") == 0 && strcmp(ver, "0.0.1") == 0)
        return payload_hash_is(json_object_get(spec, "payloadHash"), b) &&
               sigs_name(json_object_get(spec, "signatures"), "signature", "verifier", 0, b);
    if (strcmp(kind, "hashedrekord") == 0 && strcmp(ver, "0.0.1") == 0) {
        json_t *h = json_object_get(json_object_get(spec, "data"), "hash");
        json_t *s = json_object_get(spec, "signature");

        return !b->dsse && pg_streq(ss_str(h, "algorithm"), "sha256") &&
               ss_hex_is(ss_str(h, "value"), b->digest, SS_HASH) &&
               sig_is(ss_str(s, "content"), 0, b) &&
               pem_is(ss_str(json_object_get(s, "publicKey"), "content"), b);
    }
    return 0;
}

/*
 * The SET signs the RFC 8785 form of {body, integratedTime, logID,
 * logIndex}: sorted keys, no spaces, integers, and strings that need no
 * escaping (base64 and hex), which is what jansson's compact sorted dump
 * writes.
 */
static int set_ok(const struct ss_log *log, const struct ss_entry *e)
{
    char id_hex[2 * SS_HASH + 1];
    size_t b64len = sodium_base64_ENCODED_LEN(e->body_len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = pg_xmalloc(b64len), *text = NULL;
    json_t *j;
    int ok = 0;

    sodium_bin2base64(b64, b64len, e->body, e->body_len, sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2hex(id_hex, sizeof(id_hex), e->log_id, SS_HASH);
    j = json_pack("{s:s, s:I, s:s, s:I}", "body", b64, "integratedTime",
                  (json_int_t)e->integrated_time, "logID", id_hex, "logIndex",
                  (json_int_t)e->log_index);
    text = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (text)
        ok = ss_sig_ok(log->key, (unsigned char *)text, strlen(text), e->set, e->set_len);
    free(text);
    json_decref(j);
    free(b64);
    return ok;
}

/* RFC 9162 2.1.3.2: the audit path from leaf at index to root of size. */
int ss_inclusion_ok(const unsigned char leaf[SS_HASH], int64_t index, int64_t size,
                    const unsigned char *path, size_t n, const unsigned char root[SS_HASH])
{
    unsigned char r[SS_HASH], buf[1 + 2 * SS_HASH];
    uint64_t fn = (uint64_t)index, sn = (uint64_t)size - 1;

    if (index < 0 || size <= 0 || index >= size)
        return 0;
    memcpy(r, leaf, SS_HASH);
    buf[0] = 0x01;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = path + SS_HASH * i;

        if (sn == 0)
            return 0;
        if ((fn & 1) || fn == sn) {
            memcpy(buf + 1, p, SS_HASH);
            memcpy(buf + 1 + SS_HASH, r, SS_HASH);
            while (!(fn & 1) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            memcpy(buf + 1, r, SS_HASH);
            memcpy(buf + 1 + SS_HASH, p, SS_HASH);
        }
        ss_sha256(buf, sizeof(buf), r);
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && sodium_memcmp(r, root, SS_HASH) == 0;
}

/*
 * A checkpoint is a C2SP signed note: "origin\nsize\nb64(root)\n[extra
 * lines]\n" then "\n" then lines "\u2014 name b64(keyhint[4] || sig)\n".
 * Rekor v1's key hint is the first 4 bytes of the log id. The signed text
 * must state the proof's tree size and root hash.
 */
static int checkpoint_ok(const struct ss_log *log, const struct ss_entry *e, struct pg_err *err)
{
    const char *note = e->checkpoint, *end = strstr(note, "\n\n"), *p;
    char want[128], rootb64[sodium_base64_ENCODED_LEN(SS_HASH, sodium_base64_VARIANT_ORIGINAL)];
    const char *l2 = strchr(note, '\n');
    size_t text_len;

    if (!end || !l2 || l2 == note)
        return pg_err_set(err, "checkpoint is not a signed note");
    text_len = (size_t)(end - note) + 1;
    sodium_bin2base64(rootb64, sizeof(rootb64), e->root_hash, SS_HASH,
                      sodium_base64_VARIANT_ORIGINAL);
    snprintf(want, sizeof(want), "\n%lld\n%s\n", (long long)e->tree_size, rootb64);
    if (strncmp(l2, want, strlen(want)) != 0 || (size_t)(l2 - note) + strlen(want) > text_len)
        return pg_err_set(err, "checkpoint does not state the proof's tree size and root hash");
    for (p = end + 2; *p;) {
        const char *nl = strchr(p, '\n'), *sp;
        unsigned char *sig = NULL;
        size_t sig_len = 0;
        int ok = 0;

        if (!nl || strncmp(p, "\xe2\x80\x94 ", 4) != 0)
            return pg_err_set(err, "checkpoint signature line is malformed");
        sp = memchr(p + 4, ' ', (size_t)(nl - p - 4));
        if (sp) {
            char *b64 = pg_xstrndup(sp + 1, (size_t)(nl - sp - 1));

            if (ss_b64(b64, &sig, &sig_len, SIG_MAX + 4, NULL) == 0 && sig_len > 4 &&
                memcmp(sig, log->id, 4) == 0)
                ok = ss_sig_ok(log->key, (const unsigned char *)note, text_len, sig + 4,
                               sig_len - 4);
            free(b64);
            free(sig);
        }
        if (ok)
            return 0;
        p = nl + 1;
    }
    return pg_err_set(err, "checkpoint is not signed by the log's key");
}

static int proof_ok(const struct ss_log *log, const struct ss_entry *e, struct pg_err *err)
{
    unsigned char leaf[SS_HASH], *buf = pg_xmalloc(e->body_len + 1);

    /* RFC 6962 leaf hash: SHA-256(0x00 || entry) */
    buf[0] = 0x00;
    memcpy(buf + 1, e->body, e->body_len);
    ss_sha256(buf, e->body_len + 1, leaf);
    free(buf);
    if (!ss_inclusion_ok(leaf, e->proof_index, e->tree_size, e->hashes, e->nhashes, e->root_hash))
        return pg_err_set(err, "inclusion proof does not lead to the stated root hash");
    return checkpoint_ok(log, e, err);
}

int ss_tlog_verify(const struct pg_sigstore_root *root, const struct ss_bundle *b,
                   const struct ss_entry *e, struct pg_err *err)
{
    const struct ss_log *log = ss_root_log(root, e->log_id);
    json_t *body = NULL;
    int rc = -1;

    if (!log) {
        pg_err_set(err, "entry is from a log the trusted root does not hold");
        goto out;
    }
    if (EVP_PKEY_get_base_id(log->key) != EVP_PKEY_EC) {
        pg_err_set(err, "entry is from a Rekor v2 log: not checked");
        rc = -2;
        goto out;
    }
    if (e->integrated_time < log->start || (log->end >= 0 && e->integrated_time > log->end) ||
        e->integrated_time > (int64_t)time(NULL) + FUTURE_MAX) {
        pg_err_set(err, "integrated time is outside the log key's validity (or in the future)");
        goto out;
    }
    /* The integrated time is trusted only through the SET that signs it. */
    if (!e->set || !set_ok(log, e)) {
        pg_err_set(err, e->set ? "signed entry timestamp does not verify"
                               : "entry has no signed entry timestamp: its time is unproven");
        goto out;
    }
    if (b->minor >= 2 && !e->has_proof) {
        pg_err_set(err, "bundle v0.%d entry has no inclusion proof", b->minor);
        goto out;
    }
    if (e->has_proof && proof_ok(log, e, err) < 0)
        goto out;
    body = ss_json(e->body, e->body_len, e->body_len, err);
    if (!body || !body_matches(e, body, b)) {
        pg_err_set(err, "the log entry is about another signature, certificate or payload");
        goto out;
    }
    rc = 0;
out:
    json_decref(body);
    return rc;
}
