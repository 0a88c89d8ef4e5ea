/*
 * pg_npmtree.c - the tree npm would install below the command's packages
 * (pg_npmtree.h).
 *
 * Breadth first, one depth at a time, because each depth is one parallel
 * fetch round: the names a depth meets are only known once the depth
 * above is resolved. A table keyed by name holds what is placed, what the
 * project has locked, and every name@spec already resolved, so a range met
 * a thousand times is resolved once and a cycle ends where it started.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_npmspec.h"
#include "pg_npmtree.h"
#include "pg_semver.h"
#include "pg_semver_memo.h"
#include "pg_util.h"
#include "banned.h"

/* name@spec already resolved; version NULL: it could not be. */
struct memo {
    char *spec;
    const char *version;
};

struct name_ent {
    char *name;
    const char **placed; /* versions in the tree (borrowed from metas/roots) */
    size_t nplaced, aplaced;
    const char **locked; /* versions the project has (borrowed from proj) */
    size_t nlocked, alocked;
    struct memo *memo;
    size_t nmemo, amemo;
};

struct table {
    struct name_ent *e;
    size_t n, alloc;
    size_t *slot; /* index + 1; 0: empty */
    size_t nslot;
};

/* A placed package whose dependencies the next depth resolves. */
struct item {
    const char *name;    /* borrowed from the table */
    const char *version; /* borrowed from its meta or root */
    char *chain;         /* installed names from the top down to it, " > " */
};

/* One dependency edge met at this depth. */
struct want {
    struct pg_npmspec spec;
    enum pg_dep_kind kind;
    size_t parent; /* index into the depth's items */
};

/* An optional peer whose name nothing has placed yet: npm leaves it out
 * unless something else brings that name; then its range must hold. */
struct later {
    struct pg_npmspec spec;
    char *chain; /* the dependent's */
};

struct build {
    struct pg_npmtree *t;
    const struct pg_npmtree_opts *o;
    const struct pg_npmtree_project *proj;
    const struct pg_npmtree_src *src;
    struct table tab;
    struct pg_strlist others; /* non-registry specs already requested */
    size_t count;             /* packages placed */
    size_t max_nodes;
    int full;
    struct later *later;
    size_t nlater, alater;
    struct pg_semver_memo own;     /* each range text compiled once... */
    struct pg_semver_memo *ranges; /* ...here: o->ranges, else own */
};

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603ULL & SIZE_MAX;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * (1099511628211ULL & SIZE_MAX);
    return h;
}

static void rehash(struct table *t)
{
    size_t n = t->nslot ? t->nslot * 2 : 256;

    free(t->slot);
    t->slot = pg_xcalloc(n, sizeof(*t->slot));
    t->nslot = n;
    for (size_t i = 0; i < t->n; i++) {
        size_t s = hash(t->e[i].name) & (n - 1);

        while (t->slot[s])
            s = (s + 1) & (n - 1);
        t->slot[s] = i + 1;
    }
}

static struct name_ent *entry(struct table *t, const char *name)
{
    size_t s;

    if (2 * (t->n + 1) > t->nslot)
        rehash(t);
    for (s = hash(name) & (t->nslot - 1); t->slot[s]; s = (s + 1) & (t->nslot - 1))
        if (strcmp(t->e[t->slot[s] - 1].name, name) == 0)
            return &t->e[t->slot[s] - 1];
    pg_xgrow((void **)&t->e, &t->alloc, t->n + 1, sizeof(*t->e));
    memset(&t->e[t->n], 0, sizeof(*t->e));
    t->e[t->n].name = pg_xstrdup(name);
    t->slot[s] = ++t->n;
    return &t->e[t->n - 1];
}

static void table_release(struct table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        for (size_t k = 0; k < t->e[i].nmemo; k++)
            free(t->e[i].memo[k].spec);
        free(t->e[i].memo);
        free(t->e[i].placed);
        free(t->e[i].locked);
        free(t->e[i].name);
    }
    free(t->e);
    free(t->slot);
}

static void push(const char ***v, size_t *n, size_t *alloc, const char *s)
{
    pg_xgrow((void **)v, alloc, *n + 1, sizeof(**v));
    (*v)[(*n)++] = s;
}

static int has(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

/*
 * Would npm keep `version` for an edge asking `range` (arborist's
 * dep-valid)? "*" takes anything, a range tests, a dist-tag matches the
 * version the tag names.
 */
static int fits(struct build *b, const char *version, const char *range, const struct pg_meta *m)
{
    const char *tag;

    if (!*range || strcmp(range, "*") == 0)
        return 1;
    if (pg_semver_memo_range(b->ranges, range))
        return pg_semver_memo_satisfies(b->ranges, version, range) == 1;
    tag = m ? pg_meta_tag(m, range) : NULL;
    return tag && strcmp(tag, version) == 0;
}

static const char *first_fit(struct build *b, const char *const *v, size_t n, const char *range,
                             const struct pg_meta *m)
{
    for (size_t i = 0; i < n; i++)
        if (fits(b, v[i], range, m))
            return v[i];
    return NULL;
}

/* npm-pick-manifest's choice, with npm's tag, before and engines when known. */
static const struct pg_meta_version *pick(const struct pg_npmtree_opts *o,
                                          const struct pg_meta *m, const char *spec)
{
    return o->env ? pg_semver_pick_env(m, spec, o->env, NULL) : pg_semver_pick(m, spec, 0, NULL);
}

/* Placed already, else locked by the project, else what npm would pick. */
static const char *choose(struct build *b, struct name_ent *e, const char *range,
                          const struct pg_meta *m)
{
    const char *v = first_fit(b, e->placed, e->nplaced, range, m);
    const struct pg_meta_version *mv;

    if (!v)
        v = first_fit(b, e->locked, e->nlocked, range, m);
    /* The locked version must be one the registry has: it is judged by it. */
    if (v && !pg_meta_find(m, v))
        v = NULL;
    if (v)
        return pg_meta_find(m, v)->version;
    mv = pick(b->o, m, range);
    return mv ? mv->version : NULL;
}

static void add_undecidable(struct build *b, const char *msg)
{
    if (!pg_strlist_has(&b->t->undecidable, msg))
        pg_strlist_push(&b->t->undecidable, msg);
}

static struct pg_req *emit(struct build *b, const struct pg_npmspec *s, const char *version,
                           const struct item *parent)
{
    struct pg_req *r = pg_npmspec_add_req(s, &b->t->deps, "dependency");

    r->locked = version ? pg_xstrdup(version) : NULL;
    r->path = pg_xstrdup(parent->chain);
    return r;
}

static void add_item(struct item **next, size_t *n, size_t *alloc, const char *name,
                     const char *version, const char *chain, const char *as)
{
    pg_xgrow((void **)next, alloc, *n + 1, sizeof(**next));
    (*next)[*n].name = name;
    (*next)[*n].version = version;
    (*next)[*n].chain = chain ? pg_xasprintf("%s > %s", chain, as) : pg_xstrdup(as);
    (*n)++;
}

static int optional(enum pg_dep_kind k)
{
    return k == PG_DEP_OPTIONAL || k == PG_DEP_PEER_OPTIONAL;
}

/* Git, tarball and file specs: requested once each, never followed. */
static void other_source(struct build *b, const struct want *w, const struct item *parent)
{
    char *key = pg_xasprintf("%s@%s", w->spec.name ? w->spec.name : "", w->spec.spec);

    if (!pg_strlist_has(&b->others, key)) {
        pg_strlist_push(&b->others, key);
        emit(b, &w->spec, NULL, parent);
    }
    free(key);
}

/* One edge: reuse, or place a new package (and return 1 to follow it). */
static int resolve(struct build *b, const struct want *w, const struct item *parent,
                   struct item **next, size_t *n, size_t *alloc)
{
    const char *range = w->spec.spec, *version, *error = NULL;
    struct name_ent *e = entry(&b->tab, w->spec.name);
    const struct pg_meta *m;

    for (size_t i = 0; i < e->nmemo; i++)
        if (strcmp(e->memo[i].spec, range) == 0)
            return 0; /* resolved before: placed or requested already */
    m = b->src->meta(b->src->arg, w->spec.name, &error);
    version = m && m->exists ? choose(b, e, range, m) : NULL;
    /* Never asked (the policy denies the name whatever its version): the
     * version the project has is still the one to name in its verdict. */
    if (!m && !error)
        version = first_fit(b, e->locked, e->nlocked, range, NULL);
    /* npm skips an optional dependency it cannot have, with a warning. */
    if (!version && optional(w->kind) && !error)
        return 0;
    pg_xgrow((void **)&e->memo, &e->amemo, e->nmemo + 1, sizeof(*e->memo));
    e->memo[e->nmemo].spec = pg_xstrdup(range);
    e->memo[e->nmemo++].version = version;
    if (version && has(e->placed, e->nplaced, version))
        return 0;
    if (b->count >= b->max_nodes) {
        char *msg = pg_xasprintf("the dependency tree has more than %zu packages; the rest "
                                 "was not followed",
                                 b->max_nodes);

        add_undecidable(b, msg);
        free(msg);
        return 0;
    }
    emit(b, &w->spec, version, parent);
    if (!version)
        return 0;
    push(&e->placed, &e->nplaced, &e->aplaced, version);
    b->count++;
    add_item(next, n, alloc, e->name, version, parent->chain,
             w->spec.alias ? w->spec.alias : w->spec.name);
    return 1;
}

static const char *override_for(const struct pg_npmtree_project *p, const char *name)
{
    for (size_t i = 0; p && i < p->ov_names.n; i++)
        if (strcmp(p->ov_names.v[i], name) == 0)
            return p->ov_specs.v[i];
    return NULL;
}

static int skipped(const struct build *b, enum pg_dep_kind k)
{
    return ((k == PG_DEP_PEER || k == PG_DEP_PEER_OPTIONAL) && b->o->omit_peer) ||
           (k == PG_DEP_OPTIONAL && b->o->omit_optional);
}

/* What ships inside it rather than from the registry: said, not judged. */
static void bundled_note(struct build *b, const struct item *it, const struct pg_meta_version *mv)
{
    struct pg_sb names = PG_SB_INIT;

    for (size_t i = 0; i < mv->ndeps; i++)
        if (mv->deps[i].bundled)
            pg_sb_addf(&names, "%s%s", names.len ? ", " : "", mv->deps[i].name);
    if (names.len) {
        char *note = pg_xasprintf("npm %s@%s (%s) ships bundled dependencies inside its "
                                  "tarball (%s): they were not judged",
                                  it->name, it->version, it->chain, pg_sb_str(&names));

        pg_strlist_push(&b->t->notes, note);
        free(note);
    }
    pg_sb_release(&names);
    if (mv->has_shrinkwrap) {
        char *note = pg_xasprintf("npm %s@%s (%s) ships an npm-shrinkwrap.json: npm installs "
                                  "the versions it pins; they were judged by their ranges",
                                  it->name, it->version, it->chain);

        pg_strlist_push(&b->t->notes, note);
        free(note);
    }
}

/* The edges of one placed package, appended to wants. */
static void edges(struct build *b, const struct item *it, size_t idx, struct want **wants,
                  size_t *n, size_t *alloc)
{
    const char *error = NULL;
    const struct pg_meta *m = b->src->meta(b->src->arg, it->name, &error);
    const struct pg_meta_version *mv = m ? pg_meta_find(m, it->version) : NULL;

    if (!mv)
        return;
    bundled_note(b, it, mv);
    for (size_t i = 0; i < mv->ndeps; i++) {
        const struct pg_meta_dep *d = &mv->deps[i];
        const char *ov = override_for(b->proj, d->name);
        struct pg_npmspec s = PG_NPMSPEC_INIT;

        if (d->bundled || skipped(b, d->kind))
            continue;
        /* A spec npm itself would reject: asked as written, so the rules
         * find it unresolvable rather than it passing unseen. */
        if (pg_npmspec_resolve(d->name, ov ? ov : d->spec, &s, NULL) < 0) {
            s.name = pg_xstrdup(d->name);
            s.spec = pg_xstrdup(ov ? ov : d->spec);
            s.raw_spec = pg_xstrdup(s.spec);
        }
        pg_xgrow((void **)wants, alloc, *n + 1, sizeof(**wants));
        (*wants)[*n].spec = s;
        (*wants)[*n].kind = d->kind;
        (*wants)[(*n)++].parent = idx;
    }
}

static int registry(const struct want *w)
{
    return (w->spec.type == PG_NPMSPEC_REGISTRY || w->spec.type == PG_NPMSPEC_ALIAS) &&
           w->spec.name;
}

/* Whether some version of name is in the tree already. */
static int placed(struct build *b, const char *name)
{
    return entry(&b->tab, name)->nplaced > 0;
}

/* One fetch round for the names this depth meets. */
static void fetch_names(struct build *b, const struct want *w, size_t n)
{
    const char **names = pg_xcalloc(n + 1, sizeof(*names));
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        const char *error = NULL;

        if (!registry(&w[i]) || has(names, k, w[i].spec.name) ||
            (w[i].kind == PG_DEP_PEER_OPTIONAL && !placed(b, w[i].spec.name)))
            continue;
        /* Asked before (an answer or an error): no round for it. */
        if (b->src->meta(b->src->arg, w[i].spec.name, &error) || error)
            continue;
        names[k++] = w[i].spec.name;
    }
    if (k) {
        b->src->fetch(b->src->arg, names, k);
        b->t->rounds++;
    }
    free(names);
}

static void free_items(struct item *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].chain);
    free(v);
}

/* Keep an optional peer for the end of the walk (its spec is taken). */
static void defer(struct build *b, struct want *w, const struct item *parent)
{
    pg_xgrow((void **)&b->later, &b->alater, b->nlater + 1, sizeof(*b->later));
    b->later[b->nlater].spec = w->spec;
    b->later[b->nlater++].chain = pg_xstrdup(parent->chain);
    memset(&w->spec, 0, sizeof(w->spec));
}

/*
 * When the walk has ended: the optional peers whose name something placed
 * after all. npm then needs a version inside the peer's range too (it
 * replaces or nests one: @volar/typescript's optional peer typescript <7
 * beside a project's typescript "*"), so those are resolved like any
 * edge. Returns the number of packages placed, the next depth's items.
 */
static size_t late_peers(struct build *b, struct item **next, size_t *nnext)
{
    size_t keep = 0, anext = 0;

    for (size_t i = 0; i < b->nlater; i++) {
        struct later *l = &b->later[i];
        struct want w = {l->spec, PG_DEP_PEER_OPTIONAL, 0};
        struct item parent = {NULL, NULL, l->chain};

        if (!placed(b, l->spec.name)) {
            b->later[keep++] = *l;
            continue;
        }
        resolve(b, &w, &parent, next, nnext, &anext);
        pg_npmspec_release(&l->spec);
        free(l->chain);
    }
    b->nlater = keep;
    return *nnext;
}

static void later_release(struct build *b)
{
    for (size_t i = 0; i < b->nlater; i++) {
        pg_npmspec_release(&b->later[i].spec);
        free(b->later[i].chain);
    }
    free(b->later);
}

/* Resolve depth d's edges into depth d + 1's items. */
static void step(struct build *b, struct item *level, size_t nlevel, struct item **next,
                 size_t *nnext)
{
    struct want *wants = NULL;
    size_t nw = 0, aw = 0, anext = 0;

    for (size_t i = 0; i < nlevel; i++)
        edges(b, &level[i], i, &wants, &nw, &aw);
    fetch_names(b, wants, nw);
    for (size_t i = 0; i < nw; i++) {
        if (wants[i].kind == PG_DEP_PEER_OPTIONAL && !placed(b, wants[i].spec.name)) {
            if (registry(&wants[i]))
                defer(b, &wants[i], &level[wants[i].parent]);
        } else if (!registry(&wants[i])) {
            other_source(b, &wants[i], &level[wants[i].parent]);
        } else {
            resolve(b, &wants[i], &level[wants[i].parent], next, nnext, &anext);
        }
        pg_npmspec_release(&wants[i].spec);
    }
    free(wants);
}

/* Whether any package of a depth has a dependency npm would follow. */
static int any_edges(const struct build *b, const struct item *level, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *error = NULL;
        const struct pg_meta *m = b->src->meta(b->src->arg, level[i].name, &error);
        const struct pg_meta_version *mv = m ? pg_meta_find(m, level[i].version) : NULL;

        for (size_t k = 0; mv && k < mv->ndeps; k++)
            if (!mv->deps[k].bundled && !skipped(b, mv->deps[k].kind))
                return 1;
    }
    return 0;
}

static void load_locked(struct build *b)
{
    for (size_t i = 0; b->proj && i < b->proj->locked.n; i++) {
        const char *s = b->proj->locked.v[i];
        const char *at = strrchr(s + 1, '@');
        struct name_ent *e;
        char *name;

        if (!at)
            continue;
        name = pg_xstrndup(s, (size_t)(at - s));
        e = entry(&b->tab, name);
        push(&e->locked, &e->nlocked, &e->alocked, at + 1);
        free(name);
    }
}

/* The command's own packages start the walk; they are judged elsewhere. */
static void roots_to_items(struct build *b, const struct pg_reqlist *roots, struct item **items,
                           size_t *n)
{
    size_t alloc = 0;

    for (size_t i = 0; i < roots->n; i++) {
        const struct pg_req *r = &roots->v[i];
        const char *error = NULL, *version = NULL;
        const struct pg_meta *m;
        const struct pg_meta_version *mv;
        struct name_ent *e;

        if (r->eco != PG_ECO_NPM || r->source != PG_SRC_REGISTRY || !r->name ||
            (r->dev && b->o->omit_dev))
            continue;
        m = b->src->meta(b->src->arg, r->name, &error);
        if (!m || !m->exists)
            continue;
        mv = r->locked ? pg_meta_find(m, r->locked)
                       : pick(b->o, m, r->spec ? r->spec : "");
        version = mv ? mv->version : NULL;
        e = entry(&b->tab, r->name);
        if (!version || has(e->placed, e->nplaced, version))
            continue;
        push(&e->placed, &e->nplaced, &e->aplaced, version);
        b->count++;
        add_item(items, n, &alloc, e->name, version, NULL, r->alias ? r->alias : r->name);
    }
}

void pg_npmtree_build(struct pg_npmtree *t, const struct pg_reqlist *roots,
                      const struct pg_npmtree_project *proj, const struct pg_npmtree_opts *o,
                      const struct pg_npmtree_src *src)
{
    struct build b = {t, o, proj, src, {0}, PG_STRLIST_INIT, 0, 0, 0, NULL, 0, 0,
                      PG_SEMVER_MEMO_INIT(0), NULL};
    int max_depth = o->max_depth > 0 ? o->max_depth : PG_NPMTREE_MAX_DEPTH;
    struct item *level = NULL;
    size_t nlevel = 0;

    b.max_nodes = o->max_nodes ? o->max_nodes : PG_NPMTREE_MAX_NODES;
    b.ranges = o->ranges ? o->ranges : &b.own;
    for (size_t i = 0; proj && i < proj->unmodelled.n; i++)
        add_undecidable(&b, proj->unmodelled.v[i]);
    load_locked(&b);
    roots_to_items(&b, roots, &level, &nlevel);
    for (int depth = 0; nlevel || late_peers(&b, &level, &nlevel); depth++) {
        struct item *next = NULL;
        size_t nnext = 0;

        if (depth >= max_depth && any_edges(&b, level, nlevel)) {
            char *msg = pg_xasprintf("the dependency tree is deeper than %d levels (below %s); "
                                     "the rest was not followed",
                                     max_depth, level[0].chain);

            add_undecidable(&b, msg);
            free(msg);
        }
        if (depth >= max_depth)
            break;
        step(&b, level, nlevel, &next, &nnext);
        free_items(level, nlevel);
        level = next;
        nlevel = nnext;
    }
    free_items(level, nlevel);
    later_release(&b);
    table_release(&b.tab);
    pg_strlist_release(&b.others);
    pg_semver_memo_release(&b.own);
}

void pg_npmtree_release(struct pg_npmtree *t)
{
    pg_reqlist_release(&t->deps);
    pg_strlist_release(&t->notes);
    pg_strlist_release(&t->undecidable);
    t->rounds = 0;
}
