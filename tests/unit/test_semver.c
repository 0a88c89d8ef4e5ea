/*
 * npm semver against node-semver 7.8.6 itself, and npm-pick-manifest's pick.
 *
 * The tables in data/versions/semver_*.tsv were written by node-semver
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
#include "pg_semver.h"
#include "pg_semver_memo.h"
#include "pg_util.h"
#include "banned.h"

#include "versions_table.h"

static void range_row(char **f, size_t nf, void *ctx)
{
    unsigned flags = f[0][0] == '1' ? PG_SEMVER_INCLUDE_PRERELEASE : 0;
    struct pg_semver_range *r;
    char *fmt;
    int want = (int)strtol(f[4], NULL, 10);

    (void)ctx;
    assert_int_equal(nf, 5);
    r = pg_semver_range_parse(f[1], flags, NULL);
    if (strcmp(f[2], "!") == 0) {
        if (r)
            fail_msg("range '%s' should be invalid, got '%s'", f[1], pg_semver_range_format(r));
    } else {
        if (!r)
            fail_msg("range '%s' should parse to '%s'", f[1], f[2]);
        fmt = pg_semver_range_format(r);
        if (strcmp(fmt, f[2]) != 0)
            fail_msg("range '%s' (flags %u): want '%s', got '%s'", f[1], flags, f[2], fmt);
        free(fmt);
    }
    pg_semver_range_free(r);
    if (pg_semver_satisfies(f[3], f[1], flags) != want)
        fail_msg("satisfies('%s', '%s', %u): want %d", f[3], f[1], flags, want);
}

static void test_ranges(void **state)
{
    (void)state;
    assert_true(each_row("semver_ranges.tsv", range_row, NULL) > 1000);
}

static void version_row(char **f, size_t nf, void *ctx)
{
    char buf[PG_SEMVER_MAX_LEN + 1];
    struct pg_semver v;
    int rc;

    (void)ctx;
    assert_int_equal(nf, 3);
    rc = pg_semver_parse(f[0], &v, NULL);
    if (strcmp(f[1], "!") == 0) {
        if (rc == 0)
            fail_msg("'%s' should be invalid", f[0]);
    } else {
        if (rc != 0)
            fail_msg("'%s' should be valid", f[0]);
        pg_semver_format(&v, buf, sizeof(buf));
        assert_string_equal(buf, f[1]);
    }
    rc = pg_semver_clean(f[0], buf, sizeof(buf));
    if (strcmp(f[2], "!") == 0)
        assert_int_equal(rc, -1);
    else if (rc != 0 || strcmp(buf, f[2]) != 0)
        fail_msg("clean('%s'): want '%s'", f[0], f[2]);
}

static void test_versions(void **state)
{
    (void)state;
    assert_true(each_row("semver_versions.tsv", version_row, NULL) > 50);
}

static void compare_row(char **f, size_t nf, void *ctx)
{
    struct pg_semver a, b;
    int want = (int)strtol(f[2], NULL, 10), got;

    (void)ctx;
    assert_int_equal(nf, 3);
    assert_int_equal(pg_semver_parse(f[0], &a, NULL), 0);
    assert_int_equal(pg_semver_parse(f[1], &b, NULL), 0);
    got = pg_semver_cmp(&a, &b);
    got = got < 0 ? -1 : got > 0;
    if (got != want)
        fail_msg("compare('%s', '%s'): want %d, got %d", f[0], f[1], want, got);
}

static void test_compare(void **state)
{
    (void)state;
    assert_true(each_row("semver_compare.tsv", compare_row, NULL) > 1000);
}

static void test_errors(void **state)
{
    struct pg_err err = PG_ERR_INIT;
    char big[PG_SEMVER_RANGE_MAX + 2];

    (void)state;
    assert_null(pg_semver_range_parse("1.2.3 | 2", 0, &err));
    assert_string_equal(err.msg, "invalid range '1.2.3 | 2'");
    memset(big, ' ', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_null(pg_semver_range_parse(big, 0, &err));
    assert_non_null(strstr(err.msg, "longer than"));
    assert_int_equal(pg_semver_parse("1.2", &(struct pg_semver){0}, &err), -1);
    assert_string_equal(err.msg, "invalid version '1.2'");
    assert_int_equal(pg_semver_satisfies("1.2.3", "garbage range", 0), -1);
    assert_int_equal(pg_semver_satisfies("nope", "*", 0), -1);
    assert_int_equal(pg_semver_range_valid("^1.2 || 3"), 1);
    assert_int_equal(pg_semver_range_valid("^1.2 | 3"), 0);
}

/* ---- npm-pick-manifest ---- */

struct fv {
    const char *v;
    int64_t t;
    int deprecated;
};

static struct pg_meta *meta(const struct fv *vs, const char *latest)
{
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "lodash");

    for (; vs->v; vs++) {
        struct pg_meta_version *mv = pg_meta_add_version(m, vs->v);

        mv->published = vs->t;
        mv->deprecated = vs->deprecated;
    }
    if (latest)
        pg_meta_add_tag(m, "latest", latest);
    return m;
}

static const struct fv basic[] = {
    {"1.0.0", 100, 0}, {"1.1.0", 200, 0}, {"1.2.0", 300, 0}, {"2.0.0-beta.1", 350, 0},
    {"1.3.0", 400, 1}, {"2.0.0", 500, 0}, {"2.1.0", 600, 0}, {"3.0.0-rc.1", 700, 0},
    {"0.9.0", 50, -1}, {"1.2.1", -1, 0},  {NULL, 0, 0},
};

static const struct fv timed[] = {
    {"1.0.0", 200, 0},
    {"1.1.0", 300, 0},
    {"2.0.0", 400, 0},
    {NULL, 0, 0},
};

static void pick_is(const struct pg_meta *m, const char *spec, int64_t before, const char *want)
{
    struct pg_err err = PG_ERR_INIT;
    const struct pg_meta_version *v = pg_semver_pick(m, spec, before, &err);

    if (!want) {
        if (v)
            fail_msg("pick('%s', %lld): want none, got %s", spec, (long long)before, v->version);
        return;
    }
    if (!v)
        fail_msg("pick('%s', %lld): want %s, got error: %s", spec, (long long)before, want,
                 err.msg);
    if (strcmp(v->version, want) != 0)
        fail_msg("pick('%s', %lld): want %s, got %s", spec, (long long)before, want, v->version);
}

static void test_pick_latest(void **state)
{
    struct pg_meta *m = meta(basic, "2.0.0");

    (void)state;
    pick_is(m, "", 0, "2.0.0"); /* latest, not the highest (2.1.0) */
    pick_is(m, "*", 0, "2.0.0");
    pick_is(m, "latest", 0, "2.0.0");
    pick_is(m, "^2", 0, "2.0.0"); /* latest satisfies the range: taken */
    pick_is(m, ">=2.0.0", 0, "2.0.0");
    pick_is(m, "^2.1", 0, "2.1.0"); /* it does not: highest satisfying */
    pick_is(m, "^1", 0, "1.2.1");   /* 1.3.0 deprecated */
    pick_is(m, "~1.3", 0, "1.3.0"); /* deprecated is better than nothing */
    pick_is(m, "1.3.0", 0, "1.3.0");
    pick_is(m, "v1.1.0", 0, "1.1.0");
    pick_is(m, "=1.1.0", 0, "1.1.0");
    pick_is(m, "x", 0, "2.0.0");
    pick_is(m, "<1", 0, "0.9.0");
    pick_is(m, "^2.0.0-beta", 0, "2.0.0"); /* latest satisfies */
    pick_is(m, "2.0.0-beta.1", 0, "2.0.0-beta.1");
    pick_is(m, ">2.1.0", 0, NULL); /* 3.0.0-rc.1: prerelease not allowed by the range */
    pick_is(m, ">=3.0.0-rc.0", 0, "3.0.0-rc.1");
    pick_is(m, "^9", 0, NULL);
    pick_is(m, "1.4.0", 0, NULL);
    pick_is(m, "next", 0, NULL);
    pick_is(m, "bad tag!?", 0, NULL);
    pg_meta_free(m);
}

static void test_pick_errors(void **state)
{
    struct pg_meta *m = meta(basic, "2.0.0");
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    assert_null(pg_semver_pick(m, "^9", 0, &err));
    assert_string_equal(err.msg, "no version of lodash matches '^9'");
    assert_null(pg_semver_pick(m, "next", 0, &err));
    assert_string_equal(err.msg, "no such dist-tag 'next' for lodash");
    assert_non_null(pg_semver_pick(m, "^1", 10, &err)); /* 1.2.1 has no time */
    pg_meta_free(m);
    m = meta(timed, "2.0.0");
    assert_null(pg_semver_pick(m, "^1", 150, &err));
    assert_string_equal(err.msg,
                        "no versions of lodash published at or before 1970-01-01T00:02:30Z");
    pg_meta_add_tag(m, "gone", "7.7.7");
    assert_null(pg_semver_pick(m, "gone", 0, &err));
    assert_non_null(strstr(err.msg, "missing version '7.7.7'"));
    pg_meta_free(m);
}

static void test_pick_latest_special(void **state)
{
    struct pg_meta *m = meta(basic, "3.0.0-rc.1");

    (void)state;
    pick_is(m, "", 0, "3.0.0-rc.1"); /* "*" takes latest even as a prerelease */
    pick_is(m, "*", 0, "3.0.0-rc.1");
    pick_is(m, "x", 0, "2.1.0"); /* ...but only the literal "*" */
    pick_is(m, ">=2", 0, "2.1.0");
    pg_meta_free(m);
    m = meta(basic, "1.3.0"); /* deprecated latest is passed over */
    pick_is(m, "", 0, "2.1.0");
    pick_is(m, "^1", 0, "1.2.1");
    pick_is(m, "latest", 0, "1.3.0"); /* an explicit tag is taken as it is */
    pg_meta_free(m);
    m = meta(basic, NULL); /* no latest tag at all */
    pick_is(m, "", 0, "2.1.0");
    pick_is(m, "latest", 0, NULL);
    pg_meta_free(m);
}

static void test_pick_before(void **state)
{
    struct pg_meta *m = meta(basic, "2.1.0");

    (void)state;
    pick_is(m, "", 0, "2.1.0");
    pick_is(m, "", 599, "2.0.0"); /* latest too new: best published by then */
    pick_is(m, "", 600, "2.1.0"); /* "at or before" */
    pick_is(m, "latest", 599, "2.0.0");
    pick_is(m, "^1", 250, "1.2.1"); /* 1.2.1 has no time: passes, as in npm */
    pick_is(m, "1.2.0", 250, NULL);
    pick_is(m, "1.2.0", 300, "1.2.0");
    pick_is(m, "^2", 499, NULL);
    pg_meta_add_tag(m, "next", "3.0.0-rc.1");
    pick_is(m, "next", 0, "3.0.0-rc.1");
    pick_is(m, "next", 650, "2.1.0"); /* becomes "<=3.0.0-rc.1": latest 2.1.0 fits */
    pick_is(m, "next", 550, "2.0.0");
    pg_meta_free(m);
}

static void test_pick_build_and_ties(void **state)
{
    static const struct fv vs[] = {
        {"1.0.0", 1, 0}, {"1.0.1+a", 2, 0}, {"1.0.1+b", 3, 0}, {"not-semver", 4, 0}, {NULL, 0, 0},
    };
    struct pg_meta *m = meta(vs, NULL);

    (void)state;
    pick_is(m, "^1", 0, "1.0.1+a"); /* equal precedence: the first listed stays */
    pick_is(m, "1.0.1", 0, NULL);   /* exact versions are looked up by key */
    pick_is(m, "*", 0, "1.0.1+a");
    pg_meta_free(m);
}

/* A memoized range answers as pg_semver_satisfies does, asked once or many times. */
static void test_memo(void **state)
{
    static const char *const ranges[] = {"^1.2.3", "~1.2", "1.x || >=3.0.0-rc.1", "not a range",
                                         ">=1.0.0 <2", "", "*", "^1.2.3", "not a range"};
    static const char *const versions[] = {"1.2.3", "1.3.0", "1.2.9", "2.0.0", "3.0.0-rc.2",
                                           "0.9.0", "bad"};
    struct pg_semver_memo memo = PG_SEMVER_MEMO_INIT(0);

    (void)state;
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
            for (size_t k = 0; k < sizeof(versions) / sizeof(versions[0]); k++)
                assert_int_equal(pg_semver_memo_satisfies(&memo, versions[k], ranges[i]),
                                 pg_semver_satisfies(versions[k], ranges[i], 0));
    assert_null(pg_semver_memo_range(&memo, "not a range"));
    assert_non_null(pg_semver_memo_range(&memo, "~1.2"));
    assert_int_equal(memo.n, 7); /* each text compiled once */
    pg_semver_memo_release(&memo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_pick_latest),
        cmocka_unit_test(test_pick_errors),
        cmocka_unit_test(test_pick_latest_special),
        cmocka_unit_test(test_pick_before),
        cmocka_unit_test(test_pick_build_and_ties),
        cmocka_unit_test(test_memo),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
