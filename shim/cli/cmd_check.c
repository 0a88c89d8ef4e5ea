/*
 * pkggate check [--ecosystem npm|pypi] [--offline] [--json] [--quiet] SPEC...
 *
 * Decide packages without installing anything: each SPEC is read exactly as
 * `npm install SPEC` or `pip install SPEC` would read it.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "pg_cmd.h"
#include "pg_exit.h"
#include "pg_gate.h"
#include "pg_main.h"
#include "pg_toolargs.h"
#include "banned.h"

static const char check_usage[] =
    "usage: pkggate check --ecosystem npm|pypi [--offline|--names-only|--refresh] [--json] [--quiet]\n"
    "                     SPEC...\n"
    "\n"
    "Decides each package as `npm install SPEC` / `pip install SPEC` would be\n"
    "decided, without installing anything. Exit 0 if none is blocked, 10 if any is\n"
    "blocked or cannot be read as a package (each such name gets an \"error\" verdict).\n"
    "\n"
    "  --ecosystem E  npm or pypi (also -e E)\n"
    "  --offline      no network: name rules, and registry answers from the cache;\n"
    "                 what the cache lacks follows the policy's \"undecidable\"\n"
    "  --refresh      ask the registry now, whatever the cache holds (else answers\n"
    "                 younger than 5 minutes are used as they are, and a locked\n"
    "                 version's facts for the policy's \"revalidate\" period)\n"
    "  --names-only   no registry at all: only the name rules (deny/allow lists,\n"
    "                 typosquat, non-registry sources) decide; nothing is fetched\n"
    "  --json         one JSON object per package on stdout\n"
    "  --quiet        no lines for warnings on stderr (blocks are still explained)\n"
    "\n"
    "examples:\n"
    "  pkggate check --ecosystem npm 'lodash@^4' left-pad\n"
    "  pkggate check --names-only --json --ecosystem pypi reqeusts 'django>=4,<5'\n";

/* Read specs[0..n) as `<tool> install -- specs...` would, into cmd. */
static int parse_as_install(enum pg_eco eco, int n, char **specs, struct pg_cmd *cmd,
                            struct pg_err *err)
{
    char cwd[PATH_MAX];
    char **argv = pg_xcalloc((size_t)n + 4, sizeof(*argv));
    int argc = 0, rc;

    if (!getcwd(cwd, sizeof(cwd)))
        snprintf(cwd, sizeof(cwd), "/");
    argv[argc++] = eco == PG_ECO_NPM ? "npm" : "pip";
    argv[argc++] = "install";
    /* Everything after -- is a package, even if it looks like an option. */
    argv[argc++] = "--";
    for (int i = 0; i < n; i++)
        argv[argc++] = specs[i];
    pg_cmd_init(cmd, eco == PG_ECO_NPM ? PG_TOOL_NPM : PG_TOOL_PIP);
    rc = pg_toolargs_parse(cmd, argc, argv, cwd, err);
    free(argv);
    return rc;
}

static int non_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 1;
    return 0;
}

/* argv need not be UTF-8; JSON must be. */
static json_t *utf8(const char *s)
{
    json_t *j = json_string(s);

    return j ? j : json_string("(not valid UTF-8)");
}

/*
 * A SPEC no tool would accept gets a verdict of its own, "error", so the
 * other names are still judged: one line for a person, one JSON object for
 * a program, and exit 10 as for a block.
 */
static void spec_error(const struct pg_gate_opts *o, enum pg_eco eco, const char *spec,
                       const char *why)
{
    json_t *j;
    char *text;

    pg_gate_errorf("pkggate: error %s '%s': %s", pg_eco_name(eco), spec, why);
    if (!o->json)
        return;
    j = json_object();
    json_object_set_new(j, "ecosystem", json_string(pg_eco_name(eco)));
    /* argv need not be UTF-8; JSON must be. */
    json_object_set_new(j, "name", utf8(spec));
    json_object_set_new(j, "decision", json_string("error"));
    json_object_set_new(j, "error", utf8(why));
    text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text)
        printf("%s\n", text);
    free(text);
    json_decref(j);
}

/*
 * Each SPEC on its own. One the tool would refuse only because it holds
 * non-ASCII letters is still checked as a bare name: lookalike Unicode is
 * exactly what a typosquat looks like. Any other unreadable SPEC gets an
 * error verdict (spec_error); returns how many did.
 */
static size_t parse_specs(const struct pg_gate_opts *o, enum pg_eco eco, int n, char **specs,
                          struct pg_cmd *out)
{
    size_t bad = 0;

    pg_cmd_init(out, eco == PG_ECO_NPM ? PG_TOOL_NPM : PG_TOOL_PIP);
    for (int i = 0; i < n; i++) {
        struct pg_err err = PG_ERR_INIT;
        struct pg_cmd one;
        struct pg_req *r;

        if (parse_as_install(eco, 1, &specs[i], &one, &err) == 0) {
            for (size_t k = 0; k < one.reqs.n; k++) {
                r = pg_reqlist_add(&out->reqs, eco, one.reqs.v[k].source);
                *r = one.reqs.v[k];
                memset(&one.reqs.v[k], 0, sizeof(one.reqs.v[k]));
            }
        } else if (!non_ascii(specs[i])) {
            spec_error(o, eco, specs[i], err.msg);
            bad++;
        } else {
            pg_gate_errorf("pkggate check: %s; checking '%s' as a bare name", err.msg, specs[i]);
            r = pg_reqlist_add(&out->reqs, eco, PG_SRC_REGISTRY);
            r->name = pg_xstrdup(specs[i]);
            r->spec = pg_xstrdup("");
            r->origin = pg_xstrdup("argv");
        }
        pg_cmd_release(&one);
    }
    return bad;
}

int pg_main_check(int argc, char **argv)
{
    struct pg_gate_opts o = {0};
    struct pg_policy *pol = NULL;
    struct pg_cmd cmd;
    const char *eco = NULL;
    size_t bad;
    int i, rc;

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else if ((!strcmp(argv[i], "--ecosystem") || !strcmp(argv[i], "-e")) && i + 1 < argc) {
            eco = argv[++i];
        } else if (!strncmp(argv[i], "--ecosystem=", 12)) {
            eco = argv[i] + 12;
        } else if (!strcmp(argv[i], "--offline")) {
            o.offline = 1;
        } else if (!strcmp(argv[i], "--refresh")) {
            o.refresh = 1;
        } else if (!strcmp(argv[i], "--names-only")) {
            o.names_only = 1;
        } else if (!strcmp(argv[i], "--json")) {
            o.json = 1;
        } else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
            o.quiet = 1;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(check_usage, stdout);
            return PG_EXIT_OK;
        } else {
            pg_gate_errorf("pkggate check: unknown option '%s'", argv[i]);
            fputs(check_usage, stderr);
            return PG_EXIT_USAGE;
        }
    }
    if (!eco || (strcmp(eco, "npm") && strcmp(eco, "pypi")) || i >= argc) {
        fprintf(stderr, "pkggate check: %s\n%s",
                !eco ? "say --ecosystem npm or --ecosystem pypi"
                : i >= argc ? "name at least one package" : "the ecosystem is npm or pypi",
                check_usage);
        return PG_EXIT_USAGE;
    }
    bad = parse_specs(&o, strcmp(eco, "npm") ? PG_ECO_PYPI : PG_ECO_NPM, argc - i, argv + i,
                      &cmd);
    rc = PG_EXIT_FAILED;
    if (cmd.reqs.n == 0)
        rc = PG_EXIT_OK; /* every name was malformed: nothing to ask the policy */
    else if (pg_gate_load_policy(&pol, o.offline ? PG_GATE_OFFLINE : 0) == 0)
        rc = pg_gate_decide(&o, pol, &cmd, &cmd.reqs);
    /* The worst outcome wins: a failure (11) over a malformed name (10). */
    if (bad && rc == PG_EXIT_OK)
        rc = PG_EXIT_BLOCKED;
    if (bad)
        fprintf(stderr, "pkggate: %zu name%s could not be read\n", bad, bad == 1 ? "" : "s");
    pg_policy_free(pol);
    pg_cmd_release(&cmd);
    return rc;
}
