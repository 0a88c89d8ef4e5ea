#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "pg_audit.h"
#include "pg_decide.h"
#include "pg_deptree.h"
#include "pg_exit.h"
#include "pg_fetch.h"
#include "pg_gate.h"
#include "pg_held.h"
#include "pg_pipformat.h"
#include "pg_provplan.h"
#include "pg_render.h"
#include "pg_report.h"
#include "pg_semver.h"
#include "pg_strmap.h"
#include "pg_typo.h"
#include "pg_vcache.h"
#include "pg_version.h"
#include "banned.h"

void pg_gate_errorf(const char *fmt, ...)
{
    struct pg_sb raw = PG_SB_INIT, line = PG_SB_INIT;
    char *shown;
    va_list ap;

    va_start(ap, fmt);
    pg_sb_vaddf(&raw, fmt, ap);
    va_end(ap);
    /* Argv words and file lines may be URLs with credentials in them. */
    shown = pg_redact_urls(pg_sb_str(&raw));
    pg_render_clean(&line, shown);
    pg_sb_addc(&line, '\n');
    fputs(pg_sb_str(&line), stderr);
    pg_sb_release(&line);
    pg_sb_release(&raw);
    free(shown);
}

static const char *env_get(const char *name)
{
    return getenv(name);
}

/*
 * The org anchor and the org layer's path are compiled in (see pg_policy.h,
 * "Signed org policy"): no variable read here can move or drop the pin.
 */
int pg_gate_load_policy(struct pg_policy **pol, unsigned flags)
{
    struct pg_policy_paths paths;
    struct pg_err err = PG_ERR_INIT;
    const struct pg_policy_orginfo *org;
    char *buf = pg_xmalloc(PG_POLICY_PATHS_BUFSZ);
    int rc = 0;

    pg_policy_paths_from_env(&paths, buf, PG_POLICY_PATHS_BUFSZ, env_get);
    paths.offline = (flags & PG_GATE_OFFLINE) != 0;
    if (pg_policy_load(pol, &paths, &err) < 0) {
        /* Only an install has something that was not installed. */
        pg_gate_errorf("pkggate: policy: %s%s", err.msg,
                       flags & PG_GATE_INSTALL ? " (nothing was installed)" : "");
        rc = -1;
        goto out;
    }
    /* A project or $PKGGATE_POLICY file that loosens: never silently, trusted or not. */
    {
        struct pg_sb loose = PG_SB_INIT;

        pg_policy_trust_notes(*pol, &loose);
        fputs(pg_sb_str(&loose), stderr);
        pg_sb_release(&loose);
    }
    /* Say so when the org policy is a cached copy: it may be behind the server's. */
    org = pg_policy_org_info(*pol);
    if (org && org->cached && org->fetch_error && strcmp(org->fetch_error, "offline") != 0)
        pg_gate_errorf("pkggate: note: org policy %s: %s; using the cached copy (serial %llu, "
                       "signature verified)",
                       org->source, org->fetch_error, (unsigned long long)org->serial);
out:
    free(buf);
    return rc;
}

int pg_gate_color(void)
{
    const char *nc = getenv("NO_COLOR");

    return isatty(STDERR_FILENO) && !(nc && *nc);
}

/* The registry option as typed, for suggested commands; credentials hidden. */
static char *pin_args(const struct pg_cmd *cmd)
{
    char *shown, *args;

    if (!cmd || !cmd->index_url)
        return NULL;
    shown = pg_redact_urls(cmd->index_url);
    args = pg_xasprintf("%s %s", cmd->eco == PG_ECO_NPM ? "--registry" : "-i", shown);
    free(shown);
    return args;
}

/* Where "once per project" warnings are keyed: npm's project, else the cwd. */
static const char *project_dir(const struct pg_cmd *cmd, char *buf, size_t size)
{
    if (cmd && cmd->manifest_dir)
        return cmd->manifest_dir;
    return getcwd(buf, size) ? buf : "";
}

/* One audit line for what concerns the whole command, not one package. */
static void audit_command(const char *actx, const char *rule, const char *action,
                          const char *message, struct pg_sb *audit)
{
    json_t *line = json_loads(actx, 0, NULL);
    char *text;

    if (!json_is_object(line))
        line = json_object();
    json_object_set_new(line, "decision", json_string(action));
    json_object_set_new(line, "reasons", json_pack("[{s:s, s:s, s:s}]", "rule", rule, "action",
                                                   action, "message", message));
    text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text) {
        pg_sb_adds(audit, text);
        pg_sb_addc(audit, '\n');
    }
    free(text);
    json_decref(line);
}

/*
 * What the tree could not judge: its notes (bundled dependencies), and
 * what it did not follow, which the policy's "undecidable" decides.
 * Returns 1 when that blocks.
 */
static size_t tree_says(const struct pg_gate_opts *o, const struct pg_policy *pol,
                        const struct pg_deptree *d, const char *actx, struct pg_sb *human,
                        struct pg_sb *audit)
{
    enum pg_action act = pg_policy_action(pol, PG_RULE_UNDECIDABLE);
    enum pg_mode mode = pg_policy_mode(pol);
    int block = act == PG_ACT_BLOCK && mode == PG_MODE_ENFORCE;
    int say = mode != PG_MODE_AUDIT && !o->quiet;
    const struct pg_strlist *un = &d->tree.undecidable;

    for (size_t i = 0; say && i < d->tree.notes.n; i++) {
        pg_sb_adds(human, "pkggate: note: ");
        pg_render_clean(human, d->tree.notes.v[i]);
        pg_sb_addc(human, '\n');
    }
    for (size_t i = 0; i < un->n; i++) {
        const char *word = act == PG_ACT_OFF ? "note:" : block ? "blocked" : "warning";

        if (mode != PG_MODE_AUDIT && (say || block)) {
            pg_sb_addf(human, "pkggate: %s [undecidable] ", word);
            pg_render_clean(human, un->v[i]);
            pg_sb_addf(human, "; the policy's \"undecidable\" is %s\n",
                       act == PG_ACT_OFF ? "allow" : pg_action_name(act));
        }
        if (act != PG_ACT_OFF)
            audit_command(actx, "undecidable", block ? "block" : "warn", un->v[i], audit);
    }
    return un->n && block;
}

/* Node i of what is judged: the command's packages, then the tree's. */
static const struct pg_req *node(const struct pg_reqlist *reqs, struct pg_facts *facts,
                                 struct pg_deptree *tree, size_t i, struct pg_facts **fact)
{
    if (i < reqs->n) {
        *fact = &facts[i];
        return &reqs->v[i];
    }
    *fact = &tree->facts[i - reqs->n];
    return &tree->tree.deps.v[i - reqs->n];
}

/*
 * What the rules need beyond each package's own packument
 * (pg_decide_related: typosquat's companion check reads the packument of
 * the popular name a package it would block resembles): one more parallel
 * round, only when some package needs one, each name asked once; a
 * facts record of it within the policy's "revalidate" answers (pg_fetch:
 * origin "related"). The requests stay in *targets until f is freed.
 */
static void fetch_related(struct pg_fetch *f, const struct pg_decide_ctx *ctx,
                          const struct pg_cmd *cmd, const struct pg_fetch_opts *fo,
                          const struct pg_reqlist *reqs, struct pg_facts *facts,
                          struct pg_deptree *tree, struct pg_reqlist *targets)
{
    size_t n = reqs->n + tree->tree.deps.n;
    size_t *which = pg_xcalloc(n ? n : 1, sizeof(*which)); /* 1 + index in targets; 0: none */
    struct pg_facts *tf = NULL, *fact;

    for (size_t i = 0; f && i < n; i++) {
        const struct pg_req *r = node(reqs, facts, tree, i, &fact);
        char *name = fact->cached ? NULL : pg_decide_related(ctx, r, fact->meta);
        size_t k = 0;

        if (!name)
            continue;
        while (k < targets->n && strcmp(targets->v[k].name, name) != 0)
            k++;
        if (k == targets->n) {
            struct pg_req *t = pg_reqlist_add(targets, r->eco, PG_SRC_REGISTRY);

            t->name = name;
            t->spec = pg_xstrdup("");
            t->origin = pg_xstrdup("related");
            name = NULL;
        }
        free(name);
        which[i] = k + 1;
    }
    if (targets->n) {
        tf = pg_xcalloc(targets->n, sizeof(*tf));
        pg_fetch_more(f, ctx->pol, cmd, targets, fo, tf);
        for (size_t i = 0; i < n; i++)
            if (which[i] && node(reqs, facts, tree, i, &fact))
                fact->target = tf[which[i] - 1].meta;
    }
    free(tf);
    free(which);
}

/* The version node r is judged at (a pin, else the registry's pick), or NULL. */
static const char *judged_version(const struct pg_decide_ctx *ctx, const struct pg_req *r,
                                  const struct pg_facts *fact)
{
    const struct pg_meta_version *mv;

    if (r->locked)
        return r->locked;
    mv = fact->meta ? pg_decide_version(ctx, r, fact) : NULL;
    return mv ? mv->version : NULL;
}

/* One edge a sponsor declares: the node that declares it, and its range. */
struct edge {
    size_t from;
    const char *spec;
};

/*
 * Typosquat's sponsors (pg_facts.sponsor), npm only: for each node popular
 * enough to sponsor, the dependencies its judged version declares as the
 * registry lists them. A node of such a name is sponsored when its judged
 * version is within the declared range: a registry range, not a git, URL,
 * file or alias spec (those name another package than the registry's).
 */
static void find_sponsors(const struct pg_decide_ctx *ctx, const struct pg_reqlist *reqs,
                          struct pg_facts *facts, struct pg_deptree *tree)
{
    size_t n = reqs->n + tree->tree.deps.n, nedges = 0, alloc = 0;
    struct pg_strmap by = PG_STRMAP_INIT; /* dependency name -> index in edges */
    struct edge *edges = NULL;
    struct pg_facts *fact, *other;

    for (size_t i = 0; i < n; i++) {
        const struct pg_req *r = node(reqs, facts, tree, i, &fact);
        const struct pg_meta_version *mv;

        if (r->eco != PG_ECO_NPM || !fact->meta || !pg_decide_sponsors(ctx, r))
            continue;
        mv = pg_decide_version(ctx, r, fact);
        for (size_t k = 0; mv && k < mv->ndeps; k++) {
            if (!mv->deps[k].spec || pg_strmap_get(&by, mv->deps[k].name))
                continue;
            pg_xgrow((void **)&edges, &alloc, nedges + 1, sizeof(*edges));
            edges[nedges] = (struct edge){i, mv->deps[k].spec};
            pg_strmap_put(&by, mv->deps[k].name, nedges++);
        }
    }
    for (size_t i = 0; nedges && i < n; i++) {
        const struct pg_req *r = node(reqs, facts, tree, i, &fact);
        const size_t *at = r->name && r->eco == PG_ECO_NPM ? pg_strmap_get(&by, r->name) : NULL;
        /* Only a name typosquat looks at twice needs one: most names a
         * popular package declares are nothing like a popular name. */
        const char *version = at && edges[*at].from != i && !fact->cached &&
                                      pg_decide_sponsorable(ctx, r)
                                  ? judged_version(ctx, r, fact)
                                  : NULL;

        /* -1 for a spec that is no range (git, URL, file, npm: alias). */
        if (version && pg_semver_satisfies(version, edges[*at].spec, 0) == 1)
            fact->sponsor = node(reqs, facts, tree, edges[*at].from, &other)->name;
    }
    free(edges);
    pg_strmap_release(&by);
}

/*
 * Which nodes the verdict cache answers for (pg_facts.cached), once the
 * attestations are in (they are part of the key) and before typosquat's
 * companions are asked: a cached verdict is a plain allow rebuilt from
 * the request, whatever a companion or a sponsor would say.
 */
static void probe(struct pg_decide_ctx *ctx, struct pg_vcache *vc, const struct pg_cmd *cmd,
                  const struct pg_reqlist *reqs, struct pg_facts *facts, struct pg_deptree *tree)
{
    struct pg_facts *fact;
    struct pg_verdict v;

    for (size_t i = 0; vc && i < reqs->n + tree->tree.deps.n; i++) {
        const struct pg_req *r = node(reqs, facts, tree, i, &fact);

        ctx->kinds = cmd && r->name ? pg_pipformat_kinds(&cmd->formats, r->name) : 0;
        fact->cached = pg_vcache_get(vc, r, fact, &v);
        if (fact->cached)
            pg_verdict_release(&v);
    }
}

/* One verdict: from the verdict cache when it holds one, else decided. */
static void judge(const struct pg_gate_opts *o, struct pg_decide_ctx *ctx, struct pg_vcache *vc,
                  const struct pg_cmd *cmd, const struct pg_req *r, const struct pg_facts *fact,
                  struct pg_held *held, struct pg_report *rep)
{
    struct pg_verdict v;

    if (fact->cached) {
        pg_verdict_init(&v, r); /* what pg_vcache_get gave: a plain allow */
    } else {
        ctx->kinds = cmd && r->name ? pg_pipformat_kinds(&cmd->formats, r->name) : 0;
        pg_decide(ctx, r, fact, &v);
        pg_vcache_put(vc, r, fact, &v);
    }
    /* What was judged, for the check of what landed (pg_landed.h). */
    if (o->judged && v.name && v.version) {
        char *key = pg_version_ident(v.eco, v.name, v.version);

        pg_strmap_put(o->judged, key, 0);
        free(key);
    }
    if (!pg_held_take(held, r, &v))
        pg_report_add(rep, &v);
    pg_verdict_release(&v);
}

/* Every node at the version it was judged at, for npm's answer about held packages. */
static void tell_held(const struct pg_decide_ctx *ctx, const struct pg_reqlist *reqs,
                      struct pg_facts *facts, struct pg_deptree *tree, struct pg_held *held)
{
    struct pg_facts *fact;

    for (size_t i = 0; pg_held_count(held) && i < reqs->n + tree->tree.deps.n; i++) {
        const struct pg_req *r = node(reqs, facts, tree, i, &fact);
        const char *version = judged_version(ctx, r, fact);
        const struct pg_meta_version *mv =
            version && fact->meta ? pg_meta_find(fact->meta, version) : NULL;

        pg_held_judged(held, r, version, mv ? mv->install_scripts : -1);
    }
}

/* Held blocks settled: npm is asked only when nothing else blocks (pg_held.h). */
static void settle_held(const struct pg_decide_ctx *ctx, const struct pg_reqlist *reqs,
                        struct pg_facts *facts, struct pg_deptree *tree, struct pg_held *held,
                        struct pg_report *rep)
{
    if (!rep->blocked)
        tell_held(ctx, reqs, facts, tree, held);
    pg_held_settle(held, rep);
}

/* Every node, the command's packages first; blocks of installed packages held (pg_held.h). */
static void judge_all(const struct pg_gate_opts *o, struct pg_decide_ctx *ctx,
                      struct pg_vcache *vc, const struct pg_cmd *cmd,
                      const struct pg_reqlist *reqs, struct pg_facts *facts,
                      struct pg_deptree *tree, struct pg_held *held, struct pg_report *rep)
{
    struct pg_facts *fact;

    for (size_t i = 0; i < reqs->n + tree->tree.deps.n; i++) {
        const struct pg_req *r = node(reqs, facts, tree, i, &fact);

        judge(o, ctx, vc, cmd, r, fact, held, rep);
    }
}

/* What the rules read of the tool's own settings. */
static void tool_settings(const struct pg_cmd *cmd, struct pg_decide_ctx *ctx,
                          struct pg_semver_env *npm)
{
    ctx->pre = cmd && cmd->pre;
    ctx->scripts_off = cmd && cmd->eco == PG_ECO_NPM && cmd->npm_ignore_scripts;
    pg_deptree_npm_env(cmd, npm);
    ctx->npm = cmd && cmd->eco == PG_ECO_NPM ? npm : NULL;
    ctx->python = cmd ? cmd->python : NULL;
    ctx->prefer_binary = cmd && cmd->prefer_binary;
}

void pg_later_run(struct pg_later *l)
{
    void (*fn)(void *) = l->fn;

    l->fn = NULL;
    if (fn)
        fn(l->arg);
}

/* What a decision was made from, released together. */
struct made_from {
    struct pg_fetch *fetched;
    struct pg_reqlist targets; /* borrowed by fetched */
    struct pg_deptree tree;
    struct pg_facts *facts;
};

static void release_made_from(void *p)
{
    struct made_from *m = p;

    pg_fetch_free(m->fetched);
    pg_reqlist_release(&m->targets);
    pg_deptree_release(&m->tree);
    free(m->facts);
    free(m);
}

/* Released now, or handed to o->later (the caller's one slot) when it is free. */
static void release(const struct pg_gate_opts *o, struct pg_fetch *fetched,
                    struct pg_reqlist *targets, struct pg_deptree *tree, struct pg_facts *facts)
{
    struct made_from *m = pg_xmalloc(sizeof(*m));

    m->fetched = fetched;
    m->targets = *targets;
    m->tree = *tree;
    m->facts = facts;
    if (o->later && !o->later->fn) {
        o->later->fn = release_made_from;
        o->later->arg = m;
    } else {
        release_made_from(m);
    }
}

int pg_gate_decide(const struct pg_gate_opts *o, const struct pg_policy *pol,
                   const struct pg_cmd *cmd, const struct pg_reqlist *reqs)
{
    struct pg_decide_ctx ctx = {.pol = pol, .typo = pg_typo_builtin(), .now = time(NULL)};
    struct pg_sb notes = PG_SB_INIT;
    struct pg_facts *facts = pg_xcalloc(reqs->n ? reqs->n : 1, sizeof(*facts));
    struct pg_fetch_opts fo = {o->offline, o->real,
                               !o->quiet && isatty(STDERR_FILENO) && pg_policy_mode(pol) != PG_MODE_AUDIT,
                               o->tool != NULL, o->refresh};
    struct pg_fetch *fetched = o->names_only ? NULL : pg_fetch_run(pol, cmd, reqs, &fo, facts);
    struct pg_report rep;
    struct pg_semver_env npm;
    struct pg_deptree tree = PG_DEPTREE_INIT;
    struct pg_reqlist targets = PG_REQLIST_INIT; /* borrowed by fetched */
    struct pg_err err = PG_ERR_INIT;
    struct pg_vcache *vc = NULL;
    struct pg_sigmemo sigs;
    struct pg_held *held = pg_held_new(o, cmd);
    char cwd[PATH_MAX], *pins, *vdir = NULL;
    int rc;

    ctx.pin_args = pins = pin_args(cmd);
    tool_settings(cmd, &ctx, &npm);
    /* What the command's packages pull in is judged like them. */
    if (pg_deptree_build(&tree, fetched, pol, cmd, reqs, &fo, &err) < 0) {
        pg_gate_errorf("pkggate: %s (nothing was installed)", err.msg);
        rc = PG_EXIT_FAILED;
        goto out;
    }
    /* One more parallel round, for the whole tree at once: attestations
     * (what it finds is part of a cached verdict's key). */
    pg_provplan_run(fetched, pol, &fo, &ctx, cmd, reqs->v, facts, reqs->n, tree.tree.deps.v,
                    tree.facts, tree.tree.deps.n);
    /* An unchanged lockfile entry is not judged twice (pg_vcache.h), nor
     * its companion or sponsor looked for. */
    vdir = fetched ? pg_fetch_cache_path("verdicts") : NULL;
    vc = pg_vcache_open(vdir, &ctx);
    if (vc) {
        pg_vcache_sigmemo(vc, &sigs);
        ctx.sigs = &sigs;
    }
    probe(&ctx, vc, cmd, reqs, facts, &tree);
    find_sponsors(&ctx, reqs, facts, &tree);
    fetch_related(fetched, &ctx, cmd, &fo, reqs, facts, &tree, &targets);
    pg_report_init(&rep, o, pol, project_dir(cmd, cwd, sizeof(cwd)), pg_gate_color(), ctx.now);
    judge_all(o, &ctx, vc, cmd, reqs, facts, &tree, held, &rep);
    rep.blocked += tree_says(o, pol, &tree, rep.actx, &rep.human, &rep.audit);
    settle_held(&ctx, reqs, facts, &tree, held, &rep);
    pg_fetch_notes(fetched, &ctx, &notes);
    pg_report_notes(&rep, pg_sb_str(&notes));
    pg_report_finish(&rep);
    fflush(stdout);
    rc = rep.blocked ? PG_EXIT_BLOCKED : PG_EXIT_OK;
    pg_report_release(&rep);
out:
    pg_held_free(held);
    pg_vcache_close(vc);
    free(vdir);
    pg_sb_release(&notes);
    release(o, fetched, &targets, &tree, facts);
    free(pins);
    return rc;
}

int pg_gate_block_command(const struct pg_gate_opts *o, const struct pg_policy *pol,
                          const char *rule, const char *message)
{
    enum pg_mode mode = pg_policy_mode(pol);
    int block = mode == PG_MODE_ENFORCE;
    char *actx = pg_report_audit_context(o, time(NULL));
    json_t *line = json_loads(actx, 0, NULL);
    char *text;

    if (mode != PG_MODE_AUDIT && (block || !o->quiet))
        pg_gate_errorf("pkggate: %s [%s] %s%s", block ? "blocked" : "warning", rule, message,
                       block ? "; nothing was installed" : "");
    if (block && o->blocks)
        pg_sb_addf(o->blocks, "pkggate: blocked [%s] %s\n", rule, message);
    /* The whole command is the subject: one audit line with no package. */
    json_object_set_new(line, "decision", json_string(block ? "block" : "warn"));
    json_object_set_new(line, "reasons", json_pack("[{s:s, s:s, s:s}]", "rule", rule, "action",
                                                   block ? "block" : "warn", "message", message));
    text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text) {
        struct pg_sb sb = PG_SB_INIT;

        pg_sb_adds(&sb, text);
        pg_sb_addc(&sb, '\n');
        pg_audit_append(sb.buf, sb.len, pg_policy_syslog(pol));
        pg_sb_release(&sb);
    }
    free(text);
    json_decref(line);
    free(actx);
    return block ? PG_EXIT_BLOCKED : PG_EXIT_OK;
}
