/*
 * pg_npmmeta.c - npm packuments into struct pg_meta (pg_npmmeta.h).
 *
 * Fields are read as npm's own tools read them (npm-pick-manifest for
 * "deprecated", for instance), and whatever the document does not state
 * stays unknown rather than defaulting to a harmless value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pg_npmmeta.h"
#include "pg_time.h"
#include "pg_util.h"
#include "banned.h"

char *pg_npmmeta_url(const char *registry, const char *name)
{
    struct pg_sb sb = PG_SB_INIT;
    size_t n = strlen(registry);

    pg_sb_add(&sb, registry, n);
    if (n == 0 || registry[n - 1] != '/')
        pg_sb_addc(&sb, '/');
    for (const char *p = name; *p; p++) {
        if (*p == '/')
            pg_sb_adds(&sb, "%2f");
        else
            pg_sb_addc(&sb, *p);
    }
    return pg_sb_detach(&sb);
}

static char *str_or_null(json_t *j)
{
    return json_is_string(j) ? pg_xstrdup(json_string_value(j)) : NULL;
}

static int has_install_script(json_t *ver)
{
    static const char *const hooks[] = {"preinstall", "install", "postinstall"};
    json_t *scripts = json_object_get(ver, "scripts");
    json_t *flag = json_object_get(ver, "hasInstallScript");

    if (json_is_true(flag))
        return 1;
    if (json_is_object(scripts)) {
        for (size_t i = 0; i < PG_ARRAY_SIZE(hooks); i++)
            if (json_is_string(json_object_get(scripts, hooks[i])))
                return 1;
        return 0;
    }
    /* The corgi drops scripts but keeps hasInstallScript when it is true. */
    return 0;
}

static enum pg_evidence evidence_of(json_t *ver, json_t *dist)
{
    json_t *user = json_object_get(ver, "_npmUser");
    json_t *att = json_object_get(dist, "attestations");

    if (json_is_object(user) && json_object_get(user, "trustedPublisher"))
        return PG_EVID_TRUSTED_PUBLISHER;
    if (json_is_object(att) && json_object_get(att, "provenance"))
        return PG_EVID_PROVENANCE;
    return PG_EVID_NONE;
}

/* engines.<key> as engineOk() reads it: falsy is absent, a non-string
 * truthy value is kept as JSON text, a range no version satisfies. */
static char *engine(json_t *ver, const char *key)
{
    json_t *e = json_object_get(json_object_get(ver, "engines"), key);

    if (!e || json_is_null(e) || json_is_false(e) ||
        (json_is_string(e) && json_string_length(e) == 0) ||
        (json_is_number(e) && json_number_value(e) == 0))
        return NULL;
    return json_is_string(e) ? pg_xstrdup(json_string_value(e))
                             : json_dumps(e, JSON_COMPACT | JSON_ENCODE_ANY);
}

static struct pg_meta_dep *dep_slot(struct pg_meta_version *mv, const char *name)
{
    for (size_t i = 0; i < mv->ndeps; i++)
        if (strcmp(mv->deps[i].name, name) == 0)
            return &mv->deps[i];
    mv->deps = pg_xrealloc(mv->deps, (mv->ndeps + 1) * sizeof(*mv->deps));
    memset(&mv->deps[mv->ndeps], 0, sizeof(*mv->deps));
    mv->deps[mv->ndeps].name = pg_xstrdup(name);
    return &mv->deps[mv->ndeps++];
}

static void dep_map(struct pg_meta_version *mv, json_t *map, enum pg_dep_kind kind)
{
    const char *name;
    json_t *spec;

    json_object_foreach(map, name, spec) {
        struct pg_meta_dep *d;

        if (!json_is_string(spec))
            continue; /* npm's normalizer drops these too */
        d = dep_slot(mv, name);
        free(d->spec);
        d->spec = pg_xstrdup(json_string_value(spec));
        d->kind = kind;
    }
}

static int peer_optional(json_t *meta, const char *name)
{
    return json_is_true(json_object_get(json_object_get(meta, name), "optional"));
}

/*
 * Peers first, so that a name also in dependencies is a plain dependency,
 * and optionalDependencies last: npm lets them replace a dependencies entry.
 */
static void add_deps(struct pg_meta_version *mv, json_t *ver)
{
    json_t *peers = json_object_get(ver, "peerDependencies");
    json_t *pmeta = json_object_get(ver, "peerDependenciesMeta");
    json_t *bundle = json_object_get(ver, "bundleDependencies");
    size_t i;
    json_t *b;

    if (!bundle)
        bundle = json_object_get(ver, "bundledDependencies");
    if (json_is_object(peers))
        dep_map(mv, peers, PG_DEP_PEER);
    for (i = 0; i < mv->ndeps; i++)
        if (peer_optional(pmeta, mv->deps[i].name))
            mv->deps[i].kind = PG_DEP_PEER_OPTIONAL;
    if (json_is_object(json_object_get(ver, "dependencies")))
        dep_map(mv, json_object_get(ver, "dependencies"), PG_DEP_PROD);
    if (json_is_object(json_object_get(ver, "optionalDependencies")))
        dep_map(mv, json_object_get(ver, "optionalDependencies"), PG_DEP_OPTIONAL);
    for (i = 0; i < mv->ndeps; i++)
        if (json_is_true(bundle) && mv->deps[i].kind != PG_DEP_PEER &&
            mv->deps[i].kind != PG_DEP_PEER_OPTIONAL)
            mv->deps[i].bundled = 1;
    json_array_foreach(bundle, i, b)
        for (size_t k = 0; json_is_string(b) && k < mv->ndeps; k++)
            if (strcmp(mv->deps[k].name, json_string_value(b)) == 0)
                mv->deps[k].bundled = 1;
    mv->has_shrinkwrap = json_is_true(json_object_get(ver, "_hasShrinkwrap"));
}

static void add_version(struct pg_meta *m, const char *v, json_t *ver, json_t *times)
{
    struct pg_meta_version *mv = pg_meta_add_version(m, v);
    json_t *dist = json_object_get(ver, "dist");
    json_t *dep = json_object_get(ver, "deprecated");
    json_t *user = json_object_get(ver, "_npmUser");
    json_t *sigs = json_object_get(dist, "signatures");

    if (json_is_object(times))
        mv->published = pg_time_parse(json_string_value(json_object_get(times, v)));
    /* npm-pick-manifest: any truthy value deprecates ("" does not). */
    mv->deprecated = (json_is_string(dep) && json_string_length(dep) > 0) || json_is_true(dep) ||
                     (json_is_number(dep) && json_number_value(dep) != 0) ||
                     json_is_object(dep) || json_is_array(dep);
    mv->deprecated_msg = mv->deprecated ? str_or_null(dep) : NULL;
    mv->yanked = 0;
    mv->install_scripts = has_install_script(ver);
    mv->integrity = str_or_null(json_object_get(dist, "integrity"));
    mv->tarball = str_or_null(json_object_get(dist, "tarball"));
    mv->shasum = str_or_null(json_object_get(dist, "shasum"));
    if (json_is_object(user))
        mv->publisher = str_or_null(json_object_get(user, "name"));
    mv->evidence = json_is_object(dist) ? evidence_of(ver, dist) : PG_EVID_UNKNOWN;
    /* Only a provenance attestation is fetched and verified: npm's keyed
     * publish attestation alone says nothing about where it was built. */
    if (json_object_get(json_object_get(dist, "attestations"), "provenance"))
        mv->attestations_url =
            str_or_null(json_object_get(json_object_get(dist, "attestations"), "url"));
    if (json_is_array(sigs))
        mv->signatures_json = json_dumps(sigs, JSON_COMPACT);
    /* "repository": "org/repo" or {"type": "git", "url": "..."}. */
    mv->repository = str_or_null(json_object_get(ver, "repository"));
    if (!mv->repository)
        mv->repository = str_or_null(json_object_get(json_object_get(ver, "repository"), "url"));
    mv->engines_node = engine(ver, "node");
    mv->engines_npm = engine(ver, "npm");
    add_deps(mv, ver);
}

static void add_tags(struct pg_meta *m, json_t *tags)
{
    const char *tag;
    json_t *val;

    json_object_foreach(tags, tag, val)
        if (json_is_string(val))
            pg_meta_add_tag(m, tag, json_string_value(val));
}

/*
 * Top-level maintainers as the registry lists them ({name, email}); an
 * entry without a string name says no one and is skipped.
 */
static void add_maintainers(struct pg_meta *m, json_t *list)
{
    size_t i;
    json_t *p;

    json_array_foreach(list, i, p) {
        const char *who = json_string_value(json_object_get(p, "name"));

        if (who && *who)
            pg_meta_add_maintainer(m, who);
    }
}

struct pg_meta *pg_npmmeta_parse(const char *name, const char *body, size_t len,
                                 struct pg_err *err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, 0, &jerr);
    struct pg_meta *m = NULL;
    json_t *versions, *times, *docname, *ver;
    const char *v;

    if (!doc) {
        pg_err_set(err, "registry answer for %s is not valid JSON: %s (line %d)", name,
                   jerr.text, jerr.line);
        return NULL;
    }
    versions = json_object_get(doc, "versions");
    times = json_object_get(doc, "time");
    docname = json_object_get(doc, "name");
    if (!json_is_object(doc) || !json_is_object(versions)) {
        pg_err_set(err, "registry answer for %s is not a packument ('versions' missing)", name);
        goto out;
    }
    if (json_is_string(docname) && strcmp(json_string_value(docname), name) != 0) {
        pg_err_set(err, "registry answered for '%s' when asked for '%s'",
                   json_string_value(docname), name);
        goto out;
    }
    m = pg_meta_new(PG_ECO_NPM, name);
    json_object_foreach(versions, v, ver)
        if (json_is_object(ver))
            add_version(m, v, ver, times);
    add_tags(m, json_object_get(doc, "dist-tags"));
    add_maintainers(m, json_object_get(doc, "maintainers"));
    if (json_is_object(times)) {
        m->created = pg_time_parse(json_string_value(json_object_get(times, "created")));
        m->modified = pg_time_parse(json_string_value(json_object_get(times, "modified")));
    }
    if (m->modified < 0)
        m->modified = pg_time_parse(json_string_value(json_object_get(doc, "modified")));
out:
    json_decref(doc);
    return m;
}

/* Where the host/path part of a repository URL starts, and its host. */
static const char *repo_start(const char *u, const char **host)
{
    const char *p;

    *host = NULL;
    if (!strncmp(u, "git+", 4))
        u += 4;
    if (!strncmp(u, "github:", 7) || !strncmp(u, "gitlab:", 7)) {
        *host = u[3] == 'h' ? "github.com" : "gitlab.com";
        return u + 7;
    }
    p = strstr(u, "://");
    if (p) {
        const char *at, *slash;

        u = p + 3;
        at = strchr(u, '@');
        slash = strchr(u, '/');
        if (at && (!slash || at < slash))
            u = at + 1; /* user@ */
        return u;
    }
    if (!strncmp(u, "git@", 4) && strchr(u, ':'))
        return u + 4; /* git@host:owner/repo: the ':' is read as '/' below */
    if (strchr(u, '/') && !strchr(u, ':'))
        *host = "github.com"; /* npm's "owner/repo" shorthand */
    return u;
}

int pg_npmmeta_repo(const char *url, char *out, size_t n)
{
    const char *host = NULL, *p = url ? repo_start(url, &host) : NULL;
    char owner[256], repo[256], h[256];
    size_t len;

    if (!p)
        return 0;
    if (!host) {
        len = strcspn(p, "/:");
        if (len == 0 || len >= sizeof(h) || !p[len])
            return 0;
        snprintf(h, sizeof(h), "%.*s", (int)len, p);
        for (char *c = h; *c; c++)
            *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        p += len + 1;
        host = h;
    }
    if (strcmp(host, "github.com") != 0 && strcmp(host, "gitlab.com") != 0)
        return 0;
    len = strcspn(p, "/");
    if (len == 0 || len >= sizeof(owner) || !p[len])
        return 0;
    snprintf(owner, sizeof(owner), "%.*s", (int)len, p);
    p += len + 1;
    len = strcspn(p, "/#?");
    if (len > 4 && !strncmp(p + len - 4, ".git", 4))
        len -= 4;
    if (len == 0 || len >= sizeof(repo))
        return 0;
    snprintf(repo, sizeof(repo), "%.*s", (int)len, p);
    return snprintf(out, n, "%s/%s/%s", host, owner, repo) < (int)n;
}
