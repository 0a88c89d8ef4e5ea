/*
 * test_pypimeta.c - lib/pg_pypimeta: what a PEP 691 page says about each
 * version's PEP 740 provenance: the evidence, and the provenance URL made
 * absolute against the page's own URL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "pg_pypimeta.h"
#include "pg_util.h"

#define PAGE "https://idx.example/simple/x/"

static const char page[] =
    "{\"meta\": {\"api-version\": \"1.4\"}, \"name\": \"x\", \"files\": ["
    /* 1.0: a relative URL on the first file, an absolute one on the second */
    "{\"filename\": \"x-1.0.tar.gz\", \"url\": \"../../files/x-1.0.tar.gz\","
    " \"hashes\": {\"sha256\": \"aa\"}, \"upload-time\": \"2024-01-01T00:00:00Z\","
    " \"provenance\": \"../../integrity/x/1.0/x-1.0.tar.gz/provenance\"},"
    "{\"filename\": \"x-1.0-py3-none-any.whl\", \"url\": \"/files/x-1.0-py3-none-any.whl\","
    " \"hashes\": {\"sha256\": \"bb\"}, \"upload-time\": \"2024-01-01T00:00:01Z\","
    " \"provenance\": \"https://other.example/p/whl\"},"
    /* 2.0: none */
    "{\"filename\": \"x-2.0.tar.gz\", \"url\": \"/files/x-2.0.tar.gz\","
    " \"hashes\": {\"sha256\": \"cc\"}, \"upload-time\": \"2024-02-01T00:00:00Z\","
    " \"provenance\": null},"
    /* 3.0: the first file has none, the second an absolute URL */
    "{\"filename\": \"x-3.0.tar.gz\", \"url\": \"/files/x-3.0.tar.gz\","
    " \"hashes\": {\"sha256\": \"dd\"}, \"upload-time\": \"2024-03-01T00:00:00Z\"},"
    "{\"filename\": \"x-3.0-py3-none-any.whl\", \"url\": \"/files/x-3.0-py3-none-any.whl\","
    " \"hashes\": {\"sha256\": \"ee\"}, \"upload-time\": \"2024-03-01T00:00:00Z\","
    " \"provenance\": \"https://idx.example/integrity/x/3.0/x-3.0-py3-none-any.whl/provenance\"},"
    /* 4.0: a URL curl cannot parse */
    "{\"filename\": \"x-4.0.tar.gz\", \"url\": \"/files/x-4.0.tar.gz\","
    " \"hashes\": {\"sha256\": \"ff\"}, \"upload-time\": \"2024-04-01T00:00:00Z\","
    " \"provenance\": \"https://[::1/broken\"}"
    "]}";

static struct pg_meta *parse(const char *page_url)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_meta *m = pg_pypimeta_parse_simple("x", page_url, page, sizeof(page) - 1, &err);

    if (!m)
        fail_msg("refused: %s", err.msg);
    assert_int_equal(m->nversions, 4);
    return m;
}

static void test_resolved_against_page(void **state)
{
    struct pg_meta *m = parse(PAGE);
    const struct pg_meta_version *v;

    (void)state;
    v = pg_meta_find(m, "1.0");
    assert_int_equal(v->evidence, PG_EVID_PROVENANCE);
    assert_string_equal(v->provenance_url,
                        "https://idx.example/integrity/x/1.0/x-1.0.tar.gz/provenance");
    /* As young as its newest file. */
    assert_int_equal(pg_meta_find(m, "1.0")->published, 1704067201);
    v = pg_meta_find(m, "2.0");
    assert_int_equal(v->evidence, PG_EVID_NONE);
    assert_null(v->provenance_url);
    v = pg_meta_find(m, "3.0");
    /* pip may take the unattested sdist: the version is as weak as that. */
    assert_int_equal(v->evidence, PG_EVID_NONE);
    assert_string_equal(v->provenance_url,
                        "https://idx.example/integrity/x/3.0/x-3.0-py3-none-any.whl/provenance");
    /* Unusable URL: still provenance, but nothing to fetch. */
    v = pg_meta_find(m, "4.0");
    assert_int_equal(v->evidence, PG_EVID_PROVENANCE);
    assert_null(v->provenance_url);
    pg_meta_free(m);
}

/* Without the page's URL a relative link cannot be placed: dropped. */
static void test_no_base(void **state)
{
    struct pg_meta *m = parse(NULL);
    const struct pg_meta_version *v;

    (void)state;
    v = pg_meta_find(m, "1.0");
    assert_int_equal(v->evidence, PG_EVID_PROVENANCE);
    /* The first resolvable file's URL, here the wheel's. */
    assert_string_equal(v->provenance_url, "https://other.example/p/whl");
    assert_non_null(pg_meta_find(m, "3.0")->provenance_url);
    pg_meta_free(m);
}

/* The JSON API carries no provenance. */
static void test_jsonapi(void **state)
{
    static const char other[] = "{\"info\": {\"name\": \"Y\"}, \"releases\": {}}";
    static const char doc[] = "{\"info\": {\"name\": \"X\"}, "
                              "\"releases\": {\"1.0\": [{\"filename\": \"x-1.0.tar.gz\", "
                              "\"upload_time_iso_8601\": \"2024-01-01T00:00:00Z\", "
                              "\"digests\": {\"sha256\": \"aa\"}, \"yanked\": true, "
                              "\"yanked_reason\": \"bad\"}]}}";
    struct pg_err err = PG_ERR_INIT;
    struct pg_meta *m = pg_pypimeta_parse_jsonapi("x", other, sizeof(other) - 1, &err);

    assert_null(m); /* an answer about another project does not count */
    m = pg_pypimeta_parse_jsonapi("x", doc, sizeof(doc) - 1, &err);
    const struct pg_meta_version *v;

    (void)state;
    assert_non_null(m);
    v = pg_meta_find(m, "1.0");
    assert_non_null(v);
    assert_int_equal(v->evidence, PG_EVID_NONE);
    assert_null(v->provenance_url);
    assert_int_equal(v->yanked, 1);
    assert_string_equal(v->yanked_reason, "bad");
    assert_string_equal(v->integrity, "sha256=aa");
    pg_meta_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolved_against_page),
        cmocka_unit_test(test_no_base),
        cmocka_unit_test(test_jsonapi),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
