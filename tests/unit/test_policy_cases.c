/*
 * The layered policy's rules across layers: locks, every error with its
 * exact position (case files in tests/unit/data/policy/), exceptions and
 * their dates. Loading and merging are test_policy.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pg_policy.h"
#include "policy_fx.h"
#include "banned.h"

/*
 * Run the cases in a file of DATA (format at the top of locks.txt): each
 * is one to three layers and "ok" or the exact error message.
 */
struct casefile {
    const char *path;
    char *text;
    char *at;
    unsigned line;
};

static char *next_line(struct casefile *cf)
{
    char *start = cf->at, *nl;

    if (!start || !*start)
        return NULL;
    nl = strchr(start, '\n');
    if (nl) {
        *nl = '\0';
        cf->at = nl + 1;
    } else {
        cf->at = start + strlen(start);
    }
    cf->line++;
    return start;
}

/* Layers are read up to "---"; returns the expected line, NULL at the end. */
static const char *read_case(struct casefile *cf, struct pg_sb *layers, size_t *n)
{
    char *l;

    while ((l = next_line(cf)) && strncmp(l, "===", 3) != 0)
        if (l[0] && l[0] != '#')
            fail_msg("%s:%u: stray line '%s'", cf->path, cf->line, l);
    if (!l)
        return NULL;
    *n = 0;
    pg_sb_reset(&layers[0]);
    while ((l = next_line(cf)) && strcmp(l, "---") != 0) {
        if (strcmp(l, "+++") == 0) {
            if (++*n == 3)
                fail_msg("%s:%u: more than 3 layers", cf->path, cf->line);
            pg_sb_reset(&layers[*n]);
            continue;
        }
        if (layers[*n].len)
            pg_sb_addc(&layers[*n], '\n');
        pg_sb_adds(&layers[*n], l);
    }
    (*n)++;
    l = l ? next_line(cf) : NULL;
    if (!l)
        fail_msg("%s:%u: case without an expected line", cf->path, cf->line);
    return l;
}

static void run_cases(const char *file)
{
    struct casefile cf = {file, NULL, NULL, 0};
    struct pg_sb layers[3] = {PG_SB_INIT, PG_SB_INIT, PG_SB_INIT};
    struct pg_err err = PG_ERR_INIT;
    const char *want;
    size_t n, cases = 0;

    if (pg_read_file(file, 1 << 20, &cf.text, NULL, &err) < 0)
        fail_msg("%s", err.msg);
    cf.at = cf.text;
    while ((want = read_case(&cf, layers, &n))) {
        const char *t[3] = {pg_sb_str(&layers[0]), pg_sb_str(&layers[1]), pg_sb_str(&layers[2])};

        cases++;
        if (strcmp(want, "ok") == 0) {
            pg_policy_free(load(t[0], n > 1 ? t[1] : NULL, n > 2 ? t[2] : NULL));
            continue;
        }
        load_fails(t[0], n > 1 ? t[1] : NULL, n > 2 ? t[2] : NULL, &err);
        if (strcmp(err.msg, want) != 0)
            fail_msg("%s:%u:\n got  %s\n want %s", file, cf.line, err.msg, want);
    }
    assert_true(cases > 10);
    for (size_t i = 0; i < 3; i++)
        pg_sb_release(&layers[i]);
    free(cf.text);
}

static void test_locks(void **state)
{
    (void)state;
    run_cases(DATA "locks.txt");
}

static void test_locks_accumulate(void **state)
{
    const char *a = "{\"mode\": \"warn\", \"locked\": [\"mode\"]}";
    const char *b = "{\"mode\": \"enforce\", \"locked\": [\"mode\", \"undecidable\"]}";
    struct pg_err err = PG_ERR_INIT;
    struct pg_policy *pol;

    (void)state;
    /* b tightened the locked mode; a third layer may not undo it */
    load_fails(a, b, "{\"mode\": \"warn\"}", &err);
    assert_string_equal(err.msg, "c.json:1:10: 'mode' is locked by a.json and may only be "
                                 "tightened (enforce -> warn)");
    load_fails(a, b, "{\"undecidable\": \"warn\"}", &err);
    assert_string_equal(err.msg, "c.json:1:17: 'undecidable' is locked by b.json and may only "
                                 "be tightened (block -> warn)");
    pol = load(a, b, "{\"mode\": \"enforce\", \"undecidable\": \"block\"}");
    assert_int_equal(pg_policy_mode(pol), PG_MODE_ENFORCE);
    pg_policy_free(pol);
}

static void test_lock_error_names_files(void **state)
{
    struct pg_policy_paths p = {.system = DATA "system.json", .env = DATA "loosen.json"};
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    assert_int_equal(pg_policy_load(&pol, &p, &err), -1);
    assert_string_equal(err.msg,
                        DATA "loosen.json:4:14: 'rules.min_version_age.age' is locked "
                             "by " DATA "system.json and may only be tightened (72h -> 1h)");
}

static void test_errors(void **state)
{
    (void)state;
    run_cases(DATA "errors.txt");
}

static void test_error_names_its_layer(void **state)
{
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    load_fails("{}", "{\n\n     \"mode\": 1}", NULL, &err);
    assert_string_equal(err.msg,
                        "b.json:3:14: 'mode' must be a string: one of enforce, warn, audit");
}

/* A project file naming an unknown rule does not load: FILE:LINE:COL, no policy. */
static void test_unknown_rule_fails_load(void **state)
{
    struct pg_policy_paths p = {.cwd = DATA "badrule"};
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    assert_int_equal(pg_policy_load(&pol, &p, &err), -1);
    assert_null(pol);
    assert_string_equal(err.msg, DATA "badrule/.pkggate.json:4:55: unknown rule "
                                      "'min_version_agge' in 'exceptions[0].rules' (did you "
                                      "mean 'min_version_age'?)");
}

static void test_exceptions_expire(void **state)
{
    struct pg_policy *pol = load(
        "{\"exceptions\": ["
        " {\"package\": \"pkg:npm/a\", \"rules\": [\"min_version_age\", \"yanked\"],"
        "  \"reason\": \"hotfix\", \"expires\": \"2030-06-15\"},"
        " {\"package\": \"pkg:npm/b@^2\", \"rules\": \"*\", \"reason\": \"all of b 2.x\"},"
        " {\"package\": \"pkg:pypi/C_D\", \"rules\": [\"*\"], \"reason\": \"cd\","
        "  \"expires\": \"2030-06-15T13:00:00+02:00\"}],"
        " \"allow\": ["
        " {\"package\": \"pkg:npm/old\", \"expires\": \"2030-06-15T11:59:59Z\"},"
        " {\"package\": \"pkg:npm/new\", \"reason\": \"r\", \"expires\": \"2030-06-15T12:00:01Z\"},"
        " {\"package\": \"pkg:npm/west\", \"expires\": \"2030-06-15T08:00:00.5-05:00\"}]}",
        NULL, NULL);
    const char *why = NULL;

    (void)state;
    /* a date lasts through its day, UTC */
    assert_string_equal(pg_policy_exempt(pol, PG_ECO_NPM, "a", "1.0.0", PG_RULE_YANKED, NOW),
                        "hotfix");
    assert_string_equal(
        pg_policy_exempt(pol, PG_ECO_NPM, "a", NULL, PG_RULE_MIN_VERSION_AGE, NOW + DAY / 2 - 1),
        "hotfix");
    assert_null(
        pg_policy_exempt(pol, PG_ECO_NPM, "a", NULL, PG_RULE_MIN_VERSION_AGE, NOW + DAY / 2));
    assert_null(pg_policy_exempt(pol, PG_ECO_NPM, "a", NULL, PG_RULE_TYPOSQUAT, NOW));
    /* "*" covers every rule, and the reasons that are no rule, but never deny */
    assert_string_equal(pg_policy_exempt(pol, PG_ECO_NPM, "b", "2.1.0", PG_RULE_TYPOSQUAT, NOW),
                        "all of b 2.x");
    assert_string_equal(pg_policy_exempt(pol, PG_ECO_NPM, "b", "2.1.0", PG_RULE_UNDECIDABLE, NOW),
                        "all of b 2.x");
    assert_null(pg_policy_exempt(pol, PG_ECO_NPM, "b", "2.1.0", PG_RULE_DENY, NOW));
    assert_null(pg_policy_exempt(pol, PG_ECO_NPM, "b", "3.0.0", PG_RULE_TYPOSQUAT, NOW));
    assert_null(pg_policy_exempt(pol, PG_ECO_NPM, "b", NULL, PG_RULE_TYPOSQUAT, NOW));
    assert_null(pg_policy_exempt(pol, PG_ECO_NPM, "b", "2.1.0", (enum pg_rule)99, NOW));
    /* 13:00+02:00 is 11:00Z, already past */
    assert_string_equal(pg_policy_exempt(pol, PG_ECO_PYPI, "c-d", NULL, PG_RULE_YANKED, NOW - 3601),
                        "cd");
    assert_null(pg_policy_exempt(pol, PG_ECO_PYPI, "c-d", NULL, PG_RULE_YANKED, NOW - 3600));
    /* allow entries expire the same way */
    assert_false(pg_policy_allowed(pol, PG_ECO_NPM, "old", NULL, NOW, &why));
    assert_true(pg_policy_allowed(pol, PG_ECO_NPM, "old", NULL, NOW - 2, &why));
    assert_true(pg_policy_allowed(pol, PG_ECO_NPM, "new", NULL, NOW, &why));
    assert_string_equal(why, "pkg:npm/new (r)");
    assert_false(pg_policy_allowed(pol, PG_ECO_NPM, "new", NULL, NOW + 1, &why));
    /* 08:00:00.5-05:00 is 13:00:00Z */
    assert_true(pg_policy_allowed(pol, PG_ECO_NPM, "west", NULL, NOW + 3599, NULL));
    assert_false(pg_policy_allowed(pol, PG_ECO_NPM, "west", NULL, NOW + 3600, NULL));
    pg_policy_free(pol);
}

static void test_dates(void **state)
{
    static const char *const bad[] = {
        "2030-6-15",
        "2030-13-01",
        "2030-00-10",
        "2029-02-29",
        "1969-12-31",
        "2030-06-15T",
        "2030-06-15 12:00:00Z",
        "2030-06-15T24:00:00Z",
        "2030-06-15T12:00:00",
        "2030-06-15T12:00:00+2",
        "2030-06-15T12:00:00.Z",
        "2030-06-15T12:00:00Zjunk",
        "tomorrow",
    };
    char text[200];

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct pg_err err = PG_ERR_INIT;

        snprintf(text, sizeof(text),
                 "{\"allow\": [{\"package\": \"pkg:npm/x\", \"expires\": \"%s\"}]}", bad[i]);
        load_fails(text, NULL, NULL, &err);
        if (!strstr(err.msg, "must be a date"))
            fail_msg("'%s': %s", bad[i], err.msg);
    }
    /* leap day */
    pg_policy_free(load("{\"allow\": [{\"package\": \"pkg:npm/x\", \"expires\": \"2028-02-29\"}]}",
                        NULL, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_locks),
        cmocka_unit_test(test_locks_accumulate),
        cmocka_unit_test(test_lock_error_names_files),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_names_its_layer),
        cmocka_unit_test(test_unknown_rule_fails_load),
        cmocka_unit_test(test_exceptions_expire),
        cmocka_unit_test(test_dates),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
