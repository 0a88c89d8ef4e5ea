/*
 * The shim's router for pip: 1 (check it) or 0 (exec pip directly) for
 * real command lines, and the option tables it shares are binary-searchable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pg_pipopts.h"
#include "pg_route_pip.h"
#include "pg_util.h"
#include "banned.h"

struct route {
    const char *cmd; /* words split on spaces; argv[0] is "pip" */
    int want;
};

static const struct route routes[] = {
    /* the brief's cases */
    {"pip --version", 0},
    {"pip list", 0},
    {"pip show x", 0},
    {"pip freeze", 0},
    {"pip -V", 0},
    {"pip help install", 0},
    {"pip uninstall -y x", 0},
    {"pip config list", 0},
    {"pip install x", 1},
    {"pip -q install x", 1},
    {"pip --python /x install y", 1},
    {"pip download x", 1},
    {"pip wheel x", 1},
    {"pip --isolated install -r r.txt", 1},
    /* nothing to do, or only help/version */
    {"pip", 0},
    {"pip help", 0},
    {"pip -h", 0},
    {"pip --help", 0},
    {"pip --he", 0},
    {"pip --vers install x", 0},
    {"pip -V install requests", 0},
    {"pip -q --version install x", 0},
    {"pip -qV", 0},
    {"pip -h --frobnicate install x", 0},
    {"pip install --help", 0},
    {"pip install -h requests", 0},
    {"pip install requests -h", 0},
    {"pip install -qh", 0},
    {"pip install -U -h", 0},
    {"pip install -ihttps://x -h", 0},
    {"pip download -h x", 0},
    {"pip wheel --help", 0},
    {"pip --log", 0},
    {"pip --python", 0},
    /* subcommands that do not fetch packages */
    {"pip cache purge", 0},
    {"pip check", 0},
    {"pip inspect", 0},
    {"pip index versions requests", 0},
    {"pip hash x.whl", 0},
    {"pip debug", 0},
    {"pip completion --bash", 0},
    {"pip search x", 0},
    {"pip -q list", 0},
    {"pip -vvv freeze", 0},
    {"pip --python /x list", 0},
    {"pip --isolated uninstall x", 0},
    {"pip --cache-dir=/tmp list", 0},
    {"pip --timeout 10 show x", 0},
    {"pip --exists-action w freeze", 0},
    {"pip --log install list", 0},    /* --log takes "install" */
    {"pip --log=install list", 0},
    {"pip --proxy install show install", 0},
    {"pip show install", 0},
    /* installs, or might */
    {"pip install", 1},
    {"pip lock x", 1},
    {"pip -vq install x", 1},
    {"pip --log list install x", 1}, /* --log takes "list" */
    {"pip --log install install x", 1},
    {"pip --proxy http://p install x", 1},
    {"pip --cert c.pem wheel .", 1},
    {"pip download -d /tmp x", 1},
    {"pip install -e .", 1},
    {"pip --require-virtualenv install x", 1},
    {"pip --keyring-provider subprocess install x", 1},
    {"pip -- install x", 1},
    {"pip install -r -h", 1},             /* -h is -r's value */
    {"pip install --index-url -h x", 1},
    {"pip install -- -h", 1},             /* after --, -h is a package */
    {"pip install --frobnicate -h", 1},   /* unknown first: maybe it takes -h */
    {"pip install --help=x", 1},
    {"pip install -U x", 1},
    {"pip install --upgr x", 1},          /* ambiguous, pip would refuse */
    {"pip wheel -w -h .", 1},
    /* conservative: not understood */
    {"pip --foo list", 1},
    {"pip --foo -h install x", 1}, /* a newer pip's --foo may take "-h" */
    {"pip --foo -V install x", 1},
    {"pip --no-c list", 1}, /* --no-cache-dir or --no-color */
    {"pip -U install x", 1},
    {"pip -x list", 1},
    {"pip instal x", 1},
    {"pip INSTALL x", 1},
    {"pip -", 1},
    {"pip sync x", 1},
};

static int split(char *line, char **argv, int max)
{
    int argc = 0;

    for (char *p = line; *p && argc < max;) {
        argv[argc++] = p;
        p += strcspn(p, " ");
        if (*p)
            *p++ = '\0';
    }
    return argc;
}

static void test_routes(void **state)
{
    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(routes); i++) {
        char line[256], *argv[32];
        int argc, got;

        assert_true(strlen(routes[i].cmd) < sizeof(line));
        memcpy(line, routes[i].cmd, strlen(routes[i].cmd) + 1);
        argc = split(line, argv, 32);
        got = pg_route_pip(argc, argv);
        if (got != routes[i].want)
            fail_msg("'%s': routed %d, expected %d", routes[i].cmd, got, routes[i].want);
    }
}

static void test_argv0_and_empty(void **state)
{
    char *a[] = {"pip3.11", "install", "x", NULL};
    char *b[] = {"/usr/bin/pip", NULL};
    char *c[] = {"pip3", "", NULL};

    (void)state;
    assert_int_equal(pg_route_pip(3, a), 1);
    assert_int_equal(pg_route_pip(1, b), 0);
    assert_int_equal(pg_route_pip(0, b), 0);
    assert_int_equal(pg_route_pip(2, c), 1); /* "" is an unknown command */
}

static void check_sorted(const struct pg_pipopt *tab, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (strcmp(tab[i - 1].name, tab[i].name) >= 0)
            fail_msg("option table not alphasorted at '%s' / '%s'", tab[i - 1].name, tab[i].name);
}

static void test_tables_sorted(void **state)
{
    (void)state;
    check_sorted(pg_pipopts_long, PG_ARRAY_SIZE(pg_pipopts_long));
    check_sorted(pg_pipopts_short, PG_ARRAY_SIZE(pg_pipopts_short));
    for (size_t i = 1; i < PG_ARRAY_SIZE(pg_pipcmds); i++)
        if (strcmp(pg_pipcmds[i - 1].name, pg_pipcmds[i].name) >= 0)
            fail_msg("subcommand table not alphasorted at '%s'", pg_pipcmds[i].name);
    /* Every entry is found by its own name, in its own scope. */
    for (size_t i = 0; i < PG_ARRAY_SIZE(pg_pipopts_long); i++) {
        const struct pg_pipopt *o = NULL;

        assert_int_equal(pg_pipopt_long(pg_pipopts_long[i].name, pg_pipopts_long[i].flags, &o),
                         PG_PIPOPT_FOUND);
        assert_ptr_equal(o, &pg_pipopts_long[i]);
        assert_int_equal(strncmp(o->name, "--", 2), 0);
    }
    for (size_t i = 0; i < PG_ARRAY_SIZE(pg_pipopts_short); i++) {
        const struct pg_pipopt *o = NULL;

        assert_int_equal(strlen(pg_pipopts_short[i].name), 2);
        assert_int_equal(pg_pipopt_short(pg_pipopts_short[i].name[1], pg_pipopts_short[i].flags,
                                         &o),
                         PG_PIPOPT_FOUND);
        assert_ptr_equal(o, &pg_pipopts_short[i]);
    }
    for (size_t i = 0; i < PG_ARRAY_SIZE(pg_pipcmds); i++)
        assert_ptr_equal(pg_pipcmd_find(pg_pipcmds[i].name), &pg_pipcmds[i]);
}

/* optparse's abbreviation rules, by scope. */
static void test_abbreviations(void **state)
{
    const unsigned inst = PG_PIPOPT_G | PG_PIPOPT_I, gen = PG_PIPOPT_G;
    const struct pg_pipopt *o = NULL;

    (void)state;
    assert_int_equal(pg_pipopt_long("--index", inst, &o), PG_PIPOPT_FOUND);
    assert_string_equal(o->name, "--index-url");
    assert_int_equal(pg_pipopt_long("--index=https://x", inst, &o), PG_PIPOPT_FOUND);
    assert_string_equal(o->name, "--index-url");
    assert_int_equal(pg_pipopt_long("--index", gen, &o), PG_PIPOPT_UNKNOWN);
    assert_int_equal(pg_pipopt_long("--upgrade", inst, &o), PG_PIPOPT_FOUND);
    assert_string_equal(o->name, "--upgrade");
    assert_int_equal(pg_pipopt_long("--upgr", inst, &o), PG_PIPOPT_AMBIGUOUS);
    assert_int_equal(pg_pipopt_long("--upgrade-s", inst, &o), PG_PIPOPT_FOUND);
    assert_string_equal(o->name, "--upgrade-strategy");
    assert_int_equal(pg_pipopt_long("--no-dep", inst, &o), PG_PIPOPT_AMBIGUOUS);
    assert_int_equal(pg_pipopt_long("--log", inst, &o), PG_PIPOPT_FOUND);
    assert_string_equal(o->name, "--log");
    assert_int_equal(pg_pipopt_long("--req", inst, &o), PG_PIPOPT_AMBIGUOUS);
    /* pip 25's --requirements-from-script makes this ambiguous; pip 24 took it. */
    assert_int_equal(pg_pipopt_long("--requirem", inst, &o), PG_PIPOPT_AMBIGUOUS);
    assert_int_equal(pg_pipopt_long("--requirement", inst, &o), PG_PIPOPT_FOUND);
    assert_string_equal(o->name, "--requirement");
    assert_int_equal(pg_pipopt_long("--ver", gen, &o), PG_PIPOPT_AMBIGUOUS);
    assert_int_equal(pg_pipopt_long("--dest", inst, &o), PG_PIPOPT_UNKNOWN);
    assert_int_equal(pg_pipopt_long("--dest", PG_PIPOPT_G | PG_PIPOPT_D, &o), PG_PIPOPT_FOUND);
    assert_int_equal(pg_pipopt_long("--hash", inst, &o), PG_PIPOPT_UNKNOWN);
    assert_int_equal(pg_pipopt_long("--ha", PG_PIPOPT_R, &o), PG_PIPOPT_FOUND);
    assert_int_equal(pg_pipopt_long("--zzz", inst, &o), PG_PIPOPT_UNKNOWN);
    assert_int_equal(pg_pipopt_long("--", inst, &o), PG_PIPOPT_AMBIGUOUS);
    assert_int_equal(pg_pipopt_short('d', inst, &o), PG_PIPOPT_UNKNOWN);
    assert_int_equal(pg_pipopt_short('t', inst, &o), PG_PIPOPT_FOUND);
    assert_true(o->flags & PG_PIPOPT_VAL);
    assert_int_equal(pg_pipopt_short('Z', inst, &o), PG_PIPOPT_UNKNOWN);
    assert_null(pg_pipcmd_find("instal"));
    assert_null(pg_pipcmd_find("installs"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes),
        cmocka_unit_test(test_argv0_and_empty),
        cmocka_unit_test(test_tables_sorted),
        cmocka_unit_test(test_abbreviations),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
