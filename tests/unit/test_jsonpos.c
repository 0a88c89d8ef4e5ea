/* Positions of values in JSON text, by path (policy errors rely on them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pg_jsonpos.h"
#include "banned.h"

static const char doc[] = "{\r\n"
                          "  \"a\": [1, {\"x\": \"}]\\\"\"}, [[2]], {\"b\": true}],\n"
                          "\t\"k\\u00e9y\": {\"\xf0\x9f\x98\x80\": null, \"\\ud83d\\ude00z\": 5}\n"
                          "}";

static void at(const struct pg_jsonpos_step *path, size_t depth, enum pg_jsonpos_what what,
               int want_line, int want_col)
{
    unsigned line = 0, col = 0;
    int rc = pg_jsonpos_find(doc, strlen(doc), path, depth, what, &line, &col);

    if (want_line < 0) {
        assert_int_equal(rc, -1);
        return;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(line, want_line);
    assert_int_equal(col, want_col);
}

static void test_paths(void **state)
{
    const struct pg_jsonpos_step a3b[] = {{"a", 0}, {NULL, 3}, {"b", 0}};
    const struct pg_jsonpos_step a1x[] = {{"a", 0}, {NULL, 1}, {"x", 0}};
    const struct pg_jsonpos_step a2[] = {{"a", 0}, {NULL, 2}, {NULL, 0}, {NULL, 0}};
    const struct pg_jsonpos_step key[] = {{"k\xc3\xa9y", 0}, {"\xf0\x9f\x98\x80z", 0}};
    const struct pg_jsonpos_step emoji[] = {{"k\xc3\xa9y", 0}, {"\xf0\x9f\x98\x80", 0}};
    const struct pg_jsonpos_step missing[] = {{"a", 0}, {NULL, 4}};
    const struct pg_jsonpos_step wrong[] = {{"a", 0}, {"b", 0}};
    const struct pg_jsonpos_step nokey[] = {{"z", 0}};

    (void)state;
    at(NULL, 0, PG_JSONPOS_VALUE, 1, 1);
    at(a3b, 1, PG_JSONPOS_KEY, 2, 3);
    at(a3b, 1, PG_JSONPOS_VALUE, 2, 8);
    at(a3b, 2, PG_JSONPOS_VALUE, 2, 34);
    at(a3b, 3, PG_JSONPOS_KEY, 2, 35);
    at(a3b, 3, PG_JSONPOS_VALUE, 2, 40);
    at(a1x, 3, PG_JSONPOS_VALUE, 2, 18);
    at(a2, 4, PG_JSONPOS_VALUE, 2, 29);
    /* keys are compared decoded; columns count characters, a tab is one */
    at(key, 1, PG_JSONPOS_KEY, 3, 2);
    at(emoji, 2, PG_JSONPOS_VALUE, 3, 20);
    at(key, 2, PG_JSONPOS_KEY, 3, 26);
    at(key, 2, PG_JSONPOS_VALUE, 3, 43);
    at(missing, 2, PG_JSONPOS_VALUE, -1, -1);
    at(wrong, 2, PG_JSONPOS_VALUE, -1, -1);
    at(nokey, 1, PG_JSONPOS_KEY, -1, -1);
}

static void test_broken_text(void **state)
{
    static const char *const bad[] = {
        "",
        "   ",
        "{",
        "{\"a\"",
        "{\"a\" 1}",
        "{\"a\": 1,",
        "{\"a\": [1, 2",
        "{\"a\": \"\\u12",
        "{\"a\": \"\\q\"}",
        "[1, 2]",
        "{\"b\": 1 \"z\": 2}",
        "{\"b\": [}}], \"z\": 2}",
        "{\"a\": 1}",
    };
    const struct pg_jsonpos_step path[] = {{"a", 0}}, z[] = {{"z", 0}};
    unsigned line, col;

    (void)state;
    /* the scan stops at the first malformation before the target */
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (pg_jsonpos_find(bad[i], strlen(bad[i]), z, 1, PG_JSONPOS_VALUE, &line, &col) != -1)
            fail_msg("'%s' gave %u:%u", bad[i], line, col);
    /* len bounds the scan even without a NUL */
    assert_int_equal(pg_jsonpos_find("{\"a\": 1}", 5, path, 1, PG_JSONPOS_VALUE, &line, &col), -1);
    assert_int_equal(pg_jsonpos_find(NULL, 0, path, 1, PG_JSONPOS_VALUE, &line, &col), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_broken_text),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
