/*
 * pg_landed: the keys both sides are compared by (pg_version_ident), what npm's hidden
 * lockfile and a site-packages directory say landed since the snapshot,
 * which commands are watched at all, and the report (stderr, audit log).
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli_fx.h"
#include "pg_landed.h"
#include "pg_policy.h"
#include "pg_version.h"

static void keys_in_normal_form(void **state)
{
    char *k;

    (void)state;
    k = pg_version_ident(PG_ECO_PYPI, "Requests_Mini", "2.31.0");
    assert_string_equal(k, "requests-mini@2.31");
    free(k);
    /* A dist-info writes the normal form; the index may not. */
    k = pg_version_ident(PG_ECO_PYPI, "zope.interface", "1.0-RC1");
    assert_string_equal(k, "zope-interface@1rc1");
    free(k);
    k = pg_version_ident(PG_ECO_PYPI, "odd", "not a version");
    assert_string_equal(k, "odd@not a version");
    free(k);
    /* npm names are case-sensitive and versions exact. */
    k = pg_version_ident(PG_ECO_NPM, "@Scope/X", "1.0.0-rc.1");
    assert_string_equal(k, "@Scope/X@1.0.0-rc.1");
    free(k);
}

static void judge(struct pg_strmap *j, enum pg_eco eco, const char *name, const char *version)
{
    char *k = pg_version_ident(eco, name, version);

    pg_strmap_put(j, k, 0);
    free(k);
}

static void npm_cmd(struct pg_cmd *cmd, const char *sub, const char *dir)
{
    pg_cmd_init(cmd, PG_TOOL_NPM);
    cmd->installs = 1;
    cmd->subcmd = pg_xstrdup(sub);
    cmd->manifest_dir = dir ? pg_xstrdup(dir) : NULL;
}

#define LOCK_HEAD "{\"name\":\"app\",\"lockfileVersion\":3,\"packages\":{\"\":{\"name\":\"app\"},"

/* `npm install` in a project whose node_modules holds old@1.0.0, begun. */
static void begin_install(struct cli_fx *fx, struct pg_cmd *cmd, struct pg_landed *l)
{
    assert_int_equal(fx_setup(fx), 0);
    fx_mkdir(fx, "work/node_modules");
    fx_write(fx, "work/node_modules/.package-lock.json",
             LOCK_HEAD "\"node_modules/old\":{\"version\":\"1.0.0\"}}}");
    npm_cmd(cmd, "install", fx->work);
    assert_int_equal(pg_landed_begin(l, cmd, "/nonexistent/npm"), 1);
}

static void npm_new_entries_not_judged(void **state)
{
    struct cli_fx fx;
    struct pg_cmd cmd;
    struct pg_landed l = PG_LANDED_INIT;
    struct pg_landed_list out = PG_LANDED_LIST_INIT;
    struct pg_strmap judged = PG_STRMAP_INIT;

    (void)state;
    begin_install(&fx, &cmd, &l);
    fx_write(&fx, "work/node_modules/.package-lock.json",
             LOCK_HEAD "\"node_modules/old\":{\"version\":\"1.0.0\"},"
                       "\"node_modules/judged\":{\"version\":\"2.0.0\"},"
                       "\"node_modules/stray\":{\"version\":\"3.0.0\"},"
                       "\"node_modules/judged/node_modules/old\":{\"version\":\"1.0.0\"},"
                       "\"node_modules/alias\":{\"name\":\"real\",\"version\":\"4.0.0\"},"
                       "\"node_modules/bumped\":{\"version\":\"5.0.1\"},"
                       "\"packages/ws\":{\"version\":\"0.0.1\"}}}");
    judge(&judged, PG_ECO_NPM, "judged", "2.0.0");
    judge(&judged, PG_ECO_NPM, "real", "4.0.0");
    judge(&judged, PG_ECO_NPM, "bumped", "5.0.0"); /* judged one version, another landed */
    pg_landed_unjudged(&l, &judged, &out);
    /* old@1.0.0 was there before at its place; its new nested copy is new. */
    assert_int_equal(out.n, 3);
    assert_string_equal(out.v[0].name, "stray");
    assert_string_equal(out.v[0].version, "3.0.0");
    assert_string_equal(out.v[0].where, "node_modules/stray");
    assert_string_equal(out.v[1].where, "node_modules/judged/node_modules/old");
    assert_string_equal(out.v[2].name, "bumped");
    assert_string_equal(out.v[2].version, "5.0.1");
    pg_landed_list_release(&out);
    pg_landed_release(&l);
    pg_strmap_release(&judged);
    pg_cmd_release(&cmd);
    assert_int_equal(fx_teardown(&fx), 0);
}

/* A record unchanged byte for byte: nothing landed, and nothing is parsed. */
static void npm_unchanged_not_parsed(void **state)
{
    struct cli_fx fx;
    struct pg_cmd cmd;
    struct pg_landed l = PG_LANDED_INIT;
    struct pg_landed_list out = PG_LANDED_LIST_INIT;
    struct pg_strmap judged = PG_STRMAP_INIT;

    (void)state;
    begin_install(&fx, &cmd, &l);
    pg_landed_unjudged(&l, &judged, &out);
    assert_int_equal(out.n, 0);
    assert_int_equal(l.settled, 0);
    /* Settling twice parses once; the entry was there before. */
    pg_landed_settle(&l);
    pg_landed_settle(&l);
    assert_non_null(pg_strmap_get(&l.before, "node_modules/old old@1.0.0"));
    pg_landed_release(&l);
    pg_cmd_release(&cmd);
    assert_int_equal(fx_teardown(&fx), 0);
}

static void npm_first_install_and_unwatched(void **state)
{
    struct cli_fx fx;
    struct pg_cmd cmd;
    struct pg_landed l = PG_LANDED_INIT;
    struct pg_landed_list out = PG_LANDED_LIST_INIT;
    struct pg_strmap judged = PG_STRMAP_INIT;

    (void)state;
    assert_int_equal(fx_setup(&fx), 0);
    /* No node_modules yet: everything that lands is new. */
    npm_cmd(&cmd, "ci", fx.work);
    assert_int_equal(pg_landed_begin(&l, &cmd, "/nonexistent/npm"), 1);
    fx_mkdir(&fx, "work/node_modules");
    fx_write(&fx, "work/node_modules/.package-lock.json",
             LOCK_HEAD "\"node_modules/a\":{\"version\":\"1.0.0\"}}}");
    pg_landed_unjudged(&l, &judged, &out);
    assert_int_equal(out.n, 1);
    pg_landed_list_release(&out);
    pg_landed_release(&l);
    pg_cmd_release(&cmd);
    /* Not watched: global, dry runs, npx, pack, nothing installing. */
    npm_cmd(&cmd, "install", fx.work);
    cmd.global = 1;
    assert_int_equal(pg_landed_begin(&l, &cmd, "/nonexistent/npm"), 0);
    cmd.global = 0;
    cmd.dry_run = 1;
    assert_int_equal(pg_landed_begin(&l, &cmd, "/nonexistent/npm"), 0);
    cmd.dry_run = 0;
    cmd.installs = 0;
    assert_int_equal(pg_landed_begin(&l, &cmd, "/nonexistent/npm"), 0);
    pg_cmd_release(&cmd);
    npm_cmd(&cmd, "exec", fx.work);
    assert_int_equal(pg_landed_begin(&l, &cmd, "/nonexistent/npm"), 0);
    pg_cmd_release(&cmd);
    npm_cmd(&cmd, "pack", fx.work);
    assert_int_equal(pg_landed_begin(&l, &cmd, "/nonexistent/npm"), 0);
    pg_cmd_release(&cmd);
    pg_landed_release(&l);
    pg_strmap_release(&judged);
    assert_int_equal(fx_teardown(&fx), 0);
}

static void pip_new_dist_infos(void **state)
{
    struct cli_fx fx;
    struct pg_landed l = PG_LANDED_INIT;
    struct pg_landed_list out = PG_LANDED_LIST_INIT;
    struct pg_strmap judged = PG_STRMAP_INIT;

    (void)state;
    assert_int_equal(fx_setup(&fx), 0);
    fx_mkdir(&fx, "work/site");
    fx_mkdir(&fx, "work/site/pip-23.2.1.dist-info");
    /* What pg_landed_begin fills from the interpreter, by hand. */
    l.eco = PG_ECO_PYPI;
    l.dirs[0] = fx_path(&fx, "work/site");
    l.dirs[1] = fx_path(&fx, "work/site"); /* purelib == platlib: read once */
    pg_strmap_put(&l.before, "pip-23.2.1.dist-info", 0);
    fx_mkdir(&fx, "work/site/requests_mini-2.31.0.dist-info");
    fx_mkdir(&fx, "work/site/zope.interface-6.0.dist-info");
    fx_mkdir(&fx, "work/site/stray_pkg-1.0.dist-info");
    fx_mkdir(&fx, "work/site/stray_pkg"); /* the package itself: not a record */
    judge(&judged, PG_ECO_PYPI, "Requests-Mini", "2.31.0");
    judge(&judged, PG_ECO_PYPI, "zope-interface", "6.0.0"); /* the same version as 6.0 */
    pg_landed_unjudged(&l, &judged, &out);
    assert_int_equal(out.n, 1);
    assert_string_equal(out.v[0].name, "stray-pkg");
    assert_string_equal(out.v[0].version, "1.0");
    pg_landed_list_release(&out);
    pg_landed_release(&l);
    pg_strmap_release(&judged);
    assert_int_equal(fx_teardown(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keys_in_normal_form),
        cmocka_unit_test(npm_new_entries_not_judged),
        cmocka_unit_test(npm_unchanged_not_parsed),
        cmocka_unit_test(npm_first_install_and_unwatched),
        cmocka_unit_test(pip_new_dist_infos),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
