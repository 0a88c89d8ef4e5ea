/*
 * pg_gate.h - the part of `pkggate run` and `pkggate check` they share:
 * load the policy, decide every requested package, tell the person (stderr)
 * or the machine (--json, stdout), append to the audit log, and say whether
 * the command may go on.
 */
#ifndef PG_GATE_H
#define PG_GATE_H

#include <stdio.h>

#include "pg_cmd.h"
#include "pg_policy.h"
#include "pg_realtool.h"
#include "pg_strmap.h"

struct pg_gate_opts {
    int json;            /* one JSON object per package on stdout */
    FILE *json_fp;       /* --json-out: those objects go here instead; NULL: see json */
    struct pg_sb *blocks; /* if not NULL, gets the lines of blocked packages (for
                          * the error object of `npm install --json`) */
    int quiet;           /* no human lines (still logged) */
    int offline;         /* no network: registry answers from the cache only */
    int names_only;      /* no registry at all: only the name rules decide */
    int refresh;         /* ask the registry about everything now (check --refresh) */
    const char *tool;    /* "npm", "pip", ... for the audit log; NULL for check */
    const char *subcmd;  /* "install", ...; NULL for check */
    const char *real;    /* the real tool, for reading its registry configuration */
    struct pg_strmap *judged; /* if not NULL, gets pg_version_ident() of every package
                               * judged at a version, to compare with what lands */
    char *const *argv;        /* the tool's command line, and what its exec skips (the
                               * shims): for asking npm about packages on disk
                               * (pg_held.h); NULL for check */
    const struct pg_selfset *skip;
    struct pg_later *later;   /* if not NULL, gets the release of what the decision
                               * was made from, to run when it delays nobody (while
                               * the tool runs); else it is released before return */
};

/*
 * One piece of work put off until it costs nothing: freeing a decision's
 * packuments and tree (megabytes in thousands of blocks) while the tool
 * the person is waiting for runs. pg_later_run runs it (once); run it
 * before an exec too, which would otherwise drop it.
 */
struct pg_later {
    void (*fn)(void *);
    void *arg;
};
#define PG_LATER_INIT {NULL, NULL}
void pg_later_run(struct pg_later *l);

/* Flags of pg_gate_load_policy. */
#define PG_GATE_OFFLINE 1u /* a signed org policy served from a URL: the cache only */
#define PG_GATE_INSTALL 2u /* an install waits on it: errors add "(nothing was installed)" */

/*
 * Load the layered policy; on error print one line and return -1. flags:
 * PG_GATE_* (0 for `policy show`, `doctor`, `check` online).
 */
int pg_gate_load_policy(struct pg_policy **pol, unsigned flags);

/*
 * Decide every package of reqs under pol, asking the registries (in
 * parallel, through the cache) about those that come from one. cmd (may be
 * NULL) supplies registries named on the command line and pip --pre. Returns PG_EXIT_OK when the
 * command may proceed (allowed or only warned), PG_EXIT_BLOCKED when the
 * policy blocks at least one package, PG_EXIT_FAILED when pkggate could not
 * decide and fails closed.
 */
int pg_gate_decide(const struct pg_gate_opts *o, const struct pg_policy *pol,
                   const struct pg_cmd *cmd, const struct pg_reqlist *reqs);

/* Print the one-line "blocked" verdict for a whole command (unknown options). */
int pg_gate_block_command(const struct pg_gate_opts *o, const struct pg_policy *pol,
                          const char *rule, const char *message);

/*
 * Print one line on stderr: the formatted text, then '\n'. Arguments often
 * hold argv words, file names or package.json text, so the line is shown
 * with the secrets of URLs hidden (pg_redact_urls) and control characters
 * as '?' (pg_render_clean). Use it for every error and note pkggate
 * prints; fmt holds no '\n'.
 */
void pg_gate_errorf(const char *fmt, ...) PG_PRINTF(1, 2);

/* 1 when stderr is a TTY and NO_COLOR is unset. */
int pg_gate_color(void);

#endif
