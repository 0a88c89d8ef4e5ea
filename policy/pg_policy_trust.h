/*
 * pg_policy_trust.h - which project and $PKGGATE_POLICY files the user
 * trusts; inside policy/ (the public side is in pg_policy.h, "Trust").
 *
 * The record is STATE_DIR/trusted, one line per file:
 *   <sha256 of the content, 64 hex digits> <real path>
 * written 0600 and atomically (a temporary file renamed over it). A record
 * that is not a regular file of the running user, or that group or others
 * can write, trusts nothing. Lines that do not parse are ignored on
 * reading and dropped on the next write.
 */
#ifndef PG_POLICY_TRUST_H
#define PG_POLICY_TRUST_H

#include <stddef.h>

#include "pg_err.h"

/* The real path of path (realpath), or NULL when it has none. Caller frees. */
char *pg_policy_trust_canon(const char *path);
/*
 * 1 when STATE_DIR/trusted holds canon with the SHA-256 of text (len
 * bytes), else 0: also when state_dir or canon is NULL or the record
 * cannot be read. Never an error: an untrusted file still applies what
 * tightens.
 */
int pg_policy_trust_known(const char *state_dir, const char *canon, const char *text, size_t len);
/*
 * Record canon with the SHA-256 of text (len bytes), replacing what was
 * recorded for canon; state_dir is created (0700) if need be. 0 or -1.
 */
int pg_policy_trust_record(const char *state_dir, const char *canon, const char *text, size_t len,
                           struct pg_err *err);
/* Drop canon's lines: 1 when there were some, 0 when not, -1 on error. */
int pg_policy_trust_forget(const char *state_dir, const char *canon, struct pg_err *err);

#endif
