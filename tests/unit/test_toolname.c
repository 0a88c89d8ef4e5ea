/*
 * The tool table (pg_tools.def) and what is generated from it: the name
 * matcher the shim dispatches on, the lists in messages, doctor and
 * install.sh read, and the argv reader per tool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pg_toolargs.h"
#include "pg_toolname.h"
#include "banned.h"

static void test_from_name(void **state)
{
    (void)state;
    assert_int_equal(pg_tool_from_name("pip"), PG_TOOL_PIP);
    assert_int_equal(pg_tool_from_name("pip3"), PG_TOOL_PIP);
    assert_int_equal(pg_tool_from_name("pip3.11"), PG_TOOL_PIP);
    assert_int_equal(pg_tool_from_name("pip3.1"), PG_TOOL_PIP);
    assert_int_equal(pg_tool_from_name("python"), PG_TOOL_PYTHON);
    assert_int_equal(pg_tool_from_name("python3"), PG_TOOL_PYTHON);
    assert_int_equal(pg_tool_from_name("python3.12"), PG_TOOL_PYTHON);
    assert_int_equal(pg_tool_from_name("python3-config"), -1);
    assert_int_equal(pg_tool_from_name("python2"), -1);
    assert_int_equal(pg_tool_from_name("npm"), PG_TOOL_NPM);
    assert_int_equal(pg_tool_from_name("npx"), PG_TOOL_NPX);
    /* The pattern needs one digit at least, and digits only. */
    assert_int_equal(pg_tool_from_name("pip3."), -1);
    assert_int_equal(pg_tool_from_name("pip3.N"), -1);
    assert_int_equal(pg_tool_from_name("pip3.1a"), -1);
    assert_int_equal(pg_tool_from_name("pip3.x"), -1);
    assert_int_equal(pg_tool_from_name("pip2"), -1);
    assert_int_equal(pg_tool_from_name("npmx"), -1);
    assert_int_equal(pg_tool_from_name(""), -1);
    assert_int_equal(pg_tool_from_name("pkggate-shim"), -1);
}

/* Every tool has a row of its own name, first of its names, and every row a tool. */
static void test_table(void **state)
{
    int seen[PG_TOOL_COUNT] = {0};
    const struct pg_toolname *t;

    (void)state;
    for (size_t i = 0; (t = pg_toolname_at(i)) != NULL; i++) {
        assert_true((unsigned)t->tool < PG_TOOL_COUNT);
        if (!seen[t->tool]) {
            assert_int_equal(t->match, PG_NAME_EXACT);
            assert_string_equal(t->name, pg_tool_name(t->tool));
        }
        seen[t->tool] = 1;
        if (t->match == PG_NAME_DIGITS)
            assert_int_equal(t->name[strlen(t->name) - 1], 'N');
        else
            assert_int_equal(pg_tool_from_name(t->name), t->tool);
    }
    for (int k = 0; k < PG_TOOL_COUNT; k++)
        assert_true(seen[k]);
    assert_int_equal(pg_tool_eco(PG_TOOL_PIP), PG_ECO_PYPI);
    assert_int_equal(pg_tool_eco(PG_TOOL_NPM), PG_ECO_NPM);
    assert_int_equal(pg_tool_eco(PG_TOOL_NPX), PG_ECO_NPM);
    assert_string_equal(pg_tool_name(PG_TOOL_NPX), "npx");
}

static void test_join(void **state)
{
    char buf[128], small[8];

    (void)state;
    pg_toolname_join(buf, sizeof(buf), ", ", " or ", 0);
    assert_string_equal(buf, "pip, pip3, pip3.N, python, python3, python3.N, npm or npx");
    pg_toolname_join(buf, sizeof(buf), ", ", ", ", 0);
    assert_string_equal(buf, "pip, pip3, pip3.N, python, python3, python3.N, npm, npx");
    pg_toolname_join(buf, sizeof(buf), "|", "|", 1);
    assert_string_equal(buf, "pip|pip3|python|python3|npm|npx");
    /* Cut short, still a string. */
    pg_toolname_join(small, sizeof(small), ", ", " or ", 0);
    assert_string_equal(small, "pip, pi");
}

/* Each tool's command line goes to its own reader. */
static void test_toolargs(void **state)
{
    char *pip[] = {"pip3.12", "install", "--cert", "/c.pem", "requests", NULL};
    char *npx[] = {"npx", "-p", "create-x", "create-x", NULL};
    struct pg_err err = PG_ERR_INIT;
    struct pg_cmd cmd;

    (void)state;
    pg_cmd_init(&cmd, (enum pg_tool)pg_tool_from_name(pip[0]));
    assert_int_equal(cmd.eco, PG_ECO_PYPI);
    assert_int_equal(pg_toolargs_parse(&cmd, 5, pip, "/", &err), 0);
    assert_string_equal(cmd.subcmd, "install");
    assert_int_equal(cmd.reqs.n, 1);
    assert_int_equal(cmd.config.n, 1);
    assert_string_equal(cmd.config.v[0], "cert=/c.pem");
    pg_cmd_release(&cmd);
    pg_cmd_init(&cmd, (enum pg_tool)pg_tool_from_name(npx[0]));
    assert_int_equal(pg_toolargs_parse(&cmd, 4, npx, "/", &err), 0);
    assert_string_equal(cmd.subcmd, "exec");
    assert_int_equal(cmd.config.n, 1);
    assert_string_equal(cmd.config.v[0], "package=create-x");
    pg_cmd_release(&cmd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_from_name),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_join),
        cmocka_unit_test(test_toolargs),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
