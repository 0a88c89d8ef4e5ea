/*
 * pg_fetch.h - ask the registries about every requested package at once.
 *
 * Works out the registry each package would really come from (the tool's
 * own configuration, as the tool reads it), fetches all metadata in
 * parallel through the HTTP cache, and turns the answers into the facts the
 * rules read. Offline: the cache only; what it lacks is undecidable.
 */
#ifndef PG_FETCH_H
#define PG_FETCH_H

#include "pg_cmd.h"
#include "pg_decide.h"
#include "pg_policy.h"

struct pg_fetch;
struct pg_http;

struct pg_fetch_opts {
    int offline;           /* the cache only */
    const char *tool_path; /* the real tool: npm's builtin npmrc, pip's site pip.conf */
    int spinner;           /* stderr is a person's terminal: show slow checks */
    int revalidate;        /* ask the registry even when the cache is fresh */
    int refresh;           /* ... and when a locked version's facts are within
                            * the policy's "revalidate" (check --refresh) */
};

/*
 * The facts cache beside the HTTP cache (pg_fetch_cache_path("facts")), with the freshness fo and the policy's
 * "revalidate" give (pg_metacache.h); NULL when it cannot be used, which
 * only makes the run slower. In pg_fetch_facts.c.
 */
struct pg_metacache;
struct pg_metacache *pg_fetch_facts_open(const struct pg_policy *pol,
                                         const struct pg_fetch_opts *fo);

/*
 * $XDG_CACHE_HOME/pkggate/<leaf> (else ~/.cache/pkggate/<leaf>): "http"
 * (pg_http's cache), "facts", "verdicts". NULL when neither is set.
 * Caller frees. In pg_fetch_facts.c.
 */
char *pg_fetch_cache_path(const char *leaf);

/*
 * Fill facts[i] for each reqs->v[i] (facts has reqs->n entries). cmd may be
 * NULL (pkggate check): default registries and configuration then. Returns
 * the owner of everything facts point to; free it after deciding.
 */
struct pg_fetch *pg_fetch_run(const struct pg_policy *pol, const struct pg_cmd *cmd,
                              const struct pg_reqlist *reqs, const struct pg_fetch_opts *fo,
                              struct pg_facts *facts);
void pg_fetch_free(struct pg_fetch *f);

/*
 * Another round for reqs (which, like the first round's, must outlive f),
 * over the same connections, cache, configuration and signing keys: a
 * package asked in an earlier round is not fetched again. Fills facts[i]
 * for each reqs->v[i] as pg_fetch_run does.
 */
void pg_fetch_more(struct pg_fetch *f, const struct pg_policy *pol, const struct pg_cmd *cmd,
                   const struct pg_reqlist *reqs, const struct pg_fetch_opts *fo,
                   struct pg_facts *facts);

/*
 * Ask again, now and without the revalidation schedule, about those of
 * names[0..n) whose answer came from facts trusted only for a version a
 * lockfile pins (pg_registry_query.on_schedule): a caller that picked
 * another version from them must see today's versions. Returns how many
 * were asked; the earlier answers stay valid until pg_fetch_free.
 */
size_t pg_fetch_refresh(struct pg_fetch *f, const struct pg_policy *pol,
                        const struct pg_fetch_opts *fo, enum pg_eco eco,
                        const char *const *names, size_t n);

/*
 * The packument a round fetched for name, or NULL with *error (owned by f)
 * when asking failed; both NULL when no round asked for it. npm: its
 * registry's. PyPI: what pip sees, from the first request for the name:
 * the answers of every index pip asks merged (pg_meta_merge) with what the
 * local find-links files offer, or the one index's answer when nothing
 * needed merging. Owned by f, like every meta it returns, and valid until
 * pg_fetch_free (a merged one is kept in f for that long).
 */
const struct pg_meta *pg_fetch_meta(const struct pg_fetch *f, enum pg_eco eco, const char *name,
                                    const char **error);

/*
 * npm: what the facts cache last recorded for name, however old, read
 * without the network from the index a round would ask (pg_registry_peek_npm):
 * a guess of the answer, to plan rounds with. NULL when nothing is
 * recorded, offline (the rounds read the cache themselves) or before any
 * round opened the cache. Caller frees.
 */
struct pg_meta *pg_fetch_peek(const struct pg_fetch *f, enum pg_eco eco, const char *name);

/*
 * PyPI: what names[i]==versions[i] depend on, for each of n versions a
 * round has listed (pg_registry_fetch_deps: metadata files, else the JSON
 * API), in at most two parallel rounds over the same connections. Each
 * version is read from the index pip would take it from (of several
 * offering it, pip's candidate order: a file not yanked, then a wheel,
 * then the last index listed), with that index's URL, Authorization and
 * JSON API. Fills the deps of the versions pg_fetch_meta returns; a
 * version pip would take from a local find-links file gets deps_state
 * UNKNOWN (pkggate reads no local file), never an empty list.
 */
void pg_fetch_deps(struct pg_fetch *f, const struct pg_policy *pol,
                   const struct pg_fetch_opts *fo, const char *const *names,
                   const char *const *versions, size_t n);

/*
 * The HTTP client of f's rounds (opened if no round needed it yet) and the
 * policy's needs it was opened with; NULL when no round asked anything or
 * the client could not be made.
 */
struct pg_http *pg_fetch_http(struct pg_fetch *f, const struct pg_policy *pol,
                              const struct pg_fetch_opts *fo, struct pg_policy_needs *needs);

/* A round made through pg_fetch_http is over: clear the spinner's line. */
void pg_fetch_round_done(struct pg_fetch *f);

/*
 * The index (first of pip's several) a round asked about name, and its
 * Authorization header value in *auth; NULL when none was asked. Owned by f.
 */
const char *pg_fetch_index(const struct pg_fetch *f, enum pg_eco eco, const char *name,
                           const char **auth);

/*
 * Append one warning line per registry asked over plain http off loopback
 * ("pkggate: warning: ..."), and a note line per npm registry that
 * publishes no signing keys saying that the signature rule does not apply
 * there (none when the rule is off or require_keys turns it into a block
 * per package). The caller decides how often each is shown.
 */
void pg_fetch_notes(const struct pg_fetch *f, const struct pg_decide_ctx *ctx,
                    struct pg_sb *out);

#endif
