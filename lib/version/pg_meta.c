/*
 * pg_meta.c - struct pg_meta's lifecycle and merging (pg_meta.h).
 *
 * Merging exists because pip reads several indexes at once: the same
 * version seen on two indexes becomes one entry, so the policy judges what
 * pip could actually install.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_meta.h"
#include "pg_util.h"
#include "banned.h"

struct pg_meta *pg_meta_new(enum pg_eco eco, const char *name)
{
    struct pg_meta *m = pg_xcalloc(1, sizeof(*m));

    m->eco = eco;
    m->name = pg_xstrdup(name);
    m->exists = 1;
    m->created = m->modified = -1;
    return m;
}

static void version_release(struct pg_meta_version *v)
{
    free(v->version);
    free(v->deprecated_msg);
    free(v->yanked_reason);
    free(v->integrity);
    free(v->tarball);
    free(v->shasum);
    free(v->publisher);
    free(v->publisher_workflow);
    free(v->provenance_url);
    free(v->signatures_json);
    free(v->engines_node);
    free(v->engines_npm);
    for (size_t i = 0; i < v->nfiles; i++) {
        free(v->files[i].requires_python);
        free(v->files[i].url);
        free(v->files[i].core_metadata);
        free(v->files[i].filename);
        free(v->files[i].sha256);
        free(v->files[i].provenance_url);
    }
    free(v->files);
    free(v->local_file);
    free(v->attestations_url);
    free(v->repository);
    free(v->prov_repository);
    free(v->prov_workflow);
    free(v->prov_detail);
    for (size_t i = 0; i < v->ndeps; i++) {
        free(v->deps[i].name);
        free(v->deps[i].spec);
    }
    free(v->deps);
}

struct pg_meta_file *pg_meta_add_file(struct pg_meta_version *v, unsigned kind,
                                      const char *requires_python)
{
    struct pg_meta_file *f;

    v->files = pg_xrealloc(v->files, (v->nfiles + 1) * sizeof(*v->files));
    f = &v->files[v->nfiles++];
    memset(f, 0, sizeof(*f));
    f->kind = kind;
    f->requires_python = requires_python ? pg_xstrdup(requires_python) : NULL;
    return f;
}

void pg_meta_add_dep(struct pg_meta_version *v, const char *name, const char *spec,
                     enum pg_dep_kind kind)
{
    v->deps = pg_xrealloc(v->deps, (v->ndeps + 1) * sizeof(*v->deps));
    memset(&v->deps[v->ndeps], 0, sizeof(*v->deps));
    v->deps[v->ndeps].name = pg_xstrdup(name);
    v->deps[v->ndeps].spec = pg_xstrdup(spec);
    v->deps[v->ndeps++].kind = kind;
}

/* pip may take any file of a version from any place that offers it. */
static char *dup_or_null(const char *s)
{
    return s ? pg_xstrdup(s) : NULL;
}

static void files_add(struct pg_meta_version *d, const struct pg_meta_version *s)
{
    for (size_t i = 0; i < s->nfiles; i++) {
        struct pg_meta_file *f = pg_meta_add_file(d, s->files[i].kind, s->files[i].requires_python);

        f->url = s->files[i].url ? pg_xstrdup(s->files[i].url) : NULL;
        f->core_metadata = s->files[i].core_metadata ? pg_xstrdup(s->files[i].core_metadata) : NULL;
        f->filename = dup_or_null(s->files[i].filename);
        f->sha256 = dup_or_null(s->files[i].sha256);
        f->provenance_url = dup_or_null(s->files[i].provenance_url);
    }
    if (s->local_file && !d->local_file)
        d->local_file = pg_xstrdup(s->local_file);
}

void pg_meta_free(struct pg_meta *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nversions; i++)
        version_release(&m->versions[i]);
    for (size_t i = 0; i < m->ntags; i++) {
        free(m->tag_names[i]);
        free(m->tag_versions[i]);
    }
    free(m->tag_names);
    free(m->tag_versions);
    for (size_t i = 0; i < m->nmaintainers; i++)
        free(m->maintainers[i]);
    free(m->maintainers);
    free(m->versions);
    free(m->name);
    free(m->status);
    free(m->latest);
    pg_meta_index_free(m->index);
    free(m);
}

struct pg_meta_version *pg_meta_add_version(struct pg_meta *m, const char *version)
{
    struct pg_meta_version *v;

    pg_xgrow((void **)&m->versions, &m->valloc, m->nversions + 1, sizeof(*v));
    v = &m->versions[m->nversions++];
    memset(v, 0, sizeof(*v));
    v->version = pg_xstrdup(version);
    v->published = -1;
    v->deprecated = v->yanked = v->install_scripts = -1;
    v->evidence = PG_EVID_UNKNOWN;
    pg_meta_index_add(m, m->nversions - 1);
    return v;
}

void pg_meta_reserve(struct pg_meta *m, size_t n)
{
    pg_xgrow((void **)&m->versions, &m->valloc, n, sizeof(*m->versions));
}

void pg_meta_add_tag(struct pg_meta *m, const char *tag, const char *version)
{
    m->tag_names = pg_xrealloc(m->tag_names, (m->ntags + 1) * sizeof(char *));
    m->tag_versions = pg_xrealloc(m->tag_versions, (m->ntags + 1) * sizeof(char *));
    m->tag_names[m->ntags] = pg_xstrdup(tag);
    m->tag_versions[m->ntags] = pg_xstrdup(version);
    m->ntags++;
    if (strcmp(tag, "latest") == 0) {
        free(m->latest);
        m->latest = pg_xstrdup(version);
    }
}

void pg_meta_add_maintainer(struct pg_meta *m, const char *name)
{
    m->maintainers = pg_xrealloc(m->maintainers, (m->nmaintainers + 1) * sizeof(char *));
    m->maintainers[m->nmaintainers++] = pg_xstrdup(name);
}

const char *pg_meta_tag(const struct pg_meta *m, const char *tag)
{
    for (size_t i = 0; i < m->ntags; i++)
        if (strcmp(m->tag_names[i], tag) == 0)
            return m->tag_versions[i];
    return NULL;
}

static void version_copy(struct pg_meta_version *d, const struct pg_meta_version *s)
{
    d->published = s->published;
    d->deprecated = s->deprecated;
    d->deprecated_msg = dup_or_null(s->deprecated_msg);
    d->yanked = s->yanked;
    d->yanked_reason = dup_or_null(s->yanked_reason);
    d->install_scripts = s->install_scripts;
    d->integrity = dup_or_null(s->integrity);
    d->tarball = dup_or_null(s->tarball);
    d->shasum = dup_or_null(s->shasum);
    d->publisher = dup_or_null(s->publisher);
    d->publisher_workflow = dup_or_null(s->publisher_workflow);
    d->evidence = s->evidence;
    d->signatures_json = dup_or_null(s->signatures_json);
    d->provenance_url = dup_or_null(s->provenance_url);
    d->attestations_url = dup_or_null(s->attestations_url);
    d->repository = dup_or_null(s->repository);
    d->engines_node = dup_or_null(s->engines_node);
    d->engines_npm = dup_or_null(s->engines_npm);
    files_add(d, s);
}

/* The same version seen on another index. */
static void version_fold(struct pg_meta_version *d, const struct pg_meta_version *s)
{
    if (s->published > d->published)
        d->published = s->published;
    if (s->yanked == 0 || d->yanked == 0)
        d->yanked = 0;
    if (s->evidence < d->evidence)
        d->evidence = s->evidence;
    files_add(d, s);
}

static void merge_one(struct pg_meta *m, const struct pg_meta *p, int primary)
{
    if (!p->exists)
        return;
    if (primary)
        m->primary_has = 1;
    m->exists = 1;
    if (p->created >= 0 && (m->created < 0 || p->created < m->created))
        m->created = p->created;
    if (p->status && (!m->status || strcmp(p->status, "quarantined") == 0)) {
        free(m->status);
        m->status = pg_xstrdup(p->status);
    }
    for (size_t i = 0; i < p->nversions; i++) {
        const struct pg_meta_version *sv = &p->versions[i];
        struct pg_meta_version *dv = (struct pg_meta_version *)pg_meta_find(m, sv->version);

        if (dv) {
            version_fold(dv, sv);
        } else {
            dv = pg_meta_add_version(m, sv->version);
            version_copy(dv, sv);
            dv->elsewhere = !primary && !sv->local_file;
        }
    }
}

struct pg_meta *pg_meta_merge(const struct pg_meta *const *parts, size_t n)
{
    struct pg_meta *m = NULL;

    for (size_t i = 0; i < n; i++) {
        if (!parts[i])
            continue;
        if (!m) {
            m = pg_meta_new(parts[i]->eco, parts[i]->name);
            m->exists = 0;
        }
        merge_one(m, parts[i], i == 0);
    }
    return m;
}

const char *pg_prov_state_name(enum pg_prov_state s)
{
    switch (s) {
    case PG_PROV_VERIFIED:
        return "verified";
    case PG_PROV_INVALID:
        return "invalid";
    case PG_PROV_ABSENT:
        return "absent";
    case PG_PROV_UNSUPPORTED:
        return "unsupported";
    case PG_PROV_UNAVAILABLE:
        return "unavailable";
    case PG_PROV_UNCHECKED:
        break;
    }
    return "unchecked";
}
