/*
 * pg_verdict.h - the decision about one requested package, with reasons.
 *
 * Each rule that fires adds a struct pg_reason: a stable rule id, the action
 * the policy gives it, a one-line message a person can act on, and the
 * evidence as a JSON object text (rule-specific keys, e.g. for typosquat
 * {"target":"requests","kind":"transposition","score":0.93}). The verdict's
 * decision is the strongest action of its reasons after the mode and
 * exemptions are applied. Everything is owned by the verdict.
 */
#ifndef PG_VERDICT_H
#define PG_VERDICT_H

#include <stddef.h>

#include "pg_policy.h"
#include "pg_req.h"

enum pg_decision {
    PG_ALLOW,
    PG_WARN,
    PG_BLOCK,
};

struct pg_reason {
    enum pg_rule rule; /* rendered with pg_rule_name(): "typosquat", "deny", ... */
    enum pg_action action;
    char *message;    /* one line, what is wrong and what to do */
    char *evidence;   /* JSON object text with extra fields, or NULL */
    char *exempted;   /* reason of the exception that silenced it, or NULL */
    int binding;      /* no allow entry or exception can silence it (an invalid
                       * registry signature: evidence of tampering, not a gap) */
};

struct pg_verdict {
    enum pg_eco eco;
    char *name;
    char *spec;
    char *version;    /* what would be installed, when resolved; else NULL */
    char *origin;
    char *path;       /* pg_req's path: the dependents, " > "-joined; NULL: named directly */
    char *installed;  /* where it is on disk already ("node_modules/ms") when a block
                       * of it was held for npm's answer (pg_held.h); else NULL */
    enum pg_decision decision;
    /* What verifying the version's attestations found (pg_meta.h, enum
     * pg_prov_state): "verified", "invalid", "absent", "unsupported",
     * "unavailable"; NULL when not checked. prov_repository and
     * prov_workflow name the verified identity (NULL unless "verified");
     * prov_detail says why for the others, or NULL. */
    const char *provenance;
    char *prov_repository;
    char *prov_workflow;
    char *prov_detail;
    struct pg_reason *reasons;
    size_t nreasons;
    size_t alloc;
};

void pg_verdict_init(struct pg_verdict *v, const struct pg_req *req);
void pg_verdict_release(struct pg_verdict *v);
/*
 * Record that `rule` fired with `action`; message and evidence are copied.
 * The decision is recomputed by pg_verdict_finish().
 */
struct pg_reason *pg_verdict_add(struct pg_verdict *v, enum pg_rule rule, enum pg_action action,
                                 const char *evidence, const char *fmt, ...) PG_PRINTF(5, 6);
/*
 * Move the reasons from index `from` on to index `at` (at <= from), the
 * others after them, order kept: a rule that must run after another can
 * still be reported before it.
 */
void pg_verdict_move(struct pg_verdict *v, size_t from, size_t at);
/* Apply mode: audit and warn never block. */
void pg_verdict_finish(struct pg_verdict *v, enum pg_mode mode);

const char *pg_decision_name(enum pg_decision d); /* "allow", "warn", "block" */

#endif
