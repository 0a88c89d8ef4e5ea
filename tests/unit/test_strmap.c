/*
 * pg_strmap: put, get, replace, growth past many resizes, and keys that
 * differ only after a separator byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "pg_strmap.h"

static void put_get_replace(void **state)
{
    struct pg_strmap m = PG_STRMAP_INIT;

    (void)state;
    assert_null(pg_strmap_get(&m, "a"));
    assert_int_equal(pg_strmap_put(&m, "a", 1), 1);
    assert_int_equal(pg_strmap_put(&m, "b", 2), 1);
    assert_int_equal(*pg_strmap_get(&m, "a"), 1);
    assert_int_equal(pg_strmap_put(&m, "a", 7), 0);
    assert_int_equal(*pg_strmap_get(&m, "a"), 7);
    assert_null(pg_strmap_get(&m, "c"));
    assert_null(pg_strmap_get(&m, ""));
    assert_int_equal(pg_strmap_put(&m, "", 3), 1);
    assert_int_equal(*pg_strmap_get(&m, ""), 3);
    assert_int_equal(m.n, 3);
    pg_strmap_release(&m);
    assert_int_equal(m.n, 0);
    pg_strmap_release(&m);
}

static void many_keys(void **state)
{
    struct pg_strmap m = PG_STRMAP_INIT;
    char key[32];

    (void)state;
    for (size_t i = 0; i < 100000; i++) {
        snprintf(key, sizeof(key), "pkg-%zu\x1f" "1.0.0", i);
        assert_int_equal(pg_strmap_put(&m, key, i), 1);
    }
    for (size_t i = 0; i < 100000; i += 997) {
        snprintf(key, sizeof(key), "pkg-%zu\x1f" "1.0.0", i);
        assert_non_null(pg_strmap_get(&m, key));
        assert_int_equal(*pg_strmap_get(&m, key), i);
        snprintf(key, sizeof(key), "pkg-%zu\x1f" "1.0.1", i);
        assert_null(pg_strmap_get(&m, key));
    }
    assert_int_equal(m.n, 100000);
    assert_true(m.cap >= 2 * m.n);
    pg_strmap_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(put_get_replace),
        cmocka_unit_test(many_keys),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
