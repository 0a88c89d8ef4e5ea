/*
 * The shim's router for npm and npx, the nopt scanner beneath it, npm's
 * command deref, and the order of the tables they binary-search.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pg_route_npm.h"
#include "pg_util.h"
#include "banned.h"

#define MAXW 32

/* Split cmd on spaces into argv (words may not contain spaces; "''" is ""). */
static int split(const char *cmd, char *buf, size_t size, char *argv[MAXW])
{
    int argc = 0;
    char *p;

    assert_true(strlen(cmd) < size);
    memcpy(buf, cmd, strlen(cmd) + 1);
    for (p = buf; *p && argc < MAXW - 1;) {
        argv[argc++] = p;
        p += strcspn(p, " ");
        if (*p)
            *p++ = '\0';
        if (strcmp(argv[argc - 1], "''") == 0)
            argv[argc - 1][0] = '\0';
    }
    argv[argc] = NULL;
    return argc;
}

struct route {
    const char *cmd;
    int want;
};

static const struct route npm_routes[] = {
    /* the brief's cases */
    {"npm run build", 0},
    {"npm test", 0},
    {"npm --version", 0},
    {"npm -v", 0},
    {"npm ls", 0},
    {"npm view x", 0},
    {"npm config get registry", 0},
    {"npm uninstall x", 1}, /* npm reifies the tree: missing deps get installed */
    {"npm publish", 0},
    {"npm --registry x i y", 1},
    /* every install alias and typo npm accepts */
    {"npm install", 1},
    {"npm i lodash", 1},
    {"npm in lodash", 1},
    {"npm ins lodash", 1},
    {"npm inst lodash", 1},
    {"npm insta lodash", 1},
    {"npm instal lodash", 1},
    {"npm isnt lodash", 1},
    {"npm isnta lodash", 1},
    {"npm isntal lodash", 1},
    {"npm isntall lodash", 1},
    {"npm add lodash", 1},
    {"npm ci", 1},
    {"npm clean-install", 1},
    {"npm ic", 1},
    {"npm install-clean", 1},
    {"npm isntall-clean", 1},
    {"npm update", 1},
    {"npm up", 1},
    {"npm upgrade", 1},
    {"npm udpate", 1},
    {"npm u", 1},
    {"npm upd", 1}, /* abbreviation */
    {"npm exec cowsay", 1},
    {"npm x cowsay", 1},
    {"npm exe cowsay", 1},
    {"npm install-test", 1},
    {"npm it", 1},
    {"npm installTest", 1},
    {"npm install-ci-test", 1},
    {"npm cit", 1},
    {"npm sit", 1},
    {"npm clean-install-test", 1},
    {"npm dedupe", 1},
    {"npm ddp", 1},
    {"npm link foo", 1},
    {"npm ln ../foo", 1},
    {"npm link", 1},
    {"npm init react-app my-app", 1},
    {"npm create vite@latest", 1},
    {"npm innit @scope", 1},
    {"npm audit fix", 1},
    /* options in every position */
    {"npm -g install typescript", 1},
    {"npm install -g typescript", 1},
    {"npm --prefix /tmp/x install", 1},
    {"npm -C /tmp/x ci", 1},
    {"npm --loglevel silly install x", 1},
    {"npm -d install x", 1},
    {"npm -ddd i x", 1},
    {"npm --reg https://r i x", 1},
    {"npm --registry=https://r i x", 1},
    {"npm --cache /tmp/c ci", 1},
    {"npm -w pkg install x", 1},
    {"npm --tag beta i x", 1},
    {"npm --omit dev ci", 1},
    {"npm --before 2024-01-01 install", 1},
    {"npm --userconfig /x/.npmrc ci", 1},
    {"npm --json true install x", 1},
    {"npm --save false i x", 1},
    {"npm --color always install", 1},
    {"npm -- install x", 1},
    {"npm --no-save install x", 1},
    /* a value-taking option swallows the word npm would otherwise run */
    {"npm --registry install run build", 0},
    {"npm --prefix install test", 0},
    {"npm -C ci ls", 0},
    {"npm --loglevel install run x", 0},
    {"npm --tag install view x", 0},
    /* unknown options: npm 11 reads them as booleans; another npm might not */
    {"npm --frobnicate run build", 1},
    {"npm --frobnicate=1 run build", 0},
    {"npm --frobnicate -g ls", 0},
    {"npm run build --watch", 0},
    {"npm run build --mode production", 0},
    {"npm test --frobnicate x", 0},
    {"npm audit --frobnicate fix", 1},
    {"npm init --frobnicate -y", 0},
    /* output instead of running */
    {"npm", 0},
    {"npm -h", 0},
    {"npm --help", 0},
    {"npm install -h", 0},
    {"npm i lodash --help", 0},
    {"npm install -v lodash", 0},
    {"npm install lodash --version", 0},
    {"npm --versions", 0},
    {"npm --versions install x", 0},
    {"npm help install", 0},
    {"npm -? ci", 0},
    {"npm -v false install x", 1},
    {"npm --no-version install x", 1},
    /* commands that do not fetch */
    {"npm run-script build", 0},
    {"npm rum build", 0},
    {"npm start", 0},
    {"npm stop", 0},
    {"npm restart", 0},
    {"npm t", 0},
    {"npm tst", 0},
    {"npm ll", 0},
    {"npm list", 0},
    {"npm outdated", 0},
    {"npm info react", 0},
    {"npm show react versions", 0},
    {"npm v react", 0},
    {"npm search react", 0},
    {"npm config set registry https://r", 0},
    {"npm c ls", 0},
    {"npm set registry=https://r", 0},
    {"npm get registry", 0},
    {"npm rm x", 1},
    {"npm pack git+https://example.org/x.git", 1}, /* clones and runs prepare */
    {"npm cache add lodash", 1},
    {"npm r x", 1},
    {"npm un x", 1},
    {"npm remove x", 1},
    {"npm unlink x", 1},
    {"npm prune", 1},
    {"npm rebuild", 0},
    {"npm rb", 0},
    {"npm pack", 0},
    {"npm version patch", 0},
    {"npm verison patch", 0},
    {"npm whoami", 0},
    {"npm login", 0},
    {"npm adduser", 0},
    {"npm doctor", 0},
    {"npm explain lodash", 0},
    {"npm why lodash", 0},
    {"npm fund", 0},
    {"npm audit", 0},
    {"npm audit signatures", 0},
    {"npm init", 0},
    {"npm init -y", 0},
    {"npm init --scope=@me -y", 0},
    {"npm create", 0},
    {"npm cache clean --force", 0},
    {"npm prefix -g", 0},
    {"npm root -g", 0},
    {"npm bin", 0},
    {"npm frobnicate", 0},
    {"npm ex cowsay", 0},
    {"npm Install x", 0},
    {"npm '' i x", 0},
    {"npm run install", 0},
    {"npm view install", 0},
    {"npm test -- install", 0},
    {"npm run build -- --registry x i y", 0},
};

static const struct route npx_routes[] = {
    {"npx --version", 0},
    {"npx -v", 0},
    {"npx --help", 0},
    {"npx", 0},
    {"npx cowsay hi", 1},
    {"npx -y create-react-app app", 1},
    {"npx --yes cowsay", 1},
    {"npx -p typescript tsc", 1},
    {"npx tsc --version", 1},
    {"npx --version cowsay", 1},
    {"npx ./local-script.js", 1},
};

static void test_routes(void **state)
{
    char buf[512], *argv[MAXW];

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(npm_routes); i++) {
        int argc = split(npm_routes[i].cmd, buf, sizeof(buf), argv);
        int got = pg_route_npm(argc, argv);

        if (got != npm_routes[i].want)
            fail_msg("'%s': got %d, want %d", npm_routes[i].cmd, got, npm_routes[i].want);
    }
    for (size_t i = 0; i < PG_ARRAY_SIZE(npx_routes); i++) {
        int argc = split(npx_routes[i].cmd, buf, sizeof(buf), argv);
        int got = pg_route_npx(argc, argv);

        if (got != npx_routes[i].want)
            fail_msg("'%s': got %d, want %d", npx_routes[i].cmd, got, npx_routes[i].want);
    }
}

static void test_deref(void **state)
{
    static const struct {
        const char *word, *cmd; /* NULL: "Unknown command" */
    } cases[] = {
        {"i", "install"},
        {"isntall", "install"},
        {"add", "install"},
        {"insta", "install"},
        {"install-t", "install-test"},
        {"installTest", "install-test"},
        {"cit", "install-ci-test"},
        {"sit", "install-ci-test"},
        {"ic", "ci"},
        {"clean-install", "ci"},
        {"upd", "update"},
        {"udpate", "update"},
        {"x", "exec"},
        {"exe", "exec"},
        {"create", "init"},
        {"innit", "init"},
        {"run-script", "run"},
        {"rum", "run"},
        {"t", "test"},
        {"tes", "test"},
        {"ln", "link"},
        {"dedu", "dedupe"},
        {"verison", "version"},
        {"ex", NULL},
        {"te", NULL},
        {"au", NULL},
        {"install-c", NULL},
        {"Install", NULL},
        {"", NULL},
        {"frobnicate", NULL},
        {"installx", NULL},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         NULL},
    };

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
        const char *got = pg_npm_deref(cases[i].word);

        if (!cases[i].cmd ? got != NULL : !got || strcmp(got, cases[i].cmd) != 0)
            fail_msg("deref('%s') = %s, want %s", cases[i].word, got ? got : "NULL",
                     cases[i].cmd ? cases[i].cmd : "NULL");
    }
    assert_null(pg_npm_deref(NULL));
}

/* pg_npmscan events rendered as one line: "pos" words, "key=value" options. */
struct render {
    char out[1024];
};

static int render_cb(const struct pg_npmscan_ev *ev, void *ctx)
{
    struct render *r = ctx;
    size_t n = strlen(r->out);
    char *p = r->out + n;
    size_t left = sizeof(r->out) - n;

    if (!ev->is_opt)
        snprintf(p, left, "%s[%s]", n ? " " : "", ev->value);
    else if (ev->value)
        snprintf(p, left, "%s%s%.*s=%s", n ? " " : "", ev->known ? "" : "?", (int)ev->namelen,
                 ev->name, ev->value);
    else
        snprintf(p, left, "%s%s%.*s=%s", n ? " " : "", ev->known ? "" : "?", (int)ev->namelen,
                 ev->name,
                 ev->is_null      ? "null"
                 : ev->bool_value ? "true"
                                  : "false");
    return 0;
}

static void test_scan(void **state)
{
    /* expectations checked against nopt 9 with npm 11.19's definitions */
    static const struct {
        const char *cmd, *want;
    } cases[] = {
        {"npm -gD i x", "global=true save-dev=true [i] [x]"},
        {"npm -gd i", "global=true loglevel=info [i]"},
        {"npm --reg x i", "registry=x [i]"},
        {"npm --reg=x i", "registry=x [i]"},
        {"npm --regi x i", "registry=x [i]"},
        {"npm --save-d i", "save-dev=true [i]"},
        {"npm --no-save i", "save=false [i]"},
        {"npm --no-no-save i", "save=true [i]"},
        {"npm --NO-save i", "save=false [i]"},
        {"npm --save false i", "save=false [i]"},
        {"npm --save=false i", "save=false [i]"},
        {"npm --save=x i", "save=true [x] [i]"},
        {"npm --no-save true i", "save=false [i]"},
        {"npm --tag -x i", "tag= ?x=true [i]"},
        {"npm --tag=-x i", "tag= ?x=true [i]"},
        {"npm --tag", "tag="},
        {"npm --registry", "registry=true"},
        {"npm --registry -- i", "registry=true [i]"},
        {"npm --registry -g i", "registry=-g [i]"},
        {"npm --workspace -g i", "workspace=-g [i]"},
        {"npm --color always i", "color=always [i]"},
        {"npm --color never i", "color=true [never] [i]"},
        {"npm --browser firefox i", "browser=firefox [i]"},
        {"npm --browser -x i", "browser=true ?x=true [i]"},
        {"npm --yes null i", "yes=null [i]"},
        {"npm --yes maybe i", "yes=true [maybe] [i]"},
        {"npm --no-depth 5 i", "depth=5 [i]"},
        {"npm --no-omit dev i", "omit=dev [i]"},
        {"npm --before false i", "before=false [i]"},
        {"npm --proxy false i", "proxy=false [i]"},
        {"npm --foo bar i", "?foo=true [bar] [i]"},
        {"npm --foo=bar i", "?foo=bar [i]"},
        {"npm --foo true i", "?foo=true [i]"},
        {"npm -abc i", "?abc=true [i]"},
        {"npm -= i", "[] [i]"},
        {"npm -=x i", "[x] [i]"},
        {"npm - i", "[-] [i]"},
        {"npm --ver i", "loglevel=verbose [i]"},
        {"npm --porc i", "parseable=true [i]"},
        {"npm --local i", "global=false [i]"},
        {"npm -n i", "yes=false [i]"},
        {"npm --no i", "yes=false [i]"},
        {"npm -iwr i", "include-workspace-root=true [i]"},
        {"npm --iwr i", "include-workspace-root=true [i]"},
        {"npm i -- -g --registry x", "[i] [-g] [--registry] [x]"},
        {"npm i --- -g", "[i] [-g]"},
        {"npm --@s:registry=https://s/ i", "?@s:registry=https://s/ [i]"},
    };
    char buf[512], *argv[MAXW];

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
        struct render r;
        int argc = split(cases[i].cmd, buf, sizeof(buf), argv);

        r.out[0] = '\0';
        assert_int_equal(pg_npmscan(argc, argv, render_cb, &r), 0);
        if (strcmp(r.out, cases[i].want) != 0)
            fail_msg("'%s': got '%s', want '%s'", cases[i].cmd, r.out, cases[i].want);
    }
}

static int stop_cb(const struct pg_npmscan_ev *ev, void *ctx)
{
    int *seen = ctx;

    (void)ev;
    return ++*seen == 2 ? 7 : 0;
}

static void test_scan_stops(void **state)
{
    char buf[128], *argv[MAXW];
    int argc = split("npm -g i x y", buf, sizeof(buf), argv), seen = 0;

    (void)state;
    assert_int_equal(pg_npmscan(argc, argv, stop_cb, &seen), 7);
    assert_int_equal(seen, 2);
    assert_int_equal(pg_npmscan(0, argv, stop_cb, &seen), 0);
}

static void test_tables_sorted(void **state)
{
    (void)state;
    for (int t = 0; t < 3; t++) {
        const char *prev = pg_npmscan_table_name(t, 0), *cur;
        size_t i;

        assert_non_null(prev);
        for (i = 1; (cur = pg_npmscan_table_name(t, i)) != NULL; i++) {
            if (strcmp(prev, cur) >= 0)
                fail_msg("table %d not sorted at '%s' >= '%s'", t, prev, cur);
            prev = cur;
        }
        assert_true(i > 30);
    }
    assert_null(pg_npmscan_table_name(3, 0));
}

static void test_lookups(void **state)
{
    const char *exp[2];
    int is_bool = -1;

    (void)state;
    assert_int_equal(pg_npm_opt_lookup("registry", 8, 0, &is_bool), 1);
    assert_int_equal(is_bool, 0);
    assert_int_equal(pg_npm_opt_lookup("global", 6, 0, &is_bool), 1);
    assert_int_equal(is_bool, 1);
    assert_int_equal(pg_npm_opt_lookup("regis", 5, 0, NULL), 0);
    assert_int_equal(pg_npm_opt_lookup("regis", 5, 1, &is_bool), 1);
    assert_int_equal(pg_npm_opt_lookup("save", 4, 1, &is_bool), 1); /* exact beats prefix */
    assert_int_equal(pg_npm_opt_lookup("sav", 3, 1, NULL), 0);      /* ambiguous */
    assert_int_equal(pg_npm_opt_lookup("frobnicate", 10, 1, NULL), 0);
    assert_int_equal(pg_npm_shorthand("d", 1, exp), 2);
    assert_string_equal(exp[0], "--loglevel");
    assert_string_equal(exp[1], "info");
    assert_int_equal(pg_npm_shorthand("g", 1, exp), 1);
    assert_string_equal(exp[0], "--global");
    assert_int_equal(pg_npm_shorthand("gd", 2, exp), 0);
    assert_int_equal(pg_npm_cmd_installs("audit", "fix"), 1);
    assert_int_equal(pg_npm_cmd_installs("audit", NULL), 0);
    assert_int_equal(pg_npm_cmd_installs("init", NULL), 0);
    assert_int_equal(pg_npm_cmd_installs(NULL, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes),        cmocka_unit_test(test_deref),
        cmocka_unit_test(test_scan),          cmocka_unit_test(test_scan_stops),
        cmocka_unit_test(test_tables_sorted), cmocka_unit_test(test_lookups),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
