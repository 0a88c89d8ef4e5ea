/* purl patterns: parsing, globs, scopes, PEP 503 names, version ranges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pg_purl.h"
#include "banned.h"

struct parsed {
    const char *text;
    enum pg_eco eco;
    const char *name;
    const char *range; /* NULL: none */
    int glob;
};

static const struct parsed parses[] = {
    {"pkg:npm/left-pad", PG_ECO_NPM, "left-pad", NULL, 0},
    {"pkg:npm/@evil/*", PG_ECO_NPM, "@evil/*", NULL, 1},
    {"pkg:npm/%40evil/*", PG_ECO_NPM, "@evil/*", NULL, 1},
    {"pkg:npm/%40types%2Fnode", PG_ECO_NPM, "@types/node", NULL, 0},
    {"pkg:npm/lodash@^4", PG_ECO_NPM, "lodash", "^4", 0},
    {"pkg:npm/lodash@>=4.1 <5", PG_ECO_NPM, "lodash", ">=4.1 <5", 0},
    {"pkg:npm/lodash@%3E%3D4.1%20%3C5", PG_ECO_NPM, "lodash", ">=4.1 <5", 0},
    {"pkg:npm/@babel/core@7.1.0", PG_ECO_NPM, "@babel/core", "7.1.0", 0},
    {"pkg:npm/%40babel/core@7.1.0", PG_ECO_NPM, "@babel/core", "7.1.0", 0},
    {"pkg:npm/Express", PG_ECO_NPM, "Express", NULL, 0},
    {"pkg:npm/a?c", PG_ECO_NPM, "a?c", NULL, 1},
    {"pkg:pypi/reqeusts", PG_ECO_PYPI, "reqeusts", NULL, 0},
    {"pkg:pypi/Django@>=4,<5", PG_ECO_PYPI, "django", ">=4,<5", 0},
    {"pkg:pypi/django@4.2.1", PG_ECO_PYPI, "django", "==4.2.1", 0},
    {"pkg:pypi/Zope.Interface", PG_ECO_PYPI, "zope-interface", NULL, 0},
    {"pkg:pypi/foo__bar-*", PG_ECO_PYPI, "foo-bar-*", NULL, 1},
    {"PKG:PyPI/six", PG_ECO_PYPI, "six", NULL, 0},
    {"pkg:NPM/six", PG_ECO_NPM, "six", NULL, 0},
};

static void test_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(parses) / sizeof(parses[0]); i++) {
        const struct parsed *t = &parses[i];
        struct pg_purl p = PG_PURL_INIT;
        struct pg_err err = PG_ERR_INIT;

        if (pg_purl_parse(&p, t->text, &err) < 0)
            fail_msg("'%s' refused: %s", t->text, err.msg);
        assert_int_equal(p.eco, t->eco);
        assert_string_equal(p.name, t->name);
        if (t->range)
            assert_string_equal(p.range, t->range);
        else
            assert_null(p.range);
        assert_int_equal(p.glob, t->glob);
        pg_purl_release(&p);
        pg_purl_release(&p); /* twice is harmless */
    }
}

struct refused {
    const char *text;
    const char *why;
};

static const struct refused refusals[] = {
    {"npm/left-pad", "must start with pkg:"},
    {"pkg:cargo/serde", "type must be npm or pypi"},
    {"pkg:npm", "type must be npm or pypi"},
    {"pkg:npm/", "no package name"},
    {"pkg:npm/@", "a scoped npm name is @scope/name"},
    {"pkg:npm/@scope", "a scoped npm name is @scope/name"},
    {"pkg:npm/@myorg*", "a scoped npm name is @scope/name"},
    {"pkg:npm/@scope/", "bad npm name"},
    {"pkg:npm/@/x", "bad npm name"},
    {"pkg:npm/@a/b/c", "a scoped npm name is @scope/name"},
    {"pkg:npm/a/b", "bad npm name"},
    {"pkg:npm/left pad", "spaces are not allowed in a name"},
    {"pkg:npm/left%20pad", "spaces are not allowed in a name"},
    {"pkg:npm/x\ty", "control characters"},
    {"pkg:npm/left-pad@", "nothing after '@'"},
    {"pkg:npm/x#sub/path", "subpaths"},
    {"pkg:npm/x%zz", "bad %-escape"},
    {"pkg:npm/x%4", "bad %-escape"},
    {"pkg:npm/x%00", "bad %-escape"},
    {"pkg:npm/x@%", "bad %-escape in the version"},
    {"pkg:npm/a+b", "bad npm name"},
    {"pkg:pypi/a/b", "PyPI name"},
    {"pkg:pypi/@scope/x", "PyPI name"},
    {"pkg:pypi/na!me", "PyPI name"},
    {"pkg:npm/x\x01y", "control characters"},
    {"", "must start with pkg:"},
    /* ranges the version grammars cannot read */
    {"pkg:npm/x@>>1", "bad semver range"},
    {"pkg:npm/x@^1.x.y.z", "bad semver range"},
    {"pkg:pypi/x@=>1", "bad PEP 440 specifier"},
    {"pkg:pypi/x@>=1;<2", "bad PEP 440 specifier"},
    {"pkg:pypi/x@1.0-foo-bar", "bad PEP 440 specifier"},
};

static void test_refused(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
        struct pg_purl p = PG_PURL_INIT;
        struct pg_err err = PG_ERR_INIT;

        if (pg_purl_parse(&p, refusals[i].text, &err) == 0)
            fail_msg("'%s' accepted as %s", refusals[i].text, p.name);
        assert_null(p.name);
        assert_null(p.range);
        if (!strstr(err.msg, refusals[i].why) || !strstr(err.msg, "bad package pattern '"))
            fail_msg("'%s': message '%s' lacks '%s'", refusals[i].text, err.msg, refusals[i].why);
    }
}

static void test_long_and_null(void **state)
{
    char text[2048];
    struct pg_purl p = PG_PURL_INIT;
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    memset(text, 'a', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    memcpy(text, "pkg:npm/", 8);
    assert_int_equal(pg_purl_parse(&p, text, &err), -1);
    assert_non_null(strstr(err.msg, "too long"));
    /* Long enough to pass the text cap but not the name cap. */
    text[8 + PG_PURL_NAME_MAX + 1] = '\0';
    assert_int_equal(pg_purl_parse(&p, text, &err), -1);
    assert_non_null(strstr(err.msg, "name too long"));
    text[8 + PG_PURL_NAME_MAX] = '\0';
    assert_int_equal(pg_purl_parse(&p, text, &err), 0);
    pg_purl_release(&p);
    assert_int_equal(pg_purl_parse(&p, NULL, &err), -1);
    assert_int_equal(pg_purl_match(NULL, PG_ECO_NPM, "x", NULL), 0);
}

struct match {
    const char *pattern;
    enum pg_eco eco;
    const char *name;
    const char *version;
    int want;
};

static const struct match matches[] = {
    /* exact names */
    {"pkg:npm/left-pad", PG_ECO_NPM, "left-pad", NULL, 1},
    {"pkg:npm/left-pad", PG_ECO_NPM, "left-pad", "1.3.0", 1},
    {"pkg:npm/left-pad", PG_ECO_NPM, "left-pa", NULL, 0},
    {"pkg:npm/left-pad", PG_ECO_NPM, "left-pad2", NULL, 0},
    {"pkg:npm/left-pad", PG_ECO_PYPI, "left-pad", NULL, 0},
    /* npm is case-sensitive and not normalised */
    {"pkg:npm/Express", PG_ECO_NPM, "express", NULL, 0},
    {"pkg:npm/left_pad", PG_ECO_NPM, "left-pad", NULL, 0},
    /* scopes and globs */
    {"pkg:npm/@evil/*", PG_ECO_NPM, "@evil/anything", NULL, 1},
    {"pkg:npm/@evil/*", PG_ECO_NPM, "@evil/", NULL, 1},
    {"pkg:npm/@evil/*", PG_ECO_NPM, "@evilx/y", NULL, 0},
    {"pkg:npm/@evil/*", PG_ECO_NPM, "evil", NULL, 0},
    {"pkg:npm/%40evil/*", PG_ECO_NPM, "@evil/x", NULL, 1},
    {"pkg:npm/*", PG_ECO_NPM, "lodash", NULL, 1},
    {"pkg:npm/*", PG_ECO_NPM, "@scope/lodash", NULL, 0},
    {"pkg:npm/@*/*", PG_ECO_NPM, "@scope/lodash", NULL, 1},
    {"pkg:npm/@myorg/*", PG_ECO_NPM, "@myorg-evil/x", NULL, 0},
    {"pkg:npm/@myorg*/x", PG_ECO_NPM, "@myorg-evil/x", NULL, 1},
    {"pkg:npm/@myorg/*-utils", PG_ECO_NPM, "@myorg/str-utils", NULL, 1},
    {"pkg:npm/@myorg/*-utils", PG_ECO_NPM, "@myorg/str-util", NULL, 0},
    {"pkg:npm/*-*-*", PG_ECO_NPM, "a-b-c", NULL, 1},
    {"pkg:npm/*-*-*", PG_ECO_NPM, "a-bc", NULL, 0},
    {"pkg:npm/a*b*c", PG_ECO_NPM, "abxbyc", NULL, 1},
    {"pkg:npm/a*b*c", PG_ECO_NPM, "abxbycd", NULL, 0},
    {"pkg:npm/l?dash", PG_ECO_NPM, "lodash", NULL, 1},
    {"pkg:npm/l?dash", PG_ECO_NPM, "ldash", NULL, 0},
    {"pkg:npm/**", PG_ECO_NPM, "", NULL, 1},
    /* PyPI names compare PEP 503-normalised on both sides */
    {"pkg:pypi/reqeusts", PG_ECO_PYPI, "reqeusts", NULL, 1},
    {"pkg:pypi/reqeusts", PG_ECO_PYPI, "Reqeusts", NULL, 1},
    {"pkg:pypi/reqeusts", PG_ECO_PYPI, "requests", NULL, 0},
    {"pkg:pypi/zope.interface", PG_ECO_PYPI, "Zope_Interface", NULL, 1},
    {"pkg:pypi/Zope__Interface", PG_ECO_PYPI, "zope-interface", NULL, 1},
    {"pkg:pypi/foo-*", PG_ECO_PYPI, "Foo.Bar", NULL, 1},
    {"pkg:pypi/foo-*", PG_ECO_PYPI, "foobar", NULL, 0},
    {"pkg:pypi/reqeusts", PG_ECO_NPM, "reqeusts", NULL, 0},
    /* version ranges; no version known means no match */
    {"pkg:npm/lodash@^4", PG_ECO_NPM, "lodash", "4.17.21", 1},
    {"pkg:npm/lodash@^4", PG_ECO_NPM, "lodash", "5.0.0", 0},
    {"pkg:npm/lodash@^4", PG_ECO_NPM, "lodash", "3.10.1", 0},
    {"pkg:npm/lodash@^4", PG_ECO_NPM, "lodash", NULL, 0},
    {"pkg:npm/lodash@>=4.1 <5", PG_ECO_NPM, "lodash", "4.17.21", 1},
    {"pkg:npm/lodash@>=4.1 <5", PG_ECO_NPM, "lodash", "4.0.0", 0},
    {"pkg:npm/lodash@1 || 3", PG_ECO_NPM, "lodash", "3.2.0", 1},
    {"pkg:npm/lodash@1 || 3", PG_ECO_NPM, "lodash", "2.0.0", 0},
    {"pkg:npm/lodash@^4", PG_ECO_NPM, "lodash", "not-a-version", 0},
    {"pkg:npm/@babel/core@7.1.0", PG_ECO_NPM, "@babel/core", "7.1.0", 1},
    {"pkg:npm/@babel/core@7.1.0", PG_ECO_NPM, "@babel/core", "7.1.1", 0},
    {"pkg:pypi/django@>=4,<5", PG_ECO_PYPI, "Django", "4.2.1", 1},
    {"pkg:pypi/django@>=4,<5", PG_ECO_PYPI, "django", "5.0", 0},
    {"pkg:pypi/django@>=4,<5", PG_ECO_PYPI, "django", "3.2", 0},
    {"pkg:pypi/django@>=4,<5", PG_ECO_PYPI, "django", NULL, 0},
    {"pkg:pypi/django@4.2.1", PG_ECO_PYPI, "django", "4.2.1", 1},
    {"pkg:pypi/django@4.2.1", PG_ECO_PYPI, "django", "4.2.2", 0},
    {"pkg:pypi/django@4.2.1", PG_ECO_PYPI, "django", "4.2.1.0", 1},
    {"pkg:pypi/django@~=4.2", PG_ECO_PYPI, "django", "4.9", 1},
    {"pkg:pypi/django@~=4.2", PG_ECO_PYPI, "django", "5.0", 0},
};

static void test_match(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
        const struct match *t = &matches[i];
        struct pg_purl p = PG_PURL_INIT;
        struct pg_err err = PG_ERR_INIT;
        int got;

        if (pg_purl_parse(&p, t->pattern, &err) < 0)
            fail_msg("'%s' refused: %s", t->pattern, err.msg);
        got = pg_purl_match(&p, t->eco, t->name, t->version);
        if (got != t->want)
            fail_msg("'%s' vs %s '%s'@%s: got %d, want %d", t->pattern, pg_eco_name(t->eco),
                     t->name, t->version ? t->version : "(none)", got, t->want);
        pg_purl_release(&p);
    }
}

static void test_glob(void **state)
{
    (void)state;
    assert_true(pg_purl_glob("", ""));
    assert_false(pg_purl_glob("", "a"));
    assert_true(pg_purl_glob("*", ""));
    assert_true(pg_purl_glob("a*", "abc"));
    assert_false(pg_purl_glob("a*", "ba"));
    assert_false(pg_purl_glob("*", "a/b"));
    assert_false(pg_purl_glob("?", "/"));
    assert_true(pg_purl_glob("*/*", "a/b"));
    assert_true(pg_purl_glob("a/b", "a/b"));
    assert_false(pg_purl_glob("a/b/", "a/b"));
    assert_true(pg_purl_glob("*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaab"));
    assert_false(pg_purl_glob("*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),         cmocka_unit_test(test_refused),
        cmocka_unit_test(test_long_and_null), cmocka_unit_test(test_match),
        cmocka_unit_test(test_glob),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
