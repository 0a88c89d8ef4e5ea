/*
 * PEP 440 against packaging 23.0 itself, and pip's pick.
 *
 * The tables in data/versions/pep440_*.tsv were written by packaging
 * (tests/unit/data/versions/README.md says how); every row is one check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pg_meta.h"
#include "pg_pep440.h"
#include "pg_util.h"
#include "pg_version.h"
#include "banned.h"

#include "versions_table.h"

static void version_row(char **f, size_t nf, void *ctx)
{
    struct pg_sb sb = PG_SB_INIT;
    struct pg_pep440 v;
    int rc = pg_pep440_parse(f[0], &v, NULL);

    (void)ctx;
    assert_int_equal(nf, 4);
    if (strcmp(f[1], "!") == 0) {
        if (rc == 0)
            fail_msg("'%s' should be invalid", f[0]);
        return;
    }
    if (rc != 0)
        fail_msg("'%s' should be valid", f[0]);
    pg_pep440_format(&v, 0, &sb);
    if (strcmp(pg_sb_str(&sb), f[1]) != 0)
        fail_msg("str(Version('%s')): want '%s', got '%s'", f[0], f[1], pg_sb_str(&sb));
    pg_sb_release(&sb);
    assert_int_equal(pg_pep440_is_prerelease(&v), f[2][0] == '1');
    assert_int_equal(v.has_post, f[3][0] == '1');
}

static void test_versions(void **state)
{
    (void)state;
    assert_true(each_row("pep440_versions.tsv", version_row, NULL) > 200);
}

static void compare_row(char **f, size_t nf, void *ctx)
{
    struct pg_pep440 a, b;
    int want = (int)strtol(f[2], NULL, 10), got;

    (void)ctx;
    assert_int_equal(nf, 3);
    assert_int_equal(pg_pep440_parse(f[0], &a, NULL), 0);
    assert_int_equal(pg_pep440_parse(f[1], &b, NULL), 0);
    got = pg_pep440_cmp(&a, &b);
    got = got < 0 ? -1 : got > 0;
    if (got != want)
        fail_msg("cmp('%s', '%s'): want %d, got %d", f[0], f[1], want, got);
    got = pg_pep440_cmp(&b, &a);
    assert_int_equal(got < 0 ? -1 : got > 0, -want);
}

static void test_compare(void **state)
{
    (void)state;
    assert_true(each_row("pep440_compare.tsv", compare_row, NULL) > 2000);
}

static void spec_row(char **f, size_t nf, void *ctx)
{
    struct pg_pep440_specset *set = pg_pep440_specset_parse(f[0], NULL);

    (void)ctx;
    assert_int_equal(nf, 4);
    if (strcmp(f[2], "!") == 0) {
        if (set)
            fail_msg("specifier set '%s' should be invalid", f[0]);
        assert_int_equal(pg_pep440_satisfies(f[1], f[0], 0), -1);
        return;
    }
    if (!set)
        fail_msg("specifier set '%s' should parse", f[0]);
    pg_pep440_specset_free(set);
    for (int pre = 0; pre < 2; pre++) {
        int want = f[2 + pre][0] == '1', got = pg_pep440_satisfies(f[1], f[0], pre);

        if (got != want)
            fail_msg("'%s' in '%s' (pre %d): want %d, got %d", f[1], f[0], pre, want, got);
    }
}

static void test_specs(void **state)
{
    (void)state;
    assert_true(each_row("pep440_specs.tsv", spec_row, NULL) > 1000);
}

static void filter_row(char **f, size_t nf, void *ctx)
{
    struct pg_pep440_specset *set = pg_pep440_specset_parse(f[0], NULL);
    struct pg_pep440 vs[8];
    const struct pg_pep440 *pv[8];
    struct pg_sb got = PG_SB_INIT;
    int keep[8];
    size_t n = 0;
    char *p = f[2], *c;

    (void)ctx;
    assert_int_equal(nf, 4);
    assert_non_null(set);
    for (; p; p = c ? c + 1 : NULL) {
        c = strchr(p, ',');
        if (c)
            *c = '\0';
        assert_true(n < 8);
        assert_int_equal(pg_pep440_parse(p, &vs[n], NULL), 0);
        pv[n] = &vs[n];
        n++;
    }
    pg_pep440_specset_filter(set, pv, n, f[1][0] == '1', keep);
    for (size_t i = 0; i < n; i++) {
        if (!keep[i])
            continue;
        if (got.len)
            pg_sb_addc(&got, ',');
        pg_pep440_format(pv[i], 0, &got);
    }
    if (strcmp(pg_sb_str(&got), f[3]) != 0)
        fail_msg("filter '%s' pre %s: want '%s', got '%s'", f[0], f[1], f[3], pg_sb_str(&got));
    pg_sb_release(&got);
    pg_pep440_specset_free(set);
}

static void test_filter(void **state)
{
    (void)state;
    assert_true(each_row("pep440_filter.tsv", filter_row, NULL) >= 20);
}

static void test_errors(void **state)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_pep440_specset *set;
    struct pg_pep440 v;
    char big[PG_PEP440_MAX_LEN + 2];

    (void)state;
    assert_null(pg_pep440_specset_parse(">=1.0,=>2", &err));
    assert_string_equal(err.msg, "invalid specifier '=>2'");
    assert_int_equal(pg_pep440_parse("1.0-", &v, &err), -1);
    assert_string_equal(err.msg, "invalid version '1.0-'");
    memset(big, '1', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(pg_pep440_parse(big, &v, &err), -1);
    assert_non_null(strstr(err.msg, "longer than"));
    set = pg_pep440_specset_parse("==1.0", NULL);
    assert_int_equal(pg_pep440_specset_pinned(set), 1);
    pg_pep440_specset_free(set);
    set = pg_pep440_specset_parse(">=1,==1.0.*", NULL);
    assert_int_equal(pg_pep440_specset_pinned(set), 0);
    pg_pep440_specset_free(set);
    set = pg_pep440_specset_parse("===1.0-odd", NULL);
    assert_int_equal(pg_pep440_specset_pinned(set), 1);
    pg_pep440_specset_free(set);
}

/* ---- pip's pick ---- */

struct fv {
    const char *v;
    int64_t t;
    int yanked;
};

static struct pg_meta *meta(const struct fv *vs)
{
    struct pg_meta *m = pg_meta_new(PG_ECO_PYPI, "requests");

    for (; vs->v; vs++) {
        struct pg_meta_version *mv = pg_meta_add_version(m, vs->v);

        mv->published = vs->t;
        mv->yanked = vs->yanked;
    }
    return m;
}

static void pick_is(const struct pg_meta *m, const char *spec, int pre, int64_t before,
                    const char *want)
{
    struct pg_err err = PG_ERR_INIT;
    const struct pg_meta_version *v = pg_pep440_pick(m, spec, pre, before, &err);

    if (!want) {
        if (v)
            fail_msg("pick('%s', pre %d, %lld): want none, got %s", spec, pre, (long long)before,
                     v->version);
        return;
    }
    if (!v)
        fail_msg("pick('%s', pre %d, %lld): want %s, got error: %s", spec, pre, (long long)before,
                 want, err.msg);
    if (strcmp(v->version, want) != 0)
        fail_msg("pick('%s', pre %d, %lld): want %s, got %s", spec, pre, (long long)before, want,
                 v->version);
}

static const struct fv basic[] = {
    {"1.0", 100, 0},
    {"1.1", 200, 0},
    {"1.2", 300, 1},
    {"2.0", 400, 0},
    {"2.1rc1", 450, 0},
    {"2.1.dev3", 440, 0},
    {"not a version", 460, 0},
    {"1.1.post1", 250, 0},
    {"2.0.0", 410, 0},
    {"0.9", -1, 0},
    {NULL, 0, 0},
};

static void test_pick(void **state)
{
    struct pg_meta *m = meta(basic);

    (void)state;
    pick_is(m, "", 0, 0, "2.0");            /* 2.1rc1 is a prerelease; 2.0 listed before 2.0.0 */
    pick_is(m, "", 1, 0, "2.1rc1");         /* pip --pre */
    pick_is(m, ">=2.1rc1", 0, 0, "2.1rc1"); /* named prerelease */
    pick_is(m, ">2.0", 0, 0, NULL);         /* only prereleases left: packaging 23 gives none */
    pick_is(m, ">2.0", 1, 0, "2.1rc1");
    pick_is(m, "<2", 0, 0, "1.1.post1"); /* 1.2 yanked */
    pick_is(m, "==1.2", 0, 0, "1.2");    /* pinned: a yanked version is allowed */
    pick_is(m, "===1.2", 0, 0, "1.2");
    pick_is(m, "==1.2.*", 0, 0, NULL); /* a wildcard is not a pin */
    pick_is(m, ">=1.2,<1.3", 0, 0, NULL);
    pick_is(m, "~=1.0", 0, 0, "1.1.post1");
    pick_is(m, "==1.1", 0, 0, "1.1");
    pick_is(m, "!=2.0", 0, 0, "1.1.post1"); /* 2.0.0 == 2.0 too */
    pick_is(m, "==2", 0, 0, "2.0");
    pick_is(m, "===2.0.0", 0, 0, "2.0.0");
    pick_is(m, "<1", 0, 0, "0.9");
    pick_is(m, ">=3", 0, 0, NULL);
    pick_is(m, "=>3", 0, 0, NULL);
    pg_meta_free(m);
}

static void test_pick_before(void **state)
{
    struct pg_meta *m = meta(basic);
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    pick_is(m, "", 0, 399, "1.1.post1");
    pick_is(m, "", 0, 400, "2.0");
    pick_is(m, "<1", 0, 1000, NULL); /* 0.9 has no time: skipped when cutting off */
    pick_is(m, "", 1, 445, "2.1.dev3");
    pick_is(m, "", 0, 50, NULL);
    pick_is(m, ">=1", 0, 150, "1.0");
    assert_null(pg_pep440_pick(m, ">=1.1", 0, 150, &err));
    assert_string_equal(err.msg, "no version of requests matches '>=1.1' published at or before "
                                 "1970-01-01T00:02:30Z");
    pg_meta_free(m);
}

static void test_pick_only_pre_and_yanked(void **state)
{
    static const struct fv pres[] = {{"1.0a1", 1, 0}, {"1.0b1", 2, 0}, {NULL, 0, 0}};
    static const struct fv yanks[] = {{"1.0", 1, 1}, {"1.1", 2, 1}, {NULL, 0, 0}};
    struct pg_meta *m = meta(pres);
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    pick_is(m, "", 0, 0, "1.0b1");   /* no final at all: prereleases */
    pick_is(m, ">=0.1", 0, 0, NULL); /* but not through a specifier */
    pg_meta_free(m);
    m = meta(yanks);
    pick_is(m, "", 0, 0, NULL);
    assert_null(pg_pep440_pick(m, ">=1", 0, 0, &err));
    assert_string_equal(err.msg,
                        "no version of requests matches '>=1' (all matching versions are yanked)");
    pick_is(m, "==1.0", 0, 0, "1.0");
    pick_is(m, "==1.0,>=0", 0, 0, "1.0");
    pg_meta_free(m);
}

/* pg_version.h dispatches to both grammars. */
static void test_version_dispatch(void **state)
{
    (void)state;
    assert_int_equal(pg_version_satisfies(PG_ECO_PYPI, "1.5rc1", "<2.0"), 1); /* pre admitted */
    assert_int_equal(pg_version_satisfies(PG_ECO_PYPI, "2.0rc1", "<2.0"), 0);
    assert_int_equal(pg_version_satisfies(PG_ECO_PYPI, "1.5", ">=1,!=1.5.*"), 0);
    assert_int_equal(pg_version_satisfies(PG_ECO_PYPI, "1.5", "=>1"), -1);
    assert_int_equal(pg_version_satisfies(PG_ECO_NPM, "1.5.0", "^1.2"), 1);
    /* Policy ranges admit prereleases: a deny of ^1.2 covers 1.5.0-rc.1. */
    assert_int_equal(pg_version_satisfies(PG_ECO_NPM, "1.5.0-rc.1", "^1.2"), 1);
    assert_int_equal(pg_version_satisfies(PG_ECO_NPM, "2.0.0-rc.1", "^1.2"), 0);
    assert_int_equal(pg_version_satisfies(PG_ECO_NPM, "1.5", "^1.2"), -1);
    assert_int_equal(pg_version_satisfies(PG_ECO_NPM, NULL, "^1.2"), -1);
    assert_int_equal(pg_version_cmp(PG_ECO_PYPI, "1.0", "1.0.0"), 0);
    assert_int_equal(pg_version_cmp(PG_ECO_PYPI, "1.0.dev1", "1.0a1"), -1);
    assert_int_equal(pg_version_cmp(PG_ECO_PYPI, "junk", "0.0.0.dev0"), -1);
    assert_int_equal(pg_version_cmp(PG_ECO_PYPI, "b junk", "a junk"), 1);
    assert_int_equal(pg_version_cmp(PG_ECO_NPM, "1.0.0+a", "1.0.0+b"), 0);
    assert_int_equal(pg_version_cmp(PG_ECO_NPM, "1.0.0", "1.0.0-rc.1"), 1);
    assert_int_equal(pg_version_cmp(PG_ECO_NPM, "1.0", "0.0.0"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_specs),
        cmocka_unit_test(test_filter),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_pick),
        cmocka_unit_test(test_pick_before),
        cmocka_unit_test(test_pick_only_pre_and_yanked),
        cmocka_unit_test(test_version_dispatch),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
