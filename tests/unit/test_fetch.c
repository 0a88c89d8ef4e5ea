/*
 * test_fetch.c - shim/cli/pg_fetch offline, on an empty cache
 * ($XDG_CACHE_HOME in a fresh temporary tree): every package that would
 * be asked about is undecidable with a reason, and those that would never
 * be asked (denied, not from a registry, no name, pip --no-index) have no
 * facts at all. Requests for the same package share one query. No
 * network: see cli_fx.h.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_fx.h"
#include "pg_fetch.h"
#include "pg_pipargs.h"
#include "banned.h"

static struct cli_fx fx;

static int setup(void **state)
{
    (void)state;
    return fx_setup(&fx);
}

static int teardown(void **state)
{
    (void)state;
    return fx_teardown(&fx);
}

static struct pg_req *add(struct pg_reqlist *l, enum pg_eco eco, enum pg_source src,
                          const char *name, const char *spec)
{
    struct pg_req *r = pg_reqlist_add(l, eco, src);

    r->name = name ? pg_xstrdup(name) : NULL;
    r->spec = pg_xstrdup(spec);
    r->origin = pg_xstrdup("argv");
    return r;
}

static void assert_undecidable(const struct pg_facts *f)
{
    assert_null(f->meta);
    assert_non_null(f->error);
    assert_non_null(strstr(f->error, "offline"));
}

static void assert_not_asked(const struct pg_facts *f)
{
    assert_null(f->meta);
    assert_null(f->error);
    assert_null(f->keys);
    assert_null(f->keys_error);
    assert_null(f->suggest);
}

static void empty_cache_is_undecidable(void **state)
{
    struct pg_policy *pol = fx_policy("{\"deny\": [\"pkg:npm/evil\"]}");
    struct pg_reqlist reqs = PG_REQLIST_INIT;
    struct pg_fetch_opts fo = {.offline = 1};
    struct pg_facts facts[8];
    struct pg_fetch *f;

    (void)state;
    add(&reqs, PG_ECO_NPM, PG_SRC_REGISTRY, "left-pad", "^1.0.0");             /* 0 */
    add(&reqs, PG_ECO_PYPI, PG_SRC_REGISTRY, "requests", ">=2");               /* 1 */
    add(&reqs, PG_ECO_NPM, PG_SRC_REGISTRY, "evil", "");                       /* 2 */
    add(&reqs, PG_ECO_NPM, PG_SRC_URL, "tarball", "https://example.com/x.tgz"); /* 3 */
    add(&reqs, PG_ECO_PYPI, PG_SRC_LOCAL, NULL, "./dist/x.whl");               /* 4 */
    add(&reqs, PG_ECO_NPM, PG_SRC_REGISTRY, "left-pad", "1.3.0");              /* 5 */
    add(&reqs, PG_ECO_NPM, PG_SRC_GIT, "lib", "github:user/lib");              /* 6 */
    add(&reqs, PG_ECO_PYPI, PG_SRC_REGISTRY, "requests", "==2.0");             /* 7 */
    memset(facts, 0xa5, sizeof(facts)); /* pg_fetch_run must set every entry */
    f = pg_fetch_run(pol, NULL, &reqs, &fo, facts);
    assert_non_null(f);

    assert_undecidable(&facts[0]);
    assert_undecidable(&facts[1]);
    assert_undecidable(&facts[5]);
    assert_undecidable(&facts[7]);
    assert_non_null(strstr(facts[0].error, "not in the cache"));
    /* npm: the signing keys could not be had either; the rule will say so. */
    assert_null(facts[0].keys);
    assert_non_null(facts[0].keys_error);
    /* Not asked: denied whatever the version, or not from a registry. */
    assert_not_asked(&facts[2]);
    assert_not_asked(&facts[3]);
    assert_not_asked(&facts[4]);
    assert_not_asked(&facts[6]);
    /* One npm query per name and index, whatever the range; PyPI per spec. */
    assert_ptr_equal(facts[0].error, facts[5].error);
    assert_ptr_not_equal(facts[1].error, facts[7].error);

    /* No keys and no error: nothing to note about unsigned registries. */
    {
        struct pg_decide_ctx ctx = {.pol = pol};
        struct pg_sb notes = PG_SB_INIT;

        pg_fetch_notes(f, &ctx, &notes);
        assert_string_equal(pg_sb_str(&notes), "");
        pg_fetch_notes(NULL, &ctx, &notes);
        assert_string_equal(pg_sb_str(&notes), "");
        pg_sb_release(&notes);
    }
    pg_fetch_free(f);
    pg_fetch_free(NULL);
    pg_reqlist_release(&reqs);
    pg_policy_free(pol);
}

/* The signature rule off: no keys are asked for, so none can be missing. */
static void keys_only_when_the_rule_is_on(void **state)
{
    struct pg_policy *pol = fx_policy("{\"rules\": {\"registry_signature\": {\"action\": \"off\"}}}");
    struct pg_reqlist reqs = PG_REQLIST_INIT;
    struct pg_fetch_opts fo = {.offline = 1};
    struct pg_facts facts[1];
    struct pg_fetch *f;

    (void)state;
    add(&reqs, PG_ECO_NPM, PG_SRC_REGISTRY, "left-pad", "");
    f = pg_fetch_run(pol, NULL, &reqs, &fo, facts);
    assert_undecidable(&facts[0]);
    assert_null(facts[0].keys);
    assert_null(facts[0].keys_error);
    pg_fetch_free(f);
    pg_reqlist_release(&reqs);
    pg_policy_free(pol);
}

/* The tool's own configuration is read: a registry there that pkggate
 * cannot ask makes the package undecidable, and the reason names it. */
static void bad_configured_registry(void **state)
{
    struct pg_policy *pol = fx_policy("{}");
    struct pg_reqlist reqs = PG_REQLIST_INIT;
    struct pg_fetch_opts fo = {.offline = 1};
    struct pg_facts facts[1];
    struct pg_fetch *f;

    (void)state;
    fx_write(&fx, "home/.npmrc", "registry=ftp://mirror.example/\n");
    add(&reqs, PG_ECO_NPM, PG_SRC_REGISTRY, "left-pad", "");
    f = pg_fetch_run(pol, NULL, &reqs, &fo, facts);
    /* A registry pkggate cannot ask: undecidable, and the reason says why. */
    assert_null(facts[0].meta);
    assert_non_null(facts[0].error);
    assert_non_null(strstr(facts[0].error, "mirror.example"));
    pg_fetch_free(f);
    fx_write(&fx, "home/.npmrc", "");
    pg_reqlist_release(&reqs);
    pg_policy_free(pol);
}

/* pip --no-index names no index: nothing is asked, the name rules decide. */
static void pip_no_index_asks_nothing(void **state)
{
    char *argv[] = {"pip", "install", "--no-index", "requests", NULL};
    struct pg_policy *pol = fx_policy("{}");
    struct pg_cmd cmd;
    struct pg_err err = PG_ERR_INIT;
    struct pg_fetch_opts fo = {.offline = 1};
    struct pg_facts facts[1];
    struct pg_fetch *f;

    (void)state;
    pg_cmd_init(&cmd, PG_TOOL_PIP);
    if (pg_pipargs_parse(&cmd, 4, argv, fx.work, &err) < 0)
        fail_msg("pip argv: %s", err.msg);
    assert_true(cmd.no_index);
    assert_int_equal(cmd.reqs.n, 1);
    f = pg_fetch_run(pol, &cmd, &cmd.reqs, &fo, facts);
    assert_not_asked(&facts[0]);
    pg_fetch_free(f);
    pg_cmd_release(&cmd);
    pg_policy_free(pol);
}

/*
 * What the pip tree sees of a project is what pip sees: the find-links
 * files too, even with --no-index. A version only a local file offers has
 * no metadata pkggate reads: its dependencies are unknown, never empty.
 */
static void pip_find_links_version_has_unknown_deps(void **state)
{
    char *argv[] = {"pip", "install", "--no-index", "-f", "links", "requests", NULL};
    const char *names[] = {"requests"}, *versions[] = {"9.9.9"};
    struct pg_policy *pol = fx_policy("{}");
    struct pg_cmd cmd;
    struct pg_err err = PG_ERR_INIT;
    struct pg_fetch_opts fo = {.offline = 1};
    struct pg_facts facts[1];
    struct pg_fetch *f;
    const struct pg_meta *m;
    const struct pg_meta_version *mv;
    const char *error = NULL;

    (void)state;
    fx_mkdir(&fx, "work/links");
    fx_write(&fx, "work/links/requests-9.9.9-py3-none-any.whl", "");
    pg_cmd_init(&cmd, PG_TOOL_PIP);
    if (pg_pipargs_parse(&cmd, 6, argv, fx.work, &err) < 0)
        fail_msg("pip argv: %s", err.msg);
    f = pg_fetch_run(pol, &cmd, &cmd.reqs, &fo, facts);
    m = pg_fetch_meta(f, PG_ECO_PYPI, "Requests", &error);
    assert_null(error);
    assert_non_null(m);
    mv = pg_meta_find(m, "9.9.9");
    assert_non_null(mv);
    assert_non_null(mv->local_file);
    assert_int_equal(mv->deps_state, PG_DEPS_UNASKED);
    pg_fetch_deps(f, pol, &fo, names, versions, 1);
    assert_int_equal(mv->deps_state, PG_DEPS_UNKNOWN);
    assert_int_equal(mv->ndeps, 0);
    pg_fetch_free(f);
    pg_cmd_release(&cmd);
    pg_policy_free(pol);
}

static void nothing_requested(void **state)
{
    struct pg_policy *pol = fx_policy("{}");
    struct pg_reqlist reqs = PG_REQLIST_INIT;
    struct pg_fetch_opts fo = {.offline = 1};
    struct pg_facts facts[1];
    struct pg_fetch *f;

    (void)state;
    f = pg_fetch_run(pol, NULL, &reqs, &fo, facts);
    assert_non_null(f);
    pg_fetch_free(f);
    pg_policy_free(pol);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_cache_is_undecidable),
        cmocka_unit_test(keys_only_when_the_rule_is_on),
        cmocka_unit_test(bad_configured_registry),
        cmocka_unit_test(pip_no_index_asks_nothing),
        cmocka_unit_test(pip_find_links_version_has_unknown_deps),
        cmocka_unit_test(nothing_requested),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
