/* PEP 508 requirement strings: what parses, into what, and what is refused and why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pg_pep508.h"
#include "pg_util.h"
#include "banned.h"

struct good {
    const char *text;
    const char *name, *extras, *spec, *url, *marker; /* NULL: expect NULL */
};

static const struct good goods[] = {
    {"requests", "requests", NULL, "", NULL, NULL},
    {"  requests  ", "requests", NULL, "", NULL, NULL},
    {"a", "a", NULL, "", NULL, NULL},
    {"Zope.Interface-x_y", "Zope.Interface-x_y", NULL, "", NULL, NULL},
    {"requests==2.31.0", "requests", NULL, "==2.31.0", NULL, NULL},
    {"requests >= 2.8.1 , < 3", "requests", NULL, ">=2.8.1,<3", NULL, NULL},
    {"requests>= 2.8", "requests", NULL, ">=2.8", NULL, NULL},
    {"requests\t>=2.8", "requests", NULL, ">=2.8", NULL, NULL},
    {"requests[security,socks]>=2.0", "requests", "security,socks", ">=2.0", NULL, NULL},
    {"requests [ security , socks ] >=2.0", "requests", "security,socks", ">=2.0", NULL, NULL},
    {"requests[]", "requests", NULL, "", NULL, NULL},
    {"requests[ ]", "requests", NULL, "", NULL, NULL},
    {"requests (>=2.0,<3.0)", "requests", NULL, ">=2.0,<3.0", NULL, NULL},
    {"requests( >= 2.0 )", "requests", NULL, ">=2.0", NULL, NULL},
    {"Django~=4.2.1", "Django", NULL, "~=4.2.1", NULL, NULL},
    {"Django~=4.2", "Django", NULL, "~=4.2", NULL, NULL},
    {"foo===1.0-weird+thing", "foo", NULL, "===1.0-weird+thing", NULL, NULL},
    {"foo==1.0.*", "foo", NULL, "==1.0.*", NULL, NULL},
    {"foo!=1.0.*,>=0.9", "foo", NULL, "!=1.0.*,>=0.9", NULL, NULL},
    {"foo==1.0+local.1-x", "foo", NULL, "==1.0+local.1-x", NULL, NULL},
    {"foo>=1.0a1", "foo", NULL, ">=1.0a1", NULL, NULL},
    {"foo>=1.0-alpha.2", "foo", NULL, ">=1.0-alpha.2", NULL, NULL},
    {"foo>=1.0.post1", "foo", NULL, ">=1.0.post1", NULL, NULL},
    {"foo>=1.0-1", "foo", NULL, ">=1.0-1", NULL, NULL},
    {"foo>=1.0rev2", "foo", NULL, ">=1.0rev2", NULL, NULL},
    {"foo>=1.0.dev3", "foo", NULL, ">=1.0.dev3", NULL, NULL},
    {"foo>=1.0rc1.post2.dev3", "foo", NULL, ">=1.0rc1.post2.dev3", NULL, NULL},
    {"foo>=1!2.0", "foo", NULL, ">=1!2.0", NULL, NULL},
    {"foo==v1.0", "foo", NULL, "==v1.0", NULL, NULL},
    {"foo<2,>1,!=1.5", "foo", NULL, "<2,>1,!=1.5", NULL, NULL},
    {"foo>=1,", "foo", NULL, ">=1", NULL, NULL},
    {"foo>=1.0RC1", "foo", NULL, ">=1.0RC1", NULL, NULL},
    {"foo; python_version < '3.8'", "foo", NULL, "", NULL, "python_version < '3.8'"},
    {"foo>=1.0 ; sys_platform == 'win32' and python_version >= \"3.6\"", "foo", NULL, ">=1.0",
     NULL, "sys_platform == 'win32' and python_version >= \"3.6\""},
    {"foo;(os_name=='nt' or os_name=='posix')and extra=='x'", "foo", NULL, "", NULL,
     "(os_name=='nt' or os_name=='posix')and extra=='x'"},
    {"foo ; 'linux' in sys_platform", "foo", NULL, "", NULL, "'linux' in sys_platform"},
    {"foo ; platform_machine not  in 'x86_64 aarch64'", "foo", NULL, "", NULL,
     "platform_machine not  in 'x86_64 aarch64'"},
    {"foo ; os.name == 'posix' ", "foo", NULL, "", NULL, "os.name == 'posix'"},
    {"foo[x] (>1) ; implementation_name == \"cpython\"", "foo", "x", ">1", NULL,
     "implementation_name == \"cpython\""},
    {"pkg @ https://example.org/pkg-1.0.tar.gz", "pkg", NULL, "",
     "https://example.org/pkg-1.0.tar.gz", NULL},
    {"pkg@https://example.org/p.whl", "pkg", NULL, "", "https://example.org/p.whl", NULL},
    {"pkg[extra] @ git+https://github.com/u/r.git@v1 ; python_version>'3'", "pkg", "extra", "",
     "git+https://github.com/u/r.git@v1", "python_version>'3'"},
    {"pkg @ file:///tmp/pkg", "pkg", NULL, "", "file:///tmp/pkg", NULL},
    {"pkg @ https://x/y;z", "pkg", NULL, "", "https://x/y;z", NULL},
};

struct bad {
    const char *text;
    const char *why; /* part of the message */
};

static const struct bad bads[] = {
    {"", "expected a package name (column 1)"},
    {"   ", "expected a package name"},
    {"-foo", "expected a package name"},
    {">=1.0", "expected a package name"},
    {"foo-", "expected the end or ';' after the name (column 4)"},
    {"foo_", "expected the end or ';' after the name"},
    {"foo>=", "expected a valid version after '>='"},
    {"foo~=1", "expected a valid version after '~='"},
    {"foo==bar", "expected a valid version after '=='"},
    {"foo===", "expected a valid version after '==='"},
    {"foo>=1.0.*", "'.*' suffix can only be used with == or !="},
    {"foo~=1.0.*", "'.*' suffix"},
    {"foo>=1.0+local", "local version label can only be used with == or !="},
    {"foo>=1.0abc", "expected the end or ';' after the version specifier"},
    {"foo=1.0", "did you mean '=='"},
    {"foo>=1.0[extra]", "after the version specifier"},
    {"foo>=1.0 bar", "after the version specifier"},
    {"foo bar", "after the name"},
    {"foo[bar", "expected ']' after extras"},
    {"foo[bar baz]", "expected comma between extra names"},
    {"foo[bar,]", "expected extra name after comma"},
    {"foo[-x]", "expected ']' after extras"},
    {"foo (>=1.0", "expected ')' after version specifier"},
    {"foo @ ", "expected a URL after '@'"},
    {"foo @ 1.0", "'1.0' is not a URL"},
    {"foo@1.0", "is not a URL"},
    {"foo @ https://x bar", "expected the end or ';' after the URL"},
    {"foo ; ", "expected a marker variable or quoted string"},
    {"foo ; python_version", "expected a marker operator"},
    {"foo ; python_version >= ", "expected a marker variable or quoted string"},
    {"foo ; os_name == 'nt", "unterminated string in marker"},
    {"foo ; os_name == 'nt' xor 1", "expected 'and', 'or' or the end of the marker"},
    {"foo ; os_name == 'nt' and", "expected a marker variable"},
    {"foo ; unknown_var == '1'", "expected a marker variable or quoted string"},
    {"foo ; python_versionx == '1'", "expected a marker variable"},
    {"foo ; os_name not'in' 'x'", "expected whitespace after 'not'"},
    {"foo ; os_name not is 'x'", "expected 'in' after 'not'"},
    {"foo ; (os_name == 'nt'", "expected ')' to close marker expression"},
    {"foo ; os_name = 'nt'", "expected a marker operator"},
};

static void expect_str(const char *want, const char *got, const char *input)
{
    if (!want) {
        if (got)
            fail_msg("'%s': expected NULL, got '%s'", input, got);
        return;
    }
    if (!got || strcmp(want, got) != 0)
        fail_msg("'%s': expected '%s', got '%s'", input, want, got ? got : "(null)");
}

static void test_good(void **state)
{
    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(goods); i++) {
        struct pg_pep508 r = PG_PEP508_INIT;
        struct pg_err err = PG_ERR_INIT;

        if (pg_pep508_parse(&r, goods[i].text, &err) < 0)
            fail_msg("'%s' refused: %s", goods[i].text, err.msg);
        expect_str(goods[i].name, r.name, goods[i].text);
        expect_str(goods[i].extras, r.extras, goods[i].text);
        expect_str(goods[i].spec, r.spec, goods[i].text);
        expect_str(goods[i].url, r.url, goods[i].text);
        expect_str(goods[i].marker, r.marker, goods[i].text);
        pg_pep508_release(&r);
    }
}

static void test_bad(void **state)
{
    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(bads); i++) {
        struct pg_pep508 r = PG_PEP508_INIT;
        struct pg_err err = PG_ERR_INIT;

        if (pg_pep508_parse(&r, bads[i].text, &err) == 0)
            fail_msg("'%s' accepted", bads[i].text);
        if (!strstr(err.msg, bads[i].why))
            fail_msg("'%s': message '%s' lacks '%s'", bads[i].text, err.msg, bads[i].why);
        if (strncmp(err.msg, "invalid requirement '", 21) != 0)
            fail_msg("'%s': message '%s' does not quote the input", bads[i].text, err.msg);
        assert_null(r.name);
    }
}

static void test_pinned(void **state)
{
    static const struct {
        const char *spec, *want;
    } cases[] = {
        {"==1.0", "1.0"},     {"==1.0+local", "1.0+local"}, {"===weird", "weird"},
        {"==1.0.*", NULL},    {">=1", NULL},                {"~=1.0", NULL},
        {"==1,>=0.5", NULL},  {"", NULL},                   {"!=1.0", NULL},
        {"==v2", "v2"},       {"===", NULL},                {"==", NULL},
    };
    char *got;

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
        got = pg_pep508_pinned(cases[i].spec);
        expect_str(cases[i].want, got, cases[i].spec);
        free(got);
    }
    assert_null(pg_pep508_pinned(NULL));
}

static void test_marker_alone(void **state)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_sb deep = PG_SB_INIT;

    (void)state;
    assert_int_equal(pg_pep508_check_marker("python_version >= '3.8'", &err), 0);
    assert_int_equal(pg_pep508_check_marker("extra == 'test' or (os_name != 'nt')", &err), 0);
    assert_int_equal(pg_pep508_check_marker("dependency_groups == 'x'", &err), 0);
    assert_int_equal(pg_pep508_check_marker("python_version >= '3.8' garbage", &err), -1);
    assert_non_null(strstr(err.msg, "invalid marker '"));
    /* Nesting is capped, not a stack overflow. */
    for (int i = 0; i < PG_PEP508_MAX_NEST + 1; i++)
        pg_sb_addc(&deep, '(');
    pg_sb_adds(&deep, "os_name == 'nt'");
    for (int i = 0; i < PG_PEP508_MAX_NEST + 1; i++)
        pg_sb_addc(&deep, ')');
    assert_int_equal(pg_pep508_check_marker(pg_sb_str(&deep), &err), -1);
    assert_non_null(strstr(err.msg, "nested more than"));
    /* One level less is fine. */
    pg_sb_reset(&deep);
    for (int i = 0; i < PG_PEP508_MAX_NEST; i++)
        pg_sb_addc(&deep, '(');
    pg_sb_adds(&deep, "os_name == 'nt'");
    for (int i = 0; i < PG_PEP508_MAX_NEST; i++)
        pg_sb_addc(&deep, ')');
    assert_int_equal(pg_pep508_check_marker(pg_sb_str(&deep), &err), 0);
    pg_sb_release(&deep);
}

static void test_limits(void **state)
{
    struct pg_pep508 r = PG_PEP508_INIT;
    struct pg_err err = PG_ERR_INIT;
    char *big = malloc(PG_PEP508_MAX + 2);

    (void)state;
    assert_non_null(big);
    memset(big, 'a', PG_PEP508_MAX + 1);
    big[PG_PEP508_MAX + 1] = '\0';
    assert_int_equal(pg_pep508_parse(&r, big, &err), -1);
    assert_non_null(strstr(err.msg, "longer than"));
    big[PG_PEP508_MAX] = '\0';
    assert_int_equal(pg_pep508_parse(&r, big, &err), 0);
    assert_int_equal(strlen(r.name), PG_PEP508_MAX);
    pg_pep508_release(&r);
    free(big);
    /* A NULL err is allowed. */
    assert_int_equal(pg_pep508_parse(&r, "foo>=", NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),         cmocka_unit_test(test_bad),
        cmocka_unit_test(test_pinned),       cmocka_unit_test(test_marker_alone),
        cmocka_unit_test(test_limits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
