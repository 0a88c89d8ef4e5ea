/*
 * pg_argconf.h - the command line's layer of the tool's own configuration.
 *
 * npm and pip read settings from argv as well as from their files and
 * environment, and those settings change where packages come from and
 * what credentials go there. The argv readers (pg_npmargs_parse,
 * pg_pipargs_parse) call these so that argv is read in shim/cli only and
 * the registry-config readers in lib/eco see struct pg_cmd alone.
 *
 * Both append to cmd->config (see pg_cmd.h for its form) and borrow argv
 * for the call. Values may be secrets (npm `--//host/:_authToken=...`):
 * cmd->config owns the only copies, wiped by pg_cmd_release().
 */
#ifndef PG_ARGCONF_H
#define PG_ARGCONF_H

#include "pg_cmd.h"

/*
 * npm and npx: every option npm reads, as "key=value" in npm's key names,
 * in argv order, read with pg_npmscan() (so an option means here what it
 * means to the router and the parser). Booleans become "key=true|false";
 * a string key given as a bare flag deletes the key, as nopt's clean()
 * does. npx: -p is --package, and the first bare word ends npx's options.
 */
void pg_argconf_npm(struct pg_cmd *cmd, int argc, char *const argv[]);

/*
 * pip: what the option fields of struct pg_cmd do not carry: "cert=PATH"
 * (--cert as pip reads it, general and subcommand options; the last one
 * wins) and "isolated" (the exact word --isolated anywhere, as pip's
 * main() looks for it).
 */
void pg_argconf_pip(struct pg_cmd *cmd, int argc, char *const argv[]);

#endif
