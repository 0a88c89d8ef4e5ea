#include <stdlib.h>
#include <string.h>

#include "pg_duration.h"
#include "pg_pep440.h"
#include "pg_rules_registry.h"
#include "pg_rules_trust.h"
#include "pg_semver.h"
#include "pg_util.h"
#include "banned.h"

#define DAY (24 * 3600)

/* what: the rule's name, or the step ("the locked version") that could not be done. */
static void undecidable(const struct pg_decide_ctx *ctx, struct pg_verdict *v, const char *what,
                        const char *why)
{
    enum pg_action act = pg_policy_action(ctx->pol, PG_RULE_UNDECIDABLE);
    /* In warn or audit mode nothing blocks: do not claim that it would. */
    int softened = act == PG_ACT_BLOCK && pg_policy_mode(ctx->pol) != PG_MODE_ENFORCE;

    pg_verdict_add(v, PG_RULE_UNDECIDABLE, act, NULL,
                   "%s cannot be checked: %s; the policy's \"undecidable\" is %s%s", what, why,
                   act == PG_ACT_OFF ? "allow" : pg_action_name(act),
                   softened ? ", reported only because the mode is warn" : "");
}

/* The policy refuses the registry's plain http: nothing was asked. */
static void insecure(const struct pg_decide_ctx *ctx, struct pg_verdict *v, const char *registry)
{
    char *shown = pg_redact_urls(registry);

    pg_verdict_add(v, PG_RULE_INSECURE_REGISTRY,
                   pg_policy_action(ctx->pol, PG_RULE_INSECURE_REGISTRY), NULL,
                   "the registry %s is plain http, which the policy refuses "
                   "(\"insecure_registries\": \"block\"); configure it over https",
                   shown);
    free(shown);
}

static const struct pg_meta_version *pick(const struct pg_decide_ctx *ctx,
                                          const struct pg_req *req, const struct pg_meta *m,
                                          int64_t before, struct pg_err *err)
{
    const char *spec = req->spec ? req->spec : "";
    struct pg_pep440_target t = {ctx->pre, ctx->kinds, ctx->python, ctx->prefer_binary};

    if (m->eco == PG_ECO_NPM) {
        struct pg_semver_env env = {NULL, 0, NULL, NULL};

        if (ctx->npm)
            env = *ctx->npm;
        /* A suggestion's cutoff and npm's own `before`: the earlier counts. */
        if (before > 0 && (env.before <= 0 || before < env.before))
            env.before = before;
        return pg_semver_pick_env(m, spec, &env, err);
    }
    return pg_pep440_pick_for(m, spec, &t, before, err);
}

/* How to install exactly this version, for messages. */
static char *pin_hint(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                      const char *version)
{
    /* The registry the person chose must stay in the command they copy. */
    const char *more = ctx->pin_args ? ctx->pin_args : "";
    const char *sp = *more ? " " : "";

    if (req->eco == PG_ECO_NPM)
        return pg_xasprintf("npm install%s%s %s@%s", sp, more, req->name, version);
    return pg_xasprintf("pip install%s%s '%s==%s'", sp, more, req->name, version);
}

/*
 * The newest version old enough that nothing else in the policy would stop
 * either: not denied, deprecated or yanked, with a known publish time.
 * Walks down by publish time, a few steps at most; NULL when none.
 */
static const struct pg_meta_version *suggestion(const struct pg_decide_ctx *ctx,
                                                const struct pg_req *req,
                                                const struct pg_meta *m, int64_t before)
{
    for (int step = 0; step < 16 && before > 0; step++) {
        const struct pg_meta_version *c = pick(ctx, req, m, before, NULL);

        if (!c || c->published < 0)
            return NULL;
        if (c->deprecated != 1 && c->yanked != 1 &&
            !pg_policy_denied(ctx->pol, req->eco, req->name, c->version, NULL))
            return c;
        before = c->published - 1;
    }
    return NULL;
}

static void min_version_age(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                            const struct pg_meta *m, const struct pg_meta_version *mv,
                            struct pg_verdict *v)
{
    enum pg_action act = pg_policy_action(ctx->pol, PG_RULE_MIN_VERSION_AGE);
    int64_t min = pg_policy_duration(ctx->pol, PG_RULE_MIN_VERSION_AGE, "age", 2 * DAY);
    int64_t age = (int64_t)ctx->now - mv->published;
    char have[PG_DURATION_FMT_MAX], want[PG_DURATION_FMT_MAX];
    const struct pg_meta_version *ok;
    char *hint;

    if (act == PG_ACT_OFF)
        return;
    if (mv->published < 0) {
        undecidable(ctx, v, pg_rule_name(PG_RULE_MIN_VERSION_AGE),
                    "the registry does not say when it was published");
        return;
    }
    if (age >= min)
        return;
    pg_duration_format(age, have, sizeof(have));
    pg_duration_format(min, want, sizeof(want));
    ok = req->locked ? NULL : suggestion(ctx, req, m, (int64_t)ctx->now - min);
    hint = ok ? pin_hint(ctx, req, ok->version) : NULL;
    pg_verdict_add(v, PG_RULE_MIN_VERSION_AGE, act, NULL,
                   "%s@%s was published %s ago; the policy wants %s%s%s%s%s", req->name,
                   mv->version, have, want, ok ? "; newest old-enough version is " : "",
                   ok ? ok->version : "; no matching version is old enough yet",
                   hint ? ": " : "", hint ? hint : "");
    free(hint);
}

static void min_package_age(const struct pg_decide_ctx *ctx, const struct pg_meta *m,
                            struct pg_verdict *v)
{
    enum pg_action act = pg_policy_action(ctx->pol, PG_RULE_MIN_PACKAGE_AGE);
    int64_t min = pg_policy_duration(ctx->pol, PG_RULE_MIN_PACKAGE_AGE, "age", 30 * DAY);
    int64_t first = m->created;
    char have[PG_DURATION_FMT_MAX], want[PG_DURATION_FMT_MAX];

    if (act == PG_ACT_OFF)
        return;
    for (size_t i = 0; i < m->nversions; i++)
        if (m->versions[i].published >= 0 &&
            (first < 0 || m->versions[i].published < first))
            first = m->versions[i].published;
    if (first < 0) {
        undecidable(ctx, v, pg_rule_name(PG_RULE_MIN_PACKAGE_AGE),
                    "the registry gives no release times");
        return;
    }
    if ((int64_t)ctx->now - first >= min)
        return;
    pg_duration_format((int64_t)ctx->now - first, have, sizeof(have));
    pg_duration_format(min, want, sizeof(want));
    pg_verdict_add(v, PG_RULE_MIN_PACKAGE_AGE, act, NULL,
                   "the project %s first appeared %s ago; the policy wants %s: new projects "
                   "are where typosquats and throwaway malware live",
                   m->name, have, want);
}

static void version_flags(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                          const struct pg_meta_version *mv, struct pg_verdict *v)
{
    enum pg_action act;

    act = pg_policy_action(ctx->pol, PG_RULE_DEPRECATED);
    if (act != PG_ACT_OFF && mv->deprecated == 1)
        pg_verdict_add(v, PG_RULE_DEPRECATED, act, NULL, "deprecated by its maintainers: %s",
                       mv->deprecated_msg ? mv->deprecated_msg : "(no message)");
    act = pg_policy_action(ctx->pol, PG_RULE_YANKED);
    if (act != PG_ACT_OFF && mv->yanked == 1)
        pg_verdict_add(v, PG_RULE_YANKED, act, NULL, "yanked from the index%s%s",
                       mv->yanked_reason ? ": " : "", mv->yanked_reason ? mv->yanked_reason : "");
    act = pg_policy_action(ctx->pol, PG_RULE_INSTALL_SCRIPTS);
    /* With ignore-scripts the scripts are shipped but never run. */
    if (act != PG_ACT_OFF && mv->install_scripts == 1 && !ctx->scripts_off &&
        !pg_policy_listed(ctx->pol, PG_RULE_INSTALL_SCRIPTS, "allow", req->eco, req->name,
                          mv->version, NULL))
        pg_verdict_add(v, PG_RULE_INSTALL_SCRIPTS, act, NULL,
                       "runs install scripts (preinstall/install/postinstall) when installed; "
                       "add it to rules.install_scripts.allow if that is expected, or use "
                       "--ignore-scripts");
}

/* The version pip would take only from an extra index, while the primary
 * index has the project: how dependency confusion looks from here. */
static void index_confusion(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                            const struct pg_meta *m, const struct pg_meta_version *mv,
                            struct pg_verdict *v)
{
    enum pg_action act = pg_policy_action(ctx->pol, PG_RULE_INDEX_CONFUSION);

    if (act == PG_ACT_OFF || !m->primary_has || !mv->elsewhere)
        return;
    pg_verdict_add(v, PG_RULE_INDEX_CONFUSION, act, NULL,
                   "%s %s would come from an extra index although the primary index has %s: "
                   "the dependency-confusion pattern; pin a version the primary index serves, "
                   "or add an exception",
                   req->name, mv->version, req->name);
}

/*
 * pip would take the version from a find-links file: no registry vouches
 * for it, so the registry's rules have nothing to say about it (a version
 * the index also has may still come from the file, which pip prefers to
 * nothing). Say so, and say when the file outbids every index release.
 */
static void local_file(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                       const struct pg_meta *m, const struct pg_meta_version *mv,
                       struct pg_verdict *v)
{
    enum pg_action act = pg_policy_action(ctx->pol, PG_RULE_NON_REGISTRY_SOURCE);
    int indexed = 0;

    if (act == PG_ACT_OFF)
        return;
    for (size_t i = 0; i < m->nversions; i++)
        indexed |= !m->versions[i].local_file;
    pg_verdict_add(v, PG_RULE_NON_REGISTRY_SOURCE, act, NULL,
                   "pip would install %s %s from the find-links file %s, which no registry "
                   "vouches for%s",
                   req->name, mv->version, mv->local_file,
                   indexed && mv->published < 0 ? "; it is newer than the index's releases" : "");
}

static const struct pg_meta_version *resolve(const struct pg_decide_ctx *ctx,
                                             const struct pg_req *req, const struct pg_meta *m,
                                             struct pg_verdict *v)
{
    const struct pg_meta_version *mv;
    struct pg_err err = PG_ERR_INIT;

    if (req->locked) {
        mv = pg_meta_find(m, req->locked);
        /* PEP 440 equality, not spelling: ==2.31 installs 2.31.0. */
        if (!mv && m->eco == PG_ECO_PYPI) {
            char *pin = pg_xasprintf("==%s", req->locked);

            mv = pg_pep440_pick(m, pin, 1, 0, NULL);
            free(pin);
        }
        if (!mv)
            undecidable(ctx, v, "the locked version",
                        "the registry does not list that version");
        return mv;
    }
    mv = pick(ctx, req, m, 0, &err);
    if (!mv)
        undecidable(ctx, v, "the version", err.msg);
    return mv;
}

void pg_rules_registry(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                       const struct pg_facts *facts, struct pg_verdict *v)
{
    const struct pg_meta *m = facts->meta;
    const struct pg_meta_version *mv;
    enum pg_action act;

    if (req->source != PG_SRC_REGISTRY || !req->name)
        return;
    if (facts->insecure) {
        insecure(ctx, v, facts->insecure);
        return;
    }
    if (!m && !facts->error)
        return;
    if (!m) {
        undecidable(ctx, v, "the registry rules", facts->error);
        return;
    }
    if (!m->exists) {
        act = pg_policy_action(ctx->pol, PG_RULE_UNKNOWN_PACKAGE);
        if (act != PG_ACT_OFF)
            pg_verdict_add(v, PG_RULE_UNKNOWN_PACKAGE, act, NULL,
                           "no package named %s exists on the registry%s%s%s", req->name,
                           facts->suggest && *facts->suggest ? "; did you mean " : "",
                           facts->suggest ? facts->suggest : "",
                           facts->suggest && *facts->suggest ? "?" : "");
        return;
    }
    act = pg_policy_action(ctx->pol, PG_RULE_QUARANTINED);
    if (act != PG_ACT_OFF && m->status && strcmp(m->status, "quarantined") == 0)
        pg_verdict_add(v, PG_RULE_QUARANTINED, act, NULL,
                       "the index has quarantined this project (PEP 792): do not install it");
    mv = resolve(ctx, req, m, v);
    if (!mv)
        return;
    free(v->version);
    v->version = pg_xstrdup(mv->version);
    if (mv->local_file) {
        local_file(ctx, req, m, mv, v);
        return;
    }
    index_confusion(ctx, req, m, mv, v);
    min_version_age(ctx, req, m, mv, v);
    min_package_age(ctx, m, v);
    version_flags(ctx, req, mv, v);
    if (facts->keys_error && pg_policy_action(ctx->pol, PG_RULE_REGISTRY_SIGNATURE) != PG_ACT_OFF)
        undecidable(ctx, v, pg_rule_name(PG_RULE_REGISTRY_SIGNATURE), facts->keys_error);
    pg_rules_trust(ctx, req, m, mv, facts->keys_error ? NULL : facts->keys, v);
}

const struct pg_meta_version *pg_rules_registry_version(const struct pg_decide_ctx *ctx,
                                                        const struct pg_req *req,
                                                        const struct pg_facts *facts)
{
    const struct pg_meta_version *mv = NULL;
    struct pg_verdict scratch;

    if (req->source != PG_SRC_REGISTRY || !req->name || !facts || facts->insecure ||
        !facts->meta || !facts->meta->exists)
        return NULL;
    /* resolve() explains a failure in a verdict: here nobody reads it. */
    pg_verdict_init(&scratch, req);
    mv = resolve(ctx, req, facts->meta, &scratch);
    pg_verdict_release(&scratch);
    return mv && !mv->local_file ? mv : NULL;
}
