/*
 * pg_sigstore_cert.c - the Fulcio leaf: it chains to a CA of the trusted
 * root at the log's integrated time, and what it says about the signer.
 *
 * Fulcio certificates live ten minutes, so "valid" means valid at the time
 * the log vouches for (the SET's integrated time), never now. Only the
 * root's chains are used: intermediates a bundle carries are ignored, as
 * sigstore-go and sigstore-python do, so a bundle cannot bring its own CA.
 *
 * Identity: Fulcio's extensions under 1.3.6.1.4.1.57264.1 (fulcio
 * docs/oid-info.md). .1.1 is the legacy issuer, its value the raw string;
 * from .1.8 on each value is a DER UTF8String.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "pg_sigstore_int.h"
#include "pg_util.h"
#include "banned.h"

#define FULCIO_OID "1.3.6.1.4.1.57264.1."

/*
 * A CA's own chain (issuing CA up to its root) is checked once, when the
 * root is read, at no particular time: its validFor is the root's word on
 * when it may be used. Each leaf is then checked against the issuing CA
 * alone (a partial chain), which saves a P-384 verify per bundle.
 */
int ss_ca_chain_ok(const struct ss_ca *ca)
{
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    STACK_OF(X509) *rest = sk_X509_dup(ca->inter);
    X509 *issuing = sk_X509_value(ca->inter, 0);
    int ok = 0;

    if (!store || !ctx || !rest || X509_STORE_add_cert(store, ca->root) != 1)
        goto out;
    (void)sk_X509_shift(rest);
    if (X509_STORE_CTX_init(ctx, store, issuing, rest) != 1)
        goto out;
    X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME);
    ok = X509_verify_cert(ctx) == 1;
out:
    sk_X509_free(rest);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    ERR_clear_error();
    return ok;
}

static int chain_ok(const struct ss_ca *ca, X509 *leaf, int64_t t)
{
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    X509 *anchor = sk_X509_num(ca->inter) > 0 ? sk_X509_value(ca->inter, 0) : ca->root;
    int ok = 0;

    if (!store || !ctx || X509_STORE_add_cert(store, anchor) != 1 ||
        X509_STORE_CTX_init(ctx, store, leaf, NULL) != 1)
        goto out;
    X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_PARTIAL_CHAIN);
    X509_STORE_CTX_set_time(ctx, 0, (time_t)t);
    ok = X509_verify_cert(ctx) == 1;
out:
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    ERR_clear_error();
    return ok;
}

int ss_cert_verify(const struct pg_sigstore_root *root, X509 *leaf, int64_t t,
                   struct pg_err *err)
{
    int in_time = 0;

    /* A Fulcio leaf signs code and nothing else; a CA cert is no leaf. */
    if (X509_check_ca(leaf) != 0 || !(X509_get_extension_flags(leaf) & EXFLAG_XKUSAGE) ||
        !(X509_get_extended_key_usage(leaf) & XKU_CODE_SIGN))
        return pg_err_set(err, "certificate is not a code-signing leaf");
    for (size_t i = 0; i < root->ncas; i++) {
        const struct ss_ca *ca = &root->cas[i];

        if (t < ca->start || (ca->end >= 0 && t > ca->end))
            continue;
        in_time = 1;
        if (chain_ok(ca, leaf, t))
            return 0;
    }
    return pg_err_set(err, in_time ? "certificate does not chain to a trusted Fulcio CA, or "
                                     "was not valid at the log's integrated time"
                                   : "no trusted Fulcio CA was valid at the log's integrated time");
}

/* The value of Fulcio extension .1.<n>, a fresh string, or NULL. */
static char *fulcio_ext(X509 *leaf, int n, struct pg_err *err, int *bad)
{
    char oid[40];
    ASN1_OBJECT *obj;
    int at;
    const ASN1_OCTET_STRING *data;
    const unsigned char *p;
    ASN1_UTF8STRING *u = NULL;
    char *out = NULL;
    size_t len;

    snprintf(oid, sizeof(oid), FULCIO_OID "%d", n);
    obj = OBJ_txt2obj(oid, 1);
    at = obj ? X509_get_ext_by_OBJ(leaf, obj, -1) : -1;
    ASN1_OBJECT_free(obj);
    if (at < 0)
        return NULL;
    data = X509_EXTENSION_get_data(X509_get_ext(leaf, at));
    p = ASN1_STRING_get0_data(data);
    len = (size_t)ASN1_STRING_length(data);
    if (n >= 8) {
        u = d2i_ASN1_UTF8STRING(NULL, &p, (long)len);
        p = u ? ASN1_STRING_get0_data(u) : NULL;
        len = u ? (size_t)ASN1_STRING_length(u) : 0;
    }
    if (!p || len > PG_SIGSTORE_MAX_FIELD || memchr(p, '\0', len)) {
        *bad = 1;
        pg_err_set(err, "certificate extension %s is malformed", oid);
    } else {
        out = pg_xstrndup((const char *)p, len);
    }
    ASN1_UTF8STRING_free(u);
    ERR_clear_error();
    return out;
}

/* The first URI or e-mail SAN. */
static char *san_of(X509 *leaf)
{
    GENERAL_NAMES *names = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
    char *out = NULL;

    for (int i = 0; names && !out && i < sk_GENERAL_NAME_num(names); i++) {
        GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
        ASN1_IA5STRING *s = g->type == GEN_URI     ? g->d.uniformResourceIdentifier
                            : g->type == GEN_EMAIL ? g->d.rfc822Name
                                                   : NULL;

        if (s && ASN1_STRING_length(s) <= PG_SIGSTORE_MAX_FIELD &&
            !memchr(ASN1_STRING_get0_data(s), '\0', (size_t)ASN1_STRING_length(s)))
            out = pg_xstrndup((const char *)ASN1_STRING_get0_data(s),
                              (size_t)ASN1_STRING_length(s));
    }
    GENERAL_NAMES_free(names);
    ERR_clear_error();
    return out;
}

/* "https://github.com/org/repo" -> "github.com/org/repo". */
static char *repo_of(const char *uri)
{
    const char *p = uri && pg_starts_with(uri, "https://") ? uri + 8 : NULL;

    return p && *p ? pg_xstrdup(p) : NULL;
}

/* ".../.github/workflows/release.yml@refs/tags/v1" -> "release.yml". */
static char *workflow_of(const char *uri)
{
    const char *at, *slash;

    if (!uri)
        return NULL;
    at = strchr(uri, '@');
    if (!at)
        at = uri + strlen(uri);
    for (slash = at; slash > uri && slash[-1] != '/'; slash--)
        ;
    return at > slash ? pg_xstrndup(slash, (size_t)(at - slash)) : NULL;
}

int ss_cert_identity(X509 *leaf, struct pg_sigstore_identity *id, struct pg_err *err)
{
    int bad = 0;

    id->san = san_of(leaf);
    id->issuer = fulcio_ext(leaf, 8, err, &bad);
    if (!id->issuer)
        id->issuer = fulcio_ext(leaf, 1, err, &bad);
    id->build_signer = fulcio_ext(leaf, 9, err, &bad);
    id->runner = fulcio_ext(leaf, 11, err, &bad);
    id->source_repo = fulcio_ext(leaf, 12, err, &bad);
    id->source_digest = fulcio_ext(leaf, 13, err, &bad);
    id->source_ref = fulcio_ext(leaf, 14, err, &bad);
    id->build_config = fulcio_ext(leaf, 18, err, &bad);
    id->repository = repo_of(id->source_repo);
    /* Older certificates lack .1.18; their SAN is the workflow ref. */
    id->workflow = workflow_of(id->build_config ? id->build_config
                               : id->source_repo ? id->san
                                                 : NULL);
    if (bad)
        return -1;
    if (!id->san || !id->issuer)
        return pg_err_set(err, "certificate names no signer (SAN) or no OIDC issuer");
    return 0;
}
