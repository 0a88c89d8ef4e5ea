/*
 * pg_piptree.c - the distributions pip would install below the command's
 * requirements (pg_piptree.h).
 *
 * Breadth first, one depth at a time, because each depth costs two
 * parallel fetch rounds (metadata of what it placed, pages of what that
 * names). pip holds one version per project, so the table is keyed by the
 * normalised name; a linear table, since trees are hundreds of nodes and
 * max_nodes bounds them.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_name.h"
#include "pg_pep508.h"
#include "pg_pipformat.h"
#include "pg_piptree.h"
#include "pg_util.h"
#include "banned.h"

struct node {
    char *key;
    const char *version;                /* borrowed: from a meta or the site */
    const struct pg_pysite_dist *dist;  /* kept installed; else NULL */
    struct pg_strlist extras;           /* normalised extras already followed */
    struct pg_strlist memo;             /* "spec[extras]" edges resolved to it */
};

/* A placed node whose requirements the next step reads. */
struct item {
    size_t node;
    struct pg_strlist extras; /* the extras to follow now */
    int base;                 /* also the requirements without an extra */
    char *chain;              /* names from the top down to it, " > " */
};

struct want {
    struct pg_pep508 req;
    char *spec; /* with the constraints */
    size_t parent;
};

struct build {
    struct pg_piptree *t;
    const struct pg_piptree_opts *o;
    const struct pg_piptree_src *src;
    struct node *nodes;
    size_t n, alloc;
    size_t max_nodes;
};

struct level {
    struct item *v;
    size_t n, alloc;
};

static size_t find(struct build *b, const char *name)
{
    char *key = pg_name_normalize(PG_ECO_PYPI, name);
    size_t i;

    for (i = 0; i < b->n && strcmp(b->nodes[i].key, key) != 0; i++)
        ;
    if (i == b->n) {
        pg_xgrow((void **)&b->nodes, &b->alloc, b->n + 1, sizeof(*b->nodes));
        memset(&b->nodes[b->n], 0, sizeof(*b->nodes));
        b->nodes[b->n++].key = key;
    } else {
        free(key);
    }
    return i;
}

static void undecidable(struct build *b, char *msg)
{
    if (!pg_strlist_has(&b->t->undecidable, msg))
        pg_strlist_push(&b->t->undecidable, msg);
    free(msg);
}

/* Queue node for reading with the extras it was not read with yet. */
static void add_item(struct level *l, struct build *b, size_t node, const char *extras,
                     int base, const char *chain, const char *as)
{
    struct item it = {node, PG_STRLIST_INIT, base, NULL};
    char *list = pg_xstrdup(extras ? extras : "");

    for (char *tok = list, *end; tok && *tok; tok = end ? end + 1 : NULL) {
        char *e;

        end = strchr(tok, ',');
        if (end)
            *end = '\0';
        e = pg_name_normalize(PG_ECO_PYPI, tok);
        if (*e && !pg_strlist_has(&b->nodes[node].extras, e)) {
            pg_strlist_push(&b->nodes[node].extras, e);
            pg_strlist_push(&it.extras, e);
        }
        free(e);
    }
    free(list);
    if (!base && !it.extras.n)
        return;
    it.chain = chain ? pg_xasprintf("%s > %s", chain, as) : pg_xstrdup(as);
    pg_xgrow((void **)&l->v, &l->alloc, l->n + 1, sizeof(*l->v));
    l->v[l->n++] = it;
}

static void level_release(struct level *l)
{
    for (size_t i = 0; i < l->n; i++) {
        pg_strlist_release(&l->v[i].extras);
        free(l->v[i].chain);
    }
    free(l->v);
    memset(l, 0, sizeof(*l));
}

static const struct pg_meta_version *picked(const struct build *b, const struct node *nd)
{
    const char *error = NULL;
    const struct pg_meta *m = nd->dist ? NULL : b->src->meta(b->src->arg, nd->key, &error);

    return m ? pg_meta_find(m, nd->version) : NULL;
}

/* Round one of a depth: the dependency lists of what it placed. */
static void fetch_deps(struct build *b, const struct level *l)
{
    const char **names = pg_xcalloc(l->n + 1, sizeof(*names));
    const char **versions = pg_xcalloc(l->n + 1, sizeof(*versions));
    size_t k = 0;

    for (size_t i = 0; i < l->n; i++) {
        const struct node *nd = &b->nodes[l->v[i].node];
        const struct pg_meta_version *mv = picked(b, nd);

        if (mv && mv->deps_state == PG_DEPS_UNASKED && l->v[i].base) {
            names[k] = nd->key;
            versions[k++] = nd->version;
        }
    }
    if (k) {
        b->src->fetch_deps(b->src->arg, names, versions, k);
        b->t->rounds++;
    }
    free(names);
    free(versions);
}

/* Whether req applies to it: marker true for "" (base) or a new extra. */
static int applies(struct build *b, const struct item *it, const struct pg_pep508 *req,
                   const char *what)
{
    struct pg_err err = PG_ERR_INIT;
    int base, hit = 0;

    if (!req->marker)
        return it->base;
    base = pg_marker_eval(req->marker, b->o->env, "", &err);
    for (size_t i = 0; base == 0 && i < it->extras.n && !hit; i++)
        hit = pg_marker_eval(req->marker, b->o->env, it->extras.v[i], &err);
    /* Judged as if it applied (more, never less); the policy decides the rest. */
    if (base < 0 || hit < 0) {
        undecidable(b, pg_xasprintf("pypi %s (%s): %s; that requirement was judged as if "
                                    "it applied",
                                    what, it->chain, err.msg));
        return 1;
    }
    return base ? it->base : hit;
}

/* Every constraint line naming the project narrows its specifier. */
static char *constrained(struct build *b, const struct pg_pep508 *req)
{
    char *spec = pg_xstrdup(req->spec ? req->spec : "");
    char *key = pg_name_normalize(PG_ECO_PYPI, req->name);

    for (size_t i = 0; b->o->constraints && i < b->o->constraints->n; i++) {
        struct pg_pep508 c = PG_PEP508_INIT;
        char *ck;

        if (pg_pep508_parse(&c, b->o->constraints->v[i], NULL) < 0)
            continue;
        ck = pg_name_normalize(PG_ECO_PYPI, c.name);
        if (strcmp(ck, key) == 0 && c.spec && *c.spec &&
            (!c.marker || pg_marker_eval(c.marker, b->o->env, "", NULL) == 1)) {
            char *both = *spec ? pg_xasprintf("%s,%s", spec, c.spec) : pg_xstrdup(c.spec);

            free(spec);
            spec = both;
        }
        free(ck);
        pg_pep508_release(&c);
    }
    free(key);
    return spec;
}

static void add_want(struct build *b, const struct item *it, size_t idx, const char *text,
                     struct want **w, size_t *n, size_t *alloc)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_pep508 req = PG_PEP508_INIT;
    const struct node *nd = &b->nodes[it->node];
    char *what = pg_xasprintf("%s==%s", nd->key, nd->version);

    if (pg_pep508_parse(&req, text, &err) < 0) {
        undecidable(b, pg_xasprintf("pypi %s (%s): %s; it was not followed", what, it->chain,
                                    err.msg));
    } else if (applies(b, it, &req, what)) {
        pg_xgrow((void **)w, alloc, *n + 1, sizeof(**w));
        (*w)[*n].req = req;
        (*w)[*n].spec = constrained(b, &req);
        (*w)[(*n)++].parent = idx;
        memset(&req, 0, sizeof(req));
    }
    pg_pep508_release(&req);
    free(what);
}

/* The requirements of one item that apply, appended to w. */
static void edges(struct build *b, const struct item *it, size_t idx, struct want **w,
                  size_t *n, size_t *alloc)
{
    const struct node *nd = &b->nodes[it->node];
    const struct pg_meta_version *mv = picked(b, nd);

    if (nd->dist) {
        for (size_t i = 0; i < nd->dist->requires.n; i++)
            add_want(b, it, idx, nd->dist->requires.v[i], w, n, alloc);
        return;
    }
    if (mv && mv->deps_state != PG_DEPS_KNOWN && mv->local_file) {
        undecidable(b, pg_xasprintf("pypi %s==%s (%s): pip may take it from the find-links "
                                    "file %s, and pkggate reads no metadata from local files; "
                                    "its dependencies were not judged",
                                    nd->key, nd->version, it->chain, mv->local_file));
        return;
    }
    if (!mv || mv->deps_state != PG_DEPS_KNOWN) {
        undecidable(b, pg_xasprintf("pypi %s==%s (%s): no metadata says what it depends on "
                                    "(no PEP 658 metadata file, no JSON API requires_dist; "
                                    "pkggate builds no sdist); its dependencies were not "
                                    "judged",
                                    nd->key, nd->version, it->chain));
        return;
    }
    for (size_t i = 0; i < mv->ndeps; i++)
        add_want(b, it, idx, mv->deps[i].spec, w, n, alloc);
}

/* Round two of a depth: the pages of the names it meets for the first time. */
static void fetch_pages(struct build *b, const struct want *w, size_t n)
{
    const char **names = pg_xcalloc(n + 1, sizeof(*names));
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        const char *error = NULL;
        int dup = 0;

        if (w[i].req.url || b->src->meta(b->src->arg, w[i].req.name, &error) || error)
            continue;
        for (size_t j = 0; j < k; j++)
            dup |= strcmp(names[j], w[i].req.name) == 0;
        if (!dup)
            names[k++] = w[i].req.name;
    }
    if (k) {
        b->src->fetch(b->src->arg, names, k);
        b->t->rounds++;
    }
    free(names);
}

static struct pg_req *emit(struct build *b, const struct want *w, enum pg_source source,
                           const char *version, const struct item *parent)
{
    struct pg_req *r = pg_reqlist_add(&b->t->deps, PG_ECO_PYPI, source);

    r->name = pg_xstrdup(w->req.name);
    r->spec = pg_xstrdup(source == PG_SRC_URL ? w->req.url : w->spec);
    r->extras = w->req.extras ? pg_xstrdup(w->req.extras) : NULL;
    r->origin = pg_xstrdup("dependency");
    r->locked = version ? pg_xstrdup(version) : NULL;
    r->path = pg_xstrdup(parent->chain);
    return r;
}

static int satisfied(const char *version, const char *spec)
{
    return pg_pep440_satisfies(version, spec, 1) == 1;
}

static int full(struct build *b)
{
    if (b->n < b->max_nodes)
        return 0;
    undecidable(b, pg_xasprintf("the dependency tree has more than %zu distributions; the "
                                "rest was not followed",
                                b->max_nodes));
    return 1;
}

/* A project not yet placed: kept installed, or the finder's pick. */
static void place(struct build *b, const struct want *w, size_t node, const struct item *parent,
                  struct level *next)
{
    struct node *nd = &b->nodes[node];
    const struct pg_pysite_dist *d = pg_pysite_find(b->o->installed, w->req.name);
    const struct pg_meta *m;
    const struct pg_meta_version *mv = NULL;
    const char *error = NULL;
    struct pg_pep440_target t = b->o->target;

    /* only-if-needed: a dependency that is satisfied stays. */
    if (d && satisfied(d->version, w->spec) && !(b->o->upgrade && b->o->eager)) {
        nd->dist = d;
        nd->version = d->version;
        {
            char *kept = pg_xasprintf("%s==%s", d->name, d->version);

            if (!pg_strlist_has(&b->t->kept, kept))
                pg_strlist_push(&b->t->kept, kept);
            free(kept);
        }
        add_item(next, b, node, w->req.extras, 1, parent->chain, w->req.name);
        return;
    }
    m = b->src->meta(b->src->arg, w->req.name, &error);
    t.kinds = b->o->formats ? pg_pipformat_kinds(b->o->formats, w->req.name) : 0;
    if (m && m->exists)
        mv = pg_pep440_pick_for(m, w->spec, &t, 0, NULL);
    emit(b, w, PG_SRC_REGISTRY, mv ? mv->version : NULL, parent);
    if (!mv)
        return; /* the rules find it unresolvable, with the registry's answer */
    nd->version = mv->version;
    add_item(next, b, node, w->req.extras, 1, parent->chain, w->req.name);
}

/* One edge: reuse what is placed, or place it. */
static void resolve(struct build *b, const struct want *w, const struct item *parent,
                    struct level *next)
{
    size_t node = find(b, w->req.name);
    struct node *nd = &b->nodes[node];
    char *key = pg_xasprintf("%s[%s]%s", w->spec, w->req.extras ? w->req.extras : "",
                             w->req.url ? w->req.url : "");

    if (pg_strlist_has(&nd->memo, key))
        goto out; /* the same edge met before */
    pg_strlist_push(&nd->memo, key);
    if (w->req.url) {
        emit(b, w, PG_SRC_URL, NULL, parent);
        goto out;
    }
    if (!nd->version) {
        if (!full(b))
            place(b, w, node, parent, next);
        goto out;
    }
    if (satisfied(nd->version, w->spec)) {
        /* New extras of a placed project: only their requirements are new. */
        add_item(next, b, node, w->req.extras, 0, parent->chain, w->req.name);
        goto out;
    }
    undecidable(b, pg_xasprintf("pypi %s (%s > %s) asks '%s' but %s==%s is chosen already: "
                                "pip's resolver would backtrack, which pkggate does not "
                                "follow",
                                w->req.name, parent->chain, w->req.name, w->spec, nd->key,
                                nd->version));
out:
    free(key);
}

static void step(struct build *b, const struct level *l, struct level *next)
{
    struct want *w = NULL;
    size_t nw = 0, aw = 0;

    fetch_deps(b, l);
    for (size_t i = 0; i < l->n; i++)
        edges(b, &l->v[i], i, &w, &nw, &aw);
    fetch_pages(b, w, nw);
    for (size_t i = 0; i < nw; i++) {
        resolve(b, &w[i], &l->v[w[i].parent], next);
        pg_pep508_release(&w[i].req);
        free(w[i].spec);
    }
    free(w);
}

/* The command's own requirements start the walk; they are judged elsewhere. */
static void roots(struct build *b, const struct pg_reqlist *rl, struct level *l)
{
    for (size_t i = 0; i < rl->n; i++) {
        const struct pg_req *r = &rl->v[i];
        const char *error = NULL;
        const struct pg_meta *m;
        const struct pg_meta_version *mv = NULL;
        const struct pg_pysite_dist *d;
        struct pg_pep440_target t = b->o->target;
        size_t node;

        if (r->eco != PG_ECO_PYPI || r->source != PG_SRC_REGISTRY || !r->name ||
            (r->marker && pg_marker_eval(r->marker, b->o->env, "", NULL) != 1))
            continue;
        node = find(b, r->name);
        if (b->nodes[node].version) { /* named twice: maybe with more extras */
            add_item(l, b, node, r->extras, 0, NULL, r->name);
            continue;
        }
        d = pg_pysite_find(b->o->installed, r->name);
        if (d && !b->o->upgrade && satisfied(d->version, r->spec ? r->spec : "")) {
            b->nodes[node].dist = d;
            b->nodes[node].version = d->version;
        } else {
            m = b->src->meta(b->src->arg, r->name, &error);
            t.kinds = b->o->formats ? pg_pipformat_kinds(b->o->formats, r->name) : 0;
            if (m && m->exists)
                mv = r->locked ? pg_meta_find(m, r->locked)
                               : pg_pep440_pick_for(m, r->spec ? r->spec : "", &t, 0, NULL);
            if (!mv)
                continue;
            b->nodes[node].version = mv->version;
        }
        add_item(l, b, node, r->extras, 1, NULL, r->name);
    }
}

void pg_piptree_build(struct pg_piptree *t, const struct pg_reqlist *rl,
                      const struct pg_piptree_opts *o, const struct pg_piptree_src *src)
{
    struct build b = {t, o, src, NULL, 0, 0, 0};
    int max_depth = o->max_depth > 0 ? o->max_depth : PG_PIPTREE_MAX_DEPTH;
    struct level l = {NULL, 0, 0};

    b.max_nodes = o->max_nodes ? o->max_nodes : PG_PIPTREE_MAX_NODES;
    roots(&b, rl, &l);
    for (int depth = 0; l.n; depth++) {
        struct level next = {NULL, 0, 0};

        if (depth >= max_depth) {
            undecidable(&b, pg_xasprintf("the dependency tree is deeper than %d levels (below "
                                         "%s); the rest was not followed",
                                         max_depth, l.v[0].chain));
            break;
        }
        step(&b, &l, &next);
        level_release(&l);
        l = next;
    }
    level_release(&l);
    for (size_t i = 0; i < b.n; i++) {
        free(b.nodes[i].key);
        pg_strlist_release(&b.nodes[i].extras);
        pg_strlist_release(&b.nodes[i].memo);
    }
    free(b.nodes);
}

void pg_piptree_release(struct pg_piptree *t)
{
    pg_reqlist_release(&t->deps);
    pg_strlist_release(&t->kept);
    pg_strlist_release(&t->undecidable);
    t->rounds = 0;
}
