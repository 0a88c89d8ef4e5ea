/* pg_meta_merge: one project as several indexes serve it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pg_meta.h"
#include "pg_util.h"
#include "banned.h"

static struct pg_meta_version *add(struct pg_meta *m, const char *v, int64_t t, int yanked,
                                   enum pg_evidence ev)
{
    struct pg_meta_version *mv = pg_meta_add_version(m, v);

    mv->published = t;
    mv->yanked = yanked;
    mv->evidence = ev;
    return mv;
}

static void test_merge(void **state)
{
    struct pg_meta *a = pg_meta_new(PG_ECO_PYPI, "acme");
    struct pg_meta *b = pg_meta_new(PG_ECO_PYPI, "acme");
    struct pg_meta *gone = pg_meta_new(PG_ECO_PYPI, "acme");
    const struct pg_meta *parts[4];
    const struct pg_meta_version *v;
    struct pg_meta *m;

    (void)state;
    gone->exists = 0;
    add(a, "1.0", 100, 0, PG_EVID_PROVENANCE)->integrity = pg_xstrdup("sha256=aa");
    add(a, "2.0", 200, 1, PG_EVID_NONE);
    add(b, "1.0", 150, 1, PG_EVID_NONE);
    add(b, "2.0", 180, 1, PG_EVID_NONE);
    add(b, "9.0", 900, 0, PG_EVID_NONE);
    b->status = pg_xstrdup("quarantined");
    parts[0] = gone;
    parts[1] = a;
    parts[2] = NULL;
    parts[3] = b;
    m = pg_meta_merge(parts, 4);
    assert_non_null(m);
    assert_int_equal(m->exists, 1);
    assert_int_equal(m->nversions, 3);
    v = pg_meta_find(m, "1.0");
    assert_int_equal(v->published, 150);           /* the youngest upload */
    assert_int_equal(v->yanked, 0);                /* yanked on one index only */
    assert_int_equal(v->evidence, PG_EVID_NONE);   /* the weakest evidence */
    assert_string_equal(v->integrity, "sha256=aa"); /* first index's fields */
    assert_int_equal(pg_meta_find(m, "2.0")->yanked, 1); /* yanked everywhere */
    assert_int_equal(pg_meta_find(m, "9.0")->published, 900);
    assert_string_equal(m->status, "quarantined");
    /* parts[0] is the primary index; here it does not have the project. */
    assert_int_equal(m->primary_has, 0);
    pg_meta_free(m);
    parts[0] = a;
    parts[1] = b;
    m = pg_meta_merge(parts, 2);
    assert_int_equal(m->primary_has, 1);
    assert_int_equal(pg_meta_find(m, "1.0")->elsewhere, 0);
    assert_int_equal(pg_meta_find(m, "9.0")->elsewhere, 1);
    pg_meta_free(m);

    parts[0] = gone;
    m = pg_meta_merge(parts, 1);
    assert_int_equal(m->exists, 0);
    pg_meta_free(m);
    parts[0] = NULL;
    assert_null(pg_meta_merge(parts, 1));
    pg_meta_free(a);
    pg_meta_free(b);
    pg_meta_free(gone);
}

/* Versions are found as the ecosystem compares them, in O(1). */
static void test_find(void **state)
{
    struct pg_meta *py = pg_meta_new(PG_ECO_PYPI, "spell");
    struct pg_meta *js = pg_meta_new(PG_ECO_NPM, "spell");
    char v[32];

    (void)state;
    add(py, "1.0", 100, 0, PG_EVID_NONE);
    add(js, "1.0.0", 100, 0, PG_EVID_NONE);
    assert_ptr_equal(pg_meta_find(py, "1.0.0"), &py->versions[0]);
    assert_ptr_equal(pg_meta_find(py, "1.0"), &py->versions[0]);
    assert_null(pg_meta_find(py, "1.0.1"));
    assert_null(pg_meta_find(js, "1.0"));
    assert_ptr_equal(pg_meta_find(js, "1.0.0"), &js->versions[0]);
    /* Many versions, and every one still found after the table grew. */
    for (int i = 0; i < 5000; i++) {
        snprintf(v, sizeof(v), "2.%d", i);
        add(py, v, i, 0, PG_EVID_NONE);
    }
    for (int i = 0; i < 5000; i += 499) {
        snprintf(v, sizeof(v), "2.%d.0", i);
        assert_int_equal(pg_meta_find(py, v)->published, i);
    }
    pg_meta_free(py);
    pg_meta_free(js);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_find),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
