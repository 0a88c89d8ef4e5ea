/*
 * pkggate run [--json] [--offline] [--quiet] -- <tool> <args...>
 *
 * What the shim hands possible installs to, and the form for CI. Parses the
 * command exactly as the tool would, checks what it would install, then
 * execs the real tool with argv untouched, or blocks.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pg_cmd.h"
#include "pg_exit.h"
#include "pg_gate.h"
#include "pg_main.h"
#include "pg_npmargs.h"
#include "pg_pipargs.h"
#include "pg_pkgjson.h"
#include "pg_realtool.h"
#include "pg_version.h"
#include "banned.h"

static const char run_usage[] =
    "usage: pkggate run [--json] [--offline] [--quiet] -- <pip|pip3|npm|npx> <args...>\n"
    "\n"
    "Checks what the command would install against the policy; runs the real tool\n"
    "with the very same arguments if it passes, exits 10 without running it if not.\n"
    "Commands that cannot install (npm run, pip list) run straight away.\n"
    "\n"
    "  --json      one JSON object per checked package on stdout\n"
    "  --offline   no network: name rules and cached registry answers only\n"
    "  --quiet     no lines for warnings (blocks are still explained)\n";

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
    if (cmd->tool == PG_TOOL_PIP)
        rc = pg_pipargs_parse(cmd, argc, argv, cwd, &err);
    else
        rc = pg_npmargs_parse(cmd, argc, argv, cwd, &err);
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

    if (cmd->unknown.n == 0 || pg_policy_unknown_arguments(pol) == PG_ACT_OFF)
        return PG_EXIT_OK;
    pg_sb_addf(&msg, "pkggate does not know the option%s", cmd->unknown.n > 1 ? "s" : "");
    /* The option's name only: a value may be a password or a token. */
    for (size_t i = 0; i < cmd->unknown.n; i++)
        pg_sb_addf(&msg, "%s %.*s", i ? "," : "", (int)strcspn(cmd->unknown.v[i], "="),
                   cmd->unknown.v[i]);
    pg_sb_adds(&msg, " and will not guess what it installs; "
                     "set \"unknown_arguments\": \"pass\" in the policy to allow it");
    rc = pg_gate_block_command(o, pol, "unknown_arguments", pg_sb_str(&msg));
    pg_sb_release(&msg);
    return rc;
}

/*
 * Whether the lockfile already pins what r asks for: an entry of that name
 * whose version satisfies r's range (npm keeps it then). A package.json
 * range the locked version does not satisfy is resolved afresh by npm, so
 * it must be checked as such.
 */
static int locked_already(const struct pg_reqlist *l, const struct pg_req *r)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct pg_req *e = &l->v[i];

        if (!e->locked || !r->name || !e->name || strcmp(e->name, r->name) != 0)
            continue;
        if (r->locked ? !strcmp(e->locked, r->locked)
                      : pg_version_satisfies(PG_ECO_NPM, e->locked,
                                             r->spec && *r->spec ? r->spec : "*") == 1)
            return 1;
    }
    return 0;
}

static void move_req(struct pg_reqlist *to, struct pg_req *r)
{
    struct pg_req *n = pg_reqlist_add(to, r->eco, r->source);

    *n = *r;
    memset(r, 0, sizeof(*r));
}

/*
 * With a lockfile, npm installs what it pins: check every locked entry (the
 * age rule too, which npm does not re-apply), once per name@version. For
 * `npm ci` the lockfile is the whole truth; otherwise requested packages
 * the lockfile does not pin are checked as well.
 */
static int add_lockfile(struct pg_cmd *cmd)
{
    struct pg_pkglock lk = PG_PKGLOCK_INIT;
    struct pg_reqlist all = PG_REQLIST_INIT;
    struct pg_err err = PG_ERR_INIT;
    int ci = cmd->subcmd && !strcmp(cmd->subcmd, "ci");

    if (cmd->tool != PG_TOOL_NPM || !cmd->has_lockfile || cmd->global)
        return 0;
    if (pg_pkgjson_lock_read(cmd->lockfile_path, &lk, &err) < 0) {
        pg_gate_errorf("pkggate: %s (nothing was installed)", err.msg);
        return -1;
    }
    for (size_t i = 0; i < lk.reqs.n; i++) {
        if (locked_already(&all, &lk.reqs.v[i]) ||
            (lk.reqs.v[i].name && pg_strlist_has(&cmd->removing, lk.reqs.v[i].name)))
            continue;
        /* npm checks the tarball against the lockfile's integrity, so that
         * is what must match the registry's. */
        if (lk.ent[i].integrity && !lk.reqs.v[i].integrity)
            lk.reqs.v[i].integrity = pg_xstrdup(lk.ent[i].integrity);
        move_req(&all, &lk.reqs.v[i]);
    }
    for (size_t i = 0; !ci && i < cmd->reqs.n; i++)
        if (!cmd->reqs.v[i].name || cmd->reqs.v[i].origin == NULL ||
            strcmp(cmd->reqs.v[i].origin, "package.json") != 0 ||
            !locked_already(&all, &cmd->reqs.v[i]))
            move_req(&all, &cmd->reqs.v[i]);
    pg_reqlist_release(&cmd->reqs);
    cmd->reqs = all;
    pg_pkgjson_lock_release(&lk);
    return 0;
}

/*
 * pip also reads requirement files named in its environment
 * (PIP_REQUIREMENT, space-separated): a bare `pip install` installs them.
 */
static int add_pip_env_reqs(struct pg_cmd *cmd)
{
    const char *env = getenv("PIP_REQUIREMENT");
    struct pg_err err = PG_ERR_INIT;
    char cwd[PATH_MAX], *list, *save = NULL;
    int rc = 0;

    if (cmd->tool != PG_TOOL_PIP || !cmd->installs || !env || !*env)
        return 0;
    if (!getcwd(cwd, sizeof(cwd)))
        return -1;
    list = pg_xstrdup(env);
    for (char *f = strtok_r(list, " \t", &save); f && rc == 0; f = strtok_r(NULL, " \t", &save))
        rc = pg_pipargs_add_reqfile(cmd, f, 0, cwd, &err);
    if (rc < 0)
        pg_gate_errorf("pkggate: PIP_REQUIREMENT: %s (nothing was installed)", err.msg);
    free(list);
    return rc;
}

static int check_then_exec(const struct pg_gate_opts *opts, struct pg_cmd *cmd, int argc,
                           char **argv, const char *real, const struct pg_selfset *skip)
{
    struct pg_gate_opts o = *opts;
    struct pg_policy *pol = NULL;
    int rc = PG_EXIT_FAILED;

    if (parse_tool_cmd(cmd, argc, argv) < 0)
        return PG_EXIT_FAILED;
    if (!cmd->installs)
        goto exec;
    if (add_lockfile(cmd) < 0 || add_pip_env_reqs(cmd) < 0)
        return PG_EXIT_FAILED;
    if (pg_gate_load_policy(&pol, o.offline) < 0)
        return PG_EXIT_FAILED;
    o.tool = pg_tool_name(cmd->tool);
    o.subcmd = cmd->subcmd;
    o.argc = argc;
    o.argv = argv;
    o.real = real;
    rc = unknown_args(&o, pol, cmd);
    if (rc == PG_EXIT_OK)
        rc = pg_gate_decide(&o, pol, cmd, &cmd->reqs);
    pg_policy_free(pol);
    if (rc != PG_EXIT_OK)
        return rc;
exec:
    fflush(NULL);
    pg_realtool_exec(real, argv, skip);
    pg_gate_errorf("pkggate: cannot run %s: %s", real, strerror(errno));
    return PG_EXIT_NOTOOL;
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
        } else if (!strcmp(argv[i], "--offline")) {
            o.offline = 1;
        } else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
            o.quiet = 1;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(run_usage, stdout);
            return PG_EXIT_OK;
        } else {
            pg_gate_errorf("pkggate run: unknown option '%s'", argv[i]);
            fputs(run_usage, stderr);
            return PG_EXIT_USAGE;
        }
    }
    if (i >= argc || (tool = pg_tool_from_name(base_name(argv[i]))) < 0) {
        fprintf(stderr, "pkggate run: name pip, pip3, pip3.N, npm or npx after --\n%s",
                run_usage);
        return PG_EXIT_USAGE;
    }
    pg_main_selfset(&skip);
    if (pg_realtool_find(base_name(argv[i]), &skip, real, sizeof(real), why, sizeof(why)) < 0) {
        pg_gate_errorf("pkggate: %s", why);
        return PG_EXIT_NOTOOL;
    }
    pg_cmd_init(&cmd, (enum pg_tool)tool);
    rc = check_then_exec(&o, &cmd, argc - i, argv + i, real, &skip);
    pg_cmd_release(&cmd);
    return rc;
}
