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
    char *got = pg_redact_userinfo(in);

    assert_string_equal(got, want);
    free(got);
}

static void test_redact(void **state)
{
    (void)state;
    redacts("left-pad", "left-pad");
    redacts("git+https://x-access-token:ghp_SECRET@github.com/o/r.git",
            "git+https://****@github.com/o/r.git");
    redacts("https://u:p@w@host:8080/simple?x=1", "https://****@host:8080/simple?x=1");
    redacts("https://host/a@b", "https://host/a@b");
    redacts("file:///tmp/x", "file:///tmp/x");
    redacts("pkg @ https://user@host/p.whl ; python_version>'3'",
            "pkg @ https://****@host/p.whl ; python_version>'3'");
    redacts("a://b@c d://e@f", "a://****@c d://****@f");
    redacts("://", "://");
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
