/*
 * pg_route_pip.h - the shim's cheap question about a pip command line.
 *
 * Kept apart from pg_pipargs.h so the libc-only shim can include it: the
 * implementation uses nothing but libc and pg_pipopts.h.
 */
#ifndef PG_ROUTE_PIP_H
#define PG_ROUTE_PIP_H

/*
 * 1 if `pip argv[1..]` could fetch or install anything (hand it to the full
 * checker), 0 if it certainly cannot (exec the real pip directly). argv[0]
 * is the name pip was invoked as and is not looked at. Pure argv scan: no
 * allocation, no I/O, no environment.
 *
 * Conservative: an option pip does not know or an ambiguous abbreviation
 * before the subcommand, an unknown subcommand, or an unknown option
 * before -h in an install/download/wheel/lock command all give 1.
 * 0 for: no subcommand (help), -h/--help or -V/--version before the
 * subcommand, the subcommands that do not fetch packages (list, show,
 * freeze, uninstall, help, config, cache, ...), and install-like commands
 * asking only for -h/--help.
 */
int pg_route_pip(int argc, char *const argv[]);

#endif
