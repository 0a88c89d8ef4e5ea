/*
 * npm package specs: what npm-package-arg 13 makes of real install
 * arguments and package.json values (the expectations were checked against
 * npa itself; jsr: follows the newer npa, npm 11.19 refuses it), the names
 * npm accepts, and the specs it refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pg_npmspec.h"
#include "pg_util.h"
#include "banned.h"

#define REG   PG_NPMSPEC_REGISTRY
#define ALIAS PG_NPMSPEC_ALIAS
#define GIT   PG_NPMSPEC_GIT
#define URL   PG_NPMSPEC_REMOTE
#define FILE_ PG_NPMSPEC_FILE
#define DIR   PG_NPMSPEC_DIRECTORY

struct spec_case {
    const char *arg;
    enum pg_npmspec_type type;
    const char *name, *alias, *spec;
    const char *user, *project; /* hosted git only */
};

static const struct spec_case args[] = {
    /* registry */
    {"lodash", REG, "lodash", NULL, "", NULL, NULL},
    {"lodash@", REG, "lodash", NULL, "", NULL, NULL},
    {"lodash@4.17.21", REG, "lodash", NULL, "4.17.21", NULL, NULL},
    {"lodash@^4.17.0", REG, "lodash", NULL, "^4.17.0", NULL, NULL},
    {"lodash@>=4 <5", REG, "lodash", NULL, ">=4 <5", NULL, NULL},
    {"lodash@ 4.x ", REG, "lodash", NULL, "4.x", NULL, NULL},
    {"lodash@latest", REG, "lodash", NULL, "latest", NULL, NULL},
    {"lodash@*", REG, "lodash", NULL, "*", NULL, NULL},
    {"react@1.x || 2", REG, "react", NULL, "1.x || 2", NULL, NULL},
    {"@babel/core", REG, "@babel/core", NULL, "", NULL, NULL},
    {"@babel/core@7.24.0", REG, "@babel/core", NULL, "7.24.0", NULL, NULL},
    {"@types/node@next", REG, "@types/node", NULL, "next", NULL, NULL},
    {"JSONStream", REG, "JSONStream", NULL, "", NULL, NULL}, /* old names may have capitals */
    {"jsr:@std/path", REG, "@jsr/std__path", NULL, "", NULL, NULL},
    {"jsr:@std/path@^1", REG, "@jsr/std__path", NULL, "^1", NULL, NULL},
    /* aliases */
    {"foo@npm:bar", ALIAS, "bar", "foo", "", NULL, NULL},
    {"foo@npm:bar@^1.2", ALIAS, "bar", "foo", "^1.2", NULL, NULL},
    {"@my/pkg@npm:@other/pkg@2", ALIAS, "@other/pkg", "@my/pkg", "2", NULL, NULL},
    {"lodash4@NPM:lodash@4", ALIAS, "lodash", "lodash4", "4", NULL, NULL},
    {"npm:lodash@4", ALIAS, "lodash", NULL, "4", NULL, NULL},
    /* git */
    {"github:npm/cli", GIT, NULL, NULL, "github:npm/cli", "npm", "cli"},
    {"github:npm/cli#v10.0.0", GIT, NULL, NULL, "github:npm/cli#v10.0.0", "npm", "cli"},
    {"npm/cli", GIT, NULL, NULL, "npm/cli", "npm", "cli"},
    {"npm/cli#semver:^10", GIT, NULL, NULL, "npm/cli#semver:^10", "npm", "cli"},
    {"gitlab:group/sub/project", GIT, NULL, NULL, "gitlab:group/sub/project", "group/sub",
     "project"},
    {"bitbucket:user/repo", GIT, NULL, NULL, "bitbucket:user/repo", "user", "repo"},
    {"gist:11081aaa281", GIT, NULL, NULL, "gist:11081aaa281", NULL, "11081aaa281"},
    {"sourcehut:~user/repo", GIT, NULL, NULL, "sourcehut:~user/repo", "~user", "repo"},
    {"git+https://github.com/npm/cli.git", GIT, NULL, NULL, "git+https://github.com/npm/cli.git",
     "npm", "cli"},
    {"git+ssh://git@github.com:npm/cli.git#v1", GIT, NULL, NULL,
     "git+ssh://git@github.com:npm/cli.git#v1", "npm", "cli"},
    {"git@github.com:npm/cli.git", GIT, NULL, NULL, "git+ssh://git@github.com:npm/cli.git", "npm",
     "cli"},
    {"git+https://git.example.com/team/repo.git", GIT, NULL, NULL,
     "git+https://git.example.com/team/repo.git", NULL, NULL},
    {"git://example.org/r.git", GIT, NULL, NULL, "git://example.org/r.git", NULL, NULL},
    {"git+file:///srv/repo.git", GIT, NULL, NULL, "git+file:///srv/repo.git", NULL, NULL},
    {"https://github.com/npm/cli", GIT, NULL, NULL, "https://github.com/npm/cli", "npm", "cli"},
    {"https://github.com/npm/cli/tree/latest", GIT, NULL, NULL,
     "https://github.com/npm/cli/tree/latest", "npm", "cli"},
    {"https://gitlab.com/g/p.git", GIT, NULL, NULL, "https://gitlab.com/g/p.git", "g", "p"},
    {"ssh://git@github.com/u/r", GIT, NULL, NULL, "ssh://git@github.com/u/r", "u", "r"},
    {"mylib@github:me/mylib", GIT, "mylib", NULL, "github:me/mylib", "me", "mylib"},
    {"https://github.com/u/r%40x", GIT, NULL, NULL, "https://github.com/u/r%40x", "u", "r@x"},
    /* remote tarballs */
    {"https://example.com/pkg-1.0.0.tgz", URL, NULL, NULL, "https://example.com/pkg-1.0.0.tgz",
     NULL, NULL},
    {"http://example.com/x", URL, NULL, NULL, "http://example.com/x", NULL, NULL},
    {"https://github.com/npm/cli/archive/v1.tar.gz", URL, NULL, NULL,
     "https://github.com/npm/cli/archive/v1.tar.gz", NULL, NULL},
    {"https://github.com/npm", URL, NULL, NULL, "https://github.com/npm", NULL, NULL},
    {"http://gitlab.com/g/p", URL, NULL, NULL, "http://gitlab.com/g/p", NULL, NULL},
    {"pkg@https://example.com/p.tgz", URL, "pkg", NULL, "https://example.com/p.tgz", NULL, NULL},
    /* local */
    {"./dir", DIR, NULL, NULL, "./dir", NULL, NULL},
    {"../x.tgz", FILE_, NULL, NULL, "../x.tgz", NULL, NULL},
    {"/abs/path", DIR, NULL, NULL, "/abs/path", NULL, NULL},
    {"~/src/x", DIR, NULL, NULL, "~/src/x", NULL, NULL},
    {"file:../y", DIR, NULL, NULL, "file:../y", NULL, NULL},
    {"FILE:./z.tar.gz", FILE_, NULL, NULL, "FILE:./z.tar.gz", NULL, NULL},
    {"x.tgz", FILE_, NULL, NULL, "x.tgz", NULL, NULL},
    {"pkg.TAR", FILE_, NULL, NULL, "pkg.TAR", NULL, NULL},
    {"dir/sub/more", DIR, NULL, NULL, "dir/sub/more", NULL, NULL},
    {"github.com/u/r", DIR, NULL, NULL, "github.com/u/r", NULL, NULL},
    {"c:foo", DIR, NULL, NULL, "c:foo", NULL, NULL},
    {"foo@file:./foo", DIR, "foo", NULL, "file:./foo", NULL, NULL},
    {"foo@./foo.tgz", FILE_, "foo", NULL, "./foo.tgz", NULL, NULL},
    {"git@mydir/x", GIT, "git", NULL, "mydir/x", "mydir", "x"},
    {".hidden", DIR, NULL, NULL, ".hidden", NULL, NULL},
    {"@/x", DIR, NULL, NULL, "@/x", NULL, NULL},
    {"@scope/.x", DIR, NULL, NULL, "@scope/.x", NULL, NULL},
    {"lodash@foo/bar:baz", DIR, "lodash", NULL, "foo/bar:baz", NULL, NULL},
};

/* what npm refuses: npa throws, or leaves a registry spec without a name */
static const char *const bad_args[] = {
    "",
    "foo bar",
    "_private",
    "-x",
    "node_modules",
    "Favicon.ico",
    "foo@npm:npm:bar",
    "foo@npm:github:u/r",
    "foo@npm:./dir",
    "foo@npm:",
    "ssh://example.com/r",
    "ftp://example.com/x.tgz",
    "https://",
    "https://@",
    "https://ex ample.com/x",
    "https://h:port/x",
    "svn:x",
    "jsr:std",
    "jsr:@std",
    "jsr:@.co/a0", /* found by fuzz_npmspec: "@jsr/.co__a0" is no name */
    "lodash@a%b",
    "Foo Bar@1",
};

static void check(const struct spec_case *c, const struct pg_npmspec *s)
{
    if (s->type != c->type)
        fail_msg("'%s': type %s, want %s", c->arg, pg_npmspec_type_name(s->type),
                 pg_npmspec_type_name(c->type));
#define SAME(field, want)                                                                          \
    do {                                                                                           \
        if ((want) ? !(field) || strcmp((field), (want)) != 0 : (field) != NULL)                   \
            fail_msg("'%s': " #field " '%s', want '%s'", c->arg, (field) ? (field) : "NULL",       \
                     (want) ? (want) : "NULL");                                                    \
    } while (0)
    SAME(s->name, c->name);
    SAME(s->alias, c->alias);
    SAME(s->spec, c->spec);
    if (c->type == GIT && (c->user || c->project)) {
        assert_true(s->hosted);
        SAME(s->git_user, c->user);
        SAME(s->git_project, c->project);
    }
#undef SAME
}

static void test_args(void **state)
{
    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(args); i++) {
        struct pg_npmspec s = PG_NPMSPEC_INIT;
        struct pg_err err = PG_ERR_INIT;

        if (pg_npmspec_parse(args[i].arg, &s, &err) < 0)
            fail_msg("'%s': %s", args[i].arg, err.msg);
        check(&args[i], &s);
        pg_npmspec_release(&s);
        assert_null(s.name);
    }
}

static void test_bad_args(void **state)
{
    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(bad_args); i++) {
        struct pg_npmspec s = PG_NPMSPEC_INIT;
        struct pg_err err = PG_ERR_INIT;

        if (pg_npmspec_parse(bad_args[i], &s, &err) == 0)
            fail_msg("'%s' parsed as %s '%s'", bad_args[i], pg_npmspec_type_name(s.type),
                     s.name ? s.name : "");
        assert_true(err.msg[0] != '\0');
        assert_null(s.name);
        assert_null(s.spec);
    }
}

static void test_resolve(void **state)
{
    /* package.json: "name": "spec" */
    static const struct {
        const char *name, *spec;
        enum pg_npmspec_type type;
        const char *want_name, *want_alias, *want_spec;
    } cases[] = {
        {"lodash", "^4.17.21", REG, "lodash", NULL, "^4.17.21"},
        {"lodash", "", REG, "lodash", NULL, ""},
        {"lodash", "*", REG, "lodash", NULL, "*"},
        {"lodash", "latest", REG, "lodash", NULL, "latest"},
        {"@s/p", "~1.2.3", REG, "@s/p", NULL, "~1.2.3"},
        {"string-width-cjs", "npm:string-width@^4.2.0", ALIAS, "string-width", "string-width-cjs",
         "^4.2.0"},
        {"mylib", "github:me/mylib#main", GIT, "mylib", NULL, "github:me/mylib#main"},
        {"mylib", "me/mylib", GIT, "mylib", NULL, "me/mylib"},
        {"local", "file:../local", DIR, "local", NULL, "file:../local"},
        {"tar", "https://example.com/t.tgz", URL, "tar", NULL, "https://example.com/t.tgz"},
        {"vendored", "./vendor/v.tgz", FILE_, "vendored", NULL, "./vendor/v.tgz"},
    };

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
        struct pg_npmspec s = PG_NPMSPEC_INIT;
        struct pg_err err = PG_ERR_INIT;
        struct spec_case c = {cases[i].spec,
                              cases[i].type,
                              cases[i].want_name,
                              cases[i].want_alias,
                              cases[i].want_spec,
                              NULL,
                              NULL};

        if (pg_npmspec_resolve(cases[i].name, cases[i].spec, &s, &err) < 0)
            fail_msg("%s: '%s': %s", cases[i].name, cases[i].spec, err.msg);
        check(&c, &s);
        pg_npmspec_release(&s);
    }
}

static void test_resolve_errors(void **state)
{
    static const char *const pairs[][2] = {
        {"Foo Bar", "1.0.0"}, {"", "1.0.0"}, {"x", "npm:npm:y"},
        {"x", "npm:./dir"},   {"x", "a%b"},  {"x", "svn://example.com/r"},
    };

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(pairs); i++) {
        struct pg_npmspec s = PG_NPMSPEC_INIT;
        struct pg_err err = PG_ERR_INIT;

        if (pg_npmspec_resolve(pairs[i][0], pairs[i][1], &s, &err) == 0)
            fail_msg("'%s': '%s' accepted", pairs[i][0], pairs[i][1]);
        assert_true(err.msg[0] != '\0');
    }
}

static void test_names(void **state)
{
    static const char *const ok[] = {
        "lodash", "@babel/core", "JSONStream", "a",    "x.y",
        "x-y_z",  "fs",          "~tilde",     "it's", "@s/p.q",
    };
    static const char *const bad[] = {
        "",    ".x",  "_x",    "-x",     " x",  "x ",  "node_modules", "favicon.ico", "a/b",
        "@/b", "@a/", "@a/.b", "@a/b/c", "a b", "a@b", "@a",           "%41",         "é",
    };

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(ok); i++)
        if (!pg_npmspec_name_ok(ok[i]))
            fail_msg("'%s' refused", ok[i]);
    for (size_t i = 0; i < PG_ARRAY_SIZE(bad); i++)
        if (pg_npmspec_name_ok(bad[i]))
            fail_msg("'%s' accepted", bad[i]);
    assert_false(pg_npmspec_name_ok(NULL));
}

static void test_add_req(void **state)
{
    struct pg_reqlist l = PG_REQLIST_INIT;
    struct pg_npmspec s = PG_NPMSPEC_INIT;
    struct pg_err err = PG_ERR_INIT;
    static const struct {
        const char *arg;
        enum pg_source src;
    } cases[] = {
        {"a@1", PG_SRC_REGISTRY},           {"b@npm:c@2", PG_SRC_REGISTRY}, {"u/r", PG_SRC_GIT},
        {"https://x.io/a.tgz", PG_SRC_URL}, {"./d", PG_SRC_LOCAL},          {"e.tgz", PG_SRC_LOCAL},
    };

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
        struct pg_req *r;

        assert_int_equal(pg_npmspec_parse(cases[i].arg, &s, &err), 0);
        r = pg_npmspec_add_req(&s, &l, "argv");
        assert_int_equal(r->source, cases[i].src);
        assert_int_equal(r->eco, PG_ECO_NPM);
        assert_string_equal(r->origin, "argv");
        pg_npmspec_release(&s);
    }
    assert_int_equal(l.n, PG_ARRAY_SIZE(cases));
    assert_string_equal(l.v[1].name, "c");
    assert_string_equal(l.v[1].alias, "b");
    assert_string_equal(l.v[1].spec, "2");
    assert_null(l.v[2].name);
    assert_string_equal(l.v[2].spec, "u/r");
    pg_reqlist_release(&l);
    assert_string_equal(pg_npmspec_type_name(PG_NPMSPEC_DIRECTORY), "directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_args),    cmocka_unit_test(test_bad_args),
        cmocka_unit_test(test_resolve), cmocka_unit_test(test_resolve_errors),
        cmocka_unit_test(test_names),   cmocka_unit_test(test_add_req),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
