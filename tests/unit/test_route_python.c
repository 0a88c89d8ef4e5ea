/*
 * python as a way to pip: the shim's router (1: hand it to pkggate, 0:
 * exec python directly) and pkggate's reader, which must agree with it.
 * Every python start pays the router, so most cases here must give 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pg_pyargs.h"
#include "pg_route_python.h"
#include "pg_util.h"
#include "banned.h"

struct route {
    const char *cmd; /* words split on spaces; argv[0] is the interpreter */
    int want;        /* the router's answer */
    int installs;    /* the reader's cmd->installs */
    int tool;        /* the reader's cmd->tool after the parse */
    int unknown;     /* options the reader leaves to unknown_arguments */
};

#define PY PG_TOOL_PYTHON
#define PIP PG_TOOL_PIP

static const struct route routes[] = {
    /* the many starts that are not pip: one exec, nothing more */
    {"python3", 0, 0, PY, 0},
    {"python3 -c pass", 0, 0, PY, 0},
    {"python3 script.py install x", 0, 0, PY, 0},
    {"python3 -u build.py -m pip install x", 0, 0, PY, 0}, /* the script's argv */
    {"python3 -c import -m pip install x", 0, 0, PY, 0},  /* -c's argv */
    {"python3 -m venv v", 0, 0, PY, 0},
    {"python3 -m pipx install x", 0, 0, PY, 0},
    {"python3 -m pytest", 0, 0, PY, 0},
    {"python3 - -m pip install x", 0, 0, PY, 0}, /* stdin */
    {"python3 -- -m pip install x", 0, 0, PY, 0},
    {"python3 -W -m pip install x", 0, 0, PY, 0}, /* -W takes "-m"; "pip" is the script */
    {"python3 -X -m pip install x", 0, 0, PY, 0},
    {"python3 -V -m pip install x", 0, 0, PY, 0}, /* prints its version, exits */
    {"python3 -h -m pip install x", 0, 0, PY, 0},
    {"python3 --version -m pip install x", 0, 0, PY, 0},
    {"python3 -m", 0, 0, PY, 0}, /* python: "Argument expected" */
    {"python3 -m pip", 0, 0, PIP, 0},
    {"python3 -m pip list", 0, 0, PIP, 0},
    {"python3 -m pip --version", 0, 0, PIP, 0},
    {"python3 -I -m pip freeze", 0, 0, PIP, 0},
    {"python3 -Z foo.py", 0, 0, PY, 0}, /* CPython refuses -Z; no pip anywhere */
    /* pip installs, however python was started */
    {"python3 -m pip install x", 1, 1, PIP, 0},
    {"python -m pip install x", 1, 1, PIP, 0},
    {"python3.11 -mpip install x", 1, 1, PIP, 0},
    {"python3 -Im pip install x", 1, 1, PIP, 0},
    {"python3 -I -m pip install x", 1, 1, PIP, 0},
    {"python3 -IBsm pip install x", 1, 1, PIP, 0},
    {"python3 -IBsmpip install x", 1, 1, PIP, 0},
    {"python3 -W ignore -X dev -m pip install x", 1, 1, PIP, 0},
    {"python3 -Wignore -Xdev -m pip download x", 1, 1, PIP, 0},
    {"python3 --check-hash-based-pycs never -m pip install x", 1, 1, PIP, 0},
    {"python3 -m pip.__main__ install x", 1, 1, PIP, 0},
    {"/venv/bin/python -m pip install -e .", 1, 1, PIP, 0},
    {"python3 -OO -q -m pip -q install x", 1, 1, PIP, 0},
    /* an option this scan does not know: pip later means pkggate decides */
    {"python3 -Z -m pip install x", 1, 1, PIP, 1},
    {"python3 --frobnicate=1 -mpip install x", 1, 1, PIP, 1},
    {"python3 --newopt val -m pip list", 1, 1, PIP, 1},
    {"python3 -Z pip.py", 1, 1, PY, 1},
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
        const struct route *r = &routes[i];
        struct pg_err err = PG_ERR_INIT;
        struct pg_cmd cmd;
        char line[256], *argv[32];
        int argc, got;

        assert_true(strlen(r->cmd) < sizeof(line));
        memcpy(line, r->cmd, strlen(r->cmd) + 1);
        argc = split(line, argv, 32);
        got = pg_route_python(argc, argv);
        if (got != r->want)
            fail_msg("'%s': routed %d, expected %d", r->cmd, got, r->want);
        pg_cmd_init(&cmd, PG_TOOL_PYTHON);
        if (pg_pyargs_parse(&cmd, argc, argv, "/", &err) < 0)
            fail_msg("'%s': %s", r->cmd, err.msg);
        if (cmd.installs != r->installs || (int)cmd.tool != r->tool ||
            (cmd.unknown.n > 0) != r->unknown)
            fail_msg("'%s': installs %d tool %d unknown %zu", r->cmd, cmd.installs,
                     (int)cmd.tool, cmd.unknown.n);
        /* What the router passes on, the reader never calls an install. */
        if (!got && cmd.installs)
            fail_msg("'%s': passed on by the router but installs", r->cmd);
        pg_cmd_release(&cmd);
    }
}

static void test_pip_args(void **state)
{
    char line[] = "python3 -I -m pip install --index-url http://i/simple requests==2.0";
    struct pg_err err = PG_ERR_INIT;
    struct pg_cmd cmd;
    char *argv[16];
    int argc = split(line, argv, 16);

    (void)state;
    pg_cmd_init(&cmd, PG_TOOL_PYTHON);
    assert_int_equal(pg_pyargs_parse(&cmd, argc, argv, "/", &err), 0);
    assert_string_equal(cmd.subcmd, "install");
    assert_int_equal(cmd.reqs.n, 1);
    assert_string_equal(cmd.index_url, "http://i/simple");
    pg_cmd_release(&cmd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes),
        cmocka_unit_test(test_pip_args),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
