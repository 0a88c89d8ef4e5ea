/*
 * pg_meta.h - what a registry says about one package, in one shape for npm
 * and PyPI. Filled by the registry clients (pg_npmmeta.h, pg_pypimeta.h),
 * read by the resolvers (pg_semver.h, pg_pep440.h) and by the policy rules.
 *
 * Times are Unix seconds; -1 means "the registry did not say". Tri-state
 * ints use -1 for unknown, 0 for no, 1 for yes. Every string is owned by the
 * struct and freed by pg_meta_free().
 */
#ifndef PG_META_H
#define PG_META_H

#include <stddef.h>
#include <stdint.h>

#include "pg_req.h"

enum pg_evidence {
    PG_EVID_UNKNOWN = -1,
    PG_EVID_NONE = 0,           /* no provenance at all */
    PG_EVID_PROVENANCE = 1,     /* npm dist.attestations.provenance / PEP 740 provenance */
    PG_EVID_TRUSTED_PUBLISHER = 2,
};

/* PyPI: one distribution file of a version, as far as pip's pick needs it. */
#define PG_META_WHEEL 0x1u
#define PG_META_SDIST 0x2u
struct pg_meta_file {
    unsigned kind;         /* PG_META_WHEEL or PG_META_SDIST */
    char *requires_python; /* the file's PEP 440 specifier set, or NULL */
    char *url;             /* where the index says it is (absolute), or NULL */
    char *core_metadata;   /* PEP 658/714: the index serves url + ".metadata";
                            * its "sha256=<hex>" or "" when no hash is given;
                            * NULL when not served */
    char *filename;        /* the file's name as the index lists it */
    char *sha256;          /* its sha256 (hex) as the index states it, or NULL */
    char *provenance_url;  /* PEP 740 provenance (absolute), or NULL */
};

/*
 * What verifying a version's attestations (npm dist.attestations, PEP 740
 * provenance) found, filled by the provenance round (shim/cli/pg_provround.h)
 * with lib/crypto/pg_sigstore.h. UNCHECKED: nothing was fetched (the policy
 * did not need it, or it was not this version's turn).
 */
enum pg_prov_state {
    PG_PROV_UNCHECKED = 0,
    PG_PROV_VERIFIED,    /* every attestation verified; prov_* name the identity */
    PG_PROV_INVALID,     /* an attestation failed a check: evidence of tampering */
    PG_PROV_ABSENT,      /* the registry names no attestation for it */
    PG_PROV_UNSUPPORTED, /* a kind pkggate does not check (never "verified") */
    PG_PROV_UNAVAILABLE, /* named, but fetching it failed (prov_detail says why) */
};

/*
 * One dependency a version declares. npm, as its manifest says: the key
 * (the name it is installed under; an `npm:` alias when spec says so) and
 * the spec as written; devDependencies are not kept: npm never installs a
 * dependency's dev dependencies. PyPI: one Requires-Dist entry, name as
 * written and spec the whole PEP 508 text (extras, marker and all), kind
 * PG_DEP_PROD.
 */
enum pg_dep_kind {
    PG_DEP_PROD,          /* dependencies */
    PG_DEP_OPTIONAL,      /* optionalDependencies (npm lists them in dependencies too) */
    PG_DEP_PEER,          /* peerDependencies: npm 7+ installs them */
    PG_DEP_PEER_OPTIONAL, /* peerDependenciesMeta[name].optional: installed only if present */
};

struct pg_meta_dep {
    char *name;
    char *spec;
    enum pg_dep_kind kind;
    int bundled; /* listed in bundleDependencies: ships inside the tarball */
};

/*
 * PyPI learns a version's dependencies in a later request than its
 * listing, and not always: an sdist-only version without PEP 658 metadata
 * or JSON API requires_dist says nothing (pkggate never builds one).
 */
enum pg_deps_state {
    PG_DEPS_UNASKED = 0, /* not fetched (npm: deps is complete anyway) */
    PG_DEPS_KNOWN,       /* deps is the list */
    PG_DEPS_UNKNOWN,     /* asked; no metadata says (or fetching failed) */
};

struct pg_meta_version {
    char *version;
    int64_t published;   /* npm time[v]; PyPI earliest upload-time of its files */
    int deprecated;      /* npm: deprecated message present */
    char *deprecated_msg;
    int yanked;          /* PyPI: every file of the version yanked (PEP 592) */
    char *yanked_reason;
    int install_scripts; /* npm: preinstall/install/postinstall or hasInstallScript */
    char *integrity;     /* npm dist.integrity (SRI); PyPI sha256 of the chosen file */
    char *tarball;       /* npm dist.tarball */
    char *shasum;        /* npm dist.shasum (SHA-1 hex), older than integrity */
    char *publisher;     /* npm _npmUser.name; PyPI publisher repository (PEP 740) */
    char *publisher_workflow; /* PyPI publisher workflow; NULL for npm */
    char *provenance_url; /* PyPI: the first file's PEP 740 provenance URL
                           * (absolute), or NULL; publisher and
                           * publisher_workflow come from it (pg_registry.h) */
    enum pg_evidence evidence;
    char *signatures_json; /* npm dist.signatures as compact JSON text, or NULL */
    int elsewhere;       /* merged: only extra indexes serve this version */
    char *engines_node;  /* npm engines.node when truthy (a non-string as JSON text,
                          * which no version satisfies), else NULL */
    char *engines_npm;   /* npm engines.npm, likewise */
    struct pg_meta_file *files; /* PyPI; none: nothing known, any file may do */
    size_t nfiles;
    char *local_file;    /* PyPI: a find-links file (path or URL) offers this version */
    struct pg_meta_dep *deps; /* what this version depends on (owned); PyPI:
                               * filled later (pg_registry_fetch_deps) */
    size_t ndeps;
    enum pg_deps_state deps_state; /* PyPI: whether deps says anything yet */
    int has_shrinkwrap;  /* npm _hasShrinkwrap: its tarball pins its own tree */
    char *attestations_url; /* npm dist.attestations.url, or NULL */
    char *repository;      /* npm package.json repository (its url), as written */
    enum pg_prov_state prov;
    char *prov_repository; /* VERIFIED: "github.com/org/repo", from the certificate */
    char *prov_workflow;   /* VERIFIED: "release.yml", or NULL */
    char *prov_detail;     /* INVALID/UNSUPPORTED/UNAVAILABLE: why, one line */
};

struct pg_meta {
    enum pg_eco eco;
    char *name;          /* as the registry spells it */
    int exists;          /* 0: the registry answered "no such package" */
    int64_t created;     /* npm time.created; PyPI earliest upload; -1 unknown */
    int64_t modified;    /* npm modified; -1 unknown */
    char *status;        /* PEP 792 project status ("quarantined", ...), or NULL */
    char *latest;        /* npm dist-tags.latest, or NULL */
    char **tag_names;    /* npm dist-tags, parallel arrays */
    char **tag_versions;
    size_t ntags;
    struct pg_meta_version *versions;
    size_t nversions;
    size_t valloc;
    struct pg_meta_index *index; /* pg_meta_find's lookup (pg_meta_index.c) */
    int primary_has;     /* merged: the first (primary) index has the project */
    /* Decoded by pg_metacodec_decode_keep: only the versions it kept are
     * whole; the others lack what only an installed version needs (deps,
     * tarball, shasum, signatures, messages; integrity and repository
     * unless it names attestations: pg_metacodec_decode_keep). Good
     * for judging the kept versions, not for installing another one. */
    int skimmed;
    /* npm: the packument's top-level maintainers, by username (the full
     * document only; the abbreviated one and filtered mirrors have none);
     * not merged (pip's indexes name none) */
    char **maintainers;
    size_t nmaintainers;
};

/* "verified", "invalid", "absent", "unsupported", "unavailable", "unchecked". */
const char *pg_prov_state_name(enum pg_prov_state s);

struct pg_meta *pg_meta_new(enum pg_eco eco, const char *name);
void pg_meta_free(struct pg_meta *m);
/* Append a zeroed version (published = -1, tri-states -1); returns it. */
struct pg_meta_version *pg_meta_add_version(struct pg_meta *m, const char *version);
/* Room for n versions in all, when the count is known: no regrowing. */
void pg_meta_reserve(struct pg_meta *m, size_t n);
void pg_meta_add_tag(struct pg_meta *m, const char *tag, const char *version);
void pg_meta_add_maintainer(struct pg_meta *m, const char *name); /* copied */
/* Append a file to v (requires_python copied, may be NULL); returns it. */
struct pg_meta_file *pg_meta_add_file(struct pg_meta_version *v, unsigned kind,
                                      const char *requires_python);
/* Append a dependency (strings copied). */
void pg_meta_add_dep(struct pg_meta_version *v, const char *name, const char *spec,
                     enum pg_dep_kind kind);
/*
 * One view of a project that several indexes serve (pip --extra-index-url:
 * pip takes any version from any of them). exists if any index has it; the
 * versions are the union; a version on several indexes takes the youngest
 * publish time (ages are never overstated), is yanked only if every index
 * yanks it, keeps the weakest provenance evidence, and keeps the first
 * index's other fields. A project status (PEP 792) from any index is kept,
 * "quarantined" winning. parts[0] is the primary index: primary_has says
 * whether it has the project, and a version only the others serve is
 * marked elsewhere (the dependency-confusion pattern). parts[i] may be NULL
 * (skipped). Caller frees.
 */
struct pg_meta *pg_meta_merge(const struct pg_meta *const *parts, size_t n);

/*
 * Lookups; NULL when absent. pg_meta_find compares versions as the
 * ecosystem does: npm as written, PyPI by PEP 440 identity ("1.0" finds
 * "1.0.0"); O(1). Add versions only through pg_meta_add_version.
 */
const struct pg_meta_version *pg_meta_find(const struct pg_meta *m, const char *version);
const char *pg_meta_tag(const struct pg_meta *m, const char *tag);

/* Internal to pg_meta.c / pg_meta_index.c. */
struct pg_meta_index;
void pg_meta_index_add(struct pg_meta *m, size_t pos);
void pg_meta_index_free(struct pg_meta_index *ix);

#endif
