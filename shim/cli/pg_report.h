/*
 * pg_report.h - what one gate run tells the person, the machine and the
 * audit log, given the verdicts one by one.
 *
 * Quiet by default (README "Output"): one verdict per package per run (a
 * name both on the command line and in package.json is judged once), a
 * warning about a package the person did not just name (it came from
 * package.json, a lockfile, a requirement file) once per project and
 * version (pg_once.h), notes once per registry per day, and a one-line
 * summary only when something was warned about or blocked. Blocks are
 * always shown, and so is a warning about a blocked package left on disk
 * (pg_held.h). The audit log gets every verdict of the run.
 *
 *     struct pg_report rep;
 *     pg_report_init(&rep, o, pol, project, now);
 *     for each verdict: pg_report_add(&rep, &v);
 *     pg_report_notes(&rep, lines);
 *     pg_report_finish(&rep);   (prints, appends to the audit log)
 *     pg_report_release(&rep);
 */
#ifndef PG_REPORT_H
#define PG_REPORT_H

#include <stdio.h>
#include <time.h>

#include "pg_cmd.h"
#include "pg_gate.h"
#include "pg_strmap.h"
#include "pg_verdict.h"

struct pg_report {
    const struct pg_gate_opts *o;
    enum pg_mode mode;
    int color;             /* colour the human lines (pg_gate_color) */
    int notes;             /* notes wanted (policy "notes", $PKGGATE_QUIET) */
    int syslog;            /* the audit records go to syslog too (policy "syslog") */
    char *project;         /* where "once per project" warnings are keyed */
    char *actx;            /* audit context: JSON object text, with the project */
    FILE *json;            /* verdict lines for a program, or NULL */
    struct pg_sb human;    /* stderr, printed by pg_report_finish */
    struct pg_sb audit;
    struct pg_strmap seen; /* "eco name version" of the verdicts reported */
    size_t packages, blocked, warned, repeats;
};

/* project: a directory (borrowed; copied). now: for the audit record. */
void pg_report_init(struct pg_report *r, const struct pg_gate_opts *o,
                    const struct pg_policy *pol, const char *project, int color,
                    time_t now);
/* Report v; 0 when it repeats a verdict already reported in this run. */
int pg_report_add(struct pg_report *r, const struct pg_verdict *v);
/*
 * Registry notes, "pkggate: note: ...\n" and "pkggate: warning: ...\n"
 * lines (pg_fetch_notes): each shown at most once a day; notes not at all
 * when they are not wanted.
 */
void pg_report_notes(struct pg_report *r, const char *lines);
/* Print the human lines and the summary; append the audit records. */
void pg_report_finish(struct pg_report *r);
void pg_report_release(struct pg_report *r);

/* The audit context of one run: when and what, never argv (caller frees). */
char *pg_report_audit_context(const struct pg_gate_opts *o, time_t now);

#endif
