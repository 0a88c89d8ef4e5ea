/*
 * pg_pyargs.h - `python [options] -m pip ...` read as the pip command it is.
 */
#ifndef PG_PYARGS_H
#define PG_PYARGS_H

#include "pg_cmd.h"
#include "pg_err.h"

/*
 * Parse a python start (argv[0] is the interpreter as run: python3,
 * /venv/bin/python) into cmd, pg_cmd_init()'d with PG_TOOL_PYTHON.
 *
 * The interpreter's options are skipped with the shim's own scan
 * (pg_pyscan, so the router and the reader cannot disagree). `-m pip`
 * then makes cmd a pip command: cmd->tool becomes PG_TOOL_PIP and the rest
 * is read by pg_pipargs_parse, so everything after this (registry
 * configuration, PIP_REQUIREMENT, messages, the audit log) treats it as pip.
 * The interpreter's options do not change what pip fetches (-I and -E drop
 * PYTHON* variables, not PIP_* ones; -s hides the user site, not an index).
 *
 * Any other start installs nothing (installs = 0), except when an option
 * this reader does not know comes first and a later word mentions pip (the
 * shim routes exactly those): then the option goes to cmd->unknown
 * (policy `unknown_arguments` decides, `block` by default), and a later
 * `-m pip` or `-mpip` is read as pip too, so "pass" still checks packages.
 * Returns 0, or -1 with err set by pg_pipargs_parse.
 */
int pg_pyargs_parse(struct pg_cmd *cmd, int argc, char *const argv[], const char *cwd,
                    struct pg_err *err);

#endif
