/*
 * pg_pysite.c - installed distributions from dist-info directories
 * (pg_pysite.h). A plain list: environments hold hundreds, and the tree
 * looks each name up once per edge at most.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "pg_coremeta.h"
#include "pg_name.h"
#include "pg_pysite.h"
#include "pg_util.h"
#include "banned.h"

void pg_pysite_add(struct pg_pysite *s, const char *name, const char *version,
                   const struct pg_strlist *requires)
{
    struct pg_pysite_dist *d;
    char *key = pg_name_normalize(PG_ECO_PYPI, name);

    if (pg_pysite_find(s, key) || s->n >= PG_PYSITE_MAX) {
        free(key);
        return;
    }
    pg_xgrow((void **)&s->v, &s->alloc, s->n + 1, sizeof(*s->v));
    d = &s->v[s->n++];
    memset(d, 0, sizeof(*d));
    d->key = key;
    d->name = pg_xstrdup(name);
    d->version = pg_xstrdup(version);
    for (size_t i = 0; requires && i < requires->n; i++)
        pg_strlist_push(&d->requires, requires->v[i]);
}

static void load_one(struct pg_pysite *s, const char *path)
{
    struct pg_coremeta cm = PG_COREMETA_INIT;
    char *text = NULL;
    size_t len = 0;

    if (pg_read_file(path, PG_COREMETA_MAX, &text, &len, NULL) == 0 &&
        pg_coremeta_parse(&cm, text, len, NULL) == 0 && cm.name && cm.version)
        pg_pysite_add(s, cm.name, cm.version, &cm.requires);
    pg_coremeta_release(&cm);
    free(text);
}

static void load_dir(struct pg_pysite *s, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    while (d && (e = readdir(d))) {
        char *path;

        if (!pg_ends_with(e->d_name, ".dist-info") || e->d_name[0] == '.')
            continue;
        path = pg_xasprintf("%s/%s/METADATA", dir, e->d_name);
        load_one(s, path);
        free(path);
    }
    if (d)
        closedir(d);
}

void pg_pysite_load(struct pg_pysite *s, const char *const *dirs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int seen = 0;

        for (size_t k = 0; dirs[i] && k < i; k++)
            seen |= pg_streq(dirs[k], dirs[i]);
        if (dirs[i] && !seen)
            load_dir(s, dirs[i]);
    }
}

const struct pg_pysite_dist *pg_pysite_find(const struct pg_pysite *s, const char *name)
{
    char *key = pg_name_normalize(PG_ECO_PYPI, name);
    const struct pg_pysite_dist *found = NULL;

    for (size_t i = 0; s && i < s->n && !found; i++)
        if (strcmp(s->v[i].key, key) == 0)
            found = &s->v[i];
    free(key);
    return found;
}

void pg_pysite_release(struct pg_pysite *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].key);
        free(s->v[i].name);
        free(s->v[i].version);
        pg_strlist_release(&s->v[i].requires);
    }
    free(s->v);
    memset(s, 0, sizeof(*s));
}
