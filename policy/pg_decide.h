/*
 * pg_decide.h - evaluate one requested package against the policy.
 *
 * The caller gathers the facts (registry metadata, fetched in parallel by
 * lib/) and passes them in; pg_decide() does no I/O. Order of evaluation:
 *   1. deny list: block, whatever else says (deny beats allow)
 *   2. allow list: plainly allowed, nothing else is evaluated, except
 *      what no entry can silence (a "binding" reason: an invalid registry
 *      signature blocks whenever registry_signature is not off)
 *   3. rules: non_registry_source, typosquat, then the registry rules
 *   4. exceptions silence named rules (reason recorded, still reported),
 *      binding reasons excepted
 *   5. the mode turns blocks into warnings (warn, audit)
 */
#ifndef PG_DECIDE_H
#define PG_DECIDE_H

#include <time.h>

#include "pg_meta.h"
#include "pg_policy.h"
#include "pg_req.h"
#include "pg_semver.h"
#include "pg_verdict.h"

struct pg_typo;
struct pg_npmkeys;

/*
 * Registry signatures verified in an earlier run, kept by the caller
 * (shim/cli/pg_vcache.h): a package judged every run because it warns
 * need not have its ECDSA signature checked every run. Asked with
 * everything pg_npmsig_verify reads (the registry's keys, the name asked
 * for, the version's integrity, signatures and publish time); only a
 * check that passed is added.
 */
struct pg_npmkeys;
struct pg_sigmemo {
    int (*known)(void *arg, const struct pg_npmkeys *keys, const char *name,
                 const struct pg_meta_version *mv);
    void (*add)(void *arg, const struct pg_npmkeys *keys, const char *name,
                const struct pg_meta_version *mv);
    void *arg;
};

struct pg_decide_ctx {
    const struct pg_policy *pol;
    const struct pg_typo *typo; /* typosquat index; NULL skips the rule */
    time_t now;
    int pre;                    /* pip --pre: prereleases may be picked */
    int scripts_off;            /* npm ignore-scripts: no install script will
                                 * run, so install_scripts has nothing to say */
    /* npm's tag, before and the node/npm versions engines are compared
     * with (pg_semver_pick_env); NULL: the defaults, engines not applied */
    const struct pg_semver_env *npm;
    /* pip's finder beyond the specifier (see pg_pep440_target): */
    const char *python;         /* the real pip's Python version, or NULL */
    int prefer_binary;
    unsigned kinds;             /* for the package being decided; 0: any */
    const char *pin_args;       /* the registry option the person typed ("-i URL",
                                 * "--registry URL", credentials removed), kept
                                 * in suggested commands; NULL: none */
    const struct pg_sigmemo *sigs; /* NULL: every signature is checked */
};

/*
 * What the registry said about req. meta NULL and error NULL: not asked
 * (offline name-only check, or a non-registry source). meta NULL and error
 * set: asking failed; rules that needed the answer are undecidable.
 */
struct pg_facts {
    const struct pg_meta *meta;
    const char *error;
    const char *suggest; /* for unknown names: "`a`, `b`" nearest popular names */
    /* The packument of the package pg_decide_related() named for req,
     * when it was fetched; else NULL */
    const struct pg_meta *target;
    /* A package this run judges, popular enough to sponsor
     * (pg_rule_typosquat_sponsor), whose judged version's dependencies,
     * as the registry lists them, name req's package; else NULL. */
    const char *sponsor;
    /* npm: the registry's signing keys; NULL with keys_error NULL: it
     * publishes none (or the signature rule is off). */
    const struct pg_npmkeys *keys;
    const char *keys_error;
    /* The registry (its URL as configured) that would be asked over plain
     * http although the policy's "insecure_registries" is block: nothing
     * was asked, and the package is refused. NULL otherwise. */
    const char *insecure;
    /* A digest of meta's facts record (pg_metacodec.h), when the facts
     * cache gave one; NULL: whoever needs one computes it. Only the
     * verdict cache reads it. */
    const unsigned char *meta_digest;
    /* The verdict cache answers for this request (pg_vcache.h, shim/cli):
     * it is not decided again, so what only a decision reads (typosquat's
     * companion and sponsor) is not looked for. pg_decide does not read it. */
    int cached;
};

/*
 * The name of another package of req's ecosystem whose packument the rules
 * need to judge req, given what the registry said about req (meta), or
 * NULL. Today: for an npm name typosquat would block, the popular name it
 * resembles (whose maintainers make a companion). No I/O; caller frees.
 * The fetching side asks it as data, so no rule is named outside policy/.
 */
char *pg_decide_related(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                        const struct pg_meta *meta);

/*
 * 1 when req's package is popular enough that the names its dependencies
 * declare count as vouched for (typosquat's sponsors: pg_facts.sponsor,
 * which the caller fills from the judged versions' dependencies).
 */
int pg_decide_sponsors(const struct pg_decide_ctx *ctx, const struct pg_req *req);

/* 1 when a sponsor could matter for req (typosquat would look at it twice). */
int pg_decide_sponsorable(const struct pg_decide_ctx *ctx, const struct pg_req *req);

/* Fill v (pg_verdict_init'd by this call; release with pg_verdict_release). */
void pg_decide(const struct pg_decide_ctx *ctx, const struct pg_req *req,
               const struct pg_facts *facts, struct pg_verdict *v);

/*
 * The version req would install, as pg_decide will judge it (NULL: none
 * from a registry). For the provenance round (shim/cli/pg_provplan.h),
 * which fetches what the rules will read about that very version.
 */
const struct pg_meta_version *pg_decide_version(const struct pg_decide_ctx *ctx,
                                                const struct pg_req *req,
                                                const struct pg_facts *facts);

#endif
