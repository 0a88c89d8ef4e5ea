/*
 * python's argv: the interpreter's options skipped, pip's read by pip's
 * reader. See the header.
 */
#include <string.h>

#include "pg_pipargs.h"
#include "pg_pyargs.h"
#include "pg_route_python.h"
#include "banned.h"

/*
 * After an unknown option the grammar is lost (it may take a value), so
 * look for the words that would start pip: "-m" "pip", or "-mpip".
 */
static int find_pip(int argc, char *const argv[], int from)
{
    for (int i = from; i < argc; i++) {
        if (strcmp(argv[i], "-m") == 0 && i + 1 < argc &&
            (strcmp(argv[i + 1], "pip") == 0 || strcmp(argv[i + 1], "pip.__main__") == 0))
            return i + 1;
        if (strcmp(argv[i], "-mpip") == 0)
            return i;
    }
    return -1;
}

static int parse_pip(struct pg_cmd *cmd, int argc, char *const argv[], int at, const char *cwd,
                     struct pg_err *err)
{
    cmd->tool = PG_TOOL_PIP;
    return pg_pipargs_parse(cmd, argc - at, argv + at, cwd, err);
}

int pg_pyargs_parse(struct pg_cmd *cmd, int argc, char *const argv[], const char *cwd,
                    struct pg_err *err)
{
    int at, pip;

    switch (pg_pyscan(argc, argv, &at)) {
    case PG_PY_PIP:
        return parse_pip(cmd, argc, argv, at, cwd, err);
    case PG_PY_UNSURE:
        /* What the shim passes straight on is no install here either. */
        if (!pg_route_python(argc, argv))
            break;
        pg_strlist_push(&cmd->unknown, argv[at]);
        pip = find_pip(argc, argv, at + 1);
        if (pip > 0 && parse_pip(cmd, argc, argv, pip, cwd, err) < 0)
            return -1;
        /* An unknown option alone still goes to the policy's unknown_arguments. */
        cmd->installs = 1;
        return 0;
    case PG_PY_OTHER:
        break;
    }
    cmd->installs = 0;
    return 0;
}
