/*
 * pg_policy.h - the layered policy file.
 *
 * A policy is JSON. Layers, lowest first:
 *   1. the built-in default (pg_policy_default_json())
 *   2. the system/org file  /etc/pkggate/policy.json
 *   3. the user file        $XDG_CONFIG_HOME/pkggate/policy.json (~/.config/...)
 *   4. the project file     the nearest .pkggate.json at or above the cwd
 *   5. the file named by    $PKGGATE_POLICY
 * A missing file is skipped (except $PKGGATE_POLICY, which must exist).
 * Later layers override earlier ones key by key, except that a key listed in
 * an earlier layer's "locked" array may only be made stricter afterwards;
 * an attempt to loosen it is an error naming both files.
 *
 * Schema (every key optional; unknown keys are errors with a "did you mean"):
 *   "mode":               "enforce" | "warn" | "audit"
 *   "undecidable":        "block" | "warn" | "allow"  (a rule that cannot be
 *                          decided: registry down, no publish time)
 *   "unknown_arguments":  "block" | "pass"
 *   "allow":  [ "pkg:npm/@myorg/[glob]", {"package": PURL, "reason": S, "expires": DATE}, ... ]
 *   "deny":   [ "pkg:npm/left-pad", {"package": PURL, "reason": S}, ... ]
 *   "rules": { "<rule>": { "action": "block"|"warn"|"off", ...rule keys } }
 *   "exceptions": [ {"package": PURL, "rules": ["min_version_age"],
 *                    "reason": S, "expires": "2026-12-31"} ]
 *   "locked": [ "mode", "rules.min_version_age", "deny", ... ]
 * PURL patterns: pkg:<npm|pypi>/<name>[@<version range>]; name may hold '*'
 * globs; PyPI names are compared PEP 503-normalised, npm names as written.
 *
 * Ownership: a struct pg_policy owns everything reachable from it; strings
 * returned by getters live as long as the policy.
 */
#ifndef PG_POLICY_H
#define PG_POLICY_H

#include <stdint.h>
#include <time.h>

#include "pg_err.h"
#include "pg_req.h"
#include "pg_util.h"

enum pg_mode {
    PG_MODE_AUDIT,   /* decide and log, never block, print nothing */
    PG_MODE_WARN,    /* blocks are reported as warnings; the install goes on */
    PG_MODE_ENFORCE, /* blocks block */
};

/* Ordered by strictness so that tightening is `new >= old`. */
enum pg_action {
    PG_ACT_OFF,   /* also "allow" / "pass" where the key uses those words */
    PG_ACT_WARN,
    PG_ACT_BLOCK,
};

struct pg_policy;

/* Where to look for layers 2-5; NULL skips a layer. */
struct pg_policy_paths {
    const char *system; /* default "/etc/pkggate/policy.json" */
    const char *user;   /* $XDG_CONFIG_HOME/pkggate/policy.json */
    const char *cwd;    /* start of the upward search for .pkggate.json */
    const char *env;    /* $PKGGATE_POLICY */
};

/* Fill paths from the process environment (the caller passes getenv). */
void pg_policy_paths_from_env(struct pg_policy_paths *p, char *buf, size_t bufsz,
                              const char *(*get)(const char *));

/* Load and merge all layers. Errors: "FILE:LINE:COL: message". */
int pg_policy_load(struct pg_policy **out, const struct pg_policy_paths *paths,
                   struct pg_err *err) PG_WARN_UNUSED;
/*
 * Merge in-memory layers onto the built-in default, for tests and for
 * fetched org policies: texts[i] is JSON, names[i] what errors call it.
 */
int pg_policy_load_strings(struct pg_policy **out, const char *const *texts,
                           const char *const *names, size_t n,
                           struct pg_err *err) PG_WARN_UNUSED;
void pg_policy_free(struct pg_policy *pol);

const char *pg_policy_default_json(void);

enum pg_mode pg_policy_mode(const struct pg_policy *pol);
enum pg_action pg_policy_undecidable(const struct pg_policy *pol);
enum pg_action pg_policy_unknown_arguments(const struct pg_policy *pol); /* OFF = pass */

/* rules.<rule>.action; a rule the policy does not mention is PG_ACT_OFF. */
enum pg_action pg_policy_action(const struct pg_policy *pol, const char *rule);
/* rules.<rule>.<key> as a duration in seconds ("48h", "7d", "90m", "P7D"); def if unset. */
int64_t pg_policy_duration(const struct pg_policy *pol, const char *rule, const char *key,
                           int64_t def);
int pg_policy_bool(const struct pg_policy *pol, const char *rule, const char *key, int def);
double pg_policy_number(const struct pg_policy *pol, const char *rule, const char *key,
                        double def);
/* rules.<rule>.<key> as a list of strings; n = 0 if unset. Strings owned by pol. */
const char *const *pg_policy_strings(const struct pg_policy *pol, const char *rule,
                                     const char *key, size_t *n);

/*
 * List matches. version may be NULL (not resolved yet): a pattern with a
 * version range then does not match. On a match, *why gets the pattern text
 * plus reason when the entry has one (owned by pol); returns 1, else 0.
 */
int pg_policy_denied(const struct pg_policy *pol, enum pg_eco eco, const char *name,
                     const char *version, const char **why);
int pg_policy_allowed(const struct pg_policy *pol, enum pg_eco eco, const char *name,
                      const char *version, time_t now, const char **why);
/* An unexpired exception covering `rule` for this package; returns its reason. */
const char *pg_policy_exempt(const struct pg_policy *pol, enum pg_eco eco, const char *name,
                             const char *version, const char *rule, time_t now);

/* The merged policy as JSON with, per key, the layer it came from. */
void pg_policy_show(const struct pg_policy *pol, struct pg_sb *out);
/* The layer files that were read, in order (for `pkggate doctor`). */
const char *const *pg_policy_layers(const struct pg_policy *pol, size_t *n);

const char *pg_mode_name(enum pg_mode m);
const char *pg_action_name(enum pg_action a);

#endif
