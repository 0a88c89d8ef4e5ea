/*
 * The shim's router for pip: libc and constant tables only (see the header).
 *
 * It follows pip's own two-step parse (cli/main_parser.py): the main parser
 * reads general options until the first positional word, the subcommand;
 * then the command parser reads the whole argument list again, minus the
 * first word equal to the subcommand, with interspersed options allowed.
 */
#include <string.h>

#include "pg_route_pip.h"
#include "pg_pipopts.h"
#include "banned.h"

int pg_route_pip(int argc, char *const argv[])
{
    const struct pg_pipcmd *cmd;
    struct pg_pipopt_iter it;
    const struct pg_pipopt *o;
    const char *val, *word;
    /* No second readings: anything unsure before the subcommand goes to the checker. */
    struct pg_pipscan s = pg_pipscan_general(argc, argv, 1, 0, 0);
    int k = s.k, rm = -1, r;

    if (s.unsure)
        return 1;
    if (!pg_pipscan_installs(&s, argc, argv))
        return 0;
    cmd = pg_pipcmd_find(argv[k]);
    if (!cmd)
        return 1;
    if (!cmd->scope)
        return 0;
    /* pip removes the first argument equal to the subcommand, wherever. */
    for (int i = 1; i < argc && rm < 0; i++)
        if (strcmp(argv[i], argv[k]) == 0)
            rm = i;
    /* Only a -h that pip reads as an option stops an install-like command. */
    pg_pipopt_iter_init(&it, argc, argv, 1, rm, PG_PIPOPT_G | cmd->scope);
    for (;;) {
        r = pg_pipopt_next(&it, &o, &val, &word);
        if (r == PG_PIPEV_OPT && o->act == PG_PIPACT_HELP)
            return 0;
        if (r != PG_PIPEV_OPT && r != PG_PIPEV_ARG)
            return 1;
        if (it.dd)
            return 1;
    }
}
