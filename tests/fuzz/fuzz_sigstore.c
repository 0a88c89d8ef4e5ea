/*
 * fuzz_sigstore.c - the Sigstore bundle, PEP 740 and trusted-root parsers
 * and the certificate reader on untrusted bytes (lib/crypto/pg_sigstore).
 *
 * The input is tried as a bundle, as an npm attestations document and as
 * a PyPI provenance document against the compiled-in root, and as a
 * trusted root. Nothing random can verify: an OK result aborts, as does an
 * identity left behind by a failed verification.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_sigstore.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pg_sigstore_root *root;

static void expect_not_ok(enum pg_sigstore_result r, const struct pg_sigstore_identity *id)
{
    if (r == PG_SIGSTORE_OK || id->san || id->issuer || id->predicate_type)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned char digest[64] = {0};
    struct pg_sigstore_subject subj = {NULL, "sha256", digest, 32};
    struct pg_sigstore_identity id = PG_SIGSTORE_IDENTITY_INIT;
    struct pg_sigstore_root *r2 = NULL;
    const char *text = (const char *)data;

    if (!root && pg_sigstore_root_default(&root, NULL) < 0)
        abort();
    expect_not_ok(pg_sigstore_verify(root, text, size, &subj, &id, NULL), &id);
    expect_not_ok(pg_sigstore_verify_npm(root, text, size, "pkg", "1.0.0",
                                         "sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
                                         &id, NULL),
                  &id);
    expect_not_ok(pg_sigstore_verify_pypi(root, text, size, "pkg-1.0.tar.gz", digest, &id, NULL),
                  &id);
    if (pg_sigstore_root_parse(&r2, text, size, NULL) == 0 && !r2)
        abort();
    pg_sigstore_root_free(r2);
    return 0;
}
