/*
 * pg_sigstore.c - verify a Sigstore bundle (pg_sigstore.h): the order of
 * the checks and the two that are about the artefact (the signature and
 * the in-toto statement's subject).
 *
 * Order: the log first (its SET is what makes the integrated time worth
 * anything), then the certificate at that time, then the signature with
 * the certificate's key, then what was signed. Nothing from the statement
 * or the certificate is returned unless all of it held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <sodium.h>

#include "pg_sigstore_int.h"
#include "pg_util.h"
#include "banned.h"

#define INTOTO_TYPE  "application/vnd.in-toto+json"
#define MAX_SUBJECTS 1024

/* Compiled from data/sigstore/trusted_root.json (data/CMakeLists.txt). */
extern const unsigned char pg_sigstore_root_json[];
extern const size_t pg_sigstore_root_json_len;

int pg_sigstore_root_default(struct pg_sigstore_root **out, struct pg_err *err)
{
    return pg_sigstore_root_parse(out, (const char *)pg_sigstore_root_json,
                                  pg_sigstore_root_json_len, err);
}

const char *pg_sigstore_result_name(enum pg_sigstore_result r)
{
    switch (r) {
    case PG_SIGSTORE_OK:
        return "ok";
    case PG_SIGSTORE_INVALID:
        return "invalid";
    case PG_SIGSTORE_UNSUPPORTED:
        return "unsupported";
    }
    return "?";
}

void pg_sigstore_identity_release(struct pg_sigstore_identity *id)
{
    char **s[] = {&id->san,         &id->issuer,       &id->source_repo,
                  &id->source_ref,  &id->source_digest, &id->build_config,
                  &id->build_signer, &id->runner,       &id->repository,
                  &id->workflow,    &id->predicate_type};

    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
        free(*s[i]);
        *s[i] = NULL;
    }
    id->integrated_time = -1;
    id->log_index = -1;
}

/* DSSE v1 pre-authentication encoding: "DSSEv1 <len> <type> <len> <body>". */
static int dsse_ok(const struct ss_bundle *b)
{
    struct pg_sb pae = PG_SB_INIT;
    int ok;

    pg_sb_addf(&pae, "DSSEv1 %zu %s %zu ", strlen(b->payload_type), b->payload_type,
               b->payload_len);
    pg_sb_add(&pae, b->payload, b->payload_len);
    ok = ss_sig_ok(X509_get0_pubkey(b->leaf), (const unsigned char *)pae.buf, pae.len, b->sig,
                   b->sig_len);
    pg_sb_release(&pae);
    return ok;
}

/* A message signature is ECDSA over the artefact's SHA-256, prehashed. */
static int message_ok(const struct ss_bundle *b)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(X509_get0_pubkey(b->leaf), NULL);
    int ok = ctx && EVP_PKEY_verify_init(ctx) == 1 &&
             EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
             EVP_PKEY_verify(ctx, b->sig, b->sig_len, b->digest, SS_HASH) == 1;

    EVP_PKEY_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

static int subject_is(json_t *s, const struct pg_sigstore_subject *subj)
{
    const char *hex = ss_str(json_object_get(s, "digest"), subj->alg);

    if (subj->name && !pg_streq(ss_str(s, "name"), subj->name))
        return 0;
    return ss_hex_is(hex, subj->digest, subj->digest_len);
}

/* The in-toto statement names the artefact; its predicate type is kept. */
static int statement_ok(const struct ss_bundle *b, const struct pg_sigstore_subject *subj,
                        char **ptype, struct pg_err *err)
{
    json_t *st = ss_json(b->payload, b->payload_len, PG_SIGSTORE_MAX_PAYLOAD, err);
    json_t *subjects = json_object_get(st, "subject");
    const char *type = ss_str(st, "_type"), *pt = ss_str(st, "predicateType");
    int rc = -1;

    if (!st)
        goto out;
    if (!pg_streq(type, "https://in-toto.io/Statement/v1") &&
        !pg_streq(type, "https://in-toto.io/Statement/v0.1")) {
        pg_err_set(err, "payload is not an in-toto statement");
        goto out;
    }
    if (!pt || strlen(pt) > PG_SIGSTORE_MAX_FIELD ||
        json_array_size(subjects) == 0 || json_array_size(subjects) > MAX_SUBJECTS) {
        pg_err_set(err, "statement without a predicate type or subjects");
        goto out;
    }
    for (size_t i = 0; rc < 0 && i < json_array_size(subjects); i++)
        if (subject_is(json_array_get(subjects, i), subj))
            rc = 0;
    if (rc < 0) {
        pg_err_set(err, "the statement is about another artefact: no subject %s%s%s with this "
                   "%s digest", subj->name ? "'" : "", subj->name ? subj->name : "",
                   subj->name ? "'" : "", subj->alg);
        goto out;
    }
    *ptype = pg_xstrdup(pt);
out:
    json_decref(st);
    return rc;
}

static int signed_content_ok(const struct ss_bundle *b, const struct pg_sigstore_subject *subj,
                             struct pg_sigstore_identity *id, struct pg_err *err)
{
    if (!b->dsse) {
        if (!pg_streq(subj->alg, "sha256") || subj->digest_len != SS_HASH ||
            sodium_memcmp(subj->digest, b->digest, SS_HASH) != 0)
            return pg_err_set(err, "the signature is over another artefact's digest");
        if (!message_ok(b))
            return pg_err_set(err, "the signature does not verify with the certificate's key");
        return 0;
    }
    if (!pg_streq(b->payload_type, INTOTO_TYPE))
        return pg_err_set(err, "DSSE payload type is not '%s'", INTOTO_TYPE);
    if (!dsse_ok(b))
        return pg_err_set(err, "the DSSE signature does not verify with the certificate's key");
    return statement_ok(b, subj, &id->predicate_type, err);
}

/* Every check on a parsed bundle; id is filled as far as it went. */
static enum pg_sigstore_result check(const struct pg_sigstore_root *root,
                                     const struct ss_bundle *b,
                                     const struct pg_sigstore_subject *subj,
                                     struct pg_sigstore_identity *id, struct pg_err *err)
{
    for (size_t i = 0; i < b->nentries; i++) {
        const struct ss_entry *e = &b->entries[i];
        int rc = ss_tlog_verify(root, b, e, err);

        if (rc == 0)
            rc = ss_cert_verify(root, b->leaf, e->integrated_time, err);
        if (rc < 0) {
            pg_err_prefix(err, "transparency log entry %lld: ", (long long)e->log_index);
            return rc == -2 ? PG_SIGSTORE_UNSUPPORTED : PG_SIGSTORE_INVALID;
        }
    }
    if (signed_content_ok(b, subj, id, err) < 0 || ss_cert_identity(b->leaf, id, err) < 0)
        return PG_SIGSTORE_INVALID;
    id->integrated_time = b->entries[0].integrated_time;
    id->log_index = b->entries[0].log_index;
    return PG_SIGSTORE_OK;
}

/* Shared by the bundle and PEP 740 forms; pep740 picks the reader. */
static enum pg_sigstore_result verify_doc(const struct pg_sigstore_root *root, json_t *doc,
                                          int pep740, const struct pg_sigstore_subject *subj,
                                          struct pg_sigstore_identity *id, struct pg_err *err)
{
    struct ss_bundle b;
    enum pg_sigstore_result r;

    memset(&b, 0, sizeof(b));
    pg_sigstore_identity_release(id);
    r = pep740 ? ss_pep740_parse(&b, doc, err) : ss_bundle_parse(&b, doc, err);
    if (r == PG_SIGSTORE_OK)
        r = check(root, &b, subj, id, err);
    if (r != PG_SIGSTORE_OK)
        pg_sigstore_identity_release(id);
    ss_bundle_release(&b);
    return r;
}

enum pg_sigstore_result ss_verify_json(const struct pg_sigstore_root *root, json_t *doc,
                                       int pep740, const struct pg_sigstore_subject *subj,
                                       struct pg_sigstore_identity *id, struct pg_err *err)
{
    if (!root || !subj || !subj->alg || !subj->digest) {
        pg_err_set(err, "no trusted root or no artefact digest to verify against");
        return PG_SIGSTORE_INVALID;
    }
    return verify_doc(root, doc, pep740, subj, id, err);
}

enum pg_sigstore_result pg_sigstore_verify(const struct pg_sigstore_root *root, const char *json,
                                           size_t len, const struct pg_sigstore_subject *subj,
                                           struct pg_sigstore_identity *id, struct pg_err *err)
{
    json_t *doc = ss_json(json, len, PG_SIGSTORE_MAX_BUNDLE, err);
    enum pg_sigstore_result r = PG_SIGSTORE_INVALID;

    if (doc)
        r = ss_verify_json(root, doc, 0, subj, id, err);
    json_decref(doc);
    return r;
}
