/*
 * pg_pypimeta.c - PyPI index documents into struct pg_meta (pg_pypimeta.h).
 *
 * PyPI describes files, the policy judges versions: each file is folded into
 * its version so that the version is as young and as weakly attested as its
 * worst file, since pip may install any of them.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
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

char *pg_pypimeta_json_version_url(const char *index, const char *name, const char *version)
{
    char *base = pg_pypimeta_json_url(index, name), *url;

    if (!base)
        return NULL;
    /* ".../json" -> ".../<version>/json" */
    base[strlen(base) - 5] = '\0';
    url = pg_xasprintf("%s/%s/json", base, version);
    free(base);
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

/*
 * The version a distribution filename carries, given the project name:
 * "requests-2.31.0-py3-none-any.whl" -> "2.31.0", "foo_bar-1.0.tar.gz" ->
 * "1.0". NULL if the file is not this project's. Caller frees.
 */
char *pg_pypimeta_file_version(const char *project, const char *filename, unsigned *kind)
{
    char *norm, *stem, *out = NULL;
    int wheel;

    /* Real distribution filenames are short; the search below is quadratic. */
    if (strlen(filename) > 255)
        return NULL;
    norm = pg_name_normalize(PG_ECO_PYPI, project);
    stem = stem_of(filename, &wheel);
    if (kind)
        *kind = wheel ? PG_META_WHEEL : PG_META_SDIST;

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

/* What the index says about one file. */
struct file_facts {
    int64_t uploaded;
    int yanked;
    const char *yank_reason;
    const char *sha256;
    int provenance;       /* a provenance URL is given */
    const char *prov_url; /* that URL, absolute; NULL if it did not resolve */
    unsigned kind;        /* PG_META_WHEEL or PG_META_SDIST */
    const char *requires_python;
    const char *url;      /* absolute, or NULL */
    const char *core_metadata; /* pg_meta_file.core_metadata */
    const char *filename;
};

/* Fold one file into its version. */
/*
 * Fold one file into its version. pip may install any of a version's files,
 * so the version is as young as its newest file (an attacker with a stolen
 * token can add a fresh wheel to last year's release) and as weakly attested
 * as its least attested one; a file without an upload time makes the
 * version's time unknown.
 */
static void add_file(struct pg_meta *m, const char *version, const struct file_facts *f)
{
    struct pg_meta_version *v = (struct pg_meta_version *)pg_meta_find(m, version);
    int64_t uploaded = f->uploaded;
    int yanked = f->yanked;
    enum pg_evidence ev = f->provenance ? PG_EVID_PROVENANCE : PG_EVID_NONE;

    if (!v) {
        v = pg_meta_add_version(m, version);
        v->yanked = yanked;
        v->deprecated = 0;
        v->install_scripts = 0;
        v->evidence = ev;
        v->published = uploaded;
    } else {
        if (!yanked)
            v->yanked = 0;
        if (ev < v->evidence)
            v->evidence = ev;
        if (uploaded < 0 || v->published < 0)
            v->published = -1;
        else if (uploaded > v->published)
            v->published = uploaded;
    }
    if (yanked && f->yank_reason && !v->yanked_reason)
        v->yanked_reason = pg_xstrdup(f->yank_reason);
    if (f->sha256 && !v->integrity)
        v->integrity = pg_xasprintf("sha256=%s", f->sha256);
    if (f->prov_url && !v->provenance_url)
        v->provenance_url = pg_xstrdup(f->prov_url);
    {
        struct pg_meta_file *mf = pg_meta_add_file(v, f->kind, f->requires_python);

        mf->url = f->url ? pg_xstrdup(f->url) : NULL;
        mf->core_metadata = f->core_metadata ? pg_xstrdup(f->core_metadata) : NULL;
        mf->filename = f->filename ? pg_xstrdup(f->filename) : NULL;
        mf->sha256 = f->sha256 ? pg_xstrdup(f->sha256) : NULL;
        mf->provenance_url = f->prov_url ? pg_xstrdup(f->prov_url) : NULL;
    }
}

/*
 * PEP 714 "core-metadata" (PEP 658's "data-dist-info-metadata" before it):
 * true or a hashes object means url + ".metadata" is served. Returns its
 * pg_meta_file.core_metadata form, or NULL. Caller frees.
 */
static char *core_metadata(json_t *f)
{
    json_t *cm = json_object_get(f, "core-metadata");
    const char *sha;

    if (!cm)
        cm = json_object_get(f, "data-dist-info-metadata");
    if (!json_is_true(cm) && !json_is_object(cm))
        return NULL;
    sha = json_string_value(json_object_get(cm, "sha256"));
    return sha ? pg_xasprintf("sha256=%s", sha) : pg_xstrdup("");
}

/*
 * A link of the page at base as an absolute URL (PEP 691 URLs may be
 * relative, as in HTML); NULL if it does not resolve. Caller frees.
 */
static char *absolute(const char *base, const char *link)
{
    CURLU *u = curl_url();
    char *got = NULL, *out = NULL;

    if (!u)
        return NULL;
    /* Without a base only an absolute link can be set. */
    if ((base && curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK) ||
        curl_url_set(u, CURLUPART_URL, link, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_URL, &got, 0) != CURLUE_OK || !got)
        goto out;
    out = pg_xstrdup(got);
out:
    curl_free(got);
    curl_url_cleanup(u);
    return out;
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

static void simple_file(struct pg_meta *m, const char *name, const char *page_url, json_t *f)
{
    json_t *yk = json_object_get(f, "yanked");
    json_t *prov = json_object_get(f, "provenance");
    const char *fn = json_string_value(json_object_get(f, "filename"));
    struct file_facts ff = {0};
    char *ver = fn ? pg_pypimeta_file_version(name, fn, &ff.kind) : NULL;
    char *prov_url = NULL, *url = NULL, *cm = NULL;
    const char *link = json_string_value(json_object_get(f, "url"));

    if (!ver)
        return;
    if (link && strlen(link) <= PG_PYPIMETA_MAX_URL)
        url = absolute(page_url, link);
    cm = url ? core_metadata(f) : NULL;
    ff.url = url;
    ff.core_metadata = cm;
    ff.requires_python = json_string_value(json_object_get(f, "requires-python"));
    ff.uploaded = pg_time_parse(json_string_value(json_object_get(f, "upload-time")));
    ff.yanked = json_is_true(yk) || json_is_string(yk);
    ff.yank_reason = json_string_value(yk);
    ff.sha256 = json_string_value(json_object_get(json_object_get(f, "hashes"), "sha256"));
    ff.provenance = json_is_string(prov);
    if (ff.provenance && json_string_length(prov) <= PG_PYPIMETA_MAX_URL)
        prov_url = absolute(page_url, json_string_value(prov));
    ff.prov_url = prov_url;
    ff.filename = fn;
    add_file(m, ver, &ff);
    free(prov_url);
    free(url);
    free(cm);
    free(ver);
}

struct pg_meta *pg_pypimeta_parse_simple(const char *name, const char *page_url,
                                         const char *body, size_t len, struct pg_err *err)
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
            simple_file(m, name, page_url, f);
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
        struct file_facts ff = {0};
        const char *fn;
        char *cm;

        if (!json_is_object(f))
            continue;
        ff.uploaded =
            pg_time_parse(json_string_value(json_object_get(f, "upload_time_iso_8601")));
        ff.yanked = json_is_true(json_object_get(f, "yanked"));
        ff.yank_reason = json_string_value(json_object_get(f, "yanked_reason"));
        ff.sha256 = json_string_value(json_object_get(json_object_get(f, "digests"), "sha256"));
        ff.requires_python = json_string_value(json_object_get(f, "requires_python"));
        fn = json_string_value(json_object_get(f, "filename"));
        ff.kind = fn && pg_ends_with(fn, ".whl") ? PG_META_WHEEL : PG_META_SDIST;
        /* The JSON API's URLs are absolute. */
        ff.url = json_string_value(json_object_get(f, "url"));
        if (ff.url && (strlen(ff.url) > PG_PYPIMETA_MAX_URL || !strstr(ff.url, "://")))
            ff.url = NULL;
        cm = ff.url ? core_metadata(f) : NULL;
        ff.core_metadata = cm;
        ff.filename = fn;
        add_file(m, version, &ff);
        free(cm);
    }
}

/* A document naming another project (PEP 503-normalised) must not count. */
static int same_project(const char *asked, const char *answered)
{
    char *a, *b;
    int same;

    if (!answered)
        return 0;
    a = pg_name_normalize(PG_ECO_PYPI, asked);
    b = pg_name_normalize(PG_ECO_PYPI, answered);
    same = strcmp(a, b) == 0;
    free(a);
    free(b);
    return same;
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
    if (!same_project(name, json_string_value(json_object_get(json_object_get(doc, "info"),
                                                              "name")))) {
        pg_err_set(err, "JSON API answered for another project when asked for %s", name);
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
