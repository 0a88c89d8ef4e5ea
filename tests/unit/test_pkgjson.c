/*
 * package.json dependency maps, package-lock.json v1/v2/v3 and
 * npm-shrinkwrap.json entries, malformed inputs with their positions, and
 * npm's local prefix search (walk-up and workspace roots).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pg_pkgjson.h"
#include "pg_util.h"
#include "banned.h"

#define D PG_TEST_DATA_DIR "/unit/data/npm"

static const struct pg_req *find(const struct pg_reqlist *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].name && strcmp(l->v[i].name, name) == 0)
            return &l->v[i];
    return NULL;
}

static size_t lock_find(const struct pg_pkglock *lk, const char *path)
{
    for (size_t i = 0; i < lk->nent; i++)
        if (strcmp(lk->ent[i].path, path) == 0)
            return i;
    fail_msg("no lock entry '%s'", path);
    return 0;
}

static void test_manifest_deps(void **state)
{
    struct pg_reqlist l = PG_REQLIST_INIT;
    struct pg_err err = PG_ERR_INIT;
    const struct pg_req *r;

    (void)state;
    if (pg_pkgjson_read_deps(D "/app/package.json", &l, &err) < 0)
        fail_msg("%s", err.msg);
    /* 6 + 3 + 1 + 1 entries, lodash listed twice with the same spec */
    assert_int_equal(l.n, 10);
    r = find(&l, "express");
    assert_non_null(r);
    assert_int_equal(r->source, PG_SRC_REGISTRY);
    assert_string_equal(r->spec, "^4.18.2");
    assert_string_equal(r->origin, "package.json");
    assert_int_equal(r->dev, 0);
    assert_null(r->locked);
    r = find(&l, "lodash");
    assert_int_equal(r->dev, 0); /* dependencies wins over devDependencies */
    r = find(&l, "string-width");
    assert_string_equal(r->alias, "string-width-cjs");
    assert_string_equal(r->spec, "^4.2.0");
    r = find(&l, "mylib");
    assert_int_equal(r->source, PG_SRC_GIT);
    assert_string_equal(r->spec, "github:acme/mylib#v1.2.0");
    r = find(&l, "local-utils");
    assert_int_equal(r->source, PG_SRC_LOCAL);
    r = find(&l, "tarball-dep");
    assert_int_equal(r->source, PG_SRC_URL);
    r = find(&l, "@types/node");
    assert_int_equal(r->dev, 1);
    assert_string_equal(r->spec, "^20.11.0");
    assert_non_null(find(&l, "fsevents"));
    assert_string_equal(find(&l, "react")->spec, ">=17");
    pg_reqlist_release(&l);
}

static void test_manifest_inline(void **state)
{
    static const char *const docs[] = {
        "{}",
        "{\"name\":\"x\"}",
        "{\"dependencies\":null}",
        "\xEF\xBB\xBF{\"dependencies\":{\"a\":\"1\"}}",
        "{\"dependencies\":{\"a\":\"1\"},\"devDependencies\":{\"a\":\"2\"}}",
    };
    static const size_t want[] = {0, 0, 0, 1, 2};

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(docs); i++) {
        struct pg_reqlist l = PG_REQLIST_INIT;
        struct pg_err err = PG_ERR_INIT;

        if (pg_pkgjson_parse_deps(docs[i], strlen(docs[i]), NULL, &l, &err) < 0)
            fail_msg("doc %zu: %s", i, err.msg);
        if (l.n != want[i])
            fail_msg("doc %zu: %zu reqs, want %zu", i, l.n, want[i]);
        pg_reqlist_release(&l);
    }
}

static void test_manifest_errors(void **state)
{
    static const struct {
        const char *doc, *want; /* want: a substring of the message */
    } cases[] = {
        {"", "pj:1:0:"},
        {"[]", "pj: not a JSON object"},
        {"{\"dependencies\": [\"a\"]}", "pj:1:18: \"dependencies\" is not an object"},
        {"{\n  \"devDependencies\": {\n    \"a\": 1\n  }\n}",
         "pj:3:10: devDependencies: 'a' is not a string"},
        {"{\"dependencies\":{\"Bad Name\":\"1\"}}", "pj: dependencies: invalid package name"},
        {"{\"dependencies\":{\"x\":\"npm:npm:y\"}}", "nested aliases"},
        {"{\"dependencies\":{\"x\":\"1\",}}", "pj:1:"},
        {"{\"dependencies\":{\"x\":\"\\u0000\"}}", "pj:1:"},
    };

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
        struct pg_reqlist l = PG_REQLIST_INIT;
        struct pg_err err = PG_ERR_INIT;

        if (pg_pkgjson_parse_deps(cases[i].doc, strlen(cases[i].doc), "pj", &l, &err) == 0)
            fail_msg("case %zu accepted", i);
        if (!strstr(err.msg, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].want);
        pg_reqlist_release(&l);
    }
}

static void test_manifest_file_errors(void **state)
{
    struct pg_reqlist l = PG_REQLIST_INIT;
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    assert_int_equal(pg_pkgjson_read_deps(D "/bad/package.json", &l, &err), -1);
    assert_non_null(strstr(err.msg, "package.json:5:"));
    assert_int_equal(pg_pkgjson_read_deps(D "/empty/package.json", &l, &err), -1);
    assert_non_null(strstr(err.msg, "empty/package.json"));
    assert_int_equal(l.n, 0);
}

static void test_lock_v3(void **state)
{
    struct pg_pkglock lk = PG_PKGLOCK_INIT;
    struct pg_err err = PG_ERR_INIT;
    const struct pg_req *r;
    size_t i;

    (void)state;
    if (pg_pkgjson_lock_read(D "/app/package-lock.json", &lk, &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(lk.version, 3);
    /* 15 keys minus the root, ../local-utils and the local-utils link */
    assert_int_equal(lk.reqs.n, 12);
    assert_int_equal(lk.nent, lk.reqs.n);

    i = lock_find(&lk, "node_modules/express/node_modules/debug");
    r = &lk.reqs.v[i];
    assert_string_equal(r->name, "debug");
    assert_string_equal(r->locked, "2.6.9");
    assert_string_equal(r->spec, "2.6.9");
    assert_int_equal(r->source, PG_SRC_REGISTRY);
    assert_string_equal(r->origin, "package-lock.json");
    assert_string_equal(lk.ent[i].resolved, "https://registry.npmjs.org/debug/-/debug-2.6.9.tgz");
    assert_true(pg_starts_with(lk.ent[i].integrity, "sha512-bC7E"));

    i = lock_find(&lk, "node_modules/@types/node");
    assert_string_equal(lk.reqs.v[i].name, "@types/node");
    assert_int_equal(lk.reqs.v[i].dev, 1);
    assert_int_equal(lk.reqs.v[i].source, PG_SRC_REGISTRY);
    assert_true(lk.ent[i].flags & PG_LOCK_DEV);

    i = lock_find(&lk, "node_modules/string-width-cjs");
    assert_string_equal(lk.reqs.v[i].name, "string-width");
    assert_string_equal(lk.reqs.v[i].alias, "string-width-cjs");
    assert_int_equal(lk.reqs.v[i].source, PG_SRC_REGISTRY);

    i = lock_find(&lk, "node_modules/mylib");
    assert_int_equal(lk.reqs.v[i].source, PG_SRC_GIT);
    assert_string_equal(lk.reqs.v[i].locked, "1.2.0");
    assert_true(pg_starts_with(lk.reqs.v[i].spec, "git+ssh://git@github.com/acme/mylib.git#"));
    assert_null(lk.ent[i].integrity);

    i = lock_find(&lk, "node_modules/tarball-dep");
    assert_int_equal(lk.reqs.v[i].source, PG_SRC_URL);
    assert_string_equal(lk.reqs.v[i].spec, "https://example.com/downloads/tarball-dep-1.0.0.tgz");

    i = lock_find(&lk, "node_modules/fsevents");
    assert_int_equal(lk.ent[i].flags, PG_LOCK_OPTIONAL | PG_LOCK_INSTALL_SCRIPT);
    i = lock_find(&lk, "node_modules/react");
    assert_int_equal(lk.ent[i].flags, PG_LOCK_PEER);
    assert_int_equal(lk.reqs.v[i].dev, 0);
    for (i = 0; i < lk.nent; i++)
        assert_null(strstr(lk.ent[i].path, "local-utils"));
    pg_pkgjson_lock_release(&lk);
    assert_int_equal(lk.nent, 0);
    assert_null(lk.reqs.v);
}

static void test_lock_v1(void **state)
{
    struct pg_pkglock lk = PG_PKGLOCK_INIT;
    struct pg_err err = PG_ERR_INIT;
    size_t i;

    (void)state;
    if (pg_pkgjson_lock_read(D "/lock/v1.json", &lk, &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(lk.version, 1);
    assert_int_equal(lk.reqs.n, 10);
    assert_string_equal(lk.reqs.v[0].origin, "v1.json");

    i = lock_find(&lk, "node_modules/body-parser/node_modules/debug/node_modules/ms");
    assert_string_equal(lk.reqs.v[i].name, "ms");
    assert_string_equal(lk.reqs.v[i].locked, "2.0.0");
    assert_int_equal(lk.reqs.v[i].source, PG_SRC_REGISTRY);

    i = lock_find(&lk, "node_modules/chalk-old");
    assert_string_equal(lk.reqs.v[i].name, "chalk");
    assert_string_equal(lk.reqs.v[i].alias, "chalk-old");
    assert_string_equal(lk.reqs.v[i].locked, "2.4.2");
    assert_int_equal(lk.reqs.v[i].source, PG_SRC_REGISTRY);

    i = lock_find(&lk, "node_modules/local-utils");
    assert_int_equal(lk.reqs.v[i].source, PG_SRC_LOCAL);
    assert_string_equal(lk.reqs.v[i].spec, "file:../local-utils");
    assert_null(lk.reqs.v[i].locked);

    i = lock_find(&lk, "node_modules/mylib");
    assert_int_equal(lk.reqs.v[i].source, PG_SRC_GIT);
    i = lock_find(&lk, "node_modules/tarball-dep");
    assert_int_equal(lk.reqs.v[i].source, PG_SRC_URL);
    i = lock_find(&lk, "node_modules/mocha");
    assert_int_equal(lk.reqs.v[i].dev, 1);
    i = lock_find(&lk, "node_modules/mocha/node_modules/glob-parent");
    assert_int_equal(lk.ent[i].flags, PG_LOCK_DEV | PG_LOCK_BUNDLED);
    i = lock_find(&lk, "node_modules/fsevents");
    assert_int_equal(lk.ent[i].flags, PG_LOCK_OPTIONAL);
    pg_pkgjson_lock_release(&lk);
}

static void test_lock_v2_and_workspaces(void **state)
{
    struct pg_pkglock lk = PG_PKGLOCK_INIT;
    struct pg_err err = PG_ERR_INIT;
    size_t i;

    (void)state;
    /* v2 carries both maps; "packages" (two entries) is read, not "dependencies" (one) */
    if (pg_pkgjson_lock_read(D "/lock/v2.json", &lk, &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(lk.version, 2);
    assert_int_equal(lk.reqs.n, 2);
    pg_pkgjson_lock_release(&lk);

    if (pg_pkgjson_lock_read(D "/mono/package-lock.json", &lk, &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(lk.reqs.n, 2); /* prettier and the workspace's left-pad */
    i = lock_find(&lk, "packages/a/node_modules/left-pad");
    assert_string_equal(lk.reqs.v[i].name, "left-pad");
    pg_pkgjson_lock_release(&lk);

    if (pg_pkgjson_lock_read(D "/shrink/npm-shrinkwrap.json", &lk, &err) < 0)
        fail_msg("%s", err.msg);
    assert_string_equal(lk.reqs.v[0].origin, "npm-shrinkwrap.json");
    pg_pkgjson_lock_release(&lk);

    /* a byte order mark, a prerelease, a registry under a path prefix */
    if (pg_pkgjson_lock_read(D "/lock/bom.json", &lk, &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(lk.reqs.n, 1);
    assert_string_equal(lk.reqs.v[0].name, "@scope/pkg");
    assert_int_equal(lk.reqs.v[0].source, PG_SRC_REGISTRY);
    pg_pkgjson_lock_release(&lk);
}

static void test_lock_inline(void **state)
{
    static const struct {
        const char *doc;
        size_t n;
        enum pg_source src;
    } cases[] = {
        {"{}", 0, PG_SRC_REGISTRY},
        {"{\"lockfileVersion\":3,\"packages\":{}}", 0, PG_SRC_REGISTRY},
        {"{\"packages\":{\"node_modules/a\":{\"version\":\"1.0.0\"}}}", 1, PG_SRC_REGISTRY},
        {"{\"packages\":{\"node_modules/a\":{\"version\":\"1.0.0\",\"resolved\":"
         "\"https://r.example/a/-/a-1.0.0.tgz?token=x\"}}}",
         1, PG_SRC_REGISTRY},
        {"{\"packages\":{\"node_modules/a\":{\"version\":\"1.0.0\",\"resolved\":"
         "\"https://r.example/a/-/a-1.0.1.tgz\"}}}",
         1, PG_SRC_URL},
        {"{\"packages\":{\"node_modules/a\":{\"version\":\"1.0.0\",\"resolved\":"
         "\"file:vendor/a-1.0.0.tgz\"}}}",
         1, PG_SRC_LOCAL},
        {"{\"packages\":{\"node_modules/a\":{\"resolved\":\"github:u/a#abc\"}}}", 1, PG_SRC_GIT},
        {"{\"packages\":{\"node_modules/a\":{\"link\":true,\"resolved\":\"x\"},"
         "\"x\":{\"version\":\"1.0.0\"}}}",
         0, PG_SRC_REGISTRY},
        {"{\"packages\":{\"not_node_modules/a\":{\"version\":\"1.0.0\"}}}", 0, PG_SRC_REGISTRY},
        {"{\"dependencies\":{\"a\":{}}}", 1, PG_SRC_REGISTRY},
    };

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
        struct pg_pkglock lk = PG_PKGLOCK_INIT;
        struct pg_err err = PG_ERR_INIT;

        if (pg_pkgjson_lock_parse(cases[i].doc, strlen(cases[i].doc), "l", &lk, &err) < 0)
            fail_msg("case %zu: %s", i, err.msg);
        if (lk.reqs.n != cases[i].n)
            fail_msg("case %zu: %zu entries, want %zu", i, lk.reqs.n, cases[i].n);
        if (lk.reqs.n && lk.reqs.v[0].source != cases[i].src)
            fail_msg("case %zu: source %s", i, pg_source_name(lk.reqs.v[0].source));
        pg_pkgjson_lock_release(&lk);
    }
}

static void test_lock_errors(void **state)
{
    static const struct {
        const char *doc, *want;
    } cases[] = {
        {"{", "l:1:"},
        {"\"x\"", "l:1:3:"},
        {"[1]", "l: not a JSON object"},
        {"{\"lockfileVersion\":\"3\"}", "l:1:20: bad lockfileVersion"},
        {"{\"lockfileVersion\":0}", "bad lockfileVersion"},
        {"{\"packages\":[]}", "l:1:13: \"packages\" is not an object"},
        {"{\"dependencies\":true}", "\"dependencies\" is not an object"},
        {"{\"packages\":{\n\"node_modules/a\": 7}}",
         "l:2:19: entry 'node_modules/a' is not an object"},
        {"{\"packages\":{\"node_modules/\":{}}}", "is not a package location"},
        {"{\"packages\":{\"node_modules/a b\":{}}}", "is not a package location"},
        {"{\"dependencies\":{\"a\":[]}}", "bad entry 'a'"},
        {"{\"dependencies\":{\"_a\":{}}}", "bad entry '_a'"},
        {"{\"dependencies\":{\"a\":{\"dependencies\":{\"b\":1}}}}", "bad entry 'b' under"},
    };

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
        struct pg_pkglock lk = PG_PKGLOCK_INIT;
        struct pg_err err = PG_ERR_INIT;

        if (pg_pkgjson_lock_parse(cases[i].doc, strlen(cases[i].doc), "l", &lk, &err) == 0)
            fail_msg("case %zu accepted", i);
        if (!strstr(err.msg, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].want);
        assert_int_equal(lk.nent, 0);
        assert_null(lk.reqs.v);
    }
}

static void test_lock_deep_v1(void **state)
{
    struct pg_sb sb = PG_SB_INIT;
    struct pg_pkglock lk = PG_PKGLOCK_INIT;
    struct pg_err err = PG_ERR_INIT;
    int depth = PG_PKGLOCK_DEPTH + 5;

    (void)state;
    pg_sb_adds(&sb, "{\"lockfileVersion\":1,\"dependencies\":");
    for (int i = 0; i < depth; i++)
        pg_sb_adds(&sb, "{\"a\":{\"version\":\"1.0.0\",\"dependencies\":");
    pg_sb_adds(&sb, "{}");
    for (int i = 0; i < depth; i++)
        pg_sb_adds(&sb, "}}");
    pg_sb_adds(&sb, "}");
    assert_int_equal(pg_pkgjson_lock_parse(sb.buf, sb.len, "deep", &lk, &err), -1);
    assert_non_null(strstr(err.msg, "nested deeper"));
    pg_sb_release(&sb);
}

static void test_lock_read_errors(void **state)
{
    struct pg_pkglock lk = PG_PKGLOCK_INIT;
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    assert_int_equal(pg_pkgjson_lock_read(D "/empty/package-lock.json", &lk, &err), -1);
    assert_non_null(strstr(err.msg, "package-lock.json"));
    assert_int_equal(pg_pkgjson_lock_read(D "/bad/package.json", &lk, &err), -1);
    assert_non_null(strstr(err.msg, "package.json:5:"));
}

static void expect_prefix(const char *cwd, int global, int ws_off, const char *want)
{
    struct pg_err err = PG_ERR_INIT;
    char *dir = NULL;

    if (pg_pkgjson_find_prefix(cwd, global, ws_off, &dir, &err) < 0)
        fail_msg("%s: %s", cwd, err.msg);
    if (strcmp(dir, want) != 0)
        fail_msg("prefix of '%s' is '%s', want '%s'", cwd, dir, want);
    free(dir);
}

static void test_find_prefix(void **state)
{
    struct pg_err err = PG_ERR_INIT;
    char *dir = NULL;

    (void)state;
    expect_prefix(D "/app", 0, 0, D "/app");
    expect_prefix(D "/app/", 0, 0, D "/app");
    expect_prefix(D "/app/src", 0, 0, D "/app");
    /* a workspace hands over to its root, unless global or --workspaces=false */
    expect_prefix(D "/mono/packages/a", 0, 0, D "/mono");
    expect_prefix(D "/mono/packages/a", 1, 0, D "/mono/packages/a");
    expect_prefix(D "/mono/packages/a", 0, 1, D "/mono/packages/a");
    /* "!packages/b" takes b out of the workspaces */
    expect_prefix(D "/mono/packages/b", 0, 0, D "/mono/packages/b");
    /* packages/ itself has no package.json: the walk goes on to mono */
    expect_prefix(D "/mono/packages", 0, 0, D "/mono");
    assert_int_equal(pg_pkgjson_find_prefix("relative/dir", 0, 0, &dir, &err), -1);
    assert_null(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manifest_deps),
        cmocka_unit_test(test_manifest_inline),
        cmocka_unit_test(test_manifest_errors),
        cmocka_unit_test(test_manifest_file_errors),
        cmocka_unit_test(test_lock_v3),
        cmocka_unit_test(test_lock_v1),
        cmocka_unit_test(test_lock_v2_and_workspaces),
        cmocka_unit_test(test_lock_inline),
        cmocka_unit_test(test_lock_errors),
        cmocka_unit_test(test_lock_deep_v1),
        cmocka_unit_test(test_lock_read_errors),
        cmocka_unit_test(test_find_prefix),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
