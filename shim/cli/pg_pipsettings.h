/*
 * pg_pipsettings.h - pip's settings outside argv, applied to the command.
 *
 * pip reads options from PIP_* variables and pip.conf as well as from argv
 * (pg_pipconf.h names every file and the order). The ones that change
 * which version pip installs are applied to cmd as pip applies them:
 *   pre, prefer-binary     strtobool values, or'ed with argv's flags
 *   only-binary, no-binary  put before argv's in cmd->formats
 *   requirement, constraint files read (relative to cwd), as -r / -c
 * and then every constraint narrows the specifier of the requirement it
 * names (pip intersects them), and cmd->python is the real pip's Python.
 * index-url, extra-index-url, find-links, no-index and cert are read by
 * pg_regconf. A setting pip's option table marks as changing what is
 * installed in a way pkggate does not model (PG_PIPACT_UNSEEN: platform,
 * python-version, ignore-requires-python, ...; editable) and a remote
 * find-links page go to cmd->unknown as "--name (set in WHERE)", for the
 * policy's unknown_arguments. Options the table marks harmless are ignored,
 * as from argv; names that are no pip option are ignored, as pip does.
 */
#ifndef PG_PIPSETTINGS_H
#define PG_PIPSETTINGS_H

#include "pg_cmd.h"
#include "pg_err.h"

/*
 * tool_path: the real pip (its Python's site pip.conf and version); cwd
 * absolute. -1 with err for what makes pip itself fail (an invalid boolean,
 * an unreadable requirement file). A pip configuration that cannot be read
 * is left to pg_regconf, which makes every package undecidable.
 */
int pg_pipsettings_apply(struct pg_cmd *cmd, const char *tool_path, const char *cwd,
                         struct pg_err *err);

#endif
