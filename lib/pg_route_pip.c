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

/*
 * The main parser's pass over the general options: 1/0 when that settles
 * it, else -1 with *k the index of the subcommand word.
 */
static int find_subcommand(int argc, char *const argv[], int *k)
{
    struct pg_pipopt_iter it;
    const struct pg_pipopt *o;
    const char *val, *word;
    int version = 0;

    pg_pipopt_iter_init(&it, argc, argv, 1, -1, PG_PIPOPT_G);
    for (;;) {
        switch (pg_pipopt_next(&it, &o, &val, &word)) {
        case PG_PIPEV_ARG:
            *k = it.i - 1;
            /* pip prints its version once the general options parsed. */
            return version ? 0 : -1;
        case PG_PIPEV_OPT:
            if (o->act == PG_PIPACT_HELP)
                return 0;
            version |= o->act == PG_PIPACT_VERSION;
            break;
        case PG_PIPEV_END:
        case PG_PIPEV_NOVALUE:
            return 0; /* no subcommand: help, or pip's usage error */
        default:
            return 1; /* unknown or ambiguous: maybe a newer pip's option */
        }
    }
}

int pg_route_pip(int argc, char *const argv[])
{
    const struct pg_pipcmd *cmd;
    struct pg_pipopt_iter it;
    const struct pg_pipopt *o;
    const char *val, *word;
    int k = argc, rm = -1, r;

    r = find_subcommand(argc, argv, &k);
    if (r >= 0)
        return r;
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
