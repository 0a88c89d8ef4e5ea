#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pg_name.h"
#include "pg_pypimeta.h"
#include "pg_time.h"
#include "pg_util.h"
#include "banned.h"

static const char *const sdist_exts[] = {".tar.gz", ".zip", ".tar.bz2", ".tar.xz", ".tgz",
                                         ".tar"};

char *pg_pypimeta_simple_url(const char *index, const char *name)
{
    char *norm = pg_name_normalize(PG_ECO_PYPI, name);
    size_t n = strlen(index);
    char *url = pg_xasprintf("%s%s%s/", index, n && index[n - 1] == '/' ? "" : "/", norm);

    free(norm);
    return url;
}

char *pg_pypimeta_json_url(const char *index, const char *name)
{
    size_t n = strlen(index);
    char *url;

    while (n && index[n - 1] == '/')
        n--;
    if (n < 7 || memcmp(index + n - 7, "/simple", 7) != 0)
        return NULL;
    url = pg_xasprintf("%.*s/pypi/%s/json", (int)(n - 7), index, name);
    return url;
}

int pg_pypimeta_is_json(const char *content_type)
{
    return content_type && strstr(content_type, "application/vnd.pypi.simple.v1+json") != NULL;
}

/* Strip the archive extension; NULL if the file is no distribution. */
static char *stem_of(const char *filename, int *wheel)
{
    size_t n = strlen(filename);

    *wheel = pg_ends_with(filename, ".whl");
    if (*wheel)
        return pg_xstrndup(filename, n - 4);
    for (size_t i = 0; i < PG_ARRAY_SIZE(sdist_exts); i++)
        if (pg_ends_with(filename, sdist_exts[i]))
            return pg_xstrndup(filename, n - strlen(sdist_exts[i]));
    return NULL;
}

char *pg_pypimeta_file_version(const char *project, const char *filename)
{
    char *norm = pg_name_normalize(PG_ECO_PYPI, project);
    int wheel;
    char *stem = stem_of(filename, &wheel), *out = NULL;

    /* Try each '-' as the name/version boundary; the name must normalise
     * to the project (sdists of old projects keep '-' in the name). */
    for (char *p = stem ? strchr(stem, '-') : NULL; p; p = strchr(p + 1, '-')) {
        char *cand = pg_xstrndup(stem, (size_t)(p - stem));
        char *cn = pg_name_normalize(PG_ECO_PYPI, cand);
        int match = strcmp(cn, norm) == 0;

        free(cand);
        free(cn);
        if (!match)
            continue;
        if (wheel) {
            char *end = strchr(p + 1, '-');

            out = end ? pg_xstrndup(p + 1, (size_t)(end - p - 1)) : NULL;
        } else {
            out = pg_xstrdup(p + 1);
        }
        break;
    }
    free(stem);
    free(norm);
    if (out && !*out) {
        free(out);
        out = NULL;
    }
    return out;
}

/* Fold one file into its version. */
static void add_file(struct pg_meta *m, const char *version, int64_t uploaded, int yanked,
                     const char *yank_reason, const char *sha256, int provenance)
{
    struct pg_meta_version *v = (struct pg_meta_version *)pg_meta_find(m, version);

    if (!v) {
        v = pg_meta_add_version(m, version);
        v->yanked = yanked;
        v->deprecated = 0;
        v->install_scripts = 0;
        v->evidence = PG_EVID_NONE;
    } else if (!yanked) {
        v->yanked = 0;
    }
    if (yanked && yank_reason && !v->yanked_reason)
        v->yanked_reason = pg_xstrdup(yank_reason);
    if (uploaded >= 0 && (v->published < 0 || uploaded < v->published))
        v->published = uploaded;
    if (sha256 && !v->integrity)
        v->integrity = pg_xasprintf("sha256=%s", sha256);
    if (provenance && v->evidence < PG_EVID_PROVENANCE)
        v->evidence = PG_EVID_PROVENANCE;
}

static json_t *load(const char *name, const char *body, size_t len, struct pg_err *err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, 0, &jerr);

    if (!doc)
        pg_err_set(err, "index answer for %s is not valid JSON: %s (line %d)", name, jerr.text,
                   jerr.line);
    else if (!json_is_object(doc)) {
        pg_err_set(err, "index answer for %s is not a JSON object", name);
        json_decref(doc);
        doc = NULL;
    }
    return doc;
}

static void simple_file(struct pg_meta *m, const char *name, json_t *f)
{
    json_t *yk = json_object_get(f, "yanked");
    json_t *prov = json_object_get(f, "provenance");
    const char *fn = json_string_value(json_object_get(f, "filename"));
    char *ver = fn ? pg_pypimeta_file_version(name, fn) : NULL;
    int yanked = json_is_true(yk) || (json_is_string(yk));

    if (!ver)
        return;
    add_file(m, ver, pg_time_parse(json_string_value(json_object_get(f, "upload-time"))),
             yanked, json_string_value(yk),
             json_string_value(json_object_get(json_object_get(f, "hashes"), "sha256")),
             json_is_string(prov));
    free(ver);
}

struct pg_meta *pg_pypimeta_parse_simple(const char *name, const char *body, size_t len,
                                         struct pg_err *err)
{
    json_t *doc = load(name, body, len, err), *files, *f, *status;
    struct pg_meta *m;
    size_t i;

    if (!doc)
        return NULL;
    files = json_object_get(doc, "files");
    if (!json_is_array(files)) {
        pg_err_set(err, "index answer for %s has no 'files' list (not PEP 691)", name);
        json_decref(doc);
        return NULL;
    }
    m = pg_meta_new(PG_ECO_PYPI, name);
    json_array_foreach(files, i, f)
        if (json_is_object(f))
            simple_file(m, name, f);
    status = json_object_get(json_object_get(doc, "project-status"), "status");
    if (json_is_string(status))
        m->status = pg_xstrdup(json_string_value(status));
    json_decref(doc);
    return m;
}

static void jsonapi_release(struct pg_meta *m, const char *version, json_t *files)
{
    size_t i;
    json_t *f;

    json_array_foreach(files, i, f) {
        json_t *yk = json_object_get(f, "yanked");

        if (!json_is_object(f))
            continue;
        add_file(m, version,
                 pg_time_parse(json_string_value(json_object_get(f, "upload_time_iso_8601"))),
                 json_is_true(yk), json_string_value(json_object_get(f, "yanked_reason")),
                 json_string_value(json_object_get(json_object_get(f, "digests"), "sha256")),
                 0);
    }
}

struct pg_meta *pg_pypimeta_parse_jsonapi(const char *name, const char *body, size_t len,
                                          struct pg_err *err)
{
    json_t *doc = load(name, body, len, err), *releases, *files;
    struct pg_meta *m;
    const char *v;

    if (!doc)
        return NULL;
    releases = json_object_get(doc, "releases");
    if (!json_is_object(releases)) {
        pg_err_set(err, "JSON API answer for %s has no 'releases'", name);
        json_decref(doc);
        return NULL;
    }
    m = pg_meta_new(PG_ECO_PYPI, name);
    json_object_foreach(releases, v, files)
        if (json_is_array(files))
            jsonapi_release(m, v, files);
    json_decref(doc);
    return m;
}
