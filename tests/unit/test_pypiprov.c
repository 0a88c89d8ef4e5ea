/*
 * test_pypiprov.c - lib/pg_pypiprov: the publisher of a PEP 740 provenance
 * document (GitHub, GitLab, Google), and every refusal of a document that
 * is not one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "pg_pypiprov.h"
#include "pg_util.h"

/* A document shaped like PyPI's, around the given publisher object. */
static char *doc(const char *publisher)
{
    return pg_xasprintf("{\"version\": 1, \"attestation_bundles\": [{\"publisher\": %s, "
                        "\"attestations\": [{\"version\": 1, \"envelope\": "
                        "{\"statement\": \"e30=\", \"signature\": \"AA==\"}, "
                        "\"verification_material\": {\"certificate\": \"AA==\", "
                        "\"transparency_entries\": []}}]}]}",
                        publisher);
}

static void parse_ok(const char *text, struct pg_pypiprov *p)
{
    struct pg_err err = PG_ERR_INIT;

    if (pg_pypiprov_parse(p, text, strlen(text), &err) < 0)
        fail_msg("refused: %s", err.msg);
}

/* len S: strlen(text). */
#define S ((size_t)-1)

/* Refused, with a message containing want; the output is left empty. */
static void refused(const char *text, size_t len, const char *want)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_pypiprov p = PG_PYPIPROV_INIT;

    if (len == S)
        len = strlen(text);

    assert_int_equal(pg_pypiprov_parse(&p, text, len, &err), -1);
    if (!strstr(err.msg, want))
        fail_msg("error '%s' lacks '%s'", err.msg, want);
    assert_null(p.kind);
    assert_null(p.identity);
}

static void test_github(void **state)
{
    char *d = doc("{\"kind\": \"GitHub\", \"repository\": \"fixture/prov-moved\", "
                  "\"workflow\": \"release.yml\", \"environment\": \"pypi\", \"claims\": null}");
    struct pg_pypiprov p = PG_PYPIPROV_INIT;

    (void)state;
    parse_ok(d, &p);
    assert_string_equal(p.kind, "GitHub");
    assert_string_equal(p.repository, "fixture/prov-moved");
    assert_string_equal(p.workflow, "release.yml");
    assert_string_equal(p.environment, "pypi");
    assert_null(p.email);
    /* GitHub is the common case: the bare repository, as users write it. */
    assert_string_equal(p.identity, "fixture/prov-moved");
    pg_pypiprov_release(&p);
    assert_null(p.identity);
    free(d);

    /* A null environment is no environment. */
    d = doc("{\"kind\": \"GitHub\", \"repository\": \"a/b\", \"workflow\": \"w.yml\", "
            "\"environment\": null}");
    parse_ok(d, &p);
    assert_null(p.environment);
    assert_string_equal(p.identity, "a/b");
    pg_pypiprov_release(&p);
    free(d);
}

static void test_other_kinds(void **state)
{
    char *d = doc("{\"kind\": \"GitLab\", \"repository\": \"group/sub/proj\", "
                  "\"workflow_filepath\": \"ci/.gitlab-ci.yml\", \"environment\": \"\"}");
    struct pg_pypiprov p = PG_PYPIPROV_INIT;

    (void)state;
    parse_ok(d, &p);
    /* The CI file path is GitLab's workflow; the kind is part of the identity. */
    assert_string_equal(p.workflow, "ci/.gitlab-ci.yml");
    assert_null(p.environment);
    assert_string_equal(p.identity, "gitlab:group/sub/proj");
    pg_pypiprov_release(&p);
    free(d);

    d = doc("{\"kind\": \"Google\", \"email\": \"sa@proj.iam.gserviceaccount.com\"}");
    parse_ok(d, &p);
    assert_null(p.repository);
    assert_null(p.workflow);
    assert_string_equal(p.identity, "google:sa@proj.iam.gserviceaccount.com");
    pg_pypiprov_release(&p);
    free(d);

    /* A kind not known here still has an identity if it names a repository. */
    d = doc("{\"kind\": \"Forgejo\", \"repository\": \"o/r\", \"workflow\": \"x.yml\"}");
    parse_ok(d, &p);
    assert_string_equal(p.identity, "forgejo:o/r");
    pg_pypiprov_release(&p);
    free(d);
}

/* Only the first bundle speaks for the file. */
static void test_first_bundle(void **state)
{
    const char *d = "{\"version\": 1, \"attestation_bundles\": ["
                    "{\"publisher\": {\"kind\": \"GitHub\", \"repository\": \"first/one\"}, "
                    "\"attestations\": []}, "
                    "{\"publisher\": {\"kind\": \"GitHub\", \"repository\": \"second/one\"}, "
                    "\"attestations\": []}]}";
    struct pg_pypiprov p = PG_PYPIPROV_INIT;

    (void)state;
    parse_ok(d, &p);
    assert_string_equal(p.identity, "first/one");
    assert_null(p.workflow);
    pg_pypiprov_release(&p);
}

static void refused_pub(const char *publisher, const char *want)
{
    char *d = doc(publisher);

    refused(d, S, want);
    free(d);
}

static void test_refusals(void **state)
{
    char big[PG_PYPIPROV_MAX_FIELD + 64], *d;
    static const char nul_doc[] = "{\"version\": 1}\0garbage";

    (void)state;
    refused("", S, "not valid JSON");
    refused("{\"version\": 1,", S, "not valid JSON");
    refused(nul_doc, sizeof(nul_doc) - 1, "not valid JSON");
    refused("[]", S, "not a JSON object");
    refused("{\"version\": 2, \"attestation_bundles\": []}", S, "not version 1");
    refused("{\"version\": \"1\"}", S, "not version 1");
    refused("{\"attestation_bundles\": []}", S, "not version 1");
    refused("{\"version\": 1}", S, "no attestation bundles");
    refused("{\"version\": 1, \"attestation_bundles\": []}", S, "no attestation bundles");
    refused("{\"version\": 1, \"attestation_bundles\": {}}", S, "no attestation bundles");
    refused("{\"version\": 1, \"version\": 1}", S, "not valid JSON");
    refused("{\"version\": 1, \"attestation_bundles\": [{\"attestations\": []}]}", S,
            "no publisher object");
    refused_pub("\"GitHub\"", "no publisher object");
    refused_pub("{\"repository\": \"a/b\"}", "no 'kind'");
    refused_pub("{\"kind\": \"ActiveState\", \"organization\": \"x\"}",
                "kind 'ActiveState' names no repository");
    refused_pub("{\"kind\": \"GitHub\", \"repository\": 7}", "'repository' is not a string");
    refused_pub("{\"kind\": [\"GitHub\"], \"repository\": \"a/b\"}", "'kind' is not a string");
    refused_pub("{\"kind\": \"GitHub\", \"repository\": \"a/b\\nc\"}", "control character");
    refused_pub("{\"kind\": \"GitHub\", \"repository\": \"a/b\", \"workflow\": \"w\\u001b[31m\"}",
                "'workflow' holds a control character");
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    d = pg_xasprintf("{\"kind\": \"GitHub\", \"repository\": \"o/%s\"}", big);
    refused_pub(d, "'repository' is longer than");
    free(d);
}

static void test_size_cap(void **state)
{
    size_t n = PG_PYPIPROV_MAX_BODY + 1;
    char *body = pg_xmalloc(n);

    (void)state;
    memset(body, ' ', n);
    refused(body, n, "larger than");
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_github),       cmocka_unit_test(test_other_kinds),
        cmocka_unit_test(test_first_bundle), cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_size_cap),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
