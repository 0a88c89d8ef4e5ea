/*
 * pkggate policy show | keygen | sign | verify
 */
#include <stdio.h>
#include <string.h>

#include "cmd_sign.h"
#include "pg_exit.h"
#include "pg_gate.h"
#include "pg_main.h"
#include "banned.h"

static const char policy_usage[] =
    "usage: pkggate policy <show|keygen|sign|verify> [options]\n"
    "\n"
    "  show     print the merged policy in force here and the layer each value\n"
    "           comes from (built-in, /etc/pkggate/policy.json, the user file,\n"
    "           the nearest .pkggate.json, $PKGGATE_POLICY)\n"
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

int pg_main_policy(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(policy_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? PG_EXIT_USAGE : PG_EXIT_OK;
    }
    if (!strcmp(argv[1], "show"))
        return policy_show();
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
