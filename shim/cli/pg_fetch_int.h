/*
 * pg_fetch_int.h - private to shim/cli/pg_fetch*.c: the run's state, which
 * the first round (pg_fetch.c) fills and the later questions and rounds
 * (pg_fetch_later.c) read. Not for other modules.
 */
#ifndef PG_FETCH_INT_H
#define PG_FETCH_INT_H

#include <time.h>

#include "pg_fetch.h"
#include "pg_http.h"
#include "pg_keyring.h"
#include "pg_metacache.h"
#include "pg_regconf.h"
#include "pg_registry.h"
#include "pg_strmap.h"
#include "pg_util.h"

/* pip asks every index it is given; at most this many are checked. */
#define MAX_INDEXES 8

/* A spinner on stderr, only once a check has taken longer than 300 ms. */
struct spinner {
    struct timespec start;
    size_t packages;
    unsigned frame;
    int shown;
};

/*
 * Per query: the versions its requests pin (lockfile entries), unless one
 * of them picks from a range ("open"): the facts cache's revalidation
 * schedule (pg_metacache.h) applies only to a query that is not open.
 */
struct pins {
    struct pg_strlist v;
    int open;
};

/* The queries that answer for one request: one per index, in pip's order. */
struct reqmap {
    size_t n;
    size_t q[MAX_INDEXES];
};

/*
 * What pip sees of one PyPI project: the answer of the first request for
 * it, every index pip asks merged with the local find-links files
 * (pg_fetch_meta), and the parts it was made of, so that a picked
 * version's dependencies are read from the index pip would take it from
 * (pg_fetch_deps).
 */
struct view {
    const struct pg_meta *meta; /* a query's, or one of f->merged; NULL: error */
    const char *error;          /* owned by a query */
    size_t nq;
    size_t q[MAX_INDEXES];      /* its queries in pip's order: primary first */
    struct pg_meta *local;      /* what the find-links files offer (owned), or NULL */
};

/*
 * Lives from the first round to the last: the dependency tree asks for
 * more rounds (pg_fetch_more) over the same connections and cache.
 */
struct pg_fetch {
    struct pg_registry_query *q;
    size_t nq, qalloc;
    struct pg_strmap qkey;     /* query_for's key -> index in q */
    struct pg_strmap qname;    /* "eco name" -> its first query (pg_fetch_meta) */
    struct pg_meta **merged; /* when several indexes answered one request */
    size_t nmerged;
    struct view *views;        /* PyPI projects as pip sees them */
    size_t nviews, valloc;
    struct pg_strmap vname;    /* "eco name" -> index in views */
    struct pg_keyrings rings;  /* npm registries' signing keys */
    struct pg_strlist suggest; /* what facts' suggest point to */
    struct pg_regconf *conf;
    struct pg_http *h;         /* opened by the first round that asks anything */
    struct pg_metacache *mc;   /* the facts cache, opened with h; NULL: none */
    struct pins *pins;         /* pins[i] for q[i] */
    size_t palloc;
    char *dir;                 /* the HTTP cache */
    struct pg_policy_needs needs;
    struct spinner sp;
    char *http_error;          /* the HTTP client could not be made */
    int full_docs;             /* npm `before`: every version's time, so full packuments */
    struct pg_strlist insecure; /* registries asked over plain http, off loopback */
    char *plain_index;         /* the index last checked for plain http... */
    int plain;                 /* ...and what the check said (a lockfile's 5,000
                                * entries name one registry: one URL parse) */
};

/* The by-name key (f->qname), PyPI names normalised: the pip tree asks by
 * foo-bar what was queried as spelled (Foo_Bar). Caller frees. */
char *pg_fetch_name_key(enum pg_eco eco, const char *name);

/* The HTTP client every round of this run shares; NULL (and why, in
 * f->http_error) on failure. Opens the facts cache with it. */
struct pg_http *pg_fetch_http_open(struct pg_fetch *f, const struct pg_policy *pol,
                                   const struct pg_fetch_opts *fo);

#endif
