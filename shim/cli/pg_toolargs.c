/*
 * pg_toolargs.c - the argv reader of each tool, from pg_tools.def.
 */
#include "pg_toolargs.h"
#include "banned.h"

/* The readers' prototypes come from the table too: one list, no drift. */
#define PG_TOOL(id, name, eco, route, parse, regconf)                                              \
    int parse(struct pg_cmd *cmd, int argc, char *const argv[], const char *cwd,                   \
              struct pg_err *err);
#define PG_TOOL_ALIAS(id, name, match)
#include "pg_tools.def"

static int (*const readers[PG_TOOL_COUNT])(struct pg_cmd *, int, char *const[], const char *,
                                           struct pg_err *) = {
#define PG_TOOL(id, name, eco, route, parse, regconf) [id] = parse,
#define PG_TOOL_ALIAS(id, name, match)
#include "pg_tools.def"
};

int pg_toolargs_parse(struct pg_cmd *cmd, int argc, char *const argv[], const char *cwd,
                      struct pg_err *err)
{
    if ((unsigned)cmd->tool >= PG_TOOL_COUNT)
        return pg_err_set(err, "no argv reader for this tool");
    return readers[cmd->tool](cmd, argc, argv, cwd, err);
}
