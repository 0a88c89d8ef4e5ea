/*
 * pkggate policy show | trust | untrust | keygen | sign | verify
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_sign.h"
#include "pg_exit.h"
#include "pg_gate.h"
#include "pg_main.h"
#include "banned.h"

static const char policy_usage[] =
    "usage: pkggate policy <show|trust|untrust|keygen|sign|verify> [options]\n"
    "\n"
    "  show     print the merged policy in force here and the layer each value\n"
    "           comes from (built-in, /etc/pkggate/policy.json, the user file,\n"
    "           the nearest .pkggate.json, $PKGGATE_POLICY)\n"
    "  trust [FILE]    let FILE (default: the .pkggate.json that applies here)\n"
    "           loosen the policy, as it is now: changing it un-trusts it\n"
    "  untrust [FILE]  forget that FILE is trusted\n"
    "  keygen   -p KEY.pub -s KEY [-W]     make a minisign-compatible key pair\n"
    "  sign     -s KEY -m FILE [-x SIG]    sign an org policy file\n"
    "  verify   -p KEY.pub -m FILE [-x SIG] check a signature (exit 0 only if good)\n";

static int policy_show(void)
{
    struct pg_policy *pol = NULL;
    struct pg_sb out = PG_SB_INIT;

    if (pg_gate_load_policy(&pol, 0) < 0)
        return PG_EXIT_FAILED;
    pg_policy_show(pol, &out);
    fputs(pg_sb_str(&out), stdout);
    pg_sb_release(&out);
    pg_policy_free(pol);
    return PG_EXIT_OK;
}

static const char *env_get(const char *name)
{
    return getenv(name);
}

/* FILE as given, or the project file that applies in the current directory. */
static const char *target(int argc, char **argv, const struct pg_policy_paths *paths,
                          struct pg_sb *found)
{
    if (argc > 3 || (argc == 3 && (argv[2][0] == '-' && strcmp(argv[2], "-") != 0))) {
        fprintf(stderr, "usage: pkggate policy %s [FILE]\n", argv[1]);
        return NULL;
    }
    if (argc == 3)
        return argv[2];
    if (paths->cwd && pg_policy_project_file(paths->cwd, found))
        return pg_sb_str(found);
    fprintf(stderr, "pkggate policy %s: no .pkggate.json here or above; name the file\n", argv[1]);
    return NULL;
}

/* trust [FILE] and untrust [FILE]. */
static int policy_trust(int argc, char **argv, int trust)
{
    struct pg_policy_paths paths;
    struct pg_err err = PG_ERR_INIT;
    struct pg_sb found = PG_SB_INIT;
    char *buf = pg_xmalloc(PG_POLICY_PATHS_BUFSZ), *canon = NULL;
    const char *file;
    int rc = PG_EXIT_USAGE, r;

    pg_policy_paths_from_env(&paths, buf, PG_POLICY_PATHS_BUFSZ, env_get);
    file = target(argc, argv, &paths, &found);
    if (!file)
        goto out;
    r = trust ? pg_policy_trust(&paths, file, &canon, &err)
              : pg_policy_untrust(&paths, file, &canon, &err);
    rc = r < 0 ? PG_EXIT_FAILED : PG_EXIT_OK;
    if (r < 0)
        fprintf(stderr, "pkggate policy %s: %s\n", argv[1], err.msg);
    else if (trust)
        printf("pkggate: trusted %s as it is now; any change to it un-trusts it\n", canon);
    else
        printf("pkggate: %s %s\n", canon, r ? "is no longer trusted" : "was not trusted");
out:
    free(canon);
    free(buf);
    pg_sb_release(&found);
    return rc;
}

int pg_main_policy(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(policy_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? PG_EXIT_USAGE : PG_EXIT_OK;
    }
    if (!strcmp(argv[1], "show"))
        return policy_show();
    if (!strcmp(argv[1], "trust") || !strcmp(argv[1], "untrust"))
        return policy_trust(argc, argv, !strcmp(argv[1], "trust"));
    if (!strcmp(argv[1], "keygen"))
        return pg_cmd_policy_keygen(argc - 1, argv + 1);
    if (!strcmp(argv[1], "sign"))
        return pg_cmd_policy_sign(argc - 1, argv + 1);
    if (!strcmp(argv[1], "verify"))
        return pg_cmd_policy_verify(argc - 1, argv + 1);
    pg_gate_errorf("pkggate policy: unknown subcommand '%s'", argv[1]);
    fputs(policy_usage, stderr);
    return PG_EXIT_USAGE;
}
