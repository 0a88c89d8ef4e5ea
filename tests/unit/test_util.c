/* Small utilities: redaction of credentials in URLs, checked numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "pg_util.h"
#include "banned.h"

static void redacts(const char *in, const char *want)
{
    char *got = pg_redact_urls(in);

    assert_string_equal(got, want);
    free(got);
}

static void test_redact(void **state)
{
    (void)state;
    redacts("left-pad", "left-pad");
    redacts("git+https://x-access-token:ghp_SECRET@github.com/o/r.git",
            "git+https://****@github.com/o/r.git");
    redacts("https://u:p@w@host:8080/simple?x=1", "https://****@host:8080/simple?...");
    redacts("https://host/a@b", "https://host/a@b");
    redacts("file:///tmp/x", "file:///tmp/x");
    redacts("pkg @ https://user@host/p.whl ; python_version>'3'",
            "pkg @ https://****@host/p.whl ; python_version>'3'");
    redacts("a://b@c d://e@f", "a://****@c d://****@f");
    redacts("://", "://");
    /* Queries: a pre-signed URL's signature and key id, wherever the URL sits. */
    redacts("https://h.s3.amazonaws.com/x.tgz?X-Amz-Signature=abc&X-Amz-Credential=AKIA%2F1",
            "https://h.s3.amazonaws.com/x.tgz?...");
    redacts("from a url source (https://u:t@h/x.tgz?sig=abc) that no registry vouches for",
            "from a url source (https://****@h/x.tgz?...) that no registry vouches for");
    redacts("'https://h/p?token=abc' and \"https://h/q?k=v#frag\"",
            "'https://h/p?...' and \"https://h/q?...#frag\"");
    redacts("x @ https://h/x.whl?X-Amz-Signature=abc ; python_version>'3'",
            "x @ https://h/x.whl?... ; python_version>'3'");
    redacts("https://h?sig=abc", "https://h?...");
    redacts("https://h/p?", "https://h/p?");
    redacts("https://h/p#sha256=ab?c", "https://h/p#sha256=ab?c");
    /* A URL inside another's path is redacted on its own. */
    redacts("https://web.archive.org/web/1/https://u:p@h/x?s=1",
            "https://web.archive.org/web/1/https://****@h/x?...");
    redacts("", "");
}

static void test_parse_u64(void **state)
{
    uint64_t v = 7;

    (void)state;
    assert_int_equal(pg_parse_u64("42", 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(pg_parse_u64("101", 100, &v), -1);
    assert_int_equal(pg_parse_u64("18446744073709551616", UINT64_MAX, &v), -1);
    assert_int_equal(pg_parse_u64("-1", 100, &v), -1);
    assert_int_equal(pg_parse_u64("", 100, &v), -1);
    assert_int_equal(pg_parse_u64("1 ", 100, &v), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redact),
        cmocka_unit_test(test_parse_u64),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
