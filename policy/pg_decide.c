#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg_decide.h"
#include "pg_rule_typosquat.h"
#include "pg_rules_registry.h"
#include "pg_semver.h"
#include "pg_util.h"
#include "banned.h"

static void rule_non_registry(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                              struct pg_verdict *v)
{
    enum pg_action act = pg_policy_action(ctx->pol, PG_RULE_NON_REGISTRY_SOURCE);

    if (req->source == PG_SRC_REGISTRY || act == PG_ACT_OFF)
        return;
    pg_verdict_add(v, PG_RULE_NON_REGISTRY_SOURCE, act, NULL,
                   "installs from a %s source (%s) that no registry vouches for; "
                   "pkggate cannot check its name, age or publisher",
                   pg_source_name(req->source), v->spec ? v->spec : "?");
}

/*
 * No live exception, but one lapsed: say so, or the person who added it
 * sees the same message as if there never was one.
 */
static void name_lapsed(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                        struct pg_reason *r, const char *version)
{
    int64_t gone = pg_policy_exempt_lapsed(ctx->pol, req->eco, req->name, version, r->rule,
                                           ctx->now);
    time_t last = (time_t)(gone - 1);
    struct tm tm;
    char day[16];
    char *longer;

    if (gone <= 0 || !gmtime_r(&last, &tm) || !strftime(day, sizeof(day), "%Y-%m-%d", &tm))
        return;
    longer = pg_xasprintf("%s; an exception for this expired on %s", r->message, day);
    free(r->message);
    r->message = longer;
}

/* Exceptions silence a rule but keep it in the report, with their reason. */
static void apply_exceptions(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                             struct pg_verdict *v)
{
    const char *name = req->name;

    if (!name)
        return;
    for (size_t i = 0; i < v->nreasons; i++) {
        struct pg_reason *r = &v->reasons[i];
        const char *why;

        if (r->rule == PG_RULE_DENY || r->binding)
            continue;
        why = pg_policy_exempt(ctx->pol, req->eco, name, v->version, r->rule, ctx->now);
        if (why)
            r->exempted = pg_xstrdup(why);
        else if (r->action != PG_ACT_OFF)
            name_lapsed(ctx, req, r, v->version);
    }
}

/*
 * An allow entry skips the rules, but not the ones no entry can silence:
 * judge the package in a scratch verdict and keep only those reasons.
 */
static void allowed_binding(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                            const struct pg_facts *facts, struct pg_verdict *v)
{
    struct pg_verdict probe;

    pg_verdict_init(&probe, req);
    pg_rules_registry(ctx, req, facts, &probe);
    for (size_t i = 0; i < probe.nreasons; i++) {
        const struct pg_reason *r = &probe.reasons[i];

        if (r->binding)
            pg_verdict_add(v, r->rule, r->action, r->evidence, "%s", r->message)->binding = 1;
    }
    /* What the attestations showed is reported for an allowed package too. */
    v->provenance = probe.provenance;
    v->prov_repository = probe.prov_repository;
    v->prov_workflow = probe.prov_workflow;
    v->prov_detail = probe.prov_detail;
    probe.prov_repository = probe.prov_workflow = probe.prov_detail = NULL;
    if (v->nreasons && probe.version) {
        free(v->version);
        v->version = pg_xstrdup(probe.version);
    }
    pg_verdict_release(&probe);
}

char *pg_decide_related(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                        const struct pg_meta *meta)
{
    return pg_rule_typosquat_target(ctx->pol, ctx->typo, req, meta, ctx->now);
}

int pg_decide_sponsors(const struct pg_decide_ctx *ctx, const struct pg_req *req)
{
    /* Sponsors only soften typosquat: with the rule off, nothing to find. */
    return pg_policy_action(ctx->pol, PG_RULE_TYPOSQUAT) != PG_ACT_OFF &&
           pg_rule_typosquat_sponsor(ctx->typo, req->eco, req->name);
}

int pg_decide_sponsorable(const struct pg_decide_ctx *ctx, const struct pg_req *req)
{
    return pg_rule_typosquat_suspect(ctx->pol, ctx->typo, req);
}

void pg_decide(const struct pg_decide_ctx *ctx, const struct pg_req *req,
               const struct pg_facts *facts, struct pg_verdict *v)
{
    const char *why = NULL, *exact;
    size_t at;

    pg_verdict_init(v, req);
    /* An exact npm version is known before the registry answers. */
    exact = v->version ? v->version
            : req->eco == PG_ECO_NPM && req->spec && pg_semver_valid(req->spec) ? req->spec
                                                                                : NULL;
    if (req->name && pg_policy_denied(ctx->pol, req->eco, req->name, exact, &why)) {
        pg_verdict_add(v, PG_RULE_DENY, PG_ACT_BLOCK, NULL, "on the policy's deny list (%s)",
                       why);
        goto out;
    }
    if (req->name &&
        pg_policy_allowed(ctx->pol, req->eco, req->name, v->version, ctx->now, &why)) {
        allowed_binding(ctx, req, facts, v);
        goto out;
    }
    rule_non_registry(ctx, req, v);
    at = v->nreasons;
    pg_rules_registry(ctx, req, facts, v);
    /* typosquat reads the version the registry rules resolved (its
     * publisher, for companions), and is still reported first. */
    if (pg_rule_typosquat(ctx->pol, ctx->typo, req, facts ? facts->meta : NULL,
                          facts ? facts->target : NULL, facts ? facts->sponsor : NULL, ctx->now,
                          v))
        pg_verdict_move(v, v->nreasons - 1, at);
    /* The registry rules resolved the version: lists with ranges apply now. */
    if (!req->locked && v->version && req->name) {
        if (pg_policy_denied(ctx->pol, req->eco, req->name, v->version, &why)) {
            pg_verdict_add(v, PG_RULE_DENY, PG_ACT_BLOCK, NULL,
                           "%s@%s is on the policy's deny list (%s)", req->name, v->version, why);
        } else if (pg_policy_allowed(ctx->pol, req->eco, req->name, v->version, ctx->now,
                                     &why)) {
            for (size_t i = 0; i < v->nreasons; i++)
                if (!v->reasons[i].exempted && !v->reasons[i].binding)
                    v->reasons[i].exempted = pg_xasprintf("allowed by %s", why);
            goto out;
        }
    }
    apply_exceptions(ctx, req, v);
out:
    pg_verdict_finish(v, pg_policy_mode(ctx->pol));
}

const struct pg_meta_version *pg_decide_version(const struct pg_decide_ctx *ctx,
                                                const struct pg_req *req,
                                                const struct pg_facts *facts)
{
    return pg_rules_registry_version(ctx, req, facts);
}
