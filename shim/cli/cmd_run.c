/*
 * pkggate run [--json] [--offline] [--quiet] -- <tool> <args...>
 *
 * What the shim hands possible installs to, and the form for CI. Parses the
 * command exactly as the tool would, checks what it would install, then
 * execs the real tool with argv untouched, or blocks. An install whose
 * result can be read back (pg_landed.h) runs the tool as a child instead,
 * and afterwards says what landed that was not judged.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "pg_child.h"
#include "pg_cmd.h"
#include "pg_deptree.h"
#include "pg_exit.h"
#include "pg_gate.h"
#include "pg_landed.h"
#include "pg_main.h"
#include "pg_npmenv.h"
#include "pg_npmlock.h"
#include "pg_pipsettings.h"
#include "pg_realtool.h"
#include "pg_toolargs.h"
#include "pg_toolname.h"
#include "banned.h"

static const char run_help[] =
    "\n"
    "Checks what the command would install against the policy; runs the real tool\n"
    "with the very same arguments if it passes, exits 10 without running it if not.\n"
    "Commands that cannot install (npm run, pip list) run straight away.\n"
    "\n"
    "  --json-out FILE  one JSON object per checked package into FILE (\"-\": stdout;\n"
    "              /dev/fd/N: an open descriptor), leaving the tool's stdout alone\n"
    "  --json      the same objects on stdout, mixed with what the tool prints there\n"
    "  --offline   no network: name rules and cached registry answers only\n"
    "  --refresh   ask the registry about locked versions too, even when their\n"
    "              cached facts are younger than the policy's \"revalidate\"\n"
    "  --quiet     no lines for warnings (blocks are still explained)\n"
    "\n"
    "When npm itself was asked for --json and pkggate blocks, stdout gets npm's\n"
    "error object: {\"error\": {\"code\": \"EPKGGATE\", \"summary\": ..., \"detail\": ...}}.\n";

/* The usage, naming the tools of pg_tools.def ("pip|pip3|npm|npx"). */
static void run_usage(FILE *to)
{
    char tools[256];

    pg_toolname_join(tools, sizeof(tools), "|", "|", 1);
    fprintf(to,
            "usage: pkggate run [--json-out FILE|--json] [--offline|--refresh] [--quiet] -- <%s> "
            "<args...>\n%s",
            tools, run_help);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

static int parse_tool_cmd(struct pg_cmd *cmd, int argc, char **argv)
{
    struct pg_err err = PG_ERR_INIT;
    char cwd[PATH_MAX];
    int rc;

    if (!getcwd(cwd, sizeof(cwd))) {
        fprintf(stderr, "pkggate: cannot read the working directory: %s\n", strerror(errno));
        return -1;
    }
    rc = pg_toolargs_parse(cmd, argc, argv, cwd, &err);
    if (rc < 0)
        pg_gate_errorf("pkggate: cannot understand `%s %s`: %s (nothing was installed)",
                       base_name(argv[0]), argc > 1 ? argv[1] : "", err.msg);
    return rc;
}

static int unknown_args(const struct pg_gate_opts *o, const struct pg_policy *pol,
                        const struct pg_cmd *cmd)
{
    struct pg_sb msg = PG_SB_INIT;
    int rc;

    if ((cmd->unknown.n == 0 && cmd->unmodelled.n == 0) ||
        pg_policy_unknown_arguments(pol) == PG_ACT_OFF)
        return PG_EXIT_OK;
    if (cmd->unknown.n)
        pg_sb_addf(&msg, "pkggate does not know the option%s", cmd->unknown.n > 1 ? "s" : "");
    /* The option's name only: a value may be a password or a token. */
    for (size_t i = 0; i < cmd->unknown.n; i++)
        pg_sb_addf(&msg, "%s %.*s", i ? "," : "", (int)strcspn(cmd->unknown.v[i], "="),
                   cmd->unknown.v[i]);
    /* Settings: the key and where it was set, never its value. */
    if (cmd->unmodelled.n)
        pg_sb_addf(&msg, "%spkggate does not model the npm setting%s", cmd->unknown.n ? "; " : "",
                   cmd->unmodelled.n > 1 ? "s" : "");
    for (size_t i = 0; i < cmd->unmodelled.n; i++)
        pg_sb_addf(&msg, "%s %s", i ? "," : "", cmd->unmodelled.v[i]);
    pg_sb_adds(&msg, " and will not guess what it installs; "
                     "set \"unknown_arguments\": \"pass\" in the policy to allow it");
    rc = pg_gate_block_command(o, pol, "unknown_arguments", pg_sb_str(&msg));
    pg_sb_release(&msg);
    return rc;
}

/* With a lockfile, npm installs what it pins: pg_npmlock.h says what that is. */
static int add_lockfile(struct pg_cmd *cmd)
{
    struct pg_err err = PG_ERR_INIT;

    /* `npm install <name>` installs package.json's dependencies too. */
    if (pg_deptree_add_manifest(cmd, &err) < 0 || pg_npmlock_merge(cmd, &err) < 0) {
        pg_gate_errorf("pkggate: %s (nothing was installed)", err.msg);
        return -1;
    }
    return 0;
}

/*
 * pip also reads settings from PIP_* variables and pip.conf: prereleases,
 * binary formats, requirement and constraint files (PIP_REQUIREMENT: a
 * bare `pip install` installs them), and some pkggate does not model.
 */
static int add_pip_settings(struct pg_cmd *cmd, const char *real)
{
    struct pg_err err = PG_ERR_INIT;
    char cwd[PATH_MAX];

    if (cmd->tool != PG_TOOL_PIP || !cmd->installs)
        return 0;
    if (!getcwd(cwd, sizeof(cwd)))
        return -1;
    if (pg_pipsettings_apply(cmd, real, cwd, &err) == 0)
        return 0;
    pg_gate_errorf("pkggate: pip's settings: %s (nothing was installed)", err.msg);
    return -1;
}

/* npm was asked for JSON (--json, npm_config_json): its programs read stdout. */
static int npm_json(const struct pg_cmd *cmd)
{
    const char *env = getenv("npm_config_json");
    int on = 0;

    if (cmd->eco != PG_ECO_NPM)
        return 0;
    if (!env)
        env = getenv("NPM_CONFIG_JSON");
    if (env)
        on = *env && strcmp(env, "false") != 0 && strcmp(env, "0") != 0;
    /* The command line wins, its last word most of all. */
    for (size_t i = 0; i < cmd->config.n; i++) {
        if (!strcmp(cmd->config.v[i], "json=true"))
            on = 1;
        else if (!strcmp(cmd->config.v[i], "json=false"))
            on = 0;
    }
    return on;
}

/*
 * npm's own error shape in JSON mode (npm 11: {"error": {"code",
 * "summary", "detail"}} on stdout, two-space indent), so a program that
 * parses `npm install --json` sees why nothing was installed.
 */
static void npm_json_error(const struct pg_sb *blocks)
{
    json_t *o = json_pack("{s:{s:s, s:s, s:s}}", "error", "code", "EPKGGATE", "summary",
                          "pkggate blocked this install by policy; nothing was installed",
                          "detail", blocks->len ? pg_sb_str(blocks) : "see pkggate's lines on stderr");
    char *text;

    if (!o) /* a line that is not UTF-8: the shape still tells the program */
        o = json_pack("{s:{s:s, s:s, s:s}}", "error", "code", "EPKGGATE", "summary",
                      "pkggate blocked this install by policy; nothing was installed", "detail",
                      "see pkggate's lines on stderr");
    text = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;

    if (text)
        printf("%s\n", text);
    fflush(stdout);
    free(text);
    json_decref(o);
}

/* Pass-through and unwatched installs: the tool replaces pkggate. */
static int exec_tool(const struct pg_cmd *cmd, const char *real, char **argv,
                     const struct pg_selfset *skip)
{
    fflush(NULL);
    /* The python hook of the Python about to run pip must not hand this
     * checked (or non-installing) command back to us. */
    if (cmd->eco == PG_ECO_PYPI && pg_realtool_mark_handled() < 0) {
        pg_gate_errorf("pkggate: cannot mark %s as checked: %s", real, strerror(errno));
        return PG_EXIT_FAILED;
    }
    /* pkggate ignores SIGPIPE for itself; the tool gets the default back. */
    signal(SIGPIPE, SIG_DFL);
    pg_realtool_exec(real, argv, skip);
    pg_gate_errorf("pkggate: cannot run %s: %s", real, strerror(errno));
    return PG_EXIT_NOTOOL;
}

/*
 * An install pkggate can read the result of (pg_landed.h): run the tool
 * as a child, then say what landed unjudged, then end as the tool ended.
 */
/* What waits for the tool to start. */
struct meanwhile {
    struct pg_landed *landed;
    struct pg_later *later;
};

/* While the tool runs: parse what was on disk before it started, and free the decision. */
static void meanwhile(void *arg)
{
    struct meanwhile *m = arg;

    pg_landed_settle(m->landed);
    pg_later_run(m->later);
}

static int run_and_read(const struct pg_gate_opts *o, const struct pg_policy *pol,
                        const struct pg_cmd *cmd, struct pg_landed *landed,
                        const struct pg_strmap *judged, char **argv,
                        const struct pg_selfset *skip)
{
    struct pg_landed_list unjudged = PG_LANDED_LIST_INIT;
    struct meanwhile m = {landed, o->later};
    int status;

    if (cmd->eco == PG_ECO_PYPI && pg_realtool_mark_handled() < 0) {
        pg_gate_errorf("pkggate: cannot mark %s as checked: %s", o->real, strerror(errno));
        return PG_EXIT_FAILED;
    }
    if (pg_child_run(o->real, argv, skip, meanwhile, &m, &status) < 0) {
        pg_gate_errorf("pkggate: cannot run %s: %s", o->real, strerror(errno));
        return PG_EXIT_NOTOOL;
    }
    pg_landed_unjudged(landed, judged, &unjudged);
    pg_landed_report(landed, &unjudged, o, pol);
    pg_landed_list_release(&unjudged);
    return pg_child_end_like(status);
}

static int check_then_exec(const struct pg_gate_opts *opts, struct pg_cmd *cmd, int argc,
                           char **argv, const char *real, const struct pg_selfset *skip)
{
    struct pg_gate_opts o = *opts;
    struct pg_policy *pol = NULL;
    struct pg_sb blocks = PG_SB_INIT;
    struct pg_strmap judged = PG_STRMAP_INIT;
    struct pg_landed landed = PG_LANDED_INIT;
    struct pg_later later = PG_LATER_INIT;
    int rc = PG_EXIT_FAILED;

    if (parse_tool_cmd(cmd, argc, argv) < 0)
        return PG_EXIT_FAILED;
    if (!cmd->installs)
        return exec_tool(cmd, real, argv, skip);
    pg_npmenv_apply(cmd, real);
    if (add_lockfile(cmd) < 0 || add_pip_settings(cmd, real) < 0)
        return PG_EXIT_FAILED;
    if (pg_gate_load_policy(&pol, PG_GATE_INSTALL | (o.offline ? PG_GATE_OFFLINE : 0)) < 0)
        return PG_EXIT_FAILED;
    o.tool = pg_tool_name(cmd->tool);
    o.subcmd = cmd->subcmd;
    o.real = real;
    o.blocks = &blocks;
    o.judged = &judged;
    o.later = &later;
    o.argv = argv;
    o.skip = skip;
    rc = unknown_args(&o, pol, cmd);
    if (rc == PG_EXIT_OK)
        rc = pg_gate_decide(&o, pol, cmd, &cmd->reqs);
    if (rc == PG_EXIT_BLOCKED && npm_json(cmd))
        npm_json_error(&blocks);
    if (rc != PG_EXIT_OK)
        goto out;
    /* Only what pkggate can read afterwards is worth a process in between. */
    if (pg_landed_begin(&landed, cmd, real)) {
        rc = run_and_read(&o, pol, cmd, &landed, &judged, argv, skip);
    } else {
        pg_later_run(&later);
        rc = exec_tool(cmd, real, argv, skip);
    }
out:
    pg_later_run(&later);
    pg_landed_release(&landed);
    pg_strmap_release(&judged);
    pg_sb_release(&blocks);
    pg_policy_free(pol);
    return rc;
}

/*
 * --json-out FILE: verdicts for a program, apart from the tool's stdout.
 * Close-on-exec, so the real tool does not inherit it.
 */
static int open_json_out(struct pg_gate_opts *o, const char *file)
{
    if (!file || !*file) {
        pg_gate_errorf("pkggate run: --json-out needs a file (\"-\" for stdout)");
        return -1;
    }
    o->json = 1;
    if (!strcmp(file, "-")) {
        o->json_fp = stdout;
        return 0;
    }
    o->json_fp = fopen(file, "we");
    if (!o->json_fp) {
        pg_gate_errorf("pkggate run: cannot write '%s': %s", file, strerror(errno));
        return -1;
    }
    return 0;
}

int pg_main_run(int argc, char **argv)
{
    struct pg_gate_opts o = {0};
    struct pg_selfset skip = {.n = 0};
    struct pg_cmd cmd;
    char real[PATH_MAX], why[PATH_MAX + 128];
    int i, tool, rc;

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else if (!strcmp(argv[i], "--json")) {
            o.json = 1;
        } else if (!strcmp(argv[i], "--json-out") || !strncmp(argv[i], "--json-out=", 11)) {
            const char *file = argv[i][10] == '=' ? argv[i] + 11 : i + 1 < argc ? argv[++i] : NULL;

            if (open_json_out(&o, file) < 0)
                return PG_EXIT_USAGE;
        } else if (!strcmp(argv[i], "--offline")) {
            o.offline = 1;
        } else if (!strcmp(argv[i], "--refresh")) {
            o.refresh = 1;
        } else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
            o.quiet = 1;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            run_usage(stdout);
            return PG_EXIT_OK;
        } else {
            pg_gate_errorf("pkggate run: unknown option '%s'", argv[i]);
            run_usage(stderr);
            return PG_EXIT_USAGE;
        }
    }
    if (i >= argc || (tool = pg_tool_from_name(base_name(argv[i]))) < 0) {
        char names[256];

        pg_toolname_join(names, sizeof(names), ", ", " or ", 0);
        fprintf(stderr, "pkggate run: name %s after --\n", names);
        run_usage(stderr);
        return PG_EXIT_USAGE;
    }
    pg_selfset_add_program(&skip);
    /* A path (python's hook hands over /venv/bin/python) is the tool itself. */
    if (pg_realtool_find(strchr(argv[i], '/') ? argv[i] : base_name(argv[i]), &skip, real,
                         sizeof(real), why, sizeof(why)) < 0) {
        pg_gate_errorf("pkggate: %s", why);
        return PG_EXIT_NOTOOL;
    }
    pg_cmd_init(&cmd, (enum pg_tool)tool);
    rc = check_then_exec(&o, &cmd, argc - i, argv + i, real, &skip);
    pg_cmd_release(&cmd);
    if (o.json_fp && o.json_fp != stdout)
        fclose(o.json_fp);
    return rc;
}
