/*
 * pg_child.h - running the real tool as a child and waiting for it: for
 * the installs whose result pkggate reads afterwards (pg_landed.h,
 * pg_child_run), and for a question asked of the tool before (npm's
 * --dry-run, pg_npmdry.h: pg_child_capture).
 *
 * Everything else is a plain exec (pg_realtool_exec): no process stays
 * between the person and the tool. When pkggate has to stay for an
 * install, it must be invisible: signals sent to pkggate reach the tool,
 * and pkggate ends the way the tool ended (its exit status, or death by
 * the same signal). A question forwards no signal: its child dies with
 * pkggate instead.
 *
 * Signals a terminal sends (Ctrl-C, Ctrl-\) go to the whole foreground
 * process group, the tool included, so they are not sent again; signals
 * sent with kill(2) (`timeout`, a CI runner, `kill PID`) are forwarded:
 * HUP, INT, QUIT, TERM, USR1, USR2, ALRM. Job control (TSTP, CONT) acts on
 * both processes as usual. No handler and no global: the signals are
 * blocked and taken with sigwaitinfo(2).
 */
#ifndef PG_CHILD_H
#define PG_CHILD_H

#include "pg_realtool.h"
#include "pg_util.h"

/*
 * Run path with argv (pg_realtool_exec in the child, PKGGATE_SEEN = skip),
 * forward signals as above, and wait for it. meanwhile (may be NULL) is
 * called with arg once the child is started, before the wait: work that
 * need not delay the tool's start (a signal sent meanwhile is forwarded
 * when it returns). Returns 0 with *status set as waitpid(2) sets it, or
 * -1 with errno set when no child could start; a child whose exec fails
 * exits 127 after one line on stderr.
 */
int pg_child_run(const char *path, char *const argv[], const struct pg_selfset *skip,
                 void (*meanwhile)(void *), void *arg, int *status);

/*
 * End as the child ended: for death by a signal, raise that signal with
 * its default action (so a shell sees the same death; does not return for
 * a fatal one); otherwise, and if the signal did not end us, return the
 * exit code to use (the child's, or 128 + the signal).
 */
int pg_child_end_like(int status);

/*
 * Ask the tool a question: run path with argv (pg_realtool_exec in the
 * child, PKGGATE_SEEN = skip) with stdin and stderr on /dev/null and its
 * stdout appended to out, and wait for it. More than max bytes of output
 * kills it (SIGKILL) and fails with EFBIG. The child is sent SIGTERM
 * should pkggate die first, so no question outlives the command (its own
 * children are its business: npm ends its git on SIGTERM). Returns
 * 0 with *status set as waitpid(2) sets it, or -1 with errno set.
 */
int pg_child_capture(const char *path, char *const argv[], const struct pg_selfset *skip,
                     size_t max, struct pg_sb *out, int *status);

#endif
