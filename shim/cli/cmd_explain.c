/*
 * pkggate explain PURL [--offline]
 *
 * Why a verdict is what it is: the facts each rule saw about the version
 * that would be installed (publish time, publisher, provenance as stated
 * and as verified, registry signature, install scripts, the nearest popular
 * names), the thresholds
 * in force with the layer that set each (as `policy show` gives them), and
 * the verdict itself. Installs nothing, logs nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg_decide.h"
#include "pg_provplan.h"
#include "pg_exit.h"
#include "pg_fetch.h"
#include "pg_gate.h"
#include "pg_main.h"
#include "pg_npmsig.h"
#include "pg_purl.h"
#include "pg_render.h"
#include "pg_typo.h"
#include "banned.h"

static const char explain_usage[] =
    "usage: pkggate explain PURL [--offline]\n"
    "\n"
    "Shows what each rule saw about the version of PURL (pkg:npm/NAME[@RANGE],\n"
    "pkg:pypi/NAME[@SPEC]) that would be installed, the thresholds in force and\n"
    "the layer that set each, and the verdict. Exit 0, 10 if it would be blocked.\n";

static void when(const char *label, int64_t t, time_t now)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char day[32];

    if (t <= 0 || !gmtime_r(&tt, &tm)) {
        printf("  %-22s unknown\n", label);
        return;
    }
    strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("  %-22s %s (%.1f days ago)\n", label, day, (double)(now - tt) / 86400.0);
}

static const char *evidence(enum pg_evidence e)
{
    switch (e) {
    case PG_EVID_TRUSTED_PUBLISHER:
        return "trusted publisher (as the registry states it; not verified)";
    case PG_EVID_PROVENANCE:
        return "provenance (as the registry states it; not verified)";
    case PG_EVID_NONE:
        return "none";
    default:
        return "unknown";
    }
}

static void version_facts(const struct pg_req *req, const struct pg_facts *f,
                          const struct pg_meta_version *mv, time_t now)
{
    struct pg_npmsig_status st;

    printf("  %-22s %s\n", "version judged", mv->version);
    when("published", mv->published, now);
    when("first release", f->meta->created, now);
    printf("  %-22s %s%s%s\n", "publisher", mv->publisher ? mv->publisher : "not stated",
           mv->publisher_workflow ? " / " : "", mv->publisher_workflow ? mv->publisher_workflow : "");
    printf("  %-22s %s\n", "provenance", evidence(mv->evidence));
    /* What the provenance round verified, beside what the registry states. */
    if (mv->prov != PG_PROV_UNCHECKED)
        printf("  %-22s %s%s%s%s%s\n", "attestations", pg_prov_state_name(mv->prov),
               mv->prov_repository ? ": built by " : "",
               mv->prov_repository ? mv->prov_repository : "",
               mv->prov_workflow ? ", workflow " : "", mv->prov_workflow ? mv->prov_workflow : "");
    if (mv->prov_detail)
        printf("  %-22s %s\n", "why", mv->prov_detail);
    if (req->eco == PG_ECO_NPM) {
        pg_npmsig_verify(f->keys, req->name, mv->version, mv->integrity, mv->signatures_json,
                         mv->published, &st);
        printf("  %-22s %s%s%s\n", "registry signature", pg_npmsig_result_name(st.result),
               st.why.msg[0] ? ": " : "", st.why.msg);
        printf("  %-22s %s\n", "install scripts", mv->install_scripts ? "yes" : "no");
    }
    if (mv->deprecated == 1 || mv->yanked == 1)
        printf("  %-22s %s\n", "marked", mv->deprecated == 1 ? "deprecated" : "yanked");
}

static void facts_lines(const struct pg_req *req, const struct pg_facts *f,
                        const struct pg_verdict *v, time_t now)
{
    const char *near[3];
    size_t n = pg_typo_suggest(pg_typo_builtin(), req->eco, req->name, near, 3);
    const struct pg_meta_version *mv = NULL;

    printf("facts:\n");
    printf("  %-22s", "nearest popular names");
    for (size_t i = 0; i < n; i++)
        printf("%s %s", i ? "," : "", near[i]);
    printf("%s\n", n ? "" : " none close");
    if (!f->meta) {
        printf("  %-22s %s\n", "registry", f->error ? f->error : "not asked");
        return;
    }
    if (!f->meta->exists) {
        printf("  %-22s no such package\n", "registry");
        return;
    }
    if (v->version)
        mv = pg_meta_find(f->meta, v->version);
    if (mv)
        version_facts(req, f, mv, now);
    else
        printf("  %-22s no version matches '%s'\n", "version judged", req->spec);
}

/* The policy show lines that bear on a verdict, with their origins. */
static void thresholds(const struct pg_policy *pol)
{
    struct pg_sb all = PG_SB_INIT;
    const char *p;

    pg_policy_show(pol, &all);
    printf("thresholds (and the layer that set each):\n");
    for (p = pg_sb_str(&all); *p;) {
        size_t n = strcspn(p, "\n");

        if (*p != '#' && (!strncmp(p, "mode ", 5) || !strncmp(p, "undecidable ", 12) ||
                          !strncmp(p, "rules.", 6) || !strncmp(p, "exceptions[", 11) ||
                          !strncmp(p, "allow[", 6) || !strncmp(p, "deny[", 5)))
            printf("  %.*s\n", (int)n, p);
        p += n + (p[n] == '\n');
    }
    pg_sb_release(&all);
}

static int explain(const struct pg_policy *pol, struct pg_req *req, int offline)
{
    struct pg_reqlist reqs = {req, 1, 1};
    struct pg_facts facts;
    struct pg_fetch_opts fo = {offline, NULL, 0, 1, 0};
    struct pg_decide_ctx ctx = {.pol = pol, .typo = pg_typo_builtin(), .now = time(NULL)};
    struct pg_fetch *f = pg_fetch_run(pol, NULL, &reqs, &fo, &facts);
    struct pg_verdict v;
    struct pg_sb line = PG_SB_INIT;
    int rc;

    /* The attestations of the version judged, verified as an install would. */
    pg_provplan_run(f, pol, &fo, &ctx, NULL, req, &facts, 1, NULL, NULL, 0);
    pg_decide(&ctx, req, &facts, &v);
    printf("pkg:%s/%s%s%s\n", pg_eco_name(req->eco), req->name, *req->spec ? "@" : "", req->spec);
    facts_lines(req, &facts, &v, ctx.now);
    thresholds(pol);
    pg_render_human(&v, 0, &line);
    printf("verdict: %s\n%s", pg_decision_name(v.decision),
           line.len ? pg_sb_str(&line) : "  no rule fired\n");
    rc = v.decision == PG_BLOCK ? PG_EXIT_BLOCKED : PG_EXIT_OK;
    pg_sb_release(&line);
    pg_verdict_release(&v);
    pg_fetch_free(f);
    return rc;
}

int pg_main_explain(int argc, char **argv)
{
    struct pg_purl pat = PG_PURL_INIT;
    struct pg_err err = PG_ERR_INIT;
    struct pg_policy *pol = NULL;
    struct pg_req req;
    const char *purl = NULL;
    int offline = 0, rc = PG_EXIT_USAGE;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--offline")) {
            offline = 1;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(explain_usage, stdout);
            return PG_EXIT_OK;
        } else if (argv[i][0] == '-' || purl) {
            fprintf(stderr, "pkggate explain: unexpected '%s'\n%s", argv[i], explain_usage);
            return PG_EXIT_USAGE;
        } else {
            purl = argv[i];
        }
    }
    if (!purl || pg_purl_parse(&pat, purl, &err) < 0 || pat.glob) {
        fprintf(stderr, "pkggate explain: %s\n%s", purl ? (pat.glob ? "one package, no globs" : err.msg)
                                                        : "name a package as a purl", explain_usage);
        goto out;
    }
    memset(&req, 0, sizeof(req));
    req.eco = pat.eco;
    req.source = PG_SRC_REGISTRY;
    req.name = pg_xstrdup(pat.name);
    /* A bare PyPI version in a purl means "==" (pg_purl.h). */
    req.spec = pat.eco == PG_ECO_PYPI && pat.range && pat.range[0] >= '0' && pat.range[0] <= '9'
                   ? pg_xasprintf("==%s", pat.range)
                   : pg_xstrdup(pat.range ? pat.range : "");
    req.origin = pg_xstrdup("argv");
    rc = PG_EXIT_FAILED;
    if (pg_gate_load_policy(&pol, offline ? PG_GATE_OFFLINE : 0) == 0)
        rc = explain(pol, &req, offline);
    pg_policy_free(pol);
    pg_req_release(&req);
out:
    pg_purl_release(&pat);
    return rc;
}
