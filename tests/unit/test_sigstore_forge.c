/*
 * test_sigstore_forge.c - lib/crypto/pg_sigstore against forgeries made
 * at test time (sigstore_forge.h): the genuine bundle must verify with its
 * identity, and each forgery must fail, for the reason it was made.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "pg_sigstore.h"
#include "sigstore_forge.h"

static struct forge F;

/* Verify f's bundle against f's root; returns the result, err filled. */
static enum pg_sigstore_result run(struct forge *f, struct pg_sigstore_identity *id,
                                   struct pg_err *err)
{
    struct pg_sigstore_root *root = NULL;
    struct pg_sigstore_subject subj = {"pkg-1.0.tar.gz", "sha256", NULL, 32};
    unsigned char want[32];
    char *rj = forge_root(f), *bj = forge_bundle(f);
    enum pg_sigstore_result r;

    crypto_hash_sha256(want, (const unsigned char *)"the artefact", 12);
    subj.digest = want;
    if (pg_sigstore_root_parse(&root, rj, strlen(rj), err) < 0)
        fail_msg("root: %s", err->msg);
    r = pg_sigstore_verify(root, bj, strlen(bj), &subj, id, err);
    pg_sigstore_root_free(root);
    free(rj);
    free(bj);
    return r;
}

static void expect_invalid(struct forge f, const char *why)
{
    struct pg_sigstore_identity id = PG_SIGSTORE_IDENTITY_INIT;
    struct pg_err err = PG_ERR_INIT;

    assert_int_equal(run(&f, &id, &err), PG_SIGSTORE_INVALID);
    print_message("  refused: %s\n", err.msg);
    if (!strstr(err.msg, why))
        fail_msg("'%s' does not say '%s'", err.msg, why);
    assert_null(id.san);
}

static void test_genuine(void **state)
{
    struct pg_sigstore_identity id = PG_SIGSTORE_IDENTITY_INIT;
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    if (run(&F, &id, &err) != PG_SIGSTORE_OK)
        fail_msg("%s", err.msg);
    assert_string_equal(id.repository, "github.com/forge/pkg");
    assert_string_equal(id.workflow, "release.yml");
    assert_string_equal(id.issuer, FORGE_ISSUER);
    assert_string_equal(id.san, FORGE_CONFIG);
    assert_int_equal(id.integrated_time, FORGE_T0);
    pg_sigstore_identity_release(&id);
}

static void test_forgeries(void **state)
{
    struct forge f;

    (void)state;
    f = F, f.digest[0] ^= 1; /* statement about another artefact, truly signed */
    expect_invalid(f, "another artefact");
    f = F, f.subject = "pkg-2.0.tar.gz";
    expect_invalid(f, "another artefact");
    f = F, f.expired = 1;
    expect_invalid(f, "not valid at the log's integrated time");
    f = F, f.other_ca = 1;
    expect_invalid(f, "does not chain to a trusted Fulcio CA");
    f = F, f.bad_proof = 1;
    expect_invalid(f, "inclusion proof does not lead");
    f = F, f.bad_checkpoint = 1;
    expect_invalid(f, "checkpoint does not state");
    f = F, f.replay = 1;
    expect_invalid(f, "about another signature");
    f = F, f.bad_set = 1;
    expect_invalid(f, "signed entry timestamp does not verify");
    f = F, f.no_set = 1;
    expect_invalid(f, "no signed entry timestamp");
}

/* Another identity verifies as itself: comparing it is the caller's job. */
static void test_other_identity(void **state)
{
    struct pg_sigstore_identity id = PG_SIGSTORE_IDENTITY_INIT;
    struct pg_err err = PG_ERR_INIT;
    struct forge f = F;

    (void)state;
    f.repo = "https://github.com/attacker/pkg";
    assert_int_equal(run(&f, &id, &err), PG_SIGSTORE_OK);
    assert_string_equal(id.repository, "github.com/attacker/pkg");
    pg_sigstore_identity_release(&id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_genuine),
        cmocka_unit_test(test_forgeries),
        cmocka_unit_test(test_other_identity),
    };
    int rc;

    if (sodium_init() < 0)
        return 1;
    forge_init(&F);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    forge_free(&F);
    return rc;
}
