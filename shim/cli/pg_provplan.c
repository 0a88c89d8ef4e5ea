/*
 * pg_provplan.c - which versions the provenance round asks about, and
 * against which root (pg_provplan.h).
 */
#include <stdlib.h>
#include <string.h>

#include "pg_pipformat.h"
#include "pg_provplan.h"
#include "pg_provround.h"
#include "pg_rules_prov.h"
#include "pg_sigstore.h"
#include "pg_tuf.h"
#include "pg_util.h"
#include "banned.h"

char *pg_provplan_trust_dir(void)
{
    const char *data = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

    if (data && *data == '/')
        return pg_xasprintf("%s/pkggate/trust-root", data);
    if (home && *home == '/')
        return pg_xasprintf("%s/.local/share/pkggate/trust-root", home);
    return NULL;
}

int pg_provplan_stored_root(char **text, size_t *len, int64_t *targets_version, char **url,
                            struct pg_err *err)
{
    char *dir = pg_provplan_trust_dir();
    int rc;

    if (!dir)
        return pg_err_set(err, "no data directory (set XDG_DATA_HOME or HOME)");
    rc = pg_tuf_stored(dir, "trusted_root.json", text, len, targets_version, url, err);
    if (rc == 0 && pg_streq(*url, PG_TUF_SIGSTORE_URL) &&
        *targets_version <= PG_SIGSTORE_ROOT_TUF_VERSION) {
        /* This pkggate was built with that root or a newer one. */
        rc = pg_err_set(err, "the stored root (targets version %lld) is not newer than the "
                             "compiled-in one (%d)",
                        (long long)*targets_version, PG_SIGSTORE_ROOT_TUF_VERSION);
        free(*text);
        free(*url);
        *text = *url = NULL;
    }
    free(dir);
    return rc;
}

/* The root this run verifies against; NULL and *why when it cannot be had. */
static struct pg_sigstore_root *load_root(const struct pg_policy *pol, char **why)
{
    int is_inline = 0, rc;
    const char *spec = pg_policy_sigstore_root(pol, &is_inline);
    const char *what = "the org policy's sigstore_root";
    struct pg_sigstore_root *root = NULL;
    struct pg_err err = PG_ERR_INIT, serr = PG_ERR_INIT; /* serr: a stored root's absence */
    char *text = NULL, *url = NULL;
    size_t len = 0;

#ifdef PG_TEST_HOOKS
    /* Test builds only: the fixture registry signs with a root of its own. */
    if (!spec && getenv(PG_PROVPLAN_TEST_ROOT_ENV) && *getenv(PG_PROVPLAN_TEST_ROOT_ENV)) {
        spec = getenv(PG_PROVPLAN_TEST_ROOT_ENV);
        what = "$" PG_PROVPLAN_TEST_ROOT_ENV;
    }
#endif
    if (!spec && pg_provplan_stored_root(&text, &len, &(int64_t){0}, &url, &serr) == 0) {
        what = "the root stored by `pkggate trust-root update`";
        rc = pg_sigstore_root_parse(&root, text, len, &err);
    } else if (!spec) {
        what = "the compiled-in public-good root";
        rc = pg_sigstore_root_default(&root, &err);
    } else if (is_inline) {
        rc = pg_sigstore_root_parse(&root, spec, strlen(spec), &err);
    } else {
        rc = pg_read_file(spec, PG_SIGSTORE_MAX_ROOT, &text, &len, &err);
        if (rc == 0)
            rc = pg_sigstore_root_parse(&root, text, len, &err);
    }
    if (rc < 0)
        *why = pg_xasprintf("the sigstore trusted root (%s) cannot be used: %s", what, err.msg);
    free(text);
    free(url);
    return rc < 0 ? NULL : root;
}

struct jobs {
    struct pg_provround_job *v;
    size_t n, alloc;
};

static void add_job(struct jobs *j, struct pg_fetch *f, const struct pg_req *req,
                    const struct pg_meta_version *mv)
{
    struct pg_provround_job *job;

    pg_xgrow((void **)&j->v, &j->alloc, j->n + 1, sizeof(*j->v));
    job = &j->v[j->n++];
    job->eco = req->eco;
    job->name = req->name;
    job->index = pg_fetch_index(f, req->eco, req->name, &job->auth);
    /* f owns the metadata; the round writes its findings into the version,
     * where the rules read them. */
    job->v = (struct pg_meta_version *)mv;
}

static void plan_one(struct jobs *j, struct pg_fetch *f, const struct pg_policy_needs *needs,
                     struct pg_decide_ctx *c, const struct pg_cmd *cmd, const struct pg_req *req,
                     const struct pg_facts *facts)
{
    const struct pg_meta_version *mv, *prev;

    c->kinds = cmd && req->name ? pg_pipformat_kinds(&cmd->formats, req->name) : 0;
    mv = pg_decide_version(c, req, facts);
    if (!mv)
        return;
    add_job(j, f, req, mv);
    /* publisher_change compares with the verified identity of the release
     * before: the very version the rule will pick. */
    prev = needs->publishers ? pg_rules_prov_earlier(facts->meta, mv) : NULL;
    if (prev)
        add_job(j, f, req, prev);
}

void pg_provplan_run(struct pg_fetch *f, const struct pg_policy *pol,
                     const struct pg_fetch_opts *fo, const struct pg_decide_ctx *ctx,
                     const struct pg_cmd *cmd, const struct pg_req *reqs,
                     const struct pg_facts *facts, size_t n, const struct pg_req *deps,
                     const struct pg_facts *dfacts, size_t nd)
{
    struct pg_policy_needs needs;
    struct pg_http *h = pg_fetch_http(f, pol, fo, &needs);
    struct pg_decide_ctx c = *ctx;
    struct jobs j = {NULL, 0, 0};
    struct pg_sigstore_root *root = NULL;
    char *why = NULL;

    if (!h || !needs.provenance)
        return;
    for (size_t i = 0; i < n; i++)
        plan_one(&j, f, &needs, &c, cmd, &reqs[i], &facts[i]);
    for (size_t i = 0; i < nd; i++)
        plan_one(&j, f, &needs, &c, cmd, &deps[i], &dfacts[i]);
    if (j.n) {
        if (pg_provround_needs_root(j.v, j.n))
            root = load_root(pol, &why);
        pg_provround_run(h, root, why, j.v, j.n);
        pg_fetch_round_done(f);
    }
    pg_sigstore_root_free(root);
    free(why);
    free(j.v);
}
