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
 * Layers 4 and 5 are someone else's files: what they loosen applies only
 * once the user trusts the file as it is (see "Trust" below).
 * Each file is at most 1 MiB and is read with duplicate keys refused.
 *
 * Merging: scalar keys override key by key (a rule's "age" can change while
 * its "action" stays); lists concatenate across layers (allow, deny,
 * exceptions, and the lists inside rules: typosquat.extra_popular,
 * typosquat.ignore, install_scripts.allow).
 *
 * Locks: "locked" names keys that later layers may only make stricter
 * (which way is stricter is a column of the schema table, enum pg_tight in
 * pg_policy_schema.h; trust of layers 4 and 5 reads the same column):
 *   "mode", "undecidable", "unknown_arguments", "syslog", "timeout", "deadline",
 *   "revalidate", "allow", "deny", "exceptions", "rules" (every rule key), "rules.<rule>" (all its keys),
 *   "rules.<rule>.<key>".
 * A layer's locks bind the layers after it, not itself, and accumulate
 * (the first layer to lock a key is the one named in messages). Stricter:
 *   mode enforce > warn > audit; undecidable block > warn > allow;
 *   unknown_arguments block > pass; action block > warn > off;
 *   ages (min_version_age.age, min_package_age.age) only longer;
 *   require_keys only true; popularity_ratio only lower;
 *   timeout, deadline and revalidate only shorter (the lock caps how long pkggate may
 *   wait; what a timeout leads to is governed by "undecidable", which can
 *   be locked too);
 *   allow, exceptions, typosquat.ignore, install_scripts.allow take no new
 *   entries (entries there loosen); deny and typosquat.extra_popular may
 *   still grow. Equal values are fine. A loosening attempt is an error:
 *   "FILE:LINE:COL: 'rules.min_version_age.age' is locked by
 *   /etc/pkggate/policy.json and may only be tightened (48h -> 1h)".
 *
 * Schema (every key optional; unknown keys are errors with a "did you
 * mean"; keys starting with '_' or '$' are comments and ignored anywhere):
 *   "mode":               "enforce" | "warn" | "audit"
 *   "undecidable":        "block" | "warn" | "allow"  (a rule that cannot be
 *                          decided: registry down, no publish time)
 *   "unknown_arguments":  "block" | "pass"
 *   "insecure_registries": "warn" | "block"  (a registry the tool's own
 *                          configuration names over plain http, off
 *                          loopback: said once a day, or refused)
 *   "notes":              "on" | "off"  (informational notes, such as a
 *                          registry without signing keys; $PKGGATE_QUIET=1
 *                          silences them too)
 *   "syslog":             "off" | "on"  (every decision also goes to the
 *                          local syslog socket; an org layer can lock
 *                          "on" so no later layer turns it off)
 *   "timeout":            registry request timeout, a duration (see
 *                          pg_duration.h: "20s", "2m", "PT30S", or seconds)
 *   "deadline":           all registry requests of one run together, a
 *                          duration (default "2m"): "timeout" applies to
 *                          each request, so many slow answers in a row
 *                          could add up without it; what is outstanding
 *                          then is undecidable ("the whole check took
 *                          longer than the deadline (2m)")
 *   "revalidate":         how old the cached facts of a version a lockfile
 *                          pins may be before the registry is asked again,
 *                          a duration (default "1d"): what can change about
 *                          a published version (deprecation, yanking,
 *                          unpublishing) is seen at most this late
 *   "allow":  [ "pkg:npm/@myorg/[glob]", {"package": PURL, "reason": S, "expires": DATE}, ... ]
 *   "deny":   [ "pkg:npm/left-pad", {"package": PURL, "reason": S}, ... ]
 *             (deny entries cannot expire: pg_policy_denied takes no time)
 *   "rules": { "<rule>": { "action": "block"|"warn"|"off", ...rule keys } }
 *   "exceptions": [ {"package": PURL, "rules": ["min_version_age"] or "*",
 *                    "reason": S (required), "expires": "2026-12-31"} ]
 *   "locked": [ "mode", "rules.min_version_age", "deny", ... ]
 * DATE is "YYYY-MM-DD" (the entry applies through the end of that day, UTC)
 * or RFC 3339 ("2026-12-31T18:00:00Z", "...+02:00"); an expired allow entry
 * or exception no longer applies.
 * Rules and their keys (the rules are listed once, in pg_rules.def; the
 * defaults of their keys are in pg_default_policy.c):
 *   non_registry_source  action
 *   typosquat            action, extra_popular [purl names, no globs],
 *                        ignore [purl patterns], popularity_ratio (number > 0)
 *   unknown_package      action
 *   min_version_age      action, age (duration)
 *   min_package_age      action, age (duration)
 *   deprecated, yanked, quarantined, provenance_downgrade, publisher_change,
 *   integrity, index_confusion
 *                        action
 *   install_scripts      action, allow [purl patterns allowed to run scripts]
 *   registry_signature   action, require_keys (bool)
 * PURL patterns: pkg:<npm|pypi>/<name>[@<version range>]; name may hold '*'
 * globs; PyPI names are compared PEP 503-normalised, npm names as written.
 * See pg_purl.h for the full syntax.
 *
 * Signed org policy (issue 5). The org layer (layer 2) can be required to
 * carry a minisign signature by a pinned key. The pin lives in the anchor,
 * /etc/pkggate/org.json, which is root's: it must be a regular file that
 * neither group nor others can write, owned by root or by the running user.
 * It is never read from the user or project layers, the environment or the
 * cache, and the paths of the anchor and org layer are compiled in
 * (pg_policy_paths_from_env never takes them from the environment, so no
 * variable can move them; tests inject them through struct pg_policy_paths).
 *
 *   {
 *     "public_key": "RWQ...",   (or a list of up to 8, for key rotation:
 *                                the minisign .pub base64 line)
 *     "url": "https://policy.example.com/pkggate/policy.json",  (optional)
 *     "signature_url": "...",   (default: url + ".minisig"; required when
 *                                url has a query)
 *     "refresh": "5m",          (how long a fetched copy is used before it
 *                                is revalidated with its ETag; "0": always)
 *     "timeout": "10s",         (the whole fetch)
 *     "cafile": "/etc/pkggate/ca.pem"  (CAs for the policy server)
 *   }
 *
 * Keys starting with '_' or '$' are comments; anything else is an error.
 * With an anchor, the org layer is the file at paths->system, with
 * SYSTEM.minisig beside it, or, when "url" is set, the document at that
 * URL (with its .minisig); the local system file is then not read. Either
 * way the org layer must exist and must verify:
 *   1. the .minisig parses and claims a pinned key ("signature by key X,
 *      expected Y"); only pre-hashed ("ED") signatures are accepted, as
 *      minisign and `pkggate policy sign` make by default;
 *   2. the signature and the trusted comment verify (pg_minisign_verify);
 *   3. the trusted comment's expires:, if any, is later than now ("signature
 *      expired on 2026-01-01");
 *   4. its serial: (0 when absent) is not lower than the highest serial
 *      accepted before for that key ("serial 3 is older than the last
 *      accepted serial 5 (rollback?)").
 * Only then is the JSON parsed. Every failure is an error naming the org
 * layer ("org policy /etc/pkggate/policy.json: not signed (expected
 * policy.json.minisig)"); there is never a fallback to an unsigned or
 * older file. When the whole policy loaded, a higher serial is remembered
 * in paths->state_dir/org-serial-<KEYID> (0600, written atomically). That
 * file belongs to the user, who can delete it: rollback protection guards
 * against a stale mirror or a replayed older signed file, not against the
 * local user. A state file that cannot be written is skipped (the policy
 * still loads); one that exists but does not hold a serial is an error.
 *
 * A fetched org policy goes through pg_http and its ETag cache in
 * paths->cache_dir. Cached copies are verified on every load like fresh
 * ones. If the pair does not verify and part of it came from the cache, it
 * is fetched again, revalidating both (a server may have been updated
 * between the two GETs). If the network fails (no connection, timeout,
 * HTTP 5xx), the cached pair is used if it still verifies, has not expired
 * and is not older than the last accepted serial (pg_policy_org_info then
 * says so); otherwise it is an error. An answer that is not 200 for the
 * policy, or 404 for the signature, is an error, not a reason to use the
 * cache. paths->offline reads the cache only.
 *
 * Errors name the place: "FILE:LINE:COL: message", where FILE is the path
 * (or the name given to pg_policy_load_strings) and LINE:COL point at the
 * offending key or value (1-based, columns in characters).
 *
 * Ownership: a struct pg_policy owns everything reachable from it; strings
 * returned by getters live as long as the policy.
 */
#ifndef PG_POLICY_H
#define PG_POLICY_H

#include <limits.h>
#include <stdint.h>
#include <time.h>

#include "pg_err.h"
#include "pg_cmd.h"
#include "pg_minisign.h"
#include "pg_req.h"
#include "pg_rule.h"
#include "pg_util.h"

enum pg_mode {
    PG_MODE_AUDIT,   /* decide and log, never block, print nothing */
    PG_MODE_WARN,    /* blocks are reported as warnings; the install goes on */
    PG_MODE_ENFORCE, /* blocks block */
};

struct pg_policy;

#define PG_POLICY_SYSTEM_FILE "/etc/pkggate/policy.json"
/* The org anchor: the pinned key(s) and where the org layer comes from. */
#define PG_POLICY_ORG_ANCHOR "/etc/pkggate/org.json"
/* Room pg_policy_paths_from_env needs when every variable fits PATH_MAX. */
#define PG_POLICY_PATHS_BUFSZ (4 * PATH_MAX + 256)

/* Where to look for layers 2-5; NULL skips a layer. */
struct pg_policy_paths {
    const char *system; /* default "/etc/pkggate/policy.json" */
    const char *user;   /* $XDG_CONFIG_HOME/pkggate/policy.json */
    const char *cwd;    /* start of the upward search for .pkggate.json;
                         * absolute, or the search stops at its first part */
    const char *env;    /* $PKGGATE_POLICY */
    int truncated;      /* set by pg_policy_paths_from_env when buf was too
                         * small; pg_policy_load then fails rather than
                         * silently skip a layer */
    /* The signed org layer (see "Signed org policy" above). */
    const char *org;       /* the anchor, default "/etc/pkggate/org.json";
                            * NULL or a missing file: no pin, system is
                            * read unsigned */
    const char *state_dir; /* $XDG_STATE_HOME/pkggate: serials accepted;
                            * NULL: no rollback memory */
    const char *cache_dir; /* $XDG_CACHE_HOME/pkggate/http: cache of a
                            * fetched org policy; NULL: no cache (every load
                            * fetches, nothing to fall back on) */
    int offline;           /* a fetched org policy comes from the cache only */
    time_t now;            /* for signature expiry; 0: time(NULL) */
};

/*
 * Fill paths from the environment through get (a getenv wrapper; policy/
 * never reads the environment itself) and getcwd(). user is
 * $XDG_CONFIG_HOME/pkggate/policy.json when XDG_CONFIG_HOME is absolute,
 * else $HOME/.config/pkggate/policy.json when HOME is absolute, else NULL;
 * state_dir and cache_dir likewise from XDG_STATE_HOME (~/.local/state)
 * and XDG_CACHE_HOME (~/.cache), as .../pkggate and .../pkggate/http;
 * env is NULL when PKGGATE_POLICY is unset or empty. system and org are
 * always the compiled-in paths. The composed paths and the cwd are written
 * into buf (PG_POLICY_PATHS_BUFSZ, unless a variable is longer than a
 * path can be; truncation is flagged, never ignored); the other strings are
 * borrowed from get. Keep buf and the environment alive until
 * pg_policy_load returns. offline and now are set to 0.
 */
void pg_policy_paths_from_env(struct pg_policy_paths *p, char *buf, size_t bufsz,
                              const char *(*get)(const char *));

/*
 * Load and merge all layers into *out (caller frees with pg_policy_free;
 * *out is NULL on error). Errors: "FILE:LINE:COL: message", or "FILE:
 * reason" when the file cannot be read.
 */
int pg_policy_load(struct pg_policy **out, const struct pg_policy_paths *paths,
                   struct pg_err *err) PG_WARN_UNUSED;
/*
 * Merge in-memory layers onto the built-in default, for tests and fuzzing:
 * texts[i] is JSON, names[i] what errors call it. Nothing is verified here;
 * a signed org layer goes through pg_policy_load.
 */
int pg_policy_load_strings(struct pg_policy **out, const char *const *texts,
                           const char *const *names, size_t n,
                           struct pg_err *err) PG_WARN_UNUSED;
void pg_policy_free(struct pg_policy *pol); /* NULL is fine */

const char *pg_policy_default_json(void);

/* How the signed org layer of a loaded policy was accepted. */
struct pg_policy_orginfo {
    const char *source;                /* the layer's name: its path, or its URL
                                        * without credentials or query */
    const char *anchor;                /* the anchor file that pinned the key */
    char keyid[PG_MINISIGN_KEYID_LEN]; /* the key that signed it */
    uint64_t serial;                   /* 0 when the trusted comment has none */
    int64_t expires;                   /* Unix seconds; 0 when it does not expire */
    int cached;                        /* fetched: this is the cached copy because the
                                        * network failed, or offline was set */
    const char *fetch_error;           /* why, when cached; else NULL */
    int64_t refreshed;                 /* Unix seconds: a fetched policy's last answer
                                        * from (or 304 by) its server; a local file's
                                        * mtime; 0 unknown */
};
/* The signed org layer's details (owned by pol), or NULL when there is none. */
const struct pg_policy_orginfo *pg_policy_org_info(const struct pg_policy *pol);

enum pg_mode pg_policy_mode(const struct pg_policy *pol);
enum pg_action pg_policy_undecidable(const struct pg_policy *pol);
enum pg_action pg_policy_unknown_arguments(const struct pg_policy *pol); /* OFF = pass */
/* "insecure_registries": PG_ACT_WARN (say so, once a day) or PG_ACT_BLOCK. */
enum pg_action pg_policy_insecure_registries(const struct pg_policy *pol);
/* "notes": 1 when informational notes are shown ("on"), 0 for "off". */
int pg_policy_notes(const struct pg_policy *pol);
/* "syslog": 1 when decisions also go to syslog ("on"), 0 for "off". */
int pg_policy_syslog(const struct pg_policy *pol);

/*
 * rules.<rule>.action. For the reasons that are no rule of their own:
 * PG_RULE_DENY is always PG_ACT_BLOCK, PG_RULE_UNDECIDABLE is
 * pg_policy_undecidable(). A value outside enum pg_rule (a caller bug)
 * gets the strictest answer, PG_ACT_BLOCK.
 */
enum pg_action pg_policy_action(const struct pg_policy *pol, enum pg_rule rule);
/* The registry request timeout in seconds (top-level "timeout"). */
int64_t pg_policy_timeout(const struct pg_policy *pol);
/* The whole run's deadline for registry requests in seconds ("deadline"). */
int64_t pg_policy_deadline(const struct pg_policy *pol);
/* How old the cached facts of a locked version may be, seconds ("revalidate"). */
int64_t pg_policy_revalidate(const struct pg_policy *pol);
/*
 * Typed getters for rules.<rule>.<key>. def is returned when the rule has
 * no such key or the key has another type.
 */
/* A duration in seconds ("48h", "7d", "90m", "P7D" in the file). */
int64_t pg_policy_duration(const struct pg_policy *pol, enum pg_rule rule, const char *key,
                           int64_t def);
int pg_policy_bool(const struct pg_policy *pol, enum pg_rule rule, const char *key, int def);
double pg_policy_number(const struct pg_policy *pol, enum pg_rule rule, const char *key,
                        double def);
/*
 * A list key's entries as written (the package patterns), NULL-terminated;
 * n = 0 and NULL if the key is not a list. Strings owned by pol.
 * pg_policy_top_strings reads a top-level list: "allow", "deny",
 * "exceptions".
 */
const char *const *pg_policy_strings(const struct pg_policy *pol, enum pg_rule rule,
                                     const char *key, size_t *n);
const char *const *pg_policy_top_strings(const struct pg_policy *pol, const char *key,
                                         size_t *n);
/*
 * 1 if a pattern in the list rules.<rule>.<key> (typosquat.ignore,
 * typosquat.extra_popular, install_scripts.allow) matches the package;
 * *which (if not NULL) gets that pattern as written. Same matching as
 * pg_policy_denied.
 */
int pg_policy_listed(const struct pg_policy *pol, enum pg_rule rule, const char *key,
                     enum pg_eco eco, const char *name, const char *version,
                     const char **which);

/*
 * 1 if "require_provenance" names the package (purl patterns, matched as
 * pg_policy_denied matches); *which (if not NULL) gets the pattern as
 * written, owned by pol.
 */
int pg_policy_requires_provenance(const struct pg_policy *pol, enum pg_eco eco, const char *name,
                                  const char *version, const char **which);

/*
 * The organisation's "sigstore_root" (org layer only; see README, "Policy"):
 * NULL when none (the compiled-in public-good root applies); else an
 * absolute path to a trusted_root.json (*is_inline 0) or the root's JSON
 * text (*is_inline 1), owned by pol.
 */
const char *pg_policy_sigstore_root(const struct pg_policy *pol, int *is_inline);

/*
 * What fetching must bring so that the rules this policy turns on can be
 * decided; fetch planning reads this instead of naming rules.
 */
struct pg_policy_needs {
    int64_t settled_before; /* a package whose last change is older than this
                             * (Unix seconds) has no version young enough for
                             * the age rules: npm's abbreviated document is
                             * enough. 0: always fetch the full document */
    int signatures;         /* fetch the registries' signing keys */
    int publishers;         /* fetch who published each version */
    int provenance;         /* fetch and verify the attestations of the versions
                             * that would be installed (and the earlier attested
                             * release they are compared with) */
};
void pg_policy_needs(const struct pg_policy *pol, time_t now, struct pg_policy_needs *out);

/*
 * List matches. version may be NULL (not resolved yet): a pattern with a
 * version range then does not match. On a match, *why (if not NULL) gets
 * the pattern text, plus " (reason)" when the entry has one (owned by pol);
 * returns 1, else 0. The first matching entry wins, lowest layer first.
 * Deny wins over allow: the caller asks pg_policy_denied first. Allow
 * entries whose expiry is at or before now are skipped.
 */
int pg_policy_denied(const struct pg_policy *pol, enum pg_eco eco, const char *name,
                     const char *version, const char **why);
int pg_policy_allowed(const struct pg_policy *pol, enum pg_eco eco, const char *name,
                      const char *version, time_t now, const char **why);
/*
 * An unexpired exception covering `rule` for this package; returns its
 * reason (owned by pol), else NULL. "rules": "*" covers every rule id, the
 * reasons that are no rule of their own included; nothing covers
 * PG_RULE_DENY.
 */
const char *pg_policy_exempt(const struct pg_policy *pol, enum pg_eco eco, const char *name,
                             const char *version, enum pg_rule rule, time_t now);

/*
 * The newest exception covering rule for this package that has expired by
 * now: the first second it no longer applied (so the last day it applied
 * is the UTC day of that second minus one); 0 when none lapsed. For the
 * block message: "an exception for this expired on 2026-11-30".
 */
int64_t pg_policy_exempt_lapsed(const struct pg_policy *pol, enum pg_eco eco, const char *name,
                                const char *version, enum pg_rule rule, time_t now);
/*
 * The first moment after now at which an allow entry or exception
 * expires (a decision taken now may differ from then on), or INT64_MAX.
 */
int64_t pg_policy_next_expiry(const struct pg_policy *pol, time_t now);
/* One exception as `pkggate report` lists it; strings owned by the policy. */
struct pg_policy_exception {
    const char *package; /* the purl pattern as written */
    const char *reason;
    const char *layer;   /* the file that holds it */
    int64_t expires;     /* first second it no longer applies; INT64_MAX: never */
    uint32_t rules;      /* bit r for enum pg_rule r; PG_POLICY_EXC_ALL: "*" */
};
#define PG_POLICY_EXC_ALL UINT32_MAX
/* The i-th exception, lowest layer first, into *out: 1, or 0 past the last. */
int pg_policy_exception_at(const struct pg_policy *pol, size_t i,
                           struct pg_policy_exception *out);
/*
 * The locks in force, for `pkggate doctor`: one string per locking layer,
 * "LAYER: key, key", a rule whose keys are all locked there shown as
 * "rules.<rule>" and every rule as "rules". Pushed onto out.
 */
void pg_policy_locks(const struct pg_policy *pol, struct pg_strlist *out);
/* The layer that locked top-level key ("exceptions", "mode", ...), or NULL. */
const char *pg_policy_locked_by(const struct pg_policy *pol, const char *key);
/*
 * 1 when file (a project or $PKGGATE_POLICY file) is trusted exactly as it
 * is now (see "Trust" below); 0 when not, or it cannot be read.
 */
int pg_policy_trusted(const struct pg_policy_paths *paths, const char *file);

/*
 * Append the merged policy to out for a person, one leaf per line, values
 * in JSON, each followed by the layer it came from:
 *
 *   # pkggate policy, merged from 3 layers:
 *   #   1. built-in default
 *   #   2. /etc/pkggate/policy.json
 *   #   3. /home/u/.config/pkggate/policy.json
 *   mode = "enforce"                   (from built-in default)
 *   allow = []
 *   deny[0] = "pkg:npm/left-pad"       (from /etc/pkggate/policy.json)
 *   rules.min_version_age.age = "7d"   (from /home/u/.config/pkggate/policy.json; locked
 *                                       by /etc/pkggate/policy.json)
 * (the last note is one line in the output).
 *
 * Keys come in schema order; list entries are numbered, an empty list is
 * "key = []"; a locked key adds "locked by FILE" to its note. A value a
 * trusted guarded layer loosened adds "trusted, loosens"; a loosening value
 * an untrusted one set follows the key's lines, not applied:
 *   allow[+] = "pkg:npm/@acme/x"   (from /p/.pkggate.json; untrusted, loosens: ignored)
 */
void pg_policy_show(const struct pg_policy *pol, struct pg_sb *out);
/*
 * The layers that were read, in order (for `pkggate doctor`): the first is
 * always "built-in default", then the file paths (or names given to
 * pg_policy_load_strings).
 */
const char *const *pg_policy_layers(const struct pg_policy *pol, size_t *n);

/*
 * Trust (issue 3). A project file (.pkggate.json, which comes with every
 * clone: someone else's code) and the file named by $PKGGATE_POLICY are
 * "guarded" layers. What they set is compared, key by key, with what the
 * layers below them give, in the direction the schema table gives each key
 * (pg_policy_schema.c; the same one locks use, see "Locks" above):
 *   loosening: mode, undecidable, unknown_arguments or a rule's action
 *     lowered (enforce > warn > audit, block > warn > off/allow/pass); an
 *     age shorter; require_keys false; popularity_ratio or timeout higher;
 *     any entry of allow, exceptions, typosquat.ignore, install_scripts.allow.
 *   tightening: everything else (an equal value, a deny or extra_popular
 *     entry, "locked").
 * Tightening values always apply. Loosening values apply only when the
 * user trusts that exact file: its real path with the SHA-256 of its
 * content is in $XDG_STATE_HOME/pkggate/trusted (pg_policy_trust; changing
 * one byte un-trusts it). In an untrusted file each loosening value is
 * ignored, and pg_policy_trust_notes says so; a trusted one that loosens is
 * named on every run too. Locks still come first: loosening a locked key
 * is an error, trusted or not.
 */

/*
 * The nearest .pkggate.json at or above dir (absolute), into *found
 * (reset first); returns 1, or 0 when there is none.
 */
int pg_policy_project_file(const char *dir, struct pg_sb *found);
/*
 * Trust file as it is now: it must load as a policy layer on the built-in
 * default; its real path and content hash go into paths->state_dir/trusted
 * (created 0700, the record 0600, replaced atomically), replacing what was
 * recorded for that path. *canon gets the real path (caller frees; may be
 * set on error too). Errors name the file or the record.
 */
int pg_policy_trust(const struct pg_policy_paths *paths, const char *file, char **canon,
                    struct pg_err *err) PG_WARN_UNUSED;
/*
 * Forget file (its real path; a file that is gone, by the absolute path
 * given). Returns 1 when it was trusted, 0 when not, -1 on error. *canon
 * as for pg_policy_trust.
 */
int pg_policy_untrust(const struct pg_policy_paths *paths, const char *file, char **canon,
                      struct pg_err *err) PG_WARN_UNUSED;
/*
 * One line for each guarded layer that loosens anything, appended to out
 * ("\n"-terminated; nothing when none):
 *   pkggate: policy: /p/.pkggate.json is not trusted, so what it loosens is
 *     ignored: allow += "pkg:npm/@acme/x", rules.min_version_age.age = "0s";
 *     to apply it: pkggate policy trust /p/.pkggate.json
 *   pkggate: policy: /p/.pkggate.json (trusted) loosens: allow += "pkg:npm/@acme/x"
 * (each is one line in the output).
 */
void pg_policy_trust_notes(const struct pg_policy *pol, struct pg_sb *out);

const char *pg_mode_name(enum pg_mode m);
const char *pg_action_name(enum pg_action a);

#endif
