/*
 * pg_marker: PEP 508 markers evaluated as packaging 24 evaluates them,
 * and core metadata read for Requires-Dist.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pg_coremeta.h"
#include "pg_marker.h"
#include "banned.h"

static struct pg_marker_env linux311(void)
{
    struct pg_marker_env e = {{0}};

    e.v[PG_MK_PYTHON_VERSION] = "3.11";
    e.v[PG_MK_PYTHON_FULL_VERSION] = "3.11.7";
    e.v[PG_MK_SYS_PLATFORM] = "linux";
    e.v[PG_MK_PLATFORM_SYSTEM] = "Linux";
    e.v[PG_MK_PLATFORM_MACHINE] = "x86_64";
    e.v[PG_MK_OS_NAME] = "posix";
    e.v[PG_MK_IMPLEMENTATION_NAME] = "cpython";
    e.v[PG_MK_PLATFORM_PYTHON_IMPLEMENTATION] = "CPython";
    e.v[PG_MK_PLATFORM_RELEASE] = "6.1.0-13-amd64";
    return e;
}

static int ev(const char *m, const char *extra)
{
    struct pg_marker_env e = linux311();

    return pg_marker_eval(m, &e, extra, NULL);
}

static void test_versions(void **state)
{
    (void)state;
    assert_int_equal(ev("python_version < \"3.8\"", ""), 0);
    /* As versions, not strings: "3.11" > "3.9" though "3.11" < "3.9" as text. */
    assert_int_equal(ev("python_version >= '3.9'", ""), 1);
    assert_int_equal(ev("python_full_version == '3.11.*'", ""), 1);
    assert_int_equal(ev("'3.8' < python_version", ""), 1);
    assert_int_equal(ev("python_version ~= '3.10'", ""), 1);
}

static void test_strings_and_logic(void **state)
{
    (void)state;
    assert_int_equal(ev("sys_platform == 'linux'", ""), 1);
    assert_int_equal(ev("sys_platform == 'win32' or os_name == 'posix'", ""), 1);
    assert_int_equal(ev("(sys_platform == 'linux' and platform_machine == 'arm64')", ""), 0);
    assert_int_equal(ev("'linux' in sys_platform", ""), 1);
    assert_int_equal(ev("'win' not in sys_platform", ""), 1);
    assert_int_equal(ev("sys.platform == 'linux'", ""), 1); /* legacy spelling */
    assert_int_equal(ev("implementation_name == 'pypy'", ""), 0);
    /* Not a version: compared as text. */
    assert_int_equal(ev("platform_system != 'Windows'", ""), 1);
}

static void test_extras(void **state)
{
    (void)state;
    assert_int_equal(ev("extra == 'socks'", ""), 0);
    assert_int_equal(ev("extra == 'socks'", "socks"), 1);
    assert_int_equal(ev("extra == 'Fancy_Extra'", "fancy-extra"), 1); /* normalised */
    assert_int_equal(ev("python_version >= '3' and extra == 'a'", "a"), 1);
}

static void test_errors(void **state)
{
    struct pg_marker_env e = linux311();
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    assert_int_equal(pg_marker_eval("platform_version == 'x'", &e, "", &err), -1);
    assert_non_null(strstr(err.msg, "platform_version"));
    assert_int_equal(pg_marker_eval("sys_platform ~= 'linux'", &e, "", &err), -1);
    assert_int_equal(pg_marker_eval("'a' == 'b'", &e, "", NULL), -1);
    assert_int_equal(pg_marker_eval("python_version <", &e, "", NULL), -1);
    assert_int_equal(pg_marker_eval("(python_version > '3'", &e, "", NULL), -1);
    /* A version operator on a value that is no version: packaging raises. */
    assert_int_equal(pg_marker_eval("platform_release >= '5.0'", &e, "", NULL), -1);
    /* Every comparison is evaluated: the undefined one counts after 'or'. */
    assert_int_equal(pg_marker_eval("os_name == 'posix' or platform_version == 'x'", &e, "", NULL),
                     -1);
}

static void test_coremeta(void **state)
{
    static const char text[] = "Metadata-Version: 2.1\nName: Foo_Bar\nVersion: 1.0\n"
                               "Requires-Dist: a>=1\nRequires-Dist: b; extra == 'x'\n"
                               "Description: first\n  continued\n\nRequires-Dist: body\n";
    struct pg_coremeta m = PG_COREMETA_INIT;
    const char *json;

    (void)state;
    assert_int_equal(pg_coremeta_parse(&m, text, sizeof(text) - 1, NULL), 0);
    assert_string_equal(m.name, "Foo_Bar");
    assert_string_equal(m.version, "1.0");
    assert_int_equal(m.requires.n, 2);
    assert_string_equal(m.requires.v[1], "b; extra == 'x'");
    pg_coremeta_release(&m);
    json = "{\"info\":{\"name\":\"x\",\"requires_dist\":null}}";
    assert_int_equal(pg_coremeta_parse_json(&m, json, strlen(json), NULL), 0);
    assert_int_equal(m.known, 0);
    pg_coremeta_release(&m);
    json = "{\"info\":{\"requires_dist\":[\"y\"]}}";
    assert_int_equal(pg_coremeta_parse_json(&m, json, strlen(json), NULL), 0);
    assert_int_equal(m.known, 1);
    assert_int_equal(m.requires.n, 1);
    pg_coremeta_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions), cmocka_unit_test(test_strings_and_logic),
        cmocka_unit_test(test_extras),   cmocka_unit_test(test_errors),
        cmocka_unit_test(test_coremeta),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
