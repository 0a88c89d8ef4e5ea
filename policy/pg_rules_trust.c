#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <sodium.h>

#include "pg_rules_prov.h"
#include "pg_rules_trust.h"
#include "pg_sri.h"
#include "pg_time.h"
#include "pg_util.h"
#include "banned.h"

#define SHOWN_PUBLISHERS 5

/* Registry text in a one-line message: no control bytes, bounded. */
static const char *clean(const char *s, char *buf, size_t n)
{
    size_t i = 0;

    if (!s)
        return "?";
    for (; s[i] && i + 1 < n; i++) {
        buf[i] = s[i];
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            buf[i] = '?';
    }
    buf[i] = '\0';
    return buf;
}

/* Evidence text from a jansson object; takes the reference. */
static char *evidence(json_t *obj)
{
    char *s = obj ? json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

    json_decref(obj);
    return s;
}

static void add(struct pg_verdict *v, enum pg_rule rule, enum pg_action act, json_t *ev,
                const char *msg)
{
    char *e = evidence(ev);

    pg_verdict_add(v, rule, act, e, "%s", msg);
    free(e);
}

static const char *date_of(int64_t t, char *buf, size_t n)
{
    return t >= 0 ? pg_time_format(t, buf, n) : "unknown";
}

/*
 * The digest for alg ("sha512-") in an SRI list, as a pointer into sri and
 * its length; 0 when the list has none.
 */
static size_t sri_token(const char *sri, const char *alg, const char **tok)
{
    size_t alen = strlen(alg);

    for (const char *p = sri; p && *p;) {
        size_t n;

        p += strspn(p, " \t");
        n = strcspn(p, " \t");
        if (n > alen && strncmp(p, alg, alen) == 0) {
            *tok = p;
            return strcspn(p, " \t?");
        }
        p += n;
    }
    return 0;
}

/*
 * A lockfile pins the tarball by its integrity: one that differs from the
 * registry's for the same version will make npm install another tarball
 * (a lockfile pointed at an attacker's host) than the one checked here.
 */
/* 1 if the SRI sha1 digest (base64) is the hex shasum. */
static int sha1_is(const char *b64, size_t n, const char *hex)
{
    unsigned char bin[20], want[20];
    size_t len = 0, hlen = 0;

    if (sodium_base642bin(bin, sizeof(bin), b64, n, NULL, &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len != sizeof(bin) ||
        sodium_hex2bin(want, sizeof(want), hex, strlen(hex), NULL, &hlen, NULL) != 0 ||
        hlen != sizeof(want))
        return 0;
    return sodium_memcmp(bin, want, sizeof(bin)) == 0;
}

/*
 * A lockfile pins the tarball by its integrity: one that differs from the
 * registry's for the same version will make npm install another tarball
 * (a lockfile pointed at an attacker's host) than the one checked here.
 * Nothing to compare it with is no proof either: undecidable.
 */
static void lockfile_integrity(const struct pg_decide_ctx *ctx, enum pg_action act,
                               const struct pg_req *req, const struct pg_meta_version *mv,
                               struct pg_verdict *v)
{
    static const char *const algs[] = {"sha512-", "sha384-", "sha256-", "sha1-"};
    const char *a = NULL, *b = NULL;
    int same = -1;

    if (!req->integrity)
        return;
    for (size_t i = 0; mv->integrity && same < 0 && i < sizeof(algs) / sizeof(algs[0]); i++) {
        size_t na = sri_token(req->integrity, algs[i], &a);
        size_t nb = sri_token(mv->integrity, algs[i], &b);

        if (na && nb)
            same = na == nb && memcmp(a, b, na) == 0;
    }
    if (same < 0 && mv->shasum) {
        size_t na = sri_token(req->integrity, "sha1-", &a);

        if (na)
            same = sha1_is(a + 5, na - 5, mv->shasum);
    }
    if (same == 1)
        return;
    if (same == 0)
        add(v, PG_RULE_INTEGRITY, act, json_pack("{s:s}", "lockfile", req->integrity),
            "the lockfile's integrity for this version differs from the registry's: npm "
            "would install another tarball than the one checked; regenerate the lockfile");
    else
        add(v, PG_RULE_UNDECIDABLE, pg_policy_action(ctx->pol, PG_RULE_UNDECIDABLE), NULL,
            "the lockfile's integrity cannot be compared with the registry's (no common "
            "digest): npm would trust the lockfile's alone");
}

static void rule_integrity(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                           const struct pg_meta_version *mv, struct pg_verdict *v)
{
    enum pg_action act = pg_policy_action(ctx->pol, PG_RULE_INTEGRITY);
    struct pg_err err = PG_ERR_INIT;
    struct pg_sri sri;
    char *msg;

    if (act == PG_ACT_OFF)
        return;
    lockfile_integrity(ctx, act, req, mv, v);
    if (!mv->integrity || pg_sri_parse(&sri, mv->integrity, &err) == 0)
        return;
    msg = pg_xasprintf("%s %s: the registry's integrity for it is malformed (%s); the "
                       "installer could not check what it downloads",
                       req->name, mv->version, err.msg);
    add(v, PG_RULE_INTEGRITY, act,
        json_pack("{s:s%, s:s}", "integrity", mv->integrity, strnlen(mv->integrity, 200), "error",
                  err.msg),
        msg);
    free(msg);
}

static void rule_signature(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                           const struct pg_meta_version *mv, const struct pg_npmkeys *keys,
                           struct pg_verdict *v)
{
    enum pg_action act = pg_policy_action(ctx->pol, PG_RULE_REGISTRY_SIGNATURE);
    const struct pg_sigmemo *memo = pg_npmkeys_count(keys) ? ctx->sigs : NULL;
    struct pg_npmsig_status st;
    char *msg = NULL;

    if (act == PG_ACT_OFF)
        return;
    /* Verified before, with these very keys and bytes. */
    if (memo && memo->known(memo->arg, keys, req->name, mv))
        return;
    switch (pg_npmsig_verify(keys, req->name, mv->version, mv->integrity, mv->signatures_json,
                             mv->published, &st)) {
    case PG_NPMSIG_OK:
        if (memo)
            memo->add(memo->arg, keys, req->name, mv);
        return;
    case PG_NPMSIG_NO_KEYS:
        if (!pg_policy_bool(ctx->pol, PG_RULE_REGISTRY_SIGNATURE, "require_keys", 0))
            return;
        msg = pg_xasprintf("%s@%s cannot be checked: its registry publishes no signing keys, "
                           "and the policy requires them (rules.registry_signature.require_keys)",
                           req->name, mv->version);
        break;
    case PG_NPMSIG_INVALID:
        /* A signature that fails is evidence of tampering, not a gap. */
        act = PG_ACT_BLOCK;
        msg = pg_xstrdup(st.why.msg);
        break;
    case PG_NPMSIG_MISSING:
    case PG_NPMSIG_UNKNOWN_KEY:
    case PG_NPMSIG_EXPIRED_KEY:
        msg = pg_xstrdup(st.why.msg);
        break;
    }
    add(v, PG_RULE_REGISTRY_SIGNATURE, act,
        json_pack("{s:s, s:s}", "result", pg_npmsig_result_name(st.result), "keyid", st.keyid),
        msg);
    /* Allow entries and exceptions vouch for a package, not for a forgery of it. */
    if (st.result == PG_NPMSIG_INVALID)
        v->reasons[v->nreasons - 1].binding = 1;
    free(msg);
}

static const char *evidence_name(enum pg_evidence e)
{
    switch (e) {
    case PG_EVID_TRUSTED_PUBLISHER:
        return "trusted_publisher";
    case PG_EVID_PROVENANCE:
        return "provenance";
    case PG_EVID_NONE:
        return "none";
    case PG_EVID_UNKNOWN:
        break;
    }
    return "unknown";
}

static const char *evidence_words(enum pg_evidence e)
{
    switch (e) {
    case PG_EVID_TRUSTED_PUBLISHER:
        return "came from a trusted publisher";
    case PG_EVID_PROVENANCE:
        return "carried a provenance attestation";
    default:
        return "carries no provenance";
    }
}

/* w was published before mv, and both times are known. */
static int earlier(const struct pg_meta_version *w, const struct pg_meta_version *mv)
{
    return w != mv && w->published >= 0 && w->published < mv->published;
}

static void rule_provenance(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                            const struct pg_meta *m, const struct pg_meta_version *mv,
                            struct pg_verdict *v)
{
    enum pg_action act = pg_policy_action(ctx->pol, PG_RULE_PROVENANCE_DOWNGRADE);
    const struct pg_meta_version *best = NULL;
    /* Fetched and found none: whatever the packument claims, it has none. */
    enum pg_evidence own = mv->prov == PG_PROV_ABSENT ? PG_EVID_NONE : mv->evidence;
    char when[32], how[400];
    char *msg;

    if (act == PG_ACT_OFF || mv->published < 0 || own == PG_EVID_UNKNOWN)
        return;
    for (size_t i = 0; i < m->nversions; i++) {
        const struct pg_meta_version *w = &m->versions[i];

        if (!earlier(w, mv) || w->evidence == PG_EVID_UNKNOWN)
            continue;
        /* The strongest evidence seen, and of those the latest release. */
        if (!best || w->evidence > best->evidence ||
            (w->evidence == best->evidence && w->published > best->published))
            best = w;
    }
    if (!best || best->evidence <= own)
        return;
    date_of(best->published, when, sizeof(when));
    /* Say whether the earlier release's evidence was verified or only claimed. */
    msg = pg_xasprintf("%s %s %s, but %s (published %.10s) %s (%s): a release built outside "
                       "the project's usual pipeline, as with a stolen token",
                       req->name, mv->version, evidence_words(own), best->version, when,
                       evidence_words(best->evidence), pg_rules_prov_words(best, how, sizeof(how)));
    add(v, PG_RULE_PROVENANCE_DOWNGRADE, act,
        json_pack("{s:s, s:s, s:s, s:s, s:s}", "evidence", evidence_name(own),
                  "earlier_version", best->version, "earlier_evidence",
                  evidence_name(best->evidence), "earlier_published", when,
                  "earlier_provenance", pg_prov_state_name(best->prov)),
        msg);
    free(msg);
}

static int newest_first(const void *a, const void *b)
{
    const struct pg_meta_version *x = *(const struct pg_meta_version *const *)a;
    const struct pg_meta_version *y = *(const struct pg_meta_version *const *)b;

    return (x->published < y->published) - (x->published > y->published);
}

/* Earlier versions with a known publisher, newest first; caller frees. */
static const struct pg_meta_version **earlier_published(const struct pg_meta *m,
                                                        const struct pg_meta_version *mv, size_t *n)
{
    const struct pg_meta_version **list = pg_xcalloc(m->nversions + 1, sizeof(*list));

    *n = 0;
    for (size_t i = 0; i < m->nversions; i++)
        if (earlier(&m->versions[i], mv) && m->versions[i].publisher)
            list[(*n)++] = &m->versions[i];
    qsort(list, *n, sizeof(*list), newest_first);
    return list;
}

static void npm_publisher(enum pg_action act, const struct pg_req *req,
                          const struct pg_meta_version *mv, const struct pg_meta_version **prev,
                          size_t n, struct pg_verdict *v)
{
    json_t *names = json_array();
    char who[80], last[80];
    char *msg;

    for (size_t i = 0; i < n; i++)
        if (strcmp(prev[i]->publisher, mv->publisher) == 0) {
            json_decref(names);
            return;
        }
    for (size_t i = 0; i < n && json_array_size(names) < SHOWN_PUBLISHERS; i++) {
        int seen = 0;

        for (size_t j = 0; j < i; j++)
            seen |= strcmp(prev[j]->publisher, prev[i]->publisher) == 0;
        if (!seen)
            json_array_append_new(names, json_string(prev[i]->publisher));
    }
    msg = pg_xasprintf("%s %s was published by npm user '%s', who published none of its %zu "
                       "earlier releases (the last, %s, was published by '%s'; the registry's "
                       "account names, not verified)",
                       req->name, mv->version, clean(mv->publisher, who, sizeof(who)), n,
                       prev[0]->version, clean(prev[0]->publisher, last, sizeof(last)));
    add(v, PG_RULE_PUBLISHER_CHANGE, act,
        json_pack("{s:s, s:o, s:I}", "publisher", mv->publisher, "earlier_publishers", names,
                  "earlier_releases", (json_int_t)n),
        msg);
    free(msg);
}

static int same_workflow(const char *a, const char *b)
{
    return !a || !b || strcmp(a, b) == 0;
}

static void pypi_publisher(enum pg_action act, const struct pg_req *req,
                           const struct pg_meta_version *mv, const struct pg_meta_version *prev,
                           struct pg_verdict *v)
{
    char r1[120], r2[120], w1[80], w2[80];
    char *msg;

    /* GitHub and GitLab compare owner/repository without regard to case. */
    if (strcasecmp(prev->publisher, mv->publisher) == 0 &&
        same_workflow(prev->publisher_workflow, mv->publisher_workflow))
        return;
    msg = pg_xasprintf("%s %s was published from %s (workflow %s), but the release before it, "
                       "%s, came from %s (workflow %s) (as the index states; not verified)",
                       req->name, mv->version, clean(mv->publisher, r1, sizeof(r1)),
                       clean(mv->publisher_workflow, w1, sizeof(w1)), prev->version,
                       clean(prev->publisher, r2, sizeof(r2)),
                       clean(prev->publisher_workflow, w2, sizeof(w2)));
    add(v, PG_RULE_PUBLISHER_CHANGE, act,
        json_pack("{s:s, s:s?, s:s, s:s, s:s?}", "repository", mv->publisher, "workflow",
                  mv->publisher_workflow, "previous_version", prev->version, "previous_repository",
                  prev->publisher, "previous_workflow", prev->publisher_workflow),
        msg);
    free(msg);
}

/*
 * Both this version and the attested release before it verified: compare
 * who built them, as the certificates say. 1 when that decided.
 */
static int verified_publisher(enum pg_action act, const struct pg_req *req,
                              const struct pg_meta *m, const struct pg_meta_version *mv,
                              struct pg_verdict *v)
{
    const struct pg_meta_version *prev = pg_rules_prov_earlier(m, mv);
    char now[400], before[400];
    char *msg;

    if (mv->prov != PG_PROV_VERIFIED || !prev || prev->prov != PG_PROV_VERIFIED)
        return 0;
    if (strcasecmp(prev->prov_repository, mv->prov_repository) == 0 &&
        same_workflow(prev->prov_workflow, mv->prov_workflow))
        return 1;
    msg = pg_xasprintf("%s %s was built elsewhere than the attested release before it: %s %s "
                       "(%s), but %s (%s)",
                       req->name, mv->version, req->name, mv->version,
                       pg_rules_prov_words(mv, now, sizeof(now)), prev->version,
                       pg_rules_prov_words(prev, before, sizeof(before)));
    add(v, PG_RULE_PUBLISHER_CHANGE, act,
        json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s?}", "provenance", "verified", "repository",
                  mv->prov_repository, "workflow", mv->prov_workflow, "previous_version",
                  prev->version, "previous_repository", prev->prov_repository,
                  "previous_workflow", prev->prov_workflow),
        msg);
    free(msg);
    return 1;
}

static void rule_publisher(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                           const struct pg_meta *m, const struct pg_meta_version *mv,
                           struct pg_verdict *v)
{
    enum pg_action act = pg_policy_action(ctx->pol, PG_RULE_PUBLISHER_CHANGE);
    const struct pg_meta_version **prev;
    size_t n = 0;

    if (act == PG_ACT_OFF || mv->published < 0 || verified_publisher(act, req, m, mv, v) ||
        !mv->publisher)
        return;
    prev = earlier_published(m, mv, &n);
    if (n > 0 && m->eco == PG_ECO_NPM)
        npm_publisher(act, req, mv, prev, n, v);
    else if (n > 0)
        pypi_publisher(act, req, mv, prev[0], v);
    free(prev);
}

void pg_rules_trust(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                    const struct pg_meta *m, const struct pg_meta_version *mv,
                    const struct pg_npmkeys *keys, struct pg_verdict *v)
{
    if (!m || !mv || !req->name || !mv->version)
        return;
    rule_integrity(ctx, req, mv, v);
    if (m->eco == PG_ECO_NPM)
        rule_signature(ctx, req, mv, keys, v);
    pg_rules_prov(ctx, req, mv, v);
    rule_provenance(ctx, req, m, mv, v);
    rule_publisher(ctx, req, m, mv, v);
}

char *pg_rules_trust_no_keys_note(const struct pg_decide_ctx *ctx, const char *registry)
{
    if (pg_policy_action(ctx->pol, PG_RULE_REGISTRY_SIGNATURE) == PG_ACT_OFF ||
        pg_policy_bool(ctx->pol, PG_RULE_REGISTRY_SIGNATURE, "require_keys", 0))
        return NULL;
    return pg_xasprintf("%s publishes no signing keys (/-/npm/v1/keys): registry signatures "
                        "are not checked for its packages (rules.registry_signature."
                        "require_keys: true refuses such a registry)",
                        registry);
}
