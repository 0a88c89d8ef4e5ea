/*
 * pg_regconf.h - which registry each package would really come from.
 *
 * pkggate must ask the registry the tool will really use, with the
 * credentials the tool would send there, or its verdict is about some other
 * registry. So this module reads the configuration as the tool reads it,
 * through pg_npmrc.h and pg_pipconf.h (see those headers for the layers):
 *
 * npm   cmd->config (every `--key=value` npm reads from argv, `--registry`,
 *       `--@scope:registry`, `--//host/:_authToken`, `--userconfig`,
 *       `--prefix`, `-g`, `--location`, `--cafile`...; for npx the options
 *       before the command word), npm_config_* variables, project / user /
 *       global / builtin .npmrc, then https://registry.npmjs.org/.
 *       Per package: its scope's `@scope:registry` or the default registry;
 *       the Authorization value npm would send for the packument URL.
 * pip   cmd->index_url, extra_index, find_links, no_index (argv and the
 *       requirement files, as pg_pipargs.h read them) plus `--cert` and
 *       `--isolated` (cmd->config), PIP_* variables, pip.conf
 *       files and PIP_CONFIG_FILE, the site pip.conf of the Python that
 *       runs the real pip, then https://pypi.org/simple. The subcommand is
 *       pip's config section. Credentials in an index URL (user:password@)
 *       or in netrc become an Authorization value for that origin only; the
 *       URLs handed out carry none.
 *
 * Private mirrors are queried exactly like the public registries (same
 * protocol, same rules); a mirror must speak npm's packument protocol or
 * PEP 691 JSON (else the PyPI JSON API) for anything to be decided.
 *
 * Limits, on purpose:
 *  - pip merges every index it is given (index-url plus each
 *    extra-index-url) and picks the best version across them; a name that
 *    also exists on an extra index is a dependency-confusion risk.
 *    pg_regconf_index() names the primary index only (index-url);
 *    pg_regconf_nindexes()/pg_regconf_index_at() enumerate them all for a
 *    caller that queries each one and merges. find-links pages are not
 *    queried (not an index protocol).
 *  - --no-index (in argv, a requirement file, PIP_NO_INDEX or pip.conf):
 *    pip asks no index, so pg_regconf_index() returns NULL: nothing is
 *    queried, and only the name rules apply (pip can then only use local
 *    files and find-links). When a find-links entry is then a remote URL,
 *    pip downloads from a page pkggate cannot check: pg_regconf_error()
 *    says so and the package is undecidable.
 *  - TLS: the CA bundle is the tool's (npm cafile; pip: REQUESTS_CA_BUNDLE,
 *    CURL_CA_BUNDLE, then cert). pkggate never turns verification off:
 *    npm strict-ssl=false (pg_regconf_tls_relaxed) or pip --trusted-host
 *    are not followed, so a registry that only works without verification
 *    fails its fetch and its packages are undecidable. Client certificates
 *    (npm certfile/keyfile, pip --client-cert) are not presented.
 *  - A configuration that cannot be read (unreadable or oversized file, a
 *    registry that is not an http(s) URL, a broken pip.conf) is not
 *    guessed around: pg_regconf_error() names it and every package of that
 *    ecosystem is undecidable (the tool would fail or use something else).
 *
 * Secrets: Authorization values live in the readers' sodium_malloc'd
 * memory, owned by the struct until pg_regconf_free; command-line copies
 * are wiped. No message from this module contains userinfo or a token.
 */
#ifndef PG_REGCONF_H
#define PG_REGCONF_H

#include <stddef.h>

#include "pg_cmd.h"

struct pg_regconf_opts {
    /* Directory the tool runs in (absolute). Required. */
    const char *cwd;
    /* Required: the value of an environment variable or NULL (borrowed). */
    const char *(*getenv_fn)(const char *name);
    /* Optional "NAME=value" array ending in NULL (the process `environ`):
     * every npm_config_* and PIP_* variable is then read. */
    const char *const *environ;
    /* Optional: the real pip/npm executable (pip: its Python's prefix
     * holds the site pip.conf; npm: its install dir holds the builtin
     * npmrc). NULL: $VIRTUAL_ENV for pip, node on PATH for npm. */
    const char *tool_path;
    /* Tests only; NULL for the real locations. */
    const char *node_path; /* npm's node binary */
    const char *npm_dir;   /* npm's install dir (builtin npmrc) */
    const char *etc_dir;   /* pip's system-wide pip.conf directory */
};

struct pg_regconf;

/*
 * Read the configuration of cmd's tool, with the reader pg_tools.def names
 * for it (both npm's and pip's when cmd is NULL).
 * Never fails: what cannot be read becomes pg_regconf_error(). Free with
 * pg_regconf_free.
 */
struct pg_regconf *pg_regconf_load(const struct pg_cmd *cmd, const struct pg_regconf_opts *opts);
void pg_regconf_free(struct pg_regconf *c);

/*
 * Why no package of eco can be checked against its registry (one line, no
 * secrets), or NULL. When set, pg_regconf_index() returns NULL.
 */
const char *pg_regconf_error(const struct pg_regconf *c, enum pg_eco eco);

/*
 * The index URL to ask about package name (npm: its scope's registry if
 * configured; pip: the primary index), and in *auth the Authorization
 * header value for it, or NULL. NULL when nothing is to be asked (pip
 * --no-index) or pg_regconf_error() is set. Both owned by c.
 */
const char *pg_regconf_index(struct pg_regconf *c, enum pg_eco eco, const char *name,
                             const char **auth);

/*
 * Every index the tool looks in for name, in its order: npm one, pip the
 * primary and then each extra index (0 with --no-index or an error).
 * pg_regconf_index_at(..., 0, ...) is pg_regconf_index(). i out of range
 * gives NULL. Owned by c.
 */
size_t pg_regconf_nindexes(const struct pg_regconf *c, enum pg_eco eco);
const char *pg_regconf_index_at(const struct pg_regconf *c, enum pg_eco eco, const char *name,
                                size_t i, const char **auth);

/*
 * The Authorization value the tool would send with a request for url (npm:
 * as for package name, which may be NULL; pip: by origin, then netrc), or
 * NULL. For the other documents pkggate reads from a registry, such as
 * npm's /-/npm/v1/keys. Owned by c.
 */
const char *pg_regconf_auth_for(const struct pg_regconf *c, enum pg_eco eco, const char *url,
                                const char *name);

/* npm's configuration as read (pg_npmrc.h), for its other settings
 * (pg_npmset.h); NULL when it was not read or could not be. Owned by c. */
struct pg_npmrc;
const struct pg_npmrc *pg_regconf_npmrc(const struct pg_regconf *c);
/* pip's find-links entries (argv, requirement files, PIP_FIND_LINKS,
 * pip.conf), as given; none when pip's configuration failed. Owned by c. */
size_t pg_regconf_nfind_links(const struct pg_regconf *c);
const char *pg_regconf_find_links(const struct pg_regconf *c, size_t i);

/* The CA bundle the tool would use for eco (absolute path), or NULL for
 * the system default. Owned by c. */
const char *pg_regconf_cafile(const struct pg_regconf *c, enum pg_eco eco);

/* 1 when the tool is told not to verify TLS (npm strict-ssl=false), which
 * pkggate does not follow; for a hint next to a TLS failure. */
int pg_regconf_tls_relaxed(const struct pg_regconf *c, enum pg_eco eco);

/*
 * pg_regconf_python_path: the Python (absolute path) that runs the pip
 * script at pip_path, read from its #! line, or NULL.
 * pg_regconf_python_prefix: sys.prefix of that Python, read from
 * its #! line (also `#!/usr/bin/env python3` and pip's `'''exec'` launcher
 * for long paths): the virtualenv when pyvenv.cfg sits beside or above the
 * interpreter, else the directory above its bin/. NULL when it cannot be
 * told (not a script, a pyenv shim...). Caller frees.
 */
char *pg_regconf_python_path(const char *pip_path, const char *(*getenv_fn)(const char *name));
char *pg_regconf_python_prefix(const char *pip_path, const char *(*getenv_fn)(const char *name));

/*
 * The command-line layer for pg_npmrc_load / pg_pipconf_load: "key=value"
 * strings, NULL-ended, from cmd alone (cmd may be NULL: an empty layer).
 * Exposed for tests. Values may hold secrets: release with
 * pg_regconf_cli_free, which wipes them.
 */
char **pg_regconf_npm_cli(const struct pg_cmd *cmd);
char **pg_regconf_pip_cli(const struct pg_cmd *cmd);
void pg_regconf_cli_free(char **cli);

#endif
