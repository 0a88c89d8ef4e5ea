/*
 * test_par.c - pg_par_for: every item exactly once, whatever the count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "pg_par.h"
#include "pg_util.h"
#include "banned.h"

struct counts {
    atomic_int *seen;
    atomic_int calls;
};

static void count(void *arg, size_t i)
{
    struct counts *c = arg;

    atomic_fetch_add(&c->seen[i], 1);
    atomic_fetch_add(&c->calls, 1);
}

static void run(size_t n, size_t min_each)
{
    struct counts c = {pg_xcalloc(n + 1, sizeof(atomic_int)), 0};

    pg_par_for(n, min_each, count, &c);
    assert_int_equal(atomic_load(&c.calls), (int)n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(atomic_load(&c.seen[i]), 1);
    free(c.seen);
}

static void test_each_once(void **state)
{
    (void)state;
    run(0, 0);
    run(1, 32);
    run(31, 32);  /* below one thread's share: the caller alone */
    run(100, 0);  /* every core */
    run(5000, 32);
}

static void set_flag(void *arg)
{
    atomic_store((atomic_int *)arg, 1);
}

/* Both halves run, whichever finishes first. */
static void test_two(void **state)
{
    atomic_int a = 0, b = 0;

    (void)state;
    pg_par_two(set_flag, &a, set_flag, &b);
    assert_int_equal(atomic_load(&a), 1);
    assert_int_equal(atomic_load(&b), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_once),
        cmocka_unit_test(test_two),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
