/*
 * pg_npmws.c - the workspaces a project declares (see pg_npmws.h). Only the
 * two pattern shapes nearly every project uses are expanded; the rest is
 * handed back rather than approximated, since a wrong expansion would
 * leave a workspace's dependencies unjudged.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "pg_npmws.h"
#include "pg_pkgjson.h"
#include "pg_util.h"
#include "banned.h"

/* dir holds a package.json: add it, named as map-workspaces names it. */
static void add(struct pg_npmws_list *l, const char *dir)
{
    char *pj = pg_xasprintf("%s/package.json", dir);
    json_t *doc = json_load_file(pj, 0, NULL);
    const char *name = json_string_value(json_object_get(doc, "name"));
    const char *base = strrchr(dir, '/');
    struct stat st;

    if (stat(pj, &st) == 0 && S_ISREG(st.st_mode)) {
        for (size_t i = 0; i < l->n; i++)
            if (pg_streq(l->v[i].dir, dir))
                goto out;
        pg_xgrow((void **)&l->v, &l->alloc, l->n + 1, sizeof(*l->v));
        l->v[l->n].dir = pg_xstrdup(dir);
        l->v[l->n++].name = pg_xstrdup(name && *name ? name : base ? base + 1 : dir);
    }
out:
    json_decref(doc);
    free(pj);
}

/* A pattern "prefix/" + "*": every child directory of prefix. */
static void children(struct pg_npmws_list *l, const char *parent)
{
    DIR *d = opendir(parent);
    struct dirent *e;

    while (d && (e = readdir(d))) {
        char *sub;

        if (e->d_name[0] == '.' || pg_streq(e->d_name, "node_modules"))
            continue;
        sub = pg_xasprintf("%s/%s", parent, e->d_name);
        add(l, sub);
        free(sub);
    }
    if (d)
        closedir(d);
}

/* Remove the workspace at dir, or (children) every one directly below it. */
static void drop(struct pg_npmws_list *l, const char *dir, int children)
{
    size_t keep = 0, dl = strlen(dir);

    for (size_t i = 0; i < l->n; i++) {
        const char *d = l->v[i].dir;
        int hit = children ? strncmp(d, dir, dl) == 0 && d[dl] == '/' && !strchr(d + dl + 1, '/')
                           : pg_streq(d, dir);

        if (hit) {
            free(l->v[i].dir);
            free(l->v[i].name);
        } else {
            l->v[keep++] = l->v[i];
        }
    }
    l->n = keep;
}

static void expand(struct pg_npmws_list *l, const char *root, const char *pat)
{
    const char *p = pat;
    size_t n;
    char *clean, *abs;

    while (pg_starts_with(p, "./"))
        p += 2;
    n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        n--;
    clean = pg_xstrndup(p, n);
    if (pg_ends_with(clean, "/*"))
        clean[n - 2] = '\0';
    else if (pg_streq(clean, "*"))
        clean[0] = '\0';
    if (strpbrk(clean + strspn(clean, "!"), "*?[]{}!") || !*p || pg_streq(clean, "!")) {
        pg_strlist_push(&l->unsupported, pat);
    } else if (clean[0] == '!') {
        /* A negation removes what an earlier pattern matched. */
        abs = pg_path_resolve(root, clean + 1);
        drop(l, abs, strlen(clean) < n);
        free(abs);
    } else {
        abs = pg_path_resolve(root, *clean ? clean : ".");
        if (strlen(clean) < n)
            children(l, abs);
        else
            add(l, abs);
        free(abs);
    }
    free(clean);
}

int pg_npmws_read(const char *root, struct pg_npmws_list *out, struct pg_err *err)
{
    char *pj = pg_xasprintf("%s/package.json", root), *buf = NULL;
    size_t len = 0, i;
    json_t *doc = NULL, *ws, *pat;
    int rc = 0;
    struct stat st;

    if (stat(pj, &st) < 0)
        goto out; /* no package.json: npm's problem */
    if (pg_read_file(pj, PG_PKGJSON_MAX, &buf, &len, err) < 0) {
        rc = -1;
        goto out;
    }
    doc = json_loadb(buf, len, 0, NULL);
    if (!doc) {
        rc = pg_err_set(err, "%s is not valid JSON", pj);
        goto out;
    }
    ws = json_object_get(doc, "workspaces");
    if (json_is_object(ws))
        ws = json_object_get(ws, "packages");
    json_array_foreach(ws, i, pat) {
        if (json_is_string(pat))
            expand(out, root, json_string_value(pat));
    }
out:
    json_decref(doc);
    free(buf);
    free(pj);
    return rc;
}

void pg_npmws_release(struct pg_npmws_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].dir);
        free(l->v[i].name);
    }
    free(l->v);
    pg_strlist_release(&l->unsupported);
    memset(l, 0, sizeof(*l));
}
