/*
 * test_npmmeta.c - lib/npm/pg_npmmeta: what a packument gives the
 * provenance round (the attestations URL only when it names provenance,
 * package.json's repository) and pg_npmmeta_repo, which reads a
 * package.json repository the way sigstore identities name one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "pg_npmmeta.h"

static const char doc[] =
    "{\"name\": \"x\", \"versions\": {"
    "\"1.0.0\": {\"dist\": {\"integrity\": \"sha512-AA==\", \"attestations\": {"
    "  \"url\": \"https://r.test/-/npm/v1/attestations/x@1.0.0\","
    "  \"provenance\": {\"predicateType\": \"https://slsa.dev/provenance/v1\"}}},"
    " \"repository\": {\"type\": \"git\", \"url\": \"git+https://github.com/o/x.git\"}},"
    /* npm's publish attestation alone: nothing to verify about the build */
    "\"1.1.0\": {\"dist\": {\"attestations\": {"
    "  \"url\": \"https://r.test/-/npm/v1/attestations/x@1.1.0\"}},"
    " \"repository\": \"o/x\"},"
    "\"1.2.0\": {\"dist\": {}, \"repository\": 7}}}";

static void test_parse(void **state)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_meta *m = pg_npmmeta_parse("x", doc, sizeof(doc) - 1, &err);

    (void)state;
    assert_non_null(m);
    assert_string_equal(pg_meta_find(m, "1.0.0")->attestations_url,
                        "https://r.test/-/npm/v1/attestations/x@1.0.0");
    assert_string_equal(pg_meta_find(m, "1.0.0")->repository, "git+https://github.com/o/x.git");
    assert_null(pg_meta_find(m, "1.1.0")->attestations_url);
    assert_string_equal(pg_meta_find(m, "1.1.0")->repository, "o/x");
    assert_null(pg_meta_find(m, "1.2.0")->attestations_url);
    assert_null(pg_meta_find(m, "1.2.0")->repository);
    pg_meta_free(m);
}

static void repo_is(const char *url, const char *want)
{
    char out[128] = "";
    int ok = pg_npmmeta_repo(url, out, sizeof(out));

    if (!want) {
        if (ok)
            fail_msg("'%s' read as '%s'", url, out);
        return;
    }
    if (!ok || strcmp(out, want) != 0)
        fail_msg("'%s': got %s '%s', want '%s'", url, ok ? "" : "nothing", out, want);
}

static void test_repo(void **state)
{
    (void)state;
    repo_is("git+https://github.com/Org/Repo.git", "github.com/Org/Repo");
    repo_is("https://GitHub.com/org/repo", "github.com/org/repo");
    repo_is("https://github.com/org/repo/tree/main/packages/x", "github.com/org/repo");
    repo_is("git+ssh://git@github.com/org/repo.git", "github.com/org/repo");
    repo_is("git@github.com:org/repo.git", "github.com/org/repo");
    repo_is("github:org/repo", "github.com/org/repo");
    repo_is("gitlab:group/repo", "gitlab.com/group/repo");
    repo_is("org/repo", "github.com/org/repo");
    repo_is("https://gitlab.com/group/repo.git#main", "gitlab.com/group/repo");
    /* Not a GitHub or GitLab repository, or not one at all: not compared. */
    repo_is("https://bitbucket.org/org/repo", NULL);
    repo_is("https://github.com/org", NULL);
    repo_is("https://github.com/", NULL);
    repo_is("repo", NULL);
    repo_is("", NULL);
    repo_is(NULL, NULL);
    repo_is("https://user@evil.test/github.com/org/repo", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_repo),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
