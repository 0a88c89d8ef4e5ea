/*
 * pg_sigstore_reg.c - the registries' wrappers around Sigstore bundles:
 * npm's attestations document and PyPI's provenance document
 * (pg_sigstore.h). What the artefact is comes from the caller (the name
 * asked for, the version picked, the digest the index states), never from
 * the document, so an attestation copied from another package fails.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_sigstore_int.h"
#include "pg_sri.h"
#include "pg_util.h"
#include "banned.h"

#define SLSA_PREFIX  "https://slsa.dev/provenance/"
#define MAX_ATTEST   16 /* attestations in one document */
#define MAX_PUB_BUNDLES 8

/* npm's purl for a package: a scope's "@" is written %40 (npm-package-arg). */
static char *npm_purl(const char *name, const char *version)
{
    return pg_xasprintf("pkg:npm/%s%s@%s", name[0] == '@' ? "%40" : "",
                        name[0] == '@' ? name + 1 : name, version);
}

static json_t *slsa_bundle(json_t *doc, struct pg_err *err)
{
    json_t *list = json_object_get(doc, "attestations");

    if (!json_is_array(list) || json_array_size(list) > MAX_ATTEST) {
        pg_err_set(err, "attestations document has no usable 'attestations' list");
        return NULL;
    }
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *a = json_array_get(list, i);
        const char *pt = ss_str(a, "predicateType");

        if (pt && pg_starts_with(pt, SLSA_PREFIX))
            return json_object_get(a, "bundle");
    }
    pg_err_set(err, "attestations document holds no SLSA provenance");
    return NULL;
}

enum pg_sigstore_result pg_sigstore_verify_npm(const struct pg_sigstore_root *root,
                                               const char *doc, size_t len, const char *name,
                                               const char *version, const char *integrity,
                                               struct pg_sigstore_identity *id,
                                               struct pg_err *err)
{
    json_t *j = ss_json(doc, len, PG_SIGSTORE_MAX_BUNDLE, err), *bundle;
    enum pg_sigstore_result r = PG_SIGSTORE_INVALID;
    struct pg_sigstore_subject subj = {NULL, "sha512", NULL, 0};
    struct pg_sri sri;
    char *purl = NULL;

    if (!j || !(bundle = slsa_bundle(j, err)))
        goto out;
    if (!integrity || pg_sri_parse(&sri, integrity, err) < 0 || sri.alg != PG_SRI_SHA512) {
        pg_err_set(err, "the version has no sha512 integrity to compare the provenance with");
        goto out;
    }
    purl = npm_purl(name, version);
    subj.name = purl;
    subj.digest = sri.digest[0];
    subj.digest_len = 64;
    r = ss_verify_json(root, bundle, 0, &subj, id, err);
out:
    free(purl);
    json_decref(j);
    return r;
}

/* Every attestation of every publisher bundle; the first fills *id. */
static enum pg_sigstore_result pypi_all(const struct pg_sigstore_root *root, json_t *bundles,
                                        const struct pg_sigstore_subject *subj,
                                        struct pg_sigstore_identity *id, struct pg_err *err)
{
    struct pg_sigstore_identity other = PG_SIGSTORE_IDENTITY_INIT;
    enum pg_sigstore_result r = PG_SIGSTORE_INVALID;
    size_t seen = 0;

    for (size_t i = 0; i < json_array_size(bundles) && i < MAX_PUB_BUNDLES; i++) {
        json_t *atts = json_object_get(json_array_get(bundles, i), "attestations");

        for (size_t k = 0; k < json_array_size(atts) && k < MAX_ATTEST; k++, seen++) {
            r = ss_verify_json(root, json_array_get(atts, k), 1, subj, seen ? &other : id, err);
            pg_sigstore_identity_release(&other);
            if (r != PG_SIGSTORE_OK) {
                pg_err_prefix(err, "attestation %zu: ", seen);
                goto out;
            }
        }
    }
    if (!seen) {
        pg_err_set(err, "provenance holds no attestation");
        r = PG_SIGSTORE_INVALID;
    }
out:
    if (r != PG_SIGSTORE_OK)
        pg_sigstore_identity_release(id);
    return r;
}

enum pg_sigstore_result pg_sigstore_verify_pypi(const struct pg_sigstore_root *root,
                                                const char *doc, size_t len,
                                                const char *filename,
                                                const unsigned char sha256[32],
                                                struct pg_sigstore_identity *id,
                                                struct pg_err *err)
{
    json_t *j = ss_json(doc, len, PG_SIGSTORE_MAX_BUNDLE, err);
    json_t *bundles = json_object_get(j, "attestation_bundles");
    struct pg_sigstore_subject subj = {filename, "sha256", sha256, 32};
    enum pg_sigstore_result r = PG_SIGSTORE_INVALID;

    if (!j)
        goto out;
    if (!json_is_integer(json_object_get(j, "version")) ||
        json_integer_value(json_object_get(j, "version")) != 1 ||
        json_array_size(bundles) > MAX_PUB_BUNDLES) {
        pg_err_set(err, "provenance is not a version 1 document");
        goto out;
    }
    r = pypi_all(root, bundles, &subj, id, err);
out:
    json_decref(j);
    return r;
}
