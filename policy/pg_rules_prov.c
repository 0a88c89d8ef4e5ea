/*
 * pg_rules_prov.c - the provenance rule and the verified identity in the
 * verdict (pg_rules_prov.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pg_rules_prov.h"
#include "pg_util.h"
#include "banned.h"

/* Registry and certificate text in a one-line message: no control bytes. */
static void clean_into(char *dst, size_t n, const char *s)
{
    size_t i = 0;

    for (; s && s[i] && i + 1 < n; i++)
        dst[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    dst[i] = '\0';
}

const char *pg_rules_prov_words(const struct pg_meta_version *w, char *buf, size_t n)
{
    char repo[200], wf[120];

    if (w->prov != PG_PROV_VERIFIED) {
        snprintf(buf, n, "as the registry states; not verified");
        return buf;
    }
    clean_into(repo, sizeof(repo), w->prov_repository);
    clean_into(wf, sizeof(wf), w->prov_workflow);
    if (w->prov_workflow)
        snprintf(buf, n, "verified: built by %s, workflow %s", repo, wf);
    else
        snprintf(buf, n, "verified: built by %s", repo);
    return buf;
}

static int names_attestations(const struct pg_meta *m, const struct pg_meta_version *w)
{
    return m->eco == PG_ECO_NPM ? w->attestations_url != NULL : w->provenance_url != NULL;
}

const struct pg_meta_version *pg_rules_prov_earlier(const struct pg_meta *m,
                                                    const struct pg_meta_version *mv)
{
    const struct pg_meta_version *best = NULL;

    if (mv->published < 0)
        return NULL;
    for (size_t i = 0; i < m->nversions; i++) {
        const struct pg_meta_version *w = &m->versions[i];

        if (w == mv || w->published < 0 || w->published >= mv->published ||
            !names_attestations(m, w))
            continue;
        if (!best || w->published > best->published)
            best = w;
    }
    return best;
}

/* The verdict shows what was found, whatever the rules make of it. */
static void carry(const struct pg_meta_version *mv, struct pg_verdict *v)
{
    v->provenance = pg_prov_state_name(mv->prov);
    free(v->prov_repository);
    free(v->prov_workflow);
    free(v->prov_detail);
    v->prov_repository = mv->prov_repository ? pg_xstrdup(mv->prov_repository) : NULL;
    v->prov_workflow = mv->prov_workflow ? pg_xstrdup(mv->prov_workflow) : NULL;
    v->prov_detail = mv->prov_detail ? pg_xstrdup(mv->prov_detail) : NULL;
}

static char *evidence(const struct pg_meta_version *mv, const char *required_by)
{
    json_t *o = json_pack("{s:s, s:s?, s:s?}", "provenance", pg_prov_state_name(mv->prov),
                          "detail", mv->prov_detail, "required_by", required_by);
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

    json_decref(o);
    return s;
}

/* Why a required version is not verified, for the message. */
static const char *state_words(const struct pg_meta_version *mv)
{
    switch (mv->prov) {
    case PG_PROV_ABSENT:
        return "it carries no attestation";
    case PG_PROV_UNSUPPORTED:
        return "its attestation is of a kind pkggate does not verify";
    case PG_PROV_UNAVAILABLE:
        return "its attestations could not be fetched";
    case PG_PROV_INVALID:
        return "its attestation does not verify";
    default:
        return "its attestations were not checked";
    }
}

/* 1 when require_provenance names the package and it is not verified (reason added). */
static int required(const struct pg_decide_ctx *ctx, enum pg_action act, const struct pg_req *req,
                    const struct pg_meta_version *mv, struct pg_verdict *v)
{
    const char *which = NULL;
    char *ev;
    char detail[PG_ERR_MSG_MAX + 4] = "";

    if (mv->prov == PG_PROV_VERIFIED ||
        !pg_policy_requires_provenance(ctx->pol, req->eco, req->name, mv->version, &which))
        return 0;
    if (mv->prov_detail)
        snprintf(detail, sizeof(detail), " (%s)", mv->prov_detail);
    ev = evidence(mv, which);
    /*
     * The list only tightens: lifting an entry is removing it, which only
     * the layer that wrote it can do. An allow entry or an exception (which
     * an untrusted layer could add once trusted for something else) is no
     * back door around it.
     */
    pg_verdict_add(v, PG_RULE_PROVENANCE, act, ev,
                   "%s %s has no verified provenance: %s%s; the policy requires it "
                   "(require_provenance: %s)",
                   req->name, mv->version, state_words(mv), detail, which)
        ->binding = 1;
    free(ev);
    return 1;
}

void pg_rules_prov(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                   const struct pg_meta_version *mv, struct pg_verdict *v)
{
    enum pg_action act = pg_policy_action(ctx->pol, PG_RULE_PROVENANCE);
    enum pg_action undecided = pg_policy_action(ctx->pol, PG_RULE_UNDECIDABLE);
    char *ev;

    if (mv->prov != PG_PROV_UNCHECKED)
        carry(mv, v);
    if (act == PG_ACT_OFF)
        return;
    if (mv->prov == PG_PROV_INVALID) {
        ev = evidence(mv, NULL);
        /* A forged attestation is evidence of tampering, not a gap. */
        pg_verdict_add(v, PG_RULE_PROVENANCE, PG_ACT_BLOCK, ev,
                       "%s %s: its provenance attestation does not verify (%s): what the "
                       "registry serves may have been tampered with",
                       req->name, mv->version, mv->prov_detail ? mv->prov_detail : "?")
            ->binding = 1;
        free(ev);
        return;
    }
    if (required(ctx, act, req, mv, v) || mv->prov != PG_PROV_UNAVAILABLE)
        return;
    pg_verdict_add(v, PG_RULE_UNDECIDABLE, undecided, NULL,
                   "provenance cannot be checked: the registry names attestations for %s %s "
                   "that could not be verified (%s); the policy's \"undecidable\" is %s",
                   req->name, mv->version, mv->prov_detail ? mv->prov_detail : "?",
                   undecided == PG_ACT_OFF ? "allow" : pg_action_name(undecided));
}
