/*
 * npm and npx command lines as npm 11 reads them: subcommand aliases,
 * options in every position, every kind of package spec, npx's own rules,
 * init's create-* packages, and the project's package.json and lockfile
 * for commands without package arguments (fixtures in data/npm/).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pg_npmargs.h"
#include "pg_util.h"
#include "banned.h"

#define D    PG_TEST_DATA_DIR "/unit/data/npm"
#define MAXW 32

struct row {
    const char *cwd;    /* directory under D; NULL: D/empty */
    const char *cmd;    /* split on spaces; the first word picks npm or npx */
    const char *subcmd; /* NULL: none */
    int installs;
    /*
     * The requests, "<source>:<name>@<spec>" with "=alias" and "!dev"
     * appended, separated by spaces (NULL: not checked).
     */
    const char *reqs;
    /*
     * The other facts, exactly: "g" global, "dry" dry-run, "m" from
     * package.json, "lock=<file>", "reg=<url>", "unk=<a,b>"; "dir=<path
     * under D>" is compared when given.
     */
    const char *facts;
};

static const struct row rows[] = {
    /* install and its aliases */
    {NULL, "npm install lodash", "install", 1, "registry:lodash@", ""},
    {NULL, "npm i lodash@^4.17.21", "install", 1, "registry:lodash@^4.17.21", ""},
    {NULL, "npm i -D typescript@~5.4 @types/node", "install", 1,
     "registry:typescript@~5.4 registry:@types/node@", ""},
    {NULL, "npm install --save-dev jest", "install", 1, "registry:jest@", ""},
    {NULL, "npm add react react-dom", "install", 1, "registry:react@ registry:react-dom@", ""},
    {NULL, "npm isntall left-pad", "install", 1, "registry:left-pad@", ""},
    {NULL, "npm in express", "install", 1, "registry:express@", ""},
    {NULL, "npm instal chalk@5", "install", 1, "registry:chalk@5", ""},
    {NULL, "npm install -E lodash", "install", 1, "registry:lodash@", ""},
    {NULL, "npm install lodash -S -P", "install", 1, "registry:lodash@", ""},
    {NULL, "npm install -O fsevents", "install", 1, "registry:fsevents@", ""},
    {NULL, "npm install -B left-pad", "install", 1, "registry:left-pad@", ""},
    {NULL, "npm install --no-save lodash", "install", 1, "registry:lodash@", ""},
    {NULL, "npm i --dry-run lodash", "install", 1, "registry:lodash@", "dry"},
    {NULL, "npm install --cache /tmp/npm-cache lodash", "install", 1, "registry:lodash@", ""},
    {NULL, "npm install --before 2024-01-01 lodash", "install", 1, "registry:lodash@", ""},
    {NULL, "npm --loglevel silly install lodash -d", "install", 1, "registry:lodash@", ""},
    {NULL, "npm install --omit dev --include=optional x", "install", 1, "registry:x@", ""},
    {NULL, "npm install --install-strategy nested x", "install", 1, "registry:x@", ""},
    {NULL, "npm install --userconfig /tmp/npmrc x", "install", 1, "registry:x@", ""},
    {NULL, "npm -- install x", "install", 1, "registry:x@", ""},
    /* global */
    {NULL, "npm i -g typescript", "install", 1, "registry:typescript@", "g"},
    {NULL, "npm install --global npm@latest", "install", 1, "registry:npm@latest", "g"},
    {NULL, "npm i --location=global pnpm", "install", 1, "registry:pnpm@", "g"},
    {NULL, "npm -g i @angular/cli@17", "install", 1, "registry:@angular/cli@17", "g"},
    {NULL, "npm i -L global yarn", "install", 1, "registry:yarn@", "g"},
    {NULL, "npm i -g --local x", "install", 1, "registry:x@", ""},
    {"app", "npm i -g", "install", 1, "local:@.", "g"},
    /* registries */
    {NULL, "npm install --registry https://registry.example.com/ lodash", "install", 1,
     "registry:lodash@", "reg=https://registry.example.com/"},
    {NULL, "npm --registry=http://localhost:4873 i x", "install", 1, "registry:x@",
     "reg=http://localhost:4873"},
    {NULL, "npm --reg https://r.example/ i x", "install", 1, "registry:x@",
     "reg=https://r.example/"},
    {NULL, "npm i x --registry not-a-url", "install", 1, "registry:x@", ""},
    {NULL, "npm i x --registry", "install", 1, "registry:x@", ""},
    {NULL, "npm i --@myorg:registry=https://npm.myorg.example/ @myorg/x", "install", 1,
     "registry:@myorg/x@", ""},
    {NULL, "npm i --//registry.npmjs.org/:_authToken=abc x", "install", 1, "registry:x@", ""},
    /* every kind of spec */
    {NULL, "npm i foo@npm:bar@^1", "install", 1, "registry:bar@^1=foo", ""},
    {NULL, "npm i github:user/repo", "install", 1, "git:@github:user/repo", ""},
    {NULL, "npm install user/repo#v1.0.0", "install", 1, "git:@user/repo#v1.0.0", ""},
    {NULL, "npm i git+https://github.com/u/r.git", "install", 1,
     "git:@git+https://github.com/u/r.git", ""},
    {NULL, "npm i git@github.com:u/r.git", "install", 1, "git:@git+ssh://git@github.com:u/r.git",
     ""},
    {NULL, "npm i gitlab:group/project", "install", 1, "git:@gitlab:group/project", ""},
    {NULL, "npm i https://example.com/pkg-1.0.0.tgz", "install", 1,
     "url:@https://example.com/pkg-1.0.0.tgz", ""},
    {NULL, "npm install ./local-dir", "install", 1, "local:@./local-dir", ""},
    {NULL, "npm install ../pkg.tgz", "install", 1, "local:@../pkg.tgz", ""},
    {NULL, "npm i file:../shared", "install", 1, "local:@file:../shared", ""},
    {NULL, "npm i mylib@github:me/mylib", "install", 1, "git:mylib@github:me/mylib", ""},
    /* --tag leaves specs alone: it is npm's default tag when picking
     * (cmd->npm_tag, pg_npmenv), not an explicit `name@tag` */
    {NULL, "npm install --tag beta foo", "install", 1, "registry:foo@", ""},
    {NULL, "npm i foo --tag=next @s/x@2 bar@*", "install", 1,
     "registry:foo@ registry:@s/x@2 registry:bar@*", ""},
    {NULL, "npm i a@npm:b --tag rc", "install", 1, "registry:b@=a", ""},
    /* unknown options */
    {NULL, "npm i lodash --frobnicate", "install", 1, "registry:lodash@", "unk=--frobnicate"},
    /* "--no-x=3" is a boolean: the 3 becomes an argument, as in nopt */
    {NULL, "npm i --no-frobnicate=3 x", "install", 1, "registry:3@ registry:x@",
     "unk=--no-frobnicate"},
    {NULL, "npm i -x lodash -qz", "install", 1, "registry:lodash@", "unk=-x,-qz"},
    {NULL, "npm i --frob bar", "install", 1, "registry:bar@", "unk=--frob"},
    /* package.json and the lockfile */
    {"app", "npm ci", "ci", 1, NULL, "m lock=package-lock.json dir=app"},
    {"app", "npm clean-install --omit=dev", "ci", 1, NULL, "m lock=package-lock.json"},
    {"app", "npm install-clean", "ci", 1, NULL, "m lock=package-lock.json"},
    {NULL, "npm ic --prefix ../app", "ci", 1, NULL, "m lock=package-lock.json dir=app"},
    {NULL, "npm ci -C ../shrink", "ci", 1, "registry:commander@^12.0.0",
     "m lock=npm-shrinkwrap.json dir=shrink"},
    {"app", "npm install", "install", 1, NULL, "m lock=package-lock.json dir=app"},
    {"app/src", "npm install", "install", 1, NULL, "m lock=package-lock.json dir=app"},
    {"app", "npm install --no-package-lock", "install", 1, NULL, "m dir=app"},
    {"app", "npm install .", "install", 1, NULL, "m lock=package-lock.json"},
    {"app/src", "npm install ..", "install", 1, NULL, "m lock=package-lock.json"},
    {"app", "npm install lodash", "install", 1, "registry:lodash@",
     "lock=package-lock.json dir=app"},
    {NULL, "npm install --prefix ../empty", "install", 1, "", "dir=empty"},
    {NULL, "npm install -C ../app lodash", "install", 1, "registry:lodash@",
     "lock=package-lock.json dir=app"},
    /* the root's and every workspace's (packages/b is negated away) */
    {"mono/packages/a", "npm install", "install", 1,
     "registry:prettier@^3.2.5!dev registry:left-pad@^1.3.0",
     "m lock=package-lock.json dir=mono"},
    {"mono/packages/b", "npm install", "install", 1, "registry:chalk@^5.3.0",
     "m dir=mono/packages/b"},
    {"mono", "npm i -w packages/a left-pad", "install", 1, "registry:left-pad@",
     "lock=package-lock.json dir=mono"},
    /* naming a package to add installs the workspaces' own dependencies too */
    {"mono", "npm i -w packages/a lodash", "install", 1,
     "registry:lodash@ registry:left-pad@^1.3.0", "lock=package-lock.json dir=mono"},
    {"mono", "npm i lodash", "install", 1, "registry:lodash@ registry:left-pad@^1.3.0",
     "lock=package-lock.json dir=mono"},
    {"app", "npm update", "update", 1, NULL, "m lock=package-lock.json"},
    {"app", "npm up lodash", "update", 1, "registry:lodash@4.17.21", "m lock=package-lock.json"},
    {"app", "npm update left-pad string-width-cjs", "update", 1,
     "registry:left-pad@ registry:string-width@^4.2.0=string-width-cjs",
     "m lock=package-lock.json"},
    {"app", "npm udpate @types/node", "update", 1, "registry:@types/node@^20.11.0!dev",
     "m lock=package-lock.json"},
    {NULL, "npm upgrade -g", "update", 1, "", "g"},
    {"app", "npm it lodash", "install-test", 1, "registry:lodash@", "lock=package-lock.json"},
    {"app", "npm cit", "install-ci-test", 1, NULL, "m lock=package-lock.json"},
    {"app", "npm dedupe", "dedupe", 1, NULL, "m lock=package-lock.json"},
    {"app", "npm ddp --dry-run", "dedupe", 1, NULL, "m dry lock=package-lock.json"},
    {"app", "npm audit fix", "audit", 1, NULL, "m lock=package-lock.json"},
    {"app", "npm audit", "audit", 0, "", ""},
    /* link */
    {NULL, "npm link lodash", "link", 1, "registry:lodash@", ""},
    {NULL, "npm ln ../lib", "link", 1, "local:@../lib", ""},
    {"app", "npm link", "link", 1, "local:@" D "/app", "lock=package-lock.json"},
    /* npx */
    {NULL, "npx cowsay hi", "exec", 1, "registry:cowsay@", ""},
    {NULL, "npx -y create-react-app my-app", "exec", 1, "registry:create-react-app@", ""},
    {NULL, "npx --yes create-next-app@latest app --ts", "exec", 1,
     "registry:create-next-app@latest", ""},
    {NULL, "npx -p typescript tsc --init", "exec", 1, "registry:typescript@", ""},
    {NULL, "npx --package=@angular/cli ng new app", "exec", 1, "registry:@angular/cli@", ""},
    {NULL, "npx -p yo -p generator-webapp -c=yo", "exec", 1,
     "registry:yo@ registry:generator-webapp@", ""},
    {NULL, "npx --registry https://r.example/ cowsay", "exec", 1, "registry:cowsay@",
     "reg=https://r.example/"},
    {NULL, "npx cowsay --registry https://r.example/", "exec", 1, "registry:cowsay@", ""},
    {NULL, "npx -- cowsay", "exec", 1, "registry:cowsay@", ""},
    {NULL, "npx github:piuccio/cowsay", "exec", 1, "git:@github:piuccio/cowsay", ""},
    {NULL, "npx ./bin/tool.js", "exec", 1, "local:@./bin/tool.js", ""},
    {NULL, "npx --no-install eslint .", "exec", 1, "registry:eslint@", ""},
    {NULL, "npx -n x tsc", "exec", 1, "registry:tsc@", ""},
    {NULL, "npx --cache /tmp/c -q cowsay", "exec", 1, "registry:cowsay@", ""},
    {NULL, "npx --frob x cowsay", "exec", 1, "registry:x@", "unk=--frob"},
    {NULL, "npx -c ls", "exec", 0, "", ""},
    {NULL, "npx", "exec", 0, "", ""},
    {NULL, "npx --version", "exec", 0, "", ""},
    {NULL, "npx -h", "exec", 0, "", ""},
    {NULL, "npx tsc --version", "exec", 1, "registry:tsc@", ""},
    /* npm exec */
    {NULL, "npm exec -- eslint .", "exec", 1, "registry:eslint@", ""},
    {NULL, "npm x --package=prettier -- prettier --check .", "exec", 1, "registry:prettier@", ""},
    {NULL, "npm exec --call=eslint foo", "exec", 0, "", ""},
    {NULL, "npm exec", "exec", 0, "", ""},
    {NULL, "npm exec -y cowsay@1.5.0 hi", "exec", 1, "registry:cowsay@1.5.0", ""},
    /* init / create */
    {NULL, "npm init react-app my-app", "init", 1, "registry:create-react-app@*", ""},
    {NULL, "npm init vite@latest", "init", 1, "registry:create-vite@latest", ""},
    {NULL, "npm create vite@latest my-app -- --template react", "init", 1,
     "registry:create-vite@latest", ""},
    {NULL, "npm create @vitejs/app", "init", 1, "registry:@vitejs/create-app@*", ""},
    {NULL, "npm init @angular", "init", 1, "registry:@angular/create@", ""},
    {NULL, "npm init @angular@17", "init", 1, "registry:@angular/create@17", ""},
    {NULL, "npm init github:u/starter", "init", 1, "git:@github:u/create-starter", ""},
    {NULL, "npm init foo@npm:bar@1", "init", 1, "registry:bar@1=create-foo", ""},
    {NULL, "npm init ./local", "init", 0, "", ""},
    {NULL, "npm init -y", "init", 0, "", ""},
    {NULL, "npm innit --package foo bar", "init", 1, "registry:foo@", ""},
    /* nothing installed */
    {NULL, "npm run build", "run", 0, "", ""},
    {NULL, "npm run-script test -- --watch", "run", 0, "", ""},
    {NULL, "npm test", "test", 0, "", ""},
    {NULL, "npm t", "test", 0, "", ""},
    {NULL, "npm start", "start", 0, "", ""},
    {NULL, "npm --version", NULL, 0, "", ""},
    {NULL, "npm -v", NULL, 0, "", ""},
    {NULL, "npm install lodash --help", "install", 0, "", ""},
    {NULL, "npm i lodash -h", "install", 0, "", ""},
    {NULL, "npm i lodash -v", "install", 0, "", ""},
    {NULL, "npm --versions", "version", 0, "", ""},
    {NULL, "npm ls --all", "ls", 0, "", ""},
    {NULL, "npm view lodash versions", "view", 0, "", ""},
    {NULL, "npm info react", "view", 0, "", ""},
    {NULL, "npm config get registry", "config", 0, "", ""},
    /* npm reifies the whole tree on uninstall: what stays may be installed */
    {NULL, "npm uninstall lodash", "uninstall", 1, "", ""},
    {NULL, "npm rm -g typescript", "uninstall", 1, "", "g"},
    {NULL, "npm publish --access public", "publish", 0, "", ""},
    {NULL, "npm pack", "pack", 0, "", ""},
    {NULL, "npm frobnicate x", "frobnicate", 0, "", ""},
    {NULL, "npm", NULL, 0, "", ""},
    {NULL, "npm --registry=https://r.example/ whoami", "whoami", 0, "", "reg=https://r.example/"},
};

/* Requests rendered as in struct row. */
static void render_reqs(const struct pg_cmd *cmd, struct pg_sb *sb)
{
    for (size_t i = 0; i < cmd->reqs.n; i++) {
        const struct pg_req *r = &cmd->reqs.v[i];

        pg_sb_addf(sb, "%s%s:%s@%s", i ? " " : "", pg_source_name(r->source),
                   r->name ? r->name : "", r->spec);
        if (r->alias)
            pg_sb_addf(sb, "=%s", r->alias);
        if (r->dev)
            pg_sb_adds(sb, "!dev");
    }
}

static const char *under_d(const char *path)
{
    size_t n = strlen(D);

    return path && strncmp(path, D "/", n + 1) == 0 ? path + n + 1 : NULL;
}

static void render_facts(const struct pg_cmd *cmd, struct pg_sb *sb)
{
    if (cmd->global)
        pg_sb_adds(sb, " g");
    if (cmd->dry_run)
        pg_sb_adds(sb, " dry");
    if (cmd->from_manifest)
        pg_sb_adds(sb, " m");
    if (cmd->has_lockfile && under_d(cmd->lockfile_path))
        pg_sb_addf(sb, " lock=%s", strrchr(cmd->lockfile_path, '/') + 1);
    if (cmd->index_url)
        pg_sb_addf(sb, " reg=%s", cmd->index_url);
    for (size_t i = 0; i < cmd->unknown.n; i++)
        pg_sb_addf(sb, "%s%s", i ? "," : " unk=", cmd->unknown.v[i]);
}

/* The row's facts without its dir= word, in render_facts' order. */
static void want_facts(const char *facts, struct pg_sb *sb, const char **dir)
{
    static const char *const order[] = {"g", "dry", "m", "lock=", "reg=", "unk="};

    *dir = NULL;
    for (size_t k = 0; k < PG_ARRAY_SIZE(order); k++) {
        for (const char *p = facts; *p;) {
            size_t n = strcspn(p, " ");
            size_t ol = strlen(order[k]);

            if (order[k][ol - 1] == '=' ? strncmp(p, order[k], ol) == 0
                                        : n == ol && strncmp(p, order[k], n) == 0)
                pg_sb_addf(sb, " %.*s", (int)n, p);
            if (strncmp(p, "dir=", 4) == 0)
                *dir = p + 4;
            p += n + strspn(p + n, " ");
        }
    }
}

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
    }
    argv[argc] = NULL;
    return argc;
}

static void run_row(const struct row *row)
{
    char buf[512], cwd[1024], *argv[MAXW];
    int argc = split(row->cmd, buf, sizeof(buf), argv);
    struct pg_cmd cmd;
    struct pg_err err = PG_ERR_INIT;
    struct pg_sb got = PG_SB_INIT, facts = PG_SB_INIT, want = PG_SB_INIT;
    const char *dir, *gotdir;

    snprintf(cwd, sizeof(cwd), "%s/%s", D, row->cwd ? row->cwd : "empty");
    pg_cmd_init(&cmd, strcmp(argv[0], "npx") == 0 ? PG_TOOL_NPX : PG_TOOL_NPM);
    if (pg_npmargs_parse(&cmd, argc, argv, cwd, &err) < 0)
        fail_msg("'%s': %s", row->cmd, err.msg);
    if (row->subcmd ? !cmd.subcmd || strcmp(cmd.subcmd, row->subcmd) != 0 : cmd.subcmd != NULL)
        fail_msg("'%s': subcmd '%s', want '%s'", row->cmd, cmd.subcmd ? cmd.subcmd : "NULL",
                 row->subcmd ? row->subcmd : "NULL");
    if (cmd.installs != row->installs)
        fail_msg("'%s': installs %d, want %d", row->cmd, cmd.installs, row->installs);
    render_reqs(&cmd, &got);
    if (row->reqs && strcmp(pg_sb_str(&got), row->reqs) != 0)
        fail_msg("'%s': reqs '%s', want '%s'", row->cmd, pg_sb_str(&got), row->reqs);
    render_facts(&cmd, &facts);
    want_facts(row->facts, &want, &dir);
    if (strcmp(pg_sb_str(&facts), pg_sb_str(&want)) != 0)
        fail_msg("'%s': facts '%s', want '%s'", row->cmd, pg_sb_str(&facts), pg_sb_str(&want));
    gotdir = under_d(cmd.manifest_dir);
    if (dir && (!gotdir || strncmp(gotdir, dir, strcspn(dir, " ")) != 0 ||
                gotdir[strcspn(dir, " ")] != '\0'))
        fail_msg("'%s': manifest_dir '%s', want '%s'", row->cmd,
                 cmd.manifest_dir ? cmd.manifest_dir : "NULL", dir);
    pg_sb_release(&got);
    pg_sb_release(&facts);
    pg_sb_release(&want);
    pg_cmd_release(&cmd);
}

static void test_rows(void **state)
{
    (void)state;
    assert_true(PG_ARRAY_SIZE(rows) >= 60);
    for (size_t i = 0; i < PG_ARRAY_SIZE(rows); i++)
        run_row(&rows[i]);
}

/* The whole package.json comes through for a bare install. */
static void test_manifest_reqs(void **state)
{
    char *argv[] = {"npm", "ci", NULL};
    struct pg_cmd cmd;
    struct pg_err err = PG_ERR_INIT;
    size_t dev = 0;

    (void)state;
    pg_cmd_init(&cmd, PG_TOOL_NPM);
    assert_int_equal(pg_npmargs_parse(&cmd, 2, argv, D "/app", &err), 0);
    assert_int_equal(cmd.reqs.n, 10);
    for (size_t i = 0; i < cmd.reqs.n; i++) {
        assert_string_equal(cmd.reqs.v[i].origin, "package.json");
        dev += (size_t)cmd.reqs.v[i].dev;
    }
    assert_int_equal(dev, 2);
    assert_string_equal(cmd.manifest_dir, D "/app");
    assert_string_equal(cmd.lockfile_path, D "/app/package-lock.json");
    assert_int_equal(cmd.has_lockfile, 1);
    pg_cmd_release(&cmd);
}

static void test_errors(void **state)
{
    static const struct {
        const char *cmd, *want;
    } cases[] = {
        {"npm install a%b", "a%b"},
        {"npm i foo@npm:npm:bar", "nested aliases"},
        {"npm i -- -x", "-x"},
        {"npm ci --prefix ../bad", "package.json:5:"},
        {"npm install -C ../bad", "package.json:5:"},
        {"npm i ftp://example.com/x.tgz", "unsupported URL type"},
        {"npx svn:x", "unsupported URL type"},
        {"npm init @scope/x@a%b", "a%b"},
        {"npm exec --package=", "empty package spec"},
    };
    char buf[256], *argv[MAXW];

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
        int argc = split(cases[i].cmd, buf, sizeof(buf), argv);
        struct pg_cmd cmd;
        struct pg_err err = PG_ERR_INIT;

        pg_cmd_init(&cmd, strcmp(argv[0], "npx") == 0 ? PG_TOOL_NPX : PG_TOOL_NPM);
        if (pg_npmargs_parse(&cmd, argc, argv, D "/empty", &err) == 0)
            fail_msg("'%s' accepted", cases[i].cmd);
        if (!strstr(err.msg, cases[i].want))
            fail_msg("'%s': '%s' lacks '%s'", cases[i].cmd, err.msg, cases[i].want);
        pg_cmd_release(&cmd);
    }
}

/* A relative cwd is refused where it is needed, and never crashes. */
static void test_relative_cwd(void **state)
{
    char *argv[] = {"npm", "install", NULL};
    struct pg_cmd cmd;
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    pg_cmd_init(&cmd, PG_TOOL_NPM);
    assert_int_equal(pg_npmargs_parse(&cmd, 2, argv, "relative", &err), -1);
    assert_non_null(strstr(err.msg, "not absolute"));
    pg_cmd_release(&cmd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_manifest_reqs),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_relative_cwd),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
