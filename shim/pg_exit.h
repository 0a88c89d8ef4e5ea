/*
 * pg_exit.h - exit statuses scripts can rely on (README "Exit codes").
 *
 * Once the real tool is exec'd its own status is the status. pkggate's own
 * statuses avoid 1 and 2, which pip and npm use for their own failures.
 */
#ifndef PG_EXIT_H
#define PG_EXIT_H

#define PG_EXIT_OK      0
#define PG_EXIT_BLOCKED 10  /* the policy blocked at least one package */
#define PG_EXIT_FAILED  11  /* pkggate could not decide and failed closed */
#define PG_EXIT_USAGE   64  /* bad pkggate command line (sysexits EX_USAGE) */
#define PG_EXIT_NOTOOL  127 /* no real pip/npm/npx behind the shim */

#endif
