/*
 * pg_pypiprov.c - the publisher of a PyPI file (pg_pypiprov.h).
 *
 * Only the publisher block is read; the sigstore bundles are not. Strings
 * are checked short and printable because they end up in one-line
 * verdict messages.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pg_pypiprov.h"
#include "pg_util.h"
#include "banned.h"

void pg_pypiprov_release(struct pg_pypiprov *p)
{
    free(p->kind);
    free(p->repository);
    free(p->workflow);
    free(p->environment);
    free(p->email);
    free(p->identity);
    memset(p, 0, sizeof(*p));
}

/*
 * Copy the optional string member key of obj into *out. Absent or null is
 * fine (NULL); anything else must be a short, printable string, since it
 * ends up in one-line messages.
 */
static int field(json_t *obj, const char *key, char **out, struct pg_err *err)
{
    json_t *v = json_object_get(obj, key);
    const char *s;
    size_t n;

    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return pg_err_set(err, "provenance publisher '%s' is not a string", key);
    s = json_string_value(v);
    n = json_string_length(v);
    if (n > PG_PYPIPROV_MAX_FIELD)
        return pg_err_set(err, "provenance publisher '%s' is longer than %d bytes", key,
                          PG_PYPIPROV_MAX_FIELD);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return pg_err_set(err, "provenance publisher '%s' holds a control character", key);
    *out = n ? pg_xstrndup(s, n) : NULL;
    return 0;
}

static char *lower(const char *s)
{
    char *out = pg_xstrdup(s);

    for (char *p = out; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return out;
}

/* What publisher_change compares; see the header. */
static int identity(struct pg_pypiprov *p, struct pg_err *err)
{
    char *kind = lower(p->kind);
    const char *who = p->repository ? p->repository : p->email;
    int rc = 0;

    if (!who)
        rc = pg_err_set(err, "provenance publisher of kind '%s' names no repository", p->kind);
    else if (strcmp(kind, "github") == 0 && p->repository)
        p->identity = pg_xstrdup(p->repository);
    else
        p->identity = pg_xasprintf("%s:%s", kind, who);
    free(kind);
    return rc;
}

static int publisher(struct pg_pypiprov *p, json_t *pub, struct pg_err *err)
{
    if (!json_is_object(pub))
        return pg_err_set(err, "provenance attestation bundle has no publisher object");
    if (field(pub, "kind", &p->kind, err) < 0 ||
        field(pub, "repository", &p->repository, err) < 0 ||
        field(pub, "workflow", &p->workflow, err) < 0 ||
        field(pub, "environment", &p->environment, err) < 0 ||
        field(pub, "email", &p->email, err) < 0)
        return -1;
    if (!p->workflow && field(pub, "workflow_filepath", &p->workflow, err) < 0)
        return -1;
    if (!p->kind)
        return pg_err_set(err, "provenance publisher has no 'kind'");
    return identity(p, err);
}

int pg_pypiprov_parse(struct pg_pypiprov *out, const char *body, size_t len, struct pg_err *err)
{
    struct pg_pypiprov p = PG_PYPIPROV_INIT;
    json_error_t jerr;
    json_t *doc = NULL, *bundles;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (len > PG_PYPIPROV_MAX_BODY) {
        pg_err_set(err, "provenance document is larger than %zu bytes", PG_PYPIPROV_MAX_BODY);
        goto out;
    }
    doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        pg_err_set(err, "provenance document is not valid JSON: %s (line %d)", jerr.text,
                   jerr.line);
        goto out;
    }
    if (!json_is_object(doc)) {
        pg_err_set(err, "provenance document is not a JSON object");
        goto out;
    }
    if (json_integer_value(json_object_get(doc, "version")) != 1 ||
        !json_is_integer(json_object_get(doc, "version"))) {
        pg_err_set(err, "provenance document is not version 1");
        goto out;
    }
    bundles = json_object_get(doc, "attestation_bundles");
    if (!json_is_array(bundles) || json_array_size(bundles) == 0) {
        pg_err_set(err, "provenance document has no attestation bundles");
        goto out;
    }
    /* One publisher per file in practice: the first bundle speaks for it. */
    if (publisher(&p, json_object_get(json_array_get(bundles, 0), "publisher"), err) < 0)
        goto out;
    *out = p;
    memset(&p, 0, sizeof(p));
    rc = 0;
out:
    pg_pypiprov_release(&p);
    json_decref(doc);
    return rc;
}
