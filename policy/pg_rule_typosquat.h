/*
 * pg_rule_typosquat.h - the `typosquat` rule: a name that imitates a
 * popular package (lib/pg_typo.h decides what imitates what).
 *
 * Policy keys (rules.typosquat):
 *   action            block | warn | off (off: the rule does nothing)
 *   extra_popular     purls of more names to protect, e.g. internal
 *                     packages ("pkg:npm/@myorg/lib", "pkg:pypi/acme-utils"):
 *                     typos of them are flagged too
 *   ignore            purl patterns of names never flagged by this rule
 *   popularity_ratio  a name that is itself popular is flagged only against
 *                     a target this many times more downloaded (default 100)
 *   established_age   a package first published at least this long ago
 *                     ("365d", the default) with at least
 *                     PG_TYPOSQUAT_ESTABLISHED_RELEASES releases is
 *                     established: a resemblance is a warning, not a block
 *
 * Established. A squat is a fresh name. When the registry gave dates
 * (meta), a name first published less than established_age ago is never
 * established, even if the offline lists hold it (a name re-registered
 * after removal); an older one is, with a release history or when the
 * lists know it. Without dates (check --names-only, no answer, a mirror
 * that strips times) the compiled-in lists decide (pg_typo_established():
 * npm names with 1,000+ downloads a month). An established name's block
 * becomes a warning.
 * Not done: a publisher shared with the target (it needs the target's
 * packument, which is not fetched).
 *
 * The reason it adds:
 *   rule     "typosquat"
 *   message  "did you mean `requests`? (`reqeusts` swaps two letters;
 *            `requests` is among the most downloaded PyPI projects)"
 *   evidence {"target":"requests","kind":"transposition","score":0.94}
 *            plus, when known, "established" (true/false),
 *            "established_by" ("registry" or "names"), and from the
 *            registry "first_published" (Unix seconds) and "releases"
 *            kind is one of pg_typo_kind_name()'s stable names (see
 *            lib/pg_typo.h): homoglyph, separator, repetition,
 *            transposition, omission, insertion, keyboard, substitution,
 *            edits, affix, word-order, unscoped, scoped, scope-lookalike.
 *
 * Only registry packages with a name are checked (a URL, path or git
 * source has no name to imitate with). The allow and deny lists and
 * exceptions are applied by pg_decide() around the rules, not here.
 */
#ifndef PG_RULE_TYPOSQUAT_H
#define PG_RULE_TYPOSQUAT_H

#include <time.h>

#include "pg_meta.h"
#include "pg_policy.h"
#include "pg_req.h"
#include "pg_typo.h"
#include "pg_verdict.h"

/* "Several versions": fewer is not a release history, whatever the age. */
#define PG_TYPOSQUAT_ESTABLISHED_RELEASES 5

/*
 * Check req->name against idx (pg_typo_builtin(); NULL skips the rule).
 * meta: what the registry said about req (NULL: not asked or failed), now:
 * the time its ages are measured at. Returns 1 when a reason was added to
 * v, else 0. No I/O; extra_popular entries that are not valid purls are
 * skipped (the policy loader has already refused them).
 */
int pg_rule_typosquat(const struct pg_policy *pol, const struct pg_typo *idx,
                      const struct pg_req *req, const struct pg_meta *meta, time_t now,
                      struct pg_verdict *v);

/*
 * The message's explanation, for callers that render matches themselves:
 * "swaps two letters", "adds `js`", ... into out (cap bytes).
 */
void pg_rule_typosquat_explain(const struct pg_typo_match *m, char *out, size_t cap);

#endif
