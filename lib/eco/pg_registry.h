/*
 * pg_registry.h - registry metadata for many packages at once.
 *
 * Every package of one command is fetched in parallel (one round trip of
 * wall time, through the pg_http cache), in at most three rounds:
 *  - npm: the abbreviated document first when settled_before > 0 (else
 *    straight to the full document); it lacks publish times, so when
 *    its "modified" is not older than `settled_before` (the age rules could
 *    still fire) the full document is fetched in a second round. When it is
 *    older, every version is older too, and each version's publish time is
 *    taken as that "modified" (an upper bound: ages are never overstated).
 *  - PyPI: the PEP 691 JSON simple API; an index that answers in HTML or
 *    without upload times is asked again through its JSON API.
 *  - PyPI publishers, for queries with `publishers` set, once the others
 *    are done: the version pip would install (`locked` if given, else
 *    pg_pep440_pick of `spec` with `pre`) and the latest release published
 *    before it that has a provenance URL. When both have one, their PEP 740
 *    provenance documents (pg_pypiprov.h) are fetched, for every such
 *    package of the command in one more parallel round, and each version's
 *    publisher (the identity: "owner/repo" for GitHub, "gitlab:group/repo",
 *    ...) and publisher_workflow are filled. This is what the index states:
 *    the attestations are not verified. A provenance fetch or parse that
 *    fails leaves publisher NULL (publisher_change then does not apply) and
 *    does not fail the package. Authorization goes with it only when the
 *    provenance URL has the index's origin. pkggate itself leaves this
 *    stage off whenever it runs the provenance round (pg_provround.h),
 *    which reads the same documents and verifies them.
 * A 404 gives a meta with exists = 0. Any other failure gives error.
 */
#ifndef PG_REGISTRY_H
#define PG_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "pg_http.h"
#include "pg_meta.h"

struct pg_pep440_target;

struct pg_registry_query {
    /* inputs, borrowed */
    enum pg_eco eco;
    const char *name;
    const char *index; /* npm registry base URL / PyPI simple index URL */
    const char *auth;  /* Authorization header value for that index, or NULL */
    /* optional, PyPI: the publisher stage and what it needs to pick */
    int publishers;     /* 1: run the publisher stage for this package */
    const char *spec;   /* PEP 440 specifier set as requested; NULL or "": any */
    const char *locked; /* exact version (lockfile, == pin), or NULL */
    int pre;            /* pip --pre */
    const struct pg_pep440_target *target; /* pip's finder, or NULL: pre alone */
    /* optional: every exact version the caller's requests for this
     * package pin (lockfile entries), when all of them pin one; the facts
     * cache's revalidation schedule applies only then (pg_metacache.h).
     * npins 0: `locked` alone, if set. Borrowed. */
    const char *const *pins;
    size_t npins;
    /* optional: 1 when the caller reads of this package only what the
     * revalidation schedule bounds about the version the registry calls
     * latest (typosquat's companion check: the maintainers and who
     * published latest). The facts cache then answers as if that version
     * were pinned: no request per run for a name nothing installs. */
    int latest_pinned;
    /* results, owned until pg_registry_query_release */
    struct pg_meta *meta;
    char *error;       /* one line, when meta is NULL */
    unsigned char meta_digest[32]; /* with has_digest: BLAKE2b-256 of meta's
                                    * facts record (pg_metacodec.h) */
    int has_digest;
    int on_schedule;   /* meta came from facts older than the fresh period,
                        * current only because they hold `locked`
                        * (pg_metacache_current): fine for that version,
                        * not for picking another one */
};

/*
 * Fill meta or error of each of n queries. settled_before: Unix time before
 * which a modification means the abbreviated npm document suffices (0: always
 * fetch full documents). extra[0..nextra) are further requests (a registry's
 * signing keys) sent in the first round, so they cost no round trip of
 * their own; their results are left in them for the caller.
 */
void pg_registry_fetch(struct pg_http *h, struct pg_registry_query *q, size_t n,
                       int64_t settled_before, struct pg_http_req *extra, size_t nextra);
/*
 * The same through the facts cache mc (pg_metacache.h; NULL: none, as
 * pg_registry_fetch): each document's facts come from its record while
 * the record is current (a query's `locked` version is what the record
 * must hold for the revalidation schedule to apply); else the registry is
 * asked with the record's validators, a 304 rebuilds the facts from the
 * record without a download or a parse, and a 200 is parsed and recorded.
 * The HTTP cache then keeps no copy of the documents (offline, it is still
 * read for what has no record, as before the facts cache).
 */
struct pg_metacache;
void pg_registry_fetch_cached(struct pg_http *h, struct pg_metacache *mc,
                              struct pg_registry_query *q, size_t n, int64_t settled_before,
                              struct pg_http_req *extra, size_t nextra);
void pg_registry_query_release(struct pg_registry_query *q);

/*
 * npm: the facts the cache last recorded for name's packument at index,
 * whatever their age, without the network (the full document's record,
 * else the abbreviated one's); NULL when none. A guess for planning
 * rounds, never an answer a rule reads. Caller frees.
 */
struct pg_meta *pg_registry_peek_npm(struct pg_metacache *mc, const char *index,
                                     const char *name);

/*
 * PyPI: what a picked version depends on, learnt without downloading or
 * building it: its core metadata (PEP 658/714: `<file url>.metadata` of a
 * file the index marks, a wheel first; checked against the index's sha256
 * and its Name) else the JSON API's /pypi/<name>/<version>/json
 * requires_dist. A null requires_dist counts as "none" for a version with
 * a wheel (PyPI reads wheels' metadata at upload) and as unknown for an
 * sdist-only one. Fills v->deps (name, spec = the PEP 508 text) and sets
 * v->deps_state to KNOWN or UNKNOWN; versions not UNASKED are skipped. All
 * of them in at most two parallel rounds. Credentials go only to the
 * index's own origin.
 */
struct pg_registry_depq {
    const char *name;  /* borrowed */
    const char *index; /* the simple index the version was listed on */
    const char *auth;  /* its Authorization header value, or NULL */
    struct pg_meta_version *v;
};
void pg_registry_fetch_deps(struct pg_http *h, struct pg_registry_depq *q, size_t n);

#endif
