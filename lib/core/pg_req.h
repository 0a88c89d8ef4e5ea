/*
 * pg_req.h - what a command asks to install.
 *
 * The pip and npm argument parsers (pg_pipargs.h, pg_npmargs.h) turn argv
 * into a struct pg_cmd: which tool, whether it could install anything, and
 * the list of requested packages. The policy evaluates each struct pg_req.
 * The parsers never touch the original argv: the real tool is exec'd with it
 * unchanged.
 */
#ifndef PG_REQ_H
#define PG_REQ_H

#include <stddef.h>

enum pg_eco {
    PG_ECO_NPM,
    PG_ECO_PYPI,
};

/* Where a requested package comes from. Only REGISTRY can be checked by name. */
enum pg_source {
    PG_SRC_REGISTRY, /* name + version spec, resolved against an index */
    PG_SRC_URL,      /* http(s) archive: `name @ https://...`, tarball URL */
    PG_SRC_GIT,      /* git+https://..., github:user/repo, user/repo */
    PG_SRC_LOCAL,    /* a path: directory, wheel, sdist, .tgz, file: */
    PG_SRC_EDITABLE, /* pip -e / --editable */
};

/*
 * One requested package. Every string is owned by the struct (freed by
 * pg_reqlist_release). name may be NULL for a URL/path whose package name
 * cannot be known without fetching it.
 */
struct pg_req {
    enum pg_eco eco;
    enum pg_source source;
    char *name;    /* as written (npm: "@scope/x"; pypi: not normalised) */
    char *spec;    /* version range/specifier as written, "" when none;
                    * for URL/GIT/LOCAL the URL or path itself */
    char *alias;   /* npm `alias@npm:real@range`: the alias; else NULL */
    char *origin;  /* "argv", "requirements.txt:12", "package.json", ... */
    char *locked;  /* exact version from a lockfile or `==` pin; else NULL */
    char *marker;  /* PEP 508 environment marker text, else NULL */
    char *extras;  /* PEP 508 extras as written, "a,b", else NULL */
    char *integrity; /* lockfile SRI the tool will verify the download against */
    int dev;       /* npm devDependency / lockfile "dev": 1 */
    char *path;    /* npm: a dependency pulled in by others: the names it is
                    * installed under from the command's package down to its
                    * parent, joined by " > " ("express > body-parser");
                    * NULL for what the command itself names */
};

struct pg_reqlist {
    struct pg_req *v;
    size_t n;
    size_t alloc;
};
#define PG_REQLIST_INIT {NULL, 0, 0}

/* Append a zeroed entry with eco/source set and all strings NULL; returns it. */
struct pg_req *pg_reqlist_add(struct pg_reqlist *l, enum pg_eco eco, enum pg_source src);
void pg_reqlist_release(struct pg_reqlist *l);
/* Free one entry's strings and zero it. */
void pg_req_release(struct pg_req *r);

const char *pg_eco_name(enum pg_eco eco);     /* "npm", "pypi" */
const char *pg_source_name(enum pg_source s); /* "registry", "url", "git", "local", "editable" */

#endif
