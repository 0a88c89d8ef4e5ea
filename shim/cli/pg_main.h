/*
 * pg_main.h - the subcommands of the pkggate program.
 *
 * Each takes the arguments after the subcommand name (argv[0] is the
 * subcommand itself) and returns an exit status from pg_exit.h, or does not
 * return when it execs the real tool.
 */
#ifndef PG_MAIN_H
#define PG_MAIN_H

int pg_main_run(int argc, char **argv);
int pg_main_check(int argc, char **argv);
int pg_main_doctor(int argc, char **argv);
int pg_main_policy(int argc, char **argv);
int pg_main_allow(int argc, char **argv);
int pg_main_explain(int argc, char **argv);
int pg_main_report(int argc, char **argv);
int pg_main_trustroot(int argc, char **argv);

#endif
