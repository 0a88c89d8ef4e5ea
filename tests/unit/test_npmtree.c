/*
 * pg_npmtree: the tree npm would install, from packuments held in memory
 * (parsed by pg_npmmeta_parse, so the dependency fields are read as from a
 * registry). No network: the source counts the fetch rounds instead.
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

#include "pg_npmmeta.h"
#include "pg_npmtree.h"
#include "pg_pkgjson.h"
#include "pg_util.h"
#include "banned.h"

#define MAXP 32

/* An in-memory registry: a packument is visible once fetched. */
struct reg {
    struct pg_meta *m[MAXP];
    int fetched[MAXP];
    int times_fetched[MAXP];
    size_t n;
    size_t rounds;
    const char *fail; /* a name whose fetch fails */
    const char *never; /* a name never asked (the policy denies it) */
    struct pg_meta *gone;
};

static void put(struct reg *r, const char *name, const char *versions, const char *latest)
{
    char *doc = pg_xasprintf("{\"name\":\"%s\",\"versions\":{%s},\"dist-tags\":"
                             "{\"latest\":\"%s\"}}",
                             name, versions, latest);
    struct pg_err err = PG_ERR_INIT;

    r->m[r->n] = pg_npmmeta_parse(name, doc, strlen(doc), &err);
    assert_non_null(r->m[r->n]);
    r->n++;
    free(doc);
}

static void fetch(void *arg, const char *const *names, size_t n)
{
    struct reg *r = arg;

    r->rounds++;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < r->n; k++)
            if (strcmp(r->m[k]->name, names[i]) == 0 &&
                !(r->never && strcmp(names[i], r->never) == 0)) {
                r->fetched[k] = 1;
                r->times_fetched[k]++;
            }
}

static const struct pg_meta *meta(void *arg, const char *name, const char **error)
{
    struct reg *r = arg;

    *error = NULL;
    if (r->fail && strcmp(name, r->fail) == 0) {
        *error = "connection refused";
        return NULL;
    }
    for (size_t k = 0; k < r->n; k++)
        if (strcmp(r->m[k]->name, name) == 0)
            return r->fetched[k] ? r->m[k] : NULL;
    /* Unknown to this registry: a 404, as pg_registry reports it. */
    if (!r->gone) {
        r->gone = pg_meta_new(PG_ECO_NPM, "gone");
        r->gone->exists = 0;
    }
    return r->gone;
}

static void reg_free(struct reg *r)
{
    for (size_t i = 0; i < r->n; i++)
        pg_meta_free(r->m[i]);
    pg_meta_free(r->gone);
}

static void root(struct pg_reqlist *l, const char *name, const char *spec)
{
    struct pg_req *q = pg_reqlist_add(l, PG_ECO_NPM, PG_SRC_REGISTRY);

    q->name = pg_xstrdup(name);
    q->spec = pg_xstrdup(spec);
    q->origin = pg_xstrdup("argv");
}

/* The tree as "name@version<path>" lines, in emission order. */
static char *shape(const struct pg_npmtree *t)
{
    struct pg_sb sb = PG_SB_INIT;

    for (size_t i = 0; i < t->deps.n; i++) {
        const struct pg_req *q = &t->deps.v[i];

        pg_sb_addf(&sb, "%s@%s<%s>%s", q->alias ? q->alias : q->name,
                   q->locked ? q->locked : q->spec, q->path ? q->path : "",
                   i + 1 < t->deps.n ? " " : "");
    }
    return pg_sb_detach(&sb);
}

static char *grow(struct reg *r, const struct pg_reqlist *roots,
                  const struct pg_npmtree_project *proj, const struct pg_npmtree_opts *o,
                  struct pg_npmtree *t)
{
    struct pg_npmtree_src src = {fetch, meta, r};

    for (size_t i = 0; i < roots->n; i++)
        fetch(r, (const char *const *)&roots->v[i].name, 1);
    r->rounds = 0;
    pg_npmtree_build(t, roots, proj, o, &src);
    return shape(t);
}

static void chain(struct reg *r)
{
    put(r, "top", "\"1.0.0\":{\"dependencies\":{\"mid\":\"^1.0.0\",\"leaf\":\"^1\"}}", "1.0.0");
    put(r, "mid",
        "\"1.0.0\":{\"dependencies\":{\"leaf\":\"~1.1.0\"}},"
        "\"1.2.0\":{\"dependencies\":{\"leaf\":\"^2\"}}",
        "1.2.0");
    put(r, "leaf", "\"1.0.0\":{},\"1.1.0\":{},\"2.0.0\":{}", "2.0.0");
}

static void test_depth_by_depth(void **state)
{
    struct reg r = {0};
    struct pg_reqlist roots = PG_REQLIST_INIT;
    struct pg_npmtree t = PG_NPMTREE_INIT;
    struct pg_npmtree_opts o = {0};
    char *s;

    (void)state;
    chain(&r);
    root(&roots, "top", "");
    s = grow(&r, &roots, NULL, &o, &t);
    /* leaf ^1 -> 1.1.0 is placed first; mid 1.2.0 wants ^2: a second copy. */
    assert_string_equal(s, "mid@1.2.0<top> leaf@1.1.0<top> leaf@2.0.0<top > mid>");
    /* The second depth meets only leaf, known already: no round. */
    assert_int_equal(t.rounds, 1);
    assert_int_equal(r.rounds, 1);
    assert_int_equal(r.times_fetched[2], 1);
    assert_string_equal(t.deps.v[0].origin, "dependency");
    free(s);
    pg_npmtree_release(&t);
    pg_reqlist_release(&roots);
    reg_free(&r);
}

static void test_reuse_and_lock(void **state)
{
    struct reg r = {0};
    struct pg_reqlist roots = PG_REQLIST_INIT;
    struct pg_npmtree t = PG_NPMTREE_INIT;
    struct pg_npmtree_project p = PG_NPMTREE_PROJECT_INIT;
    struct pg_npmtree_opts o = {0};
    char *s;

    (void)state;
    chain(&r);
    root(&roots, "top", "");
    root(&roots, "leaf", "1.0.0");
    pg_strlist_push(&p.locked, "mid@1.0.0");
    s = grow(&r, &roots, &p, &o, &t);
    /* The placed leaf 1.0.0 satisfies ^1; mid comes from the lockfile and
     * its ~1.1.0 needs another leaf. */
    assert_string_equal(s, "mid@1.0.0<top> leaf@1.1.0<top > mid>");
    free(s);
    pg_npmtree_release(&t);
    pg_npmtree_project_release(&p);
    pg_reqlist_release(&roots);
    reg_free(&r);
}

/* A name never asked keeps the version the project locks, and is not followed. */
static void test_never_asked(void **state)
{
    struct reg r = {0};
    struct pg_reqlist roots = PG_REQLIST_INIT;
    struct pg_npmtree t = PG_NPMTREE_INIT;
    struct pg_npmtree_project p = PG_NPMTREE_PROJECT_INIT;
    struct pg_npmtree_opts o = {0};
    char *s;

    (void)state;
    chain(&r);
    r.never = "mid";
    root(&roots, "top", "");
    s = grow(&r, &roots, NULL, &o, &t);
    assert_string_equal(s, "mid@^1.0.0<top> leaf@1.1.0<top>");
    free(s);
    pg_npmtree_release(&t);
    pg_strlist_push(&p.locked, "mid@2.0.0"); /* does not fit ^1.0.0 */
    pg_strlist_push(&p.locked, "mid@1.2.0");
    s = grow(&r, &roots, &p, &o, &t);
    /* Not followed: mid 1.2.0 would want leaf ^2, a second leaf under it. */
    assert_string_equal(s, "mid@1.2.0<top> leaf@1.1.0<top>");
    free(s);
    pg_npmtree_release(&t);
    pg_npmtree_project_release(&p);
    pg_reqlist_release(&roots);
    reg_free(&r);
}

static void test_cycle_peer_optional(void **state)
{
    struct reg r = {0};
    struct pg_reqlist roots = PG_REQLIST_INIT;
    struct pg_npmtree t = PG_NPMTREE_INIT;
    struct pg_npmtree_opts o = {0};
    char *s;

    (void)state;
    put(&r, "a",
        "\"1.0.0\":{\"dependencies\":{\"b\":\"1\"},"
        "\"peerDependencies\":{\"p\":\"*\",\"q\":\"*\"},"
        "\"peerDependenciesMeta\":{\"q\":{\"optional\":true}},"
        "\"optionalDependencies\":{\"o\":\"1\",\"nowhere\":\"1\"}}",
        "1.0.0");
    put(&r, "b", "\"1.0.0\":{\"dependencies\":{\"a\":\"^1\",\"nope\":\"1\"}}", "1.0.0");
    put(&r, "p", "\"1.0.0\":{}", "1.0.0");
    put(&r, "q", "\"1.0.0\":{}", "1.0.0");
    put(&r, "o", "\"1.0.0\":{}", "1.0.0");
    root(&roots, "a", "1");
    s = grow(&r, &roots, NULL, &o, &t);
    /* The cycle ends at a; the optional peer and the missing optional are
     * skipped; a missing dependency is asked for, unresolved. */
    assert_string_equal(s, "p@1.0.0<a> b@1.0.0<a> o@1.0.0<a> nope@1<a > b>");
    assert_null(t.deps.v[3].locked);
    free(s);
    pg_npmtree_release(&t);
    o.omit_peer = o.omit_optional = 1;
    s = grow(&r, &roots, NULL, &o, &t);
    assert_string_equal(s, "b@1.0.0<a> nope@1<a > b>");
    free(s);
    pg_npmtree_release(&t);
    pg_reqlist_release(&roots);
    reg_free(&r);
}

/*
 * An optional peer npm does not install alone, but once something brings
 * its name the range must hold: @volar/typescript's `typescript: <7`
 * beside a project's `typescript: *` (7.x) makes npm install 6.x.
 */
static void test_optional_peer_brought(void **state)
{
    struct reg r = {0};
    struct pg_reqlist roots = PG_REQLIST_INIT;
    struct pg_npmtree t = PG_NPMTREE_INIT;
    struct pg_npmtree_opts o = {0};
    char *s;

    (void)state;
    put(&r, "ts", "\"6.0.0\":{},\"7.0.0\":{}", "7.0.0");
    put(&r, "volar",
        "\"1.0.0\":{\"peerDependencies\":{\"ts\":\"<7\",\"late\":\"<2\",\"never\":\"*\"},"
        "\"peerDependenciesMeta\":{\"ts\":{\"optional\":true},\"late\":{\"optional\":true},"
        "\"never\":{\"optional\":true}},\"dependencies\":{\"mid\":\"1\"}}",
        "1.0.0");
    put(&r, "mid", "\"1.0.0\":{\"dependencies\":{\"late\":\"*\"}}", "1.0.0");
    put(&r, "late", "\"1.0.0\":{},\"2.0.0\":{}", "2.0.0");
    put(&r, "never", "\"1.0.0\":{}", "1.0.0");
    root(&roots, "ts", "*");
    root(&roots, "volar", "1");
    s = grow(&r, &roots, NULL, &o, &t);
    /* ts is placed (a root): its peer range is resolved at once. late is
     * placed two depths down, after volar's peer was met: resolved at the
     * end. Nothing brings never: not installed, not even fetched. */
    assert_string_equal(s, "ts@6.0.0<volar> mid@1.0.0<volar> late@2.0.0<volar > mid> "
                           "late@1.0.0<volar>");
    assert_int_equal(r.times_fetched[4], 0);
    free(s);
    pg_npmtree_release(&t);
    /* --legacy-peer-deps: no peers at all. */
    o.omit_peer = 1;
    s = grow(&r, &roots, NULL, &o, &t);
    assert_string_equal(s, "mid@1.0.0<volar> late@2.0.0<volar > mid>");
    free(s);
    pg_npmtree_release(&t);
    pg_reqlist_release(&roots);
    reg_free(&r);
}

static void test_alias_git_bundled(void **state)
{
    struct reg r = {0};
    struct pg_reqlist roots = PG_REQLIST_INIT;
    struct pg_npmtree t = PG_NPMTREE_INIT;
    struct pg_npmtree_opts o = {0};
    char *s;

    (void)state;
    put(&r, "top",
        "\"1.0.0\":{\"dependencies\":{\"x\":\"npm:real@^1\",\"g\":\"github:u/r\","
        "\"inside\":\"1\"},\"bundleDependencies\":[\"inside\"]}",
        "1.0.0");
    put(&r, "real", "\"1.0.0\":{\"dependencies\":{\"leaf\":\"latest\"}}", "1.0.0");
    put(&r, "leaf", "\"1.0.0\":{},\"2.0.0\":{}", "1.0.0");
    root(&roots, "top", "");
    s = grow(&r, &roots, NULL, &o, &t);
    assert_string_equal(s, "x@1.0.0<top> g@github:u/r<top> leaf@1.0.0<top > x>");
    assert_string_equal(t.deps.v[0].name, "real");
    assert_int_equal(t.deps.v[1].source, PG_SRC_GIT);
    assert_int_equal(t.notes.n, 1);
    assert_non_null(strstr(t.notes.v[0], "bundled dependencies inside its tarball (inside)"));
    free(s);
    pg_npmtree_release(&t);
    pg_reqlist_release(&roots);
    reg_free(&r);
}

static void test_limits_and_errors(void **state)
{
    struct reg r = {0};
    struct pg_reqlist roots = PG_REQLIST_INIT;
    struct pg_npmtree t = PG_NPMTREE_INIT;
    struct pg_npmtree_opts o = {.max_depth = 1};
    char *s;

    (void)state;
    chain(&r);
    root(&roots, "top", "");
    s = grow(&r, &roots, NULL, &o, &t);
    assert_string_equal(s, "mid@1.2.0<top> leaf@1.1.0<top>");
    assert_int_equal(t.undecidable.n, 1);
    assert_non_null(strstr(t.undecidable.v[0], "deeper than 1 levels"));
    free(s);
    pg_npmtree_release(&t);
    o.max_depth = 0;
    o.max_nodes = 2;
    s = grow(&r, &roots, NULL, &o, &t);
    assert_string_equal(s, "mid@1.2.0<top>");
    assert_non_null(strstr(t.undecidable.v[0], "more than 2 packages"));
    free(s);
    pg_npmtree_release(&t);
    o.max_nodes = 0;
    r.fail = "mid";
    s = grow(&r, &roots, NULL, &o, &t);
    /* A failed fetch stays in the tree, unresolved: the rules decide. */
    assert_string_equal(s, "mid@^1.0.0<top> leaf@1.1.0<top>");
    free(s);
    pg_npmtree_release(&t);
    pg_reqlist_release(&roots);
    reg_free(&r);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_overrides(void **state)
{
    char dir[] = "/tmp/pg-npmtree-XXXXXX";
    struct reg r = {0};
    struct pg_reqlist roots = PG_REQLIST_INIT;
    struct pg_npmtree t = PG_NPMTREE_INIT;
    struct pg_npmtree_project p = PG_NPMTREE_PROJECT_INIT;
    struct pg_npmtree_opts o = {0};
    struct pg_err err = PG_ERR_INIT;
    char *pj, *s;

    (void)state;
    assert_non_null(mkdtemp(dir));
    pj = pg_xasprintf("%s/package.json", dir);
    write_file(pj, "{\"dependencies\":{\"leaf\":\"1.0.0\"},\"overrides\":{\"leaf\":\"$leaf\","
                   "\"mid\":{\".\":\"1.0.0\"},\"x@1\":\"2\",\"y\":{\"z\":\"1\"}}}");
    assert_int_equal(pg_npmtree_project_load(&p, dir, NULL, NULL, &err), 0);
    assert_int_equal(p.ov_names.n, 2);
    assert_string_equal(p.ov_specs.v[0], "1.0.0");
    assert_int_equal(p.unmodelled.n, 2);
    chain(&r);
    root(&roots, "top", "");
    s = grow(&r, &roots, &p, &o, &t);
    assert_string_equal(s, "mid@1.0.0<top> leaf@1.0.0<top>");
    assert_int_equal(t.undecidable.n, 2);
    assert_non_null(strstr(t.undecidable.v[0], "\"x@1\" selects versions"));
    free(s);
    unlink(pj);
    rmdir(dir);
    free(pj);
    pg_npmtree_release(&t);
    pg_npmtree_project_release(&p);
    pg_reqlist_release(&roots);
    reg_free(&r);
}

/* A lockfile parsed once: its pins serve the tree, read the same as from the file. */
static void test_lock_pins(void **state)
{
    char dir[] = "/tmp/pg-npmtree-XXXXXX";
    struct pg_npmtree_project a = PG_NPMTREE_PROJECT_INIT, b = PG_NPMTREE_PROJECT_INIT;
    struct pg_pkglock lk = PG_PKGLOCK_INIT;
    struct pg_strlist pins = {0};
    struct pg_err err = PG_ERR_INIT;
    char *lock;

    (void)state;
    assert_non_null(mkdtemp(dir));
    lock = pg_xasprintf("%s/package-lock.json", dir);
    write_file(lock, "{\"lockfileVersion\":3,\"packages\":{\"\":{},"
                     "\"node_modules/a\":{\"version\":\"1.0.0\"},"
                     "\"node_modules/b\":{\"version\":\"2.0.0\"},"
                     "\"node_modules/b/node_modules/a\":{\"version\":\"1.0.0\"},"
                     "\"node_modules/c\":{\"version\":\"1.0.0\",\"resolved\":\"file:../c\"}}}");
    assert_int_equal(pg_pkgjson_lock_read(lock, &lk, &err), 0);
    pg_npmtree_pins(&lk, &pins);
    assert_int_equal(pins.n, 2); /* a@1.0.0 once; the file: entry is no pin */
    assert_int_equal(pg_npmtree_project_load(&a, dir, lock, NULL, &err), 0);
    unlink(lock); /* the pins answer without the file */
    assert_int_equal(pg_npmtree_project_load(&b, dir, lock, &pins, &err), 0);
    assert_int_equal(a.locked.n, b.locked.n);
    for (size_t i = 0; i < a.locked.n; i++)
        assert_string_equal(a.locked.v[i], b.locked.v[i]);
    assert_string_equal(b.locked.v[0], "a@1.0.0");
    rmdir(dir);
    free(lock);
    pg_strlist_release(&pins);
    pg_pkgjson_lock_release(&lk);
    pg_npmtree_project_release(&a);
    pg_npmtree_project_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_depth_by_depth),      cmocka_unit_test(test_reuse_and_lock),
        cmocka_unit_test(test_cycle_peer_optional), cmocka_unit_test(test_optional_peer_brought),
        cmocka_unit_test(test_alias_git_bundled),
        cmocka_unit_test(test_limits_and_errors),   cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_lock_pins),           cmocka_unit_test(test_never_asked),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
