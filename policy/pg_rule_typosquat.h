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
 *                     a target this many times more downloaded (default 1000)
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
 *
 * Companions (npm). A package its target's own people publish
 * (express-session beside express) is not a squat. When the target's full
 * packument was fetched (target; pg_rule_typosquat_target() says which
 * requests need it) and the candidate version that would be installed
 * (v->version) was published by a person's npm account that is one of
 * the target's maintainers or the publisher of its latest version, the
 * block becomes a warning. What a hostile candidate cannot fake and what
 * it can:
 *  - only the candidate version's `_npmUser` is read: the registry sets it
 *    from the account that published, while the candidate's own
 *    `maintainers` can name anyone (`npm owner add` needs no consent);
 *  - the target's side comes from the target's packument, which the
 *    candidate's publisher does not control;
 *  - a trusted publisher's `_npmUser` ("GitHub Actions") is shared by every
 *    package published from CI: it never counts as a person;
 *  - names are compared exactly, as the registry spells them.
 * Limits: a target maintainer's hijacked account can publish a
 * "companion" (it could as well publish a new version of the target, which
 * min_version_age and publisher_change watch); a registry or mirror that
 * forges documents decides what pkggate reads, as for every rule; the
 * abbreviated document and filtered mirrors name no one (no companion: the
 * block stays); the target's `maintainers` is what the registry lists now,
 * former maintainers included until removed. PyPI: not applied. The simple
 * API pip reads names no one; pypi.org's JSON API lists a project's owner
 * roles but mirrors do not serve them, and nothing names who uploaded a
 * file (PEP 740 attestations name a CI workflow, not an account).
 *
 * The reason it adds:
 *   rule     "typosquat"
 *   message  "did you mean `requests`? (`reqeusts` swaps two letters;
 *            `requests` is among the most downloaded PyPI projects)"
 *   evidence {"target":"requests","kind":"transposition","score":0.94}
 *            plus, when known, "established" (true/false),
 *            "established_by" ("registry" or "names"), from the
 *            registry "first_published" (Unix seconds) and "releases",
 *            and when both sides named someone "companion" (true/false)
 *            and "publisher" (the candidate version's npm account), and
 *            "sponsor" (the popular package depending on it) when one
 *            counted
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

#include <stdint.h>
#include <time.h>

#include "pg_meta.h"
#include "pg_policy.h"
#include "pg_req.h"
#include "pg_typo.h"
#include "pg_verdict.h"

/* "Several versions": fewer is not a release history, whatever the age. */
#define PG_TYPOSQUAT_ESTABLISHED_RELEASES 5

/*
 * Sponsors. A squat works on a person typing a name. A name that a
 * popular package's published dependencies declare (webpack depends on
 * minimizer-webpack-plugin, two edits from css-minimizer-webpack-plugin)
 * was written by that package's maintainers and reaches its millions of
 * installs: resembling another name is no sign of a squat there, and the
 * block becomes a warning naming the sponsor. Sponsors are packages on
 * the compiled-in lists with PG_TYPOSQUAT_SPONSOR_DOWNLOADS a month;
 * the caller finds them among what the run judges (pg_facts.sponsor):
 * npm only, from the dependencies the registry lists for the very
 * version judged, and only for a node whose judged version is within the
 * registry range declared (a git, URL, file or alias spec names another
 * package than the registry's, and sponsors nothing).
 * Only for a name the registry says was first published at least
 * PG_TYPOSQUAT_SPONSOR_AGE ago: a popular package does not take a
 * days-old lookalike unless it was hijacked, and that fresh release of
 * it is what min_version_age and publisher_change watch.
 */
#define PG_TYPOSQUAT_SPONSOR_DOWNLOADS 1000000u
#define PG_TYPOSQUAT_SPONSOR_AGE ((int64_t)30 * 86400)

/* 1 when name (of eco) is popular enough to sponsor its dependencies. */
int pg_rule_typosquat_sponsor(const struct pg_typo *idx, enum pg_eco eco, const char *name);

/*
 * 1 when the rule would look twice at req at all (on, not ignored, the
 * name resembles a popular one): only then can a sponsor matter, so the
 * caller need not find one for anything else. No I/O.
 */
int pg_rule_typosquat_suspect(const struct pg_policy *pol, const struct pg_typo *idx,
                              const struct pg_req *req);

/*
 * Check req->name against idx (pg_typo_builtin(); NULL skips the rule).
 * meta: what the registry said about req (NULL: not asked or failed),
 * target: the matched target's packument (NULL: not fetched), sponsor: a
 * popular package whose judged version depends on req's name (NULL:
 * none), now: the time its ages are measured at. Call it once v->version names the
 * version that would be installed (or NULL): the companion check reads
 * that version's publisher. Returns 1 when a reason was added to v, else
 * 0. No I/O; extra_popular entries that are not valid purls are skipped
 * (the policy loader has already refused them).
 */
int pg_rule_typosquat(const struct pg_policy *pol, const struct pg_typo *idx,
                      const struct pg_req *req, const struct pg_meta *meta,
                      const struct pg_meta *target, const char *sponsor, time_t now,
                      struct pg_verdict *v);

/*
 * The popular name whose packument the companion check needs for req, or
 * NULL when it needs none: only npm names the rule would block (action
 * block, a match, not established by meta, which must say the package
 * exists). No I/O; the caller frees the result.
 */
char *pg_rule_typosquat_target(const struct pg_policy *pol, const struct pg_typo *idx,
                               const struct pg_req *req, const struct pg_meta *meta, time_t now);

/*
 * The message's explanation, for callers that render matches themselves:
 * "swaps two letters", "adds `js`", ... into out (cap bytes).
 */
void pg_rule_typosquat_explain(const struct pg_typo_match *m, char *out, size_t cap);

#endif
