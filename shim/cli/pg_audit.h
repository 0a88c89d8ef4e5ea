/*
 * pg_audit.h - the audit log: every decision, one JSON object per line.
 *
 * $PKGGATE_AUDIT_LOG names the file ("off" disables it); by default
 * $XDG_STATE_HOME/pkggate/audit.jsonl (~/.local/state/pkggate/audit.jsonl).
 * The directory is created 0700 and the file 0600; each line is one
 * O_APPEND write(), so concurrent pkggate processes do not interleave.
 * Lines never hold argv or URLs (they can carry tokens), only decisions.
 * When the policy says "syslog": "on", the same lines also go to syslog
 * (pg_syslog.h), whether or not the file is "off".
 */
#ifndef PG_AUDIT_H
#define PG_AUDIT_H

#include <stddef.h>

/*
 * Append text (whole lines: one run's records) and, when to_syslog, send
 * them to syslog. Returns 0, or -1 after printing a warning; a log that
 * cannot be written never blocks an install.
 */
int pg_audit_append(const char *text, size_t len, int to_syslog);

/* The audit file's path into out: 0, or -1 when there is none (no HOME). "off" is a path here. */
int pg_audit_path(char *out, size_t outsz);

#endif
