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
    free(v->publisher);
    free(v->publisher_workflow);
    free(v->provenance_url);
    free(v->signatures_json);
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
    free(m->versions);
    free(m->name);
    free(m->status);
    free(m->latest);
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
    return v;
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

const struct pg_meta_version *pg_meta_find(const struct pg_meta *m, const char *version)
{
    for (size_t i = 0; i < m->nversions; i++)
        if (strcmp(m->versions[i].version, version) == 0)
            return &m->versions[i];
    return NULL;
}

const char *pg_meta_tag(const struct pg_meta *m, const char *tag)
{
    for (size_t i = 0; i < m->ntags; i++)
        if (strcmp(m->tag_names[i], tag) == 0)
            return m->tag_versions[i];
    return NULL;
}
