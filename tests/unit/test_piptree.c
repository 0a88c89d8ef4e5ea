/*
 * pg_piptree: the tree pip would install, from project pages and
 * dependency lists held in memory. No network: the source counts rounds
 * and marks a version's dependencies known only when fetch_deps asks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "pg_piptree.h"
#include "pg_util.h"
#include "banned.h"

#define MAXP 16

struct reg {
    struct pg_meta *m[MAXP];
    int fetched[MAXP];
    size_t n, rounds, dep_rounds, deps_asked;
};

/* name, "1.0,2.0" versions; deps of the newest version, ";;"-separated (NULL: unknown). */
static struct pg_meta_version *put(struct reg *r, const char *name, const char *version,
                                   const char *deps)
{
    struct pg_meta *m = NULL;
    struct pg_meta_version *v;

    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->m[i]->name, name) == 0)
            m = r->m[i];
    if (!m) {
        m = pg_meta_new(PG_ECO_PYPI, name);
        r->m[r->n++] = m;
    }
    v = pg_meta_add_version(m, version);
    v->published = 1000;
    v->yanked = 0;
    if (deps) {
        char *list = pg_xstrdup(deps);

        for (char *p = list, *e; p && *p; p = e ? e + 2 : NULL) {
            e = strstr(p, ";;");
            if (e)
                *e = '\0';
            pg_meta_add_dep(v, "?", p, PG_DEP_PROD);
        }
        free(list);
        v->deps_state = PG_DEPS_UNASKED; /* known once fetch_deps runs */
        v->deprecated = 1;               /* marks "has metadata" for the fake source */
    }
    return v;
}

static void fetch(void *arg, const char *const *names, size_t n)
{
    struct reg *r = arg;

    r->rounds++;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < r->n; i++)
            if (strcasecmp(r->m[i]->name, names[k]) == 0)
                r->fetched[i] = 1;
}

static const struct pg_meta *meta(void *arg, const char *name, const char **error)
{
    struct reg *r = arg;

    *error = NULL;
    for (size_t i = 0; i < r->n; i++)
        if (strcasecmp(r->m[i]->name, name) == 0) /* as an index answers any spelling */
            return r->fetched[i] ? r->m[i] : NULL;
    return NULL;
}

static void fetch_deps(void *arg, const char *const *names, const char *const *versions,
                       size_t n)
{
    struct reg *r = arg;

    r->dep_rounds++;
    for (size_t k = 0; k < n; k++) {
        const char *error;
        struct pg_meta_version *v =
            (struct pg_meta_version *)pg_meta_find(meta(r, names[k], &error), versions[k]);

        r->deps_asked++;
        v->deps_state = v->deprecated == 1 ? PG_DEPS_KNOWN : PG_DEPS_UNKNOWN;
    }
}

static void reg_free(struct reg *r)
{
    for (size_t i = 0; i < r->n; i++)
        pg_meta_free(r->m[i]);
}

static void root(struct pg_reqlist *l, const char *name, const char *spec, const char *extras)
{
    struct pg_req *q = pg_reqlist_add(l, PG_ECO_PYPI, PG_SRC_REGISTRY);

    q->name = pg_xstrdup(name);
    q->spec = pg_xstrdup(spec);
    q->extras = extras ? pg_xstrdup(extras) : NULL;
}

static const struct pg_req *dep(const struct pg_piptree *t, const char *name)
{
    for (size_t i = 0; i < t->deps.n; i++)
        if (strcmp(t->deps.v[i].name, name) == 0)
            return &t->deps.v[i];
    return NULL;
}

static struct pg_marker_env env311(void)
{
    struct pg_marker_env e = {{0}};

    e.v[PG_MK_PYTHON_VERSION] = "3.11";
    e.v[PG_MK_SYS_PLATFORM] = "linux";
    return e;
}

/* flask > werkzeug > markupsafe, with markers and an extra. */
static void tree(struct reg *r)
{
    put(r, "flask", "2.0", "Werkzeug>=2;;click; python_version < '3.8';;"
                           "colorama; sys_platform == 'win32';;asgiref; extra == 'async'");
    put(r, "werkzeug", "1.0", "MarkupSafe");
    put(r, "werkzeug", "2.1", "MarkupSafe>=2.1");
    put(r, "markupsafe", "2.1.3", "");
    put(r, "click", "8.0", "");
    put(r, "colorama", "0.4", "");
    put(r, "asgiref", "3.0", "");
    r->fetched[0] = 1; /* the first round of the gate asked for the root */
}

static void test_depth_markers_extras(void **state)
{
    struct reg r = {0};
    struct pg_piptree_src src = {fetch, meta, fetch_deps, &r};
    struct pg_marker_env e = env311();
    struct pg_piptree_opts o = {0};
    struct pg_reqlist roots = PG_REQLIST_INIT;
    struct pg_piptree t = PG_PIPTREE_INIT;
    const struct pg_req *d;

    (void)state;
    tree(&r);
    o.env = &e;
    root(&roots, "flask", "", "async");
    pg_piptree_build(&t, &roots, &o, &src);
    assert_int_equal(t.deps.n, 3); /* werkzeug, asgiref, markupsafe */
    d = dep(&t, "Werkzeug");
    assert_non_null(d);
    assert_string_equal(d->locked, "2.1");
    assert_string_equal(d->path, "flask");
    d = dep(&t, "MarkupSafe");
    assert_string_equal(d->path, "flask > Werkzeug");
    assert_string_equal(d->locked, "2.1.3");
    assert_non_null(dep(&t, "asgiref"));
    assert_null(dep(&t, "click"));    /* python_version < 3.8 */
    assert_null(dep(&t, "colorama")); /* win32 */
    assert_int_equal(t.undecidable.n, 0);
    /* depth 0: deps + pages; depth 1: deps + pages; depth 2: deps only. */
    assert_int_equal(r.dep_rounds, 3);
    assert_int_equal(r.rounds, 2);
    pg_piptree_release(&t);
    pg_reqlist_release(&roots);
    reg_free(&r);
}

static void test_installed_constraints_unknown(void **state)
{
    struct reg r = {0};
    struct pg_piptree_src src = {fetch, meta, fetch_deps, &r};
    struct pg_marker_env e = env311();
    struct pg_piptree_opts o = {0};
    struct pg_reqlist roots = PG_REQLIST_INIT;
    struct pg_piptree t = PG_PIPTREE_INIT;
    struct pg_pysite site = PG_PYSITE_INIT;
    struct pg_strlist cons = PG_STRLIST_INIT, req = PG_STRLIST_INIT;

    (void)state;
    tree(&r);
    put(&r, "sdistonly", "1.0", NULL);
    pg_strlist_push(&req, "sdistonly");
    pg_pysite_add(&site, "werkzeug", "2.0", &req); /* satisfies Werkzeug>=2: kept */
    pg_strlist_push(&cons, "markupsafe<2");
    o.env = &e;
    o.installed = &site;
    o.constraints = &cons;
    root(&roots, "flask", "", NULL);
    pg_piptree_build(&t, &roots, &o, &src);
    assert_null(dep(&t, "Werkzeug"));
    assert_int_equal(t.kept.n, 1);
    assert_string_equal(t.kept.v[0], "werkzeug==2.0");
    /* The kept one's installed Requires-Dist is followed. */
    assert_non_null(dep(&t, "sdistonly"));
    assert_int_equal(t.undecidable.n, 1);
    assert_non_null(strstr(t.undecidable.v[0], "sdistonly==1.0 (flask > Werkzeug > sdistonly)"));
    pg_piptree_release(&t);

    /* -U --upgrade-strategy eager: the installed one is picked anew; the
     * constraint excludes every markupsafe: unresolved, still listed. */
    o.upgrade = o.eager = 1;
    pg_piptree_build(&t, &roots, &o, &src);
    assert_string_equal(dep(&t, "Werkzeug")->locked, "2.1");
    assert_null(dep(&t, "MarkupSafe")->locked);
    assert_string_equal(dep(&t, "MarkupSafe")->spec, ">=2.1,<2");
    pg_piptree_release(&t);
    pg_strlist_release(&cons);
    pg_strlist_release(&req);
    pg_pysite_release(&site);
    pg_reqlist_release(&roots);
    reg_free(&r);
}

static void test_conflict_and_url(void **state)
{
    struct reg r = {0};
    struct pg_piptree_src src = {fetch, meta, fetch_deps, &r};
    struct pg_marker_env e = env311();
    struct pg_piptree_opts o = {0};
    struct pg_reqlist roots = PG_REQLIST_INIT;
    struct pg_piptree t = PG_PIPTREE_INIT;

    (void)state;
    put(&r, "app", "1.0", "lib==1.0;;other;;direct @ https://example.org/direct-1.0.tar.gz");
    put(&r, "other", "1.0", "lib>=2");
    put(&r, "lib", "1.0", "");
    put(&r, "lib", "2.0", "");
    r.fetched[0] = 1;
    o.env = &e;
    root(&roots, "app", "", NULL);
    pg_piptree_build(&t, &roots, &o, &src);
    assert_string_equal(dep(&t, "lib")->locked, "1.0");
    assert_int_equal(dep(&t, "direct")->source, PG_SRC_URL);
    assert_int_equal(t.undecidable.n, 1);
    assert_non_null(strstr(t.undecidable.v[0], "backtrack"));
    pg_piptree_release(&t);
    pg_reqlist_release(&roots);
    reg_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_depth_markers_extras),
        cmocka_unit_test(test_installed_constraints_unknown),
        cmocka_unit_test(test_conflict_and_url),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
