/*
 * pg_findlinks.c - local find-links locations, listed as pip lists them
 * (pg_findlinks.h).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "pg_findlinks.h"
#include "pg_pypimeta.h"
#include "pg_util.h"
#include "banned.h"

/* A directory holds at most this many entries worth looking at. */
#define MAX_ENTRIES 100000

int pg_findlinks_is_remote(const char *link)
{
    return !strncasecmp(link, "http://", 7) || !strncasecmp(link, "https://", 8) ||
           !strncasecmp(link, "ftp://", 6);
}

/* The local path a find-links entry names (file: URL, ~, relative). Caller frees. */
static char *local_path(const char *link, const char *cwd, const char *home)
{
    if (!strncasecmp(link, "file://", 7))
        link += 7; /* file:///dir -> /dir (no %-escapes in practice) */
    if (link[0] == '~' && (link[1] == '/' || !link[1]) && home)
        return pg_xasprintf("%s%s", home, link + 1);
    if (link[0] == '/' || !cwd)
        return pg_xstrdup(link);
    return pg_xasprintf("%s/%s", cwd, link);
}

static void add(struct pg_meta **m, const char *name, const char *path, const char *file)
{
    unsigned kind = 0;
    char *ver = pg_pypimeta_file_version(name, file, &kind);
    struct pg_meta_version *v;

    if (!ver)
        return;
    if (!*m)
        *m = pg_meta_new(PG_ECO_PYPI, name);
    v = (struct pg_meta_version *)pg_meta_find(*m, ver);
    if (!v) {
        v = pg_meta_add_version(*m, ver);
        v->local_file = pg_xstrdup(path);
        v->yanked = v->deprecated = v->install_scripts = 0;
        v->evidence = PG_EVID_NONE;
    }
    pg_meta_add_file(v, kind, NULL);
    free(ver);
}

static void list_dir(struct pg_meta **m, const char *name, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t seen = 0;

    if (!d)
        return;
    while ((e = readdir(d)) != NULL && seen++ < MAX_ENTRIES) {
        char *path;

        if (e->d_name[0] == '.')
            continue;
        path = pg_xasprintf("%s/%s", dir, e->d_name);
        add(m, name, path, e->d_name);
        free(path);
    }
    closedir(d);
}

struct pg_meta *pg_findlinks_meta(const char *name, const char *const *links, size_t n,
                                  const char *cwd, const char *home)
{
    struct pg_meta *m = NULL;

    for (size_t i = 0; i < n; i++) {
        struct stat st;
        char *path;

        if (pg_findlinks_is_remote(links[i]))
            continue;
        path = local_path(links[i], cwd, home);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            list_dir(&m, name, path);
        } else if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            const char *base = strrchr(path, '/');

            add(&m, name, path, base ? base + 1 : path);
        }
        free(path);
    }
    return m;
}
