/*
 * pg_toolargs.h - a tool's command line into struct pg_cmd, with the argv
 * reader pg_tools.def names for that tool (pg_pipargs_parse,
 * pg_npmargs_parse, ...), so callers need not know which reader that is.
 */
#ifndef PG_TOOLARGS_H
#define PG_TOOLARGS_H

#include "pg_cmd.h"
#include "pg_err.h"

/*
 * cmd must be pg_cmd_init()'d with its tool; argv[0] is the name the tool
 * ran as, cwd (absolute) where it runs. Returns what the reader returns:
 * 0, or -1 with err set; cmd is released by the caller either way.
 */
int pg_toolargs_parse(struct pg_cmd *cmd, int argc, char *const argv[], const char *cwd,
                      struct pg_err *err) PG_WARN_UNUSED;

#endif
