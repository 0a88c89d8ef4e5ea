/*
 * pg_audit.h - the audit log: every decision, one JSON object per line.
 *
 * $PKGGATE_AUDIT_LOG names the file ("off" disables it); by default
 * $XDG_STATE_HOME/pkggate/audit.jsonl (~/.local/state/pkggate/audit.jsonl).
 * The directory is created 0700 and the file 0600; each line is one
 * O_APPEND write(), so concurrent pkggate processes do not interleave.
 * Lines never hold argv or URLs (they can carry tokens), only decisions.
 */
#ifndef PG_AUDIT_H
#define PG_AUDIT_H

#include <stddef.h>

/* Append text (whole lines). Returns 0, or -1 after printing a warning. */
int pg_audit_append(const char *text, size_t len);

#endif
