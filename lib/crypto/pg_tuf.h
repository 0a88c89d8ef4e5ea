/*
 * pg_tuf.h - a TUF client (The Update Framework, spec 1.0) for one target
 * of sigstore's TUF repository: trusted_root.json.
 *
 * Two layers:
 *  - primitives (pg_tuf.c): OLPC canonical JSON as securesystemslib writes
 *    it (sorted keys, no whitespace, only '"' and '\\' escaped, integers
 *    only), the form every TUF signature is made over; and a role's
 *    signature threshold, counted over distinct key ids the role lists,
 *    with ECDSA P-256 (keytype "ecdsa" or "ecdsa-sha2-nistp256", PEM key,
 *    hex DER signature) and Ed25519 (hex key, hex signature) keys. Keys of
 *    other types are ignored: they never count toward a threshold.
 *  - the update (pg_tuf_client.c), TUF's client workflow (spec 5.3-5.7):
 *      1. start from the trusted root: the one stored by the last update,
 *         else the initial root the caller pins (pkggate ships sigstore's);
 *      2. fetch N+1.root.json, N+2... until 404: each must be signed by a
 *         threshold of the current root's root keys AND of its own, with
 *         version exactly N+1; at most PG_TUF_MAX_ROTATIONS per update;
 *      3. the final root must not be expired; if it changed the timestamp
 *         or snapshot keys, the stored timestamp/snapshot are forgotten;
 *      4. timestamp.json: signed by the timestamp role, not expired, its
 *         version and its snapshot version never below the stored ones;
 *      5. snapshot (N.snapshot.json with consistent snapshots): length and
 *         hashes as the timestamp states (when it does), signed, version as
 *         the timestamp says, no targets file's version below the stored
 *         snapshot's, none removed, not expired;
 *      6. targets (N.targets.json): likewise against the snapshot;
 *      7. the target, found in the top-level targets only (delegations
 *         are never followed: sigstore lists trusted_root.json at the top
 *         level; a target only a delegation names is refused): fetched as
 *         targets/<sha256>.<name>, its length and every hash given (sha256,
 *         sha512; at least one) must match.
 *    Every document is parsed with jansson (duplicate keys refused) and
 *    size-capped; nothing is written unless every step passed. Then the
 *    state directory gets root.json, timestamp.json, snapshot.json,
 *    targets.json and the target, each by a 0600 temporary file and rename.
 *
 * Not done: delegated targets, TAP 4 map files, fast-forward attack
 * recovery beyond the spec's "forget on key rotation" rule.
 */
#ifndef PG_TUF_H
#define PG_TUF_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "pg_err.h"
#include "pg_util.h"

#define PG_TUF_MAX_META      ((size_t)2 << 20) /* sigstore's are 2-20 KiB */
#define PG_TUF_MAX_TARGET    ((size_t)1 << 20)
#define PG_TUF_MAX_ROTATIONS 32 /* python-tuf's max_root_rotations */

/* sigstore's public-good TUF repository (its CDN). */
#define PG_TUF_SIGSTORE_URL "https://tuf-repo-cdn.sigstore.dev"

/*
 * Append v's canonical form to out. Fails on a real number (TUF has
 * none) and on nesting deeper than 64. NUL inside a string is written as
 * the byte it is, as Python's str would be.
 */
int pg_tuf_canonical(const json_t *v, struct pg_sb *out, struct pg_err *err) PG_WARN_UNUSED;

/*
 * Parse one metadata document: an object with "signed" (an object whose
 * "_type" is type) and "signatures" (an array); "version" a positive
 * integer and "expires" a date-time. *out is a new reference.
 */
int pg_tuf_parse(const char *text, size_t len, const char *type, json_t **out,
                 struct pg_err *err) PG_WARN_UNUSED;

/* signed.version and signed.expires (Unix seconds) of a parsed document. */
int64_t pg_tuf_version(const json_t *doc);
int64_t pg_tuf_expires(const json_t *doc);

/*
 * Whether doc's "signed" carries at least the threshold of valid
 * signatures by distinct keys of role in root (a parsed root document).
 * 0, or -1 with err naming the role and the count found.
 */
int pg_tuf_verify_role(const json_t *root, const char *role, const json_t *doc,
                       struct pg_err *err) PG_WARN_UNUSED;

/*
 * Fetch one URL for the update: 0 with *body (caller frees) and *len; or 0
 * with *body NULL when the server says 404 (no such file); or -1 and err.
 * Bodies over max bytes are an error.
 */
struct pg_tuf_fetcher {
    int (*get)(void *arg, const char *url, size_t max, char **body, size_t *len,
               struct pg_err *err);
    void *arg;
};

struct pg_tuf_update {
    /* inputs, borrowed */
    const char *url;          /* repository base URL, no trailing slash needed */
    const char *state_dir;    /* created 0700 if missing */
    const char *initial_root; /* root.json to start from when none is stored */
    size_t initial_len;
    const char *target;       /* "trusted_root.json" */
    /* [NULL] the target must also pass this (sigstore: it parses as a
     * trusted root) before anything is stored */
    int (*check)(const char *data, size_t len, struct pg_err *err);
    int64_t now;              /* Unix seconds */
    struct pg_tuf_fetcher fetch;
    /* results */
    int64_t root_version, targets_version;
    int root_rotations;       /* roots applied by this update */
    int target_changed;       /* the stored target's content changed */
};

/* Run the update described above. -1 with a one-line err leaves the state as it was. */
int pg_tuf_update_run(struct pg_tuf_update *u, struct pg_err *err) PG_WARN_UNUSED;

/*
 * What the last update stored in state_dir: the target's bytes (*text,
 * caller frees), the targets version that listed it and the repository
 * URL it came from (caller frees). The stored target's length and sha256
 * are checked against the stored targets.json again. -1 and err when
 * nothing usable is stored.
 */
int pg_tuf_stored(const char *state_dir, const char *target, char **text, size_t *len,
                  int64_t *targets_version, char **url, struct pg_err *err) PG_WARN_UNUSED;

#endif
