/*
 * pip command lines as pip reads them: the subcommand, whether it installs,
 * the packages (source, name, spec, pin), index options and what pkggate
 * cannot vouch for. Relative paths are against tests/unit/data/req.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pg_pipargs.h"
#include "pg_util.h"
#include "banned.h"

#define DATA PG_TEST_DATA_DIR "/unit/data/req"

struct pc {
    const char *cmd;    /* split on spaces; '...' keeps spaces */
    int installs;
    const char *subcmd; /* NULL: none */
    const char *reqs;   /* see render() */
    const char *index;  /* NULL: unset */
    const char *extra;  /* comma-joined */
    const char *links;
    const char *flags;  /* of: pre upgrade dry no_deps no_index */
    const char *unknown;
};

#define BASIC_REQS                                                                               \
    "registry requests ==2.31.0 pin=2.31.0 @basic.txt:2 | "                                      \
    "registry Django >=4.2,<5 ;python_version >= \"3.8\" @basic.txt:4 | "                        \
    "registry urllib3 >=1.26 @basic.txt:5 | registry flask[async] * @basic.txt:8 | "             \
    "registry numpy ==1.26.* @basic.txt:10 | "                                                   \
    "url - https://example.org/dist/pkg-1.0.tar.gz#sha256=abc @basic.txt:11 | "                  \
    "registry certifi ==2024.2.2 pin=2024.2.2 @basic.txt:18 | registry six >=1.0 @basic.txt:20 " \
    "| editable - ./proj @basic.txt:21"

static const struct pc cases[] = {
    /* plain installs */
    {"pip install requests", 1, "install", "registry requests *", NULL, "", "", "", ""},
    {"pip3 install requests==2.31.0", 1, "install", "registry requests ==2.31.0 pin=2.31.0",
     NULL, "", "", "", ""},
    {"pip3.11 install 'requests>=2.8, <3'", 1, "install", "registry requests >=2.8,<3", NULL, "",
     "", "", ""},
    {"pip install 'requests[socks,security] >= 2.0'", 1, "install",
     "registry requests[socks,security] >=2.0", NULL, "", "", "", ""},
    {"pip install Django~=4.2.1 'foo===1.0-weird' 'bar==1.*'", 1, "install",
     "registry Django ~=4.2.1 | registry foo ===1.0-weird pin=1.0-weird | registry bar ==1.*",
     NULL, "", "", "", ""},
    {"pip install 'requests; python_version < \"3.8\"'", 1, "install",
     "registry requests * ;python_version < \"3.8\"", NULL, "", "", "", ""},
    {"pip install -U pip setuptools wheel", 1, "install",
     "registry pip * | registry setuptools * | registry wheel *", NULL, "", "", "upgrade", ""},
    {"pip install --upgrade requests", 1, "install", "registry requests *", NULL, "", "",
     "upgrade", ""},
    {"pip install -qU requests", 1, "install", "registry requests *", NULL, "", "", "upgrade", ""},
    {"pip -q install requests", 1, "install", "registry requests *", NULL, "", "", "", ""},
    {"pip -vvv --isolated install --user requests", 1, "install", "registry requests *", NULL, "",
     "", "", ""},
    {"pip install --no-deps requests", 1, "install", "registry requests *", NULL, "", "",
     "no_deps", ""},
    {"pip install --no-dependencies requests", 1, "install", "registry requests *", NULL, "", "",
     "no_deps", ""},
    {"pip install --pre -U --no-deps a b c", 1, "install",
     "registry a * | registry b * | registry c *", NULL, "", "", "pre upgrade no_deps", ""},
    {"pip install --dry-run --report - requests", 1, "install", "registry requests *", NULL, "",
     "", "dry", ""},
    {"pip install requests --dry", 1, "install", "registry requests *", NULL, "", "", "dry", ""},
    {"pip install -t /opt/libs --upgrade-strategy eager -U requests", 1, "install",
     "registry requests *", NULL, "", "", "upgrade", ""},
    {"pip install --isolated --no-cache-dir --disable-pip-version-check --progress-bar off "
     "--root-user-action ignore --break-system-packages --no-warn-script-location requests",
     1, "install", "registry requests *", NULL, "", "", "", ""},
    {"pip install -C key=val --config-settings=k2=v2 --no-build-isolation .", 1, "install",
     "local - .", NULL, "", "", "", ""},
    {"pip install -- requests", 1, "install", "registry requests *", NULL, "", "", "", ""},
    {"pip install '  ' requests", 1, "install", "registry requests *", NULL, "", "", "", ""},
    {"pip install", 1, "install", "", NULL, "", "", "", ""},
    /* index options */
    {"pip install -i https://mirror.example/simple requests", 1, "install", "registry requests *",
     "https://mirror.example/simple", "", "", "", ""},
    {"pip install --index-url=https://m.example/simple requests", 1, "install",
     "registry requests *", "https://m.example/simple", "", "", "", ""},
    {"pip install -ihttps://m.example/simple requests", 1, "install", "registry requests *",
     "https://m.example/simple", "", "", "", ""},
    {"pip install requests --index https://m.example/simple", 1, "install",
     "registry requests *", "https://m.example/simple", "", "", "", ""},
    {"pip install --pypi-url https://old.example/simple x", 1, "install", "registry x *",
     "https://old.example/simple", "", "", "", ""},
    {"pip install --extra-index-url https://e1.example --extra-index-url=https://e2.example x",
     1, "install", "registry x *", NULL, "https://e1.example,https://e2.example", "", "", ""},
    {"pip install --no-index -f ./wheels requests", 1, "install", "registry requests *", NULL, "",
     "./wheels", "no_index", ""},
    {"pip install --find-links=https://x.example/links -fdir2 requests", 1, "install",
     "registry requests *", NULL, "", "https://x.example/links,dir2", "", ""},
    /* requirement and constraint files */
    {"pip install -r basic.txt", 1, "install", BASIC_REQS, "https://mirror.example/simple",
     "https://extra.example/simple", "$DATA/./wheels", "pre", ""},
    {"pip install -i https://cli.example --extra-index-url https://cli-extra.example -r basic.txt",
     1, "install", BASIC_REQS, "https://mirror.example/simple", "https://extra.example/simple",
     "$DATA/./wheels", "pre", ""},
    {"pip install --no-index -r basic.txt", 1, "install", BASIC_REQS, NULL, "", "$DATA/./wheels",
     "pre no_index", ""},
    {"pip install -r nested/top.txt", 1, "install",
     "registry alpha ==1.0 pin=1.0 @nested/top.txt:1 | registry beta >=2 @nested/sub/child.txt:1 "
     "| registry gamma ===3.0.0-weird pin=3.0.0-weird @nested/sub/../leaf.txt:1 | "
     "registry delta ~=1.2 @nested/from-constraints.txt:1 | registry omega * @nested/top.txt:4",
     "https://constraints.example/simple", "", "", "", ""},
    {"pip install -c nested/constraints.txt requests", 1, "install",
     "registry delta ~=1.2 @nested/from-constraints.txt:1 | registry requests *",
     "https://constraints.example/simple", "", "", "", ""},
    {"pip install --requirement=pinned.txt --require-hashes --no-binary :all:", 1, "install",
     "registry certifi ==2024.2.2 pin=2024.2.2 @pinned.txt:2 | "
     "registry charset-normalizer ==3.3.2 pin=3.3.2 @pinned.txt:4 | "
     "registry idna ==3.6 pin=3.6 @pinned.txt:7 | "
     "registry requests ===2.31.0 pin=2.31.0 @pinned.txt:8 | "
     "registry urllib3 ==2.2.* @pinned.txt:9",
     NULL, "", "", "", ""},
    {"pip install -r option-lines.txt", 1, "install",
     "registry from-leaf-a ==0.1 pin=0.1 @leaf-a.txt:1 | registry foo * @option-lines.txt:2 | "
     "editable sampleproject git+https://github.com/pypa/sampleproject.git@v1#egg=sampleproject "
     "@option-lines.txt:6",
     "https://abbreviated.example/simple", "https://quoted.example/simple", "dir1", "", ""},
    {"pip install -r noindex.txt requests", 1, "install", "registry requests *", NULL, "",
     "./local", "no_index", ""},
    {"pip install -r unknown.txt", 1, "install",
     "registry foo * @unknown.txt:2 | registry bar * @unknown.txt:5", NULL, "", "", "",
     "unknown.txt:1: --frobnicate,unknown.txt:2: --zap,"
     "unknown.txt:3: -r https://example.org/r.txt: remote requirements file not read,"
     "unknown.txt:4: --no-deps"},
    {"pip install -r https://example.org/r.txt", 1, "install", "", NULL, "", "", "",
     "-r https://example.org/r.txt: remote requirements file not read"},
    /* local paths, archives, URLs, VCS */
    {"pip install .", 1, "install", "local - .", NULL, "", "", "", ""},
    {"pip install ./proj '.[test,dev]'", 1, "install", "local - ./proj | local -[test,dev] .",
     NULL, "", "", "", ""},
    {"pip install dist/demo-1.0-py3-none-any.whl dist/demo-1.0.tar.gz", 1, "install",
     "local demo dist/demo-1.0-py3-none-any.whl | local - dist/demo-1.0.tar.gz", NULL, "", "", "",
     ""},
    {"pip install missing-1.0.zip", 1, "install", "local - missing-1.0.zip", NULL, "", "", "", ""},
    {"pip install proj", 1, "install", "registry proj *", NULL, "", "", "", ""},
    {"pip install https://example.org/pkgs/demo-2.0-py3-none-any.whl", 1, "install",
     "url demo https://example.org/pkgs/demo-2.0-py3-none-any.whl", NULL, "", "", "", ""},
    {"pip install 'https://example.org/x.tar.gz; sys_platform == \"linux\"'", 1, "install",
     "url - https://example.org/x.tar.gz ;sys_platform == \"linux\"", NULL, "", "", "", ""},
    {"pip install 'demo @ https://example.org/pkgs/demo-2.0.tar.gz'", 1, "install",
     "url demo https://example.org/pkgs/demo-2.0.tar.gz", NULL, "", "", "", ""},
    {"pip install demo@https://example.org/d.whl", 1, "install", "url demo https://example.org/d.whl",
     NULL, "", "", "", ""},
    {"pip install git+https://github.com/psf/requests.git@v2.31.0#egg=requests", 1, "install",
     "git requests git+https://github.com/psf/requests.git@v2.31.0#egg=requests", NULL, "", "", "",
     ""},
    {"pip install git+ssh://git@github.com/x/y.git", 1, "install",
     "git - git+ssh://git@github.com/x/y.git", NULL, "", "", "", ""},
    {"pip install 'y[e] @ git+https://github.com/x/y.git@main'", 1, "install",
     "git y[e] git+https://github.com/x/y.git@main", NULL, "", "", "", ""},
    {"pip install hg+https://hg.example/repo#egg=r", 1, "install",
     "git r hg+https://hg.example/repo#egg=r", NULL, "", "", "", ""},
    {"pip install file:///tmp/pkg.tar.gz 'p @ file:///tmp/p'", 1, "install",
     "local - file:///tmp/pkg.tar.gz | local p file:///tmp/p", NULL, "", "", "", ""},
    {"pip install -e .", 1, "install", "editable - .", NULL, "", "", "", ""},
    {"pip install -e ./proj[dev] --editable=proj", 1, "install",
     "editable -[dev] ./proj | editable - proj", NULL, "", "", "", ""},
    {"pip install -e git+https://github.com/pypa/sampleproject.git#egg=sampleproject", 1,
     "install",
     "editable sampleproject git+https://github.com/pypa/sampleproject.git#egg=sampleproject",
     NULL, "", "", "", ""},
    {"pip install -e git://github.com/x/y.git#egg=y -e file:///src/z", 1, "install",
     "editable y git://github.com/x/y.git#egg=y | editable - file:///src/z", NULL, "", "", "", ""},
    /* what pkggate cannot vouch for */
    {"pip install --frobnicate requests", 1, "install", "registry requests *", NULL, "", "", "",
     "--frobnicate"},
    {"pip install --upgr requests", 1, "install", "registry requests *", NULL, "", "", "",
     "--upgr"},
    {"pip install -Z requests", 1, "install", "registry requests *", NULL, "", "", "", "-Z"},
    {"pip install -d x requests", 1, "install", "registry x * | registry requests *", NULL, "", "",
     "", "-d"},
    {"pip install --group dev --requirements-from-script=run.py", 1, "install", "", NULL, "", "",
     "", "--group=dev,--requirements-from-script=run.py"},
    {"pip instal requests", 1, "instal", "", NULL, "", "", "", "instal"},
    {"pip --newopt list install x", 1, "install", "registry list * | registry x *", NULL, "", "",
     "", "--newopt"},
    {"pip --newopt -h install x", 1, "install", "registry x *", NULL, "", "", "", "--newopt"},
    {"pip -h --newopt install x", 0, NULL, "", NULL, "", "", "", ""},
    {"pip install --frob -h x", 1, "install", "registry x *", NULL, "", "", "", "--frob"},
    /* where pip finds its subcommand */
    {"pip --log install install requests", 1, "install", "registry requests *", NULL, "", "", "",
     ""},
    {"pip --log list install x", 1, "install", "registry x *", NULL, "", "", "", ""},
    /* another interpreter: its requires-python and tags are not modelled */
    {"pip --python /usr/bin/python3 install requests", 1, "install", "registry requests *", NULL,
     "", "", "", "--python=/usr/bin/python3"},
    {"pip install --platform any --only-binary :all: --prefer-binary x", 1, "install",
     "registry x *", NULL, "", "", "", "--platform=any"},
    {"pip -- install x", 1, "install", "registry x *", NULL, "", "", "", ""},
    /* download, wheel, lock */
    {"pip download -d /tmp/dl requests", 1, "download", "registry requests *", NULL, "", "", "",
     ""},
    {"pip download --platform manylinux2014_x86_64 --only-binary=:all: --python-version 3.11 "
     "--no-deps numpy",
     1, "download", "registry numpy *", NULL, "", "", "no_deps",
     "--platform=manylinux2014_x86_64,--python-version=3.11"},
    {"pip download -e .", 1, "download", "local - .", NULL, "", "", "", "-e"},
    {"pip wheel -w dist .", 1, "wheel", "local - .", NULL, "", "", "", ""},
    {"pip wheel --no-deps -e ./proj", 1, "wheel", "editable - ./proj", NULL, "", "", "no_deps",
     ""},
    {"pip lock -o pylock.toml requests", 1, "lock", "registry requests *", NULL, "", "", "", ""},
    /* commands that install nothing */
    {"pip list", 0, "list", "", NULL, "", "", "", ""},
    {"pip list -e", 0, "list", "", NULL, "", "", "", ""},
    {"pip show requests", 0, "show", "", NULL, "", "", "", ""},
    {"pip uninstall -y requests", 0, "uninstall", "", NULL, "", "", "", ""},
    {"pip freeze", 0, "freeze", "", NULL, "", "", "", ""},
    {"pip config list", 0, "config", "", NULL, "", "", "", ""},
    {"pip help install", 0, "help", "", NULL, "", "", "", ""},
    {"pip --version", 0, NULL, "", NULL, "", "", "", ""},
    {"pip -V install x", 0, NULL, "", NULL, "", "", "", ""},
    {"pip", 0, NULL, "", NULL, "", "", "", ""},
    {"pip install -h", 0, "install", "", NULL, "", "", "", ""},
    {"pip install requests --help", 0, "install", "", NULL, "", "", "", ""},
};

struct bad {
    const char *cmd;
    const char *msg; /* part of the message */
};

static const struct bad bads[] = {
    {"pip install -r", "option '-r' requires a value"},
    {"pip install requests --index-url", "option '--index-url' requires a value"},
    {"pip --log", "option '--log' requires a value"},
    {"pip install --pre=1 x", "option '--pre' does not take a value"},
    {"pip install requests>=", "invalid requirement 'requests>='"},
    {"pip install foo=1.0", "did you mean '=='"},
    {"pip install 'name @ 1.0'", "'1.0' is not a URL"},
    {"pip install 'foo ; bogus'", "invalid marker 'bogus'"},
    {"pip install ./nope", "no such directory or archive './nope'"},
    {"pip install dist/bad.whl", "invalid wheel filename 'bad.whl'"},
    {"pip install -e requests", "'requests' is not a valid editable requirement"},
    {"pip install -e https://example.org/x.tar.gz", "not a valid editable requirement"},
    {"pip install -r no-such.txt", "could not open requirements file 'no-such.txt'"},
    {"pip install -r cycle/a.txt", "requirements file cycle: cycle/a.txt -> cycle/b.txt"},
    {"pip install -r bad-hash.txt", "bad-hash.txt:1: --hash algorithm 'md5'"},
    {"pip install -r with-bad-line.txt", "with-bad-line.txt:2: invalid requirement 'bad>='"},
    {"pip install -c bad-constraint.txt x", "bad-constraint.txt:2: invalid requirement"},
    {"pip download -r missing-value.txt", "missing-value.txt:3: option '-r' requires a value"},
};

/* Words split on spaces; '...' keeps spaces (and drops the quotes). */
static int split(const char *cmd, char *buf, char **argv, int max)
{
    int argc = 0;

    while (*cmd && argc < max) {
        argv[argc++] = buf;
        while (*cmd && *cmd != ' ') {
            if (*cmd == '\'') {
                for (cmd++; *cmd && *cmd != '\''; cmd++)
                    *buf++ = *cmd;
                if (*cmd)
                    cmd++;
            } else {
                *buf++ = *cmd++;
            }
        }
        *buf++ = '\0';
        while (*cmd == ' ')
            cmd++;
    }
    return argc;
}

static void render_reqs(const struct pg_reqlist *l, struct pg_sb *sb)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct pg_req *r = &l->v[i];

        assert_int_equal(r->eco, PG_ECO_PYPI);
        pg_sb_addf(sb, "%s%s %s", i ? " | " : "", pg_source_name(r->source), r->name ? r->name : "-");
        if (r->extras)
            pg_sb_addf(sb, "[%s]", r->extras);
        pg_sb_addf(sb, " %s", r->spec[0] ? r->spec : "*");
        if (r->locked)
            pg_sb_addf(sb, " pin=%s", r->locked);
        if (r->marker)
            pg_sb_addf(sb, " ;%s", r->marker);
        if (strcmp(r->origin, "argv") != 0)
            pg_sb_addf(sb, " @%s", r->origin);
    }
}

/* Paths under the test data are shown as $DATA/... (pip joins -f onto a file's directory). */
static void join(const struct pg_strlist *l, struct pg_sb *sb)
{
    for (size_t i = 0; i < l->n; i++) {
        int under = strncmp(l->v[i], DATA "/", strlen(DATA "/")) == 0;

        pg_sb_addf(sb, "%s%s%s", i ? "," : "", under ? "$DATA/" : "",
                   l->v[i] + (under ? strlen(DATA "/") : 0));
    }
}

static void check_field(size_t i, const char *what, const char *want, const char *got)
{
    if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0))
        fail_msg("case %zu '%s': %s is '%s', expected '%s'", i, cases[i].cmd, what,
                 got ? got : "(null)", want ? want : "(null)");
}

static void check_case(size_t i, const struct pg_cmd *cmd)
{
    struct pg_sb sb = PG_SB_INIT;

    if (cmd->installs != cases[i].installs)
        fail_msg("case %zu '%s': installs %d", i, cases[i].cmd, cmd->installs);
    check_field(i, "subcmd", cases[i].subcmd, cmd->subcmd);
    render_reqs(&cmd->reqs, &sb);
    check_field(i, "reqs", cases[i].reqs, pg_sb_str(&sb));
    check_field(i, "index", cases[i].index, cmd->index_url);
    pg_sb_reset(&sb);
    join(&cmd->extra_index, &sb);
    check_field(i, "extra", cases[i].extra, pg_sb_str(&sb));
    pg_sb_reset(&sb);
    join(&cmd->find_links, &sb);
    check_field(i, "links", cases[i].links, pg_sb_str(&sb));
    pg_sb_reset(&sb);
    pg_sb_addf(&sb, "%s%s%s%s%s", cmd->pre ? "pre " : "", cmd->upgrade ? "upgrade " : "",
               cmd->dry_run ? "dry " : "", cmd->no_deps ? "no_deps " : "",
               cmd->no_index ? "no_index " : "");
    if (sb.len)
        sb.buf[--sb.len] = '\0';
    check_field(i, "flags", cases[i].flags, pg_sb_str(&sb));
    pg_sb_reset(&sb);
    join(&cmd->unknown, &sb);
    check_field(i, "unknown", cases[i].unknown, pg_sb_str(&sb));
    pg_sb_release(&sb);
}

static void test_command_lines(void **state)
{
    (void)state;
    assert_true(PG_ARRAY_SIZE(cases) >= 60);
    for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
        char buf[1024], *argv[64];
        int argc;
        struct pg_cmd cmd;
        struct pg_err err = PG_ERR_INIT;

        assert_true(strlen(cases[i].cmd) < sizeof(buf));
        argc = split(cases[i].cmd, buf, argv, 64);
        pg_cmd_init(&cmd, PG_TOOL_PIP);
        if (pg_pipargs_parse(&cmd, argc, argv, DATA, &err) < 0)
            fail_msg("case %zu '%s': %s", i, cases[i].cmd, err.msg);
        check_case(i, &cmd);
        pg_cmd_release(&cmd);
    }
}

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(bads); i++) {
        char buf[1024], *argv[64];
        int argc = split(bads[i].cmd, buf, argv, 64);
        struct pg_cmd cmd;
        struct pg_err err = PG_ERR_INIT;

        pg_cmd_init(&cmd, PG_TOOL_PIP);
        if (pg_pipargs_parse(&cmd, argc, argv, DATA, &err) == 0)
            fail_msg("'%s' accepted", bads[i].cmd);
        if (!strstr(err.msg, bads[i].msg))
            fail_msg("'%s': message '%s' lacks '%s'", bads[i].cmd, err.msg, bads[i].msg);
        pg_cmd_release(&cmd);
    }
}

/* The lockfile checks' entry point: one file into a command. */
static void test_add_reqfile(void **state)
{
    struct pg_cmd cmd;
    struct pg_err err = PG_ERR_INIT;
    size_t pinned = 0;

    (void)state;
    pg_cmd_init(&cmd, PG_TOOL_PIP);
    assert_int_equal(pg_pipargs_add_reqfile(&cmd, DATA "/pinned.txt", 0, NULL, &err), 0);
    assert_int_equal(cmd.reqs.n, 5);
    for (size_t i = 0; i < cmd.reqs.n; i++)
        pinned += cmd.reqs.v[i].locked != NULL;
    assert_int_equal(pinned, 4);
    assert_non_null(strstr(cmd.reqs.v[0].origin, "/pinned.txt:2"));
    /* A constraints file adds nothing but is checked and sets the index. */
    assert_int_equal(pg_pipargs_add_reqfile(&cmd, "nested/constraints.txt", 1, DATA, &err), 0);
    assert_int_equal(cmd.reqs.n, 6); /* its nested -r is a requirement */
    assert_string_equal(cmd.index_url, "https://constraints.example/simple");
    pg_cmd_release(&cmd);
}

static void test_add_req(void **state)
{
    struct pg_reqlist l = PG_REQLIST_INIT;
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    assert_int_equal(pg_pipargs_add_req(&l, " requests == 2.0 ", 0, "x.txt:9", NULL, &err), 0);
    assert_string_equal(l.v[0].name, "requests");
    assert_string_equal(l.v[0].spec, "==2.0");
    assert_string_equal(l.v[0].locked, "2.0");
    assert_string_equal(l.v[0].origin, "x.txt:9");
    assert_int_equal(pg_pipargs_add_req(&l, "requests>=", 0, "x.txt:10", NULL, &err), -1);
    assert_int_equal(strncmp(err.msg, "x.txt:10: invalid requirement", 29), 0);
    assert_int_equal(pg_pipargs_add_req(&l, "bogus>=", 0, "argv", NULL, &err), -1);
    assert_int_equal(strncmp(err.msg, "invalid requirement", 19), 0);
    assert_int_equal(l.n, 1);
    pg_reqlist_release(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_command_lines),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_add_reqfile),
        cmocka_unit_test(test_add_req),
    };

    setenv("PG_TEST_PKG", "six", 1);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
