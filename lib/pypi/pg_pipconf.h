/*
 * pg_pipconf.h - pip's index configuration, read the way pip 23-25 reads it.
 *
 * pkggate checks a package against the index pip will really use, so it
 * reads what pip's ConfigOptionParser reads:
 *
 * Files (pip's configuration.py), each later one overriding the earlier,
 * key by key ("section.name"):
 *   global   $XDG_CONFIG_DIRS (default /etc/xdg), each + /pip/pip.conf;
 *            then /etc/pip.conf
 *   user     ~/.pip/pip.conf (legacy), then $XDG_CONFIG_HOME (default
 *            ~/.config) + /pip/pip.conf; skipped when PIP_CONFIG_FILE names
 *            an existing file, and in isolated mode
 *   site     <site prefix>/pip.conf (sys.prefix of pip's Python: the
 *            virtualenv when pip runs from one)
 *   env      the file PIP_CONFIG_FILE names; PIP_CONFIG_FILE=/dev/null
 *            (os.devnull) means no configuration file at all
 * Then, in priority order [global] < [<command>] < PIP_* variables, empty
 * values ignored, and the command line last. "index-url" (alias
 * "pypi-url") and "cert" are replaced by a later layer; "extra-index-url"
 * and "find-links" are whitespace-separated lists replaced by a later
 * config layer, while the command line appends to them (as optparse does).
 * "no-index" takes pip's booleans (yes/no, true/false, on/off, 1/0).
 *
 * Files use Python's configparser dialect (RawConfigParser): sections
 * required, "name = value" or "name: value", names case-insensitive with
 * '_' read as '-', full-line '#'/';' comments only, indented continuation
 * lines, [DEFAULT] applying to every section, a duplicate section or name in
 * one file an error (as it makes pip fail).
 *
 * Credentials: user:password@ (or token@) in an index URL become a Basic
 * Authorization value for that URL's origin only, as pip's
 * MultiDomainBasicAuth sends them; other origins fall back to the netrc
 * file ($NETRC, else ~/.netrc, else ~/_netrc) by host name, as requests
 * does. Keyring lookups are not modelled. Secrets live in sodium_malloc'd
 * memory owned by the struct and wiped when it is freed; URLs come back
 * without credentials, and redacted (user:****@) for display.
 */
#ifndef PG_PIPCONF_H
#define PG_PIPCONF_H

#include <stddef.h>

#include "pg_err.h"

#define PG_PIPCONF_DEFAULT_INDEX "https://pypi.org/simple"
#define PG_PIPCONF_FILE_MAX      (1024 * 1024)

struct pg_pipconf_opts {
    /* Directory pip runs in (absolute): relative cert paths. Required. */
    const char *cwd;
    /* pip's subcommand ("install", "download", "wheel", ...): the config
     * section that overrides [global]. Required. */
    const char *command;
    /* Required: the value of an environment variable or NULL (borrowed). */
    const char *(*getenv_fn)(const char *name);
    /*
     * Optional "NAME=value" array ending in NULL (like environ). When given,
     * every PIP_* variable is read, as pip does; when NULL, getenv_fn is
     * asked for PIP_INDEX_URL, PIP_PYPI_URL, PIP_EXTRA_INDEX_URL,
     * PIP_NO_INDEX, PIP_CERT and PIP_FIND_LINKS.
     */
    const char *const *environ;
    /*
     * Optional command-line options in order, NULL-ended, by their long
     * names without dashes: "index-url=URL", "extra-index-url=URL",
     * "no-index", "cert=PATH", "find-links=X", "isolated". (The caller maps
     * -i, --pypi-url and -f to these.)
     */
    const char *const *cli;
    /* sys.prefix of the Python that runs pip; NULL: $VIRTUAL_ENV, else no
     * site configuration. */
    const char *site_prefix;
    /* Where the system-wide pip.conf lives; NULL: "/etc" (tests point it
     * at their own data). */
    const char *etc_dir;
};

struct pg_pipconf;

/*
 * Read the configuration. Missing files are skipped. A file that cannot be
 * read or parsed, or an invalid no-index value, is an error (pip refuses to
 * run then too). On success *out is the caller's, freed with
 * pg_pipconf_free.
 */
int pg_pipconf_load(struct pg_pipconf **out, const struct pg_pipconf_opts *opts,
                    struct pg_err *err) PG_WARN_UNUSED;
void pg_pipconf_free(struct pg_pipconf *cfg);

/* One index pip would look in. */
struct pg_pipconf_index {
    const char *url;     /* credentials removed: what to fetch */
    const char *display; /* as pip prints it: "https://user:****@host/simple" */
    int has_auth;        /* the configured URL carried credentials */
};

/*
 * The indexes pip looks in, in its order: index-url, then every
 * extra-index-url. None when no-index is set. Owned by cfg.
 */
size_t pg_pipconf_nindexes(const struct pg_pipconf *cfg);
const struct pg_pipconf_index *pg_pipconf_index(const struct pg_pipconf *cfg, size_t i);

/* index-url (credentials removed) even when no-index is set. */
const char *pg_pipconf_index_url(const struct pg_pipconf *cfg);
int pg_pipconf_no_index(const struct pg_pipconf *cfg);

/* find-links entries (directories, files or URLs), as given. */
size_t pg_pipconf_nfind_links(const struct pg_pipconf *cfg);
const char *pg_pipconf_find_links(const struct pg_pipconf *cfg, size_t i);

/* pip's cert option (~ expanded, made absolute), or NULL. */
const char *pg_pipconf_cert(const struct pg_pipconf *cfg);
/*
 * The CA bundle pip's HTTP layer really uses, or NULL for the default:
 * requests lets $REQUESTS_CA_BUNDLE, then $CURL_CA_BUNDLE, override cert.
 */
const char *pg_pipconf_ca_bundle(const struct pg_pipconf *cfg);

/*
 * The Authorization header value pip would send with a request for url:
 * "Basic <base64>" from the first index URL of the same origin (scheme,
 * host, port) that carried credentials, else from the netrc entry for the
 * URL's host (or its `default`), else NULL. Owned by cfg (secure memory)
 * until pg_pipconf_free: never print or log it.
 */
const char *pg_pipconf_auth_for(const struct pg_pipconf *cfg, const char *url);

/*
 * Every setting pip takes from its files and PIP_* variables, in the order
 * pip applies them ([global], then [<command>], then the environment; empty
 * values dropped): a later one of the same name overrides an earlier one,
 * except for options pip accumulates (only-binary, no-binary). Names are
 * pip's long option names without "--" ("pre", "find-links"); names that
 * are no option of pip's are included too (pip ignores them). `where` says
 * where it was set: "FILE [section]" or "PIP_NAME". A value may be a secret
 * (an index URL with a password): never print it. Owned by cfg.
 */
struct pg_pipconf_setting {
    const char *name;
    const char *value;
    const char *where;
};
size_t pg_pipconf_nsettings(const struct pg_pipconf *cfg);
/* A yes/no value as pip's strtobool reads it (y yes t true on 1 / n no f
 * false off 0, any case): 0 with *out set, or -1 when pip would refuse it. */
int pg_pipconf_bool(const char *v, int *out);
const struct pg_pipconf_setting *pg_pipconf_setting(const struct pg_pipconf *cfg, size_t i);

/* The config files that were read, in reading order (for doctor). */
size_t pg_pipconf_nfiles(const struct pg_pipconf *cfg);
const char *pg_pipconf_file(const struct pg_pipconf *cfg, size_t i);

#endif
